"""The SPARQL endpoint over HTTP on loopback: queries, negotiation, updates and their authorisation, the service
description, VoID, CORS, and the answer to each kind of bad input."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from tests.conftest import copy_store

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
CONSTRUCT = "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } LIMIT 5"
TOKEN = "t0ken-for-tests"
RESULT_FORMATS = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
                  "application/sparql-results+xml": ox.QueryResultsFormat.XML,
                  "text/csv": ox.QueryResultsFormat.CSV, "text/tab-separated-values": ox.QueryResultsFormat.TSV}
RDF_FORMATS = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
               "application/n-quads": ox.RdfFormat.N_QUADS, "application/trig": ox.RdfFormat.TRIG,
               "application/ld+json": ox.RdfFormat.JSON_LD, "application/rdf+xml": ox.RdfFormat.RDF_XML}


def count(url: str, **params: str) -> int:
    r = requests.get(url + "/sparql", params={"query": COUNT, **params}, timeout=30)
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


@pytest.fixture
def writable(make_live_server, seed_store_path: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A server over a private copy of the seed that takes updates with TOKEN."""
    return make_live_server(STORE=str(copy_store(seed_store_path, tmp_path / "copy")), UPDATE_TOKEN=TOKEN)


def update(url: str, sparql: str, token: str | None = TOKEN, **params: str) -> requests.Response:
    headers = {"Content-Type": "application/sparql-update"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return requests.post(url + "/sparql", params=params, data=sparql.encode(), headers=headers, timeout=30)


# -- queries -------------------------------------------------------------------------------------------------------
def test_union_default_graph_sees_the_seed_by_get_form_and_direct_post(live_server) -> None:  # type: ignore[no-untyped-def]
    n = count(live_server.url)
    assert n > 1000  # the seed article, ontology and reference data
    form = requests.post(live_server.url + "/sparql", data={"query": COUNT}, timeout=30)
    direct = requests.post(live_server.url + "/sparql", data=COUNT,
                           headers={"Content-Type": "application/sparql-query"}, timeout=30)
    assert [int(r.json()["results"]["bindings"][0]["n"]["value"]) for r in (form, direct)] == [n, n]


def test_default_graph_uri_restricts_the_default_graph(live_server) -> None:  # type: ignore[no-untyped-def]
    r = requests.get(live_server.url + "/sparql", timeout=30, params={
        "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"})
    graphs = [b["g"]["value"] for b in r.json()["results"]["bindings"]]
    assert len(graphs) >= 2
    one = count(live_server.url, **{"default-graph-uri": graphs[0]})
    assert 0 < one < count(live_server.url)
    assert count(live_server.url, **{"default-graph-uri": "http://example.org/no-such-graph"}) == 0


@pytest.mark.parametrize("media_type", RESULT_FORMATS)
def test_select_in_each_results_format(live_server, media_type: str) -> None:  # type: ignore[no-untyped-def]
    r = requests.get(live_server.url + "/sparql", params={"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 3"},
                     headers={"Accept": media_type}, timeout=30)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith(media_type)
    if media_type == "text/csv":  # lossy: pyoxigraph does not read it back
        lines = r.content.decode().splitlines()
        assert lines[0] == "s,p,o" and len(lines) == 4
    else:
        assert len(list(ox.parse_query_results(r.content, RESULT_FORMATS[media_type]))) == 3


@pytest.mark.parametrize("media_type", ["application/sparql-results+json", "application/sparql-results+xml"])
def test_ask_as_json_and_xml(live_server, media_type: str) -> None:  # type: ignore[no-untyped-def]
    r = requests.get(live_server.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"},
                     headers={"Accept": media_type}, timeout=30)
    assert r.status_code == 200 and bool(ox.parse_query_results(r.content, RESULT_FORMATS[media_type])) is True


@pytest.mark.parametrize("media_type", RDF_FORMATS)
def test_construct_in_each_rdf_format(live_server, media_type: str) -> None:  # type: ignore[no-untyped-def]
    r = requests.post(live_server.url + "/sparql", data={"query": CONSTRUCT}, headers={"Accept": media_type},
                      timeout=30)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith(media_type)
    assert len(list(ox.parse(r.content, RDF_FORMATS[media_type]))) == 5


def test_q_values_pick_the_preferred_format(live_server) -> None:  # type: ignore[no-untyped-def]
    r = requests.get(live_server.url + "/sparql", params={"query": COUNT},
                     headers={"Accept": "application/sparql-results+json;q=0.5, text/csv"}, timeout=30)
    assert r.headers["Content-Type"].startswith("text/csv")


def test_sparqlwrapper_parameters_and_accept_do_not_break_a_request(live_server) -> None:  # type: ignore[no-untyped-def]
    accept = ("application/x-sparqlstar-results+json,application/sparql-results+json,application/json,"
              "text/javascript,application/javascript")
    r = requests.get(live_server.url + "/sparql", headers={"Accept": accept}, timeout=30,
                     params={"query": COUNT, "format": "json", "output": "json", "results": "json"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/sparql-results+json")
    r = requests.get(live_server.url + "/sparql", params={"query": COUNT, "format": "xml"}, timeout=30)
    assert r.headers["Content-Type"].startswith("application/sparql-results+xml")


# -- bad input -------------------------------------------------------------------------------------------------------
def test_bad_sparql_is_400_naming_the_syntax_problem(live_server) -> None:  # type: ignore[no-untyped-def]
    r = requests.get(live_server.url + "/sparql", params={"query": "SELECT ?s WHERE { ?s ?p }"}, timeout=30)
    assert r.status_code == 400
    body = r.json()
    assert body["error"] == "BadQuery" and "syntax error" in body["message"] and "1:" in body["message"]


def test_unacceptable_accept_is_406_listing_the_formats(live_server) -> None:  # type: ignore[no-untyped-def]
    r = requests.get(live_server.url + "/sparql", params={"query": COUNT}, headers={"Accept": "image/png"},
                     timeout=30)
    assert r.status_code == 406 and "application/sparql-results+json" in r.json()["message"]
    r = requests.get(live_server.url + "/sparql", params={"query": "ASK {}"}, headers={"Accept": "text/csv"},
                     timeout=30)
    assert r.status_code == 406


def test_graph_parameter_that_is_not_an_iri_is_400(live_server) -> None:  # type: ignore[no-untyped-def]
    r = requests.get(live_server.url + "/sparql", params={"query": COUNT, "named-graph-uri": "not an iri"},
                     timeout=30)
    assert r.status_code == 400 and "named-graph-uri" in r.json()["message"]


@pytest.mark.parametrize(("method", "kwargs", "status"), [
    ("put", {"params": {"query": COUNT}}, 405),
    ("get", {"params": {"query": [COUNT, COUNT]}}, 400),
    ("get", {"params": {"update": "CLEAR ALL"}}, 405),
    ("post", {"data": COUNT, "headers": {"Content-Type": "text/plain"}}, 415),
    ("post", {"data": COUNT.encode("utf-16"), "headers": {"Content-Type": "application/sparql-query; charset=utf-16"}},
     415),
    ("post", {"data": b"\xff\xfe ASK {}", "headers": {"Content-Type": "application/sparql-query"}}, 400),
    ("post", {"data": {"query": COUNT, "update": "CLEAR ALL"}}, 400),
    ("post", {"data": {"neither": "x"}}, 400),
])
def test_malformed_requests_are_refused_with_a_reason(live_server, method: str, kwargs: dict, status: int) -> None:  # type: ignore[no-untyped-def,type-arg]
    r = getattr(requests, method)(live_server.url + "/sparql", timeout=30, **kwargs)
    assert r.status_code == status, r.text
    assert r.json()["message"]


def test_errors_are_html_for_a_browser(live_server) -> None:  # type: ignore[no-untyped-def]
    r = requests.get(live_server.url + "/sparql", params={"query": "ASK {"},
                     headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}, timeout=30)
    assert r.status_code == 400 and r.headers["Content-Type"].startswith("text/html") and "syntax" in r.text


# -- updates -----------------------------------------------------------------------------------------------------------
def test_read_only_by_default(live_server) -> None:  # type: ignore[no-untyped-def]
    r = update(live_server.url, "CLEAR ALL", token="anything")
    assert r.status_code == 403 and "KG_UPDATE_TOKEN" in r.json()["message"]
    assert count(live_server.url) > 1000


def test_update_needs_the_bearer_token(writable) -> None:  # type: ignore[no-untyped-def]
    before = count(writable.url)
    missing = update(writable.url, "CLEAR ALL", token=None)
    assert missing.status_code == 401 and missing.headers["WWW-Authenticate"].startswith("Bearer")
    wrong = update(writable.url, "CLEAR ALL", token="wrong")
    assert wrong.status_code == 403
    form = requests.post(writable.url + "/sparql", data={"update": "CLEAR ALL"}, timeout=30)
    assert form.status_code == 401
    assert count(writable.url) == before


def test_an_authorised_update_is_seen_by_the_next_query(writable) -> None:  # type: ignore[no-untyped-def]
    before = count(writable.url)
    r = update(writable.url, 'INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/s> '
                             '<http://example.org/p> "new" } }')
    assert r.status_code == 204, r.text
    assert count(writable.url) == before + 1
    form = requests.post(writable.url + "/sparql", data={"update": "DROP GRAPH <http://example.org/g>"},
                         headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)
    assert form.status_code == 204
    assert count(writable.url) == before


def test_a_failed_update_loses_nothing(writable) -> None:  # type: ignore[no-untyped-def]
    before = count(writable.url)
    syntax = update(writable.url, "DROP ALL ; INSERT DATA { <http://example.org/s> }")
    assert syntax.status_code == 400 and "syntax" in syntax.json()["message"]
    # parses, starts deleting, then fails on LOAD from a closed port: the whole request is rolled back
    failed = update(writable.url, "DROP ALL ; LOAD <http://127.0.0.1:9/nothing.ttl>")
    assert failed.status_code >= 400, failed.text
    conflict = update(writable.url, "WITH <http://example.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
                      **{"using-graph-uri": "http://example.org/g"})
    assert conflict.status_code == 400 and "WITH" in conflict.json()["message"]
    assert count(writable.url) == before


# -- service description, VoID, CORS ----------------------------------------------------------------------------------
def test_get_without_query_is_the_service_description(live_server) -> None:  # type: ignore[no-untyped-def]
    r = requests.get(live_server.url + "/sparql", timeout=30)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/turtle")
    triples = list(ox.parse(r.content, ox.RdfFormat.TURTLE))
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert ox.NamedNode(sd + "Service") in {t.object for t in triples}
    assert ox.NamedNode(sd + "UnionDefaultGraph") in {t.object for t in triples}
    assert ox.NamedNode(sd + "SPARQL11Update") not in {t.object for t in triples}  # read-only
    r = requests.get(live_server.url + "/sparql", headers={"Accept": "application/ld+json"}, timeout=30)
    assert r.headers["Content-Type"].startswith("application/ld+json") and json.loads(r.content)


def test_a_browser_without_query_goes_to_the_editor_when_pages_exist(live_server) -> None:  # type: ignore[no-untyped-def]
    r = requests.get(live_server.url + "/sparql", headers={"Accept": "text/html,*/*;q=0.8"}, timeout=30,
                     allow_redirects=False)
    if "pages" in live_server.app.blueprints:
        assert r.status_code == 303 and r.headers["Location"].endswith("/")
    else:
        assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/turtle")


def test_void_description_by_negotiation(live_server) -> None:  # type: ignore[no-untyped-def]
    r = requests.get(live_server.url + "/.well-known/void", timeout=30)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/turtle")
    triples = list(ox.parse(r.content, ox.RdfFormat.TURTLE))
    void = "http://rdfs.org/ns/void#"
    total = [t.object.value for t in triples if t.predicate == ox.NamedNode(void + "triples")
             and t.subject == ox.NamedNode("https://w3id.org/claimgraph/id/dataset")]
    assert total and int(total[0]) > 1000
    endpoints = [t.object.value for t in triples if t.predicate == ox.NamedNode(void + "sparqlEndpoint")]
    assert live_server.url + "/sparql" in endpoints
    r = requests.get(live_server.url + "/.well-known/void", headers={"Accept": "application/n-quads"}, timeout=30)
    quads = list(ox.parse(io.BytesIO(r.content), ox.RdfFormat.N_QUADS))
    assert quads and {q.graph_name.value for q in quads} == {"https://w3id.org/claimgraph/graph/void"}
    assert requests.get(live_server.url + "/.well-known/void", headers={"Accept": "text/csv"},
                        timeout=30).status_code == 406


def test_cors_for_queries_and_preflight(live_server) -> None:  # type: ignore[no-untyped-def]
    r = requests.get(live_server.url + "/sparql", params={"query": "ASK {}"},
                     headers={"Origin": "https://elsewhere.example"}, timeout=30)
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    pre = requests.options(live_server.url + "/sparql", timeout=30, headers={
        "Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert pre.status_code == 204 and "POST" in pre.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in pre.headers["Access-Control-Allow-Headers"]
    assert pre.headers["Access-Control-Allow-Origin"] == "*"


def test_cors_origins_can_be_restricted(make_live_server) -> None:  # type: ignore[no-untyped-def]
    server = make_live_server(CORS_ORIGINS="https://a.example, https://b.example", QUERY_WORKERS=0)
    ok = requests.get(server.url + "/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://b.example"},
                      timeout=30)
    assert ok.headers["Access-Control-Allow-Origin"] == "https://b.example"
    other = requests.get(server.url + "/sparql", params={"query": "ASK {}"},
                         headers={"Origin": "https://evil.example"}, timeout=30)
    assert "Access-Control-Allow-Origin" not in other.headers
