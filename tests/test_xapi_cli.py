"""``ceforge statements``: JSON lines on stdout, and ``--send`` to a real LRS (Ralph)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from ceforge.cli import main
from ralph_lrs import RalphLRS

FIXTURE = Path(__file__).parent / "fixtures" / "xapi" / "course"
MAILTO = "mailto:ana@example.org"
ACCOUNT = '{"account": {"homePage": "https://lms.example.org", "name": "ana"}}'


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, ["statements", str(FIXTURE), *args], env=env)


def lines(result: Result) -> list[dict[str, Any]]:
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_statements_are_json_lines_and_reproducible_with_a_seed() -> None:
    first = run("--learner", MAILTO, "--path", "pass", "--seed", "3")
    again = run("--learner", MAILTO, "--path", "pass", "--seed", "3")
    assert lines(first) == lines(again)
    verbs = [s["verb"]["display"]["en-US"] for s in lines(first)]
    assert verbs[0] == "initialized" and verbs[-1] == "terminated" and "completed" in verbs


def test_registration_start_and_cmi5_options() -> None:
    registration = "0b6e2f4a-5c3d-4e1f-8a9b-7c6d5e4f3a2b"
    found = lines(run("--learner", ACCOUNT, "--path", "partial", "--registration", registration,
                      "--start", "2026-03-02T08:30:00+01:00", "--cmi5"))
    assert {s["context"]["registration"] for s in found} == {registration}
    assert found[0]["timestamp"] == "2026-03-02T07:30:00.000Z"
    assert found[0]["object"]["id"].startswith("urn:uuid:")
    browse = lines(run("--learner", ACCOUNT, "--path", "pass", "--seed", "1", "--cmi5",
                       "--launch-mode", "Browse"))
    assert {s["verb"]["display"]["en-US"] for s in browse} == {"initialized", "terminated"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--learner", "ana", "--path", "pass"], "neither a mailto"),
        (["--learner", MAILTO, "--path", "pass", "--registration", "x"], "not a UUID"),
        (["--learner", MAILTO, "--path", "pass", "--start", "2026-01-01T09:00"], "time zone"),
        (["--learner", MAILTO, "--path", "wander"], "wander"),
    ],
)
def test_bad_options_are_usage_errors(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2 and message in result.output


def test_cmi5_with_a_mailto_learner_is_refused() -> None:
    result = run("--learner", MAILTO, "--path", "pass", "--cmi5")
    assert result.exit_code == 1 and "account" in result.stderr and not result.stdout


def test_a_broken_course_prints_its_diagnostics(tmp_path: Path) -> None:
    (tmp_path / "course.yml").write_text("title: No id\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["statements", str(tmp_path), "--learner", MAILTO, "--path", "pass"]
    )
    assert result.exit_code == 1 and "config.missing-key" in result.stderr


def test_send_needs_credentials_in_the_environment() -> None:
    result = run("--learner", MAILTO, "--path", "pass", "--send", "http://127.0.0.1:9/xapi/",
                 env={"CEFORGE_LRS_USERNAME": "", "CEFORGE_LRS_PASSWORD": ""})
    assert result.exit_code == 1
    assert "CEFORGE_LRS_USERNAME and CEFORGE_LRS_PASSWORD" in result.stderr


def test_send_refuses_credentials_in_the_endpoint() -> None:
    result = run("--learner", MAILTO, "--path", "pass", "--send",
                 "http://ana:hunter2@127.0.0.1:9/xapi/",
                 env={"CEFORGE_LRS_USERNAME": "ana", "CEFORGE_LRS_PASSWORD": "pw"})
    assert result.exit_code == 1 and "before '@'" in result.stderr
    assert "hunter2" not in result.output


# --- against a real LRS -----------------------------------------------------------------------


def credentials(lrs: RalphLRS, password: str | None = None) -> dict[str, str]:
    return {"CEFORGE_LRS_USERNAME": lrs.username,
            "CEFORGE_LRS_PASSWORD": lrs.password if password is None else password}


@pytest.mark.parametrize(
    ("path", "learner", "cmi5"),
    [("pass", MAILTO, False), ("fail", MAILTO, False), ("partial", MAILTO, False),
     ("pass", ACCOUNT, True), ("fail", ACCOUNT, True)],
)
def test_send_delivers_exactly_the_printed_statements(
    ralph_lrs: RalphLRS, path: str, learner: str, cmi5: bool
) -> None:
    args = ["--learner", learner, "--path", path, "--seed", "11", *(["--cmi5"] if cmi5 else [])]
    printed = lines(run(*args))
    sent = run(*args, "--send", ralph_lrs.endpoint, env=credentials(ralph_lrs))
    assert sent.exit_code == 0, sent.output
    assert sent.stdout.split() == [s["id"] for s in printed]
    assert f"acknowledged {len(printed)} statements" in sent.stderr
    stored = ralph_lrs.registration(printed[0]["context"]["registration"])
    assert [str(s.id) for s in stored] == [s["id"] for s in printed]
    assert [s.verb.id for s in stored] == [s["verb"]["id"] for s in printed]
    assert [s.object.id for s in stored] == [s["object"]["id"] for s in printed]
    assert [json.loads(s.to_json())["context"]["contextActivities"] for s in stored] == [
        s["context"]["contextActivities"] for s in printed
    ]


def test_sending_again_stores_nothing_twice(ralph_lrs: RalphLRS) -> None:
    args = ["--learner", MAILTO, "--path", "partial", "--seed", "12"]
    printed = lines(run(*args))
    for _ in range(2):
        sent = run(*args, "--send", ralph_lrs.endpoint, env=credentials(ralph_lrs))
        assert sent.exit_code == 0, sent.output
    stored = ralph_lrs.registration(printed[0]["context"]["registration"])
    assert [str(s.id) for s in stored] == [s["id"] for s in printed]
    assert "already there" in sent.stderr


def test_a_wrong_password_fails_clearly_and_keeps_it_secret(ralph_lrs: RalphLRS) -> None:
    secret = "wrong-" + ralph_lrs.password[::-1]
    result = run("--learner", MAILTO, "--path", "pass", "--seed", "13",
                 "--send", ralph_lrs.endpoint, env=credentials(ralph_lrs, secret))
    assert result.exit_code == 1
    assert "refused the credentials (HTTP 401)" in result.stderr
    assert secret not in result.output and ralph_lrs.password not in result.output
    assert not result.stdout
