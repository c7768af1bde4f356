"""The ``dealgraph_pos`` component: the model's attribute ruler, for POS only, vectorised.

The English pipeline's ``attribute_ruler`` maps fine-grained tags to coarse
parts of speech (``NNP`` -> ``PROPN``) with about 180 token patterns, run by
spaCy's ``Matcher`` and also setting morphology and lemmas, which dealgraph never
reads. It took about a tenth of the extraction time on Wikinews. This component
compiles the same patterns, keeping only their ``POS`` and ``TAG`` attributes,
into boolean masks over the arrays of a document's token attributes
(``Doc.to_array``) and writes the result back with ``Doc.from_array``: the same
parts of speech, checked against the original on the 295 Wikinews articles by
``python -m benchmarks.extract_speed --check-pos`` and on sentences in the tests.

Semantics kept from :class:`spacy.pipeline.AttributeRuler`: every pattern is
tried at every token; where several match, the later pattern wins; a pattern
of two tokens sets the attributes of the token its ``index`` names. Token
conditions understood: ``TAG``, ``LOWER``, ``DEP`` (a string, or ``{"IN": [...]}``
/ ``{"NOT_IN": [...]}``) and ``IS_SPACE`` (a boolean). :func:`compile_patterns`
raises ``ValueError`` on anything else, so a model with other patterns falls
back to its own ruler (see :func:`graph.extract.load_pipeline`).

>>> from spacy.vocab import Vocab
>>> rules = compile_patterns([{"patterns": [[{"TAG": "NNP"}]], "attrs": {"POS": "PROPN"}, "index": 0}], Vocab())
>>> len(rules)
1
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from spacy.attrs import DEP, IS_SPACE, LOWER, POS, TAG
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.tokens import Doc

__all__ = ["Rule", "compile_patterns", "apply_rules"]

_COLUMNS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}
_ATTRS = [TAG, LOWER, DEP, IS_SPACE]


@dataclass(frozen=True)
class Rule:
    """One compiled pattern: per token of the pattern, (column, values, negate) tests;
    the token ``index`` it writes; the POS id and TAG hash it writes (0: leave as is)."""

    tokens: tuple[tuple[tuple[int, np.ndarray, bool], ...], ...]
    index: int
    pos: int
    tag: int


def _test(key: str, value, vocab) -> tuple[int, np.ndarray, bool]:
    if key not in _COLUMNS:
        raise ValueError(f"unsupported attribute ruler condition {key!r}")
    if key == "IS_SPACE":
        if not isinstance(value, bool):
            raise ValueError(f"unsupported IS_SPACE value {value!r}")
        return _COLUMNS[key], np.array([int(value)], dtype=np.uint64), False
    negate = False
    if isinstance(value, dict):
        if set(value) == {"IN"}:
            values = value["IN"]
        elif set(value) == {"NOT_IN"}:
            values, negate = value["NOT_IN"], True
        else:
            raise ValueError(f"unsupported attribute ruler operator {sorted(value)}")
    elif isinstance(value, str):
        values = [value]
    else:
        raise ValueError(f"unsupported attribute ruler value {value!r}")
    hashes = [vocab.strings.add(v) if v else 0 for v in values]
    return _COLUMNS[key], np.array(hashes, dtype=np.uint64), negate


def compile_patterns(patterns: list[dict], vocab) -> list[Rule]:
    """Compile attribute-ruler patterns (``AttributeRuler.patterns``) that set POS or TAG."""
    rules = []
    for p in patterns:
        attrs = p["attrs"]
        if "POS" not in attrs and "TAG" not in attrs:
            continue
        pos = POS_IDS[attrs["POS"]] if "POS" in attrs else 0
        tag = vocab.strings.add(attrs["TAG"]) if "TAG" in attrs else 0
        for pattern in p["patterns"]:
            tokens = tuple(tuple(_test(k, v, vocab) for k, v in tok.items()) for tok in pattern)
            rules.append(Rule(tokens, int(p.get("index", 0)), pos, tag))
    return rules


def _mask(arr: np.ndarray, tests, offset: int, n: int) -> np.ndarray:
    out = np.ones(n, dtype=bool)
    for col, values, negate in tests:
        column = arr[offset : offset + n, col]
        hit = column == values[0] if len(values) == 1 else np.isin(column, values)
        out &= ~hit if negate else hit
    return out


def apply_rules(doc: Doc, rules: list[Rule]) -> Doc:
    """Set ``token.pos`` (and ``token.tag`` where a rule says) on ``doc``, in rule order."""
    n = len(doc)
    if n == 0:
        return doc
    arr = doc.to_array(_ATTRS).astype(np.uint64)
    pos = np.zeros(n, dtype=np.uint64)
    tag = arr[:, 0].copy()
    for rule in rules:
        width = len(rule.tokens)
        if width > n:
            continue
        starts = n - width + 1
        hit = np.ones(starts, dtype=bool)
        for k, tests in enumerate(rule.tokens):
            hit &= _mask(arr, tests, k, starts)
        where = np.flatnonzero(hit) + rule.index
        if rule.pos:
            pos[where] = rule.pos
        if rule.tag:
            tag[where] = rule.tag
    keep = pos == 0  # no rule matched: keep what the token had
    if keep.any():
        pos[keep] = doc.to_array([POS]).astype(np.uint64)[keep]
    doc.from_array([TAG, POS], np.stack([tag, pos], axis=1))
    return doc
