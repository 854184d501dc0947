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
provider's records hold: a code is valid exactly when a recorded completion carries it, and
``find_completion`` is that lookup over the statements of an LRS.

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


def find_completion(
    code: str, statements: Iterable[dict[str, Any]], extensions: dict[str, str]
) -> Completion | None:
    """The completion among ``statements`` (xAPI statements as JSON) that carries ``code``,
    or None. ``extensions`` names the result extensions (``ceforge.xapi.vocabulary``:
    ``certificate_code``, ``license_number``, ``license_state``)."""
    wanted = normalize_code(code)
    if wanted is None:
        return None
    key = extensions["certificate_code"]
    for statement in statements:
        result = statement.get("result") or {}
        ext = result.get("extensions") or {}
        found = ext.get(key)
        if not isinstance(found, str) or normalize_code(found) != wanted:
            continue
        if not str(statement.get("verb", {}).get("id", "")).endswith("/completed"):
            continue
        obj = statement.get("object") or {}
        return Completion(
            code=wanted,
            activity_id=str(obj.get("id", "")),
            registration=str((statement.get("context") or {}).get("registration", "")),
            learner=dict(statement.get("actor") or {}),
            timestamp=str(statement.get("timestamp", "")),
            license_number=str(ext.get(extensions["license_number"], "")),
            license_state=str(ext.get(extensions["license_state"], "")),
            statement_id=str(statement.get("id", "")),
        )
    return None
