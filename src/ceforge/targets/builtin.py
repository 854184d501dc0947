"""Imports every built-in target so that each registers itself."""

from ceforge.targets import web  # noqa: F401
