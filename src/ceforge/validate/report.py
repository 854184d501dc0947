"""A package's report as people and CI read it: one line per finding, or one JSON document.

Text: ``imsmanifest.xml:12: error: identifierref "r9" names no resource [cp.dangling-ref]``
per finding, then (for the standard error) a summary naming what the package is. JSON: the
same fields as ``ceforge check --format json`` (``diagnostics``, ``errors``, ``warnings``) plus
what the package is, the notes on how it was checked, and the launch when one was run.
"""

from __future__ import annotations

import json
from typing import Any

from ceforge.validate.check import PackageReport


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def report_text(report: PackageReport) -> str:
    return "".join(f"{finding}\n" for finding in report.findings)


def report_summary(report: PackageReport, strict: bool = False) -> str:
    """``course.zip: SCORM 1.2, 31 files: 1 error, 2 warnings`` (or ``: OK``), then the notes;
    with ``strict`` and warnings alone, that they failed it."""
    what = report.label if report.kind != "unknown" else "unknown kind"
    head = f"{report.package}: {what}, {_plural(report.members, 'file')}"
    if report.findings:
        counts = f"{_plural(len(report.errors), 'error')}, "
        counts += _plural(len(report.warnings), "warning")
        if strict and not report.errors:
            counts += " (--strict counts warnings as errors)"
    else:
        counts = "OK"
    notes = "".join(f"\n  note: {note}" for note in report.notes)
    return f"{head}: {counts}{notes}"


def report_dict(report: PackageReport, launch: dict[str, Any] | None = None) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "package": report.package,
        "kind": report.kind,
        "label": report.label,
        "notes": report.notes,
        "members": report.members,
        "diagnostics": [finding.as_dict() for finding in report.findings],
        "errors": len(report.errors),
        "warnings": len(report.warnings),
    }
    if launch is not None:
        doc["launch"] = launch
    return doc


def report_json(report: PackageReport, launch: dict[str, Any] | None = None) -> str:
    return json.dumps(report_dict(report, launch), indent=2, ensure_ascii=False) + "\n"
