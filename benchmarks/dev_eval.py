#!/usr/bin/env python3
"""Claim extraction on the hand-annotated dev set (eval/dev/): span and attribution P/R/F1, overall and per article.

    python benchmarks/dev_eval.py [--set eval/dev] [--keep DIR] [--pred PRED.jsonl]
                                  [--quoted-phrases fragment|clause] [--iou 0.5] [--shared ../shared] [--check]
    python benchmarks/dev_eval.py --folds | --train-gate PATH [--beta 0.5 | --floor P] [--cache DIR] [--refresh]

The dev set is ten real trade-news articles of the shared corpus, annotated by hand in the style of the seed gold
(see docs/dev-eval.md). ``--quoted-phrases clause`` scores the 23 reported-speech claims that hold a short quoted
phrase as whole clauses instead of as the phrase; docs/dev-eval.md gives both figures.

The corpus may not be copied into the repository, so eval/dev/ holds only the corpus ids (``articles.txt``) and,
per article, the claims as offsets (speaker, kind, cue, start, end, sha1 of the claim text) plus the entities with
their aliases. This script:

1. reads the articles from ``<shared>/corpus/news-37k.jsonl.gz`` and checks each text against the stored sha1;
2. rebuilds full gold files (the shape of ``<shared>/eval/FORMAT.md``, claim ``text`` included) in a temporary
   folder, checking every claim's text against its sha1;
3. runs ``kg extract`` (the installed command beside this interpreter) on a JSON Lines file of those articles,
   unless ``--pred`` gives predictions already made;
4. scores with ``<shared>/eval/score.py`` in a subprocess and prints its summary plus a per-article table.

``--keep DIR`` writes the rebuilt gold, the articles and the predictions to DIR for error analysis. When the shared
folder is absent the script says so and exits 0 (nothing to measure).

``--set DIR`` scores another set stored the same way, e.g. ``--set eval/holdout`` (the held-out set, annotated
blind; see eval/holdout/README.md).

``--folds`` measures the claim gate (kg/extract/claim_gate.py) by leaving one set out: every set of
``benchmarks/claim_folds.py`` (eval/dev, dev2 .. dev12, eval/holdout) is extracted once (cached, see there), the
gate is trained on all sets but one and scores the one left out, and per-set and pooled attribution figures are
printed for the rules alone and with the gate, then pooled figures at fixed thresholds. ``--train-gate PATH``
trains the gate on every set and writes its weights (the shipped ``kg/extract/claim_gate.tsv``).

``--check`` runs steps 1-2 only: it rebuilds the gold under both readings of
quoted phrases, so every stored sha1 (clause and fragment) is verified, checks that each speaker is a listed entity,
and prints the claim counts by kind and per article, without running ``kg extract`` or scoring.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEV_DIR = ROOT / "eval" / "dev"
DEFAULT_SHARED = ROOT.parent / "shared"


class DevSetError(Exception):
    """The dev-set annotations do not fit the corpus text (moved offsets, changed article)."""


def sha1(text: str) -> str:
    """Hex sha1 of the UTF-8 bytes of ``text``."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def dev_ids(dev_dir: Path) -> list[str]:
    """Corpus ids listed in ``articles.txt`` (blank lines and ``#`` comments skipped)."""
    lines = (dev_dir / "articles.txt").read_text(encoding="utf-8").splitlines()
    return [x.strip() for x in lines if x.strip() and not x.startswith("#")]


def corpus_records(corpus: Path, ids: list[str]) -> dict[str, dict[str, Any]]:
    """The corpus records whose id is in ``ids``; raises DevSetError when one is missing."""
    wanted, found = set(ids), {}
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        for line in f:
            if '"id"' not in line:
                continue
            record = json.loads(line)
            if record.get("id") in wanted:
                found[record["id"]] = record
                if len(found) == len(wanted):
                    break
    missing = wanted - found.keys()
    if missing:
        raise DevSetError(f"set articles not in {corpus}: {sorted(missing)}")
    return found


def full_gold(stored: dict[str, Any], record: dict[str, Any], *, fragments: bool = True) -> dict[str, Any]:
    """The FORMAT.md gold object for one article: stored annotations plus texts cut from the corpus record.

    A reported-speech claim holding a short quoted phrase ('said there is a "good chance" ...') carries a
    ``fragment``: with ``fragments`` the claim is that quoted phrase, kind ``mixed`` (FORMAT.md read literally);
    without, it is the whole content clause, kind ``indirect`` (how the annotator first marked it).
    Raises DevSetError when the article text or a claim text does not match its stored sha1."""
    text = record["text"]
    aid = stored["article"]["id"]
    if sha1(text) != stored["article"]["text_sha1"]:
        raise DevSetError(f"{aid}: corpus text changed since annotation (sha1 differs)")
    claims = []
    for c in stored["claims"]:
        if fragments and "fragment" in c:
            c = c | c["fragment"] | {"kind": "mixed"}
        span = text[c["start"]:c["end"]]
        if sha1(span) != c["sha1"]:
            raise DevSetError(f"{aid}: claim at {c['start']}:{c['end']} does not match its sha1")
        claims.append({k: v for k, v in c.items() if k not in ("sha1", "fragment")} | {"text": span})
    article = {"id": aid, "published": record.get("published") or None, "title": record.get("title"),
               "publisher": record.get("publisher")}
    return {"article": article, "entities": stored["entities"], "claims": claims}


def check_set(set_dir: Path, ids: list[str], records: dict[str, dict[str, Any]]) -> str:
    """Rebuild every gold file of a set under both readings of quoted phrases; a report of the counts by kind.

    Raises DevSetError when an article or claim text does not match its sha1, a speaker is not a listed entity,
    or an article is listed twice."""
    if len(set(ids)) != len(ids):
        raise DevSetError(f"{set_dir}/articles.txt lists an id twice")
    lines, totals = [], {"fragment": Counter(), "clause": Counter()}
    lines.append(f"{'article':18s} {'publisher':22s} {'claims':>6s}  by kind (phrases as fragments)")
    for aid in ids:
        stored = json.loads((set_dir / f"{aid}.gold.json").read_text(encoding="utf-8"))
        if stored["article"]["id"] != aid:
            raise DevSetError(f"{aid}.gold.json: article id is {stored['article']['id']!r}")
        known = {e["id"] for e in stored["entities"]}
        unknown = sorted({c["speaker"] for c in stored["claims"]} - known)
        if unknown:
            raise DevSetError(f"{aid}: speakers not among the entities: {unknown}")
        per_mode = {mode: Counter(c["kind"] for c in full_gold(stored, records[aid],
                                                               fragments=mode == "fragment")["claims"])
                    for mode in totals}
        for mode, counts in per_mode.items():
            totals[mode] += counts
        kinds = per_mode["fragment"]
        pub = (records[aid].get("publisher") or "")[:22]
        lines.append(f"{aid:18s} {pub:22s} {len(stored['claims']):6d}  "
                     + ", ".join(f"{k} {kinds[k]}" for k in ("direct", "indirect", "mixed")))
    n = sum(totals["fragment"].values())
    nfrag = sum(1 for aid in ids for c in json.loads((set_dir / f"{aid}.gold.json").read_text(encoding="utf-8"))
                ["claims"] if "fragment" in c)
    lines.append(f"ok: {len(ids)} articles, {n} claims, every sha1 verified ({nfrag} claims with a quoted-phrase "
                 "fragment)")
    for mode, kinds in totals.items():
        lines.append(f"by kind, quoted phrases as {mode}s: "
                     + ", ".join(f"{k} {kinds[k]}" for k in ("direct", "indirect", "mixed")))
    return "\n".join(lines)


def run_extract(articles: Path, pred: Path) -> None:
    """Run ``kg extract`` on the JSON Lines ``articles``, writing ``pred``; raises CalledProcessError on failure."""
    kg = Path(sys.executable).with_name("kg")
    subprocess.run([str(kg), "extract", str(articles), "-o", str(pred)], check=True)


def score(shared: Path, gold_dir: Path, pred: Path, iou: float) -> tuple[str, dict[str, Any]]:
    """score.py's text summary and its JSON result."""
    cmd = [sys.executable, str(shared / "eval" / "score.py"), "--gold", str(gold_dir), "--pred", str(pred),
           "--iou", str(iou)]
    text = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    result = json.loads(subprocess.run([*cmd, "--json"], check=True, capture_output=True, text=True).stdout)
    return text, result


def prf(tp: int, npred: int, ngold: int) -> tuple[float, float, float]:
    """Precision, recall, F1 from counts."""
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--pred", type=Path, help="score these predictions (JSON Lines) instead of running kg extract")
    ap.add_argument("--keep", type=Path, help="write gold, articles and predictions here")
    ap.add_argument("--iou", type=float, default=0.5)
    ap.add_argument("--quoted-phrases", choices=("fragment", "clause"), default="fragment",
                    help="gold span of reported speech holding a short quoted phrase: the phrase (mixed, the "
                         "default) or the whole content clause (indirect)")
    ap.add_argument("--set", dest="set_dir", type=Path, default=DEV_DIR,
                    help="folder of the annotated set (articles.txt, <id>.gold.json); default eval/dev")
    ap.add_argument("--check", action="store_true",
                    help="only rebuild the gold from the corpus, verify every sha1 and print the counts by kind; "
                         "does not run kg extract")
    ap.add_argument("--folds", action="store_true", help="score the claim gate leaving one set out (see above)")
    ap.add_argument("--train-gate", type=Path, metavar="PATH", help="train the claim gate on every set, write PATH")
    ap.add_argument("--beta", type=float, default=0.5, help="the F-beta the gate's threshold maximises (0.5)")
    ap.add_argument("--floor", type=float, help="choose the gate's threshold as the lowest reaching this precision")
    ap.add_argument("--cache", type=Path, default=None, help="where --folds keeps extracted claims "
                                                             "(default ~/.cache/claimgraph/claim-gate)")
    ap.add_argument("--refresh", action="store_true", help="with --folds: extract again and rewrite the cache")
    a = ap.parse_args()
    if a.folds or a.train_gate:
        return gate_folds(a)
    set_dir = a.set_dir if a.set_dir.is_absolute() or a.set_dir.exists() else ROOT / a.set_dir
    corpus = a.shared / "corpus" / "news-37k.jsonl.gz"
    if not corpus.is_file() or not (a.shared / "eval" / "score.py").is_file():
        print(f"skipped: shared data not found at {a.shared} (needs corpus/news-37k.jsonl.gz and eval/score.py)")
        return 0

    ids = dev_ids(set_dir)
    records = corpus_records(corpus, ids)
    if a.check:
        print(check_set(set_dir, ids, records))
        return 0
    with tempfile.TemporaryDirectory(prefix="kg-dev-eval-") as tmp:
        work = a.keep or Path(tmp)
        gold_dir = work / "gold"
        gold_dir.mkdir(parents=True, exist_ok=True)
        for aid in ids:
            stored = json.loads((set_dir / f"{aid}.gold.json").read_text(encoding="utf-8"))
            gold = full_gold(stored, records[aid], fragments=a.quoted_phrases == "fragment")
            (gold_dir / f"{aid}.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1), encoding="utf-8")
        articles = work / "articles.jsonl"
        articles.write_text("".join(json.dumps(records[i], ensure_ascii=False) + "\n" for i in ids),
                            encoding="utf-8")
        pred = a.pred or work / "pred.jsonl"
        if not a.pred:
            run_extract(articles, pred)
        summary, result = score(a.shared, gold_dir, pred, a.iou)

    try:
        shown = set_dir.resolve().relative_to(ROOT)
    except ValueError:
        shown = set_dir
    label = "dev" if set_dir.resolve() == DEV_DIR else set_dir.name
    print(f"{label} set: {len(ids)} articles, {result['gold']} hand-annotated claims ({shown}/), "
          f"quoted phrases in reported speech scored as: {a.quoted_phrases}")
    print(summary, end="")
    print(f"\n{'article':18s} {'publisher':22s} {'gold':>4s} {'pred':>4s} {'span F1':>7s} {'attr F1':>7s}")
    for aid in ids:
        v = result["per_article"][aid]
        pub = (records[aid].get("publisher") or "")[:22]
        sf = prf(v["span_tp"], v["pred"], v["gold"])[2]
        af = prf(v["attr_tp"], v["pred"], v["gold"])[2]
        print(f"{aid:18s} {pub:22s} {v['gold']:4d} {v['pred']:4d} {sf:7.3f} {af:7.3f}")
    return 0


def gate_folds(a: argparse.Namespace) -> int:
    """``--folds`` and ``--train-gate``: the claim gate measured and trained on the annotated sets as folds."""
    import claim_folds

    corpus = a.shared / "corpus" / "news-37k.jsonl.gz"
    if not corpus.is_file():
        print(f"skipped: shared data not found at {a.shared} (needs corpus/news-37k.jsonl.gz)")
        return 0
    dirs = {n: ROOT / "eval" / n for n in claim_folds.SETS}
    ids = {n: dev_ids(d) for n, d in dirs.items()}
    records = corpus_records(corpus, sorted({i for v in ids.values() for i in v}))
    sets = {}
    for n, d in dirs.items():
        gold = {aid: full_gold(json.loads((d / f"{aid}.gold.json").read_text(encoding="utf-8")), records[aid])
                for aid in ids[n]}
        sets[n] = claim_folds.extract_set(d, gold, records, a.cache or claim_folds.CACHE, a.refresh)
        print(f"eval/{n}: {len(gold)} articles, {sum(len(v['claims']) for v in gold.values())} gold claims, "
              f"{sum(len(v['claims']) for v in sets[n].predicted.values())} extracted", flush=True)
    if a.folds:
        claim_folds.run_folds(sets, a.iou, a.beta, a.floor)
    if a.train_gate:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True).stdout.strip() or "?"
        command = "python benchmarks/dev_eval.py --train-gate " + str(a.train_gate) + \
            (f" --floor {a.floor}" if a.floor is not None else f" --beta {a.beta}")
        gate = claim_folds.write_trained(sets, a.train_gate, a.iou, a.beta, a.floor, command, commit)
        print(f"wrote {a.train_gate}: threshold {gate.threshold:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
