"""Running SPARQL for the server: the only way views reach the store.

``current_runner()`` is the app's ``QueryRunner``. Queries are answered with the union of all graphs as default
graph unless ``default_graph`` is given. Views call ``run`` (a serialised answer), ``select`` (rows of terms) or
``construct`` (triples); the protocol view also calls ``update``.

Over an embedded store with ``workers > 0``, queries run in killable worker processes (``server.pool``), so the
timeout really stops them. Over a remote store, or with ``workers == 0``, they run in the server process: a remote
store is asked with an HTTP timeout; in-process embedded queries cannot be stopped.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import Any

import pyoxigraph as ox
from flask import current_app, has_request_context, request

from kg.errors import BadInput, BadQuery, KGError, NotFound, StoreError
from kg.store import EmbeddedStore, RemoteStore, Store
from server.errors import QueryTimeout, ServerBusy
from server.evaluate import DEFAULT_GRAPH, Answer, Job, Term, finish, run_query
from server.federation import FederationPolicy, remote_failure
from server.pool import QueryPool

__all__ = ["Answer", "QueryRunner", "QueryTimeout", "ServerBusy", "current_runner"]

EXTENSION = "claimgraph.runner"


def current_runner() -> QueryRunner:
    """The QueryRunner of the current Flask app (inside a request or app context)."""
    return current_app.extensions[EXTENSION]


def _names(substitutions: Mapping[Any, Term] | None) -> dict[str, Term]:
    out: dict[str, Term] = {}
    for key, term in (substitutions or {}).items():
        name = key.value if isinstance(key, ox.Variable) else str(key).lstrip("?$")
        out[name] = term
    return out


class QueryRunner:
    """Evaluates queries and updates against one store, within the configured limits."""

    def __init__(self, store: Store, *, timeout: float = 30.0, max_concurrent: int = 8, workers: int = 0,
                 checkpoint_dir: str | None = None, federation: FederationPolicy | None = None,
                 client_queries: int | None = None, client_workers: int | None = None,
                 reserve_workers: int = 1) -> None:
        self.store = store
        self.federation = federation if federation is not None else FederationPolicy()
        self.pool: QueryPool | None = None
        if workers > 0 and isinstance(store, EmbeddedStore) and store.location != ":memory:":
            self.pool = QueryPool(store.oxigraph, size=workers, store_path=store.location,
                                  checkpoint_dir=checkpoint_dir, reserve=reserve_workers, per_client=client_workers)
        self.timeout = timeout
        self.max_concurrent = max_concurrent
        self.client_queries = client_queries or max(1, max_concurrent // 2)
        self._slots = threading.BoundedSemaphore(max_concurrent)
        self._admitted: dict[str, int] = {}
        self._admitted_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self.generation = 0
        self._closed = False

    # -- queries ---------------------------------------------------------------------------------------------
    def run(self, sparql: str, substitutions: Mapping[Any, Term] | None = None, *,
            default_graph: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None,
            media_type: str | None = None, accept: str | None = None, format_hint: str | None = None,
            base_iri: str | None = None, require_graph: str | None = None) -> Answer:
        """Evaluate and serialise. ``media_type`` (exact) or ``accept`` (an Accept header) picks the format.
        With ``require_graph``, NotFound (404) unless that named graph is in the snapshot the query reads.

        Raises BadQuery (400), ServiceRefused (400: a SERVICE the server may not call), NotAcceptable (406),
        ServiceFailed (502), QueryTimeout (503), ServerBusy (503), StoreError (503).
        """
        job = Job(sparql, "serialize", _names(substitutions), default_graph or None, named_graphs or None,
                  media_type, accept, format_hint, base_iri,
                  endpoints=self.federation.check(sparql, base_iri=base_iri), require_graph=require_graph)
        if require_graph is not None and not isinstance(self.store, EmbeddedStore) and \
                not self.graph_exists(require_graph):
            raise NotFound(f"there is no graph {require_graph}")
        return self._submit(job)

    def select(self, sparql: str, substitutions: Mapping[Any, Term] | None = None, *,
               max_rows: int | None = None) -> tuple[list[str], list[dict[str, Term]]]:
        """The variables and (at most ``max_rows``) rows of a SELECT query; unbound variables are absent."""
        return self._submit(Job(sparql, "rows", _names(substitutions), max_rows=max_rows,
                                endpoints=self.federation.check(sparql)))

    def construct(self, sparql: str, substitutions: Mapping[Any, Term] | None = None) -> list[ox.Triple]:
        """The triples of a CONSTRUCT or DESCRIBE query."""
        return self._submit(Job(sparql, "triples", _names(substitutions), endpoints=self.federation.check(sparql)))

    def _submit(self, job: Job) -> Any:
        client = current_client()
        if not self._slots.acquire(blocking=False):
            raise ServerBusy(f"all {self.max_concurrent} query slots are busy (KG_MAX_CONCURRENT_QUERIES); "
                             "retry shortly")
        with self._admitted_lock:
            mine = self._admitted.get(client, 0)
            if mine >= self.client_queries:
                self._slots.release()
                raise ServerBusy(f"this client already has {mine} queries in progress, the most one client may "
                                 f"have (KG_CLIENT_QUERIES); retry when one is answered")
            self._admitted[client] = mine + 1
        try:
            return self._evaluate(job, client)
        finally:
            with self._admitted_lock:
                self._admitted[client] -= 1
                if not self._admitted[client]:
                    del self._admitted[client]
                self._slots.release()

    def _evaluate(self, job: Job, client: str) -> Any:
        if self.pool is not None:
            return self.pool.execute(job, client=client, timeout=self.timeout)
        if isinstance(self.store, EmbeddedStore):
            return finish(run_query(self.store.oxigraph, job), job)
        return finish(_remote_query(self.store, job), job)

    def graph_exists(self, iri: str) -> bool:
        """Whether the store holds the named graph ``iri`` (as written: the store itself, not a snapshot)."""
        if isinstance(self.store, EmbeddedStore):
            return self.store.oxigraph.contains_named_graph(ox.NamedNode(iri))
        return bool(self.select("SELECT (1 AS ?x) WHERE { GRAPH ?g { } }", {"g": ox.NamedNode(iri)})[1])

    # -- updates ---------------------------------------------------------------------------------------------
    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Apply a SPARQL Update in one transaction. Raises BadQuery, ServiceRefused (a LOAD or SERVICE the server
        may not call), ServiceFailed or StoreError; nothing is written on failure."""
        endpoints = self.federation.check(sparql, base_iri=base_iri)
        with self._write_lock:
            if isinstance(self.store, EmbeddedStore):
                try:
                    self.store.oxigraph.update(sparql, base_iri=base_iri)
                except SyntaxError as e:
                    raise BadQuery(f"SPARQL Update syntax error: {e}") from e
                except (OSError, RuntimeError) as e:
                    if endpoints:
                        raise remote_failure(e, endpoints) from e
                    raise StoreError(f"the store refused the update: {e}") from e
            else:
                self.store.update(sparql)
            self.generation += 1
            if self.pool is not None:  # readers go on with the previous snapshot until this one is open
                try:
                    self.pool.publish(self.generation)
                except StoreError as e:
                    raise StoreError(f"the update was applied, but queries still read the previous snapshot: "
                                     f"{e}") from e

    def close(self) -> None:
        """Stop the query workers and release the store (idempotent)."""
        if not self._closed:
            self._closed = True
            if self.pool is not None:
                self.pool.close()
            self.store.close()


def current_client() -> str:
    """Who sends the current request, for per-client limits: its address (after KG_PROXIES hops of
    X-Forwarded-For), or ``local`` outside a request."""
    if has_request_context():
        return request.remote_addr or "unknown"
    return "local"


def _remote_query(store: Store, job: Job) -> Any:
    if not isinstance(store, RemoteStore):
        raise StoreError(f"unsupported store {store!r}")
    if job.default_graph and DEFAULT_GRAPH in job.default_graph:
        raise BadInput("the default graph of a remote store cannot be read here; ask its own Graph Store endpoint")
    try:
        return store.query(job.sparql, substitutions={ox.Variable(k): v for k, v in job.substitutions.items()},
                           default_graph=job.default_graph, named_graphs=job.named_graphs)
    except KGError:
        raise
    except TimeoutError as e:
        raise QueryTimeout(f"the remote store did not answer within {store.timeout:g} s") from e
