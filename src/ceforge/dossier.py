"""``ceforge dossier``: the course as an approving body reads it in a home-study application.

NBCC's ACEP home-study form asks for the presenters' qualifications, the explanation of the
credit calculation with its word count, the test and its answer key, the instructions for
obtaining credit, the reference list, the evaluation and a sample certificate; ASWB's course
application and APA's home-study review ask for the same in other words (``../shared/CE.md``).
The dossier says all of it in one self-contained HTML document: the course read and checked as
``ceforge check`` reads it, then a list of named sections (``SECTIONS``), then the images of the
course inlined, so that the file can be mailed or uploaded alone. It prints with page numbers
and a table of contents; ``ceforge.pdf`` prints it to PDF.

The same sources give the same bytes: nothing in the document comes from the clock or the
machine (the sample certificate carries ``SAMPLE_DATE`` unless told another date).
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import Path

from ceforge.build import CheckResult, check_course_folder
from ceforge.catalogues import messages_for
from ceforge.cepages import (
    LinkChecker,
    Text,
    YamlMarkdown,
    about_section,
    credit_steps,
    format_label,
)
from ceforge.certificate import check_character
from ceforge.certpage import CertificateRecord, certificate_html, inline_images, stylesheets
from ceforge.completion import effective_completion
from ceforge.config import COURSE_FILE
from ceforge.credit import MINUTES_PER_QUESTION, WORDS_PER_MINUTE, ModuleTime, course_time
from ceforge.diagnostics import Code, Diagnostic, Reporter, SourceLocation
from ceforge.model import Block, BlockKind, Course, ModuleKind, Question, QuestionType
from ceforge.package import Staged, commit_all, stage_file
from ceforge.pdf import chromium, pages_text, print_to_pdf
from ceforge.resources import templates_dir

#: The completion date of the sample certificate, fixed so that the dossier is reproducible.
SAMPLE_DATE = date(2026, 1, 15)
SAMPLE_NAME = "Sample Learner"
#: A well-formed verification code that no completion carries ("SAMPLE CERT X").
SAMPLE_CODE = "SAMPLECERTX" + check_character("SAMPLECERTX")


class DossierRefused(Exception):
    """The course cannot make a dossier; ``diagnostics`` say why, each at its line."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__(f"{len(diagnostics)} problems")
        self.diagnostics = diagnostics


@dataclass(frozen=True)
class Dossier:
    """The dossier of a course: its HTML, and what ``check`` said of the course."""

    html: str
    checked: CheckResult
    #: (anchor, "N. Title") of each section, in order
    sections: list[tuple[str, str]]


@dataclass
class _Context:
    course: Course
    checked: CheckResult
    text: Text
    sample: CertificateRecord


Section = tuple[str, str, Callable[[_Context], str]]


#: The paper sizes of ``--paper``, as CSS names them.
PAPERS = {"letter": "letter", "a4": "A4"}


def write_dossier(
    root: Path, out: Path, *, pdf: bool = False, paper: str = "letter",
    sample_date: date = SAMPLE_DATE,
) -> list[Path]:
    """Write the dossier of the course at ``root`` into ``out`` (``NAME-dossier.html``, and
    with ``pdf`` ``NAME-dossier.pdf``); the paths written. Nothing is written when the course
    is refused (DossierRefused) or the PDF cannot be made (PdfUnavailable)."""
    if pdf:
        chromium()  # before anything is made: say at once that the extra is missing
    dossier = make_dossier(root, sample_date=sample_date, paper=paper)
    name = root.resolve().name + "-dossier"
    staged: list[Staged] = []
    try:
        staged.append(stage_file(dossier.html.encode("utf-8"), out / f"{name}.html"))
        if pdf:
            staged.append(stage_file(b"", out / f"{name}.pdf"))
            _print(dossier, staged[0].temporary, staged[1].temporary)
        return commit_all(staged)
    except BaseException:
        for file in staged:
            file.discard()
        raise


def _print(dossier: Dossier, html: Path, pdf: Path) -> None:
    """Print the dossier to ``pdf`` twice: the second time with the page of each section in
    the table of contents, read from the first (Chromium has no CSS ``target-counter``). The
    HTML file keeps its contents without page numbers: they belong to one paper and one
    browser."""
    print_to_pdf([(html, pdf)])
    starts = section_pages(pages_text(pdf), dossier.sections)
    numbered = stage_file(with_page_numbers(dossier.html, starts).encode("utf-8"), html)
    try:
        print_to_pdf([(numbered.temporary, pdf)])
    finally:
        numbered.discard()


def section_pages(pages: list[str], sections: list[tuple[str, str]]) -> dict[str, int]:
    """The page (1-based) on which each section's heading, ``(anchor, "N. Title")``, stands
    alone on a line; sections start on a page of their own."""
    found = {}
    # after the contents, which list every heading too
    first = next((n for n, text in enumerate(pages, start=1)
                  if "Contents" in (line.strip() for line in text.splitlines())), 0) + 1
    for anchor, heading in sections:
        wanted = " ".join(heading.split())
        for number, text in enumerate(pages[first - 1:], start=first):
            if any(" ".join(line.split()) == wanted for line in text.splitlines()):
                found[anchor] = number
                break
    return found


def with_page_numbers(html: str, starts: dict[str, int]) -> str:
    """The dossier with the page of each section after its entry in the contents."""
    for anchor, page in starts.items():
        entry = f'<li><a href="#{anchor}">'
        at = html.find(entry)
        end = html.find("</a></li>", at)
        if at < 0 or end < 0:
            continue
        html = (html[:end] + f'</a><span class="dz-toc-page">{page}</span></li>'
                + html[end + len("</a></li>"):])
    return html


def make_dossier(
    root: Path, *, sample_date: date = SAMPLE_DATE, paper: str = "letter"
) -> Dossier:
    """The dossier of the course at ``root``; DossierRefused when the course has errors (as
    ``ceforge check`` prints them) or no ``ce:`` metadata."""
    checked = check_course_folder(root)
    if checked.course is None or checked.errors:
        raise DossierRefused(checked.errors or checked.diagnostics)
    course = checked.course
    if course.config.ce is None:
        reporter = Reporter()
        reporter.report(SourceLocation(COURSE_FILE, 1), Code.DOSSIER_NOT_CE, (
            "the dossier is the course as an approving body reads it, and this course has no "
            "'ce:' section; add ce: with hours, presenters and approvals (docs/authoring.md)"))
        raise DossierRefused(reporter.sorted())
    text = Text(course.config.language, YamlMarkdown(course, _KeepLinks()))
    sample = CertificateRecord(
        name=SAMPLE_NAME, completed=sample_date, code=SAMPLE_CODE,
        score=1.0 if course.test is not None else None,
        license_number="SAMPLE-0000", license_state="ME",
    )
    ctx = _Context(course, checked, text, sample)
    body: list[str] = []
    toc: list[str] = []
    headings: list[tuple[str, str]] = []
    for anchor, title, render in SECTIONS:
        content = render(ctx)
        if not content:
            continue
        number = len(toc) + 1
        heading = f"{number}. {escape(title)}"
        headings.append((anchor, f"{number}. {title}"))
        toc.append(f'<li><a href="#{anchor}">{heading}</a></li>')
        body.append(f'<section class="dz-section" id="{anchor}">\n<h2>{heading}</h2>\n'
                    f"{content}\n</section>")
    html = _document(course, "\n".join(toc), "\n".join(body), PAPERS[paper])
    return Dossier(inline_images(html, Path(root)), checked, headings)


class _KeepLinks(LinkChecker):
    """Links of course.yml values as written (the course was checked already); the images
    among them are inlined with the others."""

    def local_url(self, url: str, loc: SourceLocation) -> str | None:
        return None

    def rewrite_html(self, html: str, loc: SourceLocation) -> str:
        return html


# --- the document ------------------------------------------------------------------------------


def _document(course: Course, toc: str, body: str, paper: str) -> str:
    config = course.config
    ce = config.ce
    css = (templates_dir() / "dossier" / "dossier.css").read_text(encoding="utf-8")
    accent = config.theme.accent or "#1f5f8b"
    provider = escape(ce.provider) if ce and ce.provider else ""
    label = format_label(ce.format, messages_for(config.language)) if ce and ce.format else ""
    delivery = f": {escape(label)}" if label else ""
    title = escape(config.title)
    return f"""<!DOCTYPE html>
<html lang="{escape(config.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}: course dossier</title>
<style>
:root {{ --cf-accent: {escape(accent)}; }}
{css}
@page {{ size: {paper}; }}
{stylesheets()}
</style>
</head>
<body>
<header class="dz-cover">
<p class="dz-provider">{provider}</p>
<h1>{title}</h1>
<p class="dz-subtitle">Course dossier for continuing-education approval{delivery}, version
{escape(config.version)}</p>
<p class="dz-id">Course id: <code>{escape(config.id)}</code></p>
</header>
<nav class="dz-toc" aria-labelledby="dz-toc-title">
<h2 id="dz-toc-title">Contents</h2>
<ol>
{toc}
</ol>
</nav>
<main>
{body}
</main>
</body>
</html>
"""


def _facts(rows: list[tuple[str, str]]) -> str:
    items = "".join(f"<tr><th scope=\"row\">{term}</th><td>{value}</td></tr>"
                    for term, value in rows if value)
    return f'<table class="dz-facts">{items}</table>'


def _minutes(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


# --- the sections ------------------------------------------------------------------------------


def _course(ctx: _Context) -> str:
    config = ctx.course.config
    ce = config.ce
    assert ce is not None
    t = ctx.text
    rows = [
        ("Title", escape(config.title)),
        ("Version", escape(config.version)),
        ("Language", escape(config.language)),
        ("Provider", escape(ce.provider)),
        ("Format", about_format(ctx)),
        ("Level", escape(t.messages.get(f"level_{ce.level}", ce.level or "")) if ce.level else ""),
        ("CE hours", t.number(ce.hours) if ce.hours is not None else "not stated"),
        ("Ethics hours", t.number(ce.ethics_total) if ce.ethics_total else "none"),
        ("Authors", escape("; ".join(config.authors))),
    ]
    description = f"<p>{escape(config.description)}</p>" if config.description else ""
    approvals = about_section("approvals", ctx.course, t)
    return (f"{description}\n{_facts(rows)}\n<h3>Approvals</h3>\n"
            + (_demote(approvals) or "<p>No approval is listed in course.yml.</p>"))


def about_format(ctx: _Context) -> str:
    ce = ctx.course.config.ce
    return escape(format_label(ce.format, ctx.text.messages)) if ce and ce.format else ""


def _demote(section_html: str) -> str:
    """An About page section inside a dossier section: its own heading dropped."""
    return re.sub(r"<h3>.*?</h3>\n", "", section_html, count=1)


def handouts(course: Course, module_path: str) -> list[tuple[str, int | None]]:
    """The files a module links to besides its pictures (worksheets, forms, readings), each
    with its word count when it is text (None otherwise). The files of a video or audio
    (captions, poster) are part of the media, not handouts."""
    media = {name for block in course.blocks if block.media is not None
             for name in (block.media.src, block.media.captions, block.media.poster) if name}
    found = []
    for asset in sorted(course.assets.values(), key=lambda a: a.path):
        kind = mimetypes.guess_type(asset.path)[0] or ""
        if (asset.loc.path != module_path or asset.path in media
                or kind.startswith(("image/", "audio/", "video/"))):
            continue
        found.append((asset.path, _file_words(course, asset.path)))
    return found


def _file_words(course: Course, path: str) -> int | None:
    """The word count of a text file of the course (None for other files)."""
    kind = mimetypes.guess_type(path)[0] or ""
    if not (kind.startswith("text/") or path.endswith(".md")):
        return None
    try:
        return len((Path(course.root) / path).read_text(encoding="utf-8").split())
    except (OSError, UnicodeDecodeError):
        return None


def _resources(course: Course) -> str:
    """The handouts of assets/handouts/ as the course's Resources page lists them, with
    their type, size and, for text, word count: those no module links to are study too."""
    if not course.resources:
        return ""
    linked = {asset.path for asset in course.assets.values() if asset.loc.path != asset.path}
    items = []
    for resource in course.resources:
        words = _file_words(course, resource.path)
        size = resource.size / 1000
        facts = [resource.kind, f"{max(size, 0.1):.1f} kB" if size < 1000
                 else f"{size / 1000:.1f} MB"]
        if words is not None:
            facts.append(f"{words} words")
        if resource.path not in linked:
            facts.append("linked from no module")
        items.append(f"<li><code>{escape(resource.path)}</code> ({', '.join(facts)})</li>")
    return ("\n<h3>Handouts (the Resources page)</h3>\n<p>The learner finds every file of "
            "<code>assets/handouts/</code> on the course's Resources page:</p>\n"
            f'<ul class="dz-resources">{"".join(items)}</ul>')


def _outline(ctx: _Context) -> str:
    rows = []
    objectives = []
    for module in ctx.course.modules:
        pages = "<br>".join(escape(p.title) for p in module.pages)
        stated = str(module.minutes) if module.minutes is not None else "—"
        kind = "" if module.kind is ModuleKind.CONTENT else " (written by ceforge)"
        files = "<br>".join(
            f"<code>{escape(path)}</code>" + (f" ({words} words)" if words is not None else "")
            for path, words in handouts(ctx.course, module.path)
        ) if not module.generated else ""
        rows.append(f"<tr><td>{escape(module.title)}{kind}</td><td>{pages}</td>"
                    f'<td>{files}</td><td class="dz-num">{stated}</td></tr>')
        if module.objectives:
            items = "".join(f"<li>{escape(o)}</li>" for o in module.objectives)
            objectives.append(f"<h4>{escape(module.title)}</h4>\n<ul>{items}</ul>")
    table = ('<table class="dz-table"><thead><tr><th scope="col">Module</th>'
             '<th scope="col">Pages</th><th scope="col">Handouts</th>'
             '<th scope="col">Minutes stated</th></tr></thead>'
             f"<tbody>{''.join(rows)}</tbody></table>")
    return ("<h3>Learning objectives, by module</h3>\n" + "\n".join(objectives)
            + "\n<h3>Course outline</h3>\n" + table + _resources(ctx.course))


def _credit(ctx: _Context) -> str:
    ce = ctx.course.config.ce
    assert ce is not None
    times = course_time(ctx.course)
    rows = []
    for time in times:
        stated = str(time.stated) if time.stated is not None else "—"
        rows.append(
            f"<tr><td>{escape(time.module.title)}</td><td class=\"dz-num\">{time.words}</td>"
            f'<td class="dz-num">{_media_cell(time)}</td><td class="dz-num">{time.questions}</td>'
            f'<td class="dz-num">{stated}</td><td class="dz-num">{_minutes(time.estimate)}</td>'
            f'<td class="dz-num">{_minutes(time.minutes)}</td></tr>'
        )
    words = sum(t.words for t in times)
    questions = sum(t.questions for t in times)
    total = sum(t.minutes for t in times)
    estimate = sum(t.estimate for t in times)
    media_total = _running(sum(t.media_seconds for t in times))
    rows.append(
        f'<tr class="dz-total"><th scope="row">Total</th><td class="dz-num">{words}</td>'
        f'<td class="dz-num">{media_total}</td>'
        f'<td class="dz-num">{questions}</td><td></td><td class="dz-num">{_minutes(estimate)}</td>'
        f'<td class="dz-num">{_minutes(total)}</td></tr>'
    )
    table = (
        '<table class="dz-table"><thead><tr><th scope="col">Module</th>'
        '<th scope="col">Words</th><th scope="col">Media running time</th>'
        '<th scope="col">Questions</th><th scope="col">Minutes stated</th>'
        '<th scope="col">Minutes estimated</th><th scope="col">Minutes counted</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    hours = ce.hours
    claimed = (f"The course claims <strong>{ctx.text.number(hours)} CE hours</strong> "
               f"({_minutes(hours * 60)} minutes); the modules count "
               f"<strong>{_minutes(total)} minutes</strong> ({_minutes(total / 60)} hours)."
               if hours is not None else "The course states no CE hours (ce.hours).")
    method = (
        "<p>How the minutes are counted: a module's <em>minutes stated</em> are the author's "
        "own figure (the module's front matter); where a module states none, its estimate "
        "counts. The estimate reads the words a learner reads (page text and the "
        "introductions of its blocks; the transcript of a video or audio stands for its "
        "running time and is not counted again) and the questions they answer (every question "
        "of a knowledge check or the evaluation; of the post-test, the questions one attempt "
        f"draws), at <strong>{WORDS_PER_MINUTE} words a minute</strong> and "
        f"<strong>{MINUTES_PER_QUESTION:g} minute a question</strong>, and the audio and video "
        "it plays, <strong>counted at their running time</strong> (minutes:seconds, read from "
        "each file). The words column counts every word on the module's pages. Where a "
        "module's stated minutes exceed its estimate, the difference is study the estimate "
        "cannot see (handouts, exercises, reflection, playing media again), which the "
        "module's pages describe; the outline above lists each module's handouts with their "
        "word counts.</p>"
    )
    found = [d for d in ctx.checked.diagnostics if d.code.code.startswith("ce.")]
    if found:
        verdict = ("<p><code>ceforge check</code> says of the CE rules:</p>\n"
                   '<ul class="dz-check">'
                   + "".join(f"<li><code>{escape(str(d))}</code></li>" for d in found) + "</ul>")
    else:
        verdict = ("<p><code>ceforge check</code> finds nothing against the CE rules (hours "
                   "against the modules' minutes, questions per hour, pass mark, evaluation, "
                   "attestation, presenters, references).</p>")
    return f"<p>{claimed}</p>\n{table}\n{_media_list(times)}{method}\n{verdict}"


def _running(seconds: float) -> str:
    """A running time as minutes:seconds (rounded to the second)."""
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def _media_cell(time: ModuleTime) -> str:
    if not time.media:
        return "—"
    cell = _running(time.media_seconds) if len(time.unread_media) < len(time.media) else ""
    if time.unread_media:
        cell += (" + " if cell else "") + f"{len(time.unread_media)} unknown"
    return cell


def _media_list(times: list[ModuleTime]) -> str:
    """Each audio and video of the course with its running time, or why it is not counted."""
    items = []
    for time in times:
        for media in time.media:
            length = (f"{media.seconds:.1f} seconds" if media.seconds is not None
                      else f"running time unknown, not counted: {escape(media.unread)}")
            items.append(f"<li><code>{escape(media.src)}</code> ({media.kind}, "
                         f"{escape(time.module.title)}): {length}</li>")
    if not items:
        return ""
    return ('<p>The audio and video of the modules:</p>\n<ul class="dz-media">'
            + "".join(items) + "</ul>\n")


def _presenters(ctx: _Context) -> str:
    parts = [_demote(about_section("presenters", ctx.course, ctx.text))]
    disclosures = about_section("disclosures", ctx.course, ctx.text)
    if disclosures:
        parts.append("<h3>Disclosures</h3>\n" + _demote(disclosures))
    return "\n".join(p for p in parts if p)


def _requirements(ctx: _Context) -> str:
    steps = credit_steps(ctx.course, ctx.text)
    rules = effective_completion(ctx.course)
    items = "".join(f"<li>{step}</li>" for step in steps)
    rows = [
        ("Pass mark", ctx.text.percent(ctx.course.config.passing_score)
         if rules.test == "pass" else ""),
        ("Every content page viewed", "required" if rules.pages else "not required"),
        ("Minimum time in the course",
         f"{ctx.text.number(rules.min_minutes)} minutes" if rules.min_minutes else "none"),
    ]
    return ("<p>As the learner reads them on the course's About page:</p>\n"
            f'<ol class="dz-steps">{items}</ol>\n{_facts(rows)}')


def _block_heading(block: Block, module_title: str) -> str:
    facts = [f"block <code>{escape(block.id)}</code>", f"in {escape(module_title)}"]
    if block.kind is BlockKind.TEST:
        pool = len(block.questions)
        drawn = min(block.draw, pool) if block.draw else pool
        facts.append(f"{drawn} of {pool} questions drawn for each attempt")
        points = sum(q.points for q in block.questions)
        facts.append(f"{_minutes(points)} points in the pool")
        facts.append(f"{block.attempts} attempts" if block.attempts else "unlimited attempts")
        facts.append("questions and choices shuffled" if block.shuffle else "in the order below")
    return '<p class="dz-block-facts">' + "; ".join(facts) + "</p>"


def _blocks(ctx: _Context, kind: BlockKind, key: bool) -> str:
    parts = []
    number = 0
    for module in ctx.course.modules:
        for block in module.blocks:
            if block.kind is not kind:
                continue
            parts.append(_block_heading(block, module.title))
            if block.intro_html:
                parts.append(f'<div class="dz-intro">{block.intro_html}</div>')
            for question in block.questions:
                number += 1
                parts.append(_question(number, question, key))
    return "\n".join(parts)


_TYPE_NAMES = {
    QuestionType.CHOICE: "single choice",
    QuestionType.MULTIPLE_CHOICE: "select all that apply",
    QuestionType.TRUE_FALSE: "true or false",
    QuestionType.FILL_IN: "fill in",
    QuestionType.NUMERIC: "numeric",
    QuestionType.MATCHING: "matching",
    QuestionType.SEQUENCING: "put in order",
    QuestionType.LIKERT: "rating scale",
    QuestionType.ESSAY: "free text",
}


def _question(number: int, q: Question, key: bool) -> str:
    unit = "point" if q.points == 1 else "points"
    points = f"; {_minutes(q.points)} {unit}" if q.type.gradable and key else ""
    head = (f'<p class="dz-q-head"><span class="dz-q-number">{number}.</span> '
            f'<code class="dz-q-id">{escape(q.id)}</code> '
            f'<span class="dz-q-type">({_TYPE_NAMES[q.type]}{points})</span></p>')
    parts = [head, f'<div class="dz-q-prompt">{q.prompt_html}</div>']
    if q.stem_html:
        parts.append(f'<div class="dz-q-stem">{q.stem_html}</div>')
    parts.append(_answers(q, key))
    if key and q.feedback_html:
        parts.append(f'<div class="dz-feedback"><strong>Feedback:</strong> {q.feedback_html}</div>')
    return f'<div class="dz-question" id="q-{escape(q.id)}">' + "\n".join(parts) + "</div>"


def _answers(q: Question, key: bool) -> str:
    if q.type in (QuestionType.CHOICE, QuestionType.MULTIPLE_CHOICE, QuestionType.TRUE_FALSE,
                  QuestionType.LIKERT):
        items = []
        for choice in q.choices:
            mark = ('<span class="dz-key">✓ correct</span> ' if key and choice.correct else "")
            feedback = (f'<div class="dz-feedback">{choice.feedback_html}</div>'
                        if key and choice.feedback_html else "")
            cls = ' class="dz-correct"' if key and choice.correct else ""
            items.append(f"<li{cls}>{mark}{choice.html}{feedback}</li>")
        return f'<ol class="dz-choices" type="a">{"".join(items)}</ol>'
    if q.type is QuestionType.SEQUENCING:
        order = "".join(f"<li>{c.html}</li>" for c in q.choices)
        label = "Correct order" if key else "Items"
        return f'<p class="dz-key-label">{label}:</p><ol class="dz-order">{order}</ol>'
    if q.type is QuestionType.MATCHING:
        rows = "".join(f"<tr><td>{p.source.html}</td><td>{p.target.html}</td></tr>"
                       for p in q.pairs)
        return ('<table class="dz-table dz-pairs"><thead><tr><th scope="col">Item</th>'
                f'<th scope="col">Matches</th></tr></thead><tbody>{rows}</tbody></table>')
    if not key:
        return ""
    if q.type is QuestionType.FILL_IN:
        answers = ", ".join(f"<q>{escape(a)}</q>" for a in q.answers)
        return ('<p><span class="dz-key">Accepted answers</span> (case and extra spaces '
                f"ignored): {answers}</p>")
    if q.type is QuestionType.NUMERIC and q.numeric is not None:
        low, high = q.numeric.low, q.numeric.high
        value = f"{low:g}" if low == high else f"from {low:g} to {high:g} inclusive"
        return f'<p><span class="dz-key">Accepted answer</span>: {value}</p>'
    return ""


def _post_test(ctx: _Context) -> str:
    body = _blocks(ctx, BlockKind.TEST, key=True)
    if not body:
        return ""
    return ("<p>The whole pool, each question numbered with its id, its correct answers marked "
            "and its feedback as the learner sees it after answering.</p>\n" + body)


def _knowledge_checks(ctx: _Context) -> str:
    body = _blocks(ctx, BlockKind.QUIZ, key=True)
    if not body:
        return ""
    return ("<p>Ungraded questions within the modules: they do not count toward credit.</p>\n"
            + body)


def _evaluation(ctx: _Context) -> str:
    return _blocks(ctx, BlockKind.SURVEY, key=False)


def _attestation(ctx: _Context) -> str:
    parts = []
    for module in ctx.course.modules:
        for block in module.blocks:
            if block.kind is BlockKind.ATTESTATION:
                parts.append(f'<blockquote class="dz-attestation">{block.intro_html}'
                             "</blockquote>")
    return "\n".join(parts)


def _support(ctx: _Context) -> str:
    parts: list[str] = []
    for name, heading in (("accommodations", "Accommodations"), ("grievance", "Grievance policy"),
                          ("contact", "Contact")):
        html = about_section(name, ctx.course, ctx.text)
        if html:
            parts.append(f"<h3>{heading}</h3>\n{_demote(html)}")
    return "\n".join(parts)


def _certificate(ctx: _Context) -> str:
    if not ctx.course.config.issues_certificate:
        return ""
    logo = ctx.course.config.theme.logo or ""
    return ('<p>The certificate as the course prints it, here for a sample learner '
            f"({escape(SAMPLE_NAME)}, completed {ctx.sample.completed.isoformat()}). The "
            "verification code of a real certificate is drawn at completion and recorded with "
            "it; the sample's matches no record.</p>\n"
            '<div class="cf-page cf-printed dz-sample">'
            f"{certificate_html(ctx.course, ctx.sample, logo=logo)}</div>")


def _references(ctx: _Context) -> str:
    parts: list[str] = []
    for module in ctx.course.modules:
        if module.kind is ModuleKind.REFERENCES:
            parts.extend(page.html for page in module.pages)
    return "\n".join(parts)


#: The sections of the dossier in their order: anchor, title, what writes it (an empty
#: section is left out of the document and its contents).
SECTIONS: list[Section] = [
    ("course", "The course", _course),
    ("outline", "Objectives and outline", _outline),
    ("credit", "Credit calculation", _credit),
    ("presenters", "Presenters and disclosures", _presenters),
    ("requirements", "Requirements for credit", _requirements),
    ("post-test", "Post-test with answer key", _post_test),
    ("knowledge-checks", "Knowledge checks", _knowledge_checks),
    ("evaluation", "Course evaluation", _evaluation),
    ("attestation", "Attestation", _attestation),
    ("support", "Accommodations, grievances and contact", _support),
    ("certificate", "Sample certificate", _certificate),
    ("references", "References", _references),
]
