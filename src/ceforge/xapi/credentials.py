"""Keeping LRS credentials out of packages.

A Tin Can package receives its LRS credentials in the launch URL and a cmi5 package fetches
them at launch; nothing in a package may hold them. ``embedded_credentials`` finds what would:
an address with ``user:password@`` or a credential in its query (the course id, a link on a
page, a build option), an option named like a secret, or an option whose value is an
``Authorization`` header (``Basic …``, ``Bearer …``).
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from ceforge.diagnostics import SourceLocation
from ceforge.loader import COURSE_FILE
from ceforge.model import Course

_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s\"'<>]+")
_SECRET_WORDS = frozenset(
    {
        "auth", "authorization", "password", "passwd", "pwd", "secret", "token",
        "credential", "credentials", "apikey", "bearer",
    }
)
_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_AUTH_HEADER = re.compile(r"^\s*(basic|bearer)\s+\S{8,}", re.IGNORECASE)


def secret_name(name: str) -> bool:
    """Whether a name (of an option or a query parameter) says it holds a secret."""
    words = [w for w in re.split(r"[^a-z0-9]+", _CAMEL.sub(r"\1_\2", name).lower()) if w]
    pairs = {a + b for a, b in itertools.pairwise(words)}
    return bool(_SECRET_WORDS & (set(words) | pairs))


def url_problem(url: str) -> str | None:
    """Why ``url`` carries credentials, or None."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if "@" in parts.netloc:
        return "holds a user name or password before '@'"
    for key, _value in parse_qsl(parts.query, keep_blank_values=False):
        if secret_name(key):
            return f"has a {key!r} parameter"
    return None


def _urls(text: str) -> Iterator[str]:
    yield from _URL.findall(text)


@dataclass(frozen=True)
class Leak:
    """Something that would put LRS credentials into a package, and where it is."""

    loc: SourceLocation
    what: str

    @property
    def message(self) -> str:
        return (
            f"{self.what}: LRS credentials must not be built into a package "
            "(Tin Can receives them in the launch URL, cmi5 fetches them at launch)"
        )


def _option_values(options: Any) -> Iterator[tuple[str, str]]:
    """Every (name, text) of a BuildOptions, the free-form ``options`` dict included."""
    for field in dataclasses.fields(options):
        value = getattr(options, field.name)
        if isinstance(value, dict):
            yield from ((str(k), str(val)) for k, val in value.items())
        elif value is not None:
            yield field.name, str(value)


def embedded_credentials(course: Course, options: Any) -> list[Leak]:
    """Everything in ``course`` or the build ``options`` (a ``BuildOptions``) that would put
    credentials in a package, each with its location."""
    found = []
    problem = url_problem(course.config.id)
    if problem:
        loc = SourceLocation(COURSE_FILE, course.config.lines.get("id", 1))
        found.append(Leak(loc, f"the course id {problem}"))
    for module in course.modules:
        for page in module.pages:
            texts = [page.html] + [b.intro_html for b in page.blocks]
            for url in (u for text in texts for u in _urls(text)):
                problem = url_problem(url)
                if problem:
                    found.append(Leak(page.loc, f"a link on page {page.id!r} {problem}"))
    for name, value in _option_values(options):
        loc = SourceLocation(f"build option {name}")
        if value and secret_name(name):
            found.append(Leak(loc, f"the option {name!r} names a secret"))
        elif _AUTH_HEADER.match(value):
            found.append(Leak(loc, f"the option {name!r} holds an Authorization value"))
        else:
            for url in _urls(value):
                problem = url_problem(url)
                if problem:
                    found.append(Leak(loc, f"the address in option {name!r} {problem}"))
    return found
