#!/usr/bin/env python3
"""Candidate order for the issue-tag set (eval/issues/): every qualifying corpus article, shuffled by a fixed seed.

    python eval/issues/select.py [--shared ../shared] [--limit 40]

Same qualifying rule as eval/holdout/select.py (``qualifies``, imported from there): topic "trade" or a headline
naming a trade negotiation term; 350-1500 words; at least five trade-term occurrences and six quotation marks in the
body. Excluded: every article of eval/dev, eval/dev2, eval/holdout and eval/dev3 (articles.txt) and any article
sharing a headline with one of them. Candidates are sorted by corpus id and shuffled with ``random.Random(SEED)``;
the annotator took them in this order (README.md).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = "claimgraph-issue-tags-issue-11"
EXCLUDED_SETS = ("dev", "dev2", "holdout", "dev3")


def _holdout_select():  # type: ignore[no-untyped-def]
    """eval/holdout/select.py as a module (eval/ is not a package)."""
    spec = importlib.util.spec_from_file_location("holdout_select", ROOT / "eval" / "holdout" / "select.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


if __name__ == "__main__":
    _holdout_select().print_candidates(SEED, EXCLUDED_SETS, __doc__.split("\n")[0])
