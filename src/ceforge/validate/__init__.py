"""``ceforge validate``: inspect any SCORM, Tin Can or cmi5 package, ours or another tool's.

- ``archive``: the zip, read safely (no extraction, capped sizes, no unsafe names or links);
- ``xmlfile``: XML parsed without entities, DTDs or network;
- ``scorm``, ``tincan``, ``cmi5``: the checks of each kind of manifest;
- ``textscan``, ``apiscan``: static scans of pages and scripts (files nothing names, SCOs that
  never look for the API);
- ``check``: ``validate_package``, the ordered steps that tie them together, and its PackageReport;
- ``report``: the report as text or JSON; ``launch``: the optional run in Chromium.

The names below are imported when first asked for (PEP 562): a build that only needs
``findings`` (its ``PackageError``) does not import lxml and the checks with it.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ceforge.validate.archive import Limits
    from ceforge.validate.check import Expected, PackageReport, validate_package
    from ceforge.validate.findings import Finding, PackageError, Rule

__all__ = [
    "Expected", "Finding", "Limits", "PackageError", "PackageReport", "Rule", "validate_package",
]

_WHERE = {
    "Limits": "archive",
    "Expected": "check",
    "PackageReport": "check",
    "validate_package": "check",
    "Finding": "findings",
    "PackageError": "findings",
    "Rule": "findings",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_WHERE[name]}"), name)
