"""The ``web`` target: a standalone folder for preview and offline use (state in localStorage)."""

from __future__ import annotations

from ceforge.model import Course
from ceforge.targets.base import BuildOptions, OutputFile, Target, course_slug
from ceforge.targets.common import course_package


class WebTarget(Target):
    name = "web"
    description = "A standalone web folder that opens from file:// or any static server."
    layout = "folder"

    def render(self, course: Course, options: BuildOptions) -> list[OutputFile]:
        return course_package(course, "web")

    def output_name(self, course: Course) -> str:
        return f"{course_slug(course)}-web"
