"""The strict SCORM data-model validator of the browser tests (``scorm_datamodel.py``) judges
right: it takes what a SCO may write and refuses what an LMS refuses, above all where
scorm-again, the LMS of the browser tests, lets a value pass. The values are those of the one
table of the data model, ``scorm_datamodel_cases.json``, which the preview's LMS simulator is
held to as well (``tests/js/scorm-datamodel.test.js``); the order of a session's calls and the
data an LMS ends with are checked here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from scorm_datamodel import call_problems, data_problems, interactions, set_value_problems


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


TABLE = Path(__file__).resolve().parent / "scorm_datamodel_cases.json"
CASES: list[dict[str, Any]] = json.loads(TABLE.read_text(encoding="utf-8"))["cases"]
#: The cases the validator judges: SetValue calls in a running session, whatever the LMS was
#: launched with (its other calls and its launch data are the simulator's business).
SET_VALUES = [c for c in CASES if c["call"] == "set" and "state" not in c and "controls" not in c
              and "config" not in c]


def text(value: str | dict[str, Any]) -> str:
    """A value of the table: a string, or {before, repeat, times, after} for a long one."""
    if isinstance(value, str):
        return value
    return str(value.get("before", "")) + value["repeat"] * value["times"] + str(
        value.get("after", ""))


def case_id(case: dict[str, Any]) -> str:
    shown = short(text(case["value"]))
    setup = "-after-setup" if case.get("setup") else ""
    return f"{case['version']}-{case['element']}={shown}{setup}-{case['code']}"


def test_the_table_runs_here_and_in_node() -> None:
    """The table is the simulator's (tests/js/scorm-datamodel.test.js runs every case) and the
    validator's: most of its cases are SetValue calls the validator judges too; ceforge's own
    reasons are kept for cases an LMS accepts."""
    assert len(SET_VALUES) > 350
    assert all(c["code"] == 0 for c in CASES if "ceforge" in c)
    assert {c["version"] for c in SET_VALUES} == {"1.2", "2004", "2004-3rd"}


@pytest.mark.parametrize("case", SET_VALUES, ids=[case_id(c) for c in SET_VALUES])
def test_the_validator_judges_as_the_table(case: dict[str, Any]) -> None:
    """Refused exactly when an LMS answers with an error, or when ceforge's own SCOs must not
    write it (the case's ``ceforge`` reason); ``says``: words of the reason."""
    writes = [(element, text(value)) for element, value in case.get("setup", [])]
    for number in range(len(writes)):
        assert set_value_problems(case["version"], writes[: number + 1]) == [], writes[number]
    problems = set_value_problems(case["version"], [*writes, (case["element"],
                                                               text(case["value"]))])
    refused = case["code"] != 0 or "ceforge" in case
    assert bool(problems) == refused, problems or f"accepted, but the LMS answers {case['code']}"
    if "says" in case:
        assert any(case["says"] in problem for problem in problems), problems


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
