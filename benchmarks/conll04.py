"""CoNLL04 ``Work_For`` scored end to end (sentences of news text, Roth & Yih 2004).

Run ``python -m benchmarks.conll04`` (the 231 dev sentences, about 10 s). Each
sentence is rejoined from its tokens (:func:`sentence_text`) and run through the
extractor like an article. CoNLL04's ``Work_For`` (person -> organisation, where an
organisation may be a government body, a university or a newspaper) is our
person-organisation role of any kind: a predicted ``ceo_of``, ``executive_of``,
``chair_of``, ``board_member_of`` or ``works_for`` counts as Work_For (a chief
executive works for the company). ``founder_of`` does not: a founder need not work
for what they founded, and CoNLL04 does not mark "the founder of the Mormon Church"
as Work_For.

A predicted entity matches a gold entity when a mention the extractor read for it
(a mention with its canonical name, or a span the fact was read from) shares a
character with the gold entity's span, or when its normalised name or an alias
equals the gold entity's (:func:`graph.resolve.entity_key`). Each gold relation
counts once; each distinct predicted (person, organisation) pair that matches no
gold Work_For is a false positive. Train on ``conll04_train.json`` only; dev is for
decisions.

    python -m benchmarks.conll04                  # dev, news mode
    python -m benchmarks.conll04 --mode full --errors /tmp/conll_errors.jsonl
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

from benchmarks.external import MODES, RESULTS, ROLES, _overlap, _summary, table
from benchmarks.splits import DEFAULT_DATA
from graph.extract import extract_many
from graph.resolve import entity_key
from graph.sources import Article

__all__ = ["sentence_text", "entities", "conll04_sentences", "conll04"]

_CLOSE = re.compile(r"^(?:[,.;:%)\]!?]|'s|'|n't|'re|'ve|'ll|'d|'m)$")
#: CoNLL04 marks names only: no pronoun stands for itself
CONLL_OPTIONS = {"pronouns": False}


def sentence_text(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """The sentence as text, and each token's character span in it.

    Tokens are joined by spaces, except before closing punctuation and clitics and
    after an opening bracket.

    >>> sentence_text(["Kevin", "O", "'Brien", ",", "a", "spokesman", "(", "AP", ")", "."])[0]
    "Kevin O 'Brien, a spokesman (AP)."
    """
    text, spans = "", []
    for k, tok in enumerate(tokens):
        if k and not _CLOSE.match(tok) and tokens[k - 1] not in ("(", "[", "$"):
            text += " "
        spans.append((len(text), len(text) + len(tok)))
        text += tok
    return text, spans


def entities(sent: dict) -> list[tuple[str, int, int]]:
    """``(type, first token, end token)`` of each entity of a sentence, in order (BILOU tags).

    >>> entities({"tags": ["B-Peop", "L-Peop", "O", "U-Org"]})
    [('Peop', 0, 2), ('Org', 3, 4)]
    """
    out, start = [], None
    for k, tag in enumerate(sent["tags"]):
        if tag == "O":
            start = None
            continue
        kind, label = tag.split("-", 1)
        if kind == "U":
            out.append((label, k, k + 1))
        elif kind == "B":
            start = k
        elif kind == "L" and start is not None:
            out.append((label, start, k + 1))
            start = None
    return out


def conll04_sentences(data: Path, split: str) -> list[dict]:
    """CoNLL04 ``split`` ("train" or "dev") sentences."""
    if split not in ("train", "dev"):
        raise ValueError(f"unknown split {split!r}; expected train or dev")
    return json.loads((Path(data) / "train" / "conll04" / f"conll04_{split}.json").read_text(encoding="utf-8"))


def _aligned(name: str, type_: str, aliases: list[str], own: list[tuple[int, int]], gold: list[tuple]) -> set[int]:
    keys = {entity_key(n, type_) for n in (name, *aliases)}
    return {k for k, (_, span, gkey) in enumerate(gold) if gkey in keys or any(_overlap(a, span) for a in own)}


def score_sentence(
    sent: dict, facts: list, mentions: list, counts: list, scored: list, errors: list | None = None, sid: int = 0
) -> None:
    """Add one sentence's Work_For tp, fp, fn to ``counts`` and (confidence, right) to ``scored``."""
    text, spans = sentence_text(sent["tokens"])
    ents = entities(sent)
    gold_ents = []
    for label, a, b in ents:
        span = (spans[a][0], spans[b - 1][1])
        gold_ents.append(
            (label, span, entity_key(text[span[0] : span[1]], "Person" if label == "Peop" else "Organization"))
        )
    gold = {(r["head"], r["tail"]) for r in sent["relations"] if r["type"] == "Work_For"}
    own: dict[str, list] = defaultdict(list)
    for m in mentions:
        own[m.canonical].append((m.start, m.end))
    found, seen = set(), {}
    for f in facts:
        if f.relation not in ROLES:
            continue
        seen.setdefault((f.subject, f.object), f)
    for (subj, obj), f in seen.items():
        cs = _aligned(
            subj, f.subject_type, f.aliases.get("subject", []), own[subj] + [s for s, _ in f.spans], gold_ents
        )
        co = _aligned(obj, f.object_type, f.aliases.get("object", []), own[obj] + [o for _, o in f.spans], gold_ents)
        hits = {(h, t) for h, t in gold if h in cs and t in co}
        scored.append((f.confidence, bool(hits)))
        if hits:
            found |= hits
        else:
            counts[1] += 1
            if errors is not None:
                errors.append(
                    {"id": sid, "kind": "fp", "pred": [subj, f.relation, obj], "conf": f.confidence, "text": text}
                )
    for h, t in gold:
        counts[0 if (h, t) in found else 2] += 1
        if (h, t) not in found and errors is not None:
            gold_text = [text[gold_ents[k][1][0] : gold_ents[k][1][1]] for k in (h, t)]
            errors.append({"id": sid, "kind": "fn", "gold": gold_text, "text": text})


def conll04(data: Path, split: str = "dev", mode: str = "news", errors: list | None = None) -> dict:
    """Work_For precision, recall and F1 on CoNLL04 ``split``."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; expected one of {sorted(MODES)}")
    sents = conll04_sentences(data, split)
    counts, scored = [0, 0, 0], []
    t0 = time.perf_counter()
    articles = (Article(id=str(k), source=str(k), text=sentence_text(s["tokens"])[0]) for k, s in enumerate(sents))
    for article, facts, mentions in extract_many(articles, batch_size=64, **{**MODES[mode], **CONLL_OPTIONS}):
        k = int(article.id)
        score_sentence(sents[k], facts, mentions, counts, scored, errors, k)
    seconds = time.perf_counter() - t0
    return _summary(
        {"Work_For": counts}, {"sentences": len(sents), "seconds": round(seconds, 1), "mode": mode}, scored=scored
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--split", default="dev", choices=["dev", "train"])
    ap.add_argument(
        "--mode",
        default="news",
        choices=sorted(MODES),
        help="news: what dealgraph extract writes; full / rules / news-rules as in benchmarks.external",
    )
    ap.add_argument("--json", type=Path, default=RESULTS / "conll04_dev.json")
    ap.add_argument("--errors", type=Path, help="write every false positive and false negative here (JSON Lines)")
    args = ap.parse_args(argv)
    if not (args.data / "train" / "conll04").is_dir():
        print(f"no CoNLL04 data under {args.data}; pass --data ../shared/data", file=sys.stderr)
        return 2
    errors = [] if args.errors else None
    out = conll04(args.data, args.split, args.mode, errors)
    print(table(f"CoNLL04 {args.split}, Work_For end to end", out))
    if args.errors:
        args.errors.write_text("".join(json.dumps(e) + "\n" for e in errors), encoding="utf-8")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"split": args.split, **out}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
