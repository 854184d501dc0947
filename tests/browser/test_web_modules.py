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
from learner import built_course_data, follow_toc, go_to_page
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


# --- the course's own pages, reached before the modules they draw on ------------------------------


def test_the_glossary_page_reached_first_from_the_contents_lists_every_term(
    page: Page, example_web: Path
) -> None:
    data = built_course_data(example_web)
    modules = data["modules"]
    start(page, (example_web / "index.html").as_uri())
    follow_toc(page, page.get_by_test_id("toc-glossary"), "#/glossary")
    expect(page.get_by_test_id("page-title")).to_have_text("Glossary")
    glossary = page.get_by_test_id("glossary")
    expect(glossary.locator("dfn")).to_have_count(len(data["glossary"]))
    term = data["glossary"][0]
    expect(glossary.locator(f'[data-term="{term["id"]}"] dd')).to_have_text(term["text"])
    # The later modules are not needed for it and are not loaded for it.
    assert module_data_path(modules[-1]["id"]) not in module_scripts(page)
    # A reload on the Glossary page shows it again, before any page's module is asked for.
    page.reload()
    expect(page.get_by_test_id("page-title")).to_have_text("Glossary")
    expect(page.get_by_test_id("glossary").locator("dfn")).to_have_count(len(data["glossary"]))


def test_the_resources_page_reached_first_from_the_contents_lists_every_handout(
    page: Page, example_web: Path
) -> None:
    data = built_course_data(example_web)
    start(page, (example_web / "index.html").as_uri())
    follow_toc(page, page.get_by_test_id("toc-resources"), "#/resources")
    resources = page.get_by_test_id("resource")
    expect(resources).to_have_count(len(data["resources"]))
    for link, resource in zip(resources.all(), data["resources"], strict=True):
        expect(link).to_contain_text(resource["name"])
        expect(link).to_have_attribute("href", resource["path"])
    assert module_data_path(data["modules"][-1]["id"]) not in module_scripts(page)


def test_my_reflections_reached_first_shows_the_prompts_of_modules_not_yet_loaded(
    page: Page, example_web: Path
) -> None:
    data = built_course_data(example_web)
    reflections = [b for b in data["blocks"] if b["kind"] == "reflection"]
    assert reflections
    holder = next(m for m in data["modules"] if m["id"] == reflections[0]["module"])
    start(page, (example_web / "index.html").as_uri())
    assert module_data_path(holder["id"]) not in module_scripts(page)
    follow_toc(page, page.get_by_test_id("toc-reflections"), "#/reflections")
    prompt = page.locator(f'[data-block="{reflections[0]["id"]}"] .cf-journal-prompt')
    expect(prompt).to_contain_text(first_words(reflections[0]["intro_html"]))
    assert module_data_path(holder["id"]) in module_scripts(page)


def test_the_journal_downloaded_and_printed_from_the_completion_page_has_every_prompt(
    page: Page, example_web: Path
) -> None:
    data = built_course_data(example_web)
    reflections = [b for b in data["blocks"] if b["kind"] == "reflection"]
    holder = reflections[0]["module"]
    start(page, (example_web / "index.html").as_uri())
    page.evaluate("() => { location.hash = '#/completion'; }")
    expect(page.get_by_test_id("reflections-download")).to_be_visible()
    assert module_data_path(holder) not in module_scripts(page)
    with page.expect_download() as download:
        page.get_by_test_id("reflections-download").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    for block in reflections:
        assert "## " + first_words(block["intro_html"]) in text
    # Print opens My reflections and prints it once its prompts are there.
    page.reload()
    expect(page.get_by_test_id("reflections-print")).to_be_visible()
    assert module_data_path(holder) not in module_scripts(page)
    page.evaluate("() => { window.printed = []; window.print = () => { window.printed.push("
                  "document.querySelector('.cf-journal-prompt').textContent); }; }")
    page.get_by_test_id("reflections-print").click()
    page.wait_for_function("() => window.printed.length === 1")
    printed: list[str] = page.evaluate("() => window.printed")
    assert first_words(reflections[0]["intro_html"]) in " ".join(printed[0].split())


def test_a_scenario_s_run_counts_on_the_post_test_before_its_module_is_loaded_again(
    page: Page, blocks_web: Path
) -> None:
    data = built_course_data(blocks_web)
    scenario = next(b for b in data["blocks"] if b.get("scenario") and b["scenario"]["graded"])
    test = next(b for b in data["blocks"] if b["kind"] == "test")
    assert scenario["module"] != test["module"]
    start(page, (blocks_web / "index.html").as_uri())
    go_to_page(page, scenario["page"])
    for choice in ("b", "a"):  # the good end: 10 of 10
        page.locator(f'[data-testid=scenario-choice][data-choice="{choice}"]').click()
    expect(page.get_by_test_id("scenario-outcome")).to_have_attribute("data-outcome", "good")
    go_to_page(page, test["page"])
    expect(page.get_by_test_id("test")).to_be_visible()
    # The learner comes back on the post-test's page: the scenario's module is not loaded, its
    # run is read from the saved state, and the test is open with the scenario's points.
    page.reload()
    expect(page.get_by_test_id("test").get_by_test_id("test-attempt")).to_be_visible()
    expect(page.get_by_test_id("locked")).to_have_count(0)
    assert module_data_path(scenario["module"]) not in module_scripts(page)
    points = page.evaluate("() => Ceforge.app.gradedPoints()")
    assert (points["raw"], points["max"]) == (10, 10)
