"""Where ceforge's shipped files live: ``templates/`` (inside the wheel, or the source tree)."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def templates_dir() -> Path:
    """The templates folder: ``ceforge/templates`` in a wheel, ``templates/`` in a checkout."""
    for candidate in (_HERE / "templates", _HERE.parent.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("ceforge's templates folder is missing from this installation")
