"""``ceforge records`` against the real Ralph LRS of the test suite (``ralph_lrs``), and
against a broken network (a small HTTP server that fails on purpose).

A cohort of the example course is sent with ``ceforge statements --send``: per delivery (Tin Can,
and cmi5 with an LMS account), a learner who passes, one who fails every attempt, and one who
leaves halfway. Each learner has a registration of this test module's own, since the LRS is
shared by the session's tests; the records of other registrations are left aside.
"""

from __future__ import annotations

import csv
import io
import json
import threading
import unicodedata
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import lxml.html
import pytest
from click.testing import CliRunner, Result

from ceforge.certificate import ALPHABET, check_character, normalize_code, printed_code
from ceforge.cli import main
from ceforge.records import COLUMNS, collect
from ceforge.xapi import vocabulary as v
from ceforge.xapi.delivery import read_statements
from oracles import chromium_path, missing
from ralph_lrs import RalphLRS

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "therapy-foundations"
COURSE_ID = "https://ceforge.example.org/courses/therapy-foundations"
ACCOUNT = '{{"account": {{"homePage": "https://lms.example.org", "name": "{}"}}, "name": "{}"}}'

# (delivery, path): the learner's registration, made unique to this test run
LEARNERS = {
    ("tincan", "pass"): ("mailto:ana.records@example.org", "Ana Records"),
    ("tincan", "fail"): ("mailto:ben.records@example.org", "Ben Records"),
    ("tincan", "partial"): ("mailto:cy.records@example.org", "Cy Records"),
    ("cmi5", "pass"): ("dee-records", "Dee Records"),
    ("cmi5", "fail"): ("eli-records", "Eli Records"),
    ("cmi5", "partial"): ("fay-records", "Fay Records"),
}


def env_of(lrs: RalphLRS, password: str | None = None) -> dict[str, str]:
    return {"CEFORGE_LRS_USERNAME": lrs.username,
            "CEFORGE_LRS_PASSWORD": lrs.password if password is None else password}


def invoke(args: list[str], env: dict[str, str]) -> Result:
    result = CliRunner().invoke(main, args, env=env, catch_exceptions=False)
    assert "Traceback" not in result.output + result.stderr
    return result


@pytest.fixture(scope="module")
def cohort(ralph_lrs: RalphLRS) -> dict[tuple[str, str], str]:
    """Send the cohort's statements; the registration of each (delivery, path)."""
    registrations = {}
    # each learner its own seed: the seed makes the statement ids, which an LRS stores once
    for seed, ((delivery, path), (who, name)) in enumerate(LEARNERS.items(), start=101):
        registration = str(uuid.uuid4())
        if delivery == "cmi5":
            learner = ACCOUNT.format(who, name)
            extra = ["--cmi5"]
        else:
            learner = json.dumps({"mbox": who, "name": name})
            extra = []
        result = invoke(["statements", str(EXAMPLE), "--learner", learner, "--path", path,
                         "--registration", registration, "--seed", str(seed), *extra,
                         "--send", ralph_lrs.endpoint, "-q"], env_of(ralph_lrs))
        assert result.exit_code == 0, result.output + result.stderr
        registrations[(delivery, path)] = registration
    return registrations


def records_of(text: str, registrations: dict[tuple[str, str], str]) -> dict[Any, dict[str, str]]:
    rows = list(csv.DictReader(io.StringIO(text)))
    by_registration = {row["registration"]: row for row in rows}
    return {key: by_registration[r] for key, r in registrations.items() if r in by_registration}


def completed_statement(lrs: RalphLRS, registration: str) -> Any:
    found = [s for s in lrs.registration(registration) if s.verb.id.endswith("/completed")]
    assert len(found) == 1
    return found[0]


def test_the_records_of_a_cohort(ralph_lrs: RalphLRS, cohort: dict[Any, str],
                                 tmp_path: Path) -> None:
    out = tmp_path / "records.csv"
    result = invoke(["records", "--lrs", ralph_lrs.endpoint, "--course", str(EXAMPLE),
                     "-o", str(out)], env_of(ralph_lrs))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [f"wrote {out}"]
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0] == ",".join(COLUMNS)
    rows = records_of(text, cohort)
    assert set(rows) == set(cohort)
    for delivery in ("tincan", "cmi5"):
        passed, failed, partial = (rows[(delivery, p)] for p in ("pass", "fail", "partial"))
        statement = completed_statement(ralph_lrs, cohort[(delivery, "pass")])
        ext = statement.result.extensions
        assert passed["status"] == "completed"
        assert passed["learner_name"] == LEARNERS[(delivery, "pass")][1]
        assert passed["course_id"] == COURSE_ID
        assert passed["course_version"] == "1.0.0"
        assert passed["completed"].startswith(statement.timestamp.strftime("%Y-%m-%dT%H:%M:%S"))
        assert (passed["hours"], passed["ethics_hours"]) == ("7", "1")
        assert passed["passed"] == "yes" and float(passed["score"]) >= 0.8
        assert passed["evaluation_submitted"] == "yes"
        assert passed["attestation_affirmed"] == "yes"
        assert passed["certificate_code"] == printed_code(ext[v.CERTIFICATE_CODE])
        assert passed["license_number"] == ext[v.LICENSE_NUMBER]
        assert passed["license_state"] == ext[v.LICENSE_STATE]
        assert failed["status"] == "failed" and failed["passed"] == "no"
        assert int(failed["attempts"]) == 3 and float(failed["score"]) < 0.8
        assert failed["completed"] == failed["certificate_code"] == ""
        assert partial["status"] == "in progress" and partial["passed"] == ""
        assert partial["attestation_affirmed"] == partial["completed"] == ""
    assert rows[("cmi5", "pass")]["learner"] == "https://lms.example.org|dee-records"
    assert rows[("tincan", "pass")]["learner"] == "mailto:ana.records@example.org"

    # idempotent: the same LRS gives the same file
    again = invoke(["records", "--lrs", ralph_lrs.endpoint, "--course", str(EXAMPLE),
                    "-o", str(out)], env_of(ralph_lrs))
    assert again.exit_code == 0 and out.read_text(encoding="utf-8") == text


def test_json_since_and_a_course_id(ralph_lrs: RalphLRS, cohort: dict[Any, str],
                                    tmp_path: Path) -> None:
    out = tmp_path / "records.json"
    result = invoke(["records", "--lrs", ralph_lrs.endpoint, "--course", COURSE_ID,
                     "--format", "json", "-o", str(out)], env_of(ralph_lrs))
    assert result.exit_code == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))["records"]
    mine = {r["registration"]: r for r in data}
    passed = mine[cohort[("tincan", "pass")]]
    assert passed["status"] == "completed" and passed["hours"] == 7
    # without the course folder, the title is the statements' own and the attestation unknown
    assert passed["course_title"].startswith("Foundations of Therapy Practice")
    assert passed["attestation_affirmed"] is None
    assert passed["evaluation_submitted"] is True
    # --since after every statement: none left
    future = invoke(["records", "--lrs", ralph_lrs.endpoint, "--since", "2999-01-01",
                     "-o", str(tmp_path / "none.csv")], env_of(ralph_lrs))
    assert future.exit_code == 0, future.stderr
    assert (tmp_path / "none.csv").read_text(encoding="utf-8") == ",".join(COLUMNS) + "\n"


def test_certificates_of_the_completions(ralph_lrs: RalphLRS, cohort: dict[Any, str],
                                         tmp_path: Path) -> None:
    folder = tmp_path / "certificates"
    result = invoke(["records", "--lrs", ralph_lrs.endpoint, "--course", str(EXAMPLE),
                     "-o", str(tmp_path / "r.csv"), "--certificates", str(folder)],
                    env_of(ralph_lrs))
    assert result.exit_code == 0, result.stderr
    rows = records_of((tmp_path / "r.csv").read_text(encoding="utf-8"), cohort)
    for delivery in ("tincan", "cmi5"):
        row = rows[(delivery, "pass")]
        [page] = folder.glob(f"*-{normalize_code(row['certificate_code'])}.html")
        tree = lxml.html.parse(str(page)).getroot()

        def field(testid: str, tree: Any = tree) -> str:
            return " ".join(tree.xpath(f"//*[@data-testid='{testid}']")[0].text_content().split())

        assert field("certificate-name") == row["learner_name"]
        assert field("certificate-code") == row["certificate_code"]
        assert field("certificate-license-number") == row["license_number"]
        assert field("certificate-fact-hours") == "7"
        assert [s for s in tree.xpath("//@src") if not s.startswith("data:")] == []
    # one certificate per completion: the failed and partial learners have none
    completed = [r for r in rows.values() if r["status"] == "completed"]
    names = {p.name for p in folder.glob("*.html")}
    assert all(not (r["certificate_code"] and normalize_code(r["certificate_code"]) not in
                    "".join(names)) for r in completed)
    assert len([n for n in names if "records" in n]) == len(completed)


def test_verify_a_genuine_a_forged_and_a_mistyped_code(ralph_lrs: RalphLRS,
                                                       cohort: dict[Any, str]) -> None:
    """``records verify`` is ``ceforge certificate`` where the records are: the same lookup."""
    for delivery, learner in (("tincan", "Ana Records <mailto:ana.records@example.org>"),
                              ("cmi5", "Dee Records <account dee-records at "
                                       "https://lms.example.org>")):
        statement = completed_statement(ralph_lrs, cohort[(delivery, "pass")])
        code = statement.result.extensions[v.CERTIFICATE_CODE]
        genuine = invoke(["records", "verify", printed_code(code).lower(), "--lrs",
                          ralph_lrs.endpoint], env_of(ralph_lrs))
        assert genuine.exit_code == 0, genuine.output
        shown = dict(line.split(": ", 1) for line in genuine.stdout.splitlines())
        assert shown["certificate"] == f"{printed_code(code)}: confirmed, a completion carries it"
        assert shown["learner"] == learner
        assert shown["registration"] == cohort[(delivery, "pass")]
        assert shown["statement"] == str(statement.id)
        assert shown["license number"] == statement.result.extensions[v.LICENSE_NUMBER]
    # a well-formed code that no completion carries: what a learner could make up
    body = "".join(reversed(code[:-1]))
    body = body if body != code[:-1] else ALPHABET[:11]
    forged = body + check_character(body)
    refused = invoke(["records", "verify", forged, "--lrs", ralph_lrs.endpoint],
                     env_of(ralph_lrs))
    assert refused.exit_code == 1 and not refused.stdout
    assert "not confirmed" in refused.stderr and printed_code(forged) in refused.stderr
    # one character changed: the check character catches it before any lookup
    typo = code[:3] + ("A" if code[3] != "A" else "B") + code[4:]
    mistyped = invoke(["records", "verify", typo, "--lrs", "http://127.0.0.1:9/xapi/"], {})
    assert mistyped.exit_code == 2 and "typing mistake" in mistyped.output


def test_an_lrs_that_refuses_the_credentials(ralph_lrs: RalphLRS, tmp_path: Path) -> None:
    out = tmp_path / "records.csv"
    result = invoke(["records", "--lrs", ralph_lrs.endpoint, "-o", str(out)],
                    env_of(ralph_lrs, password="wrong"))
    assert result.exit_code == 1
    assert "refused the credentials (HTTP 401)" in result.stderr
    assert "wrong" not in result.stderr
    assert not out.exists()
    missing = invoke(["records", "--lrs", ralph_lrs.endpoint, "-o", str(out)],
                     {"CEFORGE_LRS_USERNAME": "", "CEFORGE_LRS_PASSWORD": ""})
    assert missing.exit_code == 1 and "CEFORGE_LRS_USERNAME" in missing.stderr


def test_invalid_and_foreign_statements_are_skipped_and_counted(
    ralph_lrs: RalphLRS, cohort: dict[Any, str]
) -> None:
    real = list(read_statements(ralph_lrs.endpoint, ralph_lrs.username, ralph_lrs.password))
    mine = [s for s in real if (s.get("context") or {}).get("registration") in cohort.values()]
    foreign = json.loads(json.dumps(mine[0]))
    foreign["object"] = {"id": "https://example.org/another-course", "objectType": "Activity",
                         "definition": {"type": v.COURSE_TYPE}}
    foreign["context"]["contextActivities"] = {}
    invalid: list[Any] = [{"id": "x"}, "not a statement", {**mine[0], "timestamp": "yesterday"},
                          {**mine[0], "actor": {"name": "no identifier"}}]
    records = collect([*mine, foreign, *invalid], course_id=COURSE_ID)
    assert (records.read, records.invalid, records.foreign) == (len(mine) + 5, 4, 1)
    assert {r.registration for r in records.rows} == set(cohort.values())


# --- a broken network ----------------------------------------------------------------------


class Flaky(BaseHTTPRequestHandler):
    """Serves ``pages`` (StatementResult bodies, or (status, body) failures) one per GET."""

    pages: ClassVar[list[Any]] = []
    served: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.served.append(self.path)
        answer = self.pages.pop(0) if self.pages else (500, b"gone")
        status, body = answer if isinstance(answer, tuple) else (200, json.dumps(answer).encode())
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def flaky() -> Iterator[tuple[str, type[Flaky]]]:
    handler = type("Handler", (Flaky,), {"pages": [], "served": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/xapi/", handler
    finally:
        server.shutdown()
        server.server_close()


CREDENTIALS = {"CEFORGE_LRS_USERNAME": "provider", "CEFORGE_LRS_PASSWORD": "s3cret-pass"}


def test_an_lrs_failing_mid_paging_writes_nothing(
    ralph_lrs: RalphLRS, cohort: dict[Any, str], flaky: tuple[str, type[Flaky]],
    tmp_path: Path
) -> None:
    endpoint, handler = flaky
    real = list(read_statements(ralph_lrs.endpoint, ralph_lrs.username, ralph_lrs.password))
    handler.pages = [{"statements": real[:10], "more": "/xapi/statements?page=2"},
                     (503, b"busy"), {"statements": real[10:20], "more": "/xapi/statements?p=3"}]
    # the 503 is tried again and the reading goes on; then page 3 fails every time
    out = tmp_path / "records.csv"
    result = invoke(["records", "--lrs", endpoint, "-o", str(out)], CREDENTIALS)
    assert result.exit_code == 1
    assert "did not answer after 4 tries (HTTP 500)" in result.stderr
    assert "nothing written" in result.stderr
    assert handler.served[:3] == [handler.served[0], "/xapi/statements?page=2",
                                  "/xapi/statements?page=2"]
    assert len(handler.served) == 3 + 4
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_an_lrs_answering_garbage(flaky: tuple[str, type[Flaky]], tmp_path: Path) -> None:
    endpoint, handler = flaky
    out = tmp_path / "records.csv"
    for page, message in (
        ((200, b"<html>maintenance</html>"), "answered something that is not JSON"),
        ({"items": []}, "no 'statements' array"),
        ({"statements": [], "more": "http://elsewhere.example.org/s"}, "to another server"),
        ((400, b'{"error": "bad query", "pw": "s3cret-pass"}'), "refused to list its statements"
                                                                  " (HTTP 400)"),
    ):
        handler.pages = [page]
        result = invoke(["records", "--lrs", endpoint, "-o", str(out)], CREDENTIALS)
        assert result.exit_code == 1, page
        assert message in result.stderr
        assert "s3cret-pass" not in result.stderr
        assert not out.exists()


@pytest.mark.browser
def test_each_certificate_prints_on_one_page(ralph_lrs: RalphLRS, cohort: dict[Any, str],
                                             tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        import playwright.sync_api  # noqa: F401
        import pypdf
    except ImportError as exc:
        missing(f"the pdf extra ({exc.name})", "pip install 'ceforge[pdf]' pypdf")
    monkeypatch.setenv("CEFORGE_CHROMIUM", str(chromium_path()))
    folder = tmp_path / "certificates"
    result = invoke(["records", "--lrs", ralph_lrs.endpoint, "--course", str(EXAMPLE),
                     "-o", str(tmp_path / "r.csv"), "--certificates", str(folder), "--pdf"],
                    env_of(ralph_lrs))
    assert result.exit_code == 0, result.stderr
    rows = records_of((tmp_path / "r.csv").read_text(encoding="utf-8"), cohort)
    for delivery in ("tincan", "cmi5"):
        code = rows[(delivery, "pass")]["certificate_code"]
        [pdf] = folder.glob(f"*-{normalize_code(code)}.pdf")
        reader = pypdf.PdfReader(pdf)
        assert len(reader.pages) == 1  # three long approval statements, one page
        text = " ".join(unicodedata.normalize("NFKC", reader.pages[0].extract_text()).split())
        assert code in text and LEARNERS[(delivery, "pass")][1] in text


def test_a_broken_course_folder_or_certificates_without_one_are_refused(tmp_path: Path) -> None:
    out = tmp_path / "records.csv"
    broken = ROOT / "tests" / "fixtures" / "broken" / "ce-bad-values"
    result = invoke(["records", "--lrs", "http://127.0.0.1:9/xapi/", "--course", str(broken),
                     "-o", str(out)], CREDENTIALS)
    assert result.exit_code == 1
    assert "course.yml:7: error: ce.level: 'beginer'" in result.stderr
    assert "nothing written" in result.stderr and not out.exists()
    usage = invoke(["records", "--lrs", "http://127.0.0.1:9/xapi/", "--course", COURSE_ID,
                    "-o", str(out), "--certificates", str(tmp_path / "c")], CREDENTIALS)
    assert usage.exit_code == 2 and "--certificates needs --course FOLDER" in usage.output
    assert list(tmp_path.iterdir()) == []
