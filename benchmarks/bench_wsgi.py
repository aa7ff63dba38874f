"""Which WSGI server serves claimgraph best: waitress or gunicorn (one process, threads), with queries in worker
processes (KG_QUERY_WORKERS>0, killable) or in the server process (KG_QUERY_WORKERS=0, no real timeout).

Builds a synthetic store, starts ``kg serve`` for each combination, and drives it from ``--clients`` client threads
for ``--seconds`` per query mix; prints requests/s and latency percentiles.

    /work/venv/bin/python benchmarks/bench_wsgi.py --seconds 8
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_timeout import EX, build_store, free_port  # noqa: E402

MIXES = {
    "lookup (10 rows)": lambda subjects: f"SELECT ?p ?o WHERE {{ <{EX}s{random.randrange(subjects)}> ?p ?o }}",
    "scan (1000 rows)": lambda subjects: f"SELECT ?s ?o WHERE {{ ?s <{EX}p{random.randrange(10)}> ?o }} LIMIT 1000",
}


def drive(url: str, make_query, subjects: int, clients: int, seconds: float) -> tuple[int, list[float]]:  # type: ignore[no-untyped-def]
    stop = time.monotonic() + seconds
    timings: list[float] = []
    lock = threading.Lock()
    errors = [0]

    def client() -> None:
        session = requests.Session()
        while time.monotonic() < stop:
            t = time.perf_counter()
            r = session.get(url, params={"query": make_query(subjects)}, timeout=60)
            elapsed = (time.perf_counter() - t) * 1000
            with lock:
                if r.status_code == 200:
                    timings.append(elapsed)
                else:
                    errors[0] += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return errors[0], timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quads", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--threads", type=int, default=8, help="kg serve --threads")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-wsgi-"))
    kg = str(Path(sys.executable).parent / "kg")
    try:
        build_store(folder / "store", args.quads, 100)
        print(f"{args.quads} quads; {args.clients} client threads; {args.seconds:g} s per run; "
              f"{os.cpu_count()} CPU(s)")
        for server_name in ("waitress", "gunicorn"):
            for workers in (2, 0):
                port = free_port()
                env = {**os.environ, "KG_QUERY_WORKERS": str(workers), "KG_MAX_CONCURRENT_QUERIES": "64"}
                proc = subprocess.Popen([kg, "serve", "--host", "127.0.0.1", "--port", str(port), "--store",
                                         str(folder / "store"), "--server", server_name, "--threads",
                                         str(args.threads)], env=env, stderr=subprocess.DEVNULL)
                url = f"http://127.0.0.1:{port}/sparql"
                try:
                    for _ in range(300):
                        try:
                            requests.get(url, params={"query": "ASK {}"}, timeout=2).raise_for_status()
                            break
                        except requests.RequestException:
                            time.sleep(0.1)
                    drive(url, MIXES["lookup (10 rows)"], args.quads // 10, args.clients, 1.0)  # warm up
                    for mix, make_query in MIXES.items():
                        errors, timings = drive(url, make_query, args.quads // 10, args.clients, args.seconds)
                        timings.sort()
                        print(f"{server_name:8s} workers={workers}  {mix:17s} {len(timings) / args.seconds:7.1f} req/s"
                              f"  median {statistics.median(timings):6.1f} ms  p95 "
                              f"{timings[int(len(timings) * 0.95) - 1]:6.1f} ms  errors {errors}")
                finally:
                    proc.terminate()
                    proc.wait(10)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
