#!/usr/bin/env python3
"""Throughput of ``kg ingest --cluster local:W`` beside plain ``kg ingest --workers 1``, in one run.

    nice -n 10 env OMP_NUM_THREADS=1 python benchmarks/bench_cluster.py [--articles 100] [--cluster-workers 1,2]

The first N records of the shared corpus go, each run into a fresh destination:

* **plain**: ``kg ingest --workers 1`` into an embedded store (the reference), and into the ``oxigraph serve``
  below (the same write path as the cluster's, from one process);
* **cluster W**: ``kg ingest --cluster local:W`` (a Dask LocalCluster of W worker processes, one thread each) into
  an ``oxigraph serve`` started here on loopback (emptied before each run), the workers writing each article
  through the RemoteStore's staged write;
* **nquads W**: the same cluster writing N-Quads files (``--nquads``) instead, for the largest W.

Every run is a ``kg ingest`` process, timed from start to exit; its fixed cost (interpreter, cluster start, the
pipeline loaded in each worker) is measured by the same command on an empty input and taken off, which gives the
steady rate. Each line prints the load average before the run: the machine is shared, so figures are comparable
only within one run. Run it under ``nice``; the script says whether it was.
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.extract_corpus import DEFAULT_CORPUS  # noqa: E402
from kg.store import RemoteStore  # noqa: E402
from tests.conftest import free_port, oxigraph_binary  # noqa: E402


def kg_ingest(args: list[str]) -> tuple[float, str]:
    """Run ``kg ingest --no-progress ARGS``; its wall time and last stderr line."""
    env = {**os.environ, "KG_SEARCH_INDEX": "off"}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", "from kg.cli import main; main()", "ingest", "--no-progress",
                           *args], capture_output=True, text=True, env=env, timeout=7200)
    elapsed = time.perf_counter() - started
    last = (done.stderr.strip().splitlines() or [""])[-1]
    if done.returncode not in (0, 1) or not last.startswith("ingested"):
        raise SystemExit(f"kg ingest {' '.join(args)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return elapsed, last


def oxigraph_serve(location: Path) -> tuple[subprocess.Popen[bytes], str]:
    binary = oxigraph_binary()
    if binary is None:
        raise SystemExit("the oxigraph CLI is not installed (pip install -e '.[test]')")
    port = free_port()
    proc = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=1).read()
            return proc, url + "/query"
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("oxigraph serve did not start")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=100)
    ap.add_argument("--cluster-workers", default="1,2", help="comma-separated worker counts")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    a = ap.parse_args()
    counts = [int(w) for w in a.cluster_workers.split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="bench-cluster-"))
    server = None
    try:
        sample, empty = tmp / "articles.jsonl", tmp / "empty.jsonl"
        with gzip.open(a.corpus, "rt", encoding="utf-8") as f:
            sample.write_text("".join(islice(f, a.articles)), encoding="utf-8")
        empty.write_text("", encoding="utf-8")
        server, url = oxigraph_serve(tmp / "oxigraph")
        remote = RemoteStore(url)
        print(f"{a.articles} corpus articles; niceness {os.nice(0)}; OMP_NUM_THREADS="
              f"{os.environ.get('OMP_NUM_THREADS', 'unset')}; {os.cpu_count()} cores")
        runs: list[tuple[str, int, list[str]]] = [("plain --workers 1", 1, ["--workers", "1", "--store", "STORE"]),
                                                  ("plain, remote store", 1, ["--workers", "1", "--store", url])]
        runs += [(f"cluster local:{w}", w, ["--cluster", f"local:{w}", "--store", url]) for w in counts]
        runs.append((f"nquads local:{max(counts)}", max(counts), ["--cluster", f"local:{max(counts)}", "--nquads",
                                                                  "DIR"]))
        print(f"{'run':20} {'load avg':>8} {'fixed s':>8} {'wall s':>8} {'art/s':>7} {'steady':>7} "
              f"{'per worker':>10} {'vs plain':>8}")
        plain_rate = None
        for n, (label, workers, args) in enumerate(runs):
            def fresh(args: list[str] = args, n: int = n) -> list[str]:
                remote.update("DROP ALL")
                target = tmp / f"out{n}-{time.monotonic_ns()}"
                return [str(target) if x in ("STORE", "DIR") else x for x in args]

            load = os.getloadavg()[0]
            fixed, _ = kg_ingest([*fresh(), str(empty)])
            wall, last = kg_ingest([*fresh(), str(sample)])
            rate = a.articles / wall
            if wall - fixed < 0.2 * wall:  # too few articles for the fixed cost to be taken off reliably
                print(f"{label:20} {load:8.2f} {fixed:8.1f} {wall:8.1f} {rate:7.2f} {'n/a':>7} (use more --articles)")
                continue
            steady = a.articles / (wall - fixed)
            plain_rate = plain_rate or steady
            print(f"{label:20} {load:8.2f} {fixed:8.1f} {wall:8.1f} {rate:7.2f} {steady:7.2f} {steady / workers:10.2f} "
                  f"{steady / plain_rate:7.2f}x")
            print(f"  {last}")
        print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    finally:
        if server is not None:
            server.kill()
            server.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
