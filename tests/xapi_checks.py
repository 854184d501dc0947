"""Judging statements: the two xAPI oracles (in batches) and the cmi5 sequence rules.

- ``xapi_validation_problems``: ``@learninglocker/xapi-validation``, one node process for a whole
  list of statements;
- ``ralph_problems``: Ralph's strict ``BaseXapiStatement.model_validate``, in Ralph's venv;
- ``video_profile_problems``: Ralph's models of the xAPI Video Profile's statements, for the
  statements about a video;
- ``cmi5_violations``: the cmi5 rules of STANDARDS.md and the cmi5 spec (sections 9 and 10) over
  the statements of one registration, as a list of readable violations. They are product code
  (``ceforge.xapi.rules``, which ``ceforge preview``'s LRS also applies), re-exported here.

The browser tests of the xAPI adapters can judge what the runtime sends with the same helpers.
"""

from __future__ import annotations

import json
import subprocess
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
