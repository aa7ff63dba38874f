#!/usr/bin/env python3
"""Candidate order for the third dev set (eval/dev3/): every qualifying corpus article, shuffled by a fixed seed.

    python eval/dev3/select.py [--shared ../shared] [--limit 40]

Same qualifying rule as eval/holdout/select.py (``qualifies``, imported from there): topic "trade" or a headline
naming a trade negotiation term; 350-1500 words; at least five trade-term occurrences and six quotation marks in the
body. Excluded: every article of eval/dev, eval/dev2 and eval/holdout (articles.txt) and any article sharing a
headline with one of them. Candidates are sorted by corpus id and shuffled with ``random.Random(SEED)``; the
annotator read them in this order and accepted or rejected each for the reasons stated in README.md (opinion, not
about trade between countries, outlet already accepted, more than three accepted articles from that year).
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = "claimgraph-dev3-issue-3"
EXCLUDED_SETS = ("dev", "dev2", "holdout")


def _holdout_select():
    """eval/holdout/select.py as a module (eval/ is not a package)."""
    spec = importlib.util.spec_from_file_location("holdout_select", ROOT / "eval" / "holdout" / "select.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


qualifies = _holdout_select().qualifies


def excluded_ids() -> set[str]:
    """Corpus ids of the existing annotated sets (eval/dev, eval/dev2, eval/holdout)."""
    ids: set[str] = set()
    for name in EXCLUDED_SETS:
        lines = (ROOT / "eval" / name / "articles.txt").read_text(encoding="utf-8").splitlines()
        ids |= {x.strip() for x in lines if x.strip() and not x.startswith("#")}
    return ids


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--limit", type=int, default=40)
    a = ap.parse_args()
    skip = excluded_ids()
    with gzip.open(a.shared / "corpus" / "news-37k.jsonl.gz", "rt", encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    skip_titles = {(r.get("title") or "").strip().lower() for r in records if r.get("id") in skip}
    cands = sorted((r for r in records if qualifies(r, skip, skip_titles)), key=lambda r: r["id"])
    print(f"# {len(cands)} qualifying articles, shuffled with seed {SEED!r}")
    random.Random(SEED).shuffle(cands)
    for i, r in enumerate(cands[:a.limit], 1):
        print(f"{i:3d} {r['id']} {r.get('publisher')!s:24.24} {r.get('published') or '-':10.10} "
              f"{len(r['text'].split()):5d}w  {r.get('title')}")


if __name__ == "__main__":
    main()
