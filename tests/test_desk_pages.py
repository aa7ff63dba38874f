"""Pages that scale: entity claim lists in pages with an order and downloads, 404 pages that suggest by name, the
paragraph around a claim, the speaker on hover over a highlighted claim, labels instead of IRIs, styled errors.
Over live servers on copies of the seed store; expected values come from SPARQL."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import copy_store
from tests.test_pages import ARTICLE, LIGHTHIZER, page, sparql

PREFIX = "PREFIX cg: <https://w3id.org/claimgraph/ontology#>\n"


@pytest.fixture(scope="module")
def small_pages(seed_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The seed served with three claims a page, so that pages are needed."""
    from tests.conftest import LiveServer
    store = copy_store(seed_store_path, tmp_path_factory.mktemp("paged") / "store")
    server = LiveServer({"STORE": str(store), "QUERY_WORKERS": 1, "CLAIMS_PER_PAGE": 3})
    yield server
    server.stop()


def claim_links(text: str) -> list[str]:
    table = text.split('<table class="claims">', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<td class="claim-text"><a href="([^"]+)"', table)


def test_a_speakers_claims_come_in_pages_newest_or_oldest_first(small_pages: Any) -> None:
    expected = {r["c"] for r in sparql(small_pages, PREFIX + f"SELECT ?c WHERE {{ ?c cg:speaker <{LIGHTHIZER}> }}")}
    seen: list[str] = []
    first = page(small_pages, "/id/person/robert-lighthizer").text
    pages = -(-len(expected) // 3)
    assert f"page 1 of {pages}" in first and f"Claims ({len(expected)})" in first
    for n in range(1, pages + 1):
        seen += claim_links(page(small_pages, f"/id/person/robert-lighthizer?page={n}").text)
    assert len(seen) == len(set(seen)) == len(expected)
    assert {"https://w3id.org/claimgraph" + s for s in seen} == expected
    oldest = page(small_pages, "/id/person/robert-lighthizer?sort=date-asc").text
    assert "<strong>oldest first</strong>" in oldest
    downloads = dict(re.findall(r'class="download"[^>]*? data-format="(\w+)" href="([^"]+)"', first))
    assert "who-said-what.csv" in downloads["csv"] and "robert-lighthizer" in downloads["csv"]
    assert page(small_pages, "/id/person/robert-lighthizer?page=x").status_code == 400


def most_mentioned(server: Any) -> str:
    return sparql(server, PREFIX + "SELECT ?country (COUNT(*) AS ?n) WHERE { ?c cg:mentionsCountry ?country } "
                  "GROUP BY ?country ORDER BY DESC(?n) LIMIT 1")[0]["country"]


def test_issue_and_country_claims_page_too(small_pages: Any) -> None:
    ns = "https://w3id.org/claimgraph/id/"
    for path, pattern in (("/id/issue/nafta-renegotiation", f"?c cg:about/<http://www.w3.org/2004/02/skos/core#"
                                                             f"broader>* <{ns}issue/nafta-renegotiation>"),
                          ("/id/" + most_mentioned(small_pages).removeprefix(ns),
                           f"?c cg:mentionsCountry <{most_mentioned(small_pages)}>")):
        total = len(sparql(small_pages, PREFIX + f"SELECT DISTINCT ?c WHERE {{ {pattern} }}"))
        text = page(small_pages, path).text
        assert len(claim_links(text)) == min(total, 3) and total, path
        assert ('rel="next"' in text) == (total > 3), path


@pytest.mark.parametrize(("path", "first"), [
    ("/id/person/robert-lightizer", "Robert Lighthizer"),
    ("/id/person/lighthizer", "Robert Lighthizer"),
    ("/id/person/freeland", "Chrystia Freeland"),
    ("/id/country/canda", "Canada"),
    ("/id/issue/sunset", "Sunset clause"),
])
def test_404_pages_suggest_the_nearest_entities_by_name(live_server: Any, path: str, first: str) -> None:
    response = page(live_server, path)
    assert response.status_code == 404
    suggestions = re.findall(r'<li><a href="[^"]+">([^<]+)</a>', response.text.split('<ul class="suggestions">')[1])
    assert suggestions[0] == first


def test_a_claim_page_shows_its_paragraph(live_server: Any) -> None:
    claim = "/id/claim/nafta-talks-2018/1351-1403"
    text = page(live_server, claim).text
    context = html.unescape(text.split('id="claim-context">', 1)[1].split("</dd>", 1)[0])
    exact = sparql(live_server, PREFIX + "PREFIX oa: <http://www.w3.org/ns/oa#> SELECT ?x WHERE { "
                   f"<https://w3id.org/claimgraph{claim}> cg:evidence/oa:hasSelector/oa:exact ?x }}")[0]["x"]
    assert f'<mark class="exact">{exact}</mark>' in context
    assert len(re.sub(r"<[^>]+>", "", context)) > len(exact) + 60  # more than the 30 characters of before


def test_hovering_a_highlighted_claim_shows_its_speaker(live_server: Any) -> None:
    text = page(live_server, "/id/article/nafta-talks-2018").text
    titles = re.findall(r'<mark class="claim" data-claims="([\d\- ]+)"[^>]* title="([^"]+)"', text)
    assert titles
    rows = sparql(live_server, PREFIX + "PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX rdfs: "
                  "<http://www.w3.org/2000/01/rdf-schema#> PREFIX prov: <http://www.w3.org/ns/prov#> "
                  f"SELECT ?s ?e ?name WHERE {{ ?c prov:wasDerivedFrom <{ARTICLE}> ; cg:speaker/rdfs:label ?name ; "
                  "cg:evidence/oa:hasSelector ?p . ?p oa:start ?s ; oa:end ?e }")
    speakers = {f"{r['s']}-{r['e']}": r["name"] for r in rows}
    for keys, title in titles:
        named = [speakers[k] for k in keys.split() if k in speakers]
        assert all(name in html.unescape(title) for name in named)


def test_kinds_and_broader_issues_are_words_not_iris(live_server: Any) -> None:
    issue = page(live_server, "/id/person/robert-lighthizer").text
    table = issue.split('<table class="claims">', 1)[1].split("</table>", 1)[0]
    assert "IndirectQuote" not in table and "indirect quote" in table
    scheme = page(live_server, "/id/issue-scheme").text
    assert ">cgid:issue/" not in scheme


def test_error_pages_use_the_site_layout(live_server: Any) -> None:
    response = page(live_server, "/queries/no-such-query/form")
    assert response.status_code == 404
    assert 'id="error-message"' in response.text and "style.css" in response.text


def test_the_editors_examples_are_the_queries_as_they_run(seed_client: Any) -> None:
    """Each canned query's example in /sparql-editor is the text that query runs with its example values: one
    variant of its '#? name' lines (never both sides), the parameters bound as VALUES."""
    import json
    import re

    from kg.queries import load_queries

    html = seed_client.get("/sparql-editor").get_data(as_text=True)
    config = json.loads(re.search(r'<script type="application/json" id="editor-config">(.*?)</script>', html,
                                  re.S).group(1))
    for q in load_queries().values():
        text = config["examples"][q.name]
        sparql, bound = q.prepare(q.example_values())
        # a group whose own BIND or FILTER names a parameter opens with its VALUES too (kg.sparql.bind_values)
        def unbound(s: str) -> str:
            return " ".join(re.sub(r"VALUES \([?\w ]+\) \{ \([^{}]*\) \}", " ", s).split())
        shown = unbound(text)
        for line in sparql.splitlines():
            assert unbound(line) in shown, f"{q.name}: {line!r} missing"
        marked = re.findall(r"#\? (!?)(\w+)\s*$", text, re.M)
        assert not {n for neg, n in marked if neg} & {n for neg, n in marked if not neg}, q.name
        assert all(f"?{name}" in text for name in bound), q.name
