#!/usr/bin/env python3
"""Claim extraction on the error-pattern sentences of ``../shared/eval/patterns.jsonl``: attribution P/R/F1 with
the metric of ``../shared/eval/score.py`` (``kg.evaluate.score``), overall and per pattern.

    python benchmarks/patterns_eval.py [--patterns ../shared/eval/patterns.jsonl] [--iou 0.5] [--verbose]

Each line of the table is one pattern: gold claims, predicted claims, attributed matches, and (``--verbose``, or
for a pattern not fully right) what was predicted. The last line is ``attribution F1 X``. Without the shared folder
the script says so and exits 0. tests/test_extract_patterns.py runs the same scoring as tests.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.evaluate import report, report_by_method, score, score_by_method  # noqa: E402
from kg.extract import Extractor  # noqa: E402
from kg.patterns import load_patterns  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "eval" / "patterns.jsonl"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--patterns", type=Path, default=DEFAULT)
    ap.add_argument("--iou", type=float, default=0.5)
    ap.add_argument("--verbose", action="store_true", help="print the predicted claims of every pattern")
    a = ap.parse_args()
    if not a.patterns.is_file():
        print(f"skipped: {a.patterns} is absent")
        return 0
    patterns = load_patterns(a.patterns)
    extractions = Extractor().extract_many([p.article for p in patterns])
    predicted = {p.id: e.to_json() for p, e in zip(patterns, extractions, strict=True)}
    gold = {p.id: p.gold for p in patterns}
    result = score(gold, predicted, a.iou)
    for p in patterns:
        row = result["per_article"][p.id]
        right = row["attr_tp"] == row["gold"] == row["pred"]
        print(f"{p.id}  gold {row['gold']}  pred {row['pred']}  attributed {row['attr_tp']}  "
              f"{'ok ' if right else 'ERR'}  {p.pattern}")
        if a.verbose or not right:
            for c in predicted[p.id]["claims"]:
                print(f"       {c['speaker']['name']!r:40s} {c['kind']:8s} {c.get('method', '')!s:22s} {c['text']!r}")
    print(report_by_method(score_by_method(gold, predicted, a.iou)))
    print(report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
