"""The ``dealgraph_coref`` component: which mentions name the same entity.

Reads ``doc._.dg_mentions``; sets each mention's ``canonical`` name and adds
mentions for pronouns and descriptions that refer back to an entity, so the
relation patterns see "he reached an agreement" as "Jack Ma reached an agreement".

Rules, within one article:
- organisations meet by :func:`~graph.extract.mentions.org_key` ("Apple Inc." ~
  "Apple", "the Alibaba Group" ~ "Alibaba", "Taobao.com" ~ "Taobao"); then a shorter
  name joins a longer one when it is the longer without a generic last word ("Whole
  Foods" ~ "Whole Foods Market", "Amnesty" ~ "Amnesty International"), its last word
  ("Disney" ~ "Walt Disney Company"), or its acronym ("IBM" ~ "International Business
  Machines", "OSCE" ~ "Organization for Security and Cooperation in Europe"), and only
  one longer name of the article fits (see :func:`short_form_of`); the canonical name
  is the longest variant once legal forms are dropped ("Alibaba Group", "Apple");
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

__all__ = ["resolve_mentions", "canonical_org_name", "short_form_of", "acronym"]

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


#: last words that name the same company when dropped ("Whole Foods Market" ~ "Whole Foods")
_GENERIC_TAILS = {
    "market",
    "markets",
    "stores",
    "international",
    "group",
    "holdings",
    "holding",
    "company",
    "corporation",
    "incorporated",
    "inc",
    "corp",
    "co",
    "ltd",
    "limited",
    "plc",
    "llc",
    "ag",
    "sa",
    "se",
    "nv",
    "gmbh",
    "enterprises",
    "industries",
    "worldwide",
    "global",
}
#: words an acronym skips ("Organization for Security and Cooperation in Europe": OSCE)
_ACRONYM_SKIP = {"of", "for", "and", "the", "in", "on", "at", "to", "&", "de", "du", "des", "la", "le", "der", "und"}
#: one-word names too generic to stand for a longer name by being its last word
_GENERIC_WORDS = {
    "bank",
    "group",
    "company",
    "council",
    "commission",
    "party",
    "union",
    "church",
    "court",
    "ministry",
    "university",
    "institute",
    "agency",
    "office",
    "committee",
    "association",
    "foundation",
    "service",
    "services",
    "news",
    "times",
    "post",
    "house",
    "league",
    "club",
    "army",
    "navy",
    "police",
    "government",
    "parliament",
    "senate",
    "congress",
    "board",
    "fund",
    "international",
    "national",
    "federal",
    "central",
    "general",
    "united",
    "american",
    "european",
    "capital",
    "partners",
    "media",
    "motors",
    "airlines",
    "records",
    "pictures",
    "studios",
    "labs",
}


def acronym(name: str) -> str:
    """The initials of a name's words, function words skipped (upper case; "" for one word).

    >>> acronym("International Business Machines Corp."), acronym("Organization for Security and Cooperation in Europe")
    ('IBM', 'OSCE')
    >>> acronym("Apple")
    ''
    """
    words = [w for w in re.split(r"[\s-]+", strip_legal(name)) if w and w.lower() not in _ACRONYM_SKIP]
    if len(words) < 2 or not all(w[:1].isupper() for w in words):
        return ""
    return "".join(w[0] for w in words).upper()


def short_form_of(short: str, long: str, last_word: bool = True) -> bool:
    """Whether the name ``short`` is a short form of the organisation name ``long``
    (``last_word``: also as the longer name's last word).

    >>> short_form_of("Whole Foods", "Whole Foods Market"), short_form_of("Disney", "The Walt Disney Company")
    (True, True)
    >>> short_form_of("IBM", "International Business Machines"), short_form_of("Taobao", "Taobao.com")
    (True, True)
    >>> short_form_of("General Motors", "General Electric"), short_form_of("GM", "General Electric")
    (False, False)
    >>> short_form_of("Apple", "Apple Records"), short_form_of("Bank", "Deutsche Bank")
    (False, False)
    """
    s, lk = org_key(short), org_key(long)
    if not s or s == lk:
        return s == lk
    sw, lw = s.split(), lk.split()
    while len(lw) > 1 and lw[-1] in _GENERIC_TAILS:
        lw = lw[:-1]
    if sw == lw:
        return True
    if (
        last_word
        and len(sw) == 1
        and len(lw) >= 2
        and sw[0] == lw[-1]
        and sw[0] not in _GENERIC_WORDS
        and short[:1].isupper()
    ):
        return True
    bare = short.strip()
    return bare.isalpha() and bare.isupper() and 2 <= len(bare) <= 6 and acronym(long) == bare


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
    _merge_short_forms(groups)
    for group in groups.values():
        name = canonical_org_name([m.text for m in group])
        for m in group:
            m.canonical = name


def _merge_short_forms(groups: dict[str, list[Mention]]) -> None:
    """Merge the group of a short name into the one longer organisation it is a short form of.

    >>> ms = [Mention(0, 15, "Fox Corporation", "Organization", 0), Mention(20, 36, "21st Century Fox", "Organization", 0),
    ...       Mention(40, 43, "Fox", "Organization", 1)]
    >>> groups = {}
    >>> for m in ms: groups.setdefault(org_key(m.text), []).append(m)
    >>> _merge_short_forms(groups); sorted(groups)
    ['21st century fox', 'fox']
    """
    orgs = {k: g for k, g in groups.items() if g and g[0].type == "Organization"}
    for key in sorted(orgs, key=lambda k: len(k)):
        group = groups.get(key)
        if group is None:
            continue
        names = {m.text for m in group}
        # "Fox" stands for "21st Century Fox" by its last word only when the article has no longer name
        # of its own for it ("Fox Corporation")
        last_word = all(len(strip_legal(n).split()) == 1 and len(n.split()) == 1 for n in names)
        targets = [
            k
            for k, g in groups.items()
            if k != key
            and g[0].type == "Organization"
            and len(k) > len(key)
            and any(short_form_of(n, t, last_word) for n in names for t in {m.text for m in g})
        ]
        if len(targets) == 1:
            groups[targets[0]].extend(groups.pop(key))


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
    """ "it" (subject) and "its" (possessive) for the sentence's first organisation."""
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
            out.append(
                Mention(tok.idx, tok.idx + len(tok), tok.text, "Organization", sent_i, ante.canonical, "pronoun")
            )
    return out


_IT_DEPS = {"nsubj", "nsubjpass", "poss"}


def _antecedent(mentions: list[Mention], kind: str, start: int, sent_i: int) -> Mention | None:
    for m in reversed(mentions):
        if m.start < start and m.type == kind and sent_i - m.sent <= _MAX_SENT_GAP:
            return m
    return None
