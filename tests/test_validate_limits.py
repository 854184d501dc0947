"""How much of a package ``ceforge validate`` reads: the zip-bomb limits, found from the zip's
directory before anything is expanded, and the option that sets the total."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import package_corpus as pc
from ceforge.cli import main
from ceforge.validate import Limits, validate_package
from ceforge.validate.archive import GIB, MIB, Archive
from ceforge.verify import verify_zip
from package_corpus import raw_package, stored, zeros_bomb

MANIFEST = "imsmanifest.xml"


def with_film(tmp: Path, *film: pc.Entry) -> Path:
    files = pc.edited(pc.scorm12(), MANIFEST, '<file href="index.html"/>',
                      '<file href="index.html"/>\n      <file href="media/film.mp4"/>')
    return raw_package(tmp / "package.zip", files, *film)


def test_the_defaults() -> None:
    limits = Limits()
    assert (limits.max_total, limits.max_ratio, limits.ratio_floor) == (GIB, 100, 10 * MIB)


@pytest.mark.parametrize(("mib", "bomb"), [(8, False), (16, True)])
def test_a_ratio_above_100_is_a_bomb_for_a_member_over_10_mib(
    tmp_path: Path, mib: int, bomb: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    read: list[str] = []
    verify_member = Archive._verify_member

    def spy(self: Archive, name: str, info: object) -> None:
        read.append(name)
        verify_member(self, name, info)  # type: ignore[arg-type]

    monkeypatch.setattr(Archive, "_verify_member", spy)
    report = validate_package(with_film(tmp_path, zeros_bomb("media/film.mp4", mib * MIB)))
    codes = [(f.code, f.path) for f in report.findings]
    if bomb:
        assert codes == [("zip.ratio", "media/film.mp4")]
        assert "declares 16.0 MiB" in report.findings[0].message
        assert "media/film.mp4" not in read  # found from the directory, never expanded
    else:
        assert codes == []  # 8 MiB of zeros: odd, but no bomb
        assert "media/film.mp4" in read


def test_the_total_is_judged_from_the_directory_and_names_the_member(tmp_path: Path) -> None:
    film = stored("media/film.mp4", bytes(range(256)) * 1024, crc=1)  # 256 KiB, bad CRC
    package = with_film(tmp_path, film)
    result = CliRunner().invoke(main, ["validate", "--max-uncompressed", "200KiB", str(package)])
    assert result.exit_code == 1
    assert result.stdout == (
        "media/film.mp4: error: the members up to this one declare 279.7 KiB uncompressed, "
        "more than the limit of 200.0 KiB (--max-uncompressed sets it): a zip bomb, or a "
        "package too large to import; it and the members after it are not read "
        "[zip.too-large]\n"
    )
    relaxed = CliRunner().invoke(main, ["validate", "--max-uncompressed", "1MB", str(package)])
    assert "[zip.corrupt]" in relaxed.stdout  # within the limit, it is read: the CRC is wrong


@pytest.mark.parametrize("size", ["0", "1 GB", "lots", "2PiB", "-1MiB"])
def test_a_size_that_is_not_one(tmp_path: Path, size: str) -> None:
    package = pc.write_zip(tmp_path / "package.zip", pc.scorm12())
    result = CliRunner().invoke(main, ["validate", "--max-uncompressed", size, str(package)])
    if size == "1 GB":
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code == 2
        assert "is not a size such as 500MiB or 2GiB" in result.output


def test_the_build_judges_its_own_packages_without_the_bomb_limits(tmp_path: Path) -> None:
    """A course's own large, compressible files are no zip bomb of the build's."""
    package = with_film(tmp_path, zeros_bomb("media/film.mp4", 16 * MIB))
    assert [f.code for f in validate_package(package).findings] == ["zip.ratio"]
    assert verify_zip(package) == []
