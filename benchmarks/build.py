"""How fast ceforge builds a large course, against the floor of writing the same zip.

    python benchmarks/build.py [--modules 50,100,200] [--repeat N] [--keep DIR]

Generates a synthetic course (N modules x 5 pages x 5 questions, 100 images of about 200 KB
of random bytes as .png and .jpg), then, for each size, builds every target alone and
``--target all`` together, each in a fresh subprocess (so that its peak memory, ru_maxrss, is
its own), twice: a first build with an empty module cache (``ceforge.parsecache``, which it
fills) and a rebuild of the unchanged course from that cache. For each package it then times
Python's ``zipfile`` writing the very same members with the same compression (the floor: what
any packager must spend) and prints the ratio.
The SCORM targets are built with ``--sco module``: one SCO of 25 questions fits SCORM 1.2's
4096 characters of state, a 5000-question single SCO does not.

Each build also reports its CPU seconds (on a machine others share, a steadier figure than
the wall time) and the peak memory of its process tree, sampled from /proc (PSS).

Goals (issue 4): one target <= 1.5x its zip floor; all targets <= 1.3x the sum of the floors;
peak memory < 300 MB; time linear in the course size.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

PAGES = 5
QUESTIONS = 5
IMAGES = 100
IMAGE_BYTES = 200_000
WORDS = [
    *("client therapist session empathy reflection boundary consent supervision alliance",),
    *("rupture repair culture humility listening summary question affirm change plan goal",),
    *("risk safety ethics record privacy family group trauma grief anxiety mood sleep work",),
    *("school stress coping values practice skill feedback review evidence approach model",),
]
WORDS = [word for line in WORDS for word in line.split()]


# --- the synthetic course ------------------------------------------------------------------------


def paragraph(rng: random.Random, words: int = 90) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def questions(rng: random.Random, module: int, page: int) -> str:
    """Five questions of the common kinds: choice, select-all, true/false, order, matching."""
    q = f"m{module}p{page}"
    return f"""::: quiz

### Which response best reflects the client's feeling? {{#{q}-choice}}

- [ ] {paragraph(rng, 8)}
- [x] {paragraph(rng, 8)}
- [ ] {paragraph(rng, 8)}
- [ ] {paragraph(rng, 8)}

> {paragraph(rng, 20)}

### Select every open question. {{#{q}-multi}}

- [x] What brings you here today?
- [ ] Did you sleep well?
- [x] How did that feel?
- [ ] Are you married?

### Empathy means agreeing with the client. {{#{q}-tf}}

- [ ] True
- [x] False

### Put the steps in order. {{#{q}-order}}

1. Notice the rupture
2. Name it tentatively
3. Acknowledge your part
4. Return to the task

### Match each skill with its example. {{#{q}-match}}

- Open question = "What is that like for you?"
- Affirmation = "You worked hard on this."
- Reflection = "You feel stuck."

:::
"""


def module_text(rng: random.Random, module: int, modules: int) -> str:
    images = [(2 * module) % IMAGES, (2 * module + 1) % IMAGES]
    pages = []
    for page in range(PAGES):
        body = "\n\n".join(paragraph(rng) for _ in range(3))
        figure = ""
        if page < len(images):
            n = images[page]
            figure = f"\n\n![Figure {n}](../assets/figure-{n:03d}.{'png' if n % 2 else 'jpg'})"
        pages.append(f"## Page {page + 1}\n\n{body}{figure}\n\n{questions(rng, module, page)}")
    objectives = "\n".join(f"  - {paragraph(rng, 10)}" for _ in range(3))
    return (
        f"---\ntitle: Module {module + 1} of {modules}\nminutes: 30\nobjectives:\n{objectives}\n"
        f"---\n\n" + "\n".join(pages)
    )


def write_course(root: Path, modules: int, seed: int = 1) -> Path:
    rng = random.Random(seed)
    (root / "modules").mkdir(parents=True)
    (root / "assets").mkdir()
    (root / "course.yml").write_text(
        f"id: https://bench.example.org/courses/size-{modules}\n"
        f"title: Benchmark course of {modules} modules\nversion: 1.0.0\n",
        encoding="utf-8",
    )
    for n in range(IMAGES):
        name = f"figure-{n:03d}.{'png' if n % 2 else 'jpg'}"
        (root / "assets" / name).write_bytes(rng.randbytes(IMAGE_BYTES))
    for m in range(modules):
        text = module_text(rng, m, modules)
        (root / "modules" / f"{m + 1:03d}-topic{m + 1:03d}.md").write_text(text, encoding="utf-8")
    return root


# --- one measured build, in its own process ------------------------------------------------------

CHILD = """
import json, os, resource, sys, time
from pathlib import Path
import ceforge.build
import ceforge.targets.common
from ceforge.targets.base import BuildOptions
from ceforge.targets.registry import available_targets
available_targets()  # imports every target module before the clock starts
if os.environ.get("CEFORGE_BENCH_RUNTIME"):
    ceforge.targets.common.RUNTIME_DIR = Path(os.environ["CEFORGE_BENCH_RUNTIME"])
course, out, targets = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3].split(",")
from ceforge.parsecache import ModuleCache
cache = ModuleCache(Path(sys.argv[4]))
parse = []
check = ceforge.build.check_course_folder
def timed(*args, **kwargs):
    start = time.perf_counter()
    result = check(*args, **kwargs)
    parse.append(time.perf_counter() - start)
    return result
ceforge.build.check_course_folder = timed  # the build's own read-and-check stage, timed
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
def cpu():
    return sum(u.ru_utime + u.ru_stime
               for u in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))
cpu_start = cpu()
start = time.perf_counter()
written = ceforge.build.build(
    course, targets, out, options=BuildOptions(sco="module"), cache=cache
).paths
seconds = time.perf_counter() - start
cpu_seconds = cpu() - cpu_start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "cpu": cpu_seconds, "parse": sum(parse), "parses": len(parse),
                  "cached": cache.hits,
                  "peak_kb": peak, "import_kb": before, "written": [str(p) for p in written]}))
"""


def measure(course: Path, out: Path, targets: list[str], repeat: int) -> dict[str, object]:
    """Build ``targets`` in a fresh interpreter, ``repeat`` times, as a first build (an empty
    module cache, which it fills) and as a rebuild (the cache the first build left, the course
    unchanged). The fastest run of each: seconds, parse seconds, peak memory; the rebuild's
    under ``re_`` keys."""
    firsts, rebuilds = [], []
    for _ in range(repeat):
        cache = out.with_name(out.name + ".cache")
        shutil.rmtree(cache, ignore_errors=True)
        firsts.append(_measure_once(course, out, targets, cache))
        rebuilds.append(_measure_once(course, out, targets, cache))
        shutil.rmtree(cache, ignore_errors=True)
    first = min(firsts, key=lambda run: float(str(run["seconds"])))
    rebuild = min(rebuilds, key=lambda run: float(str(run["seconds"])))
    return first | {f"re_{key}": value for key, value in rebuild.items()}


def _measure_once(course: Path, out: Path, targets: list[str], cache: Path) -> dict[str, object]:
    shutil.rmtree(out, ignore_errors=True)
    process = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(course), str(out), ",".join(targets), str(cache)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    with TreeMemory(process.pid) as memory:
        stdout, stderr = process.communicate()
    if process.returncode:
        raise BuildFailed(stderr.strip().splitlines()[-1])
    data: dict[str, object] = json.loads(stdout)
    data["tree_pss_kb"], data["tree_rss_kb"] = memory.peak_pss, memory.peak_rss
    return data


class TreeMemory:
    """The peak memory of a process and all its descendants, summed: proportional (PSS: a
    page shared by forked processes counted once in all) and resident (RSS: counted in each),
    sampled from /proc every 20 ms while the process runs. Zero where there is no /proc (then
    only the child's own ru_maxrss tells)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_pss = self.peak_rss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> TreeMemory:
        if Path("/proc/self/smaps_rollup").exists():
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            pss = rss = 0
            for pid in _descendants(self.pid):
                try:
                    text = Path(f"/proc/{pid}/smaps_rollup").read_text()
                except OSError:
                    continue
                for line in text.splitlines():
                    if line.startswith("Pss:"):
                        pss += int(line.split()[1])
                    elif line.startswith("Rss:"):
                        rss += int(line.split()[1])
            self.peak_pss, self.peak_rss = max(self.peak_pss, pss), max(self.peak_rss, rss)


def _descendants(root: int) -> list[int]:
    """``root`` and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry.name}/stat").read_text()
        except OSError:
            continue
        parent = int(stat.rpartition(")")[2].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


class BuildFailed(Exception):
    pass


def stand_in_runtime(work: Path, targets: list[str]) -> list[str]:
    """Point the builds at a copy of the runtime where each missing adapter is a one-line
    stand-in (adapters weigh a few KB; the timing is the packaging's). Returns their names."""
    from ceforge.targets.common import RUNTIME_DIR

    missing = [t for t in targets if not (RUNTIME_DIR / "adapters" / f"{t}.js").is_file()]
    if missing:
        copy = work / "runtime"
        shutil.copytree(RUNTIME_DIR, copy, dirs_exist_ok=True)
        for name in missing:
            (copy / "adapters" / f"{name}.js").write_text("/* stand-in */\n")
        os.environ["CEFORGE_BENCH_RUNTIME"] = str(copy)
    return missing


# --- the floor: zipfile alone writing the same members -------------------------------------------


def zip_floor(package: Path) -> float:
    """Seconds ``zipfile`` takes to write the members of ``package`` (read beforehand, not
    timed) with the same compression, into memory-backed files on the same disk."""
    with zipfile.ZipFile(package) as archive:
        items = [(info, archive.read(info)) for info in archive.infolist()]
    dest = package.with_name(package.name + ".floor")
    start = time.perf_counter()
    with open(dest, "wb") as raw, zipfile.ZipFile(raw, "w") as archive:
        for info, data in items:
            level = 6 if info.compress_type == zipfile.ZIP_DEFLATED else None
            archive.writestr(info, data, compresslevel=level)
    seconds = time.perf_counter() - start
    dest.unlink()
    return seconds


def folder_floor(folder: Path) -> float:
    """Seconds plain file writes take to write the files of ``folder`` (read beforehand)."""
    items = [(p.relative_to(folder), p.read_bytes()) for p in folder.rglob("*") if p.is_file()]
    dest = folder.with_name(folder.name + ".floor")
    start = time.perf_counter()
    for rel, data in items:
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    seconds = time.perf_counter() - start
    shutil.rmtree(dest)
    return seconds


def floor_of(path: Path, repeat: int) -> float:
    """The fastest of ``repeat`` floor measurements."""
    return min(folder_floor(path) if path.is_dir() else zip_floor(path) for _ in range(repeat))


# --- the report ----------------------------------------------------------------------------------


def run_size(course: Path, work: Path, targets: list[str], repeat: int) -> list[dict[str, object]]:
    rows = []
    floors: dict[str, float] = {}
    for target in list(targets):
        try:
            data = measure(course, work / target, [target], repeat)
        except BuildFailed as exc:
            print(f"  {target}: cannot build, left out: {exc}")
            targets.remove(target)
            continue
        (path,) = [Path(p) for p in json.loads(json.dumps(data["written"]))]
        floors[target] = floor_of(path, repeat)
        size = (
            path.stat().st_size
            if path.is_file()
            else sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
        )
        rows.append({"target": target, "floor": floors[target], "bytes": size, **data})
    data = measure(course, work / "all", targets, repeat)
    rows.append({"target": "all", "floor": sum(floors.values()), "bytes": 0, **data})
    return rows


def print_rows(modules: int, rows: list[dict[str, object]]) -> None:
    """Two lines per build, the first build (empty module cache) and the rebuild (every module
    from the cache): the whole build, its parse (read + check, done once per build), the rest
    (render, write, verify: the packaging), the floor, and both ratios to the floor."""
    print(f"\n{modules} modules ({modules * PAGES} pages, {modules * PAGES * QUESTIONS} questions)")
    print(
        f"  {'target':<10} {'build':<7} {'build s':>8} {'parse s':>8} {'pack s':>7} "
        f"{'floor s':>8} {'build/floor':>11} {'pack/floor':>10} {'goal':>5} {'cpu s':>6} "
        f"{'peak MB':>8} {'tree MB':>8} {'size MB':>8}"
    )
    for row in rows:
        floor = float(str(row["floor"]))
        goal = 1.3 if row["target"] == "all" else 1.5
        size = int(str(row["bytes"])) / 1e6
        for label, prefix in (("first", ""), ("rebuild", "re_")):
            seconds, parse = (float(str(row[prefix + k])) for k in ("seconds", "parse"))
            pack = max(seconds - parse, 0.0)
            ratio = seconds / floor if floor else float("inf")
            pack_ratio = pack / floor if floor else float("inf")
            verdict = "ok" if ratio <= goal else "MISS"
            peak = int(str(row[prefix + "peak_kb"])) / 1024
            tree = int(str(row[prefix + "tree_pss_kb"])) / 1024
            cpu = float(str(row[prefix + "cpu"]))
            name = row["target"] if not prefix else ""
            print(
                f"  {name!s:<10} {label:<7} {seconds:8.2f} {parse:8.2f} {pack:7.2f} {floor:8.2f} "
                f"{ratio:11.1f} {pack_ratio:10.2f} {verdict:>5} {cpu:6.2f} {peak:8.0f} "
                f"{tree:8.0f} {size:8.1f}"
            )
    parses = rows[-1]["parses"]
    print(f"  ('all' read and checked the course {parses} time(s); its floor is the floors' sum)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", default="50,100,200", help="course sizes, comma-separated")
    parser.add_argument("--keep", type=Path, help="keep the courses and packages in this folder")
    parser.add_argument(
        "--repeat", type=int, default=1, help="measure each this many times, keep the fastest"
    )
    args = parser.parse_args()
    from ceforge.targets.registry import available_targets

    targets = list(available_targets())
    work = args.keep or Path(tempfile.mkdtemp(prefix="ceforge-bench-"))
    print(f"ceforge build benchmark: targets {', '.join(targets)}; python {sys.version.split()[0]}")
    print(f"work folder {work} (SCORM targets with --sco module)")
    stand_ins = stand_in_runtime(work, targets)
    if stand_ins:
        print(f"adapters not written yet, replaced by stand-ins: {', '.join(stand_ins)}")
    try:
        for modules in (int(n) for n in args.modules.split(",")):
            course = write_course(work / f"course-{modules}", modules)
            rows = run_size(course, work / f"out-{modules}", targets, args.repeat)
            print_rows(modules, rows)
            sys.stdout.flush()
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
