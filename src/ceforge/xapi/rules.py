"""The rules a statement must follow: xAPI 1.0.3's, and cmi5's for the statements of an AU.

- ``statement_problems(statement)``: what breaks the xAPI 1.0.3 data rules (the MUSTs an LRS
  enforces: required properties, identifiers, language maps, scores, durations, timestamps, the
  context) — a list of ``path: problem`` strings, empty when the statement is fine;
- ``cmi5_statement_problems``, ``cmi5_session_problems`` and ``cmi5_violations``: the cmi5
  rules (cmi5 sections 9 and 10, and STANDARDS.md) over one statement, one session and the
  statements of one registration in the order sent;
- ``Cmi5Tracker``: the same rules as statements arrive, one at a time, for an LMS that flags
  each statement when it comes in (``ceforge preview``'s LRS).

The tests judge what ceforge sends with these and, beside them, with the independent oracles
(``@learninglocker/xapi-validation`` and Ralph); an LRS or a tool of our own never replaces
those.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ceforge.xapi.vocabulary import CMI5_CATEGORY, MASTERY_SCORE, MOVEON_CATEGORY, SESSION_ID

CMI5 = CMI5_CATEGORY
MOVEON = MOVEON_CATEGORY
SESSION = SESSION_ID
MASTERY = MASTERY_SCORE
DEFINED = frozenset({"initialized", "completed", "passed", "failed", "terminated"})
NEEDS_DURATION = frozenset({"completed", "passed", "failed", "terminated"})

Statement = Mapping[str, Any]

# --- xAPI 1.0.3 -----------------------------------------------------------------------------

STATEMENT_KEYS = frozenset(
    {"id", "actor", "verb", "object", "result", "context", "timestamp", "stored", "authority",
     "version", "attachments"}
)
SUBSTATEMENT_KEYS = frozenset(
    {"objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments"}
)
CONTEXT_ACTIVITY_KEYS = frozenset({"parent", "grouping", "category", "other"})
INTERACTION_TYPES = frozenset(
    {"true-false", "choice", "fill-in", "long-fill-in", "matching", "performance", "sequencing",
     "likert", "numeric", "other"}
)
COMPONENT_LISTS = {
    "choice": ("choices",),
    "sequencing": ("choices",),
    "likert": ("scale",),
    "matching": ("source", "target"),
    "performance": ("steps",),
}
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$")
_LANGUAGE = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$")
_DURATION = re.compile(
    r"^P(?!$)(?:\d+(?:\.\d+)?Y)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?W)?(?:\d+(?:\.\d+)?D)?"
    r"(?:T(?=\d)(?:\d+(?:\.\d+)?H)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?S)?)?$"
)
_TIMESTAMP = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?P<zone>Z|[+-]\d{2}:?\d{2})?$"
)
_MAILTO = re.compile(r"^mailto:[^@\s]+@[^@\s]+$")
_SHA1 = re.compile(r"^[0-9a-fA-F]{40}$")


def is_uuid(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return bool(re.fullmatch(r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}", value))


def is_iri(value: Any) -> bool:
    return isinstance(value, str) and bool(_IRI.match(value))


def is_timestamp(value: Any) -> bool:
    """ISO 8601 with a time zone (xapi-validation and Ralph refuse one without)."""
    if not isinstance(value, str):
        return False
    match = _TIMESTAMP.match(value)
    if match is None or match.group("zone") is None:
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def is_duration(value: Any) -> bool:
    return isinstance(value, str) and bool(_DURATION.match(value))


class _Checker:
    """Collects ``path: problem`` lines while walking one statement."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def add(self, path: str, problem: str) -> None:
        self.problems.append(f"{path}: {problem}")

    def object_at(self, path: str, value: Any) -> bool:
        if not isinstance(value, dict):
            self.add(path, "is not a JSON object")
            return False
        return True

    def iri(self, path: str, value: Any) -> None:
        if not is_iri(value):
            self.add(path, f"{value!r} is not an IRI")

    def language_map(self, path: str, value: Any) -> None:
        if not self.object_at(path, value):
            return
        for tag, text in value.items():
            if not _LANGUAGE.match(str(tag)):
                self.add(path, f"{tag!r} is not a language tag")
            if not isinstance(text, str):
                self.add(f"{path}.{tag}", "is not a string")

    def extensions(self, path: str, value: Any) -> None:
        if not self.object_at(path, value):
            return
        for key in value:
            self.iri(f"{path} key", key)

    def agent(self, path: str, value: Any, *, group_allowed: bool = True) -> None:
        if not self.object_at(path, value):
            return
        kind = value.get("objectType", "Agent")
        if kind not in ("Agent", "Group") or (kind == "Group" and not group_allowed):
            self.add(f"{path}.objectType", f"{kind!r} is not an Agent{' or Group' * group_allowed}")
            return
        ifis = [key for key in ("mbox", "mbox_sha1sum", "openid", "account") if key in value]
        if kind == "Agent" and len(ifis) != 1:
            self.add(path, f"an Agent has exactly one identifier (has {len(ifis)})")
        if kind == "Group":
            if len(ifis) > 1:
                self.add(path, "a Group has at most one identifier")
            if not ifis and not value.get("member"):
                self.add(path, "an anonymous Group needs members")
            for i, member in enumerate(value.get("member") or []):
                self.agent(f"{path}.member[{i}]", member, group_allowed=False)
        if "mbox" in value and not _MAILTO.match(str(value["mbox"])):
            self.add(f"{path}.mbox", f"{value['mbox']!r} is not mailto:address")
        if "mbox_sha1sum" in value and not _SHA1.match(str(value["mbox_sha1sum"])):
            self.add(f"{path}.mbox_sha1sum", "is not 40 hexadecimal digits")
        if "openid" in value:
            self.iri(f"{path}.openid", value["openid"])
        if "account" in value and self.object_at(f"{path}.account", value["account"]):
            account = value["account"]
            self.iri(f"{path}.account.homePage", account.get("homePage"))
            if not isinstance(account.get("name"), str) or not account.get("name"):
                self.add(f"{path}.account.name", "is missing")
        if "name" in value and not isinstance(value["name"], str):
            self.add(f"{path}.name", "is not a string")

    def verb(self, path: str, value: Any) -> None:
        if not self.object_at(path, value):
            return
        self.iri(f"{path}.id", value.get("id"))
        if "display" in value:
            self.language_map(f"{path}.display", value["display"])

    def activity(self, path: str, value: Any) -> None:
        if not self.object_at(path, value):
            return
        self.iri(f"{path}.id", value.get("id"))
        definition = value.get("definition")
        if definition is None or not self.object_at(f"{path}.definition", definition):
            return
        for key in ("name", "description"):
            if key in definition:
                self.language_map(f"{path}.definition.{key}", definition[key])
        for key in ("type", "moreInfo"):
            if key in definition:
                self.iri(f"{path}.definition.{key}", definition[key])
        if "extensions" in definition:
            self.extensions(f"{path}.definition.extensions", definition["extensions"])
        self.interaction(f"{path}.definition", definition)

    def interaction(self, path: str, definition: dict[str, Any]) -> None:
        kind = definition.get("interactionType")
        lists = [key for key in ("choices", "scale", "source", "target", "steps")
                 if key in definition]
        if kind is None:
            if lists or "correctResponsesPattern" in definition:
                self.add(path, "interaction properties without an interactionType")
            return
        if kind not in INTERACTION_TYPES:
            self.add(f"{path}.interactionType", f"{kind!r} is not an interaction type")
            return
        pattern = definition.get("correctResponsesPattern")
        if pattern is not None and (
            not isinstance(pattern, list) or not all(isinstance(p, str) for p in pattern)
        ):
            self.add(f"{path}.correctResponsesPattern", "is not a list of strings")
        allowed = COMPONENT_LISTS.get(kind, ())
        for key in lists:
            if key not in allowed:
                self.add(f"{path}.{key}", f"a {kind} interaction has no {key}")
                continue
            items = definition[key]
            if not isinstance(items, list):
                self.add(f"{path}.{key}", "is not a list")
                continue
            ids = [item.get("id") if isinstance(item, dict) else None for item in items]
            if any(not isinstance(i, str) or not i for i in ids):
                self.add(f"{path}.{key}", "every component has an id")
            if len(set(ids)) != len(ids):
                self.add(f"{path}.{key}", "component ids repeat")
            for i, item in enumerate(items):
                if isinstance(item, dict) and "description" in item:
                    self.language_map(f"{path}.{key}[{i}].description", item["description"])

    def statement_object(self, path: str, value: Any, *, nested: bool) -> None:
        if not self.object_at(path, value):
            return
        kind = value.get("objectType", "Activity")
        if kind == "Activity":
            self.activity(path, value)
        elif kind in ("Agent", "Group"):
            self.agent(path, value)
        elif kind == "StatementRef":
            if not is_uuid(value.get("id")):
                self.add(f"{path}.id", "a StatementRef names a statement by its UUID")
        elif kind == "SubStatement":
            if nested:
                self.add(path, "a SubStatement cannot hold another SubStatement")
                return
            extra = set(value) - SUBSTATEMENT_KEYS
            if extra:
                self.add(path, f"a SubStatement cannot have {', '.join(sorted(extra))}")
            self.core(path, value, nested=True)
        else:
            self.add(f"{path}.objectType", f"{kind!r} is not an object type")

    def result(self, path: str, value: Any) -> None:
        if not self.object_at(path, value):
            return
        score = value.get("score")
        if score is not None and self.object_at(f"{path}.score", score):
            numbers = {k: score[k] for k in ("scaled", "raw", "min", "max") if k in score}
            for key, number in numbers.items():
                if isinstance(number, bool) or not isinstance(number, (int, float)):
                    self.add(f"{path}.score.{key}", "is not a number")
                    return
            if "scaled" in numbers and not -1 <= numbers["scaled"] <= 1:
                self.add(f"{path}.score.scaled", f"{numbers['scaled']} is outside -1..1")
            low, high, raw = numbers.get("min"), numbers.get("max"), numbers.get("raw")
            if low is not None and high is not None and low > high:
                self.add(f"{path}.score", "min is above max")
            if raw is not None and ((low is not None and raw < low)
                                    or (high is not None and raw > high)):
                self.add(f"{path}.score.raw", f"{raw} is outside min..max")
        for key in ("success", "completion"):
            if key in value and not isinstance(value[key], bool):
                self.add(f"{path}.{key}", "is not true or false")
        if "response" in value and not isinstance(value["response"], str):
            self.add(f"{path}.response", "is not a string")
        if "duration" in value and not is_duration(value["duration"]):
            self.add(f"{path}.duration", f"{value['duration']!r} is not an ISO 8601 duration")
        if "extensions" in value:
            self.extensions(f"{path}.extensions", value["extensions"])

    def context(self, path: str, value: Any, object_kind: str) -> None:
        if not self.object_at(path, value):
            return
        if "registration" in value and not is_uuid(value["registration"]):
            self.add(f"{path}.registration", f"{value['registration']!r} is not a UUID")
        if "instructor" in value:
            self.agent(f"{path}.instructor", value["instructor"])
        if "team" in value:
            team = value["team"]
            if not isinstance(team, dict) or team.get("objectType") != "Group":
                self.add(f"{path}.team", "is not a Group")
        activities = value.get("contextActivities")
        if activities is not None and self.object_at(f"{path}.contextActivities", activities):
            for key, items in activities.items():
                where = f"{path}.contextActivities.{key}"
                if key not in CONTEXT_ACTIVITY_KEYS:
                    self.add(where, "is not parent, grouping, category or other")
                    continue
                for i, item in enumerate(items if isinstance(items, list) else [items]):
                    self.activity(f"{where}[{i}]", item)
        for key in ("revision", "platform"):
            if key in value:
                if not isinstance(value[key], str):
                    self.add(f"{path}.{key}", "is not a string")
                if object_kind != "Activity":
                    self.add(f"{path}.{key}", "only a statement about an Activity has one")
        if "language" in value and not _LANGUAGE.match(str(value["language"])):
            self.add(f"{path}.language", f"{value['language']!r} is not a language tag")
        if "statement" in value:
            ref = value["statement"]
            if not isinstance(ref, dict) or not is_uuid(ref.get("id")):
                self.add(f"{path}.statement", "is not a StatementRef")
        if "extensions" in value:
            self.extensions(f"{path}.extensions", value["extensions"])

    def core(self, path: str, value: dict[str, Any], *, nested: bool) -> None:
        prefix = f"{path}." if path else ""
        for key in ("actor", "verb", "object"):
            if key not in value:
                self.add(f"{prefix}{key}", "is required")
        if "actor" in value:
            self.agent(f"{prefix}actor", value["actor"])
        if "verb" in value:
            self.verb(f"{prefix}verb", value["verb"])
        if "object" in value:
            self.statement_object(f"{prefix}object", value["object"], nested=nested)
        if "result" in value:
            self.result(f"{prefix}result", value["result"])
        if "context" in value:
            kind = value.get("object", {}).get("objectType", "Activity") if isinstance(
                value.get("object"), dict) else "Activity"
            self.context(f"{prefix}context", value["context"], kind)
        if "timestamp" in value and not is_timestamp(value["timestamp"]):
            self.add(f"{prefix}timestamp", f"{value['timestamp']!r} is not ISO 8601 with a zone")


def statement_problems(statement: Any) -> list[str]:
    """What in ``statement`` breaks the xAPI 1.0.3 data rules; empty when nothing does."""
    checker = _Checker()
    if not checker.object_at("statement", statement):
        return checker.problems
    extra = set(statement) - STATEMENT_KEYS
    if extra:
        checker.add("statement", f"unknown properties {', '.join(sorted(extra))}")
    if "id" in statement and not is_uuid(statement["id"]):
        checker.add("id", f"{statement['id']!r} is not a UUID")
    checker.core("", statement, nested=False)
    if "version" in statement and not str(statement["version"]).startswith("1.0."):
        checker.add("version", f"{statement['version']!r} is not a 1.0.x version")
    if "stored" in statement and not is_timestamp(statement["stored"]):
        checker.add("stored", "is not ISO 8601 with a zone")
    if "authority" in statement:
        checker.agent("authority", statement["authority"])
    return checker.problems


# --- cmi5 -----------------------------------------------------------------------------------


def verb_name(statement: Statement) -> str:
    """The last segment of the verb id: ``initialized`` for ADL's initialized."""
    return str(statement.get("verb", {}).get("id", "")).rsplit("/", 1)[-1]


def _categories(statement: Statement) -> set[str]:
    activities = statement.get("context", {}).get("contextActivities", {})
    items = activities.get("category", [])
    return {a.get("id") for a in (items if isinstance(items, list) else [items])}


def session_of(statement: Statement) -> str:
    return str(statement.get("context", {}).get("extensions", {}).get(SESSION, ""))


def cmi5_statement_problems(
    statement: Statement, *, activity_id: str, publisher_id: str, mastery_score: float | None
) -> list[str]:
    """The cmi5 rules one statement of an AU breaks, on its own (cmi5 9.3-9.6)."""
    found = []
    verb = verb_name(statement)
    category = _categories(statement)
    result = statement.get("result", {})
    context = statement.get("context", {})
    grouping = {a.get("id") for a in context.get("contextActivities", {}).get("grouping", [])}
    if publisher_id not in grouping:
        found.append("the publisher id is missing from grouping (the contextTemplate)")
    if "account" not in statement.get("actor", {}):
        found.append("the actor has no account")
    if not is_uuid(context.get("registration")):
        found.append("no registration")
    if CMI5 not in category:
        if MOVEON in category:
            found.append(f"{verb}: moveon category on a cmi5 allowed statement")
        if verb in DEFINED and statement.get("object", {}).get("id") == activity_id:
            found.append(f"{verb} about the AU without the cmi5 category")
        return found
    if verb not in DEFINED:
        found.append(f"{verb} carries the cmi5 category")
    if statement.get("object", {}).get("id") != activity_id:
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
    if verb in ("passed", "failed") and mastery_score is not None:
        extensions = context.get("extensions", {})
        if extensions.get(MASTERY) != mastery_score:
            found.append(f"{verb}: masteryscore extension {extensions.get(MASTERY)!r}")
        scaled = result.get("score", {}).get("scaled")
        if scaled is not None and (scaled >= mastery_score) != (verb == "passed"):
            found.append(f"{verb}: scaled {scaled} disagrees with masteryScore {mastery_score}")
    return found


def cmi5_session_problems(items: Sequence[Statement], launch_mode: str) -> list[str]:
    """The cmi5 rules the statements of one finished session break (cmi5 9.3, 10)."""
    found = []
    verbs = [verb_name(s) for s in items]
    if not verbs or verbs[0] != "initialized" or CMI5 not in _categories(items[0]):
        found.append("does not open with a cmi5 initialized")
    if not verbs or verbs[-1] != "terminated" or CMI5 not in _categories(items[-1]):
        found.append("does not close with a cmi5 terminated")
    defined = [verb_name(s) for s in items if CMI5 in _categories(s)]
    if len(defined) != len(set(defined)):
        found.append(f"a cmi5-defined verb is repeated: {defined}")
    if len({"passed", "failed"} & set(defined)) > 1 or defined.count("failed") > 1:
        found.append("more than one of passed/failed")
    if launch_mode != "Normal" and verbs != ["initialized", "terminated"]:
        found.append(f"a {launch_mode} launch sent {verbs}")
    return found


def cmi5_violations(
    statements: Sequence[Statement],
    *,
    activity_id: str,
    publisher_id: str,
    launch_mode: str = "Normal",
    mastery_score: float | None = None,
) -> list[str]:
    """Every cmi5 rule the statements of one registration (in the order sent) break."""
    found: list[str] = []
    sessions: dict[str, list[Statement]] = defaultdict(list)
    stamps = [s.get("timestamp", "") for s in statements]
    if stamps != sorted(stamps) or len(set(stamps)) != len(stamps):
        found.append("timestamps do not strictly increase in the order sent")
    for statement in statements:
        found += [f"{statement.get('id')}: {v}" for v in cmi5_statement_problems(
            statement, activity_id=activity_id, publisher_id=publisher_id,
            mastery_score=mastery_score,
        )]
        sessions[session_of(statement)].append(statement)
    if "" in sessions:
        found.append("statements without a session id")
    for session, items in sessions.items():
        found += [f"session {session}: {v}" for v in cmi5_session_problems(items, launch_mode)]
    verbs = [verb_name(s) for s in statements if CMI5 in _categories(s)]
    for once in ("completed", "passed"):
        if verbs.count(once) > 1:
            found.append(f"more than one cmi5-defined {once!r} in the registration")
    if "passed" in verbs and "failed" in verbs[verbs.index("passed"):]:
        found.append("'failed' after 'passed' in the registration")
    return found


@dataclass
class _Session:
    launch_mode: str
    verbs: list[str] = field(default_factory=list)
    defined: list[str] = field(default_factory=list)
    terminated: bool = False
    last_timestamp: str = ""


@dataclass
class Cmi5Tracker:
    """The cmi5 rules checked as an AU's statements arrive, for one launched AU and learner.

    ``launch(session_id, launch_mode)`` before each session; ``check(statement)`` returns what
    that statement breaks, given those before it (the order and once-only rules included);
    ``end(session_id)`` what a session left undone (no terminated).
    """

    activity_id: str
    publisher_id: str
    mastery_score: float | None = None
    sessions: dict[str, _Session] = field(default_factory=dict)
    registration_defined: list[str] = field(default_factory=list)
    seen: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def launch(self, session_id: str, launch_mode: str = "Normal") -> None:
        self.sessions[session_id] = _Session(launch_mode)

    def check(self, statement: Statement) -> list[str]:
        """What ``statement`` breaks; the same answer again for a statement sent again (an LRP
        resends what it is not sure arrived), without counting it twice."""
        statement_id = str(statement.get("id", ""))
        if statement_id and statement_id in self.seen:
            return list(self.seen[statement_id])
        found = self._check(statement)
        if statement_id:
            self.seen[statement_id] = tuple(found)
        return found

    def _check(self, statement: Statement) -> list[str]:
        found = cmi5_statement_problems(
            statement, activity_id=self.activity_id, publisher_id=self.publisher_id,
            mastery_score=self.mastery_score,
        )
        session_id = session_of(statement)
        session = self.sessions.get(session_id)
        if session is None:
            return [*found, f"session id {session_id!r} is not one the LMS launched"]
        verb = verb_name(statement)
        defined = CMI5 in _categories(statement)
        if not session.verbs and not (verb == "initialized" and defined):
            found.append(f"{verb} before the session's initialized")
        if session.terminated:
            found.append(f"{verb} after the session's terminated")
        if session.launch_mode != "Normal" and verb not in ("initialized", "terminated"):
            found.append(f"{verb} in a {session.launch_mode} launch (only initialized and "
                         "terminated are allowed)")
        stamp = str(statement.get("timestamp", ""))
        if session.last_timestamp and stamp <= session.last_timestamp:
            found.append("its timestamp is not later than the previous statement's")
        if defined:
            if verb in session.defined:
                found.append(f"a second cmi5-defined {verb} in the session")
            if verb in ("passed", "failed") and {"passed", "failed"} & set(session.defined):
                found.append("more than one of passed/failed in the session")
            if verb in ("completed", "passed") and verb in self.registration_defined:
                found.append(f"a second cmi5-defined {verb} in the registration")
            if verb == "failed" and "passed" in self.registration_defined:
                found.append("failed after passed in the registration")
            session.defined.append(verb)
            self.registration_defined.append(verb)
        session.verbs.append(verb)
        session.last_timestamp = max(session.last_timestamp, stamp)
        session.terminated = session.terminated or (verb == "terminated" and defined)
        return found

    def end(self, session_id: str) -> list[str]:
        session = self.sessions.get(session_id)
        if session is None or session.terminated:
            return []
        return ["the session ended without a cmi5 terminated (the LMS records it abandoned)"]

    def open_sessions(self) -> Iterable[str]:
        return [sid for sid, s in self.sessions.items() if not s.terminated]
