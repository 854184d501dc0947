"""Taking a built course as a learner would: through its controls, by mouse or keyboard.

The DOM is read through the ``data-testid`` hooks of docs/runtime.md. Right answers come from
the course data embedded in the launch page (``#ceforge-course``), looked up by the
``data-question`` id of the question on screen; the runtime's state is never touched here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from playwright.sync_api import Frame, Locator, Page, expect

from ceforge.coursedata import join_course_data, read_module_script
from spec import attempt_permille, right_response, wrong_response

#: The course data of the launch page, every module's text loaded into it (core/modules.js).
COURSE_DATA = ("() => Ceforge.modules.loadAll("
               "JSON.parse(document.getElementById('ceforge-course').textContent))")
ESSAY = "I reflected the client's feeling and checked that I had understood."
#: The licence details a learner gives where the certificate asks for them.
LICENSE = {"number": "LPC 12345", "state": "Nova Scotia"}

Question = dict[str, Any]
Block = dict[str, Any]


@dataclass
class Course:
    """The course data of the launch page, indexed."""

    data: dict[str, Any]

    @cached_property
    def pages(self) -> list[dict[str, Any]]:
        return [page for module in self.data["modules"] for page in module["pages"]]

    @cached_property
    def questions(self) -> dict[str, Question]:
        return {q["id"]: q for block in self.data["blocks"] for q in block["questions"]}

    def blocks_on(self, page_id: str) -> list[Block]:
        return [b for b in self.data["blocks"] if b["page"] == page_id]

    def block(self, kind: str) -> Block:
        return next(b for b in self.data["blocks"] if b["kind"] == kind)

    def page_of(self, kind: str) -> str:
        page_id: str = self.block(kind)["page"]
        return page_id


def read_course(page: Page) -> Course:
    return Course(page.evaluate(COURSE_DATA))


def built_course_data(folder: Path, page: str = "index.html") -> dict[str, Any]:
    """The course data of a built launch page, read without a browser: what it embeds, with
    the text of the modules it loads on demand put back (``join_course_data``)."""
    html = (folder / page).read_text(encoding="utf-8")
    found = re.search(r'<script type="application/json" id="ceforge-course">(.*?)</script>',
                      html, re.S)
    assert found is not None, f"no #ceforge-course in {page}"
    data: dict[str, Any] = json.loads(found.group(1))
    parts = {m["id"]: read_module_script((folder / m["data"]).read_text(encoding="utf-8"))
             for m in data["modules"] if "data" in m}
    return join_course_data(data, parts)


def launch(page: Page, url: str, name: str) -> Course:
    """Open the course for the first time and give the learner's name on the welcome screen,
    typing it into the focused field and pressing Enter."""
    page.goto(url)
    name_input = page.get_by_test_id("name-input")
    expect(name_input).to_be_focused()
    page.keyboard.type(name)
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("page-title")).to_be_visible()
    return read_course(page)


def go_to_page(page: Page, page_id: str, *, keyboard: bool = True) -> None:
    """Follow the page's link in the table of contents."""
    link = page.locator(f'[data-testid=toc-link][data-page="{page_id}"]')
    follow_toc(page, link, f"#/page/{page_id}", keyboard=keyboard)


def go_to_completion(page: Page, *, keyboard: bool = True) -> None:
    """Follow the completion page's link in the table of contents."""
    follow_toc(page, page.get_by_test_id("toc-completion"), "#/completion", keyboard=keyboard)


def follow_toc(page: Page, link: Locator, route: str, *, keyboard: bool = True) -> None:
    """Follow a link of the table of contents, opening it first on a narrow screen (where it
    hides behind the Contents button); the new view's heading takes the focus."""
    if page.url.endswith(route):
        return
    toggle = page.get_by_test_id("toc-toggle")
    if not link.is_visible() and toggle.is_visible():
        if keyboard:
            toggle.focus()
            page.keyboard.press("Enter")
        else:
            toggle.click()
        expect(toggle).to_have_attribute("aria-expanded", "true")
        expect(link).to_be_visible()
    if keyboard:
        link.focus()
        page.keyboard.press("Enter")
    else:
        link.click()
    expect(page).to_have_url(page.url.split("#")[0] + route)
    expect(page.get_by_test_id("page-title")).to_be_focused()


def question_el(scope: Page | Locator, question_id: str) -> Locator:
    return scope.locator(f'.cf-question[data-question="{question_id}"]')


def shown_ids(scope: Locator, selector: str, attribute: str) -> list[str]:
    ids: list[str] = scope.locator(selector).evaluate_all(
        f"els => els.map(el => el.getAttribute('{attribute}'))")
    return ids


# --- answering ------------------------------------------------------------------------------


def respond(page: Page, el: Locator, question: Question, response: Any, *,
            keyboard: bool = True) -> None:
    """Give ``response`` (the neutral response form) through the question's own controls."""
    qtype = question["type"]
    if qtype in ("choice", "true-false", "likert"):
        _toggle(page, el.locator(f'input[value="{response}"]'), keyboard)
    elif qtype == "multiple-choice":
        wanted = set(response)
        for box in el.locator("input[type=checkbox]").all():
            if box.is_checked() != (box.get_attribute("value") in wanted):
                _toggle(page, box, keyboard)
    elif qtype in ("fill-in", "numeric", "essay"):
        field_ = el.locator("input[type=text], textarea")
        if keyboard:
            field_.focus()
            page.keyboard.press("Control+A")
            page.keyboard.press("Delete")
            page.keyboard.type(response)
        else:
            field_.fill(response)
    elif qtype == "matching":
        for source, target in response:
            el.locator(f'select[data-source="{source}"]').select_option(target)
    elif qtype == "sequencing":
        reorder(page, el, list(response), keyboard=keyboard)
    else:
        raise ValueError(f"no control for {qtype}")


def _toggle(page: Page, control: Locator, keyboard: bool) -> None:
    if keyboard:
        control.focus()
        page.keyboard.press("Space")
    else:
        control.click()


def reorder(page: Page, el: Locator, order: list[str], *, keyboard: bool = True) -> None:
    """Put a sequence in ``order`` with its Move up buttons. With the keyboard, Enter (and
    Space) is pressed on the focused button again and again: focus must follow the item."""
    items = el.locator("li[data-item]")
    for position, item in enumerate(order):
        # The list is drawn again after each move: wait for it whole before reading it.
        expect(items).to_have_count(len(order))
        expect(el.locator(f'li[data-item="{item}"]')).to_have_count(1)
        current = shown_ids(el, "li[data-item]", "data-item")
        moves = current.index(item) - position
        if moves <= 0:
            continue
        up = el.locator(f'li[data-item="{item}"] [data-testid=move-up]')
        if keyboard:
            up.focus()
            for n in range(moves):
                page.keyboard.press("Enter" if n % 2 == 0 else "Space")
        else:
            for _ in range(moves):
                el.locator(f'li[data-item="{item}"] [data-testid=move-up]').click()
        expect(items.nth(position)).to_have_attribute("data-item", item)
    assert shown_ids(el, "li[data-item]", "data-item") == order


def shown_response(el: Locator, question: Question) -> Any:
    """What the controls of a question show now, in the neutral response form."""
    qtype = question["type"]
    if qtype in ("choice", "true-false", "likert"):
        checked = shown_ids(el, "input:checked", "value")
        return checked[0] if checked else None
    if qtype == "multiple-choice":
        return sorted(shown_ids(el, "input:checked", "value"))
    if qtype in ("fill-in", "numeric", "essay"):
        return el.locator("input[type=text], textarea").input_value()
    if qtype == "matching":
        return [[s["id"], el.locator(f'select[data-source="{s["id"]}"]').input_value()]
                for s in question["sources"]]
    return shown_ids(el, "li[data-item]", "data-item")


def check_by_keyboard(page: Page, el: Locator, question: Question) -> None:
    """Check a knowledge-check answer from the keyboard: from a radio button, Tab leaves the
    group for Check answer, then Enter; in a checkbox or text field Enter checks at once;
    from a select or a sequence the learner moves to Check answer and presses Enter."""
    check = el.get_by_test_id("check")
    if question["type"] in ("choice", "true-false"):
        el.locator("input:checked").focus()
        page.keyboard.press("Tab")
        expect(check).to_be_focused()
    elif question["type"] in ("multiple-choice", "fill-in", "numeric"):
        el.locator("input").first.focus()
    else:
        check.focus()
    page.keyboard.press("Enter")


def knowledge_check(page: Page, block: Block, *, keyboard: bool = True) -> None:
    """Every question of a quiz: a wrong answer (feedback says so), Try again, the right
    answer (feedback says so). An essay is checked once and shows neutral feedback."""
    section = page.locator(f'section[data-block="{block["id"]}"]')
    for question in block["questions"]:
        el = question_el(section, question["id"])
        feedback = el.get_by_test_id("feedback")
        check = el.get_by_test_id("check")
        retry = el.get_by_test_id("retry")
        if question["type"] == "essay":
            respond(page, el, question, ESSAY, keyboard=keyboard)
            check.click()
            expect(feedback).to_have_attribute("data-result", "neutral")
            expect(retry).to_be_hidden()
            continue
        respond(page, el, question, wrong_response(question), keyboard=keyboard)
        if keyboard:
            check_by_keyboard(page, el, question)
        else:
            check.click()
        expect(feedback).to_have_attribute("data-result", "incorrect")
        expect(check).to_be_hidden()
        if keyboard:
            expect(retry).to_be_focused()
            page.keyboard.press("Enter")
        else:
            retry.click()
        expect(feedback).not_to_have_attribute("data-result", "incorrect")
        expect(check).to_be_visible()
        respond(page, el, question, right_response(question), keyboard=keyboard)
        if keyboard:
            check_by_keyboard(page, el, question)
        else:
            check.click()
        expect(feedback).to_have_attribute("data-result", "correct")


@dataclass
class Attempt:
    """One handed-in test attempt as the learner saw it."""

    number: int
    ids: list[str]
    right: list[str] = field(default_factory=list)
    permille: int = 0


def take_test(page: Page, course: Course, is_right: Callable[[int, Question], bool], *,
              keyboard: bool = False) -> Attempt:
    """Answer the drawn questions (right where ``is_right(position, question)``), hand the
    attempt in and return what was shown; the result must show the expected score."""
    return hand_in(page, course, answer_test(page, course, is_right, keyboard=keyboard),
                   keyboard=keyboard)


def answer_test(page: Page, course: Course, is_right: Callable[[int, Question], bool], *,
                keyboard: bool = False) -> Attempt:
    """Answer every drawn question without handing the attempt in."""
    test = page.get_by_test_id("test")
    number = int(re.findall(r"\d+", test.get_by_test_id("test-attempt").inner_text())[0])
    ids = shown_ids(test, ".cf-question", "data-question")
    attempt = Attempt(number, ids)
    for position, question_id in enumerate(ids):
        question = course.questions[question_id]
        right = is_right(position, question)
        response = right_response(question) if right else wrong_response(question)
        respond(page, question_el(test, question_id), question, response, keyboard=keyboard)
        if right:
            attempt.right.append(question_id)
    return attempt


def hand_in(page: Page, course: Course, attempt: Attempt, *, keyboard: bool = False) -> Attempt:
    """Press Hand in; the result must show the score the answers deserve."""
    test = page.get_by_test_id("test")
    submit = test.get_by_test_id("test-submit")
    if keyboard:
        submit.focus()
        page.keyboard.press("Enter")
    else:
        submit.click()
    expect(test.get_by_test_id("test-result")).to_be_visible()
    attempt.permille = attempt_permille((course.questions[i] for i in attempt.ids),
                                        attempt.right)
    expect(test.get_by_test_id("test-score")).to_have_attribute(
        "data-permille", str(attempt.permille))
    return attempt


def all_right(position: int, question: Question) -> bool:
    return True


def all_wrong(position: int, question: Question) -> bool:
    return False


def fill_survey(page: Page, block: Block, *, keyboard: bool = True) -> None:
    """Answer every scale (the last option) and the first essay, then send the evaluation."""
    section = page.locator(f'section[data-block="{block["id"]}"]')
    essays = 0
    for question in block["questions"]:
        el = question_el(section, question["id"])
        if question["type"] == "likert":
            respond(page, el, question, question["choices"][-1]["id"], keyboard=keyboard)
        elif essays == 0:
            respond(page, el, question, ESSAY, keyboard=keyboard)
            essays += 1
    section.get_by_test_id("survey-submit").click()
    expect(section.get_by_test_id("survey-done")).to_be_visible()


def attest(page: Page, block: Block) -> None:
    """Tick the box with Space, Tab to the button, press Enter."""
    section = page.locator(f'section[data-block="{block["id"]}"]')
    box = section.get_by_test_id("attest-checkbox")
    box.focus()
    page.keyboard.press("Space")
    expect(box).to_be_checked()
    page.keyboard.press("Tab")
    expect(section.get_by_test_id("attest-submit")).to_be_focused()
    page.keyboard.press("Enter")
    expect(section.get_by_test_id("attest-done")).to_be_focused()


def next_page(page: Page) -> None:
    before = page.url
    page.get_by_test_id("next").click()
    expect(page).not_to_have_url(before)
    expect(page.get_by_test_id("page-title")).to_be_focused()


def give_license(scope: Page | Frame, number: str = LICENSE["number"],
                 state: str = LICENSE["state"]) -> bool:
    """On the completion page, the licence details the certificate asks for (once): typed and
    saved. False when nothing is asked."""
    form = scope.get_by_test_id("license-form")
    if form.count() == 0:
        return False
    inputs = {"license-number-input": number, "license-state-input": state}
    for testid, value in inputs.items():
        field = form.get_by_test_id(testid)
        if field.count():
            field.fill(value)
    form.get_by_test_id("license-submit").click()
    expect(scope.get_by_test_id("license-form")).to_have_count(0)
    return True


def complete_course(page: Page, course: Course, *, license: bool = True) -> None:
    """From the current page to the completion page: every page in order, every block done
    right at the first try (knowledge checks are left alone: they never count), and the
    licence details given when the certificate asks for them (unless ``license`` is false)."""
    index = next(i for i, p in enumerate(course.pages) if page.url.endswith("/" + p["id"]))
    for entry in course.pages[index:]:
        for block in course.blocks_on(entry["id"]):
            if block["kind"] == "test":
                take_test(page, course, all_right)
            elif block["kind"] == "survey":
                fill_survey(page, block, keyboard=False)
            elif block["kind"] == "attestation":
                attest(page, block)
        next_page(page)
    expect(page).to_have_url(page.url.split("#")[0] + "#/completion")
    expect(page.get_by_test_id("completion-status")).not_to_be_empty()
    if license:
        give_license(page)


# --- the learner, in a frame (an LMS's SCO frame, the preview's course frame) ------------------


def route_of(frame: Frame) -> str:
    return frame.url.split("#", 1)[1] if "#" in frame.url else ""


def frame_next_page(frame: Frame) -> None:
    before = frame.url
    frame.get_by_test_id("next").click()
    frame.wait_for_url(lambda url: url != before)
    expect(frame.get_by_test_id("page-title")).to_be_visible()


def frame_attest(frame: Frame, block: Block) -> None:
    section = frame.locator(f'section[data-block="{block["id"]}"]')
    section.get_by_test_id("attest-checkbox").check()
    section.get_by_test_id("attest-submit").click()
    expect(section.get_by_test_id("attest-done")).to_be_visible()
