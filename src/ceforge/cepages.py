"""The pages a CE course has besides its modules: "About this course", written from
``course.yml``, and "References", written from the list ``ce.references``.

What the approving bodies ask a home-study course to tell its learners (``../shared/CE.md``:
purpose, format, hours, level, objectives, presenters and their qualifications, disclosures,
how to earn credit, accommodations, grievances, approvals, how to reach the provider) is said
once in ``course.yml``; this module turns it into a page of the course, in the course's
language (``ceforge.catalogues``). Each page is a module of its own (``ModuleKind.ABOUT`` and
``ModuleKind.REFERENCES``) with one page, which ``pages: all`` does not require: neither holds
back the attestation. The About page comes first and the References page last, unless the
words ``about`` and ``references`` in ``modules`` place them.

Markdown in ``course.yml`` values (a bio, a policy) is rendered like a module's, its local
links and images checked and shipped like a module's (relative to the course folder); a value
that is only a web address becomes a link.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import ClassVar, Protocol

from markdown_it.token import Token

from ceforge import markdown
from ceforge.catalogues import format_message, messages_for
from ceforge.completion import effective_completion
from ceforge.config import CE, COURSE_FILE, FORMATS, Approval, Contact, Presenter, did_you_mean
from ceforge.diagnostics import Code, Reporter, SourceLocation
from ceforge.model import Course, Module, ModuleKind, Page

ABOUT = "about"
REFERENCES = "references"
#: The words of ``modules`` that place the generated pages.
PLACES = (ABOUT, REFERENCES)

_URL_ONLY = re.compile(r"^https?://\S+$")
_NONE = re.compile(r"^\s*none\.?\s*$", re.IGNORECASE)


class LinkChecker(Protocol):
    """What the loader's ``Links`` does for a module, here for ``course.yml``."""

    def local_url(self, url: str, loc: SourceLocation) -> str | None: ...

    def rewrite_html(self, html: str, loc: SourceLocation) -> str: ...


@dataclass(frozen=True)
class Slot:
    """Where ``modules`` places a generated page: before the module at ``index``."""

    index: int
    loc: SourceLocation


def add_pages(
    course: Course, slots: dict[str, Slot], links: LinkChecker, reporter: Reporter
) -> None:
    """Mark the module that holds the references, and put the generated pages of a CE course
    in their places (the words ``about`` and ``references`` of a course without ``ce`` are
    errors)."""
    ce = course.config.ce
    if ce is None:
        for word, slot in slots.items():
            reporter.report(
                slot.loc,
                Code.CONFIG_BAD_VALUE,
                f"modules: {word!r} places a page ceforge writes from the course's ce: "
                "metadata, and this course has no 'ce:'",
            )
        return
    _mark_references(course, ce, reporter)
    text = Text(course.config.language, YamlMarkdown(course, links))
    pages = [(ABOUT, about_module(course, ce, text))]
    if ce.references:
        pages.append((REFERENCES, references_module(course, ce, text)))
    elif REFERENCES in slots:
        reporter.report(
            slots[REFERENCES].loc,
            Code.CONFIG_BAD_VALUE,
            "modules: 'references' places the References page that ceforge writes from a "
            "list under ce.references"
            + (
                f", but ce.references names the module {ce.references_module!r}: list that "
                "module here instead"
                if ce.references_module
                else ", and the course has none"
            ),
        )
    # Insert from the last place to the first, so that each index still counts the modules
    # that were before it in course.yml (two pages at one place: in course.yml's order).
    end = len(course.modules)
    default = {ABOUT: (0, 0), REFERENCES: (end, 1 << 30)}
    placed = sorted(
        (
            ((slots[word].index, slots[word].loc.line) if word in slots else default[word])
            + (module,)
            for word, module in pages
        ),
        key=lambda item: item[:2],
        reverse=True,
    )
    for index, _line, module in placed:
        course.modules.insert(index, module)


def _mark_references(course: Course, ce: CE, reporter: Reporter) -> None:
    if ce.references_module is None:
        return
    wanted = posixpath.normpath(ce.references_module.replace("\\", "/"))
    for module in course.modules:
        if module.path == wanted:
            module.kind = ModuleKind.REFERENCES
            return
    loc = SourceLocation(COURSE_FILE, course.config.lines.get("ce.references", 1))
    candidates = [m.path for m in course.modules]
    reporter.report(
        loc,
        Code.CONFIG_BAD_VALUE,
        f"ce.references: {ce.references_module!r} is not one of the course's modules"
        f"{did_you_mean(wanted, candidates)}; name the module that holds the references, or "
        "list them",
    )


# --- text in the course's language --------------------------------------------------------------


class YamlMarkdown:
    """Markdown values of ``course.yml``, rendered with their links checked at their key."""

    def __init__(self, course: Course, links: LinkChecker) -> None:
        self.lines = course.config.lines
        self.links = links

    def loc(self, key: str) -> SourceLocation:
        while key and key not in self.lines:
            key = key.rpartition(".")[0]
        return SourceLocation(COURSE_FILE, self.lines.get(key, 1))

    def block(self, key: str, text: str) -> str:
        """A value as HTML blocks (paragraphs, lists …)."""
        if _URL_ONLY.match(text.strip()):
            url = escape(text.strip())
            return f'<p><a href="{url}">{url}</a></p>'
        tokens = markdown.parse(text)
        self._check(tokens, self.loc(key))
        return markdown.render(tokens)

    def inline(self, key: str, text: str) -> str:
        """A one-paragraph value as inline HTML (a reference)."""
        html = self.block(key, text)
        if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            return html[3:-4]
        return html

    def _check(self, tokens: list[Token], loc: SourceLocation) -> None:
        for token in markdown.walk(tokens):
            attr = "src" if token.type == "image" else "href" if token.type == "link_open" else ""
            if attr:
                new = self.links.local_url(str(token.attrGet(attr) or ""), loc)
                if new is not None:
                    token.attrSet(attr, new)
            elif token.type in ("html_block", "html_inline"):
                token.content = self.links.rewrite_html(token.content, loc)


class Text:
    """The UI strings of the course's language, and numbers written the way it writes them."""

    #: Decimal mark and the space before "%", as CLDR has them for the catalogues ceforge ships
    #: (English writes 7.5 and 80%; Spanish and German 7,5 and 80 %; French 80 % with a narrow
    #: space; Portuguese 7,5 and 80%).
    NUMBERS: ClassVar[dict[str, tuple[str, str]]] = {
        "en": (".", ""),
        "pt": (",", ""),
        "fr": (",", "\u202f"),
    }
    OTHER = (",", "\u00a0")

    def __init__(self, language: str, md: YamlMarkdown | None = None) -> None:
        self.messages = messages_for(language)
        self.mark, self.percent_space = self.NUMBERS.get(language.split("-")[0].lower(),
                                                         self.OTHER)
        self.md = md

    def __call__(self, key: str, **params: object) -> str:
        return escape(format_message(self.messages[key], **params))

    def number(self, value: float) -> str:
        text = f"{round(value, 2):g}" if abs(value) < 1e15 else str(value)
        return text.replace(".", self.mark)

    def percent(self, fraction: float) -> str:
        return self.number(round(fraction * 100, 1)) + self.percent_space + "%"


def level_label(level: str, messages: dict[str, str]) -> str:
    return messages.get(f"level_{level}", level)


def format_label(value: str, messages: dict[str, str]) -> str:
    """A known format in the course's language; any other label as written."""
    return messages[f"format_{value}"] if value in FORMATS else value


def approval_label(approval: Approval, messages: dict[str, str]) -> str:
    return approval.label or messages["approval_label"]


def presenter_heading(presenter: Presenter) -> str:
    return presenter.name + (f", {presenter.credentials}" if presenter.credentials else "")


# --- About this course --------------------------------------------------------------------------


def about_module(course: Course, ce: CE, text: Text) -> Module:
    loc = SourceLocation(COURSE_FILE, course.config.lines.get("ce", 1))
    sections = ABOUT_SECTIONS.values()
    html = "\n".join(part for part in (section(course, ce, text) for section in sections) if part)
    title = text.messages["about_title"]
    module = Module(
        id=ABOUT, title=title, path=COURSE_FILE, loc=loc, kind=ModuleKind.ABOUT, generated=True
    )
    module.pages = [Page(id=ABOUT, title=title, html=html, loc=loc)]
    return module


def _section(heading: str, body: str) -> str:
    # ### headings: the runtime shows a page's headings one level up (h2 under the page's h1).
    return f'<section class="cf-about-section">\n<h3>{heading}</h3>\n{body}\n</section>'


def _facts(rows: list[tuple[str, str]]) -> str:
    items = "".join(f"<div class=\"cf-fact\"><dt>{term}</dt><dd>{value}</dd></div>"
                    for term, value in rows)
    return f'<dl class="cf-facts cf-about-facts">{items}</dl>'


def _purpose(course: Course, ce: CE, t: Text) -> str:
    config = course.config
    rows = []
    if ce.format:
        rows.append((t("ce_format"), escape(format_label(ce.format, t.messages))))
    if ce.hours is not None:
        rows.append((t("ce_hours"), t.number(ce.hours)))
    if ce.ethics_total:
        rows.append((t("ce_ethics_hours"), t.number(ce.ethics_total)))
    if ce.level:
        rows.append((t("ce_level"), escape(level_label(ce.level, t.messages))))
    if ce.provider:
        rows.append((t("ce_provider"), escape(ce.provider)))
    rows.append((t("ce_version"), escape(config.version)))
    lead = f'<p class="cf-lead">{escape(config.description)}</p>\n' if config.description else ""
    return lead + _facts(rows)


def _objectives(course: Course, ce: CE, t: Text) -> str:
    items = []
    for module in course.modules:
        if module.kind is not ModuleKind.CONTENT or not module.objectives:
            continue
        objectives = "".join(f"<li>{escape(o)}</li>" for o in module.objectives)
        items.append(f"<li><strong>{escape(module.title)}</strong><ul>{objectives}</ul></li>")
    if not items:
        return ""
    listed = "".join(items)
    return _section(t("objectives_heading"), f'<ul class="cf-about-objectives">{listed}</ul>')


def _presenters(course: Course, ce: CE, t: Text) -> str:
    if not ce.presenters or t.md is None:
        return ""
    parts = []
    for index, presenter in enumerate(ce.presenters):
        key = f"ce.presenters.{index}"
        part = [f"<h4>{escape(presenter_heading(presenter))}</h4>"]
        if presenter.role:
            part.append(f'<p class="cf-hint">{escape(presenter.role)}</p>')
        if presenter.bio:
            part.append(t.md.block(key + ".bio", presenter.bio))
        if presenter.disclosures:
            body = (
                f"<p>{t('about_presenter_nothing')}</p>"
                if _NONE.match(presenter.disclosures)
                else t.md.block(key + ".disclosures", presenter.disclosures)
            )
            part.append(f'<div class="cf-about-disclosure"><p><strong>'
                        f'{t("about_presenter_disclosures")}</strong></p>\n{body}</div>')
        parts.append('<div class="cf-about-presenter">' + "\n".join(part) + "</div>")
    return _section(t("about_presenters"), "\n".join(parts))


def _disclosures(course: Course, ce: CE, t: Text) -> str:
    if not ce.disclosures or t.md is None:
        return ""
    if _NONE.match(ce.disclosures):
        return _section(t("about_disclosures"), f"<p>{t('about_disclosures_none')}</p>")
    return _section(t("about_disclosures"), t.md.block("ce.disclosures", ce.disclosures))


def credit_steps(course: Course, t: Text) -> list[str]:
    """What a learner does to earn the credit, from the completion rules in effect (as HTML
    text in the course's language)."""
    rules = effective_completion(course)
    steps = []
    if rules.pages:
        steps.append(t("about_credit_pages"))
    test = course.test
    if test is not None and rules.test != "none":
        step = (
            t("about_credit_test_pass", percent=t.percent(course.config.passing_score))
            if rules.test == "pass"
            else t("about_credit_test_attempt")
        )
        if test.attempts:
            step += " " + t("about_credit_attempts", count=test.attempts)
        steps.append(step)
    if rules.evaluation:
        steps.append(t("about_credit_evaluation"))
    if rules.min_minutes:
        steps.append(t("about_credit_minutes", minutes=t.number(rules.min_minutes)))
    if rules.attestation:
        steps.append(t("about_credit_attestation"))
    certificate = course.config.certificate
    if course.config.issues_certificate:
        for field in certificate.collect if certificate else ():
            steps.append(t(f"about_credit_{field}"))
        steps.append(t("about_credit_certificate"))
    return steps


def _credit(course: Course, ce: CE, t: Text) -> str:
    steps = credit_steps(course, t)
    if not steps:
        return ""
    items = "".join(f"<li>{step}</li>" for step in steps)
    return _section(t("about_credit"), f'<ol class="cf-about-credit">{items}</ol>')


def _accommodations(course: Course, ce: CE, t: Text) -> str:
    if not ce.accommodations or t.md is None:
        return ""
    return _section(t("about_accommodations"), t.md.block("ce.accommodations", ce.accommodations))


def _grievance(course: Course, ce: CE, t: Text) -> str:
    if not ce.grievance or t.md is None:
        return ""
    return _section(t("about_grievance"), t.md.block("ce.grievance", ce.grievance))


def approval_hours(approval: Approval, ce: CE, t: Text) -> str:
    """The hours an approval grants, when they are not the course's (empty otherwise)."""
    hours = approval.hours if approval.hours is not None else ce.hours
    ethics = approval.ethics_hours if approval.ethics_hours is not None else ce.ethics_total
    if (approval.hours is None and approval.ethics_hours is None) or hours is None:
        return ""
    if ethics:
        return t("approval_hours_ethics", hours=t.number(hours), ethics=t.number(ethics))
    return t("approval_hours", hours=t.number(hours))


def _approvals(course: Course, ce: CE, t: Text) -> str:
    if not ce.approvals:
        return ""
    parts = []
    for approval in ce.approvals:
        part = [f"<h4>{escape(approval.body)}</h4>"]
        if approval.number:
            label = escape(approval_label(approval, t.messages))
            part.append(f"<p>{label} {escape(approval.number)}</p>")
        hours = approval_hours(approval, ce, t)
        if hours:
            part.append(f"<p>{hours}</p>")
        if approval.statement:
            part.append(f'<p class="cf-about-statement">{escape(approval.statement)}</p>')
        parts.append('<div class="cf-about-approval">' + "\n".join(part) + "</div>")
    return _section(t("about_approvals"), "\n".join(parts))


def _contact(course: Course, ce: CE, t: Text) -> str:
    contact: Contact = ce.contact
    if not contact and not ce.provider:
        return ""
    lines = [escape(ce.provider)] if ce.provider else []
    if contact.address:
        lines += [escape(line.strip()) for line in contact.address.splitlines() if line.strip()]
    if contact.email:
        email = escape(contact.email)
        lines.append(f'<a href="mailto:{email}">{email}</a>')
    if contact.phone:
        digits = re.sub(r"[^0-9+]", "", contact.phone)
        phone = escape(contact.phone)
        lines.append(f'<a href="tel:{digits}">{phone}</a>' if digits else phone)
    if contact.website:
        url = escape(contact.website)
        lines.append(f'<a href="{url}">{url}</a>')
    return _section(t("about_contact"), "<address>" + "<br>\n".join(lines) + "</address>")


#: The sections of the About page in their order, by name (the provider's dossier shows them
#: too, each where a board's form asks for it).
ABOUT_SECTIONS: dict[str, Callable[[Course, CE, Text], str]] = {
    "purpose": _purpose,
    "objectives": _objectives,
    "presenters": _presenters,
    "disclosures": _disclosures,
    "credit": _credit,
    "accommodations": _accommodations,
    "grievance": _grievance,
    "approvals": _approvals,
    "contact": _contact,
}


def about_section(name: str, course: Course, text: Text) -> str:
    """One section of the About page of a CE course (empty when it has nothing to say)."""
    ce = course.config.ce
    return ABOUT_SECTIONS[name](course, ce, text) if ce is not None else ""


# --- References ---------------------------------------------------------------------------------


def references_module(course: Course, ce: CE, text: Text) -> Module:
    loc = SourceLocation(COURSE_FILE, course.config.lines.get("ce.references", 1))
    items = []
    for index, reference in enumerate(ce.references):
        html = text.md.inline(f"ce.references.{index}", reference) if text.md else ""
        items.append(f"<li>{html}</li>")
    html = f'<ul class="cf-references">{"".join(items)}</ul>'
    title = text.messages["references_title"]
    module = Module(
        id=REFERENCES,
        title=title,
        path=COURSE_FILE,
        loc=loc,
        kind=ModuleKind.REFERENCES,
        generated=True,
    )
    module.pages = [Page(id=REFERENCES, title=title, html=html, loc=loc)]
    return module
