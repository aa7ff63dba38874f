"""The one article-write path (kg.bulk_write.ArticleWriter): batches, bulk loads, replacements, a refused article
alone, the hooks, every store, and kill -9 in the middle of a batch.

Real stores on disk, a real oxigraph server and Virtuoso (the ``store`` fixture); the kill test runs the writer in a
child process and sends it SIGKILL while it writes."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import textwrap
import time
from io import BytesIO
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat

from kg.bulk_write import ArticleWriter, Prepared, prepare, write_articles
from kg.extract.model import Extraction, Mention
from kg.ingest import ensure_static_graphs, is_whole, stored_digest, write_extraction
from kg.mapping import article_graph
from kg.store import EmbeddedStore, Store
from kg.vocab import ENTITIES_GRAPH
from tests.factories import TEXT, sample_extraction, span_of

IDS = [f"a-{n}" for n in range(5)]


def dump(store: EmbeddedStore) -> list[str]:
    out = BytesIO()
    store.dump(out, RdfFormat.N_QUADS)
    return sorted(out.getvalue().decode().splitlines())


@pytest.mark.parametrize("bulk", [False, True], ids=["transactions", "bulk"])
def test_batched_writes_give_the_store_one_by_one_writes_give(tmp_path: Path, bulk: bool) -> None:
    with EmbeddedStore(tmp_path / "one") as one, EmbeddedStore(tmp_path / "batched") as batched:
        for n in IDS:
            write_extraction(one, sample_extraction(n))
        written = write_articles(batched, [sample_extraction(n) for n in IDS], batch_articles=2, bulk=bulk)
        assert [p.article_id for p in written] == IDS, "reported once each, in the order given"
        assert dump(batched) == dump(one)
        assert all(is_whole(batched, article_graph(n)) for n in IDS)


def renamed(article_id: str, name: str) -> Extraction:
    """The sample article with its negotiator written ``name`` (same node: person/ana-ruiz)."""
    text = f"{TEXT} {name} spoke."
    ex = sample_extraction(article_id, text)
    ruiz = dataclasses.replace(ex.entities[0], name=name,
                               mentions=[Mention(*span_of(text, name), name, 0.8)])
    return dataclasses.replace(ex, entities=[ruiz, *ex.entities[1:]])


def test_a_bulk_load_settles_labels_as_writes_one_by_one_do(tmp_path: Path) -> None:
    """The label of a person is the name the stored articles write most: a bulk load into an empty store counts
    the names of what it wrote, the other paths ask the store; both give the same labels."""
    # the name written most is not the first in code point order: min() alone would pick the other
    articles = [renamed("a-0", "Ana Ruiz"), renamed("a-1", "Anita Ruiz"), renamed("a-2", "Anita Ruiz")]
    label = "SELECT ?l WHERE { GRAPH ?g { <https://w3id.org/claimgraph/id/person/ana-ruiz> " \
            "<http://www.w3.org/2000/01/rdf-schema#label> ?l } }"
    with EmbeddedStore(tmp_path / "one") as one, EmbeddedStore(tmp_path / "bulk") as bulk:
        for ex in articles:
            write_extraction(one, ex)
        write_articles(bulk, articles, bulk=True, batch_articles=2)
        assert dump(bulk) == dump(one)
        assert [r["l"].value for r in bulk.query(label, union_default_graph=False)] == ["Anita Ruiz"]  # type: ignore[union-attr,index]


def test_every_store_holds_whole_graphs_and_a_rewrite_changes_nothing(store: Store) -> None:
    """Embedded, remote (oxigraph server) and Virtuoso: the same writer, the completeness record on each graph,
    and writing the same articles again (replacing them) leaves the same quads."""
    write_articles(store, [sample_extraction(n) for n in IDS[:3]], batch_articles=2)
    counts = {n: store.count(article_graph(n)) for n in IDS[:3]}
    shared = store.count(ENTITIES_GRAPH)
    write_articles(store, [sample_extraction(n) for n in IDS[:3]], batch_articles=2)
    assert {n: store.count(article_graph(n)) for n in IDS[:3]} == counts and all(counts.values())
    assert store.count(ENTITIES_GRAPH) == shared
    assert all(is_whole(store, article_graph(n)) for n in IDS[:3])


def test_an_article_the_store_refuses_is_reported_alone_and_its_batch_goes_in(tmp_path: Path) -> None:
    good = [prepare(sample_extraction(n)) for n in IDS[:3]]
    stray = Quad(NamedNode("http://example.org/s"), NamedNode("http://example.org/p"), Literal("x"),
                 NamedNode("http://example.org/elsewhere"))
    bad = dataclasses.replace(good[1], article=[*good[1].article, stray])
    done: list[str] = []
    failed: list[tuple[str, str]] = []
    with EmbeddedStore(tmp_path / "store") as store:
        with ArticleWriter(store, done=lambda p: done.append(p.article_id),
                           failed=lambda p, e: failed.append((p.article_id, str(e)))) as writer:
            for p in (good[0], bad, good[2]):
                writer.write_prepared(p)
        assert done == ["a-0", "a-2"]
        assert [f[0] for f in failed] == ["a-1"] and "is not in graph" in failed[0][1]
        assert not store.has_graph(article_graph("a-1"))
        assert is_whole(store, article_graph("a-0")) and is_whole(store, article_graph("a-2"))


def test_a_mapping_error_is_raised_before_anything_is_queued(tmp_path: Path) -> None:
    broken = sample_extraction("a-0")
    broken.claims[0] = dataclasses.replace(broken.claims[0], start=broken.claims[0].start + 1)
    with EmbeddedStore(tmp_path / "store") as store:
        writer = ArticleWriter(store)
        with pytest.raises(ValueError, match="span"):
            writer.write(broken)
        writer.write(sample_extraction("a-1"))
        writer.close()
        assert not store.has_graph(article_graph("a-0")) and is_whole(store, article_graph("a-1"))


def test_the_hook_runs_after_each_article_is_in_and_a_later_version_wins(tmp_path: Path) -> None:
    seen: list[tuple[str, int]] = []
    batches: list[list[str]] = []
    with EmbeddedStore(tmp_path / "store") as store:
        later = sample_extraction("a-0", published="2019-01-02")
        with ArticleWriter(store, batch_articles=10, after_batch=batches.append,
                           after_write=lambda g: seen.append((g, store.count(g)))) as writer:
            writer.write(sample_extraction("a-0"))
            writer.write(sample_extraction("a-1"))
            writer.write(later)  # a-0 again, in the same batch: written after its earlier version
        assert [g for g, _ in seen] == [article_graph(n) for n in ("a-0", "a-1", "a-0")]
        assert batches == [[article_graph("a-0"), article_graph("a-1")], [article_graph("a-0")]], "once per batch"
        assert all(n > 0 for _, n in seen), "the hook sees the article in the store"
        dates = {r["d"].value for r in store.query(  # type: ignore[union-attr,index]
            "SELECT ?d WHERE { GRAPH ?g { ?a <http://schema.org/datePublished> ?d } }",
            substitutions=None, union_default_graph=False)}
        assert dates == {"2019-01-02", "2018-05-03"} and is_whole(store, article_graph("a-0"))


def test_a_graph_a_bulk_load_left_partial_is_written_again_by_the_next_ingest(tmp_path: Path) -> None:
    """What a crash in a bulk load can leave: part of an article graph. Its completeness record tells, so the
    article counts as absent and the next write makes it whole."""
    with EmbeddedStore(tmp_path / "store") as store:
        ensure_static_graphs(store)
        write_articles(store, [sample_extraction("a-0")], bulk=True)
        graph = article_graph("a-0")
        some = next(q for q in store.oxigraph.quads_for_pattern(None, None, None, NamedNode(graph))
                    if "claimText" in q.predicate.value)
        store.oxigraph.remove(some)
        assert stored_digest(store, "a-0") is None, "a partial graph is not taken for the stored article"
        write_articles(store, [sample_extraction("a-0")])
        assert is_whole(store, graph) and stored_digest(store, "a-0") is not None


WRITER = textwrap.dedent("""
    import sys
    from kg.bulk_write import ArticleWriter
    from kg.store import EmbeddedStore
    from tests.test_bulk_write import big_article
    store = EmbeddedStore(sys.argv[1])
    with ArticleWriter(store, batch_articles=20, done=lambda p: print(p.graph, flush=True)) as writer:
        for n in range(100_000):
            writer.write_prepared(big_article(n))
""")


def big_article(n: int, size: int = 400) -> Prepared:
    """A made-up article ``n`` of ``size`` quads and its completeness record, and one shared label."""
    from kg.bulk_write import with_record

    graph = article_graph(f"t{n}")
    g = NamedNode(graph)
    quads = [Quad(NamedNode(f"{graph}#s{i}"), NamedNode("http://example.org/p"), Literal(f"v{i}"), g)
             for i in range(size)]
    shared = [Quad(NamedNode(f"http://example.org/entity/{n}"), NamedNode("http://example.org/name"),
                   Literal(f"Entity {n}"), NamedNode(ENTITIES_GRAPH))]
    return Prepared(f"t{n}", graph, with_record(graph, quads), shared, 0)


@pytest.mark.parametrize("delay", [0.0, 0.11, 0.29])
def test_after_kill_9_mid_batch_every_article_is_whole_or_absent(tmp_path: Path, delay: float) -> None:
    folder = tmp_path / "store"
    root = Path(__file__).resolve().parents[1]
    child = subprocess.Popen([sys.executable, "-c", WRITER, str(folder)], cwd=root, stdout=subprocess.PIPE,
                             env={**os.environ, "PYTHONPATH": str(root)})
    assert child.stdout is not None
    reported = [child.stdout.readline() for _ in range(40)]  # two batches are in: the writer is under way
    time.sleep(delay)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL and all(reported)
    with EmbeddedStore(folder, read_only=True) as store:
        graphs = [g for g in store.named_graphs() if g != ENTITIES_GRAPH]
        assert len(graphs) >= 40, "every article reported as written survived the kill"
        assert all(is_whole(store, g) for g in graphs), "no article is partly written"
        entities = {r["e"].value for r in store.query(  # type: ignore[union-attr,index]
            f"SELECT ?e WHERE {{ GRAPH <{ENTITIES_GRAPH}> {{ ?e ?p ?o }} }}", union_default_graph=False)}
    written = {int(g.rsplit("/t", 1)[1]) for g in graphs}
    assert written == set(range(len(written))), "the articles present are the first ones, in batches"
    assert entities == {f"http://example.org/entity/{n}" for n in written}, "shared quads go in with their article"
