"""A small Learning Record Store for the preview, kept in SQLite in its temporary folder.

The xAPI 1.0.3 resources a Tin Can course or a cmi5 AU uses:

- ``statements``: POST (one or a list; ids given or assigned), PUT with ``statementId``, GET one
  (``statementId``, ``voidedStatementId``) or many (filtered by ``registration``, ``verb``,
  ``activity``, ``agent``, ``since``, ``until``; ``limit``, ``ascending``). A statement whose
  id is already stored is acknowledged when it is the same statement, refused with 409 when
  it is not;
- ``activities/state``, ``activities/profile`` and ``agents/profile``: documents (GET one, or
  the ids; PUT; POST merges JSON objects; DELETE), with ETags and ``If-Match`` /
  ``If-None-Match``;
- ``about``.

Every request needs ``X-Experience-API-Version`` and a credential the LRS knows
(``add_credential``: the preview's Tin Can launch, or a cmi5 session's token). A cmi5 session's
credential reaches only that session's documents (its activity, learner and registration:
``Principal.scope``), and never writes ``LMS.LaunchData``. A request refused for any of these
reasons is recorded in ``request_problems`` (what the course did against the protocol), for the
inspector. Before a statement is stored, ``inspect`` (given by the preview) judges it: xAPI
problems refuse it with 400, as a conforming LRS would; other problems (cmi5's) are recorded
with it. Everything that arrives, stored or refused, is in ``feed()``, for the inspector, with
the session that sent it.

The HTTP server (``ceforge.preview.server``) turns requests into ``XapiRequest`` and back.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ceforge.xapispec import XAPI_VERSION

MAX_LIMIT = 500
#: Request problems kept for the inspector (the oldest go first; ``request_problem_count``
#: counts them all).
MAX_REQUEST_PROBLEMS = 500
DOCUMENTS = {
    "activities/state": ("stateId", ("activityId", "agent"), "registration"),
    "activities/profile": ("profileId", ("activityId",), None),
    "agents/profile": ("profileId", ("agent",), None),
}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS statements (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL,
    status TEXT NOT NULL,             -- stored | refused
    source TEXT NOT NULL,             -- who sent it: au, lms, course
    session TEXT,                     -- the cmi5 session whose credential carried it
    registration TEXT,
    verb TEXT,
    activity TEXT,
    agent TEXT,
    stored TEXT NOT NULL,
    body TEXT NOT NULL,
    problems TEXT NOT NULL,           -- JSON list
    refusal TEXT,                     -- why the LRS refused it
    voided INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX IF NOT EXISTS stored_id ON statements(id) WHERE status = 'stored';
CREATE TABLE IF NOT EXISTS documents (
    resource TEXT NOT NULL,
    activity TEXT NOT NULL,
    agent TEXT NOT NULL,
    registration TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    content_type TEXT NOT NULL,
    body BLOB NOT NULL,
    etag TEXT NOT NULL,
    updated TEXT NOT NULL,
    PRIMARY KEY (resource, activity, agent, registration, doc_id)
);
"""


@dataclass(frozen=True)
class XapiRequest:
    method: str
    #: The resource under the endpoint: "statements", "activities/state", …
    resource: str
    query: Mapping[str, str]
    #: Header names in lower case.
    headers: Mapping[str, str]
    body: bytes = b""


@dataclass
class XapiResponse:
    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Scope:
    """The documents a cmi5 session may reach: those of its activity (the launch's
    ``activityId``), its learner (an ``agent_key``) and its registration."""

    activity: str
    agent: str
    registration: str


@dataclass(frozen=True)
class Principal:
    """Who a credential belongs to: the Tin Can launch ("course"), a cmi5 session ("au")."""

    source: str
    session: str | None = None
    #: Documents this principal may read but not write (cmi5's LMS.LaunchData).
    read_only_states: frozenset[str] = frozenset()
    #: What this principal's document requests may name (None: anything).
    scope: Scope | None = None


@dataclass(frozen=True)
class RequestProblem:
    """A request the LRS refused because it broke the protocol (no credential, no version
    header, a document of another session, a write to LMS.LaunchData, an unknown resource)."""

    method: str
    resource: str
    status: int
    problem: str
    #: Who sent it (the principal's source and session), when its credential was known.
    source: str | None = None
    session: str | None = None

    def __str__(self) -> str:
        return f"{self.method} {self.resource}: {self.problem} (HTTP {self.status})"

    def to_json(self) -> dict[str, Any]:
        return {"method": self.method, "resource": self.resource, "status": self.status,
                "problem": self.problem, "source": self.source, "session": self.session,
                "text": str(self)}


#: ``inspect(statement, principal)`` -> (xAPI problems: refuse; other problems: record).
Inspector = Callable[[dict[str, Any], Principal], tuple[list[str], list[str]]]
#: Called after statements were stored (for the inspector feed and forwarding).
Listener = Callable[[list[dict[str, Any]]], None]


class XapiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def now() -> str:
    """An xAPI timestamp of now: UTC, milliseconds."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def agent_key(agent: Any) -> str:
    """The identifier of an agent (its inverse functional identifier), as one string."""
    if not isinstance(agent, dict):
        raise XapiError(400, "the agent is not a JSON object")
    if agent.get("mbox"):
        return f"mbox:{agent['mbox']}"
    if agent.get("mbox_sha1sum"):
        return f"sha1:{agent['mbox_sha1sum']}"
    if agent.get("openid"):
        return f"openid:{agent['openid']}"
    account = agent.get("account")
    if isinstance(account, dict) and account.get("homePage") and account.get("name"):
        return f"account:{account['homePage']}|{account['name']}"
    raise XapiError(400, "the agent has no identifier (mbox, mbox_sha1sum, openid, account)")


def _json(value: Any, status: int = 200) -> XapiResponse:
    return XapiResponse(status, json.dumps(value, ensure_ascii=False).encode("utf-8"))


def _error(status: int, message: str) -> XapiResponse:
    return _json({"error": message}, status)


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two statements are the same, ignoring what the LRS adds."""
    drop = ("stored", "authority", "version")
    return {k: v for k, v in a.items() if k not in drop} == {
        k: v for k, v in b.items() if k not in drop
    }


class Lrs:
    """The LRS (see the module's docstring). Thread-safe: one connection behind a lock."""

    def __init__(
        self,
        database: Path,
        *,
        inspect: Inspector | None = None,
        authority: dict[str, Any] | None = None,
    ) -> None:
        self._db = sqlite3.connect(str(database), check_same_thread=False)
        self._db.executescript(_SCHEMA)
        self._lock = threading.RLock()
        self._credentials: dict[str, Principal] = {}
        self.request_problems: list[RequestProblem] = []
        self.request_problem_count = 0
        self.inspect = inspect
        self.listeners: list[Listener] = []
        self.authority = authority or {
            "objectType": "Agent",
            "name": "ceforge preview",
            "account": {"homePage": "https://ceforge.invalid/preview", "name": "lrs"},
        }

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # --- credentials ----------------------------------------------------------------------------

    def add_credential(self, authorization: str, principal: Principal) -> None:
        """Accept ``authorization`` (the whole header value, ``Basic …``) as ``principal``."""
        with self._lock:
            self._credentials[authorization.strip()] = principal

    def principal(self, authorization: str | None) -> Principal | None:
        with self._lock:
            return self._credentials.get((authorization or "").strip())

    # --- requests -------------------------------------------------------------------------------

    def handle(self, request: XapiRequest) -> XapiResponse:
        """Answer one request of an LRP (a course)."""
        if request.resource == "about" and request.method == "GET":
            return _json({"version": [XAPI_VERSION]})
        principal = self.principal(request.headers.get("authorization"))
        if principal is None:
            return self._refuse(request, None, 401, "no credential this LRS knows (a cmi5 AU "
                                "sends the token its fetch URL gave, as Basic credentials)")
        if "x-experience-api-version" not in request.headers:
            return self._refuse(request, principal, 400,
                                "the X-Experience-API-Version header is missing")
        try:
            if request.resource == "statements":
                response = self._statements(request, principal)
            elif request.resource in DOCUMENTS:
                response = self._documents(request, principal)
            else:
                response = self._refuse(request, principal, 404,
                                        f"no resource {request.resource!r}")
        except XapiError as exc:
            response = _error(exc.status, str(exc))
        response.headers["X-Experience-API-Version"] = XAPI_VERSION
        return response

    def _refuse(
        self, request: XapiRequest, principal: Principal | None, status: int, problem: str
    ) -> XapiResponse:
        """Refuse a request that breaks the protocol, and record it."""
        found = RequestProblem(request.method, request.resource, status, problem,
                               principal.source if principal else None,
                               principal.session if principal else None)
        with self._lock:
            self.request_problems.append(found)
            del self.request_problems[:-MAX_REQUEST_PROBLEMS]
            self.request_problem_count += 1
        return _error(status, problem)

    # --- statements -----------------------------------------------------------------------------

    def _statements(self, request: XapiRequest, principal: Principal) -> XapiResponse:
        if request.method == "GET":
            return self._get_statements(request.query)
        if request.method not in ("POST", "PUT"):
            return self._refuse(request, principal, 405,
                                f"{request.method} is not a method of the statements resource")
        try:
            data = json.loads(request.body or b"null")
        except (json.JSONDecodeError, UnicodeDecodeError):
            return _error(400, "the body is not JSON")
        if request.method == "PUT":
            statement_id = request.query.get("statementId")
            if not statement_id or not isinstance(data, dict):
                return _error(400, "PUT statements takes one statement and its statementId")
            if data.setdefault("id", statement_id) != statement_id:
                return _error(400, "the statement's id is not the statementId")
            self.store([data], principal)
            return XapiResponse(204)
        statements = data if isinstance(data, list) else [data]
        if not statements or not all(isinstance(s, dict) for s in statements):
            return _error(400, "POST statements takes a statement or a list of them")
        return _json(self.store(statements, principal))

    def store(self, statements: list[dict[str, Any]], principal: Principal) -> list[str]:
        """Judge and store a batch: all or nothing, as xAPI asks; the ids, in order."""
        stamp = now()
        judged = []
        refused: list[str] = []
        for statement in statements:
            statement.setdefault("id", str(uuid.uuid4()))
            problems, notes = self.inspect(statement, principal) if self.inspect else ([], [])
            judged.append((statement, problems, notes))
            refused += [f"{statement.get('id')}: {p}" for p in problems]
        with self._lock:
            if refused:
                for statement, problems, notes in judged:
                    self._insert(statement, principal, stamp, "refused", problems + notes,
                                 "; ".join(refused))
                self._db.commit()
                raise XapiError(400, "statements break the xAPI rules: " + "; ".join(refused))
            stored = []
            for statement, _problems, notes in judged:
                held = self._find(str(statement["id"]))
                if held is not None:
                    if not _same(held, statement):
                        self._db.rollback()
                        raise XapiError(409, f"a different statement {statement['id']} is stored")
                    continue
                full = dict(statement, stored=stamp, authority=self.authority,
                            version=statement.get("version", XAPI_VERSION))
                self._insert(full, principal, stamp, "stored", notes, None)
                stored.append(full)
            self._void(stored)
            self._db.commit()
        for listener in self.listeners:
            listener(stored)
        return [str(s["id"]) for s in statements]

    def _insert(
        self,
        statement: dict[str, Any],
        principal: Principal,
        stamp: str,
        status: str,
        problems: list[str],
        refusal: str | None,
    ) -> None:
        def part(key: str) -> dict[str, Any]:
            value = statement.get(key)
            return value if isinstance(value, dict) else {}

        context, verb, obj = part("context"), part("verb"), part("object")
        try:
            agent: str | None = agent_key(statement.get("actor"))
        except XapiError:
            agent = None
        self._db.execute(
            "INSERT INTO statements (id, status, source, session, registration, verb, activity, "
            "agent, stored, body, problems, refusal) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (str(statement.get("id")), status, principal.source, principal.session,
             context.get("registration"), verb.get("id"), obj.get("id"), agent, stamp,
             json.dumps(statement), json.dumps(problems), refusal),
        )

    def _void(self, stored: list[dict[str, Any]]) -> None:
        for statement in stored:
            if statement["verb"].get("id") == "http://adlnet.gov/expapi/verbs/voided":
                target = statement.get("object", {}).get("id")
                self._db.execute("UPDATE statements SET voided = 1 WHERE id = ? AND "
                                 "status = 'stored'", (target,))

    def _find(self, statement_id: str, voided: bool | None = None) -> dict[str, Any] | None:
        sql = "SELECT body FROM statements WHERE id = ? AND status = 'stored'"
        if voided is not None:
            sql += f" AND voided = {int(voided)}"
        row = self._db.execute(sql, (statement_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def _get_statements(self, query: Mapping[str, str]) -> XapiResponse:
        with self._lock:
            for key, voided in (("statementId", False), ("voidedStatementId", True)):
                if key in query:
                    found = self._find(query[key], voided)
                    return _json(found) if found else _error(404, f"no statement {query[key]}")
            sql = ["SELECT body FROM statements WHERE status = 'stored' AND voided = 0"]
            args: list[Any] = []
            for key, column in (("registration", "registration"), ("verb", "verb"),
                                ("activity", "activity")):
                if key in query:
                    sql.append(f"AND {column} = ?")
                    args.append(query[key])
            if "agent" in query:
                try:
                    args.append(agent_key(json.loads(query["agent"])))
                except json.JSONDecodeError:
                    raise XapiError(400, "agent is not JSON") from None
                sql.append("AND agent = ?")
            if "since" in query:
                sql.append("AND stored > ?")
                args.append(query["since"])
            if "until" in query:
                sql.append("AND stored <= ?")
                args.append(query["until"])
            ascending = query.get("ascending", "false").lower() == "true"
            sql.append(f"ORDER BY seq {'ASC' if ascending else 'DESC'}")
            limit = int(query.get("limit") or 0) or MAX_LIMIT
            sql.append("LIMIT ?")
            args.append(min(limit, MAX_LIMIT))
            rows = self._db.execute(" ".join(sql), args).fetchall()
        return _json({"statements": [json.loads(r[0]) for r in rows], "more": ""})

    # --- documents ------------------------------------------------------------------------------

    def _documents(self, request: XapiRequest, principal: Principal) -> XapiResponse:
        id_name, required, with_registration = DOCUMENTS[request.resource]
        query = request.query
        missing = [name for name in required if not query.get(name)]
        if missing:
            return self._refuse(request, principal, 400,
                                f"{request.resource} needs {', '.join(missing)}")
        activity = query.get("activityId", "")
        agent = agent_key(self._agent(query["agent"])) if "agent" in query else ""
        registration = query.get("registration", "") if with_registration else ""
        doc_id = query.get(id_name)
        where = (request.resource, activity, agent, registration)
        if request.method != "GET" and request.resource == "activities/state" and (
            doc_id in principal.read_only_states
        ):
            return self._refuse(request, principal, 403,
                                f"{doc_id} is the LMS's; the AU may only read it")
        stray = _outside(principal.scope, request.resource, activity, agent, registration)
        if stray:
            return self._refuse(request, principal, 403, stray)
        with self._lock:
            if request.method == "GET":
                return self._read_document(where, doc_id, query.get("since"))
            if request.method == "DELETE":
                return self._delete_document(where, doc_id, request.headers)
            if request.method in ("PUT", "POST"):
                if not doc_id:
                    return _error(400, f"{request.method} {request.resource} needs {id_name}")
                return self._write_document(where, doc_id, request)
        return self._refuse(request, principal, 405,
                            f"{request.method} is not a method of {request.resource}")

    @staticmethod
    def _agent(text: str) -> Any:
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            raise XapiError(400, "agent is not JSON") from None

    def _row(self, where: tuple[str, ...], doc_id: str) -> tuple[str, bytes, str] | None:
        row = self._db.execute(
            "SELECT content_type, body, etag FROM documents WHERE resource = ? AND activity = ? "
            "AND agent = ? AND registration = ? AND doc_id = ?", (*where, doc_id)).fetchone()
        return (row[0], bytes(row[1]), row[2]) if row else None

    def _read_document(
        self, where: tuple[str, ...], doc_id: str | None, since: str | None
    ) -> XapiResponse:
        if doc_id:
            row = self._row(where, doc_id)
            if row is None:
                return _error(404, f"no document {doc_id!r}")
            content_type, body, etag = row
            return XapiResponse(200, body, content_type, {"ETag": f'"{etag}"'})
        sql = ("SELECT doc_id FROM documents WHERE resource = ? AND activity = ? AND agent = ? "
               "AND registration = ?")
        args: list[Any] = list(where)
        if since:
            sql += " AND updated > ?"
            args.append(since)
        return _json([r[0] for r in self._db.execute(sql, args).fetchall()])

    def _delete_document(
        self, where: tuple[str, ...], doc_id: str | None, headers: Mapping[str, str]
    ) -> XapiResponse:
        if doc_id:
            row = self._row(where, doc_id)
            if row is not None and not _etag_allows(headers, row[2]):
                return _error(412, "the document changed (If-Match)")
            self._db.execute("DELETE FROM documents WHERE resource = ? AND activity = ? AND "
                             "agent = ? AND registration = ? AND doc_id = ?", (*where, doc_id))
        elif where[0] == "activities/state":
            self._db.execute("DELETE FROM documents WHERE resource = ? AND activity = ? AND "
                             "agent = ? AND registration = ?", where)
        else:
            return _error(400, "DELETE of a profile needs profileId")
        self._db.commit()
        return XapiResponse(204)

    def _write_document(
        self, where: tuple[str, ...], doc_id: str, request: XapiRequest
    ) -> XapiResponse:
        content_type = request.headers.get("content-type", "application/octet-stream")
        body = request.body
        row = self._row(where, doc_id)
        if row is not None and not _etag_allows(request.headers, row[2]):
            return _error(412, "the document changed (If-Match / If-None-Match)")
        if row is None and request.headers.get("if-match"):
            return _error(412, "no document to match (If-Match)")
        if request.method == "POST" and row is not None:
            try:
                old = json.loads(row[1])
                new = json.loads(body)
            except (json.JSONDecodeError, UnicodeDecodeError):
                return _error(400, "POST merges JSON documents only")
            if not isinstance(old, dict) or not isinstance(new, dict):
                return _error(400, "POST merges JSON objects only")
            body = json.dumps(old | new).encode("utf-8")
            content_type = "application/json"
        self.put_document(where, doc_id, body, content_type)
        return XapiResponse(204)

    def put_document(
        self, where: tuple[str, ...], doc_id: str, body: bytes, content_type: str
    ) -> None:
        """Store a document (the LMS writes LMS.LaunchData and the learner preferences so)."""
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*where, doc_id, content_type, body, hashlib.sha1(body).hexdigest(), now()),
            )
            self._db.commit()

    def document(self, where: tuple[str, ...], doc_id: str) -> bytes | None:
        with self._lock:
            row = self._row(where, doc_id)
        return row[1] if row else None

    # --- for the inspector ----------------------------------------------------------------------

    def feed(self, after: int = 0) -> list[dict[str, Any]]:
        """Everything that arrived after ``after`` (a seq), stored or refused, in order."""
        with self._lock:
            rows = self._db.execute(
                "SELECT seq, id, status, source, stored, body, problems, refusal, voided, session "
                "FROM statements WHERE seq > ? ORDER BY seq", (after,)).fetchall()
        return [
            {"seq": r[0], "id": r[1], "status": r[2], "source": r[3], "stored": r[4],
             "statement": json.loads(r[5]), "problems": json.loads(r[6]), "refusal": r[7],
             "voided": bool(r[8]), "session": r[9]}
            for r in rows
        ]

    def last_seq(self) -> int:
        with self._lock:
            row = self._db.execute("SELECT MAX(seq) FROM statements").fetchone()
        return int(row[0] or 0)

    def add_problems(self, statement_id: str, problems: list[str]) -> None:
        """Record problems found later (a session that ended without terminated)."""
        with self._lock:
            row = self._db.execute("SELECT seq, problems FROM statements WHERE id = ? AND "
                                   "status = 'stored'", (statement_id,)).fetchone()
            if row is None:
                return
            merged = json.loads(row[1]) + problems
            self._db.execute("UPDATE statements SET problems = ? WHERE seq = ?",
                             (json.dumps(merged), row[0]))
            self._db.commit()


def _outside(
    scope: Scope | None, resource: str, activity: str, agent: str, registration: str
) -> str | None:
    """Why a document request leaves the scope of a cmi5 session, or None."""
    if scope is None:
        return None
    names = {"activities/state": ("activity", "learner", "registration"),
             "activities/profile": ("activity",), "agents/profile": ("learner",)}[resource]
    given = {"activity": activity, "learner": agent, "registration": registration}
    own = {"activity": scope.activity, "learner": scope.agent,
           "registration": scope.registration}
    stray = [name for name in names if given[name] != own[name]]
    if not stray:
        return None
    return (f"{resource} of another {' and '.join(stray)} than the session's: a cmi5 AU's "
            "credential reaches its own documents only")


def _etag_allows(headers: Mapping[str, str], etag: str) -> bool:
    match = headers.get("if-match")
    if match and match.strip() not in (f'"{etag}"', etag, "*"):
        return False
    none = headers.get("if-none-match")
    return not (none and none.strip() == "*")


def document_key(
    resource: str, *, activity: str = "", agent: Any = None, registration: str = ""
) -> tuple[str, str, str, str]:
    """The key ``put_document`` and ``document`` take, from readable parts."""
    return (resource, activity, agent_key(agent) if agent is not None else "", registration)
