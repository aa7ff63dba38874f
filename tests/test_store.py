"""One test suite, three stores: embedded pyoxigraph on disk, a remote `oxigraph serve` and a remote Virtuoso."""

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
from kg.vocab import graph_iri
from tests.factories import sample_extraction

G = graph_iri("test/g")  # under claimgraph's graph IRIs: a remote store lists only those


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
    store.replace_graph(graph_iri("test/h"), [q("b", "2", graph_iri("test/h"))])
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://example.com/p> ?o }"  # Virtuoso's own graphs left out
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
    sparql = "CONSTRUCT { ?s <http://example.com/p> ?o } WHERE { ?s <http://example.com/p> ?o }"
    triples = list(store.query(sparql))  # type: ignore[arg-type]
    assert [t.object.value for t in triples] == ["1"]
    # Virtuoso describes nothing without a FROM (the spec leaves DESCRIBE to the store; docs/stores.md)
    described = list(store.query(f"DESCRIBE <http://example.com/a> FROM <{G}>"))  # type: ignore[arg-type]
    assert [t.object.value for t in described] == ["1"]


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


def test_a_bound_variable_narrows_a_sub_select_before_its_limit(store: Store) -> None:
    """A LIMIT inside a sub-SELECT counts the rows of the bound value only: the entity pages' query keeps one page
    of a speaker's claims that way. Speaker a's claims sort first, so a LIMIT over everyone's would leave b none."""
    store.replace_graph(G, [q(f"{who}{n}", who) for who in "ab" for n in range(3)])
    sparql = ('SELECT ?who ?claim WHERE { { SELECT ?who ?claim WHERE { ?claim <http://example.com/p> ?who } '
              'ORDER BY ?claim LIMIT 2 } } ORDER BY ?claim')
    rows = store.select(sparql, {"who": Literal("b")}).rows
    assert [r["claim"].value for r in rows] == ["http://example.com/b0", "http://example.com/b1"]


def test_bind_values_opens_the_where_group() -> None:
    from pyoxigraph import Variable as V
    construct = bind_values("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", {V("o"): Literal("1")})
    assert construct.startswith("CONSTRUCT { ?s ?p ?o } WHERE { VALUES")
    tricky = bind_values('SELECT ?s WHERE { ?s ?p "{" }', {V("s"): NamedNode("http://a")})
    assert tricky.startswith('SELECT ?s WHERE { VALUES (?s) { (<http://a>) }')
    with pytest.raises(BadQuery):
        bind_values("ASK", {V("s"): NamedNode("http://a")})
    sub = bind_values("SELECT * WHERE { { SELECT ?s WHERE { ?s ?p ?o } LIMIT 1 } }", {V("o"): Literal("1")})
    assert sub.count("VALUES") == 2 and "SELECT ?s WHERE { VALUES (?o)" in sub


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


def test_a_failing_update_leaves_the_graph_whole(store: Store, request: pytest.FixtureRequest) -> None:
    """On Oxigraph one update is one transaction: when a later operation fails, the earlier DROP is rolled back
    too. Virtuoso applies each operation on its own, which is why a remote write stages and MOVEs instead."""
    from tests.conftest import free_port
    if request.node.callspec.params["store"] == "virtuoso":
        pytest.skip("Virtuoso commits each operation of a request on its own (docs/stores.md)")
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


def test_a_write_cut_short_leaves_the_old_version_and_its_staging_is_dropped(store: Store) -> None:
    """What a remote write killed before its MOVE leaves: the old version whole, a staging graph that is listed
    nowhere and that the next ingest drops."""
    if not isinstance(store, RemoteStore):  # it writes in one transaction: nothing is ever staged
        store.replace_graph(G, [q("a", "1"), q("b", "2")])
        assert store.drop_staging() == [] and store.count(G) == 2 and store.named_graphs() == [G]
        return
    from kg.remote_store import staging_graph
    store.replace_graph(G, [q("a", "1"), q("b", "2")])
    stage = staging_graph(G)
    store.update(f"INSERT DATA {{ GRAPH <{stage}> {{ <http://example.com/a> <http://example.com/p> \"new\" }} }}")
    assert store.count(G) == 2 and store.named_graphs() == [G] and store.count() == 2
    assert store.drop_staging() == [stage]
    assert store.count(stage) == 0 and store.count(G) == 2


def test_a_graph_larger_than_a_chunk_and_a_page_goes_in_and_out_whole(store: Store) -> None:
    """Chunked writes and paged reads: 1,234 quads through chunks of 100 and pages of 100 rows; ten subjects hold
    more triples than fit in half a page, so pages end inside a subject's triples."""
    quads = [Quad(NamedNode(f"http://example.com/s{i % 40}"), NamedNode(f"http://example.com/p{i}"), Literal(str(i)),
                  NamedNode(G)) for i in range(1234)]
    if isinstance(store, RemoteStore):
        store.chunk, store.page_rows = 100, 100
    store.replace_graph(G, quads)
    assert store.count(G) == 1234
    assert sorted(map(str, store.triples(G))) == sorted(str(q.triple) for q in quads)


def test_a_compaction_that_cannot_reopen_leaves_the_store_closed_with_a_clear_error(tmp_path: Path) -> None:
    """``compact`` closes and reopens the folder; when the reopen fails (here another handle still holds RocksDB's
    lock) it says so, ``close`` still works, and every other call says the store is closed. Nothing is lost."""
    store = EmbeddedStore(tmp_path / "store")
    store.replace_graph(G, [q("a", "1")])
    holder = store.oxigraph  # a second reference keeps the folder locked past compact's release
    with pytest.raises(StoreError, match="compacted but could not be opened again"):
        store.compact()
    store.close()
    store.close()
    with pytest.raises(StoreError, match="is closed"):
        store.count()
    del holder
    with EmbeddedStore(tmp_path / "store") as again:
        assert again.count(G) == 1


def test_a_compacted_store_stays_open_and_whole(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "store") as store:
        store.replace_graph(G, [q("a", "1"), q("b", "2")])
        store.compact()
        assert store.count(G) == 2
        store.replace_graph(G, [q("c", "3")])
        assert store.count(G) == 1
