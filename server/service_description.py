"""The SPARQL 1.1 Service Description of the endpoint, answered to a GET without a query."""

from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from kg import formats

SD = "http://www.w3.org/ns/sparql-service-description#"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DCTERMS_TITLE = NamedNode("http://purl.org/dc/terms/title")
VOID_DATASET = NamedNode("http://rdfs.org/ns/void#Dataset")


def _sd(name: str) -> NamedNode:
    return NamedNode(SD + name)


def service_triples(endpoint: str, *, updates: bool, void_url: str) -> list[Triple]:
    """Triples describing the service at ``endpoint``: languages, formats, features and its default dataset.

    >>> any(t.object == NamedNode(SD + "UnionDefaultGraph") for t in service_triples(
    ...     "http://x/sparql", updates=False, void_url="http://x/.well-known/void"))
    True
    """
    service, dataset, graph = NamedNode(endpoint), BlankNode("dataset"), BlankNode("defaultGraph")
    triples = [
        Triple(service, RDF_TYPE, _sd("Service")),
        Triple(service, _sd("endpoint"), service),
        Triple(service, DCTERMS_TITLE, Literal("claimgraph SPARQL endpoint", language="en")),
        Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
        Triple(service, _sd("feature"), _sd("BasicFederatedQuery")),
        Triple(service, _sd("defaultDataset"), dataset),
        Triple(dataset, RDF_TYPE, _sd("Dataset")),
        Triple(dataset, RDF_TYPE, VOID_DATASET),
        Triple(dataset, NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso"), NamedNode(void_url)),
        Triple(dataset, _sd("defaultGraph"), graph),
        Triple(graph, RDF_TYPE, _sd("Graph")),
    ]
    if updates:
        triples.append(Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Update")))
    for fmt in formats.FORMATS:
        written = fmt.results if fmt.results is not None else fmt.rdf
        if written is not None:
            triples.append(Triple(service, _sd("resultFormat"), NamedNode(written.iri)))
    return triples
