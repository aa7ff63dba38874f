#!/usr/bin/env python3
"""Candidate order for the eighth issue-tag set (eval/issues8/): every qualifying corpus article, shuffled by a seed.

    python eval/issues8/select.py [--shared ../shared] [--limit 40]

Same qualifying rule as eval/holdout/select.py (``qualifies``, run from there): topic "trade" or a headline naming a
trade negotiation term; 350-1500 words; at least five trade-term occurrences and six quotation marks in the body.
Excluded: every article of eval/dev, eval/dev2 .. eval/dev10, eval/holdout (articles.txt), eval/issues,
eval/issues2 .. eval/issues7 (article-ids.txt), and any article sharing a headline with one of them; and the first
25 candidates of the order eval/dev11/ uses (``dev11_head``: the same qualifying articles with the same exclusions,
sorted by id and shuffled with ``random.Random(DEV11_SEED)``), which were being annotated in parallel, so that the two
sets are disjoint, with any article sharing a headline with one of those 25. The remaining candidates are sorted by
corpus id and shuffled with ``random.Random(SEED)``; the annotator took them in this order (README.md), the claims
listed by ``scripts/issue_claims.py --set eval/issues8``.
"""

from __future__ import annotations

import gzip
import json
import random
import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = "claimgraph-issue-tags-8"
EXCLUDED_SETS = ("dev", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8", "dev9", "dev10", "holdout",
                 "issues", "issues2", "issues3", "issues4", "issues5", "issues6", "issues7")
DEV11_SEED = "claimgraph-dev11-issue-10"
DEV11_HEAD = 25  # eval/dev11's annotator reads its candidates in order; none of its first 25 may be here

HOLDOUT_SELECT = ROOT / "eval" / "holdout" / "select.py"  # eval/ is not a package: run as a file


def _qualifying(shared: Path) -> list[dict]:
    """The qualifying corpus articles not in EXCLUDED_SETS nor sharing a headline with one, sorted by id: the list
    both this set and eval/dev11 shuffle."""
    holdout = runpy.run_path(str(HOLDOUT_SELECT))
    skip = holdout["excluded_ids"](EXCLUDED_SETS)
    with gzip.open(shared / "corpus" / "news-37k.jsonl.gz", "rt", encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    skip_titles = {(r.get("title") or "").strip().lower() for r in records if r.get("id") in skip}
    return sorted((r for r in records if holdout["qualifies"](r, skip, skip_titles)), key=lambda r: r["id"])


def dev11_head(qualifying: list[dict]) -> list[dict]:
    """The first DEV11_HEAD candidates of eval/dev11's order: ``qualifying`` shuffled with DEV11_SEED."""
    order = list(qualifying)
    random.Random(DEV11_SEED).shuffle(order)
    return order[:DEV11_HEAD]


def candidates(shared: Path) -> list[dict]:
    """This set's candidates in the order its annotator read them: the qualifying articles without eval/dev11's head
    (nor an article sharing a headline with one of it), shuffled with SEED."""
    qualifying = _qualifying(shared)
    head = dev11_head(qualifying)
    head_ids = {r["id"] for r in head}
    head_titles = {(r.get("title") or "").strip().lower() for r in head} - {""}
    cands = [r for r in qualifying
             if r["id"] not in head_ids and (r.get("title") or "").strip().lower() not in head_titles]
    random.Random(SEED).shuffle(cands)
    return cands


if __name__ == "__main__":  # the listing every set's select.py prints (eval/holdout/select.py)
    runpy.run_path(str(HOLDOUT_SELECT))["print_candidates"](SEED, EXCLUDED_SETS, __doc__.split("\n")[0], candidates)
