"""The search index (kg.search) over a real store, ``kg ingest`` / ``kg reindex`` keeping it in step, and ``/search``
over a live server. Expected values come from the store by SPARQL, not from the index's own code."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import requests

from kg.search import ClaimFilters, SearchIndex, fts_query, index_path, store_selector
from kg.store import EmbeddedStore
from tests.conftest import SAMPLE, copy_store

ID = "https://w3id.org/claimgraph/id/"
LIGHTHIZER = ID + "person/robert-lighthizer"
JSON = {"Accept": "application/json"}
HTML = {"Accept": "text/html"}


def kg(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os
    return subprocess.run([sys.executable, "-c", "from kg.cli import main; main()", *args], capture_output=True,
                          text=True, timeout=600, env={**os.environ, **(env or {})})


@pytest.fixture(scope="module")
def seed_index(seed_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    store = EmbeddedStore(seed_store_path, read_only=True)
    index = SearchIndex(tmp_path_factory.mktemp("index") / "search.sqlite")
    index.rebuild(store_selector(store))
    store.close()
    return index


def stored_claims(path: Path, where: str = "") -> set[str]:
    store = EmbeddedStore(path, read_only=True)
    try:
        rows = store.query("PREFIX cg: <https://w3id.org/claimgraph/ontology#> "
                           f"SELECT ?c WHERE {{ ?c a cg:Claim ; cg:claimText ?text . {where} }}")
        return {r["c"].value for r in rows}
    finally:
        store.close()


# -- entities by name ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["lightiz", "Lighthizer", "lighthiser", "robert lighth", "bob lighthizer",
                                   "LIGHTHIZER"])
def test_entities_by_name_with_typos_prefixes_and_aliases(seed_index: SearchIndex, typed: str) -> None:
    found = seed_index.entities(typed, limit=3)
    assert found and found[0].iri == LIGHTHIZER, [(e.label, e.score) for e in found]
    assert found[0].kind == "person" and found[0].label == "Robert Lighthizer"


def test_entities_cover_countries_issues_and_organisations_by_kind(seed_index: SearchIndex) -> None:
    assert seed_index.entities("canda", kinds=["country"])[0].iri == ID + "country/CA"
    assert seed_index.entities("sunset", kinds=["issue"])[0].iri == ID + "issue/sunset-clause"
    orgs = seed_index.entities("government of canada", kinds=["organisation"])
    assert orgs[0].iri == ID + "org/government-of-canada"
    assert all(e.kind == "organisation" for e in orgs)
    assert seed_index.entities("zzqxv") == []
    assert seed_index.entities("  ") == []


def test_claim_counts_of_entities_are_the_stores(seed_index: SearchIndex, seed_store_path: Path) -> None:
    spoken = stored_claims(seed_store_path, f"?c cg:speaker <{LIGHTHIZER}>")
    assert seed_index.entities("lighthizer")[0].claims == len(spoken) > 0


def test_unknown_entity_kind_is_refused(seed_index: SearchIndex) -> None:
    from kg.errors import BadInput
    with pytest.raises(BadInput, match="unknown entity kind 'people'"):
        seed_index.entities("x", kinds=["people"])


# -- claims by text ------------------------------------------------------------------------------------------

def test_claims_by_full_text_are_stemmed_ranked_and_snippeted(seed_index: SearchIndex,
                                                               seed_store_path: Path) -> None:
    every = seed_index.claims("")
    assert every.total == len(stored_claims(seed_store_path))
    found = seed_index.claims("deals")  # stemmed: finds "deal"
    expected = stored_claims(seed_store_path, 'FILTER(REGEX(?text, "\\\\bdeals?\\\\b", "i"))')
    assert {h.iri for h in seed_index.claims("deals", limit=100).hits} == expected
    assert found.total == len(expected) > 0
    assert all("\x01" in h.snippet for h in found.hits)
    ranks = [h.rank for h in found.hits]
    assert ranks == sorted(ranks)  # BM25: lower is better


def test_substring_is_not_a_word(seed_index: SearchIndex) -> None:
    """'auto' finds the word auto (and autos), never 'automatically' as the substring search did."""
    hits = seed_index.claims("auto", limit=100).hits
    assert hits
    for hit in hits:
        assert " auto" in " " + hit.text.lower().replace("-", " ") or "autos" in hit.text.lower()


def test_filters_and_facets(seed_index: SearchIndex, seed_store_path: Path) -> None:
    by_him = seed_index.claims("", ClaimFilters(speaker=LIGHTHIZER), limit=100)
    assert {h.iri for h in by_him.hits} == stored_claims(seed_store_path, f"?c cg:speaker <{LIGHTHIZER}>")
    assert by_him.facets["speaker"] == [(LIGHTHIZER, "Robert Lighthizer", by_him.total)]
    every = seed_index.claims("")
    speakers = dict((v, n) for v, _, n in every.facets["speaker"])
    assert speakers[LIGHTHIZER] == by_him.total
    issue = ID + "issue/nafta-renegotiation"
    about = stored_claims(seed_store_path, f"?c cg:about/<http://www.w3.org/2004/02/skos/core#broader>* <{issue}>")
    assert seed_index.claims("", ClaimFilters(issue=issue)).total == len(about)
    us = seed_index.claims("", ClaimFilters(country=ID + "country/US"), limit=100)
    assert us.total > 0 and all(h.speaker for h in us.hits)
    assert ID + "person/chrystia-freeland" not in {h.speaker for h in us.hits}
    direct = seed_index.claims("", ClaimFilters(kind="https://w3id.org/claimgraph/ontology#DirectQuote"))
    assert direct.total == len(stored_claims(
        seed_store_path, "?c cg:kind <https://w3id.org/claimgraph/ontology#DirectQuote>"))


def test_date_range_excludes_undated_claims_unless_asked(seed_index: SearchIndex) -> None:
    every = seed_index.claims("", limit=1000).hits
    dated = [h for h in every if h.date]
    first = min(h.date for h in dated)
    in_range = seed_index.claims("", ClaimFilters(date_from=first, date_to=first), limit=1000)
    assert {h.iri for h in in_range.hits} == {h.iri for h in dated if h.date == first}
    with_undated = seed_index.claims("", ClaimFilters(date_from=first, date_to=first, undated=True), limit=1000)
    assert with_undated.total == in_range.total + sum(1 for h in every if not h.date)
    assert seed_index.claims("", ClaimFilters(date_from="2100-01-01")).total == 0


def test_pages_and_sorts(seed_index: SearchIndex) -> None:
    first = seed_index.claims("", limit=5, sort="date")
    second = seed_index.claims("", offset=5, limit=5, sort="date")
    assert not {h.iri for h in first.hits} & {h.iri for h in second.hits}
    oldest = seed_index.claims("", limit=100, sort="date-asc").hits
    dates = [h.date for h in oldest if h.date]
    assert dates == sorted(dates)
    from kg.errors import BadInput
    with pytest.raises(BadInput, match="unknown sort"):
        seed_index.claims("", sort="random")


@pytest.mark.parametrize("typed", ['U.S. "tariffs', "AND OR NOT", "-", "(", "*", "steel OR"])
def test_punctuation_in_the_box_never_breaks_the_query(seed_index: SearchIndex, typed: str) -> None:
    assert seed_index.claims(typed).total >= 0  # answered, not an FTS5 syntax error


def test_fts_query_quotes_each_word() -> None:
    assert fts_query('say "free trade" OR tariff*') == '"say" "free trade" OR "tariff"*'
    assert fts_query("") == '""'


# -- in step with the store ----------------------------------------------------------------------------------

def test_kg_ingest_writes_the_index_with_each_article_and_reindex_rebuilds_it(tmp_path: Path) -> None:
    store = tmp_path / "store"
    done = kg("ingest", "--no-progress", "--store", str(store), str(SAMPLE))
    assert done.returncode == 0, done.stderr
    path = index_path(str(store))
    assert path == tmp_path / "store.search.sqlite" and path.exists()
    index = SearchIndex(path)
    assert index.claim_count() == len(stored_claims(store)) > 0
    assert index.entities("lightiz")[0].iri == LIGHTHIZER
    index.close()
    path.unlink()
    done = kg("reindex", "--store", str(store))
    assert done.returncode == 0, done.stderr
    assert "indexed 1 article(s)" in done.stderr
    assert SearchIndex(path).claim_count() == len(stored_claims(store))


def test_a_broken_index_never_stops_an_ingest(tmp_path: Path) -> None:
    store = tmp_path / "store"
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(b"this is not a database" * 100)
    done = kg("ingest", "--no-progress", "--store", str(store), str(SAMPLE), env={"KG_SEARCH_INDEX": str(broken)})
    assert done.returncode == 0, done.stderr
    assert "warning: search index not updated" in done.stderr
    assert len(stored_claims(store)) > 0  # the article is stored
    done = kg("ingest", "--no-progress", "--store", str(tmp_path / "other"), str(SAMPLE),
              env={"KG_SEARCH_INDEX": "off"})
    assert done.returncode == 0 and not (tmp_path / "other.search.sqlite").exists()


def test_sync_follows_changed_and_removed_article_graphs(seed_store_path: Path, tmp_path: Path) -> None:
    path = copy_store(seed_store_path, tmp_path / "store")
    store = EmbeddedStore(path)
    index = SearchIndex(tmp_path / "i.sqlite")
    first = index.sync(store_selector(store))
    assert first.indexed == 1 and index.claim_count() > 0
    assert index.sync(store_selector(store)).indexed == 0  # nothing changed: nothing re-read
    graph = store.named_graphs()
    article = next(g for g in graph if "/graph/article/" in g)
    store.update(f"DROP GRAPH <{article}>")
    report = index.sync(store_selector(store))
    assert report.removed == 1 and index.claim_count() == 0
    store.close()


def test_a_file_that_is_not_an_index_is_named(tmp_path: Path) -> None:
    from kg.errors import BadInput
    bad = tmp_path / "x.sqlite"
    bad.write_bytes(b"\0garbage" * 1000)
    with pytest.raises(BadInput, match="cannot be opened"):
        SearchIndex(bad)
    other = tmp_path / "y.sqlite"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    db.execute("INSERT INTO meta VALUES ('schema', '99')")
    db.commit()
    db.close()
    with pytest.raises(BadInput, match="schema 99"):
        SearchIndex(other)


# -- /search over HTTP ---------------------------------------------------------------------------------------

def get(server: Any, path: str, **kwargs: Any) -> requests.Response:
    return requests.get(server.url + path, timeout=60, headers=kwargs.pop("headers", JSON), **kwargs)


def test_search_answers_json_by_accept_and_html_for_browsers(live_server: Any) -> None:
    data = get(live_server, "/search", params={"q": "lightiz"}).json()
    assert data["entities"][0]["iri"] == LIGHTHIZER
    assert get(live_server, "/search?q=lightiz", headers=HTML).headers["Content-Type"].startswith("text/html")
    page = get(live_server, "/search", params={"q": "lightiz"}, headers=HTML).text
    assert 'href="/id/person/robert-lighthizer"' in page and 'id="site-search"' in page


def test_search_filters_by_name_and_reports_how_it_read_them(live_server: Any) -> None:
    data = get(live_server, "/search", params={"speaker": "Lighthizer"}).json()
    assert data["resolved"] == [{"param": "speaker", "value": "Lighthizer", "iri": LIGHTHIZER,
                                 "label": "Robert Lighthizer"}]
    assert data["claims"]["total"] > 0
    assert {c["speaker"] for c in data["claims"]["items"]} == {LIGHTHIZER}
    assert data["facets"]["speaker"][0]["value"] == LIGHTHIZER
    vague = get(live_server, "/search", params={"speaker": "zzqqx"}).json()
    assert vague["didYouMean"][0]["param"] == "speaker"


def test_search_pages(live_server: Any) -> None:
    one = get(live_server, "/search", params={"per_page": 3, "sort": "date"}).json()
    two = get(live_server, "/search", params={"per_page": 3, "sort": "date", "page": 2}).json()
    assert one["pages"] == -(-one["claims"]["total"] // 3) and one["pages"] >= 2
    assert not {c["iri"] for c in one["claims"]["items"]} & {c["iri"] for c in two["claims"]["items"]}
    html = get(live_server, "/search", params={"per_page": 3}, headers=HTML).text
    assert 'rel="next"' in html


@pytest.mark.parametrize(("args", "message"), [
    ({"from": "2018-13-01"}, "from='2018-13-01' is not a date"),
    ({"page": "two"}, "page='two' is not a whole number"),
    ({"per_page": "100000"}, "per_page=100000 is out of range"),
    ({"kind": "rumour"}, "kind='rumour' is not a claim kind"),
    ({"type": "people"}, "type='people' is not an entity type"),
    ({"sort": "random"}, "unknown sort 'random'"),
])
def test_bad_search_arguments_are_400_naming_the_problem(live_server: Any, args: dict[str, str],
                                                         message: str) -> None:
    response = get(live_server, "/search", params=args)
    assert response.status_code == 400
    assert message in response.json()["message"]


def test_suggest_autocompletes_names(live_server: Any) -> None:
    data = get(live_server, "/search/suggest", params={"q": "lightiz"}).json()
    assert data["entities"][0]["url"] == "/id/person/robert-lighthizer"
    assert get(live_server, "/search/suggest", params={"q": ""}).json()["entities"] == []
    countries = get(live_server, "/search/suggest", params={"q": "can", "type": "country"}).json()
    assert countries["entities"] and all(e["kind"] == "country" for e in countries["entities"])


def test_the_index_of_a_remote_store_is_the_same(seed_store_path: Path, tmp_path: Path) -> None:
    """Everything is read by SPARQL: the same store served by `oxigraph serve` gives the same index."""
    from kg.store import RemoteStore
    from tests.conftest import OxigraphServer

    server = OxigraphServer(copy_store(seed_store_path, tmp_path / "served"))
    try:
        remote = RemoteStore(server.url + "/query", gsp_url=server.url + "/store")
        index = SearchIndex(tmp_path / "remote.sqlite")
        report = index.sync(store_selector(remote))
        local = SearchIndex(tmp_path / "local.sqlite")
        embedded = EmbeddedStore(seed_store_path, read_only=True)
        local.sync(store_selector(embedded))
        embedded.close()
        assert report.indexed == 1 and index.claim_count() == local.claim_count() > 0
        assert [e.iri for e in index.entities("lightiz")] == [e.iri for e in local.entities("lightiz")]
        assert index.claims("deal").total == local.claims("deal").total
        assert index_path(server.url + "/query").name.startswith("search-")
    finally:
        server.stop()


@pytest.mark.parametrize("statement", ["DELETE FROM entity_grams WHERE name = ?",
                                       "DELETE FROM entity_broader WHERE iri IN (?)"])
def test_reindexing_an_entity_deletes_its_rows_by_an_index(tmp_path: Path, statement: str) -> None:
    """Each batch of `kg ingest` re-indexes the entities it names, deleting their old rows first: by a scan of
    every entity's trigrams that grew with the store (45 % of the writer's time at 2,800 corpus articles, 81x
    slower than by the index); an index opened before the index existed gains it."""
    old = sqlite3.connect(tmp_path / "old.sqlite")
    old.executescript("CREATE TABLE entity_grams (gram TEXT NOT NULL, name INTEGER NOT NULL);"
                      "CREATE TABLE entity_broader (iri TEXT NOT NULL, broader TEXT NOT NULL);")
    old.close()
    for path in (tmp_path / "new.sqlite", tmp_path / "old.sqlite"):
        index = SearchIndex(path)
        plan = " ".join(str(row[-1]) for row in index.db.execute("EXPLAIN QUERY PLAN " + statement, ("x",)))
        index.close()
        assert "USING" in plan and "INDEX" in plan, plan
