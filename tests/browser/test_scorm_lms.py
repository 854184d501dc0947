"""The SCORM adapters with LMSs that are hard to find, absent, or failing.

- API discovery as ADL specifies it: through frames between the LMS and the SCO, and through
  the opener of a window the LMS opened;
- no LMS at all: the course runs, says it is not being tracked, and nothing throws;
- an LMS that answers "false" to SetValue, then to Commit: the learner keeps working under a
  notice, the adapter retries (1 s, 2 s, 4 s apart), and the next successful commit holds
  everything;
- the pace of an LMS that answers: a page turn is committed 20 s after the commit before it,
  and 30 s of active time alone are saved.

The tests of time pause the page's clock (Playwright's ``page.clock``) before the launch and
move it themselves: what must not happen before a deadline really had the time to happen.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from learner import COURSE_DATA, Course
from playwright.sync_api import Frame, Page, expect
from scorm_lms import (
    Lms,
    ScormSite,
    Variant,
    assert_interactions,
    check_right,
    go_to,
    launch,
    next_page,
    scorm_site,
)

from spec import decode_state

FIXTURES = (scorm_site,)
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # the page's clock, where a test sets it
Site = Callable[[Variant], ScormSite]
VERSIONS = {"scorm12": Variant("scorm12"), "scorm2004": Variant("scorm2004")}
#: Each version with each SCO layout, and the SCO launched (a content module's, with a quiz).
LAYOUTS = {
    "scorm12-single": (Variant("scorm12"), "index.html"),
    "scorm12-module": (Variant("scorm12", sco="module"), "module-empathy.html"),
    "scorm2004-single": (Variant("scorm2004"), "index.html"),
    "scorm2004-module": (Variant("scorm2004", sco="module"), "module-empathy.html"),
}


def lms_notice(frame: Frame) -> object:
    return frame.locator("[data-testid=notice][data-notice=lms]")


def started(lms: Lms) -> None:
    """The SCO found the API and started a session."""
    assert lms.calls[0]["fn"] in ("LMSInitialize", "Initialize")
    assert lms.calls[0]["result"] == "true"
    expect(lms.sco.get_by_test_id("page-title")).to_be_visible()
    expect(lms_notice(lms.sco)).to_have_count(0)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", list(VERSIONS))
def test_the_api_is_found_through_frames_and_through_the_opener(
    name: str, page: Page, scorm_site: Site
) -> None:
    site = scorm_site(VERSIONS[name])
    nested = launch(page, site, depth=2)  # LMS page > wrapper > wrapper > SCO
    assert len(page.frames) == 4
    started(nested)
    nested.sco.get_by_test_id("exit").click()
    assert nested.problems() == []

    popup_page = page.context.new_page()
    opened = launch(popup_page, site, popup=True)  # a window of its own: window.opener
    started(opened)
    assert opened.popup is not None
    opened.popup.close(run_before_unload=True)  # the learner closes the window: pagehide
    popup_page.wait_for_function("() => window.lms.calls.some(c => /Finish|Terminate/.test(c.fn))")
    finish = [c["fn"] for c in opened.calls if c["fn"] in ("LMSFinish", "Terminate")]
    assert finish == ["LMSFinish" if opened.family == "1.2" else "Terminate"]
    assert opened.problems() == []


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_without_an_lms_the_course_runs_and_says_it_is_not_tracked(
    name: str, page: Page, scorm_site: Site
) -> None:
    variant, href = LAYOUTS[name]
    page.goto(scorm_site(variant).url + href)  # opened on its own: no API anywhere
    frame = page.main_frame
    expect(frame.get_by_test_id("page-title")).to_be_visible()
    notice = frame.locator("[data-testid=notice][data-notice=lms]")
    expect(notice).to_contain_text("not being tracked")
    course = Course(frame.evaluate(COURSE_DATA))
    quiz = course.block("quiz")
    go_to(frame, quiz["page"])
    check_right(frame, quiz)
    next_page(frame)
    expect(notice).to_be_visible()  # on every page
    frame.get_by_test_id("exit").click()
    expect(frame.get_by_test_id("exited")).to_be_visible()
    # The page fixture fails the test on any console error or uncaught exception.


def hide(frame: Frame, hidden: bool) -> None:
    """The learner switches to another tab (or back): the page is hidden (or visible)."""
    frame.evaluate(
        """(hidden) => {
            Object.defineProperty(document, 'visibilityState', {configurable: true,
                get: () => hidden ? 'hidden' : 'visible'});
            Object.defineProperty(document, 'hidden', {configurable: true, get: () => hidden});
            document.dispatchEvent(new Event('visibilitychange'));
        }""",
        hidden,
    )


def assert_nothing_lost(lms: Lms, frame: Frame) -> None:
    """What the LMS saved holds the latest state, bookmark and every answer so far."""
    committed = lms.stored()
    assert committed["cmi.suspend_data"] == frame.evaluate("() => Ceforge.app.lastSaved")
    location = "cmi.core.lesson_location" if lms.family == "1.2" else "cmi.location"
    assert committed[location] == frame.evaluate("() => Ceforge.app.summary().page")
    assert_interactions(lms, committed, lms.events("question-answered"))


def refused(lms: Lms, method: str) -> int:
    """How many ``method`` calls (SetValue, Commit) the LMS has answered "false" so far."""
    return len([c for c in lms.calls if c["fn"].endswith(method) and c["result"] == "false"])


def retries_back_off(lms: Lms, method: str) -> None:
    """The adapter tries ``method`` again 1 s after it failed, then 2 s, then 4 s after each
    retry (``RETRY_MS`` of scorm-common.js), and not a millisecond sooner. The page's clock
    is paused: it moves only as the test moves it, so a retry that did not come really had
    its time."""
    clock = lms.page.clock
    delays = (1000, 2000, 4000)
    clock.run_for(delays[0] - 1)  # what the learner's actions set off at once has run
    tries = refused(lms, method)
    for n, delay in enumerate(delays):
        clock.run_for(1)
        tries += 1
        assert refused(lms, method) == tries, f"no retry {delay} ms after the try before"
        if n + 1 < len(delays):
            clock.run_for(delays[n + 1] - 1)
            assert refused(lms, method) == tries, f"a retry sooner than {delays[n + 1]} ms"


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_an_lms_that_refuses_setvalue_then_commit_loses_nothing(
    name: str, page: Page, scorm_site: Site
) -> None:
    variant, href = LAYOUTS[name]
    # Paused before anything loads: the page's timers fire only as the test moves its clock.
    page.clock.install(time=START)
    page.clock.pause_at(START + timedelta(minutes=1))
    lms = launch(page, scorm_site(variant), href)
    frame = lms.sco
    course = lms.course()
    quizzes = [b for b in course.data["blocks"] if b["kind"] == "quiz"]
    notice = frame.locator("[data-testid=notice][data-notice=lms]")

    # SetValue answers "false": the learner works on, told that nothing is being saved.
    lms.fail(set=True)
    go_to(frame, quizzes[0]["page"])
    check_right(frame, quizzes[0])
    expect(notice).to_contain_text("not saving your progress")
    next_page(frame)
    retries_back_off(lms, "SetValue")
    lms.fail()
    page.clock.run_for(8000)  # the next retry gets through
    expect(notice).to_have_count(0)
    assert_nothing_lost(lms, frame)

    # Commit answers "false": the same, from a hidden page (the adapter commits at once).
    lms.fail(commit=True)
    if len(quizzes) > 1:
        go_to(frame, quizzes[1]["page"])
        check_right(frame, quizzes[1])
    else:  # a module's SCO: the learner moves on
        go_to(frame, course.pages[0]["id"])
    hide(frame, True)
    expect(notice).to_be_visible()
    hide(frame, False)
    next_page(frame)
    retries_back_off(lms, "Commit")
    lms.fail()
    page.clock.run_for(8000)
    expect(notice).to_have_count(0)
    assert_nothing_lost(lms, frame)

    frame.get_by_test_id("exit").click()
    assert lms.commits[-1]["kind"] == "terminate"
    assert lms.problems() == []


def commits(lms: Lms) -> int:
    return len([c for c in lms.calls if c["fn"].endswith("Commit")])


@pytest.mark.parametrize("name", list(VERSIONS))
def test_a_page_turn_waits_for_the_commit_pace_and_active_time_is_saved_every_30_s(
    name: str, page: Page, scorm_site: Site
) -> None:
    """A change that is not a status (the learner turns a page) is committed 20 s after the
    commit before it (``COMMIT_SECONDS``), not sooner; 30 s of active time alone are saved to
    suspend_data (the core's ``SAVE_SECONDS``, counted by its one-second tick) and committed
    at the same pace."""
    page.clock.install(time=START)
    page.clock.pause_at(START + timedelta(minutes=1))
    lms = launch(page, scorm_site(VERSIONS[name]))
    course = lms.course()
    clock = page.clock
    clock.run_for(0)  # the launch's own commit, at once
    committed = commits(lms)
    next_page(lms.sco)
    saved = lms.sets("cmi.suspend_data")
    clock.run_for(19_999)
    assert commits(lms) == committed, "the page turn was committed within 20 s of the launch's"
    clock.run_for(1)
    assert commits(lms) == committed + 1
    clock.run_for(9_999)
    assert lms.sets("cmi.suspend_data") == saved, "saved before 30 s of active time"
    clock.run_for(1)
    states = lms.sets("cmi.suspend_data")
    assert len(states) == len(saved) + 1
    assert decode_state(states[-1], course.data)["seconds"] == 30
    clock.run_for(9_999)
    assert commits(lms) == committed + 1, "committed within 20 s of the commit before"
    clock.run_for(1)
    assert commits(lms) == committed + 2
    assert lms.stored()["cmi.suspend_data"] == states[-1]
    assert lms.problems() == []
