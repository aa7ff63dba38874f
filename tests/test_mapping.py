"""The mapping: deterministic quads, one graph per article, shared nodes apart, spans that match the text."""

from __future__ import annotations

import dataclasses

import pytest
from pyoxigraph import NamedNode

from kg.extract.model import Post
from kg.mapping import ENTITIES_GRAPH, article_graph, article_quads
from kg.vocab import CG, OA, ORG, PROV, RDFS, id_iri
from tests.factories import sample_extraction


def triples(quads, s=None, p=None):  # type: ignore[no-untyped-def]
    return [q for q in quads if (s is None or q.subject.value == s) and (p is None or q.predicate.value == str(p))]


def test_same_extraction_gives_same_quads() -> None:
    assert article_quads(sample_extraction()).article == article_quads(sample_extraction()).article


def test_article_quads_are_all_in_the_article_graph_and_shared_ones_apart() -> None:
    aq = article_quads(sample_extraction())
    assert {q.graph_name.value for q in aq.article} == {article_graph("test-article-1")}
    assert {q.graph_name.value for q in aq.shared} == {ENTITIES_GRAPH}
    person = id_iri("person/ana-ruiz")
    assert triples(aq.shared, s=person), "a person found in text is a shared node"
    assert not triples(aq.article, s=person), "shared-node facts are not copied into the article graph"


def test_every_claim_links_article_span_and_run() -> None:
    ex = sample_extraction()
    aq = article_quads(ex)
    for c in ex.claims:
        claim = id_iri(f"claim/test-article-1/{c.start}-{c.end}")
        assert triples(aq.article, claim, PROV.wasDerivedFrom)[0].object.value == id_iri("article/test-article-1")
        assert triples(aq.article, claim, PROV.wasGeneratedBy)[0].object.value == id_iri("run/test-article-1")
        span = triples(aq.article, claim, CG.evidence)[0].object.value
        assert int(triples(aq.article, span + "#position", OA.start)[0].object.value) == c.start
        assert int(triples(aq.article, span + "#position", OA.end)[0].object.value) == c.end
        assert triples(aq.article, span + "#quote", OA.exact)[0].object.value == c.text


def test_known_entities_are_not_rewritten_into_the_shared_graph() -> None:
    aq = article_quads(sample_extraction())
    assert not triples(aq.shared, s=id_iri("country/MX"))


def test_a_span_that_does_not_match_the_text_is_refused() -> None:
    ex = sample_extraction()
    ex.claims[0] = dataclasses.replace(ex.claims[0], start=ex.claims[0].start + 1)
    with pytest.raises(ValueError, match="is not"):
        article_quads(ex)


def test_article_ids_that_are_not_iri_safe_get_an_injective_key() -> None:
    a = article_quads(sample_extraction("https://news.example/a b"))
    b = article_quads(sample_extraction("https://news.example/a%20b"))
    assert a.graph != b.graph
    NamedNode(a.graph)  # a valid IRI


@pytest.mark.parametrize("title", ["U.S. Trade Representative", "Trade Representative of the United States",
                                   "USTR", "United States Trade Representative"])
def test_a_reference_post_named_another_way_is_the_reference_post(title: str) -> None:
    ex = sample_extraction()
    ex = dataclasses.replace(ex, posts=[Post(title=title, holder="person/robert-lighthizer", country="US")])
    shared = article_quads(ex).shared
    ustr = NamedNode(id_iri("post/US/united-states-trade-representative"))
    holds = [q for q in shared if q.predicate == NamedNode(str(ORG.holds))]
    assert [q.object for q in holds] == [ustr]
    assert not [q for q in shared if q.subject == ustr and q.predicate == NamedNode(str(RDFS.label))], \
        "the reference graph already labels the post"


def test_a_new_post_gets_its_own_node_with_a_label() -> None:
    ex = dataclasses.replace(sample_extraction(), posts=[
        Post(title="Deputy U.S. Trade Representative", holder="person/ana-ruiz", country="US")])
    shared = article_quads(ex).shared
    deputy = NamedNode(id_iri("post/US/deputy-u-s-trade-representative"))
    assert {q.object for q in shared if q.predicate == NamedNode(str(ORG.holds))} == {deputy}
    assert [q.object.value for q in shared if q.subject == deputy and q.predicate == NamedNode(str(RDFS.label))] \
        == ["Deputy U.S. Trade Representative"]


def test_claims_sharing_a_span_stay_apart_with_one_speaker_each() -> None:
    """ "A and B said X" gives one claim per speaker on one span: two claim nodes, each with exactly one speaker,
    speaker text and confidence (one node would hold two of each and fail the shapes)."""
    ex = sample_extraction()
    first = ex.claims[0]
    second = dataclasses.replace(first, speaker="person/luis-ortega", speaker_text="Luis Ortega", confidence=0.4)
    ex = dataclasses.replace(ex, claims=[first, second, *ex.claims[1:]])
    aq = article_quads(ex)
    nodes = {q.subject.value for q in aq.article if q.predicate.value == str(CG.claimText)
             and q.object.value == first.text}
    assert len(nodes) == 2
    for node in nodes:
        assert node.startswith(id_iri("claim/test-article-1/")) and node.endswith(f"/{first.start}-{first.end}")
        assert len(triples(aq.article, node, CG.speaker)) == 1
        assert len(triples(aq.article, node, CG.speakerText)) == 1
        assert len(triples(aq.article, node, CG.confidence)) == 1
    assert {triples(aq.article, n, CG.speaker)[0].object.value for n in nodes} == {
        id_iri("person/ana-ruiz"), id_iri("person/luis-ortega")}


def test_a_store_with_coordinated_speakers_conforms(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Real extraction, real store, SHACL and the SPARQL checks: two claims on one span each pass on their own."""
    from click.testing import CliRunner

    from kg.cli import cli
    from kg.store import EmbeddedStore
    from tests.test_identity import _ingest

    store = tmp_path / "store"
    _ingest(store, tmp_path, [{"id": "quota", "published": "2019-05-02", "title": "Quotas", "text":
        "Canadian Trade Minister Anna Berg and Mexican Economy Minister Luis Ortega said the new quota deal would "
        "protect coastal communities."}])
    with EmbeddedStore(store) as s:
        speakers = {r["s"].value for r in s.query(  # type: ignore[union-attr]
            "SELECT ?c ?s WHERE { ?c <https://w3id.org/claimgraph/ontology#speaker> ?s }")}
    assert speakers == {id_iri("person/anna-berg"), id_iri("person/luis-ortega")}
    r = CliRunner().invoke(cli, ["validate", "--store", str(store)], catch_exceptions=False)
    assert r.exit_code == 0, r.output


def test_an_anonymous_source_written_two_ways_has_one_label() -> None:
    """ "The aide said ... the aide added ...": one source node of the article, labelled with its first wording."""
    ex = sample_extraction()
    first, second = ex.claims[0], ex.claims[1]
    ex = dataclasses.replace(ex, claims=[dataclasses.replace(first, speaker=None, speaker_text="The aide"),
                                         dataclasses.replace(second, speaker=None, speaker_text="the aide")])
    aq = article_quads(ex)
    sources = {q.subject.value for q in aq.article if q.object.value == str(CG.AnonymousSource)}
    assert len(sources) == 1
    assert {q.object.value for q in triples(aq.article, sources.pop(), RDFS.label)} == {"The aide"}


def test_a_claim_repeated_on_one_span_by_one_speaker_is_one_node_counted_once() -> None:
    """Two extracted claims with one span and one speaker would share one IRI: the graph would hold one node with
    two confidences while the article's issue tally counted two claims. The repeat is left out, the first kept."""
    ex = sample_extraction()
    first = ex.claims[0]
    again = dataclasses.replace(first, confidence=0.3, kind="indirect")
    other = dataclasses.replace(first, speaker="person/luis-ortega", speaker_text="Luis Ortega")
    ex = dataclasses.replace(ex, claims=[first, again, other, *ex.claims[1:]])
    aq = article_quads(ex)
    nodes = {q.subject.value for q in aq.article if q.predicate.value == str(CG.claimText)
             and q.object.value == first.text}
    assert len(nodes) == 2  # Ana Ruiz's once, Luis Ortega's once
    for node in nodes:
        assert len(triples(aq.article, node, CG.confidence)) == 1
        assert len(triples(aq.article, node, CG.kind)) == 1
    claims = {q.subject.value for q in aq.article if q.object.value == str(CG.Claim)}
    counts = [int(q.object.value) for q in aq.article if q.predicate.value == str(CG.claimCount)]
    assert len(claims) == len(ex.claims) - 1
    assert counts and max(counts) <= len(claims)
