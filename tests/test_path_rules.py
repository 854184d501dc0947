"""``ceforge check`` and ``ceforge validate`` agree on how a file's path travels.

One implementation (``ceforge.pathrules``): what check warns about in the files a course links
to is exactly what validate warns about in the package built from it, in the same words; and
the package's links still lead to those files (they are percent-encoded).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ceforge.build import build, check_course_folder
from ceforge.pathrules import case_clashes, path_problems
from ceforge.targets.base import BuildOptions
from ceforge.validate import validate_package

FIXTURE = Path(__file__).parent / "fixtures" / "broken" / "linked-file-names-travel-badly"
SHARED = {"space-in-path", "reserved-character", "case-clash"}


def check_findings(course: Path) -> set[tuple[str, str, str]]:
    found = set()
    for d in check_course_folder(course).diagnostics:
        area, _, rule = d.code.code.partition(".")
        if area == "asset" and rule in SHARED:
            path, _, message = d.message.partition(": ")
            found.add((rule, path.strip("'"), message))
    return found


def validate_findings(package: Path) -> set[tuple[str, str, str]]:
    return {
        (f.code.partition(".")[2], f.path, f.message)
        for f in validate_package(package).findings
        if f.code.partition(".")[2] in SHARED
    }


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("paths") / "course"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns("expected.txt"))
    return root


@pytest.mark.parametrize(
    ("target", "options"),
    [
        ("scorm12", BuildOptions()),
        ("scorm2004", BuildOptions(sco="module")),
        ("tincan", BuildOptions()),
        ("cmi5", BuildOptions()),
        ("web", BuildOptions()),
    ],
)
def test_check_and_validate_say_the_same_of_the_same_files(
    course: Path, tmp_path: Path, target: str, options: BuildOptions
) -> None:
    expected = check_findings(course)
    assert {rule for rule, _path, _message in expected} == {"space-in-path", "reserved-character"}
    built = build(course, [target], tmp_path, zip_folders=True, options=options).paths
    package = next(p for p in built if p.suffix == ".zip")
    report = validate_package(package)
    assert validate_findings(package) == expected
    # Nothing else: the links lead to the files (no "nothing names this file").
    assert [f.code for f in report.findings if f.code.partition(".")[2] not in SHARED] == []


def test_a_case_clash_is_said_alike(tmp_path: Path) -> None:
    course = tmp_path / "course"
    (course / "modules").mkdir(parents=True)
    (course / "assets").mkdir()
    (course / "course.yml").write_text("id: urn:ceforge:test:case\ntitle: Case\n", "utf-8")
    for name in ("Cycle.svg", "cycle.svg"):
        (course / "assets" / name).write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (course / "modules" / "01-a.md").write_text(
        "# A\n\n![One](../assets/Cycle.svg)\n\n![Two](../assets/cycle.svg)\n", "utf-8"
    )
    expected = check_findings(course)
    assert [rule for rule, _path, _message in expected] == ["case-clash"]
    (package,) = build(course, ["scorm12"], tmp_path / "out").paths
    assert validate_findings(package) == expected


def test_the_rules_themselves() -> None:
    assert [p.rule for p in path_problems("assets/ok-file_1.2.png")] == []
    assert [p.rule for p in path_problems("assets/my file.png")] == ["space"]
    assert [p.rule for p in path_problems("a/b#1?.pdf")] == ["reserved"]
    assert "holds # ?," in path_problems("a/b#1?.pdf")[0].message
    assert list(case_clashes(["a/Logo.png", "a/b.png", "a/logo.png", "A/logo.png"])) == [
        ("a/logo.png", "a/Logo.png"),
        ("A/logo.png", "a/Logo.png"),
    ]
