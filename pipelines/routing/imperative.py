"""Find an imperative desktop action in a message: "click Save", "öffne Firefox", "appuie sur Entrée".

The act gate needs a clause that *commands* an action: a desktop verb at the start of a
segment (after polite openers such as "please", "can you", "kannst du", "peux-tu"), with
what it acts on (a control, key, app, field or web address), not negated, not a question,
not in the past. Each sentence is cut into negation clauses (NegEx scope: from a negation
to "but", "just", "aber", "mais", "pero", ...) and those into segments (commas, "and then").
"""
import re

from alphaomega.pipelines.routing import lexicon as lx
from alphaomega.pipelines.routing.matching import Lexicon, words_of
from alphaomega.pipelines.routing.text import QUOTE_MARK

# A verb ends at a word boundary, but not before a hyphenated noun ("Klick-Köder", "click-through");
# French imperatives keep their pronoun ("copie-le", "ouvre-la").
_VERB_END = r"(?!\w)(?!-(?!(?:le|la|les|moi|toi|lui|nous|vous|y|en)\b))"
_VERBS = tuple((kind, Lexicon(words, end=_VERB_END)) for kind, words in (
    ("pointer", lx.POINTER_VERBS), ("key", lx.KEY_VERBS), ("text", lx.TEXT_VERBS), ("ui", lx.UI_VERBS)))
_GERUNDS = tuple((kind, Lexicon(words, end=_VERB_END)) for kind, words in lx.GERUND_VERBS.items())
_MIND = re.compile(r"^(?:would you |do you )?mind\b")
# Every word a desktop verb can start with; a segment without one of them is skipped at once.
VERB_WORDS = frozenset().union(*(lexicon.triggers or () for _, lexicon in _VERBS + _GERUNDS))
assert all(lexicon.triggers is not None for _, lexicon in _VERBS + _GERUNDS), "verb lists need known first words"

_COMBO = r"(?<!\w)(?:ctrl|strg|alt|shift|cmd|super|win|windows|meta|command|option|maj|mayus|umschalt)\s?[+-]\s?\w"
# A key combination that opens a command is pressed: "ctrl+c that for me", "strg+z bitte".
_COMBO_START = re.compile(_COMBO)
# What may follow a bare pointer verb without naming what to click ("click please", "klick mal").
_NO_TARGET = re.compile(r"(?:\W|mal|bitte|please|pls|plz|now|jetzt|for me|again|nochmal|stp|svp|porfa|por favor|"
                        r"s'il te plait|maintenant|ahora|ya)*")
# German compound keys: "Drucktaste", "Eingabetaste", "Leertaste".
_COMPOUND_KEY = r"|(?<!\w)\w{2,15}tasten?(?!\w)"
# Idioms where a UI verb is followed by a person: "save me some time", "bring me luck".
_NOT_AN_OBJECT = re.compile(r"\s*(?:me|us|you|him|her|them|yourself|dich|mich|sich|toi)\b"
                            r"(?! (?:to|into|the|a|an|my|your)\b)")
# A click on someone's heart or soul is a love poem, not a click ("haz clic en mi corazón").
_NOT_A_TARGET = re.compile(r"\s*(?:(?:on|en|auf|sur|in|dans) )?(?:my|your|mi|tu|mon|ma|ton|ta|mein|meinem|dein|deinem) "
                           r"(?:heart|corazon|coeur|herz(?:en)?|soul|alma|ame|seele)\b")
_COMBO_WORDS = frozenset(("ctrl", "strg", "alt", "shift", "cmd", "super", "win", "windows", "meta", "command",
                          "option", "maj", "mayus", "umschalt"))
# German compounds end in the object: "Netzwerkeinstellungen", "Postleitzahlfeld", "Suchleiste".
_GERMAN_COMPOUND = (r"(?<!\w)\w{2,20}(?:einstellungen|feld|fenster|leiste|taste|knopf|ordner|datei|menu|seite|"
                    r"symbol|tab)(?:n|s|e|en)?(?!\w)")
_OBJECT = re.compile(r"(?<!\w)(?:" + "|".join(lx.UI_OBJECTS + lx.APPS + lx.KEYS) + r")(?:s|es|n|en)?(?!\w)|"
                     + lx.WEB_ADDRESS + r"|\bqqq\b|" + _COMBO + "|" + _GERMAN_COMPOUND)
_CONTROLS = ("play", "pause", "stop", "record", "mute", "button", "btn", "icon", "link", "knopf", "schaltflache",
             "taste", "bouton", "touche", "boton", "tecla",
             "icone", "icono", "lien", "enlace", "symbol", "qqq", "tab", "key", "ok", "next", "back", "cancel",
             "continue", "submit", "save", "apply", "accept", "allow", "skip", "send", "login", "log in", "sign in",
             "weiter", "zuruck", "abbrechen", "speichern", "suivant", "annuler", "enregistrer", "siguiente",
             "cancelar", "guardar", "aceptar", "aplicar", "anwenden", "ubernehmen", "appliquer", "valider")
_ABSTRACT_ZOOM = re.compile(r"\s*on (?:the |that |this |one )?(?:\w+ )?(?:details?|specifics|parts?|aspects?|"
                            r"topics?|questions?|points?|issues?|ideas?|clauses?|story|history|reasons?|problems?|"
                            r"costs?|numbers|budget|plan|argument|section)(?!\w)")
_DROP_BY = re.compile(r"\s*(?:(?:mal|doch|einfach) )*(?:rein|vorbei) (?:bei|auf unserer|in unserem|in unseren)\b")
_FIGURATIVE = re.compile(r"(?<!\w)(?:my|your|our|mi|tu|nuestro|mon|ma|ton|ta|notre|mein(?:em|er)?|dein(?:em|er)?) "
                         r"(?:heart|corazon|coeur|herz(?:en)?|soul|alma|ame|seele)(?!\w)")
# "select the best option for a family of four", "choose the right plan": a choice to advise on.
_CHOICE = re.compile(r"\s*(?:the|a|an|la|el|le|les|los|las|den|die|das)? ?(?:best|right|better|cheapest|ideal|"
                     r"most \w+|correct|mejor(?:es)?|meilleure?s?|beste[nrs]?|passende[nrs]?|schonste[nrs]?|"
                     r"plus belles?|mas bonit[oa]s)\b")
_SELECT = re.compile(r"select|highlight|markiere?n?|wahle?n?|selectionne[rz]?|selecciona(?:r)?|marca(?:r)?")
_ALL = re.compile(r"\s*(?:(?:all|everything)(?: (?:the |of the )?(?:text|content|cells))?|the (?:whole|entire) "
                  r"(?:text|document|doc|page)|alles|den (?:ganzen|gesamten|kompletten) text|"
                  r"tout(?: le (?:texte|contenu))?|todo(?: el (?:texto|contenido))?)"
                  r"(?:\s*[.!]?\s*$|\s+(?:aus\s+)?(?:and|then|und|dann|et|puis|y|luego)\s|"
                  r"\s+(?:in|on|im|auf|dans|sur|en|de)\s(?:\S+\s){0,2}?(?:doc|document|dokument|seite|page|pagina|"
                  r"file|datei|fichier|archivo|editor|field|feld|champ|campo|cell|zelle|window|fenster|fenetre|ventana|"
                  r"spreadsheet|tabelle|tableur|hoja)s?\b)")
_SOUND_VERB = re.compile(r"mute|unmute|silencia(?:r)?|stell(?:e)?|bajale|subele")
_SOUND_WORD = re.compile(r"(?<!\w)(?:volume|sound|ton|le son|sonido|volumen|lautstarke|stumm|lautlos)(?!\w)")
_DEVICE = re.compile(r"(?<!\w)(?:pc|computer|laptop|mac|macbook|notebook|rechner|ordi|ordinateur|portable|"
                     r"ordenador|portatil|computadora|compu)(?!\w)")
_KEY_OR_CONTROL = re.compile(r"(?<!\w)(?:" + "|".join(lx.KEYS + _CONTROLS) + r")(?!\w)|" + _COMBO + _COMPOUND_KEY)
# Where typed text goes: a preposition, then a field-like word within a few words.
_FIELDS = ("field", "box", "bar", "form", "terminal", "console", "editor", "input", "cell", "window", "document",
           "tab", "search", "searchbar", "chat box", "chat field", "chat window", "address bar", "url bar",
           "password", "login", "notepad", "spreadsheet", "line", "textfeld", "feld", "eingabefeld", "suchfeld",
           "suchleiste", "leiste", "formular", "konsole", "zelle", "chatfeld", "champ", "barre", "formulaire",
           "cellule", "zone de texte", "recherche", "bloc-notes", "campo", "casilla", "barra", "formulario",
           "buscador", "consola", "celda", "bloc de notas", "cuadro del chat", "cuadro de texto", "qqq")
_TEXT_TARGET = re.compile(r"(?<!\w)(?:into|in|on|to|dans|sur|en|ins|in das|in den|im|auf)\s(?:\S+\s){0,3}?"
                          r"(?:" + "|".join(_FIELDS) + r"|[\w-]{2,20}(?:feld|leiste|fenster|zeile))"
                          r"(?:s|es|n|en)?(?!\w)")
_OPENER = re.compile(r"^(?:" + "|".join(lx.REQUEST_OPENERS) + r")(?:,|\s|$)\s*")
_MODAL = re.compile(r"^(?:can you|could you|cn you|cn u|can yu|coud you|coud u|culd you|culd u|"
                    r"would you please|would you kindly|will you|can u|could u|"
                    r"would you mind|i want you to|i need you to|i'?d like you to|i would like you to|kannst du|"
                    r"konntest du|wurdest du|konnen sie|konnten sie|wurden sie|bitte|peux-tu|peux tu|pourrais-tu|"
                    r"pourrais tu|tu peux|pouvez-vous|pouvez vous|pourriez-vous|vous pouvez|est-ce que tu peux|"
                    r"est-ce que vous pouvez|merci de|puedes|podrias|me puedes|puede|podria|quiero que|"
                    r"necesito que|(?:could you |can you )?do me a favou?r(?: and)?|"
                    r"kannst du mir einen gefallen tun(?: und)?|tu peux me rendre un service(?: et)?|"
                    r"(?:me )?haces un favor(?: y)?)\b")
_QUESTION_START = re.compile(r"^(?:" + "|".join(lx.QUESTION_STARTS) + r")\b")
_GERMAN_INFINITIVE = re.compile(r"\w+(?:en|ern|eln)")
_GERMAN_MODAL = re.compile(r"(?:kannst|konntest|wurdest|konnen|konnten|wurden) (?:du|sie)\b|bitte\b|"
                           r"kannst du mir einen gefallen tun")
_SENTENCES = re.compile(r"[^.!?;\n]+(?:[.!?;]+(?=\s|$)|\n|$)|[^\n]+")
_ON = re.compile(r"\s*(?:on|onto|auf|sur|en|a|al)\b")
_SEGMENT_BREAK = re.compile(r",|:|\s(?:and|then|und|dann|danach|et|puis|ensuite|y|luego|despues)\s")
_NEG_END = Lexicon(lx.NEGATION_END)
_NEGATION = Lexicon(lx.NEGATION + ("n'",))
_PSEUDO_NEGATION = Lexicon(lx.PSEUDO_NEGATION)
_MODE_NAMES = Lexicon(lx.MODE_NAMES)
_PAST = Lexicon(lx.PAST)
_SPACES = re.compile(r"  +")


def has_desktop_verb(text: str, words: frozenset[str]) -> bool:
    """Some desktop verb occurs anywhere, even negated or in the past (a feature, not a permission)."""
    return not VERB_WORDS.isdisjoint(words) and any(lexicon.search(text, words) for _, lexicon in _VERBS)


def find_action(unquoted: str, frames: set[str]) -> str | None:
    """The first segment that commands a desktop action; notes "past", "negated_act", "question" in `frames`."""
    found = None
    if "  " in unquoted:  # 'gib "X" ins Suchfeld ein': the quote placeholder's spaces are one gap
        unquoted = _SPACES.sub(" ", unquoted)
    for sentence in _SENTENCES.findall(unquoted):
        action = _sentence_action(sentence.strip(), frames)
        found = found or action
    return found


def _sentence_action(sentence: str, frames: set[str]) -> str | None:
    if not sentence:
        return None
    words = words_of(sentence)
    if VERB_WORDS.isdisjoint(words) and _COMBO_WORDS.isdisjoint(words):
        return None
    is_question = sentence.rstrip().endswith("?")
    request = False  # a polite request ("can you ... and close X?") covers the segments after it
    cleaned = _PSEUDO_NEGATION.sub(" ", _MODE_NAMES.sub(QUOTE_MARK, sentence, words), words)
    found = None
    for clause in _clauses(cleaned, words):
        negated = _NEGATION.search(clause, words) is not None
        start = 0
        for brk in [*_SEGMENT_BREAK.finditer(clause), None]:
            end = brk.start() if brk else len(clause)
            segment = clause[start:end].strip(" ?!.;")
            tail = clause[start:]
            start = brk.end() if brk else end
            if _PAST.search(segment, words_of(segment)):
                frames.add("past")  # "I clicked Save", "j'ai fini": what happened, not what to do
                continue
            request = request or _openers(segment, False)[1]
            action = _segment_action(segment, tail, is_question, frames, request)
            if action is None:
                continue
            if negated:
                frames.add("negated_act")
                continue
            found = found or action
    return found


def _clauses(sentence: str, words: frozenset[str]) -> list[str]:
    """Cut before each word that ends a negation's scope ("but", "just", "aber", "mais", "pero")."""
    if _NEG_END.triggers is not None and _NEG_END.triggers.isdisjoint(words):
        return [sentence]
    parts, start = [], 0
    for match in _NEG_END.regex.finditer(sentence):
        parts.append(sentence[start:match.start()])
        start = match.start()
    parts.append(sentence[start:])
    return parts


def _segment_action(segment: str, tail: str, is_question: bool, frames: set[str], request: bool = False) -> str | None:
    """`segment` if it commands a desktop action; `tail` (the clause from the segment on) holds its object.

    `request`: an earlier segment of the sentence already asked politely ("could you do me a favor and ...").
    """
    tokens = segment.split()
    if not tokens:
        return None
    if VERB_WORDS.isdisjoint(re.findall(r"\w+", " ".join(tokens[:9] + tokens[-1:]))):
        rest = _openers(segment, request)[0]
        combo = _COMBO_START.match(rest)
        return segment if combo and not is_question and not _QUESTION_START.match(rest) else None
    rest, modal = _openers(segment, request)
    if not rest:
        return None
    gerund = _MIND.search(segment) is not None
    if not modal and (_QUESTION_START.match(rest) or is_question):
        if _verb_at(rest, anywhere=True):
            frames.add("question")
        return None
    verb = _verb_at(rest, anywhere=False, gerund=gerund)
    if verb is None and modal:
        verb = _modal_verb(rest, _GERMAN_MODAL.search(segment) is not None)
    if verb is None:
        return None
    kind, end = verb
    offset = tail.find(rest)
    after = tail[offset + end:] if offset >= 0 and not modal else tail
    if kind == "pointer" and rest.startswith("zoom") and _ABSTRACT_ZOOM.match(rest[end:]):
        return None  # "zoom in on the details of the contract": look closer at a topic, not at the screen
    if kind == "pointer":
        # "click" or "scroll" alone names no target: a word, not a request ("click it", "scroll down" are).
        remainder = rest[end:]
        if modal and end == len(rest) and " " in rest.strip():  # German verb-final: the target came first
            remainder = rest.rsplit(" ", 1)[0]
        # "klick dich durch die Optionen" is browsing through a list, not a click.
        if _DROP_BY.match(remainder):  # "klick mal rein bei uns": come and see us, ad copy
            return None
        if _NO_TARGET.fullmatch(remainder) or _NOT_AN_OBJECT.match(remainder) or _NOT_A_TARGET.match(remainder):
            return None
        return segment
    near = _near(after)  # what the verb acts on is named right after it, not at the end of a long clause
    if _FIGURATIVE.search(near):  # "hit save on my heart", "pulsa el botón de tu alma": a love line
        return None
    if _CHOICE.match(near) and _SELECT.fullmatch(rest[:end]):  # "select the best option for ...": advice
        return None
    if kind == "key":
        # "press Enter", "hit the Save button"; any object only after "on" ("tap on the first video"),
        # so that "hit song ideas" is no action.
        if _KEY_OR_CONTROL.search(near) or (_ON.match(near) and _OBJECT.search(near)):
            return segment
        return None
    if kind == "text":
        return segment if _TEXT_TARGET.search(after) else None
    if _NOT_AN_OBJECT.match(near):
        return None
    if _OBJECT.search(near):
        return segment
    verb_text = rest[:end]
    # "select all the text", "markier den ganzen Text", "selecciona todo": the whole document is the object.
    if _SELECT.fullmatch(verb_text) and _ALL.match(near):
        return segment
    # "mute my pc", "silencia mi portátil", "stell meinen Laptop auf stumm": the computer's sound.
    if (_SOUND_VERB.fullmatch(verb_text) or _SOUND_WORD.search(near)) and _DEVICE.search(near):
        return segment
    return None


def _near(after: str, words: int = 7) -> str:
    """The first few words after a verb (the whole text when it is short)."""
    parts = after.split(maxsplit=words)
    return after if len(parts) <= words else " ".join(parts[:words])


def _openers(segment: str, modal: bool) -> tuple[str, bool]:
    """The segment without its polite openers ("ok please", "can you"), and whether one asked politely."""
    rest = segment
    for _ in range(5):
        if _MODAL.match(rest):
            modal = True
        stripped = _OPENER.sub("", rest, count=1)
        if stripped == rest:
            break
        rest = stripped
    return rest, modal


def _modal_verb(rest: str, german: bool) -> tuple[str, int] | None:
    """After "can you", "kannst du", "peux-tu", "puedes": the verb comes within three words, or, after a
    German modal only, as the infinitive at the end ("kannst du bitte das Fenster schließen")."""
    words = rest.split()
    near = " ".join(words[:4])
    verb = _verb_at(near, anywhere=True)
    if verb is not None and near[:verb[1]].count(" ") <= 3:
        return verb
    if german and words and _GERMAN_INFINITIVE.fullmatch(words[-1]):
        last = _verb_at(words[-1], anywhere=False)
        if last is not None:
            return last[0], len(rest)
    return None


def _verb_at(text: str, anywhere: bool, gerund: bool = False) -> tuple[str, int] | None:
    """Which kind of desktop verb starts `text` (or occurs in it, for modal requests)."""
    best: tuple[int, str, int] | None = None
    for kind, lexicon in _VERBS + (_GERUNDS if gerund else ()):
        match = lexicon.regex.search(text) if anywhere else lexicon.regex.match(text)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), kind, match.end())
    return (best[1], best[2]) if best else None
