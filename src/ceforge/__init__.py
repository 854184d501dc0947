"""ceforge: compile Markdown continuing-education courses into SCORM, xAPI and web packages."""

from __future__ import annotations

__version__ = "0.1.0"
