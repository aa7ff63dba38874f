"""The ranking queries from the search index's store-wide summaries (kg.rankings): the same rows as their SPARQL on
a real embedded store on disk, for defaults, ranges, minimums and pages; after a re-ingest with other claims and a
deletion (the summaries added and subtracted exactly: equal to a build from nothing); an index made before the
summaries gains them when opened; and through a real server on loopback, whose SPARQL Update and Graph Store
writes make the rankings fall back to SPARQL (never a wrong answer), as ``kg query`` does then.

The fixture is tests/test_canned_rows.py's three articles (its rows are worked out by hand there) and a fourth, d,
that gives co-quoted a pair quoted in two articles and contested-issues a third country.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from click.testing import CliRunner

from kg import paging, rankings
from kg.bulk_write import write_articles
from kg.cli import cli
from kg.extract.model import Extraction
from kg.ingest import ensure_static_graphs
from kg.queries import load_queries
from kg.query_job import Solutions
from kg.search import SearchIndex, index_path, store_selector
from kg.store import EmbeddedStore, Store
from tests.conftest import LiveServer
from tests.test_canned_rows import (
    CGID,
    LIGHTHIZER,
    NAFTA,
    RUIZ,
    SUNSET,
    _article,
    _claim,
    _person,
    fixture_extractions,
)

QUERIES = load_queries()
TOKEN = "rankings-token"
D_TEXT = ("Chrystia Freeland said the sunset clause was unacceptable. Robert Lighthizer said the sunset clause "
          "stays. Ana Ruiz said the NAFTA talks would end soon.")
GRAPH = "https://w3id.org/claimgraph/graph/article/"


def article_d(lighthizer_says: str = "the sunset clause stays") -> Extraction:
    text = D_TEXT.replace("the sunset clause stays", lighthizer_says)
    return _article("d", text, "2018-08-02", [
        _person("person/robert-lighthizer", "Robert Lighthizer", text, "US", True),
        _person("person/chrystia-freeland", "Chrystia Freeland", text, "CA", True),
        _person("person/ana-ruiz", "Ana Ruiz", text, "MX", False)], [
        _claim(text, "the sunset clause was unacceptable", "person/chrystia-freeland", "Chrystia Freeland",
               ["sunset-clause"], [], "2018-08-01"),
        _claim(text, lighthizer_says, "person/robert-lighthizer", "Robert Lighthizer",
               ["sunset-clause"] if "sunset" in lighthizer_says else ["nafta-renegotiation"], [], "2018-08-02"),
        _claim(text, "the NAFTA talks would end soon", "person/ana-ruiz", "Ana Ruiz", ["nafta-renegotiation"], [],
               "2018-08-02")])


CASES = [
    ("top-issues", {}), ("top-issues", {"from": "2018-06-01", "to": "2018-06-30"}),
    ("top-issues", {"minClaims": "2"}), ("top-issues", {"from": "2018-06-10"}), ("top-issues", {"to": "2018-06-09"}),
    ("top-issues", {"from": "2018-09-01", "to": "2018-01-01"}),
    ("contested-issues", {}), ("contested-issues", {"minCountries": "1"}), ("contested-issues", {"minCountries": "3"}),
    ("contested-issues", {"from": "2018-06-10", "to": "2018-08-01"}),
    ("co-quoted", {}), ("co-quoted", {"minArticles": "2"}), ("co-quoted", {"speaker": RUIZ}),
    ("co-quoted", {"speaker": LIGHTHIZER, "minArticles": "2"}),
    ("issue-by-label", {"label": "sunset clause@en"}), ("issue-by-label", {"label": "NAFTA renegotiation@en"}),
    ("issue-by-label", {"label": "NAFTA@en"}),
    ("issue-by-label", {"label": "no such issue@en"}), ("issue-by-label", {"label": "sunset clause@fr"}),
]
PAGES = [paging.Page(100, 0), paging.Page(1, 0), paging.Page(1, 1), paging.Page(2, 3)]


@pytest.fixture(scope="module")
def closed_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The four articles written and indexed as ``kg ingest`` does, store and index closed (tests copy them)."""
    return written_and_indexed(tmp_path_factory.mktemp("rankings") / "store")


def written_and_indexed(folder: Path) -> Path:
    """``folder``: a store of the four articles written and indexed as ``kg ingest`` does, store and index closed."""
    store = EmbeddedStore(folder)
    ensure_static_graphs(store)
    written = write_articles(store, [*fixture_extractions(), article_d()], batch_articles=2)
    index = SearchIndex(index_path(str(folder)))
    index.index_articles(store_selector(store), [p.graph for p in written])
    index.close()
    store.close()
    return folder


@pytest.fixture(scope="module")
def fixture_store(closed_store: Path, tmp_path_factory: pytest.TempPathFactory
                  ) -> Iterator[tuple[Path, Store, SearchIndex]]:
    """The closed store opened read-only, and a copy of its index."""
    store = EmbeddedStore(closed_store, read_only=True)
    index = SearchIndex(shutil.copy(index_path(str(closed_store)), tmp_path_factory.mktemp("index") / "i.sqlite"))
    yield closed_store, store, index
    index.close()
    store.close()


def served_copy(closed_store: Path, target: Path) -> Path:
    """A private copy of the closed store and its index."""
    shutil.copytree(closed_store, target)
    shutil.copy(index_path(str(closed_store)), index_path(str(target)))
    return target


def select_of(store: Store) -> paging.Select:
    return lambda text, subs, most: store.select(text, subs, max_rows=most)


def comparable(solutions: Solutions) -> list[dict[str, object]]:
    """The rows, with contested-issues' country names as a sorted list: SPARQL leaves GROUP_CONCAT's order to the
    store (the summaries give code point order), while the names and their language must be the same."""
    out: list[dict[str, object]] = []
    for row in solutions.rows:
        names = row.get("countryNames")
        out.append({**row, "countryNames": (sorted(names.value.split(", ")), names.language)}
                   if isinstance(names, ox.Literal) else dict(row))
    return out


def assert_same(store: Store, index: SearchIndex, name: str, values: dict[str, str], page: paging.Page) -> None:
    sparql, bound = QUERIES[name].prepare(values)
    answered = index.ranking(name, bound, page, select_of(store))
    expected, more = paging.select_page(select_of(store), sparql, bound, page)
    assert answered is not None, (name, values)
    assert answered[0].variables == expected.variables
    assert comparable(answered[0]) == comparable(expected), (name, values, page)
    assert answered[1] == more, (name, values, page)


def assert_all_same(store: Store, index: SearchIndex) -> None:
    for name, values in CASES:
        for page in PAGES:
            assert_same(store, index, name, values, page)


def test_the_summaries_give_the_sparql_rows(fixture_store: tuple[Path, Store, SearchIndex]) -> None:
    _, store, index = fixture_store
    assert_all_same(store, index)
    top = index.ranking("top-issues", QUERIES["top-issues"].prepare({})[1], paging.Page(), select_of(store))
    assert top is not None
    # not vacuous: the hand-checked counts of test_canned_rows, with article d's two sunset and one NAFTA claims
    assert [(r["issue"].value, r["claims"].value, r["first"]) for r in top[0].rows][:2] == [
        (SUNSET, "6", ox.Literal("2018-05-01", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))),
        (NAFTA, "4", ox.Literal("2018-06-09", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")))]
    pairs = index.ranking("co-quoted", QUERIES["co-quoted"].prepare({})[1], paging.Page(), select_of(store))
    assert pairs is not None and pairs[0].rows[0]["articles"].value == "2"
    assert pairs[0].rows[0]["exampleArticle"].value == f"{CGID}article/c"


def test_a_range_the_summaries_cannot_compare_runs_as_sparql(fixture_store: tuple[Path, Store, SearchIndex]) -> None:
    _, store, index = fixture_store
    zoned = {"from": ox.Literal("2018-06-01Z", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))}
    bound = {**QUERIES["top-issues"].prepare({})[1], **zoned}
    assert index.ranking("top-issues", bound, paging.Page(), select_of(store)) is None
    assert index.ranking("who-said-what", {}, paging.Page(), select_of(store)) is None


def summary_tables(db: sqlite3.Connection) -> dict[str, list[tuple[object, ...]]]:
    return {t: sorted(db.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in rankings.TABLES}


def reingest_and_delete(tmp_path: Path) -> Iterator[tuple[Store, SearchIndex]]:
    """The four articles written and indexed as ``kg ingest`` does, then d again with Lighthizer on the NAFTA
    renegotiation instead of the sunset clause (Ruiz's claim kept), then c's graph dropped and the index synced: the
    store and its index after each of the three (closed at the end)."""
    store = EmbeddedStore(tmp_path / "store")
    ensure_static_graphs(store)
    written = write_articles(store, [*fixture_extractions(), article_d()], batch_articles=2)
    index = SearchIndex(tmp_path / "index.sqlite")
    select = store_selector(store)
    try:
        index.index_articles(select, [p.graph for p in written])
        yield store, index
        write_articles(store, [article_d("the NAFTA deal was close")])
        index.index_articles(select, [GRAPH + "d"])
        yield store, index
        store.apply(f"DROP GRAPH <{GRAPH}c>")
        index.sync(select)
        yield store, index
    finally:
        index.close()
        store.close()


def test_reingest_and_deletion_keep_the_summaries_exact(tmp_path: Path) -> None:
    for step, (store, index) in enumerate(reingest_and_delete(tmp_path)):
        if step == 0:
            continue
        assert_all_same(store, index)
        if step == 2:
            incremental = summary_tables(index.db)
            assert incremental["rank_pairs"] and incremental["rank_issue_days"]
            with index.db:
                index.db.execute("BEGIN")
                rankings.build(index.db)
                index.db.execute("COMMIT")
            assert summary_tables(index.db) == incremental  # added and subtracted exactly: a build agrees


def test_an_index_made_before_the_summaries_gains_them_when_opened(
        fixture_store: tuple[Path, Store, SearchIndex], tmp_path: Path) -> None:
    folder, store, index = fixture_store
    copy = tmp_path / "old.sqlite"
    shutil.copy(index_path(str(folder)), copy)
    db = sqlite3.connect(copy)
    rankings.drop(db)
    db.commit()
    db.close()
    old = SearchIndex(copy)
    try:
        assert summary_tables(old.db) == summary_tables(index.db)
        assert_all_same(store, old)
    finally:
        old.close()


def _rows(body: bytes) -> list[dict[str, str]]:
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(body)["results"]["bindings"]]


def test_the_server_answers_from_the_summaries_until_a_write_then_by_sparql(closed_store: Path,
                                                                          tmp_path: Path) -> None:
    served = served_copy(closed_store, tmp_path / "store")
    server = LiveServer({"STORE": str(served), "QUERY_WORKERS": 0, "UPDATE_TOKEN": TOKEN})
    try:
        url = server.url + "/queries/top-issues.json"
        first = requests.get(url, timeout=30)
        assert first.status_code == 200
        expected = _rows(first.content)
        assert expected[0]["issue"] == SUNSET and expected[0]["claims"] == "6"
        # the server reads the summaries: a count changed in the index alone shows in its answer
        served_index = sqlite3.connect(index_path(str(served)), isolation_level=None)
        served_index.execute("UPDATE rank_issue_days SET claims = claims + 100 WHERE issue = ?", (NAFTA,))
        assert _rows(requests.get(url, timeout=30).content)[0]["issue"] == NAFTA
        served_index.execute("UPDATE rank_issue_days SET claims = claims - 100 WHERE issue = ?", (NAFTA,))
        assert _rows(requests.get(url, timeout=30).content) == expected
        pairs = requests.get(server.url + "/queries/co-quoted.json", params={"_limit": "1"}, timeout=30)
        assert pairs.status_code == 200 and 'rel="next"' in pairs.headers["Link"]
        # a SPARQL Update adds a claim's tally the index cannot know of: the answer is the store's, by SPARQL
        tally = f"{CGID}tally/x/issue/nafta-renegotiation/2018-06-11"
        update = (f"PREFIX cg: <https://w3id.org/claimgraph/ontology#> INSERT DATA {{ GRAPH <{GRAPH}b> {{ "
                  f"<{tally}> a cg:IssueTally ; cg:tallyOf <{NAFTA}> ; cg:claimCount 9 ; "
                  f"cg:tallyDate \"2018-06-11\"^^<http://www.w3.org/2001/XMLSchema#date> ; "
                  f"<http://www.w3.org/ns/prov#wasDerivedFrom> <{CGID}article/b> }} }}")
        done = requests.post(server.url + "/sparql", data={"update": update},
                             headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)
        assert done.status_code in (200, 204), done.text
        # marked in the file at the write, before any ranking is asked again (a restart would trust it otherwise)
        assert served_index.execute("SELECT value FROM meta WHERE key = 'rankings'").fetchone()[0] == rankings.STALE
        after = _rows(requests.get(url, timeout=30).content)
        assert after[0]["issue"] == NAFTA and after[0]["claims"] == "13"
        # a Graph Store delete: still the store's answer
        gone = requests.delete(server.url + "/store", params={"graph": GRAPH + "b"},
                               headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)
        assert gone.status_code in (200, 204), gone.text
        assert [r["claims"] for r in _rows(requests.get(url, timeout=30).content)] == ["5", "2", "1"]
        served_index.close()
    finally:
        server.stop()


def test_kg_query_answers_from_an_index_in_step_and_else_by_sparql(closed_store: Path, tmp_path: Path) -> None:
    copy = served_copy(closed_store, tmp_path / "store")
    db = sqlite3.connect(index_path(str(copy)), isolation_level=None)
    db.execute("UPDATE rank_issue_days SET claims = claims + 100 WHERE issue = ? AND day = '2018-06-09'",
               (NAFTA,))  # a count in the index alone: shows which path answered

    def top() -> str:
        done = CliRunner().invoke(cli, ["query", "top-issues", "--store", str(copy), "--format", "csv"])
        assert done.exit_code == 0, done.output
        return done.output.splitlines()[1]

    assert NAFTA in top() and ",104," in top()  # from the summaries
    digest = db.execute("SELECT digest FROM articles WHERE graph = ?", (GRAPH + "d",)).fetchone()[0]
    db.execute("DELETE FROM articles WHERE graph = ?", (GRAPH + "d",))  # the index no longer in step
    assert SUNSET in top()  # by SPARQL
    db.execute("INSERT INTO articles VALUES (?, ?)", (GRAPH + "d", digest))
    assert NAFTA in top()  # in step again: the summaries
    db.execute("UPDATE meta SET value = ? WHERE key = 'rankings'", (rankings.STALE,))
    assert SUNSET in top()  # stale summaries: by SPARQL
    db.close()
