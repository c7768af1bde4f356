"""benchmarks/external.py: how KnowledgeNet facts are counted (span and name protocols)."""

from __future__ import annotations

from benchmarks import external
from graph.extract.mentions import Mention
from graph.extract.relations import Fact

TEXT = "Jane Roe is the CEO of Acme, where she has worked since 2001."
START = 1000  # the passage's offset in its document: gold offsets are the document's


def _at(word: str, nth: int = 0) -> tuple[int, int]:
    i = -1
    for _ in range(nth + 1):
        i = TEXT.index(word, i + 1)
    return i, i + len(word)


def _gold(subject: str, obj: str, prop: str = "CEO") -> dict:
    (s0, s1), (o0, o1) = _at(subject), _at(obj)
    return {
        "propertyName": prop,
        "subjectStart": START + s0,
        "subjectEnd": START + s1,
        "subjectText": subject,
        "subjectUri": "",
        "objectStart": START + o0,
        "objectEnd": START + o1,
        "objectText": obj,
        "objectUri": "",
    }


#: KnowledgeNet marks every mention pair that states the fact: CEO(Acme, Jane Roe) and CEO(where, she)
PASSAGE = {
    "passageId": "p1",
    "passageStart": START,
    "passageText": TEXT,
    "exhaustivelyAnnotatedProperties": ["CEO"],
    "facts": [_gold("Acme", "Jane Roe"), _gold("where", "she")],
}


def _fact(subject: str, obj: str, spans: list, relation: str = "ceo_of", confidence: float = 0.8) -> Fact:
    return Fact("p1", subject, "Person", relation, obj, "Organization", TEXT, confidence, spans=spans)


def _counts(how: str, facts: list[Fact]) -> tuple[list[int], list]:
    counts, scored = [0, 0, 0], []
    external.KN_MATCHES[how](PASSAGE, "CEO", facts, counts, scored, None)
    return counts, scored


def test_span_protocol_counts_every_gold_mention_pair():
    one_pair = _fact("Jane Roe", "Acme", [(_at("Jane Roe"), _at("Acme"))])
    assert _counts("span", [one_pair])[0] == [1, 0, 1]  # (where, she) is still missing
    both = _fact("Jane Roe", "Acme", [(_at("Jane Roe"), _at("Acme")), (_at("she"), _at("where"))])
    assert _counts("span", [both])[0] == [2, 0, 0]


def test_span_protocol_matches_by_overlap_and_counts_unmatched_predictions():
    surname_only = _fact("Roe", "Acme", [(_at("Roe"), _at("Acme"))])  # overlaps "Jane Roe"
    wrong_pair = _fact("Jane Roe", "Acme", [(_at("Jane Roe"), _at("where"))])  # no gold fact pairs these
    counts, scored = _counts("span", [surname_only, wrong_pair])
    assert counts == [1, 1, 1]
    assert sorted(ok for _, ok in scored) == [False, True]


def test_a_fact_of_another_relation_is_not_scored():
    founder = _fact("Jane Roe", "Acme", [(_at("Jane Roe"), _at("Acme"))], relation="founder_of")
    assert _counts("span", [founder])[0] == [0, 0, 2]


def test_name_protocol_counts_an_entity_pair_once():
    one_pair = _fact("Jane Roe", "Acme", [(_at("Jane Roe"), _at("Acme"))])
    # the gold pairs (Acme, Jane Roe) and (where, she) are two entity pairs by text
    assert _counts("name", [one_pair])[0] == [1, 0, 1]


def test_overlap_needs_a_shared_character():
    assert external._overlap((0, 4), (3, 8))
    assert not external._overlap((0, 4), (4, 8))
    assert not external._overlap((2, 2), (0, 8))  # an empty span overlaps nothing


def _mention(word: str, canonical: str, kind: str, nth: int = 0) -> Mention:
    start, end = _at(word, nth)
    return Mention(start, end, word, kind, 0, canonical)


def test_all_pairs_widens_a_fact_to_every_mention_of_its_entities():
    mentions = [
        _mention("Jane Roe", "Jane Roe", "Person"),
        _mention("Acme", "Acme", "Organization"),
        _mention("where", "Acme", "Organization"),
        _mention("she", "Jane Roe", "Person"),
    ]
    fact = _fact("Jane Roe", "Acme", [(_at("Jane Roe"), _at("Acme"))])
    external._all_pairs(fact, mentions)
    assert sorted(fact.spans) == sorted(
        (s, o) for s in (_at("Jane Roe"), _at("she")) for o in (_at("Acme"), _at("where"))
    )
    # KnowledgeNet marks the whole cross product; this passage's gold marks two of the four pairs
    assert _counts("span", [fact])[0] == [2, 2, 0]


def test_pronouns_standing_for_themselves_are_one_entity_per_person():
    assert external._entity_of("I") == external._entity_of("my") != external._entity_of("we")
    assert external._entity_of("Acme") == "Acme"


def test_extracted_facts_carry_their_mention_spans():
    text = "John Lundgren is CEO of Stanley Black & Decker, a position he has held since 2004."
    (fact,) = [
        f for f in external._facts({"p": text}, external.mode_options("full", "kn"))["p"] if f.relation == "ceo_of"
    ]
    spans = {(text[s[0] : s[1]], text[o[0] : o[1]]) for s, o in fact.spans}
    assert {("John Lundgren", "Stanley Black & Decker"), ("he", "Stanley Black & Decker")} <= spans
    assert "spans" not in fact.to_dict()
