"""Every model the end-to-end stack asks, played by one `on_chat` hook on the fake Ollama.

- OpenWebUI's background tasks (title, tags, follow-ups) get the JSON they expect;
- the computer-use describer gets a fixed description, and the planner the next scripted
  plan (actions in screenshot pixels), bound to the screenshot id it was shown;
- any other request to the vision model goes to the eyes, which decode and check the image;
- everything else gets the fake's default reply.
"""
import json
import re

from tests.fakes.vision_eyes import VisionServerEyes

TITLE = "Sky Colour Science"
TAGS = ["Science", "Physics"]
FOLLOW_UPS = ["Why are sunsets red?", "What is Rayleigh scattering?"]
SCREEN_DESCRIPTION = "A form with a Name entry and a Submit button, and a Terminal window."


def task_reply(body: dict) -> str | None:
    """Answers for OpenWebUI's background tasks, recognised by their prompt like AlphaOmega does."""
    messages = body.get("messages") or []
    text = messages[-1].get("content", "") if messages else ""
    if not text.startswith("### Task:"):
        return None
    task = text.lower().split("###")[1]
    if "title" in task:
        return json.dumps({"title": TITLE})
    if "tags" in task:
        return json.dumps({"tags": TAGS})
    if "follow-up" in text.lower() or "follow_up" in text.lower():
        return json.dumps({"follow_ups": FOLLOW_UPS})
    return "{}"


class Brain:
    def __init__(self, vision_model: str = "llava:34b"):
        self.eyes = VisionServerEyes(model=vision_model)
        self.plans: list[list[dict]] = []
        self.plan_requests: list[dict] = []

    def __call__(self, body: dict) -> str | None:
        answer = task_reply(body)
        if answer is not None:
            return answer
        messages = body.get("messages") or []
        system = messages[0].get("content", "") if messages and messages[0].get("role") == "system" else ""
        if system.startswith("You describe screenshots"):
            return SCREEN_DESCRIPTION
        if system.startswith("You operate a computer"):
            self.plan_requests.append(body)
            shot = re.search(r"screenshot_id: ([0-9a-f]+)", messages[1]["content"]).group(1)
            actions = self.plans.pop(0) if self.plans else [{"type": "done", "summary": "finished"}]
            return json.dumps({"version": "1", "screenshot_id": shot, "actions": actions})
        return self.eyes(body)
