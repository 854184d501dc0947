"""How long ``ceforge dossier`` takes, against ``ceforge check`` of the same course.

    python benchmarks/dossier.py [COURSE] [--repeat N] [--pdf]

The dossier reads and checks the course as ``check`` does, then writes its sections: the
ratio says what the writing adds. With ``--pdf``, the time of the two Chromium prints too
(the second numbers the contents), and the pages. Both are warmed up once first.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from ceforge.build import check_course_folder
from ceforge.dossier import make_dossier, write_dossier

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "therapy-foundations"


def best(repeat: int, run: object) -> float:
    """The least CPU time of ``repeat`` runs (steadier than wall time on a shared machine)."""
    times = []
    for _ in range(repeat):
        started = time.process_time()
        run()  # type: ignore[operator]
        times.append(time.process_time() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("course", nargs="?", type=Path, default=EXAMPLE)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pdf", action="store_true")
    args = parser.parse_args()
    make_dossier(args.course)  # warm up: imports, compiled patterns
    check = best(args.repeat, lambda: check_course_folder(args.course))
    dossier = best(args.repeat, lambda: make_dossier(args.course))
    size = len(make_dossier(args.course).html.encode())
    print(f"CPU: check {check:.3f} s; dossier HTML {dossier:.3f} s ({dossier / check:.2f}x check), "
          f"{size / 1e3:.0f} kB")
    if args.pdf:
        from pypdf import PdfReader

        with tempfile.TemporaryDirectory() as out:
            started = time.perf_counter()
            paths = write_dossier(args.course, Path(out), pdf=True)
            took = time.perf_counter() - started
            pages = len(PdfReader(paths[-1]).pages)
            print(f"dossier HTML and PDF (wall) {took:.1f} s, {pages} pages, "
                  f"{paths[-1].stat().st_size / 1e3:.0f} kB")


if __name__ == "__main__":
    main()
