"""The store: one small interface, two implementations.

- ``EmbeddedStore``: pyoxigraph on disk (the default), one read-write process per folder.
- ``RemoteStore`` (kg.remote_store): any SPARQL 1.1 Query + Update endpoint over HTTP (Oxigraph server, Virtuoso,
  Fuseki, QLever, GraphDB, Neptune), with the Graph Store Protocol for bulk graph loads where one is configured.

The embedded store writes the new article graphs of a batch with its bulk loader under an intent record
(kg.write_intent: after a crash the next read-write open removes each of them that is not whole) and replaces a
stored graph with one SPARQL Update (``DROP SILENT GRAPH`` + ``INSERT DATA``), one transaction; a remote store
stages it and switches it in with one ``MOVE`` (kg.remote_store): after any failure the article is fully in the
store or not at all. ``open_store`` picks the implementation from the location's URL
scheme (``BACKENDS``): a folder is embedded, an ``http(s)://`` URL is remote.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext, suppress
from pathlib import Path
from typing import IO, TYPE_CHECKING, Protocol

import pyoxigraph as ox
from pyoxigraph import (
    NamedNode,
    Quad,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Variable,
)

from kg import config
from kg.errors import BadInput, BadQuery, NotFound, StoreError, StoreLocked, remote_failure
from kg.query_job import DEFAULT_GRAPH, Answer, Bindings, Job, Outcome, Solutions, Term, evaluate, finish, text_of
from kg.sparql.binding import with_values_hint
from kg.write_intent import intent, is_record, recover

if TYPE_CHECKING:
    from kg.query_pool import QueryPool

__all__ = ["Answer", "BACKENDS", "Bindings", "EmbeddedStore", "Job", "Solutions", "Store", "Term",
           "open_store", "register_backend", "solutions"]

Results = QuerySolutions | QueryBoolean | QueryTriples | Iterator[ox.Triple]
Substitutions = dict[Variable, Term]
"""pyoxigraph's form of ``Bindings``: only ``Store.query`` takes it."""



def solutions(results: Results) -> QuerySolutions:
    """The results of ``Store.query`` for a SELECT query, typed as such (``query`` returns every form's results as
    one union). Raises BadQuery when ``results`` are another form's (an ASK, a CONSTRUCT).

    >>> solutions(ox.Store().query("ASK {}"))
    Traceback (most recent call last):
    kg.errors.BadQuery: a SELECT query was expected; the query gave QueryBoolean results
    """
    if isinstance(results, QuerySolutions):
        return results
    raise BadQuery(f"a SELECT query was expected; the query gave {type(results).__name__} results")


EXPORT_FORMATS: dict[str, RdfFormat] = {
    "nquads": RdfFormat.N_QUADS,
    "trig": RdfFormat.TRIG,
    "turtle": RdfFormat.TURTLE,
    "ntriples": RdfFormat.N_TRIPLES,
    "jsonld": RdfFormat.JSON_LD,
    "rdfxml": RdfFormat.RDF_XML,
}


def _insert_data(groups: dict[str, list[Quad]]) -> str:
    """``INSERT DATA`` of quads grouped by graph IRI; terms are written in N-Triples form, which escapes them."""
    parts = []
    for graph, quads in groups.items():
        body = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)
        parts.append(f"GRAPH <{graph}> {{\n{body}\n}}")
    return "INSERT DATA {\n" + "\n".join(parts) + "\n}"


def _by_graph(quads: Iterable[Quad]) -> dict[str, list[Quad]]:
    groups: dict[str, list[Quad]] = {}
    for q in quads:
        if not isinstance(q.graph_name, NamedNode):
            raise ValueError(f"quads written by claimgraph belong to a named graph, not {q.graph_name!r}")
        groups.setdefault(q.graph_name.value, []).append(q)
    return groups


def replace_graph_update(graph: str, quads: Sequence[Quad], shared: Sequence[Quad] = ()) -> str:
    """One SPARQL Update that replaces ``graph`` with ``quads`` and adds ``shared`` (quads of other graphs)."""
    for q in quads:
        if q.graph_name != NamedNode(graph):
            raise ValueError(f"quad {q} is not in graph <{graph}>")
    groups = _by_graph(list(quads) + list(shared))
    ops = [f"DROP SILENT GRAPH <{graph}>"]
    if groups:
        ops.append(_insert_data(groups))
    return " ;\n".join(ops)


class Reader(Protocol):
    """What a read-only client of the data needs: SELECT, and which graphs are ours. A Store is one; so is the
    server's QueryRunner."""

    def select(self, sparql: str) -> Solutions: ...

    def graph_filter(self) -> str: ...


class Store(ABC):
    """What claimgraph needs of a triple store. Every IRI argument is a plain string; variables are bound by name.

    A backend implements ``query`` (pyoxigraph results), ``update``, ``load_graph``, ``dump`` and ``close``; the
    typed reads ``select`` / ``ask`` / ``construct`` / ``answer`` all go through ``execute``, which a backend may
    override to evaluate jobs its own way (the embedded store's killable workers). Backends are chosen by
    ``open_store`` from ``BACKENDS``, keyed by the location's URL scheme.
    """

    location: str
    generation: int = 0
    """Updates applied through this object; readers that cache (VoID) recompute when it changes."""

    @abstractmethod
    def query(self, sparql: str, *, substitutions: Substitutions | None = None,
              default_graph: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None,
              union_default_graph: bool = True) -> Results:
        """Run a SPARQL query; the raw pyoxigraph results. Without ``default_graph`` the default graph is the union
        of all graphs (``union_default_graph``). Variables in ``substitutions`` are bound to RDF terms before
        evaluation. Prefer the typed ``select`` / ``ask`` / ``construct``.

        Raises BadQuery for a query that does not parse, StoreError when the store cannot answer.
        """

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL Update in one transaction. Raises BadQuery or StoreError."""

    @abstractmethod
    def load_graph(self, graph: str, quads: Sequence[Quad]) -> None:
        """Replace one whole graph (a bulk load: reference data, the ontology)."""

    @abstractmethod
    def dump(self, output: IO[bytes], format: RdfFormat, *, graph: str | None = None) -> None:
        """Write the whole dataset (or one graph) in ``format``."""

    @abstractmethod
    def close(self) -> None: ...

    # -- typed reads -------------------------------------------------------------------------------------------
    def execute(self, job: Job) -> Outcome:
        """Evaluate ``job`` (see kg.query_job). This default asks ``query`` and reads its results as the job's
        mode; the store's own time limit applies (a remote store's HTTP deadline).

        Raises BadQuery, BadInput (the store's own default graph, which only the embedded store can name),
        NotFound (``require_graph``), NotAcceptable, StoreError / StoreTimeout.
        """
        if job.default_graph and DEFAULT_GRAPH in job.default_graph:
            raise BadInput(f"the default graph of the remote store {self.location} cannot be read here; ask its "
                           "own Graph Store endpoint")
        if job.require_graph is not None and not self.has_graph(job.require_graph):
            raise NotFound(f"there is no graph {job.require_graph}")
        text = f"BASE <{NamedNode(job.base_iri).value}>\n{job.text}" if job.base_iri else job.text
        results = self.query(text, substitutions={Variable(k): v for k, v in job.bindings.items()},
                             default_graph=job.default_graph, named_graphs=job.named_graphs,
                             union_default_graph=job.union_default_graph)
        if isinstance(results, QuerySolutions | QueryBoolean | QueryTriples):
            return finish(results, job)
        return finish([q.triple if isinstance(q, Quad) else q for q in results], job)  # a remote CONSTRUCT's triples

    def select(self, sparql: str, bindings: Bindings | None = None, *, max_rows: int | None = None,
               default_graph: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None,
               union_default_graph: bool = True, prefixes: Mapping[str, str] | None = None,
               timeout: float | None = None, client: str = "local") -> Solutions:
        """The variables and (at most ``max_rows``) rows of a SELECT query. Raises BadQuery for another form."""
        outcome = self.execute(Job(sparql, "select", dict(bindings or {}), _graphs(default_graph),
                                   _graphs(named_graphs), union_default_graph, prefixes=prefixes,
                                   max_rows=max_rows, timeout=timeout, client=client))
        assert isinstance(outcome, Solutions)
        return outcome

    def ask(self, sparql: str, bindings: Bindings | None = None, *, default_graph: Sequence[str] | None = None,
            named_graphs: Sequence[str] | None = None, union_default_graph: bool = True,
            prefixes: Mapping[str, str] | None = None, timeout: float | None = None, client: str = "local") -> bool:
        """The answer of an ASK query. Raises BadQuery for another form."""
        outcome = self.execute(Job(sparql, "ask", dict(bindings or {}), _graphs(default_graph),
                                   _graphs(named_graphs), union_default_graph, prefixes=prefixes, timeout=timeout,
                                   client=client))
        assert isinstance(outcome, bool)
        return outcome

    def construct(self, sparql: str, bindings: Bindings | None = None, *,
                  default_graph: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None,
                  union_default_graph: bool = True, prefixes: Mapping[str, str] | None = None,
                  timeout: float | None = None, client: str = "local") -> list[ox.Triple]:
        """The triples of a CONSTRUCT or DESCRIBE query. Raises BadQuery for another form."""
        outcome = self.execute(Job(sparql, "construct", dict(bindings or {}), _graphs(default_graph),
                                   _graphs(named_graphs), union_default_graph, prefixes=prefixes,
                                   timeout=timeout, client=client))
        assert isinstance(outcome, list)
        return outcome

    def has_graph(self, graph: str) -> bool:
        """Whether the store holds the named graph ``graph`` (with at least one quad)."""
        return self.ask("ASK { GRAPH ?g { ?s ?p ?o } }", {"g": NamedNode(graph)}, union_default_graph=False)

    def start_workers(self, *, size: int, checkpoint_dir: str | None = None, reserve: int = 1,
                      per_client: int | None = None) -> QueryPool | None:
        """Evaluate queries in ``size`` (+ ``reserve``) killable worker processes, where the backend can; the
        pool, or None when queries stay in this process (a remote store, which an HTTP deadline stops)."""
        return None

    @property
    def pool(self) -> QueryPool | None:
        """The worker pool started by ``start_workers``, if any."""
        return None

    def apply(self, sparql: str, *, base_iri: str | None = None, endpoints: Sequence[str] = ()) -> None:
        """Run a SPARQL Update on behalf of a client (the server's protocol), resolving relative IRIs against
        ``base_iri``; queries see it once it returns. A failure of one of the remote ``endpoints`` it calls (LOAD)
        is reported without their answer. Raises BadQuery, ServiceFailed or StoreError; nothing is written on
        failure."""
        try:
            self.update(f"BASE <{NamedNode(base_iri).value}>\n{sparql}" if base_iri else sparql)
        except StoreError as e:
            if endpoints:
                raise remote_failure(e, endpoints) from e
            raise
        self.generation += 1

    def replace_graph(self, graph: str, quads: Sequence[Quad], *, shared: Sequence[Quad] = ()) -> None:
        """Atomically replace ``graph`` by ``quads`` and add ``shared`` quads to their own (shared) graphs."""
        self.update(replace_graph_update(graph, quads, shared))

    def write_graphs(self, graphs: Sequence[tuple[str, Sequence[Quad], Sequence[Quad]]]) -> None:
        """Write several article graphs: each ``(graph, quads, shared)`` replaces ``graph`` by ``quads`` and adds
        ``shared`` to their own graphs. After any failure each graph holds its new version whole, or its former
        one (or none). This default writes them one by one with ``replace_graph``; the embedded store writes the
        new ones with its bulk loader under an intent record (kg.write_intent)."""
        for graph, quads, shared in graphs:
            self.replace_graph(graph, quads, shared=shared)

    def triples(self, graph: str) -> Iterator[ox.Triple]:
        """Every triple of the named graph ``graph`` (a remote store reads it in pages, past its row limits)."""
        rows = self.query("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }",
                          substitutions={Variable("g"): NamedNode(graph)}, union_default_graph=False)
        return (ox.Triple(r["s"], r["p"], r["o"]) for r in solutions(rows))

    def drop_staging(self) -> list[str]:
        """Remove what a write cut short left outside the data (a remote store's staging graphs, kg.remote_store)
        and return the IRIs of the graphs removed: none here, where an article is written in one transaction."""
        return []

    def graph_filter(self) -> str:
        """A FILTER on the graph variable ``?g`` keeping claimgraph's graphs, for counts over ``GRAPH ?g``: empty
        where every graph of the store is ours (the embedded store); a remote store keeps out its own graphs."""
        return ""

    def named_graphs(self) -> list[str]:
        """The IRIs of every named graph holding at least one quad, sorted."""
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", union_default_graph=False).rows
        return sorted(text_of(r["g"]) for r in rows if isinstance(r.get("g"), NamedNode))

    def count(self, graph: str | None = None) -> int:
        """Number of quads in ``graph``, or in every named graph and the default graph."""
        if graph:
            sparql = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{NamedNode(graph).value}> {{ ?s ?p ?o }} }}"
        else:
            sparql = ("SELECT (COUNT(*) AS ?n) WHERE { { GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?o } }")
        return _count(self.select(sparql, union_default_graph=False))

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _graphs(graphs: Sequence[str] | None) -> tuple[str, ...] | None:
    return tuple(graphs) if graphs else None


def _count(solutions: Solutions) -> int:
    """The ``?n`` of a one-row COUNT query."""
    return int(text_of(solutions.rows[0]["n"])) if solutions.rows and "n" in solutions.rows[0] else 0


class EmbeddedStore(Store):
    """pyoxigraph (RocksDB) in a folder on disk; ``path=None`` keeps it in memory (tests, ``kg extract``)."""

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        self.location = str(path) if path is not None else ":memory:"
        self.read_only = read_only
        self._pool: QueryPool | None = None
        self._open: ox.Store | None = None
        try:
            if path is None:
                self._open = ox.Store()
            elif read_only:
                self._open = ox.Store.read_only(str(path))
            else:
                Path(path).mkdir(parents=True, exist_ok=True)
                self._open = ox.Store(str(path))
        except OSError as e:
            if "lock" in str(e).lower():
                raise StoreLocked(
                    f"the store {self.location} is open in another process (a running `kg serve` or `kg ingest`); "
                    "stop it or point KG_STORE at another folder") from e
            raise StoreError(f"cannot open the store {self.location}: {e}") from e
        self.recovered: list[str] = []
        """The article graphs a write cut short had begun, removed when this object opened the store."""
        if path is not None and not read_only:
            self.recovered = self._recover()

    def _recover(self) -> list[str]:
        try:
            return recover(self._store, self.location)
        except (OSError, ValueError) as e:
            self.close()
            raise StoreError(f"cannot finish the write cut short in the store {self.location}: {e}") from e

    def drop_staging(self) -> list[str]:
        """The graphs of a write cut short (kg.write_intent) that this object removed when it opened the store, once;
        none when no write was cut short."""
        dropped, self.recovered = self.recovered, []
        return dropped

    @property
    def _store(self) -> ox.Store:
        """The open pyoxigraph store. Raises StoreError once closed (or left closed by a failed ``compact``)."""
        if self._open is None:
            raise StoreError(f"the store {self.location} is closed")
        return self._open

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying pyoxigraph store, for callers that need its native API (backups, bulk loads)."""
        return self._store

    def query(self, sparql: str, *, substitutions: Substitutions | None = None,
              default_graph: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None,
              union_default_graph: bool = True) -> Results:
        try:
            return self._store.query(
                with_values_hint(sparql, substitutions),
                use_default_graph_as_union=union_default_graph and not default_graph,
                default_graph=[NamedNode(g) for g in default_graph] if default_graph else None,
                named_graphs=[NamedNode(g) for g in named_graphs] if named_graphs else None,
                substitutions=substitutions)
        except SyntaxError as e:
            raise BadQuery(f"SPARQL syntax error: {e}") from e
        except OSError as e:
            raise StoreError(f"the store {self.location} failed to answer: {e}") from e
        except RuntimeError as e:  # e.g. a substituted variable that the SELECT does not project
            raise BadQuery(str(e)) from e

    def update(self, sparql: str) -> None:
        self._update(sparql)

    def _update(self, sparql: str, base_iri: str | None = None) -> None:
        try:
            self._store.update(sparql, base_iri=base_iri)
        except SyntaxError as e:
            raise BadQuery(f"SPARQL Update syntax error: {e}") from e
        except OSError as e:
            raise StoreError(f"the store {self.location} refused the update: {e}") from e
        except RuntimeError as e:  # pyoxigraph: "Transaction are only possible on read-write instances"
            if self.read_only:
                raise StoreError(f"the store {self.location} is open read-only; it cannot be updated") from e
            raise StoreError(f"the store {self.location} refused the update: {e}") from e

    def apply(self, sparql: str, *, base_iri: str | None = None, endpoints: Sequence[str] = ()) -> None:
        try:
            self._update(sparql, base_iri)
        except StoreError as e:
            if endpoints:
                raise remote_failure(e.__cause__ or e, endpoints) from e
            raise
        self.generation += 1
        if self._pool is not None:  # readers go on with the previous snapshot until this one is open
            try:
                self._pool.publish(self.generation)
            except StoreError as e:
                raise StoreError(f"the update was applied, but queries still read the previous snapshot: "
                                 f"{e}") from e

    def execute(self, job: Job) -> Outcome:
        """Evaluate ``job`` in a worker process when workers run (stopped at ``job.timeout``), else in this process
        (where a query cannot be stopped: ``job.timeout`` is not enforced)."""
        if self._pool is not None:
            return self._pool.execute(job, timeout=job.timeout or DEFAULT_TIMEOUT)
        return evaluate(self._store, job)

    def has_graph(self, graph: str) -> bool:
        return bool(self._store.contains_named_graph(NamedNode(graph)))

    def start_workers(self, *, size: int, checkpoint_dir: str | None = None, reserve: int = 1,
                      per_client: int | None = None) -> QueryPool | None:
        """Killable worker processes over checkpoints of this store (kg.query_pool); none for a store in memory
        or opened read-only, or when ``size`` is 0. Raises StoreError when a checkpoint cannot be made."""
        if size <= 0 or self.location == ":memory:" or self.read_only or self._pool is not None:
            return self._pool
        from kg.query_pool import QueryPool

        self._pool = QueryPool(self._store, size=size, store_path=self.location, checkpoint_dir=checkpoint_dir,
                               reserve=reserve, per_client=per_client)
        return self._pool

    @property
    def pool(self) -> QueryPool | None:
        return self._pool

    def load_graph(self, graph: str, quads: Sequence[Quad]) -> None:
        self.replace_graph(graph, quads)

    def write_graphs(self, graphs: Sequence[tuple[str, Sequence[Quad], Sequence[Quad]]]) -> None:
        """Graphs not yet in the store go in with the bulk loader, their completeness records and the shared quads
        after them in one transaction, under an intent record that the next open acts on after a crash
        (kg.write_intent: each new graph is then whole or absent, with its shared quads); graphs already stored are
        replaced by one update (``DROP`` + ``INSERT DATA``). Raises ValueError, before anything is written, for a
        quad outside its graph; StoreError when the store fails."""
        new: list[tuple[str, Sequence[Quad], Sequence[Quad]]] = []
        stored: list[tuple[str, Sequence[Quad], Sequence[Quad]]] = []
        for item in graphs:  # checked before anything is written
            target = NamedNode(item[0])
            wrong = next((q for q in item[1] if q.graph_name != target), None)
            if wrong is not None:
                raise ValueError(f"quad {wrong} is not in graph <{item[0]}>")
            wrong = next((q for q in item[2] if not isinstance(q.graph_name, NamedNode)), None)
            if wrong is not None:
                raise ValueError(f"quads written by claimgraph belong to a named graph, not {wrong.graph_name!r}")
            (stored if self.has_graph(item[0]) else new).append(item)
        if new:
            self._write_new(new)
        if stored:
            ops = [f"DROP SILENT GRAPH <{graph}>" for graph, _, _ in stored]
            ops.append(_insert_data(_by_graph([q for _, article, shared in stored for q in (*article, *shared)])))
            self.update(" ;\n".join(ops))

    def _write_new(self, new: Sequence[tuple[str, Sequence[Quad], Sequence[Quad]]]) -> None:
        bodies: list[Quad] = []
        closing: list[Quad] = []  # completeness records and shared quads: what makes the batch count as written
        for _, article, shared in new:
            for q in article:
                (closing if is_record(q) else bodies).append(q)
            closing.extend(shared)
        try:
            with self._intent([graph for graph, _, _ in new]):
                if bodies:
                    self._store.bulk_extend(bodies)
                self._store.extend(closing)
        except BaseException as e:  # a refused quad, a full disk, a second Ctrl-C: no partial graph stays
            if self.location != ":memory:":
                with suppress(OSError, ValueError):  # else at the next open, from the intent record left
                    recover(self._store, self.location)
            if isinstance(e, OSError):
                raise StoreError(f"the store {self.location} refused {len(new)} article graph(s): {e}") from e
            raise

    def _intent(self, graphs: Sequence[str]) -> AbstractContextManager[None]:
        """The intent record of a write of ``graphs`` (none in memory, where nothing outlives a crash)."""
        return nullcontext() if self.location == ":memory:" else intent(self.location, graphs)

    def triples(self, graph: str) -> Iterator[ox.Triple]:
        return (q.triple for q in self._store.quads_for_pattern(None, None, None, NamedNode(graph)))

    def compact(self) -> None:
        """Compact the files and drop the write-ahead log, which RocksDB deletes only when the folder is opened
        again: after a long ingest the log is most of the folder. The store is closed and opened again, in this
        process. Raises StoreError when the store fails."""
        if self.location == ":memory:" or self.read_only or self._pool is not None:
            return  # in memory, read-only, or serving queries from worker processes: nothing to do, or not now
        try:
            self._store.optimize()
            self._store.flush()
        except OSError as e:
            raise StoreError(f"cannot compact the store {self.location}: {e}") from e
        self._open = None  # RocksDB must release the folder before it can be opened again
        try:
            self._open = ox.Store(self.location)
        except OSError as e:  # left closed: close() does nothing, any other call raises StoreError
            raise StoreError(f"the store {self.location} was compacted but could not be opened again: {e}; "
                             "its data is on disk, open it again") from e

    def dump(self, output: IO[bytes], format: RdfFormat, *, graph: str | None = None) -> None:
        if graph is not None:
            self._store.dump(output, format, from_graph=NamedNode(graph))
        elif format.supports_datasets:
            self._store.dump(output, format)
        else:
            ox.serialize(_union_triples(self._store.quads_for_pattern(None, None, None)), output, format)

    def close(self) -> None:
        """Stop the workers (if any) and release the store; closing twice does nothing."""
        if self._open is None:
            return
        if self._pool is not None:
            self._pool.close()
            self._pool = None
        if self.location != ":memory:" and not self.read_only:
            self._open.flush()
        self._open = None


def _union_triples(quads: Iterable[Quad]) -> list[ox.Triple]:
    return sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)


# -- backends ------------------------------------------------------------------------------------------------------
class Opener(Protocol):
    """How a backend opens the store at a location: ``open_store``'s arguments, passed on."""

    def __call__(self, location: str, *, read_only: bool, timeout: float | None) -> Store: ...


BACKENDS: dict[str, Opener] = {}
"""URL scheme of a store location (``""`` for a folder) -> the backend that opens it."""

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


def register_backend(opener: Opener, *schemes: str) -> None:
    """Make ``open_store`` open locations of ``schemes`` (``"mem"`` for ``mem://...``) with ``opener``: a new store
    backend is a Store subclass and this one call."""
    for scheme in schemes:
        BACKENDS[scheme.lower()] = opener


def scheme_of(location: str) -> str:
    r"""The URL scheme of a store location, ``""`` for a folder.

    >>> scheme_of("http://localhost:7878/query"), scheme_of("data/store"), scheme_of("C:\\stores\\kg")
    ('http', '', '')
    """
    match = _SCHEME.match(location)
    return match.group(1).lower() if match else ""


def is_remote(location: str) -> bool:
    """Whether ``location`` names a store other than a folder on this machine (a URL of a registered scheme)."""
    return scheme_of(location) not in ("", "file")


def open_store(location: str | None = None, *, read_only: bool = False, timeout: float | None = None) -> Store:
    """Open the store at ``location`` (default: ``KG_STORE`` or ``./data/store``) with the backend registered for
    its URL scheme: a folder (or ``file://``) is embedded, ``http(s)://`` a remote SPARQL endpoint. ``timeout``
    bounds each query where the backend applies one at opening (a remote store's HTTP deadline).

    Raises BadInput for a scheme no backend takes, StoreError / StoreLocked when the store cannot be opened.
    """
    where = config.store_location(location)
    scheme = scheme_of(where)
    if scheme not in BACKENDS:
        raise BadInput(f"no store backend for {scheme}:// locations ({where}); use a folder or one of "
                       + ", ".join(f"{s}://" for s in sorted(BACKENDS) if s))
    return BACKENDS[scheme](where, read_only=read_only, timeout=timeout)


def _open_embedded(location: str, *, read_only: bool, timeout: float | None) -> Store:
    return EmbeddedStore(location.removeprefix("file://"), read_only=read_only)


def _open_remote(location: str, *, read_only: bool, timeout: float | None) -> Store:
    from kg.remote_store import RemoteStore  # it imports this module

    return RemoteStore(location, timeout=timeout)


register_backend(_open_embedded, "", "file")
register_backend(_open_remote, "http", "https")
DEFAULT_TIMEOUT = 30.0
"""Seconds a worker may spend on a job that names no timeout."""


def __getattr__(name: str) -> object:
    if name == "RemoteStore":  # it lives in kg.remote_store, which imports this module
        from kg.remote_store import RemoteStore
        return RemoteStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
