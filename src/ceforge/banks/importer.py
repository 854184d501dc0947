"""``ceforge import``: a Moodle XML or GIFT question bank -> ceforge Markdown.

The pipeline: read the bank file (size, encoding), parse it (every problem reported at its
line; a file with an error writes nothing), turn each question into ceforge's, write the
Markdown beside its place, check it as ``ceforge check`` does, then put it in place. The report
names every question not carried over and why (``bank.left-out``), and every one carried over
with a difference (``bank.changed``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path

from ceforge.banks import htmlmd
from ceforge.banks.bank import MAX_BANK_BYTES, Bank, BankQuestion, skip
from ceforge.banks.gift_in import read_gift
from ceforge.banks.moodle_in import read_moodle_xml
from ceforge.banks.writer import course_files, course_title, module_text, slug
from ceforge.build import check_course_folder
from ceforge.diagnostics import Code, CourseError, Diagnostic, Reporter, SourceLocation
from ceforge.loader import default_module_id, read_bounded
from ceforge.package import stage_folder, write_file


class BankFormat(enum.StrEnum):
    MOODLE_XML = "moodle-xml"
    GIFT = "gift"


class BankImportError(Exception):
    """The output cannot be written where asked (a usage mistake)."""


@dataclass
class Imported:
    path: Path
    questions: int
    diagnostics: list[Diagnostic] = field(default_factory=list)


def default_output(bank_file: Path) -> Path:
    """A course folder named after the bank file, in the current folder."""
    name = bank_file.name.split(".")[0] or "bank"
    return Path(slug(name, "bank"))


def read_bank(fmt: BankFormat, path: Path, reporter: Reporter) -> Bank | None:
    """The bank in ``path``, or None after reporting why it cannot be read."""
    shown = str(path)
    loc = SourceLocation(shown)
    data = read_bounded(path, shown, MAX_BANK_BYTES, Code.BANK_UNREADABLE, reporter,
                        "; split the bank and import each part")
    if data is None:
        return None
    if fmt is BankFormat.MOODLE_XML:
        return read_moodle_xml(data, shown, reporter)
    if b"\0" in data:
        reporter.report(loc, Code.BANK_UNREADABLE, f"{shown} is a binary file, not GIFT text")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        reporter.report(SourceLocation(shown, line), Code.BANK_UNREADABLE,
                        f"{shown} is not UTF-8 text (byte {exc.start}); save it as UTF-8")
        return None
    return read_gift(text.replace("\r\n", "\n").replace("\r", "\n"), shown, reporter)


def import_bank(fmt: BankFormat, path: Path, out: Path | None = None) -> Imported:
    """Import the bank at ``path`` into a new course folder ``out`` (or, when ``out`` ends in
    ``.md``, into one module file, its pictures under ``../assets/``). Raise CourseError with
    every diagnostic when the bank has an error; nothing is written then."""
    reporter = Reporter()
    bank = read_bank(fmt, path, reporter)
    if bank is None or reporter.errors:
        raise CourseError(reporter.sorted())
    bank.questions = [q for q in bank.questions if _shows_every_option(q, reporter)]
    dest = out or default_output(path)
    if not bank.questions:
        raise BankImportError(f"{path}: no question could be carried over")
    title = course_title(bank, path.name.split(".")[0] or "Imported questions")
    if dest.suffix == ".md":
        _write_module(bank, title, dest)
    else:
        _write_course(bank, title, dest)
    return Imported(dest, len(bank.questions), reporter.sorted())


def _shows_every_option(question: BankQuestion, reporter: Reporter) -> bool:
    """Whether every option of ``question`` shows something (text or a picture): an empty
    one (markup alone, such as ``<Z``) would be no option in Markdown."""
    for choice in question.question.choices:
        if not htmlmd.plain(choice.html) and "<img" not in choice.html:
            skip(reporter, question.question.loc, question.name,
                 "an option shows no text (only markup)")
            return False
    sides = [c.text for p in question.question.pairs for c in (p.source, p.target)]
    if not all(text.strip() for text in sides):
        skip(reporter, question.question.loc, question.name,
             "a matching item shows no text (only markup)")
        return False
    return True


def _write_course(bank: Bank, title: str, dest: Path) -> None:
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise BankImportError(f"{dest} already exists; import into a new folder")
    staged = stage_folder(course_files(bank, title), dest)
    try:
        result = check_course_folder(staged.temporary)
        if result.errors:
            shown = "; ".join(str(d) for d in result.errors[:3])
            raise BankImportError(
                "the Markdown written for this bank does not pass ceforge check; this is a "
                f"bug in ceforge, please report it with the bank: {shown}"
            )
        if dest.exists():
            dest.rmdir()
        staged.commit()
    except BaseException:
        staged.discard()
        raise


def _write_module(bank: Bank, title: str, dest: Path) -> None:
    if dest.exists():
        raise BankImportError(f"{dest} already exists; choose a new module file")
    assets = dest.parent.parent
    renamed: dict[str, str] = {}
    for path, data in bank.files.items():
        target = path
        number = 1
        while (assets / target).exists() and (assets / target).read_bytes() != data:
            number += 1
            stem, dot, ext = path.rpartition(".")
            target = f"{stem}-{number}.{ext}" if dot else f"{path}-{number}"
        renamed[path] = target
    for question in bank.questions:
        for choice in question.question.choices:
            choice.html = _relink(choice.html, renamed)
            choice.feedback_html = _relink(choice.feedback_html, renamed)
        for attribute in ("prompt_html", "stem_html", "feedback_html"):
            setattr(question.question, attribute,
                    _relink(getattr(question.question, attribute), renamed))
    module_id = default_module_id(dest.name)
    text = module_text(bank, title, slug(module_id, "questions"), "../")
    for path, data in bank.files.items():
        place = assets / renamed[path]
        if not place.exists():
            write_file(data, place)
    write_file(text.encode("utf-8"), dest)


def _relink(html: str, renamed: dict[str, str]) -> str:
    for old, new in renamed.items():
        if old != new:
            html = html.replace(f'"{old}"', f'"{new}"')
    return html

