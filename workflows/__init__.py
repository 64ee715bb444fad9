"""ComfyUI workflows: API-format templates and the client that runs them."""
