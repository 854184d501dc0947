"""A small cmi5 LMS for the tests: it launches AUs and watches what they do.

Ralph has no State API, so a cmi5 AU cannot be launched against Ralph alone. ``Cmi5Launcher``
is the LMS side of cmi5 (sections 8 and 10), on 127.0.0.1 and a port of its own (so the AU,
served elsewhere, talks to it across origins, with CORS, as it would to a real LMS):

- ``launch(...)`` prepares a session (a session id, a one-time fetch URL, an auth token, the
  ``LMS.LaunchData`` state document with its contextTemplate) and returns the launch URL;
- ``POST /fetch/<key>`` answers ``{"auth-token": …}`` once, then cmi5's error ``1``;
- ``/lrs/…`` is the AU's xAPI endpoint: ``activities/state`` (LaunchData, read-only, and an
  in-memory store for the AU's own documents), ``agents/profile`` (the learner preferences),
  ``statements`` (recorded, then forwarded to Ralph with the launcher's basic auth), ``about``;
  every request must carry the session's token and ``X-Experience-API-Version``;
- ``/return`` is the returnURL page.

What breaks the protocol (a request without the session's token or without
``X-Experience-API-Version``, a write to ``LMS.LaunchData``, a statement or a state document of
another actor or registration than the launch's) is collected in ``problems``; a second POST to
a fetch URL is answered with cmi5's error and counted (``Session.fetches``).
``violations(registration, activity_id=…)`` adds the cmi5 sequence rules of
``xapi_checks.cmi5_violations`` over the statements that passed through the sessions of that AU
(a registration of a course of several AUs, ``au=module``, holds the statements of them all).
"""

from __future__ import annotations

import json
import secrets
import threading
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from ceforge.xapi.delivery import basic_auth
from ralph_lrs import RalphLRS
from xapi_checks import cmi5_violations

SESSION_ID = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
LAUNCH_DATA = "LMS.LaunchData"
PREFERENCES = {"languagePreference": "en-US", "audioPreference": "on"}
RETURN_PAGE = b"<!DOCTYPE html><html lang=en><title>LMS</title><h1>Back in the LMS</h1></html>"


@dataclass
class Session:
    """One launch of an AU: what the LMS told it."""

    registration: str
    activity_id: str
    publisher_id: str
    actor: dict[str, Any]
    launch_data: dict[str, Any]
    fetch_key: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    token: str = field(default_factory=lambda: secrets.token_urlsafe(18))
    fetches: int = 0

    @property
    def session_id(self) -> str:
        value: str = self.launch_data["contextTemplate"]["extensions"][SESSION_ID]
        return value


@dataclass
class Recorded:
    """What passed through the launcher."""

    statements: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: The activityId of the session whose token first carried each statement, by id.
    carried_by: dict[str, str] = field(default_factory=dict)
    states: dict[tuple[str, str, str, str], bytes] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


class Cmi5Launcher:
    """The LMS side of cmi5 for one test (see the module's docstring)."""

    def __init__(self, lrs: RalphLRS | None) -> None:
        self.lrs = lrs
        self.sessions: list[Session] = []
        self.recorded = Recorded()
        self.lock = threading.Lock()
        handler = type("Handler", (_Handler,), {"launcher": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/"

    @property
    def return_url(self) -> str:
        return self.url + "return"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    # --- the LMS ------------------------------------------------------------------------------

    def launch(
        self,
        au_url: str,
        *,
        actor: dict[str, Any],
        registration: str,
        publisher_id: str,
        activity_id: str,
        launch_mode: str = "Normal",
        mastery_score: float | None = None,
        move_on: str = "CompletedAndPassed",
        return_url: bool = True,
    ) -> str:
        """A new session of the AU at ``au_url``; the URL that launches it."""
        launch_data: dict[str, Any] = {
            "contextTemplate": {
                "contextActivities": {
                    "grouping": [{"id": publisher_id, "objectType": "Activity"}],
                },
                "extensions": {SESSION_ID: str(uuid.uuid4())},
            },
            "launchMode": launch_mode,
            "moveOn": move_on,
        }
        if mastery_score is not None:
            launch_data["masteryScore"] = mastery_score
        if return_url:
            launch_data["returnURL"] = self.return_url
        session = Session(registration, activity_id, publisher_id, actor, launch_data)
        with self.lock:
            self.sessions.append(session)
        query = urlencode({
            "endpoint": self.url + "lrs/",
            "fetch": self.url + "fetch/" + session.fetch_key,
            "actor": json.dumps(actor),
            "registration": registration,
            "activityId": activity_id,
        })
        return f"{au_url}{'&' if '?' in au_url else '?'}{query}"

    def statements(
        self, registration: str, activity_id: str | None = None
    ) -> list[dict[str, Any]]:
        """The statements of ``registration`` in the order they first arrived (a statement
        sent again, as retries do, counts once); with ``activity_id``, only those a session of
        that AU sent."""
        with self.lock:
            seen: set[str] = set()
            out = []
            carried_by = self.recorded.carried_by
            for statement in self.recorded.statements.get(registration, []):
                if activity_id is not None and carried_by[statement["id"]] != activity_id:
                    continue
                if statement["id"] not in seen:
                    seen.add(statement["id"])
                    out.append(statement)
            return out

    def state(self, registration: str, state_id: str) -> bytes | None:
        with self.lock:
            for (_, reg, sid, _), value in self.recorded.states.items():
                if reg == registration and sid == state_id:
                    return value
        return None

    def requests(self, method: str, prefix: str) -> int:
        with self.lock:
            return sum(1 for m, p in self.recorded.requests if m == method and p.startswith(prefix))

    def violations(
        self,
        registration: str,
        *,
        activity_id: str,
        publisher_id: str,
        launch_mode: str = "Normal",
        mastery_score: float | None = None,
    ) -> list[str]:
        """The protocol problems seen so far, then the cmi5 rules broken by the statements
        the sessions of the AU launched as ``activity_id`` sent in ``registration``."""
        with self.lock:
            problems = list(self.recorded.problems)
        return problems + cmi5_violations(
            self.statements(registration, activity_id),
            activity_id=activity_id,
            publisher_id=publisher_id,
            launch_mode=launch_mode,
            mastery_score=mastery_score,
        )

    # --- what the handler asks ----------------------------------------------------------------

    def problem(self, text: str) -> None:
        with self.lock:
            self.recorded.problems.append(text)

    def session_by_token(self, authorization: str) -> Session | None:
        with self.lock:
            for session in self.sessions:
                if authorization == "Basic " + session.token:
                    return session
        return None

    def fetch(self, key: str) -> dict[str, str]:
        with self.lock:
            session = next((s for s in self.sessions if s.fetch_key == key), None)
            if session is None:
                return {"error-code": "2", "error-text": "unknown fetch URL"}
            session.fetches += 1
            if session.fetches > 1:
                return {"error-code": "1",
                        "error-text": "The authorization token has already been returned."}
            return {"auth-token": session.token}

    def record_statements(self, session: Session, statements: list[dict[str, Any]]) -> None:
        with self.lock:
            for statement in statements:
                registration = statement.get("context", {}).get("registration", "")
                if registration != session.registration:
                    self.recorded.problems.append(
                        f"{statement.get('id')}: registration {registration!r} is not the launch's")
                if statement.get("actor") != session.actor:
                    self.recorded.problems.append(
                        f"{statement.get('id')}: the actor is not the launch's")
                self.recorded.statements.setdefault(registration, []).append(statement)
                self.recorded.carried_by.setdefault(statement.get("id", ""), session.activity_id)

    def forward(self, body: bytes) -> tuple[int, bytes]:
        """POST statements to Ralph with the launcher's own credentials."""
        if self.lrs is None:
            ids = [s["id"] for s in json.loads(body)]
            return 200, json.dumps(ids).encode()
        request = urllib.request.Request(
            self.lrs.endpoint + "statements", data=body, method="POST",
            headers={"Content-Type": "application/json", "X-Experience-API-Version": "1.0.3",
                     "Authorization": basic_auth(self.lrs.username, self.lrs.password)},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status, answer.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()
        except OSError as error:
            return 503, str(error).encode()


class _Handler(BaseHTTPRequestHandler):
    launcher: Cmi5Launcher
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    # --- plumbing -----------------------------------------------------------------------------

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, body: bytes = b"", content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Cache-Control", "no-store")
        if status != 204:
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 204:
            self.wfile.write(body)

    def _json(self, status: int, value: Any) -> None:
        self._send(status, json.dumps(value).encode())

    def _route(self, method: str) -> None:
        parts = urlsplit(self.path)
        self.launcher.recorded.requests.append((method, parts.path))
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        body = self._body() if method in ("POST", "PUT") else b""
        if parts.path == "/return" and method == "GET":
            self._send(200, RETURN_PAGE, "text/html; charset=utf-8")
        elif parts.path.startswith("/fetch/") and method == "POST":
            self._json(200, self.launcher.fetch(parts.path.removeprefix("/fetch/")))
        elif parts.path.startswith("/lrs/"):
            self._xapi(method, parts.path.removeprefix("/lrs/"), query, body)
        else:
            self._send(404, b"{}")

    def do_GET(self) -> None:
        self._route("GET")

    def do_POST(self) -> None:
        self._route("POST")

    def do_PUT(self) -> None:
        self._route("PUT")

    def do_DELETE(self) -> None:
        self._route("DELETE")

    def do_OPTIONS(self) -> None:
        self.send_response(204)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS")
        self.send_header("Access-Control-Allow-Headers",
                         "Authorization, Content-Type, X-Experience-API-Version")
        self.send_header("Access-Control-Max-Age", "600")
        self.end_headers()

    # --- the xAPI endpoint --------------------------------------------------------------------

    def _xapi(self, method: str, resource: str, query: dict[str, str], body: bytes) -> None:
        launcher = self.launcher
        if resource == "about":
            self._json(200, {"version": ["1.0.3"]})
            return
        session = launcher.session_by_token(self.headers.get("Authorization", ""))
        if session is None:
            launcher.problem(f"{method} {resource} without a session's auth token")
            self._json(401, {"error": "no valid auth token"})
            return
        if self.headers.get("X-Experience-API-Version") is None:
            launcher.problem(f"{method} {resource} without X-Experience-API-Version")
        if resource == "statements" and method in ("POST", "PUT"):
            self._statements(session, body)
        elif resource == "activities/state":
            self._state(session, method, query, body)
        elif resource == "agents/profile" and method == "GET":
            if query.get("profileId") != "cmi5LearnerPreferences":
                self._send(404, b"{}")
            else:
                self._json(200, PREFERENCES)
        else:
            launcher.problem(f"unexpected {method} {resource}")
            self._send(405, b"{}")

    def _statements(self, session: Session, body: bytes) -> None:
        try:
            data = json.loads(body)
        except json.JSONDecodeError:
            self.launcher.problem("statements that are not JSON")
            self._json(400, {"error": "not JSON"})
            return
        statements = data if isinstance(data, list) else [data]
        self.launcher.record_statements(session, statements)
        status, answer = self.launcher.forward(json.dumps(statements).encode())
        self._send(status, answer)

    def _state(self, session: Session, method: str, query: dict[str, str], body: bytes) -> None:
        launcher = self.launcher
        state_id = query.get("stateId", "")
        try:
            agent = json.loads(query.get("agent", "null"))
        except json.JSONDecodeError:
            agent = None
        if (agent != session.actor or query.get("registration") != session.registration
                or query.get("activityId") != session.activity_id):
            launcher.problem(f"{method} state {state_id!r} for another actor, registration or "
                             "activity than the launch's")
            self._json(400, {"error": "not this launch's"})
            return
        if state_id == LAUNCH_DATA:
            if method != "GET":
                launcher.problem(f"the AU tried to {method} {LAUNCH_DATA}")
                self._json(403, {"error": "read-only"})
            else:
                self._json(200, session.launch_data)
            return
        agent_key = json.dumps(agent, sort_keys=True)
        key = (session.activity_id, session.registration, state_id, agent_key)
        with launcher.lock:
            if method in ("PUT", "POST"):
                launcher.recorded.states[key] = body
                found: bytes | None = b""
            elif method == "DELETE":
                launcher.recorded.states.pop(key, None)
                found = b""
            else:
                found = launcher.recorded.states.get(key)
        if found is None:
            self._send(404, b"{}")
        elif method == "GET":
            self._send(200, found, "text/plain; charset=utf-8")
        else:
            self._send(204)
