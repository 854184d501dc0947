"""How well a file's path travels from an author's disk to an LMS's web server.

One implementation for both sides: ``ceforge check`` applies these rules to the files a course
links to (each reported at the line of its first link), ``ceforge validate`` to the members of
any package; so a course that passes ``check`` builds a package that ``validate`` does not warn
about for its paths, and the two say it in the same words.

- a space: some LMSs and web servers fail to serve the file (``%20`` in a link is still a
  space in the file's name);
- a character that URLs or Windows reserve: ``#`` and ``?`` end a URL's path, ``%`` starts an
  escape, ``: * " < > |`` cannot be in a Windows file name (where a package is unzipped);
- two paths that differ only in upper and lower case: one overwrites the other on Windows and
  macOS; and a link written in another case than its file works on the author's Mac and nowhere
  else (web servers compare paths exactly).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

#: Characters that URLs (``# ? %``) or Windows file names (``: * " < > |``) reserve.
RESERVED = '#?%:*"<>|'


@dataclass(frozen=True)
class PathProblem:
    """What is wrong with a path: ``rule`` is "space" or "reserved"."""

    rule: str
    message: str


def path_problems(path: str) -> list[PathProblem]:
    """Why ``path`` (relative, '/'-separated, as the file is named) travels badly."""
    problems = []
    if " " in path:
        problems.append(
            PathProblem(
                "space", "the path holds a space; some LMSs and web servers fail to serve it"
            )
        )
    reserved = sorted({c for c in path if c in RESERVED}, key=RESERVED.index)
    if reserved:
        shown = " ".join(reserved)
        problems.append(
            PathProblem(
                "reserved",
                f"the path holds {shown}, which URLs or Windows file names reserve; "
                "rename the file with letters, digits, '-', '_' and '.'",
            )
        )
    return problems


def case_clashes(paths: Iterable[str]) -> Iterator[tuple[str, str]]:
    """(path, the earlier path it clashes with) for each path that differs from an earlier one
    only in upper and lower case."""
    seen: dict[str, str] = {}
    for path in paths:
        first = seen.setdefault(path.casefold(), path)
        if first != path:
            yield path, first


def case_clash_message(first: str) -> str:
    return (
        f"differs from {first!r} only in upper/lower case; on Windows and macOS one "
        "overwrites the other"
    )


def miscased_message(found: str) -> str:
    """What to add when a path names no file but ``found`` differs from it only in case."""
    return f"(the file is {found!r}: paths are case-sensitive on most web servers)"
