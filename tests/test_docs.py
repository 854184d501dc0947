"""docs/authoring.md stays true: its tables match the code, and its examples pass the checks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ceforge import docs, markdown
from ceforge.build import check_course_folder
from ceforge.config import read_course_config
from ceforge.diagnostics import Reporter
from ceforge.glossary import read_glossary
from ceforge.model import QuestionType
from ceforge.yamlsource import load_yaml

ROOT = Path(__file__).resolve().parent.parent
AUTHORING = ROOT / "docs" / "authoring.md"
FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
LOCAL_ASSET = re.compile(r"(?:\]\(|=)(\.\./assets/[^)\s}]+)")
#: What an example's WebVTT file holds (an empty one would not be a WebVTT file).
CAPTIONS = "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nA line of the recording.\n"
GLOSSARY_EXAMPLE = "# glossary.yml"


def examples(info: str) -> list[str]:
    return [body for lang, body in FENCE.findall(AUTHORING.read_text(encoding="utf-8"))
            if lang == info]


def test_authoring_tables_are_current() -> None:
    text = AUTHORING.read_text(encoding="utf-8")
    stale = docs.stale_tables(text)
    assert not stale, f"docs/authoring.md is stale ({', '.join(stale)}): run python -m ceforge.docs"
    assert docs.render(text) == text


def test_every_reference_is_current() -> None:
    for name, tables in docs.DOCUMENTS.items():
        text = (ROOT / "docs" / name).read_text(encoding="utf-8")
        assert docs.stale_tables(text, tables) == [], f"docs/{name}: run python -m ceforge.docs"
        for table in tables.values():
            assert table() in text
    # The checkout's documents, named explicitly: the installed package does not sit beside them.
    assert docs.main(["--check", *(str(ROOT / "docs" / name) for name in docs.DOCUMENTS)]) == 0


def test_every_table_is_generated_from_code() -> None:
    text = AUTHORING.read_text(encoding="utf-8")
    for name, make in docs.TABLES.items():
        assert make() in text, name


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<!-- generated: nonsense -->\n<!-- end generated -->\n", "unknown generated table"),
        ("<!-- generated: course-keys -->\n| stale |\n", "never closed"),
        ("text\n<!-- end generated -->\n", "closes no table"),
        ("<!-- generated: course-keys -->\n<!-- end generated -->\n" * 2, "appears twice"),
        ("no markers at all\n", "no marker for the table"),
    ],
)
def test_malformed_markers_are_refused(text: str, message: str) -> None:
    with pytest.raises(docs.DocsError, match=message):
        docs.render(text)


def test_check_reports_a_stale_table_and_update_fixes_it(tmp_path: Path) -> None:
    path = tmp_path / "authoring.md"
    current = AUTHORING.read_text(encoding="utf-8")
    path.write_text(current.replace("| `title` | Module title.", "| `title` | Old help."),
                    encoding="utf-8")
    assert docs.main(["--check", str(path)]) == 1
    assert "Old help." in path.read_text(encoding="utf-8")
    assert docs.main([str(path)]) == 0
    assert path.read_text(encoding="utf-8") == current
    assert docs.main(["--check", str(path)]) == 0


def _course_with_module(root: Path, module: str) -> Path:
    """A course of one module holding ``module``, with the assets it names (empty files)."""
    (root / "modules").mkdir(parents=True)
    (root / "course.yml").write_text("id: urn:ceforge:docs-example\ntitle: Example\n",
                                     encoding="utf-8")
    if not module.startswith(("---", "# ")):
        module = "# Example\n\n" + module
    (root / "modules" / "01-example.md").write_text(module, encoding="utf-8")
    for rel in LOCAL_ASSET.findall(module):
        asset = root / "modules" / rel
        asset.parent.mkdir(parents=True, exist_ok=True)
        asset.write_text(CAPTIONS if rel.endswith(".vtt") else "", encoding="utf-8")
    return root


def test_markdown_examples_pass_a_strict_check(tmp_path: Path) -> None:
    found: set[QuestionType] = set()
    for index, example in enumerate(examples("markdown")):
        course = _course_with_module(tmp_path / f"example-{index}", example)
        result = check_course_folder(course)
        assert result.diagnostics == [], f"example {index}:\n{example}"
        assert result.course is not None
        found.update(q.type for q in result.course.questions)
    assert found == set(QuestionType), "docs/authoring.md needs one example per question type"


def test_every_block_has_an_example() -> None:
    written = {markdown_kind(line) for e in examples("markdown") for line in e.splitlines()
               if line.startswith(":::") and line.strip() != ":::"}
    kinds = set(markdown.BLOCK_KINDS) | set(markdown.STATIC_KINDS) - set(markdown.CALLOUT_KINDS)
    assert kinds <= written, f"no ```markdown example of {sorted(kinds - written)}"
    assert written & set(markdown.CALLOUT_KINDS), "no example of a callout"
    assert any("> [!" in e for e in examples("markdown")), "no example of a GitHub alert"


def markdown_kind(line: str) -> str:
    return line[3:].split()[0].split("{")[0]


def test_glossary_examples_are_valid() -> None:
    found = [e for e in examples("yaml") if e.startswith(GLOSSARY_EXAMPLE)]
    assert found, "docs/authoring.md shows a glossary.yml"
    for example in found:
        reporter = Reporter()
        terms = read_glossary(example, reporter, lambda url, loc: None, lambda html, loc: html)
        assert terms and reporter.diagnostics == [], example


def test_course_yml_examples_are_valid() -> None:
    yaml_examples = [e for e in examples("yaml") if not e.startswith(GLOSSARY_EXAMPLE)]
    assert len(yaml_examples) >= 2
    for example in yaml_examples:
        reporter = Reporter()
        doc = load_yaml(example, "course.yml", reporter)
        assert doc is not None
        assert read_course_config(doc, reporter) is not None
        assert reporter.diagnostics == [], example
