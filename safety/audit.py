"""The computer-use audit trail: logs/agent_actions.log, one JSON line per action, append-only.

* Every record is written with one `write` on an O_APPEND descriptor, then fsync'ed, under an
  exclusive lock (fcntl.flock across processes, a thread lock inside one), so concurrent writers
  never interleave and a record that was reported written survives a crash.
* A process killed in the middle of a write can leave a torn last line. The next writer moves
  that fragment to `agent_actions.torn` (kept for inspection) and cuts it off, so every line of the
  log always parses.
* Rotation loses nothing: above `max_bytes` the file is renamed to
  `agent_actions.<UTC time>-<nnnn>.log` (names sort in order) under the same lock, and no rotated file is ever deleted.
* Typed text that matches a secret pattern (or aims at a password field) is stored only as its
  length and SHA-256; the user's message is stored only as a hash.
"""
import hashlib
import json
import logging
import os
import threading
import time
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: one process per data dir is assumed there
    fcntl = None

from alphaomega.safety import rules
from alphaomega.safety.normalize import Normalized
from alphaomega.safety.text_policy import secrets_in

log = logging.getLogger("alphaomega.audit")

FILE_NAME = "agent_actions.log"
MAX_BYTES = 10 * 1024 * 1024
_thread_lock = threading.Lock()


def sha256(text: str | bytes) -> str:
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()


def redact_action(action: Any) -> Any:
    """The action as it may be stored: typed secrets become {"redacted", "length", "sha256"}."""
    if not isinstance(action, dict):
        return action if isinstance(action, (str, int, float, bool, type(None))) else repr(action)[:200]
    text = action.get("text")
    if not isinstance(text, str):
        return action
    book = rules.load()
    secret = [hit for cased in Normalized(text).cased_variants for hit in secrets_in(cased, book)]
    aimed_at_secret = bool(book.secret_targets.search(str(action.get("target") or "").casefold()))
    if not secret and not aimed_at_secret:
        return action
    why = secret[0][0].id if secret else "secret_field"
    return {**action, "text": {"redacted": why, "length": len(text), "sha256": sha256(text)}}


class AuditLog:
    """Append-only JSON Lines with fsync per record and lossless rotation."""

    def __init__(self, path: Path, max_bytes: int = MAX_BYTES):
        self.path = Path(path)
        self.max_bytes = max_bytes
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.torn_path = self.path.with_name(self.path.stem + ".torn")

    def write(self, record: dict[str, Any]) -> None:
        line = json.dumps(record, ensure_ascii=False, default=str, separators=(",", ":"))
        data = (line.replace("\n", "\\n") + "\n").encode("utf-8", "backslashreplace")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with _thread_lock, self._file_lock():
            self._repair_tail()
            self._write(data)
            if self.path.stat().st_size >= self.max_bytes:
                self._rotate()

    def _write(self, data: bytes) -> None:
        """One record, with as few write calls as the kernel allows; fsync before returning."""
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)

    def _repair_tail(self) -> None:
        """Cut a torn last line (a writer died mid-record) off into the .torn file."""
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            return
        if size == 0:
            return
        with open(self.path, "rb+") as handle:
            handle.seek(size - 1)
            if handle.read(1) == b"\n":
                return
            chunk = 1 << 16
            position = size
            start = 0
            while position > 0:
                step = min(chunk, position)
                position -= step
                handle.seek(position)
                block = handle.read(step)
                newline = block.rfind(b"\n")
                if newline >= 0:
                    start = position + newline + 1
                    break
            handle.seek(start)
            fragment = handle.read()
            with open(self.torn_path, "ab") as torn:
                torn.write(fragment + b"\n")
                torn.flush()
                os.fsync(torn.fileno())
            handle.truncate(start)
            handle.flush()
            os.fsync(handle.fileno())
        log.warning("audit log %s ended in a torn record (%d bytes); moved it to %s",
                    self.path, len(fragment), self.torn_path)

    def _rotate(self) -> None:
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        for number in range(1, 10_000):
            target = self.path.with_name(f"{self.path.stem}.{stamp}-{number:04d}{self.path.suffix}")
            if not target.exists():
                os.rename(self.path, target)
                _fsync_dir(self.path.parent)
                return
        raise OSError(f"cannot find a free name to rotate {self.path}")

    def _file_lock(self):
        return _FileLock(self.lock_path)

    def rotated(self) -> list[Path]:
        return sorted(self.path.parent.glob(f"{self.path.stem}.*{self.path.suffix}"))


class _FileLock:
    def __init__(self, path: Path):
        self.path = path
        self.fd: int | None = None

    def __enter__(self) -> "_FileLock":
        if fcntl is not None:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


_logs: dict[str, AuditLog] = {}


def audit_log() -> AuditLog:
    """The audit log under the data dir (`ALPHAOMEGA_DATA_DIR`/logs/agent_actions.log)."""
    from alphaomega.valves import logs_dir

    path = logs_dir() / FILE_NAME
    key = str(path)
    found = _logs.get(key)
    if found is None:
        found = _logs[key] = AuditLog(path)
    return found
