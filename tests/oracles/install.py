"""Install the test oracles: Debian's Chromium, the npm validators, and Ralph in its own venv.

``nox -s tests`` runs this before pytest, on a machine that may have none of them. Each step
says what it does, and does nothing when its oracle is already there:

1. ``chromium``: ``apt-get install chromium`` when ``/usr/bin/chromium`` is missing (as root
   only; otherwise the browser tests decide whether that is a skip or a failure).
2. ``npm``: ``npm ci`` of ``tests/oracles/package.json`` and its lockfile into ``.oracles/``,
   skipped while ``.oracles/.npm-stamp`` holds the hash of those two files.
3. ``ralph``: ``.oracles/ralph-venv`` with Ralph (its pins clash with ours), skipped while
   the venv's stamp names the same requirements.

Only the standard library is used, so that this runs from any Python:
``python tests/oracles/install.py [--dest .oracles] [--skip STEP]``.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DEFAULT_DEST = ROOT / ".oracles"
CHROMIUM = Path("/usr/bin/chromium")
NPM_FILES = ("package.json", "package-lock.json")
NPM_STAMP = ".npm-stamp"
RALPH_VENV = "ralph-venv"
RALPH_REQUIREMENTS = ("ralph-malph[cli,lrs]==5.1.0", "requests")
RALPH_STAMP = ".ceforge-stamp"
STEPS = ("chromium", "npm", "ralph")


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


def install_chromium(chromium: Path = CHROMIUM) -> None:
    """Debian's Chromium, which Playwright drives (Playwright never downloads a browser here)."""
    if chromium.exists():
        say("chromium", f"present at {chromium}")
        return
    if not is_root():
        say("chromium", f"{chromium} is missing and this is not root: not installing it")
        return
    env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    run("chromium", ["apt-get", "update"], env=env)
    run("chromium", ["apt-get", "install", "-y", "--no-install-recommends", "chromium"], env=env)
    if not chromium.exists():
        raise SystemExit(f"oracles: chromium: installed, yet {chromium} does not exist")


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
        say("npm", "npm is not on PATH: not installing the npm oracles")
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dest", type=Path, default=DEFAULT_DEST,
                        help="folder of the npm oracles and Ralph's venv (default: .oracles)")
    parser.add_argument("--skip", action="append", choices=STEPS, default=[],
                        help="a step not to run (repeatable)")
    args = parser.parse_args(argv)
    dest = args.dest.resolve()
    if "chromium" not in args.skip:
        install_chromium()
    if "npm" not in args.skip:
        install_npm(dest)
    if "ralph" not in args.skip:
        install_ralph(dest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
