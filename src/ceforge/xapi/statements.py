"""What a learner does, as xAPI statements: ceforge's statement rules, in one place.

A ``Recorder`` follows one learner through one registration. The runtime's xAPI and cmi5
adapters follow the same rules (``docs/xapi.md`` states them for JavaScript):

- a session opens with ``initialized`` (then ``resumed`` when it continues saved progress) and
  closes with ``suspended`` (when the course is not completed yet) and ``terminated``, whose
  duration is the session's;
- ``experienced`` each time a page is shown; ``answered`` when a question is submitted;
  ``progressed`` once, when every page of a module has been viewed; ``passed``/``failed`` on
  the post-test at the end of each attempt; ``completed`` once, when the completion rules are
  met, with the CE hours in a result extension;
- every statement has a UUID id, a UTC timestamp later than the one before it, the
  registration, the course language and version, and ``contextActivities``: the module (or the
  post-test) as parent, the course as grouping whenever the object is not the course itself,
  and ceforge's profile as category.

With a cmi5 launch, the object of the session statements is the AU (the launch URL's
``activityId``), the LMS's ``contextTemplate`` is merged into every statement, and the
cmi5-defined statements (initialized, completed, passed, failed, terminated) carry the cmi5
category, the moveOn category when their result has success or completion, and their durations.
``passed`` goes to the AU once per registration, when a post-test attempt passes;
``failed`` when the last allowed attempt fails. Browse and Review launches send only
initialized and terminated.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from tincan import Activity, ActivityDefinition, Context, Result, Score, Statement, Verb

from ceforge.model import Course, Question
from ceforge.verdict import SCORE_MAX, kept_score, passes
from ceforge.xapi import vocabulary as v
from ceforge.xapi.vocabulary import number

CMI5_DEFINED = frozenset({"initialized", "completed", "passed", "failed", "terminated"})
TICK = timedelta(milliseconds=1)


@dataclass(frozen=True)
class Certificate:
    """What a certificate records with the completion (``ceforge.certificate``)."""

    code: str
    license_number: str = ""
    license_state: str = ""


@dataclass(frozen=True)
class Cmi5Launch:
    """What a cmi5 AU learns when launched: ``activityId`` from the launch URL, and the
    ``LMS.LaunchData`` state document (``contextTemplate``, ``launchMode``, ``masteryScore``,
    ``moveOn``); and from its package, the module it runs (``au=module``; None: the course)."""

    activity_id: str
    context_template: dict[str, Any]
    launch_mode: str = "Normal"
    mastery_score: float | None = None
    move_on: str = "NotApplicable"
    module: str | None = None

    @property
    def session_id(self) -> str:
        return str(self.context_template.get("extensions", {}).get(v.SESSION_ID, ""))

    @property
    def judged(self) -> bool:
        """Whether this launch may send statements beyond initialized and terminated."""
        return self.launch_mode == "Normal"


def duration(seconds: float) -> timedelta:
    """A duration rounded to hundredths of a second, as xAPI and cmi5 ask."""
    return timedelta(seconds=round(max(seconds, 0.0), 2))


def make_score(earned: float, possible: float, scaled: float) -> Any:
    """``scaled`` always; ``raw``/``min``/``max`` when all are whole numbers (cmi5 wants
    integers there). An answer's ``scaled`` is 1 or 0; a post-test's is its kept score
    (``ceforge.verdict``), the score its verdict judged, so that ``passed`` comes with a scaled
    score at least the mastery score and ``failed`` with one below it (cmi5 9.3, 9.5)."""
    score = Score(scaled=scaled)
    if float(earned).is_integer() and float(possible).is_integer():
        score.raw, score.min, score.max = int(earned), 0, int(possible)
    return score


def _ref(activity: Any) -> dict[str, Any]:
    """An activity for ``contextActivities``: its id, and its name and type (the full
    definition goes with the statements whose object it is)."""
    data: dict[str, Any] = activity.as_version()
    definition = {k: val for k, val in data.get("definition", {}).items() if k in ("name", "type")}
    return {"id": data["id"], "objectType": "Activity"} | (
        {"definition": definition} if definition else {}
    )


def _merge_activities(template: list[dict[str, Any]], ours: list[dict[str, Any]]) -> list[Any]:
    seen = {item["id"] for item in template}
    return [*template, *(item for item in ours if item["id"] not in seen)]


@dataclass
class _Session:
    started: datetime
    launch: Cmi5Launch | None
    judged_sent: bool = False  # a cmi5-defined passed or failed went out in this session


@dataclass
class Recorder:
    """Turns a learner's steps into statements (see the module's docstring for the rules)."""

    course: Course
    vocabulary: v.Vocabulary
    actor: Any
    registration: str
    new_id: Callable[[], str]
    completed: bool = False
    passed: bool = False
    _session: _Session | None = None
    _last: datetime | None = None
    _questions: dict[str, Question] = field(default_factory=dict)
    _activities: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._questions = {q.id: q for q in self.course.questions}
        for block in self.course.blocks:  # a shared reflection is answered as an essay is
            if block.reflection and block.reflection.share and block.reflection.question:
                self._questions[block.id] = block.reflection.question

    # --- what the learner does ---------------------------------------------------------------

    def start_session(
        self, at: datetime, *, resumed: bool, launch: Cmi5Launch | None = None
    ) -> list[Any]:
        self._session = _Session(started=at, launch=launch)
        out = [self._emit("initialized", self._launched(), at)]
        if resumed:
            out.append(self._emit("resumed", self._launched(), at))
        return _present(out)

    def page_shown(self, at: datetime, page_id: str) -> list[Any]:
        vocab = self.vocabulary
        module = self._activity(vocab.modules[vocab.page_module[page_id]])
        page = self._activity(vocab.pages[page_id])
        return _present([self._emit("experienced", page, at, [module])])

    def question_answered(
        self,
        at: datetime,
        question_id: str,
        response: str,
        *,
        correct: bool | None,
        seconds: float,
        attempt: int | None = None,
    ) -> list[Any]:
        """``correct`` is None for questions with no right answer (likert, essay); ``attempt``
        is the post-test attempt, for post-test questions."""
        question = self._questions[question_id]
        result = Result(response=response, duration=duration(seconds))
        if correct is not None and question.type.gradable:
            result.success = correct
            earned = question.points if correct else 0
            result.score = make_score(earned, question.points, 1 if correct else 0)
        vocab = self.vocabulary
        module = self._activity(vocab.modules[vocab.question_module[question_id]])
        in_test = attempt is not None and vocab.test is not None
        parents = [self._activity(vocab.test)] if in_test and vocab.test else [module]
        groups = [module] if in_test else []
        extensions = {v.ATTEMPT: attempt} if in_test else {}
        activity = self._activity(vocab.questions[question_id])
        return _present(
            [self._emit("answered", activity, at, parents, groups, result, extensions)]
        )

    def module_finished(self, at: datetime, module_id: str, progress: int) -> list[Any]:
        """Every page of the module has been viewed; ``progress`` is the runtime's progress
        through the course (docs/runtime.md), as a whole percentage rounded down."""
        result = Result(completion=True, extensions={v.PROGRESS: progress})
        activity = self._activity(self.vocabulary.modules[module_id])
        course = self._activity(self.vocabulary.course)
        return _present([self._emit("progressed", activity, at, [course], [], result)])

    @property
    def mastery_score(self) -> float:
        """The score that passes the post-test: the launch's masteryScore, else the course's."""
        launch = self._session.launch if self._session else None
        if launch is not None and launch.mastery_score is not None:
            return launch.mastery_score
        return self.course.config.passing_score

    def test_finished(
        self,
        at: datetime,
        *,
        earned: float,
        possible: float,
        attempt: int,
        seconds: float,
        last_attempt: bool,
    ) -> list[Any]:
        """A post-test attempt is over. Passed or failed is the runtime's verdict
        (``ceforge.verdict``) against ``mastery_score``."""
        vocab = self.vocabulary
        assert vocab.test is not None, "the course has no post-test"
        kept = kept_score(earned, possible)
        success = passes(kept, self.mastery_score)
        name = "passed" if success else "failed"
        module = self._activity(vocab.modules[vocab.question_module[self._test_question()]])
        test = self._activity(vocab.test)

        def result() -> Any:
            return Result(
                success=success,
                score=make_score(earned, possible, kept / SCORE_MAX),
                duration=duration(seconds),
            )

        out = [self._emit(name, test, at, [module], [], result(), {v.ATTEMPT: attempt})]
        session = self._session
        # cmi5: one judgement per session, never "failed" after "passed" (cmi5 9.3)
        if (
            session
            and session.launch
            and not session.judged_sent
            and not self.passed
            and (success or last_attempt)
        ):
            extensions = {}
            if session.launch.mastery_score is not None:
                extensions[v.MASTERY_SCORE] = session.launch.mastery_score
            out.append(self._emit(name, self._launched(), at, [], [], result(), extensions))
            session.judged_sent = True
        self.passed = self.passed or success
        return _present(out)

    # --- scenarios and media --------------------------------------------------------------------

    def scenario_decided(
        self, at: datetime, block_id: str, node_id: str, choice_id: str, *, run: int,
        seconds: float,
    ) -> list[Any]:
        """A decision in a scenario: ``responded`` to the node's choice interaction."""
        vocab = self.vocabulary
        module = self._activity(vocab.modules[self._block_module(block_id)])
        result = Result(response=choice_id, duration=duration(seconds))
        decision = self._activity(vocab.decisions[block_id][node_id])
        scenario = self._activity(vocab.scenarios[block_id])
        return _present([self._emit(
            "responded", decision, at, [scenario], [module], result, {v.ATTEMPT: run},
        )])

    def scenario_completed(
        self, at: datetime, block_id: str, end_id: str, *, outcome: str | None, run: int,
        points: float | None = None, max_points: float | None = None,
    ) -> list[Any]:
        """A run of a scenario reached an end: ``completed``, with the outcome; ``points``
        (and ``max_points``) for the scored run of a graded scenario."""
        vocab = self.vocabulary
        result = Result(completion=True, response=end_id)
        if outcome:
            result.extensions = {v.OUTCOME: outcome}
        if points is not None and max_points is not None:
            result.score = make_score(points, max_points, points / max_points if max_points else 0)
        module = self._activity(vocab.modules[self._block_module(block_id)])
        scenario = self._activity(vocab.scenarios[block_id])
        return _present([self._emit(
            "completed", scenario, at, [module], [], result, {v.ATTEMPT: run},
        )])

    def media_event(self, at: datetime, event: dict[str, Any]) -> list[Any]:
        """A runtime media event (docs/runtime.md) as the xAPI Video Profile's statement."""
        vocab = self.vocabulary
        ext = v.VIDEO_EXTENSIONS
        verb = str(event["type"]).removeprefix("media-")
        context = {ext["session-id"]: event["session"], ext["length"]: event["length"]}
        results: dict[str, Any] = {}
        if verb == "seeked":
            results = {ext["time-from"]: event["from"], ext["time-to"]: event["to"]}
        elif verb != "initialized":
            results = {ext["time"]: event["time"]}
        if verb in ("paused", "seeked", "completed", "terminated"):
            results[ext["progress"]] = round(event["progress"] * 1000) / 1000
            results[ext["played-segments"]] = event["segments"]
        if verb in ("initialized", "paused", "completed", "terminated") and event["threshold"] != 1:
            context[ext["completion-threshold"]] = event["threshold"]
        if verb == "initialized":
            context[ext["speed"]] = f"{number(event['speed'])}x"
            context[ext["cc-subtitle-enabled"]] = bool(event["captions"])
        result = Result(extensions=results) if results else None
        if verb == "completed":
            result = Result(extensions=results, completion=True,
                            duration=duration(event.get("seconds") or 0))
        block_id = event["block"]["id"]
        data = vocab.media[block_id]
        activity = self._activity(data)
        is_video = data["definition"]["type"] == v.VIDEO_TYPE
        module = self._activity(vocab.modules[self._block_module(block_id)])
        categories = [Activity(v.video_profile_activity())] if is_video else []
        return _present([self._emit(verb, activity, at, [module], [], result, context,
                                    categories)])

    def _block_module(self, block_id: str) -> str:
        for module in self.course.modules:
            if any(block.id == block_id for block in module.blocks):
                return module.id
        raise KeyError(block_id)

    def course_completed(
        self, at: datetime, active_seconds: float, certificate: Certificate | None = None
    ) -> list[Any]:
        """The completion rules are met (sent once per registration). The CE hours are the
        course's: a module's AU does not claim them, and has no certificate. ``certificate``:
        what the learner's certificate records (its code, the licence fields)."""
        if self.completed:
            return []
        self.completed = True
        result = Result(completion=True, duration=duration(active_seconds))
        ce = self.course.config.ce
        launch = self._session.launch if self._session else None
        extensions: dict[str, Any] = {}
        if launch is None or launch.module is None:
            if ce is not None and ce.hours is not None:
                extensions[v.CE_HOURS] = ce.hours
            if ce is not None and ce.ethics_total:
                extensions[v.ETHICS_HOURS] = ce.ethics_total
            if certificate is not None:
                extensions[v.CERTIFICATE_CODE] = certificate.code
                for key, value in ((v.LICENSE_NUMBER, certificate.license_number),
                                   (v.LICENSE_STATE, certificate.license_state)):
                    if value:
                        extensions[key] = value
        if extensions:
            result.extensions = extensions
        return _present([self._emit("completed", self._launched(), at, [], [], result)])

    def end_session(self, at: datetime) -> list[Any]:
        """The learner leaves: ``suspended`` unless the course is completed, then
        ``terminated`` with the session's duration."""
        session = self._session
        assert session is not None, "no session to end"
        out = []
        if not self.completed:
            out.append(self._emit("suspended", self._launched(), at))
        end = self._next(at)
        result = Result(duration=duration((end - session.started).total_seconds()))
        out.append(self._emit("terminated", self._launched(), end, [], [], result))
        self._session = None
        return _present(out)

    # --- building statements -----------------------------------------------------------------

    def _activity(self, data: v.ActivityData) -> Any:
        """An activity of the vocabulary as a ``tincan`` object, made once."""
        made = self._activities.get(data["id"])
        if made is None:
            made = self._activities[data["id"]] = Activity(data)
        return made

    def _test_question(self) -> str:
        test = self.course.test
        assert test is not None and test.questions
        return test.questions[0].id

    def _launched(self) -> Any:
        """The object of the session statements: the course, or the cmi5 AU (named after the
        course, or its module's)."""
        session = self._session
        if session is None or session.launch is None:
            return self._activity(self.vocabulary.course)
        module = session.launch.module
        unit = self.vocabulary.modules[module] if module else self.vocabulary.course
        definition = self._activity(unit).definition
        return Activity(
            id=session.launch.activity_id,
            definition=ActivityDefinition(
                name=definition.name, description=definition.description
            ),
        )

    def _next(self, at: datetime) -> datetime:
        """``at``, or a millisecond after the previous statement: timestamps always increase."""
        at = at.astimezone(UTC).replace(microsecond=at.microsecond // 1000 * 1000)
        if self._last is not None and at <= self._last:
            at = self._last + TICK
        self._last = at
        return at

    def _emit(
        self,
        name: str,
        activity: Any,
        at: datetime,
        parents: list[Any] | None = None,
        groups: list[Any] | None = None,
        result: Any = None,
        extensions: dict[str, Any] | None = None,
        categories: list[Any] | None = None,
    ) -> Any | None:
        """One statement, or None when a Browse/Review launch does not send it."""
        session = self._session
        launch = session.launch if session else None
        cmi5_defined = False
        if launch is not None:
            if not launch.judged and name not in ("initialized", "terminated"):
                return None
            # Defined: a cmi5 verb about the AU. "passed" on the post-test is only "allowed".
            cmi5_defined = name in CMI5_DEFINED and activity.id == launch.activity_id
        statement = Statement(
            id=self.new_id(),
            actor=self.actor,
            verb=Verb(v.verb(name)),
            object=activity,
            context=Context(self._context(activity, parents, groups, result, extensions, launch,
                                          cmi5_defined, categories or [])),
            timestamp=self._next(at),
        )
        if result is not None:
            statement.result = result
        statement.version = None  # xAPI: a Learning Record Provider does not set it
        return statement

    def _context(
        self,
        activity: Any,
        parents: list[Any] | None,
        groups: list[Any] | None,
        result: Any,
        extensions: dict[str, Any] | None,
        launch: Cmi5Launch | None,
        cmi5_defined: bool,
        categories: list[Any],
    ) -> dict[str, Any]:
        course = self._activity(self.vocabulary.course)
        parents = parents or []
        grouping = [_ref(g) for g in groups or []]
        if activity.id != course.id and all(p.id != course.id for p in parents):
            grouping.insert(0, _ref(course))
        category = [_ref(Activity(v.profile_activity())), *(_ref(c) for c in categories)]
        if cmi5_defined:
            category.append({"id": v.CMI5_CATEGORY, "objectType": "Activity"})
            if result is not None and (result.success is not None or result.completion):
                category.append({"id": v.MOVEON_CATEGORY, "objectType": "Activity"})
        activities: dict[str, list[Any]] = {
            "parent": [_ref(p) for p in parents],
            "grouping": grouping,
            "category": category,
        }
        ext = dict(extensions or {})
        template: dict[str, Any] = copy.deepcopy(launch.context_template) if launch else {}
        for key, items in (template.get("contextActivities") or {}).items():
            activities[key] = _merge_activities(list(items), activities.get(key, []))
        ext = {**ext, **(template.get("extensions") or {})}
        context: dict[str, Any] = {
            "registration": self.registration,
            "contextActivities": {k: val for k, val in activities.items() if val},
            "language": self.vocabulary.language,
            "revision": self.course.config.version,
        }
        # The template's own values win: an AU "MUST NOT overwrite" them (cmi5 10.2.1).
        context.update(
            {k: val for k, val in template.items() if k not in ("contextActivities", "extensions")}
        )
        if ext:
            context["extensions"] = ext
        return context


def _present(statements: list[Any | None]) -> list[Any]:
    return [s for s in statements if s is not None]


def statement_json(statement: Any) -> dict[str, Any]:
    """A statement as JSON data, in ceforge's wire format: ``tincan``'s serialization, with the
    timestamp as JavaScript writes it (``2026-01-05T09:00:00.000Z``) and the duration in its
    shortest ISO 8601 form (``PT1H2M3.25S``)."""
    data: dict[str, Any] = statement.as_version()
    data["timestamp"] = wire_timestamp(statement.timestamp)
    result = data.get("result")
    if result and "duration" in result:
        result["duration"] = wire_duration(statement.result.duration)
    return data


def wire_timestamp(at: datetime) -> str:
    at = at.astimezone(UTC)
    return at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


def wire_duration(span: timedelta) -> str:
    hundredths = round(span.total_seconds() * 100)
    hours, rest = divmod(hundredths, 360000)
    minutes, rest = divmod(rest, 6000)
    seconds = f"{rest // 100}" if rest % 100 == 0 else f"{rest / 100:.2f}".rstrip("0")
    text = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    if rest or not text:
        text += f"{seconds}S"
    return "PT" + text
