"""Short SPARQL syntax errors: line, column and a few expected tokens, not the parser's grammar.

Oxigraph's parser reports the furthest point it reached and every token that
could have come there, character classes included (``['A' ..= 'Z' |
'\\u{00C0}'..='\\u{00D6}' | ...]``). :func:`short_syntax_error` keeps the
position, the keywords and punctuation a person would type (at most
:data:`MAX_EXPECTED`), says "unknown prefix" when that is the trouble, and
quotes the text at that point of the query.

>>> q = "SELECT ?x WHERE {\\n  ?x foo:bar ?o }"
>>> msg = ("error at 2:13: expected one of Prefix not found, ['%'], ['-' | '0' ..= '9' | '\\\\u{00B7}'], "
...        "['.'], [':'], ['\\\\\\\\'], ['_']")
>>> short_syntax_error(msg, q)
'SPARQL syntax error at line 2, column 13: unknown prefix foo: (near "?x foo:bar ?o }")'
>>> short_syntax_error("error at 1:36: expected one of HAVING, OFFSET, OPTIONAL, VALUES",
...                    "SELECT ?x WHERE { ?x ?p ?o } LIMT 3")
'SPARQL syntax error at line 1, column 36: expected HAVING, OFFSET, OPTIONAL or VALUES (near "?o } LIMT 3")'
"""

from __future__ import annotations

import json
import re

__all__ = ["short_syntax_error", "parse_position", "MAX_EXPECTED"]

#: most expected tokens listed; the rest are summed up as "..."
MAX_EXPECTED = 6
_POSITION = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.S)


def parse_position(message: str) -> tuple[int, int] | None:
    """(line, column), both from 1, of an Oxigraph syntax error message, or None.

    >>> parse_position("error at 3:20: expected one of ...")
    (3, 20)
    """
    m = _POSITION.search(message)
    return (int(m[1]), int(m[2])) if m else None


def _split_top(text: str) -> list[str]:
    """Split ``a, [b, c], "d,"`` on the commas outside brackets and quotes."""
    items, depth, quote, start, i = [], 0, None, 0, 0
    while i < len(text):
        c = text[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = None
        elif c in "\"'":
            quote = c
        elif c == "[":
            depth += 1
        elif c == "]":
            depth = max(depth - 1, 0)
        elif c == "," and depth == 0:
            items.append(text[start:i].strip())
            start = i + 1
        i += 1
    items.append(text[start:].strip())
    return [x for x in items if x]


def _token(item: str) -> str | None:
    """A token as a person reads it, or None for a character class or the parser's own names."""
    if item.startswith("["):
        return None
    if item.startswith('"') and item.endswith('"'):
        try:
            return json.loads(item)
        except ValueError:
            return item.strip('"')
    return item if re.fullmatch(r"[A-Za-z][A-Za-z_]*", item) else None


_CLOSERS = ["}", ")", "]", ".", ";", ","]
_STARTS = ["?", "<", "{", "(", '"']


def _priority(token: str) -> tuple[int, int]:
    """Closing punctuation first (what was most likely forgotten), then keywords, then how terms start."""
    if token in _CLOSERS:
        return 0, _CLOSERS.index(token)
    if token.isalpha():
        return 1, 0
    return (2, _STARTS.index(token)) if token in _STARTS else (3, 0)


def _near(line_text: str, column: int) -> str:
    at = max(min(column - 1, len(line_text)), 0)
    before = line_text[max(at - 12, 0) : at]
    if " " in before.strip():  # start at a word
        before = before[before.index(" ") + 1 :] if not before.startswith(" ") else before
    return (before + line_text[at : at + 12]).strip()


def short_syntax_error(message: str, query: str | None = None) -> str:
    """A one-line version of the parser's ``message`` for ``query`` (see the module docstring).

    A message without a position is returned after ``SPARQL syntax error:``, cut
    to 200 characters.
    """
    m = _POSITION.search(message)
    if not m:
        text = " ".join(message.split())
        return f"SPARQL syntax error: {text[:200]}{'...' if len(text) > 200 else ''}"
    line, column, rest = int(m[1]), int(m[2]), m[3].strip()
    lines = (query or "").split("\n")
    line_text = lines[line - 1].rstrip("\r") if 0 < line <= len(lines) else ""
    what = ""
    if rest.startswith("expected "):
        raw = _split_top(
            rest[len("expected one of") :] if rest.startswith("expected one of") else rest[len("expected ") :]
        )
        if "Prefix not found" in raw:
            prefix = re.search(r"([A-Za-z][\w.-]*)?:[^\s:]*$", line_text[: max(column - 1, 0)].rstrip())
            what = f"unknown prefix {prefix[1] or ''}:" if prefix else "unknown prefix"
        else:
            tokens = sorted(dict.fromkeys(t for t in map(_token, raw) if t), key=_priority)
            shown = [t if t.isalpha() else (f'"{t}"' if "'" in t else f"'{t}'") for t in tokens[:MAX_EXPECTED]]
            if len(tokens) > MAX_EXPECTED:
                what = f"expected {', '.join(shown)}, ..."
            elif len(shown) > 1:
                what = f"expected {', '.join(shown[:-1])} or {shown[-1]}"
            elif shown:
                what = f"expected {shown[0]}"
            else:
                what = "unexpected text"
    else:
        what = " ".join(rest.split())[:160]
    near = _near(line_text, column) if line_text.strip() else ""
    where = f"SPARQL syntax error at line {line}, column {column}: {what}"
    if near:
        return f"{where} (near {json.dumps(near, ensure_ascii=False)})"
    return f"{where} (at the end of the query)" if line >= len(lines) else where
