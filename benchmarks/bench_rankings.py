#!/usr/bin/env python3
"""The ranking queries (top-issues, contested-issues, co-quoted) by SPARQL and from the search index's store-wide
summaries (kg.rankings), side by side in one run, on a filled store; and how long an index made before the
summaries takes to gain them.

    python benchmarks/bench_rankings.py --store STORE [--index STORE.search.sqlite] [--repeat 10] [--scale N]
    python benchmarks/bench_rankings.py --build-only --index SOME.search.sqlite

The store is opened read-only (no process may be writing it). The index is copied first (SQLite's backup API) and
only the copy is touched: its summaries are dropped and built again from its claim tables, timed, as opening an
index made before them does. Then each case (the queries' defaults, a range, a minimum, a speaker; the first page
of 100 rows, as the server answers) is asked by SPARQL (kg.paging.select_page, the server's path before) and from
the summaries (SearchIndex.ranking, the server's path now), alternately, ``--repeat`` times; the rows are checked
equal (contested-issues' country names as a set: SPARQL leaves GROUP_CONCAT's order to the store). Who acts for
which country is read once and kept, as the server keeps it while no request writes the store; its first read is
printed apart. It also prints what the summaries add to one ingest batch (40 graphs subtracted and added again).

``--scale N`` then copies the index's claims N times more (graphs and articles of their own; speakers of their own
in every other copy), builds the summaries again and times them alone on the store N + 1 times the size: with
``--store`` a 1,600-article store, ``--scale 22`` is about the 37,534 articles of the corpus.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.query_job import Solutions, Term

CASES: list[tuple[str, dict[str, str]]] = [
    ("top-issues", {}),
    ("top-issues", {"from": "2018-04-01", "to": "2018-05-31"}),
    ("top-issues", {"minClaims": "20"}),
    ("contested-issues", {}),
    ("contested-issues", {"from": "2018-01-01", "to": "2018-12-31"}),
    ("co-quoted", {}),
    ("co-quoted", {"speaker": "https://w3id.org/claimgraph/id/person/donald-trump"}),
    ("co-quoted", {"minArticles": "3"}),
]


def copy_index(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def timed_build(index: Path) -> tuple[float, dict[str, int]]:
    """Drop the summaries of ``index`` (as before they existed), then open it: the seconds the open takes."""
    from kg import rankings
    from kg.search import SearchIndex

    db = sqlite3.connect(index)
    rankings.drop(db)
    db.commit()
    db.close()
    started = time.perf_counter()
    opened = SearchIndex(index)
    seconds = time.perf_counter() - started
    sizes = {t: opened.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
             for t in ("articles", "claims", *rankings.TABLES)}
    opened.close()
    return seconds, sizes


def batch_cost(index: Path, size: int = 40, rounds: int = 5) -> str:
    """What the summaries add to an ingest batch: subtracting and adding back the summaries of ``size`` article
    graphs (the last indexed, so the pairs' example articles are recomputed too), rolled back, ``rounds`` times."""
    from kg import rankings

    db = sqlite3.connect(index, isolation_level=None)
    graphs = [g for (g,) in db.execute("SELECT graph FROM articles ORDER BY rowid DESC LIMIT ?", (size,))]
    times = []
    for _ in range(rounds):
        db.execute("BEGIN")
        started = time.perf_counter()
        rankings.subtract_graphs(db, graphs)
        rankings.add_graphs(db, graphs)
        times.append(time.perf_counter() - started)
        db.execute("ROLLBACK")
    db.close()
    return (f"summaries of a batch of {len(graphs)} graphs subtracted and added again: "
            f"median {statistics.median(times) * 1000:.1f} ms of {rounds}")


def scaled(index: Path, copies: int) -> None:
    """The claims of ``index`` copied ``copies`` times more, each copy in graphs and articles of its own and, in
    every other copy, with speakers of its own (real speakers recur across articles; new ones keep coming): a store
    ``copies + 1`` times the size, for the summaries' cost at the full corpus. Its summaries are built again."""
    db = sqlite3.connect(index, isolation_level=None)
    top = db.execute("SELECT MAX(id) FROM claims").fetchone()[0]
    first_articles = db.execute("SELECT MAX(rowid) FROM articles").fetchone()[0]
    db.execute("BEGIN")
    for k in range(1, copies + 1):
        speaker = f"speaker || '-{k}'" if k % 2 else "speaker"
        db.execute(f"INSERT INTO claims (id, iri, graph, article, text, date, speaker) SELECT id + {k * top}, "
                   f"iri || '-{k}', graph || '-{k}', article || '-{k}', text, date, {speaker} FROM claims "
                   f"WHERE id <= {top}")
        db.execute(f"INSERT INTO claim_terms SELECT claim + {k * top}, facet, value FROM claim_terms "
                   f"WHERE claim <= {top}")
        db.execute(f"INSERT INTO articles SELECT graph || '-{k}', digest FROM articles WHERE rowid <= {first_articles}")
    db.execute("COMMIT")
    db.close()


def comparable(rows: list[dict[str, Term]]) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for row in rows:
        names = row.get("countryNames")
        out.append({**row, "countryNames": sorted(str(getattr(names, "value", "")).split(", "))}
                   if names is not None else row)
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path)
    parser.add_argument("--index", type=Path, help="default: the store's own, beside it")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--build-only", action="store_true", help="only time the build of the summaries")
    parser.add_argument("--scale", type=int, default=0, metavar="N",
                        help="then time the summaries alone on the index's claims copied N times more")
    args = parser.parse_args()
    index_file = args.index or Path(str(args.store) + ".search.sqlite")
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "index.sqlite"
        copy_index(index_file, copy)
        seconds, sizes = timed_build(copy)
        print(f"summaries built from the claim tables of {index_file} ({index_file.stat().st_size / 1e6:.0f} MB): "
              f"{seconds:.2f} s; rows: " + ", ".join(f"{k} {v:,}" for k, v in sizes.items()))
        print(batch_cost(copy))
        if args.build_only:
            return
        run(args.store, copy, args.repeat)
        if args.scale:
            scaled(copy, args.scale)
            seconds, sizes = timed_build(copy)
            print(f"\nthe claims copied {args.scale} times more: summaries built in {seconds:.2f} s; rows: "
                  + ", ".join(f"{k} {v:,}" for k, v in sizes.items()))
            print(batch_cost(copy))
            run(args.store, copy, args.repeat, sparql=False)
    print(f"load average after: {os.getloadavg()[0]:.1f}")


def run(store_path: Path, index_file: Path, repeat: int, *, sparql: bool = True) -> None:
    from kg import paging
    from kg.queries import load_queries
    from kg.query_job import Solutions
    from kg.rankings import ACTS_FOR
    from kg.search import SearchIndex
    from kg.store import EmbeddedStore

    queries = load_queries()
    store = EmbeddedStore(store_path, read_only=True)
    index = SearchIndex(index_file)

    def select(text: str, subs: Mapping[str, Term], most: int | None) -> Solutions:
        return store.select(text, subs, max_rows=most)

    started = time.perf_counter()
    store.select(ACTS_FOR, {})
    print(f"who acts for which country (read once, then kept): {(time.perf_counter() - started) * 1000:.0f} ms")
    memo: dict[str, object] = {}
    page = paging.Page(100, 0)
    print("\n| query | parameters | rows | SPARQL p50 | SPARQL p95 | summaries p50 | summaries p95 | same rows |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, values in CASES:
        text, bound = queries[name].prepare(values)
        before: list[float] = []
        after: list[float] = []
        same = True
        rows = 0
        for _ in range(repeat):
            t = time.perf_counter()
            expected, more = paging.select_page(select, text, bound, page) if sparql else (Solutions([], []), False)
            before.append(time.perf_counter() - t)
            t = time.perf_counter()
            answered = index.ranking(name, bound, page, select, memo=memo)
            after.append(time.perf_counter() - t)
            rows = len(expected.rows)
            same = same and answered is not None and (not sparql or answered[1] == more and
                                                      comparable(answered[0].rows) == comparable(expected.rows))
            rows = rows if sparql else len(answered[0].rows) if answered else 0
        shown = ", ".join(f"{k}={v.rsplit('/', 1)[-1]}" for k, v in values.items()) or "defaults"
        by_sparql = (f"{statistics.median(before) * 1000:,.1f} | {percentile(before, 0.95) * 1000:,.1f}" if sparql
                     else "- | -")
        print(f"| {name} | {shown} | {rows} | {by_sparql} | {statistics.median(after) * 1000:,.1f} | "
              f"{percentile(after, 0.95) * 1000:,.1f} | {'same' if same else 'DIFFERENT'} |")
    index.close()
    store.close()


if __name__ == "__main__":
    main()
