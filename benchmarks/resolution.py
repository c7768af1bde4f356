"""Entity resolution scored: B-cubed F1 of our entities against DWIE and KnowledgeNet.

Run ``python -m benchmarks.resolution`` (about 3 minutes; ``--json`` writes the result).

**DWIE** (the NER dev documents of :func:`benchmarks.train_ner.dwie_is_dev`, never
trained on): the key is DWIE's coreference clusters of its person and organisation
mentions, per article. Our mention is aligned to a gold mention when the spans are
equal once a leading "the" and a trailing possessive are dropped, else when they
overlap and end on the same word. Our cluster of a mention is its type and the key
of its canonical name (:func:`graph.resolve.entity_key`: what becomes one IRI).
B-cubed runs over the gold mentions: a gold mention we did not find is a singleton
of the response (a detection miss costs recall), and our mentions that align to no
gold mention are left out (they are NER errors, not resolution's). ``aligned`` is
the same score over the gold mentions we found only: resolution alone.

**KnowledgeNet** folds 1-3 (fold 4 is never read): the passages of a document are
joined into one article; every fact's subject or object with a Wikidata IRI is a
gold mention, the IRI its cluster. Our cluster is the entity IRI the
:class:`graph.resolve.Resolver` gives the aligned mention's canonical name (with its
in-article variants) over all documents at once (``across``: the graph's own
notion, across articles), or that IRI within its document only (``within``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

from benchmarks.train_ner import DEFAULT_DATA, dwie_is_dev, dwie_label, load_dwie
from graph.extract import extract_many
from graph.resolve import TYPE_SEGMENT, Resolver, entity_key
from graph.sources import Article

_THE = re.compile(r"^(?:the|The)\s+")
_POSS = re.compile(r"(?:'s|’s|')$")


def _norm(text: str, start: int, end: int) -> tuple[int, int]:
    """Character span without a leading "the " and a trailing possessive.

    >>> _norm("the Apple's", 0, 11)
    (4, 9)
    """
    s = text[start:end]
    m = _THE.match(s)
    if m:
        start += m.end()
    m = _POSS.search(text[start:end])
    if m:
        end -= len(m.group())
    return start, end


def align(text: str, gold: list[tuple[int, int]], ours: list) -> dict[tuple[int, int], object]:
    """Gold span -> our mention (see the module docstring); pronouns are never aligned.

    >>> from graph.extract.mentions import Mention
    >>> t = "The Acme Corp's plan"
    >>> align(t, [(4, 13)], [Mention(0, 15, "The Acme Corp's", "Organization", 0)])[(4, 13)].text
    "The Acme Corp's"
    """
    exact = {}
    ours = [m for m in ours if m.via not in ("pronoun", "nominal")]
    for m in ours:
        exact.setdefault(_norm(text, m.start, m.end), m)
    out = {}
    for g in gold:
        m = exact.get(_norm(text, *g))
        if m is None:
            last = text[g[0] : g[1]].split()[-1:] if text[g[0] : g[1]].split() else []
            m = next((o for o in ours if o.start < g[1] and g[0] < o.end and o.text.split()[-1:] == last), None)
        if m is not None:
            out[g] = m
    return out


def bcubed(key: dict, response: dict) -> dict:
    """B-cubed precision, recall, F1 over the key's items (missing from ``response``: singletons).

    >>> bcubed({1: "a", 2: "a", 3: "b"}, {1: "x", 2: "x", 3: "x"})["r"], bcubed({1: "a", 2: "a"}, {1: "x"})["f1"]
    (1.0, 0.6667)
    """
    items = list(key)
    resp = {i: response.get(i, ("singleton", i)) for i in items}
    by_key, by_resp = defaultdict(set), defaultdict(set)
    for i in items:
        by_key[key[i]].add(i)
        by_resp[resp[i]].add(i)
    p = r = 0.0
    for i in items:
        both = len(by_key[key[i]] & by_resp[resp[i]])
        p += both / len(by_resp[resp[i]])
        r += both / len(by_key[key[i]])
    n = len(items) or 1
    p, r = p / n, r / n
    return {
        "p": round(p, 4),
        "r": round(r, 4),
        "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
        "mentions": len(items),
    }


def _cluster(m) -> tuple[str, str]:
    return m.type, entity_key(m.canonical or m.text, m.type if m.type in TYPE_SEGMENT else "Product")


def dwie(data: Path) -> dict:
    """B-cubed against DWIE's clusters on the dev documents."""
    docs = [d for d in load_dwie(data) if dwie_is_dev(d["id"])]
    arts = [Article(id=d["id"], source=d["id"], text=d["content"]) for d in docs]
    key, resp, key_aligned, found = {}, {}, {}, 0
    for d, (_art, _facts, mentions) in zip(docs, extract_many(arts)):
        label = {c["concept"]: dwie_label(c.get("tags") or []) for c in d["concepts"]}
        gold = {
            (m["begin"], m["end"]): m["concept"] for m in d["mentions"] if label.get(m["concept"]) in ("PERSON", "ORG")
        }
        aligned = align(d["content"], sorted(gold), mentions)
        for g, concept in gold.items():
            key[(d["id"], g)] = (d["id"], concept)
            if g in aligned:
                resp[(d["id"], g)] = (d["id"], *_cluster(aligned[g]))
                key_aligned[(d["id"], g)] = (d["id"], concept)
                found += 1
    return {
        "documents": len(docs),
        "gold_mentions": len(key),
        "aligned": found,
        "all": bcubed(key, resp),
        "aligned_only": bcubed(key_aligned, resp),
    }


def knowledgenet_docs(data: Path, folds=(1, 2, 3)) -> list[tuple[str, str, dict]]:
    """(document id, joined text, {(start, end): Wikidata IRI}) for the documents of ``folds``."""
    passages = defaultdict(dict)
    with (data / "knowledgenet" / "knowledgenet_facts_folds1-4.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec["fold"] in folds:
                passages[rec["documentId"]][rec["passageStart"]] = rec
    out = []
    for doc_id in sorted(passages, key=lambda k: (len(k), k)):
        text, links = "", {}
        for start in sorted(passages[doc_id]):
            rec = passages[doc_id][start]
            offset = len(text) - start
            text += rec["passageText"] + "\n\n"
            for f in rec["facts"]:
                for role in ("subject", "object"):
                    uri = f.get(f"{role}Uri")
                    if uri and rec["passageStart"] <= f[f"{role}Start"] < rec["passageEnd"]:
                        links[(f[f"{role}Start"] + offset, f[f"{role}End"] + offset)] = uri
        out.append((doc_id, text, links))
    return out


def knowledgenet(data: Path) -> dict:
    """B-cubed of entity IRIs against KnowledgeNet's Wikidata links (folds 1-3)."""
    docs = knowledgenet_docs(data)
    arts = [Article(id=f"kn{d}", source=f"kn{d}", text=t) for d, t, _ in docs]
    resolver = Resolver()
    key, across, within, found = {}, {}, {}, 0
    for (doc_id, text, links), (_, _facts, mentions) in zip(docs, extract_many(arts, batch_size=64)):
        variants = defaultdict(set)
        for m in mentions:
            if m.via not in ("pronoun", "nominal"):
                variants[(m.type, m.canonical)].add(m.text)
        aligned = align(text, sorted(links), mentions)
        for g, uri in links.items():
            key[(doc_id, g)] = uri
            m = aligned.get(g)
            if m is None:
                continue
            found += 1
            if m.type in TYPE_SEGMENT:
                iri = resolver.resolve(m.canonical, m.type, sorted(variants[(m.type, m.canonical)])).iri
            else:
                iri = _cluster(m)
            across[(doc_id, g)] = iri
            within[(doc_id, g)] = (doc_id, iri)
    key_within = {k: (k[0], v) for k, v in key.items()}
    return {
        "documents": len(docs),
        "gold_mentions": len(key),
        "aligned": found,
        "across": bcubed(key, across),
        "within": bcubed(key_within, within),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    ap.add_argument("--json", type=Path, help="also write the result here")
    ap.add_argument("--only", choices=("dwie", "knowledgenet"), help="one of the two data sets")
    args = ap.parse_args(argv)
    if not (args.data / "train" / "dwie").is_dir():
        print(f"error: no training data under {args.data}", file=sys.stderr)
        return 2
    out = {}
    if args.only in (None, "dwie"):
        out["dwie"] = dwie(args.data)
    if args.only in (None, "knowledgenet"):
        out["knowledgenet"] = knowledgenet(args.data)
    text = json.dumps(out, indent=1)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
