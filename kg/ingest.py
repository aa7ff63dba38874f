"""Ingest: read articles, extract, map to quads, write each article atomically into its own graph.

``ingest`` never half-writes an article: kg.bulk_write's ``ArticleWriter`` writes it whole or not at all (on the
embedded store a new graph with the bulk loader under an intent record, kg.write_intent, a stored one replaced by
one update; staging and one ``MOVE`` on a remote one, kg.remote_store). Every graph written holds
its completeness record, ``<graph> void:triples n`` (n counts the record too), so a graph that a store left
partial is told from a whole one. An article whose input, software and pipeline are unchanged since it was stored
is left as it is (``unchanged``) only if its graph is whole; unless ``force`` is set: then its graph is replaced
whole, with the same IRIs, so the quad count stays the same. ``keep_stored`` leaves every article stored whole as it
is, whatever software or pipeline extracted it (a long run resumed after an upgrade).

What is written is what the embedded store holds, on every store: literals in Oxigraph's canonical form
(``xsd:nonNegativeInteger`` offsets as ``xsd:integer``, ``"0.50"`` as ``"0.5"``), and no blank nodes (the
ontology's are skolemised into ``…/.well-known/genid/`` IRIs, numbered in the order the files give them).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, parse

from kg.articles import Record, Skipped, read_records
from kg.bulk_write import BATCH_ARTICLES, ArticleWriter, Prepared, Refused, holds_articles, ship, with_record
from kg.config import Bounds
from kg.extract.model import Article, Extraction
from kg.mapping import article_graph, content_digest
from kg.query_job import text_of
from kg.reference import ONTOLOGY_DIR, REFERENCE_DIR
from kg.store import Store, solutions
from kg.summaries import BROADER, BROADER_TRANSITIVE, TAXONOMY_CLOSURE, broader_closure
from kg.vocab import BASE, CG, DCTERMS, ONTOLOGY_GRAPH, REFERENCE_GRAPH
from kg.workers import Failed, extract_bounded
from kg.write_intent import TRIPLES

if TYPE_CHECKING:
    from kg.extract import Extractor

ONTOLOGY_FILES = (ONTOLOGY_DIR / "claimgraph.ttl", ONTOLOGY_DIR / "issues.ttl")
REFERENCE_FILES = tuple(REFERENCE_DIR / n for n in ("countries.ttl", "officials.ttl", "organizations.ttl"))


@dataclass(frozen=True)
class Outcome:
    """What became of one article id: ``written`` (new or replaced) or ``unchanged``, from the record at ``source``."""

    status: str
    source: str
    claims: int = 0
    quads: int = 0
    shared_quads: int = 0


@dataclass(frozen=True)
class Duplicate:
    """An id given by several records of one ingest; ``stored`` is the source whose version is in the store (the
    last good one), or None when none of them could be stored."""

    id: str
    sources: tuple[str, ...]
    stored: str | None


@dataclass
class IngestSummary:
    """What one ``ingest`` did. Every article id counts once, however many records gave it."""

    outcomes: dict[str, Outcome] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    interrupted: bool = False  # stopped on request before its input was read to the end
    cut_short: list[str] = field(default_factory=list)  # graphs an earlier write cut short left, removed first

    def _total(self, attribute: str, status: str = "written") -> int:
        return sum(getattr(o, attribute) for o in self.outcomes.values() if o.status == status)

    @property
    def articles(self) -> int:
        """Articles written (new or replaced)."""
        return sum(o.status == "written" for o in self.outcomes.values())

    @property
    def unchanged(self) -> int:
        """Articles already stored with the same input, software and pipeline."""
        return sum(o.status == "unchanged" for o in self.outcomes.values())

    @property
    def claims(self) -> int:
        return self._total("claims")

    @property
    def quads(self) -> int:
        """Quads written into article graphs."""
        return self._total("quads")

    @property
    def shared_quads(self) -> int:
        """Quads added to the shared entities graph (before de-duplication by the store)."""
        return self._total("shared_quads")

    @property
    def ok(self) -> bool:
        return not self.skipped


GENID = BASE + ".well-known/genid/"
"""Skolem IRIs of the ontology's blank nodes (RDF 1.1 section 3.5)."""


def _files_digest(files: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _load_files(files: Iterable[Path], graph: str) -> list[Quad]:
    """The quads of ``files`` in ``graph``, blank nodes skolemised under the files' digest."""
    g = NamedNode(graph)
    paths = [p for p in files if p.exists()]
    triples: list[ox.Triple] = []
    for path in paths:
        triples += parse(path.read_bytes(), RdfFormat.TURTLE)
    return [Quad(t.subject, t.predicate, t.object, g) for t in skolemised(triples, _files_digest(paths)[:12])]


def taxonomy_closure(quads: Sequence[Quad]) -> list[Quad]:
    """The ``skos:broaderTransitive`` quads of the issue taxonomy in ``quads`` (kg.summaries.broader_closure), in
    the same graph; a pair already written as ``skos:broaderTransitive`` is not written twice."""
    pairs = [(text_of(q.subject), text_of(q.object)) for q in quads if q.predicate.value == BROADER]
    stated = {(text_of(q.subject), text_of(q.object)) for q in quads if q.predicate.value == BROADER_TRANSITIVE}
    graph = quads[0].graph_name if quads else None
    return [Quad(NamedNode(n), NamedNode(BROADER_TRANSITIVE), NamedNode(b), graph)
            for n, b in broader_closure(pairs) if (n, b) not in stated]


def skolemised(triples: Iterable[ox.Triple], prefix: str) -> list[ox.Triple]:
    """``triples`` with every blank node replaced by the IRI ``GENID<prefix>-<n>``, n counting blank nodes in the
    order they first occur (so the same files give the same IRIs).

    >>> t = ox.Triple(NamedNode("http://a"), NamedNode("http://p"), BlankNode("x"))
    >>> skolemised([t], "f00")[0].object.value
    'https://w3id.org/claimgraph/.well-known/genid/f00-1'
    """
    names: dict[BlankNode, NamedNode] = {}

    def iri(term: ox.NamedNode | BlankNode | Literal | ox.Triple) -> ox.NamedNode | Literal | ox.Triple:
        if isinstance(term, BlankNode):
            if term not in names:
                names[term] = NamedNode(f"{GENID}{prefix}-{len(names) + 1}")
            return names[term]
        return term

    return [ox.Triple(iri(t.subject), t.predicate, iri(t.object)) for t in triples]  # type: ignore[arg-type]  # iri() keeps a subject a subject


def is_whole(store: Store, graph: str) -> bool:
    """Whether ``graph`` holds exactly the number of quads its completeness record states."""
    rows = list(solutions(store.query(f"SELECT ?n WHERE {{ GRAPH <{graph}> {{ <{graph}> <{TRIPLES.value}> ?n }} }}",
                                      union_default_graph=False)))
    if len(rows) != 1:
        return False
    stated = rows[0]["n"].value
    return stated.isdigit() and store.count(graph) == int(stated)


def ensure_static_graphs(store: Store) -> list[str]:
    """Load the ontology (with the issue taxonomy) and the reference data into their graphs when missing or stale.

    Returns the graphs (re)loaded. The marker ``<graph> dcterms:hasVersion "<sha256 of the files>"`` inside each
    graph tells whether it is current.
    """
    loaded = []
    for graph, files, digest in _static_sources():
        if _is_current(store, graph, digest):
            continue
        quads = _static_quads(graph, files)
        quads.append(Quad(NamedNode(graph), NamedNode(str(DCTERMS.hasVersion)), Literal(digest), NamedNode(graph)))
        store.load_graph(graph, with_record(graph, quads))
        loaded.append(graph)
    return loaded


def stale_static_graphs(store: Store) -> list[str]:
    """The static graphs that ``store`` holds in an earlier version (or partly): loaded by a release whose ontology,
    taxonomy or reference data differ from this one's. A graph the store lacks altogether is not stale (an empty
    or foreign store is left as it is); :func:`ensure_static_graphs` (``kg init``, any ``kg ingest``) reloads them.
    Reads the files' bytes, parses none."""
    stale = []
    for graph, _, digest in _static_sources():
        held = f"ASK {{ GRAPH <{graph}> {{ <{graph}> <{DCTERMS.hasVersion}> ?version }} }}"
        if store.ask(held, union_default_graph=False) and not _is_current(store, graph, digest):
            stale.append(graph)
    return stale


def _static_sources() -> list[tuple[str, list[Path], str]]:
    """Each static graph, its files and the digest of this release's version of it (of the files' bytes, and for
    the ontology of the closure's version too)."""
    out = []
    for graph, files in ((ONTOLOGY_GRAPH, ONTOLOGY_FILES), (REFERENCE_GRAPH, REFERENCE_FILES)):
        present = [f for f in files if f.exists()]
        digest = _files_digest(present)
        if graph == ONTOLOGY_GRAPH:
            digest = hashlib.sha256(f"{digest} {TAXONOMY_CLOSURE}".encode()).hexdigest()
        out.append((graph, present, digest))
    return out


def _static_quads(graph: str, files: list[Path]) -> list[Quad]:
    """The quads of a static graph: its files (the ontology with the taxonomy's closure)."""
    quads = _load_files(files, graph)
    return quads + taxonomy_closure(quads) if graph == ONTOLOGY_GRAPH else quads


def _is_current(store: Store, graph: str, digest: str) -> bool:
    ask = f'ASK {{ GRAPH <{graph}> {{ <{graph}> <{DCTERMS.hasVersion}> "{digest}" }} }}'
    return store.ask(ask, union_default_graph=False) and is_whole(store, graph)


def stored_digest(store: Store, article_id: str) -> str | None:
    """The content digest of the stored version of an article, or None if it is not stored whole (absent, or
    left partial: its quads do not match its completeness record)."""
    graph = article_graph(article_id)
    rows = list(store.query(f"SELECT ?d WHERE {{ GRAPH <{graph}> {{ ?run <{CG.contentDigest}> ?d }} }}",
                            union_default_graph=False))  # type: ignore[arg-type]  # Store.query types every form's results as one union; a SELECT gives QuerySolutions
    if not rows or not is_whole(store, graph):
        return None
    return rows[0]["d"].value  # type: ignore[no-any-return]  # pyoxigraph types a solution's terms as Any


def write_extraction(store: Store, extraction: Extraction) -> tuple[int, int]:
    """Atomically replace one article's graph (through kg.bulk_write, the one write path). Returns (article quads,
    shared quads). Raises ValueError if the extraction cannot be mapped, StoreError if the store fails."""
    from kg.bulk_write import ArticleWriter

    with ArticleWriter(store, batch_articles=1) as writer:
        prepared = writer.write(extraction)
    return len(prepared.article), len(prepared.shared)


def ingest(store: Store, paths: Iterable[str], *, extractor: Extractor, force: bool = False,
           keep_stored: bool = False, workers: int = 1,
           bounds: Bounds | None = None, progress: Callable[[str], None] | None = None,
           after_write: Callable[[str], None] | None = None,
           after_batch: Callable[[Sequence[str]], None] | None = None, batch_articles: int = BATCH_ARTICLES,
           bulk_load: bool | None = None, stop: threading.Event | None = None) -> IngestSummary:
    """Ingest the articles found at ``paths`` (files, folders, ``-``) into ``store``.

    A record that cannot be read, extracted within ``bounds`` (default: ``KG_EXTRACT_TIMEOUT``, ``KG_EXTRACT_MAX_MB``)
    or mapped is skipped and listed in the summary with its file, line and reason; every other record goes in.
    Records sharing an id are listed in ``duplicates``; the last good one is stored. Raises StoreError if the store
    fails (articles written before stay written, whole). ``after_write`` is called with each written article's graph
    IRI right after its write; ``after_batch`` with the graph IRIs of each batch written (the search index's hook,
    kg.search_cli.ingest_hook).

    Articles are written ``batch_articles`` at a time through kg.bulk_write's ArticleWriter (on the embedded store
    the new ones with the bulk loader, kg.write_intent); into a store that holds no article yet (``bulk_load``,
    default: whether the store holds none) the labels are settled once, at the end. What a write cut short left
    (an earlier run killed mid-write) is removed first and listed in ``cut_short``; those articles are absent, so
    ingesting their input again writes them.

    Once ``stop`` is set (kg.cli sets it on SIGINT or SIGTERM), no further article is taken: the extraction
    processes are stopped, the articles already extracted are written, whole, and the summary says
    ``interrupted``. Nothing else is written; the next ingest of the same input skips what is stored, unchanged.
    """
    summary = IngestSummary()
    bounds = bounds if bounds is not None else Bounds.from_env()
    summary.cut_short = store.drop_staging()  # what a write cut short left behind: never data
    ensure_static_graphs(store)
    sources: dict[str, list[str]] = {}

    def skip(source: str, reason: str) -> None:
        summary.skipped.append(Skipped(source, reason))
        if progress:
            progress(source)

    def to_extract() -> Iterator[tuple[Record, Article]]:
        for item in read_records(paths):
            if isinstance(item, Skipped):
                summary.skipped.append(item)
                continue
            article = item.article
            sources.setdefault(article.id, []).append(item.source)
            stored = None if force else stored_digest(store, article.id)
            if stored is not None and (keep_stored or stored == content_digest(
                    article, extractor.software, extractor.pipeline_name)):
                earlier = summary.outcomes.get(article.id)
                summary.outcomes[article.id] = replace(earlier, source=item.source) if earlier else Outcome(
                    "unchanged", item.source)
                if progress:
                    progress(article.id)
                continue
            yield item, article

    records: dict[str, Record] = {}

    def written(p: Prepared) -> None:
        record = records.pop(p.graph)
        summary.outcomes[p.article_id] = Outcome("written", record.source, p.claims, len(p.article), len(p.shared))
        if progress:
            progress(p.article_id)

    def refused(p: Prepared, error: Exception) -> None:
        skip(records.pop(p.graph).source, f"article {p.article_id!r}: cannot store the extraction: {error}")

    bulk = bulk_load if bulk_load is not None else not holds_articles(store)
    with ArticleWriter(store, done=written, failed=refused, after_write=after_write, after_batch=after_batch,
                       bulk=bulk, batch_articles=batch_articles) as writer:
        # mapped to quads in the extraction processes: the writer only parses and writes (kg.bulk_write.ship)
        results = extract_bounded(extractor, to_extract(), bounds=bounds, workers=workers, finish=ship)
        try:
            for record, result in results:
                if isinstance(result, Failed):
                    skip(record.source, f"article {record.article.id!r}: {result.reason}")
                elif isinstance(result, Refused):
                    skip(record.source, f"article {record.article.id!r}: cannot store the extraction: {result.reason}")
                else:
                    prepared = result.prepared()
                    if prepared.graph in records:
                        writer.flush()  # its earlier record's version first
                    records[prepared.graph] = record
                    writer.write_prepared(prepared)
                if stop is not None and stop.is_set():
                    summary.interrupted = True
                    break
        finally:
            results.close()  # the extraction processes stop before the last batch is written
    summary.duplicates = [
        Duplicate(i, tuple(s), summary.outcomes[i].source if i in summary.outcomes else None)
        for i, s in sources.items() if len(s) > 1]
    return summary
