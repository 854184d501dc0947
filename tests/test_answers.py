"""The fill-in answer rule (``ceforge.answers``): what the build makes of accepted answers.

The same cases drive the runtime's ``normalizeText`` (``tests/js/answers.test.js``), so the
build and the learner's browser compare answers by one rule.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ceforge.answers import normalize_answer, untypeable
from ceforge.build import check_course_folder
from ceforge.coursedata import question_data

CASES = json.loads(
    (Path(__file__).parent / "fixtures" / "answers" / "normalization.json").read_text("utf-8")
)["cases"]


@pytest.mark.parametrize(("typed", "normalized"), CASES)
def test_normalization_cases(typed: str, normalized: str) -> None:
    assert normalize_answer(typed) == normalized


@pytest.mark.parametrize(("typed", "_normalized"), CASES)
def test_normalization_is_idempotent(typed: str, _normalized: str) -> None:
    once = normalize_answer(typed)
    assert normalize_answer(once) == once


def test_curly_quotes_match_what_a_keyboard_types() -> None:
    assert normalize_answer("“Tarasoff”") == normalize_answer('"tarasoff"')
    assert normalize_answer("the client’s frame") == normalize_answer("The client's  frame")


@pytest.mark.parametrize(
    ("answer", "odd"),
    [
        ("“Tarasoff”", []),
        ("Tarasoff — 1976", []),
        ("café, señor, Ärztin, œuvre", []),
        ("5 °C for 10 € § 4", []),
        ("¿Qué?", []),
        ("A → B", ["→"]),
        ("© APA ✓ ✓", ["©", "✓"]),
        ("≥ 80 %", ["≥"]),
        ("ok 🙂", ["🙂"]),
    ],
)
def test_untypeable_characters(answer: str, odd: list[str]) -> None:
    assert untypeable(answer) == odd


def test_the_course_data_carries_the_normalized_answers(tmp_path: Path) -> None:
    (tmp_path / "modules").mkdir()
    (tmp_path / "course.yml").write_text("id: urn:ceforge:test:a\ntitle: A\n", "utf-8")
    (tmp_path / "modules" / "01-ethics.md").write_text(
        "# Ethics\n\n::: quiz\n\n### Which ruling?\n\n= “Tarasoff”\n= \"Tarasoff\"\n"
        "=  Tarasoff\u00a0v. Regents\n\n:::\n",
        "utf-8",
    )
    result = check_course_folder(tmp_path)
    assert result.course is not None and not result.diagnostics
    data = question_data(result.course.questions[0])
    assert data["answers"] == ["“Tarasoff”", '"Tarasoff"', "Tarasoff\u00a0v. Regents"]
    assert data["accept"] == ['"tarasoff"', "tarasoff v. regents"]
