#!/usr/bin/env python3
"""Candidate order for the twelfth dev set (eval/dev12/): every qualifying corpus article, shuffled by a fixed seed.

    python eval/dev12/select.py [--shared ../shared] [--limit 40]

Same qualifying rule as eval/holdout/select.py (``qualifies``, run from there): topic "trade" or a headline naming a
trade negotiation term; 350-1500 words; at least five trade-term occurrences and six quotation marks in the body.
Excluded: every article of eval/dev, eval/dev2 .. eval/dev11, eval/holdout (articles.txt), eval/issues,
eval/issues2 .. eval/issues8 (article-ids.txt), and any article sharing a headline with one of them; and the first
25 candidates of eval/dev11's order (``dev11_head`` of eval/issues8/select.py, run from there), which eval/dev11's
annotator read, with any article sharing a headline with one of those 25. The remaining candidates are sorted by
corpus id and shuffled with ``random.Random(SEED)``; the annotator read at most the first 30 in this order and took
the first acceptable ones (README.md). eval/issues9/, made in the same session, excludes those 30 candidates, so the
two sets are disjoint.
"""

from __future__ import annotations

import gzip
import json
import random
import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = "claimgraph-dev12-issue-10"
EXCLUDED_SETS = ("dev", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8", "dev9", "dev10", "dev11", "holdout",
                 "issues", "issues2", "issues3", "issues4", "issues5", "issues6", "issues7", "issues8")
HEAD = 30  # the candidates this set's annotator may read; eval/issues9 excludes them

HOLDOUT_SELECT = ROOT / "eval" / "holdout" / "select.py"  # eval/ is not a package: run as a file
ISSUES8_SELECT = ROOT / "eval" / "issues8" / "select.py"


def _title(record: dict) -> str:
    return (record.get("title") or "").strip().lower()


def _qualifying(records: list[dict], excluded_sets: tuple[str, ...]) -> list[dict]:
    """The qualifying records not in ``excluded_sets`` nor sharing a headline with one of them, sorted by id."""
    holdout = runpy.run_path(str(HOLDOUT_SELECT))
    skip = holdout["excluded_ids"](excluded_sets)
    skip_titles = {_title(r) for r in records if r.get("id") in skip}
    return sorted((r for r in records if holdout["qualifies"](r, skip, skip_titles)), key=lambda r: r["id"])


def candidates(shared: Path) -> list[dict]:
    """This set's candidates in the order its annotator read them: the qualifying articles without the head of
    eval/dev11's order (nor an article sharing a headline with one of it), shuffled with SEED."""
    with gzip.open(shared / "corpus" / "news-37k.jsonl.gz", "rt", encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    issues8 = runpy.run_path(str(ISSUES8_SELECT))
    head = issues8["dev11_head"](_qualifying(records, issues8["EXCLUDED_SETS"]))  # eval/dev11's own list
    head_ids = {r["id"] for r in head}
    head_titles = {_title(r) for r in head} - {""}
    cands = [r for r in _qualifying(records, EXCLUDED_SETS)
             if r["id"] not in head_ids and _title(r) not in head_titles]
    random.Random(SEED).shuffle(cands)
    return cands


if __name__ == "__main__":
    runpy.run_path(str(HOLDOUT_SELECT))["print_candidates"](SEED, EXCLUDED_SETS, __doc__.split("\n")[0], candidates)
