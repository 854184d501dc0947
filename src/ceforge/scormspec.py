"""What the SCORM standards fix, per edition: namespaces, version strings, schema files, limits.

The targets render manifests from these facts and ``ceforge.verify`` checks packages against
them; neither spells a namespace or a schema file name of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"

XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_NS = "http://www.w3.org/XML/1998/namespace"
IMSCP_12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP_12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
IMSMD_12 = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
IMSCP_2004 = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP_2004 = "http://www.adlnet.org/xsd/adlcp_v1p3"
ADLSEQ = "http://www.adlnet.org/xsd/adlseq_v1p3"
ADLNAV = "http://www.adlnet.org/xsd/adlnav_v1p3"
IMSSS = "http://www.imsglobal.org/xsd/imsss"
LOM = "http://ltsc.ieee.org/xsd/LOM"


@dataclass(frozen=True)
class Edition:
    """One edition of SCORM, as far as packaging and the learner's saved state are concerned."""

    #: The schema folder under ``ceforge/schemas``, and ceforge's name for the edition.
    key: str
    #: How people name it: "SCORM 1.2", "SCORM 2004 4th Edition".
    label: str
    #: The ``<schemaversion>`` of the manifest's metadata.
    schemaversion: str
    #: Namespace of the manifest's own (content packaging) elements.
    cp: str
    #: Namespace of the ADL content packaging extensions (``adlcp:``).
    adlcp: str
    #: The ``adlcp:`` attribute that marks a resource as SCO or asset, spelled as the edition does.
    scorm_type: str
    #: Namespace -> schema file, in the order of the manifest's ``xsi:schemaLocation``.
    locations: tuple[tuple[str, str], ...]
    #: The namespaces that validation imports (libxml2 cannot compile IMS MD 1.2.1, so a
    #: SCORM 1.2 manifest keeps its metadata in a separate file).
    validated: tuple[str, ...]
    #: Characters ``cmi.suspend_data`` may hold.
    suspend_data_limit: int

    @property
    def folder(self) -> Path:
        return SCHEMA_DIR / self.key

    @property
    def is_2004(self) -> bool:
        return self.cp == IMSCP_2004

    def schema_files(self) -> list[Path]:
        """Every file of the edition's schema folder: all of them ship at a package's root."""
        return sorted(p for p in self.folder.iterdir() if p.is_file())

    def schema_location(self) -> str:
        return " ".join(f"{ns} {name}" for ns, name in self.locations)


SCORM12 = Edition(
    key="scorm12",
    label="SCORM 1.2",
    schemaversion="1.2",
    cp=IMSCP_12,
    adlcp=ADLCP_12,
    scorm_type="scormtype",
    # IMS MD 1.2.1 metadata lives in a file of its own, which names imsmd_rootv1p2p1.xsd.
    locations=((IMSCP_12, "imscp_rootv1p1p2.xsd"), (ADLCP_12, "adlcp_rootv1p2.xsd")),
    validated=(IMSCP_12, ADLCP_12),
    suspend_data_limit=4096,
)

_LOCATIONS_2004 = (
    (IMSCP_2004, "imscp_v1p1.xsd"),
    (ADLCP_2004, "adlcp_v1p3.xsd"),
    (ADLSEQ, "adlseq_v1p3.xsd"),
    (ADLNAV, "adlnav_v1p3.xsd"),
    (IMSSS, "imsss_v1p0.xsd"),
)

SCORM2004_3RD = Edition(
    key="scorm2004-3rd",
    label="SCORM 2004 3rd Edition",
    schemaversion="2004 3rd Edition",
    cp=IMSCP_2004,
    adlcp=ADLCP_2004,
    scorm_type="scormType",
    locations=_LOCATIONS_2004,
    validated=tuple(ns for ns, _ in _LOCATIONS_2004),
    suspend_data_limit=4000,
)

SCORM2004_4TH = Edition(
    key="scorm2004-4th",
    label="SCORM 2004 4th Edition",
    schemaversion="2004 4th Edition",
    cp=IMSCP_2004,
    adlcp=ADLCP_2004,
    scorm_type="scormType",
    locations=_LOCATIONS_2004,
    validated=tuple(ns for ns, _ in _LOCATIONS_2004),
    suspend_data_limit=64000,
)

EDITIONS = (SCORM12, SCORM2004_3RD, SCORM2004_4TH)


def scorm2004(edition: int) -> Edition:
    """The SCORM 2004 edition numbered ``edition`` (3 or 4)."""
    return {3: SCORM2004_3RD, 4: SCORM2004_4TH}[edition]


def edition_of(namespace: str, schemaversion: str) -> Edition | None:
    """The edition a manifest declares through its namespace and ``<schemaversion>``."""
    for edition in EDITIONS:
        if edition.cp == namespace and edition.schemaversion == schemaversion:
            return edition
    return None


_XML_WHITE_SPACE = re.compile(r"[ \t\n\r]+")


def collapsed(value: str) -> str:
    """An identifier (``xs:ID``, ``xs:IDREF``) as XML Schema compares it: its whitespace
    collapsed (runs of space, tab, CR and LF made one space, none at either end). A manifest's
    ``identifier="  SEQ01  "`` is ``SEQ01``, as ADL's own conformance packages write it; other
    Unicode spaces are not XML whitespace and stay (and make an invalid NCName)."""
    return _XML_WHITE_SPACE.sub(" ", value).strip(" ")

