"""How fast ``ceforge preview`` shows an edit: from saving a module to the new text on the page.

    python benchmarks/preview.py [--repeat 7] [--chromium /usr/bin/chromium]

Starts a preview of ``ceforge new``'s course (the library call ``ceforge preview`` makes), opens
its inspector page in headless Chromium, and saves an edit of the course title ``--repeat``
times, each time timing (wall) until the new title shows in the course frame. The baseline, measured
in the same run and the same process: ``ceforge.build.build`` of the same course to the same
target, which every reload has to do anyway. Printed: the median and range of both, and their
ratio. Goal: an edit shows within a second; the rest over a build is the watcher's interval,
the inspector's long poll and the page's load.

Needs Playwright (``pip install playwright``) and Chromium; never downloads a browser.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from ceforge.build import build
from ceforge.preview.server import Preview
from ceforge.scaffold import new_course

TITLE = 'title: "Preview Benchmark"'


def save(path: Path, old: str, new: str) -> None:
    """Save an edit at once, as editors that write a temporary file and rename it do."""
    temporary = path.with_name(f".{path.name}.saving")
    temporary.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    os.replace(temporary, path)


def figures(samples: list[float]) -> str:
    return f"{statistics.median(samples):6.3f} s  ({min(samples):.3f}–{max(samples):.3f})"


def builds(course: Path, output: Path, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        build(course, ["web"], output)
        times.append(time.perf_counter() - started)
    return times


def reloads(course: Path, repeat: int, chromium: str) -> list[float]:
    from playwright.sync_api import sync_playwright

    config = course / "course.yml"
    times = []
    with Preview(course, target="web", interval=0.1) as preview, sync_playwright() as play:
        browser = play.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(preview.url)
        page.wait_for_function("window.ceforgePreview && ceforgePreview.ready", timeout=20000)
        frame = page.frame(name="course")
        assert frame is not None, "the inspector shows no course frame"
        assert TITLE in config.read_text(encoding="utf-8"), f"{TITLE!r} is not in {config}"
        old = TITLE
        for n in range(repeat):
            new = f'title: "Preview Benchmark, take {n + 1}"'
            started = time.perf_counter()
            save(config, old, new)
            page.wait_for_function(
                """title => {
                    const frame = document.querySelector('iframe[name=course]');
                    const body = frame && frame.contentDocument && frame.contentDocument.body;
                    return Boolean(body && body.textContent.includes(title));
                }""",
                arg=new[8:-1], timeout=30000)
            times.append(time.perf_counter() - started)
            old = new
        page.goto("about:blank")  # its long poll would retry against the stopped preview
        browser.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--chromium", default=os.environ.get("CEFORGE_CHROMIUM",
                                                             "/usr/bin/chromium"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        course = Path(tmp) / "course"
        new_course(course, "Preview Benchmark")
        build_times = builds(course, Path(tmp) / "out", args.repeat)
        reload_times = reloads(course, args.repeat, args.chromium)
    print(f"{'build (web)':<22}{figures(build_times)}")
    print(f"{'edit shown on page':<22}{figures(reload_times)}")
    ratio = statistics.median(reload_times) / statistics.median(build_times)
    goal = "✓" if statistics.median(reload_times) <= 1.0 else "✗"
    print(f"edit shown / build: {ratio:.1f}×   goal: shown within 1 s {goal}")


if __name__ == "__main__":
    main()
