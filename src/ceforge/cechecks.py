"""The continuing-education rules of ``ceforge check``: what the approving bodies ask of a
home-study course (``../shared/CE.md``, which cites each body's own pages), as warnings with
codes of their own (``ce.*``; ``--strict`` fails on them).

Each rule is a small named function in ``CE_CHECKS``, run only for a course with ``ce:``;
each warning is reported at the line of the key or block that causes it, and names the body
whose rule it is. A rule of one body (APA, ASWB) applies only when that body is among
``ce.approvals``: an approval whose ``body`` names it (``BODIES``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator

from ceforge import credit
from ceforge.config import CE, COURSE_FILE, Approval
from ceforge.diagnostics import Code, Reporter, SourceLocation
from ceforge.model import BlockKind, Course, Module, ModuleKind, Page

#: How ceforge recognises an approving body in ``ce.approvals[].body``.
BODIES = {
    "APA": re.compile(r"\bAPA\b|American Psychological Association", re.IGNORECASE),
    "ASWB": re.compile(r"\bASWB\b|Association of Social Work Boards", re.IGNORECASE),
    "NBCC": re.compile(r"\bNBCC\b|National Board for Certified Counselors", re.IGNORECASE),
}
#: APA's recommendations for home study (APA CE sponsor FAQ).
APA_PASS_MARK = 0.75
APA_QUESTIONS_PER_HOUR = 6
#: CE hours are given in quarter hours at the finest: a smaller difference is rounding.
HOURS_TOLERANCE_MINUTES = 15

#: What ``ceforge new`` writes in ``course.yml`` where only the provider knows the answer
#: (``ceforge.scaffold`` fills its template with them, so the two cannot drift): ``ceforge check``
#: warns while one is left (``ce.placeholder``): a new course checks clean, but not ``--strict``.
PLACEHOLDERS = {
    "provider": "Your organisation",
    "email": "ce@example.org",
    "phone": "+1 555 0100",
    "presenter_name": "Presenter Name",
    "presenter_credentials": "Degree, license",
    "presenter_bio": (
        "Replace with a short biography that shows the qualifications of the presenter."
    ),
    "presenter_disclosures": (
        "Replace with the relevant relationships of the presenter, or write none."
    ),
    "disclosures": (
        "Replace with any conflict of interest or commercial support, or write none."
    ),
    "accommodations": "Replace with how a learner asks for an accommodation.",
    "grievance": "Replace with your grievance policy, or its web address.",
    "reference": "Replace with a reference, in the citation style your board expects.",
    "body": "Your approving board",
    "number": "0000",
    "statement": "Replace with the approval statement, word for word as the board gives it.",
    "signer": "Signer Name",
    "signer_title": "Title of the signer",
}

CeCheck = Callable[[Course, CE, Reporter], None]


def _loc(course: Course, key: str) -> SourceLocation:
    lines = course.config.lines
    while key and key not in lines:
        key = key.rpartition(".")[0]
    return SourceLocation(COURSE_FILE, lines.get(key, 1))


def approval_of(ce: CE, body: str) -> Approval | None:
    """The approval of ``body`` (a key of ``BODIES``), or None when it is not among them."""
    pattern = BODIES[body]
    return next((a for a in ce.approvals if pattern.search(a.body)), None)


def content_modules(course: Course) -> Iterator[Module]:
    return (m for m in course.modules if m.kind is ModuleKind.CONTENT)


# --- what every body asks ------------------------------------------------------------------------


def assessment(course: Course, ce: CE, reporter: Reporter) -> None:
    loc = _loc(course, "ce")
    if course.test is None:
        reporter.report(
            loc,
            Code.CE_NO_TEST,
            "a CE course needs a post-test ('::: test'): NBCC asks for the test and its answer "
            "key, APA for 6 to 8 questions per credit hour",
        )
    if not course.blocks_of(BlockKind.SURVEY):
        reporter.report(
            loc,
            Code.CE_NO_EVALUATION,
            "a CE course needs a course evaluation ('::: survey'): ASWB, NBCC and APA ask "
            "for one",
        )
    if not course.blocks_of(BlockKind.ATTESTATION):
        reporter.report(
            loc,
            Code.CE_NO_ATTESTATION,
            "a CE course needs an attestation ('::: attestation') in which the learner affirms "
            "having completed the course, the record behind the certificate",
        )


def objectives(course: Course, ce: CE, reporter: Reporter) -> None:
    for module in content_modules(course):
        if (
            module.pages
            and module.front_matter_read
            and not module.objectives
            and not _is_assessment_only(module)
        ):
            reporter.report(
                module.loc,
                Code.CE_NO_OBJECTIVES,
                f"module {module.id!r} of a CE course has no learning objectives "
                "('objectives:' in its front matter); ASWB asks for learning outcomes",
            )


def _is_assessment_only(module: Module) -> bool:
    """A module made only of a test, survey or attestation needs no objectives of its own."""
    kinds = {b.kind for b in module.blocks}
    return bool(kinds) and kinds <= {BlockKind.TEST, BlockKind.SURVEY, BlockKind.ATTESTATION}


def hours(course: Course, ce: CE, reporter: Reporter) -> None:
    if not ce.hours:
        reporter.report(
            _loc(course, "ce.hours"),
            Code.CE_NO_HOURS,
            "ce.hours is " + ("0" if ce.hours == 0 else "missing")
            + ": the certificate must state the CE hours awarded (ASWB, NBCC, APA)",
        )
        return
    times = credit.course_time(course)
    total = sum(t.minutes for t in times)
    claimed = ce.hours * 60
    if abs(claimed - total) < HOURS_TOLERANCE_MINUTES:
        return
    stated = [t for t in times if t.stated is not None]
    estimated = [t for t in times if t.stated is None]
    parts = []
    if stated:
        parts.append(f"the minutes of {_count(len(stated), 'module')}")
    if estimated:
        names = ", ".join(t.module.id for t in estimated)
        unread = credit.unread_note(estimated)
        parts.append(
            f"an estimate for {_count(len(estimated), 'module')} without minutes, {names} "
            f"({credit.assumptions()}{'; ' + unread if unread else ''})"
        )
    more = "more" if claimed > total else "fewer"
    reporter.report(
        _loc(course, "ce.hours"),
        Code.CE_HOURS_MISMATCH,
        f"ce.hours is {ce.hours:g} ({claimed:g} minutes), {more} than the {total:.0f} minutes "
        f"the modules take: {' and '.join(parts)}. Boards ask how the credit was calculated "
        "(NBCC: the credit calculation and word count): give each module its 'minutes:'",
    )


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _hours(hours: float) -> str:
    return f"{hours:g} hour" if hours == 1 else f"{hours:g} hours"


def delivery_format(course: Course, ce: CE, reporter: Reporter) -> None:
    if not ce.format:
        reporter.report(
            _loc(course, "ce"),
            Code.CE_NO_FORMAT,
            "no ce.format: ASWB ACE approves a course for one delivery format and the "
            "certificate must show it (self-study, online-asynchronous, home-study or your "
            "own label)",
        )


def presenters(course: Course, ce: CE, reporter: Reporter) -> None:
    if not ce.presenters:
        reporter.report(
            _loc(course, "ce"),
            Code.CE_NO_PRESENTER,
            "no ce.presenters: ASWB asks for a presenter bio with credentials, NBCC for the "
            "presenter's qualifications, and state boards for the presenters on the certificate",
        )
    for index, presenter in enumerate(ce.presenters):
        missing = [key for key in ("credentials", "bio") if not getattr(presenter, key)]
        if missing:
            reporter.report(
                _loc(course, f"ce.presenters.{index}"),
                Code.CE_PRESENTER_INCOMPLETE,
                f"presenter {presenter.name!r} has no {' and no '.join(missing)}: ASWB asks for "
                "a bio with credentials, NBCC for the presenter's qualifications",
            )


def references(course: Course, ce: CE, reporter: Reporter) -> None:
    if not ce.references and ce.references_module is None:
        reporter.report(
            _loc(course, "ce"),
            Code.CE_NO_REFERENCES,
            "no ce.references: NBCC asks home-study courses for a reference list, ASWB for a "
            "bibliography",
        )


def disclosures(course: Course, ce: CE, reporter: Reporter) -> None:
    if not ce.disclosures:
        reporter.report(
            _loc(course, "ce"),
            Code.CE_NO_DISCLOSURES,
            "no ce.disclosures: say whether there is any conflict of interest or commercial "
            "support, and write 'disclosures: none' when there is none",
        )


def approvals(course: Course, ce: CE, reporter: Reporter) -> None:
    numbered = [BODIES["ASWB"], BODIES["NBCC"]]
    for index, approval in enumerate(ce.approvals):
        missing = []
        if not approval.number and any(p.search(approval.body) for p in numbered):
            missing.append("number")
        if not approval.statement:
            missing.append("statement")
        if missing:
            reporter.report(
                _loc(course, f"ce.approvals.{index}"),
                Code.CE_APPROVAL_INCOMPLETE,
                f"the approval of {approval.body} has no {' and no '.join(missing)}: the "
                "certificate prints each approval statement word for word (APA requires its "
                "exact statement), and ASWB's and NBCC's provider numbers",
            )


def placeholders(course: Course, ce: CE, reporter: Reporter) -> None:
    values = set(PLACEHOLDERS.values())
    certificate = course.config.certificate
    signature = certificate.signature if certificate else None
    texts = list(_ce_texts(ce))
    if signature is not None:
        texts += [(f"certificate.signature.{name}", getattr(signature, name))
                  for name in ("name", "title")]
    for key, value in texts:
        if " ".join(value.split()) in values:
            reporter.report(
                _loc(course, key),
                Code.CE_PLACEHOLDER,
                f"{key} is still {value!r}, as 'ceforge new' wrote it; replace it with your own",
            )


def _ce_texts(ce: CE) -> Iterator[tuple[str, str]]:
    """Every text of ``ce:`` with its key."""
    for name in ("format", "provider", "disclosures", "accommodations", "grievance"):
        yield f"ce.{name}", getattr(ce, name)
    for name in ("email", "phone", "address", "website"):
        yield f"ce.contact.{name}", getattr(ce.contact, name)
    for index, presenter in enumerate(ce.presenters):
        for name in ("name", "credentials", "role", "bio", "disclosures"):
            yield f"ce.presenters.{index}.{name}", getattr(presenter, name)
    for index, reference in enumerate(ce.references):
        yield f"ce.references.{index}", reference
    for index, approval in enumerate(ce.approvals):
        for name in ("body", "label", "number", "statement"):
            yield f"ce.approvals.{index}.{name}", getattr(approval, name)


def page_order(course: Course, ce: CE, reporter: Reporter) -> None:
    """With ``pages: all``, the attestation opens only once every page has been viewed: a
    page placed after it must be found by going on past the locked attestation."""
    if course.config.completion.pages != "all":
        return
    pages = [(m, p) for m in course.modules for p in m.pages]
    attest = [i for i, (_m, p) in enumerate(pages)
              if any(b.kind is BlockKind.ATTESTATION for b in p.blocks)]
    if not attest:
        return
    after = [(m, p) for m, p in pages[attest[-1] + 1:] if m.required]
    if after:
        _module, page = after[0]
        more = f" and {_count(len(after) - 1, 'more page')} come" if len(after) > 1 else " comes"
        reporter.report(
            page.loc,
            Code.CE_AFTER_ATTESTATION,
            f"the page {page.title!r}{more} after the attestation, which opens only once every "
            "page is viewed (completion: pages: all): move the attestation to the end",
        )


_EMPTY_TITLE = re.compile(r"^\s*<h[12][^>]*>.*?</h[12]>", re.DOTALL)
_MEDIA = re.compile(r"<(img|video|audio|iframe|object|embed|svg|table)\b", re.IGNORECASE)


def _is_empty(page: Page) -> bool:
    if page.blocks:
        return False
    body = _EMPTY_TITLE.sub("", page.html, count=1)
    return credit.words_of(body) == 0 and not _MEDIA.search(body)


def empty_pages(course: Course, ce: CE, reporter: Reporter) -> None:
    for module in content_modules(course):
        for page in module.pages:
            if _is_empty(page):
                reporter.report(
                    page.loc,
                    Code.CE_EMPTY_PAGE,
                    f"the page {page.title!r} has nothing but its heading; NBCC asks for home-"
                    "study materials a learner can use on their own",
                )


# --- what one body asks ---------------------------------------------------------------------------


def apa(course: Course, ce: CE, reporter: Reporter) -> None:
    approval = approval_of(ce, "APA")
    if approval is None:
        return
    mark = course.config.passing_score
    if mark < APA_PASS_MARK:
        reporter.report(
            _loc(course, "passing_score"),
            Code.CE_PASS_MARK,
            f"passing_score is {mark * 100:g} %: APA recommends a pass mark of at least "
            f"{APA_PASS_MARK * 100:g} % for home study (APA CE sponsor FAQ)",
        )
    test = course.test
    granted = approval.hours if approval.hours is not None else ce.hours
    if test is not None and granted:
        drawn = len(test.questions) if test.draw is None else min(test.draw, len(test.questions))
        needed = math.ceil(APA_QUESTIONS_PER_HOUR * granted - 1e-9)
        if drawn < needed:
            reporter.report(
                test.loc,
                Code.CE_TOO_FEW_QUESTIONS,
                f"the post-test draws {_count(drawn, 'question')}; APA recommends 6 to 8 per "
                f"credit hour for home study, at least {needed} for {_hours(granted)} (APA CE "
                "sponsor FAQ)",
            )
    if not ce.accommodations:
        reporter.report(
            _loc(course, "ce"),
            Code.CE_NO_ACCOMMODATIONS,
            "no ce.accommodations: APA sponsors tell learners how to request an accommodation",
        )


def aswb(course: Course, ce: CE, reporter: Reporter) -> None:
    if approval_of(ce, "ASWB") is None:
        return
    if not ce.grievance:
        reporter.report(
            _loc(course, "ce"),
            Code.CE_NO_GRIEVANCE,
            "no ce.grievance: ASWB ACE providers must have a grievance policy; say it or link "
            "to it",
        )
    if not ce.level:
        reporter.report(
            _loc(course, "ce"),
            Code.CE_NO_LEVEL,
            "no ce.level: ASWB ACE rates each course beginning, intermediate or advanced",
        )


CE_CHECKS: list[tuple[str, CeCheck]] = [
    ("test, evaluation, attestation", assessment),
    ("learning objectives", objectives),
    ("CE hours", hours),
    ("delivery format", delivery_format),
    ("presenters", presenters),
    ("references", references),
    ("disclosures", disclosures),
    ("approvals", approvals),
    ("placeholders of ceforge new", placeholders),
    ("pages after the attestation", page_order),
    ("empty pages", empty_pages),
    ("APA", apa),
    ("ASWB", aswb),
]


def check_ce(course: Course, reporter: Reporter) -> None:
    """Every CE rule, in order, for a course with ``ce:``."""
    ce = course.config.ce
    if ce is None:
        return
    for _name, check in CE_CHECKS:
        check(course, ce, reporter)
