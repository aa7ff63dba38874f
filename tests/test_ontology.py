"""The ontology and kg/vocab.py agree term for term; every term is documented; alignments are declared; the closed
namespaces of vocab.py name only real terms of their vocabularies; every RDF file under ontology/ parses."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace, Namespace

from kg.vocab import CG, OA, ONTOLOGY_IRI, ONTOLOGY_VERSION, SCHEMA, WD, WDT

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology"
CG_NS = str(CG._NS)
VANN = Namespace("http://purl.org/vocab/vann/")
SH = Namespace("http://www.w3.org/ns/shacl#")


def names(ns: type[DefinedNamespace]) -> set[str]:
    return {name for name in ns.__annotations__ if not name.startswith("_")}


@pytest.fixture(scope="module")
def onto() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY / "claimgraph.ttl", format="turtle")


def declared(onto: rdflib.Graph) -> set[str]:
    """Local names of the cg: IRIs the ontology gives a type to."""
    return {str(s)[len(CG_NS):] for s in onto.subjects(RDF.type, None) if str(s).startswith(CG_NS)}


def used(onto: rdflib.Graph) -> set[str]:
    """Local names of every cg: IRI anywhere in the ontology (subject, predicate or object)."""
    return {str(t)[len(CG_NS):] for triple in onto for t in triple
            if isinstance(t, URIRef) and str(t).startswith(CG_NS)}


def test_every_vocab_term_is_declared_in_the_ontology(onto: rdflib.Graph) -> None:
    assert sorted(names(CG) - declared(onto)) == []


def test_every_ontology_term_is_in_vocab(onto: rdflib.Graph) -> None:
    assert sorted(used(onto) - names(CG)) == []
    assert sorted(used(onto) - declared(onto)) == [], "cg: IRIs used in the ontology without a declaration"


def test_vocab_stays_closed() -> None:
    with pytest.raises(AttributeError):
        CG.speakr  # noqa: B018 - a typo must raise, not mint a term


def kinds(onto: rdflib.Graph, name: str) -> set[URIRef]:
    return set(onto.objects(CG[name], RDF.type))


def test_terms_have_the_right_kind(onto: rdflib.Graph) -> None:
    for name in names(CG):
        types = kinds(onto, name)
        if name in ("DirectQuote", "IndirectQuote", "MixedQuote"):
            assert {OWL.NamedIndividual, CG.ClaimKind, SKOS.Concept} <= types, name
        elif name[0].isupper():
            assert OWL.Class in types, f"cg:{name} is a class (upper-case initial)"
        else:
            assert types & {OWL.ObjectProperty, OWL.DatatypeProperty}, f"cg:{name} is a property"


def test_properties_have_domain_and_range(onto: rdflib.Graph) -> None:
    for name in names(CG):
        types = kinds(onto, name)
        if types & {OWL.ObjectProperty, OWL.DatatypeProperty}:
            assert onto.value(CG[name], RDFS.domain) is not None, f"cg:{name} has no rdfs:domain"
            assert onto.value(CG[name], RDFS.range) is not None, f"cg:{name} has no rdfs:range"
        if OWL.DatatypeProperty in types:
            rng = onto.value(CG[name], RDFS.range)
            assert str(rng).startswith(str(XSD)) or rng == RDF.langString, f"cg:{name} range {rng}"


def english(onto: rdflib.Graph, term: URIRef, prop: URIRef) -> list[str]:
    return [str(v) for v in onto.objects(term, prop) if isinstance(v, Literal) and v.language == "en"]


def test_every_class_property_and_individual_has_english_label_and_comment(onto: rdflib.Graph) -> None:
    missing = []
    for name in sorted(declared(onto)):
        term = CG[name]
        labels, comments = english(onto, term, RDFS.label), english(onto, term, RDFS.comment)
        if len(labels) != 1 or len(comments) != 1 or len(comments[0]) < 40:
            missing.append(name)
        if onto.value(term, RDFS.isDefinedBy) != URIRef(ONTOLOGY_IRI):
            missing.append(f"{name} (rdfs:isDefinedBy)")
    assert missing == []


def test_ontology_header(onto: rdflib.Graph) -> None:
    o = URIRef(ONTOLOGY_IRI)
    assert (o, RDF.type, OWL.Ontology) in onto
    assert onto.value(o, OWL.versionIRI) == URIRef(f"{ONTOLOGY_IRI}/{ONTOLOGY_VERSION}")
    assert str(onto.value(o, OWL.versionInfo)) == ONTOLOGY_VERSION
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.license, DCTERMS.creator):
        assert onto.value(o, prop) is not None, prop
    assert str(onto.value(o, VANN.preferredNamespacePrefix)) == "cg"
    assert str(onto.value(o, VANN.preferredNamespaceUri)) == CG_NS
    assert len(set(onto.subjects(RDF.type, OWL.Ontology))) == 1


ALIGNMENTS = [
    (CG.Claim, RDFS.subClassOf, PROV.Entity),
    (CG.Claim, RDFS.subClassOf, SCHEMA.Claim),
    (CG.Article, RDFS.subClassOf, SCHEMA.NewsArticle),
    (CG.Article, RDFS.subClassOf, PROV.Entity),
    (CG.Mention, RDFS.subClassOf, PROV.Entity),
    (CG.ExtractionRun, RDFS.subClassOf, PROV.Activity),
    (CG.Software, RDFS.subClassOf, PROV.SoftwareAgent),
    (CG.Person, RDFS.subClassOf, PROV.Agent),
    (CG.Person, RDFS.subClassOf, FOAF.Person),
    (CG.Person, RDFS.subClassOf, SCHEMA.Person),
    (CG.Official, RDFS.subClassOf, CG.Person),
    (CG.Country, RDFS.subClassOf, SCHEMA.Country),
    (CG.Post, RDFS.subClassOf, ORG.Post),
    (CG.Organization, RDFS.subClassOf, ORG.Organization),
    (CG.Organization, RDFS.subClassOf, FOAF.Organization),
    (CG.Organization, RDFS.subClassOf, SCHEMA.Organization),
    (CG.GovernmentBody, RDFS.subClassOf, ORG.FormalOrganization),
    (CG.GovernmentBody, RDFS.subClassOf, CG.Organization),
    (CG.Publisher, RDFS.subClassOf, CG.Organization),
    (CG.Issue, RDFS.subClassOf, SKOS.Concept),
    (CG.IssueScheme, RDFS.subClassOf, SKOS.ConceptScheme),
    (CG.ClaimKind, RDFS.subClassOf, SKOS.Concept),
    (CG.Span, RDFS.subClassOf, OA.SpecificResource),
    (CG.speaker, RDFS.subPropertyOf, PROV.wasAttributedTo),
    (CG.about, RDFS.subPropertyOf, SCHEMA.about),
    (CG.about, RDFS.subPropertyOf, DCTERMS.subject),
    (CG.mentionsCountry, RDFS.subPropertyOf, SCHEMA.mentions),
    (CG.mentionsPerson, RDFS.subPropertyOf, SCHEMA.mentions),
    (CG.mentionsOrganization, RDFS.subPropertyOf, SCHEMA.mentions),
    (CG.claimText, RDFS.subPropertyOf, SCHEMA.text),
    (CG.statedOn, RDFS.subPropertyOf, DCTERMS.date),
]


@pytest.mark.parametrize("axiom", ALIGNMENTS, ids=lambda a: f"{a[0].n3()} {a[1].n3()} {a[2].n3()}")
def test_alignment_to_a_reused_vocabulary(onto: rdflib.Graph, axiom: tuple[URIRef, URIRef, URIRef]) -> None:
    assert axiom in onto


WIKIDATA = [
    (CG.actsFor, SKOS.closeMatch, WDT.P27),  # acting for a country is a role, not citizenship
    (ORG.holds, SKOS.closeMatch, WDT.P39),
    (CG.postCountry, SKOS.closeMatch, WDT.P17),
    (CG.Country, SKOS.closeMatch, WD.Q6256),  # ISO 3166-1 also lists territories
    (CG.Person, SKOS.exactMatch, WD.Q5),
    (CG.isoAlpha2, SKOS.exactMatch, WDT.P297),
    (CG.isoAlpha3, SKOS.exactMatch, WDT.P298),
    (CG.isoNumeric, SKOS.exactMatch, WDT.P299),
]


def test_wikidata_alignments_are_mapping_relations_not_owl_equivalences(onto: rdflib.Graph) -> None:
    for axiom in WIKIDATA:
        assert axiom in onto, axiom
    wikidata = (str(WD), str(WDT))
    strong = [(s, p, o) for s, p, o in onto
              if p in (OWL.equivalentClass, OWL.equivalentProperty, OWL.sameAs, RDFS.subClassOf, RDFS.subPropertyOf)
              and str(o).startswith(wikidata)]
    assert strong == [], "Wikidata states classes with wdt:P31, not rdf:type: OWL axioms to it would mislead"


def test_claim_kinds_are_a_closed_list(onto: rdflib.Graph) -> None:
    one_of = [o for o in onto.objects(CG.ClaimKind, OWL.equivalentClass)]
    assert len(one_of) == 1
    members = set(rdflib.collection.Collection(onto, onto.value(one_of[0], OWL.oneOf)))
    assert members == {CG.DirectQuote, CG.IndirectQuote, CG.MixedQuote}


# Curated from the W3C Web Annotation Vocabulary (https://www.w3.org/TR/annotation-vocab/), all its classes and
# properties; and from schema.org, the types and properties near the ones we use.
WEB_ANNOTATION = {
    "Annotation", "Choice", "CssSelector", "CssStyle", "DataPositionSelector", "Direction", "FragmentSelector",
    "HttpRequestState", "Motivation", "RangeSelector", "ResourceSelection", "Selector", "SpecificResource", "State",
    "Style", "SvgSelector", "TextPositionSelector", "TextQuoteSelector", "TextualBody", "TimeState",
    "XPathSelector", "annotationService", "bodyValue", "cachedSource", "canonical", "end", "exact", "hasBody",
    "hasEndSelector", "hasPurpose", "hasScope", "hasSelector", "hasSource", "hasStartSelector", "hasState",
    "hasTarget", "motivatedBy", "prefix", "processingLanguage", "refinedBy", "renderedVia", "sourceDate",
    "sourceDateEnd", "sourceDateStart", "start", "styleClass", "styledBy", "suffix", "textDirection", "via",
}
SCHEMA_ORG = {
    "Thing", "CreativeWork", "Article", "NewsArticle", "Claim", "Place", "Country", "Person", "Organization",
    "GovernmentOrganization", "NewsMediaOrganization", "SoftwareApplication", "name", "alternateName",
    "description", "identifier", "url", "sameAs", "headline", "publisher", "author", "datePublished",
    "dateCreated", "dateModified", "articleBody", "inLanguage", "keywords", "about", "mentions", "text",
    "appearance", "firstAppearance", "claimInterpreter", "startDate", "endDate", "softwareVersion", "jobTitle",
    "memberOf", "nationality", "affiliation", "addressCountry", "address", "State", "AdministrativeArea",
    "containedInPlace", "familyName",
}


@pytest.mark.parametrize(("namespace", "known"), [(OA, WEB_ANNOTATION), (SCHEMA, SCHEMA_ORG)],
                         ids=["oa", "schema"])
def test_closed_namespaces_name_only_real_terms(namespace: type[DefinedNamespace], known: set[str]) -> None:
    assert sorted(names(namespace) - known) == []


def test_shapes_use_only_declared_terms_and_target_every_class(onto: rdflib.Graph) -> None:
    shapes = rdflib.Graph().parse(ONTOLOGY / "shapes.ttl", format="turtle")
    assert sorted(used(shapes) - declared(onto)) == []
    targets = {str(t)[len(CG_NS):] for t in shapes.objects(None, SH.targetClass) if str(t).startswith(CG_NS)}
    classes = {n for n in names(CG) if OWL.Class in kinds(onto, n)}
    assert sorted(classes - targets) == []


RDF_FILES = sorted(p for p in ONTOLOGY.rglob("*") if p.suffix in (".ttl", ".trig"))


@pytest.mark.parametrize("path", RDF_FILES, ids=lambda p: str(p.relative_to(ONTOLOGY)))
def test_rdf_file_parses_with_rdflib_and_pyoxigraph(path: Path) -> None:
    fmt = "trig" if path.suffix == ".trig" else "turtle"
    in_rdflib = rdflib.Dataset().parse(path, format=fmt)
    in_oxigraph = set(ox.parse(path=str(path), format=ox.RdfFormat.TRIG if fmt == "trig" else ox.RdfFormat.TURTLE))
    assert len(in_oxigraph) > 0
    if fmt == "turtle":  # both parsers read the same triples (counted as a set: a file may repeat one)
        assert len(in_rdflib) == len(in_oxigraph)


def test_the_ontology_is_among_the_parsed_files() -> None:
    assert ONTOLOGY / "claimgraph.ttl" in RDF_FILES and ONTOLOGY / "shapes.ttl" in RDF_FILES


def test_ontology_answers_an_analyst_question() -> None:
    """Loaded in a store, the ontology tells which properties describe a claim, with their labels."""
    store = ox.Store()
    store.load(path=str(ONTOLOGY / "claimgraph.ttl"), format=ox.RdfFormat.TURTLE)
    rows = store.query(f"""SELECT ?label WHERE {{
        ?p <{RDFS.domain}> <{CG.Claim}> ; <{RDFS.label}> ?label }} ORDER BY ?label""")
    labels = [r["label"].value for r in rows]
    assert {"speaker", "claim text", "kind", "stated on", "about"} <= set(labels)
