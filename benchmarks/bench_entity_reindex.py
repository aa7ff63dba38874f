#!/usr/bin/env python3
"""How long re-indexing entities spends deleting their old trigram rows, with and without the index on
``entity_grams(name)``, on a copy of a real search index (side by side, one run).

    python benchmarks/bench_entity_reindex.py --index STORE.search.sqlite [--names 200] [--rounds 3]
    python benchmarks/bench_entity_reindex.py --store STORE [--names 200] [--rounds 3]

Each batch of ``kg ingest`` re-indexes the entities its articles name (kg.search.SearchIndex.index_entities), first
deleting every trigram row of their names. Without the index each delete scans the whole table, which grows with
the store. The index file is copied with SQLite's backup API (a running ingest may hold it), and only the copy is
changed; every delete is rolled back, so each round deletes the same rows.

With ``--store`` (a store folder no process is writing, opened read-only) it times instead the query that reads the
names of a batch's entities: kg.search.ENTITY_NAMES (the full rebuild's) against ENTITY_NAMES_OF, for the first
``--names`` speakers, alternately, and checks that both give the same names.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path


def _timed_deletes(db: sqlite3.Connection, names: list[int]) -> float:
    started = time.perf_counter()
    db.execute("BEGIN")
    db.executemany("DELETE FROM entity_grams WHERE name = ?", [(n,) for n in names])
    db.execute("ROLLBACK")
    return time.perf_counter() - started


def _names_queries(store: Path, count: int, rounds: int) -> None:
    import pyoxigraph as ox

    from kg import search

    s = ox.Store.read_only(str(store))
    speakers = [r["e"].value for r in s.query(  # type: ignore[union-attr]
        f"SELECT DISTINCT ?e WHERE {{ ?c <{search.CG}speaker> ?e }} LIMIT {count}", use_default_graph_as_union=True)]
    kinds = " ".join(f"<{t}>" for types in search.KINDS.values() for t in types)
    restrict = f"\n  VALUES ?e {{ {search._iri_list(speakers)} }}"
    queries = {"ENTITY_NAMES": search.ENTITY_NAMES % (kinds, restrict),
               "ENTITY_NAMES_OF": search.ENTITY_NAMES_OF % (restrict, kinds)}
    times: dict[str, list[float]] = {k: [] for k in queries}
    answers: dict[str, set[tuple[str, str, str]]] = {}
    for _ in range(rounds):
        for name, text in queries.items():
            started = time.perf_counter()
            answers[name] = {(r["e"].value, r["p"].value, str(r["name"]))  # type: ignore[index]
                             for r in s.query(text, use_default_graph_as_union=True)}  # type: ignore[union-attr]
            times[name].append(time.perf_counter() - started)
    same = len({frozenset(a) for a in answers.values()}) == 1
    print(f"names of {len(speakers)} speakers, {rounds} rounds; same names: {same}")
    for name, t in times.items():
        print(f"  {name:16} {statistics.median(t) * 1000:8.1f} ms  ({len(answers[name])} names)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--index", type=Path, help="a search index (STORE.search.sqlite)")
    where.add_argument("--store", type=Path, help="a store folder, for the names query")
    parser.add_argument("--names", type=int, default=200, help="entity names deleted per round")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if args.store is not None:
        _names_queries(args.store, args.names, args.rounds)
        return
    if not args.index.exists():
        parser.error(f"no search index at {args.index}")
    with tempfile.TemporaryDirectory() as tmp:
        copy = sqlite3.connect(Path(tmp) / "copy.sqlite", isolation_level=None)
        source = sqlite3.connect(f"file:{args.index}?mode=ro", uri=True)
        source.backup(copy)
        source.close()
        rows = copy.execute("SELECT COUNT(*) FROM entity_grams").fetchone()[0]
        names = [r[0] for r in copy.execute("SELECT id FROM entity_names ORDER BY id LIMIT ?", (args.names,))]
        times: dict[str, list[float]] = {"without index": [], "with index": []}
        for _ in range(args.rounds):  # alternately, so load on a shared machine falls on both
            copy.execute("DROP INDEX IF EXISTS entity_grams_name")
            times["without index"].append(_timed_deletes(copy, names))
            copy.execute("CREATE INDEX entity_grams_name ON entity_grams(name)")
            times["with index"].append(_timed_deletes(copy, names))
        copy.close()
    print(f"{rows:,} trigram rows; {len(names)} entity names deleted per round, {args.rounds} rounds")
    medians = {k: statistics.median(v) for k, v in times.items()}
    for k, v in medians.items():
        print(f"  {k:14} {v * 1000:9.1f} ms  ({v / len(names) * 1000:.3f} ms a name)")
    print(f"ratio without / with: {medians['without index'] / medians['with index']:.0f}x")


if __name__ == "__main__":
    main()
