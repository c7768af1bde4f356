"""Held-out development score of the relation classifier: three rotations, summed.

Run ``python -m benchmarks.heldout`` or ``make heldout`` (about 70 s on 2 cores;
needs ``pip install -e '.[train]'``). Each rotation trains a model on two KnowledgeNet
development folds and one half of FIRE dev (:mod:`benchmarks.train_relations`)
and scores the third fold and the other half (:mod:`benchmarks.external`, the
model passed through ``DEALGRAPH_RELATIONS_MODEL``)::

    train KN {1,2} + FIRE dev even -> score KN fold 3 + FIRE dev odd
    train KN {1,3} + FIRE dev odd  -> score KN fold 2 + FIRE dev even
    train KN {2,3} + FIRE dev even -> score KN fold 1 + FIRE dev odd

The counts of the three are summed into one table per data set. This is the
number to make decisions on: KnowledgeNet fold 4 and FIRE test are never read.
Each rotation runs in its own process (the pipeline caches its model), two at a
time.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from benchmarks.external import RESULTS, _summary, table
from benchmarks.splits import DEFAULT_DATA

ROTATIONS = (("1,2", "even", "3", "odd"), ("1,3", "odd", "2", "even"), ("2,3", "even", "1", "odd"))


def _rotation(data: Path, work: Path, k: int, rotation: tuple[str, str, str, str], extra: list[str]) -> dict:
    train_folds, train_part, test_fold, test_part = rotation
    model, result = work / f"model{k}.json", work / f"result{k}.json"
    py = sys.executable
    subprocess.run(
        [
            py,
            "-m",
            "benchmarks.train_relations",
            "--data",
            str(data),
            "--kn-folds",
            train_folds,
            "--fire-part",
            train_part,
            "--out",
            str(model),
            *extra,
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    env = {**os.environ, "DEALGRAPH_RELATIONS_MODEL": str(model)}
    subprocess.run(
        [
            py,
            "-m",
            "benchmarks.external",
            "--data",
            str(data),
            "--kn-folds",
            test_fold,
            "--fire-split",
            "dev",
            "--fire-part",
            test_part,
            "--json",
            str(result),
        ],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    return json.loads(result.read_text())


def summed(results: list[dict], key: str, sub: str | None = None) -> dict:
    """One table from the rotations' counts (tp, fp, fn summed per relation); ``sub`` picks a
    nested result (KnowledgeNet's ``other_match``), which has no calibration table."""
    parts = [res[key][sub] if sub else res[key] for res in results]
    rels = parts[0]["relations"]
    counts = {r: [sum(part["relations"][r][c] for part in parts) for c in ("tp", "fp", "fn")] for r in rels}
    exclude = {"person_org"} if key == "fire" else set()
    out = _summary(
        counts,
        {"rotations": len(results), **({"match": parts[0]["match"]} if "match" in parts[0] else {})},
        overall_exclude=exclude,
    )
    if sub:
        out.pop("calibration")
        return out
    for k, row in enumerate(out["calibration"]):
        row["n"] = sum(res[key]["calibration"][k]["n"] for res in results)
        row["right"] = sum(res[key]["calibration"][k]["right"] for res in results)
        row["share_right"] = round(row["right"] / row["n"], 3) if row["n"] else None
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--json", type=Path, default=RESULTS / "external_dev_heldout.json")
    ap.add_argument("--jobs", type=int, default=2, help="rotations run at once")
    ap.add_argument("train_args", nargs="*", help="passed on to benchmarks.train_relations (after --)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(args.jobs) as pool:
        results = list(
            pool.map(lambda kr: _rotation(args.data, Path(tmp), kr[0], kr[1], args.train_args), enumerate(ROTATIONS))
        )
    out = {
        "protocol": __doc__.split("\n\n")[1].replace("\n", " "),
        "train_args": args.train_args,
        "kn": summed(results, "knowledgenet"),
        "kn_other_match": summed(results, "knowledgenet", "other_match"),
        "fire": summed(results, "fire"),
    }
    print(table("KnowledgeNet dev, held out (3 rotations summed)", out["kn"]), "\n")
    print(table("KnowledgeNet dev, held out, the other protocol", out["kn_other_match"]), "\n")
    print(table("FIRE dev, held out (3 rotations summed)", out["fire"]))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
