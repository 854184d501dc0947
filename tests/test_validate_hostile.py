"""Hostile packages (zip slip, links, bombs, entity attacks) are reported without harm, within
bounded work and memory.

Each runs in a fresh Python process, in an empty working folder, that validates it and reports
the findings, how many bytes it inflated from the zip (every read of a member counted), the
peak of traced Python memory (tracemalloc) and the peak resident size of the whole process
(VmHWM, else ru_maxrss: lxml, zlib and Python together). Work is counted in bytes, not
seconds, so that the bound means the same on a loaded machine and a quiet one: a bomb that
worked would be inflated by the gigabyte. Nothing may be written, and no file an entity or a
link points at may show in the output.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from validate_cases import CASES, HOSTILE

INFLATED_BYTES = 64 * 1024 * 1024  # the bombs below expand to 256 MiB and 1 GiB
TRACED_BYTES = 100 * 1024 * 1024
RESIDENT_KIB = 100 * 1024  # the interpreter and lxml take about 40 MB of it

PROBE = """
import json, resource, sys, tracemalloc, zipfile
from pathlib import Path
from ceforge.validate import validate_package


def resident_peak_kib():
    # Linux carries ru_maxrss over fork and exec (a child of a large pytest starts "large");
    # VmHWM is the peak of this program's own memory.
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


inflated = 0
_read = zipfile.ZipExtFile.read


def counted_read(self, n=-1):
    global inflated
    data = _read(self, n)
    inflated += len(data)
    return data


zipfile.ZipExtFile.read = counted_read
tracemalloc.start()
report = validate_package(Path(sys.argv[1]))
traced = tracemalloc.get_traced_memory()[1]
print(json.dumps({
    "findings": [[f.code, f.path, f.line] for f in report.findings],
    "text": "".join(str(f) for f in report.findings),
    "inflated": inflated,
    "traced": traced,
    "resident_kib": resident_peak_kib(),
}))
"""


def test_the_hostile_set_is_large_enough() -> None:
    assert len(HOSTILE) >= 8
    assert {name.split("[")[0] for name in HOSTILE} >= {
        "zip.unsafe-path", "zip.symlink", "zip.ratio", "xml.entity"
    }


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_package_is_reported_without_harm(name: str, tmp_path: Path) -> None:
    (tmp_path / "made").mkdir()
    case = CASES[name](tmp_path / "made")
    assert case.limits is None  # hostile packages meet the default limits
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    env = {**os.environ, "TMPDIR": str(cwd)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(case.path)],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=True,
    )
    probe = json.loads(done.stdout)
    assert {tuple(f) for f in probe["findings"]} == case.expected
    assert probe["inflated"] < INFLATED_BYTES, probe
    assert probe["traced"] < TRACED_BYTES, probe
    assert probe["resident_kib"] < RESIDENT_KIB, probe
    assert list(cwd.iterdir()) == [], "validate wrote files"
    assert not Path("/tmp/ceforge-zip-slip-proof.sh").exists()
    for secret in case.secrets:
        assert secret not in probe["text"]
