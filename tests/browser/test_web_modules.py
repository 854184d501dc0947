"""The web build opened from disk (``file://``) loads each module's text when the learner first
needs it (docs/runtime.md, "Modules loaded on demand"): the launch page holds no page's text,
the first page comes with its module alone (and the next one, loaded ahead), a page of a later
module shows once its script has come, a learner who comes back resumes on such a page, and a
module whose script is missing says so in the page's place."""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path

import pytest
from learner import built_course_data, go_to_page
from playwright.sync_api import Page, expect

from ceforge.coursedata import module_data_path

NAME = "Robin Lee"
LOADED = ("() => Array.from(document.querySelectorAll('script[src^=\"ceforge/modules/\"]'))"
          ".map((s) => s.getAttribute('src'))")


def module_scripts(page: Page) -> list[str]:
    scripts: list[str] = page.evaluate(LOADED)
    return scripts


@pytest.fixture
def web_copy(example_web: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "web"
    shutil.copytree(example_web, folder)
    return folder


def test_the_launch_page_holds_no_page_text_and_each_module_has_a_script(
    example_web: Path,
) -> None:
    html = (example_web / "index.html").read_text(encoding="utf-8")
    data = built_course_data(example_web)
    first = data["modules"][0]["pages"][0]["html"]
    assert first and first[:80] not in html
    for module in data["modules"]:
        assert (example_web / "ceforge" / "modules" / f"{module['id']}.js").is_file()


def first_words(html: str) -> str:
    """The first words of a page's first paragraph, as the learner reads them."""
    found = re.search(r"<p>(.*?)</p>", html, re.S)
    assert found is not None
    return " ".join(unescape(re.sub(r"<[^>]+>", "", found.group(1))).split()[:6])


def start(page: Page, url: str) -> None:
    """Open the course and give the learner's name, without reading the course data from the
    page (which loads every module)."""
    page.goto(url)
    page.get_by_test_id("name-input").fill(NAME)
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("page-title")).to_be_visible()


def test_from_file_the_first_page_loads_its_module_and_the_next_one(
    page: Page, example_web: Path
) -> None:
    modules = built_course_data(example_web)["modules"]
    start(page, (example_web / "index.html").as_uri())
    expect(page.locator(".cf-page-content")).to_contain_text(
        first_words(modules[0]["pages"][0]["html"]))
    page.wait_for_function(f"() => ({LOADED})().length >= 2")
    assert module_scripts(page) == [module_data_path(m["id"]) for m in modules[:2]]


def test_a_page_of_a_later_module_shows_once_its_script_has_come_and_resumes_there(
    page: Page, example_web: Path
) -> None:
    modules = built_course_data(example_web)["modules"]
    later = modules[4]  # no page before it loaded it ahead
    shown = later["pages"][-1]
    start(page, (example_web / "index.html").as_uri())
    assert module_data_path(later["id"]) not in module_scripts(page)
    go_to_page(page, shown["id"])
    title = page.get_by_test_id("page-title")
    expect(title).to_have_text(shown["title"])
    content = page.locator(".cf-page-content")
    expect(content).to_contain_text(first_words(shown["html"]))
    assert module_data_path(later["id"]) in module_scripts(page)
    # The learner comes back: the page resumes, its module loaded first.
    page.reload()
    expect(title).to_have_text(shown["title"])
    expect(page.get_by_test_id("notice").first).to_be_visible()
    expect(content).to_contain_text(first_words(shown["html"]))
    assert module_scripts(page)[0] == module_data_path(later["id"])


@pytest.mark.console_errors_ok
def test_a_missing_module_script_is_reported_in_the_page_s_place(
    page: Page, web_copy: Path
) -> None:
    modules = built_course_data(web_copy)["modules"]
    second = modules[1]
    (web_copy / module_data_path(second["id"])).unlink()
    start(page, (web_copy / "index.html").as_uri())
    go_to_page_without_focus(page, second["pages"][0]["id"])
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(module_data_path(second["id"]))
    # The rest of the course still works.
    go_to_page(page, modules[0]["pages"][0]["id"])
    expect(page.get_by_test_id("page-title")).to_have_text(modules[0]["pages"][0]["title"])


def go_to_page_without_focus(page: Page, page_id: str) -> None:
    """Follow a contents link to a page that will not show (no heading takes the focus)."""
    link = page.locator(f'[data-testid=toc-link][data-page="{page_id}"]')
    toggle = page.get_by_test_id("toc-toggle")
    if not link.is_visible() and toggle.is_visible():
        toggle.click()
    link.click()
    expect(page).to_have_url(page.url.split("#")[0] + f"#/page/{page_id}")
