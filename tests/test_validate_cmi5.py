"""The cmi5.xml rules of ``ceforge validate`` held against the official cmi5 XSD.

ceforge may not ship CourseStructure.xsd, so ``ceforge.validate.cmi5`` restates its content
model in Python. Here each variant of a small course structure is judged by both: where the
XSD can tell, the verdicts must agree (valid or not); where ceforge is stricter on purpose (ids
that are IRIs and unique, objective references that resolve) the XSD accepts what ceforge
refuses, and the test says so. The XSD is an oracle: the installer copies it into
``.oracles/`` from the shared folder beside the repository; it is never part of the repository.
"""

from __future__ import annotations

import pytest
from lxml import etree

from ceforge.diagnostics import Severity
from ceforge.validate.cmi5 import check_cmi5
from oracles import cmi5_schema
from package_corpus import CMI5_XML

AU = '<au id="https://example.org/tiny/au/1" moveOn="CompletedAndPassed" masteryScore="0.8" \
launchMethod="AnyWindow">'
URL = "    <url>index.html</url>\n"
AU_OBJECTIVES = (
    "    <objectives>\n      <objective idref=\"https://example.org/tiny/objective/1\"/>\n"
    "    </objectives>\n"
)
AU_TITLE = '    <title><langstring lang="en">Lesson one</langstring></title>\n'
AU_DESCRIPTION = '    <description><langstring lang="en">The lesson.</langstring></description>\n'
EXT = 'xmlns:ext="https://example.org/ext"'
AU_SECTION = CMI5_XML[CMI5_XML.index("  <au "):CMI5_XML.index("</courseStructure>")]
OBJECTIVES_SECTION = CMI5_XML[CMI5_XML.index("  <objectives>\n    <objective id"):
                              CMI5_XML.index("  <au ")]

#: name -> (old, new): one change to the valid course structure; every change must occur.
VALID = {
    "as written": ("", ""),
    "mastery 0": ('masteryScore="0.8"', 'masteryScore="0"'),
    "mastery 1.0": ('masteryScore="0.8"', 'masteryScore="1.0"'),
    "mastery .5": ('masteryScore="0.8"', 'masteryScore=".5"'),
    "mastery +0.5": ('masteryScore="0.8"', 'masteryScore="+0.5"'),
    "mastery padded": ('masteryScore="0.8"', 'masteryScore=" 0.5 "'),
    "no optional attributes": (AU, '<au id="https://example.org/tiny/au/1">'),
    "every moveOn": ('moveOn="CompletedAndPassed"', 'moveOn="CompletedOrPassed"'),
    "OwnWindow": ('launchMethod="AnyWindow"', 'launchMethod="OwnWindow"'),
    "launch parameters and key": (URL, URL + "    <launchParameters>a=1</launchParameters>\n"
                                  "    <entitlementKey>k</entitlementKey>\n"),
    "extension element at the end": (URL, URL + f'    <ext:note {EXT}>x</ext:note>\n'),
    "extension attribute": (AU, AU.replace("<au ", f'<au {EXT} ext:x="1" ')),
    "au in a block": (
        AU_SECTION,
        '  <block id="https://example.org/tiny/block/1">\n'
        '    <title><langstring lang="en">Part one</langstring></title>\n'
        '    <description><langstring lang="en">The first part.</langstring></description>\n'
        f"{AU_SECTION}  </block>\n",
    ),
    "no objectives at all": (AU_OBJECTIVES, ""),
    "two langstrings": ('<langstring lang="en">Lesson one</langstring>',
                        '<langstring lang="en">Lesson one</langstring>'
                        '<langstring lang="de-CH">Lektion eins</langstring>'),
    "objective title after description": (
        '      <title><langstring lang="en">Listen</langstring></title>\n'
        '      <description><langstring lang="en">Listen well.</langstring></description>\n',
        '      <description><langstring lang="en">Listen well.</langstring></description>\n'
        '      <title><langstring lang="en">Listen</langstring></title>\n',
    ),
    "absolute url": (URL, "    <url>https://cdn.example.org/tiny/index.html</url>\n"),
}

INVALID = {
    "mastery above 1": ('masteryScore="0.8"', 'masteryScore="1.01"'),
    "mastery negative": ('masteryScore="0.8"', 'masteryScore="-0.1"'),
    "mastery percent": ('masteryScore="0.8"', 'masteryScore="80"'),
    "mastery exponent": ('masteryScore="0.8"', 'masteryScore="1e-1"'),
    "mastery empty": ('masteryScore="0.8"', 'masteryScore=""'),
    "moveOn lower case": ('moveOn="CompletedAndPassed"', 'moveOn="passed"'),
    "moveOn padded": ('moveOn="CompletedAndPassed"', 'moveOn=" Passed"'),
    "launchMethod unknown": ('launchMethod="AnyWindow"', 'launchMethod="NewWindow"'),
    "url before objectives": (AU_OBJECTIVES + URL, URL + AU_OBJECTIVES),
    "description before title": (AU_TITLE + AU_DESCRIPTION, AU_DESCRIPTION + AU_TITLE),
    "no title": (AU_TITLE, ""),
    "no url": (URL, ""),
    "empty url": (URL, "    <url></url>\n"),
    "two urls": (URL, URL + URL),
    "unknown cmi5 element": (URL, URL + "    <duration>PT1H</duration>\n"),
    "unqualified element": (URL, URL + '    <note xmlns="">x</note>\n'),
    "unqualified attribute": (AU, AU.replace("<au ", '<au weight="2" ')),
    "key before parameters": (URL, URL + "    <entitlementKey>k</entitlementKey>\n"
                              "    <launchParameters>a=1</launchParameters>\n"),
    "course without description": (
        '    <description><langstring lang="en">One lesson.</langstring></description>\n'
        "  </course>", "  </course>"),
    "no au": (AU_SECTION, ""),
    "objective without description": (
        '      <description><langstring lang="en">Listen well.</langstring></description>\n'
        "    </objective>", "    </objective>"),
    "objective reference with id": ('<objective idref=', '<objective id='),
    "langstring holding an element": ("<langstring lang=\"en\">Lesson one</langstring>",
                                      "<langstring lang=\"en\">Lesson <b>one</b></langstring>"),
    "bad language tag": ('<langstring lang="en">Lesson one', '<langstring lang="english us">Les'),
    "url with an attribute": (URL, '    <url target="_blank">index.html</url>\n'),
    "title without langstring": ('<title><langstring lang="en">Lesson one</langstring></title>',
                                 "<title>Lesson one</title>"),
    "course without id": ('<course id="https://example.org/tiny">', "<course>"),
    "objectives after the au": (OBJECTIVES_SECTION + AU_SECTION, AU_SECTION + OBJECTIVES_SECTION),
}

#: ceforge refuses these on purpose; the XSD (anyURI, no identity constraints) accepts them.
STRICTER = {
    "au id not an IRI": ('<au id="https://example.org/tiny/au/1"', '<au id="au-1"'),
    "au id equal to the course id": ('<au id="https://example.org/tiny/au/1"',
                                     '<au id="https://example.org/tiny"'),
    "dangling objective reference": ('idref="https://example.org/tiny/objective/1"',
                                     'idref="https://example.org/tiny/objective/9"'),
}


def variant(old: str, new: str) -> bytes:
    assert old in CMI5_XML, old
    return CMI5_XML.replace(old, new, 1).encode()


def ours(document: bytes) -> list[str]:
    _checked, findings = check_cmi5(document, {"index.html"})
    return [str(f) for f in findings if f.severity is Severity.ERROR]


def xsd_accepts(document: bytes) -> bool:
    return cmi5_schema().validate(etree.fromstring(document))


@pytest.mark.parametrize("name", sorted(VALID))
def test_both_accept(name: str) -> None:
    document = variant(*VALID[name])
    assert xsd_accepts(document), cmi5_schema().error_log
    assert ours(document) == []


@pytest.mark.parametrize("name", sorted(INVALID))
def test_both_refuse(name: str) -> None:
    document = variant(*INVALID[name])
    assert not xsd_accepts(document)
    assert ours(document), "the XSD refuses it; ceforge must too"


@pytest.mark.parametrize("name", sorted(STRICTER))
def test_ceforge_is_stricter_than_the_xsd(name: str) -> None:
    document = variant(*STRICTER[name])
    assert xsd_accepts(document)
    assert ours(document)


def test_our_own_cmi5_builds_pass_both(tmp_path: object) -> None:
    """The cmi5.xml of ceforge's template passes the XSD and the rules (the target's own test
    builds it; this one only holds the two judges together on the base of the corpus)."""
    document = CMI5_XML.encode()
    assert xsd_accepts(document) and ours(document) == []
