"""course.yml and module front matter: declared keys, their help text, and their parsing.

Each key is declared once, in a table below, with its help text and default; the reference
in ``docs/authoring.md`` is generated from these tables (``python -m ceforge.docs``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, get_args

from ceforge import catalogues
from ceforge.diagnostics import Code, Reporter

if TYPE_CHECKING:
    from ceforge.yamlsource import YamlDoc

#: The course file at the top of a course folder.
COURSE_FILE = "course.yml"

_IRI = re.compile(r"^(?:https?://[^\s/?#]+[^\s]*|urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:\S+)$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_ACCENT = re.compile(r"^#[0-9A-Fa-f]{6}$")
_PERCENT = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*%\s*$")
_TARGET_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
#: CE levels; ``beginning`` is ASWB's word for ``introductory`` and is printed as written.
LEVELS = ("introductory", "beginning", "intermediate", "advanced")
#: The delivery formats ceforge names in the learner's language; any other text is a label
#: printed as written.
FORMATS = ("self-study", "online-asynchronous", "home-study")
#: What the certificate can ask the learner for, besides the name.
LEARNER_FIELDS = ("license_number", "license_state")

# What a build can be asked, on the command line or in the ``build:`` section.
#: How a SCORM package cuts the course into SCOs: one for all, or one per module (``--sco``).
ScoLayout = Literal["single", "module"]
#: How an LMS target reports the learner's status (``--report``).
Reporting = Literal[
    "passed-incomplete", "passed-failed", "completed-incomplete", "completed-failed"
]
SCO_LAYOUTS: tuple[ScoLayout, ...] = get_args(ScoLayout)
REPORTS: tuple[Reporting, ...] = get_args(Reporting)
#: How a cmi5 package cuts the course into AUs (``--au``).
AU_MODES = ("course", "module")
#: The editions of SCORM 2004 the ``scorm2004`` target writes (``--scorm-edition``).
SCORM_EDITIONS = (3, 4)


@dataclass(frozen=True)
class Approval:
    body: str
    number: str = ""
    statement: str = ""
    label: str = ""
    hours: float | None = None
    ethics_hours: float | None = None


@dataclass(frozen=True)
class Presenter:
    name: str
    credentials: str = ""
    role: str = ""
    bio: str = ""
    disclosures: str = ""


@dataclass(frozen=True)
class Contact:
    email: str = ""
    phone: str = ""
    address: str = ""
    website: str = ""

    def __bool__(self) -> bool:
        return any((self.email, self.phone, self.address, self.website))


@dataclass(frozen=True)
class CE:
    hours: float | None = None
    level: str | None = None
    provider: str = ""
    approvals: tuple[Approval, ...] = ()
    ethics: bool = False
    ethics_hours: float | None = None
    format: str = ""
    presenters: tuple[Presenter, ...] = ()
    disclosures: str = ""
    accommodations: str = ""
    grievance: str = ""
    contact: Contact = field(default_factory=Contact)
    #: The references as a list (a generated References page), or
    references: tuple[str, ...] = ()
    #: the course-relative path of the module that holds them.
    references_module: str | None = None

    @property
    def ethics_total(self) -> float | None:
        """The ethics hours: ``ethics_hours``, or every hour with ``ethics: true``."""
        if self.ethics_hours is not None:
            return self.ethics_hours
        return self.hours if self.ethics else None


@dataclass(frozen=True)
class Signature:
    name: str
    title: str = ""
    image: str = ""


@dataclass(frozen=True)
class Certificate:
    """``certificate:`` as written: ``false``, ``true``, or the certificate's details."""

    enabled: bool = True
    signature: Signature | None = None
    collect: tuple[str, ...] = ()
    edit_name: bool = False


@dataclass(frozen=True)
class Completion:
    """Completion rules; None means "decided from what the course contains"."""

    pages: str = "all"
    test: str | None = None
    evaluation: bool | None = None
    attestation: bool | None = None
    min_minutes: float = 0


@dataclass(frozen=True)
class Theme:
    accent: str | None = None
    logo: str | None = None


@dataclass(frozen=True)
class BuildSettings:
    """What a build is asked for: by the ``build:`` section of course.yml, or on the command
    line, which overrides it. None: not said (then the other's, else the built-in default)."""

    #: Target names; ``all`` for every target.
    targets: tuple[str, ...] | None = None
    #: The output folder: in course.yml relative to the course folder, on the command line
    #: to the working folder.
    output: Path | None = None
    sco: ScoLayout | None = None
    au: str | None = None
    report: Reporting | None = None
    scorm_edition: int | None = None

    def over(self, other: BuildSettings) -> BuildSettings:
        """These settings, with ``other``'s where these say nothing."""
        mine = {f.name: getattr(self, f.name) for f in fields(self)}
        return BuildSettings(
            **{name: getattr(other, name) if v is None else v for name, v in mine.items()}
        )


@dataclass(frozen=True)
class CourseConfig:
    id: str
    title: str
    version: str = "1.0.0"
    language: str = "en"
    description: str = ""
    authors: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    modules: tuple[str, ...] | None = None
    passing_score: float = 0.8
    completion: Completion = field(default_factory=Completion)
    ce: CE | None = None
    #: None: not written (a certificate when ``ce`` is present).
    certificate: Certificate | None = None
    theme: Theme = field(default_factory=Theme)
    build: BuildSettings = field(default_factory=BuildSettings)
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    @property
    def issues_certificate(self) -> bool:
        if self.certificate is None:
            return self.ce is not None
        return self.certificate.enabled


@dataclass(frozen=True)
class FrontMatter:
    title: str | None = None
    id: str | None = None
    objectives: tuple[str, ...] = ()
    minutes: int | None = None


class _Invalid(Exception):
    """A value that does not fit its key; the message says what was expected."""


Parser = Callable[[Any], Any]


@dataclass(frozen=True)
class Key:
    name: str
    parse: Parser
    help: str
    default: str = ""
    required: bool = False


def _text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _Invalid("expected text")
    text = str(value).strip()
    if not text:
        raise _Invalid("must not be empty")
    return text


def _optional_text(value: Any) -> str:
    return "" if value is None else _text(value)


def _text_list(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _Invalid("expected a list of text items")
    return tuple(_text(item) for item in value)


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Invalid("expected true or false")
    return value


def _number(value: Any, low: float = 0, high: float = 1e6) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise _Invalid("expected a number")
    if not low <= value <= high:
        raise _Invalid(f"expected a number from {low:g} to {high:g}")
    return float(value)


def _iri(value: Any) -> str:
    text = _text(value)
    if not _IRI.match(text):
        raise _Invalid(f"{text!r} is not an absolute IRI (https://… or urn:…)")
    return text


def _language(value: Any) -> str:
    text = _text(value)
    if not _LANGUAGE.match(text):
        raise _Invalid(f"{text!r} is not a BCP 47 language tag such as en or es-MX")
    return text


def _passing_score(value: Any) -> float:
    """A fraction from 0 to 1 in thousandths (a tenth of a percent): the runtime keeps scores
    in thousandths, so every package, the screen and the statements judge the same mark."""
    percent = isinstance(value, str) and _PERCENT.match(value)
    if percent:
        exact = Decimal(percent.group(1)) / 100
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if value > 1:
            raise _Invalid(f"{value!r} is above 1; write a percentage as '{value:g}%'")
        if not 0 <= value <= 1:  # negative, or NaN (which a Decimal cannot compare)
            raise _Invalid(f"{value!r} is outside 0–100 %")
        exact = Decimal(repr(value))  # the shortest text of the float: 0.8333 as written
    else:
        raise _Invalid(f"{value!r} is not a percentage ('80%') or a fraction (0.8)")
    if not 0 <= exact <= 1:
        raise _Invalid(f"{value!r} is outside 0–100 %")
    thousandths = exact * 1000
    if thousandths != thousandths.to_integral_value():
        low = int(thousandths)
        near = [
            f"'{Decimal(m) / 10}%'" if percent else str(Decimal(m) / 1000) for m in (low, low + 1)
        ]
        raise _Invalid(
            f"{value!r} is finer than test scores, which are kept to a tenth of a percent; "
            f"write {near[0]} or {near[1]}"
        )
    return int(thousandths) / 1000


def _choice(*allowed: str) -> Parser:
    def parse(value: Any) -> str:
        if value not in allowed:
            raise _Invalid(f"{value!r} is not one of: {', '.join(allowed)}")
        return str(value)

    return parse


def _minutes(value: Any) -> float:
    return _number(value, 0, 100_000)


def _hours(value: Any) -> float:
    return _number(value, 0, 10_000)


def _module_minutes(value: Any) -> int:
    minutes = _number(value, 0, 100_000)
    if minutes != int(minutes):
        raise _Invalid(f"{value!r} is not a whole number of minutes")
    return int(minutes)


def _accent(value: Any) -> str:
    text = _text(value)
    if not _ACCENT.match(text):
        raise _Invalid(f"{text!r} is not a colour of the form #RRGGBB")
    return text.lower()


def _targets(value: Any) -> tuple[str, ...]:
    """One target name or a list of them (whether each is a known target is the build's to
    say: third-party targets come from installed packages)."""
    names = _text_list([value] if isinstance(value, str) else value)
    if not names:
        raise _Invalid("expected a target name or a list of them")
    for name in names:
        if not _TARGET_NAME.match(name):
            raise _Invalid(f"{name!r} is not a target name such as web or scorm12")
    return names


def _output(value: Any) -> Path:
    return Path(_text(value))


def _scorm_edition(value: Any) -> int:
    if value not in SCORM_EDITIONS or isinstance(value, bool):
        raise _Invalid(f"{value!r} is not one of: {', '.join(map(str, SCORM_EDITIONS))}")
    return int(value)


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_WEB_URL = re.compile(r"^https?://[^\s/?#]+\S*$")


def _email(value: Any) -> str:
    text = _text(value)
    if not _EMAIL.match(text):
        raise _Invalid(f"{text!r} is not an email address")
    return text


def _web_url(value: Any) -> str:
    text = _text(value)
    if not _WEB_URL.match(text):
        raise _Invalid(f"{text!r} is not a web address (https://…)")
    return text


def _learner_fields(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise _Invalid(f"expected a list of: {', '.join(LEARNER_FIELDS)}")
    for item in value:
        if item not in LEARNER_FIELDS:
            raise _Invalid(f"{item!r} is not one of: {', '.join(LEARNER_FIELDS)}")
    return tuple(name for name in LEARNER_FIELDS if name in value)


def _certificate(value: Any) -> Any:
    if isinstance(value, bool | dict):
        return value
    raise _Invalid("expected true or false, or a mapping of the certificate's details")


def _mapping(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _Invalid("expected a mapping of keys to values")
    return value


COMPLETION_KEYS = (
    Key(
        "pages",
        _choice("all", "none"),
        "`all`: every page must be viewed; `none`: no page rule.",
        "`all`",
    ),
    Key(
        "test",
        _choice("pass", "attempt", "none"),
        "`pass`: the post-test must be passed; `attempt`: finished (pass or fail); `none`.",
        "`pass` if the course has a test, else `none`",
    ),
    Key(
        "evaluation",
        _bool,
        "The evaluation survey must be submitted.",
        "true if the course has one",
    ),
    Key("attestation", _bool, "The attestation must be affirmed.", "true if the course has one"),
    Key("min_minutes", _minutes, "Seat time: active minutes before the course can complete.", "0"),
)

THEME_KEYS = (
    Key("accent", _accent, "Accent colour, `#RRGGBB`.", "built-in"),
    Key("logo", _text, "Path of a logo image, relative to the course folder.", "none"),
)

BUILD_KEYS = (
    Key(
        "targets",
        _targets,
        "The targets `ceforge build` builds (and `ceforge check` checks for): a name or a "
        "list, such as `[scorm12, web]`; `all` for every target. `--target` overrides it.",
        "`web`",
    ),
    Key(
        "output",
        _output,
        "The folder the packages go to, relative to the course folder. `--output` (relative "
        "to the working folder) overrides it.",
        "`dist` in the working folder",
    ),
    Key(
        "sco",
        _choice(*SCO_LAYOUTS),
        "SCORM: `single` makes the whole course one SCO; `module` one SCO per module "
        "(docs/scorm.md). `--sco` overrides it.",
        "`single`",
    ),
    Key(
        "au",
        _choice(*AU_MODES),
        "cmi5: `course` makes the whole course one AU; `module` one AU per module "
        "(docs/xapi.md). `--au` overrides it.",
        "`course`",
    ),
    Key(
        "report",
        _choice(*REPORTS),
        "How SCORM and xAPI packages report status: `passed-failed`, `passed-incomplete`, "
        "`completed-incomplete` or `completed-failed` (docs/scorm.md). `--report` overrides it.",
        "`passed-failed` with a test, else `completed-incomplete`",
    ),
    Key(
        "scorm_edition",
        _scorm_edition,
        "The edition of SCORM 2004 the `scorm2004` target writes: `3` or `4`. "
        "`--scorm-edition` overrides it.",
        "`4`",
    ),
)

APPROVAL_KEYS = (
    Key("body", _text, "The approving board or organisation.", required=True),
    Key(
        "label",
        _optional_text,
        'How the number is introduced on the certificate ("ACE provider #", "ACEP No.").',
        "Approval",
    ),
    Key("number", _optional_text, "Approval or provider number.", "empty"),
    Key(
        "statement",
        _optional_text,
        "Approval statement, word for word as the body requires it; printed on the "
        "certificate and the About page.",
        "empty",
    ),
    Key("hours", _hours, "The CE hours this body grants, when not `ce.hours`.", "`ce.hours`"),
    Key(
        "ethics_hours",
        _hours,
        "The ethics hours this body grants, when not the course's.",
        "the course's",
    ),
)

PRESENTER_KEYS = (
    Key("name", _text, "The presenter's name.", required=True),
    Key("credentials", _optional_text, "Degrees and licences: `PhD, LCSW`.", "empty"),
    Key("role", _optional_text, "Their part in the course: `Author and presenter`.", "empty"),
    Key(
        "bio", _optional_text, "A short biography showing their qualifications (Markdown).", "empty"
    ),
    Key(
        "disclosures",
        _optional_text,
        "Their relevant financial and non-financial relationships (Markdown); `none` to say "
        "there are none.",
        "empty",
    ),
)

CONTACT_KEYS = (
    Key("email", _email, "The provider's email address.", "empty"),
    Key("phone", _optional_text, "The provider's telephone number.", "empty"),
    Key(
        "address",
        _optional_text,
        "The provider's postal address (several lines allowed).",
        "empty",
    ),
    Key("website", _web_url, "The provider's website, `https://…`.", "empty"),
)

CE_KEYS = (
    Key("hours", _hours, "CE hours (contact hours) awarded.", "none"),
    Key(
        "ethics_hours",
        _hours,
        "How many of `hours` count as ethics hours (at most `hours`).",
        "all of them with `ethics: true`, else none",
    ),
    Key(
        "ethics",
        _bool,
        "`true`: every hour counts as an ethics hour (the same as `ethics_hours` equal to "
        "`hours`).",
        "false",
    ),
    Key(
        "level",
        _choice(*LEVELS),
        "`introductory`, `beginning` (ASWB's word, printed as such), `intermediate` or "
        "`advanced`.",
        "none",
    ),
    Key(
        "format",
        _text,
        "The delivery format the approval covers: `self-study`, `online-asynchronous`, "
        "`home-study` (printed in the course language), or your own label, printed as written.",
        "none",
    ),
    Key("provider", _optional_text, "The CE provider's name.", "empty"),
    Key("contact", _mapping, "How to reach the provider (see below).", "none"),
    Key("presenters", lambda v: v, "List of presenters (see below).", "empty"),
    Key(
        "disclosures",
        _text,
        "Conflicts of interest and commercial support, for the course as a whole (Markdown); "
        "write `none` when there are none: an absent key says nothing.",
        "none given",
    ),
    Key(
        "accommodations",
        _text,
        "How a learner asks for an accommodation (Markdown, or a URL).",
        "none",
    ),
    Key("grievance", _text, "The grievance policy (Markdown, or a URL).", "none"),
    Key(
        "references",
        lambda v: v,
        "The reference list: a list of references (Markdown each; a generated References "
        "page), or the path of the module that holds them.",
        "none",
    ),
    Key("approvals", lambda v: v, "List of approvals (see below).", "empty"),
)

SIGNATURE_KEYS = (
    Key("name", _text, "The signer's name.", required=True),
    Key(
        "title",
        _optional_text,
        "The signer's title: `Director of Continuing Education`.",
        "empty",
    ),
    Key("image", _text, "Path of the signature image, relative to the course folder.", "none"),
)

CERTIFICATE_KEYS = (
    Key("signature", _mapping, "`{name, title, image}` of who signs the certificate.", "none"),
    Key(
        "collect",
        _learner_fields,
        "What the learner is asked for once, before the certificate, printed on it and sent "
        "to the LMS or LRS as entered: `license_number`, `license_state`.",
        "nothing",
    ),
    Key(
        "edit_name",
        _bool,
        "The learner may change the name printed on the certificate after completion.",
        "false",
    ),
)

COURSE_KEYS = (
    Key(
        "id",
        _iri,
        "Absolute IRI (`https://…` or `urn:…`), stable across versions; the base of "
        "every SCORM identifier and xAPI activity id.",
        required=True,
    ),
    Key("title", _text, "The course title.", required=True),
    Key("version", _text, "Course version string.", "`1.0.0`"),
    Key(
        "language",
        _language,
        "BCP 47 language tag; also picks the learner interface's language: `de`, `en`, `es`, "
        "`fr` (written for Canada) or `pt` (written for Brazil); a regional tag uses its "
        "language's (`fr-FR`, `de-AT`: `fr`, `de`).",
        "`en`",
    ),
    Key("description", _optional_text, "A paragraph describing the course.", "empty"),
    Key("authors", _text_list, "List of author names.", "empty"),
    Key("keywords", _text_list, "List of keywords.", "empty"),
    Key(
        "modules",
        _text_list,
        "Ordered list of module paths, relative to the course folder.",
        "every `modules/*.md`, sorted by file name",
    ),
    Key(
        "passing_score",
        _passing_score,
        "Post-test mark needed to pass: `80%` or `0.8`; at most a tenth of a percent "
        "(`83.3%` or `0.833`, not `0.8333`), the precision of test scores.",
        "`80%`",
    ),
    Key("completion", _mapping, "Completion rules (see below).", "see below"),
    Key("ce", _mapping, "Continuing-education metadata (see below).", "none"),
    Key(
        "certificate",
        _certificate,
        "Issue a completion certificate: `true`, `false`, or its details (see below).",
        "`true` when `ce` is present",
    ),
    Key("theme", _mapping, '`{accent: "#RRGGBB", logo: path}`.', "built-in"),
    Key(
        "build",
        _mapping,
        "Defaults of `ceforge build`, `check` and `preview` (see below); the command line "
        "overrides each.",
        "none",
    ),
)

FRONT_MATTER_KEYS = (
    Key("title", _text, "Module title.", "its first `#` heading"),
    Key("id", _text, "Module id.", "the file name without a leading number and extension"),
    Key("objectives", _text_list, "Learning objectives.", "none"),
    Key("minutes", _module_minutes, "Estimated study time in minutes.", "none"),
)


def did_you_mean(word: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _read_keys(
    doc: YamlDoc, value: Any, prefix: str, keys: tuple[Key, ...], what: str, reporter: Reporter
) -> dict[str, Any] | None:
    """Check a mapping against declared keys; return the parsed values that were present."""
    if value is None:
        value = {}
    if not isinstance(value, dict):
        reporter.report(
            doc.loc(prefix.rstrip(".")),
            Code.CONFIG_BAD_VALUE,
            f"{what} must be a mapping of keys to values",
        )
        return None
    known = {k.name: k for k in keys}
    result: dict[str, Any] = {}
    for name, raw in value.items():
        name = str(name)
        key = known.get(name)
        if key is None:
            hint = did_you_mean(name, list(known))
            if what != "course.yml":  # a section's few keys (course.yml's are many)
                hint += f"; {what} takes: {', '.join(known)}"
            reporter.report(
                doc.loc(prefix + name),
                Code.CONFIG_UNKNOWN_KEY,
                f"unknown key {prefix + name!r} in {what}{hint}",
            )
            continue
        if key.parse in (_text, _optional_text) and isinstance(raw, int | float):
            # A number where text is expected: keep it as written (version: 1.10 stays "1.10").
            raw = doc.scalars.get(prefix + name, raw)
        try:
            result[name] = key.parse(raw)
        except _Invalid as exc:
            code = Code.CONFIG_BAD_VALUE
            if prefix + name == "id":
                code = Code.CONFIG_BAD_ID
            elif prefix + name == "passing_score":
                code = Code.CONFIG_PASSING_SCORE
            reporter.report(doc.loc(prefix + name), code, f"{prefix + name}: {exc}")
    for key in keys:
        if key.required and key.name not in value:
            reporter.report(
                doc.loc(prefix.rstrip(".")),
                Code.CONFIG_MISSING_KEY,
                f"{what} has no {prefix + key.name!r}, which is required",
            )
    return result


def _section(
    doc: YamlDoc, values: dict[str, Any], name: str, keys: tuple[Key, ...], reporter: Reporter
) -> dict[str, Any] | None:
    if name not in values:
        return None
    return _read_keys(doc, values[name], name + ".", keys, name, reporter)


def read_course_config(doc: YamlDoc, reporter: Reporter) -> CourseConfig | None:
    """Turn a parsed course.yml into a CourseConfig, reporting every problem found."""
    values = _read_keys(doc, doc.value, "", COURSE_KEYS, "course.yml", reporter)
    if values is None:
        return None
    completion = _section(doc, values, "completion", COMPLETION_KEYS, reporter)
    theme = _section(doc, values, "theme", THEME_KEYS, reporter)
    ce_values = _section(doc, values, "ce", CE_KEYS, reporter)
    build = _section(doc, values, "build", BUILD_KEYS, reporter)
    if "language" in values:
        _interface_language(doc, values["language"], reporter)
    # Keep going with what could be read, so that the modules are checked too; the errors
    # reported above stop any build.
    values.setdefault("id", "urn:ceforge:invalid")
    values.setdefault("title", "Untitled course")
    values.update(
        completion=Completion(**(completion or {})),
        theme=Theme(**(theme or {})),
        ce=None if ce_values is None else _read_ce(doc, ce_values, reporter),
        build=BuildSettings(**(build or {})),
    )
    if "certificate" in values:
        values["certificate"] = _read_certificate(doc, values["certificate"], reporter)
    return CourseConfig(lines=doc.lines, **values)


def _interface_language(doc: YamlDoc, language: str, reporter: Reporter) -> None:
    """Warn when the learner interface cannot speak the course's language."""
    if catalogues.catalogue_for(language) is not None:
        return
    known = ", ".join(
        f"{name} ({catalogues.NAMES.get(name, name)})" for name in catalogues.available()
    )
    reporter.report(
        doc.loc("language"),
        Code.CONFIG_LANGUAGE,
        f"language {language!r}: the learner interface has no catalogue for it, so its "
        f"buttons and messages will be in English; catalogues: {known}",
    )


def read_front_matter(doc: YamlDoc, reporter: Reporter) -> FrontMatter:
    values = _read_keys(doc, doc.value, "", FRONT_MATTER_KEYS, "front matter", reporter)
    return FrontMatter(**(values or {}))


# --- continuing education: the parts of ce: and certificate: ------------------------------------


def _items(
    doc: YamlDoc, raw: Any, prefix: str, keys: tuple[Key, ...], what: str, reporter: Reporter
) -> list[dict[str, Any]]:
    """A list of mappings (``ce.presenters``, ``ce.approvals``): each item's values, for the
    items that have every required key."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        names = ", ".join(key.name for key in keys)
        reporter.report(
            doc.loc(prefix), Code.CONFIG_BAD_VALUE, f"{prefix} must be a list of {{{names}}}"
        )
        return []
    found = []
    for index, item in enumerate(raw):
        fields = _read_keys(doc, item, f"{prefix}.{index}.", keys, what, reporter)
        if fields is not None and all(k.name in fields for k in keys if k.required):
            found.append(fields)
    return found


def _read_ce(doc: YamlDoc, values: dict[str, Any], reporter: Reporter) -> CE:
    approvals = _items(
        doc, values.pop("approvals", None), "ce.approvals", APPROVAL_KEYS, "an approval", reporter
    )
    presenters = _items(
        doc, values.pop("presenters", None), "ce.presenters", PRESENTER_KEYS, "a presenter",
        reporter,
    )
    contact = Contact()
    if "contact" in values:
        fields = _read_keys(
            doc, values.pop("contact"), "ce.contact.", CONTACT_KEYS, "ce.contact", reporter
        )
        contact = Contact(**(fields or {}))
    references, module = _references(doc, values.pop("references", None), reporter)
    ce = CE(
        approvals=tuple(Approval(**a) for a in approvals),
        presenters=tuple(Presenter(**p) for p in presenters),
        contact=contact,
        references=references,
        references_module=module,
        **values,
    )
    _check_ethics(doc, ce, "ethics" in values, reporter)
    return ce


def _references(
    doc: YamlDoc, raw: Any, reporter: Reporter
) -> tuple[tuple[str, ...], str | None]:
    """``ce.references``: a list of references, or the path of the module holding them."""
    if raw is None:
        return (), None
    if isinstance(raw, str) and raw.strip():
        path = raw.strip()
        if not path.endswith(".md"):
            reporter.report(
                doc.loc("ce.references"),
                Code.CONFIG_BAD_VALUE,
                f"ce.references: {path!r} is not a Markdown module (.md); give a list of "
                "references or the path of the module that holds them",
            )
            return (), None
        return (), path
    try:
        return _text_list(raw), None
    except _Invalid as exc:
        reporter.report(
            doc.loc("ce.references"),
            Code.CONFIG_BAD_VALUE,
            f"ce.references: {exc}, or the path of the module that holds them",
        )
        return (), None


def _check_ethics(doc: YamlDoc, ce: CE, ethics_given: bool, reporter: Reporter) -> None:
    """Ethics hours that contradict ``ethics`` or exceed the hours they are part of."""

    def bad(key: str, message: str) -> None:
        reporter.report(doc.loc(key), Code.CONFIG_BAD_VALUE, message)

    hours = ce.hours
    if ce.ethics_hours is not None:
        if ce.ethics and hours is not None and ce.ethics_hours != hours:
            bad(
                "ce.ethics_hours",
                f"ce.ethics_hours is {ce.ethics_hours:g} but ethics: true makes every one of "
                f"the {hours:g} hours an ethics hour; keep one of the two",
            )
        elif ethics_given and not ce.ethics and ce.ethics_hours > 0:
            bad(
                "ce.ethics_hours",
                f"ce.ethics_hours is {ce.ethics_hours:g} but ethics is false; "
                "remove 'ethics: false'",
            )
        elif hours is not None and ce.ethics_hours > hours:
            bad(
                "ce.ethics_hours",
                f"ce.ethics_hours ({ce.ethics_hours:g}) is more than ce.hours ({hours:g})",
            )
    for index, approval in enumerate(ce.approvals):
        granted = approval.hours if approval.hours is not None else hours
        ethics = approval.ethics_hours
        if ethics is not None and granted is not None and ethics > granted:
            bad(
                f"ce.approvals.{index}.ethics_hours",
                f"ce.approvals.{index}.ethics_hours ({ethics:g}) is more than the {granted:g} "
                f"hours {approval.body} grants",
            )


def _read_certificate(doc: YamlDoc, raw: Any, reporter: Reporter) -> Certificate:
    if isinstance(raw, bool):
        return Certificate(enabled=raw)
    values = _read_keys(doc, raw, "certificate.", CERTIFICATE_KEYS, "certificate", reporter) or {}
    signature = None
    if "signature" in values:
        fields = _read_keys(
            doc,
            values.pop("signature"),
            "certificate.signature.",
            SIGNATURE_KEYS,
            "certificate.signature",
            reporter,
        )
        if fields and "name" in fields:
            signature = Signature(**fields)
    return Certificate(signature=signature, **values)
