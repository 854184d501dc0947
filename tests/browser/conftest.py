"""Fixtures for running built packages in Debian's Chromium through Playwright.

- ``chromium``: one headless browser for the session (never one Playwright downloaded).
- ``page``: a fresh context and page per test; console errors and uncaught exceptions fail
  the test at teardown unless it is marked ``console_errors_ok`` (then read ``console_log``).
- ``serve``: ``serve(folder)`` serves a folder on 127.0.0.1 and returns its base URL;
  ``served(folder)`` does the same with one server per folder for the whole session (for the
  shared builds: no server start and stop per test, none closed while a page still loads).
- ``built_web``: ``built_web(course_root)`` builds the web target into tmp and returns its folder;
  ``example_web`` is the example course's, built once per session, and ``every_type_web`` that
  of ``tests/fixtures/web/every-type`` (one question of every type in a quiz and in a test),
  ``blocks_web`` that of ``tests/fixtures/web/blocks`` (one of every other block).

Every test under ``tests/browser`` is marked ``browser`` (``pytest -m "not browser"`` skips
them). Accessibility and node helpers live in ``harness`` and ``oracles``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from harness import CHROMIUM_ARGS, VIEWPORT, ConsoleLog, StaticServer
from playwright.sync_api import Browser, Page, sync_playwright

from ceforge.build import build
from ceforge.diagnostics import CourseError, format_text
from oracles import chromium_path

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parent.parent / "examples" / "therapy-foundations"
EVERY_TYPE = HERE.parent / "fixtures" / "web" / "every-type"
BLOCKS = HERE.parent / "fixtures" / "web" / "blocks"

BuildWeb = Callable[[Path], Path]
Serve = Callable[[Path], str]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "console_errors_ok: the page fixture lets console errors and page errors pass",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    executable = chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=list(CHROMIUM_ARGS)
        )
        yield browser
        browser.close()


@pytest.fixture
def console_log() -> ConsoleLog:
    return ConsoleLog()


@pytest.fixture
def page(
    chromium: Browser, console_log: ConsoleLog, request: pytest.FixtureRequest
) -> Iterator[Page]:
    context = chromium.new_context(viewport=VIEWPORT)
    page = context.new_page()
    console_log.watch(page)
    yield page
    context.close()
    if console_log.errors and request.node.get_closest_marker("console_errors_ok") is None:
        pytest.fail(
            f"{len(console_log.errors)} console error(s) or page error(s):\n"
            + "\n".join(console_log.errors),
            pytrace=False,
        )


@pytest.fixture
def serve() -> Iterator[Serve]:
    servers: list[StaticServer] = []

    def start(folder: Path) -> str:
        server = StaticServer(folder)
        servers.append(server)
        return server.url

    yield start
    for server in servers:
        server.close()


@pytest.fixture(scope="session")
def served() -> Iterator[Serve]:
    servers: dict[Path, StaticServer] = {}

    def start(folder: Path) -> str:
        if folder not in servers:
            servers[folder] = StaticServer(folder)
        return servers[folder].url

    yield start
    for server in servers.values():
        server.close()


def _build_web(course: Path, out: Path) -> Path:
    try:
        (folder,) = build(course, ["web"], out).paths
    except CourseError as error:
        pytest.fail(f"{course} does not build:\n{format_text(error.diagnostics)}", pytrace=False)
    return folder


@pytest.fixture
def built_web(tmp_path_factory: pytest.TempPathFactory) -> BuildWeb:
    def build_one(course: Path) -> Path:
        return _build_web(course, tmp_path_factory.mktemp("web"))

    return build_one


@pytest.fixture(scope="session")
def example_web(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build_web(EXAMPLE, tmp_path_factory.mktemp("example-web"))


@pytest.fixture(scope="session")
def every_type_web(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build_web(EVERY_TYPE, tmp_path_factory.mktemp("every-type-web"))


@pytest.fixture(scope="session")
def blocks_web(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build_web(BLOCKS, tmp_path_factory.mktemp("blocks-web"))
