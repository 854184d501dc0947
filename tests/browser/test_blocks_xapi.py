"""A scenario, a video and a shared reflection of tests/fixtures/web/blocks in the Tin Can
package, sending to Ralph.

What Ralph holds must be exactly what ceforge's Python rules (``ceforge.xapi.statements.
Recorder``) make of the runtime's own events: ``responded`` per decision and ``completed`` per
run for the scenario, the xAPI Video Profile's statements for the video, ``answered`` for the
shared reflection and nothing for the private one. Every statement passes both xAPI validators,
and the video's pass Ralph's models of the Video Profile's statement templates and the
profile's own rules (its general pattern per session, its extensions' values).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from harness import ConsoleLog
from learner import Course, read_course
from playwright.sync_api import Page, expect
from xapi_support import (
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

from ceforge.xapi import vocabulary as v
from oracles import ralph_python
from xapi_checks import video_profile_problems, video_profile_violations

BLOCKS = Path(__file__).resolve().parent.parent / "fixtures" / "web" / "blocks"
ACTOR = {"objectType": "Agent", "name": "Ana Example", "mbox": "mailto:ana@example.org"}
STATE_404 = "status of 404"  # Ralph has no State API: Chromium logs the adapter's one probe
PRIVATE = "I felt protective of her."


@dataclass
class TinCan:
    site: XapiSite
    ralph: StoppableRalph
    base: str


@pytest.fixture(scope="module")
def tincan(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TinCan]:
    folder = tmp_path_factory.mktemp("blocks-tincan")
    site = XapiSite(folder / "site")
    ralph = StoppableRalph(ralph_python(), folder / "ralph", site.origin)
    ralph.start()
    try:
        base = site.install(build_package(BLOCKS, "tincan", folder / "build"), "tincan")
        yield TinCan(site, ralph, base)
    finally:
        ralph.stop()
        site.close()


def go_to(page: Page, page_id: str) -> None:
    page.locator(f'[data-testid=toc-link][data-page="{page_id}"]').click()
    expect(page.get_by_test_id("page-title")).to_be_focused()


def drained(page: Page, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while outbox(page):
        assert time.monotonic() < deadline, f"still waiting: {outbox(page)}"
        page.wait_for_timeout(200)


@pytest.mark.console_errors_ok
def test_the_lrs_holds_the_scenario_video_and_reflection_statements(
    page: Page, tincan: TinCan, console_log: ConsoleLog
) -> None:
    registration = str(uuid.uuid4())
    tap = StatementTap(tincan.ralph.lrs.endpoint)
    tap.watch(page)
    page.goto(tincan_launch(tincan.base, tincan.ralph.lrs, ACTOR, registration))
    expect(page.get_by_test_id("page-title")).to_be_visible()
    course: Course = read_course(page)

    go_to(page, course.page_of("scenario"))
    page.locator('[data-testid=scenario-choice][data-choice="b"]').click()
    page.locator('[data-testid=scenario-choice][data-choice="a"]').click()
    expect(page.get_by_test_id("scenario-outcome")).to_have_attribute("data-outcome", "good")
    page.get_by_test_id("scenario-restart").click()
    page.locator('[data-testid=scenario-choice][data-choice="c"]').click()
    expect(page.get_by_test_id("scenario-outcome")).to_have_attribute("data-outcome", "poor")

    video = next(b for b in course.data["blocks"] if b["kind"] == "video")
    go_to(page, video["page"])
    player = page.get_by_test_id("media")
    expect(player).to_have_js_property("readyState", 4, timeout=15000)
    player.evaluate("v => { v.muted = true; v.currentTime = 5; }")  # a seek before playing
    expect(player).to_have_js_property("seeking", False)
    player.evaluate("v => { v.currentTime = 0; v.playbackRate = 16; return v.play(); }")
    expect(page.get_by_test_id("media-progress")).to_have_attribute(
        "data-watched", "true", timeout=20000)
    expect(player).to_have_js_property("ended", True)
    player.evaluate("v => { v.currentTime = 2; }")  # a seek after: reported in the session
    expect(player).to_have_js_property("seeking", False)

    go_to(page, course.page_of("reflection"))
    private, shared = page.get_by_test_id("reflection-input").all()
    private.fill(PRIVATE)
    shared.fill("Boundaries.")
    page.get_by_test_id("reflection-share").click()
    expect(page.get_by_test_id("reflection-status").nth(1)).to_contain_text("Shared")
    page.get_by_test_id("exit").click()
    expect(page.get_by_test_id("exited")).to_be_visible()
    events = session_events(page)
    drained(page)

    held = tincan.ralph.lrs.registration(registration)
    sent = tap.unique()
    assert [str(s.id) for s in held] == [s["id"] for s in sent]
    expected = replay(BLOCKS, course.data, [events], ACTOR, registration)
    assert [comparable(s) for s in held] == [comparable(s) for s in expected]
    assert_ordered(sent)
    judge(sent)
    assert PRIVATE not in str(sent)

    said = verbs(sent)
    assert said.count("responded") == 3 and said.count("answered") == 1
    media = [s for s in sent if s["object"]["id"].endswith("/media/" + video["id"])]
    assert verbs(media)[0] == "initialized" and verbs(media)[-1] == "terminated"
    assert {"played", "paused", "seeked", "completed"} <= set(verbs(media))
    assert video_profile_problems(media) == {}
    assert video_profile_violations(media, threshold=video["media"]["watched"]) == []
    sessions = {s["context"]["extensions"][v.VIDEO_EXTENSIONS["session-id"]] for s in media}
    assert len(sessions) == 1
    (completed,) = [s for s in media if verbs([s]) == ["completed"]]
    assert completed["result"]["extensions"][v.VIDEO_EXTENSIONS["progress"]] >= 0.9
    assert completed["context"]["extensions"][v.VIDEO_EXTENSIONS["completion-threshold"]] == 0.9
    runs = [s for s in sent if s["object"]["id"].endswith("/scenario/maria")]
    assert [s["result"]["extensions"][v.OUTCOME] for s in runs] == ["good", "poor"]
    assert [s["result"].get("score") for s in runs] == [
        {"scaled": 1, "raw": 10, "min": 0, "max": 10}, None]
    console_errors_are_only(console_log.errors, STATE_404)
