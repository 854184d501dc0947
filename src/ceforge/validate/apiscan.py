"""Does a SCO look for the LMS? A static scan of its launch page and what the page loads.

A SCORM package can be perfectly valid and still record nothing, because its pages never look
for the API object the LMS provides. The scan starts at the launch page of every SCO, follows
the pages and scripts it names (script and frame sources, and any path to a page or a script
in its text) a few levels deep, and looks for the calls of the package's SCORM version:
``API`` or ``LMSInitialize`` for SCORM 1.2, ``API_1484_11`` or ``Initialize(`` for SCORM 2004.
Scripts loaded in ways a static scan cannot follow make this a warning, never an error.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator

from ceforge.validate.findings import Finding, Rule, finding
from ceforge.validate.scorm import Manifest
from ceforge.validate.textscan import PAGE_SUFFIXES, SCRIPT_SUFFIXES, Scanner, suffix

SCORM12_CALLS = re.compile(rb"\bLMSInitialize\b|\bAPI\b")
SCORM2004_CALLS = re.compile(rb"\bAPI_1484_11\b|\bInitialize\s*\(")
#: How far from the launch page the scan follows pages and scripts, and how many it reads.
DEPTH = 4
MAX_FILES = 500


def _loaded(scanner: Scanner, page: str) -> Iterator[str]:
    """``page`` and the pages and scripts it leads to, nearest first."""
    seen = {page}
    queue = deque([(page, 0)])
    while queue and len(seen) <= MAX_FILES:
        name, depth = queue.popleft()
        yield name
        if depth == DEPTH:
            continue
        for named in sorted(scanner.named_files(name)):
            if named not in seen and suffix(named) in PAGE_SUFFIXES | SCRIPT_SUFFIXES:
                seen.add(named)
                queue.append((named, depth + 1))


def launch_pages_look_for_the_api(manifest: Manifest, scanner: Scanner) -> Iterator[Finding]:
    """A ``cp.no-api`` warning for each SCO launch page whose files never look for the API."""
    is_2004 = manifest.edition.is_2004
    wanted, other = (
        (SCORM2004_CALLS, SCORM12_CALLS) if is_2004 else (SCORM12_CALLS, SCORM2004_CALLS)
    )
    pages: dict[str, list[str]] = {}
    for ident, page, _line in manifest.sco_launches:
        if page in scanner.archive.members:
            pages.setdefault(page, []).append(ident)
    for page, scos in sorted(pages.items()):
        files = list(_loaded(scanner, page))
        if any(scanner.contains(name, wanted) for name in files):
            continue
        label = manifest.edition.label
        names = "API_1484_11, Initialize(" if is_2004 else "API, LMSInitialize"
        loads = f" and the {len(files) - 1} pages and scripts it loads" if len(files) > 1 else ""
        verb = "look" if loads else "looks"
        message = (
            f"the launch page of SCO {', '.join(map(repr, scos))}{loads} never {verb} for the "
            f"{label} API ({names}): the LMS would record nothing"
        )
        if any(scanner.contains(name, other) for name in files):
            message += "; they look for the API of the other SCORM version"
        yield finding(Rule.NO_API, page, message)
