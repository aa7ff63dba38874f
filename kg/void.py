"""A VoID description of the dataset, computed from the store with a few aggregate SPARQL queries.

``void_quads(store)`` describes ``cgid:dataset`` in the graph ``https://w3id.org/claimgraph/graph/void``: counts
(``void:triples``, ``void:entities``, ``void:classes``, ``void:properties``, ``void:distinctSubjects``), one
``void:classPartition`` per class and one ``void:propertyPartition`` per property, the vocabularies used, title,
licence, the SPARQL endpoint when one is configured, and one ``void:Linkset`` each to Wikidata and to DBpedia
(``owl:sameAs`` links, counted). Counts are over the named graphs (a triple in two graphs counts twice), leaving out
the VoID graph itself. The result is deterministic for a given store, so exports stay byte-identical.

Configuration: ``KG_SPARQL_ENDPOINT`` (public URL of the SPARQL endpoint, announced as ``void:sparqlEndpoint``),
``KG_DATA_LICENSE`` (licence IRI). There is no default licence: article bodies and quotes belong to their
publishers, so only the operator of a store can say under what terms it is shared; without the variable the
description states no ``dcterms:license``.
"""

from __future__ import annotations

import hashlib

from pyoxigraph import Literal, NamedNode, Quad, Triple

from kg import config
from kg.store import Reader
from kg.vocab import DBR, DCTERMS, FOAF, ID_BASE, OWL, PREFIXES, RDF, VOID, VOID_GRAPH, WD, XSD, id_iri

DATASET = id_iri("dataset")
TITLE = "claimgraph: who said what in news about international negotiations"
_NOT_VOCABULARIES = {"wd", "wdt", "dbr", "cgid", "cgg", "xsd"}

TARGETS = {
    "wikidata": {"title": "Wikidata", "homepage": "https://www.wikidata.org/", "space": str(WD),
                 "endpoint": "https://query.wikidata.org/sparql"},
    "dbpedia": {"title": "DBpedia", "homepage": "https://www.dbpedia.org/", "space": str(DBR),
                "endpoint": "https://dbpedia.org/sparql"},
}
"""The external datasets we link to, by the key used in their IRIs: ``cgid:dataset/<key>``."""

_NOT_VOID = f"FILTER(?g != <{VOID_GRAPH}>)"


def _rows(store: Reader, sparql: str) -> list[dict[str, str]]:
    return [{name: term.value for name, term in row.items() if not isinstance(term, Triple)}
            for row in store.select(sparql).rows]


def _name(iri: str) -> str:
    """A readable, injective IRI segment for a class or property: ``cg-Claim``, else a hash."""
    for prefix, ns in PREFIXES.items():
        local = iri[len(ns):]
        if iri.startswith(ns) and local and all(ch.isalnum() or ch in "_-" for ch in local):
            return f"{prefix}-{local}"
    return "h-" + hashlib.sha256(iri.encode()).hexdigest()[:20]


def void_quads(store: Reader, *, sparql_endpoint: str | None = None, license: str | None = None) -> list[Quad]:
    """The VoID description of ``store`` (a Store, or the server's QueryRunner with its limits), as quads in ``https://w3id.org/claimgraph/graph/void``.

    ``sparql_endpoint`` (else ``KG_SPARQL_ENDPOINT``) is announced as ``void:sparqlEndpoint`` when given.
    Raises StoreError when the store cannot answer.
    """
    g = NamedNode(VOID_GRAPH)
    quads: list[Quad] = []

    def add(s: str, p: str, o: NamedNode | Literal | str) -> None:
        quads.append(Quad(NamedNode(s), NamedNode(str(p)), NamedNode(o) if isinstance(o, str) else o, g))

    def count(n: int | str) -> Literal:
        return Literal(str(int(n)), datatype=NamedNode(str(XSD.integer)))

    not_void = f"{_NOT_VOID} {store.graph_filter()}"  # a remote store's own graphs (Virtuoso's) are not ours
    properties = _rows(store, f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {not_void} }} GROUP BY ?p")
    classes = _rows(store, f"""SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s <{RDF.type}> ?c }}
        {not_void} FILTER(isIRI(?c)) }} GROUP BY ?c""")
    totals = _rows(store, f"""SELECT (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?e) AS ?entities) WHERE {{
        GRAPH ?g {{ ?s ?p ?o }} {not_void}
        BIND(IF(isIRI(?s) && STRSTARTS(STR(?s), "{ID_BASE}"), ?s, ?none) AS ?e) }}""")[0]
    linksets = {r["target"]: r for r in _rows(store, f"""SELECT ?target (COUNT(*) AS ?n) WHERE {{
        GRAPH ?g {{ ?s <{OWL.sameAs}> ?o }} {not_void} FILTER(isIRI(?o))
        BIND(IF(STRSTARTS(STR(?o), "{WD}"), "wikidata", IF(STRSTARTS(STR(?o), "{DBR}"), "dbpedia", "other"))
             AS ?target) }} GROUP BY ?target""")}

    add(DATASET, RDF.type, str(VOID.Dataset))
    add(DATASET, DCTERMS.title, Literal(TITLE, language="en"))
    add(DATASET, DCTERMS.description, Literal(
        "Claims (who said what, when, about which issue) extracted from news articles about international trade "
        "negotiations, with their evidence spans, provenance, and the people, posts, organisations and countries "
        "they concern.", language="en"))
    licence = license or config.env("DATA_LICENSE")
    if licence:
        add(DATASET, DCTERMS.license, licence)
    endpoint = sparql_endpoint or config.env("SPARQL_ENDPOINT")
    if endpoint:
        add(DATASET, VOID.sparqlEndpoint, endpoint)
    add(DATASET, VOID.uriSpace, Literal(ID_BASE))
    add(DATASET, VOID.triples, count(sum(int(r["n"]) for r in properties)))
    add(DATASET, VOID.entities, count(totals.get("entities", 0)))
    add(DATASET, VOID.distinctSubjects, count(totals.get("subjects", 0)))
    add(DATASET, VOID.classes, count(len(classes)))
    add(DATASET, VOID.properties, count(len(properties)))

    used = [r["p"] for r in properties] + [r["c"] for r in classes]
    for prefix, ns in sorted(PREFIXES.items()):
        if prefix not in _NOT_VOCABULARIES and any(t.startswith(ns) for t in used):
            add(DATASET, VOID.vocabulary, ns)
    for r in classes:
        part = id_iri(f"dataset/class/{_name(r['c'])}")
        add(DATASET, VOID.classPartition, part)
        add(part, VOID["class"], r["c"])
        add(part, VOID.entities, count(r["n"]))
    for r in properties:
        part = id_iri(f"dataset/property/{_name(r['p'])}")
        add(DATASET, VOID.propertyPartition, part)
        add(part, VOID.property, r["p"])
        add(part, VOID.triples, count(r["n"]))

    for key, target in TARGETS.items():
        other, linkset = id_iri(f"dataset/{key}"), id_iri(f"dataset/linkset/{key}")
        add(other, RDF.type, str(VOID.Dataset))
        add(other, DCTERMS.title, Literal(target["title"], language="en"))
        add(other, FOAF.homepage, target["homepage"])
        add(other, VOID.sparqlEndpoint, target["endpoint"])
        add(other, VOID.uriSpace, Literal(target["space"]))
        add(DATASET, VOID.subset, linkset)
        add(linkset, RDF.type, str(VOID.Linkset))
        add(linkset, DCTERMS.title, Literal(f"owl:sameAs links to {target['title']}", language="en"))
        add(linkset, VOID.linkPredicate, str(OWL.sameAs))
        add(linkset, VOID.subjectsTarget, DATASET)
        add(linkset, VOID.objectsTarget, other)
        add(linkset, VOID.triples, count(linksets.get(key, {}).get("n", 0)))
    return sorted(quads, key=str)
