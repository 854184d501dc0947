"""ceforge's sessions. `nox` alone runs what CI runs: tests, lint and types."""

from __future__ import annotations

import os

import nox

nox.options.sessions = ["tests", "lint", "types"]
nox.options.reuse_venv = "yes"

PYPROJECT = nox.project.load_toml("pyproject.toml")


def _install(session: nox.Session, *groups: str) -> None:
    session.install(".")
    for group in groups:
        session.install(*nox.project.dependency_groups(PYPROJECT, group))


@nox.session
def tests(session: nox.Session) -> None:
    """The whole test suite (browser and LRS tests included)."""
    _install(session, "test")
    session.run("pytest", *session.posargs, env={"PYTHONHASHSEED": "0"})


@nox.session
def lint(session: nox.Session) -> None:
    """ruff over the sources, tests and benchmarks."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", "src", "tests", "noxfile.py")


@nox.session
def types(session: nox.Session) -> None:
    """mypy, strict, on src/."""
    _install(session, "types")
    session.run("mypy")


@nox.session(name="update-golden")
def update_golden(session: nox.Session) -> None:
    """Regenerate the golden files of the tests from the current code; review the diff."""
    _install(session, "test")
    session.run("pytest", "tests", "-q", "-m", "not browser",
                env={"CEFORGE_UPDATE_GOLDEN": "1", **({"CI": os.environ["CI"]} if "CI" in os.environ else {})})
