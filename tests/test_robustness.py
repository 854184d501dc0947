"""Whatever the input, the parser returns a model or diagnostics: never an exception.

Hypothesis throws arbitrary text, Markdown built from the pieces of the source format, and
arbitrary YAML at ``check_course_folder``, as module files, front matter and course.yml. A
course of 10 000 questions must check cleanly (how fast: benchmarks/build.py).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ceforge.build import CheckResult, check_course_folder
from ceforge.config import COMPLETION_KEYS, COURSE_KEYS, FRONT_MATTER_KEYS
from ceforge.diagnostics import Code, Diagnostic

COURSE_YML = "id: urn:ceforge:test:robust\ntitle: Robust\n"

ROBUST = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# The pieces of the source format, to build Markdown that reaches the quiz parser.
PIECES = [
    "\n",
    "\n\n",
    "  ",
    "    ",
    "\t",
    "# ",
    "## ",
    "### ",
    "#### ",
    "Prompt",
    "text",
    "- ",
    "* ",
    "1. ",
    "2) ",
    "- [x] ",
    "- [ ] ",
    "- [X] ",
    "[x]",
    "True",
    "False",
    "= ",
    "=",
    "42",
    "-3.5",
    "..",
    " ± ",
    " +- ",
    "0.1",
    "e",
    ":::",
    "::: ",
    "quiz",
    "test",
    "survey",
    "attestation",
    "::: quiz\n",
    "::: test {draw=2 attempts=3 shuffle=true}\n",
    "::: survey\n",
    "::: attestation\n",
    "\n:::\n",
    "{",
    "}",
    "{#id}",
    "{#q-1 points=2}",
    "{draw=0}",
    "{#bad/id}",
    "=",
    '"',
    " -> ",
    "->",
    "> ",
    ">",
    "  > ",
    "![alt](",
    "](",
    "[link](",
    ")",
    "../",
    "../../x.png",
    "/etc/hostname",
    "C:\\x.png",
    "assets/figure.svg",
    '<img src="',
    '">',
    "`",
    "```\n",
    "*",
    "_",
    "|",
    "| a | b |\n|---|---|\n",
    "[^1]",
    "[^1]: note\n",
    "---\n",
    "title: T\n",
    "\\",
    "&amp;",
    "<!--",
    "\u00a0",
    "\ufeff",
    "\x00",
    "\x07",
    "é",
]

# Lines built like the format's own: a block prefix, some content, maybe attributes.
LINE_PREFIXES = [
    *("", "", "", "# ", "## ", "### ", "### ", "#### ", "- [x] ", "- [ ] ", "- [X] ", "1. "),
    *("2) ", "- ", "* ", "= ", "= ", "=", "> ", "  > ", "  ", "    ", "::: ", ":::", "---"),
]
LINE_CONTENT = [
    *("Prompt?", "Right", "Wrong", "True", "False", "true", "42", "-3.5", "40..45", "45..40"),
    *("3.5 ± 0.1", "3.6 +- 0.1", "1e3", "e", "Rogers", "Left -> Right", " -> Right", "Left ->"),
    *("--- -> Right", "Left -> 1. Right", "> Left -> Right", "``` -> Right", "Left -> Left"),
    *("quiz", "test {draw=2 attempts=3}", "survey", "attestation", "quizz", "test {drow=1}"),
    *("![alt](../assets/figure.svg)", "![](../assets/none.png)", "[a](../../x)", "[b](/etc/x)"),
    *('<img src="../assets/figure.svg">', "`code`", "*em*", "| a | b |", "[^1]", "é", ""),
]
LINE_SUFFIXES = ["", "", "", " {#q-1}", " {#id points=2}", " {points=0}", " {#bad/id}", " {", "}"]
_line = st.builds(
    lambda prefix, content, suffix, end: prefix + content + suffix + end,
    st.sampled_from(LINE_PREFIXES),
    st.sampled_from(LINE_CONTENT) | st.text(max_size=8),
    st.sampled_from(LINE_SUFFIXES),
    st.sampled_from(["\n", "\n", "\n\n"]),
)
markdownish = st.one_of(
    st.lists(_line, max_size=40).map("".join),
    st.lists(st.sampled_from(PIECES) | st.text(max_size=8), max_size=60).map("".join),
)
quizzish = st.builds(
    lambda kind, body: f"# M\n\n::: {kind}\n\n{body}\n\n:::\n",
    st.sampled_from(["quiz", "test", "survey", "attestation"]),
    st.lists(_line, max_size=40).map("".join),
)

YAML_PIECES = [
    *("a: ", "- ", "  ", "\n", "\t", "[", "]", "{", "}", ": ", ", ", "? ", "|", ">", "'", '"'),
    *("&a ", "*a", "!!str ", "!!python/object ", "#", "---", "...", "%YAML 1.1\n", "<<: "),
]

_KEYS = sorted(
    {k.name for k in (*COURSE_KEYS, *COMPLETION_KEYS, *FRONT_MATTER_KEYS)}
    | {"hours", "level", "approvals", "body", "accent", "logo"}
)
_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.sampled_from(["80%", "150%", "urn:x:y", "https://example.org/c", "#a1b2c3", "all", "pass"])
)
_KEY = st.sampled_from(_KEYS) | st.text(max_size=6)
# Two levels deep, like course.yml (ce.approvals.0.body is as deep as it gets).
_INNER = _SCALARS | st.lists(_SCALARS, max_size=3) | st.dictionaries(_KEY, _SCALARS, max_size=3)
yaml_values = _INNER | st.lists(_INNER, max_size=3) | st.dictionaries(_KEY, _INNER, max_size=5)
yaml_text = st.one_of(
    yaml_values.map(lambda v: yaml.safe_dump(v, allow_unicode=True)),
    st.dictionaries(st.sampled_from(_KEYS), yaml_values, max_size=8).map(
        lambda v: yaml.safe_dump(v, allow_unicode=True)
    ),
    st.text(max_size=80),
    st.lists(st.sampled_from(YAML_PIECES) | st.text(max_size=5), max_size=30).map("".join),
)


def check_files(files: dict[str, str | bytes]) -> CheckResult:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "modules").mkdir()
        (root / "assets").mkdir()
        (root / "assets" / "figure.svg").write_text("<svg/>", encoding="utf-8")
        for rel, content in files.items():
            data = content if isinstance(content, bytes) else content.encode("utf-8", "replace")
            (root / rel).write_bytes(data)
        result = check_course_folder(root)
        assert_sound(result, root)
        return result


def assert_sound(result: CheckResult, root: Path) -> None:
    """Diagnostics name a file of the course and a line inside it; no model means errors."""
    for d in result.diagnostics:
        assert isinstance(d, Diagnostic)
        assert isinstance(d.code, Code)
        assert d.message
        path = root / d.loc.path
        if d.loc.line and path.is_file():
            data = path.read_bytes().replace(b"\r\n", b"\n").replace(b"\r", b"\n")
            lines = data.count(b"\n") + 1
            assert 1 <= d.loc.line <= lines, f"{d} is past the end of the file ({lines} lines)"
    if result.course is None:
        assert result.errors


@ROBUST
@given(st.text())
def test_arbitrary_text_as_a_module(text: str) -> None:
    check_files({"course.yml": COURSE_YML, "modules/01-m.md": text})


@ROBUST
@given(st.one_of(markdownish, quizzish))
def test_markdownish_text_as_a_module(text: str) -> None:
    check_files({"course.yml": COURSE_YML, "modules/01-m.md": text})


@ROBUST
@given(yaml_text)
def test_arbitrary_yaml_as_course_yml(text: str) -> None:
    check_files({"course.yml": text, "modules/01-m.md": "# M\n\nText.\n"})


@ROBUST
@given(yaml_text, markdownish)
def test_arbitrary_yaml_as_front_matter(front: str, body: str) -> None:
    check_files({"course.yml": COURSE_YML, "modules/01-m.md": f"---\n{front}\n---\n{body}"})


@ROBUST
@given(st.binary(max_size=200))
def test_arbitrary_bytes_as_course_files(data: bytes) -> None:
    check_files({"course.yml": COURSE_YML, "modules/01-m.md": data})
    check_files({"course.yml": data, "modules/01-m.md": "# M\n"})


def _question(n: int) -> str:
    kind = n % 7
    answer: Any
    if kind == 0:
        answer = "- [x] Right\n- [ ] Wrong\n\n> Feedback."
    elif kind == 1:
        answer = "- [x] One\n- [x] Two\n- [ ] Three"
    elif kind == 2:
        answer = "- [ ] True\n- [x] False"
    elif kind == 3:
        answer = "= Rogers\n= Carl Rogers"
    elif kind == 4:
        answer = f"= {n} ± 0.5"
    elif kind == 5:
        answer = "- Left -> Right\n- Up -> Down"
    else:
        answer = "1. First\n2. Second\n3. Third"
    return f"### Question {n}?\n\n{answer}\n"


def test_ten_thousand_questions_check_cleanly() -> None:
    body = "\n".join(_question(n) for n in range(10_000))
    module = f"# Question bank\n\n::: quiz\n\n{body}\n:::\n"
    result = check_files({"course.yml": COURSE_YML, "modules/01-bank.md": module})
    assert result.diagnostics == []
    assert result.course is not None
    assert len(result.course.questions) == 10_000
    assert len({q.id for q in result.course.questions}) == 10_000
