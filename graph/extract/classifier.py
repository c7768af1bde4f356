"""The ``dealgraph_classifier`` component: a small learned relation classifier.

Reads ``doc._.dg_mentions`` and the rules' ``doc._.dg_facts``; appends to
``doc._.dg_facts`` the person-organisation and organisation-organisation facts
the rules missed, when the model is confident enough.

The model is a set of binary logistic regressions, one per relation family
(``ceo``, ``founder``, ``member``: any person-organisation role, ``subsidiary``),
over sparse string features of a candidate pair of mentions in one sentence
(:func:`pair_features`): the words between and around the two mentions, their
types and how they were found, the distance, the dependency path between their
head tokens, and which relation (if any) the rules already found for the pair.
Scores are turned into probabilities by Platt scaling fitted on held-out folds,
so ``Fact.confidence`` of a classifier fact is the estimated chance it is right.
It is trained by ``benchmarks/train_relations.py`` on KnowledgeNet folds 1-3 and
FIRE dev and shipped as ``graph/resources/relations_model.json``.

Two per-document switches (``doc.user_data``), off for news and set by
:func:`graph.extract.extract_many` for benchmarks only:

- ``dg_include_former``: a fact whose sentence puts the role in the past ("was
  the CEO of", "served as", "former") gets ``status="former"``; such facts are
  dropped from the output unless this is set (KnowledgeNet's wider notion of a
  role, which includes past ones; our news contract does not);
- ``dg_pronouns``: first- and third-person pronouns with no antecedent in the
  text ("He is the founder of X") become mentions named by their own text
  (KnowledgeNet's text evaluation matches such spans).
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
from importlib import resources
from pathlib import Path

from spacy.tokens import Doc

from graph.extract.mentions import Mention, doc_text
from graph.extract.relations import Fact, roles_of_title

__all__ = ["LABELS", "load_model", "candidate_pairs", "pair_features", "classify", "pronoun_mentions", "is_past"]

LABELS = ("ceo", "founder", "member", "subsidiary")
_PERSON_LABELS = ("ceo", "founder", "member")
_PERSON_PRONOUNS = {"he", "she", "i", "his", "her", "my"}
_ORG_PRONOUNS = {"it", "its", "our", "we"}
_PAST = re.compile(
    r"\b(?:was|were|had been|served|former(?:ly)?|previously|until|retired|resigned|left|ex|"
    r"later|then|once|prior|died|stepped down|before)\b", re.I)
_NUM = re.compile(r"\d")


@functools.lru_cache(maxsize=4)
def load_model(path: str | None = None) -> dict | None:
    """The model at ``path``, else ``$DEALGRAPH_RELATIONS_MODEL`` (for experiments),
    else the shipped ``resources/relations_model.json``; None if there is none."""
    path = path or os.environ.get("DEALGRAPH_RELATIONS_MODEL")
    file = Path(path) if path else resources.files("graph").joinpath("resources/relations_model.json")
    if not file.is_file():
        return None
    return json.loads(file.read_text("utf-8"))


def is_past(text: str) -> bool:
    """Whether the words put a role in the past.

    >>> is_past("was the chief executive of"), is_past("is the chief executive of")
    (True, False)
    """
    return bool(_PAST.search(text))


def pronoun_mentions(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Mentions for pronouns no rule resolved, named by their own text."""
    taken = {m.start for m in mentions}
    sent_of = {}
    for i, sent in enumerate(doc.sents):
        for tok in sent:
            sent_of[tok.i] = i
    out = []
    for tok in doc:
        low = tok.lower_
        if tok.idx in taken or tok.pos_ != "PRON":
            continue
        if low in _PERSON_PRONOUNS:
            kind = "Person"
        elif low in _ORG_PRONOUNS:
            kind = "Organization"
        else:
            continue
        out.append(Mention(tok.idx, tok.idx + len(tok), tok.text, kind, sent_of[tok.i], tok.text, "pronoun"))
    return out


def _word(tok) -> str:
    return "0" if _NUM.search(tok.text) else tok.lower_


def _bucket(n: int) -> str:
    for limit, name in ((0, "0"), (1, "1"), (2, "2"), (3, "3"), (5, "4-5"), (8, "6-8"), (12, "9-12")):
        if n <= limit:
            return name
    return "13+"


def _span(doc: Doc, m: Mention):
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    return span


def _path(a, b) -> tuple[str, list[str]]:
    """The dependency path between two tokens: labels up from a, down to b, with the words between."""
    up_a = [a, *a.ancestors]
    ids_a = {t.i: k for k, t in enumerate(up_a)}
    down = []
    t = b
    while t.i not in ids_a:
        down.append(t)
        if t.head.i == t.i:
            return "", []
        t = t.head
    lca = t
    left = up_a[: ids_a[lca.i]]
    parts = [f"{x.dep_}<" for x in left] + [lca.lower_] + [f">{x.dep_}" for x in reversed(down)]
    words = [x.lower_ for x in left[1:]] + [lca.lower_] + [x.lower_ for x in down[1:]]
    return " ".join(parts), words


def pair_features(doc: Doc, a: Mention, b: Mention, sa, sb, kind: str, rule: str | None) -> list[str]:
    """Sparse features of the ordered candidate ``(a, b)``.

    ``kind`` is ``"PO"`` (a person, b an organisation) or ``"OO"`` (a a possible
    subsidiary, b its parent); ``sa``/``sb`` their spans; ``rule`` the rules'
    relation for the pair, if any.
    """
    first, second = (sa, sb) if sa.start <= sb.start else (sb, sa)
    order = "ab" if first is sa else "ba"
    between = doc[first.end: second.start]
    words = [_word(t) for t in between]
    n = len(words)
    f = [f"k:{kind}", f"o:{kind}{order}", f"d:{order}{_bucket(n)}",
         f"ta:{a.type}:{a.via}", f"tb:{b.type}:{b.via}:{int(b.modifier)}"]
    f.append(f"la:{sa[-1].lower_}" if a.via == "pronoun" else f"laT:{sa.root.ent_type_}")
    f.append(f"lb:{sb[-1].lower_}")
    f.append(f"eb:{sb.root.ent_type_}")
    if n <= 6:
        f.append(f"bs:{order}:{' '.join(words)}")
    f.extend(f"bw:{order}:{w}" for w in set(words))
    f.extend(f"bb:{order}:{x} {y}" for x, y in zip(words, words[1:]))
    if words:
        f.append(f"bf:{order}:{words[0]}")
        f.append(f"bl:{order}:{words[-1]}")
    sent_start = first.sent.start
    pre = [_word(t) for t in doc[max(sent_start, first.start - 3): first.start]]
    post = [_word(t) for t in doc[second.end: min(second.sent.end, second.end + 3)]]
    f.extend(f"p{k}:{w}" for k, w in enumerate(reversed(pre)))
    f.extend(f"q{k}:{w}" for k, w in enumerate(post))
    if pre:
        f.append(f"p01:{' '.join(pre[-2:])}")
    if post:
        f.append(f"q01:{' '.join(post[:2])}")
    path, pwords = _path(sa.root, sb.root)
    if path:
        f.append(f"dp:{path}")
        f.extend(f"dw:{w}" for w in set(pwords))
        f.append(f"dl:{len(pwords)}")
    else:
        f.append("dp:none")
    f.append(f"r:{rule}")
    return f


def candidate_pairs(doc: Doc, mentions: list[Mention]):
    """Yield ``(kind, a, b, span_a, span_b)`` for each candidate pair within a sentence."""
    by_sent: dict[int, list[tuple[Mention, object]]] = {}
    for m in mentions:
        if m.type not in ("Person", "Organization", "Place") or m.known_place or m.via == "board":
            continue
        span = _span(doc, m)
        if span is None or len(span) == 0:
            continue
        by_sent.setdefault(span[0].sent.start, []).append((m, span))
    for group in by_sent.values():
        if len(group) > 40:
            group = group[:40]
        people = [(m, s) for m, s in group if m.type == "Person"]
        orgs = [(m, s) for m, s in group if m.type != "Person"]
        for p, sp in people:
            for o, so in orgs:
                if p.canonical != o.canonical:
                    yield "PO", p, o, sp, so
        for o1, s1 in orgs:
            for o2, s2 in orgs:
                if o1 is not o2 and o1.canonical != o2.canonical and o2.via != "pronoun":
                    yield "OO", o1, o2, s1, s2


def _rule_index(facts: list[Fact]) -> dict[tuple[str, str], str]:
    out = {}
    for f in facts:
        out.setdefault((f.subject, f.object), f.relation)
    return out


def score(model: dict, label: str, feats: list[str]) -> float:
    """The calibrated probability of ``label`` for a feature list."""
    m = model["labels"][label]
    w = m["weights"]
    z = m["bias"] + sum(w.get(x, 0.0) for x in feats)
    a, b = m["platt"]
    return 1.0 / (1.0 + math.exp(-(a * z + b)))


def classify(doc: Doc, mentions: list[Mention], facts: list[Fact], model: dict, *, article: str = "",
             published=None, include_former: bool = False, threshold: float | None = None,
             floor: float = 0.0) -> list[Fact]:
    """Facts the classifier finds above its threshold that the rules do not already state."""
    rules = _rule_index(facts)
    have = {f.key for f in facts}
    text = doc_text(doc)
    out: dict[tuple, Fact] = {}
    for kind, a, b, sa, sb in candidate_pairs(doc, mentions):
        rule = rules.get((a.canonical, b.canonical)) or (rules.get((b.canonical, a.canonical)) and "rev")
        feats = pair_features(doc, a, b, sa, sb, kind, rule)
        labels = _PERSON_LABELS if kind == "PO" else ("subsidiary",)
        probs = {lab: score(model, lab, feats) for lab in labels}
        sent = sa[0].sent
        lo, hi = min(sa.start_char, sb.start_char), max(sa.end_char, sb.end_char)
        past = is_past(text[sent.start_char: hi]) and not re.search(r"\b(?:is|are|has been|currently|now)\b", text[lo:hi])
        for lab, p in probs.items():
            t = max(floor, threshold if threshold is not None else model["labels"][lab]["threshold"])
            if p < t:
                continue
            if lab == "member" and probs.get("ceo", 0) >= t:
                continue
            if lab == "ceo":
                rel = "ceo_of"
            elif lab == "founder":
                rel = "founder_of"
            elif lab == "subsidiary":
                rel = "subsidiary_of"
            else:
                roles = [r for r in roles_of_title(text[lo:hi]) if r not in ("ceo_of", "founder_of")]
                rel = roles[0] if roles else "works_for"
            fact = Fact(
                article=article, subject=a.canonical, subject_type="Person" if kind == "PO" else "Organization",
                relation=rel, object=b.canonical, object_type="Organization", evidence=sent.text.strip(),
                confidence=round(p, 3), date=published.isoformat() if published else None,
                status="former" if past and kind == "PO" else None, pattern=f"classifier-{lab}",
            )
            if fact.status == "former" and not include_former:
                continue
            if fact.key in have:
                continue
            if fact.key not in out or out[fact.key].confidence < fact.confidence:
                out[fact.key] = fact
    return list(out.values())
