"""Output targets: each renders the course model to an in-memory list of files."""

from ceforge.targets.base import OutputFile, Target, available_targets, get_target, register

__all__ = ["OutputFile", "Target", "available_targets", "get_target", "register"]
