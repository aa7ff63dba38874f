#!/usr/bin/env python3
"""Print the claims of the next candidate articles for blind issue annotation, without their issue tags.

    python scripts/issue_claims.py [--shared ../shared] [--articles 20] [--per-article 12]

Takes the candidates of ``select.py`` in their seeded order, runs the extractor on each, and prints the article's
id, date and headline, then per claim (the first ``--per-article`` in text order) its offsets, kind, text and the
paragraph around it. The ``issues`` field of the extraction is never printed: the annotator tags from the text.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _module(path: Path, name: str):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def candidates(shared: Path) -> list[dict]:
    """The qualifying articles in the seeded order of select.py."""
    select = _module(ROOT / "eval" / "issues" / "select.py", "issues_select")
    holdout = select._holdout_select()
    skip = holdout.excluded_ids(select.EXCLUDED_SETS)
    with gzip.open(shared / "corpus" / "news-37k.jsonl.gz", "rt", encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    skip_titles = {(r.get("title") or "").strip().lower() for r in records if r.get("id") in skip}
    cands = sorted((r for r in records if holdout.qualifies(r, skip, skip_titles)), key=lambda r: r["id"])
    random.Random(select.SEED).shuffle(cands)
    return cands


def paragraph(text: str, start: int, end: int) -> str:
    """The paragraph (blank-line separated) holding ``text[start:end]``."""
    a = text.rfind("\n\n", 0, start)
    b = text.find("\n\n", end)
    return " ".join(text[a + 1 if a >= 0 else 0:b if b >= 0 else len(text)].split())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--articles", type=int, default=20)
    ap.add_argument("--per-article", type=int, default=12)
    a = ap.parse_args()
    from kg.extract import Article, Extractor

    extractor = Extractor()
    for n, r in enumerate(candidates(a.shared)[:a.articles], 1):
        x = extractor.extract(Article(id=r["id"], text=r["text"], published=r.get("published"), title=r.get("title")))
        print(f"=== #{n} {r['id']} {r.get('publisher')} {r.get('published') or '-'} | {r.get('title')}")
        for i, c in enumerate(sorted(x.claims, key=lambda c: c.start)[:a.per_article]):
            print(f"  [{i}] {c.start}-{c.end} {c.kind}: {c.text}")
            print(f"      ¶ {paragraph(r['text'], c.start, c.end)}")


if __name__ == "__main__":
    main()
