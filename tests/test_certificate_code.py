"""The certificate's verification code (``ceforge.certificate``): its form, its check
character, and the lookup a provider makes in the records: a genuine code finds its
completion, a made-up one finds nothing."""

from __future__ import annotations

import random
import uuid
from pathlib import Path
from typing import Any

from ceforge.build import check_course_folder
from ceforge.certificate import (
    ALPHABET,
    CODE_LENGTH,
    check_character,
    find_completion,
    new_code,
    normalize_code,
    printed_code,
)
from ceforge.xapi import vocabulary as v
from ceforge.xapi.learner import LearnerPath, parse_actor, walk
from ceforge.xapi.statements import statement_json

FULL = Path(__file__).parent / "fixtures" / "ce" / "full"
EXTENSIONS = {
    "certificate_code": v.CERTIFICATE_CODE,
    "license_number": v.LICENSE_NUMBER,
    "license_state": v.LICENSE_STATE,
}


def test_a_code_is_twelve_characters_of_the_alphabet_and_reads_back() -> None:
    rng = random.Random(7)
    for _ in range(200):
        code = new_code(rng.randrange)
        assert len(code) == CODE_LENGTH and set(code) <= set(ALPHABET)
        assert normalize_code(code) == code
        shown = printed_code(code)
        assert len(shown) == 14 and shown.count("-") == 2
        assert normalize_code(shown.lower()) == code
        assert normalize_code(" ".join(shown)) == code


def test_the_alphabet_has_no_look_alikes() -> None:
    assert len(ALPHABET) == 32 and not set("01IO") & set(ALPHABET)


def test_the_check_character_catches_every_single_typing_mistake() -> None:
    rng = random.Random(11)
    for _ in range(50):
        code = new_code(rng.randrange)
        for position in range(CODE_LENGTH):
            for wrong in ALPHABET:
                if wrong != code[position]:
                    typo = code[:position] + wrong + code[position + 1:]
                    assert normalize_code(typo) is None, (code, typo)


def test_the_check_character_catches_most_swaps_of_neighbours() -> None:
    rng = random.Random(13)
    caught = total = 0
    for _ in range(300):
        code = new_code(rng.randrange)
        for i in range(CODE_LENGTH - 1):
            if code[i] == code[i + 1]:
                continue
            swapped = code[:i] + code[i + 1] + code[i] + code[i + 2:]
            total += 1
            caught += normalize_code(swapped) is None
    assert caught / total > 0.95


def test_a_known_code_by_the_luhn_mod_32_rule() -> None:
    """Worked by hand: the doubled positions from the right, each sum of base-32 digits."""
    body = "ABCDEFGHJKL"
    total = 0
    for i, char in enumerate(reversed(body)):
        value = ALPHABET.index(char) * (2 if i % 2 == 0 else 1)
        total += value // 32 + value % 32
    assert check_character(body) == ALPHABET[(32 - total % 32) % 32]


def test_bad_codes_are_not_codes() -> None:
    for text in ("", "ABCD-EFGH", "ABCD-EFGH-JKLM-NPQR", "ABCD-EFGH-JK1O", "ÀBCD-EFGH-JKLM"):
        assert normalize_code(text) is None


def completions(seed: int) -> list[dict[str, Any]]:
    """The statements of learners who completed the course (ceforge statements' simulation)."""
    result = check_course_folder(FULL)
    assert result.course is not None
    out: list[dict[str, Any]] = []
    for n in range(3):
        actor = parse_actor(f"mailto:learner{n}@example.org")
        walked = walk(result.course, LearnerPath.PASS, actor, seed=seed + n)
        out += [statement_json(s) for s in walked.statements]
    return out


def test_a_genuine_code_finds_its_completion_and_a_forged_one_nothing() -> None:
    statements = completions(seed=5)
    completed = [s for s in statements if s["verb"]["id"].endswith("/completed")]
    assert len(completed) == 3
    for statement in completed:
        ext = statement["result"]["extensions"]
        code = ext[v.CERTIFICATE_CODE]
        found = find_completion(printed_code(code).lower(), statements, EXTENSIONS)
        assert found is not None
        assert found.learner == statement["actor"] and found.timestamp == statement["timestamp"]
        assert found.activity_id == statement["object"]["id"]
        assert (found.license_number, found.license_state) == (
            ext[v.LICENSE_NUMBER], ext[v.LICENSE_STATE])
        assert found.statement_id == statement["id"]
    # A well-formed code (its check character right) that no completion carries.
    rng = random.Random(99)
    held = {s["result"]["extensions"][v.CERTIFICATE_CODE] for s in completed}
    forged = next(c for c in iter(lambda: new_code(rng.randrange), None) if c not in held)
    assert normalize_code(forged) == forged
    assert find_completion(forged, statements, EXTENSIONS) is None
    # A genuine code on another kind of statement does not count.
    code = completed[0]["result"]["extensions"][v.CERTIFICATE_CODE]
    other = dict(completed[0], id=str(uuid.uuid4()), verb={"id": v.ADL_VERBS + "passed"})
    assert find_completion(code, [other], EXTENSIONS) is None
