"""Pages of a canned query's answer over HTTP (kg.paging): ``_limit`` rows from ``_offset``, a ``Link`` to the next
page when more rows follow, every row reachable page by page and equal to the whole answer, bad options refused.

The seed store (the sample article by the real `kg ingest`) answers article-claims with 18 rows, in reading order.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from pyoxigraph import Literal, NamedNode

from kg import paging
from kg.errors import BadInput
from kg.queries import BadQueryFile, parse_query
from kg.query_job import Solutions
from server import app as server_app
from tests.conftest import MakeApp

pytestmark = pytest.mark.integration

ARTICLE = {"article": "https://w3id.org/claimgraph/id/article/nafta-talks-2018"}


def starts(body: bytes) -> list[int]:
    return [int(b["start"]["value"]) for b in json.loads(body)["results"]["bindings"]]


def next_of(link: str | None) -> str | None:
    m = re.fullmatch(r'<([^>]+)>; rel="next"', link or "")
    return m.group(1) if m else None


def test_pages_cover_the_whole_answer_in_order_and_the_last_has_no_next(seed_client: FlaskClient) -> None:
    whole = seed_client.get("/queries/article-claims.json", query_string={**ARTICLE, "_limit": "1000"})
    assert whole.status_code == 200 and "Link" not in whole.headers
    everything = starts(whole.data)
    assert len(everything) == 18 and everything == sorted(everything)
    seen, url, pages = [], "/queries/article-claims.json?" + "&".join(f"{k}={v}" for k, v in ARTICLE.items()) \
        + "&_limit=5", 0
    while url:
        r = seed_client.get(url)
        assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/sparql-results+json")
        seen += starts(r.data)
        pages += 1
        url = next_of(r.headers.get("Link"))
        assert url is None or "article=" in url, "the next page keeps the parameters"
    assert seen == everything and pages == 4, "5 + 5 + 5 + 3 rows, the last page without a next link"


def test_without_limit_a_page_holds_the_default_rows(seed_client: FlaskClient) -> None:
    assert paging.page_of({}) == paging.Page(paging.DEFAULT_LIMIT, 0) and paging.DEFAULT_LIMIT == 100
    r = seed_client.get("/queries/article-claims.json", query_string=ARTICLE)
    assert len(starts(r.data)) == 18 and "Link" not in r.headers, "18 rows fit in one default page"


def test_the_plain_html_table_links_the_next_page(make_app: MakeApp, seed_store_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the pages blueprint, a browser gets the plain table of the page, with a link to the next one."""
    monkeypatch.setattr(server_app, "OPTIONAL_BLUEPRINTS", ("server.queries_views",))
    client = make_app(seed_store_path).test_client()
    r = client.get("/queries/article-claims", query_string={**ARTICLE, "_limit": "5", "_offset": "5"},
                   headers={"Accept": "text/html"})
    html = r.data.decode()
    assert r.status_code == 200 and html.count("<tr>") == 6, "the header and five rows"
    assert "5 row(s) from row 6" in html and 'rel="next"' in html and "_offset=10" in html
    last = client.get("/queries/article-claims", query_string={**ARTICLE, "_limit": "5", "_offset": "15"},
                      headers={"Accept": "text/html"}).data.decode()
    assert "3 row(s) from row 16" in last and 'rel="next"' not in last


def test_csv_says_there_is_more(seed_client: FlaskClient) -> None:
    r = seed_client.get("/queries/article-claims.csv", query_string={**ARTICLE, "_limit": "4", "_offset": "16"})
    rows = list(csv.DictReader(io.StringIO(r.data.decode())))
    assert len(rows) == 2 and "Link" not in r.headers, "rows 17 and 18 of 18: the last page"
    r = seed_client.get("/queries/article-claims.csv", query_string={**ARTICLE, "_limit": "4"})
    assert len(list(csv.DictReader(io.StringIO(r.data.decode())))) == 4
    assert "_offset=4" in (next_of(r.headers.get("Link")) or "")


@pytest.mark.parametrize("options, problem", [
    ({"_limit": "0"}, "'_limit': 0 is out of range"),
    ({"_limit": "ten"}, "'_limit': 'ten' is not a whole number"),
    ({"_limit": str(paging.MAX_LIMIT + 1)}, "out of range (from 1 to 10,000)"),
    ({"_offset": "-1"}, "'_offset': -1 is out of range (0 or more)"),
])
def test_a_bad_page_option_is_a_400_naming_it(seed_client: FlaskClient, options: dict[str, str],
                                              problem: str) -> None:
    r = seed_client.get("/queries/article-claims.json", query_string={**ARTICLE, **options})
    assert r.status_code == 400 and problem in r.get_json()["message"]


def test_the_page_clause_goes_at_the_mark_or_at_the_end() -> None:
    marked = "SELECT ?s WHERE {\n  { SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s\n  #@ page\n  }\n} ORDER BY ?s\n"
    assert "ORDER BY ?s\nLIMIT 3 OFFSET 4\n  }" in paging.paged(marked, paging.Page(2, 4))
    assert paging.paged("SELECT ?s WHERE { ?s ?p ?o }", paging.Page(2, 4)).endswith("}\nLIMIT 3 OFFSET 4\n")
    with pytest.raises(BadInput, match="'_offset'"):
        paging.page_of({"_offset": "1.5"})


def test_a_query_file_with_its_own_outer_limit_is_refused() -> None:
    with pytest.raises(BadQueryFile, match="leave LIMIT and OFFSET out"):
        parse_query("x", "#+ summary: x\nSELECT ?s WHERE { ?s ?p ?o } LIMIT 10\n")
    assert parse_query("y", "#+ summary: y\nSELECT ?s WHERE { { SELECT ?s { ?s ?p ?o } LIMIT 9 } }\n")


def test_a_page_is_written_by_oxigraphs_writers_in_row_order() -> None:
    rows = [{"n": Literal("2", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
             "s": NamedNode("http://ex/b")},
            {"s": NamedNode("http://ex/a"), "t": Literal('say "hi"\n', language="en")}]
    body = json.loads(paging.serialize(Solutions(["s", "n", "t"], rows), "application/sparql-results+json"))
    assert body["head"]["vars"] == ["s", "n", "t"]
    assert body["results"]["bindings"] == [
        {"s": {"type": "uri", "value": "http://ex/b"},
         "n": {"type": "literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "2"}},
        {"s": {"type": "uri", "value": "http://ex/a"}, "t": {"type": "literal", "xml:lang": "en",
                                                              "value": 'say "hi"\n'}}]
    empty = json.loads(paging.serialize(Solutions(["s"], []), "application/sparql-results+json"))
    assert empty["head"]["vars"] == ["s"] and empty["results"]["bindings"] == []
