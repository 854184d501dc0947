"""SCORM 1.2 and 2004 packages of the example course and of small courses made on the fly.

Golden manifests live in ``goldens/scorm/<variant>.json`` (members of the zip and every XML file,
canonicalized with C14N, one line per element); ``nox -s update-golden`` rewrites them.
"""

from __future__ import annotations

import json
import re
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from ceforge.build import check_course_folder
from ceforge.cli import main
from ceforge.coursedata import module_data_path
from ceforge.diagnostics import CourseError
from ceforge.scormspec import SCORM12, SCORM2004_4TH
from ceforge.targets.base import BuildOptions
from ceforge.targets.common import CORE_SCRIPTS, STYLESHEETS
from ceforge.targets.scorm import SCORM_LIBRARIES, decimal, iso_duration
from ceforge.verify import PackageError, verify_zip
from conftest import EXAMPLE
from golden import assert_golden
from scorm_support import (
    VARIANTS,
    build_one,
    example_zips,
    fill_in_quiz,
    members,
    read_member,
    runtime,
    write_course,
)

GOLDEN = Path(__file__).parent / "goldens" / "scorm"
MODULES = [
    "empathy",
    "active-listening",
    "therapeutic-approaches",
    "cultural-competence",
    "ethics",
    "supervised-practice",
    "self-reflection",
    "post-test",
    "course-completion",
]
SCHEMAS_12 = {"imscp_rootv1p1p2.xsd", "adlcp_rootv1p2.xsd", "imsmd_rootv1p2p1.xsd", "ims_xml.xsd"}
SCHEMAS_2004 = {
    "imscp_v1p1.xsd",
    "adlcp_v1p3.xsd",
    "adlseq_v1p3.xsd",
    "adlnav_v1p3.xsd",
    "xml.xsd",
    "XMLSchema.dtd",
    "datatypes.dtd",
    "imsss_v1p0.xsd",
    *(
        f"imsss_v1p0{part}.xsd"
        for part in (
            "auxresource",
            "control",
            "delivery",
            "limit",
            "objective",
            "random",
            "rollup",
            "seqrule",
            "util",
        )
    ),
}
FIXTURES = (runtime, example_zips)  # pytest finds fixtures among the module's names


def canonical(xml: bytes) -> list[str]:
    """The document canonicalized (C14N), indented, one line per element."""
    parser = etree.XMLParser(remove_blank_text=True, remove_comments=True)
    root = etree.fromstring(xml, parser)
    etree.indent(root, space="  ")
    return etree.tostring(root, method="c14n").decode("utf-8").splitlines()


def course_data(path: Path, page: str) -> dict[str, object]:
    html = read_member(path, page).decode("utf-8")
    match = re.search(r'<script type="application/json" id="ceforge-course">(.*?)</script>', html)
    assert match is not None
    data: dict[str, object] = json.loads(match.group(1))
    return data


# --- the example course --------------------------------------------------------------------------


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_golden_manifest(variant: str, example_zips: dict[str, Path]) -> None:
    path = example_zips[variant]
    assert_golden(
        GOLDEN / f"{variant}.json",
        {
            "members": members(path),
            "imsmanifest.xml": canonical(read_member(path, "imsmanifest.xml")),
            "metadata.xml": canonical(read_member(path, "metadata.xml")),
        },
    )


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_exact_zip_members(variant: str, example_zips: dict[str, Path]) -> None:
    target, options, edition = VARIANTS[variant]
    pages = ["index.html"] if options.sco == "single" else [f"module-{m}.html" for m in MODULES]
    assets = {
        f"assets/{p.relative_to(EXAMPLE / 'assets').as_posix()}"
        for p in (EXAMPLE / "assets").rglob("*")
        if p.is_file()
    }
    if options.sco == "module":  # no SCO of a module issues the certificate
        assets.remove("assets/signature.svg")
    runtime_files = {
        *(f"ceforge/{name}" for name in (*CORE_SCRIPTS, *STYLESHEETS)),
        *(f"ceforge/adapters/{name}.js" for name in (*SCORM_LIBRARIES, target)),
    }
    schemas = SCHEMAS_12 if edition is SCORM12 else SCHEMAS_2004
    # One SCO for the course loads its modules' text on demand (the About and References
    # pages' modules too); a module's SCO holds it all.
    every_module = ("about", *MODULES, "references")
    data = {module_data_path(m) for m in every_module} if options.sco == "single" else set()
    names = members(example_zips[variant])
    assert names == sorted(names)
    assert set(names) == {
        "imsmanifest.xml",
        "metadata.xml",
        *pages,
        *data,
        *runtime_files,
        *assets,
        *schemas,
    }
    assert len(names) == len(set(names))


@pytest.mark.parametrize("variant", ["scorm12-single", "scorm2004-4th-module"])
def test_launch_pages_load_the_shared_scorm_script_before_the_adapter(
    variant: str, example_zips: dict[str, Path]
) -> None:
    target = VARIANTS[variant][0]
    page = "index.html" if variant.endswith("single") else "module-post-test.html"
    html = read_member(example_zips[variant], page).decode("utf-8")
    scripts = re.findall(r'<script src="([^"]+)"></script>', html)
    assert scripts == [
        *(f"ceforge/{name}" for name in CORE_SCRIPTS),
        "ceforge/adapters/scorm-api.js",
        "ceforge/adapters/scorm-data.js",
        "ceforge/adapters/scorm-common.js",
        f"ceforge/adapters/{target}.js",
    ]


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_package_passes_verification(variant: str, example_zips: dict[str, Path]) -> None:
    assert verify_zip(example_zips[variant], VARIANTS[variant][2]) == []


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_schema_files_are_the_shipped_ones(variant: str, example_zips: dict[str, Path]) -> None:
    edition = VARIANTS[variant][2]
    for path in edition.schema_files():
        assert read_member(example_zips[variant], path.name) == path.read_bytes()


def test_identifiers_are_ncnames_from_course_and_module_ids(
    example_zips: dict[str, Path],
) -> None:
    root = etree.fromstring(read_member(example_zips["scorm2004-4th-module"], "imsmanifest.xml"))
    ns = {"cp": "http://www.imsglobal.org/xsd/imscp_v1p1"}
    assert root.get("identifier") == "course-therapy-foundations-4d9828ae"
    items = [i.get("identifier") for i in root.iterfind(".//cp:item", ns)]
    assert items == [f"item-{m}" for m in MODULES]
    resources = [r.get("identifier") for r in root.iterfind(".//cp:resource", ns)]
    assert resources == [f"sco-{m}" for m in MODULES] + ["shared-files"]


def test_mastery_and_learning_time(example_zips: dict[str, Path]) -> None:
    manifest12 = read_member(example_zips["scorm12-single"], "imsmanifest.xml").decode()
    assert "<adlcp:masteryscore>80</adlcp:masteryscore>" in manifest12
    metadata12 = read_member(example_zips["scorm12-single"], "metadata.xml").decode()
    assert "<datetime>PT7H</datetime>" in metadata12  # 420 minutes over the nine modules
    manifest = read_member(example_zips["scorm2004-4th-single"], "imsmanifest.xml").decode()
    assert '<imsss:primaryObjective satisfiedByMeasure="true">' in manifest
    assert "<imsss:minNormalizedMeasure>0.8</imsss:minNormalizedMeasure>" in manifest


def test_module_layout_rolls_success_up_from_the_post_test_only(
    example_zips: dict[str, Path],
) -> None:
    root = etree.fromstring(read_member(example_zips["scorm2004-4th-module"], "imsmanifest.xml"))
    ns = {
        "cp": "http://www.imsglobal.org/xsd/imscp_v1p1",
        "ss": "http://www.imsglobal.org/xsd/imsss",
    }
    for item in root.iterfind(".//cp:item", ns):
        rollup = item.find("ss:sequencing/ss:rollupRules", ns)
        measured = item.find("ss:sequencing/ss:objectives/ss:primaryObjective", ns)
        assert measured is not None
        if item.get("identifier") == "item-post-test":
            assert rollup is None
            assert measured.get("satisfiedByMeasure") == "true"
        else:
            assert rollup is not None
            assert rollup.attrib == {
                "rollupObjectiveSatisfied": "false",
                "objectiveMeasureWeight": "0",
            }
            assert measured.get("satisfiedByMeasure") is None
    control = root.find("cp:organizations/cp:organization/ss:sequencing/ss:controlMode", ns)
    assert control is not None and control.attrib == {"choice": "true", "flow": "true"}


def test_course_data_carries_what_the_adapters_need(example_zips: dict[str, Path]) -> None:
    data = course_data(example_zips["scorm12-single"], "index.html")
    lms = data["lms"]
    assert isinstance(lms, dict)
    assert lms["standard"] == "scorm12"
    assert lms["report"] == "passed-failed"
    assert lms["sco"] is None
    assert lms["state_limit"] == 4096
    objectives = lms["objectives"]
    assert len(objectives) == 4 * 7 + 2 + 2
    assert objectives[0]["id"] == "obj-empathy-1"
    assert objectives[0]["module"] == "empathy"
    assert objectives[0]["description"].startswith("Distinguish the cognitive")
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+", o["id"]) for o in objectives)


def test_module_sco_runs_its_module_alone(example_zips: dict[str, Path]) -> None:
    path = example_zips["scorm2004-4th-module"]
    data = course_data(path, "module-post-test.html")
    assert data["lms"]["sco"] == "post-test"  # type: ignore[index]
    assert data["lms"]["edition"] == "2004 4th Edition"  # type: ignore[index]
    assert [m["id"] for m in data["modules"]] == ["post-test"]  # type: ignore[attr-defined]
    assert data["completion"]["test"] == "pass"  # type: ignore[index]
    assert data["course"]["certificate"] is False  # type: ignore[index]
    other = course_data(path, "module-empathy.html")
    assert other["completion"]["test"] == "none"  # type: ignore[index]
    assert other["completion"]["evaluation"] is False  # type: ignore[index]
    assert [o["id"] for o in other["lms"]["objectives"]] == [  # type: ignore[index]
        f"obj-empathy-{n}" for n in range(1, 5)
    ]


def test_module_scos_share_the_seat_time(runtime: Path, tmp_path: Path) -> None:
    course = write_course(
        tmp_path / "course",
        {
            "01-a.md": "---\nminutes: 10\n---\n# A\n\nText.\n",
            "02-b.md": "---\nminutes: 20\n---\n# B\n\nText.\n",
        },
        "completion:\n  min_minutes: 45\n",
    )
    path = build_one(course, "scorm2004", tmp_path / "out", BuildOptions(sco="module"))
    shares = [course_data(path, f"module-{m}.html")["completion"] for m in ("a", "b")]
    assert [s["min_minutes"] for s in shares] == [15, 30]  # type: ignore[index]


# --- reproducibility and compression -------------------------------------------------------------


def test_rebuilds_are_byte_identical(runtime: Path, tmp_path: Path) -> None:
    first = build_one(EXAMPLE, "scorm2004", tmp_path / "a")
    second = build_one(EXAMPLE, "scorm2004", tmp_path / "b")
    assert first.read_bytes() == second.read_bytes()


def test_source_date_epoch_sets_every_timestamp(
    runtime: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    default = build_one(EXAMPLE, "scorm12", tmp_path / "default")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    dated = build_one(EXAMPLE, "scorm12", tmp_path / "dated")
    with zipfile.ZipFile(dated) as archive:
        stamps = {info.date_time for info in archive.infolist()}
    assert stamps == {time.gmtime(1767225600)[:6]}
    assert default.read_bytes() != dated.read_bytes()
    again = build_one(EXAMPLE, "scorm12", tmp_path / "again")
    assert again.read_bytes() == dated.read_bytes()


def test_media_is_stored_and_text_deflated(runtime: Path, tmp_path: Path) -> None:
    course = write_course(
        tmp_path / "course",
        {
            "01-intro.md": "# Intro\n\n![A chart](../assets/chart.png)\n\n"
            "![A photo](../assets/photo.jpg)\n"
        },
    )
    (course / "assets").mkdir()
    (course / "assets" / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(4000))
    (course / "assets" / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(4000))
    path = build_one(course, "scorm12", tmp_path / "out")
    with zipfile.ZipFile(path) as archive:
        kinds = {info.filename: info.compress_type for info in archive.infolist()}
        modes = {info.external_attr >> 16 for info in archive.infolist()}
    assert kinds["assets/chart.png"] == zipfile.ZIP_STORED
    assert kinds["assets/photo.jpg"] == zipfile.ZIP_STORED
    for name in ("index.html", "imsmanifest.xml", "metadata.xml", "ceforge/core/app.js"):
        assert kinds[name] == zipfile.ZIP_DEFLATED, name
    assert kinds["imscp_rootv1p1p2.xsd"] == zipfile.ZIP_DEFLATED
    assert modes == {0o644}


@pytest.mark.parametrize("target", ["scorm12", "scorm2004", "tincan", "cmi5"])
def test_video_and_audio_are_stored_and_their_captions_deflated(
    target: str, tmp_path: Path
) -> None:
    """Compressed media gains nothing from deflate: an LMS reads it straight from the zip."""
    blocks = Path(__file__).parent / "fixtures" / "web" / "blocks"
    path = build_one(blocks, target, tmp_path / target)
    with zipfile.ZipFile(path) as archive:
        infos = {info.filename: info for info in archive.infolist()}
    for name in ("assets/clip.webm", "assets/clip.ogg"):
        assert infos[name].compress_type == zipfile.ZIP_STORED, name
        assert infos[name].compress_size == infos[name].file_size
        assert infos[name].file_size == (blocks / name).stat().st_size
    assert infos["assets/clip.vtt"].compress_type == zipfile.ZIP_DEFLATED
    # The handouts of assets/handouts/ travel whether a page links to them or not.
    assert infos["assets/handouts/listening-log.pdf"].compress_type == zipfile.ZIP_STORED
    assert infos["assets/handouts/feelings-worksheet.txt"].compress_type == zipfile.ZIP_DEFLATED


# --- identifiers and options ---------------------------------------------------------------------


def test_identifiers_stay_the_same_across_versions(runtime: Path, tmp_path: Path) -> None:
    text = "---\nid: 1.intro\nobjectives:\n  - Say hello.\n---\n# Intro\n\nHello.\n"
    manifests = []
    for version in ("1.0.0", "2.3.1"):
        course = write_course(tmp_path / version, {"01-intro.md": text})
        yml = course / "course.yml"
        yml.write_text(yml.read_text().replace("1.0.0", version))
        options = BuildOptions(sco="module")
        path = build_one(course, "scorm2004", tmp_path / f"out-{version}", options)
        manifests.append(etree.fromstring(read_member(path, "imsmanifest.xml")))
    ids = [
        sorted(
            (e.get("identifier") or e.get("objectiveID") or "")
            for e in m.iter()
            if e.get("identifier") or e.get("objectiveID")
        )
        for m in manifests
    ]
    assert ids[0] == ids[1]
    assert "item-1.intro" in ids[0]  # a module id that is no NCName still makes valid ids
    assert "obj-1_intro-1" in ids[0]
    assert [m.get("version") for m in manifests] == ["1.0.0", "2.3.1"]


def test_report_defaults_to_the_course_having_a_test() -> None:
    with_test = check_course_folder(EXAMPLE).course
    assert with_test is not None
    assert BuildOptions().report_for(with_test) == "passed-failed"
    assert BuildOptions(report="passed-incomplete").report_for(with_test) == "passed-incomplete"


def test_report_without_a_test_defaults_to_completed_incomplete(
    runtime: Path, tmp_path: Path
) -> None:
    course = write_course(tmp_path / "course", {"01-intro.md": "# Intro\n\nHello.\n"})
    path = build_one(course, "scorm12", tmp_path / "out")
    assert course_data(path, "index.html")["lms"]["report"] == "completed-incomplete"  # type: ignore[index]
    manifest = read_member(path, "imsmanifest.xml").decode()
    assert "masteryscore" not in manifest


def test_completed_reports_leave_mastery_out_of_scorm12(runtime: Path, tmp_path: Path) -> None:
    path = build_one(
        EXAMPLE, "scorm12", tmp_path / "out", BuildOptions(report="completed-incomplete")
    )
    assert "masteryscore" not in read_member(path, "imsmanifest.xml").decode()
    assert course_data(path, "index.html")["lms"]["report"] == "completed-incomplete"  # type: ignore[index]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"scorm_edition": 5}, "scorm_edition"),
        ({"sco": "page"}, "sco"),
        ({"report": "passed"}, "report"),
    ],
)
def test_build_options_are_checked(options: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        BuildOptions(**options)  # type: ignore[arg-type]


def test_number_formats() -> None:
    assert decimal(0.8) == "0.8"
    assert decimal(0.8, 100) == "80"
    assert decimal(0.755, 100) == "75.5"
    assert decimal(0) == "0"
    assert decimal(1) == "1"
    assert iso_duration(420) == "PT7H"
    assert iso_duration(95) == "PT1H35M"
    assert iso_duration(45) == "PT45M"
    assert iso_duration(0) == ""


# --- refusals and failures -----------------------------------------------------------------------


def big_state_course(root: Path) -> Path:
    """45 fill-in questions: over SCORM 1.2's 4096 characters, within 2004 4th's 64000."""
    return write_course(
        root,
        {
            "01-terms.md": "# Terms\n\n" + fill_in_quiz(23, "a"),
            "02-more.md": "# More terms\n\n" + fill_in_quiz(22, "b"),
        },
    )


def test_cli_refuses_a_scorm12_course_whose_state_can_outgrow_4096(
    runtime: Path, tmp_path: Path
) -> None:
    course = big_state_course(tmp_path / "course")
    out = tmp_path / "dist"
    result = CliRunner().invoke(
        main, ["build", str(course), "-t", "web", "-t", "scorm12", "-o", str(out)]
    )
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "[scorm.state-too-large]" in line]
    assert len(lines) == 1
    assert re.match(r"^modules/01-terms\.md:\d+: error: scorm12: ", lines[0])
    figure = int(re.search(r"can reach (\d+) characters", lines[0]).group(1))  # type: ignore[union-attr]
    assert figure > 4096
    assert "at most 4096" in lines[0]
    assert "fill-in" in lines[0] and "--sco module" in lines[0]
    assert not out.exists()  # nothing written, not even the web folder


def test_the_same_course_fits_scorm2004_and_the_module_layout(
    runtime: Path, tmp_path: Path
) -> None:
    course = big_state_course(tmp_path / "course")
    # An ungraded course declares no mastery score, which is no finding (a note of validate).
    whole = build_one(course, "scorm2004", tmp_path / "a")
    assert verify_zip(whole, SCORM2004_4TH) == []
    split = build_one(course, "scorm12", tmp_path / "b", BuildOptions(sco="module"))
    assert verify_zip(split, SCORM12) == []
    with pytest.raises(CourseError) as caught:
        build_one(course, "scorm2004", tmp_path / "c", BuildOptions(scorm_edition=3))
    assert "at most 4000" in str(caught.value.diagnostics[0])


def test_build_removes_a_package_that_fails_verification(
    runtime: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ceforge.targets import scorm12

    render = scorm12.Scorm12Target.render
    monkeypatch.setattr(
        scorm12.Scorm12Target,
        "render",
        lambda self, course, options: [
            f for f in render(self, course, options) if f.path != "ceforge/core/app.js"
        ],
    )
    out = tmp_path / "out"
    with pytest.raises(PackageError) as caught:
        build_one(EXAMPLE, "scorm12", out)
    assert [f.code for f in caught.value.findings] == ["pkg.missing-file"]
    assert "ceforge/core/app.js" in str(caught.value)
    assert list(out.iterdir()) == []  # neither the zip nor its temporary file


def test_cli_builds_every_target_with_all(runtime: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    args = ["build", str(EXAMPLE), "-t", "all", "-o", str(out)]
    result = CliRunner().invoke(main, [*args, "--sco", "module", "--scorm-edition", "3"])
    assert result.exit_code == 0, result.output
    names = {p.name for p in out.iterdir()}
    assert {
        "therapy-foundations-1.0.0-scorm12.zip",
        "therapy-foundations-1.0.0-scorm2004.zip",
        "therapy-foundations-web",
    } <= names
    manifest = read_member(out / "therapy-foundations-1.0.0-scorm2004.zip", "imsmanifest.xml")
    assert b"<schemaversion>2004 3rd Edition</schemaversion>" in manifest


def test_cli_says_which_runtime_file_is_missing(
    runtime: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    import ceforge.targets.common as common

    partial = tmp_path / "runtime"
    shutil.copytree(runtime, partial)
    (partial / "adapters" / "scorm2004.js").unlink()
    (partial / "adapters" / "scorm-common.js").unlink()
    monkeypatch.setattr(common, "RUNTIME_DIR", partial)
    out = tmp_path / "dist"
    result = CliRunner().invoke(main, ["build", str(EXAMPLE), "-t", "scorm2004", "-o", str(out)])
    assert result.exit_code == 1
    assert "adapters/scorm-common.js, adapters/scorm2004.js missing" in result.output
    assert not out.exists()
