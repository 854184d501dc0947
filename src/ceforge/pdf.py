"""HTML to PDF with Chromium's own printing, driven by Playwright: the optional extra
``ceforge[pdf]`` (``pip install 'ceforge[pdf]'``). The dossier and the certificates need
nothing of it as HTML.

Chromium prints the pages as they print from the browser: the ``@page`` rules of the
document's stylesheet choose the paper and the margins, and its margin boxes the page numbers.
Playwright never downloads a browser for ceforge: the Chromium used is ``$CEFORGE_CHROMIUM``,
else the first of ``chromium``, ``chromium-browser``, ``google-chrome`` on the ``PATH``.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Sequence
from pathlib import Path

EXTRA_HINT = "pip install 'ceforge[pdf]'"
BROWSERS = ("chromium", "chromium-browser", "google-chrome")
TIMEOUT_MS = 120_000


class PdfUnavailable(Exception):
    """No PDF engine here: the message says what to install."""


def chromium() -> str:
    """The Chromium to print with, or PdfUnavailable saying what is missing."""
    try:
        import playwright.sync_api  # noqa: F401
        import pypdf  # noqa: F401
    except ImportError:
        raise PdfUnavailable(
            f"PDF output needs the pdf extra, which is not installed: {EXTRA_HINT} "
            "(Playwright, which prints with Chromium, and pypdf); the HTML needs nothing more"
        ) from None
    configured = os.environ.get("CEFORGE_CHROMIUM")
    if configured:
        if not Path(configured).is_file():
            raise PdfUnavailable(f"CEFORGE_CHROMIUM names {configured}, which does not exist")
        return configured
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise PdfUnavailable(
        "PDF output prints with Chromium, and none was found: install it (Debian: apt-get "
        "install chromium) or set CEFORGE_CHROMIUM to its executable"
    )


def print_to_pdf(jobs: Sequence[tuple[Path, Path]]) -> None:
    """Print each HTML file to its PDF file (pairs ``(html, pdf)``), in one browser.

    Playwright's synchronous API refuses to run where an asyncio loop runs (a notebook, an
    application that already drives a browser): the printing runs in a thread of its own."""
    executable = chromium()
    failure: list[BaseException] = []

    def run() -> None:
        try:
            _print(executable, jobs)
        except BaseException as exc:  # handed to the caller's thread
            failure.append(exc)

    thread = threading.Thread(target=run, name="ceforge-pdf")
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


def _print(executable: str, jobs: Sequence[tuple[Path, Path]]) -> None:
    from playwright.sync_api import Error, sync_playwright

    try:
        with sync_playwright() as play:
            browser = play.chromium.launch(executable_path=executable)
            try:
                page = browser.new_page()
                for html, pdf in jobs:
                    page.goto(html.resolve().as_uri(), wait_until="load", timeout=TIMEOUT_MS)
                    page.emulate_media(media="print")
                    # outline: PDF bookmarks from the headings; tagged: for screen readers
                    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True,
                             outline=True, tagged=True)
            finally:
                browser.close()
    except Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise PdfUnavailable(f"Chromium ({executable}) could not print the PDF: {first}") from None


def pages_text(pdf: Path) -> list[str]:
    """The text of each page of a PDF (pypdf, of the extra), ligatures undone."""
    import unicodedata

    try:
        from pypdf import PdfReader
    except ImportError:
        raise PdfUnavailable(
            f"PDF output needs the pdf extra, which is not installed: {EXTRA_HINT} (pypdf)"
        ) from None
    return [unicodedata.normalize("NFKC", page.extract_text() or "")
            for page in PdfReader(pdf).pages]
