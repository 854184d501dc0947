"""The ``tincan`` and ``cmi5`` targets: tincan.xml, cmi5.xml (valid against the official
CourseStructure.xsd, an oracle the installer copies into ``.oracles/``; it is never part of the
repository), and the build's refusal to embed LRS credentials."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from ceforge.build import build, check_course_folder
from ceforge.diagnostics import CourseError
from ceforge.model import Course
from ceforge.targets import common
from ceforge.targets.base import BuildOptions, TargetError
from ceforge.targets.cmi5 import Cmi5Target, cmi5_xml
from ceforge.targets.tincan import TinCanTarget, tincan_xml
from ceforge.xapi.cmi5 import assignable_units
from ceforge.xapi.vocabulary import build_vocabulary
from oracles import cmi5_schema
from scorm_support import runtime  # noqa: F401  (the runtime, stand-ins for missing adapters)

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "xapi" / "course"
EXAMPLE = ROOT / "examples" / "therapy-foundations"
CMI5 = "{https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd}"
TINCAN = "{http://projecttincan.com/tincan.xsd}"
COURSE_ID = "https://ceforge.example.org/courses/listening-basics"


def load(root: Path) -> Course:
    result = check_course_folder(root)
    assert result.course is not None and not result.errors, result.diagnostics
    return result.course


def copy_with(tmp_path: Path, old: str, new: str, file: str = "course.yml") -> Path:
    root = tmp_path / "course"
    shutil.copytree(FIXTURE, root)
    path = root / file
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return root


# --- cmi5.xml ---------------------------------------------------------------------------------


def cmi5_tree(course: Course, mode: str) -> etree._Element:
    document = cmi5_xml(course, assignable_units(course, mode))
    assert document.path == "cmi5.xml" and document.data is not None
    tree = etree.fromstring(document.data)
    cmi5_schema().assertValid(tree)
    return tree


@pytest.mark.parametrize("mode", ["course", "module"])
@pytest.mark.parametrize("root", [FIXTURE, EXAMPLE], ids=["fixture", "example"])
def test_cmi5_xml_is_valid_against_the_official_xsd(root: Path, mode: str) -> None:
    course = load(root)
    aus = cmi5_tree(course, mode).findall(f"{CMI5}au")
    assert len(aus) == (1 if mode == "course" else len(course.unit_modules))
    for au in aus:
        children = [etree.QName(c).localname for c in au]
        assert children == [n for n in ("title", "description", "objectives", "url")
                            if n in children]


def test_a_urn_course_in_another_language_is_valid_too(tmp_path: Path) -> None:
    root = copy_with(tmp_path, COURSE_ID, "urn:ceforge:listening-basics")
    text = (root / "course.yml").read_text(encoding="utf-8").replace("en-US", "es-MX")
    (root / "course.yml").write_text(text, encoding="utf-8")
    tree = cmi5_tree(load(root), "module")
    assert tree.find(f"{CMI5}course").get("id") == "urn:ceforge:listening-basics"
    assert tree.find(f"{CMI5}au").get("id") == "urn:ceforge:listening-basics:au:basics"
    assert {e.get("lang") for e in tree.iter(f"{CMI5}langstring")} == {"es-MX"}


def test_one_au_for_the_course_by_default() -> None:
    course = load(FIXTURE)
    (au,) = cmi5_tree(course, "course").findall(f"{CMI5}au")
    assert au.get("id") == COURSE_ID + "/au"
    assert au.get("moveOn") == "CompletedAndPassed" and au.get("masteryScore") == "0.75"
    assert au.findtext(f"{CMI5}url") == "index.html"
    refs = [o.get("idref") for o in au.iterfind(f"{CMI5}objectives/{CMI5}objective")]
    assert refs == [f"{COURSE_ID}/objective/basics-1", f"{COURSE_ID}/objective/basics-2",
                    f"{COURSE_ID}/objective/practice-1"]


def test_per_module_aus_put_the_mastery_score_on_the_test_module_only() -> None:
    course = load(FIXTURE)
    aus = cmi5_tree(course, "module").findall(f"{CMI5}au")
    summary = [(au.get("id").rsplit("/", 1)[1], au.get("moveOn"), au.get("masteryScore"),
                au.findtext(f"{CMI5}url")) for au in aus]
    assert summary == [
        ("basics", "Completed", None, "module-basics.html"),
        ("practice", "Completed", None, "module-practice.html"),
        ("post-test", "CompletedAndPassed", "0.75", "module-post-test.html"),
        ("wrap-up", "Completed", None, "module-wrap-up.html"),
    ]


def test_a_course_without_a_test_moves_on_when_completed(tmp_path: Path) -> None:
    root = copy_with(tmp_path, "  - modules/03-post-test.md\n", "")
    (root / "modules" / "03-post-test.md").unlink()
    (au,) = cmi5_tree(load(root), "course").findall(f"{CMI5}au")
    assert au.get("moveOn") == "Completed" and au.get("masteryScore") is None


def test_a_bad_au_option_is_a_diagnostic() -> None:
    problems = Cmi5Target().check(load(FIXTURE), BuildOptions(options={"au": "page"}))
    assert [d.code.code for d in problems] == ["xapi.bad-option"]


# --- tincan.xml -------------------------------------------------------------------------------


def test_tincan_xml_lists_the_course_modules_and_test_with_one_launch() -> None:
    course = load(FIXTURE)
    document = tincan_xml(build_vocabulary(course))
    assert document.path == "tincan.xml" and document.data is not None
    root = etree.fromstring(document.data)
    assert root.tag == f"{TINCAN}tincan"
    activities = root.findall(f"{TINCAN}activities/{TINCAN}activity")
    assert [a.get("id") for a in activities] == [
        COURSE_ID, *(f"{COURSE_ID}/module/{m.id}" for m in course.modules),
        f"{COURSE_ID}/test/post-test-test",
    ]
    for activity in activities:
        assert activity.get("type", "").startswith("http://adlnet.gov/expapi/activities/")
        for name in ("name", "description"):
            element = activity.find(f"{TINCAN}{name}")
            assert element is not None and element.text and element.get("lang") == "en-US"
    launches = root.findall(f".//{TINCAN}launch")
    assert len(launches) == 1 and launches[0].text == "index.html"
    assert launches[0].getparent() is activities[0]


# --- the build --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "file", "where"),
    [
        (COURSE_ID, "https://ana:pw@ceforge.example.org/c", "course.yml", "course.yml:3"),
        ("Try each exercise", "See https://lrs.example.org/xapi/?auth=Basic%20YW5hOnB3 and try",
         "modules/02-practice.md", "modules/02-practice.md"),
    ],
    ids=["course-id", "page-link"],
)
@pytest.mark.parametrize("target", ["tincan", "cmi5"])
def test_the_build_refuses_credentials_in_the_course(
    tmp_path: Path, target: str, old: str, new: str, file: str, where: str
) -> None:
    root = copy_with(tmp_path, old, new, file)
    with pytest.raises(CourseError) as caught:
        build(root, [target], tmp_path / "out")
    problems = [str(d) for d in caught.value.diagnostics if d.code.code == "xapi.credentials"]
    assert len(problems) == 1 and problems[0].startswith(where)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "options",
    [
        {"endpoint": "https://ana:pw@lrs.example.org/xapi/"},
        {"lrs_auth": "Basic YW5hOnB3"},
        {"launch": "Bearer eyJhbGciOiJIUzI1NiJ9.e30.x"},
        {"apiKey": "k"},
    ],
)
def test_the_build_refuses_credentials_in_the_options(
    tmp_path: Path, options: dict[str, str]
) -> None:
    for target in (TinCanTarget(), Cmi5Target()):
        problems = target.check(load(FIXTURE), BuildOptions(options=options))
        assert [d.code.code for d in problems] == ["xapi.credentials"], options
        assert str(problems[0]).startswith("build option ")


def test_options_without_credentials_pass() -> None:
    options = BuildOptions(options={"au": "module", "endpoint": "https://lrs.example.org/xapi/"})
    assert Cmi5Target().check(load(FIXTURE), options) == []
    assert TinCanTarget().check(load(FIXTURE), BuildOptions()) == []


@pytest.mark.parametrize("target", ["tincan", "cmi5"])
def test_the_package_needs_its_adapter(tmp_path: Path, target: str) -> None:
    """Until the runtime ships ``adapters/<target>.js`` the build stops with a clear error and
    writes nothing; once it does, the package holds the manifest and the adapter."""
    out = tmp_path / "out"
    if not (common.RUNTIME_DIR / "adapters" / f"{target}.js").is_file():
        with pytest.raises(TargetError, match=f"adapters/{target}.js"):
            build(FIXTURE, [target], out)
        assert not out.exists()
        return
    (package,) = build(FIXTURE, [target], out).paths
    names = set(zipfile.ZipFile(package).namelist())
    assert {f"{target}.xml", "index.html", f"ceforge/adapters/{target}.js"} <= names


def course_json(package: Path, launch: str = "index.html") -> dict[str, Any]:
    page = zipfile.ZipFile(package).read(launch).decode("utf-8")
    found = re.search(r'<script type="application/json" id="ceforge-course">(.*?)</script>', page)
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


@pytest.mark.usefixtures("runtime")
@pytest.mark.parametrize("target", ["tincan", "cmi5"])
def test_the_package_carries_the_vocabulary_as_json(tmp_path: Path, target: str) -> None:
    options = BuildOptions(options={"au": "module"}) if target == "cmi5" else BuildOptions()
    (package,) = build(FIXTURE, [target], tmp_path / "out", options=options).paths
    names = set(zipfile.ZipFile(package).namelist())
    launch = "module-post-test.html" if target == "cmi5" else "index.html"
    assert {f"{target}.xml", launch, f"ceforge/adapters/{target}.js"} <= names
    xapi = course_json(package, launch)["xapi"]
    expected = json.loads(json.dumps(build_vocabulary(load(FIXTURE)).to_json()))
    assert {k: val for k, val in xapi.items() if k != "cmi5"} == expected
    if target == "cmi5":
        units = xapi["cmi5"]["units"]
        assert xapi["cmi5"]["au"] == "module" and xapi["cmi5"]["module"] == "post-test"
        assert len(units) == 4 and "index.html" not in names
        assert units[2] == {"id": COURSE_ID + "/au/post-test", "module": "post-test",
                            "url": "module-post-test.html",
                            "moveOn": "CompletedAndPassed", "masteryScore": 0.75}
