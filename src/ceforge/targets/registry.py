"""The targets a build can use: ceforge's own (``builtin``) and those of other packages, which
register through the ``ceforge.targets`` entry point group (loaded once, on first use)."""

from __future__ import annotations

from importlib.metadata import entry_points

from ceforge.targets import builtin
from ceforge.targets.base import REGISTRY, Target, register

_LOADED = False


def _load() -> None:
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    for target in builtin.TARGETS:
        register(target)
    for entry in entry_points(group="ceforge.targets"):
        register(entry.load())


def available_targets() -> dict[str, type[Target]]:
    _load()
    return dict(sorted(REGISTRY.items()))


def get_target(name: str) -> Target:
    return available_targets()[name]()
