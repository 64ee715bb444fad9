"""The shipped linear classifier: a sparse dot product and a softmax in pure Python.

Weights come from `weights.json` next to this module (written by `train.py`). Only buckets
that carry weight are stored, each as one row of per-intent weights; a message's score for
an intent is the bias plus the sum of its buckets' rows, group by group (the word and
character groups divided by the square root of their size, as in training).
"""
import json
import math
import threading
from dataclasses import dataclass
from pathlib import Path

WEIGHTS_FILE = Path(__file__).with_name("weights.json")
SCALE = 10000  # weights are stored as integers in units of 1/SCALE


@dataclass(frozen=True)
class LinearModel:
    classes: tuple[str, ...]
    bias: tuple[float, ...]
    word: dict[int, tuple[float, ...]]
    char: dict[int, tuple[float, ...]]
    cue: dict[int, tuple[float, ...]]
    meta: dict

    @classmethod
    def from_json(cls, data: dict) -> "LinearModel":
        def rows(table: dict) -> dict[int, tuple[float, ...]]:
            return {int(key): tuple(v / SCALE for v in values) for key, values in table.items()}

        return cls(tuple(data["classes"]), tuple(v / SCALE for v in data["bias"]), rows(data["word"]),
                   rows(data["char"]), rows(data["cue"]), dict(data.get("meta", {})))

    @classmethod
    def load(cls, path: Path = WEIGHTS_FILE) -> "LinearModel":
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")))

    def scores(self, word_ids: set[int], char_ids: set[int], cue_ids: set[int]) -> list[float]:
        total = list(self.bias)
        for table, ids, normalised in ((self.word, word_ids, True), (self.char, char_ids, True),
                                       (self.cue, cue_ids, False)):
            if not ids:
                continue
            get = table.get
            rows = [row for row in map(get, ids) if row is not None]
            if not rows:
                continue
            scale = 1.0 / math.sqrt(len(ids)) if normalised else 1.0
            for index, column in enumerate(zip(*rows, strict=True)):
                total[index] += sum(column) * scale
        return total

    def probabilities(self, word_ids: set[int], char_ids: set[int], cue_ids: set[int]) -> dict[str, float]:
        scores = self.scores(word_ids, char_ids, cue_ids)
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return {name: e / total for name, e in zip(self.classes, exps, strict=True)}


_loaded: LinearModel | None = None
_lock = threading.Lock()


def shipped() -> LinearModel:
    """The packaged model, loaded once per process (thread-safe)."""
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                _loaded = LinearModel.load()
    return _loaded
