"""Questions -> a QTI 2.1 content package: ``imsmanifest.xml``, one ``assessmentItem`` per
question, the files they show, and an ``assessmentTest`` for the post-test.

Each item scores 1 (``SCORE``, out of ``MAXSCORE`` 1) when right and 0 when wrong, by a standard
response-processing template where one does: ``match_correct`` (choice, multiple-choice,
true-false, matching, sequencing) and ``map_response`` (fill-in: every alternative mapped to 1,
letter case ignored). Numeric ranges are checked by rules of their own (``low ≤ RESPONSE ≤
high``), and so is every item with feedback, which a template cannot show: the same scoring,
plus ``FEEDBACK`` (the chosen choices) and ``FEEDBACK_GENERAL`` (``GENERAL``) outcomes, which
``modalFeedback`` elements show. Survey scales and essays have no correct response and are
not scored.

The test draws its questions as the course does (``selection``, ``ordering``), weighs each item
by its points (``weight``), and computes ``SCORE`` (points earned over points drawn) and ``PASS``
(``SCORE`` at least ``PASSING_SCORE``, the course's pass mark).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lxml import etree

from ceforge.banks import qtihtml
from ceforge.banks.common import (
    Item,
    accepted_answers,
    all_html,
    decimal_text,
    local_files,
    midpoint,
    question_html,
    xml_safe,
)
from ceforge.banks.qtihtml import QTI_NS, q
from ceforge.diagnostics import Code, Reporter
from ceforge.model import Block, BlockKind, Course, Question, QuestionType
from ceforge.targets.base import OutputFile

FORMAT = "QTI 2.1"
CP_NS = "http://www.imsglobal.org/xsd/imscp_v1p1"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
ITEM_SCHEMA = f"{QTI_NS} http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1p2.xsd"
CP_SCHEMA = f"{CP_NS} http://www.imsglobal.org/xsd/qti/qtiv2p1/qtiv2p1_imscpv1p2_v1p0.xsd"
TEMPLATES = "http://www.imsglobal.org/question/qti_v2p1/rptemplates/"
TEST_FILE = "assessment-test.xml"
#: Text a learner may type into a fill-in or numeric field, as in the course.
EXPECTED_LENGTH = {QuestionType.FILL_IN: 100, QuestionType.NUMERIC: 32}


def item_id(question: Question) -> str:
    """The item identifier: an NCName, whatever the question id starts with."""
    return f"item-{question.id}"


def item_file(question: Question) -> str:
    return f"{item_id(question)}.xml"


def choice_id(choice_id: str) -> str:
    return f"C{choice_id}"


def qti_package(course: Course, items: list[Item], reporter: Reporter) -> list[OutputFile]:
    """The files of the package (``ceforge.package`` zips them)."""
    files: list[OutputFile] = []
    media: dict[str, list[str]] = {}
    for item in items:
        files.append(OutputFile(item_file(item.question), _xml(assessment_item(item))))
        paths = [p for h in all_html(item.question) for p in local_files(h, course)]
        media[item.question.id] = sorted(set(paths))
    shown = sorted({p for paths in media.values() for p in paths})
    files += [OutputFile(path, source=Path(course.root) / path) for path in shown]
    test = next((i.block for i in items if i.block.kind is BlockKind.TEST), None)
    if test is not None:
        pool = [i.question for i in items if i.block is test]
        files.append(OutputFile(TEST_FILE, _xml(assessment_test(course, test, pool))))
        if test.attempts:
            reporter.report(
                test.loc,
                Code.BANK_CHANGED,
                f"the test's {test.attempts} attempts are a setting of the system that "
                f"delivers it, which {FORMAT} does not carry: set them there",
            )
    files.append(OutputFile("imsmanifest.xml", _xml(manifest(items, media, shown, test))))
    return files


def _nsmap(default: str) -> Any:
    """A default namespace and xsi (lxml takes None as the default's prefix; its stubs do not)."""
    return {None: default, "xsi": XSI_NS}


def _xml(element: etree._Element) -> bytes:
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# --- the manifest --------------------------------------------------------------------------------


def manifest(
    items: list[Item], media: dict[str, list[str]], shown: list[str], test: Block | None
) -> etree._Element:
    root = etree.Element(f"{{{CP_NS}}}manifest", nsmap=_nsmap(CP_NS))
    root.set("identifier", "MANIFEST-ceforge")
    root.set(f"{{{XSI_NS}}}schemaLocation", CP_SCHEMA)
    metadata = etree.SubElement(root, f"{{{CP_NS}}}metadata")
    etree.SubElement(metadata, f"{{{CP_NS}}}schema").text = "QTIv2.1 Package"
    etree.SubElement(metadata, f"{{{CP_NS}}}schemaversion").text = "1.0.0"
    etree.SubElement(root, f"{{{CP_NS}}}organizations")
    resources = etree.SubElement(root, f"{{{CP_NS}}}resources")
    file_ids = {path: f"file-{index}" for index, path in enumerate(shown, start=1)}
    if test is not None:
        resource = _resource(resources, "test", "imsqti_test_xmlv2p1", TEST_FILE)
        for item in items:
            if item.block is test:
                etree.SubElement(resource, f"{{{CP_NS}}}dependency",
                                 identifierref=item_id(item.question))
    for item in items:
        question = item.question
        resource = _resource(resources, item_id(question), "imsqti_item_xmlv2p1",
                             item_file(question))
        for path in media[question.id]:
            etree.SubElement(resource, f"{{{CP_NS}}}dependency", identifierref=file_ids[path])
    for path, ident in file_ids.items():
        _resource(resources, ident, "webcontent", path)
    return root


def _resource(parent: etree._Element, ident: str, kind: str, href: str) -> etree._Element:
    resource = etree.SubElement(
        parent, f"{{{CP_NS}}}resource", identifier=ident, type=kind, href=href
    )
    etree.SubElement(resource, f"{{{CP_NS}}}file", href=href)
    return resource


# --- an item -------------------------------------------------------------------------------------


def assessment_item(item: Item) -> etree._Element:
    question = item.question
    root = etree.Element(q("assessmentItem"), nsmap=_nsmap(QTI_NS))
    root.set(f"{{{XSI_NS}}}schemaLocation", ITEM_SCHEMA)
    root.set("identifier", item_id(question))
    root.set("title", xml_safe(question.prompt_text))
    root.set("adaptive", "false")
    root.set("timeDependent", "false")
    shape = SHAPES[question.type]
    response = etree.SubElement(
        root, q("responseDeclaration"), identifier="RESPONSE",
        cardinality=shape.cardinality, baseType=shape.base_type,
    )
    shape.declare(response, question)
    scored = question.type.gradable
    feedback = _has_feedback(question)
    if scored:
        _outcome(root, "SCORE", "float", "0")
        _outcome(root, "MAXSCORE", "float", "1")
    if _choice_feedback(question):
        etree.SubElement(root, q("outcomeDeclaration"), identifier="FEEDBACK",
                         cardinality=shape.cardinality, baseType="identifier")
    if question.feedback_html:
        etree.SubElement(root, q("outcomeDeclaration"), identifier="FEEDBACK_GENERAL",
                         cardinality="single", baseType="identifier")
    body = etree.SubElement(root, q("itemBody"))
    for block in qtihtml.paragraphs(qtihtml.fragment(question_html(question))):
        body.append(block)
    shape.interaction(body, item)
    if scored and (feedback or shape.custom):
        processing = etree.SubElement(root, q("responseProcessing"))
        shape.score(processing, question)
        if feedback:
            _set_feedback(processing, question)
    elif scored:
        etree.SubElement(root, q("responseProcessing"), template=TEMPLATES + shape.template)
    elif feedback:
        _set_feedback(etree.SubElement(root, q("responseProcessing")), question)
    if feedback:
        _modal_feedback(root, question)
    return root


def _outcome(root: etree._Element, ident: str, base: str, default: str) -> None:
    outcome = etree.SubElement(root, q("outcomeDeclaration"), identifier=ident,
                               cardinality="single", baseType=base)
    value = etree.SubElement(etree.SubElement(outcome, q("defaultValue")), q("value"))
    value.text = default


def _has_feedback(question: Question) -> bool:
    return bool(question.feedback_html or _choice_feedback(question))


def _choice_feedback(question: Question) -> bool:
    return any(c.feedback_html for c in question.choices)


def _set_feedback(processing: etree._Element, question: Question) -> None:
    """FEEDBACK := the chosen choices; FEEDBACK_GENERAL := GENERAL (shown once answered)."""
    if _choice_feedback(question):
        rule = etree.SubElement(processing, q("setOutcomeValue"), identifier="FEEDBACK")
        etree.SubElement(rule, q("variable"), identifier="RESPONSE")
    if question.feedback_html:
        rule = etree.SubElement(processing, q("setOutcomeValue"), identifier="FEEDBACK_GENERAL")
        _base(rule, "identifier", "GENERAL")


def _modal_feedback(root: etree._Element, question: Question) -> None:
    shown = [
        ("FEEDBACK", choice_id(c.id), c.feedback_html)
        for c in question.choices
        if c.feedback_html
    ]
    if question.feedback_html:
        shown.append(("FEEDBACK_GENERAL", "GENERAL", question.feedback_html))
    for outcome, ident, html in shown:
        feedback = etree.SubElement(root, q("modalFeedback"), outcomeIdentifier=outcome,
                                    showHide="show", identifier=ident)
        for block in qtihtml.paragraphs(qtihtml.fragment(html)):
            feedback.append(block)


def _base(parent: etree._Element, base: str, value: str) -> etree._Element:
    element = etree.SubElement(parent, q("baseValue"), baseType=base)
    element.text = value
    return element


def _set_score(parent: etree._Element, value: str) -> None:
    _base(etree.SubElement(parent, q("setOutcomeValue"), identifier="SCORE"), "float", value)


def _if_else(processing: etree._Element) -> etree._Element:
    """``responseIf`` (whose condition the caller adds first) setting SCORE 1, else 0."""
    condition = etree.SubElement(processing, q("responseCondition"))
    return etree.SubElement(condition, q("responseIf"))


def _finish(response_if: etree._Element) -> None:
    _set_score(response_if, "1")
    condition = response_if.getparent()
    assert condition is not None
    _set_score(etree.SubElement(condition, q("responseElse")), "0")


# --- one shape per type --------------------------------------------------------------------------


class Shape:
    cardinality = "single"
    base_type = "identifier"
    template = "match_correct"
    custom = False

    def declare(self, response: etree._Element, question: Question) -> None:
        """The correct response (and mapping) of ``question``."""

    def interaction(self, body: etree._Element, item: Item) -> None:
        raise NotImplementedError

    def score(self, processing: etree._Element, question: Question) -> None:
        """The template's rules, written out (for items that also set feedback)."""
        response_if = _if_else(processing)
        match = etree.SubElement(response_if, q("match"))
        etree.SubElement(match, q("variable"), identifier="RESPONSE")
        etree.SubElement(match, q("correct"), identifier="RESPONSE")
        _finish(response_if)


def _correct(response: etree._Element, values: list[str]) -> None:
    correct = etree.SubElement(response, q("correctResponse"))
    for value in values:
        etree.SubElement(correct, q("value")).text = value


def _choices(parent: etree._Element, question: Question) -> None:
    for choice in question.choices:
        element = etree.SubElement(parent, q("simpleChoice"), identifier=choice_id(choice.id))
        qtihtml.append(element, qtihtml.fragment(choice.html, inline=True))


class ChoiceShape(Shape):
    def declare(self, response: etree._Element, question: Question) -> None:
        right = [choice_id(c.id) for c in question.choices if c.correct]
        if question.type is not QuestionType.LIKERT:
            _correct(response, right)

    def interaction(self, body: etree._Element, item: Item) -> None:
        question = item.question
        fixed = question.type in (QuestionType.TRUE_FALSE, QuestionType.LIKERT)
        shuffle = item.block.shuffle and item.block.kind is not BlockKind.SURVEY and not fixed
        many = question.type is QuestionType.MULTIPLE_CHOICE
        interaction = etree.SubElement(
            body, q("choiceInteraction"), responseIdentifier="RESPONSE",
            shuffle="true" if shuffle else "false", maxChoices="0" if many else "1",
        )
        if many:
            interaction.set("minChoices", "1")
        _choices(interaction, question)


class MultipleShape(ChoiceShape):
    cardinality = "multiple"


class FillInShape(Shape):
    base_type = "string"
    template = "map_response"

    def declare(self, response: etree._Element, question: Question) -> None:
        _correct(response, question.answers[:1])
        mapping = etree.SubElement(response, q("mapping"), defaultValue="0",
                                   lowerBound="0", upperBound="1")
        for answer in dict.fromkeys(a.casefold() for a in accepted_answers(question)):
            etree.SubElement(mapping, q("mapEntry"), mapKey=xml_safe(answer), mappedValue="1",
                             caseSensitive="false")

    def interaction(self, body: etree._Element, item: Item) -> None:
        paragraph = etree.SubElement(body, q("p"))
        etree.SubElement(paragraph, q("textEntryInteraction"), responseIdentifier="RESPONSE",
                         expectedLength=str(EXPECTED_LENGTH[QuestionType.FILL_IN]))

    def score(self, processing: etree._Element, question: Question) -> None:
        rule = etree.SubElement(processing, q("setOutcomeValue"), identifier="SCORE")
        etree.SubElement(rule, q("mapResponse"), identifier="RESPONSE")


class NumericShape(Shape):
    base_type = "float"
    custom = True

    def declare(self, response: etree._Element, question: Question) -> None:
        assert question.numeric is not None
        centre, _margin = midpoint(question.numeric.low, question.numeric.high)
        _correct(response, [decimal_text(centre)])

    def interaction(self, body: etree._Element, item: Item) -> None:
        paragraph = etree.SubElement(body, q("p"))
        etree.SubElement(paragraph, q("textEntryInteraction"), responseIdentifier="RESPONSE",
                         expectedLength=str(EXPECTED_LENGTH[QuestionType.NUMERIC]))

    def score(self, processing: etree._Element, question: Question) -> None:
        assert question.numeric is not None
        response_if = _if_else(processing)
        both = etree.SubElement(response_if, q("and"))
        for op, bound in (("gte", question.numeric.low), ("lte", question.numeric.high)):
            compare = etree.SubElement(both, q(op))
            etree.SubElement(compare, q("variable"), identifier="RESPONSE")
            _base(compare, "float", decimal_text(bound))
        _finish(response_if)


class MatchingShape(Shape):
    cardinality = "multiple"
    base_type = "directedPair"

    def declare(self, response: etree._Element, question: Question) -> None:
        _correct(response, [f"S{p.source.id} T{p.target.id}" for p in question.pairs])

    def interaction(self, body: etree._Element, item: Item) -> None:
        pairs = item.question.pairs
        interaction = etree.SubElement(
            body, q("matchInteraction"), responseIdentifier="RESPONSE",
            shuffle="true", maxAssociations=str(len(pairs)),
        )
        sources = etree.SubElement(interaction, q("simpleMatchSet"))
        for pair in pairs:
            choice = etree.SubElement(sources, q("simpleAssociableChoice"),
                                      identifier=f"S{pair.source.id}", matchMax="1")
            choice.text = xml_safe(pair.source.text)
        targets = etree.SubElement(interaction, q("simpleMatchSet"))
        for target in {p.target.id: p.target for p in pairs}.values():
            choice = etree.SubElement(targets, q("simpleAssociableChoice"),
                                      identifier=f"T{target.id}", matchMax="0")
            choice.text = xml_safe(target.text)


class OrderShape(Shape):
    cardinality = "ordered"

    def declare(self, response: etree._Element, question: Question) -> None:
        _correct(response, [choice_id(c.id) for c in question.choices])

    def interaction(self, body: etree._Element, item: Item) -> None:
        interaction = etree.SubElement(body, q("orderInteraction"),
                                       responseIdentifier="RESPONSE", shuffle="true")
        _choices(interaction, item.question)


class EssayShape(Shape):
    base_type = "string"

    def interaction(self, body: etree._Element, item: Item) -> None:
        etree.SubElement(body, q("extendedTextInteraction"), responseIdentifier="RESPONSE")


SHAPES: dict[QuestionType, Shape] = {
    QuestionType.CHOICE: ChoiceShape(),
    QuestionType.TRUE_FALSE: ChoiceShape(),
    QuestionType.LIKERT: ChoiceShape(),
    QuestionType.MULTIPLE_CHOICE: MultipleShape(),
    QuestionType.FILL_IN: FillInShape(),
    QuestionType.NUMERIC: NumericShape(),
    QuestionType.MATCHING: MatchingShape(),
    QuestionType.SEQUENCING: OrderShape(),
    QuestionType.ESSAY: EssayShape(),
}


# --- the test ------------------------------------------------------------------------------------


def assessment_test(course: Course, block: Block, pool: list[Question]) -> etree._Element:
    root = etree.Element(q("assessmentTest"), nsmap=_nsmap(QTI_NS))
    root.set(f"{{{XSI_NS}}}schemaLocation", ITEM_SCHEMA)
    root.set("identifier", f"test-{block.id}")
    root.set("title", xml_safe(course.config.title))
    for ident, default in (("SCORE", "0"), ("SCORE_RAW", "0"), ("SCORE_MAX", "0"),
                           ("PASSING_SCORE", decimal_text(course.config.passing_score))):
        _outcome(root, ident, "float", default)
    _outcome(root, "PASS", "boolean", "false")
    part = etree.SubElement(root, q("testPart"), identifier="post-test",
                            navigationMode="nonlinear", submissionMode="simultaneous")
    section = etree.SubElement(part, q("assessmentSection"), identifier="pool",
                               title="Post-test", visible="true")
    if block.draw is not None:
        etree.SubElement(section, q("selection"), select=str(block.draw))
    etree.SubElement(section, q("ordering"), shuffle="true")
    for question in pool:
        ref = etree.SubElement(section, q("assessmentItemRef"), identifier=item_id(question),
                               href=item_file(question))
        etree.SubElement(ref, q("weight"), identifier="points",
                         value=decimal_text(question.points))
    processing = etree.SubElement(root, q("outcomeProcessing"))
    for ident, variable in (("SCORE_RAW", "SCORE"), ("SCORE_MAX", "MAXSCORE")):
        rule = etree.SubElement(processing, q("setOutcomeValue"), identifier=ident)
        etree.SubElement(etree.SubElement(rule, q("sum")), q("testVariables"),
                         variableIdentifier=variable, weightIdentifier="points")
    rule = etree.SubElement(processing, q("setOutcomeValue"), identifier="SCORE")
    divide = etree.SubElement(rule, q("divide"))
    etree.SubElement(divide, q("variable"), identifier="SCORE_RAW")
    etree.SubElement(divide, q("variable"), identifier="SCORE_MAX")
    rule = etree.SubElement(processing, q("setOutcomeValue"), identifier="PASS")
    gte = etree.SubElement(rule, q("gte"))
    etree.SubElement(gte, q("variable"), identifier="SCORE")
    etree.SubElement(gte, q("variable"), identifier="PASSING_SCORE")
    return root

