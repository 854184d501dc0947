"""SCORM content packages: ``imsmanifest.xml`` against its edition's schemas, then the rules
the schemas miss.

Schema validation compiles a small driver schema that imports each namespace from ceforge's own
copies of the official files (``ceforge/schemas``, never the package's), with network access and
entity expansion switched off. The rules after it are what the ADL test suite checks and XSD
cannot: references that resolve, files that exist, paths that stay inside the package, version
strings and values that the schemas type as free text; then what real LMSs trip on.

SCORM 2004 2nd Edition (``<schemaversion>CAM 1.3``) is checked against the 3rd Edition schemas,
the closest ceforge ships: 3rd Edition added to 2nd (adlnav presentation, new attributes and
elements), so a valid 2nd Edition manifest is valid against them too.
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from ceforge.pathrules import miscased_message
from ceforge.scormspec import (
    EDITIONS,
    IMSCP_12,
    IMSCP_2004,
    IMSMD_12,
    IMSSS,
    SCORM12,
    SCORM2004_3RD,
    SCORM2004_4TH,
    XML_NS,
    XSI,
    Edition,
    collapsed,
)
from ceforge.validate.archive import path_problem
from ceforge.validate.findings import Finding, Rule, finding
from ceforge.validate.xmlfile import line_of, parse, safe_parser

MANIFEST = "imsmanifest.xml"
#: Titles longer than this are cut by LMSs (SCORM 2004's smallest permitted maximum).
TITLE_LIMIT = 200

SCORM2004_2ND = dataclasses.replace(
    SCORM2004_3RD, label="SCORM 2004 2nd Edition", schemaversion="CAM 1.3"
)
#: Every edition ceforge recognises, and the schemas each is validated against.
KNOWN_EDITIONS = (*EDITIONS, SCORM2004_2ND)
_ID_TYPE_ERROR = re.compile(r": '(.*)' is not a valid value of the atomic type 'xs:IDR?E?F?'")
_NCNAME = re.compile(r"^[^\W\d][\w.\-]*$")


def _finding(rule: Rule, message: str, line: int = 0) -> Finding:
    return finding(rule, MANIFEST, message, line)


def edition_note(edition: Edition) -> str | None:
    """What to tell about the schemas an edition is checked against, when they are not its own."""
    if edition is SCORM2004_2ND:
        return (
            "SCORM 2004 2nd Edition is checked against the SCORM 2004 3rd Edition schemas, the "
            "closest ceforge ships (3rd Edition only added to 2nd)"
        )
    return None


@dataclass
class Manifest:
    """What the rules look at: the zip's member names, the parsed manifest and its edition."""

    members: set[str]
    root: etree._Element
    edition: Edition

    def all(self, local: str) -> list[etree._Element]:
        return list(self.root.iter(f"{{{self.edition.cp}}}{local}"))

    def adlcp(self, local: str) -> str:
        return f"{{{self.edition.adlcp}}}{local}"

    def hrefs(self) -> Iterator[tuple[etree._Element, str]]:
        """(element, href joined with its xml:base) for every resource, file and metadata file."""
        base_attr = f"{{{XML_NS}}}base"
        for resources in self.all("resources"):
            outer = resources.get(base_attr, "")
            for resource in resources.iter(f"{{{self.edition.cp}}}resource"):
                base = outer + resource.get(base_attr, "")
                if resource.get("href"):
                    yield resource, base + resource.get("href", "")
                for file in resource.iter(f"{{{self.edition.cp}}}file"):
                    if file.get("href") is not None:
                        yield file, base + file.get("href", "")
        for location in self.root.iter(self.adlcp("location")):
            yield location, (location.text or "").strip()

    def referenced_files(self) -> set[str]:
        """The files of the package the manifest names (hrefs and schema locations)."""
        named = {MANIFEST}
        for _element, href in self.hrefs():
            path = package_path(href)
            if path is not None:
                named.add(path)
        for _element, location in self.schema_locations():
            named.add(unquote(location))
        return named

    def schema_locations(self) -> Iterator[tuple[etree._Element, str]]:
        attribute = f"{{{XSI}}}schemaLocation"
        for element in self.root.iter():
            words = (element.get(attribute) or "").split()
            for location in words[1::2]:
                yield element, location

    @cached_property
    def sco_launches(self) -> list[tuple[str, str, int]]:
        """(resource identifier, launch path, manifest line) of every SCO an item launches."""
        scos = {}
        attribute = self.adlcp(self.edition.scorm_type)
        for element, href in self.hrefs():
            if etree.QName(element).localname != "resource":
                continue
            if (element.get(attribute) or "").lower() != "sco":
                continue
            path = package_path(href)
            if path is not None:
                scos[collapsed(element.get("identifier", ""))] = (path, line_of(element))
        launched = {collapsed(item.get("identifierref", "")) for item in self.all("item")}
        return [(ident, path, line) for ident, (path, line) in scos.items() if ident in launched]


def package_path(href: str) -> str | None:
    """The member an href names (query and fragment dropped, percent-decoded, normalized), or
    None for a URL or a path that leaves the package."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path)
    if not path or path_problem(path):
        return None
    return posixpath.normpath(path)


# --- reading the manifest ------------------------------------------------------------------------


def check_manifest(
    data: bytes, members: set[str], expected: Edition | None = None
) -> tuple[Manifest | None, list[Finding]]:
    """The checks of ``imsmanifest.xml`` against a package holding ``members``; the manifest
    (None when it could not be read as SCORM) and its findings."""
    root, findings = parse(data, MANIFEST)
    if root is None:
        return None, findings
    edition, findings = detect_edition(root, expected)
    if edition is None:
        return None, findings
    manifest = Manifest(members, root, edition)
    for _name, rule in RULES:
        findings.extend(rule(manifest))
    return manifest, sorted(_explained_schema_errors_removed(manifest, findings))


def detect_edition(
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
        return None, [_finding(Rule.UNKNOWN_VERSION, message, line_of(root))]
    found = root.find(f"{{{namespace}}}metadata/{{{namespace}}}schemaversion")
    text = (found.text or "").strip() if found is not None else ""
    line = line_of(found) if found is not None else line_of(root)
    declared = next(
        (e for e in KNOWN_EDITIONS if e.cp == namespace and e.schemaversion == text), None
    )
    fallback = declared or (SCORM12 if namespace == IMSCP_12 else SCORM2004_4TH)
    if expected is not None and declared is not expected:
        message = (
            f"<schemaversion> is {text!r}; a {expected.label} package declares "
            f"{expected.schemaversion!r} (in namespace {expected.cp})"
        )
        edition = expected if expected.cp == namespace else fallback
        return edition, [_finding(Rule.SCHEMAVERSION, message, line)]
    if declared is None:
        known = ", ".join(repr(e.schemaversion) for e in KNOWN_EDITIONS if e.cp == namespace)
        where = "is missing" if found is None else f"is {text!r}"
        message = f"<schemaversion> {where}; expected {known}; checked as {fallback.label}"
        return fallback, [_finding(Rule.SCHEMAVERSION, message, line)]
    return declared, []


def _explained_schema_errors_removed(manifest: Manifest, findings: list[Finding]) -> list[Finding]:
    """Without the schema's cryptic 'not a valid value of the atomic type xs:ID (or xs:IDREF)'
    for the values a sharper rule reported: an identifier that is not an NCName, or that is
    used twice (the references to such an identifier are invalid too)."""
    seen: set[str] = set()
    explained: set[str] = set()
    for _element, value in _identified(manifest):
        if value in seen or not _NCNAME.match(value):
            explained.add(value)
        seen.add(value)

    def explained_error(f: Finding) -> bool:
        match = _ID_TYPE_ERROR.search(f.message)
        return f.code == Rule.SCHEMA.code and match is not None and match[1] in explained

    return [f for f in findings if not explained_error(f)]


# --- the rules -----------------------------------------------------------------------------------


def schema_valid(manifest: Manifest) -> Iterator[Finding]:
    schema = _schema(manifest.edition)
    if schema.validate(manifest.root):
        return
    errors: list[etree._LogEntry] = list(schema.error_log)  # type: ignore[call-overload]
    for error in errors:
        yield _finding(Rule.SCHEMA, error.message, error.line)


def _identified(manifest: Manifest) -> Iterator[tuple[etree._Element, str]]:
    for element in manifest.root.iter(f"{{{manifest.edition.cp}}}*"):
        value = element.get("identifier")
        if value is not None:
            yield element, collapsed(value)


def identifiers_are_ncnames(manifest: Manifest) -> Iterator[Finding]:
    for element, value in _identified(manifest):
        if not _NCNAME.match(value):
            kind = etree.QName(element).localname
            yield _finding(
                Rule.BAD_IDENTIFIER,
                f"<{kind}> identifier {value!r} is not an NCName: start it with a letter or "
                "'_', then use letters, digits, '.', '-' and '_' only",
                line_of(element),
            )


def identifiers_are_unique(manifest: Manifest) -> Iterator[Finding]:
    first: dict[str, etree._Element] = {}
    for element, value in _identified(manifest):
        if value not in first:
            first[value] = element
            continue
        kind = etree.QName(element).localname
        yield _finding(
            Rule.DUPLICATE_ID,
            f"<{kind}> identifier {value!r} is already used on line {line_of(first[value])}",
            line_of(element),
        )


def default_organization(manifest: Manifest) -> Iterator[Finding]:
    ids = {collapsed(o.get("identifier", "")) for o in manifest.all("organization")}
    for organizations in manifest.all("organizations"):
        default = organizations.get("default")
        line = line_of(organizations)
        if default is None and ids:
            yield _finding(Rule.NO_DEFAULT_ORG, "<organizations> has no default attribute", line)
        elif default is not None and collapsed(default) not in ids:
            yield _finding(
                Rule.NO_DEFAULT_ORG,
                f"organizations@default is {default!r}, which names no <organization>",
                line,
            )


def references_resolve(manifest: Manifest) -> Iterator[Finding]:
    resources = {collapsed(r.get("identifier", "")): r for r in manifest.all("resource")}
    for element in [*manifest.all("item"), *manifest.all("dependency")]:
        ref = element.get("identifierref")
        if ref is None:
            continue
        kind = etree.QName(element).localname
        line = line_of(element)
        if collapsed(ref) not in resources:
            yield _finding(
                Rule.DANGLING_REF, f"<{kind}> identifierref {ref!r} names no <resource>", line
            )
        elif kind == "item" and not resources[collapsed(ref)].get("href"):
            yield _finding(
                Rule.NO_LAUNCH,
                f"item {element.get('identifier')!r} launches {ref!r}, a resource without href",
                line,
            )


def files_present(manifest: Manifest) -> Iterator[Finding]:
    folded = {name.casefold(): name for name in manifest.members}
    for element, href in manifest.hrefs():
        line = line_of(element)
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:  # only a resource may launch from the web
            on_the_web = parts.scheme in ("http", "https")
            if not (on_the_web and etree.QName(element).localname == "resource"):
                yield _finding(Rule.BAD_HREF, f"href {href!r} is not a path in the package", line)
            continue
        path = unquote(parts.path)
        problem = path_problem(path)
        if problem:
            yield _finding(Rule.BAD_HREF, f"href {href!r} {problem}", line)
        elif posixpath.normpath(path) not in manifest.members:
            yield _finding(Rule.MISSING_FILE, missing_message(href, path, folded), line)


def missing_message(href: str, path: str, folded: dict[str, str]) -> str:
    message = f"{href!r} is referenced but not in the zip"
    near = folded.get(posixpath.normpath(path).casefold())
    if near:
        message += " " + miscased_message(near)
    return message


def schema_files_present(manifest: Manifest) -> Iterator[Finding]:
    for element, location in manifest.schema_locations():
        if unquote(location) not in manifest.members:
            yield _finding(
                Rule.SCHEMA_FILE_MISSING,
                f"xsi:schemaLocation names {location!r}, which is not at the zip's root",
                line_of(element),
            )


def mastery_scores(manifest: Manifest) -> Iterator[Finding]:
    for element in manifest.root.iter(manifest.adlcp("masteryscore")):
        text = (element.text or "").strip()
        try:
            value = float(text)
        except ValueError:
            value = float("nan")
        if not 0 <= value <= 100:
            yield _finding(
                Rule.MASTERYSCORE,
                f"adlcp:masteryscore is {text!r}; it must be a number from 0 to 100",
                line_of(element),
            )


def scorm_types(manifest: Manifest) -> Iterator[Finding]:
    edition = manifest.edition
    wanted = manifest.adlcp(edition.scorm_type)
    for resource in manifest.all("resource"):
        line = line_of(resource)
        for name in resource.attrib:
            local = etree.QName(name).localname
            if local.lower() == "scormtype" and name != wanted:
                yield _finding(
                    Rule.SCORMTYPE,
                    f"attribute {name!r} on resource {resource.get('identifier')!r}; "
                    f"{edition.label} spells it adlcp:{edition.scorm_type}",
                    line,
                )
        value = resource.get(wanted)
        if value not in ("sco", "asset"):
            problem = "is missing" if value is None else f"is {value!r}"
            yield _finding(
                Rule.SCORMTYPE,
                f"adlcp:{edition.scorm_type} of resource "
                f"{resource.get('identifier')!r} {problem}; it must be 'sco' or 'asset'",
                line,
            )


def titles_fit(manifest: Manifest) -> Iterator[Finding]:
    if not manifest.edition.is_2004:
        return  # the SCORM 1.2 schema limits titles to 200 characters itself (cp.schema)
    for title in manifest.all("title"):
        text = " ".join((title.text or "").split())
        if len(text) > TITLE_LIMIT:
            yield _finding(
                Rule.LONG_TITLE,
                f"this title has {len(text)} characters; LMSs cut or refuse titles over "
                f"{TITLE_LIMIT}",
                line_of(title),
            )


def mastery_note(manifest: Manifest) -> str | None:
    """What to tell when no item says what score passes (SCORM 1.2 masteryscore; SCORM 2004 a
    primary objective satisfied by a minimum normalized measure).

    A note, not a warning: most SCORM packages declare none (162 of the 189 packages of ADL's
    SCORM 2004 4th Edition conformance suite; ceforge's own courses without a test), because
    the SCO reports passed or failed itself. An administrator can do nothing about it, and a
    warning that most good packages carry would teach them to overlook the others."""
    if manifest.edition.is_2004:
        declared = any(
            objective.get("satisfiedByMeasure") == "true"
            and objective.find(f"{{{IMSSS}}}minNormalizedMeasure") is not None
            for objective in manifest.root.iter(f"{{{IMSSS}}}primaryObjective")
        )
    else:
        declared = any(True for _ in manifest.root.iter(manifest.adlcp("masteryscore")))
    if declared or not manifest.sco_launches:
        return None
    return (
        "no item declares a mastery score: the LMS takes passed or failed from what each SCO "
        "reports, not from its score (usual; a SCO that reports only a score is never passed)"
    )


ManifestRule = Callable[[Manifest], Iterator[Finding]]

#: The checks of a manifest, in order. (Paths of zip members and the presence and version of
#: the manifest are checked while reading, before these.)
RULES: list[tuple[str, ManifestRule]] = [
    ("valid against the schemas", schema_valid),
    ("identifiers are NCNames", identifiers_are_ncnames),
    ("identifiers are unique", identifiers_are_unique),
    ("the default organization exists", default_organization),
    ("every identifierref resolves", references_resolve),
    ("every referenced file is in the zip", files_present),
    ("every schemaLocation file is in the zip", schema_files_present),
    ("mastery scores are numbers from 0 to 100", mastery_scores),
    ("resources are marked sco or asset, spelled for the edition", scorm_types),
    ("titles fit what LMSs show", titles_fit),
]


# --- schemas -----------------------------------------------------------------------------------


#: SCORM 1.2 manifests often hold IMS Metadata 1.2.1 inline (<lom> in <metadata>), where the
#: content packaging schema demands a declaration (a strict wildcard); libxml2 cannot compile
#: the IMS MD schema, so its root elements are declared here, their content unchecked.
LAX_IMSMD = "ceforge-lax-imsmd_rootv1p2p1.xsd"
_LAX_IMSMD_SCHEMA = f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:md="{IMSMD_12}" targetNamespace="{IMSMD_12}" elementFormDefault="qualified">
  <xs:complexType name="anything" mixed="true">
    <xs:sequence>
      <xs:any namespace="##any" processContents="skip" minOccurs="0" maxOccurs="unbounded"/>
    </xs:sequence>
    <xs:anyAttribute namespace="##any" processContents="skip"/>
  </xs:complexType>
  <xs:element name="lom" type="md:anything"/>
  <xs:element name="record" type="md:anything"/>
</xs:schema>"""


def metadata_note(manifest: Manifest) -> str | None:
    """What to tell when a SCORM 1.2 manifest holds IMS Metadata that no schema checks."""
    if manifest.edition.is_2004:
        return None
    if next(manifest.root.iter(f"{{{IMSMD_12}}}*"), None) is None:
        return None
    return (
        "the IMS Metadata 1.2.1 inside imsmanifest.xml is accepted without being checked "
        "against its schema, which libxml2 cannot compile"
    )


class _LocalOnly(etree.Resolver):
    """Lets the schema compiler read files of one schema folder and nothing else (and the
    lax stand-in for IMS Metadata 1.2.1)."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def resolve(  # type: ignore[override]  # lxml-stubs lack the context argument
        self, system_url: str, public_id: str, context: object
    ) -> object:
        if system_url.endswith("/" + LAX_IMSMD):
            return self.resolve_string(_LAX_IMSMD_SCHEMA, context, base_url=system_url)
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
    if not edition.is_2004:
        lax = (edition.folder / LAX_IMSMD).as_uri()
        imports += f'<xs:import namespace="{IMSMD_12}" schemaLocation="{lax}"/>'
    driver = f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{imports}</xs:schema>'
    parser = safe_parser()
    parser.resolvers.add(_LocalOnly(edition.folder))
    document = etree.fromstring(
        driver.encode(), parser, base_url=(edition.folder / "driver.xsd").as_uri()
    )
    return etree.XMLSchema(document)
