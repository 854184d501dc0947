"""``ceforge new``: a working course, copied from ``templates/new-course``."""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from pathlib import Path

from jinja2 import Environment, StrictUndefined

from ceforge.cechecks import PLACEHOLDERS
from ceforge.resources import templates_dir

TEMPLATE_SUFFIX = ".j2"


class ScaffoldError(Exception):
    pass


def new_course(dest: Path, title: str | None = None) -> list[Path]:
    """Create a course at ``dest`` (absent or empty); return the files written."""
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise ScaffoldError(f"{dest} already exists and is not an empty folder")
    name = unicodedata.normalize("NFC", dest.resolve().name)
    values = {
        "title": json.dumps(title or _title(name), ensure_ascii=False),
        "slug": _slug(name),
        "placeholder": PLACEHOLDERS,
    }
    source = templates_dir() / "new-course"
    env = Environment(undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)
    written = []
    dest.mkdir(parents=True, exist_ok=True)
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        rel = path.relative_to(source)
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == TEMPLATE_SUFFIX:
            target = target.with_suffix("")
            text = env.from_string(path.read_text(encoding="utf-8")).render(values)
            target.write_text(text, encoding="utf-8")
        else:
            shutil.copyfile(path, target)
        written.append(target)
    return written


def _slug(name: str) -> str:
    """The folder name as the last part of the course id: its letters without accents
    (``éthique`` → ``ethique``), digits, and '-' between words."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "my-course"


def _title(name: str) -> str:
    """The folder name as a title, every letter kept: words split at '-', '_' and spaces,
    each with a capital first letter (``éthique-clinique`` → ``Éthique Clinique``)."""
    words = re.split(r"[-_\s]+", name)
    return " ".join(word[:1].upper() + word[1:] for word in words if word) or "My Course"
