"""The embedded store's record of a write under way, so that a crash in a bulk load leaves no partial article.

pyoxigraph's bulk loader (``Store.bulk_extend``) is not a transaction: Oxigraph's documentation says a load that
fails in the middle may leave part of its data. (In 0.5.13 it encodes each batch of up to a million quads into
one SST file per index and hands them to RocksDB in one ``IngestExternalFiles`` call, which RocksDB applies to all
column families or to none; a load of more than one batch is several such calls, and a process killed while it
builds its files leaves them in the store folder as ``bulk-<n>.sst``, which RocksDB never removes.)

So a batch of new article graphs goes in as ``EmbeddedStore.write_graphs`` does it:

1. the intent record (:data:`INTENT_FILE` in the store folder: the batch's graph IRIs) is written and synced;
2. the graphs' quads, but for their completeness records (``<graph> void:triples n``), go in with the bulk loader;
3. the completeness records and the shared quads (the entities graph) go in with one transaction (``extend``);
4. the intent record is removed.

A graph counts as stored only when it holds exactly the number of quads its record states (kg.ingest.is_whole),
and the records arrive in the last step, with the shared quads, in one transaction. After a crash at any point
the next read-write open (:func:`recover`) finds the record and removes each of its graphs that is not whole,
with the stray bulk files: the store holds each article of the batch whole (step 3 committed) or not at all
(nothing of it, its shared quads included), and the next ``kg ingest`` of the same input writes the absent ones.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
from pyoxigraph import Literal, NamedNode, Quad

from kg.vocab import VOID

INTENT_FILE = "claimgraph-write-intent.json"
"""The intent record's name inside the store folder (RocksDB leaves files it does not name alone)."""

TRIPLES = NamedNode(str(VOID.triples))
"""The completeness record's predicate: ``<graph> void:triples n`` in ``graph``, n counting every quad of it."""

_STRAY_LOAD = re.compile(r"bulk-\d+\.sst")  # a bulk loader's file not yet handed to RocksDB (pyoxigraph 0.5)


def is_record(quad: Quad) -> bool:
    """Whether ``quad`` is its graph's completeness record."""
    return quad.predicate == TRIPLES and quad.subject == quad.graph_name


@contextmanager
def intent(folder: str | Path, graphs: Sequence[str]) -> Iterator[None]:
    """Hold the intent record naming ``graphs`` (written and synced before the block runs) while the block writes
    them; it is removed once the block returns, and left in place when it raises, for :func:`recover`."""
    path = Path(folder) / INTENT_FILE
    staged = path.with_suffix(".tmp")
    with staged.open("w", encoding="utf-8") as f:
        json.dump({"graphs": list(graphs), "pid": os.getpid()}, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(staged, path)
    _sync_folder(path.parent)
    yield
    path.unlink()


def recover(store: ox.Store, folder: str | Path) -> list[str]:
    """After a write was cut short (a crash, kill -9): remove every graph the intent record names that is not
    whole, the record, and any bulk loader file left in ``folder``. Returns the graphs removed (none when no write
    was cut short). ``store`` is ``folder`` opened read-write, by this process (it holds the lock: no other writes).

    Raises OSError when the store or the folder cannot be written, and ValueError for a record that cannot be read
    (it is then left in place, and nothing is removed)."""
    folder = Path(folder)
    for stray in folder.iterdir():
        if _STRAY_LOAD.fullmatch(stray.name) and stray.is_file():
            stray.unlink()
    path = folder / INTENT_FILE
    if not path.exists():
        return []
    try:
        graphs = json.loads(path.read_text(encoding="utf-8"))["graphs"]
        if not isinstance(graphs, list) or not all(isinstance(g, str) for g in graphs):
            raise TypeError("graphs is not a list of IRIs")
    except (ValueError, KeyError, TypeError) as e:
        raise ValueError(f"the write intent record {path} cannot be read ({e}); move it away and run "
                         "`kg ingest` again") from e
    dropped = [g for g in graphs if store.contains_named_graph(NamedNode(g)) and not whole(store, g)]
    for graph in dropped:
        store.remove_graph(NamedNode(graph))
    store.flush()
    path.unlink()
    return dropped


def whole(store: ox.Store, graph: str) -> bool:
    """Whether ``graph`` holds exactly one completeness record and the number of quads it states."""
    g = NamedNode(graph)
    stated = [q.object.value for q in store.quads_for_pattern(g, TRIPLES, None, g) if isinstance(q.object, Literal)]
    if len(stated) != 1 or not stated[0].isdigit():
        return False
    return sum(1 for _ in store.quads_for_pattern(None, None, None, g)) == int(stated[0])


def _sync_folder(folder: Path) -> None:
    """Make a rename inside ``folder`` durable (POSIX: fsync the directory)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
