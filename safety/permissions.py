"""The permission layer: may this user drive the desktop, and did they ask for this consequence?

Roles come from OpenWebUI (`body["user"]["role"]`) and the COMPUTER_USE_ROLES valve. A click whose
target pays, deletes, sends, grants or signs out (rules/consequences.toml) needs confirmation
unless the user's own message asks for that kind of thing. On Linux a middle click pastes the
selection (into a terminal: runs it), so it is treated like ctrl+v.
"""
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from alphaomega.safety.decision import LayerResult, allow, block, confirm
from alphaomega.safety.goal import GoalView
from alphaomega.safety.rules import Consequence, RuleBook


def parse_roles(value: str | Iterable[str]) -> frozenset[str]:
    """The roles a roles valve lets in. OpenWebUI cannot save an empty text box, so "none" means nobody."""
    items = value.split(",") if isinstance(value, str) else value
    return frozenset(item.strip().lower() for item in items if item and item.strip()) - {"none"}


def role_allowed(role: str | None, allowed_roles: str | Iterable[str]) -> bool:
    return bool(role) and role.strip().lower() in parse_roles(allowed_roles)


# Letters NFKD does not split into a base letter and an accent.
_LETTERS_FROM = "ßłøæœđħı"
_LETTERS = str.maketrans({"ß": "ss", "ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ħ": "h", "ı": "i"})


@lru_cache(maxsize=1024)
def fold(text: str) -> str:
    """Lower case without accents: 'Löschen' -> 'loschen', 'définitivement' -> 'definitivement'."""
    text = text.casefold()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    if any("\u1100" <= c <= "\u11ff" for c in folded):
        folded = unicodedata.normalize("NFC", folded)  # NFKD split Hangul syllables into letters: '삭제' stays '삭제'
    return folded.translate(_LETTERS) if any(c in folded for c in _LETTERS_FROM) else folded


def goal_says(words: re.Pattern, goal: str, book: RuleBook) -> bool:
    """Do these words occur in the message (folded), none of them negated before ("don't send",
    "n'envoie pas") or right after ("bookmark nothing", "bestell noch nicht")?"""
    before, after = book.negated_goal_word, book.negated_after_goal_word
    asked = False
    for found in words.finditer(goal):
        if before is not None and before.search(goal, max(0, found.start() - 40), found.start()):
            return False  # "write a reply but don't send it": the explicit "no" wins
        if after is not None and after.match(goal, found.end()):
            return False
        asked = True
    return asked


def asked_for(consequence: Consequence, goal: str, book: RuleBook) -> bool:
    """Does the user's message (lower case) ask for this kind of consequence?

    Its goal words must occur and none of them negated ("reply, but do not send it yet"); a message that only asks
    to look ("show what is in the trash") must use the words for the action itself (`goal_verbs`);
    and nothing in it may say the user wants less (`not_asked`: "draft a reply" is no send).
    """
    if consequence.not_asked is not None and consequence.not_asked.search(goal):
        return False
    words = consequence.goal_words
    if consequence.goal_verbs is not None and book.look_only_goal is not None and book.look_only_goal.search(goal):
        words = consequence.goal_verbs
    return goal_says(words, goal, book)


def place_to_look_at(consequence: Consequence, target: str, goal: str, book: RuleBook) -> bool:
    """A target that only leads to a place the user asked to look at ('Trash folder' for "show me
    the trash"): the message only asks to look, the target names a tab, folder or page and no action,
    and every word of the target that made it a consequence is in the message."""
    if book.place_target is None or book.action_in_target is None or book.look_only_goal is None:
        return False
    if not book.place_target.search(target) or book.action_in_target.search(target) \
            or not book.look_only_goal.search(goal):
        return False
    return all(re.search(r"\b" + re.escape(found.group(0)) + r"\b", goal)
               for found in consequence.words.finditer(target))


def _secret_file_not_named(target: str, goal: str, book: RuleBook) -> str | None:
    """The key, password or credential file a drag's target names ('id_rsa onto the upload area'),
    when the user's message does not name it: handing it over or binning it was not asked for."""
    if book.secret_file is None:
        return None
    for found in book.secret_file.finditer(target):
        if found.group(0).strip() not in goal:
            return found.group(0).strip()
    return None


def check(action: dict, *, goal: GoalView, book: RuleBook, platform: str, role: str | None,
          allowed_roles: str | Iterable[str]) -> LayerResult:
    if role is not None and not role_allowed(role, allowed_roles):
        shown = ", ".join(sorted(parse_roles(allowed_roles))) or "nobody"
        return block("permission", "permission.role",
                     f"computer use is allowed for the roles {shown} (COMPUTER_USE_ROLES), not for {role or 'no role'}")
    kind = action.get("type")
    if kind == "click" and action.get("button") == "middle" and platform == "linux" \
            and "middle" not in goal.light and "new tab" not in goal.light:
        return confirm("permission", "permission.middle_click_paste",
                       "a middle click pastes the selected text (in a terminal it runs it)")
    if kind in ("click", "drag") and action.get("button", "left") != "right":
        target = fold(action.get("target") or "")
        wanted = fold(goal.light)
        if target and book.injection_finder.search(target):
            return confirm("permission", "permission.instructions_in_target",
                           f"the target {action.get('target')!r} carries instructions for an AI, not a button label "
                           "your message asked for")
        if kind == "click" and book.runnable_file is not None and "." in target:
            for found in book.runnable_file.finditer(target):
                name = found.group("name").strip()
                if name not in wanted:
                    return confirm("permission", "permission.runnable_file",
                                   f"clicking {action.get('target')!r} may run a program or installer, and your "
                                   "message does not name that file")
        secret_file = _secret_file_not_named(target, wanted, book) if kind == "drag" else None
        for consequence in book.consequences:
            if kind in consequence.actions and consequence.words.search(target) \
                    and (secret_file or not asked_for(consequence, wanted, book)) \
                    and not (kind == "click" and place_to_look_at(consequence, target, wanted, book)):
                if secret_file:
                    return confirm("permission", "permission.secret_file",
                                   f"dragging {action.get('target')!r} {consequence.why}, and {secret_file!r} holds "
                                   "keys or passwords that your message does not name")
                verb = "dragging" if kind == "drag" else "clicking"
                return confirm("permission", consequence.id, f"{verb} {action.get('target')!r} "
                               f"{consequence.why}, which your message did not ask for")
    return allow("permission", "permission.ok" if role is not None else "permission.role_not_given")
