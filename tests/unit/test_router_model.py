"""The shipped classifier: reproducible training, weights that match the script, inference without numpy."""
import json
import subprocess
import sys

import pytest

from alphaomega.pipelines.routing import dataset, train
from alphaomega.pipelines.routing.features import featurize
from alphaomega.pipelines.routing.guards import analyse
from alphaomega.pipelines.routing.model import SCALE, WEIGHTS_FILE, LinearModel

pytest.importorskip("sklearn", reason="scikit-learn is in the dev extra: pip install -e .[dev]")


@pytest.fixture(scope="module")
def trained() -> dict:
    return train.build()


def test_training_is_reproducible(trained):
    assert train.dumps(train.build()) == train.dumps(trained)


def test_the_shipped_weights_are_the_training_output(trained):
    """Retrain and compare with weights.json: stale weights (data or features changed) fail here.

    Weights are compared to within 2/SCALE, so that a different BLAS cannot fail the test on the last
    rounding digit; buckets may differ only where their largest weight sits right at the prune line.
    """
    shipped = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    assert shipped["meta"] == trained["meta"], "data or settings changed: python -m alphaomega.pipelines.routing.train"
    assert shipped["classes"] == trained["classes"]
    assert all(abs(a - b) <= 2 for a, b in zip(shipped["bias"], trained["bias"], strict=True))
    edge = train.PRUNE * SCALE
    for group in train.GROUPS:
        mine, theirs = shipped[group], trained[group]
        for key in mine.keys() ^ theirs.keys():
            assert abs(max(map(abs, (mine.get(key) or theirs[key]))) - edge) <= 3, (group, key)
        for key in mine.keys() & theirs.keys():
            assert all(abs(a - b) <= 2 for a, b in zip(mine[key], theirs[key], strict=True)), (group, key)


def test_pure_python_inference_equals_scikit_learn():
    examples = train.training_examples()
    model, columns = train.fit(examples)
    ours = LinearModel.from_json(train.export((model, columns), examples, prune=0.0))
    sample = examples[::23]
    x, _ = train.matrix(sample, columns)
    expected = model.predict_proba(x)
    for row, example in zip(expected, sample, strict=True):
        got = ours.probabilities(*featurize(analyse(example.text), example.has_image))
        for name, p in zip(model.classes_, row, strict=True):
            assert abs(got[name] - p) < 2e-3, (example.text, name)


def test_the_router_needs_neither_numpy_nor_scikit_learn():
    code = ("import sys; from alphaomega.pipelines.router import route; "
            "assert route('click the Save button').intent; "
            "print(sorted(m for m in ('numpy', 'scipy', 'sklearn') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_only_the_train_split_is_trained_on():
    held_out = {e.text for e in dataset.split(dataset.load(with_tasks=False))[1]}
    adversarial = {e.text for e in dataset.load_adversarial()}
    fresh = {e.text for e in dataset.load_fresh()}
    blind3 = {e.text for e in dataset.load_blind3()}
    trained_on = {e.text for e in train.training_examples()}
    assert not trained_on & held_out and not trained_on & adversarial and not trained_on & fresh
    assert len(trained_on & blind3) <= 28  # everyday messages that were in the train split before blind3 existed
    blind4 = {e.text for e in dataset.load_blind4()}
    assert len(trained_on & blind4) <= 1  # "do you remember my dog's name?", in the train split before blind4


def test_the_weights_file_stays_small():
    assert WEIGHTS_FILE.stat().st_size < 2_000_000
