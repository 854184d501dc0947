"""What the SCORM browser tests share: built packages in a test LMS, and a learner inside it.

- ``ScormSite``: a package built, unzipped and served on 127.0.0.1 with the test LMS beside it
  (``lms/lms.html``: scorm-again 3.4.3 as ``window.API`` or ``window.API_1484_11``, the SCO in
  an iframe, every call and every commit recorded in ``window.lms``);
- ``launch_data`` and ``resume_data``: the data an LMS launches a SCO with, first (from the
  manifest: mastery score, objectives) and after a suspended session (what it kept);
- ``Lms``: one launch in a page: the SCO's frame, the recorded calls and commits, the data the
  LMS holds, and ``problems()``: our strict validator (``tests/scorm_datamodel.py``) over all
  of it, plus every API error scorm-again logged or returned;
- ``expected_record``: the interaction record an answer should become, in each version's
  format, written from STANDARDS.md (not from the adapters);
- frame-aware steps for the learner (``next_page``, ``go_to``, ``attest``,
  ``complete_from_here``); the rest (answering, the test, the survey) is ``learner.py``'s.
"""

from __future__ import annotations

import json
import shutil
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from harness import ConsoleLog, StaticServer
from learner import (
    COURSE_DATA,
    ESSAY,
    Course,
    all_right,
    fill_survey,
    give_license,
    knowledge_check,
    question_el,
    respond,
    route_of,
    take_test,
)
from learner import frame_attest as attest
from learner import frame_next_page as next_page
from lxml import etree
from playwright.sync_api import Frame, Page, expect

from ceforge.build import build
from ceforge.targets.base import BuildOptions
from oracles import node_module
from scorm_datamodel import call_problems, data_problems, interactions
from spec import number_text, right_response

HERE = Path(__file__).resolve().parent
LMS_FILES = HERE / "lms"
EXAMPLE = HERE.parent.parent / "examples" / "therapy-foundations"
LEARNER = {"id": "learner-0042", "name": "Núñez, Dana", "shown": "Dana Núñez"}
CP_2004 = "http://www.imsglobal.org/xsd/imscp_v1p1"
CP_12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP_12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
IMSSS = "http://www.imsglobal.org/xsd/imsss"


# --- packages in the test LMS --------------------------------------------------------------------


@dataclass(frozen=True)
class Variant:
    """One build of a course: target and options."""

    target: str  # scorm12 or scorm2004
    sco: str = "single"
    report: str | None = None
    edition: int = 4
    course: Path = EXAMPLE

    @property
    def version(self) -> str:
        """The validator's name of the version: 1.2, 2004 or 2004-3rd."""
        if self.target == "scorm12":
            return "1.2"
        return "2004" if self.edition == 4 else "2004-3rd"

    @property
    def family(self) -> str:
        return "1.2" if self.target == "scorm12" else "2004"

    def options(self) -> BuildOptions:
        return BuildOptions(sco=self.sco, report=self.report, scorm_edition=self.edition)


@dataclass(frozen=True)
class ScoEntry:
    """A SCO as the manifest declares it: what an LMS launches it with."""

    href: str
    objectives: tuple[str, ...]
    mastery: str | None  # 1.2 masteryscore, 2004 minNormalizedMeasure


@dataclass
class ScormSite:
    variant: Variant
    folder: Path
    url: str
    scos: dict[str, ScoEntry]


def read_manifest(folder: Path, variant: Variant) -> dict[str, ScoEntry]:
    """Each SCO's launch page, objective ids and mastery, from imsmanifest.xml."""
    root = etree.parse(str(folder / "imsmanifest.xml")).getroot()
    cp = CP_12 if variant.family == "1.2" else CP_2004
    hrefs = {r.get("identifier"): r.get("href") for r in root.iter(f"{{{cp}}}resource")}
    scos = {}
    for item in root.iter(f"{{{cp}}}item"):
        href = hrefs.get(item.get("identifierref"))
        if not href:
            continue
        if variant.family == "1.2":
            mastery = item.findtext(f"{{{ADLCP_12}}}masteryscore")
            ids: tuple[str, ...] = ()
        else:
            mastery = item.findtext(f".//{{{IMSSS}}}minNormalizedMeasure")
            ids = tuple(o.get("objectiveID", "") for o in item.iter(f"{{{IMSSS}}}objective"))
        scos[href] = ScoEntry(href, ids, mastery)
    return scos


def make_site(variant: Variant, out: Path) -> Path:
    """Build ``variant``, unzip it into ``out``, and put the test LMS beside it."""
    (package,) = build(
        variant.course, [variant.target], out / "dist", options=variant.options()
    ).paths
    folder = out / "site"
    with zipfile.ZipFile(package) as archive:
        archive.extractall(folder)
    for path in LMS_FILES.iterdir():
        shutil.copyfile(path, folder / path.name)
    scorm_again = node_module("scorm-again") / "dist" / "scorm-again.js"
    shutil.copyfile(scorm_again, folder / "scorm-again.js")
    return folder


#: Sites built in this session, shared by every test module that imports ``scorm_site``
#: (pytest would otherwise make one session fixture per importing module).
_SITES: dict[Variant, ScormSite] = {}


@pytest.fixture(scope="session")
def scorm_site(
    tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config
) -> Callable[[Variant], ScormSite]:
    """``scorm_site(variant)``: the variant built and served, once per session."""

    def get(variant: Variant) -> ScormSite:
        if variant not in _SITES:
            folder = make_site(variant, tmp_path_factory.mktemp(variant.target))
            server = StaticServer(folder)
            pytestconfig.add_cleanup(server.close)
            pytestconfig.add_cleanup(lambda: _SITES.pop(variant, None))
            _SITES[variant] = ScormSite(variant, folder, server.url, read_manifest(folder, variant))
        return _SITES[variant]

    return get


@pytest.fixture
def new_page(page: Page, console_log: ConsoleLog) -> Callable[[], Page]:
    """``new_page()``: another page (an LMS window) in the test's context, its console
    errors failing the test like the ``page`` fixture's."""

    def open_page() -> Page:
        other = page.context.new_page()
        console_log.watch(other)
        return other

    return open_page


# --- the data an LMS launches a SCO with ---------------------------------------------------------


def launch_data(site: ScormSite, href: str) -> dict[str, str]:
    """A first launch (ab-initio) of the SCO at ``href``, as an LMS would set it up from the
    manifest: the learner ("Last, First"), normal mode and credit, the mastery score and (2004)
    the objectives the manifest declares for the SCO."""
    sco = site.scos[href]
    if site.variant.family == "1.2":
        data = {
            "cmi.core.student_id": LEARNER["id"],
            "cmi.core.student_name": LEARNER["name"],
            "cmi.core.entry": "ab-initio",
            "cmi.core.lesson_mode": "normal",
            "cmi.core.credit": "credit",
        }
        if sco.mastery:
            data["cmi.student_data.mastery_score"] = sco.mastery
        return data
    data = {
        "cmi.learner_id": LEARNER["id"],
        "cmi.learner_name": LEARNER["name"],
        "cmi.entry": "ab-initio",
        "cmi.mode": "normal",
        "cmi.credit": "credit",
    }
    if sco.mastery:
        data["cmi.scaled_passing_score"] = sco.mastery
    for n, objective in enumerate(sco.objectives):
        data[f"cmi.objectives.{n}.id"] = objective
    return data


KEPT_12 = (
    "cmi.core.student_id", "cmi.core.student_name", "cmi.core.lesson_location",
    "cmi.core.lesson_status", "cmi.core.score.raw", "cmi.core.score.min", "cmi.core.score.max",
    "cmi.core.lesson_mode", "cmi.core.credit", "cmi.suspend_data", "cmi.student_data.mastery_score",
)
KEPT_2004 = (
    "cmi.learner_id", "cmi.learner_name", "cmi.location", "cmi.completion_status",
    "cmi.success_status", "cmi.score.scaled", "cmi.score.raw", "cmi.score.min", "cmi.score.max",
    "cmi.progress_measure", "cmi.mode", "cmi.credit", "cmi.suspend_data",
    "cmi.scaled_passing_score",
)


def resume_data(family: str, final: dict[str, Any]) -> dict[str, str]:
    """The next launch after a session that ended with ``final``: what the LMS keeps (status,
    score, location, suspend_data, objectives, interactions) and ``entry`` = resume when the
    SCO exited with suspend."""
    kept = KEPT_12 if family == "1.2" else KEPT_2004
    data = {k: str(final[k]) for k in kept if str(final.get(k, "")) != ""}
    for key, value in final.items():
        listed = key.startswith(("cmi.objectives.", "cmi.interactions."))
        if listed and str(value) != "" and not key.endswith(("_count", "_children")):
            data[key] = str(value)
    exit_key, entry_key = (
        ("cmi.core.exit", "cmi.core.entry") if family == "1.2" else ("cmi.exit", "cmi.entry")
    )
    data[entry_key] = "resume" if final.get(exit_key) == "suspend" else ""
    return data


# --- one launch --------------------------------------------------------------------------------


@dataclass
class Lms:
    """One SCO launched in the test LMS in ``page``."""

    page: Page
    site: ScormSite
    href: str
    initial: dict[str, str]
    popup: Page | None = None
    extra_problems: list[str] = field(default_factory=list)

    @property
    def family(self) -> str:
        return self.site.variant.family

    @property
    def sco(self) -> Frame:
        """The SCO's frame (or, launched in a window of its own, the popup's main frame)."""
        if self.popup is not None:
            return self.popup.main_frame
        url = self.site.url + self.href
        for frame in self.page.frames:
            if frame.url.split("#")[0] == url:
                return frame
        raise AssertionError(f"no frame shows {url}: {[f.url for f in self.page.frames]}")

    def course(self) -> Course:
        return Course(self.sco.evaluate(COURSE_DATA))

    def log(self, what: str) -> Any:
        return self.page.evaluate(f"() => window.lms.{what}")

    @property
    def calls(self) -> list[dict[str, Any]]:
        calls: list[dict[str, Any]] = self.log("calls")
        return calls

    @property
    def commits(self) -> list[dict[str, Any]]:
        commits: list[dict[str, Any]] = self.log("commits")
        return commits

    def data(self) -> dict[str, Any]:
        """What the LMS holds now (scorm-again's data model, flattened)."""
        data: dict[str, Any] = self.page.evaluate("() => window.lms.api.renderCommitCMI(false)")
        return data

    def stored(self) -> dict[str, str]:
        """What a strict LMS saved: the values of the Commits it accepted (a refused Commit
        loses the values set since the one before)."""
        stored: dict[str, str] = self.log("stored")
        return stored

    def committed(self) -> dict[str, Any]:
        """The data of the last commit the LMS accepted."""
        commits = self.commits
        assert commits, "nothing was committed"
        cmi: dict[str, Any] = commits[-1]["cmi"]
        return cmi

    def wait_for(self, test: Callable[[dict[str, Any]], bool], what: str,
                 timeout: float = 10.0) -> dict[str, Any]:
        """The data of the first commit for which ``test`` holds, waiting for it to come."""
        deadline = time.monotonic() + timeout
        while True:
            for commit in reversed(self.commits):
                if test(commit["cmi"]):
                    cmi: dict[str, Any] = commit["cmi"]
                    return cmi
            if time.monotonic() > deadline:
                raise AssertionError(f"no commit {what} within {timeout} s")
            self.page.wait_for_timeout(100)

    def sets(self, element: str) -> list[str]:
        """The values SetValue gave ``element``, in order, the refused ones too."""
        return [c["args"][1] for c in self.calls if c["fn"].endswith("SetValue")
                and c["args"][0] == element]

    def fail(self, *, set: bool = False, commit: bool = False) -> None:
        self.page.evaluate("(f) => { window.lms.failing.set = f.set; window.lms.failing.commit ="
                           " f.commit; }", {"set": set, "commit": commit})

    def events(self, kind: str | None = None) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self.sco.evaluate("() => Ceforge.app.events")
        return [e for e in found if kind is None or e["type"] == kind]

    def problems(self, scored: bool = False) -> list[str]:
        """Everything wrong with this session: our validator over the calls and over the data
        the LMS holds, every scorm-again log message, every API error (except the failures
        the test made the LMS return)."""
        version = self.site.variant.version
        injected = {"101", "391"} if any(
            c["result"] == "false" and c["fn"].endswith(("SetValue", "Commit"))
            for c in self.calls) else set()
        problems = list(self.extra_problems)
        problems += call_problems(version, self.calls, self.initial, scored=scored)
        problems += data_problems(version, self.data())
        problems += [f"scorm-again: {m['message']}" for m in self.log("messages")]
        problems += [
            f"{c['fn']}({', '.join(c['args'])}) -> error {c['error']}"
            for c in self.calls if c["error"] not in ("0", *injected)
        ]
        return problems


def launch(page: Page, site: ScormSite, href: str = "index.html",
           data: dict[str, str] | None = None, *, depth: int = 0, popup: bool = False) -> Lms:
    """Open the test LMS in ``page`` (a fresh page: its configuration is an init script) and
    launch the SCO at ``href`` with ``data`` (default: a first launch); wait for the course."""
    initial = data if data is not None else launch_data(site, href)
    config = {"version": site.variant.family, "sco": href, "cmi": initial, "depth": depth,
              "popup": popup}
    page.add_init_script(
        script=f"if (window === window.top && !window.opener) window.__lmsConfig = "
               f"{json.dumps(config)};")
    page.goto(site.url + "lms.html")
    lms = Lms(page, site, href, initial)
    if popup:
        with page.expect_popup() as opened:
            page.click("#open")
        lms.popup = opened.value
    lms.sco.wait_for_function("() => window.Ceforge && Ceforge.app")
    return lms


# --- the pace of commits -------------------------------------------------------------------------

COMMIT_SECONDS = 20  # scorm-common.js: commits without a status change are at most this frequent
STATUS_ELEMENTS = ("cmi.core.lesson_status", "cmi.completion_status", "cmi.success_status",
                   "cmi.core.score.raw", "cmi.score.scaled")


def commit_pace_problems(calls: list[dict[str, Any]]) -> list[str]:
    """In a session without hidden pages or failures: every status (or score) change is
    committed within a second; any other commit comes COMMIT_SECONDS after the one before
    (the last, just before Terminate, excepted)."""
    problems = []
    commits = [i for i, c in enumerate(calls) if c["fn"].endswith("Commit")]
    last_commit = None
    for i, call in enumerate(calls):
        if call["fn"].endswith("SetValue") and call["args"][0] in STATUS_ELEMENTS:
            after = [j for j in commits if j > i]
            if not after or calls[after[0]]["t"] - call["t"] > 1000:
                problems.append(f"call {i}: {call['args']} not committed within a second")
    for n, j in enumerate(commits):
        status = any(
            c["fn"].endswith("SetValue") and c["args"][0] in STATUS_ELEMENTS
            for c in calls[(last_commit or 0) : j]
        )
        final = n == len(commits) - 1 and calls[-1]["fn"] in ("LMSFinish", "Terminate")
        if last_commit is not None and not status and not final:
            gap = (calls[j]["t"] - calls[last_commit]["t"]) / 1000
            if gap < COMMIT_SECONDS - 0.5:
                problems.append(f"call {j}: a commit {gap:.1f} s after the one before")
        last_commit = j
    return problems


# --- the interaction an answer becomes (STANDARDS.md) -------------------------------------------


def _response_12(question: dict[str, Any], response: Any) -> str:
    kind = question["type"]
    if kind == "true-false":
        return "t" if response == "true" else "f"
    if kind == "multiple-choice":
        return ",".join(c["id"] for c in question["choices"] if c["id"] in response)
    if kind == "sequencing":
        return ",".join(response)
    if kind == "matching":
        return ",".join(f"{s}.{t}" for s, t in response)
    if kind == "numeric":
        return number_text(float(response.strip().replace(",", ".")))
    return str(response)[:255]


def _patterns_12(question: dict[str, Any]) -> list[str]:
    kind = question["type"]
    correct = [c["id"] for c in question["choices"] if c["correct"]]
    if kind == "true-false":
        return ["t" if correct[0] == "true" else "f"]
    if kind in ("choice", "multiple-choice"):
        return [",".join(correct)]
    if kind == "sequencing":
        return [",".join(c["id"] for c in question["choices"])]
    if kind == "matching":
        return [",".join(f"{s['id']}.{s['match']}" for s in question["sources"])]
    if kind == "fill-in":
        return list(question["answers"][:5])
    if kind == "numeric":
        low, high = question["numeric"]["min"], question["numeric"]["max"]
        return [number_text(low)] if low == high else []  # 1.2 has no range
    return []


def _response_2004(question: dict[str, Any], response: Any) -> str:
    kind = question["type"]
    if kind == "multiple-choice":
        return "[,]".join(c["id"] for c in question["choices"] if c["id"] in response)
    if kind == "sequencing":
        return "[,]".join(response)
    if kind == "matching":
        return "[,]".join(f"{s}[.]{t}" for s, t in response)
    if kind == "numeric":
        return number_text(float(response.strip().replace(",", ".")))
    return str(response)


def _patterns_2004(question: dict[str, Any]) -> list[str]:
    kind = question["type"]
    correct = [c["id"] for c in question["choices"] if c["correct"]]
    if kind in ("choice", "true-false", "multiple-choice"):
        return ["[,]".join(correct)]
    if kind == "sequencing":
        return ["[,]".join(c["id"] for c in question["choices"])]
    if kind == "matching":
        return ["[,]".join(f"{s['id']}[.]{s['match']}" for s in question["sources"])]
    if kind == "fill-in":
        return list(question["answers"][:5])
    if kind == "numeric":
        low, high = question["numeric"]["min"], question["numeric"]["max"]
        return [f"{number_text(round(low, 7))}[:]{number_text(round(high, 7))}"]
    return []


TYPES_12 = {"multiple-choice": "choice", "essay": "fill-in"}
TYPES_2004 = {"multiple-choice": "choice", "essay": "long-fill-in"}


def expected_record(family: str, event: dict[str, Any], language: str = "en") -> dict[str, Any]:
    """The interaction record (the fields ceforge sets, the patterns as a list) that a
    ``question-answered`` event of the runtime must become."""
    question = event["question"]
    kind = question["type"]
    weighting = question["points"] if event["block"]["kind"] == "test" else 0
    if family == "1.2":
        return {
            "id": question["id"].replace(".", "_"),
            "type": TYPES_12.get(kind, kind),
            "student_response": _response_12(question, event["response"]),
            "result": {"incorrect": "wrong"}.get(event["result"], event["result"]),
            "weighting": number_text(weighting),
            "correct_responses": _patterns_12(question),
        }
    return {
        "id": question["id"],
        "type": TYPES_2004.get(kind, kind),
        "description": f"{{lang={language}}}{question['prompt_text'][:250]}",
        "learner_response": _response_2004(question, event["response"]),
        "result": event["result"],
        "weighting": number_text(weighting),
        "correct_responses": _patterns_2004(question),
    }


def assert_interactions(lms: Lms, data: dict[str, Any], events: list[dict[str, Any]],
                        first: int = 0) -> None:
    """The records from index ``first`` on are exactly those of ``events``, in order."""
    records = interactions(data)[first:]
    assert len(records) == len(events), (len(records), len(events))
    for record, event in zip(records, events, strict=True):
        expected = expected_record(lms.family, event)
        actual = {key: record.get(key) for key in expected}
        actual["correct_responses"] = record["correct_responses"]
        assert actual == expected, f"interaction {record['index']}"


# --- the learner, in the SCO's frame -------------------------------------------------------------


def go_to(frame: Frame, page_id: str) -> None:
    if route_of(frame) == f"/page/{page_id}":
        return
    frame.locator(f'[data-testid=toc-link][data-page="{page_id}"]').click()
    frame.wait_for_url(lambda url: url.endswith(f"#/page/{page_id}"))


def check_right(frame: Frame, block: dict[str, Any]) -> None:
    """Every question of a knowledge check answered right at once (an essay: some text)."""
    section = frame.locator(f'section[data-block="{block["id"]}"]')
    for question in block["questions"]:
        el = question_el(section, question["id"])
        essay = question["type"] == "essay"
        respond(frame, el, question, ESSAY if essay else right_response(question), keyboard=False)
        el.get_by_test_id("check").click()
        expect(el.get_by_test_id("feedback")).to_have_attribute(
            "data-result", "neutral" if essay else "correct")


def complete_from_here(frame: Frame, course: Course, *, checks: str = "right",
                       test: Callable[[int, dict[str, Any]], bool] = all_right) -> None:
    """Every page from the current one to the completion page: the knowledge checks
    (``checks``: "right" answers each question right; "both" answers the first quiz wrong,
    then right, and the others right; "none" leaves them), the test (answers as ``test``
    says), the survey, the attestation."""
    route = route_of(frame)
    index = next(i for i, p in enumerate(course.pages) if route == f"/page/{p['id']}")
    quizzes = 0
    for entry in course.pages[index:]:
        for block in course.blocks_on(entry["id"]):
            if block["kind"] == "quiz" and checks != "none":
                if checks == "both" and quizzes == 0:
                    knowledge_check(frame, block, keyboard=False)
                else:
                    check_right(frame, block)
                quizzes += 1
            elif block["kind"] == "test":
                take_test(frame, course, test)
            elif block["kind"] == "survey":
                fill_survey(frame, block, keyboard=False)
            elif block["kind"] == "attestation":
                attest(frame, block)
        next_page(frame)
    assert route_of(frame) == "/completion"
    give_license(frame)
