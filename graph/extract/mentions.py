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
from dataclasses import dataclass

import numpy
from spacy.strings import hash_string
from spacy.tokens import Doc, Span

from graph.extract.products import find_offers

__all__ = ["Mention", "TYPE_OF_LABEL", "find_mentions", "org_key", "strip_legal", "doc_text"]

TYPE_OF_LABEL = {
    "PERSON": "Person",
    "ORG": "Organization",
    "PRODUCT": "Product",
    "GPE": "Place",
    "WORK_OF_ART": "Work",
}

LAUNCH_VERBS = frozenset(
    f"{stem}{end}"
    for stem, ends in (
        ("launch", ("", "es", "ed", "ing")), ("unveil", ("", "s", "ed", "ing")),
        ("introduc", ("e", "es", "ed", "ing")), ("releas", ("e", "es", "ed", "ing")),
        ("debut", ("", "s", "ed", "ing")), ("roll", ("", "s", "ed", "ing")),
        ("unleash", ("", "es", "ed", "ing")), ("ship", ("", "s", "ped", "ping")),
    )
    for end in ends
)
_CORPORATE_WORDS = {
    "group", "holdings", "holding", "inc", "inc.", "incorporated", "corp", "corp.", "corporation", "company",
    "co", "co.", "ltd", "ltd.", "limited", "llc", "plc", "ag", "sa", "s.a.", "nv", "n.v.",
    "gmbh", "entertainment", "capital", "ventures", "partners", "bank", "financial",
    "technologies", "technology", "labs", "research", "studios", "pictures", "media",
    "motors", "international", "networks", "systems", "communications", "foundation",
    "digital", "live", "services", "energy", "airlines", "pharmaceuticals", "brands",
    "market", "markets", "news", "sports", "television", "tv", "radio", "music", "records",
    "games", "lp", "l.p.", "llp", "fund", "funds", "trust", "stores", "airways", "university",
    "institute", "investments", "insurance", "industries", "solutions", "software", "semiconductor",
    "motor", "telecom", "pharma", "health", "healthcare", "bancorp", "securities", "asset",
    "management", "entertainment", "broadcasting", "publishing", "press", "films", "productions",
    "electronics", "lab", "reinsurance", "logistics", "oyj", "ab", "asa", "spa", "s.p.a.", "bv", "b.v.", "pty",
    "kk", "se",
}
_REGIONS = {
    "china", "india", "japan", "korea", "europe", "asia", "africa", "america", "americas", "us",
    "usa", "uk", "canada", "australia", "germany", "france", "italy", "spain", "brazil", "mexico",
    "russia", "global", "worldwide", "international", "emea", "apac", "latam", "north", "south",
}
_ROLE_AFTER = re.compile(
    r"^,\s+(?:its|the|their|his|her)\s+(?:new\s+)?(?:co-?founder|founder|chairman|chairwoman|"
    r"chief executive|CEO|president|chief \w+ officer)\b"
)
_LEGAL = r"(?:,?\s+(?:Inc\.?|Incorporated|Corp\.?|Corporation|Co\.?|Company|Ltd\.?|Limited|LLC|L\.L\.C\.|plc|PLC|AG|S\.A\.|SA|N\.V\.|NV|GmbH|SE|Holdings?|Group)\b\.?)+$"


@dataclass
class Mention:
    """One mention of an entity in an article.

    ``start``/``end`` are character offsets in the doc; ``sent`` the sentence index;
    ``canonical`` is filled by ``dealgraph_coref`` (the name of the entity the
    mention refers to); ``via`` says how it was found (ner, gazetteer, rule,
    phrase, surname, pronoun, nominal, repeat); ``modifier`` is True for a name used as
    the modifier of a common noun ("the Fox businesses"); ``known_place`` for a
    place of the gazetteer's Place list, which is never a company.
    """

    start: int
    end: int
    text: str
    type: str
    sent: int
    canonical: str = ""
    via: str = "ner"
    modifier: bool = False
    known_place: bool = False


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per doc (spaCy rebuilds it on every access)."""
    text = doc.user_data.get("dg_text")
    if text is None:
        text = doc.user_data["dg_text"] = doc.text
    return text


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
    >>> org_key("Taobao.com"), org_key("Amazon.com, Inc.")
    ('taobao', 'amazon')
    """
    name = re.sub(r"(?<=\w)\.(?:com|net|org|co\.uk|cn|io)$", "", strip_legal(name), flags=re.I)  # "Taobao.com"
    return re.sub(r"[^\w]+", " ", name.lower()).strip()


#: words a name never ends with ("Walden International and" + "Cadence")
_TRAILING_WORDS = {"and", "or", "&"}


#: a kind of company the model took into the name at its start: "Drugmaker Sanofi", "Retailer Target"
#: a name ending in these is a thing named after a person
_THING_ENDS = {"telescope", "prize", "award", "awards", "medal", "trophy", "cup", "act", "theorem", "doctrine",
               "bridge", "airport", "stadium", "tower", "building", "memorial", "lecture", "scholarship"}
#: "Board of Trade", "Board of Governors": the board is the institution
_BOARD_KINDS = {"trade", "governors", "trustees", "regents", "education", "supervisors", "health",
                "commissioners", "elections", "directors", "managers", "overseers", "control"}
_UNIT_WORDS = {"subsidiary", "unit", "division", "affiliate", "parent"}
_LEADING_KIND = re.compile(r"^(?:\w+maker|retailer|lender|insurer|conglomerate|startup|start-up|miner|refiner)$", re.I)
#: a headline's verb or a job title the model took into the name at its end: "Hilton Hotels
#: Acquired (by Blackstone)", "Gogoro Founder (and CEO Horace Luke)"
_TITLE_ENDS = {"founder", "co-founder", "cofounder", "ceo", "cfo", "coo", "cto", "chairman", "chairwoman",
               "president", "chief", "spokesman", "spokeswoman"}
_NOT_NAME_ENDS = {"acquired", "acquires", "acquire", "buys", "bought", "buy", "sells", "sold", "to", "wins",
                   "names", "appoints", "launches", "unveils", "agrees", "completes", "closes", "announces",
                   "says", "signs", "merges", "takes", "nabs", "snaps", "agree", "plan", "plans",
                   "image", "photo", "pictured"} | _TITLE_ENDS  # a caption: "Markham Robinson Image: ..."


def _clean_span(span: Span) -> Span | None:
    """Trim determiners, possessives and punctuation around an entity span, an unclosed
    parenthesis the model ran into ("... of Science (AAAS" -> "... of Science"), what
    follows a "|" ("LinkedIn | News Center"), a kind of company before the name
    ("Drugmaker Sanofi SA") and a headline's verb after it ("Hilton Hotels Acquired")."""
    start, end = span.start, span.end
    doc = span.doc
    opened = [t.i for t in span if t.text == "("]
    if opened and not any(t.text == ")" for t in doc[opened[-1]:end]) and opened[-1] > start:
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
    if doc[start].lower_ == "board" and end - start >= 3 and doc[start + 1].lower_ == "of" \
            and doc[start + 2].lower_ not in _BOARD_KINDS:
        start += 2  # "(Chairman of the) Board of LiqTech International": the company
        if end - start >= 3 and doc[start].lower_ == "directors" and doc[start + 1].lower_ == "of":
            start += 2
        while start < end and doc[start].lower_ == "the":
            start += 1
    while end - start >= 2 and (doc[end - 1].is_title or doc[end - 1].is_upper) and doc[end - 1].lower_ in _NOT_NAME_ENDS:
        end -= 1
    while end > start and (doc[end - 1].is_punct and doc[end - 1].text not in (".",) or doc[end - 1].tag_ == "POS"
                           or doc[end - 1].lower_ in _TRAILING_WORDS):
        end -= 1
    if start >= end:
        return None
    return doc[start:end]


#: a job title the model tagged as a name ("Chief Design Officer", "Canada Research Chair")
_TITLE_ONLY = re.compile(
    r"^(?:[A-Z][\w-]* ){0,3}(?:Officer|President|Director|Chairman|Chairwoman|Chair|Professor|Instructor|"
    r"Lecturer|Fellow|Secretary|Treasurer|Counsel|Manager|Founder|Co-[Ff]ounder|Cofounder|Controller|Comptroller|Owner)$|^(?:CEO|CFO|CDO|COO|CTO|CIO|CMO|CSO)$")


#: "Professor of (Theoretical Physics)": a field of study, not an organisation
_FIELD_BEFORE = re.compile(r"(?:[Pp]rofessor(?:ship)?|[Ll]ecturer|[Rr]eader|[Dd]egrees?|[Bb]achelor(?:'s)?|"
                           r"[Mm]aster(?:'s)?|[Dd]octorate|Ph\.?D\.?|[Ss]tudies) (?:of|in) (?:the )?$")
_INSTITUTION_NAMES = {"university", "institute", "college", "school", "center", "centre", "laboratory", "laboratories",
                      "society", "academy", "foundation", "hospital", "council", "museum", "department", "board"}


def _is_field(doc: Doc, span: Span) -> bool:
    before = doc[max(0, span.start - 4): span.start]
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
        while left.i > 0 and doc[left.i - 1].pos_ == "PROPN" and doc[left.i - 1].dep_ in ("compound", "nmod") and doc[left.i - 1].head.i >= left.i:
            left = doc[left.i - 1]
        right = head.i + 1
        while right < len(doc) and doc[right].pos_ == "PROPN" and doc[right].dep_ in ("compound", "flat", "appos") and doc[right].head == head:
            right += 1
        return doc[left.i:right]
    if head.pos_ != "NOUN":
        return None
    # "the Daydream View virtual reality headset": the capitalised run before the noun
    i = head.left_edge.i
    while i < head.i and (doc[i].dep_ in ("det", "poss", "case", "cc", "punct") or doc[i].is_lower):
        i += 1
    j = i
    while j < head.i and (doc[j].is_title or (doc[j].is_upper and len(doc[j]) > 1) or (j > i and doc[j].like_num)):
        j += 1
    if j == i or not all(t.is_lower for t in doc[j:head.i]):
        return None
    if any(t.ent_type_ in _NOT_PRODUCT_ENTS for t in doc[i:j]) or (j - i == 1 and doc[i].ent_type_ in ("GPE", "NORP")):
        return None
    return doc[i:j]


_NOT_PRODUCT_ENTS = {"DATE", "TIME", "ORDINAL", "CARDINAL", "MONEY", "PERCENT", "QUANTITY"}
_ACQUIRING = frozenset({"acquire", "acquires", "acquired", "acquiring", "buy", "buys", "bought", "buying",
                        "purchase", "purchases", "purchased", "purchasing"})
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


@functools.lru_cache(maxsize=None)
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
            todo = [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
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
            mentions.append(Mention(span.start_char, span.end_char, span.text, "Product", sent_index(span.start), via="rule"))
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
                span, kind = doc[span.start:tail], "Organization"
        if kind == "Organization":
            span = _extend_corporate(span, taken)
        if (span.start_char, span.end_char) in products or span.root.i in named_products:
            kind = "Product"
        via = "gazetteer" if ent.ent_id_ == "dg" else "ner"
        mentions.append(Mention(span.start_char, span.end_char, span.text, kind, sent_index(span.start), via=via))
        taken.update(range(span.start, span.end))
    for span in _described_people(doc, taken):  # "Tal, a senior Defense Ministry official": a name the model missed
        mentions.append(Mention(span.start_char, span.end_char, span.text, "Person", sent_index(span.start), via="rule"))
        taken.update(range(span.start, span.end))
    for span in _acquired_names(doc, taken) + _maker_names(doc, offers, taken):  # names the model missed
        if not _is_junk(span.text, not_entities):
            mentions.append(Mention(span.start_char, span.end_char, span.text, "Organization", sent_index(span.start), via="rule"))
            taken.update(range(span.start, span.end))
    for offer in offers:  # "HP develops printers": a product phrase, not a name
        span = offer.product
        if span.text not in not_entities and not any(i in taken for i in range(span.start, span.end)):
            mentions.append(Mention(span.start_char, span.end_char, span.text, "Product", sent_index(span.start), via="phrase"))
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


#: a quoted nickname inside a person's name: 'Thomas "Tommy" Brandt', "Robert ‘Bob’ Kane"
_NICKNAME = re.compile(r"\b([A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*)?) [\"“‘']([A-Z][\w.' -]{0,24}?)[\"”’'] "
                       r"([A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?)")


def _join_nicknames(text: str, mentions: list[Mention]) -> list[Mention]:
    """One person for a name the model cut at the quotation marks of a nickname
    ('Thomas "Tommy" Brandt' as "Thomas" and 'Tommy" Brandt'), named without the
    nickname ("Thomas Brandt").

    >>> ms = [Mention(0, 6, "Thomas", "Person", 0), Mention(8, 21, 'Tommy" Brandt', "Person", 0)]
    >>> [(m.start, m.end, m.text) for m in _join_nicknames('Thomas "Tommy" Brandt agreed.', ms)]
    [(0, 21, 'Thomas Brandt')]
    """
    if not any(q in text for q in '"“‘\''):
        return mentions
    for hit in _NICKNAME.finditer(text):
        start, end = hit.start(), hit.end()
        inside = [m for m in mentions if m.start < end and start < m.end]
        if not inside or not any(m.type == "Person" for m in inside) or any(m.type != "Person" for m in inside):
            continue
        joined = Mention(start, end, f"{hit[1]} {hit[3]}", "Person", inside[0].sent, via=inside[0].via)
        mentions = sorted([m for m in mentions if m not in inside] + [joined], key=lambda m: m.start)
    return mentions


#: words that make a "facility" an institution: "the Albert Einstein College of Medicine"
_FACILITY_INSTITUTIONS = {"college", "university", "institute", "school", "railway", "railroad", "group", "hospital",
                          "academy", "foundation", "company", "corporation", "society", "association", "council",
                          "laboratory", "laboratories"}
_CENTER_FOR = re.compile(r"\b(?:Center|Centre) (?:for|of)\b")


def _is_institution(ent: Span) -> bool:
    """A name the model tagged a facility (FAC) that names an institution: "the Great Northern
    Railway", "the Center for Historical Studies" (not "Lincoln Center" or "Heathrow Airport")."""
    return ent.label_ == "FAC" and (any(t.lower_ in _FACILITY_INSTITUTIONS for t in ent) or bool(_CENTER_FOR.search(ent.text)))


_LEGAL_WORDS = {"llc", "l.l.c.", "lp", "l.p.", "llp", "l.l.p.", "inc", "inc.", "ltd", "ltd.", "corp", "corp.",
                "plc", "n.a.", "s.a.", "ag", "gmbh", "limited", "incorporated", "co.", "l.p", "l.l.p"}


def _legal_tail(doc: Doc, end: int) -> int:
    """The end of ", L.P." / ", LLC" after a name (the model often tags it apart), else ``end``."""
    if end + 1 >= len(doc) or doc[end].text != "," or doc[end + 1].lower_ not in _LEGAL_WORDS or not doc[end + 1].text[:1].isupper():
        return end
    stop = end + 2
    while stop < len(doc) and doc[stop].lower_ in _LEGAL_WORDS and doc[stop].text[:1].isupper():
        stop += 1
    if stop < len(doc) and doc[stop].text == "." and doc[stop - 1].text[-1:] != ".":
        stop += 1
    return stop


def _extend_corporate(span: Span, taken: set[int]) -> Span:
    """"Whole Foods" + "Market": take in a following capitalised corporate word."""
    doc, end = span.doc, span.end
    while end < len(doc) and end not in taken and doc[end].is_title and doc[end].lower_ in _CORPORATE_WORDS:
        end += 1
    return doc[span.start:end] if end != span.end else span


#: a title the model swallowed into a name: "United States Representative Elijah Cummings"
_TITLE_PREFIX = re.compile(
    r"^(?:(?:United States|U\.S\.|US|State|Former|former)\s+)?(?:Representative|Rep\.|Senator|Sen\.|"
    r"Congressman|Congresswoman|Governor|Gov\.|Mayor|Judge|Justice|President|Vice President|Prime Minister|"
    r"Minister|Chancellor|Secretary|Ambassador|General|Gen\.|Admiral|Dr\.|Professor|Prof\.)\s+"
    r"(?=[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,2}$)")


_INSTITUTION_WORDS = {"school", "college", "hospital", "council", "committee", "party", "airport", "court"}


def _strip_title(m: Mention) -> None:
    """A name after a title is a person, named without the title ("Judge Business School" is not)."""
    hit = _TITLE_PREFIX.match(m.text)
    if hit and m.type in ("Person", "Organization") and not any(
            w.lower().strip(".,") in _CORPORATE_WORDS | _INSTITUTION_WORDS for w in m.text[hit.end():].split()):
        m.start += hit.end()
        m.text = m.text[hit.end():]
        m.type = "Person"


#: what only a person is, in an apposition after a name ("Magnus Ranstorp, a lecturer at ...")
_PERSON_NOUNS = (r"lecturer|professor|analyst|expert|economist|researcher|scientist|historian|spokes(?:man|woman|person)|"
                 r"official|lawyer|attorney|senator|minister|journalist|correspondent|editor|employee|engineer|"
                 r"advis[oe]r|consultant|director|chairman|chairwoman|president|executive|founder|co-founder|"
                 r"deputy|secretary|coach|manager|politician|businessman|businesswoman|entrepreneur|activist|"
                 r"author|writer|member of parliament|lawmaker|diplomat|ambassador|commander|officer")
#: after a name: ", 53," (an age) or ", a lecturer at" / ", the company's former chief executive"
_PERSON_AFTER = re.compile(r"^(?:,\s+\d{1,2}\s*,|,\s+(?:(?:a|an|the|its|his|her|their)\s+)?(?:[\w'’-]+\s+){0,3}?(?:"
                           + _PERSON_NOUNS + r")\b)")
#: before a name spoken of: '..." said Ines Werkner of the Institute', 'says Lantuit from ...'
_SAID_BEFORE = re.compile(r"\b(?:said|says|added|told|according to)\s+$")
_OF_AFTER = re.compile(r"^(?:\s+(?:of|from|at)\s+(?:the\s+)?[A-Z]|,\s+(?:who|whose)\b)")


#: capitalised words that are no one's name
_NOT_PERSON_WORDS = _CORPORATE_WORDS | _INSTITUTION_WORDS | {"mr", "mrs", "ms", "dr", "sir", "meanwhile", "however",
                                                            "god", "president", "minister", "chancellor", "secretary"}


def _speaks_as_person(text: str, m: Mention, words: list[str]) -> bool:
    """A name the model took for an organisation that text around it shows is a person: an age or a
    person's noun in apposition ("Harrington, a professor of ...", "Walesa, 53,"), or the speaker of
    an inverted quote tied to their organisation ('said Ines-Jacqueline Werkner of the Institute').
    Not for acronyms, names with a corporate word, or more than three words.

    >>> m = Mention(5, 20, "Magnus Ranstorp", "Organization", 0)
    >>> _speaks_as_person("said Magnus Ranstorp, a lecturer at the college", m, m.text.split())
    True
    >>> m = Mention(0, 4, "Acme", "Organization", 0)
    >>> _speaks_as_person("Acme, a maker of pumps", m, ["Acme"])
    False
    """
    if not 1 <= len(words) <= 3 or any(w.lower().strip(".,") in _CORPORATE_WORDS | _INSTITUTION_WORDS for w in words):
        return False
    if not all(w[:1].isupper() for w in words) or (len(words) == 1 and words[0].isupper()):
        return False
    after = text[m.end: m.end + 80]
    if _PERSON_AFTER.match(after):
        return True
    return bool(_SAID_BEFORE.search(text[max(0, m.start - 20): m.start]) and _OF_AFTER.match(after))


def _described_people(doc: Doc, taken: set[int]) -> list[Span]:
    """Names the model tagged as nothing that an apposition shows are people: a run of one to three
    capitalised proper nouns followed by an age or a person's noun ("Winter, 53, a former law
    professor", "Tal, a senior Defense Ministry official")."""
    text = doc_text(doc)
    out, i, n = [], 0, len(doc)
    while i < n:
        tok = doc[i]
        if i in taken or tok.pos_ != "PROPN" or tok.ent_type_ or not tok.text[:1].isupper():
            i += 1
            continue
        j = i + 1
        while j < n and j - i < 3 and j not in taken and doc[j].pos_ == "PROPN" and not doc[j].ent_type_ \
                and doc[j].text[:1].isupper():
            j += 1
        span = doc[i:j]
        words = span.text.split()
        if j < n and doc[j].text == "," and not (len(words) == 1 and words[0].isupper()) \
                and not any(w.lower() in _NOT_PERSON_WORDS for w in words) \
                and _PERSON_AFTER.match(text[span.end_char: span.end_char + 80]):
            out.append(span)
        i = j
    return out


def _fix_people(doc: Doc, mentions: list[Mention], makers: set[int] = frozenset()) -> None:
    """Retype people the model took for companies or places, and vice versa; ``makers``
    are the tokens that make or sell a product ("Zorblax manufactures pumps")."""
    text = doc_text(doc)
    for m in mentions:
        _strip_title(m)
        if m.type in ("Organization", "Place") and m.via == "ner" and _speaks_as_person(text, m, m.text.split()):
            m.type = "Person"
    surnames = {m.text.split()[-1]: m for m in mentions if m.type == "Person" and len(m.text.split()) >= 2}
    by_start = sorted(mentions, key=lambda m: m.start)
    previous = {id(b): a for a, b in zip(by_start, by_start[1:])}
    for m in mentions:
        words = m.text.split()
        if m.type == "Person" and len(words) >= 2 and words[-1].lower().strip(".,") in _CORPORATE_WORDS:
            m.type = "Organization"
        elif m.type == "Person" and len(words) >= 2 and words[-1].lower() in _THING_ENDS:
            m.type = "Work"  # "James Webb Telescope", "Nobel Prize": named after someone, not one (dropped)
        elif m.type == "Person" and m.text not in surnames and _in_company_slot(doc, text, m, len(words) == 1, makers):
            m.type = "Organization"
        elif m.type in ("Organization", "Place") and m.via != "gazetteer":
            corporate = any(w.lower().strip(".,") in _CORPORATE_WORDS for w in words)
            if len(words) == 1 and m.text in surnames:
                full = surnames[m.text]
                first = full.text.split()[0]
                before = text[max(0, m.start - len(first) - 1): m.start]
                if before == first + " ":
                    m.start -= len(first) + 1
                    m.text = text[m.start:m.end]
                m.type = "Person"
            elif len(words) in (2, 3) and not corporate and words[-1] in surnames and words[0][:1].isupper():
                m.type = "Person"
            elif len(words) <= 3 and not corporate and _ROLE_AFTER.match(text[m.end: m.end + 40]):
                m.type = "Person"
            elif 2 <= len(words) <= 3 and not corporate and all(w[:1].isupper() for w in words) and _in_people_list(doc, text, previous.get(id(m)), m):
                m.type = "Person"


#: words around which any name is a company: "X is a subsidiary of", "subsidiary of operator X",
#: "the acquisition of X"
_COMPANY_NOUNS = {
    "subsidiary", "subsidiaries", "unit", "division", "parent", "company", "firm", "corporation",
    "maker", "manufacturer", "provider", "operator", "supplier", "retailer", "lender", "insurer",
    "startup", "start-up", "conglomerate", "acquired", "acquisition",
}
#: and around which a one-word name is: "Myogen was bought by", "our customer Elpida"
_COMPANY_CONTEXT = _COMPANY_NOUNS | {
    "acquire", "acquires", "acquiring", "bought", "buy", "buys", "purchased", "purchase", "merged",
    "merge", "merger", "customer", "customers", "client", "competitor", "rival", "deconsolidated", "spun",
}
#: what a company is, after "X is a" / "X operates as a": "subsidiary", "maker"
_COMPANY_KINDS = _COMPANY_NOUNS - {"acquired", "acquisition"}
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,5}$")


def _in_company_slot(doc: Doc, text: str, m: Mention, one_word: bool, makers: set[int] = frozenset()) -> bool:
    """A "person" that is a company: a one-word acronym ("CDT"), or a name with no
    honorific in a company's place: "Ice9 is a wholly owned subsidiary of", "a subsidiary
    of site operator Liberty Interactive", and for one word also "Myogen was acquired by",
    "the acquisition of Perseid", "our customer Elpida", "Zorblax manufactures pumps"."""
    if one_word and _ACRONYM.match(m.text):
        return True
    if re.search(r"\b(?:Mr|Mrs|Ms|Dr|Prof|Sir|Lord|Lady)\.?\s*$", text[max(0, m.start - 6): m.start]):
        return False
    span = doc.char_span(m.start, m.end)
    if span is None:
        return False
    tok = span.root
    if one_word and tok.i in makers:
        return True
    context = _COMPANY_CONTEXT if one_word else _COMPANY_NOUNS
    heads = [tok.head, tok.head.head] if tok.dep_ == "pobj" else [tok.head]
    if tok.dep_ == "nsubj" and tok.head.pos_ == "AUX":  # "Ice9 is a (wholly owned) subsidiary of", "is a maker of"
        heads += [c for c in tok.head.children if c.dep_ == "attr" and c.lower_ in _COMPANY_KINDS]
    elif tok.dep_ == "nsubj":  # "Milwaukee Electric Tool operates as a subsidiary of"
        heads += [g for c in tok.head.children if c.dep_ == "prep" and c.lower_ == "as"
                  for g in c.children if g.dep_ == "pobj" and g.lower_ in _COMPANY_KINDS]
    modifiers = ("compound", "amod", "appos") if one_word else ("compound",)  # a long name's appositions misparse
    return any(h.lower_ in context for h in heads if h.i != tok.i) or any(
        c.lower_ in context for c in tok.children if c.dep_ in modifiers)


def _in_people_list(doc: Doc, text: str, before: Mention | None, m: Mention) -> bool:
    """"Sam Altman, Greg Brockman and Ilya Sutskever": the last of a list of people (not
    "Founded by A.F. Siebert, Milwaukee Electric Tool operates ...": a new clause's subject)."""
    if before is None or before.type != "Person" or text[before.end: m.start] not in (", ", " and ", ", and "):
        return False
    span = doc.char_span(m.start, m.end)
    return span is None or span.root.dep_ not in ("nsubj", "nsubjpass")


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


#: a name before these is a party, not a modifier: "BP, Amoco merger"
_DEAL_HEADS = {"merger", "mergers", "deal", "deals", "tie-up", "alliance", "partnership", "venture", "pact"}
#: a lower-case word after a name that belongs to it: "a subsidiary of MAS holdings"
_NAME_TAILS = {"holdings", "group", "inc", "ltd", "plc", "corp", "corporation", "limited", "llc"}


def _mark_modifiers(doc: Doc, mentions: list[Mention]) -> None:
    """"the Fox businesses", "former Yahoo engineers": a name modifying a common noun
    (for a "person" also "Ravicti drug product", "the Covid variant": often no person)."""
    for m in mentions:
        if m.type not in ("Organization", "Place", "Person"):
            continue
        span = doc.char_span(m.start, m.end)
        if span is None:
            continue
        root = span.root
        head = root.head
        if root.dep_ in ("compound", "nmod", "amod") and head.i >= span.end and head.pos_ == "NOUN" and head.is_lower \
                and head.lower_ not in _DEAL_HEADS and not (head.i == span.end and head.lower_ in _NAME_TAILS):
            m.modifier = True


#: after a name: it is a company's part, so a company ("CME Clearing, a division of CME")
_UNIT_AFTER = re.compile(r",? (?:is |was )?(?:a |an |the |its )?(?:[\w-]+ ){0,2}?(?:subsidiary|division|unit|arm|affiliate) of\b")
#: before a name: "Luxottica subsidiaries LensCrafters", "its wholly owned subsidiary, Union Bank"
_UNIT_BEFORE = re.compile(r"\b(?:subsidiary|subsidiaries|division|unit)(?:,)? (?:the |The )?$")


def _units_are_companies(text: str, mentions: list[Mention]) -> None:
    """A name the product rule typed a product ("CME Clearing": a company's name and a word)
    is a company where the sentence calls it a subsidiary, division or unit."""
    for m in mentions:
        if m.type == "Product" and m.via in ("ner", "gazetteer") and (
                _UNIT_AFTER.match(text, m.end) or _UNIT_BEFORE.search(text[max(0, m.start - 40):m.start])):
            m.type = "Organization"


def _retype(mentions: list[Mention], gazetteer: dict[str, set[str]]) -> None:
    """Fix types from the rest of the article and the gazetteer (see module docstring)."""
    known_orgs = gazetteer.get("Organization", set())
    known_products = gazetteer.get("Product", set())
    known_places = gazetteer.get("Place", set())
    org_keys = {org_key(m.text) for m in mentions if m.type == "Organization"}
    org_keys |= _keys_of(frozenset(known_orgs))
    places = {m.text.lower() for m in mentions if m.type == "Place"} | _REGIONS
    for m in mentions:
        name = strip_legal(m.text)
        if m.text in known_products or name in known_products:
            m.type = "Product"
        elif m.type in ("Place", "Person") and (m.text in known_orgs or name in known_orgs):
            m.type = "Organization"
        elif m.type == "Place" and org_key(m.text) in org_keys:
            m.type = "Organization"
        elif m.type == "Place" and (m.text in known_places or name in known_places):
            m.known_place = True
        elif m.type in ("Organization", "Person") and m.via != "rule" and m.text not in known_orgs and _looks_like_product(m.text, org_keys, places):
            m.type = "Product"


@functools.lru_cache(maxsize=4)
def _keys_of(names: frozenset[str]) -> frozenset[str]:
    return frozenset(org_key(n) for n in names)


def _looks_like_product(text: str, org_keys: set[str], places: set[str] = frozenset()) -> bool:
    """"Apple Pay", "Alibaba Set Top Box": a company name followed by product words.

    >>> keys = {"apple", "fox", "starbucks"}
    >>> [_looks_like_product(t, keys, {"china"}) for t in ("Apple Pay", "Fox News", "Starbucks China")]
    [True, False, False]
    """
    words = text.split()
    if len(words) < 2:
        return False
    for cut in range(1, len(words)):
        head, rest = " ".join(words[:cut]), words[cut:]
        if org_key(head) in org_keys and rest[0][:1].isupper():
            if " ".join(rest).lower() in places:
                return False
            return not any(w.lower().strip(".,") in _CORPORATE_WORDS or w.lower() in _REGIONS for w in rest)
    return False
