"""``/store`` (server.graph_store) beyond the W3C manifests: authorisation, bad bodies that write nothing, limits,
and readers that never see half a graph while articles go into a running server."""

from __future__ import annotations

import threading
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from tests.conftest import copy_store

TOKEN = "gsp-token"
GRAPH = "http://example.org/graph/feed"
TURTLE = {"Content-Type": "text/turtle"}
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def server(make_live_server, seed_store_path: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    return make_live_server(STORE=str(copy_store(seed_store_path, tmp_path / "copy")), UPDATE_TOKEN=TOKEN,
                            QUERY_WORKERS=2, MAX_BODY=200_000)


def turtle(version: int, triples: int) -> bytes:
    return "".join(f"<http://example.org/s{i}> <http://example.org/version> {version} .\n"
                   for i in range(triples)).encode()


def put(url: str, body: bytes, headers: dict[str, str] | None = None, graph: str = GRAPH) -> requests.Response:
    return requests.put(url + "/store", params={"graph": graph}, data=body, timeout=60,
                        headers={**TURTLE, **AUTH, **(headers or {})})


def get_graph(url: str, graph: str = GRAPH) -> requests.Response:
    return requests.get(url + "/store", params={"graph": graph}, headers={"Accept": "application/n-triples"},
                        timeout=60)


def test_reads_are_open_and_writes_need_the_token(server) -> None:  # type: ignore[no-untyped-def]
    article = "https://w3id.org/claimgraph/graph/article/nafta-talks-2018"
    r = get_graph(server.url, article)
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/n-triples; charset=utf-8"
    assert len(list(ox.parse(r.content, ox.RdfFormat.N_TRIPLES))) > 100
    assert requests.head(server.url + "/store", params={"graph": article}, timeout=30).status_code == 200
    for method in ("PUT", "POST", "DELETE"):
        r = requests.request(method, server.url + "/store", params={"graph": article}, data=turtle(1, 1),
                             headers=TURTLE, timeout=30)
        assert r.status_code == 401 and "Bearer" in r.headers["WWW-Authenticate"], (method, r.text)
        r = requests.request(method, server.url + "/store", params={"graph": article}, data=turtle(1, 1),
                             headers={**TURTLE, "Authorization": "Bearer wrong"}, timeout=30)
        assert r.status_code == 403, method
    assert len(list(ox.parse(get_graph(server.url, article).content, ox.RdfFormat.N_TRIPLES))) > 100


def test_put_post_delete(server) -> None:  # type: ignore[no-untyped-def]
    assert get_graph(server.url).status_code == 404
    assert put(server.url, turtle(1, 3)).status_code == 201
    assert put(server.url, turtle(2, 2)).status_code == 204  # replaced
    r = requests.post(server.url + "/store", params={"graph": GRAPH}, data=b"<http://example.org/x> "
                      b"<http://example.org/version> 9 .", headers={**TURTLE, **AUTH}, timeout=30)
    assert r.status_code == 204
    assert len(list(ox.parse(get_graph(server.url).content, ox.RdfFormat.N_TRIPLES))) == 3
    # the data is in the SPARQL endpoint's union default graph too
    r = requests.get(server.url + "/sparql", timeout=30, params={
        "query": "SELECT (COUNT(*) AS ?n) { ?s <http://example.org/version> ?v }"})
    assert r.json()["results"]["bindings"][0]["n"]["value"] == "3"
    assert requests.delete(server.url + "/store", params={"graph": GRAPH}, headers=AUTH, timeout=30).status_code \
        == 204
    assert requests.delete(server.url + "/store", params={"graph": GRAPH}, headers=AUTH, timeout=30).status_code \
        == 404
    assert get_graph(server.url).status_code == 404


@pytest.mark.parametrize(("body", "headers", "status", "says"), [
    (b"<http://example.org/a> <http://example.org/b> .", TURTLE, 400, "not valid Turtle"),
    (b"\xff\xfe<a> <b> <c> .", TURTLE, 400, "Turtle"),
    (b"<a> <b> <c> .", {"Content-Type": "application/pdf"}, 415, "application/pdf"),
    (b"<http://a> <http://b> <http://c> <http://g> .", {"Content-Type": "application/n-quads"}, 400,
     "names a graph"),
    (turtle(1, 10_000), TURTLE, 413, "KG_MAX_BODY"),
])
def test_a_bad_body_is_refused_and_the_graph_is_unchanged(server, body: bytes, headers: dict[str, str],  # type: ignore
                                                           status: int, says: str) -> None:
    assert put(server.url, turtle(1, 5)).status_code == 201
    before = get_graph(server.url).content
    r = put(server.url, body, headers)
    assert r.status_code == status and says in r.json()["message"], r.text
    assert get_graph(server.url).content == before


def test_bad_graph_parameters(server) -> None:  # type: ignore[no-untyped-def]
    r = requests.get(server.url + "/store", params={"graph": "not an iri"}, timeout=30)
    assert r.status_code == 400 and "absolute IRI" in r.json()["message"]
    r = requests.get(server.url + "/store", params=[("graph", GRAPH), ("default", "")], timeout=30)
    assert r.status_code == 400
    assert requests.get(server.url + "/store", timeout=30).status_code == 400
    r = requests.get(server.url + "/store", params={"graph": GRAPH}, headers={"Accept": "image/png"}, timeout=30)
    assert r.status_code in (404, 406)
    r = requests.patch(server.url + "/store", params={"graph": GRAPH}, headers=AUTH, timeout=30)
    assert r.status_code == 405


def test_readers_never_see_half_an_article_while_articles_go_in(server) -> None:  # type: ignore[no-untyped-def]
    """Articles go into a running server while another client keeps reading: each read is a whole version."""
    size = 1500
    seen: list[tuple[int, int, set[str]]] = []  # status, triples, versions of each GET
    counts: list[tuple[int, str]] = []  # status, COUNT of each SPARQL query
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            r = get_graph(server.url)
            triples = list(ox.parse(r.content, ox.RdfFormat.N_TRIPLES)) if r.status_code == 200 else []
            seen.append((r.status_code, len(triples), {t.object.value for t in triples}))
            count = requests.get(server.url + "/sparql", timeout=30, params={
                "query": f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"})
            counts.append((count.status_code, count.json()["results"]["bindings"][0]["n"]["value"]
                           if count.status_code == 200 else count.text))

    readers = [threading.Thread(target=read) for _ in range(2)]
    for reader in readers:
        reader.start()
    try:
        for version in range(1, 8):
            assert put(server.url, turtle(version, size)).status_code in (201, 204)
            r = get_graph(server.url)  # the writer sees its own write at once
            assert {t.object.value for t in ox.parse(r.content, ox.RdfFormat.N_TRIPLES)} == {str(version)}
    finally:
        stop.set()
        for reader in readers:
            reader.join()
    assert seen and all(status in (200, 404) for status, _, _ in seen)
    assert all(n == size and len(versions) == 1 for status, n, versions in seen if status == 200)
    assert counts and all(status == 200 and n in ("0", str(size)) for status, n in counts), counts[:5]


def test_the_graph_store_over_a_remote_store(make_live_server, oxigraph_server) -> None:  # type: ignore
    remote = make_live_server(STORE=oxigraph_server.url + "/query", UPDATE_TOKEN=TOKEN)
    requests.post(oxigraph_server.url + "/update", data={"update": "DROP ALL"}, timeout=30).raise_for_status()
    assert put(remote.url, turtle(4, 3)).status_code == 201
    assert put(remote.url, turtle(5, 2)).status_code == 204
    r = get_graph(remote.url)
    assert r.status_code == 200 and {t.object.value for t in ox.parse(r.content, ox.RdfFormat.N_TRIPLES)} == {"5"}
    assert requests.delete(remote.url + "/store", params={"graph": GRAPH}, headers=AUTH, timeout=30).status_code \
        == 204
    assert get_graph(remote.url).status_code == 404
    r = requests.get(remote.url + "/store?default", timeout=30)
    assert r.status_code == 400 and "remote store" in r.json()["message"]
