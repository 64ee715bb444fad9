"""The README's valves table is generated from the code; this keeps the two in step.

Regenerate it with: python -m tests.unit.test_readme --fix
"""
import re
import sys
from pathlib import Path

from alphaomega.pipelines.cli import valves_markdown
from alphaomega.valves import Valves

README = Path(__file__).resolve().parents[2] / "README.md"
BLOCK = re.compile(r"(<!-- valves:start -->\n)(.*?)(<!-- valves:end -->)", re.DOTALL)


def readme_table() -> str:
    match = BLOCK.search(README.read_text(encoding="utf-8"))
    assert match, "README.md lost its <!-- valves:start --> / <!-- valves:end --> markers"
    return match.group(2).strip()


def test_valves_table_matches_the_code():
    assert readme_table() == valves_markdown(), "README valves table is stale: python -m tests.unit.test_readme --fix"


def test_every_valve_is_in_the_table():
    table = readme_table()
    for name in Valves.model_fields:
        assert f"| `{name}` |" in table


def test_readme_starts_with_the_two_commands():
    text = README.read_text(encoding="utf-8")
    commands = text[text.index("## The two commands"):text.index("## Connecting OpenWebUI")]
    assert "deploy/serve.sh" in commands and "tests/run.sh" in commands
    assert Path(README.parent, ".ci", "run").read_text().strip().endswith("exec ./tests/run.sh")


if __name__ == "__main__" and "--fix" in sys.argv:
    text = README.read_text(encoding="utf-8")
    README.write_text(BLOCK.sub(lambda m: m.group(1) + valves_markdown() + "\n" + m.group(3), text), encoding="utf-8")
    print("README valves table regenerated")
