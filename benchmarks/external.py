"""Extraction quality on external gold: KnowledgeNet and FIRE (../shared/data).

Run ``python -m benchmarks.external`` (or ``make eval``). Tune on KnowledgeNet
folds 1-3 and FIRE dev; report KnowledgeNet fold 4 and FIRE test::

    python -m benchmarks.external --data ../shared/data --kn-folds 4 --fire-split test

KnowledgeNet (Diffbot, EMNLP 2019). Properties mapped to our relations:
``CEO(org, person)`` <- ``ceo_of(person, org)``; ``FOUNDED_BY(org, person)`` <-
``founder_of``; ``EMPLOYEE_OR_MEMBER_OF(person, org)`` <- any person-organisation
role (ceo_of, executive_of, chair_of, board_member_of, works_for);
``SUBSIDIARY_OF`` <- ``subsidiary_of``. Only the properties a passage lists as
exhaustively annotated are scored there (so a property with no fact is a true
negative). Two text protocols, both computed from one extraction (``--kn-match``
picks the headline, the other is printed beside it):

- ``span`` (default): the official evaluator's ``span_overlap``, the protocol of the
  KnowledgeNet paper and leaderboard. A gold fact is a pair of character spans; every
  gold fact counts, and is found when a prediction's subject and object spans each
  share a character with its own; a prediction that overlaps no gold fact is a false
  positive. The annotators mark every mention pair that states a fact ("John
  Lundgren is CEO of Stanley Black & Decker (SWK), a position he has held" is four
  CEO facts), so a predicted fact stands for every pair of mentions of its two
  entities in the passage (:func:`_all_pairs`): names, resolved pronouns, relative
  pronouns ("where", "which") and self-standing pronouns ("I ... my").
- ``name``: our earlier protocol. Subject and object names must match the gold mention
  texts (normalised; a person also by surname); gold facts that differ only by which
  mention of the same entity they use (same Wikidata IRI, or same text) count once.
  A predicted fact's names are its canonical name, its aliases and the texts of the
  mentions it was read from (``Fact.surface``: "he", "which").

FIRE (NAACL Findings 2024): ``ActionBuy`` between companies <- ``acquired``;
``ActionMerge`` <- ``deal_with`` (symmetric); ``Subsidiaryof`` <- ``subsidiary_of``;
``Productof(product, company)`` <- ``offers(company, product)`` or ``launched`` (a kind of
offers in the ontology; the issue named ``launched`` alone, but FIRE's products are mostly made
or sold, "HP develops printers", not launched; reported as the row ``offers``);
``Employeeof`` <- any person-organisation role (reported as ``person_org``), and
per role through the person's ``Designation`` titles (``roles_of_title``).

FIRE's tokens are rejoined into text with hyphens and dropped possessive
apostrophes closed up (``wholly - owned`` -> ``wholly-owned``). ``--fire-part
even|odd`` scores one half of a split (to tune on one half of dev and check on
the other); ``--errors FILE`` lists every false positive and false negative, for
error analysis on development data only.

Modes (``--mode``): ``full`` (default) runs the rules and the learned classifier
with KnowledgeNet's wider notions switched on (past roles kept, marked
``status="former"``; pronouns with no antecedent stand for themselves, as the
KnowledgeNet text evaluation matches spans; wider classifier candidates) —
benchmark only, never for building a graph. On FIRE, which marks names only, a
pronoun never stands for itself (:data:`FIRE_OPTIONS`). ``rules``: the same
without the classifier; ``news`` / ``news-rules``: the news contract (what
``dealgraph build`` writes). Each table ends with a calibration
table: confidence bins -> number of distinct predictions on the scored relations
and the share of them that match gold (also under ``calibration`` in the JSON).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

from graph.eval import prf
from graph.extract import extract_many
from graph.extract.relations import roles_of_title
from graph.resolve import entity_key
from graph.sources import Article

ROLES = ("ceo_of", "executive_of", "chair_of", "board_member_of", "works_for")
RESULTS = Path(__file__).resolve().parent / "results"
_HONORIFIC = re.compile(r"^(?:mr|mrs|ms|dr|sir|lord|prof)\.?\s+", re.I)


# ------------------------------------------------------------------ names


def _variants(text: str, type_: str) -> set[str]:
    """Normalised forms of a gold mention: whole, without "( alias )", the alias, a surname."""
    text = re.sub(r"\s+([,.)'])", r"\1", re.sub(r"\(\s+", "(", text))
    forms = {text, re.sub(r"\s*\(.*?\)\s*", " ", text).strip()}
    forms |= set(re.findall(r"\((.*?)\)", text))
    out = set()
    for f in forms:
        f = _HONORIFIC.sub("", f.strip())
        if not f:
            continue
        out.add(entity_key(f, type_))
        if type_ == "Person":
            out.add(entity_key(f, type_).split()[-1] if f.split() else "")
    return {o for o in out if o}


def _pred_keys(name: str, aliases: list[str], type_: str) -> set[str]:
    keys = {entity_key(n, type_) for n in (name, *aliases) if n}
    if type_ == "Person":
        keys |= {k.split()[-1] for k in keys if k}
    return keys


def _names(fact, role: str) -> list[str]:
    """The other names of a fact's subject or object: its aliases and the texts of the
    mentions it was read from ("he", "which"), as KnowledgeNet's text evaluation matches spans."""
    return [*fact.aliases.get(role, []), *sorted(getattr(fact, "surface", {}).get(role, ()))]


def _matches(pred_keys: set[str], gold_keys: set[str]) -> bool:
    return bool(pred_keys & gold_keys)


#: how the extractor runs for the benchmarks (see :func:`main`'s --mode)
MODES = {
    "full": {"include_former": True, "pronouns": True, "wide": True, "classifier": True},
    "rules": {"include_former": True, "pronouns": True, "wide": True, "classifier": False},
    "news": {"include_former": False, "pronouns": False, "wide": False, "classifier": True},
    "news-rules": {"include_former": False, "pronouns": False, "wide": False, "classifier": False},
}
#: FIRE marks names only, never a pronoun or "the Company": there a pronoun with no
#: antecedent never stands for itself
FIRE_OPTIONS = {"pronouns": False}


def mode_options(mode: str, data: str) -> dict:
    """The extractor's switches for ``mode`` on data set ``data`` ("kn" or "fire")."""
    return {**MODES[mode], **(FIRE_OPTIONS if data == "fire" else {})}


def _facts(texts: dict[str, str], options: dict) -> dict[str, list]:
    """Run the extractor on passages with ``options`` (:func:`mode_options`); facts by passage id,
    each fact's ``spans`` widened to every mention pair of its two entities (:func:`_all_pairs`)."""
    articles = (Article(id=str(k), source=str(k), text=t) for k, t in texts.items())
    out = {}
    for a, facts, mentions in extract_many(articles, batch_size=64, **options):
        for f in facts:
            _all_pairs(f, mentions)
        out[a.id] = facts
    return out


#: pronouns standing for themselves that name one entity in a passage
_SELF_PRONOUNS = {
    w: group
    for group, words in {
        "i": ("i", "my", "me", "mine"),
        "we": ("we", "our", "us", "ours"),
        "he": ("he", "his", "him"),
        "she": ("she", "her", "hers"),
        "it": ("it", "its"),
        "they": ("they", "their", "them"),
    }.items()
    for w in words
}


def _entity_of(canonical: str) -> str:
    group = _SELF_PRONOUNS.get(canonical.lower())
    return f"pronoun:{group}" if group else canonical


def _all_pairs(fact, mentions: list) -> None:
    """Add to ``fact.spans`` the pairs of every other mention of its subject and object.

    A gold fact of the span-matching benchmarks is a pair of mentions, and their
    annotators mark every pair that states it ("John Lundgren is CEO of Stanley Black &
    Decker (SWK), a position he has held": four CEO facts). Pronouns that stand for
    themselves (no antecedent in the passage) are one entity per person and number: "I
    joined Acme, where I volunteer my time" gives (I, Acme) and (my, Acme).
    """
    by_name: dict[str, list] = defaultdict(list)
    for m in mentions:
        by_name[_entity_of(m.canonical)].append((m.start, m.end))
    subj, obj = by_name.get(_entity_of(fact.subject), []), by_name.get(_entity_of(fact.object), [])
    if len(subj) > 4 or len(obj) > 4:
        return
    for pair in ((s, o) for s in subj for o in obj):
        if pair not in fact.spans and pair[0] != pair[1]:
            fact.spans.append(pair)


#: upper edges of the calibration table's confidence bins
BINS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


def calibration(scored: list[tuple[float, bool]]) -> list[dict]:
    """Confidence bins -> how many predictions fall in each and the share that match gold.

    >>> calibration([(0.95, True), (0.92, False), (0.35, False)])[-1]
    {'bin': '0.90-1.00', 'n': 2, 'right': 1, 'share_right': 0.5}
    """
    rows, low = [], 0.0
    for high in BINS:
        inside = [ok for c, ok in scored if low <= c < high or (high == 1.0 and c >= low)]
        rows.append(
            {
                "bin": f"{low:.2f}-{high:.2f}",
                "n": len(inside),
                "right": sum(inside),
                "share_right": round(sum(inside) / len(inside), 3) if inside else None,
            }
        )
        low = high
    return rows


# ------------------------------------------------------------------ KnowledgeNet

KN_MAP = {  # KnowledgeNet property -> (our relations, swap subject/object)
    "CEO": (("ceo_of",), True),
    "FOUNDED_BY": (("founder_of",), True),
    "EMPLOYEE_OR_MEMBER_OF": (ROLES, False),
    "SUBSIDIARY_OF": (("subsidiary_of",), False),
}
KN_TYPES = {
    "CEO": ("Organization", "Person"),
    "FOUNDED_BY": ("Organization", "Person"),
    "EMPLOYEE_OR_MEMBER_OF": ("Person", "Organization"),
    "SUBSIDIARY_OF": ("Organization", "Organization"),
}


def _kn_gold_clusters(passage: dict, prop: str) -> list[list[tuple[set, set]]]:
    st, ot = KN_TYPES[prop]
    clusters: dict[tuple, list] = defaultdict(list)
    for f in passage["facts"]:
        if f["propertyName"] != prop:
            continue
        key = (f["subjectUri"] or f["subjectText"].lower(), f["objectUri"] or f["objectText"].lower())
        clusters[key].append((_variants(f["subjectText"], st), _variants(f["objectText"], ot)))
    return list(clusters.values())


def _kn_predictions(facts: list, prop: str) -> list[tuple[set, set, float]]:
    """Distinct (subject keys, object keys, best confidence) predicted for ``prop``."""
    rels, swap = KN_MAP[prop]
    out: dict[tuple, list] = {}
    for f in facts:
        if f.relation not in rels:
            continue
        s = _pred_keys(f.subject, _names(f, "subject"), f.subject_type)
        o = _pred_keys(f.object, _names(f, "object"), f.object_type)
        pair = (o, s) if swap else (s, o)
        sig = (frozenset(pair[0]), frozenset(pair[1]))
        if sig not in out:
            out[sig] = [pair[0], pair[1], f.confidence]
        out[sig][2] = max(out[sig][2], f.confidence)
    return [tuple(v) for v in out.values()]


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Character spans that share at least one character (the official ``span_overlap``).

    >>> _overlap((0, 5), (4, 9)), _overlap((0, 5), (5, 9))
    (True, False)
    """
    return a[0] < a[1] and b[0] < b[1] and a[0] < b[1] and b[0] < a[1]


def _kn_span_predictions(facts: list, prop: str, offset: int) -> dict[tuple, float]:
    """Distinct (subject span, object span) -> best confidence predicted for ``prop``, in
    document offsets: one prediction per mention pair a fact was read from."""
    rels, swap = KN_MAP[prop]
    out: dict[tuple, float] = {}
    for f in facts:
        if f.relation not in rels:
            continue
        for s, o in f.spans:
            s, o = (s[0] + offset, s[1] + offset), (o[0] + offset, o[1] + offset)
            pair = (o, s) if swap else (s, o)
            out[pair] = max(out.get(pair, 0.0), f.confidence)
    return out


def _kn_span_counts(p: dict, prop: str, facts: list, counts: list, scored: list, errors: list | None) -> None:
    """The official evaluator's counts for one passage and property: every gold fact is found
    (tp) or not (fn) by a prediction whose subject and object spans overlap its own; a
    prediction that overlaps no gold fact is a false positive."""
    gold = [
        ((f["subjectStart"], f["subjectEnd"]), (f["objectStart"], f["objectEnd"]), f)
        for f in p["facts"]
        if f["propertyName"] == prop
    ]
    preds = _kn_span_predictions(facts, prop, p["passageStart"])
    for (ps, po), conf in preds.items():
        right = any(_same_spans(ps, po, gs, go) for gs, go, _ in gold)
        scored.append((conf, right))
        if not right:
            counts[1] += 1
            if errors is not None:
                errors.append(
                    {
                        "id": p["passageId"],
                        "kind": "fp",
                        "rel": prop,
                        "pred": [_passage_text(p, ps), _passage_text(p, po)],
                        "conf": conf,
                        "text": p["passageText"],
                    }
                )
    for gs, go, f in gold:
        if any(_same_spans(ps, po, gs, go) for ps, po in preds):
            counts[0] += 1
        else:
            counts[2] += 1
            if errors is not None:
                errors.append(
                    {
                        "id": p["passageId"],
                        "kind": "fn",
                        "rel": prop,
                        "gold": [f["subjectText"], f["objectText"]],
                        "text": p["passageText"],
                    }
                )


def _kn_name_counts(p: dict, prop: str, facts: list, counts: list, scored: list, errors: list | None) -> None:
    """Counts by name matching: a gold entity pair stated several times counts once."""
    clusters = _kn_gold_clusters(p, prop)
    found = [False] * len(clusters)
    for ps, po, conf in _kn_predictions(facts, prop):
        hit = next(
            (i for i, c in enumerate(clusters) if any(_matches(ps, gs) and _matches(po, go) for gs, go in c)), None
        )
        scored.append((conf, hit is not None))
        if hit is None:
            counts[1] += 1
            if errors is not None:
                errors.append(
                    {
                        "id": p["passageId"],
                        "kind": "fp",
                        "rel": prop,
                        "pred": [sorted(ps), sorted(po)],
                        "conf": conf,
                        "text": p["passageText"],
                    }
                )
        else:
            counts[0] += 0 if found[hit] else 1
            found[hit] = True
    counts[2] += found.count(False)
    if errors is not None:
        for c, ok in zip(clusters, found):
            if not ok:
                errors.append(
                    {
                        "id": p["passageId"],
                        "kind": "fn",
                        "rel": prop,
                        "gold": [sorted(c[0][0]), sorted(c[0][1])],
                        "text": p["passageText"],
                    }
                )


#: KnowledgeNet's two text protocols: the official evaluator's (the default) and ours by name
KN_MATCHES = {"span": _kn_span_counts, "name": _kn_name_counts}


def knowledgenet(
    data: Path, folds: set[int], mode: str = "full", errors: list | None = None, match: str = "span"
) -> dict:
    """Scores per mapped property on the passages of ``folds``; appends mistakes to ``errors`` if given.

    ``match`` picks the headline protocol (:data:`KN_MATCHES`); the other one is reported too,
    under ``other_match``, from the same extraction."""
    if match not in KN_MATCHES:
        raise ValueError(f"unknown match {match!r}; expected one of {sorted(KN_MATCHES)}")
    path = data / "knowledgenet" / "knowledgenet_facts_folds1-4.jsonl"
    passages = [p for p in map(json.loads, path.open(encoding="utf-8")) if p["fold"] in folds]
    passages = [p for p in passages if set(p["exhaustivelyAnnotatedProperties"]) & set(KN_MAP)]
    t0 = time.perf_counter()
    facts = _facts({p["passageId"]: p["passageText"] for p in passages}, mode_options(mode, "kn"))
    seconds = time.perf_counter() - t0
    words = sum(len(p["passageText"].split()) for p in passages)
    results = {}
    for name, count in KN_MATCHES.items():
        counts = {prop: [0, 0, 0] for prop in KN_MAP}
        scored: list = []
        for p in passages:
            for prop in set(p["exhaustivelyAnnotatedProperties"]) & set(KN_MAP):
                count(p, prop, facts.get(p["passageId"], []), counts[prop], scored, errors if name == match else None)
        results[name] = _summary(counts, {"match": name}, scored=scored)
    other = next(n for n in KN_MATCHES if n != match)
    return {
        **results[match],
        "passages": len(passages),
        "words": words,
        "seconds": round(seconds, 1),
        "mode": mode,
        "other_match": {k: results[other][k] for k in ("match", "relations", "overall")},
    }


# ------------------------------------------------------------------ FIRE


def _fire_text(tokens: list[str]) -> str:
    """The sentence as text: FIRE's tokens rejoined, hyphens and possessives closed up.

    >>> _fire_text(["Tokens", "s", "wholly", "-", "owned", "unit", "(", "TK", ")", "."])
    "Tokens's wholly-owned unit (TK)."
    """
    text = " ".join(tokens)
    text = re.sub(r"\s+([,.;:%)'\]])", r"\1", text)
    text = re.sub(r"(?<=\w) - (?=\w)", "-", text)  # "wholly - owned": a hyphenated word
    text = re.sub(r"(?<=\w) s\b", "'s", text)  # "United s capital": the apostrophe was dropped
    return re.sub(r"([(\[$])\s+", r"\1", text)


def _same_spans(ps, po, gs, go) -> bool:
    return _overlap(ps, gs) and _overlap(po, go)


def _passage_text(p: dict, span) -> str:
    return p["passageText"][span[0] - p["passageStart"] : span[1] - p["passageStart"]]


def _fire_gold(sent: dict) -> dict[str, list[tuple[set, set]]]:
    ents = sent["entities"]

    def name(i):
        return " ".join(sent["tokens"][ents[i]["start"] : ents[i]["end"]])

    def typ(i):
        return {"Person": "Person", "Product": "Product"}.get(ents[i]["type"], "Organization")

    def keys(i):
        return _variants(name(i), typ(i))

    gold: dict[str, list] = defaultdict(list)
    titles: dict[int, list[str]] = defaultdict(list)
    for r in sent["relations"]:
        if r["type"] == "Designation":
            titles[r["head"]].append(name(r["tail"]))
    for r in sent["relations"]:
        h, t = r["head"], r["tail"]
        if r["type"] == "ActionBuy" and ents[t]["type"] == "Company" and ents[h]["type"] == "Company":
            gold["acquired"].append((keys(h), keys(t)))
        elif r["type"] == "ActionMerge":
            gold["deal_with"].append((keys(h), keys(t)))
        elif r["type"] == "Subsidiaryof":
            gold["subsidiary_of"].append((keys(h), keys(t)))
        elif r["type"] == "Productof":
            gold["offers"].append((keys(t), keys(h)))
        elif r["type"] == "Employeeof" and ents[h]["type"] == "Person":
            gold["person_org"].append((keys(h), keys(t)))
            roles = {role for title in titles.get(h, []) for role in roles_of_title(title)} or {"works_for"}
            for role in roles:
                gold[role].append((keys(h), keys(t)))
    return gold


FIRE_RELATIONS = ("acquired", "deal_with", "subsidiary_of", "offers", "person_org", *ROLES)


def fire_sentences(data: Path, split: str, part: str = "all") -> list[dict]:
    """FIRE ``split`` sentences; ``part`` "even" / "odd" keeps every other one (dev halves for tuning)."""
    sents = json.loads((data / "fire" / f"fire_{split}.json").read_text(encoding="utf-8"))
    if part == "all":
        return sents
    return [s for i, s in enumerate(sents) if (i % 2 == 0) == (part == "even")]


def fire(data: Path, split: str, mode: str = "full", part: str = "all", errors: list | None = None) -> dict:
    """Scores per mapped relation on FIRE ``split`` (dev or test), or one half of it (``part``);
    appends mistakes to ``errors`` if given."""
    sents = fire_sentences(data, split, part)
    t0 = time.perf_counter()
    facts = _facts({str(i): _fire_text(s["tokens"]) for i, s in enumerate(sents)}, mode_options(mode, "fire"))
    seconds = time.perf_counter() - t0
    counts = {r: [0, 0, 0] for r in FIRE_RELATIONS}
    scored = []
    for i, s in enumerate(sents):
        gold = _fire_gold(s)
        preds: dict[str, list] = defaultdict(list)
        for f in facts.get(str(i), []):
            pair = (
                _pred_keys(f.subject, _names(f, "subject"), f.subject_type),
                _pred_keys(f.object, _names(f, "object"), f.object_type),
            )
            preds["offers" if f.relation == "launched" else f.relation].append((*pair, f.confidence))
            if f.relation in ROLES:
                preds["person_org"].append((*pair, f.confidence))
        for rel in FIRE_RELATIONS:
            g = gold.get(rel, [])
            found = [False] * len(g)
            for ps, po, conf in preds.get(rel, []):
                hit = next(
                    (
                        k
                        for k, (gs, go) in enumerate(g)
                        if (_matches(ps, gs) and _matches(po, go))
                        or (rel == "deal_with" and _matches(ps, go) and _matches(po, gs))
                    ),
                    None,
                )
                if rel != "person_org":
                    scored.append((conf, hit is not None))
                if hit is None:
                    counts[rel][1] += 1
                    if errors is not None:
                        errors.append(
                            {
                                "id": i,
                                "kind": "fp",
                                "rel": rel,
                                "pred": [sorted(ps), sorted(po)],
                                "conf": conf,
                                "text": _fire_text(s["tokens"]),
                            }
                        )
                elif not found[hit]:
                    counts[rel][0] += 1
                    found[hit] = True
            counts[rel][2] += found.count(False)
            if errors is not None:
                for (gs, go), ok in zip(g, found):
                    if not ok:
                        errors.append(
                            {
                                "id": i,
                                "kind": "fn",
                                "rel": rel,
                                "gold": [sorted(gs), sorted(go)],
                                "text": _fire_text(s["tokens"]),
                            }
                        )
    words = sum(len(s["tokens"]) for s in sents)
    return _summary(
        counts,
        {"sentences": len(sents), "words": words, "seconds": round(seconds, 1), "mode": mode},
        overall_exclude={"person_org"},
        scored=scored,
    )


# ------------------------------------------------------------------ report


def _summary(counts: dict, info: dict, overall_exclude: set = frozenset(), scored=()) -> dict:
    total = [sum(c[i] for r, c in counts.items() if r not in overall_exclude) for i in range(3)]
    return {
        "relations": {r: prf(*c) for r, c in counts.items()},
        "overall": prf(*total),
        **info,
        "calibration": calibration(list(scored)),
    }


def table(title: str, result: dict) -> str:
    lines = [title, f"{'relation':<24}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>6}{'fn':>6}"]
    for rel, s in [*result["relations"].items(), ("overall", result["overall"])]:
        lines.append(
            f"{rel:<24}{s['precision']:>7.3f}{s['recall']:>7.3f}{s['f1']:>7.3f}{s['tp']:>6}{s['fp']:>6}{s['fn']:>6}"
        )
    extra = {k: v for k, v in result.items() if k not in ("relations", "overall", "calibration", "other_match")}
    lines.append("  " + ", ".join(f"{k} {v}" for k, v in extra.items()))
    if result.get("calibration"):
        lines.append(f"  calibration: {'confidence':<12}{'n':>6}{'right':>7}{'share':>8}")
        for row in result["calibration"]:
            share = "-" if row["share_right"] is None else f"{row['share_right']:.3f}"
            lines.append(f"               {row['bin']:<12}{row['n']:>6}{row['right']:>7}{share:>8}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    ap.add_argument("--kn-folds", default="4", help="comma-separated KnowledgeNet folds (tune on 1,2,3; report 4)")
    ap.add_argument("--fire-split", default="test", choices=["dev", "test"])
    ap.add_argument(
        "--fire-part",
        default="all",
        choices=["all", "even", "odd"],
        help="score only the even / odd sentences of the FIRE split (to tune on one half of dev)",
    )
    ap.add_argument("--only", choices=["kn", "fire"], help="run one of the two")
    ap.add_argument(
        "--mode",
        default="full",
        choices=sorted(MODES),
        help="full: rules + classifier, with KnowledgeNet's wider notions (past roles, unresolved "
        "pronouns); rules: the same without the classifier; news / news-rules: the news contract",
    )
    ap.add_argument(
        "--kn-match",
        default="span",
        choices=sorted(KN_MATCHES),
        help="KnowledgeNet protocol: span (the official evaluator's span_overlap: every gold fact "
        "counts, found by a prediction whose spans overlap it) or name (normalised names, a gold "
        "entity pair stated several times counts once); the other is printed too",
    )
    ap.add_argument("--json", type=Path, default=RESULTS / "external.json")
    ap.add_argument(
        "--errors",
        type=Path,
        help="write every false positive and false negative here (JSON Lines); "
        "for error analysis on the development data only",
    )
    args = ap.parse_args(argv)
    if not args.data.is_dir():
        print(f"no data at {args.data}; pass --data ../shared/data", file=sys.stderr)
        return 2
    out = {}
    errors = [] if args.errors else None
    if args.only in (None, "kn"):
        folds = {int(x) for x in args.kn_folds.split(",")}
        out["knowledgenet"] = knowledgenet(args.data, folds, args.mode, errors, args.kn_match)
        kn = out["knowledgenet"]
        print(table(f"KnowledgeNet folds {sorted(folds)}, matched by {args.kn_match}", kn))
        o = kn["other_match"]
        print(
            f"  matched by {o['match']} instead: P {o['overall']['precision']:.3f} R {o['overall']['recall']:.3f} "
            f"F1 {o['overall']['f1']:.3f}",
            "\n",
        )
    if args.only in (None, "fire"):
        out["fire"] = fire(args.data, args.fire_split, args.mode, args.fire_part, errors)
        print(table(f"FIRE {args.fire_split} ({args.fire_part})", out["fire"]))
    if args.errors:
        args.errors.write_text("".join(json.dumps(e) + "\n" for e in errors), encoding="utf-8")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps(
            {"kn_folds": args.kn_folds, "fire_split": args.fire_split, "fire_part": args.fire_part, **out}, indent=1
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
