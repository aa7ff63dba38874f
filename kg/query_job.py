"""One query to a store, and its evaluation on pyoxigraph: what ``Store.execute`` takes and gives.

A ``Job`` says what to ask (the SPARQL text, variables bound to RDF terms by name, the dataset, prefixes, a time
limit) and what to give back (``mode``): ``select`` gives ``Solutions``, ``ask`` a bool, ``construct`` a list of
triples, ``answer`` an ``Answer`` serialised in the format the caller chose for each kind of result (a server
negotiates it before evaluation, so a query worker process needs no HTTP code). Variables are named by plain
strings (``"speaker"``, without ``?``) everywhere above the store; only the store turns them into pyoxigraph
``Variable`` s.

This module imports only pyoxigraph, kg.errors and kg.formats, so query worker processes start fast.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

import pyoxigraph as ox

from kg import formats
from kg.errors import BadQuery, KGError, NotAcceptable, NotFound, StoreError, remote_failure
from kg.formats import Kind
from kg.sparql.binding import with_values_hint

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Bindings = Mapping[str, Term]
"""Variable name (no ``?``) -> the RDF term it is bound to before evaluation."""
Mode = Literal["select", "ask", "construct", "answer"]
Raw = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | list[ox.Triple]
"""What pyoxigraph's ``Store.query`` gives (or a remote store's answer, parsed)."""

DEFAULT_GRAPH = ""
"""In ``Job.default_graph``: the store's own default graph (never an IRI, so no request parameter can name it)."""


class Solutions(NamedTuple):
    """The answer of a SELECT query: its variables, and its rows (an unbound variable is absent from a row)."""

    variables: list[str]
    rows: list[dict[str, Term]]


@dataclass(frozen=True)
class Answer:
    """A serialised answer: ``kind`` is ``solutions``, ``boolean`` or ``graph``."""

    body: bytes
    media_type: str
    kind: Kind


Outcome = Solutions | bool | list[ox.Triple] | Answer


@dataclass(frozen=True)
class Job:
    """One query to evaluate, and what to give back (see the module docstring)."""

    sparql: str
    mode: Mode = "select"
    bindings: Mapping[str, Term] = field(default_factory=dict)
    default_graph: tuple[str, ...] | None = None
    """The default graph's IRIs (``DEFAULT_GRAPH`` for the store's own); None: the union of all graphs when
    ``union_default_graph``, else the store's own."""
    named_graphs: tuple[str, ...] | None = None
    union_default_graph: bool = True
    base_iri: str | None = None
    prefixes: Mapping[str, str] | None = None
    """Declared before the query text (``PREFIX p: <ns>``), and used by Turtle and TriG answers."""
    max_rows: int | None = None
    timeout: float | None = None
    """Seconds; a store that can stop a query (the embedded store with workers, a remote store) stops it then."""
    media_types: Mapping[Kind, str | None] = field(default_factory=dict)
    """``answer`` mode: the media type chosen for each kind of result (None: nothing the client accepts)."""
    asked: str | None = None
    """``answer`` mode: what the client asked for (its Accept header), named when nothing fits."""
    endpoints: tuple[str, ...] = ()
    """The remote endpoints the query calls (SERVICE), checked by the caller before it runs; their failures are
    reported without their answer."""
    require_graph: str | None = None
    """A named graph that must exist in the snapshot the query reads, else NotFound (the Graph Store's GET)."""
    client: str = "local"
    """Who asks, for stores that share their workers fairly between clients."""

    @property
    def text(self) -> str:
        """The query with the prefix declarations before it."""
        if not self.prefixes:
            return self.sparql
        return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in self.prefixes.items()) + self.sparql


def text_of(term: Term) -> str:
    """The lexical form of a literal, the IRI of a named node, the id of a blank node; a quoted triple in
    N-Triples form."""
    return str(term) if isinstance(term, ox.Triple) else term.value


def kind_of(results: Raw) -> Kind:
    if isinstance(results, ox.QueryBoolean):
        return "boolean"
    if isinstance(results, ox.QuerySolutions):
        return "solutions"
    return "graph"


def run_query(store: ox.Store, job: Job) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """Start ``job`` on ``store``: results are lazy, evaluation happens while they are read.

    Raises BadQuery for a syntax error, NotFound for a missing ``require_graph``, StoreError when the store fails.
    """
    if job.require_graph is not None and not store.contains_named_graph(ox.NamedNode(job.require_graph)):
        raise NotFound(f"there is no graph {job.require_graph}")
    try:
        substitutions = {ox.Variable(k): v for k, v in job.bindings.items()}
        return store.query(
            with_values_hint(job.text, substitutions), base_iri=job.base_iri,
            use_default_graph_as_union=job.union_default_graph and not job.default_graph,
            default_graph=[ox.DefaultGraph() if g == DEFAULT_GRAPH else ox.NamedNode(g) for g in job.default_graph]
            if job.default_graph else None,
            named_graphs=[ox.NamedNode(g) for g in job.named_graphs] if job.named_graphs else None,
            substitutions=substitutions or None)
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


def finish(results: Raw, job: Job) -> Outcome:
    """Read ``results`` as ``job.mode`` asks. Raises NotAcceptable, BadQuery or StoreError."""
    kind = kind_of(results)
    try:
        if job.mode == "select":
            if not isinstance(results, ox.QuerySolutions):
                raise BadQuery(f"expected a SELECT query, got a {kind} answer")
            return _solutions(results, job.max_rows)
        if job.mode == "ask":
            if not isinstance(results, ox.QueryBoolean):
                raise BadQuery(f"expected an ASK query, got a {kind} answer")
            return bool(results)
        if job.mode == "construct":
            if isinstance(results, ox.QuerySolutions | ox.QueryBoolean):
                raise BadQuery(f"expected a CONSTRUCT or DESCRIBE query, got a {kind} answer")
            return list(results)
        return _answer(results, kind, job)
    except KGError:
        raise
    except (SyntaxError, RuntimeError, ValueError, OSError) as e:
        if job.endpoints:  # a remote endpoint's error message may quote its answer: never pass it on
            raise remote_failure(e, job.endpoints) from e
        if isinstance(e, OSError):
            raise StoreError(f"the store failed while answering: {e}") from e
        raise BadQuery(f"the query failed: {e}") from e


def _solutions(results: ox.QuerySolutions, max_rows: int | None) -> Solutions:
    names = [v.value for v in results.variables]
    rows: list[dict[str, Term]] = []
    for solution in results:
        if max_rows is not None and len(rows) >= max_rows:
            break
        row: dict[str, Term] = {}
        for name in names:
            term = solution[name]
            if term is not None:
                row[name] = term
        rows.append(row)
    return Solutions(names, rows)


def _answer(results: Raw, kind: Kind, job: Job) -> Answer:
    media_type = job.media_types.get(kind)
    if media_type is None:
        offered = ", ".join(f.media_type for f in formats.of_kind(kind))
        raise NotAcceptable(f"cannot write a {kind} answer as {job.asked!r}; available: {offered}")
    fmt = formats.for_media_type(media_type)
    buffer = io.BytesIO()
    if isinstance(results, ox.QuerySolutions | ox.QueryBoolean):
        fmt.write_results(results, buffer)
    else:
        fmt.write_graph(results, buffer, prefixes=job.prefixes)
    return Answer(buffer.getvalue(), media_type, kind)


def evaluate(store: ox.Store, job: Job) -> Outcome:
    """Evaluate ``job`` on ``store`` completely (see Job.mode for the result)."""
    return finish(run_query(store, job), job)
