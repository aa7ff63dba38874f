"""The hand-annotated evaluation sets (eval/*/) load as benchmarks/dev_eval.py and benchmarks/issue_tags.py read them:
well-formed gold files without corpus text, issue tags from ontology/issues.ttl, and, where ../shared is present,
every stored sha1 verified against the corpus (claim sets under both readings of quoted phrases). Nothing here runs
the extractor or the issue tagger, so a blind set stays blind."""

from __future__ import annotations

import importlib.util
import json
import re
import runpy
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import ROOT

SETS = sorted(p.parent.name for p in (ROOT / "eval").glob("*/articles.txt"))
SHA1 = re.compile(r"[0-9a-f]{40}")
CLAIM_KEYS = {"speaker", "kind", "cue", "start", "end", "sha1"}


def _dev_eval() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dev_eval", ROOT / "benchmarks" / "dev_eval.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_sets_include_dev4_and_dev5() -> None:
    assert {"dev", "dev2", "holdout", "dev3", "dev4", "dev5"} <= set(SETS)


@pytest.mark.parametrize("name", SETS)
def test_every_gold_file_is_well_formed_and_holds_no_text(name: str) -> None:
    folder = ROOT / "eval" / name
    ids = _dev_eval().dev_ids(folder)
    assert ids and len(set(ids)) == len(ids)
    assert {p.name.removesuffix(".gold.json") for p in folder.glob("*.gold.json")} == set(ids)
    for aid in ids:
        gold = json.loads((folder / f"{aid}.gold.json").read_text(encoding="utf-8"))
        assert gold["article"]["id"] == aid and SHA1.fullmatch(gold["article"]["text_sha1"])
        assert "text" not in gold["article"]
        entities = {e["id"] for e in gold["entities"]}
        assert len(entities) == len(gold["entities"]) and all(e["aliases"] for e in gold["entities"])
        for c in gold["claims"]:
            assert CLAIM_KEYS <= c.keys() and c.keys() <= CLAIM_KEYS | {"fragment"}, c
            assert c["speaker"] in entities and c["kind"] in ("direct", "indirect", "mixed")
            assert 0 <= c["start"] < c["end"] and SHA1.fullmatch(c["sha1"])
            if "fragment" in c:
                f = c["fragment"]
                assert c["start"] <= f["start"] < f["end"] <= c["end"] and SHA1.fullmatch(f["sha1"])


def test_every_set_rebuilds_from_the_corpus_with_every_hash_verified(shared_dir: Path) -> None:
    dev_eval = _dev_eval()
    folders = {name: ROOT / "eval" / name for name in SETS}
    ids = {name: dev_eval.dev_ids(folder) for name, folder in folders.items()}
    records = dev_eval.corpus_records(shared_dir / "corpus" / "news-37k.jsonl.gz",
                                      sorted({i for group in ids.values() for i in group}))
    for name, folder in folders.items():
        report = dev_eval.check_set(folder, ids[name], records)  # raises DevSetError on a moved offset
        assert f"ok: {len(ids[name])} articles" in report, report


def _listed_ids(listing: Path) -> set[str]:
    return set(_listed_ids_in_order(listing))


def _listed_ids_in_order(listing: Path) -> list[str]:
    """The ids of an articles.txt or article-ids.txt (or of a set folder's article-ids.txt), in file order."""
    listing = listing / "article-ids.txt" if listing.is_dir() else listing
    return [x.strip() for x in listing.read_text(encoding="utf-8").splitlines() if x.strip() and not x.startswith("#")]


def test_dev11_shares_no_article_with_any_other_set_and_holds_at_least_110_claims() -> None:
    """eval/dev11/select.py excludes every earlier claim and issue-tag set, and the sets made with or after it exclude
    its candidates (eval/issues8 the first 25, of which dev11 took its articles), so no id is in two sets."""
    listings = [*(ROOT / "eval").glob("*/articles.txt"), *(ROOT / "eval").glob("*/article-ids.txt")]
    ids = {p.parent.name: _listed_ids(p) for p in listings}
    dev11 = ids.pop("dev11")
    assert {name: dev11 & other for name, other in ids.items() if dev11 & other} == {}
    claims = [json.loads((ROOT / "eval" / "dev11" / f"{aid}.gold.json").read_text(encoding="utf-8"))["claims"]
              for aid in dev11]
    assert len(dev11) >= 5 and sum(map(len, claims)) >= 110


def test_dev12_shares_no_article_with_any_other_set_and_holds_six_articles_and_110_claims() -> None:
    """eval/dev12/select.py excludes every earlier claim and issue-tag set (eval/dev11 and eval/issues8 included) and
    eval/dev11's first 25 candidates; eval/issues9 excludes dev12's first 30, so no id is in two sets."""
    listings = [*(ROOT / "eval").glob("*/articles.txt"), *(ROOT / "eval").glob("*/article-ids.txt")]
    ids = {p.parent.name: _listed_ids(p) for p in listings}
    dev12 = ids.pop("dev12")
    assert {"dev11", "issues8"} <= ids.keys()
    assert {name: dev12 & other for name, other in ids.items() if dev12 & other} == {}
    claims = [json.loads((ROOT / "eval" / "dev12" / f"{aid}.gold.json").read_text(encoding="utf-8"))["claims"]
              for aid in dev12]
    assert len(dev12) >= 6 and sum(map(len, claims)) >= 110



def _dev13_select() -> dict[str, Any]:
    return runpy.run_path(str(ROOT / "eval" / "dev13" / "select.py"))


def _record(words: int, terms: int, quotes: int, topic: str = "politics", title: str = "A summit") -> dict[str, Any]:
    body = ["tariff"] * terms + ['"said"'] * (quotes // 2) + ['"said'] * (quotes % 2)
    return {"id": "x", "title": title, "topic": topic, "text": " ".join(body + ["word"] * (words - len(body)))}


def test_dev13_widened_pool_adds_articles_of_any_topic_with_eight_trade_terms() -> None:
    """eval/dev13/select.py's ``qualifies_wide``: holdout's rule unchanged, or 350-1500 words, eight TERMS and six
    QUOTES whatever the topic and headline; one short of any bound, and the record is out."""
    wide = _dev13_select()["qualifies_wide"]
    assert wide(_record(400, 5, 6, topic="trade")) and not wide(_record(400, 5, 6))
    assert wide(_record(400, 8, 6)) and wide(_record(350, 8, 6)) and wide(_record(1500, 8, 6))
    assert not [n for n in (_record(400, 7, 6), _record(400, 8, 5), _record(349, 8, 6), _record(1501, 8, 6))
                if wide(n)]


def test_dev13_shares_no_article_with_any_other_set() -> None:
    """eval/dev13/select.py excludes every earlier claim and issue-tag set (eval/dev12 and eval/issues9 included) and
    the heads of eval/dev11's, eval/dev12's and eval/issues9's orders; eval/issues10 excludes dev13's first 30. Five
    articles and 89 claims: the first 30 candidates gave no sixth acceptable article (README.md)."""
    listings = [*(ROOT / "eval").glob("*/articles.txt"), *(ROOT / "eval").glob("*/article-ids.txt")]
    ids = {p.parent.name: _listed_ids(p) for p in listings}
    dev13 = ids.pop("dev13")
    assert {"dev12", "issues9"} <= ids.keys() and set(_dev13_select()["EXCLUDED_SETS"]) <= ids.keys()
    assert {name: dev13 & other for name, other in ids.items() if dev13 & other} == {}
    claims = [json.loads((ROOT / "eval" / "dev13" / f"{aid}.gold.json").read_text(encoding="utf-8"))["claims"]
              for aid in dev13]
    assert len(dev13) == 5 and sum(map(len, claims)) == 89


@pytest.mark.slow  # the widened pool runs holdout's TERMS over every corpus text: about 100 s at a load of 10
def test_dev13_lists_accepted_articles_of_the_head_of_its_order(shared_dir: Path) -> None:
    """eval/dev13/articles.txt lists articles of the first HEAD candidates of its select.py's order, in that order;
    the order holds no article of an earlier set nor of the heads of eval/dev11's, eval/dev12's and eval/issues9's
    orders (eval/issues9/select.py's), nor one sharing a headline with them, and every candidate is in the wide
    pool."""
    select = _dev13_select()
    records = runpy.run_path(str(ROOT / "eval" / "issues9" / "select.py"))["corpus"](shared_dir)
    order, heads = select["order"](records), select["earlier_heads"](records)
    head = [r["id"] for r in order[:select["HEAD"]]]
    listed = _listed_ids_in_order(ROOT / "eval" / "dev13" / "articles.txt")
    assert select["HEAD"] == 30 and len(heads) == 85 and [i for i in head if i in listed] == listed
    skip = runpy.run_path(str(ROOT / "eval" / "holdout" / "select.py"))["excluded_ids"](select["EXCLUDED_SETS"])
    skip |= {r["id"] for r in heads}
    titles = {(r.get("title") or "").strip().lower() for r in records if r["id"] in skip} - {""}
    assert not [r for r in order if r["id"] in skip or (r.get("title") or "").strip().lower() in titles]
    assert all(select["qualifies_wide"](r) for r in order) and len({r["id"] for r in order}) == len(order)

# issue-tag sets (eval/issues/, eval/issues2/): claims as offsets and sha1s with hand-given issues

ISSUE_SETS = sorted(p.parent.name for p in (ROOT / "eval").glob("*/article-ids.txt"))
ISSUE_CLAIM_KEYS = {"start", "end", "kind", "sha1", "issues"}


def _issue_tags() -> ModuleType:
    spec = importlib.util.spec_from_file_location("issue_tags", ROOT / "benchmarks" / "issue_tags.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # the tagger is imported only by its main(), never here
    return module


def _taxonomy() -> dict[str, set[str]]:
    """Every concept of ontology/issues.ttl (its slug) with the slugs of all its broader concepts."""
    from rdflib import Graph
    from rdflib.namespace import RDF, SKOS

    g = Graph().parse(ROOT / "ontology" / "issues.ttl")
    slug = {c: str(c).rsplit("/", 1)[-1] for c in g.subjects(RDF.type, SKOS.Concept)}
    return {slug[c]: {slug[b] for b in g.transitive_objects(c, SKOS.broader) if b != c} for c in slug}


def test_the_issue_sets_include_issues2() -> None:
    assert {"issues", "issues2"} <= set(ISSUE_SETS)


@pytest.mark.parametrize("name", ISSUE_SETS)
def test_every_issue_file_is_well_formed_uses_the_taxonomy_and_holds_no_text(name: str) -> None:
    folder = ROOT / "eval" / name
    listed = _listed_ids_in_order(folder)
    records = _issue_tags().load_set(folder, "all")
    assert [r["article"] for r in records] == listed  # one file per listed article, in select.py order
    taxonomy = _taxonomy()
    for r in records:
        assert SHA1.fullmatch(r["sha1"]) and r["portion"] in ("dev", "test") and "text" not in r
        for c in r["claims"]:
            assert c.keys() == ISSUE_CLAIM_KEYS and 0 <= c["start"] < c["end"] and SHA1.fullmatch(c["sha1"]), c
            assert set(c["issues"]) <= taxonomy.keys() and len(set(c["issues"])) == len(c["issues"]), c


@pytest.mark.parametrize("name", ["issues2", "issues8", "issues9", "issues10"])
def test_no_claim_of_the_set_carries_a_concept_beside_its_broader_one(name: str) -> None:
    taxonomy = _taxonomy()
    pairs = [(r["article"], c["start"], i) for r in _issue_tags().load_set(ROOT / "eval" / name, "all")
             for c in r["claims"] for i in c["issues"] if taxonomy[i] & set(c["issues"])]
    assert pairs == []


def test_issues2_is_one_blind_test_portion_of_at_least_120_claims() -> None:
    records = _issue_tags().load_set(ROOT / "eval" / "issues2", "all")
    assert 12 <= len(records) <= 15 and {r["portion"] for r in records} == {"test"}
    assert sum(len(r["claims"]) for r in records) >= 120
    assert _issue_tags().load_set(ROOT / "eval" / "issues2", "test") == records


@pytest.mark.parametrize(("name", "articles"), [("issues8", 21), ("issues9", 23), ("issues10", 21)])
def test_a_blind_issue_set_is_one_test_portion_of_its_articles_and_at_least_200_claims(name: str,
                                                                                      articles: int) -> None:
    """eval/issues8 took its first 21 candidates; eval/issues9 its first 23, the fewest in order that give 200
    claims (its #7 and #17 have none); eval/issues10 its first 21 (204 claims, every article with one)."""
    records = _issue_tags().load_set(ROOT / "eval" / name, "all")
    assert len(records) == articles and [r["order"] for r in records] == list(range(1, articles + 1))
    assert {r["portion"] for r in records} == {"test"}
    assert sum(len(r["claims"]) for r in records) >= 200 and all(len(r["claims"]) <= 12 for r in records)
    assert _issue_tags().load_set(ROOT / "eval" / name, "test") == records


@pytest.mark.parametrize(("name", "earlier"), [("issues8", 18), ("issues9", 20), ("issues10", 22)])
def test_a_blind_issue_set_shares_no_article_with_any_other_set(name: str, earlier: int) -> None:
    """eval/issues8/select.py excludes every earlier set and the head of eval/dev11's order, eval/issues9/select.py
    also eval/dev11, eval/issues8 and the head of eval/dev12's order, eval/issues10/select.py every set to
    eval/dev12 and eval/issues9 and the head of eval/dev13's order (each annotated in parallel): no article of any is
    in another set, the parallel sets included once they are merged."""
    mine = {r["article"] for r in _issue_tags().load_set(ROOT / "eval" / name, "all")}
    others = {p.parent.name: p for p in (ROOT / "eval").glob("*/articles.txt")}
    others |= {p.parent.name: p for p in (ROOT / "eval").glob("*/article-ids.txt") if p.parent.name != name}
    shared = {other: mine & _listed_ids(p) for other, p in others.items()}
    assert len(others) >= earlier and {other: ids for other, ids in shared.items() if ids} == {}


@pytest.fixture(scope="module")
def corpus_records(shared_dir: Path) -> list[dict[str, Any]]:
    """Every record of the shared corpus, read once for the module's select.py checks (a pass is seconds)."""
    records: list[dict[str, Any]] = runpy.run_path(str(ROOT / "eval" / "issues9" / "select.py"))["corpus"](shared_dir)
    return records


def test_issues9_lists_its_select_order_without_the_heads_of_dev11_and_dev12(
        corpus_records: list[dict[str, Any]]) -> None:
    """eval/issues9/article-ids.txt is the head of its select.py's order, which holds no article of eval/dev12's
    first 30 candidates nor one sharing a headline with them; its eval/dev11 head is eval/issues8's (same sets, seed
    and length); and every article eval/dev12 took (once merged) is in that head, so the two orders are the ones
    their annotators read."""
    select = runpy.run_path(str(ROOT / "eval" / "issues9" / "select.py"))
    qualifying = select["dev12_qualifying"](corpus_records)
    order, head12 = select["order"](qualifying), select["dev12_head"](qualifying)
    assert [r["id"] for r in order[:23]] == _listed_ids_in_order(ROOT / "eval" / "issues9")
    ids, titles = {r["id"] for r in head12}, {r["title"].strip().lower() for r in head12}
    assert len(ids) == 30 and not [r for r in order if r["id"] in ids or r["title"].strip().lower() in titles]
    issues8 = runpy.run_path(str(ROOT / "eval" / "issues8" / "select.py"))
    assert [select[k] for k in ("DEV11_SETS", "DEV11_SEED", "DEV11_HEAD")] == [
        issues8[k] for k in ("EXCLUDED_SETS", "DEV11_SEED", "DEV11_HEAD")]
    dev12 = ROOT / "eval" / "dev12" / "articles.txt"
    assert not dev12.exists() or _listed_ids(dev12) <= {r["id"] for r in head12}


def _article(text: str, *, topic: str = "politics", title: str = "A speech") -> dict[str, Any]:
    return {"id": "x", "topic": topic, "title": title, "text": text}


def test_issues10_widens_the_pool_to_eight_trade_terms_and_six_quotes_whatever_the_topic() -> None:
    """eval/issues10's ``qualifies_wide``: holdout's rule unchanged, or, whatever topic and headline, 350-1,500 words
    with at least eight trade terms and six quotation marks."""
    wide = runpy.run_path(str(ROOT / "eval" / "issues10" / "select.py"))["qualifies_wide"]
    filler = " word" * 400
    five, eight = "tariff " * 5, "tariff nafta brexit trade war " * 2
    quotes = '"a" "b" "c"'
    assert wide(_article(five + quotes + filler, topic="trade"))  # holdout's rule: a trade topic and five terms
    assert not wide(_article(five + quotes + filler))  # five terms are not enough off the trade topic
    assert wide(_article(eight + quotes + filler))  # eight are, whatever the topic and headline
    assert not wide(_article(eight + '"a" "b" "c' + filler))  # five quotation marks
    assert not wide(_article(eight + quotes + " word" * 1500))  # over 1,500 words
    assert not wide(_article(eight + quotes + " word" * 300))  # under 350 words
    assert wide(_article("TARİFF nafta " * 4 + quotes + filler))  # re.I's dotted I counts, as in holdout's TERMS
    assert not wide(_article("tariff trade talk " * 3 + "tradesman " * 5 + quotes + filler))  # six terms


def test_issues10_lists_its_select_order_without_the_read_heads_nor_dev13s(
        corpus_records: list[dict[str, Any]]) -> None:
    """eval/issues10/article-ids.txt is the head of its select.py's order over the widened pool; the pool holds no
    article of an earlier set nor of the read heads of eval/dev11 (25), eval/dev12 (30) and eval/issues9 (30, whose
    listed articles are the first of them); the order holds none of eval/dev13's first 30 candidates nor one
    sharing a headline with them; and every article eval/dev13 took (once merged) is in that head."""
    select = runpy.run_path(str(ROOT / "eval" / "issues10" / "select.py"))
    pool = select["pool"](corpus_records)
    order, head13 = select["order"](pool), select["dev13_head"](pool)
    assert [r["id"] for r in order[:21]] == _listed_ids_in_order(ROOT / "eval" / "issues10")
    assert pool == sorted(pool, key=lambda r: r["id"]) and all(select["qualifies_wide"](r) for r in pool)
    earlier = set().union(*(_listed_ids(p) for p in (ROOT / "eval").glob("*/article*.txt")
                            if p.parent.name in select["EXCLUDED_SETS"]))
    heads = select["earlier_heads"](corpus_records)
    assert len({r["id"] for r in heads}) == 85 and not {r["id"] for r in pool} & (earlier | {r["id"] for r in heads})
    assert [r["id"] for r in heads[55:78]] == _listed_ids_in_order(ROOT / "eval" / "issues9")
    ids, titles = {r["id"] for r in head13}, {r["title"].strip().lower() for r in head13}
    assert len(ids) == 30 and not [r for r in order if r["id"] in ids or r["title"].strip().lower() in titles]
    dev13 = ROOT / "eval" / "dev13" / "articles.txt"
    assert not dev13.exists() or _listed_ids(dev13) <= ids


def test_issue_claims_lists_a_set_in_the_order_of_its_own_candidates(tmp_path: Path) -> None:
    """A select.py with exclusions of its own (eval/issues8's) gives scripts/issue_claims.py its candidates."""
    spec = importlib.util.spec_from_file_location("issue_claims", ROOT / "scripts" / "issue_claims.py")
    assert spec and spec.loader
    issue_claims = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(issue_claims)  # the extractor is imported only by its main()
    (tmp_path / "select.py").write_text(
        "def candidates(shared):\n    return [{'id': 'b', 'in': str(shared)}, {'id': 'a', 'in': str(shared)}]\n",
        encoding="utf-8")
    shared = str(tmp_path / "shared")
    listed = issue_claims.candidates(tmp_path / "shared", tmp_path)
    assert listed == [{"id": "b", "in": shared}, {"id": "a", "in": shared}]


@pytest.fixture(scope="module")
def issue_set_articles(shared_dir: Path) -> dict[str, Any]:
    """The corpus articles of every issue set, read from the corpus once for the module (a pass is seconds)."""
    bench = _issue_tags()
    wanted = {r["article"] for name in ISSUE_SETS for r in bench.load_set(ROOT / "eval" / name, "all")}
    articles: dict[str, Any] = bench.corpus_articles(shared_dir, wanted)
    return articles


@pytest.mark.parametrize("name", ISSUE_SETS)
def test_every_issue_set_fits_the_corpus_with_every_hash_verified(name: str,
                                                                   issue_set_articles: dict[str, Any]) -> None:
    bench = _issue_tags()
    records = bench.load_set(ROOT / "eval" / name, "all")
    articles = issue_set_articles
    assert {r["article"] for r in records} <= articles.keys()
    for r in records:
        bench.check(r, articles[r["article"]])  # raises ValueError on a moved offset or a changed article
