"""What the browser tests share besides fixtures: the static server, the console log, axe.

The fixtures of ``conftest.py`` are built from these; tests import the helpers
(``from harness import assert_no_serious_axe_violations``).
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Error, Page, ViewportSize

from oracles import node_module

CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
)
VIEWPORT: ViewportSize = {"width": 1280, "height": 800}
WCAG_21_AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
SERIOUS = ("serious", "critical")


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves one folder, logs nothing, forbids caching, and answers a missing favicon."""

    extensions_map = {  # noqa: RUF012  (the base class declares it so)
        **SimpleHTTPRequestHandler.extensions_map,
        ".html": "text/html; charset=utf-8",
        ".js": "text/javascript; charset=utf-8",
        ".mjs": "text/javascript; charset=utf-8",
        ".css": "text/css; charset=utf-8",
        ".json": "application/json",
        ".svg": "image/svg+xml",
        ".xml": "application/xml",
    }

    def send_head(self) -> Any:
        # Chromium asks every origin for /favicon.ico; a package need not have one.
        if self.path == "/favicon.ico" and not Path(self.translate_path(self.path)).exists():
            self.send_response(204)
            self.end_headers()
            return None
        return super().send_head()

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


class StaticServer:
    """A threaded HTTP server for ``folder`` on 127.0.0.1 and a free port."""

    def __init__(self, folder: Path) -> None:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, name=f"serve {folder}", daemon=True
        )
        self._thread.start()

    @property
    def url(self) -> str:
        """The base URL, ending with a slash."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)


@dataclass
class ConsoleLog:
    """Console errors and uncaught exceptions of one page, as readable lines."""

    errors: list[str] = field(default_factory=list)

    def watch(self, page: Page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", self._on_pageerror)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location
            self.errors.append(
                f"console.error at {where.get('url')}:{where.get('lineNumber')}: {message.text}"
            )

    def _on_pageerror(self, error: Error) -> None:
        self.errors.append(f"uncaught {error.stack or f'{error.name}: {error.message}'}")


def axe(page: Page, tags: tuple[str, ...] = WCAG_21_AA) -> list[dict[str, Any]]:
    """Run axe-core (the npm oracle) on the page as it is now; return its violations."""
    script = node_module("axe-core") / "axe.min.js"
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=script.read_text(encoding="utf-8"))
    violations: list[dict[str, Any]] = page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return results.violations;
        }""",
        list(tags),
    )
    return violations


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}"
                     f" ({violation['helpUrl']})")
        for node in violation["nodes"]:
            lines.append(f"    at {' '.join(map(str, node['target']))}: {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n      ")
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)


def assert_no_serious_axe_violations(page: Page) -> None:
    """Fail with axe's details when the page has a serious or critical WCAG 2.1 AA violation."""
    serious = [v for v in axe(page) if v["impact"] in SERIOUS]
    if serious:
        pytest.fail(
            f"{len(serious)} serious or critical accessibility violation(s) on {page.url}:\n"
            + describe_violations(serious),
            pytrace=False,
        )
