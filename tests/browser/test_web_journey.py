"""Learners take the web build in Chromium, from the welcome screen to the certificate.

Everything goes through the controls (click and keyboard) and is read through the DOM hooks of
docs/runtime.md; the right answers come from the course data by question id. Each test has a
fresh browser context, so a fresh localStorage: a new learner.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from learner import (
    LICENSE,
    Course,
    all_right,
    all_wrong,
    answer_test,
    attest,
    complete_course,
    fill_survey,
    give_license,
    go_to_completion,
    go_to_page,
    hand_in,
    knowledge_check,
    launch,
    question_el,
    respond,
    shown_ids,
    shown_response,
    take_test,
)
from playwright.sync_api import Locator, Page, expect

from ceforge.certificate import normalize_code, printed_code
from spec import pass_mark, right_response, wrong_response

Serve = Callable[[Path], str]

NAME = "Dana O'Brien-Núñez"
HOSTILE_NAME = "<script>alert(1)</script>"


def test_a_learner_takes_the_example_course_from_start_to_certificate(
    page: Page, example_web: Path, served: Serve
) -> None:
    base = served(example_web) + "index.html"
    course = launch(page, base, NAME)
    pages = course.pages
    expect(page).to_have_url(f"{base}#/page/{pages[0]['id']}")
    expect(page.get_by_test_id("page-title")).to_be_focused()

    # The contents, by keyboard: the evaluation and the attestation say what is missing.
    go_to_page(page, course.page_of("attestation"))
    locked = page.get_by_test_id("locked")
    expect(locked).to_be_visible()
    expect(locked.get_by_role("link")).to_have_count(3)  # pages, test, evaluation
    expect(page.get_by_test_id("attest-checkbox")).to_have_count(0)
    go_to_page(page, course.page_of("survey"))
    expect(locked).to_be_visible()
    expect(locked.locator(f'a[href="#/page/{course.page_of("test")}"]')).to_be_visible()
    expect(page.get_by_test_id("survey-submit")).to_have_count(0)
    go_to_page(page, pages[0]["id"])

    quizzes = 0
    for index, entry in enumerate(pages):
        expect(page).to_have_url(f"{base}#/page/{entry['id']}")
        expect(page.get_by_test_id("page-position")).to_have_text(
            f"Page {index + 1} of {len(pages)}")
        expect(page.locator(f'[data-testid=toc-link][data-page="{entry["id"]}"]')
               ).to_have_attribute("aria-current", "page")
        for block in course.blocks_on(entry["id"]):
            if block["kind"] == "quiz":
                knowledge_check(page, block, keyboard=quizzes % 3 != 2)
                quizzes += 1
            elif block["kind"] == "test":
                fail_then_pass_the_test(page, course)
            elif block["kind"] == "survey":
                send_the_evaluation(page, course, block)
            elif block["kind"] == "attestation":
                attest(page, block)
        next_link = page.get_by_test_id("next")
        if index % 2:
            next_link.focus()
            page.keyboard.press("Enter")
        else:
            next_link.click()
        expect(page.get_by_test_id("page-title")).to_be_focused()
    assert quizzes == 7

    expect(page).to_have_url(f"{base}#/completion")
    requirements = page.get_by_test_id("checklist").locator("li[data-requirement]")
    expect(requirements).to_have_count(5)
    assert shown_ids(page.get_by_test_id("checklist"), "li", "data-requirement") == [
        "pages", "test", "evaluation", "attestation", "license"]
    # The example's certificate asks for the licence details, last.
    expect(requirements.last).to_have_attribute("data-done", "false")
    assert give_license(page)
    for item in requirements.all():
        expect(item).to_have_attribute("data-done", "true")
    expect(page.get_by_test_id("progress")).to_have_attribute("value", "100")
    expect(page.get_by_test_id("toc-completion")).to_have_attribute("aria-current", "page")

    certificate = page.get_by_test_id("certificate")
    expect(page.get_by_test_id("certificate-name")).to_have_text(NAME)
    data = course.data
    for text in (data["course"]["title"], data["course"]["version"],
                 data["course"]["ce"]["provider"],
                 *(a["number"] for a in data["course"]["ce"]["approvals"])):
        expect(certificate).to_contain_text(text)
    summary = page.evaluate("() => Ceforge.app.summary()")
    assert summary["completed"] and summary["progress"] == 1 and summary["passed"] is True
    learner = page.evaluate(
        "(key) => JSON.parse(localStorage.getItem(key))",
        f"ceforge:{data['course']['id']}@{data['course']['version']}:learner")
    assert learner["name"] == NAME
    record = page.evaluate("() => Ceforge.app.state.certificate")
    assert normalize_code(record["code"]) == record["code"]  # drawn at random, then kept
    expect(page.get_by_test_id("certificate-code")).to_have_text(printed_code(record["code"]))
    assert record["license_number"] == LICENSE["number"]
    expect(page.get_by_test_id("certificate-print")).to_be_visible()
    assert event_types(page).count("completed") == 1


def fail_then_pass_the_test(page: Page, course: Course) -> None:
    """Hand in an empty form (refused), fail attempt 1 by keyboard, retake (a new draw), pass
    attempt 2 with one question wrong."""
    test = page.get_by_test_id("test")
    expect(test.get_by_test_id("test-attempt")).to_contain_text("Attempt 1 of 3")
    ids = shown_ids(test, ".cf-question", "data-question")
    assert len(ids) == course.block("test")["draw"]  # 42 of the pool: 6 per CE hour (APA)

    test.get_by_test_id("test-submit").click()
    expect(test.get_by_test_id("test-message")).not_to_be_empty()
    expect(test.get_by_test_id("test-result")).to_have_count(0)

    first = answer_test(page, course, all_wrong, keyboard=True)
    # Enter in a field of a complete test never hands it in: only the button does.
    for control in ("input[type=radio]", "input[type=checkbox]", "input[type=text]"):
        if test.locator(control).count():
            test.locator(control).first.focus()
            page.keyboard.press("Enter")
    expect(test.get_by_test_id("test-result")).to_have_count(0)
    hand_in(page, course, first, keyboard=True)
    assert first.number == 1 and first.ids == ids and first.permille == 0
    expect(test.get_by_test_id("test-status")).to_have_attribute("data-passed", "false")
    expect(test.get_by_test_id("test-review")).to_have_count(0)
    expect(test.locator(".cf-correct-answer")).to_have_count(0)
    retake = test.get_by_test_id("test-retake")
    retake.focus()
    page.keyboard.press("Enter")
    expect(test.get_by_test_id("test-attempt")).to_be_focused()
    expect(test.get_by_test_id("test-attempt")).to_contain_text("Attempt 2 of 3")
    expect(test.locator("form input:checked")).to_have_count(0)

    one_point = next(i for i in shown_ids(test, ".cf-question", "data-question")
                     if course.questions[i]["points"] == 1)
    second = take_test(page, course, lambda position, q: q["id"] != one_point)
    assert second.number == 2 and second.ids != first.ids
    assert second.permille >= pass_mark(course.data)
    expect(test.get_by_test_id("test-status")).to_have_attribute("data-passed", "true")
    expect(test.get_by_test_id("test-retake")).to_have_count(0)
    # Finished for good: the review shows every question, the right answer where it was wrong.
    review = test.get_by_test_id("test-review")
    for question_id in second.ids:
        expect(question_el(review, question_id).get_by_test_id("feedback")).to_have_attribute(
            "data-result", "incorrect" if question_id == one_point else "correct")
    expect(review.locator(".cf-correct-answer")).to_have_count(1)
    expect(question_el(review, one_point).locator(".cf-correct-answer")).to_be_visible()
    finished = [e for e in events(page) if e["type"] == "test-finished"]
    assert [(e["attempt"], e["passed"], e["final"]) for e in finished] == [
        (1, False, False), (2, True, True)]


def send_the_evaluation(page: Page, course: Course, block: dict[str, Any]) -> None:
    section = page.locator(f'section[data-block="{block["id"]}"]')
    section.get_by_test_id("survey-submit").click()
    expect(section.locator(".cf-form-error")).not_to_be_empty()
    expect(section.get_by_test_id("survey-done")).to_have_count(0)
    fill_survey(page, block)
    sent = [e for e in events(page) if e["type"] == "evaluation-submitted"]
    assert len(sent) == 1


def events(page: Page) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = page.evaluate("() => Ceforge.app.events")
    return found


def event_types(page: Page) -> list[str]:
    return [e["type"] for e in events(page)]


# --- resume -------------------------------------------------------------------------------------


def snapshot(page: Page, course: Course) -> dict[str, Any]:
    """What the learner sees of the test: the page, the attempt, the questions drawn and the
    order of everything in them, and every answer given so far."""
    test = page.get_by_test_id("test")
    questions = []
    for question_id in shown_ids(test, ".cf-question", "data-question"):
        question = course.questions[question_id]
        el = question_el(test, question_id)
        questions.append({
            "id": question_id,
            "choices": shown_ids(el, "[data-choice]", "data-choice"),
            "targets": shown_ids(el, "select option", "value"),
            "items": shown_ids(el, "li[data-item]", "data-item"),
            "response": shown_response(el, question),
        })
    return {
        "url": page.url,
        "title": page.get_by_test_id("page-title").inner_text(),
        "attempt": test.get_by_test_id("test-attempt").inner_text(),
        "questions": questions,
    }


def test_a_reload_mid_test_resumes_the_same_attempt(
    page: Page, example_web: Path, served: Serve
) -> None:
    base = served(example_web) + "index.html"
    course = launch(page, base, NAME)
    go_to_page(page, course.page_of("test"))
    first = take_test(page, course, all_wrong)
    page.get_by_test_id("test-retake").click()
    test = page.get_by_test_id("test")
    expect(test.get_by_test_id("test-attempt")).to_contain_text("Attempt 2 of 3")
    ids = shown_ids(test, ".cf-question", "data-question")
    assert ids != first.ids
    for position, question_id in enumerate(ids[:7]):
        question = course.questions[question_id]
        response = right_response(question) if position % 2 else wrong_response(question)
        respond(page, question_el(test, question_id), question, response)
    before = snapshot(page, course)

    page.reload()
    expect(page.get_by_test_id("notice")).to_be_visible()  # welcome back
    expect(page.get_by_test_id("test")).to_be_visible()
    assert snapshot(page, course) == before

    # A launch without a route opens where the learner left off, too.
    again = page.context.new_page()
    again.goto(base)
    expect(again.get_by_test_id("test")).to_be_visible()
    assert snapshot(again, course) == before
    again.close()

    second = take_test(page, course, all_right)
    assert second.number == 2 and second.ids == ids and second.permille == 1000


def test_a_reload_keeps_knowledge_check_answers_and_feedback(
    page: Page, example_web: Path, served: Serve
) -> None:
    course = launch(page, served(example_web) + "index.html", NAME)
    block = course.data["blocks"][1]  # a matching, a choice and a multiple-choice question
    go_to_page(page, block["page"])
    section = page.locator(f'section[data-block="{block["id"]}"]')
    checked, pending, _ = block["questions"]
    respond(page, question_el(section, checked["id"]), checked, right_response(checked))
    question_el(section, checked["id"]).get_by_test_id("check").click()
    respond(page, question_el(section, pending["id"]), pending, wrong_response(pending))

    page.reload()
    el = question_el(section, checked["id"])
    expect(el.get_by_test_id("feedback")).to_have_attribute("data-result", "correct")
    expect(el.get_by_test_id("retry")).to_be_hidden()  # right: nothing to try again
    expect(el.get_by_test_id("check")).to_be_hidden()
    assert shown_response(el, checked) == right_response(checked)
    el = question_el(section, pending["id"])
    expect(el.get_by_test_id("feedback")).to_be_empty()
    assert shown_response(el, pending) == wrong_response(pending)


# --- out of attempts ------------------------------------------------------------------------------


def test_three_failed_attempts_lock_the_test_and_then_reveal_the_answers(
    page: Page, example_web: Path, served: Serve
) -> None:
    base = served(example_web) + "index.html"
    course = launch(page, base, NAME)
    go_to_page(page, course.page_of("test"))
    test = page.get_by_test_id("test")
    draws = []
    for number in (1, 2, 3):
        attempt = take_test(page, course, lambda position, q: position < 3)
        assert attempt.number == number and attempt.permille < pass_mark(course.data)
        draws.append(attempt.ids)
        expect(test.get_by_test_id("test-status")).to_have_attribute("data-passed", "false")
        if number < 3:
            expect(test.get_by_test_id("test-review")).to_have_count(0)
            expect(test.locator(".cf-correct-answer")).to_have_count(0)
            test.get_by_test_id("test-retake").click()
    assert len({tuple(ids) for ids in draws}) == 3

    expect(test.get_by_test_id("test-retake")).to_have_count(0)
    expect(test.get_by_test_id("test-submit")).to_have_count(0)
    assert_review_reveals(test.get_by_test_id("test-review"), course, attempt.ids,
                          attempt.right)

    page.reload()
    expect(test.get_by_test_id("test-result")).to_be_visible()
    expect(test.get_by_test_id("test-retake")).to_have_count(0)
    assert_review_reveals(test.get_by_test_id("test-review"), course, attempt.ids,
                          attempt.right)

    go_to_page(page, course.page_of("survey"))
    expect(page.get_by_test_id("locked")).to_be_visible()
    go_to_completion(page)
    test_item = page.locator("li[data-requirement=test]")
    expect(test_item).to_have_attribute("data-done", "false")
    expect(test_item.locator(".cf-hint")).not_to_be_empty()  # why it cannot be done now
    expect(page.get_by_test_id("certificate-locked")).to_be_visible()


def assert_review_reveals(review: Locator, course: Course, ids: list[str],
                          right: list[str]) -> None:
    expect(review.locator(".cf-question")).to_have_count(len(ids))
    assert shown_ids(review, ".cf-question", "data-question") == ids
    for question_id in ids:
        question = course.questions[question_id]
        el = question_el(review, question_id)
        if question_id in right:
            expect(el.get_by_test_id("feedback")).to_have_attribute("data-result", "correct")
            expect(el.locator(".cf-correct-answer")).to_have_count(0)
            continue
        expect(el.get_by_test_id("feedback")).to_have_attribute("data-result", "incorrect")
        revealed = el.locator(".cf-correct-answer")
        for text in answer_texts(question):
            expect(revealed).to_contain_text(text)


def answer_texts(question: dict[str, Any]) -> list[str]:
    """Texts the revealed right answer must hold."""
    qtype = question["type"]
    if qtype in ("choice", "true-false", "multiple-choice"):
        return [c["text"] for c in question["choices"] if c["correct"]]
    if qtype == "sequencing":
        return [c["text"] for c in question["choices"]]
    if qtype == "matching":
        targets = {t["id"]: t["text"] for t in question["targets"]}
        return [s["text"] for s in question["sources"]] + [
            targets[s["match"]] for s in question["sources"]]
    if qtype == "fill-in":
        return [question["answers"][0]]
    return [re.sub(r"\.0$", "", str(question["numeric"]["min"]))]


# --- the pass mark, exactly ---------------------------------------------------------------------


def test_an_attempt_at_exactly_the_pass_mark_passes(
    page: Page, every_type_web: Path, served: Serve
) -> None:
    course = launch(page, served(every_type_web) + "index.html", NAME)
    go_to_page(page, course.page_of("test"))
    one_point = [q["id"] for q in course.block("test")["questions"] if q["points"] == 1]
    assert sum(q["points"] for q in course.block("test")["questions"]) == 10

    first = take_test(page, course, lambda position, q: q["id"] not in one_point[:3])
    assert first.permille == 700
    expect(page.get_by_test_id("test-status")).to_have_attribute("data-passed", "false")
    page.get_by_test_id("test-retake").click()
    second = take_test(page, course, lambda position, q: q["id"] not in one_point[:2])
    assert second.permille == pass_mark(course.data) == 800
    expect(page.get_by_test_id("test-status")).to_have_attribute("data-passed", "true")


# --- the learner's name is text -----------------------------------------------------------------


def test_a_learner_name_with_markup_is_shown_as_text_on_the_certificate(
    page: Page, every_type_web: Path, served: Serve
) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    course = launch(page, served(every_type_web) + "index.html", HOSTILE_NAME)
    scripts = page.locator("script").count()
    complete_course(page, course)

    name = page.get_by_test_id("certificate-name")
    assert name.text_content() == HOSTILE_NAME
    assert name.evaluate("el => el.children.length") == 0
    expect(page.get_by_test_id("certificate").locator("script")).to_have_count(0)
    assert page.locator("script").count() == scripts

    # The same for a name corrected on the completion page.
    changed = '<img src="x" onerror="window.injected = true">'
    field_ = page.locator("form.cf-name-form").get_by_test_id("name-input")
    field_.fill(changed)
    field_.press("Enter")
    expect(name).to_have_text(changed)
    assert name.evaluate("el => el.children.length") == 0
    expect(page.locator('img[src="x"]')).to_have_count(0)
    assert page.evaluate("() => window.injected") is None
    assert dialogs == []
