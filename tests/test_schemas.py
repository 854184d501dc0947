"""The shipped SCORM schema files are the official ones, byte for byte (see their PROVENANCE.md)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import ceforge

SCHEMAS = Path(ceforge.__file__).resolve().parent / "schemas"
ROW = re.compile(r"^\| `([^`]+)` \| `([0-9a-f]{64})` \|$", re.MULTILINE)


def listed() -> dict[str, str]:
    return dict(ROW.findall((SCHEMAS / "PROVENANCE.md").read_text(encoding="utf-8")))


def shipped() -> set[str]:
    return {
        p.relative_to(SCHEMAS).as_posix()
        for p in SCHEMAS.glob("*/*")
        if p.is_file() and p.parent.name.startswith("scorm")
    }


def test_every_schema_file_matches_its_recorded_checksum() -> None:
    sums = listed()
    assert len(sums) == 38
    for name, expected in sums.items():
        assert hashlib.sha256((SCHEMAS / name).read_bytes()).hexdigest() == expected, name


def test_the_provenance_note_lists_exactly_the_shipped_files() -> None:
    assert shipped() == set(listed())


def test_each_edition_has_its_schema_files() -> None:
    names = shipped()
    assert {n for n in names if n.startswith("scorm12/")} == {
        "scorm12/imscp_rootv1p1p2.xsd",
        "scorm12/adlcp_rootv1p2.xsd",
        "scorm12/imsmd_rootv1p2p1.xsd",
        "scorm12/ims_xml.xsd",
    }
    for edition in ("scorm2004-3rd", "scorm2004-4th"):
        files = {n.split("/")[1] for n in names if n.startswith(edition + "/")}
        assert {"imscp_v1p1.xsd", "adlcp_v1p3.xsd", "adlseq_v1p3.xsd", "adlnav_v1p3.xsd"} <= files
        assert {"imsss_v1p0.xsd", "xml.xsd", "XMLSchema.dtd", "datatypes.dtd"} <= files
        assert len([f for f in files if f.startswith("imsss_v1p0")]) == 10
