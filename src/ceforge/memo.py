"""Work that several targets of one build share, done once.

``ceforge build --target all`` renders one checked course five times; what every target derives
from the course alone (the xAPI vocabulary, say) is computed for the first target and reused by
the others. A course is never changed once it has been checked, so the cache keeps the result
for the last course *object* it saw (by identity, holding it alive): a new build reads a new
course object and computes afresh.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from ceforge.model import Course

T = TypeVar("T")


def per_course(func: Callable[[Course], T]) -> Callable[[Course], T]:
    """``func(course)``, computed once for the last course it was called with."""
    last: list[tuple[Course, T]] = []

    @wraps(func)
    def cached(course: Course) -> T:
        if last and last[0][0] is course:
            return last[0][1]
        value = func(course)
        last[:] = [(course, value)]
        return value

    return cached
