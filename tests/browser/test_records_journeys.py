"""``ceforge records`` after learners took the packages in Chromium: the records are what the
runtime itself sent to a real LRS (Ralph), not what a simulation made.

One Ralph holds a cohort of the xAPI fixture course: three learners of the Tin Can package
(launched with the LRS in the URL, as an LMS does) who pass, fail both attempts, and leave after
the first page; and two learners of the cmi5 package launched by ``ceforge preview``'s LMS,
which forwards what it stores to the same Ralph, who pass and fail. ``ceforge records`` then
reads Ralph.
"""

from __future__ import annotations

import csv
import io
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from harness import ConsoleLog
from learner import (
    Course,
    all_wrong,
    complete_course,
    next_page,
    read_course,
    take_test,
)
from playwright.sync_api import Page, expect
from xapi_support import (
    FIXTURE,
    StoppableRalph,
    XapiSite,
    build_package,
    load_course,
    outbox,
    tincan_launch,
)

from ceforge.certificate import printed_code
from ceforge.cli import main
from ceforge.preview.forward import Forwarder
from ceforge.preview.launcher import Learner
from ceforge.preview.server import Preview
from ceforge.xapi import vocabulary as v
from ceforge.xapi.cmi5 import assignable_units
from oracles import ralph_python

COURSE_ID = "https://ceforge.example.org/courses/listening-basics"
LEARNERS = {
    "pass": {"objectType": "Agent", "name": "Ana Journey", "mbox": "mailto:ana.j@example.org"},
    "fail": {"objectType": "Agent", "name": "Ben Journey", "mbox": "mailto:ben.j@example.org"},
    "partial": {"objectType": "Agent", "name": "Cy Journey", "mbox": "mailto:cy.j@example.org"},
}
CMI5_LEARNERS = {"pass": ("dee-journey", "Dee Journey"), "fail": ("eli-journey", "Eli Journey")}


@pytest.fixture(scope="module")
def cohort_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[XapiSite,
                                                                            StoppableRalph]]:
    folder = tmp_path_factory.mktemp("records-journeys")
    site = XapiSite(folder / "site")
    ralph = StoppableRalph(ralph_python(), folder / "ralph", site.origin)
    ralph.start()
    try:
        yield site, ralph
    finally:
        ralph.stop()
        site.close()


def drained(page: Page, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while outbox(page):
        assert time.monotonic() < deadline, "the LRS did not acknowledge every statement"
        page.wait_for_timeout(200)


def exit_course(page: Page) -> None:
    page.get_by_test_id("exit").click()
    expect(page.get_by_test_id("exited")).to_be_visible()


def to_the_test(page: Page, course: Course) -> None:
    page.locator(f'[data-testid=toc-link][data-page="{course.page_of("test")}"]').click()
    expect(page.get_by_test_id("test")).to_be_visible()


def tincan_journeys(page: Page, site: XapiSite, ralph: StoppableRalph,
                    tmp: Path) -> dict[str, str]:
    base = site.install(build_package(FIXTURE, "tincan", tmp / "tincan"), "tincan")
    registrations = {}
    for path, actor in LEARNERS.items():
        registration = str(uuid.uuid4())
        registrations[path] = registration
        page.goto(tincan_launch(base, ralph.lrs, actor, registration))
        expect(page.get_by_test_id("page-title")).to_be_visible()
        course = read_course(page)
        if path == "pass":
            complete_course(page, course)
        elif path == "fail":
            take_both_attempts_wrong(page, course)
        else:
            next_page(page)
        exit_course(page)
        drained(page)
    return registrations


def take_both_attempts_wrong(page: Page, course: Course) -> None:
    to_the_test(page, course)
    take_test(page, course, all_wrong)
    page.get_by_test_id("test").get_by_test_id("test-retake").click()
    take_test(page, course, all_wrong)
    expect(page.get_by_test_id("test-retake")).to_have_count(0)


def cmi5_journeys(page: Page, site: XapiSite, ralph: StoppableRalph,
                  tmp: Path) -> dict[str, str]:
    """Two learners of the cmi5 package, each launched by the LMS: one passes, one fails."""
    base = site.install(build_package(FIXTURE, "cmi5", tmp / "cmi5"), "cmi5")
    (au,) = assignable_units(load_course(FIXTURE))
    forwarder = Forwarder(ralph.lrs.endpoint, ralph.lrs.username, ralph.lrs.password)
    preview = Preview(package=site.folder / "cmi5", target="cmi5", watch=False,
                      forward=forwarder).start()
    registrations = {}
    try:
        for path, (ident, name) in CMI5_LEARNERS.items():
            preview.learner = Learner(id=ident, name=name)
            url, _session = preview.launcher.launch(
                preview.unit(au.id), base, preview.learner, launch_mode="Normal",
                mastery_score=au.mastery_score, return_url=preview.url + "returned")
            page.goto(url)
            expect(page.get_by_test_id("page-title")).to_be_visible()
            course = read_course(page)
            if path == "pass":
                complete_course(page, course)
            else:
                take_both_attempts_wrong(page, course)
            exit_course(page)
            page.wait_for_url(preview.url + "returned", timeout=15000)
            registrations[path] = preview.learner.registration
        deadline = time.monotonic() + 30
        while any(forwarder.results.get(item["id"]) != "sent"
                  for item in preview.statements() if item["status"] == "stored"):
            assert time.monotonic() < deadline, "Ralph did not get every statement"
            time.sleep(0.1)
        return registrations
    finally:
        preview.close()


def completed_extensions(ralph: StoppableRalph, registration: str) -> dict[str, Any]:
    found = [s for s in ralph.lrs.registration(registration) if s.verb.id.endswith("/completed")]
    assert len(found) == 1
    return dict(found[0].result.extensions or {})


@pytest.mark.console_errors_ok
def test_records_of_learners_who_took_the_packages(
    page: Page, cohort_site: tuple[XapiSite, StoppableRalph], tmp_path: Path,
    console_log: ConsoleLog,
) -> None:
    site, ralph = cohort_site
    tincan = tincan_journeys(page, site, ralph, tmp_path)
    cmi5 = cmi5_journeys(page, site, ralph, tmp_path)

    out = tmp_path / "records.csv"
    env = {"CEFORGE_LRS_USERNAME": ralph.lrs.username,
           "CEFORGE_LRS_PASSWORD": ralph.lrs.password}
    result = CliRunner().invoke(main, ["records", "--lrs", ralph.lrs.endpoint, "--course",
                                       str(FIXTURE), "-o", str(out)], env=env)
    assert result.exit_code == 0, result.output + result.stderr
    rows = {r["registration"]: r for r in csv.DictReader(io.StringIO(out.read_text()))}
    assert set(rows) == {*tincan.values(), *cmi5.values()}

    for registration in (tincan["pass"], cmi5["pass"]):
        row = rows[registration]
        ext = completed_extensions(ralph, registration)
        assert row["status"] == "completed" and row["course_id"] == COURSE_ID
        assert row["hours"] == "1.5" and row["passed"] == "yes" and row["score"] == "1"
        assert row["evaluation_submitted"] == row["attestation_affirmed"] == "yes"
        # the code the runtime drew and sent with the completion (no licence: not asked)
        code = ext[v.CERTIFICATE_CODE]
        assert row["certificate_code"] == printed_code(code)
        assert row["license_number"] == row["license_state"] == ""
    assert rows[tincan["pass"]]["learner"] == "mailto:ana.j@example.org"
    assert rows[tincan["pass"]]["learner_name"] == "Ana Journey"
    for failed in (rows[tincan["fail"]], rows[cmi5["fail"]]):
        assert (failed["status"], failed["passed"], failed["attempts"]) == ("failed", "no", "2")
        assert failed["completed"] == failed["certificate_code"] == ""
    partial = rows[tincan["partial"]]
    assert (partial["status"], partial["completed"], partial["passed"]) == ("in progress", "", "")
    # the LMS's account of each cmi5 learner
    assert rows[cmi5["pass"]]["learner"] == "https://ceforge.invalid/preview|dee-journey"
    assert rows[cmi5["fail"]]["learner_name"] == "Eli Journey"
