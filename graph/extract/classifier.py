"""The ``dealgraph_classifier`` component: a small learned relation classifier.

Reads ``doc._.dg_mentions`` and the rules' ``doc._.dg_facts``; appends to
``doc._.dg_facts`` the person-organisation and organisation-organisation facts
the rules missed, when the model is confident enough.

The model is a set of binary logistic regressions, one per relation family
(``ceo``, ``founder``, ``member``: any person-organisation role, ``subsidiary``),
over sparse string features of a candidate pair of mentions in one sentence
(:func:`pair_features`; candidates and features in :mod:`graph.extract.candidates`): the words between and around the two mentions, their
types and how they were found, the distance, the dependency path between their
head tokens, and which relation (if any) the rules already found for the pair.
Scores are turned into probabilities by Platt scaling fitted on held-out folds,
so ``Fact.confidence`` of a classifier fact is the estimated chance it is right.
It is trained by ``benchmarks/train_relations.py`` on KnowledgeNet folds 1-3,
FIRE dev, DWIE (our train split) and CoNLL04 train, and shipped as
``graph/resources/relations_model.json`` (card beside it, ``relations_model.md``).

A model with a ``cross`` section also scores cross-sentence person-organisation pairs
(:func:`cross_pairs`: "... Acme said. Chief executive Jane Roe added ..."), label
``member`` only, over features of their own (:func:`cross_features`); the role is read
from the person's own title words. A model's ``news_floor`` (one number, or one per
label) replaces the pipeline's news floor for pairs in a sentence (cross-sentence
facts keep the pipeline's).

Three per-document switches (``doc.user_data``), off for news and set by
:func:`graph.extract.extract_many` for benchmarks only:

- ``dg_include_former``: no news floor (the benchmarks' wider notion). A fact whose
  words put the role in the past ("was the CEO of", "served as", "former"; read near
  the pair, :func:`_in_past`) is kept either way, marked ``former`` (a past role is a
  fact of its own, as the rules' are);
- ``dg_pronouns``: first- and third-person pronouns with no antecedent in the
  text ("He is the founder of X") become mentions named by their own text
  (KnowledgeNet's text evaluation matches such spans; FIRE marks names only);
- ``dg_wide``: the candidates widen (:func:`wide_mentions`): relative pronouns
  ("who founded X", "X, which is a subsidiary of Y"; with no antecedent, named
  by their own text only under ``dg_pronouns``) and capitalised names the model
  tagged as nothing.

Each classifier fact keeps the texts of the mentions it was read from in
``Fact.surface`` (not part of the fact contract), so a benchmark matching
mention spans can credit "he" or "which".
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
from importlib import resources
from pathlib import Path

from spacy.tokens import Doc

from graph.extract.candidates import (
    CROSS_LABELS,
    _local_title,
    candidate_pairs,
    cross_features,
    cross_pairs,
    names_no_one,
    org_stats,
    pair_features,
    pronoun_mentions,
    relative_mentions,
    wide_mentions,
)
from graph.extract.details import is_former
from graph.extract.facts import Fact
from graph.extract.mentions import Mention, doc_text
from graph.extract.titles import roles_of_title

__all__ = [
    "LABELS",
    "calibrated",
    "load_model",
    "candidate_pairs",
    "cross_pairs",
    "wide_mentions",
    "pair_features",
    "cross_features",
    "classify",
    "pronoun_mentions",
    "relative_mentions",
    "is_past",
    "CROSS_LABELS",
    "org_stats",
]

LABELS = ("ceo", "founder", "member", "subsidiary")
_PERSON_LABELS = ("ceo", "founder", "member")
_ROLE_RELATIONS = {"ceo_of", "executive_of", "chair_of", "board_member_of", "works_for"}
_PERSON_PRONOUNS = {"he", "she", "i", "his", "her", "my"}
_ORG_PRONOUNS = {"it", "its", "our", "we"}
_PAST = re.compile(
    r"\b(?:was|were|had been|served|worked|former(?:ly)?|previously|until|retired|resigned|left|ex|"
    r"later|then|once|prior|died|stepped down|before)\b",
    re.I,
)
_PRESENT = re.compile(r"\b(?:is|are|has been|have been|currently|now|remains|serves)\b", re.I)
_NUM = re.compile(r"\d")
#: a student or a patient of the organisation, not one of its people ("a sixth year student at Buryat State
#: University", "attended law school at", "a degree from", "he died at Gilchrist Hospice Care")
_STUDENT = re.compile(
    r"\b(?:students?|pupils?|undergraduates?|graduates? of|graduated|alumn(?:us|a|i) of|stud(?:ies|ied|ying)|"
    r"attend(?:s|ed|ing)?|degree|diploma|doctorate|enrolled|major at|"
    r"died (?:at|in)|(?:was |were )?(?:hospitali[sz]ed|treated|admitted) (?:at|in|to))\b",
    re.I,
)
#: a bare word for the person at the top ("Daimler chief", "Facebook head", "Haribo boss"): an executive
_HEAD_WORD = re.compile(
    r"^\W*(?:[\w.&'-]+\W+){0,3}?(?:chief|head|boss|top executive)\W*$|"
    r"^\W*(?:the |its |a )?(?:chief|head|boss) of\b",
    re.I,
)


@functools.lru_cache(maxsize=4)
def load_model(path: str | None = None) -> dict | None:
    """The model at ``path``, else ``$DEALGRAPH_RELATIONS_MODEL`` (for experiments),
    else the shipped ``resources/relations_model.json``; None if there is none."""
    path = path or os.environ.get("DEALGRAPH_RELATIONS_MODEL")
    file = Path(path) if path else resources.files("graph").joinpath("resources/relations_model.json")
    if not file.is_file():
        return None
    return json.loads(file.read_text("utf-8"))


def _in_past(before: str, between: str) -> bool:
    """Whether a pair's role is over, read near the pair: the tense word nearest the second name
    decides ("X is an executive who was the CEO of Y": past) when the two names are close (at most
    :data:`_NEAR_WORDS` words apart); otherwise, or with no tense word between, only a word that puts
    a title in the past right before the first name ("former CIA deputy director X") does. A tense
    word of another clause ("The court had been petitioned by X of Y", "The game was a hard match
    according to Y coach X") says nothing about the role.

    >>> _in_past("", " is an executive who was the CEO of "), _in_past("", " was and is the CEO of ")
    (True, False)
    >>> _in_past("The court had been petitioned by ", " of the "), _in_past("Former CIA deputy director ", "")
    (False, True)
    """
    if len(between.split()) <= _NEAR_WORDS:
        past = max((m.end() for m in _PAST.finditer(between)), default=-1)
        present = max((m.end() for m in _PRESENT.finditer(between)), default=-1)
        if past != present:
            return past > present
    return is_former(" ".join(before.split()[-4:]))


#: at most this many words between a pair's names for a tense word there to date their role
_NEAR_WORDS = 12


def is_past(text: str) -> bool:
    """Whether the words put a role in the past.

    >>> is_past("was the chief executive of"), is_past("is the chief executive of")
    (True, False)
    """
    return bool(_PAST.search(text))


def _cross_facts(
    doc: Doc,
    mentions: list[Mention],
    model: dict,
    have: set,
    roled: set,
    *,
    article: str,
    published,
    include_former: bool,
    threshold: float | None,
    floor: float,
) -> list[Fact]:
    """The cross-sentence person-organisation facts (:func:`cross_pairs`) above the threshold."""
    cross = model["cross"]
    counts, sents = org_stats(mentions)
    text = doc_text(doc)
    out: dict[tuple, Fact] = {}
    for _, p, o, sp, so, rank in cross_pairs(doc, mentions, cross.get("window", 2)):
        if (p.canonical, o.canonical) in roled:
            continue
        feats = cross_features(doc, p, o, sp, so, rank, counts, sents)
        for lab in CROSS_LABELS:
            prob = score(model, lab, feats)
            # news: the cross-sentence facts keep the pipeline's own floor (the model's news_floor is for pairs in a sentence)
            if prob < max(floor, threshold if threshold is not None else cross["threshold"]):
                continue
            local = _local_title(doc, sp)
            roles = roles_of_title(local)
            past = is_past(local.replace(" @ ", " "))
            fact = Fact(
                article=article,
                subject=p.canonical,
                subject_type="Person",
                relation=roles[0] if roles else "works_for",
                object=o.canonical,
                object_type="Organization",
                evidence=text[so.sent.start_char : sp.sent.end_char].strip(),
                confidence=round(prob, 3),
                date=published.isoformat() if published else None,
                status="former" if past else None,
                pattern=f"classifier-cross-{lab}",
                surface={"subject": {p.text}, "object": {o.text}},
                spans=[((p.start, p.end), (o.start, o.end))],
            )
            if fact.key in have:
                continue
            if fact.key not in out or out[fact.key].confidence < fact.confidence:
                out[fact.key] = fact
    return list(out.values())


def _rule_index(facts: list[Fact]) -> dict[tuple[str, str], str]:
    out = {}
    for f in facts:
        out.setdefault((f.subject, f.object), f.relation)
    return out


def log_odds(model: dict, label: str, feats: list[str]) -> float:
    """The linear model's raw score of ``label`` for a feature list."""
    m = model["labels"][label]
    get = m["weights"].get
    return m["bias"] + sum([get(x, 0.0) for x in set(feats)])  # binary features, as trained


def score(model: dict, label: str, feats: list[str]) -> float:
    """The calibrated probability of ``label`` for a feature list."""
    return calibrated(model["labels"][label]["platt"], log_odds(model, label, feats))


def calibrated(ab: list[float], z: float) -> float:
    """Platt scaling: the probability ``sigmoid(a * z + b)`` of a raw score ``z``."""
    a, b = ab
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, a * z + b))))


def _neural_log_odds(model: dict, pairs: list) -> list[dict[str, float] | None] | None:
    """The optional neural scorer's log-odds for each candidate pair (see
    :mod:`graph.extract.neural`); None when the model has no ``blend``."""
    blend = model.get("blend")
    if not blend or not pairs:
        return None
    from graph.extract.neural import Candidate, load_scorer

    scorer = load_scorer(blend["weights"], tuple(blend["scorer_labels"]))
    cands = []
    for _, a, b, sa, sb in pairs:
        s0 = sa[0].sent.start_char
        cands.append(
            Candidate(
                sa[0].sent.text,
                (sa.start_char - s0, sa.end_char - s0),
                (sb.start_char - s0, sb.end_char - s0),
                a.type,
                b.type,
            )
        )
    return scorer.log_odds(cands)


def classify(
    doc: Doc,
    mentions: list[Mention],
    facts: list[Fact],
    model: dict,
    *,
    article: str = "",
    published=None,
    include_former: bool = False,
    threshold: float | None = None,
    floor: float = 0.0,
    wide: bool = False,
    self_named: bool = True,
) -> list[Fact]:
    """Facts the classifier finds above its threshold that the rules do not already state.

    ``wide`` and ``self_named`` widen the candidates (see :func:`candidate_pairs`;
    benchmarks only)."""
    cross_floor = floor
    floors: dict[str, float] = {}
    if floor and model.get("news_floor") is not None:  # the model's own floor for news, chosen on dev
        own = model["news_floor"]  # one number, or one per label
        floors = dict(own) if isinstance(own, dict) else {}
        floor = own if not isinstance(own, dict) else floor
    rules = _rule_index(facts)
    have = {f.key for f in facts}
    # a pair the rules already give a role (chair, board member ...) needs no generic one
    roled = {(f.subject, f.object) for f in facts if f.relation in _ROLE_RELATIONS}
    # news: a founder the rules found is not also "works for" ("Larry Page, a co-founder of Google")
    founded = {(f.subject, f.object) for f in facts if f.relation == "founder_of"} if floor else set()
    text = doc_text(doc)
    out: dict[tuple, Fact] = {}
    pairs = list(candidate_pairs(doc, mentions, wide, self_named))
    neural = _neural_log_odds(model, pairs)
    blended = (model.get("blend") or {}).get("labels", {})
    for k, (kind, a, b, sa, sb) in enumerate(pairs):
        if names_no_one(a) or names_no_one(b):
            continue
        rule = rules.get((a.canonical, b.canonical)) or (rules.get((b.canonical, a.canonical)) and "rev")
        feats = pair_features(doc, a, b, sa, sb, kind, rule)
        labels = _PERSON_LABELS if kind == "PO" else ("subsidiary",)
        probs, cut = {}, {}
        for lab in labels:
            if neural and neural[k] and lab in blended:  # the blend: both log-odds, its own calibration
                probs[lab] = calibrated(blended[lab]["platt"], log_odds(model, lab, feats) + neural[k][lab])
                cut[lab] = blended[lab]["threshold"]
            else:
                probs[lab], cut[lab] = score(model, lab, feats), model["labels"][lab]["threshold"]
        sent = sa[0].sent
        lo, hi = min(sa.start_char, sb.start_char), max(sa.end_char, sb.end_char)
        past = _in_past(text[sent.start_char : lo], text[lo:hi])
        for lab, p in probs.items():
            t = max(floors.get(lab, floor), threshold if threshold is not None else cut[lab])
            if p < t:
                continue
            if lab == "member" and (a.canonical, b.canonical) in founded:
                continue
            if lab in ("member", "ceo") and (a.canonical, b.canonical) in roled:
                continue  # the rules read a role for the pair from its title ("joined Facebook's board")
            if lab == "member" and probs.get("ceo", 0) >= t:
                continue
            if kind == "PO" and _STUDENT.search(
                text[min(sa.end_char, sb.end_char) : max(sa.start_char, sb.start_char)]
            ):
                continue  # "a fourth year student at X": not an employee, nor any other role

            if lab == "ceo":
                rel = "ceo_of"
            elif lab == "founder":
                rel = "founder_of"
            elif lab == "subsidiary":
                rel = "subsidiary_of"
            else:
                roles = [r for r in roles_of_title(text[lo:hi]) if r not in ("ceo_of", "founder_of")]
                if not roles and _HEAD_WORD.search(
                    text[min(sa.end_char, sb.end_char) : max(sa.start_char, sb.start_char)]
                ):
                    roles = ["executive_of"]  # "Daimler chief Dieter Zetsche", "Facebook head Mark Zuckerberg"
                rel = roles[0] if roles else "works_for"
            fact = Fact(
                article=article,
                subject=a.canonical,
                subject_type="Person" if kind == "PO" else "Organization",
                relation=rel,
                object=b.canonical,
                object_type="Organization",
                evidence=sent.text.strip(),
                confidence=round(p, 3),
                date=published.isoformat() if published else None,
                status="former" if past and kind == "PO" else None,
                pattern=f"classifier-{lab}",
                surface={"subject": {a.text}, "object": {b.text}},
                spans=[((a.start, a.end), (b.start, b.end))],
            )
            if fact.key in have:
                continue
            if fact.key in out:
                kept = out[fact.key]
                fact.surface = {r: fact.surface[r] | kept.surface[r] for r in ("subject", "object")}
                fact.spans = kept.spans + [s for s in fact.spans if s not in kept.spans]
                if kept.confidence >= fact.confidence:
                    kept.surface, kept.spans = fact.surface, fact.spans
                    continue
            out[fact.key] = fact
    if model.get("cross"):
        related = {(f.subject, f.object) for f in [*facts, *out.values()]}
        extra = _cross_facts(
            doc,
            mentions,
            model,
            have | set(out),
            roled | related,
            article=article,
            published=published,
            include_former=include_former,
            threshold=threshold,
            floor=cross_floor,
        )
        out.update((f.key, f) for f in extra)
    return list(out.values())
