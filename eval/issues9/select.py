#!/usr/bin/env python3
"""Candidate order for the ninth issue-tag set (eval/issues9/): every qualifying corpus article, shuffled by a seed.

    python eval/issues9/select.py [--shared ../shared] [--limit 40]

Same qualifying rule as eval/holdout/select.py (``qualifies``, run from there): topic "trade" or a headline naming a
trade negotiation term; 350-1500 words; at least five trade-term occurrences and six quotation marks in the body.
Excluded: every article of eval/dev, eval/dev2 .. eval/dev11, eval/holdout (articles.txt), eval/issues,
eval/issues2 .. eval/issues8 (article-ids.txt), and any article sharing a headline with one of them; the first 25
candidates of eval/dev11's order (``dev11_head``, as eval/issues8/select.py excludes them: the qualifying articles
with the exclusions of eval/dev11 (sets up to eval/issues7), sorted by id and shuffled with
``random.Random(DEV11_SEED)``); and the first 30 candidates of the order eval/dev12/ uses (``dev12_head``: the
qualifying articles with the exclusions above, sorted by id and shuffled with ``random.Random(DEV12_SEED)``), which
were being annotated in parallel, so that the two sets are disjoint; each head with any article sharing a headline
with one of it. The remaining candidates are sorted by corpus id and shuffled with ``random.Random(SEED)``; the
annotator took them in this order (README.md), the claims listed by ``scripts/issue_claims.py --set eval/issues9``.
"""

from __future__ import annotations

import gzip
import json
import random
import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = "claimgraph-issue-tags-9"
EXCLUDED_SETS = ("dev", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8", "dev9", "dev10", "dev11", "holdout",
                 "issues", "issues2", "issues3", "issues4", "issues5", "issues6", "issues7", "issues8")
DEV11_SETS = EXCLUDED_SETS[:10] + ("holdout",) + EXCLUDED_SETS[12:19]  # eval/dev11's own exclusions (to issues7)
DEV11_SEED = "claimgraph-dev11-issue-10"
DEV11_HEAD = 25  # eval/dev11's annotator read at most its first 25 candidates; eval/issues8 excludes them too
DEV12_SEED = "claimgraph-dev12-issue-10"
DEV12_HEAD = 30  # eval/dev12's annotator reads its candidates in order; none of its first 30 may be here

HOLDOUT_SELECT = ROOT / "eval" / "holdout" / "select.py"  # eval/ is not a package: run as a file


def _title(record: dict) -> str:
    return (record.get("title") or "").strip().lower()


def _without(records: list[dict], head: list[dict]) -> list[dict]:
    """``records`` without the articles of ``head`` nor any sharing a headline with one of them."""
    ids, titles = {r["id"] for r in head}, {_title(r) for r in head} - {""}
    return [r for r in records if r["id"] not in ids and _title(r) not in titles]


def _head(qualifying: list[dict], seed: str, n: int) -> list[dict]:
    order = list(qualifying)
    random.Random(seed).shuffle(order)
    return order[:n]


def _qualifying(records: list[dict], sets: tuple[str, ...]) -> list[dict]:
    """The qualifying ``records`` not in ``sets`` nor sharing a headline with one of their articles, sorted by id."""
    holdout = runpy.run_path(str(HOLDOUT_SELECT))
    skip = holdout["excluded_ids"](sets)
    skip_titles = {_title(r) for r in records if r.get("id") in skip}
    return sorted((r for r in records if holdout["qualifies"](r, skip, skip_titles)), key=lambda r: r["id"])


def dev11_head(records: list[dict]) -> list[dict]:
    """The first DEV11_HEAD candidates of eval/dev11's order (eval/issues8/select.py's ``dev11_head``)."""
    return _head(_qualifying(records, DEV11_SETS), DEV11_SEED, DEV11_HEAD)


def dev12_qualifying(records: list[dict]) -> list[dict]:
    """The list both this set and eval/dev12 shuffle: the qualifying articles without EXCLUDED_SETS and without
    eval/dev11's head (nor an article sharing a headline with one of either), sorted by id."""
    return _without(_qualifying(records, EXCLUDED_SETS), dev11_head(records))


def dev12_head(qualifying: list[dict]) -> list[dict]:
    """The first DEV12_HEAD candidates of eval/dev12's order: ``qualifying`` (:func:`dev12_qualifying`) shuffled with
    DEV12_SEED."""
    return _head(qualifying, DEV12_SEED, DEV12_HEAD)


def corpus(shared: Path) -> list[dict]:
    """Every record of the shared corpus."""
    with gzip.open(shared / "corpus" / "news-37k.jsonl.gz", "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def order(qualifying: list[dict]) -> list[dict]:
    """This set's candidates in the order its annotator read them: ``qualifying`` (:func:`dev12_qualifying`) without
    eval/dev12's head (nor an article sharing a headline with one of it), shuffled with SEED."""
    cands = _without(qualifying, dev12_head(qualifying))
    random.Random(SEED).shuffle(cands)
    return cands


def candidates(shared: Path) -> list[dict]:
    """:func:`order` over the corpus of ``shared`` (what scripts/issue_claims.py lists)."""
    return order(dev12_qualifying(corpus(shared)))


if __name__ == "__main__":  # the listing every set's select.py prints (eval/holdout/select.py)
    runpy.run_path(str(HOLDOUT_SELECT))["print_candidates"](SEED, EXCLUDED_SETS, __doc__.split("\n")[0], candidates)
