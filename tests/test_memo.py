"""What the targets of one build derive from a course is computed once per course object while
the build lasts, and dropped when it ends (``ceforge.memo``)."""

from __future__ import annotations

from dataclasses import replace

from ceforge.build import check_course_folder
from ceforge.memo import during_build, one_build, per_course
from ceforge.model import Course
from ceforge.targets.common import module_course
from conftest import EXAMPLE


class Thing:
    def __init__(self, name: str) -> None:
        self.name = name


calls: list[str] = []


@per_course
def derived(thing: Thing) -> list[str]:
    calls.append(thing.name)
    return [thing.name]


def test_inside_a_build_each_object_s_result_is_kept_until_the_build_ends() -> None:
    calls.clear()
    a, b = Thing("a"), Thing("b")
    with one_build():
        first = derived(a)
        derived(b)
        with one_build():  # a step inside the build shares what the build has
            assert derived(a) is first
        assert derived(a) is first and derived(b) == ["b"]
    assert calls == ["a", "b"]
    assert derived(a) is not first  # the build is over: computed afresh
    assert calls == ["a", "b", "a"]


def test_outside_a_build_only_the_last_object_s_result_is_kept() -> None:
    calls.clear()
    a, b = Thing("a"), Thing("b")
    derived(a)
    derived(a)
    derived(b)
    derived(a)
    assert calls == ["a", "b", "a"]


def test_an_equal_object_is_not_the_same_object() -> None:
    result = check_course_folder(EXAMPLE)
    course = result.course
    assert isinstance(course, Course)
    module = course.modules[0]
    with one_build():
        one = module_course(course, module)
        assert module_course(course, module) is one
        again = replace(course, modules=list(course.modules))
        assert again == course
        assert module_course(again, module) is not one


def test_during_a_build_a_result_is_kept_by_value_and_outside_it_is_not() -> None:
    seen: list[str] = []

    @during_build
    def listing(folder: str) -> str:
        seen.append(folder)
        return folder.upper()

    listing("a")
    listing("a")
    assert seen == ["a", "a"]  # no build: the disk is asked each time
    with one_build():
        assert listing("b") == listing("".join(["b"])) == "B"
    assert seen == ["a", "a", "b"]
    listing("b")
    assert seen == ["a", "a", "b", "b"]  # the build is over: asked again
