"""The course model: what every target renders. Plain dataclasses; each part knows its source."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from ceforge.config import CourseConfig
from ceforge.diagnostics import SourceLocation


class BlockKind(enum.StrEnum):
    """The ``:::`` blocks the learner runtime draws and tracks on a page."""

    QUIZ = "quiz"
    TEST = "test"
    SURVEY = "survey"
    ATTESTATION = "attestation"
    SCENARIO = "scenario"
    VIDEO = "video"
    AUDIO = "audio"
    REFLECTION = "reflection"

    @property
    def has_questions(self) -> bool:
        """Whether the block is made of ``###`` questions (quiz, test, survey)."""
        return self in (BlockKind.QUIZ, BlockKind.TEST, BlockKind.SURVEY)

    @property
    def is_media(self) -> bool:
        return self in (BlockKind.VIDEO, BlockKind.AUDIO)


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


class Outcome(enum.StrEnum):
    """How a scenario's end node judges the path that led to it."""

    GOOD = "good"
    OK = "ok"
    POOR = "poor"


@dataclass
class ScenarioChoice:
    """A choice of a scenario node: what the learner says or does, and the node it leads to."""

    id: str
    html: str
    text: str
    target: str
    loc: SourceLocation
    feedback_html: str = ""


@dataclass
class ScenarioNode:
    """A ``###`` node of a scenario: a moment of the case and the learner's choices there."""

    id: str
    title_html: str
    title_text: str
    loc: SourceLocation
    body_html: str = ""
    choices: list[ScenarioChoice] = field(default_factory=list)
    #: An end node: the scenario is over here (``outcome=`` or ``end=true``).
    end: bool = False
    outcome: Outcome | None = None
    points: float | None = None


@dataclass
class Scenario:
    """A ``::: scenario`` case: its nodes, the first one the start."""

    nodes: list[ScenarioNode] = field(default_factory=list)
    #: The points of the end reached count toward the post-test's score.
    graded: bool = False

    @property
    def max_points(self) -> float:
        """The points of the best end (what a graded scenario is scored out of)."""
        return max((n.points or 0 for n in self.nodes if n.end), default=0)

    @property
    def path_limit(self) -> int:
        """The most decisions a kept path can hold: the longest path from the first node that
        visits each node once at most (going back to a node cuts the path there). Found by a
        search of every path, or, for a scenario too large to search, the number of nodes
        that are not ends (a path leaves each of them once at most)."""
        return _longest_path(self.nodes)


#: Steps of the search for a scenario's longest path before it settles for a bound.
PATH_SEARCH_STEPS = 200_000


def _longest_path(nodes: list[ScenarioNode]) -> int:
    if not nodes:
        return 0
    by_id = {node.id: node for node in nodes}
    bound = sum(1 for n in nodes if not n.end)
    steps = 0
    best = 0
    stack = [(nodes[0], {nodes[0].id}, 0)]
    while stack:
        node, seen, length = stack.pop()
        best = max(best, length)
        steps += 1
        if steps > PATH_SEARCH_STEPS or best == bound:
            return bound
        if node.end:
            continue
        for choice in node.choices:
            target = by_id.get(choice.target)
            if target is not None and target.id not in seen:
                stack.append((target, seen | {target.id}, length + 1))
    return best


@dataclass
class Media:
    """A ``::: video`` or ``::: audio`` block: the file, its captions and transcript."""

    src: str
    #: ``src`` is a web address: the package needs the network to play it.
    remote: bool = False
    captions: str | None = None
    captions_language: str = ""
    captions_on: bool = True
    poster: str | None = None
    transcript: str | None = None  # a file of the course (course-relative path)
    transcript_html: str = ""  # a transcript written in the block (after its ### heading)
    transcript_title: str = ""
    #: The page counts as viewed only once the learner has played ``watched`` of it.
    required: bool = False
    watched: float = 0.9
    #: Lines of the attributes that name files (for the checks that read them).
    src_loc: SourceLocation = field(default_factory=lambda: SourceLocation(""))


@dataclass
class Reflection:
    """A ``::: reflection`` prompt: the learner's answer stays in the browser unless the
    author shares it with the LMS (``share=lms``), where it goes as an essay would."""

    share: bool = False
    #: The prompt as an essay question (what an LMS is sent when it is shared).
    question: Question | None = None


@dataclass
class Block:
    """A ``:::`` block the runtime draws: questions (quiz, test, survey), an attestation, a
    scenario, a video or audio, or a reflection."""

    id: str
    kind: BlockKind
    loc: SourceLocation
    intro_html: str = ""
    questions: list[Question] = field(default_factory=list)
    draw: int | None = None
    attempts: int | None = None
    shuffle: bool = True
    scenario: Scenario | None = None
    media: Media | None = None
    reflection: Reflection | None = None


@dataclass
class GlossaryTerm:
    """A term defined once (``glossary.yml`` or a ``::: glossary`` block): its first use on
    each page is marked, and the Glossary page lists it."""

    id: str
    term: str
    html: str
    text: str
    loc: SourceLocation
    #: Other forms of the term that are marked too (a plural, an abbreviation).
    also: tuple[str, ...] = ()


@dataclass
class Page:
    id: str
    title: str
    html: str
    loc: SourceLocation
    blocks: list[Block] = field(default_factory=list)


class ModuleKind(enum.StrEnum):
    """A module of content, or one of the pages a CE course has besides: the About page that
    ceforge writes from ``course.yml``, and the references (generated from a list, or the
    module that ``ce.references`` names). Neither of those is required by ``pages: all``."""

    CONTENT = "content"
    ABOUT = "about"
    REFERENCES = "references"


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
    #: Terms defined in the module's ``::: glossary`` blocks.
    glossary: list[GlossaryTerm] = field(default_factory=list)
    kind: ModuleKind = ModuleKind.CONTENT
    #: Written by ceforge from course.yml (the About page, a References list), not read from
    #: a file of the course.
    generated: bool = False

    @property
    def required(self) -> bool:
        """Whether ``pages: all`` asks for this module's pages."""
        return self.kind is ModuleKind.CONTENT

    @property
    def blocks(self) -> list[Block]:
        return [b for p in self.pages for b in p.blocks]


@dataclass
class Asset:
    """A file of the course folder that a page links to or shows."""

    path: str
    loc: SourceLocation


@dataclass(frozen=True)
class Resource:
    """A handout: a file of ``assets/handouts/`` that the Resources page lists."""

    path: str  #: course-relative, as it is in the package
    name: str  #: the file's name
    kind: str  #: its type, the suffix in capitals (PDF, DOCX, TXT …)
    size: int  #: bytes


@dataclass
class Course:
    config: CourseConfig
    root: str
    modules: list[Module] = field(default_factory=list)
    assets: dict[str, Asset] = field(default_factory=dict)
    #: Every term of glossary.yml and of the modules' ``::: glossary`` blocks.
    glossary: list[GlossaryTerm] = field(default_factory=list)
    #: The handouts of ``assets/handouts/``, in the order of their paths.
    resources: list[Resource] = field(default_factory=list)

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

    @property
    def unit_modules(self) -> list[Module]:
        """The modules that are units of their own (a SCO, an AU) in a package with one unit
        per module: those of the course's files. The pages ceforge writes (About, References)
        are in the packages that run the whole course: as units they would each be one more
        activity for the LMS to require."""
        return [m for m in self.modules if not m.generated]
