"""Launch a package headless in Chromium under the strict LMS simulator, and report.

``run_headless(package_dir, standard)`` serves the unpacked package with the preview server
(``Preview(package=…)``, no build, no watcher), opens the inspector page in headless Chromium
(through Playwright, with Debian's Chromium when there is one: ``CEFORGE_CHROMIUM`` or
``/usr/bin/chromium``), waits until the course has initialized and gone quiet, makes it exit
(its frame navigates away, as when a learner closes it), and returns a ``LaunchReport``: did
it find the API, initialize, set values, raise errors, terminate; the final data model; the
statements of a Tin Can or cmi5 package with the rules they break.

``run_headless_units(package_dir, standard, units)`` launches several SCOs or AUs in turn the
same way, with one server, one browser and one inspector page, and returns a report for each.
``ceforge validate --launch`` calls it on a package it has unpacked safely; the preview's
tests call it on ceforge's own builds. Playwright is needed (``pip install playwright``); a
launch that cannot run says why in ``LaunchReport.failure`` rather than raising.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ceforge.preview.simulator import LaunchReport, parse_log
from ceforge.validate.contents import ContentsError, PackageContents

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
)
_LOG_LENGTH = "window.ceforgePreview && ceforgePreview.sim() ? ceforgePreview.sim().log.length : 0"
_INITIALIZED = """() => {
  const sim = window.ceforgePreview && ceforgePreview.sim();
  return !sim || sim.log.some((e) => (e.call || '').endsWith('Initialize') && e.result === 'true');
}"""
#: Exit the course and launch ``unit`` (None: the current one) in ``mode``, as the inspector's
#: unit menu does; the API lookups are counted afresh, for this unit alone.
_RELAUNCH = """async ([unit, mode]) => {
  await ceforgePreview.exit();
  if (unit) document.querySelector('[data-testid=unit]').value = unit;
  document.querySelector('[data-testid=launch-mode]').value = mode;
  ceforgePreview.state.unitId = unit || ceforgePreview.state.unitId;
  ceforgePreview.state.apiLookups = 0;
  await ceforgePreview.relaunch(false);
}"""


def chromium_executable() -> str | None:
    """``CEFORGE_CHROMIUM``, else Debian's Chromium; None lets Playwright use its own."""
    configured = os.environ.get("CEFORGE_CHROMIUM")
    if configured:
        return configured
    return str(CHROMIUM) if CHROMIUM.is_file() else None


def run(package_dir: Path, *, chromium: str | None = None) -> dict[str, Any]:
    """``run_headless`` as JSON (``LaunchReport.to_json()``: ``failed``, ``summary`` lines, the
    calls, the data model, the statements), the standard detected from the package."""
    return run_headless(package_dir, chromium=chromium).to_json()


def run_headless(
    package_dir: Path,
    standard: str | None = None,
    *,
    unit: str | None = None,
    timeout: float = 20.0,
    settle: float = 1.5,
    launch_mode: str = "Normal",
    chromium: str | None = None,
) -> LaunchReport:
    """Launch the package unpacked in ``package_dir`` (``standard``: scorm12, scorm2004,
    tincan, cmi5, web, or None to detect it) and report what its runtime did. ``unit`` is the
    SCO or AU to launch (default: the package's first). ``chromium`` is the browser's
    executable (default: ``chromium_executable()``).

    The browser is driven from a thread of its own, so that a caller that already drives
    Playwright's synchronous API (a test, say) can launch packages too."""
    return run_headless_units(package_dir, standard, [unit], timeout=timeout, settle=settle,
                              launch_mode=launch_mode, chromium=chromium)[0]


def run_headless_units(
    package_dir: Path,
    standard: str | None,
    units: Sequence[str | None],
    *,
    timeout: float = 20.0,
    settle: float = 1.5,
    launch_mode: str = "Normal",
    chromium: str | None = None,
    contents: PackageContents | None = None,
) -> list[LaunchReport]:
    """``run_headless`` for each of ``units`` in turn (None: the package's first), one report
    each, with one preview server, one Chromium and one inspector page: a unit is launched
    from the inspector's unit menu once the one before it has exited, and gets the statements
    that reached the LRS during its own run. ``contents``: what ``ceforge validate`` read of
    the package (else its manifest is read here). A launch that cannot run at all returns a
    single report whose ``failure`` says why."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return [LaunchReport(standard, failure="Playwright is not installed "
                             "(pip install playwright): the package was not launched")]
    outcome: list[list[LaunchReport]] = []

    def work() -> None:
        try:
            outcome.append(_launch(package_dir, standard, units, timeout, settle, launch_mode,
                                   chromium, contents))
        except Exception as exc:  # reported, never raised: the caller's report stands
            outcome.append([LaunchReport(standard, failure=f"the launch failed: {exc!r}")])

    worker = threading.Thread(target=work, name="ceforge headless launch", daemon=True)
    worker.start()
    worker.join()
    return outcome[0]


def _launch(
    package_dir: Path, standard: str | None, units: Sequence[str | None], timeout: float,
    settle: float, launch_mode: str, chromium: str | None, contents: PackageContents | None,
) -> list[LaunchReport]:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    from ceforge.preview.server import Preview

    try:
        preview = Preview(package=package_dir, contents=contents, target=standard or "web",
                          watch=False).start()
    except (ContentsError, OSError) as exc:
        return [LaunchReport(standard, failure=str(exc))]
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium or chromium_executable(), headless=True,
                args=list(CHROMIUM_ARGS))
            try:
                return _run(preview, browser, units, timeout, settle, launch_mode)
            finally:
                browser.close()
    except PlaywrightError as exc:
        return [LaunchReport(preview.target, failure=f"Chromium failed: {exc}")]
    finally:
        preview.close()


def _run(
    preview: Any, browser: Any, units: Sequence[str | None], timeout: float, settle: float,
    launch_mode: str,
) -> list[LaunchReport]:
    """Open the inspector, which launches the first unit; then each unit in turn."""
    page = browser.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if _is_error(m) else None)
    page.on("pageerror", lambda e: console.append(f"uncaught {e}"))
    page.goto(preview.url)
    page.wait_for_function("window.ceforgePreview && window.ceforgePreview.ready",
                           timeout=timeout * 1000)
    launched = page.evaluate("ceforgePreview.state.unitId")
    reports = []
    for index, unit in enumerate(units):
        after = 0  # the first unit's statements include those of the inspector's own launch
        requests_after = 0
        if index or unit not in (None, launched) or launch_mode != "Normal":
            after = max((item["seq"] for item in preview.statements()), default=0)
            requests_after = preview.lrs.request_problem_count
            console.clear()
            page.evaluate(_RELAUNCH, [unit, launch_mode])
        reports.append(_observe(preview, page, console, (after, requests_after), timeout,
                                settle))
    return reports


def _is_error(message: Any) -> bool:
    """A console error worth reporting. Chromium logs every HTTP error of a fetch as one;
    a 404 from the xAPI State API only says that no bookmark was saved yet, which is how a
    first launch begins."""
    if message.type != "error":
        return False
    url = str((message.location or {}).get("url", ""))
    return not ("/activities/state" in url and "status of 404" in message.text)


def _observe(
    preview: Any, page: Any, console: list[str], after: tuple[int, int], timeout: float,
    settle: float,
) -> LaunchReport:
    """Wait for the launched unit to initialize and go quiet, make it exit, and report."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    deadline = time.monotonic() + timeout
    with contextlib.suppress(PlaywrightTimeout):  # reported: no successful Initialize
        page.wait_for_function(_INITIALIZED, timeout=timeout * 1000)
    _settle(page, settle, deadline)
    page.evaluate("async () => { await ceforgePreview.exit(); }")
    time.sleep(min(settle, 1.0))  # the last statements of an xAPI course, sent on pagehide
    data: dict[str, Any] = page.evaluate("ceforgePreview.report()")
    calls, notes = parse_log(data.get("log") or [])
    return LaunchReport(
        standard=data.get("standard") or preview.target,
        unit=data.get("unit"),
        api_found=bool(data.get("apiLookups")),
        calls=calls,
        notes=notes,
        model=dict(data.get("model") or {}),
        record=dict(data.get("record") or {}),
        problems=[str(p.get("problem")) for p in data.get("problems") or []],
        statements=preview.statements(after[0]),
        refused_requests=[item["text"] for item in preview.request_problems(after[1])],
        console_errors=list(console),
    )


def _settle(page: Any, quiet: float, deadline: float) -> None:
    """Wait until the simulator's log has not grown for ``quiet`` seconds (or the deadline)."""
    last = -1
    still_since = time.monotonic()
    while time.monotonic() < deadline:
        length = page.evaluate(_LOG_LENGTH)
        if length != last:
            last = length
            still_since = time.monotonic()
        elif time.monotonic() - still_since >= quiet:
            return
        time.sleep(0.2)
