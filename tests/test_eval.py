"""Tests for graph/eval.py and ``dealgraph eval``: matching, past roles, deal details."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from graph.cli import app
from graph.eval import evaluate

DEAL = {
    "article": "a.txt",
    "subject": "Acme",
    "subject_type": "Organization",
    "relation": "acquired",
    "object": "Globex",
    "object_type": "Organization",
    "value": 2.5e9,
    "currency": "USD",
    "date": "2021-03-01",
    "status": "completed",
}
ROLE = {
    "article": "a.txt",
    "subject": "Ann Lee",
    "subject_type": "Person",
    "relation": "ceo_of",
    "object": "Acme",
    "object_type": "Organization",
}


def test_deal_details_are_scored_on_matched_deals_only():
    pred = [
        {**DEAL, "status": "announced", "value": None, "currency": None},
        {**DEAL, "object": "Initech", "status": "proposed"},
    ]  # unmatched: counts as wrong, not as a detail
    scores = evaluate([DEAL], pred)
    d = scores["details"]
    assert (d["status"]["correct"], d["status"]["total"]) == (0, 1)
    assert (d["value"]["accuracy"], d["currency"]["accuracy"], d["date"]["accuracy"]) == (0.0, 0.0, 1.0)
    assert d["overall"] == {"accuracy": 0.25, "correct": 1, "total": 4}
    kinds = sorted((e["kind"], e.get("field")) for e in scores["errors"])
    assert kinds == [("detail", "currency"), ("detail", "status"), ("detail", "value"), ("wrong", None)]


def test_a_value_within_half_a_percent_is_right():
    scores = evaluate([DEAL], [{**DEAL, "value": 2.51e9}])
    assert scores["details"]["value"]["accuracy"] == 1.0
    assert evaluate([DEAL], [{**DEAL, "value": 2.6e9}])["details"]["value"]["accuracy"] == 0.0


def test_a_past_role_matches_only_a_past_role():
    gold = [{**ROLE, "former": True, "end": "2019"}]
    assert evaluate(gold, [{**ROLE, "former": True}])["overall"]["f1"] == 1.0
    current = evaluate(gold, [ROLE])["overall"]
    assert (current["tp"], current["fp"], current["fn"]) == (0, 1, 1)


def test_cli_errors_with_gold_lacking_evidence(tmp_path):
    """Gold lines without ``evidence`` (issue 23): --errors lists them, no TypeError."""
    gold, pred = tmp_path / "gold.jsonl", tmp_path / "pred.jsonl"
    gold.write_text(json.dumps(DEAL) + "\n" + json.dumps(ROLE) + "\n", encoding="utf-8")
    pred.write_text(json.dumps({**DEAL, "status": "announced", "evidence": None}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", str(gold), "--pred", str(pred), "--errors"])
    assert result.exit_code == 0, result.output
    assert "missed" in result.output and "Ann Lee -ceo_of-> Acme" in result.output
    assert "status: gold 'completed', got 'announced'" in result.output
    assert "deal details" in result.output


def test_cli_json_carries_details(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(DEAL) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", str(gold), "--pred", str(gold), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["overall"]["f1"] == 1.0 and scores["details"]["overall"]["accuracy"] == 1.0
