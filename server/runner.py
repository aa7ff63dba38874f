"""Running SPARQL for the server: the only way views reach the store, and only through ``kg.store.Store``.

``current_runner()`` is the app's ``QueryRunner``. It adds what a shared service needs around the store: a bound on
queries in progress (in all and per client, ``ServerBusy``), the SSRF check of SERVICE and LOAD targets
(server.federation), content negotiation of serialised answers, and the time limit. Views call ``run`` (a
serialised answer), ``select`` (``Solutions``), ``ask`` or ``construct`` (triples); the protocol views also call
``update`` and ``graph_exists``. Variables are bound by name (``{"iri": NamedNode(...)}``), as everywhere.

Whether a query can be stopped at its time limit is the store's business: the embedded store started with workers
(``Store.start_workers``) kills the worker process; a remote store closes its HTTP connection; an embedded store
without workers cannot stop a query.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import TypeVar

import pyoxigraph as ox
from flask import current_app, has_request_context, request

from kg.formats import KINDS
from kg.query_job import Answer, Bindings, Job, Outcome, Solutions
from kg.store import Store
from server import negotiation
from server.errors import ServerBusy
from server.federation import FederationPolicy

__all__ = ["Answer", "QueryRunner", "ServerBusy", "Solutions", "current_runner"]

EXTENSION = "claimgraph.runner"
T = TypeVar("T")


def current_runner() -> QueryRunner:
    """The QueryRunner of the current Flask app (inside a request or app context)."""
    runner = current_app.extensions[EXTENSION]
    assert isinstance(runner, QueryRunner)
    return runner


class QueryRunner:
    """Evaluates queries and updates against one store, within the configured limits."""

    def __init__(self, store: Store, *, timeout: float = 30.0, max_concurrent: int = 8,
                 federation: FederationPolicy | None = None, client_queries: int | None = None) -> None:
        self.store = store
        self.federation = federation if federation is not None else FederationPolicy()
        self.timeout = timeout
        self.max_concurrent = max_concurrent
        self.client_queries = client_queries or max(1, max_concurrent // 2)
        self._slots = threading.BoundedSemaphore(max_concurrent)
        self._admitted: dict[str, int] = {}
        self._admitted_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._closed = False
        self.before_write: list[Callable[[], None]] = []
        """Called before each update (server.keys marks the search index unsafe for page keys)."""

    @property
    def generation(self) -> int:
        """Updates applied through this server (VoID is recomputed when it changes)."""
        return self.store.generation

    def graph_filter(self) -> str:
        """The store's filter keeping counts to claimgraph's graphs (kg.store.Store.graph_filter)."""
        return self.store.graph_filter()

    @property
    def pool(self) -> object | None:
        """The store's query worker pool, if it runs one (for the server's log and tests)."""
        return self.store.pool

    # -- queries ---------------------------------------------------------------------------------------------
    def run(self, sparql: str, bindings: Bindings | None = None, *,
            default_graph: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None,
            media_type: str | None = None, accept: str | None = None, format_hint: str | None = None,
            base_iri: str | None = None, require_graph: str | None = None,
            prefixes: Mapping[str, str] | None = None) -> Answer:
        """Evaluate and serialise. ``media_type`` (exact) or ``accept`` (an Accept header) picks the format.
        With ``require_graph``, NotFound (404) unless that named graph is in the snapshot the query reads.

        Raises BadQuery (400), ServiceRefused (400: a SERVICE the server may not call), NotFound (404),
        NotAcceptable (406), ServiceFailed (502), QueryTimeout (503), ServerBusy (503), StoreError (503).
        """
        asked = media_type or accept
        choices = {kind: negotiation.choose(kind, asked, format_hint=format_hint) for kind in KINDS}
        return self._answer(Job(sparql, "answer", dict(bindings or {}), _graphs(default_graph),
                                _graphs(named_graphs), base_iri=base_iri, prefixes=prefixes, media_types=choices,
                                asked=asked, endpoints=self.federation.check(sparql, base_iri=base_iri),
                                require_graph=require_graph), Answer)

    def select(self, sparql: str, bindings: Bindings | None = None, *, max_rows: int | None = None,
               prefixes: Mapping[str, str] | None = None) -> Solutions:
        """The variables and (at most ``max_rows``) rows of a SELECT query; unbound variables are absent."""
        return self._answer(Job(sparql, "select", dict(bindings or {}), max_rows=max_rows, prefixes=prefixes,
                                endpoints=self.federation.check(sparql)), Solutions)

    def ask(self, sparql: str, bindings: Bindings | None = None, *,
            prefixes: Mapping[str, str] | None = None) -> bool:
        """The answer of an ASK query."""
        return self._answer(Job(sparql, "ask", dict(bindings or {}), prefixes=prefixes,
                                endpoints=self.federation.check(sparql)), bool)

    def construct(self, sparql: str, bindings: Bindings | None = None, *,
                  prefixes: Mapping[str, str] | None = None) -> list[ox.Triple]:
        """The triples of a CONSTRUCT or DESCRIBE query."""
        return self._answer(Job(sparql, "construct", dict(bindings or {}), prefixes=prefixes,
                                endpoints=self.federation.check(sparql)), list)

    def _answer(self, job: Job, expected: type[T]) -> T:
        outcome = self._submit(job)
        assert isinstance(outcome, expected), f"{job.mode} gave {type(outcome).__name__}"
        return outcome

    def _submit(self, job: Job) -> Outcome:
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
            return self.store.execute(_with(job, timeout=self.timeout, client=client))
        finally:
            with self._admitted_lock:
                self._admitted[client] -= 1
                if not self._admitted[client]:
                    del self._admitted[client]
                self._slots.release()

    def graph_exists(self, iri: str) -> bool:
        """Whether the store holds the named graph ``iri`` (as written: the store itself, not a snapshot)."""
        return self.store.has_graph(iri)

    # -- updates ---------------------------------------------------------------------------------------------
    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Apply a SPARQL Update in one transaction. Raises BadQuery, ServiceRefused (a LOAD or SERVICE the server
        may not call), ServiceFailed or StoreError; nothing is written on failure."""
        endpoints = self.federation.check(sparql, base_iri=base_iri)
        with self._write_lock:
            for hook in self.before_write:
                hook()
            self.store.apply(sparql, base_iri=base_iri, endpoints=endpoints)

    def close(self) -> None:
        """Stop the query workers and release the store (idempotent)."""
        if not self._closed:
            self._closed = True
            self.store.close()


def _graphs(graphs: Sequence[str] | None) -> tuple[str, ...] | None:
    return tuple(graphs) if graphs else None


def _with(job: Job, *, timeout: float, client: str) -> Job:
    return replace(job, timeout=job.timeout or timeout, client=client)


def current_client() -> str:
    """Who sends the current request, for per-client limits: its address (after KG_PROXIES hops of
    X-Forwarded-For), or ``local`` outside a request."""
    if has_request_context():
        return request.remote_addr or "unknown"
    return "local"
