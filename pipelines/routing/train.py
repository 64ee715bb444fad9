"""Train the router's linear classifier from the labelled set and write `weights.json` (dev only).

    python -m alphaomega.pipelines.routing.train            # retrain and write the shipped weights
    python -m alphaomega.pipelines.routing.train --check    # exit 1 if the shipped weights are stale
    python -m alphaomega.pipelines.routing.train --cv       # 5-fold CV on the train split, per C

Only the train split is used (held-out messages and the adversarial set never are), and
background-task examples are left out because the structural short-circuit answers them.
The run is deterministic: same data and code, same weights. scikit-learn is imported here
only, so the plugin never needs it at run time.
"""
import argparse
import hashlib
import json
import sys
from pathlib import Path

from alphaomega.pipelines.router import INTENTS
from alphaomega.pipelines.routing import dataset
from alphaomega.pipelines.routing.features import BUCKETS, featurize
from alphaomega.pipelines.routing.guards import analyse
from alphaomega.pipelines.routing.model import SCALE, WEIGHTS_FILE

C = 8.0  # inverse regularisation strength, chosen by `--cv` on the train split
# Buckets whose largest weight (over intents) is below this are dropped: a third of the rows,
# no measurable loss in cross-validation, a smaller file and a faster dot product.
PRUNE = 0.05
MAX_ITER = 3000
GROUPS = ("word", "char", "cue")  # the order of `featurize`'s groups


def training_examples(data_dir: Path = dataset.DATA_DIR) -> list[dataset.Example]:
    train, _ = dataset.split(dataset.load(data_dir, with_tasks=False))
    return train


def data_digest(examples: list[dataset.Example]) -> str:
    digest = hashlib.sha256()
    for e in examples:
        digest.update(f"{e.intent}\t{int(e.has_image)}\t{e.text}\n".encode())
    return digest.hexdigest()


def matrix(examples: list[dataset.Example], columns: list[int] | None = None):
    """Sparse design matrix over the used buckets only: word, char (each L2-normalised) and cue groups.

    Returns the matrix and the bucket column (group * BUCKETS + bucket) of each of its columns;
    pass `columns` to build a matrix for new examples in the same column order.
    """
    import numpy as np
    from scipy.sparse import csr_matrix

    entries: list[tuple[int, int, float]] = []
    for row, example in enumerate(examples):
        groups = featurize(analyse(example.text), example.has_image)
        for number, ids in enumerate(groups):
            offset = number * BUCKETS
            if ids:
                value = 1.0 / len(ids) ** 0.5 if number < 2 else 1.0
                entries.extend((row, offset + bucket, value) for bucket in sorted(ids))
    if columns is None:
        columns = sorted({column for _, column, _ in entries})
    index = {column: i for i, column in enumerate(columns)}
    kept = [(r, index[c], v) for r, c, v in entries if c in index]
    rows = np.array([r for r, _, _ in kept], dtype=np.int64)
    cols = np.array([c for _, c, _ in kept], dtype=np.int64)
    vals = np.array([v for _, _, v in kept], dtype=np.float64)
    return csr_matrix((vals, (rows, cols)), shape=(len(examples), len(columns))), columns


def fit(examples: list[dataset.Example], c: float = C):
    """The fitted model and the bucket column behind each of its weight columns."""
    from sklearn.linear_model import LogisticRegression

    x, columns = matrix(examples)
    model = LogisticRegression(C=c, max_iter=MAX_ITER, tol=1e-6)
    model.fit(x, [e.intent for e in examples])
    return model, columns


def export(fitted, examples: list[dataset.Example], c: float = C, prune: float = PRUNE) -> dict:
    """The weights as JSON-ready integers (units of 1/SCALE); buckets with no weight are left out."""
    model, columns = fitted
    classes = [str(name) for name in model.classes_]
    order = [classes.index(name) for name in INTENTS if name in classes]
    coef = model.coef_[order]
    bias = [int(round(float(b) * SCALE)) for b in model.intercept_[order]]
    tables: dict[str, dict[str, list[int]]] = {name: {} for name in GROUPS}
    for position, column in enumerate(columns):
        if float(abs(coef[:, position]).max()) < prune and column < 2 * BUCKETS:  # cue weights are all kept
            continue
        weights = [int(round(float(w) * SCALE)) for w in coef[:, position]]
        if any(weights):
            tables[GROUPS[column // BUCKETS]][str(column % BUCKETS)] = weights
    return {
        "classes": [classes[i] for i in order],
        "bias": bias,
        **tables,
        "meta": {"examples": len(examples), "data_sha256": data_digest(examples), "C": c,
                 "buckets": BUCKETS, "scale": SCALE, "prune": prune},
    }


def build(data_dir: Path = dataset.DATA_DIR, c: float = C) -> dict:
    examples = training_examples(data_dir)
    return export(fit(examples, c), examples, c)


def dumps(weights: dict) -> str:
    return json.dumps(weights, separators=(",", ":"), sort_keys=True) + "\n"


def cross_validate(examples: list[dataset.Example], grid: tuple[float, ...] = (1, 2, 4, 8, 16, 32, 64)) -> None:
    from sklearn.model_selection import StratifiedKFold

    labels = [e.intent for e in examples]
    folds = list(StratifiedKFold(n_splits=5, shuffle=True, random_state=0).split(examples, labels))
    for c in grid:
        correct = 0
        for train_index, test_index in folds:
            model, columns = fit([examples[i] for i in train_index], c)
            predicted = model.predict(matrix([examples[i] for i in test_index], columns)[0])
            correct += sum(p == labels[i] for p, i in zip(predicted, test_index, strict=True))
        print(f"C={c:<5g} cv accuracy {correct / len(examples):.4f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=dataset.DATA_DIR)
    parser.add_argument("--out", type=Path, default=WEIGHTS_FILE)
    parser.add_argument("--check", action="store_true", help="compare with the shipped weights, write nothing")
    parser.add_argument("--cv", action="store_true", help="cross-validate C on the train split, write nothing")
    args = parser.parse_args(argv)
    if args.cv:
        cross_validate(training_examples(args.data))
        return 0
    text = dumps(build(args.data))
    if args.check:
        same = args.out.exists() and args.out.read_text(encoding="utf-8") == text
        print("shipped weights are up to date" if same else f"{args.out} is stale: run the trainer")
        return 0 if same else 1
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({len(text) // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
