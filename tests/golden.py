"""Golden files: expected output written by the code, reviewed by a person, compared by the tests.

``assert_golden(path, data)`` compares ``data`` with the JSON file at ``path``. With
``CEFORGE_UPDATE_GOLDEN=1`` in the environment (``nox -s update-golden`` sets it) it writes the
file instead, so that ``git diff`` shows what changed; review that diff before committing.

``dump_result`` turns a checked course into the plain data the parser fixtures compare: the
parsed model (modules, pages, blocks, questions with their 1-based source lines) and every
diagnostic, printed as ``ceforge check`` prints it.
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path
from typing import Any

import pytest

from ceforge.build import CheckResult
from ceforge.model import Block, Choice, Course, Module, Page, Pair, Question
from oracles.install import in_ci

UPDATE = os.environ.get("CEFORGE_UPDATE_GOLDEN") == "1"


def assert_golden(path: Path, data: Any) -> None:
    """``data`` equals the golden file at ``path`` (or, when updating, becomes it)."""
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if UPDATE and in_ci():
        pytest.fail("CEFORGE_UPDATE_GOLDEN=1 in CI: golden tests would compare nothing",
                    pytrace=False)
    if UPDATE:
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        return
    if not path.exists():
        pytest.fail(f"{path} is missing: run `nox -s update-golden`, then review and commit it")
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert json.loads(text) == expected, f"{path} differs (`nox -s update-golden` to regenerate)"


def assert_golden_text(path: Path, text: str) -> None:
    """``text`` equals the golden text file at ``path`` (or, when updating, becomes it)."""
    if UPDATE and in_ci():
        pytest.fail("CEFORGE_UPDATE_GOLDEN=1 in CI: golden tests would compare nothing",
                    pytrace=False)
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        return
    if not path.exists():
        pytest.fail(f"{path} is missing: run `nox -s update-golden`, then review and commit it")
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), text.splitlines(True),
                                            str(path), "now", n=2))
        pytest.fail(f"{path} differs (`nox -s update-golden` to regenerate):\n{diff[:4000]}")


def dump_result(result: CheckResult) -> dict[str, Any]:
    return {
        "diagnostics": [str(d) for d in result.diagnostics],
        "course": dump_course(result.course) if result.course is not None else None,
    }


def dump_course(course: Course) -> dict[str, Any]:
    return {
        "modules": [_module(m) for m in course.modules],
        "assets": sorted(course.assets),
    }


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    """Leave out empty values, so that a golden shows what a construct produced."""
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


def _unless(html: str, text: str) -> str:
    """The HTML of a piece of text, left out of the golden when it is the text itself."""
    return "" if html == text else html


def _module(module: Module) -> dict[str, Any]:
    return _compact(
        {
            "id": module.id,
            "title": module.title,
            "path": module.path,
            "line": module.loc.line,
            "objectives": module.objectives,
            "minutes": module.minutes,
            "pages": [_page(p) for p in module.pages],
        }
    )


def _page(page: Page) -> dict[str, Any]:
    return _compact(
        {
            "id": page.id,
            "title": page.title,
            "line": page.loc.line,
            "blocks": [_block(b) for b in page.blocks],
        }
    )


def _block(block: Block) -> dict[str, Any]:
    return _compact(
        {
            "id": block.id,
            "kind": str(block.kind),
            "line": block.loc.line,
            "draw": block.draw,
            "attempts": block.attempts,
            "shuffle": block.shuffle,
            "intro_html": block.intro_html,
            "questions": [_question(q) for q in block.questions],
        }
    )


def _question(question: Question) -> dict[str, Any]:
    numeric = question.numeric
    return {
        "id": question.id,
        "type": str(question.type),
        "line": question.loc.line,
        "points": question.points,
        **_compact(
            {
                "prompt_text": question.prompt_text,
                "prompt_html": _unless(question.prompt_html, question.prompt_text),
                "stem_html": question.stem_html,
                "choices": [_choice(c) for c in question.choices],
                "answers": question.answers,
                "numeric": {"low": numeric.low, "high": numeric.high} if numeric else None,
                "pairs": [_pair(p) for p in question.pairs],
                "feedback_html": question.feedback_html,
            }
        ),
    }


def _choice(choice: Choice) -> dict[str, Any]:
    return {
        "id": choice.id,
        "line": choice.loc.line,
        "correct": choice.correct,
        **_compact(
            {
                "text": choice.text,
                "html": _unless(choice.html, choice.text),
                "feedback_html": choice.feedback_html,
            }
        ),
    }


def _pair(pair: Pair) -> dict[str, Any]:
    return {
        "line": pair.source.loc.line,
        "source": _side(pair.source),
        "target": _side(pair.target),
    }


def _side(side: Choice) -> dict[str, Any]:
    return _compact({"id": side.id, "text": side.text, "html": _unless(side.html, side.text)})
