"""The ``dealgraph_mentions`` component: typed entity mentions from spaCy's NER.

Reads ``doc.ents`` (after ``ner`` and the ``dealgraph_gazetteer`` entity ruler),
writes ``doc._.dg_mentions``: a list of :class:`Mention`, in text order, typed as
``Person``, ``Organization``, ``Product`` or ``Place`` (a place may turn out to be
a company once a relation pattern puts it in a company's slot).

The small English model errs in known ways on news; the fixes here are rules:
- a bare company name tagged GPE ("Alibaba") is an Organization when the same
  name occurs as an organisation elsewhere in the article or is in the gazetteer;
- the object of "launched / unveiled / introduced" is a Product, whatever NER said;
- "<Company> <Capitalised word>" ("Apple Pay") tagged ORG or PERSON is a Product
  when <Company> is an organisation of the article and the word is not a corporate one;
- furniture and jargon ("Bookmark", "IPO") are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span

__all__ = ["Mention", "TYPE_OF_LABEL", "find_mentions", "org_key", "strip_legal"]

TYPE_OF_LABEL = {
    "PERSON": "Person",
    "ORG": "Organization",
    "PRODUCT": "Product",
    "GPE": "Place",
    "WORK_OF_ART": "Work",
}

LAUNCH_VERBS = {
    f"{stem}{end}"
    for stem, ends in (
        ("launch", ("", "es", "ed", "ing")), ("unveil", ("", "s", "ed", "ing")),
        ("introduc", ("e", "es", "ed", "ing")), ("releas", ("e", "es", "ed", "ing")),
        ("debut", ("", "s", "ed", "ing")), ("roll", ("", "s", "ed", "ing")),
        ("unleash", ("", "es", "ed", "ing")), ("ship", ("", "s", "ped", "ping")),
    )
    for end in ends
}
_CORPORATE_WORDS = {
    "group", "holdings", "holding", "inc", "inc.", "corp", "corp.", "corporation", "company",
    "co", "co.", "ltd", "ltd.", "limited", "llc", "plc", "ag", "sa", "s.a.", "nv", "n.v.",
    "gmbh", "entertainment", "capital", "ventures", "partners", "bank", "financial",
    "technologies", "technology", "labs", "research", "studios", "pictures", "media",
    "motors", "international", "networks", "systems", "communications", "foundation",
    "digital", "live", "services", "energy", "airlines", "pharmaceuticals", "brands",
}
_LEGAL = r"(?:,?\s+(?:Inc\.?|Incorporated|Corp\.?|Corporation|Co\.?|Company|Ltd\.?|Limited|LLC|L\.L\.C\.|plc|PLC|AG|S\.A\.|SA|N\.V\.|NV|GmbH|SE|Holdings?|Group)\b\.?)+$"


@dataclass
class Mention:
    """One mention of an entity in an article.

    ``start``/``end`` are character offsets in the doc; ``sent`` the sentence index;
    ``canonical`` is filled by ``dealgraph_coref`` (the name of the entity the
    mention refers to); ``via`` says how it was found (ner, gazetteer, rule,
    surname, pronoun, nominal).
    """

    start: int
    end: int
    text: str
    type: str
    sent: int
    canonical: str = ""
    via: str = "ner"


def strip_legal(name: str) -> str:
    """Drop a leading "the", a trailing possessive and legal-form words.

    >>> strip_legal("the Alibaba Group"), strip_legal("Apple Inc."), strip_legal("Whole Foods Market")
    ('Alibaba', 'Apple', 'Whole Foods Market')
    """
    name = re.sub(r"^(?:the|The)\s+", "", name.strip())
    name = re.sub(r"(?:'s|’s|')$", "", name)
    stripped = re.sub(_LEGAL, "", name).strip(" ,")
    return stripped or name


def org_key(name: str) -> str:
    """The key under which two names of one company meet ("Apple Inc." ~ "Apple").

    >>> org_key("Apple Inc.") == org_key("apple") == org_key("The Apple Company")
    True
    """
    return re.sub(r"[^\w]+", " ", strip_legal(name).lower()).strip()


def _clean_span(span: Span) -> Span | None:
    """Trim determiners, possessives and punctuation around an entity span."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].is_punct and doc[end - 1].text not in (".",) or doc[end - 1].tag_ == "POS"):
        end -= 1
    if start >= end:
        return None
    return doc[start:end]


def _is_junk(text: str, not_entities: set[str]) -> bool:
    if text in not_entities or len(text) < 2 or not re.search(r"[A-Za-z]", text):
        return True
    if text.islower() or "[" in text or "]" in text or "\n" in text:
        return True
    return False


def _launch_objects(doc: Doc) -> list[Span]:
    """Proper-noun objects of launch verbs: "Apple launched Apple Pay"."""
    spans = []
    for tok in doc:
        if tok.pos_ != "VERB" or tok.lower_ not in LAUNCH_VERBS:
            continue
        for child in tok.children:
            if child.dep_ in ("dobj", "obj") and child.pos_ == "PROPN":
                left = child
                while left.i > 0 and doc[left.i - 1].pos_ == "PROPN" and doc[left.i - 1].dep_ == "compound":
                    left = doc[left.i - 1]
                right = child.i + 1
                while right < len(doc) and doc[right].pos_ == "PROPN" and doc[right].dep_ in ("compound", "flat", "appos") and doc[right].head == child:
                    right += 1
                spans.append(doc[left.i:right])
    return spans


def find_mentions(doc: Doc, gazetteer: dict[str, set[str]]) -> list[Mention]:
    """Typed, cleaned mentions of people, organisations, products and places."""
    not_entities = gazetteer.get("NotEntity", set())
    sent_of = {}
    for i, sent in enumerate(doc.sents):
        sent_of[sent.start] = i
    sent_starts = sorted(sent_of)

    def sent_index(token_i: int) -> int:
        lo, hi = 0, len(sent_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if sent_starts[mid] <= token_i:
                lo = mid
            else:
                hi = mid - 1
        return lo

    products = {(s.start_char, s.end_char) for s in _launch_objects(doc)}
    mentions: list[Mention] = []
    taken: set[int] = set()
    for span in _launch_objects(doc):
        if not _is_junk(span.text, not_entities):
            mentions.append(Mention(span.start_char, span.end_char, span.text, "Product", sent_index(span.start), via="rule"))
            taken.update(range(span.start, span.end))
    for ent in doc.ents:
        kind = TYPE_OF_LABEL.get(ent.label_)
        if kind is None or kind == "Work":
            continue
        span = _clean_span(ent)
        if span is None or _is_junk(span.text, not_entities) or any(i in taken for i in range(span.start, span.end)):
            continue
        if (span.start_char, span.end_char) in products:
            kind = "Product"
        via = "gazetteer" if ent.ent_id_ == "dg" else "ner"
        mentions.append(Mention(span.start_char, span.end_char, span.text, kind, sent_index(span.start), via=via))
    mentions.sort(key=lambda m: m.start)
    _retype(mentions, gazetteer)
    return [m for m in mentions if m.type in ("Person", "Organization", "Product", "Place")]


def _retype(mentions: list[Mention], gazetteer: dict[str, set[str]]) -> None:
    """Fix types from the rest of the article and the gazetteer (see module docstring)."""
    known_orgs = gazetteer.get("Organization", set())
    known_products = gazetteer.get("Product", set())
    org_keys = {org_key(m.text) for m in mentions if m.type == "Organization"}
    org_keys |= {org_key(n) for n in known_orgs}
    for m in mentions:
        name = strip_legal(m.text)
        if m.text in known_products or name in known_products:
            m.type = "Product"
        elif m.type in ("Place", "Person") and (m.text in known_orgs or name in known_orgs):
            m.type = "Organization"
        elif m.type == "Place" and org_key(m.text) in org_keys:
            m.type = "Organization"
        elif m.type in ("Organization", "Person") and _looks_like_product(m.text, org_keys):
            m.type = "Product"


def _looks_like_product(text: str, org_keys: set[str]) -> bool:
    """"Apple Pay", "Alibaba Set Top Box": a company name followed by product words."""
    words = text.split()
    if len(words) < 2:
        return False
    for cut in range(1, len(words)):
        head, rest = " ".join(words[:cut]), words[cut:]
        if org_key(head) in org_keys and rest[0][:1].isupper():
            return not any(w.lower().strip(".,") in _CORPORATE_WORDS for w in rest)
    return False
