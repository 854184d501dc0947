"""The ``scorm2004`` target: a SCORM 2004 package, 4th edition unless ``--scorm-edition 3``."""

from __future__ import annotations

from ceforge.diagnostics import Diagnostic
from ceforge.model import Course
from ceforge.scormspec import scorm2004
from ceforge.targets.base import BuildOptions, OutputFile, Target
from ceforge.targets.scorm import check_state_budget, scorm_package


class Scorm2004Target(Target):
    name = "scorm2004"
    description = (
        "A SCORM 2004 zip (4th or 3rd edition): completion and success reported apart, "
        "sequencing across modules."
    )

    def check(self, course: Course, options: BuildOptions) -> list[Diagnostic]:
        edition = scorm2004(options.scorm_edition)
        return check_state_budget(course, options, edition, self.name)

    def render(self, course: Course, options: BuildOptions) -> list[OutputFile]:
        edition = scorm2004(options.scorm_edition)
        return scorm_package(course, options, edition, self.name)

    def package_kind(self, options: BuildOptions) -> str:
        return scorm2004(options.scorm_edition).key
