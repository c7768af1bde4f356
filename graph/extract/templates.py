"""How a pattern template of :mod:`graph.extract.patterns` becomes a regular expression.

A template is text with slots: ``{s:P}`` one mention of a person as subject, ``{o:OG+}`` a list
of organisations or places as object, ``{o:OG*}`` a list only where the clause ends after it,
``{gap3}`` up to three words of anything.

>>> rx = _compile("{s:P} joined {o:OG}")
>>> rx.search("@P0@ joined @O1@").group("o")
'@O1@'
>>> sorted(_needs("{s:P} joined {o:OG}"))
['P']
"""

from __future__ import annotations

import re

__all__ = ["compile_patterns"]


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


def compile_patterns(patterns) -> list[tuple[str, str, re.Pattern, float, frozenset[str]]]:
    """Each ``(name, relation, template, confidence)`` with its template compiled and the letters it needs."""
    return [(name, rel, _compile(tpl), conf, _needs(tpl)) for name, rel, tpl, conf in patterns]
