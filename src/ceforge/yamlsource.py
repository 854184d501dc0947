"""YAML with line numbers: the value of a document plus the line of every mapping key in it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from ceforge.diagnostics import Code, Reporter, SourceLocation

# Keys deeper than this are not given lines of their own; their parent's line is used.
_MAX_DEPTH = 4


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
        value = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = min((mark.line + 1 if mark else 1) + line_offset, _last_line(text, line_offset))
        problem = exc.problem or exc.context or "malformed YAML"
        reporter.report(SourceLocation(path, line), Code.YAML_SYNTAX, f"YAML syntax: {problem}")
        return None
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as exc:
        reporter.report(
            SourceLocation(path, line_offset + 1), Code.YAML_SYNTAX, f"YAML syntax: {exc}"
        )
        return None
    finally:
        loader.dispose()
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
