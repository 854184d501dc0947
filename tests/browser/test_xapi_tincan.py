"""The Tin Can package in Chromium, sending its statements to a real LRS (Ralph) over HTTP.

The package is served on one port of 127.0.0.1 and Ralph on another (so every request crosses
origins, with CORS, as it does from an LMS). A learner takes the xAPI fixture course through
its controls; what Ralph holds for the registration (``RemoteLRS.query_statements``) must be
exactly what ceforge's Python rules (``ceforge statements``'s ``Recorder``) make of the
runtime's own events, in the same order, each statement once, and every statement the browser
sent passes both xAPI validators. Ralph has no State API: the bookmark falls back to
localStorage, which the reloads show.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from harness import ConsoleLog
from learner import (
    Course,
    all_right,
    all_wrong,
    attest,
    fill_survey,
    knowledge_check,
    next_page,
    read_course,
    take_test,
)
from playwright.sync_api import Page, expect
from xapi_support import (
    FIXTURE,
    StatementTap,
    StoppableRalph,
    XapiSite,
    assert_ordered,
    build_package,
    comparable,
    console_errors_are_only,
    judge,
    outbox,
    replay,
    session_events,
    tincan_launch,
    verbs,
)

from oracles import ralph_python

#: The actor in the old array form some LMSs still send, and what the adapter makes of it.
OLD_ACTOR = {"name": ["Ana Example"], "mbox": ["ana@example.org"]}
ACTOR = {"objectType": "Agent", "name": "Ana Example", "mbox": "mailto:ana@example.org"}
STATE_404 = "status of 404"  # Ralph has no State API: Chromium logs the adapter's one probe
REFUSED = "ERR_CONNECTION_REFUSED"


@dataclass
class TinCan:
    site: XapiSite
    ralph: StoppableRalph
    base: str  # URL of the unpacked package's folder


@pytest.fixture(scope="module")
def tincan(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TinCan]:
    python = ralph_python()
    folder = tmp_path_factory.mktemp("tincan")
    site = XapiSite(folder / "site")
    ralph = StoppableRalph(python, folder / "ralph", site.origin)
    ralph.start()
    try:
        base = site.install(build_package(FIXTURE, "tincan", folder / "build"), "tincan")
        yield TinCan(site, ralph, base)
    finally:
        ralph.stop()
        site.close()


def open_course(page: Page, url: str) -> Course:
    page.goto(url)
    expect(page.get_by_test_id("page-title")).to_be_visible()
    return read_course(page)


def at_page(page: Page, page_id: str) -> None:
    expect(page).to_have_url(f"{page.url.split('#')[0]}#/page/{page_id}")


def drained(page: Page, timeout: float = 30.0) -> None:
    """Wait until the page's outbox is empty: the LRS acknowledged everything."""
    deadline = time.monotonic() + timeout
    while outbox(page):
        assert time.monotonic() < deadline, f"still waiting: {verbs(outbox(page))}"
        page.wait_for_timeout(200)


def take_the_test_twice(page: Page, course: Course) -> None:
    """Fail attempt 1, retake, pass attempt 2."""
    test = page.get_by_test_id("test")
    take_test(page, course, all_wrong)
    expect(test.get_by_test_id("test-status")).to_have_attribute("data-passed", "false")
    test.get_by_test_id("test-retake").click()
    take_test(page, course, all_right)
    expect(test.get_by_test_id("test-status")).to_have_attribute("data-passed", "true")


def finish_the_course(page: Page, course: Course) -> None:
    """From the evaluation's page: send it, attest, reach the completion page."""
    fill_survey(page, course.block("survey"), keyboard=False)
    next_page(page)
    attest(page, course.block("attestation"))
    next_page(page)  # the About page, which this course places last; completion does not ask it
    expect(page.get_by_test_id("page-title")).to_have_text("About this course")
    next_page(page)
    expect(page.get_by_test_id("completion-status")).not_to_be_empty()


def stored(tincan: TinCan, registration: str) -> list[Any]:
    return tincan.ralph.lrs.registration(registration)


@pytest.mark.console_errors_ok
def test_the_lrs_holds_exactly_the_statements_of_the_learners_two_sessions(
    page: Page, tincan: TinCan, console_log: ConsoleLog
) -> None:
    registration = str(uuid.uuid4())
    tap = StatementTap(tincan.ralph.lrs.endpoint)
    tap.watch(page)
    url = tincan_launch(tincan.base, tincan.ralph.lrs, OLD_ACTOR, registration)

    # Session 1: the first module and the practice, knowledge checks wrong then right.
    course = open_course(page, url)
    next_page(page)
    knowledge_check(page, course.blocks_on("basics-p2")[0], keyboard=False)
    next_page(page)
    knowledge_check(page, course.blocks_on("practice-p1")[0], keyboard=False)
    first = session_events(page)
    page.reload()  # pagehide: suspended and terminated go out with keepalive

    # Session 2: back where the learner was (the bookmark is in localStorage), then the rest.
    expect(page.get_by_test_id("notice")).to_be_visible()  # welcome back
    at_page(page, "practice-p1")
    next_page(page)
    take_the_test_twice(page, course)
    next_page(page)
    finish_the_course(page, course)
    page.get_by_test_id("exit").click()
    expect(page.get_by_test_id("exited")).to_be_visible()
    second = session_events(page)
    drained(page)

    held = stored(tincan, registration)
    sent = tap.unique()
    assert [str(s.id) for s in held] == [s["id"] for s in sent]  # each once, in order
    expected = replay(FIXTURE, course.data, [first, second], ACTOR, registration)
    assert [comparable(s) for s in held] == [comparable(s) for s in expected]
    assert verbs(sent)[:2] == ["initialized", "experienced"]
    assert verbs(sent).count("resumed") == 1 and verbs(sent)[-1] == "terminated"
    assert_ordered(sent)
    judge(sent)
    console_errors_are_only(console_log.errors, STATE_404)


@pytest.mark.console_errors_ok
def test_nothing_is_lost_while_the_lrs_is_down_even_across_a_reload(
    page: Page, tincan: TinCan, console_log: ConsoleLog
) -> None:
    registration = str(uuid.uuid4())
    tap = StatementTap(tincan.ralph.lrs.endpoint)
    tap.watch(page)
    url = tincan_launch(tincan.base, tincan.ralph.lrs, ACTOR, registration, bare_auth=False)
    course = open_course(page, url)
    next_page(page)
    knowledge_check(page, course.blocks_on("basics-p2")[0], keyboard=False)
    drained(page)
    notice = page.locator("[data-testid=notice][data-notice=lrs]")
    expect(notice).to_have_count(0)

    tincan.ralph.stop()
    try:
        next_page(page)
        knowledge_check(page, course.blocks_on("practice-p1")[0], keyboard=False)
        expect(notice).to_be_visible()  # calm: the learner keeps working
        waiting = len(outbox(page))
        assert waiting >= 5
        first = session_events(page)
        page.reload()  # the outbox survives in localStorage; the bookmark too
        at_page(page, "practice-p1")
        next_page(page)
        take_test(page, course, all_right)
        expect(notice).to_be_visible()
        assert len(outbox(page)) > waiting
    finally:
        tincan.ralph.start()
    next_page(page)  # a new statement: the adapter tries again at once
    expect(notice).to_have_count(0, timeout=20000)
    finish_the_course(page, course)
    page.get_by_test_id("exit").click()
    second = session_events(page)
    drained(page)

    held = stored(tincan, registration)
    sent = tap.unique()
    assert len(tap.sent) > len(sent)  # some went out more than once...
    assert [str(s.id) for s in held] == [s["id"] for s in sent]  # ...and arrived once, in order
    expected = replay(FIXTURE, course.data, [first, second], ACTOR, registration)
    assert [comparable(s) for s in held] == [comparable(s) for s in expected]
    assert_ordered(sent)
    judge(sent)
    console_errors_are_only(console_log.errors, STATE_404, REFUSED)


def test_a_launch_without_its_lrs_says_so(page: Page, tincan: TinCan) -> None:
    page.goto(tincan.base + "index.html?actor=" + "%7B%7D")
    expect(page.locator(".cf-form-error")).to_contain_text("endpoint missing")
    normalized = page.evaluate("""() => {
        const x = Ceforge.xapi;
        return {
          old: x.normalizeActor('{"name": ["Ana"], "mbox": ["ana@example.org"]}'),
          listed: x.normalizeActor([{"account": [{"accountServiceHomePage": "https://lms.example.org",
                                                  "accountName": "ana"}]}]),
          bare: x.authorization("YW5hOnNlY3JldA=="),
          schemed: x.authorization("Basic YW5hOnNlY3JldA=="),
          durations: [0, 0.004, 5.2, 61.25, 3723.5].map(x.isoDuration),
        };
    }""")
    assert normalized == {
        "old": {"objectType": "Agent", "name": "Ana", "mbox": "mailto:ana@example.org"},
        "listed": {"objectType": "Agent",
                   "account": {"homePage": "https://lms.example.org", "name": "ana"}},
        "bare": "Basic YW5hOnNlY3JldA==",
        "schemed": "Basic YW5hOnNlY3JldA==",
        "durations": ["PT0S", "PT0S", "PT5.2S", "PT1M1.25S", "PT1H2M3.5S"],
    }

