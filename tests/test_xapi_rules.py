"""``ceforge.xapi.rules``: the xAPI data rules and the cmi5 rules in product code.

The statements of every simulated learner are clean under them (the oracles agree on the same
statements in ``test_xapi_statements.py``), each broken statement of a table is flagged at the
right place, and ``Cmi5Tracker`` flags statements as they arrive as the batch check does.
"""

from __future__ import annotations

import copy
import uuid
from pathlib import Path
from typing import Any

import pytest

from ceforge.build import check_course_folder
from ceforge.model import Course
from ceforge.xapi.cmi5 import assignable_units, launched_activity_id
from ceforge.xapi.learner import Cmi5Options, LearnerPath, parse_actor, walk
from ceforge.xapi.rules import (
    CMI5,
    SESSION,
    Cmi5Tracker,
    cmi5_violations,
    is_duration,
    is_timestamp,
    session_of,
    statement_problems,
)
from ceforge.xapi.statements import statement_json

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "therapy-foundations"
ACCOUNT = '{"account": {"homePage": "https://lms.example.org", "name": "ana"}}'


@pytest.fixture(scope="module")
def course() -> Course:
    result = check_course_folder(EXAMPLE)
    assert result.course is not None and not result.errors
    return result.course


def walked(course: Course, path: str, cmi5: Cmi5Options | None) -> list[dict[str, Any]]:
    actor = parse_actor(ACCOUNT if cmi5 else "mailto:ana@example.org")
    result = walk(course, LearnerPath(path), actor, seed=7, cmi5=cmi5)
    return [statement_json(s) for s in result.statements]


@pytest.mark.parametrize("path", ["pass", "fail", "partial"])
@pytest.mark.parametrize("launch", [None, "Normal", "Browse"])
def test_ceforge_statements_follow_the_rules(course: Course, path: str, launch: str | None) -> None:
    options = Cmi5Options(launch_mode=launch) if launch else None
    statements = walked(course, path, options)
    assert {s["id"]: statement_problems(s) for s in statements if statement_problems(s)} == {}
    if options is None:
        return
    (au,) = assignable_units(course)
    ids = {"activity_id": launched_activity_id(au.id), "publisher_id": au.id}
    assert cmi5_violations(statements, launch_mode=launch or "Normal",
                           mastery_score=None, **ids) == []
    tracker = Cmi5Tracker(mastery_score=None, **ids)
    flagged = []
    for statement in statements:
        session = session_of(statement)
        if session not in tracker.sessions:
            tracker.launch(session, launch or "Normal")
        flagged += tracker.check(statement)
    assert flagged == []
    assert list(tracker.open_sessions()) == []  # every path ends its session (terminated)


def _break(statement: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    broken = copy.deepcopy(statement)
    *parents, last = path.split(".")
    target = broken
    for key in parents:
        target = target[key]
    if value is KeyError:
        del target[last]
    else:
        target[last] = value
    return broken


BROKEN = [
    ("verb", KeyError, "verb: is required"),
    ("id", "not-a-uuid", "id: 'not-a-uuid' is not a UUID"),
    ("timestamp", "2026-01-05T09:00:00", "timestamp:"),
    ("timestamp", "2026-02-30T09:00:00Z", "timestamp:"),
    ("actor.mbox", "ana@example.org", "actor.mbox:"),
    ("verb.id", "initialized", "verb.id:"),
    ("object.id", "not an iri", "object.id:"),
    ("result", {"score": {"scaled": 1.2}}, "result.score.scaled:"),
    ("result", {"score": {"raw": 5, "min": 0, "max": 4}}, "result.score.raw:"),
    ("result", {"duration": "PT"}, "result.duration:"),
    ("result", {"duration": "P1DT"}, "result.duration:"),
    ("result", {"success": "yes"}, "result.success:"),
    ("context.registration", "1234", "context.registration:"),
    ("context.language", "en US", "context.language:"),
    ("context.contextActivities.bogus", [], "context.contextActivities.bogus:"),
    ("version", "2.0.0", "version:"),
    ("stray", 1, "statement: unknown properties stray"),
]


@pytest.mark.parametrize(("path", "value", "expected"), BROKEN, ids=[b[0] + "=" + str(b[1])[:20]
                                                                      for b in BROKEN])
def test_broken_statements_are_flagged(
    course: Course, path: str, value: Any, expected: str
) -> None:
    statement = walked(course, "partial", None)[0]
    assert statement_problems(statement) == []
    problems = statement_problems(_break(statement, path, value))
    assert any(p.startswith(expected) for p in problems), problems


def test_interaction_definitions_are_checked(course: Course) -> None:
    answered = next(s for s in walked(course, "pass", None)
                    if s["verb"]["id"].endswith("/answered"))
    definition = answered["object"]["definition"]
    broken = copy.deepcopy(answered)
    broken["object"]["definition"] = dict(definition, interactionType="essay")
    assert any("interactionType" in p for p in statement_problems(broken))
    broken["object"]["definition"] = dict(definition, interactionType="numeric",
                                          choices=[{"id": "a"}])
    assert any("a numeric interaction has no choices" in p for p in statement_problems(broken))


def test_the_tracker_flags_what_a_browse_session_must_not_send(course: Course) -> None:
    statements = walked(course, "partial", Cmi5Options())
    (au,) = assignable_units(course)
    tracker = Cmi5Tracker(activity_id=launched_activity_id(au.id), publisher_id=au.id)
    tracker.launch(session_of(statements[0]), "Browse")
    flags = [tracker.check(s) for s in statements]
    assert flags[0] == []
    assert "in a Browse launch" in " ".join(flags[1])
    last = statements[-1]
    assert last["verb"]["id"].endswith("/terminated") and flags[-1] == []
    late = _break(last, "timestamp", "2099-01-01T00:00:00.000Z")
    late["id"] = str(uuid.uuid4())
    assert any("after the session's terminated" in f for f in tracker.check(late))
    stranger = _break(statements[1], "context.extensions", {SESSION: "unknown"})
    stranger["id"] = str(uuid.uuid4())
    assert any("not one the LMS launched" in f for f in tracker.check(stranger))
    # A statement sent again gets the same answer and is not counted twice.
    assert tracker.check(statements[0]) == []
    assert tracker.check(last) == []


def test_a_statement_about_the_au_needs_the_cmi5_category(course: Course) -> None:
    statements = walked(course, "pass", Cmi5Options())
    (au,) = assignable_units(course)
    terminated = statements[-1]
    categories = terminated["context"]["contextActivities"]["category"]
    stripped = copy.deepcopy(terminated)
    stripped["context"]["contextActivities"]["category"] = [
        c for c in categories if c["id"] != CMI5
    ]
    found = cmi5_violations([*statements[:-1], stripped], activity_id=launched_activity_id(au.id),
                            publisher_id=au.id)
    assert any("terminated about the AU without the cmi5 category" in f for f in found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("PT1M5.25S", True), ("P1D", True), ("PT0S", True), ("P", False), ("PT", False),
     ("1M", False), ("PT1.5M", True)],
)
def test_durations(text: str, expected: bool) -> None:
    assert is_duration(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2026-01-05T09:00:00.123Z", True), ("2026-01-05T09:00:00+01:00", True),
     ("2026-01-05T09:00:00", False), ("2026-13-05T09:00:00Z", False), ("yesterday", False)],
)
def test_timestamps(text: str, expected: bool) -> None:
    assert is_timestamp(text) is expected
