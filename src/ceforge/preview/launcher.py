"""The LMS side of cmi5 (and of a Tin Can launch) for the preview.

A cmi5 launch (cmi5 section 8 and 10), ``Cmi5Launcher.launch``:

1. a new session: a session id, a one-time fetch URL, an auth token the LRS accepts for this
   session only;
2. the ``LMS.LaunchData`` state document (contextTemplate with the publisher id in grouping
   and the session id extension, launchMode, launchParameters, masteryScore, moveOn,
   returnURL), read-only for the AU, and the learner preferences agent profile; the session's
   token reaches the documents of its activity, learner and registration only;
3. the LMS's ``launched`` statement (and ``abandoned`` for an earlier session of the AU that
   never terminated);
4. the launch URL: the AU's url with ``endpoint``, ``fetch``, ``actor``, ``registration`` and
   ``activityId`` (the LMS's own id for the AU, never the AU id of cmi5.xml). The AU's files
   may be served elsewhere (an absolute ``course_url``): the LRS and the fetch URLs answer
   requests from other origins (CORS), as an LMS's do for content it hosts apart.

The fetch URL answers ``{"auth-token": …}`` once; after that cmi5's error 1. Statements of a
session are checked against the cmi5 rules as they arrive (``ceforge.xapi.rules.Cmi5Tracker``);
when the AU's statements meet its moveOn, the LMS sends ``satisfied``.

A Tin Can launch is simpler: ``tincan_launch`` gives the course its endpoint, a Basic
credential, the actor and the registration in the query string.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urljoin

from ceforge.preview.lrs import Lrs, Principal, Scope, agent_key, document_key, now
from ceforge.validate.contents import Unit
from ceforge.xapi.cmi5 import launched_activity_id
from ceforge.xapi.rules import CMI5, MOVEON, SESSION, Cmi5Tracker, session_of, verb_name
from ceforge.xapispec import LAUNCH_MODES

LAUNCH_DATA = "LMS.LaunchData"
PREFERENCES = "cmi5LearnerPreferences"
EXTENSIONS = "https://w3id.org/xapi/cmi5/context/extensions/"
LAUNCHED = "http://adlnet.gov/expapi/verbs/launched"
ABANDONED = "https://w3id.org/xapi/adl/verbs/abandoned"
SATISFIED = "https://w3id.org/xapi/adl/verbs/satisfied"


@dataclass
class Learner:
    """The previewed learner: an id, a name, and the registration of their enrolment."""

    id: str = "preview-learner"
    name: str = "Preview Learner"
    registration: str = field(default_factory=lambda: str(uuid.uuid4()))
    home_page: str = "https://ceforge.invalid/preview"

    def actor(self) -> dict[str, Any]:
        """The actor an LMS gives a cmi5 AU: an Agent with an account."""
        return {"objectType": "Agent", "name": self.name,
                "account": {"homePage": self.home_page, "name": self.id}}

    def mailbox_actor(self) -> dict[str, Any]:
        return {"objectType": "Agent", "name": self.name,
                "mbox": f"mailto:{self.id}@example.org"}


@dataclass
class Cmi5Session:
    id: str
    unit: Unit
    activity_id: str
    registration: str
    actor: dict[str, Any]
    launch_mode: str
    mastery_score: float | None
    fetch_key: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    fetches: int = 0
    started: float = field(default_factory=time.monotonic)
    terminated: bool = False
    #: The ``LMS.LaunchData`` the LMS wrote for this session.
    launch_data: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "unit": self.unit.id, "activityId": self.activity_id,
                "registration": self.registration, "launchMode": self.launch_mode,
                "masteryScore": self.mastery_score, "fetches": self.fetches,
                "terminated": self.terminated}


class Cmi5Launcher:
    """Launches the AUs of a cmi5 package for the preview's learner (see the module)."""

    def __init__(self, lrs: Lrs, base_url: str) -> None:
        self.lrs = lrs
        self.base_url = base_url  # the preview's origin, ending with "/"
        self.sessions: dict[str, Cmi5Session] = {}
        self.trackers: dict[tuple[str, str], Cmi5Tracker] = {}
        self.satisfied: set[tuple[str, str]] = set()
        self.seen: dict[tuple[str, str], set[str]] = {}
        self._lock = threading.Lock()

    def launch(
        self,
        unit: Unit,
        course_url: str,
        learner: Learner,
        *,
        launch_mode: str = "Normal",
        mastery_score: float | None = None,
        return_url: str | None = None,
    ) -> tuple[str, Cmi5Session]:
        """A new session of ``unit`` (whose files are under ``course_url``); its launch URL."""
        if launch_mode not in LAUNCH_MODES:
            raise ValueError(f"launchMode {launch_mode!r}: choose {', '.join(LAUNCH_MODES)}")
        mastery = mastery_score if mastery_score is not None else unit.cmi5_mastery
        actor = learner.actor()
        session = Cmi5Session(str(uuid.uuid4()), unit, launched_activity_id(unit.id),
                              learner.registration, actor, launch_mode, mastery)
        key = (session.activity_id, session.registration)
        with self._lock:
            earlier = [s for s in self.sessions.values()
                       if (s.activity_id, s.registration) == key and not s.terminated]
            self.sessions[session.id] = session
            tracker = self.trackers.setdefault(
                key, Cmi5Tracker(activity_id=session.activity_id, publisher_id=unit.id,
                                 mastery_score=mastery))
            tracker.mastery_score = mastery
            tracker.launch(session.id, launch_mode)
        for old in earlier:
            self._abandon(old)
        self.lrs.add_credential(
            "Basic " + session.token,
            Principal("au", session.id, read_only_states=frozenset({LAUNCH_DATA}),
                      scope=Scope(session.activity_id, agent_key(actor), session.registration)),
        )
        launch_url = course_url + unit.href
        launch_data: dict[str, Any] = {
            "contextTemplate": {
                "contextActivities": {"grouping": [{"id": unit.id, "objectType": "Activity"}]},
                "extensions": {SESSION: session.id},
            },
            "launchMode": launch_mode,
            "moveOn": unit.move_on or "NotApplicable",
        }
        if unit.launch_parameters:
            launch_data["launchParameters"] = unit.launch_parameters
        if mastery is not None:
            launch_data["masteryScore"] = mastery
        if return_url:
            launch_data["returnURL"] = return_url
        session.launch_data = launch_data
        state = document_key("activities/state", activity=session.activity_id, agent=actor,
                             registration=session.registration)
        self.lrs.put_document(state, LAUNCH_DATA, json.dumps(launch_data).encode(),
                              "application/json")
        preferences = {"languagePreference": "en-US", "audioPreference": "on"}
        self.lrs.put_document(document_key("agents/profile", agent=actor), PREFERENCES,
                              json.dumps(preferences).encode(), "application/json")
        self._send(session, LAUNCHED, extensions={
            EXTENSIONS + "launchmode": launch_mode,
            EXTENSIONS + "launchurl": urljoin(self.base_url, launch_url),
            EXTENSIONS + "moveon": launch_data["moveOn"],
            EXTENSIONS + "launchparameters": unit.launch_parameters or "",
        })
        query = urlencode({
            "endpoint": self.base_url + "xapi/",
            "fetch": self.base_url + "fetch/" + session.fetch_key,
            "actor": json.dumps(actor),
            "registration": session.registration,
            "activityId": session.activity_id,
        })
        return f"{launch_url}{'&' if '?' in launch_url else '?'}{query}", session

    def fetch(self, key: str) -> dict[str, str]:
        """The answer of the fetch URL ``key`` (cmi5 8.2.3)."""
        with self._lock:
            session = next((s for s in self.sessions.values() if s.fetch_key == key), None)
            if session is None:
                return {"error-code": "2", "error-text": "This fetch URL is unknown."}
            session.fetches += 1
            if session.fetches > 1:
                return {"error-code": "1",
                        "error-text": "The authorization token has already been returned."}
            return {"auth-token": session.token}

    # --- statements ---------------------------------------------------------------------------

    def check(self, statement: dict[str, Any], principal: Principal) -> list[str]:
        """The cmi5 problems of a statement an AU sent (flagged, not refused)."""
        session = self.sessions.get(principal.session or "")
        if session is None:
            return []
        found = []
        if statement.get("actor") != session.actor:
            found.append("the actor is not the launch's")
        if statement.get("context", {}).get("registration") != session.registration:
            found.append("the registration is not the launch's")
        sent_for = session_of(statement)
        if sent_for and sent_for != session.id:
            found.append(f"the session id is another session's ({sent_for})")
        with self._lock:
            tracker = self.trackers[(session.activity_id, session.registration)]
            found += tracker.check(statement)
        return found

    def stored(self, statements: list[dict[str, Any]]) -> None:
        """After statements were stored: note terminations; send satisfied when moveOn is met."""
        for statement in statements:
            session = self.sessions.get(session_of(statement))
            if session is None or statement["verb"].get("id") in (LAUNCHED, ABANDONED, SATISFIED):
                continue  # the LMS's own statements
            categories = {a.get("id") for a in statement.get("context", {})
                          .get("contextActivities", {}).get("category", [])}
            if CMI5 not in categories:
                continue
            verb = verb_name(statement)
            key = (session.activity_id, session.registration)
            self.seen.setdefault(key, set()).add(verb)
            if verb == "terminated":
                session.terminated = True
            if key not in self.satisfied and _moves_on(session.unit.move_on, self.seen[key]):
                self.satisfied.add(key)
                self._send(session, SATISFIED)

    def _abandon(self, session: Cmi5Session) -> None:
        session.terminated = True
        seconds = round(time.monotonic() - session.started, 2)
        self._send(session, ABANDONED, result={"duration": f"PT{seconds}S"})

    def _send(
        self,
        session: Cmi5Session,
        verb: str,
        *,
        extensions: dict[str, Any] | None = None,
        result: dict[str, Any] | None = None,
    ) -> None:
        """A statement of the LMS itself about the AU (launched, abandoned, satisfied)."""
        name = verb.rsplit("/", 1)[-1]
        statement: dict[str, Any] = {
            "id": str(uuid.uuid4()),
            "actor": session.actor,
            "verb": {"id": verb, "display": {"en-US": name}},
            "object": {"id": session.activity_id, "objectType": "Activity",
                       "definition": {"name": {"en-US": session.unit.title or session.unit.id}}},
            "context": {
                "registration": session.registration,
                "contextActivities": {
                    "grouping": [{"id": session.unit.id, "objectType": "Activity"}],
                    "category": [{"id": CMI5, "objectType": "Activity"}],
                },
                "extensions": {SESSION: session.id, **(extensions or {})},
            },
            "timestamp": now(),
        }
        if result:
            statement["result"] = result
        if name == "satisfied":
            statement["context"]["contextActivities"]["category"].append(
                {"id": MOVEON, "objectType": "Activity"})
        self.lrs.store([statement], Principal("lms"))


def _moves_on(move_on: str | None, verbs: set[str]) -> bool:
    passed = "passed" in verbs
    completed = "completed" in verbs
    return {
        "Passed": passed,
        "Completed": completed,
        "CompletedAndPassed": passed and completed,
        "CompletedOrPassed": passed or completed,
        "NotApplicable": True,
    }.get(move_on or "NotApplicable", False)


def tincan_launch(
    unit: Unit, course_url: str, learner: Learner, base_url: str, lrs: Lrs
) -> str:
    """The launch URL of a Tin Can package, with a credential ``lrs`` accepts."""
    secret = secrets.token_urlsafe(18)
    auth = "Basic " + base64.b64encode(f"preview:{secret}".encode()).decode("ascii")
    lrs.add_credential(auth, Principal("course"))
    query = urlencode({
        "endpoint": base_url + "xapi/",
        "auth": auth,
        "actor": json.dumps(learner.mailbox_actor()),
        "registration": learner.registration,
        "activity_id": unit.id,
    })
    href = course_url + unit.href
    return f"{href}{'&' if '?' in href else '?'}{query}"
