"""Train the relation classifier shipped as ``graph/resources/relations_model.json``.

Run ``python -m benchmarks.train_relations`` (CPU, about a minute). Training data:
KnowledgeNet folds 1-3 and FIRE dev only (never fold 4 or FIRE test). Each
candidate pair of mentions in a sentence (:func:`graph.extract.classifier.candidate_pairs`,
with the rules' facts as a feature) is labelled by the benchmark's own matching
(:mod:`benchmarks.external`): ``ceo`` / ``founder`` / ``member`` for a person and an
organisation (KnowledgeNet CEO, FOUNDED_BY, EMPLOYEE_OR_MEMBER_OF; FIRE Employeeof
and a CEO Designation), ``subsidiary`` for an ordered pair of organisations. A label
is used only where the gold is exhaustive for it (KnowledgeNet's
``exhaustivelyAnnotatedProperties``; FIRE has no founder relation).

Candidates are the wide ones of the span-level benchmarks (relative pronouns,
capitalised names the model missed; see :func:`graph.extract.classifier.wide_mentions`).
One L2-regularised logistic regression per label over binary string features,
solved to convergence by scikit-learn's liblinear (``pip install -e '.[train]'``;
only training needs it: the shipped model is a JSON table of weights, scored in
plain Python). The L2 strength is chosen per label from ``--c`` by out-of-fold F1
(it replaced an AdaGrad trainer of ours that stopped short of the optimum: mean
out-of-fold pair-level F1 0.592 -> 0.634). Calibration and thresholds come from
cross-validation over four groups (KnowledgeNet folds 1, 2, 3 and FIRE dev): each
group is scored by a model trained on the other three, Platt scaling is fitted on
those out-of-fold scores, and the threshold is the calibrated probability that
maximises pair-level F1 out of fold. The shipped weights are then trained on all
four groups. ``--kn-folds``/``--fire-part`` train on a subset instead, for
held-out decisions (``--out`` elsewhere and ``DEALGRAPH_RELATIONS_MODEL=...``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import NamedTuple

from benchmarks.external import KN_MAP, _fire_gold, _fire_text, _kn_gold_clusters, _matches, _pred_keys, mode_options
from graph.extract import _prepare, doc_options, load_pipeline
from graph.extract.classifier import LABELS, calibrated, candidate_pairs, pair_features
from graph.extract.relations import _aliases
from graph.sources import Article

MODEL_PATH = Path(__file__).resolve().parents[1] / "graph" / "resources" / "relations_model.json"
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
KN_LABEL = {"CEO": "ceo", "FOUNDED_BY": "founder", "EMPLOYEE_OR_MEMBER_OF": "member", "SUBSIDIARY_OF": "subsidiary"}


def _keys(m, aliases, type_):
    return _pred_keys(m.canonical, [m.text, *aliases.get(m.canonical, [])], type_)


class Pair(NamedTuple):
    """One labelled candidate pair: its features and labels, and where it was read
    (the sentence and the two mentions' character spans in it, for
    ``benchmarks/neural_probe.py``)."""

    group: str  # kn1, kn2, kn3 or fire
    feats: list[str]
    labels: dict[str, int]  # label -> 0/1, only the labels the gold is exhaustive for
    kind: str  # PO or OO
    text: str  # the sentence
    a: tuple[int, int]
    b: tuple[int, int]
    type_a: str
    type_b: str
    part: int = 0  # the passage's or sentence's index in its source, for splitting FIRE dev in halves


def _examples(docs_gold, group: str, parts: list[int] | None = None) -> list[Pair]:
    """A :class:`Pair` for every candidate pair of every doc."""
    out = []
    for n, (doc, gold) in enumerate(docs_gold):
        mentions = doc._.dg_mentions or []
        aliases = _aliases([m for m in mentions if m.via != "pronoun"])
        rules = {}
        for f in doc._.dg_facts or []:
            rules.setdefault((f.subject, f.object), f.relation)
        for kind, a, b, sa, sb in candidate_pairs(doc, mentions, wide=True, self_named=bool(doc.user_data.get("dg_pronouns"))):
            rule = rules.get((a.canonical, b.canonical)) or (rules.get((b.canonical, a.canonical)) and "rev")
            feats = pair_features(doc, a, b, sa, sb, kind, rule)
            ka = _keys(a, aliases, "Person" if kind == "PO" else "Organization")
            kb = _keys(b, aliases, "Organization")
            labels = {}
            for lab, pairs in gold.items():
                if (lab == "subsidiary") != (kind == "OO"):
                    continue
                labels[lab] = int(any(_matches(ka, gs) and _matches(kb, go) for gs, go in pairs))
            if labels:
                s0 = sa.sent.start_char
                out.append(Pair(group, feats, labels, kind, sa.sent.text, (sa.start_char - s0, sa.end_char - s0),
                                (sb.start_char - s0, sb.end_char - s0), a.type, b.type, parts[n] if parts else n))
    return out


def _run(nlp, texts: list[str], data: str = "kn"):
    opts = doc_options(**mode_options("rules", data))  # the benchmark's own candidates, without the classifier
    docs = (_prepare(nlp, Article(id=str(i), source=str(i), text=t), opts) for i, t in enumerate(texts))
    return list(nlp.pipe(docs, batch_size=64))


def collect(data: Path, kn_folds: set[int], fire_part: str) -> list[Pair]:
    """Labelled candidate pairs from KnowledgeNet ``kn_folds`` and FIRE dev."""
    nlp = load_pipeline()
    path = data / "knowledgenet" / "knowledgenet_facts_folds1-4.jsonl"
    passages = [p for p in map(json.loads, path.open(encoding="utf-8"))
                if p["fold"] in kn_folds and set(p["exhaustivelyAnnotatedProperties"]) & set(KN_MAP)]
    examples = []
    docs = _run(nlp, [p["passageText"] for p in passages])
    for fold in sorted(kn_folds):
        pairs = []
        for p, doc in zip(passages, docs):
            if p["fold"] != fold:
                continue
            gold = {}
            for prop in set(p["exhaustivelyAnnotatedProperties"]) & set(KN_MAP):
                clusters = _kn_gold_clusters(p, prop)
                pairs_ = [pair for c in clusters for pair in c]
                if prop in ("CEO", "FOUNDED_BY"):  # gold is (org, person): ours is (person, org)
                    pairs_ = [(go, gs) for gs, go in pairs_]
                gold[KN_LABEL[prop]] = pairs_
            pairs.append((doc, gold))
        examples += _examples(pairs, f"kn{fold}")
    if fire_part != "none":
        sents = json.loads((data / "fire" / "fire_dev.json").read_text(encoding="utf-8"))
        idx = [i for i in range(len(sents)) if fire_part == "all" or (i % 2 == 0) == (fire_part == "even")]
        docs = _run(nlp, [_fire_text(sents[i]["tokens"]) for i in idx], "fire")
        pairs = []
        for i, doc in zip(idx, docs):
            g = _fire_gold(sents[i])
            pairs.append((doc, {"ceo": g.get("ceo_of", []), "member": g.get("person_org", []),
                                "subsidiary": g.get("subsidiary_of", [])}))
        examples += _examples(pairs, "fire", idx)
    return examples


#: training defaults, chosen on held-out development data (see the module docstring)
MIN_COUNT = 2
#: the L2 strengths tried per label; the one with the best out-of-fold F1 is kept
C_GRID = (0.1, 0.3, 1.0)


def train(examples: list, label: str, *, c: float = 0.3, min_count: int = MIN_COUNT) -> tuple[dict[str, float], float]:
    """L2-regularised logistic regression for one label, solved to convergence
    (scikit-learn's liblinear); returns (weights by feature, bias).

    Binary features seen in fewer than ``min_count`` training pairs are dropped.
    """
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    data = [(e.feats, e.labels[label]) for e in examples if label in e.labels]
    counts = Counter(x for f, _ in data for x in set(f))
    vocab = {x: k for k, x in enumerate(sorted(x for x, n in counts.items() if n >= min_count))}
    rows, cols = [], []
    for i, (f, _) in enumerate(data):
        for k in {vocab[x] for x in f if x in vocab}:
            rows.append(i)
            cols.append(k)
    X = sparse.csr_matrix(([1.0] * len(rows), (rows, cols)), shape=(len(data), len(vocab)))
    X.indices, X.indptr = X.indices.astype("int32"), X.indptr.astype("int32")
    y = [v for _, v in data]
    if len(set(y)) < 2:
        return {}, -10.0 if not any(y) else 10.0
    model = LogisticRegression(C=c, solver="liblinear", max_iter=2000).fit(X, y)
    names = list(vocab)
    w = {names[k]: float(v) for k, v in enumerate(model.coef_[0]) if abs(v) >= 1e-3}
    return w, float(model.intercept_[0])


def _z(weights, bias, feats):
    return bias + sum(weights.get(x, 0.0) for x in set(feats))


def _out_of_fold(examples: list, groups: list[str], label: str, **hyper) -> tuple[list[float], list[int]]:
    """Scores of each group's pairs by a model trained on the other groups, and their labels."""
    oof_z, oof_y = [], []
    for held in groups:
        train_ex = [e for e in examples if e.group != held]
        test_ex = [e for e in examples if e.group == held and label in e.labels]
        if not test_ex or not any(label in e.labels for e in train_ex):
            continue
        w, b = train(train_ex, label, **hyper)
        oof_z += [_z(w, b, e.feats) for e in test_ex]
        oof_y += [e.labels[label] for e in test_ex]
    return oof_z, oof_y


def platt(scores: list[float], ys: list[int]) -> tuple[float, float]:
    """Fit p = sigmoid(a*z + b) by gradient descent on log loss."""
    a, b = 1.0, 0.0
    n = max(1, len(scores))
    for _ in range(500):
        ga = gb = 0.0
        for z, y in zip(scores, ys):
            p = calibrated([a, b], z)
            ga += (p - y) * z
            gb += p - y
        a -= 0.5 * ga / n
        b -= 0.5 * gb / n
    return a, b


def best_threshold(probs: list[float], ys: list[int]) -> tuple[float, dict]:
    pairs = sorted(zip(probs, ys), reverse=True)
    total = sum(ys)
    best = (0.0, 0.5, {})
    tp = fp = 0
    for p, y in pairs:
        tp += y
        fp += 1 - y
        prec, rec = tp / (tp + fp), tp / max(1, total)
        f1 = 0 if tp == 0 else 2 * prec * rec / (prec + rec)
        if f1 > best[0] and p >= 0.2:
            best = (f1, p, {"p": round(prec, 3), "r": round(rec, 3), "f1": round(f1, 3)})
    return best[1], best[2]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--kn-folds", default="1,2,3")
    ap.add_argument("--fire-part", default="all", choices=["all", "even", "odd", "none"])
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--c", type=float, nargs="+", default=list(C_GRID),
                    help="inverse L2 strengths to try per label (the best out of fold is kept)")
    ap.add_argument("--min-count", type=int, default=MIN_COUNT, help="drop features seen in fewer pairs")
    args = ap.parse_args(argv)
    hyper = {"c_grid": args.c, "min_count": args.min_count}
    folds = {int(x) for x in args.kn_folds.split(",")}
    if folds & {4}:
        print("fold 4 is the test fold: do not train on it", file=sys.stderr)
        return 2
    examples = collect(args.data, folds, args.fire_part)
    groups = sorted({e.group for e in examples})
    print(f"{len(examples)} candidate pairs in groups {groups}")
    model = {"version": 1, "trained_on": {"kn_folds": sorted(folds), "fire_dev": args.fire_part}, "hyper": hyper,
             "labels": {}}
    for label in LABELS:
        best = None
        for c in hyper["c_grid"]:
            oof_z, oof_y = _out_of_fold(examples, groups, label, c=c, min_count=hyper["min_count"])
            a, b = platt(oof_z, oof_y)
            probs = [calibrated([a, b], z) for z in oof_z]
            threshold, oof = best_threshold(probs, oof_y)
            print(f"  {label:<11} C={c:<5} out-of-fold pair-level {oof}")
            if best is None or oof.get("f1", 0) > best[0].get("f1", 0):
                best = (oof, c, (a, b), threshold, len(oof_y), sum(oof_y))
        oof, c, (a, b), threshold, n, pos = best
        w, bias = train(examples, label, c=c, min_count=hyper["min_count"])
        print(f"{label:<11} n={n:>6} pos={pos:>5} C={c} platt=({a:.3f}, {b:.3f}) "
              f"threshold={threshold:.3f} out-of-fold pair-level {oof} features={len(w)}")
        model["labels"][label] = {"bias": round(bias, 4), "platt": [round(a, 4), round(b, 4)], "c": c,
                                  "threshold": round(threshold, 3), "out_of_fold": oof,
                                  "weights": {x: round(v, 3) for x, v in sorted(w.items()) if round(v, 3)}}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
