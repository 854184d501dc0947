"""A scenario, a required video and the reflections of tests/fixtures/web/blocks in SCORM 1.2 and
2004 packages, inside the test LMS (scorm-again), judged by our strict data-model validator
(``tests/scorm_datamodel.py``).

Each decision of the scenario must be a ``choice`` interaction and each run's end an outcome
(1.2 ``fill-in``, 2004 ``other``), a shared reflection an essay's record, a private one nowhere;
the video counts only through the page it holds (progress, completion); and the state the LMS
keeps must hold the scenario's path and the parts of the video played.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from learner import all_right
from playwright.sync_api import Frame, Page, expect
from scorm_lms import (
    ScormSite,
    Variant,
    assert_interactions,
    complete_from_here,
    expected_record,
    go_to,
    launch,
    scorm_site,
)

from scorm_datamodel import interactions
from spec import decode_state

FIXTURES = (scorm_site,)
Site = Callable[[Variant], ScormSite]
BLOCKS = Path(__file__).resolve().parent.parent / "fixtures" / "web" / "blocks"
VARIANTS = {
    "scorm12": Variant("scorm12", course=BLOCKS),
    "scorm2004": Variant("scorm2004", course=BLOCKS),
}
PRIVATE = "I felt protective of her."
SHARED = "Boundaries with clients who remind me of family."


def choose(frame: Frame, choice: str) -> None:
    frame.locator(f'[data-testid=scenario-choice][data-choice="{choice}"]').click()
    expect(frame.get_by_test_id("scenario-node")).to_be_focused()


def expected_decision(family: str, event: dict[str, Any]) -> dict[str, Any]:
    """A decision (STANDARDS.md's formats): a choice with the choice's one-character id, no
    right answer, weighting 0; 2004 names the node in the description."""
    record = {"id": event["question"]["id"], "type": "choice", "result": "neutral",
              "weighting": "0", "correct_responses": []}
    if family == "1.2":
        return record | {"student_response": event["choice"]["id"]}
    return record | {"learner_response": event["choice"]["id"],
                     "description": "{lang=en}" + event["node"]["title"]}


def expected_outcome(family: str, event: dict[str, Any]) -> dict[str, Any]:
    """A run's end: 1.2 has no ``other`` type, a fill-in holds the outcome word."""
    record = {"id": event["block"]["id"], "result": "neutral", "weighting": "0",
              "correct_responses": []}
    if family == "1.2":
        return record | {"type": "fill-in", "student_response": event["outcome"]}
    return record | {"type": "other", "learner_response": event["outcome"]}


@pytest.mark.parametrize("name", list(VARIANTS))
def test_scenario_video_and_reflections_in_the_lms(name: str, page: Page,
                                                   scorm_site: Site) -> None:
    lms = launch(page, scorm_site(VARIANTS[name]))
    frame = lms.sco
    course = lms.course()

    go_to(frame, course.page_of("scenario"))
    choose(frame, "a")  # the good end: scored
    frame.get_by_test_id("scenario-restart").click()
    choose(frame, "b")
    choose(frame, "b")  # back to the start: the path drops the detour
    choose(frame, "c")  # a poor end: practice

    video = next(b for b in course.data["blocks"] if b["kind"] == "video")
    go_to(frame, video["page"])
    player = frame.get_by_test_id("media")
    expect(player).to_have_js_property("readyState", 4, timeout=15000)
    player.evaluate("v => { v.muted = true; v.playbackRate = 16; return v.play(); }")
    expect(frame.get_by_test_id("media-progress")).to_have_attribute(
        "data-watched", "true", timeout=20000)

    go_to(frame, next(b for b in course.data["blocks"] if b["kind"] == "audio")["page"])
    go_to(frame, course.page_of("reflection"))
    private, shared = frame.get_by_test_id("reflection-input").all()
    private.fill(PRIVATE)
    shared.fill(SHARED)
    frame.get_by_test_id("reflection-share").click()
    expect(frame.get_by_test_id("reflection-status").nth(1)).to_contain_text("Shared")

    go_to(frame, course.page_of("test"))
    complete_from_here(frame, course, test=all_right)
    frame.get_by_test_id("exit").click()
    expect(frame.get_by_test_id("exited")).to_be_visible()
    assert lms.commits[-1]["kind"] == "terminate"
    final = lms.committed()

    # The interactions, in the order of the runtime's events.
    records = interactions(final)
    reported = [e for e in lms.events() if e["type"] in (
        "scenario-decision", "scenario-completed", "question-answered")]
    assert len(records) == len(reported)
    for record, event in zip(records, reported, strict=True):
        if event["type"] == "scenario-decision":
            expected = expected_decision(lms.family, event)
        elif event["type"] == "scenario-completed":
            expected = expected_outcome(lms.family, event)
        else:
            expected = expected_record(lms.family, event)
        actual = {key: record.get(key) for key in expected}
        actual["correct_responses"] = record["correct_responses"]
        assert actual == expected, f"interaction {record['index']}: {event['type']}"
    ids = [r["id"] for r in records]
    assert ids[:3] == ["maria-maria-sits-down", "maria", "maria-maria-sits-down"]
    assert "supervision-note" in ids and "reflection-reflection" not in ids
    assert PRIVATE not in str(final) and PRIVATE not in str(lms.calls)
    test_events = [e for e in reported if e["type"] == "question-answered"
                   and e["block"]["kind"] == "test"]
    assert_interactions(lms, final, test_events, first=len(records) - len(test_events))

    # The course is complete, with the scenario's points in the score (10 of 10 + 2 of 2).
    if lms.family == "1.2":
        assert (final["cmi.core.lesson_status"], final["cmi.core.score.raw"]) == ("passed", "100")
    else:
        assert (final["cmi.completion_status"], final["cmi.success_status"],
                final["cmi.score.scaled"]) == ("completed", "passed", "1")

    # What the LMS keeps: the scenario's record and the video's parts, read as documented.
    suspend = final["cmi.suspend_data"]
    kept = decode_state(suspend, course.data)["blocks"]
    assert kept["maria"] == {"scored": "maria-opens-up", "run": 2, "path": ["c"]}
    assert sum(kept[video["id"]]["parts"]) >= 90
    assert lms.problems(scored=True) == []


def test_a_handout_opens_from_the_lms_frame(page: Page, scorm_site: Site) -> None:
    """The Resources page inside the LMS's frame: a handout opens in a new tab, served from
    the package (LMS frames allow a new tab where they may block a download)."""
    lms = launch(page, scorm_site(VARIANTS["scorm2004"]))
    frame = lms.sco
    frame.get_by_test_id("toc-resources").click()
    frame.wait_for_url(lambda url: url.endswith("#/resources"))
    link = frame.get_by_test_id("resource").filter(has_text="listening-log.pdf")
    with page.expect_popup() as popup:
        link.click()
    opened = popup.value
    assert opened.url.endswith("/assets/handouts/listening-log.pdf")
    served = page.request.get(opened.url)
    assert served.ok
    assert served.body() == (BLOCKS / "assets" / "handouts" / "listening-log.pdf").read_bytes()
    opened.close()
