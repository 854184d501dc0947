"""ceforge's QTI 2.1 items played and scored by a real QTI player in Chromium.

The player is Cito's ``@citolab/qti-components`` (npm), which plays QTI 3.0: each QTI 2.1 item
is first upgraded by the 1EdTech QTI 2.x -> 3.0 stylesheet that ``@citolab/qti-convert`` ships
(compiled for SaxonJS), as Cito plays QTI 2.x content. The items are then answered in the page,
through the player's interactions (clicks and typing; matching and ordering through the
interaction's own ``saveResponse``, which its drag and drop calls), and scored by the player's
response processing: every right answer scores 1, every wrong one 0, partial ones too.
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from banks_support import EVERY_TYPE, EXAMPLE, checked, fixture_course
from ceforge.banks.common import Format, Which, decimal_text
from ceforge.banks.export import export_course
from ceforge.banks.qti_out import choice_id, item_file
from ceforge.model import Course, Question, QuestionType
from oracles import node, node_module

UPGRADE = """
const { convertQti2toQti3 } = await import('@citolab/qti-convert/qti-convert-node');
const out = {};
for (const [name, xml] of Object.entries(input)) out[name] = await convertQti2toQti3(xml);
return out;
"""

PLAYER = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>QTI player</title>
<link rel="icon" href="data:,"></head>
<body><main id="host"></main>
<script type="module">
import * as qti from './qti-components/index.js';
window.loadItem = async (xml) => {
  const host = document.getElementById('host');
  host.innerHTML = qti.qtiTransformItem().parse(xml).html();
  await customElements.whenDefined('qti-assessment-item');
  const item = host.querySelector('qti-assessment-item');
  const parts = [item, ...item.querySelectorAll('*')].filter((e) => e.updateComplete);
  await Promise.all(parts.map((e) => e.updateComplete));
  return item.identifier;
};
window.score = () => {
  const item = document.querySelector('qti-assessment-item');
  item.processResponse();
  const found = item.variables.find((v) => v.identifier === 'SCORE');
  return found ? Number(found.value) : null;
};
window.saveResponse = (selector, value) => {
  document.querySelector(selector).saveResponse(value);
};
window.playerReady = true;
</script></body></html>
"""


class Player:
    def __init__(self, page: Page, items: dict[str, str]) -> None:
        self.page = page
        self.items = items

    def load(self, question: Question) -> None:
        self.page.evaluate("(xml) => window.loadItem(xml)", self.items[item_file(question)])

    def score(self) -> float | None:
        value: Any = self.page.evaluate("() => window.score()")
        return value

    def click(self, choice: str) -> None:
        self.page.click(f"qti-simple-choice[identifier={choice_id(choice)}]")

    def type(self, text: str) -> None:
        field = "qti-text-entry-interaction input"
        self.page.fill(field, text)
        self.page.press(field, "Tab")

    def save(self, interaction: str, value: list[str]) -> None:
        self.page.evaluate("([s, v]) => window.saveResponse(s, v)", [interaction, value])


@pytest.fixture(scope="module")
def qti_items(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], tuple[Path, dict]]:
    node_module("@citolab/qti-components")
    node_module("@citolab/qti-convert")
    made: dict[Path, tuple[Path, dict]] = {}

    def make(course: Path) -> tuple[Path, dict]:
        if course in made:
            return made[course]
        folder = tmp_path_factory.mktemp("qti-player")
        package = folder / "package.zip"
        export_course(course, Format.QTI21, Which.ALL, package)
        with zipfile.ZipFile(package) as archive:
            archive.extractall(folder / "site")
            names = [n for n in archive.namelist() if n.startswith("item-")]
        site = folder / "site"
        items = {n: (site / n).read_text(encoding="utf-8") for n in names}
        upgraded = node(UPGRADE, items, timeout=300)
        components = node_module("@citolab/qti-components") / "cdn"
        shutil.copytree(components, site / "qti-components")
        (site / "player.html").write_text(PLAYER, encoding="utf-8")
        made[course] = (site, upgraded)
        return made[course]

    return make


def open_player(page: Page, served: Callable[[Path], str], site: Path, items: dict) -> Player:
    page.goto(served(site) + "player.html")
    page.wait_for_function("window.playerReady === true")
    return Player(page, items)


def answer_right(player: Player, question: Question) -> list[float | None]:
    """Score every right answer of ``question`` (fresh each time)."""
    scores: list[float | None] = []
    kind = question.type
    if kind in (QuestionType.CHOICE, QuestionType.TRUE_FALSE):
        player.load(question)
        player.click(next(c.id for c in question.choices if c.correct))
        scores.append(player.score())
    elif kind is QuestionType.MULTIPLE_CHOICE:
        player.load(question)
        for choice in question.choices:
            if choice.correct:
                player.click(choice.id)
        scores.append(player.score())
    elif kind is QuestionType.FILL_IN:
        for answer in question.answers:
            player.load(question)
            player.type(answer.upper())  # letter case is ignored, as in the course
            scores.append(player.score())
    elif kind is QuestionType.NUMERIC:
        assert question.numeric is not None
        for value in sorted({question.numeric.low, question.numeric.high}):
            player.load(question)
            player.type(decimal_text(value))
            scores.append(player.score())
    elif kind is QuestionType.MATCHING:
        player.load(question)
        player.save("qti-match-interaction",
                    [f"S{p.source.id} T{p.target.id}" for p in question.pairs])
        scores.append(player.score())
    elif kind is QuestionType.SEQUENCING:
        player.load(question)
        player.save("qti-order-interaction", [choice_id(c.id) for c in question.choices])
        scores.append(player.score())
    return scores


def answer_wrong(player: Player, question: Question) -> list[float | None]:
    """Score wrong and partly right answers of ``question``."""
    scores: list[float | None] = []
    kind = question.type
    right = [c for c in question.choices if c.correct]
    wrong = [c for c in question.choices if not c.correct]
    if kind in (QuestionType.CHOICE, QuestionType.TRUE_FALSE):
        for choice in wrong:
            player.load(question)
            player.click(choice.id)
            scores.append(player.score())
    elif kind is QuestionType.MULTIPLE_CHOICE:
        player.load(question)  # every right option and one wrong
        for choice in [*right, wrong[0]]:
            player.click(choice.id)
        scores.append(player.score())
        player.load(question)  # some right options only: all or nothing, as in ceforge
        player.click(right[0].id)
        scores.append(player.score())
    elif kind is QuestionType.FILL_IN:
        player.load(question)
        player.type("certainly not the answer")
        scores.append(player.score())
    elif kind is QuestionType.NUMERIC:
        assert question.numeric is not None
        for value in (question.numeric.low - 1, question.numeric.high + 1):
            player.load(question)
            player.type(decimal_text(value))
            scores.append(player.score())
    elif kind is QuestionType.MATCHING:
        pairs = [f"S{p.source.id} T{p.target.id}" for p in question.pairs]
        player.load(question)  # one pair left out
        player.save("qti-match-interaction", pairs[:-1])
        scores.append(player.score())
        first, second = question.pairs[0], question.pairs[1]
        if first.target.id != second.target.id:
            player.load(question)  # two targets swapped
            swapped = [f"S{first.source.id} T{second.target.id}",
                       f"S{second.source.id} T{first.target.id}", *pairs[2:]]
            player.save("qti-match-interaction", swapped)
            scores.append(player.score())
    elif kind is QuestionType.SEQUENCING:
        order = [choice_id(c.id) for c in question.choices]
        player.load(question)
        player.save("qti-order-interaction", [order[1], order[0], *order[2:]])
        scores.append(player.score())
    return scores


def gradable(course: Course) -> list[Question]:
    return [q for q in course.questions if q.type.gradable]


def test_every_type_scores_full_marks_when_right_and_zero_when_wrong(
    page: Page, served: Callable[[Path], str], qti_items: Callable[[Path], tuple[Path, dict]]
) -> None:
    site, items = qti_items(EVERY_TYPE)
    player = open_player(page, served, site, items)
    course = checked(EVERY_TYPE)
    assert {q.type for q in gradable(course)} == {t for t in QuestionType if t.gradable}
    for question in gradable(course):
        right = answer_right(player, question)
        assert right and all(score == 1 for score in right), (question.id, right)
        wrong = answer_wrong(player, question)
        assert wrong and all(score == 0 for score in wrong), (question.id, wrong)


def test_the_example_post_test_scores_in_the_player(
    page: Page, served: Callable[[Path], str], qti_items: Callable[[Path], tuple[Path, dict]]
) -> None:
    site, items = qti_items(EXAMPLE)
    player = open_player(page, served, site, items)
    course = checked(EXAMPLE)
    test = course.test
    assert test is not None
    for question in test.questions:
        right = answer_right(player, question)
        assert right and set(right) == {1}, question.id
        assert set(answer_wrong(player, question)) == {0}, question.id


def test_surveys_and_essays_render_unscored(
    page: Page, served: Callable[[Path], str], qti_items: Callable[[Path], tuple[Path, dict]]
) -> None:
    site, items = qti_items(EVERY_TYPE)
    player = open_player(page, served, site, items)
    course = checked(EVERY_TYPE)
    for question in course.questions:
        if question.type is QuestionType.LIKERT:
            player.load(question)
            shown = page.locator("qti-simple-choice").all_inner_texts()
            assert [t.strip() for t in shown] == [c.text for c in question.choices]
            player.click(question.choices[0].id)
            assert player.score() is None
        elif question.type is QuestionType.ESSAY:
            player.load(question)
            assert page.locator("qti-extended-text-interaction").count() == 1
            assert player.score() is None


def test_feedback_shows_for_the_chosen_option(
    page: Page, served: Callable[[Path], str], qti_items: Callable[[Path], tuple[Path, dict]]
) -> None:
    site, items = qti_items(EVERY_TYPE)
    player = open_player(page, served, site, items)
    question = next(q for q in checked(EVERY_TYPE).questions if q.id == "kc-choice")
    wrong = next(c for c in question.choices if not c.correct and c.feedback_html)
    player.load(question)
    player.click(wrong.id)
    assert player.score() == 0
    outcomes = page.evaluate("""() => Object.fromEntries(document.querySelector(
        'qti-assessment-item').variables.map((v) => [v.identifier, v.value]))""")
    assert outcomes["FEEDBACK"] == choice_id(wrong.id)
    assert outcomes["FEEDBACK_GENERAL"] == "GENERAL"


def test_pictures_show_in_the_player(
    page: Page,
    served: Callable[[Path], str],
    qti_items: Callable[[Path], tuple[Path, dict]],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    course_root = fixture_course("stem-images", tmp_path_factory.mktemp("stem-images"))
    site, items = qti_items(course_root)
    player = open_player(page, served, site, items)
    for question in checked(course_root).questions:
        player.load(question)
        image = page.locator("qti-item-body img").first
        image.wait_for()
        page.wait_for_function(
            "() => [...document.querySelectorAll('qti-item-body img')].every("
            "(img) => img.complete && img.naturalWidth > 0)"
        )
        assert (image.get_attribute("src") or "").endswith("assets/figure.svg")
