"""Document-level relation extraction scored on DWIE (our dev split of its train set).

Run ``python -m benchmarks.dwie`` (about a minute on the 71 dev documents). DWIE
(Zaporojets et al. 2021) annotates each Deutsche Welle article with entity concepts
(each with all its mentions, i.e. coreference clusters) and relations between
concepts, at the level of the document. Its relations are mapped to ours as in
``../shared/data/train/README.md``:

==================================================  ======================================
DWIE (subject -> object)                            scored as (our relations counted)
==================================================  ======================================
head_of (person -> company / media)                 ``executive_of`` (ceo_of, chair_of and
                                                    executive_of all count as executive_of)
member_of, spokesperson_of (person -> company /     ``works_for`` (works_for,
media), unless the pair also has head_of            board_member_of)
founder_of (person -> any organisation)             ``founder_of``
part_of (organisation -> company / media)           ``subsidiary_of``
product_of, brand_of (X -> company Y)               ``offers`` (Y offers X; our ``launched``
                                                    counts as offers, as on FIRE)
==================================================  ======================================

A head of a company is often annotated member_of it as well; the member_of of such a
pair is dropped (a head is not counted twice). head_of, member_of and spokesperson_of
with an organisation that is not a company or a medium (party, ministry, team, NGO)
have no dealgraph relation: a person-organisation role we predict for such a pair is
neither right nor wrong (not scored), as DWIE says the role holds but our inventory
has no name for it. Any other predicted fact that matches no gold fact is a false
positive.

Matching is strict, at the document level. A predicted entity is aligned with every
gold concept one of whose mentions it matches: by character overlap with a mention
the extractor read for the entity (the mentions whose canonical name is the fact's
subject or object, and the spans the fact was read from), or by name (the
normalised canonical name or an alias equals the normalised text of a gold mention,
:func:`graph.resolve.entity_key`). A predicted fact ``(s, r, o)`` is right when some
gold fact of the same scored relation has its subject among the concepts aligned
with ``s`` and its object among those aligned with ``o``. Each gold fact counts once
however often it is found; each distinct predicted ``(subject, scored relation,
object)`` that is right for none is one false positive. Gold facts whose concepts
have no mention in the text stay in the gold (strict); their number is reported.
Besides the five relations the report gives ``role`` (executive_of and works_for as
one person-organisation role: the granularity of a missing title), not part of the
overall score.

Modes as in :mod:`benchmarks.external` (``--mode``): ``news`` (default) is what
``dealgraph extract`` and ``build`` write; ``full`` the benchmarks' wider notions.

    python -m benchmarks.dwie                      # dev split, news mode
    python -m benchmarks.dwie --mode rules --errors /tmp/dwie_errors.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

from benchmarks.external import MODES, RESULTS, _overlap, _summary, table
from benchmarks.splits import DEFAULT_DATA, dwie_documents
from graph.extract import extract_many
from graph.resolve import entity_key
from graph.sources import Article

__all__ = ["SCORED", "REL_CLASS", "gold_facts", "score_document", "dwie"]

#: the scored relations, in report order
SCORED = ("executive_of", "works_for", "founder_of", "subsidiary_of", "offers")
#: our relation -> the scored relation it counts as
REL_CLASS = {
    "ceo_of": "executive_of",
    "chair_of": "executive_of",
    "executive_of": "executive_of",
    "works_for": "works_for",
    "board_member_of": "works_for",
    "founder_of": "founder_of",
    "subsidiary_of": "subsidiary_of",
    "offers": "offers",
    "launched": "offers",
}
_PERSON_ROLES = {"executive_of", "works_for"}
_DWIE_ROLES = {"head_of", "member_of", "spokesperson_of"}
#: options for DWIE, which marks names only (no pronoun stands for itself)
DWIE_OPTIONS = {"pronouns": False}


def _types(concept: dict) -> set[str]:
    return {t[6:] for t in concept.get("tags", []) if t.startswith("type::")}


def _business(types: set[str]) -> bool:
    return bool(types & {"company", "media"})


def gold_facts(doc: dict) -> tuple[set[tuple[int, str, int]], set[tuple[int, int]]]:
    """The mapped gold facts ``(subject concept, relation, object concept)`` of a DWIE
    document, and the person-organisation pairs whose role is outside our inventory.

    >>> doc = {"concepts": [{"concept": 0, "tags": ["type::person"]}, {"concept": 1, "tags": ["type::company"]},
    ...                     {"concept": 2, "tags": ["type::party", "type::organization"]}],
    ...        "relations": [{"s": 0, "p": "head_of", "o": 1}, {"s": 0, "p": "member_of", "o": 1},
    ...                      {"s": 0, "p": "member_of", "o": 2}]}
    >>> gold_facts(doc)
    ({(0, 'executive_of', 1)}, {(0, 2)})
    """
    types = {c["concept"]: _types(c) for c in doc["concepts"]}
    gold, exempt = set(), set()
    heads = {(r["s"], r["o"]) for r in doc["relations"] if r["p"] == "head_of"}
    for r in doc["relations"]:
        s, p, o = r["s"], r["p"], r["o"]
        ts, to = types.get(s, set()), types.get(o, set())
        if p in _DWIE_ROLES and "person" in ts:
            if not _business(to):
                exempt.add((s, o))
            elif p == "head_of":
                gold.add((s, "executive_of", o))
            elif (s, o) not in heads:
                gold.add((s, "works_for", o))
        elif p == "founder_of" and "person" in ts:
            gold.add((s, "founder_of", o))
        elif p == "part_of" and _business(to) and "person" not in ts and "location" not in ts:
            gold.add((s, "subsidiary_of", o))
        elif p in ("product_of", "brand_of") and "company" in to:
            gold.add((o, "offers", s))
    return gold, exempt


def _mention_index(doc: dict) -> tuple[dict[int, list[tuple[int, int]]], dict[str, set[int]]]:
    """Gold mention spans by concept, and concepts by normalised mention text."""
    spans: dict[int, list] = defaultdict(list)
    by_key: dict[str, set[int]] = defaultdict(set)
    person = {c["concept"] for c in doc["concepts"] if "person" in _types(c)}
    for m in doc["mentions"]:
        c = m["concept"]
        spans[c].append((m["begin"], m["end"]))
        key = entity_key(doc["content"][m["begin"] : m["end"]], "Person" if c in person else "Organization")
        if key:
            by_key[key].add(c)
    return spans, by_key


def _aligned(
    name: str,
    type_: str,
    aliases: list[str],
    own_spans: list[tuple[int, int]],
    gold_spans: dict[int, list],
    by_key: dict[str, set[int]],
) -> set[int]:
    """The gold concepts a predicted entity is aligned with (see the module docstring)."""
    out = set()
    for n in (name, *aliases):
        out |= by_key.get(entity_key(n, type_), set())
    for c, spans in gold_spans.items():
        if c not in out and any(_overlap(a, b) for a in own_spans for b in spans):
            out.add(c)
    return out


def score_document(
    doc: dict, facts: list, mentions: list, counts: dict, errors: list | None = None, scored: list | None = None
) -> None:
    """Add one document's true positives, false positives and false negatives to ``counts``
    (scored relation -> [tp, fp, fn]; ``role`` too), and ``(confidence, right)`` of each
    scored prediction to ``scored``."""
    gold, exempt = gold_facts(doc)
    gold_spans, by_key = _mention_index(doc)
    own: dict[str, list] = defaultdict(list)
    for m in mentions:
        own[m.canonical].append((m.start, m.end))
    found: set[tuple] = set()
    found_role: set[tuple] = set()
    predicted: dict[tuple, tuple] = {}
    for f in facts:
        rel = REL_CLASS.get(f.relation)
        if rel is None:
            continue
        s_spans = own.get(f.subject, []) + [s for s, _ in f.spans]
        o_spans = own.get(f.object, []) + [o for _, o in f.spans]
        cs = _aligned(f.subject, f.subject_type, f.aliases.get("subject", []), s_spans, gold_spans, by_key)
        co = _aligned(f.object, f.object_type, f.aliases.get("object", []), o_spans, gold_spans, by_key)
        predicted.setdefault((f.subject, rel, f.object), (cs, co, f))
    for (subj, rel, obj), (cs, co, f) in predicted.items():
        hits = {(s, r, o) for s, r, o in gold if r == rel and s in cs and o in co}
        role_hits = {(s, o) for s, r, o in gold if r in _PERSON_ROLES and s in cs and o in co}
        if rel in _PERSON_ROLES:
            if role_hits:
                found_role |= role_hits
            elif not any((s, o) in exempt for s in cs for o in co):
                counts["role"][1] += 1
        if scored is not None and (
            hits or not (rel in _PERSON_ROLES and any((s, o) in exempt for s in cs for o in co))
        ):
            scored.append((f.confidence, bool(hits)))
        if hits:
            found |= hits
        elif rel in _PERSON_ROLES and any((s, o) in exempt for s in cs for o in co):
            continue  # a role outside business (party, ministry ...): not scored
        else:
            counts[rel][1] += 1
            if errors is not None:
                errors.append(
                    {
                        "id": doc["id"],
                        "kind": "fp",
                        "rel": rel,
                        "pred": [subj, f.relation, obj],
                        "conf": f.confidence,
                        "evidence": f.evidence,
                    }
                )
    names = {c["concept"]: c.get("text") or "" for c in doc["concepts"]}
    for s, r, o in gold:
        counts[r][0 if (s, r, o) in found else 2] += 1
        if (s, r, o) not in found and errors is not None:
            errors.append(
                {
                    "id": doc["id"],
                    "kind": "fn",
                    "rel": r,
                    "gold": [names.get(s), names.get(o)],
                    "in_text": bool(gold_spans.get(s)) and bool(gold_spans.get(o)),
                }
            )
    for s, o in {(s, o) for s, r, o in gold if r in _PERSON_ROLES}:
        counts["role"][0 if (s, o) in found_role else 2] += 1


def dwie(
    data: Path, split: str = "dev", mode: str = "news", errors: list | None = None, docs: list[dict] | None = None
) -> dict:
    """Scores per mapped relation on the DWIE documents of ``split`` (see :mod:`benchmarks.splits`)."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; expected one of {sorted(MODES)}")
    docs = docs if docs is not None else dwie_documents(data, split)
    counts = {r: [0, 0, 0] for r in (*SCORED, "role")}
    unreachable = 0
    scored: list = []
    t0 = time.perf_counter()
    articles = (Article(id=d["id"], source=d["id"], text=d["content"]) for d in docs)
    by_id = {d["id"]: d for d in docs}
    for article, facts, mentions in extract_many(articles, batch_size=16, **{**MODES[mode], **DWIE_OPTIONS}):
        doc = by_id[article.id]
        score_document(doc, facts, mentions, counts, errors, scored)
        gold, _ = gold_facts(doc)
        have = {m["concept"] for m in doc["mentions"]}
        unreachable += sum(1 for s, _, o in gold if s not in have or o not in have)
    seconds = time.perf_counter() - t0
    words = sum(len(d["content"].split()) for d in docs)
    return _summary(
        counts,
        {
            "documents": len(docs),
            "words": words,
            "seconds": round(seconds, 1),
            "mode": mode,
            "gold_without_mentions": unreachable,
        },
        overall_exclude={"role"},
        scored=scored,
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument(
        "--split",
        default="dev",
        choices=["dev", "train"],
        help="our DWIE dev split (benchmarks/splits.py) or the rest (the training documents)",
    )
    ap.add_argument(
        "--mode",
        default="news",
        choices=sorted(MODES),
        help="news: what dealgraph extract writes; full / rules / news-rules as in benchmarks.external",
    )
    ap.add_argument("--json", type=Path, default=RESULTS / "dwie_dev.json")
    ap.add_argument("--errors", type=Path, help="write every false positive and false negative here (JSON Lines)")
    args = ap.parse_args(argv)
    path = args.data / "train" / "dwie" / "dwie_train.jsonl.gz"
    if not path.is_file():
        print(f"no DWIE data at {path}; pass --data ../shared/data", file=sys.stderr)
        return 2
    errors = [] if args.errors else None
    out = dwie(args.data, args.split, args.mode, errors)
    print(table(f"DWIE {args.split} (document level, strict)", out))
    if args.errors:
        args.errors.write_text("".join(json.dumps(e) + "\n" for e in errors), encoding="utf-8")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"split": args.split, **out}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
