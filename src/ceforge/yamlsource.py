"""YAML with line numbers: the value of a document plus the line of every mapping key in it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ceforge.diagnostics import Code, Diagnostic, Reporter, SourceLocation
from ceforge.sourcetext import yaml_source

#: Typographic quotes around a whole value, as word processors write "…" and '…'.
_CURLY_QUOTED = re.compile(r"^([“”„‟‘’‚‛])(.*)([“”‟’‘‛])$", re.DOTALL)
_PAIRS = {"“": "”", "”": "”", "„": "“”", "‟": "”", "‘": "’", "’": "’", "‚": "‘’", "‛": "’"}
#: ``key: value`` on one line (what YAML's "mapping values are not allowed here" is about).
_KEY_VALUE = re.compile(r"^(\s*(?:-\s+)?)([^\s:#'\"][^:]*?):\s+(.*?)\s*$")
_KEY = re.compile(r"^\s*(?:-\s+)?[\w.-]+\s*:(?:\s|$)")
_LIST_ITEM = re.compile(r"^(\s*)-(?:\s|$)")

# Keys deeper than this are not given lines of their own; their parent's line is used.
_MAX_DEPTH = 4
#: libyaml's loader, where PyYAML was built with it: the same nodes, marks and values as the
#: pure-Python loader, ten times faster. A document it cannot read is read again by the
#: pure-Python loader, whose messages and lines ceforge reports.
_FAST_LOADER: type[yaml.SafeLoader] | None = getattr(yaml, "CSafeLoader", None)


@dataclass
class YamlDoc:
    """A parsed YAML document: ``value`` and the 1-based line of each dotted key path."""

    value: Any
    path: str
    first_line: int
    lines: dict[str, int] = field(default_factory=dict)
    #: The text of each scalar value as written (``version: 1.10`` is the float 1.1 in ``value``).
    scalars: dict[str, str] = field(default_factory=dict)

    def loc(self, key: str = "") -> SourceLocation:
        """The location of ``key`` (``"ce.hours"``), falling back to its nearest parent."""
        while key:
            if key in self.lines:
                return SourceLocation(self.path, self.lines[key])
            key = key.rpartition(".")[0]
        return SourceLocation(self.path, self.first_line)


def load_yaml(text: str, path: str, reporter: Reporter, line_offset: int = 0) -> YamlDoc | None:
    """Parse ``text``; on a syntax error report it at its line and return None.

    ``line_offset`` is the number of file lines before ``text`` (front matter starts after ``---``).
    """
    text = yaml_source(text)
    fast = _fast_load(text, path, line_offset)
    if fast is not None:
        node, value, said = fast
        reporter.diagnostics += said
        return _document(text, path, reporter, line_offset, node, value)
    try:
        # The reader rejects characters YAML forbids (most control characters) right here.
        loader = yaml.SafeLoader(text)
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1 + line_offset
        reporter.report(
            SourceLocation(path, line),
            Code.YAML_SYNTAX,
            f"YAML syntax: the character U+{exc.character:04X} is not allowed in YAML",
        )
        return None
    try:
        node = loader.get_single_node()
        if node is not None and not _read_as_meant(node, text, path, line_offset, reporter):
            return None
        value = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        _report_syntax(exc, text, path, line_offset, reporter)
        return None
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as exc:
        reporter.report(
            SourceLocation(path, line_offset + 1), Code.YAML_SYNTAX, f"YAML syntax: {exc}"
        )
        return None
    finally:
        loader.dispose()
    return _document(text, path, reporter, line_offset, node, value)


def _fast_load(
    text: str, path: str, line_offset: int
) -> tuple[yaml.Node | None, Any, list[Diagnostic]] | None:
    """The node and value of ``text`` read by libyaml, and what ``_read_as_meant`` says of
    it; None where there is no libyaml or it finds anything wrong (the pure-Python loader
    then reads the document again and reports it, once)."""
    if _FAST_LOADER is None:
        return None
    said = Reporter()
    try:
        loader = _FAST_LOADER(text)
        try:
            node = loader.get_single_node()
            if node is not None and not _read_as_meant(node, text, path, line_offset, said):
                return None
            value = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except Exception:  # a YAML error, or one of the constructor's
        return None
    return node, value, said.diagnostics


def _document(
    text: str, path: str, reporter: Reporter, line_offset: int, node: yaml.Node | None, value: Any
) -> YamlDoc:
    """The document read from ``text``, with the line of each key and its duplicates reported."""
    doc = YamlDoc(value, path, line_offset + 1)
    if node is not None:
        doc.first_line = node.start_mark.line + 1 + line_offset
        duplicates: list[tuple[str, int]] = []
        _record_lines(node, "", doc, line_offset, 0, duplicates)
        for key, line in duplicates:
            reporter.report(
                SourceLocation(path, line),
                Code.YAML_DUPLICATE_KEY,
                f"{key!r} is given twice (first at line {doc.lines[key]}); YAML keeps only one",
            )
    last = _last_line(text, line_offset)
    doc.first_line = min(doc.first_line, last)
    doc.lines = {key: min(line, last) for key, line in doc.lines.items()}
    return doc


def _last_line(text: str, offset: int) -> int:
    """The last line of ``text``: YAML also breaks lines at U+0085, U+2028 and U+2029, where
    editors and ceforge count '\\n' only, so YAML's line numbers are capped at this one."""
    return text.count("\n") + 1 + offset


def _record_lines(
    node: yaml.Node,
    prefix: str,
    doc: YamlDoc,
    offset: int,
    depth: int,
    duplicates: list[tuple[str, int]],
) -> None:
    """Record the line of every key below ``node``, and the keys a mapping repeats."""
    lines = doc.lines
    if depth >= _MAX_DEPTH:
        return
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            key = f"{prefix}{key_node.value}"
            line = key_node.start_mark.line + 1 + offset
            if key in lines:
                duplicates.append((key, line))
            lines.setdefault(key, line)
            if isinstance(value_node, yaml.ScalarNode):
                doc.scalars.setdefault(key, value_node.value)
            _record_lines(value_node, key + ".", doc, offset, depth + 1, duplicates)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value[:10_000]):
            key = f"{prefix}{index}"
            lines.setdefault(key, item.start_mark.line + 1 + offset)
            _record_lines(item, key + ".", doc, offset, depth + 1, duplicates)


def _report_syntax(
    exc: yaml.MarkedYAMLError, text: str, path: str, offset: int, reporter: Reporter
) -> None:
    """A syntax error at the line of its cause, when that is not where the parser gave up: the
    opening of a quote never closed, the value holding ': ', the list item out of line."""
    mark = exc.problem_mark or exc.context_mark
    last = _last_line(text, offset)
    line = min((mark.line + 1 if mark else 1) + offset, last)
    problem = exc.problem or exc.context or "malformed YAML"
    lines = text.split("\n")
    source = lines[line - offset - 1] if 0 < line - offset <= len(lines) else ""
    if exc.context == "while scanning a quoted scalar" and exc.context_mark is not None:
        opened = min(exc.context_mark.line + 1 + offset, last)
        reporter.report(
            SourceLocation(path, opened),
            Code.YAML_UNCLOSED_QUOTE,
            f"the quote opened on this line is never closed; close it on this line "
            f"(YAML read on to line {line}: {problem})",
        )
        return
    runaway = _runaway_quote(text, mark.line if mark else 0)
    if runaway is not None:
        opened, over = runaway
        reporter.report(
            SourceLocation(path, opened + 1 + offset),
            Code.YAML_UNCLOSED_QUOTE,
            f"the quote opened on this line is not closed on it, so the value runs on over "
            f"line {over + 1 + offset} and the keys after it; close it on this line (YAML "
            f"gave up at line {line}: {problem})",
        )
        return
    message = f"YAML syntax: {problem}"
    pair = _KEY_VALUE.match(source)
    if problem == "mapping values are not allowed here" and pair:
        _indent, key, value = pair.groups()
        quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        message += (
            f"; the value of {key.strip()!r} holds ': ', so put the value in quotes: "
            f"{key.strip()}: {quoted}"
        )
    item = _LIST_ITEM.match(source)
    if item and "expected <block end>" in problem:
        above = _item_above(lines, line - offset - 1)
        if above is not None and above[1] != len(item.group(1)):
            message = (
                f"YAML syntax: this list item is not lined up with the one at line "
                f"{above[0] + offset + 1}; indent every '-' of a list the same"
            )
    reporter.report(SourceLocation(path, line), Code.YAML_SYNTAX, message)


def _runaway_quote(text: str, gave_up: int) -> tuple[int, int] | None:
    """(opening line, first key line it swallowed) of the last quoted value before the parser
    gave up that ran on over the next lines' keys: a quote left open that a later value's
    quote closed, so that YAML fails lines after the cause (0-based lines)."""
    lines = text.split("\n")
    found: tuple[int, int] | None = None
    try:
        for token in yaml.scan(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            if token.start_mark.line > gave_up:
                break
            if isinstance(token, yaml.ScalarToken) and token.style in ('"', "'"):
                start, end = token.start_mark.line, token.end_mark.line
                over = next((i for i in range(start + 1, min(end + 1, len(lines)))
                             if _KEY.match(lines[i])), None)
                if over is not None:
                    found = (start, over)
    except yaml.YAMLError:
        pass
    return found


def _item_above(lines: list[str], index: int) -> tuple[int, int] | None:
    """(index, indentation) of the nearest list item above line ``index``."""
    for above in range(index - 1, -1, -1):
        item = _LIST_ITEM.match(lines[above])
        if item:
            return above, len(item.group(1))
        if _KEY.match(lines[above]):
            return None
    return None


def _read_as_meant(
    root: yaml.Node, text: str, path: str, offset: int, reporter: Reporter
) -> bool:
    """Check the values of a composed document before they are built: a quoted value that runs
    on over the next lines' keys is an error (False); a plain value wrapped in typographic
    quotes has them taken as quotes, with a warning."""
    lines = text.split("\n")
    ok = True
    for node in _values(root):
        line = node.start_mark.line + 1 + offset
        if node.style in ('"', "'") and node.end_mark.line > node.start_mark.line:
            runs_over = [
                i for i in range(node.start_mark.line + 1, min(node.end_mark.line + 1, len(lines)))
                if _KEY.match(lines[i])
            ]
            if runs_over:
                reporter.report(
                    SourceLocation(path, line),
                    Code.YAML_UNCLOSED_QUOTE,
                    f"the quote opened on this line is not closed on it, so the value runs on "
                    f"over line {runs_over[0] + 1 + offset} and the keys after it; close it "
                    "on this line",
                )
                ok = False
        elif not node.style and node.tag == "tag:yaml.org,2002:str":  # plain: libyaml says ""
            curly = _CURLY_QUOTED.match(node.value)
            if curly and curly.group(3) in _PAIRS[curly.group(1)]:
                node.value = curly.group(2)
                reporter.report(
                    SourceLocation(path, line),
                    Code.YAML_CURLY_QUOTES,
                    f"{curly.group(0)!s} is wrapped in typographic quotes, which YAML keeps as "
                    f"part of the value; ceforge reads them as quotes: write "
                    f'"{curly.group(2)}" with straight quotes',
                )
    return ok


def _values(node: yaml.Node) -> list[yaml.ScalarNode]:
    """Every scalar that is a value (of a mapping or a sequence), not a key."""
    found: list[yaml.ScalarNode] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.ScalarNode):
            found.append(current)
        elif isinstance(current, yaml.MappingNode):
            stack.extend(value for _key, value in current.value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return found
