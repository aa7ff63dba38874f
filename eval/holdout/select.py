#!/usr/bin/env python3
"""Candidate order for the held-out claim set: every qualifying corpus article, shuffled by a fixed seed.

    python eval/holdout/select.py [--shared ../shared] [--limit 40]

Qualifying: topic "trade" or a headline naming a trade negotiation term (TERMS below); 350-1500 words; at least
five trade-term occurrences and six quotation marks in the body; not a dev-set article (eval/dev/articles.txt) nor
one with the same headline as a dev article. Candidates are sorted by corpus id and shuffled with
``random.Random(SEED)``; the annotator read them in this order and accepted or rejected each (README.md).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = "claimgraph-holdout-issue-3"
TERMS = re.compile(r"tariff|trade talk|trade negotiat|negotiator|nafta|usmca|\bwto\b|world trade organi[sz]ation|"
                   r"trade deal|trade war|trade agreement|trade pact|trade dispute|brexit|\btpp\b|trans-pacific|"
                   r"\bttip\b", re.I)
QUOTES = re.compile(r"[\"“”]")


def qualifies(record: dict, skip_ids: set[str], skip_titles: set[str]) -> bool:
    """The selection filter, before reading."""
    title, text = record.get("title") or "", record.get("text") or ""
    if record.get("id") in skip_ids or title.strip().lower() in skip_titles:
        return False
    if record.get("topic") != "trade" and not TERMS.search(title):
        return False
    words = len(text.split())
    return 350 <= words <= 1500 and len(TERMS.findall(text)) >= 5 and len(QUOTES.findall(text)) >= 6


def excluded_ids(sets: tuple[str, ...]) -> set[str]:
    """Corpus ids listed in eval/<set>/articles.txt (a claim set) or article-ids.txt (an issue-tag set) for each of
    ``sets``."""
    ids: set[str] = set()
    for name in sets:
        folder = ROOT / "eval" / name
        listing = folder / "articles.txt" if (folder / "articles.txt").exists() else folder / "article-ids.txt"
        lines = listing.read_text(encoding="utf-8").splitlines()
        ids |= {x.strip() for x in lines if x.strip() and not x.startswith("#")}
    return ids


def candidates(shared: Path, seed: str, excluded_sets: tuple[str, ...]) -> list[dict]:
    """Qualifying corpus articles not in ``excluded_sets`` (nor sharing a headline with one), sorted by id and
    shuffled with ``random.Random(seed)``: the order in which a set's annotator reads them."""
    skip = excluded_ids(excluded_sets)
    with gzip.open(shared / "corpus" / "news-37k.jsonl.gz", "rt", encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    skip_titles = {(r.get("title") or "").strip().lower() for r in records if r.get("id") in skip}
    cands = sorted((r for r in records if qualifies(r, skip, skip_titles)), key=lambda r: r["id"])
    random.Random(seed).shuffle(cands)
    return cands


def print_candidates(seed: str, excluded_sets: tuple[str, ...], description: str,
                     order: Callable[[Path], list[dict]] | None = None) -> None:
    """The command line of every set's select.py: the first ``--limit`` of :func:`candidates`, or of ``order(shared)``
    for a set with exclusions of its own (eval/dev12)."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--limit", type=int, default=40)
    a = ap.parse_args()
    cands = order(a.shared) if order else candidates(a.shared, seed, excluded_sets)
    print(f"# {len(cands)} qualifying articles, shuffled with seed {seed!r}")
    for i, r in enumerate(cands[:a.limit], 1):
        print(f"{i:3d} {r['id']} {r.get('publisher')!s:24.24} {r.get('published') or '-':10.10} "
              f"{len(r['text'].split()):5d}w  {r.get('title')}")


if __name__ == "__main__":
    print_candidates(SEED, ("dev",), __doc__.split("\n")[0])
