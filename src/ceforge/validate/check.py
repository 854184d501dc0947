"""``validate_package``: what a package is, and everything wrong with it.

The checks are a list of named steps (:data:`STEPS`) over one :class:`Context`: read every
member (CRCs, bombs), find the manifests at the root, check each (SCORM, Tin Can, cmi5), then
what LMSs trip on (paths, SCOs that never look for the API, files nothing names). The build
runs the same function on each package it writes, through ``ceforge.verify.verify_zip``.
"""

from __future__ import annotations

import logging
import posixpath
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ceforge.diagnostics import Severity
from ceforge.pathrules import path_problems
from ceforge.scormspec import SCORM12, SCORM2004_3RD, SCORM2004_4TH, Edition
from ceforge.validate.apiscan import launch_pages_look_for_the_api
from ceforge.validate.archive import Archive, Limits, open_archive, size_text
from ceforge.validate.cmi5 import check_cmi5
from ceforge.validate.contents import WEB_CONTENTS, PackageContents, scorm_contents
from ceforge.validate.findings import Finding, Rule, finding
from ceforge.validate.scorm import MANIFEST as SCORM_MANIFEST
from ceforge.validate.scorm import (
    SCORM2004_2ND,
    Manifest,
    check_manifest,
    edition_note,
    mastery_note,
    metadata_note,
)
from ceforge.validate.textscan import Scanner
from ceforge.validate.tincan import check_tincan
from ceforge.xapispec import CMI5_MANIFEST, TINCAN_MANIFEST

#: What a package must be: a SCORM edition, "tincan" or "cmi5"; None: whatever it says.
Expected = Edition | Literal["tincan", "cmi5"] | None

KINDS = {
    SCORM12: "scorm12",
    SCORM2004_2ND: "scorm2004-2nd",
    SCORM2004_3RD: "scorm2004-3rd",
    SCORM2004_4TH: "scorm2004-4th",
}
#: What a package of each kind must be, for ``validate_package(expect=…)``.
EXPECTED: dict[str, Expected] = {kind: edition for edition, kind in KINDS.items()} | {
    "tincan": "tincan",
    "cmi5": "cmi5",
}
WEB_PAGE = "index.html"
#: The kind of a package whose manifest could not be read.
UNREADABLE = "unreadable"
#: The schema files of every SCORM edition: a zip with one at its root lost its manifest.
SCORM_SCHEMA_FILES = frozenset(
    path.name.lower() for edition in KINDS for path in edition.schema_files()
)
#: Unreferenced files reported one by one; the rest are counted in one more finding.
UNREFERENCED_SHOWN = 100

log = logging.getLogger("ceforge.validate")


@dataclass
class PackageReport:
    """The verdict on one package: what it is and what is wrong with it."""

    package: str
    #: scorm12, scorm2004-2nd, -3rd, -4th, tincan, cmi5 (several joined by '+'), web (no
    #: manifest, an index.html at the root) or unknown.
    kind: str = "unknown"
    #: How people name it: "SCORM 1.2", "cmi5", "unknown".
    label: str = "unknown"
    #: What the reader should know about how it was checked.
    notes: list[str] = field(default_factory=list)
    members: int = 0
    findings: list[Finding] = field(default_factory=list)
    #: What the package holds and how it launches, one for each manifest read (in the order
    #: of ``kind``): the model the preview launches from (``validate --launch``).
    contents: tuple[PackageContents, ...] = ()

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.WARNING]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors or (strict and self.warnings))


@dataclass
class Context:
    """What the steps share: the archive, and what the manifests have told so far."""

    archive: Archive
    expect: Expected
    scanner: Scanner
    #: The names of the file members the checks look at.
    members: set[str]
    findings: list[Finding] = field(default_factory=list)
    kinds: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: Files the manifests name (the manifests included).
    named: set[str] = field(default_factory=set)
    scorm: Manifest | None = None
    #: What each manifest read holds, in the order of ``kinds``.
    contents: list[PackageContents] = field(default_factory=list)

    def launch(self, pages: Iterable[str]) -> None:
        """Note launch pages: scripts name files relative to the page that runs them."""
        self.scanner.launch_folders |= {posixpath.dirname(page) for page in pages}

    def manifest(self, name: str) -> bytes | None:
        """The manifest ``name`` at the root, or None (and a finding when it is unreadable)."""
        if name not in self.archive.members:
            return None
        data = self.archive.read(name)
        if data is None and name not in self.archive.unreadable:
            limit = size_text(self.archive.limits.max_document)
            message = f"larger than the limit of {limit} for an XML file; it is not read"
            self.findings.append(finding(Rule.XML_TOO_LARGE, name, message))
        self.named.add(name)
        return data


def expected_of(kind: str) -> Expected:
    """What a package of ``kind`` (``scorm12``, ``scorm2004-4th``, ``tincan``, ``cmi5``…) must
    be; ``ValueError`` for a kind that names none."""
    try:
        return EXPECTED[kind]
    except KeyError:
        raise ValueError(f"no kind of package {kind!r}: {', '.join(EXPECTED)}") from None


# --- the steps ---------------------------------------------------------------------------------


def read_every_member(ctx: Context) -> None:
    ctx.archive.verify()


def find_the_manifest(ctx: Context) -> None:
    """The manifest the package must have, when it must be of one kind (ceforge's builds)."""
    expected = _expected_manifest(ctx.expect)
    if expected is not None and expected not in ctx.members:
        message = f"no {expected} at the zip's root{_hint(ctx.members, expected)}"
        ctx.findings.append(finding(Rule.NO_MANIFEST, ctx.archive.path.name, message))


def _expected_manifest(expect: Expected) -> str | None:
    if expect is None:
        return None
    if isinstance(expect, Edition):
        return SCORM_MANIFEST
    return {"tincan": TINCAN_MANIFEST, "cmi5": CMI5_MANIFEST}[expect]


def _hint(members: set[str], manifest: str) -> str:
    """Where a misplaced manifest is: in a folder (the folder was zipped) or miscased."""
    for name in sorted(members):
        if name.casefold() == manifest.casefold():
            return f"; found {name!r}: the name must be {manifest!r}, in lower case"
        if posixpath.basename(name) == manifest:
            folder = posixpath.dirname(name)
            return f"; found {name!r}: zip the contents of {folder!r}, not the folder itself"
    return ""


def check_scorm(ctx: Context) -> None:
    data = ctx.manifest(SCORM_MANIFEST)
    if data is None:
        if SCORM_MANIFEST in ctx.members:
            ctx.kinds.append((UNREADABLE, "SCORM (unreadable manifest)"))
        return
    edition = ctx.expect if isinstance(ctx.expect, Edition) else None
    manifest, findings = check_manifest(data, ctx.members, edition)
    ctx.findings += findings
    if manifest is None:
        ctx.kinds.append((UNREADABLE, "SCORM (unreadable manifest)"))
        return
    ctx.scorm = manifest
    ctx.kinds.append((KINDS.get(manifest.edition, manifest.edition.key), manifest.edition.label))
    ctx.contents.append(scorm_contents(manifest.root, manifest.edition))
    notes = (edition_note(manifest.edition), metadata_note(manifest), mastery_note(manifest))
    ctx.notes += [n for n in notes if n]
    ctx.named |= manifest.referenced_files()
    ctx.launch(path for _ident, path, _line in manifest.sco_launches)


def check_xapi(ctx: Context) -> None:
    checks = ((TINCAN_MANIFEST, "tincan", "Tin Can", check_tincan),
              (CMI5_MANIFEST, "cmi5", "cmi5", check_cmi5))
    for name, kind, label, check in checks:
        data = ctx.manifest(name)
        checked, findings = check(data, ctx.members) if data is not None else (None, [])
        ctx.findings += findings
        if checked is None:
            if name in ctx.members:
                ctx.kinds.insert(0, (UNREADABLE, f"{label} (unreadable manifest)"))
            continue
        ctx.kinds.insert(0, (kind, label))
        ctx.contents.insert(0, checked.contents)
        ctx.named |= set(checked.pages)
        ctx.launch(checked.pages)


def recognise_a_web_package(ctx: Context) -> None:
    """Without any manifest: a web package when index.html is at the root and nothing hints at
    a lost manifest (ceforge's web target); otherwise a package no LMS can tell what it is."""
    if ctx.kinds or ctx.expect is not None:
        return
    hints = "".join(_hint(ctx.members, n) for n in (SCORM_MANIFEST, TINCAN_MANIFEST,
                                                     CMI5_MANIFEST))
    schemas = sorted(n for n in ctx.members if n.lower() in SCORM_SCHEMA_FILES)
    if schemas:
        hints += f"; it holds {schemas[0]!r}, as a SCORM package does"
    if WEB_PAGE in ctx.members and not hints:
        ctx.kinds.append(("web", "web package"))
        ctx.contents.append(WEB_CONTENTS)
        ctx.notes.append(
            "no LMS manifest (imsmanifest.xml, tincan.xml, cmi5.xml): checked as a web "
            "package launched from index.html, which an LMS cannot track"
        )
        ctx.named.add(WEB_PAGE)
        ctx.launch([WEB_PAGE])
        return
    message = (
        "no imsmanifest.xml (SCORM), tincan.xml (Tin Can) or cmi5.xml (cmi5) at the zip's "
        f"root, so no LMS can tell what this package is{hints}"
    )
    ctx.findings.append(finding(Rule.NO_MANIFEST, ctx.archive.path.name, message))


def paths_travel_well(ctx: Context) -> None:
    """The rules ``ceforge check`` applies to the files a course links to (one
    implementation: ``ceforge.pathrules``); case clashes are the archive's."""
    rules = {"space": Rule.SPACE_IN_PATH, "reserved": Rule.RESERVED_CHARACTER}
    for name in sorted(ctx.members):
        for problem in path_problems(name):
            ctx.findings.append(finding(rules[problem.rule], name, problem.message))


def scos_look_for_the_api(ctx: Context) -> None:
    if ctx.scorm is not None:
        ctx.findings += launch_pages_look_for_the_api(ctx.scorm, ctx.scanner)


def every_file_is_named(ctx: Context) -> None:
    """A warning for each file that neither the manifests name, nor the pages, scripts and
    styles they lead to, nor any other text file of the package (so that of a leftover folder
    only its entry page is reported, and files a runtime loads by a computed name are spared
    when some data file names them)."""
    if not ctx.kinds or any(kind == UNREADABLE for kind, _label in ctx.kinds):
        return  # without a manifest read, nothing says what belongs
    scanner = ctx.scanner
    reached = scanner.reachable(ctx.named)
    unnamed = ctx.members - reached - ctx.archive.unreadable
    for name in sorted(ctx.members - reached):
        unnamed -= scanner.named_files(name)
    shown = sorted(unnamed)
    for name in shown[:UNREFERENCED_SHOWN]:
        message = "nothing names this file: not the manifest, nor any page, script or style"
        ctx.findings.append(finding(Rule.UNREFERENCED, name, message))
    if len(shown) > UNREFERENCED_SHOWN:
        rest = len(shown) - UNREFERENCED_SHOWN
        message = f"and {rest} more files that nothing names (not listed one by one)"
        ctx.findings.append(finding(Rule.UNREFERENCED, ctx.archive.path.name, message))


Step = Callable[[Context], None]

#: The checks of a package, in order.
STEPS: list[tuple[str, Step]] = [
    ("read every member once (CRCs, zip bombs)", read_every_member),
    ("the expected manifest is at the root", find_the_manifest),
    ("check imsmanifest.xml (SCORM)", check_scorm),
    ("check tincan.xml and cmi5.xml", check_xapi),
    ("no manifest: a web package, or unknown", recognise_a_web_package),
    ("paths travel well", paths_travel_well),
    ("SCOs look for the API", scos_look_for_the_api),
    ("every file is named by something", every_file_is_named),
]
#: The steps that can only warn (static scans, names that travel badly): a check for errors
#: alone, such as the build's of its own packages, leaves them out.
WARNING_STEPS = frozenset({paths_travel_well, scos_look_for_the_api, every_file_is_named})


def validate_package(
    path: Path, expect: Expected = None, limits: Limits | None = None, errors_only: bool = False
) -> PackageReport:
    """Everything wrong with the package at ``path``; ``expect`` is what it must be. With
    ``errors_only``, the steps that can only warn are left out."""
    archive, problems = open_archive(path, limits or Limits())
    if archive is None:
        return PackageReport(path.name, findings=problems)
    try:
        ctx = Context(archive, expect, Scanner(archive), set(archive.members))
        for name, step in STEPS:
            if not (errors_only and step in WARNING_STEPS):
                started = time.perf_counter()
                step(ctx)
                log.debug("%s: %.3f s", name, time.perf_counter() - started)
    finally:
        archive.close()
    kinds = ctx.kinds or [("unknown", "unknown")]
    return PackageReport(
        package=path.name,
        kind="+".join(kind for kind, _label in kinds),
        label=" + ".join(label for _kind, label in kinds),
        notes=ctx.notes,
        members=len(archive.members),
        findings=_sorted(archive.findings + ctx.findings),
        contents=tuple(ctx.contents),
    )


def _sorted(findings: list[Finding]) -> list[Finding]:
    """Each finding once, by file and line."""
    return sorted(set(findings), key=lambda f: (f.path, f.line, f.code, f.message))
