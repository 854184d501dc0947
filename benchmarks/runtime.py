"""How soon a built course shows something, and its first page, in Chromium from ``file://``.

    python benchmarks/runtime.py [--modules 200] [--repeat 7] [--baseline DIR] [--keep DIR]

(``nox -s bench-runtime`` runs it with Playwright installed; Chromium is Debian's, at
``$CEFORGE_CHROMIUM``, else /usr/bin/chromium: Playwright never downloads one.)

Builds the web target of the example course and of the synthetic course of
``benchmarks/build.py`` (``--modules`` modules x 5 pages x 5 questions), then opens each
``index.html`` from disk in a fresh browser context, as a learner would:

- **first visit**: nothing stored, so the web adapter asks the learner's name: the first
  contentful paint (FCP, ``performance``'s paint entry) is the welcome screen;
- **return visit**: the learner is already in ``localStorage``, so the first paint with
  content (FCP) is the course's first page; also the moment its title
  (``[data-testid=page-title]``) is in the document (at the next animation frame, just
  before it is painted), and the main thread's busy time until then (``TaskDuration`` of the
  Chrome DevTools Protocol's ``Performance.getMetrics``: CPU, steadier than the wall clock
  on a machine others share).

Each repetition measures every course once (with ``--baseline DIR``, another ceforge's tree,
each also built by it), in rotated order; medians with min–max are printed, and the goals:
the 200-module course's first page painted <= 1 s after navigation, the example's <= 0.3 s
(the later of FCP and the title: a launch page that loads its first module first paints
"Loading the course…", which FCP alone would count).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build import machine_load, write_course

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "therapy-foundations"
CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run")
VIEWPORT = {"width": 1280, "height": 800}
GOALS = {"example": 0.3, "course": 1.0}

#: Before any script of the page: records when the first page's title is in the document, at
#: the next animation frame (painted), and seeds the learner for a return visit.
PROBE = """
(() => {
  window.__ceforge_bench = {};
  if (%(seed)s) {
    const learner = JSON.stringify({ id: "bench", name: "Bench Learner" });
    const seed = () => {
      const script = document.getElementById("ceforge-course");
      if (!script) return false;
      const course = JSON.parse(script.textContent).course;
      localStorage.setItem("ceforge:" + course.id + "@" + course.version + ":learner", learner);
      return true;
    };
    window.__ceforge_seed = seed;
  }
  const seen = () => {
    if (window.__ceforge_bench.page) return;
    if (document.querySelector("[data-testid=page-title]")) {
      requestAnimationFrame(() => { window.__ceforge_bench.page = performance.now(); });
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(seen);
  observer.observe(document, { childList: true, subtree: true });
})();
"""


def build_web(course: Path, out: Path, tree: Path | None) -> Path:
    """The web folder of ``course``, built by the ceforge at ``tree`` (None: this one)."""
    env = dict(os.environ, PYTHONHASHSEED="0")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if tree is not None:
        env["PYTHONPATH"] = str(tree / "src")
    shutil.rmtree(out, ignore_errors=True)
    subprocess.run(
        [sys.executable, "-m", "ceforge", "build", str(course), "-t", "web", "-o", str(out),
         "--no-cache", "-q"],
        check=True, env=env,
    )
    (folder,) = [p for p in out.iterdir() if p.is_dir()]
    return folder / "index.html"


def seed_learner(browser: Any, page_url: str) -> Any:
    """A context whose localStorage already holds a learner for the course at ``page_url``."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.add_init_script(PROBE % {"seed": "true"})
    page.goto(page_url, wait_until="domcontentloaded")
    page.evaluate("window.__ceforge_seed()")
    page.close()
    return context


def measure(browser: Any, page_url: str, returning: bool, timeout: float) -> dict[str, float]:
    context = seed_learner(browser, page_url) if returning else browser.new_context(
        viewport=VIEWPORT
    )
    try:
        page = context.new_page()
        page.add_init_script(PROBE % {"seed": "false"})
        session = context.new_cdp_session(page)
        session.send("Performance.enable")
        page.goto(page_url, wait_until="commit")
        if returning:
            page.wait_for_function("window.__ceforge_bench.page", timeout=timeout * 1000)
        else:
            page.wait_for_selector("[data-testid=name-input]", timeout=timeout * 1000)
        metrics = {m["name"]: m["value"] for m in session.send("Performance.getMetrics")["metrics"]}
        page.wait_for_function(
            "performance.getEntriesByName('first-contentful-paint').length",
            timeout=timeout * 1000,
        )
        fcp = page.evaluate(
            "performance.getEntriesByName('first-contentful-paint')[0].startTime"
        )
        shown = page.evaluate("window.__ceforge_bench.page || 0")
        return {
            "fcp": fcp / 1000,
            "page": shown / 1000,
            "busy": metrics.get("TaskDuration", 0.0),
            "script": metrics.get("ScriptDuration", 0.0),
        }
    finally:
        context.close()


def spread(values: list[float], digits: int = 2) -> str:
    if not values:
        return "-"
    middle = statistics.median(values)
    if len(values) == 1:
        return f"{middle:.{digits}f}"
    return f"{middle:.{digits}f} ({min(values):.{digits}f}–{max(values):.{digits}f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--modules", type=int, default=200, help="modules of the large course")
    parser.add_argument("--repeat", type=int, default=7, help="repetitions of each measurement")
    parser.add_argument("--baseline", type=Path, help="another ceforge's tree to measure beside")
    parser.add_argument("--keep", type=Path, help="keep the courses and builds in this folder")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for a page")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    work = args.keep or Path(tempfile.mkdtemp(prefix="ceforge-runtime-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    course = work / f"course-{args.modules}"
    if not course.exists():
        write_course(course, args.modules)
    trees: dict[str, Path | None] = {"now": None}
    if args.baseline:
        trees = {"before": args.baseline.resolve(), **trees}
    pages: dict[tuple[str, str], str] = {}
    sizes: dict[tuple[str, str], int] = {}
    for label, tree in trees.items():
        for name, source in (("example", EXAMPLE), ("course", course)):
            index = build_web(source, work / f"{label}-{name}", tree)
            pages[label, name] = index.as_uri()
            sizes[label, name] = index.stat().st_size
    executable = os.environ.get("CEFORGE_CHROMIUM", "/usr/bin/chromium")
    print(f"ceforge runtime benchmark: Chromium at {executable}; {args.repeat} repetitions")
    print(f"courses: the example, and {args.modules} modules ({args.modules * 5} pages)")
    print(f"at the start: {machine_load()}")
    results: dict[tuple[str, str, str], list[dict[str, float]]] = {}
    jobs = [(label, name, visit) for (label, name) in pages for visit in ("first", "return")]
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=executable, headless=True, args=list(CHROMIUM_ARGS)
            )
            for rep in range(args.repeat):
                shift = rep % len(jobs)
                for label, name, visit in jobs[shift:] + jobs[:shift]:
                    run = measure(browser, pages[label, name], visit == "return", args.timeout)
                    results.setdefault((label, name, visit), []).append(run)
            browser.close()
        print_results(results, sizes, args.modules)
        print(f"at the end: {machine_load()}")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


def print_results(
    results: dict[tuple[str, str, str], list[dict[str, float]]],
    sizes: dict[tuple[str, str], int],
    modules: int,
) -> None:
    print("  seconds from navigation, median (min–max); busy: main-thread task seconds (CPU)")
    print(f"  {'build':<24} {'index.html':>10} {'visit':<7} {'FCP s':>18} {'first page s':>18} "
          f"{'busy s':>18}")
    for (label, name, visit), runs in results.items():
        size = f"{sizes[label, name] / 1e6:.2f} MB"
        page = spread([r["page"] for r in runs]) if visit == "return" else ""
        print(
            f"  {label + ' ' + name:<24} {size:>10} {visit:<7} "
            f"{spread([r['fcp'] for r in runs]):>18} {page:>18} "
            f"{spread([r['busy'] for r in runs]):>18}"
        )
    print("  goals: the first paint of a return visit's first page (the later of FCP and the "
          "page's title: a page whose module is still loading paints 'Loading the course…')")
    for (label, name, visit), runs in results.items():
        if visit != "return":
            continue
        limit = GOALS[name]
        shown = statistics.median(max(r["fcp"], r["page"]) for r in runs)
        what = "example" if name == "example" else f"{modules}-module course"
        mark = "✓" if shown <= limit else "✗"
        print(f"    {label:<6} {what:<22} first page {shown:.2f} s <= {limit:g} s {mark}")


if __name__ == "__main__":
    main()
