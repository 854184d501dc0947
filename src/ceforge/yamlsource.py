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
        line = (mark.line + 1 if mark else 1) + line_offset
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
        _record_lines(node, "", doc.lines, line_offset, 0)
    return doc


def _record_lines(
    node: yaml.Node, prefix: str, lines: dict[str, int], offset: int, depth: int
) -> None:
    if depth >= _MAX_DEPTH:
        return
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            key = f"{prefix}{key_node.value}"
            lines.setdefault(key, key_node.start_mark.line + 1 + offset)
            _record_lines(value_node, key + ".", lines, offset, depth + 1)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value[:10_000]):
            key = f"{prefix}{index}"
            lines.setdefault(key, item.start_mark.line + 1 + offset)
            _record_lines(item, key + ".", lines, offset, depth + 1)
