#!/usr/bin/env python3
"""Ingest on the embedded store, side by side in one run, over the first articles of the shared corpus.

    nice -n 10 env OMP_NUM_THREADS=1 python benchmarks/bench_ingest.py [--articles 300] [--stored 300]
        [--extractions FILE] [--rounds 1] [--skip-workers]

Extraction and writing are measured apart, so that the write ratios are figures on the same quads:

1. **extraction**: bare ``nlp.pipe`` over the article texts (the components extraction runs), then
   ``Extractor.extract_many`` over the same articles, in this process. Target: ratio >= 0.8. With
   ``--extractions FILE`` the extractions are read from FILE when it exists (written there otherwise), and this
   step is left out.
2. **mapping**: ``kg.bulk_write.ship`` of every extraction (quads, canonical literals, completeness records, the
   names the mentions write, as N-Quads: what kg ingest's extraction processes send) and parsing it back, timed
   once: every write below starts from its result.
3. **writing** the ``--articles`` articles after the first ``--stored`` ones, each into its own store:
   - *into an empty store* (the static graphs loaded first, untimed): ``bulk_extend`` (pyoxigraph's bulk loader of
     the same quads, nothing else); ``ArticleWriter`` (what ``kg ingest`` does into a store that holds no article:
     the bulk loader under the intent record, labels settled once at the end); ``+ search index`` adds the search
     index's hook (kg.search);
   - *into a store that holds articles* (a checkpoint of one store holding the first ``--stored``, untimed):
     ``bulk_extend`` again; ``ArticleWriter`` (what ``kg ingest`` does there: the bulk loader under the intent
     record, labels settled per batch); ``ArticleWriter, transactions`` (the write path before it, for reference:
     each batch's new graphs in one ``extend`` transaction).
   Each store is compacted as ``kg ingest`` leaves it (EmbeddedStore.compact); the folder's growth is compared.
   With ``--rounds N`` every write is made N times, the rows alternating, and each row's fastest is compared.
   Targets: write path <= 1.5x bulk_extend in time, its folder <= 1.5x the bulk-loaded one.
4. **workers**: the whole ``kg.ingest.ingest`` (read, extract, write) of the ``--articles`` articles into a copy of
   the store holding the first ``--stored``, with ``workers=1`` and then ``workers=2``; the parent process's CPU
   seconds per article (reading, mapping, writing: what it takes from the extraction workers). Target: >= 1.8x.

The machine may be shared: every figure is a ratio of runs made one after the other in this process, not an
absolute speed; the load average is printed with them.
"""

from __future__ import annotations

import argparse
import gzip
import os
import pickle
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from itertools import islice
from pathlib import Path

from pyoxigraph import Quad

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.extract_corpus import DEFAULT_CORPUS, corpus_articles  # noqa: E402
from kg.bulk_write import ArticleWriter, Prepared, Shipped, ship  # noqa: E402
from kg.config import Bounds  # noqa: E402
from kg.extract import Extractor  # noqa: E402
from kg.extract.model import Extraction  # noqa: E402
from kg.ingest import ensure_static_graphs, ingest  # noqa: E402
from kg.search import SearchIndex, store_selector  # noqa: E402
from kg.store import EmbeddedStore  # noqa: E402

Write = Callable[[EmbeddedStore, list[Prepared], Path], None]


class TransactionalStore(EmbeddedStore):
    """The write path before the intent record: a batch's new graphs in one ``extend`` transaction."""

    def _write_new(self, new: Sequence[tuple[str, Sequence[Quad], Sequence[Quad]]]) -> None:
        self.oxigraph.extend([q for _, article, shared in new for q in (*article, *shared)])


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def load() -> str:
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def writer(bulk: bool, search: bool = False) -> Write:
    def write(store: EmbeddedStore, articles: list[Prepared], folder: Path) -> None:
        index = SearchIndex(folder.with_suffix(".search.sqlite")) if search else None
        select = store_selector(store)
        hook = (lambda graphs: index.index_articles(select, graphs)) if index else None
        with ArticleWriter(store, bulk=bulk, after_batch=hook) as w:
            for a in articles:
                w.write_prepared(a)
        if index:
            index.close()
    return write


def write_bulk(store: EmbeddedStore, articles: list[Prepared], _: Path) -> None:
    store.oxigraph.bulk_extend(q for a in articles for q in (*a.article, *a.shared))


def timed_write(folder: Path, how: Write, articles: list[Prepared], *, kind: type[EmbeddedStore] = EmbeddedStore,
                base: Path | None = None) -> tuple[float, float, int]:
    """(seconds, folder MB added once compacted as kg ingest leaves it, quads) of writing ``articles`` with ``how``
    into a fresh store, or into a checkpoint of the store at ``base``."""
    before = 0.0
    if base is not None:
        with EmbeddedStore(base, read_only=True) as stored:
            stored.oxigraph.backup(str(folder))
        before = folder_mb(folder)
    with kind(folder) as store:
        if base is None:
            ensure_static_graphs(store)
        start = time.perf_counter()
        how(store, articles, folder)
        store.oxigraph.flush()
        took = time.perf_counter() - start
        quads = store.count()
        store.compact()
    return took, folder_mb(folder) - before, quads


def report(rows: dict[str, tuple[float, float, int]], mapping: float) -> None:
    """Each row's time and folder growth against the first row's (bulk_extend of the same quads): with several
    rounds, each row's fastest, the run least slowed by the other work on the machine."""
    bulk_time, bulk_mb, _ = next(iter(rows.values()))
    for label, (took, mb, _) in rows.items():
        whole = (mapping + took) / (mapping + bulk_time)
        print(f"  {label:36s} time {took / bulk_time:5.2f}x bulk_extend ({whole:.2f}x with the mapping), "
              f"folder {mb / bulk_mb:.2f}x (targets <= 1.5x, <= 1.5x)", flush=True)


def extractions_of(args: argparse.Namespace, extractor: Extractor) -> list[Extraction]:
    cache: Path | None = args.extractions
    if cache and cache.exists():
        with cache.open("rb") as f:
            done: list[Extraction] = pickle.load(f)  # noqa: S301 - a file this script wrote
        print(f"{len(done)} extractions read from {cache} (extraction not measured)", flush=True)
        return done[:args.articles]
    from kg.extract.pipeline import load_pipeline, pipeline_name_from_env

    articles = list(corpus_articles(args.corpus, args.articles))
    texts = [x.text for x in articles]
    words = sum(len(t.split()) for t in texts)
    nlp = load_pipeline(pipeline_name_from_env())  # the name the extractor loaded, not its description
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    bare = time.perf_counter() - start
    start = time.perf_counter()
    done = list(extractor.extract_many(articles))
    ours = time.perf_counter() - start
    print(f"extraction: bare nlp.pipe {words / bare:,.0f} words/s ({bare:.1f} s), extract_many "
          f"{words / ours:,.0f} words/s ({ours:.1f} s): ratio {bare / ours:.2f} (target >= 0.8); {load()}", flush=True)
    if cache:
        with cache.open("wb") as f:
            pickle.dump(done, f)
    return done


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=300, help="articles written in every timed write")
    ap.add_argument("--stored", type=int, default=300, help="articles the store holds before (the first ones)")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--extractions", type=Path, help="pickle of the extractions: read if present, else written")
    ap.add_argument("--skip-workers", action="store_true", help="leave out step 4 (two whole ingests)")
    ap.add_argument("--rounds", type=int, default=1, help="writes of each kind, alternating; the fastest is compared")
    a = ap.parse_args()
    if not a.corpus.exists():
        print(f"no corpus at {a.corpus}", file=sys.stderr)
        return 2
    from kg.extract.pipeline import pipeline_name_from_env

    extractor = Extractor(pipeline_name_from_env())
    total = a.stored + a.articles
    a.articles = total  # extractions_of reads the first --stored + --articles
    extractions = extractions_of(a, extractor)
    start = time.perf_counter()
    shipped = [ship(e) for e in extractions]  # as kg ingest's extraction processes send them
    prepared = [s.prepared() for s in shipped if isinstance(s, Shipped)]
    mapping = time.perf_counter() - start
    stored, timed = prepared[:a.stored], prepared[a.stored:]
    mapping *= len(timed) / len(prepared)
    print(f"{len(timed)} articles written, after {len(stored)} stored; pipeline {extractor.pipeline_name}; mapping "
          f"to quads (kg.bulk_write.ship and back) {mapping:.1f} s for them, common to every write below; {load()}",
          flush=True)

    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        root = Path(tmp)
        base = root / "stored"
        timed_write(base, writer(True), stored)
        for title, into, ways in (
                ("into an empty store", None, (("bulk_extend", write_bulk, EmbeddedStore),
                                               ("ArticleWriter", writer(True), EmbeddedStore),
                                               ("ArticleWriter + search index", writer(True, search=True),
                                                EmbeddedStore))),
                (f"into a store holding {len(stored)} articles", base, (
                    ("bulk_extend", write_bulk, EmbeddedStore),
                    ("ArticleWriter", writer(False), EmbeddedStore),
                    ("ArticleWriter, transactions (before)", writer(False), TransactionalStore)))):
            print(title, flush=True)
            runs: dict[str, list[tuple[float, float, int]]] = {label: [] for label, _, _ in ways}
            for turn in range(a.rounds):  # alternating, so that a change of load falls on every row
                for label, how, kind in ways:
                    folder = root / f"{'held' if into else 'empty'}-{label.replace(' ', '-').replace('+', 'and')}"
                    shutil.rmtree(folder, ignore_errors=True)
                    runs[label].append(timed_write(folder, how, timed, kind=kind, base=into))
                    took, mb, n = runs[label][-1]
                    print(f"  write {label:36s} {took:7.1f} s  folder +{mb:7.1f} MB  {n:,} quads; round {turn + 1}; "
                          f"{load()}", flush=True)
            report({label: min(r, key=lambda run: run[0]) for label, r in runs.items()}, mapping)

        if a.skip_workers:
            return 0
        feed = root / "articles.jsonl"
        with gzip.open(a.corpus, "rt", encoding="utf-8") as f:
            feed.write_text("".join(islice(f, a.stored, total)), encoding="utf-8")
        rates = {}
        for workers in (1, 2):
            cpu = cpu_seconds()
            folder = root / f"ingest-{workers}"
            with EmbeddedStore(base, read_only=True) as held:
                held.oxigraph.backup(str(folder))
            start = time.perf_counter()
            with EmbeddedStore(folder) as store:
                summary = ingest(store, [str(feed)], extractor=extractor, workers=workers, bounds=Bounds.from_env())
            took = time.perf_counter() - start
            rates[workers] = summary.articles / took
            parent = cpu_seconds() - cpu
            print(f"ingest --workers {workers} into the store holding {len(stored)}: {summary.articles} articles "
                  f"({len(summary.skipped)} skipped) in {took:.1f} s = {rates[workers]:.2f} articles/s; parent "
                  f"process {parent:.1f} CPU s ({1000 * parent / max(1, summary.articles):.0f} ms an article); "
                  f"{load()}", flush=True)
        print(f"workers 2 / workers 1: {rates[2] / rates[1]:.2f}x (target >= 1.8x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
