"""Page keys from the search index (kg.keys, server.keys): for who-said-what, search-claims and
claims-mentioning-country the index gives the same rows in the same order as the key sub-select, for each parameter
alone and combined, pages and offsets; over HTTP the answer says where its keys came from, a write through the
server's SPARQL Update or Graph Store endpoint sends every later page to the SPARQL path (until a rebuild), and a
bad parameter is the same 400.

The fixture is tests/test_canned_rows.py's three articles, written by the real write path, and article d: claims
with the same date (ordered by IRI), undated ones, a direct quote, upper case and accents ("ÉTATS-UNIS", "Deal"),
GLOB's special characters in the text ("[sic]", "50*", "?"), and no speaker.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from kg import keys, paging
from kg.bulk_write import write_articles
from kg.extract.model import Claim, Entity, Extraction, Mention
from kg.ingest import ensure_static_graphs
from kg.mapping import article_graph
from kg.queries import load_queries
from kg.query_job import Solutions
from kg.search import GRAMS_MARK, SearchIndex, index_path, store_selector
from kg.store import EmbeddedStore
from tests.conftest import LiveServer
from tests.factories import span_of
from tests.test_canned_rows import CGID, FREELAND, LIGHTHIZER, NAFTA, RUIZ, SUNSET, _article, fixture_extractions

pytestmark = pytest.mark.integration

QUERIES = load_queries()
US, CA, MX = (f"{CGID}country/{k}" for k in ("US", "CA", "MX"))
TRADE = f"{CGID}issue/trade-agreements"
DIRECT = "https://w3id.org/claimgraph/ontology#DirectQuote"
TOKEN = "keys-token"
D_TEXT = ("Robert Lighthizer said the Deal with ÉTATS-UNIS partners was 50* done [sic]. Chrystia Freeland told "
          "reporters: \"Is the deal done? Not yet.\" Lighthizer said Canada had a deal. A spokesman said the "
          "United States and Mexico would meet. Freeland said the DEAL was close.")


def _claim(part: str, speaker: str | None, speaker_text: str, issues: list[str], countries: list[str],
           date: str | None, kind: str = "indirect") -> Claim:
    start, end = span_of(D_TEXT, part)
    return Claim(kind=kind, text=part, start=start, end=end, speaker=speaker, speaker_text=speaker_text,
                 cue="said", issues=issues, countries=countries, date=date, date_precision="day" if date else None,
                 confidence=0.8)


def article_d() -> Extraction:
    people = [Entity(key=f"person/{key}", type="Official", name=name, country=country, known=True,
                     mentions=[Mention(*span_of(D_TEXT, name), name, 0.9)])
              for key, name, country in (("robert-lighthizer", "Robert Lighthizer", "US"),
                                         ("chrystia-freeland", "Chrystia Freeland", "CA"))]
    return _article("d", D_TEXT, "2018-06-10", people, [
        _claim("the Deal with ÉTATS-UNIS partners was 50* done [sic]", "person/robert-lighthizer",
               "Robert Lighthizer", ["nafta-renegotiation"], ["US"], "2018-06-10"),
        _claim("Is the deal done? Not yet.", "person/chrystia-freeland", "Chrystia Freeland",
               ["nafta-withdrawal"], ["US"], "2018-06-10", kind="direct"),
        _claim("Canada had a deal", "person/robert-lighthizer", "Lighthizer", [], ["CA"], None),
        _claim("the United States and Mexico would meet", None, "A spokesman", ["negotiation-timeline"],
               ["US", "MX"], None),
        _claim("the DEAL was close", "person/chrystia-freeland", "Freeland", ["sunset-clause"], ["US"],
               "2018-06-10")])


@pytest.fixture(scope="module")
def fixture_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed store of articles a to d and its search index beside it, built from the store."""
    path = tmp_path_factory.mktemp("keys") / "store"
    store = EmbeddedStore(path)
    ensure_static_graphs(store)
    write_articles(store, [*fixture_extractions(), article_d()], batch_articles=2)
    index = SearchIndex(index_path(str(path)))
    index.rebuild(store_selector(store))
    index.close()
    store.close()
    return path


@pytest.fixture(scope="module")
def opened(fixture_path: Path) -> Iterator[tuple[EmbeddedStore, SearchIndex]]:
    store = EmbeddedStore(fixture_path, read_only=True)
    index = SearchIndex(index_path(str(fixture_path)))
    yield store, index
    index.close()
    store.close()


def both(opened: tuple[EmbeddedStore, SearchIndex], name: str, values: dict[str, str],
         page: paging.Page) -> tuple[tuple[Solutions, bool], tuple[Solutions, bool]]:
    """The page by the key sub-select and by the index (which must answer), in that order."""
    store, index = opened
    sparql, bound = QUERIES[name].prepare(values)

    def select(text: str, bindings: object, most: int | None) -> Solutions:
        return store.select(text, bindings, max_rows=most)  # type: ignore[arg-type]

    by_index = keys.page_keys(index, name, bound, page, select)
    assert by_index is not None, "the index answers"
    return (paging.select_page(select, sparql, bound, page),
            paging.select_page(select, sparql, bound, page, keys=lambda p: by_index if p == page else None))


WHO = [{}, {"speaker": LIGHTHIZER}, {"speaker": FREELAND}, {"country": US}, {"country": CA}, {"country": MX},
       {"issue": NAFTA}, {"issue": TRADE}, {"issue": SUNSET}, {"from": "2018-06-10"}, {"to": "2018-06-09"},
       {"from": "2018-06-01", "to": "2018-06-30"}, {"undated": "true"}, {"undated": "true", "from": "2018-07-01"},
       {"speaker": LIGHTHIZER, "undated": "true"}, {"country": US, "issue": TRADE, "undated": "true"},
       {"speaker": FREELAND, "country": CA, "issue": NAFTA, "from": "2018-06-01", "to": "2018-07-01"},
       {"speaker": RUIZ, "country": US}, {"country": f"{CGID}country/CN"}]
SEARCH = [{"text": "deal"}, {"text": "DEAL"}, {"text": "états-unis"}, {"text": "É"}, {"text": "50*"},
          {"text": "[sic]"}, {"text": "done?"}, {"text": "the"}, {"text": "e"}, {"text": " "},
          {"text": "deal", "kind": DIRECT}, {"text": "sunset clause"}, {"text": "no such words"},
          {"text": 'deal"'}, {"text": 'deal OR "was'}]
MENTIONING = [{"country": US}, {"country": CA}, {"country": MX}, {"country": US, "speakerCountry": CA},
              {"country": US, "speakerCountry": US}, {"country": f"{CGID}country/CN"}]
CASES = ([("who-said-what", v) for v in WHO] + [("search-claims", v) for v in SEARCH]
         + [("claims-mentioning-country", v) for v in MENTIONING])
PAGES = [paging.Page(100, 0), paging.Page(2, 0), paging.Page(2, 2), paging.Page(3, 4), paging.Page(5, 50)]


@pytest.mark.parametrize(("name", "values"), CASES, ids=[f"{n}:{json.dumps(v)}" for n, v in CASES])
def test_the_index_gives_the_same_rows_in_the_same_order(opened: tuple[EmbeddedStore, SearchIndex], name: str,
                                                        values: dict[str, str]) -> None:
    for page in PAGES:
        (rows, more), (got, got_more) = both(opened, name, values, page)
        assert (got.variables, got.rows, got_more) == (rows.variables, rows.rows, more), page


def test_the_cases_are_not_empty_answers(opened: tuple[EmbeddedStore, SearchIndex]) -> None:
    """The comparisons above compare real answers: most cases have rows, ties, undated claims and many pages."""
    sizes = {f"{n}:{json.dumps(v)}": len(both(opened, n, v, paging.Page(100))[0][0].rows) for n, v in CASES}
    assert sizes['who-said-what:{}'] == 9 and sizes['who-said-what:{"undated": "true"}'] == 11
    assert sizes['search-claims:{"text": "deal"}'] == 6 == sizes['search-claims:{"text": "DEAL"}']
    assert sizes['search-claims:{"text": "\\u00c9"}'] == 1 and sizes['search-claims:{"text": "[sic]"}'] == 1
    assert sizes['claims-mentioning-country:{"country": "' + US + '"}'] == 6
    assert sum(1 for n in sizes.values() if n == 0) <= 7 and sum(1 for n in sizes.values() if n > 2) >= 20


def test_order_ties_go_to_the_claim_iri_and_undated_claims_first_or_last(opened: tuple[EmbeddedStore,
                                                                                   SearchIndex]) -> None:
    (rows, _), _ = both(opened, "who-said-what", {"undated": "true"}, paging.Page(100))
    dates = [r.get("date") for r in rows.rows]
    assert dates[0] is None and dates[1] is None and all(d is not None for d in dates[2:])
    (rows, _), _ = both(opened, "search-claims", {"text": "the"}, paging.Page(100))
    dated = [(r["date"].value, r["claim"].value) for r in rows.rows if r.get("date")]
    assert dated == sorted(dated, key=lambda t: (t[0], [-ord(c) for c in t[1]]), reverse=True)
    assert rows.rows[-1].get("date") is None, "newest first, undated last"


def test_many_candidates_are_read_in_order_and_give_the_same_page(opened: tuple[EmbeddedStore, SearchIndex],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Above CANDIDATES the page is read in the query's order instead of sorting every candidate: same rows."""
    monkeypatch.setattr(keys, "CANDIDATES", 1)
    probed = [(n, v) for n, v in CASES if n != "who-said-what" or {"country", "issue"} & set(v) - {"speaker"}]
    assert len(probed) >= 20
    for name, values in probed:
        for page in PAGES[1:3]:
            (rows, more), (got, got_more) = both(opened, name, values, page)
            assert (got.rows, got_more) == (rows.rows, more), (name, values, page)


def test_an_index_made_before_the_trigrams_gains_them_from_its_own_rows(fixture_path: Path, tmp_path: Path) -> None:
    old = tmp_path / "old.sqlite"
    shutil.copy(index_path(str(fixture_path)), old)
    with sqlite3.connect(old) as db:
        db.execute("DELETE FROM claim_grams")
        db.execute("DELETE FROM meta WHERE key = ?", (GRAMS_MARK,))
        db.execute("DROP INDEX claims_date_iri")
    index = SearchIndex(old)
    claims = index.claim_count()
    assert claims == 13 and index.db.execute("SELECT COUNT(*) FROM claim_grams").fetchone()[0] == claims
    assert index.db.execute("SELECT COUNT(*) FROM claim_grams WHERE low GLOB '*états-unis*'").fetchone()[0] == 1
    assert index.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'claims_date_iri'").fetchone()
    index.remove_graphs([article_graph("d")])
    assert index.db.execute("SELECT COUNT(*) FROM claim_grams").fetchone()[0] == index.claim_count() == claims - 5
    index.close()


def test_what_the_index_cannot_express_is_left_to_sparql(opened: tuple[EmbeddedStore, SearchIndex]) -> None:
    store, index = opened
    sparql, bound = QUERIES["claims-by-official"].prepare({"speaker": LIGHTHIZER})
    assert keys.page_keys(index, "claims-by-official", bound, paging.Page(), store.select) is None
    _, bound = QUERIES["who-said-what"].prepare({})
    assert keys.page_keys(index, "who-said-what", {**bound, "extra": bound["from"]}, paging.Page(),
                          store.select) is None


# -- over HTTP -------------------------------------------------------------------------------------------------

def rows_of(response: requests.Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    return [{k: v["value"] for k, v in b.items()} for b in response.json()["results"]["bindings"]]


def expected(opened: tuple[EmbeddedStore, SearchIndex], name: str, values: dict[str, str],
             page: paging.Page | None = None) -> list[dict[str, str]]:
    (rows, _), _ = both(opened, name, values, page or paging.Page())
    return [{k: t.value for k, t in r.items()} for r in rows.rows]


@pytest.fixture(scope="module")
def served(fixture_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app over a copy of the fixture store and its index, on a real loopback port, read-only."""
    target = tmp_path_factory.mktemp("keys-served") / "store"
    shutil.copytree(fixture_path, target)
    shutil.copy(index_path(str(fixture_path)), index_path(str(target)))
    server = LiveServer({"STORE": str(target), "QUERY_WORKERS": 0})
    yield server
    server.stop()


@pytest.mark.parametrize(("name", "values"), [
    ("who-said-what", {}), ("who-said-what", {"country": US, "undated": "true", "_limit": "3", "_offset": "2"}),
    ("search-claims", {"text": "Deal", "_limit": "2"}), ("claims-mentioning-country", {"country": US})])
def test_the_server_answers_from_the_index_and_says_so(served: LiveServer, opened: tuple[EmbeddedStore,
                                                       SearchIndex], name: str, values: dict[str, str]) -> None:
    r = requests.get(f"{served.url}/queries/{name}.json", params=values, timeout=60)
    assert r.headers["X-Page-Keys"] == "search-index"
    params = {k: v for k, v in values.items() if not k.startswith("_")}
    assert rows_of(r) == expected(opened, name, params, paging.page_of(values))


def test_names_as_parameters_give_the_iris_page(served: LiveServer, opened: tuple[EmbeddedStore,
                                                                                 SearchIndex]) -> None:
    r = requests.get(f"{served.url}/queries/who-said-what.json", params={"speaker": "Lighthizer"}, timeout=60)
    assert r.headers["X-Page-Keys"] == "search-index"
    assert rows_of(r) == expected(opened, "who-said-what", {"speaker": LIGHTHIZER}) != []


def test_the_form_page_and_other_queries(served: LiveServer) -> None:
    page = requests.get(f"{served.url}/queries/search-claims/form", params={"text": "deal"}, timeout=60)
    assert page.status_code == 200 and page.headers["X-Page-Keys"] == "search-index"
    other = requests.get(f"{served.url}/queries/top-issues.json", timeout=60)
    assert other.status_code == 200 and "X-Page-Keys" not in other.headers


def test_a_bad_parameter_is_the_same_400_and_page_keys_sparql_turns_the_index_off(
        served: LiveServer, make_app, fixture_path: Path,  # type: ignore[no-untyped-def]
        opened: tuple[EmbeddedStore, SearchIndex]) -> None:
    plain = make_app(fixture_path, PAGE_KEYS="sparql").test_client()
    bad = {"from": "June", "country": US}
    r = requests.get(f"{served.url}/queries/who-said-what.json", params=bad, timeout=60)
    refused = plain.get("/queries/who-said-what.json", query_string=bad)
    assert r.status_code == 400 == refused.status_code and "from" in r.json()["message"]
    assert r.json() == refused.json and "X-Page-Keys" not in r.headers
    r = plain.get("/queries/search-claims.json", query_string={"text": "deal"})
    assert r.headers["X-Page-Keys"] == 'sparql; reason="PAGE_KEYS=sparql"'
    assert [{k: v["value"] for k, v in b.items()} for b in r.json["results"]["bindings"]] == \
        expected(opened, "search-claims", {"text": "deal"})


def test_a_write_through_the_server_sends_pages_to_sparql_until_a_rebuild(fixture_path: Path, tmp_path: Path,
                                                                          make_live_server) -> None:  # type: ignore[no-untyped-def]
    """An edit inside an article graph keeps its content digest, so the index's sync cannot see it: after it, the
    pages come from the store (and stay so after a restart) until the index is rebuilt."""
    target = tmp_path / "store"
    shutil.copytree(fixture_path, target)
    shutil.copy(index_path(str(fixture_path)), index_path(str(target)))
    server = make_live_server(STORE=str(target), UPDATE_TOKEN=TOKEN, QUERY_WORKERS=0)
    url = f"{server.url}/queries/who-said-what.json"
    first = requests.get(url, timeout=60)
    assert first.headers["X-Page-Keys"] == "search-index"
    oldest = rows_of(first)[0]["claim"]
    moved = ("PREFIX cg: <https://w3id.org/claimgraph/ontology#> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>"
             f" DELETE {{ GRAPH ?g {{ <{oldest}> cg:statedOn ?d }} }}"
             f" INSERT {{ GRAPH ?g {{ <{oldest}> cg:statedOn \"2019-01-01\"^^xsd:date }} }}"
             f" WHERE {{ GRAPH ?g {{ <{oldest}> cg:statedOn ?d }} }}")
    done = requests.post(f"{server.url}/sparql", data=moved.encode(), timeout=60,
                         headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
    assert done.status_code in (200, 204), done.text
    after = requests.get(url, timeout=60)
    assert after.headers["X-Page-Keys"].startswith("sparql; reason=") and "written" in after.headers["X-Page-Keys"]
    claims = [r["claim"] for r in rows_of(after)]
    assert claims[-1] == oldest and claims[0] != oldest, "the moved claim is now the newest, as the store says"
    graph = article_graph("c")
    gone = requests.delete(f"{server.url}/store", params={"graph": graph}, timeout=60,
                           headers={"Authorization": f"Bearer {TOKEN}"})
    assert gone.status_code in (200, 204), gone.text
    left = requests.get(url, timeout=60)
    assert left.headers["X-Page-Keys"].startswith("sparql") and len(rows_of(left)) == len(claims) - 2
    server.stop()
    again = make_live_server(STORE=str(target), QUERY_WORKERS=0)
    assert requests.get(url.replace(server.url, again.url), timeout=60).headers["X-Page-Keys"].startswith("sparql"), \
        "a restart does not forget the write"
    again.stop()
    store = EmbeddedStore(target, read_only=True)
    index = SearchIndex(index_path(str(target)))
    assert index.keys_unsafe() is not None
    index.rebuild(store_selector(store))
    assert index.keys_unsafe() is None
    index.close()
    store.close()
    rebuilt = make_live_server(STORE=str(target), QUERY_WORKERS=0)
    r = requests.get(url.replace(server.url, rebuilt.url), timeout=60)
    assert r.headers["X-Page-Keys"] == "search-index" and rows_of(r) == rows_of(left), "in step again"


def test_the_details_step_starts_from_the_page_keys_not_from_the_parameters() -> None:
    """The details query of a keyed page carries its keys as constants; with the parameters' VALUES hint too,
    Oxigraph started from the parameter's triples (every claim of the speaker: 75 s for a page of donald-trump's
    at 37,534 articles against 0.2 s), so the embedded store leaves the hint out there (the substitution still
    binds them); a details query holding a sub-select, which a substitution does not reach, keeps it."""
    import pyoxigraph as ox

    from kg.sparql.binding import KEYS_GIVEN, with_values_hint

    asked: list[str] = []

    def select(sparql: str, bindings: object, max_rows: int | None) -> Solutions:
        asked.append(sparql)
        return Solutions(["claim"], [{"claim": ox.NamedNode(f"{CGID}claim/x")}] if len(asked) == 1 else [])

    sparql, bound = QUERIES["who-said-what"].prepare({"speaker": f"{CGID}person/robert-lighthizer"})
    substitutions = {ox.Variable(k): v for k, v in bound.items()}
    paging.select_page(select, sparql, bound, paging.Page(1, 0))
    keys_query, details = asked
    assert details.startswith(KEYS_GIVEN + "\n") and f"<{CGID}claim/x>" in details
    assert with_values_hint(details, substitutions) == details
    assert with_values_hint(keys_query, substitutions) != keys_query  # elsewhere the hint is written as before
    text = ("SELECT ?speaker ?claim WHERE { { SELECT ?claim WHERE { ?claim ?p ?o }\n#@ page\n}\n"
            "{ SELECT ?claim ?speaker WHERE { ?claim <http://x/speaker> ?speaker } } }")
    asked.clear()
    paging.select_page(select, text, {"speaker": ox.NamedNode(f"{CGID}person/x")}, paging.Page(1, 0))
    assert len(asked) == 2 and not asked[1].startswith(KEYS_GIVEN)
