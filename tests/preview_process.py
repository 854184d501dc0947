"""``ceforge preview`` itself, in a process of its own, as a designer starts it.

``command_line(course, target, *options)`` runs ``python -m ceforge preview COURSE --target
TARGET --port 0 --no-open OPTIONS`` until the ``with`` ends (then stops it as a polite kill
does), and gives a ``ServedPreview``: its ``url``, and what its server tells the inspector
(``api("status")``, ``api("snapshots")``, ``statements()``), read over HTTP.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


class ServedPreview:
    """A preview that ``ceforge preview`` serves in another process, seen over HTTP."""

    def __init__(self, url: str) -> None:
        self.url = url

    def api(self, name: str) -> Any:
        with urllib.request.urlopen(self.url + "api/" + name, timeout=10) as answer:
            return json.loads(answer.read())

    def statements(self, after: int = 0) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = self.api(f"statements?after={after}")
        return items


@contextmanager
def command_line(course: Path, target: str, *options: str) -> Iterator[ServedPreview]:
    """``ceforge preview COURSE --target TARGET OPTIONS`` on a free port, until the ``with``
    ends (then stopped as Ctrl-C or a polite kill stops it)."""
    command = [sys.executable, "-m", "ceforge", "preview", str(course), "--target", target,
               "--port", "0", "--no-open", *options]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True,
                               env=os.environ | {"PYTHONUNBUFFERED": "1"})
    assert process.stdout is not None
    try:
        first = process.stdout.readline()  # "ceforge preview of COURSE (TARGET) at URL"
        assert " at http://127.0.0.1:" in first, f"ceforge preview said {first!r}"
        served = ServedPreview(first.rsplit(" at ", 1)[1].strip())
        assert served.api("status")["build"]["ok"], served.api("status")["build"]
        yield served
    finally:
        process.terminate()
        process.wait(timeout=20)
        process.stdout.close()
