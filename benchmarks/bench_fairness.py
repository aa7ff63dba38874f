"""Can one client's runaway queries starve another client? Small-query latency during KG_QUERY_WORKERS runaways.

Builds a store of synthetic quads (as benchmarks/bench_timeout.py), then, side by side in one run, serves it with
``kg serve`` (gunicorn) twice: with the defaults (fair queue, one reserve worker) and with
``KG_RESERVE_WORKERS=0`` (every process busy with the runaways: the behaviour before issue 12). In each, client
A (source address 127.0.0.2) sends ``KG_QUERY_WORKERS`` cross-product queries at once; client B (127.0.0.1) sends
small queries one after another until A's are answered. Prints B's latencies (median, 95th percentile, slowest)
and status codes, and B's latencies with no runaway for reference.

    .venv/bin/python benchmarks/bench_fairness.py --quads 200000 --timeout 8 --workers 2
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests
from bench_timeout import EX, RUNAWAY, build_store, free_port

ROOT = Path(__file__).resolve().parents[1]


class FromAddress(requests.adapters.HTTPAdapter):
    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def session(address: str) -> requests.Session:
    s = requests.Session()
    s.mount("http://", FromAddress(address))
    return s


def serve(store: Path, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([sys.executable, "-c", "from kg.cli import main; main()", "serve", "--store", str(store),
                             "--port", str(port), "--server", "gunicorn"], env={**os.environ, **env},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/sparql"
    for _ in range(300):
        try:
            if requests.get(url, params={"query": "ASK {}"}, timeout=2).ok:
                return proc
        except requests.RequestException:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("kg serve did not start")


def small(client: requests.Session, url: str, i: int) -> tuple[float, int]:
    started = time.perf_counter()
    r = client.get(url, params={"query": f"SELECT ?p ?o WHERE {{ <{EX}s{i}> ?p ?o }}"}, timeout=120)
    return (time.perf_counter() - started) * 1000, r.status_code


def run(store: Path, workers: int, timeout: float, env: dict[str, str], label: str) -> None:
    port = free_port()
    proc = serve(store, port, {"KG_QUERY_WORKERS": str(workers), "KG_QUERY_TIMEOUT": str(timeout), **env})
    url = f"http://127.0.0.1:{port}/sparql"
    a, b = session("127.0.0.2"), session("127.0.0.1")
    try:
        alone = [small(b, url, i)[0] for i in range(20)]
        flood = [threading.Thread(target=a.get, args=(url,), kwargs={"params": {"query": RUNAWAY},
                                                                     "timeout": 120}) for _ in range(workers)]
        for thread in flood:
            thread.start()
        time.sleep(0.5)  # the runaways hold their workers
        during: list[tuple[float, int]] = []
        i = 0
        while any(t.is_alive() for t in flood):
            during.append(small(b, url, i))
            i += 1
        for thread in flood:
            thread.join()
    finally:
        proc.terminate()
        proc.wait(30)
    ms = sorted(x for x, _ in during)
    statuses = sorted({s for _, s in during})
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    print(f"{label:<42} alone: median {statistics.median(alone):7.1f} ms | during {workers} runaways: "
          f"{len(ms)} queries, median {statistics.median(ms):7.1f} ms, p95 {p95:7.1f} ms, "
          f"slowest {ms[-1]:7.1f} ms, statuses {statuses}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quads", type=int, default=200_000)
    parser.add_argument("--graphs", type=int, default=200)
    parser.add_argument("--timeout", type=float, default=8.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kg-bench-fair-"))
    try:
        store = folder / "store"
        build_store(store, args.quads, args.graphs)
        print(f"{args.quads} quads, KG_QUERY_WORKERS={args.workers}, KG_QUERY_TIMEOUT={args.timeout:g}")
        run(store, args.workers, args.timeout, {}, "fair queue + 1 reserve worker (default)")
        run(store, args.workers, args.timeout, {"KG_RESERVE_WORKERS": "0"}, "no reserve worker (KG_RESERVE_WORKERS=0)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
