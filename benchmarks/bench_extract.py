#!/usr/bin/env python3
"""Extraction throughput against the bare spaCy pipeline, over the first N articles of the shared corpus.

    python benchmarks/bench_extract.py [--articles 500] [--workers 1] [--rounds 2]

What is compared, in one process and one run:

* **bare**: ``spacy.load(name, exclude=EXCLUDED_COMPONENTS)`` - the very components extraction runs (tok2vec,
  tagger, parser, attribute_ruler, ner; the lemmatizer, which extraction does not use, is excluded from both) -
  with ``nlp.pipe(article texts, batch_size=32)``; the docs are consumed and dropped.
* **extraction**: ``Extractor(name).extract_many(articles, workers=N)``: parsing (paragraph by paragraph) plus
  everything after it - gazetteer, quotes, attribution, speakers, posts, issues, dates, entities.

Both run over the same article texts, alternately (bare, extraction, extraction, bare, ... for ``--rounds``), so
that load from other processes on a shared machine falls on both alike; each figure is total words over total
time. Words are whitespace-separated tokens of the article texts. The target is a ratio of at least 0.8 with
``--workers 1``, learned proposer included: ``--learned on`` (or ``KG_LEARNED_PROPOSER=on``) runs extraction with
the claim tagger in its ``nlp.pipe`` batch; bare spaCy never has it; ``KG_CLAIM_GATE=on`` runs the claim gate over
the claims. The printed lines name both settings.
Articles come from ``benchmarks/extract_corpus.py``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.extract_corpus import DEFAULT_CORPUS, corpus_articles  # noqa: E402
from kg.extract import Extractor  # noqa: E402
from kg.extract.claim_gate import gate_from_env  # noqa: E402
from kg.extract.pipeline import EXCLUDED_COMPONENTS, load_pipeline, pipeline_name_from_env  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=500)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=2, help="bare/extraction pairs, run in ABBA order")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--learned", choices=("off", "on"), help="the learned proposer in extraction (default: "
                    "KG_LEARNED_PROPOSER, else off)")
    a = ap.parse_args()
    articles = list(corpus_articles(a.corpus, a.articles))
    texts = [x.text for x in articles]
    words = sum(len(t.split()) for t in texts)
    name = pipeline_name_from_env()

    nlp = load_pipeline(name)  # the same loader and exclusions as the extractor
    extractor = Extractor(name, learned=a.learned)
    claims = 0

    def bare() -> float:
        t = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=32):
            pass
        return time.perf_counter() - t

    def ours() -> float:
        nonlocal claims
        t = time.perf_counter()
        claims = sum(len(e.claims) for e in extractor.extract_many(articles, workers=a.workers))
        return time.perf_counter() - t

    times = {"bare": 0.0, "ours": 0.0}
    for r in range(a.rounds):
        order = ("bare", "ours") if r % 2 == 0 else ("ours", "bare")
        for which in order:
            took = bare() if which == "bare" else ours()
            times[which] += took
            print(f"  round {r + 1} {which:4s} {took:6.1f} s  {words / took:7,.0f} words/s", flush=True)
    bare_rate = words * a.rounds / times["bare"]
    ours_rate = words * a.rounds / times["ours"]
    print(f"articles {len(articles)}  words {words}  pipeline {extractor.pipeline_name}  rounds {a.rounds}")
    print(f"bare spaCy nlp.pipe (components: {', '.join(nlp.pipe_names)}; excluded: "
          f"{', '.join(EXCLUDED_COMPONENTS)}): {bare_rate:,.0f} words/s")
    learned = "on" if extractor.pipeline_name.endswith("claim_tagger") else "off"
    learned += f", claim gate {'on' if gate_from_env() else 'off'}"  # KG_CLAIM_GATE
    print(f"claimgraph extract_many, workers={a.workers}, learned proposer {learned}: {ours_rate:,.0f} words/s, "
          f"{claims} claims")
    print(f"ratio extraction (learned proposer {learned}) / bare spaCy: {ours_rate / bare_rate:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
