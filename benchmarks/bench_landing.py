#!/usr/bin/env python3
"""The landing page's counts and lists computed afresh (not from the page's 60 s cache), from the search index.

    OMP_NUM_THREADS=1 python benchmarks/bench_landing.py --store /work/fullcorpus2/store [--repeat 10]

``kg serve`` keeps the landing page's counts and lists until the store changes or 60 s pass, so a benchmark that
asks for ``/`` several times a minute (benchmarks/full_corpus.py) times the cache after its warm-up run. This one
opens the app on the store in-process (the store must not be open in another process), syncs the index once, then
asks for ``/`` ``--repeat`` times with the cache emptied before each, and prints p50 / p95 of the whole page and of
each part (counts, most quoted, issues, latest articles) from the index. The store's own queries for the same
(server.describe; the path taken when the index cannot answer) took past the 30 s timeout at 37,534 articles.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg import overview, stats  # noqa: E402
from server import describe  # noqa: E402
from server.app import create_app  # noqa: E402
from server.pages import OVERVIEW_CACHE  # noqa: E402
from server.runner import current_runner  # noqa: E402


def p95(times: list[float]) -> float:
    return sorted(times)[max(0, round(0.95 * len(times)) - 1)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--repeat", type=int, default=10)
    a = ap.parse_args()
    app = create_app({"STORE": str(a.store)})
    from server.search import search_index

    with app.app_context():
        started = time.perf_counter()
        index = search_index()
        print(f"index synced with the store in {time.perf_counter() - started:.1f} s", flush=True)
        runner = current_runner()

        def select(sparql: str, bindings: object, max_rows: int | None) -> object:
            return runner.select(sparql, bindings, max_rows=max_rows)  # type: ignore[arg-type]

        names = tuple(key for key, _ in describe.STAT_NAMES)
        parts = {
            "counts": lambda: stats.index_counts(index.db, names),
            "most quoted": lambda: overview.ranked(index.db, select, "speaker", describe.SPEAKER_LABELS, 26),
            "issues": lambda: overview.ranked(index.db, select, "issue", describe.ISSUE_LABELS, 26),
            "latest articles": lambda: describe.select_rows(
                runner, describe.articles_of(overview.latest_articles(index.db, 26)), None, 25),
        }
        timed: dict[str, list[float]] = {name: [] for name in [*parts, "page /"]}
        with app.test_client() as client:
            for _ in range(a.repeat):
                for name, run in parts.items():
                    t = time.perf_counter()
                    run()
                    timed[name].append((time.perf_counter() - t) * 1000)
                app.extensions.pop(OVERVIEW_CACHE, None)
                t = time.perf_counter()
                status = client.get("/").status_code
                timed["page /"].append((time.perf_counter() - t) * 1000)
                assert status == 200, status
    print("\n| part | runs | p50 ms | p95 ms |\n| --- | --- | --- | --- |")
    for name, times in timed.items():
        print(f"| {name} | {len(times)} | {statistics.median(times):,.1f} | {p95(times):,.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
