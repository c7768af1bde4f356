"""Adapt the small English model's entity recogniser to news: ``graph/resources/ner/``.

Run ``python -m benchmarks.train_ner`` (or ``make train``; CPU, one thread, about
15 minutes). Only the ``ner`` component is retrained: in the small pipeline it has
its own tok2vec, so the tagger and parser are untouched, and the pipeline loads
the retrained weights in place of the model's (:func:`graph.extract.load_pipeline`).

Training data (``../shared/data``):

* DWIE train minus the dev documents (:func:`benchmarks.splits.is_dwie_dev`: the
  SHA-1 hex digest of the document id ends in 0 or 1; 12.5%, the split of every model here). Gold PERSON from
  ``type::person``, ORG from ``type::organization`` (companies, media, parties,
  governmental bodies, intergovernmental bodies, NGOs, sport teams: all ORG, as in
  OntoNotes, whose labels the model uses), GPE from ``type::gpe`` (countries, states,
  cities; not the adjectival ``gpe0-x``, "German", which OntoNotes calls NORP).
* CoNLL04 train (dev is the dev split): Peop -> PERSON, Org -> ORG, Loc -> the base
  model's own GPE / LOC / FAC label on the same span, else GPE.
* KnowledgeNet folds 1-3 passages, unlabelled: the base model's own predictions only.

Pseudo-rehearsal, so that the model keeps the types the gold does not annotate:
every training text gets the base model's predictions merged with the gold spans.
Gold wins on overlap; a base PERSON / ORG / GPE (LOC, FAC for CoNLL04) span that
no gold span confirms is dropped (the gold annotates those types exhaustively);
the other types (DATE, MONEY, PRODUCT, NORP, ...) are kept as the base model saw them.

Determinism: inputs sorted, seeds fixed, one thread; the best epoch by the summed
PERSON + ORG F1 on the two dev sets is written (``model`` bytes identical from run to
run: ``--check`` trains twice and compares). The model card ``MODEL_CARD.md``
beside the weights gives data, dev scores before and after, the date and command.
"""

from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse  # noqa: E402
import datetime  # noqa: E402
import gzip  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from pathlib import Path  # noqa: E402

from benchmarks.splits import DEFAULT_DATA, is_dwie_dev  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "graph" / "resources" / "ner"
GOLD_TYPES = ("PERSON", "ORG")
DWIE_EXHAUSTIVE = {"PERSON", "ORG", "GPE"}
CONLL_EXHAUSTIVE = {"PERSON", "ORG", "GPE", "LOC", "FAC"}
CHECK_TYPES = ("DATE", "MONEY", "GPE", "PERCENT", "CARDINAL", "NORP", "PRODUCT")


def dwie_is_dev(doc_id: str) -> bool:
    """The DWIE dev rule shared by every model here (:func:`benchmarks.splits.is_dwie_dev`).

    >>> dwie_is_dev("DW_1095032"), dwie_is_dev("DW_14745887")
    (False, True)
    """
    return is_dwie_dev(doc_id)


def dwie_label(tags: list[str]) -> str | None:
    """The OntoNotes label for a DWIE concept's tags (None: left to the base model).

    >>> dwie_label(["type::entity", "type::media", "type::organization"])
    'ORG'
    >>> dwie_label(["type::gpe0-x", "type::other"]) is None
    True
    """
    types = {t[6:] for t in tags if t.startswith("type::")}
    if "person" in types:
        return "PERSON"
    if "organization" in types:
        return "ORG"
    if "gpe" in types:
        return "GPE"
    return None


def load_dwie(data: Path) -> list[dict]:
    """DWIE train articles, sorted by id."""
    with gzip.open(data / "train" / "dwie" / "dwie_train.jsonl.gz", "rt", encoding="utf-8") as fh:
        docs = [json.loads(line) for line in fh if line.strip()]
    return sorted(docs, key=lambda d: d["id"])


def dwie_gold(doc: dict) -> list[tuple[int, int, str]]:
    """Character spans (begin, end, label) of a DWIE article's PERSON / ORG / GPE mentions."""
    label = {c["concept"]: dwie_label(c.get("tags") or []) for c in doc["concepts"]}
    return sorted({(m["begin"], m["end"], label[m["concept"]]) for m in doc["mentions"] if label.get(m["concept"])})


def _non_overlapping(spans):
    """Longest first, then leftmost; spans are spaCy Spans."""
    taken, out = set(), []
    for s in sorted(spans, key=lambda s: (-(s.end - s.start), s.start, s.label_)):
        if any(i in taken for i in range(s.start, s.end)):
            continue
        taken.update(range(s.start, s.end))
        out.append(s)
    return sorted(out, key=lambda s: s.start)


def char_spans(doc, spans):
    """spaCy spans for (begin, end, label) character spans (expanded to tokens), non-overlapping."""
    out = []
    for b, e, lab in spans:
        sp = doc.char_span(b, e, label=lab, alignment_mode="expand")
        if sp is not None and len(sp):
            out.append(sp)
    return _non_overlapping(out)


def merged(doc, gold, base_ents, exhaustive: set[str]):
    """Gold spans plus the base model's spans that gold does not cover or contradict."""
    from spacy.tokens import Span

    covered = {i for s in gold for i in range(s.start, s.end)}
    keep = [
        Span(doc, s.start, s.end, label=s.label_)
        for s in base_ents
        if s.label_ not in exhaustive and not any(i in covered for i in range(s.start, s.end))
    ]
    return sorted(list(gold) + keep, key=lambda s: s.start)


def conll_docs(nlp, path: Path):
    """(Doc, gold spans) for CoNLL04 sentences (tokens as given, BILOU tags)."""
    from spacy.tokens import Doc, Span

    sents = json.loads(path.read_text("utf-8"))
    out = []
    for s in sorted(sents, key=lambda s: s["orig_id"]):
        doc = Doc(nlp.vocab, words=s["tokens"])
        spans, start = [], None
        for i, tag in enumerate(s["tags"]):
            kind = tag[2:] if len(tag) > 2 else ""
            if tag.startswith(("B-", "U-")):
                start = i
            if tag.startswith(("L-", "U-")) and start is not None:
                lab = {"Peop": "PERSON", "Org": "ORG", "Loc": "LOC*"}.get(kind)
                if lab:
                    spans.append((start, i + 1, lab))
                start = None
        out.append((doc, [Span(doc, a, b, label=lab) for a, b, lab in spans]))
    return out


def segments(text: str):
    """(start, end) of each non-empty paragraph of text."""
    pos = 0
    for part in text.split("\n"):
        if part.strip():
            yield pos, pos + len(part)
        pos += len(part) + 1


def prf(pred: Counter, gold: Counter, tp: Counter, label: str) -> dict:
    p = tp[label] / pred[label] if pred[label] else 0.0
    r = tp[label] / gold[label] if gold[label] else 0.0
    return {
        "p": round(p, 4),
        "r": round(r, 4),
        "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
        "gold": gold[label],
        "pred": pred[label],
    }


def score(ner, dev) -> dict:
    """PERSON / ORG exact-span scores of ``ner`` over (doc, gold spans) pairs."""
    pred, gold, tp = Counter(), Counter(), Counter()
    docs = [d.copy() for d, _ in dev]
    for doc, (_, g) in zip(ner.pipe(docs, batch_size=64), dev):
        gs = {(s.start, s.end, s.label_) for s in g if s.label_ in GOLD_TYPES}
        ps = {(s.start, s.end, s.label_) for s in doc.ents if s.label_ in GOLD_TYPES}
        for lab in GOLD_TYPES:
            gold[lab] += sum(1 for x in gs if x[2] == lab)
            pred[lab] += sum(1 for x in ps if x[2] == lab)
            tp[lab] += sum(1 for x in ps & gs if x[2] == lab)
    out = {lab: prf(pred, gold, tp, lab) for lab in GOLD_TYPES}
    out["both"] = prf(Counter(x=sum(pred.values())), Counter(x=sum(gold.values())), Counter(x=sum(tp.values())), "x")
    return out


def agreement(base_docs, docs) -> dict:
    """Per type, how far the retrained model's spans agree with the base model's (F1 with base as gold)."""
    pred, gold, tp = Counter(), Counter(), Counter()
    for b, d in zip(base_docs, docs):
        bs = {(s.start, s.end, s.label_) for s in b.ents}
        ds = {(s.start, s.end, s.label_) for s in d.ents}
        for lab in CHECK_TYPES:
            gold[lab] += sum(1 for x in bs if x[2] == lab)
            pred[lab] += sum(1 for x in ds if x[2] == lab)
            tp[lab] += sum(1 for x in bs & ds if x[2] == lab)
    return {lab: prf(pred, gold, tp, lab) for lab in CHECK_TYPES}


def wikinews_texts(data: Path) -> list[str]:
    import csv

    out = []
    for p in sorted((data / "wikinews").glob("wikinews_*.csv")):
        with p.open(encoding="utf-8", newline="") as fh:
            out += [f"{r['title']}\n\n{r['text']}" for r in csv.DictReader(fh)]
    return out


def build(nlp, data: Path, n_rehearsal: int):
    """Training examples and the two dev sets."""
    from spacy.tokens import Span
    from spacy.training import Example

    ner = nlp.get_pipe("ner")
    train, dwie_dev, stats = [], [], Counter()
    for art in load_dwie(data):
        text = art["content"]
        gold = dwie_gold(art)
        if dwie_is_dev(art["id"]):
            doc = nlp.make_doc(text)
            dwie_dev.append((doc, char_spans(doc, gold)))
            continue
        for a, b in segments(text):
            seg = [(s - a, e - a, lab) for s, e, lab in gold if s >= a and e <= b]
            doc = nlp.make_doc(text[a:b])
            g = char_spans(doc, seg)
            base = ner(doc.copy())
            ref = doc.copy()
            ref.set_ents(
                merged(ref, [Span(ref, s.start, s.end, s.label_) for s in g], base.ents, DWIE_EXHAUSTIVE),
                default="outside",
            )
            train.append(Example(doc, ref))
            stats["dwie"] += 1
    conll = {}
    for split in ("train", "dev"):
        pairs = []
        for doc, g in conll_docs(nlp, data / "train" / "conll04" / f"conll04_{split}.json"):
            base = ner(doc.copy())
            fixed = []
            for s in g:
                lab = s.label_
                if lab == "LOC*":
                    same = [e.label_ for e in base.ents if (e.start, e.end) == (s.start, s.end)]
                    lab = same[0] if same and same[0] in ("GPE", "LOC", "FAC") else "GPE"
                fixed.append(Span(doc, s.start, s.end, label=lab))
            pairs.append((doc, base, fixed))
        conll[split] = pairs
    for doc, base, g in conll["train"]:
        ref = doc.copy()
        ref.set_ents(
            merged(ref, [Span(ref, s.start, s.end, s.label_) for s in g], base.ents, CONLL_EXHAUSTIVE),
            default="outside",
        )
        train.append(Example(doc, ref))
        stats["conll04"] += 1
    conll_dev = [(doc, g) for doc, _, g in conll["dev"]]
    passages = set()
    with (data / "knowledgenet" / "knowledgenet_facts_folds1-4.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec["fold"] in (1, 2, 3):
                passages.add(rec["passageText"])
    chosen = sorted(passages, key=lambda t: hashlib.sha1(t.encode("utf-8")).hexdigest())[:n_rehearsal]
    for text in chosen:
        doc = nlp.make_doc(text)
        base = ner(doc.copy())
        ref = doc.copy()
        ref.set_ents([Span(ref, s.start, s.end, s.label_) for s in base.ents], default="outside")
        train.append(Example(doc, ref))
        stats["rehearsal"] += 1
    return train, dwie_dev, conll_dev, stats


def train(nlp, examples, dwie_dev, conll_dev, epochs: int, seed: int, log=print):
    """Fine-tune ``nlp``'s ner in place; returns (best bytes, per-epoch scores)."""
    from spacy.util import fix_random_seed, minibatch

    fix_random_seed(seed)
    rng = random.Random(seed)
    ner = nlp.get_pipe("ner")
    history, best, best_key = [], None, -1.0
    order = list(examples)
    with nlp.select_pipes(enable=["ner"]):
        sgd = nlp.resume_training()
        for epoch in range(1, epochs + 1):
            t0 = time.time()
            rng.shuffle(order)
            losses: dict = {}
            for batch in minibatch(order, size=16):
                nlp.update(batch, sgd=sgd, drop=0.1, losses=losses)
            d, c = score(ner, dwie_dev), score(ner, conll_dev)
            key = d["both"]["f1"] + c["both"]["f1"]
            history.append(
                {
                    "epoch": epoch,
                    "loss": round(float(losses.get("ner", 0.0)), 1),
                    "dwie_dev": d,
                    "conll04_dev": c,
                    "seconds": round(time.time() - t0, 1),
                }
            )
            log(
                f"epoch {epoch}: loss {losses.get('ner', 0.0):.0f}, DWIE dev P/O F1 {d['PERSON']['f1']:.3f}/"
                f"{d['ORG']['f1']:.3f}, CoNLL04 dev {c['PERSON']['f1']:.3f}/{c['ORG']['f1']:.3f} "
                f"({time.time() - t0:.0f} s)"
            )
            if key > best_key:
                best_key, best = key, (epoch, ner.to_bytes(exclude=["vocab"]))
    return best, history


def card(report: dict) -> str:
    b, a = report["before"], report["after"]
    lines = [
        "# NER adapted to news (dealgraph)",
        "",
        f"Weights of the `ner` component of `{report['base_model']}` {report['base_version']}, fine-tuned; "
        "run by `graph.extract.load_pipeline` beside the model's own `ner` (component `dealgraph_ner`) when `DEALGRAPH_NER_MODEL=adapted` is set: an opt-in mode, off by default because it costs about a quarter of extraction's speed (Wikinews, quiet machine: 6,711 -> 5,102 words per CPU second, 1.28x -> 0.93x the bare small model; `python -m benchmarks.extract_speed --compare-spacy`) and adds no relation found on dev (DWIE dev 2/7/9 both ways; CoNLL04 dev Work_For 25/1/44 -> 25/3/44): it improves names, not facts. Tagger and parser untouched.",
        "",
        f"- Built: {report['date']} with `{report['command']}` ({report['seconds']:.0f} s, one CPU thread).",
        f"- Data: DWIE train minus dev ({report['stats']['dwie']} paragraphs), CoNLL04 train "
        f"({report['stats']['conll04']} sentences), {report['stats']['rehearsal']} KnowledgeNet fold 1-3 passages "
        "(base predictions only). Gold PERSON / ORG (DWIE: every `type::organization`, incl. media, parties, "
        "agencies, teams) / GPE, merged with the base model's other types (pseudo-rehearsal; gold wins).",
        "- Dev: DWIE train documents whose SHA-1(id) hex digest ends in 0 or 1 (benchmarks/splits.py) "
        f"({report['n_dwie_dev']} documents, ids in `dwie_dev_ids.txt`); CoNLL04 dev ({report['n_conll_dev']} sentences).",
        f"- Chosen epoch: {report['epoch']} of {report['epochs']}.",
        "",
        "| dev set | type | F1 before | F1 after | P after | R after |",
        "|---|---|---|---|---|---|",
    ]
    for ds in ("dwie_dev", "conll04_dev"):
        for lab in (*GOLD_TYPES, "both"):
            lines.append(
                f"| {ds} | {lab} | {b[ds][lab]['f1']:.3f} | {a[ds][lab]['f1']:.3f} | "
                f"{a[ds][lab]['p']:.3f} | {a[ds][lab]['r']:.3f} |"
            )
    if report.get("shipped"):
        sh, base = report["shipped"], report["shipped_base"]
        lines += [
            "",
            "As the pipeline uses it (`dealgraph_ner`: the model's own entities kept, the adapted "
            "recogniser's PERSON / ORG names added where the model found none; "
            "`python -m benchmarks.train_ner --score`), final entities of the pipeline:",
            "",
            "| dev set | type | F1 model's ner + gazetteer | F1 shipped |",
            "|---|---|---|---|",
        ]
        for ds in ("dwie_dev", "conll04_dev"):
            for lab in (*GOLD_TYPES, "both"):
                lines.append(f"| {ds} | {lab} | {base[ds][lab]['f1']:.3f} | {sh[ds][lab]['f1']:.3f} |")
    lines += [
        "",
        "Other types kept: agreement of the adapted recogniser alone with the base model over the "
        "295 Wikinews articles (F1 taking the base model's spans as reference; in the pipeline the model's "
        "own entities of these types are kept unchanged):",
        "",
        "| type | base spans | agreement F1 |",
        "|---|---|---|",
    ]
    for lab, v in report["wikinews_agreement"].items():
        lines.append(f"| {lab} | {v['gold']} | {v['f1']:.3f} |")
    return "\n".join(lines) + "\n"


def run(data: Path, out: Path, epochs: int, seed: int, n_rehearsal: int, log) -> dict:
    """Train, write the weights, the dev ids, the scores and the card; then ``--score`` adds the
    pipeline's figures to the card (:func:`main`)."""
    import spacy

    from graph.extract import _model_name

    t0 = time.time()
    name = _model_name()
    nlp = spacy.load(name, exclude=["lemmatizer"])
    assert nlp.get_pipe_config("ner")["model"]["tok2vec"]["@architectures"].startswith("spacy.Tok2Vec"), (
        "the ner must have its own tok2vec"
    )
    examples, dwie_dev, conll_dev, stats = build(nlp, data, n_rehearsal)
    log(f"{len(examples)} training texts {dict(stats)}; dev: {len(dwie_dev)} DWIE docs, {len(conll_dev)} CoNLL04")
    ner = nlp.get_pipe("ner")
    before = {"dwie_dev": score(ner, dwie_dev), "conll04_dev": score(ner, conll_dev)}
    log(
        f"base model: DWIE dev P/O F1 {before['dwie_dev']['PERSON']['f1']:.3f}/{before['dwie_dev']['ORG']['f1']:.3f}, "
        f"CoNLL04 dev {before['conll04_dev']['PERSON']['f1']:.3f}/{before['conll04_dev']['ORG']['f1']:.3f}"
    )
    wn = [nlp.make_doc(t) for t in wikinews_texts(data)]
    base_wn = list(ner.pipe([d.copy() for d in wn], batch_size=32))
    (epoch, weights), history = train(nlp, examples, dwie_dev, conll_dev, epochs, seed, log)
    ner.from_bytes(weights, exclude=["vocab"])
    after = {"dwie_dev": score(ner, dwie_dev), "conll04_dev": score(ner, conll_dev)}
    agree = agreement(base_wn, list(ner.pipe([d.copy() for d in wn], batch_size=32)))
    out.mkdir(parents=True, exist_ok=True)
    for p in out.iterdir():
        if p.is_dir():
            shutil.rmtree(p)
    ner.to_disk(out / "model", exclude=["vocab"])
    report = {
        "base_model": name,
        "base_version": nlp.meta.get("version"),
        "date": datetime.date.today().isoformat(),
        "command": "python -m benchmarks.train_ner",
        "seconds": time.time() - t0,
        "stats": dict(stats),
        "n_dwie_dev": len(dwie_dev),
        "n_conll_dev": len(conll_dev),
        "epoch": epoch,
        "epochs": epochs,
        "seed": seed,
        "before": before,
        "after": after,
        "history": history,
        "wikinews_agreement": agree,
    }
    ids = sorted(a["id"] for a in load_dwie(data) if dwie_is_dev(a["id"]))
    (out / "dwie_dev_ids.txt").write_text("\n".join(ids) + "\n", encoding="utf-8")
    (out / "MODEL_CARD.md").write_text(card(report), encoding="utf-8")
    (out / "scores.json").write_text(json.dumps(report, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return report


class _Shipped:
    """The entities dealgraph's pipeline ends with (model ner, gazetteer, adapted names) as a ``pipe``."""

    def __init__(self):
        from graph.extract import load_pipeline

        self.nlp = load_pipeline()
        self.names = [
            n
            for n in self.nlp.pipe_names
            if n not in ("dealgraph_mentions", "dealgraph_coref", "dealgraph_relations", "dealgraph_classifier")
        ]

    def pipe(self, docs, batch_size=64):
        with self.nlp.select_pipes(enable=self.names):
            yield from self.nlp.pipe(docs, batch_size=batch_size)


def score_shipped(data: Path) -> dict:
    """PERSON / ORG scores of the pipeline's final entities on the two dev sets."""
    import spacy

    from graph.extract import _model_name

    nlp = spacy.load(_model_name(), exclude=["lemmatizer"])
    shipped = _Shipped()
    dwie_dev = []
    for art in load_dwie(data):
        if dwie_is_dev(art["id"]):
            doc = shipped.nlp.make_doc(art["content"])
            dwie_dev.append((doc, char_spans(doc, dwie_gold(art))))
    conll_dev = [
        (_rebuild(shipped.nlp, d), g) for d, g in conll_docs(nlp, data / "train" / "conll04" / "conll04_dev.json")
    ]
    return {"dwie_dev": score(shipped, dwie_dev), "conll04_dev": score(shipped, conll_dev)}


def _rebuild(nlp, doc):
    from spacy.tokens import Doc

    return Doc(nlp.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc])


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(path.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(path).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    ap.add_argument("--out", type=Path, default=OUT, help="where to write the model and its card")
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--rehearsal", type=int, default=2000, help="KnowledgeNet passages of pure base predictions")
    ap.add_argument("--check", action="store_true", help="train a second time elsewhere and compare the weights")
    ap.add_argument(
        "--score",
        action="store_true",
        help="only score the shipped pipeline's final entities on the dev sets (no training)",
    )
    args = ap.parse_args(argv)
    if args.score:
        os.environ["DEALGRAPH_NER_MODEL"] = "base"
        base = score_shipped(args.data)
        import graph.extract

        graph.extract.load_pipeline.cache_clear()
        os.environ["DEALGRAPH_NER_MODEL"] = str(args.out / "model")
        shipped = score_shipped(args.data)
        print(json.dumps({"model_ner": base, "shipped": shipped}, indent=1))
        if (args.out / "scores.json").is_file():  # the card gets the pipeline's figures
            report = json.loads((args.out / "scores.json").read_text("utf-8"))
            report["shipped"], report["shipped_base"] = shipped, base
            (args.out / "scores.json").write_text(json.dumps(report, indent=1, sort_keys=True) + "\n", encoding="utf-8")
            (args.out / "MODEL_CARD.md").write_text(card(report), encoding="utf-8")
        return 0
    if not (args.data / "train" / "dwie" / "dwie_train.jsonl.gz").exists():
        print(f"error: no DWIE training data under {args.data}", file=sys.stderr)
        return 2

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    report = run(args.data, args.out, args.epochs, args.seed, args.rehearsal, log)
    if args.out.resolve() == OUT.resolve():
        import subprocess

        subprocess.run(
            [sys.executable, "-m", "benchmarks.train_ner", "--score", "--data", str(args.data)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    print(json.dumps({k: report[k] for k in ("epoch", "before", "after", "wikinews_agreement", "seconds")}, indent=1))
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            run(args.data, Path(tmp), args.epochs, args.seed, args.rehearsal, log)
            same = _digest(Path(tmp) / "model") == _digest(args.out / "model")
        log(f"determinism check: the weights of a second run are {'identical' if same else 'DIFFERENT'}")
        return 0 if same else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
