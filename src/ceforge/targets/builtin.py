"""Imports every built-in target so that each registers itself."""

from ceforge.targets import scorm12, scorm2004, web  # noqa: F401
