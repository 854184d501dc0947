from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from golden import assert_golden, assert_golden_text
from oracles import ralph_python
from ralph_lrs import RalphLRS, running_ralph

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "therapy-foundations"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test of a module that compares with golden files (JSON or text) is marked
    ``golden``, so that ``nox -s update-golden`` (``pytest -m golden``) reruns them all, browser
    tests included."""
    for item in items:
        module = getattr(item, "module", None)
        if (getattr(module, "assert_golden", None) is assert_golden
                or getattr(module, "assert_golden_text", None) is assert_golden_text):
            item.add_marker(pytest.mark.golden)


@pytest.fixture(scope="session", autouse=True)
def module_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The builds and checks of the tests (and the ceforge processes they start) keep their
    module cache in the session's temporary folder, never in the user's ~/.cache."""
    folder = tmp_path_factory.mktemp("module-cache")
    before = os.environ.get("CEFORGE_CACHE_DIR")
    os.environ["CEFORGE_CACHE_DIR"] = str(folder)
    yield folder
    if before is None:
        del os.environ["CEFORGE_CACHE_DIR"]
    else:
        os.environ["CEFORGE_CACHE_DIR"] = before


@pytest.fixture
def example_course() -> Path:
    return EXAMPLE


@pytest.fixture(scope="session")
def ralph_lrs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RalphLRS]:
    """A real Ralph LRS on 127.0.0.1 for the whole session, with one basic-auth user
    (``tests/ralph_lrs.py``); skipped where Ralph is not installed, failed in CI."""
    python = ralph_python()
    folder = tmp_path_factory.mktemp("ralph")
    with running_ralph(python, folder, "ceforge", secrets.token_urlsafe(16)) as lrs:
        yield lrs
