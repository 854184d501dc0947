"""The example course's web build opens in Chromium, over HTTP and from file://, with its
course data intact.

Only the launch page's contract is checked here (title, the ``#ceforge-course`` JSON); the
learner UI has tests of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
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
