"""The W3C SPARQL 1.1 Graph Store Protocol tests (../shared/w3c/sparql/sparql11/graph-store-protocol/) against a
live server's ``/store``.

The manifest (and the two it includes) is read with rdflib; each entry's requests (method, path, headers, body)
and expected responses (status codes, Content-Type, an RDF body compared by graph isomorphism, a Location kept
as a template variable for later requests) come from it. Paths starting with ``/gsp`` are sent to ``/store``, as
the manifest says to. Each entry starts from an empty store; every request carries the update token.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from rdflib import RDF, Graph, Namespace
from rdflib.collection import Collection
from rdflib.compare import isomorphic, to_isomorphic

from tests.conftest import SHARED, LiveServer

FOLDER = SHARED / "w3c" / "sparql" / "sparql11" / "graph-store-protocol"
MANIFEST = FOLDER / "manifest.ttl"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = "http://www.w3.org/2011/http-statusCodes#"
STATUS = {"OK": {200}, "Created": {201}, "NoContent": {204}, "NotFound": {404},
          "StatusCode2xx": set(range(200, 300))}
TOKEN = "w3c-gsp-token"
RDFLIB_FORMATS = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml",
                  "application/ld+json": "json-ld"}


@dataclass
class Step:
    method: str
    path: str
    headers: dict[str, str]
    body: str | None
    statuses: set[int]
    location: str | None  # template variable to set from the Location header
    response_headers: dict[str, str]
    response_body: str | None


@dataclass
class GraphStoreTest:
    name: str
    label: str
    steps: list[Step] = field(default_factory=list)


def _headers(g: Graph, node: object) -> dict[str, str]:
    if node is None:
        return {}
    return {str(g.value(h, HT.fieldName)).lower(): str(g.value(h, HT.fieldValue)) for h in Collection(g, node)}


def _read_manifest() -> list[GraphStoreTest]:
    if not MANIFEST.exists():
        return []
    top = Graph().parse(MANIFEST, format="turtle")
    tests = []
    for included in Collection(top, top.value(next(top.subjects(RDF.type, MF.Manifest)), MF.include)):
        path = FOLDER / str(included).rsplit("/", 1)[-1]
        g = Graph().parse(path, format="turtle")
        manifest = next(g.subjects(RDF.type, MF.Manifest))
        for entry in Collection(g, g.value(manifest, MF.entries)):
            test = GraphStoreTest(str(entry).rsplit("#", 1)[-1], str(g.value(entry, MF.name)))
            for req in Collection(g, g.value(g.value(entry, MF.action), HT.requests)):
                body = g.value(req, HT.body)
                resp = g.value(req, HT.resp)
                resp_body = g.value(resp, HT.body)
                location = g.value(resp, MF.expectedLocation)
                test.steps.append(Step(
                    str(g.value(req, HT.methodName)), str(g.value(req, HT.absolutePath)),
                    _headers(g, g.value(req, HT.headers)),
                    None if body is None else str(g.value(body, CNT.chars)),
                    set().union(*(STATUS[str(s).removeprefix(HTS)] for s in g.objects(resp, MF.expectedStatus))),
                    None if location is None else str(location),
                    _headers(g, g.value(resp, HT.headers)),
                    None if resp_body is None else str(g.value(resp_body, CNT.chars))))
            tests.append(test)
    return tests


TESTS = _read_manifest()


@pytest.fixture(scope="module")
def gsp_server(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = LiveServer({"STORE": str(tmp_path_factory.mktemp("gsp") / "store"), "UPDATE_TOKEN": TOKEN,
                         "QUERY_WORKERS": 1})
    yield server
    server.stop()


def _same_graph(expected: str, content_type: str, actual: bytes) -> None:
    media_type = content_type.split(";")[0].strip()
    assert media_type in RDFLIB_FORMATS, f"unexpected response media type {media_type}"
    want = Graph().parse(data=expected, format="turtle")
    got = Graph().parse(data=actual, format=RDFLIB_FORMATS[media_type])
    assert isomorphic(want, got), (f"graphs differ:\nexpected {sorted(to_isomorphic(want))}\n"
                                   f"got {sorted(to_isomorphic(got))}")


@pytest.mark.parametrize("test", TESTS or [None], ids=[t.name for t in TESTS] or ["manifest"])
def test_graph_store_protocol(test: GraphStoreTest | None, gsp_server: LiveServer) -> None:
    if test is None:
        pytest.skip(f"{MANIFEST} is absent")
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert requests.post(gsp_server.url + "/sparql", data=b"DROP ALL", timeout=30, headers={
        **auth, "Content-Type": "application/sparql-update"}).status_code == 204
    variables: dict[str, str] = {}
    for step in test.steps:
        path, body = step.path, step.body
        for name, value in variables.items():
            path = path.replace(name, value)
            body = body.replace(name, value) if body is not None else None
        if path.startswith("/gsp"):
            path = "/store" + path[len("/gsp"):]
        url = path if path.startswith("http") else gsp_server.url + path
        response = requests.request(step.method, url, headers={**step.headers, **auth}, timeout=30,
                                    data=body.encode("utf-8") if body is not None else None, allow_redirects=False)
        assert response.status_code in step.statuses, (
            f"{test.name}: {step.method} {path} answered {response.status_code} {response.text[:300]}, "
            f"expected {sorted(step.statuses)}")
        if step.location:
            assert response.headers.get("Location"), f"{test.name}: no Location header"
            variables[step.location] = response.headers["Location"]
        for name, value in step.response_headers.items():
            assert response.headers.get(name, "").replace(" ", "").lower() == value.replace(" ", "").lower()
        if step.response_body is not None:
            _same_graph(step.response_body, response.headers["Content-Type"], response.content)


def test_every_manifest_entry_is_run(shared_dir: Path) -> None:
    assert len(TESTS) == 13 and all(t.steps for t in TESTS)
