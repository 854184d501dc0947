"""A real LRS for the tests: Ralph (``ralph-malph``, in its own venv under ``.oracles``), served
on 127.0.0.1 with its filesystem backend and HTTP basic auth.

As released, Ralph's filesystem backend opens its store with a "create" operation, so every
write after the first fails; ``SERVER`` switches the backend's default operation to "append"
before it starts uvicorn (a runtime patch of the installed Ralph: nothing of Ralph is copied
here). Users are created with ``ralph auth``. Ralph answers ``registration=`` queries but never
matches ``verb=`` or ``activity=`` filters, so the tests read a registration back whole.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tincan import RemoteLRS

from ceforge.xapi.delivery import basic_auth

STARTUP_SECONDS = 90.0

SERVER = """\
import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.data.fs import FSDataBackend

FSDataBackend.default_operation_type = BaseOperationType.APPEND  # append, do not re-create
uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


@dataclass(frozen=True)
class RalphLRS:
    endpoint: str  # the xAPI base, ``http://127.0.0.1:PORT/xAPI/``
    username: str
    password: str
    log: Path

    def remote(self, password: str | None = None) -> Any:
        auth = basic_auth(self.username, self.password if password is None else password)
        return RemoteLRS(endpoint=self.endpoint, auth=auth, version="1.0.3")

    def registration(self, registration: str) -> list[Any]:
        """Every statement stored for ``registration`` (tincan ``Statement`` objects), in
        timestamp order, following the ``more`` links."""
        lrs = self.remote()
        response = lrs.query_statements({"registration": registration, "limit": 100})
        assert response.success, response.data
        found = list(response.content.statements)
        more = response.content.more
        while more:
            response = lrs.more_statements(more)
            assert response.success, response.data
            found += response.content.statements
            more = response.content.more
        return sorted(found, key=lambda s: s.timestamp)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Ralph exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url + "__heartbeat__", timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    raise RuntimeError(f"Ralph did not answer within {STARTUP_SECONDS:g} s:\n{log.read_text()}")


@contextmanager
def running_ralph(
    python: Path,
    folder: Path,
    username: str,
    password: str,
    *,
    port: int | None = None,
    cors_origins: Sequence[str] = (),
) -> Iterator[RalphLRS]:
    """Ralph serving ``folder`` (store, auth file, logs) with one user, for the ``with``.

    ``port`` (default: a free one) and the same ``folder`` serve the same store again after a
    stop (the user is created only once); ``cors_origins`` are the web origins whose pages may
    call Ralph (a package served on another port of 127.0.0.1, say)."""
    folder.mkdir(parents=True, exist_ok=True)
    env = os.environ | {
        "RALPH_APP_DIR": str(folder / "app"),
        "RALPH_AUTH_FILE": str(folder / "auth.json"),
        "RALPH_RUNSERVER_BACKEND": "fs",
        "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(folder / "store"),
    }
    if cors_origins:
        env["RALPH_RUNSERVER_CORS_ALLOW_ORIGINS"] = json.dumps(list(cors_origins))
    ralph = python.parent / "ralph"
    if not (folder / "auth.json").exists():
        subprocess.run(
            [str(ralph), "auth", "-u", username, "-p", password, "-s", "all",
             "-M", f"mailto:{username}@example.org", "-w"],
            env=env, check=True, capture_output=True, timeout=120,
        )
    port = port or _free_port()
    log = folder / "server.log"
    script = folder / "serve.py"
    script.write_text(SERVER, encoding="utf-8")
    with log.open("ab") as out:
        process = subprocess.Popen(
            [str(python), str(script), str(port)], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        base = f"http://127.0.0.1:{port}/"
        _wait_until_up(base, process, log)
        yield RalphLRS(base + "xAPI/", username, password, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
