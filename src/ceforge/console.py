"""What the commands print besides their results: the ``ceforge`` log on stderr, at the level
``-q/--quiet`` and ``-v/--verbose`` choose, and the JSON document of ``ceforge build``.

The library says what it does through the ``ceforge`` logger: a line per stage at INFO
(``reading 200 modules``, ``rendering scorm12``), figures at DEBUG (timings, module cache
hits). A command shows INFO and above; ``--quiet`` only errors; ``--verbose`` everything.
stdout carries only a command's results (diagnostics, paths written, JSON, statements), so
that it can be piped.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ceforge.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from ceforge.build import Built, Timings

LOGGER = "ceforge"
#: The loggers of the build pipeline's stages.
PIPELINE = ("ceforge.loader", "ceforge.build")
#: The version of the JSON document of ``ceforge build --format json``; it changes only when
#: a key is removed or changes meaning (keys may be added).
BUILD_JSON_VERSION = 1

F = TypeVar("F", bound=Callable[..., Any])


class EchoHandler(logging.Handler):
    """Log records as lines on stderr, through click (so that tests capture them)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            click.echo(record.getMessage(), err=True)
        except Exception:  # a logging handler must not raise
            self.handleError(record)


def _set_level(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """The callback of ``--quiet`` and ``--verbose``: the level of the ``ceforge`` logger for
    this command (the two exclude each other), and its handler until the command ends."""
    chosen = ctx.meta.setdefault("ceforge.verbosity", set())
    if value:
        chosen.add(param.name)
    if chosen >= {"quiet", "verbose"}:
        raise click.UsageError("-q/--quiet and -v/--verbose exclude each other", ctx)
    level = logging.INFO
    if "quiet" in chosen:
        level = logging.ERROR
    elif "verbose" in chosen:
        level = logging.DEBUG
    logger = logging.getLogger(LOGGER)
    if not any(isinstance(h, EchoHandler) for h in logger.handlers):
        handler = EchoHandler()
        logger.addHandler(handler)
        previous = logger.level

        def restore() -> None:
            logger.removeHandler(handler)
            logger.setLevel(previous)

        ctx.call_on_close(restore)
    logger.setLevel(level)


def verbosity_options(command: F) -> F:
    """``-q/--quiet`` and ``-v/--verbose``, for every command."""
    quiet = click.option(
        "-q",
        "--quiet",
        is_flag=True,
        expose_value=False,
        callback=_set_level,
        help="Print only errors.",
    )
    verbose = click.option(
        "-v",
        "--verbose",
        is_flag=True,
        expose_value=False,
        callback=_set_level,
        help="Also print details: timings, module cache hits, each step.",
    )
    return quiet(verbose(command))


def quiet() -> bool:
    """Whether this command prints only errors (``--quiet``)."""
    return not logging.getLogger(LOGGER).isEnabledFor(logging.INFO)


def stages_only_when_verbose() -> None:
    """For a command that builds again and again (``preview``): the pipeline's stage lines
    show only with ``--verbose``, until the command ends."""
    ctx = click.get_current_context()
    if logging.getLogger(LOGGER).isEnabledFor(logging.DEBUG):
        return
    for name in PIPELINE:
        logger = logging.getLogger(name)
        ctx.call_on_close(lambda logger=logger, level=logger.level: logger.setLevel(level))
        logger.setLevel(logging.WARNING)


def shown(diagnostics: list[Diagnostic], strict: bool) -> list[Diagnostic]:
    """The diagnostics to print: all of them; with ``--quiet``, only those that fail the
    command (errors, and warnings under ``--strict``)."""
    if not quiet():
        return diagnostics
    return [d for d in diagnostics if strict or d.severity is Severity.ERROR]


def build_document(
    diagnostics: list[Diagnostic],
    built: Built | None = None,
    *,
    failure: str | None = None,
    seconds: float = 0.0,
) -> str:
    """The JSON document of ``ceforge build --format json`` (docs/cli.md describes it): what
    a build reported, wrote and spent. ``built`` is None when the build failed; ``failure``
    then says why when no diagnostic does (an invalid package, an unwritable folder)."""
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    doc: dict[str, Any] = {
        "version": BUILD_JSON_VERSION,
        "success": built is not None,
        "diagnostics": [d.as_dict() for d in diagnostics],
        "errors": errors,
        "warnings": len(diagnostics) - errors,
        "packages": [
            {"target": p.target, "path": str(p.path), "bytes": p.bytes}
            for p in (built.packages if built else [])
        ],
        "timings": _timings(built.timings) if built else {"total": round(seconds, 3)},
        "failure": failure,
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _timings(timings: Timings) -> dict[str, Any]:
    """``read``, ``check``, then per target ``render``, ``write`` and (zip targets)
    ``verify``, then ``commit`` and ``total``: seconds, to the millisecond."""
    flat = {name: round(seconds, 3) for name, seconds in timings.seconds.items()}
    targets: dict[str, dict[str, float]] = {}
    for name, seconds in flat.items():
        stage, _, target = name.partition(" ")
        if target:
            targets.setdefault(target, {})[stage] = seconds
    return {
        "read": flat.get("read", 0.0),
        "check": flat.get("check", 0.0),
        "targets": targets,
        "commit": flat.get("commit", 0.0),
        "total": flat.get("total", 0.0),
    }
