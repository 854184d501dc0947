"""How fast ceforge builds a large course, against the floors any such tool stands on.

    python benchmarks/build.py [--modules 50,100,200] [--repeat 5] [--baseline DIR] [--keep DIR]

(``nox -s bench`` runs it with MkDocs installed, the ``bench`` dependency group.)

Generates a synthetic course (N modules x 5 pages x 5 questions, 100 images of about 200 KB
of random bytes as .png and .jpg) and measures, for each size, in one run:

- every target alone and ``--target all``, as a first build (an empty module cache, which it
  fills) and as a rebuild (every module from that cache), each in a fresh interpreter whose
  imports are done before the clock starts (start-up is measured on its own);
- floor **a** of each package: Python's ``zipfile`` writing the very same members with the
  same compression (plain file writes for the web folder);
- floor **b**: bare markdown-it-py with the plugins ceforge uses, parsing and rendering every
  module;
- ``mkdocs build`` of the same Markdown files and images (when MkDocs is installed), its
  imports done before the clock starts too;
- the start-up of each command: the interpreter and the modules that command imports
  (found with ``python -X importtime`` on a course of one module), imported in a fresh
  interpreter, against the interpreter alone and the libraries alone;
- the peak memory of each build's process tree (PSS summed over the tree, sampled from /proc).

The measurements are interleaved: each repetition runs every one of them once, in an order
rotated from one repetition to the next, so that a noisy moment of a shared machine falls on
all of them alike. Each figure is the median of the repetitions, with their min–max; CPU
seconds (user + system of the process and its children) are the steadier figure on a machine
others share, and the ratios use them. With ``--baseline DIR`` (a folder holding another
ceforge's ``src/`` and ``templates/``, e.g. from ``git archive``), every build is also run
with that ceforge, interleaved with the current one, and its ratios are printed beside.

The goals, with ceforge's start-up taken out (see the table printed at the end):

=================================================  ==========
first build, one target, vs a + b                  <= 1.3x
``--target all`` first build vs b + sum of a       <= 1.5x
rebuild, one target, vs a                          <= 2x
``--target all`` rebuild vs sum of a               <= 2x
start-up of any command                            <= 0.15 s
one target vs ``mkdocs build``                     <= 0.6x
all five targets vs ``mkdocs build``               <= 1.0x
peak memory of the process tree (``--target all``) < 200 MB
=================================================  ==========

The SCORM targets are built with ``--sco module``: one SCO of 25 questions fits SCORM 1.2's
4096 characters of state, a 5000-question single SCO does not.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
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
TARGETS = ("web", "scorm12", "scorm2004", "tincan", "cmi5")


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


def module_text(rng: random.Random, module: int, modules: int, images: int) -> str:
    shown = [(2 * module) % images, (2 * module + 1) % images] if images else []
    pages = []
    for page in range(PAGES):
        body = "\n\n".join(paragraph(rng) for _ in range(3))
        figure = ""
        if page < len(shown):
            n = shown[page]
            figure = f"\n\n![Figure {n}](../assets/figure-{n:03d}.{'png' if n % 2 else 'jpg'})"
        pages.append(f"## Page {page + 1}\n\n{body}{figure}\n\n{questions(rng, module, page)}")
    objectives = "\n".join(f"  - {paragraph(rng, 10)}" for _ in range(3))
    return (
        f"---\ntitle: Module {module + 1} of {modules}\nminutes: 30\nobjectives:\n{objectives}\n"
        f"---\n\n" + "\n".join(pages)
    )


def write_course(root: Path, modules: int, seed: int = 1, images: int = IMAGES) -> Path:
    rng = random.Random(seed)
    (root / "modules").mkdir(parents=True)
    (root / "assets").mkdir()
    (root / "course.yml").write_text(
        f"id: https://bench.example.org/courses/size-{modules}\n"
        f"title: Benchmark course of {modules} modules\nversion: 1.0.0\n",
        encoding="utf-8",
    )
    for n in range(images):
        name = f"figure-{n:03d}.{'png' if n % 2 else 'jpg'}"
        (root / "assets" / name).write_bytes(rng.randbytes(IMAGE_BYTES))
    for m in range(modules):
        text = module_text(rng, m, modules, images)
        (root / "modules" / f"{m + 1:03d}-topic{m + 1:03d}.md").write_text(text, encoding="utf-8")
    return root


def write_mkdocs_project(course: Path, dest: Path) -> Path:
    """The same Markdown files and images as a MkDocs project (its default theme and plugins)."""
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(course / "modules", dest / "docs" / "modules")
    shutil.copytree(course / "assets", dest / "docs" / "assets")
    (dest / "docs" / "index.md").write_text("# Benchmark course\n", encoding="utf-8")
    (dest / "mkdocs.yml").write_text(
        f"site_name: Benchmark course\nsite_dir: {dest / 'site'}\n", encoding="utf-8"
    )
    return dest / "mkdocs.yml"


# --- what the child processes run ----------------------------------------------------------------

#: Every child prints one JSON line: its CPU seconds (user + system, itself and its children)
#: and wall seconds of the measured part only, and its peak resident memory.
CLOCK = """
import json, os, resource, sys, time
def _cpu():
    return sum(u.ru_utime + u.ru_stime
               for u in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))
class Clock:
    def __enter__(self):
        self.cpu, self.wall = _cpu(), time.perf_counter()
        return self
    def __exit__(self, *exc):
        self.cpu, self.wall = _cpu() - self.cpu, time.perf_counter() - self.wall
    def report(self, **more):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(json.dumps({"cpu": self.cpu, "wall": self.wall, "process_cpu": _cpu(),
                          "peak_kb": peak, **more}))
"""

#: A build: every module of ceforge (but the preview's) imported before the clock starts.
BUILD = (
    CLOCK
    + """
import importlib, pkgutil
from pathlib import Path
import ceforge
for info in pkgutil.walk_packages(ceforge.__path__, "ceforge."):
    if not info.name.startswith(("ceforge.preview", "ceforge.__main__", "ceforge.docs")):
        importlib.import_module(info.name)
import ceforge.build
from ceforge.targets.base import BuildOptions
from ceforge.parsecache import ModuleCache
course, out, targets, cache = sys.argv[1], sys.argv[2], sys.argv[3].split(","), sys.argv[4]
cache = ModuleCache(Path(cache))
with Clock() as clock:
    built = ceforge.build.build(Path(course), targets, Path(out),
                                options=BuildOptions(sco="module"), cache=cache)
clock.report(read=built.timings.seconds.get("read", 0.0), cached=cache.hits,
             written=[str(p) for p in built.paths])
"""
)

#: Floor a: zipfile writing the members of a package with the same compression (read first).
ZIP_FLOOR = (
    CLOCK
    + """
import zipfile
from pathlib import Path
package, dest = Path(sys.argv[1]), Path(sys.argv[2])
if package.is_dir():
    items = [(p.relative_to(package), p.read_bytes()) for p in sorted(package.rglob("*"))
             if p.is_file()]
    with Clock() as clock:
        for rel, data in items:
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
else:
    with zipfile.ZipFile(package) as archive:
        items = [(info, archive.read(info)) for info in archive.infolist()]
    with Clock() as clock:
        with open(dest, "wb") as raw, zipfile.ZipFile(raw, "w") as archive:
            for info, data in items:
                level = 6 if info.compress_type == zipfile.ZIP_DEFLATED else None
                archive.writestr(info, data, compresslevel=level)
clock.report()
"""
)

#: Floor b: bare markdown-it-py and the plugins ceforge uses, parsing and rendering each module.
PARSE_FLOOR = (
    CLOCK
    + """
from pathlib import Path
from markdown_it import MarkdownIt
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.tasklists import tasklists_plugin
texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[1]).glob("modules/*.md"))]
with Clock() as clock:
    md = (MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")
          .use(front_matter_plugin).use(footnote_plugin).use(tasklists_plugin)
          .use(attrs_plugin).use(attrs_block_plugin)
          .use(container_plugin, name="block", validate=lambda params, *a: bool(params.strip())))
    html = [md.render(text) for text in texts]
clock.report()
"""
)

#: MkDocs: ``mkdocs build`` of the same Markdown, its modules imported before the clock starts.
MKDOCS = (
    CLOCK
    + """
import logging
import markdown, mkdocs.commands.build, mkdocs.config, mkdocs.plugins, mkdocs.theme
logging.getLogger("mkdocs").setLevel(logging.ERROR)
with Clock() as clock:
    mkdocs.commands.build.build(mkdocs.config.load_config(sys.argv[1]))
clock.report()
"""
)

#: Start-up: the given modules imported, in order, in a fresh interpreter.
IMPORTS = CLOCK + """
import importlib
with Clock() as clock:
    for name in sys.argv[1:]:
        try:
            importlib.import_module(name)
        except ImportError:  # looked for and not found (sitecustomize, say): the same cost
            pass
clock.report()
"""


# --- running children ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Ceforge:
    """A ceforge to measure: the installed one (``path`` None) or the source tree at ``path``."""

    label: str
    path: Path | None = None

    def env(self) -> dict[str, str]:
        env = dict(os.environ, PYTHONHASHSEED="0")
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: compiled once, then read
        if self.path is not None:
            env["PYTHONPATH"] = os.pathsep.join([str(self.path / "src"), env.get("PYTHONPATH", "")])
        return env


class ChildFailed(Exception):
    pass


def run_child(program: str, args: Sequence[str], env: dict[str, str]) -> dict[str, float]:
    """Run ``program`` in a fresh interpreter; its JSON line, with the peak PSS and RSS of its
    process tree (``tree_kb``, ``tree_rss_kb``)."""
    process = subprocess.Popen(
        [sys.executable, "-c", program, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    with TreeMemory(process.pid) as memory:
        stdout, stderr = process.communicate()
    if process.returncode:
        lines = stderr.strip().splitlines() or ["(no message)"]
        raise ChildFailed(lines[-1])
    data: dict[str, float] = json.loads(stdout.strip().splitlines()[-1])
    data["tree_kb"], data["tree_rss_kb"] = memory.peak_pss, memory.peak_rss
    return data


class TreeMemory:
    """The peak memory of a process and all its descendants, summed: proportional (PSS: a
    page shared by forked processes counted once in all) and resident (RSS: counted in each),
    sampled from /proc every 20 ms while the process runs. Zero where there is no /proc."""

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


# --- samples -------------------------------------------------------------------------------------


@dataclass
class Samples:
    """The repetitions of one measurement."""

    runs: list[dict[str, float]] = field(default_factory=list)

    def values(self, key: str) -> list[float]:
        return [float(run[key]) for run in self.runs if key in run]

    def median(self, key: str = "cpu") -> float:
        values = self.values(key)
        return statistics.median(values) if values else float("nan")

    def spread(self, key: str = "cpu", scale: float = 1.0, digits: int = 2) -> str:
        """``median (min–max)``."""
        values = [v * scale for v in self.values(key)]
        if not values:
            return "-"
        middle = statistics.median(values)
        if len(values) == 1:
            return f"{middle:.{digits}f}"
        return f"{middle:.{digits}f} ({min(values):.{digits}f}–{max(values):.{digits}f})"


Job = Callable[[], None]


def interleaved(jobs: list[tuple[str, Job]], repeat: int) -> None:
    """Run every job once per repetition, the order rotated by one each time."""
    for rep in range(repeat):
        shift = rep % len(jobs)
        order = jobs[shift:] + jobs[:shift]
        for name, job in order:
            print(f"    [{rep + 1}/{repeat}] {name}", file=sys.stderr, flush=True)
            job()


# --- one course size -----------------------------------------------------------------------------


@dataclass
class Size:
    """Every measurement of one course size, by name: ``<ceforge> <target> first|rebuild``,
    ``a <target>``, ``b``, ``mkdocs``."""

    modules: int
    samples: dict[str, Samples] = field(default_factory=dict)
    bytes: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, run: dict[str, float]) -> None:
        self.samples.setdefault(name, Samples()).runs.append(run)

    def get(self, name: str) -> Samples:
        return self.samples.get(name, Samples())


def measure_size(
    course: Path,
    work: Path,
    forges: list[Ceforge],
    targets: list[str],
    repeat: int,
    mkdocs: bool,
) -> Size:
    size = Size(int(str(course.name).rsplit("-", 1)[1]))
    packages: dict[str, Path] = {}
    jobs: list[tuple[str, Job]] = []

    def build_job(forge: Ceforge, names: list[str], label: str) -> Job:
        def job() -> None:
            out = work / f"{forge.label}-{label}"
            cache = work / f"{forge.label}-{label}.cache"
            shutil.rmtree(cache, ignore_errors=True)
            for kind in ("first", "rebuild"):
                shutil.rmtree(out, ignore_errors=True)
                args = [str(course), str(out), ",".join(names), str(cache)]
                run = run_child(BUILD, args, forge.env())
                size.add(f"{forge.label} {label} {kind}", run)
                written = [Path(p) for p in json.loads(json.dumps(run.pop("written")))]
                if forge is forges[0] and len(names) == 1:
                    packages[label] = _keep(written[0], work / "packages")
                    size.bytes[label] = _size(written[0])
            shutil.rmtree(cache, ignore_errors=True)

        return job

    for target in targets:
        for forge in forges:
            jobs.append((f"{forge.label} {target}", build_job(forge, [target], target)))
    for forge in forges:
        jobs.append((f"{forge.label} all", build_job(forge, targets, "all")))

    def parse_floor() -> None:
        size.add("b", run_child(PARSE_FLOOR, [str(course)], forges[0].env()))

    jobs.append(("floor b", parse_floor))

    def zip_floors() -> None:
        for target, package in packages.items():
            dest = work / f"floor-{package.name}"
            size.add(f"a {target}", run_child(ZIP_FLOOR, [str(package), str(dest)], os.environ))
            if dest.is_dir():
                shutil.rmtree(dest)
            else:
                dest.unlink()

    # Last in the first repetition: the builds before it wrote the packages.
    jobs.append(("floors a", zip_floors))
    if mkdocs:
        config = write_mkdocs_project(course, work / "mkdocs")

        def mkdocs_build() -> None:
            size.add("mkdocs", run_child(MKDOCS, [str(config)], os.environ))

        jobs.insert(-1, ("mkdocs", mkdocs_build))
    interleaved(jobs, repeat)
    return size


def _keep(path: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / path.name
    if dest.is_dir():
        shutil.rmtree(dest)
    if path.is_dir():
        shutil.copytree(path, dest)
    else:
        shutil.copyfile(path, dest)
    return dest


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# --- start-up ------------------------------------------------------------------------------------

_IMPORT_LINE = re.compile(r"^import time:\s+\d+ \|\s+\d+ \| (\s*)(\S+)$")


def command_imports(
    args: Sequence[str], env: dict[str, str], cwd: Path
) -> tuple[list[str], list[str]]:
    """The modules a ceforge command imports itself (which import the rest), and every module
    it imports but ceforge's own, from ``python -X importtime``."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "ceforge", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
    )
    if result.returncode:
        raise ChildFailed(f"ceforge {' '.join(args)}: {result.stderr.strip()[-300:]}")
    names, libraries = [], []
    for line in result.stderr.splitlines():
        match = _IMPORT_LINE.match(line)
        if not match:
            continue
        if not match.group(1):  # imported by the program itself, not by a module
            names.append(match.group(2))
        if match.group(2).split(".")[0] not in ("ceforge", "__main__"):
            libraries.append(match.group(2))
    return names, libraries


def startup_commands(work: Path, targets: list[str]) -> dict[str, list[str]]:
    """The commands whose start-up is measured, on a course of one module (and its package)."""
    tiny = work / "course-1"
    if not tiny.exists():
        write_course(tiny, 1, images=0)
    out = work / "startup-out"
    commands = {
        "ceforge --version": ["--version"],
        "ceforge new": ["new", str(work / "startup-new"), "-q"],
        "ceforge check": ["check", str(tiny), "--no-cache", "-q"],
        **{
            f"ceforge build --target {t}": ["build", str(tiny), "-t", t, "-o", str(out),
                                            "--no-cache", "-q"]
            for t in [*targets, "all"]
        },
        "ceforge validate": ["validate", str(out / "size-1-1.0.0-scorm12.zip"), "-q"],
        "ceforge statements": ["statements", str(tiny), "--learner", "mailto:a@example.org",
                               "--path", "pass", "--seed", "1"],
    }
    return commands


@dataclass
class Startup:
    """CPU seconds of the interpreter, and of each command's imports with and without ceforge's
    own modules (the libraries alone: the floor of what a command can import)."""

    interpreter: Samples = field(default_factory=Samples)
    commands: dict[str, Samples] = field(default_factory=dict)
    libraries: dict[str, Samples] = field(default_factory=dict)


def measure_startup(work: Path, forges: list[Ceforge], targets: list[str], repeat: int) -> dict[
    str, Startup
]:
    results = {forge.label: Startup() for forge in forges}
    jobs: list[tuple[str, Job]] = []
    for forge in forges:
        env = forge.env()
        startup = results[forge.label]
        for name, args in startup_commands(work, targets).items():
            shutil.rmtree(work / "startup-new", ignore_errors=True)
            imports, libraries = command_imports(args, env, work)

            def job(imports: list[str] = imports, libraries: list[str] = libraries,
                    name: str = name, startup: Startup = startup, env: dict[str, str] = env,
                    ) -> None:
                startup.commands.setdefault(name, Samples()).runs.append(
                    run_child(IMPORTS, imports, env))
                startup.libraries.setdefault(name, Samples()).runs.append(
                    run_child(IMPORTS, libraries, env))

            jobs.append((f"{forge.label} start-up {name}", job))

        def interpreter(startup: Startup = startup, env: dict[str, str] = env) -> None:
            startup.interpreter.runs.append(_interpreter(env))

        jobs.append((f"{forge.label} interpreter", interpreter))
    interleaved(jobs, repeat)
    return results


def _interpreter(env: dict[str, str]) -> dict[str, float]:
    """The CPU seconds of an interpreter that imports nothing more than it must."""
    before = os.times()
    subprocess.run([sys.executable, "-c", "pass"], check=True, env=env)
    after = os.times()
    cpu = after.children_user + after.children_system - before.children_user
    cpu -= before.children_system
    return {"cpu": cpu, "process_cpu": cpu, "wall": after.elapsed - before.elapsed}


# --- the report ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Goal:
    what: str
    limit: float
    unit: str = "x"
    below: bool = False  # a strict limit (<)

    def met(self, value: float) -> bool:
        return value < self.limit if self.below else value <= self.limit

    def shown(self) -> str:
        sign = "<" if self.below else "<="
        return f"{sign} {self.limit:g}{' ' if self.unit != 'x' else ''}{self.unit}"


GOALS = {
    "first": Goal("first build, one target (the slowest), vs a + b", 1.3),
    "first all": Goal("--target all first build vs b + sum of a", 1.5),
    "rebuild": Goal("rebuild, one target (the slowest), vs a", 2.0),
    "rebuild all": Goal("--target all rebuild vs sum of a", 2.0),
    "startup": Goal("start-up of any command (the slowest)", 0.15, "s"),
    "mkdocs": Goal("one target (the slowest) vs mkdocs build", 0.6),
    "mkdocs all": Goal("all five targets vs mkdocs build", 1.0),
    "memory": Goal("peak memory of the process tree, --target all", 200, "MB", below=True),
}


def print_size(size: Size, forges: list[Ceforge], targets: list[str]) -> None:
    n = size.modules
    print(f"\n{n} modules ({n * PAGES} pages, {n * PAGES * QUESTIONS} questions, {IMAGES} images)")
    print("  CPU s and wall s: median (min–max) of the repetitions; read: reading and checking")
    head = f"  {'build':<28} {'CPU s':>20} {'wall s':>20} {'read s':>6} {'tree MB':>7} {'MB':>6}"
    print(head)
    for forge in forges:
        for label in [*targets, "all"]:
            for kind in ("first", "rebuild"):
                s = size.get(f"{forge.label} {label} {kind}")
                mb = f"{size.bytes[label] / 1e6:.1f}" if label in size.bytes else ""
                print(
                    f"  {forge.label + ' ' + label + ' ' + kind:<28} {s.spread('cpu'):>20} "
                    f"{s.spread('wall'):>20} {s.median('read'):6.2f} "
                    f"{s.median('tree_kb') / 1024:7.0f} {mb:>6}"
                )
    for label in targets:
        s = size.get(f"a {label}")
        print(f"  {'floor a ' + label:<28} {s.spread('cpu'):>20} {s.spread('wall'):>20}")
    s = size.get("b")
    print(f"  {'floor b (markdown-it-py)':<28} {s.spread('cpu'):>20} {s.spread('wall'):>20}")
    s = size.get("mkdocs")
    if s.runs:
        print(
            f"  {'mkdocs build':<28} {s.spread('cpu'):>20} {s.spread('wall'):>20} {'':>6} "
            f"{s.median('tree_kb') / 1024:7.0f}"
        )


def ratios(size: Size, forge: Ceforge, targets: list[str]) -> dict[str, tuple[float, str]]:
    """Each goal's value for one ceforge at one size, with what it is (the worst target)."""
    cpu = {
        (label, kind): size.get(f"{forge.label} {label} {kind}").median()
        for label in [*targets, "all"]
        for kind in ("first", "rebuild")
    }
    a = {t: size.get(f"a {t}").median() for t in targets}
    b = size.get("b").median()
    sum_a = sum(a.values())
    result: dict[str, tuple[float, str]] = {}
    first = {t: cpu[t, "first"] / (a[t] + b) for t in targets}
    worst = max(first, key=first.__getitem__)
    result["first"] = first[worst], worst
    result["first all"] = cpu["all", "first"] / (b + sum_a), "all"
    rebuild = {t: cpu[t, "rebuild"] / a[t] for t in targets}
    worst = max(rebuild, key=rebuild.__getitem__)
    result["rebuild"] = rebuild[worst], worst
    result["rebuild all"] = cpu["all", "rebuild"] / sum_a, "all"
    mkdocs = size.get("mkdocs").median()
    if size.get("mkdocs").runs:
        against = {t: cpu[t, "first"] / mkdocs for t in targets}
        worst = max(against, key=against.__getitem__)
        result["mkdocs"] = against[worst], worst
        result["mkdocs all"] = cpu["all", "first"] / mkdocs, "all"
    result["memory"] = size.get(f"{forge.label} all first").median("tree_kb") / 1024, "all"
    return result


def print_ratios(size: Size, forges: list[Ceforge], targets: list[str]) -> None:
    print(f"  ratios at {size.modules} modules (CPU seconds, medians):")
    per_forge = {forge.label: ratios(size, forge, targets) for forge in forges}
    for forge in forges:
        a_b = {t: size.get(f"{forge.label} {t} first").median() for t in targets}
        detail = ", ".join(
            f"{t} {a_b[t] / (size.get(f'a {t}').median() + size.get('b').median()):.2f}"
            for t in targets
        )
        print(f"    {forge.label}: first build / (a + b) per target: {detail}")
    for key, goal in GOALS.items():
        if key == "startup":
            continue
        cells = []
        for forge in forges:
            if key not in per_forge[forge.label]:
                continue
            value, what = per_forge[forge.label][key]
            mark = "✓" if goal.met(value) else "✗"
            unit = " MB" if goal.unit == "MB" else "x"
            cells.append(f"{forge.label} {value:.2f}{unit} {mark} ({what})")
        if cells:
            print(f"    {goal.what:<50} {goal.shown():>9}  " + "   ".join(cells))


def print_startup(results: dict[str, Startup]) -> None:
    print("\nstart-up: CPU s of a process that imports what each command needs (the "
          "interpreter included), median (min–max); libraries: the same without ceforge's "
          "own modules")
    goal = GOALS["startup"]
    for label, startup in results.items():
        interpreter = startup.interpreter.spread("cpu", digits=3)
        print(f"  {label}: the interpreter alone (python -c pass) {interpreter}")
        worst = 0.0
        for name, samples in startup.commands.items():
            libraries = startup.libraries[name]
            worst = max(worst, samples.median("process_cpu"))
            print(
                f"    {name:<36} {samples.spread('process_cpu', digits=3):>22}   libraries "
                f"{libraries.spread('process_cpu', digits=3):>22}"
            )
        mark = "✓" if goal.met(worst) else "✗"
        print(f"    {goal.what:<50} {goal.shown():>9}  {label} {worst:.3f} s {mark}")


def machine_load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f} {five:.1f} {fifteen:.1f} on {os.cpu_count()} CPUs"


def mkdocs_available() -> bool:
    try:
        import mkdocs  # noqa: F401
    except ImportError:
        return False
    return True


def prepare_baseline(path: Path) -> Ceforge:
    """Another ceforge's source tree, compiled once as an installation would be."""
    if not (path / "src" / "ceforge").is_dir():
        raise SystemExit(f"--baseline {path}: no src/ceforge in it")
    compileall.compile_dir(str(path / "src"), quiet=1)
    return Ceforge("before", path)


def main(argv: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--modules", default="50,100,200", help="course sizes, comma-separated")
    parser.add_argument("--repeat", type=int, default=5, help="repetitions of each measurement")
    parser.add_argument("--targets", default=",".join(TARGETS), help="targets, comma-separated")
    parser.add_argument("--baseline", type=Path, help="another ceforge's tree to measure beside")
    parser.add_argument("--keep", type=Path, help="keep the courses and packages in this folder")
    parser.add_argument("--no-startup", action="store_true", help="leave start-up out")
    args = parser.parse_args(list(argv) if argv is not None else None)
    targets = args.targets.split(",")
    forges = [Ceforge("now")]
    if args.baseline:
        forges.insert(0, prepare_baseline(args.baseline.resolve()))
    mkdocs = mkdocs_available()
    work = args.keep or Path(tempfile.mkdtemp(prefix="ceforge-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"ceforge build benchmark; python {sys.version.split()[0]}; {args.repeat} repetitions")
    print(f"targets {', '.join(targets)} (SCORM with --sco module); work folder {work}")
    print("mkdocs: " + ("installed" if mkdocs else "not installed (nox -s bench installs it)"))
    print(f"at the start: {machine_load()}")
    sizes = []
    try:
        if not args.no_startup:
            startup = measure_startup(work, forges, targets, args.repeat)
            print_startup(startup)
            sys.stdout.flush()
        for modules in (int(n) for n in args.modules.split(",")):
            course = work / f"course-{modules}"
            if not course.exists():
                write_course(course, modules)
            size = measure_size(course, work / f"out-{modules}", forges, targets, args.repeat,
                                mkdocs)
            sizes.append(size)
            print_size(size, forges, targets)
            print_ratios(size, forges, targets)
            print(f"  after {modules} modules: {machine_load()}")
            sys.stdout.flush()
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
