"""ceforge's sessions. `nox` alone runs what CI runs: tests, js, lint and types."""

from __future__ import annotations

import os
from pathlib import Path

import nox

nox.options.sessions = ["tests", "js", "lint", "types"]
nox.options.reuse_venv = "yes"

PYPROJECT = nox.project.load_toml("pyproject.toml")
ORACLES = Path(__file__).resolve().parent / ".oracles"  # ignored by git; see tests/oracles/
CHROMIUM = os.environ.get("CEFORGE_CHROMIUM", "/usr/bin/chromium")
ESLINT_PATHS = ("src/ceforge/runtime", "src/ceforge/preview/static", "tests/js", "eslint.config.js")


def _install(session: nox.Session, *groups: str) -> None:
    session.install(".")
    for group in groups:
        session.install(*nox.project.dependency_groups(PYPROJECT, group))


def _with_oracles(session: nox.Session) -> dict[str, str]:
    """ceforge and the test dependencies, then the oracles; the environment pytest needs.

    tests/oracles/install.py brings Debian's Chromium and Node.js (as root), the npm
    validators, Ralph's venv and the cmi5 XSD into .oracles/, each only when missing;
    Playwright never downloads a browser. With CI=true (.ci/run sets it), an oracle it
    cannot install fails the session here, and a test that finds one missing fails too.
    """
    session.env["PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD"] = "1"
    _install(session, "test")
    session.run("python", "tests/oracles/install.py", "--dest", str(ORACLES))
    return {
        "PYTHONHASHSEED": "0",
        "CEFORGE_ORACLES": str(ORACLES),
        "CEFORGE_CHROMIUM": CHROMIUM,
    }


@nox.session
def tests(session: nox.Session) -> None:
    """The whole test suite (browser and LRS tests included), after installing its oracles."""
    env = _with_oracles(session)
    session.run("pytest", *session.posargs, env=env)


@nox.session(python=False)
def js(session: nox.Session) -> None:
    """The JavaScript unit tests, in node without a browser: every tests/js/*.test.js."""
    files = sorted(str(path) for path in Path("tests/js").glob("*.test.js"))
    session.run("node", "--test", *files, external=True)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff over the Python; ESLint (eslint.config.js) over the learner runtime, the preview's
    pages and the runtime's unit tests, installed from tests/oracles/package.json first."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", "src", "tests", "benchmarks", "noxfile.py")
    session.run("python", "tests/oracles/install.py", "--dest", str(ORACLES),
                "--skip", "chromium", "--skip", "ralph", "--skip", "cmi5")
    modules = ORACLES / "node_modules"
    session.run(str(modules / ".bin" / "eslint"), "--max-warnings", "0", *ESLINT_PATHS,
                external=True, env={"NODE_PATH": str(modules)})


@nox.session
def types(session: nox.Session) -> None:
    """mypy, strict, on src/."""
    _install(session, "types")
    session.run("mypy")


@nox.session
def bench(session: nox.Session) -> None:
    """benchmarks/build.py (arguments after -- go to it), with MkDocs installed to compare."""
    _install(session, "bench")
    session.run("python", "benchmarks/build.py", *session.posargs)


@nox.session(name="bench-runtime")
def bench_runtime(session: nox.Session) -> None:
    """benchmarks/runtime.py: first contentful paint of built courses in Chromium."""
    session.env["PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD"] = "1"
    _install(session, "bench")
    session.run("python", "benchmarks/runtime.py", *session.posargs, env={
        "CEFORGE_CHROMIUM": CHROMIUM,
    })


@nox.session(name="update-golden")
def update_golden(session: nox.Session) -> None:
    """Regenerate every golden file, browser goldens included, from the current code; review
    the diff. Runs the tests marked ``golden`` (those of a module that uses assert_golden)."""
    env = _with_oracles(session)
    # session.run passes the outer environment (CI included) through.
    session.run("pytest", "-q", "-m", "golden", *session.posargs,
                env=env | {"CEFORGE_UPDATE_GOLDEN": "1"})
