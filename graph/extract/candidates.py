"""The classifier's candidates and their features.

:func:`candidate_pairs` yields the pairs of mentions in one sentence a relation may hold
between (a person and an organisation, ``PO``; two organisations, ``OO``), and
:func:`cross_pairs` a person and an organisation of the sentences before (``POx``);
:func:`pair_features` and :func:`cross_features` describe them for the linear model of
:mod:`graph.extract.classifier`. :func:`wide_mentions` and :func:`pronoun_mentions` widen
the candidates for the span-level benchmarks (never for news).

>>> _bucket(4), _bucket(20)
('4-5', '13+')
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from graph.extract.mentions import _TITLE_ENDS, Mention
from graph.extract.titles import roles_of_title

__all__ = [
    "CROSS_LABELS",
    "candidate_pairs",
    "cross_pairs",
    "wide_mentions",
    "relative_mentions",
    "pronoun_mentions",
    "pair_features",
    "cross_features",
    "org_stats",
    "names_no_one",
]

_PERSON_PRONOUNS = {"he", "she", "i", "his", "her", "my"}
_ORG_PRONOUNS = {"it", "its", "our", "we"}
_NUM = re.compile(r"\d")


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


#: relative pronouns and the type of what they stand for when no mention is their antecedent
_RELATIVE = {
    "who": "Person",
    "whom": "Person",
    "which": "Organization",
    "that": "Organization",
    "where": "Organization",
}
_NOT_NAME_ENTS = {
    "DATE",
    "TIME",
    "ORDINAL",
    "CARDINAL",
    "MONEY",
    "PERCENT",
    "QUANTITY",
    "NORP",
    "LANGUAGE",
    "EVENT",
    "LAW",
    "WORK_OF_ART",
    "FAC",
    "LOC",
    "GPE",
}
#: capitalised words that name no one: honorifics, and the words of a job title ("Finance
#: Director", "International Subsidiaries Manager": the run before the title word is a department)
_NOT_NAME_WORDS = _TITLE_ENDS | {
    "mr",
    "mr.",
    "mrs",
    "mrs.",
    "ms",
    "ms.",
    "dr",
    "dr.",
    "sir",
    "director",
    "manager",
    "officer",
    "vice",
    "executive",
    "secretary",
    "treasurer",
    "controller",
    "counsel",
    "head",
    "partner",
}


#: words of honours, degrees, ranks and offices: a wide name made only of them names no one
#: ("Professor Emeritus", "FRS FRSC", "MA", "Board"). Filtered when scoring, not from the
#: training candidates, which keep them as easy negatives (dropping them there lost 0.006
#: held-out KnowledgeNet F1).
_HONOURS = {
    "emeritus",
    "emerita",
    "professor",
    "fellow",
    "frs",
    "frsc",
    "frse",
    "fba",
    "kbe",
    "cbe",
    "obe",
    "mbe",
    "kc",
    "qc",
    "cc",
    "cq",
    "ao",
    "ac",
    "phd",
    "ma",
    "mba",
    "ba",
    "bsc",
    "msc",
    "md",
    "jd",
    "llb",
    "board",
    "administrative",
    "assistant",
    "associate",
    "senior",
    "junior",
    "sr",
    "jr",
    "esq",
    "cdo",
    "ceo",
    "cfo",
    "coo",
    "cto",
    "svp",
    "evp",
    "vp",
    "mp",
    "sen",
    "rep",
    "gov",
    "hon",
    "rev",
    "lt",
    "col",
    "gen",
    "capt",
}


def names_no_one(m: Mention) -> bool:
    """A wide candidate made only of honour, degree or rank words ("Emeritus", "FRS")."""
    return m.via == "propn" and all(w.lower().strip(".,") in _HONOURS for w in m.text.split())


def wide_mentions(doc: Doc, mentions: list[Mention], self_named: bool = True) -> list[Mention]:
    """Extra candidates for the span-level benchmarks (``dg_wide``), never for news.

    - a relative pronoun ("who", "which", "that", "where") heading a relative clause
      is a mention of its antecedent (canonical: the antecedent's name) or, with no
      mention there and ``self_named``, of itself ("a company which ...": ``which``);
    - a run of capitalised proper nouns the model tagged as nothing ("Openwave",
      "Occams Advisory") is a mention of type ``Unknown``, which may fill either slot,
      unless it is an honorific or part of a job title ("Mrs", "Finance Director").
    """
    taken: set[int] = set()
    holder: dict[int, Mention] = {}
    for m in mentions:
        span = _span(doc, m)
        if span is None:
            continue
        for t in span:
            taken.add(t.i)
            if m.via not in ("pronoun",) and m.type in ("Person", "Organization", "Place"):
                holder.setdefault(t.i, m)
    sent_of, n_sent = {}, 0
    for n_sent, sent in enumerate(doc.sents):
        sent_of[sent.start] = n_sent
    sent_starts = sorted(sent_of)
    from bisect import bisect_right

    def sent_index(i: int) -> int:
        return sent_of[sent_starts[bisect_right(sent_starts, i) - 1]]

    out = []
    i, n = 0, len(doc)
    while i < n:
        tok = doc[i]
        if i in taken:
            i += 1
            continue
        low = tok.lower_
        if low in _RELATIVE and tok.tag_ in ("WP", "WDT", "WRB"):
            clause = (
                tok.head if tok.head.dep_ == "relcl" else (tok.head.head if tok.head.head.dep_ == "relcl" else None)
            )
            if clause is not None:
                ante = holder.get(clause.head.i)
                if ante is None and not self_named:
                    i += 1
                    continue
                kind = ante.type if ante is not None else _RELATIVE[low]
                if kind == "Place":
                    kind = "Organization"
                canonical = ante.canonical if ante is not None else tok.text
                out.append(Mention(tok.idx, tok.idx + len(tok), tok.text, kind, sent_index(i), canonical, "relative"))
            i += 1
            continue
        if tok.pos_ == "PROPN" and tok.text[:1].isupper() and tok.ent_type_ not in _NOT_NAME_ENTS:
            j = i + 1
            while (
                j < n
                and j not in taken
                and doc[j].pos_ == "PROPN"
                and doc[j].text[:1].isupper()
                and doc[j].ent_type_ not in _NOT_NAME_ENTS
                and not doc[j].is_sent_start
            ):
                j += 1
            span = doc[i:j]
            titled = any(t.lower_ in _NOT_NAME_WORDS for t in span) or j < n and doc[j].lower_ in _NOT_NAME_WORDS
            if len(span.text) >= 2 and any(c.isalpha() for c in span.text) and not titled:
                out.append(
                    Mention(span.start_char, span.end_char, span.text, "Unknown", sent_index(i), span.text, "propn")
                )
            i = j
            continue
        i += 1
    return out


def relative_mentions(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """The relative pronouns whose antecedent is a mention, as further mentions of it
    ("Jani Penttinen, who serves as its CEO": ``who`` -> Jani Penttinen).

    >>> from graph.extract import load_pipeline
    >>> doc = load_pipeline()("Acme was founded by Jani Penttinen, who serves as its CEO.")
    >>> [(m.text, m.canonical) for m in relative_mentions(doc, doc._.dg_mentions)]
    [('who', 'Jani Penttinen')]
    """
    return [m for m in wide_mentions(doc, mentions, self_named=False) if m.via == "relative"]


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
    between = doc[first.end : second.start]
    words = [_word(t) for t in between]
    n = len(words)
    f = [
        f"k:{kind}",
        f"o:{kind}{order}",
        f"d:{order}{_bucket(n)}",
        f"ta:{a.type}:{a.via}",
        f"tb:{b.type}:{b.via}:{int(b.modifier)}",
    ]
    f.append(f"la:{sa[-1].lower_}" if a.via in ("pronoun", "relative") else f"laT:{sa.root.ent_type_}")
    f.append(f"lb:{sb[-1].lower_}")
    if a.via not in ("pronoun", "relative"):
        f.append(f"lw:{sa[-1].lower_}")
    f.append(f"eb:{sb.root.ent_type_}")
    if n <= 6:
        f.append(f"bs:{order}:{' '.join(words)}")
    f.extend(f"bw:{order}:{w}" for w in set(words))
    f.extend(f"bb:{order}:{x} {y}" for x, y in zip(words, words[1:]))
    if words:
        f.append(f"bf:{order}:{words[0]}")
        f.append(f"bl:{order}:{words[-1]}")
    sent_start = first.sent.start
    pre = [_word(t) for t in doc[max(sent_start, first.start - 3) : first.start]]
    post = [_word(t) for t in doc[second.end : min(second.sent.end, second.end + 3)]]
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
    for name, root in (("ga", sa.root), ("gb", sb.root)):  # the governors: "founder of @b@"
        head = root.head
        f.append(f"{name}:{root.dep_}:{_word(head)}")
        if head.dep_ == "prep" and head.head is not head:
            f.append(f"{name}2:{_word(head)}:{_word(head.head)}")
    return f


def candidate_pairs(doc: Doc, mentions: list[Mention], wide: bool = False, self_named: bool = True):
    """Yield ``(kind, a, b, span_a, span_b)`` for each candidate pair within a sentence.

    ``wide`` (span-level benchmarks only) adds :func:`wide_mentions` (relative
    pronouns, standing for themselves only if ``self_named``; capitalised names the
    model missed, which may fill either slot).
    (Letting a mention typed Person fill an organisation's slot as well lost on
    held-out development data.)
    """
    by_sent: dict[int, list[tuple[Mention, object]]] = {}
    if wide:
        mentions = mentions + wide_mentions(doc, mentions, self_named)
    types = ("Person", "Organization", "Place", "Unknown") if wide else ("Person", "Organization", "Place")
    for m in mentions:
        if m.type not in types or m.known_place or m.via == "board" or (m.type == "Person" and m.modifier):
            continue
        span = _span(doc, m)
        if span is None or len(span) == 0:
            continue
        by_sent.setdefault(span[0].sent.start, []).append((m, span))
    for group in by_sent.values():
        if len(group) > 40:
            group = group[:40]
        people = [(m, s) for m, s in group if m.type in ("Person", "Unknown")]
        orgs = [(m, s) for m, s in group if m.type != "Person"]
        for p, sp in people:
            for o, so in orgs:
                if p.canonical != o.canonical:
                    yield "PO", p, o, sp, so
        for o1, s1 in orgs:
            for o2, s2 in orgs:
                if o1 is not o2 and o1.canonical != o2.canonical and o2.via != "pronoun":
                    yield "OO", o1, o2, s1, s2


#: the labels scored for a cross-sentence pair (only document-level gold trains them)
CROSS_LABELS = ("member",)
#: at most this many earlier organisations are paired with one person
_CROSS_MAX = 3


def cross_pairs(doc: Doc, mentions: list[Mention], window: int = 2):
    """Yield ``("POx", person, org, span_p, span_o)`` for a person named in one sentence and an
    organisation named in one of the ``window`` sentences before but not in the person's own
    ("... Acme said. Chief executive Jane Roe added ..."): the nearest earlier mention of each
    of the (at most three) organisations last named nearest before the person's sentence
    (``rank`` 0 for the nearest).

    >>> from graph.extract import load_pipeline
    >>> doc = load_pipeline()("Acme Corp said profits rose. Chief executive Jane Roe added that sales were strong.")
    >>> [(p.text, o.text, rank) for _, p, o, _, _, rank in cross_pairs(doc, doc._.dg_mentions)]
    [('Jane Roe', 'Acme Corp', 0)]
    """
    by_sent: dict[int, list[Mention]] = {}
    for m in mentions:
        by_sent.setdefault(m.sent, []).append(m)
    for i in sorted(by_sent):
        people = [m for m in by_sent[i] if m.type == "Person" and not m.modifier and m.via != "pronoun"]
        if not people:
            continue
        here = {m.canonical for m in by_sent[i] if m.type in ("Organization", "Place")}
        last: dict[str, Mention] = {}
        for j in range(i - window, i):
            for m in by_sent.get(j, ()):
                if (
                    m.type == "Organization"
                    and not m.known_place
                    and not m.modifier
                    and m.via not in ("pronoun", "board")
                    and m.canonical not in here
                ):
                    last[m.canonical] = m
        if not last:
            continue
        orgs = sorted(last.values(), key=lambda m: -m.start)[:_CROSS_MAX]
        seen = set()
        for p in people:
            if p.canonical in seen:
                continue
            seen.add(p.canonical)
            sp = _span(doc, p)
            if sp is None or len(sp) == 0:
                continue
            for rank, o in enumerate(orgs):
                so = _span(doc, o)
                if so is not None and len(so):
                    yield "POx", p, o, sp, so, rank


def _local_title(doc: Doc, sp) -> str:
    """The words about a person that may hold their title: up to four words before the name
    in its sentence and its apposition after it ("Chief executive Jane Roe", "Roe, the
    company's finance chief,")."""
    sent = sp.sent
    left = doc[max(sent.start, sp.start - 4) : sp.start]
    right_end = sp.end
    if right_end < sent.end and doc[right_end].text == ",":
        right_end += 1
        while right_end < sent.end and right_end - sp.end < 9 and doc[right_end].text not in (",", ";", ".", "(", ")"):
            right_end += 1
    return f"{left.text} @ {doc[sp.end : right_end].text}"


def cross_features(
    doc: Doc, p: Mention, o: Mention, sp, so, rank: int, org_counts: dict[str, int], org_sents: set[int]
) -> list[str]:
    """Sparse features of a cross-sentence person-organisation pair (:func:`cross_pairs`);
    ``rank`` is 0 for the organisation named nearest before the person's sentence,
    ``org_counts`` counts each organisation's mentions in the document and ``org_sents``
    holds the sentences that name one."""
    dist = p.sent - o.sent
    f = [f"x:d{dist}", f"x:r{rank}", f"x:d{dist}r{rank}", f"x:tp:{p.via}", f"x:to:{o.via}"]
    top = max(org_counts.values()) if org_counts else 0
    n = org_counts.get(o.canonical, 0)
    f.append(f"x:top:{int(n == top)}")
    f.append(f"x:n:{_bucket(n)}")
    local = _local_title(doc, sp)
    roles = roles_of_title(local)
    f.append(f"x:role:{roles[0] if roles else 'none'}")
    after = local.partition(" @ ")[2]
    f.extend(f"x:pre:{_word(t)}" for t in doc[max(sp.sent.start, sp.start - 3) : sp.start])
    f.extend(f"x:app:{w.lower()}" for w in after.split()[:6])
    root = sp.root
    f.append(f"x:gp:{root.dep_}:{_word(root.head)}")
    f.append(f"x:go:{so.root.dep_}:{_word(so.root.head)}")
    f.append(f"x:sent_org:{int(p.sent in org_sents)}")
    f.append(f"x:opre:{' '.join(_word(t) for t in doc[max(so.sent.start, so.start - 2) : so.start])}")
    f.append(f"x:opost:{' '.join(_word(t) for t in doc[so.end : min(so.sent.end, so.end + 2)])}")
    return f


def org_stats(mentions: list[Mention]) -> tuple[dict[str, int], set[int]]:
    """Each organisation's number of mentions, and the sentences naming one (for :func:`cross_features`)."""
    counts: dict[str, int] = {}
    sents = set()
    for m in mentions:
        if m.type == "Organization":
            counts[m.canonical] = counts.get(m.canonical, 0) + 1
            sents.add(m.sent)
    return counts, sents
