"""Read a course folder into the course model: course.yml, then each module, page by page.

Everything is read and every problem reported before anything is written. The loader never
raises on bad input: problems go to the Reporter, and the model holds what could be read.
"""

from __future__ import annotations

import logging
import os
import pickle
import posixpath
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape, unescape
from pathlib import Path
from urllib.parse import quote, unquote

from markdown_it.token import Token

from ceforge import cepages, contentblocks, glossary, markdown
from ceforge.blocks import read_container
from ceforge.config import (
    COURSE_FILE as COURSE_FILE,  # re-exported: where the course file is named for others
)
from ceforge.config import (
    CourseConfig,
    FrontMatter,
    did_you_mean,
    read_course_config,
    read_front_matter,
)
from ceforge.diagnostics import Code, Reporter, SourceLocation, plural
from ceforge.memo import during_build
from ceforge.model import Asset, Block, Course, Module, Page, Resource
from ceforge.parsecache import Entry, ModuleCache
from ceforge.pathrules import miscased_message
from ceforge.quiz import ID_PATTERN, BlockContext, groups
from ceforge.sourcetext import markdown_source
from ceforge.yamlsource import load_yaml

log = logging.getLogger("ceforge.loader")
MAX_SOURCE_BYTES = 20 * 1024 * 1024

_LEADING_NUMBER = re.compile(r"^\d+[-_ .]*")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")  # C:\ or C:/, which _SCHEME would take for a URL
_STRAY_FENCE = re.compile(r"^:::+\s*$")
#: ``[text](path with space)`` or ``![alt](…)`` left as text by Markdown.
_NOT_A_LINK = re.compile(r"(?:(!?)\[[^\[\]\n]*)?\]\(([^()\n]*\S[ \t]+\S[^()\n]*)\)")
_MEDIA = re.compile(r"<(video|audio)\b[^>]*>", re.IGNORECASE)
_TRACK = re.compile(r"<track\b([^>]*)>", re.IGNORECASE)
_KIND = re.compile(r"""\bkind\s*=\s*["']?([\w-]+)""", re.IGNORECASE)


def _captions(attributes: str) -> bool:
    """Whether a ``<track>``'s attributes make it captions or subtitles (the default kind)."""
    kind = _KIND.search(attributes)
    return kind is None or kind.group(1).lower() in ("captions", "subtitles")


_HTML_URL = re.compile(r"""(\b(?:src|href)\s*=\s*)(["'])(.*?)\2""", re.IGNORECASE)


def read_bounded(
    path: Path, shown: str, limit: int, code: Code, reporter: Reporter, advice: str = ""
) -> bytes | None:
    """The bytes of ``path`` (named ``shown`` in messages), or None after reporting, as
    ``code``, that it is larger than ``limit`` (with ``advice``), missing or unreadable."""
    loc = SourceLocation(shown)
    try:
        if path.stat().st_size > limit:
            reporter.report(loc, code, f"{shown} is larger than {limit // 2**20} MiB{advice}")
            return None
        return path.read_bytes()
    except FileNotFoundError:
        reporter.report(loc, code, f"{shown} does not exist")
    except OSError as exc:
        reporter.report(loc, code, f"cannot read {shown}: {exc.strerror}")
    return None


def read_text(root: Path, rel: str, reporter: Reporter) -> str | None:
    """A source file as text, or None after reporting why it cannot be read."""
    loc = SourceLocation(rel)
    data = read_bounded(root / rel, rel, MAX_SOURCE_BYTES, Code.FILE_UNREADABLE, reporter)
    if data is None:
        return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        reporter.report(loc, Code.FILE_UNREADABLE, f"{rel} is UTF-16 text; save it as UTF-8")
        return None
    if b"\0" in data:
        reporter.report(loc, Code.FILE_UNREADABLE, f"{rel} is a binary file, not text")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        reporter.report(
            SourceLocation(rel, line),
            Code.FILE_UNREADABLE,
            f"{rel} is not UTF-8 text (byte {exc.start}); save it as UTF-8",
        )
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_course(
    root: Path, reporter: Reporter, cache: ModuleCache | None = None
) -> Course | None:
    """Read the course at ``root``; None when course.yml itself is unusable. With a ``cache``,
    a module read before (same path, same text, same lookups) comes from it."""
    if _inside_a_course(root, reporter):
        return None
    text = read_text(root, COURSE_FILE, reporter)
    if text is None:
        return None
    doc = load_yaml(text, COURSE_FILE, reporter)
    if doc is None:
        return None
    config = read_course_config(doc, reporter)
    if config is None:
        return None
    course = Course(config=config, root=str(root))
    paths = _module_paths(root, config, reporter)
    rels = [rel for rel, _loc in paths if rel not in cepages.PLACES]
    log.info("reading %s", plural(len(rels), "module"))
    entries = iter(_module_entries(root, rels, reporter, cache))
    slots: dict[str, cepages.Slot] = {}
    for rel, loc in paths:
        if rel in cepages.PLACES:
            if rel in slots:
                reporter.report(
                    loc, Code.CONFIG_BAD_VALUE, f"modules: {rel!r} is listed twice"
                )
            slots.setdefault(rel, cepages.Slot(len(course.modules), loc))
            continue
        entry = next(entries)
        if entry is None:
            continue
        reporter.diagnostics.extend(entry.diagnostics)
        for asset in entry.assets:
            course.assets.setdefault(asset.path, asset)
        if entry.module is not None:
            course.modules.append(entry.module)
    _link_modules(course, rels)
    _read_glossary(root, course, reporter)
    _read_handouts(root, course, reporter)
    links = Links(root, COURSE_FILE, reporter)
    cepages.add_pages(course, slots, links, reporter)
    for asset in links.assets:
        course.assets.setdefault(asset.path, asset)
    signature = config.certificate.signature if config.certificate else None
    images = {"theme.logo": config.theme.logo,
              "certificate.signature.image": signature.image if signature else ""}
    for key, image in images.items():
        if not image:
            continue
        loc = SourceLocation(COURSE_FILE, config.lines.get(key, 0))
        found = _resolve_asset(root, "", image, loc, reporter)
        if found:
            course.assets.setdefault(found, Asset(found, SourceLocation(COURSE_FILE)))
    return course


def _inside_a_course(root: Path, reporter: Reporter) -> bool:
    """Whether ``root`` is a folder of a course (its modules, say) rather than the course:
    then say which folder to give instead."""
    if (root / COURSE_FILE).exists():
        return False
    above = root.parent if root.name not in ("", ".", "..") else root.resolve().parent
    if not (above / COURSE_FILE).is_file():
        return False
    shown = str(above) if root.name not in ("", ".", "..") else os.path.relpath(above)
    reporter.report(
        SourceLocation(COURSE_FILE),
        Code.FILE_UNREADABLE,
        f"course.yml does not exist here: this is the {root.resolve().name!r} folder of the "
        f"course in {shown!r}; give that folder instead (ceforge check {shlex.quote(shown)})",
    )
    return True


def _read_glossary(root: Path, course: Course, reporter: Reporter) -> None:
    """``glossary.yml`` (when there is one) and the modules' ``::: glossary`` blocks, gathered;
    then the first use of each term on every page marked."""
    terms = []
    if (root / glossary.GLOSSARY_FILE).exists():
        text = read_text(root, glossary.GLOSSARY_FILE, reporter)
        if text is not None:
            links = Links(root, glossary.GLOSSARY_FILE, reporter)
            terms = glossary.read_glossary(text, reporter, links.local_url, links.rewrite_html)
            for asset in links.assets:
                course.assets.setdefault(asset.path, asset)
    glossary.gather(course, terms, reporter)
    glossary.mark_pages(course)


#: The folder whose files the Resources page lists, whether a page links to them or not.
HANDOUTS = "assets/handouts"


def _read_handouts(root: Path, course: Course, reporter: Reporter) -> None:
    """Every file under ``assets/handouts/`` (hidden ones aside) is a resource: it goes into the
    package and onto the Resources page, with its type and size."""
    folder = root / HANDOUTS
    if not folder.is_dir():
        return
    inside = root.resolve()
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        if not path.resolve().is_relative_to(inside):
            reporter.report(
                SourceLocation(rel),
                Code.ASSET_OUTSIDE,
                f"{rel!r} leads out of the course folder; copy the file into assets/handouts/",
            )
            continue
        if not path.is_file():
            continue
        kind = path.suffix.lstrip(".").upper() or path.name
        course.assets.setdefault(rel, Asset(rel, SourceLocation(rel)))
        course.resources.append(Resource(rel, path.name, kind, path.stat().st_size))


def _module_paths(
    root: Path, config: CourseConfig, reporter: Reporter
) -> list[tuple[str, SourceLocation]]:
    paths = _listed_or_found(root, config, reporter)
    _report_unused(root, config, {rel for rel, _loc in paths}, reporter)
    return paths


#: Suffixes of Markdown files (any case) that ``modules/`` may hold.
_MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".mkdn")


def _report_unused(
    root: Path, config: CourseConfig, used: set[str], reporter: Reporter
) -> None:
    """A warning for each Markdown file in ``modules/`` that the course does not read: not
    listed in course.yml's ``modules``, or (without that list) not ending in ``.md``."""
    try:
        names = sorted(p.name for p in (root / "modules").iterdir() if p.is_file())
    except OSError:
        return
    for name in names:
        rel = f"modules/{name}"
        if not name.lower().endswith(_MARKDOWN_SUFFIXES) or rel in used:
            continue
        if config.modules is not None:
            if any(posixpath.normpath(m) == rel for m in config.modules):
                continue  # listed, and reported if it cannot be read
            if did_you_mean(rel, [m for m in config.modules if m not in used]):
                continue  # module.missing suggests it in place of a misspelt path
            why = (
                "it is not listed under 'modules' in course.yml "
                "(list it, or move it out of modules/)"
            )
        elif name.endswith(".md"):
            continue  # taken, and reported if it cannot be read (a link outside, say)
        else:
            why = "module files end in '.md', in lower case (rename it)"
        reporter.report(
            SourceLocation(rel),
            Code.MODULE_UNUSED,
            f"{rel} is not part of the course: {why}",
        )


def _listed_or_found(
    root: Path, config: CourseConfig, reporter: Reporter
) -> list[tuple[str, SourceLocation]]:
    paths = []
    if config.modules is None:
        found = sorted(p.name for p in (root / "modules").glob("*.md") if p.is_file())
        for rel in (f"modules/{name}" for name in found):
            if _inside(root, "", rel) is None:
                reporter.report(
                    SourceLocation(rel),
                    Code.ASSET_OUTSIDE,
                    f"module {rel!r} is a link that leaves the course folder",
                )
            else:
                paths.append((rel, SourceLocation(rel, 1)))
        return paths
    for index, rel in enumerate(config.modules):
        loc = SourceLocation(COURSE_FILE, config.lines.get(f"modules.{index}", 0))
        if rel in cepages.PLACES:
            paths.append((rel, loc))  # where the About or References page goes
            continue
        clean = _inside(root, "", rel)
        if clean is None:
            reporter.report(
                loc, Code.ASSET_OUTSIDE, f"module path {rel!r} leaves the course folder"
            )
        elif not (root / clean).is_file():
            candidates = [str(p.relative_to(root)) for p in root.glob("modules/*.md")]
            reporter.report(
                loc,
                Code.MODULE_MISSING,
                f"module {rel!r} does not exist{did_you_mean(rel, candidates)}",
            )
        else:
            paths.append((clean, loc))
    return paths


def _link_modules(course: Course, rels: list[str]) -> None:
    """A link to another module's Markdown file leads to that module's first page (the route
    ``#/page/<page id>`` of the learner runtime), and the Markdown file is not shipped."""
    first = {m.path: m.pages[0].id for m in course.modules if m.pages}
    linked = [rel for rel in rels if rel in course.assets and rel in first]
    if not linked:
        return
    for rel in linked:
        del course.assets[rel]
    alternatives = "|".join(re.escape(escape(url_path(rel))) for rel in linked)
    pattern = re.compile(rf'(\bhref=)(["\'])({alternatives})(?:#[^"\']*)?\2')

    def route(match: re.Match[str]) -> str:
        page = first[unquote(unescape(match.group(3)))]
        return f"{match.group(1)}{match.group(2)}#/page/{quote(page, safe='')}{match.group(2)}"

    def relink(text: str) -> str:
        return pattern.sub(route, text) if "href=" in text else text

    for module in course.modules:
        for page in module.pages:
            page.html = relink(page.html)
            for block in page.blocks:
                block.intro_html = relink(block.intro_html)
                for question in block.questions:
                    question.prompt_html = relink(question.prompt_html)
                    question.stem_html = relink(question.stem_html)
                    question.feedback_html = relink(question.feedback_html)
                    paired = [c for pair in question.pairs for c in (pair.source, pair.target)]
                    for choice in [*question.choices, *paired]:
                        choice.html = relink(choice.html)
                        choice.feedback_html = relink(choice.feedback_html)
                _relink_block(block, relink)


def _relink_block(block: Block, relink: Callable[[str], str]) -> None:
    """The links of a scenario's nodes and of a media block's transcript."""
    if block.scenario is not None:
        for node in block.scenario.nodes:
            node.body_html = relink(node.body_html)
            for option in node.choices:
                option.feedback_html = relink(option.feedback_html)
    if block.media is not None:
        block.media.transcript_html = relink(block.media.transcript_html)
    if block.reflection is not None and block.reflection.question is not None:
        block.reflection.question.prompt_html = block.intro_html


def default_module_id(rel: str) -> str:
    """``modules/01-empathy.md`` -> ``empathy``."""
    stem = posixpath.splitext(posixpath.basename(rel))[0]
    return _LEADING_NUMBER.sub("", stem) or stem


def _module_entries(
    root: Path, rels: list[str], reporter: Reporter, cache: ModuleCache | None
) -> list[Entry | None]:
    """What reading each module gives, in order (None: its file is unreadable, reported):
    from the cache where an entry for its text is there and its file-system lookups still
    hold; the others are read, and cached."""
    texts = [read_text(root, rel, reporter) for rel in rels]
    entries: list[Entry | None] = []
    for rel, text in zip(rels, texts, strict=True):
        entry = cache.get(rel, text) if cache is not None and text is not None else None
        entries.append(entry if entry is None or _lookups_hold(root, entry) else None)
    todo = [i for i, text in enumerate(texts) if text is not None and entries[i] is None]
    if cache is not None:
        unchanged = sum(entry is not None for entry in entries)
        log.debug("module cache: %d of %s unchanged", unchanged, plural(len(rels), "module"))
    else:
        log.debug("module cache: not used")
    jobs = [(root, rels[i], texts[i] or "") for i in todo]
    for i, (entry, data) in zip(todo, _read_modules(jobs, cache is not None), strict=True):
        entries[i] = entry
        if cache is not None:
            cache.put(rels[i], texts[i] or "", data)
    return entries


def _read_modules(jobs: list[tuple[Path, str, str]], keep: bool) -> list[tuple[Entry, bytes]]:
    """Each module read, and (to ``keep`` it in the cache) its entry pickled."""
    results = []
    for job in jobs:
        entry = _read_entry(*job)
        data = pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL) if keep else b""
        results.append((entry, data))
    return results


def _read_entry(root: Path, rel: str, text: str) -> Entry:
    """What reading one module gives: the module, its diagnostics, assets and lookups."""
    local = Reporter()
    links = Links(root, rel, local)
    module = _read_module(rel, text, links, local)
    return Entry(module, tuple(local.diagnostics), tuple(links.assets), tuple(links.probes))


def _lookups_hold(root: Path, entry: Entry) -> bool:
    """Whether every link of a cached module resolves as it did when the module was read."""
    scratch = Reporter()
    return all(
        _resolve_asset(root, base, path, SourceLocation(""), scratch) == found
        for base, path, found in entry.probes
    )


def _read_module(rel: str, text: str, links: Links, reporter: Reporter) -> Module | None:
    text = markdown_source(rel, text, reporter)
    tokens = markdown.parse(text)
    front = FrontMatter()
    loc = id_loc = SourceLocation(rel, 1)
    front_read = True
    if tokens and tokens[0].type == "front_matter":
        doc = load_yaml(tokens[0].content, rel, reporter, line_offset=1)
        if doc is not None:
            front = read_front_matter(doc, reporter)
            id_loc = doc.loc("id") if front.id else loc
        front_read = doc is not None
        tokens = tokens[1:]
    module_id = front.id or default_module_id(rel)
    if not ID_PATTERN.match(module_id):
        reporter.report(
            id_loc,
            Code.MODULE_BAD_ID,
            f"module id {module_id!r} may only hold letters, digits, '_', '.' and '-'"
            + ("" if front.id else "; set one with 'id:' in the front matter"),
        )
    links.rewrite(tokens)
    _report_stray_fences(rel, tokens, reporter)
    title = front.title
    parts = groups(tokens)
    if title is None:
        for index, group in enumerate(parts):
            if group[0].type == "heading_open" and group[0].tag == "h1":
                title = markdown.plain_text(group)
                del parts[index]
                break
    module = Module(
        id=module_id,
        title=title or module_id,
        path=rel,
        loc=loc,
        objectives=list(front.objectives),
        minutes=front.minutes,
        front_matter_read=front_read,
    )
    if title is None and front_read:
        # (An unreadable front matter may hold the title: its YAML error says it all.)
        reporter.report(
            loc,
            Code.MODULE_NO_TITLE,
            "the module has no title; add 'title:' to its front matter or a # heading",
        )
    ctx = BlockContext(
        path=rel, module_id=module_id, reporter=reporter, local_url=links.local_url
    )
    module.pages = _pages(parts, module, ctx, text.split("\n"))
    if not module.pages:
        reporter.report(loc, Code.MODULE_EMPTY, f"module {rel} has no content")
    return module


def _pages(
    parts: list[list[Token]], module: Module, ctx: BlockContext, lines: list[str]
) -> list[Page]:
    """Split a module at its ``##`` headings into pages; render each, blocks as placeholders,
    and each page's footnotes at its end."""
    parts, notes = markdown.take_footnotes(parts)
    chunks: list[list[list[Token]]] = [[]]
    for group in parts:
        if group[0].type == "heading_open" and group[0].tag == "h2":
            chunks.append([])
        chunks[-1].append(group)
    if not chunks[0]:
        chunks.pop(0)
    pages: list[Page] = []
    for chunk in chunks:
        first = chunk[0][0]
        has_heading = first.type == "heading_open" and first.tag == "h2"
        title = markdown.plain_text(chunk[0]) if has_heading else module.title
        page = Page(id=f"{module.id}-p{len(pages) + 1}", title=title, html="", loc=ctx.loc(first))
        html = []
        for group in chunk:
            if group[0].type == markdown.CONTAINER_OPEN:
                found = read_container(group[0], group[1:-1], _is_closed(group[0], lines), ctx)
                if found.block is not None:
                    page.blocks.append(found.block)
                    html.append(f'<div class="cf-block" data-block="{found.block.id}"></div>')
                html.append(found.html)
                module.glossary.extend(found.terms)
            else:
                html.append(contentblocks.alert(group) or markdown.render(group))
        html.append(markdown.render_footnotes([t for group in chunk for t in group], notes))
        page.html = "\n".join(h for h in html if h)
        if not has_heading and not page.blocks and _nothing_to_read(page.html):
            continue  # an opening page of a heading or comments alone: no empty page
        pages.append(page)
    return pages


_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_H1 = re.compile(r"<h1\b[^>]*>.*?</h1>", re.DOTALL | re.IGNORECASE)
_SHOWS = re.compile(r"<(?:img|video|audio|iframe|object|embed|svg|table|input|hr)\b", re.I)
_TAG = re.compile(r"<[^>]*>")


def _nothing_to_read(html: str) -> bool:
    """Whether a module's opening page would show the learner nothing but its title: no text
    besides ``#`` headings (the runtime heads the page with the module's title anyway), no
    image or media, only comments or link definitions."""
    rest = _H1.sub("", _COMMENT.sub("", html))
    if _SHOWS.search(rest):
        return False
    return not unescape(_TAG.sub("", rest)).strip()


def _is_closed(open_token: Token, lines: list[str]) -> bool:
    """Whether a ``:::`` block ends with a closing line (markdown-it closes any block at the end
    of the file, and marks an opener on the last line as closed)."""
    if not open_token.map:
        return False
    end = open_token.map[1]  # the closing line, when there is one
    return end < len(lines) and bool(_STRAY_FENCE.match(lines[end].strip()))


def _report_stray_fences(rel: str, tokens: list[Token], reporter: Reporter) -> None:
    """Report blocks nested in other blocks or lists, and ``:::`` lines that close nothing."""
    for token in tokens:
        if token.type == markdown.CONTAINER_OPEN and token.level > 0:
            reporter.report(
                SourceLocation(rel, token.map[0] + 1 if token.map else 0),
                Code.CONTAINER_NESTED,
                "a ::: block inside another block or list; "
                "blocks stand on their own at the top level of a page",
            )
        if token.type != "inline" or not token.map:
            continue
        for offset, line in enumerate(token.content.split("\n")):
            if _STRAY_FENCE.match(line):
                reporter.report(
                    SourceLocation(rel, token.map[0] + offset + 1),
                    Code.CONTAINER_UNKNOWN,
                    "a ':::' line that closes no block; check the block above "
                    "(blank lines around ::: lines help)",
                )


# --- links and assets ---------------------------------------------------------------------------


@dataclass
class Links:
    """Checks the local links and images of one module and points them at their
    course-relative paths. Each file-system lookup (a path, relative to a folder, and what it
    resolved to) and each asset it adds are recorded, so that ``ceforge.parsecache`` can tell
    whether a cached module still holds and replay what loading it added to the course."""

    root: Path
    rel: str
    reporter: Reporter
    #: (folder, path, course-relative path or None) of every lookup, in order
    probes: list[tuple[str, str, str | None]] = field(default_factory=list)
    #: the assets the module links to, in order (the course keeps the first of each path)
    assets: list[Asset] = field(default_factory=list)

    def rewrite(self, tokens: list[Token]) -> None:
        """Check every local link and image and point it at its course-relative path."""
        line = 0
        html: list[tuple[SourceLocation, str]] = []
        for token in markdown.walk(tokens):
            if token.map:
                line = token.map[0] + 1
            kind = token.type
            attr = "src" if kind == "image" else "href" if kind == "link_open" else None
            if attr is not None:
                loc = SourceLocation(self.rel, line)  # made for links alone, not every token
                url = str(token.attrGet(attr) or "")
                new = self.local_url(url, loc)
                if new is not None:
                    token.attrSet(attr, new)
                if token.type == "image" and not markdown.plain_text(token.children or []):
                    self.reporter.report(
                        loc,
                        Code.ASSET_NO_ALT,
                        f"the image {url!r} has no alt text: describe it between the brackets",
                    )
            elif kind in ("html_block", "html_inline"):
                loc = SourceLocation(self.rel, line)
                token.content = self.rewrite_html(token.content, loc)
                html.append((loc, token.content))
            elif kind == "text" and "](" in token.content:
                self.not_links(token.content, SourceLocation(self.rel, line))
            # Inline tokens carry no line of their own: count the line breaks of the paragraph.
            if kind in ("softbreak", "hardbreak"):
                line += 1
            elif kind == "html_inline":
                line += token.content.count("\n")
        self.media_captions(html)

    def media_captions(self, html: list[tuple[SourceLocation, str]]) -> None:
        """Warn about each ``<video>`` or ``<audio>`` without a ``<track>`` of captions (or
        subtitles, a track's default kind) before its end: learners who cannot hear it
        are left out (NBCC asks that home-study materials be accessible to all)."""
        text = "".join(content for _loc, content in html)
        starts = [0]
        for _loc, content in html:
            starts.append(starts[-1] + len(content))
        for match in _MEDIA.finditer(text):
            tag = match.group(1).lower()
            end = re.compile(rf"</{tag}\s*>", re.IGNORECASE).search(text, match.end())
            inside = text[match.end() : end.start() if end else len(text)]
            if any(_captions(track) for track in _TRACK.findall(inside)):
                continue
            index = max(i for i, start in enumerate(starts[:-1]) if start <= match.start())
            loc, content = html[index]
            at = loc.shifted(content.count("\n", 0, match.start() - starts[index]))
            self.reporter.report(
                at,
                Code.ASSET_NO_CAPTIONS,
                f"this <{tag}> has no captions: add "
                f'<track kind="captions" src="….vtt" srclang="…"> inside it, so that '
                "learners who cannot hear it can follow",
            )

    def not_links(self, text: str, loc: SourceLocation) -> None:
        """Report what an author wrote as a link or image that Markdown left as text: a path
        with a raw space (``![x](../assets/my image.png)``), which the learner sees as is."""
        for match in _NOT_A_LINK.finditer(text):
            destination = match.group(2).strip()
            _path, _space, rest = destination.partition(" ")
            if not rest or rest[0] in "\"'(":
                continue  # a path and a title: a link Markdown reads (it failed otherwise)
            what = "an image" if match.group(1) else "a link"
            self.reporter.report(
                loc,
                Code.ASSET_NOT_A_LINK,
                f"{match.group(0)!r} is shown as text, not as {what}: its path holds a space; "
                "rename the file without spaces (or write the path in <angle brackets>)",
            )

    def rewrite_html(self, html: str, loc: SourceLocation) -> str:
        """Raw HTML with its local ``src`` and ``href`` URLs checked (each at its own line)."""

        def local(match: re.Match[str]) -> str:
            at = loc.shifted(html.count("\n", 0, match.start()))
            url = self.local_url(match.group(3), at) or match.group(3)
            return match.group(1) + match.group(2) + url + match.group(2)

        return _HTML_URL.sub(local, html)

    def local_url(self, url: str, loc: SourceLocation) -> str | None:
        """The course-relative path for a local URL, after checking it; None to leave it as
        it is."""
        if not url or url.startswith("#") or url.startswith("//"):
            return None
        if _SCHEME.match(url) and not _DRIVE.match(unquote(url)):
            if url.lower().startswith("file:"):
                self.reporter.report(
                    loc, Code.ASSET_OUTSIDE, f"{url!r} points at a file outside the course"
                )
            return None
        path, _, fragment = url.partition("#")
        path = path.partition("?")[0]
        base = posixpath.dirname(self.rel)
        clean = _resolve_asset(self.root, base, unquote(path), loc, self.reporter)
        self.probes.append((base, unquote(path), clean))
        if clean is None:
            return None
        self.assets.append(Asset(clean, loc))
        return url_path(clean) + (f"#{fragment}" if fragment else "")


def url_path(path: str) -> str:
    """A course-relative path as a link's URL: percent-encoded, so that a space, ``#`` or
    ``%`` in a file's name (warned about, ``ceforge.pathrules``) still leads to the file."""
    return quote(path, safe="/!$&'()*+,;=:@~")


def _resolve_asset(
    root: Path, base: str, path: str, loc: SourceLocation, reporter: Reporter
) -> str | None:
    clean = _inside(root, base, path)
    if clean is None:
        reporter.report(loc, Code.ASSET_OUTSIDE, f"{path!r} leaves the course folder")
        return None
    exists = (root / clean).is_file()
    actual = _actual_case(root, clean)
    if actual is not None and actual != clean:
        # Found only by ignoring case (or, on a case-insensitive disk, found at all): the
        # package's web server will not find it.
        what = "is written in another case than its file" if exists else "does not exist"
        reporter.report(loc, Code.ASSET_MISSING, f"{path!r} {what} {miscased_message(actual)}")
        return None
    if not exists:
        reporter.report(loc, Code.ASSET_MISSING, f"{path!r} does not exist")
        return None
    return clean


def _actual_case(root: Path, clean: str) -> str | None:
    """``clean`` as the files are named on disk when each part matches one file's name but
    for upper and lower case (an exact match preferred); None when a part matches none."""
    folder = root
    parts = []
    for part in clean.split("/"):
        names = _names_in(folder)
        if names is None:
            return None
        if part not in names:
            near = [name for name in names if name.casefold() == part.casefold()]
            if len(near) != 1:
                return None
            part = near[0]
        parts.append(part)
        folder = folder / part
    return "/".join(parts)


@during_build
def _names_in(folder: Path) -> tuple[str, ...] | None:
    """The names in ``folder`` (None when it cannot be listed), listed once per build: the
    links of every module, and the cached modules' lookups, look in the same few folders."""
    try:
        return tuple(entry.name for entry in os.scandir(folder))
    except OSError:
        return None


@during_build
def _resolved_folder(folder: Path) -> Path:
    """``folder`` with its symlinks resolved, once per build."""
    return folder.resolve()


def _resolved(path: Path) -> Path:
    """``path`` with its symlinks resolved: its folder's, looked up once per build, and its
    own when it is one (one ``lstat`` for a file that is not)."""
    full = _resolved_folder(path.parent) / path.name
    return full.resolve() if os.path.islink(full) else full


def _inside(root: Path, base: str, path: str) -> str | None:
    """``path`` (relative to the folder ``base``) as a clean course-relative path, or None when it
    is absolute or leaves the course folder, also through a symlink."""
    if not path or path.startswith(("/", "\\")) or _DRIVE.match(path):
        return None
    clean = posixpath.normpath(posixpath.join(base, path.replace("\\", "/")))
    if clean == ".." or clean.startswith("../") or clean == ".":
        return None
    try:
        real = _resolved(root / clean)
        if not real.is_relative_to(_resolved_folder(root)):
            return None
    except (OSError, RuntimeError):
        return None
    return clean
