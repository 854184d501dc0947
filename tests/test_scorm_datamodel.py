"""The strict SCORM data-model validator of the browser tests (``scorm_datamodel.py``) judges
right: it takes what a SCO may write and refuses what real LMSs refuse, above all where
scorm-again, the LMS of the browser tests, lets a value pass."""

from __future__ import annotations

import pytest

from scorm_datamodel import call_problems, data_problems, interactions, response_problem


def session(version: str, *writes: tuple[str, str]) -> list[dict[str, object]]:
    init, set_, finish = (
        ("LMSInitialize", "LMSSetValue", "LMSFinish")
        if version == "1.2"
        else ("Initialize", "SetValue", "Terminate")
    )
    calls: list[dict[str, object]] = [{"fn": init, "args": [""], "result": "true"}]
    calls += [{"fn": set_, "args": [e, v], "result": "true"} for e, v in writes]
    calls.append({"fn": finish, "args": [""], "result": "true"})
    return calls


def short(value: object) -> str:
    """A readable test id, however long the value."""
    text = str(value)
    return text if len(text) <= 24 else f"{text[:12]}…({len(text)})"


GOOD_12 = [
    ("cmi.core.lesson_status", "incomplete"),
    ("cmi.core.lesson_location", "empathy-p1"),
    ("cmi.core.session_time", "00:12:05.25"),
    ("cmi.core.exit", "suspend"),
    ("cmi.suspend_data", "c1" + "x" * 4094),
    ("cmi.interactions.0.id", "post-empathy-dimensions"),
    ("cmi.interactions.0.type", "choice"),
    ("cmi.interactions.0.time", "13:04:59"),
    ("cmi.interactions.0.weighting", "2"),
    ("cmi.interactions.0.student_response", "a,c"),
    ("cmi.interactions.0.result", "wrong"),
    ("cmi.interactions.0.latency", "0000:00:12.5"),
    ("cmi.interactions.0.correct_responses.0.pattern", "a,b"),
    ("cmi.interactions.1.id", "kc-listening-oars"),
    ("cmi.interactions.1.type", "matching"),
    ("cmi.interactions.1.student_response", "1.a,2.b"),
    ("cmi.core.score.raw", "85.7"),
    ("cmi.core.lesson_status", "passed"),
]

GOOD_2004 = [
    ("cmi.completion_status", "incomplete"),
    ("cmi.progress_measure", "0.25"),
    ("cmi.session_time", "PT1H2M3.25S"),
    ("cmi.interactions.0.id", "post-rupture-repair"),
    ("cmi.interactions.0.type", "sequencing"),
    ("cmi.interactions.0.timestamp", "2026-03-04T10:11:12.34Z"),
    ("cmi.interactions.0.description", "{lang=en}Put the steps in order."),
    ("cmi.interactions.0.learner_response", "c[,]a[,]b"),
    ("cmi.interactions.0.correct_responses.0.pattern", "a[,]b[,]c"),
    ("cmi.interactions.0.latency", "PT12.5S"),
    ("cmi.interactions.0.result", "incorrect"),
    ("cmi.interactions.1.id", "post-weekly-hours"),
    ("cmi.interactions.1.type", "numeric"),
    ("cmi.interactions.1.learner_response", "3.6"),
    ("cmi.interactions.1.correct_responses.0.pattern", "3.5[:]3.7"),
    ("cmi.interactions.2.id", "eval-practice-change"),
    ("cmi.interactions.2.type", "long-fill-in"),
    ("cmi.interactions.2.learner_response", "I will reflect more."),
    ("cmi.score.scaled", "0.857"),
    ("cmi.success_status", "passed"),
    ("cmi.completion_status", "completed"),
    ("cmi.exit", "normal"),
]


def test_a_good_session_passes() -> None:
    assert call_problems("1.2", session("1.2", *GOOD_12), scored=True) == []
    assert call_problems("2004", session("2004", *GOOD_2004), scored=True) == []


@pytest.mark.parametrize(
    ("element", "value", "expected"),
    ids=short,
    argvalues=[
        # What scorm-again lets through in SCORM 1.2:
        ("cmi.suspend_data", "x" * 4097, "above 4096"),
        ("cmi.interactions.0.id", "post empathy", "identifier"),
        ("cmi.interactions.0.id", "post.empathy", "identifier"),
        ("cmi.interactions.0.student_response", "ab", "single characters"),
        ("cmi.interactions.0.student_response", "a[,]b", "single characters"),
        ("cmi.interactions.0.student_response", "a,a", "repeats"),
        ("cmi.interactions.0.correct_responses.0.pattern", "x" * 256, "above 255"),
        # And what it refuses anyway, which we must refuse too:
        ("cmi.core.session_time", "0:1:5", "HH:MM:SS"),
        ("cmi.core.session_time", "00:01:05.125", "HH:MM:SS"),
        ("cmi.core.score.raw", "85.755", "decimal"),
        ("cmi.core.score.raw", "101", "outside"),
        ("cmi.core.lesson_status", "not attempted", "not one of"),
        ("cmi.interactions.0.time", "2026-03-04T10:11:12", "HH:MM:SS"),
        ("cmi.core.lesson_location", "p" * 256, "above 255"),
        ("cmi.core.student_name", "Dana", "not an element"),
    ],
)
def test_scorm12_refusals(element: str, value: str, expected: str) -> None:
    writes = [("cmi.interactions.0.id", "q1"), ("cmi.interactions.0.type", "choice")]
    problems = call_problems("1.2", session("1.2", *writes, (element, value)))
    assert any(expected in p for p in problems), problems


@pytest.mark.parametrize(
    ("element", "value", "expected"),
    ids=short,
    argvalues=[
        ("cmi.session_time", "PT", "duration"),
        ("cmi.session_time", "PT1.125S", "duration"),
        ("cmi.session_time", "00:01:05", "duration"),
        ("cmi.interactions.0.timestamp", "2026-03-04T10:11:12.345Z", "fraction"),
        ("cmi.interactions.0.id", "q 1", "identifier"),
        ("cmi.interactions.0.id", "urn:bad", "URN"),
        ("cmi.interactions.0.learner_response", "a,b", "[,]"),
        ("cmi.interactions.0.learner_response", "a[,]a", "repeats"),
        ("cmi.interactions.0.description", "{not a lang} text", "lang"),
        ("cmi.interactions.0.description", "{lang=en}" + "d" * 251, "above 250"),
        ("cmi.exit", "", None),
        ("cmi.exit", "finished", "not one of"),
        ("cmi.score.scaled", "1.5", "outside"),
        ("cmi.progress_measure", "0.123456789", "real"),
        ("cmi.suspend_data", "s" * 64001, "above 64000"),
    ],
)
def test_scorm2004_refusals(element: str, value: str, expected: str | None) -> None:
    writes = [("cmi.interactions.0.id", "q1"), ("cmi.interactions.0.type", "choice")]
    problems = call_problems("2004", session("2004", *writes, (element, value)))
    if expected is None:
        assert problems == []
    else:
        assert any(expected in p for p in problems), problems


def test_the_third_edition_keeps_4000_characters_and_no_objective_description() -> None:
    calls = session("2004", ("cmi.suspend_data", "s" * 4001))
    assert call_problems("2004", calls) == []
    assert any("above 4000" in p for p in call_problems("2004-3rd", calls))
    described = session("2004", ("cmi.objectives.0.id", "obj-a"),
                        ("cmi.objectives.0.description", "{lang=en}Say hello."))
    assert call_problems("2004", described) == []
    assert any("not an element" in p for p in call_problems("2004-3rd", described))


@pytest.mark.parametrize(
    ("version", "kind", "value", "pattern", "right"),
    ids=short,
    argvalues=[
        ("1.2", "true-false", "t", False, True),
        ("1.2", "true-false", "true", False, False),
        ("1.2", "matching", "1.a,2.b", False, True),
        ("1.2", "matching", "1[.]a", False, False),
        ("1.2", "likert", "e", False, True),
        ("1.2", "likert", "ab", False, False),
        ("1.2", "numeric", "3.5", False, True),
        ("1.2", "numeric", "3,5", False, False),
        ("1.2", "long-fill-in", "text", False, False),
        ("2004", "true-false", "false", False, True),
        ("2004", "true-false", "f", False, False),
        ("2004", "matching", "1[.]a[,]2[.]b", True, True),
        ("2004", "matching", "1.a,2.b", True, False),
        ("2004", "numeric", "4[:]4", True, True),
        ("2004", "numeric", "4", True, False),
        ("2004", "numeric", "3,5", False, False),
        ("2004", "fill-in", "{case_matters=false}regard", True, True),
        ("2004", "fill-in", "{regard}", False, False),
        ("2004", "long-fill-in", "x" * 4001, False, False),
    ],
)
def test_response_formats(version: str, kind: str, value: str, pattern: bool, right: bool) -> None:
    assert (response_problem(version, kind, value, pattern) is None) is right


def test_call_order() -> None:
    early = session("2004", ("cmi.interactions.0.type", "choice"), ("cmi.interactions.0.id", "q"))
    assert any("before the interaction's id" in p for p in call_problems("2004", early))
    untyped = session(
        "2004",
        ("cmi.interactions.0.id", "q"),
        ("cmi.interactions.0.learner_response", "a"),
        ("cmi.interactions.0.type", "choice"),
    )
    assert any("before the interaction's type" in p for p in call_problems("2004", untyped))
    status_first = session(
        "1.2", ("cmi.core.lesson_status", "passed"), ("cmi.core.score.raw", "90")
    )
    assert any("before any score" in p for p in call_problems("1.2", status_first, scored=True))
    twice = session("2004")
    twice.insert(1, dict(twice[-1]))
    assert any("called 2 times" in p for p in call_problems("2004", twice))
    duplicate = session("2004", ("cmi.objectives.1.id", "obj-a"))
    problems = call_problems("2004", duplicate, initial={"cmi.objectives.0.id": "obj-a"})
    assert any("already objective 0" in p for p in problems)


def test_data_needs_complete_interactions() -> None:
    cmi = {
        "cmi.interactions.0.id": "q1",
        "cmi.interactions.0.type": "choice",
        "cmi.interactions.0.learner_response": "a[,]b",
        "cmi.interactions.0.correct_responses.0.pattern": "a",
        "cmi.interactions.2.id": "q3",
        "cmi.suspend_data": "",
    }
    assert interactions(cmi)[0]["correct_responses"] == ["a"]
    problems = data_problems("2004", cmi)
    assert any("indexes" in p for p in problems)
    assert any("no id or no type" in p for p in problems)
    assert data_problems("2004", {k: v for k, v in cmi.items() if ".2." not in k}) == []
