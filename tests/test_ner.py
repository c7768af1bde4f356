"""The news-adapted entity recogniser: built by ``make train`` (not in the repository), loaded
beside the model's own ner when asked for (``DEALGRAPH_NER_MODEL=adapted``; off by default, for speed)."""

import os
from pathlib import Path

import pytest

from graph.extract import load_pipeline, ner_weights

NER = Path(__file__).resolve().parents[1] / "graph" / "resources" / "ner"
BUILT = pytest.mark.skipif(not (NER / "model" / "model").is_file(), reason="the adapted NER is built by `make train`")


def test_off_by_default_and_a_clear_warning_when_missing(monkeypatch, tmp_path):
    assert os.environ.get("DEALGRAPH_NER_MODEL") is not None or ner_weights() is None  # off by default
    monkeypatch.setenv("DEALGRAPH_NER_MODEL", str(tmp_path))
    with pytest.warns(UserWarning, match="make train"):
        assert ner_weights() is None
    card = (NER / "MODEL_CARD.md").read_text()
    assert "python -m benchmarks.train_ner" in card and "dwie_dev" in card


@BUILT
def test_built_and_small(monkeypatch):
    monkeypatch.setenv("DEALGRAPH_NER_MODEL", "adapted")
    assert ner_weights() is not None
    size = sum(p.stat().st_size for p in NER.rglob("*") if p.is_file())
    assert size < 20_000_000


@BUILT
def test_pipeline_keeps_the_model_components_and_other_types(monkeypatch):
    monkeypatch.setenv("DEALGRAPH_NER_MODEL", "adapted")
    load_pipeline.cache_clear()
    try:
        nlp = load_pipeline()
    finally:
        load_pipeline.cache_clear()
    assert nlp.pipe_names.index("dealgraph_ner") > nlp.pipe_names.index("ner")
    doc = nlp("Flowers Foods paid $2 billion on January 5, 2010, said chief executive Allen Shiver in Georgia.")
    labels = {e.text: e.label_ for e in doc.ents}
    assert labels.get("Flowers Foods") == "ORG"
    assert labels.get("Allen Shiver") == "PERSON"
    assert "MONEY" in labels.values() and "DATE" in labels.values()
