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
from dataclasses import asdict, dataclass, field, replace
from datetime import date

from spacy.tokens import Doc

from graph.extract.details import (MONEY_RE, deal_status, end_date, is_former, is_negated, parse_money,
                                   resolve_date, without_former)
from graph.extract.mentions import LAUNCH_VERBS, Mention, doc_text
from graph.extract.products import Offer, find_offers
from graph.ns import RELATIONS

__all__ = ["Fact", "PATTERNS", "roles_of_title", "extract_facts", "deal_type_of"]

_LETTER = {"Person": "P", "Organization": "O", "Product": "X", "Place": "G"}
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


# ------------------------------------------------------------------ titles

_TITLE_FORBIDDEN = re.compile(
    r"\b(?:said|says|told|who|which|that|when|while|after|before|is|was|were|are|has|have|had|"
    r"will|would|to|by|from|with|on|said|according|in\s+\d{4}|his|her|their|because|"
    r"candidate|nominee|hopeful|contender|running mate)\b"
)
_ROLE_WORDS = [
    ("founder_of", re.compile(r"\b(?:co-?)?found(?:er|ing)\b|\bfounders?\b", re.I)),
    ("ceo_of", re.compile(r"\bCEO\b|\bchief executive(?: officer)?\b|\bchief exec\b|\bboss\b", re.I)),
    ("chair_of", re.compile(r"(?<!vice )(?<!vice-)\b(?:chairman|chairwoman|chairperson|chair)\b", re.I)),
    ("board_member_of", re.compile(r"\bboard member\b|\bmember of the board\b|\b(?:non-executive|independent|outside) director\b|\bdirector on the board\b|\bvice[- ]chair(?:man|woman)?\b", re.I)),
    ("executive_of", re.compile(
        r"\b(?:president|vice[- ]president|VP|SVP|EVP|CFO|COO|CTO|CMO|CIO|CSO|CPO|chief [\w-]+ officer|"
        r"chief (?:[\w-]+ )?(?:strategist|scientist|economist|architect|engineer|designer)|head of|general counsel|treasurer|"
        r"managing director|executive director|general manager|executive|director of|"
        r"head(?! (?:coach|chef|nurse|teacher|waiter|of state))|chief)\b", re.I)),
    ("works_for", re.compile(
        r"\b(?:engineer|analyst|spokes(?:man|woman|person)|manager|scientist|researcher|economist|"
        r"employee|editor|designer|developer|lawyer|strategist|reporter|worker|staffer|consultant|"
        r"advis[oe]r|official|director|programmer|trader|banker|partner|architect|lead|head|professor|lecturer|"
        r"instructor|teacher|curator|physician|surgeon|scholar|physicist|chemist|biologist|mathematician|"
        r"journalist|columnist|correspondent)s?\b", re.I)),
]


_REGIONAL = re.compile(r"\b(?:CEO|[Cc]hief [Ee]xecutive(?: [Oo]fficer)?)\s+(?:for|of)\s+(?:the\s+)?[A-Z]")


def roles_of_title(title: str) -> list[str]:
    """The relations a job title implies, most specific first; none for a former role.

    >>> roles_of_title("co-founder, chairman and controlling shareholder")
    ['founder_of', 'chair_of']
    >>> roles_of_title("senior vice president of Internet Software and Services")
    ['executive_of']
    >>> roles_of_title("president and chief executive")
    ['ceo_of']
    >>> roles_of_title("former CEO"), roles_of_title("richest person in China")
    ([], [])
    >>> roles_of_title("presumptive nominee for President"), roles_of_title("then the deputy director")
    ([], [])
    >>> roles_of_title("CEO for Central Europe"), roles_of_title("executive chairman")
    (['executive_of'], ['chair_of'])
    """
    if is_former(title) or _TITLE_FORBIDDEN.search(title):
        return []
    found = [rel for rel, rx in _ROLE_WORDS if rx.search(title)]
    if "ceo_of" in found and _REGIONAL.search(title):
        found[found.index("ceo_of")] = "executive_of"  # "CEO for Central Europe" runs a region
    if "ceo_of" in found and "executive_of" in found:
        found.remove("executive_of")
    if any(r in found for r in ("ceo_of", "founder_of", "chair_of", "board_member_of", "executive_of")):
        if "works_for" in found:
            found.remove("works_for")
    if found == ["board_member_of", "chair_of"]:
        found = ["chair_of"]
    if "chair_of" in found and "executive_of" in found and _EXECUTIVE_CHAIR.fullmatch(title.strip()):
        found.remove("executive_of")  # "executive chairman" chairs the board, full time
    return found


_EXECUTIVE_CHAIR = re.compile(r"(?:(?:co-?|non-)?executive |deputy )?(?:co-?)?chair(?:man|woman|person)?", re.I)


def deal_type_of(relation: str, text: str) -> str | None:
    """The deal class for a deal relation, from the words of the match.

    >>> deal_type_of("deal_with", "announced a joint venture with")
    'JointVenture'
    """
    if relation == "acquired":
        return "Acquisition"
    if relation == "invested_in":
        return "Investment"
    if relation != "deal_with":
        return None
    t = text.lower()
    if "joint venture" in t or "venture" in t:
        return "JointVenture"
    if re.search(r"\bmerg", t):
        return "Merger"
    if re.search(r"partner|alliance|team|collaborat|cooperat|work|tie-up|ally|join(?:ed|s|ing)? forces", t):
        return "Partnership"
    return "Agreement"


# ------------------------------------------------------------------ patterns

_ACQ_VERB = r"(?:acquired|acquires|acquire|acquiring|reacquired|bought|buys|buy|buying|purchased|purchases|purchase|purchasing|took over|takes over|take over|taking over|snapped up|snaps up|swallowed)"
_ACQ_NOUN = r"(?:acquisition|purchase|takeover|buyout|buy-out)"
_INV_VERB = r"(?:invested|invests|invest|investing|poured|pours|pumped|pumps|put|puts)"
_DEAL_NOUN = r"(?:partnership|agreement|deal|alliance|joint venture|venture|pact|merger|collaboration|contract|tie-up|memorandum of understanding|licensing deal|accord)"
_DEAL_VERB = r"(?:signed|signs|sign|announced|announces|announce|reached|reaches|reach|struck|strikes|strike|formed|forms|form|forming|agreed|agrees|entered(?: into)?|enters(?: into)?|inked|inks|sealed|seals|forged|forges|set up|sets up|created|creates|establish(?:ed|es)?|launched|launches|unveiled|unveils|have|has|completed|completes|finali[sz]ed)"
_COOP_VERB = r"(?:partner(?:ed|ing|s)?|team(?:ed|ing|s)? up|work(?:ed|ing|s)?|collaborat(?:e|ed|es|ing)|cooperat(?:e|ed|es|ing)|co-operat(?:e|ed|es|ing)|merg(?:e|ed|es|ing)|join(?:ed|s|ing)? forces|ally|allied|tie up|tied up|link(?:ed)? up)"
_LAUNCH_VERB = r"(?:launched|launches|launch|launching|unveiled|unveils|unveil|unveiling|introduced|introduces|introduce|introducing|released|releases|release|debuted|debuts|debut|rolled out|rolls out|roll out|rolling out|unleashed|showed off|shows off|presented|presents|began selling|started selling)"
_SUB_NOUN = r"(?:subsidiary|subsidiaries|unit|units|division|divisions|arm|arms|affiliate|affiliates|business|businesses|brand|brands|platform|platforms|services?|sites|websites|companies|company|operations|chain|network|studio|app|lab)"
_OWNED_NOUN = r"(?:subsidiary|subsidiaries|unit|units|division|divisions|arm|affiliate|chain|chains|sites?|brands?|businesses|studios?|label|channels?|stores?|marketplace|apps?|services?|platforms?|networks?)"
_ROLE_START = r"(?:co-?|vice[- ])?(?:chief|CEO|CFO|COO|CTO|chair\w*|president|founder|managing|executive|senior|head|director|general|board)\b"
_TITLE = r"(?P<t>[A-Za-z][\w\-&./]*(?:,? (?:(?!@)[\w\-&./]+|@[OGog]\d+@)){0,9}?)"
_ROLE_HEAD = (r"(?:CEO|CFO|COO|CTO|CMO|CIO|chief executive(?: officer)?|chief [a-z]+ officer|chair(?:man|woman|person)?|"
              r"co-chair(?:man|woman)?|president|founder|co-founder|cofounder|director|director-general|"
              r"managing director|general manager|head|boss|spokes(?:man|woman|person)|executive|manager|"
              r"editor|analyst|engineer|economist|strategist|partner|general counsel|treasurer|secretary)")
_TITLE_MOD = r"(?i:senior|executive|deputy|vice|assistant|associate|interim|acting|founding|editorial|chief|general|global|regional|former|then-|co-|lead|principal|managing|technical|creative|financial|operating|marketing|product|research|sales)"
# "Apple chief executive Tim Cook": modifiers and a head word of a job title only
_TITLE_NC = (r"(?P<t>(?:" + _TITLE_MOD + r" ){0,4}(?i:" + _ROLE_HEAD + r")(?:(?:,|,? and|,? &) (?:" + _TITLE_MOD
             + r" ){0,4}(?i:" + _ROLE_HEAD + r")){0,3})")  # "Founder and Chairman", "President, CEO and Director"
_TITLE_END = r"(?=[,;.]|$| and (?!" + _ROLE_START + r")| who\b| said\b| says\b| since\b)"
_NOT_POSS = r"(?!'s|’s|-)"
#: where a title after "named X as" ends: "chairman and chief executive" stays one title
_NAMED_END = r"(?=[,;.]| on\b| in\b| last\b| this\b| after\b| and (?!" + _ROLE_START + r")|$)"
_APPOS = r"(?:,(?: (?:[^\s,@]+|@[OGXog]\d+@(?:'s|’s)?))+)"
_PEOPLE = r"@P\d+@(?:" + _APPOS + r"?(?:,? and |, )(?:(?:the |a |an )?(?:[a-z][\w/-]* ){0,3})?@P\d+@)*"

#: a lower-case word describing the company that follows ("acquired streaming service Tubi")
_DESCRIPTOR = r"(?:(?!(?:in|of|from|to|for|with|into|on|at|by|and|or|but|that|which|stakes?|shares|interest|assets|control|majority|minority|part|all|some|most)\b)[a-z][\w-]* )"
#: a place before a company's name: "Bermuda-based Ironshore" (the place is no placeholder there)
_BASED = r"(?:(?:[A-Z][\w.&']* ){0,2}[A-Z][\w.&']*-based )?"
#: what a company is, before its name: "(a subsidiary of) Italian eyewear maker Luxottica",
#: "China-based tool maker Techtronic Industries"
_KIND = (r"(?:@[Gg]\d+@(?:'s|’s) )?" + _BASED + r"(?:(?:[A-Z][a-z]+ )?(?:[a-z][\w-]* ){0,2}(?:maker|manufacturer|giant|company|firm|group|"
         r"provider|operator|retailer|conglomerate|producer|developer|bank|insurer|lender|carrier) )?")
# (name, relation or "ROLE", template, confidence); a slot {s:OG} takes one mention of those
# types, {s:OG+} a list of them, {o:OG*} a list only where the clause ends after it ("bought A,
# B and C in 2019"; not "bought A and B sold C"), else one

PATTERNS: list[tuple[str, str, str, float]] = [
    # --- people and their roles
    ("role-apposition", "ROLE", r"{s:P}, (?:the |who is (?:the |also )?|now (?:the )?|also (?:the )?|its |a |an )?" + _TITLE + r",? (?:of|at|for|with) (?:[Tt]he |both )?{o:OG+}" + _NOT_POSS, 0.9),
    ("role-possessive-apposition", "ROLE", r"{s:P}, (?:the )?{o:OG}(?:'s|’s|') " + _TITLE + _TITLE_END, 0.9),
    ("role-premodifier", "ROLE", r"{o:OGo}(?:'s|’s|')? " + _TITLE_NC + r",? {s:P}", 0.85),
    ("role-copula", "ROLE", r"{s:P},? (?:who )?(?:(?:has been |was )?promoted to|is|has been|serves as|has served as|will serve as|became|becomes|has become|will become|remains|was named|has been named|was appointed|was elected|is now) (?:also |now )?(?:the |its |a |an )?(?:new )?" + _TITLE + r" (?:of|at|for) (?:[Tt]he |both )?{o:OG+}" + _NOT_POSS, 0.8),
    # "X is an American businessman who is the CEO of Y" (and "who was": a past role)
    ("role-relative", "ROLE", r"{s:P} (?:is|was) (?:a|an|the) (?:[\w-]+ ){1,6}?who (?:is|has been|serves as|became|is now|remains) (?:also |now |currently )?(?:the |its |a |an )?" + _TITLE + r" (?:of|at|for) (?:[Tt]he |both )?{o:OG+}" + _NOT_POSS, 0.75),
    ("role-past-relative", "ROLE", r"{s:P} (?:is|was) (?:a|an|the) (?:[\w-]+ ){1,6}?who (?:was|had been|served as|worked as) (?:also )?(?:the |its |a |an )?" + _TITLE + r" (?:of|at|for) (?:[Tt]he |both )?{o:OG+}" + _NOT_POSS, 0.7),
    # a role in the past: kept as status "former" (benchmarks only, see extract_facts)
    ("role-past", "ROLE", r"{s:P},? (?:who )?(?:had )?(?:previously |formerly |also |most recently |then |later |once )?(?:served as|worked as|was|had been) (?:also )?(?:the |its |a |an |their )?" + _TITLE + r" (?:of|at|for|with) (?:[Tt]he )?{o:OG}" + _NOT_POSS, 0.7),
    ("role-copula-possessive", "ROLE", r"{s:P},? (?:who )?(?:is|has been|serves as|became|becomes|has become|will become|remains|was named|has been named|was appointed|was elected|is now) (?:also |now )?{o:OG}(?:'s|’s|') (?:new )?" + _TITLE + _TITLE_END, 0.8),
    ("role-named", "ROLE", r"{o:OG}{gap3} (?:named|names|appointed|appoints|hired|hires|promoted|promotes|tapped|taps|picked|picks|elected|elects) {s:P}(?: as| to be| to)? (?:its |@O\d+@(?:'s|’s) |the |a |an )?(?:new )?" + _TITLE + _NAMED_END, 0.8),
    # the same with the company tagged a person: "its" says it is one ("Velotex named Ann Lee as its new CEO")
    ("role-named-its", "ROLE", r"{o:PX}{gap3} (?:named|names|appointed|appoints|hired|hires|promoted|promotes|tapped|taps|picked|picks|elected|elects) {s:P}(?: as| to be| to) (?:its|@O\d+@(?:'s|’s)) (?:new )?" + _TITLE + _NAMED_END, 0.7),
    ("role-joined-as", "ROLE", r"{s:P} (?:joined|joins|rejoined) {o:OG}(?: in (?:[A-Z][a-z]+ )?\d{4})? as (?:its |the |a |an )?(?:new )?" + _TITLE + _NAMED_END, 0.75),
    # "Ann Lee returned as chief executive of Velotex", "returned to Velotex as its chief executive"
    ("role-returned-as", "ROLE", r"{s:P},?(?: who)?{gap2} (?:returned|returns|has returned|is returning|came back|comes back|was reinstated|is reinstated)(?: to {o:OG})? as (?:its |the )?(?:new |interim )?" + _TITLE + r"(?: (?:of|at) (?:[Tt]he )?{o2:OG})?" + _NOT_POSS + _NAMED_END, 0.75),
    # a role left: "stepped down as chief executive of Velotex in 2019" (a past role, see _PAST_PATTERNS)
    ("role-left-as", "ROLE", r"{s:P},?(?: who)?{gap3} (?:stepped down|steps down|resigned|resigns|retired|retires|was ousted|was fired|was replaced|departed|left|quit) as (?:the |its )?" + _TITLE + r" (?:of|at) (?:[Tt]he )?{o:OG}" + _NOT_POSS, 0.75),
    ("role-left-as-possessive", "ROLE", r"{s:P},?(?: who)?{gap3} (?:stepped down|steps down|resigned|resigns|retired|retires|was ousted|was fired|was replaced|departed|left|quit) as {o:OG}(?:'s|’s|') " + _TITLE + _TITLE_END, 0.75),
    ("board-left", "board_member_of", r"{s:P},?(?: who)?{gap3} (?:left|leaves|quit|quits|resigned from|resigns from|stepped down from|steps down from|departed) (?:the )?(?:board of (?:directors of )?(?:the )?{o:OG}|{o2:OG}(?:'s|’s|') board|{o3:B})", 0.75),
    # "Before joining Velotex in 2015, Ann Lee worked at Hooli": she works at Velotex now
    # "Ann Lee, the former chief executive who built Velotex into a global chain, ..."
    ("role-apposition-who", "ROLE", r"{s:P}, (?:the |its )?" + _TITLE_NC + r" who (?:built|led|ran|turned|transformed|grew|headed|steered|guided|rescued|revived|took) {o:OG}" + _NOT_POSS, 0.7),
    # "Ann Lee, OpenAI's chief scientist, is a former Google researcher", "an engineer at X and a former Y professor"
    ("role-former-premodifier", "ROLE", r"{s:P}(?:,| is| was| who is| who was)(?: (?:a|an|the) (?:[^@;,]|@[OGog]\d+@){0,50}? and)? (?:a |an )?(?:former|onetime|one-time|ex-) ?{o:OGo} (?P<t>(?:[a-z][\w-]* ){0,2}[a-z][\w-]*)(?=[,;.]| and\b| who\b| at\b| in\b|$)", 0.7),
    ("role-before-joining", "works_for", r"^(?:[Bb]efore|[Pp]rior to) (?:joining|she joined|he joined) {o:OG}(?: in (?:[A-Z][a-z]+ )?\d{4})?, {s:P}", 0.6),
    # "Ann Lee headed Velotex from 1990 to 2001" (past), "has headed Velotex since 2019"
    ("role-headed", "ceo_of", r"{s:P},?(?: who)?{gap2} (?:headed|ran) (?:the )?{o:OG}" + _NOT_POSS + r"(?! (?:division|unit|team|department|office|campaign|operations|business)\b)", 0.55),
    ("role-has-headed", "ceo_of", r"{s:P},?(?: who)?{gap2} (?:has headed|has led|has run|has been heading|has been running|has been leading) (?:the )?{o:OG}" + _NOT_POSS + r"(?! (?:division|unit|team|department|office|campaign|operations|business)\b)", 0.6),
    # "Apple's Tim Cook", "Alibaba's Jack Ma": someone of the company (a company only, not "Britain's")
    ("role-possessive-person", "works_for", r"{o:O}(?:'s|’s) {s:P}(?! and\b)" + _NOT_POSS, 0.6),
    ("role-works-for", "works_for", r"{s:P},?(?: who)?{gap2} (?:works|is working|has worked|has been working) (?:[a-z]+ ){0,3}?(?:for|at) (?:[Tt]he )?{o:OG+}" + _NOT_POSS, 0.7),
    ("role-worked-for", "works_for", r"{s:P},?(?: who)?{gap2} (?:worked|had worked|was working) (?:[a-z]+ ){0,3}?(?:for|at) (?:[Tt]he )?{o:OG+}" + _NOT_POSS, 0.65),
    ("role-employed-by", "works_for", r"{s:P},?(?: who)?{gap2} (?:is|was|has been|had been|is currently) (?:currently )?employed (?:as (?:an? |the )?(?:[\w-]+ ){1,4}?)?(?:by|at|with) (?:the )?{o:OG}" + _NOT_POSS, 0.75),
    ("role-leads", "ceo_of", r"{s:P},? (?:who |which )?(?:leads|runs|heads) {o:OG}" + _NOT_POSS, 0.55),
    ("role-led-by", "ceo_of", r"{o:OG}(?:,? (?:which|that))? (?:is|are|has been|is now) (?:now |currently |still )?(?:led|run|headed) by {s:P}", 0.6),
    ("role-led-by-participle", "ceo_of", r"{o:OG}, (?:now |currently |still )?(?:led|run|headed) by {s:P}" + _NOT_POSS + r"(?=[,;.]|$)", 0.55),
    # a person's company tagged as a person or a product: "Ann Lee, the chief executive of Velotex, said"
    # (strong titles only)
    ("role-apposition-p", "ROLE", r"{s:P}, (?:the |its )" + _TITLE + r" of {o:PX}" + _NOT_POSS + r"(?=,)", 0.7),
    ("board-chaired", "chair_of", r"(?:{o:OG}(?:'s|’s|') board|board of (?:directors of )?(?:the )?{o2:OG}|{o3:B})(?: of directors)? (?:is|has been|will be) (?:now |currently )?chaired by {s:P}", 0.85),
    ("board-joined", "board_member_of", r"{s:P}{gap2} (?:joined|joins|join|was elected to|was appointed to|sits on|sat on|will join|is joining) (?:the )?(?:board of directors of|board of|{o:OG}(?:'s|’s|') board)(?: the)?(?: {o2:OG})?", 0.8),
    ("board-joined-the", "board_member_of", r"{s:P}{gap2} (?:joined|joins|was elected to|was appointed to|sits on|will join|is joining) {o:B}", 0.7),
    ("board-member", "board_member_of", r"{s:P}{gap2} (?:remains|is|has been|became|becomes|has become|was named|was elected|was appointed|will become|will remain|is now|serves as) (?:also |still |now )?(?:a |an )?(?:member|director) (?:of|on) (?:{o:B}|{o2:OG}(?:'s|’s|') board|the board (?:of directors )?of (?:the )?{o3:OG}|the boards of (?:both )?{o4:OG+})", 0.8),
    ("board-includes", "board_member_of", r"(?:{o:B}|{o2:OG}(?:'s|’s|') board(?: of directors)?)(?:,? (?:that|which))? (?:already |also |now )?(?:includes|included|comprises|counts) (?P<s>" + _PEOPLE + ")", 0.7),
    ("founder-verb", "founder_of", r"{s:P+},?(?: who| which)?{gap2} (?:co-?)?found(?:ed|s) (?:the )?{o:OG}(?:(?: in \d{4})? (?:with|alongside|together with) {s2:P+})?", 0.85),
    ("founder-established", "founder_of", r"{s:P+},?(?: who)?{gap2} (?:co-?)?(?:established|establishes|formed|forms|set up|sets up|started|starts|created|creates|incorporated|co-created) (?:the |his |her |their |a |an )?(?:own )?" + _DESCRIPTOR + r"{0,3}?{o:OG}" + _NOT_POSS + r"(?:(?: in \d{4})? (?:with|alongside|together with) (?:(?:his |her )?(?:partner|wife|husband|brother|sister|friend)s? )?{s2:P+})?", 0.7),
    ("founder-passive", "founder_of", r"{o:OG}(?:,? (?:which|that) (?:was |is |has been )?| was | is | has been |, | )(?:co-?)?founded(?: (?!by\b)(?:[\w,-]+|@[Gg]\d+@,?)){0,6}? by (?:(?:a |an )?(?:group|team|consortium|trio|pair|number) (?:of [\w-]+ )?(?:that |which |who )?(?:included|includes|including|comprising|led by) |(?:[\w-]+ ){0,2}?(?:entrepreneurs?|engineers?|brothers|sisters|friends|students|researchers|investors|executives) )?{s:P+}", 0.85),
    # "Pathology is a band from San Diego, formed in 2006 by drummer Dave Astor", "established by its director Mr. X"
    ("founder-passive-wide", "founder_of", r"{o:OG}(?:(?:,| is| was)(?: (?:a|an|the) (?:[^@;]|@[Gg]\d+@){0,80}?)?,?| was| is| has been|,(?: which| that)(?: was| is)?)? (?:co-?)?(?:founded|formed|established|started|created|set up)(?: (?!by\b)(?:[\w,-]+|@[Gg]\d+@,?)){0,6}? by (?:(?:their|the) |@O\d+@'s )?(?:(?:[a-z][\w/-]*|@[Oo]\d+@) ){0,3}(?:(?:Mr|Mrs|Ms|Dr|Prof)\.? )?(?P<s>" + _PEOPLE + ")", 0.75),
    ("founder-possessive", "founder_of", r"{o:OG}(?:'s|’s|') (?:co-?)?founders?,? {s:P+}", 0.8),
    # --- companies among themselves
    ("acquired-verb", "acquired", r"{s:OG}{gap5} " + _ACQ_VERB + r" (?:the |a |an )?(?:(?!by )\w+ |" + _DESCRIPTOR + r"{2,3})?(?:stake-free )?" + _KIND + r"{o:OG*}" + _NOT_POSS, 0.8),
    ("acquired-agreed-to", "acquired", r"{s:OG}{gap6} (?:agreement|deal|offer|bid|plans?|proposal|intention|intends|agreed|agrees|poised|expected|moved|moves|aims?|seeks?|sought|wants?|wanted|decided|decision) to (?:acquire|buy|purchase|take over) (?:the )?" + _KIND + r"{o:OG*}" + _NOT_POSS, 0.75),
    ("acquired-noun", "acquired", r"{s:OG}{gap5} (?:its |the |a |an |their )?(?:[\w$.,%-]+ ){0,4}?" + _ACQ_NOUN + r" of (?:the )?" + _KIND + r"{o:OG*}" + _NOT_POSS, 0.8),
    ("acquired-possessive", "acquired", r"{s:OG}(?:'s|’s|') (?:[\w$.,%-]+ ){0,4}?" + _ACQ_NOUN + r" of (?:the )?" + _KIND + r"{o:OG*}" + _NOT_POSS, 0.8),
    ("acquired-possessive-was", "acquired", r"{s:OG}(?:'s|’s|') (?:[\w-]+ ){0,3}?(?:acquisition|purchase|buy) (?:was|is|has been|remains) (?:the |a |an )?" + _KIND + r"{o:OG}" + _NOT_POSS, 0.75),
    ("acquired-deal-for", "acquired", r"{s:OG}(?:'s|’s|') (?:[\w$.,%-]+ ){0,4}?(?:deal|agreement) (?:for|to buy|to acquire) (?:the )?{o:OG}" + _NOT_POSS, 0.75),
    ("acquired-control", "acquired", r"{s:OG}{gap3} (?:took|takes|take|taking|gained|gains|gain|assumed|assumes|won|wins) (?:full |complete |total |majority |outright |sole )?control of (?:the )?{o:OG}" + _NOT_POSS, 0.75),
    ("acquired-relative", "acquired", r"{o:OG}, (?:the |a |an )(?:[\w-]+ ){0,4}?(?:that |which )?{s:OG}(?: had| has)?(?: agreed to| announced it would| said it would)? (?:acquired?|bought|buy|purchased?|took over)\b", 0.7),
    ("acquired-passive", "acquired", r"{o:OG}(?:,? (?:which|that))? (?:was|is|has been|had been|will be|would be|being|were)(?: \w+)? (?:acquired|bought|purchased|taken over|snapped up) by {s:OG}", 0.85),
    ("acquired-participle", "acquired", r"{o:OG}(?:,? | \()(?:recently |later )?(?:acquired|bought|purchased|taken over) by {s:OG}", 0.75),
    ("acquired-to-be", "acquired", r"{o:OG},?{gap6} (?:agreed|agreement|agrees|deal|plans?|expected|due)(?:,?\s[^\s@]+){0,8}? to be (?:acquired|bought|purchased|taken over) by {s:OG}", 0.7),
    ("acquired-noun-by", "acquired", _ACQ_NOUN + r" of (?:the )?{o:OG} by {s:OG}", 0.8),
    ("acquired-sold-to", "acquired", r"(?:sold|sells|sell|selling) (?:its |the )?(?:[\w-]+ ){0,2}?{o:OG} (?:unit |business |division |stake )?to (?:an? (?:[\w-]+ )?(?:subsidiary|unit|affiliate) of )?{s:OG}", 0.75),
    ("acquired-assets-of", "acquired", r"{s:OG}{gap3} (?:acquired|purchased|bought|acquires|purchases|buys) (?:the |certain |all |substantially all (?:of )?the |most of the )?(?:operations|assets|business|businesses)(?: [\w,-]+){0,8}? of (?:the )?{o:OG}" + _NOT_POSS, 0.7),
    ("invested-verb", "invested_in", r"{s:OGP+}{gap5} " + _INV_VERB + r"(?: [\w$.,%-]+){0,6}? (?:in|into) (?:the )?{o:OG}" + _NOT_POSS, 0.8),
    ("invested-stake", "invested_in", r"{s:OGP+}{gap4} (?:took|takes|take|taking|bought|buys|buy|acquired|acquires|acquire|holds|hold|built|builds|raised|increased|has|owns|disclosed|discloses|revealed|reveals|reported|amassed|accumulated) (?:an? |its |a minority |a majority )?(?:[\w$.,%-]+ ){0,5}?stake(?: of(?: [\w$.,%-]+){1,4}?)? in (?:the )?{o:OG}" + _NOT_POSS, 0.8),
    ("invested-gives-stake", "invested_in", r"(?:gives|gave|give|giving|hands|handed|leaves|left) {s:OGP} (?:an? |its )?(?:[\w$.,%-]+ ){0,5}?stake in (?:the )?{o:OG}" + _NOT_POSS, 0.75),
    ("invested-led-round", "invested_in", r"{s:OGP+}{gap3} (?:led|leads|co-led|joined|participated in) (?:a |an |the )?(?:[\w$.,%-]+ ){0,6}?(?:funding|investment|financing|Series [A-Z]|seed) (?:round )?(?:in|for|of|into) {o:OG}", 0.8),
    ("invested-raised-from", "invested_in", r"{o:OG}{gap3} (?:raised|raises|secured|secures|received|receives|got|landed|closed) (?:[\w$.,%-]+ ){0,4}?(?:[\w.,-]*(?:\$|€|£|million|billion|funding|financing|investment|capital|round)[\w$.,%-]* )(?:[\w$.,%-]+ ){0,4}?(?:from|led by) (?:investors )?(?:including )?{s:OGP+}", 0.75),
    ("invested-noun", "invested_in", r"{s:OGP}(?:'s|’s|') (?:[\w$.,%-]+ ){0,4}?(?:investment|stake) in {o:OG}", 0.8),
    ("deal-pair-verb", "deal_with", r"{s:OG} (?:and|&) {o:OG}{gap4} " + _DEAL_VERB + r" (?:[\w$.,%-]+ ){0,6}?" + _DEAL_NOUN, 0.8),
    ("deal-pair-coop", "deal_with", r"{s:OG} (?:and|&) {o:OG}{gap4} (?:to |will |would |plan to |agreed to |have agreed to |announced plans to |are set to )?(?:merge|partner|team up|collaborate|cooperate|combine|join forces|form a joint venture)", 0.8),
    ("deal-pair-merger", "deal_with", r"{s:OG}(?:,| and| &) {o:OG} (?i:(?:(?:agree|agrees|agreed|set|plan|plans|in talks)(?: to)? )?(?:complete |finali[sz]e )?(?:[\w'-]+ )?(?:merger|merge)\b)", 0.7),
    ("deal-verb-with", "deal_with", r"{s:OGP}{gap6} " + _DEAL_VERB + r" (?:[\w$.,%-]+ ){0,6}?" + _DEAL_NOUN + r"(?: [\w-]+){0,3}? with (?:the )?{o:OG}", 0.8),
    ("deal-coop-with", "deal_with", r"{s:OGP}{gap8} " + _COOP_VERB + r" with (?:the )?{o:OG}", 0.65),
    ("deal-noun-between", "deal_with", _DEAL_NOUN + r" (?:between|of|by) {s:OG} (?:and|&) {o:OG}", 0.8),
    ("deal-possessive", "deal_with", r"{s:OG}(?:'s|’s|') (?:[\w$.,%-]+ ){0,3}?" + _DEAL_NOUN + r" with (?:the )?{o:OG}", 0.8),
    ("deal-under-contract", "deal_with", r"{s:OG}{gap4} under (?:a |an |the |its )?(?:[\w-]+ ){0,2}?(?:contract|agreement|deal|licen[sc]e|partnership|arrangement) with (?:the )?{o:OG}", 0.7),
    ("deal-company-willing", "deal_with", r"{o:OG} is (?:a|the|one) (?:[\w-]+ )?(?:company|firm|partner|business)(?: \w+)? (?:that|which|whom) {s:OG} (?:is|was|would be|are) (?:\w+ )?(?:willing|happy|keen|eager|ready|glad|open|pleased) to " + _COOP_VERB + " with", 0.8),
    ("launched-verb", "launched", r"{s:OGP}{gap4} " + _LAUNCH_VERB + r"(?: (?:its|a|an|the|their|his|her|new|first|latest|own|long-awaited|much-anticipated))*(?: [a-z][\w-]*){0,2}? {o:X+}", 0.8),
    ("launched-passive", "launched", r"{o:X}(?:,? (?:which|that))?(?: was| is| were| has been|,)? (?:launched|unveiled|introduced|released|developed|made|built|created|designed) by {s:OG}", 0.8),
    ("subsidiary-apposition", "subsidiary_of", r"{s:OG+},? (?:a |an |the |its |which is a |which is an |which itself is a |now a |now an |one of |two |three |four |both |all )?(?:(?!(?:to|from|by|with|for|and|or|than|into) )[\w-]+ ){0,3}?" + _SUB_NOUN + r" (?:of|owned by|under|controlled by|run by|operated by|within) (?:the )?" + _KIND + r"{o:OG}" + _NOT_POSS, 0.8),
    ("subsidiary-part-of", "subsidiary_of", r"{s:OG+}, (?:now |which is |which is now |itself |since \d{4} )?(?:a )?part of (?:the )?" + _KIND + r"{o:OG}" + _NOT_POSS + r"(?! (?:index|indices|consortium|alliance|coalition|group of)\b)", 0.7),
    ("subsidiary-parenthesis", "subsidiary_of", r"{s:OG} \((?:a |an |the )?(?:(?:wholly|majority|fully)[- ]owned )?(?:subsidiary|division|unit) of (?:the )?" + _KIND + r"{o:OG}", 0.75),
    # "GAC is a Chinese automaker headquartered in Guangzhou, and a subsidiary of X", "a daughter company of"
    ("subsidiary-described-and", "subsidiary_of", r"{s:OG}(?:,| is| was) (?:a|an|the)\b(?:[^@;]|@[Gg]\d+@){0,100}? and (?:is |was )?(?:a |an |the )?(?:[\w%-]+ ){0,3}?(?:subsidiary|division|unit|arm|daughter company) of (?:the )?" + _KIND + r"{o:OG}" + _NOT_POSS, 0.7),
    ("subsidiary-daughter", "subsidiary_of", r"{s:OG+} (?:is|was|became|has become) (?:a |an |the )?(?:[\w%-]+ ){0,2}?(?:daughter|sister-owned) (?:company|firm) of (?:the )?" + _KIND + r"{o:OG}" + _NOT_POSS, 0.7),
    ("subsidiary-copula", "subsidiary_of", r"{s:OG+} (?:is|was|are|were|became|becomes|will become|remains|has become|has been|have been|operates as|is now|are now) (?:a |an |the |now )?(?:[\w-]+ ){0,3}?(?:subsidiary|unit|division|arm|affiliate|part|business|brand|subsidiaries|units) (?:of|within|under) (?:the )?" + _KIND + r"{o:OG}" + _NOT_POSS, 0.8),
    ("subsidiary-possessive", "subsidiary_of", r"{o:OG}(?:'s|’s|') (?:[\w-]+ ){0,2}?(?:subsidiary|subsidiaries|unit|division|arm|affiliate)(?:,)? (?:[Tt]he )?{s:OG+}", 0.8),
    ("subsidiary-premodifier", "subsidiary_of", r"{o:OGo} (?:(?:wholly|majority|fully)[- ]owned )?(?:subsidiary|subsidiaries|unit|division|arm) {s:OG+}" + _NOT_POSS, 0.75),
    ("subsidiary-possessive-named", "subsidiary_of", r"{o:OG}(?:'s|’s|') {s:OGo} (?:subsidiary|unit|division|arm)\b", 0.75),
    ("subsidiary-fronted", "subsidiary_of", r"^(?:[Aa]s )?(?:[Aa]n? |[Tt]he )?(?:[\w-]+ ){0,3}?(?:subsidiary|unit|division|affiliate) of (?:the )?" + _KIND + r"{o:OG}" + _NOT_POSS + r"(?:,(?: [^\s,@]+){1,10})?, {s:OGo}(?=,| \(| [a-z])", 0.75),
    ("subsidiary-possessive-apposition", "subsidiary_of", r"{s:OG+}, (?:now )?{o:OG}(?:'s|’s|') (?:[\w-]+ ){0,3}?" + _OWNED_NOUN + r"(?=[,;.]| and\b| that\b| which\b|$)", 0.7),
    ("subsidiary-owned-by", "subsidiary_of", r"{s:OG+},? (?:which is |which was |is |are |was |now |which are )?(?:wholly |majority |fully )?(?:owned|controlled) by (?:the )?{o:OG}" + _NOT_POSS, 0.75),
    ("subsidiary-dash-owned", "subsidiary_of", r"{o:OG}-owned {s:OG}", 0.75),
    ("subsidiary-parent", "subsidiary_of", r"{s:OG}(?:'s|’s|') parent(?: company| group)?,? {o:OG}", 0.8),
    ("subsidiary-parent-of", "subsidiary_of", r"{o:OG}(?:,? (?:the |which is the )?|,? (?:is|was|became|has been|remains|is now) (?:also |now |still )?(?:the |a )?)parent(?: company| group| firm)? (?:of|for|to) {s:OG*}", 0.8),
    ("subsidiary-kind-and-parent", "subsidiary_of", r"{o:OG},? (?:is|was|remains|is now) (?:also )?(?:a |an |the )(?:[\w$.,%-]+ ){0,5}?(?:company|firm|group|conglomerate|corporation|business|operator|provider|maker) and (?:the )?parent(?: company| group| firm)? of {s:OG*}", 0.75),
    ("subsidiary-owns", "subsidiary_of", r"{o:OG}{gap2} (?:owns|also owns|operates|controls|has owned|has long owned|has since owned) {s:OG+}" + _NOT_POSS, 0.55),
    ("subsidiary-owns-relative", "subsidiary_of", r"{o:OG}, (?:the |a |an )?(?:[\w-]+ ){0,4}?(?:that|which) (?:also |now )?(?:owns|controls) {s:OG+}" + _NOT_POSS, 0.65),
]


def _slot(name: str, letters: str) -> str:
    cls = "[" + letters.rstrip("+*") + "]"
    one = rf"@{cls}\d+@"
    more = rf"(?:(?:, | and |, and | & ){one})"
    if letters.endswith("+"):
        return rf"(?P<{name}>{one}{more}*)"
    if letters.endswith("*"):
        return rf"(?P<{name}>{one}{more}+(?=[,;.:]|$| (?:for|from|in|on|at|last|this|earlier|respectively|as|with|under|after|which|that|and (?:its|their)|to (?:expand|strengthen|build|add|boost|bolster|broaden|grow|enter))\b)|{one})"
    return rf"(?P<{name}>{one})"


def _compile(template: str) -> re.Pattern:
    def sub(m: re.Match) -> str:
        body = m.group(1)
        if body.startswith("gap"):
            return rf"(?:\s[^\s@]+){{0,{int(body[3:])}}}?"
        name, letters = body.split(":")
        return _slot(name, letters)

    return re.compile(re.sub(r"\{(gap\d+|\w+:[A-Za-z]+[+*]?)\}", sub, template))


def _needs(template: str) -> frozenset[str]:
    """The placeholder letters a pattern cannot match without (a cheap pre-filter)."""
    need = set()
    slots = dict(re.findall(r"\{(\w+):([A-Za-z]+)[+*]?\}", template))
    for name in ("s", "o"):
        letters = slots.get(name, "")
        if len(letters) == 1 and not (name == "o" and "o2" in slots):
            need.add(letters)
    return frozenset(need)


_COMPILED = [(name, rel, _compile(tpl), conf, _needs(tpl)) for name, rel, tpl, conf in PATTERNS]
_SUBJECT_LETTERS = {"ROLE": "P", "acquired": "OG", "invested_in": "OGP", "deal_with": "OGP", "launched": "OGP",
                    "subsidiary_of": "OGo"}  # "o": only where a slot takes it
_OBJECT_LETTERS = {"launched": "X", "subsidiary_of": "OGo"}  # "o": only where a slot takes it
#: an apposition dropped for the second reading: not a coordinated clause ("@O1@, and now led by
#: @O2@, a subsidiary of @O3@" says nothing of @O1@'s parent)
_APPOSITION = re.compile(
    r"(@[POGX]\d+@)(?!, (?:and|or|but|nor)\b)" + _APPOS
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


def extract_facts(doc: Doc, mentions: list[Mention], article: str = "", published: date | None = None,
                  include_former: bool = False) -> list[Fact]:
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
        for f in _dependency_launches(doc, text, sent, mentions, in_sent, sent.text.strip(), sent_dates, article, published):
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


_HEADLINE_DEAL = re.compile(r"\b(?:buy|buys|bought|acquire[sd]?|acquisition|purchase[sd]?|takeover|take over|takes over|deal|"
                            r"merger|merge|bid|invest(?:s|ed|ment)?|stake|pay|pays|paid|snaps up|snapped up)\b", re.I)


def _named_in(name: str, names: list[str], text: str) -> bool:
    return any(re.search(r"(?<!\w)" + re.escape(n) + r"(?!\w)", text) for n in [name, *names] if n)


def _headline_value(facts: list[Fact], title: str) -> None:
    """A deal's price stated only in the headline ("Microsoft to buy LinkedIn for $26.2
    billion"): given to the one deal fact without a value whose two parties the headline
    names, when the headline has one amount and a word of dealing."""
    if not title or len(MONEY_RE.findall(title)) != 1 or not _HEADLINE_DEAL.search(title):
        return
    deals = [f for f in facts if f.relation in ("acquired", "invested_in", "deal_with") and not f.former
             and _named_in(f.subject, f.aliases.get("subject", []), title)
             and _named_in(f.object, f.aliases.get("object", []), title)]
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
    """"the board" of the company whose board the article last named ("Facebook's board")."""
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
    """"Google bought A in 2012 and sold B to C": the second verb with its subject put back."""
    out = []
    for tok in sent:
        if tok.dep_ != "conj" or tok.pos_ != "VERB" or tok.head.pos_ != "VERB":
            continue
        if any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
            continue
        subj = next((c for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None:
            continue
        holder = next(((i, m) for i, m in in_sent if m.start <= subj.idx < m.end and m.type in ("Organization", "Place", "Person")), None)
        if holder is None:
            continue
        start = tok.idx
        for c in tok.lefts:  # keep "instead", "also" before the verb
            start = min(start, c.idx)
        rest = [(i, m) for i, m in in_sent if m.start >= start]
        tail = _marked(text[start:sent.end_char], start, rest)
        out.append(_marked(holder[1].text, holder[1].start, [holder]) + " " + tail)
    return out


def _sentence_facts(marked, evidence, mentions, sent_dates, article, published) -> list[Fact]:
    out = []
    letters = set(_PLACEHOLDER_LETTERS.findall(marked))
    for name, rel, rx, conf, needs in _COMPILED:
        if not needs <= letters:
            continue
        for m in rx.finditer(marked):
            window = marked[max(0, m.start() - 45): m.end()]
            if is_negated(_PLACEHOLDER.sub(" ", window)):
                continue
            rels = [rel]
            title = None
            before = marked[max(0, m.start() - 25): m.start()]
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
            objects = [i for k in ("o", "o2", "o3", "o4") for i in _indices(groups.get(k), _OBJECT_LETTERS.get(rel, "OGBo"))]
            if name in _PERSON_AS_ORG:
                objects = _indices(groups.get("o"), "PX")
                rels = [r for r in rels if r in ("ceo_of", "chair_of")]  # "the director of <a film>": no
            context = _PLACEHOLDER.sub(" ", marked[max(0, m.start() - 45): m.end() + 30])
            tail = _PLACEHOLDER.sub(" ", m.group(0) + marked[m.end(): m.end() + 40])
            end = None
            if former:
                after = _PLACEHOLDER.sub(" ", marked[m.end(): m.end() + 60])
                end = end_date(after, published, left=bool(_LEFT_WORDS.search(m.group(0))))
            for r in rels:
                for si in subjects:
                    for oi in objects:
                        obj = mentions[oi]
                        if name in _PERSON_AS_ORG:
                            obj = replace(obj, type="Organization")
                        f = _make_fact(r, mentions[si], obj, m.group(0), context, tail, marked, evidence, conf, title, sent_dates, article, published, name)
                        if f is not None:
                            if former and r != "founder_of":  # a founder stays one
                                f.former, f.end = True, end
                            out.append(f)
    return out


#: a role the match itself puts in the present: "Ex-Prime Minister X, the current President of"
_NOW = re.compile(r"\b(?:current|currently|now|incumbent|still)\b")
_LEFT_WORDS = re.compile(r"\b(?:left|leaves|stepped down|steps down|resigned|resigns|retired|retires|departed|"
                         r"was ousted|was fired|quit)\b")
#: "@P1@, who succeeded @P2@ as chairman", "@P1@ ... , replacing @P2@": the second held the role before
_SUCCESSION = re.compile(
    r"@P(\d+)@(?:(?:,? (?:who |which )?(?:has |had )?(?:succeeded|succeeds|replaced|replaces|took over from|takes over from|"
    r"has taken over from))|(?:[^@;]{0,120}?@[OG]\d+@[^@;]{0,40}?,? (?:replacing|succeeding|taking over from|"
    r"who (?:replaced|replaces|succeeded|succeeds|took over from|takes over from))))"
    r" @P(\d+)@(?P<rest>(?:,? (?:who|as) [^@;]{0,80})?)")


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
        end = end_date(rest + marked[m.end(): m.end() + 40], published, left=True) if titled else None
        for f in list(found.values()):
            if f.subject != new.canonical or f.relation not in _PERSON_RELATIONS or f.former:
                continue
            if f.relation in ("founder_of", "works_for") or (wanted is not None and f.relation not in wanted):
                continue
            if old.canonical == f.object or old.canonical == f.subject:
                continue
            out.append(Fact(article=f.article, subject=old.canonical, subject_type="Person", relation=f.relation,
                            object=f.object, object_type=f.object_type, evidence=f.evidence,
                            confidence=max(0.05, f.confidence - 0.1), date=f.date, title=f.title,
                            pattern="succession", former=True, end=end or (f.date if f.dated else None),
                            surface={"subject": {old.text}, "object": set(f.surface.get("object", set()))},
                            spans=[((old.start, old.end), s[1]) for s in f.spans]))
    return out


_PLACEHOLDER_LETTERS = re.compile(r"@([POXGBogpx])\d+@")
#: patterns whose roles are over ("was the CFO of", "worked for")
_PAST_PATTERNS = {"role-past", "role-past-relative", "role-worked-for", "role-left-as", "role-left-as-possessive",
                  "board-left", "role-headed", "role-former-premodifier"}
#: patterns whose object slot takes a name tagged a person or a product that the words show is a company
_PERSON_AS_ORG = {"role-named-its", "role-apposition-p"}


def _dependency_launches(doc, text, sent, mentions, in_sent, evidence, sent_dates, article, published) -> list[Fact]:
    """A product as (coordinated) object of a launch verb whose subject is a company."""
    out = []
    for i, m in in_sent:
        if m.type != "Product":
            continue
        span = doc.char_span(m.start, m.end)
        if span is None:
            continue
        tok = span.root
        while tok.dep_ in ("conj", "compound", "nmod", "flat") and tok.head.i != tok.i:
            tok = tok.head
        verb = tok.head
        if tok.dep_ not in ("dobj", "obj") or verb.lower_ not in LAUNCH_VERBS or verb.dep_ in ("xcomp", "ccomp", "advcl", "relcl", "acl"):
            continue
        if _undone(verb, text, sent):
            continue
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subj is None and verb.dep_ == "conj":
            subj = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
        if subj is None:
            continue
        owner = next((j for j, s in in_sent if s.start <= subj.idx < s.end and s.type in ("Organization", "Place") and not s.modifier), None)
        if owner is None:
            continue
        words = text[min(subj.idx, m.start): max(m.end, verb.idx + len(verb))]
        f = _make_fact("launched", mentions[owner], m, words, words, words, words, evidence, 0.8, None, sent_dates, article, published, "launched-dep")
        if f is not None:
            out.append(f)
    return out


def _undone(verb, text: str, sent, words: bool = True) -> bool:
    """A verb that states no fact: after "will", "to", "not" ... or (``words``) negated by
    the words before it ("denied it had launched")."""
    if any(c.dep_ in ("aux", "neg") and c.lower_ in _NOT_DONE for c in verb.children):
        return True
    return words and is_negated(text[max(sent.start_char, verb.idx - 45): verb.idx + len(verb)])


def _offer_facts(offers: list[Offer], text, sent, mentions, in_sent, evidence, sent_dates, article, published) -> list[Fact]:
    """ "HP develops printers", "Amphenol, a manufacturer of ...": a company and what it
    makes, sells or provides (:mod:`graph.extract.products`)."""
    out = []
    for offer in offers:
        if not sent.start <= offer.trigger.i < sent.end:
            continue
        product = next((j for j, m in in_sent if m.type == "Product" and m.start <= offer.product.root.idx < m.end), None)
        maker = next((j for j, m in in_sent if m.start <= offer.maker.idx < m.end and m.type == "Organization"
                      and not m.modifier), None)
        if product is None or maker is None:
            continue
        trigger = offer.trigger
        if _undone(trigger, text, sent, words=trigger.pos_ != "NOUN"):
            continue
        lo = min(offer.maker.idx, offer.product.start_char, trigger.idx)
        hi = max(offer.maker.idx + len(offer.maker), offer.product.end_char, trigger.idx + len(trigger))
        words = text[lo:hi]
        conf = 0.65 if mentions[product].via == "phrase" else 0.75  # a common noun phrase, or a name
        f = _make_fact("offers", mentions[maker], mentions[product], words, words, words, words, evidence, conf,
                       None, sent_dates, article, published, "offers-parse")
        if f is not None:
            out.append(f)
    return out


_IN_FORCE = re.compile(r"\b(?:signed|struck|reached|inked|sealed|entered into|under (?:a|an|the|its) (?:[\w-]+ )?(?:contract|agreement|licen[sc]e))\b")
#: titles only a company has: the name after them is a company even if tagged a place ("CEO of Flex")
_CORPORATE_TITLE = re.compile(r"\b(?:CEO|CFO|COO|CTO|CIO|CMO|[Cc]hief (?![Ee]xecutive\b)\w+ [Oo]fficer|[Mm]anaging [Dd]irector|"
                              r"[Gg]eneral [Mm]anager)\b")
_NOT_DONE = {"will", "would", "could", "may", "might", "should", "to", "not", "n't", "never", "'ll", "wo", "can"}


def _make_fact(rel, subj: Mention, obj: Mention, match_text, context, tail, marked, evidence, conf, title, sent_dates, article, published, name) -> Fact | None:
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
        article=article, subject=subj.canonical, subject_type=s_type, relation=rel,
        object=obj.canonical, object_type=o_type, evidence=evidence,
        confidence=max(0.05, min(0.99, conf)), date=published.isoformat() if published else None,
        title=title if rel in _PERSON_RELATIONS else None,
        pattern=name, surface={"subject": {subj.text}, "object": {obj.text}},
        spans=[((subj.start, subj.end), (obj.start, obj.end))],
    )
    if rel in ("acquired", "invested_in", "deal_with"):
        fact.deal_type = deal_type_of(rel, match_text)
        fact.status = deal_status(context, rel)
        if rel == "deal_with" and fact.status == "announced" and _IN_FORCE.search(match_text):
            fact.status = "completed"
        event_date = _event_date(sent_dates, published, tail)
        fact.date, fact.dated = event_date or fact.date, event_date is not None
        if fact.status == "announced" and event_date and published and int(event_date[:4]) < published.year:
            fact.status = "completed"  # agreed in an earlier year, told as history: "its deal for Skype in 2011"
        money = parse_money(_PLACEHOLDER.sub(" ", marked))
        if money and MONEY_RE.search(tail):
            fact.value, fact.currency = parse_money(tail) or money
    elif rel == "launched":
        event_date = _event_date(sent_dates, published, tail)
        fact.date, fact.dated = event_date or fact.date, event_date is not None
    return fact


def _event_date(sent_dates: list[str], published: date | None, near: str = "") -> str | None:
    """The most precise date the sentence gives ("on Monday" beats "a 2014 ranking"),
    preferring the dates next to the match."""
    close = [t for t in sent_dates if t in near] or sent_dates
    resolved = [d for d in (resolve_date(t, published) for t in close) if d]
    return max(resolved, key=len, default=None)


def _map_people_to_companies(facts: list[Fact]) -> list[Fact]:
    """"Jack Ma ... intends to work with Apple": a leader's deal is his company's.

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


def _merge(facts: list[Fact]) -> list[Fact]:
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


def _aliases(mentions: list[Mention]) -> dict[str, list[str]]:
    out: dict[str, set[str]] = {}
    for m in mentions:
        if m.via in ("pronoun", "nominal"):
            continue
        out.setdefault(m.canonical, set()).add(m.text)
    return {k: sorted(v - {k}) for k, v in out.items()}
