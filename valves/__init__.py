"""AlphaOmega's settings: the valves admins edit in OpenWebUI, and where files live."""
from alphaomega.valves.paths import data_dir, default_pipelines_dir, logs_dir
from alphaomega.valves.settings import ENV_PREFIX, Valves, defaults_only, env_var

__all__ = ["ENV_PREFIX", "Valves", "data_dir", "defaults_only", "default_pipelines_dir", "env_var", "logs_dir"]
