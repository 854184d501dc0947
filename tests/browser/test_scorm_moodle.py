"""Two things Moodle 5.1's SCORM player does that our learners must not pay for.

Moodle keeps one ``API_1484_11`` per player page and never resets its ``Terminated`` flag: a
second SCO opened by Moodle's own navigation, after the first one's ``Terminate``, is answered
``Initialize`` with error 104 and runs untracked. The test LMS (scorm-again, a real SCORM 2004
API) does exactly that when its page loads a second SCO into the same frame; the runtime must
then tell the learner what to do: leave the activity and reopen it, in the course's language.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from scorm_lms import ScormSite, Variant, launch, scorm_site

FIXTURES = (scorm_site,)
Site = Callable[[Variant], ScormSite]

MODULE = """\
---
title: {title}
objectives: [{objective}]
---

{text}
"""
COURSES = {
    "en": ("Listening", "Name the OARS skills", "Open questions come first.",
           "Leave this activity and open it again from your course page"),
    "fr-CA": ("L’écoute", "Nommer les habiletés", "Les questions ouvertes d’abord.",
              "Quittez cette activité, puis rouvrez-la à partir de la page de votre cours"),
}


def two_module_course(root: Path, language: str) -> Path:
    title, objective, text, _notice = COURSES[language]
    (root / "modules").mkdir(parents=True)
    (root / "course.yml").write_text(
        f"id: urn:ceforge:test:moodle-{language}\ntitle: Moodle\nlanguage: {language}\n",
        encoding="utf-8",
    )
    for number in (1, 2):
        (root / "modules" / f"0{number}-part{number}.md").write_text(
            MODULE.format(title=f"{title} {number}", objective=objective, text=text),
            encoding="utf-8",
        )
    return root


@pytest.mark.parametrize("language", sorted(COURSES))
def test_a_second_sco_in_a_spent_api_tells_the_learner_to_reopen_the_activity(
    language: str, page: Page, scorm_site: Site, tmp_path_factory: pytest.TempPathFactory
) -> None:
    course = two_module_course(tmp_path_factory.mktemp("moodle") / "course", language)
    site = scorm_site(Variant("scorm2004", sco="module", course=course))
    first, second = sorted(site.scos)
    lms = launch(page, site, first)
    lms.sco.get_by_test_id("exit").click()
    expect(lms.sco.get_by_test_id("exited")).to_be_visible()
    assert [c["fn"] for c in lms.calls][-1] == "Terminate"

    # Moodle's navigation: the next SCO in the same player page, with the same API.
    page.evaluate("(href) => { document.getElementById('sco').src = href; }", second)
    frame = page.frame_locator("#sco")
    expect(frame.get_by_test_id("page-title")).to_be_visible()
    initialize = [c for c in lms.calls if c["fn"] == "Initialize"][-1]
    assert (initialize["result"], initialize["error"]) == ("false", "104")
    notice = frame.locator("[data-testid=notice][data-notice=lms]")
    expect(notice).to_contain_text(COURSES[language][3])
    expect(notice).to_contain_text("104")
