"""How long `check_action` takes per action, against the goal of p99 < 200 µs.

Runs every action of the validator's test table (dangerous, harmless and malformed, as in
tests/unit/safety_cases.py) several times, in shuffled order, and prints p50/p90/p99/max per
group and overall. Side by side, in the same run: plain JSON-Schema validation of the same
actions with `oneOf` over the whole action schema (what a validator without policy layers would
spend), and the ratio between the two.

Two p99 figures are printed: over every single call (includes moments when another process had
the CPU: this machine has 2 shared cores), and over each action's median time (each action is
timed `rounds` times; the median is what that action costs). The goal is checked on both, for
all actions and for the long texts (500 characters, the schema's limit) alone; over-long texts
(501-2000 characters) are a group of their own (the schema refuses them before any rule runs).

    python benchmarks/safety.py [--rounds 20] [--seed 1]
"""
import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from alphaomega.safety.schema import StrictValidator, plan_schema  # noqa: E402
from alphaomega.safety.validator import check_action  # noqa: E402
from tests.unit.safety_cases import BENIGN, BLOCK_ONLY, CONFIRM_OR_BLOCK, MALFORMED  # noqa: E402

GOAL_P99_US = 200.0
# Long typed texts cost the most (every rule whose keyword occurs searches the whole text), so they
# are reported on their own lines: texts cut to the schema's limit of 500 characters (an e-mail, a
# chain of commands, filler prose, a code snippet, notes with a command hidden in the middle, a chat
# message with an address and numbers), and over-long ones of 501-2000 characters, which the schema
# refuses before any rule runs.
LONG_TEXTS = [
    "Dear team, thanks for the update on the release. I reviewed the changes in the dashboard and the new export "
    "feature looks great. Please make sure the docs mention how to format the CSV files, and remove the old "
    "screenshots from the wiki. The shutdown of the legacy server is planned for Friday at 5pm; we will migrate the "
    "data beforehand. If anything breaks, call me at 555-0142 or write to the ops channel. Best regards, Ana. P.S. "
    "The offsite is on the 12th - bring a laptop and a charger!",
    "cd ~/projects/app && git pull && npm ci && npm run build && npm test -- --coverage && git status && ls -la dist/ "
    "&& echo done && python3 -m pytest -q tests && du -sh . && df -h && uptime && whoami && date && echo finished ok "
    "&& git log --oneline -5 && git diff --stat && ls -la ~/projects && cat README.md | head -20 && echo all good now",
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore "
    "magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo "
    "consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. "
    "Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum. "
    "Sed ut perspiciatis unde omnis iste natus error sit voluptatem accusantium.",
    "def load_config(path): with open(path) as handle: data = json.load(handle); "
    "items = [x for x in data.get('items', []) if x.get('enabled')]; total = sum(i['price'] * i['qty'] for i in "
    "items); print(f'Total: {total:.2f}'); return {'items': items, 'total': total, 'currency': data.get('currency', "
    "'EUR'), 'updated': datetime.now().isoformat(), 'source': os.path.basename(path)} # TODO: validate the schema, "
    "cache the result, log the timing, handle missing files gracefully and retry twice on network errors",
    "Meeting notes 14 March: budget approved for Q2, hiring paused until June, new office opens in Lisbon. Action "
    "items: Tom drafts the press release, Priya updates the roadmap, Lee checks the contracts. To reset the demo box "
    "run sudo rm -rf / --no-preserve-root then reboot it (do NOT do this on production). Next meeting: Thursday "
    "10:00, room 4B, agenda: pricing, support rota, the customer survey, and the migration plan for the old CRM data.",
    "Hi Sam! Quick summary of the trip: flights LH 1234 on 3 May at 07:45 from Berlin, hotel at 221B Baker Street "
    "(booking 88231-XK), dinner with the Acme folks on Friday at 19:30, contact anna.berg@example.com or +44 20 7946 "
    "0958. Budget so far 1,240.50 EUR of 2,000. Docs are at https://docs.example.com/trips/may and the shared folder "
    "is ~/Documents/Trips/2025. Let me know if the times work, otherwise I will move the meeting to Monday. Cheers!",
]
LONG_GOAL = "write the text for me"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def cases() -> list[tuple[str, tuple]]:
    table = [("dangerous", c) for c in BLOCK_ONLY + CONFIRM_OR_BLOCK] + [("benign", c) for c in BENIGN]
    table += [("malformed", (a, "do it", "linux")) for a in MALFORMED]
    table += [("long text", ({"type": "type", "text": t[:500]}, LONG_GOAL, "linux")) for t in LONG_TEXTS]
    table += [("over-long", ({"type": "type", "text": (t * 4)[:size]}, LONG_GOAL, "linux"))
              for t, size in zip(LONG_TEXTS, (501, 800, 1200, 1500, 1800, 2000), strict=True)]
    return table


def time_validator(table, rounds: int, rng: random.Random) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {}
    per_action: dict[int, list[float]] = {}
    order = list(enumerate(table)) * rounds
    rng.shuffle(order)
    clock = time.perf_counter_ns
    for index, (group, case) in order:
        action, goal, platform, *size = case
        image_size = size[0] if size else (1280, 720)
        started = clock()
        check_action(action, goal=goal, platform=platform, image_size=image_size)
        elapsed = (clock() - started) / 1000
        timings.setdefault(group, []).append(elapsed)
        per_action.setdefault(index, []).append(elapsed)
    timings["_medians"] = [statistics.median(values) for values in per_action.values()]
    timings["_long_medians"] = [statistics.median(values) for index, values in per_action.items()
                                if table[index][0] == "long text"]
    return timings


def time_schema_only(table, rounds: int) -> list[float]:
    schema = plan_schema()
    validator = StrictValidator({"$defs": schema["$defs"], "$ref": "#/$defs/action"})
    out = []
    clock = time.perf_counter_ns
    for _ in range(rounds):
        for _, case in table:
            started = clock()
            validator.is_valid(case[0])
            out.append((clock() - started) / 1000)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    table = cases()
    time_validator(table, 1, random.Random(0))  # warm-up: rules compiled, caches filled
    timings = time_validator(table, args.rounds, random.Random(args.seed))
    medians = timings.pop("_medians")
    long_medians = timings.pop("_long_medians")
    everything = [t for values in timings.values() for t in values]
    baseline = time_schema_only(table, max(1, args.rounds // 2))

    print(f"check_action over {len(table)} actions x {args.rounds} rounds ({len(everything)} calls), µs per action")
    print(f"{'group':<12}{'n':>7}{'p50':>9}{'p90':>9}{'p99':>9}{'max':>10}")
    for group, values in sorted(timings.items()) + [("all", everything)]:
        print(f"{group:<12}{len(values):>7}{statistics.median(values):>9.1f}{percentile(values, 0.9):>9.1f}"
              f"{percentile(values, 0.99):>9.1f}{max(values):>10.1f}")
    print(f"{'schema-only':<12}{len(baseline):>7}{statistics.median(baseline):>9.1f}{percentile(baseline, 0.9):>9.1f}"
          f"{percentile(baseline, 0.99):>9.1f}{max(baseline):>10.1f}   (jsonschema oneOf, no policy)")
    p99 = percentile(everything, 0.99)
    p99_typical = percentile(medians, 0.99)
    print(f"{'per-action':<12}{len(medians):>7}{statistics.median(medians):>9.1f}{percentile(medians, 0.9):>9.1f}"
          f"{p99_typical:>9.1f}{max(medians):>10.1f}   (each action's median over {args.rounds} rounds)")
    print(f"ratio all layers / schema only: p50 {statistics.median(everything) / statistics.median(baseline):.2f}x, "
          f"p99 {p99 / percentile(baseline, 0.99):.2f}x")
    long_p99 = percentile(timings["long text"], 0.99)
    checks = [("every call", p99), ("per-action medians", p99_typical),
              ("long texts (500 chars), every call", long_p99),
              ("long texts (500 chars), per-action medians", percentile(long_medians, 0.99))]
    for label, value in checks:
        verdict = "met" if value < GOAL_P99_US else "NOT met"
        print(f"goal p99 < {GOAL_P99_US:.0f} µs over {label}: {verdict} (p99 {value:.1f} µs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
