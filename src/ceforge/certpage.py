"""The certificate page ceforge writes for a provider: the sample certificate of the dossier,
and each learner's certificate written by ``ceforge records --certificates``.

It is the runtime's certificate (``runtime/core/certificate-view.js``) written from Python: the
same fields in the same order, the same classes and ``data-testid`` names, the labels from the
same catalogue (``runtime/messages``), the runtime's own ``css/certificate.css`` for its looks.
So a certificate a provider prints from its records reads like the one the learner printed.
What the learner's page knows and this one is given instead: the learner's record
(``CertificateRecord``: name, licence fields, completion date, score, code).
"""

from __future__ import annotations

import base64
import calendar
import mimetypes
import re
from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import Path

from ceforge.catalogues import format_message, messages_for
from ceforge.cepages import Text
from ceforge.certificate import ce_data, certificate_data, printed_code
from ceforge.model import Course
from ceforge.resources import templates_dir

#: Above this many characters of approval statements the runtime sets them smaller
#: (certificate-view.js ``DENSE_STATEMENTS``), so that the certificate prints on one page.
DENSE_STATEMENTS = 900


@dataclass(frozen=True)
class CertificateRecord:
    """What one learner's certificate says about the learner."""

    name: str
    completed: date
    code: str = ""
    score: float | None = None  # the best post-test score, 0..1
    license_number: str = ""
    license_state: str = ""


class _Labels:
    def __init__(self, language: str) -> None:
        self.language = language
        self.messages = messages_for(language)

    def __call__(self, key: str, **params: object) -> str:
        return escape(format_message(self.messages[key], **params))

    def day(self, day: date) -> str:
        """The date as the runtime writes it in English ("January 15, 2026"); ISO 8601 in
        other languages, which every reader takes the same way."""
        if self.language.split("-")[0].lower() == "en":
            return f"{calendar.month_name[day.month]} {day.day}, {day.year}"
        return day.isoformat()


def _p(cls: str, text: str, testid: str = "") -> str:
    attr = f' data-testid="{testid}"' if testid else ""
    return f'<p class="{cls}"{attr}>{text}</p>'


def certificate_html(course: Course, record: CertificateRecord, *, logo: str = "") -> str:
    """The ``<article class="cf-certificate">`` of ``record``; ``logo``: the logo's URL as the
    page that holds the certificate reaches it (empty: none)."""
    t = _Labels(course.config.language)
    numbers = Text(course.config.language)
    ce = ce_data(course, t.messages) or {}
    details = certificate_data(course.config)
    approvals = ce.get("approvals", [])
    dense = sum(len(a["statement"] or "") for a in approvals) > DENSE_STATEMENTS
    parts = []
    if logo:
        parts.append(f'<img class="cf-cert-logo" src="{escape(logo)}" alt="">')
    if ce.get("provider"):
        parts.append(_p("cf-cert-provider", escape(ce["provider"]), "certificate-provider"))
    parts.append(f'<h2 id="cf-cert-title" class="cf-cert-title">{t("certificate_heading")}</h2>')
    parts.append(_p("cf-cert-lead", t("certificate_certifies")))
    parts.append(_p("cf-cert-name", escape(record.name), "certificate-name"))
    collect = details.get("collect", []) if isinstance(details, dict) else []
    if collect:
        fields = []
        for i, field in enumerate(collect):
            value = getattr(record, field, "")
            testid = "certificate-" + field.replace("_", "-")
            fields.append(("" if i == 0 else " · ") + t("certificate_" + field) + ": "
                          + f'<span data-testid="{testid}">{escape(value)}</span>')
        parts.append(_p("cf-cert-license", "".join(fields)))
    parts.append(_p("cf-cert-lead", t("certificate_completed")))
    parts.append(_p("cf-cert-course", escape(course.config.title), "certificate-course"))
    parts.append(_p("cf-cert-version", t("certificate_version", version=course.config.version),
                    "certificate-version"))
    names = [p["name"] + (", " + p["credentials"] if p["credentials"] else "")
             for p in ce.get("presenters", [])]
    if names:
        spans = "; ".join(f'<span data-testid="certificate-presenter">{escape(n)}</span>'
                          for n in names)
        parts.append(_p("cf-cert-presenters", t("certificate_presenters") + ": " + spans))
    parts.append(_facts(course, record, ce, t, numbers))
    if approvals:
        parts.append('<div class="cf-cert-approvals">' + "".join(_approval(a) for a in approvals)
                     + "</div>")
    if isinstance(details, dict) and details["signature"]:
        parts.append(_signature(details["signature"], t))
    parts.append(_footer(ce, record, t))
    cls = "cf-certificate cf-cert-dense" if dense else "cf-certificate"
    return (f'<article class="{cls}" data-testid="certificate" aria-labelledby="cf-cert-title">'
            + "\n".join(parts) + "</article>")


def _facts(course: Course, record: CertificateRecord, ce: dict[str, object], t: _Labels,
           numbers: Text) -> str:
    rows = [("date", t("certificate_date"), escape(t.day(record.completed)))]
    hours = ce.get("hours")
    if isinstance(hours, int | float):
        rows.append(("hours", t("ce_hours"), numbers.number(hours)))
    ethics = ce.get("ethics_hours")
    if isinstance(ethics, int | float) and ethics:
        rows.append(("ethics-hours", t("ce_ethics_hours"), numbers.number(ethics)))
    if ce.get("format_label"):
        rows.append(("format", t("ce_format"), escape(str(ce["format_label"]))))
    if ce.get("level"):
        rows.append(("level", t("ce_level"), escape(str(ce["level_label"]))))
    if course.test is not None and record.score is not None:
        rows.append(("score", t("certificate_score"), numbers.percent(record.score)))
    items = "".join(
        f'<div class="cf-fact"><dt>{term}</dt><dd data-testid="certificate-fact-{key}">'
        f"{value}</dd></div>"
        for key, term, value in rows
    )
    return f'<dl class="cf-facts cf-cert-facts">{items}</dl>'


def _approval(approval: dict[str, str]) -> str:
    body = f'<strong data-testid="certificate-body">{escape(approval["body"])}</strong>'
    if approval["number"]:
        body += (' · <span data-testid="certificate-number">'
                 f'{escape(approval["label"] + " " + approval["number"])}</span>')
    if approval["hours_text"]:
        # hours_text is already HTML text (ceforge.cepages.approval_hours escapes it)
        body += f' · <span data-testid="certificate-approval-hours">{approval["hours_text"]}</span>'
    statement = (_p("cf-cert-statement", escape(approval["statement"]), "certificate-statement")
                 if approval["statement"] else "")
    return ('<div class="cf-cert-approval" data-testid="certificate-approval">'
            f'<p class="cf-cert-body">{body}</p>{statement}</div>')


def _signature(signature: dict[str, str | None], t: _Labels) -> str:
    name = signature["name"] or ""
    parts = []
    if signature["image"]:
        alt = t("certificate_signature_alt", name=name)
        parts.append(f'<img src="{escape(signature["image"])}" alt="{alt}">')
    parts.append(_p("cf-cert-signer", escape(name), "certificate-signer-name"))
    if signature["title"]:
        parts.append(_p("cf-cert-signer-title", escape(signature["title"]),
                        "certificate-signer-title"))
    return ('<div class="cf-cert-signature" data-testid="certificate-signature">'
            + "".join(parts) + "</div>")


def contact_line(ce: dict[str, object]) -> str:
    """How to reach the provider in one line (the runtime's ``contactLine``)."""
    contact = ce.get("contact")
    if not isinstance(contact, dict):
        return ""
    address = ", ".join(line.strip() for line in str(contact.get("address") or "").split("\n")
                        if line.strip())
    parts = [address, contact.get("email"), contact.get("phone"), contact.get("website")]
    return " · ".join(str(p) for p in parts if p)


def _footer(ce: dict[str, object], record: CertificateRecord, t: _Labels) -> str:
    parts = []
    line = contact_line(ce)
    if line:
        parts.append(_p("cf-cert-contact", escape(line), "certificate-contact"))
    if record.code:
        parts.append(
            f'<p class="cf-cert-code">{t("certificate_code")} '
            f'<span data-testid="certificate-code">{escape(printed_code(record.code))}</span>'
            f'<span class="cf-cert-code-hint"> {t("certificate_code_hint")}</span></p>'
        )
    return '<div class="cf-cert-footer">' + "".join(parts) + "</div>"


# --- a certificate as a file of its own --------------------------------------------------------

_SRC = re.compile(r'(\ssrc=")([^"]+)(")')
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
#: What the runtime's stylesheet (css/base.css) gives the certificate's colours and fonts.
_VARIABLES = """:root {
  --cf-text: #1b2127; --cf-muted: #4f5964; --cf-surface: #ffffff; --cf-border: #d3d9df;
  --cf-font: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  --cf-serif: Georgia, "Times New Roman", serif;
}
body { margin: 0 auto; max-width: 52rem; padding: 1rem; color: var(--cf-text);
  font-family: var(--cf-font); }
.cf-facts { display: flex; flex-wrap: wrap; justify-content: center; gap: 0.25rem 1.5rem; }
.cf-fact dt { color: var(--cf-muted); font-size: 0.8rem; }
.cf-fact dd { margin: 0; font-weight: 600; }
.cf-cert-signature img { max-height: 3rem; }
.cf-cert-code-hint { display: block; font-family: var(--cf-font); font-size: 0.8rem; }
@page { margin: 12mm; }
@media print { body { max-width: none; padding: 0; } }
"""


def stylesheets() -> str:
    """The runtime's certificate stylesheet and the one-page print rules."""
    runtime = Path(__file__).parent / "runtime" / "css" / "certificate.css"
    printed = templates_dir() / "certificate" / "print.css"
    return runtime.read_text(encoding="utf-8") + "\n" + printed.read_text(encoding="utf-8")


def certificate_document(course: Course, record: CertificateRecord, root: Path) -> str:
    """A learner's certificate as an HTML file that stands alone (images inlined)."""
    accent = escape(course.config.theme.accent or "#1f5f8b")
    article = certificate_html(course, record, logo=course.config.theme.logo or "")
    title = escape(f"{course.config.title}: {record.name}")
    html = f"""<!DOCTYPE html>
<html lang="{escape(course.config.language)}">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
{_VARIABLES}:root {{ --cf-accent: {accent}; }}
{stylesheets()}
</style>
</head>
<body class="cf-printed">
<main class="cf-page">
{article}
</main>
</body>
</html>
"""
    return inline_images(html, root)


def inline_images(html: str, root: Path) -> str:
    """Every image of the course folder ``root`` as a ``data:`` URL, so that the file stands
    alone."""

    def inline(match: re.Match[str]) -> str:
        url = match.group(2)
        if _SCHEME.match(url) or url.startswith(("#", "/")):
            return match.group(0)
        path = root / url.split("#")[0]
        if not path.is_file():
            return match.group(0)
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return f"{match.group(1)}data:{kind};base64,{data}{match.group(3)}"

    return _SRC.sub(inline, html)
