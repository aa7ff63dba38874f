#!/usr/bin/env python3
"""Candidate order for the tenth issue-tag set (eval/issues10/): every article of a widened pool, shuffled by a seed.

    python eval/issues10/select.py [--shared ../shared] [--limit 40]

The pool of eval/holdout/select.py's rule is nearly exhausted, so this set (like eval/dev13/, annotated in parallel)
draws from a widened one (:func:`qualifies_wide`): an article qualifies by eval/holdout/select.py's ``qualifies``
(unchanged), or, whatever its topic and headline, by a body of 350-1,500 words with at least eight matches of
holdout's ``TERMS`` and six quotation marks (``QUOTES``). Excluded: every article of eval/dev, eval/dev2 ..
eval/dev12, eval/holdout (articles.txt), eval/issues, eval/issues2 .. eval/issues9 (article-ids.txt); the first 25
candidates of eval/dev11's order, the first 30 of eval/dev12's and the first 30 of eval/issues9's (eval/issues9/
select.py's ``dev11_head``, ``dev12_head`` and ``order``, run from there), which their annotators read; and any
article sharing a headline with one of those. What remains, sorted by id, is the pool both this set and eval/dev13
shuffle (:func:`pool`). The first 30 candidates of eval/dev13's order (:func:`dev13_head`: the pool shuffled with
``random.Random(DEV13_SEED)``), and any article sharing a headline with one of them, are excluded too, so that the
two sets are disjoint; the rest is shuffled with ``random.Random(SEED)`` (:func:`order`), and the annotator took the
candidates in this order (README.md), the claims listed by ``scripts/issue_claims.py --set eval/issues10``.
"""

from __future__ import annotations

import random
import runpy
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = "claimgraph-issue-tags-10"
EXCLUDED_SETS = ("dev", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8", "dev9", "dev10", "dev11", "dev12",
                 "holdout", "issues", "issues2", "issues3", "issues4", "issues5", "issues6", "issues7", "issues8",
                 "issues9")
ISSUES9_HEAD = 30  # eval/issues9's listing went to its 30th candidate
DEV13_SEED = "claimgraph-dev13-issue-10"
DEV13_HEAD = 30  # eval/dev13's annotator reads its candidates in order; none of its first 30 may be here
MIN_WORDS, MAX_WORDS, MIN_TERMS, MIN_QUOTES = 350, 1500, 8, 6  # the widened rule's body, whatever topic and headline

_ANCHORS = ("tariff", "trade", "negotiator", "nafta", "usmca", "wto", "brexit", "tpp", "trans-pacific", "ttip")
_RE_ONLY_FOLDS = "\u0130\u0131\u017f\u212a"  # what re.I matches to i, s or k and str.lower does not give

HOLDOUT_SELECT = ROOT / "eval" / "holdout" / "select.py"  # eval/ is not a package: run as files
ISSUES9_SELECT = ROOT / "eval" / "issues9" / "select.py"
_HOLDOUT = runpy.run_path(str(HOLDOUT_SELECT))


def _title(record: dict) -> str:
    return (record.get("title") or "").strip().lower()


def _without(records: list[dict], head: list[dict]) -> list[dict]:
    """``records`` without the articles of ``head`` nor any sharing a headline with one of them."""
    ids, titles = {r["id"] for r in head}, {_title(r) for r in head} - {""}
    return [r for r in records if r["id"] not in ids and _title(r) not in titles]


def qualifies_wide(record: dict) -> bool:
    """The widened selection filter, before reading: eval/holdout/select.py's ``qualifies`` (topic "trade" or a trade
    term in the headline; 350-1,500 words; at least five ``TERMS`` matches and six ``QUOTES`` in the body), or, whatever
    the topic and headline, a body of 350-1,500 words with at least eight ``TERMS`` matches and six ``QUOTES``.
    Exclusions are applied apart (:func:`pool`)."""
    if _HOLDOUT["qualifies"](record, set(), set()):
        return True
    text = record.get("text") or ""
    if not MIN_WORDS <= len(text.split()) <= MAX_WORDS or len(_HOLDOUT["QUOTES"].findall(text)) < MIN_QUOTES:
        return False
    if not _may_match(text, MIN_TERMS):
        return False  # the regular expression is slow (a second a thousand bodies): run it on few of the 37k
    return sum(1 for _ in islice(_HOLDOUT["TERMS"].finditer(text), MIN_TERMS)) == MIN_TERMS


def _may_match(text: str, times: int) -> bool:
    """False only where ``TERMS`` cannot match ``times`` times in ``text``: each of its matches holds one of
    _ANCHORS, found by ``str.lower`` except where the text has a letter that only ``re.I`` folds to one of TERMS'
    (dotted and dotless i, long s, Kelvin sign), where this answers True."""
    if any(c in text for c in _RE_ONLY_FOLDS):
        return True
    low = text.lower()
    return sum(low.count(a) for a in _ANCHORS) >= times


def earlier_heads(records: list[dict]) -> list[dict]:
    """The candidates earlier annotators read without taking them all: the first 25 of eval/dev11's order, the first
    30 of eval/dev12's and the first ISSUES9_HEAD of eval/issues9's (eval/issues9/select.py's functions)."""
    issues9 = runpy.run_path(str(ISSUES9_SELECT))
    qualifying9 = issues9["dev12_qualifying"](records)
    return (issues9["dev11_head"](records) + issues9["dev12_head"](qualifying9)
            + issues9["order"](qualifying9)[:ISSUES9_HEAD])


def pool(records: list[dict]) -> list[dict]:
    """The widened pool both this set and eval/dev13 shuffle: the records that :func:`qualifies_wide`, without
    EXCLUDED_SETS and :func:`earlier_heads` (nor an article sharing a headline with one of them), sorted by id."""
    skip = _HOLDOUT["excluded_ids"](EXCLUDED_SETS)
    skip_titles = {_title(r) for r in records if r.get("id") in skip} - {""}
    wide = [r for r in records if r.get("id") not in skip and _title(r) not in skip_titles and qualifies_wide(r)]
    return sorted(_without(wide, earlier_heads(records)), key=lambda r: r["id"])


def dev13_head(wide_pool: list[dict]) -> list[dict]:
    """The first DEV13_HEAD candidates of eval/dev13's order: ``wide_pool`` (:func:`pool`) shuffled with DEV13_SEED.
    Never printed nor read for this set."""
    order13 = list(wide_pool)
    random.Random(DEV13_SEED).shuffle(order13)
    return order13[:DEV13_HEAD]


def order(wide_pool: list[dict]) -> list[dict]:
    """This set's candidates in the order its annotator read them: ``wide_pool`` (:func:`pool`) without eval/dev13's
    head (nor an article sharing a headline with one of it), shuffled with SEED."""
    cands = _without(wide_pool, dev13_head(wide_pool))
    random.Random(SEED).shuffle(cands)
    return cands


def corpus(shared: Path) -> list[dict]:
    """Every record of the shared corpus (eval/issues9/select.py's reader)."""
    records: list[dict] = runpy.run_path(str(ISSUES9_SELECT))["corpus"](shared)
    return records


def candidates(shared: Path) -> list[dict]:
    """:func:`order` over the corpus of ``shared`` (what scripts/issue_claims.py lists)."""
    return order(pool(corpus(shared)))


if __name__ == "__main__":
    _HOLDOUT["print_candidates"](SEED, EXCLUDED_SETS, (__doc__ or "").split("\n")[0], candidates)
