"""``ceforge validate --launch``: open the package headless in Chromium under the strict LMS
simulator of ``ceforge preview``, and report what its runtime does on launch.

The simulator and the headless run belong to ``ceforge.preview`` (``run_headless``); this
module only unpacks the package for it, into a temporary folder, from the members the checks
accepted (safe names, no links, every CRC verified, sizes within the limits), and then removes
the folder. Where Chromium, Playwright or the preview is missing, the outcome says so
(``unavailable``) and the validation itself stands; a package with errors is not launched.
"""

from __future__ import annotations

import importlib
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ceforge.validate.archive import Archive, Limits, open_archive
from ceforge.validate.check import Report
from ceforge.validate.findings import printable

#: The standard the simulator runs, by the kind of package validate found.
STANDARDS = {
    "scorm12": "scorm12",
    "scorm2004-2nd": "scorm2004",
    "scorm2004-3rd": "scorm2004",
    "scorm2004-4th": "scorm2004",
    "tincan": "tincan",
    "cmi5": "cmi5",
    "web": "web",
}


@dataclass
class LaunchOutcome:
    """What happened when the package was launched (``ran``), or why it was not
    (``unavailable``: a tool is missing; ``skipped``: the package cannot be launched)."""

    status: str
    reason: str = ""
    #: The preview's LaunchReport, when the launch ran.
    report: Any = None

    @property
    def failed(self) -> bool:
        """The runtime misbehaved under the simulator: API errors, no terminate, bad
        statements, uncaught errors."""
        return self.status == "ran" and bool(self.report.failed)

    def lines(self) -> list[str]:
        """One line per fact, control characters escaped (what a package logs is untrusted)."""
        if self.status != "ran":
            return [printable(f"launch {self.status}: {self.reason}")]
        return [printable(str(line)) for line in self.report.lines()]

    def as_dict(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"status": self.status, "reason": self.reason}
        if self.status == "ran":
            doc |= self.report.to_json()
            doc["failed"] = self.failed
        return doc


def launch(package: Path, report: Report, limits: Limits | None = None) -> LaunchOutcome:
    """Launch the checked ``package`` headless under the strict simulator."""
    standard = STANDARDS.get(report.kind.split("+")[0])
    if standard is None:
        return LaunchOutcome("skipped", f"a package of kind {report.kind!r} cannot be launched")
    if report.errors:
        return LaunchOutcome("skipped", "the package has errors; fix them, then launch it")
    try:
        headless = importlib.import_module("ceforge.preview.launch")
    except ImportError as exc:
        return LaunchOutcome("unavailable", f"the strict LMS simulator cannot load: {exc}")
    chromium = headless.chromium_executable()
    if chromium is None or not Path(chromium).is_file():
        return LaunchOutcome(
            "unavailable",
            "needs Chromium: install it (apt install chromium) or set CEFORGE_CHROMIUM",
        )
    archive, _problems = open_archive(package, limits or Limits())
    if archive is None:
        return LaunchOutcome("skipped", "the zip cannot be read")
    with tempfile.TemporaryDirectory(prefix="ceforge-launch-") as tmp:
        folder = Path(tmp) / "package"
        try:
            unpack(archive, folder)
        finally:
            archive.close()
        result = headless.run_headless(folder, standard)
    if result.failure:
        return LaunchOutcome("unavailable", str(result.failure))
    return LaunchOutcome("ran", report=result)


def unpack(archive: Archive, folder: Path) -> list[str]:
    """Write the members the checks accept under ``folder`` (inside a temporary directory):
    safe relative names only (checked again here), no links, each member streamed and its CRC
    verified. Returns the members written."""
    archive.verify()
    root = folder.resolve()
    root.mkdir(parents=True, exist_ok=False)
    written = []
    for name in sorted(archive.members):
        if name in archive.unreadable:
            continue
        target = (root / name).resolve()
        if root not in target.parents:
            continue
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("xb") as out:
                for chunk in archive.chunks(name):
                    out.write(chunk)
        except OSError:
            continue  # a name that is also a folder, or a case clash on this filesystem
        if name in archive.unreadable:
            target.unlink()
        else:
            written.append(name)
    return written
