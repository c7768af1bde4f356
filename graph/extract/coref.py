"""The ``dealgraph_coref`` component: which mentions name the same entity.

Reads ``doc._.dg_mentions``; sets each mention's ``canonical`` name and adds
mentions for pronouns and descriptions that refer back to an entity, so the
relation patterns see "he reached an agreement" as "Jack Ma reached an agreement".

Rules, within one article:
- organisations meet by :func:`~graph.extract.mentions.org_key` ("Apple Inc." ~
  "Apple", "the Alibaba Group" ~ "Alibaba"); the canonical name is the longest
  variant once legal forms are dropped ("Alibaba Group", "Apple");
- a one-word person mention is the full name it is the surname (or first name)
  of ("Ma" -> "Jack Ma"), the most often named one when several share it;
- "he", "she" refer to the nearest person mentioned before, within two sentences;
- "the company", "the firm", "the Cupertino-based group" refer to the nearest
  organisation mentioned before, within two sentences;
- "it" as a subject and "its" as a possessive refer to the first organisation of
  the sentence before them ("Microsoft said that it had agreed", "Fox Corporation
  ... is led by Lachlan Murdoch, its chairman"), else to the first organisation of
  the sentence before when they open the sentence ("It raised its offer").
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from graph.extract.mentions import Mention, org_key, strip_legal

__all__ = ["resolve_mentions", "canonical_org_name"]

_NOMINAL = re.compile(
    r"\b[Tt]he (?!parent\b)(?:[\w-]+-based |[\w-]+ ){0,2}?(?:company|firm|group|giant|retailer|maker|"
    r"startup|start-up|conglomerate|carmaker|automaker|chipmaker|bank|lender|insurer|"
    r"airline|conglomerate)\b(?!\s+(?:of|that|which|who)\b)"
)
_PRONOUN = re.compile(r"\b(?:he|she|He|She)\b")
_MAX_SENT_GAP = 2


def canonical_org_name(variants: list[str]) -> str:
    """The name to show for an organisation known by several variants.

    >>> canonical_org_name(["Apple", "Apple Inc.", "Apple"])
    'Apple'
    >>> canonical_org_name(["the Alibaba Group", "Alibaba"])
    'Alibaba Group'
    """
    def tidy(v: str) -> str:
        v = re.sub(r"^(?:the|The)\s+", "", v.strip())
        return re.sub(r",?\s+(?:Inc|Corp|Co|Ltd|LLC|plc|PLC|AG|S\.A|N\.V|GmbH)\.?$", "", v)

    tidied = [tidy(v) for v in variants]
    return max(tidied, key=lambda v: (len(v.split()), tidied.count(v), -len(v)))


def resolve_mentions(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Fill ``canonical`` on every mention; return them with the anaphora added."""
    _resolve_orgs(mentions)
    _resolve_people(mentions)
    for m in mentions:
        if not m.canonical:
            m.canonical = strip_legal(m.text) if m.type != "Person" else m.text
    extra = _anaphora(doc, mentions)
    return sorted(mentions + extra, key=lambda m: m.start)


def _resolve_orgs(mentions: list[Mention]) -> None:
    groups: dict[str, list[Mention]] = {}
    for m in mentions:
        if m.type in ("Organization", "Place"):
            groups.setdefault(org_key(m.text), []).append(m)
    for group in groups.values():
        if any(m.type == "Organization" for m in group):
            for m in group:
                m.type = "Organization"
        name = canonical_org_name([m.text for m in group])
        for m in group:
            m.canonical = name


def _resolve_people(mentions: list[Mention]) -> None:
    full = [m for m in mentions if m.type == "Person" and len(m.text.split()) >= 2]
    for m in mentions:
        if m.type != "Person":
            continue
        words = m.text.split()
        if len(words) >= 2:
            m.canonical = re.sub(r"\s+[A-Z]\.\s+", " ", m.text)
            continue
        match = _full_name_for(m, full)
        m.canonical = match.text if match else m.text
        if match:
            m.via = "surname"


def _full_name_for(m: Mention, full: list[Mention]) -> Mention | None:
    """The full-name mention whose last (or first) word is this one-word mention.

    Of several people sharing a surname, the one the article names most often,
    then first (the story's subject, not the mother named once in passing).
    """
    before = [f for f in full if f.start < m.start] or full
    for pos in (-1, 0):
        same = [f for f in before if f.text.split()[pos] == m.text]
        if same:
            counts: dict[str, int] = {}
            for f in same:
                counts[f.text] = counts.get(f.text, 0) + 1
            best = max(counts, key=lambda t: (counts[t], -next(f.start for f in same if f.text == t)))
            return next(f for f in same if f.text == best)
    return None


def _anaphora(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    taken = [(m.start, m.end) for m in mentions]
    out: list[Mention] = []
    for sent_i, sent in enumerate(doc.sents):
        text, base = sent.text, sent.start_char
        for rx, kind, via in ((_PRONOUN, "Person", "pronoun"), (_NOMINAL, "Organization", "nominal")):
            for hit in rx.finditer(text):
                start, end = base + hit.start(), base + hit.end()
                if any(s < end and start < e for s, e in taken):
                    continue
                ante = _antecedent(mentions, kind, start, sent_i)
                if ante is not None:
                    out.append(Mention(start, end, hit.group(), kind, sent_i, ante.canonical, via))
    out.extend(_it_pronouns(doc, mentions, taken))
    return out


def _it_pronouns(doc: Doc, mentions: list[Mention], taken: list[tuple[int, int]]) -> list[Mention]:
    """"it" (subject) and "its" (possessive) for the sentence's first organisation."""
    first_org: dict[int, Mention] = {}
    for m in mentions:
        if m.type == "Organization" and not m.modifier and m.sent not in first_org:
            first_org[m.sent] = m
    if not first_org:
        return []
    out = []
    for sent_i, sent in enumerate(doc.sents):
        for tok in sent:
            if tok.lower_ not in ("it", "its") or tok.dep_ not in _IT_DEPS:
                continue
            ante = first_org.get(sent_i)
            if ante is None or ante.start > tok.idx:
                ante = first_org.get(sent_i - 1) if tok.i - sent.start <= 5 else None
            if ante is None or any(s <= tok.idx < e for s, e in taken):
                continue
            out.append(Mention(tok.idx, tok.idx + len(tok), tok.text, "Organization", sent_i, ante.canonical, "pronoun"))
    return out


_IT_DEPS = {"nsubj", "nsubjpass", "poss"}


def _antecedent(mentions: list[Mention], kind: str, start: int, sent_i: int) -> Mention | None:
    for m in reversed(mentions):
        if m.start < start and m.type == kind and sent_i - m.sent <= _MAX_SENT_GAP:
            return m
    return None
