"""The VoID description, computed from a real store (embedded and remote), checked against independent counts."""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse, serialize

from kg.store import Store
from kg.vocab import DBR, DCTERMS, OWL, RDF, VOID, WD, graph_iri, id_iri
from kg.void import DATASET, VOID_GRAPH, void_quads
from tests.test_linking import add_found_in_text, load_reference


def objects(quads: list[Quad], subject: str, predicate: str) -> list[str]:
    return [q.object.value for q in quads if q.subject == NamedNode(subject) and q.predicate == NamedNode(
        str(predicate))]


def one_int(quads: list[Quad], subject: str, predicate: str) -> int:
    values = objects(quads, subject, predicate)
    assert len(values) == 1, (subject, predicate, values)
    return int(values[0])


def test_void_counts_match_the_store(store: Store) -> None:
    load_reference(store)
    add_found_in_text(store)
    store.update(f"INSERT DATA {{ GRAPH <{graph_iri('links')}> {{ <{id_iri('person/robert-lighthizer')}> "
                 f"<{OWL.sameAs}> <{WD}Q1234567> }} }}")
    # independent counts, from the quads themselves
    all_quads = list(parse(serialize_store(store), RdfFormat.N_QUADS))
    same = [q for q in all_quads if q.predicate == NamedNode(str(OWL.sameAs))]
    to_wikidata = sum(q.object.value.startswith(str(WD)) for q in same)
    to_dbpedia = sum(q.object.value.startswith(str(DBR)) for q in same)
    assert to_wikidata > 250 and to_dbpedia > 240  # every country, plus officials

    v = void_quads(store, sparql_endpoint="https://example.org/sparql")
    assert all(q.graph_name == NamedNode(VOID_GRAPH) for q in v)
    assert one_int(v, DATASET, VOID.triples) == len(all_quads)
    assert one_int(v, DATASET, VOID.distinctSubjects) == len({q.subject for q in all_quads})
    assert one_int(v, DATASET, VOID.properties) == len({q.predicate for q in all_quads})
    classes = {q.object for q in all_quads if q.predicate == NamedNode(str(RDF.type))}
    assert one_int(v, DATASET, VOID.classes) == len(classes) == len(objects(v, DATASET, VOID.classPartition))
    country = id_iri("dataset/class/cg-Country")
    assert one_int(v, country, VOID.entities) == 249
    assert objects(v, DATASET, VOID.sparqlEndpoint) == ["https://example.org/sparql"]
    assert "https://w3id.org/claimgraph/ontology#" in objects(v, DATASET, VOID.vocabulary)

    linksets = {q.subject.value for q in v if q.predicate == NamedNode(str(RDF.type))
                and q.object == NamedNode(str(VOID.Linkset))}
    assert linksets == {id_iri("dataset/linkset/wikidata"), id_iri("dataset/linkset/dbpedia")}
    assert one_int(v, id_iri("dataset/linkset/wikidata"), VOID.triples) == to_wikidata
    assert one_int(v, id_iri("dataset/linkset/dbpedia"), VOID.triples) == to_dbpedia
    for ls in linksets:
        assert objects(v, ls, VOID.linkPredicate) == [str(OWL.sameAs)]
        assert objects(v, ls, VOID.subjectsTarget) == [DATASET]
        assert objects(v, objects(v, ls, VOID.objectsTarget)[0], RDF.type) == [str(VOID.Dataset)]


def serialize_store(store: Store) -> bytes:
    import io
    out = io.BytesIO()
    store.dump(out, RdfFormat.N_QUADS)
    return out.getvalue()


def test_void_is_deterministic_and_ignores_its_own_graph(store: Store) -> None:
    load_reference(store)
    first = void_quads(store)
    assert not objects(first, DATASET, VOID.sparqlEndpoint)  # none configured
    assert not objects(first, DATASET, DCTERMS.license)  # no licence claimed unless the operator states one
    body = " ".join(f"{q.subject} {q.predicate} {q.object} ." for q in first)
    store.update(f"INSERT DATA {{ GRAPH <{VOID_GRAPH}> {{ {body} }} }}")
    again = void_quads(store)
    assert again == first
    assert serialize([q.triple for q in again], format=RdfFormat.TURTLE)  # serialisable for /.well-known/void


def test_the_servers_void_through_its_query_runner_equals_the_stores(store: Store) -> None:
    """`kg serve` computes VoID through its QueryRunner: the same counts as the store's own, on every backend (on
    Virtuoso, only claimgraph's graphs: never the store's system graphs)."""
    from server.runner import QueryRunner

    load_reference(store)
    assert void_quads(QueryRunner(store)) == void_quads(store)


def test_void_of_an_empty_store_has_zero_counts(store: Store) -> None:
    v = void_quads(store)
    assert one_int(v, DATASET, VOID.triples) == 0
    assert one_int(v, id_iri("dataset/linkset/wikidata"), VOID.triples) == 0
    assert Literal("0", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer")) in {q.object for q in v}


def test_void_states_the_licence_the_operator_gives(store: Store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KG_DATA_LICENSE", "https://creativecommons.org/licenses/by-nc/4.0/")
    assert objects(void_quads(store), DATASET, DCTERMS.license) == ["https://creativecommons.org/licenses/by-nc/4.0/"]
    assert objects(void_quads(store, license="https://example.org/terms"), DATASET, DCTERMS.license) == [
        "https://example.org/terms"]
