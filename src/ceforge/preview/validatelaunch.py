"""``ceforge validate --launch``: open the package headless in Chromium under the strict LMS
simulator of ``ceforge preview``, and report what its runtime does on launch: each unit (SCO,
AU, Tin Can activity) in turn, at most ``MAX_UNITS`` of them.

``ceforge validate`` checks the package first (``ceforge.validate``); this module then unpacks
it for ``run_headless_units``, into a temporary folder, from the members the checks accepted
(safe names, no links, every CRC verified, sizes within the limits), and removes the folder
afterwards. Where Chromium or Playwright is missing, the outcome says so (``unavailable``) and
the validation itself stands; a package with errors is not launched.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ceforge.preview.launch import chromium_executable, run_headless_units
from ceforge.validate.archive import Archive, Limits, open_archive
from ceforge.validate.check import PackageReport
from ceforge.validate.contents import PackageContents
from ceforge.validate.findings import printable

#: At most this many units (SCOs, AUs) are launched; a line says how many were left out.
MAX_UNITS = 50


@dataclass
class UnitLaunch:
    """One unit of the package (SCO, AU, Tin Can activity) and what its launch did."""

    id: str
    title: str
    #: The preview's LaunchReport of this unit.
    report: Any


@dataclass
class LaunchOutcome:
    """What happened when the package's units were launched (``ran``), or why they were not
    (``unavailable``: a tool is missing; ``skipped``: the package cannot be launched)."""

    status: str
    reason: str = ""
    #: Each unit launched, in the package's order, when the launch ran.
    units: list[UnitLaunch] = field(default_factory=list)
    #: How many units were not launched (beyond ``MAX_UNITS``).
    left_out: int = 0

    @property
    def report(self) -> Any:
        """The first unit's LaunchReport (what ``--launch`` reported before it launched every
        unit)."""
        return self.units[0].report if self.units else None

    @property
    def failed(self) -> bool:
        """The runtime misbehaved under the simulator in any unit: API errors, no terminate,
        bad statements, uncaught errors."""
        return self.status == "ran" and any(unit.report.failed for unit in self.units)

    def lines(self) -> list[str]:
        """One line per fact, control characters escaped (what a package logs is untrusted);
        with several units, a block for each headed by its id and title."""
        if self.status != "ran":
            return [printable(f"launch {self.status}: {self.reason}")]
        if len(self.units) == 1 and not self.left_out:
            return [printable(str(line)) for line in self.report.lines()]
        out = []
        for number, unit in enumerate(self.units, 1):
            out.append(printable(f"launch unit {number}/{len(self.units) + self.left_out}: "
                                 f"{unit.id} ({unit.title})"))
            out += [printable(f"  {line}") for line in unit.report.lines()]
        if self.left_out:
            out.append(f"launch: {self.left_out} more units not launched "
                       f"(at most {MAX_UNITS} are)")
        return out

    def as_dict(self) -> dict[str, Any]:
        """The first unit's report at the top level (as before), ``failed`` over every unit,
        and ``units``: one entry per unit launched."""
        doc: dict[str, Any] = {"status": self.status, "reason": self.reason}
        if self.status == "ran":
            doc |= self.report.to_json()
            doc["failed"] = self.failed
            doc["units"] = [{"id": unit.id, "title": unit.title} | unit.report.to_json()
                            for unit in self.units]
            doc["units_left_out"] = self.left_out
        return doc


def launch(package: Path, report: PackageReport, limits: Limits | None = None) -> LaunchOutcome:
    """Launch each unit of the checked ``package`` headless under the strict simulator: the
    units of what validate read of it (``report.contents``: of a package with several
    manifests, the first kind's)."""
    if not report.contents:
        return LaunchOutcome("skipped", f"a package of kind {report.kind!r} cannot be launched")
    if report.errors:
        return LaunchOutcome("skipped", "the package has errors; fix them, then launch it")
    chromium = chromium_executable()
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
        return _launch_units(folder, report.contents[0])


def _launch_units(folder: Path, contents: PackageContents) -> LaunchOutcome:
    """Launch the first ``MAX_UNITS`` units of the package unpacked in ``folder``."""
    units = contents.units
    if not units:
        return LaunchOutcome("unavailable",
                             f"the {contents.standard} package names nothing to launch")
    chosen = units[:MAX_UNITS]
    results = run_headless_units(folder, contents.standard, [unit.id for unit in chosen],
                                 contents=contents)
    failure = next((result.failure for result in results if result.failure), None)
    if failure:
        return LaunchOutcome("unavailable", str(failure))
    return LaunchOutcome(
        "ran",
        units=[UnitLaunch(unit.id, unit.title, result)
               for unit, result in zip(chosen, results, strict=True)],
        left_out=len(units) - len(chosen),
    )


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
