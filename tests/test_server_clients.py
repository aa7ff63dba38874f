"""Real SPARQL clients against the live server: SPARQLWrapper and rdflib's SPARQLStore see the seed's triples
through the union default graph."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, XML, SPARQLWrapper

CLAIM = URIRef("https://w3id.org/claimgraph/ontology#Claim")
CLAIMS = "SELECT ?claim WHERE { ?claim a <https://w3id.org/claimgraph/ontology#Claim> }"


def test_sparqlwrapper_json(live_server) -> None:  # type: ignore[no-untyped-def]
    client = SPARQLWrapper(live_server.url + "/sparql")
    client.setQuery(CLAIMS)
    client.setReturnFormat(JSON)
    bindings = client.query().convert()["results"]["bindings"]  # type: ignore[index,call-overload]
    assert len(bindings) >= 10  # the seed article's claims
    assert all(b["claim"]["value"].startswith("https://w3id.org/claimgraph/id/") for b in bindings)


def test_sparqlwrapper_xml(live_server) -> None:  # type: ignore[no-untyped-def]
    client = SPARQLWrapper(live_server.url + "/sparql")
    client.setQuery(CLAIMS)
    client.setReturnFormat(XML)
    document = client.query().convert()
    results = document.getElementsByTagName("result")  # type: ignore[union-attr]
    assert len(results) >= 10


def test_sparqlwrapper_construct_into_rdflib(live_server) -> None:  # type: ignore[no-untyped-def]
    client = SPARQLWrapper(live_server.url + "/sparql")
    client.setQuery("CONSTRUCT { ?c a ?t ; ?p ?o } WHERE { ?c a <https://w3id.org/claimgraph/ontology#Claim> ; "
                    "a ?t ; ?p ?o }")
    graph = client.queryAndConvert()
    assert isinstance(graph, Graph)
    assert len(set(graph.subjects(predicate=None, object=CLAIM))) >= 10


def test_rdflib_sparqlstore(live_server) -> None:  # type: ignore[no-untyped-def]
    graph = Graph(store=SPARQLStore(live_server.url + "/sparql"))
    rows = list(graph.query(CLAIMS))
    assert len(rows) >= 10
    assert (rows[0][0], None, None) in graph  # a triple pattern through the store
