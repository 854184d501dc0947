"""The preview's LRS and cmi5 launcher with ceforge's Tin Can and cmi5 packages, in Chromium.

- A cmi5 session launched from the inspector: the LMS's launched statement, then the AU's
  statements, each stored without a flag; the same statements pass the independent oracles
  (xapi-validation and Ralph's strict model) and the cmi5 rules of the whole registration.
- A Browse launch sends only initialized and terminated, however much the learner does.
- A Tin Can launch against the preview's LRS, forwarded to a real LRS (Ralph) with
  ``--lrs``: every statement arrives there too. Offline, the course keeps working and sends
  what it kept once the LRS is back.

A course reads its bookmark from the State API at launch; a first launch gets 404 (nothing
saved yet), which Chromium logs as a console error. That one is expected; any other fails.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from harness import ConsoleLog
from playwright.sync_api import Page, expect
from preview_support import (
    XAPI_404,
    Inspector,
    copy_example,
    leave_inspectors,
    next_page,
    running,
    verbs,
    wait_until,
)

from ceforge.preview.forward import Forwarder
from ceforge.preview.server import Preview
from ceforge.xapi.cmi5 import launched_activity_id
from ceforge.xapi.rules import cmi5_violations, session_of
from ralph_lrs import RalphLRS
from xapi_checks import ralph_problems, xapi_validation_problems

pytestmark = pytest.mark.console_errors_ok


def only_expected_errors(console_log: ConsoleLog, *also: str) -> None:
    unexpected = [e for e in console_log.errors if not any(x in e for x in (XAPI_404, *also))]
    assert unexpected == []


def statements_of(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [item["statement"] for item in items]


def check_right_first_quiz(inspector: Inspector) -> None:
    """Go to the first knowledge check and answer its first question right."""
    from learner import question_el, respond

    from spec import right_response

    course = inspector.course()
    block = next(b for b in course.data["blocks"] if b["kind"] == "quiz")
    frame = inspector.frame
    frame.evaluate("(page) => { location.hash = '#/page/' + page; }", block["page"])
    frame.wait_for_url(f"**#/page/{block['page']}")
    question = block["questions"][0]
    el = question_el(frame.locator(f'section[data-block="{block["id"]}"]'), question["id"])
    respond(frame, el, question, right_response(question), keyboard=False)
    el.get_by_test_id("check").click()
    expect(el.get_by_test_id("feedback")).to_have_attribute("data-result", "correct")


def test_a_cmi5_session_follows_the_rules_and_passes_the_oracles(
    page: Page, console_log: ConsoleLog, tmp_path: Path
) -> None:
    with running(copy_example(tmp_path / "course"), "cmi5") as preview:
        inspector = Inspector(page, preview)
        expect(page.get_by_test_id("target")).to_have_text("cmi5")
        inspector.course()
        next_page(inspector.frame)
        check_right_first_quiz(inspector)
        inspector.frame.get_by_test_id("exit").click()
        inspector.frame.wait_for_url("**/returned")  # the AU goes to the LMS's returnURL
        wait_until(lambda: "terminated" in verbs(inspector.statements()), "terminated")

        items = inspector.statements(source=None)
        assert verbs(items)[0] == "launched" and items[0]["source"] == "lms"
        course = [i for i in items if i["source"] == "au"]
        assert verbs(course)[:2] == ["initialized", "experienced"]
        assert verbs(course)[-2:] == ["suspended", "terminated"]
        assert "answered" in verbs(course)
        assert {i["status"] for i in items} == {"stored"}
        assert [p for i in items for p in i["problems"]] == []
        statements = statements_of(course)
        plan = preview.state.plan
        assert plan is not None
        (unit,) = plan.units
        assert cmi5_violations(statements, activity_id=launched_activity_id(unit.id),
                               publisher_id=unit.id, mastery_score=unit.cmi5_mastery) == []
        everything = statements_of(items)
        assert xapi_validation_problems(everything) == {}
        assert ralph_problems(everything) == {}
        expect(page.locator("[data-testid=statement]")).to_have_count(len(items))
        expect(page.locator("[data-testid=statement-problem]")).to_have_count(0)
    only_expected_errors(console_log)


def test_a_request_the_lrs_refuses_is_listed_in_the_inspector(
    page: Page, console_log: ConsoleLog, tmp_path: Path
) -> None:
    """A request that breaks the protocol (here: no credential) is refused, and the inspector
    lists it with what was wrong and counts it in the summary."""
    with running(copy_example(tmp_path / "course"), "cmi5") as preview:
        inspector = Inspector(page, preview)
        inspector.course()
        status = inspector.frame.evaluate("""async () => (await fetch('/xapi/statements',
            {headers: {'X-Experience-API-Version': '1.0.3'}})).status""")
        assert status == 401
        problem = page.get_by_test_id("request-problem")
        expect(problem).to_have_count(1)
        expect(problem).to_contain_text("GET statements: no credential this LRS knows")
        expect(page.get_by_test_id("summary")).to_contain_text("1 request(s) refused")
        assert [p.status for p in preview.lrs.request_problems] == [401]
    only_expected_errors(console_log, "status of 401")


def test_cmi5_browse_mode_sends_only_initialized_and_terminated(
    page: Page, console_log: ConsoleLog, tmp_path: Path
) -> None:
    with running(copy_example(tmp_path / "course"), "cmi5") as preview:
        inspector = Inspector(page, preview)
        inspector.course()
        before = inspector.loads()
        page.get_by_test_id("launch-mode").select_option("Browse")
        wait_until(lambda: inspector.loads() > before, "the Browse launch")
        expect(inspector.frame.locator("[data-testid=notice][data-notice=launch]")).to_be_visible()
        next_page(inspector.frame)
        next_page(inspector.frame)
        check_right_first_quiz(inspector)
        inspector.exit()
        browse = [s for s in preview.launcher.sessions.values() if s.launch_mode == "Browse"]
        assert len(browse) == 1
        wait_until(lambda: any(
            verbs([i])[0] == "terminated" and session_of(i["statement"]) == browse[0].id
            for i in inspector.statements()), "the Browse session's terminated")
        sent = [i for i in inspector.statements()
                if session_of(i["statement"]) == browse[0].id]
        assert verbs(sent) == ["initialized", "terminated"]
        assert [p for i in sent for p in i["problems"]] == []
    only_expected_errors(console_log)


def test_tin_can_statements_reach_the_preview_lrs_and_a_real_one(
    page: Page, console_log: ConsoleLog, tmp_path: Path, ralph_lrs: RalphLRS
) -> None:
    forwarder = Forwarder(ralph_lrs.endpoint, ralph_lrs.username, ralph_lrs.password)
    with Preview(copy_example(tmp_path / "course"), target="tincan", forward=forwarder,
                 interval=0.1) as preview:
        inspector = Inspector(page, preview)
        expect(page.get_by_test_id("forward")).to_contain_text(ralph_lrs.endpoint)
        inspector.course()
        next_page(inspector.frame)
        wait_until(lambda: len(inspector.statements()) >= 3, "three statements")

        inspector.control("offline", True)
        next_page(inspector.frame)  # the course keeps working; its statement waits
        expect(inspector.frame.locator("[data-testid=notice][data-notice=lrs]")).to_be_visible(
            timeout=20000)
        stored = len(inspector.statements())
        inspector.control("offline", False)
        next_page(inspector.frame)
        wait_until(lambda: len(inspector.statements()) >= stored + 2, "the kept statements",
                   timeout=20)
        inspector.exit()
        wait_until(lambda: "suspended" in verbs(inspector.statements()), "suspended")
        items = inspector.statements()
        assert [p for i in items for p in i["problems"]] == []
        ids = [i["id"] for i in items]
        assert len(ids) == len(set(ids))
        wait_until(lambda: all(forwarder.results.get(i) == "sent" for i in ids),
                   "the forwarded statements", timeout=30)
        registration = preview.learner.registration
        assert {str(s.id) for s in ralph_lrs.registration(registration)} == set(ids)
        leave_inspectors(preview.url)
    # While the LRS is offline, any xAPI request (statements or the saved state) goes unanswered.
    only_expected_errors(console_log, ":0: Failed to load resource: net::ERR_EMPTY_RESPONSE")


def test_the_inspector_lists_statements_that_arrive_while_it_is_loading(
    page: Page, console_log: ConsoleLog, tmp_path: Path
) -> None:
    """The inspector's list catches up with statements stored while it was fetching earlier
    ones (a slow preview server: each answer is a second late and holds only what was stored
    when it was asked for). It used to miss them until the next change, which after the
    course's last statement never came."""
    import time

    with running(copy_example(tmp_path / "course"), "cmi5") as preview:
        feed = preview.statements

        def late(after: int = 0) -> list[dict[str, Any]]:
            answer = feed(after)
            time.sleep(1.0)
            return answer

        preview.statements = late  # type: ignore[method-assign]
        inspector = Inspector(page, preview)
        expect(page.get_by_test_id("target")).to_have_text("cmi5")
        inspector.course()
        next_page(inspector.frame)
        inspector.frame.get_by_test_id("exit").click()
        inspector.frame.wait_for_url("**/returned")
        wait_until(lambda: "terminated" in verbs(feed()), "terminated")
        stored = len(feed())
        expect(page.locator("[data-testid=statement]")).to_have_count(stored, timeout=8000)
    only_expected_errors(console_log)
