"""The layers behind `alphaomega.pipelines.router`: structure, guards, classifier, act gate, tie-break.

Each module has one job; `router.route()` runs them in order. Nothing here needs numpy or
scikit-learn at run time: the classifier's weights ship as JSON next to this file, and
`train.py` (dev only) rebuilds them from the labelled set under `tests/data/router/`.
"""
