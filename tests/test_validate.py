"""``ceforge validate``: ceforge's own builds are clean; every package of the generated corpus
(``validate_cases.py``) is reported with the right code at the right place, and nothing else;
what a package is. (The command itself: ``test_cli_validate.py``.)"""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pytest
from lxml import etree

import ceforge
import package_corpus as pc
from ceforge.build import build
from ceforge.scormspec import SCORM2004_3RD
from ceforge.targets.base import BuildOptions
from ceforge.validate import Rule, validate_package
from scorm_support import example_zips, runtime
from validate_cases import CASES, ZIP, Case

FIXTURES = (runtime, example_zips)  # pytest finds fixtures among the module's names
REAL_RUNTIME = Path(ceforge.__file__).resolve().parent / "runtime"
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "therapy-foundations"


def findings(case: Case) -> set[tuple[str, str, int]]:
    report = validate_package(case.path, limits=case.limits)
    return {(f.code, f.path, f.line) for f in report.findings}


# --- ceforge's own packages --------------------------------------------------------------------


@pytest.fixture(scope="session")
def xapi_and_web_zips(runtime: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("validate-builds")
    built = {
        "tincan": build(EXAMPLE, ["tincan"], out / "tincan").paths[0],
        "cmi5": build(EXAMPLE, ["cmi5"], out / "cmi5").paths[0],
        "cmi5-module": build(EXAMPLE, ["cmi5"], out / "cmi5-module",
                             options=BuildOptions(options={"au": "module"})).paths[0],
    }
    (_folder, zipped) = build(EXAMPLE, ["web"], out / "web", zip_folders=True).paths
    built["web"] = zipped
    return built


def test_our_builds_of_every_target_are_clean(
    example_zips: dict[str, Path], xapi_and_web_zips: dict[str, Path], runtime: Path
) -> None:
    kinds = {
        "scorm12-single": "scorm12", "scorm12-module": "scorm12",
        "scorm2004-4th-single": "scorm2004-4th", "scorm2004-4th-module": "scorm2004-4th",
        "scorm2004-3rd-single": "scorm2004-3rd", "scorm2004-3rd-module": "scorm2004-3rd",
        "tincan": "tincan", "cmi5": "cmi5", "cmi5-module": "cmi5", "web": "web",
    }
    packages = {**example_zips, **xapi_and_web_zips}
    assert set(packages) == set(kinds)
    for name, path in packages.items():
        report = validate_package(path)
        problems = [str(f) for f in report.findings]
        if runtime != REAL_RUNTIME:
            # A stand-in adapter (not written yet) looks for no API; nothing else may show.
            problems = [p for p in problems if not p.endswith("[cp.no-api]")]
        assert problems == [], name
        assert report.kind == kinds[name], name


# --- the corpus --------------------------------------------------------------------------------


def test_the_corpus_covers_every_rule() -> None:
    assert len(CASES) >= 30
    named = {name.split("[")[0] for name in CASES}
    assert named == {rule.code for rule in Rule}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_broken_package_is_reported_exactly(name: str, tmp_path: Path) -> None:
    case = CASES[name](tmp_path)
    assert findings(case) == case.expected
    assert {code for code, _path, _line in case.expected} == {name.split("[")[0]}


def test_the_base_packages_are_clean(tmp_path: Path) -> None:
    makers = {"scorm12": pc.scorm12, "scorm2004-4th": pc.scorm2004,
              "scorm2004-3rd": pc.scorm2004_3rd, "tincan": pc.tincan, "cmi5": pc.cmi5}
    for kind, make in makers.items():
        report = validate_package(pc.write_zip(tmp_path / f"{kind}.zip", make()))
        assert (report.kind, report.findings) == (kind, [])


# --- what a package is -------------------------------------------------------------------------


def test_scorm2004_2nd_edition_is_checked_against_the_3rd_edition_schemas(
    tmp_path: Path,
) -> None:
    files = pc.scorm2004(SCORM2004_3RD, schemaversion="CAM 1.3")
    report = validate_package(pc.write_zip(tmp_path / ZIP, files))
    assert (report.kind, report.label, report.findings) == (
        "scorm2004-2nd", "SCORM 2004 2nd Edition", []
    )
    assert "3rd Edition schemas" in report.notes[0]


def test_a_package_with_two_manifests_is_both(tmp_path: Path) -> None:
    files = {**pc.scorm12(), "cmi5.xml": pc.CMI5_XML.encode()}
    report = validate_package(pc.write_zip(tmp_path / ZIP, files))
    assert (report.kind, report.label, report.findings) == ("cmi5+scorm12", "cmi5 + SCORM 1.2", [])


def test_a_manifest_in_a_folder_is_pointed_out(tmp_path: Path) -> None:
    files = {f"tiny/{name}": data for name, data in pc.scorm12().items()}
    (problem,) = validate_package(pc.write_zip(tmp_path / ZIP, files)).findings
    assert "found 'tiny/imsmanifest.xml': zip the contents of 'tiny'" in problem.message


def test_a_missing_file_that_differs_in_case_is_pointed_out(tmp_path: Path) -> None:
    files = pc.edited(pc.scorm12(), "imsmanifest.xml", '<file href="scorm.js"/>',
                      '<file href="SCORM.js"/>')
    (problem,) = validate_package(pc.write_zip(tmp_path / ZIP, files)).findings
    assert problem.code == Rule.MISSING_FILE.code
    assert "(the file is 'scorm.js': paths are case-sensitive" in problem.message


def test_a_script_loaded_by_a_frame_is_scanned_for_the_api(tmp_path: Path) -> None:
    frameset = b'<frameset><frame src="content/player.html"></frameset>'
    player = b'<script src="../lib/wrapper.js"></script>'
    files = {
        **pc.scorm12(),
        "index.html": frameset,
        "content/player.html": player,
        "lib/wrapper.js": pc.SCORM12_JS.encode(),
    }
    files = pc.edited(files, "imsmanifest.xml", '<file href="scorm.js"/>',
                      '<file href="content/player.html"/><file href="lib/wrapper.js"/>')
    del files["scorm.js"]
    assert validate_package(pc.write_zip(tmp_path / ZIP, files)).findings == []
    del files["lib/wrapper.js"]
    files["content/player.html"] = b"<p>No script at all</p>"
    problems = validate_package(pc.write_zip(tmp_path / "b.zip", files)).findings
    assert {(f.code, f.path) for f in problems} == {
        ("cp.no-api", "index.html"), ("pkg.missing-file", "imsmanifest.xml")
    }


# --- robustness ----------------------------------------------------------------------------------


def _bases() -> dict[str, tuple[pc.Files, str]]:
    return {
        "scorm12": (pc.scorm12(), "imsmanifest.xml"),
        "scorm2004": (pc.scorm2004(), "imsmanifest.xml"),
        "tincan": (pc.tincan(), "tincan.xml"),
        "cmi5": (pc.cmi5(), "cmi5.xml"),
    }


def _read_back(data: bytes) -> dict[str, bytes] | None:
    """What a zip reader (Python's zipfile) gets out of ``data``: every member's bytes, or
    None when it cannot read them all."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return {info.filename: archive.read(info) for info in archive.infolist()}
    except Exception:
        return None


def _damaged(rng: random.Random, data: bytes) -> tuple[bytes, list[int]]:
    """``data`` with 1 to 8 bytes changed to other values, the central directory most often;
    and the offsets changed."""
    damaged = bytearray(data)
    offsets = []
    for _ in range(rng.randint(1, 8)):
        near_end = rng.random() < 0.5
        at = len(damaged) - 1 - rng.randrange(min(len(damaged), 2000)) if near_end \
            else rng.randrange(len(damaged))
        damaged[at] = (damaged[at] + rng.randrange(1, 256)) % 256
        offsets.append(at)
    return bytes(damaged), offsets


def test_a_damaged_zip_is_reported_never_raised(tmp_path: Path) -> None:
    """Random bytes of valid packages overwritten, the central directory most often: when the
    damage changes what a zip reader gets (members lost, renamed or altered, or an archive it
    cannot read), the package has an error; no damage ever raises (zipfile raises half a dozen
    kinds). Damage a reader cannot see (a timestamp, an attribute) is drawn again."""
    rng = random.Random(20241126)
    zips = [pc.write_zip(tmp_path / f"{kind}.zip", files).read_bytes()
            for kind, (files, _manifest) in _bases().items()]
    contents = [_read_back(data) for data in zips]
    damaged = tmp_path / "damaged.zip"
    checked = 0
    while checked < 400:
        which = rng.randrange(len(zips))
        data, offsets = _damaged(rng, zips[which])
        damaged.write_bytes(data)
        report = validate_package(damaged)
        if _read_back(data) == contents[which]:
            continue
        checked += 1
        assert report.errors, f"zip {which} damaged at {offsets}: no error reported"


def _mangled(rng: random.Random, text: str) -> str:
    alphabet = "<>/=\"' abcdefghijklmnopqrstuvwxyz:&;#\n-._?%"
    chars = list(text)
    for _ in range(rng.randint(1, 6)):
        at = rng.randrange(len(chars))
        if rng.random() < 0.5:
            chars[at] = rng.choice(alphabet)
        else:
            del chars[at]
    return "".join(chars)


def _syntax_error_line(text: str) -> int | None:
    """The line libxml2 reports for ``text`` when it is not well-formed XML, else None."""
    try:
        etree.fromstring(text.encode())
    except etree.XMLSyntaxError as error:
        return error.lineno
    return None


def test_a_mangled_manifest_is_reported_at_its_line_never_raised(tmp_path: Path) -> None:
    """Characters of a manifest replaced or deleted until it is no longer well-formed XML (lxml
    says so): validate reports xml.syntax on that file at the line lxml names."""
    rng = random.Random(11)
    bases = list(_bases().values())
    checked = 0
    while checked < 300:
        files, manifest = rng.choice(bases)
        text = _mangled(rng, files[manifest].decode())
        line = _syntax_error_line(text)
        if line is None:
            continue  # still well-formed: the next test's
        checked += 1
        path = pc.write_zip(tmp_path / f"{checked}.zip", {**files, manifest: text.encode()})
        errors = {(f.code, f.path, f.line) for f in validate_package(path).errors}
        assert ("xml.syntax", manifest, line) in errors, text


def test_a_mangled_but_well_formed_manifest_never_raises(tmp_path: Path) -> None:
    """Mangled manifests that are still well-formed (a title's letter, an attribute renamed, a
    namespace changed): whatever validate makes of them, it reports and never raises. (What it
    must report for each kind of fault, the corpus above pins exactly.)"""
    rng = random.Random(12)
    bases = list(_bases().values())
    checked = 0
    while checked < 100:
        files, manifest = rng.choice(bases)
        text = _mangled(rng, files[manifest].decode())
        if _syntax_error_line(text) is not None or text == files[manifest].decode():
            continue
        checked += 1
        path = pc.write_zip(tmp_path / f"{checked}.zip", {**files, manifest: text.encode()})
        validate_package(path)


# --- what real packages do -----------------------------------------------------------------------

LOM = """<metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
    <lom xmlns="http://www.imsglobal.org/xsd/imsmd_rootv1p2p1">
      <general><title><langstring xml:lang="x-none">A tiny course</langstring></title></general>
    </lom>
  </metadata>"""


def test_scorm12_metadata_inline_is_accepted_and_said_unchecked(tmp_path: Path) -> None:
    # Storyline and others put IMS Metadata 1.2.1 in the manifest; libxml2 cannot compile
    # its schema, so it is accepted unchecked (a strict wildcard would refuse it otherwise).
    files = pc.scorm12()
    text = files["imsmanifest.xml"].decode()
    start, end = text.index("<metadata>"), text.index("</metadata>") + len("</metadata>")
    files["imsmanifest.xml"] = (text[:start] + LOM + text[end:]).encode()
    report = validate_package(pc.write_zip(tmp_path / ZIP, files))
    assert report.findings == []
    assert "IMS Metadata 1.2.1" in report.notes[0]


def test_a_bad_identifier_is_reported_once_not_with_its_references(tmp_path: Path) -> None:
    files = pc.edited(pc.scorm12(), "imsmanifest.xml", 'default="org1"', 'default="org(1)"')
    files = pc.edited(files, "imsmanifest.xml", 'identifier="org1"', 'identifier="org(1)"')
    (problem,) = validate_package(pc.write_zip(tmp_path / ZIP, files)).findings
    assert problem.code == Rule.BAD_IDENTIFIER.code


def test_a_leftover_folder_is_reported_by_its_entry_page(tmp_path: Path) -> None:
    files = {
        **pc.scorm12(),
        "old/index.html": b'<img src="slide1.png"><script src="old.js"></script>',
        "old/slide1.png": pc.PNG,
        "old/old.js": b"var x = 1;",
    }
    (problem,) = validate_package(pc.write_zip(tmp_path / ZIP, files)).findings
    assert (problem.code, problem.path) == (Rule.UNREFERENCED.code, "old/index.html")


def test_a_requirejs_module_id_names_its_script(tmp_path: Path) -> None:
    files = {
        **pc.scorm12(),
        "scorm.js": pc.SCORM12_JS.encode() + b"require.config({paths: {lib: 'libs/helper'}});",
        "libs/helper.js": b"define([], function () { return 1; });",
    }
    assert validate_package(pc.write_zip(tmp_path / ZIP, files)).findings == []
