"""The ``ceforge`` command line: parse options, call the library, print. Nothing else."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ceforge import __version__
from ceforge.build import build as build_course
from ceforge.build import check_course_folder
from ceforge.diagnostics import CourseError, Severity, format_json, format_text, summary
from ceforge.scaffold import ScaffoldError, new_course
from ceforge.targets.base import available_targets

course_argument = click.argument(
    "course", type=click.Path(file_okay=False, path_type=Path), metavar="COURSE"
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ceforge")
def main() -> None:
    """Compile Markdown continuing-education courses into SCORM, xAPI, cmi5 and web packages."""


def _require_course(course: Path) -> None:
    if not course.is_dir():
        raise click.UsageError(f"{course}: no such course folder")


@main.command()
@course_argument
@click.option("--strict", is_flag=True, help="Count warnings as errors.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format of the diagnostics.",
)
def check(course: Path, strict: bool, fmt: str) -> None:
    """Read and check a course; print every problem. Exit 1 on errors."""
    _require_course(course)
    result = check_course_folder(course)
    diagnostics = result.diagnostics
    failed = any(
        d.severity is Severity.ERROR or (strict and d.severity is Severity.WARNING)
        for d in diagnostics
    )
    if fmt == "json":
        click.echo(format_json(diagnostics), nl=False)
    else:
        click.echo(format_text(diagnostics), nl=False)
        if diagnostics:
            click.echo(summary(diagnostics), err=True)
        elif result.course is not None:
            c = result.course
            click.echo(
                f"{course}: OK ({len(c.modules)} modules, "
                f"{sum(len(m.pages) for m in c.modules)} pages, "
                f"{len(c.questions)} questions)",
                err=True,
            )
    sys.exit(1 if failed else 0)


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--title", help="The course title (default: from the folder name).")
def new(directory: Path, title: str | None) -> None:
    """Create a new course, ready to check and build, in DIRECTORY."""
    try:
        files = new_course(directory, title)
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"created {directory} ({len(files)} files); next: ceforge check {directory}")


@main.command()
@course_argument
@click.option(
    "-t",
    "--target",
    "targets",
    multiple=True,
    metavar="NAME",
    help="A target to build (repeatable); 'all' for every target. Default: web.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("dist"),
    show_default=True,
    help="Output folder.",
)
@click.option("--zip", "zip_folders", is_flag=True, help="Also zip folder targets (web).")
def build(course: Path, targets: tuple[str, ...], output: Path, zip_folders: bool) -> None:
    """Build packages of a course."""
    _require_course(course)
    known = available_targets()
    if not known:
        raise click.ClickException("no target is available in this version of ceforge yet")
    names = list(targets) or (["web"] if "web" in known else [next(iter(known))])
    if "all" in names:
        names = list(known)
    for name in names:
        if name not in known:
            raise click.BadParameter(
                f"unknown target {name!r}; choose from: {', '.join(known)}, all",
                param_hint="--target",
            )
    try:
        written = build_course(course, list(dict.fromkeys(names)), output, zip_folders=zip_folders)
    except CourseError as exc:
        click.echo(format_text(exc.diagnostics), nl=False, err=True)
        click.echo(f"build failed: {summary(exc.diagnostics)}", err=True)
        sys.exit(1)
    for path in written:
        click.echo(f"wrote {path}")
