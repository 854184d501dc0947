"""``::: quiz|test|survey|attestation`` blocks -> Block and Question objects, each with its line.

Inside a block every question starts at a ``###`` heading; what follows is its stem, then one
answer block (task list, ``= answer`` lines, ``a -> b`` pairs or an ordered list), then an
optional blockquote of feedback. The answer block decides the question type.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

from ceforge import markdown
from ceforge.answers import untypeable
from ceforge.config import did_you_mean
from ceforge.diagnostics import Code, Reporter, SourceLocation
from ceforge.model import (
    Block,
    BlockKind,
    Choice,
    NumericAnswer,
    Pair,
    Question,
    QuestionType,
)

# SCORM 1.2 names choices, sequence items and matching targets with one character each.
CHOICE_IDS = "abcdefghijklmnopqrstuvwxyz0123456789"
SOURCE_IDS = "123456789abcdefghijklmnopqrstuvwxyz0"
ID_PATTERN = re.compile(r"^[A-Za-z0-9_.-]+$")

_TASK_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\[([ xX])\](?:\s|$)")
_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)"
_EXACT = re.compile(rf"^({_NUMBER})$")
_RANGE = re.compile(rf"^({_NUMBER})\s*\.\.\s*({_NUMBER})$")
_TOLERANCE = re.compile(rf"^({_NUMBER})\s*(?:±|\+-|\+/-)\s*({_NUMBER})$")
# What an author meant as a number (so it is reported if malformed): digits and number signs.
_NUMERIC_LIKE = re.compile(r"^(?=.*\d)[\d\s.,+\-±/eE]+$")
_MAX_CHOICES = len(CHOICE_IDS)

BLOCK_ATTRIBUTES: dict[BlockKind, tuple[str, ...]] = {
    BlockKind.QUIZ: ("id", "shuffle"),
    BlockKind.TEST: ("id", "draw", "attempts", "shuffle"),
    BlockKind.SURVEY: ("id",),
    BlockKind.ATTESTATION: ("id",),
    BlockKind.SCENARIO: ("id", "graded"),
    BlockKind.VIDEO: (
        "id", "src", "captions", "lang", "show-captions", "poster", "transcript", "required",
        "watched",
    ),
    BlockKind.AUDIO: ("id", "src", "transcript", "required", "watched"),
    BlockKind.REFLECTION: ("id", "share"),
}
QUESTION_ATTRIBUTES = ("id", "points")


@dataclass
class BlockContext:
    """What a block needs to know about the module it stands in."""

    path: str
    module_id: str
    reporter: Reporter
    questions_seen: int = 0
    blocks_seen: dict[BlockKind, int] = field(default_factory=dict)
    #: The module's link checker: a local path as its course-relative path (None when it is
    #: a web address, or when it is missing or outside the course, which it reports).
    local_url: Callable[[str, SourceLocation], str | None] | None = None

    def loc(self, token: Token | None) -> SourceLocation:
        line = token.map[0] + 1 if token is not None and token.map else 0
        return SourceLocation(self.path, line)

    def report(self, token: Token | None, code: Code, message: str) -> None:
        self.reporter.report(self.loc(token), code, message)


def groups(tokens: list[Token]) -> list[list[Token]]:
    """Split a token run into its top-level blocks (an open token to its matching close)."""
    result: list[list[Token]] = []
    depth = 0
    for token in tokens:
        if depth == 0:
            result.append([])
        result[-1].append(token)
        depth += token.nesting
    return result


def new_block(
    open_token: Token, kind: BlockKind, closed: bool, ctx: BlockContext
) -> tuple[Block, dict[str, str]]:
    """A block of ``kind`` with its default id, and its ``{attributes}`` checked against
    ``BLOCK_ATTRIBUTES`` (the id and the test's applied here, the others returned for the
    kind's reader); ``container.unclosed`` is reported when it is never closed."""
    count = ctx.blocks_seen.get(kind, 0) + 1
    ctx.blocks_seen[kind] = count
    default_id = f"{ctx.module_id}-{kind.value}" + (f"-{count}" if count > 1 else "")
    block = Block(id=default_id, kind=kind, loc=ctx.loc(open_token))
    if not closed:
        ctx.report(
            open_token,
            Code.CONTAINER_UNCLOSED,
            f"'::: {kind.value}' is never closed; end it with a line ':::'",
        )
    return block, _apply_block_attrs(block, open_token, ctx)


def read_block(
    open_token: Token, inner: list[Token], closed: bool, ctx: BlockContext
) -> Block:
    """Read a ``::: quiz|test|survey|attestation`` block."""
    kind = BlockKind(markdown.block_kind(open_token))
    block, _attrs = new_block(open_token, kind, closed, ctx)
    parts = groups(inner)
    first_question = next((i for i, g in enumerate(parts) if is_heading(g, "h3")), len(parts))
    intro = [t for g in parts[:first_question] for t in g]
    block.intro_html = markdown.render(intro)
    if kind is BlockKind.ATTESTATION:
        block.intro_html = markdown.render(inner)
        if not markdown.plain_text(inner):
            ctx.report(
                open_token,
                Code.CONTAINER_EMPTY,
                "the attestation is empty; write the statement the learner affirms",
            )
        return block
    start = first_question
    while start < len(parts):
        end = next(
            (i for i in range(start + 1, len(parts)) if is_heading(parts[i], "h3")), len(parts)
        )
        question = _read_question(parts[start], parts[start + 1 : end], kind, ctx)
        if question is not None:
            block.questions.append(question)
        start = end
    if not block.questions:
        ctx.report(
            open_token,
            Code.CONTAINER_EMPTY,
            f"'::: {kind.value}' has no question; start each one with a ### heading",
        )
    return block


def is_heading(group: list[Token], tag: str) -> bool:
    return group[0].type == "heading_open" and group[0].tag == tag


def block_attributes(
    token: Token, kind: str, allowed: tuple[str, ...], ctx: BlockContext
) -> dict[str, str]:
    """The ``{attributes}`` of a ``::: kind`` line, checked against ``allowed``; text after
    the kind outside braces is reported (``container.bad-attribute``)."""
    rest, spec = container_line(token, kind)
    if rest:
        ctx.report(
            token,
            Code.CONTAINER_BAD_ATTRIBUTE,
            f"unexpected text {rest!r} after '::: {kind}'; attributes go in braces: {{#an-id}}",
        )
    return checked_attrs(spec, allowed, f"'::: {kind}'", token, ctx)


def container_line(token: Token, kind: str) -> tuple[str, str | None]:
    """What follows the kind on a ``::: kind text {attributes}`` line: the text, stripped,
    and the attribute text (None without braces)."""
    info = token.info.strip()[len(kind) :]
    if info and not info[0].isspace() and info[0] != "{":
        info = " " + info
    rest, spec = markdown.split_attrs(info)
    return rest.strip(), spec


def _apply_block_attrs(block: Block, token: Token, ctx: BlockContext) -> dict[str, str]:
    attrs = block_attributes(token, block.kind.value, BLOCK_ATTRIBUTES[block.kind], ctx)
    if "id" in attrs:
        block.id = checked_id(attrs["id"], token, ctx, Code.QUIZ_BAD_ID)
    if "draw" in attrs:
        block.draw = positive_int(attrs["draw"], "draw", token, ctx)
    if "attempts" in attrs:
        block.attempts = positive_int(attrs["attempts"], "attempts", token, ctx)
    if "shuffle" in attrs:
        block.shuffle = boolean(attrs["shuffle"], "shuffle", token, ctx, default=True)
    return attrs


def boolean(value: str, name: str, token: Token, ctx: BlockContext, *, default: bool) -> bool:
    """``true`` or ``false`` (any case); another value is reported and gives ``default``."""
    word = value.lower()
    if word not in ("true", "false"):
        ctx.report(token, Code.CONTAINER_BAD_ATTRIBUTE, f"{name}={value} must be true or false")
        return default
    return word == "true"


def checked_attrs(
    spec: str | None, allowed: tuple[str, ...], where: str, token: Token, ctx: BlockContext
) -> dict[str, str]:
    if spec is None:
        return {}
    attrs = markdown.parse_attrs(spec)
    if attrs is None:
        ctx.report(
            token,
            Code.CONTAINER_BAD_ATTRIBUTE,
            f"cannot read the attributes {{{spec}}}; write them as {{#id key=value}}",
        )
        return {}
    for name in list(attrs):
        if name not in allowed:
            hint = did_you_mean(name, list(allowed))
            ctx.report(
                token,
                Code.CONTAINER_UNKNOWN_ATTRIBUTE,
                f"{where} takes no attribute {name!r}{hint}; it takes: {', '.join(allowed)}",
            )
            del attrs[name]
    return attrs


def positive_int(value: str, name: str, token: Token, ctx: BlockContext) -> int | None:
    if value.isdigit() and 0 < int(value) <= 100_000:
        return int(value)
    ctx.report(token, Code.CONTAINER_BAD_ATTRIBUTE, f"{name}={value} must be a whole number ≥ 1")
    return None


def checked_id(value: str, token: Token, ctx: BlockContext, code: Code) -> str:
    if not ID_PATTERN.match(value) or len(value) > 200:
        ctx.report(
            token,
            code,
            f"id {value!r} may only hold letters, digits, '_', '.' and '-' (200 at most)",
        )
    return value


# --- questions ---------------------------------------------------------------------------------


def _read_question(
    heading: list[Token], body: list[list[Token]], kind: BlockKind, ctx: BlockContext
) -> Question | None:
    ctx.questions_seen += 1
    prompt, spec = heading_attrs(heading[1])
    attrs = checked_attrs(spec, QUESTION_ATTRIBUTES, "a question", heading[0], ctx)
    question = Question(
        id=f"{ctx.module_id}-q{ctx.questions_seen}",
        type=QuestionType.ESSAY,
        prompt_html=markdown.render_inline(prompt),
        prompt_text=markdown.plain_text(prompt),
        loc=ctx.loc(heading[0]),
    )
    if not question.prompt_text:
        ctx.report(heading[0], Code.QUIZ_NO_PROMPT, "the question heading is empty")
    if "id" in attrs:
        question.id = checked_id(attrs["id"], heading[0], ctx, Code.QUIZ_BAD_ID)
    if "points" in attrs:
        question.points = points_value(attrs["points"], heading[0], ctx)
    _read_body(question, body, ctx)
    _check_kind(question, kind, ctx)
    return question


def heading_attrs(inline: Token) -> tuple[list[Token], str | None]:
    """A heading's inline children without a trailing ``{…}``, and the attribute text."""
    children = list(inline.children or [])
    if not children or children[-1].type != "text":
        return children, None
    text, spec = markdown.split_attrs(children[-1].content)
    if spec is None:
        return children, None
    last = children[-1].copy()
    last.content = text.rstrip()
    return [*children[:-1], last], spec


def points_value(value: str, token: Token, ctx: BlockContext) -> float:
    try:
        points = float(value)
    except ValueError:
        points = -1
    if not 0 < points <= 1000:
        ctx.report(token, Code.QUIZ_BAD_POINTS, f"points={value} must be a number above 0")
        return 1.0
    return points


def _read_body(question: Question, body: list[list[Token]], ctx: BlockContext) -> None:
    """Walk the stem, the answer block and the feedback, in that order.

    A blockquote is feedback after the answer block, or (for an essay, which has none) when
    only blockquotes follow it; before the answer block it is part of the stem (a quoted
    client statement, say).
    """
    stem: list[Token] = []
    feedback: list[Token] = []
    answer_seen: Token | None = None
    trailing = len(body)
    while trailing and body[trailing - 1][0].type == "blockquote_open":
        trailing -= 1
    body = _one_answer_list(body, ctx)
    for index, group in enumerate(body):
        first = group[0]
        if first.type == "blockquote_open" and (answer_seen is not None or index >= trailing):
            feedback.extend(group[1:-1])
            continue
        if feedback:
            ctx.report(
                first,
                Code.QUIZ_STRAY_CONTENT,
                "content after the feedback; start a new question with ###, "
                "or move it into the feedback (> …)",
            )
            continue
        reader = _answer_reader(group, ctx)
        if reader is None:
            if answer_seen is not None:
                ctx.report(
                    first,
                    Code.QUIZ_STRAY_CONTENT,
                    "content after the answer block; only feedback (> …) may follow it",
                )
            else:
                stem.extend(group)
            continue
        if answer_seen is not None:
            ctx.report(
                first,
                Code.QUIZ_MIXED_ANSWERS,
                f"a second answer block; the question's answers start at line "
                f"{answer_seen.map[0] + 1 if answer_seen.map else '?'}",
            )
            continue
        answer_seen = first
        stem.extend(reader(question))
    question.stem_html = markdown.render(stem)
    question.feedback_html = markdown.render(feedback)


def _one_answer_list(body: list[list[Token]], ctx: BlockContext) -> list[list[Token]]:
    """``body`` with an answer list that switches bullets (``- [x] a`` then ``* [ ] b``, which
    Markdown reads as two lists) made one list again, as meant, and the switch reported."""
    merged: list[list[Token]] = []
    for group in body:
        before = merged[-1] if merged else None
        if (
            before is not None
            and before[0].type == group[0].type == "bullet_list_open"
            and before[0].markup != group[0].markup
            and _answer_reader(before, ctx) is not None
        ):
            ctx.report(
                group[0],
                Code.QUIZ_MIXED_ANSWERS,
                f"the answer list switches from '{before[0].markup}' to '{group[0].markup}' "
                "bullets here, which Markdown reads as a second list; use one bullet for "
                "every answer",
            )
            merged[-1] = [*before[:-1], *group[1:-1], before[-1]]
            continue
        merged.append(group)
    return merged


AnswerReader = Callable[[Question], list[Token]]


def _answer_reader(group: list[Token], ctx: BlockContext) -> AnswerReader | None:
    """The reader for ``group`` if it is an answer block, else None (it belongs to the stem).

    A reader fills in the question and returns any stem tokens it found in front of the answers.
    """
    first = group[0]
    lines = _equals_lines(group)
    if lines:
        return lambda q: _read_equals(q, group, lines, ctx)
    if first.type == "ordered_list_open":
        items = list_items(group)
        if any(_is_task(item) for item in items):
            return lambda q: _read_task_list(q, items, ctx)
        return lambda q: _read_sequence(q, items, ctx)
    if first.type == "bullet_list_open":
        items = list_items(group)
        if any(_is_task(item) for item in items):
            return lambda q: _read_task_list(q, items, ctx)
        if any("->" in item_inline(item).content for item in items):
            return lambda q: _read_matching(q, items, ctx)
    return None


def _equals_lines(group: list[Token]) -> list[str]:
    """The source lines of a paragraph holding ``= answer`` lines; else an empty list.

    A bare ``=`` line right under ``= answer`` lines makes them, to CommonMark, a setext
    heading; in a question it is an empty answer line, so the underline is given back.
    """
    first = group[0]
    if first.type == "paragraph_open":
        lines = group[1].content.split("\n")
        return lines if _answer_lines(lines) else []
    if first.type == "heading_open" and first.markup == "=":
        lines = group[1].content.split("\n")
        return [*lines, "="] if _answer_lines(lines) else []
    return []


def _answer_lines(lines: list[str]) -> list[int]:
    """Indexes of the ``= answer`` lines among a paragraph's lines."""
    return [i for i, line in enumerate(lines) if line.startswith("=")]


def list_items(group: list[Token]) -> list[list[Token]]:
    return groups(group[1:-1])


def item_inline(item: list[Token]) -> Token:
    for token in item:
        if token.type == "inline":
            return token
    return Token("inline", "", 0, content="")


def _is_task(item: list[Token]) -> bool:
    return item[0].attrGet("class") == "task-list-item"


def item_parts(item: list[Token], ctx: BlockContext) -> tuple[list[Token], list[Token]]:
    """An item's own inline children (checkbox removed) and its nested feedback tokens."""
    inline = item_inline(item)
    children = [c for c in inline.children or [] if not _is_checkbox(c)]
    if children and children[0].type == "text":
        children[0] = _stripped_text(children[0])
    feedback: list[Token] = []
    for group in groups(item[1:-1])[1:]:
        if group[0].type == "blockquote_open":
            feedback.extend(group[1:-1])
        else:
            ctx.report(
                group[0],
                Code.QUIZ_STRAY_CONTENT,
                "an answer item holds more than one line of text; "
                "only a nested blockquote (its feedback) may follow it",
            )
    return children, feedback


def _is_checkbox(token: Token) -> bool:
    return token.type == "html_inline" and "task-list-item-checkbox" in token.content


def _stripped_text(token: Token) -> Token:
    """A text token without its leading space (a task list item's text starts with one): a new
    token, not ``Token.copy`` (``dataclasses.replace``, for every choice of every question)."""
    content = token.content.lstrip()
    if content == token.content:
        return token
    return Token("text", "", 0, content=content, level=token.level)


def _choice(item: list[Token], choice_id: str, ctx: BlockContext, correct: bool) -> Choice:
    children, feedback = item_parts(item, ctx)
    return Choice(
        id=choice_id,
        html=markdown.render_inline(children),
        text=markdown.plain_text(children),
        correct=correct,
        feedback_html=markdown.render(feedback),
        loc=ctx.loc(item[0]),
    )


def _read_task_list(question: Question, items: list[list[Token]], ctx: BlockContext) -> list[Token]:
    if not all(_is_task(item) for item in items):
        odd = next(item for item in items if not _is_task(item))
        ctx.report(
            odd[0], Code.QUIZ_MIXED_ANSWERS, "every item of a choice list starts with [ ] or [x]"
        )
    if len(items) > _MAX_CHOICES:
        ctx.report(
            items[_MAX_CHOICES][0],
            Code.QUIZ_TOO_MANY_CHOICES,
            f"{len(items)} options; {_MAX_CHOICES} at the most",
        )
        items = items[:_MAX_CHOICES]
    marks = [_checked(item, ctx) for item in items]
    question.choices = [
        _choice(item, CHOICE_IDS[i], ctx, mark)
        for i, (item, mark) in enumerate(zip(items, marks, strict=True))
    ]
    texts = [c.text.strip().lower() for c in question.choices]
    correct = sum(marks)
    if texts in (["true", "false"], ["false", "true"]) and correct == 2:
        ctx.reporter.report(
            question.loc,
            Code.QUIZ_TRUE_AND_FALSE,
            "both True and False are marked [x], which would make a select-all question; "
            "mark only the right one",
        )
    if texts in (["true", "false"], ["false", "true"]) and correct in (1, 2):
        question.type = QuestionType.TRUE_FALSE
        for choice in question.choices:
            choice.id = choice.text.strip().lower()
    elif correct >= 2:
        question.type = QuestionType.MULTIPLE_CHOICE
    elif correct == 0:
        question.type = QuestionType.LIKERT
    else:
        question.type = QuestionType.CHOICE
    return []


def _checked(item: list[Token], ctx: BlockContext) -> bool:
    inline = item_inline(item)
    return any(_is_checkbox(c) and "checked" in c.content for c in inline.children or [])


def _read_sequence(question: Question, items: list[list[Token]], ctx: BlockContext) -> list[Token]:
    question.type = QuestionType.SEQUENCING
    if len(items) > _MAX_CHOICES:
        ctx.report(
            items[_MAX_CHOICES][0],
            Code.QUIZ_TOO_MANY_CHOICES,
            f"{len(items)} items to order; {_MAX_CHOICES} at the most",
        )
        items = items[:_MAX_CHOICES]
    question.choices = [_choice(item, CHOICE_IDS[i], ctx, True) for i, item in enumerate(items)]
    if len(items) < 2:
        ctx.report(items[0][0], Code.QUIZ_TOO_FEW_CHOICES, "a sequence needs two items or more")
    return []


def _read_matching(question: Question, items: list[list[Token]], ctx: BlockContext) -> list[Token]:
    question.type = QuestionType.MATCHING
    targets: dict[str, Choice] = {}
    sources: set[str] = set()
    for item in items:
        children, feedback = item_parts(item, ctx)
        if feedback:
            ctx.report(
                feedback[0],
                Code.QUIZ_STRAY_CONTENT,
                "feedback under a matching pair is not shown; "
                "put it in the question's feedback (a > blockquote after the list)",
            )
        source_text, arrow, target_text = markdown.plain_text(children).partition("->")
        source_text, target_text = source_text.strip(), target_text.strip()
        if not arrow or not source_text or not target_text:
            ctx.report(
                item[0],
                Code.QUIZ_BAD_MATCHING,
                "a matching item reads 'left -> right', with text on both sides",
            )
            continue
        if len(question.pairs) >= _MAX_CHOICES:
            ctx.report(
                item[0], Code.QUIZ_TOO_MANY_CHOICES, f"more than {_MAX_CHOICES} pairs to match"
            )
            break
        if source_text.casefold() in sources:
            ctx.report(item[0], Code.QUIZ_BAD_MATCHING, "two pairs have the same left side")
        sources.add(source_text.casefold())
        source = _text_choice(SOURCE_IDS[len(question.pairs)], source_text, ctx.loc(item[0]))
        key = target_text.casefold()
        if key not in targets:
            targets[key] = _text_choice(CHOICE_IDS[len(targets)], target_text, ctx.loc(item[0]))
        question.pairs.append(Pair(source, targets[key]))
    if 0 < len(question.pairs) < 2:
        ctx.report(items[0][0], Code.QUIZ_TOO_FEW_CHOICES, "a matching question needs two pairs")
    return []


def _text_choice(choice_id: str, text: str, loc: SourceLocation) -> Choice:
    # The text as the learner reads it: not parsed again, where '1. x' is a list and '---' a rule.
    html = escapeHtml(text)
    return Choice(id=choice_id, html=html, text=text, loc=loc)


def _read_equals(
    question: Question, group: list[Token], lines: list[str], ctx: BlockContext
) -> list[Token]:
    """``= answer`` lines: fill-in alternatives, or one numeric answer."""
    answer_at = _answer_lines(lines)
    first = answer_at[0]
    base = group[0].map[0] if group[0].map else 0
    for index in range(first, len(lines)):
        if index not in answer_at:
            ctx.reporter.report(
                SourceLocation(ctx.path, base + index + 1),
                Code.QUIZ_STRAY_CONTENT,
                "a line among the '= answer' lines does not start with '='",
            )
    for index in answer_at:
        if not lines[index][1:].strip():
            ctx.reporter.report(
                SourceLocation(ctx.path, base + index + 1),
                Code.QUIZ_BAD_ANSWER,
                "an '=' line with no answer after it",
            )
    answers = [a for a in (lines[i][1:].strip() for i in answer_at) if a]
    loc = SourceLocation(ctx.path, base + first + 1)
    if answers and all(_NUMERIC_LIKE.match(a) for a in answers):
        question.type = QuestionType.NUMERIC
        if len(answers) > 1:
            ctx.reporter.report(
                loc,
                Code.QUIZ_BAD_NUMERIC,
                "a numeric question takes one '=' line: a number, "
                "a range (40..45) or a tolerance (3.5 ± 0.1)",
            )
        question.numeric = _numeric(answers[0], loc, ctx)
    else:
        question.type = QuestionType.FILL_IN
        question.answers = answers
        for answer in answers:
            if len(answer) > 250:
                ctx.reporter.report(
                    loc, Code.QUIZ_BAD_ANSWER, "a fill-in answer longer than 250 characters"
                )
        for index in answer_at:
            at = SourceLocation(ctx.path, base + index + 1)
            _check_typeable(lines[index][1:].strip(), at, ctx)
    return _first_lines(group, first)


def _check_typeable(answer: str, loc: SourceLocation, ctx: BlockContext) -> None:
    """Warn about an accepted answer learners cannot type: what is left of it, once
    ``ceforge.answers`` has normalized it (quotes, dashes, spaces), beyond a keyboard."""
    odd = untypeable(answer)
    if odd:
        shown = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in odd)
        ctx.reporter.report(
            loc,
            Code.QUIZ_UNTYPEABLE_ANSWER,
            f"the answer {answer!r} holds {shown}, which learners cannot type on most "
            "keyboards; accept a form they can type on another '=' line",
        )


def _first_lines(group: list[Token], count: int) -> list[Token]:
    """The first ``count`` lines of a paragraph as a paragraph of their own.

    The inline tokens are kept, not parsed again: their links and images were already checked
    and pointed at their course-relative paths.
    """
    if count == 0:
        return []
    paragraph, inline, close = group[0], group[1], group[-1]
    if paragraph.type != "paragraph_open":  # a setext heading, see _equals_lines
        paragraph = Token("paragraph_open", "p", 1, map=paragraph.map)
        close = Token("paragraph_close", "p", -1)
    children: list[Token] = []
    newlines = 0
    for child in inline.children or []:
        newlines += 1 if child.type in ("softbreak", "hardbreak") else child.content.count("\n")
        if newlines >= count:
            break
        children.append(child)
    head = inline.copy()
    head.children = children
    head.content = "\n".join(inline.content.split("\n")[:count])
    return [paragraph, head, close]


def _numeric(text: str, loc: SourceLocation, ctx: BlockContext) -> NumericAnswer | None:
    answer = _numeric_answer(text, loc, ctx)
    if answer is not None and not (math.isfinite(answer.low) and math.isfinite(answer.high)):
        shown = text if len(text) <= 40 else text[:40] + "…"
        ctx.reporter.report(loc, Code.QUIZ_BAD_NUMERIC, f"a number in {shown!r} is too large")
        return None
    return answer


def _numeric_answer(text: str, loc: SourceLocation, ctx: BlockContext) -> NumericAnswer | None:
    if match := _EXACT.match(text):
        value = float(match.group(1))
        return NumericAnswer(value, value)
    if match := _RANGE.match(text):
        low, high = float(match.group(1)), float(match.group(2))
        if low <= high:
            return NumericAnswer(low, high)
        ctx.reporter.report(
            loc,
            Code.QUIZ_BAD_NUMERIC,
            f"the range {text!r} runs backwards; write the lower bound first",
        )
        return None
    if match := _TOLERANCE.match(text):
        # Decimal arithmetic, so that 3.6 ± 0.1 is 3.5..3.7 and not 3.5..3.7000000000000002.
        centre, margin = Decimal(match.group(1)), Decimal(match.group(2))
        if margin >= 0:
            return NumericAnswer(float(centre - margin), float(centre + margin))
        ctx.reporter.report(loc, Code.QUIZ_BAD_NUMERIC, f"the tolerance in {text!r} is negative")
        return None
    ctx.reporter.report(
        loc,
        Code.QUIZ_BAD_NUMERIC,
        f"cannot read the numeric answer {text!r}; write 42, 40..45 or 3.5 ± 0.1",
    )
    return None


def _check_kind(question: Question, kind: BlockKind, ctx: BlockContext) -> None:
    """The rules that depend on the block a question stands in."""
    loc = question.loc
    qtype = question.type
    if kind is BlockKind.SURVEY:
        if qtype not in (QuestionType.LIKERT, QuestionType.ESSAY):
            ctx.reporter.report(
                loc,
                Code.QUIZ_CORRECT_IN_SURVEY,
                "a survey question has no right answer: use a task list with no "
                "[x] (a scale) or no answer block (free text)",
            )
        if qtype is QuestionType.LIKERT and len(question.choices) < 2:
            ctx.reporter.report(loc, Code.QUIZ_TOO_FEW_CHOICES, "a scale needs two options or more")
        return
    if qtype is QuestionType.LIKERT:
        question.type = qtype = QuestionType.CHOICE
        ctx.reporter.report(
            loc, Code.QUIZ_NO_CORRECT, "choice question has no correct answer; mark it with [x]"
        )
    if qtype in (QuestionType.CHOICE, QuestionType.MULTIPLE_CHOICE) and len(question.choices) < 2:
        ctx.reporter.report(
            loc, Code.QUIZ_TOO_FEW_CHOICES, "a choice question needs two options or more"
        )
    elif qtype is QuestionType.ESSAY and kind is BlockKind.TEST:
        ctx.reporter.report(
            loc,
            Code.QUIZ_ESSAY_IN_TEST,
            "this question has no answer block, which makes it an essay; "
            "essays cannot be graded in a test",
        )
