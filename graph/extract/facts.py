"""Facts: the :class:`Fact` of the fact contract, how one is made from a match, and how
an article's facts are merged.

A fact is made (:func:`make_fact`) from the two mentions a pattern or a parse linked and
the words around the match: a deal's type, status, date and value come from
:mod:`graph.extract.details`; a role's title is kept. :func:`merge` keeps one fact per
``(subject, relation, object)``, a current statement of a role beating a past one, and
:func:`map_people_to_companies` turns a leader's deal into his company's.

>>> Fact("a", "Ann Lee", "Person", "ceo_of", "Acme", "Organization", "...", 0.7).key
('Ann Lee', 'ceo_of', 'Acme')
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date

from graph.extract.details import MONEY_RE, deal_status, parse_money, resolve_date
from graph.extract.mentions import Mention
from graph.extract.titles import deal_type_of
from graph.ns import RELATIONS

__all__ = ["Fact", "make_fact", "event_date", "map_people_to_companies", "merge", "aliases_of"]

_PLACEHOLDER = re.compile(r"@([POXGBogpx])(\d+)@")
_PERSON_RELATIONS = ("ceo_of", "founder_of", "chair_of", "executive_of", "board_member_of", "works_for")


@dataclass
class Fact:
    """One relation stated in an article, in the fact contract of DESIGN.md."""

    article: str
    subject: str
    subject_type: str
    relation: str
    object: str
    object_type: str
    evidence: str
    confidence: float
    date: str | None = None
    status: str | None = None
    deal_type: str | None = None
    value: float | None = None
    currency: str | None = None
    title: str | None = None
    aliases: dict = field(default_factory=dict)
    pattern: str = ""
    dated: bool = False  # True when the date comes from the sentence, not the article
    #: the texts of the mentions the fact was read from ("he", "the company"), by role;
    #: for benchmarks that match mention spans, not part of the contract
    surface: dict = field(default_factory=dict)
    #: the (subject, object) character spans of the mention pairs the fact was read from,
    #: ``((start, end), (start, end))``; for benchmarks scored by span overlap, not part of the contract
    spans: list = field(default_factory=list)
    #: the role is over ("former CEO", "was chief executive until 2019", "replacing X");
    #: a past role is a fact of its own, never a current one (person-organisation roles only)
    former: bool = False
    #: when a past role ended, as precise as the text says (``2019``, ``2019-06``), else None
    end: str | None = None

    def __post_init__(self) -> None:
        if self.status == "former":  # the older spelling of a past role (benchmarks' switch)
            self.former, self.status = True, None

    def to_dict(self) -> dict:
        """The JSON object of the fact contract (plus ``title``, ``aliases``, ``former``, ``end``).

        >>> Fact("a", "Ann Lee", "Person", "ceo_of", "Acme", "Organization", "...", 0.7,
        ...      former=True, end="2019").to_dict()["former"]
        True
        """
        d = asdict(self)
        d.pop("pattern")
        d.pop("dated")
        d.pop("surface")
        d.pop("spans")
        d["confidence"] = round(self.confidence, 3)
        return d

    @property
    def key(self) -> tuple[str, str, str]:
        """Identity of the fact within an article; ``deal_with`` is symmetric."""
        if self.relation == "deal_with":
            a, b = sorted((self.subject, self.object))
            return (a, self.relation, b)
        return (self.subject, self.relation, self.object)


_IN_FORCE = re.compile(
    r"\b(?:signed|struck|reached|inked|sealed|entered into|under (?:a|an|the|its) (?:[\w-]+ )?(?:contract|agreement|licen[sc]e))\b"
)
#: titles only a company has: the name after them is a company even if tagged a place ("CEO of Flex")
_CORPORATE_TITLE = re.compile(
    r"\b(?:CEO|CFO|COO|CTO|CIO|CMO|[Cc]hief (?![Ee]xecutive\b)\w+ [Oo]fficer|[Mm]anaging [Dd]irector|"
    r"[Gg]eneral [Mm]anager)\b"
)


def make_fact(
    rel,
    subj: Mention,
    obj: Mention,
    match_text,
    context,
    tail,
    marked,
    evidence,
    conf,
    title,
    sent_dates,
    article,
    published,
    name,
) -> Fact | None:
    if subj.canonical == obj.canonical:
        return None
    if obj.type == "Place" and rel in _PERSON_RELATIONS and not (title and _CORPORATE_TITLE.search(title)):
        return None  # "President of the United States", "Chief Executive of Hong Kong": not a company
    s_type = "Organization" if subj.type == "Place" else subj.type
    o_type = "Organization" if obj.type == "Place" else obj.type
    for mention in (subj, obj):
        if mention.type == "Place":
            conf -= 0.1
        if mention.via in ("pronoun", "nominal", "board"):
            conf -= 0.08
    gap_words = len(_PLACEHOLDER.sub("", match_text).split())
    conf -= 0.01 * max(0, gap_words - 4)
    fact = Fact(
        article=article,
        subject=subj.canonical,
        subject_type=s_type,
        relation=rel,
        object=obj.canonical,
        object_type=o_type,
        evidence=evidence,
        confidence=max(0.05, min(0.99, conf)),
        date=published.isoformat() if published else None,
        title=title if rel in _PERSON_RELATIONS else None,
        pattern=name,
        surface={"subject": {subj.text}, "object": {obj.text}},
        spans=[((subj.start, subj.end), (obj.start, obj.end))],
    )
    if rel in ("acquired", "invested_in", "deal_with"):
        fact.deal_type = deal_type_of(rel, match_text)
        fact.status = deal_status(context, rel)
        if rel == "deal_with" and fact.status == "announced" and _IN_FORCE.search(match_text):
            fact.status = "completed"
        when = event_date(sent_dates, published, tail)
        fact.date, fact.dated = when or fact.date, when is not None
        if fact.status == "announced" and when and published and int(when[:4]) < published.year:
            fact.status = "completed"  # agreed in an earlier year, told as history: "its deal for Skype in 2011"
        money = parse_money(_PLACEHOLDER.sub(" ", marked))
        if money and MONEY_RE.search(tail):
            fact.value, fact.currency = parse_money(tail) or money
    elif rel == "launched":
        when = event_date(sent_dates, published, tail)
        fact.date, fact.dated = when or fact.date, when is not None
    return fact


def event_date(sent_dates: list[str], published: date | None, near: str = "") -> str | None:
    """The most precise date the sentence gives ("on Monday" beats "a 2014 ranking"),
    preferring the dates next to the match."""
    close = [t for t in sent_dates if t in near] or sent_dates
    resolved = [d for d in (resolve_date(t, published) for t in close) if d]
    return max(resolved, key=len, default=None)


def map_people_to_companies(facts: list[Fact]) -> list[Fact]:
    """ "Jack Ma ... intends to work with Apple": a leader's deal is his company's.

    Also drops facts whose types do not fit the relation inventory.
    """
    rank = {"ceo_of": 0, "founder_of": 1, "chair_of": 2, "executive_of": 3}
    leads: dict[str, tuple[int, str]] = {}
    for f in facts:
        if f.relation in rank and not f.former:
            best = leads.get(f.subject)
            if best is None or rank[f.relation] < best[0]:
                leads[f.subject] = (rank[f.relation], f.object)
    out = []
    for f in facts:
        _, want_s, want_o = RELATIONS[f.relation]
        allowed_s = {want_s, "Person"} if f.relation == "invested_in" else {want_s}
        if f.subject_type == "Person" and "Person" not in allowed_s and f.subject in leads:
            f.subject, f.subject_type = leads[f.subject][1], "Organization"
            f.surface = {"subject": set(), "object": f.surface.get("object", set())}
            f.spans = []  # the company is not the mention the fact was read from
            f.confidence -= 0.05
        if f.subject_type in allowed_s and f.object_type == want_o and f.subject != f.object:
            out.append(f)
    return out


def _better(f: Fact, kept: Fact) -> bool:
    """Whether ``f`` replaces ``kept`` (same key, one sentence): a current role beats a past
    one, then the more confident wins."""
    if f.former != kept.former:
        return not f.former
    return f.confidence > kept.confidence


def merge(facts: list[Fact]) -> list[Fact]:
    """One fact per (subject, relation, object): the most confident statement wins,
    and takes the details (date, value, title) the others give and it lacks."""
    groups: dict[tuple, list[Fact]] = {}
    for f in facts:
        groups.setdefault(f.key, []).append(f)
    out = []
    for group in groups.values():
        group.sort(key=lambda f: (f.former, -f.confidence))  # a current statement of the role wins
        best = group[0]
        for other in group[1:]:
            if other.dated and not best.dated:
                best.date, best.dated = other.date, True
            for attr in ("value", "currency", "title") + (("end",) if best.former else ()):
                if getattr(best, attr) is None:
                    setattr(best, attr, getattr(other, attr))
            for role, texts in other.surface.items():
                best.surface[role] = best.surface.get(role, set()) | texts
            best.spans = best.spans + [s for s in other.spans if s not in best.spans]
        best.confidence = min(0.99, best.confidence + 0.05 * (len(group) - 1))
        out.append(best)
    return out


def aliases_of(mentions: list[Mention]) -> dict[str, list[str]]:
    out: dict[str, set[str]] = {}
    for m in mentions:
        if m.via in ("pronoun", "nominal"):
            continue
        out.setdefault(m.canonical, set()).add(m.text)
    return {k: sorted(v - {k}) for k, v in out.items()}
