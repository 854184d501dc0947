"""The cmi5 package in Chromium, launched by ``ceforge preview``'s LMS and tracked by Ralph.

The package is served on an origin of its own, as LMSs often host content apart from the LRS.
The preview's LMS (``Preview(package=…)``: its cmi5 launcher and LRS) launches each AU: it
hands the AU its fetch URL (once), ``LMS.LaunchData`` (read-only) and a State API that reaches
the session's own documents only; it refuses and records every request that breaks the
protocol (``Lrs.request_problems``: no session token, no ``X-Experience-API-Version``, a write
to LaunchData, a document of another actor or registration), flags each statement against the
cmi5 rules as it arrives (actor and registration of the launch, the sequence), and forwards
every statement it stores to Ralph, as ``ceforge preview --lrs`` does.

Each test compares what the AU sent with what ceforge's Python rules (``ceforge statements
--cmi5``'s ``Recorder``) make of the runtime's own events, checks the cmi5 sequence rules per
AU (``xapi_checks.cmi5_violations``), judges every statement with both xAPI validators, and
reads the registration back from Ralph (the LRS that is not ours).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
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
from playwright.sync_api import Browser, Page, Request, Route, expect
from preview_support import wait_until
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

from ceforge.preview.forward import Forwarder
from ceforge.preview.launcher import Cmi5Session
from ceforge.preview.lrs import document_key
from ceforge.preview.server import Preview
from ceforge.targets.base import BuildOptions
from ceforge.xapi.cmi5 import AssignableUnit, assignable_units, launched_activity_id
from ceforge.xapi.statements import Cmi5Launch
from ralph_lrs import RalphLRS
from spec import drawn_ids
from xapi_checks import cmi5_violations

NO_DOCUMENT = "status of 404"  # the AU asks for its bookmark before there is one
COURSE_ID = "https://ceforge.example.org/courses/listening-basics"
MASTERY_SCORE = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
BOOKMARK = "https://w3id.org/xapi/ceforge/state"


@dataclass
class Cmi5:
    """One AU of an installed package."""

    site: XapiSite
    base: str  # URL of the unpacked package's folder
    folder: Path  # the unpacked package
    publisher_id: str  # the AU's id in cmi5.xml
    activity_id: str  # the id the LMS launches it under
    page: str = "index.html"  # its url in cmi5.xml
    module: str | None = None  # the module it runs (au=module), None: the course
    move_on: str = "CompletedAndPassed"
    mastery_score: float | None = None  # its masteryScore in cmi5.xml

    @classmethod
    def of(cls, site: XapiSite, base: str, folder: Path, au: AssignableUnit) -> Cmi5:
        return cls(site, base, folder, au.id, launched_activity_id(au.id), au.url, au.module,
                   au.move_on, au.mastery_score)


@pytest.fixture(scope="module")
def cmi5(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cmi5]:
    folder = tmp_path_factory.mktemp("cmi5")
    site = XapiSite(folder / "site")
    (au,) = assignable_units(load_course(FIXTURE))
    try:
        base = site.install(build_package(FIXTURE, "cmi5", folder / "build"), "cmi5")
        yield Cmi5.of(site, base, site.folder / "cmi5", au)
    finally:
        site.close()


@pytest.fixture(scope="module")
def module_aus(cmi5: Cmi5, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Cmi5]:
    """The AUs of the package built with ``--au module``, by module, on the same site."""
    folder = tmp_path_factory.mktemp("cmi5-modules")
    options = BuildOptions(options={"au": "module"})
    base = cmi5.site.install(build_package(FIXTURE, "cmi5", folder, options), "cmi5-modules")
    units = assignable_units(load_course(FIXTURE), "module")
    return {au.module or "": Cmi5.of(cmi5.site, base, cmi5.site.folder / "cmi5-modules", au)
            for au in units}


@dataclass
class Lms:
    """``ceforge preview``'s LMS for one package (``Preview(package=…)``), forwarding every
    statement it stores to Ralph; and the requests the browser made of it."""

    preview: Preview
    forwarder: Forwarder
    requests: list[tuple[str, str]] = field(default_factory=list)
    watched: list[Any] = field(default_factory=list)

    @property
    def return_url(self) -> str:
        return self.preview.url + "returned"

    @property
    def registration(self) -> str:
        return self.preview.learner.registration

    def actor(self) -> dict[str, Any]:
        return self.preview.learner.actor()

    def watch(self, page: Page) -> None:
        """Count the requests the pages of ``page``'s context make of the LMS."""
        if all(page.context is not context for context in self.watched):
            self.watched.append(page.context)
            page.context.on("request", self._on_request)

    def _on_request(self, request: Request) -> None:
        if request.url.startswith(self.preview.url):
            self.requests.append((request.method, request.url.removeprefix(self.preview.url)))

    def requests_to(self, method: str, prefix: str) -> int:
        return sum(1 for m, path in self.requests if m == method and path.startswith(prefix))

    def launch(self, cmi5: Cmi5, launch_mode: str, mastery_score: float | None) -> str:
        """A new session of the AU, whose files are on the package's own site; its URL."""
        url, _session = self.preview.launcher.launch(
            self.preview.unit(cmi5.publisher_id), cmi5.base, self.preview.learner,
            launch_mode=launch_mode, mastery_score=mastery_score, return_url=self.return_url)
        return url

    def sessions(self, activity_id: str | None = None) -> list[Cmi5Session]:
        """The sessions launched (of the AU launched as ``activity_id``), in order."""
        return [s for s in self.preview.launcher.sessions.values()
                if activity_id in (None, s.activity_id)]

    def stored(self) -> list[dict[str, Any]]:
        """Every statement the LRS stored (the LMS's own too), in the order they arrived."""
        return [item["statement"] for item in self.preview.statements()
                if item["status"] == "stored"]

    def statements(self, activity_id: str | None = None) -> list[dict[str, Any]]:
        """The statements the AU's sessions (of ``activity_id``, else of every AU) sent, in
        the order they first arrived (a statement sent again, as retries do, counts once)."""
        sessions = {s.id for s in self.sessions(activity_id)}
        return [item["statement"] for item in self.preview.statements()
                if item["status"] == "stored" and item["session"] in sessions]

    def state(self, activity_id: str, state_id: str) -> bytes | None:
        where = document_key("activities/state", activity=activity_id, agent=self.actor(),
                             registration=self.registration)
        return self.preview.lrs.document(where, state_id)

    def problems(self) -> list[str]:
        """What broke the protocol: requests the LRS refused, statements it refused, and what
        the LMS flagged on the statements it stored (actor, registration, cmi5 sequence)."""
        found = [str(problem) for problem in self.preview.lrs.request_problems]
        for item in self.preview.statements():
            if item["status"] != "stored":
                found.append(f"{item['id']} refused: {item['refusal']}")
            found += [f"{item['id']}: {problem}" for problem in item["problems"]]
        return found

    def delivered(self, timeout: float = 30.0) -> None:
        """Wait until Ralph has acknowledged every statement stored so far."""
        deadline = time.monotonic() + timeout
        while True:
            ids = [s["id"] for s in self.stored()]
            results = [self.forwarder.results.get(i) for i in ids]
            if all(result == "sent" for result in results):
                return
            failed = [r for r in results if r not in (None, "pending", "sent")]
            assert not failed, failed
            assert time.monotonic() < deadline, f"Ralph did not get them all: {results}"
            time.sleep(0.1)


@pytest.fixture
def lms_for(ralph_lrs: RalphLRS) -> Iterator[Callable[[Cmi5], Lms]]:
    """The LMS of the package of a ``Cmi5`` (one preview per package, for the test)."""
    started: dict[Path, Lms] = {}

    def start(cmi5: Cmi5) -> Lms:
        if cmi5.folder not in started:
            forwarder = Forwarder(ralph_lrs.endpoint, ralph_lrs.username, ralph_lrs.password)
            preview = Preview(package=cmi5.folder, target="cmi5", watch=False,
                              forward=forwarder).start()
            started[cmi5.folder] = Lms(preview, forwarder)
        return started[cmi5.folder]

    yield start
    for lms in started.values():
        lms.preview.close()


@dataclass
class Learner:
    """The LMS's learner in one AU, launched as often as a test needs (every AU of one LMS
    shares the learner's registration)."""

    cmi5: Cmi5
    lms: Lms
    launch_mode: str = "Normal"
    mastery_score: float | None = 0.75  # cmi5.xml's; the LMS puts it in LaunchData

    @property
    def registration(self) -> str:
        return self.lms.registration

    def launch(self, page: Page) -> Course:
        self.lms.watch(page)
        page.goto(self.lms.launch(self.cmi5, self.launch_mode, self.mastery_score))
        expect(page.get_by_test_id("page-title")).to_be_visible()
        return read_course(page)

    def launches(self) -> list[Cmi5Launch]:
        """What the LMS told each session of this AU, as ``ceforge.xapi.statements`` takes
        it."""
        return [cmi5_launch(s, self.cmi5.module) for s in self.lms.sessions(self.cmi5.activity_id)]

    def statements(self) -> list[dict[str, Any]]:
        """The statements this AU's sessions sent."""
        return self.lms.statements(self.cmi5.activity_id)

    def violations(self) -> list[str]:
        """What the LMS found wrong, then the cmi5 rules the statements of this AU break."""
        return self.lms.problems() + cmi5_violations(
            self.statements(), activity_id=self.cmi5.activity_id,
            publisher_id=self.cmi5.publisher_id, launch_mode=self.launch_mode,
            mastery_score=self.mastery_score,
        )

    def check(self, data: dict[str, Any], sessions: list[list[dict[str, Any]]],
              ralph: RalphLRS) -> list[dict[str, Any]]:
        """The cmi5 rules hold; the statements are ceforge's rules' and valid; Ralph has them
        all (the LMS's too), once each, and the AUs' in the order they were sent."""
        assert self.violations() == []
        got = self.statements()
        expected = replay(FIXTURE, data, sessions, self.lms.actor(), self.registration,
                          self.launches())
        assert [comparable(s) for s in got] == [comparable(s) for s in expected]
        assert_ordered(got)
        judge(got)
        self.lms.delivered()
        held = [str(s.id) for s in ralph.registration(self.registration)]  # every AU's
        assert len(held) == len(set(held)), "Ralph holds a statement twice"
        assert sorted(held) == sorted(s["id"] for s in self.lms.stored())
        sent = [s["id"] for s in self.lms.statements()]
        assert [i for i in held if i in set(sent)] == sent
        return got


def cmi5_launch(session: Cmi5Session, module: str | None = None) -> Cmi5Launch:
    data = session.launch_data
    return Cmi5Launch(
        activity_id=session.activity_id,
        context_template=data["contextTemplate"],
        launch_mode=data["launchMode"],
        mastery_score=data.get("masteryScore"),
        move_on=data["moveOn"],
        module=module,
    )


def exit_to_the_lms(page: Page, lms: Lms) -> list[dict[str, Any]]:
    """Exit course: the AU terminates, then goes to the returnURL. The session's events.

    The AU leaves once the LRS has acknowledged its last statements: they are held until the
    events are read (with the LMS's fast LRS the page was sometimes gone before the test saw
    it exit)."""
    held: list[Route] = []
    released = False

    def hold(route: Route) -> None:
        if released:
            route.continue_()
        else:
            held.append(route)

    page.route(lms.preview.url + "xapi/statements**", hold)
    page.get_by_test_id("exit").click()
    expect(page.get_by_test_id("exited")).to_be_visible()
    events = session_events(page)
    released = True
    for route in held:
        route.continue_()
    page.wait_for_url(lms.return_url, timeout=15000)
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
    page: Page, chromium: Browser, cmi5: Cmi5, lms_for: Callable[[Cmi5], Lms], ralph_lrs: RalphLRS,
    console_log: ConsoleLog,
) -> None:
    learner = Learner(cmi5, lms_for(cmi5))
    course = learner.launch(page)
    next_page(page)
    knowledge_check(page, course.blocks_on("basics-p2")[0], keyboard=False)
    next_page(page)
    first = exit_to_the_lms(page, learner.lms)
    bookmark = learner.lms.state(cmi5.activity_id, BOOKMARK)
    assert bookmark is not None and bookmark.decode().startswith("c2")

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
    second = exit_to_the_lms(page, learner.lms)
    other.close()

    got = learner.check(course.data, [first, second], ralph_lrs)
    assert defined(got) == ["initialized", "terminated", "initialized", "passed", "completed",
                            "terminated"]
    assert [s.fetches for s in learner.lms.sessions()] == [1, 1]  # one token per session
    assert learner.lms.requests_to("GET", "xapi/agents/profile") == 2  # learner preferences
    console_errors_are_only(console_log.errors, NO_DOCUMENT)


@pytest.mark.console_errors_ok
def test_a_failed_final_attempt_fails_the_au_once(
    page: Page, cmi5: Cmi5, lms_for: Callable[[Cmi5], Lms], ralph_lrs: RalphLRS,
    console_log: ConsoleLog,
) -> None:
    learner = Learner(cmi5, lms_for(cmi5))
    course = learner.launch(page)
    to_the_test(page, course)
    test = page.get_by_test_id("test")
    take_test(page, course, all_wrong)
    test.get_by_test_id("test-retake").click()
    take_test(page, course, all_wrong)
    expect(test.get_by_test_id("test-retake")).to_have_count(0)  # no attempt left
    events = exit_to_the_lms(page, learner.lms)

    got = learner.check(course.data, [events], ralph_lrs)
    assert verbs(got).count("failed") == 3  # two attempts, then the AU
    assert defined(got) == ["initialized", "failed", "terminated"]
    console_errors_are_only(console_log.errors, NO_DOCUMENT)


@pytest.mark.console_errors_ok
def test_the_launch_data_mastery_score_replaces_the_courses(
    page: Page, cmi5: Cmi5, lms_for: Callable[[Cmi5], Lms], ralph_lrs: RalphLRS,
    console_log: ConsoleLog,
) -> None:
    """masteryScore 0.5 where the course asks 75%: an attempt between the two passes, on the
    learner's screen and in the statements."""
    learner = Learner(cmi5, lms_for(cmi5), mastery_score=0.5)
    course = learner.launch(page)
    to_the_test(page, course)
    test = page.get_by_test_id("test")
    drawn = [course.questions[i] for i in shown_ids(test, ".cf-question", "data-question")]
    heavy = [q["id"] for q in drawn if q["points"] == 2]
    right = set(heavy) or {q["id"] for q in drawn[:2]}  # 2 of 4 points, or 2 of 3

    take_test(page, course, lambda position, question: question["id"] in right)
    expect(test.get_by_test_id("test-status")).to_have_attribute("data-passed", "true")
    events = exit_to_the_lms(page, learner.lms)

    got = learner.check(course.data, [events], ralph_lrs)
    judged = [s for s in got if verbs([s])[0] == "passed"]
    assert [s["object"]["id"] for s in judged] == [course.data["xapi"]["activities"]["test"]["id"],
                                                  cmi5.activity_id]
    assert 0.5 <= judged[1]["result"]["score"]["scaled"] < 0.75
    extensions = judged[1]["context"]["extensions"]
    assert extensions["https://w3id.org/xapi/cmi5/context/extensions/masteryscore"] == 0.5
    console_errors_are_only(console_log.errors, NO_DOCUMENT)


def seed_drawing_only(block: Any, weight: float) -> int:
    """A test attempt's seed whose draw holds only questions worth ``weight`` points."""
    drawn_from = {"questions": [{"id": q.id} for q in block.questions], "draw": block.draw,
                  "shuffle": block.shuffle}
    points = {q.id: q.points for q in block.questions}
    return next(seed for seed in range(1, 10000)
                if {points[i] for i in drawn_ids(drawn_from, seed)} == {weight})


@pytest.mark.console_errors_ok
@pytest.mark.parametrize(("mastery", "right"), [(0.6666, 2), (0.3334, 1)])
def test_a_four_decimal_mastery_score_is_judged_once(
    page: Page, cmi5: Cmi5, lms_for: Callable[[Cmi5], Lms], ralph_lrs: RalphLRS,
    console_log: ConsoleLog, mastery: float, right: int,
) -> None:
    """A masteryScore with four decimals is rounded up to the thousandth scores are kept in:
    with 0.6666, 2 of 3 (kept as 666) fails on the learner's screen and in the statements alike
    (it used to fail on the screen and pass in the LRS); with 0.3334, 1 of 3 (333) fails alike
    (it used to pass on the screen). The failed statement reports the kept score, below the
    masteryScore, as cmi5 asks."""
    test_block = load_course(FIXTURE).test
    assert test_block is not None
    seed = seed_drawing_only(test_block, 1)  # three one-point questions: thirds
    page.add_init_script(f"""(() => {{
      const random = crypto.getRandomValues.bind(crypto);
      crypto.getRandomValues = (array) => {{
        random(array);
        if (array instanceof Uint32Array && array.length === 1) array[0] = {seed};
        return array;
      }};
    }})();""")
    learner = Learner(cmi5, lms_for(cmi5), mastery_score=mastery)
    course = learner.launch(page)
    to_the_test(page, course)
    test = page.get_by_test_id("test")
    mark = f"{math.ceil(mastery * 1000) / 10:g}%"
    expect(test.get_by_test_id("test-attempt")).to_contain_text(f"Pass mark: {mark}")
    take_test(page, course, lambda position, question: position < right)
    expect(test.get_by_test_id("test-status")).to_have_attribute("data-passed", "false")
    events = exit_to_the_lms(page, learner.lms)

    got = learner.check(course.data, [events], ralph_lrs)
    (failed,) = [s for s in got if verbs([s])[0] == "failed"]
    assert failed["result"]["score"]["scaled"] == math.floor(right / 3 * 1000) / 1000
    assert failed["result"]["score"]["scaled"] < mastery
    console_errors_are_only(console_log.errors, NO_DOCUMENT)


@pytest.mark.console_errors_ok
@pytest.mark.parametrize("mode", ["Browse", "Review"])
def test_browse_and_review_record_nothing_but_the_session(
    page: Page, cmi5: Cmi5, lms_for: Callable[[Cmi5], Lms], ralph_lrs: RalphLRS,
    console_log: ConsoleLog, mode: str,
) -> None:
    learner = Learner(cmi5, lms_for(cmi5), launch_mode=mode)
    course = learner.launch(page)
    expect(page.locator("[data-testid=notice][data-notice=launch]")).to_contain_text(
        "nothing you do now is recorded")
    next_page(page)
    knowledge_check(page, course.blocks_on("basics-p2")[0], keyboard=False)
    to_the_test(page, course)
    take_test(page, course, all_right)
    events = exit_to_the_lms(page, learner.lms)

    got = learner.check(course.data, [events], ralph_lrs)
    assert verbs(got) == ["initialized", "terminated"]
    assert learner.lms.state(cmi5.activity_id, BOOKMARK) is None
    console_errors_are_only(console_log.errors, NO_DOCUMENT)


@pytest.mark.console_errors_ok
def test_a_reloaded_au_ends_its_session_and_sends_the_learner_back(
    page: Page, cmi5: Cmi5, lms_for: Callable[[Cmi5], Lms], ralph_lrs: RalphLRS,
    console_log: ConsoleLog,
) -> None:
    """The fetch URL works once, and a session that sent terminated is over: a reload says so
    (the LMS launches a new session), and nothing of the session is lost."""
    learner = Learner(cmi5, lms_for(cmi5))
    course = learner.launch(page)
    next_page(page)
    events = session_events(page)
    page.reload()
    expect(page.locator(".cf-form-error")).to_contain_text("This session of the course has ended")
    # The unloading page sent its last statements with keepalive: once terminated is stored,
    # the session is over, and nothing after it may count.
    wait_until(lambda: "terminated" in verbs(learner.lms.statements()), "terminated")

    got = learner.check(course.data, [events], ralph_lrs)
    assert verbs(got) == ["initialized", "experienced", "experienced", "progressed", "suspended",
                          "terminated"]
    assert learner.lms.sessions()[0].fetches == 2  # the second was refused
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
    page: Page, module_aus: dict[str, Cmi5], lms_for: Callable[[Cmi5], Lms],
    ralph_lrs: RalphLRS, console_log: ConsoleLog,
) -> None:
    """``--au module``: the LMS launches the first module's AU, then the post-test's, in one
    registration and one browser. Each page shows its module alone; the module's AU completes
    with its module (no CE hours: they are the course's); the post-test's AU passes against
    the masteryScore of cmi5.xml (not on a failed first attempt), then completes; every
    statement keeps the course's activity ids, and each AU's follow the cmi5 rules."""
    lms = lms_for(module_aus["basics"])
    registration = lms.registration
    basics = Learner(module_aus["basics"], lms, mastery_score=None)
    course = basics.launch(page)
    shows_only(page, course, "basics")
    next_page(page)
    knowledge_check(page, course.blocks_on("basics-p2")[0], keyboard=False)
    next_page(page)
    expect(page).to_have_url(page.url.split("#")[0] + "#/completion")
    first = exit_to_the_lms(page, lms)

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
    post_test = Learner(mastery, lms_for(mastery), mastery_score=mastery.mastery_score)
    assert post_test.lms is lms  # one package, one LMS, one registration
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
    second = exit_to_the_lms(page, lms)

    got = post_test.check(course.data, [second], ralph_lrs)
    assert defined(got) == ["initialized", "passed", "completed", "terminated"]
    assert verbs(got).count("failed") == 1  # the first attempt's, about the post-test only
    (judged,) = [s for s in got if s["object"]["id"] == mastery.activity_id
                 and verbs([s])[0] == "passed"]
    assert judged["context"]["extensions"][MASTERY_SCORE] == 0.75
    assert judged["result"]["score"]["scaled"] >= 0.75
    assert {s["context"]["registration"] for s in lms.stored()} == {registration}
    console_errors_are_only(console_log.errors, NO_DOCUMENT)
