"""New article graphs go into a store that holds articles with the bulk loader, under an intent record
(kg.write_intent): kill -9 of the writer at each dangerous point leaves every article whole or absent once the store
is opened again, shared quads included, and writing the same articles again gives what an uninterrupted write gives.

The writer runs in a child process over a real store on disk; it kills itself with SIGKILL at the point named, by a
wrapper around its pyoxigraph store that does the real bulk load (or half of it: what Oxigraph's documentation says
a load that fails in the middle may leave) first."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from io import BytesIO
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat

from kg.bulk_write import ArticleWriter
from kg.errors import StoreError
from kg.ingest import is_whole
from kg.store import EmbeddedStore
from kg.vocab import ENTITIES_GRAPH
from kg.write_intent import INTENT_FILE, intent
from tests.test_bulk_write import big_article

ROOT = Path(__file__).resolve().parents[1]
STORED, BATCH = 20, 10  # articles stored before the kill, articles per batch

DYING_WRITER = textwrap.dedent("""
    import os, signal, sys
    from kg.bulk_write import ArticleWriter
    from kg.store import EmbeddedStore
    from tests.test_bulk_write import big_article
    from tests.test_write_intent import BATCH, STORED

    folder, point = sys.argv[1], sys.argv[2]

    def die():
        os.kill(os.getpid(), signal.SIGKILL)

    class Dying:
        '''The real store, but for a SIGKILL at ``point`` in the first write after the store holds articles.'''
        def __init__(self, real):
            self.real = real
        def __getattr__(self, name):
            return getattr(self.real, name)
        def bulk_extend(self, quads):
            quads = list(quads)
            if point == "mid-load":
                self.real.bulk_extend(quads[:len(quads) // 2])
                die()
            self.real.bulk_extend(quads)
            if point == "after-load":
                die()
        def extend(self, quads):
            if point == "in-commit":
                die()
            self.real.extend(quads)

    store = EmbeddedStore(folder)
    with ArticleWriter(store, batch_articles=BATCH, done=lambda p: print(p.graph, flush=True)) as writer:
        for n in range(STORED):
            writer.write_prepared(big_article(n))
        writer.flush()
        store._open = Dying(store.oxigraph)
        for n in range(STORED, STORED + BATCH):
            writer.write_prepared(big_article(n))
    print("not killed", flush=True)
""")


def dump(store: EmbeddedStore) -> list[str]:
    out = BytesIO()
    store.dump(out, RdfFormat.N_QUADS)
    return sorted(out.getvalue().decode().splitlines())


def article_graphs(store: EmbeddedStore) -> list[str]:
    return [g for g in store.named_graphs() if g != ENTITIES_GRAPH]


def entities(store: EmbeddedStore) -> set[str]:
    rows = store.query(f"SELECT ?e WHERE {{ GRAPH <{ENTITIES_GRAPH}> {{ ?e ?p ?o }} }}", union_default_graph=False)
    return {r["e"].value for r in rows}  # type: ignore[union-attr,index]


@pytest.mark.parametrize("point", ["mid-load", "after-load", "in-commit"])
def test_kill_9_in_a_bulk_write_into_a_store_holding_articles_leaves_each_whole_or_absent(tmp_path: Path,
                                                                                          point: str) -> None:
    folder = tmp_path / "store"
    child = subprocess.run([sys.executable, "-c", DYING_WRITER, str(folder), point], cwd=ROOT, capture_output=True,
                           text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert child.returncode == -signal.SIGKILL, child.stderr
    reported = child.stdout.split()
    assert len(reported) == STORED, "killed in the third batch, after the first two were reported"
    batch = [big_article(n).graph for n in range(STORED, STORED + BATCH)]
    assert (folder / INTENT_FILE).exists(), "the intent record outlives the kill"
    with EmbeddedStore(folder, read_only=True) as seen:  # what the kill left, before anything acts on it
        left = [g for g in batch if seen.has_graph(g)]
        assert left and not any(is_whole(seen, g) for g in left), "the kill left partial graphs behind"
        assert not entities(seen) & {f"http://example.org/entity/{n}" for n in range(STORED, STORED + BATCH)}
    with EmbeddedStore(folder) as store:  # the next read-write open finishes the write cut short
        assert sorted(store.drop_staging()) == sorted(left)
        assert article_graphs(store) == sorted(reported), "every article reported is whole, the batch absent"
        assert all(is_whole(store, g) for g in article_graphs(store))
        assert entities(store) == {f"http://example.org/entity/{n}" for n in range(STORED)}
        assert not (folder / INTENT_FILE).exists()
        with ArticleWriter(store, batch_articles=BATCH) as writer:  # the same articles again
            for n in range(STORED + BATCH):
                writer.write_prepared(big_article(n))
        again = dump(store)
    with EmbeddedStore(tmp_path / "uninterrupted") as fresh, ArticleWriter(fresh, batch_articles=BATCH) as writer:
        for n in range(STORED + BATCH):
            writer.write_prepared(big_article(n))
        writer.close()
        assert again == dump(fresh)


def test_a_failed_bulk_write_is_undone_at_once_and_the_next_batch_goes_in(tmp_path: Path) -> None:
    """A write that fails in this process (the store refusing the commit) removes what it began before it raises:
    no partial graph waits for the next open, and the writer goes on."""
    folder = tmp_path / "store"
    with EmbeddedStore(folder) as store:
        real = store.oxigraph

        class Refusing:
            def __getattr__(self, name: str) -> object:
                return getattr(real, name)

            def extend(self, quads: object) -> None:
                raise OSError("No space left on device")

        store._open = Refusing()  # type: ignore[assignment]
        with pytest.raises(StoreError, match="No space left"):
            store.write_graphs([(a.graph, a.article, a.shared) for a in map(big_article, range(3))])
        store._open = real
        assert article_graphs(store) == [] and not (folder / INTENT_FILE).exists()
        store.write_graphs([(a.graph, a.article, a.shared) for a in map(big_article, range(3))])
        assert all(is_whole(store, big_article(n).graph) for n in range(3))


def test_the_next_open_removes_a_bulk_loader_file_left_and_keeps_whole_graphs(tmp_path: Path) -> None:
    """A loader killed while it built its files leaves ``bulk-<n>.sst`` in the folder, which RocksDB never removes;
    a graph of the intent that is whole (the commit was in, the record not yet removed) stays."""
    folder = tmp_path / "store"
    whole, partial = big_article(0), big_article(1)
    with EmbeddedStore(folder) as store:
        store.write_graphs([(whole.graph, whole.article, whole.shared)])
        store.oxigraph.extend(partial.article[:5])
        with pytest.raises(KeyboardInterrupt), intent(folder, [whole.graph, partial.graph]):
            raise KeyboardInterrupt  # the record stays, as after a kill
        (folder / "bulk-123456789.sst").write_bytes(b"half a file")
        (folder / "notes-bulk-1.sst").write_bytes(b"not the loader's")
    with EmbeddedStore(folder) as store:
        assert store.drop_staging() == [partial.graph] and store.drop_staging() == []
        assert article_graphs(store) == [whole.graph] and is_whole(store, whole.graph)
    assert not (folder / "bulk-123456789.sst").exists() and (folder / "notes-bulk-1.sst").exists()
    assert not (folder / INTENT_FILE).exists()


def test_an_intent_record_that_cannot_be_read_is_named_and_nothing_is_removed(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    with EmbeddedStore(folder) as store:
        store.oxigraph.add(Quad(NamedNode("http://example.org/s"), NamedNode("http://example.org/p"), Literal("x"),
                                NamedNode("http://example.org/g")))
    (folder / INTENT_FILE).write_text('{"graphs": "http://example.org/g"', encoding="utf-8")
    with pytest.raises(StoreError, match=f"{INTENT_FILE} cannot be read"):
        EmbeddedStore(folder)
    with EmbeddedStore(folder, read_only=True) as store:
        assert store.count("http://example.org/g") == 1
