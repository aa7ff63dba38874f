"""The store seam (issue 15, item 2): typed reads, one result type, backends chosen by URL scheme, and a server
that reaches data only through ``kg.store.Store`` whatever the backend."""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

import pyoxigraph as ox
import pytest

from kg.errors import BadInput, BadQuery, NotFound
from kg.query_job import Job, Solutions
from kg.store import BACKENDS, EmbeddedStore, Results, Store, Substitutions, open_store, register_backend, scheme_of
from kg.vocab import graph_iri

pytestmark = pytest.mark.integration

G = graph_iri("test/seam")  # under claimgraph's graph IRIs: a remote store lists only those
EX = "http://example.com/"
OURS = f"?s ?p ?o FILTER(?p = <{EX}p>)"  # this test's triples, not a store's own (Virtuoso's system graphs)


def quad(s: str, o: str, g: str = G) -> ox.Quad:
    return ox.Quad(ox.NamedNode(EX + s), ox.NamedNode(EX + "p"), ox.Literal(o), ox.NamedNode(g))


@pytest.fixture
def filled(store: Store) -> Store:
    store.replace_graph(G, [quad("a", "1"), quad("b", "2")])
    return store


def test_select_gives_variables_and_rows_of_terms_by_name(filled: Store) -> None:
    answer = filled.select("SELECT ?s ?o ?none WHERE { ?s ex:p ?o } ORDER BY ?o", prefixes={"ex": EX})
    assert isinstance(answer, Solutions)
    assert answer.variables == ["s", "o", "none"]
    assert [row["o"].value for row in answer.rows] == ["1", "2"]
    assert all("none" not in row for row in answer.rows)  # unbound: absent, never None
    bound = filled.select("SELECT ?s ?o WHERE { ?s <http://example.com/p> ?o }", {"s": ox.NamedNode(EX + "b")})
    assert [row["o"] for row in bound.rows] == [ox.Literal("2")]
    assert len(filled.select("SELECT ?s WHERE { ?s ?p ?o }", max_rows=1).rows) == 1


def test_ask_and_construct_are_typed_and_refuse_other_forms(filled: Store) -> None:
    assert filled.ask("ASK { ?s ?p ?o }") is True
    assert filled.ask("ASK { ?s ?p ?o }", {"s": ox.NamedNode(EX + "nobody")}) is False
    triples = filled.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {OURS} }}")
    assert sorted(t.object.value for t in triples) == ["1", "2"]
    assert all(isinstance(t, ox.Triple) for t in triples)
    with pytest.raises(BadQuery, match="expected a SELECT query"):
        filled.select("ASK { ?s ?p ?o }")
    with pytest.raises(BadQuery, match="expected a CONSTRUCT"):
        filled.construct("SELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(BadQuery):
        filled.select("SELECT nonsense")


def test_has_graph_and_require_graph(filled: Store) -> None:
    assert filled.has_graph(G) and not filled.has_graph(EX + "other")
    with pytest.raises(NotFound, match="there is no graph"):
        filled.execute(Job("ASK {}", "ask", require_graph=EX + "other"))


def test_answer_mode_writes_the_format_chosen_for_the_kind(filled: Store) -> None:
    job = Job(f"SELECT ?o WHERE {{ {OURS} }} ORDER BY ?o", "answer",
              media_types={"solutions": "text/csv", "boolean": None, "graph": None})
    answer = filled.execute(job)
    assert answer.media_type == "text/csv" and answer.body.splitlines() == [b"o", b"1", b"2"]  # type: ignore[union-attr]


def test_a_location_picks_its_backend_by_scheme(tmp_path: Path) -> None:
    assert scheme_of("http://h/sparql") == "http" and scheme_of("file:///x") == "file"
    assert scheme_of(str(tmp_path)) == ""
    with open_store(f"file://{tmp_path / 'store'}") as store:
        assert isinstance(store, EmbeddedStore)
    with pytest.raises(BadInput, match=r"no store backend for nosuch:// locations .*http://"):
        open_store("nosuch://anywhere")


class ViewStore(Store):
    """A backend that is neither embedded nor remote: a read-only view of a pyoxigraph store in memory. It
    implements only what the Store interface asks; everything else (typed reads, the server) comes with it."""

    def __init__(self, location: str) -> None:
        self.location = location
        self._store = ox.Store()
        self._store.add(ox.Quad(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p"), ox.Literal("in the view"),
                                ox.NamedNode(G)))

    def query(self, sparql: str, *, substitutions: Substitutions | None = None,
              default_graph: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None,
              union_default_graph: bool = True) -> Results:
        return self._store.query(sparql, substitutions=substitutions,
                                 use_default_graph_as_union=union_default_graph and not default_graph,
                                 default_graph=[ox.NamedNode(g) for g in default_graph] if default_graph else None,
                                 named_graphs=[ox.NamedNode(g) for g in named_graphs] if named_graphs else None)

    def update(self, sparql: str) -> None:
        raise BadInput("the view is read-only")

    def load_graph(self, graph: str, quads: Sequence[ox.Quad]) -> None:
        raise BadInput("the view is read-only")

    def dump(self, output: IO[bytes], format: ox.RdfFormat, *, graph: str | None = None) -> None:
        self._store.dump(output, format)

    def close(self) -> None:
        pass


@pytest.fixture
def view_backend() -> Iterator[None]:
    register_backend(lambda location, *, read_only, timeout: ViewStore(location), "view")
    yield
    del BACKENDS["view"]


def test_a_new_backend_is_one_class_and_the_server_runs_over_it(view_backend: None) -> None:
    from server import create_app

    store = open_store("view://demo")
    assert isinstance(store, ViewStore)
    assert store.select("SELECT ?o WHERE { ?s ?p ?o }").rows == [{"o": ox.Literal("in the view")}]

    app = create_app({"STORE": "view://demo", "QUERY_WORKERS": 2})
    client = app.test_client()
    r = client.get("/sparql", query_string={"query": "SELECT ?o WHERE { ?s ?p ?o }"},
                   headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    assert r.json["results"]["bindings"] == [{"o": {"type": "literal", "value": "in the view"}}]
    r = client.get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                   headers={"Accept": "application/n-triples"})
    assert r.status_code == 200 and b'"in the view"' in r.data
    r = client.get("/.well-known/void", headers={"Accept": "application/n-triples"})
    assert r.status_code == 200 and b"http://rdfs.org/ns/void#triples" in r.data
    assert app.extensions["claimgraph.runner"].pool is None  # workers are the embedded store's capability


def test_the_embedded_store_with_workers_answers_through_them(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "store")
    try:
        store.replace_graph(G, [quad("a", "1")])
        pool = store.start_workers(size=1, reserve=0)
        assert pool is not None and store.pool is pool
        assert store.select("SELECT ?o WHERE { ?s ?p ?o }", timeout=20).rows == [{"o": ox.Literal("1")}]
        store.apply(f"INSERT DATA {{ GRAPH <{G}> {{ <{EX}b> <{EX}p> '2' }} }}")
        assert store.generation == 1 and pool.published == 1  # the next query reads the update
        assert store.ask(f"ASK {{ <{EX}b> ?p '2' }}", timeout=20)
        buffer = io.BytesIO()
        store.dump(buffer, ox.RdfFormat.N_QUADS)
        assert buffer.getvalue().count(b"\n") == 2
    finally:
        store.close()
    assert not pool.checkpoint_root.exists()
