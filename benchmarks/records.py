"""How fast ``ceforge records`` turns statements into rows, against the floor of reading them.

    python benchmarks/records.py [--learners 50,200,800] [--repeat N]

Simulates a cohort of the example course (``ceforge.xapi.learner.walk``: a third of the
learners pass, a third fail, a third leave halfway; Tin Can), as the JSON an LRS answers with,
then times, for each cohort size, ``json.loads`` of that answer (the floor: what any reader
must spend on it) and ``ceforge.records.collect`` plus writing the CSV, and prints the ratio.
The LRS's own time is not measured (it depends on the LRS), nor the network.

Goal: records' own work well under the parsing floor (ratio < 1) and linear in the cohort.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from ceforge.build import check_course_folder
from ceforge.records import CourseFacts, collect
from ceforge.xapi.learner import LearnerPath, walk
from ceforge.xapi.statements import statement_json

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "therapy-foundations"
PATHS = (LearnerPath("pass"), LearnerPath("fail"), LearnerPath("partial"))


def cohort(course: object, learners: int) -> str:
    """The statements of ``learners`` learners, as one StatementResult document."""
    statements = []
    for n in range(learners):
        actor = {"mbox": f"mailto:learner{n}@example.org", "name": f"Learner {n}"}
        walked = walk(course, PATHS[n % 3], actor, seed=n)  # type: ignore[arg-type]
        statements += [statement_json(s) for s in walked.statements]
    return json.dumps({"statements": statements, "more": ""})


def best(repeat: int, run: object) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", default="50,200,800")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    checked = check_course_folder(EXAMPLE)
    assert checked.course is not None
    facts = CourseFacts.of(checked.course)
    print(f"{'learners':>8} {'statements':>10} {'MB':>6} {'parse s':>8} {'records s':>9} "
          f"{'ratio':>6} {'us/stmt':>8}")
    for learners in (int(n) for n in args.learners.split(",")):
        document = cohort(checked.course, learners)
        count = len(json.loads(document)["statements"])
        parse = best(args.repeat, lambda document=document: json.loads(document))
        statements = json.loads(document)["statements"]
        records = best(args.repeat,
                       lambda statements=statements: collect(statements, facts).csv())
        print(f"{learners:>8} {count:>10} {len(document) / 1e6:>6.1f} {parse:>8.3f} "
              f"{records:>9.3f} {records / parse:>6.2f} {records / count * 1e6:>8.1f}")


if __name__ == "__main__":
    main()
