"""The preview: a local LMS with a live inspector, on 127.0.0.1.

``Preview`` ties the parts together and serves them over HTTP (``http.server`` in threads):

- ``/``: the inspector page (``static/inspector.html``): the course in a frame on one side,
  the inspector on the other; for SCORM it installs the strict LMS simulator
  (``static/lms/``) as ``window.API`` / ``window.API_1484_11``;
- ``/course/<generation>/…``: the files of a build (``builder.PreviewBuilder``), or of a
  package folder given as it is (``ceforge.preview.launch``);
- ``/xapi/…``: the LRS (``lrs.Lrs``); ``/fetch/<key>``: cmi5 fetch URLs (``launcher``); both
  answer pages of other origins too (CORS), for an AU served apart from its LMS;
  ``/returned``: where a cmi5 AU goes after Exit;
- ``/api/…``: what the inspector asks: ``status``, ``wait`` (a long poll that returns when
  anything changed), ``launch``, ``controls``, ``reset``, ``statements``, ``snapshots``
  (the simulator's data model and API calls, posted by the page: ``Preview.snapshots`` and
  ``Preview.calls`` keep them for tests and ``ceforge validate --launch``).

A watcher rebuilds the course when a file changes; the page reloads the course when a build
succeeds and shows the diagnostics when one fails, while the last good build keeps running.
"""

from __future__ import annotations

import contextlib
import json
import mimetypes
import shutil
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from ceforge.preview.builder import KEEP, BuildState, PreviewBuilder
from ceforge.preview.forward import Forwarder
from ceforge.preview.launcher import Cmi5Launcher, Learner, tincan_launch
from ceforge.preview.lrs import Lrs, Principal, XapiRequest, XapiResponse
from ceforge.preview.simulator import ApiCall, parse_log
from ceforge.preview.watch import Watcher
from ceforge.targets.base import BuildOptions
from ceforge.validate.contents import PackageContents, Unit, read_contents
from ceforge.xapi.rules import statement_problems

STATIC = Path(__file__).resolve().parent / "static"
WAIT_SECONDS = 25.0
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".xml": "application/xml",
    ".xsd": "application/xml",
}
RETURNED = (
    b"<!DOCTYPE html><html lang=en><meta charset=utf-8><title>Back in the LMS</title>"
    b'<body style="font-family:system-ui;padding:2rem"><h1 data-testid=returned>'
    b"Back in the LMS</h1><p>The AU went to its returnURL. Launch it again from the "
    b"inspector.</p></body></html>"
)


@dataclass
class Controls:
    """What the preview's LMS is told to do wrong."""

    #: Commits fail: SCORM Commit returns false (101/391); the LRS answers writes with 503.
    fail_commits: bool = False
    #: The LMS is gone: SCORM Commit and Terminate fail; the LRS and fetch URLs drop requests.
    offline: bool = False

    def to_json(self) -> dict[str, bool]:
        return {"failCommits": self.fail_commits, "offline": self.offline}


@dataclass
class SimulatorRecords:
    """What the page's SCORM simulator posted: its latest snapshot and record per unit, and
    every API call, in order."""

    snapshots: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: list[dict[str, Any]] = field(default_factory=list)


class Preview:
    """A running preview of a course folder (``course``) or of a package folder (``package``;
    ``contents``: what ``ceforge validate`` read of it, else read from its manifest).

    Use it as a context manager, or ``start()`` and ``close()``. ``url`` is the inspector's.
    """

    def __init__(
        self,
        course: Path | None = None,
        *,
        package: Path | None = None,
        contents: PackageContents | None = None,
        target: str = "web",
        port: int = 0,
        options: BuildOptions | None = None,
        forward: Forwarder | None = None,
        watch: bool = True,
        interval: float = 0.25,
        learner_name: str | None = None,
    ) -> None:
        if (course is None) == (package is None):
            raise ValueError("preview a course folder or a package folder, not both")
        self.course = course
        self.package = package
        self.contents = contents
        self.target = target
        self.port = port
        self.options = options or BuildOptions()
        self.forwarder = forward
        self.watch = watch
        self.interval = interval
        self.learner = Learner(name=learner_name) if learner_name else Learner()
        self.controls = Controls()
        self.records = SimulatorRecords()
        self.version = 0
        self._closed = False
        self._changed = threading.Condition()
        self._tmp: Path | None = None
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._watcher: Watcher | None = None
        self.builder: PreviewBuilder | None = None
        self.generations: dict[int, Path] = {}
        self._fixed: BuildState | None = None
        self.lrs: Lrs
        self.launcher: Cmi5Launcher

    # --- life cycle -----------------------------------------------------------------------------

    def start(self) -> Preview:
        try:
            return self._start()
        except BaseException:
            self.close()  # nothing half-started stays behind: no socket, no temporary folder
            raise

    def _start(self) -> Preview:
        self._tmp = Path(tempfile.mkdtemp(prefix="ceforge-preview-"))
        self.lrs = Lrs(self._tmp / "lrs.sqlite", inspect=self._inspect)
        self.lrs.listeners.append(self._stored)
        handler = type("Handler", (_Handler,), {"preview": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        self._server.daemon_threads = True
        self.launcher = Cmi5Launcher(self.lrs, self.url)
        if self.package is not None:
            plan = self.contents or read_contents(
                self.package, self.target if self.target != "web" else None)
            self.target = plan.standard
            self._fixed = BuildState(1, self.package, plan, True, attempt=1)
            self.generations[1] = self.package
        else:
            assert self.course is not None
            self.builder = PreviewBuilder(self.course, self.target, self._tmp / "builds",
                                          self.options)
            self._rebuild()
            if self.watch:
                self._watcher = Watcher(self.course, self._rebuild, self.interval)
                self._watcher.start()
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        name="ceforge preview", daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        self._closed = True
        if self._watcher is not None:
            self._watcher.stop()
        if self._server is not None:
            if self._thread is not None:
                self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)
        with self._changed:
            self._changed.notify_all()
        if self.forwarder is not None:
            self.forwarder.close()
        if self._tmp is not None:
            if hasattr(self, "lrs"):
                self.lrs.close()
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def __enter__(self) -> Preview:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def url(self) -> str:
        """The inspector's URL (the server's origin and ``/``)."""
        assert self._server is not None, "the preview is not started"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/"

    @property
    def state(self) -> BuildState:
        if self._fixed is not None:
            return self._fixed
        assert self.builder is not None
        return self.builder.state

    # --- changes --------------------------------------------------------------------------------

    def changed(self) -> None:
        """Something the page shows changed: wake the long polls."""
        with self._changed:
            self.version += 1
            self._changed.notify_all()

    def wait(self, version: int, timeout: float = WAIT_SECONDS) -> dict[str, Any]:
        """The status, as soon as it is newer than ``version`` (or after ``timeout``)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self.version <= version and not self._closed:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._changed.wait(left)
        if self._closed:
            return {"version": self.version, "closed": True}
        return self.status()

    def _rebuild(self) -> None:
        assert self.builder is not None
        try:
            state = self.builder.rebuild()
        except Exception:  # a bug of ceforge: show it, keep the last good build running
            traceback.print_exc()
            old = self.builder.state
            state = BuildState(old.generation, old.folder, old.plan, False, (),
                               "ceforge failed:\n" + traceback.format_exc(), old.attempt + 1)
            self.builder.state = state
        if state.ok and state.folder is not None:
            self.generations[state.generation] = state.folder
            for old_generation in [g for g in self.generations if g <= state.generation - KEEP]:
                del self.generations[old_generation]
        self.changed()

    def rebuild(self) -> BuildState:
        """Build now (the watcher does this on its own when files change)."""
        self._rebuild()
        return self.state

    # --- what the page asks ---------------------------------------------------------------------

    def base(self) -> str | None:
        state = self.state
        return f"/course/{state.generation}/" if state.generation else None

    def status(self) -> dict[str, Any]:
        state = self.state
        return {
            "version": self.version,
            "target": self.target,
            "course": str(self.course) if self.course else None,
            "package": str(self.package) if self.package else None,
            "build": state.to_json(),
            "base": self.base(),
            "learner": {"id": self.learner.id, "name": self.learner.name,
                        "registration": self.learner.registration},
            "controls": self.controls.to_json(),
            "statements": self.lrs.last_seq(),
            "forward": self.forwarder.endpoint if self.forwarder else None,
            "cmi5": [s.to_json() for s in self.launcher.sessions.values()],
            "requestProblems": self.lrs.request_problem_count,
        }

    def unit(self, unit_id: str | None) -> Unit:
        plan = self.state.plan
        if plan is None:
            raise LookupError("nothing is built yet")
        for unit in plan.units:
            if unit_id in (None, "", unit.id):
                return unit
        raise LookupError(f"no unit {unit_id!r} in the package")

    def launch(
        self, unit_id: str | None = None, launch_mode: str = "Normal",
        mastery_score: float | None = None,
    ) -> dict[str, Any]:
        """Where the page loads the course: for cmi5, after a new launch of the AU."""
        plan: PackageContents | None = self.state.plan
        base = self.base()
        if plan is None or base is None:
            raise LookupError("nothing is built yet")
        unit = self.unit(unit_id)
        if plan.standard == "cmi5":
            url, session = self.launcher.launch(
                unit, base, self.learner, launch_mode=launch_mode, mastery_score=mastery_score,
                return_url=self.url + "returned")
            self.changed()
            return {"url": url, "session": session.to_json()}
        if plan.standard == "tincan":
            return {"url": tincan_launch(unit, base, self.learner, self.url, self.lrs)}
        return {"url": base + unit.href}

    def set_controls(self, data: dict[str, Any]) -> None:
        if "failCommits" in data:
            self.controls.fail_commits = bool(data["failCommits"])
        if "offline" in data:
            self.controls.offline = bool(data["offline"])
        if isinstance(data.get("learnerName"), str) and data["learnerName"].strip():
            self.learner.name = data["learnerName"].strip()
        self.changed()

    def reset(self) -> None:
        """A new learner: a new registration, no SCORM records."""
        self.learner = Learner(name=self.learner.name)
        self.records.snapshots.clear()
        self.changed()

    def api_calls(self) -> list[ApiCall]:
        """Every SCORM API call the page's simulator posted, in order."""
        return parse_log(self.records.calls)[0]

    def post_snapshot(self, data: dict[str, Any]) -> None:
        unit = str(data.get("unit") or "")
        snapshot = data.get("snapshot")
        if isinstance(snapshot, dict):
            self.records.snapshots[unit] = snapshot
        log = data.get("log")
        if isinstance(log, list):
            self.records.calls.extend(entry for entry in log if isinstance(entry, dict))

    # --- the LRS's hooks ------------------------------------------------------------------------

    def _inspect(
        self, statement: dict[str, Any], principal: Principal
    ) -> tuple[list[str], list[str]]:
        problems = statement_problems(statement)
        if problems or principal.source != "au":
            return problems, []  # refused: the cmi5 rules need a well-formed statement
        return problems, self.launcher.check(statement, principal)

    def _stored(self, statements: list[dict[str, Any]]) -> None:
        self.launcher.stored(statements)
        if self.forwarder is not None:
            self.forwarder.submit(statements)

    def statements(self, after: int = 0) -> list[dict[str, Any]]:
        """What reached the LRS (stored or refused) after ``after``, with its problems."""
        feed = self.lrs.feed(after)
        if self.forwarder is not None:
            for item in feed:
                item["forwarded"] = self.forwarder.results.get(item["id"])
        return feed

    def xapi(self, request: XapiRequest) -> XapiResponse | None:
        """The LRS's answer, or None when the LMS is offline (the connection is dropped)."""
        if self.controls.offline:
            return None
        if self.controls.fail_commits and request.method in ("POST", "PUT", "DELETE"):
            return XapiResponse(503, b'{"error": "the LRS failed the write (preview control)"}')
        problems = self.lrs.request_problem_count
        response = self.lrs.handle(request)
        if (request.resource == "statements" and request.method != "GET") or (
            self.lrs.request_problem_count != problems
        ):
            self.changed()
        return response

    def request_problems(self, after: int = 0) -> list[dict[str, Any]]:
        """The requests the LRS refused for breaking the protocol, from the ``after``-th on
        (as many as it keeps), each as JSON with ``seq`` (its number) and ``text``."""
        kept = list(self.lrs.request_problems)
        first = self.lrs.request_problem_count - len(kept)
        return [problem.to_json() | {"seq": first + number + 1}
                for number, problem in enumerate(kept) if first + number >= after]


class _Handler(BaseHTTPRequestHandler):
    preview: Preview
    protocol_version = "HTTP/1.1"
    server_version = "ceforge-preview"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def handle(self) -> None:
        # The page may go away mid-answer (a reload, a closed tab).
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().handle()

    # --- plumbing -------------------------------------------------------------------------------

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(
        self, status: int, body: bytes = b"", content_type: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Cache-Control", "no-store")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if status not in (204, 304):
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
        else:
            self.send_header("Content-Length", "0")
        self.end_headers()
        if status not in (204, 304) and self.command != "HEAD":
            self.wfile.write(body)

    def _json(
        self, value: Any, status: int = 200, headers: dict[str, str] | None = None
    ) -> None:
        self._send(status, json.dumps(value, ensure_ascii=False).encode("utf-8"),
                   headers=headers)

    def _cors(self) -> dict[str, str]:
        """What lets a page of another origin read the answer (an AU served apart from its
        LMS): the LRS and the fetch URLs need the session's secrets all the same."""
        return {"Access-Control-Allow-Origin": self.headers.get("Origin") or "*",
                "Access-Control-Expose-Headers": "ETag, X-Experience-API-Version"}

    def _file(self, folder: Path, relative: str) -> None:
        root = folder.resolve()
        path = (root / unquote(relative)).resolve()
        if path.is_dir():
            path = path / "index.html"
        if (root != path and root not in path.parents) or not path.is_file():
            if relative == "favicon.ico":
                self._send(204)
            else:
                self._send(404, b"not found", "text/plain; charset=utf-8")
            return
        content_type = TYPES.get(path.suffix.lower()) or (
            mimetypes.guess_type(path.name)[0] or "application/octet-stream")
        self._send(200, path.read_bytes(), content_type)

    def _route(self, method: str) -> None:
        try:
            self._dispatch(method)
        except (BrokenPipeError, ConnectionResetError):
            raise
        except Exception:  # a bug of ceforge's: say so, and keep serving
            traceback.print_exc()
            self._send(500, b"ceforge preview failed; see the terminal",
                       "text/plain; charset=utf-8")

    def _dispatch(self, method: str) -> None:
        parts = urlsplit(self.path)
        path = parts.path
        query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        preview = self.preview
        if path.startswith("/xapi/"):
            self._xapi(method, path.removeprefix("/xapi/"), query)
        elif path.startswith("/fetch/") and method == "POST":
            if preview.controls.offline:
                self.close_connection = True
                return
            self._json(preview.launcher.fetch(path.removeprefix("/fetch/")),
                       headers=self._cors())
        elif path.startswith("/course/") and method in ("GET", "HEAD"):
            generation, _, rest = path.removeprefix("/course/").partition("/")
            folder = preview.generations.get(int(generation)) if generation.isdigit() else None
            if folder is None:
                self._send(404, b"no such build", "text/plain; charset=utf-8")
            else:
                self._file(folder, rest)
        elif path.startswith("/api/"):
            self._api(method, path.removeprefix("/api/"), query)
        elif method in ("GET", "HEAD") and path in ("/", "/index.html"):
            self._file(STATIC, "inspector.html")
        elif method in ("GET", "HEAD") and path.startswith("/inspector/"):
            self._file(STATIC, path.removeprefix("/inspector/"))
        elif method == "GET" and path == "/returned":
            self._send(200, RETURNED, "text/html; charset=utf-8")
        elif path == "/favicon.ico":
            self._send(204)
        else:
            self._send(404, b"not found", "text/plain; charset=utf-8")

    def _api(self, method: str, name: str, query: dict[str, str]) -> None:
        preview = self.preview
        body = self._body() if method == "POST" else b""
        try:
            data = json.loads(body) if body else {}
        except json.JSONDecodeError:
            self._json({"error": "the body is not JSON"}, 400)
            return
        if method == "GET" and name == "status":
            self._json(preview.status())
        elif method == "GET" and name == "wait":
            version = int(query.get("version") or 0)
            self._json(preview.wait(version, min(float(query.get("timeout") or WAIT_SECONDS),
                                                 WAIT_SECONDS)))
        elif method == "GET" and name == "statements":
            self._json(preview.statements(int(query.get("after") or 0)))
        elif method == "GET" and name == "request-problems":
            self._json(preview.request_problems(int(query.get("after") or 0)))
        elif method == "GET" and name == "snapshots":
            records = preview.records
            self._json({"latest": records.snapshots, "calls": records.calls})
        elif method == "POST" and name == "snapshots":
            preview.post_snapshot(data)
            self._send(204)
        elif method == "POST" and name == "launch":
            try:
                mastery = data.get("masteryScore")
                self._json(preview.launch(data.get("unit"), data.get("launchMode") or "Normal",
                                          float(mastery) if mastery not in (None, "") else None))
            except (LookupError, ValueError) as exc:
                self._json({"error": str(exc)}, 409)
        elif method == "POST" and name == "controls":
            preview.set_controls(data)
            self._json(preview.status())
        elif method == "POST" and name == "reset":
            preview.reset()
            self._json(preview.status())
        elif method == "POST" and name == "rebuild" and preview.builder is not None:
            preview.rebuild()
            self._json(preview.status())
        else:
            self._json({"error": f"no {method} /api/{name}"}, 404)

    def _xapi(self, method: str, resource: str, query: dict[str, str]) -> None:
        if method == "OPTIONS":  # a preflight, for a course served from another origin
            self._send(204, headers={
                "Access-Control-Allow-Origin": self.headers.get("Origin") or "*",
                "Access-Control-Allow-Methods": "GET, POST, PUT, DELETE, OPTIONS",
                "Access-Control-Allow-Headers":
                    "Authorization, Content-Type, X-Experience-API-Version, If-Match, "
                    "If-None-Match",
            })
            return
        request = XapiRequest(
            method, resource.strip("/"), query,
            {k.lower(): v for k, v in self.headers.items()},
            self._body() if method in ("POST", "PUT") else b"",
        )
        response = self.preview.xapi(request)
        if response is None:
            self.close_connection = True  # offline: no answer at all
            return
        self._send(response.status, response.body, response.content_type,
                   response.headers | self._cors())

    def do_GET(self) -> None:
        self._route("GET")

    def do_HEAD(self) -> None:
        self._route("HEAD")

    def do_POST(self) -> None:
        self._route("POST")

    def do_PUT(self) -> None:
        self._route("PUT")

    def do_DELETE(self) -> None:
        self._route("DELETE")

    def do_OPTIONS(self) -> None:
        self._route("OPTIONS")
