"""The web build on a 320 px wide screen: nothing makes the page scroll sideways, the contents
open behind their button, and what must be wider than the screen (a table) scrolls on its own,
reachable with the keyboard.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from learner import (
    complete_course,
    go_to_page,
    launch,
    next_page,
    question_el,
    respond,
)
from playwright.sync_api import Page, expect

from spec import wrong_response

Serve = Callable[[Path], str]
PHONE = {"width": 320, "height": 640}

OVERFLOW = """() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  const wide = [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > width + 0.5 && el.offsetParent !== null)
    .filter((el) => !el.closest(".cf-scroll"))
    .slice(0, 5)
    .map((el) => el.outerHTML.slice(0, 120));
  return {scrollWidth: root.scrollWidth, clientWidth: width, wide};
}"""


def assert_no_horizontal_scroll(page: Page, what: str) -> None:
    found = page.evaluate(OVERFLOW)
    assert found["scrollWidth"] <= found["clientWidth"], (
        f"{what} scrolls sideways at 320 px ({found['scrollWidth']} > {found['clientWidth']});"
        " too wide: " + "\n".join(found["wide"]))


def test_no_page_of_the_example_course_scrolls_sideways_on_a_phone(
    page: Page, example_web: Path, served: Serve
) -> None:
    page.set_viewport_size(PHONE)
    course = launch(page, served(example_web) + "index.html", "Dana Whitfield")
    for entry in course.pages:
        assert_no_horizontal_scroll(page, f"page {entry['id']}")
        next_page(page)
    assert_no_horizontal_scroll(page, "the completion page")


def test_questions_and_the_certificate_fit_a_phone(
    page: Page, every_type_web: Path, served: Serve
) -> None:
    page.set_viewport_size(PHONE)
    course = launch(page, served(every_type_web) + "index.html", "Maximiliana Featherstonehaugh-"
                    "Cholmondeley de la Fontaine-Wolstenholme")
    assert_no_horizontal_scroll(page, "a content page")

    quiz = course.block("quiz")
    go_to_page(page, quiz["page"])
    assert_no_horizontal_scroll(page, "a knowledge check")
    for question in quiz["questions"]:
        el = question_el(page, question["id"])
        response = "A thought." if question["type"] == "essay" else wrong_response(question)
        respond(page, el, question, response, keyboard=False)
        el.get_by_test_id("check").click()
        expect(el.get_by_test_id("feedback")).not_to_be_empty()
    assert_no_horizontal_scroll(page, "a knowledge check with feedback")

    go_to_page(page, course.page_of("test"))
    assert_no_horizontal_scroll(page, "the post-test")
    complete_course(page, course)
    expect(page.get_by_test_id("certificate")).to_be_visible()
    assert_no_horizontal_scroll(page, "the certificate")


def test_the_contents_open_behind_their_button_on_a_phone(
    page: Page, every_type_web: Path, served: Serve
) -> None:
    page.set_viewport_size(PHONE)
    course = launch(page, served(every_type_web) + "index.html", "Dana Whitfield")
    toggle = page.get_by_test_id("toc-toggle")
    target = page.locator(f'[data-testid=toc-link][data-page="{course.page_of("test")}"]')
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(target).to_be_hidden()
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(target).to_be_visible()
    assert_no_horizontal_scroll(page, "the open contents")
    target.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("test")).to_be_visible()
    expect(page.get_by_test_id("page-title")).to_be_focused()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(target).to_be_hidden()


def test_a_wide_table_scrolls_by_keyboard_on_a_phone(
    page: Page, example_web: Path, served: Serve
) -> None:
    page.set_viewport_size(PHONE)
    course = launch(page, served(example_web) + "index.html", "Dana Whitfield")
    wide = next(p["id"] for p in course.pages if "<table" in p["html"])
    go_to_page(page, wide)
    table = page.locator("article table").first
    scroller = table.locator("xpath=..")
    sizes = scroller.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert sizes[0] > sizes[1], "the table is expected to be wider than a phone"
    assert_no_horizontal_scroll(page, f"page {wide}")
    # The learner can Tab to the scrolling region and move it with the arrow keys.
    assert scroller.evaluate("el => el.tabIndex") == 0
    expect(scroller).to_have_attribute("role", "region")
    expect(scroller).to_have_attribute("aria-label", "Table (scrolls sideways)")
    scroller.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("End")
    page.wait_for_function("el => el.scrollLeft > 0", arg=scroller.element_handle())
    assert table.evaluate("el => getComputedStyle(el).display") == "table"
