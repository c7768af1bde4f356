"""The document-level harness (benchmarks/dwie.py, conll04.py, splits.py) and the
cross-sentence candidates of the relation classifier."""

from __future__ import annotations

import hashlib

import pytest

from benchmarks.conll04 import entities, score_sentence, sentence_text
from benchmarks.dwie import gold_facts, score_document
from benchmarks.splits import DWIE_DEV_DIGITS, is_dwie_dev
from graph.extract.classifier import cross_pairs
from graph.extract.mentions import Mention
from graph.extract.relations import Fact


def _fact(s, rel, o, spans=(), st="Person"):
    return Fact(
        article="a",
        subject=s,
        subject_type=st,
        relation=rel,
        object=o,
        object_type="Organization",
        evidence="",
        confidence=0.9,
        spans=list(spans),
    )


TEXT = "Acme Corp hired Jane Roe. Roe now leads Acme. The Green Party welcomed Roe."
DOC = {
    "id": "DW_1",
    "content": TEXT,
    "concepts": [
        {"concept": 0, "tags": ["type::company", "type::organization"]},
        {"concept": 1, "tags": ["type::person"]},
        {"concept": 2, "tags": ["type::party", "type::organization"]},
    ],
    "mentions": [
        {"begin": 0, "end": 9, "concept": 0},
        {"begin": 16, "end": 24, "concept": 1},
        {"begin": 26, "end": 29, "concept": 1},
        {"begin": 40, "end": 44, "concept": 0},
        {"begin": 46, "end": 61, "concept": 2},
        {"begin": 71, "end": 74, "concept": 1},
    ],
    "relations": [
        {"s": 1, "p": "head_of", "o": 0},
        {"s": 1, "p": "member_of", "o": 0},
        {"s": 1, "p": "member_of", "o": 2},
    ],
}


def _counts():
    return {r: [0, 0, 0] for r in ("executive_of", "works_for", "founder_of", "subsidiary_of", "offers", "role")}


def test_dwie_gold_drops_the_heads_membership_and_exempts_parties():
    gold, exempt = gold_facts(DOC)
    assert gold == {(1, "executive_of", 0)}
    assert exempt == {(1, 2)}


def test_dwie_a_ceo_counts_as_executive_of_by_any_mention():
    counts = _counts()
    mentions = [
        Mention(16, 24, "Jane Roe", "Person", 0, "Jane Roe"),
        Mention(0, 9, "Acme Corp", "Organization", 0, "Acme"),
    ]
    score_document(DOC, [_fact("Jane Roe", "ceo_of", "Acme")], mentions, counts)
    assert counts["executive_of"] == [1, 0, 0]


def test_dwie_wrong_role_is_strict_but_party_role_is_not_scored():
    counts = _counts()
    facts = [_fact("Jane Roe", "works_for", "Acme Corp"), _fact("Jane Roe", "works_for", "Green Party")]
    score_document(DOC, facts, [], counts)  # aligned by name only
    assert counts["works_for"] == [0, 1, 0]  # a works_for where the gold says head: wrong
    assert counts["executive_of"] == [0, 0, 1]
    assert counts["role"] == [1, 0, 0]  # the coarser person-organisation role is right


def test_dwie_unaligned_prediction_is_a_false_positive():
    counts = _counts()
    score_document(DOC, [_fact("Nobody Else", "founder_of", "Acme")], [], counts)
    assert counts["founder_of"] == [0, 1, 0]


def test_dwie_dev_rule():
    ids = [f"DW_{k}" for k in range(400)]
    dev = [i for i in ids if is_dwie_dev(i)]
    assert all(hashlib.sha1(i.encode()).hexdigest()[-1] in DWIE_DEV_DIGITS for i in dev)
    assert 0.05 < len(dev) / len(ids) < 0.25


def test_conll04_text_entities_and_work_for():
    sent = {
        "tokens": ["Jane", "Roe", ",", "a", "spokeswoman", "for", "Acme", "."],
        "tags": ["B-Peop", "L-Peop", "O", "O", "O", "O", "U-Org", "O"],
        "relations": [{"head": 0, "tail": 1, "type": "Work_For"}],
    }
    text, spans = sentence_text(sent["tokens"])
    assert text == "Jane Roe, a spokeswoman for Acme."
    assert entities(sent) == [("Peop", 0, 2), ("Org", 6, 7)]
    counts, scored = [0, 0, 0], []
    score_sentence(sent, [_fact("Jane Roe", "executive_of", "Acme")], [], counts, scored)
    assert counts == [1, 0, 0] and scored == [(0.9, True)]
    counts = [0, 0, 0]
    score_sentence(sent, [_fact("Jane Roe", "founder_of", "Acme")], [], counts, [])
    assert counts == [0, 0, 1]  # a founder is not counted as Work_For


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Acme Corp said profits rose. Chief executive Jane Roe added that sales were strong.",
            [("Jane Roe", "Acme Corp")],
        ),
        (
            "Acme Corp said profits rose. Jane Roe of Acme Corp disagreed.",
            [],
        ),  # her own sentence names it: no cross pair
    ],
)
def test_cross_pairs(text, expected):
    from graph.extract import load_pipeline

    doc = load_pipeline()(text)
    pairs = [(p.text, o.text) for _, p, o, _, _, _ in cross_pairs(doc, doc._.dg_mentions)]
    assert pairs == expected
