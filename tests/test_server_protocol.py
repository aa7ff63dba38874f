"""The SPARQL endpoint: queries, negotiation, updates and their authorisation, the service description, VoID,
CORS, and the answer to each kind of bad input.

The protocol is the app's, not the network's, so these tests ask Flask's test client over a real store on disk
(the clients on a real port are tests/test_server_clients.py and the W3C suites)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.conftest import MakeApp

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
CONSTRUCT = "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } LIMIT 5"
TOKEN = "t0ken-for-tests"
RESULT_FORMATS = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
                  "application/sparql-results+xml": ox.QueryResultsFormat.XML,
                  "text/csv": ox.QueryResultsFormat.CSV, "text/tab-separated-values": ox.QueryResultsFormat.TSV}
RDF_FORMATS = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
               "application/n-quads": ox.RdfFormat.N_QUADS, "application/trig": ox.RdfFormat.TRIG,
               "application/ld+json": ox.RdfFormat.JSON_LD, "application/rdf+xml": ox.RdfFormat.RDF_XML}


pytestmark = pytest.mark.integration


def count(client: FlaskClient, **params: str) -> int:
    r = client.get("/sparql", query_string={"query": COUNT, **params})
    assert r.status_code == 200, r.text
    return int(r.json["results"]["bindings"][0]["n"]["value"])


@pytest.fixture
def writable(make_app: MakeApp, seed_store_path: Path) -> FlaskClient:
    """The app over a private copy of the seed that takes updates with TOKEN."""
    return make_app(seed_store_path, UPDATE_TOKEN=TOKEN).test_client()


def update(client: FlaskClient, sparql: str, token: str | None = TOKEN, **params: str) -> TestResponse:
    headers = {"Content-Type": "application/sparql-update"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return client.post("/sparql", query_string=params, data=sparql.encode(), headers=headers)


# -- queries -------------------------------------------------------------------------------------------------------
def test_union_default_graph_sees_the_seed_by_get_form_and_direct_post(seed_client: FlaskClient) -> None:
    n = count(seed_client)
    assert n > 1000  # the seed article, ontology and reference data
    form = seed_client.post("/sparql", data={"query": COUNT})
    direct = seed_client.post("/sparql", data=COUNT,
                           headers={"Content-Type": "application/sparql-query"})
    assert [int(r.json["results"]["bindings"][0]["n"]["value"]) for r in (form, direct)] == [n, n]


def test_default_graph_uri_restricts_the_default_graph(seed_client: FlaskClient) -> None:
    r = seed_client.get("/sparql", query_string={
        "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"})
    graphs = [b["g"]["value"] for b in r.json["results"]["bindings"]]
    assert len(graphs) >= 2
    one = count(seed_client, **{"default-graph-uri": graphs[0]})
    assert 0 < one < count(seed_client)
    assert count(seed_client, **{"default-graph-uri": "http://example.org/no-such-graph"}) == 0


@pytest.mark.parametrize("media_type", RESULT_FORMATS)
def test_select_in_each_results_format(seed_client: FlaskClient, media_type: str) -> None:
    r = seed_client.get("/sparql", query_string={"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 3"},
                     headers={"Accept": media_type})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith(media_type)
    if media_type == "text/csv":  # lossy: pyoxigraph does not read it back
        lines = r.data.decode().splitlines()
        assert lines[0] == "s,p,o" and len(lines) == 4
    else:
        assert len(list(ox.parse_query_results(r.data, RESULT_FORMATS[media_type]))) == 3


@pytest.mark.parametrize("media_type", ["application/sparql-results+json", "application/sparql-results+xml"])
def test_ask_as_json_and_xml(seed_client: FlaskClient, media_type: str) -> None:
    r = seed_client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"},
                     headers={"Accept": media_type})
    assert r.status_code == 200 and bool(ox.parse_query_results(r.data, RESULT_FORMATS[media_type])) is True


@pytest.mark.parametrize("media_type", RDF_FORMATS)
def test_construct_in_each_rdf_format(seed_client: FlaskClient, media_type: str) -> None:
    r = seed_client.post("/sparql", data={"query": CONSTRUCT}, headers={"Accept": media_type})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith(media_type)
    assert len(list(ox.parse(r.data, RDF_FORMATS[media_type]))) == 5


def test_q_values_pick_the_preferred_format(seed_client: FlaskClient) -> None:
    r = seed_client.get("/sparql", query_string={"query": COUNT},
                     headers={"Accept": "application/sparql-results+json;q=0.5, text/csv"})
    assert r.headers["Content-Type"].startswith("text/csv")


def test_sparqlwrapper_parameters_and_accept_do_not_break_a_request(seed_client: FlaskClient) -> None:
    accept = ("application/x-sparqlstar-results+json,application/sparql-results+json,application/json,"
              "text/javascript,application/javascript")
    r = seed_client.get("/sparql", headers={"Accept": accept},
                     query_string={"query": COUNT, "format": "json", "output": "json", "results": "json"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/sparql-results+json")
    r = seed_client.get("/sparql", query_string={"query": COUNT, "format": "xml"})
    assert r.headers["Content-Type"].startswith("application/sparql-results+xml")


# -- bad input -------------------------------------------------------------------------------------------------------
def test_bad_sparql_is_400_naming_the_syntax_problem(seed_client: FlaskClient) -> None:
    r = seed_client.get("/sparql", query_string={"query": "SELECT ?s WHERE { ?s ?p }"})
    assert r.status_code == 400
    body = r.json
    assert body["error"] == "BadQuery" and "syntax error" in body["message"] and "1:" in body["message"]


def test_unacceptable_accept_is_406_listing_the_formats(seed_client: FlaskClient) -> None:
    r = seed_client.get("/sparql", query_string={"query": COUNT}, headers={"Accept": "image/png"})
    assert r.status_code == 406 and "application/sparql-results+json" in r.json["message"]
    r = seed_client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Accept": "text/csv"})
    assert r.status_code == 406


def test_graph_parameter_that_is_not_an_iri_is_400(seed_client: FlaskClient) -> None:
    r = seed_client.get("/sparql", query_string={"query": COUNT, "named-graph-uri": "not an iri"})
    assert r.status_code == 400 and "named-graph-uri" in r.json["message"]


@pytest.mark.parametrize(("method", "kwargs", "status"), [
    ("put", {"query_string": {"query": COUNT}}, 405),
    ("get", {"query_string": {"query": [COUNT, COUNT]}}, 400),
    ("get", {"query_string": {"update": "CLEAR ALL"}}, 405),
    ("post", {"data": COUNT, "headers": {"Content-Type": "text/plain"}}, 415),
    ("post", {"data": COUNT.encode("utf-16"), "headers": {"Content-Type": "application/sparql-query; charset=utf-16"}},
     415),
    ("post", {"data": b"\xff\xfe ASK {}", "headers": {"Content-Type": "application/sparql-query"}}, 400),
    ("post", {"data": {"query": COUNT, "update": "CLEAR ALL"}}, 400),
    ("post", {"data": {"neither": "x"}}, 400),
])
def test_malformed_requests_are_refused_with_a_reason(seed_client: FlaskClient, method: str, kwargs: dict[str, object],
                                                      status: int) -> None:
    r = getattr(seed_client, method)("/sparql", **kwargs)
    assert r.status_code == status, r.text
    assert r.json["message"]


def test_errors_are_html_for_a_browser(seed_client: FlaskClient) -> None:
    r = seed_client.get("/sparql", query_string={"query": "ASK {"},
                     headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.status_code == 400 and r.headers["Content-Type"].startswith("text/html") and "syntax" in r.text


# -- updates -----------------------------------------------------------------------------------------------------------
def test_read_only_by_default(seed_client: FlaskClient) -> None:
    r = update(seed_client, "CLEAR ALL", token="anything")
    assert r.status_code == 403 and "KG_UPDATE_TOKEN" in r.json["message"]
    assert count(seed_client) > 1000


def test_update_needs_the_bearer_token(writable: FlaskClient) -> None:
    before = count(writable)
    missing = update(writable, "CLEAR ALL", token=None)
    assert missing.status_code == 401 and missing.headers["WWW-Authenticate"].startswith("Bearer")
    wrong = update(writable, "CLEAR ALL", token="wrong")
    assert wrong.status_code == 403
    form = writable.post("/sparql", data={"update": "CLEAR ALL"})
    assert form.status_code == 401
    assert count(writable) == before


def test_an_authorised_update_is_seen_by_the_next_query(writable: FlaskClient) -> None:
    before = count(writable)
    r = update(writable, 'INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/s> '
                             '<http://example.org/p> "new" } }')
    assert r.status_code == 204, r.text
    assert count(writable) == before + 1
    form = writable.post("/sparql", data={"update": "DROP GRAPH <http://example.org/g>"},
                         headers={"Authorization": f"Bearer {TOKEN}"})
    assert form.status_code == 204
    assert count(writable) == before


def test_a_failed_update_loses_nothing(writable: FlaskClient) -> None:
    before = count(writable)
    syntax = update(writable, "DROP ALL ; INSERT DATA { <http://example.org/s> }")
    assert syntax.status_code == 400 and "syntax" in syntax.json["message"]
    # parses, starts deleting, then fails on LOAD from a closed port: the whole request is rolled back
    failed = update(writable, "DROP ALL ; LOAD <http://127.0.0.1:9/nothing.ttl>")
    assert failed.status_code >= 400, failed.text
    conflict = update(writable, "WITH <http://example.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
                      **{"using-graph-uri": "http://example.org/g"})
    assert conflict.status_code == 400 and "WITH" in conflict.json["message"]
    assert count(writable) == before


# -- service description, VoID, CORS ----------------------------------------------------------------------------------
def test_get_without_query_is_the_service_description(seed_client: FlaskClient) -> None:
    r = seed_client.get("/sparql")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/turtle")
    triples = list(ox.parse(r.data, ox.RdfFormat.TURTLE))
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert ox.NamedNode(sd + "Service") in {t.object for t in triples}
    assert ox.NamedNode(sd + "UnionDefaultGraph") in {t.object for t in triples}
    assert ox.NamedNode(sd + "SPARQL11Update") not in {t.object for t in triples}  # read-only
    r = seed_client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert r.headers["Content-Type"].startswith("application/ld+json") and json.loads(r.data)


def test_a_browser_without_query_goes_to_the_editor_when_pages_exist(seed_client: FlaskClient) -> None:
    r = seed_client.get("/sparql", headers={"Accept": "text/html,*/*;q=0.8"},
                     follow_redirects=False)
    if "pages" in seed_client.application.blueprints:
        assert r.status_code == 303 and r.headers["Location"].endswith("/")
    else:
        assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/turtle")


def test_void_description_by_negotiation(seed_client: FlaskClient) -> None:
    r = seed_client.get("/.well-known/void")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/turtle")
    triples = list(ox.parse(r.data, ox.RdfFormat.TURTLE))
    void = "http://rdfs.org/ns/void#"
    total = [t.object.value for t in triples if t.predicate == ox.NamedNode(void + "triples")
             and t.subject == ox.NamedNode("https://w3id.org/claimgraph/id/dataset")]
    assert total and int(total[0]) > 1000
    endpoints = [t.object.value for t in triples if t.predicate == ox.NamedNode(void + "sparqlEndpoint")]
    assert "http://localhost/sparql" in endpoints  # the test client's host
    r = seed_client.get("/.well-known/void", headers={"Accept": "application/n-quads"})
    quads = list(ox.parse(io.BytesIO(r.data), ox.RdfFormat.N_QUADS))
    assert quads and {q.graph_name.value for q in quads} == {"https://w3id.org/claimgraph/graph/void"}
    assert seed_client.get("/.well-known/void", headers={"Accept": "text/csv"}).status_code == 406


def test_cors_for_queries_and_preflight(seed_client: FlaskClient) -> None:
    r = seed_client.get("/sparql", query_string={"query": "ASK {}"},
                     headers={"Origin": "https://elsewhere.example"})
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    pre = seed_client.options("/sparql", headers={
        "Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert pre.status_code == 204 and "POST" in pre.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in pre.headers["Access-Control-Allow-Headers"]
    assert pre.headers["Access-Control-Allow-Origin"] == "*"


def test_cors_origins_can_be_restricted(make_app: MakeApp, seed_store_path: Path) -> None:
    server = make_app(seed_store_path, CORS_ORIGINS="https://a.example, https://b.example").test_client()
    ok = server.get("/sparql", query_string={"query": "ASK {}"}, headers={"Origin": "https://b.example"})
    assert ok.headers["Access-Control-Allow-Origin"] == "https://b.example"
    other = server.get("/sparql", query_string={"query": "ASK {}"},
                         headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers
