"""The one article-write path: every article that goes into a store goes through ``ArticleWriter``.

``kg ingest`` (per article or batched), ``kg.ingest.write_extraction``, the remote store and the cluster path all
write here, so every guarantee holds on each of them:

- **whole or absent**: an article's graph (with its completeness record, ``<graph> void:triples n``) and its
  additions to the shared entities graph are written by one ``Store.write_graphs``: on the embedded store the
  articles of a batch new to the store go in with the bulk loader and their records and shared quads after them in
  one transaction, under an intent record that the next open acts on after a crash (kg.write_intent); the ones
  already stored are replaced by one update; a remote store stages each graph and switches it in with one ``MOVE``
  (kg.remote_store).
- **idempotent**: the quads are canonical (``canonical``) and their IRIs deterministic, so writing an article
  again gives the same graph; an article given twice is written in two batches, the later version last.
- **a bad article alone**: an extraction that cannot be mapped is refused by ``write`` before it is queued; when a
  batch is refused for anything but a store failure, its articles are written one by one and only the one refused
  is reported (``failed``).
- **after the write**: the records of the entities graph that only an earlier version of a replaced article
  supported are pruned (kg.entity_graph.prune_entities), the labels of the shared nodes named are settled once per
  batch (settle_labels), then ``after_write`` (the search index's hook, kg.search) and ``done`` are called for each
  article, in the order given.

``bulk=True`` (kg.ingest uses it for a store that holds no article yet) settles the labels once, at ``close``,
from the names the writer itself counted, instead of after every batch; the write and its guarantees are the same.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph as ox
from pyoxigraph import BlankNode, Literal, NamedNode, Quad

from kg.entity_graph import (
    labelled_nodes,
    mention_forms,
    prune_entities,
    referenced_entities,
    settle_labels,
    written_forms,
)
from kg.errors import StoreError
from kg.extract.model import Extraction
from kg.mapping import article_iri, article_quads
from kg.store import Store
from kg.vocab import CG, XSD
from kg.write_intent import TRIPLES


def canonical(quads: Iterable[Quad]) -> list[Quad]:
    """``quads`` as the embedded store holds them: distinct (in the order first given), literals in Oxigraph's
    canonical form (derived integer types as ``xsd:integer``, decimals without trailing zeros, ...). Every store
    then holds, exports and validates the same terms. Raises ValueError for a blank node (claimgraph writes none).

    >>> q = Quad(NamedNode("http://a"), NamedNode("http://p"), Literal("0.50", datatype=NamedNode(str(XSD.decimal))))
    >>> canonical([q, q])[0].object.value
    '0.5'
    """
    out: dict[Quad, None] = {}
    for q in quads:
        if isinstance(q.subject, BlankNode) or isinstance(q.object, BlankNode):
            raise ValueError(f"claimgraph writes no blank nodes: {q}")
        o = q.object
        if isinstance(o, Literal) and o.datatype.value not in _AS_WRITTEN:
            c = _canonical_literal(o)
            if c != o:
                q = Quad(q.subject, q.predicate, c, q.graph_name)
        out[q] = None
    return list(out)


_AS_WRITTEN = frozenset({str(XSD.string), "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"})
"""Datatypes whose lexical form the store keeps as it is given."""


@lru_cache(maxsize=65536)
def _canonical_literal(literal: Literal) -> Literal:
    """``literal`` as Oxigraph stores it (one round trip through a store in memory, remembered)."""
    memory = ox.Store()
    memory.add(Quad(_PROBE, _PROBE, literal))
    stored = next(iter(memory)).object
    assert isinstance(stored, Literal)
    return stored


_PROBE = NamedNode("urn:claimgraph:canonical")


def with_record(graph: str, quads: Iterable[Quad]) -> list[Quad]:
    """The canonical ``quads`` of ``graph`` and its completeness record ``<graph> void:triples n`` (n counts all)."""
    body = [q for q in canonical(quads) if not (q.subject == NamedNode(graph) and q.predicate == TRIPLES)]
    return [*body, Quad(NamedNode(graph), TRIPLES, Literal(str(len(body) + 1), datatype=_INTEGER),
                        NamedNode(graph))]


_INTEGER = NamedNode(str(XSD.integer))


BATCH_ARTICLES = 64  # articles per write_graphs
BATCH_QUADS = 200_000  # or fewer, when the articles are long: a transaction is held in memory until it commits


@dataclass(frozen=True)
class Prepared:
    """One article's quads, ready to write: its graph (canonical, with its completeness record) and its shared
    quads (canonical)."""

    article_id: str
    graph: str
    article: list[Quad]
    shared: list[Quad]
    claims: int
    forms: dict[str, Counter[str]] | None = None  # mention_forms(article), when computed where it was prepared

    def mention_forms(self) -> dict[str, Counter[str]]:
        """Per entity, the full names the article's mentions write (kg.entity_graph.mention_forms)."""
        return self.forms if self.forms is not None else mention_forms(self.article)


def prepare(extraction: Extraction) -> Prepared:
    """The quads one extraction writes. Raises ValueError if the extraction cannot be mapped (a span that does not
    match the text, a blank node)."""
    aq = article_quads(extraction)
    return Prepared(extraction.article.id, aq.graph, with_record(aq.graph, aq.article), canonical(aq.shared),
                    len(extraction.claims))


@dataclass(frozen=True)
class Shipped:
    """One article's prepared quads as N-Quads, with the names its mentions write, to cross from an extraction
    process to the writer: pickling pyoxigraph quads costs more than mapping the extraction (55 + 45 ms an article
    against 32 ms), writing and parsing N-Quads 2 + 11 ms, and the round trip gives the same quads in the same
    order."""

    article_id: str
    graph: str
    article: bytes
    shared: bytes
    claims: int
    forms: dict[str, Counter[str]]

    def prepared(self) -> Prepared:
        return Prepared(self.article_id, self.graph, _parsed(self.article), _parsed(self.shared), self.claims,
                        self.forms)


@dataclass(frozen=True)
class Refused:
    """An extraction the mapping refuses (``prepare`` raised ValueError), and why."""

    reason: str


def ship(extraction: Extraction) -> Shipped | Refused:
    """``prepare(extraction)`` as N-Quads (kg.ingest runs it in the extraction processes, kg.workers' ``finish``,
    so that the writer only parses and writes), or why the mapping refuses it. Never raises for the article's
    content."""
    try:
        p = prepare(extraction)
    except Exception as e:  # noqa: BLE001 - the mapping refuses this article: reported, not stored
        return Refused(str(e))
    return Shipped(p.article_id, p.graph, _serialised(p.article), _serialised(p.shared), p.claims,
                   mention_forms(p.article))


def _serialised(quads: Sequence[Quad]) -> bytes:
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""


def _parsed(nquads: bytes) -> list[Quad]:
    return list(ox.parse(nquads, ox.RdfFormat.N_QUADS))


Done = Callable[[Prepared], None]
Failed = Callable[[Prepared, Exception], None]


def _refuse(prepared: Prepared, error: Exception) -> None:
    raise error


@dataclass
class FormCounts:
    """How often the stored articles write each full name of each person, kept by one writer across its batches.

    Asking the store (:func:`kg.entity_graph.written_forms`) costs as many rows as the person has mentions in the
    whole store, so asking it for every batch made each batch slower than the last (1.6 s a batch for a person in
    all of 4,000 articles); here the store is asked once per person, after which the counts follow the batches
    written: the new articles' mentions added, and a person named by an article written again asked anew.
    """

    counts: dict[str, Counter[str]] = field(default_factory=dict)

    def __call__(self, store: Store, people: Sequence[str]) -> dict[str, Counter[str]]:
        missing = [e for e in people if e not in self.counts]
        if missing:
            found = written_forms(store, missing)
            self.counts.update({e: Counter(found.get(e, {})) for e in missing})
        return {e: self.counts[e] for e in people}

    def written(self, articles: Sequence[Prepared], replaced: Iterable[str]) -> None:
        """After a batch is stored: forget the people ``replaced`` (named by an earlier version of an article of
        it), add the mentions of ``articles`` to the people already counted."""
        for e in replaced:
            self.counts.pop(e, None)
        for p in articles:
            for e, forms in p.mention_forms().items():
                if e in self.counts:
                    self.counts[e].update(forms)


@dataclass
class ArticleWriter:
    """Writes articles into ``store`` in batches of ``batch_articles`` (or ``batch_quads``); see the module doc.

    ``done(prepared)`` is called once an article is in the store (at a later ``write`` or at ``flush``);
    ``failed(prepared, error)`` when the store refuses that article alone (default: the error is raised).
    ``after_batch(graphs)`` is called once per batch written, then ``after_write(graph)`` after each article,
    before ``done`` (the search index takes batches: it asks for many graphs in one query,
    kg.search.GRAPHS_PER_QUERY). StoreError (the store failing, not the article) is always raised; the articles of
    the batch it interrupted are then whole or absent.
    """

    store: Store
    done: Done = lambda prepared: None
    failed: Failed = _refuse
    after_write: Callable[[str], None] | None = None
    after_batch: Callable[[Sequence[str]], None] | None = None
    batch_articles: int = BATCH_ARTICLES
    batch_quads: int = BATCH_QUADS
    bulk: bool = False
    written: int = 0
    _pending: list[Prepared] = field(default_factory=list)
    _quads: int = 0
    _unsettled: set[str] = field(default_factory=set)
    _forms: dict[str, dict[str, Counter[str]]] = field(default_factory=dict)  # per graph written, bulk into empty
    _fresh: bool = False
    _counts: FormCounts = field(default_factory=FormCounts)  # transactional batches: the store asked once per person

    def __post_init__(self) -> None:
        self._fresh = self.bulk and not holds_articles(self.store)

    def write(self, extraction: Extraction) -> Prepared:
        """Map ``extraction`` and queue it. Raises ValueError, before anything is queued, if it cannot be mapped;
        StoreError when writing the batch it completes fails."""
        return self.write_prepared(prepare(extraction))

    def write_prepared(self, prepared: Prepared) -> Prepared:
        """Queue quads made by ``prepare`` (in this process or another: the cluster path)."""
        if any(p.graph == prepared.graph for p in self._pending):
            self.flush()  # the earlier version first, so that the later one is what stays
        self._pending.append(prepared)
        self._quads += len(prepared.article) + len(prepared.shared)
        if len(self._pending) >= self.batch_articles or self._quads >= self.batch_quads:
            self.flush()
        return prepared

    def flush(self) -> None:
        """Write the pending articles. Raises StoreError when the store fails."""
        batch, self._pending, self._quads = self._pending, [], 0
        if not batch:
            return
        earlier = {p.graph: referenced_entities(self.store, p.graph) for p in batch if self.store.has_graph(p.graph)}
        try:
            self.store.write_graphs([(p.graph, p.article, p.shared) for p in batch])
            written = batch
        except StoreError:
            raise
        except Exception as e:  # noqa: BLE001 - an article refused: write them alone, to find which
            if len(batch) == 1:
                self.failed(batch[0], e)
                return
            written = [p for p in batch if self._alone(p)]
        for p in written:
            if earlier.get(p.graph):  # written again: drop what only the earlier version supported
                prune_entities(self.store, article_iri(p.article_id), p.graph, p.shared, earlier[p.graph])
        labelled = labelled_nodes(q for p in written for q in p.shared)
        if self.bulk:  # the store is being filled: the labels are settled once, at the end
            self._unsettled.update(labelled)
            if self._fresh:  # and every article in it is one this writer wrote: their names are counted here
                self._forms.update({p.graph: p.mention_forms() for p in written})
        else:
            self._counts.written(written, {e for p in written for e in earlier.get(p.graph, ())})
            settle_labels(self.store, labelled, count_forms=self._counts)
        if self.after_batch and written:
            self.after_batch([p.graph for p in written])
        for p in written:
            self.written += 1
            if self.after_write:
                self.after_write(p.graph)
            self.done(p)

    def _alone(self, prepared: Prepared) -> bool:
        try:
            self.store.write_graphs([(prepared.graph, prepared.article, prepared.shared)])
        except StoreError:
            raise
        except Exception as e:  # noqa: BLE001 - the store refuses this article: reported, not stored
            self.failed(prepared, e)
            return False
        return True

    def close(self) -> None:
        """Write what is pending (and, in bulk mode, settle the labels of every shared node written)."""
        self.flush()
        if self._unsettled:
            written: dict[str, Counter[str]] | None = None
            if self._fresh:
                written = defaultdict(Counter)
                for forms in self._forms.values():
                    for entity, counts in forms.items():
                        written[entity].update(counts)
            settle_labels(self.store, sorted(self._unsettled), written=written)
            self._unsettled.clear()
            self._forms.clear()

    def __enter__(self) -> ArticleWriter:
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        if kind is None:
            self.close()


def holds_articles(store: Store) -> bool:
    """Whether any article graph is stored (into a store that holds none, the labels are settled once, at the end)."""
    return store.ask(f"ASK {{ GRAPH ?g {{ ?a a <{CG.Article}> }} }}", union_default_graph=False)


def write_articles(store: Store, extractions: Sequence[Extraction], **options: object) -> list[Prepared]:
    """Write ``extractions`` through one ArticleWriter (``options`` are its fields); the articles written."""
    out: list[Prepared] = []
    with ArticleWriter(store, done=out.append, **options) as writer:  # type: ignore[arg-type]  # options are ArticleWriter's own fields, as the docstring says
        for extraction in extractions:
            writer.write(extraction)
    return out
