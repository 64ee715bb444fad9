"""Behaviour fixed after blind5's first run, checked with new sentences (in no data file).

Classes: the computer's own sound ("mute my pc") is an action, the TV's, the radio's or the car's is not;
"select all (the text)" names its object; a look-only request is observe and a command taken back is not
a look; the time or weather somewhere "right now" is chat; costumed subjects ("show me a cat dressed as
..."), illustrated stories and verbless picture specs ("phone wallpaper: ...") are pictures; a 4K monitor is
hardware, not an art style; "enlève l'arrière-plan" edits an attached photo. Act false positives found
by probing: "select the best option for ..." is advice, "hit save on my heart" a love line, "zoom in on the
details of ..." a closer look at a topic. Figurative drawing ("draw a comparison", "paint a picture with
words") is chat, and "I'm on a budget" is not the screen ("I'm on the payment page" is); "klick mal rein bei
uns" is ad copy, "save more often" / "geh auf Nummer sicher" advice, "select the most beautiful photos" a choice.
"""
import pytest

from alphaomega.pipelines.router import route
from alphaomega.pipelines.routing import dataset
from alphaomega.pipelines.routing.guards import analyse

ACT = "computer_use_act"
OBSERVE = "computer_use_observe"
IMAGE = "image_generation"

CASES = [
    ("unmute the laptop, I can't hear the call", False, ACT),
    ("schalte meinen Rechner stumm", False, ACT),
    ("coupe le son du PC", False, ACT),
    ("silencia la computadora", False, ACT),
    ("mach den Ton am Computer lauter", False, ACT),
    ("select all in this spreadsheet and copy it", False, ACT),
    ("markier den gesamten Text und lösch ihn", False, ACT),
    ("sélectionne tout et copie-le", False, ACT),
    ("selecciona todo y cópialo", False, ACT),
    ("turn the volume up on the tv", False, "chat"),
    ("baja el volumen de la tele, porfa", False, "chat"),
    ("mach das Radio im Auto lauter", False, "chat"),
    ("baisse le son de la télévision", False, "chat"),
    ("mute the telly, the ads are on", False, "chat"),
    ("markier alles, was falsch ist, im Aufsatz unten", False, "chat"),
    ("select all the fruits that are red", False, "chat"),
    ("please don't touch anything, just tell me what you can see", False, OBSERVE),
    ("nichts drücken, nur schauen, was auf dem Monitor los ist", False, OBSERVE),
    ("what time is it in Denver right now", False, "chat"),
    ("quelle heure est-il à Rome en ce moment", False, "chat"),
    ("qué hora es en Lima ahora", False, "chat"),
    ("wie spät ist es gerade in Rom", False, "chat"),
    ("show me a penguin wearing a scarf", False, IMAGE),
    ("illustrate my daughter's poem about the sea", False, IMAGE),
    ("fond d'écran pour ma tablette : un renard dans la neige", False, IMAGE),
    ("retire l'arrière-plan de cette image", True, IMAGE),
    ("is a 4k tv worth it for a small room", False, "chat"),
    ("lohnt sich ein 4K-Monitor für Büroarbeit", False, "chat"),
    ("close spotify. actually never mind", False, "chat"),
    ("select the cheapest option for a weekend in Rome: train or plane", False, "chat"),
    ("wähle die passende Option für meine Oma aus: Tablet oder Handy", False, "chat"),
    ("press play on my heart, you're my favourite song", False, "chat"),
    ("zoom in on the costs of the wedding for me, what can we cut", False, "chat"),
    ("select the first option in that dropdown", False, ACT),
    ("zoom in on this page, I can't read it", False, ACT),
    ("draw a comparison between a 529 plan and a savings account", False, "chat"),
    ("paint me a picture with words of a rainy afternoon in Paris", False, "chat"),
    ("zeichne mir den Unterschied zwischen Bausparvertrag und Tagesgeld auf", False, "chat"),
    ("keep in mind I'm on a low-salt diet this month", False, "tools"),
    ("I'm on the payment page, does this total look right to you?", False, OBSERVE),
    ("klick doch mal rein bei uns, neuer Onlineshop mit Rabatt", False, "chat"),
    ("geh auf Nummer sicher und drück öfter Strg+S", False, "chat"),
    ("save your work more often, that's my tip for the kids", False, "chat"),
    ("sélectionne les plus belles photos pour le calendrier de mamie", False, "chat"),
    ("cn u press escape", False, ACT),
    ("coud you clik on the next buton", False, ACT),
]


@pytest.mark.parametrize("text, has_image, intent", CASES)
def test_round5_classes(text, has_image, intent):
    assert route(text, has_image).intent == intent


def test_round5_sentences_are_new():
    everything = (dataset.load(with_tasks=False) + dataset.load_adversarial() + dataset.load_fresh()
                  + dataset.load_blind3() + dataset.load_blind4() + dataset.load_blind5())
    known = {e.text.strip().lower() for e in everything}
    assert not [text for text, _, _ in CASES if text.lower() in known]


@pytest.mark.parametrize("text", ["mute my laptop", "silencia el portátil", "stell den Rechner auf stumm",
                                  "select all and copy it", "wähle alles aus und kopier es"])
def test_the_computer_sound_and_select_all_are_imperative_actions(text):
    assert analyse(text).act_segment is not None


@pytest.mark.parametrize("text", ["mute the tv", "stell das Radio leiser", "turn the sound down in the car",
                                  "baja la tele"])
def test_other_devices_sound_is_never_allowed_as_an_action(text):
    assert not analyse(text).act_allowed


def test_a_command_taken_back_is_its_own_frame_not_a_look():
    frames = analyse("open chrome... wait, no, scratch that").frames
    assert "taken_back" in frames and "look_only" not in frames
    assert "look_only" in analyse("don't click anything, only describe it").frames
