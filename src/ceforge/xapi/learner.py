"""Simulated learners: someone who follows a path through a course, and the exact statements the
runtime sends for them (through the same ``Recorder`` rules).

Paths (``docs/xapi.md``, "ceforge statements"):

- ``pass``: reads every page in order over two sessions (suspended and resumed half-way, at a
  module boundary), answers the knowledge checks right, passes the post-test on the first
  attempt, sends the evaluation, affirms the attestation, completes the course;
- ``fail``: reads every page up to the post-test in one session, gets some knowledge checks
  wrong, fails every allowed attempt (two when attempts are unlimited), and leaves;
- ``partial``: reads the first module and half of the second, then leaves.

Everything random (statement ids, the registration, session ids, the questions drawn, the time
spent on each page) comes from one seeded generator: the same seed gives the same statements.
Page times follow the length of the page (about 200 words a minute), stretched when the course
asks for more minutes of study.
"""

from __future__ import annotations

import enum
import json
import math
import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from tincan import Agent

from ceforge.answers import normalize_answer
from ceforge.certificate import new_code
from ceforge.checks import effective_completion
from ceforge.model import Block, BlockKind, Course, Module, Page, Question, QuestionType
from ceforge.verdict import kept_score, passes
from ceforge.xapi import vocabulary as v
from ceforge.xapi.cmi5 import assignable_units, launched_activity_id
from ceforge.xapi.statements import Certificate, Cmi5Launch, Recorder
from ceforge.xapispec import LAUNCH_MODES

#: Where reproducible walks start (a Monday morning) unless told otherwise.
REPRODUCIBLE_START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
WORDS_PER_MINUTE = 200
UNLIMITED_FAILS = 2  # failed attempts of the fail path when attempts are unlimited
WRONG_TEXT = "not sure"
ESSAY_TEXT = "I will use this with my clients."


class LearnerPath(enum.StrEnum):
    PASS = "pass"
    FAIL = "fail"
    PARTIAL = "partial"


class WalkError(ValueError):
    """The path cannot be followed through this course (say, ``fail`` without a post-test)."""


@dataclass(frozen=True)
class Cmi5Options:
    """How the simulated LMS launches the course's AU."""

    launch_mode: str = "Normal"
    mastery_score: float | None = None  # overrides the course's in LMS.LaunchData


def parse_actor(text: str) -> Any:
    """A learner from ``mailto:…`` or from xAPI Agent JSON (``{"account": {…}}``)."""
    text = text.strip()
    if text.startswith("mailto:"):
        if "@" not in text:
            raise ValueError(f"{text!r} is not a mailto: address")
        return Agent(mbox=text)
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        data = None
    if not isinstance(data, dict) or not ({"mbox", "account", "openid"} & set(data)):
        raise ValueError(
            f"{text!r} is neither a mailto: address nor an xAPI agent such as "
            '{"account": {"homePage": "https://lms.example.org", "name": "ana"}}'
        )
    return Agent(data)


# --- answers ----------------------------------------------------------------------------------


def right_response(question: Question) -> str:
    """The response of a learner who answers right, in the interaction's format."""
    qtype = question.type
    if qtype is QuestionType.FILL_IN:
        return question.answers[0]
    if qtype is QuestionType.NUMERIC and question.numeric is not None:
        low, high = question.numeric.low, question.numeric.high
        return v.number(low if low == high else (low + high) / 2)
    if qtype is QuestionType.MATCHING:
        return "[,]".join(f"{p.source.id}[.]{p.target.id}" for p in question.pairs)
    if qtype is QuestionType.SEQUENCING:
        return "[,]".join(c.id for c in question.choices)
    return "[,]".join(c.id for c in question.choices if c.correct)


def wrong_response(question: Question, rng: random.Random) -> str:
    """A response that is wrong by the runtime's answer rules."""
    qtype = question.type
    choices = question.choices
    if qtype in (QuestionType.CHOICE, QuestionType.TRUE_FALSE):
        return rng.choice([c.id for c in choices if not c.correct])
    if qtype is QuestionType.MULTIPLE_CHOICE:
        return "[,]".join([c.id for c in choices if c.correct][:-1])  # partly right is wrong
    if qtype is QuestionType.SEQUENCING:
        return "[,]".join(c.id for c in reversed(choices))
    if qtype is QuestionType.FILL_IN:
        accepted = {normalize_answer(a) for a in question.answers}
        text = WRONG_TEXT
        while normalize_answer(text) in accepted:
            text += "?"
        return text
    if qtype is QuestionType.NUMERIC and question.numeric is not None:
        low, high = question.numeric.low, question.numeric.high
        return v.number(high + max(1.0, high - low))
    if qtype is QuestionType.MATCHING:
        pairs = question.pairs
        targets = [p.target.id for p in pairs[1:]] + [pairs[0].target.id]
        shuffled = [f"{p.source.id}[.]{t}" for p, t in zip(pairs, targets, strict=True)]
        if targets == [p.target.id for p in pairs]:
            shuffled = shuffled[:-1]  # one target for all: leave a source unmatched
        return "[,]".join(shuffled)
    raise ValueError(f"a {qtype} question has no wrong answer")


def survey_response(question: Question, rng: random.Random) -> str:
    if question.type is QuestionType.LIKERT:
        ids = [c.id for c in question.choices]
        return rng.choice(ids[len(ids) // 2 :])
    return ESSAY_TEXT


def plan_attempt(questions: list[Question], mastery: float, passing: bool) -> set[str]:
    """Which drawn questions the learner gets right: a pass with one mistake when it can
    afford one, or a fail with as few mistakes as it takes."""
    possible = sum(q.points for q in questions)

    def passed(right: set[str]) -> bool:
        earned = sum(q.points for q in questions if q.id in right)
        return passes(kept_score(earned, possible), mastery)

    right = {q.id for q in questions}
    if passing:
        for question in sorted(questions, key=lambda q: q.points):
            if passed(right - {question.id}):
                right.discard(question.id)
                break
        return right
    for question in sorted(questions, key=lambda q: -q.points):
        if not passed(right):
            break
        right.discard(question.id)
    if passed(right):
        raise WalkError(f"no answers fail a post-test whose passing score is {mastery:g}")
    return right


# --- the walk ---------------------------------------------------------------------------------


#: A question, the response, whether it is right (None: no right answer), seconds spent.
Answer = tuple[Question, str, bool | None, float]


@dataclass
class _Progress:
    viewed: set[str] = field(default_factory=set)
    finished_modules: set[str] = field(default_factory=set)
    active: float = 0.0  # seconds
    attempts: int = 0
    test_done: str = ""  # "", "passed" or "failed"
    survey_sent: bool = False
    attested: bool = False


class _Walk:
    """One learner on one path: keeps the clock and the progress, and asks the recorder."""

    def __init__(
        self, course: Course, recorder: Recorder, rng: random.Random, start: datetime
    ) -> None:
        self.course = course
        self.recorder = recorder
        self.rng = rng
        self.clock = start
        self.progress = _Progress()
        self.statements: list[Any] = []
        self.pace = self._pace()
        self.pages = [(m, p) for m in course.modules for p in m.pages]
        #: the pages ``pages: all`` asks for (not the About and References pages)
        self.required = {p.id for m, p in self.pages if m.required}

    # time

    def _pace(self) -> float:
        """How much slower than planned the learner goes, to meet ``min_minutes``."""
        estimate = sum(self._reading(m, p) for m in self.course.modules for p in m.pages)
        estimate += 45 * len(self.course.questions)
        wanted = effective_completion(self.course).min_minutes * 60 * 1.05
        return max(1.0, wanted / estimate) if estimate else 1.0

    @staticmethod
    def _reading(module: Module, page: Page) -> float:
        """Seconds spent on a page: its share of the module's ``minutes`` when the author
        estimated them, else its words at reading speed."""
        words = max(len(v.html_text(page.html).split()), 1)
        seconds = words * 60 / WORDS_PER_MINUTE
        if module.minutes:
            total = sum(max(len(v.html_text(p.html).split()), 1) for p in module.pages)
            seconds = module.minutes * 60 * 0.8 * words / total
        return min(max(seconds, 20.0), 3600.0)

    def spend(self, seconds: float) -> float:
        seconds = round(seconds * self.pace, 3)
        self.clock += timedelta(seconds=seconds)
        self.progress.active += seconds
        return seconds

    def pause(self, seconds: float) -> None:
        self.clock += timedelta(seconds=seconds)

    def next_day(self, start: datetime) -> None:
        """Come back the next day, at about the time of day the learner first started."""
        day = datetime.combine(self.clock.date() + timedelta(days=1), start.timetz())
        self.clock = day + timedelta(seconds=self.rng.uniform(0, 7200))

    def add(self, statements: list[Any]) -> None:
        self.statements.extend(statements)

    # sessions

    def start(self, launch: Cmi5Launch | None, resumed: bool) -> None:
        self.add(self.recorder.start_session(self.clock, resumed=resumed, launch=launch))
        self.pause(self.rng.uniform(1, 3))

    def leave(self) -> None:
        self.pause(self.rng.uniform(2, 8))
        self.add(self.recorder.end_session(self.clock))

    # pages and blocks

    def read(self, module: Module, page: Page, path: LearnerPath) -> bool:
        """Show a page and do what is on it; False when the learner stops here."""
        progress = self.progress
        self.pause(self.rng.uniform(1, 4))
        self.add(self.recorder.page_shown(self.clock, page.id))
        progress.viewed.add(page.id)
        if module.id not in progress.finished_modules and all(
            p.id in progress.viewed for p in module.pages
        ):
            progress.finished_modules.add(module.id)
            self.pause(0.2)
            self.add(self.recorder.module_finished(self.clock, module.id, self.measure()))
        self.check_completion()
        self.spend(self._reading(module, page) * self.rng.uniform(0.8, 1.25))
        return all(self.do_block(block, path) for block in page.blocks)

    def do_block(self, block: Block, path: LearnerPath) -> bool:
        if block.kind is BlockKind.TEST:
            return self.take_test(block, path)
        if block.kind is BlockKind.ATTESTATION:
            self.spend(self.rng.uniform(8, 20))
            self.progress.attested = True
        elif block.kind is BlockKind.SURVEY:
            # The evaluation is sent whole: its answers go out together, when it is sent.
            answers: list[Answer] = [
                (q, survey_response(q, self.rng), None, self.think(q)) for q in block.questions
            ]
            self.pause(self.rng.uniform(2, 6))
            self.hand_in(answers)
            self.progress.survey_sent = True
        else:
            for index, question in enumerate(block.questions):
                # A knowledge check goes out when the learner checks the answer.
                right: bool | None = path is not LearnerPath.FAIL or index % 3 != 2
                if not question.type.gradable:
                    response, right = survey_response(question, self.rng), None
                elif right:
                    response = right_response(question)
                else:
                    response = wrong_response(question, self.rng)
                self.hand_in([(question, response, right, self.think(question))])
        self.check_completion()
        return True

    def think(self, question: Question) -> float:
        """The time the learner spends on a question."""
        low, high = (120, 300) if question.type is QuestionType.ESSAY else (15, 70)
        return self.spend(self.rng.uniform(low, high))

    def hand_in(self, answers: list[Answer], attempt: int | None = None) -> None:
        for question, response, right, seconds in answers:
            self.add(
                self.recorder.question_answered(
                    self.clock, question.id, response, correct=right, seconds=seconds,
                    attempt=attempt,
                )
            )

    def take_test(self, block: Block, path: LearnerPath) -> bool:
        limit = block.attempts or (1 if path is LearnerPath.PASS else UNLIMITED_FAILS)
        for attempt in range(1, limit + 1):
            passing = path is LearnerPath.PASS
            self.attempt(block, attempt, passing, last=attempt == (block.attempts or 0))
            if passing:
                break
            self.pause(self.rng.uniform(30, 120))
        return path is LearnerPath.PASS

    def attempt(self, block: Block, number: int, passing: bool, last: bool) -> None:
        """One attempt: the learner answers the drawn questions, then hands the test in; its
        answers and its result go out together."""
        drawn = list(block.questions)
        if block.draw is not None:
            drawn = self.rng.sample(drawn, block.draw)
        if block.shuffle:
            self.rng.shuffle(drawn)
        right = plan_attempt(drawn, self.recorder.mastery_score, passing)
        answers: list[Answer] = []
        for question in drawn:
            ok = question.id in right
            response = right_response(question) if ok else wrong_response(question, self.rng)
            answers.append((question, response, ok, self.think(question)))
        self.pause(self.rng.uniform(3, 10))
        self.hand_in(answers, attempt=number)
        earned = sum(q.points for q in drawn if q.id in right)
        possible = sum(q.points for q in drawn)
        self.progress.attempts = number
        self.progress.test_done = "passed" if passing else "failed"
        self.add(
            self.recorder.test_finished(
                self.clock, earned=earned, possible=possible, attempt=number,
                seconds=sum(a[3] for a in answers), last_attempt=last,
            )
        )
        self.check_completion()

    def measure(self) -> int:
        """The runtime's progress (docs/runtime.md) as a whole percentage, rounded down: the
        pages completion asks for viewed, plus the requirements met (test, evaluation, minimum
        time, attestation, licence details), over their total."""
        if self.recorder.completed:
            return 100
        rules = effective_completion(self.course)
        progress = self.progress
        units, done = len(self.required), len(progress.viewed & self.required)
        test_met = progress.test_done == "passed" or (
            rules.test == "attempt" and progress.test_done != ""
        )
        certificate = self.course.config.certificate
        asks_license = bool(self.course.config.issues_certificate and certificate
                            and certificate.collect)
        for applies, met in (
            (rules.test != "none", test_met),
            (rules.evaluation, progress.survey_sent),
            (rules.min_minutes > 0, progress.active >= rules.min_minutes * 60),
            (rules.attestation, progress.attested),
            # the licence details: this learner gives them last, when the rest is done
            (asks_license, False),
        ):
            units += applies
            done += applies and met
        return 100 * done // units if units else 100

    def check_completion(self) -> None:
        rules = effective_completion(self.course)
        progress = self.progress
        done = (
            (not rules.pages or self.required <= progress.viewed)
            and (rules.test != "pass" or progress.test_done == "passed")
            and (rules.test != "attempt" or progress.test_done != "")
            and (not rules.evaluation or progress.survey_sent)
            and (not rules.attestation or progress.attested)
            and progress.active >= rules.min_minutes * 60
        )
        if done and not self.recorder.completed:
            self.pause(0.5)
            self.add(
                self.recorder.course_completed(self.clock, progress.active, self.certificate())
            )

    def certificate(self) -> Certificate | None:
        """What this learner's certificate records, made up as a learner would type it."""
        config = self.course.config
        if not config.issues_certificate:
            return None
        collect = config.certificate.collect if config.certificate else ()
        number = f"LPC-{self.rng.randrange(10**5, 10**6)}" if "license_number" in collect else ""
        state = self.rng.choice(("TX", "Ohio", "ON")) if "license_state" in collect else ""
        return Certificate(new_code(self.rng.randrange), number, state)


def _sessions(course: Course, path: LearnerPath) -> list[list[tuple[Module, Page]]]:
    """The pages each session of the path shows."""
    modules = course.modules
    if path is LearnerPath.PARTIAL:
        first = [(modules[0], p) for p in modules[0].pages]
        if len(modules) == 1:
            return [first[: max(1, len(first) // 2)]]
        second = modules[1].pages
        return [first + [(modules[1], p) for p in second[: max(1, len(second) // 2)]]]
    pages = [(m, p) for m in modules for p in m.pages]
    if path is LearnerPath.FAIL:
        test = course.test
        if test is None:
            raise WalkError("the fail path needs a post-test ('::: test'); this course has none")
        end = next(i for i, (_, p) in enumerate(pages) if any(b is test for b in p.blocks))
        return [pages[: end + 1]]
    if len(modules) < 2:
        return [pages]
    half = math.ceil(len(modules) / 2)
    early = {m.id for m in modules[:half]}
    return [
        [mp for mp in pages if mp[0].id in early],
        [mp for mp in pages if mp[0].id not in early],
    ]


@dataclass(frozen=True)
class WalkResult:
    registration: str
    statements: list[Any]


def walk(
    course: Course,
    path: LearnerPath,
    actor: Any,
    *,
    registration: str | None = None,
    seed: int | None = None,
    start: datetime | None = None,
    cmi5: Cmi5Options | None = None,
) -> WalkResult:
    """The statements the runtime sends for ``actor`` following ``path`` through ``course``.

    With a ``seed`` or a ``registration`` the result is reproducible and starts at ``start``
    (default ``REPRODUCIBLE_START``); without either, ids are random and the walk ends now.
    """
    reproducible = seed is not None or registration is not None
    explicit_start = start is not None
    if seed is None:
        seed = uuid.UUID(registration).int if registration else random.getrandbits(64)
    # Each path (and each kind of launch) gets its own ids from the same seed.
    rng = random.Random(f"{seed}/{path}/{cmi5}")

    def new_id() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    registration = registration or new_id()
    if cmi5 is not None:
        _check_cmi5(actor, cmi5)
    vocabulary = v.build_vocabulary(course)
    recorder = Recorder(course, vocabulary, actor, registration, new_id)
    start = start or REPRODUCIBLE_START
    learner = _Walk(course, recorder, rng, start)
    for number, pages in enumerate(_sessions(course, path)):
        if number:
            learner.next_day(start)
        learner.start(_launch(course, cmi5, new_id) if cmi5 else None, resumed=number > 0)
        for module, page in pages:
            if not learner.read(module, page, path):
                break
        learner.leave()
    statements = learner.statements
    if not reproducible and not explicit_start:
        _shift(statements, datetime.now(UTC) - statements[-1].timestamp)
    return WalkResult(registration, statements)


def _check_cmi5(actor: Any, options: Cmi5Options) -> None:
    if actor.account is None:
        raise WalkError(
            "cmi5 learners are accounts (cmi5 9.2): give the learner as "
            '{"account": {"homePage": "https://lms.example.org", "name": "ana"}}'
        )
    if options.launch_mode not in LAUNCH_MODES:
        raise WalkError(f"launch mode {options.launch_mode!r}: one of {', '.join(LAUNCH_MODES)}")
    if options.mastery_score is not None and not 0 <= options.mastery_score <= 1:
        raise WalkError(f"mastery score {options.mastery_score:g} is outside 0–1")


def _launch(course: Course, options: Cmi5Options, new_id: Any) -> Cmi5Launch:
    """What the simulated LMS hands the course's one AU for a new session."""
    (au,) = assignable_units(course, "course")
    mastery = options.mastery_score if options.mastery_score is not None else au.mastery_score
    template = {
        "contextActivities": {"grouping": [{"id": au.id, "objectType": "Activity"}]},
        "extensions": {v.SESSION_ID: new_id()},
    }
    return Cmi5Launch(
        activity_id=launched_activity_id(au.id),
        context_template=template,
        launch_mode=options.launch_mode,
        mastery_score=mastery,
        move_on=au.move_on,
    )


def _shift(statements: list[Any], delta: timedelta) -> None:
    delta = timedelta(seconds=math.floor(delta.total_seconds()))
    for statement in statements:
        statement.timestamp = statement.timestamp + delta
