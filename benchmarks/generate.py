"""Synthetic, realistic dealgraph data for benchmarks: companies, people, products and deals.

The output is N-Quads written exactly as ``ontology/MODEL.md`` describes (what
``graph.rdf`` writes for a real article): one named graph per article with its
``prov:Bundle`` and ``dg:Article`` description, the entities it mentions
(type, label, aliases, ``dg:mentionedIn``), every relation both as the plain
triple and as a ``dg:Fact`` node with evidence, confidence, date and article,
and every acquisition, investment or other deal as a node with its parties,
roles, status, date, value and currency.

The world behaves like business news: a few companies are in the news all the
time (they are picked in proportion to how often they were picked before, so
degrees follow a heavy tail), most start-ups, products and people show up once
or twice; a company keeps its CEO and founders from one story to the next;
acquirers and investors tend to be big; news volume grows over the years; most
dates are days, some only a month or a year. About 15 triples per entity node
(counting deals), as in the measurements of DESIGN.md.

The output depends only on ``triples`` and ``seed``. Generation stops at the
end of the article that reaches ``triples``, so it overshoots by less than one
article (under 200 triples).

>>> lines = list(generate(2_000, seed=1))
>>> 2_000 <= len(lines) < 2_200
True
>>> lines == list(generate(2_000, seed=1))
True

Command line: ``python -m benchmarks.generate 1e5 -o graph.nq [--seed 0]``.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from pathlib import Path

__all__ = ["generate", "nquads", "write_nquads", "load_store", "SIZES"]

#: The benchmark sizes, in triples.
SIZES = (10_000, 100_000, 1_000_000)

_ID = "https://w3id.org/dealgraph/id/"
_DG = "https://w3id.org/dealgraph/ontology#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_A = f"<{_RDF}type>"
_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
_ALT = "<http://www.w3.org/2004/02/skos/core#altLabel>"
_SCHEMA = "https://schema.org/"
_PROV = "http://www.w3.org/ns/prov#"
_CLASS = {"Person": f"<{_DG}Person>", "Organization": f"<{_DG}Organization>", "Product": f"<{_DG}Product>"}
_PROP = {
    "ceo_of": "ceoOf",
    "founder_of": "founderOf",
    "chair_of": "chairOf",
    "executive_of": "executiveOf",
    "board_member_of": "boardMemberOf",
    "works_for": "worksFor",
    "subsidiary_of": "subsidiaryOf",
    "acquired": "acquired",
    "invested_in": "investedIn",
    "deal_with": "dealWith",
    "launched": "launched",
}

# --------------------------------------------------------------------------
# Names

_ROOTS = (
    "Acme Altura Aster Aurex Axion Bellweather Boreal Brightline Cobalt Corvid Crestview Cygnet "
    "Dovetail Ember Evergreen Falcon Fathom Fenwick Granite Halcyon Harbor Helix Indigo Ironwood "
    "Juniper Kestrel Keystone Lumen Lyric Mariner Meridian Mosaic Nimbus Northwind Novara Oakline "
    "Obsidian Onyx Orbis Palisade Paragon Pinnacle Polaris Quantis Quarry Radiant Redwood Sable "
    "Sagebrush Solstice Sterling Summit Tandem Tessera Thornbury Trident Umbra Vantage Veltrix "
    "Verdant Vireo Wavecrest Willow Zenith Zephyr"
).split()
_SYLLABLES = "al ar bo ca da el en fi go ha in ka lo ma ne or pa qu ri sa te ul va xi yo za".split()
_KINDS = (
    "Systems Technologies Software Networks Robotics Labs Analytics Energy Therapeutics Biosciences "
    "Foods Logistics Media Studios Motors Semiconductors Payments Retail Airlines Telecom Health "
    "Materials Pharma Games Security Cloud Insurance Bank"
).split()
_INVESTOR_KINDS = "Capital Ventures Partners Holdings Investments".split()
_FIRST = (
    "James Mary Wei Fatima Carlos Priya Olga Kenji Amara Liam Sofia Noah Aisha Mateo Elena Hiro Chloe "
    "Omar Grace Lucas Mei Ivan Zara Daniel Nadia Ravi Ingrid Tomás Yuki Samuel Leila Arjun Hannah "
    "Diego Anika Felix Rosa Chen Maya Jonas Lina Ahmed Clara Viktor Imani Pedro Sara Kofi Emma "
    "Tariq Julia Sven Aiko Marco Nia Oscar Lucia Hamid Freya Andre Keiko Paul Ada Rahul Mila Ethan "
    "Zoe Bruno Alicia Dmitri Ayesha Hugo Irene Jae Nora Luis Bianca Kwame Eva Ali Ruth Tom Anna"
).split()
_LAST = (
    "Smith Chen Garcia Okafor Patel Ivanova Tanaka Mensah Novak Silva Kim Haddad Rossi Müller Nguyen "
    "Johansson Kowalski Dubois Cohen Singh Rahman Costa Fischer Yamamoto Adeyemi Larsen Moreau Park "
    "Lopez Hassan Bauer Sato Petrov Ali Walker Ortiz Berg Khan Lindqvist Mwangi Romano Weber Suzuki "
    "Mbeki Hansen Rivera Schmidt Das Keller Ahmed Lee Wright Murphy Kapoor Alvarez Horvat Nakamura "
    "Osei Brennan Vogel Ferreira Iyer Laurent Santos Ozturk Andersen Zhou Reyes Varga Kato Nilsson"
).split()
_PRODUCT_WORDS = (
    "Pulse Vision Core Edge Flow Sense Spark Atlas Nova Prime Echo Orbit Shield Pilot Forge Wave "
    "Stream Vault Beacon Canvas Relay Quest Drive Air Link Studio Pay Cloud Hub One"
).split()
_PUBLISHERS = (
    "Dealgraph Wire",
    "Harbor City Herald",
    "Midstate Ledger",
    "Pacific Commerce Daily",
    "Bayline Tech Report",
    "Northgate Business Journal",
    "Silicon Coast Journal",
    "Continental Markets",
    "The Morning Ledger",
)
_EXEC_TITLES = (
    "chief financial officer",
    "chief technology officer",
    "president",
    "chief operating officer",
    "senior vice president",
    "chief content officer",
    "head of product",
    "general counsel",
)
_STAFF_TITLES = ("engineer", "analyst", "product manager", "designer", "researcher", "spokesperson")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


class _World:
    """Entities and their stable facts, growing as the news is written."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.labels: set[str] = set()
        self.slugs: set[str] = set()
        self.orgs: list[dict] = []
        self.investors: list[dict] = []
        self.org_picks: list[dict] = []  # one entry per pick: choice() is preferential attachment
        self.investor_picks: list[dict] = []

    # ---- names
    def _unique(self, label: str, kind: str) -> tuple[str, str]:
        base, n = label, 1
        while label in self.labels or _slug(kind, label) in self.slugs:
            n += 1
            label = f"{base} {_roman(n)}"
        self.labels.add(label)
        slug = _slug(kind, label)
        self.slugs.add(slug)
        return label, slug

    def _org_name(self, investor: bool) -> str:
        rng = self.rng
        root = (
            rng.choice(_ROOTS)
            if rng.random() < 0.5
            else (
                rng.choice(_SYLLABLES) + rng.choice(_SYLLABLES) + rng.choice(("x", "n", "ra", "lo", "tis", "via"))
            ).capitalize()
        )
        return f"{root} {rng.choice(_INVESTOR_KINDS if investor else _KINDS)}"

    def person(self) -> dict:
        rng = self.rng
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        name = f"{first} {last}" if rng.random() < 0.7 else f"{first} {chr(65 + rng.randrange(26))}. {last}"
        label, slug = self._unique(name, "person")
        return {
            "iri": f"{_ID}person/{slug}",
            "label": label,
            "type": "Person",
            "aliases": [last] if rng.random() < 0.3 else [],
        }

    def org(self, *, investor: bool = False, new: float = 0.0) -> dict:
        """A company: an existing one picked preferentially, or (with probability ``new``) a new one."""
        picks = self.investor_picks if investor else self.org_picks
        if picks and self.rng.random() >= new:
            # half preferential (the famous get more news), half uniform (the heavy tail stays a tail)
            o = self.rng.choice(picks if self.rng.random() < 0.5 else (self.investors if investor else self.orgs))
        else:
            label, slug = self._unique(self._org_name(investor), "org")
            aliases = [f"{label} Inc."] if self.rng.random() < 0.2 else []
            o = {
                "iri": f"{_ID}org/{slug}",
                "label": label,
                "type": "Organization",
                "aliases": aliases,
                "ceo": None,
                "founders": [],
                "chair": None,
                "products": 0,
            }
            (self.investors if investor else self.orgs).append(o)
        picks.append(o)
        return o

    def product(self, company: dict) -> dict:
        company["products"] += 1
        root = company["label"].split()[0]
        label, slug = self._unique(f"{root} {self.rng.choice(_PRODUCT_WORDS)}", "product")
        return {"iri": f"{_ID}product/{slug}", "label": label, "type": "Product", "aliases": []}

    def ceo(self, company: dict) -> dict:
        if company["ceo"] is None or self.rng.random() < 0.03:  # CEOs change, rarely
            company["ceo"] = self.person()
        return company["ceo"]

    def founder(self, company: dict) -> dict:
        if not company["founders"] or (len(company["founders"]) < 3 and self.rng.random() < 0.15):
            company["founders"].append(self.person())
        return self.rng.choice(company["founders"])


def _roman(n: int) -> str:
    return {2: "II", 3: "III", 4: "IV", 5: "V"}.get(n, str(n))


def _slug(kind: str, label: str) -> str:
    s = "".join(c.lower() if c.isalnum() else "-" for c in label)
    return "-".join(filter(None, s.split("-")))


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _typed(value: str, datatype: str) -> str:
    return f'"{value}"^^<{_XSD}{datatype}>'


def _date_lit(value: str) -> str:
    return _typed(value, {10: "date", 7: "gYearMonth", 4: "gYear"}[len(value)])


def _money(rng: random.Random) -> tuple[int, str]:
    millions = int(10 ** rng.uniform(0.5, 4.6))  # $3M .. $40B, log-uniform
    return millions * 1_000_000, rng.choice(("USD", "USD", "USD", "EUR", "GBP", "CNY"))


def _money_text(value: int, currency: str) -> str:
    sign = {"USD": "$", "EUR": "€", "GBP": "£"}.get(currency, currency + " ")
    return f"{sign}{value / 1e9:.1f} billion" if value >= 1e9 else f"{sign}{value // 1_000_000} million"


# --------------------------------------------------------------------------
# Articles


class _Article:
    """Collects the quads of one article graph."""

    def __init__(self, n: int, published: str, rng: random.Random):
        self.rng = rng
        self.id = f"gen-{n:07d}"
        self.iri = f"<{_ID}article/{self.id}>"
        self.g = f"<{_ID}graph/{self.id}>"
        self.published = published
        self.lines: list[str] = []
        self.described: set[str] = set()

    def add(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"{s} {p} {o} {self.g} .\n")

    def header(self, headline: str) -> None:
        rng, a = self.rng, self.iri
        self.add(self.g, _A, f"<{_PROV}Bundle>")
        self.add(self.g, f"<{_PROV}wasDerivedFrom>", a)
        self.add(self.g, f"<{_PROV}generatedAtTime>", _typed("2026-01-01T00:00:00Z", "dateTime"))
        self.add(self.g, f"<{_DG}extractor>", _lit("dealgraph 0.1.0"))
        self.add(a, _A, f"<{_DG}Article>")
        self.add(a, _A, f"<{_SCHEMA}NewsArticle>")
        self.add(a, f"<{_SCHEMA}headline>", _lit(headline))
        self.add(a, f"<{_SCHEMA}datePublished>", _typed(self.published, "date"))
        self.add(a, f"<{_SCHEMA}publisher>", _lit(rng.choice(_PUBLISHERS)))
        self.add(a, f"<{_DG}sourcePath>", _lit(f"generated/{self.id}.txt"))
        self.add(a, f"<{_DG}contentHash>", _lit(f"sha256:{rng.getrandbits(256):064x}"))
        self.add(a, f"<{_DG}wordCount>", _typed(str(rng.randrange(250, 1500)), "integer"))

    def entity(self, e: dict) -> str:
        s = f"<{e['iri']}>"
        if e["iri"] not in self.described:
            self.described.add(e["iri"])
            self.add(s, _A, _CLASS[e["type"]])
            self.add(s, _LABEL, _lit(e["label"]))
            for alias in e["aliases"]:
                self.add(s, _ALT, _lit(alias))
            self.add(s, f"<{_DG}mentionedIn>", self.iri)
        return s

    def date(self) -> str:
        """The date of a fact: the publication day mostly, sometimes only its month or year."""
        r = self.rng.random()
        return self.published if r < 0.8 else self.published[:7] if r < 0.95 else self.published[:4]

    def fact(
        self, s: dict, relation: str, o: dict, evidence: str, *, title: str | None = None, date: str | None = None
    ) -> str:
        rng = self.rng
        si, oi, p = self.entity(s), self.entity(o), f"<{_DG}{_PROP[relation]}>"
        self.add(si, p, oi)
        f = f"<{_ID}fact/{rng.getrandbits(64):016x}>"
        self.add(f, _A, f"<{_DG}Fact>")
        self.add(f, _A, f"<{_RDF}Statement>")
        self.add(f, f"<{_RDF}subject>", si)
        self.add(f, f"<{_RDF}predicate>", p)
        self.add(f, f"<{_RDF}object>", oi)
        self.add(f, f"<{_DG}evidence>", _lit(evidence))
        self.add(f, f"<{_DG}confidence>", _typed(f"{rng.uniform(0.55, 0.98):.2f}", "decimal"))
        self.add(f, f"<{_DG}statedIn>", self.iri)
        self.add(f, f"<{_DG}date>", _date_lit(date or self.date()))
        if title:
            self.add(f, f"<{_DG}title>", _lit(title))
        return f

    def deal(
        self,
        s: dict,
        relation: str,
        o: dict,
        deal_type: str,
        evidence: str,
        *,
        status: str,
        value: tuple[int, str] | None,
    ) -> None:
        rng = self.rng
        date = self.date()
        f = self.fact(s, relation, o, evidence, date=date)
        d = f"<{_ID}deal/{rng.getrandbits(64):016x}>"
        si, oi = f"<{s['iri']}>", f"<{o['iri']}>"
        self.add(d, _A, f"<{_DG}Deal>")
        self.add(d, _A, f"<{_DG}{deal_type}>")
        self.add(d, _LABEL, _lit(f"{s['label']} and {o['label']}: {deal_type.lower()}"))
        self.add(d, f"<{_DG}party>", si)
        self.add(d, f"<{_DG}party>", oi)
        roles = {"acquired": ("acquirer", "target"), "invested_in": ("investor", "investee")}.get(relation)
        if roles:
            self.add(d, f"<{_DG}{roles[0]}>", si)
            self.add(d, f"<{_DG}{roles[1]}>", oi)
        self.add(d, f"<{_DG}status>", _lit(status))
        self.add(d, f"<{_DG}date>", _date_lit(date))
        if value is not None:
            self.add(d, f"<{_DG}value>", _typed(str(value[0]), "decimal"))
            self.add(d, f"<{_DG}currency>", _lit(value[1]))
        self.add(d, f"<{_DG}evidence>", _lit(evidence))
        self.add(d, f"<{_DG}confidence>", _typed(f"{rng.uniform(0.55, 0.95):.2f}", "decimal"))
        self.add(d, f"<{_DG}statedIn>", self.iri)
        self.add(f, f"<{_DG}aboutDeal>", d)


def _published(rng: random.Random) -> str:
    """A day between 2005 and 2024, news volume growing over the years."""
    year = 2005 + int(20 * rng.random() ** 0.6)
    return f"{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"


def _acquisition(w: _World, art: _Article) -> str:
    rng = art.rng
    buyer, target = w.org(new=0.08), w.org(new=0.85)
    if buyer is target:
        target = w.org(new=1.0)
    status = rng.choice(("announced", "announced", "completed", "completed", "proposed", "terminated"))
    value = _money(rng) if rng.random() < 0.6 else None
    price = f" for {_money_text(*value)}" if value else ""
    verb = {
        "announced": "agreed to acquire",
        "completed": "completed its acquisition of",
        "proposed": "offered to buy",
        "terminated": "called off its planned purchase of",
    }[status]
    art.deal(
        buyer,
        "acquired",
        target,
        "Acquisition",
        f"{buyer['label']} {verb} {target['label']}{price}, the companies said on {rng.choice(_DAYS)}.",
        status=status,
        value=value,
    )
    if rng.random() < 0.4:
        _analyst(w, art, buyer)
    ceo = w.ceo(buyer)
    if rng.random() < 0.5:
        art.fact(
            ceo,
            "ceo_of",
            buyer,
            f'"This brings us closer to our customers," said {ceo["label"]}, chief executive of {buyer["label"]}.',
            title="chief executive",
        )
    founder = w.founder(target)
    if rng.random() < 0.7:
        art.fact(
            founder,
            "founder_of",
            target,
            f"{target['label']} was founded by {founder['label']} in {int(art.published[:4]) - rng.randrange(2, 15)}.",
        )
    if status == "completed" and rng.random() < 0.6:
        art.fact(target, "subsidiary_of", buyer, f"{target['label']} will operate as a unit of {buyer['label']}.")
    if rng.random() < 0.4:
        cfo = w.person()
        art.fact(
            cfo,
            "executive_of",
            buyer,
            f"{cfo['label']}, chief financial officer of {buyer['label']}, said the deal would add to earnings.",
            title="chief financial officer",
        )
    return f"{buyer['label']} to buy {target['label']}{price}"


def _analyst(w: _World, art: _Article, company: dict) -> None:
    """A quote from an analyst at a bank or research firm (people mostly seen once)."""
    firm = w.org(investor=True, new=0.2)
    analyst = w.person()
    art.fact(
        analyst,
        "works_for",
        firm,
        f'"{company["label"]} needed this," said {analyst["label"]}, an analyst at {firm["label"]}.',
        title="analyst",
    )


def _investment(w: _World, art: _Article) -> str:
    rng = art.rng
    startup = w.org(new=0.7)
    investors = [w.org(investor=True, new=0.15) for _ in range(rng.choice((1, 1, 2, 3)))]
    value = _money(rng) if rng.random() < 0.8 else None
    round_ = rng.choice(("seed", "Series A", "Series B", "Series C", "growth"))
    for inv in dict((i["iri"], i) for i in investors).values():
        amount = f" {_money_text(*value)}" if value else ""
        art.deal(
            inv,
            "invested_in",
            startup,
            "Investment",
            f"{inv['label']} led a{amount} {round_} round in {startup['label']}.",
            status=rng.choice(("announced", "completed")),
            value=value,
        )
        if rng.random() < 0.5:
            partner = w.person()
            art.fact(
                partner,
                "board_member_of",
                startup,
                f"{partner['label']}, a partner at {inv['label']}, joins the board of {startup['label']}.",
                title="director",
            )
            art.fact(partner, "works_for", inv, f"{partner['label']} is a partner at {inv['label']}.", title="partner")
    founder = w.founder(startup)
    art.fact(
        founder,
        "founder_of",
        startup,
        f"{founder['label']}, who co-founded {startup['label']}, said the money would fund hiring.",
    )
    ceo = w.ceo(startup)
    art.fact(
        ceo,
        "ceo_of",
        startup,
        f"{startup['label']} chief executive {ceo['label']} declined to comment on the valuation.",
        title="chief executive",
    )
    return f"{startup['label']} raises {round_} funding"


def _partnership(w: _World, art: _Article) -> str:
    rng = art.rng
    a, b = w.org(new=0.15), w.org(new=0.35)
    if a is b:
        b = w.org(new=1.0)
    deal_type = rng.choice(("Partnership", "Partnership", "Agreement", "Agreement", "JointVenture", "Merger"))
    noun = {
        "Partnership": "a partnership",
        "Agreement": "a licensing agreement",
        "JointVenture": "a joint venture",
        "Merger": "a merger",
    }[deal_type]
    status = rng.choice(("proposed", "announced", "announced", "completed"))
    art.deal(
        a,
        "deal_with",
        b,
        deal_type,
        f"{a['label']} and {b['label']} announced {noun} on {rng.choice(_DAYS)}.",
        status=status,
        value=_money(rng) if deal_type in ("Merger", "JointVenture") and rng.random() < 0.5 else None,
    )
    for org in (a, b):
        if rng.random() < 0.35:
            ceo = w.ceo(org)
            art.fact(
                ceo, "ceo_of", org, f"{ceo['label']}, CEO of {org['label']}, called the deal a milestone.", title="CEO"
            )
        elif rng.random() < 0.6:
            head = w.person()
            art.fact(
                head,
                "executive_of",
                org,
                f"{head['label']}, head of partnerships at {org['label']}, led the talks.",
                title="head of partnerships",
            )
    if rng.random() < 0.4:
        _analyst(w, art, a)
    return f"{a['label']} and {b['label']} team up"


def _launch(w: _World, art: _Article) -> str:
    rng = art.rng
    company = w.org(new=0.3)
    names = []
    for _ in range(rng.choice((1, 1, 2))):
        product = w.product(company)
        names.append(product["label"])
        art.fact(
            company,
            "launched",
            product,
            f"{company['label']} unveiled {product['label']} at an event on {rng.choice(_DAYS)}.",
        )
    head = w.person()
    title = rng.choice(_EXEC_TITLES)
    art.fact(
        head,
        "executive_of",
        company,
        f"{head['label']}, {title} at {company['label']}, presented {names[0]}.",
        title=title,
    )
    if rng.random() < 0.5:
        staff = w.person()
        role = rng.choice(_STAFF_TITLES)
        art.fact(
            staff,
            "works_for",
            company,
            f'"It took three years," said {staff["label"]}, an {role} at {company["label"]}.'
            if role[0] in "aeiou"
            else f'"It took three years," said {staff["label"]}, a {role} at {company["label"]}.',
            title=role,
        )
    return f"{company['label']} unveils {names[0]}"


def _leadership(w: _World, art: _Article) -> str:
    rng = art.rng
    company = w.org(new=0.25)
    company["ceo"] = w.person() if rng.random() < 0.5 else w.ceo(company)
    ceo = company["ceo"]
    art.fact(
        ceo,
        "ceo_of",
        company,
        f"{company['label']} named {ceo['label']} chief executive, effective immediately.",
        title="chief executive",
    )
    if rng.random() < 0.5:
        if company["chair"] is None:
            company["chair"] = w.founder(company) if rng.random() < 0.4 else w.person()
        chair = company["chair"]
        art.fact(
            chair, "chair_of", company, f"{chair['label']} remains chairman of {company['label']}.", title="chairman"
        )
    for _ in range(rng.choice((0, 1, 2))):
        director = w.person()
        art.fact(
            director,
            "board_member_of",
            company,
            f"{company['label']} also added {director['label']} to its board.",
            title="director",
        )
    if rng.random() < 0.3:
        parent = w.org(new=0.1)
        if parent is not company:
            art.fact(company, "subsidiary_of", parent, f"{company['label']} is owned by {parent['label']}.")
    return f"{company['label']} names {ceo['label']} chief executive"


_STORIES = ((_acquisition, 0.25), (_investment, 0.2), (_partnership, 0.2), (_launch, 0.2), (_leadership, 0.15))


def generate(triples: int = 100_000, seed: int = 0) -> Iterator[str]:
    """Yield N-Quads lines (each ending in a newline) until at least ``triples`` are written.

    Parameters
    ----------
    triples : int
        How many quads to write at least (they are all distinct triples of the
        union graph except entity descriptions repeated across articles).
    seed : int
        The random seed: the same ``(triples, seed)`` gives the same lines.

    Yields
    ------
    str
    """
    if triples < 1:
        raise ValueError(f"triples must be positive, got {triples!r}")
    rng = random.Random(seed)
    world = _World(rng)
    stories, weights = zip(*_STORIES)
    written, n = 0, 0
    while written < triples:
        n += 1
        art = _Article(n, _published(rng), rng)
        headline = rng.choices(stories, weights)[0](world, art)
        body, art.lines = art.lines, []
        art.header(headline)  # the description of the article comes first, as graph.rdf writes it
        art.lines.extend(body)
        written += len(art.lines)
        yield from art.lines


def nquads(triples: int = 100_000, seed: int = 0) -> bytes:
    """The generated graph as one N-Quads document (UTF-8)."""
    return "".join(generate(triples, seed)).encode("utf-8")


def write_nquads(path: str | Path, triples: int = 100_000, seed: int = 0) -> Path:
    """Write the generated graph to ``path`` as N-Quads and return the path."""
    path = Path(path)
    with path.open("w", encoding="utf-8") as f:
        f.writelines(generate(triples, seed))
    return path


def load_store(triples: int = 100_000, seed: int = 0, store=None):
    """A dealgraph store (a new memory store unless given) holding the generated graph."""
    from graph.store import open_store

    store = store if store is not None else open_store("memory")
    store.load_nquads(nquads(triples, seed))
    return store


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("triples", type=float, help="how many triples (1e4, 1e5, 1e6 ...)")
    parser.add_argument("-o", "--output", type=Path, help="N-Quads file to write (default: stdout)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.output is None:
        sys.stdout.writelines(generate(int(args.triples), args.seed))
    else:
        write_nquads(args.output, int(args.triples), args.seed)


if __name__ == "__main__":
    main()
