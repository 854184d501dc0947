"""How fast ``ceforge validate`` checks a large package, and how little memory it takes.

    python benchmarks/validate.py [--size 1G] [--files 100] [--deflate] [--keep DIR]

Generates a SCORM 1.2 package holding ``--size`` of media in ``--files`` files (stored, as
authoring tools store video; ``--deflate`` deflates them instead), each listed in the manifest
and named by the launch page, then validates it in a fresh subprocess (so that its peak
memory is its own) and prints the time, the peak resident memory (VmHWM) and the floor: the
time Python's ``zipfile`` alone takes to read every member back (what checking each CRC
costs any tool). Goals (issue 6): memory bounded whatever the size (well under 100 MB), time
close to the floor.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "src" / "ceforge" / "schemas" / "scorm12"
MIB = 1 << 20

MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="com.example.large" version="1"
    xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd \
http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org1">
    <organization identifier="org1">
      <title>A large course</title>
      <item identifier="item1" identifierref="r1"><title>Videos</title>
        <adlcp:masteryscore>80</adlcp:masteryscore></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="index.html">
      <file href="index.html"/>
{files}
    </resource>
  </resources>
</manifest>
"""

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Videos</title>
<script>var api = window.parent.API; if (api) api.LMSInitialize("");</script></head>
<body>{videos}</body></html>
"""

PROBE = """
import json, resource, sys, time
from pathlib import Path
from ceforge.validate import validate_package

def peak_kib():
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

start = time.perf_counter()
report = validate_package(Path(sys.argv[1]))
print(json.dumps({"seconds": time.perf_counter() - start, "peak_kib": peak_kib(),
                  "kind": report.kind, "findings": [str(f) for f in report.findings]}))
"""


def parse_size(text: str) -> int:
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    text = text.strip().upper().rstrip("B")
    if text and text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text)


def generate(path: Path, size: int, files: int, deflate: bool) -> None:
    """A SCORM 1.2 zip with ``files`` media files of ``size`` bytes in all."""
    block = os.urandom(MIB)
    each = max(size // files, 1)
    names = [f"media/video-{n:04d}.mp4" for n in range(files)]
    method = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
    listed = "\n".join(f'      <file href="{name}"/>' for name in names)
    videos = "".join(f'<video src="{name}"></video>' for name in names)
    with zipfile.ZipFile(path, "w", allowZip64=True) as archive:
        archive.writestr("imsmanifest.xml", MANIFEST.format(files=listed))
        archive.writestr("index.html", PAGE.format(videos=videos))
        for schema in ("imscp_rootv1p1p2.xsd", "adlcp_rootv1p2.xsd", "ims_xml.xsd"):
            archive.write(SCHEMAS / schema, schema)
        for name in names:
            info = zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0))
            info.compress_type = method
            with archive.open(info, "w", force_zip64=each > 0xFFFF0000) as out:
                left = each
                while left:
                    chunk = block[: min(left, MIB)]
                    out.write(chunk)
                    left -= len(chunk)


def floor(path: Path) -> float:
    """Seconds for zipfile alone to read every member back (checking each CRC)."""
    start = time.perf_counter()
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            with archive.open(info) as member:
                while member.read(MIB):
                    pass
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="1G", help="media in the package (default: 1G)")
    parser.add_argument("--files", type=int, default=100, help="media files (default: 100)")
    parser.add_argument("--deflate", action="store_true", help="deflate the media")
    parser.add_argument("--keep", type=Path, help="write the package here and keep it")
    args = parser.parse_args()
    size = parse_size(args.size)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        package = folder / "large-scorm12.zip"
        start = time.perf_counter()
        generate(package, size, args.files, args.deflate)
        made = time.perf_counter() - start
        print(f"package: {package.stat().st_size / MIB:.0f} MiB on disk, {args.files} media "
              f"files, {'deflated' if args.deflate else 'stored'} (generated in {made:.1f} s)")
        base = floor(package)
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        done = subprocess.run([sys.executable, "-c", PROBE, str(package)], env=env,
                              capture_output=True, text=True, check=True)
        result = json.loads(done.stdout)
    print(f"validate: {result['seconds']:.2f} s, peak memory {result['peak_kib'] / 1024:.0f} MB, "
          f"kind {result['kind']}, {len(result['findings'])} findings")
    for line in result["findings"][:10]:
        print(f"  {line}")
    print(f"floor (zipfile reads every member): {base:.2f} s; "
          f"validate / floor = {result['seconds'] / base:.2f}")


if __name__ == "__main__":
    main()
