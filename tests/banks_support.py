"""Helpers of the question-bank tests: courses to export, and a question's content in a form
two formats can be compared by (type, texts, answers, feedback, points, pictures)."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path
from typing import Any

from lxml import html

from ceforge.build import check_course_folder
from ceforge.model import Course, Question, QuestionType

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "therapy-foundations"
QUESTIONS = ROOT / "tests" / "fixtures" / "questions"
EVERY_TYPE = ROOT / "tests" / "fixtures" / "web" / "every-type"
BANKS = ROOT / "tests" / "fixtures" / "banks"

COURSE_YML = """\
id: urn:ceforge:test:banks
title: Question fixtures & friends
"""


def fixture_course(case: str, root: Path) -> Path:
    """``tests/fixtures/questions/<case>.md`` as the one module of a course under ``root``."""
    course = root / case
    (course / "modules").mkdir(parents=True)
    (course / "course.yml").write_text(COURSE_YML, encoding="utf-8")
    shutil.copy(QUESTIONS / f"{case}.md", course / "modules" / f"{case}.md")
    shutil.copytree(QUESTIONS / "assets", course / "assets")
    return course


def clean_cases() -> list[str]:
    """The question fixtures that check without a diagnostic and hold questions."""
    import tempfile

    cases = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in sorted(QUESTIONS.glob("*.md")):
            result = check_course_folder(fixture_course(path.stem, Path(tmp)))
            if not result.diagnostics and result.course and result.course.questions:
                cases.append(path.stem)
    return cases


def checked(root: Path) -> Course:
    """The course, read without a problem (the CE rules aside: a provider's checklist, which
    a fixture course of question types need not meet)."""
    result = check_course_folder(root)
    problems = [d for d in result.diagnostics if not d.code.value[0].startswith("ce.")]
    assert result.course is not None and not problems, [str(d) for d in problems]
    return result.course


def _text(markup: str) -> str:
    if not markup.strip():
        return ""
    node = html.fragment_fromstring(markup, create_parent="div")
    for img in node.iter("img"):
        img.tail = f"[img {img.get('alt') or ''}]" + (img.tail or "")
    return re.sub(r"\s+", " ", node.text_content()).strip()


def _pictures(course: Course, markups: list[str]) -> list[tuple[str, str]]:
    """(alt, sha256 of the file) of every picture, in order."""
    found = []
    for markup in markups:
        if not markup.strip():
            continue
        for img in html.fragment_fromstring(markup, create_parent="div").iter("img"):
            data = (Path(course.root) / (img.get("src") or "")).read_bytes()
            found.append((img.get("alt") or "", hashlib.sha256(data).hexdigest()))
    return found


def content(course: Course, question: Question, *, points: bool = True) -> dict[str, Any]:
    """What a question is, whatever format carried it."""
    choices = [(c.id, c.text, c.correct, _text(c.feedback_html)) for c in question.choices]
    if question.type is QuestionType.TRUE_FALSE:
        choices = sorted((i, t.casefold(), r, f) for i, t, r, f in choices)
    data: dict[str, Any] = {
        "type": question.type.value,
        "prompt": _text(question.prompt_html),
        "stem": _text(question.stem_html),
        "choices": choices,
        "answers": question.answers,
        "numeric": [question.numeric.low, question.numeric.high] if question.numeric else None,
        "pairs": [(p.source.text, p.target.text) for p in question.pairs],
        "feedback": _text(question.feedback_html),
        "pictures": _pictures(course, [question.prompt_html, question.stem_html,
                                       question.feedback_html]),
    }
    if points and question.type.gradable:
        data["points"] = question.points
    return data


def by_id(course: Course) -> dict[str, Question]:
    return {q.id: q for q in course.questions}
