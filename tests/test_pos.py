"""Tests for graph/extract/pos.py: the compiled attribute ruler gives the model's parts of speech."""

from __future__ import annotations

import importlib.util

import pytest
from spacy.vocab import Vocab

from graph.extract import MODEL_NAMES
from graph.extract.pos import compile_patterns

needs_model = pytest.mark.skipif(
    not any(importlib.util.find_spec(n) for n in MODEL_NAMES), reason="no English spaCy model installed"
)

# sentences touching the ruler's special cases: pronoun determiners, auxiliaries,
# "do/have" as main verbs, subordinators, "there is", whitespace tokens, "but" as an adverb
SENTENCES = [
    "That is what she said, but all of those who came had left.",
    "There are two ways: do it now, or have someone else do it if you can.",
    "Apple, which makes the iPhone, said  it would  buy Shazam.\n\nThe deal was approved because regulators agreed.",
    "I did not know that. Nobody does! Everyone has something.",
    "Was there a merger?  We haven't heard, although they'd have told us.",
]


@needs_model
def test_same_parts_of_speech_as_the_models_attribute_ruler():
    import spacy

    from graph.extract import _model_name
    from graph.extract.pos import apply_rules

    nlp = spacy.load(_model_name(), exclude=["lemmatizer", "ner"])
    ruler = nlp.get_pipe("attribute_ruler")
    rules = compile_patterns(ruler.patterns, nlp.vocab)
    assert len(rules) > 100
    with nlp.select_pipes(disable=["attribute_ruler"]):
        docs = list(nlp.pipe(SENTENCES))
    for doc in docs:
        ref, new = ruler(doc.copy()), apply_rules(doc.copy(), rules)
        assert [(t.text, t.tag_, t.pos_) for t in new] == [(t.text, t.tag_, t.pos_) for t in ref]
        assert any(t.pos_ for t in new)


@needs_model
def test_pipeline_uses_it():
    from graph.extract import load_pipeline

    nlp = load_pipeline()
    assert "dealgraph_pos" in nlp.pipe_names and "attribute_ruler" not in nlp.pipe_names
    assert [t.pos_ for t in nlp("Tim Cook leads Apple.")][:3] == ["PROPN", "PROPN", "VERB"]


def test_later_patterns_win_and_two_token_patterns_use_their_index():
    import spacy

    vocab = spacy.blank("en").vocab  # a bare Vocab has no lower-case forms
    patterns = [
        {"patterns": [[{"TAG": "VBZ"}]], "attrs": {"POS": "VERB"}, "index": 0},
        {"patterns": [[{"LOWER": {"IN": ["is", "has"]}, "TAG": "VBZ"}]], "attrs": {"POS": "AUX"}, "index": 0},
        {"patterns": [[{"DEP": "expl"}, {"LOWER": "is"}]], "attrs": {"POS": "VERB"}, "index": 1},
    ]
    from spacy.tokens import Doc

    from graph.extract.pos import apply_rules

    doc = Doc(
        vocab,
        words=["There", "is", "news", ";", "it", "runs", "."],
        tags=["EX", "VBZ", "NN", ":", "PRP", "VBZ", "."],
        deps=["expl", "ROOT", "attr", "punct", "nsubj", "ROOT", "punct"],
        heads=[1, 1, 1, 1, 5, 5, 5],
    )
    apply_rules(doc, compile_patterns(patterns, vocab))
    # "is": VERB (rule 1), then AUX (rule 2, later), then VERB again (rule 3 writes token 1 of its match)
    assert [t.pos_ for t in doc] == ["", "VERB", "", "", "", "VERB", ""]
    doc2 = Doc(
        vocab, words=["It", "is", "."], tags=["PRP", "VBZ", "."], deps=["nsubj", "ROOT", "punct"], heads=[1, 1, 1]
    )
    assert [t.pos_ for t in apply_rules(doc2, compile_patterns(patterns, vocab))] == ["", "AUX", ""]


def test_unknown_conditions_are_refused():
    with pytest.raises(ValueError, match="unsupported"):
        compile_patterns([{"patterns": [[{"SHAPE": "Xxxx"}]], "attrs": {"POS": "PROPN"}}], Vocab())
    with pytest.raises(ValueError, match="operator"):
        compile_patterns([{"patterns": [[{"LOWER": {">=": 3}}]], "attrs": {"POS": "X"}}], Vocab())
