"""What ceforge reads in media files: a WebVTT file's cues (checked line by line), and the
duration of a WebM/Matroska, Ogg (Opus, Vorbis), MP4 or WAV file, when it can be told from the
file's headers (``None`` otherwise: the cues are then not checked against it)."""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field
from pathlib import Path

# --- WebVTT ------------------------------------------------------------------------------------

_TIMESTAMP = r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
_TIMING = re.compile(rf"^{_TIMESTAMP}[ \t]+-->[ \t]+{_TIMESTAMP}(?:[ \t].*)?$")
_HEADER = re.compile(r"^WEBVTT(?:[ \t].*)?$")
_LOOKS_TIMED = re.compile(r"^\s*\d+:\d")


@dataclass(frozen=True)
class Cue:
    line: int  # of its timing line
    start: float
    end: float
    text: str


@dataclass
class VttFile:
    cues: list[Cue] = field(default_factory=list)
    #: (line, message) of each problem, in file order
    problems: list[tuple[int, str]] = field(default_factory=list)


def _seconds(groups: tuple[str | None, ...]) -> float:
    hours, minutes, seconds, millis = (int(g or 0) for g in groups)
    return hours * 3600 + minutes * 60 + seconds + millis / 1000


def parse_vtt(text: str, duration: float | None = None) -> VttFile:
    """The cues of a WebVTT file and what is wrong with it: no ``WEBVTT`` signature, a timing
    line that does not parse, a cue that ends before it starts, cues out of order (by start
    time), a cue that ends after ``duration`` (when known, with half a second of slack)."""
    result = VttFile()
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not lines or not _HEADER.match(lines[0]):
        result.problems.append((1, "a WebVTT file starts with the line WEBVTT"))
        return result
    index = 1
    while index < len(lines) and lines[index].strip():  # the header block
        if "-->" in lines[index]:
            result.problems.append((index + 1, "a blank line must separate WEBVTT from the cues"))
            break
        index += 1
    while index < len(lines):
        while index < len(lines) and not lines[index].strip():
            index += 1
        if index >= len(lines):
            break
        block_start = index
        block: list[str] = []
        while index < len(lines) and lines[index].strip():
            block.append(lines[index])
            index += 1
        _read_block(block, block_start + 1, result)
    _check_order(result, duration)
    return result


def _read_block(block: list[str], first_line: int, result: VttFile) -> None:
    head = block[0].strip()
    if head.startswith(("NOTE", "STYLE", "REGION")) and "-->" not in head:
        return
    timing_at = 0 if "-->" in block[0] else 1
    if timing_at >= len(block) or "-->" not in block[timing_at]:
        # A line that starts like a time is the timing line, written wrong.
        near = next((i for i, text in enumerate(block[:2]) if _LOOKS_TIMED.match(text)), None)
        if near is not None:
            result.problems.append(
                (first_line + near, f"cannot read the cue timing {block[near].strip()!r}; "
                                    "write hh:mm:ss.ttt --> hh:mm:ss.ttt (or mm:ss.ttt)")
            )
        else:
            result.problems.append(
                (first_line, "a cue needs a timing line such as 00:00:01.000 --> 00:00:04.000")
            )
        return
    line = first_line + timing_at
    match = _TIMING.match(block[timing_at].strip())
    if match is None:
        result.problems.append(
            (line, f"cannot read the cue timing {block[timing_at].strip()!r}; write "
                   "hh:mm:ss.ttt --> hh:mm:ss.ttt (or mm:ss.ttt)")
        )
        return
    start, end = _seconds(match.groups()[:4]), _seconds(match.groups()[4:])
    if end <= start:
        result.problems.append((line, "the cue ends before it starts (or when it starts)"))
    text = "\n".join(block[timing_at + 1 :]).strip()
    if not text:
        result.problems.append((line, "the cue has no text"))
    result.cues.append(Cue(line, start, end, text))


def _check_order(result: VttFile, duration: float | None) -> None:
    previous: Cue | None = None
    for cue in result.cues:
        if previous is not None and cue.start < previous.start:
            result.problems.append(
                (cue.line, f"the cue starts at {_clock(cue.start)}, before the cue above it "
                           f"(line {previous.line}, {_clock(previous.start)}): cues go in order")
            )
        if duration is not None and cue.end > duration + 0.5:
            result.problems.append(
                (cue.line, f"the cue ends at {_clock(cue.end)}, after the end of the media "
                           f"({_clock(duration)})")
            )
        previous = cue
    result.problems.sort()


def _clock(seconds: float) -> str:
    whole, millis = divmod(round(seconds * 1000), 1000)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}.{millis:03d}"


# --- durations ---------------------------------------------------------------------------------

MAX_HEADER = 4 * 1024 * 1024  # bytes read from the front of a file to find its duration


def duration_of(path: Path) -> float | None:
    """The media's duration in seconds, when its headers tell it."""
    try:
        with path.open("rb") as handle:
            head = handle.read(MAX_HEADER)
            size = path.stat().st_size
            if head.startswith(b"\x1a\x45\xdf\xa3"):
                return _matroska(head)
            if head.startswith(b"OggS"):
                handle.seek(max(0, size - 65536))
                return _ogg(head, handle.read())
            if head[4:8] == b"ftyp":
                return _mp4(head)
            if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
                return _wav(head)
    except (OSError, ValueError, struct.error, IndexError):
        return None
    return None


def _vint(data: bytes, at: int, *, keep_marker: bool = False) -> tuple[int, int]:
    """An EBML variable-length integer at ``at``: (value, length)."""
    first = data[at]
    length = 1
    while length <= 8 and not first & (0x80 >> (length - 1)):
        length += 1
    if length > 8:
        raise ValueError("bad EBML number")
    value = first if keep_marker else first & (0xFF >> length)
    for byte in data[at + 1 : at + length]:
        value = (value << 8) | byte
    return value, length


def _elements(data: bytes, start: int, end: int) -> list[tuple[int, int, int]]:
    """The EBML elements between ``start`` and ``end``: (id, data start, data end)."""
    found = []
    at = start
    while at < min(end, len(data)):
        ident, id_len = _vint(data, at, keep_marker=True)
        size, size_len = _vint(data, at + id_len)
        body = at + id_len + size_len
        unknown = size == (1 << (7 * size_len)) - 1
        stop = end if unknown else body + size
        found.append((ident, body, stop))
        if unknown:
            break
        at = stop
    return found


def _matroska(data: bytes) -> float | None:
    top = _elements(data, 0, len(data))
    segment = next((e for e in top if e[0] == 0x18538067), None)
    if segment is None:
        return None
    for ident, body, stop in _elements(data, segment[1], segment[2]):
        if ident != 0x1549A966:  # Info
            continue
        scale, duration = 1_000_000, None
        for child, start, end in _elements(data, body, stop):
            if child == 0x2AD7B1:
                scale = int.from_bytes(data[start:end], "big")
            elif child == 0x4489:
                duration = struct.unpack(">f" if end - start == 4 else ">d", data[start:end])[0]
        return None if duration is None else float(duration) * scale / 1e9
    return None


def _ogg(head: bytes, tail: bytes) -> float | None:
    """Opus (granules at 48 kHz, less the pre-skip) or Vorbis (at its sample rate)."""
    page = head[27 + head[26] :]  # the first page's payload, after its segment table
    if page.startswith(b"OpusHead"):
        rate, skip = 48000, struct.unpack_from("<H", page, 10)[0]
    elif page.startswith(b"\x01vorbis"):
        rate, skip = struct.unpack_from("<I", page, 12)[0], 0
    else:
        return None
    last = tail.rfind(b"OggS")
    if last < 0 or rate <= 0:
        return None
    granule: int = struct.unpack_from("<q", tail, last + 6)[0]
    return float(max(granule - skip, 0) / rate)


def _mp4(data: bytes) -> float | None:
    at = data.find(b"mvhd")
    if at < 0:
        return None
    version = data[at + 4]
    if version == 1:
        scale, duration = struct.unpack_from(">IQ", data, at + 24)
    else:
        scale, duration = struct.unpack_from(">II", data, at + 16)
    return float(duration) / scale if scale else None


def _wav(data: bytes) -> float | None:
    at, rate = 12, 0
    while at + 8 <= len(data):
        chunk, size = data[at : at + 4], struct.unpack_from("<I", data, at + 4)[0]
        if chunk == b"fmt ":
            rate = struct.unpack_from("<I", data, at + 16)[0]  # bytes per second
        elif chunk == b"data" and rate:
            return float(size) / rate
        at += 8 + size + (size & 1)
    return None
