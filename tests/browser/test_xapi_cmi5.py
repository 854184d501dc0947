"""The cmi5 package in Chromium, launched by a small LMS (``tests/cmi5_launcher.py``).

The launcher (on its own port) hands the AU its fetch URL, ``LMS.LaunchData`` and a State API,
checks the protocol and the cmi5 sequence rules (``xapi_checks.cmi5_violations``) on every
statement that passes through, and forwards the statements to Ralph. Each test compares what
went through with what ceforge's Python rules (``ceforge statements --cmi5``'s ``Recorder``)
make of the runtime's own events, and judges every statement with both xAPI validators.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from harness import VIEWPORT, ConsoleLog
from learner import (
    Course,
    all_right,
    all_wrong,
    attest,
    fill_survey,
    knowledge_check,
    next_page,
    read_course,
    shown_ids,
    take_test,
)
from playwright.sync_api import Browser, Page, expect
from xapi_support import (
    FIXTURE,
    XapiSite,
    assert_ordered,
    build_package,
    comparable,
    console_errors_are_only,
    judge,
    load_course,
    replay,
    session_events,
    verbs,
)

from ceforge.targets.base import BuildOptions
from ceforge.xapi.cmi5 import AssignableUnit, assignable_units, launched_activity_id
from ceforge.xapi.statements import Cmi5Launch
from cmi5_launcher import Cmi5Launcher, Session
from ralph_lrs import RalphLRS

ACTOR = {"objectType": "Agent", "name": "Ana Example",
         "account": {"homePage": "https://lms.example.org", "name": "ana"}}
NO_DOCUMENT = "status of 404"  # the AU asks for its bookmark before there is one
COURSE_ID = "https://ceforge.example.org/courses/listening-basics"
MASTERY_SCORE = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"


@dataclass
class Cmi5:
    """One AU of an installed package."""

    site: XapiSite
    base: str  # URL of the unpacked package's folder
    publisher_id: str  # the AU's id in cmi5.xml
    activity_id: str  # the id the LMS launches it under
    page: str = "index.html"  # its url in cmi5.xml
    module: str | None = None  # the module it runs (au=module), None: the course
    move_on: str = "CompletedAndPassed"
    mastery_score: float | None = None  # its masteryScore in cmi5.xml

    @classmethod
    def of(cls, site: XapiSite, base: str, au: AssignableUnit) -> Cmi5:
        return cls(site, base, au.id, launched_activity_id(au.id), au.url, au.module, au.move_on,
                   au.mastery_score)


@pytest.fixture(scope="module")
def cmi5(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cmi5]:
    folder = tmp_path_factory.mktemp("cmi5")
    site = XapiSite(folder / "site")
    (au,) = assignable_units(load_course(FIXTURE))
    try:
        base = site.install(build_package(FIXTURE, "cmi5", folder / "build"), "cmi5")
        yield Cmi5.of(site, base, au)
    finally:
        site.close()


@pytest.fixture(scope="module")
def module_aus(cmi5: Cmi5, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Cmi5]:
    """The AUs of the package built with ``--au module``, by module, on the same site."""
    folder = tmp_path_factory.mktemp("cmi5-modules")
    options = BuildOptions(options={"au": "module"})
    base = cmi5.site.install(build_package(FIXTURE, "cmi5", folder, options), "cmi5-modules")
    units = assignable_units(load_course(FIXTURE), "module")
    return {au.module or "": Cmi5.of(cmi5.site, base, au) for au in units}


@pytest.fixture
def launcher(ralph_lrs: RalphLRS) -> Iterator[Cmi5Launcher]:
    lms = Cmi5Launcher(ralph_lrs)
    yield lms
    lms.close()


@dataclass
class Learner:
    """One learner's registration, launched as often as a test needs."""

    cmi5: Cmi5
    launcher: Cmi5Launcher
    registration: str
    launch_mode: str = "Normal"
    mastery_score: float | None = 0.75  # cmi5.xml's; the LMS puts it in LaunchData

    def launch(self, page: Page) -> Course:
        url = self.launcher.launch(
            self.cmi5.base + self.cmi5.page, actor=ACTOR, registration=self.registration,
            publisher_id=self.cmi5.publisher_id, activity_id=self.cmi5.activity_id,
            launch_mode=self.launch_mode, mastery_score=self.mastery_score,
            move_on=self.cmi5.move_on,
        )
        page.goto(url)
        expect(page.get_by_test_id("page-title")).to_be_visible()
        return read_course(page)

    def launches(self) -> list[Cmi5Launch]:
        """What the LMS told each session of this AU, as ``ceforge.xapi.statements`` takes
        it."""
        return [cmi5_launch(s, self.cmi5.module) for s in self.launcher.sessions
                if s.activity_id == self.cmi5.activity_id]

    def statements(self) -> list[dict[str, Any]]:
        """The statements this AU's sessions sent."""
        return self.launcher.statements(self.registration, self.cmi5.activity_id)

    def violations(self) -> list[str]:
        return self.launcher.violations(
            self.registration, activity_id=self.cmi5.activity_id,
            publisher_id=self.cmi5.publisher_id, launch_mode=self.launch_mode,
            mastery_score=self.mastery_score,
        )

    def check(self, data: dict[str, Any], sessions: list[list[dict[str, Any]]],
              ralph: RalphLRS) -> list[dict[str, Any]]:
        """The cmi5 rules hold; the statements are ceforge's rules' and valid; Ralph has them
        all, once each, in order."""
        assert self.violations() == []
        got = self.statements()
        expected = replay(FIXTURE, data, sessions, ACTOR, self.registration, self.launches())
        assert [comparable(s) for s in got] == [comparable(s) for s in expected]
        assert_ordered(got)
        judge(got)
        held = ralph.registration(self.registration)  # every AU's statements
        assert [str(s.id) for s in held] == [s["id"] for s in
                                             self.launcher.statements(self.registration)]
        return got


def cmi5_launch(session: Session, module: str | None = None) -> Cmi5Launch:
    data = session.launch_data
    return Cmi5Launch(
        activity_id=session.activity_id,
        context_template=data["contextTemplate"],
        launch_mode=data["launchMode"],
        mastery_score=data.get("masteryScore"),
        move_on=data["moveOn"],
        module=module,
    )


def exit_to_the_lms(page: Page, launcher: Cmi5Launcher) -> list[dict[str, Any]]:
    """Exit course: the AU terminates, then goes to the returnURL. The session's events."""
    page.get_by_test_id("exit").click()
    expect(page.get_by_test_id("exited")).to_be_visible()
    events = session_events(page)
    page.wait_for_url(launcher.return_url, timeout=15000)
    return events


def defined(statements: list[dict[str, Any]]) -> list[str]:
    """The verbs of the cmi5-defined statements (those with the cmi5 category)."""
    cmi5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
    return [verbs([s])[0] for s in statements
            if cmi5 in {a["id"] for a in s["context"]["contextActivities"]["category"]}]


def to_the_test(page: Page, course: Course) -> None:
    page.locator(f'[data-testid=toc-link][data-page="{course.page_of("test")}"]').click()
    expect(page.get_by_test_id("test")).to_be_visible()


@pytest.mark.console_errors_ok
def test_normal_launches_pass_over_two_sessions_and_two_devices(
    page: Page, chromium: Browser, cmi5: Cmi5, launcher: Cmi5Launcher, ralph_lrs: RalphLRS,
    console_log: ConsoleLog,
) -> None:
    learner = Learner(cmi5, launcher, str(uuid.uuid4()))
    course = learner.launch(page)
    next_page(page)
    knowledge_check(page, course.blocks_on("basics-p2")[0], keyboard=False)
    next_page(page)
    first = exit_to_the_lms(page, launcher)
    bookmark = launcher.state(learner.registration, "https://w3id.org/xapi/ceforge/state")
    assert bookmark is not None and bookmark.decode().startswith("c1")

    # The next day, on another computer: the bookmark comes from the LMS's State API.
    other = chromium.new_context(viewport=VIEWPORT)
    page = other.new_page()
    console_log.watch(page)
    learner.launch(page)
    expect(page.get_by_test_id("notice")).to_be_visible()  # welcome back
    expect(page).to_have_url(f"{page.url.split('#')[0]}#/page/practice-p1")
    knowledge_check(page, course.blocks_on("practice-p1")[0], keyboard=False)
    next_page(page)
    take_test(page, course, all_right)
    next_page(page)
    fill_survey(page, course.block("survey"), keyboard=False)
    next_page(page)
    attest(page, course.block("attestation"))
    next_page(page)
    second = exit_to_the_lms(page, launcher)
    other.close()

    got = learner.check(course.data, [first, second], ralph_lrs)
    assert defined(got) == ["initialized", "terminated", "initialized", "passed", "completed",
                            "terminated"]
    assert [s.fetches for s in launcher.sessions] == [1, 1]  # one token per session
    assert launcher.requests("GET", "/lrs/agents/profile") == 2  # the learner preferences
    console_errors_are_only(console_log.errors, NO_DOCUMENT)


@pytest.mark.console_errors_ok
def test_a_failed_final_attempt_fails_the_au_once(
    page: Page, cmi5: Cmi5, launcher: Cmi5Launcher, ralph_lrs: RalphLRS,
    console_log: ConsoleLog,
) -> None:
    learner = Learner(cmi5, launcher, str(uuid.uuid4()))
    course = learner.launch(page)
    to_the_test(page, course)
    test = page.get_by_test_id("test")
    take_test(page, course, all_wrong)
    test.get_by_test_id("test-retake").click()
    take_test(page, course, all_wrong)
    expect(test.get_by_test_id("test-retake")).to_have_count(0)  # no attempt left
    events = exit_to_the_lms(page, launcher)

    got = learner.check(course.data, [events], ralph_lrs)
    assert verbs(got).count("failed") == 3  # two attempts, then the AU
    assert defined(got) == ["initialized", "failed", "terminated"]
    console_errors_are_only(console_log.errors, NO_DOCUMENT)


@pytest.mark.console_errors_ok
def test_the_launch_data_mastery_score_replaces_the_courses(
    page: Page, cmi5: Cmi5, launcher: Cmi5Launcher, ralph_lrs: RalphLRS,
    console_log: ConsoleLog,
) -> None:
    """masteryScore 0.5 where the course asks 75%: an attempt between the two passes, on the
    learner's screen and in the statements."""
    learner = Learner(cmi5, launcher, str(uuid.uuid4()), mastery_score=0.5)
    course = learner.launch(page)
    to_the_test(page, course)
    test = page.get_by_test_id("test")
    drawn = [course.questions[i] for i in shown_ids(test, ".cf-question", "data-question")]
    heavy = [q["id"] for q in drawn if q["points"] == 2]
    right = set(heavy) or {q["id"] for q in drawn[:2]}  # 2 of 4 points, or 2 of 3

    take_test(page, course, lambda position, question: question["id"] in right)
    expect(test.get_by_test_id("test-status")).to_have_attribute("data-passed", "true")
    events = exit_to_the_lms(page, launcher)

    got = learner.check(course.data, [events], ralph_lrs)
    judged = [s for s in got if verbs([s])[0] == "passed"]
    assert [s["object"]["id"] for s in judged] == [course.data["xapi"]["activities"]["test"]["id"],
                                                  cmi5.activity_id]
    assert 0.5 <= judged[1]["result"]["score"]["scaled"] < 0.75
    extensions = judged[1]["context"]["extensions"]
    assert extensions["https://w3id.org/xapi/cmi5/context/extensions/masteryscore"] == 0.5
    console_errors_are_only(console_log.errors, NO_DOCUMENT)


@pytest.mark.console_errors_ok
@pytest.mark.parametrize("mode", ["Browse", "Review"])
def test_browse_and_review_record_nothing_but_the_session(
    page: Page, cmi5: Cmi5, launcher: Cmi5Launcher, ralph_lrs: RalphLRS,
    console_log: ConsoleLog, mode: str,
) -> None:
    learner = Learner(cmi5, launcher, str(uuid.uuid4()), launch_mode=mode)
    course = learner.launch(page)
    expect(page.locator("[data-testid=notice][data-notice=launch]")).to_contain_text(
        "nothing you do now is recorded")
    next_page(page)
    knowledge_check(page, course.blocks_on("basics-p2")[0], keyboard=False)
    to_the_test(page, course)
    take_test(page, course, all_right)
    events = exit_to_the_lms(page, launcher)

    got = learner.check(course.data, [events], ralph_lrs)
    assert verbs(got) == ["initialized", "terminated"]
    assert launcher.state(learner.registration, "https://w3id.org/xapi/ceforge/state") is None
    console_errors_are_only(console_log.errors, NO_DOCUMENT)


@pytest.mark.console_errors_ok
def test_a_reloaded_au_ends_its_session_and_sends_the_learner_back(
    page: Page, cmi5: Cmi5, launcher: Cmi5Launcher, ralph_lrs: RalphLRS,
    console_log: ConsoleLog,
) -> None:
    """The fetch URL works once, and a session that sent terminated is over: a reload says so
    (the LMS launches a new session), and nothing of the session is lost."""
    learner = Learner(cmi5, launcher, str(uuid.uuid4()))
    course = learner.launch(page)
    next_page(page)
    events = session_events(page)
    page.reload()
    expect(page.locator(".cf-form-error")).to_contain_text("This session of the course has ended")
    page.wait_for_timeout(500)

    got = learner.check(course.data, [events], ralph_lrs)
    assert verbs(got) == ["initialized", "experienced", "experienced", "progressed", "suspended",
                          "terminated"]
    assert launcher.sessions[0].fetches == 2  # the second was refused
    console_errors_are_only(console_log.errors, NO_DOCUMENT)


# --- au=module: an AU per module, launched in one registration ----------------------------------


def shows_only(page: Page, course: Course, module: str) -> None:
    """The AU's page runs ``module`` alone: its course data, its table of contents."""
    assert [m["id"] for m in course.data["modules"]] == [module]
    cmi5 = course.data["xapi"]["cmi5"]
    assert (cmi5["au"], cmi5["module"]) == ("module", module)
    links = page.locator("[data-testid=toc-link]")
    expect(links).to_have_count(len(course.pages))
    assert [links.nth(i).get_attribute("data-page") for i in range(links.count())] == [
        p["id"] for p in course.pages]


def au_storage(page: Page) -> list[str]:
    """The localStorage keys of the xAPI adapters' bookmarks."""
    keys: list[str] = page.evaluate("""() => Object.keys(localStorage)
        .filter((key) => key.startsWith('ceforge:xapi:') && key.endsWith(':state')).sort()""")
    return keys


@pytest.mark.console_errors_ok
def test_module_aus_each_run_their_module_and_report_it(
    page: Page, module_aus: dict[str, Cmi5], launcher: Cmi5Launcher, ralph_lrs: RalphLRS,
    console_log: ConsoleLog,
) -> None:
    """``--au module``: the LMS launches the first module's AU, then the post-test's, in one
    registration and one browser. Each page shows its module alone; the module's AU completes
    with its module (no CE hours: they are the course's); the post-test's AU passes against
    the masteryScore of cmi5.xml (not on a failed first attempt), then completes; every
    statement keeps the course's activity ids, and each AU's follow the cmi5 rules."""
    registration = str(uuid.uuid4())
    basics = Learner(module_aus["basics"], launcher, registration, mastery_score=None)
    course = basics.launch(page)
    shows_only(page, course, "basics")
    next_page(page)
    knowledge_check(page, course.blocks_on("basics-p2")[0], keyboard=False)
    next_page(page)
    expect(page).to_have_url(page.url.split("#")[0] + "#/completion")
    first = exit_to_the_lms(page, launcher)

    got = basics.check(course.data, [first], ralph_lrs)
    assert defined(got) == ["initialized", "completed", "terminated"]
    assert "passed" not in verbs(got) and "suspended" not in verbs(got)
    completed = got[verbs(got).index("completed")]
    assert completed["object"]["id"] == basics.cmi5.activity_id
    assert completed["object"]["definition"]["name"] == {"en-US": "The Basics of Listening"}
    assert "extensions" not in completed["result"]  # no CE hours for a module
    pages = [s["object"]["id"] for s in got if verbs([s])[0] == "experienced"]
    assert pages == [f"{COURSE_ID}/page/basics-p1", f"{COURSE_ID}/page/basics-p2"]

    mastery = module_aus["post-test"]
    assert (mastery.move_on, mastery.mastery_score) == ("CompletedAndPassed", 0.75)
    post_test = Learner(mastery, launcher, registration, mastery_score=mastery.mastery_score)
    course = post_test.launch(page)
    shows_only(page, course, "post-test")
    test = page.get_by_test_id("test")
    take_test(page, course, all_wrong)
    test.get_by_test_id("test-retake").click()
    take_test(page, course, all_right)
    expect(test.get_by_test_id("test-status")).to_have_attribute("data-passed", "true")
    next_page(page)
    assert au_storage(page) == [  # each AU keeps its own bookmark in this browser
        f"ceforge:xapi:{COURSE_ID}:{registration}:module:{m}:state" for m in ("basics", "post-test")
    ]
    second = exit_to_the_lms(page, launcher)

    got = post_test.check(course.data, [second], ralph_lrs)
    assert defined(got) == ["initialized", "passed", "completed", "terminated"]
    assert verbs(got).count("failed") == 1  # the first attempt's, about the post-test only
    (judged,) = [s for s in got if s["object"]["id"] == mastery.activity_id
                 and verbs([s])[0] == "passed"]
    assert judged["context"]["extensions"][MASTERY_SCORE] == 0.75
    assert judged["result"]["score"]["scaled"] >= 0.75
    assert {s["context"]["registration"] for s in launcher.statements(registration)} == {
        registration}
    console_errors_are_only(console_log.errors, NO_DOCUMENT)
