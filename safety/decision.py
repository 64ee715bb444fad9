"""What the validator answers: one verdict, its reason, and what every layer said.

Verdicts are ordered allow < confirm < block; the decision is the strictest layer's verdict.
"""
from dataclasses import dataclass

ALLOW, CONFIRM, BLOCK = "allow", "confirm", "block"
SEVERITY = {ALLOW: 0, CONFIRM: 1, BLOCK: 2}
LAYERS = ("schema", "bounds", "permission", "hotkey", "text", "provenance", "rate_limit", "loop_guard")


@dataclass(frozen=True)
class LayerResult:
    layer: str
    verdict: str
    rule: str
    reason: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"layer": self.layer, "verdict": self.verdict, "rule": self.rule, "reason": self.reason}


@dataclass(frozen=True)
class Decision:
    verdict: str
    reason: str
    rule: str
    layers: tuple[LayerResult, ...]

    @property
    def allowed(self) -> bool:
        return self.verdict == ALLOW

    @property
    def rules(self) -> dict[str, str]:
        """Layer name -> the rule it applied (e.g. {"text": "shell.rm_recursive_root", ...})."""
        return {result.layer: result.rule for result in self.layers}

    def layer(self, name: str) -> LayerResult | None:
        return next((result for result in self.layers if result.layer == name), None)

    def as_dict(self) -> dict:
        return {"verdict": self.verdict, "reason": self.reason, "rule": self.rule,
                "layers": [result.as_dict() for result in self.layers]}

    @classmethod
    def combine(cls, layers: list[LayerResult]) -> "Decision":
        worst = max(layers, key=lambda r: SEVERITY[r.verdict])
        if worst.verdict == ALLOW:
            return cls(ALLOW, "", worst.rule if len(layers) == 1 else "allowed", tuple(layers))
        reasons = [r.reason for r in layers if r.verdict == worst.verdict and r.reason]
        return cls(worst.verdict, "; ".join(dict.fromkeys(reasons)) or worst.rule, worst.rule, tuple(layers))


def allow(layer: str, rule: str = "", reason: str = "") -> LayerResult:
    return LayerResult(layer, ALLOW, rule or f"{layer}.ok", reason)


def confirm(layer: str, rule: str, reason: str) -> LayerResult:
    return LayerResult(layer, CONFIRM, rule, reason)


def block(layer: str, rule: str, reason: str) -> LayerResult:
    return LayerResult(layer, BLOCK, rule, reason)
