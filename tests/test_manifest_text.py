"""Manifest text as LMSs read it: element text escaped only as XML requires.

Autoescape writes ``"`` as ``&#34;``; Moodle's manifest reader drops the whitespace-only text
between two character references, so a title ``Core Skills & "OARS"`` showed in Moodle as
``Core Skills &"OARS"``. Every manifest ceforge writes (both SCORM versions and their
metadata, tincan.xml, cmi5.xml) now carries quotes as plain characters in element text and
escapes only ``&`` and ``<``; attributes keep every escape.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from ceforge.build import build
from ceforge.targets.base import BuildOptions
from ceforge.validate import validate_package

TITLE = "Core Skills & \"OARS\" <Intro> — l'éthique du « soin »"
MODULE = 'Reflections & "Summaries" > Advice'
VERSION = '2.0 "beta"'

COURSE_YML = f"""\
id: urn:ceforge:test:oars
title: '{TITLE.replace("'", "''")}'
version: '{VERSION}'
description: 'Listening & "reflecting", in < 2 hours'
keywords: ['MI & OARS', '"quotes"']
"""
MODULE_MD = f"""\
---
title: '{MODULE}'
---

Open questions, affirmations, reflections and summaries.

::: test

### Which skill mirrors the client's words? {{#post-reflect}}

- [x] A reflection
- [ ] Advice

:::
"""

PACKAGES = {
    "scorm12": ("scorm12", BuildOptions(), ["imsmanifest.xml", "metadata.xml"]),
    "scorm2004-4th": ("scorm2004", BuildOptions(), ["imsmanifest.xml", "metadata.xml"]),
    "scorm2004-3rd": (
        "scorm2004", BuildOptions(scorm_edition=3), ["imsmanifest.xml", "metadata.xml"]
    ),
    "scorm12-module": ("scorm12", BuildOptions(sco="module"), ["imsmanifest.xml"]),
    "tincan": ("tincan", BuildOptions(), ["tincan.xml"]),
    "cmi5": ("cmi5", BuildOptions(), ["cmi5.xml"]),
}


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("oars")
    (root / "modules").mkdir()
    (root / "course.yml").write_text(COURSE_YML, encoding="utf-8")
    (root / "modules" / "01-oars.md").write_text(MODULE_MD, encoding="utf-8")
    return root


@pytest.mark.parametrize("name", sorted(PACKAGES))
def test_manifest_text_keeps_quotes_plain(
    name: str, course: Path, tmp_path: Path
) -> None:
    target, options, manifests = PACKAGES[name]
    (package,) = build(course, [target], tmp_path, options=options).paths
    assert validate_package(package).findings == []
    with zipfile.ZipFile(package) as archive:
        for manifest in manifests:
            data = archive.read(manifest)
            text = data.decode("utf-8")
            texts = [
                t for e in etree.fromstring(data).iter() if isinstance(e.tag, str)
                for t in [e.text] if t and t.strip()
            ]
            assert TITLE in texts, manifest
            # Escaped only as XML requires: '&' and '<'; quotes and '>' as they are.
            assert "Core Skills &amp; \"OARS\" &lt;Intro> — l'éthique du « soin »" in text
            between_tags = "".join(part.split(">", 1)[-1] for part in text.split("<"))
            assert "&#34;" not in between_tags and "&#39;" not in between_tags, manifest
            assert "&gt;" not in between_tags and "&quot;" not in between_tags, manifest
            if manifest == "imsmanifest.xml":
                assert MODULE in texts or name != "scorm12-module"
                # An attribute keeps its escapes: the version's quotes.
                assert 'version="2.0 &#34;beta&#34;"' in text
                assert etree.fromstring(data).get("version") == VERSION
