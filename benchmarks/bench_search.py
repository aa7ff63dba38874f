"""SQLite FTS5 (the search index's engine, kg.search) against tantivy, side by side on the same data, one run.

    python benchmarks/bench_search.py --articles 1000 [--names STORE.search.sqlite]

Full text: the sentences of the first N corpus articles (the size of claims: the index holds claim texts) are
indexed by both engines with English stemming; then the same queries (single words, two words, a phrase) are
timed. Names: the entity names of an existing search index (``--names``, e.g. the index of a 300-article store)
are looked up with one letter dropped from a word ("lighthizer" -> "lightizer"), by kg.search's trigram lookup
and by tantivy's fuzzy prefix query (distance 1 and 2); recall is the share of names whose entity comes first.
Prints build seconds, index bytes, median / p95 query milliseconds and recall. tantivy is not a dependency of
claimgraph: ``pip install tantivy`` to run this.
"""

from __future__ import annotations

import argparse
import gzip
import random
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus" / "news-37k.jsonl.gz"
QUERIES = ["tariffs", "deal", "steel", "negotiations", "china", "auto tariffs", "trade war", "dairy canada",
           "national security", "sunset clause", "farmers", "mexico wall", "lighthizer", "retaliation",
           "jobs", "aluminum", "withdraw", "congress vote", "currency", "intellectual property"]
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


def sentences(n_articles: int) -> list[str]:
    import json
    out = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i >= n_articles:
                break
            text = json.loads(line).get("text") or ""
            out += [s.strip() for s in SENTENCE.split(text) if len(s.strip()) > 20]
    return out


def timed(run, queries: list[str], rounds: int = 5) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(rounds):
        for q in queries:
            start = time.perf_counter()
            run(q)
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def fts5(texts: list[str], folder: Path) -> dict[str, float]:
    from kg.search import fts_query
    path = folder / "fts5.sqlite"
    start = time.perf_counter()
    db = sqlite3.connect(path)
    db.execute("CREATE VIRTUAL TABLE t USING fts5(text, tokenize='porter unicode61 remove_diacritics 2')")
    db.executemany("INSERT INTO t (text) VALUES (?)", ((t,) for t in texts))
    db.commit()
    build = time.perf_counter() - start

    def run(q: str) -> list[str]:
        return [r[0] for r in db.execute("SELECT text FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT 20",
                                         (fts_query(q),))]
    median, p95 = timed(run, QUERIES)
    hits = sum(db.execute("SELECT COUNT(*) FROM t WHERE t MATCH ?", (fts_query(q),)).fetchone()[0]
               for q in QUERIES)
    db.close()
    return {"build s": build, "bytes": path.stat().st_size, "median ms": median, "p95 ms": p95, "hits": hits}


def tantivy_index(texts: list[str], folder: Path) -> dict[str, float]:
    import tantivy
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("text", stored=True, tokenizer_name="en_stem")
    schema = builder.build()
    path = folder / "tantivy"
    path.mkdir()
    start = time.perf_counter()
    index = tantivy.Index(schema, path=str(path))
    writer = index.writer(heap_size=50_000_000, num_threads=1)
    for t in texts:
        writer.add_document(tantivy.Document(text=t))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    build = time.perf_counter() - start
    searcher = index.searcher()

    def query(q: str):  # type: ignore[no-untyped-def]
        words = q.split()
        text = f'"{q}"' if q in ("national security", "sunset clause", "trade war", "intellectual property") \
            else " AND ".join(words)
        return index.parse_query(text, ["text"])

    def run(q: str) -> list[str]:
        found = searcher.search(query(q), 20)
        return [searcher.doc(address)["text"][0] for _, address in found.hits]
    median, p95 = timed(run, QUERIES)
    hits = sum(searcher.search(query(q), 1, count=True).count for q in QUERIES)
    size = sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return {"build s": build, "bytes": size, "median ms": median, "p95 ms": p95, "hits": hits}


def names(index_file: Path, folder: Path, samples: int = 300) -> None:
    import tantivy

    from kg.search import SearchIndex, words
    index = SearchIndex(index_file)
    rows = index.db.execute("SELECT e.iri, n.name FROM entity_names n JOIN entities e ON e.iri = n.iri "
                            "WHERE n.is_label = 1").fetchall()
    rng = random.Random(16)
    picked = [(iri, name) for iri, name in rng.sample(rows, min(samples, len(rows)))
              if any(len(w) >= 5 for w in words(name))]
    typos = []
    for iri, name in picked:
        ws = words(name)
        k = max(range(len(ws)), key=lambda i: len(ws[i]))
        w = ws[k]
        cut = rng.randrange(1, len(w) - 1)
        typos.append((iri, " ".join(ws[:k] + [w[:cut] + w[cut + 1:]] + ws[k + 1:])))
    start = time.perf_counter()
    ours = sum(1 for iri, typed in typos if (found := index.entities(typed, limit=1)) and found[0].iri == iri)
    ours_ms = (time.perf_counter() - start) * 1000 / len(typos)

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("name", stored=True, tokenizer_name="default")
    builder.add_text_field("iri", stored=True, tokenizer_name="raw")
    schema = builder.build()
    tindex = tantivy.Index(schema, path=None)
    writer = tindex.writer(heap_size=50_000_000, num_threads=1)
    for iri, name in rows:
        writer.add_document(tantivy.Document(name=" ".join(words(name)), iri=iri))
    writer.commit()
    writer.wait_merging_threads()
    tindex.reload()
    searcher = tindex.searcher()
    results = {}
    for distance in (1, 2):
        hits = 0
        start = time.perf_counter()
        for iri, typed in typos:
            parts = [(tantivy.Occur.Should, tantivy.Query.fuzzy_term_query(schema, "name", w, distance=distance,
                                                                           prefix=True)) for w in typed.split()]
            found = searcher.search(tantivy.Query.boolean_query(parts), 1).hits
            if found and searcher.doc(found[0][1])["iri"][0] == iri:
                hits += 1
        results[distance] = (hits, (time.perf_counter() - start) * 1000 / len(typos))
    print(f"\nnames with one letter dropped ({len(typos)} of {len(rows)} entity labels), entity ranked first:")
    print(f"  kg.search trigrams          recall {ours / len(typos):.3f}   {ours_ms:.2f} ms/lookup")
    for distance, (hits, ms) in results.items():
        print(f"  tantivy fuzzy prefix d={distance}   recall {hits / len(typos):.3f}   {ms:.2f} ms/lookup")
    index.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--names", type=Path, help="a search index whose entity names to look up with typos")
    args = parser.parse_args()
    texts = sentences(args.articles)
    print(f"{args.articles} corpus articles, {len(texts):,} sentences, {len(QUERIES)} queries x 5 rounds")
    folder = Path(tempfile.mkdtemp(prefix="bench-search-"))
    try:
        rows = {"sqlite fts5": fts5(texts, folder), "tantivy": tantivy_index(texts, folder)}
        print(f"{'engine':12} {'build s':>8} {'MB':>7} {'median ms':>10} {'p95 ms':>8} {'matches':>8}")
        for name, r in rows.items():
            print(f"{name:12} {r['build s']:8.2f} {r['bytes'] / 1e6:7.1f} {r['median ms']:10.3f} {r['p95 ms']:8.3f} "
                  f"{int(r['hits']):8d}")
        if args.names:
            names(args.names, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
