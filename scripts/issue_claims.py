#!/usr/bin/env python3
"""Print the claims of the next candidate articles for blind issue annotation, without their issue tags.

    python scripts/issue_claims.py [--set eval/issues] [--shared ../shared] [--articles 20] [--per-article 12]

Takes the candidates of the set's ``select.py`` (``--set``, default eval/issues) in their seeded order, runs the
extractor on each, and prints the article's id, date and headline, then per claim (the first ``--per-article`` in
text order) its offsets, kind, text and the paragraph around it. The ``issues`` field of the extraction is never
printed: the annotator tags from the text.
"""

from __future__ import annotations

import argparse
import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def candidates(shared: Path, set_dir: Path = ROOT / "eval" / "issues") -> list[dict]:
    """The qualifying articles in the seeded order of ``set_dir``/select.py (eval/ is not a package: run as files);
    a select.py with exclusions of its own (eval/issues8's) gives its own ``candidates(shared)``."""
    select = runpy.run_path(str(set_dir / "select.py"))
    if "candidates" in select:
        return select["candidates"](shared)
    holdout = runpy.run_path(str(select["HOLDOUT_SELECT"]))
    return holdout["candidates"](shared, select["SEED"], select["EXCLUDED_SETS"])


def paragraph(text: str, start: int, end: int) -> str:
    """The paragraph (blank-line separated) holding ``text[start:end]``."""
    a = text.rfind("\n\n", 0, start)
    b = text.find("\n\n", end)
    return " ".join(text[a + 1 if a >= 0 else 0:b if b >= 0 else len(text)].split())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", type=Path, default=ROOT / "eval" / "issues",
                    help="issue-tag set whose select.py orders the candidates (default eval/issues)")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--articles", type=int, default=20)
    ap.add_argument("--per-article", type=int, default=12)
    a = ap.parse_args()
    from kg.extract import Article, Extractor

    extractor = Extractor()
    for n, r in enumerate(candidates(a.shared, a.set)[:a.articles], 1):
        x = extractor.extract(Article(id=r["id"], text=r["text"], published=r.get("published"), title=r.get("title")))
        print(f"=== #{n} {r['id']} {r.get('publisher')} {r.get('published') or '-'} | {r.get('title')}")
        for i, c in enumerate(sorted(x.claims, key=lambda c: c.start)[:a.per_article]):
            print(f"  [{i}] {c.start}-{c.end} {c.kind}: {c.text}")
            print(f"      ¶ {paragraph(r['text'], c.start, c.end)}")


if __name__ == "__main__":
    main()
