"""The certificate of completion: what the runtime prints, and the verification code.

**Course data.** ``ce_data`` and ``certificate_data`` give the runtime every field the
approving bodies want on a certificate (``../shared/CE.md``), labels already in the course's
language (``ceforge.cepages`` writes the same labels on the About page), so that the page the
learner prints and the page ceforge writes for a provider say the same thing.

**The verification code.** At completion the runtime draws a random code
(``crypto.getRandomValues``) of ``CODE_LENGTH`` characters from ``ALPHABET``: eleven random
characters (55 bits) and a check character. The code is kept in the learner's state, printed
on the certificate (``XXXX-XXXX-XXXX``) and sent with the completion to the provider's records:
the result extension ``…/extensions/certificate-code`` of the xAPI ``completed`` statement,
SCORM's ``cmi.comments`` (1.2) or ``cmi.comments_from_learner`` (2004). Nothing in the package
computes it, so nothing in the package (which anyone may read) lets a learner make a code the
provider's records hold: a code is valid exactly when a recorded completion carries it.
``find_completion`` is that lookup over xAPI statements (``read_statements`` reads an LRS's
export; ``ceforge.xapi.delivery.completed_statements`` asks an LRS), and ``ceforge certificate
CODE`` runs it for a provider.

What a valid code proves: the provider's records hold a completion of this course by the
learner they name, on the day they give, and the certificate carrying that code was printed
from it; a name, course or date on the paper that differs from the record is an altered
certificate. It proves no more than the records do: the runtime runs in the learner's browser
and reports with the learner's own LMS or LRS session, so a learner able to forge a completion
in those records could record a code as well. The check character only catches typing mistakes
(every single wrong character, and most swaps of two neighbours), before any lookup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ceforge.cepages import Text, approval_hours, approval_label, format_label, level_label
from ceforge.config import CourseConfig
from ceforge.model import Course

#: The characters of a code: no 0/O, 1/I, so that it reads back without doubt.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12  # characters kept and printed (in groups of four), the last a check character
NAME_MAX = 120  # characters of a name typed for the certificate (the runtime's NAME_MAX)
FIELD_MAX = 40  # characters of a licence number or state typed by the learner


def ce_data(course: Course, messages: dict[str, str]) -> dict[str, Any] | None:
    """``course.ce`` of the course data: docs/runtime.md, "Course data"."""
    ce = course.config.ce
    if ce is None:
        return None
    text = Text(course.config.language)
    return {
        "hours": ce.hours,
        "ethics": ce.ethics,
        "ethics_hours": ce.ethics_total,
        "level": ce.level,
        "level_label": level_label(ce.level, messages) if ce.level else None,
        "format": ce.format or None,
        "format_label": format_label(ce.format, messages) if ce.format else None,
        "provider": ce.provider,
        "contact": {
            "email": ce.contact.email,
            "phone": ce.contact.phone,
            "address": ce.contact.address,
            "website": ce.contact.website,
        },
        "presenters": [
            {"name": p.name, "credentials": p.credentials, "role": p.role} for p in ce.presenters
        ],
        "approvals": [
            {
                "body": a.body,
                "label": approval_label(a, messages),
                "number": a.number,
                "statement": a.statement,
                "hours": a.hours,
                "ethics_hours": a.ethics_hours,
                "hours_text": approval_hours(a, ce, text),
            }
            for a in ce.approvals
        ],
    }


def certificate_data(config: CourseConfig) -> dict[str, Any] | bool:
    """``course.certificate`` of the course data: false, or what the certificate holds and
    asks besides the CE facts."""
    if not config.issues_certificate:
        return False
    details = config.certificate
    signature = details.signature if details else None
    return {
        "signature": None
        if signature is None
        else {"name": signature.name, "title": signature.title, "image": signature.image or None},
        "collect": list(details.collect) if details else [],
        "edit_name": details.edit_name if details else False,
        "field_max": FIELD_MAX,
    }


def state_length(config: CourseConfig) -> int:
    """The longest certificate record a learner's state can end with (docs/runtime.md, "The
    state string", field 8): ``S(code) S(name) S(licence number) S(licence state)``, or
    nothing in a course without a certificate."""
    if not config.issues_certificate:
        return 0
    collect = config.certificate.collect if config.certificate else ()
    fields = [FIELD_MAX if name in collect else 0 for name in ("license_number", "license_state")]
    return sum(_str_len(n) for n in (CODE_LENGTH, NAME_MAX, *fields))


def _str_len(n: int) -> int:
    """``S(s)`` of a string of ``n`` characters (ceforge.coursedata.str_len)."""
    digits = 1
    while n >= 36 ** digits:
        digits += 1
    return digits + 1 + n


# --- the verification code ---------------------------------------------------------------------


def check_character(body: str) -> str:
    """The Luhn mod 32 check character of ``body`` (characters of ``ALPHABET``)."""
    n = len(ALPHABET)
    total = 0
    factor = 2
    for char in reversed(body):
        addend = factor * ALPHABET.index(char)
        factor = 1 if factor == 2 else 2
        total += addend // n + addend % n
    return ALPHABET[(n - total % n) % n]


def new_code(randbelow: Callable[[int], int]) -> str:
    """A code as the runtime draws one (``Ceforge.certificate.newCode``): eleven characters
    from ``randbelow(32)`` and the check character. The runtime draws with the browser's
    ``crypto.getRandomValues``; ``ceforge statements`` with its seeded simulation."""
    body = "".join(ALPHABET[randbelow(len(ALPHABET))] for _ in range(CODE_LENGTH - 1))
    return body + check_character(body)


def normalize_code(text: str) -> str | None:
    """The code in ``text`` as kept (12 characters, no dashes), read leniently (any case,
    spaces and dashes anywhere); None when it cannot be a code: a wrong length, a character
    outside ``ALPHABET`` (which has no 0, O, 1 or I), or a check character that does not
    match (a typing mistake)."""
    code = "".join(text.upper().split()).replace("-", "")
    if len(code) != CODE_LENGTH or any(c not in ALPHABET for c in code):
        return None
    if check_character(code[:-1]) != code[-1]:
        return None
    return code


def printed_code(code: str) -> str:
    """``ABCDEFGHJKLM`` as printed: ``ABCD-EFGH-JKLM``."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


@dataclass(frozen=True)
class Completion:
    """A completion found in the records for a code."""

    code: str
    #: the statement's object: the course (Tin Can) or the AU (cmi5)
    activity_id: str
    registration: str
    learner: dict[str, Any]
    timestamp: str
    license_number: str = ""
    license_state: str = ""
    statement_id: str = ""
    #: the course's name as the statement gives it (its object's definition), if it does
    course_name: str = ""

    def learner_text(self) -> str:
        """The learner as the record names them: "Name <mailto:…>" or "Name (account …)"."""
        actor = self.learner
        name = str(actor.get("name", ""))
        account = actor.get("account")
        if actor.get("mbox"):
            ident = str(actor["mbox"])
        elif isinstance(account, dict):
            ident = f"account {account.get('name', '')} at {account.get('homePage', '')}"
        else:
            ident = str(actor.get("openid") or actor.get("mbox_sha1sum") or "")
        return f"{name} <{ident}>" if name and ident else name or ident

    def lines(self) -> list[tuple[str, str]]:
        """What ``ceforge certificate`` prints: label, value."""
        out = [
            ("certificate", printed_code(self.code) + ": confirmed, a completion carries it"),
            ("learner", self.learner_text()),
            ("course", f"{self.course_name} ({self.activity_id})" if self.course_name
             else self.activity_id),
            ("completed", self.timestamp),
        ]
        if self.license_number:
            out.append(("license number", self.license_number))
        if self.license_state:
            out.append(("license state", self.license_state))
        out += [("registration", self.registration), ("statement", self.statement_id)]
        return out

    def as_json(self) -> dict[str, Any]:
        return {
            "code": printed_code(self.code),
            "learner": self.learner,
            "activity_id": self.activity_id,
            "course_name": self.course_name,
            "completed": self.timestamp,
            "license_number": self.license_number,
            "license_state": self.license_state,
            "registration": self.registration,
            "statement_id": self.statement_id,
        }


def find_completion(
    code: str, statements: Iterable[dict[str, Any]], extensions: dict[str, str]
) -> Completion | None:
    """The completion among ``statements`` (xAPI statements as JSON) that carries ``code``,
    or None. ``extensions`` names the result extensions (``certificate_code``,
    ``license_number``, ``license_state``: ``ceforge.xapi.vocabulary.record_extensions``). A
    statement that is not well formed is passed over, never an error."""
    wanted = normalize_code(code)
    if wanted is None:
        return None
    key = extensions["certificate_code"]
    for statement in statements:
        result = _mapping(statement.get("result"))
        ext = _mapping(result.get("extensions"))
        found = ext.get(key)
        if not isinstance(found, str) or normalize_code(found) != wanted:
            continue
        if not str(_mapping(statement.get("verb")).get("id", "")).endswith("/completed"):
            continue
        obj = _mapping(statement.get("object"))
        return Completion(
            code=wanted,
            activity_id=str(obj.get("id", "")),
            registration=str(_mapping(statement.get("context")).get("registration", "")),
            learner=_mapping(statement.get("actor")),
            timestamp=str(statement.get("timestamp", "")),
            license_number=str(ext.get(extensions["license_number"], "")),
            license_state=str(ext.get(extensions["license_state"], "")),
            statement_id=str(statement.get("id", "")),
            course_name=_name_of(obj),
        )
    return None


def _mapping(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, dict) else {}


def _name_of(activity: dict[str, Any]) -> str:
    definition = activity.get("definition")
    names = definition.get("name") if isinstance(definition, dict) else None
    if not isinstance(names, dict) or not names:
        return ""
    return str(names.get("en-US") or next(iter(names.values())))


class RecordsError(Exception):
    """Statements that cannot be read; the message starts with ``path:line:``."""


def read_statements(text: str, path: str) -> list[dict[str, Any]]:
    """The xAPI statements of an export, as LRSs and ceforge write them: a JSON array, an
    LRS's answer (``{"statements": [...], "more": ...}``), or JSON lines (``ceforge
    statements``). Raises ``RecordsError`` at the line of what cannot be read."""
    import json

    stripped = text.lstrip()
    if not stripped:
        raise RecordsError(f"{path}:1: error: no statements in the file")
    if stripped[0] in "[{":
        try:
            whole = json.loads(text)
        except json.JSONDecodeError as exc:
            if stripped[0] == "[":
                raise RecordsError(f"{path}:{exc.lineno}: error: not JSON: {exc.msg}") from None
            whole = None  # JSON lines, each an object
        if isinstance(whole, list):
            return _statements(whole, path)
        if isinstance(whole, dict):
            found = whole.get("statements") if "statements" in whole else [whole]
            if not isinstance(found, list):
                raise RecordsError(f"{path}:1: error: \"statements\" is not a list")
            return _statements(found, path)
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RecordsError(f"{path}:{number}: error: not JSON: {exc.msg}") from None
        out += _statements([item], path, number)
    return out


def _statements(items: list[Any], path: str, line: int = 1) -> list[dict[str, Any]]:
    for item in items:
        if not isinstance(item, dict):
            raise RecordsError(f"{path}:{line}: error: a statement is a JSON object, not "
                               f"{type(item).__name__}")
    return items
