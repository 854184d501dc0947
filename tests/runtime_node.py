"""The learner runtime run in node, without a browser, for tests that judge it with Python.

``in_node(body, data)`` loads the runtime's core into one node process (``tests/js/runtime.js``,
the loader of the ``node --test`` unit tests under ``tests/js``), then runs ``body``, the body
of an async function that sees the core as ``Ceforge`` and ``data`` as ``input``, and returns
what it returns. Give a test many cases at once: one node process answers them all.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from oracles import node

LOADER = Path(__file__).resolve().parent / "js" / "runtime.js"


def in_node(body: str, data: Any = None, *scripts: str) -> Any:
    """Run ``body`` with the core and then ``scripts`` (paths in ``src/ceforge/runtime``)."""
    load = f"require({json.dumps(str(LOADER))}).loadCore(...{json.dumps(list(scripts))})"
    return node(f"const Ceforge = {load};\n{body}", data)
