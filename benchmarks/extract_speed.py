"""Throughput of the whole extract step on real news: the 295 Wikinews articles.

Run ``python -m benchmarks.extract_speed`` (one process). Reads
``../shared/data/wikinews/wikinews_{2019,2020}.csv`` (columns url, date, title,
text), turns each row into an :class:`~graph.sources.Article` the way
``dealgraph build`` does for a JSON Lines record, loads the pipeline once
(not timed), warms it on one article, then times :func:`graph.extract.extract_many`
over all articles. Reports words (whitespace tokens of the article texts), wall
seconds, CPU seconds of the process, words per wall second and words per
CPU second (the per-core figure; spaCy may use a second thread for BLAS).

``--compare-spacy`` also times the bare spaCy model underneath (``nlp.pipe``
over the same texts, loaded as dealgraph loads it), for a figure that does not
depend on how fast this machine is that day.

``--check-ops`` also parses every article with the model's own blis matrix
products and with numpy's (:func:`graph.extract.numpy_ops`, as dealgraph runs
it) and reports the tokens whose tag, head, dependency or entity differ
(expected: 0) and the CPU seconds of each.

``--check-pos`` also runs the model's own ``attribute_ruler`` beside
``dealgraph_pos`` (:mod:`graph.extract.pos`) on every article and reports the
tokens whose part of speech or tag differ (expected: 0) and the two timings.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

from benchmarks.splits import DEFAULT_DATA  # noqa: E402  (../shared/data, also from a worktree)
from graph.extract import extract_many, load_pipeline
from graph.sources import parse_record


def wikinews_articles(data: Path) -> list:
    """The Wikinews rows as Articles, in file order."""
    csv.field_size_limit(sys.maxsize)
    out = []
    for year in (2019, 2020):
        path = data / "wikinews" / f"wikinews_{year}.csv"
        with path.open(encoding="utf-8", newline="") as fh:
            for i, row in enumerate(csv.DictReader(fh), start=2):
                out.append(parse_record(row, str(path), i))
    return out


def measure(articles: list, *, batch_size: int = 16, **options) -> dict:
    """Time ``extract_many`` over ``articles``; the pipeline is loaded and warmed first."""
    load_pipeline()
    list(extract_many(articles[:1], **options))
    words = sum(len(a.text.split()) for a in articles)
    cpu0, wall0 = time.process_time(), time.perf_counter()
    n_facts = sum(len(facts) for _, facts, _ in extract_many(articles, batch_size=batch_size, **options))
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    return {
        "articles": len(articles),
        "words": words,
        "facts": n_facts,
        "wall_seconds": round(wall, 2),
        "cpu_seconds": round(cpu, 2),
        "words_per_second_wall": round(words / wall),
        "words_per_cpu_second": round(words / cpu),
    }


def bare_spacy(articles: list, *, batch_size: int = 16) -> dict:
    """Words per CPU second of the bare spaCy model on the same texts."""
    import spacy

    from graph.extract import _model_name

    nlp = spacy.load(_model_name(), exclude=["lemmatizer"])
    list(nlp.pipe([articles[0].text]))
    words = sum(len(a.text.split()) for a in articles)
    cpu0 = time.process_time()
    for _ in nlp.pipe((a.text for a in articles), batch_size=batch_size):
        pass
    cpu = time.process_time() - cpu0
    return {"spacy_cpu_seconds": round(cpu, 2), "spacy_words_per_cpu_second": round(words / cpu)}


def check_ops(articles: list) -> dict:
    """Parses with blis against parses with numpy's BLAS (one thread), and their CPU times."""
    import spacy

    from graph.extract import _model_name, numpy_ops, one_blas_thread

    texts = [a.text for a in articles]
    result, parses = {}, []
    for label in ("blis", "numpy"):
        nlp = spacy.load(_model_name(), exclude=["lemmatizer"])
        if label == "numpy":
            numpy_ops(nlp)
        with one_blas_thread():
            list(nlp.pipe(texts[:1]))
            cpu0 = time.process_time()
            docs = list(nlp.pipe(texts, batch_size=16))
            result[f"{label}_cpu_seconds"] = round(time.process_time() - cpu0, 2)
        parses.append([(t.tag, t.head.i, t.dep, t.ent_iob, t.ent_type) for d in docs for t in d])
    result["ops_tokens_differing"] = sum(x != y for x, y in zip(*parses))
    return result


def check_pos(articles: list) -> dict:
    """Parts of speech from ``dealgraph_pos`` against the model's ``attribute_ruler``."""
    import spacy

    from graph.extract import _model_name
    from graph.extract.pos import apply_rules, compile_patterns

    nlp = spacy.load(_model_name(), exclude=["lemmatizer", "ner"])
    ruler = nlp.get_pipe("attribute_ruler")
    rules = compile_patterns(ruler.patterns, nlp.vocab)
    with nlp.select_pipes(disable=["attribute_ruler"]):
        docs = list(nlp.pipe((a.text for a in articles), batch_size=16))
    t0 = time.process_time()
    ref = [ruler(d.copy()) for d in docs]
    t1 = time.process_time()
    new = [apply_rules(d.copy(), rules) for d in docs]
    t2 = time.process_time()
    differ = sum(x.pos != y.pos or x.tag != y.tag for a, b in zip(ref, new) for x, y in zip(a, b))
    return {
        "tokens": sum(len(d) for d in docs),
        "tokens_differing": differ,
        "attribute_ruler_cpu_seconds": round(t1 - t0, 2),
        "dealgraph_pos_cpu_seconds": round(t2 - t1, 2),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--json", type=Path, help="also write the result here")
    ap.add_argument("--compare-spacy", action="store_true", help="also time the bare spaCy model on the same texts")
    ap.add_argument("--check-ops", action="store_true", help="also compare numpy's matrix products with blis's")
    ap.add_argument(
        "--check-pos", action="store_true", help="also compare dealgraph_pos with the model's attribute_ruler"
    )
    args = ap.parse_args(argv)
    articles = wikinews_articles(args.data)
    result = measure(articles)
    if args.compare_spacy:
        result.update(bare_spacy(articles))
        result["dealgraph_vs_bare_spacy"] = round(
            result["words_per_cpu_second"] / result["spacy_words_per_cpu_second"], 2
        )
    if args.check_ops:
        result.update(check_ops(articles))
    if args.check_pos:
        result.update(check_pos(articles))
    for k, v in result.items():
        print(f"{k:<30}{v}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
