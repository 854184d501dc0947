"""A strict validator of the SCORM run-time data a SCO writes: ours, not scorm-again's.

scorm-again (the LMS of the browser tests) is lenient where real LMSs are not: it keeps 64000
characters of SCORM 1.2 ``suspend_data``, identifiers with spaces, and any text as a 1.2
response. These rules follow the standards (``../shared/STANDARDS.md``, the RTE books), and
check two things:

- ``call_problems(version, calls)``: every ``SetValue`` a SCO made (element and value, in
  order: an array's entries appended at ``_count``, ids first and types before responses, ids
  unique where the standard asks, the score before the status it goes with, Initialize first
  and Terminate once, last);
- ``data_problems(version, cmi)``: the data the LMS ended with (flattened, as
  ``cmi.interactions.0.id``): each interaction complete, its responses in its type's format,
  the limits of ``suspend_data`` and ``location``.

Each returns a list of readable problems; empty means valid. ``version`` is ``"1.2"``,
``"2004"`` (4th edition) or ``"2004-3rd"``.

The table of ``scorm_datamodel_cases.json`` holds the verdicts: this validator accepts exactly
the SetValue cases an LMS answers with 0, except where ceforge holds its own SCOs to more (a
case's ``ceforge`` reason): identifiers of ``[A-Za-z0-9_.-]`` only (STANDARDS.md: they travel
across LMSs), and a SCORM 1.2 choice response that names each choice once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

Check = Callable[[str], str | None]

# --- value types -------------------------------------------------------------------------------

DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")  # CMIDecimal (1.2) and real(10,7) (2004): no exponent
INTEGER = re.compile(r"^-?\d+$")
TIMESPAN_12 = re.compile(r"^\d{2,4}:[0-5]\d:[0-5]\d(\.\d{1,2})?$")
TIME_12 = re.compile(r"^([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,2})?$")
IDENTIFIER_12 = re.compile(r"^[A-Za-z0-9_-]{1,255}$")
DURATION = re.compile(
    r"^P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?)?$"
)
#: time(second,10,0): YYYY[-MM[-DD[Thh[:mm[:ss[.s[TZD]]]]]]] (RTE 4.1.1.7; the zone only after
#: the fraction, as the RTE's grammar and Moodle write it).
TIMESTAMP = re.compile(
    r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})"
    r"(?:\.(\d+)(Z|[+-]\d{2}(?::?\d{2})?)?)?)?)?)?)?)?$"
)
PORTABLE_ID = re.compile(r"^[A-Za-z0-9_.-]{1,250}$")  # STANDARDS.md: ids portable across LMSs
LANGUAGE = re.compile(r"^(?:[A-Za-z]{2,3}|[iIxX])(?:-[A-Za-z0-9]{1,8})*$")
CHAR_ID = r"[0-9a-z]"
DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _enum(*values: str) -> Check:
    return lambda v: None if v in values else f"{v!r} is not one of {', '.join(values)}"


def _match(pattern: re.Pattern[str], what: str) -> Check:
    return lambda v: None if pattern.match(v) else f"{v!r} is not {what}"


def _length(limit: int) -> Check:
    return lambda v: None if len(v) <= limit else f"{len(v)} characters, above {limit}"


def _ranged(
    pattern: re.Pattern[str], what: str, low: float | None, high: float | None,
    blank: bool = False,
) -> Check:
    def check(value: str) -> str | None:
        if blank and value == "":
            return None  # SCORM 1.2's CMIBlank
        if not pattern.match(value):
            return f"{value!r} is not {what}"
        number = float(value)
        if (low is not None and number < low) or (high is not None and number > high):
            bounds = f"{'' if low is None else f'{low:g}'}..{'' if high is None else f'{high:g}'}"
            return f"{value} is outside {bounds}"
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
    """localized_string_type: an optional {lang=…} delimiter, then the text, which may not
    start with "{" (no other delimiter exists) and holds at most ``limit`` characters."""
    def check(value: str) -> str | None:
        text = value
        if value.startswith("{lang="):
            end = value.find("}")
            if end < 0 or not LANGUAGE.match(value[6:end]):
                return f"{value[:40]!r}… has no valid {{lang=…}} delimiter"
            text = value[end + 1 :]
        if text.startswith("{"):
            return f"{value[:40]!r}… starts with '{{' but no {{lang=…}} delimiter"
        return None if len(text) <= limit else f"{len(text)} characters, above {limit}"

    return check


def _time(value: str) -> str | None:
    """time(second,10,0): a real date from 1970 to 2038, at most 2 fraction digits."""
    found = TIMESTAMP.match(value)
    if not found:
        return f"{value!r} is not a time (YYYY-MM-DDThh:mm:ss.s, a zone only after a fraction)"
    year, month, day, hour, minute, second, fraction, zone = found.groups()
    if not 1970 <= int(year) <= 2038:
        return f"{value!r}: the year is outside 1970..2038"
    if month and not 1 <= int(month) <= 12:
        return f"{value!r}: no month {month}"
    if day:
        leap = int(year) % 4 == 0 and (int(year) % 100 != 0 or int(year) % 400 == 0)
        last = 28 if int(month) == 2 and not leap else DAYS[int(month) - 1]
        if not 1 <= int(day) <= last:
            return f"{value!r}: {year}-{month} has no day {day}"
    if (hour and int(hour) > 23) or (minute and int(minute) > 59) or (second and int(second) > 59):
        return f"{value!r}: not a time of day"
    if fraction and len(fraction) > 2:
        return f"{value!r}: {len(fraction)} fraction digits, at most 2"
    if zone and zone != "Z":
        digits = zone[1:].replace(":", "")
        if int(digits[:2]) > 23 or (len(digits) > 2 and int(digits[2:]) > 59):
            return f"{value!r}: no time zone {zone}"
    return None


def _nav_request(fourth: bool) -> Check:
    words = ("continue", "previous", "exit", "exitAll", "abandon", "abandonAll", "suspendAll",
             "_none_")

    def check(value: str) -> str | None:
        if value in words:
            return None
        found = re.match(r"^\{target=[^{}\s]+\}(choice|jump)$", value)
        if found and (found.group(1) == "choice" or fourth):
            return None
        return f"{value!r} is not a navigation request"

    return check


# --- the elements a SCO writes -----------------------------------------------------------------

STATUS_12 = ("passed", "completed", "failed", "incomplete", "browsed")
SCORE_12 = _ranged(DECIMAL, "a CMIDecimal", 0, 100, blank=True)
#: cmi.comments: each SetValue adds to what is there (RTE 3.4.2.4), 4096 characters in all.
COMMENTS_12 = "cmi.comments"

ELEMENTS_12: dict[str, Check] = {
    "cmi.core.lesson_status": _enum(*STATUS_12),
    "cmi.core.lesson_location": _length(255),
    "cmi.core.exit": _enum("time-out", "suspend", "logout", ""),
    "cmi.core.session_time": _match(TIMESPAN_12, "HH:MM:SS(.SS)"),
    "cmi.core.score.raw": SCORE_12,
    "cmi.core.score.min": SCORE_12,
    "cmi.core.score.max": SCORE_12,
    "cmi.suspend_data": _length(4096),
    COMMENTS_12: _length(4096),
    "cmi.student_preference.audio": _ranged(INTEGER, "a CMISInteger", -1, 100),
    "cmi.student_preference.language": _length(255),
    "cmi.student_preference.speed": _ranged(INTEGER, "a CMISInteger", -100, 100),
    "cmi.student_preference.text": _ranged(INTEGER, "a CMISInteger", -1, 1),
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
    "cmi.interactions.n.weighting": _match(DECIMAL, "a CMIDecimal"),
    "cmi.interactions.n.result": lambda v: None
    if v in ("correct", "wrong", "unanticipated", "neutral") or DECIMAL.match(v)
    else f"{v!r} is not a 1.2 result",
    "cmi.interactions.n.latency": _match(TIMESPAN_12, "HH:MM:SS(.SS)"),
    "cmi.interactions.n.student_response": _length(255),
    "cmi.interactions.n.correct_responses.n.pattern": _length(255),
}

COMPLETION = ("completed", "incomplete", "not attempted", "unknown")
SUCCESS = ("passed", "failed", "unknown")
SCALED = _ranged(DECIMAL, "a real", -1, 1)
RAW = _match(DECIMAL, "a real")


def _elements_2004(fourth: bool) -> dict[str, Check]:
    return {
        "cmi.completion_status": _enum(*COMPLETION),
        "cmi.success_status": _enum(*SUCCESS),
        "cmi.exit": _enum("time-out", "suspend", "logout", "normal", ""),
        "cmi.session_time": _match(DURATION, "an ISO 8601 duration (≤ 2 fraction digits)"),
        "cmi.location": _length(1000),
        "cmi.suspend_data": _length(64000 if fourth else 4000),
        "cmi.progress_measure": _ranged(DECIMAL, "a real", 0, 1),
        "cmi.score.scaled": SCALED,
        "cmi.score.raw": RAW,
        "cmi.score.min": RAW,
        "cmi.score.max": RAW,
        "cmi.learner_preference.audio_level": _ranged(DECIMAL, "a real", 0, None),
        "cmi.learner_preference.language": lambda v: None if v == "" or LANGUAGE.match(v)
        else f"{v!r} is not a language code",
        "cmi.learner_preference.delivery_speed": _ranged(DECIMAL, "a real", 0, None),
        "cmi.learner_preference.audio_captioning": _ranged(INTEGER, "an integer", -1, 1),
        "cmi.comments_from_learner.n.comment": _lang_string(4000),
        "cmi.comments_from_learner.n.location": _length(250),
        "cmi.comments_from_learner.n.timestamp": _time,
        "adl.nav.request": _nav_request(fourth),
        "cmi.objectives.n.id": _long_identifier,
        "cmi.objectives.n.completion_status": _enum(*COMPLETION),
        "cmi.objectives.n.success_status": _enum(*SUCCESS),
        "cmi.objectives.n.progress_measure": _ranged(DECIMAL, "a real", 0, 1),
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
        "cmi.interactions.n.timestamp": _time,
        "cmi.interactions.n.weighting": RAW,
        "cmi.interactions.n.result": lambda v: None
        if v in ("correct", "incorrect", "unanticipated", "neutral") or DECIMAL.match(v)
        else f"{v!r} is not a 2004 result",
        "cmi.interactions.n.latency": _match(DURATION, "an ISO 8601 duration"),
        "cmi.interactions.n.description": _lang_string(250),
        "cmi.interactions.n.learner_response": lambda v: None,  # by type: see _responses
        "cmi.interactions.n.correct_responses.n.pattern": lambda v: None,
    }


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


CHOICE_12 = re.compile(rf"^({CHAR_ID}(,{CHAR_ID})*|\{{{CHAR_ID}(,{CHAR_ID})*\}})$")
SEQUENCE_12 = _joined(CHAR_ID, ",")
MATCHING_12 = re.compile(
    rf"^({CHAR_ID}\.{CHAR_ID}(,{CHAR_ID}\.{CHAR_ID})*|\{{{CHAR_ID}\.{CHAR_ID}(,{CHAR_ID}\.{CHAR_ID})*\}})$"
)
SHORT_ID = r"[A-Za-z0-9_.-]{1,250}"
LIST_2004 = _joined(r"[A-Za-z0-9_-]{1,250}", "[,]")
MATCHING_2004 = _joined(r"[A-Za-z0-9_-]{1,250}\[\.\][A-Za-z0-9_-]{1,250}", "[,]")
#: Correct-response patterns an LMS must keep per type (SCORM 2004 smallest permitted maximum).
PATTERNS_SPM = {
    "true-false": 1, "choice": 10, "fill-in": 5, "long-fill-in": 5, "likert": 1, "matching": 5,
    "performance": 5, "sequencing": 5, "numeric": 1, "other": 1,
}
#: Types of which an interaction has one correct-response pattern at most (RTE 4.2.9.1).
ONE_PATTERN = frozenset({"true-false", "likert", "numeric", "other"})


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
    """CMIFeedback (RTE 3.4.4): the format of each interaction type, 255 characters."""
    if len(value) > 255:
        return f"{len(value)} characters, above 255"
    rules: dict[str, Callable[[], str | None]] = {
        "true-false": lambda: None if value in ("t", "f", "0", "1") else "not t/f",
        "choice": lambda: None if CHOICE_12.match(value) else "not single characters joined "
        "by commas",
        "sequencing": lambda: None if SEQUENCE_12.match(value) else "not single characters "
        "joined by commas",
        "matching": lambda: None if MATCHING_12.match(value) else "not 1.a,2.b pairs",
        "likert": lambda: None if re.match(rf"^{CHAR_ID}$", value) else "not one character",
        "numeric": lambda: None if DECIMAL.match(value) else "not a decimal",
        "fill-in": lambda: None,
        "performance": lambda: None,
    }
    rule = rules.get(kind)
    problem = rule() if rule else f"unknown type {kind!r}"
    if problem is None and kind == "choice":
        problem = _distinct(value.strip("{}"), ",")
    return None if problem is None else f"{value!r}: {problem} ({kind})"


def _flags(value: str, allowed: tuple[str, ...]) -> tuple[str | None, str]:
    """The problem of a pattern's leading {case_matters=…}/{order_matters=…} delimiters (each
    once, true or false, only those ``allowed``), and the text after them."""
    text, seen = value, set()
    while True:
        found = re.match(r"^\{(case_matters|order_matters)=([^}]*)\}", text)
        if not found:
            return None, text
        name, flag = found.groups()
        if name not in allowed or name in seen:
            return f"{{{name}=…}} is not allowed here", text
        if flag not in ("true", "false"):
            return f"{{{name}={flag}}}: true or false", text
        seen.add(name)
        text = text[found.end() :]


def _fill_in_2004(value: str, limit: int, pattern: bool, many: bool) -> str | None:
    text = value
    if pattern:
        problem, text = _flags(value, ("case_matters", "order_matters") if many
                               else ("case_matters",))
        if problem:
            return problem
    parts = text.split("[,]") if many else [text]
    if many and len(parts) > 10:
        return f"{len(parts)} strings, above 10"
    for part in parts:
        problem = _lang_string(limit)(part)
        if problem:
            return problem
    return None


def _range(value: str) -> str | None:
    """A numeric pattern: <min>[:]<max> (RTE 4.2.9.1), either bound left out for none."""
    parts = value.split("[:]")
    if len(parts) != 2:
        return "not min[:]max"
    if any(part and not DECIMAL.match(part) for part in parts):
        return "not min[:]max of reals"
    if all(parts) and float(parts[0]) > float(parts[1]):
        return "min is above max"
    return None


def _performance(value: str, pattern: bool) -> str | None:
    """Steps ``name[.]answer`` joined by [,]: a name (a short identifier) or an answer (a number,
    a short identifier, or in a pattern a numeric range), not neither."""
    text = value
    if pattern:
        problem, text = _flags(value, ("order_matters",))
        if problem:
            return problem
    if text == "":
        return "no step"
    for step in text.split("[,]"):
        parts = step.split("[.]")
        if len(parts) != 2 or parts == ["", ""]:
            return f"{step!r} is not step_name[.]step_answer"
        name, answer = parts
        if name and not re.match(rf"^{SHORT_ID}$", name):
            return f"{name!r} is not a step name"
        if answer and not (DECIMAL.match(answer) or re.match(rf"^{SHORT_ID}$", answer)
                           or (pattern and "[:]" in answer and _range(answer) is None)):
            return f"{answer!r} is not a step answer"
    return None


def _response_2004(kind: str, value: str, pattern: bool) -> str | None:
    rules: dict[str, Callable[[], str | None]] = {
        "true-false": lambda: None if value in ("true", "false") else "not true/false",
        # A choice response is a set of identifiers, the empty set included (RTE 4.2.9).
        "choice": lambda: None if value == "" or LIST_2004.match(value)
        else "not ids joined by [,]",
        "sequencing": lambda: None if LIST_2004.match(value) else "not ids joined by [,]",
        "matching": lambda: None if MATCHING_2004.match(value) else "not src[.]tgt[,]… pairs",
        "likert": lambda: None if re.match(rf"^{SHORT_ID}$", value) else "not one id",
        "numeric": lambda: _range(value) if pattern
        else (None if DECIMAL.match(value) else "not a real"),
        "fill-in": lambda: _fill_in_2004(value, 250, pattern, many=True),
        "long-fill-in": lambda: _fill_in_2004(value, 4000, pattern, many=False),
        "performance": lambda: _performance(value, pattern),
        "other": lambda: None if len(value) <= 4000 else "above 4000 characters",
    }
    rule = rules.get(kind)
    problem = rule() if rule else f"unknown type {kind!r}"
    if problem is None and kind == "choice" and value:
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
    calls = list(calls)
    problems: list[str] = []
    if not calls or calls[0]["fn"] != names["init"]:
        problems.append(f"the first call is not {names['init']}")
    finishes = [i for i, c in enumerate(calls) if c["fn"] == names["finish"]]
    if len(finishes) > 1:
        problems.append(f"{names['finish']} called {len(finishes)} times")
    if finishes and finishes[0] != len(calls) - 1:
        problems.append(f"calls after {names['finish']}: {calls[finishes[0] + 1]['fn']}")
    session = _Session(version, initial or {})
    score_set = bool((initial or {}).get(SCORE[family]))
    for number, call in enumerate(calls):
        if call["fn"] != names["set"]:
            continue
        element, value = call["args"][0], call["args"][1]
        where = f"call {number}: {element}"
        found = session.set(element, value, accepted=call["result"] == "true")
        problems += [f"{where}: {problem}" for problem in found]
        score_set = score_set or element == SCORE[family]
        if scored and value in FINAL_STATUS[family].get(element, ()) and not score_set:
            problems.append(f"{where} = {value} before any score")
    return problems


def set_value_problems(version: str, writes: Iterable[tuple[str, str]]) -> list[str]:
    """What is wrong with the last of ``writes`` (SetValue calls of one session, in order)."""
    session = _Session(version, {})
    found: list[str] = []
    for element, value in writes:
        found = session.set(element, value)
    return found


ARRAY_INDEX = re.compile(r"\.(\d+)(?=\.|$)")


def _arrays(element: str) -> list[tuple[str, int]]:
    """The arrays an element goes through: ``cmi.interactions.2.objectives.0.id`` ->
    ``[("cmi.interactions", 2), ("cmi.interactions.2.objectives", 0)]``."""
    return [(element[: m.start()], int(m.group(1))) for m in ARRAY_INDEX.finditer(element)]


class _Session:
    """What a SCO wrote so far in one session, to judge its next SetValue in context: array
    entries appended at ``_count``, ids before the rest of an entry, the type before
    responses, ids unique where SCORM 2004 asks, cmi.comments adding up."""

    def __init__(self, version: str, initial: Mapping[str, str]) -> None:
        self.version = version
        self.family = _family(version)
        self.rules = elements(version)
        self.values: dict[str, str] = {k: str(v) for k, v in initial.items()}
        self.counts: dict[str, int] = {}
        for key in self.values:
            self._count(key)

    def _count(self, element: str) -> None:
        for path, index in _arrays(element):
            self.counts[path] = max(self.counts.get(path, 0), index + 1)

    def set(self, element: str, value: str, accepted: bool = True) -> list[str]:
        """The problems of setting ``element`` to ``value`` (then noted as set)."""
        rule = self.rules.get(model_name(element))
        if rule is None:
            return ["not an element a SCO writes"]
        for path, index in _arrays(element):
            count = self.counts.get(path, 0)
            if index > count:
                return [f"{path} has {count} entries; the next one is {path}.{count}"]
        problems = self._order(element)
        checked = self.values.get(COMMENTS_12, "") + value if element == COMMENTS_12 else value
        problem = rule(checked)
        if problem:
            problems.append(problem)
        problems += self._response(element, value)
        if self.family == "2004" or OBJECTIVE_ID.match(element):
            problems += self._unique(element, value, accepted)
        self._count(element)
        self.values[element] = checked
        return problems

    def _order(self, element: str) -> list[str]:
        """An entry's id before its other elements (interactions in both versions, SCORM
        2004's objectives too: error 408), the type before responses."""
        arrays = _arrays(element)
        if not arrays or (self.family == "1.2" and arrays[0][0] != "cmi.interactions"):
            return []
        path, index = arrays[0]
        what = {"cmi.interactions": "interaction", "cmi.objectives": "objective"}.get(path)
        problems = []
        if what and not element.endswith(f"{path}.{index}.id") \
                and f"{path}.{index}.id" not in self.values:
            problems.append(f"written before the {what}'s id")
        if len(arrays) > 1 and arrays[1][0].endswith(".objectives"):
            nested, number = arrays[1]
            if not element.endswith(".id") and f"{nested}.{number}.id" not in self.values:
                problems.append("written before the interaction objective's id")
        return problems

    def _response(self, element: str, value: str) -> list[str]:
        found = INTERACTION.match(element)
        if not found:
            return []
        index, field = found.groups()
        if field not in ("student_response", "learner_response") and not field.startswith(
            "correct_responses."
        ):
            return []
        kind = self.values.get(f"cmi.interactions.{index}.type")
        if kind is None:
            return ["a response written before the interaction's type"]
        pattern = field.startswith("correct_responses.")
        problem = response_problem(self.version, kind, value, pattern)
        return [problem] if problem else []

    def _unique(self, element: str, value: str, accepted: bool) -> list[str]:
        """Objective ids unique and fixed once set; an interaction's objective ids unique; a
        pattern of a type that has one, once; a choice pattern not twice (SCORM 2004: 351)."""
        arrays = _arrays(element)
        problems = []
        if OBJECTIVE_ID.match(element) and accepted:
            index = arrays[0][1]
            elsewhere = [i for i in range(self.counts.get("cmi.objectives", 0))
                         if i != index and self.values.get(f"cmi.objectives.{i}.id") == value]
            if elsewhere:
                problems.append(f"{value!r} is already objective {elsewhere[0]}")
            before = self.values.get(element)
            if self.family == "2004" and before is not None and before != value:
                problems.append(f"an objective's id cannot change once set (it is {before!r})")
        if re.match(r"^cmi\.interactions\.\d+\.objectives\.\d+\.id$", element):
            nested, index = arrays[1]
            if any(self.values.get(f"{nested}.{i}.id") == value
                   for i in range(self.counts.get(nested, 0)) if i != index):
                problems.append(f"{value!r} is already an objective of the interaction")
        found = re.match(r"^(cmi\.interactions\.(\d+)\.correct_responses)\.(\d+)\.pattern$",
                         element)
        if found:
            path, interaction, index = found.group(1), found.group(2), int(found.group(3))
            kind = self.values.get(f"cmi.interactions.{interaction}.type")
            if kind in ONE_PATTERN and index >= 1:
                problems.append(f"a {kind} interaction has one correct-response pattern")
            if kind == "choice" and any(
                self.values.get(f"{path}.{i}.pattern") == value
                for i in range(self.counts.get(path, 0)) if i != index
            ):
                problems.append(f"the same pattern is {path} already")
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
