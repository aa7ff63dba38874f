"""The store: one small interface, two implementations.

- ``EmbeddedStore``: pyoxigraph on disk (the default), one read-write process per folder.
- ``RemoteStore`` (kg.remote_store): any SPARQL 1.1 Query + Update endpoint over HTTP (Oxigraph server, Virtuoso,
  Fuseki, QLever, GraphDB, Neptune), with the Graph Store Protocol for bulk graph loads where one is configured.

The embedded store writes one article in one SPARQL Update (``DROP SILENT GRAPH`` + ``INSERT DATA``), one
transaction; a remote store stages it and switches it in with one ``MOVE`` (kg.remote_store): after any failure
the article is fully in the store or not at all. ``open_store`` picks the implementation from the location: an
``http(s)://`` URL is remote.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO

import pyoxigraph as ox
from pyoxigraph import (
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Variable,
)

from kg import config
from kg.errors import BadQuery, StoreError, StoreLocked

Term = NamedNode | ox.BlankNode | Literal | ox.Triple
Results = QuerySolutions | QueryBoolean | QueryTriples | Iterator[ox.Triple]
Substitutions = dict[Variable, Term]

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


class Store(ABC):
    """What claimgraph needs of a triple store. Every IRI argument is a plain string."""

    location: str

    @abstractmethod
    def query(self, sparql: str, *, substitutions: Substitutions | None = None,
              default_graph: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None,
              union_default_graph: bool = True) -> Results:
        """Run a SPARQL query. Without ``default_graph`` the default graph is the union of all graphs
        (``union_default_graph``). Variables in ``substitutions`` are bound to RDF terms before evaluation.

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

    def replace_graph(self, graph: str, quads: Sequence[Quad], *, shared: Sequence[Quad] = ()) -> None:
        """Atomically replace ``graph`` by ``quads`` and add ``shared`` quads to their own (shared) graphs."""
        self.update(replace_graph_update(graph, quads, shared))

    def triples(self, graph: str) -> Iterator[ox.Triple]:
        """Every triple of the named graph ``graph`` (a remote store reads it in pages, past its row limits)."""
        rows = self.query("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }",
                          substitutions={Variable("g"): NamedNode(graph)}, union_default_graph=False)
        return (ox.Triple(r["s"], r["p"], r["o"]) for r in rows)  # type: ignore[union-attr,index,arg-type]

    def named_graphs(self) -> list[str]:
        """The IRIs of every named graph holding at least one quad, sorted."""
        rows = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", union_default_graph=False)
        return sorted(r["g"].value for r in rows)  # type: ignore[union-attr,index]

    def count(self, graph: str | None = None) -> int:
        """Number of quads in ``graph``, or in every named graph and the default graph."""
        if graph:
            sparql = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{NamedNode(graph).value}> {{ ?s ?p ?o }} }}"
        else:
            sparql = ("SELECT (COUNT(*) AS ?n) WHERE { { GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?o } }")
        rows = list(self.query(sparql, union_default_graph=False))  # type: ignore[arg-type]
        return int(rows[0]["n"].value)

    def ask(self, sparql: str, **kwargs: object) -> bool:
        return bool(self.query(sparql, **kwargs))  # type: ignore[arg-type]

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class EmbeddedStore(Store):
    """pyoxigraph (RocksDB) in a folder on disk; ``path=None`` keeps it in memory (tests, ``kg extract``)."""

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        self.location = str(path) if path is not None else ":memory:"
        self.read_only = read_only
        try:
            if path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(path))
            else:
                Path(path).mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(path))
        except OSError as e:
            if "lock" in str(e).lower():
                raise StoreLocked(
                    f"the store {self.location} is open in another process (a running `kg serve` or `kg ingest`); "
                    "stop it or point KG_STORE at another folder") from e
            raise StoreError(f"cannot open the store {self.location}: {e}") from e

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying pyoxigraph store, for callers that need its native API (backups, bulk loads)."""
        return self._store

    def query(self, sparql: str, *, substitutions: Substitutions | None = None,
              default_graph: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None,
              union_default_graph: bool = True) -> Results:
        try:
            return self._store.query(
                sparql,
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
        try:
            self._store.update(sparql)
        except SyntaxError as e:
            raise BadQuery(f"SPARQL Update syntax error: {e}") from e
        except OSError as e:
            raise StoreError(f"the store {self.location} refused the update: {e}") from e
        except RuntimeError as e:  # pyoxigraph: "Transaction are only possible on read-write instances"
            if self.read_only:
                raise StoreError(f"the store {self.location} is open read-only; it cannot be updated") from e
            raise StoreError(f"the store {self.location} refused the update: {e}") from e

    def load_graph(self, graph: str, quads: Sequence[Quad]) -> None:
        self.replace_graph(graph, quads)

    def triples(self, graph: str) -> Iterator[ox.Triple]:
        return (q.triple for q in self._store.quads_for_pattern(None, None, None, NamedNode(graph)))

    def dump(self, output: IO[bytes], format: RdfFormat, *, graph: str | None = None) -> None:
        if graph is not None:
            self._store.dump(output, format, from_graph=NamedNode(graph))
        elif format.supports_datasets:
            self._store.dump(output, format)
        else:
            ox.serialize(_union_triples(self._store.quads_for_pattern(None, None, None)), output, format)

    def close(self) -> None:
        if self.location != ":memory:" and not self.read_only:
            self._store.flush()
        del self._store


def _union_triples(quads: Iterable[Quad]) -> list[ox.Triple]:
    return sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)


SPARQL_TOKEN = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|' r"'''(?:[^'\\]|\\.|'(?!''))*'''|"
    r'"(?:[^"\\\n]|\\.)*"|' r"'(?:[^'\\\n]|\\.)*'|"
    r"<[^<>\"{}|^`\\\s]*>|#[^\n]*|[{}]|[A-Za-z_][A-Za-z_0-9]*|\S")


def bind_values(sparql: str, substitutions: Substitutions) -> str:
    """Bind variables to RDF terms for an endpoint without SEP-0007: a ``VALUES`` block opening the WHERE group.

    Terms are written in N-Triples form (escaped by pyoxigraph), so nothing the user typed becomes query syntax.
    The binding joins with the top-level pattern; unlike SEP-0007 it does not reach into sub-SELECTs.
    """
    if not substitutions:
        return sparql
    variables = " ".join(f"?{v.value}" for v in substitutions)
    values = " ".join(str(t) for t in substitutions.values())
    block = f" VALUES ({variables}) {{ ({values}) }} "
    depth, groups, seen_construct, seen_where = 0, 0, False, False
    for m in SPARQL_TOKEN.finditer(sparql):
        tok = m.group(0)
        upper = tok.upper()
        if depth == 0 and upper == "CONSTRUCT":
            seen_construct = True
        elif depth == 0 and upper == "WHERE":
            seen_where = True
        elif tok == "{":
            if depth == 0:
                groups += 1
                if seen_where or not seen_construct or groups == 2:
                    return sparql[: m.end()] + block + sparql[m.end():]
            depth += 1
        elif tok == "}":
            depth -= 1
    raise BadQuery("cannot bind parameters: the query has no WHERE group")


def open_store(location: str | None = None, *, read_only: bool = False) -> Store:
    """Open the store at ``location`` (default: ``KG_STORE`` or ``./data/store``); ``http(s)://`` is remote."""
    where = config.store_location(location)
    if where.startswith(("http://", "https://")):
        from kg.remote_store import RemoteStore
        return RemoteStore(where)
    return EmbeddedStore(where, read_only=read_only)


DEFAULT_GRAPH = DefaultGraph()


def __getattr__(name: str) -> object:
    if name == "RemoteStore":  # it lives in kg.remote_store, which imports this module
        from kg.remote_store import RemoteStore
        return RemoteStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
