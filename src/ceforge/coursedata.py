"""The course as JSON for the learner runtime, and the worst-case size of the learner's state.

Every target embeds the same document; the runtime never parses Markdown and never sees YAML.
The state encoding itself is the runtime's (``runtime/core/state.js``, documented in
``docs/runtime.md``); ``state_budget`` mirrors it to know the longest string a learner of this
course can produce, so that SCORM 1.2 (4096 characters of ``cmi.suspend_data``) can refuse a
course that could overflow.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from ceforge import __version__, certificate
from ceforge.answers import normalize_answer
from ceforge.checks import effective_completion
from ceforge.memo import per_course
from ceforge.model import (
    Block,
    BlockKind,
    Choice,
    Course,
    Media,
    ModuleKind,
    Question,
    QuestionType,
    Scenario,
)
from ceforge.verdict import SCORE_MAX  # scores are stored in permille

FORMAT = 1
STATE_VERSION = "c2"
FILL_IN_MAX = 100  # characters a learner may type in a fill-in answer (stored in full)
NUMERIC_MAX = 32  # characters a learner may type in a numeric answer
MAX_SECONDS = 36**6 - 1  # active time is capped here (about 69 years)
MAX_ATTEMPTS = 36**3 - 1  # attempts are counted up to here when unlimited
SEED_LIMIT = 36**6  # test draw seeds are below this
MAX_DAY = 36**4 - 1  # dates are days since 1970-01-01
MAX_RUNS = 36**3 - 1  # runs of a scenario are counted up to here
MEDIA_PARTS = 100  # a video or audio is kept as 100 parts, each played or not


def b36len(n: int) -> int:
    """Characters of ``n`` in base 36."""
    length = 1
    while n >= 36:
        n //= 36
        length += 1
    return length


def int_len(n: int) -> int:
    """Length of an encoded integer field: base-36 digits and a '.' terminator."""
    return b36len(n) + 1


def str_len(n: int) -> int:
    """Length of an encoded string field of ``n`` characters: its length, ':' and the text."""
    return b36len(n) + 1 + n


def answer_len(question: Question) -> int:
    """The longest payload a learner's answer to ``question`` can encode to."""
    qtype = question.type
    if qtype in (QuestionType.CHOICE, QuestionType.TRUE_FALSE, QuestionType.LIKERT):
        return int_len(len(question.choices) - 1)
    if qtype in (QuestionType.MULTIPLE_CHOICE, QuestionType.SEQUENCING):
        return str_len(len(question.choices))
    if qtype is QuestionType.MATCHING:
        return str_len(len(question.pairs))
    if qtype is QuestionType.FILL_IN:
        return str_len(FILL_IN_MAX)
    if qtype is QuestionType.NUMERIC:
        return str_len(NUMERIC_MAX)
    return 0  # essays are not kept in the state: see docs/runtime.md


@dataclass(frozen=True)
class StateBudget:
    worst_case: int
    fingerprint: int


@per_course
def state_budget(course: Course) -> StateBudget:
    """The longest state string a learner of ``course`` can produce (see docs/runtime.md)."""
    pages = sum(len(m.pages) for m in course.modules)
    fingerprint = structure_fingerprint(course)
    total = len(STATE_VERSION) + int_len(fingerprint)
    total += int_len(max(pages - 1, 0))  # current page
    total += str_len((pages + 4) // 5)  # pages viewed, 5 per character
    total += int_len(MAX_SECONDS)
    records = [cost for _block, costs in block_records(course) for cost in costs]
    total += int_len(len(records)) + sum(records)
    test = course.test
    attempts = test.attempts if test is not None and test.attempts else MAX_ATTEMPTS
    total += int_len(attempts) + int_len(SEED_LIMIT - 1) + int_len(2)
    total += 2 * int_len(SCORE_MAX)  # last and best score
    total += int_len(1) + 2 * int_len(MAX_DAY)  # survey sent, attested on, completed on
    kept = [cost for _block, cost in kept_blocks(course)]
    total += int_len(len(kept)) + sum(kept)
    total += certificate.state_length(course.config)  # code, name and licence fields
    return StateBudget(total, fingerprint)


def kept_blocks(course: Course) -> list[tuple[Block, int]]:
    """Each block that keeps a record of its own in the state (scenarios, videos and audios),
    with the longest record it can add: ``N(block index)`` and its payload."""
    result = []
    for index, block in enumerate(course.blocks):
        if block.scenario is not None:
            ends = sum(1 for node in block.scenario.nodes if node.end)
            payload = int_len(ends) + int_len(MAX_RUNS) + str_len(block.scenario.path_limit)
        elif block.media is not None:
            payload = str_len((MEDIA_PARTS + 4) // 5)
        else:
            continue
        result.append((block, int_len(index) + payload))
    return result


def block_records(course: Course) -> list[tuple[Block, list[int]]]:
    """Each block with the longest answer records its questions can add to the state (for a
    test that draws, those of its costliest possible draw)."""
    index = {q.id: i for i, q in enumerate(course.questions)}
    result = []
    for block in course.blocks:
        costs = [int_len(index[q.id] * 2 + 1) + answer_len(q) for q in block.questions]
        if block.kind is BlockKind.TEST and block.draw is not None:
            costs = sorted(costs, reverse=True)[: block.draw]
        result.append((block, costs))
    return result


def structure_fingerprint(course: Course) -> int:
    """A number that changes when pages or questions change, so that a stored state of an
    older version of the course is not applied to a different structure."""
    parts = [p.id for m in course.modules for p in m.pages]
    parts += [f"{q.id}:{q.type.value}:{len(q.choices)}:{len(q.pairs)}" for q in course.questions]
    for index, block in enumerate(course.blocks):  # the blocks that keep records
        if block.scenario is not None:
            nodes = ",".join(f"{n.id}/{len(n.choices)}/{int(n.end)}" for n in block.scenario.nodes)
            parts.append(f"{index}:{block.id}:scenario:{nodes}")
        elif block.media is not None:
            parts.append(f"{index}:{block.id}:{block.kind.value}")
    digest = hashlib.sha256("\n".join(parts).encode()).digest()
    return int.from_bytes(digest[:4], "big") % (36**4)


def _choice(choice: Choice) -> dict[str, Any]:
    return {
        "id": choice.id,
        "html": choice.html,
        "text": choice.text,
        "correct": choice.correct,
        "feedback_html": choice.feedback_html,
    }


def question_data(question: Question) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": question.id,
        "type": question.type.value,
        "prompt_html": question.prompt_html,
        "prompt_text": question.prompt_text,
        "stem_html": question.stem_html,
        "points": question.points,
        "feedback_html": question.feedback_html,
        "choices": [_choice(c) for c in question.choices],
    }
    if question.type is QuestionType.FILL_IN:
        data["answers"] = question.answers
        # What the runtime compares the learner's normalized text with (ceforge.answers).
        data["accept"] = list(dict.fromkeys(normalize_answer(a) for a in question.answers))
        data["max_length"] = FILL_IN_MAX
    if question.type is QuestionType.NUMERIC and question.numeric is not None:
        data["numeric"] = {"min": question.numeric.low, "max": question.numeric.high}
        data["max_length"] = NUMERIC_MAX
    if question.type is QuestionType.MATCHING:
        targets: dict[str, Choice] = {}
        for pair in question.pairs:
            targets.setdefault(pair.target.id, pair.target)
        data["sources"] = [_choice(p.source) | {"match": p.target.id} for p in question.pairs]
        data["targets"] = [_choice(t) for t in targets.values()]
    return data


def block_data(block: Block, module_id: str, page_id: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": block.id,
        "kind": block.kind.value,
        "module": module_id,
        "page": page_id,
        "intro_html": block.intro_html,
        "draw": block.draw,
        "attempts": block.attempts,
        "shuffle": block.shuffle,
        "questions": [question_data(q) for q in block.questions],
    }
    if block.scenario is not None:
        data["scenario"] = scenario_data(block.scenario)
    if block.media is not None:
        data["media"] = media_data(block.media)
    if block.reflection is not None and block.reflection.question is not None:
        data["reflection"] = {
            "share": block.reflection.share,
            "question": question_data(block.reflection.question),
        }
    return data


def scenario_data(scenario: Scenario) -> dict[str, Any]:
    return {
        "graded": scenario.graded,
        "max_points": scenario.max_points,
        "path_limit": scenario.path_limit,
        "nodes": [
            {
                "id": node.id,
                "title_html": node.title_html,
                "title_text": node.title_text,
                "body_html": node.body_html,
                "end": node.end,
                "outcome": node.outcome.value if node.outcome else None,
                "points": node.points,
                "choices": [
                    {
                        "id": choice.id,
                        "html": choice.html,
                        "text": choice.text,
                        "target": choice.target,
                        "feedback_html": choice.feedback_html,
                    }
                    for choice in node.choices
                ],
            }
            for node in scenario.nodes
        ],
    }


def media_data(media: Media) -> dict[str, Any]:
    return {
        "src": media.src,
        "remote": media.remote,
        "captions": media.captions,
        "captions_language": media.captions_language,
        "captions_on": media.captions_on,
        "poster": media.poster,
        "transcript": media.transcript,
        "transcript_title": media.transcript_title,
        "transcript_html": media.transcript_html,
        "required": media.required,
        "watched": media.watched,
    }


def glossary_data(course: Course) -> list[dict[str, str]]:
    return [
        {"id": term.id, "term": term.term, "html": term.html, "text": term.text}
        for term in course.glossary
    ]


def course_data(course: Course, messages: dict[str, str]) -> dict[str, Any]:
    """The JSON document the runtime reads (``docs/runtime.md`` describes every field)."""
    config = course.config
    completion = effective_completion(course)
    budget = state_budget(course)
    blocks: list[dict[str, Any]] = []
    modules: list[dict[str, Any]] = []
    for module in course.modules:
        pages: list[dict[str, Any]] = []
        for page in module.pages:
            pages.append(
                {
                    "id": page.id,
                    "title": page.title,
                    "html": page.html,
                    "blocks": [b.id for b in page.blocks],
                }
                # The About and References pages: not required by ``pages: all``.
                | ({} if module.required else {"optional": True})
            )
            blocks.extend(block_data(b, module.id, page.id) for b in page.blocks)
        modules.append(
            {
                "id": module.id,
                "title": module.title,
                "objectives": module.objectives,
                "minutes": module.minutes,
                "pages": pages,
            }
            | ({} if module.kind is ModuleKind.CONTENT else {"kind": module.kind.value})
        )
    return {
        "format": FORMAT,
        "generator": f"ceforge {__version__}",
        "course": {
            "id": config.id,
            "title": config.title,
            "version": config.version,
            "language": config.language,
            "description": config.description,
            "authors": list(config.authors),
            "keywords": list(config.keywords),
            "passing_score": config.passing_score,
            "certificate": certificate.certificate_data(config),
            "ce": certificate.ce_data(course, messages),
            "theme": {"accent": config.theme.accent, "logo": config.theme.logo},
        },
        "completion": {
            "pages": completion.pages,
            "test": completion.test,
            "evaluation": completion.evaluation,
            "attestation": completion.attestation,
            "min_minutes": completion.min_minutes,
        },
        "modules": modules,
        "blocks": blocks,
        "glossary": glossary_data(course),
        "resources": [
            {"path": quote(r.path, safe="/!$&'()*+,;=:@~"), "name": r.name, "type": r.kind,
             "bytes": r.size}
            for r in course.resources
        ],
        "state": {
            "version": STATE_VERSION,
            "fingerprint": budget.fingerprint,
            "worst_case": budget.worst_case,
        },
        "messages": messages,
    }


# --- the data a launch page loads on demand ------------------------------------------------------

#: Where a package keeps the text of each module, one classic script per module that registers
#: it (``Ceforge.modules.define``), for a launch page to load when the learner first needs it.
MODULE_DATA_FOLDER = "ceforge/modules"
#: What a question holds besides its structure (which the state and the scores need at once).
QUESTION_TEXT = ("prompt_html", "prompt_text", "stem_html", "feedback_html")
CHOICE_TEXT = ("html", "text", "feedback_html")
CHOICE_LISTS = ("choices", "sources", "targets")


def module_data_path(module_id: str) -> str:
    """The module's data script in a package (module ids need no escaping in a path)."""
    return f"{MODULE_DATA_FOLDER}/{module_id}.js"


def loads_modules(data: dict[str, Any]) -> bool:
    """Whether a launch page of ``data`` loads its modules' text on demand: a course of more
    than one module does; a page that runs one module (a SCORM SCO or cmi5 AU per module)
    holds it all."""
    return len(data["modules"]) > 1


def split_course_data(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The course data of a launch page that loads its modules on demand, and the part of
    each module it loads (by module id): the pages' ``html`` and the text of each block and
    question (``intro_html``, ``QUESTION_TEXT``, and ``CHOICE_TEXT`` of each item of
    ``CHOICE_LISTS``, index by index) go to the module's part; the launch page keeps the rest,
    what the state, the scores and the contents need before any module is shown, and each
    module's ``data``, the path of its script. An attestation stays whole (the completion
    page shows its statement). ``data`` is left as it was."""
    parts: dict[str, dict[str, Any]] = {}
    modules = []
    for module in data["modules"]:
        pages = [{k: v for k, v in page.items() if k != "html"} for page in module["pages"]]
        parts[module["id"]] = {
            "module": module["id"],
            "pages": {page["id"]: page["html"] for page in module["pages"]},
            "blocks": {},
        }
        modules.append(module | {"pages": pages, "data": module_data_path(module["id"])})
    blocks = []
    for block in data["blocks"]:
        if block["kind"] == "attestation":
            blocks.append(block)
            continue
        texts = {"intro_html": block["intro_html"], "questions": {}}
        questions = []
        for question in block["questions"]:
            text = {k: question[k] for k in QUESTION_TEXT}
            kept = {k: v for k, v in question.items() if k not in QUESTION_TEXT}
            for name in CHOICE_LISTS:
                if name in question:
                    text[name] = [{k: c[k] for k in CHOICE_TEXT} for c in question[name]]
                    kept[name] = [
                        {k: v for k, v in c.items() if k not in CHOICE_TEXT}
                        for c in question[name]
                    ]
            texts["questions"][question["id"]] = text
            questions.append(kept)
        parts[block["module"]]["blocks"][block["id"]] = texts
        blocks.append(
            {k: v for k, v in block.items() if k != "intro_html"} | {"questions": questions}
        )
    return data | {"modules": modules, "blocks": blocks}, parts


_SCRIPT_START = "Ceforge.modules.define("
_SCRIPT_END = ");\n"


def module_script(part: dict[str, Any]) -> str:
    """A module's data script: one classic script that hands its part to the runtime."""
    return f"{_SCRIPT_START}{to_json(part)}{_SCRIPT_END}"


def read_module_script(text: str) -> dict[str, Any]:
    """The part a module's data script holds (``module_script`` read back)."""
    if not (text.startswith(_SCRIPT_START) and text.endswith(_SCRIPT_END)):
        raise ValueError("not a module data script of ceforge")
    part: dict[str, Any] = json.loads(text[len(_SCRIPT_START) : -len(_SCRIPT_END)])
    return part


def join_course_data(
    launch: dict[str, Any], parts: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """The whole course data again, from a launch page's and its modules' parts (what the
    runtime's ``Ceforge.modules`` puts together in the browser; ``split_course_data``
    undone)."""
    modules = []
    for module in launch["modules"]:
        part = parts[module["id"]] if "data" in module else None
        pages = module["pages"]
        if part is not None:
            pages = [page | {"html": part["pages"][page["id"]]} for page in pages]
        modules.append({k: v for k, v in module.items() if k != "data"} | {"pages": pages})
    texts = {bid: t for part in parts.values() for bid, t in part["blocks"].items()}
    blocks = []
    for block in launch["blocks"]:
        text = texts.get(block["id"])
        if text is None:
            blocks.append(block)
            continue
        questions = []
        for question in block["questions"]:
            words = text["questions"][question["id"]]
            whole = question | {k: v for k, v in words.items() if k not in CHOICE_LISTS}
            for name in CHOICE_LISTS:
                if name in words:
                    whole[name] = [
                        c | w for c, w in zip(question[name], words[name], strict=True)
                    ]
            questions.append(whole)
        blocks.append(block | {"intro_html": text["intro_html"], "questions": questions})
    return launch | {"modules": modules, "blocks": blocks}


def to_json(data: dict[str, Any]) -> str:
    """Compact, stable JSON that is safe inside ``<script type="application/json">``."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
