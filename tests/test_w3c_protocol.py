"""The W3C SPARQL 1.1 Protocol tests (../shared/w3c/sparql/sparql11/protocol/manifest.ttl) against a live server.

The manifest is read with rdflib; each entry's HTTP requests (method, path, headers, body) and expected responses
(status class, result format, boolean) come from it. What the manifest leaves to prose is in RECIPES: each test
IRI maps to how its data is prepared. Every entry must have a recipe: an unknown entry fails.
Data goes in with authorised updates (``Authorization: Bearer``), which every request carries.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from rdflib import RDF, RDFS, Graph, Namespace
from rdflib.collection import Collection

from tests.conftest import SHARED, LiveServer

MANIFEST = SHARED / "w3c" / "sparql" / "sparql11" / "protocol" / "manifest.ttl"
BASE = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
TOKEN = "w3c-protocol-token"

EMPTY = "start from an empty store"
LOAD = "start from an empty store, then load each ut:graphData file into the graph named by its rdfs:label"
RECIPES: dict[str, str] = {
    "query_post_form": EMPTY, "query_dataset_default_graphs_get": LOAD, "query_dataset_default_graphs_post": LOAD,
    "query_dataset_named_graphs_post": LOAD, "query_dataset_named_graphs_get": LOAD, "query_dataset_full": LOAD,
    "query_multiple_dataset": LOAD, "query_get": EMPTY, "query_content_type_select": EMPTY,
    "query_content_type_ask": EMPTY, "query_content_type_describe": EMPTY, "query_content_type_construct": EMPTY,
    "update_dataset_default_graph": EMPTY, "update_dataset_default_graphs": EMPTY,
    "update_dataset_named_graphs": EMPTY, "update_dataset_full": EMPTY, "update_post_form": EMPTY,
    "update_post_direct": EMPTY, "update_base_uri": EMPTY, "query_post_direct": EMPTY, "bad_query_method": EMPTY,
    "bad_multiple_queries": EMPTY, "bad_query_wrong_media_type": EMPTY, "bad_query_missing_form_type": EMPTY,
    "bad_query_missing_direct_type": EMPTY, "bad_query_non_utf8": EMPTY, "bad_query_syntax": EMPTY,
    "bad_update_get": EMPTY, "bad_multiple_updates": EMPTY, "bad_update_wrong_media_type": EMPTY,
    "bad_update_missing_form_type": EMPTY, "bad_update_non_utf8": EMPTY, "bad_update_syntax": EMPTY,
    "bad_update_dataset_conflict": EMPTY,
}
"""Test name -> how its data is prepared (the only part the manifest describes in prose)."""

RESULT_TYPES = {"application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values"}
RDF_TYPES = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
             "application/rdf+xml": ox.RdfFormat.RDF_XML, "application/ld+json": ox.RdfFormat.JSON_LD,
             "application/n-quads": ox.RdfFormat.N_QUADS, "application/trig": ox.RdfFormat.TRIG}


@dataclass
class Step:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[str]  # "2xx", "3xx", "4xx"
    expected_format: str | None
    expected_boolean: bool | None


@dataclass
class ProtocolTest:
    name: str
    label: str
    graph_data: list[tuple[Path, str]] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)


def _read_manifest() -> list[ProtocolTest]:
    if not MANIFEST.exists():
        return []
    g = Graph().parse(MANIFEST, format="turtle", publicID=BASE.rstrip("#"))
    manifest = next(g.subjects(RDF.type, MF.Manifest))
    tests = []
    for entry in Collection(g, g.value(manifest, MF.entries)):
        test = ProtocolTest(str(entry).rsplit("#", 1)[-1], str(g.value(entry, MF.name)))
        for data in g.objects(entry, UT.graphData):
            file = Path(str(g.value(data, UT.graph)).removeprefix("file://"))
            test.graph_data.append((MANIFEST.parent / file.name, str(g.value(data, RDFS.label))))
        connection = g.value(entry, MF.action)
        for request in Collection(g, g.value(connection, HT.requests)):
            headers = {}
            for header in Collection(g, g.value(request, HT.headers)) if g.value(request, HT.headers) else []:
                headers[str(g.value(header, HT.fieldName))] = str(g.value(header, HT.fieldValue))
            body = g.value(request, HT.body)
            data = None
            if body is not None:
                encoding = str(g.value(body, CNT.characterEncoding) or "UTF-8")
                data = str(g.value(body, CNT.chars)).encode(encoding)
            response = g.value(request, HT.resp)
            boolean = g.value(response, MF.expectedBoolean)
            fmt = g.value(response, MF.expectedFormat)
            test.steps.append(Step(
                str(g.value(request, HT.methodName)), str(g.value(request, HT.absolutePath)), headers, data,
                {str(s).removeprefix(HTS) for s in g.objects(response, MF.expectedStatus)},
                str(fmt) if fmt is not None else None, boolean.toPython() if boolean is not None else None))
        tests.append(test)
    return tests


TESTS = _read_manifest()


@pytest.fixture(scope="module")
def protocol_server(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = LiveServer({"STORE": str(tmp_path_factory.mktemp("w3c") / "store"), "UPDATE_TOKEN": TOKEN,
                         "QUERY_WORKERS": 1})
    yield server
    server.stop()


def _update(server: LiveServer, sparql: str) -> None:
    r = requests.post(server.url + "/sparql", data=sparql.encode(), timeout=30, headers={
        "Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 204, r.text


def _prepare(server: LiveServer, test: ProtocolTest) -> None:
    recipe = RECIPES.get(test.name)
    if recipe is None:
        pytest.fail(f"the manifest entry {test.name} ({test.label}) has no recipe in RECIPES: read its "
                    "description and add one")
    _update(server, "DROP ALL")
    if recipe == LOAD:
        assert test.graph_data, f"{test.name}: the recipe loads graph data but the manifest lists none"
        for file, graph in test.graph_data:
            _update(server, f"INSERT DATA {{ GRAPH <{graph}> {{\n{file.read_text()}\n}} }}")
    else:
        assert not test.graph_data, f"{test.name}: the manifest lists graph data that the recipe ignores"


def _check_format(step: Step, response: requests.Response) -> None:
    media_type = response.headers.get("Content-Type", "").split(";")[0].strip()
    if step.expected_format in ("boolean", "tabular"):
        allowed = RESULT_TYPES if step.expected_format == "tabular" else RESULT_TYPES - {"text/csv",
                                                                                        "text/tab-separated-values"}
        assert media_type in allowed, f"{media_type} is not a {step.expected_format} results format"
    elif step.expected_format == "RDF":
        assert media_type in RDF_TYPES, f"{media_type} is not an RDF format"
        list(ox.parse(response.content, RDF_TYPES[media_type]))
    elif step.expected_format is not None:
        pytest.fail(f"unknown mf:expectedFormat {step.expected_format!r}")
    if step.expected_boolean is not None:
        if media_type == "application/sparql-results+json":
            value = json.loads(response.content)["boolean"]
        else:
            element = ET.fromstring(response.content).find("{http://www.w3.org/2005/sparql-results#}boolean")
            assert element is not None, "no <boolean> in the XML results"
            value = element.text == "true"
        assert value is step.expected_boolean


@pytest.mark.parametrize("test", TESTS or [None], ids=[t.name for t in TESTS] or ["manifest"])
def test_protocol(test: ProtocolTest | None, protocol_server: LiveServer) -> None:
    if test is None:
        pytest.skip(f"{MANIFEST} is absent")
    _prepare(protocol_server, test)
    for step in test.steps:
        assert step.path.startswith("/sparql/"), step.path
        url = protocol_server.url + "/sparql" + step.path[len("/sparql/"):]
        headers = {**step.headers, "Authorization": f"Bearer {TOKEN}"}
        response = requests.request(step.method, url, data=step.body, headers=headers, timeout=30,
                                    allow_redirects=False)
        status = f"{response.status_code // 100}xx"
        assert status in step.statuses, (f"{test.name}: {step.method} {step.path} answered "
                                         f"{response.status_code} {response.text[:500]}, expected {step.statuses}")
        _check_format(step, response)


def test_every_recipe_names_a_manifest_entry(shared_dir: Path) -> None:
    assert {t.name for t in TESTS} == set(RECIPES)
    assert len(TESTS) == 34
