"""The Pipeline class the Pipelines server loads, its router, CLI and chat plumbing."""


def __getattr__(name: str):
    # Lazy, so that `alphaomega.pipelines.cli` starts without importing the agents.
    if name == "Pipeline":
        from alphaomega.pipelines.pipeline import Pipeline

        return Pipeline
    raise AttributeError(name)


__all__ = ["Pipeline"]
