"""ceforge's GIFT read by an independent parser, gift-pegjs (npm), question by question against
the course it was exported from: ids, types, texts, right answers, weights and feedback."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from banks_support import (
    EVERY_TYPE,
    EXAMPLE,
    QUESTIONS,
    checked,
    clean_cases,
    fixture_course,
)
from ceforge.answers import keyboard_form
from ceforge.banks.common import Format, Which, decimal_text, moodle_share, question_html
from ceforge.banks.export import export_course
from ceforge.model import Question, QuestionType
from oracles import node, node_module

PARSE = "return require('gift-pegjs').parse(input);"


def parsed(course_root: Path, tmp: Path) -> tuple[list[Question], list[dict[str, Any]]]:
    node_module("gift-pegjs")
    bank = tmp / "bank.gift.txt"
    export_course(course_root, Format.GIFT, Which.ALL, bank)
    course = checked(course_root)
    kept = [q for q in course.questions
            if q.type not in (QuestionType.SEQUENCING, QuestionType.LIKERT)]
    items = node(PARSE, bank.read_text(encoding="utf-8"))
    categories = [i["title"] for i in items if i["type"] == "Category"]
    assert categories == list(dict.fromkeys(
        f"$course$/top/{course.config.title}/{m.title}" for m in course.modules
        if any(q in kept for b in m.blocks for q in b.questions)
    ))
    return kept, [i for i in items if i["type"] != "Category"]


def feedback(value: dict[str, str] | None) -> str:
    return value["text"] if value else ""


def check_question(question: Question, gift: dict[str, Any]) -> None:
    assert gift["id"] == question.id
    assert gift["title"] == question.prompt_text
    assert gift["stem"] == {"format": "html", "text": question_html(question)}
    assert feedback(gift["globalFeedback"]) == question.feedback_html
    kind = question.type
    if kind is QuestionType.CHOICE:
        assert gift["type"] == "MC"
        assert [(c["text"]["text"], c["isCorrect"], feedback(c["feedback"]))
                for c in gift["choices"]] == [
            (c.html, c.correct, c.feedback_html) for c in question.choices
        ]
    elif kind is QuestionType.MULTIPLE_CHOICE:
        assert gift["type"] == "MC"
        share = Decimal(moodle_share(sum(c.correct for c in question.choices)) or "0")
        assert [(c["text"]["text"], Decimal(str(c["weight"])), feedback(c["feedback"]))
                for c in gift["choices"]] == [
            (c.html, share if c.correct else Decimal(-100), c.feedback_html)
            for c in question.choices
        ]
        assert sum(Decimal(str(c["weight"])) for c in gift["choices"] if c["weight"] > 0) == \
            pytest.approx(100, abs=0.001)
    elif kind is QuestionType.TRUE_FALSE:
        right = next(c for c in question.choices if c.correct)
        wrong = next(c for c in question.choices if not c.correct)
        assert gift["type"] == "TF"
        assert gift["isTrue"] == (right.id == "true")
        # gift-pegjs names the two feedbacks by position: the first is Moodle's "if wrong".
        assert feedback(gift["trueFeedback"]) == wrong.feedback_html
        assert feedback(gift["falseFeedback"]) == right.feedback_html
    elif kind is QuestionType.FILL_IN:
        assert gift["type"] == "Short"
        # each answer as written, then its keyboard form when that differs (accepted_answers)
        assert [c["text"]["text"] for c in gift["choices"]] == list(dict.fromkeys(
            form for a in question.answers for form in (a, keyboard_form(a))))
        assert all(c["isCorrect"] for c in gift["choices"])
    elif kind is QuestionType.NUMERIC:
        assert gift["type"] == "Numerical"
        numeric = question.numeric
        assert numeric is not None
        if numeric.low == numeric.high:
            assert gift["choices"] == {"type": "simple", "number": numeric.low}
        else:
            assert gift["choices"] == {"type": "high-low", "numberLow": numeric.low,
                                       "numberHigh": numeric.high}
    elif kind is QuestionType.MATCHING:
        assert gift["type"] == "Matching"
        assert [(p["subquestion"]["text"], p["subanswer"]) for p in gift["matchPairs"]] == [
            (p.source.html, p.target.text) for p in question.pairs
        ]
    elif kind is QuestionType.ESSAY:
        assert gift["type"] == "Essay"
    else:
        raise AssertionError(f"{kind} should have been left out")


def test_the_example_course_reads_back_question_by_question(tmp_path: Path) -> None:
    questions, gift = parsed(EXAMPLE, tmp_path)
    assert len(gift) == len(questions) == 63
    for question, item in zip(questions, gift, strict=True):
        check_question(question, item)


def test_every_type_reads_back_question_by_question(tmp_path: Path) -> None:
    questions, gift = parsed(EVERY_TYPE, tmp_path)
    assert {q.type for q in questions} == set(QuestionType) - {QuestionType.SEQUENCING,
                                                               QuestionType.LIKERT}
    for question, item in zip(questions, gift, strict=True):
        check_question(question, item)


#: GIFT carries no pictures (export replaces them, and says so): those fixtures are left out here.
PLAIN_CASES = [
    case for case in clean_cases()
    if case != "sequencing" and "../assets/" not in (QUESTIONS / f"{case}.md").read_text()
]


@pytest.mark.parametrize("case", PLAIN_CASES)
def test_every_question_fixture_reads_back(case: str, tmp_path: Path) -> None:
    course = fixture_course(case, tmp_path / "src")
    questions, gift = parsed(course, tmp_path)
    assert len(gift) == len(questions)
    for question, item in zip(questions, gift, strict=True):
        check_question(question, item)


def test_numbers_are_written_as_gift_reads_them() -> None:
    assert decimal_text(0.1 + 0.2) == "0.30000000000000004"
    assert decimal_text(-2.5) == "-2.5"
    assert decimal_text(600.0) == "600"
