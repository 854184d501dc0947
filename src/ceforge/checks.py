"""Course-wide checks over the model, run in order after every module has been read.

Each check is a small named function; ``CHECKS`` is the ordered list ``check_course`` runs.
Checks of a single question or block live with their parsing in ``quiz.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ceforge.config import Completion
from ceforge.diagnostics import Code, Reporter, SourceLocation
from ceforge.loader import COURSE_FILE
from ceforge.model import BlockKind, Course, Module
from ceforge.pathrules import case_clash_message, case_clashes, path_problems

Check = Callable[[Course, Reporter], None]


def no_modules(course: Course, reporter: Reporter) -> None:
    if not course.modules:
        reporter.report(
            _config_loc(course, "modules"),
            Code.COURSE_NO_MODULES,
            "the course has no modules; add Markdown files under modules/",
        )


def duplicate_module_ids(course: Course, reporter: Reporter) -> None:
    seen: dict[str, SourceLocation] = {}
    for module in course.modules:
        if module.id in seen:
            reporter.report(
                module.loc,
                Code.MODULE_DUPLICATE_ID,
                f"module id {module.id!r} is already used by {seen[module.id].path}",
            )
        seen.setdefault(module.id, module.loc)


def duplicate_question_ids(course: Course, reporter: Reporter) -> None:
    seen: dict[str, SourceLocation] = {}
    for block in course.blocks:
        items = [(block.id, block.loc)] + [(q.id, q.loc) for q in block.questions]
        for item_id, loc in items:
            if item_id in seen:
                reporter.report(
                    loc,
                    Code.QUIZ_DUPLICATE_ID,
                    f"id {item_id!r} is already used at {seen[item_id]}",
                )
            seen.setdefault(item_id, loc)


def one_test(course: Course, reporter: Reporter) -> None:
    tests = course.blocks_of(BlockKind.TEST)
    for extra in tests[1:]:
        reporter.report(
            extra.loc,
            Code.COURSE_MULTIPLE_TESTS,
            f"a second '::: test'; the course's post-test is at {tests[0].loc}",
        )


def draw_fits_pool(course: Course, reporter: Reporter) -> None:
    for block in course.blocks_of(BlockKind.TEST):
        if block.draw is not None and block.draw > len(block.questions):
            reporter.report(
                block.loc,
                Code.TEST_DRAW_TOO_LARGE,
                f"draw={block.draw} but the test's pool holds {len(block.questions)} questions",
            )


def completion_is_possible(course: Course, reporter: Reporter) -> None:
    rules = course.config.completion
    loc = _config_loc(course, "completion")
    if rules.test in ("pass", "attempt") and course.test is None:
        reporter.report(
            _config_loc(course, "completion.test"),
            Code.CONFIG_COMPLETION,
            f"completion.test is {rules.test!r} but the course has no '::: test'",
        )
    for kind, wanted in (
        (BlockKind.SURVEY, rules.evaluation),
        (BlockKind.ATTESTATION, rules.attestation),
    ):
        key = "evaluation" if kind is BlockKind.SURVEY else "attestation"
        if wanted and not course.blocks_of(kind):
            reporter.report(
                _config_loc(course, f"completion.{key}") or loc,
                Code.CONFIG_COMPLETION,
                f"completion.{key} is true but the course has no '::: {kind.value}'",
            )


def ce_completeness(course: Course, reporter: Reporter) -> None:
    if course.config.ce is None:
        return
    loc = _config_loc(course, "ce")
    if course.test is None:
        reporter.report(
            loc,
            Code.CE_NO_TEST,
            "a CE course usually needs a post-test ('::: test'); boards ask for one",
        )
    if not course.blocks_of(BlockKind.SURVEY):
        reporter.report(
            loc,
            Code.CE_NO_EVALUATION,
            "a CE course usually needs a course evaluation ('::: survey')",
        )
    for module in course.modules:
        if (
            module.pages
            and module.front_matter_read
            and not module.objectives
            and not _is_assessment_only(module)
        ):
            reporter.report(
                module.loc,
                Code.CE_NO_OBJECTIVES,
                f"module {module.id!r} of a CE course has no learning objectives",
            )


def _is_assessment_only(module: Module) -> bool:
    """A module made only of a test, survey or attestation needs no objectives of its own."""
    kinds = {b.kind for b in module.blocks}
    return bool(kinds) and kinds <= {BlockKind.TEST, BlockKind.SURVEY, BlockKind.ATTESTATION}


def asset_paths_travel_well(course: Course, reporter: Reporter) -> None:
    """The path rules of ``ceforge validate`` (``ceforge.pathrules``), applied to the files the
    course links to, each at its first link: what validate would warn about in the package."""
    codes = {"space": Code.ASSET_SPACE_IN_PATH, "reserved": Code.ASSET_RESERVED_CHARACTER}
    for path, asset in sorted(course.assets.items()):
        for problem in path_problems(path):
            reporter.report(asset.loc, codes[problem.rule], f"{path!r}: {problem.message}")
    for path, first in case_clashes(sorted(course.assets)):
        reporter.report(
            course.assets[path].loc, Code.ASSET_CASE_CLASH, f"{path!r}: {case_clash_message(first)}"
        )


def _config_loc(course: Course, key: str) -> SourceLocation:
    lines = course.config.lines
    while key and key not in lines:
        key = key.rpartition(".")[0]
    return SourceLocation(COURSE_FILE, lines.get(key, 1))


CHECKS: list[tuple[str, Check]] = [
    ("modules exist", no_modules),
    ("module ids are unique", duplicate_module_ids),
    ("question ids are unique", duplicate_question_ids),
    ("at most one test", one_test),
    ("draw fits the pool", draw_fits_pool),
    ("completion rules can be met", completion_is_possible),
    ("CE courses are complete", ce_completeness),
    ("linked files' paths travel well", asset_paths_travel_well),
]


def check_course(course: Course, reporter: Reporter) -> None:
    for _name, check in CHECKS:
        check(course, reporter)


@dataclass(frozen=True)
class EffectiveCompletion:
    """The completion rules with every default decided from the course's content."""

    pages: bool
    test: str
    evaluation: bool
    attestation: bool
    min_minutes: float


def effective_completion(course: Course) -> EffectiveCompletion:
    rules: Completion = course.config.completion
    has_test = course.test is not None
    return EffectiveCompletion(
        pages=rules.pages == "all",
        test=rules.test or ("pass" if has_test else "none"),
        evaluation=bool(course.blocks_of(BlockKind.SURVEY))
        if rules.evaluation is None
        else rules.evaluation,
        attestation=bool(course.blocks_of(BlockKind.ATTESTATION))
        if rules.attestation is None
        else rules.attestation,
        min_minutes=rules.min_minutes,
    )
