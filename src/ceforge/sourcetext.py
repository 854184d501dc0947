"""What word processors and hurried hands do to source text, undone before it is parsed.

Text pasted from Word or typed on a phone carries characters that look right and parse
wrong: a non-breaking space after ``###``, ``-``, ``[x]``, ``=`` or ``:::`` (the question
silently becomes text), a front-matter line ``—-`` where ``---`` was typed, ``:: quiz`` with
one colon short. Here each is read as the author meant it, line for line (line numbers never
move), and what cannot stay silent is reported at its line:

- Unicode spaces in structural positions (the indentation and the space after a Markdown
  marker; the indentation, ``- `` and ``key: `` of YAML) are plain spaces. Elsewhere (inside
  text) they are kept: a non-breaking space between a number and its unit is deliberate.
- A first line made of dashes that is not ``---``, closed by another such line, is front matter
  (``module.front-matter``, an error: the file must be fixed, but it is read as intended so
  that no false "no title" follows).
- ``:: quiz`` and a closing ``::`` are blocks (``container.bad-fence``, an error, at their line).
"""

from __future__ import annotations

import re

from ceforge.diagnostics import Code, Reporter, SourceLocation

#: The Unicode space separators other than the ASCII space: what "a space" is to a reader
#: (as a regular expression class's content).
UNICODE_SPACES = "\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
#: The same characters, and tabs and spaces: what ``str.strip`` takes.
_BLANKS = " \t\u00a0\u1680\u202f\u205f\u3000" + "".join(map(chr, range(0x2000, 0x200B)))
_SPACE = f"[ \t{UNICODE_SPACES}]"
_UNICODE_SPACE = re.compile(f"[{UNICODE_SPACES}]")
#: Markdown's line-start markers: heading, bullet, ordered item, quote, answer line, block.
_MARKER = r"(?:#{1,6}|[-*+]|\d{1,9}[.)]|>|=|:{3,})"
_MARKDOWN_PREFIX = re.compile(
    rf"^{_SPACE}*(?:{_MARKER}(?:{_SPACE}+|$))+(?:\[[ xX{UNICODE_SPACES}]\](?:{_SPACE}+|$))?"
)
_CODE_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
#: Every word that may follow ``:::`` (``ceforge.markdown.CONTAINER_KINDS``; not imported: the
#: YAML reader uses this module).
BLOCK_WORDS = (
    "quiz", "test", "survey", "attestation", "scenario", "video", "audio", "reflection",
    "note", "tip", "important", "warning", "caution", "example", "tabs", "accordion", "glossary",
)
_KINDS = "|".join(BLOCK_WORDS)
_TWO_COLONS = re.compile(rf"^( {{0,3}})::(?!:)[ \t]*((?:{_KINDS})\b.*)$", re.IGNORECASE)
_TWO_COLONS_CLOSE = re.compile(r"^( {0,3})::[ \t]*$")
#: Characters a word processor makes of typed hyphens.
_DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212")
_YAML_KEY_LINE = re.compile(r"^\s*[A-Za-z_][\w-]*\s*:")
#: YAML: the indentation, a sequence's "- " and a key's ": ".
_YAML_INDENT = re.compile(rf"^{_SPACE}+")
_YAML_DASH = re.compile(rf"^((?: *-{_SPACE}+)*) *-[{UNICODE_SPACES}]")
_YAML_KEY = re.compile(
    rf"^( *(?:- +)*[^\s{UNICODE_SPACES}'\"#:{{}}\[\],&*!|>%@`-][^:#\n]*?:)[{UNICODE_SPACES}]+"
)


def _plain_spaces(text: str) -> str:
    """``text`` with every Unicode space an ASCII one (the same length)."""
    return _UNICODE_SPACE.sub(" ", text)


def markdown_source(rel: str, text: str, reporter: Reporter) -> str:
    """A module's text as its author meant it (see the module docstring), line for line."""
    lines = text.split("\n")
    start = _front_matter(rel, lines, reporter)
    fence: str | None = None
    for index in range(start, len(lines)):
        line = lines[index]
        opened = _CODE_FENCE.match(line)
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            continue
        if opened:
            fence = opened.group(1)
            continue
        prefix = _MARKDOWN_PREFIX.match(line)
        if prefix and prefix.group().strip(_BLANKS):
            if line.lstrip(_BLANKS).startswith(":::"):
                line = _plain_spaces(line)  # a block line: its attributes and its end too
            else:
                line = _plain_spaces(prefix.group()) + line[prefix.end() :]
        lines[index] = _block_fence(rel, index + 1, line, reporter)
    return "\n".join(lines)


def _block_fence(rel: str, number: int, line: str, reporter: Reporter) -> str:
    """``:: quiz`` (or a closing ``::``) as the ``:::`` line it was meant to be, reported."""
    opened = _TWO_COLONS.match(line)
    if opened:
        reporter.report(
            SourceLocation(rel, number),
            Code.CONTAINER_BAD_FENCE,
            f"'::' opens no block: a block starts with three colons, '::: {opened.group(2)}'",
        )
        return f"{opened.group(1)}::: {opened.group(2)}"
    if _TWO_COLONS_CLOSE.match(line):
        reporter.report(
            SourceLocation(rel, number),
            Code.CONTAINER_BAD_FENCE,
            "'::' closes no block: a block ends with a line of three colons, ':::'",
        )
        return f"{line.rstrip()}:"
    return line


def _front_matter(rel: str, lines: list[str], reporter: Reporter) -> int:
    """The index of the first line after the front matter (0 without one); a front matter
    opened or closed by dashes that are not ``---`` is read as one and reported."""
    if not lines or not _dash_line(lines[0]):
        return 0
    end = next((i for i in range(1, len(lines)) if _dash_line(lines[i])), None)
    if end is None:
        return 0
    wrong = [i for i in (0, end) if lines[i].strip(_BLANKS) != "---"]
    if wrong and wrong[0] == 0 and not _looks_like_yaml(lines[1:end]):
        return 0
    if wrong and wrong[0] == 0:
        shown = lines[0].strip()
        also = f", and so must its end at line {end + 1}" if end in wrong else ""
        reporter.report(
            SourceLocation(rel, 1),
            Code.MODULE_FRONT_MATTER,
            f"front matter must start with a line of three hyphens '---', not {shown!r} "
            f"(a word processor may have made a dash of them){also}",
        )
    elif wrong:
        reporter.report(
            SourceLocation(rel, end + 1),
            Code.MODULE_FRONT_MATTER,
            f"front matter must end with a line of three hyphens '---', not "
            f"{lines[end].strip()!r} (a word processor may have made a dash of them)",
        )
    lines[0] = lines[end] = "---"
    return end + 1


def _dash_line(line: str) -> bool:
    """A line of two or three dashes of any kind (what ``---`` may have become)."""
    text = line.strip(_BLANKS)
    return 1 <= len(text) <= 3 and set(text) <= _DASHES and text != "-"


def _looks_like_yaml(lines: list[str]) -> bool:
    first = next((line for line in lines if line.strip()), "")
    return bool(_YAML_KEY_LINE.match(first))


def yaml_source(text: str) -> str:
    """YAML (course.yml, front matter) with Unicode spaces read as spaces where YAML's
    structure is: the indentation, after a sequence's ``-`` and after a key's ``:``."""
    if not _UNICODE_SPACE.search(text):
        return text
    lines = text.split("\n")
    for index, line in enumerate(lines):
        indent = _YAML_INDENT.match(line)
        if indent:
            line = _plain_spaces(indent.group()) + line[indent.end() :]
        while dash := _YAML_DASH.match(line):
            line = _plain_spaces(line[: dash.end()]) + line[dash.end() :]
        key = _YAML_KEY.match(line)
        if key:
            line = _plain_spaces(line[: key.end()]) + line[key.end() :]
        lines[index] = line
    return "\n".join(lines)
