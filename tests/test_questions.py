"""Parser fixtures: each ``fixtures/questions/<case>.md`` beside its golden ``<case>.json``.

The test places the Markdown file, as ``modules/<case>.md``, into a minimal course (with the
shared ``assets/`` folder) and checks it through ``check_course_folder``; the golden holds the
parsed model and the diagnostics, with 1-based lines of the ``.md`` file. Regenerate the goldens
with ``nox -s update-golden`` and review the diff.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ceforge.build import CheckResult, check_course_folder
from ceforge.model import QuestionType
from golden import UPDATE, assert_golden, dump_result

QUESTIONS = Path(__file__).parent / "fixtures" / "questions"
CASES = sorted(p.stem for p in QUESTIONS.glob("*.md"))

COURSE_YML = """\
id: urn:ceforge:test:questions
title: Question fixtures
"""


def check_case(case: str, root: Path) -> CheckResult:
    """Check ``<case>.md`` as the one module of a minimal course built under ``root``."""
    course = root / case
    (course / "modules").mkdir(parents=True)
    (course / "course.yml").write_text(COURSE_YML, encoding="utf-8")
    shutil.copy(QUESTIONS / f"{case}.md", course / "modules" / f"{case}.md")
    shutil.copytree(QUESTIONS / "assets", course / "assets")
    return check_course_folder(course)


@pytest.mark.parametrize("case", CASES)
def test_question_fixture(case: str, tmp_path: Path) -> None:
    assert_golden(QUESTIONS / f"{case}.json", dump_result(check_case(case, tmp_path)))


def test_every_golden_has_its_input() -> None:
    orphans = sorted(p.name for p in QUESTIONS.glob("*.json") if p.stem not in CASES)
    if UPDATE:
        for name in orphans:
            (QUESTIONS / name).unlink()
        return
    assert not orphans, "golden files without a .md beside them"


def test_every_question_type_has_a_clean_fixture(tmp_path: Path) -> None:
    seen: set[QuestionType] = set()
    for case in CASES:
        result = check_case(case, tmp_path)
        if not result.diagnostics and result.course is not None:
            seen.update(q.type for q in result.course.questions)
    assert seen == set(QuestionType), f"no clean fixture for {set(QuestionType) - seen}"
