"""Types corrected: people the model took for companies and the reverse, products named
after their company, units that are companies, nicknames inside names, and names used as
modifiers (the rules listed in :mod:`graph.extract.mentions`).

>>> m = Mention(0, 4, "Acme", "Organization", 0)
>>> _speaks_as_person("Acme, a maker of pumps", m, ["Acme"])
False
"""

from __future__ import annotations

import functools
import re

from spacy.tokens import Doc, Span

from graph.extract.names import (
    _CORPORATE_WORDS,
    _REGIONS,
    _ROLE_AFTER,
    _THING_ENDS,
    Mention,
    doc_text,
    org_key,
    strip_legal,
)

#: a quoted nickname inside a person's name: 'Thomas "Tommy" Brandt', "Robert ‘Bob’ Kane"
_NICKNAME = re.compile(
    r"\b([A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*)?) [\"“‘']([A-Z][\w.' -]{0,24}?)[\"”’'] "
    r"([A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?)"
)


def _join_nicknames(text: str, mentions: list[Mention]) -> list[Mention]:
    """One person for a name the model cut at the quotation marks of a nickname
    ('Thomas "Tommy" Brandt' as "Thomas" and 'Tommy" Brandt'), named without the
    nickname ("Thomas Brandt").

    >>> ms = [Mention(0, 6, "Thomas", "Person", 0), Mention(8, 21, 'Tommy" Brandt', "Person", 0)]
    >>> [(m.start, m.end, m.text) for m in _join_nicknames('Thomas "Tommy" Brandt agreed.', ms)]
    [(0, 21, 'Thomas Brandt')]
    """
    if not any(q in text for q in "\"“‘'"):
        return mentions
    for hit in _NICKNAME.finditer(text):
        start, end = hit.start(), hit.end()
        inside = [m for m in mentions if m.start < end and start < m.end]
        if not inside or not any(m.type == "Person" for m in inside) or any(m.type != "Person" for m in inside):
            continue
        joined = Mention(start, end, f"{hit[1]} {hit[3]}", "Person", inside[0].sent, via=inside[0].via)
        mentions = sorted([m for m in mentions if m not in inside] + [joined], key=lambda m: m.start)
    return mentions


#: a title the model swallowed into a name: "United States Representative Elijah Cummings"
_TITLE_PREFIX = re.compile(
    r"^(?:(?:United States|U\.S\.|US|State|Former|former)\s+)?(?:Representative|Rep\.|Senator|Sen\.|"
    r"Congressman|Congresswoman|Governor|Gov\.|Mayor|Judge|Justice|President|Vice President|Prime Minister|"
    r"Minister|Chancellor|Secretary|Ambassador|General|Gen\.|Admiral|Dr\.|Professor|Prof\.)\s+"
    r"(?=[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,2}$)"
)


_INSTITUTION_WORDS = {"school", "college", "hospital", "council", "committee", "party", "airport", "court"}


def _strip_title(m: Mention) -> None:
    """A name after a title is a person, named without the title ("Judge Business School" is not)."""
    hit = _TITLE_PREFIX.match(m.text)
    if (
        hit
        and m.type in ("Person", "Organization")
        and not any(w.lower().strip(".,") in _CORPORATE_WORDS | _INSTITUTION_WORDS for w in m.text[hit.end() :].split())
    ):
        m.start += hit.end()
        m.text = m.text[hit.end() :]
        m.type = "Person"


#: what only a person is, in an apposition after a name ("Magnus Ranstorp, a lecturer at ...")
_PERSON_NOUNS = (
    r"lecturer|professor|analyst|expert|economist|researcher|scientist|historian|spokes(?:man|woman|person)|"
    r"official|lawyer|attorney|senator|minister|journalist|correspondent|editor|employee|engineer|"
    r"advis[oe]r|consultant|director|chairman|chairwoman|president|executive|founder|co-founder|"
    r"deputy|secretary|coach|manager|politician|businessman|businesswoman|entrepreneur|activist|"
    r"author|writer|member of parliament|lawmaker|diplomat|ambassador|commander|officer"
)
#: after a name: ", 53," (an age) or ", a lecturer at" / ", the company's former chief executive"
_PERSON_AFTER = re.compile(
    r"^(?:,\s+\d{1,2}\s*,|,\s+(?:(?:a|an|the|its|his|her|their)\s+)?(?:[\w'’-]+\s+){0,3}?(?:" + _PERSON_NOUNS + r")\b)"
)
#: before a name spoken of: '..." said Ines Werkner of the Institute', 'says Lantuit from ...'
_SAID_BEFORE = re.compile(r"\b(?:said|says|added|told|according to)\s+$")
_OF_AFTER = re.compile(r"^(?:\s+(?:of|from|at)\s+(?:the\s+)?[A-Z]|,\s+(?:who|whose)\b)")


#: capitalised words that are no one's name
_NOT_PERSON_WORDS = (
    _CORPORATE_WORDS
    | _INSTITUTION_WORDS
    | {
        "mr",
        "mrs",
        "ms",
        "dr",
        "sir",
        "meanwhile",
        "however",
        "god",
        "president",
        "minister",
        "chancellor",
        "secretary",
    }
)


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
    after = text[m.end : m.end + 80]
    if _PERSON_AFTER.match(after):
        return True
    return bool(_SAID_BEFORE.search(text[max(0, m.start - 20) : m.start]) and _OF_AFTER.match(after))


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
        while (
            j < n
            and j - i < 3
            and j not in taken
            and doc[j].pos_ == "PROPN"
            and not doc[j].ent_type_
            and doc[j].text[:1].isupper()
        ):
            j += 1
        span = doc[i:j]
        words = span.text.split()
        if (
            j < n
            and doc[j].text == ","
            and not (len(words) == 1 and words[0].isupper())
            and not any(w.lower() in _NOT_PERSON_WORDS for w in words)
            and _PERSON_AFTER.match(text[span.end_char : span.end_char + 80])
        ):
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
                before = text[max(0, m.start - len(first) - 1) : m.start]
                if before == first + " ":
                    m.start -= len(first) + 1
                    m.text = text[m.start : m.end]
                m.type = "Person"
            elif len(words) in (2, 3) and not corporate and words[-1] in surnames and words[0][:1].isupper():
                m.type = "Person"
            elif len(words) <= 3 and not corporate and _ROLE_AFTER.match(text[m.end : m.end + 40]):
                m.type = "Person"
            elif (
                2 <= len(words) <= 3
                and not corporate
                and all(w[:1].isupper() for w in words)
                and _in_people_list(doc, text, previous.get(id(m)), m)
            ):
                m.type = "Person"


#: words around which any name is a company: "X is a subsidiary of", "subsidiary of operator X",
#: "the acquisition of X"
_COMPANY_NOUNS = {
    "subsidiary",
    "subsidiaries",
    "unit",
    "division",
    "parent",
    "company",
    "firm",
    "corporation",
    "maker",
    "manufacturer",
    "provider",
    "operator",
    "supplier",
    "retailer",
    "lender",
    "insurer",
    "startup",
    "start-up",
    "conglomerate",
    "acquired",
    "acquisition",
}
#: and around which a one-word name is: "Myogen was bought by", "our customer Elpida"
_COMPANY_CONTEXT = _COMPANY_NOUNS | {
    "acquire",
    "acquires",
    "acquiring",
    "bought",
    "buy",
    "buys",
    "purchased",
    "purchase",
    "merged",
    "merge",
    "merger",
    "customer",
    "customers",
    "client",
    "competitor",
    "rival",
    "deconsolidated",
    "spun",
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
    if re.search(r"\b(?:Mr|Mrs|Ms|Dr|Prof|Sir|Lord|Lady)\.?\s*$", text[max(0, m.start - 6) : m.start]):
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
        heads += [
            g
            for c in tok.head.children
            if c.dep_ == "prep" and c.lower_ == "as"
            for g in c.children
            if g.dep_ == "pobj" and g.lower_ in _COMPANY_KINDS
        ]
    modifiers = ("compound", "amod", "appos") if one_word else ("compound",)  # a long name's appositions misparse
    return any(h.lower_ in context for h in heads if h.i != tok.i) or any(
        c.lower_ in context for c in tok.children if c.dep_ in modifiers
    )


def _in_people_list(doc: Doc, text: str, before: Mention | None, m: Mention) -> bool:
    """ "Sam Altman, Greg Brockman and Ilya Sutskever": the last of a list of people (not
    "Founded by A.F. Siebert, Milwaukee Electric Tool operates ...": a new clause's subject)."""
    if before is None or before.type != "Person" or text[before.end : m.start] not in (", ", " and ", ", and "):
        return False
    span = doc.char_span(m.start, m.end)
    return span is None or span.root.dep_ not in ("nsubj", "nsubjpass")


#: a name before these is a party, not a modifier: "BP, Amoco merger"
_DEAL_HEADS = {"merger", "mergers", "deal", "deals", "tie-up", "alliance", "partnership", "venture", "pact"}
#: a lower-case word after a name that belongs to it: "a subsidiary of MAS holdings"
_NAME_TAILS = {"holdings", "group", "inc", "ltd", "plc", "corp", "corporation", "limited", "llc"}


def _mark_modifiers(doc: Doc, mentions: list[Mention]) -> None:
    """ "the Fox businesses", "former Yahoo engineers": a name modifying a common noun
    (for a "person" also "Ravicti drug product", "the Covid variant": often no person)."""
    for m in mentions:
        if m.type not in ("Organization", "Place", "Person"):
            continue
        span = doc.char_span(m.start, m.end)
        if span is None:
            continue
        root = span.root
        head = root.head
        if (
            root.dep_ in ("compound", "nmod", "amod")
            and head.i >= span.end
            and head.pos_ == "NOUN"
            and head.is_lower
            and head.lower_ not in _DEAL_HEADS
            and not (head.i == span.end and head.lower_ in _NAME_TAILS)
        ):
            m.modifier = True


#: after a name: it is a company's part, so a company ("CME Clearing, a division of CME")
_UNIT_AFTER = re.compile(
    r",? (?:is |was )?(?:a |an |the |its )?(?:[\w-]+ ){0,2}?(?:subsidiary|division|unit|arm|affiliate) of\b"
)
#: before a name: "Luxottica subsidiaries LensCrafters", "its wholly owned subsidiary, Union Bank"
_UNIT_BEFORE = re.compile(r"\b(?:subsidiary|subsidiaries|division|unit)(?:,)? (?:the |The )?$")


def _units_are_companies(text: str, mentions: list[Mention]) -> None:
    """A name the product rule typed a product ("CME Clearing": a company's name and a word)
    is a company where the sentence calls it a subsidiary, division or unit."""
    for m in mentions:
        if (
            m.type == "Product"
            and m.via in ("ner", "gazetteer")
            and (_UNIT_AFTER.match(text, m.end) or _UNIT_BEFORE.search(text[max(0, m.start - 40) : m.start]))
        ):
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
        elif (
            m.type in ("Organization", "Person")
            and m.via != "rule"
            and m.text not in known_orgs
            and _looks_like_product(m.text, org_keys, places)
        ):
            m.type = "Product"


@functools.lru_cache(maxsize=4)
def _keys_of(names: frozenset[str]) -> frozenset[str]:
    return frozenset(org_key(n) for n in names)


def _looks_like_product(text: str, org_keys: set[str], places: set[str] = frozenset()) -> bool:
    """ "Apple Pay", "Alibaba Set Top Box": a company name followed by product words.

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
