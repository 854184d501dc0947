"""Imports every built-in target so that each registers itself."""

from ceforge.targets import cmi5, scorm12, scorm2004, tincan, web  # noqa: F401
