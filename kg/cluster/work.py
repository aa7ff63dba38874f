"""What runs on a Dask worker: one loaded pipeline per worker process, and the task that turns a partition of
articles into quads with the code ``kg ingest`` uses (``kg.ingest``, ``kg.mapping``).

The pipeline is loaded once per worker process by ``PipelinePlugin`` (registered by the client, so it runs on every
worker, on those that join later and on those the nanny restarts) and kept in ``_EXTRACTORS``; a task finds it
there, or loads it on a worker where the plugin has not run. A task gets a list of groups (the records of one
article id, in input order) and returns one ``Done`` per group, so that a bad record is reported alone.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox
from distributed import Worker, WorkerPlugin
from pyoxigraph import Quad, RdfFormat

from kg.articles import Record, Skipped
from kg.bulk_write import canonical, with_record
from kg.config import Bounds
from kg.entity_graph import labelled_nodes
from kg.errors import StoreError
from kg.extract import Extractor
from kg.extract.model import Extraction
from kg.fingerprint import software
from kg.ingest import Outcome, stored_digest, write_extraction
from kg.mapping import article_quads, content_digest
from kg.remote_store import RemoteStore
from kg.vocab import CG, OA
from kg.workers import Failed, extract_bounded

_EXTRACTORS: dict[tuple[str | None, str | None], Extractor] = {}
_STORES: dict[RemoteTarget, RemoteStore] = {}

FORM_PREDICATES = frozenset({str(CG.mentionOf), str(CG.evidence), str(OA.hasSelector), str(OA.exact)})
"""The article-graph predicates that ``kg.entity_graph`` reads to choose a person's label (the forms the articles
write): an N-Quads partition keeps these beside its shared quads, so that the labels are settled as ``kg ingest``
settles them without loading the article graphs."""


@dataclass(frozen=True)
class RemoteTarget:
    """Everything a worker needs to open the same remote store as the client (the client's settings, not the
    worker's environment)."""

    url: str
    update_url: str
    gsp_url: str | None
    union_param: str  # "" sends none
    timeout: float
    chunk: int
    page_rows: int
    token: str | None = field(default=None, repr=False)
    user: str | None = None
    password: str | None = field(default=None, repr=False)

    def open(self) -> RemoteStore:
        if self not in _STORES:
            _STORES[self] = RemoteStore(self.url, update_url=self.update_url, gsp_url=self.gsp_url,
                                        union_param=self.union_param, timeout=self.timeout, user=self.user,
                                        password=self.password, token=self.token, chunk=self.chunk,
                                        page_rows=self.page_rows)
        return _STORES[self]


@dataclass(frozen=True)
class Done:
    """What became of one article id: its outcome (or None when none of its records could be used), the records
    skipped, and, when it was written: the nodes whose labels to settle, and for N-Quads output its quads."""

    id: str
    outcome: Outcome | None
    skipped: tuple[Skipped, ...] = ()
    labelled: tuple[str, ...] = ()
    nquads: bytes = b""
    entity_input: bytes = b""  # shared quads and FORM_PREDICATES quads (N-Quads output only)


def extractor(pipeline: str | None, learned: str | None) -> Extractor:
    """This process's extractor for ``pipeline`` (loaded on first use, then kept)."""
    key = (pipeline, learned)
    if key not in _EXTRACTORS:
        _EXTRACTORS[key] = Extractor(pipeline, learned=learned)
    return _EXTRACTORS[key]


def pipeline_of(pipeline: str | None, learned: str | None) -> str:
    """The loaded pipeline's name and version (``Extractor.pipeline_name``), as this worker has it."""
    return extractor(pipeline, learned).pipeline_name


class PipelinePlugin(WorkerPlugin):
    """Loads the spaCy pipeline when a worker starts, and refuses a worker running another claimgraph version."""

    name = "claimgraph-pipeline"

    def __init__(self, pipeline: str | None, learned: str | None, software: str) -> None:
        self.pipeline, self.learned, self.software = pipeline, learned, software

    def setup(self, worker: Worker) -> None:
        if self.software != software():
            raise RuntimeError(f"worker {worker.address} runs {software()}, the client {self.software}: install the "
                               "same claimgraph on every worker")
        extractor(self.pipeline, self.learned)


def _extract(ex: Extractor, record: Record) -> Extraction | Skipped:
    try:
        return ex.extract(record.article)
    except Exception as e:  # noqa: BLE001 - this article only: reported with its reason, as kg.workers does
        return Skipped(record.source, f"article {record.article.id!r}: extraction failed ({type(e).__name__}: {e})")


def extracted(ex: Extractor, records: list[Record], bounds: Bounds) -> Generator[Extraction | Skipped, None, None]:
    """The extraction of each record, in order, or why it has none. Where this process may have children, it is
    ``kg ingest``'s (kg.workers: in a process forked from this one, each article within the time and memory
    ``bounds``, a failure blamed on its article alone), which extracts the next article while this process writes
    the last; in a daemonic Dask worker (the default), which may not, it runs here, one article at a time, without
    the bounds."""
    if multiprocessing.current_process().daemon:
        yield from (_extract(ex, r) for r in records)
        return
    for record, result in extract_bounded(ex, ((r, r.article) for r in records), bounds=bounds):
        yield Skipped(record.source, f"article {record.article.id!r}: {result.reason}") if isinstance(
            result, Failed) else result


def _serialised(quads: list[Quad]) -> bytes:
    return ox.serialize(quads, format=RdfFormat.N_QUADS) or b""


Plan = list[tuple[Record, int | None]]
"""The records of one article id, in input order, each with the index of its extraction (None: unchanged)."""


def _done(plan: Plan, results: Iterator[Extraction | Skipped], store: RemoteStore | None) -> Done:
    """What becomes of one article id: the last good record is stored (kg.ingest's rule). ``results`` gives the
    extractions of the plan's records to extract, in order."""
    article_id = plan[0][0].article.id
    skipped: list[Skipped] = []
    last: tuple[Record, Extraction | None] | None = None  # None extraction: unchanged
    for record, i in plan:
        result = None if i is None else next(results)
        if isinstance(result, Skipped):
            skipped.append(result)
        else:
            last = (record, result)
    if last is None:
        return Done(article_id, None, tuple(skipped))
    record, extraction = last
    if extraction is None:
        return Done(article_id, Outcome("unchanged", record.source), tuple(skipped))
    try:
        aq = article_quads(extraction)
        labelled = tuple(labelled_nodes(aq.shared))
        if store is not None:
            n_article, n_shared = write_extraction(store, extraction)
            return Done(article_id, Outcome("written", record.source, len(extraction.claims), n_article, n_shared),
                        tuple(skipped), labelled)
        article, shared = with_record(aq.graph, aq.article), canonical(aq.shared)
    except StoreError:
        raise
    except Exception as e:  # noqa: BLE001 - the mapping or the store refuses this article: reported (kg.ingest)
        skipped.append(Skipped(record.source, f"article {article_id!r}: cannot store the extraction: {e}"))
        return Done(article_id, None, tuple(skipped))
    forms = [q for q in article if q.predicate.value in FORM_PREDICATES]
    return Done(article_id, Outcome("written", record.source, len(extraction.claims), len(article), len(shared)),
                tuple(skipped), labelled, _serialised(article), _serialised(shared + forms))


def run_partition(groups: list[list[Record]], pipeline: str | None, learned: str | None,
                  target: RemoteTarget | None, force: bool, bounds: Bounds,
                  keep_stored: bool = False) -> list[Done]:
    """The task: every group (the records of one id) of a partition, written to ``target`` (a remote store), or
    returned as N-Quads when ``target`` is None. A StoreError (the store unreachable or refusing) fails the task,
    and so the ingest."""
    ex = extractor(pipeline, learned)
    store = target.open() if target is not None else None
    plans: list[Plan] = []
    todo: list[Record] = []
    for group in groups:
        stored = None if force or store is None else stored_digest(store, group[0].article.id)
        plan: Plan = []
        for r in group:
            unchanged = stored is not None and (keep_stored or stored == content_digest(r.article, ex.software,
                                                                                          ex.pipeline_name))
            plan.append((r, None if unchanged else len(todo)))
            todo += [] if unchanged else [r]
        plans.append(plan)
    results = extracted(ex, todo, bounds)  # in the order of the plans: each group's are consumed as they come
    try:
        return [_done(plan, results, store) for plan in plans]
    finally:
        results.close()  # stops the extraction process if a write failed
