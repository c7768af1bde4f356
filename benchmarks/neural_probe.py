"""Does a fine-tuned transformer beat the shipped linear relation classifier? A probe.

Run ``pip install -e '.[train,neural]'`` then ``python -m benchmarks.neural_probe``
(about 15 min on 2 cores; writes ``benchmarks/results/neural_probe.json``). Not part
of the pipeline: this measures whether a neural scorer is worth building in. It first
counts the KnowledgeNet dev facts the candidate pairs can reach at all (the recall
of a perfect scorer; ``--ceiling-only`` stops there and needs no torch).

The scorer is :class:`graph.extract.neural.PairScorer` (the MiniLM-L6 encoder,
fine-tuned, one pass per sentence). Encoding a sentence once for all its pairs made
training and scoring about 15 times faster than marking each pair's mentions in its
own copy of the sentence, at a small cost in quality (measured on one rotation).

The comparison uses the held-out rotations of :mod:`benchmarks.heldout` on the same
labelled candidate pairs (the rules' candidates, :func:`benchmarks.train_relations.collect`):
for each rotation, the linear model (each label at the L2 strength the shipped model
chose) and the neural scorer are trained on the two training folds and the FIRE
half, and both score the held-out pairs. Reported per label: average precision
(threshold free) and the best pair-level F1 over all thresholds (an upper bound,
for every scorer alike), for the linear model, the neural one, and their blend
(the sum of the two log-odds, weights fixed at 1:1 beforehand). These are pair-level
figures, not the benchmark's text-level F1: a pair the rules already state is
counted here although the classifier adds nothing to it.

``--end-to-end`` measures the blend the way :mod:`benchmarks.heldout` measures the
linear model, in text-level F1: per rotation, the linear model is trained as there;
the scorer is trained on the same side, and the blend's Platt scaling and
threshold (for the labels in ``--blend``) come from out-of-fold scores over that
side's three groups (each scored by a linear model and a scorer trained on the other
two); then :mod:`benchmarks.external` scores the held-out side with and without the
blend. About 9 minutes per rotation. ``--final DIR`` trains the blend the same way
on all the development data (calibrated out of fold over its four groups) and
scores it once on the test data, beside nothing else: read it once, decide nothing
on it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from benchmarks.external import KN_MAP, RESULTS, _kn_gold_clusters, _matches
from benchmarks.heldout import DEFAULT_DATA, ROTATIONS
from benchmarks.train_relations import KN_LABEL, Pair, _keys, _run, _z, best_threshold, collect, platt, train
from graph.extract import load_pipeline
from graph.extract.classifier import LABELS, calibrated, candidate_pairs, load_model
from graph.extract.neural import Candidate, PairScorer
from graph.extract.relations import _aliases


def _candidates(pairs: list[Pair]) -> list[Candidate]:
    return [Candidate(p.text, p.a, p.b, p.type_a, p.type_b, p.labels) for p in pairs]


def _neural(train_pairs: list[Pair], epochs: int) -> PairScorer:
    return PairScorer(LABELS).fit(_candidates(train_pairs), epochs=epochs)


def ceiling(data: Path, folds: set[int]) -> dict[str, dict[str, int]]:
    """Per label, how many KnowledgeNet gold facts of ``folds`` at least one candidate
    pair matches: the recall a perfect scorer of these candidates would have."""
    path = data / "knowledgenet" / "knowledgenet_facts_folds1-4.jsonl"
    passages = [
        p
        for p in map(json.loads, path.open(encoding="utf-8"))
        if p["fold"] in folds and set(p["exhaustivelyAnnotatedProperties"]) & set(KN_MAP)
    ]
    out = {lab: {"gold": 0, "reachable": 0} for lab in LABELS}
    for p, doc in zip(passages, _run(load_pipeline(), [p["passageText"] for p in passages])):
        mentions = doc._.dg_mentions or []
        aliases = _aliases([m for m in mentions if m.via != "pronoun"])
        cands = [
            (kind, _keys(a, aliases, "Person" if kind == "PO" else "Organization"), _keys(b, aliases, "Organization"))
            for kind, a, b, _, _ in candidate_pairs(
                doc, mentions, wide=True, self_named=bool(doc.user_data.get("dg_pronouns"))
            )
        ]
        for prop in set(p["exhaustivelyAnnotatedProperties"]) & set(KN_MAP):
            lab = KN_LABEL[prop]
            kind = "OO" if lab == "subsidiary" else "PO"
            for cluster in _kn_gold_clusters(p, prop):
                # gold CEO and FOUNDED_BY are (org, person); candidates are (person, org)
                spans = [(o, s) if prop in ("CEO", "FOUNDED_BY") else (s, o) for s, o in cluster]
                out[lab]["gold"] += 1
                out[lab]["reachable"] += any(
                    k == kind and _matches(ka, gs) and _matches(kb, go) for gs, go in spans for k, ka, kb in cands
                )
    return out


def _scores(z: list[float], ys: list[int]) -> dict:
    from sklearn.metrics import average_precision_score

    probs = [calibrated([1.0, 0.0], v) for v in z]
    best = best_threshold(probs, ys)[1]
    return {"ap": round(float(average_precision_score(ys, z)), 3), "best_f1": best.get("f1", 0.0)}


def rotation(pairs: list[Pair], rot: tuple[str, str, str, str], c: dict[str, float], epochs: int) -> dict:
    """Train both scorers on one rotation's training side; score its held-out side."""
    train_folds, train_part, test_fold, _ = rot
    even = train_part == "even"

    def in_train(p: Pair) -> bool:
        return p.group[2:] in train_folds.split(",") if p.group != "fire" else (p.part % 2 == 0) == even

    def in_test(p: Pair) -> bool:
        return p.group == f"kn{test_fold}" or (p.group == "fire" and (p.part % 2 == 0) != even)

    tr, te = [p for p in pairs if in_train(p)], [p for p in pairs if in_test(p)]
    t0 = time.perf_counter()
    scorer = _neural(tr, epochs)
    fit_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    neural = scorer.log_odds(_candidates(te))
    score_s = time.perf_counter() - t0
    out = {
        "train_pairs": len(tr),
        "test_pairs": len(te),
        "fit_s": round(fit_s, 1),
        "score_s": round(score_s, 1),
        "labels": {},
    }
    for lab in LABELS:
        w, b = train(tr, lab, c=c[lab])
        rows = [(p, n) for p, n in zip(te, neural) if lab in p.labels]
        ys = [p.labels[lab] for p, _ in rows]
        lin = [_z(w, b, p.feats) for p, _ in rows]
        neu = [n[lab] if n else -30.0 for _, n in rows]
        out["labels"][lab] = {
            "n": len(ys),
            "positive": sum(ys),
            "linear": _scores(lin, ys),
            "neural": _scores(neu, ys),
            "blend": _scores([x + y for x, y in zip(lin, neu)], ys),
            "_ys": ys,
            "_z": {"linear": lin, "neural": neu},
        }
    return out


def end_to_end(
    data: Path, pairs: list[Pair], k: int, c: dict[str, float], epochs: int, work: Path, blend: tuple[str, ...]
) -> dict:
    """Text-level held-out figures of one rotation, linear alone and blended."""
    import subprocess

    train_folds, train_part, test_fold, test_part = ROTATIONS[k - 1]
    even = train_part == "even"
    side = [
        p for p in pairs if (p.group[2:] in train_folds.split(",") if p.group != "fire" else (p.part % 2 == 0) == even)
    ]
    linear = work / f"linear{k}.json"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.train_relations",
            "--data",
            str(data),
            "--kn-folds",
            train_folds,
            "--fire-part",
            train_part,
            "--out",
            str(linear),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    blended = blended_model(side, linear, c, epochs, work, blend, str(k))
    model = json.loads(blended.read_text())
    out = {}
    for name, path in (("linear", linear), ("blend", blended)):
        result = work / f"{name}{k}_result.json"
        subprocess.run(
            [
                sys.executable,
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
            env={**os.environ, "DEALGRAPH_RELATIONS_MODEL": str(path)},
            stdout=subprocess.DEVNULL,
        )
        out[name] = json.loads(result.read_text())
    out["blend_calibration"] = model["blend"]["labels"]
    return out


def blended_model(
    side: list[Pair], linear: Path, c: dict[str, float], epochs: int, work: Path, blend: tuple[str, ...], tag: str
) -> Path:
    """The linear model at ``linear`` with a ``blend`` section: a scorer fine-tuned on
    ``side``, and per label in ``blend`` the Platt scaling and threshold of the summed
    log-odds, fitted out of fold over ``side``'s groups. Writes ``blend{tag}.json`` and
    ``scorer{tag}.pt`` into ``work``."""
    oof = {lab: ([], []) for lab in blend}
    for held in sorted({p.group for p in side}):
        rest, test = [p for p in side if p.group != held], [p for p in side if p.group == held]
        nn = _neural(rest, epochs).log_odds(_candidates(test))
        for lab in blend:
            w, b = train(rest, lab, c=c[lab])
            for p, n in zip(test, nn):
                if lab in p.labels:
                    oof[lab][0].append(_z(w, b, p.feats) + (n[lab] if n else -30.0))
                    oof[lab][1].append(p.labels[lab])
    weights = work / f"scorer{tag}.pt"
    _neural(side, epochs).save(weights)
    model = json.loads(linear.read_text())
    model["blend"] = {"weights": str(weights), "scorer_labels": list(LABELS), "labels": {}}
    for lab, (zs, ys) in oof.items():
        a, b = platt(zs, ys)
        threshold, fit = best_threshold([calibrated([a, b], z) for z in zs], ys)
        model["blend"]["labels"][lab] = {"platt": [a, b], "threshold": threshold, "out_of_fold": fit}
    blended = work / f"blend{tag}.json"
    blended.write_text(json.dumps(model))
    return blended


def _final_main(args, pairs: list[Pair], c: dict[str, float]) -> int:
    """The blend trained on all the development data, scored once on KnowledgeNet fold 4
    and FIRE test beside the shipped linear model (``--final DIR``)."""
    import subprocess

    from benchmarks.external import table
    from benchmarks.train_relations import MODEL_PATH

    args.final.mkdir(parents=True, exist_ok=True)
    blended = blended_model(pairs, MODEL_PATH, c, args.epochs, args.final, tuple(args.blend.split(",")), "")
    result = args.final / "result.json"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.external",
            "--data",
            str(args.data),
            "--kn-folds",
            "4",
            "--fire-split",
            "test",
            "--json",
            str(result),
        ],
        check=True,
        env={**os.environ, "DEALGRAPH_RELATIONS_MODEL": str(blended)},
        stdout=subprocess.DEVNULL,
    )
    res = json.loads(result.read_text())
    print(table("KnowledgeNet fold 4, linear + neural blend", res["knowledgenet"]), "\n")
    print(table("FIRE test, linear + neural blend", res["fire"]))
    out = {
        "blend": args.blend,
        "epochs": args.epochs,
        "calibration": json.loads(blended.read_text())["blend"]["labels"],
        **{k: res[k] for k in ("knowledgenet", "fire")},
    }
    args.json.with_name("neural_blend_test.json").write_text(json.dumps(out, indent=1))
    return 0


def _pooled(results: list[dict]) -> dict:
    """Per label and scorer, the figures over the rotations' held-out pairs pooled."""
    table = {}
    for lab in LABELS:
        ys = [y for r in results for y in r["labels"][lab]["_ys"]]
        lin = [z for r in results for z in r["labels"][lab]["_z"]["linear"]]
        neu = [z for r in results for z in r["labels"][lab]["_z"]["neural"]]
        table[lab] = {
            "n": len(ys),
            "positive": sum(ys),
            "linear": _scores(lin, ys),
            "neural": _scores(neu, ys),
            "blend": _scores([x + y for x, y in zip(lin, neu)], ys),
        }
    return table


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--rotations", default="1,2,3", help="which of benchmarks.heldout's rotations to run")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--json", type=Path, default=RESULTS / "neural_probe.json")
    ap.add_argument("--ceiling-only", action="store_true", help="only count the gold facts the candidates can reach")
    ap.add_argument("--end-to-end", action="store_true", help="text-level held-out F1 with and without the blend")
    ap.add_argument("--blend", default="ceo,member", help="the labels blended in --end-to-end and --final")
    ap.add_argument(
        "--final",
        type=Path,
        metavar="DIR",
        help="train the blend on all the development data into DIR (scorer weights, model JSON) and "
        "score it once on KnowledgeNet fold 4 and FIRE test (results/neural_blend_test.json)",
    )
    args = ap.parse_args(argv)
    reach = ceiling(args.data, {1, 2, 3})
    gold, hit = sum(r["gold"] for r in reach.values()), sum(r["reachable"] for r in reach.values())
    print(
        "candidate ceiling, KnowledgeNet folds 1-3: "
        + ", ".join(f"{lab} {r['reachable']}/{r['gold']}" for lab, r in reach.items())
        + f"; all {hit}/{gold} = {hit / gold:.3f}"
    )
    if args.ceiling_only:
        return 0
    import torch

    torch.set_num_threads(args.threads)
    pairs = collect(args.data, {1, 2, 3}, "all")
    c = {lab: load_model()["labels"][lab]["c"] for lab in LABELS}
    if args.end_to_end:
        return _end_to_end_main(args, pairs, c)
    if args.final:
        return _final_main(args, pairs, c)
    results = []
    for k in (int(x) for x in args.rotations.split(",")):
        r = rotation(pairs, ROTATIONS[k - 1], c, args.epochs)
        print(
            f"rotation {k}: {r['train_pairs']} training pairs, fit {r['fit_s']} s; "
            f"{r['test_pairs']} held-out pairs scored in {r['score_s']} s",
            file=sys.stderr,
        )
        results.append(r)
    pooled = _pooled(results)
    print(
        f"{'label':<11} {'n':>5} {'pos':>4}  {'AP lin':>6} {'neural':>6} {'blend':>6}  {'F1* lin':>7} {'neural':>6} {'blend':>6}"
    )
    for lab, row in pooled.items():
        print(
            f"{lab:<11} {row['n']:>5} {row['positive']:>4}  "
            + " ".join(f"{row[s]['ap']:>6.3f}" for s in ("linear", "neural", "blend"))
            + "  "
            + " ".join(
                f"{row[s]['best_f1']:>7.3f}" if s == "linear" else f"{row[s]['best_f1']:>6.3f}"
                for s in ("linear", "neural", "blend")
            )
        )
    print("AP: average precision; F1*: best pair-level F1 over thresholds (held-out pairs of the rotations pooled)")
    for r in results:
        for row in r["labels"].values():
            row.pop("_ys")
            row.pop("_z")
    out = {
        "protocol": __doc__.split("\n\n")[3].replace("\n", " "),
        "epochs": args.epochs,
        "candidate_ceiling_kn_dev": {**reach, "all": {"gold": gold, "reachable": hit}},
        "pooled": pooled,
        "rotations": dict(zip(args.rotations.split(","), results)),
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(out, indent=1))
    return 0


def _end_to_end_main(args, pairs: list[Pair], c: dict[str, float]) -> int:
    import tempfile

    from benchmarks.external import table
    from benchmarks.heldout import summed

    with tempfile.TemporaryDirectory() as tmp:
        runs = [
            end_to_end(args.data, pairs, int(k), c, args.epochs, Path(tmp), tuple(args.blend.split(",")))
            for k in args.rotations.split(",")
        ]
    out = {
        "protocol": __doc__.split("\n\n")[-1].replace("\n", " "),
        "blend": args.blend,
        "epochs": args.epochs,
        "calibration": [r["blend_calibration"] for r in runs],
    }
    for name in ("linear", "blend"):
        out[name] = {
            "kn": summed([r[name] for r in runs], "knowledgenet"),
            "fire": summed([r[name] for r in runs], "fire"),
        }
        print(table(f"KnowledgeNet dev, held out, {name}", out[name]["kn"]), "\n")
        print(table(f"FIRE dev, held out, {name}", out[name]["fire"]), "\n")
    path = args.json.with_name("neural_probe_end_to_end.json")
    path.write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
