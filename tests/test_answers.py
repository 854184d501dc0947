"""The fill-in answer rule (``ceforge.answers``): what the build makes of accepted answers.

The same cases drive the runtime's ``normalizeText`` (``tests/js/answers.test.js``), so the
build and the learner's browser compare answers by one rule.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from ceforge.answers import INVISIBLE, TYPOGRAPHIC, normalize_answer, untypeable
from ceforge.build import check_course_folder
from ceforge.coursedata import question_data
from runtime_node import in_node

#: What generated answers are made of: letters of several scripts, accents alone and composed,
#: every character the rule maps or removes, white space of every kind, compatibility forms.
ALPHABET = (
    "aZéÉıİiIßẞσςΣΟΔæŒøÅçñÑ" + "\u0301\u0308\u0327" + "0123456789 .,;:!?'\"-/()"
    + "".join(TYPOGRAPHIC) + INVISIBLE + "…ﬁﬂＡｚ１½²⅓™℃" + "\u00a0\u2009\u202f\u3000\t\n\r\v\f"
    + "\u0085\u1680\u2028\u2029"
)

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


def test_the_build_and_the_runtime_normalize_alike() -> None:
    """A differential test: thousands of generated answers through ``normalize_answer`` and
    through the runtime's ``normalizeText`` (in node), which must agree on every one."""
    rng = random.Random(15)
    texts = ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 24))) for _ in range(4000)]
    texts += [typed for typed, _normalized in CASES]
    in_js = in_node("return input.map((text) => Ceforge.scoring.normalizeText(text));", texts)
    differing = [
        (text, normalize_answer(text), js) for text, js in zip(texts, in_js, strict=True)
        if normalize_answer(text) != js
    ]
    assert differing == []
