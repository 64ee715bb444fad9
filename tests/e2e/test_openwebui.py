"""What a user does: a real OpenWebUI in headless Chromium, talking to AlphaOmega on the Pipelines server.

The steps run in order on one logged-in page: pick AlphaOmega, chat (streamed answer and its
status line), background title/tags/follow-up requests, an error in the chat, then the admin's
valves (a text, a number and a switch) and an answer that reflects them.
"""
import json
import re

from PIL import Image
from playwright.sync_api import expect

from tests.e2e.brain import TITLE
from tests.e2e.stack import SCREEN
from tests.fakes.ollama import Script
from tests.fakes.vision_eyes import COLOURS

SCALE = SCREEN[0] / 1280  # the model sees 1280x720 screenshots of the 1600x900 desktop

SKY = ("The sky looks blue because air molecules scatter the short blue wavelengths of sunlight "
       "far more than the long red ones.")
CODE = "def add(a, b):\n    return a + b"
NEW_SYSTEM_PROMPT = "You are a terse pirate."


def last_reply(page):
    return page.locator(".chat-assistant").last


def send(page, text: str) -> None:
    page.locator("#chat-input").click()
    page.keyboard.type(text)
    page.locator("#send-message-button").click()


def wait_answer_done(page) -> None:
    """A finished message gets its action buttons (copy, regenerate, ...): one set per answer."""
    answers = page.locator(".chat-assistant").count()
    expect(page.get_by_role("button", name="Regenerate")).to_have_count(answers, timeout=60_000)


def test_pick_alphaomega_in_the_model_selector(page, stack):
    page.locator("#model-selector-model-button").click()
    page.locator("#model-search-input").fill("AlphaOmega")
    option = page.get_by_role("option", name="Select AlphaOmega model")
    expect(option).to_be_visible()
    page.shots("02_model_selector")
    option.click()
    expect(page.locator("#model-selector-model-button")).to_have_attribute("aria-label", "Selected model: AlphaOmega")


def test_streamed_answer_with_status_line(page, stack):
    stack.fake.default = Script(reply=SKY, chunk_delay=0.12)
    send(page, "Why is the sky blue?")
    reply = last_reply(page)
    expect(reply).to_contain_text("Thinking with mistral…", timeout=30_000)
    page.shots("03_streaming")
    wait_answer_done(page)
    expect(reply).to_contain_text(re.compile(r"Answered by mistral in \d+\.\d s"))
    answer = reply.locator("#response-content-container")
    assert answer.inner_text().strip() == SKY
    page.shots("04_answer")
    chats = [c for c in stack.fake.chats() if not c["messages"][-1]["content"].startswith("### Task:")]
    assert len(chats) == 1  # OpenWebUI sends its title request alongside, not instead
    chat = chats[0]
    assert (chat["model"], chat["stream"]) == ("mistral", True)
    assert chat["messages"][-1] == {"role": "user", "content": "Why is the sky blue?"}


def test_code_goes_to_the_code_model(page, stack):
    stack.fake.default = Script(reply=f"```python\n{CODE}\n```")
    send(page, "Write a Python function that adds two numbers")
    wait_answer_done(page)
    expect(last_reply(page).locator("#response-content-container")).to_contain_text("return a + b")
    code_chats = [c for c in stack.fake.chats() if c["model"] == "codellama:13b"]
    assert len(code_chats) == 1 and code_chats[0]["stream"] is True
    assert [m["role"] for m in code_chats[0]["messages"]][-3:] == ["user", "assistant", "user"]  # history
    page.shots("05_code_answer")


def test_background_tasks_give_a_title_and_run_nothing_else(page, stack):
    """Title, tags and follow-ups come back to AlphaOmega as `### Task:` prompts that quote the chat,
    including "Write a Python function": they must go to the chat model, unstreamed, and nowhere else."""
    expect(page.get_by_text(TITLE).first).to_be_visible(timeout=60_000)
    chats = stack.wait_for(lambda: [c for c in stack.chats() if c["title"] == TITLE], timeout=60)
    assert len(chats) == 1
    tasks = [c for c in stack.fake.chats() if c["messages"][-1]["content"].startswith("### Task:")]
    assert tasks, "OpenWebUI sent no background task"
    assert all(t["model"] == "mistral" and t["stream"] is False for t in tasks)
    assert all(t["messages"][0]["role"] == "user" for t in tasks)  # no system prompt added to a task
    decisions = [d for d in stack.decisions() if d["task"]]
    assert {d["task"] for d in decisions} >= {"title_generation"}
    assert all(d["intent"] == "chat" and d["model"] == "mistral" for d in decisions)
    models = {c["model"] for c in stack.fake.chats()}
    assert models == {"mistral", "codellama:13b"}  # nothing else was ever asked
    page.shots("06_title_and_follow_ups")


def test_a_backend_problem_reads_as_a_sentence(page, stack):
    stack.pipelines.update_valves(CHAT_MODEL="llama3")
    try:
        send(page, "Tell me a joke")
        wait_answer_done(page)
        reply = last_reply(page)
        expect(reply).to_contain_text("Model llama3 is not pulled on")
        expect(reply).to_contain_text("Run: ollama pull llama3")
        expect(reply).to_contain_text("Model not pulled")  # the status line
        page.shots("07_error_in_chat")
    finally:
        stack.pipelines.update_valves(CHAT_MODEL="mistral")


def test_an_answer_cut_off_keeps_its_text(page, stack):
    stack.fake.push(Script(reply="This answer will break in the middle of a sentence", error_after=5,
                           chunk_delay=0.05))
    send(page, "Go on")
    wait_answer_done(page)
    reply = last_reply(page)
    expect(reply).to_contain_text("This answer will break in")
    expect(reply).to_contain_text("The answer above is incomplete")
    expect(reply).to_contain_text("Answer interrupted")
    page.shots("08_interrupted_answer")


def test_attached_image_is_read_by_the_vision_model(page, stack, tmp_path):
    picture = tmp_path / "red.png"
    Image.new("RGB", (3000, 2000), COLOURS["red"]).save(picture)
    with page.expect_response(lambda r: "/api/v1/files" in r.url and r.request.method == "POST"):
        page.locator('input[type="file"]:not(#camera-input)').set_input_files(str(picture))
    send(page, "What is in this picture?")
    wait_answer_done(page)
    reply = last_reply(page)
    expect(reply.locator("#response-content-container")).to_have_text("JPEG 1280x853 red")  # what the eyes saw
    assert not stack.brain.eyes.problems  # bare base64, JPEG, within VISION_MAX_SIDE
    page.shots("09_attached_image")


def test_what_is_on_my_screen(page, stack):
    send(page, "What's on my screen right now?")
    wait_answer_done(page)
    reply = last_reply(page)
    expect(reply.locator("#response-content-container")).to_contain_text("JPEG 1280x720")  # 1600x900, shrunk
    expect(reply.locator("img").first).to_be_visible()  # the thumbnail, stored by OpenWebUI
    assert stack.decisions()[-1]["intent"] in ("computer_use_observe", "chat")
    assert any(d["intent"] == "computer_use_observe" for d in stack.decisions())
    page.shots("10_screen_analysis")


def test_generate_an_image_with_progress(page, stack):
    send(page, "Generate an image of a sunset over the sea")
    reply = last_reply(page)
    expect(reply).to_contain_text(re.compile(r"Sampling step \d+/\d+"), timeout=30_000)
    page.shots("11_image_progress")
    wait_answer_done(page)
    expect(reply.locator("img").first).to_be_visible()
    prompt = json.dumps(stack.comfy.prompts()[-1])
    assert "sunset over the sea" in prompt
    assert "/view" not in reply.inner_html()  # the browser never gets a ComfyUI URL
    page.shots("12_generated_image")


def test_desktop_action_waits_for_confirmation_then_runs(page, stack):
    def centre(name: str) -> dict:
        r = stack.desktop.rects[name]
        return {"x": int((r["x"] + r["width"] / 2) / SCALE), "y": int((r["y"] + r["height"] / 2) / SCALE)}

    stack.brain.plans = [[{"type": "click", **centre("terminal"), "target": "Terminal window"},
                          {"type": "type", "text": "pip install requests", "target": "Terminal"}]]
    send(page, "Open the terminal and install the requests package")
    wait_answer_done(page)
    reply = last_reply(page)
    expect(reply).to_contain_text("Clicked Terminal window")
    expect(reply).to_contain_text("Waiting for your confirmation")
    code = re.search(r"confirm ([A-Z0-9]{6})", reply.inner_text()).group(1)
    assert not [e for e in stack.desktop.events() if e["event"] == "terminal_key"]  # nothing typed yet
    page.shots("13_confirmation_asked")
    send(page, f"confirm {code}")
    wait_answer_done(page)
    expect(last_reply(page)).to_contain_text("Typed “pip install requests” into Terminal")
    typed = stack.wait_for(lambda: "".join(e["char"] for e in stack.desktop.events()
                                           if e["event"] == "terminal_key") == "pip install requests", timeout=10)
    assert typed
    page.shots("14_confirmed_and_done")


def saved_valves(stack) -> dict | None:
    """valves.json as the Pipelines server last wrote it (it rewrites the file in place, so it can be empty)."""
    try:
        return stack.pipelines.valves_file()
    except json.JSONDecodeError:
        return None


def test_admin_changes_valves(page, stack):
    page.goto(stack.owui_url + "/admin/settings/pipelines", wait_until="load")  # never "networkidle" here
    tab = page.locator('button[role=tab][aria-controls="tab-admin-pipelines"]')
    tab.wait_for()
    if tab.get_attribute("aria-selected") != "true":
        tab.click()
    panel = page.locator("#tab-admin-pipelines")
    expect(panel.locator("#pipeline")).to_contain_text("alphaomega (pipe)")
    prompt, temperature = panel.get_by_placeholder("System prompt"), panel.get_by_placeholder("Temperature")
    expect(temperature).to_have_value("0.7")
    prompt.fill(NEW_SYSTEM_PROMPT)
    temperature.fill("0.25")
    switch = panel.locator("xpath=.//label[normalize-space()='Show progress']/ancestor::div[.//button[@role='switch']]"
                           "[1]//button[@role='switch']")
    expect(switch).to_have_attribute("aria-checked", "true")
    switch.click()
    expect(switch).to_have_attribute("aria-checked", "false")
    page.shots("15_valves_edited")
    panel.get_by_role("button", name="Save").click()
    saved = stack.wait_for(lambda: (lambda v: v if v and v.get("TEMPERATURE") == 0.25 else None)(
        saved_valves(stack)), timeout=20)
    assert saved["SYSTEM_PROMPT"] == NEW_SYSTEM_PROMPT and saved["STATUS_EVENTS"] is False
    assert saved["CHAT_MODEL"] == "mistral"  # the form sends every valve, so nothing else moved
    expect(page.get_by_text("saved", exact=False).first).to_be_visible()
    page.shots("16_valves_saved")


def test_next_answer_reflects_the_valves(page, stack):
    page.goto(stack.owui_url + "/", wait_until="load")
    page.locator("#chat-input").wait_for()
    stack.fake.default = Script(reply="Arr, because the air scatters blue.", chunk_delay=0.05)
    before = len(stack.fake.chats())
    send(page, "Why is the sea blue?")
    wait_answer_done(page)
    reply = last_reply(page)
    expect(reply.locator("#response-content-container")).to_have_text("Arr, because the air scatters blue.")
    expect(reply).not_to_contain_text("Answered by")  # status lines are off now
    chat = next(c for c in stack.fake.chats()[before:] if c["stream"])
    assert chat["options"]["temperature"] == 0.25
    assert chat["messages"][0] == {"role": "system", "content": NEW_SYSTEM_PROMPT}
    page.shots("17_answer_after_valves")


def test_nothing_left_the_machine(page):
    assert page.outside_requests == [], json.dumps(page.outside_requests[:5])
