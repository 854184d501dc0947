"""The strict LMS simulator against a table of the standards: values that must be accepted, and
values and calls that must be refused with a given error code, for SCORM 1.2 and SCORM 2004
(4th edition, and the 3rd where it differs).

Each row runs in Chromium against the JavaScript simulator itself (``static/lms/``, loaded
into a blank page): a fresh simulator, a launch, Initialize (unless the row is about the call
order), the row's setup calls (which must all succeed), then the call under test. The row
gives the error code ``GetLastError`` must return and, for reads, the value.

References: SCORM 1.2 RTE sections 3.3 (API, error codes) and 3.4 (data model); SCORM 2004 4th
edition RTE sections 3.1.7 (error codes) and 4.1-4.2 (data types, data model); STANDARDS.md.
scorm-again accepts several of the values refused here (see STANDARDS.md): the table is what
the standards say, not what one implementation does.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

STATIC = Path(__file__).resolve().parents[2] / "src" / "ceforge" / "preview" / "static" / "lms"
SCRIPTS = ("types.js", "engine.js", "scorm12.js", "scorm2004.js")

S12 = "scorm12"
S04 = "scorm2004"
S04_3RD = "scorm2004-3rd"

Step = tuple[str, str, str]


@dataclass(frozen=True)
class Case:
    standard: str
    #: initialize, terminate, commit, get or set
    call: str
    element: str = ""
    value: str = ""
    code: int = 0
    #: For get: the value it must return (None: not checked).
    expect: str | None = None
    setup: tuple[Step, ...] = ()
    #: The session's state before the call: not-initialized, running or terminated.
    state: str = "running"
    #: Launch data (scaledPassingScore, masteryScore, …) and LMS controls (offline, …).
    config: tuple[tuple[str, str], ...] = ()
    controls: tuple[tuple[str, bool], ...] = ()

    @property
    def id(self) -> str:
        shown = self.value if len(self.value) <= 24 else f"{self.value[:12]}…{len(self.value)}"
        what = f"{self.call}({self.element}" + (f"={shown!r}" if self.value else "") + ")"
        parts = [self.standard, what]
        if self.state != "running":
            parts.append(self.state)
        parts += [name for name, on in self.controls if on]
        if self.setup or self.config:
            digest = hashlib.sha1(repr((self.setup, self.config)).encode()).hexdigest()[:6]
            parts.append(f"after-{digest}")
        return "-".join([*parts, str(self.code)])


def set_(standard: str, element: str, value: str, code: int = 0, **kw: Any) -> Case:
    return Case(standard, "set", element, value, code, **kw)


def get(standard: str, element: str, code: int = 0, expect: str | None = None, **kw: Any) -> Case:
    return Case(standard, "get", element, "", code, expect, **kw)


def call(standard: str, name: str, code: int, value: str = "", **kw: Any) -> Case:
    return Case(standard, name, "", value, code, **kw)


def steps(*pairs: tuple[str, str]) -> tuple[Step, ...]:
    return tuple(("set", element, value) for element, value in pairs)


I12 = steps(("cmi.interactions.0.id", "q1"))
I04 = steps(("cmi.interactions.0.id", "q1"))


def typed(standard: str, kind: str) -> tuple[Step, ...]:
    return steps(("cmi.interactions.0.id", "q1"), ("cmi.interactions.0.type", kind))


def response12(kind: str, value: str, code: int = 0) -> Case:
    return set_(S12, "cmi.interactions.0.student_response", value, code, setup=typed(S12, kind))


def pattern12(kind: str, value: str, code: int = 0) -> Case:
    return set_(S12, "cmi.interactions.0.correct_responses.0.pattern", value, code,
                setup=typed(S12, kind))


def response04(kind: str, value: str, code: int = 0) -> Case:
    return set_(S04, "cmi.interactions.0.learner_response", value, code, setup=typed(S04, kind))


def pattern04(kind: str, value: str, code: int = 0, setup: tuple[Step, ...] = ()) -> Case:
    element = f"cmi.interactions.0.correct_responses.{len(setup)}.pattern"
    return set_(S04, element, value, code, setup=typed(S04, kind) + setup)


A255, A256 = "a" * 255, "a" * 256

SCORM12 = [
    # --- call order and arguments (RTE 3.3.2: 101, 201, 301) ---
    call(S12, "initialize", 0, state="not-initialized"),
    call(S12, "initialize", 101),  # already initialized
    call(S12, "initialize", 201, "x", state="not-initialized"),
    call(S12, "initialize", 101, state="terminated"),
    call(S12, "initialize", 101, state="not-initialized", controls=(("offline", True),)),
    call(S12, "terminate", 0),
    call(S12, "terminate", 301, state="not-initialized"),
    call(S12, "terminate", 301, state="terminated"),
    call(S12, "terminate", 201, "x"),
    call(S12, "terminate", 101, controls=(("offline", True),)),
    call(S12, "commit", 0),
    call(S12, "commit", 201, "x"),
    call(S12, "commit", 301, state="not-initialized"),
    call(S12, "commit", 301, state="terminated"),
    call(S12, "commit", 101, controls=(("failCommits", True),)),
    call(S12, "commit", 101, controls=(("offline", True),)),
    get(S12, "cmi.core.student_id", 301, state="not-initialized"),
    get(S12, "cmi.core.student_id", 301, state="terminated"),
    set_(S12, "cmi.core.lesson_location", "p1", 301, state="not-initialized"),
    set_(S12, "cmi.core.lesson_location", "p1", 301, state="terminated"),
    get(S12, "", 201),
    set_(S12, "", "x", 201),
    # --- elements, keywords, access (201, 202, 203, 401, 402, 403, 404) ---
    get(S12, "cmi.core.student_id", expect="preview-learner",
        config=(("learnerId", "preview-learner"),)),
    get(S12, "cmi.core.lesson_status", expect="not attempted"),
    get(S12, "cmi.core.entry", expect="ab-initio"),
    get(S12, "cmi.core.total_time", expect="0000:00:00.00"),
    get(S12, "cmi.student_data.mastery_score", expect="80", config=(("masteryScore", "80"),)),
    get(S12, "cmi.launch_data", expect="from the manifest",
        config=(("launchData", "from the manifest"),)),
    get(S12, "cmi._version", expect="3.4"),
    get(S12, "cmi.core._children", expect="student_id,student_name,lesson_location,credit,"
        "lesson_status,entry,score,total_time,lesson_mode,exit,session_time"),
    get(S12, "cmi.core.score._children", expect="raw,min,max"),
    get(S12, "cmi.interactions._count", expect="0"),
    get(S12, "cmi.interactions._count", expect="1", setup=I12),
    get(S12, "cmi.core.score.raw._children", 202),
    get(S12, "cmi.core.lesson_status._children", 202),
    get(S12, "cmi.core._count", 203),
    get(S12, "cmi.suspend_data._count", 203),
    get(S12, "cmi.core.bogus", 401),
    get(S12, "xyz.score.result", 401),
    get(S12, "cmi.completion_status", 401),  # 2004's element
    set_(S12, "cmi.bogus", "x", 401),
    set_(S12, "cmi.core._children", "x", 402),
    set_(S12, "cmi.interactions._count", "1", 402),
    set_(S12, "cmi._version", "3.5", 402),
    set_(S12, "cmi.core.student_id", "me", 403),
    set_(S12, "cmi.core.student_name", "Me", 403),
    set_(S12, "cmi.core.credit", "no-credit", 403),
    set_(S12, "cmi.core.entry", "resume", 403),
    set_(S12, "cmi.core.total_time", "0001:00:00", 403),
    set_(S12, "cmi.core.lesson_mode", "browse", 403),
    set_(S12, "cmi.launch_data", "x", 403),
    set_(S12, "cmi.comments_from_lms", "x", 403),
    set_(S12, "cmi.student_data.mastery_score", "50", 403),
    get(S12, "cmi.core.exit", 404),
    get(S12, "cmi.core.session_time", 404),
    get(S12, "cmi.interactions.0.id", 404, setup=I12),
    get(S12, "cmi.interactions.0.student_response", 404, setup=typed(S12, "choice")),
    # --- values (405: 1.2 has no range error, so out of range is 405 too) ---
    set_(S12, "cmi.core.lesson_location", A255),
    set_(S12, "cmi.core.lesson_location", A256, 405),
    *[set_(S12, "cmi.core.lesson_status", s) for s in
      ("passed", "completed", "failed", "incomplete", "browsed")],
    set_(S12, "cmi.core.lesson_status", "not attempted", 405),
    set_(S12, "cmi.core.lesson_status", "Passed", 405),
    set_(S12, "cmi.core.lesson_status", "complete", 405),
    *[set_(S12, "cmi.core.score.raw", v) for v in ("85", "0", "100", "85.5", "")],
    *[set_(S12, "cmi.core.score.raw", v, 405) for v in ("101", "-1", "abc", "1e2", "+5", "8 5")],
    set_(S12, "cmi.core.score.max", "100"),
    set_(S12, "cmi.core.score.min", "-0.5", 405),
    *[set_(S12, "cmi.core.exit", v) for v in ("suspend", "logout", "time-out", "")],
    set_(S12, "cmi.core.exit", "normal", 405),  # 2004's vocabulary
    *[set_(S12, "cmi.core.session_time", v) for v in ("00:05:30", "0000:05:30.5",
                                                      "9999:59:59.99")],
    *[set_(S12, "cmi.core.session_time", v, 405) for v in
      ("PT5M30S", "00:05:30.123", "5:30:00", "00:75:00", "00:05:60", "10000:00:00")],
    set_(S12, "cmi.suspend_data", "x" * 4096),
    set_(S12, "cmi.suspend_data", "x" * 4097, 405),
    set_(S12, "cmi.comments", "x" * 4096),
    set_(S12, "cmi.comments", "b", 405, setup=steps(("cmi.comments", "a" * 4096))),
    get(S12, "cmi.comments", expect="ab",
        setup=steps(("cmi.comments", "a"), ("cmi.comments", "b"))),
    *[set_(S12, "cmi.student_preference.audio", v) for v in ("-1", "0", "100")],
    *[set_(S12, "cmi.student_preference.audio", v, 405) for v in ("101", "-2", "0.5")],
    set_(S12, "cmi.student_preference.speed", "-100"),
    set_(S12, "cmi.student_preference.speed", "101", 405),
    set_(S12, "cmi.student_preference.text", "1"),
    set_(S12, "cmi.student_preference.text", "2", 405),
    # --- objectives and interactions: identifiers and order ---
    set_(S12, "cmi.objectives.0.id", "obj-empathy_1"),
    *[set_(S12, "cmi.objectives.0.id", v, 405) for v in ("obj 1", "obj.1", "urn:x:1", "", A256)],
    set_(S12, "cmi.objectives.0.id", A255),
    get(S12, "cmi.objectives.0.id", expect="o1", setup=steps(("cmi.objectives.0.id", "o1"))),
    get(S12, "cmi.objectives.0.score.raw", expect="", setup=steps(("cmi.objectives.0.id", "o1"))),
    get(S12, "cmi.objectives.1.id", 201, setup=steps(("cmi.objectives.0.id", "o1"))),
    set_(S12, "cmi.objectives.2.id", "o3", 201),
    set_(S12, "cmi.objectives.0.status", "not attempted"),
    set_(S12, "cmi.objectives.0.score.raw", "100.5", 405),
    set_(S12, "cmi.interactions.0.id", "q-1_a"),
    set_(S12, "cmi.interactions.0.id", "q 1", 405),
    set_(S12, "cmi.interactions.1.id", "q2", 201),
    set_(S12, "cmi.interactions.0.objectives.0.id", "obj-1", setup=I12),
    set_(S12, "cmi.interactions.0.objectives.0.id", "obj 1", 405, setup=I12),
    *[set_(S12, "cmi.interactions.0.type", t, setup=I12) for t in
      ("true-false", "choice", "fill-in", "matching", "performance", "sequencing", "likert",
       "numeric")],
    *[set_(S12, "cmi.interactions.0.type", t, 405, setup=I12) for t in
      ("long-fill-in", "other", "Choice")],
    set_(S12, "cmi.interactions.0.time", "09:30:00", setup=I12),
    set_(S12, "cmi.interactions.0.time", "23:59:59.99", setup=I12),
    *[set_(S12, "cmi.interactions.0.time", v, 405, setup=I12) for v in
      ("24:00:00", "09:30", "2026-01-05T09:30:00", "09:30:00.123")],
    set_(S12, "cmi.interactions.0.weighting", "1.5", setup=I12),
    set_(S12, "cmi.interactions.0.weighting", "x", 405, setup=I12),
    *[set_(S12, "cmi.interactions.0.result", v, setup=I12) for v in
      ("correct", "wrong", "unanticipated", "neutral", "0.5")],
    set_(S12, "cmi.interactions.0.result", "incorrect", 405, setup=I12),  # 2004's word
    set_(S12, "cmi.interactions.0.latency", "00:00:05.25", setup=I12),
    set_(S12, "cmi.interactions.0.latency", "PT5S", 405, setup=I12),
    # --- responses by interaction type (CMIFeedback, RTE 3.4.2.7) ---
    *[response12("true-false", v) for v in ("t", "f", "0", "1")],
    *[response12("true-false", v, 405) for v in ("true", "T", "yes")],
    *[response12("choice", v) for v in ("a", "a,b", "{a,b}", "0,z")],
    *[response12("choice", v, 405) for v in ("ab", "A", "a[,]b", "a,", "aa,b", "")],
    *[response12("matching", v) for v in ("1.a", "1.a,2.b")],
    *[response12("matching", v, 405) for v in ("1-a", "1[.]a", "1.a,2")],
    *[response12("sequencing", v) for v in ("c,a,b",)],
    *[response12("sequencing", v, 405) for v in ("cab", "c[,]a")],
    response12("likert", "3"),
    response12("likert", "34", 405),
    response12("numeric", "3.5"),
    response12("numeric", "three", 405),
    response12("fill-in", "Regard"),
    response12("fill-in", A256, 405),
    response12("performance", "any text at all"),
    pattern12("choice", "a"),
    pattern12("choice", "a[,]b", 405),
    pattern12("true-false", "t"),
    pattern12("true-false", "true", 405),
]

L4000 = "x" * 4000

SCORM2004 = [
    # --- call order and arguments (RTE 3.1.7) ---
    call(S04, "initialize", 0, state="not-initialized"),
    call(S04, "initialize", 102, state="not-initialized", controls=(("offline", True),)),
    call(S04, "initialize", 103),
    call(S04, "initialize", 104, state="terminated"),
    call(S04, "initialize", 201, "x", state="not-initialized"),
    call(S04, "terminate", 0),
    call(S04, "terminate", 111, controls=(("offline", True),)),
    call(S04, "terminate", 112, state="not-initialized"),
    call(S04, "terminate", 113, state="terminated"),
    call(S04, "terminate", 201, "x"),
    get(S04, "cmi.learner_id", 122, state="not-initialized"),
    get(S04, "cmi.learner_id", 123, state="terminated"),
    set_(S04, "cmi.location", "p1", 132, state="not-initialized"),
    set_(S04, "cmi.location", "p1", 133, state="terminated"),
    call(S04, "commit", 0),
    call(S04, "commit", 142, state="not-initialized"),
    call(S04, "commit", 143, state="terminated"),
    call(S04, "commit", 201, "x"),
    call(S04, "commit", 391, controls=(("failCommits", True),)),
    call(S04, "commit", 391, controls=(("offline", True),)),
    # --- elements, keywords, access (301, 351, 401, 402, 403, 404, 405) ---
    get(S04, "cmi._version", expect="1.0"),
    get(S04, "cmi.completion_status", expect="unknown"),
    get(S04, "cmi.success_status", expect="unknown"),
    get(S04, "cmi.entry", expect="ab-initio"),
    get(S04, "cmi.mode", expect="normal"),
    get(S04, "cmi.credit", expect="credit"),
    get(S04, "cmi.total_time", expect="PT0H0M0S"),
    get(S04, "cmi.score._children", expect="scaled,raw,min,max"),
    get(S04, "cmi.interactions._count", expect="0"),
    get(S04, "cmi.scaled_passing_score", expect="0.8", config=(("scaledPassingScore", "0.8"),)),
    get(S04, "adl.nav.request_valid.continue", expect="unknown"),
    get(S04, "adl.nav.request_valid.choice.{target=sco-2}", expect="unknown"),
    get(S04, "", 301),
    get(S04, "cmi.location._children", 301),
    get(S04, "cmi.location._count", 301),
    get(S04, "cmi.interactions.0.id", 301),
    get(S04, "cmi.interactions.1.id", 301, setup=I04),
    set_(S04, "", "x", 351),
    set_(S04, "cmi.interactions.1.id", "q2", 351),
    set_(S04, "cmi.objectives.2.id", "o3", 351, setup=steps(("cmi.objectives.0.id", "o1"))),
    get(S04, "cmi.core.lesson_status", 401),  # 1.2's element
    get(S04, "cmi.bogus", 401),
    set_(S04, "cmi.location.bogus", "x", 401),
    get(S04, "adl.data._count", 402),
    get(S04, "adl.data.0.store", 402),
    get(S04_3RD, "adl.data._count", 401),  # the 3rd edition has no adl.data
    *[get(S04, e, 403) for e in
      ("cmi.location", "cmi.suspend_data", "cmi.score.scaled", "cmi.score.raw",
       "cmi.progress_measure", "cmi.launch_data", "cmi.scaled_passing_score",
       "cmi.completion_threshold", "cmi.max_time_allowed")],
    get(S04, "cmi.interactions.0.result", 403, setup=I04),
    get(S04, "cmi.interactions.0.id", expect="q1", setup=I04),
    *[set_(S04, e, v, 404) for e, v in
      (("cmi.learner_id", "me"), ("cmi.learner_name", "Me"), ("cmi.credit", "no-credit"),
       ("cmi.entry", "resume"), ("cmi.mode", "review"), ("cmi.total_time", "PT1H"),
       ("cmi.completion_threshold", "0.5"), ("cmi.scaled_passing_score", "0.5"),
       ("cmi.launch_data", "x"), ("cmi.max_time_allowed", "PT1H"),
       ("cmi.time_limit_action", "exit,message"), ("cmi._version", "2.0"),
       ("cmi.interactions._count", "1"), ("cmi.score._children", "x"),
       ("cmi.comments_from_lms.0.comment", "x"), ("adl.nav.request_valid.continue", "true"))],
    get(S04, "cmi.exit", 405),
    get(S04, "cmi.session_time", 405),
    # --- vocabularies and types (406) and ranges (407) ---
    *[set_(S04, "cmi.completion_status", v) for v in
      ("completed", "incomplete", "not attempted", "unknown")],
    *[set_(S04, "cmi.completion_status", v, 406) for v in ("complete", "Completed", "passed")],
    *[set_(S04, "cmi.success_status", v) for v in ("passed", "failed", "unknown")],
    set_(S04, "cmi.success_status", "pass", 406),
    *[set_(S04, "cmi.exit", v) for v in ("time-out", "suspend", "logout", "normal", "")],
    set_(S04, "cmi.exit", "finished", 406),
    *[set_(S04, "cmi.session_time", v) for v in
      ("PT1M5.25S", "PT0S", "P1DT2H", "PT1H30M", "P1Y2M3DT4H5M6.7S")],
    *[set_(S04, "cmi.session_time", v, 406) for v in
      ("PT", "P", "PT1M5.255S", "00:01:05", "P1W", "PT1.5M", "1M", "P1DT")],
    *[set_(S04, "cmi.score.scaled", v) for v in ("-1", "0", "0.85", "1")],
    *[set_(S04, "cmi.score.scaled", v, 407) for v in ("1.01", "-1.5")],
    *[set_(S04, "cmi.score.scaled", v, 406) for v in ("abc", "1e-1", "", ".5")],
    set_(S04, "cmi.score.raw", "-250.5"),
    *[set_(S04, "cmi.progress_measure", v) for v in ("0", "0.5", "1")],
    *[set_(S04, "cmi.progress_measure", v, 407) for v in ("1.2", "-0.1")],
    set_(S04, "cmi.location", "x" * 1000),
    set_(S04, "cmi.location", "x" * 1001, 406),
    set_(S04, "cmi.suspend_data", "x" * 64000),
    set_(S04, "cmi.suspend_data", "x" * 64001, 406),
    set_(S04_3RD, "cmi.suspend_data", "x" * 4000),
    set_(S04_3RD, "cmi.suspend_data", "x" * 4001, 406),
    set_(S04, "cmi.learner_preference.audio_level", "2.5"),
    set_(S04, "cmi.learner_preference.audio_level", "-1", 407),
    set_(S04, "cmi.learner_preference.delivery_speed", "-0.5", 407),
    *[set_(S04, "cmi.learner_preference.audio_captioning", v) for v in ("-1", "0", "1")],
    set_(S04, "cmi.learner_preference.audio_captioning", "2", 407),
    set_(S04, "cmi.learner_preference.audio_captioning", "yes", 406),
    *[set_(S04, "cmi.learner_preference.language", v) for v in ("en", "en-US", "", "fr-CA")],
    set_(S04, "cmi.learner_preference.language", "english", 406),
    *[set_(S04, "adl.nav.request", v) for v in ("continue", "previous", "exitAll", "_none_",
                                                "{target=sco-2}choice", "{target=sco-2}jump")],
    set_(S04, "adl.nav.request", "start", 406),
    set_(S04_3RD, "adl.nav.request", "{target=sco-2}jump", 406),  # jump is the 4th edition's
    set_(S04, "cmi.comments_from_learner.0.comment", "{lang=en}Helpful"),
    set_(S04, "cmi.comments_from_learner.0.comment", "{lang=english}Helpful", 406),
    set_(S04, "cmi.comments_from_learner.0.timestamp", "2026-01-05T09:30:00.5Z"),
    # --- identifiers (long_identifier_type, short_identifier_type) ---
    *[set_(S04, "cmi.interactions.0.id", v) for v in
      ("q1", "kc-empathy.additive_1", "urn:ceforge:q1", "https://example.org/q/1?x=1#y",
       "q%20one")],
    *[set_(S04, "cmi.interactions.0.id", v, 406) for v in
      ("q 1", "", "urn:x", "urn::q1", "q%zz", "qué", "q\t1", "x" * 4001)],
    set_(S04, "cmi.objectives.0.id", "obj-empathy-1"),
    set_(S04, "cmi.objectives.0.id", "obj 1", 406),
    # --- dependencies (408) and uniqueness (351) ---
    set_(S04, "cmi.interactions.0.type", "choice", 408),
    set_(S04, "cmi.interactions.0.learner_response", "a", 408, setup=I04),
    set_(S04, "cmi.interactions.0.correct_responses.0.pattern", "a", 408, setup=I04),
    set_(S04, "cmi.interactions.0.result", "correct", 408),
    set_(S04, "cmi.interactions.0.objectives.0.id", "obj-1", 408),
    set_(S04, "cmi.objectives.0.score.scaled", "0.5", 408),
    set_(S04, "cmi.objectives.0.success_status", "passed", 408),
    set_(S04, "cmi.interactions.0.objectives.0.id", "obj-1", setup=I04),
    set_(S04, "cmi.interactions.0.objectives.1.id", "obj-1", 351,
         setup=I04 + steps(("cmi.interactions.0.objectives.0.id", "obj-1"))),
    set_(S04, "cmi.objectives.1.id", "o1", 351, setup=steps(("cmi.objectives.0.id", "o1"))),
    set_(S04, "cmi.objectives.0.id", "o2", 351, setup=steps(("cmi.objectives.0.id", "o1"))),
    set_(S04, "cmi.objectives.0.id", "o1", setup=steps(("cmi.objectives.0.id", "o1"))),
    pattern04("true-false", "false", 351, setup=steps(
        ("cmi.interactions.0.correct_responses.0.pattern", "true"))),
    pattern04("numeric", "2[:]3", 351, setup=steps(
        ("cmi.interactions.0.correct_responses.0.pattern", "1[:]2"))),
    pattern04("choice", "a", 351, setup=steps(
        ("cmi.interactions.0.correct_responses.0.pattern", "a"))),
    pattern04("choice", "b", setup=steps(
        ("cmi.interactions.0.correct_responses.0.pattern", "a"))),
    pattern04("fill-in", "positive regard", setup=steps(
        ("cmi.interactions.0.correct_responses.0.pattern", "regard"))),
    # --- interaction values ---
    *[set_(S04, "cmi.interactions.0.type", t, setup=I04) for t in
      ("true-false", "choice", "fill-in", "long-fill-in", "likert", "matching", "performance",
       "sequencing", "numeric", "other")],
    set_(S04, "cmi.interactions.0.type", "essay", 406, setup=I04),
    *[set_(S04, "cmi.interactions.0.result", v, setup=I04) for v in
      ("correct", "incorrect", "unanticipated", "neutral", "-0.5")],
    set_(S04, "cmi.interactions.0.result", "wrong", 406, setup=I04),  # 1.2's word
    set_(S04, "cmi.interactions.0.latency", "PT5.25S", setup=I04),
    set_(S04, "cmi.interactions.0.latency", "00:00:05", 406, setup=I04),
    set_(S04, "cmi.interactions.0.weighting", "2", setup=I04),
    set_(S04, "cmi.interactions.0.description", "{lang=en}" + "d" * 250, setup=I04),
    set_(S04, "cmi.interactions.0.description", "d" * 251, 406, setup=I04),
    *[set_(S04, "cmi.interactions.0.timestamp", v, setup=I04) for v in
      ("2026-01-05T09:30:00.5Z", "2026-01-05T09:30:00.12+01:00", "2026-01-05T09:30:00",
       "2026-01-05", "2026", "2024-02-29T00:00:00.0Z", "2038-12-31")],
    *[set_(S04, "cmi.interactions.0.timestamp", v, 406, setup=I04) for v in
      ("2026-01-05T09:30:00.123Z", "2026-02-30", "2025-02-29", "1969-12-31", "2039-01-01",
       "2026-01-05T24:00:00", "2026-01-05T09:30:00Z", "2026-1-5", "05/01/2026")],
    # --- responses by interaction type (RTE 4.2.9.2) ---
    *[response04("true-false", v) for v in ("true", "false")],
    *[response04("true-false", v, 406) for v in ("t", "1", "True")],
    *[response04("choice", v) for v in ("a", "a[,]c", "choice-1[,]choice-2", "")],
    *[response04("choice", v, 406) for v in ("a[,]a", "a b", "a[,]")],
    *[response04("fill-in", v) for v in ("regard", "{lang=en}regard[,]positive regard")],
    response04("fill-in", "[,]".join(["x"] * 11), 406),
    response04("fill-in", "x" * 251, 406),
    response04("long-fill-in", L4000),
    response04("long-fill-in", L4000 + "x", 406),
    response04("likert", "5"),
    response04("likert", "", 406),
    *[response04("matching", v) for v in ("1[.]a", "1[.]a[,]2[.]b")],
    *[response04("matching", v, 406) for v in ("1.a", "1[.]a[.]b", "1[.]", "")],
    *[response04("sequencing", v) for v in ("c[,]a[,]b", "a")],
    *[response04("sequencing", v, 406) for v in ("", "c,a b")],
    *[response04("numeric", v) for v in ("3.5", "-2", "0")],
    *[response04("numeric", v, 406) for v in ("3,5", "three", "1[:]2")],
    response04("performance", "step1[.]a[,]step2[.]3.5"),
    response04("performance", "[.]", 406),
    response04("other", "anything at all"),
    *[pattern04("numeric", v) for v in ("45[:]60", "[:]60", "45[:]", "4")],
    *[pattern04("numeric", v, 406) for v in ("60[:]45", "a[:]b", "1[:]2[:]3")],
    *[pattern04("fill-in", v) for v in
      ("{case_matters=true}{order_matters=false}regard", "{order_matters=true}a[,]b")],
    *[pattern04("fill-in", v, 406) for v in ("{case_matters=maybe}regard",
                                             "{case_matters=true}{case_matters=false}x")],
    pattern04("long-fill-in", "{case_matters=false}" + L4000),
    pattern04("long-fill-in", "{order_matters=false}x", 406),
    pattern04("performance", "{order_matters=false}step1[.]1[:]5"),
    pattern04("choice", "a[,]c"),
    pattern04("choice", "a[,]a", 406),
    pattern04("matching", "1[.]a[,]2[.]b[,]3[.]a"),
    pattern04("sequencing", "a[,]b[,]c"),
    pattern04("true-false", "true"),
    pattern04("true-false", "t", 406),
    # --- statuses the LMS decides from the package's measures (RTE 4.2.4, 4.2.22) ---
    get(S04, "cmi.success_status", expect="passed", config=(("scaledPassingScore", "0.8"),),
        setup=steps(("cmi.score.scaled", "0.85"))),
    get(S04, "cmi.success_status", expect="failed", config=(("scaledPassingScore", "0.8"),),
        setup=steps(("cmi.score.scaled", "0.5"), ("cmi.success_status", "passed"))),
    get(S04, "cmi.success_status", expect="unknown", config=(("scaledPassingScore", "0.8"),),
        setup=steps(("cmi.success_status", "passed"))),
    get(S04, "cmi.completion_status", expect="incomplete",
        config=(("completionThreshold", "0.9"),), setup=steps(("cmi.progress_measure", "0.5"))),
    get(S04, "cmi.completion_status", expect="completed",
        config=(("completionThreshold", "0.9"),), setup=steps(("cmi.progress_measure", "0.95"))),
]

CASES = SCORM12 + SCORM2004

RUN = """(cases) => cases.map((c) => {
  const [standard, edition] = c.standard === "scorm2004-3rd" ? ["scorm2004", 3]
    : [c.standard, 4];
  const sim = CeforgeLms.create(standard, {edition});
  sim.launch(Object.fromEntries(c.config));
  const api = sim.api;
  const n = sim.spec.names;
  if (c.state !== "not-initialized") api[n.initialize]("");
  for (const [kind, element, value] of c.setup) {
    if (kind === "set") api[n.setValue](element, value);
    const code = api[n.getLastError]();
    if (code !== "0") return {setup: [element, value, code, api[n.getDiagnostic]("")]};
  }
  if (c.state === "terminated") api[n.terminate]("");
  Object.assign(sim.controls, Object.fromEntries(c.controls));
  let result;
  if (c.call === "get") result = api[n.getValue](c.element);
  else if (c.call === "set") result = api[n.setValue](c.element, c.value);
  else result = api[n[c.call]](c.value);
  const code = api[n.getLastError]();
  return {result, code: Number(code), text: api[n.getErrorString](code),
          diagnostic: api[n.getDiagnostic]("")};
})"""


@pytest.fixture(scope="module")
def outcomes(chromium: Any) -> dict[str, dict[str, Any]]:
    context = chromium.new_context()
    page: Page = context.new_page()
    page.set_content("<!DOCTYPE html><html lang=en><title>simulator</title></html>")
    for script in SCRIPTS:
        page.add_script_tag(path=str(STATIC / script))
    rows = [asdict(c) | {"config": list(c.config), "controls": list(c.controls),
                         "setup": [list(s) for s in c.setup]} for c in CASES]
    results: list[dict[str, Any]] = page.evaluate(RUN, rows)
    context.close()
    return {case.id: result for case, result in zip(CASES, results, strict=True)}


def test_the_table_covers_every_error_code_of_both_standards() -> None:
    codes12 = {c.code for c in SCORM12}
    codes04 = {c.code for c in SCORM2004}
    assert codes12 >= {0, 101, 201, 202, 203, 301, 401, 402, 403, 404, 405}
    assert codes04 >= {0, 102, 103, 104, 111, 112, 113, 122, 123, 132, 133, 142, 143, 201, 301,
                       351, 391, 401, 402, 403, 404, 405, 406, 407, 408}
    assert len({c.id for c in CASES}) == len(CASES), "two rows of the table are the same"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_simulator(outcomes: dict[str, dict[str, Any]], case: Case) -> None:
    outcome = outcomes[case.id]
    assert "setup" not in outcome, f"a setup call failed: {outcome.get('setup')}"
    assert outcome["code"] == case.code, (
        f"expected {case.code}, got {outcome['code']} {outcome['text']}: {outcome['diagnostic']}")
    if case.call in ("set", "initialize", "terminate", "commit"):
        assert outcome["result"] == ("true" if case.code == 0 else "false")
    if case.call == "get" and case.code:
        assert outcome["result"] == ""
    if case.expect is not None:
        assert outcome["result"] == case.expect
    if case.code:
        assert outcome["text"], "every error code has its standard text"
        assert outcome["diagnostic"], "every error says what went wrong"
