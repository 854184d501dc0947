"""Every ``:::`` container by its kind: the reader that makes it a block the runtime draws
(``quiz``, ``scenario``, ``media``), or the HTML written into the page (``contentblocks``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from markdown_it.token import Token

from ceforge import markdown
from ceforge.config import did_you_mean
from ceforge.contentblocks import STATIC_ATTRIBUTES, render_static
from ceforge.diagnostics import Code
from ceforge.media import read_media, read_reflection
from ceforge.model import Block, BlockKind, GlossaryTerm
from ceforge.quiz import BLOCK_ATTRIBUTES, BlockContext, read_block
from ceforge.scenario import read_scenario

Reader = Callable[[Token, list[Token], bool, BlockContext], Block]

READERS: dict[BlockKind, Reader] = {
    BlockKind.QUIZ: read_block,
    BlockKind.TEST: read_block,
    BlockKind.SURVEY: read_block,
    BlockKind.ATTESTATION: read_block,
    BlockKind.SCENARIO: read_scenario,
    BlockKind.VIDEO: read_media,
    BlockKind.AUDIO: read_media,
    BlockKind.REFLECTION: read_reflection,
}
#: The attributes each kind of container takes (the reference's table is made from it).
CONTAINER_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    **{kind.value: names for kind, names in BLOCK_ATTRIBUTES.items()},
    **STATIC_ATTRIBUTES,
}


@dataclass
class Container:
    """What a ``:::`` container gives its page: a block, or HTML (and the terms it defines);
    neither when its kind is unknown (reported)."""

    block: Block | None = None
    html: str = ""
    terms: list[GlossaryTerm] = field(default_factory=list)


def read_container(
    open_token: Token, inner: list[Token], closed: bool, ctx: BlockContext
) -> Container:
    word = markdown.block_kind(open_token)
    if word in markdown.BLOCK_KINDS:
        return Container(block=READERS[BlockKind(word)](open_token, inner, closed, ctx))
    if word in markdown.STATIC_KINDS:
        rendered = render_static(open_token, inner, closed, ctx)
        return Container(html=rendered.html, terms=rendered.terms)
    kinds = markdown.CONTAINER_KINDS
    ctx.report(
        open_token,
        Code.CONTAINER_UNKNOWN,
        f"unknown block kind {word!r}{did_you_mean(word, list(kinds))}; "
        f"the kinds are {', '.join(kinds)}",
    )
    return Container()
