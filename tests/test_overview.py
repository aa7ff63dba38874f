"""The landing page's counts and lists, and ``kg stats``' counts, from the search index (kg.overview, kg.stats): the
same numbers and rows as the store's queries on a real embedded store (test_rankings' four articles), after a
re-ingest and a deletion, for an index made before the tables (filled at its next sync), and through the app: the
landing page from the index and from the store (its summaries marked stale) shows the same."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import overview, stats
from kg.cli import cli
from kg.search import SearchIndex, index_path, store_selector
from kg.store import EmbeddedStore, Store
from server import describe
from server.app import create_app
from tests.test_rankings import reingest_and_delete, select_of, written_and_indexed

CAPS = (1, 2, 3, 25)


@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Store, SearchIndex]]:
    """test_rankings' four articles written and indexed as ``kg ingest`` does (the folder closed, to copy), then
    opened read-only, with a copy of the index."""
    folder = written_and_indexed(tmp_path_factory.mktemp("overview") / "store")
    store = EmbeddedStore(folder, read_only=True)
    index = SearchIndex(shutil.copy(index_path(str(folder)), tmp_path_factory.mktemp("index") / "i.sqlite"))
    yield folder, store, index
    index.close()
    store.close()


def store_counts(store: Store) -> dict[str, int]:
    return stats.dataset_stats(store)


def store_rows(store: Store, sparql: str, cap: int) -> list[dict[str, object]]:
    return store.select(describe.SPARQL_PREFIXES + sparql + f"\nLIMIT {cap}").rows


def assert_same(store: Store, index: SearchIndex) -> None:
    expected = store_counts(store)
    counted = stats.index_counts(index.db)
    assert counted is not None
    assert counted == {k: v for k, v in expected.items() if k in counted}
    for cap in CAPS:
        for what, sparql, labels in (("speaker", describe.TOP_SPEAKERS, describe.SPEAKER_LABELS),
                                     ("issue", describe.TOP_ISSUES, describe.ISSUE_LABELS)):
            found = overview.ranked(index.db, select_of(store), what, labels, cap)
            assert found is not None
            assert found[1] == store_rows(store, sparql, cap), (what, cap)
        latest = overview.latest_articles(index.db, cap)
        assert store_rows(store, describe.articles_of(latest), cap) == store_rows(store, describe.ARTICLES, cap)


def test_the_index_gives_the_stores_counts_and_lists(fixture_store: tuple[Path, Store, SearchIndex]) -> None:
    _, store, index = fixture_store
    assert_same(store, index)
    counted = stats.index_counts(index.db)
    assert counted is not None  # not vacuous: the fixture's four articles, their claims, people and countries
    assert counted["articles"] == 4 and counted["claims"] > 4 and counted["officials"] >= 2
    assert counted["countries"] >= 2 and counted["issues"] >= 2


def test_reingest_and_deletion_keep_them_exact(tmp_path: Path) -> None:
    articles = []
    for store, index in reingest_and_delete(tmp_path):
        assert_same(store, index)
        counted = stats.index_counts(index.db)
        assert counted is not None
        articles.append(counted["articles"])
    assert articles == [4, 4, 3]


def test_an_index_made_before_the_tables_gains_them_at_its_next_sync(
        fixture_store: tuple[Path, Store, SearchIndex], tmp_path: Path) -> None:
    folder, store, _ = fixture_store
    copy = Path(shutil.copy(index_path(str(folder)), tmp_path / "old.sqlite"))
    db = sqlite3.connect(copy)  # as an index made before kg.overview's tables was
    for table in overview.TABLES:
        db.execute(f"DROP TABLE {table}")
    db.execute("DELETE FROM meta WHERE key = ?", (overview.MARK,))
    db.commit()
    db.close()
    index = SearchIndex(copy)
    try:
        assert stats.index_counts(index.db) is None  # not filled: the store answers
        index.sync(store_selector(store))
        assert overview.filled(index.db)
        assert_same(store, index)
    finally:
        index.close()


def test_stale_summaries_are_not_used(fixture_store: tuple[Path, Store, SearchIndex], tmp_path: Path) -> None:
    folder, _, _ = fixture_store
    index = SearchIndex(shutil.copy(index_path(str(folder)), tmp_path / "i.sqlite"))
    try:
        index.mark_rankings_stale()
        assert stats.index_counts(index.db) is None
    finally:
        index.close()


def test_kg_stats_gives_the_same_counts_with_and_without_the_index(
        fixture_store: tuple[Path, Store, SearchIndex], tmp_path: Path) -> None:
    folder, store, _ = fixture_store
    target = tmp_path / "store"
    shutil.copytree(folder, target)
    expected = store_counts(store)
    with_index = CliRunner().invoke(cli, ["stats", "--json", "--store", str(target)])
    assert with_index.exit_code == 0, with_index.output
    shutil.copy(index_path(str(folder)), index_path(str(target)))
    assert json.loads(with_index.output) == expected
    indexed = CliRunner().invoke(cli, ["stats", "--json", "--store", str(target)])
    assert indexed.exit_code == 0, indexed.output
    assert json.loads(indexed.output) == expected


LANDING_PARTS = re.compile(r'<ul class="stats".*?</ul>|<div class="columns">.*?</div>\n', re.S)


@pytest.fixture()
def served(fixture_store: tuple[Path, Store, SearchIndex], tmp_path: Path) -> Path:
    folder, _, _ = fixture_store
    target = tmp_path / "store"
    shutil.copytree(folder, target)
    shutil.copy(index_path(str(folder)), index_path(str(target)))
    return target


def landing_parts(client: object) -> str:
    response = client.get("/")  # type: ignore[attr-defined]
    assert response.status_code == 200
    return "".join(LANDING_PARTS.findall(response.get_data(as_text=True)))


def test_the_landing_page_shows_the_same_from_the_index_and_from_the_store(served: Path) -> None:
    from server.pages import OVERVIEW_CACHE
    from server.search import search_index

    app = create_app({"STORE": str(served), "TESTING": True})
    with app.test_client() as client:
        from_index = landing_parts(client)
        with app.app_context():
            index = search_index()
            assert stats.index_counts(index.db) is not None  # the page above could read the index
            index.mark_rankings_stale()
        app.extensions.pop(OVERVIEW_CACHE)
        from_store = landing_parts(client)
    assert from_index == from_store
    assert 'data-stat="officials"' in from_index and "robert-lighthizer" in from_index
