#!/usr/bin/env python3
"""The entity audit of issue 11: people, their labels, types and the claims given to them, on real NAFTA articles.

    python benchmarks/entity_audit.py [--store /tmp/entity-audit] [--reingest] [--limit 200] [--match nafta]
                                      [--workers 1] [--shared ../shared] [--suspects 40] [--no-bcubed]

1. selects the first ``--limit`` lines of ``<shared>/corpus/news-37k.jsonl.gz`` holding ``--match``
   (case-insensitive) and ingests them with ``kg ingest`` into ``--store`` (a fresh folder; an existing store is
   reused unless ``--reingest``, so rerun with ``--reingest`` after changing extraction);
2. prints ``kg validate``'s violations; junk labels (furniture glued to names, repeated name words, handles,
   hashtags) as a share of people; organisations and photo credits typed as people; claims whose speaker is a
   person none of whose names occurs in the article; split duplicates of one person (same first name and surname
   once accents and middle names are set aside, or a nickname pair of ``kg/data/nicknames.tsv``); and lists the
   suspects of each kind;
3. scores cross-article speaker identity on the annotated sets (eval/dev, dev2, holdout, dev3): B-cubed over gold
   claims by named people that a predicted claim with a speaker matches (IoU >= 0.5, ``score.py``'s matching);
   gold speakers are one cluster per real person (``eval/speaker-identity.tsv`` joins the ids the sets' annotators
   gave one person), predicted clusters are speaker nodes.

People are the nodes typed cg:Person or cg:Official that some article mentions or quotes. Without the shared
folder the script says so and exits 0.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import shutil
import subprocess
import sys
from collections import defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from dev_eval import corpus_records, dev_ids, full_gold  # noqa: E402

from kg.entities import EntityRow, entity_rows, fold, initials, junk_label, organisation_form, surname  # noqa: E402
from kg.extract.identity import formal_given_name, parse_name  # noqa: E402
from kg.store import EmbeddedStore  # noqa: E402
from kg.validate import validate_store  # noqa: E402

SETS = ("eval/dev", "eval/dev2", "eval/holdout", "eval/dev3")
GOLD_IDENTITY = ROOT / "eval" / "speaker-identity.tsv"
_NOT_NAMED = frozenset({"a", "an", "the", "one", "another", "many", "more", "some", "several", "two", "three",
                        "senior", "top", "other", "his", "her", "their"})


def select(corpus: Path, match: str, limit: int, out: Path) -> int:
    """Write the first ``limit`` lines of ``corpus`` holding ``match`` (any case) to ``out``; their number."""
    n = 0
    with gzip.open(corpus, "rt", encoding="utf-8") as f, out.open("w", encoding="utf-8") as w:
        for line in f:
            if match.casefold() in line.casefold():
                w.write(line)
                n += 1
                if n == limit:
                    break
    return n


def ingest(articles: Path, store: Path, workers: int) -> None:
    kg = Path(sys.executable).parent / "kg"
    subprocess.run([str(kg), "ingest", str(articles), "--store", str(store), "--workers", str(workers),
                    "--no-progress"], check=False)


def given_and_surname(name: str) -> tuple[str, str] | None:
    """(formal given name, surname), folded, of a person's name of at least two words; middle names and initials
    set aside."""
    words = [w for w in name.replace(".", ". ").split() if w.strip(".")]
    if len(words) < 2:
        return None
    first = words[0].strip(".")
    if len(first) < 2:
        return None
    return formal_given_name(fold(first)), fold(surname(name))


def split_duplicates(people: list[EntityRow]) -> list[tuple[EntityRow, EntityRow]]:
    """Pairs of person nodes whose labels give the same (formal given name, surname), unless both labels carry
    middle initials and they differ, or one is a namesake that ``kg/extract/namesakes.tsv`` tells apart by its
    initials (George H. W. Bush, George W. Bush and a bare "George Bush" that names neither are three nodes)."""
    groups: dict[tuple[str, str], list[EntityRow]] = defaultdict(list)
    for p in people:
        key = given_and_surname(p.label)
        if key:
            groups[key].append(p)
    return [(a, b) for group in groups.values() for a, b in combinations(group, 2)
            if len(initials([a.label, b.label]) - {()}) < 2 and not (told_apart(a.label) or told_apart(b.label))]


def told_apart(label: str) -> bool:
    parsed = parse_name(label)
    return parsed is not None and parsed.told_apart


def claim_speakers_unseen(store: EmbeddedStore, people: dict[str, EntityRow]) -> tuple[int, int, list[str]]:
    """(claims by people, claims whose person speaker has no name in the article, examples)."""
    from kg.entities import _bodies, names_occur

    bodies = _bodies(store)
    rows = store.query("""PREFIX cg: <https://w3id.org/claimgraph/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?c ?s ?a WHERE { ?c cg:speaker ?s ; prov:wasDerivedFrom ?a }""")
    total, unseen, examples = 0, 0, []
    for r in rows:  # type: ignore[union-attr]
        person = people.get(r["s"].value)
        if person is None:
            continue
        total += 1
        if not names_occur(person.names(), bodies.get(r["a"].value, "")):
            unseen += 1
            examples.append(f"{person.label}  in {r['a'].value.rsplit('/', 1)[-1]}")
    return total, unseen, examples


def _share(n: int, d: int) -> str:
    return f"{n} of {d} ({100 * n / d:.2f} %)" if d else f"{n} of 0"


def audit_store(store_path: Path, show: int) -> None:
    with EmbeddedStore(store_path) as store:
        report = validate_store(store)
        print(f"kg validate: {'conforms' if report.conforms else 'does not conform'}, "
              f"{len(report.violations)} violation(s)")
        for v in report.violations[:show]:
            print(f"    {v.focus}  {v.path}  {v.message}")
        rows = entity_rows(store)
        people = [r for r in rows if r.is_person]
        by_iri = {p.iri: p for p in people}
        total, unseen, unseen_examples = claim_speakers_unseen(store, by_iri)
    junk = [p for p in people if any(junk_label(n) for n in p.names())]
    orgs = [p for p in people if any(organisation_form(n) for n in p.labels or [p.label])]
    dups = split_duplicates(people)
    print(f"people (mentioned or quoted): {len(people)}; organisations: {len(rows) - len(people)}")
    print(f"junk labels: {_share(len(junk), len(people))} of people")
    print(f"organisations / photo credits typed as people: {_share(len(orgs), len(people))}")
    print(f"claims whose person speaker has no name in the article: {_share(unseen, total)} of claims by people")
    print(f"split duplicates: {len(dups)} pair(s)")
    print(f"people with several rdfs:label: {sum(len(p.labels) > 1 for p in people)}")
    print(f"people with more than 3 posts: {sum('many-posts' in p.suspects for p in people)}")
    conflicting = [p for p in people if "conflicting-initials" in p.suspects]
    print(f"people whose names carry two sets of middle initials: {len(conflicting)}")
    _list("junk labels", [f"{p.label} | {', '.join(p.aliases)}" for p in junk], show)
    _list("organisations / credits as people", [f"{p.label} ({p.claims} claims)" for p in orgs], show)
    _list("unseen speakers", unseen_examples, show)
    _list("split duplicates", [f"{a.label} ({a.claims}) ~ {b.label} ({b.claims})" for a, b in dups], show)
    _list("two sets of middle initials on one node", [f"{p.label} | {', '.join(p.aliases)}" for p in conflicting],
          show)
    surnames: dict[str, list[EntityRow]] = defaultdict(list)
    for p in people:
        surnames[fold(surname(p.label))].append(p)
    shared = [" / ".join(f"{p.label} ({p.claims})" for p in g) for g in surnames.values() if len(g) > 1]
    _list("same surname, kept apart (read to judge)", shared, show)
    _list("top speakers", [f"{p.label}: {p.claims} claims, {', '.join(p.types)}, countries {p.countries}, "
                           f"posts {p.posts}" for p in people[:show]], show)


def _list(title: str, items: list[str], show: int) -> None:
    print(f"\n{title}: {len(items)}")
    for item in items[:show]:
        print(f"    {item}")
    if len(items) > show:
        print(f"    ... {len(items) - show} more")


def _score_module(shared: Path) -> Any:
    spec = importlib.util.spec_from_file_location("score", shared / "eval" / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def gold_identity() -> dict[str, str]:
    """Gold speaker id -> one id per real person, from ``eval/speaker-identity.tsv``."""
    out = {}
    for line in GOLD_IDENTITY.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            person, *ids = line.split("\t")
            for i in ids:
                out[i.strip()] = person.strip()
    return out


def named_person(entity: dict[str, Any]) -> bool:
    """A gold speaker that is a person named by name ("Wilbur Ross", not "A senior administration official")."""
    words = entity["name"].split()
    return entity["type"] in ("Person", "Official") and bool(words) and words[0].casefold() not in _NOT_NAMED \
        and all(w[:1].isupper() or w in ("de", "van", "von", "da", "al", "bin") for w in words)


def bcubed(shared: Path) -> None:
    """B-cubed precision, recall and F1 of speaker nodes against gold people, over the four annotated sets."""
    from kg.extract import Extractor
    from kg.extract.model import Article

    score = _score_module(shared)
    same = gold_identity()
    golds: list[dict[str, Any]] = []
    for name in SETS:
        set_dir = ROOT / name
        ids = dev_ids(set_dir)
        records = corpus_records(shared / "corpus" / "news-37k.jsonl.gz", ids)
        for aid in ids:
            stored = json.loads((set_dir / f"{aid}.gold.json").read_text(encoding="utf-8"))
            golds.append((full_gold(stored, records[aid]), records[aid]))  # type: ignore[arg-type]
    extractor = Extractor()
    articles = [Article(id=r["id"], text=r["text"], title=r.get("title"), publisher=r.get("publisher"),
                        published=r.get("published") or None) for _, r in golds]  # type: ignore[misc]
    items: list[tuple[str, str]] = []  # (gold person, predicted node)
    for (gold, _), ex in zip(golds, extractor.extract_many(articles), strict=True):  # type: ignore[misc]
        pred = ex.to_json()["claims"]
        entities = {e["id"]: e for e in gold["entities"]}
        for gi, pi in score.match(gold["claims"], pred, 0.5):
            g, p = gold["claims"][gi], pred[pi]
            entity = entities.get(g["speaker"])
            if entity is None or not named_person(entity) or not p["speaker"].get("id"):
                continue
            items.append((same.get(g["speaker"], g["speaker"]), p["speaker"]["id"]))
    gold_of: dict[str, list[int]] = defaultdict(list)
    pred_of: dict[str, list[int]] = defaultdict(list)
    for i, (g, p) in enumerate(items):
        gold_of[g].append(i)
        pred_of[p].append(i)
    precision = recall = 0.0
    for g, p in items:
        both = len(set(gold_of[g]) & set(pred_of[p]))
        precision += both / len(pred_of[p])
        recall += both / len(gold_of[g])
    n = len(items) or 1
    precision, recall = precision / n, recall / n
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"\nB-cubed speaker identity over {len(items)} matched claims by {len(gold_of)} named people "
          f"({len(pred_of)} predicted nodes): P {precision:.3f} R {recall:.3f} F1 {f1:.3f}")
    split = {g: sorted({items[i][1] for i in idx}) for g, idx in gold_of.items()}
    for g, nodes in sorted(split.items()):
        if len(nodes) > 1:
            print(f"    {g} split over {nodes}")
    merged = {p: sorted({items[i][0] for i in idx}) for p, idx in pred_of.items()}
    for p, people in sorted(merged.items()):
        if len(people) > 1:
            print(f"    {p} holds claims of {people}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, default=Path("/tmp/entity-audit"), help="store folder (reused)")
    ap.add_argument("--reingest", action="store_true", help="delete the store and ingest again")
    ap.add_argument("--limit", type=int, default=200)
    ap.add_argument("--match", default="nafta")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--suspects", type=int, default=40, help="suspects listed per kind")
    ap.add_argument("--no-bcubed", action="store_true", help="skip the cross-article identity score")
    args = ap.parse_args()
    corpus = args.shared / "corpus" / "news-37k.jsonl.gz"
    if not corpus.exists():
        print(f"{corpus} is absent: nothing to audit")
        return 0
    if args.reingest and args.store.exists():
        shutil.rmtree(args.store)
    if not args.store.exists():
        selection = args.store.with_name(args.store.name + "-articles.jsonl")
        n = select(corpus, args.match, args.limit, selection)
        print(f"ingesting {n} articles matching {args.match!r} into {args.store}", flush=True)
        ingest(selection, args.store, args.workers)
    audit_store(args.store, args.suspects)
    if not args.no_bcubed:
        bcubed(args.shared)
    return 0


if __name__ == "__main__":
    sys.exit(main())
