"""The reference tables of ``docs/``, generated from the code that defines them.

The keys of ``course.yml`` and of the front matter (``ceforge.config``), the attributes of
blocks and questions (``ceforge.quiz``), the diagnostic codes (``ceforge.diagnostics``), the
codes of ``ceforge validate`` (``ceforge.validate.findings``) and the options of each command
(``ceforge.cli``) are each declared once, in code. This module renders them as Markdown
tables and puts each one between its marker comments in its reference (``DOCUMENTS``:
authoring.md, validate.md, cli.md)::

    <!-- generated: course-keys -->
    (the table; rewritten on every run)
    <!-- end generated -->

``python -m ceforge.docs`` rewrites the tables of every reference; ``python -m ceforge.docs
--check`` only says whether they are stale (exit 1), for CI and the test suite.
"""

from __future__ import annotations

import argparse
import functools
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import click

from ceforge.blocks import CONTAINER_ATTRIBUTES
from ceforge.cli import main as cli_main
from ceforge.config import (
    APPROVAL_KEYS,
    BUILD_KEYS,
    CE_KEYS,
    CERTIFICATE_KEYS,
    COMPLETION_KEYS,
    CONTACT_KEYS,
    COURSE_KEYS,
    FRONT_MATTER_KEYS,
    PRESENTER_KEYS,
    SIGNATURE_KEYS,
    THEME_KEYS,
    Key,
)
from ceforge.diagnostics import BANK_CODES, Code
from ceforge.quiz import QUESTION_ATTRIBUTES
from ceforge.validate.findings import Rule

#: The references in a source checkout (``src/ceforge/docs.py`` -> ``docs/``).
DOCS_DIR = Path(__file__).resolve().parents[2] / "docs"
DEFAULT_PATH = DOCS_DIR / "authoring.md"

_OPEN = re.compile(r"^<!--\s*generated:\s*([A-Za-z0-9_-]+)\s*-->\s*$")
_CLOSE = re.compile(r"^<!--\s*end generated\s*-->\s*$")


class DocsError(Exception):
    """The reference's markers are malformed: unknown, unclosed, repeated or missing tables."""


@dataclass(frozen=True)
class AttributeHelp:
    help: str
    default: str


# quiz.py declares which attributes each block and question takes, but not what they mean;
# their help lives here until it moves next to those declarations. An attribute without an
# entry stops the generator (``_attribute_help``), so a new one cannot go undocumented.
BLOCK_ATTRIBUTE_HELP = {
    "id": AttributeHelp(
        "The block's id, `[A-Za-z0-9_.-]+`, unique in the course (of a callout, tabs or an "
        "accordion: an anchor to link to, `#the-id`).",
        "`<module-id>-<kind>`, then `-2`, `-3` … for more blocks of that kind in the module",
    ),
    "draw": AttributeHelp(
        "How many questions each attempt draws at random from the test's pool.", "all"
    ),
    "attempts": AttributeHelp("How many attempts the learner has.", "unlimited"),
    "shuffle": AttributeHelp("`true` or `false`: show the choices in random order.", "`true`"),
    "graded": AttributeHelp(
        "`true`: the points of the end the learner's first run reaches count toward the "
        "post-test's score.",
        "`false`",
    ),
    "src": AttributeHelp(
        "The video or audio file, relative to the module (WebM or Ogg plays everywhere), or a "
        "web address (`media.remote`).",
        "**required**",
    ),
    "captions": AttributeHelp(
        "The WebVTT captions file (required for a video of a CE course).", "none"
    ),
    "lang": AttributeHelp("The language of the captions, a tag such as `en` or `es-MX`.",
                          "the course's `language`"),
    "show-captions": AttributeHelp(
        "`true` or `false`: the captions show when the video starts.", "`true`"
    ),
    "poster": AttributeHelp("An image shown before the video plays.", "the first frame"),
    "transcript": AttributeHelp(
        "A transcript file linked under the player (or write the transcript in the block, "
        "under a `###` heading).",
        "none",
    ),
    "required": AttributeHelp(
        "`true`: the page counts as viewed only once the learner has played `watched` of it.",
        "`false`",
    ),
    "watched": AttributeHelp(
        "The share a learner must play for the medium to count as watched (also the xAPI "
        "completion threshold).",
        "`90%`",
    ),
    "share": AttributeHelp(
        "`none`: the reflection stays in the learner's browser; `lms`: the learner may send it "
        "to the LMS or LRS, as an essay is sent.",
        "`none`",
    ),
}
QUESTION_ATTRIBUTE_HELP = {
    "id": AttributeHelp(
        "The question's id, `[A-Za-z0-9_.-]+`, unique in the course; it becomes the SCORM "
        "interaction id and part of the xAPI activity id.",
        "`<module-id>-q<n>`",
    ),
    "points": AttributeHelp(
        "The question's weight in the test score, a number above 0.", "`1`"
    ),
}


def _cell(text: str) -> str:
    """Text made safe for one cell of a Markdown table."""
    return " ".join(text.split()).replace("|", "\\|")


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
        *("| " + " | ".join(_cell(cell) for cell in row) + " |" for row in rows),
    ]
    return "\n".join(lines)


def key_table(keys: Sequence[Key]) -> str:
    """A table of declared keys: name, meaning and default (or "required")."""
    rows = [
        (f"`{key.name}`", key.help, "**required**" if key.required else key.default or "—")
        for key in keys
    ]
    return _table(("key", "meaning", "default"), rows)


def _attribute_help(table: dict[str, AttributeHelp], name: str, where: str) -> AttributeHelp:
    try:
        return table[name]
    except KeyError:
        raise DocsError(
            f"the {where} attribute {name!r} has no help text; add it to ceforge.docs"
        ) from None


def block_attribute_table() -> str:
    """Which attribute each kind of block takes, with its meaning and default."""
    names = list(dict.fromkeys(name for attrs in CONTAINER_ATTRIBUTES.values() for name in attrs))
    rows = []
    for name in names:
        info = _attribute_help(BLOCK_ATTRIBUTE_HELP, name, "block")
        kinds = [f"`{kind}`" for kind, attrs in CONTAINER_ATTRIBUTES.items() if name in attrs]
        rows.append((f"`{name}`", ", ".join(kinds), info.help, info.default))
    return _table(("attribute", "blocks", "meaning", "default"), rows)


def question_attribute_table() -> str:
    rows = []
    for name in QUESTION_ATTRIBUTES:
        info = _attribute_help(QUESTION_ATTRIBUTE_HELP, name, "question")
        rows.append((f"`{name}`", info.help, info.default))
    return _table(("attribute", "meaning", "default"), rows)


def diagnostic_table() -> str:
    """Every diagnostic code about a course, in the order of the Code enum."""
    rows = [
        (f"`{code.code}`", str(code.severity), code.summary)
        for code in Code
        if code not in BANK_CODES
    ]
    return _table(("code", "severity", "meaning"), rows)


def bank_code_table() -> str:
    """Every code of ``ceforge export`` and ``ceforge import``."""
    rows = [(f"`{code.code}`", str(code.severity), code.summary) for code in Code
            if code in BANK_CODES]
    return _table(("code", "severity", "meaning"), rows)


def package_code_table() -> str:
    """Every code of ``ceforge validate``, in the order of the Rule enum."""
    rows = [(f"`{rule.code}`", str(rule.severity), rule.summary) for rule in Rule]
    return _table(("code", "severity", "meaning"), rows)


def option_table(name: str, sub: str | None = None) -> str:
    """The options of the command ``ceforge NAME`` (or ``ceforge NAME SUB``), as ``--help``
    shows them."""
    command = cli_main.commands[name]
    if sub is not None:
        assert isinstance(command, click.Group)
        command = command.commands[sub]
    ctx = click.Context(command, info_name=name)
    rows = []
    for param in command.get_params(ctx):
        record = param.get_help_record(ctx)
        if record is None or isinstance(param, click.Argument) or "--help" in param.opts:
            continue
        flags, meaning = record
        rows.append((f"`{flags}`", meaning))
    return _table(("option", "meaning"), rows)


#: The generated tables of docs/authoring.md, by marker name, in the order it shows them.
TABLES: dict[str, Callable[[], str]] = {
    "course-keys": lambda: key_table(COURSE_KEYS),
    "completion-keys": lambda: key_table(COMPLETION_KEYS),
    "ce-keys": lambda: key_table(CE_KEYS),
    "contact-keys": lambda: key_table(CONTACT_KEYS),
    "presenter-keys": lambda: key_table(PRESENTER_KEYS),
    "approval-keys": lambda: key_table(APPROVAL_KEYS),
    "certificate-keys": lambda: key_table(CERTIFICATE_KEYS),
    "signature-keys": lambda: key_table(SIGNATURE_KEYS),
    "theme-keys": lambda: key_table(THEME_KEYS),
    "build-keys": lambda: key_table(BUILD_KEYS),
    "front-matter-keys": lambda: key_table(FRONT_MATTER_KEYS),
    "block-attributes": block_attribute_table,
    "question-attributes": question_attribute_table,
    "diagnostic-codes": diagnostic_table,
}

#: The option tables of docs/cli.md: one per command, and one per subcommand of a group.
CLI_TABLES: dict[str, Callable[[], str]] = {
    f"options-{name}": functools.partial(option_table, name) for name in cli_main.commands
}
CLI_TABLES |= {
    f"options-{name}-{sub}": functools.partial(option_table, name, sub)
    for name, group in cli_main.commands.items()
    if isinstance(group, click.Group)
    for sub in group.commands
}

#: Every reference with generated tables: its file name under docs/, and its tables.
DOCUMENTS: dict[str, dict[str, Callable[[], str]]] = {
    "authoring.md": TABLES,
    "validate.md": {"package-codes": package_code_table},
    "cli.md": CLI_TABLES,
    "banks.md": {"bank-codes": bank_code_table},
}


def tables_of(path: Path) -> dict[str, Callable[[], str]]:
    """The tables of the reference ``path`` (by its file name; authoring.md's by default)."""
    return DOCUMENTS.get(path.name, TABLES)


def render(text: str, tables: dict[str, Callable[[], str]] | None = None) -> str:
    """``text`` with every generated table of ``tables`` (default: authoring.md's) rewritten.

    Raises DocsError when a marker names an unknown table, is never closed, or repeats a
    table, and when a table of ``TABLES`` has no marker at all.
    """
    tables = TABLES if tables is None else tables
    out: list[str] = []
    seen: set[str] = set()
    lines = text.splitlines(keepends=True)
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        out.append(line)
        if _CLOSE.match(line):
            raise DocsError(f"line {index}: '<!-- end generated -->' closes no table")
        match = _OPEN.match(line)
        if not match:
            continue
        name = match.group(1)
        if name not in tables:
            raise DocsError(f"line {index}: unknown generated table {name!r}; "
                            f"the tables are: {', '.join(tables)}")
        if name in seen:
            raise DocsError(f"line {index}: the table {name!r} appears twice")
        seen.add(name)
        opened = index
        while index < len(lines) and not _CLOSE.match(lines[index]):
            if _OPEN.match(lines[index]):
                break
            index += 1
        if index == len(lines) or not _CLOSE.match(lines[index]):
            raise DocsError(f"line {opened}: the table {name!r} is never closed "
                            "with '<!-- end generated -->'")
        out.append("\n" + tables[name]() + "\n\n")
        out.append(lines[index])
        index += 1
    missing = [name for name in tables if name not in seen]
    if missing:
        raise DocsError(f"no marker for the table(s): {', '.join(missing)}; "
                        "add '<!-- generated: NAME -->' … '<!-- end generated -->'")
    return "".join(out)


def stale_tables(text: str, tables: dict[str, Callable[[], str]] | None = None) -> list[str]:
    """The names of the tables whose text differs from what the code generates."""
    tables = TABLES if tables is None else tables
    fresh = render(text, tables)
    if fresh == text:
        return []
    return [name for name in tables if _section(text, name) != _section(fresh, name)]


def _section(text: str, name: str) -> str:
    match = re.search(
        rf"^<!--\s*generated:\s*{re.escape(name)}\s*-->\s*$(.*?)^<!--\s*end generated\s*-->",
        text,
        re.MULTILINE | re.DOTALL,
    )
    return match.group(1) if match else ""


def update(path: Path, *, check: bool = False) -> list[str]:
    """Bring the tables of ``path`` up to date (or, with ``check``, only compare).

    Returns the names of the tables that were (or would be) rewritten.
    """
    text = path.read_text(encoding="utf-8")
    tables = tables_of(path)
    stale = stale_tables(text, tables)
    if stale and not check:
        path.write_text(render(text, tables), encoding="utf-8")
    return stale


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ceforge.docs",
        description="Regenerate the reference tables of docs/ from the code.",
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="path",
                        help="the references to update (default: every one of "
                        f"{', '.join(DOCUMENTS)} in {DOCS_DIR})")
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 if a table is stale")
    args = parser.parse_args(argv)
    paths: list[Path] = args.paths or [DOCS_DIR / name for name in DOCUMENTS]
    return max(_main_one(path, args.check) for path in paths)


def _main_one(path: Path, check: bool) -> int:
    try:
        stale = update(path, check=check)
    except (OSError, DocsError) as exc:
        print(f"{path}: {exc}", file=sys.stderr)
        return 2
    if not stale:
        print(f"{path}: up to date", file=sys.stderr)
        return 0
    if check:
        print(f"{path}: stale tables: {', '.join(stale)}; run 'python -m ceforge.docs'",
              file=sys.stderr)
        return 1
    print(f"{path}: rewrote {', '.join(stale)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
