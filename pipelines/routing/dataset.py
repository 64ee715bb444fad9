"""The labelled router set under `tests/data/router/`: reading it, and its fixed held-out split.

Message files are plain text, one message per line, grouped under `@ <intent>` headers
(`@ vision +image` marks messages sent with an attached image). `⏎` stands for a line break
inside a message; `#` starts a comment line (`\\#` at the start of a line is a literal `#`, for
background-task texts that begin `### Task:`); `@group <name>` keeps a family of templated
variants on the same side of the split. Background-task examples are rendered from the real
OpenWebUI templates in `task_templates.json` with histories taken from the messages.
A message is held out when crc32 of its group key is divisible by 5 (about 20 %), so adding
messages never moves existing ones between train and test.
"""
import json
import zlib
from dataclasses import dataclass
from pathlib import Path

from alphaomega.pipelines.router import INTENTS

DATA_DIR = Path(__file__).resolve().parents[2] / "tests" / "data" / "router"
LANGUAGES = ("en", "de", "fr", "es")
NEWLINE = "⏎"
HELD_OUT_MODULO = 5
TASK_OPENINGS = ("### Task:", "Your task is to reflect the speaker")


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    lang: str
    has_image: bool = False
    group: str = ""
    source: str = ""  # file name and line, or "task:<template>"

    @property
    def held_out(self) -> bool:
        return zlib.crc32((self.group or self.text).encode("utf-8")) % HELD_OUT_MODULO == 0

    @property
    def is_task(self) -> bool:
        """A rendered template, or a hand-written background-task text (the fresh set has some)."""
        return self.source.startswith("task:") or self.text.lstrip().startswith(TASK_OPENINGS)


def parse_file(path: Path, lang: str) -> list[Example]:
    examples: list[Example] = []
    intent, has_image, group = None, False, ""
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@group"):
            group = line[len("@group"):].strip()
            continue
        if line.startswith("@"):
            parts = line[1:].split()
            intent, has_image, group = parts[0], "+image" in parts[1:], ""
            if intent not in INTENTS:
                raise ValueError(f"{path.name}:{number}: unknown intent {intent!r}")
            continue
        if line.startswith("\\#"):
            line = line[1:]
        if intent is None:
            raise ValueError(f"{path.name}:{number}: message before the first '@ <intent>' header")
        text = line.replace(NEWLINE, "\n")
        examples.append(Example(text, intent, lang, has_image, f"{path.stem}/{group}" if group else "",
                                f"{path.name}:{number}"))
    return examples


def load(data_dir: Path = DATA_DIR, with_tasks: bool = True) -> list[Example]:
    """Every labelled message (hand-written files plus rendered background tasks), in a fixed order."""
    examples: list[Example] = []
    for lang in LANGUAGES:
        examples.extend(parse_file(data_dir / f"{lang}.txt", lang))
    if with_tasks:
        examples.extend(render_tasks(examples, data_dir))
    return examples


# Sets that are only scored, in the order they were written: the adversarial set, the fresh blind
# set (round 2) and the blind sets of rounds 3-5, each written before looking at the data or the errors.
SCORED_SETS = ("adversarial", "fresh", "blind3", "blind4", "blind5")


def load_scored(name: str, data_dir: Path = DATA_DIR) -> list[Example]:
    """One scored-only set (`<name>_<lang>.txt`): never used for training or for choosing settings."""
    if name not in SCORED_SETS:
        raise ValueError(f"unknown scored set {name!r}; known: {', '.join(SCORED_SETS)}")
    examples: list[Example] = []
    for path in sorted(data_dir.glob(f"{name}_*.txt")):
        examples.extend(parse_file(path, path.stem.split("_", 1)[1]))
    return examples


def load_adversarial(data_dir: Path = DATA_DIR) -> list[Example]:
    return load_scored("adversarial", data_dir)


def load_fresh(data_dir: Path = DATA_DIR) -> list[Example]:
    return load_scored("fresh", data_dir)


def load_blind3(data_dir: Path = DATA_DIR) -> list[Example]:
    return load_scored("blind3", data_dir)


def load_blind4(data_dir: Path = DATA_DIR) -> list[Example]:
    return load_scored("blind4", data_dir)


def load_blind5(data_dir: Path = DATA_DIR) -> list[Example]:
    return load_scored("blind5", data_dir)


def render_tasks(examples: list[Example], data_dir: Path = DATA_DIR, every: int = 7) -> list[Example]:
    """OpenWebUI task prompts whose embedded history holds our own (often action-like) messages."""
    spec = json.loads((data_dir / "task_templates.json").read_text(encoding="utf-8"))
    templates: dict[str, str] = spec["templates"]
    replies: list[str] = spec["assistant_replies"]
    names = sorted(templates)
    tasks: list[Example] = []
    candidates = [e for e in examples if not e.has_image]
    for index, example in enumerate(candidates):
        if index % every:
            continue
        key = zlib.crc32(example.text.encode("utf-8"))
        name = names[key % len(names)]
        earlier = candidates[index - 1].text if index else "hi"
        reply = replies[key % len(replies)]
        history = f"USER: {earlier}\nASSISTANT: {reply}\nUSER: {example.text}"
        if "{{MESSAGES:END:2}}" in templates[name]:
            history = f"USER: {example.text}\nASSISTANT: {reply}"
        text = (templates[name].replace("{{MESSAGES:END:2}}", history).replace("{{MESSAGES:END:6}}", history)
                .replace("{{prompt}}", example.text).replace("{{PROMPT}}", example.text[:40])
                .replace("{{TYPE}}", "General").replace("{{CURRENT_DATE}}", "2026-05-14")
                .replace("{{EARLIER}}", earlier).replace("{{REPLY}}", reply)
                .replace("{{responses}}", json.dumps(spec["responses"], ensure_ascii=False)))
        tasks.append(Example(text, "chat", example.lang, False, example.group or example.text, f"task:{name}"))
    return tasks


def split(examples: list[Example]) -> tuple[list[Example], list[Example]]:
    train = [e for e in examples if not e.held_out]
    test = [e for e in examples if e.held_out]
    return train, test
