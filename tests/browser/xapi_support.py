"""What the browser tests of the xAPI adapters share (tests/browser/test_xapi_*.py).

- ``StoppableRalph``: a Ralph LRS (``tests/ralph_lrs.py``) that a page on another origin may call
  (CORS), and that a test can stop and start again on the same port and store;
- ``XapiSite``: built packages unpacked and served on 127.0.0.1;
- ``StatementTap``: the statements the browser POSTs, as it sends them (retries included);
- ``replay``: the statements ceforge's Python rules (``ceforge.xapi.statements.Recorder``, the
  rules of ``ceforge statements``) give for the runtime's own events, the oracle the browser's
  statements are compared with (``comparable``), and ``judge``: both xAPI validators.

The learner's clicks come from ``learner.py`` (the web tests' helpers).
"""

from __future__ import annotations

import copy
import json
import secrets
import shutil
import socket
import uuid
import zipfile
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from harness import StaticServer
from playwright.sync_api import Page, Request
from tincan import Agent, Statement

from ceforge.build import build, check_course_folder
from ceforge.model import Course
from ceforge.targets.base import BuildOptions
from ceforge.xapi.delivery import basic_auth
from ceforge.xapi.statements import Certificate, Cmi5Launch, Recorder, statement_json
from ceforge.xapi.vocabulary import build_vocabulary
from ralph_lrs import RalphLRS, running_ralph
from xapi_checks import ralph_problems, xapi_validation_problems

HERE = Path(__file__).resolve().parent
FIXTURE = HERE.parent / "fixtures" / "xapi" / "course"
VOLATILE = ("id", "timestamp", "stored", "authority", "version")

Event = dict[str, Any]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


# --- servers ------------------------------------------------------------------------------------


class StoppableRalph:
    """Ralph on a fixed port of 127.0.0.1, callable from ``origin``; ``stop`` and ``start``
    keep the port, the user and the statements stored."""

    def __init__(self, python: Path, folder: Path, origin: str) -> None:
        self.python = python
        self.folder = folder
        self.origin = origin
        self.port = free_port()
        self.password = secrets.token_urlsafe(16)
        self._stack: ExitStack | None = None
        self._lrs: RalphLRS | None = None

    @property
    def lrs(self) -> RalphLRS:
        assert self._lrs is not None, "Ralph is not running"
        return self._lrs

    def start(self) -> None:
        stack = ExitStack()
        self._lrs = stack.enter_context(running_ralph(
            self.python, self.folder, "ceforge", self.password,
            port=self.port, cors_origins=[self.origin],
        ))
        self._stack = stack

    def stop(self) -> None:
        if self._stack is not None:
            self._stack.close()
            self._stack = None


class XapiSite:
    """Packages unpacked under one folder and served on 127.0.0.1 (one origin for them all)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.server = StaticServer(folder)

    @property
    def origin(self) -> str:
        return self.server.url.rstrip("/")

    def install(self, package: Path, name: str) -> str:
        """Unpack a built zip as ``name``; the URL of its folder."""
        target = self.folder / name
        shutil.rmtree(target, ignore_errors=True)
        with zipfile.ZipFile(package) as archive:
            archive.extractall(target)
        return f"{self.server.url}{name}/"

    def close(self) -> None:
        self.server.close()


def build_package(
    course: Path, target: str, out: Path, options: BuildOptions | None = None
) -> Path:
    (package,) = build(course, [target], out, options=options).paths
    return package


def tincan_launch(base: str, lrs: RalphLRS, actor: Any, registration: str | None,
                  *, bare_auth: bool = True, activity_id: str | None = None) -> str:
    """A Tin Can launch URL of the package at ``base``. ``bare_auth``: the token alone (the
    adapter puts ``Basic `` before it), else the whole header value."""
    auth = basic_auth(lrs.username, lrs.password)
    params = {"endpoint": lrs.endpoint, "auth": auth.split(" ", 1)[1] if bare_auth else auth,
              "actor": json.dumps(actor)}
    if registration:
        params["registration"] = registration
    if activity_id:
        params["activity_id"] = activity_id
    return base + "index.html?" + urlencode(params)


# --- what the browser does ------------------------------------------------------------------


@dataclass
class StatementTap:
    """Every statement the browser POSTs to ``endpoint``, in the order sent (retries and
    keepalive requests included), read from the requests themselves."""

    endpoint: str
    sent: list[dict[str, Any]] = field(default_factory=list)

    def watch(self, page: Page) -> None:
        page.context.on("request", self._on_request)

    def _on_request(self, request: Request) -> None:
        if request.method == "POST" and request.url.startswith(self.endpoint + "statements"):
            body = request.post_data_json
            self.sent.extend(body if isinstance(body, list) else [body])

    def unique(self) -> list[dict[str, Any]]:
        """The statements sent, each once, in the order first sent."""
        seen: set[str] = set()
        out = []
        for statement in self.sent:
            if statement["id"] not in seen:
                seen.add(statement["id"])
                out.append(statement)
        return out


def session_events(page: Page) -> list[Event]:
    """The runtime's events of the page's session so far (``Ceforge.app.events``)."""
    events: list[Event] = page.evaluate("() => JSON.parse(JSON.stringify(Ceforge.app.events))")
    return events


def outbox(page: Page) -> list[dict[str, Any]]:
    """The statements waiting in the page's outbox (localStorage)."""
    found: list[dict[str, Any]] = page.evaluate("""() => {
        const out = [];
        for (let i = 0; i < localStorage.length; i++) {
          const key = localStorage.key(i);
          if (key.startsWith('ceforge:xapi:') && key.endsWith(':outbox')) {
            out.push(...JSON.parse(localStorage.getItem(key)));
          }
        }
        return out;
    }""")
    return found


# --- the oracle: ceforge's Python rules over the runtime's events -------------------------------


def load_course(root: Path) -> Course:
    result = check_course_folder(root)
    assert result.course is not None
    return result.course


@dataclass
class _Facts:
    """What the learner has done, as docs/runtime.md's progress counts it."""

    viewed: set[str] = field(default_factory=set)
    finished: set[str] = field(default_factory=set)
    attempts: int = 0
    passed: bool = False
    surveys: set[str] = field(default_factory=set)
    attested: bool = False
    completed: bool = False


def progress_percent(data: dict[str, Any], facts: _Facts) -> int:
    """docs/runtime.md's progress (pages viewed plus requirements met over their total) as a
    whole percentage rounded down, the way docs/xapi.md puts it in ``progressed``."""
    if facts.completed:
        return 100
    rules = data["completion"]
    assert not rules["min_minutes"], "the oracle does not follow active time"
    # the pages completion asks for: not the About and References pages (optional)
    pages = {p["id"] for m in data["modules"] for p in m["pages"] if not p.get("optional")}
    kinds = {b["kind"] for b in data["blocks"]}
    surveys = {b["id"] for b in data["blocks"] if b["kind"] == "survey"}
    units, done = len(pages), len(facts.viewed & pages)
    test_met = facts.passed if rules["test"] == "pass" else facts.attempts > 0
    certificate = data["course"]["certificate"]
    for applies, met in (
        (rules["test"] != "none" and "test" in kinds, test_met),
        (rules["evaluation"] and bool(surveys), surveys <= facts.surveys),
        (rules["attestation"] and "attestation" in kinds, facts.attested),
        # the licence details, given last (they complete the course when asked for)
        (bool(certificate and certificate["collect"]), False),
    ):
        units += applies
        done += applies and met
    return 100 * done // units


def replay(
    root: Path,
    data: dict[str, Any],
    sessions: list[list[Event]],
    actor: dict[str, Any],
    registration: str,
    launches: list[Cmi5Launch] | None = None,
) -> list[dict[str, Any]]:
    """The statements ``ceforge.xapi.statements.Recorder`` makes of the runtime's events, one
    list of events per session (each session opened, and closed as the learner left it)."""
    course = load_course(root)
    recorder = Recorder(course, build_vocabulary(course), Agent(actor), registration,
                        lambda: str(uuid.uuid4()))
    clock = _Clock()
    facts = _Facts()
    modules = {m["id"]: [p["id"] for p in m["pages"]] for m in data["modules"]}
    out: list[Any] = []
    for number, events in enumerate(sessions):
        launch = launches[number] if launches else None
        out += recorder.start_session(clock(), resumed=number > 0, launch=launch)
        test_ms = 0.0
        for event in events:
            kind = event["type"]
            if kind == "page-viewed":
                out += recorder.page_shown(clock(), event["page"]["id"])
            elif kind == "page-completed":
                facts.viewed.add(event["page"]["id"])
                module = event["module"]["id"]
                if module not in facts.finished and set(modules[module]) <= facts.viewed:
                    facts.finished.add(module)
                    out += recorder.module_finished(clock(), module, progress_percent(data, facts))
            elif kind == "question-answered":
                in_test = event["block"]["kind"] == "test"
                if in_test:
                    test_ms = max(test_ms, event["latencyMs"])
                out += recorder.question_answered(
                    clock(), event["question"]["id"],
                    interaction_response(event["question"], event["response"]),
                    correct={"correct": True, "incorrect": False}.get(event["result"]),
                    seconds=event["latencyMs"] / 1000,
                    attempt=event["attempt"] if in_test else None,
                )
            elif kind == "test-finished":
                facts.attempts += 1
                facts.passed = facts.passed or event["passed"]
                out += recorder.test_finished(
                    clock(), earned=event["raw"], possible=event["max"], attempt=event["attempt"],
                    seconds=test_ms / 1000, last_attempt=event["attemptsLeft"] == 0,
                )
                test_ms = 0.0
            elif kind == "evaluation-submitted":
                facts.surveys.add(event["block"]["id"])
            elif kind == "attested":
                facts.attested = True
            elif kind == "completed":
                facts.completed = True
                record = event.get("certificate")
                certificate = None if record is None else Certificate(
                    record["code"], record["license_number"], record["license_state"])
                out += recorder.course_completed(clock(), event["summary"]["activeSeconds"],
                                                 certificate)
            elif kind == "scenario-decision":
                out += recorder.scenario_decided(
                    clock(), event["block"]["id"], event["node"]["id"], event["choice"]["id"],
                    run=event["run"], seconds=event["latencyMs"] / 1000)
            elif kind == "scenario-completed":
                scored = event["graded"] and event["scored"]
                out += recorder.scenario_completed(
                    clock(), event["block"]["id"], event["end"]["id"], outcome=event["outcome"],
                    run=event["run"], points=(event["points"] or 0) if scored else None,
                    max_points=event["maxPoints"] if scored else None)
            elif kind.startswith("media-"):
                out += recorder.media_event(clock(), event)
        out += recorder.end_session(clock())
    return [statement_json(s) for s in out]


class _Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 1, 5, 9, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def interaction_response(question: dict[str, Any], response: Any) -> str:
    """docs/xapi.md's ``result.response`` of a runtime response (docs/runtime.md)."""
    qtype = question["type"]
    if qtype == "multiple-choice":
        order = [c["id"] for c in question["choices"]]
        return "[,]".join(sorted(response, key=order.index))
    if qtype == "sequencing":
        return "[,]".join(response)
    if qtype == "matching":
        targets = dict(response)
        return "[,]".join(f"{s['id']}[.]{targets[s['id']]}" for s in question["sources"]
                          if s["id"] in targets)
    return str(response)


# --- comparing and judging ----------------------------------------------------------------------


def comparable(statement: dict[str, Any] | Any) -> dict[str, Any]:
    """A statement with what differs between two honest senders taken out (id, timestamp,
    what the LRS adds), the duration's value replaced by its presence, after a round trip
    through ``tincan`` (the form ``RemoteLRS`` reads back)."""
    if not isinstance(statement, Statement):
        statement = Statement(copy.deepcopy(statement))
    data: dict[str, Any] = json.loads(statement.to_json("1.0.3"))
    for key in VOLATILE:
        data.pop(key, None)
    if "duration" in data.get("result", {}):
        data["result"]["duration"] = "(a duration)"
    return data


def verbs(statements: list[dict[str, Any]]) -> list[str]:
    return [str(s["verb"]["id"]).rsplit("/", 1)[-1] for s in statements]


def judge(statements: list[dict[str, Any]]) -> None:
    """Every statement passes xapi-validation and Ralph's strict model."""
    assert statements
    assert xapi_validation_problems(statements) == {}
    assert ralph_problems(statements) == {}


def assert_ordered(statements: list[dict[str, Any]]) -> None:
    """UUID ids, each once; timestamps in UTC with milliseconds, strictly increasing."""
    ids = [s["id"] for s in statements]
    assert len(set(ids)) == len(ids), "a statement id repeats"
    stamps = [s["timestamp"] for s in statements]
    assert all(len(t) == 24 and t.endswith("Z") for t in stamps), stamps
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps), stamps


def console_errors_are_only(errors: list[str], *allowed: str) -> None:
    """Console errors of a page that calls an LRS: only the failed requests a test expects
    (Chromium logs a 404 of the State API, or a refused connection, as console errors)."""
    unexpected = [e for e in errors if not any(a in e for a in allowed)]
    assert unexpected == [], unexpected

