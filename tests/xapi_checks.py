"""Judging statements: the two xAPI oracles (in batches) and the cmi5 sequence rules.

- ``xapi_validation_problems``: ``@learninglocker/xapi-validation``, one node process for a whole
  list of statements;
- ``ralph_problems``: Ralph's strict ``BaseXapiStatement.model_validate``, in Ralph's venv;
- ``cmi5_violations``: the cmi5 rules of STANDARDS.md and the cmi5 spec (sections 9 and 10) over
  the statements of one registration, as a list of readable violations.

The browser tests of the xAPI adapters can judge what the runtime sends with the same helpers.
"""

from __future__ import annotations

import json
import subprocess
from collections import defaultdict
from typing import Any

from oracles import node, node_module, ralph_python

CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
MOVEON = "https://w3id.org/xapi/cmi5/context/categories/moveon"
SESSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
MASTERY = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
DEFINED = {"initialized", "completed", "passed", "failed", "terminated"}
NEEDS_DURATION = {"completed", "passed", "failed", "terminated"}

_XAPI_VALIDATE = """
const validate = require('@learninglocker/xapi-validation').default;
return input.map((statement) =>
  validate(statement).map((w) => w.path.join('.') + ': ' + w.name));
"""

_RALPH_VALIDATE = """
import json, sys
from pydantic import ValidationError
from ralph.models.xapi.base.statements import BaseXapiStatement
result = []
for statement in json.load(sys.stdin):
    try:
        BaseXapiStatement.model_validate(statement)
    except ValidationError as error:
        result.append([".".join(map(str, e["loc"])) + ": " + e["msg"] for e in error.errors()])
    else:
        result.append([])
print(json.dumps(result))
"""


def xapi_validation_problems(statements: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Statement id -> what xapi-validation reports, for the statements it rejects."""
    node_module("@learninglocker/xapi-validation")
    reports: list[list[str]] = node(_XAPI_VALIDATE, statements, timeout=300)
    return {s["id"]: r for s, r in zip(statements, reports, strict=True) if r}


def ralph_problems(statements: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Statement id -> what Ralph's strict model reports, for the statements it rejects."""
    done = subprocess.run(
        [str(ralph_python()), "-c", _RALPH_VALIDATE],
        input=json.dumps(statements), capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr
    reports: list[list[str]] = json.loads(done.stdout)
    return {s["id"]: r for s, r in zip(statements, reports, strict=True) if r}


def _verb(statement: dict[str, Any]) -> str:
    return str(statement["verb"]["id"]).rsplit("/", 1)[-1]


def _category(statement: dict[str, Any]) -> set[str]:
    activities = statement.get("context", {}).get("contextActivities", {})
    return {a["id"] for a in activities.get("category", [])}


def cmi5_violations(
    statements: list[dict[str, Any]],
    *,
    activity_id: str,
    publisher_id: str,
    launch_mode: str = "Normal",
    mastery_score: float | None = None,
) -> list[str]:
    """Every cmi5 rule the statements of one registration (in the order sent) break."""
    found: list[str] = []
    sessions: dict[str, list[dict[str, Any]]] = defaultdict(list)
    stamps = [s["timestamp"] for s in statements]
    if stamps != sorted(stamps) or len(set(stamps)) != len(stamps):
        found.append("timestamps do not strictly increase in the order sent")
    for statement in statements:
        found += [f"{statement['id']}: {v}" for v in _statement_violations(
            statement, activity_id, publisher_id, mastery_score
        )]
        sessions[statement["context"].get("extensions", {}).get(SESSION, "")].append(statement)
    if "" in sessions:
        found.append("statements without a session id")
    for session, items in sessions.items():
        found += [f"session {session}: {v}" for v in _session_violations(items, launch_mode)]
    defined = [s for s in statements if CMI5 in _category(s)]
    verbs = [_verb(s) for s in defined]
    for once in ("completed", "passed"):
        if verbs.count(once) > 1:
            found.append(f"more than one cmi5-defined {once!r} in the registration")
    if "passed" in verbs and "failed" in verbs[verbs.index("passed"):]:
        found.append("'failed' after 'passed' in the registration")
    return found


def _statement_violations(
    s: dict[str, Any], activity_id: str, publisher_id: str, mastery: float | None
) -> list[str]:
    found = []
    verb = _verb(s)
    category = _category(s)
    result = s.get("result", {})
    grouping = {a["id"] for a in s["context"].get("contextActivities", {}).get("grouping", [])}
    if publisher_id not in grouping:
        found.append("the publisher id is missing from grouping (the contextTemplate)")
    if "account" not in s["actor"]:
        found.append("the actor has no account")
    defined = CMI5 in category
    if not defined:
        if MOVEON in category:
            found.append(f"{verb}: moveon category on a cmi5 allowed statement")
        if verb in DEFINED and s["object"]["id"] == activity_id:
            found.append(f"{verb} about the AU without the cmi5 category")
        return found
    if verb not in DEFINED:
        found.append(f"{verb} carries the cmi5 category")
    if s["object"]["id"] != activity_id:
        found.append(f"{verb}: the object is not the launched activityId")
    moveon_due = "success" in result or "completion" in result
    if moveon_due != (MOVEON in category):
        found.append(f"{verb}: moveon category {'missing' if moveon_due else 'not allowed'}")
    if verb in NEEDS_DURATION and "duration" not in result:
        found.append(f"{verb}: no duration")
    if "score" in result and verb not in ("passed", "failed"):
        found.append(f"{verb}: a score outside passed/failed")
    expected_success = {"passed": True, "failed": False}.get(verb)
    if result.get("success") != expected_success:
        found.append(f"{verb}: success is {result.get('success')!r}")
    if result.get("completion") != (True if verb == "completed" else None):
        found.append(f"{verb}: completion is {result.get('completion')!r}")
    if verb in ("passed", "failed") and mastery is not None:
        extensions = s["context"].get("extensions", {})
        if extensions.get(MASTERY) != mastery:
            found.append(f"{verb}: masteryscore extension {extensions.get(MASTERY)!r}")
        scaled = result.get("score", {}).get("scaled")
        if scaled is not None and (scaled >= mastery) != (verb == "passed"):
            found.append(f"{verb}: scaled {scaled} disagrees with masteryScore {mastery}")
    return found


def _session_violations(items: list[dict[str, Any]], launch_mode: str) -> list[str]:
    found = []
    verbs = [_verb(s) for s in items]
    if not verbs or verbs[0] != "initialized" or CMI5 not in _category(items[0]):
        found.append("does not open with a cmi5 initialized")
    if not verbs or verbs[-1] != "terminated" or CMI5 not in _category(items[-1]):
        found.append("does not close with a cmi5 terminated")
    defined = [_verb(s) for s in items if CMI5 in _category(s)]
    if len(defined) != len(set(defined)):
        found.append(f"a cmi5-defined verb is repeated: {defined}")
    if len({"passed", "failed"} & set(defined)) > 1 or defined.count("failed") > 1:
        found.append("more than one of passed/failed")
    if launch_mode != "Normal" and verbs != ["initialized", "terminated"]:
        found.append(f"a {launch_mode} launch sent {verbs}")
    return found
