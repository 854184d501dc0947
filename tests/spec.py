"""docs/runtime.md's algorithms written again in Python, as oracles for the browser tests.

Each function follows the document, not the runtime: when a test finds the two disagree, one of
them (or the document) is wrong. Course data is the JSON of ``#ceforge-course`` as a dict.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

MASK = 0xFFFFFFFF
BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"
B32 = BASE36[:32]

Question = dict[str, Any]


# --- answers and scores ("Answer rules") --------------------------------------------------------


def right_response(question: Question) -> Any:
    """A right answer in the neutral response form (fill-in and numeric: one accepted text)."""
    qtype = question["type"]
    correct = [c["id"] for c in question["choices"] if c["correct"]]
    if qtype in ("choice", "true-false"):
        return correct[0]
    if qtype == "multiple-choice":
        return correct
    if qtype == "sequencing":
        return [c["id"] for c in question["choices"]]
    if qtype == "matching":
        return [[s["id"], s["match"]] for s in question["sources"]]
    if qtype == "fill-in":
        return question["answers"][0]
    if qtype == "numeric":
        return number_text(question["numeric"]["min"])
    raise ValueError(f"{question['id']}: a {qtype} question has no right answer")


def wrong_response(question: Question) -> Any:
    """An answered but wrong response: partial for multiple-choice, one pair off for matching,
    the written order reversed for sequencing."""
    qtype = question["type"]
    choices = question["choices"]
    if qtype in ("choice", "true-false"):
        return next(c["id"] for c in choices if not c["correct"])
    if qtype == "multiple-choice":
        correct = [c["id"] for c in choices if c["correct"]]
        if len(correct) > 1:
            return correct[:-1]
        return [*correct, next(c["id"] for c in choices if not c["correct"])]
    if qtype == "sequencing":
        return [c["id"] for c in reversed(choices)]
    if qtype == "matching":
        pairs = [[s["id"], s["match"]] for s in question["sources"]]
        first = pairs[0]
        first[1] = next(t["id"] for t in question["targets"] if t["id"] != first[1])
        return pairs
    if qtype == "fill-in":
        return "certainly not " + question["answers"][0]
    if qtype == "numeric":
        return number_text(question["numeric"]["max"] + 1000)
    raise ValueError(f"{question['id']}: a {qtype} question cannot be answered wrong")


def number_text(value: float) -> str:
    """A float as a learner could type it: plain digits and a '.' (never an exponent)."""
    return format(Decimal(repr(value)).normalize(), "f")


def permille(raw: float, maximum: float) -> int:
    """The score kept in permille, rounded down, with the documented slack."""
    scaled = raw / maximum if maximum > 0 else 0.0
    return max(0, min(1000, math.floor(scaled * 1000 + 1e-9)))


def pass_mark(data: Mapping[str, Any]) -> int:
    """The mark in permille: the passing score rounded up to a thousandth ("The verdict")."""
    return max(0, min(1000, math.ceil(data["course"]["passing_score"] * 1000 - 1e-9)))


def attempt_permille(questions: Iterable[Question], right: Iterable[str]) -> int:
    """Score of an attempt in which the questions whose ids are in ``right`` were right."""
    chosen = set(right)
    listed = list(questions)
    raw = sum(q["points"] for q in listed if q["id"] in chosen)
    return permille(raw, sum(q["points"] for q in listed))


# --- hashes, draws and the verification code ("Draws and shuffles", "The certificate") ---------


def imul(a: int, b: int) -> int:
    return (a * b) & MASK


def hash32(text: str, basis: int = 0x811C9DC5) -> int:
    """FNV-1a over the UTF-8 bytes from ``basis``, then murmur3's fmix32."""
    value = basis & MASK
    for byte in text.encode("utf-8"):
        value = imul(value ^ byte, 0x01000193)
    value ^= value >> 16
    value = imul(value, 0x85EBCA6B)
    value ^= value >> 13
    value = imul(value, 0xC2B2AE35)
    value ^= value >> 16
    return value


def mulberry32(seed: int) -> Callable[[], float]:
    state = seed & MASK

    def next_float() -> float:
        nonlocal state
        state = (state + 0x6D2B79F5) & MASK
        t = imul(state ^ (state >> 15), 1 | state)
        t = ((t + imul(t ^ (t >> 7), 61 | t)) & MASK) ^ t
        return ((t ^ (t >> 14)) & MASK) / 4294967296

    return next_float


def shuffled(items: list[Any], rng: Callable[[], float]) -> list[Any]:
    out = list(items)
    for i in range(len(out) - 1, 0, -1):
        j = math.floor(rng() * (i + 1))
        out[i], out[j] = out[j], out[i]
    return out


def drawn_ids(block: Mapping[str, Any], seed: int) -> list[str]:
    """The ids of the questions a test attempt with ``seed`` shows, in the order shown."""
    pool = block["questions"]
    count = len(pool) if block["draw"] is None else min(block["draw"], len(pool))
    drawn = shuffled(list(range(len(pool))), mulberry32(seed))[:count]
    if not block["shuffle"]:
        drawn.sort()
    return [pool[i]["id"] for i in drawn]


def day_iso(day: int) -> str:
    from datetime import date, timedelta

    return (date(1970, 1, 1) + timedelta(days=day)).isoformat()


# --- the state string ("The state string") ------------------------------------------------------


class StateFormatError(ValueError):
    pass


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0

    def number(self, end: str) -> int:
        start = self.at
        while self.at < len(self.text) and self.text[self.at] in BASE36:
            self.at += 1
        if self.at == start or self.at >= len(self.text) or self.text[self.at] != end:
            raise StateFormatError(f"expected N ending in {end!r} at {start}")
        value = int(self.text[start : self.at], 36)
        self.at += 1
        return value

    def int(self) -> int:
        return self.number(".")

    def str(self) -> str:
        """S(s): its length counts UTF-16 code units (a character beyond U+FFFF is two)."""
        units = self.number(":")
        start = self.at
        while units > 0:
            if self.at >= len(self.text):
                raise StateFormatError("S runs past the end")
            units -= 2 if ord(self.text[self.at]) > 0xFFFF else 1
            self.at += 1
        if units < 0:
            raise StateFormatError("S ends inside a character")
        return self.text[start : self.at]


def decode_state(text: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """The decoded form of a state string, read by the document's grammar alone."""
    return decode_state_spans(text, data)[0]


def decode_state_spans(
    text: str, data: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, tuple[int, int]]]:
    """The decoded form of a state string, and where some of its fields are in it: ``seconds``
    (field 4) and ``days`` (the days attested and completed, field 7), as (start, end)."""
    spans: dict[str, tuple[int, int]] = {}
    reader = _Reader(text)
    legacy = text.startswith("c1")  # written before block records: fields 1-7 only
    if not (legacy or text.startswith("c2")):
        raise StateFormatError("not a c2 (or c1) state")
    reader.at = 2
    pages = sum(len(m["pages"]) for m in data["modules"])
    questions = [q for block in data["blocks"] for q in block["questions"]]
    state: dict[str, Any] = {"fingerprint": reader.int(), "page": reader.int()}
    bits = reader.str()
    if len(bits) != -(-pages // 5):
        raise StateFormatError("viewed has the wrong length")
    state["viewed"] = [bool(B32.index(bits[i // 5]) & (1 << (i % 5))) for i in range(pages)]
    start = reader.at
    state["seconds"] = reader.int()
    spans["seconds"] = (start, reader.at)
    answers = {}
    for _ in range(reader.int()):
        head = reader.int()
        question = questions[head // 2]
        answers[question["id"]] = {"checked": head % 2 == 1,
                                   "value": _payload(question, reader)}
    state["answers"] = answers
    state["test"] = {key: reader.int() for key in ("used", "seed", "status", "last", "best")}
    state["evaluation"] = reader.int() == 1
    start = reader.at
    state["attested"] = reader.int()
    state["completed"] = reader.int()
    spans["days"] = (start, reader.at)
    state["blocks"] = {} if legacy else _block_records(reader, data)
    # 9. the certificate record, once there is one: code, name, licence number and state
    record = {"code": "", "name": "", "license_number": "", "license_state": ""}
    if reader.at < len(text):
        for key in record:
            record[key] = reader.str()
    state["certificate"] = record
    if reader.at != len(text):
        raise StateFormatError("text after the last field")
    return state, spans


def _block_records(reader: _Reader, data: Mapping[str, Any]) -> dict[str, Any]:
    """Field 8: the records of scenarios (scored end, run, path) and media (parts played)."""
    blocks = data["blocks"]
    records: dict[str, Any] = {}
    for _ in range(reader.int()):
        block = blocks[reader.int()]
        if "scenario" in block:
            ends = [n["id"] for n in block["scenario"]["nodes"] if n["end"]]
            scored = reader.int()
            records[block["id"]] = {"scored": ends[scored - 1] if scored else None,
                                    "run": reader.int(), "path": list(reader.str())}
        else:
            bits = reader.str()
            records[block["id"]] = {"parts": [bool(B32.index(bits[i // 5]) & (1 << (i % 5)))
                                              for i in range(100)]}
    return records


def _payload(question: Question, reader: _Reader) -> Any:
    qtype = question["type"]
    if qtype in ("choice", "true-false", "likert"):
        return question["choices"][reader.int()]["id"]
    if qtype in ("multiple-choice", "sequencing"):
        return list(reader.str())
    if qtype == "matching":
        text = reader.str()
        return [[s["id"], t] for s, t in zip(question["sources"], text, strict=True) if t != "-"]
    if qtype in ("fill-in", "numeric"):
        return reader.str()
    return None
