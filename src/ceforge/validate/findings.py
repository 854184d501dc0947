"""What a package check reports: a :class:`Finding` per problem, each of a :class:`Rule`.

Rules are named like the diagnostics of a course (``prefix.name``): ``zip.`` for the archive
itself, ``xml.`` for any XML file ceforge parses, ``pkg.`` for what every kind of package
shares, ``cp.`` for SCORM content packaging (``imsmanifest.xml``), ``tincan.`` and ``cmi5.``
for the manifests of those packages. The reference table of docs/validate.md is generated
from :class:`Rule`.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from ceforge.diagnostics import Severity
from ceforge.xapispec import LAUNCH_METHODS, MOVE_ON, one_of

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
E = Severity.ERROR
W = Severity.WARNING


class Rule(enum.Enum):
    """Every check of a package: its code, its severity, and what it means."""

    # --- the archive -------------------------------------------------------------------------
    NOT_A_ZIP = ("zip.not-a-zip", E, "The file is not a readable zip archive.")
    UNSAFE_PATH = (
        "zip.unsafe-path",
        E,
        "A member's name is absolute, climbs out with '..', uses backslashes or control "
        "characters: unzipping it could write outside the package's folder.",
    )
    SYMLINK = (
        "zip.symlink",
        E,
        "A member is a symbolic link: unzipping it could expose or overwrite files outside the "
        "package.",
    )
    DUPLICATE_MEMBER = (
        "zip.duplicate-member",
        E,
        "Two members share a name; tools disagree on which one wins.",
    )
    TOO_LARGE = (
        "zip.too-large",
        E,
        "More members, a larger directory or more bytes once uncompressed than the limits "
        "allow (a zip bomb, or a package too large to import).",
    )
    RATIO = (
        "zip.ratio",
        E,
        "A member expands far more than real content does (its compression ratio is above the "
        "limit): the mark of a zip bomb. It is not read.",
    )
    CORRUPT = (
        "zip.corrupt",
        E,
        "A member cannot be read back intact: a bad CRC, data that is truncated, overlaps "
        "another member's or lies past the end, encryption, an unknown compression method; "
        "or the directory lists fewer or more members than the zip's end record counts.",
    )
    CASE_CLASH = (
        "zip.case-clash",
        W,
        "Two members whose paths differ only in upper and lower case: on Windows and macOS "
        "one overwrites the other.",
    )
    SPACE_IN_PATH = (
        "zip.space-in-path",
        W,
        "A member's path holds a space; some LMSs and web servers fail to serve it.",
    )
    RESERVED_CHARACTER = (
        "zip.reserved-character",
        W,
        "A member's path holds a character that URLs or Windows file names reserve "
        "(# ? % : * \" < > |).",
    )
    UNREFERENCED = (
        "zip.unreferenced",
        W,
        "A file that nothing names: not the manifest, nor any page, script, style or data file "
        "of the package (a leftover, or a file loaded by a name a static scan cannot see).",
    )
    # --- XML ---------------------------------------------------------------------------------
    XML_SYNTAX = ("xml.syntax", E, "An XML file of the package is not well-formed.")
    XML_ENTITY = (
        "xml.entity",
        E,
        "An XML file declares or uses entities (the billion-laughs and external-entity "
        "attacks); ceforge refuses to expand them and does not read the file further.",
    )
    XML_TOO_LARGE = (
        "xml.too-large",
        E,
        "An XML file is too large to be read into memory (above the limit); it is not checked.",
    )
    # --- every package -----------------------------------------------------------------------
    NO_MANIFEST = (
        "pkg.no-manifest",
        E,
        "No imsmanifest.xml, tincan.xml or cmi5.xml at the zip's root, so no LMS can tell what "
        "the package is (or, for ceforge's own builds, not the one its target writes).",
    )
    MISSING_FILE = ("pkg.missing-file", E, "A file the manifest references is not in the zip.")
    BAD_HREF = (
        "pkg.bad-href",
        E,
        "A reference of the manifest (href, url, launch) is absolute, climbs out with '..', "
        "uses backslashes, or is a URL where a file of the package is required.",
    )
    LONG_TITLE = (
        "pkg.long-title",
        W,
        "A title longer than 200 characters: LMSs cut it, or refuse the package.",
    )
    # --- SCORM (imsmanifest.xml) -------------------------------------------------------------
    UNKNOWN_VERSION = (
        "cp.unknown-version",
        E,
        "imsmanifest.xml is neither SCORM 1.2 nor SCORM 2004 (its root element and namespace).",
    )
    SCHEMA = ("cp.schema", E, "The manifest is not valid against its edition's schemas.")
    SCHEMAVERSION = (
        "cp.schemaversion",
        E,
        "`<schemaversion>` is missing, unknown, or names another edition than expected.",
    )
    DUPLICATE_ID = (
        "cp.duplicate-id",
        E,
        "Two elements of the manifest share an identifier.",
    )
    BAD_IDENTIFIER = (
        "cp.bad-identifier",
        E,
        "An identifier is not an XML NCName (a letter or '_' first, then letters, digits, "
        "'.', '-' and '_').",
    )
    NO_DEFAULT_ORG = (
        "cp.no-default-org",
        E,
        "organizations@default is missing or names no organization.",
    )
    DANGLING_REF = ("cp.dangling-ref", E, "An identifierref names no resource of the manifest.")
    NO_LAUNCH = ("cp.no-launch", E, "An item launches a resource that has no href.")
    SCHEMA_FILE_MISSING = (
        "cp.schema-file-missing",
        E,
        "A file named by xsi:schemaLocation is not at the zip's root.",
    )
    MASTERYSCORE = ("cp.masteryscore", E, "adlcp:masteryscore is not a number from 0 to 100.")
    SCORMTYPE = (
        "cp.scormtype",
        E,
        "A resource lacks the SCO/asset attribute, or spells it or its value wrongly for the "
        "edition (scormtype in 1.2, scormType in 2004).",
    )
    NO_API = (
        "cp.no-api",
        W,
        "A SCO's launch page, the scripts it loads and the frames it opens never look for the "
        "SCORM API (a static scan): the LMS would record nothing.",
    )
    # --- Tin Can (tincan.xml) ----------------------------------------------------------------
    TINCAN_STRUCTURE = (
        "tincan.structure",
        E,
        "tincan.xml is not a `<tincan>` of the Tin Can namespace with `<activities>`, each "
        "activity with a name.",
    )
    TINCAN_BAD_ID = (
        "tincan.bad-id",
        E,
        "An activity id is missing or not an absolute IRI (or its type is not one).",
    )
    TINCAN_DUPLICATE_ID = ("tincan.duplicate-id", E, "Two activities share an id.")
    TINCAN_LAUNCH = (
        "tincan.launch",
        E,
        "tincan.xml has no `<launch>`, more than one, or an empty one.",
    )
    # --- cmi5 (cmi5.xml) ---------------------------------------------------------------------
    CMI5_STRUCTURE = (
        "cmi5.structure",
        E,
        "cmi5.xml is not a `<courseStructure>` of the cmi5 namespace, or an element is missing, "
        "misplaced or unknown (as the cmi5 XSD defines them).",
    )
    CMI5_BAD_ID = (
        "cmi5.bad-id",
        E,
        "A course, block, AU or objective id is missing or not an absolute IRI.",
    )
    CMI5_DUPLICATE_ID = (
        "cmi5.duplicate-id",
        E,
        "Two of the course, its blocks, AUs and objectives share an id.",
    )
    CMI5_DANGLING_REF = (
        "cmi5.dangling-ref",
        E,
        "An objective idref of a block or AU names no objective of the course.",
    )
    CMI5_MOVE_ON = ("cmi5.move-on", E, f"An AU's moveOn is not {one_of(MOVE_ON)}.")
    CMI5_MASTERY_SCORE = ("cmi5.mastery-score", E, "An AU's masteryScore is not a decimal 0–1.")
    CMI5_LAUNCH_METHOD = (
        "cmi5.launch-method",
        E,
        f"An AU's launchMethod is not {one_of(LAUNCH_METHODS)}.",
    )
    CMI5_URL = ("cmi5.url", E, "An AU's `<url>` is empty, or not a path or an http(s) URL.")

    def __init__(self, code: str, severity: Severity, summary: str) -> None:
        self.code = code
        self.severity = severity
        self.summary = summary


@dataclass(frozen=True, order=True)
class Finding:
    """One problem of a package: where (path in the zip, 1-based line or 0), what, how bad."""

    path: str
    line: int
    severity: Severity
    code: str
    message: str

    def __str__(self) -> str:
        """``path:line: severity: message [code]``, control characters escaped (a member's
        name can carry terminal escape sequences)."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        return printable(f"{where}: {self.severity}: {self.message} [{self.code}]")

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "severity": str(self.severity),
            "code": self.code,
            "message": self.message,
        }


def printable(text: str) -> str:
    """``text`` with control characters (C0, DEL, C1) written as ``\\xNN``."""
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


def finding(rule: Rule, path: str, message: str, line: int = 0) -> Finding:
    return Finding(path, line, rule.severity, rule.code, message)


class PackageError(Exception):
    """A package failed verification; carries every finding."""

    def __init__(self, package: str, findings: list[Finding]) -> None:
        self.package = package
        self.findings = findings
        lines = "".join(f"\n  {f}" for f in findings)
        super().__init__(f"{package} failed verification ({len(findings)} problems):{lines}")
