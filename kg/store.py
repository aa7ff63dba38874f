"""The store: one small interface, two implementations.

- ``EmbeddedStore``: pyoxigraph on disk (the default), one read-write process per folder.
- ``RemoteStore``: any SPARQL 1.1 Query + Update endpoint over HTTP (Oxigraph server, Fuseki, QLever, Virtuoso,
  GraphDB, Neptune), with the Graph Store Protocol for bulk graph loads where one is configured.

Writes of one article are one SPARQL Update request (``DROP SILENT GRAPH`` + ``INSERT DATA``), which both
Oxigraph and the common stores apply in one transaction: after any failure the article is fully in the store or
not at all. ``open_store`` picks the implementation from the location: an ``http(s)://`` URL is remote.
"""

from __future__ import annotations

import base64
import http.client
import re
import time
import urllib.parse
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
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Variable,
)

import kg
from kg import config
from kg.errors import BadInput, BadQuery, StoreError, StoreLocked, StoreTimeout

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


class RemoteStore(Store):
    """A SPARQL 1.1 endpoint over HTTP. ``url`` answers queries; updates go to ``update_url``."""

    def __init__(self, url: str, *, update_url: str | None = None, gsp_url: str | None = None,
                 union_param: str | None = None, timeout: float | None = None,
                 user: str | None = None, password: str | None = None, token: str | None = None) -> None:
        self.location = url
        self.url = url
        self.update_url = update_url or config.env("UPDATE_URL") or _default_update_url(url)
        self.gsp_url = gsp_url or config.env("GSP_URL")
        self.union_param = union_param if union_param is not None else config.env(
            "REMOTE_UNION_PARAM", "union-default-graph")
        self.timeout = timeout or float(config.env("REMOTE_TIMEOUT", "60") or 60)
        user = user or config.env("REMOTE_USER")
        password = password or config.env("REMOTE_PASSWORD")
        self._auth = ("Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()) if user else None
        token = token or config.env("UPDATE_TOKEN")
        self._bearer = f"Bearer {token}" if token else None  # updates of a `kg serve` (its KG_UPDATE_TOKEN)

    def _request(self, url: str, data: bytes | None, headers: dict[str, str], method: str = "POST", *,
                 update: bool = False) -> tuple[str, bytes]:
        """Send one request and read its answer within ``self.timeout`` seconds in all.

        Only a failure to connect (nothing sent yet) is tried again, up to ``CONNECT_ATTEMPTS`` times; once the
        request is sent it is never repeated. At the deadline the connection is closed (most stores then stop the
        query) and StoreTimeout is raised; an HTTP error answer is BadQuery (400) or StoreError at once.
        """
        headers = {"User-Agent": f"claimgraph/{kg.__version__}", **headers}
        auth = self._bearer if update and self._bearer else self._auth
        if auth:
            headers["Authorization"] = auth
        deadline = time.monotonic() + self.timeout
        conn = _connect(url, deadline)
        try:
            target = urllib.parse.urlsplit(url)
            path = (target.path or "/") + (f"?{target.query}" if target.query else "")
            try:
                conn.request(method, path, body=data, headers=headers)
                resp = conn.getresponse()
                body = _read_until(conn, resp, deadline)
            except TimeoutError as e:
                what = "update (it may or may not have been applied)" if update else "query"
                raise StoreTimeout(f"{url} did not answer the {what} within {self.timeout:g} s (KG_REMOTE_TIMEOUT); "
                                   "the request was cancelled") from e
            except (OSError, http.client.HTTPException) as e:
                raise StoreError(f"the SPARQL endpoint {url} failed during the request: {e}") from e
        finally:
            conn.close()
        if resp.status >= 300:
            detail = body.decode("utf-8", "replace")[:500]
            if resp.status == 400:
                raise BadQuery(f"{url} rejected the request: {detail}")
            if resp.status == 413:  # this request, not the store: a smaller one may go in
                raise BadInput(f"{url} refused the request of {len(data or b''):,} bytes as too large: {detail}")
            if resp.status in (401, 403) and update:
                detail += " (set KG_UPDATE_TOKEN to the server's update token)"
            raise StoreError(f"{url} answered {resp.status} {resp.reason}: {detail}")
        return resp.headers.get("Content-Type", ""), body

    def query(self, sparql: str, *, substitutions: Substitutions | None = None,
              default_graph: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None,
              union_default_graph: bool = True) -> Results:
        form: list[tuple[str, str]] = [("query", bind_values(sparql, substitutions or {}))]
        form += [("default-graph-uri", g) for g in default_graph or ()]
        form += [("named-graph-uri", g) for g in named_graphs or ()]
        url = self.url
        if union_default_graph and not default_graph and self.union_param:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode({self.union_param: "true"})
        ctype, body = self._request(url, urllib.parse.urlencode(form).encode(), {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json, application/n-triples;q=0.9"})
        media = ctype.split(";")[0].strip().lower()
        if media in ("application/n-triples", "text/plain"):
            return iter(ox.parse(body, RdfFormat.N_TRIPLES))
        fmt = QueryResultsFormat.from_media_type(media) or QueryResultsFormat.JSON
        return ox.parse_query_results(body, fmt)

    def count(self, graph: str | None = None) -> int:
        """Quads in ``graph``, or in every named graph. The default graph is not added: over HTTP it is often the
        union of the named graphs (``kg serve``, Virtuoso, GraphDB), which counted every quad twice, and claimgraph
        writes nothing into it."""
        if graph:
            return super().count(graph)
        rows = list(self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", union_default_graph=False))
        return int(rows[0]["n"].value)  # type: ignore[index,union-attr]

    def update(self, sparql: str) -> None:
        self._request(self.update_url, sparql.encode("utf-8"),
                      {"Content-Type": "application/sparql-update; charset=utf-8"}, update=True)

    def load_graph(self, graph: str, quads: Sequence[Quad]) -> None:
        if not self.gsp_url:
            self.replace_graph(graph, quads)
            return
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
        url = self.gsp_url + ("&" if "?" in self.gsp_url else "?") + urllib.parse.urlencode({"graph": graph})
        self._request(url, ox.serialize(triples, format=RdfFormat.N_TRIPLES) or b"",
                      {"Content-Type": "application/n-triples"}, method="PUT", update=True)

    def dump(self, output: IO[bytes], format: RdfFormat, *, graph: str | None = None) -> None:
        if graph:
            rows = self.query("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }",
                              substitutions={Variable("g"): NamedNode(graph)}, union_default_graph=False)
            triples = [ox.Triple(r["s"], r["p"], r["o"]) for r in rows]  # type: ignore[union-attr,index]
            ox.serialize(sorted(triples, key=str), output, format)
            return
        rows = self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", union_default_graph=False)
        quads = [Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows]  # type: ignore[union-attr,index]
        if format.supports_datasets:
            ox.serialize(sorted(quads, key=str), output, format)
        else:
            ox.serialize(_union_triples(quads), output, format)

    def close(self) -> None:
        pass


def _default_update_url(url: str) -> str:
    """Where updates go when KG_UPDATE_URL is not set: ``…/query`` (or ``…/query/``: Oxigraph, Fuseki) becomes
    ``…/update``; any other endpoint (``kg serve``'s ``/sparql``, Virtuoso, GraphDB) takes updates at its own URL.

    >>> _default_update_url("http://h:7878/query/"), _default_update_url("http://h:8000/sparql")
    ('http://h:7878/update', 'http://h:8000/sparql')
    """
    base = url.rstrip("/")
    return base[: -len("/query")] + "/update" if base.endswith("/query") else url


CONNECT_ATTEMPTS = 3


def _connect(url: str, deadline: float) -> http.client.HTTPConnection:
    """An open connection to ``url``'s host, tried again (with backoff) only while nothing has been sent."""
    target = urllib.parse.urlsplit(url)
    if target.scheme not in ("http", "https") or not target.hostname:
        raise StoreError(f"not an http(s) URL of a SPARQL endpoint: {url!r}")
    kind = http.client.HTTPSConnection if target.scheme == "https" else http.client.HTTPConnection
    for attempt in range(CONNECT_ATTEMPTS):
        conn = kind(target.hostname, target.port, timeout=max(deadline - time.monotonic(), 0.001))
        try:
            conn.connect()
            return conn
        except OSError as e:  # refused, unreachable, DNS: the request never left, so trying again is safe
            conn.close()
            if attempt == CONNECT_ATTEMPTS - 1 or time.monotonic() + 0.2 * 2**attempt >= deadline:
                raise StoreError(f"cannot reach the SPARQL endpoint {url}: {e}") from e
            time.sleep(0.2 * 2**attempt)
    raise AssertionError("unreachable")


def _read_until(conn: http.client.HTTPConnection, resp: http.client.HTTPResponse, deadline: float) -> bytes:
    """The whole body of ``resp``, raising TimeoutError at ``deadline`` however slowly the bytes trickle in."""
    chunks = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("deadline passed while reading the answer")
        if conn.sock is not None:
            conn.sock.settimeout(left)
        chunk = resp.read1(65536)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def open_store(location: str | None = None, *, read_only: bool = False) -> Store:
    """Open the store at ``location`` (default: ``KG_STORE`` or ``./data/store``); ``http(s)://`` is remote."""
    where = config.store_location(location)
    if where.startswith(("http://", "https://")):
        return RemoteStore(where)
    return EmbeddedStore(where, read_only=read_only)


DEFAULT_GRAPH = DefaultGraph()
