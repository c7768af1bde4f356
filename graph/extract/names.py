"""The :class:`Mention` record, and the names and words mentions are judged by.

Shared by :mod:`graph.extract.mentions` (which finds the mentions) and
:mod:`graph.extract.retype` (which corrects their types).

>>> org_key("Apple Inc."), strip_legal("Lions Gate Entertainment Corp.")
('apple', 'Lions Gate Entertainment')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc

__all__ = ["Mention", "TYPE_OF_LABEL", "LAUNCH_VERBS", "org_key", "strip_legal", "doc_text"]

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
        ("launch", ("", "es", "ed", "ing")),
        ("unveil", ("", "s", "ed", "ing")),
        ("introduc", ("e", "es", "ed", "ing")),
        ("releas", ("e", "es", "ed", "ing")),
        ("debut", ("", "s", "ed", "ing")),
        ("roll", ("", "s", "ed", "ing")),
        ("unleash", ("", "es", "ed", "ing")),
        ("ship", ("", "s", "ped", "ping")),
    )
    for end in ends
)
_CORPORATE_WORDS = {
    "group",
    "holdings",
    "holding",
    "inc",
    "inc.",
    "incorporated",
    "corp",
    "corp.",
    "corporation",
    "company",
    "co",
    "co.",
    "ltd",
    "ltd.",
    "limited",
    "llc",
    "plc",
    "ag",
    "sa",
    "s.a.",
    "nv",
    "n.v.",
    "gmbh",
    "entertainment",
    "capital",
    "ventures",
    "partners",
    "bank",
    "financial",
    "technologies",
    "technology",
    "labs",
    "research",
    "studios",
    "pictures",
    "media",
    "motors",
    "international",
    "networks",
    "systems",
    "communications",
    "foundation",
    "digital",
    "live",
    "services",
    "energy",
    "airlines",
    "pharmaceuticals",
    "brands",
    "market",
    "markets",
    "news",
    "sports",
    "television",
    "tv",
    "radio",
    "music",
    "records",
    "games",
    "lp",
    "l.p.",
    "llp",
    "fund",
    "funds",
    "trust",
    "stores",
    "airways",
    "university",
    "institute",
    "investments",
    "insurance",
    "industries",
    "solutions",
    "software",
    "semiconductor",
    "motor",
    "telecom",
    "pharma",
    "health",
    "healthcare",
    "bancorp",
    "securities",
    "asset",
    "management",
    "broadcasting",
    "publishing",
    "press",
    "films",
    "productions",
    "electronics",
    "lab",
    "reinsurance",
    "logistics",
    "oyj",
    "ab",
    "asa",
    "spa",
    "s.p.a.",
    "bv",
    "b.v.",
    "pty",
    "kk",
    "se",
}
_REGIONS = {
    "china",
    "india",
    "japan",
    "korea",
    "europe",
    "asia",
    "africa",
    "america",
    "americas",
    "us",
    "usa",
    "uk",
    "canada",
    "australia",
    "germany",
    "france",
    "italy",
    "spain",
    "brazil",
    "mexico",
    "russia",
    "global",
    "worldwide",
    "international",
    "emea",
    "apac",
    "latam",
    "north",
    "south",
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
_THING_ENDS = {
    "telescope",
    "prize",
    "award",
    "awards",
    "medal",
    "trophy",
    "cup",
    "act",
    "theorem",
    "doctrine",
    "bridge",
    "airport",
    "stadium",
    "tower",
    "building",
    "memorial",
    "lecture",
    "scholarship",
}
#: "Board of Trade", "Board of Governors": the board is the institution
_BOARD_KINDS = {
    "trade",
    "governors",
    "trustees",
    "regents",
    "education",
    "supervisors",
    "health",
    "commissioners",
    "elections",
    "directors",
    "managers",
    "overseers",
    "control",
}
_UNIT_WORDS = {"subsidiary", "unit", "division", "affiliate", "parent"}
_LEADING_KIND = re.compile(r"^(?:\w+maker|retailer|lender|insurer|conglomerate|startup|start-up|miner|refiner)$", re.I)
#: a headline's verb or a job title the model took into the name at its end: "Hilton Hotels
#: Acquired (by Blackstone)", "Gogoro Founder (and CEO Horace Luke)"
_TITLE_ENDS = {
    "founder",
    "co-founder",
    "cofounder",
    "ceo",
    "cfo",
    "coo",
    "cto",
    "chairman",
    "chairwoman",
    "president",
    "chief",
    "spokesman",
    "spokeswoman",
}
_NOT_NAME_ENDS = {
    "acquired",
    "acquires",
    "acquire",
    "buys",
    "bought",
    "buy",
    "sells",
    "sold",
    "to",
    "wins",
    "names",
    "appoints",
    "launches",
    "unveils",
    "agrees",
    "completes",
    "closes",
    "announces",
    "says",
    "signs",
    "merges",
    "takes",
    "nabs",
    "snaps",
    "agree",
    "plan",
    "plans",
    "image",
    "photo",
    "pictured",
} | _TITLE_ENDS  # a caption: "Markham Robinson Image: ..."
