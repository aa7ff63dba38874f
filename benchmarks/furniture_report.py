#!/usr/bin/env python3
"""How much page furniture ``kg.extract.furniture`` masks, per publisher and kind, on real corpus articles, and a
check that the bodies otherwise stay byte-identical.

    python benchmarks/furniture_report.py [--limit 2000] [--match nafta] [--shared ../shared] [--show 3]

Reads the first ``--limit`` articles of ``<shared>/corpus/news-37k.jsonl.gz`` (those holding ``--match`` when
given), masks each body and prints, per publisher: articles, articles with furniture, characters masked (and their
share of the body), and stretches by kind. Then it checks, for every article, that the masked text has the body's
length, that every character outside the furniture is unchanged and that every line break is kept; it prints the
number of articles failing that check (0 expected) and ``--show`` examples of each kind to read.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

from kg.extract.furniture import FURNITURE_KINDS, find_furniture, mask_furniture

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=2000)
    ap.add_argument("--match", default="", help="only lines holding this (any case)")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--show", type=int, default=3, help="examples printed per kind")
    args = ap.parse_args()
    corpus = args.shared / "corpus" / "news-37k.jsonl.gz"
    if not corpus.exists():
        print(f"{corpus} is absent: nothing to report")
        return 0
    articles: Counter[str] = Counter()
    with_furniture: Counter[str] = Counter()
    chars: Counter[str] = Counter()
    masked_chars: Counter[str] = Counter()
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    examples: dict[str, list[str]] = defaultdict(list)
    broken = n = 0
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        for line in f:
            if args.match and args.match.casefold() not in line.casefold():
                continue
            record = json.loads(line)
            text, publisher = record.get("text") or "", record.get("publisher") or "(none)"
            found = find_furniture(text, record.get("title"))
            masked = mask_furniture(text, record.get("title"))
            covered = set()
            for fu in found:
                covered.update(range(fu.start, fu.end))
                kinds[publisher][fu.kind] += 1
                if len(examples[fu.kind]) < args.show:
                    examples[fu.kind].append(f"{publisher}: {text[fu.start:fu.end][:160]!r}")
            same_outside = len(masked) == len(text) and all(
                masked[i] == text[i] for i in range(len(text)) if i not in covered)
            kept_breaks = all(masked[i] == "\n" for i in range(len(text)) if text[i] == "\n")
            broken += not (same_outside and kept_breaks)
            articles[publisher] += 1
            with_furniture[publisher] += bool(found)
            chars[publisher] += len(text)
            masked_chars[publisher] += sum(1 for i in covered if text[i] != "\n")
            n += 1
            if n == args.limit:
                break
    header = f"{'publisher':32s} {'articles':>8s} {'with':>5s} {'masked':>8s} {'share':>7s}  " + " ".join(
        f"{k:>12s}" for k in FURNITURE_KINDS)
    print(header)
    for p in sorted(articles, key=lambda p: (-masked_chars[p], p)):
        share = 100 * masked_chars[p] / chars[p] if chars[p] else 0.0
        print(f"{p[:32]:32s} {articles[p]:8d} {with_furniture[p]:5d} {masked_chars[p]:8d} {share:6.2f}%  "
              + " ".join(f"{kinds[p][k]:12d}" for k in FURNITURE_KINDS))
    total = sum(chars.values())
    print(f"\n{n} articles, {sum(with_furniture.values())} with furniture, {sum(masked_chars.values())} of {total} "
          f"characters masked ({100 * sum(masked_chars.values()) / max(total, 1):.2f} %)")
    print(f"articles whose text outside the furniture changed, or whose length or line breaks changed: {broken}")
    for kind in FURNITURE_KINDS:
        print(f"\n{kind}:")
        for e in examples[kind]:
            print(f"    {e}")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
