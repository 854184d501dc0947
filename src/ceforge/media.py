"""``::: video`` and ``::: audio`` blocks -> Media, and ``::: reflection`` prompts.

    ::: video {src=../assets/demo.webm captions=../assets/demo.vtt required=true}
    A counselor reflects a client's frustration.     <- shown under the player

    ### Transcript                                    <- from the first ### on: the transcript
    **Client:** Nobody listens to me.
    :::

Paths are relative to the module, like links; ``src`` may be a web address (the package then
needs the network: ``media.remote``). Whether captions and transcripts are there, and whether
the captions file is sound, is checked for the whole course (``ceforge.mediacheck``), since it
depends on the course (a CE course requires them) and reads the files.
"""

from __future__ import annotations

import re

from markdown_it.token import Token

from ceforge import markdown
from ceforge.diagnostics import Code, SourceLocation
from ceforge.model import Block, BlockKind, Media, Question, QuestionType, Reflection
from ceforge.quiz import BlockContext, boolean, groups, is_heading, new_block

_WEB = re.compile(r"^https?://", re.IGNORECASE)
_PERCENT = re.compile(r"^(\d+(?:\.\d+)?)\s*%?$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
DEFAULT_WATCHED = 0.9


def is_web(url: str) -> bool:
    return bool(_WEB.match(url))


def read_media(open_token: Token, inner: list[Token], closed: bool, ctx: BlockContext) -> Block:
    kind = BlockKind(markdown.block_kind(open_token))
    block, attrs = new_block(open_token, kind, closed, ctx)
    loc = ctx.loc(open_token)
    media = Media(src=attrs.get("src", ""), src_loc=loc)
    block.media = media
    if not media.src:
        ctx.report(
            open_token,
            Code.MEDIA_NO_SOURCE,
            f"'::: {kind.value}' needs the file to play: {{src=../assets/clip.webm}}",
        )
    else:
        media.remote = is_web(media.src)
        media.src = _file(media.src, loc, ctx)
    if "captions" in attrs:
        media.captions = _file(attrs["captions"], loc, ctx)
    if "poster" in attrs:
        media.poster = _file(attrs["poster"], loc, ctx)
    if "transcript" in attrs:
        media.transcript = _file(attrs["transcript"], loc, ctx)
    if "lang" in attrs:
        if _LANGUAGE.match(attrs["lang"]):
            media.captions_language = attrs["lang"]
        else:
            ctx.report(
                open_token,
                Code.CONTAINER_BAD_ATTRIBUTE,
                f"lang={attrs['lang']} is not a language tag such as en or es-MX",
            )
    if "show-captions" in attrs:
        media.captions_on = boolean(attrs["show-captions"], "show-captions", open_token, ctx,
                                    default=True)
    if "required" in attrs:
        media.required = boolean(attrs["required"], "required", open_token, ctx, default=False)
    if "watched" in attrs:
        media.watched = _watched(attrs["watched"], open_token, ctx)
    parts = groups(inner)
    first = next((i for i, g in enumerate(parts) if is_heading(g, "h3")), len(parts))
    block.intro_html = markdown.render([t for g in parts[:first] for t in g])
    if first < len(parts):
        media.transcript_title = markdown.plain_text(parts[first])
        media.transcript_html = markdown.render([t for g in parts[first + 1 :] for t in g])
    return block


def _file(url: str, loc: SourceLocation, ctx: BlockContext) -> str:
    """A local file's course-relative path (checked like a link), or the web address."""
    if is_web(url) or ctx.local_url is None:
        return url
    return ctx.local_url(url, loc) or url


def _watched(value: str, token: Token, ctx: BlockContext) -> float:
    match = _PERCENT.match(value.strip())
    percent = float(match.group(1)) if match else -1
    if not 0 < percent <= 100:
        ctx.report(
            token,
            Code.CONTAINER_BAD_ATTRIBUTE,
            f"watched={value} must be a percentage above 0 and up to 100 (watched=90%)",
        )
        return DEFAULT_WATCHED
    return round(percent / 100, 3)


# --- reflections -------------------------------------------------------------------------------

SHARE_VALUES = ("none", "lms")


def read_reflection(
    open_token: Token, inner: list[Token], closed: bool, ctx: BlockContext
) -> Block:
    """A prompt and a free-text answer that stays in the learner's browser, unless
    ``share=lms`` sends it to the LMS or LRS as an essay is sent."""
    block, attrs = new_block(open_token, BlockKind.REFLECTION, closed, ctx)
    block.intro_html = markdown.render(inner)
    text = markdown.plain_text(inner)
    share = attrs.get("share", "none").lower()
    if share not in SHARE_VALUES:
        ctx.report(
            open_token,
            Code.CONTAINER_BAD_ATTRIBUTE,
            f"share={attrs['share']} must be none (the answer stays in the learner's browser) "
            "or lms (it is sent to the LMS as an essay is)",
        )
        share = "none"
    if not text:
        ctx.report(
            open_token,
            Code.CONTAINER_EMPTY,
            "the reflection has no prompt; write what the learner reflects on",
        )
    question = Question(
        id=block.id,
        type=QuestionType.ESSAY,
        prompt_html=block.intro_html,
        prompt_text=text,
        loc=block.loc,
        points=0,
    )
    block.reflection = Reflection(share=share == "lms", question=question)
    return block
