#!/usr/bin/env python3
"""List the claims of eval/issues4 for the second annotator, without their issue tags.

    python eval/issues4/agreement/list_claims.py [--shared ../shared] > /tmp/claims.txt

Reads each ``eval/issues4/<id>.issues.json`` for its claims' offsets and kind only (the ``issues`` field is never
read into the listing), checks every sha1 against the corpus, and prints per article its order, id, publisher, date
and headline, then per claim its index, offsets, kind, text and the paragraph around it. Nothing here runs the
extractor or the tagger.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SET_DIR = HERE.parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.issue_tags import check, corpus_articles  # noqa: E402
from scripts.issue_claims import paragraph  # noqa: E402


def claim_offsets(path: Path) -> dict:
    """The article record of ``path`` with each claim reduced to start, end, kind and sha1 (its tags dropped)."""
    record = json.loads(path.read_text(encoding="utf-8"))
    record["claims"] = [{k: c[k] for k in ("start", "end", "kind", "sha1")} for c in record["claims"]]
    return record


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    a = ap.parse_args()
    records = sorted((claim_offsets(p) for p in SET_DIR.glob("*.issues.json")), key=lambda r: r["order"])
    articles = corpus_articles(a.shared, {r["article"] for r in records})
    for r in records:
        art = articles[r["article"]]
        check(r, art)
        text = art["text"]
        print(f"=== #{r['order']} {r['article']} {r.get('publisher')} {r.get('published') or '-'} | {art.get('title')}")
        for i, c in enumerate(r["claims"]):
            span = text[c["start"]:c["end"]]
            print(f"  [{i}] {c['start']}-{c['end']} {c['kind']}: {' '.join(span.split())}")
            print(f"      ¶ {paragraph(text, c['start'], c['end'])}")


if __name__ == "__main__":
    main()
