#!/usr/bin/env python3
"""Person speakers linked to Wikidata on the NAFTA articles of the shared corpus, with a sample to read by hand.

    python benchmarks/congress_links.py [--articles 200] [--store /tmp/congress-store] [--sample 50] [--seed 17]

Selects the first ``--articles`` lines of the corpus that contain "nafta" (any case), ingests them into a fresh
embedded store (``--store``, emptied first; keep it out of the repository), and prints:

* the number of distinct person speakers (``cg:Person`` / ``cg:Official`` / ``foaf:Person`` nodes that are the
  ``cg:speaker`` of at least one claim), and how many of them carry an ``owl:sameAs`` to a Wikidata item;
* of those linked, how many are members of Congress of the reference data (``cg:Official`` holding a
  "United States Senator/Representative" post);
* every mention of a linked speaker whose text shares no word with the person's label, aliases or surname (a
  link to someone the text does not name), listed;
* a sample of ``--sample`` linked speakers (chosen with ``--seed``): the speaker's label, the Wikidata id, the
  reference person's name, and one sentence of one of its articles where it is named as a speaker, for reading
  against the article. The issue's target is at least 50 linked person speakers and no wrong link in the sample.

Records the reader rejects (a few corpus dates such as "7/23/17") are kept without their date, as in
``benchmarks/extract_corpus.py``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.extract_corpus import DEFAULT_CORPUS  # noqa: E402
from kg.articles import RecordError, article_from_record  # noqa: E402
from kg.extract import Extractor  # noqa: E402
from kg.extract.members import HYPOCORISMS  # noqa: E402
from kg.extract.model import Article  # noqa: E402
from kg.ingest import ensure_static_graphs, write_extraction  # noqa: E402
from kg.store import EmbeddedStore  # noqa: E402
from kg.vocab import CG, FOAF, OA, OWL, RDFS, SCHEMA, SKOS, WD  # noqa: E402


def nafta_articles(path: Path, n: int) -> list[Article]:
    """The first ``n`` corpus lines that contain "nafta" in any case, as Articles."""
    out: list[Article] = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if "nafta" not in line.lower():
                continue
            record = json.loads(line)
            try:
                out.append(article_from_record(record))
            except RecordError as e:
                if "published" not in str(e):
                    raise
                out.append(article_from_record({**record, "published": None}))
            if len(out) == n:
                break
    return out


SPEAKERS = f"""SELECT ?p (SAMPLE(?label) AS ?name) (SAMPLE(?wd) AS ?item) (SAMPLE(?claim) AS ?one)
    (COUNT(DISTINCT ?claim) AS ?claims) (MAX(?member) AS ?congress) WHERE {{
  ?claim <{CG.speaker}> ?p .
  ?p a ?type . VALUES ?type {{ <{CG.Person}> <{CG.Official}> <{FOAF.Person}> }}
  OPTIONAL {{ ?p <{RDFS.label}> ?label }}
  OPTIONAL {{ ?p <{OWL.sameAs}> ?wd FILTER(STRSTARTS(STR(?wd), "{WD}")) }}
  OPTIONAL {{ ?p <http://www.w3.org/ns/org#holds>/<{RDFS.label}> ?post
             FILTER(STRSTARTS(?post, "United States Senator") || STRSTARTS(?post, "United States Representative")) }}
  BIND(BOUND(?post) AS ?member)
}} GROUP BY ?p ORDER BY ?p"""


def label_mismatches(store: EmbeddedStore, people: list[str]) -> list[tuple[str, str]]:
    """(person label, mention text) of every mention of ``people`` that shares no word (in any case, a given name
    also in its short forms) with the person's label, aliases and surname: a link to someone the text does not
    name."""
    values = " ".join(f"<{p}>" for p in people)
    names: dict[str, set[str]] = {}
    labels: dict[str, str] = {}
    for r in store.query(f"""SELECT ?p ?n ?l WHERE {{ VALUES ?p {{ {values} }} ?p <{RDFS.label}> ?l .
            {{ ?p <{RDFS.label}> ?n }} UNION {{ ?p <{SKOS.altLabel}> ?n }}
            UNION {{ ?p <{SCHEMA.familyName}> ?n }} }}"""):
        words = re.findall(r"\w\w+", r["n"].value.lower())  # type: ignore[index]
        short = [x.lower() for w in words for x in HYPOCORISMS.get(w.capitalize(), ())]  # "Dick" for Richard
        names.setdefault(r["p"].value, set()).update(words + short)  # type: ignore[index]
        labels[r["p"].value] = r["l"].value  # type: ignore[index]
    out = []
    for r in store.query(f"""SELECT ?p ?x WHERE {{ VALUES ?p {{ {values} }} ?m <{CG.mentionOf}> ?p ;
            <{CG.evidence}>/<{OA.hasSelector}> ?sel . ?sel <{OA.exact}> ?x }}"""):
        p, text = r["p"].value, r["x"].value  # type: ignore[index]
        if not set(re.findall(r"\w\w+", text.lower())) & names.get(p, set()):
            out.append((labels.get(p, p), text))
    return sorted(out)


def claim_context(store: EmbeddedStore, claim: str) -> tuple[str, str]:
    """(speaker text, the sentence or so around the claim's evidence) of one claim."""
    q = f"""SELECT ?said ?body ?start ?end WHERE {{
      <{claim}> <{CG.evidence}> ?span . OPTIONAL {{ <{claim}> <{CG.speakerText}> ?said }}
      ?span <{OA.hasSource}> ?a ; <{OA.hasSelector}> ?sel . ?sel a <{OA.TextPositionSelector}> ;
        <{OA.start}> ?start ; <{OA.end}> ?end . ?a <{SCHEMA.articleBody}> ?body }}"""
    row = next(iter(store.query(q)))  # type: ignore[call-overload]
    body, start, end = row["body"].value, int(row["start"].value), int(row["end"].value)
    left = max(body.rfind(". ", 0, max(0, start - 120)) + 2, start - 300, 0)
    right = min(len(body), end + 160)
    said = row["said"].value if row["said"] is not None else ""
    return said, " ".join(body[left:right].split())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--store", type=Path, default=Path("/tmp/congress-links-store"))
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--sample", type=int, default=50)
    ap.add_argument("--seed", type=int, default=17)
    a = ap.parse_args()
    if not a.corpus.exists():
        ap.error(f"no corpus at {a.corpus}: pass --corpus")
    if a.store.resolve().is_relative_to(ROOT):
        ap.error(f"--store {a.store} is inside the repository: put it under /tmp")
    shutil.rmtree(a.store, ignore_errors=True)
    articles = nafta_articles(a.corpus, a.articles)
    t = time.perf_counter()
    extractor = Extractor()
    with EmbeddedStore(a.store) as store:
        ensure_static_graphs(store)
        for i, ex in enumerate(extractor.extract_many(articles), 1):
            write_extraction(store, ex)
            if i % 25 == 0:
                print(f"  {i}/{len(articles)} articles ingested", file=sys.stderr)
        rows = list(store.query(SPEAKERS))  # type: ignore[call-overload]
        linked = [r for r in rows if r["item"] is not None]
        members = [r for r in linked if r["congress"].value == "true"]
        print(f"articles: {len(articles)} (first lines matching 'nafta'), ingested in {time.perf_counter() - t:.0f} s")
        print(f"person speakers: {len(rows)}")
        print(f"person speakers with owl:sameAs to Wikidata: {len(linked)} "
              f"({sum(int(r['claims'].value) for r in linked)} claims)")
        print(f"  of which members of Congress of the reference data: {len(members)}")
        wrong = label_mismatches(store, [r["p"].value for r in linked])
        print(f"mentions of linked speakers that share no word with the person's names: {len(wrong)}")
        for label, text in wrong:
            print(f"  {label}: {text!r}")
        sample = sorted(random.Random(a.seed).sample(linked, min(a.sample, len(linked))),
                        key=lambda r: r["name"].value if r["name"] is not None else "")
        print(f"\nsample of {len(sample)} linked speakers (seed {a.seed}):")
        for n, r in enumerate(sample, 1):
            said, context = claim_context(store, r["one"].value)
            qid = r["item"].value.removeprefix(str(WD))
            name = r["name"].value if r["name"] is not None else "?"
            print(f"{n:2}. {name} = {qid} [{r['claims'].value} claims] as {said!r}\n    {context}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
