"""The web target is reproducible and lean: the same sources give the same bytes, whatever the
files' times, the output folder or Python's hash seed, and the output holds only the assets the
course refers to.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from ceforge import coursedata
from ceforge.build import build, check_course_folder
from ceforge.coursedata import module_data_path
from ceforge.targets.common import CORE_SCRIPTS, STYLESHEETS, messages_for
from conftest import EXAMPLE

EVERY_TYPE = Path(__file__).parent / "fixtures" / "web" / "every-type"

BUILD = """\
import sys
from pathlib import Path
from ceforge.build import build
build(Path(sys.argv[1]), ["web"], Path(sys.argv[2]), zip_folders=True)
"""


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by its relative path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def build_in_process(course: Path, out: Path, hash_seed: str) -> None:
    env = os.environ | {"PYTHONHASHSEED": hash_seed}
    subprocess.run([sys.executable, "-c", BUILD, str(course), str(out)], env=env, check=True,
                   timeout=120)


def test_two_builds_of_the_example_are_byte_identical(tmp_path: Path) -> None:
    course = tmp_path / "course"
    shutil.copytree(EXAMPLE, course)
    first = tmp_path / "first"
    build_in_process(course, first, "1")
    # Other file times, another output folder, another hash seed: the same bytes.
    for path in course.rglob("*"):
        os.utime(path, (1_000_000_000, 1_000_000_000))
    second = tmp_path / "elsewhere" / "second"
    build_in_process(course, second, "2")

    (folder,) = (p for p in first.iterdir() if p.is_dir())
    (zipped,) = first.glob("*.zip")
    assert sorted(p.name for p in second.iterdir()) == sorted(p.name for p in first.iterdir())
    first_tree = tree(folder)
    second_tree = tree(second / folder.name)
    assert sorted(second_tree) == sorted(first_tree)
    different = [name for name in first_tree if first_tree[name] != second_tree[name]]
    assert not different, f"files that differ between two builds: {different}"
    assert (second / zipped.name).read_bytes() == zipped.read_bytes()


def test_only_referenced_assets_are_copied(tmp_path: Path) -> None:
    (folder,) = build(EVERY_TYPE, ["web"], tmp_path).paths
    assert (EVERY_TYPE / "assets" / "unreferenced.txt").is_file()
    assert sorted(p.name for p in (folder / "assets").iterdir()) == [
        "diagram.svg", "handout.txt", "logo.svg"]


def test_every_file_of_the_example_build_is_runtime_or_referenced(tmp_path: Path) -> None:
    (folder,) = build(EXAMPLE, ["web"], tmp_path).paths
    data = course_data(folder)
    referenced = local_references(data)
    content = {name for name in tree(folder)
               if name != "index.html" and not name.startswith("ceforge/")}
    assert content == referenced
    assert {name for name in tree(folder) if name.startswith("ceforge/")} == {
        *(f"ceforge/{name}" for name in (*CORE_SCRIPTS, *STYLESHEETS)), "ceforge/adapters/web.js",
        *(module_data_path(m["id"]) for m in data["modules"])}


def test_the_launch_page_and_its_module_scripts_hold_the_whole_course_data(
    tmp_path: Path,
) -> None:
    (folder,) = build(EXAMPLE, ["web"], tmp_path).paths
    launch = launch_data(folder)
    assert all(m["data"] == module_data_path(m["id"]) for m in launch["modules"])
    assert not any("html" in p for m in launch["modules"] for p in m["pages"])
    result = check_course_folder(EXAMPLE)
    assert result.course is not None
    whole = coursedata.course_data(result.course, messages_for("en"))
    assert course_data(folder) == json.loads(coursedata.to_json(whole))


def launch_data(folder: Path) -> dict[str, Any]:
    html = (folder / "index.html").read_text(encoding="utf-8")
    found = re.search(r'<script type="application/json" id="ceforge-course">(.*?)</script>',
                      html, re.S)
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def course_data(folder: Path) -> dict[str, Any]:
    """The launch page's course data with its modules' text (their scripts) put back."""
    data = launch_data(folder)
    parts = {
        m["id"]: coursedata.read_module_script((folder / m["data"]).read_text(encoding="utf-8"))
        for m in data["modules"] if "data" in m
    }
    return coursedata.join_course_data(data, parts)


def local_references(data: dict[str, Any]) -> set[str]:
    """Paths in the package that the course's HTML, its media and theme point to."""
    html = json.dumps(data, ensure_ascii=False)
    found = set(re.findall(r'(?:src|href)=\\"([^"\\#?]+)', html))
    local = {path for path in found if ":" not in path and not path.startswith("//")}
    logo = data["course"]["theme"]["logo"]
    # Videos and audios name their files in the course data (the runtime makes the player).
    media = {path for block in data["blocks"] if "media" in block
             for key in ("src", "captions", "poster", "transcript")
             if (path := block["media"][key]) and ":" not in path}
    certificate = data["course"]["certificate"]
    signature = certificate and certificate["signature"] and certificate["signature"]["image"]
    return local | media | {image for image in (logo, signature) if image}


def test_a_web_server_of_another_user_can_serve_the_folder(tmp_path: Path) -> None:
    """Folders 0755 and files 0644 (as in the zips): the folder was built in a private
    temporary folder (0700), which a web server running as www-data could not enter."""
    (folder,) = build(EVERY_TYPE, ["web"], tmp_path).paths
    modes = {
        p.relative_to(tmp_path).as_posix(): oct(p.stat().st_mode & 0o777)
        for p in [folder, *folder.rglob("*")]
    }
    assert {mode for name, mode in modes.items() if (tmp_path / name).is_dir()} == {"0o755"}
    assert {mode for name, mode in modes.items() if (tmp_path / name).is_file()} == {"0o644"}
