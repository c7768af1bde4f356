"""The ``dealgraph_mentions`` component: typed entity mentions from spaCy's NER.

Reads ``doc.ents`` (after ``ner`` and the ``dealgraph_gazetteer`` entity ruler),
writes ``doc._.dg_mentions``: a list of :class:`Mention`, in text order, typed as
``Person``, ``Organization``, ``Product`` or ``Place`` (a place may turn out to be
a company once a relation pattern puts it in a company's slot).

The small English model errs in known ways on news; the fixes here are rules:
- a bare company name tagged GPE ("Alibaba") is an Organization when the same
  name occurs as an organisation elsewhere in the article or is in the gazetteer;
- the object of "launched / unveiled / introduced" is a Product, whatever NER said, and
  so is that of a verb of making ("Genzyme commercializes Kynamro");
- what a company makes or sells is a Product mention even as a common noun phrase
  ("HP develops printers": ``via="phrase"``; see :mod:`graph.extract.products`);
- a "person" in a company's place is an Organization: an acronym ("CDT"), "Ice9 is a
  wholly owned subsidiary of", "Myogen was acquired by", "our customer Elpida", "Zorblax
  manufactures pumps";
- a proper name the model missed where a company buys or makes something is an
  Organization ("acquired streaming service Tubi", "HKEC manufactures power assemblies");
- a kind of company before a name, a headline's verb or a title after it and what follows
  a "|" are cut off ("Drugmaker Sanofi SA", "Hilton Hotels Acquired", "Gogoro Founder",
  "LinkedIn | News Center"); a field of study after "Professor of" is no organisation;
- a job title or an honour tagged as a name ("Chief Design Officer", "KBE") is dropped;
- "<Company> <Capitalised word>" ("Apple Pay") tagged ORG or PERSON is a Product
  when <Company> is an organisation of the article and the word is neither a
  corporate one ("Whole Foods Market", "Fox News") nor a place ("Starbucks China");
- a name cut short before its corporate word ("Whole Foods" + "Market") is extended,
  and so is one cut short before ", L.P." / ", LLC" (then an Organization);
- a one-word name that is the surname of a person of the article ("Weiner",
  "Sutskever") is that person, as is a two-word "organisation" sharing a person's
  surname ("Lachlan Murdoch", "Maya Rockeymoore Cummings") or followed by ", its chairman";
- a title the model took into a name ("United States Representative Elijah
  Cummings", tagged ORG) is cut off, and the rest is a Person;
- a PERSON ending in a corporate word ("Jana Partners") is an Organization, and a
  two- or three-word name without one that ends a list of people is a Person;
- names the model found once are found again where it missed them ("Ele.me"),
  and so are the surnames of the article's people ("Gates");
- a name used as a modifier of a common noun ("the Fox businesses", "Yahoo engineers",
  "Ravicti drug product") is marked ``modifier``: it names the company, but not as a
  party to the sentence's relation (a name before "merger" or "deal" is a party);
- a place of the gazetteer's Place list ("China", "Hawaii") is marked
  ``known_place``: it never fills a company's slot;
- furniture and jargon ("Bookmark", "IPO") are dropped.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right

import numpy
from spacy.strings import hash_string
from spacy.tokens import Doc, Span

from graph.extract.names import (
    _BOARD_KINDS,
    _CORPORATE_WORDS,
    _LEADING_KIND,
    _NOT_NAME_ENDS,
    _TITLE_ENDS,
    _TRAILING_WORDS,
    _UNIT_WORDS,
    LAUNCH_VERBS,
    TYPE_OF_LABEL,
    Mention,
    doc_text,
    org_key,
    strip_legal,
)
from graph.extract.products import find_offers
from graph.extract.retype import (
    _described_people,
    _fix_people,
    _join_nicknames,
    _mark_modifiers,
    _retype,
    _units_are_companies,
)

__all__ = ["Mention", "TYPE_OF_LABEL", "find_mentions", "org_key", "strip_legal", "doc_text"]


def _clean_span(span: Span) -> Span | None:
    """Trim determiners, possessives and punctuation around an entity span, an unclosed
    parenthesis the model ran into ("... of Science (AAAS" -> "... of Science"), what
    follows a "|" ("LinkedIn | News Center"), a kind of company before the name
    ("Drugmaker Sanofi SA") and a headline's verb after it ("Hilton Hotels Acquired")."""
    start, end = span.start, span.end
    doc = span.doc
    opened = [t.i for t in span if t.text == "("]
    if opened and not any(t.text == ")" for t in doc[opened[-1] : end]) and opened[-1] > start:
        end = opened[-1]
    bar = next((t.i for t in span if t.text == "|"), None)
    if bar is not None:
        end = bar
    while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct):
        start += 1
    if end - start >= 2 and _LEADING_KIND.match(doc[start].text) and doc[start + 1].text[:1].isupper():
        start += 1
    if end - start >= 3 and doc[start].lower_ in _UNIT_WORDS and doc[start + 1].text == ",":
        start += 2  # "(Tokens.com's) Subsidiary, Metaverse Group"
    if start >= end:
        return None  # nothing but determiners and punctuation, perhaps at the end of the doc
    if (
        doc[start].lower_ == "board"
        and end - start >= 3
        and doc[start + 1].lower_ == "of"
        and doc[start + 2].lower_ not in _BOARD_KINDS
    ):
        start += 2  # "(Chairman of the) Board of LiqTech International": the company
        if end - start >= 3 and doc[start].lower_ == "directors" and doc[start + 1].lower_ == "of":
            start += 2
        while start < end and doc[start].lower_ == "the":
            start += 1
    while (
        end - start >= 2 and (doc[end - 1].is_title or doc[end - 1].is_upper) and doc[end - 1].lower_ in _NOT_NAME_ENDS
    ):
        end -= 1
    while end > start and (
        doc[end - 1].is_punct
        and doc[end - 1].text not in (".",)
        or doc[end - 1].tag_ == "POS"
        or doc[end - 1].lower_ in _TRAILING_WORDS
    ):
        end -= 1
    if start >= end:
        return None
    return doc[start:end]


#: a job title the model tagged as a name ("Chief Design Officer", "Canada Research Chair")
_TITLE_ONLY = re.compile(
    r"^(?:[A-Z][\w-]* ){0,3}(?:Officer|President|Director|Chairman|Chairwoman|Chair|Professor|Instructor|"
    r"Lecturer|Fellow|Secretary|Treasurer|Counsel|Manager|Founder|Co-[Ff]ounder|Cofounder|Controller|Comptroller|Owner)$|^(?:CEO|CFO|CDO|COO|CTO|CIO|CMO|CSO)$"
)


#: "Professor of (Theoretical Physics)": a field of study, not an organisation
_FIELD_BEFORE = re.compile(
    r"(?:[Pp]rofessor(?:ship)?|[Ll]ecturer|[Rr]eader|[Dd]egrees?|[Bb]achelor(?:'s)?|"
    r"[Mm]aster(?:'s)?|[Dd]octorate|Ph\.?D\.?|[Ss]tudies) (?:of|in) (?:the )?$"
)
_INSTITUTION_NAMES = {
    "university",
    "institute",
    "college",
    "school",
    "center",
    "centre",
    "laboratory",
    "laboratories",
    "society",
    "academy",
    "foundation",
    "hospital",
    "council",
    "museum",
    "department",
    "board",
}


def _is_field(doc: Doc, span: Span) -> bool:
    before = doc[max(0, span.start - 4) : span.start]
    if not _FIELD_BEFORE.search(before.text_with_ws if len(before) else ""):
        return False
    return not any(t.lower_ in _INSTITUTION_NAMES or t.lower_ in _CORPORATE_WORDS for t in span)


def _is_junk(text: str, not_entities: set[str]) -> bool:
    if text in not_entities or len(text) < 2 or not re.search(r"[A-Za-z]", text):
        return True
    if _TITLE_ONLY.match(text):
        return True
    if text.islower() or "[" in text or "]" in text or "\n" in text:
        return True
    return False


def _launch_objects(doc: Doc) -> list[Span]:
    """Proper-noun objects of launch verbs: "Apple launched Apple Pay".

    Coordinated objects count too, and so does the name before a common noun
    ("unveiled the Pixel and Pixel XL smartphones", "the Echo smart speaker").
    """
    spans = []
    for tok in _tokens_among(doc, LAUNCH_VERBS):
        if tok.pos_ != "VERB":
            continue
        todo = [c for c in tok.children if c.dep_ in ("dobj", "obj")]
        while todo:
            child = todo.pop()
            todo.extend(c for c in child.children if c.dep_ == "conj")
            span = _product_name(doc, child)
            if span is not None:
                spans.append(span)
    return spans


def _product_name(doc: Doc, head) -> Span | None:
    if head.pos_ == "PROPN":
        left = head
        while (
            left.i > 0
            and doc[left.i - 1].pos_ == "PROPN"
            and doc[left.i - 1].dep_ in ("compound", "nmod")
            and doc[left.i - 1].head.i >= left.i
        ):
            left = doc[left.i - 1]
        right = head.i + 1
        while (
            right < len(doc)
            and doc[right].pos_ == "PROPN"
            and doc[right].dep_ in ("compound", "flat", "appos")
            and doc[right].head == head
        ):
            right += 1
        return doc[left.i : right]
    if head.pos_ != "NOUN":
        return None
    # "the Daydream View virtual reality headset": the capitalised run before the noun
    i = head.left_edge.i
    while i < head.i and (doc[i].dep_ in ("det", "poss", "case", "cc", "punct") or doc[i].is_lower):
        i += 1
    j = i
    while j < head.i and (doc[j].is_title or (doc[j].is_upper and len(doc[j]) > 1) or (j > i and doc[j].like_num)):
        j += 1
    if j == i or not all(t.is_lower for t in doc[j : head.i]):
        return None
    if any(t.ent_type_ in _NOT_PRODUCT_ENTS for t in doc[i:j]) or (j - i == 1 and doc[i].ent_type_ in ("GPE", "NORP")):
        return None
    return doc[i:j]


_NOT_PRODUCT_ENTS = {"DATE", "TIME", "ORDINAL", "CARDINAL", "MONEY", "PERCENT", "QUANTITY"}
_ACQUIRING = frozenset(
    {
        "acquire",
        "acquires",
        "acquired",
        "acquiring",
        "buy",
        "buys",
        "bought",
        "buying",
        "purchase",
        "purchases",
        "purchased",
        "purchasing",
    }
)
_ACQUISITION_NOUNS = frozenset({"acquisition", "acquisitions", "purchase", "takeover", "buyout"})


def _untagged_name(doc: Doc, tok, taken: set[int]) -> Span | None:
    """The proper name headed by ``tok`` if the model tagged none of it and no mention has it."""
    if tok.pos_ != "PROPN" or tok.ent_type_ or tok.i in taken or not tok.text[:1].isupper():
        return None
    span = _product_name(doc, tok)
    return span if span is not None and not any(t.ent_type_ or t.i in taken for t in span) else None


def _maker_names(doc: Doc, offers, taken: set[int]) -> list[Span]:
    """Untagged proper names that make or sell a product: "HKEC manufactures power assemblies"."""
    spans = []
    for o in offers:
        span = _untagged_name(doc, o.maker, taken) if o.maker.i != o.trigger.i else None
        if span is not None and span not in spans:
            spans.append(span)
    return spans


@functools.cache
def _hashes(words: frozenset[str]) -> numpy.ndarray:
    return numpy.fromiter((hash_string(w) for w in words), dtype="uint64")


def _tokens_among(doc: Doc, words: frozenset[str]):
    """The tokens whose lower-case form is one of ``words`` (without making a Token of every word)."""
    for i in numpy.nonzero(numpy.isin(doc.to_array("LOWER"), _hashes(words)))[0]:
        yield doc[int(i)]


def _acquired_names(doc: Doc, taken: set[int]) -> list[Span]:
    """Untagged proper names a company buys: "Fox acquired streaming service Tubi",
    "the acquisition of Kount" (what is bought here is a company, or a product
    line named like one; either way a party to the deal)."""
    spans = []
    for tok in _tokens_among(doc, _ACQUIRING | _ACQUISITION_NOUNS):
        if tok.pos_ == "VERB" and tok.lower_ in _ACQUIRING:
            todo = [c for c in tok.children if c.dep_ in ("dobj", "obj")]
            # "acquired streaming service Tubi": the name after a kind of company, often misparsed
            todo += [doc[c.i + 1] for c in todo if c.pos_ == "NOUN" and c.i + 1 < len(doc)]
        elif tok.lower_ in _ACQUISITION_NOUNS:
            todo = [
                g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"
            ]
        else:
            continue
        while todo:
            child = todo.pop()
            todo.extend(c for c in child.children if c.dep_ == "conj")
            span = _untagged_name(doc, child, taken)
            partitive = any(c.dep_ == "prep" and c.lower_ == "of" for c in child.children)  # "Balance of X"
            if span is not None and not partitive:
                spans.append(span)
    return spans


def find_mentions(doc: Doc, gazetteer: dict[str, set[str]]) -> list[Mention]:
    """Typed, cleaned mentions of people, organisations, products and places."""
    not_entities = gazetteer.get("NotEntity", set())
    sent_starts = [sent.start for sent in doc.sents]

    def sent_index(token_i: int) -> int:
        return bisect_right(sent_starts, token_i) - 1

    launched = _launch_objects(doc)
    products = {(s.start_char, s.end_char) for s in launched}
    offers = find_offers(doc)
    named_products = {o.product.root.i for o in offers if o.making and o.product.root.ent_type_}
    # "Ravicti drug product manufactured by ...": the name is the product's brand, inside its phrase
    brands = {t.i for o in offers if o.making and not o.product.root.ent_type_ for t in o.product if t.ent_type_}
    mentions: list[Mention] = []
    taken: set[int] = set()
    for span in launched:
        if not _is_junk(span.text, not_entities) and not any(i in taken for i in range(span.start, span.end)):
            mentions.append(
                Mention(span.start_char, span.end_char, span.text, "Product", sent_index(span.start), via="rule")
            )
            taken.update(range(span.start, span.end))
    for ent in doc.ents:
        kind = TYPE_OF_LABEL.get(ent.label_) or ("Organization" if _is_institution(ent) else None)
        if kind is None or kind == "Work":
            continue
        span = _clean_span(ent)
        if span is None or _is_junk(span.text, not_entities) or any(i in taken for i in range(span.start, span.end)):
            continue
        if all(i in brands for i in range(span.start, span.end)):
            continue
        if kind == "Person" and span.end < ent.end and ent[-1].lower_ in _TITLE_ENDS:
            kind = "Organization"  # "Gogoro Founder": the company of a title
        if kind == "Organization" and _is_field(doc, span):
            continue
        if kind in ("Organization", "Person", "Place"):
            tail = _legal_tail(doc, span.end)
            if tail != span.end:  # "Energy Transfer Partners" + ", L.P.": one company
                span, kind = doc[span.start : tail], "Organization"
        if kind == "Organization":
            span = _extend_corporate(span, taken)
        if (span.start_char, span.end_char) in products or span.root.i in named_products:
            kind = "Product"
        via = "gazetteer" if ent.ent_id_ == "dg" else "ner"
        mentions.append(Mention(span.start_char, span.end_char, span.text, kind, sent_index(span.start), via=via))
        taken.update(range(span.start, span.end))
    for span in _described_people(doc, taken):  # "Tal, a senior Defense Ministry official": a name the model missed
        mentions.append(
            Mention(span.start_char, span.end_char, span.text, "Person", sent_index(span.start), via="rule")
        )
        taken.update(range(span.start, span.end))
    for span in _acquired_names(doc, taken) + _maker_names(doc, offers, taken):  # names the model missed
        if not _is_junk(span.text, not_entities):
            mentions.append(
                Mention(span.start_char, span.end_char, span.text, "Organization", sent_index(span.start), via="rule")
            )
            taken.update(range(span.start, span.end))
    for offer in offers:  # "HP develops printers": a product phrase, not a name
        span = offer.product
        if span.text not in not_entities and not any(i in taken for i in range(span.start, span.end)):
            mentions.append(
                Mention(span.start_char, span.end_char, span.text, "Product", sent_index(span.start), via="phrase")
            )
            taken.update(range(span.start, span.end))
    # a maker by a verb or a maker noun, not by a possessive ("Qaboos's policies")
    _fix_people(doc, mentions, {o.maker.i for o in offers if o.trigger.i != o.maker.i})
    mentions.extend(_repeats(doc, mentions, taken, sent_index))
    mentions.sort(key=lambda m: m.start)
    mentions = _join_nicknames(doc_text(doc), mentions)
    _retype(mentions, gazetteer)
    _units_are_companies(doc_text(doc), mentions)
    _mark_modifiers(doc, mentions)
    return [m for m in mentions if m.type in ("Person", "Organization", "Product", "Place")]


#: words that make a "facility" an institution: "the Albert Einstein College of Medicine"
_FACILITY_INSTITUTIONS = {
    "college",
    "university",
    "institute",
    "school",
    "railway",
    "railroad",
    "group",
    "hospital",
    "academy",
    "foundation",
    "company",
    "corporation",
    "society",
    "association",
    "council",
    "laboratory",
    "laboratories",
}
_CENTER_FOR = re.compile(r"\b(?:Center|Centre) (?:for|of)\b")


def _is_institution(ent: Span) -> bool:
    """A name the model tagged a facility (FAC) that names an institution: "the Great Northern
    Railway", "the Center for Historical Studies" (not "Lincoln Center" or "Heathrow Airport")."""
    return ent.label_ == "FAC" and (
        any(t.lower_ in _FACILITY_INSTITUTIONS for t in ent) or bool(_CENTER_FOR.search(ent.text))
    )


_LEGAL_WORDS = {
    "llc",
    "l.l.c.",
    "lp",
    "l.p.",
    "llp",
    "l.l.p.",
    "inc",
    "inc.",
    "ltd",
    "ltd.",
    "corp",
    "corp.",
    "plc",
    "n.a.",
    "s.a.",
    "ag",
    "gmbh",
    "limited",
    "incorporated",
    "co.",
    "l.p",
    "l.l.p",
}


def _legal_tail(doc: Doc, end: int) -> int:
    """The end of ", L.P." / ", LLC" after a name (the model often tags it apart), else ``end``."""
    if (
        end + 1 >= len(doc)
        or doc[end].text != ","
        or doc[end + 1].lower_ not in _LEGAL_WORDS
        or not doc[end + 1].text[:1].isupper()
    ):
        return end
    stop = end + 2
    while stop < len(doc) and doc[stop].lower_ in _LEGAL_WORDS and doc[stop].text[:1].isupper():
        stop += 1
    if stop < len(doc) and doc[stop].text == "." and doc[stop - 1].text[-1:] != ".":
        stop += 1
    return stop


def _extend_corporate(span: Span, taken: set[int]) -> Span:
    """ "Whole Foods" + "Market": take in a following capitalised corporate word."""
    doc, end = span.doc, span.end
    while end < len(doc) and end not in taken and doc[end].is_title and doc[end].lower_ in _CORPORATE_WORDS:
        end += 1
    return doc[span.start : end] if end != span.end else span


def _repeats(doc: Doc, mentions: list[Mention], taken: set[int], sent_index) -> list[Mention]:
    """Mentions the model missed: other occurrences of names it found, and surnames."""
    names: dict[str, str] = {}
    for m in mentions:
        if len(m.text) >= 3 and m.text[:1].isupper():
            names.setdefault(m.text, m.type)
        words = m.text.split()
        if m.type == "Person" and len(words) >= 2 and len(words[-1]) >= 3 and words[-1][:1].isupper():
            names.setdefault(words[-1], "Person")
    if not names:
        return []
    by_prefix: dict[str, list[str]] = {}
    for name in sorted(names, key=len, reverse=True):
        by_prefix.setdefault(name[:2], []).append(name)
    text, out = doc_text(doc), []
    for tok in doc:
        if tok.i in taken or not tok.text[:1].isupper():
            continue
        for name in by_prefix.get(tok.text[:2], ()):
            end = tok.idx + len(name)
            if not text.startswith(name, tok.idx) or (end < len(text) and (text[end].isalnum() or text[end] in "@-")):
                continue
            if end < len(text) - 1 and text[end] == "." and text[end + 1].isalnum():
                continue
            span = doc.char_span(tok.idx, end)
            if span is None or any(i in taken for i in range(span.start, span.end)):
                continue
            taken.update(range(span.start, span.end))
            out.append(Mention(tok.idx, end, name, names[name], sent_index(span.start), via="repeat"))
            break
    return out
