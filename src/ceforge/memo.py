"""Work that several targets of one build share, done once.

``ceforge build --target all`` renders one checked course five times; what every target derives
from the course alone (the xAPI vocabulary, the course data of a launch page) is computed for
the first target and reused by the others. A course is never changed once it has been checked.

Inside ``one_build()`` (``ceforge.build`` opens it around reading, checking and building) a
function decorated with ``per_course`` keeps its result for every course object it is called
with, by identity: a SCORM package of one SCO per module derives the course of each module
(``targets.common.module_course``) and that course's data, and the other SCORM edition, or the
check of the state's size, finds them done. When the outermost ``one_build()`` ends, every such
result is dropped. Outside a build the function keeps the result for the last course object
it saw (holding it alive), so that a caller that asks twice in a row is served once.
``during_build`` keeps results by the value of the arguments, only while a build lasts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

#: The results kept for the build under way, by function: (its arguments, held alive so that
#: their ids stay theirs, and the result), by the ids of the arguments.
_stores: list[dict[Any, Any]] = []
_depth = 0


@contextmanager
def one_build() -> Iterator[None]:
    """Keep every ``per_course`` result until the outermost ``one_build()`` ends."""
    global _depth
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0:
            for store in _stores:
                store.clear()


def per_course(func: Callable[P, T]) -> Callable[P, T]:
    """``func(*args)``, computed once per argument objects (by identity): for as long as the
    build under way lasts, or else for the last arguments it was called with."""
    store: dict[tuple[int, ...], tuple[tuple[Any, ...], Any]] = {}
    _stores.append(store)

    @wraps(func)
    def cached(*args: P.args, **kwargs: P.kwargs) -> T:
        if kwargs:  # not kept: every caller passes the objects alone
            return func(*args, **kwargs)
        key = tuple(map(id, args))
        hit = store.get(key)
        if hit is not None and all(a is b for a, b in zip(hit[0], args, strict=True)):
            value: T = hit[1]
            return value
        value = func(*args, **kwargs)
        if _depth == 0:
            store.clear()
        store[key] = (args, value)
        return value

    return cached


def during_build(func: Callable[P, T]) -> Callable[P, T]:
    """``func(*args)`` kept by the value of its arguments for as long as the build under way
    lasts, and computed afresh outside a build: what the disk says of a path, say (a build
    reads the course folder as it finds it when it begins; the next build looks again)."""
    store: dict[Any, Any] = {}
    _stores.append(store)

    @wraps(func)
    def cached(*args: P.args, **kwargs: P.kwargs) -> T:
        if _depth == 0 or kwargs:
            return func(*args, **kwargs)
        if args in store:
            value: T = store[args]
            return value
        value = store[args] = func(*args, **kwargs)
        return value

    return cached
