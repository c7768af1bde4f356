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
    assert path.is_file() and len(path.read_bytes()) < 2_000_000
    model = load_model()
    assert set(model["labels"]) == set(LABELS)
    for lab in model["labels"].values():
        assert 0 < lab["threshold"] < 1 and lab["platt"][0] > 0 and lab["weights"]


def test_is_past():
    assert is_past("He served as the chief executive of")
    assert not is_past("She is the chief executive of")


def _run(text: str, **options):
    from graph.extract import extract_many
    from graph.sources import Article

    art = Article(id="t", source="t", text=text)
    return [(f.subject, f.relation, f.object, f.status) for _, facts, _ in extract_many([art], **options) for f in facts]


@needs_model
def test_wider_notions_only_on_request():
    text = "He is currently the president and CEO of Vuguru. Mary Smith was the chief executive officer of Hooli Corp."
    assert _run(text) == []  # news: no pronoun without antecedent, no past role
    wide = _run(text, include_former=True, pronouns=True)
    assert ("He", "ceo_of", "Vuguru", None) in wide
    assert any(s == "Mary Smith" and o == "Hooli" and st == "former" for s, _, o, st in wide)


@needs_model
def test_classifier_switch():
    text = "Tatiana Ivanova is a professor at Kyoto University."
    assert ("Tatiana Ivanova", "works_for", "Kyoto University", None) in _run(text, include_former=True)
    assert _run(text, include_former=True, classifier=False) == []
