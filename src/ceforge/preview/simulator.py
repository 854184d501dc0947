"""The strict LMS simulator as Python sees it: its API calls, its data model, a launch report.

The simulator itself is JavaScript (``static/lms/``): it runs in the page that hosts the
course. What it records is plain JSON, read here:

- a log entry is an ``ApiCall`` (``{seq, session, t, call, args, result, error, errorString,
  diagnostic, warnings}``) or an ``LmsNote`` (``{seq, session, t, lms, detail}``: what the LMS
  itself did: launch, the statuses it decided at finish, an abandoned session);
- the data model is a flat ``{element: value}`` mapping with every array's ``_count``
  (``cmi.interactions.0.id``, ``cmi.interactions._count``);
- the *record* is what the LMS keeps for the learner between sessions.

``LaunchReport`` gathers one headless launch (``ceforge.preview.launch.run_headless``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

INITIALIZE = ("LMSInitialize", "Initialize")
TERMINATE = ("LMSFinish", "Terminate")
SET_VALUE = ("LMSSetValue", "SetValue")
GET_VALUE = ("LMSGetValue", "GetValue")


@dataclass(frozen=True)
class ApiCall:
    seq: int
    session: int
    #: Milliseconds since the simulator started.
    t: int
    call: str
    args: tuple[str, ...]
    result: str
    #: The error code the call left (0: none), its standard text and the simulator's detail.
    error: int
    error_string: str = ""
    diagnostic: str = ""
    warnings: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ApiCall:
        return cls(
            seq=int(data.get("seq", 0)),
            session=int(data.get("session", 0)),
            t=int(data.get("t", 0)),
            call=str(data.get("call", "")),
            args=tuple(str(a) for a in data.get("args", [])),
            result=str(data.get("result", "")),
            error=int(data.get("error", 0) or 0),
            error_string=str(data.get("errorString", "")),
            diagnostic=str(data.get("diagnostic", "")),
            warnings=tuple(str(w) for w in data.get("warnings", [])),
        )

    @property
    def element(self) -> str | None:
        return self.args[0] if self.call in SET_VALUE + GET_VALUE and self.args else None

    def __str__(self) -> str:
        args = ", ".join(repr(a) for a in self.args)
        text = f"{self.call}({args}) -> {self.result!r}"
        if self.error:
            text += f" [{self.error} {self.error_string}]"
            if self.diagnostic:
                text += f": {self.diagnostic}"
        return text


@dataclass(frozen=True)
class LmsNote:
    seq: int
    session: int
    kind: str
    detail: str

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LmsNote:
        return cls(int(data.get("seq", 0)), int(data.get("session", 0)), str(data.get("lms")),
                   str(data.get("detail", "")))


def parse_log(log: Sequence[Mapping[str, Any]]) -> tuple[list[ApiCall], list[LmsNote]]:
    """Split a simulator log into API calls and LMS notes."""
    calls = [ApiCall.from_json(entry) for entry in log if "call" in entry]
    notes = [LmsNote.from_json(entry) for entry in log if "lms" in entry]
    return calls, notes


@dataclass
class LaunchReport:
    """What a package did when launched headless under the simulator (or the preview's LRS)."""

    standard: str | None
    unit: str | None = None
    #: The course looked up the SCORM API object (window.API / window.API_1484_11).
    api_found: bool = False
    calls: list[ApiCall] = field(default_factory=list)
    notes: list[LmsNote] = field(default_factory=list)
    #: The data model at the end, and what the LMS kept for the learner.
    model: dict[str, str] = field(default_factory=dict)
    record: dict[str, Any] = field(default_factory=dict)
    #: What the course did wrong besides API errors (no Terminate, no exit, no session time).
    problems: list[str] = field(default_factory=list)
    #: Tin Can and cmi5: what reached the LRS, with the rules each statement breaks.
    statements: list[dict[str, Any]] = field(default_factory=list)
    #: Tin Can and cmi5: the requests the LRS refused for breaking the protocol (no
    #: credential, a document of another session, a write to LMS.LaunchData).
    refused_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    #: Why the launch could not run at all (no Chromium, nothing to launch), else None.
    failure: str | None = None

    @property
    def initialized(self) -> bool:
        return any(c.call in INITIALIZE and c.result == "true" for c in self.calls)

    @property
    def terminated(self) -> bool:
        return any(c.call in TERMINATE and c.result == "true" for c in self.calls)

    @property
    def errors(self) -> list[ApiCall]:
        return [c for c in self.calls if c.error]

    @property
    def values_set(self) -> dict[str, str]:
        """Every element the course set successfully, with its last value."""
        return {c.args[0]: c.args[1] for c in self.calls
                if c.call in SET_VALUE and c.result == "true" and len(c.args) == 2}

    @property
    def failed(self) -> bool:
        flagged = any(s.get("problems") or s.get("status") == "refused" for s in self.statements)
        return bool(self.failure or self.errors or self.problems or flagged
                    or self.refused_requests)

    def summary(self) -> list[str]:
        """A readable account, one finding a line."""
        if self.failure:
            return [self.failure]
        out = [f"{self.standard}" + (f" unit {self.unit}" if self.unit else "")]
        if self.standard in ("scorm12", "scorm2004"):
            out.append(f"API found: {'yes' if self.api_found else 'no'}; initialized: "
                       f"{'yes' if self.initialized else 'no'}; terminated: "
                       f"{'yes' if self.terminated else 'no'}; {len(self.calls)} calls, "
                       f"{len(self.values_set)} elements set")
        if self.standard in ("tincan", "cmi5"):
            out.append(_statement_summary(self.statements))
        out += [f"error: {call}" for call in self.errors]
        out += [f"problem: {problem}" for problem in self.problems]
        for item in self.statements:
            verb = str(item.get("statement", {}).get("verb", {}).get("id", "")).rsplit("/", 1)[-1]
            for problem in item.get("problems", []):
                out.append(f"statement {verb} ({item.get('id')}): {problem}")
            if item.get("status") == "refused":
                out.append(f"the LRS refused {verb} ({item.get('id')}): {item.get('refusal')}")
        out += [f"the LRS refused {request}" for request in self.refused_requests]
        out += [f"console: {line}" for line in self.console_errors]
        return out

    def lines(self) -> list[str]:
        return [f"launch: {line}" for line in self.summary()]

    def to_json(self) -> dict[str, Any]:
        return {
            "standard": self.standard,
            "unit": self.unit,
            "api_found": self.api_found,
            "initialized": self.initialized,
            "terminated": self.terminated,
            "calls": [vars(c) | {"args": list(c.args), "warnings": list(c.warnings)}
                      for c in self.calls],
            "errors": [str(c) for c in self.errors],
            "notes": [vars(n) for n in self.notes],
            "model": self.model,
            "record": self.record,
            "problems": self.problems,
            "statements": self.statements,
            "refused_requests": self.refused_requests,
            "console_errors": self.console_errors,
            "failure": self.failure,
            "failed": self.failed,
            "summary": self.summary(),
        }


def _statement_summary(statements: list[dict[str, Any]]) -> str:
    """What reached the LRS, as a run of verbs: ``12 statements: launched, initialized,
    experienced ×3, answered ×5, terminated``."""
    if not statements:
        return "no statement reached the LRS"
    runs: list[list[Any]] = []
    for item in statements:
        verb = str(item.get("statement", {}).get("verb", {}).get("id", "")).rsplit("/", 1)[-1]
        if runs and runs[-1][0] == verb:
            runs[-1][1] += 1
        else:
            runs.append([verb, 1])
    verbs = ", ".join(verb if n == 1 else f"{verb} ×{n}" for verb, n in runs)
    return f"{len(statements)} statements: {verbs}"
