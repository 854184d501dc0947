"""The one place that writes packages: deterministic, and atomic (temporary file, then rename).

Zips have sorted members, fixed timestamps (``SOURCE_DATE_EPOCH`` when set), normalized
permissions, and store already-compressed media instead of deflating it again.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ceforge.targets.base import OutputFile

# 1980-01-01, the earliest time a zip can hold, when SOURCE_DATE_EPOCH is not set.
_DEFAULT_EPOCH = 315532800
STORED_SUFFIXES = frozenset(
    [
        ".jpg",
        ".jpeg",
        ".png",
        ".gif",
        ".webp",
        ".mp3",
        ".m4a",
        ".aac",
        ".oga",
        ".ogg",
        ".opus",
        ".flac",
        ".mp4",
        ".m4v",
        ".mov",
        ".ogv",
        ".webm",
        ".pdf",
        ".docx",  # office documents (handouts) are zips already
        ".xlsx",
        ".pptx",
        ".odt",
        ".ods",
        ".odp",
        ".woff",
        ".woff2",
        ".zip",
        ".gz",
    ]
)


def zip_timestamp() -> tuple[int, int, int, int, int, int]:
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", _DEFAULT_EPOCH))
    epoch = max(epoch, _DEFAULT_EPOCH)
    return time.gmtime(epoch)[:6]


def _sorted(files: Iterable[OutputFile]) -> list[OutputFile]:
    ordered = sorted(files, key=lambda f: f.path)
    for before, after in itertools.pairwise(ordered):
        if before.path == after.path:
            raise ValueError(f"two files of a package share the path {before.path!r}")
    return ordered


@dataclass(frozen=True)
class Staged:
    """A package written and checked beside its destination, not yet in place: a build stages
    the packages of all its targets, then puts them all in place, or none."""

    temporary: Path
    dest: Path

    def commit(self) -> Path:
        """Put the package in place (a folder replaces any older one)."""
        if not self.temporary.is_dir():
            os.replace(self.temporary, self.dest)
            return self.dest
        old = None
        if self.dest.exists():
            old = self.dest.with_name(f".{self.dest.name}.old.{os.getpid()}")
            os.replace(self.dest, old)
        os.replace(self.temporary, self.dest)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        return self.dest

    def discard(self) -> None:
        if self.temporary.is_dir():
            shutil.rmtree(self.temporary, ignore_errors=True)
        else:
            self.temporary.unlink(missing_ok=True)


def write_zip(
    files: Iterable[OutputFile], dest: Path, check: Callable[[Path], None] | None = None
) -> Path:
    """Write a reproducible zip at ``dest`` through a temporary file in the same folder.

    ``check`` is called with the finished temporary file before it is renamed to ``dest``; when
    it raises, the temporary file is removed and ``dest`` is left as it was.
    """
    return stage_zip(files, dest, check).commit()


def stage_zip(
    files: Iterable[OutputFile], dest: Path, check: Callable[[Path], None] | None = None
) -> Staged:
    """``write_zip`` but for the rename: the checked zip, beside ``dest``."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    stamp = zip_timestamp()
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=f".tmp{dest.suffix}",
                                   dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w") as archive:
            for item in _sorted(files):
                info = zipfile.ZipInfo(item.path, date_time=stamp)
                info.external_attr = 0o644 << 16
                info.create_system = 3
                stored = Path(item.path).suffix.lower() in STORED_SUFFIXES
                info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
                archive.writestr(info, item.read(), compresslevel=None if stored else 6)
        os.chmod(tmp, 0o644)
        if check is not None:
            check(Path(tmp))
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Staged(Path(tmp), dest)


def write_folder(files: Iterable[OutputFile], dest: Path) -> Path:
    """Write a folder at ``dest``: built beside it, then swapped in place of any older one."""
    return stage_folder(files, dest).commit()


def stage_folder(files: Iterable[OutputFile], dest: Path) -> Staged:
    """``write_folder`` but for the swap: the folder, built beside ``dest``."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=f".tmp{dest.suffix}",
                                   dir=dest.parent))
    try:
        for item in _sorted(files):
            target = tmp / item.path
            target.parent.mkdir(parents=True, exist_ok=True)
            if item.source is not None and item.data is None:
                shutil.copyfile(item.source, target)
            else:
                target.write_bytes(item.read())
            os.chmod(target, 0o644)
        # mkdtemp makes the folder private (0700): a web server running as another user
        # could not serve the course from it. Folders 0755 and files 0644, as in the zips.
        for folder in [tmp, *(p for p in tmp.rglob("*") if p.is_dir())]:
            os.chmod(folder, 0o755)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return Staged(tmp, dest)


def write_file(data: bytes, dest: Path) -> Path:
    """Write one file (a question bank) at ``dest``: a temporary file beside it, then a rename,
    so that ``dest`` is never seen half-written."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return dest


def stage_file(data: bytes, dest: Path) -> Staged:
    """``data`` written beside ``dest`` (the dossier, a records file, a certificate), to be put
    in place with the other files of the same command, or discarded."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=f".tmp{dest.suffix}",
                                   dir=dest.parent)
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.chmod(name, 0o644)
    return Staged(Path(name), dest)


def commit_all(staged: Iterable[Staged]) -> list[Path]:
    """Put every staged file in place."""
    return [s.commit() for s in staged]
