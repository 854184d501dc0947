"""``ceforge validate``: inspect any SCORM, Tin Can or cmi5 package, ours or another tool's.

- ``archive``: the zip, read safely (no extraction, capped sizes, no unsafe names or links);
- ``xmlfile``: XML parsed without entities, DTDs or network;
- ``scorm``, ``tincan``, ``cmi5``: the checks of each kind of manifest;
- ``textscan``, ``apiscan``: static scans of pages and scripts (files nothing names, SCOs that
  never look for the API);
- ``check``: ``validate_package``, the ordered steps that tie them together, and its PackageReport;
- ``report``: the report as text or JSON; ``launch``: the optional run in Chromium.
"""

from __future__ import annotations

from ceforge.validate.archive import Limits
from ceforge.validate.check import Expected, PackageReport, validate_package
from ceforge.validate.findings import Finding, PackageError, Rule

__all__ = [
    "Expected", "Finding", "Limits", "PackageError", "PackageReport", "Rule", "validate_package",
]
