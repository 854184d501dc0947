"""``ceforge certificate CODE``: a provider confirms a certificate against its records.

The records are the statements a learner's completion sent: here those of ``ceforge statements``
(the Python walk draws a code as the runtime does), read from an export in each of the forms an
LRS gives, and from a real LRS (Ralph).
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from ceforge.certificate import ALPHABET, check_character, normalize_code, printed_code
from ceforge.cli import main
from ceforge.xapi import delivery
from ceforge.xapi import vocabulary as v
from ralph_lrs import RalphLRS

FIXTURE = Path(__file__).parent / "fixtures" / "xapi" / "course"
MAILTO = "mailto:ana@example.org"


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env)


def walked(seed: int, path: str = "pass") -> list[dict[str, Any]]:
    result = invoke("statements", str(FIXTURE), "--learner", MAILTO, "--path", path,
                    "--seed", str(seed))
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def issued_code(statements: list[dict[str, Any]]) -> str:
    (completed,) = [s for s in statements if s["verb"]["id"].endswith("/completed")]
    code: str = completed["result"]["extensions"][v.CERTIFICATE_CODE]
    return code


def forged() -> str:
    """A code a learner could make up: well formed, its check character right."""
    rng = random.Random(99)
    body = "".join(rng.choice(ALPHABET) for _ in range(11))
    return printed_code(body + check_character(body))


@pytest.mark.parametrize("form", ["lines", "array", "result"])
def test_a_genuine_code_is_confirmed_from_an_export(tmp_path: Path, form: str) -> None:
    records = walked(5) + walked(6)  # two learners' completions
    code = issued_code(records[len(walked(5)):])  # the second's
    export = tmp_path / "export.json"
    text = {"lines": "\n".join(json.dumps(s) for s in records) + "\n",
            "array": json.dumps(records, indent=2),
            "result": json.dumps({"statements": records, "more": ""})}[form]
    export.write_text(text, encoding="utf-8")
    result = invoke("certificate", printed_code(code).lower(), "--statements", str(export))
    assert result.exit_code == 0, result.output
    (completed,) = [s for s in walked(6) if s["verb"]["id"].endswith("/completed")]
    shown = dict(line.split(": ", 1) for line in result.stdout.splitlines())
    assert shown["certificate"].startswith(printed_code(code) + ": confirmed")
    assert MAILTO in shown["learner"]
    assert completed["object"]["id"] in shown["course"]
    assert shown["completed"] == completed["timestamp"]
    assert shown["statement"] == completed["id"]
    assert shown["registration"] == completed["context"]["registration"]

    as_json = invoke("certificate", code, "--statements", str(export), "--format", "json")
    assert json.loads(as_json.stdout)["statement_id"] == completed["id"]


def test_a_forged_or_moved_code_is_not_confirmed(tmp_path: Path) -> None:
    records = walked(5)
    export = tmp_path / "export.jsonl"
    export.write_text("\n".join(json.dumps(s) for s in records), encoding="utf-8")
    made_up = forged()
    assert normalize_code(made_up) is not None
    result = invoke("certificate", made_up, "--statements", str(export))
    assert result.exit_code == 1 and not result.stdout
    assert "not confirmed" in result.stderr and made_up in result.stderr

    # The code copied onto a statement that is not a completion proves nothing.
    code = issued_code(records)
    moved = [s for s in records if not s["verb"]["id"].endswith("/completed")]
    moved[-1] = dict(moved[-1], result={"extensions": {v.CERTIFICATE_CODE: code}})
    export.write_text(json.dumps(moved), encoding="utf-8")
    assert invoke("certificate", code, "--statements", str(export)).exit_code == 1


def test_a_mistyped_code_is_told_apart_from_an_unknown_one(tmp_path: Path) -> None:
    code = issued_code(walked(5))
    typo = ("B" if code[3] != "B" else "C").join((code[:3], code[4:]))
    export = tmp_path / "export.json"
    export.write_text(json.dumps(walked(5)), encoding="utf-8")
    for wrong in (typo, code[:-1], code.replace(code[0], "0")):
        result = invoke("certificate", wrong, "--statements", str(export))
        assert result.exit_code == 2 and "typing mistake" in result.output, wrong


def test_records_that_cannot_be_read_are_said_at_their_line(tmp_path: Path) -> None:
    export = tmp_path / "export.jsonl"
    lines = [json.dumps(s) for s in walked(5)[:2]]
    export.write_text("\n".join([*lines, "{not json"]), encoding="utf-8")
    result = invoke("certificate", forged(), "--statements", str(export))
    assert result.exit_code == 1 and f"{export}:3: error: not JSON" in result.stderr
    export.write_text('[{"id": "x"},\n 7]', encoding="utf-8")
    result = invoke("certificate", forged(), "--statements", str(export))
    assert result.exit_code == 1 and "a statement is a JSON object, not int" in result.stderr
    export.write_text("", encoding="utf-8")
    result = invoke("certificate", forged(), "--statements", str(export))
    assert result.exit_code == 1 and f"{export}:1: error: no statements" in result.stderr
    assert "Traceback" not in result.output


def test_the_records_are_given_once() -> None:
    assert invoke("certificate", forged()).exit_code == 2
    both = invoke("certificate", forged(), "--statements", __file__, "--lrs",
                  "http://127.0.0.1:9/xapi/")
    assert both.exit_code == 2 and "--statements FILE or --lrs ENDPOINT" in both.output


# --- against a real LRS -----------------------------------------------------------------------


def test_a_code_is_confirmed_by_the_lrs_that_holds_the_completion(
    ralph_lrs: RalphLRS, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {"CEFORGE_LRS_USERNAME": ralph_lrs.username,
           "CEFORGE_LRS_PASSWORD": ralph_lrs.password}
    for seed in (21, 22):
        sent = invoke("statements", str(FIXTURE), "--learner", MAILTO, "--path", "pass",
                      "--seed", str(seed), "--send", ralph_lrs.endpoint, env=env)
        assert sent.exit_code == 0, sent.output
    # pages of 7 statements: whichever order the LRS answers in, one of the two completions
    # is found past the first page, by the LRS's "more" link
    monkeypatch.setattr(delivery, "PAGE", 7)
    code = issued_code(walked(21))
    other = invoke("certificate", issued_code(walked(22)), "--lrs", ralph_lrs.endpoint, env=env)
    assert other.exit_code == 0, other.output
    result = invoke("certificate", code, "--lrs", ralph_lrs.endpoint, env=env)
    assert result.exit_code == 0, result.output
    (completed,) = [s for s in walked(21) if s["verb"]["id"].endswith("/completed")]
    assert f"statement: {completed['id']}" in result.stdout
    unknown = invoke("certificate", forged(), "--lrs", ralph_lrs.endpoint, env=env)
    assert unknown.exit_code == 1 and "not confirmed" in unknown.stderr
    refused = invoke("certificate", code, "--lrs", ralph_lrs.endpoint,
                     env={**env, "CEFORGE_LRS_PASSWORD": "wrong"})
    assert refused.exit_code == 1 and "refused the credentials" in refused.stderr
    assert "wrong" not in refused.stderr
