#!/usr/bin/env python3
"""Issue tags against the hand-tagged claims of eval/issues/: per-issue and overall precision and recall.

    python benchmarks/issue_tags.py [--portion dev|test|all] [--set eval/issues] [--shared ../shared] [--errors]
    python benchmarks/issue_tags.py --seed [--shared ../shared] [--errors]

eval/issues/ holds, per article, the claims as offsets and sha1s with the issues a person tagged them with (no
corpus text; eval/issues/README.md). This script reads the articles from ``<shared>/corpus/news-37k.jsonl.gz``,
checks every sha1, runs the extractor on them and compares each tagged claim's ``issues`` with the tags. A tagged
claim the extractor no longer returns with the same offsets is matched to the extracted claim overlapping it most
(IoU >= 0.5); one with no such claim counts as tagged with nothing, and is reported. Precision and recall are
micro-averaged over (claim, issue) pairs. ``--errors`` prints every disagreement. The test portion was scored blind
once (5345f9b) and its errors have been read since (issue 11, second session), so it is a tuned set now like the
development portion; so is eval/issues2 (``--set eval/issues2 --portion test``: scored blind once at 5d3c105, its
errors read in the third session), eval/issues3 (scored blind once at 041b188, its errors read in the fourth),
eval/issues4 (scored blind once at b899c00, its errors read in the fifth), eval/issues5 (scored blind once at
14bf0b3, its errors read in the sixth), eval/issues6 (scored blind once at 2bf6aa5, its errors read in the
seventh) and eval/issues7 (scored blind once at c1b3c58, its errors read in the eighth); the ninth session read the
errors of all of them again. The blind estimate is a set nobody has read. ``--seed`` scores the issues of the seed
article's gold claims (``<shared>/seed/nafta-talks-2018.gold.json``, the article in ``nafta-talks-2018.json``)
instead of a set. Without ``../shared`` it prints "skipped" and exits 0.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def load_set(set_dir: Path, portion: str) -> list[dict[str, Any]]:
    """The tagged articles of ``portion`` ("dev", "test" or "all"), in their selection order."""
    records = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(set_dir.glob("*.issues.json"))]
    return sorted((r for r in records if portion == "all" or r["portion"] == portion), key=lambda r: r["order"])


def corpus_articles(shared: Path, ids: set[str]) -> dict[str, dict[str, Any]]:
    with gzip.open(shared / "corpus" / "news-37k.jsonl.gz", "rt", encoding="utf-8") as f:
        return {r["id"]: r for r in map(json.loads, f) if r["id"] in ids}


def check(record: dict[str, Any], article: dict[str, Any]) -> None:
    """Raise ValueError when the stored hashes do not fit the corpus text."""
    text = article["text"]
    if sha1(text) != record["sha1"]:
        raise ValueError(f"{record['article']}: the corpus text no longer has the annotated sha1")
    for c in record["claims"]:
        if sha1(text[c["start"]:c["end"]]) != c["sha1"]:
            raise ValueError(f"{record['article']}: claim {c['start']}-{c['end']} does not match its sha1")


SEED_GOLD = "nafta-talks-2018.gold.json"


def seed_set(shared: Path) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """The seed article's gold claims as one tagged record, and the article (its gold file names no sha1: the
    seed is the project's own fixture, not a corpus record)."""
    gold = json.loads((shared / "seed" / SEED_GOLD).read_text(encoding="utf-8"))
    article = json.loads((shared / "seed" / SEED_GOLD.replace(".gold", "")).read_text(encoding="utf-8"))
    record = {"article": article["id"], "order": 1, "claims": [
        {"start": c["start"], "end": c["end"], "issues": c.get("issues", [])} for c in gold["claims"]]}
    return [record], {article["id"]: article}


def _iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    return inter / (max(a[1], b[1]) - min(a[0], b[0]))


def predicted_issues(gold: dict[str, Any], claims: list[Any]) -> list[str] | None:
    """The issues of the extracted claim at the tagged claim's offsets (or overlapping it most, IoU >= 0.5)."""
    span = (gold["start"], gold["end"])
    best = max(claims, key=lambda c: _iou(span, (c.start, c.end)), default=None)
    if best is None or _iou(span, (best.start, best.end)) < 0.5:
        return None
    return list(best.issues)


def score(pairs: list[tuple[set[str], set[str]]]) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """True positives, false positives and false negatives per issue over (gold, predicted) pairs."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for gold, pred in pairs:
        tp.update(gold & pred)
        fp.update(pred - gold)
        fn.update(gold - pred)
    return tp, fp, fn


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "  -  "


def report(tp: Counter[str], fp: Counter[str], fn: Counter[str], claims: int) -> None:
    print(f"{'issue':32} {'gold':>4} {'pred':>4} {'tp':>4} {'P':>6} {'R':>6}")
    for issue in sorted(set(tp) | set(fp) | set(fn), key=lambda i: (-(tp[i] + fn[i]), i)):
        g, p = tp[issue] + fn[issue], tp[issue] + fp[issue]
        print(f"{issue:32} {g:4d} {p:4d} {tp[issue]:4d} {_ratio(tp[issue], p):>6} {_ratio(tp[issue], g):>6}")
    t, g, p = sum(tp.values()), sum(tp.values()) + sum(fn.values()), sum(tp.values()) + sum(fp.values())
    print(f"{'overall (micro)':32} {g:4d} {p:4d} {t:4d} {_ratio(t, p):>6} {_ratio(t, g):>6}   ({claims} claims)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", type=Path, default=ROOT / "eval" / "issues")
    ap.add_argument("--portion", choices=("dev", "test", "all"), default="dev")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--errors", action="store_true", help="print each disagreement")
    ap.add_argument("--seed", action="store_true", help="score the seed article's gold claims instead of a set")
    a = ap.parse_args()
    corpus = a.shared / ("seed" if a.seed else "corpus") / (SEED_GOLD if a.seed else "news-37k.jsonl.gz")
    if not corpus.exists():
        print(f"skipped: {corpus} is absent")
        return 0
    if a.seed:
        records, articles = seed_set(a.shared)
    else:
        records = load_set(a.set, a.portion)
        articles = corpus_articles(a.shared, {r["article"] for r in records})
    from kg.extract import Article, Extractor

    extractor = Extractor()
    pairs: list[tuple[set[str], set[str]]] = []
    unmatched = 0
    for record in records:
        art = articles[record["article"]]
        if not a.seed:
            check(record, art)
        extraction = extractor.extract(Article(id=art["id"], text=art["text"], title=art.get("title"),
                                               publisher=art.get("publisher"), published=art.get("published")))
        for gold in record["claims"]:
            pred = predicted_issues(gold, extraction.claims)
            unmatched += pred is None
            pairs.append((set(gold["issues"]), set(pred or ())))
            if a.errors and set(gold["issues"]) != set(pred or ()):
                text = art["text"][gold["start"]:gold["end"]]
                print(f"#{record['order']} {gold['start']}: gold {sorted(gold['issues'])} pred {sorted(pred or ())}"
                      f"\n    {' '.join(text.split())[:200]}")
    name = "the seed" if a.seed else f"{a.portion} portion of {a.set.name}"
    print(f"{name}: {len(records)} articles, {len(pairs)} claims ({unmatched} no longer extracted)")
    report(*score(pairs), len(pairs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
