"""Score extracted facts against gold facts: precision, recall and F1 per relation.

Gold and predictions are JSON Lines in the fact contract. A predicted fact
matches a gold fact of the same article and relation when its subject and object
name the gold entities: names are compared by :func:`graph.resolve.entity_key`
(so "Apple Inc." = "Apple") and the gold ``aliases`` count too. ``deal_with`` is
symmetric. A past role (``"former": true``) matches only a past role, a current one
only a current one. Each gold fact can be matched once.

On the matched deal facts (``acquired``, ``invested_in``, ``deal_with``) the
details are scored too (:func:`detail_accuracy`): ``value`` (equal within 0.5%),
``currency``, ``date`` and ``status``, each the share of matched deals whose
detail equals the gold's (both empty counts as equal).

>>> gold = [{"article": "a", "subject": "Apple", "subject_type": "Organization", "relation": "launched",
...          "object": "Apple Pay", "object_type": "Product"}]
>>> pred = [{"article": "a", "subject": "Apple Inc.", "subject_type": "Organization", "relation": "launched",
...          "object": "Apple Pay", "object_type": "Product"}]
>>> evaluate(gold, pred)["overall"]["f1"]
1.0
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from graph.errors import SourceError
from graph.ns import RELATIONS
from graph.resolve import entity_key

__all__ = ["evaluate", "read_jsonl", "REQUIRED", "prf", "match_facts", "detail_accuracy", "DEAL_RELATIONS", "DETAILS"]

#: the relations whose facts are deals, with details to score
DEAL_RELATIONS = ("acquired", "invested_in", "deal_with")
#: the deal details :func:`detail_accuracy` scores
DETAILS = ("value", "currency", "date", "status")


#: the fields every gold or predicted fact needs (the rest, ``evidence`` included, are optional)
REQUIRED = ("article", "subject", "relation", "object")


def read_jsonl(path: str | Path, required: Iterable[str] = ()) -> list[dict]:
    """The objects of a JSON Lines file; a SourceError names a malformed line, or one
    that is not an object with a non-empty string for each field of ``required``.

    >>> import tempfile, os
    >>> f = os.path.join(tempfile.mkdtemp(), "gold.jsonl")
    >>> _ = open(f, "w").write('{"article": "a.txt", "subject": "Apple", "relation": "launched"}\\n')
    >>> read_jsonl(f, REQUIRED)
    Traceback (most recent call last):
    ...
    graph.errors.SourceError: ...gold.jsonl:1: a fact needs a non-empty 'object' (a string)
    """
    out = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if line.strip():
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as e:
                    raise SourceError(f"malformed JSON ({e.msg})", str(path), n) from e
                if required and not isinstance(obj, dict):
                    raise SourceError("expected a JSON object (one fact a line)", str(path), n)
                for key in required:
                    if not isinstance(obj.get(key), str) or not obj[key].strip():
                        raise SourceError(f"a fact needs a non-empty {key!r} (a string)", str(path), n)
                out.append(obj)
    return out


def prf(tp: int, fp: int, fn: int) -> dict:
    """Precision, recall, F1 and the counts, as a dict (0.0 where undefined).

    >>> prf(8, 0, 2)["f1"]
    0.889
    """
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "tp": tp, "fp": fp, "fn": fn}


def _names(fact: dict, role: str) -> set[str]:
    type_ = fact.get(f"{role}_type") or "Organization"
    names = {fact[role], *(fact.get("aliases", {}) or {}).get(role, [])}
    keys = {entity_key(n, type_) for n in names if n}
    if type_ == "Person":  # a surname alone also names the person
        keys |= {entity_key(n, type_).split()[-1] for n in names if n and len(n.split()) > 1}
    return keys


def _same(gold: dict, pred: dict) -> bool:
    if gold["relation"] != pred["relation"] or bool(gold.get("former")) != bool(pred.get("former")):
        return False
    ps = entity_key(pred["subject"], pred.get("subject_type") or "Organization")
    po = entity_key(pred["object"], pred.get("object_type") or "Organization")
    gs, go = _names(gold, "subject"), _names(gold, "object")
    if ps in gs and po in go:
        return True
    return gold["relation"] == "deal_with" and ps in go and po in gs


def _article_key(path: str) -> str:
    return Path(str(path).split(":")[0]).name


def match_facts(gold: list[dict], pred: list[dict]) -> list[tuple[dict | None, dict | None]]:
    """Pairs (gold, pred): matched, gold-only (missed) and pred-only (wrong)."""
    by_article: dict[str, list[dict]] = defaultdict(list)
    for g in gold:
        by_article[_article_key(g["article"])].append(g)
    used: set[int] = set()
    pairs = []
    for p in pred:
        hit = next(
            (g for g in by_article.get(_article_key(p["article"]), []) if id(g) not in used and _same(g, p)),
            None,
        )
        if hit is not None:
            used.add(id(hit))
        pairs.append((hit, p))
    pairs.extend((g, None) for g in gold if id(g) not in used)
    return pairs


def _detail_equal(field: str, gold, pred) -> bool:
    if gold is None or pred is None:
        return gold is None and pred is None
    if field == "value":
        return abs(float(gold) - float(pred)) <= 0.005 * max(abs(float(gold)), abs(float(pred)))
    return str(gold) == str(pred)


def detail_accuracy(pairs: Iterable[tuple[dict | None, dict | None]]) -> tuple[dict, list[dict]]:
    """Accuracy of each deal detail on the matched deal facts, and the mismatches.

    Returns ``({field: {"accuracy", "correct", "total"}, ..., "overall": ...}, errors)``;
    ``overall`` counts every (fact, detail) comparison. With no matched deal, every
    accuracy is 1.0 over a total of 0.

    >>> g = {"relation": "acquired", "value": 13.7e9, "currency": "USD", "date": "2017-08-28", "status": "completed"}
    >>> p = {**g, "value": 13.7e9 + 1, "status": "announced"}
    >>> scores, errors = detail_accuracy([(g, p)])
    >>> scores["value"]["accuracy"], scores["status"]["accuracy"], scores["overall"]["accuracy"]
    (1.0, 0.0, 0.75)
    >>> errors[0]["field"], errors[0]["gold"], errors[0]["pred"]
    ('status', 'completed', 'announced')
    """
    counts = {f: [0, 0] for f in DETAILS}
    errors = []
    for g, p in pairs:
        if g is None or p is None or g["relation"] not in DEAL_RELATIONS:
            continue
        for f in DETAILS:
            ok = _detail_equal(f, g.get(f), p.get(f))
            counts[f][0] += ok
            counts[f][1] += 1
            if not ok:
                errors.append(
                    {
                        "kind": "detail",
                        "field": f,
                        "gold": g.get(f),
                        "pred": p.get(f),
                        **{k: g.get(k) for k in ("article", "subject", "relation", "object", "evidence")},
                    }
                )
    counts["overall"] = [sum(c[0] for c in counts.values()), sum(c[1] for c in counts.values())]
    scores = {f: {"accuracy": round(c / t, 3) if t else 1.0, "correct": c, "total": t} for f, (c, t) in counts.items()}
    return scores, errors


def evaluate(gold: Iterable[dict], pred: Iterable[dict], relations: Iterable[str] | None = None) -> dict:
    """Scores per relation and overall, and deal details:
    ``{"overall": prf, "relations": {rel: prf}, "details": {...}, "errors": [...]}``
    (``details`` as :func:`detail_accuracy`; ``errors`` lists missed, wrong and
    ``detail`` errors).

    Predictions for articles with no gold are ignored (they cannot be scored).
    """
    gold, pred = list(gold), list(pred)
    gold_articles = {_article_key(g["article"]) for g in gold}
    pred = [p for p in pred if _article_key(p["article"]) in gold_articles]
    keep = set(relations or RELATIONS)
    gold = [g for g in gold if g["relation"] in keep]
    pred = [p for p in pred if p["relation"] in keep]
    counts = {r: [0, 0, 0] for r in keep}
    errors = []
    pairs = match_facts(gold, pred)
    for g, p in pairs:
        rel = (g or p)["relation"]
        if g is not None and p is not None:
            counts[rel][0] += 1
        elif p is not None:
            counts[rel][1] += 1
            errors.append(
                {
                    "kind": "wrong",
                    **{
                        k: p.get(k)
                        for k in ("article", "subject", "relation", "object", "former", "confidence", "evidence")
                    },
                }
            )
        else:
            counts[rel][2] += 1
            errors.append(
                {
                    "kind": "missed",
                    **{k: g.get(k) for k in ("article", "subject", "relation", "object", "former", "evidence")},
                }
            )
    total = [sum(c[i] for c in counts.values()) for i in range(3)]
    details, detail_errors = detail_accuracy(pairs)
    return {
        "overall": prf(*total),
        "relations": {r: prf(*c) for r, c in sorted(counts.items()) if any(c)},
        "details": details,
        "errors": errors + detail_errors,
    }
