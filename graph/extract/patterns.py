"""The table of relation patterns (:data:`PATTERNS`) and its compiled form.

Each pattern is matched against a sentence rewritten with placeholders for its mentions
(see :mod:`graph.extract.relations`): ``{s:P}`` is the subject slot taking a person, ``{o:OG}``
the object slot taking an organisation or a place, and so on.

>>> all(len(p) == 4 for p in PATTERNS)
True
"""

from __future__ import annotations

from graph.extract.templates import compile_patterns
from graph.extract.titles import (
    _ACQ_NOUN,
    _ACQ_VERB,
    _COOP_VERB,
    _DEAL_NOUN,
    _DEAL_VERB,
    _DESCRIPTOR,
    _INV_VERB,
    _KIND,
    _LAUNCH_VERB,
    _NAMED_END,
    _NOT_POSS,
    _OWNED_NOUN,
    _PEOPLE,
    _SUB_NOUN,
    _TITLE,
    _TITLE_END,
    _TITLE_NC,
)

__all__ = ["PATTERNS"]

#: the kind of firm named before its name: "a partner at the law firm Baker McKenzie"
_FIRM = r"(?:(?:law|investment|consulting|accounting|private equity|venture capital|asset management|advertising|PR) (?:firm|bank|company|group|agency) )?"

# (name, relation or "ROLE", template, confidence); a slot {s:OG} takes one mention of those
# types, {s:OG+} a list of them, {o:OG*} a list only where the clause ends after it ("bought A,
# B and C in 2019"; not "bought A and B sold C"), else one

PATTERNS: list[tuple[str, str, str, float]] = [
    # --- people and their roles
    (
        "role-apposition",
        "ROLE",
        r"{s:P}, (?:the |who is (?:the |also )?|now (?:the )?|also (?:the )?|its |a |an )?"
        + _TITLE
        + r",? (?:of|at|for|with) (?:[Tt]he |both )?{o:OG+}"
        + _NOT_POSS,
        0.9,
    ),
    ("role-possessive-apposition", "ROLE", r"{s:P}, (?:the )?{o:OG}(?:'s|’s|') " + _TITLE + _TITLE_END, 0.9),
    ("role-premodifier", "ROLE", r"{o:OGo}(?:'s|’s|')? " + _TITLE_NC + r",? {s:P}", 0.85),
    # "Ann Lee, a Velotex spokeswoman, said": the company as the title's modifier, in an apposition
    ("role-apposition-modifier", "ROLE", r"{s:P}, (?:a |an |the )?{o:OGo} " + _TITLE_NC + _TITLE_END, 0.85),
    (
        "role-copula",
        "ROLE",
        r"{s:P},? (?:who )?(?:(?:has been |was )?promoted to|is|has been|serves as|has served as|will serve as|became|becomes|has become|will become|remains|was named|has been named|was appointed|was elected|is now) (?:also |now )?(?:the |its |a |an )?(?:new )?"
        + _TITLE
        + r" (?:of|at|for) (?:[Tt]he |both )?"
        + _FIRM
        + r"{o:OG+}"
        + _NOT_POSS,
        0.8,
    ),
    # "X is an American businessman who is the CEO of Y" (and "who was": a past role)
    (
        "role-relative",
        "ROLE",
        r"{s:P} (?:is|was) (?:a|an|the) (?:[\w-]+ ){1,6}?who (?:is|has been|serves as|became|is now|remains) (?:also |now |currently )?(?:the |its |a |an )?"
        + _TITLE
        + r" (?:of|at|for) (?:[Tt]he |both )?{o:OG+}"
        + _NOT_POSS,
        0.75,
    ),
    (
        "role-past-relative",
        "ROLE",
        r"{s:P} (?:is|was) (?:a|an|the) (?:[\w-]+ ){1,6}?who (?:was|had been|served as|worked as) (?:also )?(?:the |its |a |an )?"
        + _TITLE
        + r" (?:of|at|for) (?:[Tt]he |both )?{o:OG+}"
        + _NOT_POSS,
        0.7,
    ),
    # a role in the past: kept as status "former" (benchmarks only, see extract_facts)
    (
        "role-past",
        "ROLE",
        r"{s:P},? (?:who )?(?:had )?(?:previously |formerly |also |most recently |then |later |once )?(?:served as|worked as|was|had been) (?:also )?(?:the |its |a |an |their )?"
        + _TITLE
        + r" (?:of|at|for|with) (?:[Tt]he )?{o:OG}"
        + _NOT_POSS,
        0.7,
    ),
    (
        "role-copula-possessive",
        "ROLE",
        r"{s:P},? (?:who )?(?:is|has been|serves as|became|becomes|has become|will become|remains|was named|has been named|was appointed|was elected|is now) (?:also |now )?{o:OG}(?:'s|’s|') (?:new )?"
        + _TITLE
        + _TITLE_END,
        0.8,
    ),
    (
        "role-named",
        "ROLE",
        r"{o:OG}{gap3} (?:named|names|appointed|appoints|hired|hires|promoted|promotes|tapped|taps|picked|picks|elected|elects) {s:P}(?: as| to be| to)? (?:its |@O\d+@(?:'s|’s) |the |a |an )?(?:new )?"
        + _TITLE
        + _NAMED_END,
        0.8,
    ),
    # the same with the company tagged a person: "its" says it is one ("Velotex named Ann Lee as its new CEO")
    (
        "role-named-its",
        "ROLE",
        r"{o:PX}{gap3} (?:named|names|appointed|appoints|hired|hires|promoted|promotes|tapped|taps|picked|picks|elected|elects) {s:P}(?: as| to be| to) (?:its|@O\d+@(?:'s|’s)) (?:new )?"
        + _TITLE
        + _NAMED_END,
        0.7,
    ),
    (
        "role-joined-as",
        "ROLE",
        r"{s:P} (?:joined|joins|rejoined) {o:OG}(?: in (?:[A-Z][a-z]+ )?\d{4})? as (?:its |the |a |an )?(?:new )?"
        + _TITLE
        + _NAMED_END,
        0.75,
    ),
    # "Ann Lee returned as chief executive of Velotex", "returned to Velotex as its chief executive"
    (
        "role-returned-as",
        "ROLE",
        r"{s:P},?(?: who)?{gap2} (?:returned|returns|has returned|is returning|came back|comes back|was reinstated|is reinstated)(?: to {o:OG})? as (?:its |the )?(?:new |interim )?"
        + _TITLE
        + r"(?: (?:of|at) (?:[Tt]he )?{o2:OG})?"
        + _NOT_POSS
        + _NAMED_END,
        0.75,
    ),
    # a role left: "stepped down as chief executive of Velotex in 2019" (a past role, see _PAST_PATTERNS)
    (
        "role-left-as",
        "ROLE",
        r"{s:P},?(?: who)?{gap3} (?:stepped down|steps down|resigned|resigns|retired|retires|was ousted|was fired|was replaced|departed|left|quit) as (?:the |its )?"
        + _TITLE
        + r" (?:of|at) (?:[Tt]he )?{o:OG}"
        + _NOT_POSS,
        0.75,
    ),
    (
        "role-left-as-possessive",
        "ROLE",
        r"{s:P},?(?: who)?{gap3} (?:stepped down|steps down|resigned|resigns|retired|retires|was ousted|was fired|was replaced|departed|left|quit) as {o:OG}(?:'s|’s|') "
        + _TITLE
        + _TITLE_END,
        0.75,
    ),
    (
        "board-left",
        "board_member_of",
        r"{s:P},?(?: who)?{gap3} (?:left|leaves|quit|quits|resigned from|resigns from|stepped down from|steps down from|departed) (?:the )?(?:board of (?:directors of )?(?:the )?{o:OG}|{o2:OG}(?:'s|’s|') board|{o3:B})",
        0.75,
    ),
    # "Before joining Velotex in 2015, Ann Lee worked at Hooli": she works at Velotex now
    # "Ann Lee, the former chief executive who built Velotex into a global chain, ..."
    (
        "role-apposition-who",
        "ROLE",
        r"{s:P}, (?:the |its )?"
        + _TITLE_NC
        + r" who (?:built|led|ran|turned|transformed|grew|headed|steered|guided|rescued|revived|took) {o:OG}"
        + _NOT_POSS,
        0.7,
    ),
    # "Ann Lee, OpenAI's chief scientist, is a former Google researcher", "an engineer at X and a former Y professor"
    (
        "role-former-premodifier",
        "ROLE",
        r"{s:P}(?:,| is| was| who is| who was)(?: (?:a|an|the) (?:[^@;,]|@[OGog]\d+@){0,50}? and)? (?:a |an )?(?:former|onetime|one-time|ex-) ?{o:OGo} (?P<t>(?:[a-z][\w-]* ){0,2}[a-z][\w-]*)(?=[,;.]| and\b| who\b| at\b| in\b|$)",
        0.7,
    ),
    (
        "role-before-joining",
        "works_for",
        r"^(?:[Bb]efore|[Pp]rior to) (?:joining|she joined|he joined) {o:OG}(?: in (?:[A-Z][a-z]+ )?\d{4})?, {s:P}",
        0.6,
    ),
    # "Ann Lee headed Velotex from 1990 to 2001" (past), "has headed Velotex since 2019"
    (
        "role-headed",
        "ceo_of",
        r"{s:P},?(?: who)?{gap2} (?:headed|ran) (?:the )?{o:OG}"
        + _NOT_POSS
        + r"(?! (?:division|unit|team|department|office|campaign|operations|business)\b)",
        0.55,
    ),
    (
        "role-has-headed",
        "ceo_of",
        r"{s:P},?(?: who)?{gap2} (?:has headed|has led|has run|has been heading|has been running|has been leading) (?:the )?{o:OG}"
        + _NOT_POSS
        + r"(?! (?:division|unit|team|department|office|campaign|operations|business)\b)",
        0.6,
    ),
    # "Apple's Tim Cook", "Alibaba's Jack Ma": someone of the company (a company only, not "Britain's")
    ("role-possessive-person", "works_for", r"{o:O}(?:'s|’s) {s:P}(?! and\b)" + _NOT_POSS, 0.6),
    (
        "role-works-for",
        "works_for",
        r"{s:P},?(?: who)?{gap2} (?:works|is working|has worked|has been working) (?:[a-z]+ ){0,3}?(?:for|at) (?:[Tt]he )?{o:OG+}"
        + _NOT_POSS,
        0.7,
    ),
    (
        "role-worked-for",
        "works_for",
        r"{s:P},?(?: who)?{gap2} (?:worked|had worked|was working) (?:[a-z]+ ){0,3}?(?:for|at) (?:[Tt]he )?{o:OG+}"
        + _NOT_POSS,
        0.65,
    ),
    # "was hired by Velotex in 2005", "spent ten years at Velotex" (a past role), "has spent a decade at"
    (
        "role-hired-by",
        "works_for",
        r"{s:P},?(?: who)?{gap2} (?:was|has been|had been|is|were) (?:hired|recruited|poached|headhunted) by (?:the )?{o:OG}"
        + _NOT_POSS,
        0.7,
    ),
    (
        "role-spent-years",
        "works_for",
        r"{s:P},?(?: who)?{gap2} (?:spent|had spent) (?:[\w-]+ ){1,3}?(?:years?|decades?) (?:working )?(?:at|with|for) (?:the )?{o:OG}"
        + _NOT_POSS,
        0.6,
    ),
    (
        "role-has-spent-years",
        "works_for",
        r"{s:P},?(?: who)?{gap2} has spent (?:[\w-]+ ){1,3}?(?:years?|decades?) (?:working )?(?:at|with|for) (?:the )?{o:OG}"
        + _NOT_POSS,
        0.6,
    ),
    (
        "role-employed-by",
        "works_for",
        r"{s:P},?(?: who)?{gap2} (?:is|was|has been|had been|is currently) (?:currently )?employed (?:as (?:an? |the )?(?:[\w-]+ ){1,4}?)?(?:by|at|with) (?:the )?{o:OG}"
        + _NOT_POSS,
        0.75,
    ),
    ("role-leads", "ceo_of", r"{s:P},? (?:who |which )?(?:leads|runs|heads) {o:OG}" + _NOT_POSS, 0.55),
    (
        "role-led-by",
        "ceo_of",
        r"{o:OG}(?:,? (?:which|that))? (?:is|are|has been|is now) (?:now |currently |still )?(?:led|run|headed) by {s:P}",
        0.6,
    ),
    (
        "role-led-by-participle",
        "ceo_of",
        r"{o:OG}, (?:now |currently |still )?(?:led|run|headed) by {s:P}" + _NOT_POSS + r"(?=[,;.]|$)",
        0.55,
    ),
    # a person's company tagged as a person or a product: "Ann Lee, the chief executive of Velotex, said"
    # (strong titles only)
    ("role-apposition-p", "ROLE", r"{s:P}, (?:the |its )" + _TITLE + r" of {o:PX}" + _NOT_POSS + r"(?=,)", 0.7),
    (
        "board-chaired",
        "chair_of",
        r"(?:{o:OG}(?:'s|’s|') board|board of (?:directors of )?(?:the )?{o2:OG}|{o3:B})(?: of directors)? (?:is|has been|will be) (?:now |currently )?chaired by {s:P}",
        0.85,
    ),
    (
        "board-joined",
        "board_member_of",
        r"{s:P}{gap2} (?:joined|joins|join|was elected to|was appointed to|sits on|sat on|will join|is joining) (?:the )?(?:board of directors of|board of|{o:OG}(?:'s|’s|') board)(?: the)?(?: {o2:OG})?",
        0.8,
    ),
    (
        "board-joined-the",
        "board_member_of",
        r"{s:P}{gap2} (?:joined|joins|was elected to|was appointed to|sits on|will join|is joining) {o:B}",
        0.7,
    ),
    (
        "board-member",
        "board_member_of",
        r"{s:P}{gap2} (?:remains|is|has been|became|becomes|has become|was named|was elected|was appointed|will become|will remain|is now|serves as) (?:also |still |now )?(?:a |an )?(?:member|director) (?:of|on) (?:{o:B}|{o2:OG}(?:'s|’s|') board|the board (?:of directors )?of (?:the )?{o3:OG}|the boards of (?:both )?{o4:OG+})",
        0.8,
    ),
    (
        "board-includes",
        "board_member_of",
        r"(?:{o:B}|{o2:OG}(?:'s|’s|') board(?: of directors)?)(?:,? (?:that|which))? (?:already |also |now )?(?:includes|included|comprises|counts) (?P<s>"
        + _PEOPLE
        + ")",
        0.7,
    ),
    (
        "founder-verb",
        "founder_of",
        r"{s:P+},?(?: who| which)?{gap2} (?:co-?)?found(?:ed|s) (?:the )?{o:OG}(?:(?: in \d{4})? (?:with|alongside|together with) {s2:P+})?",
        0.85,
    ),
    (
        "founder-established",
        "founder_of",
        r"{s:P+},?(?: who)?{gap2} (?:co-?)?(?:established|establishes|formed|forms|set up|sets up|started|starts|created|creates|incorporated|co-created) (?:the |his |her |their |a |an )?(?:own )?"
        + _DESCRIPTOR
        + r"{0,3}?{o:OG}"
        + _NOT_POSS
        + r"(?:(?: in \d{4})? (?:with|alongside|together with) (?:(?:his |her )?(?:partner|wife|husband|brother|sister|friend)s? )?{s2:P+})?",
        0.7,
    ),
    (
        "founder-passive",
        "founder_of",
        r"{o:OG}(?:,? (?:which|that) (?:was |is |has been )?| was | is | has been |, | )(?:co-?)?founded(?: (?!by\b)(?:[\w,-]+|@[Gg]\d+@,?)){0,6}? by (?:(?:a |an )?(?:group|team|consortium|trio|pair|number) (?:of [\w-]+ )?(?:that |which |who )?(?:included|includes|including|comprising|led by) |(?:[\w-]+ ){0,2}?(?:entrepreneurs?|engineers?|brothers|sisters|friends|students|researchers|investors|executives) )?{s:P+}",
        0.85,
    ),
    # "Pathology is a band from San Diego, formed in 2006 by drummer Dave Astor", "established by its director Mr. X"
    (
        "founder-passive-wide",
        "founder_of",
        r"{o:OG}(?:(?:,| is| was)(?: (?:a|an|the) (?:[^@;]|@[Gg]\d+@){0,80}?)?,?| was| is| has been|,(?: which| that)(?: was| is)?)? (?:co-?)?(?:founded|formed|established|started|created|set up)(?: (?!by\b)(?:[\w,-]+|@[Gg]\d+@,?)){0,6}? by (?:(?:their|the) |@O\d+@'s )?(?:(?:[a-z][\w/-]*|@[Oo]\d+@) ){0,3}(?:(?:Mr|Mrs|Ms|Dr|Prof)\.? )?(?P<s>"
        + _PEOPLE
        + ")",
        0.75,
    ),
    ("founder-possessive", "founder_of", r"{o:OG}(?:'s|’s|') (?:co-?)?founders?,? {s:P+}", 0.8),
    # --- companies among themselves
    (
        "acquired-verb",
        "acquired",
        r"{s:OG}{gap5} "
        + _ACQ_VERB
        + r" (?:the |a |an )?(?:(?!by )\w+ |"
        + _DESCRIPTOR
        + r"{2,3})?(?:stake-free )?"
        + _KIND
        + r"{o:OG*}"
        + _NOT_POSS,
        0.8,
    ),
    (
        "acquired-agreed-to",
        "acquired",
        r"{s:OG}{gap6} (?:agreement|deal|offer|bid|plans?|proposal|intention|intends|agreed|agrees|poised|expected|moved|moves|aims?|seeks?|sought|wants?|wanted|decided|decision) to (?:acquire|buy|purchase|take over) (?:the )?"
        + _KIND
        + r"{o:OG*}"
        + _NOT_POSS,
        0.75,
    ),
    (
        "acquired-noun",
        "acquired",
        r"{s:OG}{gap5} (?:its |the |a |an |their )?(?:[\w$.,%-]+ ){0,4}?"
        + _ACQ_NOUN
        + r" of (?:the )?"
        + _KIND
        + r"{o:OG*}"
        + _NOT_POSS,
        0.8,
    ),
    (
        "acquired-possessive",
        "acquired",
        r"{s:OG}(?:'s|’s|') (?:[\w$.,%-]+ ){0,4}?" + _ACQ_NOUN + r" of (?:the )?" + _KIND + r"{o:OG*}" + _NOT_POSS,
        0.8,
    ),
    (
        "acquired-possessive-was",
        "acquired",
        r"{s:OG}(?:'s|’s|') (?:[\w-]+ ){0,3}?(?:acquisition|purchase|buy) (?:was|is|has been|remains) (?:the |a |an )?"
        + _KIND
        + r"{o:OG}"
        + _NOT_POSS,
        0.75,
    ),
    (
        "acquired-deal-for",
        "acquired",
        r"{s:OG}(?:'s|’s|') (?:[\w$.,%-]+ ){0,4}?(?:deal|agreement) (?:for|to buy|to acquire) (?:the )?{o:OG}"
        + _NOT_POSS,
        0.75,
    ),
    (
        "acquired-control",
        "acquired",
        r"{s:OG}{gap3} (?:took|takes|take|taking|gained|gains|gain|assumed|assumes|won|wins) (?:full |complete |total |majority |outright |sole )?control of (?:the )?{o:OG}"
        + _NOT_POSS,
        0.75,
    ),
    (
        "acquired-relative",
        "acquired",
        r"{o:OG}, (?:the |a |an )(?:[\w-]+ ){0,4}?(?:that |which )?{s:OG}(?: had| has)?(?: agreed to| announced it would| said it would)? (?:acquired?|bought|buy|purchased?|took over)\b",
        0.7,
    ),
    (
        "acquired-passive",
        "acquired",
        r"{o:OG}(?:,? (?:which|that))? (?:was|is|has been|had been|will be|would be|being|were)(?: \w+)? (?:acquired|bought|purchased|taken over|snapped up) by {s:OG}",
        0.85,
    ),
    (
        "acquired-participle",
        "acquired",
        r"{o:OG}(?:,? | \()(?:recently |later )?(?:acquired|bought|purchased|taken over) by {s:OG}",
        0.75,
    ),
    (
        "acquired-to-be",
        "acquired",
        r"{o:OG},?{gap6} (?:agreed|agreement|agrees|deal|plans?|expected|due)(?:,?\s[^\s@]+){0,8}? to be (?:acquired|bought|purchased|taken over) by {s:OG}",
        0.7,
    ),
    ("acquired-noun-by", "acquired", _ACQ_NOUN + r" of (?:the )?{o:OG} by {s:OG}", 0.8),
    (
        "acquired-sold-to",
        "acquired",
        r"(?:sold|sells|sell|selling) (?:its |the )?(?:[\w-]+ ){0,2}?{o:OG} (?:unit |business |division |stake )?to (?:an? (?:[\w-]+ )?(?:subsidiary|unit|affiliate) of )?{s:OG}",
        0.75,
    ),
    (
        "acquired-assets-of",
        "acquired",
        r"{s:OG}{gap3} (?:acquired|purchased|bought|acquires|purchases|buys) (?:the |certain |all |substantially all (?:of )?the |most of the )?(?:operations|assets|business|businesses)(?: [\w,-]+){0,8}? of (?:the )?{o:OG}"
        + _NOT_POSS,
        0.7,
    ),
    (
        "invested-verb",
        "invested_in",
        r"{s:OGP+}{gap5} " + _INV_VERB + r"(?: [\w$.,%-]+){0,6}? (?:in|into) (?:the )?{o:OG}" + _NOT_POSS,
        0.8,
    ),
    (
        "invested-stake",
        "invested_in",
        r"{s:OGP+}{gap4} (?:took|takes|take|taking|bought|buys|buy|acquired|acquires|acquire|holds|hold|built|builds|raised|increased|has|owns|disclosed|discloses|revealed|reveals|reported|amassed|accumulated) (?:an? |its |a minority |a majority )?(?:[\w$.,%-]+ ){0,5}?stake(?: of(?: [\w$.,%-]+){1,4}?)? in (?:the )?{o:OG}"
        + _NOT_POSS,
        0.8,
    ),
    (
        "invested-gives-stake",
        "invested_in",
        r"(?:gives|gave|give|giving|hands|handed|leaves|left) {s:OGP} (?:an? |its )?(?:[\w$.,%-]+ ){0,5}?stake in (?:the )?{o:OG}"
        + _NOT_POSS,
        0.75,
    ),
    (
        "invested-led-round",
        "invested_in",
        r"{s:OGP+}{gap3} (?:led|leads|co-led|joined|participated in) (?:a |an |the )?(?:[\w$.,%-]+ ){0,6}?(?:funding|investment|financing|Series [A-Z]|seed) (?:round )?(?:in|for|of|into) {o:OG}",
        0.8,
    ),
    (
        "invested-raised-from",
        "invested_in",
        r"{o:OG}{gap3} (?:raised|raises|secured|secures|received|receives|got|landed|closed) (?:[\w$.,%-]+ ){0,4}?(?:[\w.,-]*(?:\$|€|£|million|billion|funding|financing|investment|capital|round)[\w$.,%-]* )(?:[\w$.,%-]+ ){0,4}?(?:from|led by) (?:investors )?(?:including )?{s:OGP+}",
        0.75,
    ),
    ("invested-noun", "invested_in", r"{s:OGP}(?:'s|’s|') (?:[\w$.,%-]+ ){0,4}?(?:investment|stake) in {o:OG}", 0.8),
    (
        "deal-pair-verb",
        "deal_with",
        r"{s:OG} (?:and|&) {o:OG}{gap4} " + _DEAL_VERB + r" (?:[\w$.,%-]+ ){0,6}?" + _DEAL_NOUN,
        0.8,
    ),
    (
        "deal-pair-coop",
        "deal_with",
        r"{s:OG} (?:and|&) {o:OG}{gap4} (?:to |will |would |plan to |agreed to |have agreed to |announced plans to |are set to )?(?:merge|partner|team up|collaborate|cooperate|combine|join forces|form a joint venture)",
        0.8,
    ),
    (
        "deal-pair-merger",
        "deal_with",
        r"{s:OG}(?:,| and| &) {o:OG} (?i:(?:(?:agree|agrees|agreed|set|plan|plans|in talks)(?: to)? )?(?:complete |finali[sz]e )?(?:[\w'-]+ )?(?:merger|merge)\b)",
        0.7,
    ),
    (
        "deal-verb-with",
        "deal_with",
        r"{s:OGP}{gap6} "
        + _DEAL_VERB
        + r" (?:[\w$.,%-]+ ){0,6}?"
        + _DEAL_NOUN
        + r"(?: [\w-]+){0,3}? with (?:the )?{o:OG}",
        0.8,
    ),
    ("deal-coop-with", "deal_with", r"{s:OGP}{gap8} " + _COOP_VERB + r" with (?:the )?{o:OG}", 0.65),
    ("deal-noun-between", "deal_with", _DEAL_NOUN + r" (?:between|of|by) {s:OG} (?:and|&) {o:OG}", 0.8),
    (
        "deal-possessive",
        "deal_with",
        r"{s:OG}(?:'s|’s|') (?:[\w$.,%-]+ ){0,3}?" + _DEAL_NOUN + r" with (?:the )?{o:OG}",
        0.8,
    ),
    (
        "deal-under-contract",
        "deal_with",
        r"{s:OG}{gap4} under (?:a |an |the |its )?(?:[\w-]+ ){0,2}?(?:contract|agreement|deal|licen[sc]e|partnership|arrangement) with (?:the )?{o:OG}",
        0.7,
    ),
    (
        "deal-company-willing",
        "deal_with",
        r"{o:OG} is (?:a|the|one) (?:[\w-]+ )?(?:company|firm|partner|business)(?: \w+)? (?:that|which|whom) {s:OG} (?:is|was|would be|are) (?:\w+ )?(?:willing|happy|keen|eager|ready|glad|open|pleased) to "
        + _COOP_VERB
        + " with",
        0.8,
    ),
    (
        "launched-verb",
        "launched",
        r"{s:OGP}{gap4} "
        + _LAUNCH_VERB
        + r"(?: (?:its|a|an|the|their|his|her|new|first|latest|own|long-awaited|much-anticipated))*(?: [a-z][\w-]*){0,2}? {o:X+}",
        0.8,
    ),
    (
        "launched-passive",
        "launched",
        r"{o:X}(?:,? (?:which|that))?(?: was| is| were| has been|,)? (?:launched|unveiled|introduced|released|developed|made|built|created|designed) by {s:OG}",
        0.8,
    ),
    (
        "subsidiary-apposition",
        "subsidiary_of",
        r"{s:OG+},? (?:a |an |the |its |which is a |which is an |which itself is a |now a |now an |one of |two |three |four |both |all )?(?:(?!(?:to|from|by|with|for|and|or|than|into) )[\w-]+ ){0,3}?"
        + _SUB_NOUN
        + r" (?:of|owned by|under|controlled by|run by|operated by|within) (?:the )?"
        + _KIND
        + r"{o:OG}"
        + _NOT_POSS,
        0.8,
    ),
    (
        "subsidiary-part-of",
        "subsidiary_of",
        r"{s:OG+}, (?:now |which is |which is now |itself |since \d{4} )?(?:a )?part of (?:the )?"
        + _KIND
        + r"{o:OG}"
        + _NOT_POSS
        + r"(?! (?:index|indices|consortium|alliance|coalition|group of)\b)",
        0.7,
    ),
    (
        "subsidiary-parenthesis",
        "subsidiary_of",
        r"{s:OG} \((?:a |an |the )?(?:(?:wholly|majority|fully)[- ]owned )?(?:subsidiary|division|unit) of (?:the )?"
        + _KIND
        + r"{o:OG}",
        0.75,
    ),
    # "GAC is a Chinese automaker headquartered in Guangzhou, and a subsidiary of X", "a daughter company of"
    (
        "subsidiary-described-and",
        "subsidiary_of",
        r"{s:OG}(?:,| is| was) (?:a|an|the)\b(?:[^@;]|@[Gg]\d+@){0,100}? and (?:is |was )?(?:a |an |the )?(?:[\w%-]+ ){0,3}?(?:subsidiary|division|unit|arm|daughter company) of (?:the )?"
        + _KIND
        + r"{o:OG}"
        + _NOT_POSS,
        0.7,
    ),
    (
        "subsidiary-daughter",
        "subsidiary_of",
        r"{s:OG+} (?:is|was|became|has become) (?:a |an |the )?(?:[\w%-]+ ){0,2}?(?:daughter|sister-owned) (?:company|firm) of (?:the )?"
        + _KIND
        + r"{o:OG}"
        + _NOT_POSS,
        0.7,
    ),
    (
        "subsidiary-copula",
        "subsidiary_of",
        r"{s:OG+} (?:is|was|are|were|became|becomes|will become|remains|has become|has been|have been|operates as|is now|are now) (?:a |an |the |now )?(?:[\w-]+ ){0,3}?(?:subsidiary|unit|division|arm|affiliate|part|business|brand|subsidiaries|units) (?:of|within|under) (?:the )?"
        + _KIND
        + r"{o:OG}"
        + _NOT_POSS,
        0.8,
    ),
    (
        "subsidiary-possessive",
        "subsidiary_of",
        r"{o:OG}(?:'s|’s|') (?:[\w-]+ ){0,2}?(?:subsidiary|subsidiaries|unit|division|arm|affiliate)(?:,)? (?:[Tt]he )?{s:OG+}",
        0.8,
    ),
    (
        "subsidiary-premodifier",
        "subsidiary_of",
        r"{o:OGo} (?:(?:wholly|majority|fully)[- ]owned )?(?:subsidiary|subsidiaries|unit|division|arm) {s:OG+}"
        + _NOT_POSS,
        0.75,
    ),
    (
        "subsidiary-possessive-named",
        "subsidiary_of",
        r"{o:OG}(?:'s|’s|') {s:OGo} (?:subsidiary|unit|division|arm)\b",
        0.75,
    ),
    (
        "subsidiary-fronted",
        "subsidiary_of",
        r"^(?:[Aa]s )?(?:[Aa]n? |[Tt]he )?(?:[\w-]+ ){0,3}?(?:subsidiary|unit|division|affiliate) of (?:the )?"
        + _KIND
        + r"{o:OG}"
        + _NOT_POSS
        + r"(?:,(?: [^\s,@]+){1,10})?, {s:OGo}(?=,| \(| [a-z])",
        0.75,
    ),
    (
        "subsidiary-possessive-apposition",
        "subsidiary_of",
        r"{s:OG+}, (?:now )?{o:OG}(?:'s|’s|') (?:[\w-]+ ){0,3}?" + _OWNED_NOUN + r"(?=[,;.]| and\b| that\b| which\b|$)",
        0.7,
    ),
    (
        "subsidiary-owned-by",
        "subsidiary_of",
        r"{s:OG+},? (?:which is |which was |is |are |was |now |which are )?(?:wholly |majority |fully )?(?:owned|controlled) by (?:the )?{o:OG}"
        + _NOT_POSS,
        0.75,
    ),
    ("subsidiary-dash-owned", "subsidiary_of", r"{o:OG}-owned {s:OG}", 0.75),
    ("subsidiary-parent", "subsidiary_of", r"{s:OG}(?:'s|’s|') parent(?: company| group)?,? {o:OG}", 0.8),
    (
        "subsidiary-parent-of",
        "subsidiary_of",
        r"{o:OG}(?:,? (?:the |which is the )?|,? (?:is|was|became|has been|remains|is now) (?:also |now |still )?(?:the |a )?)parent(?: company| group| firm)? (?:of|for|to) {s:OG*}",
        0.8,
    ),
    (
        "subsidiary-kind-and-parent",
        "subsidiary_of",
        r"{o:OG},? (?:is|was|remains|is now) (?:also )?(?:a |an |the )(?:[\w$.,%-]+ ){0,5}?(?:company|firm|group|conglomerate|corporation|business|operator|provider|maker) and (?:the )?parent(?: company| group| firm)? of {s:OG*}",
        0.75,
    ),
    (
        "subsidiary-owns",
        "subsidiary_of",
        r"{o:OG}{gap2} (?:owns|also owns|operates|controls|has owned|has long owned|has since owned) {s:OG+}"
        + _NOT_POSS,
        0.55,
    ),
    (
        "subsidiary-owns-relative",
        "subsidiary_of",
        r"{o:OG}, (?:the |a |an )?(?:[\w-]+ ){0,4}?(?:that|which) (?:also |now )?(?:owns|controls) {s:OG+}" + _NOT_POSS,
        0.65,
    ),
]


_COMPILED = compile_patterns(PATTERNS)
_SUBJECT_LETTERS = {
    "ROLE": "P",
    "acquired": "OG",
    "invested_in": "OGP",
    "deal_with": "OGP",
    "launched": "OGP",
    "subsidiary_of": "OGo",
}  # "o": only where a slot takes it
_OBJECT_LETTERS = {"launched": "X", "subsidiary_of": "OGo"}  # "o": only where a slot takes it
