"""Guards and the act gate: what counts as a clean imperative desktop action, in four languages."""
import pytest

from alphaomega.pipelines.routing import dataset, gate
from alphaomega.pipelines.routing.cues import CUES
from alphaomega.pipelines.routing.guards import FRAMES, analyse
from alphaomega.pipelines.routing.matching import Lexicon, first_words, words_of


@pytest.mark.parametrize("text", [
    "hit the Save button for me", "Click on the Firefox icon", "press ctrl+s", "scroll down a bit",
    "type 'hello world' into the search box", "fill in the form with my address", "open a new terminal window",
    "could you please close Spotify?", "go to youtube.com", "turn on do not disturb",
    "Klick mal auf Speichern", "Kannst du bitte das Fenster schließen?", "Öffne Firefox", "Drück Enter",
    "öffne die Netzwerkeinstellungen", "Mach das Fenster zu",
    "Clique sur Envoyer", "Tu peux fermer l'onglet ?", "Appuie sur Entrée", "Réduis toutes les fenêtres",
    "Haz clic en Aceptar", "¿Puedes cerrar la pestaña?", "Abre Chrome", "Pulsa Windows+D",
    "click it", "ctrl+c that for me", "get rid of that popup", "accept the cookie banner", "hit play on spotify",
    "Stell die Lautstärke leiser", "Kannst du das Bluetooth ausschalten?", "Va tout en bas de la page",
    "Entra en gmail.com", "right click on the file and rename it to notes.txt",
])
def test_imperative_desktop_actions_pass(text):
    analysis = analyse(text)
    assert analysis.act_allowed, (analysis.frames, analysis.act_segment)


@pytest.mark.parametrize("text, frame", [
    ("how do I force-quit an app on a Mac?", "howto"),
    ("what's the shortcut to close a tab in Chrome?", "howto"),
    ("wie kann ich das Fenster schließen", "howto"),
    ("comment fermer une fenêtre sur mac", "howto"),
    ("¿cómo cierro una pestaña en chrome?", "howto"),
    ("I pressed enter and nothing happened", "past"),
    ("Ich habe auf Speichern geklickt", "past"),
    ("J'ai cliqué sur OK et rien ne se passe", "past"),
    ("hice clic en guardar y no pasó nada", "past"),
    ("What happens if I press alt+f4?", "hypothetical"),
    ("Should I click accept on the cookie banner?", "hypothetical"),
    ("Was passiert, wenn ich auf Löschen klicke?", "hypothetical"),
    ("Que se passe-t-il si je clique sur Supprimer ?", "hypothetical"),
    ("¿Qué pasa si pulso Alt+F4?", "hypothetical"),
    ("My boss told me to click the link in the email", "reported"),
    ("Jemand hat mir gesagt, ich soll auf den Link klicken", "reported"),
    ("On m'a dit de cliquer sur le lien", "reported"),
    ("Me dijeron que hiciera clic en el enlace", "reported"),
    ("write a Selenium test that presses Login", "code_request"),
    ("Schreib ein Python-Skript, das auf OK klickt", "code_request"),
    ("don't touch anything, just tell me what you see", "look_only"),
    ("ne clique sur rien, lis-moi juste le message", "look_only"),
    ("no toques nada, solo dime lo que ves", "look_only"),
    ("open the window, it's hot in here", "elsewhere"),
    ("can you click buttons for me?", "capability"),
    ("Tu peux ouvrir des applis sur mon ordinateur ?", "capability"),
    ("Escribe una guía para mi abuela: abrir Chrome, hacer clic en los tres puntos", "compose"),
    ("remember that the Save button is blue", "memory_talk"),
    ("Schließ das Fenster nicht", "negated_act"),
    ("Why does pressing F5 reload the page?", "question"),
    ("```\nclick the save button\n```", "code_fence"),
    ("please click save. " * 40, "too_long"),
    ("Translate to German: Click the Save button to continue.", "text_task"),
    ("Traduce al inglés: Haga clic en Guardar para continuar.", "text_task"),
    ("scroll back up to your first answer, it was better", "conversation"),
    ("lösch den letzten Absatz und schreib das Ende neu", "conversation"),
    ('Öffne die Notiz "Geschenkideen"', "memory_talk"),
    ("save the email draft for later", "memory_talk"),
    ("open the pdf I uploaded and summarize it", "elsewhere"),
    ("Abre el PDF que subí y resúmelo", "elsewhere"),
    ("Steps from the forum: open regedit, go to HKEY_LOCAL_MACHINE, delete the key. Safe?", "reported"),
    ("Open Outlook and click File, then enable the plugin. Is this legit?", "asks_question"),
    ("play me a song... just kidding, recommend one", "hypothetical"),
    ("Summarize this email:\nHi all, please click the link below to register.", "quoted"),
])
def test_talking_about_an_action_is_not_an_action(text, frame):
    analysis = analyse(text)
    assert frame in analysis.frames
    assert not analysis.act_allowed


@pytest.mark.parametrize("text", [
    'What does "click here to continue" mean?', "translate 'press the button' into German",
    "Écris un limerick sur un chat", "write a prompt for stable diffusion", "Start a word game with me",
    "Open the pod bay doors", "Drück mir die Daumen für die Prüfung!", "press release template",
    "click", "scroll", "klick mal", "copy this text and make it more polite", "turn on the charm: write a flirty text",
    "save me some time and summarize the French revolution in five lines", "launch day checklist for my app",
    "klick dich durch diese Optionen und sag mir die beste", "delete all the sad songs from my life lol",
])
def test_quoted_or_unrelated_wording_has_no_imperative_action(text):
    assert not analyse(text).act_allowed


def _probabilities(act: float) -> dict[str, float]:
    rest = (1 - act) / 5
    return {"computer_use_act": act, "computer_use_observe": rest, "chat": rest * 2, "code_generation": rest,
            "image_generation": rest * 0.5, "tools": rest * 0.5}


def test_the_act_gate_needs_confidence_and_a_clean_imperative():
    clean = analyse("click the Save button")
    assert gate.act_verdict(clean, _probabilities(0.9))[0]
    assert not gate.act_verdict(clean, _probabilities(0.5))[0]
    howto = analyse("how do I click the Save button?")
    allowed, why = gate.act_verdict(howto, _probabilities(0.99))
    assert not allowed and "howto" in why


def test_a_refused_action_falls_back_to_observe_only_for_screen_requests():
    look = analyse("don't click anything, just read the error on my screen")
    assert gate.fallback(look, _probabilities(0.9)) == "computer_use_observe"
    howto = analyse("how do I close this window?")
    assert gate.fallback(howto, _probabilities(0.9)) == "chat"


def test_the_first_word_prefilter_never_changes_a_result():
    """`Lexicon.search` skips the regex when none of its first words occurs; it must agree with the regex."""
    texts = [analyse(e.text).unquoted for e in dataset.load(with_tasks=False)]
    lexicons = [lexicon for lexicon in [*FRAMES.values(), *CUES.values()] if isinstance(lexicon, Lexicon)]
    assert len(lexicons) > 20
    for text in texts:
        words = words_of(text)
        for lexicon in lexicons:
            assert (lexicon.search(text, words) is None) == (lexicon.regex.search(text) is None), lexicon.regex.pattern


@pytest.mark.parametrize("entry, words", [
    (r"klick(?:e|en|st)?", {"klick", "klicke", "klicken", "klickst"}),
    (r"(?:o|oe)ffne(?:n)?", {"offne", "offnen", "oeffne", "oeffnen"}),
    (r"don'?t", {"don", "dont"}),
    (r"memori[sz]e", {"memorise", "memorize"}),
    (r"mach(?:e)?(?=(?: \S+){1,5} zu\b)", {"mach", "mache"}),
    (r"(?<!vs )code(?! postal)", {"code"}),
    (r"wie \w+ (?:ich|man)\b", {"wie"}),
    (r"klick\w*", None),
    (r"\w+liste", None),
])
def test_first_words_of_an_entry(entry, words):
    assert first_words([entry]) == (None if words is None else frozenset(words))


def test_the_lexicons_do_not_trigger_on_the_commonest_words():
    """A first word such as "the" would make the prefilter useless (the regex would run on every message)."""
    common = {"the", "a", "an", "to", "of", "and", "der", "die", "das", "und", "le", "la", "les", "de", "et", "el",
              "los", "y", "en"}
    for name, lexicon in FRAMES.items():
        assert lexicon.triggers is None or not (lexicon.triggers & common), name
    for name, cue in CUES.items():
        triggers = getattr(cue, "triggers", None)
        assert triggers is None or not (triggers & common), name
