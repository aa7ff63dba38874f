"""The canned queries over HTTP, asked through Flask's test client of the app over a real store (the network path
is not what they test); the federated query calls a real fixture endpoint on loopback."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from kg.queries import load_queries
from tests.conftest import MakeApp

QUERIES = load_queries()
ID = "https://w3id.org/claimgraph/id/"
ROSS = ID + "person/wilbur-ross"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


pytestmark = pytest.mark.integration


def get(client: FlaskClient, path: str, accept: str | None = None, **params: str) -> TestResponse:
    headers = {"Accept": accept} if accept else {}
    return client.get(path, query_string=params, headers=headers, follow_redirects=True)  # as requests does


def test_index_lists_every_query_as_json(seed_client: FlaskClient) -> None:
    r = get(seed_client, "/queries", "application/json")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json")
    listed = r.json["queries"]
    assert len(listed) >= 10 and {q["name"] for q in listed} == set(QUERIES)
    by_name = {q["name"]: q for q in listed}
    official = by_name["claims-by-official"]
    assert official["url"] == "http://localhost/queries/claims-by-official"  # the test client's host
    assert official["params"][0] == {
        "name": "speaker", "type": "iri", "required": True, "default": None,
        "description": "the official, person, organisation or country quoted",
        "example": ID + "person/robert-lighthizer"}
    # the example URL works as advertised
    example = seed_client.get(official["example_url"], headers={"Accept": "application/json"})
    assert example.status_code == 200 and example.json["results"]["bindings"]


def test_index_is_html_for_a_browser(seed_client: FlaskClient) -> None:
    r = get(seed_client, "/queries", BROWSER)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
    for name in QUERIES:
        assert f'/queries/{name}"' in r.text


@pytest.mark.parametrize(("accept", "media_type"), [
    (None, "application/sparql-results+json"),
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("text/csv;q=0.5, text/tab-separated-values", "text/tab-separated-values"),
])
def test_results_are_negotiated(seed_client: FlaskClient, accept: str | None, media_type: str) -> None:
    r = get(seed_client, "/queries/claims-by-official", accept, speaker=ROSS)
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].split(";")[0] == media_type
    assert "Accept" in r.headers.get("Vary", "")
    if media_type.endswith("json"):
        assert len(r.json["results"]["bindings"]) == 3
    elif media_type.endswith("xml"):
        ns = "{http://www.w3.org/2005/sparql-results#}"
        assert len(ET.fromstring(r.data).findall(f"{ns}results/{ns}result")) == 3
    else:
        assert len(r.text.strip().splitlines()) == 4  # header + 3 rows


def test_suffixes_fix_the_format(seed_client: FlaskClient) -> None:
    as_json = get(seed_client, "/queries/claims-by-official.json", "text/csv", speaker=ROSS)
    assert as_json.headers["Content-Type"].startswith("application/sparql-results+json")
    assert {b["speakerName"]["value"] for b in as_json.json["results"]["bindings"]} == {"Wilbur Ross"}
    as_csv = get(seed_client, "/queries/claims-by-official.csv", BROWSER, speaker=ROSS)
    assert as_csv.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert len(rows) == 3 and rows[0]["speaker"] == ROSS
    assert get(seed_client, "/queries/top-issues.tsv").text.startswith("?from\t?to\t?minClaims\t?issue")
    assert get(seed_client, "/queries/top-issues", _format="csv").headers["Content-Type"].startswith("text/csv")
    unknown = get(seed_client, "/queries/top-issues.pdf", "application/json")
    assert unknown.status_code == 404 and ".pdf" in unknown.json["message"]


def test_a_browser_gets_html(seed_client: FlaskClient) -> None:
    r = get(seed_client, "/queries/claims-by-official", BROWSER, speaker=ROSS)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
    assert "Wilbur Ross" in r.text
    if r.history:  # the pages blueprint is installed: its form page shows the query
        assert r.history[0].status_code == 303
        assert "/queries/claims-by-official/form?speaker=" in r.history[0].headers["Location"]


@pytest.mark.parametrize(("params", "message"), [
    ({}, "missing required parameter 'speaker' (iri)"),
    ({"speaker": "not an iri"}, "speaker='not an iri'"),  # read as a name (server.search), not found
    ({"speaker": ROSS, "from": "yesterday"}, "parameter 'from' (date): 'yesterday' is not a date"),
    ({"speaker": ROSS, "minConfidence": "high"}, "parameter 'minConfidence' (decimal)"),
    ({"speaker": ROSS, "speeker": ROSS}, "unknown parameter 'speeker'"),
])
def test_bad_parameters_are_400_naming_the_parameter(seed_client: FlaskClient, params: dict[str, str],
                                                     message: str) -> None:
    r = get(seed_client, "/queries/claims-by-official", "application/json", **params)
    assert r.status_code == 400
    assert message in r.json["message"]


def test_bad_parameter_is_400_in_html_for_a_browser(seed_client: FlaskClient) -> None:
    r = get(seed_client, "/queries/country-officials.csv", BROWSER, country="cgid:country/US", on="2018-02-30")
    assert r.status_code == 400 and "parameter &#39;on&#39; (date)" in r.text


def test_unknown_query_is_404_with_suggestions(seed_client: FlaskClient) -> None:
    r = get(seed_client, "/queries/top-isues", "application/json")
    assert r.status_code == 404 and "did you mean top-issues" in r.json["message"]


def test_a_hostile_parameter_is_only_a_literal(seed_client: FlaskClient) -> None:
    hostile = '" } DROP ALL { "'
    r = get(seed_client, "/queries/search-claims.json", text=hostile)
    assert r.status_code == 200 and r.json["results"]["bindings"] == []
    # the store is untouched: a query still finds the sample's claims
    assert len(get(seed_client, "/queries/article-claims.json",
                   article=ID + "article/nafta-talks-2018").json["results"]["bindings"]) == 18


@pytest.mark.parametrize("name", [n for n, q in QUERIES.items() if not q.uses_service])
def test_every_query_answers_its_example_over_http(seed_client: FlaskClient, name: str) -> None:
    r = get(seed_client, f"/queries/{name}.json", **QUERIES[name].example_values())
    assert r.status_code == 200 and r.json["results"]["bindings"], name


def test_openapi_document(seed_client: FlaskClient) -> None:
    r = get(seed_client, "/openapi.json")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json")
    doc = r.json
    assert doc["openapi"] == "3.1.0"
    assert doc["servers"] == [{"url": "http://localhost"}]
    assert {f"/queries/{n}" for n in QUERIES} <= set(doc["paths"])
    json.dumps(doc)
    validator = pytest.importorskip("openapi_spec_validator")
    validator.validate(doc)


def test_a_federated_query_binds_its_parameters_into_service(make_app: MakeApp, seed_store_path: Path,
                                                             tmp_path_factory: pytest.TempPathFactory) -> None:
    """wikidata-official over HTTP against the Wikidata-shaped fixture endpoint: item bound inside SERVICE.

    The fixture is on loopback, so the server must list it and allow private addresses (docs/server.md)."""
    from tests.test_linking import wikidata_server

    wikidata = wikidata_server(tmp_path_factory.mktemp("wikidata"))
    server = make_app(seed_store_path, SERVICE_ALLOW=wikidata.url + "/query", SERVICE_ALLOW_PRIVATE=True).test_client()
    try:
        r = get(server, "/queries/wikidata-official.json", item="http://www.wikidata.org/entity/Q22686",
                endpoint=wikidata.url + "/query")
    finally:
        wikidata.stop()
    assert r.status_code == 200, r.text
    [row] = r.json["results"]["bindings"]
    assert row["person"]["value"] == ID + "person/donald-trump"
    assert row["partyLabel"]["value"] == "Republican Party"


# -- extraction-runs and co-quoted: shared facts once, per-graph counting (issue 12) -----------------------------------
CG = "https://w3id.org/claimgraph/ontology#"
PROV = "http://www.w3.org/ns/prov#"


def test_the_software_agent_is_described_once_in_the_shared_graph(seed_client: FlaskClient) -> None:
    r = seed_client.get("/sparql", query_string={
        "query": f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s a <{CG}Software> }} }}"})
    assert [b["g"]["value"] for b in r.json["results"]["bindings"]] == \
        ["https://w3id.org/claimgraph/graph/entities"]


def test_runs_without_claims_and_pairs_per_article(make_app: MakeApp) -> None:
    server = make_app(UPDATE_TOKEN="t").test_client()
    graphs = []
    for key, speakers in (("one", ["p/a", "p/b", "p/a"]), ("two", ["p/a", "p/b"]), ("none", [])):
        claims = " ".join(f"<{ID}claim/{key}/{i}> a <{CG}Claim> ; <{CG}speaker> <{ID}{s}> ; "
                          f"<{PROV}wasGeneratedBy> <{ID}run/{key}> ; <{PROV}wasDerivedFrom> <{ID}article/{key}> ."
                          for i, s in enumerate(speakers))
        pairs = sorted(set(speakers))  # one pair tally per two speakers of the article (kg/summaries.py)
        claims += " ".join(f"<{ID}tally/{key}/pair/{a}/{b}> a <{CG}PairTally> ; <{CG}tallyOf> <{ID}{a}> ; "
                           f"<{CG}pairedWith> <{ID}{b}> ; <{PROV}wasDerivedFrom> <{ID}article/{key}> ."
                           for n, a in enumerate(pairs) for b in pairs[n + 1:])
        graphs.append(f"GRAPH <https://w3id.org/claimgraph/graph/article/{key}> {{ "
                      f"<{ID}article/{key}> a <{CG}Article> . "
                      f"<{ID}run/{key}> a <{CG}ExtractionRun> ; <{PROV}used> <{ID}article/{key}> ; "
                      f"<{PROV}endedAtTime> \"2020-01-0{len(graphs) + 1}T00:00:00Z\"^^"
                      f"<http://www.w3.org/2001/XMLSchema#dateTime> ; <{PROV}wasAssociatedWith> <{ID}software/x> . "
                      f"{claims} }}")
    update = "INSERT DATA { " + " ".join(graphs) + f" GRAPH <https://w3id.org/claimgraph/graph/entities> {{ " \
        f"<{ID}software/x> <http://www.w3.org/2000/01/rdf-schema#label> \"claimgraph x\" }} }}"
    assert server.post("/sparql", data=update.encode(), headers={
        "Content-Type": "application/sparql-update", "Authorization": "Bearer t"}).status_code == 204
    runs = get(server, "/queries/extraction-runs.json").json["results"]["bindings"]
    assert [(r["run"]["value"].rsplit("/", 1)[-1], r["claims"]["value"], r["software"]["value"]) for r in runs] == \
        [("none", "0", "claimgraph x"), ("two", "2", "claimgraph x"), ("one", "3", "claimgraph x")]
    [pair] = get(server, "/queries/co-quoted.json").json["results"]["bindings"]
    assert (pair["a"]["value"], pair["b"]["value"], pair["articles"]["value"]) == (ID + "p/a", ID + "p/b", "2")
    assert pair["exampleArticle"]["value"] in (ID + "article/one", ID + "article/two")
    assert get(server, "/queries/co-quoted.json", minArticles="3").json["results"]["bindings"] == []
