#!/usr/bin/env python3
"""Canned queries with their example parameters on a filled store: pyoxigraph's substitution alone (how every
parameter was bound before) against the substitution plus kg.sparql.binding.with_values_hint's VALUES blocks (how
kg.store and kg.query_job bind them now), rows and median ms of three runs each, side by side.

    python benchmarks/bench_values_hint.py STORE_FOLDER

The store is opened read-only (it may be served at the same time).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.queries import load_queries  # noqa: E402
from kg.sparql.binding import with_values_hint  # noqa: E402


def main() -> int:
    if len(sys.argv) != 2 or not Path(sys.argv[1]).is_dir():
        print(__doc__, file=sys.stderr)
        return 2
    st = ox.Store.read_only(sys.argv[1])
    print("| query | parameters | rows, substitution | rows, with VALUES | ms, substitution | ms, with VALUES "
          "| ratio |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, q in sorted(load_queries().items()):
        if q.uses_service:
            continue
        values = {p.name: p.example for p in q.params if p.example}
        sparql, bound = q.prepare(values)
        subs = {ox.Variable(k): t for k, t in bound.items()}
        if not subs:
            continue
        res = {}
        for label, text in (("substitutions", sparql), ("with VALUES", with_values_hint(sparql, subs))):
            times, rows = [], 0
            for _ in range(3):
                t = time.perf_counter()
                rows = len(list(st.query(text, substitutions=subs, use_default_graph_as_union=True)))  # type: ignore[arg-type]
                times.append(1000 * (time.perf_counter() - t))
            res[label] = (rows, statistics.median(times))
        (r1, t1), (r2, t2) = res["substitutions"], res["with VALUES"]
        print(f"| {name} | {', '.join(values)} | {r1} | {r2} | {t1:,.0f} | {t2:,.0f} | {t1 / max(t2, 0.01):.0f}x |",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
