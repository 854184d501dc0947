"""The learner interface's message catalogues (``runtime/messages/<language>.json``) and
which one a course's ``language`` picks.

A tag picks its exact catalogue, else its primary language's (``fr-CA`` → ``fr``, ``de-AT``
→ ``de``, ``pt-PT`` → ``pt``), else English, which ``ceforge check`` warns about
(``config.language``). The regional catalogues are written for one region each (see
:data:`NAMES`); a key missing from a catalogue falls back to English (a test keeps every
catalogue complete). The build writes with them too what it writes in the learner's
language: the About and References pages of a CE course (``ceforge.cepages``) and the labels
the certificate prints.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

MESSAGES_DIR = Path(__file__).resolve().parent / "runtime" / "messages"
DEFAULT = "en"

#: Each catalogue, and how its language is named to authors.
NAMES = {
    "de": "German",
    "en": "English",
    "es": "Spanish",
    "fr": "French as written in Canada",
    "pt": "Portuguese as written in Brazil",
}


def available(folder: Path = MESSAGES_DIR) -> list[str]:
    """The languages with a catalogue, sorted."""
    return sorted(path.stem for path in folder.glob("*.json"))


def catalogue_for(language: str, folder: Path = MESSAGES_DIR) -> str | None:
    """The catalogue a BCP 47 tag picks (its exact one, else its primary language's), or None
    when there is none (the interface is then in English)."""
    for name in (language.lower(), language.split("-")[0].lower()):
        if (folder / f"{name}.json").is_file():
            return name
    return None


def messages_for(language: str, folder: Path = MESSAGES_DIR) -> dict[str, str]:
    """The UI strings for a BCP 47 tag: its catalogue over English (read once per folder and
    language: a build with a page per module asks for them on every page)."""
    return dict(_catalogue(folder, language))


@cache
def _catalogue(folder: Path, language: str) -> dict[str, str]:
    english: dict[str, str] = read(DEFAULT, folder)
    name = catalogue_for(language, folder)
    if name is None or name == DEFAULT:
        return english
    return english | read(name, folder)


def read(name: str, folder: Path = MESSAGES_DIR) -> dict[str, str]:
    data: dict[str, str] = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
    return data


def format_message(template: str, **params: object) -> str:
    """``{name}`` placeholders filled as the runtime fills them (``Ceforge.text.format``)."""
    return _PLACEHOLDER.sub(
        lambda m: str(params[m.group(1)]) if m.group(1) in params else m.group(0), template
    )


_PLACEHOLDER = re.compile(r"\{(\w+)\}")
