"""Cross-validate the whole router (guards, cues, classifier, act gate) on the train split (dev only).

    python -m alphaomega.pipelines.routing.crossval            # 5-fold figures for the full decision
    python -m alphaomega.pipelines.routing.crossval --errors   # and every misrouted training message
    python -m alphaomega.pipelines.routing.crossval --c 4 8 16 # compare regularisation strengths

`train.py --cv` scores the classifier alone; this scores what `route()` answers, so guard and
gate changes can be judged without ever reading the held-out split or the fresh set. Folds keep
each `@group` family together (no templated twin on both sides) and are stratified by intent.
"""
import argparse
import sys
from collections import Counter

from alphaomega.pipelines.router import ACT, route
from alphaomega.pipelines.routing import dataset, model, train

FOLDS = 5


def folds(examples: list[dataset.Example]) -> list[tuple[list[int], list[int]]]:
    from sklearn.model_selection import StratifiedGroupKFold

    splitter = StratifiedGroupKFold(n_splits=FOLDS, shuffle=True, random_state=0)
    labels = [e.intent for e in examples]
    groups = [e.group or e.text for e in examples]
    return [(list(a), list(b)) for a, b in splitter.split(examples, labels, groups)]


def predictions(examples: list[dataset.Example], c: float) -> list[str]:
    """Each training message routed by a model that never saw its fold."""
    out = [""] * len(examples)
    saved = model._loaded
    try:
        for fit_index, test_index in folds(examples):
            part = [examples[i] for i in fit_index]
            model._loaded = model.LinearModel.from_json(train.export(train.fit(part, c), part, c))
            for i in test_index:
                out[i] = route(examples[i].text, examples[i].has_image).intent
    finally:
        model._loaded = saved
    return out


def report(examples: list[dataset.Example], predicted: list[str], c: float, show_errors: bool) -> None:
    wrong = [(e, p) for e, p in zip(examples, predicted, strict=True) if p != e.intent]
    false_acts = [e for e, p in wrong if p == ACT]
    print(f"C={c:g}: full-router {FOLDS}-fold cv accuracy {1 - len(wrong) / len(examples):.2%} "
          f"of {len(examples)}, act false positives {len(false_acts)}")
    total = Counter(e.intent for e in examples)
    missed = Counter(e.intent for e, _ in wrong)
    print("  recall: " + ", ".join(f"{name} {1 - missed[name] / n:.1%}" for name, n in sorted(total.items())))
    if show_errors:
        for e, p in sorted(wrong, key=lambda pair: (pair[0].intent, pair[1])):
            print(f"  [{e.lang}] want {e.intent:<21} got {p:<21} {e.text[:100]!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list every misrouted training message")
    parser.add_argument("--c", type=float, nargs="+", default=[train.C])
    args = parser.parse_args(argv)
    examples = train.training_examples()
    for c in args.c:
        report(examples, predictions(examples, c), c, args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
