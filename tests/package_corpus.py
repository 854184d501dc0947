"""Packages for the tests of ``ceforge validate``, generated on the fly.

- Small, valid packages of every kind (``scorm12()``, ``scorm2004()``, ``tincan()``,
  ``cmi5()``): a manifest, a launch page, a script that finds the LMS, an image; written by
  hand, as another authoring tool would, so that the corpus does not hang on ceforge's builds.
- ``write_zip``: a normal zip through :mod:`zipfile`; ``raw_zip``: a zip written byte by byte,
  for what zipfile refuses to write (lying sizes, links, unsafe names, overlapping entries).
- ``line``: the 1-based line of a text where a needle first occurs, for expected locations.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

from ceforge.scormspec import SCORM12, SCORM2004_3RD, SCORM2004_4TH, Edition

Files = dict[str, bytes]

PNG = bytes(range(256)) * 8  # an "image": incompressible enough, 2 KiB


def line(text: str | bytes, needle: str) -> int:
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    at = text.index(needle)
    return text.count("\n", 0, at) + 1


def schema_files(edition: Edition) -> Files:
    return {path.name: path.read_bytes() for path in edition.schema_files()}


# --- SCORM -------------------------------------------------------------------------------------

SCORM12_MANIFEST = """\
<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="com.example.tiny" version="1"
    xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd \
http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="org1">
    <organization identifier="org1">
      <title>A tiny course</title>
      <item identifier="item1" identifierref="r1">
        <title>Lesson one</title>
        <adlcp:masteryscore>80</adlcp:masteryscore>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="index.html">
      <file href="index.html"/>
      <file href="scorm.js"/>
      <file href="media/logo.png"/>
    </resource>
  </resources>
</manifest>
"""

SCORM2004_MANIFEST = """\
<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="com.example.tiny" version="1"
    xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
    xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"
    xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3"
    xmlns:imsss="http://www.imsglobal.org/xsd/imsss"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd \
http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd \
http://www.adlnet.org/xsd/adlseq_v1p3 adlseq_v1p3.xsd \
http://www.adlnet.org/xsd/adlnav_v1p3 adlnav_v1p3.xsd \
http://www.imsglobal.org/xsd/imsss imsss_v1p0.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>{schemaversion}</schemaversion>
  </metadata>
  <organizations default="org1">
    <organization identifier="org1">
      <title>A tiny course</title>
      <item identifier="item1" identifierref="r1">
        <title>Lesson one</title>
        <imsss:sequencing>
          <imsss:objectives>
            <imsss:primaryObjective objectiveID="pass" satisfiedByMeasure="true">
              <imsss:minNormalizedMeasure>0.8</imsss:minNormalizedMeasure>
            </imsss:primaryObjective>
          </imsss:objectives>
        </imsss:sequencing>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="r1" type="webcontent" adlcp:scormType="sco" href="index.html">
      <file href="index.html"/>
      <file href="scorm.js"/>
      <file href="media/logo.png"/>
    </resource>
  </resources>
</manifest>
"""

PAGE = """\
<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Lesson one</title>
<script src="scorm.js"></script></head>
<body><img src="media/logo.png" alt="Logo"><p>Lesson one.</p></body>
</html>
"""

SCORM12_JS = """\
function findAPI(win) {
  for (var n = 0; win && n < 7; n++, win = win.parent) {
    if (win.API) return win.API;
    if (win === win.parent) break;
  }
  return null;
}
var api = findAPI(window) || (window.opener && findAPI(window.opener));
if (api) api.LMSInitialize("");
"""

SCORM2004_JS = """\
function findAPI(win) {
  for (var n = 0; win && n < 500; n++, win = win.parent) {
    if (win.API_1484_11) return win.API_1484_11;
    if (win === win.parent) break;
  }
  return null;
}
var api = findAPI(window);
if (api) api.Initialize("");
"""


def scorm12() -> Files:
    return {
        "imsmanifest.xml": SCORM12_MANIFEST.encode(),
        "index.html": PAGE.encode(),
        "scorm.js": SCORM12_JS.encode(),
        "media/logo.png": PNG,
        **{n: d for n, d in schema_files(SCORM12).items() if n != "imsmd_rootv1p2p1.xsd"},
    }


def scorm2004(edition: Edition = SCORM2004_4TH, schemaversion: str | None = None) -> Files:
    text = SCORM2004_MANIFEST.format(schemaversion=schemaversion or edition.schemaversion)
    return {
        "imsmanifest.xml": text.encode(),
        "index.html": PAGE.encode(),
        "scorm.js": SCORM2004_JS.encode(),
        "media/logo.png": PNG,
        **schema_files(edition),
    }


def scorm2004_3rd() -> Files:
    return scorm2004(SCORM2004_3RD)


# --- Tin Can and cmi5 --------------------------------------------------------------------------

TINCAN_XML = """\
<?xml version="1.0" encoding="utf-8"?>
<tincan xmlns="http://projecttincan.com/tincan.xsd">
  <activities>
    <activity id="https://example.org/tiny" type="http://adlnet.gov/expapi/activities/course">
      <name lang="en">A tiny course</name>
      <description lang="en">One lesson.</description>
      <launch lang="en">index.html</launch>
    </activity>
    <activity id="https://example.org/tiny/lesson-1" \
type="http://adlnet.gov/expapi/activities/lesson">
      <name lang="en">Lesson one</name>
      <description lang="en">The lesson.</description>
    </activity>
  </activities>
</tincan>
"""

CMI5_XML = """\
<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="https://example.org/tiny">
    <title><langstring lang="en">A tiny course</langstring></title>
    <description><langstring lang="en">One lesson.</langstring></description>
  </course>
  <objectives>
    <objective id="https://example.org/tiny/objective/1">
      <title><langstring lang="en">Listen</langstring></title>
      <description><langstring lang="en">Listen well.</langstring></description>
    </objective>
  </objectives>
  <au id="https://example.org/tiny/au/1" moveOn="CompletedAndPassed" masteryScore="0.8" \
launchMethod="AnyWindow">
    <title><langstring lang="en">Lesson one</langstring></title>
    <description><langstring lang="en">The lesson.</langstring></description>
    <objectives>
      <objective idref="https://example.org/tiny/objective/1"/>
    </objectives>
    <url>index.html</url>
  </au>
</courseStructure>
"""

XAPI_JS = """\
var query = new URLSearchParams(location.search);
var endpoint = query.get("endpoint");
"""

XAPI_PAGE = PAGE.replace("scorm.js", "xapi.js")


def tincan() -> Files:
    return {
        "tincan.xml": TINCAN_XML.encode(),
        "index.html": XAPI_PAGE.encode(),
        "xapi.js": XAPI_JS.encode(),
        "media/logo.png": PNG,
    }


def cmi5() -> Files:
    return {
        "cmi5.xml": CMI5_XML.encode(),
        "index.html": XAPI_PAGE.encode(),
        "xapi.js": XAPI_JS.encode(),
        "media/logo.png": PNG,
    }


def edited(files: Files, name: str, old: str, new: str) -> Files:
    """A copy of ``files`` with ``old`` replaced by ``new`` (which must occur) in ``name``."""
    text = files[name].decode("utf-8")
    assert old in text, f"{old!r} is not in {name}"
    return {**files, name: text.replace(old, new, 1).encode("utf-8")}


# --- writing zips ------------------------------------------------------------------------------


def write_zip(path: Path, files: Files) -> Path:
    """A normal zip: images stored, the rest deflated."""
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            stored = name.endswith((".png", ".jpg", ".mp4"))
            method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            archive.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), data,
                             compress_type=method)
    return path


@dataclass
class Entry:
    """One member of a zip written byte by byte: what its headers declare and what it holds."""

    name: str
    #: The bytes after the local header (already compressed when ``method`` is 8).
    data: bytes
    method: int = 0
    crc: int = 0
    #: The uncompressed size the headers declare.
    size: int = 0
    mode: int = 0o100644
    flags: int = 0x800  # names in UTF-8
    #: Point this entry's directory record at an earlier entry's data (overlapping entries).
    same_data_as: str | None = None
    #: Declare a comment as long as the next directory record: readers that trust the
    #: directory's sizes take that record for this one's comment and lose its member.
    hides_next: bool = False


def stored(name: str, data: bytes, **fields: object) -> Entry:
    entry = Entry(name, data, 0, zlib.crc32(data), len(data))
    for key, value in fields.items():
        setattr(entry, key, value)
    return entry


def deflated(name: str, data: bytes, **fields: object) -> Entry:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    entry = Entry(name, packer.compress(data) + packer.flush(), 8, zlib.crc32(data), len(data))
    for key, value in fields.items():
        setattr(entry, key, value)
    return entry


def zeros_bomb(name: str, size: int, declared: int | None = None) -> Entry:
    """A member that inflates to ``size`` zero bytes from a few KiB per MiB; its headers
    declare ``declared`` (default: the truth)."""
    mib = 1 << 20
    assert size % mib == 0
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(b"\0" * mib) + packer.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    zero = b"\0" * mib
    for _ in range(size // mib):
        crc = zlib.crc32(zero, crc)
    data = block * (size // mib) + packer.flush()
    return Entry(name, data, 8, crc, size if declared is None else declared)


def raw_zip(path: Path, entries: list[Entry]) -> Path:
    """Write ``entries`` as a zip, exactly as declared (no zip64: sizes under 4 GiB)."""
    local = struct.Struct("<4s5H3L2H")
    central = struct.Struct("<4s6H3L5H2L")
    body = bytearray()
    offsets: dict[str, int] = {}
    records = []
    for entry in entries:
        name = entry.name.encode("utf-8")
        if entry.same_data_as is not None:
            offset = offsets[entry.same_data_as]
        else:
            offset = len(body)
            offsets[entry.name] = offset
            body += local.pack(b"PK\x03\x04", 20, entry.flags, entry.method, 0, 0x5821,
                               entry.crc, len(entry.data), entry.size, len(name), 0)
            body += name + entry.data
        records.append(
            central.pack(b"PK\x01\x02", (3 << 8) | 20, 20, entry.flags, entry.method, 0, 0x5821,
                         entry.crc, len(entry.data), entry.size, len(name), 0, 0, 0, 0,
                         entry.mode << 16, offset) + name
        )
    for index, entry in enumerate(entries[:-1]):
        if entry.hides_next:
            record = bytearray(records[index])
            struct.pack_into("<H", record, 32, len(records[index + 1]))  # comment length
            records[index] = bytes(record)
    directory = b"".join(records)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(records), len(records),
                      len(directory), len(body), 0)
    path.write_bytes(bytes(body) + directory + end)
    return path


def raw_package(path: Path, files: Files, *extra: Entry) -> Path:
    """``files`` as a zip written byte by byte, with ``extra`` entries after them."""
    entries = [
        stored(name, data) if name.endswith(".png") else deflated(name, data)
        for name, data in files.items()
    ]
    return raw_zip(path, [*entries, *extra])
