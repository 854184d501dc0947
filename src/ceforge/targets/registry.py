"""The targets a build can use: ceforge's own (``builtin``) and those of other packages, which
register through the ``ceforge.targets`` entry point group.

Nothing is imported before it is needed: a built-in target's module when a build first uses
that target, the entry points (and ``importlib.metadata``) when a name is not a built-in one or
when every target is asked for (``all``, the list of choices).
"""

from __future__ import annotations

from importlib import import_module

from ceforge.targets import builtin
from ceforge.targets.base import REGISTRY, Target, register

_ENTRY_POINTS_LOADED = False


def _load_builtin(name: str) -> type[Target]:
    module, cls = builtin.TARGETS[name]
    target: type[Target] = getattr(import_module(module), cls)
    return register(target)


def _load_entry_points() -> None:
    global _ENTRY_POINTS_LOADED
    if _ENTRY_POINTS_LOADED:
        return
    _ENTRY_POINTS_LOADED = True
    from importlib.metadata import entry_points

    for entry in entry_points(group="ceforge.targets"):
        register(entry.load())


def target_names() -> list[str]:
    """Every target's name, sorted (ceforge's own are not imported for it)."""
    _load_entry_points()
    return sorted({*builtin.TARGETS, *REGISTRY})


def is_target(name: str) -> bool:
    """Whether a target is named ``name`` (the entry points are read only for another name
    than ceforge's own)."""
    if name in builtin.TARGETS or name in REGISTRY:
        return True
    _load_entry_points()
    return name in REGISTRY


def available_targets() -> dict[str, type[Target]]:
    """Every target by name, sorted, each imported."""
    for name in builtin.TARGETS:
        if name not in REGISTRY:
            _load_builtin(name)
    _load_entry_points()
    return dict(sorted(REGISTRY.items()))


def target_class(name: str) -> type[Target]:
    """The target named ``name``; a KeyError when there is none."""
    if name not in REGISTRY:
        if name in builtin.TARGETS:
            return _load_builtin(name)
        _load_entry_points()
    return REGISTRY[name]


def get_target(name: str) -> Target:
    return target_class(name)()
