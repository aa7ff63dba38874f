#!/usr/bin/env python3
"""Candidate order for the tenth dev set (eval/dev10/): every qualifying corpus article, shuffled by a fixed seed.

    python eval/dev10/select.py [--shared ../shared] [--limit 40]

Same qualifying rule as eval/holdout/select.py (``qualifies``, run from there): topic "trade" or a headline naming a
trade negotiation term; 350-1500 words; at least five trade-term occurrences and six quotation marks in the body.
Excluded: every article of eval/dev, eval/dev2, eval/dev3, eval/dev4, eval/dev5, eval/dev6, eval/dev7, eval/dev8,
eval/dev9, eval/holdout (articles.txt), eval/issues, eval/issues2, eval/issues3, eval/issues4, eval/issues5 and
eval/issues6 (article-ids.txt), and any article sharing a headline with one of them. Candidates are sorted by corpus
id and shuffled with ``random.Random(SEED)``; the annotator read them in this order and took the first acceptable
ones (README.md). eval/issues7/, made after this set, excludes it in turn.
"""

from __future__ import annotations

import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = "claimgraph-dev10-issue-10"
EXCLUDED_SETS = ("dev", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8", "dev9", "holdout", "issues",
                 "issues2", "issues3", "issues4", "issues5", "issues6")

HOLDOUT_SELECT = ROOT / "eval" / "holdout" / "select.py"  # eval/ is not a package: run as a file


if __name__ == "__main__":
    runpy.run_path(str(HOLDOUT_SELECT))["print_candidates"](SEED, EXCLUDED_SETS, __doc__.split("\n")[0])
