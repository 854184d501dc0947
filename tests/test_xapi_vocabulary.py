"""The xAPI vocabulary: activity ids under the course id, interaction definitions, and the JSON
the packages carry."""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import Any

import pytest

from ceforge.build import check_course_folder
from ceforge.model import Course, Question, QuestionType
from ceforge.xapi import vocabulary as v
from ceforge.xapi.learner import right_response, wrong_response

FIXTURE = Path(__file__).parent / "fixtures" / "xapi" / "course"
COURSE_ID = "https://ceforge.example.org/courses/listening-basics"


def load(root: Path) -> Course:
    result = check_course_folder(root)
    assert result.course is not None and not result.errors, result.diagnostics
    return result.course


@pytest.fixture(scope="module")
def course() -> Course:
    return load(FIXTURE)


def with_id(tmp_path: Path, course_id: str, language: str = "en-US") -> Course:
    root = tmp_path / "course"
    shutil.copytree(FIXTURE, root)
    text = (root / "course.yml").read_text(encoding="utf-8")
    text = text.replace(COURSE_ID, course_id).replace("language: en-US", f"language: {language}")
    (root / "course.yml").write_text(text, encoding="utf-8")
    return load(root)


@pytest.mark.parametrize(
    ("course_id", "child"),
    [
        (COURSE_ID, COURSE_ID + "/{}/{}"),
        (COURSE_ID + "/", COURSE_ID + "/{}/{}"),
        ("urn:ceforge:listening-basics", "urn:ceforge:listening-basics:{}:{}"),
    ],
    ids=["https", "trailing-slash", "urn"],
)
def test_activity_ids_are_iris_under_the_course_id(
    tmp_path: Path, course_id: str, child: str
) -> None:
    vocabulary = v.build_vocabulary(with_id(tmp_path, course_id))
    assert vocabulary.course["id"] == course_id
    assert vocabulary.modules["basics"]["id"] == child.format("module", "basics")
    assert vocabulary.pages["basics-p2"]["id"] == child.format("page", "basics-p2")
    assert vocabulary.questions["kc-open"]["id"] == child.format("question", "kc-open")
    assert vocabulary.test is not None
    assert vocabulary.test["id"] == child.format("test", "post-test-test")
    ids = [a["id"] for a in (vocabulary.course, *vocabulary.modules.values(),
                          *vocabulary.pages.values(), *vocabulary.questions.values())]
    assert len(set(ids)) == len(ids)


def definition(course: Course, question_id: str) -> dict[str, Any]:
    data: dict[str, Any] = v.build_vocabulary(course).questions[question_id]
    return data["definition"]  # type: ignore[no-any-return]


def test_interactions_have_their_type_pattern_and_components(course: Course) -> None:
    expected = {
        "kc-reflection": ("choice", ["b"], "choices"),
        "kc-open": ("choice", ["a[,]c"], "choices"),
        "kc-summary": ("true-false", ["false"], None),
        "kc-complex": ("fill-in", ["complex", "complex reflection"], None),
        "kc-count": ("numeric", ["4"], None),
        "kc-match": ("matching", ["1[.]a[,]2[.]b[,]3[.]c"], "source"),
        "kc-order": ("sequencing", ["a[,]b[,]c"], "choices"),
        "kc-journal": ("long-fill-in", None, None),
        "post-minutes": ("numeric", ["45[:]60"], None),
        "eval-objectives": ("likert", None, "scale"),
    }
    for question_id, (kind, pattern, components) in expected.items():
        data = definition(course, question_id)
        assert data["type"] == v.INTERACTION_TYPE
        assert data["interactionType"] == kind, question_id
        assert data.get("correctResponsesPattern") == pattern, question_id
        if components:
            items = data[components]
            assert len({c["id"] for c in items}) == len(items)
            assert all(set(c["description"]) == {"en-US"} for c in items)
    match = definition(course, "kc-match")
    assert [c["description"]["en-US"] for c in match["target"]] == [
        "Invite elaboration", "Build confidence", "Tie threads together"
    ]


def test_names_and_descriptions_are_in_the_course_language(tmp_path: Path) -> None:
    vocabulary = v.build_vocabulary(with_id(tmp_path, COURSE_ID, "es-MX"))
    data = vocabulary.to_json()["activities"]
    maps = [data["course"]["definition"]["name"], data["modules"]["basics"]["definition"]["name"],
            data["questions"]["kc-reflection"]["definition"]["choices"][0]["description"]]
    assert all(set(m) == {"es-MX"} for m in maps)


def test_fill_in_answers_that_start_with_a_brace_are_not_read_as_parameters() -> None:
    assert v.fill_in_pattern("{x}") == "{case_matters=false}{x}"
    assert v.fill_in_pattern("x") == "x"


def test_the_package_json_names_every_activity_and_the_vocabulary(course: Course) -> None:
    data = v.build_vocabulary(course).to_json()
    assert set(data["verbs"]) == {*v.VERBS, *v.MEDIA_VERBS}
    assert data["verbs"]["answered"]["id"] == "http://adlnet.gov/expapi/verbs/answered"
    assert data["verbs"]["played"]["id"] == "https://w3id.org/xapi/video/verbs/played"
    assert data["verbs"]["responded"]["id"] == "http://adlnet.gov/expapi/verbs/responded"
    assert data["category"][0]["id"] == v.PROFILE_VERSION
    assert data["extensions"]["ce_hours"] == v.CE_HOURS
    activities = data["activities"]
    assert set(activities["modules"]) == {m.id for m in course.modules}
    assert set(activities["pages"]) == {p.id for m in course.modules for p in m.pages}
    assert set(activities["questions"]) == {q.id for q in course.questions}
    assert activities["test"]["definition"]["type"] == v.ASSESSMENT_TYPE


# --- responses against the patterns (the runtime's answer rules) ------------------------------


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def right_by_pattern(question: Question, response: str, patterns: list[str]) -> bool:
    qtype = question.type
    for pattern in patterns:
        if qtype is QuestionType.NUMERIC:
            low, _, high = pattern.partition("[:]")
            value = float(response.replace(",", "."))
            if float(low) <= value <= float(high or low):
                return True
        elif qtype in (QuestionType.CHOICE, QuestionType.MULTIPLE_CHOICE, QuestionType.MATCHING):
            if set(response.split("[,]")) == set(pattern.split("[,]")):
                return True
        elif qtype is QuestionType.FILL_IN:
            if _fold(response) == _fold(pattern.removeprefix("{case_matters=false}")):
                return True
        elif response == pattern:
            return True
    return False


@pytest.mark.parametrize("root", [FIXTURE, Path(__file__).parent.parent / "examples"
                                  / "therapy-foundations"], ids=["fixture", "example"])
def test_right_responses_match_the_pattern_and_wrong_ones_do_not(root: Path) -> None:
    course = load(root)
    vocabulary = v.build_vocabulary(course)
    rng = random.Random(1)
    checked = 0
    for question in course.questions:
        patterns = vocabulary.questions[question.id]["definition"].get(
            "correctResponsesPattern")
        if not question.type.gradable:
            assert patterns is None
            continue
        assert right_by_pattern(question, right_response(question), patterns), question.id
        assert not right_by_pattern(question, wrong_response(question, rng), patterns), question.id
        checked += 1
    assert checked
