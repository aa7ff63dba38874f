"""Ingest: read articles, extract, map to quads, write each article atomically into its own graph.

``ingest`` never half-writes an article: its graph and its shared-node additions go in one SPARQL Update. An article
whose input, software and pipeline are unchanged since it was stored is left as it is (``unchanged``), unless
``force`` is set; then its graph is replaced whole, with the same IRIs, so the quad count stays the same.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse

from kg import SOFTWARE
from kg.articles import Skipped, read_articles
from kg.entities import labelled_nodes, settle_labels
from kg.extract.model import Article, Extraction
from kg.mapping import ONTOLOGY_GRAPH, REFERENCE_GRAPH, article_graph, article_quads, content_digest
from kg.reference import ONTOLOGY_DIR, REFERENCE_DIR
from kg.store import Store
from kg.vocab import CG, DCTERMS

ONTOLOGY_FILES = (ONTOLOGY_DIR / "claimgraph.ttl", ONTOLOGY_DIR / "issues.ttl")
REFERENCE_FILES = tuple(REFERENCE_DIR / n for n in ("countries.ttl", "officials.ttl", "organizations.ttl"))


@dataclass
class IngestSummary:
    """What one ``ingest`` did."""

    articles: int = 0  # written (new or replaced)
    unchanged: int = 0  # already stored with the same input, software and pipeline
    claims: int = 0
    quads: int = 0  # quads written into article graphs
    shared_quads: int = 0  # quads added to the shared entities graph (before de-duplication by the store)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.skipped


def _load_files(files: Iterable[Path], graph: str) -> tuple[list[Quad], str]:
    g = NamedNode(graph)
    quads: list[Quad] = []
    digest = hashlib.sha256()
    for path in files:
        if not path.exists():
            continue
        data = path.read_bytes()
        digest.update(data)
        quads += [Quad(t.subject, t.predicate, t.object, g) for t in parse(data, RdfFormat.TURTLE)]
    return quads, digest.hexdigest()


def ensure_static_graphs(store: Store) -> list[str]:
    """Load the ontology (with the issue taxonomy) and the reference data into their graphs when missing or stale.

    Returns the graphs (re)loaded. The marker ``<graph> dcterms:hasVersion "<sha256 of the files>"`` inside each
    graph tells whether it is current.
    """
    loaded = []
    for graph, files in ((ONTOLOGY_GRAPH, ONTOLOGY_FILES), (REFERENCE_GRAPH, REFERENCE_FILES)):
        quads, digest = _load_files(files, graph)
        ask = f'ASK {{ GRAPH <{graph}> {{ <{graph}> <{DCTERMS.hasVersion}> "{digest}" }} }}'
        if store.ask(ask, union_default_graph=False):
            continue
        quads.append(Quad(NamedNode(graph), NamedNode(str(DCTERMS.hasVersion)), Literal(digest), NamedNode(graph)))
        store.load_graph(graph, quads)
        loaded.append(graph)
    return loaded


def stored_digest(store: Store, article_id: str) -> str | None:
    """The content digest of the stored version of an article, or None if it is not stored."""
    graph = article_graph(article_id)
    rows = list(store.query(f"SELECT ?d WHERE {{ GRAPH <{graph}> {{ ?run <{CG.contentDigest}> ?d }} }}",
                            union_default_graph=False))  # type: ignore[arg-type]
    return rows[0]["d"].value if rows else None


def write_extraction(store: Store, extraction: Extraction) -> tuple[int, int]:
    """Atomically replace one article's graph. Returns (article quads, shared quads)."""
    aq = article_quads(extraction)
    store.replace_graph(aq.graph, aq.article, shared=aq.shared)
    settle_labels(store, labelled_nodes(aq.shared))  # one rdfs:label per shared node, whatever articles said
    return len(aq.article), len(aq.shared)


def ingest(store: Store, paths: Iterable[str], *, extractor: Extractor, force: bool = False,  # noqa: F821
           workers: int = 1, progress: Callable[[str], None] | None = None) -> IngestSummary:
    """Ingest the articles found at ``paths`` (files, folders, ``-``) into ``store``.

    Malformed records are skipped and listed in the summary with their file and line; the rest go in.
    Raises StoreError if the store fails (articles written before stay written, whole).
    """
    summary = IngestSummary()
    ensure_static_graphs(store)

    def to_extract() -> Iterator[Article]:
        for item in read_articles(paths):
            if isinstance(item, Skipped):
                summary.skipped.append(item)
                continue
            if not force and stored_digest(store, item.id) == content_digest(
                    item, SOFTWARE, extractor.pipeline_name):
                summary.unchanged += 1
                if progress:
                    progress(item.id)
                continue
            yield item

    for extraction in extractor.extract_many(to_extract(), workers=workers):
        try:
            n_article, n_shared = write_extraction(store, extraction)
        except ValueError as e:  # an extraction the mapping refuses: a bug, reported, not stored
            summary.skipped.append(Skipped(extraction.article.id, f"cannot map the extraction: {e}"))
            continue
        summary.articles += 1
        summary.claims += len(extraction.claims)
        summary.quads += n_article
        summary.shared_quads += n_shared
        if progress:
            progress(extraction.article.id)
    return summary
