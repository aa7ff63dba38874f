#!/usr/bin/env python3
"""Issue tags against the hand-tagged claims of eval/issues/: per-issue and overall precision and recall.

    python benchmarks/issue_tags.py [--portion dev|test|all] [--set eval/issues] [--shared ../shared] [--errors]
    python benchmarks/issue_tags.py --seed [--shared ../shared] [--errors]
    python benchmarks/issue_tags.py --folds                       # leave one set out, rules and rules + gate
    python benchmarks/issue_tags.py --train-gate kg/extract/issue_gate.tsv   # the shipped gate, from all eight
    python benchmarks/issue_tags.py --set eval/issues8 --portion all --gate kg/extract/issue_gate.tsv

eval/issues/ holds, per article, the claims as offsets and sha1s with the issues a person tagged them with (no
corpus text; eval/issues/README.md). This script reads the articles from ``<shared>/corpus/news-37k.jsonl.gz``,
checks every sha1, runs the extractor on them and compares each tagged claim's ``issues`` with the tags. A tagged
claim the extractor no longer returns with the same offsets is matched to the extracted claim overlapping it most
(IoU >= 0.5); one with no such claim counts as tagged with nothing, and is reported. Precision and recall are
micro-averaged over (claim, issue) pairs. ``--errors`` prints every disagreement. The extractor runs once per set:
what the tagger reads of each claim (its Evidence) is cached (``--cache``, ``--refresh``, ``--no-cache``), so a
change of the tagger's own files is scored in seconds. ``--folds`` takes the nine sets (eval/issues ..
eval/issues9) as folds: for each, the learned gate (kg/extract/issue_gate.py) is trained on the other eight and
scores it, beside the rules alone, with per-set and pooled figures. Every set has been read: the test portion of
eval/issues was scored blind once (5345f9b), eval/issues2 at 5d3c105, eval/issues3 at 041b188, eval/issues4 at
b899c00, eval/issues5 at 14bf0b3, eval/issues6 at 2bf6aa5, eval/issues7 at c1b3c58, eval/issues8 at fab1bab and
eval/issues9 at a0ee803, and each one's errors were read in the session after (eval/issues9's in the eleventh).
The blind estimate is a set nobody has read. ``--seed`` scores the issues of the seed article's gold claims
(``<shared>/seed/nafta-talks-2018.gold.json``, the article in ``nafta-talks-2018.json``) instead of a set. Without
``../shared`` it prints "skipped" and exits 0.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any, NamedTuple

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


def _best(gold: dict[str, Any], spans: list[tuple[int, int]]) -> int | None:
    """The index of the extracted span at the tagged claim's offsets (or overlapping it most, IoU >= 0.5)."""
    span = (gold["start"], gold["end"])
    best = max(range(len(spans)), key=lambda i: _iou(span, spans[i]), default=None)
    return None if best is None or _iou(span, spans[best]) < 0.5 else best


def predicted_issues(gold: dict[str, Any], claims: list[Any]) -> list[str] | None:
    """The issues of the extracted claim at the tagged claim's offsets (or overlapping it most, IoU >= 0.5)."""
    best = _best(gold, [(c.start, c.end) for c in claims])
    return None if best is None else list(claims[best].issues)


# The cache of what the tagger reads: per article its title, text and each extracted claim's Evidence, so that a
# change of the tagger is scored without parsing again. It is keyed by the digest of the extraction's sources other
# than the tagger's own (kg/extract/issue*.py, ontology/issues.ttl) and of the set's files; ``--refresh`` rebuilds
# it. One thing in it reads the taxonomy: a person's name that is an issue's cue ("Brexit") is not blanked from a
# claim's clause, as the taxonomy stood when the cache was built.
CACHE = Path.home() / ".cache" / "claimgraph" / "issue-tags"


def _sources_digest(set_dir: Path | None) -> str:
    digest = hashlib.sha1()
    files = sorted(p for p in (ROOT / "kg" / "extract").rglob("*") if p.is_file() and not p.name.startswith("issue")
                   and p.suffix in (".py", ".tsv", ".json", ".txt") and "__pycache__" not in p.parts)
    files += sorted(set_dir.glob("*.issues.json")) if set_dir else []
    for f in files:
        digest.update(f.name.encode())
        digest.update(f.read_bytes())
    return digest.hexdigest()[:16]


def set_evidence(records: list[dict[str, Any]], articles: dict[str, dict[str, Any]], name: str,
                 cache: Path | None, refresh: bool = False, set_dir: Path | None = None) -> dict[str, Any]:
    """Per article id: its title, text and ``claims`` (start, end and the Evidence fields of each extracted claim),
    from the cache when it fits, else by running the extractor (and then written to the cache)."""
    path = cache / f"{name}-{_sources_digest(set_dir)}.json" if cache else None
    if path and path.exists() and not refresh:
        kept: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return kept
    from dataclasses import asdict

    from kg.extract import Article, Extractor
    from kg.extract.issues import claim_evidence, tag_evidence

    seen: list[tuple[int, int, Any]] = []

    def recording(taxonomy: Any, doc: Any, claim: Any, about: Any) -> list[str]:
        evidence = claim_evidence(doc, claim, taxonomy)
        seen.append((claim.start, claim.end, evidence))
        return tag_evidence(taxonomy, evidence, about)

    # the extractor's own call, recorded (the package's name "assemble" is the function: take the module)
    sys.modules["kg.extract.assemble"].tag_claim = recording  # type: ignore[attr-defined]
    extractor = Extractor()
    out: dict[str, Any] = {}
    for record in records:
        art = articles[record["article"]]
        seen.clear()
        extractor.extract(Article(id=art["id"], text=art["text"], title=art.get("title"),
                                  publisher=art.get("publisher"), published=art.get("published")))
        out[art["id"]] = {"title": art.get("title"), "text": art["text"],
                          "claims": [{"start": s, "end": e, **asdict(ev)} for s, e, ev in seen]}
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(out), encoding="utf-8")
    return out


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


SETS = ("issues", "issues2", "issues3", "issues4", "issues5", "issues6", "issues7", "issues8", "issues9")


def load_scored(set_dir: Path | None, portion: str, shared: Path, cache: Path | None,
                refresh: bool = False) -> list[Scored]:
    """Every tagged claim of a set (or the seed, ``set_dir`` None) with the Evidence the extractor gives it."""
    from kg.extract.issues import Evidence

    if set_dir is None:
        records, articles = seed_set(shared)
    else:
        records = load_set(set_dir, "all")
        articles = corpus_articles(shared, {r["article"] for r in records})
        for record in records:
            check(record, articles[record["article"]])
    name = "seed" if set_dir is None else set_dir.name
    cached = set_evidence(records, articles, name, cache, refresh, set_dir)
    out = []
    for record in records:
        if set_dir is not None and portion != "all" and record.get("portion") != portion:
            continue
        art = cached[record["article"]]
        claims = art["claims"]
        for gold in record["claims"]:
            best = _best(gold, [(c["start"], c["end"]) for c in claims])
            evidence = None
            if best is not None:
                fields = {k: v for k, v in claims[best].items() if k not in ("start", "end")}
                fields = {k: tuple(v) if isinstance(v, list) else v for k, v in fields.items()}
                evidence = Evidence(**fields)
            out.append(Scored(name, record["order"], record["article"], art["title"], art["text"], gold, evidence))
    return out


class Scored(NamedTuple):
    """One tagged claim: where it is, its gold issues and what the tagger reads of it (None: no longer extracted)."""

    set: str
    order: int
    article: str
    title: str | None
    text: str
    gold: dict[str, Any]
    evidence: Any


def tag_all(items: list[Scored], gate: Any = None) -> list[set[str]]:
    """The tagger's issues for each item (``gate``: an IssueGate that keeps the candidates it trusts)."""
    from kg.extract.issues import article_issues, load_taxonomy, tag_evidence

    taxonomy = load_taxonomy()
    about: dict[str, Any] = {}
    out: list[set[str]] = []
    for item in items:
        if item.evidence is None:
            out.append(set())
            continue
        if item.article not in about:
            about[item.article] = article_issues(taxonomy, item.text, item.title)
        out.append(set(tag_evidence(taxonomy, item.evidence, about[item.article], gate=gate)
                       if gate is not None else tag_evidence(taxonomy, item.evidence, about[item.article])))
    return out


def gate_folds(scored: dict[str, list[Scored]]) -> dict[str, Any]:
    """Each set as a Fold of the gate: the rules' proposals for its claims as candidates, and which are gold."""
    from kg.extract.issue_gate import candidates
    from kg.extract.issue_gate_fit import Fold
    from kg.extract.issues import article_issues, load_taxonomy

    taxonomy = load_taxonomy()
    folds = {}
    about: dict[str, Any] = {}
    for name, items in scored.items():
        proposed = tag_all(items)
        cands, right = [], []
        for item, tags in zip(items, proposed, strict=True):
            if item.evidence is None or not tags:
                continue
            if item.article not in about:
                about[item.article] = article_issues(taxonomy, item.text, item.title)
            for c in candidates(taxonomy, item.evidence, about[item.article], sorted(tags)):
                cands.append(c)
                right.append(c.issue in item.gold["issues"])
        folds[name] = Fold(cands, right, sum(len(i.gold["issues"]) for i in items))
    return folds


def _figures(items: list[Scored], predicted: list[set[str]]) -> tuple[int, int, int]:
    """Predicted, correct and gold pairs."""
    pairs = [(set(i.gold["issues"]), p) for i, p in zip(items, predicted, strict=True)]
    return sum(len(p) for _, p in pairs), sum(len(g & p) for g, p in pairs), sum(len(g) for g, _ in pairs)


def _row(label: str, figures: tuple[int, int, int]) -> str:
    predicted, correct, gold = figures
    ratios = f"{_ratio(correct, predicted):>6} {_ratio(correct, gold):>6}"
    return f"{label:22} {predicted:5d} {correct:5d} {gold:5d} {ratios}"


FIXED_THRESHOLDS = (0.7, 0.8, 0.85, 0.9)


def run_folds(scored: dict[str, list[Scored]], beta: float) -> None:
    """Leave one set out: the gate trained on the other sets scores the set left out; rules alone beside it."""
    from kg.extract.issue_gate_fit import train_gate

    folds = gate_folds(scored)
    print(f"{'set':22} {'pred':>5} {'right':>5} {'gold':>5} {'P':>6} {'R':>6}   (rules, then rules + gate)")
    from dataclasses import replace

    pooled: dict[str, list[int]] = {"rules": [0, 0, 0], "gate": [0, 0, 0]}
    fixed: dict[float, list[int]] = {t: [0, 0, 0] for t in FIXED_THRESHOLDS}
    for name, items in scored.items():
        gate = train_gate({n: f for n, f in folds.items() if n != name}, beta=beta)
        for label, predicted in (("rules", tag_all(items)), ("gate", tag_all(items, gate))):
            figures = _figures(items, predicted)
            pooled[label] = [a + b for a, b in zip(pooled[label], figures, strict=True)]
            print(_row(f"{name} {label}" + (f" (t={gate.threshold:.2f})" if label == "gate" else ""), figures))
        for t in FIXED_THRESHOLDS:
            figures = _figures(items, tag_all(items, replace(gate, threshold=t)))
            fixed[t] = [a + b for a, b in zip(fixed[t], figures, strict=True)]
    for label, total in pooled.items():
        print(_row(f"pooled {label}", (total[0], total[1], total[2])))
    for t, total in fixed.items():  # what a stricter gate would cost, each set scored by the gate it did not train
        print(_row(f"pooled gate at t={t:.2f}", (total[0], total[1], total[2])))


def write_trained(scored: dict[str, list[Scored]], path: Path, beta: float) -> None:
    """Train the gate on every set and write it to ``path``, with a header saying how it was made."""
    import subprocess
    import time

    from kg.extract.issue_gate import write_gate
    from kg.extract.issue_gate_fit import train_gate

    started = time.perf_counter()
    folds = gate_folds(scored)
    gate = train_gate(folds, beta=beta)
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, check=False).stdout.strip()
    write_gate(gate, path, [
        "The issue gate (kg/extract/issue_gate.py): written by",
        f"python benchmarks/issue_tags.py --train-gate {path} --beta {beta}",
        f"from {', '.join(f'eval/{n} ({len(f.candidates)} candidates)' for n, f in folds.items())}, at {commit}.",
        "Lines: threshold, bias, overall base rate; weight <feature> <weight> <mean> <scale>;",
        "cue|issue <key> <right> <proposed> (the base rates on the sets).",
    ])
    print(f"wrote {path}: threshold {gate.threshold:.2f}, {sum(len(f.candidates) for f in folds.values())} candidates,"
          f" {time.perf_counter() - started:.1f} s")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", type=Path, default=ROOT / "eval" / "issues")
    ap.add_argument("--portion", choices=("dev", "test", "all"), default="dev")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--errors", action="store_true", help="print each disagreement")
    ap.add_argument("--seed", action="store_true", help="score the seed article's gold claims instead of a set")
    ap.add_argument("--cache", type=Path, default=CACHE, help=f"where extracted claims are kept (default {CACHE})")
    ap.add_argument("--no-cache", action="store_true", help="extract again and keep nothing")
    ap.add_argument("--refresh", action="store_true", help="extract again and rewrite the cache")
    ap.add_argument("--folds", action="store_true",
                    help="leave one set out over eval/issues .. issues9: the gate trained on the rest scores it")
    ap.add_argument("--train-gate", type=Path, metavar="TSV",
                    help="train the gate on all nine sets and write it to TSV (kg/extract/issue_gate.tsv ships)")
    ap.add_argument("--gate", type=Path, metavar="TSV", help="score through the gate in TSV")
    ap.add_argument("--beta", type=float, default=0.5, help="the F-beta the gate's threshold maximises (0.5)")
    a = ap.parse_args()
    corpus = a.shared / ("seed" if a.seed else "corpus") / (SEED_GOLD if a.seed else "news-37k.jsonl.gz")
    if not corpus.exists():
        print(f"skipped: {corpus} is absent")
        return 0
    cache = None if a.no_cache else a.cache
    if a.folds or a.train_gate:
        scored = {name: load_scored(ROOT / "eval" / name, "all", a.shared, cache, a.refresh) for name in SETS}
        if a.folds:
            run_folds(scored, a.beta)
        if a.train_gate:
            write_trained(scored, a.train_gate, a.beta)
        return 0
    items = load_scored(None if a.seed else a.set, a.portion, a.shared, cache, a.refresh)
    gate = None
    if a.gate:
        from kg.extract.issue_gate import load_gate
        gate = load_gate(a.gate)
    predicted = tag_all(items, gate)
    pairs = [(set(i.gold["issues"]), p) for i, p in zip(items, predicted, strict=True)]
    if a.errors:
        for item, (gold, pred) in zip(items, pairs, strict=True):
            if gold != pred:
                text = item.text[item.gold["start"]:item.gold["end"]]
                print(f"#{item.order} {item.gold['start']}: gold {sorted(gold)} pred {sorted(pred)}"
                      f"\n    {' '.join(text.split())[:200]}")
    unmatched = sum(i.evidence is None for i in items)
    name = "the seed" if a.seed else f"{a.portion} portion of {a.set.name}"
    print(f"{name}: {len({i.article for i in items})} articles, {len(pairs)} claims ({unmatched} no longer extracted)")
    report(*score(pairs), len(pairs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
