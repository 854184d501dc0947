"""The statements of simulated learners: their sequence (goldens), ceforge's statement rules,
the cmi5 rules, and both xAPI oracles on every statement.

Goldens (``tests/fixtures/xapi/statements/*.json``) hold a readable digest of each statement of
each path, plain and cmi5, plus the whole statements of the plain pass path; regenerate them with
``nox -s update-golden`` and review the diff.
"""

from __future__ import annotations

import json
import re
import shutil
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from ceforge.build import check_course_folder
from ceforge.certificate import normalize_code
from ceforge.model import Course
from ceforge.xapi import vocabulary as v
from ceforge.xapi.cmi5 import assignable_units, launched_activity_id
from ceforge.xapi.learner import (
    REPRODUCIBLE_START,
    Cmi5Options,
    LearnerPath,
    WalkError,
    parse_actor,
    walk,
)
from ceforge.xapi.statements import Cmi5Launch, Recorder, statement_json
from golden import assert_golden
from xapi_checks import (
    cmi5_violations,
    ralph_problems,
    video_profile_problems,
    video_profile_violations,
    xapi_validation_problems,
)

HERE = Path(__file__).parent
FIXTURE = HERE / "fixtures" / "xapi" / "course"
GOLDEN = HERE / "fixtures" / "xapi" / "statements"
EXAMPLE = HERE.parent / "examples" / "therapy-foundations"
MAILTO = "mailto:ana@example.org"
ACCOUNT = '{"account": {"homePage": "https://lms.example.org", "name": "ana"}}'
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")

VARIANTS: dict[str, Cmi5Options | None] = {
    "xapi": None,
    "cmi5": Cmi5Options(),
    "cmi5-browse": Cmi5Options(launch_mode="Browse"),
    "cmi5-review": Cmi5Options(launch_mode="Review"),
    "cmi5-mastery": Cmi5Options(mastery_score=0.6),
}


def load(root: Path) -> Course:
    result = check_course_folder(root)
    assert result.course is not None and not result.errors, result.diagnostics
    return result.course


@pytest.fixture(scope="module")
def course() -> Course:
    return load(FIXTURE)


def statements(
    course: Course, path: LearnerPath, cmi5: Cmi5Options | None = None, seed: int = 1
) -> list[dict[str, Any]]:
    actor = parse_actor(ACCOUNT if cmi5 else MAILTO)
    walked = walk(course, path, actor, seed=seed, cmi5=cmi5)
    return [statement_json(s) for s in walked.statements]


# --- goldens ----------------------------------------------------------------------------------


def _short(iri: str, course_id: str) -> str:
    if iri.startswith(course_id):
        return "C" + iri[len(course_id):]
    return {
        v.PROFILE_VERSION: "ceforge",
        v.CMI5_CATEGORY: "cmi5",
        v.MOVEON_CATEGORY: "moveon",
        v.ATTEMPT: "attempt",
        v.CE_HOURS: "ce-hours",
        v.ETHICS_HOURS: "ethics-hours",
        v.CERTIFICATE_CODE: "certificate-code",
        v.LICENSE_NUMBER: "license-number",
        v.LICENSE_STATE: "license-state",
        v.PROGRESS: "progress",
        v.SESSION_ID: "sessionid",
        v.MASTERY_SCORE: "masteryscore",
    }.get(iri, "AU" if iri.startswith("urn:uuid:") else iri)


def digest(statement: dict[str, Any], course_id: str) -> dict[str, Any]:
    """What a reader checks in a statement: when, verb, object, result, context activities."""
    context = statement["context"]
    activities = context.get("contextActivities", {})
    extensions = {_short(k, course_id): val for k, val in context.get("extensions", {}).items()}
    if "sessionid" in extensions:
        extensions["sessionid"] = "…"
    result = dict(statement.get("result", {}))
    if "extensions" in result:
        result["extensions"] = {_short(k, course_id): x for k, x in result["extensions"].items()}
    return {
        "at": statement["timestamp"],
        "verb": statement["verb"]["display"]["en-US"],
        "object": _short(statement["object"]["id"], course_id),
        **({"result": result} if result else {}),
        **{key: [_short(a["id"], course_id) for a in items] for key, items in activities.items()},
        **({"extensions": extensions} if extensions else {}),
    }


@pytest.mark.parametrize("path", list(LearnerPath))
@pytest.mark.parametrize("variant", ["xapi", "cmi5"])
def test_the_statements_of_each_path(course: Course, variant: str, path: LearnerPath) -> None:
    found = statements(course, path, VARIANTS[variant])
    assert_golden(
        GOLDEN / f"{variant}-{path}.json", [digest(s, course.config.id) for s in found]
    )


def test_the_whole_statements_of_the_pass_path(course: Course) -> None:
    assert_golden(GOLDEN / "xapi-pass-full.json", statements(course, LearnerPath.PASS))


# --- the oracles ------------------------------------------------------------------------------


def every_statement(course: Course) -> list[dict[str, Any]]:
    return [s for options in VARIANTS.values() for path in LearnerPath
            for s in statements(course, path, options)]


@pytest.fixture(scope="module")
def urn_course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture course with a ``urn:`` id, in Mexican Spanish."""
    root = tmp_path_factory.mktemp("urn") / "course"
    shutil.copytree(FIXTURE, root)
    text = (root / "course.yml").read_text(encoding="utf-8")
    text = text.replace("https://ceforge.example.org/courses/listening-basics",
                        "urn:ceforge:listening-basics").replace("en-US", "es-MX")
    (root / "course.yml").write_text(text, encoding="utf-8")
    return root


COURSES = ["fixture", "urn", "example"]


def course_root(name: str, request: pytest.FixtureRequest) -> Path:
    if name == "urn":
        root: Path = request.getfixturevalue("urn_course")
        return root
    return {"fixture": FIXTURE, "example": EXAMPLE}[name]


@pytest.mark.parametrize("name", COURSES)
def test_every_statement_passes_xapi_validation(name: str, request: pytest.FixtureRequest) -> None:
    found = every_statement(load(course_root(name, request)))
    assert xapi_validation_problems(found) == {}


@pytest.mark.parametrize("name", COURSES)
def test_every_statement_passes_ralphs_strict_model(
    name: str, request: pytest.FixtureRequest
) -> None:
    found = every_statement(load(course_root(name, request)))
    assert ralph_problems(found) == {}


def test_the_oracles_reject_what_they_should(course: Course) -> None:
    """Guards the two tests above: each oracle sees a broken statement."""
    broken = statements(course, LearnerPath.PARTIAL)[0]
    broken["timestamp"] = "2026-01-05T09:00:00"  # no time zone
    broken["context"]["registration"] = "not-a-uuid"
    assert xapi_validation_problems([broken])
    assert ralph_problems([broken])


# --- ceforge's statement rules ----------------------------------------------------------------


@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.parametrize("path", list(LearnerPath))
def test_every_statement_follows_the_common_rules(
    course: Course, path: LearnerPath, variant: str
) -> None:
    found = statements(course, path, VARIANTS[variant])
    registrations = {s["context"]["registration"] for s in found}
    assert len(registrations) == 1
    assert len({s["id"] for s in found}) == len(found)
    assert [s["timestamp"] for s in found] == sorted({s["timestamp"] for s in found})
    for s in found:
        assert UUID.match(s["id"]), s["id"]
        assert TIMESTAMP.match(s["timestamp"]), s["timestamp"]
        assert "version" not in s  # xAPI: Learning Record Providers do not set it
        context = s["context"]
        assert context["language"] == "en-US" and context["revision"] == "2.1.0"
        activities = context["contextActivities"]
        assert activities["category"][0]["id"] == v.PROFILE_VERSION
        assert set(activities) <= {"parent", "grouping", "category", "other"}
        if s["object"]["id"] != course.config.id:
            ids = [a["id"] for a in activities.get("parent", []) + activities.get("grouping", [])]
            assert course.config.id in ids, s["verb"]


def test_the_parents_follow_the_course_structure(course: Course) -> None:
    found = statements(course, LearnerPath.PASS)
    cid = course.config.id

    def parents(verb: str, suffix: str) -> tuple[list[str], list[str]]:
        statement = next(s for s in found if s["verb"]["display"]["en-US"] == verb
                         and s["object"]["id"].endswith(suffix))
        activities = statement["context"]["contextActivities"]
        return ([a["id"] for a in activities.get("parent", [])],
                [a["id"] for a in activities.get("grouping", [])])

    assert parents("experienced", "/page/basics-p1") == ([f"{cid}/module/basics"], [cid])
    assert parents("answered", "/question/kc-open") == ([f"{cid}/module/basics"], [cid])
    assert parents("progressed", "/module/basics") == ([cid], [])
    test = f"{cid}/test/post-test-test"
    assert parents("passed", "/test/post-test-test") == ([f"{cid}/module/post-test"], [cid])
    answered_in_test = next(s for s in found if s["context"].get("extensions"))
    activities = answered_in_test["context"]["contextActivities"]
    assert [a["id"] for a in activities["parent"]] == [test]
    assert [a["id"] for a in activities["grouping"]] == [cid, f"{cid}/module/post-test"]


def test_completed_carries_the_ce_hours_the_certificate_and_the_whole_study_time(
    course: Course,
) -> None:
    found = statements(course, LearnerPath.PASS)
    (completed,) = [s for s in found if s["verb"]["display"]["en-US"] == "completed"]
    assert completed["object"]["id"] == course.config.id
    extensions = completed["result"]["extensions"]
    code = extensions.pop(v.CERTIFICATE_CODE)
    assert normalize_code(code) == code  # well formed, its check character right
    assert extensions == {v.CE_HOURS: 1.5}  # no ethics hours, no licence asked
    assert completed["result"]["completion"] is True
    assert completed["result"]["duration"].startswith("PT")


def test_sessions_open_and_close_and_suspend_until_completed(course: Course) -> None:
    verbs = [s["verb"]["display"]["en-US"] for s in statements(course, LearnerPath.PASS)]
    assert verbs[:1] == ["initialized"] and verbs[-1] == "terminated"
    # completed once, after the last answer: only the About page, which completion does not
    # ask for and which this course has last, is seen after it
    done = verbs.index("completed")
    assert verbs.count("completed") == 1 and "answered" not in verbs[done:]
    assert set(verbs[done + 1:-1]) <= {"experienced", "progressed"}
    second = verbs.index("initialized", 1)
    assert verbs[second - 2:second + 2] == ["suspended", "terminated", "initialized", "resumed"]
    partial = [s["verb"]["display"]["en-US"] for s in statements(course, LearnerPath.PARTIAL)]
    assert partial[-2:] == ["suspended", "terminated"] and "completed" not in partial


def test_the_fail_path_fails_every_allowed_attempt(course: Course) -> None:
    found = statements(course, LearnerPath.FAIL)
    judged = [s for s in found if s["verb"]["display"]["en-US"] in ("passed", "failed")]
    assert [s["verb"]["display"]["en-US"] for s in judged] == ["failed", "failed"]
    assert [s["context"]["extensions"][v.ATTEMPT] for s in judged] == [1, 2]
    assert all(s["result"]["score"]["scaled"] < 0.75 for s in judged)


# --- cmi5 -------------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", [k for k in VARIANTS if k != "xapi"])
@pytest.mark.parametrize("path", list(LearnerPath))
def test_cmi5_statements_follow_the_cmi5_rules(
    course: Course, path: LearnerPath, variant: str
) -> None:
    options = VARIANTS[variant]
    assert options is not None
    (au,) = assignable_units(course)
    mastery = options.mastery_score if options.mastery_score is not None else au.mastery_score
    found = statements(course, path, options)
    assert cmi5_violations(
        found,
        activity_id=launched_activity_id(au.id),
        publisher_id=au.id,
        launch_mode=options.launch_mode,
        mastery_score=mastery,
    ) == []


def test_the_cmi5_checker_sees_broken_sequences(course: Course) -> None:
    (au,) = assignable_units(course)
    found = statements(course, LearnerPath.PASS, Cmi5Options())

    def violations(items: list[dict[str, Any]]) -> list[str]:
        return cmi5_violations(items, activity_id=launched_activity_id(au.id), publisher_id=au.id,
                               mastery_score=au.mastery_score)

    assert violations(found) == []
    assert violations(found[:-1])  # the last session never terminates
    assert violations([found[1], found[0], *found[2:]])  # initialized is not first
    doubled = [*found[:-1], {**found[-2], "id": str(uuid.uuid4())}, found[-1]]
    assert violations(doubled)  # completed twice


def test_cmi5_judges_the_au_once_per_session(course: Course) -> None:
    found = statements(course, LearnerPath.FAIL, Cmi5Options())
    au_id = launched_activity_id(assignable_units(course)[0].id)
    about_au = [s["verb"]["display"]["en-US"] for s in found if s["object"]["id"] == au_id]
    assert about_au == ["initialized", "failed", "suspended", "terminated"]
    failed = next(s for s in found if s["object"]["id"] == au_id
                  and s["verb"]["display"]["en-US"] == "failed")
    assert failed["context"]["extensions"][v.MASTERY_SCORE] == 0.75


def test_a_mastery_score_from_the_lms_overrides_the_course(course: Course) -> None:
    found = statements(course, LearnerPath.PASS, Cmi5Options(mastery_score=0.6))
    passed = [s for s in found if s["verb"]["display"]["en-US"] == "passed"]
    assert len(passed) == 2  # the post-test (cmi5 allowed) and the AU (cmi5 defined)
    assert passed[1]["context"]["extensions"][v.MASTERY_SCORE] == 0.6


def test_browse_and_review_send_only_initialized_and_terminated(course: Course) -> None:
    for mode in ("Browse", "Review"):
        found = statements(course, LearnerPath.PASS, Cmi5Options(launch_mode=mode))
        verbs = [s["verb"]["display"]["en-US"] for s in found]
        assert verbs == ["initialized", "terminated"] * 2


def test_a_module_au_is_named_after_its_module_and_claims_no_ce_hours(course: Course) -> None:
    """``au=module``: the session statements are about the module's AU, named after the
    module, and its ``completed`` (the module's rules met) carries no CE hours: those are the
    course's, which a single module does not earn."""
    au = next(u for u in assignable_units(course, "module") if u.module == "practice")
    grouping = [{"id": au.id, "objectType": "Activity"}]
    launch = Cmi5Launch(
        activity_id=launched_activity_id(au.id),
        context_template={"contextActivities": {"grouping": grouping},
                          "extensions": {v.SESSION_ID: str(uuid.uuid4())}},
        move_on=au.move_on,
        module="practice",
    )
    recorder = Recorder(course, v.build_vocabulary(course), parse_actor(ACCOUNT),
                        str(uuid.uuid4()), lambda: str(uuid.uuid4()))
    at = datetime(2026, 1, 5, 9, tzinfo=UTC)
    found = [statement_json(s) for s in [
        *recorder.start_session(at, resumed=False, launch=launch),
        *recorder.page_shown(at, "practice-p1"),
        *recorder.course_completed(at, 300),
        *recorder.end_session(at),
    ]]
    about_au = [s for s in found if s["object"]["id"] == launch.activity_id]
    assert [s["verb"]["display"]["en-US"] for s in about_au] == [
        "initialized", "completed", "terminated"]
    assert {s["object"]["definition"]["name"]["en-US"] for s in about_au} == {
        "Practice"}
    assert "extensions" not in about_au[1]["result"]
    assert cmi5_violations(found, activity_id=launch.activity_id, publisher_id=au.id) == []


def test_cmi5_needs_an_account_and_the_fail_path_a_test(course: Course, tmp_path: Path) -> None:
    with pytest.raises(WalkError, match="accounts"):
        walk(course, LearnerPath.PASS, parse_actor(MAILTO), seed=1, cmi5=Cmi5Options())
    root = tmp_path / "no-test"
    (root / "modules").mkdir(parents=True)
    (root / "course.yml").write_text("id: urn:ceforge:t\ntitle: T\n", encoding="utf-8")
    (root / "modules" / "01-a.md").write_text("# A\n\nText.\n", encoding="utf-8")
    with pytest.raises(WalkError, match="post-test"):
        walk(load(root), LearnerPath.FAIL, parse_actor(MAILTO), seed=1)


# --- reproducibility --------------------------------------------------------------------------


def test_a_seed_or_a_registration_makes_the_walk_reproducible(course: Course) -> None:
    seeded = statements(course, LearnerPath.PASS, seed=4)
    assert seeded == statements(course, LearnerPath.PASS, seed=4)
    assert seeded != statements(course, LearnerPath.PASS, seed=5)  # the seed is what repeats
    registration = "7d3c5f2e-9a1b-4c6d-8e0f-1a2b3c4d5e6f"
    walks = [walk(course, LearnerPath.PARTIAL, parse_actor(MAILTO), registration=registration)
             for _ in range(2)]
    assert [statement_json(s) for s in walks[0].statements] == [
        statement_json(s) for s in walks[1].statements
    ]
    first = statement_json(walks[0].statements[0])
    assert first["context"]["registration"] == registration
    assert first["timestamp"] == REPRODUCIBLE_START.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def test_each_path_gets_its_own_ids_from_one_seed(course: Course) -> None:
    ids = [{s["id"] for s in statements(course, path)} for path in LearnerPath]
    assert all(ids) and not (ids[0] & ids[1] or ids[0] & ids[2] or ids[1] & ids[2])


def test_without_a_seed_the_walk_ends_now(course: Course) -> None:
    walked = walk(course, LearnerPath.PARTIAL, parse_actor(MAILTO))
    last = walked.statements[-1].timestamp
    assert abs(datetime.now(UTC) - last) < timedelta(seconds=5)


# --- video: the xAPI Video Profile ------------------------------------------------------------

BLOCKS = HERE / "fixtures" / "web" / "blocks"
SEGMENTS = "0.000[.]6.250[,]2.000[.]11.500"


def video_session(threshold: float = 0.9) -> list[dict[str, Any]]:
    """A media session as the runtime reports it (docs/runtime.md, media events): played,
    paused, sought back, played to the end (completed), left; as Recorder's statements."""
    course = load(BLOCKS)
    recorder = Recorder(course, v.build_vocabulary(course), parse_actor(MAILTO),
                        str(uuid.uuid4()), lambda: str(uuid.uuid4()))
    at = datetime(2026, 1, 5, 9, tzinfo=UTC)
    recorder.start_session(at, resumed=False)
    video = next(b for b in course.blocks if b.kind.value == "video")
    base = {"block": {"id": video.id}, "session": str(uuid.uuid4()), "length": 11.5,
            "threshold": threshold}
    events = [
        {"type": "media-initialized", "time": 0, "captions": True, "speed": 1},
        {"type": "media-played", "time": 0},
        {"type": "media-paused", "time": 6.25, "progress": 0.54, "segments": "0.000[.]6.250"},
        {"type": "media-seeked", "from": 6.25, "to": 2, "progress": 0.54,
         "segments": "0.000[.]6.250"},
        {"type": "media-played", "time": 2},
        {"type": "media-completed", "time": 11.5, "progress": 1, "segments": SEGMENTS,
         "seconds": 15.75},
        {"type": "media-paused", "time": 11.5, "progress": 1, "segments": SEGMENTS},
        {"type": "media-terminated", "time": 11.5, "progress": 1, "segments": SEGMENTS},
    ]
    out = []
    for n, event in enumerate(events, 1):
        out += recorder.media_event(at + timedelta(seconds=n), base | event)
    return [statement_json(s) for s in out]


def test_video_statements_follow_the_video_profile() -> None:
    said = video_session()
    assert [s["verb"]["id"].rsplit("/", 1)[1] for s in said] == [
        "initialized", "played", "paused", "seeked", "played", "completed", "paused",
        "terminated"]
    assert video_profile_violations(said, threshold=0.9) == []
    assert video_profile_problems(said) == {}
    assert xapi_validation_problems(said) == {}
    assert ralph_problems(said) == {}
    assert video_profile_violations(video_session(threshold=1), threshold=1) == []


def test_the_video_profile_checker_sees_broken_rules() -> None:
    said = video_session()
    assert any("is not initialized" in p for p in video_profile_violations(said[:-1]))
    assert any("is not initialized" in p for p in video_profile_violations(said[1:]))
    no_threshold = json.loads(json.dumps(said))
    del no_threshold[2]["context"]["extensions"][v.VIDEO_EXTENSIONS["completion-threshold"]]
    assert any("must be included" in p
               for p in video_profile_violations(no_threshold, threshold=0.9))
    bad = json.loads(json.dumps(said))
    bad[2]["result"]["extensions"][v.VIDEO_EXTENSIONS["played-segments"]] = "6.250[.]1.000"
    bad[1]["result"]["extensions"][v.VIDEO_EXTENSIONS["time"]] = 12.5
    bad[0]["context"]["extensions"][v.VIDEO_EXTENSIONS["session-id"]] = "session-1"
    found = video_profile_violations(bad)
    assert any("played-segments holds" in p for p in found)
    assert any("time must be 0..length" in p for p in found)
    assert any("session-id must be" in p for p in found)
