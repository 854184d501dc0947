"""Checks of a built SCORM package: the schemas, then the rules the schemas miss.

``verify_zip`` reads a zip and returns every problem as a :class:`Finding`, located by the path
inside the zip and a line of the manifest. The build runs it on each SCORM zip it writes (and
refuses a package with errors); the same checks serve ``ceforge validate`` for any package.

Schema validation compiles a small driver schema that imports each namespace from ceforge's own
copies of the official files (``ceforge/schemas``, never the package's), with network access and
entity expansion switched off. The rules after it are what the ADL test suite checks and XSD
cannot: references that resolve, files that exist, paths that stay inside the package, version
strings and values that the schemas type as free text.
"""

from __future__ import annotations

import enum
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from ceforge.diagnostics import Severity
from ceforge.scormspec import (
    EDITIONS,
    IMSCP_12,
    IMSCP_2004,
    SCORM12,
    SCORM2004_4TH,
    XSI,
    Edition,
    edition_of,
)

MANIFEST = "imsmanifest.xml"


class Rule(enum.Enum):
    """Every check of a package: the code shown in brackets and what it means."""

    NOT_A_ZIP = ("cp.not-a-zip", "The file is not a readable zip archive.")
    BAD_PATH = (
        "cp.bad-path",
        "A zip member or href that is absolute, climbs out with '..' or uses backslashes.",
    )
    NO_MANIFEST = ("cp.no-manifest", "There is no imsmanifest.xml at the root of the zip.")
    XML_SYNTAX = ("cp.xml-syntax", "The manifest is not well-formed XML.")
    UNKNOWN_VERSION = (
        "cp.unknown-version",
        "The manifest is neither SCORM 1.2 nor SCORM 2004 (its root namespace).",
    )
    SCHEMA = ("cp.schema", "The manifest is not valid against its edition's schemas.")
    SCHEMAVERSION = (
        "cp.schemaversion",
        "<schemaversion> is missing, unknown, or names another edition than expected.",
    )
    NO_DEFAULT_ORG = (
        "cp.no-default-org",
        "organizations@default is missing or names no organization.",
    )
    DANGLING_REF = ("cp.dangling-ref", "An identifierref names no resource of the manifest.")
    NO_LAUNCH = ("cp.no-launch", "An item launches a resource that has no href.")
    MISSING_FILE = ("cp.missing-file", "A file the manifest references is not in the zip.")
    SCHEMA_FILE_MISSING = (
        "cp.schema-file-missing",
        "A file named by xsi:schemaLocation is not in the zip.",
    )
    MASTERYSCORE = ("cp.masteryscore", "adlcp:masteryscore is not a number from 0 to 100.")
    SCORMTYPE = (
        "cp.scormtype",
        "A resource lacks the SCO/asset attribute, or spells it or its value wrongly for the "
        "edition (scormtype in 1.2, scormType in 2004).",
    )

    def __init__(self, code: str, summary: str) -> None:
        self.code = code
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
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: {self.message} [{self.code}]"


class PackageError(Exception):
    """A package failed verification; carries every finding."""

    def __init__(self, package: str, findings: list[Finding]) -> None:
        self.package = package
        self.findings = findings
        lines = "".join(f"\n  {f}" for f in findings)
        super().__init__(f"{package} failed verification ({len(findings)} problems):{lines}")


def _line(element: etree._Element) -> int:
    line = element.sourceline
    return line if isinstance(line, int) else 0


def _finding(rule: Rule, message: str, line: int = 0, path: str = MANIFEST) -> Finding:
    return Finding(path, line, Severity.ERROR, rule.code, message)


@dataclass
class Package:
    """What the rules look at: the zip's member names, the parsed manifest and its edition."""

    members: set[str]
    root: etree._Element
    edition: Edition

    def all(self, local: str) -> list[etree._Element]:
        return list(self.root.iter(f"{{{self.edition.cp}}}{local}"))

    def adlcp(self, local: str) -> str:
        return f"{{{self.edition.adlcp}}}{local}"


# --- reading the zip ---------------------------------------------------------------------------


def verify_zip(path: Path, edition: Edition | None = None) -> list[Finding]:
    """Every problem of the package at ``path``; ``edition`` is what the package must be."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            manifest = archive.read(MANIFEST) if MANIFEST in names else None
    except (zipfile.BadZipFile, OSError) as exc:
        return [_finding(Rule.NOT_A_ZIP, f"cannot read the zip: {exc}", path=path.name)]
    findings = list(_member_paths(names))
    if manifest is None:
        return [*findings, _finding(Rule.NO_MANIFEST, "no imsmanifest.xml at the zip's root")]
    members = {n for n in names if not n.endswith("/")}
    return findings + verify_manifest(manifest, members, edition)


def verify_manifest(
    manifest: bytes, members: set[str], edition: Edition | None = None
) -> list[Finding]:
    """The checks of ``imsmanifest.xml`` against a package holding ``members``."""
    try:
        root = etree.fromstring(manifest, _parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 0
        return [_finding(Rule.XML_SYNTAX, f"not well-formed XML: {exc.msg}", line)]
    entity = next(iter(root.iter(etree.Entity)), None)
    if entity is not None:  # left unexpanded by the parser, on purpose
        message = f"the manifest uses the entity {entity.text}; entities are not allowed"
        return [_finding(Rule.XML_SYNTAX, message, _line(entity))]
    detected, findings = _detect_edition(root, edition)
    if detected is None:
        return findings
    package = Package(members, root, detected)
    for _name, rule in RULES:
        findings.extend(rule(package))
    return sorted(findings)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False, huge_tree=False)


def _member_paths(names: list[str]) -> Iterator[Finding]:
    for name in names:
        problem = _path_problem(name)
        if problem:
            yield _finding(Rule.BAD_PATH, f"zip member {name!r} {problem}", path=name)


def _path_problem(path: str) -> str | None:
    """Why ``path`` (a zip member or a decoded href) is not a safe relative path, or None."""
    if "\\" in path:
        return "uses a backslash; use '/'"
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        return "is absolute; paths must be relative to the package root"
    if ".." in path.split("/"):
        return "climbs out of its folder with '..'"
    return None


def _detect_edition(
    root: etree._Element, expected: Edition | None
) -> tuple[Edition | None, list[Finding]]:
    """The edition to check the manifest as (None: not SCORM), and what is wrong with the
    version it declares."""
    namespace = etree.QName(root).namespace or ""
    if namespace not in (IMSCP_12, IMSCP_2004) or etree.QName(root).localname != "manifest":
        message = (
            f"the root element is {root.tag!r}; SCORM 1.2 uses <manifest> in {IMSCP_12}, "
            f"SCORM 2004 in {IMSCP_2004}"
        )
        return None, [_finding(Rule.UNKNOWN_VERSION, message, _line(root))]
    found = root.find(f"{{{namespace}}}metadata/{{{namespace}}}schemaversion")
    text = (found.text or "").strip() if found is not None else ""
    line = _line(found) if found is not None else _line(root)
    declared = edition_of(namespace, text)
    fallback = declared or (SCORM12 if namespace == IMSCP_12 else SCORM2004_4TH)
    if expected is not None and declared is not expected:
        message = (
            f"<schemaversion> is {text!r}; a {expected.label} package declares "
            f"{expected.schemaversion!r} (in namespace {expected.cp})"
        )
        edition = expected if expected.cp == namespace else fallback
        return edition, [_finding(Rule.SCHEMAVERSION, message, line)]
    if declared is None:
        known = ", ".join(repr(e.schemaversion) for e in EDITIONS if e.cp == namespace)
        message = f"<schemaversion> is {text!r}; expected {known}"
        return fallback, [_finding(Rule.SCHEMAVERSION, message, line)]
    return declared, []


# --- the rules -----------------------------------------------------------------------------------


def schema_valid(package: Package) -> Iterator[Finding]:
    schema = _schema(package.edition)
    if schema.validate(package.root):
        return
    errors: list[etree._LogEntry] = list(schema.error_log)  # type: ignore[call-overload]
    for error in errors:
        yield _finding(Rule.SCHEMA, error.message, error.line)


def default_organization(package: Package) -> Iterator[Finding]:
    ids = {o.get("identifier") for o in package.all("organization")}
    for organizations in package.all("organizations"):
        default = organizations.get("default")
        line = _line(organizations)
        if default is None and ids:
            yield _finding(Rule.NO_DEFAULT_ORG, "<organizations> has no default attribute", line)
        elif default is not None and default not in ids:
            yield _finding(
                Rule.NO_DEFAULT_ORG,
                f"organizations@default is {default!r}, which names no <organization>",
                line,
            )


def references_resolve(package: Package) -> Iterator[Finding]:
    resources = {r.get("identifier"): r for r in package.all("resource")}
    for element in [*package.all("item"), *package.all("dependency")]:
        ref = element.get("identifierref")
        if ref is None:
            continue
        kind = etree.QName(element).localname
        line = _line(element)
        if ref not in resources:
            yield _finding(
                Rule.DANGLING_REF, f"<{kind}> identifierref {ref!r} names no <resource>", line
            )
        elif kind == "item" and not resources[ref].get("href"):
            yield _finding(
                Rule.NO_LAUNCH,
                f"item {element.get('identifier')!r} launches {ref!r}, a resource without href",
                line,
            )


def files_present(package: Package) -> Iterator[Finding]:
    for element, href in _hrefs(package):
        line = _line(element)
        parts = urlsplit(href)
        if parts.scheme:  # only a resource may launch from the web; files are in the zip
            on_the_web = parts.scheme in ("http", "https")
            if not (on_the_web and etree.QName(element).localname == "resource"):
                yield _finding(Rule.BAD_PATH, f"href {href!r} is not a path in the package", line)
            continue
        path = unquote(parts.path)
        problem = _path_problem(path)
        if problem:
            yield _finding(Rule.BAD_PATH, f"href {href!r} {problem}", line)
        elif posixpath.normpath(path) not in package.members:
            yield _finding(Rule.MISSING_FILE, f"{href!r} is referenced but not in the zip", line)


def _hrefs(package: Package) -> Iterator[tuple[etree._Element, str]]:
    """(element, href joined with its xml:base) for every resource, file and metadata file."""
    base_attr = "{http://www.w3.org/XML/1998/namespace}base"
    for resources in package.all("resources"):
        outer = resources.get(base_attr, "")
        for resource in resources.iter(f"{{{package.edition.cp}}}resource"):
            base = outer + resource.get(base_attr, "")
            if resource.get("href"):
                yield resource, base + resource.get("href", "")
            for file in resource.iter(f"{{{package.edition.cp}}}file"):
                if file.get("href") is not None:
                    yield file, base + file.get("href", "")
    for location in package.root.iter(package.adlcp("location")):
        yield location, (location.text or "").strip()


def schema_files_present(package: Package) -> Iterator[Finding]:
    attribute = f"{{{XSI}}}schemaLocation"
    for element in package.root.iter():
        words = (element.get(attribute) or "").split()
        for location in words[1::2]:
            if unquote(location) not in package.members:
                yield _finding(
                    Rule.SCHEMA_FILE_MISSING,
                    f"xsi:schemaLocation names {location!r}, which is not at the zip's root",
                    _line(element),
                )


def mastery_scores(package: Package) -> Iterator[Finding]:
    for element in package.root.iter(package.adlcp("masteryscore")):
        text = (element.text or "").strip()
        try:
            value = float(text)
        except ValueError:
            value = float("nan")
        if not 0 <= value <= 100:
            yield _finding(
                Rule.MASTERYSCORE,
                f"adlcp:masteryscore is {text!r}; it must be a number from 0 to 100",
                _line(element),
            )


def scorm_types(package: Package) -> Iterator[Finding]:
    wanted = package.adlcp(package.edition.scorm_type)
    for resource in package.all("resource"):
        line = _line(resource)
        for name in resource.attrib:
            local = etree.QName(name).localname
            if local.lower() == "scormtype" and name != wanted:
                yield _finding(
                    Rule.SCORMTYPE,
                    f"attribute {name!r} on resource {resource.get('identifier')!r}; "
                    f"{package.edition.label} spells it adlcp:{package.edition.scorm_type}",
                    line,
                )
        value = resource.get(wanted)
        if value not in ("sco", "asset"):
            problem = "is missing" if value is None else f"is {value!r}"
            yield _finding(
                Rule.SCORMTYPE,
                f"adlcp:{package.edition.scorm_type} of resource "
                f"{resource.get('identifier')!r} {problem}; it must be 'sco' or 'asset'",
                line,
            )


PackageRule = Callable[[Package], Iterator[Finding]]

#: The checks of a manifest, in order. (Paths of zip members and the presence and version of
#: the manifest are checked while reading, before these.)
RULES: list[tuple[str, PackageRule]] = [
    ("valid against the schemas", schema_valid),
    ("the default organization exists", default_organization),
    ("every identifierref resolves", references_resolve),
    ("every referenced file is in the zip", files_present),
    ("every schemaLocation file is in the zip", schema_files_present),
    ("mastery scores are numbers from 0 to 100", mastery_scores),
    ("resources are marked sco or asset, spelled for the edition", scorm_types),
]


# --- schemas -----------------------------------------------------------------------------------


class _LocalOnly(etree.Resolver):
    """Lets the schema compiler read files of one schema folder and nothing else."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def resolve(  # type: ignore[override]  # lxml-stubs lack the context argument
        self, system_url: str, public_id: str, context: object
    ) -> object:
        # The first import arrives as a file: URI, what it includes as a plain path.
        if urlsplit(system_url).scheme == "file":
            path: Path | None = Path(unquote(urlsplit(system_url).path))
        else:
            path = Path(system_url) if Path(system_url).is_absolute() else None
        if path is None or path.resolve().parent != self.folder or not path.is_file():
            raise etree.XMLSchemaParseError(f"refusing to load {system_url!r} while compiling")
        return self.resolve_filename(str(path), context)  # type: ignore[attr-defined]


@cache
def _schema(edition: Edition) -> etree.XMLSchema:
    """The compiled schema of ``edition``: a driver importing each namespace from local files."""
    names = dict(edition.locations)
    imports = "".join(
        f'<xs:import namespace="{ns}" schemaLocation="{(edition.folder / names[ns]).as_uri()}"/>'
        for ns in edition.validated
    )
    driver = f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{imports}</xs:schema>'
    parser = _parser()
    parser.resolvers.add(_LocalOnly(edition.folder))
    document = etree.fromstring(
        driver.encode(), parser, base_url=(edition.folder / "driver.xsd").as_uri()
    )
    return etree.XMLSchema(document)
