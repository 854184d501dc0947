"""A strict validator of the SCORM run-time data a SCO writes: ours, not scorm-again's.

scorm-again (the LMS of the browser tests) is lenient where real LMSs are not: it keeps 64000
characters of SCORM 1.2 ``suspend_data``, identifiers with spaces, and any text as a 1.2
response. These rules follow ``../shared/STANDARDS.md`` (the specifications, with Moodle's
stricter readings where an LMS is known to apply them), and check two things:

- ``call_problems(version, calls)``: every ``SetValue`` a SCO made (element and value, in
  order: interaction ids first and types before responses, the score before the status it
  goes with, Initialize first and Terminate once, last);
- ``data_problems(version, cmi)``: the data the LMS ended with (flattened, as
  ``cmi.interactions.0.id``): each interaction complete, its responses in its type's format,
  the limits of ``suspend_data`` and ``location``.

Each returns a list of readable problems; empty means valid. ``version`` is ``"1.2"``,
``"2004"`` (4th edition) or ``"2004-3rd"``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

Check = Callable[[str], str | None]

# --- value types -------------------------------------------------------------------------------

DECIMAL_12 = re.compile(r"^-?\d{1,3}(\.\d{1,2})?$")  # Moodle's CMIDecimal, scores and weights
NUMBER_12 = re.compile(r"^-?(\d+(\.\d+)?|\.\d+)$")  # a numeric response
REAL = re.compile(r"^-?\d{1,10}(\.\d{1,7})?$")  # real(10,7)
TIMESPAN_12 = re.compile(r"^\d{2,4}:[0-5]\d:[0-5]\d(\.\d{1,2})?$")
TIME_12 = re.compile(r"^([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,2})?$")
IDENTIFIER_12 = re.compile(r"^[A-Za-z0-9_-]{1,255}$")
DURATION = re.compile(
    r"^P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?)?$"
)
TIMESTAMP = re.compile(
    r"^(19[7-9]\d|20\d\d|203[0-8])-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
    r"T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,2})?(Z|[+-]([01]\d|2[0-3])(:[0-5]\d)?)?$"
)
PORTABLE_ID = re.compile(r"^[A-Za-z0-9_.-]{1,250}$")  # STANDARDS.md: ids portable across LMSs
LANG_STRING = re.compile(r"^(\{lang=([A-Za-z]{2,3}|i|x)(-[A-Za-z0-9-]{2,8})?\})?(?!\{)", re.S)
CHAR_ID = r"[0-9a-z]"


def _enum(*values: str) -> Check:
    return lambda v: None if v in values else f"{v!r} is not one of {', '.join(values)}"


def _match(pattern: re.Pattern[str], what: str) -> Check:
    return lambda v: None if pattern.match(v) else f"{v!r} is not {what}"


def _length(limit: int) -> Check:
    return lambda v: None if len(v) <= limit else f"{len(v)} characters, above {limit}"


def _ranged(pattern: re.Pattern[str], what: str, low: float, high: float) -> Check:
    def check(value: str) -> str | None:
        if not pattern.match(value):
            return f"{value!r} is not {what}"
        if not low <= float(value) <= high:
            return f"{value} is outside {low:g}..{high:g}"
        return None

    return check


def _long_identifier(value: str) -> str | None:
    """SCORM 2004 long_identifier_type, and the portable characters of STANDARDS.md."""
    if value.startswith("urn:") and not re.match(r"^urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:\S+$", value):
        return f"{value!r} is not a valid URN"
    if not PORTABLE_ID.match(value):
        return f"{value!r} is not an identifier of [A-Za-z0-9_.-] (250 at most)"
    return None


def _lang_string(limit: int) -> Check:
    def check(value: str) -> str | None:
        found = LANG_STRING.match(value)
        if not found:
            return f"{value[:40]!r}… starts with '{{' but no {{lang=…}} delimiter"
        text = value[found.end() :]
        return None if len(text) <= limit else f"{len(text)} characters, above {limit}"

    return check


# --- the elements a SCO writes -----------------------------------------------------------------

STATUS_12 = ("passed", "completed", "failed", "incomplete", "browsed")
SCORE_12 = _ranged(DECIMAL_12, "a decimal with at most 2 fraction digits", 0, 100)

ELEMENTS_12: dict[str, Check] = {
    "cmi.core.lesson_status": _enum(*STATUS_12),
    "cmi.core.lesson_location": _length(255),
    "cmi.core.exit": _enum("time-out", "suspend", "logout", ""),
    "cmi.core.session_time": _match(TIMESPAN_12, "HH:MM:SS(.SS)"),
    "cmi.core.score.raw": SCORE_12,
    "cmi.core.score.min": SCORE_12,
    "cmi.core.score.max": SCORE_12,
    "cmi.suspend_data": _length(4096),
    "cmi.objectives.n.id": _match(IDENTIFIER_12, "an identifier of [A-Za-z0-9_-]"),
    "cmi.objectives.n.status": _enum(*STATUS_12, "not attempted"),
    "cmi.objectives.n.score.raw": SCORE_12,
    "cmi.objectives.n.score.min": SCORE_12,
    "cmi.objectives.n.score.max": SCORE_12,
    "cmi.interactions.n.id": _match(IDENTIFIER_12, "an identifier of [A-Za-z0-9_-]"),
    "cmi.interactions.n.objectives.n.id": _match(IDENTIFIER_12, "an identifier"),
    "cmi.interactions.n.time": _match(TIME_12, "HH:MM:SS(.SS)"),
    "cmi.interactions.n.type": _enum(
        "true-false", "choice", "fill-in", "matching", "performance", "sequencing", "likert",
        "numeric",
    ),
    "cmi.interactions.n.weighting": _ranged(DECIMAL_12, "a decimal", -100, 100),
    "cmi.interactions.n.result": lambda v: None
    if v in ("correct", "wrong", "unanticipated", "neutral") or DECIMAL_12.match(v)
    else f"{v!r} is not a 1.2 result",
    "cmi.interactions.n.latency": _match(TIMESPAN_12, "HH:MM:SS(.SS)"),
    "cmi.interactions.n.student_response": _length(255),
    "cmi.interactions.n.correct_responses.n.pattern": _length(255),
}

COMPLETION = ("completed", "incomplete", "not attempted", "unknown")
SUCCESS = ("passed", "failed", "unknown")
SCALED = _ranged(REAL, "a real", -1, 1)
RAW = _match(REAL, "a real(10,7)")


def _elements_2004(fourth: bool) -> dict[str, Check]:
    rules = {
        "cmi.completion_status": _enum(*COMPLETION),
        "cmi.success_status": _enum(*SUCCESS),
        "cmi.exit": _enum("time-out", "suspend", "logout", "normal", ""),
        "cmi.session_time": _match(DURATION, "an ISO 8601 duration (≤ 2 fraction digits)"),
        "cmi.location": _length(1000),
        "cmi.suspend_data": _length(64000 if fourth else 4000),
        "cmi.progress_measure": _ranged(REAL, "a real", 0, 1),
        "cmi.score.scaled": SCALED,
        "cmi.score.raw": RAW,
        "cmi.score.min": RAW,
        "cmi.score.max": RAW,
        "cmi.objectives.n.id": _long_identifier,
        "cmi.objectives.n.completion_status": _enum(*COMPLETION),
        "cmi.objectives.n.success_status": _enum(*SUCCESS),
        "cmi.objectives.n.progress_measure": _ranged(REAL, "a real", 0, 1),
        "cmi.objectives.n.description": _lang_string(250),
        "cmi.objectives.n.score.scaled": SCALED,
        "cmi.objectives.n.score.raw": RAW,
        "cmi.objectives.n.score.min": RAW,
        "cmi.objectives.n.score.max": RAW,
        "cmi.interactions.n.id": _long_identifier,
        "cmi.interactions.n.objectives.n.id": _long_identifier,
        "cmi.interactions.n.type": _enum(
            "true-false", "choice", "fill-in", "long-fill-in", "matching", "performance",
            "sequencing", "likert", "numeric", "other",
        ),
        "cmi.interactions.n.timestamp": _match(TIMESTAMP, "a time with ≤ 2 fraction digits"),
        "cmi.interactions.n.weighting": RAW,
        "cmi.interactions.n.result": lambda v: None
        if v in ("correct", "incorrect", "unanticipated", "neutral") or REAL.match(v)
        else f"{v!r} is not a 2004 result",
        "cmi.interactions.n.latency": _match(DURATION, "an ISO 8601 duration"),
        "cmi.interactions.n.description": _lang_string(250),
        "cmi.interactions.n.learner_response": lambda v: None,  # by type: see _responses
        "cmi.interactions.n.correct_responses.n.pattern": lambda v: None,
    }
    if not fourth:  # objective descriptions came with the 4th edition (3rd: error 401)
        del rules["cmi.objectives.n.description"]
    return rules


def elements(version: str) -> dict[str, Check]:
    if version == "1.2":
        return ELEMENTS_12
    return _elements_2004(fourth=version != "2004-3rd")


def model_name(element: str) -> str:
    """``cmi.interactions.3.correct_responses.0.pattern`` -> ``cmi.interactions.n.correct_…``"""
    return re.sub(r"\.\d+(?=\.|$)", ".n", element)


# --- responses by interaction type -------------------------------------------------------------


def _joined(item: str, separator: str) -> re.Pattern[str]:
    return re.compile(rf"^{item}({re.escape(separator)}{item})*$")


CHOICE_12 = _joined(CHAR_ID, ",")
MATCHING_12 = _joined(rf"{CHAR_ID}\.{CHAR_ID}", ",")
SHORT_ID = r"[A-Za-z0-9_.-]{1,250}"
LIST_2004 = _joined(r"[A-Za-z0-9_-]{1,250}", "[,]")
MATCHING_2004 = _joined(r"[A-Za-z0-9_-]{1,250}\[\.\][A-Za-z0-9_-]{1,250}", "[,]")
NUMERIC_RANGE = re.compile(r"^(-?\d{1,10}(\.\d{1,7})?)?\[:\](-?\d{1,10}(\.\d{1,7})?)?$")
#: Correct-response patterns an LMS must keep per type (SCORM 2004 smallest permitted maximum).
PATTERNS_SPM = {
    "true-false": 1, "choice": 10, "fill-in": 5, "long-fill-in": 5, "likert": 1, "matching": 5,
    "performance": 5, "sequencing": 5, "numeric": 1, "other": 1,
}


def _distinct(value: str, separator: str) -> str | None:
    items = value.split(separator)
    return None if len(set(items)) == len(items) else f"{value!r} repeats an item"


def response_problem(version: str, kind: str, value: str, pattern: bool) -> str | None:
    """A learner response (or, ``pattern``, a correct-response pattern) of an interaction of
    type ``kind``, in ``version``'s format; None when it is right."""
    if version == "1.2":
        return _response_12(kind, value)
    return _response_2004(kind, value, pattern)


def _response_12(kind: str, value: str) -> str | None:
    if len(value) > 255:
        return f"{len(value)} characters, above 255"
    rules: dict[str, Callable[[], str | None]] = {
        "true-false": lambda: None if value in ("t", "f", "0", "1") else "not t/f",
        "choice": lambda: None if CHOICE_12.match(value) else "not single characters joined "
        "by commas" if value else None,
        "sequencing": lambda: None if CHOICE_12.match(value) else "not single characters "
        "joined by commas",
        "matching": lambda: None if MATCHING_12.match(value) else "not 1.a,2.b pairs",
        "likert": lambda: None if re.match(rf"^{CHAR_ID}?$", value) else "not one character",
        "numeric": lambda: None if NUMBER_12.match(value) else "not a decimal",
        "fill-in": lambda: None,
        "performance": lambda: None,
    }
    rule = rules.get(kind)
    problem = rule() if rule else f"unknown type {kind!r}"
    if problem is None and kind == "choice" and value:
        problem = _distinct(value, ",")
    return None if problem is None else f"{value!r}: {problem} ({kind})"


def _fill_in_2004(value: str, limit: int, pattern: bool, many: bool) -> str | None:
    text = value
    if pattern:
        text = re.sub(r"^\{case_matters=(true|false)\}", "", text)
        if many:
            text = re.sub(r"^\{order_matters=(true|false)\}", "", text)
    parts = text.split("[,]") if many else [text]
    if many and len(parts) > 10:
        return f"{len(parts)} strings, above 10"
    for part in parts:
        problem = _lang_string(limit)(part)
        if problem:
            return problem
    return None


def _response_2004(kind: str, value: str, pattern: bool) -> str | None:
    rules: dict[str, Callable[[], str | None]] = {
        "true-false": lambda: None if value in ("true", "false") else "not true/false",
        "choice": lambda: None if LIST_2004.match(value) else "not ids joined by [,]",
        "sequencing": lambda: None if LIST_2004.match(value) else "not ids joined by [,]",
        "matching": lambda: None if MATCHING_2004.match(value) else "not src[.]tgt[,]… pairs",
        "likert": lambda: None if re.match(rf"^{SHORT_ID}$", value) else "not one id",
        "numeric": lambda: (None if NUMERIC_RANGE.match(value) else "not min[:]max")
        if pattern
        else (None if REAL.match(value) else "not a real(10,7)"),
        "fill-in": lambda: _fill_in_2004(value, 250, pattern, many=True),
        "long-fill-in": lambda: _fill_in_2004(value, 4000, pattern, many=False),
        "performance": lambda: None,
        "other": lambda: None if len(value) <= 4000 else "above 4000 characters",
    }
    rule = rules.get(kind)
    problem = rule() if rule else f"unknown type {kind!r}"
    if problem is None and kind == "choice":
        problem = _distinct(value, "[,]")
    return None if problem is None else f"{value[:60]!r}: {problem} ({kind})"


# --- calls -------------------------------------------------------------------------------------

NAMES = {
    "1.2": {"init": "LMSInitialize", "finish": "LMSFinish", "set": "LMSSetValue"},
    "2004": {"init": "Initialize", "finish": "Terminate", "set": "SetValue"},
}
SCORE = {"1.2": "cmi.core.score.raw", "2004": "cmi.score.scaled"}
#: Statuses that a scored SCO only writes once its score is there.
FINAL_STATUS = {
    "1.2": {"cmi.core.lesson_status": ("passed", "failed", "completed")},
    "2004": {"cmi.success_status": ("passed", "failed"), "cmi.completion_status": ("completed",)},
}
INTERACTION = re.compile(r"^cmi\.interactions\.(\d+)\.(.+)$")
OBJECTIVE_ID = re.compile(r"^cmi\.objectives\.(\d+)\.id$")


def _family(version: str) -> str:
    return "1.2" if version == "1.2" else "2004"


def call_problems(
    version: str,
    calls: Iterable[Mapping[str, Any]],
    initial: Mapping[str, str] | None = None,
    scored: bool = False,
) -> list[str]:
    """Problems of one session's API calls (``{fn, args, result}``, in order): what the SCO
    wrote, and the order it wrote it in. ``initial`` is the data the LMS launched it with;
    ``scored``: the SCO holds the post-test, so a final status needs a score before it."""
    family = _family(version)
    names = NAMES[family]
    rules = elements(version)
    calls = list(calls)
    problems: list[str] = []
    if not calls or calls[0]["fn"] != names["init"]:
        problems.append(f"the first call is not {names['init']}")
    finishes = [i for i, c in enumerate(calls) if c["fn"] == names["finish"]]
    if len(finishes) > 1:
        problems.append(f"{names['finish']} called {len(finishes)} times")
    if finishes and finishes[0] != len(calls) - 1:
        problems.append(f"calls after {names['finish']}: {calls[finishes[0] + 1]['fn']}")
    types: dict[str, str] = {}
    fields: dict[str, set[str]] = {}
    objectives: dict[str, str] = {
        k.split(".")[2]: v for k, v in (initial or {}).items() if OBJECTIVE_ID.match(k)
    }
    score_set = False
    for number, call in enumerate(calls):
        if call["fn"] != names["set"]:
            continue
        element, value = call["args"][0], call["args"][1]
        where = f"call {number}: {element}"
        rule = rules.get(model_name(element))
        if rule is None:
            problems.append(f"{where}: not an element ceforge should write")
            continue
        problem = rule(value)
        if problem:
            problems.append(f"{where}: {problem}")
        if element == SCORE[family] or (initial or {}).get(SCORE[family]):
            score_set = True
        if scored and value in FINAL_STATUS[family].get(element, ()) and not score_set:
            problems.append(f"{where} = {value} before any score")
        found = OBJECTIVE_ID.match(element)
        if found and call["result"] == "true":
            index = found.group(1)
            elsewhere = [i for i, v in objectives.items() if v == value and i != index]
            if elsewhere:
                problems.append(f"{where}: {value!r} is already objective {elsewhere[0]}")
            objectives[index] = value
        problems += _interaction_order(version, element, value, types, fields, where)
    return problems


def _interaction_order(
    version: str,
    element: str,
    value: str,
    types: dict[str, str],
    fields: dict[str, set[str]],
    where: str,
) -> list[str]:
    found = INTERACTION.match(element)
    if not found:
        return []
    index, field = found.groups()
    seen = fields.setdefault(index, set())
    problems = []
    if field != "id" and "id" not in seen:
        problems.append(f"{where}: written before the interaction's id")
    if field == "type":
        types[index] = value
    response = field in ("student_response", "learner_response") or field.startswith(
        "correct_responses."
    )
    if response:
        if index not in types:
            problems.append(f"{where}: a response written before the interaction's type")
        else:
            problem = response_problem(version, types[index], value, field != "learner_response"
                                       and field != "student_response")
            if problem:
                problems.append(f"{where}: {problem}")
    seen.add(field)
    return problems


# --- the data the LMS keeps --------------------------------------------------------------------


def interactions(cmi: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The interaction records of flattened data, by index: fields, and ``correct_responses``
    as a list of patterns."""
    records: dict[int, dict[str, Any]] = {}
    for key, value in cmi.items():
        found = INTERACTION.match(key)
        if not found:
            continue
        record = records.setdefault(int(found.group(1)), {"patterns": {}})
        field = found.group(2)
        pattern = re.match(r"^correct_responses\.(\d+)\.pattern$", field)
        if pattern:
            record["patterns"][int(pattern.group(1))] = str(value)
        elif "." not in field and field not in ("correct_responses", "objectives"):
            record[field] = str(value)
    out = []
    for index in sorted(records):
        record = records[index]
        patterns = record.pop("patterns")
        record["correct_responses"] = [patterns[i] for i in sorted(patterns)]
        record["index"] = index
        out.append(record)
    return out


def data_problems(version: str, cmi: Mapping[str, Any]) -> list[str]:
    """Problems of the data the LMS keeps after a session (flattened ``cmi.…`` keys)."""
    family = _family(version)
    rules = elements(version)
    problems = []
    for key, raw in cmi.items():
        value = str(raw)
        rule = rules.get(model_name(key))
        if rule is None or value == "" or key.endswith("_count"):
            continue  # an element the SCO does not write, or the LMS's empty default
        problem = rule(value)
        if problem:
            problems.append(f"{key}: {problem}")
    response_field = "student_response" if family == "1.2" else "learner_response"
    records = interactions(cmi)
    if [r["index"] for r in records] != list(range(len(records))):
        problems.append("interaction indexes are not 0..n-1")
    for record in records:
        where = f"cmi.interactions.{record['index']}"
        kind = record.get("type", "")
        if not record.get("id") or not kind:
            problems.append(f"{where}: no id or no type")
            continue
        if record.get(response_field):
            problem = response_problem(version, kind, record[response_field], pattern=False)
            if problem:
                problems.append(f"{where}.{response_field}: {problem}")
        for n, pattern in enumerate(record["correct_responses"]):
            problem = response_problem(version, kind, pattern, pattern=True)
            if problem:
                problems.append(f"{where}.correct_responses.{n}.pattern: {problem}")
        limit = PATTERNS_SPM.get(kind, 1)
        if family == "2004" and len(record["correct_responses"]) > limit:
            problems.append(f"{where}: {len(record['correct_responses'])} correct responses, "
                            f"above the {limit} an LMS must keep for {kind}")
    return problems
