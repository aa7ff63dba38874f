#!/usr/bin/env python3
"""Candidate order for the eleventh dev set (eval/dev11/): every qualifying corpus article, shuffled by a fixed seed.

    python eval/dev11/select.py [--shared ../shared] [--limit 40]

Same qualifying rule as eval/holdout/select.py (``qualifies``, run from there): topic "trade" or a headline naming a
trade negotiation term; 350-1500 words; at least five trade-term occurrences and six quotation marks in the body.
Excluded: every article of eval/dev, eval/dev2, eval/dev3, eval/dev4, eval/dev5, eval/dev6, eval/dev7, eval/dev8,
eval/dev9, eval/dev10, eval/holdout (articles.txt), eval/issues, eval/issues2, eval/issues3, eval/issues4,
eval/issues5, eval/issues6 and eval/issues7 (article-ids.txt), and any article sharing a headline with one of them.
Candidates are sorted by corpus id and shuffled with ``random.Random(SEED)``; the annotator read at most the first 25
in this order and took the first acceptable ones (README.md). eval/issues8/, made in the same session, excludes
those 25 candidates, so the two sets are disjoint.
"""

from __future__ import annotations

import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = "claimgraph-dev11-issue-10"
EXCLUDED_SETS = ("dev", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8", "dev9", "dev10", "holdout",
                 "issues", "issues2", "issues3", "issues4", "issues5", "issues6", "issues7")

HOLDOUT_SELECT = ROOT / "eval" / "holdout" / "select.py"  # eval/ is not a package: run as a file


if __name__ == "__main__":
    runpy.run_path(str(HOLDOUT_SELECT))["print_candidates"](SEED, EXCLUDED_SETS, __doc__.split("\n")[0])
