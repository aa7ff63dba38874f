"""Evaluating one query job against a pyoxigraph store: the work done inside a query worker (or in-process).

This module imports only pyoxigraph and the error tree, so worker processes start fast.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kg.errors import BadQuery, KGError, NotFound, StoreError
from server import negotiation
from server.errors import NotAcceptable
from server.federation import remote_failure

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
DEFAULT_GRAPH = ""
"""In ``Job.default_graph``: the store's own default graph (never an IRI, so no request parameter can name it)."""


@dataclass(frozen=True)
class Answer:
    """A serialised answer: ``kind`` is ``solutions``, ``boolean`` or ``graph``."""

    body: bytes
    media_type: str
    kind: str


@dataclass(frozen=True)
class Job:
    """One query to evaluate. ``mode`` is ``serialize`` (-> Answer), ``rows`` (-> variables and rows of terms)
    or ``triples`` (-> list of Triple). ``media_type`` wins over ``accept`` when both are given."""

    sparql: str
    mode: str = "serialize"
    substitutions: dict[str, Term] = field(default_factory=dict)
    default_graph: Sequence[str] | None = None
    named_graphs: Sequence[str] | None = None
    media_type: str | None = None
    accept: str | None = None
    format_hint: str | None = None
    base_iri: str | None = None
    max_rows: int | None = None
    endpoints: tuple[str, ...] = ()
    """The remote endpoints the query calls (SERVICE), checked by server.federation before it runs."""
    require_graph: str | None = None
    """A named graph that must exist in the snapshot the query reads, else NotFound (the Graph Store's GET)."""


QueryFunction = Callable[..., Any]


def kind_of(results: Any) -> str:
    if isinstance(results, ox.QueryBoolean):
        return "boolean"
    if isinstance(results, ox.QuerySolutions):
        return "solutions"
    return "graph"


def run_query(store: ox.Store, job: Job) -> Any:
    """Start ``job`` on ``store``: results are lazy, evaluation happens while they are read.

    Raises BadQuery for a syntax error, NotFound for a missing ``require_graph``, StoreError when the store fails.
    """
    if job.require_graph is not None and not store.contains_named_graph(ox.NamedNode(job.require_graph)):
        raise NotFound(f"there is no graph {job.require_graph}")
    try:
        return store.query(
            job.sparql, base_iri=job.base_iri,
            use_default_graph_as_union=not job.default_graph,
            default_graph=[ox.DefaultGraph() if g == DEFAULT_GRAPH else ox.NamedNode(g) for g in job.default_graph]
            if job.default_graph else None,
            named_graphs=[ox.NamedNode(g) for g in job.named_graphs] if job.named_graphs else None,
            substitutions={ox.Variable(k): v for k, v in job.substitutions.items()} or None)
    except SyntaxError as e:
        raise BadQuery(f"SPARQL syntax error: {e}") from e
    except (ValueError, RuntimeError) as e:  # a graph IRI that is not absolute; a misused substitution
        if job.endpoints:
            raise remote_failure(e, job.endpoints) from e
        raise BadQuery(str(e)) from e
    except OSError as e:
        if job.endpoints:
            raise remote_failure(e, job.endpoints) from e
        raise StoreError(f"the store failed to answer: {e}") from e


def finish(results: Any, job: Job) -> Any:
    """Read ``results`` as ``job.mode`` asks. Raises NotAcceptable, BadQuery or StoreError."""
    kind = kind_of(results)
    try:
        if job.mode == "rows":
            if kind != "solutions":
                raise BadQuery(f"expected a SELECT query, got a {kind} answer")
            names = [v.value for v in results.variables]
            rows = []
            for solution in results:
                if job.max_rows is not None and len(rows) >= job.max_rows:
                    break
                rows.append({n: solution[n] for n in names if solution[n] is not None})
            return names, rows
        if job.mode == "triples":
            if kind != "graph":
                raise BadQuery(f"expected a CONSTRUCT or DESCRIBE query, got a {kind} answer")
            return list(results)
        media_type = negotiation.choose(kind, job.media_type or job.accept, format_hint=job.format_hint)
        if media_type is None:
            offered = ", ".join(negotiation.FORMATS[kind])
            raise NotAcceptable(f"cannot write a {kind} answer as {job.media_type or job.accept!r}; "
                                f"available: {offered}")
        name = negotiation.FORMATS[kind][media_type]
        buffer = io.BytesIO()
        if kind == "graph":
            ox.serialize(results, buffer, getattr(ox.RdfFormat, name))
        else:
            results.serialize(buffer, getattr(ox.QueryResultsFormat, name))
        return Answer(buffer.getvalue(), media_type, kind)
    except KGError:
        raise
    except (SyntaxError, RuntimeError, ValueError, OSError) as e:
        if job.endpoints:  # a remote endpoint's error message may quote its answer: never pass it on
            raise remote_failure(e, job.endpoints) from e
        if isinstance(e, OSError):
            raise StoreError(f"the store failed while answering: {e}") from e
        raise BadQuery(f"the query failed: {e}") from e


def evaluate(store: ox.Store, job: Job) -> Any:
    """Evaluate ``job`` on ``store`` completely (see Job.mode for the result)."""
    return finish(run_query(store, job), job)
