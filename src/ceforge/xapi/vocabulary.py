"""The xAPI vocabulary of a course: IRIs, verbs, and every activity definition, as plain data.

Activity ids are IRIs under the course ``id`` (``docs/xapi.md``, "Activity ids"): a child is the
course id, a kind and a ceforge id joined by ``/`` (``https://…/course/module/empathy``), or by
``:`` when the course id is a URN (``urn:ceforge:course:module:empathy``). The ids ceforge
joins are made of ``[A-Za-z0-9_.-]`` (checked when the course is read), so they need no escaping.

============  ====================================  ===========================================
activity      id                                    type
============  ====================================  ===========================================
course        ``C``                                 ``…/activities/course``
module        ``C/module/{module id}``              ``…/activities/module``
page          ``C/page/{page id}``                  ``http://activitystrea.ms/schema/1.0/page``
question      ``C/question/{question id}``          ``…/activities/cmi.interaction``
post-test     ``C/test/{block id}``                 ``…/activities/assessment``
objective     ``C/objective/{module id}-{n}``       (cmi5.xml only)
cmi5 AU       ``C/au`` or ``C/au/{module id}``      (cmi5.xml publisher ids, see targets/cmi5)
scenario      ``C/scenario/{block id}``             ``…/activities/simulation``
decision      ``C/scenario/{block id}/{node id}``   ``…/activities/cmi.interaction`` (choice)
video, audio  ``C/media/{block id}``                the Video Profile's video type; audio's
reflection    ``C/question/{block id}``             ``…/activities/cmi.interaction`` (shared)
============  ====================================  ===========================================
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ceforge.memo import per_course
from ceforge.model import (
    Block,
    BlockKind,
    Choice,
    Course,
    Module,
    Page,
    Question,
    QuestionType,
    ScenarioChoice,
)

# --- IRIs -------------------------------------------------------------------------------------

ADL_VERBS = "http://adlnet.gov/expapi/verbs/"
ADL_ACTIVITIES = "http://adlnet.gov/expapi/activities/"

COURSE_TYPE = ADL_ACTIVITIES + "course"
MODULE_TYPE = ADL_ACTIVITIES + "module"
ASSESSMENT_TYPE = ADL_ACTIVITIES + "assessment"
INTERACTION_TYPE = ADL_ACTIVITIES + "cmi.interaction"
PROFILE_TYPE = ADL_ACTIVITIES + "profile"
PAGE_TYPE = "http://activitystrea.ms/schema/1.0/page"
SIMULATION_TYPE = ADL_ACTIVITIES + "simulation"
AUDIO_TYPE = "http://activitystrea.ms/schema/1.0/audio"

#: The xAPI Video Profile (https://w3id.org/xapi/video, v1.0.3): its verbs, its activity type
#: and the extensions its statement templates require.
VIDEO_PROFILE = "https://w3id.org/xapi/video"
VIDEO_TYPE = VIDEO_PROFILE + "/activity-type/video"
VIDEO_VERBS = VIDEO_PROFILE + "/verbs/"
VIDEO_EXTENSIONS = {
    name: f"{VIDEO_PROFILE}/extensions/{name}"
    for name in (
        "time", "time-from", "time-to", "progress", "played-segments", "length", "session-id",
        "completion-threshold", "speed", "cc-subtitle-enabled", "cc-subtitle-lang",
    )
}

#: ceforge's xAPI profile. Every statement names its version in ``context.contextActivities.
#: category``; ceforge's extensions live under it.
PROFILE = "https://w3id.org/xapi/ceforge"
PROFILE_VERSION = PROFILE + "/v1"
#: Result extension of the course's ``completed`` statement: the CE (contact) hours earned.
CE_HOURS = PROFILE + "/extensions/ce-hours"
#: Result extensions of the course's ``completed`` statement in a course with a certificate
#: (``ceforge.certificate``): the ethics hours of those CE hours, the certificate's verification
#: code (12 characters, no dashes), and the licence number and state as the learner typed them
#: (when ``certificate.collect`` asks for them).
ETHICS_HOURS = PROFILE + "/extensions/ethics-hours"
CERTIFICATE_CODE = PROFILE + "/extensions/certificate-code"
LICENSE_NUMBER = PROFILE + "/extensions/license-number"
LICENSE_STATE = PROFILE + "/extensions/license-state"


def record_extensions() -> dict[str, str]:
    """The result extensions of the certificate's record, by the names
    ``ceforge.certificate.find_completion`` reads them under."""
    return {
        "certificate_code": CERTIFICATE_CODE,
        "license_number": LICENSE_NUMBER,
        "license_state": LICENSE_STATE,
    }


#: Context extension of post-test statements: the number of the attempt (1, 2, …); of a
#: scenario's statements, the number of the run (1, 2, … as the learner starts it again).
ATTEMPT = PROFILE + "/extensions/attempt"
#: Result extension of a scenario's ``completed``: the end's outcome (good, ok or poor).
OUTCOME = PROFILE + "/extensions/outcome"

CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
MOVEON_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/moveon"
SESSION_ID = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
MASTERY_SCORE = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
#: cmi5's result extension for progress (0–100) through the launched activity.
PROGRESS = "https://w3id.org/xapi/cmi5/result/extensions/progress"

VERBS = (
    "responded",
    "initialized",
    "resumed",
    "experienced",
    "answered",
    "progressed",
    "passed",
    "failed",
    "completed",
    "suspended",
    "terminated",
)

INTERACTION_TYPES: dict[QuestionType, str] = {
    QuestionType.CHOICE: "choice",
    QuestionType.MULTIPLE_CHOICE: "choice",
    QuestionType.TRUE_FALSE: "true-false",
    QuestionType.FILL_IN: "fill-in",
    QuestionType.NUMERIC: "numeric",
    QuestionType.MATCHING: "matching",
    QuestionType.SEQUENCING: "sequencing",
    QuestionType.LIKERT: "likert",
    QuestionType.ESSAY: "long-fill-in",
}


#: The Video Profile's own verbs (initialized, completed and terminated are ADL's).
MEDIA_VERBS = ("played", "paused", "seeked")


def verb(name: str) -> dict[str, Any]:
    """An ADL verb (or one of the Video Profile's), displayed in US English as those
    vocabularies do."""
    base = VIDEO_VERBS if name in MEDIA_VERBS else ADL_VERBS
    return {"id": base + name, "display": {"en-US": name}}


# --- activity ids -----------------------------------------------------------------------------


def child_iri(base: str, *segments: str) -> str:
    """The IRI of a child of ``base``: ``base/a/b``, or ``base:a:b`` for a URN."""
    if base.lower().startswith("urn:"):
        return ":".join([base, *segments])
    return "/".join([base.rstrip("/"), *segments])


def module_iri(course_id: str, module_id: str) -> str:
    return child_iri(course_id, "module", module_id)


def page_iri(course_id: str, page_id: str) -> str:
    return child_iri(course_id, "page", page_id)


def question_iri(course_id: str, question_id: str) -> str:
    return child_iri(course_id, "question", question_id)


def assessment_iri(course_id: str, block_id: str) -> str:
    return child_iri(course_id, "test", block_id)


def objective_iri(course_id: str, module_id: str, number: int) -> str:
    return child_iri(course_id, "objective", f"{module_id}-{number}")


def scenario_iri(course_id: str, block_id: str, node_id: str | None = None) -> str:
    return child_iri(course_id, "scenario", block_id, *([node_id] if node_id else []))


def media_iri(course_id: str, block_id: str) -> str:
    return child_iri(course_id, "media", block_id)


# --- texts ------------------------------------------------------------------------------------

_SPACE = re.compile(r"\s+")


def html_text(fragment: str) -> str:
    """The text of an HTML fragment, white space folded."""
    if not fragment.strip():
        return ""
    from lxml import html as lxml_html  # only the xAPI targets and `ceforge statements` need it

    element = lxml_html.fragment_fromstring(fragment, create_parent="div")
    return _SPACE.sub(" ", element.text_content()).strip()


def module_description(module: Module) -> str:
    return " ".join(module.objectives) or module.title


def number(value: float) -> str:
    """A number as the interaction formats write it: ``42``, ``3.5``, ``-0.25``."""
    if value == int(value):
        return str(int(value))
    return format(value, ".15g")


# --- activity definitions ---------------------------------------------------------------------

#: An activity as xAPI's JSON has it: ``{"id", "objectType", "definition"}``.
ActivityData = dict[str, Any]


def activity(activity_id: str, definition: dict[str, Any]) -> ActivityData:
    return {"id": activity_id, "objectType": "Activity", "definition": definition}


def _definition(
    language: str, type_iri: str, name: str, description: str = "", **fields: Any
) -> dict[str, Any]:
    """An activity definition; its keys in the order xAPI lists them."""
    definition: dict[str, Any] = {"name": {language: name}}
    if description and description != name:
        definition["description"] = {language: description}
    definition["type"] = type_iri
    return definition | fields


def _components(
    language: str, items: Sequence[Choice] | Sequence[ScenarioChoice]
) -> list[dict[str, Any]]:
    """Interaction components: a question's choices, or a scenario node's."""
    return [{"id": item.id, "description": {language: item.text}} for item in items]


def fill_in_pattern(answer: str) -> str:
    """A fill-in alternative as a correct-response pattern (a leading ``{`` would read as a
    ``{case_matters=…}`` parameter, so it gets an explicit one first)."""
    return "{case_matters=false}" + answer if answer.startswith("{") else answer


def correct_responses(question: Question) -> list[str] | None:
    """The ``correctResponsesPattern`` of a question; None for likert and essay."""
    qtype = question.type
    right = [c.id for c in question.choices if c.correct]
    if qtype in (QuestionType.CHOICE, QuestionType.MULTIPLE_CHOICE, QuestionType.TRUE_FALSE):
        return ["[,]".join(right)]
    if qtype is QuestionType.SEQUENCING:
        return ["[,]".join(c.id for c in question.choices)]
    if qtype is QuestionType.MATCHING:
        return ["[,]".join(f"{p.source.id}[.]{p.target.id}" for p in question.pairs)]
    if qtype is QuestionType.FILL_IN:
        return [fill_in_pattern(answer) for answer in question.answers]
    if qtype is QuestionType.NUMERIC and question.numeric is not None:
        low, high = question.numeric.low, question.numeric.high
        return [number(low) if low == high else f"{number(low)}[:]{number(high)}"]
    return None


def question_definition(question: Question, language: str) -> dict[str, Any]:
    qtype = question.type
    definition = _definition(
        language,
        INTERACTION_TYPE,
        question.prompt_text,
        html_text(question.stem_html),
        interactionType=INTERACTION_TYPES[qtype],
    )
    pattern = correct_responses(question)
    if pattern is not None:
        definition["correctResponsesPattern"] = pattern
    if qtype in (QuestionType.CHOICE, QuestionType.MULTIPLE_CHOICE, QuestionType.SEQUENCING):
        definition["choices"] = _components(language, question.choices)
    elif qtype is QuestionType.LIKERT:
        definition["scale"] = _components(language, question.choices)
    elif qtype is QuestionType.MATCHING:
        targets: dict[str, Choice] = {}
        for pair in question.pairs:
            targets.setdefault(pair.target.id, pair.target)
        definition["source"] = _components(language, [p.source for p in question.pairs])
        definition["target"] = _components(language, list(targets.values()))
    return definition


# --- the vocabulary of a course ---------------------------------------------------------------


@dataclass(frozen=True)
class Vocabulary:
    """Every activity of a course, as xAPI JSON data (``ActivityData``) keyed by ceforge id.

    Plain data, worked out once per course: the Tin Can and cmi5 targets put it in their
    packages as it is, and ``ceforge statements`` (``xapi.statements``) turns the activities a
    learner meets into ``tincan`` objects."""

    course_id: str
    language: str
    course: ActivityData
    modules: dict[str, ActivityData]
    pages: dict[str, ActivityData]
    questions: dict[str, ActivityData]
    test: ActivityData | None
    #: module id of each page, and module and block of each question
    page_module: dict[str, str]
    question_module: dict[str, str]
    question_block: dict[str, str]
    #: scenarios and media by block id; a scenario's decisions by block id, then node id
    scenarios: dict[str, ActivityData] = field(default_factory=dict)
    decisions: dict[str, dict[str, ActivityData]] = field(default_factory=dict)
    media: dict[str, ActivityData] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The vocabulary as the package carries it (``course_data()["xapi"]``): worked out
        once, shared by the Tin Can and cmi5 targets (a new dict at the top; the definitions
        inside are shared and must not be changed)."""
        return dict(self._json)

    @cached_property
    def _json(self) -> dict[str, Any]:
        return {
            "profile": PROFILE_VERSION,
            "verbs": {name: verb(name) for name in (*VERBS, *MEDIA_VERBS)},
            "category": [profile_activity()],
            "extensions": {
                "ce_hours": CE_HOURS,
                "ethics_hours": ETHICS_HOURS,
                "certificate_code": CERTIFICATE_CODE,
                "license_number": LICENSE_NUMBER,
                "license_state": LICENSE_STATE,
                "attempt": ATTEMPT,
                "outcome": OUTCOME,
                "progress": PROGRESS,
                "session_id": SESSION_ID,
                "mastery_score": MASTERY_SCORE,
            },
            "cmi5_categories": {"cmi5": CMI5_CATEGORY, "moveon": MOVEON_CATEGORY},
            "activities": {
                "course": self.course,
                "modules": self.modules,
                "pages": self.pages,
                "questions": self.questions,
                "test": self.test,
                "scenarios": self.scenarios,
                "decisions": self.decisions,
                "media": self.media,
            },
            "video": {
                "category": video_profile_activity(),
                "extensions": dict(VIDEO_EXTENSIONS),
                "audio_type": AUDIO_TYPE,
            },
        }


def profile_activity() -> ActivityData:
    return {"id": PROFILE_VERSION, "objectType": "Activity", "definition": {"type": PROFILE_TYPE}}


def video_profile_activity() -> ActivityData:
    """The Video Profile, in the ``category`` of every video statement."""
    return {"id": VIDEO_PROFILE, "objectType": "Activity", "definition": {"type": PROFILE_TYPE}}


def scenario_activities(
    course: Course, block: Block, page: Page
) -> tuple[ActivityData, dict[str, ActivityData]]:
    """A scenario (named after its page) and one choice interaction per node with choices."""
    language, course_id = course.config.language, course.config.id
    assert block.scenario is not None
    definition = _definition(language, SIMULATION_TYPE, page.title, html_text(block.intro_html))
    scenario = activity(scenario_iri(course_id, block.id), definition)
    decisions = {}
    for node in block.scenario.nodes:
        if node.end:
            continue
        node_definition = _definition(
            language,
            INTERACTION_TYPE,
            node.title_text,
            html_text(node.body_html),
            interactionType="choice",
        )
        node_definition["choices"] = _components(language, node.choices)
        decisions[node.id] = activity(scenario_iri(course_id, block.id, node.id), node_definition)
    return scenario, decisions


def media_activity(course: Course, block: Block, page: Page) -> ActivityData:
    """A video (the Video Profile's type) or an audio, named after its page."""
    kind = VIDEO_TYPE if block.kind is BlockKind.VIDEO else AUDIO_TYPE
    definition = _definition(course.config.language, kind, page.title, html_text(block.intro_html))
    return activity(media_iri(course.config.id, block.id), definition)


def course_activity(course: Course) -> ActivityData:
    config = course.config
    definition = _definition(
        config.language, COURSE_TYPE, config.title, config.description or config.title
    )
    return activity(config.id, definition)


def module_activity(course: Course, module: Module) -> ActivityData:
    language = course.config.language
    definition = _definition(language, MODULE_TYPE, module.title, module_description(module))
    return activity(module_iri(course.config.id, module.id), definition)


def page_activity(course: Course, page: Page) -> ActivityData:
    definition = _definition(course.config.language, PAGE_TYPE, page.title)
    return activity(page_iri(course.config.id, page.id), definition)


def assessment_activity(course: Course, block: Block, page: Page) -> ActivityData:
    """The post-test, named after the page that holds it."""
    definition = _definition(
        course.config.language, ASSESSMENT_TYPE, page.title, html_text(block.intro_html)
    )
    return activity(assessment_iri(course.config.id, block.id), definition)


@per_course
def build_vocabulary(course: Course) -> Vocabulary:
    """Every activity definition of ``course`` (computed once per course: the Tin Can and cmi5
    targets of one build share it)."""
    course_id, language = course.config.id, course.config.language
    modules: dict[str, ActivityData] = {}
    pages: dict[str, ActivityData] = {}
    questions: dict[str, ActivityData] = {}
    test = None
    page_module: dict[str, str] = {}
    question_module: dict[str, str] = {}
    question_block: dict[str, str] = {}
    the_test = course.test
    scenarios: dict[str, ActivityData] = {}
    decisions: dict[str, dict[str, ActivityData]] = {}
    media: dict[str, ActivityData] = {}
    for module in course.modules:
        modules[module.id] = module_activity(course, module)
        for page in module.pages:
            pages[page.id] = page_activity(course, page)
            page_module[page.id] = module.id
            for block in page.blocks:
                if block is the_test:
                    test = assessment_activity(course, block, page)
                if block.scenario is not None:
                    scenarios[block.id], decisions[block.id] = scenario_activities(
                        course, block, page
                    )
                if block.media is not None:
                    media[block.id] = media_activity(course, block, page)
                reflection = block.reflection
                shared = reflection.question if reflection and reflection.share else None
                for question in [*block.questions, *([shared] if shared else [])]:
                    questions[question.id] = activity(
                        question_iri(course_id, question.id),
                        question_definition(question, language),
                    )
                    question_module[question.id] = module.id
                    question_block[question.id] = block.id
    return Vocabulary(
        course_id=course_id,
        language=language,
        course=course_activity(course),
        modules=modules,
        pages=pages,
        questions=questions,
        test=test,
        page_module=page_module,
        question_module=question_module,
        question_block=question_block,
        scenarios=scenarios,
        decisions=decisions,
        media=media,
    )
