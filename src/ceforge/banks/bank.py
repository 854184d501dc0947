"""A question bank read from another format: ceforge questions, each with its name, category
and line, and the files they show."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from ceforge.answers import normalize_answer
from ceforge.diagnostics import Code, Reporter, SourceLocation
from ceforge.model import Question

#: The largest bank file read (Moodle XML carries its pictures inside, in base64).
MAX_BANK_BYTES = 64 * 1024 * 1024
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class BankQuestion:
    question: Question
    name: str
    category: tuple[str, ...]
    #: A survey question (a scale, or an essay worth no marks) rather than a knowledge check.
    survey: bool = False
    #: The id the bank gives it (Moodle's idnumber, GIFT's [id:…]), or "".
    given_id: str = ""


@dataclass
class Bank:
    source: str
    questions: list[BankQuestion] = field(default_factory=list)
    #: course-relative path (``assets/…``) -> content
    files: dict[str, bytes] = field(default_factory=dict)

    def add_file(self, name: str, data: bytes) -> str:
        """Keep ``data`` under ``assets/``; the course-relative path it gets (a file of the same
        name with other content gets a numbered name)."""
        clean = "/".join(
            _UNSAFE.sub("-", part).strip("-.") or "file"
            for part in posixpath.normpath("/" + name).lstrip("/").split("/")
            if part not in ("", ".", "..")
        ) or "file"
        path = clean if clean.startswith("assets/") else f"assets/{clean}"
        stem, ext = posixpath.splitext(path)
        number = 1
        while path in self.files and self.files[path] != data:
            number += 1
            path = f"{stem}-{number}{ext}"
        self.files[path] = data
        return path


def skip(reporter: Reporter, loc: SourceLocation, name: str, why: str) -> None:
    reporter.report(loc, Code.BANK_LEFT_OUT, f"question {name!r} is not carried over: {why}")


def note(reporter: Reporter, loc: SourceLocation, name: str, what: str) -> None:
    reporter.report(loc, Code.BANK_CHANGED, f"question {name!r}: {what}")


def distinct_answers(accepted: list[str]) -> list[str]:
    """Accepted fill-in answers without those the answer rule makes equal to an earlier one
    (``“Tarasoff”`` and the ``"Tarasoff"`` an export lists beside it are one answer to
    ceforge): the first as written is kept."""
    return list({normalize_answer(a): a for a in reversed(accepted)}.values())[::-1]
