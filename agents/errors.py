"""AlphaOmega's errors: each one carries the sentence the user sees and the fix it names.

    AlphaOmegaError                 user_message: what happened and what to do
    ├── BackendError                backend, url, status, detail
    │   ├── BackendUnavailable      nothing answers at the URL
    │   ├── BackendTimeout          it answered too slowly
    │   ├── ModelNotFound           the model is not pulled there
    │   └── BackendStreamError      it failed in the middle of an answer
    └── SettingsError               a valve, an environment value or a missing extra is in the way
"""


class AlphaOmegaError(Exception):
    """Base class; `user_message` is safe to show in the chat, `headline` fits a status line."""

    headline = "Could not answer"

    def __init__(self, user_message: str):
        super().__init__(user_message)
        self.user_message = user_message


class BackendError(AlphaOmegaError):
    """A backend (an Ollama instance, ComfyUI) failed; names which one and where."""

    def __init__(self, user_message: str, *, backend: str, url: str, status: int | None = None,
                 detail: str = ""):
        super().__init__(user_message)
        self.backend = backend
        self.url = url
        self.status = status
        self.detail = detail


class BackendUnavailable(BackendError):
    headline = "Server not reachable"


class BackendTimeout(BackendError):
    headline = "Server too slow"


class ModelNotFound(BackendError):
    headline = "Model not pulled"

    def __init__(self, user_message: str, *, model: str, **kwargs):
        super().__init__(user_message, **kwargs)
        self.model = model


class BackendStreamError(BackendError):
    headline = "Answer interrupted"


class SettingsError(AlphaOmegaError):
    headline = "Settings problem"

    def __init__(self, user_message: str, *, setting: str):
        super().__init__(user_message)
        self.setting = setting
