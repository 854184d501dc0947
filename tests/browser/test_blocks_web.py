"""The blocks besides questions, in the web build of tests/fixtures/web/blocks, as a learner uses
them by keyboard and mouse: a scenario along a good and a poor path (and what each does to the
graded post-test), a required video played past its threshold (and seeking that does not count),
reflections kept in the browser and downloaded, the glossary, tabs and accordions by keyboard,
everything shown when printed; and axe on every block, on a desktop and a phone screen.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from harness import SERIOUS, axe, describe_violations
from learner import Course, all_right, answer_test, follow_toc, go_to_page, launch, take_test
from playwright.sync_api import Page, expect

Serve = Callable[[Path], str]
VIEWED = re.compile(r"\bcf-viewed\b")


@pytest.fixture
def course_url(blocks_web: Path, served: Serve) -> str:
    return served(blocks_web) + "index.html"


def state(page: Page) -> dict[str, Any]:
    found: dict[str, Any] = page.evaluate("() => JSON.parse(JSON.stringify(Ceforge.app.state))")
    return found


def events(page: Page, kind: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = page.evaluate(
        "(kind) => Ceforge.app.events.filter((e) => e.type === kind)", kind)
    return found


def choose_by_keyboard(page: Page, choice: str) -> None:
    """Tab from the node's heading (where the focus is) to the choice, and press Enter."""
    button = page.locator(f'[data-testid=scenario-choice][data-choice="{choice}"]')
    for _ in range(12):
        page.keyboard.press("Tab")
        if button.evaluate("el => el === document.activeElement"):
            break
    expect(button).to_be_focused()
    page.keyboard.press("Enter")


def walk_scenario(page: Page, course: Course, choices: list[str]) -> None:
    go_to_page(page, course.page_of("scenario"))
    page.get_by_test_id("scenario-node").focus()
    for choice in choices:
        choose_by_keyboard(page, choice)
        expect(page.get_by_test_id("scenario-node")).to_be_focused()


# --- scenarios ------------------------------------------------------------------------------------


def test_a_good_path_through_the_scenario_counts_toward_a_passed_post_test(
    page: Page, course_url: str
) -> None:
    course = launch(page, course_url, "Dana Whitfield")
    go_to_page(page, course.page_of("test"))
    expect(page.get_by_test_id("locked")).to_contain_text("graded scenarios")
    page.get_by_test_id("locked").get_by_role("link").click()  # straight to the scenario
    expect(page.get_by_test_id("scenario-node")).to_have_attribute("data-node", "maria-sits-down")

    walk_scenario(page, course, ["b"])  # an open question: Maria deflects
    expect(page.get_by_test_id("scenario-node")).to_have_attribute("data-node", "maria-deflects")
    expect(page.get_by_test_id("scenario-feedback")).to_contain_text("speak for someone else")
    choose_by_keyboard(page, "a")  # a reflection of feeling: Maria opens up
    outcome = page.get_by_test_id("scenario-outcome")
    expect(outcome).to_have_attribute("data-outcome", "good")
    expect(page.get_by_test_id("scenario-points")).to_contain_text("10 of 10")
    page.get_by_test_id("scenario-path").locator("summary").click()
    expect(page.get_by_test_id("scenario-path").locator("li")).to_have_count(2)
    assert state(page)["blocks"]["maria"] == {"path": ["b", "a"], "run": 1,
                                                "scored": "maria-opens-up"}
    decisions = events(page, "scenario-decision")
    assert [(d["node"]["id"], d["choice"]["id"], d["target"]) for d in decisions] == [
        ("maria-sits-down", "b", "maria-deflects"), ("maria-deflects", "a", "maria-opens-up")]
    (done,) = events(page, "scenario-completed")
    assert (done["outcome"], done["points"], done["maxPoints"], done["scored"]) == (
        "good", 10, 10, True)

    go_to_page(page, course.page_of("test"))
    take_test(page, course, all_right)
    test = page.get_by_test_id("test")
    expect(test.get_by_test_id("test-score")).to_have_attribute("data-permille", "1000")
    expect(test.get_by_test_id("test-scenario-points")).to_contain_text("10 of 10")


def test_a_poor_path_then_practice_runs_fail_the_post_test(page: Page, course_url: str) -> None:
    course = launch(page, course_url, "Dana Whitfield")
    walk_scenario(page, course, ["c"])  # "Let's make the best of it": Maria shuts down
    expect(page.get_by_test_id("scenario-outcome")).to_have_attribute("data-outcome", "poor")
    expect(page.get_by_test_id("scenario-points")).to_contain_text("2 of 10")

    page.get_by_test_id("scenario-restart").click()
    expect(page.get_by_test_id("scenario-node")).to_be_focused()
    expect(page.get_by_test_id("scenario-node")).to_have_attribute("data-node", "maria-sits-down")
    # A detour and back: the path keeps no loop.
    choose_by_keyboard(page, "b")
    choose_by_keyboard(page, "b")
    assert state(page)["blocks"]["maria"] == {"path": [], "run": 2, "scored": "maria-shuts-down"}
    choose_by_keyboard(page, "a")  # the good end, but only as practice now
    expect(page.get_by_test_id("scenario-outcome")).to_have_attribute("data-outcome", "good")
    expect(page.get_by_test_id("scenario-outcome")).to_contain_text("first run's 2 of 10")

    page.reload()  # the path, the run and the scored end are in the saved state
    expect(page.get_by_test_id("scenario-outcome")).to_have_attribute("data-outcome", "good")
    assert state(page)["blocks"]["maria"] == {"path": ["a"], "run": 2,
                                                "scored": "maria-shuts-down"}

    go_to_page(page, course.page_of("test"))
    answer_test(page, course, all_right)
    test = page.get_by_test_id("test")
    test.get_by_test_id("test-submit").click()
    # (2 right answers + 2 scenario points) / (2 + 10) = 0.333: below the 80 % pass mark.
    expect(test.get_by_test_id("test-score")).to_have_attribute("data-permille", "333")
    expect(test.get_by_test_id("test-status")).to_have_attribute("data-passed", "false")
    (finished,) = events(page, "test-finished")
    assert (finished["raw"], finished["max"]) == (4, 12)


# --- video and audio ----------------------------------------------------------------------------


def test_a_required_video_holds_its_page_until_played_past_the_threshold(
    page: Page, course_url: str
) -> None:
    course = launch(page, course_url, "Dana Whitfield")
    video = next(b for b in course.data["blocks"] if b["kind"] == "video")
    index = [p["id"] for p in course.pages].index(video["page"])
    go_to_page(page, video["page"])
    player = page.get_by_test_id("media").first
    status = page.get_by_test_id("media-progress").first
    expect(player).to_have_js_property("readyState", 4, timeout=15000)
    expect(status).to_have_attribute("data-watched", "false")
    assert state(page)["viewed"][index] is False  # shown, but not yet viewed
    link = page.locator(f'[data-testid=toc-link][data-page="{video["page"]}"]')
    expect(link).not_to_have_class(VIEWED)

    # Seeking to the end plays nothing: it does not count.
    player.evaluate("v => { v.muted = true; v.currentTime = v.duration - 0.1; }")
    expect(player).to_have_js_property("seeking", False)
    expect(status).to_have_attribute("data-progress", "0")

    # Captions show from the start; the speed control changes the rate.
    assert player.evaluate("v => v.textTracks[0].mode") == "showing"
    page.get_by_test_id("media-speed").first.select_option("2")
    assert player.evaluate("v => v.playbackRate") == 2
    # Played from the start by keyboard (Space on the player), faster still to keep the test
    # short; the parts played come from the element's own played ranges.
    player.evaluate("v => { v.currentTime = 0; v.playbackRate = 16; }")
    player.focus()
    page.keyboard.press("Space")
    expect(status).to_have_attribute("data-watched", "true", timeout=20000)
    assert float(status.get_attribute("data-progress") or 0) >= 0.9
    assert state(page)["viewed"][index] is True
    expect(link).to_have_class(VIEWED)
    kinds = [e["type"] for e in page.evaluate("Ceforge.app.events")
             if e["type"].startswith("media")]
    assert kinds[:2] == ["media-initialized", "media-played"] and "media-completed" in kinds
    (completed,) = events(page, "media-completed")
    assert completed["threshold"] == 0.9 and completed["progress"] >= 0.9

    go_to_page(page, course.pages[index + 1]["id"])  # leaving the page ends the session
    assert [e["type"] for e in events(page, "media-terminated")] == ["media-terminated"]
    page.reload()  # what was played is kept
    assert state(page)["blocks"][video["id"]]["parts"].count(True) >= 90


def test_the_transcripts_open_by_keyboard(page: Page, course_url: str) -> None:
    course = launch(page, course_url, "Dana Whitfield")
    go_to_page(page, next(b for b in course.data["blocks"] if b["kind"] == "audio")["page"])
    transcript = page.get_by_test_id("transcript")
    expect(transcript.locator(".cf-transcript-body")).to_be_hidden()
    transcript.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(transcript.locator(".cf-transcript-body")).to_contain_text("worn you out")


# --- reflections ----------------------------------------------------------------------------------


def test_reflections_stay_in_the_browser_and_download(page: Page, course_url: str) -> None:
    course = launch(page, course_url, "Dana Whitfield")
    go_to_page(page, course.page_of("reflection"))
    private, shared = page.get_by_test_id("reflection-input").all()
    private.focus()
    page.keyboard.type("I felt protective of her, and tired.")
    expect(page.get_by_test_id("reflection-status").first).to_have_text("Saved in this browser.")
    shared.fill("Boundaries with clients who remind me of family.")
    page.get_by_test_id("reflection-share").click()
    expect(page.get_by_test_id("reflection-status").nth(1)).to_contain_text("Shared with")

    # Private text goes nowhere: not into the state the LMS keeps, not into any event.
    assert "protective" not in page.evaluate("Ceforge.app.lastSaved")
    assert "protective" not in str(page.evaluate("Ceforge.app.events"))
    (sent,) = events(page, "question-answered")
    assert sent["question"]["id"] == "supervision-note"
    assert sent["response"].startswith("Boundaries")

    page.reload()
    expect(page.get_by_test_id("reflection-input").first).to_have_value(
        "I felt protective of her, and tired.")

    follow_toc(page, page.get_by_test_id("toc-reflections"), "#/reflections", keyboard=False)
    expect(page.get_by_test_id("page-title")).to_have_text("My reflections")
    expect(page.get_by_test_id("reflections")).to_contain_text("I felt protective")
    with page.expect_download() as download:
        page.get_by_test_id("reflections-download").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert download.value.suggested_filename == "reflections-every-block.md"
    assert text.startswith("# My reflections: Every Block")
    assert "I felt protective of her, and tired." in text
    assert "Boundaries with clients who remind me of family." in text

    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    page.get_by_test_id("reflections-print").click()
    page.wait_for_function("() => window.printed === 1")


# --- resources ------------------------------------------------------------------------------------


def test_the_resources_page_lists_every_handout_with_its_type_and_size(
    page: Page, course_url: str, blocks_web: Path
) -> None:
    course = launch(page, course_url, "Dana Whitfield")
    go_to_page(page, course.page_of("reflection"))  # a page links to a handout too
    linked = page.locator('.cf-page a[href="assets/handouts/listening-log.pdf"]')
    expect(linked).to_have_attribute("target", "_blank")

    follow_toc(page, page.get_by_test_id("toc-resources"), "#/resources")
    expect(page.get_by_test_id("page-title")).to_have_text("Resources")
    links = page.get_by_test_id("resource")
    assert [link.get_attribute("href") for link in links.all()] == [
        "assets/handouts/feelings-worksheet.txt", "assets/handouts/listening-log.pdf"]
    expect(page.get_by_test_id("resource-meta")).to_have_text(["(TXT, 0.3 kB)", "(PDF, 0.6 kB)"])
    # Each opens in a new tab, from the package's own copy of the file.
    with page.expect_popup() as popup:
        links.nth(1).click()
    opened = popup.value
    assert opened.url.endswith("/assets/handouts/listening-log.pdf")
    served = page.request.get(opened.url)
    assert served.ok
    assert served.body() == (blocks_web / "assets" / "handouts" / "listening-log.pdf").read_bytes()
    opened.close()


# --- glossary, tabs, accordions, print ------------------------------------------------------------


def test_the_glossary_by_keyboard_and_pointer(page: Page, course_url: str) -> None:
    launch(page, course_url, "Dana Whitfield")
    term = page.get_by_test_id("term").first
    tip = page.get_by_test_id("term-tip").first
    expect(term).to_have_text("Active listening")  # its first use on the page
    expect(page.locator('[data-testid=term][data-term="active-listening"]')).to_have_count(1)
    page.get_by_test_id("page-title").focus()
    for _ in range(10):
        page.keyboard.press("Tab")
        if term.evaluate("el => el === document.activeElement"):
            break
    expect(term).to_be_focused()
    expect(tip).to_be_visible()
    expect(tip).to_contain_text("Attending fully to what a client says")
    assert term.evaluate(
        "el => document.getElementById(el.getAttribute('aria-describedby')).textContent"
    ).startswith("Active listening")
    page.keyboard.press("Escape")
    expect(tip).to_be_hidden()
    expect(term).to_be_focused()
    page.keyboard.press("Enter")
    expect(tip).to_be_visible()
    expect(term).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Enter")
    expect(term).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Tab")
    expect(tip).to_be_hidden()
    other = page.locator('[data-testid=term][data-term="empathy"]')
    other.hover()
    expect(page.locator(f"#{other.get_attribute('aria-describedby')}")).to_be_visible()

    # The Glossary page: every term of glossary.yml and of the ::: glossary blocks, in
    # alphabetical order, reached from the contents by keyboard.
    follow_toc(page, page.get_by_test_id("toc-glossary"), "#/glossary")
    expect(page.get_by_test_id("page-title")).to_have_text("Glossary")
    glossary = page.get_by_test_id("glossary")
    expect(glossary.locator("dfn")).to_have_text(
        ["Active listening", "Empathy", "Reflection of feeling"])
    expect(glossary.locator('[data-term="reflection-of-feeling"] dd')).to_have_text(
        "A statement that names the emotion a client conveys, to check it.")
    expect(glossary.locator('[data-term="reflection-of-feeling"] dd em')).to_have_text("emotion")


def test_tabs_and_accordions_by_keyboard_and_printed_whole(page: Page, course_url: str) -> None:
    launch(page, course_url, "Dana Whitfield")
    tabs = page.get_by_test_id("tab")
    expect(tabs).to_have_count(2)
    panels = page.get_by_role("tabpanel")
    tabs.first.focus()
    page.keyboard.press("ArrowRight")
    expect(tabs.nth(1)).to_be_focused()
    expect(tabs.nth(1)).to_have_attribute("aria-selected", "true")
    expect(page.get_by_text("Adolescents often answer")).to_be_visible()
    expect(page.get_by_text("Adults often say")).to_be_hidden()
    page.keyboard.press("Home")
    expect(tabs.first).to_have_attribute("aria-selected", "true")
    expect(panels).to_have_count(1)  # the hidden panel is out of the accessibility tree
    summary = page.locator(".cf-accordion-summary").first
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("can sound like blame")).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.get_by_text("can sound like blame")).to_be_hidden()

    page.emulate_media(media="print")
    for text in ("Adults often say", "Adolescents often answer", "can sound like blame",
                 "several parts of a story"):
        expect(page.get_by_text(text)).to_be_visible()
    expect(page.locator(".cf-tab-label")).to_have_count(2)
    expect(page.locator(".cf-tab-label").first).to_be_visible()
    page.emulate_media(media="screen")
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    assert page.locator(".cf-accordion-item[open]").count() == 2
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    assert page.locator(".cf-accordion-item[open]").count() == 0


def test_callouts_carry_their_kind_in_the_course_language(page: Page, course_url: str) -> None:
    launch(page, course_url, "Dana Whitfield")
    titles = page.locator(".cf-callout-title").all_text_contents()
    assert titles == ["Tip", "Before you role-play", "Note"]
    expect(page.get_by_role("note")).to_have_count(3)


# --- accessibility -------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [1280, 320])
def test_every_block_passes_axe(page: Page, course_url: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    course = launch(page, course_url, "Dana Whitfield")
    findings: list[str] = []

    def audit(label: str) -> None:
        serious = [v for v in axe(page) if v["impact"] in SERIOUS]
        if serious:
            findings.append(f"--- {label} ({width} px)\n" + describe_violations(serious))

    page.get_by_test_id("term").first.focus()
    audit("callouts, tabs, accordion, a glossary block, a term's definition showing")
    page.locator(".cf-accordion-summary").first.click()
    audit("an accordion item open")
    go_to_page(page, course.page_of("test"))
    audit("the post-test locked by the graded scenario")
    walk_scenario(page, course, ["b"])
    audit("a scenario, after a decision (feedback, path)")
    choose_by_keyboard(page, "a")
    page.get_by_test_id("scenario-path").locator("summary").click()
    audit("a scenario at its end")
    go_to_page(page, next(b for b in course.data["blocks"] if b["kind"] == "video")["page"])
    page.get_by_test_id("transcript").locator("summary").click()
    audit("a video with captions, speed and transcript")
    go_to_page(page, next(b for b in course.data["blocks"] if b["kind"] == "audio")["page"])
    audit("an audio with its transcript")
    go_to_page(page, course.page_of("reflection"))
    page.get_by_test_id("reflection-input").nth(1).fill("A thought.")
    page.get_by_test_id("reflection-share").click()
    audit("reflections, one shared")
    follow_toc(page, page.get_by_test_id("toc-reflections"), "#/reflections")
    expect(page.get_by_test_id("reflections")).to_be_visible()
    audit("My reflections")
    follow_toc(page, page.get_by_test_id("toc-glossary"), "#/glossary")
    audit("the Glossary page")
    follow_toc(page, page.get_by_test_id("toc-resources"), "#/resources")
    audit("the Resources page")
    if findings:
        pytest.fail("serious or critical accessibility violations:\n" + "\n".join(findings),
                    pytrace=False)
