"""A course as a designer's tools write it: Windows line endings, a byte-order mark, curly
quotes and non-breaking spaces (after ``###``, ``-``, ``[x]``, ``=``, ``:::``, ``>`` and in
YAML), pasted from Word. ``write_word_course`` writes it byte for byte (git would normalize a
checked-in copy); ``tests/test_designer_habits.py`` checks how ceforge reads it, and
``tests/browser/test_web_word_course.py`` takes it in Chromium."""

from __future__ import annotations

from pathlib import Path

NBSP = "\u00a0"
BOM = "\ufeff"

COURSE_YML = f"""\
id: urn:ceforge:test:word-course
title:{NBSP}Duty to Warn in “Everyday” Practice
language: en
ce:
  hours: 1
  level: introductory
  provider: Example Training Institute
  approvals:
{NBSP} -{NBSP}body: Example State Board
    number: “1234”
    statement: Approved for 1 contact hour.
"""

ETHICS = f"""\
---
title:{NBSP}Duty to warn
objectives:
{NBSP} -{NBSP}Explain the duty to warn
---

A client’s threat against a named person is not only a clinical matter: it may be a legal
one. This module takes about 10{NBSP}minutes.

## Check your understanding

:::{NBSP}quiz

###{NBSP}Which 1976 California ruling created the duty to warn? {{#kc-ruling}}

={NBSP}“Tarasoff”

>{NBSP}Tarasoff v. Regents of the University of California.

###{NBSP}Confidentiality may be broken to prevent serious and imminent harm. {{#kc-harm}}

-{NBSP}[x]{NBSP}True
-{NBSP}[ ]{NBSP}False

###{NBSP}Which steps come first? Select all that apply. {{#kc-steps}}

-{NBSP}[x]{NBSP}Assess the risk
-{NBSP}[x]{NBSP}Consult a colleague
-{NBSP}[{NBSP}]{NBSP}Wait for the next session

:::{NBSP}
"""

#: A prompt that takes several lines on a phone (the points badge stays beside it).
LONG_PROMPT = (
    "In most jurisdictions, the duty to warn or protect overrides a client’s confidentiality "
    "when which of these is true of what the client said in session?"
)

ASSESSMENT = f"""\
---
title: Post-test
---

## Post-test

:::{NBSP}test {{attempts=2}}

###{NBSP}{LONG_PROMPT} {{#post-duty}}

-{NBSP}[ ]{NBSP}the client is angry
-{NBSP}[x]{NBSP}there is a serious threat to an identifiable person
-{NBSP}[ ]{NBSP}a colleague asks

###{NBSP}Name the 1976 ruling. {{#post-ruling}}

={NBSP}“Tarasoff”
={NBSP}Tarasoff{NBSP}v.{NBSP}Regents

:::

## Course evaluation

::: survey

###{NBSP}The course met its objectives.

-{NBSP}[ ]{NBSP}Disagree
-{NBSP}[ ]{NBSP}Agree

:::
"""


def windows(text: str) -> bytes:
    """``text`` as Word or Notepad saves it: a byte-order mark, CRLF line endings, UTF-8."""
    return (BOM + text.replace("\n", "\r\n")).encode("utf-8")


def write_word_course(root: Path) -> Path:
    (root / "modules").mkdir(parents=True, exist_ok=True)
    (root / "course.yml").write_bytes(windows(COURSE_YML))
    (root / "modules" / "01-duty-to-warn.md").write_bytes(windows(ETHICS))
    (root / "modules" / "02-assessment.md").write_bytes(windows(ASSESSMENT))
    return root
