"""course.yml and front matter read by libyaml give what the pure-Python loader gives: the same
values, the same line of every key, the same diagnostics (a document libyaml cannot read is
read again by the pure-Python loader, whose words and lines ceforge reports)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ceforge import yamlsource
from ceforge.diagnostics import Reporter
from ceforge.yamlsource import load_yaml

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    getattr(yaml, "CSafeLoader", None) is None, reason="PyYAML is built without libyaml here"
)


def documents() -> list[tuple[str, str, int]]:
    """Every course.yml and front matter of the examples, templates and fixtures."""
    found = []
    for path in sorted([*ROOT.glob("examples/**/*"), *ROOT.glob("tests/fixtures/**/*")]):
        if path.suffix not in (".yml", ".md") or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
        except (UnicodeDecodeError, OSError):
            continue
        if path.suffix == ".yml":
            found.append((str(path.relative_to(ROOT)), text, 0))
        elif text.startswith("---\n") and "\n---" in text[3:]:
            found.append((str(path.relative_to(ROOT)), text[4 : text.index("\n---", 3) + 1], 1))
    return found


BROKEN = [
    "title: [unclosed\n",
    "a: 1\na: 2\n",
    "key: value: other\n",
    "\tindented: with a tab\n",
    "title: bell \x07 character\n",
    "list:\n  - one\n - two\n",
    "? [a, b]\n: complex key\n",
    "title: 'quote\n",
    "x: &a 1\ny: *a\nz: *missing\n",
    "line\u2028break: 1\nnext: 2\n",
    "",
    "# only a comment\n",
    "--- \n...\n",
]


def read(text: str, line_offset: int, fast: bool, monkeypatch: pytest.MonkeyPatch) -> object:
    with monkeypatch.context() as patch:
        if not fast:
            patch.setattr(yamlsource, "_FAST_LOADER", None)
        reporter = Reporter()
        doc = load_yaml(text, "doc.yml", reporter, line_offset)
    described = None if doc is None else (doc.value, doc.first_line, doc.lines, doc.scalars)
    return described, [str(d) for d in reporter.diagnostics]


@pytest.mark.parametrize(("name", "text", "offset"), documents(), ids=lambda v: None)
def test_every_document_of_the_project_reads_the_same(
    name: str, text: str, offset: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert read(text, offset, True, monkeypatch) == read(text, offset, False, monkeypatch), name


@pytest.mark.parametrize("text", BROKEN)
def test_broken_documents_are_reported_in_the_same_words(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert read(text, 1, True, monkeypatch) == read(text, 1, False, monkeypatch)


def test_documents_are_found() -> None:
    assert len(documents()) > 20
