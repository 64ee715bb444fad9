"""The audit log: fsync'ed JSON lines, secrets redacted, lossless rotation, torn writes repaired."""
import json
import multiprocessing
import os
import random
import signal
import stat
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from alphaomega.safety.audit import AuditLog, redact_action

REPO = Path(__file__).resolve().parents[2]


def lines_of(*paths: Path) -> list[dict]:
    records = []
    for path in paths:
        for line in path.read_text("utf-8").splitlines():
            records.append(json.loads(line))  # raises if any line does not parse
    return records


def test_records_are_json_lines_readable_only_by_the_owner(tmp_path):
    log = AuditLog(tmp_path / "logs" / "agent_actions.log")
    log.write({"n": 1, "action": {"type": "click", "x": 1, "y": 2, "target": "OK"}})
    log.write({"n": 2, "text": "line\nbreak and ünïcode"})
    assert [r["n"] for r in lines_of(log.path)] == [1, 2]
    assert log.path.read_text("utf-8").count("\n") == 2
    assert stat.S_IMODE(log.path.stat().st_mode) == 0o600


def test_secrets_are_redacted_and_plain_text_kept():
    secret = redact_action({"type": "type", "text": "key AKIAIOSFODNN7EXAMPLE", "target": "form"})
    assert secret["text"]["redacted"] == "secret.aws_access_key"
    assert secret["text"]["length"] == 24 and len(secret["text"]["sha256"]) == 64
    password = redact_action({"type": "type", "text": "hunter2", "target": "Password field"})
    assert password["text"]["redacted"] == "secret_field"
    assert redact_action({"type": "type", "text": "hello"}) == {"type": "type", "text": "hello"}
    assert redact_action({"type": "click", "x": 1, "y": 1, "target": "OK"})["target"] == "OK"


def test_rotation_keeps_every_record(tmp_path):
    log = AuditLog(tmp_path / "agent_actions.log", max_bytes=2000)
    for n in range(300):
        log.write({"n": n, "pad": "x" * 50})
    rotated = log.rotated()
    assert len(rotated) >= 5
    records = lines_of(*rotated, log.path) if log.path.exists() else lines_of(*rotated)
    assert sorted(r["n"] for r in records) == list(range(300))


def test_threads_do_not_interleave_records(tmp_path):
    log = AuditLog(tmp_path / "agent_actions.log", max_bytes=50_000)

    def writer(k: int) -> None:
        for n in range(100):
            log.write({"writer": k, "n": n, "pad": "y" * random.randint(0, 3000)})

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    records = lines_of(*log.rotated(), *([log.path] if log.path.exists() else []))
    assert len(records) == 600


def _process_writer(path: str, k: int) -> None:
    log = AuditLog(Path(path), max_bytes=40_000)
    for n in range(80):
        log.write({"process": k, "n": n, "pad": "z" * 2000})


def test_processes_do_not_interleave_or_lose_records(tmp_path):
    path = tmp_path / "agent_actions.log"
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=_process_writer, args=(str(path), k)) for k in range(4)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
        assert process.exitcode == 0
    log = AuditLog(path)
    records = lines_of(*log.rotated(), *([path] if path.exists() else []))
    assert len(records) == 320
    assert {(r["process"], r["n"]) for r in records} == {(k, n) for k in range(4) for n in range(80)}


CHILD = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    from alphaomega.safety.audit import AuditLog

    log = AuditLog(Path(sys.argv[1]))
    for n in range(3):
        log.write({"n": n, "ok": True})

    def torn_write(self, data):  # write half a record, then hang: the test kills us here
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
        os.write(fd, data[: len(data) // 2])
        os.fsync(fd)
        print("HALF", flush=True)
        time.sleep(60)

    AuditLog._write = torn_write
    log.write({"n": 3, "pad": "w" * 5000})
""")


def test_a_process_killed_mid_write_leaves_only_parseable_lines(tmp_path):
    path = tmp_path / "logs" / "agent_actions.log"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE, cwd=REPO,
                             env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        assert child.stdout.readline().strip() == b"HALF"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(10)
    raw = path.read_bytes()
    assert not raw.endswith(b"\n")  # the torn record really is there
    log = AuditLog(path)
    log.write({"n": 4, "after": "restart"})
    records = lines_of(path)
    assert [r["n"] for r in records] == [0, 1, 2, 4]
    assert log.torn_path.read_bytes().startswith(b'{"n":3')


BUSY_CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    from alphaomega.safety.audit import AuditLog

    log = AuditLog(Path(sys.argv[1]), max_bytes=400_000)
    print("READY", flush=True)
    n = 0
    while True:
        log.write({"n": n, "pad": "q" * 200_000})
        n += 1
""")


@pytest.mark.parametrize("round_", range(4))
def test_killing_a_busy_writer_at_a_random_moment_loses_no_parseable_line(tmp_path, round_):
    path = tmp_path / "agent_actions.log"
    child = subprocess.Popen([sys.executable, "-c", BUSY_CHILD, str(path)], stdout=subprocess.PIPE, cwd=REPO,
                             env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        assert child.stdout.readline().strip() == b"READY"
        time.sleep(random.uniform(0.05, 0.4))
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(10)
    log = AuditLog(path, max_bytes=400_000)
    log.write({"n": "after"})
    files = log.rotated() + [path]
    records = lines_of(*[f for f in files if f.exists()])
    numbers = [r["n"] for r in records if r["n"] != "after"]
    assert numbers == sorted(numbers) and numbers == list(range(len(numbers)))  # nothing missing in between
    assert records[-1]["n"] == "after"
