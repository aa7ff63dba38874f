#!/usr/bin/env python3
"""Dump the claims JSON of every evaluation set, then compare two dumps: proof that a refactor of the extractor
changes no output, or the exact list of what it changed.

    python benchmarks/dump_claims.py dump OUT_DIR [--corpus 150] [--sets seed,dev,dev2,dev3,dev4,holdout,patterns]
    python benchmarks/dump_claims.py diff BEFORE_DIR AFTER_DIR [--show SET,...]

``dump`` runs one Extractor over the seed article, the annotated sets of ``eval/`` (dev, dev2, dev3, dev4, holdout),
the sentences of ``../shared/eval/patterns.jsonl`` and the first ``--corpus`` articles of the shared corpus, and
writes one JSON Lines file per set (``OUT_DIR/<set>.jsonl``: one ``Extraction.to_json()`` per article, without
timings, which differ from run to run). ``diff`` compares two dumps claim by claim, keyed by article and offsets,
and prints per set how many claims were added, removed or changed (speaker, kind, cue, method, confidence, date,
issues). Claims are listed only for the sets named in ``--show``: the held-out set's errors are never read, so its
line gives counts only unless asked. Exit status 1 when the dumps differ.

eval/dev5 is not in the list and cannot be asked for: it is a blind set being annotated.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from dev_eval import corpus_records, dev_ids  # noqa: E402
from extract_corpus import corpus_articles  # noqa: E402

from kg.articles import article_from_record  # noqa: E402
from kg.extract.model import Article  # noqa: E402

SHARED = ROOT.parent / "shared"
EVAL_SETS = ("dev", "dev2", "dev3", "dev4", "holdout")
ALL_SETS = ("seed", *EVAL_SETS, "patterns", "corpus")


def _set_articles(name: str, corpus_n: int) -> list[Article]:
    if name == "seed":
        record = json.loads((SHARED / "seed" / "nafta-talks-2018.json").read_text(encoding="utf-8"))
        return [article_from_record(record)]
    if name == "patterns":
        from kg.patterns import load_patterns

        return [p.article for p in load_patterns(SHARED / "eval" / "patterns.jsonl")]
    if name == "corpus":
        return list(corpus_articles(SHARED / "corpus" / "news-37k.jsonl.gz", corpus_n))
    ids = dev_ids(ROOT / "eval" / name)
    records = corpus_records(SHARED / "corpus" / "news-37k.jsonl.gz", ids)
    return [article_from_record(records[i]) for i in ids]


def dump(out: Path, sets: list[str], corpus_n: int) -> None:
    from kg.extract import Extractor

    extractor = Extractor()
    out.mkdir(parents=True, exist_ok=True)
    for name in sets:
        articles = _set_articles(name, corpus_n)
        with (out / f"{name}.jsonl").open("w", encoding="utf-8") as f:
            for e in extractor.extract_many(articles):
                f.write(json.dumps(e.to_json(), ensure_ascii=False, sort_keys=True) + "\n")
        print(f"{name}: {len(articles)} articles -> {out / (name + '.jsonl')}", flush=True)


def _claims(path: Path) -> dict[tuple[str, int, int, str], dict[str, Any]]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        for c in record["claims"]:
            who = c["speaker"].get("id") or c["speaker"]["name"]
            out[(record["article"]["id"], c["start"], c["end"], who)] = c
    return out


def _lines(before: dict[Any, Any], after: dict[Any, Any]) -> Iterator[str]:
    for key in sorted(before.keys() - after.keys()):
        yield f"  - {key}: {before[key]['method']} {before[key]['text'][:90]!r}"
    for key in sorted(after.keys() - before.keys()):
        yield f"  + {key}: {after[key]['method']} {after[key]['text'][:90]!r}"
    for key in sorted(before.keys() & after.keys()):
        if before[key] != after[key]:
            old, new = before[key], after[key]
            fields = sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
            yield f"  ~ {key}: " + ", ".join(f"{k}: {old.get(k)!r} -> {new.get(k)!r}" for k in fields)


def diff(a: Path, b: Path, show: set[str]) -> int:
    differs = 0
    for name in ALL_SETS:
        pa, pb = a / f"{name}.jsonl", b / f"{name}.jsonl"
        if not pa.is_file() or not pb.is_file():
            continue
        before, after = _claims(pa), _claims(pb)
        lines = list(_lines(before, after))
        removed = len(before.keys() - after.keys())
        added = len(after.keys() - before.keys())
        changed = len(lines) - removed - added
        print(f"{name}: {len(before)} -> {len(after)} claims; removed {removed}, added {added}, changed {changed}")
        if name in show and lines:
            print("\n".join(lines))
        differs |= bool(lines)
    return int(differs)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out", type=Path)
    d.add_argument("--corpus", type=int, default=150, help="first N corpus articles (default 150)")
    d.add_argument("--sets", default=",".join(ALL_SETS))
    c = sub.add_parser("diff")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    c.add_argument("--show", default="seed,dev,dev2,dev3,dev4,patterns,corpus",
                   help="sets whose changed claims are listed (the held-out set is not, by default)")
    a = ap.parse_args()
    if a.command == "dump":
        sets = [s for s in a.sets.split(",") if s]
        unknown = [s for s in sets if s not in ALL_SETS]
        if unknown:
            ap.error(f"unknown set(s) {unknown}; known: {', '.join(ALL_SETS)}")
        dump(a.out, sets, a.corpus)
        return 0
    return diff(a.before, a.after, {s for s in a.show.split(",") if s})


if __name__ == "__main__":
    sys.exit(main())
