"""Judging statements: the two xAPI oracles (in batches) and the cmi5 sequence rules.

- ``xapi_validation_problems``: ``@learninglocker/xapi-validation``, one node process for a whole
  list of statements;
- ``ralph_problems``: Ralph's strict ``BaseXapiStatement.model_validate``, in Ralph's venv;
- ``video_profile_problems``: Ralph's models of the xAPI Video Profile's statements, for the
  statements about a video;
- ``video_profile_violations``: the Video Profile's own rules (v1.0.3, ``video.jsonld`` of
  adlnet/xapi-authored-profiles) that Ralph's models do not hold: the general pattern of each
  session (initialized, then played, paused, seeked or completed, then terminated), the
  completion threshold where it is not 1, and what each extension's value must be;
- ``cmi5_violations``: the cmi5 rules of STANDARDS.md and the cmi5 spec (sections 9 and 10) over
  the statements of one registration, as a list of readable violations. They are product code
  (``ceforge.xapi.rules``, which ``ceforge preview``'s LRS also applies), re-exported here.

The browser tests of the xAPI adapters can judge what the runtime sends with the same helpers.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections import defaultdict
from typing import Any

from ceforge.xapi.rules import (  # noqa: F401  (re-exported for the tests)
    CMI5,
    DEFINED,
    MASTERY,
    MOVEON,
    NEEDS_DURATION,
    SESSION,
    cmi5_violations,
)
from oracles import node, node_module, ralph_python

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


_VIDEO_PROFILE = """
import json, sys
from pydantic import ValidationError
from ralph.models.xapi.video import statements as video
MODELS = {
    "http://adlnet.gov/expapi/verbs/initialized": video.VideoInitialized,
    "https://w3id.org/xapi/video/verbs/played": video.VideoPlayed,
    "https://w3id.org/xapi/video/verbs/paused": video.VideoPaused,
    "https://w3id.org/xapi/video/verbs/seeked": video.VideoSeeked,
    "http://adlnet.gov/expapi/verbs/completed": video.VideoCompleted,
    "http://adlnet.gov/expapi/verbs/terminated": video.VideoTerminated,
}
result = []
for statement in json.load(sys.stdin):
    model = MODELS.get(statement["verb"]["id"])
    if model is None:
        result.append(["not a statement of the Video Profile: " + statement["verb"]["id"]])
        continue
    try:
        model.model_validate(statement)
    except ValidationError as error:
        result.append([".".join(map(str, e["loc"])) + ": " + e["msg"] for e in error.errors()])
    else:
        result.append([])
print(json.dumps(result))
"""


def video_profile_problems(statements: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Statement id -> what Ralph's models of the xAPI Video Profile's statement templates
    (``ralph.models.xapi.video``: the verb's required result and context extensions, the
    profile in ``category``, the video activity type) report, for the statements they reject."""
    done = subprocess.run(
        [str(ralph_python()), "-c", _VIDEO_PROFILE],
        input=json.dumps(statements), capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr
    reports: list[list[str]] = json.loads(done.stdout)
    return {s["id"]: r for s, r in zip(statements, reports, strict=True) if r}


_VIDEO = "https://w3id.org/xapi/video"
_VIDEO_EXT = _VIDEO + "/extensions/"
_VIDEO_VERBS = {
    "http://adlnet.gov/expapi/verbs/initialized": "initialized",
    _VIDEO + "/verbs/played": "played",
    _VIDEO + "/verbs/paused": "paused",
    _VIDEO + "/verbs/seeked": "seeked",
    "http://adlnet.gov/expapi/verbs/completed": "completed",
    "http://adlnet.gov/expapi/verbs/terminated": "terminated",
}
#: The profile's session-id schema (a version 4 UUID).
_SESSION_ID = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$"
)
_SEGMENT = re.compile(r"^(\d+(?:\.\d{1,3})?)\[\.\](\d+(?:\.\d{1,3})?)$")
_SPEED = re.compile(r"^-?\d+(?:\.\d+)?x$|^0$")


def _three_decimals(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and (
        round(value, 3) == value)


def _one_video_statement(verb: str, statement: dict[str, Any]) -> list[str]:
    """The value rules of the profile's extension concepts, and its 'completion-threshold MUST
    be included with initialized, paused, completed and terminated when it is not 1'."""
    out = []
    context = statement.get("context", {}).get("extensions", {})
    result = statement.get("result", {}).get("extensions", {})
    length = context.get(_VIDEO_EXT + "length")
    if not (_three_decimals(length) and length > 0):
        out.append(f"length must be a positive number of seconds, 3 decimals at most: {length!r}")
        length = None
    threshold = context.get(_VIDEO_EXT + "completion-threshold")
    if threshold is not None and not (_three_decimals(threshold) and 0 <= threshold <= 1):
        out.append(f"completion-threshold must be 0..1, 3 decimals at most: {threshold!r}")
    if not _SESSION_ID.match(str(context.get(_VIDEO_EXT + "session-id", ""))):
        out.append("session-id must be a version 4 UUID")
    for name in ("time", "time-from", "time-to"):
        if _VIDEO_EXT + name in result:
            value = result[_VIDEO_EXT + name]
            if not (_three_decimals(value) and 0 <= value <= (length or value)):
                out.append(f"{name} must be 0..length, 3 decimals at most: {value!r}")
    progress = result.get(_VIDEO_EXT + "progress")
    if progress is not None and not (_three_decimals(progress) and 0 <= progress <= 1):
        out.append(f"progress must be 0..1, 3 decimals at most: {progress!r}")
    segments = result.get(_VIDEO_EXT + "played-segments")
    if segments:
        for segment in str(segments).split("[,]"):
            found = _SEGMENT.match(segment)
            if not found or float(found[1]) > float(found[2]) or (
                    length and float(found[2]) > length):
                out.append(f"played-segments holds {segment!r}: start[.]end within the length")
    if verb == "initialized":
        speed = context.get(_VIDEO_EXT + "speed")
        if speed is not None and not _SPEED.match(str(speed)):
            out.append(f"speed must read like 1x or 1.5x: {speed!r}")
        enabled = context.get(_VIDEO_EXT + "cc-subtitle-enabled")
        if enabled is not None and not isinstance(enabled, bool):
            out.append("cc-subtitle-enabled must be a boolean")
    if verb == "completed" and statement.get("result", {}).get("completion") is not True:
        out.append("completed must have result.completion true")
    return out


def video_profile_violations(
    statements: list[dict[str, Any]], threshold: float | None = None
) -> list[str]:
    """What breaks the Video Profile's rules in these statements about videos, in order: each
    media session (``session-id``) follows the general pattern, initialized, then any of
    played, paused, seeked and completed, then terminated and nothing after; ``length`` and the
    completion threshold do not change within a session; the extensions hold the values their
    concepts define; with ``threshold`` (the medium's, when it is not 1) initialized, paused,
    completed and terminated must carry it."""
    out: list[str] = []
    sessions: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for statement in statements:
        verb = _VIDEO_VERBS.get(statement["verb"]["id"])
        if verb is None:
            out.append(f"{statement['id']}: {statement['verb']['id']} is not a Video Profile verb")
            continue
        out += [f"{statement['id']} ({verb}): {p}" for p in _one_video_statement(verb, statement)]
        context = statement.get("context", {}).get("extensions", {})
        needs_threshold = threshold is not None and threshold != 1 and verb in (
            "initialized", "paused", "completed", "terminated")
        if needs_threshold and context.get(_VIDEO_EXT + "completion-threshold") != threshold:
            out.append(f"{statement['id']} ({verb}): completion-threshold {threshold} "
                       "must be included when it is not 1")
        sessions[str(context.get(_VIDEO_EXT + "session-id"))].append((verb, statement))
    for session, said in sessions.items():
        verbs = [verb for verb, _ in said]
        middle = verbs[1:-1]
        if verbs[0] != "initialized" or verbs[-1] != "terminated" or any(
                verb not in ("played", "paused", "seeked", "completed") for verb in middle):
            out.append(f"session {session}: {verbs} is not initialized, "
                       "played/paused/seeked/completed, terminated")
        for key, which in (("length", set(verbs)),
                           ("completion-threshold", {"initialized", "paused", "completed",
                                                     "terminated"})):
            values = {json.dumps(s.get("context", {}).get("extensions", {}).get(_VIDEO_EXT + key))
                      for verb, s in said if verb in which}
            if len(values) > 1:
                out.append(f"session {session}: {key} changes within the session: {values}")
    return out


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
