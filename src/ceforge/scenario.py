"""``::: scenario`` blocks -> a Scenario: a case vignette in which the learner plays the clinician,
and the checks of its graph (choices that lead nowhere, dead ends, unreachable nodes, cycles
with no way out), each at its line.

    ::: scenario {graded=true}
    Maria, 34, comes to her second session.          <- the introduction

    ### Maria sits down                               <- a node; the first is the start
    "I don't know why I'm here."

    - [It sounds like coming here wasn't your choice.](#maria-opens-up)
      > A reflection of feeling.                      <- the choice's feedback
    - [Why did your sister want you to come?](#maria-deflects)

    ### Maria opens up {outcome=good points=10}       <- an end node
    :::

A node's id is its heading's GitHub anchor (``maria-opens-up``), so that on GitHub the
choices link to their headings; ``{#an-id}`` sets another. Choice ids are ``a``, ``b``, ``c`` …
in the order written, as for questions (SCORM 1.2 reports them as one character each).
"""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import unquote

from markdown_it.token import Token

from ceforge import markdown
from ceforge.config import did_you_mean
from ceforge.diagnostics import Code
from ceforge.model import (
    Block,
    BlockKind,
    Outcome,
    Scenario,
    ScenarioChoice,
    ScenarioNode,
)
from ceforge.quiz import (
    CHOICE_IDS,
    ID_PATTERN,
    BlockContext,
    boolean,
    checked_attrs,
    checked_id,
    groups,
    heading_attrs,
    is_heading,
    item_inline,
    item_parts,
    list_items,
    new_block,
    points_value,
)

NODE_ATTRIBUTES = ("id", "outcome", "points", "end")
_NOT_SLUG = re.compile(r"[^\w\- ]", re.UNICODE)


def slug(text: str) -> str:
    """A heading's anchor as GitHub writes it: lower case, punctuation dropped, spaces to ``-``."""
    return _NOT_SLUG.sub("", text.strip().lower()).replace(" ", "-")


def read_scenario(open_token: Token, inner: list[Token], closed: bool, ctx: BlockContext) -> Block:
    block, attrs = new_block(open_token, BlockKind.SCENARIO, closed, ctx)
    scenario = Scenario()
    block.scenario = scenario
    if "graded" in attrs:
        scenario.graded = boolean(attrs["graded"], "graded", open_token, ctx, default=False)
    parts = groups(inner)
    first = next((i for i, g in enumerate(parts) if is_heading(g, "h3")), len(parts))
    block.intro_html = markdown.render([t for g in parts[:first] for t in g])
    start = first
    while start < len(parts):
        end = next(
            (i for i in range(start + 1, len(parts)) if is_heading(parts[i], "h3")), len(parts)
        )
        scenario.nodes.append(_read_node(parts[start], parts[start + 1 : end], ctx))
        start = end
    if not scenario.nodes:
        ctx.report(
            open_token,
            Code.CONTAINER_EMPTY,
            "the scenario has no node; start each one with a ### heading",
        )
        return block
    _check_graph(scenario, ctx)
    if scenario.graded and not any(n.points for n in scenario.nodes if n.end):
        ctx.report(
            open_token,
            Code.SCENARIO_NO_POINTS,
            "a graded scenario scores the end the learner reaches: give its ends points "
            "({outcome=good points=10})",
        )
    return block


# --- nodes and choices -------------------------------------------------------------------------


def _read_node(heading: list[Token], body: list[list[Token]], ctx: BlockContext) -> ScenarioNode:
    title, spec = heading_attrs(heading[1])
    attrs = checked_attrs(spec, NODE_ATTRIBUTES, "a scenario node", heading[0], ctx)
    text = markdown.plain_text(title)
    node = ScenarioNode(
        id=slug(text),
        title_html=markdown.render_inline(title),
        title_text=text,
        loc=ctx.loc(heading[0]),
    )
    if "id" in attrs:
        node.id = checked_id(attrs["id"], heading[0], ctx, Code.QUIZ_BAD_ID)
    elif not ID_PATTERN.match(node.id):
        ctx.report(
            heading[0],
            Code.QUIZ_BAD_ID,
            f"the node {text!r} needs an id of letters, digits, '_', '.' and '-': "
            "add one as {#an-id}",
        )
    if not text:
        ctx.report(heading[0], Code.QUIZ_NO_PROMPT, "the node's heading is empty")
    _read_end(node, attrs, heading[0], ctx)
    stem: list[Token] = []
    choices_at: Token | None = None
    for group in body:
        if choices_at is not None:
            ctx.report(
                group[0],
                Code.SCENARIO_BAD_CHOICE,
                "text after the node's choices; start a new node with ###, or move it above "
                "the choices",
            )
        elif group[0].type == "bullet_list_open" and _is_choice_list(group):
            choices_at = group[0]
            node.choices = _read_choices(group, ctx)
        else:
            stem.extend(group)
    node.body_html = markdown.render(stem)
    if node.end and node.choices:
        ctx.report(
            choices_at,
            Code.SCENARIO_BAD_CHOICE,
            f"{node.id!r} is an end node ({_end_words(attrs)}), so it takes no choices",
        )
        node.choices = []
    return node


def _end_words(attrs: dict[str, str]) -> str:
    return " ".join(f"{k}={attrs[k]}" for k in ("outcome", "end") if k in attrs)


def _read_end(node: ScenarioNode, attrs: dict[str, str], token: Token, ctx: BlockContext) -> None:
    if "outcome" in attrs:
        value = attrs["outcome"].lower()
        if value in {o.value for o in Outcome}:
            node.outcome = Outcome(value)
        else:
            ctx.report(
                token,
                Code.CONTAINER_BAD_ATTRIBUTE,
                f"outcome={attrs['outcome']} must be good, ok or poor",
            )
        node.end = True
    if "end" in attrs:
        node.end = boolean(attrs["end"], "end", token, ctx, default=True) or node.end
    if "points" in attrs:
        if not node.end:
            ctx.report(
                token,
                Code.CONTAINER_BAD_ATTRIBUTE,
                "points belong to an end node: mark this one with outcome= or end=true, "
                "or move its points to the end it leads to",
            )
        else:
            node.points = points_value(attrs["points"], token, ctx)


def _link_target(children: list[Token]) -> tuple[str, list[Token]] | None:
    """``(node id, link text tokens)`` when an item's text is one link to ``#node``."""
    kept = [c for c in children if not (c.type == "text" and not c.content.strip())]
    if len(kept) < 2 or kept[0].type != "link_open" or kept[-1].type != "link_close":
        return None
    href = str(kept[0].attrGet("href") or "")
    if not href.startswith("#") or any(c.type == "link_open" for c in kept[1:-1]):
        return None
    return unquote(href[1:]), kept[1:-1]


def _is_choice_list(group: list[Token]) -> bool:
    """A bullet list is the node's choices when one of its items is a link to ``#a-node``."""
    return any(
        _link_target(_inline_children(item)) is not None for item in list_items(group)
    )


def _inline_children(item: list[Token]) -> list[Token]:
    return list(item_inline(item).children or [])


def _read_choices(group: list[Token], ctx: BlockContext) -> list[ScenarioChoice]:
    items = list_items(group)
    if len(items) > len(CHOICE_IDS):
        ctx.report(
            items[len(CHOICE_IDS)][0],
            Code.QUIZ_TOO_MANY_CHOICES,
            f"{len(items)} choices; {len(CHOICE_IDS)} at the most",
        )
        items = items[: len(CHOICE_IDS)]
    choices: list[ScenarioChoice] = []
    for item in items:
        children, feedback = item_parts(item, ctx)
        found = _link_target(children)
        if found is None:
            ctx.report(
                item[0],
                Code.SCENARIO_BAD_CHOICE,
                "every choice is one link to the node it leads to: - [What you say](#node-id)",
            )
            continue
        target, text = found
        choices.append(
            ScenarioChoice(
                id=CHOICE_IDS[len(choices)],
                html=markdown.render_inline(text),
                text=markdown.plain_text(text),
                target=target,
                loc=ctx.loc(item[0]),
                feedback_html=markdown.render(feedback),
            )
        )
    return choices


# --- the graph ---------------------------------------------------------------------------------


def _check_graph(scenario: Scenario, ctx: BlockContext) -> None:
    """Duplicate ids, choices to no node, dead ends, unreachable nodes and cycles with no exit,
    each reported at the line of its cause."""
    nodes: dict[str, ScenarioNode] = {}
    for node in scenario.nodes:
        if node.id in nodes:
            ctx.reporter.report(
                node.loc,
                Code.SCENARIO_DUPLICATE_NODE,
                f"node id {node.id!r} is already used at line {nodes[node.id].loc.line}; "
                "give this node its own {#id}",
            )
            continue
        nodes[node.id] = node
    for node in scenario.nodes:
        for choice in node.choices:
            if choice.target not in nodes:
                hint = did_you_mean(choice.target, list(nodes))
                ctx.reporter.report(
                    choice.loc,
                    Code.SCENARIO_DANGLING,
                    f"the choice leads to #{choice.target}, which is not a node of this "
                    f"scenario{hint}",
                )
        if not node.end and not node.choices:
            ctx.reporter.report(
                node.loc,
                Code.SCENARIO_DEAD_END,
                f"the node {node.id!r} has no choice and is not an end: add choices, or mark "
                "it as an end with {outcome=good}, ok, poor, or {end=true}",
            )
    reached = _reachable([scenario.nodes[0].id], nodes, forward=True)
    for node in scenario.nodes:
        if node.id not in reached and nodes.get(node.id) is node:
            ctx.reporter.report(
                node.loc,
                Code.SCENARIO_UNREACHABLE,
                f"no choice leads to the node {node.id!r} from the first node "
                f"{scenario.nodes[0].id!r}",
            )
    # Dead ends and dangling choices are reported already: they count as exits here, so that
    # what is left is nodes caught in a cycle.
    exits = [n.id for n in nodes.values() if n.end or not n.choices]
    exits += [c.target for n in nodes.values() for c in n.choices if c.target not in nodes]
    escapes = _reachable(exits, nodes, forward=False)
    trapped = [n for n in nodes.values() if n.id in reached and n.id not in escapes]
    if trapped:
        names = ", ".join(repr(n.id) for n in trapped)
        ctx.reporter.report(
            trapped[0].loc,
            Code.SCENARIO_NO_EXIT,
            f"no path from here leads to an end: {names} lead only to one another; give one "
            "of them a choice that leads on to an end",
        )


def _reachable(start: list[str], nodes: dict[str, ScenarioNode], *, forward: bool) -> set[str]:
    """The ids reached from ``start`` along the choices (``forward``) or against them."""
    edges: dict[str, set[str]] = {node_id: set() for node_id in nodes}
    for node in nodes.values():
        for choice in node.choices:
            if forward:
                edges[node.id].add(choice.target)
            elif choice.target in edges:
                edges[choice.target].add(node.id)
    seen = set(start)
    queue = deque(start)
    while queue:
        for next_id in edges.get(queue.popleft(), ()):
            if next_id not in seen:
                seen.add(next_id)
                queue.append(next_id)
    return seen
