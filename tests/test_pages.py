"""HTML pages and Linked Data over a real server on loopback (``live_server``), read with requests and rdflib.

Expected values come from the store through the SPARQL endpoint, not from the pages' own code.
"""

from __future__ import annotations

import re
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib
import requests
from rdflib.namespace import OWL, RDF, RDFS

from kg import formats
from kg.store import EmbeddedStore
from tests.conftest import copy_store

ID = "https://w3id.org/claimgraph/id/"
CG = rdflib.Namespace("https://w3id.org/claimgraph/ontology#")
HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
LIGHTHIZER = ID + "person/robert-lighthizer"
TRUMP = ID + "person/donald-trump"
ARTICLE = ID + "article/nafta-talks-2018"


def page(server: Any, path: str, **kwargs: Any) -> requests.Response:
    return requests.get(server.url + path, headers=kwargs.pop("headers", HTML), timeout=30, **kwargs)


def sparql(server: Any, query: str) -> list[dict[str, str]]:
    """Rows of a SELECT through the server's SPARQL endpoint, values as plain strings."""
    response = requests.post(server.url + "/sparql", data={"query": query},
                             headers={"Accept": "application/sparql-results+json"}, timeout=30)
    response.raise_for_status()
    return [{k: v["value"] for k, v in b.items()} for b in response.json()["results"]["bindings"]]


class Marks(HTMLParser):
    """Collects the text inside each ``<mark data-claims>`` of the article body, per claim key."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[list[str]] = []
        self.pieces: dict[str, list[str]] = defaultdict(list)
        self.in_body = False
        self.body: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id") == "article-body":
            self.in_body = True
        if self.in_body and tag == "mark":
            self.stack.append((a.get("data-claims") or "").split())

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark" and self.stack:
            self.stack.pop()
        elif tag == "div" and self.in_body:
            self.in_body = False

    def handle_data(self, data: str) -> None:
        if not self.in_body:
            return
        self.body.append(data)
        for keys in self.stack:
            for key in keys:
                self.pieces[key].append(data)


# -- landing page -----------------------------------------------------------------------------------------------

def test_landing_page_shows_statistics_entry_points_forms_and_editor(live_server: Any) -> None:
    from kg.queries import load_queries

    response = page(live_server, "/")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    html = response.text
    claims = sparql(live_server, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a "
                                 "<https://w3id.org/claimgraph/ontology#Claim> }")[0]["n"]
    assert f'<li data-stat="claims"><span class="count">{int(claims):,}</span>' in html
    assert '<li data-stat="articles"><span class="count">1</span>' in html
    countries = sparql(live_server, "SELECT (COUNT(DISTINCT ?k) AS ?n) WHERE { ?m "
                                    "<https://w3id.org/claimgraph/ontology#mentionOf> ?k . ?k a "
                                    "<https://w3id.org/claimgraph/ontology#Country> }")[0]["n"]
    assert int(countries) >= 3, "the seed names the United States, Canada and Mexico at least"
    assert f'<li data-stat="countries"><span class="count">{int(countries):,}</span>' in html
    assert "Robert Lighthizer" in html and 'href="/id/person/robert-lighthizer"' in html
    for name, query in load_queries().items():
        assert f'data-query="{name}"' in html
        for p in query.params:
            assert f'name="{p.name}"' in html
    assert 'id="sparql-form"' in html and 'action="/sparql"' in html
    assert "codemirror.js" in html and "editor.js" in html
    for asset in ("editor.js", "style.css", "vendor/codemirror-5.65.20/codemirror.js",
                  "vendor/codemirror-5.65.20/sparql.js"):
        assert requests.get(f"{live_server.url}/static/{asset}", timeout=30).status_code == 200


# -- entity pages -----------------------------------------------------------------------------------------------

def test_official_page_shows_posts_country_same_as_and_every_claim(live_server: Any) -> None:
    html = page(live_server, "/id/person/robert-lighthizer").text
    assert "<h1>Robert Lighthizer</h1>" in html
    assert "United States Trade Representative" in html  # post from the reference data
    assert 'href="/id/country/US"' in html and "United States" in html
    said = sparql(live_server, f"SELECT ?text WHERE {{ ?c <{CG.speaker}> <{LIGHTHIZER}> ; <{CG.claimText}> ?text }}")
    assert len(said) == 7
    for row in said:
        assert escape_html(row["text"]) in html


def test_official_page_links_wikidata_outwards(live_server: Any) -> None:
    same = sparql(live_server, f"SELECT ?o WHERE {{ <{TRUMP}> <{OWL.sameAs}> ?o }}")
    assert same, "the reference data links Donald Trump to Wikidata"
    html = page(live_server, "/id/person/donald-trump").text
    for row in same:
        assert f'<a href="{row["o"]}" title="{row["o"]}" class="external"' in html


def test_country_page_lists_officials_and_claims_mentioning_it(live_server: Any) -> None:
    html = page(live_server, "/id/country/CA").text
    assert "<h1>Canada</h1>" in html
    officials = sparql(live_server, f"SELECT ?name WHERE {{ ?p <{CG.actsFor}> <{ID}country/CA> ; a <{CG.Official}> ;"
                                    f" <{RDFS.label}> ?name }}")
    assert {"Chrystia Freeland", "Justin Trudeau"} <= {r["name"] for r in officials}
    for row in officials:
        assert escape_html(row["name"]) in html
    mentioning = sparql(live_server, f"SELECT ?c ?text WHERE {{ ?c <{CG.mentionsCountry}> ?k ; "
                                     f"<{CG.claimText}> ?text }}")
    assert mentioning
    country = sparql(live_server, f"SELECT ?k WHERE {{ ?c <{CG.mentionsCountry}> ?k }} LIMIT 1")[0]["k"]
    html = page(live_server, "/id/" + country[len(ID):]).text
    for row in mentioning:
        assert escape_html(row["text"]) in html


def test_issue_page_shows_claims_over_time_and_broader_narrower(live_server: Any) -> None:
    html = page(live_server, "/id/issue/nafta-renegotiation").text
    assert "<h1>NAFTA renegotiation</h1>" in html
    assert 'href="/id/issue/trade-agreements"' in html  # broader
    assert 'href="/id/issue/nafta-withdrawal"' in html  # narrower
    about = sparql(live_server, f"SELECT DISTINCT ?text ?date WHERE {{ ?c <{CG.about}> ?i ; <{CG.claimText}> ?text ;"
                                f" <{CG.statedOn}> ?date . ?i <http://www.w3.org/2004/02/skos/core#broader>* "
                                f"<{ID}issue/nafta-renegotiation> }}")
    assert about
    for row in about:
        assert escape_html(row["text"]) in html
    months = {row["date"][:7] for row in about}
    for month in months:
        assert f"<td>{month}</td>" in html
    dates = re.findall(r'<td class="date">([^<]*)</td>', html)
    assert len(dates) >= len(about) and dates == sorted(dates, reverse=True)  # newest first


def test_article_page_highlights_exactly_each_claims_span(live_server: Any) -> None:
    body = sparql(live_server, f"SELECT ?b WHERE {{ <{ARTICLE}> <http://schema.org/articleBody> ?b }}")[0]["b"]
    spans = sparql(live_server, f"""SELECT ?start ?end WHERE {{
        ?c <http://www.w3.org/ns/prov#wasDerivedFrom> <{ARTICLE}> ; a <{CG.Claim}> ;
           <{CG.evidence}>/<http://www.w3.org/ns/oa#hasSelector> ?s .
        ?s <http://www.w3.org/ns/oa#start> ?start ; <http://www.w3.org/ns/oa#end> ?end }}""")
    assert len(spans) == 18
    parser = Marks()
    parser.feed(page(live_server, "/id/article/nafta-talks-2018").text)
    assert "".join(parser.body) == body  # the whole text is there, unaltered
    assert len(parser.pieces) == len(spans)
    for row in spans:
        start, end = int(row["start"]), int(row["end"])
        assert "".join(parser.pieces[f"{start}-{end}"]) == body[start:end]


def test_claim_page_shows_provenance(live_server: Any) -> None:
    claim = ID + "claim/nafta-talks-2018/1351-1403"
    facts = sparql(live_server, f"""SELECT ?confidence ?cue ?exact WHERE {{
        <{claim}> <{CG.confidence}> ?confidence ; <{CG.cue}> ?cue ;
                  <{CG.evidence}>/<http://www.w3.org/ns/oa#hasSelector>/<http://www.w3.org/ns/oa#exact> ?exact }}""")[0]
    html = page(live_server, "/id/claim/nafta-talks-2018/1351-1403").text
    assert f'<mark class="exact">{escape_html(facts["exact"])}</mark>' in html
    assert '<span class="start">1351</span>–<span class="end">1403</span>' in html
    assert f'<dd class="confidence">{facts["confidence"]}</dd>' in html
    assert f'<dd class="cue">{escape_html(facts["cue"])}</dd>' in html
    assert 'href="/id/run/nafta-talks-2018"' in html
    assert 'href="/id/article/nafta-talks-2018"' in html
    assert "DirectQuote" in html or "direct" in html.lower()
    assert "the article's text at these offsets is the exact text" in html
    assert 'href="/id/person/robert-lighthizer"' in html


def test_other_resources_get_a_generic_page(live_server: Any) -> None:
    html = page(live_server, "/id/run/nafta-talks-2018").text
    assert "cg:pipeline" in html and "en_core_web_sm" in html
    assert "Pointing here" in html  # claims generated by the run


def test_issue_scheme_page_lists_the_taxonomy(live_server: Any) -> None:
    html = page(live_server, "/id/issue-scheme").text
    assert 'href="/id/issue/sunset-clause"' in html and "Sunset clause" in html


# -- content negotiation ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("accept", "rdflib_format"), [
    ("text/turtle", "turtle"),
    ("application/ld+json", "json-ld"),
    ("application/n-triples", "nt"),
    ("application/rdf+xml", "xml"),
    ("application/rdf+xml;q=0.5, text/turtle", "turtle"),
    ("*/*", "turtle"),
])
def test_entity_iri_gives_parseable_rdf_by_accept(live_server: Any, accept: str, rdflib_format: str) -> None:
    response = page(live_server, "/id/person/robert-lighthizer", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["Vary"] == "Accept"
    graph = rdflib.Graph().parse(data=response.content, format=rdflib_format)
    me = rdflib.URIRef(LIGHTHIZER)
    assert (me, RDFS.label, rdflib.Literal("Robert Lighthizer", lang="en")) in graph
    assert (me, RDF.type, CG.Official) in graph
    assert (None, CG.speaker, me) in graph  # statements pointing at it come along


@pytest.mark.parametrize("fmt", formats.GRAPHS, ids=lambda f: f.name)
def test_every_registered_rdf_format_is_served_by_id_pages_with_its_media_type(seed_client: Any,
                                                                               fmt: formats.Format) -> None:
    """The /id/ pages and /ontology write RDF through kg.formats: each graph format of the registry, asked by its
    media type or by ``?format=<name>``, comes back with the registry's media type and parses as that format."""
    assert fmt.rdf is not None
    for path, headers in ((f"/id/person/robert-lighthizer?format={fmt.name}", {"Accept": "text/html"}),
                          ("/id/person/robert-lighthizer", {"Accept": fmt.media_type})):
        response = seed_client.get(path, headers=headers)
        assert response.status_code == 200, (path, headers)
        assert response.headers["Content-Type"].split(";")[0] == fmt.media_type
        assert response.headers["Vary"] == "Accept"
        labels = {(t.object.value if isinstance(t.object, ox.Literal) else None)
                  for t in ox.parse(response.get_data(), fmt.rdf)
                  if t.subject == ox.NamedNode(LIGHTHIZER) and t.predicate == ox.NamedNode(str(RDFS.label))}
        assert "Robert Lighthizer" in labels
    ontology = seed_client.get("/ontology", headers={"Accept": fmt.media_type})
    assert ontology.headers["Content-Type"].split(";")[0] == fmt.media_type
    assert any(True for _ in ox.parse(ontology.get_data(), fmt.rdf))


def test_format_parameter_and_selectors_in_rdf(live_server: Any) -> None:
    response = page(live_server, "/id/span/nafta-talks-2018/1351-1403?format=turtle")
    assert response.headers["Content-Type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    position = rdflib.URIRef(ID + "span/nafta-talks-2018/1351-1403#position")
    assert int(graph.value(position, rdflib.URIRef("http://www.w3.org/ns/oa#start"))) == 1351


def test_unknown_iri_is_404_with_suggestions(live_server: Any) -> None:
    response = page(live_server, "/id/person/robert-lightizer")
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/html")
    assert "https://w3id.org/claimgraph/id/person/robert-lightizer" in response.text
    assert 'href="/id/person/robert-lighthizer"' in response.text  # did you mean
    rdf = page(live_server, "/id/person/nobody-at-all", headers={"Accept": "text/turtle"})
    assert rdf.status_code == 404


def test_unacceptable_format_is_406_and_bad_format_parameter_400(live_server: Any) -> None:
    response = page(live_server, "/id/country/CA", headers={"Accept": "application/pdf"})
    assert response.status_code == 406
    assert "text/turtle" in response.text
    response = page(live_server, "/id/country/CA?format=docx", headers={"Accept": "text/turtle"})
    assert response.status_code == 400
    assert "docx" in response.text


def test_ontology_page_and_rdf(live_server: Any) -> None:
    html = page(live_server, "/ontology").text
    assert '<dt id="Claim">' in html and '<dt id="speaker">' in html
    response = page(live_server, "/ontology", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    assert (CG.Claim, RDF.type, OWL.Class) in graph
    assert 'href="/ontology#Claim"' in page(live_server, "/id/claim/nafta-talks-2018/1351-1403").text


# -- canned queries as forms ------------------------------------------------------------------------------------

def test_canned_query_form_shows_results_and_errors(live_server: Any) -> None:
    response = page(live_server, "/queries/claims-by-official/form",
                    params={"speaker": LIGHTHIZER, "_run": "1"})
    assert response.status_code == 200
    assert 'id="query-results"' in response.text
    assert escape_html("It’s my ambition that this not be a Republican vote,") in response.text
    bad = page(live_server, "/queries/claims-by-official/form", params={"speaker": LIGHTHIZER, "from": "May 1"})
    assert bad.status_code == 400
    assert "from" in bad.text and 'id="query-error"' in bad.text
    unknown = page(live_server, "/queries/claims-by-official/form", params={"speaker": "not an iri", "_run": "1"})
    assert unknown.status_code == 400
    assert 'id="did-you-mean"' in unknown.text
    assert page(live_server, "/queries/no-such-query/form").status_code == 404


def test_canned_query_form_links_to_the_same_results_as_data(live_server: Any) -> None:
    import re

    html = page(live_server, "/queries/claims-by-official/form", params={"speaker": LIGHTHIZER, "_run": "1"}).text
    link = re.search(r'href="([^"]*/queries/claims-by-official\.json[^"]*)"', html)
    assert link, "the form page links to its results as JSON"
    data = requests.get(live_server.url + link.group(1).replace("&amp;", "&"), timeout=30)
    assert data.status_code == 200, data.text
    rows = data.json()["results"]["bindings"]
    assert rows and all(r["speaker"]["value"] == LIGHTHIZER for r in rows)


# -- a store with hostile and odd data --------------------------------------------------------------------------

EVIL = "<script>alert(1)</script>"
ODD_ARTICLE = "https%3A%2F%2Fexample.com%2Fnews%2F1"


@pytest.fixture(scope="module")
def odd_server(seed_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The seed store plus a person with a script as name, a javascript: sameAs link, and an article whose key
    holds percent-encoded slashes."""
    from tests.conftest import LiveServer

    path = copy_store(seed_store_path, tmp_path_factory.mktemp("odd") / "store")
    store = EmbeddedStore(path)
    store.update(f"""INSERT DATA {{ GRAPH <https://w3id.org/claimgraph/graph/entities> {{
        <{ID}person/evil> a <{CG.Person}> ; <{RDFS.label}> "{EVIL}"@en ; <{OWL.sameAs}> <javascript:alert(2)> .
        <{ID}claim/x/1-2> a <{CG.Claim}> ; <{CG.speaker}> <{ID}person/evil> ;
            <{CG.claimText}> "<img src=x onerror=alert(3)>" ; <http://www.w3.org/ns/prov#wasDerivedFrom> <{ARTICLE}> ;
            <{CG.kind}> <{CG.DirectQuote}> ; <{CG.confidence}> 0.5 .
        <{ID}article/{ODD_ARTICLE}> a <{CG.Article}> ; <http://schema.org/headline> "An article keyed by its URL" .
    }} }}""")
    store.close()
    server = LiveServer({"STORE": str(path), "QUERY_WORKERS": 0, "HTML_MAX_ROWS": 2})
    yield server
    server.stop()


def test_labels_are_escaped_and_only_http_links_made(odd_server: Any) -> None:
    html = page(odd_server, "/id/person/evil").text
    assert EVIL not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(3)&gt;" in html
    assert 'href="javascript:' not in html
    assert "javascript:alert(2)" in html  # shown as text, not as a link
    results = page(odd_server, "/queries/claims-by-official/form", params={"speaker": ID + "person/evil"}).text
    assert EVIL not in results and "&lt;script&gt;alert(1)&lt;/script&gt;" in results
    assert "<img src=x" not in results


def test_percent_encoded_article_key_dereferences(odd_server: Any) -> None:
    response = page(odd_server, f"/id/article/{ODD_ARTICLE}")
    assert response.status_code == 200
    assert "An article keyed by its URL" in response.text
    turtle = page(odd_server, f"/id/article/{ODD_ARTICLE}", headers={"Accept": "text/turtle"}).text
    graph = rdflib.Graph().parse(data=turtle, format="turtle")
    assert (rdflib.URIRef(f"{ID}article/{ODD_ARTICLE}"), RDF.type, CG.Article) in graph


def test_tables_stop_at_html_max_rows_and_say_so(odd_server: Any) -> None:
    html = page(odd_server, "/id/person/robert-lighthizer").text
    assert 'rel="next"' in html  # the claims come in pages of at most HTML_MAX_ROWS
    assert html.count('<td class="claim-text">') == 2


def escape_html(text: str) -> str:
    """The text as Jinja's autoescape writes it."""
    from markupsafe import escape

    return str(escape(text))


def test_landing_statistics_follow_an_update(seed_store_path: Path, tmp_path: Path, make_live_server: Any) -> None:
    server = make_live_server(STORE=str(copy_store(seed_store_path, tmp_path / "store")), UPDATE_TOKEN="s3cret",
                              QUERY_WORKERS=0)

    def claims() -> str:
        html = page(server, "/").text
        return re.search(r'data-stat="claims"><span class="count">([\d,]+)<', html).group(1)  # type: ignore[union-attr]

    assert claims() == "18"
    response = requests.post(server.url + "/sparql", data={"update": f"INSERT DATA {{ GRAPH <urn:g> {{ "
                                                                     f"<urn:c> a <{CG.Claim}> }} }}"},
                             headers={"Authorization": "Bearer s3cret"}, timeout=30)
    assert response.status_code in (200, 204)
    assert claims() == "19"
