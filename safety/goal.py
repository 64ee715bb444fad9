"""The user's own chat message, prepared once for the provenance checks.

`light` keeps what the user wrote (NFKC, lower case, spaces collapsed) without folding look-alike
letters, so text is only "from the user" when the user really wrote it.
"""
from dataclasses import dataclass
from functools import lru_cache

from alphaomega.safety.normalize import light


@dataclass(frozen=True)
class GoalView:
    raw: str
    light: str

    def contains(self, text: str) -> bool:
        fragment = light(text).strip(" .,;:!?\"'`")
        return bool(fragment) and fragment in self.light


@lru_cache(maxsize=512)
def goal_view(goal: str) -> GoalView:
    return GoalView(goal, light(goal))
