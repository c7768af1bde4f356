"""Deal details read from a sentence: dates, money, status, negation.

Pure functions on strings, used by the relation component. Dates come back as
ISO strings at the precision the text gives: ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``.

>>> from datetime import date
>>> resolve_date("on Monday", date(2014, 10, 29))
'2014-10-27'
>>> resolve_date("in July", date(2014, 10, 29))
'2014-07'
>>> parse_money("US$240 billion")
(240000000000.0, 'USD')
>>> deal_status("said it had agreed to buy")
'announced'
"""

from __future__ import annotations

import re
from datetime import date, timedelta

__all__ = [
    "resolve_date",
    "parse_money",
    "MONEY_RE",
    "deal_status",
    "is_negated",
    "is_former",
    "without_former",
    "end_date",
]

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTH_WORD = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"


def resolve_date(text: str, published: date | None) -> str | None:
    """Resolve a date expression against the article's publication date.

    Returns None when the expression names no usable date.

    >>> resolve_date("Sept 9, 2014", None), resolve_date("last year", date(2016, 6, 1))
    ('2014-09-09', '2015')
    >>> resolve_date("in December", date(2014, 10, 29))  # a month later than the article: last year's
    '2013-12'
    """
    t = text.lower().strip()
    m = re.search(_MONTH_WORD + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", t)
    if m:
        return _iso(int(m[3]), _MONTHS[m[1]], int(m[2]))
    m = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", t)
    if m:
        return _iso(int(m[1]), int(m[2]), int(m[3]))
    m = re.search(_MONTH_WORD + r"\s+(\d{4})", t)
    if m:
        return f"{int(m[2]):04d}-{_MONTHS[m[1]]:02d}"
    if published is not None:
        rel = _relative(t, published)
        if rel:
            return rel
    m = re.search(r"\b(19\d\d|20\d\d)\b", t)
    if m:
        return m[1]
    return None


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def _relative(t: str, pub: date) -> str | None:
    if re.search(r"\btoday\b|\bthis (morning|afternoon|evening)\b|\btonight\b", t):
        return pub.isoformat()
    if "yesterday" in t:
        return (pub - timedelta(days=1)).isoformat()
    for i, name in enumerate(_WEEKDAYS):
        if re.search(rf"\b{name}\b", t):
            back = (pub.weekday() - i) % 7 or (7 if "last" in t else 0)
            return (pub - timedelta(days=back)).isoformat()
    if re.search(r"\bthis month\b", t):
        return f"{pub.year:04d}-{pub.month:02d}"
    if re.search(r"\blast month\b", t):
        y, m = (pub.year, pub.month - 1) if pub.month > 1 else (pub.year - 1, 12)
        return f"{y:04d}-{m:02d}"
    if re.search(r"\bthis year\b", t):
        return str(pub.year)
    if re.search(r"\blast year\b", t):
        return str(pub.year - 1)
    if re.search(r"\bnext year\b", t):
        return str(pub.year + 1)
    m = re.search(r"\b" + _MONTH_WORD + r"(?!\s*\d)", t)
    if m and (m[1] != "may" or re.search(r"\b(?:in|since|last|next|early|late|mid-?) ?may\b", t)):
        month = _MONTHS[m[1]]
        year = pub.year if month <= pub.month else pub.year - 1
        if re.search(r"\bnext\b", t):
            year = pub.year if month > pub.month else pub.year + 1
        return f"{year:04d}-{month:02d}"
    return None


_SCALE = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mln": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bln": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
}
_SYMBOLS = {
    "us$": "USD",
    "$": "USD",
    "usd": "USD",
    "hk$": "HKD",
    "c$": "CAD",
    "a$": "AUD",
    "s$": "SGD",
    "€": "EUR",
    "eur": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "¥": "JPY",
    "rmb": "CNY",
    "cny": "CNY",
    "₹": "INR",
    "inr": "INR",
    "jpy": "JPY",
}
_WORDS = {
    "dollars": "USD",
    "dollar": "USD",
    "euros": "EUR",
    "euro": "EUR",
    "pounds": "GBP",
    "yuan": "CNY",
    "renminbi": "CNY",
    "yen": "JPY",
    "rupees": "INR",
    "won": "KRW",
}
MONEY_RE = re.compile(
    r"(?P<sym>US\$|HK\$|C\$|A\$|S\$|\$|€|£|¥|₹|\b(?:USD|EUR|GBP|CNY|RMB|JPY|INR)\s?)"
    r"\s?(?P<num>\d[\d,]*(?:\.\d+)?)\s?(?P<scale>thousand|million|billion|trillion|mln|bln|bn|mn|tn|[kmb]\b)?"
    r"|(?P<num2>\d[\d,]*(?:\.\d+)?)\s?(?P<scale2>thousand|million|billion|trillion)?\s"
    r"(?P<word>dollars|euros|pounds|yuan|renminbi|yen|rupees|won)\b",
    re.I,
)


def parse_money(text: str) -> tuple[float, str] | None:
    """Return ``(amount, ISO 4217 currency)`` of the first amount in ``text``, or None.

    >>> parse_money("for $26.2 billion in cash")
    (26200000000.0, 'USD')
    >>> parse_money("1.5 billion euros")
    (1500000000.0, 'EUR')
    >>> parse_money("300 million users") is None
    True
    """
    m = MONEY_RE.search(text)
    if not m:
        return None
    if m["num"]:
        num, scale, cur = m["num"], m["scale"], _SYMBOLS.get(m["sym"].strip().lower(), "USD")
    else:
        num, scale, cur = m["num2"], m["scale2"], _WORDS[m["word"].lower()]
    try:
        amount = float(num.replace(",", ""))
    except ValueError:
        return None
    return amount * _SCALE.get((scale or "").lower(), 1.0), cur


_NEGATION = re.compile(
    r"\b(?:not|never|no longer|no plans?|nor|denied|denies|deny|denying|dismissed|"
    r"refuted|rejected|rumou?r(?:s|ed)?|reportedly|speculat\w*|unconfirmed|"
    r"declined to (?:confirm|comment)|false|failed to|instead of)\b|n't\b",
    re.I,
)
_FORMER = re.compile(
    r"\b(?:former|formerly|ex-|previous|previously|then-|onetime|one-time|outgoing|"
    r"retired|the late|erstwhile|until|stepped down|resigned|left|ousted|(?<!since )(?<!and )(?<!by )(?<!until )then)\b",
    re.I,
)
_TERMINATED = re.compile(
    r"\b(?:called off|scrapped|abandoned|terminated|terminates|walked away|blocked|"
    r"collapsed|cancell?ed|withdrew|dropped|ended talks|broke off|leaving|left|exited|exiting|quit|pulled out)\b",
    re.I,
)
_PROPOSED = re.compile(
    r"\b(?:plans? to|planning to|planned|intends? to|intention|intend\w*|wants? to|"
    r"hopes? to|hoping to|would like|interest in|interested in|willing to|seeks? to|seeking|"
    r"considering|consider|in talks|talks|negotiat\w+|proposed|proposes|proposal|"
    r"offer(?:ed|s)? to|bid|could|may|might|aims? to|looking to|explor\w+|potential|possible)\b",
    re.I,
)
_ANNOUNCED = re.compile(
    r"\b(?:agreed|agrees|agree|will|announced|announces|announce|signed|signs|sign|"
    r"set to|reached|reaches|struck|strikes|deal to|pending|expected to|is to|are to|"
    r"inked|sealed|unveiled)\b",
    re.I,
)
_COMPLETED = re.compile(
    r"\b(?:completed|completes|closed|finali[sz]ed|acquired|bought|purchased|took over|"
    r"merged|owns|now owns|took|invested|led|formed|launched|has acquired|has bought)\b",
    re.I,
)


def is_negated(text: str) -> bool:
    """True when ``text`` denies, rules out or only rumours what it says.

    >>> is_negated("denied reports that it was in talks to buy"), is_negated("agreed to buy")
    (True, False)
    """
    return bool(_NEGATION.search(text))


def is_former(text: str) -> bool:
    """True when a role phrase says the role is over ("former CEO", "ex-chairman").

    >>> is_former("former chief executive"), is_former("chief executive")
    (True, False)
    >>> is_former("Late on Sunday, the"), is_former("the late founder")
    (False, True)
    """
    return bool(_FORMER.search(text))


_FORMER_WORD = re.compile(r"\b(?:former|ex-|then-|onetime|one-time|outgoing|erstwhile)\s*", re.I)


def without_former(title: str) -> str:
    """The title without the words that put it in the past.

    >>> without_former("former chief executive"), without_former("ex-CEO")
    ('chief executive', 'CEO')
    """
    return _FORMER_WORD.sub("", title).strip()


_DATE_AHEAD = re.compile(
    r"(?:(?:early|late|mid-?)\s*)?(?:" + _MONTH_WORD + r"(?:\s+\d{1,2}(?:st|nd|rd|th)?,?)?\s+(?:19|20)\d\d\b"
    r"|(?:19|20)\d\d\b|" + _MONTH_WORD + r"\b|last (?:year|month)\b)",
    re.I,
)
_FROM = re.compile(r"\bfrom\s+(?:\S+\s+){0,2}?(?:19|20)\d\d\s*$", re.I)


def end_date(text: str, published: date | None = None, *, left: bool = False) -> str | None:
    """When a past role ended, from the words after it ("until 2019", "from 2006 to
    2010"); "in <date>" counts only when ``left`` (the role's own words say it ended:
    "stepped down as chairman in June").

    >>> end_date("until 2019, when he retired")
    '2019'
    >>> end_date("from January 2006 to January 2010.")
    '2010-01'
    >>> end_date(" in June", date(2018, 8, 2), left=True), end_date(" in June", date(2018, 8, 2))
    ('2018-06', None)
    >>> end_date(", a post he held for a decade") is None
    True
    """
    for m in re.finditer(r"\b(until|till|through|to|in|on)\s+", text, re.I):
        when = _DATE_AHEAD.match(text, m.end())
        if when is None:
            continue
        word = m[1].lower()
        if word == "to" and not _FROM.search(text[: m.start()]):
            continue
        if word in ("in", "on") and not left:
            continue
        if word == "through" and not _FROM.search(text[: m.start()]):
            continue
        return resolve_date(when.group(0), published)
    return None


#: a deal that is done whatever else the sentence says ("owns Instagram, which it agreed to buy")
_DONE = re.compile(
    r"(?<!to be )(?<!will be )(?<!would be )(?<!yet to be )(?<!expected to be )"
    r"\b(?:completed|completes|closed|finali[sz]ed|now owns|owns|already owns|took control|has acquired|"
    r"has bought|had acquired|had bought|has taken over)\b",
    re.I,
)
#: a stake held, disclosed or handed over: the investment is made
_STAKE_HELD = re.compile(
    r"\b(?:holds?|held|has|had|owns?|owned|disclosed|discloses|revealed|reveals|gives?|gave|giving|took|takes|"
    r"acquired|bought|built|amassed|accumulated|increased|raised|now has)\b[^.;]{0,40}?\bstake\b",
    re.I,
)


def deal_status(text: str, relation: str | None = None) -> str:
    """The status of a deal from the words around its verb.

    One of ``proposed``, ``announced``, ``completed``, ``terminated`` (checked in that
    order of strength: a called-off plan is terminated, a plan is proposed, a deal
    done ("completed", "owns") is completed even where the sentence also tells how
    it was agreed; for ``invested_in``, a stake held or disclosed is an investment made).

    >>> deal_status("intends to work with"), deal_status("acquired"), deal_status("called off its bid for")
    ('proposed', 'completed', 'terminated')
    >>> deal_status("also owns Instagram, the app it agreed to buy")
    'completed'
    >>> deal_status("agreed to buy; the deal is expected to be completed next year")
    'announced'
    >>> deal_status("disclosed a stake of 8.8 percent in", "invested_in")
    'completed'
    """
    if _TERMINATED.search(text):
        return "terminated"
    if _PROPOSED.search(text):
        return "proposed"
    if _DONE.search(text) or (relation == "invested_in" and _STAKE_HELD.search(text)):
        return "completed"
    if _ANNOUNCED.search(text):
        return "announced"
    if _COMPLETED.search(text):
        return "completed"
    return "announced"
