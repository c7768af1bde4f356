"""``build``: the stages strung together, article by article.

sources -> extract -> resolve -> rdf -> store. Each article is committed to the
store on its own (one atomic update), so an interrupted build keeps every article
it finished, and running it again only does what is left: an article whose
content hash is already stored is skipped, a changed one replaces its graph.
Each commit is logged (logger ``graph.pipeline``, level INFO: ``committed
SOURCE``) once the store has it (``dealgraph build --verbose`` prints these
lines), so a caller can tell exactly which articles a killed build finished.
A remote store queues its writes (see ``graph.store.remote``): there the line
says ``queued``, and the articles are committed at the next flush.

A write the embedded store refuses does not end the build with a traceback: the
article is reported in ``BuildReport.errors`` (``not stored: ...``) and the build
goes on with the next one (a remote store's refusal, which concerns every queued
article, is raised as before). When the store cannot write at all (a full disk, a quota,
a read-only file system, or three refusals in a row) the build stops cleanly
and says why in ``BuildReport.stopped``; the articles committed before stay in
the store, and the next build adds the rest. An article that cannot be written
as RDF (text that is not valid Unicode) is reported and skipped the same way.

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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import SourceError, StoreError
from graph.extract import Fact, extract_many
from graph.parallel import ExtractorPool
from graph.rdf import article_graph, article_iri
from graph.resolve import Resolver, entity_iri
from graph.sources import Article, iter_articles
from graph.store import Store, is_full

__all__ = ["BuildReport", "build", "extract_paths"]

log = logging.getLogger(__name__)


@dataclass
class BuildReport:
    """What a build did: counts, and the errors met on the way (one per bad file or line)."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    excluded: int = 0  # articles removed by curation (``dealgraph remove``), not read again
    facts: int = 0
    words: int = 0
    errors: list[SourceError] = field(default_factory=list)
    stopped: str | None = None  # why the build ended before its last article (the store cannot write)
    flush_error: str | None = None  # the final flush failed: every article is committed, in the store's log

    @property
    def read(self) -> int:
        return self.added + self.replaced + self.unchanged

    @property
    def stored(self) -> int:
        """Articles written to the store by this build."""
        return self.added + self.replaced

    @property
    def ok(self) -> bool:
        """True when at least one article was read and is in the store (bad files alone do not fail a build)."""
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
    workers: int = 1,
    cluster: str | None = None,
) -> BuildReport:
    """Read, extract and store every article under ``paths``; return a :class:`BuildReport`.

    ``on_article`` is called once per article or error (the CLI's progress bar).
    ``force`` re-extracts articles whose content has not changed. ``workers``
    processes extract (:class:`graph.parallel.ExtractorPool`); this process alone
    resolves and writes, in input order, so the stored graph is the same for
    any number of workers. ``cluster`` (a Dask scheduler's address) extracts
    on that cluster's workers instead.
    """
    from graph import curation  # its known names, removed articles and corrections

    plan = curation.before_build(store)
    force = force or plan.rebuild
    report = BuildReport()
    resolver = Resolver()
    asked: set[str] = set()
    in_store: set[str] = set()  # articles to extract that the store has an older version of

    def tick(item: Article | SourceError) -> None:
        if on_article:
            on_article(item)

    def skip(error: SourceError) -> None:
        report.errors.append(error)
        tick(error)

    def to_extract() -> Iterator[Article]:
        """The articles that need extracting; bad ones reported, unchanged ones counted on the way."""
        for chunk in _chunks(iter_articles(paths), CHUNK):
            articles = []
            for a in chunk:
                if isinstance(a, SourceError):
                    skip(a)
                elif str(article_iri(a)) in plan.removed:
                    report.excluded += 1  # removed by `dealgraph remove`
                    tick(a)
                elif (bad := _not_unicode(a)) is not None:
                    skip(SourceError(f"not stored: {bad}", a.source))
                else:
                    articles.append(a)
            stored = store.article_hashes(str(article_iri(a)) for a in articles)
            for a in articles:
                iri = str(article_iri(a))
                if not force and stored.get(iri) == a.content_hash:
                    report.unchanged += 1
                    tick(a)
                else:
                    if iri in stored:
                        in_store.add(iri)
                    yield a

    refused = 0  # writes the store refused in a row
    with ExtractorPool(workers, cluster=cluster) as pool:
        for done in _chunks(pool.extract(to_extract()), CHUNK):
            _prefetch(store, resolver, [f for _, facts in done for f in facts], asked)
            for article, facts in done:
                try:
                    store.replace_graph(article_graph(article, facts, resolver))
                except UnicodeError as e:
                    skip(SourceError(f"not stored: {_unicode_reason(e)}", article.source))
                    continue
                except StoreError as e:
                    if not isinstance(store, Store):
                        raise  # a remote store sends queued articles together: the error is not this article's
                    skip(SourceError(f"not stored: {e}", article.source))
                    refused += 1
                    if is_full(e) or refused >= GIVE_UP:
                        report.stopped = str(e)
                        _flush(store, report)
                        return report
                    continue
                refused = 0
                log.info("%s %s", "committed" if isinstance(store, Store) else "queued", article.source)
                if str(article_iri(article)) in in_store:
                    report.replaced += 1
                else:
                    report.added += 1
                report.facts += len(facts)
                report.words += article.words
                tick(article)
    _flush(store, report)
    try:
        curation.after_build(store, plan)
    except StoreError as e:
        if not isinstance(store, Store):
            raise
        report.flush_error = report.flush_error or f"the corrections were not applied again: {e}"
    return report


GIVE_UP = 3  # refused writes in a row after which a build stops


def _flush(store: Store, report: BuildReport) -> None:
    """Flush the store at the end of a build; an embedded store's failure is kept in ``report.flush_error``.

    An embedded store has every committed article in its log by then, so a
    failed flush loses nothing (the next open replays the log). A remote
    store's flush sends its queued articles: its error is raised.
    """
    if not isinstance(store, Store):
        store.flush()
        return
    if store.write_error is not None:
        return  # the engine refuses every write now; what it committed is in its log
    try:
        store.flush()
    except StoreError as e:
        report.flush_error = str(e)


def _not_unicode(article: Article) -> str | None:
    """Why an article's text cannot be written as RDF (a lone surrogate, e.g. from a JSON escape), or None.

    >>> _not_unicode(Article(id="a", source="a.jsonl:1", text="Acme bought \\udcff Widget."))
    "its text holds '\\\\udcff', which is not a Unicode character"
    """
    for part in (article.text, article.title, article.publisher, article.author, article.url):
        try:
            (part or "").encode("utf-8")
        except UnicodeEncodeError as e:
            return _unicode_reason(e)
    return None


def _unicode_reason(e: UnicodeError) -> str:
    if isinstance(e, UnicodeEncodeError):
        return f"its text holds {e.object[e.start : e.end]!r}, which is not a Unicode character"
    return f"its text cannot be written ({e})"


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
