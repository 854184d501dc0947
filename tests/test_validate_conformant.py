"""Conformant packages are not errors: ADL's own conformance packages validate clean.

Identifiers are compared as XML Schema compares them.

``identifier``, ``identifierref`` and ``organizations@default`` are typed ``xs:ID`` and
``xs:IDREF``, whose whitespace the schema collapses: ADL's own SCORM 2004 4th Edition
conformance packages write ``identifier="   CASETEST   "``, ``default="  OB-02a  "`` and
``identifier="   SEQ01     "``, and conform. ``ceforge validate``, the build's verification of
its own packages (``verify_zip``) and the manifest model the preview launches from
(``read_contents``) read them alike.

A package without a mastery score (most of them) gets a note, not a warning.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

import package_corpus as pc
from ceforge.scormspec import collapsed
from ceforge.validate import validate_package
from ceforge.validate.contents import read_contents
from ceforge.verify import verify_zip

MANIFEST = "imsmanifest.xml"
PADDED = [
    ('<manifest identifier="com.example.tiny"', '<manifest identifier="   CASETEST   "'),
    ('<organizations default="org1">', '<organizations default="  OB-02a  ">'),
    ('<organization identifier="org1">', '<organization identifier=" OB-02a\t">'),
    ('<item identifier="item1" identifierref="r1">',
     '<item identifier="   SEQ01     " identifierref="\n        r1 ">'),
    ('<resource identifier="r1"', '<resource identifier="  r1  "'),
]


def padded(files: pc.Files) -> pc.Files:
    for old, new in PADDED:
        files = pc.edited(files, MANIFEST, old, new)
    return files


PACKAGES = {"scorm12": pc.scorm12, "scorm2004-4th": pc.scorm2004, "scorm2004-3rd": pc.scorm2004_3rd}


@pytest.mark.parametrize("kind", sorted(PACKAGES))
def test_validate_collapses_identifier_whitespace(kind: str, tmp_path: Path) -> None:
    package = pc.write_zip(tmp_path / "package.zip", padded(PACKAGES[kind]()))
    report = validate_package(package)
    assert report.findings == []
    assert report.kind == kind


@pytest.mark.parametrize("kind", sorted(PACKAGES))
def test_the_build_verification_collapses_identifier_whitespace(
    kind: str, tmp_path: Path
) -> None:
    package = pc.write_zip(tmp_path / "package.zip", padded(PACKAGES[kind]()))
    assert verify_zip(package) == []


@pytest.mark.parametrize("kind", sorted(PACKAGES))
def test_the_preview_launches_an_item_with_padded_identifiers(kind: str, tmp_path: Path) -> None:
    folder = tmp_path / "package"
    with zipfile.ZipFile(pc.write_zip(tmp_path / "package.zip", padded(PACKAGES[kind]()))) as z:
        z.extractall(folder)
    contents = read_contents(folder)
    assert [(unit.id, unit.title, unit.href) for unit in contents.units] == [
        ("SEQ01", "Lesson one", "index.html")
    ]


def test_a_real_difference_is_still_reported(tmp_path: Path) -> None:
    files = pc.edited(pc.scorm2004(), MANIFEST, 'identifierref="r1"', 'identifierref="r 1"')
    report = validate_package(pc.write_zip(tmp_path / "package.zip", files))
    assert "cp.dangling-ref" in {f.code for f in report.findings}


def test_only_xml_whitespace_collapses() -> None:
    assert collapsed(" \t\r\n SEQ01 \n") == "SEQ01"
    assert collapsed("a \t b") == "a b"
    assert collapsed("\u00a0SEQ01") == "\u00a0SEQ01"  # no XML whitespace: an invalid NCName


@pytest.mark.parametrize("kind", sorted(PACKAGES))
def test_no_mastery_score_is_a_note_not_a_warning(kind: str, tmp_path: Path) -> None:
    files = PACKAGES[kind]()
    if kind == "scorm12":
        files = pc.edited(files, MANIFEST, "<adlcp:masteryscore>80</adlcp:masteryscore>", "")
    else:
        files = pc.edited(
            files, MANIFEST, 'satisfiedByMeasure="true"', 'satisfiedByMeasure="false"'
        )
    report = validate_package(pc.write_zip(tmp_path / "package.zip", files))
    assert report.findings == []
    assert [n for n in report.notes if "mastery score" in n] == [
        "no item declares a mastery score: the LMS takes passed or failed from what each SCO "
        "reports, not from its score (usual; a SCO that reports only a score is never passed)"
    ]
    graded = validate_package(pc.write_zip(tmp_path / "graded.zip", PACKAGES[kind]()))
    assert not [n for n in graded.notes if "mastery score" in n]
