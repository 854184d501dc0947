"""Course-wide checks over the model, run in order after every module has been read.

Each check is a small named function; ``CHECKS`` is the ordered list ``check_course`` runs.
Checks of a single question or block live with their parsing in ``quiz.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ceforge.cechecks import check_ce
from ceforge.completion import EffectiveCompletion as EffectiveCompletion
from ceforge.completion import effective_completion as effective_completion
from ceforge.config import COURSE_FILE
from ceforge.diagnostics import Code, Reporter, SourceLocation
from ceforge.loader import read_text
from ceforge.media import is_web
from ceforge.mediafiles import duration_of, parse_vtt
from ceforge.model import BlockKind, Course
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


def media_is_accessible(course: Course, reporter: Reporter) -> None:
    """Captions for every video, a transcript for every audio (errors in a CE course), and a
    warning for media the package would fetch from the web."""
    ce = course.config.ce is not None
    for block in course.blocks:
        media = block.media
        if media is None:
            continue
        if block.kind is BlockKind.VIDEO and not media.captions:
            reporter.report(
                block.loc,
                Code.CE_NO_CAPTIONS if ce else Code.MEDIA_NO_CAPTIONS,
                "the video has no captions: add a WebVTT file, {captions=../assets/clip.vtt}, "
                "so that learners who cannot hear it can follow (WCAG 1.2.2)",
            )
        if block.kind is BlockKind.AUDIO and not (media.transcript or media.transcript_html):
            reporter.report(
                block.loc,
                Code.CE_NO_TRANSCRIPT if ce else Code.MEDIA_NO_TRANSCRIPT,
                "the audio has no transcript: write it under a ### Transcript heading in the "
                "block, or name a file with {transcript=…} (WCAG 1.2.1)",
            )
        remote = [u for u in (media.src, media.captions, media.poster, media.transcript)
                  if u and is_web(u)]
        if remote:
            reporter.report(
                block.loc,
                Code.MEDIA_REMOTE,
                f"{remote[0]} is on the web: learners need the network to play it, and an LMS "
                "that blocks other sites will not show it; copy the file into the course",
            )


def captions_are_sound(course: Course, reporter: Reporter) -> None:
    """Each local WebVTT file parses, its cues go in order, end after they start and, when the
    media's duration can be read from the file, end before it does (each at its line)."""
    root = Path(course.root)
    durations: dict[str, float | None] = {}  # each captions file, and its media's duration
    for block in course.blocks:
        media = block.media
        if media is None or not media.captions or is_web(media.captions):
            continue
        if not (root / media.captions).is_file():
            continue  # missing: reported as asset.missing
        local = bool(media.src) and not media.remote and (root / media.src).is_file()
        duration = duration_of(root / media.src) if local else None
        if durations.get(media.captions) is None:
            durations[media.captions] = duration
    for captions, duration in durations.items():
        text = read_text(root, captions, reporter)
        if text is None:
            continue
        for line, message in parse_vtt(text, duration).problems:
            reporter.report(SourceLocation(captions, line), Code.MEDIA_BAD_CAPTIONS, message)


def graded_scenarios_count(course: Course, reporter: Reporter) -> None:
    """A graded scenario's points count toward the post-test's score: there must be one."""
    if course.test is not None:
        return
    for block in course.blocks_of(BlockKind.SCENARIO):
        if block.scenario is not None and block.scenario.graded:
            reporter.report(
                block.loc,
                Code.SCENARIO_GRADED_WITHOUT_TEST,
                "graded=true counts the scenario's points toward the post-test's score, and "
                "the course has no '::: test'; remove graded=true or add the post-test",
            )


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
    ("CE rules (ceforge.cechecks)", check_ce),
    ("linked files' paths travel well", asset_paths_travel_well),
    ("media are accessible", media_is_accessible),
    ("captions are sound", captions_are_sound),
    ("graded scenarios count toward a test", graded_scenarios_count),
]


def check_course(course: Course, reporter: Reporter) -> None:
    for _name, check in CHECKS:
        check(course, reporter)
