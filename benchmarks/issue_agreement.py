#!/usr/bin/env python3
"""How far two annotators agree on the issue tags of the same claims: pairwise P/R/F1, Cohen's kappa, confusions.

    python benchmarks/issue_agreement.py A_DIR B_DIR [--portion all|dev|test] [--exclude-marked FIELD]
                                         [--top 15] [--bootstrap 1000] [--tagger] [--shared ../shared]

A_DIR and B_DIR hold ``<article>.issues.json`` files of the shape of eval/issues*/ (per claim its start, end, sha1
and ``issues``, slugs of ontology/issues.ttl); eval/issues4/agreement/README.md describes the second annotator's
files. Claims are matched on (article, start, end) and must be the same claims on both sides (same sha1s), or the
script stops naming the first difference. It prints:

* precision, recall and F1 of B against A over (claim, issue) pairs (B's pair is right where A has it too), and so
  of A against B (precision and recall swap, F1 is the same), overall and per concept;
* Cohen's kappa per concept, over the claims, of "the claim has this concept" (undefined, "-", where neither
  annotator ever gave it); overall, kappa of the pooled claim × concept table over the concepts either annotator
  gave, and the mean of the per-concept kappas;
* 95 % intervals of B-against-A P, R, F1 and the pooled kappa from ``--bootstrap`` resamples of the articles
  (their claims are not independent; seeded, so the figures repeat);
* agreement on "no issue": claims both left empty, either left empty alone, and its kappa; claims with the very
  same set of issues;
* the most frequent disagreements: per claim every concept only A gave paired with every concept only B gave (or
  with nothing, where the other gave nothing more), the relation of the two named from ``skos:broader`` in
  ontology/issues.ttl (B narrower or broader than A, siblings under one broader concept, or unrelated).

``--exclude-marked FIELD`` leaves out the claims whose record on either side has FIELD true (the second
annotator's ``readme_case``: claims whose tag the set's README quotes). ``--tagger`` also runs the extractor on the
articles (the corpus from ``--shared``) and scores its tags, as benchmarks/issue_tags.py does, against A, against B
and against the claims on which A and B give the same set, side by side in one run.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.issue_tags import load_set, report, score  # noqa: E402


class BadTags(ValueError):
    """Two tag sets that cannot be compared: unreadable, empty, or not over the same claims."""


@dataclass(frozen=True)
class Tagged:
    """One claim with the issues each annotator gave it."""

    article: str
    start: int
    end: int
    sha1: str
    a: frozenset[str]
    b: frozenset[str]


Key = tuple[str, int, int]


def _claims(folder: Path, portion: str, exclude: str | None) -> tuple[dict[Key, dict[str, Any]], set[Key]]:
    """The claims of ``folder`` by (article, start, end), and the keys marked ``exclude``."""
    if not folder.is_dir():
        raise BadTags(f"{folder}: no such folder")
    try:
        records = load_set(folder, portion)
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError) as e:
        raise BadTags(f"{folder}: an .issues.json file is not a tag file ({e})") from e
    if not records:
        raise BadTags(f"{folder}: no .issues.json file of portion {portion!r}")
    claims: dict[Key, dict[str, Any]] = {}
    marked: set[Key] = set()
    for r in records:
        for c in r["claims"]:
            key = (r["article"], c["start"], c["end"])
            if not isinstance(c.get("issues"), list):
                raise BadTags(f"{folder}: {r['article']} claim {c['start']}-{c['end']} has no issues list")
            claims[key] = c
            if exclude and c.get(exclude):
                marked.add(key)
    return claims, marked


def align(a_dir: Path, b_dir: Path, portion: str = "all", exclude: str | None = None,
          known: frozenset[str] | None = None) -> tuple[list[Tagged], int]:
    """The claims of both folders side by side, in article and text order, and how many were excluded."""
    a, a_marked = _claims(a_dir, portion, exclude)
    b, b_marked = _claims(b_dir, portion, exclude)
    for only, here, there in ((set(a) - set(b), a_dir, b_dir), (set(b) - set(a), b_dir, a_dir)):
        if only:
            art, start, end = min(only)
            raise BadTags(f"{len(only)} claims of {here} are not in {there}, first {art} {start}-{end}")
    tagged = []
    for key in sorted(a):
        if a[key]["sha1"] != b[key]["sha1"]:
            raise BadTags(f"{key[0]} claim {key[1]}-{key[2]}: the two files give different sha1s")
        for folder, c in ((a_dir, a[key]), (b_dir, b[key])):
            unknown = set(c["issues"]) - known if known is not None else set()
            if unknown:
                raise BadTags(f"{folder}: {key[0]} claim {key[1]}-{key[2]}: {sorted(unknown)} not in the taxonomy")
        if key not in a_marked | b_marked:
            tagged.append(Tagged(*key, a[key]["sha1"], frozenset(a[key]["issues"]), frozenset(b[key]["issues"])))
    return tagged, len(a_marked | b_marked)


def cohen_kappa(both: int, a_only: int, b_only: int, neither: int) -> float | None:
    """Cohen's kappa of a 2 x 2 table of two raters' yes/no; None where chance agreement is total."""
    n = both + a_only + b_only + neither
    if not n:
        return None
    p_a, p_b = (both + a_only) / n, (both + b_only) / n
    expected = p_a * p_b + (1 - p_a) * (1 - p_b)
    if expected == 1:
        return None
    return ((both + neither) / n - expected) / (1 - expected)


def concept_table(claims: list[Tagged], concept: str) -> tuple[int, int, int, int]:
    """(both, A only, B only, neither) over the claims for ``concept``."""
    both = sum(concept in c.a and concept in c.b for c in claims)
    a_only = sum(concept in c.a and concept not in c.b for c in claims)
    b_only = sum(concept in c.b and concept not in c.a for c in claims)
    return both, a_only, b_only, len(claims) - both - a_only - b_only


def pooled_kappa(claims: list[Tagged], concepts: list[str]) -> float | None:
    """Kappa of the claim × concept table pooled over ``concepts``."""
    tables = [concept_table(claims, c) for c in concepts]
    return cohen_kappa(*(sum(t[i] for t in tables) for i in range(4)))


def no_issue_table(claims: list[Tagged]) -> tuple[int, int, int, int]:
    """(both empty, A only empty, B only empty, neither empty)."""
    both = sum(not c.a and not c.b for c in claims)
    a_only = sum(not c.a and bool(c.b) for c in claims)
    b_only = sum(bool(c.a) and not c.b for c in claims)
    return both, a_only, b_only, len(claims) - both - a_only - b_only


def prf(tp: int, gold: int, predicted: int) -> tuple[float | None, float | None, float | None]:
    """Precision, recall and F1 (None where undefined)."""
    p = tp / predicted if predicted else None
    r = tp / gold if gold else None
    f = 2 * tp / (gold + predicted) if gold + predicted else None
    return p, r, f


def _point(claims: list[Tagged]) -> dict[str, float | None]:
    a_pairs, b_pairs = sum(len(c.a) for c in claims), sum(len(c.b) for c in claims)
    p, r, f = prf(sum(len(c.a & c.b) for c in claims), a_pairs, b_pairs)
    return {"P": p, "R": r, "F1": f, "kappa": pooled_kappa(claims, sorted(set().union(*(c.a | c.b for c in claims))))}


def bootstrap(claims: list[Tagged], samples: int, seed: str = "claimgraph-issue-agreement"
              ) -> dict[str, tuple[float, float]]:
    """95 % percentile intervals of B-against-A P, R, F1 and pooled kappa, resampling articles with replacement
    (the claims of one article are not independent: they share its subject and its reading)."""
    rng = random.Random(seed)
    by_article: dict[str, list[Tagged]] = {}
    for c in claims:
        by_article.setdefault(c.article, []).append(c)
    groups = list(by_article.values())
    values: dict[str, list[float]] = {"P": [], "R": [], "F1": [], "kappa": []}
    for _ in range(samples):
        sample = [c for _ in groups for c in groups[rng.randrange(len(groups))]]
        for name, v in _point(sample).items():
            if v is not None:
                values[name].append(v)
    out = {}
    for name, vs in values.items():
        if vs:
            vs.sort()
            out[name] = (vs[int(0.025 * (len(vs) - 1))], vs[round(0.975 * (len(vs) - 1))])
    return out


def relation(a: str | None, b: str | None, broader: dict[str, frozenset[str]],
             parents: dict[str, frozenset[str]]) -> str:
    """How B's concept stands to A's, from skos:broader."""
    if a is None:
        return "B only"
    if b is None:
        return "A only"
    if a in broader.get(b, frozenset()):
        return "B narrower"
    if b in broader.get(a, frozenset()):
        return "B broader"
    common = parents.get(a, frozenset()) & parents.get(b, frozenset())
    return f"siblings under {min(common)}" if common else "unrelated"


def confusions(claims: list[Tagged]) -> Counter[tuple[str | None, str | None]]:
    """Per claim, each concept only A gave paired with each only B gave, or with None where the other has none."""
    out: Counter[tuple[str | None, str | None]] = Counter()
    for c in claims:
        a_only, b_only = sorted(c.a - c.b), sorted(c.b - c.a)
        out.update((x, y) for x in a_only or [None] for y in b_only or [None] if x or y)
    return out


def _f(x: float | None) -> str:
    return f"{x:.3f}" if x is not None else "  -  "


def print_agreement(claims: list[Tagged], excluded: int, a_dir: Path, b_dir: Path, top: int,
                    broader: dict[str, frozenset[str]], parents: dict[str, frozenset[str]], samples: int = 0) -> None:
    articles = len({c.article for c in claims})
    print(f"A = {a_dir}, B = {b_dir}: {len(claims)} claims of {articles} articles ({excluded} excluded)")
    a_pairs, b_pairs = sum(len(c.a) for c in claims), sum(len(c.b) for c in claims)
    tp = sum(len(c.a & c.b) for c in claims)
    for name, pairs, tagged in (("A", a_pairs, sum(bool(c.a) for c in claims)),
                                ("B", b_pairs, sum(bool(c.b) for c in claims))):
        print(f"  {name}: {pairs} claim-issue pairs, {tagged} claims with an issue, {len(claims) - tagged} with none")
    p, r, f = prf(tp, a_pairs, b_pairs)
    print(f"B against A: P {_f(p)}  R {_f(r)}  F1 {_f(f)}   ({tp} pairs in both)")
    print(f"A against B: P {_f(r)}  R {_f(p)}  F1 {_f(f)}")
    same = sum(c.a == c.b for c in claims)
    print(f"same set of issues: {same} of {len(claims)} claims ({_f(same / len(claims) if claims else None)})")
    used = sorted(set().union(*(c.a | c.b for c in claims)))
    tables = {concept: concept_table(claims, concept) for concept in used}
    kappas = [k for k in (cohen_kappa(*t) for t in tables.values()) if k is not None]
    print(f"kappa, pooled claim x concept over the {len(used)} concepts either gave: {_f(pooled_kappa(claims, used))};"
          f" mean of per-concept kappas: {_f(sum(kappas) / len(kappas) if kappas else None)}")
    if samples and claims:
        ci = bootstrap(claims, samples)
        print(f"95% intervals ({samples} bootstrap resamples of the articles): "
              + ", ".join(f"{k} [{_f(lo)}, {_f(hi)}]" for k, (lo, hi) in ci.items()))
    empty = no_issue_table(claims)
    print(f"no issue: both {empty[0]}, A only {empty[1]}, B only {empty[2]} (of {len(claims)});"
          f" kappa {_f(cohen_kappa(*empty))}")
    print(f"\n{'concept':30} {'A':>4} {'B':>4} {'both':>4} {'P(B|A)':>7} {'R(B|A)':>7} {'F1':>6} {'kappa':>6}")
    for concept in sorted(used, key=lambda x: (-(tables[x][0] + tables[x][1]), x)):
        both, a_only, b_only, _ = tables[concept]
        p, r, f = prf(both, both + a_only, both + b_only)
        print(f"{concept:30} {both + a_only:4d} {both + b_only:4d} {both:4d} {_f(p):>7} {_f(r):>7} {_f(f):>6}"
              f" {_f(cohen_kappa(*tables[concept])):>6}")
    print(f"\nmost frequent disagreements (of {sum(c.a != c.b for c in claims)} claims whose sets differ):")
    print(f"{'n':>4}  {'A gave':28} {'B gave':28} relation")
    for (x, y), n in sorted(confusions(claims).items(), key=lambda kv: (-kv[1], str(kv[0])))[:top]:
        print(f"{n:4d}  {x or '(nothing more)':28} {y or '(nothing more)':28} {relation(x, y, broader, parents)}")


def print_tagger(claims: list[Tagged], shared: Path) -> None:
    """The extractor's tags scored against A, B and the claims A and B tag alike, from one extraction."""
    from benchmarks.issue_tags import corpus_articles, predicted_issues, sha1
    from kg.extract import Article, Extractor

    articles = corpus_articles(shared, {c.article for c in claims})
    extractor = Extractor()
    predicted: dict[tuple[str, int, int], set[str]] = {}
    for art_id in sorted({c.article for c in claims}):
        art = articles[art_id]
        for c in (c for c in claims if c.article == art_id and sha1(art["text"][c.start:c.end]) != c.sha1):
            raise BadTags(f"{art_id} claim {c.start}-{c.end}: the corpus text no longer has the annotated sha1")
        extraction = extractor.extract(Article(id=art["id"], text=art["text"], title=art.get("title"),
                                               publisher=art.get("publisher"), published=art.get("published")))
        for c in (c for c in claims if c.article == art_id):
            predicted[(c.article, c.start, c.end)] = set(
                predicted_issues({"start": c.start, "end": c.end}, extraction.claims) or ())
    consensus = [c for c in claims if c.a == c.b]
    for name, rows in (("A", [(set(c.a), c) for c in claims]), ("B", [(set(c.b), c) for c in claims]),
                       ("A = B (claims both tag alike)", [(set(c.a), c) for c in consensus])):
        print(f"\ntagger against {name}:")
        report(*score([(gold, predicted[(c.article, c.start, c.end)]) for gold, c in rows]), len(rows))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("a", type=Path, help="folder of the first annotator's .issues.json files")
    ap.add_argument("b", type=Path, help="folder of the second annotator's .issues.json files")
    ap.add_argument("--portion", choices=("dev", "test", "all"), default="all")
    ap.add_argument("--exclude-marked", metavar="FIELD", help="leave out claims whose record has FIELD true")
    ap.add_argument("--top", type=int, default=15, help="disagreements to list (default 15)")
    ap.add_argument("--bootstrap", type=int, default=1000, metavar="N",
                    help="resamples for the 95%% intervals of P, R, F1 and kappa (default 1000; 0: none)")
    ap.add_argument("--tagger", action="store_true", help="also score the extractor's tags against A, B and A = B")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    a = ap.parse_args()
    from kg.extract.issues import load_taxonomy

    taxonomy = load_taxonomy()
    try:
        claims, excluded = align(a.a, a.b, a.portion, a.exclude_marked, frozenset(taxonomy.labels))
    except BadTags as e:
        print(f"issue_agreement: {e}", file=sys.stderr)
        return 2
    print_agreement(claims, excluded, a.a, a.b, a.top, taxonomy.broader, taxonomy.parents,
                    a.bootstrap)
    if a.tagger:
        if not (a.shared / "corpus" / "news-37k.jsonl.gz").exists():
            print(f"\ntagger skipped: {a.shared}/corpus/news-37k.jsonl.gz is absent")
        else:
            try:
                print_tagger(claims, a.shared)
            except BadTags as e:
                print(f"issue_agreement: {e}", file=sys.stderr)
                return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
