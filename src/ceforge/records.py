"""``ceforge records``: a CE provider's completion records, read from the statements of an LRS.

Boards audit a provider's attendance and completion records (NBCC ACEP's record-keeping
policy, ``../shared/CE.md``). For a course delivered as cmi5 or Tin Can, the LRS holds them as
the statements the runtime sent (``docs/xapi.md``); this module turns them into one row per
learner and registration of a course: who (name, account or mailbox, licence number and state),
which course (id, title, version), what became of it (completed on a date, or failed, or still
in progress), the hours and ethics hours the completion claims, the best post-test score and
whether it passed, whether the evaluation was sent and the attestation affirmed, and the
certificate's verification code.

Every statement is judged on its own: one that is not a statement ceforge can read (no actor,
verb, object or timestamp) is skipped as invalid, one of another course as foreign; both are
counted, and neither stops the run. The rows are sorted, so the same statements give the same
file (``write`` then puts it in place atomically).

What the statements say, and what the rows take from them:

- the course: the activity of type ``…/activities/course`` among the statement's object, parent
  and grouping activities (a cmi5 AU's statements name the course in ``grouping``);
- ``completed``: the ``completed`` statement of the course (Tin Can) or of its whole-course AU
  (cmi5: ``grouping`` names the AU ``C/au``), with its hours, ethics hours, code and licence
  extensions (a module's AU, ``--au module``, has none: its completion is not the course's);
- score and passed: the best ``passed``/``failed`` result of the registration;
- evaluation: an ``answered`` statement of an evaluation question (with the course folder, its
  survey questions; without, a likert or long-fill-in interaction);
- attestation: the runtime sends nothing for it, but a course whose completion rules require
  it completes only once it is affirmed: so "yes" for a completion of such a course, and empty
  where the course (its folder not given) or the learner (not completed) does not tell.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ceforge.certificate import normalize_code, printed_code
from ceforge.certpage import CertificateRecord, certificate_document
from ceforge.completion import effective_completion
from ceforge.model import BlockKind, Course
from ceforge.package import Staged, commit_all, stage_file
from ceforge.pdf import chromium, print_to_pdf
from ceforge.xapi import vocabulary as v

#: The columns of a row, in the order of the CSV file.
COLUMNS = (
    "learner_name", "learner", "license_number", "license_state",
    "course_id", "course_title", "course_version", "registration",
    "status", "started", "completed", "hours", "ethics_hours",
    "score", "passed", "attempts", "evaluation_submitted", "attestation_affirmed",
    "certificate_code",
)
_INTERACTION_SURVEY = ("likert", "long-fill-in")


@dataclass(frozen=True)
class CourseFacts:
    """What the course folder tells the records besides the statements."""

    id: str
    title: str
    version: str
    survey_questions: frozenset[str]
    requires_attestation: bool
    course: Course | None = None

    @classmethod
    def of(cls, course: Course) -> CourseFacts:
        survey = frozenset(
            v.question_iri(course.config.id, q.id)
            for b in course.blocks_of(BlockKind.SURVEY) for q in b.questions
        )
        return cls(course.config.id, course.config.title, course.config.version, survey,
                   effective_completion(course).attestation, course)


@dataclass
class Row:
    """One learner's registration of one course."""

    learner_name: str
    learner: str
    course_id: str
    registration: str
    course_title: str = ""
    course_version: str = ""
    license_number: str = ""
    license_state: str = ""
    status: str = "in progress"
    started: str = ""
    completed: str = ""
    hours: float | None = None
    ethics_hours: float | None = None
    score: float | None = None
    passed: bool | None = None
    attempts: int = 0
    evaluation_submitted: bool = False
    attestation_affirmed: bool | None = None
    certificate_code: str = ""

    def cells(self) -> list[str]:
        values = asdict(self)
        values["certificate_code"] = (printed_code(self.certificate_code)
                                      if self.certificate_code else "")
        return [_cell(values[name]) for name in COLUMNS]

    def as_json(self) -> dict[str, Any]:
        data = {name: getattr(self, name) for name in COLUMNS}
        data["certificate_code"] = (printed_code(self.certificate_code)
                                    if self.certificate_code else None)
        return data

    @property
    def completed_on(self) -> date | None:
        return _day(self.completed) if self.completed else None


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


@dataclass
class Records:
    """The rows, and what was read to make them."""

    rows: list[Row] = field(default_factory=list)
    read: int = 0
    invalid: int = 0
    foreign: int = 0

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in self.rows:
            writer.writerow(row.cells())
        return out.getvalue()

    def json(self) -> str:
        return json.dumps({"records": [r.as_json() for r in self.rows]}, indent=2,
                          ensure_ascii=False, sort_keys=False) + "\n"


# --- reading the statements -------------------------------------------------------------------


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _activity_type(activity: Any) -> str:
    definition = activity.get("definition") if isinstance(activity, dict) else None
    return str(definition.get("type", "")) if isinstance(definition, dict) else ""


def course_of(statement: dict[str, Any]) -> dict[str, Any] | None:
    """The course activity a statement belongs to, or None."""
    activities = _dict(_dict(statement.get("context")).get("contextActivities"))
    candidates = [statement.get("object")]
    for key in ("parent", "grouping"):
        found = activities.get(key)
        candidates += found if isinstance(found, list) else []
    for activity in candidates:
        if _activity_type(activity) == v.COURSE_TYPE and isinstance(activity, dict):
            return activity
    return None


def learner_of(actor: Any) -> tuple[str, str] | None:
    """(name, identifier) of an xAPI agent: the account as ``homePage|name``, else the mbox."""
    if not isinstance(actor, dict):
        return None
    account = actor.get("account")
    name = str(actor.get("name") or "")
    if isinstance(account, dict) and account.get("name") and account.get("homePage"):
        return name or str(account["name"]), f"{account['homePage']}|{account['name']}"
    for key in ("mbox", "mbox_sha1sum", "openid"):
        if actor.get(key):
            ident = str(actor[key])
            return name or ident.removeprefix("mailto:"), ident
    return None


def _valid(statement: Any) -> bool:
    if not isinstance(statement, dict):
        return False
    verb = statement.get("verb")
    obj = statement.get("object")
    if not (isinstance(verb, dict) and isinstance(verb.get("id"), str)):
        return False
    if not (isinstance(obj, dict) and isinstance(obj.get("id"), str)):
        return False
    if learner_of(statement.get("actor")) is None:
        return False
    try:
        _day(str(statement.get("timestamp", "")))
    except ValueError:
        return False
    return True


def _day(timestamp: str) -> date:
    return datetime.fromisoformat(timestamp.replace("Z", "+00:00")).date()


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def collect(statements: Iterable[Any], course: CourseFacts | None = None,
            course_id: str | None = None) -> Records:
    """The records of ``statements``: of ``course`` (its folder read), of the course with id
    ``course_id``, or of every course they name."""
    wanted = course.id if course is not None else course_id
    records = Records()
    rows: dict[tuple[str, str, str], Row] = {}
    for statement in statements:
        records.read += 1
        if not _valid(statement):
            records.invalid += 1
            continue
        activity = course_of(statement)
        if activity is None or (wanted is not None and activity.get("id") != wanted):
            records.foreign += 1
            continue
        _take(statement, activity, course, rows)
    for row in rows.values():
        if row.status == "in progress" and row.passed is False:
            row.status = "failed"
        if row.status == "completed" and course is not None and course.requires_attestation:
            row.attestation_affirmed = True
    records.rows = sorted(rows.values(), key=lambda r: (
        r.course_id, r.completed or "~", r.started, r.learner, r.registration))
    return records


def _take(statement: dict[str, Any], activity: dict[str, Any], course: CourseFacts | None,
          rows: dict[tuple[str, str, str], Row]) -> None:
    name, learner = learner_of(statement["actor"]) or ("", "")
    context = _dict(statement.get("context"))
    registration = str(context.get("registration") or "")
    course_id = str(activity["id"])
    key = (course_id, learner, registration)
    row = rows.get(key)
    if row is None:
        row = rows[key] = Row(name, learner, course_id, registration)
    title = _dict(activity.get("definition")).get("name")
    row.course_title = course.title if course else row.course_title or _first(title)
    row.course_version = (course.version if course
                          else row.course_version or str(context.get("revision") or ""))
    timestamp = str(statement["timestamp"])
    if not row.started or timestamp < row.started:
        row.started = timestamp
    verb = statement["verb"]["id"].rsplit("/", 1)[-1]
    obj = statement["object"]
    result = _dict(statement.get("result"))
    if verb in ("passed", "failed") and _activity_type(obj) == v.ASSESSMENT_TYPE:
        row.attempts += 1
        score = _dict(result.get("score"))
        scaled = _number(score.get("scaled"))
        if scaled is not None and (row.score is None or scaled > row.score):
            row.score = scaled
        row.passed = row.passed is True or verb == "passed"
    elif verb == "answered" and _is_evaluation(obj, course):
        row.evaluation_submitted = True
    elif verb == "completed" and _completes_course(statement, course_id):
        _completed(row, timestamp, result)


def _completes_course(statement: dict[str, Any], course_id: str) -> bool:
    """Whether a ``completed`` statement is the course's: its object is the course (Tin Can),
    or it comes from the whole-course AU (cmi5: the object is the LMS's id of the AU, and
    ``grouping`` holds the AU's publisher id, ``C/au``; a module's AU is ``C/au/{module}``)."""
    if statement["object"]["id"] == course_id:
        return True
    activities = _dict(_dict(statement.get("context")).get("contextActivities"))
    grouping = activities.get("grouping")
    au = v.child_iri(course_id, "au")
    return isinstance(grouping, list) and any(_dict(a).get("id") == au for a in grouping)


def _first(names: Any) -> str:
    if isinstance(names, dict) and names:
        return str(names.get("en-US") or names.get("en") or next(iter(names.values())))
    return ""


def _is_evaluation(obj: dict[str, Any], course: CourseFacts | None) -> bool:
    if course is not None:
        return obj["id"] in course.survey_questions
    definition = _dict(obj.get("definition"))
    return definition.get("interactionType") in _INTERACTION_SURVEY


def _completed(row: Row, timestamp: str, result: dict[str, Any]) -> None:
    if row.completed and row.completed <= timestamp:
        return  # the first completion counts (the runtime sends one per registration)
    ext = _dict(result.get("extensions"))
    row.status = "completed"
    row.completed = timestamp
    row.hours = _number(ext.get(v.CE_HOURS))
    row.ethics_hours = _number(ext.get(v.ETHICS_HOURS))
    code = ext.get(v.CERTIFICATE_CODE)
    row.certificate_code = (normalize_code(code) or "") if isinstance(code, str) else ""
    row.license_number = str(ext.get(v.LICENSE_NUMBER) or "")
    row.license_state = str(ext.get(v.LICENSE_STATE) or "")


# --- certificates and the verification code ----------------------------------------------------


def certificate_name(row: Row) -> str:
    """The file name of a row's certificate (without its suffix): date, learner, code."""
    who = re.sub(r"[^a-z0-9]+", "-", row.learner_name.lower()).strip("-") or "learner"
    tail = row.certificate_code or row.registration[:8] or "no-code"
    return f"{row.completed[:10]}-{who[:40]}-{tail}"


def certificate_record(row: Row) -> CertificateRecord:
    completed = row.completed_on
    assert completed is not None
    return CertificateRecord(
        name=row.learner_name, completed=completed, code=row.certificate_code, score=row.score,
        license_number=row.license_number, license_state=row.license_state,
    )


def write_records(
    records: Records, output: Path, fmt: str, *, certificates: Path | None = None,
    course: CourseFacts | None = None, root: Path | None = None, pdf: bool = False,
) -> list[Path]:
    """Write the records file and, with ``certificates``, the certificate of each completion
    (HTML, and PDF with ``pdf``); all put in place together, or none."""
    if pdf:
        chromium()  # say at once that the extra is missing, before anything is made
    staged: list[Staged] = []
    try:
        text = records.json() if fmt == "json" else records.csv()
        staged.append(stage_file(text.encode("utf-8"), output))
        jobs = []
        if certificates is not None and course is not None and course.course is not None:
            assert root is not None
            for row in (r for r in records.rows if r.status == "completed"):
                page = certificate_document(course.course, certificate_record(row), root)
                name = certificate_name(row)
                html = stage_file(page.encode("utf-8"), certificates / f"{name}.html")
                staged.append(html)
                if pdf:
                    staged.append(stage_file(b"", certificates / f"{name}.pdf"))
                    jobs.append((html.temporary, staged[-1].temporary))
        if jobs:
            print_to_pdf(jobs)
        return commit_all(staged)
    except BaseException:
        for file in staged:
            file.discard()
        raise
