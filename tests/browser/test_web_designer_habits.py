"""A course written the way Word and Windows write it, taken by a learner in Chromium; and what
learners see of knowledge checks, the contents and the page chrome.

The course (``tests/word_course.py``) has Windows line endings, a byte-order mark, curly quotes
and non-breaking spaces after ``###``, ``-``, ``[x]``, ``=`` and ``:::``: the learner meets
real questions (not text showing ``[x]``), and typing straight quotes on a keyboard answers a
``= “Tarasoff”`` fill-in right.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from learner import (
    all_right,
    all_wrong,
    answer_test,
    fill_survey,
    go_to_completion,
    go_to_page,
    hand_in,
    launch,
    question_el,
    respond,
)
from playwright.sync_api import Locator, Page, expect

from word_course import write_word_course

BuildWeb = Callable[[Path], Path]
Serve = Callable[[Path], str]
NAME = "Dana O'Brien-Núñez"


@pytest.fixture
def word_web(built_web: BuildWeb, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_web(write_word_course(tmp_path_factory.mktemp("word") / "course"))


def check(page: Page, el: Locator) -> Locator:
    """Press the question's Check answer button; its feedback."""
    el.get_by_test_id("check").click()
    return el.get_by_test_id("feedback")


def test_a_course_written_in_word_is_taken_as_its_designer_meant(
    page: Page, word_web: Path, serve: Serve
) -> None:
    course = launch(page, serve(word_web) + "index.html", NAME)
    expect(page.locator("header .cf-course-title")).to_have_text(
        "Duty to Warn in “Everyday” Practice")
    # A CE course opens on its About page; the module's own first page is read next.
    expect(page.get_by_test_id("page-title")).to_have_text("About this course")
    first = next(p for m in course.data["modules"] if not m.get("kind") for p in m["pages"])
    go_to_page(page, first["id"])
    quiz = course.block("quiz")
    go_to_page(page, quiz["page"])
    section = page.locator(f'section[data-block="{quiz["id"]}"]')
    # Real questions, not Markdown shown as text.
    expect(section.locator(".cf-question")).to_have_count(3)
    expect(page.locator("#cf-main")).not_to_contain_text("[x]")
    expect(page.locator("#cf-main")).not_to_contain_text("###")

    ruling = question_el(section, "kc-ruling")
    respond(page, ruling, course.questions["kc-ruling"], '"Tarasoff"')  # straight quotes
    expect(check(page, ruling)).to_have_attribute("data-result", "correct")
    harm = question_el(section, "kc-harm")
    respond(page, harm, course.questions["kc-harm"], "true")
    expect(check(page, harm)).to_have_attribute("data-result", "correct")
    steps = question_el(section, "kc-steps")
    respond(page, steps, course.questions["kc-steps"], ["a", "b"])
    expect(check(page, steps)).to_have_attribute("data-result", "correct")

    go_to_page(page, course.page_of("test"))
    attempt = answer_test(page, course, all_right)
    ruling_el = question_el(page.get_by_test_id("test"), "post-ruling")
    respond(page, ruling_el, course.questions["post-ruling"], "  tarasoff v. REGENTS ")
    hand_in(page, course, attempt)
    expect(page.get_by_test_id("test-score")).to_have_attribute("data-permille", "1000")

    go_to_page(page, course.page_of("survey"))
    fill_survey(page, course.block("survey"), keyboard=False)
    go_to_completion(page)
    certificate = page.get_by_test_id("certificate")
    expect(certificate).to_contain_text(NAME)
    expect(certificate).to_contain_text("1234")
    expect(certificate).not_to_contain_text("“1234”")  # the YAML value's quotes read as quotes


def test_knowledge_checks_say_what_to_do_next(
    page: Page, word_web: Path, serve: Serve
) -> None:
    course = launch(page, serve(word_web) + "index.html", NAME)
    quiz = course.block("quiz")
    go_to_page(page, quiz["page"])
    section = page.locator(f'section[data-block="{quiz["id"]}"]')

    # Each Check answer button's accessible name says which question it checks.
    for question in quiz["questions"]:
        name = f"Check answer: {question['prompt_text']}"
        expect(section.get_by_role("button", name=name, exact=True)).to_have_count(1)

    # Wrong, with feedback to read: say so; without any: just try again.
    ruling = question_el(section, "kc-ruling")
    respond(page, ruling, course.questions["kc-ruling"], "Regents")
    expect(check(page, ruling)).to_contain_text("Not quite. Read the feedback and try again.")
    expect(ruling.get_by_test_id("retry")).to_be_visible()
    harm = question_el(section, "kc-harm")
    respond(page, harm, course.questions["kc-harm"], "false")
    feedback = check(page, harm)
    expect(feedback).to_contain_text("Not quite. Try again.")
    expect(feedback).not_to_contain_text("Read the feedback")
    retry = harm.get_by_test_id("retry")
    expect(retry).to_be_focused()
    page.keyboard.press("Enter")

    # Right: nothing to try again.
    respond(page, harm, course.questions["kc-harm"], "true")
    expect(check(page, harm)).to_have_attribute("data-result", "correct")
    expect(retry).to_be_hidden()
    expect(harm.get_by_test_id("check")).to_be_hidden()
    page.reload()
    expect(question_el(page.locator(f'section[data-block="{quiz["id"]}"]'), "kc-harm")
           .get_by_test_id("retry")).to_be_hidden()


def toc_ticked(page: Page, link: Locator) -> bool:
    return "cf-viewed" in (link.get_attribute("class") or "")


def test_the_contents_tick_a_passed_test_and_a_visited_completion_page(
    page: Page, word_web: Path, serve: Serve
) -> None:
    course = launch(page, serve(word_web) + "index.html", NAME)
    test_page = course.page_of("test")
    test_link = page.locator(f'[data-testid=toc-link][data-page="{test_page}"]')
    completion_link = page.get_by_test_id("toc-completion")
    for entry in course.pages:
        go_to_page(page, entry["id"])
        if entry["id"] == test_page:
            hand_in(page, course, answer_test(page, course, all_wrong))
            # Failed, one attempt left: viewed, but not done.
            expect(test_link).not_to_have_class("cf-toc-link cf-viewed")
            assert not toc_ticked(page, test_link)
            expect(test_link.locator(".cf-sr-only")).to_have_text("")
            page.get_by_test_id("test-retake").click()
            hand_in(page, course, answer_test(page, course, all_right))
            expect(test_link).to_have_class("cf-toc-link cf-viewed")
        if entry["id"] == course.page_of("survey"):
            fill_survey(page, course.block("survey"), keyboard=False)
    expect(page.get_by_test_id("progress")).to_have_js_property("value", 100)  # complete
    # Complete, but the completion page (the certificate) not visited yet: not ticked.
    assert not toc_ticked(page, completion_link)
    go_to_completion(page)
    expect(completion_link).to_have_class("cf-toc-link cf-viewed")
    expect(completion_link).to_have_attribute("aria-current", "page")


# --- what the page shows --------------------------------------------------------------------


def test_the_points_badge_stays_beside_a_long_prompt(
    page: Page, word_web: Path, serve: Serve
) -> None:
    page.set_viewport_size({"width": 375, "height": 667})
    course = launch(page, serve(word_web) + "index.html", NAME)
    go_to_page(page, course.page_of("test"))
    legend = question_el(page.get_by_test_id("test"), "post-duty").locator("legend")
    prompt = legend.locator(".cf-prompt").bounding_box()
    badge = legend.locator(".cf-points").bounding_box()
    assert prompt is not None and badge is not None
    assert prompt["height"] > 3 * badge["height"]  # the prompt takes several lines
    assert abs(badge["y"] - prompt["y"]) < badge["height"]  # on the prompt's first line
    assert badge["x"] >= prompt["x"] + prompt["width"]  # beside it, not under it
    expect(legend.locator(".cf-points")).to_have_text("1 point")


def png_pixels(data: bytes) -> tuple[int, int, list[tuple[int, int, int]]]:
    """Width, height and RGB pixels of a screenshot (8-bit RGB or RGBA, not interlaced)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, {"IDAT": b""}
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        chunks[kind.decode()] = chunks.get(kind.decode(), b"") + body if kind == b"IDAT" else body
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", chunks["IHDR"][:10])
    assert depth == 8 and colour in (2, 6)
    size = 3 if colour == 2 else 4
    raw = zlib.decompress(chunks["IDAT"])
    stride = width * size
    rows: list[bytearray] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - size] if i >= size else 0
            up, corner = previous[i], previous[i - size] if i >= size else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + pred) & 0xFF
        rows.append(line)
        previous = line
    pixels = [tuple(row[i:i + 3]) for row in rows for i in range(0, stride, size)]
    return width, height, pixels  # type: ignore[return-value]


def luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_a_chosen_answer_stays_clearly_visible_once_checked(
    page: Page, word_web: Path, serve: Serve
) -> None:
    course = launch(page, serve(word_web) + "index.html", NAME)
    quiz = course.block("quiz")
    go_to_page(page, quiz["page"])
    harm = question_el(page.locator(f'section[data-block="{quiz["id"]}"]'), "kc-harm")
    respond(page, harm, course.questions["kc-harm"], "true")
    check(page, harm)
    radio = harm.locator('input[value="true"]')
    expect(radio).to_be_disabled()
    expect(radio).to_be_checked()
    box = radio.bounding_box()
    assert box is not None
    margin = 4  # the choice's background around the radio
    shot = page.screenshot(clip={"x": box["x"] - margin, "y": box["y"] - margin,
                                 "width": box["width"] + 2 * margin,
                                 "height": box["height"] + 2 * margin})
    _width, _height, pixels = png_pixels(shot)
    background = pixels[0]  # a corner: the choice around the radio
    strongest = max(contrast(pixel, background) for pixel in pixels)
    assert strongest >= 3, f"the checked radio shows at most {strongest:.2f}:1 against its choice"
    # Its fill, not only a thin edge: most of its inside contrasts too.
    inside = [p for p in pixels if contrast(p, background) >= 3]
    assert len(inside) >= 0.25 * box["width"] * box["height"]


@pytest.mark.parametrize(("width", "height"), [(375, 667), (390, 844)])
def test_the_header_takes_little_of_a_phone(
    page: Page, example_web: Path, served: Serve, width: int, height: int
) -> None:
    page.set_viewport_size({"width": width, "height": height})
    launch(page, served(example_web) + "index.html", NAME)
    header = page.locator("header.cf-header").bounding_box()
    assert header is not None
    assert header["height"] < 0.15 * height, f"the header is {header['height']:.0f} px tall"
    # Still all there: the title, the progress (named for screen readers) and both buttons.
    expect(page.locator(".cf-course-title")).to_be_visible()
    expect(page.get_by_role("progressbar", name="Course progress")).to_be_visible()
    expect(page.get_by_test_id("toc-toggle")).to_be_visible()
    expect(page.get_by_test_id("exit")).to_be_visible()
