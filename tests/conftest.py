from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "therapy-foundations"


@pytest.fixture
def example_course() -> Path:
    return EXAMPLE
