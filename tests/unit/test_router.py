"""The router's public contract: intents, decisions, overrides, background tasks, images, bad input."""
import dataclasses
import json
import threading

import pytest

from alphaomega.pipelines import router
from alphaomega.pipelines.router import INTENTS, Decision, classify, detect_task, route
from alphaomega.pipelines.routing import dataset

TEMPLATES = json.loads((dataset.DATA_DIR / "task_templates.json").read_text(encoding="utf-8"))["templates"]


def test_intents_are_the_contract():
    assert INTENTS == ("computer_use_observe", "computer_use_act", "image_generation", "vision",
                       "code_generation", "chat", "tools")


def test_decision_is_frozen_and_carries_the_text_for_the_agent():
    decision = Decision("chat", 0.5, "why")
    assert decision.text == ""
    with pytest.raises(dataclasses.FrozenInstanceError):
        decision.intent = "code_generation"  # type: ignore[misc]
    assert route("tell me a joke").text == "tell me a joke"


@pytest.mark.parametrize("text, has_image, intent", [
    ("hit the Save button for me", False, "computer_use_act"),
    ("can you read the error in my terminal window?", False, "computer_use_observe"),
    ("a watercolor fox on a pier", False, "image_generation"),
    ("write a Selenium test that presses Login", False, "code_generation"),
    ("remember that I'm allergic to peanuts", False, "tools"),
    ("is OLED worth it for a laptop?", False, "chat"),
    ("how do I force-quit an app on a Mac?", False, "chat"),
    ("I pressed enter and nothing happened", False, "chat"),
    ("don't touch anything, just tell me what you see", False, "computer_use_observe"),
    ("what's in this picture?", True, "vision"),
    ("turn this photo into a watercolor painting", True, "image_generation"),
    ("Klick auf Speichern", False, "computer_use_act"),
    ("Wie mache ich einen Screenshot unter Windows?", False, "chat"),
    ("Dessine un chat en ASCII art", False, "chat"),
    ("Haz clic en Aceptar", False, "computer_use_act"),
])
def test_examples_from_the_issue(text, has_image, intent):
    assert route(text, has_image).intent == intent


@pytest.mark.parametrize("text, intent", [
    ("make it better", "chat"),  # a follow-up on a text: no picture is named
    ("try again", "chat"),
    ("another one", "chat"),
    ("click", "chat"),  # a verb alone names nothing to click
    ("make the sky orange instead of blue", "image_generation"),
    ("how do I press and release a key with pynput?", "code_generation"),
    ("in Qt, how do I disable the close button of a dialog?", "code_generation"),
    ("save that answer as a note", "tools"),
    ("do you still know what city I live in?", "tools"),
    ("ctrl+a then ctrl+c please", "computer_use_act"),
    ("Translate to German: Click the Save button to continue.", "chat"),
])
def test_round_two_examples(text, intent):
    assert route(text).intent == intent


def test_classify_is_the_intent_of_route():
    sample = dataset.load(with_tasks=False)[::17]
    assert all(classify(e.text, e.has_image) == route(e.text, e.has_image).intent for e in sample)


@pytest.mark.parametrize("text, intent, rest", [
    ("/image a red fox in the snow", "image_generation", "a red fox in the snow"),
    ("/IMAGE   a red fox", "image_generation", "a red fox"),
    ("/code why is the sky blue?", "code_generation", "why is the sky blue?"),
    ("/screen", "computer_use_observe", ""),
    ("/do click the Save button", "computer_use_act", "click the Save button"),
    ("/chat click the Save button", "chat", "click the Save button"),
    ("  /remember I like green tea", "tools", "I like green tea"),
])
def test_a_leading_override_forces_the_route_and_is_stripped(text, intent, rest):
    decision = route(text)
    assert (decision.intent, decision.text, decision.confidence) == (intent, rest, 1.0)
    assert "override" in decision.reason


@pytest.mark.parametrize("text", ["/imagine a cat", "please /image a cat", "/images of cats", "path /do/this"])
def test_only_a_leading_known_command_is_an_override(text):
    decision = route(text)
    assert "override" not in decision.reason and decision.text == text


def _render(template: str, user_text: str) -> str:
    history = f"USER: {user_text}\nASSISTANT: Sure, I can help with that."
    return (template.replace("{{MESSAGES:END:2}}", history).replace("{{MESSAGES:END:6}}", history)
            .replace("{{prompt}}", user_text).replace("{{PROMPT}}", user_text[:20]).replace("{{TYPE}}", "General")
            .replace("{{CURRENT_DATE}}", "2026-01-01").replace("{{EARLIER}}", user_text)
            .replace("{{REPLY}}", "ok").replace("{{responses}}", "[]"))


@pytest.mark.parametrize("name", sorted(TEMPLATES))
@pytest.mark.parametrize("user_text", ["click the Save button for me", "draw a cat wearing a spacesuit",
                                       "/do close all windows", "öffne Firefox und klick auf Login"])
def test_openwebui_background_tasks_are_chat(name, user_text):
    text = _render(TEMPLATES[name], user_text)
    assert detect_task(text) is not None
    decision = route(text)
    assert decision.intent == "chat" and "background task" in decision.reason


def test_an_inlet_task_name_wins_and_ordinary_text_is_no_task():
    assert detect_task("click the Save button", "title_generation") == "title_generation"
    assert detect_task("### Tasks for today: click Save") is None
    assert detect_task("History of the Roman empire\nQuery: why did it fall?") is None
    assert detect_task('History:\nUSER: """click save"""\nQuery: click save') == "function_calling"


@pytest.mark.parametrize("text", ["click the button circled in this screenshot", "close this window",
                                  "press enter", "what is this?", "", "   "])
def test_an_attached_image_never_routes_to_an_action(text):
    assert route(text, has_image=True).intent in ("vision", "image_generation")


@pytest.mark.parametrize("text", [None, 123, b"click save", "", " \n\t", "\x00" * 10, "🙂" * 50, "a" * 100_000,
                                  "click " * 20_000, '"' * 5000, "(" * 5000 + ")" * 5000, "'" * 5000,
                                  "```" * 3000, "не нажимай кнопку", "انقر على زر الحفظ", "点击保存按钮",
                                  "no " * 3000 + "click save", "?" * 10_000])
def test_bad_or_huge_input_never_raises(text):
    decision = route(text)  # type: ignore[arg-type]
    assert decision.intent in INTENTS and 0.0 <= decision.confidence <= 1.0
    assert route(text, has_image=True).intent in ("vision", "image_generation")  # type: ignore[arg-type]


def test_a_broken_model_falls_back_to_chat_and_never_raises(monkeypatch):
    from alphaomega.pipelines.routing import model

    def broken():
        raise ValueError("weights.json is damaged")

    monkeypatch.setattr(model, "shipped", broken)
    decision = route("click the Save button")
    assert (decision.intent, decision.confidence) == ("chat", 0.0) and "router failed" in decision.reason
    assert route("what is this?", has_image=True).intent == "vision"
    assert route("/do click the Save button").intent == "computer_use_act"  # an explicit override needs no model


def test_decisions_are_the_same_from_many_threads():
    sample = dataset.load(with_tasks=False)[::5]
    expected = [route(e.text, e.has_image) for e in sample]
    results: dict[int, list[Decision]] = {}

    def work(index: int) -> None:
        results[index] = [route(e.text, e.has_image) for e in sample]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(result == expected for result in results.values())


def test_how_to_and_look_only_messages_are_not_actions():
    assert route("how do I click the Save button in Word?").intent != router.ACT
    assert route("don't click anything, just tell me what the popup says").intent == "computer_use_observe"


@pytest.mark.parametrize("text", [
    "could you scroll quicker than my grandson?",  # comparing skills asks about the assistant, not for a scroll
    "kannst du genauer klicken als ein Mensch?",
    "est-ce que tu tapes mieux que moi ?",
    "¿puedes escribir más rápido que un humano?",
    "zieh bitte das Fenster zu, hier ist Zugluft",  # a real window, not one on the desktop
    "shut the window, it's drafty in the study",
    "ferme la fenêtre de la cuisine, il y a un courant d'air",
])
def test_round_three_capability_comparisons_and_draughts_are_never_actions(text):
    assert route(text).intent != router.ACT


@pytest.mark.parametrize("text, intent", [
    ("wie war nochmal die Nummer von meinem Hausarzt?", "tools"),  # recalling a stored fact
    ("c'était quoi déjà l'adresse de ma nounou ?", "tools"),
    ("¿cuál era el cumpleaños de mi cuñado?", "tools"),
    ("trag dir bitte ein, dass mein Sohn Laktose nicht verträgt", "tools"),
    ("is the video export finished? have a look", "computer_use_observe"),
    ("¿ya acabó la instalación? échale un vistazo", "computer_use_observe"),
    ("mon écran d'ordinateur est cassé, ça vaut le coup de le réparer ?", "chat"),
    ("explícame este error: FileNotFoundError: no such file 'datos.csv'", "code_generation"),
])
def test_round_three_examples(text, intent):
    assert route(text).intent == intent


@pytest.mark.parametrize("text, intent", [
    ('trag "Urlaubsantrag Juli" ins Betreff-Feld ein', "computer_use_act"),  # quoted text into a compound field
    ("schreib Müller ins Namensfeld", "computer_use_act"),
    ("setz bitte das Häkchen bei den AGB", "computer_use_act"),
    ("akzeptiere die Cookies im Banner", "computer_use_act"),
    ("después pulsa Aplicar", "computer_use_act"),
    ("zoome dans le document", "computer_use_act"),
    ("peux-tu fermer tous les onglets de YouTube ?", "computer_use_act"),  # "all the tabs": particular ones
    ("noch einer, aber mit drei Pferden", "image_generation"),  # a visible change to the last picture
    ("encore une, mais avec deux chiens", "image_generation"),
])
def test_round_three_actions_and_picture_follow_ups(text, intent):
    assert route(text).intent == intent


@pytest.mark.parametrize("text", [
    'what does "gib das Passwort ins Feld ein" mean in English?',  # quoted, asked about
    "tu peux fermer des fenêtres, toi ?",  # a generic plural: a capability question
    "is the zoom lens worth it for birds?",
])
def test_round_three_near_misses_are_not_actions(text):
    assert route(text).intent != router.ACT


@pytest.mark.parametrize("text, intent", [
    ("is Kotlin hard to learn for a beginner?", "chat"),  # learning a language is advice
    ("¿hay algún programa de código abierto para hacer facturas?", "chat"),
    ("what's my IP address and can others see it?", "chat"),  # the network knows it, not the memory
    ("which notes are in an A minor scale?", "chat"),
    ("how long should I brew black tea?", "chat"),
    ("illustrate how inflation works with an example", "chat"),
    ("write a program that sorts a list of names alphabetically", "code_generation"),
    ("was steht in dem Fenster unten links?", "computer_use_observe"),
    ("la page que j'ai ouverte parle de quoi ?", "computer_use_observe"),
    ("siehst du das auch so, dass Kaffee ungesund ist?", "chat"),  # agreeing, not looking
])
def test_round_three_held_out_classes(text, intent):
    assert route(text).intent == intent


def test_a_long_german_separable_verb_still_acts_and_a_bucket_does_not():
    assert route("füll bitte das Kontaktformular im Browser mit meiner Privatadresse aus").intent == router.ACT
    assert route("füll den Eimer mit Wasser aus dem Garten, dann gieß die Tomaten").intent != router.ACT


@pytest.mark.parametrize("text", [
    "pulsa guardar si quieres conservar los cambios",  # "if you want", as English "if you": advice, not a command
    "appuie sur valider si tu es d'accord",
    "drück auf Übernehmen, wenn du fertig bist",
    "setz ein Häkchen hinter jeden erledigten Punkt der Liste",  # ticking items of a text list
])
def test_round_three_conditionals_and_text_ticks_are_not_actions(text):
    assert route(text).intent != router.ACT


@pytest.mark.parametrize("text", ["noch eins, aber mit zwei Strophen", "another one but with three verses",
                                  "otra, pero con dos ejemplos"])
def test_another_one_with_more_verses_is_a_text_follow_up(text):
    assert route(text).intent == "chat"


@pytest.mark.parametrize("text", [
    "hit the big red button, the old commercial said",  # reported after the words
    "open the window to your soul is what my yoga teacher says",
    "drück auf den Knopf, sagte die Stimme im Traum",
    "cierra la puerta al pasado, decía mi abuela",
    "dale al tarro, que tú sabes la respuesta",  # idiom: use your head
    "put the kettle on please, we're coming home in ten",
])
def test_round_three_reported_idioms_and_kitchens_are_not_actions(text):
    assert route(text).intent != router.ACT


def test_a_click_on_my_heart_is_a_poem_and_the_heart_under_a_photo_is_a_button():
    assert route("clique sur mon cœur, titre de chanson, t'en penses quoi ?").intent != router.ACT
    assert route("click the heart icon under my sister's photo").intent == router.ACT


@pytest.mark.parametrize("text", ["crontab entry that runs cleanup.sh every night at 2",
                                  "my backup.py stops with an error at line 12, what is wrong?"])
def test_cron_and_script_file_names_are_code(text):
    assert route(text).intent == "code_generation"


@pytest.mark.parametrize("text", [
    "press ok press ok press ok, why does windows ask so much",  # a complaint, not a command
    "klick auf weiter, warum dauert das immer so lange",
    "clickbait headlines for my knitting blog, give me five",
    "click-through rate of a good newsletter?",
])
def test_round_three_complaints_and_clickbait_are_not_actions(text):
    assert route(text).intent != router.ACT


def test_the_idiom_drueck_auf_die_tube_is_no_click():
    assert route("drück mal auf die Tube, der Zug fährt gleich").intent != router.ACT
    assert route("drück auf den Weiter-Knopf").intent == router.ACT


@pytest.mark.parametrize("text", [
    "can you actually scroll through my inbox or is that a fake feature?",  # doubt about the ability itself
    "could you really close my browser tabs for me?",
    "can u even press keys on my pc",
    "kannst du überhaupt meinen Browser schließen oder ist das nur ein Trick?",
    "kannst du eigentlich mein Mailprogramm öffnen?",
    "tu peux vraiment ouvrir mon navigateur ou c'est juste de la pub ?",
    "t'es capable de fermer mon terminal ?",
    "¿de verdad puedes abrir mi navegador o es solo humo?",
    "¿puedes realmente cerrar mis pestañas?",
])
def test_round_four_doubt_about_an_ability_is_a_capability_question(text):
    assert route(text).intent != router.ACT


@pytest.mark.parametrize("text", [
    "close the window, I'm freezing",  # heat or cold: a window in the room
    "open the window please, it's super stuffy",
    "öffne das Fenster, ich schwitze",
    "ferme la fenêtre, il fait un froid de canard",
    "ouvre la fenêtre, quelle chaleur aujourd'hui",
    "cierra la ventana, que hace un frío que pela",
    "abre la ventana, me muero de calor",
])
def test_round_four_heat_or_cold_makes_a_window_physical(text):
    assert route(text).intent != router.ACT


def test_round_four_desktop_windows_without_heat_still_act():
    assert route("close the Spotify window").intent == router.ACT
    assert route("cierra la ventana del navegador").intent == router.ACT


@pytest.mark.parametrize("text, has_image, intent", [
    ("need a flyer for our street party, summer colours", False, "image_generation"),  # "need" without "I"
    ("a colouring sheet with a castle and a knight", False, "image_generation"),
    ("une page de coloriage avec des chevaux", False, "image_generation"),
    ("remove the man walking behind us", True, "image_generation"),  # an edit of the attached photo
    ("enlève la voiture garée derrière nous", True, "image_generation"),
    ("for future reference, my gym is open until 10", False, "tools"),
    ("la commande linux pour compter les lignes d'un fichier ?", False, "code_generation"),
    ("why does my useMemo recompute on every render?", False, "code_generation"),
    ("draw the drapes, the neighbours can see in", False, "chat"),  # "draw" without a picture
])
def test_round_four_classes(text, has_image, intent):
    assert route(text, has_image).intent == intent


@pytest.mark.parametrize("text", [
    "shut the window, it's raining onto my keyboard",  # rain, insects, smells, neighbours: a window in the room
    "close the window quick, there are wasps on the sill",
    "schließ das Fenster, es regnet auf die Couch",
    "ferme la fenêtre, les moustiques vont entrer",
    "cierra la ventana, que llueve y se moja el suelo",
    "open the window, it smells of paint",
    "open the kitchen window a crack",
    "close the window, the neighbours are listening",
    "mach das Fenster einen Spalt auf",
    "entrouvre la fenêtre, on manque d'air",
])
def test_round_four_weather_insects_and_neighbours_make_a_window_physical(text):
    assert route(text).intent != router.ACT


@pytest.mark.parametrize("text", [
    "press snooze on the alarm clock, I'm still sleepy",  # household devices are not this desktop
    "drück auf der Fernbedienung die Lautstärke runter",
    "appuie sur le bouton du micro-ondes",
    "pulsa el botón de la lavadora",
    "minimize slack... actually no, leave it",  # a command taken back
    "schließ den Browser, ach nee, doch nicht",
    "ferme le terminal... en fait non",
    "cierra el Excel, espera, no",
    "tap the like button — that's what the streamer keeps saying",  # reported after a dash
    "pulsa suscribir, es lo que dice cada youtuber",
])
def test_round_four_devices_taken_back_commands_and_reported_words_are_not_actions(text):
    assert route(text).intent != router.ACT


@pytest.mark.parametrize("text", ["close the Discord window", "ferme la fenêtre de Chrome",
                                  "type 'rain jacket' into the search bar", "schließ das Fenster von Word"])
def test_round_four_desktop_windows_and_typed_weather_words_still_act(text):
    assert route(text).intent == router.ACT


@pytest.mark.parametrize("text", [
    "a) open settings b) click reset c) press ok -- what does that do exactly",  # asks about the steps, no "?"
    "öffne die Konsole, tippe rm -rf ein und drück Enter, was bewirkt das",
    "my evening routine: close outlook, open netflix, mute teams",  # a routine described, not commanded
    "jot down: press ctrl+s every 10 mins",
    "click here to claim your free cruise, that's the entire email lol",  # web copy pasted
    "cliquez ici pour gagner un iPhone",
    "open source tools for video editing?",  # "open source", "open air" are not verbs
    "open air cinema in Berlin this weekend",
])
def test_round_four_steps_asked_about_routines_web_copy_and_open_source_are_not_actions(text):
    assert route(text).intent != router.ACT


@pytest.mark.parametrize("text", ["open Firefox", "open the downloads folder", "clique sur Enregistrer"])
def test_round_four_plain_open_and_click_still_act(text):
    assert route(text).intent == router.ACT


@pytest.mark.parametrize("text", [
    "appuie sur le champignon, le film commence dans dix minutes",  # idiom: step on it
    "could you scroll up and reread what you wrote about mortgages",  # the conversation, not the desktop
    "hit pause on this discussion, I need coffee",
    "scroll mal hoch zu dem, was du über Steuern gesagt hast",
    "remonte à ce que tu m'as dit sur le loyer",
    "vuelve a lo que me dijiste de la hipoteca y bájame hasta el final",
])
def test_round_four_idioms_and_the_conversation_itself_are_not_actions(text):
    assert route(text).intent != router.ACT


@pytest.mark.parametrize("text, intent", [
    ("could you generate illustrations?", "chat"),  # whether pictures can be made at all
    ("kannst du auch Zeichnungen machen?", "chat"),
    ("est-ce que tu sais dessiner ?", "chat"),
    ("¿puedes también diseñar logos?", "chat"),
    ("generate illustrations of a lighthouse, three versions", "image_generation"),  # a request stays one
    ("genera imágenes de un faro en la tormenta", "image_generation"),
])
def test_round_four_can_you_make_pictures_is_a_question_and_a_request_stays_a_request(text, intent):
    assert route(text).intent == intent
