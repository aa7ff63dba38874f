#!/usr/bin/env python3
"""The first N corpus articles (default: all 37,534) into a fresh store, then every canned query and the pages timed.

    nice -n 10 env OMP_NUM_THREADS=1 python benchmarks/full_corpus.py --articles 300 [--workers 2] [--repeat 10]

Prints: ingest time, articles/s, quads, store folder size, peak RSS of `kg ingest` (the command and its extraction
processes, summed) and of `kg serve` (its process tree, while the queries run); then, for every canned query that
needs no network (default parameters; a required parameter without a default takes its example: kg serve answers
its first page, kg.paging, and oxigraph the same page asked in one query) and for the
landing, article, person and issue pages, the rows and the p50 / p95 in ms over ``--repeat`` runs after one
warm-up run, through `kg serve` and, side by side, through `oxigraph serve-read-only --union-default-graph` on the
same folder when the `oxigraph` binary is installed (the `oxigraph` PyPI package of the test extras; pyoxigraph does
not ship it). A query stops being repeated once it has taken ``--budget`` seconds, so that one slow query cannot
hold the run; the number of runs is printed. Both servers stop queries at ``--timeout`` seconds (answered 503 and
a timeout by Oxigraph).

The machine may be shared with other work: absolute figures say what this machine did at that moment.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from itertools import islice
from pathlib import Path

import requests
from pyoxigraph import Variable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_ingest import folder_mb  # noqa: E402
from benchmarks.extract_corpus import DEFAULT_CORPUS  # noqa: E402
from kg import paging  # noqa: E402
from kg.mapping import article_graph, article_iri  # noqa: E402
from kg.queries import load_queries  # noqa: E402
from kg.sparql.binding import bind_values  # noqa: E402
from kg.store import EmbeddedStore  # noqa: E402

BASE = "https://w3id.org/claimgraph"
CG = "https://w3id.org/claimgraph/ontology#"
TARGET_MS = 200


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def tree_rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and all its descendants, in MB (from /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
        rss[int(entry)] = int(fields[21])
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo += children.get(p, [])
    return total * os.sysconf("SC_PAGE_SIZE") / 2**20


class PeakRss:
    """Samples the RSS of a process tree every 0.2 s in a thread; ``peak`` is the highest sum seen."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak = pid, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss_mb(self.pid))
            self._stop.wait(0.2)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak


def wait_for(url: str, proc: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 120
    while True:
        try:
            requests.get(url, timeout=5)
            return
        except requests.ConnectionError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise SystemExit(f"{what} did not start") from None
            time.sleep(0.2)


def answered(run: Callable[[], tuple[int, int]]) -> Callable[[], tuple[int, int]]:
    """``run``, with an answer that cannot be read (a result stream a server cut short at its timeout, a dropped
    connection) counted as status 0 and no rows, so one bad answer is a cell of the table, not the end of the run."""
    def guarded() -> tuple[int, int]:
        try:
            return run()
        except (requests.RequestException, ValueError, KeyError):
            return 0, 0
    return guarded


def timings(run: Callable[[], tuple[int, int]], repeat: int, budget: float) -> tuple[int, int, list[float]]:
    """(status, rows, ms of each counted run): one warm-up run, then up to ``repeat`` within ``budget`` seconds;
    status 0 where the answer could not be read."""
    run = answered(run)
    status, rows = run()
    spent, times = 0.0, list[float]()
    while len(times) < repeat and spent < budget:
        t = time.perf_counter()
        status, rows = run()
        took = time.perf_counter() - t
        spent += took
        times.append(took * 1000)
    return status, rows, times


def p95(times: list[float]) -> float:
    return sorted(times)[max(0, round(0.95 * len(times)) - 1)]


def pages_of(store: Path, first_id: str) -> dict[str, str]:
    """Page paths: the landing page, the first article, the most quoted person and the most used issue."""
    with EmbeddedStore(store, read_only=True) as s:
        def most(prefix: str, predicate: str) -> str:
            # one predicate's objects (claims' speakers, claims' issues), not every quad of the store: a scan of
            # every quad takes minutes at the full corpus
            rows = list(s.query(f"""SELECT ?o (COUNT(*) AS ?n) WHERE {{ ?x <{predicate}> ?o
                FILTER(STRSTARTS(STR(?o), "{BASE}/id/{prefix}/")) }} GROUP BY ?o ORDER BY DESC(?n)
                LIMIT 1"""))  # type: ignore[arg-type]
            return rows[0]["o"].value[len(BASE):] if rows else f"/id/{prefix}/none"
        return {"page: landing": "/", "page: article": article_iri(first_id)[len(BASE):],
                "page: person": most("person", CG + "speaker"), "page: issue": most("issue", CG + "about")}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=None, help="first N corpus articles (default: all)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--budget", type=float, default=60, help="seconds of runs per query at most")
    ap.add_argument("--timeout", type=float, default=30, help="query timeout of both servers, seconds")
    ap.add_argument("--also", action="append", default=[], metavar="QUERY:NAME=VALUE[,NAME=VALUE]",
                    help="time this canned query with these parameters too (an analyst's usual ones: "
                         "who-said-what:speaker=cgid:person/donald-trump); repeatable")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--store", type=Path, help="folder to ingest into (default: a temporary one, removed after)")
    ap.add_argument("--existing", action="store_true", help="--store is a store `kg ingest` has already filled "
                    "(from the corpus's first articles, e.g. an ingest stopped with Ctrl-C): time its queries and "
                    "pages only")
    a = ap.parse_args()
    if not a.corpus.exists():
        print(f"no corpus at {a.corpus}", file=sys.stderr)
        return 2
    if a.existing and (a.store is None or not a.store.is_dir()):
        print("--existing needs --store naming a store folder", file=sys.stderr)
        return 2
    kg = Path(sys.executable).parent / "kg"
    tmp = Path(tempfile.mkdtemp(prefix="full-corpus-"))
    store = a.store or tmp / "store"
    if store.exists() and not a.existing:
        raise SystemExit(f"{store} exists: the benchmark ingests into a fresh store (or give --existing)")
    try:
        with gzip.open(a.corpus, "rt", encoding="utf-8") as f:
            first_id = json.loads(f.readline())["id"]
        if not a.existing:
            ingest_corpus(kg, a.corpus, a.articles, store, a.workers, tmp)
        else:
            with EmbeddedStore(store, read_only=True) as s:
                quads, names = s.count(), s.named_graphs()
                graphs = len(names)
                if not s.has_graph(article_graph(first_id)):  # the article page shows one that is stored
                    first_id = next((g.rsplit("/", 1)[1] for g in names if g.startswith(article_graph(""))), first_id)
            print(f"existing store: {quads:,} quads in {graphs:,} named graphs, folder {folder_mb(store):,.0f} MB",
                  flush=True)
        time_queries(kg, store, first_id, a)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def ingest_corpus(kg: Path, corpus: Path, articles: int | None, store: Path, workers: int, tmp: Path) -> None:
    """`kg ingest` of the first ``articles`` corpus articles into ``store``, with its figures printed."""
    feed = tmp / "articles.jsonl"
    with gzip.open(corpus, "rt", encoding="utf-8") as f, feed.open("w", encoding="utf-8") as out:
        for line in islice(f, articles):
            out.write(line)
    start = time.perf_counter()
    proc = subprocess.Popen([str(kg), "ingest", str(feed), "--store", str(store), "--workers", str(workers),
                             "--no-progress"], stderr=subprocess.PIPE)
    rss = PeakRss(proc.pid)
    _, err = proc.communicate()
    took, ingest_mb = time.perf_counter() - start, rss.stop()
    summary = err.decode("utf-8", "replace").strip().splitlines()[-1]
    ingested = int(summary.split("ingested ")[1].split()[0])
    with EmbeddedStore(store, read_only=True) as s:
        quads = s.count()
    print(f"ingest: {summary}")
    print(f"ingest: {ingested} articles in {took:.0f} s = {ingested / took:.2f} articles/s (workers {workers}), "
          f"{quads:,} quads, store folder {folder_mb(store):,.0f} MB, peak RSS of kg ingest {ingest_mb:,.0f} MB",
          flush=True)


def also(text: str) -> tuple[str, dict[str, str]]:
    """``--also``'s ``QUERY:NAME=VALUE,NAME=VALUE`` as the query's name and its parameters.

    >>> also("who-said-what:speaker=cgid:person/donald-trump,from=2018-01-01")
    ('who-said-what', {'speaker': 'cgid:person/donald-trump', 'from': '2018-01-01'})
    """
    name, _, given = text.partition(":")
    return name, dict(pair.split("=", 1) for pair in given.split(",") if pair)


def time_queries(kg: Path, store: Path, first_id: str, a: argparse.Namespace) -> None:
    """Every local canned query and the pages through `kg serve`, beside `oxigraph serve-read-only`, printed as a
    table, then the peak RSS of `kg serve`."""
    queries = {n: q for n, q in load_queries().items() if not q.uses_service}
    pages = pages_of(store, first_id)
    port = free_port()
    serve = subprocess.Popen([str(kg), "serve", "--store", str(store), "--port", str(port)],
                             env={**os.environ, "KG_QUERY_TIMEOUT": str(a.timeout)},
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    oxi: subprocess.Popen[bytes] | None = None
    try:
        kg_url = f"http://127.0.0.1:{port}"
        wait_for(kg_url + "/sparql", serve, "kg serve")
        serve_rss = PeakRss(serve.pid)
        binary = Path(sys.executable).parent / "oxigraph"
        if binary.exists() or shutil.which("oxigraph"):
            oxi_port = free_port()
            oxi = subprocess.Popen([str(binary if binary.exists() else shutil.which("oxigraph")), "serve-read-only",
                                    "--location", str(store), "--bind", f"127.0.0.1:{oxi_port}",
                                    "--union-default-graph", "--timeout-s", str(int(a.timeout))],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            oxi_url = f"http://127.0.0.1:{oxi_port}/query"
            wait_for(oxi_url + "?query=ASK%7B%7D", oxi, "oxigraph serve-read-only")
        else:
            print("oxigraph column left out: no `oxigraph` binary beside this Python or on PATH "
                  "(pip install '.[test]' installs it)")
        session = requests.Session()

        def kg_query(name: str, values: dict[str, str]) -> Callable[[], tuple[int, int]]:
            def run() -> tuple[int, int]:
                r = session.get(f"{kg_url}/queries/{name}.json", params=values, timeout=a.timeout + 30)
                return r.status_code, len(r.json()["results"]["bindings"]) if r.status_code == 200 else 0
            return run

        def oxi_query(sparql: str) -> Callable[[], tuple[int, int]]:
            def run() -> tuple[int, int]:
                r = session.post(oxi_url, data=sparql.encode("utf-8"), timeout=a.timeout + 30, headers={
                    "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
                return r.status_code, len(r.json()["results"]["bindings"]) if r.status_code == 200 else 0
            return run

        def page(path: str) -> Callable[[], tuple[int, int]]:
            def run() -> tuple[int, int]:
                r = session.get(kg_url + path, timeout=a.timeout + 30)
                return r.status_code, len(r.content)
            return run

        print(f"\n| query or page | status | rows (page: bytes) | runs | kg serve p50 ms | kg serve p95 ms | "
              f"oxigraph p50 ms | oxigraph p95 ms | p95 <= {TARGET_MS} ms |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |", flush=True)
        runs = [(name, {p.name: p.example for p in q.params if p.required and p.default is None and p.example})
                for name, q in sorted(queries.items())]
        runs += [also(text) for text in a.also]
        for name, values in runs:
            q = queries[name]
            status, rows, times = timings(kg_query(name, values), a.repeat, a.budget)
            ox_cells = "| - | -"
            if oxi is not None:
                sparql, bound = q.prepare(values)
                # the same first page in one query: kg serve asks a page's keys, then their details (kg.paging)
                bound_sparql = bind_values(paging.paged(sparql, paging.Page()),
                                           {Variable(k): t for k, t in bound.items()})
                _, _, ox_times = timings(oxi_query(bound_sparql), a.repeat, a.budget)
                ox_cells = f"| {statistics.median(ox_times):,.0f} | {p95(ox_times):,.0f}"
            label = name + "".join(f" `{k}={v.removeprefix('cgid:')}`" for k, v in values.items()
                                   if (name, values) not in runs[:len(queries)])
            print(f"| {label} | {status} | {rows} | {len(times)} | {statistics.median(times):,.0f} | "
                  f"{p95(times):,.0f} {ox_cells} | {'yes' if p95(times) <= TARGET_MS else 'no'} |", flush=True)
        for name, path in pages.items():
            status, size, times = timings(page(path), a.repeat, a.budget)
            print(f"| {name} `{path}` | {status} | {size} | {len(times)} | {statistics.median(times):,.0f} | "
                  f"{p95(times):,.0f} | - | - | {'yes' if p95(times) <= TARGET_MS else 'no'} |", flush=True)
        print(f"\npeak RSS of kg serve (process tree) during the queries: {serve_rss.stop():,.0f} MB")
    finally:  # a run cut short (a crash, Ctrl-C) leaves no server holding the store
        for p in (serve, oxi):
            if p is not None and p.poll() is None:
                p.terminate()
                p.wait(30)


if __name__ == "__main__":
    sys.exit(main())
