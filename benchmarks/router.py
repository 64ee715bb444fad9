"""Router benchmark: latency (p50/p99) and quality on the held-out split and the adversarial, fresh,
blind3, blind4 and blind5 sets.

    python benchmarks/router.py [--errors] [--repeat N] [--no-adversarial] [--no-fresh] [--no-blind3]
                                [--no-blind4] [--no-blind5] [--only fresh|blind3|blind4|blind5|...]

Latency is measured per message with the shipped weights, without the LLM tie-break, after
one warm-up pass; quality counts accuracy and the worst mistake, non-actions routed to act.
"""
import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from alphaomega.pipelines.router import ACT, route  # noqa: E402
from alphaomega.pipelines.routing import dataset  # noqa: E402


def score(name: str, examples: list[dataset.Example], show_errors: bool) -> None:
    wrong = [(e, route(e.text, e.has_image)) for e in examples]
    wrong = [(e, d) for e, d in wrong if d.intent != e.intent]
    false_acts = [(e, d) for e, d in wrong if d.intent == ACT]
    tasks = [e for e in examples if e.is_task]
    task_misses = [e for e, _ in wrong if e.is_task]
    accuracy = 1 - len(wrong) / len(examples)
    print(f"{name}: {len(examples)} messages, accuracy {accuracy:.2%}, act false positives {len(false_acts)}, "
          f"background tasks {len(tasks) - len(task_misses)}/{len(tasks)} as chat")
    by_lang = Counter(e.lang for e in examples)
    wrong_lang = Counter(e.lang for e, _ in wrong)
    print("  by language: " + ", ".join(f"{lang} {1 - wrong_lang[lang] / n:.1%} of {n}"
                                         for lang, n in sorted(by_lang.items())))
    by_intent = Counter(e.intent for e in examples)
    wrong_intent = Counter(e.intent for e, _ in wrong)
    print("  recall by intent: " + ", ".join(f"{name} {1 - wrong_intent[name] / n:.1%} of {n}"
                                             for name, n in sorted(by_intent.items())))
    if show_errors:
        for e, d in wrong:
            print(f"  [{e.lang}] want {e.intent:<21} got {d.intent:<21} {e.text[:90]!r}  ({d.reason})")


def latency(examples: list[dataset.Example], repeat: int, name: str = "held-out split") -> None:
    for e in examples:  # warm-up: loads the weights, fills caches
        route(e.text, e.has_image)
    timings = []
    for _ in range(repeat):
        for e in examples:
            start = time.perf_counter_ns()
            route(e.text, e.has_image)
            timings.append(time.perf_counter_ns() - start)
    timings.sort()
    p50 = timings[len(timings) // 2] / 1000
    p99 = timings[int(len(timings) * 0.99)] / 1000
    print(f"latency on the {name}, {len(timings)} decisions: p50 {p50:.0f} µs, p99 {p99:.0f} µs, "
          f"max {timings[-1] / 1000:.0f} µs, mean {statistics.fmean(timings) / 1000:.0f} µs")


SET_TITLES = {
    "adversarial": "adversarial set (never trained or tuned on)",
    "fresh": "fresh blind set (never trained or tuned on)",
    **{f"blind{n}": f"blind{n} set, round {n} (never trained on; fixed by class after its first run)"
       for n in (3, 4, 5)},
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list every misrouted message")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-adversarial", action="store_true", help="skip the adversarial set")
    parser.add_argument("--no-fresh", action="store_true", help="skip the fresh blind set (fresh_*.txt)")
    parser.add_argument("--no-blind3", action="store_true", help="skip the round-3 blind set (blind3_*.txt)")
    parser.add_argument("--no-blind4", action="store_true", help="skip the round-4 blind set (blind4_*.txt)")
    parser.add_argument("--no-blind5", action="store_true", help="skip the round-5 blind set (blind5_*.txt)")
    parser.add_argument("--only", choices=("held-out", "adversarial", "fresh", "blind3", "blind4", "blind5"),
                        help="score one set only (latency is still measured on the held-out split)")
    args = parser.parse_args()
    examples = dataset.load()
    _, held_out = dataset.split(examples)
    latency(held_out, args.repeat)
    wanted = {args.only} if args.only else {"held-out", "adversarial", "fresh", "blind3", "blind4", "blind5"}
    if "held-out" in wanted:
        score("held-out split", held_out, args.errors)
    hand_written = dataset.load(with_tasks=False)
    for name in dataset.SCORED_SETS:
        if getattr(args, f"no_{name}") or name not in wanted:
            continue
        examples = dataset.load_scored(name)
        score(SET_TITLES[name], examples, args.errors)
        if name.startswith("blind"):
            # Written blind, some short messages still coincide with earlier ones ("make it shorter").
            earlier = dataset.SCORED_SETS[:dataset.SCORED_SETS.index(name)]
            seen = {e.text.strip().lower() for e in hand_written + [x for n in earlier
                                                                     for x in dataset.load_scored(n)]}
            novel = [e for e in examples if e.text.strip().lower() not in seen]
            score(f"{name}, the {len(novel)} messages found in no other file", novel, args.errors)
        if name != "adversarial":
            latency(examples, args.repeat, f"{name} set")
    return 0


if __name__ == "__main__":
    sys.exit(main())
