"""The federated canned queries (queries/wikidata-*.rq) against the Wikidata-shaped fixture on a real server.

Parameters are bound as RDF terms: pyoxigraph substitutions for the embedded store, a VALUES block for a remote
store (kg.sparql.bind_values), as the canned-query runner does.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import NamedNode

from kg.query_job import text_of
from kg.sparql import bind_service_endpoints, bind_service_values
from kg.store import EmbeddedStore, RemoteStore, Store
from kg.vocab import WD, id_iri
from tests.conftest import OxigraphServer
from tests.http_stub import QuietHandler, serve
from tests.test_linking import load_reference, wikidata  # noqa: F401 - the module-scoped fixture server

QUERIES = Path(__file__).resolve().parents[1] / "queries"
TRUMP = NamedNode(str(WD) + "Q22686")


def run(store: Store, name: str, **params: NamedNode) -> list[dict[str, str]]:
    sparql = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
    # as CannedQuery.prepare does: bound values and the endpoint IRI written into the SERVICE group
    results = store.select(bind_service_endpoints(bind_service_values(sparql, params), params), params)
    return [{name: text_of(term) for name, term in row.items()} for row in results.rows]


@pytest.fixture(scope="module")
def reference_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = EmbeddedStore(tmp_path_factory.mktemp("store"))
    load_reference(store)
    yield store
    store.close()


def test_official_party_positions_and_birth_date(reference_store: Store, wikidata: OxigraphServer) -> None:  # noqa: F811
    rows = run(reference_store, "wikidata-official", item=TRUMP, endpoint=NamedNode(wikidata.url + "/query"))
    assert len(rows) == 1
    row = rows[0]
    assert row["person"] == id_iri("person/donald-trump") and row["name"] == "Donald Trump"
    assert (row["partyLabel"], row["positionLabel"]) == ("Republican Party", "President of the United States")
    assert row["birthDate"].startswith("1946-06-14")


def test_country_population_and_gdp(reference_store: Store, wikidata: OxigraphServer) -> None:  # noqa: F811
    endpoint = NamedNode(wikidata.url + "/query")
    canada = run(reference_store, "wikidata-country", country=NamedNode(id_iri("country/CA")), endpoint=endpoint)
    assert [(r["name"], int(r["population"]), int(r["gdp"])) for r in canada] == \
        [("Canada", 37000000, 1700000000000)]
    every = run(reference_store, "wikidata-country", endpoint=endpoint)
    assert [r["name"] for r in every][:4] == ["China", "United States", "Mexico", "Canada"]  # most populous first


def test_queries_run_on_a_remote_store(oxigraph_server: OxigraphServer, wikidata: OxigraphServer) -> None:  # noqa: F811
    remote = RemoteStore(oxigraph_server.url + "/query", gsp_url=oxigraph_server.url + "/store")
    remote.update("DROP ALL")
    load_reference(remote)
    rows = run(remote, "wikidata-official", item=TRUMP, endpoint=NamedNode(wikidata.url + "/query"))
    assert [r["partyLabel"] for r in rows] == ["Republican Party"]


class Recorder:
    """A SPARQL endpoint that records the queries it is sent and answers none."""

    def __init__(self) -> None:
        self.queries: list[str] = []
        owner = self

        class Handler(QuietHandler):
            def do_POST(self) -> None:  # noqa: N802
                owner.queries.append(self.rfile.read(int(self.headers["Content-Length"])).decode())
                self.send_body(200, b'{"head": {"vars": []}, "results": {"bindings": []}}')

        self.server, self.url = serve(Handler)


def test_service_request_names_the_item_only_when_bound_into_it(reference_store: Store) -> None:
    recorder = Recorder()
    try:
        params = {"item": TRUMP, "endpoint": NamedNode(recorder.url)}
        sparql = (QUERIES / "wikidata-official.rq").read_text(encoding="utf-8")
        reference_store.select(sparql, params)
        reference_store.select(bind_service_values(sparql, params), params)
    finally:
        recorder.server.shutdown()
    plain, bound = recorder.queries
    assert "Q22686" not in plain  # Oxigraph does not pass bindings into SERVICE: on Wikidata this would time out
    assert "VALUES ( ?item ) { ( <http://www.wikidata.org/entity/Q22686> )" in bound
    assert "endpoint" not in bound  # the endpoint is not a variable of the remote query
