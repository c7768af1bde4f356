"""``build``: the stages strung together, article by article.

sources -> extract -> resolve -> rdf -> store. Each article is committed to the
store on its own (one atomic update), so an interrupted build keeps every article
it finished, and running it again only does what is left: an article whose
content hash is already stored is skipped, a changed one replaces its graph.
Each commit is logged (logger ``graph.pipeline``, level INFO: ``committed
SOURCE``) once the store has it (``dealgraph build --verbose`` prints these
lines), so a caller can tell exactly which articles a killed build finished.
A remote store queues its writes (see ``graph.remote``): there the line
says ``queued``, and the articles are committed at the next flush.

>>> from graph.store import open_store
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "a.txt").write_text("Deal\\n\\nBy A. Writer\\nWire, June 13, 2016\\n\\n"
...     "Microsoft agreed to acquire LinkedIn for $26.2 billion.\\n")
>>> store = open_store("memory")
>>> report = build([d], store)
>>> report.added, report.facts, build([d], store).unchanged
(1, 1, 1)
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from graph.errors import SourceError
from graph.extract import Fact, extract_many
from graph.rdf import article_graph, article_iri
from graph.resolve import Resolver, entity_iri
from graph.sources import Article, iter_articles
from graph.store import Store

__all__ = ["BuildReport", "build", "extract_paths"]

log = logging.getLogger(__name__)


@dataclass
class BuildReport:
    """What a build did: counts, and the errors met on the way (one per bad file or line)."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    facts: int = 0
    words: int = 0
    errors: list[SourceError] = field(default_factory=list)

    @property
    def read(self) -> int:
        return self.added + self.replaced + self.unchanged

    @property
    def ok(self) -> bool:
        """True when at least one article was read (bad files alone do not fail a build)."""
        return self.read > 0 or not self.errors


def _prefetch(store: Store, resolver: Resolver, facts: list[Fact], asked: set[str]) -> None:
    """Teach the resolver the stored entities these facts may name (one look-up per article).

    Only candidates not asked about before are looked up, so a long build on a
    large store costs one small indexed query per article, not a scan.
    """
    iris, names = set(), set()
    for f in facts:
        for name, type_, aliases in (
            (f.subject, f.subject_type, f.aliases.get("subject", [])),
            (f.object, f.object_type, f.aliases.get("object", [])),
        ):
            for n in (name, *aliases):
                iris.add(entity_iri(n, type_))
                names.add(n)
    iris, names = iris - asked, names - asked
    asked |= iris | names
    if iris or names:
        for iri, label, type_, aliases in store.entities(iris=iris, names=names):
            resolver.add_known(iri, label, type_, aliases)


CHUNK = 32  # articles checked, extracted and resolved together: few round trips to a remote store


def _chunks(items: Iterable, n: int) -> Iterator[list]:
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) == n:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def build(
    paths: Iterable[str | Path],
    store: Store,
    *,
    force: bool = False,
    on_article: Callable[[Article | SourceError], None] | None = None,
) -> BuildReport:
    """Read, extract and store every article under ``paths``; return a :class:`BuildReport`.

    ``on_article`` is called once per article or error (the CLI's progress bar).
    ``force`` re-extracts articles whose content has not changed.
    """
    report = BuildReport()
    resolver = Resolver()
    asked: set[str] = set()

    def tick(item: Article | SourceError) -> None:
        if on_article:
            on_article(item)

    for chunk in _chunks(iter_articles(paths), CHUNK):
        for e in (i for i in chunk if isinstance(i, SourceError)):
            report.errors.append(e)
            tick(e)
        articles = [a for a in chunk if isinstance(a, Article)]
        stored = store.article_hashes(str(article_iri(a)) for a in articles)
        todo = []
        for a in articles:
            if not force and stored.get(str(article_iri(a))) == a.content_hash:
                report.unchanged += 1
                tick(a)
            else:
                todo.append(a)
        done = [(a, facts) for a, facts, _ in extract_many(todo)]
        _prefetch(store, resolver, [f for _, facts in done for f in facts], asked)
        for article, facts in done:
            store.replace_graph(article_graph(article, facts, resolver))
            log.info("%s %s", "committed" if isinstance(store, Store) else "queued", article.source)
            if str(article_iri(article)) in stored:
                report.replaced += 1
            else:
                report.added += 1
            report.facts += len(facts)
            report.words += article.words
            tick(article)
    store.flush()
    return report


def extract_paths(paths: Iterable[str | Path], errors: list[SourceError]) -> Iterator[tuple[Article, list[Fact]]]:
    """``(article, facts)`` for every article under ``paths`` (no store); errors are collected."""
    def articles() -> Iterator[Article]:
        for item in iter_articles(paths):
            if isinstance(item, SourceError):
                errors.append(item)
            else:
                yield item

    for article, facts, _ in extract_many(articles()):
        yield article, facts
