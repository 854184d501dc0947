"""`ceforge build --target cmi5 --au course|module`, driven as a user would, on the example.

With ``--au module`` the package holds one AU per module, each launched at a page of its own
that runs that module alone (``docs/xapi.md``). The checks: cmi5.xml against the official
CourseStructure.xsd (an oracle in ``.oracles/``, see ``tests/oracles/``), the AU list (a golden,
``goldens/cmi5/``, rewritten by ``nox -s update-golden``), every url a page of the zip, what
each page runs, activity ids that do not depend on the layout, ``ceforge validate``, and a bad
``--au``.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import etree

from ceforge.cli import main
from golden import assert_golden
from oracles import cmi5_schema

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "therapy-foundations"
GOLDEN = Path(__file__).parent / "goldens" / "cmi5" / "therapy-foundations-au-module.json"
CMI5 = "{https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd}"
COURSE_ID = "https://ceforge.example.org/courses/therapy-foundations"
#: The example's module ids, in the order of course.yml (its modules/NN-<id>.md files).
MODULES = [re.sub(r"^\d+-", "", p.stem) for p in sorted((EXAMPLE / "modules").glob("*.md"))]


def ceforge_build(out: Path, *args: str) -> Path:
    """``ceforge build examples/therapy-foundations --target cmi5 ARGS``; the zip it wrote."""
    result = CliRunner().invoke(
        main,
        ["build", str(EXAMPLE), "--target", "cmi5", "-o", str(out), *args],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    (package,) = out.glob("*-cmi5.zip")
    assert result.stdout == f"wrote {package}\n"
    return package


@pytest.fixture(scope="module")
def per_module(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ceforge_build(tmp_path_factory.mktemp("au-module"), "--au", "module")


@pytest.fixture(scope="module")
def per_course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ceforge_build(tmp_path_factory.mktemp("au-course"))


def aus(package: Path) -> list[etree._Element]:
    tree = etree.fromstring(zipfile.ZipFile(package).read("cmi5.xml"))
    return list(tree.iter(f"{CMI5}au"))


def course_data(package: Path, page: str) -> dict[str, Any]:
    html = zipfile.ZipFile(package).read(page).decode("utf-8")
    found = re.search(r'<script type="application/json" id="ceforge-course">(.*?)</script>', html)
    assert found is not None, f"no course data in {page}"
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def test_cmi5_xml_is_valid_against_the_official_xsd(per_module: Path) -> None:
    schema = cmi5_schema()
    document = etree.fromstring(zipfile.ZipFile(per_module).read("cmi5.xml"))
    assert schema.validate(document), schema.error_log


def test_one_au_per_module_each_at_a_page_of_the_zip(per_module: Path) -> None:
    names = set(zipfile.ZipFile(per_module).namelist())
    urls = [au.findtext(f"{CMI5}url") for au in aus(per_module)]
    assert urls == [f"module-{m}.html" for m in MODULES]
    assert set(urls) <= names
    assert "index.html" not in names  # no page runs the whole course


def test_the_post_test_au_carries_the_mastery_score(per_module: Path) -> None:
    moves = {
        au.get("id").rsplit("/", 1)[1]: (au.get("moveOn"), au.get("masteryScore"))
        for au in aus(per_module)
    }
    assert moves.pop("post-test") == ("CompletedAndPassed", "0.8")
    assert set(moves.values()) == {("Completed", None)}


def test_the_au_list(per_module: Path) -> None:
    assert_golden(
        GOLDEN,
        [
            {
                "id": au.get("id"),
                "title": au.findtext(f"{CMI5}title/{CMI5}langstring"),
                "url": au.findtext(f"{CMI5}url"),
                "moveOn": au.get("moveOn"),
                "masteryScore": au.get("masteryScore"),
                "activityType": au.get("activityType"),
                "objectives": [o.get("idref") for o in au.iter(f"{CMI5}objective")],
            }
            for au in aus(per_module)
        ],
    )


def test_each_page_runs_its_module_alone(per_module: Path) -> None:
    for module in MODULES:
        data = course_data(per_module, f"module-{module}.html")
        assert [m["id"] for m in data["modules"]] == [module]
        assert data["course"]["certificate"] is False
        assert data["completion"]["test"] == ("pass" if module == "post-test" else "none")
        assert data["xapi"]["cmi5"]["module"] == module


def test_activity_ids_do_not_depend_on_the_layout(per_module: Path, per_course: Path) -> None:
    """The course, module, page and question IRIs (the whole vocabulary) are the same in
    either layout: only the AUs differ."""
    whole = course_data(per_course, "index.html")["xapi"]
    assert [au.findtext(f"{CMI5}url") for au in aus(per_course)] == ["index.html"]
    assert whole["cmi5"]["au"] == "course" and whole["cmi5"]["module"] is None
    for module in MODULES:
        xapi = course_data(per_module, f"module-{module}.html")["xapi"]
        assert xapi.pop("cmi5")["au"] == "module"
        assert xapi == {k: v for k, v in whole.items() if k != "cmi5"}
    assert whole["activities"]["course"]["id"] == COURSE_ID


def test_ceforge_validate_accepts_the_package(per_module: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(per_module), "--strict"])
    assert result.exit_code == 0, result.output
    assert "cmi5" in result.output and "OK" in result.output


def test_a_bad_au_is_a_clear_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["build", str(EXAMPLE), "-t", "cmi5", "--au", "page", "-o", str(tmp_path / "out")]
    )
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert "Invalid value for '--au': 'page' is not one of 'course', 'module'" in result.output
    assert not (tmp_path / "out").exists()


def test_the_help_says_what_each_layout_does() -> None:
    result = CliRunner().invoke(main, ["build", "--help"], terminal_width=200)
    assert result.exit_code == 0
    assert "--au [course|module]" in result.output
    assert "cmi5: 'course' makes the whole course one AU" in result.output
    assert "Default: build.au of course.yml, else course." in result.output
