"""The cmi5 course structure of a course: its assignable units (AUs), decided in one place for
``cmi5.xml`` (``targets/cmi5.py``) and for the simulated LMS of ``ceforge statements --cmi5``.

One AU for the whole course by default (``au=course``), launched at ``index.html``; with
``au=module`` one AU per module, launched at a page of its own, ``module-<module id>.html``
(the name of SCORM's module SCOs), that runs that module alone. An AU holding the post-test
carries the course's passing score as ``masteryScore`` and moves on when ``CompletedAndPassed``
(``Completed`` when the completion rules do not ask for a pass); every other AU moves on when
``Completed``.

AU ids are publisher ids under the course id: ``C/au`` for the one AU of a course, and
``C/au/{module id}`` for a module's AU. The LMS launches each AU under an ``activityId`` of its
own (cmi5 8.1.5) and lists the AU id in the ``grouping`` of every statement.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from ceforge.checks import effective_completion
from ceforge.config import AU_MODES
from ceforge.model import Course, Module
from ceforge.xapi.vocabulary import child_iri, module_description, objective_iri

LAUNCH_PAGE = "index.html"


def module_page(module_id: str) -> str:
    """The launch page of a module's AU (module ids are letters, digits, ``_``, ``.``, ``-``:
    the name needs no escaping in a URL)."""
    return f"module-{module_id}.html"


@dataclass(frozen=True)
class Objective:
    id: str
    text: str


@dataclass(frozen=True)
class AssignableUnit:
    id: str
    title: str
    description: str
    url: str  # the launch page, a path in the package
    move_on: str
    mastery_score: float | None
    objectives: tuple[Objective, ...]
    module: str | None  # None: the AU is the whole course


def objectives(course: Course, module: Module) -> tuple[Objective, ...]:
    return tuple(
        Objective(objective_iri(course.config.id, module.id, n), text)
        for n, text in enumerate(module.objectives, start=1)
    )


def assignable_units(course: Course, mode: str = "course") -> list[AssignableUnit]:
    """The AUs of ``course``; ``mode`` is ``course`` (one AU) or ``module`` (one per module)."""
    if mode not in AU_MODES:
        raise ValueError(f"au={mode!r}: choose one of {', '.join(AU_MODES)}")
    config = course.config
    needs_pass = effective_completion(course).test == "pass"
    test = course.test
    if mode == "course":
        return [
            AssignableUnit(
                id=child_iri(config.id, "au"),
                title=config.title,
                description=config.description or config.title,
                url=LAUNCH_PAGE,
                move_on="CompletedAndPassed" if test and needs_pass else "Completed",
                mastery_score=config.passing_score if test else None,
                objectives=tuple(o for m in course.modules for o in objectives(course, m)),
                module=None,
            )
        ]
    units = []
    for module in course.unit_modules:
        has_test = any(block is test for block in module.blocks)
        units.append(
            AssignableUnit(
                id=child_iri(config.id, "au", module.id),
                title=module.title,
                description=module_description(module),
                url=module_page(module.id),
                move_on="CompletedAndPassed" if has_test and needs_pass else "Completed",
                mastery_score=config.passing_score if has_test else None,
                objectives=objectives(course, module),
                module=module.id,
            )
        )
    return units


def launched_activity_id(au_id: str) -> str:
    """The ``activityId`` ceforge's LMSs (the preview's, and the simulated one of ``ceforge
    statements --cmi5``) launch the AU ``au_id`` under: stable, and never the AU's own
    publisher id (cmi5 8.1.5)."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, au_id)}"


def decimal(value: float) -> str:
    """A masteryScore as cmi5 writes it: a decimal with at most 4 places, no exponent."""
    text = format(round(value, 4), ".4f").rstrip("0").rstrip(".")
    return text or "0"
