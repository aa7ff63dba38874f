#!/usr/bin/env python3
"""Robustness: extraction over the first N articles of the shared corpus must not raise, and every claim and
entity-mention span must satisfy ``text[start:end] == span text`` (non-empty, within the text).

    python benchmarks/robustness_extract.py [--articles 5000] [--workers 1]

Records are read as ``kg.articles`` reads them; one it rejects only for its ``published`` value (the corpus has a
few such as "7/23/17") is extracted without a date rather than left out. Extraction is ``Extractor.extract_many``,
as ``kg extract`` runs it. Also checked: every entity key a claim or post refers to is an entity of the extraction.
Prints counts, time and the first few violations; exits 1 when there is any violation or an exception.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.extract_corpus import DEFAULT_CORPUS, corpus_articles  # noqa: E402
from kg.extract import Extractor  # noqa: E402
from kg.extract.model import Article  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=5000)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    a = ap.parse_args()
    undated: list[str] = []

    def check(article: Article, kind: str, start: int, end: int, text: str) -> None:
        if not text or not 0 <= start < end <= len(article.text) or article.text[start:end] != text:
            bad.append((article.id, kind, start, end, text[:60]))

    extractor = Extractor()
    started = time.perf_counter()
    seen, words, kinds, bad = 0, 0, Counter(), []  # type: ignore[var-annotated]
    mentions = unresolved = entities = posts = 0
    try:
        for e in extractor.extract_many(corpus_articles(a.corpus, a.articles, undated),
                                                 workers=a.workers):
            seen += 1
            words += len(e.article.text.split())
            entities += len(e.entities)
            posts += len(e.posts)
            for c in e.claims:
                kinds[c.kind] += 1
                unresolved += c.speaker is None
                check(e.article, "claim", c.start, c.end, c.text)
            keys = {ent.key for ent in e.entities}
            refs = [c.speaker for c in e.claims] + [k for c in e.claims for k in (*c.people, *c.organizations)]
            refs += [p.holder for p in e.posts] + [p.organization for p in e.posts]
            for k in refs:
                if k is not None and k not in keys:
                    bad.append((e.article.id, "dangling key", 0, 0, k))
            for ent in e.entities:
                for m in ent.mentions:
                    mentions += 1
                    check(e.article, "mention", m.start, m.end, m.text)
            if seen % 500 == 0:
                print(f"  {seen} articles, {time.perf_counter() - started:.0f} s", flush=True)
    except Exception:  # report where it broke, then fail
        traceback.print_exc()
        print(f"EXCEPTION after {seen} articles")
        return 1
    took = time.perf_counter() - started
    print(f"articles {seen} ({len(undated)} with an unreadable date, extracted undated), {words} words in {took:.0f} s "
          f"({words / took:,.0f} words/s, workers={a.workers})")
    print(f"claims {sum(kinds.values())} {dict(kinds)}, unresolved speakers {unresolved}; entities {entities}, "
          f"entity mentions {mentions}, posts {posts}")
    print(f"span violations {len(bad)}; exceptions 0")
    for row in bad[:10]:
        print("  ", row)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
