"""Install the test oracles: Debian's Chromium and Node.js, the npm validators, Ralph in its
own venv, and the official cmi5 CourseStructure.xsd.

``nox -s tests`` (and ``nox -s update-golden``) runs this before pytest, on a machine that may
have none of them. Each step says what it does, and does nothing when its oracle is already
there:

1. ``chromium``: ``apt-get install chromium`` when ``/usr/bin/chromium`` is missing (as root).
2. ``node``: ``apt-get install nodejs npm`` when ``node`` or ``npm`` is not on PATH (as root).
3. ``npm``: ``npm ci`` of ``tests/oracles/package.json`` and its lockfile into ``.oracles/``,
   skipped while ``.oracles/.npm-stamp`` holds the hash of those two files.
4. ``ralph``: ``.oracles/ralph-venv`` with Ralph (its pins clash with ours), skipped while
   the venv's stamp names the same requirements.
5. ``cmi5``: ``CourseStructure.xsd`` copied from the shared oracles folder beside the
   repository (``../shared/oracles/cmi5/``) into ``.oracles/cmi5/``, checked against the
   SHA-256 below; a file with another checksum is an error, wherever this runs.

An oracle this script cannot install (no root for apt-get, no ``npm``, no shared folder) is an
error in CI (``CI=true``, which ``.ci/run`` sets): CI must have every oracle. Elsewhere it says
so and goes on, and the tests that need that oracle are skipped with the reason. Both sides
decide with :func:`in_ci`; the tests ask for an oracle through ``tests/oracles/__init__.py``.

Only the standard library is used, so that this runs from any Python:
``python tests/oracles/install.py [--dest .oracles] [--shared ../shared/oracles] [--skip STEP]``.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DEFAULT_DEST = ROOT / ".oracles"
DEFAULT_SHARED = ROOT.parent / "shared" / "oracles"
CHROMIUM = Path("/usr/bin/chromium")
NPM_FILES = ("package.json", "package-lock.json")
NPM_STAMP = ".npm-stamp"
RALPH_VENV = "ralph-venv"
RALPH_REQUIREMENTS = ("ralph-malph[cli,lrs]==5.1.0", "requests")
RALPH_STAMP = ".ceforge-stamp"
#: The official cmi5 course structure schema (cmi5 quartz), where it comes from and goes to.
CMI5_XSD = Path("cmi5") / "CourseStructure.xsd"
CMI5_XSD_SHA256 = "6a0b04962f5baa4603ee28e84ce4c74a122f322a548c8fdc14d93b2a23781d75"
STEPS = ("chromium", "node", "npm", "ralph", "cmi5")


def in_ci(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether this runs in CI: ``CI`` is true (``.ci/run`` sets it, as CI services do)."""
    return environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def cannot_install(step: str, message: str) -> None:
    """An oracle is missing and cannot be installed here: an error in CI, a notice elsewhere."""
    if in_ci():
        raise SystemExit(f"oracles: {step}: {message}; CI (CI=true) must have every oracle")
    say(step, f"{message}; the tests that need it will be skipped")


def say(step: str, message: str) -> None:
    print(f"oracles: {step}: {message}", flush=True)


def run(
    step: str,
    command: Sequence[str | Path],
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> None:
    say(step, "$ " + " ".join(str(part) for part in command))
    subprocess.run([str(part) for part in command], cwd=cwd, env=env, check=True)


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def apt_install(step: str, *packages: str) -> None:
    env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    run(step, ["apt-get", "update"], env=env)
    run(step, ["apt-get", "install", "-y", "--no-install-recommends", *packages], env=env)


def install_chromium(chromium: Path = CHROMIUM) -> None:
    """Debian's Chromium, which Playwright drives (Playwright never downloads a browser here)."""
    if chromium.exists():
        say("chromium", f"present at {chromium}")
        return
    if not is_root():
        cannot_install("chromium", f"{chromium} is missing, and installing it with apt-get "
                       "needs root: run as root, or `apt-get install chromium` first")
        return
    apt_install("chromium", "chromium")
    if not chromium.exists():
        raise SystemExit(f"oracles: chromium: installed, yet {chromium} does not exist")


def install_node() -> None:
    """Node.js and npm from Debian, which run the npm oracles (and the runtime's unit tests)."""
    absent = [name for name in ("node", "npm") if shutil.which(name) is None]
    if not absent:
        say("node", f"present at {shutil.which('node')}")
        return
    if not is_root():
        cannot_install("node", f"{' and '.join(absent)} not on PATH, and installing them with "
                       "apt-get needs root: run as root, or `apt-get install nodejs npm` first")
        return
    apt_install("node", "nodejs", "npm")
    still = [name for name in ("node", "npm") if shutil.which(name) is None]
    if still:
        raise SystemExit(f"oracles: node: installed, yet {' and '.join(still)} not on PATH")


def npm_fingerprint(source: Path = HERE) -> str:
    digest = hashlib.sha256()
    for name in NPM_FILES:
        digest.update(name.encode() + b"\0" + (source / name).read_bytes() + b"\0")
    return digest.hexdigest()


def install_npm(dest: Path, source: Path = HERE) -> None:
    """The npm oracles, exactly as the committed lockfile pins them."""
    fingerprint = npm_fingerprint(source)
    stamp = dest / NPM_STAMP
    if (dest / "node_modules").is_dir() and stamp.is_file() and stamp.read_text() == fingerprint:
        say("npm", f"up to date in {dest / 'node_modules'}")
        return
    npm = shutil.which("npm")
    if npm is None:
        cannot_install("npm", "npm is not on PATH, so the npm oracles cannot be installed")
        return
    dest.mkdir(parents=True, exist_ok=True)
    stamp.unlink(missing_ok=True)
    for name in NPM_FILES:
        shutil.copyfile(source / name, dest / name)
    run("npm", [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=dest)
    stamp.write_text(fingerprint)


def ralph_fingerprint() -> str:
    return "\n".join([*RALPH_REQUIREMENTS, sys.version.split()[0]])


def install_ralph(dest: Path) -> None:
    """Ralph (an LRS and a strict xAPI model) in a venv of its own."""
    venv = dest / RALPH_VENV
    stamp = venv / RALPH_STAMP
    if stamp.is_file() and stamp.read_text() == ralph_fingerprint():
        say("ralph", f"up to date in {venv}")
        return
    if venv.exists():
        shutil.rmtree(venv)
    try:
        run("ralph", [sys.executable, "-m", "venv", venv])
        python = venv / "bin" / "python"
        run("ralph", [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                      *RALPH_REQUIREMENTS])
    except BaseException:
        shutil.rmtree(venv, ignore_errors=True)
        raise
    stamp.write_text(ralph_fingerprint())


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def install_cmi5_xsd(dest: Path, shared: Path = DEFAULT_SHARED) -> None:
    """The official cmi5 CourseStructure.xsd, copied from the shared oracles folder (it is
    never part of the repository) and checked against its SHA-256."""
    target = dest / CMI5_XSD
    if target.is_file() and sha256(target) == CMI5_XSD_SHA256:
        say("cmi5", f"up to date in {target}")
        return
    source = shared / CMI5_XSD
    if not source.is_file():
        cannot_install("cmi5", f"{source} is missing: the shared oracles folder must sit "
                       "beside the repository (../shared/oracles/)")
        return
    found = sha256(source)
    if found != CMI5_XSD_SHA256:
        raise SystemExit(f"oracles: cmi5: {source} has SHA-256 {found}, not the official "
                         f"schema's {CMI5_XSD_SHA256}; restore the official file")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    shutil.copyfile(source, partial)
    partial.replace(target)
    say("cmi5", f"copied {source} to {target}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dest", type=Path, default=DEFAULT_DEST,
                        help="folder of the npm oracles and Ralph's venv (default: .oracles)")
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED,
                        help="the shared oracles folder (default: ../shared/oracles)")
    parser.add_argument("--skip", action="append", choices=STEPS, default=[],
                        help="a step not to run (repeatable)")
    args = parser.parse_args(argv)
    dest = args.dest.resolve()
    steps = {
        "chromium": install_chromium,
        "node": install_node,
        "npm": lambda: install_npm(dest),
        "ralph": lambda: install_ralph(dest),
        "cmi5": lambda: install_cmi5_xsd(dest, args.shared.resolve()),
    }
    for step in STEPS:
        if step not in args.skip:
            steps[step]()
    return 0


if __name__ == "__main__":
    sys.exit(main())
