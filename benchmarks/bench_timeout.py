"""Does a runaway query hurt other queries, and is it really stopped at KG_QUERY_TIMEOUT?

Builds a store of synthetic quads (``--quads`` over ``--graphs`` named graphs), starts ``kg serve`` on loopback with
``KG_QUERY_TIMEOUT``, measures the latency of small queries alone (baseline), then again while a cross-product
query runs, and reports when the runaway was answered and how much CPU the query workers used after it.

    /work/venv/bin/python benchmarks/bench_timeout.py --quads 200000 --timeout 5
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import requests

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
EX = "http://example.org/bench/"


def build_store(path: Path, quads: int, graphs: int) -> None:
    store = ox.Store(str(path))
    per_graph = max(1, quads // graphs)

    def generate():  # type: ignore[no-untyped-def]
        for i in range(quads):
            g = ox.NamedNode(f"{EX}graph/{i // per_graph}")
            yield ox.Quad(ox.NamedNode(f"{EX}s{i // 10}"), ox.NamedNode(f"{EX}p{i % 10}"), ox.Literal(str(i)), g)

    store.bulk_extend(generate())
    store.flush()
    del store


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def small_query(url: str, subjects: int) -> float:
    subject = f"<{EX}s{random.randrange(subjects)}>"
    started = time.perf_counter()
    r = requests.get(url, params={"query": f"SELECT ?p ?o WHERE {{ {subject} ?p ?o }}"}, timeout=60)
    r.raise_for_status()
    return (time.perf_counter() - started) * 1000


def latencies(url: str, subjects: int, n: int) -> list[float]:
    return [small_query(url, subjects) for _ in range(n)]


def children_cpu_seconds(pid: int) -> float:
    """User+system CPU seconds of the live children of ``pid`` (the query workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def describe(label: str, values: list[float]) -> str:
    values = sorted(values)
    p95 = values[int(len(values) * 0.95) - 1]
    return f"{label:34s} n={len(values):3d}  median {statistics.median(values):7.1f} ms  p95 {p95:7.1f} ms  " \
           f"max {values[-1]:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quads", type=int, default=200_000)
    parser.add_argument("--graphs", type=int, default=300, help="named graphs (like corpus articles)")
    parser.add_argument("--timeout", type=float, default=5.0, help="KG_QUERY_TIMEOUT, seconds")
    parser.add_argument("--workers", type=int, default=2, help="KG_QUERY_WORKERS")
    parser.add_argument("--samples", type=int, default=100, help="small queries per phase")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bench-timeout-"))
    try:
        started = time.perf_counter()
        build_store(folder / "store", args.quads, args.graphs)
        print(f"store: {args.quads} quads in {args.graphs} graphs, built in {time.perf_counter() - started:.1f} s")
        port = free_port()
        env = {**os.environ, "KG_QUERY_TIMEOUT": str(args.timeout), "KG_QUERY_WORKERS": str(args.workers)}
        kg = str(Path(sys.executable).parent / "kg")
        server = subprocess.Popen([kg, "serve", "--host", "127.0.0.1", "--port", str(port), "--store",
                                   str(folder / "store")], env=env, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}/sparql"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    requests.get(url, params={"query": "ASK {}"}, timeout=2).raise_for_status()
                    break
                except requests.RequestException:
                    if time.monotonic() > deadline:
                        raise SystemExit("kg serve did not start") from None
                    time.sleep(0.1)
            subjects = args.quads // 10
            latencies(url, subjects, 10)  # warm up every worker
            baseline = latencies(url, subjects, args.samples)

            runaway: dict[str, float | int] = {}

            def run_runaway() -> None:
                t = time.perf_counter()
                r = requests.get(url, params={"query": RUNAWAY}, timeout=args.timeout * 10)
                runaway["status"], runaway["seconds"] = r.status_code, time.perf_counter() - t
                runaway["message"] = r.text[:160]  # type: ignore[assignment]

            thread = threading.Thread(target=run_runaway)
            thread.start()
            time.sleep(0.2)
            during = []
            while thread.is_alive():
                during.append(small_query(url, subjects))
            thread.join()
            cpu_before = children_cpu_seconds(server.pid)
            time.sleep(1.0)
            cpu_after = children_cpu_seconds(server.pid)
            after = latencies(url, subjects, args.samples)

            print(f"kg serve: KG_QUERY_TIMEOUT={args.timeout:g} s, KG_QUERY_WORKERS={args.workers}, "
                  f"{os.cpu_count()} CPU(s)")
            print(f"runaway cross product: HTTP {runaway['status']} after {runaway['seconds']:.2f} s "
                  f"(timeout {args.timeout:g} s, overshoot {float(runaway['seconds']) - args.timeout:+.2f} s)")
            print(f"  answer: {runaway['message']}")
            print(describe("small queries, baseline", baseline))
            print(describe("small queries, during the runaway", during))
            print(describe("small queries, after it", after))
            print(f"query workers' CPU in the second after the timeout: {100 * (cpu_after - cpu_before):.0f}% "
                  "of one core")
        finally:
            server.terminate()
            server.wait(10)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
