"""``ceforge preview``: a local LMS with a live inspector.

The course is built into a temporary folder and served on 127.0.0.1 beside an inspector page:

- ``builder``: builds generation after generation, keeping the last good one, and reads what
  each holds and how to launch it (SCOs, AUs, the Tin Can activity) with ``ceforge.validate``'s
  reading of the manifests (``ceforge.validate.contents``);
- ``watch``: polls the course folder and triggers rebuilds;
- ``lrs``: a small LRS in SQLite (statements, state, profiles);
- ``launcher``: the LMS side of cmi5 (LaunchData, fetch URL, launched/satisfied) and of a
  Tin Can launch;
- ``forward``: ``--lrs URL``, every stored statement to a real LRS too;
- ``server``: the HTTP server and ``Preview``, which ties the parts together;
- ``static/``: the inspector page and the strict LMS simulator (``static/lms/``, JavaScript);
- ``simulator`` and ``launch``: the simulator seen from Python, and ``run_headless``, which
  launches a package in Chromium under the simulator; ``validatelaunch``: ``ceforge validate
  --launch``, which unpacks a validated package for it.

``serve()`` is what the command line runs.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable
from pathlib import Path

from ceforge.targets.base import BuildOptions

DEFAULT_PORT = 8765


def serve(
    course: Path,
    *,
    target: str = "web",
    port: int = DEFAULT_PORT,
    lrs: str | None = None,
    open_browser: bool = True,
    options: BuildOptions | None = None,
    echo: Callable[[str], None] = print,
    stop: threading.Event | None = None,
) -> None:
    """Preview ``course`` until interrupted (Ctrl-C) or until ``stop`` is set.

    Raises ``OSError`` when the port is taken and ``ceforge.xapi.delivery.LRSError`` when ``lrs``
    is given without credentials in the environment.
    """
    from ceforge.preview.forward import Forwarder
    from ceforge.preview.server import Preview
    from ceforge.xapi.delivery import checked_endpoint, credentials_from

    forwarder = None
    if lrs:
        endpoint = checked_endpoint(lrs)
        username, password = credentials_from(os.environ)
        forwarder = Forwarder(endpoint, username, password)
    preview = Preview(course, target=target, port=port, options=options, forward=forwarder)
    with preview:
        state = preview.state
        echo(f"ceforge preview of {course} ({target}) at {preview.url}")
        if not state.ok:
            echo("the course does not build yet; the page shows why, and reloads once it does")
        if forwarder is not None:
            echo(f"statements also go to {forwarder.endpoint}")
        echo("edit the course and the preview rebuilds; Ctrl-C stops it")
        if open_browser:
            import webbrowser

            webbrowser.open(preview.url)
        waiter = stop or threading.Event()
        if threading.current_thread() is threading.main_thread():
            # A polite kill stops it as Ctrl-C does: the temporary folder goes too.
            signal.signal(signal.SIGTERM, lambda signum, frame: waiter.set())
        try:
            while not waiter.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
        echo("stopped")
