"""Checks of a package ceforge built: the same checks as ``ceforge validate``, one implementation.

The build runs :func:`verify_package` on each zip it writes, as the kind of package its target
names (``Target.package_kind``), and refuses a package with errors (warnings are for packages of
other tools: ceforge's own have none). The checks themselves live in :mod:`ceforge.validate`.
"""

from __future__ import annotations

from pathlib import Path

from ceforge.validate.archive import Limits
from ceforge.validate.check import Expected, expected_of, validate_package
from ceforge.validate.findings import Finding, PackageError, Rule
from ceforge.validate.scorm import RULES

__all__ = ["RULES", "Finding", "PackageError", "Rule", "verify_package", "verify_zip"]

#: What a package ceforge has just written is read within: the size of its course (a long
#: video course may pass a gigabyte) and the compression of its files (an author's silent
#: WAV compresses far) are the author's business, not signs of a zip bomb.
OWN_PACKAGE = Limits(max_total=1 << 62, max_ratio=1 << 62)


def verify_zip(path: Path, edition: Expected = None, errors_only: bool = False) -> list[Finding]:
    """Every problem of the package at ``path``; ``edition`` is what the package must be (a
    SCORM edition, ``"tincan"`` or ``"cmi5"``), or None to take what the package declares.
    ``errors_only`` leaves out the checks that can only warn: the build, which refuses a
    package for its errors alone, spares them (the tests hold ceforge's packages to none)."""
    return validate_package(path, edition, OWN_PACKAGE, errors_only=errors_only).findings


def verify_package(path: Path, kind: str) -> list[Finding]:
    """The errors of the package the build wrote at ``path`` as ``kind`` (a kind of package as
    ``ceforge validate`` names it: ``scorm12``, ``scorm2004-4th``, ``tincan``, ``cmi5``…)."""
    return verify_zip(path, expected_of(kind), errors_only=True)
