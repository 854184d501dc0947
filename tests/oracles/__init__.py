"""Where the test oracles are, and how a test asks for one.

``nox -s tests`` installs them (``install.py``) and tells pytest where they are through
``CEFORGE_ORACLES`` (the ``.oracles`` folder) and ``CEFORGE_CHROMIUM``. A test asks for an
oracle through one of the functions below (``chromium_path``, ``node_module``, ``node``,
``ralph_python``, ``cmi5_xsd``, ``cmi5_schema``); each calls :func:`missing` when its oracle
is absent, which fails the test in CI (``CI=true``, as ``.ci/run`` sets it: every oracle must
be installed) and skips it elsewhere, with the reason, so that a bare ``pytest`` on a laptop
still runs the rest. The installer decides with the same :func:`~oracles.install.in_ci`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path
from typing import Any, NoReturn

import pytest
from lxml import etree

from oracles.install import CHROMIUM, CMI5_XSD, CMI5_XSD_SHA256, DEFAULT_DEST, RALPH_VENV, in_ci
from oracles.install import sha256 as file_sha256

NODE_TIMEOUT = 60.0

# Runs a script body as an async function with the JSON payload bound to ``input``, and writes
# what it returns, as JSON, to the file named by CEFORGE_NODE_OUT (stdout stays the script's).
_NODE_WRAPPER = """\
const fs = require('fs');
const input = JSON.parse(fs.readFileSync(0, 'utf8'));
(async () => {
%s
})().then(
  (result) => fs.writeFileSync(process.env.CEFORGE_NODE_OUT,
                               JSON.stringify(result === undefined ? null : result)),
  (error) => { console.error(error && error.stack || error); process.exit(1); },
);
"""


def missing(what: str, hint: str = "run `nox -s tests`, which installs it") -> NoReturn:
    """A needed oracle is absent: fail in CI, skip elsewhere."""
    message = f"{what} is missing; {hint}"
    if in_ci():
        pytest.fail(f"CI (CI=true) must have every oracle: {message}", pytrace=False)
    pytest.skip(message)


def oracles_dir() -> Path:
    return Path(os.environ.get("CEFORGE_ORACLES") or DEFAULT_DEST).resolve()


def chromium_path() -> Path:
    """The browser Playwright drives: never one that Playwright downloaded."""
    path = Path(os.environ.get("CEFORGE_CHROMIUM") or CHROMIUM)
    if not path.is_file():
        missing(f"Chromium ({path})", "install Debian's chromium, or run `nox -s tests` as root")
    return path


def node_module(name: str) -> Path:
    """The folder of an installed npm oracle, e.g. ``node_module("axe-core")``."""
    path = oracles_dir() / "node_modules" / name
    if not (path / "package.json").is_file():
        missing(f"the npm oracle {name} ({path})")
    return path


def ralph_python() -> Path:
    """The Python of Ralph's own venv."""
    path = oracles_dir() / RALPH_VENV / "bin" / "python"
    if not path.is_file():
        missing(f"Ralph's venv ({path.parent.parent})")
    return path


def cmi5_xsd() -> Path:
    """The official cmi5 CourseStructure.xsd, as the installer copied and checked it."""
    path = oracles_dir() / CMI5_XSD
    if not path.is_file():
        missing(f"the official cmi5 CourseStructure.xsd ({path})",
                "run `nox -s tests`, which copies it from ../shared/oracles/cmi5/")
    if file_sha256(path) != CMI5_XSD_SHA256:
        pytest.fail(f"{path} is not the official cmi5 CourseStructure.xsd (SHA-256 differs); "
                    "delete it and run `nox -s tests`", pytrace=False)
    return path


@cache
def cmi5_schema() -> etree.XMLSchema:
    """The official cmi5 CourseStructure.xsd, compiled (once) without network access."""
    return etree.XMLSchema(etree.parse(str(cmi5_xsd()), etree.XMLParser(no_network=True)))


def node(script: str, data: Any = None, *, timeout: float = NODE_TIMEOUT) -> Any:
    """Run ``script``, the body of an async function that sees ``data`` as ``input``, in node
    with the npm oracles on ``require``'s path; return what the script returns (via JSON).

    For example ``node("return require('axe-core').version")``.
    """
    executable = shutil.which("node")
    if executable is None:
        missing("node")
    modules = oracles_dir() / "node_modules"
    if not modules.is_dir():
        missing(f"the npm oracles ({modules})")
    with tempfile.TemporaryDirectory(prefix="ceforge-node-") as tmp:
        out = Path(tmp) / "result.json"
        env = os.environ | {"NODE_PATH": str(modules), "CEFORGE_NODE_OUT": str(out)}
        done = subprocess.run(
            [executable, "-e", _NODE_WRAPPER % script],
            input=json.dumps(data), capture_output=True, text=True, cwd=modules.parent,
            env=env, timeout=timeout, check=False,
        )
        if done.returncode != 0 or not out.is_file():
            raise AssertionError(
                f"node exited with {done.returncode}\n--- stdout\n{done.stdout}"
                f"\n--- stderr\n{done.stderr}"
            )
        return json.loads(out.read_text(encoding="utf-8"))
