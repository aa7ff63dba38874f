"""Page keys from the search index against the key sub-select (kg.keys, issue 13): who-said-what, search-claims and
claims-mentioning-country, side by side in one run, on a store ``kg ingest`` filled (opened read-only) and a copy
of its search index.

    nice -n 10 env OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_page_keys.py \\
        --store /work/scale6-bench/s1600 --index /work/scale6-bench/s1600.search.sqlite --repeat 10

First the index is copied to a temporary file and opened: an index made before kg.keys gains its trigram table
and ordered indexes then, from its own rows, and the time that takes is printed (``--upgrade-only`` stops there).
Then each request (the query's default parameters, and a few typical ones) is asked for one page (``_limit`` 100
unless the case says otherwise), alternately by the SPARQL path (kg.paging.select_page: the key sub-select, then
the details) and the index path (the index picks the keys, then the same details step), ``--repeat`` times after
one untimed run of each. It prints the rows of both ("same" when the index path gives the same rows in the same
order, else DIFFER), p50 / p95 in ms of both, and of the index's key step alone. Queries are evaluated in-process
(no HTTP): the figures are the store's, the index's and the query's.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg import paging  # noqa: E402
from kg.keys import page_keys  # noqa: E402
from kg.paging import Select  # noqa: E402
from kg.queries import CannedQuery, load_queries  # noqa: E402
from kg.query_job import Solutions, Term  # noqa: E402
from kg.search import SearchIndex  # noqa: E402
from kg.store import EmbeddedStore  # noqa: E402

CGID = "https://w3id.org/claimgraph/id/"
CASES: list[tuple[str, dict[str, str]]] = [
    ("who-said-what", {}),
    ("who-said-what", {"_offset": "2000"}),
    ("who-said-what", {"country": CGID + "country/US"}),
    ("who-said-what", {"country": CGID + "country/CN", "from": "2018-03-01", "to": "2018-12-31"}),
    ("who-said-what", {"speaker": CGID + "person/donald-trump", "undated": "true"}),
    ("who-said-what", {"issue": CGID + "issue/tariffs"}),
    ("search-claims", {"text": "deal"}),
    ("search-claims", {"text": "national security"}),
    ("search-claims", {"text": "soybean", "kind": "https://w3id.org/claimgraph/ontology#DirectQuote"}),
    ("search-claims", {"text": "the"}),
    ("search-claims", {"text": "Mexico", "_offset": "100"}),
    ("search-claims", {"text": "eu"}),
    ("claims-mentioning-country", {"country": CGID + "country/US"}),
    ("claims-mentioning-country", {"country": CGID + "country/US", "speakerCountry": CGID + "country/CA"}),
    ("claims-mentioning-country", {"country": CGID + "country/CN", "_offset": "100"}),
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(run: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    out = run()
    return (time.perf_counter() - started) * 1000, out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, required=True, help="a store folder kg ingest filled (opened read-only)")
    ap.add_argument("--index", type=Path, required=True, help="its search index (copied, never written)")
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--upgrade-only", action="store_true", help="only time opening (upgrading) the index copy")
    ap.add_argument("--keys-only", action="store_true",
                    help="only the index's key step (p50 / p95), not the SPARQL path nor the details")
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="page-keys-"))
    try:
        copy = tmp / "index.sqlite"
        shutil.copy(a.index, copy)
        size = copy.stat().st_size / 1e6
        ms, index = timed(lambda: SearchIndex(copy))
        assert isinstance(index, SearchIndex)
        print(f"opening the index copy ({size:,.0f} MB, {index.claim_count():,} claims): {ms:,.0f} ms; "
              f"after: {copy.stat().st_size / 1e6:,.0f} MB")
        if a.upgrade_only:
            return 0
        store = EmbeddedStore(a.store, read_only=True)
        queries = load_queries()

        def select(sparql: str, bindings: Mapping[str, Term], most: int | None) -> Solutions:
            return store.select(sparql, bindings, max_rows=most)

        if a.keys_only:
            keys_table(index, queries, select, a.repeat)
            return 0
        print(f"\n{'query':<28} {'parameters':<58} {'rows':>9} {'SPARQL p50/p95':>16} {'index p50/p95':>15} "
              f"{'keys p50':>8}")
        for name, values in CASES:
            sparql, bound = queries[name].prepare({k: v for k, v in values.items() if not k.startswith("_")})
            page = paging.page_of(values)
            before: list[float] = []
            after: list[float] = []
            keys_only: list[float] = []
            answers: dict[str, object] = {}
            def by_sparql(sparql: str = sparql, bound: dict[str, Term] = bound,
                          page: paging.Page = page) -> object:
                return paging.select_page(select, sparql, bound, page)

            def by_index(name: str = name, sparql: str = sparql, bound: dict[str, Term] = bound,
                         page: paging.Page = page) -> object:
                return paging.select_page(select, sparql, bound, page,
                                          keys=lambda p: page_keys(index, name, bound, p, select))

            def keys_alone(name: str = name, bound: dict[str, Term] = bound, page: paging.Page = page) -> object:
                return page_keys(index, name, bound, page, select)

            for turn in range(a.repeat + 1):
                ms_b, answers["sparql"] = timed(by_sparql)
                ms_a, answers["index"] = timed(by_index)
                ms_k, _ = timed(keys_alone)
                if turn:
                    before.append(ms_b)
                    after.append(ms_a)
                    keys_only.append(ms_k)
            (rows_b, more_b), (rows_a, more_a) = answers["sparql"], answers["index"]  # type: ignore[misc]
            same = rows_b.rows == rows_a.rows and more_b == more_a
            shown = " ".join(f"{k}={v.removeprefix(CGID)}" for k, v in values.items())
            print(f"{name:<28} {shown[:58]:<58} {len(rows_a.rows):>4} {'same' if same else 'DIFFER':>4} "
                  f"{percentile(before, .5):>7,.0f} /{percentile(before, .95):>6,.0f} "
                  f"{percentile(after, .5):>6,.0f} /{percentile(after, .95):>6,.0f} "
                  f"{statistics.median(keys_only):>8.1f}", flush=True)
        store.close()
        index.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def keys_table(index: SearchIndex, queries: Mapping[str, CannedQuery], select: Select, repeat: int) -> None:
    """The key step alone for every case: keys of the page, p50 / p95 ms."""
    print(f"\n{'query':<28} {'parameters':<58} {'keys':>5} {'p50/p95':>14}")
    for name, values in CASES:
        _, bound = queries[name].prepare({k: v for k, v in values.items() if not k.startswith("_")})
        page = paging.page_of(values)
        times, found = [], None
        for turn in range(repeat + 1):
            ms, found = timed(lambda: page_keys(index, name, bound, page, select))  # noqa: B023 - called at once
            if turn:
                times.append(ms)
        assert isinstance(found, tuple)
        shown = " ".join(f"{k}={v.removeprefix(CGID)}" for k, v in values.items())
        print(f"{name:<28} {shown[:58]:<58} {len(found[0].rows):>5} {percentile(times, .5):>6.1f} /"
              f"{percentile(times, .95):>6.1f}", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
