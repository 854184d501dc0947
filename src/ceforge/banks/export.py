"""``ceforge export``: a checked course's questions as a Moodle XML, GIFT or QTI 2.1 bank.

The pipeline: read and check the course (nothing is written when it has an error), select the
questions (``--which``), render them in the format, write the file (atomically, and the same
bytes for the same sources). Every question a format cannot hold, or holds with a difference,
is reported with the line of the question (``bank.left-out``, ``bank.changed``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ceforge.banks.common import Format, Which, category_names, select
from ceforge.banks.gift_out import gift
from ceforge.banks.moodle_out import category_path, moodle_xml
from ceforge.banks.qti_out import qti_package
from ceforge.build import check_course_folder
from ceforge.diagnostics import Code, CourseError, Diagnostic, Reporter
from ceforge.model import Course
from ceforge.package import write_file, write_zip
from ceforge.parsecache import ModuleCache

SUFFIX = {Format.MOODLE_XML: ".xml", Format.GIFT: ".gift.txt", Format.QTI21: "-qti21.zip"}


class ExportError(Exception):
    """The course holds no question to export (a usage mistake, not a fault of its sources)."""


@dataclass
class Exported:
    path: Path
    questions: int
    diagnostics: list[Diagnostic] = field(default_factory=list)


def default_output(root: Path, fmt: Format, which: Which) -> Path:
    """``<course folder>-<which>.xml`` (``.gift.txt``, ``-qti21.zip``) in the current folder."""
    return Path(f"{root.resolve().name}-{which.value}{SUFFIX[fmt]}")


def export_course(
    root: Path,
    fmt: Format,
    which: Which = Which.TEST,
    out: Path | None = None,
    cache: ModuleCache | None = None,
) -> Exported:
    """Export the questions of the course at ``root``; raise CourseError when the course has
    errors and ExportError when it has no question to export."""
    result = check_course_folder(root, cache)
    if result.course is None or result.errors:
        raise CourseError(result.diagnostics)
    course = result.course
    items = select(course, which)
    if not items:
        raise ExportError(_nothing(which))
    reporter = Reporter()
    dest = out or default_output(root, fmt, which)
    if fmt is Format.QTI21:
        write_zip(qti_package(course, items, reporter), dest)
    else:
        render = moodle_xml if fmt is Format.MOODLE_XML else gift
        data = render(course, items, reporter)
        if any(item.block is course.test for item in items):
            _quiz_settings(course, reporter)
        write_file(data, dest)
    left = sum(d.code is Code.BANK_LEFT_OUT for d in reporter.diagnostics)
    return Exported(dest, len(items) - left, reporter.sorted())


def _nothing(which: Which) -> str:
    if which is Which.TEST:
        return "the course has no '::: test' block; export its knowledge checks with " \
            "--which quizzes, or every question with --which all"
    return f"the course has no question to export with --which {which.value}"


def _quiz_settings(course: Course, reporter: Reporter) -> None:
    """A Moodle bank holds questions, not the quiz that draws them: say how to set it up."""
    test = course.test
    if test is None:
        return
    module = next(m for m in course.modules if test in m.blocks)
    category = category_path(category_names(course, module))
    draw = (
        f"add {test.draw} random questions from the category {category}"
        if test.draw is not None
        else f"add every question of the category {category}"
    )
    attempts = f", attempts allowed {test.attempts}" if test.attempts else ""
    reporter.report(
        test.loc,
        Code.BANK_CHANGED,
        f"a Moodle question bank holds questions, not the quiz that draws them: in the quiz, "
        f"{draw}, set 'Grade to pass' to {course.config.passing_score * 100:g} % of its "
        f"maximum grade{attempts}",
    )

