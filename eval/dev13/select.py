#!/usr/bin/env python3
"""Candidate order for the thirteenth dev set (eval/dev13/): every article of a widened pool, shuffled by a fixed seed.

    python eval/dev13/select.py [--shared ../shared] [--limit 40]

The pool of eval/holdout/select.py's ``qualifies`` was nearly spent (about nine unread candidates were left), so this
set draws from a wider pool, defined before reading (``qualifies_wide``): holdout's rule, unchanged, or, whatever the
topic and headline, a body of 350-1500 words with at least eight matches of holdout's TERMS and six quotation marks
(holdout's QUOTES). Excluded: every article of eval/dev, eval/dev2 .. eval/dev12, eval/holdout (articles.txt),
eval/issues, eval/issues2 .. eval/issues9 (article-ids.txt); the first 25 candidates of eval/dev11's order
(``dev11_head``), the first 30 of eval/dev12's order (``dev12_head``) and the first 30 of eval/issues9's order
(``order``), all three from eval/issues9/select.py, run from there; and any article sharing a headline with one of
those. The remaining candidates are sorted by corpus id and shuffled with ``random.Random(SEED)``; the annotator read
at most the first HEAD in this order and took the first acceptable ones (README.md). eval/issues10/, made in the same
session from the same pool, excludes those HEAD candidates, so the two sets are disjoint.
"""

from __future__ import annotations

import random
import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = "claimgraph-dev13-issue-10"
EXCLUDED_SETS = ("dev", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8", "dev9", "dev10", "dev11", "dev12",
                 "holdout", "issues", "issues2", "issues3", "issues4", "issues5", "issues6", "issues7", "issues8",
                 "issues9")
HEAD = 30  # the candidates this set's annotator may read; eval/issues10 excludes them
EARLIER_HEAD = 30  # eval/dev12's and eval/issues9's annotators each read at most their first 30

HOLDOUT_SELECT = ROOT / "eval" / "holdout" / "select.py"  # eval/ is not a package: run as a file
ISSUES9_SELECT = ROOT / "eval" / "issues9" / "select.py"
_HOLDOUT = runpy.run_path(str(HOLDOUT_SELECT))
TERMS = _HOLDOUT["TERMS"]
QUOTES = _HOLDOUT["QUOTES"]


def _title(record: dict) -> str:
    return (record.get("title") or "").strip().lower()


def qualifies_wide(record: dict) -> bool:
    """The widened pool, before reading and before any exclusion: eval/holdout/select.py's ``qualifies`` holds
    (unchanged: topic "trade" or a headline naming a trade term; 350-1500 words; at least five TERMS and six QUOTES in
    the body), or, whatever the record's topic and headline, its body has 350-1500 words, at least eight matches of
    holdout's TERMS and at least six quotation marks (holdout's QUOTES)."""
    text = record.get("text") or ""
    if not 350 <= len(text.split()) <= 1500 or len(QUOTES.findall(text)) < 6:
        return False  # both branches ask for these; tested first, as they are cheaper than TERMS
    return _HOLDOUT["qualifies"](record, set(), set()) or len(TERMS.findall(text)) >= 8


def earlier_heads(records: list[dict]) -> list[dict]:
    """The candidates earlier annotators may have read: the first 25 of eval/dev11's order, the first 30 of
    eval/dev12's and the first 30 of eval/issues9's (eval/issues9/select.py's functions)."""
    issues9 = runpy.run_path(str(ISSUES9_SELECT))
    qualifying12 = issues9["dev12_qualifying"](records)
    return (issues9["dev11_head"](records) + issues9["dev12_head"](qualifying12)
            + issues9["order"](qualifying12)[:EARLIER_HEAD])


def order(records: list[dict]) -> list[dict]:
    """This set's candidates in the order its annotator read them: the records of the widened pool without
    EXCLUDED_SETS and the earlier heads (nor an article sharing a headline with one of them), sorted by id and
    shuffled with SEED."""
    skip = _HOLDOUT["excluded_ids"](EXCLUDED_SETS) | {r["id"] for r in earlier_heads(records)}
    skip_titles = {_title(r) for r in records if r.get("id") in skip} - {""}
    cands = sorted((r for r in records if r.get("id") not in skip and _title(r) not in skip_titles
                    and qualifies_wide(r)), key=lambda r: r["id"])
    random.Random(SEED).shuffle(cands)
    return cands


def candidates(shared: Path) -> list[dict]:
    """:func:`order` over the corpus of ``shared``."""
    return order(runpy.run_path(str(ISSUES9_SELECT))["corpus"](shared))


if __name__ == "__main__":
    _HOLDOUT["print_candidates"](SEED, EXCLUDED_SETS, __doc__.split("\n")[0], candidates)
