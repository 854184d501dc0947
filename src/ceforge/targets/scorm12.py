"""The ``scorm12`` target: a SCORM 1.2 package (the version most LMSs still know best)."""

from __future__ import annotations

from ceforge.diagnostics import Diagnostic
from ceforge.model import Course
from ceforge.scormspec import SCORM12
from ceforge.targets.base import BuildOptions, OutputFile, Target
from ceforge.targets.scorm import check_state_budget, scorm_package


class Scorm12Target(Target):
    name = "scorm12"
    description = "A SCORM 1.2 zip for any LMS (status, score, interactions, bookmark)."

    def check(self, course: Course, options: BuildOptions) -> list[Diagnostic]:
        return check_state_budget(course, options, SCORM12, self.name)

    def render(self, course: Course, options: BuildOptions) -> list[OutputFile]:
        return scorm_package(course, options, SCORM12, self.name)

    def package_kind(self, options: BuildOptions) -> str:
        return SCORM12.key
