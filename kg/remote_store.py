"""``RemoteStore``: any SPARQL 1.1 Query + Update endpoint over HTTP (Oxigraph server, Virtuoso, Fuseki, QLever,
GraphDB, Neptune), written and read so that nothing depends on one store's habits (docs/stores.md).

Writing one graph (``replace_graph``) is whole on any store that applies one small update atomically:

1. the new version goes into a staging graph (``…/staging/<graph path>``, outside our graph names), in chunks of at
   most ``KG_REMOTE_CHUNK`` quads (default 500: Virtuoso turns one ``INSERT DATA`` of about 1,100 quads into more
   than its 10,000 lines of SQL), each chunk its own request;
2. the quads the graph adds to shared graphs go in, chunked the same way (they only add);
3. one ``MOVE SILENT GRAPH <staging> TO GRAPH <graph>`` switches the graph to its new version (one statement, which
   Oxigraph and Virtuoso commit whole: after kill -9 the graph is the old version or the new one).

A crash before step 3 leaves the old version and a partial staging graph, which ``drop_staging`` (run by
``kg ingest`` before it writes) removes. The graph also holds its completeness record (``<graph> void:triples n``,
kg.ingest), so a graph left partial by a store whose MOVE is not atomic is found and written again.

Reading is store-neutral: SPARQL JSON results are normalised before pyoxigraph parses them (Virtuoso's
``nodeID://b1`` blank nodes, ``typed-literal``, unquoted numbers); CONSTRUCT and DESCRIBE ask for RDF and take any
RDF syntax (or s/p/o results) the store answers with; whole graphs are read in pages of ``KG_REMOTE_PAGE_ROWS`` rows
keyed by subject, so a store's row limit (Virtuoso's ``ResultSetMaxRows``) never cuts an export or a validation
silently; graph lists and counts are limited to claimgraph's graphs (``https://w3id.org/claimgraph/graph/…``,
or the prefix ``KG_REMOTE_GRAPHS``; empty: all), not the store's own (Virtuoso holds five). Credentials go as
HTTP Basic, or Digest when the endpoint asks for it (Virtuoso's ``/sparql-auth``). An HTTP error answer is never
sent again; only a connection that never opened is.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import os
import re
import secrets
import time
import urllib.parse
from collections.abc import Iterator, Sequence
from typing import IO, Any

import pyoxigraph as ox
from pyoxigraph import NamedNode, Quad, QueryResultsFormat, RdfFormat

import kg
from kg import config
from kg.errors import BadInput, BadQuery, StoreError, StoreTimeout
from kg.http import Retry, retrying
from kg.sparql import SPARQL_TOKEN, bind_values
from kg.store import Results, Store, Substitutions, _by_graph, _union_triples, solutions
from kg.vocab import BASE, graph_iri

OUR_GRAPHS = graph_iri("")
"""Every graph claimgraph writes has an IRI starting with this; graph lists and counts keep to them."""
STAGING = BASE + "staging/"
"""Prefix of the staging graphs of ``replace_graph``: outside ``OUR_GRAPHS``, so never listed as data."""

DEFAULT_CHUNK = 500
DEFAULT_PAGE_ROWS = 5000
CONNECT_ATTEMPTS = 3
RDF_ACCEPT = ("application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.8, application/ld+json;q=0.7, "
              "text/plain;q=0.5, application/sparql-results+json;q=0.1")
RESULTS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.5"


def staging_graph(graph: str) -> str:
    """Where the new version of ``graph`` is written before the switch.

    >>> staging_graph("https://w3id.org/claimgraph/graph/article/a")
    'https://w3id.org/claimgraph/staging/article/a'
    """
    return STAGING + (graph[len(OUR_GRAPHS):] if graph.startswith(OUR_GRAPHS) else
                      "other/" + hashlib.sha256(graph.encode()).hexdigest()[:32])


def query_form(sparql: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first such keyword outside strings, IRIs and comments."""
    for m in SPARQL_TOKEN.finditer(sparql):
        tok = m.group(0).upper()
        if tok in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            return tok
    return "SELECT"


def _int_env(name: str, default: int) -> int:
    raw = config.env(name)
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"KG_{name} must be a whole number of at least 1, not {raw!r}")
    return int(raw)


def _union_param_setting() -> str | None:
    """``KG_REMOTE_UNION_PARAM``: unset gives ``union-default-graph``; set but empty sends no parameter."""
    raw = os.environ.get("KG_REMOTE_UNION_PARAM")
    if raw is None:
        return "union-default-graph"
    return raw.strip() or None



def _partial_answer(status: int, headers: http.client.HTTPMessage) -> str:
    """Why an answer with a success status holds only part of the result, or "" when it is whole: HTTP 206, or
    Virtuoso's "anytime" state ``X-SQL-State: S1TAT`` (a query stopped at the store's time limit, answered with the
    rows found so far)."""
    state = (headers.get("X-SQL-State") or "").strip()
    if state == "S1TAT":
        message = headers.get("X-SQL-Message") or "query interrupted by the result timeout"
        return f"X-SQL-State S1TAT: {message.strip()}"
    return "HTTP 206 Partial Content" if status == 206 else ""


class RemoteStore(Store):
    """A SPARQL 1.1 endpoint over HTTP. ``url`` answers queries; updates go to ``update_url``."""

    def __init__(self, url: str, *, update_url: str | None = None, gsp_url: str | None = None,
                 union_param: str | None = None, timeout: float | None = None,
                 user: str | None = None, password: str | None = None, token: str | None = None,
                 chunk: int | None = None, page_rows: int | None = None) -> None:
        self.location = url
        self.url = url
        self.update_url = update_url or config.env("UPDATE_URL") or _default_update_url(url)
        self.gsp_url = gsp_url or config.env("GSP_URL")
        self.union_param = (union_param or None) if union_param is not None else _union_param_setting()
        self.timeout = timeout or float(config.env("REMOTE_TIMEOUT", "60") or 60)
        raw_prefix = os.environ.get("KG_REMOTE_GRAPHS")
        self.graph_prefix = OUR_GRAPHS if raw_prefix is None else raw_prefix.strip()
        self.chunk = chunk or _int_env("REMOTE_CHUNK", DEFAULT_CHUNK)
        self.page_rows = page_rows or _int_env("REMOTE_PAGE_ROWS", DEFAULT_PAGE_ROWS)
        self._user = user or config.env("REMOTE_USER")
        self._password = password or config.env("REMOTE_PASSWORD") or ""
        self._auth = ("Basic " + base64.b64encode(f"{self._user}:{self._password}".encode()).decode()
                      if self._user else None)
        self._digest: _Digest | None = None
        token = token or config.env("UPDATE_TOKEN")
        self._bearer = f"Bearer {token}" if token else None  # updates of a `kg serve` (its KG_UPDATE_TOKEN)
        self.last_headers: http.client.HTTPMessage | None = None

    # --- HTTP ------------------------------------------------------------------------------------------------

    def _request(self, url: str, data: bytes | None, headers: dict[str, str], method: str = "POST", *,
                 update: bool = False) -> tuple[str, bytes]:
        """Send one request and read its answer within ``self.timeout`` seconds in all.

        Only a failure to connect (nothing sent yet) is tried again, up to ``CONNECT_ATTEMPTS`` times, and a 401
        that asks for Digest credentials is answered once with them; otherwise a request is never repeated. At the
        deadline the connection is closed (most stores then stop the query) and StoreTimeout is raised; an HTTP
        error answer is BadQuery (400), BadInput (413) or StoreError at once.
        """
        headers = {"User-Agent": f"claimgraph/{kg.__version__}", **headers}
        deadline = time.monotonic() + self.timeout
        target = urllib.parse.urlsplit(url)
        path = (target.path or "/") + (f"?{target.query}" if target.query else "")
        bearer = self._bearer if update and self._bearer else None
        mode = "digest" if self._digest else "basic"
        for _ in range(3):  # a 401 is a request refused unread: sending it again with credentials is safe
            headers.pop("Authorization", None)
            auth = bearer or (self._digest.header(method, path) if mode.startswith("digest") and self._digest
                              else self._auth if mode == "basic" else None)
            if auth:
                headers["Authorization"] = auth
            status, reason, resp_headers, body = self._exchange(url, path, method, data, headers, deadline, update)
            if status != 401 or bearer or not self._user:
                break
            challenges = resp_headers.get_all("WWW-Authenticate") or []
            challenge = next((c for c in challenges if c.lower().startswith("digest")), "")
            if challenge and mode != "digest, answered":
                self._digest, mode = _Digest(self._user, self._password, challenge), "digest, answered"
            elif not challenge and mode == "basic":
                mode = "none"  # Virtuoso answers Basic with a bare 401: ask without credentials for its challenge
            else:
                break
        self.last_headers = resp_headers
        if status >= 300:
            detail = body.decode("utf-8", "replace")[:500]
            if status == 400:
                raise BadQuery(f"{url} rejected the request: {detail}")
            if status == 413:  # this request, not the store: a smaller one may go in
                raise BadInput(f"{url} refused the request of {len(data or b''):,} bytes as too large: {detail}")
            if status in (401, 403):
                if update and (bearer or not self._user):
                    detail += " (set KG_UPDATE_TOKEN to the server's update token)"
                else:
                    detail += " (check KG_REMOTE_USER and KG_REMOTE_PASSWORD)"
            raise StoreError(f"{url} answered {status} {reason}: {detail}")
        partial = _partial_answer(status, resp_headers)
        if partial:
            raise StoreTimeout(f"{url} answered only part of the result ({partial}); a partial answer is never used "
                               "as a whole one: raise the store's own time limit (Virtuoso: MaxQueryExecutionTime) "
                               "or ask less")
        return resp_headers.get("Content-Type", ""), body

    def _exchange(self, url: str, path: str, method: str, data: bytes | None, headers: dict[str, str],
                  deadline: float, update: bool) -> tuple[int, str, http.client.HTTPMessage, bytes]:
        conn = _connect(url, deadline)
        try:
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
        return resp.status, resp.reason, resp.headers, body

    # --- reading -----------------------------------------------------------------------------------------------

    def query(self, sparql: str, *, substitutions: Substitutions | None = None,
              default_graph: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None,
              union_default_graph: bool = True) -> Results:
        kind = query_form(sparql)
        sent, projected = sparql, None
        decimals = {v.value for v, t in (substitutions or {}).items()
                    if isinstance(t, ox.Literal) and t.datatype.value in _DECIMALS}
        if decimals and kind == "SELECT":
            sent, projected = unprojected(sparql, decimals)
        form: list[tuple[str, str]] = [("query", bind_values(sent, substitutions or {}))]
        form += [("default-graph-uri", g) for g in default_graph or ()]
        form += [("named-graph-uri", g) for g in named_graphs or ()]
        url = self.url
        if union_default_graph and not default_graph and self.union_param:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode({self.union_param: "true"})
        graph_form = kind in ("CONSTRUCT", "DESCRIBE")
        ctype, body = self._request(url, urllib.parse.urlencode(form).encode(), {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": RDF_ACCEPT if graph_form else RESULTS_ACCEPT})
        return parse_answer(ctype, body, graph_form=graph_form, source=self.url, fixed=substitutions,
                            head=projected)

    def _rows(self, sparql: str) -> tuple[list[ox.QuerySolution], int | None]:
        """The rows of a SELECT over named graphs, and the row limit the store said it applied (if it did)."""
        rows = list(solutions(self.query(sparql, union_default_graph=False)))
        limit = self.last_headers.get("X-SPARQL-MaxRows") if self.last_headers else None
        return rows, int(limit) if limit and str(limit).isdigit() else None

    def triples(self, graph: str) -> Iterator[ox.Triple]:
        """Every triple of ``graph``, read in pages of at most ``page_rows`` rows keyed by subject.

        A page ends inside the triples of its last subject, so that subject is read again from the start by the next
        page; a store that answers a page with fewer rows than asked because of its own row limit
        (``X-SPARQL-MaxRows``) makes the page smaller. Raises StoreError when one subject has more triples than a
        page can hold (raise KG_REMOTE_PAGE_ROWS and the store's limit).
        """
        g = str(NamedNode(graph))
        size = self.page_rows
        start: str | None = None
        while True:
            after = "" if start is None else f"FILTER(STR(?s) >= {ox.Literal(start)})"
            rows, limit = self._rows(f"SELECT ?s ?p ?o WHERE {{ GRAPH {g} {{ ?s ?p ?o FILTER(!isBlank(?s)) }} "
                                     f"{after} }} ORDER BY STR(?s) LIMIT {size}")
            if limit is not None and limit < size and len(rows) >= limit:
                size = limit
                continue
            if len(rows) < size:
                yield from (ox.Triple(r["s"], r["p"], r["o"]) for r in rows)
                break
            last = rows[-1]["s"].value
            if rows[0]["s"].value == last:
                raise StoreError(f"<{graph}> has more than {size} triples about <{last}>: set KG_REMOTE_PAGE_ROWS "
                                 "(and the store's row limit) higher to read it")
            yield from (ox.Triple(r["s"], r["p"], r["o"]) for r in rows
                        if r["s"].value != last)
            start = last
        rows, limit = self._rows(f"SELECT ?s ?p ?o WHERE {{ GRAPH {g} {{ ?s ?p ?o FILTER(isBlank(?s)) }} }}")
        if limit is not None and len(rows) >= limit:
            raise StoreError(f"<{graph}> has {limit} or more triples about blank nodes, more than the store answers "
                             "in one result; export it with the store's own tools")
        yield from (ox.Triple(r["s"], r["p"], r["o"]) for r in rows)

    def graph_filter(self) -> str:
        """The filter keeping graph ``?g`` to ours: under ``KG_REMOTE_GRAPHS`` (default claimgraph's graph IRIs;
        empty: every graph), never a staging graph."""
        keep = f"STRSTARTS(STR(?g), {ox.Literal(self.graph_prefix)}) && " if self.graph_prefix else ""
        return f"FILTER({keep}!STRSTARTS(STR(?g), {ox.Literal(STAGING)}))"

    def named_graphs(self) -> list[str]:
        """claimgraph's graphs holding at least one quad, sorted (not the store's own graphs, nor staging)."""
        rows = self.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self.graph_filter()} }}",
                          union_default_graph=False)
        return sorted(r["g"].value for r in solutions(rows))

    def count(self, graph: str | None = None) -> int:
        """Quads in ``graph``, or in all of claimgraph's graphs. The default graph is not added: over HTTP it is
        often the union of the named graphs (``kg serve``, Virtuoso, GraphDB), which counted every quad twice, and
        claimgraph writes nothing into it; the store's own graphs (Virtuoso's system graphs) are not ours."""
        if graph:
            return super().count(graph)
        rows = list(solutions(self.query(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self.graph_filter()} }}",
            union_default_graph=False)))
        return int(rows[0]["n"].value)

    def dump(self, output: IO[bytes], format: RdfFormat, *, graph: str | None = None) -> None:
        """Our graphs (or one) in ``format``, read page by page, terms in Oxigraph's canonical form (Virtuoso
        writes ``"…07.800Z"`` for the ``"…07.8Z"`` it was given), so equal data exports equal bytes."""
        graphs = [graph] if graph else self.named_graphs()
        memory = ox.Store()
        for g in graphs:
            memory.extend(Quad(t.subject, t.predicate, t.object, NamedNode(g)) for t in self.triples(g))
        quads = list(memory)
        if graph:
            ox.serialize(sorted((q.triple for q in quads), key=str), output, format)
            return
        if format.supports_datasets:
            ox.serialize(sorted(quads, key=str), output, format)
        else:
            ox.serialize(_union_triples(quads), output, format)

    # --- writing -----------------------------------------------------------------------------------------------

    def update(self, sparql: str) -> None:
        self._request(self.update_url, sparql.encode("utf-8"),
                      {"Content-Type": "application/sparql-update; charset=utf-8"}, update=True)

    def replace_graph(self, graph: str, quads: Sequence[Quad], *, shared: Sequence[Quad] = ()) -> None:
        """Replace ``graph`` by ``quads`` through its staging graph and one ``MOVE`` (see the module doc), and add
        ``shared`` quads to their graphs. A failure before the ``MOVE`` leaves the old version in place."""
        target = NamedNode(graph)
        for q in quads:
            if q.graph_name != target:
                raise ValueError(f"quad {q} is not in graph <{graph}>")
        stage = staging_graph(graph)
        self.update(f"DROP SILENT GRAPH <{stage}>")
        staged = [Quad(q.subject, q.predicate, q.object, NamedNode(stage)) for q in quads]
        for chunk in _chunks(staged, self.chunk):
            self.update(_insert_data(chunk))
        for chunk in _chunks(list(shared), self.chunk):
            self.update(_insert_data(chunk))
        if staged:
            self.update(f"MOVE SILENT GRAPH <{stage}> TO GRAPH <{graph}>")
        else:
            self.update(f"DROP SILENT GRAPH <{graph}>")

    def load_graph(self, graph: str, quads: Sequence[Quad]) -> None:
        if not self.gsp_url:
            self.replace_graph(graph, quads)
            return
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
        url = self.gsp_url + ("&" if "?" in self.gsp_url else "?") + urllib.parse.urlencode({"graph": graph})
        self._request(url, ox.serialize(triples, format=RdfFormat.N_TRIPLES) or b"",
                      {"Content-Type": "application/n-triples"}, method="PUT", update=True)

    def drop_staging(self) -> list[str]:
        """Drop the staging graphs a crashed ``replace_graph`` left behind; returns their IRIs."""
        rows = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                          f"FILTER(STRSTARTS(STR(?g), {ox.Literal(STAGING)})) }}", union_default_graph=False)
        left = sorted(r["g"].value for r in solutions(rows))
        for g in left:
            self.update(f"DROP SILENT GRAPH <{g}>")
        return left

    def close(self) -> None:
        pass


_DECIMALS = {"http://www.w3.org/2001/XMLSchema#decimal", "http://www.w3.org/2001/XMLSchema#double",
             "http://www.w3.org/2001/XMLSchema#float"}


def unprojected(sparql: str, names: set[str]) -> tuple[str, list[str] | None]:
    """``sparql`` without the variables ``names`` in its outer SELECT clause, and that clause's variables in order
    (None when nothing was taken out). The bound parameters go back into every row from their terms
    (``normalised_json_results``). Used for decimal parameters only: Virtuoso 7.2 cannot carry a decimal bound
    from outside through DISTINCT, GROUP BY or ORDER BY (SR128), and cannot compile some queries that bind a
    parameter they do not project (SP031), so other parameters stay projected.

    >>> unprojected("SELECT ?a ?n (COUNT(?b) AS ?c) WHERE { ?a ?p ?n }", {"n"})
    ('SELECT ?a  (COUNT(?b) AS ?c) WHERE { ?a ?p ?n }', ['a', 'n', 'c'])
    """
    tokens = [m for m in SPARQL_TOKEN.finditer(sparql) if not m.group(0).startswith("#")]
    start = next((i for i, m in enumerate(tokens) if m.group(0).upper() == "SELECT"), None)
    if start is None:
        return sparql, None
    order: list[str] = []
    cuts: list[tuple[int, int]] = []
    depth, i = 0, start + 1
    while i < len(tokens):
        tok = tokens[i].group(0)
        if depth == 0 and (tok.upper() in ("WHERE", "FROM") or tok == "{"):
            break
        if tok == "*" and depth == 0:
            return sparql, None
        if tok in ("?", "$") and i + 1 < len(tokens) and tokens[i + 1].start() == tokens[i].end():
            name = tokens[i + 1].group(0)
            if depth == 0 or tokens[i - 1].group(0).upper() == "AS":
                order.append(name)
                if depth == 0 and name in names:
                    cuts.append((tokens[i].start(), tokens[i + 1].end()))
            i += 2
            continue
        depth += {"(": 1, ")": -1}.get(tok, 0)
        i += 1
    if not cuts or len(cuts) == len(order):
        return sparql, None
    for a, b in reversed(cuts):
        sparql = sparql[:a] + sparql[b:]
    return sparql, order


def _chunks(items: Sequence[Quad], size: int) -> Iterator[Sequence[Quad]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _insert_data(quads: Sequence[Quad]) -> str:
    """``INSERT DATA`` of ``quads`` (terms in N-Triples form, which escapes them). Refuses blank nodes, which
    ``INSERT DATA`` would make new nodes of on every write (and Virtuoso refuses: SP031)."""
    parts = []
    for graph, group in _by_graph(quads).items():
        for q in group:
            if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode):
                raise ValueError(f"claimgraph writes no blank nodes (skolemise them first): {q}")
        body = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in group)
        parts.append(f"GRAPH <{graph}> {{\n{body}\n}}")
    return "INSERT DATA {\n" + "\n".join(parts) + "\n}"


# --- answers -----------------------------------------------------------------------------------------------------

_BNODE_ID = re.compile(r"[^A-Za-z0-9_]")
_TIMES = {"http://www.w3.org/2001/XMLSchema#dateTime", "http://www.w3.org/2001/XMLSchema#time"}
_FRACTION_ZEROS = re.compile(r"\.(\d*?)0+(?=Z|[+-]\d\d:\d\d|$)")


def _bnode_id(value: str) -> str:
    """A blank node label N-Triples and pyoxigraph accept, for any label a store gives (``nodeID://b10005``).

    >>> _bnode_id("nodeID://b10005"), _bnode_id("b0")
    ('nodeID___b10005', 'b0')
    """
    label = _BNODE_ID.sub("_", value)
    return label if label else "b"


def _term_json(term: dict[str, Any]) -> dict[str, Any]:
    """One binding in standard SPARQL 1.1 JSON form: ``typed-literal`` is a literal, ``lang`` is ``xml:lang``,
    a number is its text, a blank node label is made valid, a time's fraction loses its trailing zeros (Oxigraph's
    canonical form, which claimgraph writes).

    >>> _term_json({"type": "typed-literal", "value": "2018-05-01T10:00:07.800Z",
    ...             "datatype": "http://www.w3.org/2001/XMLSchema#dateTime"})["value"]
    '2018-05-01T10:00:07.8Z'
    """
    kind = term.get("type")
    value = term.get("value")
    out = dict(term)
    if not isinstance(value, str) and kind != "triple":
        out["value"] = json.dumps(value) if not isinstance(value, str) else value
    if kind == "typed-literal":
        out["type"] = "literal"
    if "lang" in out:
        out["xml:lang"] = out.pop("lang")
    if kind == "bnode":
        out["value"] = _bnode_id(str(value))
    if out.get("datatype") in _TIMES and isinstance(out.get("value"), str):
        # Virtuoso answers "…41.430Z" for the "…41.43Z" stored
        out["value"] = _FRACTION_ZEROS.sub(lambda m: f".{m.group(1)}" if m.group(1) else "", out["value"])
    if kind == "triple" and isinstance(value, dict):
        out["value"] = {k: _term_json(v) for k, v in value.items()}
    if out.get("type") == "literal" and out.get("datatype") == "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString" \
            and "xml:lang" in out:
        out.pop("datatype")
    return out


def _json_of(term: ox.NamedNode | ox.Literal | ox.BlankNode | ox.Triple) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.Literal):
        if term.language:
            return {"type": "literal", "value": term.value, "xml:lang": term.language}
        return {"type": "literal", "value": term.value, "datatype": term.datatype.value}
    raise ValueError(f"cannot bind a parameter to {term!r}")


def normalised_json_results(body: bytes, fixed: Substitutions | None = None,
                            head: list[str] | None = None) -> dict[str, Any]:
    """A SPARQL JSON results document as SPARQL 1.1 writes it, from what a store sent (see ``_term_json``).

    A projected variable bound from outside (``fixed``, sent as ``VALUES``) is given its bound term in every row:
    the store may have changed it (Virtuoso answers ``true`` as ``"1"^^xsd:integer``), SEP-0007 does not.
    ``head``, when given, is the projection of the query asked (before ``unprojected``).
    """
    try:
        doc: dict[str, Any] = json.loads(body)
    except ValueError as e:
        raise StoreError(f"the store's JSON results are not JSON: {e}") from e
    results = doc.get("results")
    if isinstance(results, dict):
        if head is not None:
            doc.setdefault("head", {})["vars"] = head
        projected = set(doc.get("head", {}).get("vars", []))
        constant = {v.value: _json_of(t) for v, t in (fixed or {}).items() if v.value in projected}
        results["bindings"] = [{**{k: _term_json(v) for k, v in row.items()}, **constant}
                               for row in results.get("bindings", [])]
    return doc


def parse_answer(ctype: str, body: bytes, *, graph_form: bool, source: str,
                 fixed: Substitutions | None = None, head: list[str] | None = None) -> Results:
    """pyoxigraph results of one answer: SPARQL results (JSON normalised, XML, CSV/TSV) or, for CONSTRUCT and
    DESCRIBE, triples in whatever RDF syntax the store chose (or as ?s ?p ?o results, as Virtuoso gives JSON)."""
    media = ctype.split(";")[0].strip().lower()
    try:
        if graph_form:
            if media in ("application/n-triples", "text/plain", ""):
                triples: Iterator[ox.Triple] = iter(ox.parse(body, RdfFormat.N_TRIPLES))
                return triples
            rdf = RdfFormat.from_media_type(media)
            if rdf is not None:
                return iter([t if isinstance(t, ox.Triple) else t.triple for t in ox.parse(body, rdf)])
            rows = _results(media, body)
            return iter([ox.Triple(r["s"], r["p"], r["o"]) for r in solutions(rows)])
        return _results(media, body, fixed, head)
    except (SyntaxError, ValueError) as e:
        raise StoreError(f"cannot read the answer of {source} ({media or 'no media type'}): {e}") from e


def _results(media: str, body: bytes, fixed: Substitutions | None = None,
             head: list[str] | None = None) -> ox.QuerySolutions | ox.QueryBoolean:
    fmt = QueryResultsFormat.from_media_type(media) or QueryResultsFormat.JSON
    if fmt == QueryResultsFormat.JSON:
        body = json.dumps(normalised_json_results(body, fixed, head)).encode()
    elif head is not None:
        raise StoreError(f"the store answered {media}, not the SPARQL JSON results it was asked for")
    return ox.parse_query_results(body, fmt)


# --- Digest authentication (RFC 7616, MD5 and MD5-sess with qop=auth) ---------------------------------------------

class _Digest:
    """Answers to one Digest challenge, counting the nonce's uses."""

    def __init__(self, user: str, password: str, challenge: str) -> None:
        self.user, self.password = user, password
        self.params = {k.lower(): v1 or v2 for k, v1, v2 in
                       re.findall(r'(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))', challenge[len("digest"):])}
        self.count = 0

    def header(self, method: str, uri: str) -> str:
        p = self.params
        algorithm = p.get("algorithm", "MD5")
        hashing = hashlib.sha256 if algorithm.upper().startswith("SHA-256") else hashlib.md5

        def h(text: str) -> str:
            return hashing(text.encode()).hexdigest()

        self.count += 1
        cnonce, nc = secrets.token_hex(8), f"{self.count:08x}"
        ha1 = h(f"{self.user}:{p.get('realm', '')}:{self.password}")
        if algorithm.upper().endswith("-SESS"):
            ha1 = h(f"{ha1}:{p.get('nonce', '')}:{cnonce}")
        ha2 = h(f"{method}:{uri}")
        qops = [q.strip() for q in p.get("qop", "").split(",") if q.strip()]
        fields = {"username": self.user, "realm": p.get("realm", ""), "nonce": p.get("nonce", ""), "uri": uri,
                  "algorithm": algorithm}
        if "auth" in qops:
            fields["response"] = h(f"{ha1}:{p.get('nonce', '')}:{nc}:{cnonce}:auth:{ha2}")
            fields.update(qop="auth", nc=nc, cnonce=cnonce)
        else:
            fields["response"] = h(f"{ha1}:{p.get('nonce', '')}:{ha2}")
        if "opaque" in p:
            fields["opaque"] = p["opaque"]
        unquoted = {"algorithm", "qop", "nc"}
        return "Digest " + ", ".join(f'{k}={v}' if k in unquoted else f'{k}="{v}"' for k, v in fields.items())


# --- connections ---------------------------------------------------------------------------------------------------

def _default_update_url(url: str) -> str:
    """Where updates go when KG_UPDATE_URL is not set: ``…/query`` (or ``…/query/``: Oxigraph, Fuseki) becomes
    ``…/update``; any other endpoint (``kg serve``'s ``/sparql``, Virtuoso, GraphDB) takes updates at its own URL.

    >>> _default_update_url("http://h:7878/query/"), _default_update_url("http://h:8000/sparql")
    ('http://h:7878/update', 'http://h:8000/sparql')
    """
    base = url.rstrip("/")
    return base[: -len("/query")] + "/update" if base.endswith("/query") else url


def _connect(url: str, deadline: float) -> http.client.HTTPConnection:
    """An open connection to ``url``'s host, tried again (with backoff) only while nothing has been sent."""
    target = urllib.parse.urlsplit(url)
    if target.scheme not in ("http", "https") or not target.hostname:
        raise StoreError(f"not an http(s) URL of a SPARQL endpoint: {url!r}")
    kind = http.client.HTTPSConnection if target.scheme == "https" else http.client.HTTPConnection
    host = target.hostname

    def attempt(_: int) -> http.client.HTTPConnection:
        conn = kind(host, target.port, timeout=max(deadline - time.monotonic(), 0.001))
        try:
            conn.connect()
            return conn
        except OSError as e:  # refused, unreachable, DNS: the request never left, so trying again is safe
            conn.close()
            raise Retry(str(e)) from e

    try:
        return retrying(attempt, attempts=CONNECT_ATTEMPTS, backoff=0.2, deadline=deadline)
    except Retry as e:
        raise StoreError(f"cannot reach the SPARQL endpoint {url}: {e.reason}") from e.__cause__


def _read_until(conn: http.client.HTTPConnection, resp: http.client.HTTPResponse, deadline: float) -> bytes:
    """The whole body of ``resp``, raising TimeoutError at ``deadline`` however slowly the bytes trickle in."""
    chunks: list[bytes] = []
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
