"""The canned queries before and after a change of the data model and the queries, side by side in one run, on the
first N corpus articles (issue 13, item 2), or (``--copies``) over HTTP on copies of the sample article (issue 12).

    nice -n 10 env OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_canned.py --articles 300 \\
        --extractions /tmp/ex300.pkl --before c457fe7 --repeat 20

With ``--articles``: the articles are extracted once (or read from the ``--extractions`` pickle, written there
otherwise); the *after* store is written by this tree's write path, the *before* store by the tree of git revision
``--before`` (exported with ``git archive``, run in a child process on the same extractions), each compacted as
``kg ingest`` leaves it. Both are opened read-only in this process, and every query runs with its example
parameters and with only its required ones, before and after alternately, ``--repeat`` times after one untimed
run; it prints rows (before / after: they should match) and p50 / p95 in ms. Queries are evaluated in-process
(no HTTP, no server): the figures are the store's and the query's.

    .venv/bin/python benchmarks/bench_canned.py --copies 999 --repeat 5 --query extraction-runs --query co-quoted

With ``--store FOLDER`` (a store `kg ingest` filled, opened read-only): each query's default request (its required
parameters at their examples) as revision ``--before`` answers it, the whole answer in one query, against this
tree's first page (``_limit`` default rows, kg.paging: keys first, then details), alternately, in-process; it
prints the rows of each (the page must be the first rows of the whole answer: "same" or "DIFFER") and p50 / p95.

    nice -n 10 .venv/bin/python benchmarks/bench_canned.py --store /work/scale5-store/s1600 --before 8a8bb93
"""

from __future__ import annotations

import argparse
import os
import pickle
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

BEFORE_WRITER = """
import pickle, sys
from kg.ingest import ensure_static_graphs, write_extraction
from kg.store import EmbeddedStore
store = EmbeddedStore(sys.argv[2])
ensure_static_graphs(store)
with open(sys.argv[1], "rb") as f:
    for extraction in pickle.load(f):
        write_extraction(store, extraction)
store.compact()
store.close()
"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def over_http(args: argparse.Namespace) -> None:
    """Issue 12's mode: the sample article's graph copied ``--copies`` times, queries over HTTP."""
    import requests
    from bench_pages import build

    from kg.queries import load_queries
    from server import create_app
    from server.wsgi import BackgroundServer

    queries = load_queries()
    names = args.query or [name for name, q in queries.items() if not q.uses_service]
    folder = Path(tempfile.mkdtemp(prefix="bench-canned-"))
    try:
        t = time.perf_counter()
        quads = build(folder / "store", args.copies)
        print(f"store: {quads:,} quads ({args.copies + 1} articles), built in {time.perf_counter() - t:.1f} s")
        server = BackgroundServer(create_app({"STORE": str(folder / "store"), "QUERY_TIMEOUT": args.timeout}))
        session = requests.Session()
        print(f"{'query':28} {'status':>6} {'rows':>7} {'median ms':>10} {'max ms':>9}")
        try:
            for name in names:
                example = queries[name].example_values()
                timings, status, rows = [], 0, 0
                for _ in range(args.repeat + 1):  # the first run warms caches and is not counted
                    t = time.perf_counter()
                    response = session.get(f"{server.url}/queries/{name}.json", params=example, timeout=600)
                    timings.append((time.perf_counter() - t) * 1000)
                    status = response.status_code
                    rows = len(response.json()["results"]["bindings"]) if status == 200 else 0
                timings = timings[1:]
                print(f"{name:28} {status:>6} {rows:>7} {statistics.median(timings):>10.1f} {max(timings):>9.1f}")
        finally:
            server.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def corpus_extractions(args: argparse.Namespace, folder: Path) -> Path:
    """The pickle of the first ``--articles`` extractions (made here unless ``--extractions`` holds them)."""
    if args.extractions and args.extractions.exists():
        with args.extractions.open("rb") as f:
            extractions = pickle.load(f)[:args.articles]  # noqa: S301 - a file this script or bench_ingest wrote
    else:
        from extract_corpus import DEFAULT_CORPUS, corpus_articles

        from kg.extract import Extractor
        from kg.extract.pipeline import pipeline_name_from_env

        extractor = Extractor(pipeline_name_from_env())
        extractions = list(extractor.extract_many(corpus_articles(DEFAULT_CORPUS, args.articles)))
        if args.extractions:
            with args.extractions.open("wb") as f:
                pickle.dump(extractions, f)
    path = folder / "extractions.pkl"
    with path.open("wb") as f:
        pickle.dump(extractions, f)
    return path


def before_tree(revision: str, folder: Path) -> Path:
    tree = folder / f"tree-{revision}"
    tree.mkdir()
    archive = subprocess.run(["git", "archive", revision], cwd=ROOT, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree


def side_by_side(args: argparse.Namespace) -> None:
    from kg.bulk_write import write_articles
    from kg.ingest import ensure_static_graphs
    from kg.queries import load_queries
    from kg.store import EmbeddedStore

    folder = Path(tempfile.mkdtemp(prefix="bench-canned-"))
    try:
        pickled = corpus_extractions(args, folder)
        with pickled.open("rb") as f:
            extractions = pickle.load(f)  # noqa: S301 - written just above
        tree = before_tree(args.before, folder)
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", BEFORE_WRITER, str(pickled), str(folder / "before")], check=True,
                       env={**os.environ, "PYTHONPATH": str(tree)}, cwd=tree)
        print(f"before ({args.before}): written in {time.perf_counter() - t:.1f} s", flush=True)
        t = time.perf_counter()
        with EmbeddedStore(folder / "after") as store:
            ensure_static_graphs(store)
            write_articles(store, extractions, bulk=True)
            store.compact()
        print(f"after (this tree): written in {time.perf_counter() - t:.1f} s", flush=True)
        stores = {"before": EmbeddedStore(folder / "before", read_only=True),
                  "after": EmbeddedStore(folder / "after", read_only=True)}
        queries = {"before": load_queries(tree / "queries"), "after": load_queries()}
        for side, store in stores.items():
            print(f"{side}: {store.count():,} quads, {len(extractions)} articles")
        print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        names = args.query or [n for n, q in queries["after"].items() if not q.uses_service]
        print(f"{'query':28} {'parameters':9} {'rows before/after':>18} {'p50 before':>11} {'p95 before':>11} "
              f"{'p50 after':>10} {'p95 after':>10}")
        for name in names:
            example = queries["after"][name].example_values()
            required = {p.name: example[p.name] for p in queries["after"][name].params if p.required}
            for label, values in (("examples", example), ("required", required)):
                timings: dict[str, list[float]] = {"before": [], "after": []}
                rows: dict[str, int] = {}
                prepared = {side: queries[side][name].prepare(values) for side in stores if name in queries[side]}
                for run in range(args.repeat + 1):
                    for side, (sparql, bound) in prepared.items():
                        start = time.perf_counter()
                        rows[side] = len(stores[side].select(sparql, bound).rows)
                        if run:  # the first run warms caches and is not counted
                            timings[side].append((time.perf_counter() - start) * 1000)
                cells = [f"{percentile(timings[s], q):>10.1f}" if timings[s] else f"{'-':>10}"
                         for s in ("before", "after") for q in (0.5, 0.95)]
                counts = f"{rows.get('before', '-')}/{rows.get('after', '-')}"
                print(f"{name:28} {label:9} {counts:>18} " + " ".join(cells), flush=True)
                if label == "examples" and required == example:
                    break
        for store in stores.values():
            store.close()
        print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def existing_store(args: argparse.Namespace) -> None:
    """``--store``: before's whole answer against this tree's first page, on one filled store."""
    import json

    from kg import paging
    from kg.queries import load_queries
    from kg.query_job import text_of
    from kg.store import EmbeddedStore

    folder = Path(tempfile.mkdtemp(prefix="bench-canned-"))
    try:
        tree = before_tree(args.before, folder)
        queries = {"before": load_queries(tree / "queries"), "after": load_queries()}
        store = EmbeddedStore(args.store, read_only=True)
        page = paging.Page(paging.DEFAULT_LIMIT)

        def select(sparql: str, bindings: Any, most: int | None) -> Any:
            return store.select(sparql, bindings, max_rows=most)

        def answer(side: str, name: str) -> list[Any]:
            q = queries[side][name]
            sparql, bound = q.prepare({p.name: p.example for p in q.params if p.required and p.example})
            if side == "before":
                return store.select(sparql, bound).rows
            return paging.select_page(select, sparql, bound, page)[0].rows

        def lines(rows: list[Any]) -> list[str]:
            return [json.dumps({k: text_of(v) for k, v in r.items()}, sort_keys=True) for r in rows]

        print(f"store {args.store}: {store.count():,} quads; before {args.before} (whole answer), after this tree "
              f"(first page of {page.limit}); load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        print("| query | rows before | rows after | first rows | p50 before | p95 before | p50 after | p95 after |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        names = args.query or [n for n, q in queries["after"].items() if not q.uses_service]
        for name in names:
            timings: dict[str, list[float]] = {"before": [], "after": []}
            rows: dict[str, list[Any]] = {}
            for run in range(args.repeat + 1):
                for side in ("before", "after"):
                    if run and timings[side] and sum(timings[side]) > args.budget * 1000:
                        continue  # a slow side stops being repeated once it has taken --budget seconds
                    start = time.perf_counter()
                    rows[side] = answer(side, name)
                    if run:  # the first run warms caches and is not counted
                        timings[side].append((time.perf_counter() - start) * 1000)
            same = "same" if lines(rows["before"][:len(rows["after"])]) == lines(rows["after"]) else "DIFFER"
            cells = " | ".join(f"{percentile(timings[s], q):,.0f}" for s in ("before", "after") for q in (0.5, 0.95))
            print(f"| {name} | {len(rows['before']):,} | {len(rows['after']):,} | {same} | {cells} |", flush=True)
        store.close()
        print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, help="first N corpus articles, before and after side by side")
    parser.add_argument("--extractions", type=Path, help="pickle of the extractions: read if present, else written")
    parser.add_argument("--before", default="c457fe7", help="git revision of the before side (default c457fe7)")
    parser.add_argument("--copies", type=int, default=999, help="without --articles: copies of the sample graph")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each query")
    parser.add_argument("--query", action="append", help="canned query name (repeatable; default: every local one)")
    parser.add_argument("--timeout", type=float, default=120, help="KG_QUERY_TIMEOUT of the server (--copies)")
    parser.add_argument("--store", type=Path, help="a filled store: before's whole answers against this tree's pages")
    parser.add_argument("--budget", type=float, default=30, help="--store: seconds of timed runs per side at most")
    args = parser.parse_args()
    if args.store:
        existing_store(args)
    elif args.articles:
        side_by_side(args)
    else:
        over_http(args)


if __name__ == "__main__":
    main()
