"""One test suite, two stores: embedded pyoxigraph on disk and a remote `oxigraph serve` over HTTP."""

from __future__ import annotations

import io
import multiprocessing
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Variable

from kg.errors import BadQuery, StoreError, StoreLocked
from kg.mapping import ENTITIES_GRAPH, article_quads
from kg.sparql import bind_values
from kg.store import EmbeddedStore, RemoteStore, Store
from tests.factories import sample_extraction

G = "http://example.com/g"


def q(s: str, o: str, g: str = G) -> Quad:
    return Quad(NamedNode(f"http://example.com/{s}"), NamedNode("http://example.com/p"), Literal(o), NamedNode(g))


def test_replace_graph_replaces_and_adds_shared(store: Store) -> None:
    store.replace_graph(G, [q("a", "1"), q("b", "2")], shared=[q("x", "shared", ENTITIES_GRAPH)])
    store.replace_graph(G, [q("c", "3")], shared=[q("x", "shared", ENTITIES_GRAPH)])
    assert store.count(G) == 1
    assert store.count(ENTITIES_GRAPH) == 1
    assert store.named_graphs() == sorted([G, ENTITIES_GRAPH])


def test_an_article_written_twice_has_the_same_quads(store: Store) -> None:
    aq = article_quads(sample_extraction())
    store.replace_graph(aq.graph, aq.article, shared=aq.shared)
    first = store.count()
    store.replace_graph(aq.graph, aq.article, shared=aq.shared)
    assert store.count() == first == len(set(aq.article)) + len(set(aq.shared))


def test_default_graph_is_the_union_unless_asked_otherwise(store: Store) -> None:
    store.replace_graph(G, [q("a", "1")])
    store.replace_graph("http://example.com/h", [q("b", "2", "http://example.com/h")])
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert int(next(iter(store.query(count)))["n"].value) == 2  # type: ignore[index,call-overload]
    only_g = store.query(count, default_graph=[G])
    assert int(next(iter(only_g))["n"].value) == 1  # type: ignore[index,call-overload]


def test_substitutions_bind_terms_and_cannot_inject(store: Store) -> None:
    store.replace_graph(G, [q("a", "1"), q("b", 'x" } DROP ALL #')])
    sparql = "SELECT ?s ?o WHERE { ?s <http://example.com/p> ?o }"  # SEP-0007: bound variables are projected
    rows = list(store.query(sparql, substitutions={Variable("o"): Literal("1")}))  # type: ignore[arg-type]
    assert [r["s"].value for r in rows] == ["http://example.com/a"]
    rows = list(store.query(sparql, substitutions={Variable("o"): Literal('x" } DROP ALL #')}))  # type: ignore
    assert [r["s"].value for r in rows] == ["http://example.com/b"]
    assert store.count() == 2


def test_construct_returns_triples(store: Store) -> None:
    store.replace_graph(G, [q("a", "1")])
    triples = list(store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"))  # type: ignore[arg-type]
    assert [t.object.value for t in triples] == ["1"]


def test_a_bad_query_is_a_bad_query(store: Store) -> None:
    with pytest.raises(BadQuery):
        store.query("SELECT WHERE {")
    with pytest.raises(BadQuery):
        store.update("INSERT DATA { nonsense")


def test_dump_is_complete(store: Store) -> None:
    store.replace_graph(G, [q("a", "1"), q("b", "2")])
    out = io.BytesIO()
    store.dump(out, RdfFormat.N_QUADS)
    assert len(out.getvalue().splitlines()) == 2
    out = io.BytesIO()
    store.dump(out, RdfFormat.TURTLE)
    assert b"example.com/a" in out.getvalue()


def test_load_graph_replaces_a_whole_graph(store: Store) -> None:
    store.load_graph(G, [q("a", "1"), q("b", "2")])
    store.load_graph(G, [q("c", "3")])
    assert store.count(G) == 1


def test_bind_values_opens_the_where_group() -> None:
    from pyoxigraph import Variable as V
    construct = bind_values("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", {V("o"): Literal("1")})
    assert construct.startswith("CONSTRUCT { ?s ?p ?o } WHERE { VALUES")
    tricky = bind_values('SELECT ?s WHERE { ?s ?p "{" }', {V("s"): NamedNode("http://a")})
    assert tricky.startswith('SELECT ?s WHERE { VALUES (?s) { (<http://a>) }')
    with pytest.raises(BadQuery):
        bind_values("ASK", {V("s"): NamedNode("http://a")})


def _hold_store(path: str, ready, release) -> None:  # type: ignore[no-untyped-def]
    s = EmbeddedStore(path)
    ready.set()
    release.wait(30)
    s.close()


def test_a_store_held_by_another_process_is_reported_as_locked(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    ready, release = ctx.Event(), ctx.Event()
    p = ctx.Process(target=_hold_store, args=(str(tmp_path / "s"), ready, release))
    p.start()
    try:
        assert ready.wait(30)
        with pytest.raises(StoreLocked, match="another process"):
            EmbeddedStore(tmp_path / "s")
    finally:
        release.set()
        p.join(30)


def test_an_unreachable_remote_store_is_a_clear_error() -> None:
    from tests.conftest import free_port
    s = RemoteStore(f"http://127.0.0.1:{free_port()}/query", timeout=2)
    with pytest.raises(StoreError, match="cannot reach"):
        s.count()


def test_a_failing_update_leaves_the_graph_whole(store: Store) -> None:
    """The article write is one update: when a later operation fails, the earlier DROP is rolled back too."""
    from tests.conftest import free_port
    store.replace_graph(G, [q("a", "1"), q("b", "2")])
    with pytest.raises((StoreError, BadQuery)):
        store.update(f"DROP SILENT GRAPH <{G}> ; LOAD <http://127.0.0.1:{free_port()}/gone.nt> INTO GRAPH <{G}>")
    assert store.count(G) == 2


def test_a_read_only_store_sees_the_data_and_closes_cleanly(tmp_path: Path) -> None:
    """`kg query` opens the store read-only (beside a running server); closing it must not try to write."""
    with EmbeddedStore(tmp_path / "store") as writer:
        writer.replace_graph("https://example.org/g", [Quad(NamedNode("https://example.org/s"),
                                                            NamedNode("https://example.org/p"), Literal("o"),
                                                            NamedNode("https://example.org/g"))])
    reader = EmbeddedStore(tmp_path / "store", read_only=True)
    assert reader.count("https://example.org/g") == 1
    with pytest.raises(StoreError):
        reader.update("INSERT DATA { <https://example.org/s> <https://example.org/p> 'x' }")
    reader.close()
