"""The course model: what every target renders. Plain dataclasses; each part knows its source."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from ceforge.config import CourseConfig
from ceforge.diagnostics import SourceLocation


class BlockKind(enum.StrEnum):
    QUIZ = "quiz"
    TEST = "test"
    SURVEY = "survey"
    ATTESTATION = "attestation"


class QuestionType(enum.StrEnum):
    """Question types, named after the SCORM 2004 / xAPI interaction types they become."""

    CHOICE = "choice"
    MULTIPLE_CHOICE = "multiple-choice"
    TRUE_FALSE = "true-false"
    FILL_IN = "fill-in"
    NUMERIC = "numeric"
    MATCHING = "matching"
    SEQUENCING = "sequencing"
    LIKERT = "likert"
    ESSAY = "essay"

    @property
    def gradable(self) -> bool:
        return self not in (QuestionType.LIKERT, QuestionType.ESSAY)


@dataclass
class Choice:
    """An option of a choice, true-false or likert question, or an item of a sequence."""

    id: str
    html: str
    text: str
    correct: bool = False
    feedback_html: str = ""
    loc: SourceLocation = field(default_factory=lambda: SourceLocation(""))


@dataclass
class Pair:
    """One row of a matching question: source matches target."""

    source: Choice
    target: Choice


@dataclass
class NumericAnswer:
    """An inclusive range; an exact answer has low == high."""

    low: float
    high: float


@dataclass
class Question:
    id: str
    type: QuestionType
    prompt_html: str
    prompt_text: str
    loc: SourceLocation
    stem_html: str = ""
    points: float = 1.0
    choices: list[Choice] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)
    numeric: NumericAnswer | None = None
    pairs: list[Pair] = field(default_factory=list)
    feedback_html: str = ""


@dataclass
class Block:
    """A ``::: quiz|test|survey|attestation`` container."""

    id: str
    kind: BlockKind
    loc: SourceLocation
    intro_html: str = ""
    questions: list[Question] = field(default_factory=list)
    draw: int | None = None
    attempts: int | None = None
    shuffle: bool = True


@dataclass
class Page:
    id: str
    title: str
    html: str
    loc: SourceLocation
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Module:
    id: str
    title: str
    path: str
    loc: SourceLocation
    objectives: list[str] = field(default_factory=list)
    minutes: int | None = None
    pages: list[Page] = field(default_factory=list)
    #: False when the front matter is not well-formed YAML: its keys (title, objectives) are
    #: unknown, so nothing is said about their absence.
    front_matter_read: bool = True

    @property
    def blocks(self) -> list[Block]:
        return [b for p in self.pages for b in p.blocks]


@dataclass
class Asset:
    """A file of the course folder that a page links to or shows."""

    path: str
    loc: SourceLocation


@dataclass
class Course:
    config: CourseConfig
    root: str
    modules: list[Module] = field(default_factory=list)
    assets: dict[str, Asset] = field(default_factory=dict)

    @property
    def blocks(self) -> list[Block]:
        return [b for m in self.modules for b in m.blocks]

    def blocks_of(self, kind: BlockKind) -> list[Block]:
        return [b for b in self.blocks if b.kind is kind]

    @property
    def test(self) -> Block | None:
        tests = self.blocks_of(BlockKind.TEST)
        return tests[0] if tests else None

    @property
    def questions(self) -> list[Question]:
        return [q for b in self.blocks for q in b.questions]
