"""How a typed fill-in answer is compared: one rule, applied at build time to the accepted
answers (here) and in the learner runtime to what the learner types (``normalizeText`` of the
runtime's scoring). ``tests/js`` runs both on the same texts, so they cannot drift apart.

The rule, as docs/runtime.md ("Answer rules") states it:

1. typographic quotes and dashes become the keyboard's: ``‘ ’ ‚ ‛ ′ ‹ ›`` are ``'``,
   ``“ ” „ ‟ ″ « »`` are ``"``, ``‐ ‑ ‒ – — ― − ⁃`` are ``-``, the fraction slash ``⁄`` is
   ``/``; soft hyphens and zero-width spaces (U+00AD, U+200B, U+2060, U+FEFF) are removed;
2. Unicode NFKC normalization (compatibility forms become what a keyboard types: full-width
   letters, ligatures such as ``ﬁ``, the ellipsis ``…`` as ``...``, superscript digits, the
   no-break and other spaces as a space), then step 1 again (NFKC makes ``—`` of ``﹘``);
3. white space (any Unicode space, tab or line break) is trimmed at both ends and each run
   inside becomes one space;
4. letters are lower-cased (Unicode's default mapping: Python's ``str.lower``, JavaScript's
   ``toLowerCase``, which agree; no language-specific rule).

So a designer who pastes ``= “Tarasoff”`` from Word accepts the learner who types
``"tarasoff"``. A character that survives the rule and that most keyboards cannot type (an
arrow, ``©``, an emoji) is reported by ``ceforge check`` (``quiz.untypeable-answer``).
"""

from __future__ import annotations

import re
import unicodedata

#: Characters removed outright (step 1).
INVISIBLE = "\u00ad\u200b\u2060\ufeff"
#: Typographic characters and the keyboard character each becomes (step 1).
TYPOGRAPHIC = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u2039\u203a", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043", "-"),
    "\u2044": "/",
}
#: White space (step 3): what JavaScript's ``\\s`` and Python's ``str.isspace`` share,
#: spelled out so that both sides mean the same characters.
WHITE_SPACE = (
    "\t\n\u000b\u000c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
)
_TABLE = str.maketrans({**dict.fromkeys(INVISIBLE, None), **TYPOGRAPHIC})
_WHITE_SPACE = re.compile(f"[{WHITE_SPACE}]+")
#: Symbols common on keyboards besides ASCII's (the euro and pound signs, the section and
#: degree signs, Spanish inverted marks, the micro sign).
KEYBOARD_SYMBOLS = frozenset("€£¥¢§°¿¡µ¤")


def normalize_answer(text: str) -> str:
    """``text`` as a fill-in answer is compared (the rule of this module's docstring)."""
    text = unicodedata.normalize("NFKC", text.translate(_TABLE)).translate(_TABLE)
    return _WHITE_SPACE.sub(" ", text).strip(" ").lower()


def keyboard_form(text: str) -> str:
    """``text`` with steps 1 and 2 of the rule only: what a learner types for it on a keyboard,
    letter case and spaces kept. An LMS's own quiz that compares answers as typed (Moodle's
    short answer, QTI's ``mapResponse``) accepts a designer's “Tarasoff” only when this form is
    listed beside it."""
    return unicodedata.normalize("NFKC", text.translate(_TABLE)).translate(_TABLE)


def untypeable(answer: str) -> list[str]:
    """The characters of ``answer`` that remain, once it is normalized, beyond what keyboards
    type: letters, combining marks, digits, ASCII, and a few common symbols."""
    found: list[str] = []
    for char in normalize_answer(answer):
        category = unicodedata.category(char)
        if char.isascii() or category[0] in "LM" or category == "Nd":
            continue
        if char not in KEYBOARD_SYMBOLS and char not in found:
            found.append(char)
    return found
