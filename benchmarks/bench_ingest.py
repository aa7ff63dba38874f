#!/usr/bin/env python3
"""Ingest on the embedded store, side by side in one run, over the first N articles of the shared corpus.

    nice -n 10 env OMP_NUM_THREADS=1 python benchmarks/bench_ingest.py [--articles 300] [--extractions FILE]
        [--skip-workers]

Extraction and writing are measured apart, so that the write ratios are figures on the same quads:

1. **extraction**: bare ``nlp.pipe`` over the article texts (the components extraction runs), then
   ``Extractor.extract_many`` over the same articles, in this process. Target: ratio >= 0.8. With
   ``--extractions FILE`` the extractions are read from FILE when it exists (written there otherwise), and this
   step is left out.
2. **mapping**: ``kg.bulk_write.prepare`` of every extraction (quads, canonical literals, completeness records),
   timed once: every write below starts from its result.
3. **writing** those quads, each into a fresh store (the static graphs loaded first, untimed):
   ``per-article update`` is the write path of c457fe7 (one ``DROP`` + ``INSERT DATA`` update per article,
   pruning and label settling per article), for reference; ``ArticleWriter bulk`` is what ``kg ingest`` does into
   a store that holds no article (batches through the bulk loader, labels settled at the end); ``ArticleWriter
   transactions`` is what it does into a store that holds some (64 articles per ``extend`` transaction, labels
   settled per batch); ``+ search index`` adds the search index's after-write hook (kg.search) to the bulk writer;
   ``bulk_extend`` is pyoxigraph's bulk loader of the same quads, nothing else. Each store is compacted as
   ``kg ingest`` leaves it (EmbeddedStore.compact). Targets: write path <= 1.5x bulk_extend in time, its folder
   <= 1.5x the bulk-loaded one.
4. **workers**: the whole ``kg.ingest.ingest`` (read, extract, write) with ``workers=1`` and then ``workers=2``, each
   into a fresh store. Target: >= 1.8x articles/s.

The machine may be shared: every figure is a ratio of runs made one after the other in this process, not an
absolute speed; the load average is printed with them.
"""

from __future__ import annotations

import argparse
import gzip
import os
import pickle
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.extract_corpus import DEFAULT_CORPUS, corpus_articles  # noqa: E402
from kg.bulk_write import ArticleWriter, Prepared, prepare  # noqa: E402
from kg.config import Bounds  # noqa: E402
from kg.entity_graph import labelled_nodes, prune_entities, referenced_entities, settle_labels  # noqa: E402
from kg.extract import Extractor  # noqa: E402
from kg.extract.model import Extraction  # noqa: E402
from kg.ingest import ensure_static_graphs, ingest  # noqa: E402
from kg.mapping import article_iri  # noqa: E402
from kg.search import SearchIndex, store_selector  # noqa: E402
from kg.store import EmbeddedStore  # noqa: E402

Write = Callable[[EmbeddedStore, list[Prepared], Path], None]


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def load() -> str:
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def write_per_article(store: EmbeddedStore, articles: list[Prepared], _: Path) -> None:
    """c457fe7's write_extraction, one article at a time."""
    for a in articles:
        earlier = referenced_entities(store, a.graph)
        store.replace_graph(a.graph, a.article, shared=a.shared)
        if earlier:
            prune_entities(store, article_iri(a.article_id), a.graph, a.shared, earlier)
        settle_labels(store, labelled_nodes(a.shared))


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


def timed_write(folder: Path, how: Write, articles: list[Prepared]) -> tuple[float, float, int]:
    """(seconds, folder MB once compacted as kg ingest leaves it, quads) of writing ``articles`` with ``how`` into a
    fresh store."""
    with EmbeddedStore(folder) as store:
        ensure_static_graphs(store)
        start = time.perf_counter()
        how(store, articles, folder)
        store.oxigraph.flush()
        took = time.perf_counter() - start
        quads = store.count()
        store.compact()
    return took, folder_mb(folder), quads


def extractions_of(args: argparse.Namespace, extractor: Extractor) -> list[Extraction]:
    cache: Path | None = args.extractions
    if cache and cache.exists():
        with cache.open("rb") as f:
            done: list[Extraction] = pickle.load(f)  # noqa: S301 - a file this script wrote
        print(f"{len(done)} extractions read from {cache} (extraction not measured)", flush=True)
        return done[:args.articles]
    from kg.extract.pipeline import load_pipeline

    articles = list(corpus_articles(args.corpus, args.articles))
    texts = [x.text for x in articles]
    words = sum(len(t.split()) for t in texts)
    nlp = load_pipeline(extractor.pipeline_name)
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
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--extractions", type=Path, help="pickle of the extractions: read if present, else written")
    ap.add_argument("--skip-workers", action="store_true", help="leave out step 4 (two whole ingests)")
    a = ap.parse_args()
    if not a.corpus.exists():
        print(f"no corpus at {a.corpus}", file=sys.stderr)
        return 2
    from kg.extract.pipeline import pipeline_name_from_env

    extractor = Extractor(pipeline_name_from_env())
    extractions = extractions_of(a, extractor)
    start = time.perf_counter()
    prepared = [prepare(e) for e in extractions]
    mapping = time.perf_counter() - start
    print(f"{len(prepared)} articles, pipeline {extractor.pipeline_name}; mapping to quads "
          f"(kg.bulk_write.prepare) {mapping:.1f} s, common to every write below; {load()}", flush=True)

    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        root = Path(tmp)
        rows = {}
        for label, how in (("bulk_extend", write_bulk), ("per-article update", write_per_article),
                           ("ArticleWriter bulk", writer(True)), ("ArticleWriter transactions", writer(False)),
                           ("ArticleWriter bulk + search index", writer(True, search=True))):
            rows[label] = timed_write(root / label.replace(" ", "-").replace("+", "and"), how, prepared)
            took, mb, n = rows[label]
            print(f"write {label:34s} {took:7.1f} s  folder {mb:7.1f} MB  {n:,} quads; {load()}", flush=True)
        bulk_time, bulk_mb, _ = rows["bulk_extend"]
        for label in rows:
            took, mb, _ = rows[label]
            whole = (mapping + took) / (mapping + bulk_time)
            print(f"  {label:34s} time {took / bulk_time:5.2f}x bulk_extend ({whole:.2f}x"
                  f" with the mapping), folder {mb / bulk_mb:.2f}x (targets <= 1.5x, <= 1.5x)", flush=True)

        if a.skip_workers:
            return 0
        feed = root / "articles.jsonl"
        with gzip.open(a.corpus, "rt", encoding="utf-8") as f:
            feed.write_text("".join(islice(f, a.articles)), encoding="utf-8")
        rates = {}
        for workers in (1, 2):
            cpu = cpu_seconds()
            start = time.perf_counter()
            with EmbeddedStore(root / f"ingest-{workers}") as store:
                summary = ingest(store, [str(feed)], extractor=extractor, workers=workers, bounds=Bounds.from_env())
            took = time.perf_counter() - start
            rates[workers] = summary.articles / took
            print(f"ingest --workers {workers}: {summary.articles} articles ({len(summary.skipped)} skipped) in "
                  f"{took:.1f} s = {rates[workers]:.2f} articles/s; parent process {cpu_seconds() - cpu:.1f} CPU s; "
                  f"{load()}", flush=True)
        print(f"workers 2 / workers 1: {rates[2] / rates[1]:.2f}x (target >= 1.8x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
