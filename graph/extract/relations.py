"""The ``dealgraph_relations`` component: facts between the entities of a sentence.

Reads ``doc._.dg_mentions`` (typed, with canonical names) and
``doc._.dg_published``; writes ``doc._.dg_facts``, a list of :class:`Fact`.

How: each sentence is rewritten with its mentions replaced by placeholders
(``@P3@`` a person, ``@O5@`` an organisation, ``@X2@`` a product, ``@G7@`` a
place that may be a company, ``@B4@`` "the board" of a company; lower case
``@o5@`` / ``@g7@`` for a name that only modifies a noun, "the @o5@ assets",
which fills no slot; "its" becomes ``@O6@'s``), and a table of patterns
(:data:`PATTERNS`) is matched against it, and against two rewritten variants:
with appositions dropped ("@P1@, the co-founder of @O2@, has joined" ->
"@P1@ has joined") and, for a verb conjoined without its own subject, the
subject put back ("Google bought A ... and sold B to C" -> "Google sold B to C"); a
headline in title case is also matched with its words lower-cased ("@O1@ Acquired by @O2@").
A slot takes one name, or a list of them (``{s:P+}``; ``{o:OG*}`` only where the clause ends
after the list: "bought A, B and C in 2019", not "bought A and B sold C").
A product that is the object of a launch verb is also linked to the verb's
subject through the dependency parse (lists of products, "the Echo speaker"), and what a
company makes, sells or provides becomes ``offers`` (:mod:`graph.extract.products`; product
phrases are read from the parse only, never put in the placeholder text). A pattern names the relation, or for role phrases
("the incumbent CEO of", "co-founder and chairman of") captures the title and
:func:`roles_of_title` turns it into relations. Around each match the words
decide negation (denials, rumours: no fact), "former" (no current role; a role the
sentence puts in the past, "was the CFO of", is kept with ``status="former"`` only for the
benchmarks' wider notion, :func:`extract_facts`), and a deal's status, date and value
(:mod:`graph.extract.details`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from spacy.tokens import Doc

from graph.extract.details import MONEY_RE, end_date, is_former, is_negated, parse_money, without_former
from graph.extract.facts import Fact, _better
from graph.extract.facts import aliases_of as _aliases
from graph.extract.facts import make_fact as _make_fact
from graph.extract.facts import map_people_to_companies as _map_people_to_companies
from graph.extract.facts import merge as _merge
from graph.extract.mentions import LAUNCH_VERBS, Mention, doc_text
from graph.extract.patterns import _COMPILED, _OBJECT_LETTERS, _SUBJECT_LETTERS, PATTERNS
from graph.extract.products import Offer, find_offers
from graph.extract.titles import _APPOS, deal_type_of, roles_of_title

__all__ = ["Fact", "PATTERNS", "roles_of_title", "extract_facts", "deal_type_of"]

_LETTER = {"Person": "P", "Organization": "O", "Product": "X", "Place": "G"}
_PLACEHOLDER = re.compile(r"@([POXGBogpx])(\d+)@")
_PERSON_RELATIONS = ("ceo_of", "founder_of", "chair_of", "executive_of", "board_member_of", "works_for")

#: an apposition dropped for the second reading: not a coordinated clause ("@O1@, and now led by
#: @O2@, a subsidiary of @O3@" says nothing of @O1@'s parent)
_APPOSITION = re.compile(
    r"(@[POGX]\d+@)(?!, (?:and|or|but|nor)\b)"
    + _APPOS
    + r",(?= (?!and\b|or\b|but\b|as\b|while\b|which\b|who\b|where\b)[a-z])"
)
#: a parenthesis after a name: an alias or ticker ("(ETP)", "(NYSE: X)", "(formerly Y)")
_PARENTHESIS = re.compile(r"(?<=@) ?\([^()]{1,60}\)")
_BOARD = re.compile(r"\b(?:[Tt]he|[Aa]) board\b(?! of\b)")
_BOARD_OWNER = re.compile(r"@O(\d+)@(?:'s|’s|') board|board of (?:directors of )?(?:the )?@O(\d+)@")


# ------------------------------------------------------------------ matching


def _marked(sent_text: str, base: int, mentions: list[tuple[int, Mention]]) -> str:
    out, pos = [], 0
    for idx, m in mentions:
        s, e = m.start - base, m.end - base
        if s < pos or s < 0 or m.via == "phrase":  # product phrases are read from the parse only
            continue
        if sent_text.startswith("-based", e):  # "Bermuda-based Ironshore": where, not who
            continue
        out.append(sent_text[pos:s])
        letter = "B" if m.via == "board" else _LETTER[m.type]
        if m.modifier or m.known_place:
            letter = letter.lower()
        out.append(f"@{letter}{idx}@")
        if m.via == "pronoun" and m.text.lower() == "its":
            out.append("'s")
        pos = e
    out.append(sent_text[pos:])
    return _HONORIFIC.sub("", "".join(out))


#: "Mr. @P1@": the patterns read the name alone
_HONORIFIC = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Prof|Sir)\.? (?=@[Pp]\d+@)")


def _indices(group: str | None, letters: str = "POXGB") -> list[int]:
    return [int(i) for c, i in _PLACEHOLDER.findall(group or "") if c in letters]


def extract_facts(
    doc: Doc, mentions: list[Mention], article: str = "", published: date | None = None, include_former: bool = False
) -> list[Fact]:
    """All facts of an article, merged and with person-as-company subjects mapped.

    A role the text puts in the past ("former CEO", "was the CEO of ... until 2019",
    the person a new CEO replaced) is a fact with ``former=True`` (and ``end`` when
    the text dates it). ``include_former`` is kept for callers of the older API: past
    roles are always returned now, marked."""
    aliases = _aliases(mentions)
    dates = [(e.start_char, e.text) for e in doc.ents if e.label_ == "DATE"]
    mentions = list(mentions)
    n_real = len(mentions)
    text = doc_text(doc)
    facts: list[Fact] = []
    board_owner: Mention | None = None
    offers = find_offers(doc)
    first = 0
    for sent in doc.sents:
        while first < n_real and mentions[first].start < sent.start_char:
            first += 1
        last = first
        while last < n_real and mentions[last].start < sent.end_char:
            last += 1
        in_sent = [(i, mentions[i]) for i in range(first, last)]
        if not in_sent:
            continue
        marked = _marked(sent.text, sent.start_char, in_sent)
        if "board" in sent.text:
            board_owner, extra = _boards(sent, marked, mentions, in_sent, board_owner)
            if extra:
                in_sent = sorted(in_sent + extra, key=lambda p: p[1].start)
                marked = _marked(sent.text, sent.start_char, in_sent)
        sent_dates = [t for s, t in dates if sent.start_char <= s < sent.end_char]
        variants = [marked]
        if "(" in marked:
            bare = _PARENTHESIS.sub("", marked)  # "Sunoco, Inc. (Sunoco) was acquired by ..."
            if bare != marked:
                variants.append(bare)
        for v in list(variants):
            no_appos = _APPOSITION.sub(r"\1", v)
            if no_appos != v:
                variants.append(no_appos)
        variants.extend(_conjunct_variants(text, sent, mentions, in_sent))
        if _is_headline(marked):  # "@O1@ Acquired by @O2@": the patterns' words are lower case
            variants.extend(_lowered(v) for v in list(variants))
        found: dict[tuple, Fact] = {}
        for variant in variants:
            for f in _sentence_facts(variant, sent.text.strip(), mentions, sent_dates, article, published):
                kept = found.get(f.key)
                if kept is None:
                    found[f.key] = f
                    continue
                win, lose = (f, kept) if _better(f, kept) else (kept, f)
                found[f.key] = win
                for attr in ("value", "currency", "end"):  # a variant may read a detail the other missed
                    if getattr(win, attr) is None and getattr(lose, attr) is not None:
                        setattr(win, attr, getattr(lose, attr))
        for f in _successions(marked, found, mentions, published):
            if f.key not in found:
                found[f.key] = f
        for f in _dependency_launches(
            doc, text, sent, mentions, in_sent, sent.text.strip(), sent_dates, article, published
        ):
            if f.key not in found:
                found[f.key] = f
        for f in _offer_facts(offers, text, sent, mentions, in_sent, sent.text.strip(), sent_dates, article, published):
            if f.key not in found:
                found[f.key] = f
        facts.extend(found.values())
    facts = _map_people_to_companies(facts)
    for f in facts:
        f.aliases = {"subject": aliases.get(f.subject, []), "object": aliases.get(f.object, [])}
    facts = _merge(facts)
    _headline_value(facts, doc.user_data.get("dg_title") or "")
    return facts


_HEADLINE_DEAL = re.compile(
    r"\b(?:buy|buys|bought|acquire[sd]?|acquisition|purchase[sd]?|takeover|take over|takes over|deal|"
    r"merger|merge|bid|invest(?:s|ed|ment)?|stake|pay|pays|paid|snaps up|snapped up)\b",
    re.I,
)


def _named_in(name: str, names: list[str], text: str) -> bool:
    return any(re.search(r"(?<!\w)" + re.escape(n) + r"(?!\w)", text) for n in [name, *names] if n)


def _headline_value(facts: list[Fact], title: str) -> None:
    """A deal's price stated only in the headline ("Microsoft to buy LinkedIn for $26.2
    billion"): given to the one deal fact without a value whose two parties the headline
    names, when the headline has one amount and a word of dealing."""
    if not title or len(MONEY_RE.findall(title)) != 1 or not _HEADLINE_DEAL.search(title):
        return
    deals = [
        f
        for f in facts
        if f.relation in ("acquired", "invested_in", "deal_with")
        and not f.former
        and _named_in(f.subject, f.aliases.get("subject", []), title)
        and _named_in(f.object, f.aliases.get("object", []), title)
    ]
    if len(deals) == 1 and deals[0].value is None:
        deals[0].value, deals[0].currency = parse_money(title)


_SPLIT_PLACEHOLDERS = re.compile(r"(@[POXGBogpx]\d+@)")


def _is_headline(marked: str) -> bool:
    """Whether the words between the names are in title case ("@O1@ Acquired by @O2@").

    >>> _is_headline("@O1@ Completes Acquisition of @O2@"), _is_headline("@O1@ bought @O2@ on Monday")
    (True, False)
    """
    words = [w for w in re.findall(r"[A-Za-z][\w'-]*", _PLACEHOLDER.sub(" ", marked[1:])) if len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.75 * len(words)


def _lowered(marked: str) -> str:
    """The text between the placeholders in lower case."""
    parts = _SPLIT_PLACEHOLDERS.split(marked)
    return "".join(p if k % 2 else p.lower() for k, p in enumerate(parts))


def _boards(sent, marked, mentions, in_sent, owner):
    """ "the board" of the company whose board the article last named ("Facebook's board")."""
    for hit in _BOARD_OWNER.finditer(marked):
        owner = mentions[int(hit.group(1) or hit.group(2))]
    extra = []
    taken = [(m.start, m.end) for _, m in in_sent]
    for hit in _BOARD.finditer(sent.text):
        start, end = sent.start_char + hit.start(), sent.start_char + hit.end()
        if any(s < end and start < e for s, e in taken):
            continue
        ante = owner
        if ante is None:
            before = [m for _, m in in_sent if m.end <= start and m.type == "Organization" and not m.modifier]
            ante = before[-1] if before else None
        if ante is None:
            continue
        m = Mention(start, end, hit.group(), "Organization", ante.sent, ante.canonical, "board")
        mentions.append(m)
        extra.append((len(mentions) - 1, m))
    return owner, extra


def _conjunct_variants(text: str, sent, mentions, in_sent) -> list[str]:
    """ "Google bought A in 2012 and sold B to C": the second verb with its subject put back."""
    out = []
    for tok in sent:
        if tok.dep_ != "conj" or tok.pos_ != "VERB" or tok.head.pos_ != "VERB":
            continue
        if any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
            continue
        subj = next((c for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None:
            continue
        holder = next(
            (
                (i, m)
                for i, m in in_sent
                if m.start <= subj.idx < m.end and m.type in ("Organization", "Place", "Person")
            ),
            None,
        )
        if holder is None:
            continue
        start = tok.idx
        for c in tok.lefts:  # keep "instead", "also" before the verb
            start = min(start, c.idx)
        rest = [(i, m) for i, m in in_sent if m.start >= start]
        tail = _marked(text[start : sent.end_char], start, rest)
        out.append(_marked(holder[1].text, holder[1].start, [holder]) + " " + tail)
    return out


def _sentence_facts(marked, evidence, mentions, sent_dates, article, published) -> list[Fact]:
    out = []
    letters = set(_PLACEHOLDER_LETTERS.findall(marked))
    for name, rel, rx, conf, needs in _COMPILED:
        if not needs <= letters:
            continue
        for m in rx.finditer(marked):
            window = marked[max(0, m.start() - 45) : m.end()]
            if is_negated(_PLACEHOLDER.sub(" ", window)):
                continue
            rels = [rel]
            title = None
            before = marked[max(0, m.start() - 25) : m.start()]
            former = name in _PAST_PATTERNS
            if rel == "ROLE":
                title = _PLACEHOLDER.sub(lambda p: mentions[int(p[2])].text, m.group("t"))
                bare = without_former(title)
                if (is_former(before) and not _NOW.search(m.group(0))) or bare != title:  # "former CEO"
                    former, title = True, bare
                rels = roles_of_title(title)
            elif rel in _PERSON_RELATIONS and is_former(_PLACEHOLDER.sub(" ", before)):
                former = True
            groups = m.groupdict()
            s_letters = _SUBJECT_LETTERS.get(rel, "P" if rel in _PERSON_RELATIONS else "OGP")
            subjects = _indices(groups.get("s"), s_letters) + _indices(groups.get("s2"), s_letters)
            objects = [
                i for k in ("o", "o2", "o3", "o4") for i in _indices(groups.get(k), _OBJECT_LETTERS.get(rel, "OGBo"))
            ]
            if name in _PERSON_AS_ORG:
                objects = _indices(groups.get("o"), "PX")
                rels = [r for r in rels if r in ("ceo_of", "chair_of")]  # "the director of <a film>": no
            context = _PLACEHOLDER.sub(" ", marked[max(0, m.start() - 45) : m.end() + 30])
            tail = _PLACEHOLDER.sub(" ", m.group(0) + marked[m.end() : m.end() + 40])
            end = None
            if former:
                after = _PLACEHOLDER.sub(" ", marked[m.end() : m.end() + 60])
                end = end_date(after, published, left=bool(_LEFT_WORDS.search(m.group(0))))
            for r in rels:
                for si in subjects:
                    for oi in objects:
                        obj = mentions[oi]
                        if name in _PERSON_AS_ORG:
                            obj = replace(obj, type="Organization")
                        f = _make_fact(
                            r,
                            mentions[si],
                            obj,
                            m.group(0),
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
                        )
                        if f is not None:
                            if former and r != "founder_of":  # a founder stays one
                                f.former, f.end = True, end
                            out.append(f)
    return out


#: a role the match itself puts in the present: "Ex-Prime Minister X, the current President of"
_NOW = re.compile(r"\b(?:current|currently|now|incumbent|still)\b")
_LEFT_WORDS = re.compile(
    r"\b(?:left|leaves|stepped down|steps down|resigned|resigns|retired|retires|departed|"
    r"was ousted|was fired|quit)\b"
)
#: "@P1@, who succeeded @P2@ as chairman", "@P1@ ... , replacing @P2@": the second held the role before
_SUCCESSION = re.compile(
    r"@P(\d+)@(?:(?:,? (?:who |which )?(?:has |had )?(?:succeeded|succeeds|replaced|replaces|took over from|takes over from|"
    r"has taken over from))|(?:[^@;]{0,120}?@[OG]\d+@[^@;]{0,40}?,? (?:replacing|succeeding|taking over from|"
    r"who (?:replaced|replaces|succeeded|succeeds|took over from|takes over from))))"
    r" @P(\d+)@(?P<rest>(?:,? (?:who|as) [^@;]{0,80})?)"
)


def _successions(marked: str, found: dict, mentions, published) -> list[Fact]:
    """The person a new office holder succeeded or replaced held the same role before:
    "@P1@, who succeeded @P2@ as chairman in 2014" makes @P2@ a former chair of
    the company @P1@ chairs in the same sentence; the date after becomes the end."""
    out = []
    for m in _SUCCESSION.finditer(marked):
        new, old = mentions[int(m[1])], mentions[int(m[2])]
        rest = m["rest"]
        titled = re.match(r",? as (?:the |its )?(?:new )?([^,;.]{2,60}?)(?= in\b| on\b| at\b| last\b|[,;.]|$)", rest)
        wanted = set(roles_of_title(titled[1])) if titled else None
        end = end_date(rest + marked[m.end() : m.end() + 40], published, left=True) if titled else None
        for f in list(found.values()):
            if f.subject != new.canonical or f.relation not in _PERSON_RELATIONS or f.former:
                continue
            if f.relation in ("founder_of", "works_for") or (wanted is not None and f.relation not in wanted):
                continue
            if old.canonical == f.object or old.canonical == f.subject:
                continue
            out.append(
                Fact(
                    article=f.article,
                    subject=old.canonical,
                    subject_type="Person",
                    relation=f.relation,
                    object=f.object,
                    object_type=f.object_type,
                    evidence=f.evidence,
                    confidence=max(0.05, f.confidence - 0.1),
                    date=f.date,
                    title=f.title,
                    pattern="succession",
                    former=True,
                    end=end or (f.date if f.dated else None),
                    surface={"subject": {old.text}, "object": set(f.surface.get("object", set()))},
                    spans=[((old.start, old.end), s[1]) for s in f.spans],
                )
            )
    return out


_PLACEHOLDER_LETTERS = re.compile(r"@([POXGBogpx])\d+@")
#: patterns whose roles are over ("was the CFO of", "worked for")
_PAST_PATTERNS = {
    "role-past",
    "role-spent-years",
    "role-past-relative",
    "role-worked-for",
    "role-left-as",
    "role-left-as-possessive",
    "board-left",
    "role-headed",
    "role-former-premodifier",
}
#: patterns whose object slot takes a name tagged a person or a product that the words show is a company
_PERSON_AS_ORG = {"role-named-its", "role-apposition-p"}


def _dependency_launches(doc, text, sent, mentions, in_sent, evidence, sent_dates, article, published) -> list[Fact]:
    """A product as (coordinated) object of a launch verb whose subject is a company."""
    out = []
    for _i, m in in_sent:
        if m.type != "Product":
            continue
        span = doc.char_span(m.start, m.end)
        if span is None:
            continue
        tok = span.root
        while tok.dep_ in ("conj", "compound", "nmod", "flat") and tok.head.i != tok.i:
            tok = tok.head
        verb = tok.head
        if (
            tok.dep_ not in ("dobj", "obj")
            or verb.lower_ not in LAUNCH_VERBS
            or verb.dep_ in ("xcomp", "ccomp", "advcl", "relcl", "acl")
        ):
            continue
        if _undone(verb, text, sent):
            continue
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subj is None and verb.dep_ == "conj":
            subj = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
        if subj is None:
            continue
        owner = next(
            (
                j
                for j, s in in_sent
                if s.start <= subj.idx < s.end and s.type in ("Organization", "Place") and not s.modifier
            ),
            None,
        )
        if owner is None:
            continue
        words = text[min(subj.idx, m.start) : max(m.end, verb.idx + len(verb))]
        f = _make_fact(
            "launched",
            mentions[owner],
            m,
            words,
            words,
            words,
            words,
            evidence,
            0.8,
            None,
            sent_dates,
            article,
            published,
            "launched-dep",
        )
        if f is not None:
            out.append(f)
    return out


def _undone(verb, text: str, sent, words: bool = True) -> bool:
    """A verb that states no fact: after "will", "to", "not" ... or (``words``) negated by
    the words before it ("denied it had launched")."""
    if any(c.dep_ in ("aux", "neg") and c.lower_ in _NOT_DONE for c in verb.children):
        return True
    return words and is_negated(text[max(sent.start_char, verb.idx - 45) : verb.idx + len(verb)])


def _offer_facts(
    offers: list[Offer], text, sent, mentions, in_sent, evidence, sent_dates, article, published
) -> list[Fact]:
    """ "HP develops printers", "Amphenol, a manufacturer of ...": a company and what it
    makes, sells or provides (:mod:`graph.extract.products`)."""
    out = []
    for offer in offers:
        if not sent.start <= offer.trigger.i < sent.end:
            continue
        product = next(
            (j for j, m in in_sent if m.type == "Product" and m.start <= offer.product.root.idx < m.end), None
        )
        maker = next(
            (
                j
                for j, m in in_sent
                if m.start <= offer.maker.idx < m.end and m.type == "Organization" and not m.modifier
            ),
            None,
        )
        if product is None or maker is None:
            continue
        trigger = offer.trigger
        if _undone(trigger, text, sent, words=trigger.pos_ != "NOUN"):
            continue
        lo = min(offer.maker.idx, offer.product.start_char, trigger.idx)
        hi = max(offer.maker.idx + len(offer.maker), offer.product.end_char, trigger.idx + len(trigger))
        words = text[lo:hi]
        conf = 0.65 if mentions[product].via == "phrase" else 0.75  # a common noun phrase, or a name
        f = _make_fact(
            "offers",
            mentions[maker],
            mentions[product],
            words,
            words,
            words,
            words,
            evidence,
            conf,
            None,
            sent_dates,
            article,
            published,
            "offers-parse",
        )
        if f is not None:
            out.append(f)
    return out


_NOT_DONE = {"will", "would", "could", "may", "might", "should", "to", "not", "n't", "never", "'ll", "wo", "can"}
