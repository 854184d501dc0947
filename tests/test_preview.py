"""``ceforge preview`` without a browser: the launch plans of packages, the builds and the
watcher, the LRS, the cmi5 launcher, the HTTP server and the command line.

The browser tests (``tests/browser/test_preview*.py``) take courses through the inspector page;
these check each part through its Python surface and over HTTP on 127.0.0.1.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import socket
import threading
import time
import urllib.error
import urllib.request
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ceforge.build import build
from ceforge.cli import main
from ceforge.preview import serve
from ceforge.preview.builder import PreviewBuilder
from ceforge.preview.launcher import LAUNCH_DATA, Cmi5Launcher, Learner
from ceforge.preview.lrs import Lrs, Principal, XapiRequest, document_key
from ceforge.preview.server import STATIC, Preview
from ceforge.preview.watch import Watcher
from ceforge.scaffold import new_course
from ceforge.targets.base import BuildOptions
from ceforge.validate import Limits, validate_package
from ceforge.validate.contents import ContentsError, read_contents
from ceforge.xapi.cmi5 import launched_activity_id
from ceforge.xapi.learner import Cmi5Options, LearnerPath, parse_actor, walk
from ceforge.xapi.rules import session_of
from ceforge.xapi.statements import statement_json
from preview_process import command_line

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures" / "preview"
EXAMPLE = HERE.parent / "examples" / "therapy-foundations"
VERSION = {"x-experience-api-version": "1.0.3"}


@pytest.fixture
def course(tmp_path: Path) -> Path:
    root = tmp_path / "course"
    new_course(root, "Preview Course")
    return root


def statements(path: str = "partial", cmi5: Cmi5Options | None = None) -> list[dict[str, Any]]:
    from ceforge.build import check_course_folder

    result = check_course_folder(EXAMPLE)
    assert result.course is not None
    actor = parse_actor('{"account": {"homePage": "https://lms.example.org", "name": "ana"}}'
                        if cmi5 else "mailto:ana@example.org")
    walked = walk(result.course, LearnerPath(path), actor, seed=3, cmi5=cmi5)
    return [statement_json(s) for s in walked.statements]


# --- launch plans -------------------------------------------------------------------------------


def test_the_plan_of_a_hand_written_scorm_12_package() -> None:
    plan = read_contents(FIXTURES / "scorm12-sco")
    assert plan.standard == "scorm12"
    (unit,) = plan.units
    assert (unit.id, unit.href, unit.mastery_score, unit.launch_data) == (
        "item-1", "sco.html", "80", "from the manifest")


def test_the_plan_of_a_hand_written_scorm_2004_package() -> None:
    plan = read_contents(FIXTURES / "scorm2004-sco", "scorm2004")
    assert (plan.standard, plan.edition) == ("scorm2004", 4)
    assert plan.units[0].scaled_passing_score == "0.75"
    with pytest.raises(ContentsError, match="not scorm12"):
        read_contents(FIXTURES / "scorm2004-sco", "scorm12")


@pytest.mark.parametrize("target", ["web", "tincan", "cmi5"])
def test_the_plans_of_ceforge_packages(tmp_path: Path, target: str) -> None:
    (package,) = build(EXAMPLE, [target], tmp_path).paths
    folder = package
    if package.suffix == ".zip":
        folder = tmp_path / "unpacked"
        shutil.unpack_archive(package, folder)
    plan = read_contents(folder)
    assert plan.standard == target
    (unit,) = plan.units
    assert unit.href == "index.html"
    if target == "cmi5":
        assert (unit.move_on, unit.cmi5_mastery) == ("CompletedAndPassed", 0.8)
        assert plan.course_id == "https://ceforge.example.org/courses/therapy-foundations"


@pytest.mark.parametrize(("target", "options"), [
    ("scorm12", BuildOptions(sco="module")),
    ("scorm2004", BuildOptions(scorm_edition=3)),
    ("tincan", BuildOptions()),
    ("cmi5", BuildOptions(options={"au": "module"})),
])
def test_validate_and_the_preview_read_one_model(
    tmp_path: Path, target: str, options: BuildOptions
) -> None:
    """What ``ceforge validate`` reads of a zip (``PackageReport.contents``) is what the preview
    reads of the same package unpacked, and what ``validate --launch`` launches."""
    (package,) = build(EXAMPLE, [target], tmp_path / "out", options=options).paths
    shutil.unpack_archive(package, tmp_path / "pkg")
    report = validate_package(package)
    (contents,) = report.contents
    assert contents == read_contents(tmp_path / "pkg") == read_contents(tmp_path / "pkg", target)
    assert contents.standard == target and contents.units
    assert len(contents.units) == (1 if target in ("scorm2004", "tincan") else 9)  # modules
    if target == "scorm2004":
        assert contents.edition == 3


def test_a_manifest_is_read_as_validate_reads_it(tmp_path: Path) -> None:
    """No entity is expanded, no DTD or network read, nothing beyond the size limit."""
    (tmp_path / "cmi5.xml").write_text(
        '<?xml version="1.0"?><!DOCTYPE c [<!ENTITY lol "lol">]>'
        '<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">'
        "&lol;</courseStructure>")
    with pytest.raises(ContentsError, match="declares the entity 'lol'"):
        read_contents(tmp_path)
    (tmp_path / "cmi5.xml").write_text("<courseStructure>" + " " * 2000 + "</courseStructure>")
    with pytest.raises(ContentsError, match="larger than the limit"):
        read_contents(tmp_path, limits=Limits(max_document=1000))


def test_a_folder_with_nothing_to_launch(tmp_path: Path) -> None:
    with pytest.raises(ContentsError, match=r"no imsmanifest\.xml"):
        read_contents(tmp_path)


# --- builds and the watcher -------------------------------------------------------------------


def test_a_failed_build_keeps_the_last_good_one(course: Path, tmp_path: Path) -> None:
    builder = PreviewBuilder(course, "web", tmp_path / "work", BuildOptions())
    first = builder.rebuild()
    assert first.ok and first.generation == 1 and first.folder is not None
    assert (first.folder / "index.html").is_file()
    module = course / "modules" / "01-welcome.md"
    module.write_text(module.read_text().replace("::: quiz", "::: quizz"))
    failed = builder.rebuild()
    assert not failed.ok
    assert failed.generation == 1 and failed.folder == first.folder
    assert (first.folder / "index.html").is_file()
    errors = [d for d in failed.diagnostics if str(d.severity) == "error"]
    assert [d.code.code for d in errors] == ["container.unknown"]
    texts = [d["text"] for d in failed.to_json()["diagnostics"]]
    assert any(text.startswith("modules/01-welcome.md:") for text in texts)
    module.write_text(module.read_text().replace("::: quizz", "::: quiz"))
    again = builder.rebuild()
    assert again.ok and again.generation == 2


def test_a_zip_target_is_unpacked_for_the_preview(course: Path, tmp_path: Path) -> None:
    state = PreviewBuilder(course, "cmi5", tmp_path / "work", BuildOptions()).rebuild()
    assert state.ok and state.folder is not None
    assert (state.folder / "cmi5.xml").is_file() and (state.folder / "index.html").is_file()
    assert state.plan is not None and state.plan.standard == "cmi5"


def test_the_watcher_sees_changes_but_not_hidden_files(course: Path) -> None:
    seen: list[int] = []
    watcher = Watcher(course, lambda: seen.append(1))
    assert not watcher.poll()
    (course / ".hidden").write_text("x")
    (course / "notes.md~").write_text("x")
    assert not watcher.poll()
    module = course / "modules" / "01-welcome.md"
    module.write_text(module.read_text() + "\nMore.\n")
    assert watcher.poll() and seen == [1]
    assert not watcher.poll()
    module.unlink()
    assert watcher.poll() and seen == [1, 1]


# --- the LRS ------------------------------------------------------------------------------------


@pytest.fixture
def lrs(tmp_path: Path) -> Lrs:
    from ceforge.xapi.rules import statement_problems

    store = Lrs(tmp_path / "lrs.sqlite", inspect=lambda s, p: (statement_problems(s), []))
    store.add_credential("Basic token", Principal("course"))
    return store


def xapi(lrs: Lrs, method: str, resource: str, body: Any = None, **query: str) -> Any:
    data = b"" if body is None else (body if isinstance(body, bytes)
                                     else json.dumps(body).encode())
    headers = {"authorization": "Basic token", "content-type": "application/json", **VERSION}
    return lrs.handle(XapiRequest(method, resource, query, headers, data))


def test_statements_are_stored_once_and_read_back(lrs: Lrs) -> None:
    sent = statements()
    answer = xapi(lrs, "POST", "statements", sent)
    assert answer.status == 200 and json.loads(answer.body) == [s["id"] for s in sent]
    assert answer.headers["X-Experience-API-Version"] == "1.0.3"
    assert xapi(lrs, "POST", "statements", sent[:3]).status == 200  # the same again: fine
    changed = dict(sent[0], timestamp="2030-01-01T00:00:00.000Z")
    assert xapi(lrs, "POST", "statements", [changed]).status == 409
    one = json.loads(xapi(lrs, "GET", "statements", statementId=sent[1]["id"]).body)
    assert one["id"] == sent[1]["id"] and one["stored"] and one["authority"]
    registration = sent[0]["context"]["registration"]
    found = json.loads(xapi(lrs, "GET", "statements", registration=registration,
                            ascending="true").body)["statements"]
    assert [s["id"] for s in found] == [s["id"] for s in sent]
    assert json.loads(xapi(lrs, "GET", "statements", registration=str(uuid.uuid4())).body)[
        "statements"] == []
    by_verb = json.loads(xapi(lrs, "GET", "statements", verb=sent[0]["verb"]["id"]).body)
    assert {s["verb"]["id"] for s in by_verb["statements"]} == {sent[0]["verb"]["id"]}
    assert len(lrs.feed()) == len(sent)


def test_put_statement_and_voiding(lrs: Lrs) -> None:
    statement = statements()[0]
    statement_id = statement.pop("id")
    assert xapi(lrs, "PUT", "statements", statement, statementId=statement_id).status == 204
    void = {"actor": statement["actor"], "verb": {"id": "http://adlnet.gov/expapi/verbs/voided"},
            "object": {"objectType": "StatementRef", "id": statement_id}}
    assert xapi(lrs, "POST", "statements", void).status == 200
    assert xapi(lrs, "GET", "statements", statementId=statement_id).status == 404
    assert xapi(lrs, "GET", "statements", voidedStatementId=statement_id).status == 200


def test_statements_that_break_xapi_are_refused_and_shown(lrs: Lrs) -> None:
    bad = dict(statements()[0], timestamp="yesterday")
    answer = xapi(lrs, "POST", "statements", [bad])
    assert answer.status == 400 and b"timestamp" in answer.body
    assert xapi(lrs, "GET", "statements", statementId=bad["id"]).status == 404
    (item,) = lrs.feed()
    assert item["status"] == "refused" and "timestamp" in item["refusal"]


def test_requests_need_credentials_and_the_version_header(lrs: Lrs) -> None:
    assert lrs.handle(XapiRequest("GET", "statements", {}, VERSION)).status == 401
    headers = {"authorization": "Basic token"}
    assert lrs.handle(XapiRequest("GET", "statements", {}, headers)).status == 400
    assert lrs.handle(XapiRequest("GET", "about", {}, {})).status == 200
    auth = {"authorization": "Basic token", **VERSION}
    assert lrs.handle(XapiRequest("GET", "activities", {}, auth)).status == 404
    assert lrs.handle(XapiRequest("DELETE", "statements", {}, auth)).status == 405
    # Each refusal is kept, with what was wrong, for the inspector.
    assert [(p.status, p.source) for p in lrs.request_problems] == [
        (401, None), (400, "course"), (404, "course"), (405, "course")]
    assert "no credential" in lrs.request_problems[0].problem
    assert "X-Experience-API-Version" in str(lrs.request_problems[1])
    assert lrs.request_problem_count == 4


def test_documents(lrs: Lrs) -> None:
    agent = json.dumps({"mbox": "mailto:ana@example.org"})
    where = {"activityId": "https://example.org/a", "agent": agent,
             "registration": str(uuid.uuid4())}
    assert xapi(lrs, "GET", "activities/state", stateId="s", **where).status == 404
    assert xapi(lrs, "PUT", "activities/state", {"a": 1}, stateId="s", **where).status == 204
    got = xapi(lrs, "GET", "activities/state", stateId="s", **where)
    assert json.loads(got.body) == {"a": 1} and got.headers["ETag"]
    assert xapi(lrs, "POST", "activities/state", {"b": 2}, stateId="s", **where).status == 204
    assert json.loads(xapi(lrs, "GET", "activities/state", stateId="s", **where).body) == {
        "a": 1, "b": 2}
    assert json.loads(xapi(lrs, "GET", "activities/state", **where).body) == ["s"]
    assert xapi(lrs, "PUT", "activities/state", b"text", stateId="t", **where).status == 204
    assert xapi(lrs, "POST", "activities/state", {"c": 3}, stateId="t", **where).status == 400
    assert xapi(lrs, "DELETE", "activities/state", **where).status == 204
    assert json.loads(xapi(lrs, "GET", "activities/state", **where).body) == []
    profile = {"profileId": "p", "agent": agent}
    assert xapi(lrs, "PUT", "agents/profile", {"x": 1}, **profile).status == 204
    etag = xapi(lrs, "GET", "agents/profile", **profile).headers["ETag"]
    headers = {"authorization": "Basic token", "if-match": '"stale"', **VERSION}
    stale = XapiRequest("PUT", "agents/profile", profile, headers, b"{}")
    assert lrs.handle(stale).status == 412
    fresh = XapiRequest("PUT", "agents/profile", profile, dict(headers, **{"if-match": etag}),
                        b"{}")
    assert lrs.handle(fresh).status == 204
    activity = {"profileId": "p", "activityId": "https://example.org/a"}
    assert xapi(lrs, "PUT", "activities/profile", {"y": 1}, **activity).status == 204
    assert xapi(lrs, "GET", "activities/profile", agent=agent).status == 400  # no activityId


# --- the cmi5 launcher --------------------------------------------------------------------------


def test_a_cmi5_launch(tmp_path: Path) -> None:
    (package,) = build(EXAMPLE, ["cmi5"], tmp_path / "out").paths
    shutil.unpack_archive(package, tmp_path / "pkg")
    (unit,) = read_contents(tmp_path / "pkg").units
    preview_lrs = Lrs(tmp_path / "lrs.sqlite")
    launcher = Cmi5Launcher(preview_lrs, "http://127.0.0.1:9/")
    preview_lrs.inspect = lambda s, p: ([], launcher.check(s, p))
    preview_lrs.listeners.append(launcher.stored)
    learner = Learner()
    url, session = launcher.launch(unit, "/course/1/", learner, launch_mode="Browse",
                                   return_url="http://127.0.0.1:9/returned")
    assert url.startswith("/course/1/index.html?endpoint=http")
    for name in ("fetch=", "actor=", "registration=", "activityId="):
        assert name in url
    assert session.activity_id == launched_activity_id(unit.id) != unit.id
    where = document_key("activities/state", activity=session.activity_id,
                         agent=learner.actor(), registration=learner.registration)
    data = json.loads(preview_lrs.document(where, LAUNCH_DATA) or b"{}")
    assert data["launchMode"] == "Browse" and data["moveOn"] == "CompletedAndPassed"
    assert data["masteryScore"] == 0.8 and data["returnURL"].endswith("/returned")
    assert data["contextTemplate"]["extensions"][
        "https://w3id.org/xapi/cmi5/context/extensions/sessionid"] == session.id
    assert launcher.fetch(session.fetch_key) == {"auth-token": session.token}
    assert launcher.fetch(session.fetch_key)["error-code"] == "1"
    assert launcher.fetch("nope")["error-code"] == "2"
    principal = preview_lrs.principal("Basic " + session.token)
    assert principal is not None and principal.session == session.id
    agent = json.dumps(learner.actor())
    headers = {"authorization": "Basic " + session.token, **VERSION}
    query = {"stateId": LAUNCH_DATA, "activityId": session.activity_id, "agent": agent,
             "registration": learner.registration}
    assert preview_lrs.handle(XapiRequest("GET", "activities/state", query, headers)).status == 200
    refused = preview_lrs.handle(XapiRequest("PUT", "activities/state", query, headers, b"{}"))
    assert refused.status == 403
    (problem,) = preview_lrs.request_problems
    assert (problem.method, problem.status, problem.session) == ("PUT", 403, session.id)
    assert "LMS.LaunchData is the LMS's" in problem.problem
    assert session.launch_data == data
    feed = preview_lrs.feed()
    assert [f["statement"]["verb"]["id"].rsplit("/", 1)[-1] for f in feed] == ["launched"]
    assert feed[0]["source"] == "lms" and feed[0]["session"] is None

    # A relaunch abandons the session that never terminated.
    launcher.launch(unit, "/course/1/", learner)
    verbs = [f["statement"]["verb"]["id"].rsplit("/", 1)[-1] for f in preview_lrs.feed()]
    assert verbs == ["launched", "abandoned", "launched"]


def test_a_cmi5_session_reaches_its_own_documents_only(tmp_path: Path) -> None:
    """The token of a session reads and writes the state of its activity, learner and
    registration, and its learner's profile; another's is refused (403) and recorded."""
    (package,) = build(EXAMPLE, ["cmi5"], tmp_path / "out").paths
    shutil.unpack_archive(package, tmp_path / "pkg")
    (unit,) = read_contents(tmp_path / "pkg").units
    preview_lrs = Lrs(tmp_path / "lrs.sqlite")
    launcher = Cmi5Launcher(preview_lrs, "http://127.0.0.1:9/")
    learner = Learner()
    url, session = launcher.launch(unit, "http://127.0.0.1:8/cmi5/", learner)
    assert url.startswith("http://127.0.0.1:8/cmi5/index.html?endpoint=http%3A%2F%2F127.0.0.1%3A9")
    launched = preview_lrs.feed()[0]["statement"]["context"]["extensions"]
    assert launched["https://w3id.org/xapi/cmi5/context/extensions/launchurl"] == (
        "http://127.0.0.1:8/cmi5/index.html")
    headers = {"authorization": "Basic " + session.token, **VERSION}
    own = {"stateId": "https://w3id.org/xapi/ceforge/state", "activityId": session.activity_id,
           "agent": json.dumps(learner.actor()), "registration": learner.registration}

    def put(query: dict[str, str], resource: str = "activities/state") -> int:
        return preview_lrs.handle(XapiRequest("PUT", resource, query, headers, b"c1")).status

    assert put(own) == 204
    assert put(dict(own, registration=str(uuid.uuid4()))) == 403
    assert put(dict(own, activityId=unit.id)) == 403  # the AU id is not the launch's activity
    assert put(dict(own, agent=json.dumps({"mbox": "mailto:someone@example.org"}))) == 403
    profile = {"profileId": "cmi5LearnerPreferences", "agent": own["agent"]}
    assert preview_lrs.handle(XapiRequest("GET", "agents/profile", profile, headers)).status == 200
    other = dict(profile, agent=json.dumps({"mbox": "mailto:someone@example.org"}))
    assert preview_lrs.handle(XapiRequest("GET", "agents/profile", other, headers)).status == 403
    assert [p.problem.split(" than")[0] for p in preview_lrs.request_problems] == [
        "activities/state of another registration", "activities/state of another activity",
        "activities/state of another learner", "agents/profile of another learner"]
    assert {p.session for p in preview_lrs.request_problems} == {session.id}

    # Statements carry the session whose token brought them.
    walked = statements("partial", Cmi5Options())[:1]
    preview_lrs.store(walked, Principal("au", session.id))
    assert preview_lrs.feed()[-1]["session"] == session.id


def test_cmi5_statements_are_flagged_as_they_arrive(tmp_path: Path) -> None:
    (package,) = build(EXAMPLE, ["cmi5"], tmp_path / "out").paths
    shutil.unpack_archive(package, tmp_path / "pkg")
    (unit,) = read_contents(tmp_path / "pkg").units
    preview_lrs = Lrs(tmp_path / "lrs.sqlite")
    launcher = Cmi5Launcher(preview_lrs, "http://127.0.0.1:9/")
    preview_lrs.inspect = lambda s, p: ([], launcher.check(s, p))
    preview_lrs.listeners.append(launcher.stored)
    learner = Learner()
    _url, session = launcher.launch(unit, "/course/1/", learner, launch_mode="Browse")
    walked = statements("partial", Cmi5Options())
    first_session, au = session_of(walked[0]), walked[0]["object"]["id"]
    sent = []
    for statement in walked:  # the walker's first session, as if this launch had sent it
        if session_of(statement) != first_session:
            break
        statement["actor"] = learner.actor()
        statement["context"]["registration"] = learner.registration
        statement["context"]["extensions"][
            "https://w3id.org/xapi/cmi5/context/extensions/sessionid"] = session.id
        if statement["object"]["id"] == au:
            statement["object"]["id"] = session.activity_id
        sent.append(statement)
    preview_lrs.store(sent, Principal("au", session.id))
    flagged = {f["statement"]["verb"]["id"].rsplit("/", 1)[-1]: f["problems"]
               for f in preview_lrs.feed() if f["source"] == "au"}
    assert flagged["initialized"] == []
    assert any("Browse launch" in p for p in flagged["experienced"])


# --- the server over HTTP -----------------------------------------------------------------------


def fetch(url: str, data: Any = None, method: str | None = None,
          headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    body = None if data is None else json.dumps(data).encode()
    request = urllib.request.Request(url, data=body, method=method,
                                     headers={"Content-Type": "application/json",
                                              **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_the_server(course: Path) -> None:
    with Preview(course, target="tincan", interval=0.05) as preview:
        status, body = fetch(preview.url + "api/status")
        state = json.loads(body)
        assert status == 200 and state["build"]["ok"] and state["base"] == "/course/1/"
        assert state["target"] == "tincan"
        assert fetch(preview.url)[0] == 200
        assert b"ceforge preview" in fetch(preview.url + "inspector/inspector.html")[1]
        assert fetch(preview.url + "inspector/lms/engine.js")[0] == 200
        assert fetch(preview.url + "course/1/index.html")[0] == 200
        assert fetch(preview.url + "course/1/tincan.xml")[0] == 200
        assert fetch(preview.url + "course/1/../../../etc/passwd")[0] == 404
        assert fetch(preview.url + "course/1/%2e%2e/%2e%2e/pyproject.toml")[0] == 404
        assert fetch(preview.url + "course/7/index.html")[0] == 404
        assert fetch(preview.url + "inspector/../server.py")[0] == 404

        status, body = fetch(preview.url + "api/launch", {"launchMode": "Normal"})
        url = json.loads(body)["url"]
        assert status == 200 and "endpoint=" in url and "auth=Basic" in url

        # A long poll returns as soon as something changes.
        version = state["version"]
        woke: list[float] = []

        def wait() -> None:
            started = time.monotonic()
            fetch(preview.url + f"api/wait?version={version}&timeout=10")
            woke.append(time.monotonic() - started)

        waiter = threading.Thread(target=wait)
        waiter.start()
        time.sleep(0.2)
        fetch(preview.url + "api/controls", {"failCommits": True, "learnerName": "Ana"})
        waiter.join(timeout=10)
        assert woke and woke[0] < 5
        assert preview.controls.fail_commits and preview.learner.name == "Ana"

        auth = dict(parse_auth(url), **{"X-Experience-API-Version": "1.0.3"})
        assert fetch(preview.url + "xapi/statements", statements()[:1], headers=auth)[0] == 503
        fetch(preview.url + "api/controls", {"failCommits": False, "offline": True})
        with pytest.raises((urllib.error.URLError, ConnectionError, OSError)):
            urllib.request.urlopen(urllib.request.Request(
                preview.url + "xapi/statements", data=b"[]", headers=auth), timeout=10)
        fetch(preview.url + "api/controls", {"offline": False})
        assert fetch(preview.url + "xapi/statements", statements()[:2], headers=auth)[0] == 200
        feed = json.loads(fetch(preview.url + "api/statements?after=0")[1])
        assert len(feed) == 2 and all(item["status"] == "stored" for item in feed)

        # A course served from another origin may read the LRS's answers (CORS).
        origin = {"Origin": "http://127.0.0.1:8"}
        with urllib.request.urlopen(urllib.request.Request(
                preview.url + "xapi/about", headers=origin), timeout=10) as answer:
            assert answer.headers["Access-Control-Allow-Origin"] == "http://127.0.0.1:8"
        # A request the LRS refuses for breaking the protocol is listed with what was wrong.
        assert fetch(preview.url + "xapi/statements", [], headers=dict(origin, **{
            "X-Experience-API-Version": "1.0.3"}))[0] == 401
        problems = json.loads(fetch(preview.url + "api/request-problems?after=0")[1])
        assert [(p["seq"], p["status"]) for p in problems] == [(1, 401)]
        assert "no credential" in problems[0]["text"]
        assert json.loads(fetch(preview.url + "api/request-problems?after=1")[1]) == []
        assert json.loads(fetch(preview.url + "api/status")[1])["requestProblems"] == 1

        snapshot = {"unit": "u", "snapshot": {"record": {"entry": "resume"}},
                    "log": [{"seq": 1, "call": "LMSInitialize", "args": [""]}]}
        assert fetch(preview.url + "api/snapshots", snapshot)[0] == 204
        kept = json.loads(fetch(preview.url + "api/snapshots")[1])
        assert kept["latest"]["u"]["record"]["entry"] == "resume" and len(kept["calls"]) == 1
        registration = preview.learner.registration
        fetch(preview.url + "api/reset", {})
        assert preview.learner.registration != registration
        assert preview.records.snapshots == {}

        # An edit rebuilds on its own.
        module = course / "modules" / "01-welcome.md"
        module.write_text(module.read_text().replace("## How this course works", "## How it works"))
        deadline = time.monotonic() + 10
        while preview.state.generation < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert preview.state.generation == 2
        assert b"How it works" in fetch(preview.url + "course/2/index.html")[1]


def parse_auth(url: str) -> dict[str, str]:
    from urllib.parse import parse_qs, urlsplit

    auth = parse_qs(urlsplit(url).query)["auth"][0]
    assert base64.b64decode(auth.split()[1]).startswith(b"preview:")
    return {"Authorization": auth}


# --- the command line ---------------------------------------------------------------------------


def test_serve_prints_the_url_and_stops(course: Path) -> None:
    lines: list[str] = []
    stop = threading.Event()
    thread = threading.Thread(target=serve, args=(course,), kwargs={
        "port": 0, "open_browser": False, "echo": lines.append, "stop": stop})
    thread.start()
    deadline = time.monotonic() + 20
    while not lines and time.monotonic() < deadline:
        time.sleep(0.05)
    url = lines[0].rsplit(" at ", 1)[1]
    assert url.startswith("http://127.0.0.1:")
    assert fetch(url + "api/status")[0] == 200
    stop.set()
    thread.join(timeout=20)
    assert not thread.is_alive()


def test_the_command_line_refuses_what_it_cannot_do(course: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    assert "--target" in runner.invoke(main, ["preview", "--help"]).output
    missing = runner.invoke(main, ["preview", str(tmp_path / "nope")])
    assert missing.exit_code == 2 and "no such course folder" in missing.output
    answer = runner.invoke(main, ["preview", str(course), "--lrs", "https://lrs.example.org/x/",
                                  "--no-open"], env={"CEFORGE_LRS_USERNAME": "",
                                                      "CEFORGE_LRS_PASSWORD": ""})
    assert answer.exit_code == 1 and "CEFORGE_LRS_USERNAME" in answer.output
    secret = runner.invoke(main, ["preview", str(course), "--lrs",
                                  "https://user:pw@lrs.example.org/x/", "--no-open"],
                           env={"CEFORGE_LRS_USERNAME": "u", "CEFORGE_LRS_PASSWORD": "p"})
    assert secret.exit_code == 1 and "pw" not in secret.output
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        busy = runner.invoke(main, ["preview", str(course), "--port", str(port), "--no-open"])
    assert busy.exit_code == 1 and f"127.0.0.1:{port}" in busy.output
    assert "--port 0" in busy.output


def test_preview_takes_the_build_options_of_build() -> None:
    runner = CliRunner()
    helps = {name: runner.invoke(main, [name, "--help"], terminal_width=2000).output
             for name in ("build", "preview")}
    for option in ("--scorm-edition", "--sco", "--au", "--report"):
        (build_help,) = [line for line in helps["build"].splitlines() if f"  {option} " in line]
        assert build_help in helps["preview"].splitlines()


@pytest.mark.parametrize(("option", "value"), [
    ("--sco", "modules"), ("--au", "sco"), ("--report", "passed"), ("--scorm-edition", "2"),
])
def test_a_bad_build_option_of_preview_is_a_usage_error(
    course: Path, option: str, value: str
) -> None:
    answer = CliRunner().invoke(main, ["preview", str(course), option, value, "--no-open"])
    assert answer.exit_code == 2
    assert f"Invalid value for '{option}': '{value}' is not one of" in answer.output


def test_preview_builds_the_package_its_options_say(course: Path) -> None:
    """``ceforge preview`` itself: a SCO per module, each reporting as --report says."""
    with command_line(course, "scorm12", "--sco", "module", "--report", "completed-failed") as (
        served
    ):
        status = served.api("status")
        units = status["build"]["plan"]["units"]
        assert [u["href"] for u in units] == ["module-welcome.html", "module-assessment.html"]
        page = fetch(served.url.rstrip("/") + status["base"] + units[1]["href"])[1].decode()
    found = re.search(r'<script type="application/json" id="ceforge-course">(.*?)</script>',
                      page, re.S)
    assert found is not None
    data = json.loads(found.group(1))
    assert data["lms"]["report"] == "completed-failed" and data["lms"]["sco"] == "assessment"


def test_the_wheel_ships_the_inspector_and_the_simulator(tmp_path: Path) -> None:
    from hatchling.builders.wheel import WheelBuilder

    (wheel,) = WheelBuilder(str(HERE.parent)).build(directory=str(tmp_path),
                                                    versions=["standard"])
    names = set(zipfile.ZipFile(wheel).namelist())
    static = {f"ceforge/preview/static/{p.relative_to(STATIC).as_posix()}"
              for p in STATIC.rglob("*") if p.is_file()}
    assert static and static <= names
