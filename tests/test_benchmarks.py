"""The benchmark suite stays runnable: a quick in-process run on 1e4 triples."""

from __future__ import annotations

import json

import pytest

from benchmarks import suite


def test_quick_suite_runs_and_writes_json(tmp_path, capsys):
    out = tmp_path / "suite.json"
    result = suite.main(["--quick", "--reps", "1", "--timeout", "2", "--inprocess", "--no-extract", "--json", str(out)])
    assert json.loads(out.read_text("utf-8"))["records"] == result["records"]
    steps = {(r["step"], r["engine"]) for r in result["records"]}
    for engine in ("dealgraph", "raw", "rdflib"):
        assert ("load (disk store)", engine) in steps
        assert ("query: 2-hop", engine) in steps
    assert ("incremental build (model loaded)", "dealgraph") in steps
    assert not [r for r in result["records"] if r.get("error")]
    for step in ("query: 2-hop", "query: 2-hop (labels joined early)", "query: group-by top-10"):
        rows = {r["engine"]: r["rows"] for r in result["records"] if r["step"] == step and r.get("median") is not None}
        assert {"dealgraph", "raw"} <= set(rows) and len(set(rows.values())) == 1, (step, rows)  # same answers
    printed = capsys.readouterr().out
    assert "| step" in printed and "Targets at the largest size" in printed


def test_deadline_interrupts_python_code():
    with pytest.raises(suite.Deadline):
        with suite.deadline(0.05):
            while True:
                pass


def test_sizes_option():
    assert suite.parse_sizes("1e4,1e5") == [10_000, 100_000]
