"""What companies make, sell and launch: product phrases and who offers them.

Read from the dependency parse, in six shapes:

- a verb of making or selling with a company as subject and the product as object:
  "HP develops personal computers, printers and 3D Printing solutions";
- the same verb in the passive or as a participle, the company after "by":
  "Ravicti drug product manufactured by Lyne Laboratories";
- a maker noun with "of": "Amphenol, a manufacturer of electronic and fiber optic
  equipment", "Arnold is the largest manufacturer of engineered magnets";
- a product before a maker noun: "sensor manufacturer MTS Systems";
- a company's possessive before a kind of product or a product's name:
  "inContact's Quality Management Software", "Apple's iPhone";
- "known for" its kind of product, and the examples after "such as": "Norsk Motors is best
  known for its trucks such as the Titan and the Ranger" (each example a product).

Each gives an ``offers`` fact (launches are read apart, by the patterns of
:mod:`graph.extract.relations`). The product is a phrase: a name ("iPhones") or a
common noun with its modifiers ("cloud services"); coordinated objects each
count. A verb of making (:data:`MAKING_VERBS`: manufactures, develops, supplies)
takes any product-like object, and a name there is a product whatever NER said;
a verb of offering or selling (:data:`OFFER_VERBS`: offers, provides, sells)
only a kind of product (:data:`PRODUCT_HEADS`: "IOM services", "electric cars")
or units sold ("sold 5.4 million iPhones"), since "offered a contest" and "sold
its stores" are not products. Vague heads alone ("products") and things that
are never products ("a decision", "its stake") are left out. Whether the maker
is a company is for :mod:`graph.extract.relations` to decide, once mentions are
typed.

>>> from graph.extract import load_pipeline
>>> doc = load_pipeline()("UniPixel manufactures high-performance flexible electronic film products.")
>>> [(o.maker.text, o.product.text) for o in find_offers(doc)]
[('UniPixel', 'high-performance flexible electronic film products')]
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

__all__ = ["Offer", "find_offers", "MAKING_VERBS", "OFFER_VERBS", "MAKER_NOUNS", "PRODUCT_HEADS"]


def _forms(*stems: tuple[str, tuple[str, ...]]) -> frozenset[str]:
    return frozenset(stem + end for stem, ends in stems for end in ends)


#: verbs whose object is made: any product-like phrase (and a name, whatever NER said)
MAKING_VERBS = _forms(
    ("manufactur", ("e", "es", "ed", "ing")),
    ("remanufactur", ("e", "es", "ed", "ing")),
    ("produc", ("e", "es", "ed", "ing")),
    ("develop", ("", "s", "ed", "ing")),
    ("commerciali", ("ze", "zes", "zed", "zing", "se", "ses", "sed", "sing")),
    ("market", ("", "s", "ed", "ing")),
    ("distribut", ("e", "es", "ed", "ing")),
    ("suppl", ("y", "ies", "ied", "ying")),
)
#: verbs of offering or selling: only a product word ("IOM services") or units sold
OFFER_VERBS = _forms(
    ("offer", ("", "s", "ed", "ing")),
    ("provid", ("e", "es", "ed", "ing")),
    ("sell", ("", "s", "ing")),
    ("sold", ("",)),
    ("mak", ("e", "es", "ing")),
    ("made", ("",)),
    ("buil", ("d", "ds", "t", "ding")),
)
MAKER_NOUNS = frozenset(
    {
        "manufacturer",
        "manufacturers",
        "maker",
        "makers",
        "producer",
        "producers",
        "provider",
        "providers",
        "supplier",
        "suppliers",
        "seller",
        "sellers",
        "distributor",
        "distributors",
        "vendor",
        "vendors",
        "marketer",
        "builder",
        "builders",
    }
)
#: heads that name a kind of product or service, as objects of :data:`OFFER_VERBS`
PRODUCT_HEADS = frozenset(
    """
product products service services solution solutions goods software system systems equipment
device devices platform platforms tool tools application applications app apps insurance loans
mortgages cards vehicles vehicle cars car trucks phones smartphones smartphone computers computer
chips chip processors processor drugs drug medicines medicine vaccines vaccine therapies therapy
treatments supplies parts components materials machines machinery engines aircraft jets ships
sensors batteries panels printers tablets laptops servers networks handsets games
programs programmes subscriptions policies accounts technology technologies
""".split()
)
#: "a wide range of services": the product is what follows "of"
_GROUP_NOUNS = frozenset(
    {
        "range",
        "line",
        "lines",
        "variety",
        "portfolio",
        "suite",
        "family",
        "number",
        "host",
        "array",
        "set",
        "selection",
        "lineup",
        "line-up",
        "kind",
        "kinds",
        "type",
        "types",
        "mix",
        "assortment",
        "collection",
        "series",
        "group",
        "broad",
        "full",
        "lot",
        "lots",
        "couple",
    }
)
#: heads too vague to name a product without a modifier
_VAGUE = frozenset(
    {
        "product",
        "products",
        "service",
        "services",
        "solution",
        "solutions",
        "goods",
        "items",
        "item",
        "offering",
        "offerings",
        "things",
        "thing",
        "stuff",
        "support",
        "access",
        "help",
        "assistance",
        "value",
        "system",
        "systems",
        "technology",
        "technologies",
        "equipment",
        "material",
        "materials",
        "content",
        "platform",
        "software",
        "tools",
        "data",
        "care",
        "one",
        "ones",
        "version",
        "model",
        "models",
        "brand",
        "brands",
        "line",
        "device",
        "devices",
    }
)
#: objects of these verbs that are not products ("made a decision", "sold its stake")
_NOT_PRODUCTS = frozenset(
    """
decision decisions offer offers bid bids investment investments acquisition acquisitions deal deals
payment payments progress change changes announcement announcements statement statements comment
comments move moves effort efforts sense difference use plan plans money profit profits loss losses
revenue revenues sale sales share shares stake stakes stock stocks interest interests business
businesses company companies asset assets debt notes bonds guidance information detail details
update updates forecast forecasts estimate estimates case cases point points call calls appearance
way ways mistake mistakes contribution contributions donation donations commitment commitments
promise promises claim claims argument arguments recommendation recommendations proposal proposals
assurance assurances opportunity opportunities option options incentive incentives discount
discounts price prices rate rates job jobs time times impact evidence presentation speech remarks
appeal name names history headway inroads headlines news cash capital funding financing strategy
strategies relationship relationships partnership partnerships presence market markets plant
plants factory factories facility facilities office offices headquarters team teams unit units
division divisions subsidiary subsidiaries employee employees staff people customers clients users
insight insights result results growth return returns benefit benefits basis reason reasons
quarter year years month months week weeks day days percent part portion majority minority
total amount amounts level levels number numbers figure figures record records list lists report
reports filing filings agreement agreements contract contracts license licenses licence licences
right rights permission approval approvals store stores shop shops outlet outlets branch branches
restaurant restaurants hotel hotels property properties building buildings site sites location
locations home homes house houses land acres casualties deaths injuries damage effect effects
noise waves trouble problems problem visit visits trip trips peace mention mentions cuts cut layoffs
distribution distributions dividend dividends payout payouts firm firms startup startups start-up giant
giants carrier carriers operator operators bank banks lender lenders insurer insurers chain chains
retailer retailers group groups conglomerate outfit rival rivals competitor competitors owner owners
parent affiliate affiliates venture ventures holdings holding organization organizations agency
founder founders co-founder cofounder chairman chairwoman president ceo director officer executive
chief manager partner counsel treasurer secretary controller spokesman spokeswoman spokesperson chair
""".split()
)
#: a name modified by these is a business sold, not a product ("its chain HomePlus")
_BUSINESS_NOUNS = frozenset(
    {
        "chain",
        "chains",
        "unit",
        "units",
        "division",
        "business",
        "businesses",
        "subsidiary",
        "company",
        "firm",
        "group",
        "operator",
        "retailer",
        "brand",
        "brands",
        "stake",
        "arm",
        "affiliate",
        "startup",
    }
)
_DROP_LEFT = frozenset(
    {
        "new",
        "latest",
        "first",
        "own",
        "various",
        "other",
        "such",
        "certain",
        "additional",
        "several",
        "many",
        "more",
        "most",
        "some",
        "all",
        "any",
        "both",
        "each",
        "every",
        "record",
        "wide",
        "broad",
        "full",
        "complete",
        "comprehensive",
        "entire",
        "whole",
        "existing",
        "current",
        "same",
        "its",
        "their",
        "our",
        "his",
        "her",
        "the",
        "a",
        "an",
        "this",
        "that",
        "these",
        "those",
    }
)
_AMOUNT_ENTS = frozenset({"DATE", "TIME", "ORDINAL", "CARDINAL", "MONEY", "PERCENT", "QUANTITY"})
_NOT_PRODUCT_ENTS = _AMOUNT_ENTS | {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "LAW"}
_SUBJECTS = ("nsubj", "nsubjpass")
#: verbs through which the subject of "selling" is theirs: "kept selling", "began to produce"
_GOING_ON = _forms(
    ("continu", ("e", "es", "ed", "ing")),
    ("beg", ("in", "ins", "an", "un")),
    ("start", ("", "s", "ed")),
    ("kept", ("",)),
    ("keep", ("", "s")),
    ("resum", ("e", "es", "ed")),
)
_NAME_ENTS = frozenset({"ORG", "PERSON", "GPE", "PRODUCT", "WORK_OF_ART"})


@dataclass(frozen=True)
class Offer:
    """One "<maker> makes / sells <product>" reading of a sentence.

    ``maker`` is a token of the maker's name (its head), ``product`` the product
    phrase, ``trigger`` the verb or maker noun; ``making`` is True for a verb of
    making, whose object is a product even when the model tagged it as a name.
    """

    maker: Token
    product: Span
    trigger: Token
    making: bool = False


def find_offers(doc: Doc) -> list[Offer]:
    """Every maker-product reading of ``doc``, in text order of the products.

    Read once per doc (``doc.user_data["dg_offers"]``): the mentions component types
    the products, the relations component links them to their makers.
    """
    if "dg_offers" not in doc.user_data:
        doc.user_data["dg_offers"] = _read_offers(doc)
    return doc.user_data["dg_offers"]


def _read_offers(doc: Doc) -> list[Offer]:
    out: list[Offer] = []
    for tok in doc:
        low = tok.lower_
        if tok.pos_ in ("VERB", "AUX") and (low in OFFER_VERBS or low in MAKING_VERBS):
            out.extend(_verb_offers(doc, tok))
        elif low in MAKER_NOUNS and tok.pos_ == "NOUN":
            out.extend(_noun_offers(doc, tok))
        elif low == "known" and tok.pos_ == "VERB":
            out.extend(_known_for_offers(doc, tok))
        elif tok.dep_ == "poss" and tok.pos_ in ("PROPN", "NOUN") and tok.head.pos_ in ("NOUN", "PROPN"):
            out.extend(_possessive_offers(doc, tok))
    seen, unique = set(), []
    for o in sorted(out, key=lambda o: (o.product.start, o.maker.i)):
        key = (o.maker.i, o.product.start, o.product.end)
        if key not in seen:
            seen.add(key)
            unique.append(o)
    return unique


def _verb_offers(doc: Doc, verb: Token) -> list[Offer]:
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children) or (
        verb.dep_ == "acl" and verb.tag_ == "VBN"
    )
    if passive:
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        maker = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
        target = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        if target is None or target.tag_ in ("WDT", "WP"):
            target = verb.head if verb.dep_ in ("acl", "relcl") else None
        objects = [target] if target is not None else []
    else:
        maker = _subject(verb)
        objects = [c for c in verb.children if c.dep_ in ("dobj", "obj")]
    if maker is None or not objects:
        return []
    making = verb.lower_ in MAKING_VERBS or _counted(objects[0])
    spans = _phrases(doc, objects[0], conjuncts=not passive, brands=making)  # "A; B, made by C; and D": B only
    if not making:  # "offered a contest", "sold its stores": not products
        spans = [s for s in spans if _names_a_product(s)]
    return [Offer(m, span, verb, making) for m in _makers(maker) for span in spans]


def _names_a_product(span: Span) -> bool:
    """A name (typed a product or not by the mentions component) or a kind of product:
    "IOM services", "vaccine"; not "services" alone."""
    head = span.root.lower_
    return bool(span.root.ent_type_) or head in PRODUCT_HEADS and (len(span) > 1 or head not in _VAGUE)


def _possessive_offers(doc: Doc, owner: Token) -> list[Offer]:
    """ "inContact's Quality Management Software", "Apple's iPhone": a kind of product or a
    product's name after a company's possessive (the name must be typed a product)."""
    spans = [s for s in _phrases(doc, owner.head) if s.start > owner.i and _names_a_product(s)]
    return [Offer(owner, span, owner) for span in spans]


def _counted(obj: Token) -> bool:
    """ "sold 5.4 million iPhones": units sold are products, not a company sold."""
    return any(c.dep_ == "nummod" and c.ent_type_ in ("CARDINAL", "QUANTITY") for c in obj.children)


def _makers(tok: Token) -> list[Token]:
    """The names a subject stands for: "Our subsidiary, Impulse Monitoring," -> Impulse
    Monitoring; "X is a Delaware corporation that provides" -> X; "Suntech and Lightway"."""
    if tok.pos_ == "NOUN":
        appos = next((c for c in tok.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
        if appos is not None:
            tok = appos
        elif tok.dep_ == "attr" and tok.head.pos_ == "AUX":
            tok = next((c for c in tok.head.children if c.dep_ == "nsubj"), tok)
    return [tok, *(c for c in tok.children if c.dep_ == "conj" and c.pos_ == "PROPN")]


def _subject(verb: Token) -> Token | None:
    """The verb's subject, through "and" ("manufactures X and provides Y"), a relative
    clause ("HP, which makes printers"), "has been selling", "kept selling" and
    "will be able to produce"."""
    for _ in range(3):
        subj = next((c for c in verb.children if c.dep_ in _SUBJECTS), None)
        if subj is not None:
            if subj.tag_ in ("WDT", "WP") and verb.dep_ == "relcl":
                return verb.head
            return subj
        head = verb.head
        if verb.dep_ == "conj":
            verb = head
        elif verb.dep_ == "xcomp" and head.pos_ == "ADJ" and head.dep_ == "acomp":  # "will be able to produce"
            verb = head.head
        elif verb.dep_ == "xcomp" and head.lower_ in _GOING_ON:
            verb = head  # "continued selling"; not "tried making", "asked Samsung to make"
        else:
            return None
    return None


def _known_for_offers(doc: Doc, known: Token) -> list[Offer]:
    """ "Norsk Motors is best known for its trucks such as the Titan and the Ranger": the
    examples, each a product whatever NER said; without examples the kind of product
    ("known for its tractors"), when it is one (:data:`PRODUCT_HEADS`)."""
    maker = known.head if known.dep_ == "acl" else next((c for c in known.children if c.dep_ in _SUBJECTS), None)
    prep = next((c for c in known.children if c.dep_ == "prep" and c.lower_ == "for"), None)
    kind = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
    if maker is None or kind is None or kind.lower_ not in PRODUCT_HEADS:
        return []
    such = next(
        (
            c
            for c in kind.children
            if c.dep_ == "prep"
            and (c.lower_ == "as" and any(g.lower_ == "such" for g in c.children) or c.lower_ in ("including", "like"))
        ),
        None,
    )
    first = next((c for c in such.children if c.dep_ == "pobj"), None) if such is not None else None
    if first is None:
        spans = [s for s in _phrases(doc, kind) if _names_a_product(s)]
        return [Offer(m, span, known) for m in _makers(maker) for span in spans]
    examples = [first, *(c for c in first.children if c.dep_ == "conj")]
    spans = []
    for h in examples:
        if h.pos_ not in ("PROPN", "NOUN"):
            continue
        ent = next((e for e in doc.ents if e.start <= h.i < e.end), None)
        start, end = (ent.start, ent.end) if ent is not None else (min(c.left_edge.i for c in [h, *h.lefts]), h.i + 1)
        while start < end and doc[start].pos_ in ("DET", "PRON", "PUNCT"):
            start += 1
        if start < end:
            spans.append(doc[start:end])
    return [Offer(m, span, known, True) for m in _makers(maker) for span in spans]


def _noun_offers(doc: Doc, noun: Token) -> list[Offer]:
    """ "Amphenol, a manufacturer of X", "Arnold is ... manufacturer of X", "sensor manufacturer MTS"."""
    maker = None
    if noun.dep_ == "appos":
        maker = noun.head
    elif noun.dep_ == "attr" and noun.head.pos_ == "AUX":
        maker = next((c for c in noun.head.children if c.dep_ == "nsubj"), None)
    elif noun.dep_ == "compound" and noun.head.pos_ == "PROPN":
        maker = noun.head
    if maker is None:
        return []
    obj = _of_object(noun)
    if obj is not None:
        return [Offer(m, span, noun) for m in _makers(maker) for span in _phrases(doc, obj)]
    before = [c for c in noun.children if c.dep_ == "compound" and c.pos_ == "NOUN" and c.i < noun.i]
    if before and noun.dep_ == "compound":
        start = min(c.left_edge.i for c in before)
        span = _trim(doc, start, noun.i, doc[noun.i - 1])
        return [Offer(m, span, noun) for m in _makers(maker)] if span is not None else []
    return []


def _phrases(doc: Doc, head: Token, conjuncts: bool = True, brands: bool = False) -> list[Span]:
    """The product phrase headed by ``head`` and (``conjuncts``) by each noun coordinated
    with it (a name: the model's entity span). With ``brands`` (after a verb of making) a
    name among the modifiers is the product's brand ("Ravicti drug product")."""
    if head.lower_ in _GROUP_NOUNS:
        head = _of_object(head)
        if head is None:
            return []
    heads, todo = [], [head]
    while todo:
        h = todo.pop()
        heads.append(h)
        if conjuncts:
            todo.extend(c for c in h.children if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN"))
    spans = []
    for h in sorted(heads, key=lambda t: t.i):
        if h.pos_ not in ("NOUN", "PROPN") or h.lower_ in _NOT_PRODUCTS or h.lower_ in MAKER_NOUNS:
            continue
        if any(c.lower_ in ("no", "neither") for c in h.children):  # "produced no casualties"
            continue
        if any(c.lower_ in _BUSINESS_NOUNS for c in h.children if c.dep_ in ("compound", "appos", "nmod")):
            continue  # "sold its South Korean chain HomePlus": a business, not a product
        if h.ent_type_ in _NAME_ENTS:
            ent = next((e for e in doc.ents if e.start <= h.i < e.end), None)
            if ent is not None and (ent.label_ == "PRODUCT" or len(ent) <= 3 and ent.label_ != "GPE"):
                span = _trim(doc, ent.start, ent.end, h, names_ok=True)
                if span is not None:
                    spans.append(span)
            continue
        left = [
            c
            for c in h.children
            if c.i < h.i and c.dep_ in ("compound", "amod", "nmod", "npadvmod", "nummod", "quantmod")
        ]
        start = min((c.left_edge.i for c in left), default=h.i)
        span = _trim(doc, start, h.i + 1, h, names_ok=brands and _brand_only(doc[start : h.i]))
        if span is not None:
            spans.append(span)
    return spans


def _brand_only(modifiers: Span) -> bool:
    """Whether the names among a product's modifiers are one brand-like name (no place, no
    list): "Ravicti (drug product)", "Azure (cloud services)"."""
    names = [t for t in modifiers if t.ent_type_]
    return (
        bool(names)
        and names[0].ent_iob_ == "B"
        and sum(t.ent_iob_ == "B" for t in names) == 1
        and all(t.ent_type_ in ("ORG", "PRODUCT", "PERSON") for t in names)
        and not any(t.text in (",", "and", "or", "&") for t in modifiers)
    )


def _of_object(noun: Token) -> Token | None:
    """The noun after "of": "a manufacturer of magnets", "a range of services"."""
    of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    return next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None


def _trim(doc: Doc, start: int, end: int, head: Token, names_ok: bool = False) -> Span | None:
    """Cut determiners, numbers and words like "new" off the left; None when nothing
    product-like is left, or (unless ``names_ok``) when a name or an amount is inside."""
    skip = _AMOUNT_ENTS if names_ok else _NOT_PRODUCT_ENTS
    while start < head.i and (
        doc[start].lower_ in _DROP_LEFT
        or doc[start].is_punct
        or doc[start].like_num
        or doc[start].ent_type_ in skip
        or doc[start].pos_ in ("DET", "PRON", "ADP", "CCONJ")
    ):
        start += 1
    span = doc[start:end]
    if any(t.ent_type_ in skip for t in span) or len(span) > 8 or head.pos_ == "PRON":
        return None
    if len(span) == 1 and head.lower_ in _VAGUE:
        return None
    return span
