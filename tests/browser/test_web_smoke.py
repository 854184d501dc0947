"""The example course's web build opens in Chromium, over HTTP and from file://, with its
course data intact.

Only the launch page's contract is checked here (title, the ``#ceforge-course`` JSON); the
learner UI has tests of its own. And the ``page`` fixture's watch over the console, on which
every browser test leans, sees what it must.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from harness import ConsoleLog
from playwright.sync_api import Page

from ceforge.build import check_course_folder
from ceforge.config import CourseConfig

COURSE_DATA = "() => JSON.parse(document.getElementById('ceforge-course').textContent)"


@pytest.fixture
def config(example_course: Path) -> CourseConfig:
    result = check_course_folder(example_course)
    assert result.course is not None, [str(d) for d in result.diagnostics]
    return result.course.config


@pytest.fixture
def web(example_web: Path) -> Path:
    return example_web


def assert_launch_page(page: Page, config: CourseConfig) -> None:
    assert page.title() == config.title
    data: dict[str, Any] = page.evaluate(COURSE_DATA)
    assert data["course"]["id"] == config.id
    assert data["course"]["title"] == config.title


def test_web_build_over_http(page: Page, web: Path, serve: Callable[[Path], str],
                             config: CourseConfig) -> None:
    response = page.goto(serve(web) + "index.html")
    assert response is not None and response.ok
    assert_launch_page(page, config)


def test_web_build_from_file_url(page: Page, web: Path, config: CourseConfig) -> None:
    page.goto((web / "index.html").as_uri())
    assert_launch_page(page, config)


@pytest.mark.console_errors_ok
def test_the_page_fixture_sees_console_errors_and_uncaught_exceptions(
    page: Page, console_log: ConsoleLog
) -> None:
    """Without the mark, these two would fail the test at teardown: the check every other
    browser test gets for free is not vacuous."""
    with page.expect_event("console"), page.expect_event("pageerror"):
        page.set_content("<script>console.error('logged'); throw new Error('thrown');</script>")
    assert len(console_log.errors) == 2
    assert "logged" in console_log.errors[0] and "Error: thrown" in console_log.errors[1]
