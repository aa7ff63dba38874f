"""How fast the HTML and Linked Data pages answer on a store of realistic shape and size.

Ingests the sample article with the real `kg ingest`, then copies its article graph ``--copies`` times under new
article keys (dates spread over two years), so speakers, issues and countries gather claims the way a large
corpus would. Serves the store with waitress (``server.wsgi.BackgroundServer``) and fetches each page
``--repeat`` times over loopback; prints the quads and, per page, the median and slowest time in ms.

    /work/venv/bin/python benchmarks/bench_pages.py --copies 400 --repeat 5
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SAMPLE = ROOT / "samples" / "nafta-talks-2018.json"
KEY = "nafta-talks-2018"
ARTICLE_GRAPH = f"https://w3id.org/claimgraph/graph/article/{KEY}"
XSD_DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
PAGES = {
    "landing /": "/",
    "official (most quoted)": "/id/person/robert-lighthizer",
    "country US": "/id/country/US",
    "issue (broad, with narrower)": "/id/issue/trade-agreements",
    "issue scheme": "/id/issue-scheme",
    "article": f"/id/article/{KEY}-7",
    "claim": f"/id/claim/{KEY}-7/1351-1403",
    "ontology": "/ontology",
    "404 with suggestions": "/id/person/robert-lightizer",
    "official as Turtle": "/id/person/robert-lighthizer?format=turtle",
    "issue as JSON-LD": "/id/issue/trade-agreements?format=jsonld",
    "canned query form": "/queries/claims-by-official/form?speaker=https://w3id.org/claimgraph/id/person/"
                         "robert-lighthizer&_run=1",
}


def renamed(term: ox.NamedNode | ox.Literal, copy: int) -> ox.NamedNode | ox.Literal:
    if isinstance(term, ox.NamedNode):
        return ox.NamedNode(term.value.replace(f"/{KEY}", f"/{KEY}-{copy}"))
    if isinstance(term, ox.Literal) and term.datatype == XSD_DATE:
        day = dt.date.fromisoformat(term.value) + dt.timedelta(days=(copy * 7) % 730)
        return ox.Literal(day.isoformat(), datatype=XSD_DATE)
    if isinstance(term, ox.Literal) and term.value == KEY:
        return ox.Literal(f"{KEY}-{copy}")
    return term


def build(path: Path, copies: int) -> int:
    done = subprocess.run([sys.executable, "-c", "from kg.cli import main; main()", "ingest", "--no-progress",
                           "--store", str(path), str(SAMPLE)], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"kg ingest failed: {done.stderr}")
    store = ox.Store(str(path))
    article = list(store.quads_for_pattern(None, None, None, ox.NamedNode(ARTICLE_GRAPH)))

    def generate():  # type: ignore[no-untyped-def]
        for copy in range(copies):
            graph = ox.NamedNode(f"{ARTICLE_GRAPH}-{copy}")
            for q in article:
                yield ox.Quad(renamed(q.subject, copy), q.predicate, renamed(q.object, copy), graph)

    store.bulk_extend(generate())
    store.flush()
    total = len(store)
    del store
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=400, help="copies of the sample article graph")
    parser.add_argument("--repeat", type=int, default=5, help="fetches of each page")
    args = parser.parse_args()

    from server import create_app
    from server.wsgi import BackgroundServer

    folder = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    try:
        t = time.perf_counter()
        quads = build(folder / "store", args.copies)
        print(f"store: {quads:,} quads ({args.copies + 1} articles), built in {time.perf_counter() - t:.1f} s")
        server = BackgroundServer(create_app({"STORE": str(folder / "store")}))
        session = requests.Session()
        print(f"{'page':32} {'status':>6} {'KiB':>7} {'median ms':>10} {'max ms':>8}")
        try:
            for name, path in PAGES.items():
                timings, status, size = [], 0, 0
                for _ in range(args.repeat + 1):  # the first fetch warms caches and is not counted
                    t = time.perf_counter()
                    response = session.get(server.url + path, headers={"Accept": "text/html"}, timeout=120)
                    timings.append((time.perf_counter() - t) * 1000)
                    status, size = response.status_code, len(response.content)
                timings = timings[1:]
                print(f"{name:32} {status:>6} {size / 1024:>7.1f} {statistics.median(timings):>10.1f} "
                      f"{max(timings):>8.1f}")
        finally:
            server.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
