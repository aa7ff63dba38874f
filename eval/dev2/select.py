#!/usr/bin/env python3
"""Candidate order for the second dev set (eval/dev2/): every qualifying corpus article, shuffled by a fixed seed.

    python eval/dev2/select.py [--shared ../shared] [--limit 40]

Same qualifying rule as eval/holdout/select.py (``qualifies``, imported from there): topic "trade" or a headline
naming a trade negotiation term; 350-1500 words; at least five trade-term occurrences and six quotation marks in the
body. Excluded: every article of eval/dev/articles.txt and eval/holdout/articles.txt and any article sharing a
headline with one of them. Candidates are sorted by corpus id and shuffled with ``random.Random(SEED)``; the
annotator read them in this order and accepted or rejected each for the reasons stated in README.md (opinion, not
about trade between countries, outlet already accepted, more than three accepted articles from that year).
"""

from __future__ import annotations

import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = "claimgraph-dev2-issue-3"
EXCLUDED_SETS = ("dev", "holdout")

HOLDOUT_SELECT = ROOT / "eval" / "holdout" / "select.py"  # eval/ is not a package: run as a file


if __name__ == "__main__":
    runpy.run_path(str(HOLDOUT_SELECT))["print_candidates"](SEED, EXCLUDED_SETS, __doc__.split("\n")[0])
