"""The ``ceforge`` command line: parse options, call the library, print. Nothing else.

Each command imports what it needs when it runs (``ceforge --version`` reads no Markdown,
``ceforge check`` imports neither lxml nor Jinja): ceforge starts in a fraction of a second.
"""

from __future__ import annotations

import logging
import shlex
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click
from click.shell_completion import CompletionItem

from ceforge import __version__
from ceforge.config import AU_MODES, REPORTS, SCO_LAYOUTS, SCORM_EDITIONS, BuildSettings
from ceforge.console import (
    build_document,
    quiet,
    shown,
    stages_only_when_verbose,
    verbosity_options,
)
from ceforge.diagnostics import (
    CourseError,
    Diagnostic,
    Severity,
    format_json,
    format_text,
    plural,
    summary,
)
from ceforge.preview import DEFAULT_PORT
from ceforge.targets.registry import is_target, target_names

if TYPE_CHECKING:
    from ceforge.build import BuildPlan
    from ceforge.parsecache import ModuleCache

log = logging.getLogger("ceforge.cli")


class TargetName(click.ParamType):  # type: ignore[type-arg]
    """A target of the registry (built-in and installed ones), checked and completed from it
    when the command runs; with ``all``, also ``all``."""

    name = "target"

    def __init__(self, *, allow_all: bool) -> None:
        self.allow_all = allow_all

    def choices(self) -> list[str]:
        return [*target_names(), *(["all"] if self.allow_all else [])]

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "[" + "|".join(self.choices()) + "]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        if (value == "all" and self.allow_all) or (value != "all" and is_target(value)):
            return str(value)
        self.fail(f"unknown target {value!r}; choose from: {', '.join(self.choices())}", param, ctx)

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        return [CompletionItem(name) for name in self.choices() if name.startswith(incomplete)]


course_argument = click.argument(
    "course", type=click.Path(file_okay=False, path_type=Path), metavar="COURSE"
)
strict_option = click.option("--strict", is_flag=True, help="Count warnings as errors.")
format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format: text lines, or JSON for CI.",
)
cache_option = click.option(
    "--no-cache",
    is_flag=True,
    help="Read every module afresh, not from the cache of modules read before "
    "($CEFORGE_CACHE_DIR, else ~/.cache/ceforge).",
)
targets_option = click.option(
    "-t",
    "--target",
    "targets",
    multiple=True,
    type=TargetName(allow_all=True),
    help="A target (repeatable); 'all' for every target. Default: build.targets of "
    "course.yml, else web.",
)

scorm_edition_option = click.option(
    "--scorm-edition",
    type=click.Choice([str(e) for e in SCORM_EDITIONS]),
    help="Edition of SCORM 2004 that the scorm2004 target writes. Default: "
    "build.scorm_edition of course.yml, else 4.",
)
sco_option = click.option(
    "--sco",
    type=click.Choice(SCO_LAYOUTS),
    help="SCORM: 'single' makes the whole course one SCO (course-wide completion rules, seat "
    "time and certificate; one bookmark); 'module' makes each module a SCO the LMS tracks and "
    "lists on its own (each module's rules apply to it; no certificate in the package). "
    "Default: build.sco of course.yml, else single.",
)
au_option = click.option(
    "--au",
    type=click.Choice(AU_MODES),
    help="cmi5: 'course' makes the whole course one AU (course-wide completion rules, seat "
    "time and certificate; one bookmark); 'module' makes each module an AU that the LMS "
    "lists, launches and tracks on its own, whose page shows that module alone (each "
    "module's rules apply to it; the post-test's AU carries the masteryScore; no "
    "certificate). Default: build.au of course.yml, else course.",
)
report_option = click.option(
    "--report",
    type=click.Choice(REPORTS),
    default=None,
    help="How SCORM/xAPI report status: what a finished course and an unfinished one (or a "
    "failed test) show. Default: build.report of course.yml, else passed-failed with a "
    "test, completed-incomplete without.",
)


def build_options(command: Any) -> Any:
    """The options every command that builds takes (``build``, ``check``, ``preview``)."""
    for option in (report_option, au_option, sco_option, scorm_edition_option):
        command = option(command)
    return command


def _plan(course: Path, targets: tuple[str, ...] = (), **asked: Any) -> BuildPlan:
    """What to build: the command line's options over course.yml's ``build:`` section."""
    from ceforge.build import plan_build

    edition = asked.pop("scorm_edition", None)
    settings = BuildSettings(
        targets=targets or None,
        scorm_edition=int(edition) if edition else None,
        **asked,
    )
    return plan_build(course, settings)


def _say(text: str) -> None:
    """A line of a command's results on stdout, unless --quiet."""
    if not quiet():
        click.echo(text)


def _module_cache(no_cache: bool) -> ModuleCache | None:
    from ceforge.parsecache import ModuleCache

    return None if no_cache else ModuleCache.default()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ceforge")
def main() -> None:
    """Compile Markdown continuing-education courses into SCORM, xAPI, cmi5 and web packages."""


def _require_course(course: Path) -> None:
    if not course.is_dir():
        raise click.UsageError(f"{course}: no such course folder")


@main.command()
@course_argument
@strict_option
@format_option
@cache_option
@targets_option
@build_options
@verbosity_options
def check(
    course: Path, strict: bool, fmt: str, no_cache: bool, targets: tuple[str, ...], **asked: Any
) -> None:
    """Read and check a course; print every problem. Exit 1 on errors.

    With --target (or build.targets in course.yml) it also runs the checks that building
    those targets runs: a course that passes 'check --strict' builds with 'build --strict'.
    """
    from ceforge.build import check_course_folder

    _require_course(course)
    plan = _plan(course, targets, **asked)
    result = check_course_folder(course, _module_cache(no_cache), plan.targets, plan.options)
    diagnostics = result.diagnostics
    if fmt == "json":
        click.echo(format_json(diagnostics), nl=False)
    else:
        click.echo(format_text(shown(diagnostics, strict)), nl=False)
        if diagnostics:
            log.info(summary(diagnostics) + _strict_note(diagnostics, strict))
        elif result.course is not None:
            c = result.course
            log.info(
                f"{course}: OK ({len(c.unit_modules)} modules, "
                f"{sum(len(m.pages) for m in c.modules)} pages, "
                f"{len(c.questions)} questions)"
            )
    sys.exit(1 if result.failed(strict) else 0)


def _strict_note(diagnostics: list[Diagnostic], strict: bool) -> str:
    """What to add to the count when only ``--strict`` made the warnings fail."""
    if strict and not any(d.severity is Severity.ERROR for d in diagnostics):
        return " (--strict counts warnings as errors)"
    return ""


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--title", help="The course title (default: from the folder name).")
@verbosity_options
def new(directory: Path, title: str | None) -> None:
    """Create a new course, ready to check and build, in DIRECTORY."""
    from ceforge.scaffold import ScaffoldError, new_course

    try:
        files = new_course(directory, title)
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from exc
    for path in files:
        log.debug(f"wrote {path}")
    quoted = shlex.quote(str(directory))
    log.info(f"created {directory} ({len(files)} files); next: ceforge check {quoted}")


@main.command()
@course_argument
@targets_option
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder. Default: build.output of course.yml (relative to the course "
    "folder), else dist.",
)
@click.option("--zip", "zip_folders", is_flag=True, help="Also zip folder targets (web).")
@build_options
@cache_option
@click.option(
    "--strict",
    is_flag=True,
    help="Count warnings as errors: a course with warnings is not built (nothing is written).",
)
@format_option
@verbosity_options
def build(
    course: Path,
    targets: tuple[str, ...],
    output: Path | None,
    zip_folders: bool,
    no_cache: bool,
    strict: bool,
    fmt: str,
    **asked: Any,
) -> None:
    """Build packages of a course.

    Prints a line per stage on stderr (-q: errors only; -v: timings too), and a line per
    package written on stdout; --format json prints one JSON document instead (docs/cli.md).
    """
    from ceforge.build import build as build_course
    from ceforge.targets.base import TargetError
    from ceforge.validate.findings import PackageError

    _require_course(course)
    started = time.perf_counter()
    plan = _plan(course, targets, output=output, **asked)
    failure = None
    try:
        built = build_course(
            course,
            plan.targets,
            plan.out,
            zip_folders=zip_folders,
            options=plan.options,
            cache=_module_cache(no_cache),
            strict=strict,
        )
    except CourseError as exc:
        _build_failed(exc.diagnostics, fmt, strict, started)
    except PackageError as exc:
        failure = (
            f"ceforge wrote an invalid package {exc.package} and removed it; this is a bug "
            "in ceforge, please report it with these lines:"
        ) + "".join(f"\n{exc.package}: {finding}" for finding in exc.findings)
    except TargetError as exc:
        failure = str(exc)
    except OSError as exc:  # the output folder cannot be written; nothing half-written is left
        where = exc.filename or plan.out
        failure = f"cannot write {where}: {exc.strerror or exc}"
    if failure is not None:
        _build_failed([], fmt, strict, started, failure)
    if fmt == "json":
        click.echo(build_document(built.diagnostics, built), nl=False)
    else:
        click.echo(format_text(shown(built.diagnostics, strict)), nl=False, err=True)
        for path in built.paths:
            _say(f"wrote {path}")
    warned = f" ({plural(len(built.diagnostics), 'warning')})" if built.diagnostics else ""
    log.info(
        f"built {plural(len(built.packages), 'package')} in "
        f"{built.timings.seconds['total']:.1f} s{warned}"
    )


def _build_failed(
    diagnostics: list[Diagnostic],
    fmt: str,
    strict: bool,
    started: float,
    failure: str | None = None,
) -> NoReturn:
    """Say why a build failed (its diagnostics, or ``failure``) and exit 1."""
    if fmt == "json":
        seconds = time.perf_counter() - started
        click.echo(build_document(diagnostics, failure=failure, seconds=seconds), nl=False)
    else:
        click.echo(format_text(shown(diagnostics, strict)), nl=False, err=True)
    if failure is not None:
        log.error(f"build failed: {failure}")
    else:
        counted = " (--strict counts warnings as errors)" if strict else ""
        log.error(f"build failed: {summary(diagnostics)}{counted}")
    sys.exit(1)


_SIZE_UNITS = {
    "": 1, "b": 1, "k": 1000, "kb": 1000, "kib": 1024, "m": 1000**2, "mb": 1000**2,
    "mib": 1024**2, "g": 1000**3, "gb": 1000**3, "gib": 1024**3,
}


def _size(ctx: click.Context, param: click.Parameter, value: str) -> int:
    """A size in bytes, written ``2GiB``, ``500MiB``, ``500MB`` or ``1048576``."""
    import re

    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*", value)
    unit = match.group(2).lower() if match else ""
    if match is None or unit not in _SIZE_UNITS or float(match.group(1)) <= 0:
        raise click.BadParameter(f"{value!r} is not a size such as 500MiB or 2GiB")
    return int(float(match.group(1)) * _SIZE_UNITS[unit])


@main.command()
@click.argument(
    "package", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="PACKAGE.zip"
)
@format_option
@strict_option
@click.option(
    "--launch",
    "run_launch",
    is_flag=True,
    help="Also open the package headless in Chromium under the strict LMS simulator and "
    "report what its runtime does on launch.",
)
@click.option(
    "--max-uncompressed",
    callback=_size,
    default="1GiB",
    show_default=True,
    metavar="SIZE",
    help="The most the package's members may expand to, all together (such as 500MiB or "
    "2GiB); beyond it, an error (zip.too-large), found from the zip's directory before "
    "anything is read.",
)
@verbosity_options
def validate(
    package: Path, fmt: str, strict: bool, run_launch: bool, max_uncompressed: int
) -> None:
    """Check a SCORM 1.2/2004, Tin Can or cmi5 package made by any tool; print every problem.
    Exit 1 on errors."""
    from ceforge.preview.validatelaunch import launch
    from ceforge.validate import validate_package
    from ceforge.validate.archive import Limits
    from ceforge.validate.report import report_json, report_summary, report_text

    limits = Limits(max_total=max_uncompressed)
    report = validate_package(package, limits=limits)
    launched = launch(package, report, limits) if run_launch else None
    if fmt == "json":
        click.echo(report_json(report, launched.as_dict() if launched else None), nl=False)
    else:
        if quiet() and not strict:  # only what fails the package
            click.echo("".join(f"{finding}\n" for finding in report.errors), nl=False)
        else:
            click.echo(report_text(report), nl=False)
        if launched and (launched.failed or not quiet()):
            for line in launched.lines():
                click.echo(line)
        log.info(report_summary(report, strict))
    sys.exit(1 if report.failed(strict) or (launched and launched.failed) else 0)


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> object:
    from datetime import date

    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


@main.command()
@course_argument
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder. Default: build.output of course.yml (relative to the course "
    "folder), else dist.",
)
@click.option(
    "--pdf",
    is_flag=True,
    help="Also print the dossier to PDF with Chromium (needs the extra: pip install "
    "'ceforge[pdf]').",
)
@click.option(
    "--paper",
    type=click.Choice(["letter", "a4"]),
    default="letter",
    show_default=True,
    help="The paper the dossier prints on.",
)
@click.option(
    "--sample-date",
    callback=_date,
    metavar="DATE",
    help="The completion date of the sample certificate (YYYY-MM-DD; default: a fixed date, "
    "so that the same sources give the same dossier).",
)
@verbosity_options
def dossier(
    course: Path, output: Path | None, pdf: bool, paper: str, sample_date: object
) -> None:
    """Write the course's dossier for a CE approval application: one self-contained HTML
    document (and a PDF with --pdf) with the credit calculation, the post-test and its answer
    key, the evaluation, a sample certificate and the rest that boards ask for."""
    from datetime import date

    from ceforge.dossier import SAMPLE_DATE, DossierRefused, write_dossier
    from ceforge.pdf import PdfUnavailable

    _require_course(course)
    out = output if output is not None else _plan(course).out
    when = sample_date if isinstance(sample_date, date) else SAMPLE_DATE
    try:
        written = write_dossier(course, out, pdf=pdf, paper=paper, sample_date=when)
    except DossierRefused as exc:
        click.echo(format_text(exc.diagnostics), nl=False, err=True)
        log.error(f"{course}: {summary(exc.diagnostics)}; no dossier written")
        sys.exit(1)
    except PdfUnavailable as exc:
        log.error(f"error: {exc}; no dossier written")
        sys.exit(1)
    for path in written:
        click.echo(f"wrote {path}")


def _uuid(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    import uuid

    if value is None:
        return None
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a UUID") from None


def _timestamp(ctx: click.Context, param: click.Parameter, value: str | None) -> object:
    from datetime import UTC, datetime

    if value is None:
        return None
    if value == "now":
        return datetime.now(UTC).replace(microsecond=0)
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 timestamp") from None
    if at.tzinfo is None:
        raise click.BadParameter(f"{value!r} has no time zone (add Z or +01:00)")
    return at


@main.command()
@course_argument
@click.option(
    "--learner",
    required=True,
    metavar="AGENT",
    help="The learner: mailto:ana@example.org, or an xAPI agent as JSON, such as "
    '\'{"account": {"homePage": "https://lms.example.org", "name": "ana"}}\' (cmi5 needs one).',
)
@click.option(
    "--path",
    "path_name",
    type=click.Choice(["pass", "fail", "partial"]),
    required=True,
    help="pass: every page over two sessions, the post-test passed, the course completed; "
    "fail: every page up to the post-test, every attempt failed; "
    "partial: the first module and a half, then the learner leaves.",
)
@click.option("--registration", callback=_uuid, metavar="UUID", help="Default: a new one.")
@click.option(
    "--seed",
    type=int,
    help="Makes ids, draws and times reproducible (so does --registration).",
)
@click.option(
    "--start",
    callback=_timestamp,
    metavar="TIMESTAMP",
    help="When the learner starts (ISO 8601 with a time zone, or 'now'). Default: a fixed "
    "date when --seed or --registration is given; otherwise so that the walk ends now.",
)
@click.option("--cmi5", is_flag=True, help="As a cmi5 AU launched by an LMS (one AU per course).")
@click.option(
    "--launch-mode",
    type=click.Choice(["Normal", "Browse", "Review"]),
    default="Normal",
    show_default=True,
    help="cmi5 launchMode; Browse and Review send only initialized and terminated.",
)
@click.option(
    "--mastery-score",
    type=click.FloatRange(0, 1),
    help="cmi5: the LMS's masteryScore, overriding the course's passing score.",
)
@click.option(
    "--send",
    "endpoint",
    metavar="ENDPOINT",
    help="Post the statements to this LRS endpoint (https://…/xapi/) with the credentials in "
    "CEFORGE_LRS_USERNAME and CEFORGE_LRS_PASSWORD; print the ids it acknowledged.",
)
@verbosity_options
def statements(
    course: Path,
    learner: str,
    path_name: str,
    registration: str | None,
    seed: int | None,
    start: object,
    cmi5: bool,
    launch_mode: str,
    mastery_score: float | None,
    endpoint: str | None,
) -> None:
    """Print, as JSON lines, the xAPI statements of a learner following a path through a
    course; or send them to an LRS."""
    import json
    import os
    from datetime import datetime

    from ceforge.build import check_course_folder
    from ceforge.xapi.delivery import LRSError, credentials_from, send
    from ceforge.xapi.learner import Cmi5Options, LearnerPath, WalkError, parse_actor, walk
    from ceforge.xapi.statements import statement_json

    _require_course(course)
    try:
        actor = parse_actor(learner)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--learner") from None
    result = check_course_folder(course)
    if result.course is None or result.errors:
        click.echo(format_text(shown(result.diagnostics, False)), nl=False, err=True)
        log.error(f"{course}: {summary(result.diagnostics)}")
        sys.exit(1)
    options = Cmi5Options(launch_mode, mastery_score) if cmi5 else None
    try:
        credentials = credentials_from(os.environ) if endpoint else None
        walked = walk(
            result.course,
            LearnerPath(path_name),
            actor,
            registration=registration,
            seed=seed,
            start=start if isinstance(start, datetime) else None,
            cmi5=options,
        )
        log.debug(
            f"{path_name}: {plural(len(walked.statements), 'statement')}, "
            f"registration {walked.registration}"
        )
        if endpoint is None or credentials is None:
            for statement in walked.statements:
                data = statement_json(statement)
                click.echo(json.dumps(data, ensure_ascii=False, sort_keys=True))
            return
        delivery = send(endpoint, walked.statements, *credentials)
    except (WalkError, LRSError) as exc:
        log.error(f"error: {exc}")
        sys.exit(1)
    for statement_id in delivery.ids:
        click.echo(statement_id)
    held = delivery.already_stored
    already = f", {held} of them already there" if held else ""
    log.info(
        f"{endpoint}: the LRS acknowledged {len(delivery.ids)} statements{already} "
        f"(registration {walked.registration})"
    )


def _since(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from datetime import UTC, date, datetime

    if value is None:
        return None
    try:
        day = date.fromisoformat(value)
        return f"{day.isoformat()}T00:00:00Z"
    except ValueError:
        pass
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD) or timestamp") from None
    if at.tzinfo is None:
        raise click.BadParameter(f"{value!r} has no time zone (add Z or +01:00)")
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")


lrs_option = click.option(
    "--lrs",
    "endpoint",
    metavar="ENDPOINT",
    help="The LRS's xAPI endpoint (https://…/xapi/), read with the credentials in "
    "CEFORGE_LRS_USERNAME and CEFORGE_LRS_PASSWORD.",
)
records_course_option = click.option(
    "--course",
    "course_ref",
    metavar="FOLDER|ID",
    help="Only this course: its folder (which also gives its title, version, evaluation and "
    "rules, and its certificate for --certificates), or its id.",
)


def _records_course(course_ref: str | None) -> tuple[Any, Path | None]:
    """The CourseFacts of a course folder, or None with an id (or nothing)."""
    from ceforge.build import check_course_folder
    from ceforge.records import CourseFacts

    if course_ref is None or not Path(course_ref).is_dir():
        return None, None
    root = Path(course_ref)
    result = check_course_folder(root)
    if result.course is None or result.errors:
        click.echo(format_text(result.errors or result.diagnostics), nl=False, err=True)
        log.error(f"{root}: {summary(result.diagnostics)}; nothing written")
        sys.exit(1)
    return CourseFacts.of(result.course), root


@main.group(invoke_without_command=True)
@lrs_option
@click.option("--since", callback=_since, metavar="DATE",
              help="Only statements stored since this date (YYYY-MM-DD, in UTC) or timestamp.")
@records_course_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              metavar="FILE", help="The records file to write (CSV, or JSON with --format json).")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv",
              show_default=True, help="The records file's format.")
@click.option("--certificates", type=click.Path(file_okay=False, path_type=Path),
              metavar="DIR", help="Also write each completion's certificate into DIR, as HTML "
              "(needs --course FOLDER).")
@click.option("--pdf", is_flag=True, help="With --certificates, each certificate as PDF too "
              "(needs the extra: pip install 'ceforge[pdf]').")
@verbosity_options
@click.pass_context
def records(
    ctx: click.Context, endpoint: str | None, since: str | None, course_ref: str | None,
    output: Path | None, fmt: str, certificates: Path | None, pdf: bool,
) -> None:
    """Write the completion records of cmi5 and Tin Can courses from the statements of an LRS:
    one row per learner and registration (docs/provider.md). `ceforge records verify CODE` is
    `ceforge certificate CODE`: it confirms a certificate's verification code."""
    import os

    from ceforge.pdf import PdfUnavailable
    from ceforge.records import collect, write_records
    from ceforge.xapi.delivery import LRSError, credentials_from, read_statements

    if ctx.invoked_subcommand is not None:
        return
    if endpoint is None or output is None:
        raise click.UsageError("give the LRS (--lrs ENDPOINT) and the file to write (-o FILE)")
    if (certificates or pdf) and (course_ref is None or not Path(course_ref).is_dir()):
        raise click.UsageError("--certificates needs --course FOLDER: the certificate is the "
                               "course's")
    facts, root = _records_course(course_ref)
    try:
        statements = read_statements(endpoint, *credentials_from(os.environ), since=since)
        found = collect(statements, facts, course_id=None if facts else course_ref)
        written = write_records(found, output, fmt, certificates=certificates, course=facts,
                                root=root, pdf=pdf)
    except (LRSError, PdfUnavailable) as exc:
        log.error(f"error: {exc}; nothing written")
        sys.exit(1)
    for path in written:
        click.echo(f"wrote {path}")
    completed = sum(r.status == "completed" for r in found.rows)
    log.info(
        f"{plural(found.read, 'statement')} read: {plural(len(found.rows), 'record')} "
        f"({completed} completed); skipped {found.invalid} invalid and {found.foreign} of "
        "other courses"
    )


@main.command()
@course_argument
@click.option(
    "-t",
    "--target",
    type=TargetName(allow_all=False),
    default="web",
    show_default=True,
    help="The package to preview: web; SCORM under the strict LMS simulator; Tin Can or cmi5 "
    "against the preview's own LRS (and cmi5 launcher).",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=DEFAULT_PORT,
    show_default=True,
    help="Port on 127.0.0.1 (0: any free one).",
)
@click.option(
    "--lrs",
    metavar="URL",
    help="Also send every statement to this LRS (https://…/xapi/), with the credentials in "
    "CEFORGE_LRS_USERNAME and CEFORGE_LRS_PASSWORD.",
)
@click.option("--no-open", is_flag=True, help="Do not open the page in a browser.")
@build_options
@verbosity_options
def preview(
    course: Path, target: str, port: int, lrs: str | None, no_open: bool, **asked: Any
) -> None:
    """Build the course into a temporary folder and serve it with a live inspector; rebuild
    and reload on every edit. The build's own stage lines show with -v."""
    from ceforge.preview import serve
    from ceforge.xapi.delivery import LRSError

    _require_course(course)
    options = _plan(course, (target,), **asked).options
    stages_only_when_verbose()
    try:
        serve(course, target=target, port=port, lrs=lrs, open_browser=not no_open,
              options=options, echo=_say)
    except LRSError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(
            f"cannot serve on 127.0.0.1:{port}: {exc.strerror or exc}; try --port 0"
        ) from None


@main.command(name="export")
@course_argument
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["moodle-xml", "gift", "qti21"]),
    required=True,
    help="moodle-xml: Moodle's question import; gift: Moodle's text format; qti21: a QTI 2.1 "
    "content package (Canvas, Brightspace, Blackboard, TAO).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write. Default: <course folder>-<which>.xml (.gift.txt, -qti21.zip) "
    "in the current folder.",
)
@click.option(
    "--which",
    type=click.Choice(["test", "quizzes", "all"]),
    default="test",
    show_default=True,
    help="test: the post-test; quizzes: the knowledge checks; all: every question, "
    "surveys included.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Exit 1 when a question is left out or carried over with a difference (the file is "
    "still written).",
)
@cache_option
@verbosity_options
def export_bank(
    course: Path, fmt: str, output: Path | None, which: str, strict: bool, no_cache: bool
) -> None:
    """Export a course's questions as a Moodle XML, GIFT or QTI 2.1 question bank (docs/banks.md).

    Reports on stderr every question the format cannot hold, or holds with a difference.
    """
    from ceforge.banks.common import Format, Which
    from ceforge.banks.export import ExportError, export_course

    _require_course(course)
    try:
        exported = export_course(
            course, Format(fmt), Which(which), output, _module_cache(no_cache)
        )
    except CourseError as exc:
        _bank_failed("export", exc.diagnostics, strict)
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        _bank_failed("export", [], strict, f"cannot write {exc.filename or output}: "
                     f"{exc.strerror or exc}")
    _bank_done(exported.path, exported.questions, exported.diagnostics, strict)


@main.command(name="import")
@click.argument("fmt", type=click.Choice(["moodle-xml", "gift"]), metavar="FORMAT")
@click.argument("bank", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="A new course folder (one module per category), or a module file NAME.md (one page "
    "per category; its pictures go to ../assets/). Default: a folder named after FILE.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Exit 1 when a question is not carried over or carried over with a difference (the "
    "Markdown is still written).",
)
@verbosity_options
def import_bank(fmt: str, bank: Path, output: Path | None, strict: bool) -> None:
    """Import a Moodle XML or GIFT question bank (FORMAT moodle-xml or gift) as ceforge
    Markdown (docs/banks.md).

    Reports on stderr every question not carried over, and why.
    """
    from ceforge.banks.importer import BankFormat, BankImportError
    from ceforge.banks.importer import import_bank as run_import

    try:
        imported = run_import(BankFormat(fmt), bank, output)
    except CourseError as exc:
        _bank_failed("import", exc.diagnostics, strict)
    except BankImportError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        _bank_failed("import", [], strict, f"cannot write {exc.filename or output}: "
                     f"{exc.strerror or exc}")
    _bank_done(imported.path, imported.questions, imported.diagnostics, strict)


def _bank_done(path: Path, questions: int, diagnostics: list[Diagnostic], strict: bool) -> None:
    """The report on stderr, the file written on stdout; exit 1 on warnings with --strict."""
    click.echo(format_text(shown(diagnostics, strict)), nl=False, err=True)
    _say(f"wrote {path} ({plural(questions, 'question')})")
    if diagnostics:
        log.info(summary(diagnostics))
    sys.exit(1 if strict and diagnostics else 0)


def _bank_failed(
    what: str, diagnostics: list[Diagnostic], strict: bool, failure: str | None = None
) -> NoReturn:
    click.echo(format_text(shown(diagnostics, strict)), nl=False, err=True)
    log.error(f"{what} failed: {failure or summary(diagnostics)}")
    sys.exit(1)


@main.command()
@click.argument("code")
@click.option(
    "--statements",
    "statements_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="FILE",
    help="The records: xAPI statements exported from the LRS (a JSON array, the LRS's answer "
    "with its \"statements\", or JSON lines).",
)
@click.option(
    "--lrs",
    "endpoint",
    metavar="ENDPOINT",
    help="The records: the completed statements of this LRS (https://…/xapi/), read with the "
    "credentials in CEFORGE_LRS_USERNAME and CEFORGE_LRS_PASSWORD.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="How to print the completion found.",
)
@verbosity_options
def certificate(code: str, statements_file: Path | None, endpoint: str | None, fmt: str) -> None:
    """Confirm a certificate: find the completion that carries its verification code CODE
    (ABCD-EFGH-JKLM) in the provider's records, and say whose it is, for which course and
    when. Exit 0 when a completion carries it, 1 when none does.

    What a confirmed code proves is in docs/authoring.md ("certificate")."""
    import json
    import os

    from ceforge.certificate import (
        RecordsError,
        find_completion,
        normalize_code,
        printed_code,
        read_statements,
    )
    from ceforge.xapi.delivery import LRSError, completed_statements, credentials_from
    from ceforge.xapi.vocabulary import record_extensions

    wanted = normalize_code(code)
    if wanted is None:
        raise click.BadParameter(
            f"{code!r} is not a verification code: 12 letters and digits (no 0, O, 1 or I), "
            "the last a check character; a typing mistake makes it fail",
            param_hint="CODE",
        )
    if (statements_file is None) == (endpoint is None):
        raise click.UsageError("give the records: --statements FILE or --lrs ENDPOINT")
    try:
        if statements_file is not None:
            where = str(statements_file)
            held = read_statements(statements_file.read_text(encoding="utf-8"), where)
        else:
            assert endpoint is not None
            where = endpoint
            held = completed_statements(endpoint, *credentials_from(os.environ))
    except (RecordsError, LRSError) as exc:
        log.error(f"error: {exc}")
        sys.exit(1)
    except (OSError, UnicodeDecodeError) as exc:
        log.error(f"{statements_file}: error: cannot read the file: {exc}")
        sys.exit(1)
    found = find_completion(wanted, held, record_extensions())
    if found is None:
        log.error(
            f"{printed_code(wanted)}: no completion in {where} carries this code "
            f"({plural(len(held), 'statement')} read): the certificate is not confirmed"
        )
        sys.exit(1)
    if fmt == "json":
        click.echo(json.dumps(found.as_json(), ensure_ascii=False, indent=2, sort_keys=True))
        return
    for label, value in found.lines():
        click.echo(f"{label}: {value}")


# The verification of a certificate is also where a provider keeps its records.
records.add_command(certificate, name="verify")
