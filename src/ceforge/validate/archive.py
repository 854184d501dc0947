"""Reading a zip nobody vouches for: names checked, sizes capped, nothing extracted.

:func:`open_archive` reads the zip's directory (after checking, from the end record, that the
directory is of a sane size, and then that it lists as many members as the end record counts),
then judges every member's name and header: unsafe paths,
symbolic links, duplicates, encryption, unknown compression, data that overlaps another
member's or lies past the end, compression ratios of a zip bomb. :meth:`Archive.verify` then
reads every acceptable member once, in chunks, through :mod:`zipfile`: that checks each CRC and
counts the bytes that really come out (never trusting the sizes the headers declare) against
the limits. Checks read members through :meth:`Archive.read` (whole, under a cap) and
:meth:`Archive.chunks` (streamed); nothing is ever written to disk.
"""

from __future__ import annotations

import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from ceforge.pathrules import case_clash_message, case_clashes
from ceforge.validate.findings import Finding, Rule, finding

KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB

#: Compression methods zipfile reads: stored, deflated, bzip2, lzma.
_METHODS = frozenset({0, 8, 12, 14})
_LOCAL_HEADER = 30
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: What zipfile raises on a damaged or hostile archive (UnicodeDecodeError is a ValueError).
_UNREADABLE_ZIP = (
    zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, struct.error,
    RuntimeError, zlib.error,
)
_EOCD = struct.Struct("<4s4H2LH")
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")


@dataclass(frozen=True)
class Limits:
    """How much of a package ceforge reads; beyond these, it reports instead of reading."""

    #: Members the directory may list.
    max_members: int = 50_000
    #: Bytes of the zip's central directory (zipfile holds it in memory).
    max_directory: int = 16 * MIB
    #: Bytes of all members once uncompressed: as the directory declares them (judged before
    #: anything is read) and as counted while reading them (headers may lie).
    #: ``ceforge validate --max-uncompressed`` sets it.
    max_total: int = 1 * GIB
    #: Uncompressed / compressed size of one member (deflate peaks near 1032 on zeros).
    max_ratio: int = 100
    #: Members smaller than this are never judged by their ratio: real content (a text, an
    #: SVG) may compress well, a zip bomb's point is to be large.
    ratio_floor: int = 10 * MIB
    #: An XML or HTML file read into memory whole (manifests, launch pages).
    max_document: int = 16 * MIB
    #: Bytes read from a member at a time.
    chunk: int = 1 * MIB


def path_problem(path: str) -> str | None:
    """Why ``path`` (a member's name or a decoded href) is not a safe relative path, or None."""
    if _CONTROL.search(path):
        return "holds a control character"
    if "\\" in path:
        return "uses a backslash; use '/'"
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        return "is absolute; paths must be relative to the package root"
    if ".." in path.split("/"):
        return "climbs out of its folder with '..'"
    return None


@dataclass
class Archive:
    """An opened zip: its acceptable file members by name, and what was wrong with the rest."""

    path: Path
    limits: Limits
    handle: zipfile.ZipFile
    #: File members that are safe to look at (directories, unsafe names and links left out).
    members: dict[str, zipfile.ZipInfo] = field(default_factory=dict)
    #: Members present but not to be read: a bomb's ratio, encryption, a bad CRC.
    unreadable: set[str] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)
    #: Bytes that really came out of the members read so far.
    inflated: int = 0

    def report(self, rule: Rule, path: str, message: str) -> None:
        self.findings.append(finding(rule, path, message))

    def close(self) -> None:
        self.handle.close()

    # --- reading ----------------------------------------------------------------------------

    def chunks(self, name: str) -> Generator[bytes, None, None]:
        """The bytes of a readable member, a chunk at a time (nothing when it is unreadable)."""
        info = self.members.get(name)
        if info is None or name in self.unreadable:
            return
        try:
            with self.handle.open(info) as stream:
                while chunk := stream.read(self.limits.chunk):
                    yield chunk
        except _UNREADABLE_ZIP:
            self.unreadable.add(name)

    def read(self, name: str, cap: int | None = None) -> bytes | None:
        """A whole member, or None when it is absent, unreadable or larger than ``cap``."""
        cap = self.limits.max_document if cap is None else cap
        info = self.members.get(name)
        if info is None or name in self.unreadable or info.file_size > cap:
            return None
        parts: list[bytes] = []
        size = 0
        for chunk in self.chunks(name):
            size += len(chunk)
            if size > cap:
                return None
            parts.append(chunk)
        return None if name in self.unreadable else b"".join(parts)

    def verify(self) -> None:
        """Read every readable member once, in the order of the file: a bad CRC or a bomb
        shows here. Members past the total limit are left unread (and reported)."""
        limits = self.limits
        for name, info in sorted(self.members.items(), key=lambda item: item[1].header_offset):
            if name in self.unreadable:
                continue
            if self.inflated + info.file_size > limits.max_total:
                self.report(
                    Rule.TOO_LARGE,
                    name,
                    f"reading it would take the package past {size_text(limits.max_total)} "
                    "uncompressed (the limit; --max-uncompressed sets it); it and the members "
                    "after it are not checked",
                )
                self.unreadable.update(n for n, i in self.members.items()
                                       if i.header_offset >= info.header_offset)
                return
            self._verify_member(name, info)

    def _verify_member(self, name: str, info: zipfile.ZipInfo) -> None:
        limits = self.limits
        count = 0
        try:
            with self.handle.open(info) as stream:
                while chunk := stream.read(limits.chunk):
                    count += len(chunk)
                    self.inflated += len(chunk)
                    if count > limits.ratio_floor and count > limits.max_ratio * max(
                        info.compress_size, 1
                    ):
                        self.unreadable.add(name)
                        self.report(Rule.RATIO, name, _ratio_message(count, info, limits, True))
                        return
        except _UNREADABLE_ZIP as exc:
            self.unreadable.add(name)
            self.report(Rule.CORRUPT, name, f"cannot be read back intact: {exc}")


def size_text(n: int) -> str:
    """``n`` bytes for people: 1.5 GiB, 16.0 MiB, 512 bytes."""
    for unit, scale in (("GiB", GIB), ("MiB", MIB), ("KiB", KIB)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} bytes"


def _ratio_message(size: int, info: zipfile.ZipInfo, limits: Limits, read: bool) -> str:
    ratio = size / max(info.compress_size, 1)
    what = "expands to at least" if read else "declares"
    return (
        f"{what} {size_text(size)} from {size_text(info.compress_size)} (ratio {ratio:.0f}, limit "
        f"{limits.max_ratio}): a zip bomb; it is not read"
    )


# --- opening ----------------------------------------------------------------------------------


def open_archive(path: Path, limits: Limits) -> tuple[Archive | None, list[Finding]]:
    """The archive at ``path`` with its members judged, or None and why it cannot be read."""
    label = path.name
    try:
        with path.open("rb") as raw:
            size = raw.seek(0, 2)
            directory = _directory_size(raw, size)
        if directory is not None:
            entries, directory_bytes = directory
            if entries > limits.max_members or directory_bytes > limits.max_directory:
                message = (
                    f"the zip lists {entries} members in a directory of "
                    f"{size_text(directory_bytes)} (limits: {limits.max_members} members, "
                    f"{size_text(limits.max_directory)}); it is not read"
                )
                return None, [finding(Rule.TOO_LARGE, label, message)]
        handle = zipfile.ZipFile(path)
    except _UNREADABLE_ZIP as exc:
        return None, [finding(Rule.NOT_A_ZIP, label, f"cannot read the zip: {exc}")]
    archive = Archive(path, limits, handle)
    listed = len(handle.infolist())
    if directory is not None and directory[0] != listed:
        archive.report(
            Rule.CORRUPT, label, f"the zip's end record counts {directory[0]} members, its "
            f"directory lists {listed}: zip readers disagree on what the package holds",
        )
    _judge_members(archive, size)
    return archive, []


def _directory_size(raw: BinaryIO, size: int) -> tuple[int, int] | None:
    """(members, bytes) of the central directory from the end records, or None if absent."""
    tail_size = min(size, _EOCD.size + 0xFFFF)
    raw.seek(size - tail_size)
    tail = raw.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + _EOCD.size > len(tail):
        return None
    _sig, _disk, _start, _here, entries, directory, _offset, _comment = _EOCD.unpack_from(
        tail, at
    )
    locator_at = at - _ZIP64_LOCATOR.size
    if locator_at >= 0 and tail[locator_at:locator_at + 4] == b"PK\x06\x07":
        _sig64, _disk64, record, _disks = _ZIP64_LOCATOR.unpack_from(tail, locator_at)
        if 0 <= record <= size - _ZIP64_EOCD.size:
            raw.seek(record)
            data = raw.read(_ZIP64_EOCD.size)
            if data[:4] == b"PK\x06\x06":
                fields = _ZIP64_EOCD.unpack(data)
                entries, directory = fields[7], fields[8]
    return entries, directory


def _judge_members(archive: Archive, size: int) -> None:
    infos = archive.handle.infolist()
    for info in infos:
        name = info.orig_filename
        problem = path_problem(name)
        if problem:
            archive.report(Rule.UNSAFE_PATH, name, f"member {name!r} {problem}; it is refused")
            continue
        if stat.S_ISLNK(info.external_attr >> 16):
            archive.report(
                Rule.SYMLINK, name, "member is a symbolic link; it is refused (never followed)"
            )
            continue
        if name.endswith("/"):
            continue
        if name in archive.members:
            archive.report(
                Rule.DUPLICATE_MEMBER, name, "a second member has this name; only the first is "
                "checked, and LMSs disagree on which one they keep"
            )
            continue
        archive.members[name] = info
        _judge_header(archive, name, info)
    for name, first in case_clashes(archive.members):
        archive.report(Rule.CASE_CLASH, name, case_clash_message(first))
    _judge_layout(archive, size)
    _judge_declared_total(archive)


def _judge_header(archive: Archive, name: str, info: zipfile.ZipInfo) -> None:
    limits = archive.limits
    problem = None
    if info.flag_bits & 0x1:
        problem = "is encrypted; neither ceforge nor an LMS can read it"
    elif info.compress_type not in _METHODS:
        problem = f"uses compression method {info.compress_type}, which zip readers lack"
    if problem:
        archive.unreadable.add(name)
        archive.report(Rule.CORRUPT, name, problem)
    elif info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(
        info.compress_size, 1
    ):
        archive.unreadable.add(name)
        archive.report(Rule.RATIO, name, _ratio_message(info.file_size, info, limits, False))


def _judge_declared_total(archive: Archive) -> None:
    """The sizes the directory declares, added up in the order of the file, before anything
    is read: the member that takes the total past the limit is reported, and neither it nor
    the members after it are read (a zip bomb of many members, each under the ratio)."""
    limits = archive.limits
    total = 0
    placed = sorted(archive.members.items(), key=lambda item: item[1].header_offset)
    for index, (name, info) in enumerate(placed):
        if name in archive.unreadable:
            continue
        total += info.file_size
        if total <= limits.max_total:
            continue
        archive.report(
            Rule.TOO_LARGE,
            name,
            f"the members up to this one declare {size_text(total)} uncompressed, more than "
            f"the limit of {size_text(limits.max_total)} (--max-uncompressed sets it): a zip "
            "bomb, or a package too large to import; it and the members after it are not read",
        )
        archive.unreadable.update(n for n, _info in placed[index:])
        return


def _judge_layout(archive: Archive, size: int) -> None:
    """Members whose data cannot fit where the directory puts it: overlapping another entry
    (the mark of a bomb made of entries that share one compressed stream) or past the end."""
    placed = sorted(archive.handle.infolist(), key=lambda info: info.header_offset)
    for index, info in enumerate(placed):
        name = info.orig_filename
        if archive.members.get(name) is not info or name in archive.unreadable:
            continue
        encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
        header = _LOCAL_HEADER + len(name.encode(encoding, errors="replace"))
        end = info.header_offset + header + info.compress_size
        following = placed[index + 1].header_offset if index + 1 < len(placed) else size
        if end <= following:
            continue
        archive.unreadable.add(name)
        where = "past the end of the zip" if end > size else "into another member's"
        archive.report(Rule.CORRUPT, name, f"its data reaches {where}; it is not read")
