"""A learner who completed a CE course opens it again later to print the certificate again:
in every package the course opens on the completion page, with the certificate as issued
(same name, date, code), and nothing it reports to the LMS or LRS goes back.

- web: the learner's own browser keeps the state;
- SCORM 1.2 and 2004 in the test LMS (scorm-again): the next launch gets what the LMS kept;
  for 2004 with real new-attempt semantics (``next_launch``: an attempt that ended with any
  exit but "suspend" is over, and the next launch is a new attempt with nothing in it);
- SCORM 1.2 and 2004 under the preview's strict simulator, which does the same on its own;
- cmi5: the state comes back from the State API of the LMS's LRS (the preview's LMS, a new
  session on another computer);
- Tin Can with Ralph as the LRS: Ralph has no State API, the bookmark is the browser's; the
  code of the certificate finds the completion in Ralph.

The course is ``fixtures/ce/full`` (a certificate with licence details).
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from harness import ConsoleLog
from learner import LICENSE, give_license, launch, read_course
from learner import complete_course as complete_web
from playwright.sync_api import Browser, Frame, Page, expect
from preview_support import Inspector, running
from preview_support import complete_from_here as complete_in_preview
from scorm_lms import (
    LEARNER,
    Lms,
    ScormSite,
    Variant,
    complete_from_here,
    launch_data,
    new_page,
    resume_data,
    route_of,
    scorm_site,
)
from scorm_lms import launch as launch_in_lms
from xapi_support import (
    StoppableRalph,
    XapiSite,
    build_package,
    load_course,
    outbox,
    tincan_launch,
)

from ceforge.certificate import find_completion, normalize_code
from ceforge.preview.server import Preview
from ceforge.xapi import vocabulary as v
from ceforge.xapi.cmi5 import assignable_units, launched_activity_id
from ceforge.xapi.vocabulary import record_extensions
from oracles import ralph_python
from xapi_checks import cmi5_violations

FULL = Path(__file__).resolve().parent.parent / "fixtures" / "ce" / "full"
FIXTURES = (scorm_site, new_page)
Site = Callable[[Variant], ScormSite]
NewPage = Callable[[], Page]
Scope = Page | Frame


def certificate(scope: Scope) -> dict[str, str]:
    """What the certificate on screen says that must not change on a reprint."""
    cert = scope.get_by_test_id("certificate")
    expect(cert).to_be_visible()
    expect(scope.get_by_test_id("certificate-print")).to_be_visible()
    fields = {key: cert.get_by_test_id(f"certificate-{key}").inner_text()
              for key in ("name", "code", "license-number", "license-state")}
    fields["date"] = cert.get_by_test_id("certificate-fact-date").inner_text()
    assert normalize_code(fields["code"]) is not None
    return fields


# --- web ----------------------------------------------------------------------------------------


def test_web_the_course_opens_again_on_the_certificate(
    page: Page, built_web: Callable[[Path], Path], served: Callable[[Path], str]
) -> None:
    url = served(built_web(FULL)) + "index.html"
    course = launch(page, url, "Dana Whitfield")
    complete_web(page, course)
    issued = certificate(page)
    assert issued["license-number"] == LICENSE["number"]
    page.goto("about:blank")

    again = page.context.new_page()  # the same browser, another day: no route in the address
    again.goto(url)
    expect(again).to_have_url(url + "#/completion")
    expect(again.get_by_test_id("page-title")).to_have_text("Completion and certificate")
    assert certificate(again) == issued
    assert again.get_by_test_id("license-form").count() == 0
    completed = [e for e in again.evaluate("() => Ceforge.app.events") if e["type"] == "completed"]
    assert completed == []  # completed once, on the day: nothing new to report


# --- SCORM in the test LMS (scorm-again) ----------------------------------------------------------


def next_launch(family: str, final: dict[str, Any], site: ScormSite) -> dict[str, str]:
    """The data of the next launch after a session that ended with ``final``, as LMSs do it:
    SCORM 1.2 has no attempts (the LMS keeps the data, ``entry`` resume after a suspend);
    in SCORM 2004 an attempt that did not end with exit "suspend" is over, and the next launch
    starts a new attempt from nothing (SCORM 2004 RTE 4.2.8 and 4.2.9; Moodle does the same)."""
    if family == "2004" and final.get("cmi.exit") != "suspend":
        return launch_data(site, "index.html")
    return resume_data(family, final)


def exit_course(lms: Lms) -> dict[str, Any]:
    lms.sco.get_by_test_id("exit").click()
    expect(lms.sco.get_by_test_id("exited")).to_be_visible()
    finish = "LMSFinish" if lms.family == "1.2" else "Terminate"
    lms.page.wait_for_function(f"() => window.lms.calls.some(c => c.fn === '{finish}')")
    assert lms.commits[-1]["kind"] == "terminate"
    return lms.committed()


def reported(lms: Lms, final: dict[str, Any]) -> dict[str, str]:
    if lms.family == "1.2":
        return {"status": final["cmi.core.lesson_status"], "exit": final["cmi.core.exit"]}
    return {"completion": final["cmi.completion_status"], "success": final["cmi.success_status"],
            "exit": final["cmi.exit"]}


def certificate_record(lms: Lms) -> list[str]:
    """The records of the certificate the SCO sent in this session, as a strict LMS saved them
    (docs/scorm.md, "The certificate record")."""
    stored = lms.stored()
    if lms.family == "1.2":
        return [value for key, value in stored.items() if key == "cmi.comments"]
    comments = sorted({key.split(".")[2] for key in stored
                       if key.startswith("cmi.comments_from_learner.")})
    for n in comments:
        assert stored[f"cmi.comments_from_learner.{n}.location"] == "certificate"
        assert stored[f"cmi.comments_from_learner.{n}.timestamp"]
    return [stored[f"cmi.comments_from_learner.{n}.comment"] for n in comments]


@pytest.mark.parametrize("target", ["scorm12", "scorm2004"])
def test_scorm_the_course_opens_again_on_the_certificate(
    target: str, page: Page, new_page: NewPage, scorm_site: Site
) -> None:
    site = scorm_site(Variant(target, course=FULL))
    first = launch_in_lms(page, site)
    course = first.course()
    complete_from_here(first.sco, course)
    issued = certificate(first.sco)
    assert issued["name"] == LEARNER["shown"]
    final = exit_course(first)
    done = ({"status": "passed", "exit": "suspend"} if first.family == "1.2" else
            {"completion": "completed", "success": "passed", "exit": "suspend"})
    assert reported(first, final) == done
    code = normalize_code(issued["code"])
    assert certificate_record(first) == [
        'ceforge-certificate {"code":"' + str(code) + '","license_number":"'
        + LICENSE["number"] + '","license_state":"' + LICENSE["state"] + '"}']
    assert first.problems(scored=True) == []

    data = next_launch(first.family, final, site)
    entry = "cmi.core.entry" if first.family == "1.2" else "cmi.entry"
    assert data[entry] == "resume"  # exit "suspend": the attempt goes on
    again = launch_in_lms(new_page(), site, "index.html", data)
    frame = again.sco
    assert route_of(frame) == "/completion"
    assert certificate(frame) == issued
    final = exit_course(again)
    assert reported(again, final) == done
    status = "cmi.core.lesson_status" if again.family == "1.2" else "cmi.completion_status"
    assert "incomplete" not in again.sets(status)  # nothing taken back, ever
    assert certificate_record(again) == []  # sent once, on the day: not again
    assert again.problems(scored=True) == []


def test_scorm2004_a_new_attempt_is_what_an_ended_attempt_would_get(scorm_site: Site) -> None:
    """The control of the test above: ``next_launch`` does start afresh after exit "normal"
    (what the runtime used to send once complete), so the reprint above is the suspend's."""
    site = scorm_site(Variant("scorm2004", course=FULL))
    data = next_launch("2004", {"cmi.exit": "normal", "cmi.suspend_data": "c1x",
                                "cmi.completion_status": "completed"}, site)
    assert data["cmi.entry"] == "ab-initio"
    assert "cmi.suspend_data" not in data and "cmi.completion_status" not in data


# --- SCORM under the preview's simulator ----------------------------------------------------------


@pytest.mark.parametrize("target", ["scorm12", "scorm2004"])
def test_scorm_under_the_simulator_the_course_opens_again_on_the_certificate(
    page: Page, tmp_path: Path, target: str
) -> None:
    with running(FULL, target) as preview:
        inspector = Inspector(page, preview)
        course = inspector.course()
        complete_in_preview(inspector.frame, course)
        issued = certificate(inspector.frame)
        inspector.exit()
        record = inspector.record()
        assert record["entry"] == "resume" and record["attempt"] == 1

        inspector.relaunch()
        frame = inspector.frame
        expect(frame.get_by_test_id("certificate")).to_be_visible()
        assert route_of(frame) == "/completion"
        assert certificate(frame) == issued
        assert inspector.record()["attempt"] == 1  # the same attempt, not a new one
        assert give_license(frame) is False  # asked once
        assert inspector.errors() == [] and inspector.problems() == []


# --- Tin Can, with Ralph as the LRS ---------------------------------------------------------------

ACTOR = {"objectType": "Agent", "name": "Ana Example", "mbox": "mailto:ana@example.org"}
EXTENSIONS = record_extensions()


@pytest.fixture(scope="module")
def tincan_full(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, StoppableRalph]]:
    folder = tmp_path_factory.mktemp("tincan-full")
    site = XapiSite(folder / "site")
    ralph = StoppableRalph(ralph_python(), folder / "ralph", site.origin)
    ralph.start()
    try:
        yield site.install(build_package(FULL, "tincan", folder / "build"), "tincan"), ralph
    finally:
        ralph.stop()
        site.close()


@pytest.mark.console_errors_ok
def test_tincan_the_course_opens_again_and_the_lrs_confirms_the_code(
    page: Page, tincan_full: tuple[str, StoppableRalph], console_log: ConsoleLog
) -> None:
    """Ralph has no State API: the bookmark is the browser's (docs/xapi.md), and the course
    opens again on the certificate in that browser. What the LRS holds is the provider's record:
    the code of the certificate finds the learner's completion there, and nothing else does."""
    base, ralph = tincan_full
    registration = str(uuid.uuid4())
    url = tincan_launch(base, ralph.lrs, ACTOR, registration)
    page.goto(url)
    expect(page.get_by_test_id("page-title")).to_be_visible()
    complete_web(page, read_course(page))
    issued = certificate(page)
    page.get_by_test_id("exit").click()
    expect(page.get_by_test_id("exited")).to_be_visible()
    deadline = time.monotonic() + 30
    while outbox(page):
        assert time.monotonic() < deadline, "the LRS did not take every statement"
        page.wait_for_timeout(200)

    again = page.context.new_page()
    again.goto(url)
    expect(again.get_by_test_id("certificate")).to_be_visible()
    assert again.url.endswith("#/completion")
    assert certificate(again) == issued

    held = [json.loads(s.to_json("1.0.3")) for s in ralph.lrs.registration(registration)]
    found = find_completion(issued["code"], held, EXTENSIONS)
    assert found is not None
    assert found.learner["mbox"] == ACTOR["mbox"] and found.registration == registration
    assert (found.license_number, found.license_state) == (LICENSE["number"], LICENSE["state"])
    completed = [s for s in held if s["verb"]["id"].endswith("/completed")]
    assert len(completed) == 1  # the relaunch reported no second completion
    assert completed[0]["result"]["extensions"][v.ETHICS_HOURS] == 1
    other = find_completion("ABCD-EFGH-JKLM", held, EXTENSIONS)  # well formed, not held
    assert normalize_code("ABCD-EFGH-JKLM") is not None and other is None
    assert all("status of 404" in e for e in console_log.errors)  # no State API at Ralph


# --- cmi5, the state from the LMS's State API -------------------------------------------------


@pytest.fixture(scope="module")
def cmi5_full(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, str]]:
    """The package of the course as cmi5, on a site of its own: its URL, folder and AU id."""
    folder = tmp_path_factory.mktemp("cmi5-full")
    site = XapiSite(folder / "site")
    (au,) = assignable_units(load_course(FULL))
    try:
        base = site.install(build_package(FULL, "cmi5", folder / "build"), "cmi5")
        yield base, site.folder / "cmi5", au.id
    finally:
        site.close()


@pytest.mark.console_errors_ok
def test_cmi5_the_course_opens_again_on_the_certificate_from_the_state_api(
    page: Page, chromium: Browser, cmi5_full: tuple[str, Path, str], console_log: ConsoleLog
) -> None:
    base, folder, publisher_id = cmi5_full
    with Preview(package=folder, target="cmi5", watch=False) as lms:
        def launch_au(scope: Page) -> None:
            url, _session = lms.launcher.launch(
                lms.unit(publisher_id), base, lms.learner, launch_mode="Normal",
                mastery_score=None, return_url=lms.url + "returned")
            scope.goto(url)
            expect(scope.get_by_test_id("page-title")).to_be_visible()

        launch_au(page)
        complete_web(page, read_course(page))
        issued = certificate(page)
        page.get_by_test_id("exit").click()
        expect(page.get_by_test_id("exited")).to_be_visible()
        page.wait_for_url(lms.url + "returned", timeout=15000)
        first = [i["statement"] for i in lms.statements() if i["session"] in lms.launcher.sessions]
        assert find_completion(issued["code"], first, record_extensions()) is not None

        # Months later, on another computer: nothing in the browser, the state from the LRS.
        other = chromium.new_context()
        again = other.new_page()
        console_log.watch(again)
        launch_au(again)
        expect(again.get_by_test_id("certificate")).to_be_visible()
        assert again.url.endswith("#/completion")
        assert certificate(again) == issued
        assert again.get_by_test_id("license-form").count() == 0
        again.get_by_test_id("exit").click()
        expect(again.get_by_test_id("exited")).to_be_visible()
        again.wait_for_url(lms.url + "returned", timeout=15000)
        other.close()

        items = lms.statements()
        assert [i for i in items if i["status"] != "stored" or i["problems"]] == []
        assert [str(p) for p in lms.lrs.request_problems] == []
        # what the AU's two sessions sent (the LMS's own "launched" statements left out)
        sessions = set(lms.launcher.sessions)
        held = [i["statement"] for i in items if i["session"] in sessions]
        assert len({i["session"] for i in items if i["session"] in sessions}) == 2
        activity_id = launched_activity_id(publisher_id)
        assert cmi5_violations(held, activity_id=activity_id, publisher_id=publisher_id,
                               launch_mode="Normal", mastery_score=None) == []

        def completions(statements: list[dict[str, Any]]) -> list[str]:
            return [s["id"] for s in statements if s["verb"]["id"].endswith("/completed")]

        assert completions(held) == completions(first)  # nothing completed again on relaunch
        assert held[len(first):] and held[:len(first)] == first
        found = find_completion(issued["code"], held, record_extensions())
        assert found is not None and found.license_number == LICENSE["number"]
