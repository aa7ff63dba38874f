"""Pages show a claim of an unnamed source as what it is: an anonymous source of that article, linked to its node,
never as an unresolved speaker."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.extract import Extractor
from kg.ingest import ingest
from kg.store import EmbeddedStore
from tests.conftest import MakeApp

ARTICLE = {"id": "anon-talks", "published": "2018-05-01", "headline": "Talks stall over the sunset clause",
           "text": 'WASHINGTON - The talks stalled on Monday. "We are not close to a deal," a senior administration '
                   "official said. Canadian Foreign Minister Chrystia Freeland said progress was being made."}
SOURCE = "/id/source/anon-talks/a-senior-administration-official"


@pytest.fixture
def anonymous_store(extractor: Extractor, tmp_path: Path) -> Path:
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps(ARTICLE), encoding="utf-8")
    with EmbeddedStore(tmp_path / "store") as store:
        assert ingest(store, [str(feed)], extractor=extractor).articles == 1
        rows = list(store.query("PREFIX cg: <https://w3id.org/claimgraph/ontology#> "
                                "SELECT ?claim ?source WHERE { ?claim cg:anonymousSource ?source }"))
    assert [r["source"].value for r in rows] == ["https://w3id.org/claimgraph" + SOURCE]  # type: ignore[index,union-attr]
    return tmp_path / "store"


def test_the_claim_page_names_the_anonymous_source_and_links_it(make_app: MakeApp, anonymous_store: Path) -> None:
    client = make_app(anonymous_store).test_client()
    html = client.get("/id/claim/anon-talks/43-70", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert f'href="{SOURCE}"' in html and "anonymous source" in html
    assert "unresolved" not in html


def test_the_article_page_marks_anonymous_sources_beside_named_speakers(make_app: MakeApp,
                                                                       anonymous_store: Path) -> None:
    client = make_app(anonymous_store).test_client()
    html = client.get("/id/article/anon-talks", headers={"Accept": "text/html"}).get_data(as_text=True)
    table = html.split("<h2>Claims</h2>", 1)[1]
    assert f'href="{SOURCE}"' in table and table.count("anonymous source") == 1
    assert "Chrystia Freeland" in table and "unresolved" not in table
    assert 'title="a senior administration official (anonymous source)"' in html  # the highlighted span's tip


def test_the_source_page_lists_the_claim_it_made(make_app: MakeApp, anonymous_store: Path) -> None:
    client = make_app(anonymous_store).test_client()
    page = client.get(SOURCE, headers={"Accept": "text/html"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Anonymous source" in html and "/id/claim/anon-talks/43-70" in html
