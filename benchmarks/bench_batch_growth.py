#!/usr/bin/env python3
"""Does a batch of `kg ingest` cost more as the store grows? Per-batch time at growing store sizes.

    python benchmarks/bench_batch_growth.py [--sizes 640,1280,2560,5120] [--batch 64]

One ArticleWriter (as one `kg ingest` has) writes synthetic articles (tests/factories.py's two-claim article under
new ids, all naming one person: the worst case for anything that looks at every mention of a person) into a store
that already holds articles, so every batch is a transaction; the search index's hook indexes each batch. Printed
for each size: ms per batch of the store write (with pruning and label settling) and of the search index's hook,
and at the end each one's growth from the first size to the last. A cost that follows the batch stays near 1x; one
that reads the whole store grows with it (before this benchmark's fixes, at 640 -> 3,840 articles: the write 5.5x,
from kg.entity_graph.written_forms asked every batch; the hook 7x, from its VALUES ?g ... GRAPH ?g queries).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.bulk_write import ArticleWriter, write_articles  # noqa: E402
from kg.ingest import ensure_static_graphs  # noqa: E402
from kg.search import SearchIndex  # noqa: E402
from kg.search_cli import store_selector  # noqa: E402
from kg.store import EmbeddedStore  # noqa: E402
from tests.factories import sample_extraction  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="640,1280,2560,5120", help="store sizes (articles) to measure at")
    ap.add_argument("--batch", type=int, default=64, help="articles per batch (kg ingest: 64)")
    a = ap.parse_args()
    sizes = [int(x) for x in a.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp, EmbeddedStore(Path(tmp) / "store") as store:
        ensure_static_graphs(store)
        write_articles(store, [sample_extraction("seed")])  # a store holding articles: transactions from now on
        index = SearchIndex(Path(tmp) / "index.sqlite")
        select = store_selector(store)
        hook_seconds: list[float] = []

        def hook(graphs: Sequence[str]) -> None:
            t = time.perf_counter()
            index.index_articles(select, graphs)
            hook_seconds.append(time.perf_counter() - t)

        rows: list[tuple[int, float, float]] = []
        done = 1
        with ArticleWriter(store, batch_articles=a.batch, after_batch=hook) as writer:
            for size in sizes:
                hook_seconds.clear()
                start = time.perf_counter()
                for i in range(done, size):
                    writer.write(sample_extraction(f"growth-{i:06d}"))
                writer.flush()
                batches = max(1, len(hook_seconds))
                hook_ms = 1000 * sum(hook_seconds) / batches
                write_ms = 1000 * (time.perf_counter() - start) / batches - hook_ms
                rows.append((size, write_ms, hook_ms))
                print(f"{size:>7,} articles: {write_ms:7.0f} ms write, {hook_ms:6.0f} ms search hook per batch of "
                      f"{a.batch} ({batches} batches)", flush=True)
        index.close()
    (_, w0, h0), (_, w1, h1) = rows[0], rows[-1]
    print(f"growth {sizes[0]:,} -> {sizes[-1]:,} articles: write {w1 / w0:.2f}x, search hook {h1 / h0:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
