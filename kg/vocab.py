"""Every IRI the code writes: our ontology's terms, the vocabularies it reuses, and the IRI scheme of the data.

One closed ``DefinedNamespace`` per vocabulary (``_fail = True``), so a typo raises instead of minting a term
that the ontology does not define. ``tests/test_ontology.py`` proves that every ``CG`` term here is declared in
``ontology/claimgraph.ttl`` with a label and a comment, and the reverse.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import quote

from pyoxigraph import NamedNode
from rdflib import URIRef
from rdflib.namespace import (
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SKOS,
    VOID,
    XSD,
    DefinedNamespace,
    Namespace,
)

__all__ = [
    "BASE", "CG", "OA", "SCHEMA", "WD", "WDT", "DBR", "DCTERMS", "FOAF", "ORG", "OWL", "PROV", "RDF", "RDFS",
    "SKOS", "VOID", "XSD", "ONTOLOGY_IRI", "ONTOLOGY_VERSION", "node", "slug", "id_iri", "graph_iri",
    "article_key", "PREFIXES",
]

ONTOLOGY_VERSION = "0.1.0"
ONTOLOGY_IRI = "https://w3id.org/claimgraph/ontology"
BASE = "https://w3id.org/claimgraph/"
"""Base of every data IRI: entities under ``id/``, named graphs under ``graph/``."""


class CG(DefinedNamespace):
    """The claimgraph ontology (``ontology/claimgraph.ttl``)."""

    _NS = Namespace("https://w3id.org/claimgraph/ontology#")
    _fail = True

    # classes
    Country: URIRef
    Person: URIRef
    Official: URIRef
    Post: URIRef
    Tenure: URIRef
    Organization: URIRef
    GovernmentBody: URIRef
    Publisher: URIRef
    Issue: URIRef
    ClaimKind: URIRef
    Claim: URIRef
    Article: URIRef
    Span: URIRef
    Mention: URIRef
    ExtractionRun: URIRef
    Software: URIRef
    AnonymousSource: URIRef
    # claim kinds (individuals of ClaimKind)
    DirectQuote: URIRef
    IndirectQuote: URIRef
    MixedQuote: URIRef
    # the issue taxonomy, and the cue properties the claim tagger reads in it (kg/extract/issues.py)
    IssueScheme: URIRef
    contextCue: URIRef
    cueContext: URIRef
    caseSensitiveCue: URIRef
    partyCue: URIRef
    notCue: URIRef
    namedAgreement: URIRef
    articleTopic: URIRef
    tradeCue: URIRef
    nonTradeCue: URIRef
    # claim properties
    speaker: URIRef
    speakerText: URIRef
    anonymousSource: URIRef
    method: URIRef
    kind: URIRef
    cue: URIRef
    claimText: URIRef
    about: URIRef
    mentionsCountry: URIRef
    mentionsPerson: URIRef
    mentionsOrganization: URIRef
    statedOn: URIRef
    datePrecision: URIRef
    confidence: URIRef
    evidence: URIRef
    # mentions
    mentionOf: URIRef
    # people, posts, countries, organisations
    actsFor: URIRef
    postCountry: URIRef
    postRegion: URIRef
    tenureOf: URIRef
    tenureHolder: URIRef
    isoAlpha2: URIRef
    isoAlpha3: URIRef
    isoNumeric: URIRef
    demonym: URIRef
    # cross-article identity: why a written name names a node
    NameMerge: URIRef
    mergedInto: URIRef
    surfaceForm: URIRef
    mergeReason: URIRef
    # extraction runs
    pipeline: URIRef
    contentDigest: URIRef
    # what users filter claims on, as direct properties (docs/data-model.md)
    speakerCountry: URIRef
    articleDate: URIRef
    # precomputed summaries, per article (kg/summaries.py)
    Tally: URIRef
    IssueTally: URIRef
    SpeakerTally: URIRef
    CountryTally: URIRef
    PairTally: URIRef
    tallyOf: URIRef
    tallyDate: URIRef
    tallyMonth: URIRef
    claimCount: URIRef
    tallySpeaker: URIRef
    tallyCountry: URIRef
    pairedWith: URIRef


class OA(DefinedNamespace):
    """W3C Web Annotation vocabulary (the terms we use)."""

    _NS = Namespace("http://www.w3.org/ns/oa#")
    _fail = True

    SpecificResource: URIRef
    TextPositionSelector: URIRef
    TextQuoteSelector: URIRef
    hasSource: URIRef
    hasSelector: URIRef
    start: URIRef
    end: URIRef
    exact: URIRef
    prefix: URIRef
    suffix: URIRef


class SCHEMA(DefinedNamespace):
    """schema.org, in the ``http://schema.org/`` form its JSON-LD context, Wikidata and DBpedia use."""

    _NS = Namespace("http://schema.org/")
    _fail = True

    NewsArticle: URIRef
    Country: URIRef
    State: URIRef
    AdministrativeArea: URIRef
    Person: URIRef
    Organization: URIRef
    GovernmentOrganization: URIRef
    Claim: URIRef
    url: URIRef
    headline: URIRef
    publisher: URIRef
    datePublished: URIRef
    identifier: URIRef
    articleBody: URIRef
    name: URIRef
    startDate: URIRef
    endDate: URIRef
    containedInPlace: URIRef
    familyName: URIRef
    softwareVersion: URIRef
    mentions: URIRef
    about: URIRef
    text: URIRef
    keywords: URIRef


WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")
DBR = Namespace("http://dbpedia.org/resource/")

PREFIXES: dict[str, str] = {
    "cg": str(CG._NS),
    "oa": str(OA._NS),
    "schema": str(SCHEMA._NS),
    "prov": str(PROV),
    "org": str(ORG),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "foaf": str(FOAF),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "void": str(VOID),
    "wd": str(WD),
    "wdt": str(WDT),
    "dbr": str(DBR),
    "cgid": BASE + "id/",
    "cgg": BASE + "graph/",
}


@lru_cache(maxsize=4096)
def node(term: str) -> NamedNode:
    """The pyoxigraph node of a vocabulary term or IRI string."""
    return NamedNode(str(term))


_SAFE_KEY = re.compile(r"[A-Za-z0-9._~-]+")


def slug(name: str) -> str:
    """A lower-case ASCII slug of a name: ``"Chrystia Freeland"`` -> ``"chrystia-freeland"``.

    >>> slug("Jesús Seade Kuri")
    'jesus-seade-kuri'
    >>> slug("U.S. Trade Representative")
    'u-s-trade-representative'
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "x"


def article_key(article_id: str) -> str:
    """The IRI path segment of an article id: the id itself where it is IRI-safe, else percent-encoded.

    Injective, so two different ids never share a graph.

    >>> article_key("nafta-talks-2018")
    'nafta-talks-2018'
    >>> article_key("https://example.com/a b")
    'https%3A%2F%2Fexample.com%2Fa%20b'
    """
    if _SAFE_KEY.fullmatch(article_id):
        return article_id
    return quote(article_id, safe="")


def id_iri(key: str) -> str:
    """The IRI of an entity key such as ``"person/robert-lighthizer"`` or ``"country/US"``."""
    return f"{BASE}id/{key}"


def graph_iri(name: str) -> str:
    """The IRI of a named graph: ``entities``, ``reference``, ``ontology``, ``links``, or ``article/<key>``."""
    return f"{BASE}graph/{name}"


ID_BASE = id_iri("")
"""Where every entity IRI starts (``cgid:``); ``/id/...`` pages serve them."""
ENTITIES_GRAPH = graph_iri("entities")
REFERENCE_GRAPH = graph_iri("reference")
ONTOLOGY_GRAPH = graph_iri("ontology")
LINKS_GRAPH = graph_iri("links")
CANDIDATES_GRAPH = graph_iri("link-candidates")
VOID_GRAPH = graph_iri("void")
ARTICLE_GRAPH_PREFIX = graph_iri("article/")
"""The named graphs claimgraph writes, in one place: one per article under ``ARTICLE_GRAPH_PREFIX``, and these."""
