"""Job titles and the regular-expression pieces the relation patterns are built from.

:func:`roles_of_title` turns a title ("co-founder and chief executive") into the relations it
implies; :func:`deal_type_of` names a deal's kind from the words of its match. The pieces
(``_ACQ_VERB``, ``_TITLE``, ``_KIND`` ...) are shared by :mod:`graph.extract.patterns`.

>>> roles_of_title("co-founder and chief executive")
['founder_of', 'ceo_of']
"""

from __future__ import annotations

import re

from graph.extract.details import is_former

__all__ = ["roles_of_title", "deal_type_of"]


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
    (
        "board_member_of",
        re.compile(
            r"\bboard member\b|\bmember of the board\b|\b(?:non-executive|independent|outside) director\b|\bdirector on the board\b|\bvice[- ]chair(?:man|woman)?\b",
            re.I,
        ),
    ),
    (
        "executive_of",
        re.compile(
            r"\b(?:president|vice[- ]president|VP|SVP|EVP|CFO|COO|CTO|CMO|CIO|CSO|CPO|chief [\w-]+ officer|"
            r"chief (?:[\w-]+ )?(?:strategist|scientist|economist|architect|engineer|designer)|head of|general counsel|treasurer|"
            r"managing director|executive director|general manager|executive|director of|"
            r"head(?! (?:coach|chef|nurse|teacher|waiter|of state))|chief)\b",
            re.I,
        ),
    ),
    (
        "works_for",
        re.compile(
            r"\b(?:engineer|analyst|spokes(?:man|woman|person)|manager|scientist|researcher|economist|"
            r"employee|editor|designer|developer|lawyer|strategist|reporter|worker|staffer|consultant|"
            r"advis[oe]r|official|director|programmer|trader|banker|partner|architect|lead|head|professor|lecturer|"
            r"instructor|teacher|curator|physician|surgeon|scholar|physicist|chemist|biologist|mathematician|"
            r"journalist|columnist|correspondent)s?\b",
            re.I,
        ),
    ),
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
_ROLE_HEAD = (
    r"(?:CEO|CFO|COO|CTO|CMO|CIO|chief executive(?: officer)?|chief [a-z]+ officer|chair(?:man|woman|person)?|"
    r"co-chair(?:man|woman)?|president|founder|co-founder|cofounder|director|director-general|"
    r"managing director|general manager|head|boss|spokes(?:man|woman|person)|executive|manager|"
    r"editor|analyst|engineer|economist|strategist|partner|general counsel|treasurer|secretary)"
)
_TITLE_MOD = r"(?i:senior|executive|deputy|vice|assistant|associate|interim|acting|founding|editorial|chief|general|global|regional|former|then-|co-|lead|principal|managing|technical|creative|financial|operating|marketing|product|research|sales)"
# "Apple chief executive Tim Cook": modifiers and a head word of a job title only
_TITLE_NC = (
    r"(?P<t>(?:"
    + _TITLE_MOD
    + r" ){0,4}(?i:"
    + _ROLE_HEAD
    + r")(?:(?:,|,? and|,? &) (?:"
    + _TITLE_MOD
    + r" ){0,4}(?i:"
    + _ROLE_HEAD
    + r")){0,3})"
)  # "Founder and Chairman", "President, CEO and Director"
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
_KIND = (
    r"(?:@[Gg]\d+@(?:'s|’s) )?"
    + _BASED
    + r"(?:(?:[A-Z][a-z]+ )?(?:[a-z][\w-]* ){0,2}(?:maker|manufacturer|giant|company|firm|group|"
    r"provider|operator|retailer|conglomerate|producer|developer|bank|insurer|lender|carrier) )?"
)
