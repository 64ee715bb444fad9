"""The user's own chat message, prepared once for the provenance checks.

`light` keeps what the user wrote (NFKC, lower case, spaces collapsed) without folding look-alike
letters, so text is only "from the user" when the user really wrote it.
"""
import re
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

    def contains_number(self, text: str) -> bool:
        """A card, account or IBAN number the user gave with other spacing ('4111 1111 1111 1111'
        typed as '4111111111111111', 'DE89 3704 ...' as 'DE8937...'): the same digits in the same order."""
        squashed = _NUMBER_SEPARATORS.sub("", text).casefold()
        if sum(c.isdigit() for c in squashed) < 8 or not squashed.isalnum():
            return False
        return squashed in _NUMBER_SEPARATORS.sub("", self.raw).casefold()


_NUMBER_SEPARATORS = re.compile(r"[\s.\-/]+")


@lru_cache(maxsize=512)
def goal_view(goal: str) -> GoalView:
    return GoalView(goal, light(goal))
