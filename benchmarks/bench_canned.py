"""How fast the canned queries answer on a store of many articles (issue 12: extraction-runs and co-quoted < 1 s on
1,000 articles).

Builds the store as benchmarks/bench_pages.py does (the sample article ingested with the real `kg ingest`, its
article graph copied ``--copies`` times), serves it with waitress and the query workers, and runs each canned
query named by ``--query`` (default: all that need no network) ``--repeat`` times over HTTP; prints the rows and,
per query, the median and slowest time in ms.

    .venv/bin/python benchmarks/bench_canned.py --copies 999 --repeat 5 --query extraction-runs --query co-quoted
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import requests
from bench_pages import build

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=999, help="copies of the sample article graph")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each query")
    parser.add_argument("--query", action="append", help="canned query name (repeatable; default: every local one)")
    parser.add_argument("--timeout", type=float, default=120, help="KG_QUERY_TIMEOUT of the server")
    args = parser.parse_args()

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


if __name__ == "__main__":
    main()
