"""Each SCORM check of ``ceforge.verify`` (the build's side of ``ceforge validate``), shown
failing on a deliberately broken package.

Every case starts from a good package of the example course and breaks one thing; the findings
must then name that rule (and only problems of that kind), with the manifest's line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ceforge.diagnostics import Severity
from ceforge.scormspec import SCORM12, SCORM2004_3RD, SCORM2004_4TH, Edition
from ceforge.verify import RULES, Finding, Rule, verify_zip
from scorm_support import edit_manifest, example_zips, read_member, rezip, runtime

FIXTURES = (runtime, example_zips)  # pytest finds fixtures among the module's names
PREFIXES = {"zip", "xml", "pkg", "cp", "tincan", "cmi5"}


def codes(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings}


def only(findings: list[Finding], rule: Rule) -> list[Finding]:
    """The errors among the findings, all of ``rule`` (at least one). (Breaking one thing can
    leave warnings behind, such as schema files nothing names once the schema that included
    them is gone; tests/test_validate.py is about those.)"""
    findings = [f for f in findings if f.severity is Severity.ERROR]
    assert findings, "the broken package passed verification"
    assert codes(findings) == {rule.code}, [str(f) for f in findings]
    return findings


@pytest.fixture
def good12(example_zips: dict[str, Path]) -> Path:
    return example_zips["scorm12-single"]


@pytest.fixture
def good2004(example_zips: dict[str, Path]) -> Path:
    return example_zips["scorm2004-4th-module"]


def test_the_good_packages_pass(good12: Path, good2004: Path) -> None:
    assert verify_zip(good12, SCORM12) == []
    assert verify_zip(good2004, SCORM2004_4TH) == []
    assert verify_zip(good2004) == []  # the edition read from the manifest


def test_every_rule_has_a_unique_code() -> None:
    assert len({rule.code for rule in Rule}) == len(Rule)
    assert all(rule.code.split(".")[0] in PREFIXES for rule in Rule)
    assert len(RULES) == len({name for name, _ in RULES})


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "course.zip"
    path.write_bytes(b"<html>not a zip</html>")
    only(verify_zip(path), Rule.NOT_A_ZIP)


def test_no_manifest(good12: Path, tmp_path: Path) -> None:
    broken = rezip(good12, tmp_path / "b.zip", drop=("imsmanifest.xml",))
    only(verify_zip(broken), Rule.NO_MANIFEST)


def test_manifest_in_a_subfolder_is_no_manifest(good12: Path, tmp_path: Path) -> None:
    manifest = read_member(good12, "imsmanifest.xml")
    moved = {"course/imsmanifest.xml": manifest}
    broken = rezip(good12, tmp_path / "b.zip", drop=("imsmanifest.xml",), add=moved)
    only(verify_zip(broken), Rule.NO_MANIFEST)


def test_xml_syntax(good12: Path, tmp_path: Path) -> None:
    broken = edit_manifest(good12, tmp_path / "b.zip", "</organizations>", "</organization>")
    (finding,) = only(verify_zip(broken), Rule.XML_SYNTAX)
    assert finding.line > 1


def test_entities_are_not_expanded(good12: Path, tmp_path: Path) -> None:
    text = read_member(good12, "imsmanifest.xml").decode()
    evil = text.replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE manifest [<!ENTITY secret SYSTEM "file:///etc/passwd">]>',
    ).replace("<title>Foundations", "<title>&secret;Foundations", 1)
    broken = rezip(good12, tmp_path / "b.zip", replace={"imsmanifest.xml": evil.encode()})
    (finding,) = only(verify_zip(broken, SCORM12), Rule.XML_ENTITY)
    assert "'secret'" in finding.message and finding.line == 2


def test_unknown_version(good12: Path, tmp_path: Path) -> None:
    broken = edit_manifest(
        good12,
        tmp_path / "b.zip",
        'xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"',
        'xmlns="http://example.org/not-scorm"',
    )
    only(verify_zip(broken), Rule.UNKNOWN_VERSION)


def test_schema_catches_misordered_sequencing(good2004: Path, tmp_path: Path) -> None:
    # objectives before rollupRules: the order inside imsss:sequencing is fixed
    text = read_member(good2004, "imsmanifest.xml").decode()
    rollup = '<imsss:rollupRules rollupObjectiveSatisfied="false" objectiveMeasureWeight="0"/>'
    start = text.index(rollup)
    end = text.index("</imsss:objectives>", start) + len("</imsss:objectives>")
    objectives = text[start + len(rollup) : end]
    swapped = text[:start] + objectives + rollup + text[end:]
    broken = rezip(good2004, tmp_path / "b.zip", replace={"imsmanifest.xml": swapped.encode()})
    findings = only(verify_zip(broken, SCORM2004_4TH), Rule.SCHEMA)
    assert "rollupRules" in findings[0].message
    assert findings[0].line > 0


def test_schema_catches_an_unknown_element_in_scorm12(good12: Path, tmp_path: Path) -> None:
    broken = edit_manifest(good12, tmp_path / "b.zip", "<title>", "<titel>x</titel><title>")
    only(verify_zip(broken, SCORM12), Rule.SCHEMA)


def test_a_duplicate_identifier_is_named_instead_of_the_schema_error(
    good2004: Path, tmp_path: Path
) -> None:
    broken = edit_manifest(
        good2004, tmp_path / "b.zip", 'identifier="item-ethics"', 'identifier="item-empathy"'
    )
    (finding,) = only(verify_zip(broken, SCORM2004_4TH), Rule.DUPLICATE_ID)
    assert "'item-empathy' is already used on line" in finding.message


@pytest.mark.parametrize(
    ("variant", "edition", "old", "new"),
    [
        ("scorm12-single", SCORM12, "<schemaversion>1.2<", "<schemaversion>1.3<"),
        (
            "scorm2004-4th-single",
            SCORM2004_4TH,
            "<schemaversion>2004 4th Edition<",
            "<schemaversion>2004 3rd Edition<",
        ),
        (
            "scorm2004-3rd-single",
            SCORM2004_3RD,
            "<schemaversion>2004 3rd Edition<",
            "<schemaversion>CAM 1.3<",
        ),
    ],
)
def test_schemaversion_must_match_the_edition(
    example_zips: dict[str, Path],
    tmp_path: Path,
    variant: str,
    edition: Edition,
    old: str,
    new: str,
) -> None:
    broken = edit_manifest(example_zips[variant], tmp_path / "b.zip", old, new)
    (finding,) = only(verify_zip(broken, edition), Rule.SCHEMAVERSION)
    assert edition.schemaversion in finding.message


def test_unknown_schemaversion_without_an_expected_edition(good12: Path, tmp_path: Path) -> None:
    broken = edit_manifest(good12, tmp_path / "b.zip", "<schemaversion>1.2<", "<schemaversion>2<")
    only(verify_zip(broken), Rule.SCHEMAVERSION)


def test_default_organization_must_exist(good12: Path, tmp_path: Path) -> None:
    broken = edit_manifest(
        good12,
        tmp_path / "b.zip",
        'organizations default="org-therapy-foundations"',
        'organizations default="org-elsewhere"',
    )
    (finding,) = only(verify_zip(broken, SCORM12), Rule.NO_DEFAULT_ORG)
    assert "org-elsewhere" in finding.message


def test_default_organization_must_be_named(good12: Path, tmp_path: Path) -> None:
    broken = edit_manifest(good12, tmp_path / "b.zip", ' default="org-therapy-foundations"', "")
    only(verify_zip(broken, SCORM12), Rule.NO_DEFAULT_ORG)


def test_item_identifierref_must_resolve(good12: Path, tmp_path: Path) -> None:
    broken = edit_manifest(
        good12, tmp_path / "b.zip", 'identifierref="sco-course"', 'identifierref="sco-nowhere"'
    )
    (finding,) = only(verify_zip(broken, SCORM12), Rule.DANGLING_REF)
    assert "sco-nowhere" in finding.message and finding.line > 0


def test_dependency_identifierref_must_resolve(good2004: Path, tmp_path: Path) -> None:
    broken = edit_manifest(
        good2004,
        tmp_path / "b.zip",
        '<dependency identifierref="shared-files"/>',
        '<dependency identifierref="shared-file"/>',
    )
    only(verify_zip(broken, SCORM2004_4TH), Rule.DANGLING_REF)


def test_an_item_must_launch_something(good12: Path, tmp_path: Path) -> None:
    broken = edit_manifest(good12, tmp_path / "b.zip", ' href="index.html">', ">")
    only(verify_zip(broken, SCORM12), Rule.NO_LAUNCH)


def test_every_referenced_file_must_be_in_the_zip(good2004: Path, tmp_path: Path) -> None:
    broken = rezip(good2004, tmp_path / "b.zip", drop=("assets/oars.svg", "metadata.xml"))
    findings = only(verify_zip(broken, SCORM2004_4TH), Rule.MISSING_FILE)
    assert sorted(f.message for f in findings) == [
        "'assets/oars.svg' is referenced but not in the zip",
        "'metadata.xml' is referenced but not in the zip",
    ]


def test_hrefs_are_percent_decoded(tmp_path: Path, good12: Path) -> None:
    renamed = rezip(
        good12,
        tmp_path / "b.zip",
        drop=("assets/oars.svg",),
        add={"assets/my oars.svg": read_member(good12, "assets/oars.svg")},
    )
    fixed = edit_manifest(
        renamed, tmp_path / "c.zip", '"assets/oars.svg"', '"assets/my%20oars.svg"'
    )
    (warning,) = verify_zip(fixed, SCORM12)
    assert (warning.code, warning.path) == (Rule.SPACE_IN_PATH.code, "assets/my oars.svg")


@pytest.mark.parametrize(
    "href", ["/index.html", "../index.html", "assets/../../index.html", "assets\\oars.svg"]
)
def test_hrefs_stay_inside_the_package(good12: Path, tmp_path: Path, href: str) -> None:
    broken = edit_manifest(
        good12, tmp_path / "b.zip", '<file href="index.html"/>', f'<file href="{href}"/>'
    )
    only(verify_zip(broken, SCORM12), Rule.BAD_HREF)


def test_a_file_href_may_not_be_a_url(good12: Path, tmp_path: Path) -> None:
    broken = edit_manifest(
        good12,
        tmp_path / "b.zip",
        '<file href="index.html"/>',
        '<file href="https://example.org/index.html"/>',
    )
    only(verify_zip(broken, SCORM12), Rule.BAD_HREF)


@pytest.mark.parametrize("name", ["/etc/evil.js", "../evil.js", "assets/../../evil.js"])
def test_zip_members_stay_inside_the_package(good12: Path, tmp_path: Path, name: str) -> None:
    broken = rezip(good12, tmp_path / "b.zip", add={name: b"alert(1)"})
    (finding,) = only(verify_zip(broken, SCORM12), Rule.UNSAFE_PATH)
    assert finding.path == name


def test_schema_location_files_must_be_at_the_root(good2004: Path, tmp_path: Path) -> None:
    broken = rezip(good2004, tmp_path / "b.zip", drop=("imsss_v1p0.xsd", "adlnav_v1p3.xsd"))
    findings = only(verify_zip(broken, SCORM2004_4TH), Rule.SCHEMA_FILE_MISSING)
    assert len(findings) == 2
    assert all(f.line > 0 for f in findings)


@pytest.mark.parametrize("score", ["eighty", "", "120", "-5"])
def test_masteryscore_is_a_number_from_0_to_100(good12: Path, tmp_path: Path, score: str) -> None:
    broken = edit_manifest(
        good12,
        tmp_path / "b.zip",
        "<adlcp:masteryscore>80<",
        f"<adlcp:masteryscore>{score}<",
    )
    only(verify_zip(broken, SCORM12), Rule.MASTERYSCORE)


def test_scorm2004_scormtype_casing(good2004: Path, tmp_path: Path) -> None:
    # The 2004 schema validates ADL attributes laxly, so only the rule catches this.
    broken = edit_manifest(
        good2004, tmp_path / "b.zip", 'adlcp:scormType="sco"', 'adlcp:scormtype="sco"'
    )
    findings = only(verify_zip(broken, SCORM2004_4TH), Rule.SCORMTYPE)
    assert any("spells it adlcp:scormType" in f.message for f in findings)


def test_scorm2004_scormtype_value(good2004: Path, tmp_path: Path) -> None:
    broken = edit_manifest(
        good2004, tmp_path / "b.zip", 'adlcp:scormType="asset"', 'adlcp:scormType="Asset"'
    )
    assert Rule.SCORMTYPE.code in codes(verify_zip(broken, SCORM2004_4TH))


def test_findings_print_like_diagnostics(good12: Path, tmp_path: Path) -> None:
    broken = edit_manifest(
        good12, tmp_path / "b.zip", 'identifierref="sco-course"', 'identifierref="nothing"'
    )
    (finding,) = verify_zip(broken, SCORM12)
    assert str(finding) == (
        f"imsmanifest.xml:{finding.line}: error: <item> identifierref 'nothing' names no "
        "<resource> [cp.dangling-ref]"
    )


def test_the_build_looks_for_errors_alone(tmp_path: Path, good12: Path) -> None:
    """The build's verification (errors_only) leaves out the checks that can only warn, and
    still finds every error."""
    renamed = rezip(
        good12,
        tmp_path / "b.zip",
        drop=("assets/oars.svg",),
        add={"assets/my oars.svg": read_member(good12, "assets/oars.svg")},
    )
    assert {f.code for f in verify_zip(renamed, SCORM12)} == {
        Rule.MISSING_FILE.code,
        Rule.SPACE_IN_PATH.code,
        Rule.UNREFERENCED.code,
    }
    assert {f.code for f in verify_zip(renamed, SCORM12, errors_only=True)} == {
        Rule.MISSING_FILE.code
    }
