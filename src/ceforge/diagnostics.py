"""Diagnostics: every problem ceforge reports has a location, a severity and a code.

Problems are collected by a :class:`Reporter` while the course is read and checked, then printed
together (``path:line: error: message [code]``) so an author fixes them all in one round.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterator
from dataclasses import dataclass, field


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Code(enum.Enum):
    """Every diagnostic ceforge can emit: the code shown in brackets, its severity, its meaning."""

    # course.yml and front matter
    YAML_SYNTAX = ("yaml.syntax", Severity.ERROR, "The YAML is not well-formed.")
    YAML_DUPLICATE_KEY = ("yaml.duplicate-key", Severity.ERROR, "A YAML mapping repeats a key.")
    YAML_UNCLOSED_QUOTE = (
        "yaml.unclosed-quote",
        Severity.ERROR,
        "A quoted YAML value is not closed on its line, so it runs on over the next keys.",
    )
    YAML_CURLY_QUOTES = (
        "yaml.curly-quotes",
        Severity.WARNING,
        "A YAML value wrapped in typographic quotes (“…”), which YAML keeps as text; ceforge "
        "reads them as quotes around the value.",
    )
    CONFIG_MISSING_KEY = ("config.missing-key", Severity.ERROR, "A required key is missing.")
    CONFIG_UNKNOWN_KEY = ("config.unknown-key", Severity.ERROR, "A key that ceforge does not know.")
    CONFIG_BAD_VALUE = ("config.bad-value", Severity.ERROR, "A key has a value of the wrong kind.")
    CONFIG_BAD_ID = ("config.bad-id", Severity.ERROR, "The course id is not an absolute IRI.")
    CONFIG_PASSING_SCORE = (
        "config.passing-score",
        Severity.ERROR,
        "passing_score is not a percentage between 0 and 100 % in tenths of a percent.",
    )
    CONFIG_LANGUAGE = (
        "config.language",
        Severity.WARNING,
        "The learner interface has no catalogue for the course language: it shows in English.",
    )
    CONFIG_COMPLETION = (
        "config.completion",
        Severity.ERROR,
        "A completion rule asks for something the course does not have.",
    )
    # files
    FILE_UNREADABLE = (
        "file.unreadable",
        Severity.ERROR,
        "A source file is missing, binary or not UTF-8 text.",
    )
    COURSE_NO_MODULES = ("course.no-modules", Severity.ERROR, "The course has no modules.")
    MODULE_MISSING = ("module.missing", Severity.ERROR, "A module listed in course.yml is absent.")
    MODULE_DUPLICATE_ID = ("module.duplicate-id", Severity.ERROR, "Two modules share an id.")
    MODULE_BAD_ID = ("module.bad-id", Severity.ERROR, "A module id is not a valid identifier.")
    MODULE_EMPTY = ("module.empty", Severity.ERROR, "A module has no content.")
    MODULE_UNUSED = (
        "module.unused",
        Severity.WARNING,
        "A Markdown file in modules/ that the course does not read (not listed in course.yml, "
        "or not ending in .md).",
    )
    MODULE_FRONT_MATTER = (
        "module.front-matter",
        Severity.ERROR,
        "Front matter that does not start with a line of three hyphens (---).",
    )
    MODULE_NO_TITLE = (
        "module.no-title",
        Severity.ERROR,
        "A module has neither a title in its front matter nor a # heading.",
    )
    # containers
    CONTAINER_UNKNOWN = (
        "container.unknown",
        Severity.ERROR,
        "A ::: block whose kind ceforge does not know.",
    )
    CONTAINER_BAD_FENCE = (
        "container.bad-fence",
        Severity.ERROR,
        "A block opened with two colons (:: quiz) instead of three.",
    )
    CONTAINER_UNCLOSED = ("container.unclosed", Severity.ERROR, "A ::: block is never closed.")
    CONTAINER_NESTED = ("container.nested", Severity.ERROR, "A ::: block inside another one.")
    CONTAINER_UNKNOWN_ATTRIBUTE = (
        "container.unknown-attribute",
        Severity.ERROR,
        "An attribute that this kind of block or question does not take.",
    )
    CONTAINER_BAD_ATTRIBUTE = (
        "container.bad-attribute",
        Severity.ERROR,
        "An attribute whose value is malformed or out of range.",
    )
    CONTAINER_EMPTY = ("container.empty", Severity.ERROR, "A block with no question or text.")
    CONTAINER_STRAY_CONTENT = (
        "container.stray-content",
        Severity.ERROR,
        "Text of a tabs, accordion or glossary block before its first ### heading.",
    )
    COURSE_MULTIPLE_TESTS = (
        "course.multiple-tests",
        Severity.ERROR,
        "The course has more than one ::: test block.",
    )
    TEST_DRAW_TOO_LARGE = (
        "test.draw-too-large",
        Severity.ERROR,
        "draw asks for more questions than the test's pool holds.",
    )
    # questions
    QUIZ_NO_CORRECT = ("quiz.no-correct", Severity.ERROR, "A choice question has no right answer.")
    QUIZ_TRUE_AND_FALSE = (
        "quiz.true-and-false",
        Severity.ERROR,
        "A true-false question marks both True and False.",
    )
    QUIZ_TOO_FEW_CHOICES = (
        "quiz.too-few-choices",
        Severity.ERROR,
        "A choice question has fewer than two options.",
    )
    QUIZ_TOO_MANY_CHOICES = (
        "quiz.too-many-choices",
        Severity.ERROR,
        "More than 36 options or items: SCORM 1.2 names each with one character.",
    )
    QUIZ_BAD_NUMERIC = ("quiz.bad-numeric", Severity.ERROR, "A numeric answer is malformed.")
    QUIZ_MIXED_ANSWERS = (
        "quiz.mixed-answers",
        Severity.ERROR,
        "A question has more than one kind of answer block.",
    )
    QUIZ_ESSAY_IN_TEST = (
        "quiz.essay-in-test",
        Severity.ERROR,
        "An essay (a question with no answer block) in the graded test.",
    )
    QUIZ_CORRECT_IN_SURVEY = (
        "quiz.correct-in-survey",
        Severity.ERROR,
        "A survey question marks a right answer or has a gradable answer block.",
    )
    QUIZ_BAD_ANSWER = (
        "quiz.bad-answer",
        Severity.ERROR,
        "An '=' answer line is empty, or a fill-in answer is over 250 characters.",
    )
    QUIZ_UNTYPEABLE_ANSWER = (
        "quiz.untypeable-answer",
        Severity.WARNING,
        "A fill-in answer holds a character learners cannot type on a keyboard.",
    )
    QUIZ_BAD_MATCHING = ("quiz.bad-matching", Severity.ERROR, "A matching pair is malformed.")
    QUIZ_DUPLICATE_ID = ("quiz.duplicate-id", Severity.ERROR, "Two questions share an id.")
    QUIZ_BAD_ID = (
        "quiz.bad-id",
        Severity.ERROR,
        "A question id has characters outside [A-Za-z0-9_.-].",
    )
    QUIZ_BAD_POINTS = ("quiz.bad-points", Severity.ERROR, "points is not a positive number.")
    QUIZ_NO_PROMPT = ("quiz.no-prompt", Severity.ERROR, "A question heading is empty.")
    QUIZ_STRAY_CONTENT = (
        "quiz.stray-content",
        Severity.ERROR,
        "Content after a question's answer block that is neither feedback nor a new question.",
    )
    # scenarios
    SCENARIO_BAD_CHOICE = (
        "scenario.bad-choice",
        Severity.ERROR,
        "A scenario node's choice is not one link to a node (- [text](#node-id)), text follows "
        "the choices, or an end node has choices.",
    )
    SCENARIO_DUPLICATE_NODE = (
        "scenario.duplicate-node",
        Severity.ERROR,
        "Two nodes of a scenario share an id.",
    )
    SCENARIO_DANGLING = (
        "scenario.dangling-choice",
        Severity.ERROR,
        "A choice leads to a node the scenario does not have.",
    )
    SCENARIO_DEAD_END = (
        "scenario.dead-end",
        Severity.ERROR,
        "A node with no choice that is not marked as an end ({outcome=…} or {end=true}).",
    )
    SCENARIO_UNREACHABLE = (
        "scenario.unreachable",
        Severity.ERROR,
        "No path from the scenario's first node leads to this node.",
    )
    SCENARIO_NO_EXIT = (
        "scenario.no-exit",
        Severity.ERROR,
        "Nodes from which no path leads to an end: a cycle with no way out.",
    )
    SCENARIO_NO_POINTS = (
        "scenario.no-points",
        Severity.ERROR,
        "A graded scenario whose ends carry no points.",
    )
    SCENARIO_GRADED_WITHOUT_TEST = (
        "scenario.graded-without-test",
        Severity.ERROR,
        "A graded scenario in a course with no post-test for its points to count toward.",
    )
    # video and audio
    MEDIA_NO_SOURCE = ("media.no-source", Severity.ERROR, "A video or audio without src=.")
    MEDIA_REMOTE = (
        "media.remote",
        Severity.WARNING,
        "A video, audio or captions file from a web address: the package needs the network "
        "to play it.",
    )
    MEDIA_NO_CAPTIONS = (
        "media.no-captions",
        Severity.WARNING,
        "A video without WebVTT captions (an error in a CE course: ce.no-captions).",
    )
    MEDIA_NO_TRANSCRIPT = (
        "media.no-transcript",
        Severity.WARNING,
        "An audio without a transcript (an error in a CE course: ce.no-transcript).",
    )
    MEDIA_BAD_CAPTIONS = (
        "media.bad-captions",
        Severity.ERROR,
        "A WebVTT file does not parse, has cues out of order or ending before they start, or "
        "cues past the end of the media.",
    )
    # glossary
    GLOSSARY_BAD_TERM = (
        "glossary.bad-term",
        Severity.ERROR,
        "A glossary entry is not a term with a definition.",
    )
    GLOSSARY_DUPLICATE_TERM = (
        "glossary.duplicate-term",
        Severity.ERROR,
        "A term (or one of its other forms) is defined twice.",
    )
    # assets
    ASSET_MISSING = (
        "asset.missing",
        Severity.ERROR,
        "A link or image names a file that is absent.",
    )
    ASSET_OUTSIDE = (
        "asset.outside-course",
        Severity.ERROR,
        "A link or image leaves the course folder (../, absolute path or symlink).",
    )
    ASSET_NOT_A_LINK = (
        "asset.not-a-link",
        Severity.ERROR,
        "Link or image syntax that Markdown does not read as one (a path with a raw space): "
        "the learner sees the text.",
    )
    ASSET_SPACE_IN_PATH = (
        "asset.space-in-path",
        Severity.WARNING,
        "A linked file's path holds a space; some LMSs and web servers fail to serve it.",
    )
    ASSET_RESERVED_CHARACTER = (
        "asset.reserved-character",
        Severity.WARNING,
        "A linked file's path holds a character that URLs or Windows reserve (# ? % : * \" < > |).",
    )
    ASSET_CASE_CLASH = (
        "asset.case-clash",
        Severity.WARNING,
        "Two linked files whose paths differ only in upper and lower case: on Windows and macOS "
        "one overwrites the other.",
    )
    ASSET_NO_CAPTIONS = (
        "asset.no-captions",
        Severity.WARNING,
        "A <video> or <audio> without a <track> of captions.",
    )
    ASSET_NO_ALT = ("asset.no-alt", Severity.WARNING, "An image without alt text.")
    # continuing-education completeness
    CE_NO_TEST = ("ce.no-test", Severity.WARNING, "A CE course without a post-test.")
    CE_NO_EVALUATION = ("ce.no-evaluation", Severity.WARNING, "A CE course without an evaluation.")
    CE_NO_OBJECTIVES = (
        "ce.no-objectives",
        Severity.WARNING,
        "A module of a CE course without learning objectives.",
    )
    CE_NO_CAPTIONS = (
        "ce.no-captions",
        Severity.ERROR,
        "A video of a CE course without WebVTT captions: home-study materials must be "
        "accessible to all participants (NBCC; WCAG 1.2.2).",
    )
    CE_NO_TRANSCRIPT = (
        "ce.no-transcript",
        Severity.ERROR,
        "An audio of a CE course without a transcript (NBCC; WCAG 1.2.1).",
    )
    CE_NO_HOURS = ("ce.no-hours", Severity.WARNING, "A CE course whose ce.hours is missing or 0.")
    CE_HOURS_MISMATCH = (
        "ce.hours-mismatch",
        Severity.WARNING,
        "ce.hours differs by a quarter hour or more from the modules' study time (their "
        "minutes, or an estimate from their words, questions and media running time).",
    )
    CE_NO_FORMAT = (
        "ce.no-format",
        Severity.WARNING,
        "A CE course that does not say its delivery format (ce.format).",
    )
    CE_NO_PRESENTER = ("ce.no-presenter", Severity.WARNING, "A CE course without ce.presenters.")
    CE_PRESENTER_INCOMPLETE = (
        "ce.presenter-incomplete",
        Severity.WARNING,
        "A presenter without credentials or a bio.",
    )
    CE_NO_REFERENCES = ("ce.no-references", Severity.WARNING, "A CE course without references.")
    CE_NO_DISCLOSURES = (
        "ce.no-disclosures",
        Severity.WARNING,
        "A CE course that says nothing about conflicts of interest (ce.disclosures: none "
        "says there are none).",
    )
    CE_NO_ATTESTATION = (
        "ce.no-attestation",
        Severity.WARNING,
        "A CE course without an attestation.",
    )
    CE_APPROVAL_INCOMPLETE = (
        "ce.approval-incomplete",
        Severity.WARNING,
        "An approval without its statement, or an ASWB or NBCC approval without its number.",
    )
    CE_PLACEHOLDER = (
        "ce.placeholder",
        Severity.WARNING,
        "A value left as ceforge new wrote it (provider, presenter, approval…).",
    )
    CE_AFTER_ATTESTATION = (
        "ce.after-attestation",
        Severity.WARNING,
        "Pages that pages: all requires come after the attestation, which opens only once "
        "they are viewed.",
    )
    CE_EMPTY_PAGE = (
        "ce.empty-page",
        Severity.WARNING,
        "A page of a CE course with nothing but its heading.",
    )
    CE_PASS_MARK = (
        "ce.pass-mark",
        Severity.WARNING,
        "A pass mark under 75 % when APA is among the approvals.",
    )
    CE_TOO_FEW_QUESTIONS = (
        "ce.too-few-questions",
        Severity.WARNING,
        "Fewer than 6 post-test questions drawn per credit hour when APA is among the approvals.",
    )
    CE_NO_ACCOMMODATIONS = (
        "ce.no-accommodations",
        Severity.WARNING,
        "No ce.accommodations when APA is among the approvals.",
    )
    CE_NO_GRIEVANCE = (
        "ce.no-grievance",
        Severity.WARNING,
        "No ce.grievance policy when ASWB is among the approvals.",
    )
    CE_NO_LEVEL = (
        "ce.no-level",
        Severity.WARNING,
        "No ce.level when ASWB is among the approvals.",
    )
    # the provider's documents (ceforge dossier)
    DOSSIER_NOT_CE = (
        "dossier.no-ce",
        Severity.ERROR,
        "ceforge dossier was given a course without a ce: section.",
    )
    # targets
    STATE_TOO_LARGE = (
        "scorm.state-too-large",
        Severity.ERROR,
        "The learner's saved state could outgrow cmi.suspend_data (SCORM 1.2: 4096 characters).",
    )
    XAPI_CREDENTIALS = (
        "xapi.credentials",
        Severity.ERROR,
        "LRS credentials would be built into a package (a user:password@ address, an auth "
        "parameter or token, a secret build option).",
    )
    XAPI_BAD_OPTION = (
        "xapi.bad-option",
        Severity.ERROR,
        "A build option of the tincan or cmi5 target has a value that target does not take.",
    )

    # question banks: ceforge export and ceforge import
    BANK_UNREADABLE = (
        "bank.unreadable",
        Severity.ERROR,
        "A question bank to import is missing, too large, binary or not UTF-8 text.",
    )
    BANK_XML_SYNTAX = (
        "bank.xml-syntax",
        Severity.ERROR,
        "A Moodle XML bank is not well-formed XML, or its root is not <quiz>.",
    )
    BANK_XML_ENTITY = (
        "bank.xml-entity",
        Severity.ERROR,
        "A Moodle XML bank declares or uses entities (they are never expanded).",
    )
    BANK_GIFT_SYNTAX = (
        "bank.gift-syntax",
        Severity.ERROR,
        "A GIFT question cannot be read: an unclosed brace, an answer without text, a "
        "malformed weight or number.",
    )
    BANK_LEFT_OUT = (
        "bank.left-out",
        Severity.WARNING,
        "A question that the other format cannot hold is left out of the export or import.",
    )
    BANK_CHANGED = (
        "bank.changed",
        Severity.WARNING,
        "A question carried over that reads or scores differently in the other format "
        "(partial credit, letter case, a picture or the points it cannot hold).",
    )

    def __init__(self, code: str, severity: Severity, summary: str) -> None:
        self.code = code
        self.severity = severity
        self.summary = summary


#: Codes that only a build started from Python can meet: the command line and course.yml
#: refuse a bad option before any target sees it, so no course folder shows them.
LIBRARY_CODES = frozenset({Code.XAPI_BAD_OPTION})
#: Codes of other commands than ``check``, about a course that checks clean: their tests are
#: those of the command (``ceforge dossier``: tests/test_dossier.py).
COMMAND_CODES = frozenset({Code.DOSSIER_NOT_CE})

#: Codes of ``ceforge export`` and ``ceforge import`` (``ceforge.banks``): about a question bank
#: and what a format can hold, never about a course's sources; docs/banks.md lists them.
BANK_CODES = frozenset(code for code in Code if code.code.startswith("bank."))


@dataclass(frozen=True, order=True)
class SourceLocation:
    """A place in the course: a path relative to the course folder and a 1-based line (0: none)."""

    path: str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    def shifted(self, lines: int) -> SourceLocation:
        return SourceLocation(self.path, self.line + lines)


@dataclass(frozen=True)
class Diagnostic:
    loc: SourceLocation
    code: Code
    message: str
    severity: Severity

    def __str__(self) -> str:
        return f"{self.loc}: {self.severity}: {self.message} [{self.code.code}]"

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.loc.path,
            "line": self.loc.line,
            "severity": str(self.severity),
            "code": self.code.code,
            "message": self.message,
        }


@dataclass
class Reporter:
    """Collects diagnostics in the order they are found."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def report(self, loc: SourceLocation, code: Code, message: str) -> None:
        self.diagnostics.append(Diagnostic(loc, code, message, code.severity))

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.sorted())

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.diagnostics, key=lambda d: (d.loc.path, d.loc.line))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors or (strict and self.warnings))


class CourseError(Exception):
    """Raised by the library when a course cannot be built; carries every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        super().__init__(summary(diagnostics))


def summary(diagnostics: list[Diagnostic]) -> str:
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = len(diagnostics) - errors
    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"


def plural(n: int, word: str) -> str:
    """``1 module``, ``2 modules``."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def format_text(diagnostics: list[Diagnostic]) -> str:
    return "".join(f"{d}\n" for d in diagnostics)


def format_json(diagnostics: list[Diagnostic]) -> str:
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    doc = {
        "diagnostics": [d.as_dict() for d in diagnostics],
        "errors": errors,
        "warnings": len(diagnostics) - errors,
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
