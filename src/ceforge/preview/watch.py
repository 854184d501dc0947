"""Watching the course folder: a thread that polls modification times.

Polling (every 250 ms by default) needs no dependency and works the same on every system and
file system; a course is a few dozen files. Hidden files and folders (``.git``, ``.DS_Store``)
and editors' temporary files (``~``, ``.swp``) are not watched. ``on_change`` runs on the
watcher's thread once per detected change; an editor that writes a file in several steps may
cause two rebuilds, the last of which sees the finished file.
"""

from __future__ import annotations

import os
import threading
import traceback
from collections.abc import Callable
from pathlib import Path

Snapshot = dict[str, tuple[int, int]]
IGNORED_SUFFIXES = ("~", ".swp", ".swx", ".tmp")


def snapshot(root: Path) -> Snapshot:
    """Relative path -> (mtime in ns, size) of every watched file under ``root``."""
    found: Snapshot = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if name.startswith(".") or name.endswith(IGNORED_SUFFIXES):
                continue
            path = Path(folder) / name
            try:
                stat = path.stat()
            except OSError:  # removed while we looked
                continue
            found[path.relative_to(root).as_posix()] = (stat.st_mtime_ns, stat.st_size)
    return found


class Watcher:
    """Calls ``on_change`` when a file under ``root`` appears, changes or goes away."""

    def __init__(self, root: Path, on_change: Callable[[], None], interval: float = 0.25) -> None:
        self.root = root
        self.on_change = on_change
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last = snapshot(root)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="ceforge preview watch",
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def poll(self) -> bool:
        """Look once; True (after calling ``on_change``) when something changed."""
        now = snapshot(self.root)
        if now == self._last:
            return False
        self._last = now
        self.on_change()
        return True

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.poll()
            except Exception:  # keep watching: the next change may well build
                traceback.print_exc()
