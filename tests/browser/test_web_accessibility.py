"""axe-core finds no serious or critical WCAG 2.1 AA violation on any kind of view of the web
build, on a desktop (1280 px) and a phone (320 px) screen.

One learner walks the every-type fixture course (every question type in a knowledge check and
in the post-test) and axe runs at each step: the welcome screen, a content page, locked blocks,
every question type unanswered, warned and with feedback, the test with missing answers, a failed
and a passed result with the review, the evaluation, the attestation, the certificate and the
exit screen. Content pages of the example course (figures, tables, handouts) are checked too.
Everything is served over HTTP, never from file://.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from harness import SERIOUS, axe, describe_violations
from learner import (
    Course,
    attest,
    built_course_data,
    fill_survey,
    go_to_completion,
    go_to_page,
    launch,
    next_page,
    question_el,
    respond,
    take_test,
)
from playwright.sync_api import Page, expect

from spec import right_response, wrong_response

Serve = Callable[[Path], str]
WIDTHS = (1280, 320)


class Audit:
    """Runs axe at each checkpoint and collects what it finds, to report it all at once."""

    def __init__(self, page: Page, width: int) -> None:
        self.page = page
        self.width = width
        self.findings: list[str] = []
        self.checkpoints = 0

    def __call__(self, label: str) -> None:
        self.checkpoints += 1
        serious = [v for v in axe(self.page) if v["impact"] in SERIOUS]
        if serious:
            self.findings.append(f"--- {label} ({self.width} px, {self.page.url})\n"
                                 + describe_violations(serious))

    def assert_clean(self) -> None:
        if self.findings:
            pytest.fail(f"serious or critical accessibility violations in "
                        f"{len(self.findings)} of {self.checkpoints} views:\n"
                        + "\n".join(self.findings), pytrace=False)


@pytest.mark.parametrize("width", WIDTHS)
def test_every_view_of_the_every_type_course_passes_axe(
    page: Page, every_type_web: Path, served: Serve, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    audit = Audit(page, width)
    base = served(every_type_web) + "index.html"

    page.goto(base)
    audit("welcome screen asking the learner's name")
    page.get_by_test_id("name-submit").click()
    expect(page.locator("#cf-name-error")).not_to_be_empty()
    audit("welcome screen, name missing")
    course = launch(page, base, "Dana Whitfield")
    audit("content page: objectives, figure, table, links")
    if width < 700:
        toggle = page.get_by_test_id("toc-toggle")
        toggle.click()
        expect(toggle).to_have_attribute("aria-expanded", "true")
        audit("contents opened on a narrow screen")
        toggle.click()

    go_to_page(page, course.page_of("survey"))
    audit("evaluation, locked")
    go_to_page(page, course.page_of("attestation"))
    audit("attestation, locked")
    go_to_completion(page)
    expect(page.get_by_test_id("certificate-locked")).to_be_visible()
    audit("completion page, certificate locked")

    knowledge_checks(page, course, audit)
    post_test(page, course, audit)

    go_to_page(page, course.page_of("survey"))
    audit("evaluation, open")
    fill_survey(page, course.block("survey"))
    audit("evaluation, sent")
    go_to_page(page, course.page_of("attestation"))
    audit("attestation, open")
    attest(page, course.block("attestation"))
    audit("attestation, affirmed")
    next_page(page)
    expect(page.get_by_test_id("page-title")).to_have_text("About this course")
    audit("the About page (placed last by the course)")
    next_page(page)
    expect(page.get_by_test_id("certificate")).to_be_visible()
    audit("completion page with the certificate")
    page.get_by_test_id("exit").click()
    expect(page.get_by_test_id("exited")).to_be_visible()
    audit("after Exit course")
    audit.assert_clean()


def knowledge_checks(page: Page, course: Course, audit: Audit) -> None:
    block = course.block("quiz")
    go_to_page(page, block["page"])
    audit("knowledge check: every question type, unanswered")
    section = page.locator(f'section[data-block="{block["id"]}"]')
    first = question_el(section, block["questions"][0]["id"])
    first.get_by_test_id("check").click()
    expect(first.get_by_test_id("feedback")).not_to_be_empty()
    audit("knowledge check: 'answer first' warning")
    for question in block["questions"]:
        el = question_el(section, question["id"])
        response = "A thought." if question["type"] == "essay" else wrong_response(question)
        respond(page, el, question, response, keyboard=False)
        el.get_by_test_id("check").click()
        expect(el.get_by_test_id("feedback")).to_have_attribute(
            "data-result", "neutral" if question["type"] == "essay" else "incorrect")
    audit("knowledge check: feedback on wrong answers (and an essay)")
    for question in block["questions"]:
        if question["type"] == "essay":
            continue
        el = question_el(section, question["id"])
        el.get_by_test_id("retry").click()
        respond(page, el, question, right_response(question), keyboard=False)
        el.get_by_test_id("check").click()
        expect(el.get_by_test_id("feedback")).to_have_attribute("data-result", "correct")
    audit("knowledge check: feedback on right answers")


def post_test(page: Page, course: Course, audit: Audit) -> None:
    go_to_page(page, course.page_of("test"))
    audit("post-test: every question type, unanswered")
    test = page.get_by_test_id("test")
    test.get_by_test_id("test-submit").click()
    expect(test.get_by_test_id("test-message")).not_to_be_empty()
    audit("post-test: unanswered questions marked")
    one_point = [q["id"] for q in course.block("test")["questions"] if q["points"] == 1]
    take_test(page, course, lambda position, q: q["id"] not in one_point[:3])
    expect(test.get_by_test_id("test-status")).to_have_attribute("data-passed", "false")
    audit("test result: failed, a retake offered")
    test.get_by_test_id("test-retake").click()
    take_test(page, course, lambda position, q: q["id"] not in one_point[:2])
    expect(test.get_by_test_id("test-review")).to_be_visible()
    audit("test result: passed, with the review and the answers revealed")


@pytest.mark.parametrize("width", WIDTHS)
def test_example_content_pages_pass_axe(
    page: Page, example_web: Path, served: Serve, width: int
) -> None:
    data = built_course_data(example_web)
    pages = [p for m in data["modules"] for p in m["pages"]]
    content = [p for m in data["modules"] if not m.get("kind") for p in m["pages"]]
    chosen = {
        "the opening page of a module (objectives)": content[0]["id"],
        "the About page": "about",
        "the References page": "references",
        "a page with a figure": next(p["id"] for p in pages if "<img" in p["html"]),
        "a page with a table": next(p["id"] for p in pages if "<table" in p["html"]),
        "a page with a handout": next(p["id"] for p in pages if 'href="assets/' in p["html"]),
    }
    page.set_viewport_size({"width": width, "height": 800})
    audit = Audit(page, width)
    launch(page, served(example_web) + "index.html", "Dana Whitfield")
    for label, page_id in chosen.items():
        go_to_page(page, page_id)
        audit(f"{label}: {page_id}")
    audit.assert_clean()


def test_the_audit_reports_serious_violations_on_a_page_that_has_them(page: Page) -> None:
    """The checks above are not vacuous: axe, run as they run it, finds what a page gets wrong
    (an image without a text alternative, an unnamed button, grey text on grey)."""
    page.set_content(
        '<!DOCTYPE html><html lang="en"><head><title>Broken</title></head><body><main>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        '<button></button><p style="color:#999;background:#aaa">Faint text</p>'
        "</main></body></html>"
    )
    audit = Audit(page, 1280)
    audit("a page built to fail")
    assert audit.findings and audit.checkpoints == 1
    found = audit.findings[0]
    assert all(rule in found for rule in ("image-alt", "button-name", "color-contrast")), found
    with pytest.raises(pytest.fail.Exception, match="1 of 1 views"):
        audit.assert_clean()
