"""What the pages of ``/id/...`` say about one resource: a few SPARQL queries through the query runner.

Each function receives the runner (``*, runner``) and asks one or two queries; the IRI is bound with
substitutions, never spliced into the text. Row lists stop at ``max_rows`` and say whether rows were cut.
Rows come back as ``Node`` values that templates render (label or compact IRI, literal with datatype).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import pyoxigraph as ox

from kg import stats
from kg.query_job import Bindings, Solutions, text_of
from kg.vocab import ID_BASE as ID_BASE  # re-exported: server.pages reads it here
from kg.vocab import ONTOLOGY_IRI, PREFIXES

ONTOLOGY_NS = PREFIXES["cg"]

SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())

LABEL = "rdfs:label|skos:prefLabel"


class Runner(Protocol):
    """The part of ``server.runner.QueryRunner`` pages use."""

    def select(self, sparql: str, bindings: Bindings | None = None, *, max_rows: int | None = None) -> Solutions: ...

    def construct(self, sparql: str, bindings: Bindings | None = None) -> list[ox.Triple]: ...

    def graph_filter(self) -> str: ...


@dataclass(frozen=True)
class Node:
    """An RDF term ready for a page: an IRI (with a label when the data has one) or a literal."""

    value: str
    is_iri: bool
    label: str | None = None
    datatype: str | None = None
    language: str | None = None

    @property
    def text(self) -> str:
        """What a page shows: the label, else the compact IRI, else the literal's lexical form."""
        if self.label:
            return self.label
        return compact(self.value) if self.is_iri else self.value

    @property
    def datatype_name(self) -> str | None:
        return compact(self.datatype) if self.datatype else None


def compact(iri: str) -> str:
    """``cg:Claim`` for an IRI under a known prefix (the longest namespace wins), else the IRI itself.

    >>> compact("https://w3id.org/claimgraph/ontology#Claim")
    'cg:Claim'
    >>> compact("https://w3id.org/claimgraph/id/person/robert-lighthizer")
    'cgid:person/robert-lighthizer'
    >>> compact("urn:x")
    'urn:x'
    """
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = prefix
    return f"{best}:{iri[len(PREFIXES[best]):]}" if best else iri


def to_node(term: Any, label: Any = None) -> Node:
    """The Node of a pyoxigraph term (and an optional label literal)."""
    text = label.value if label is not None else None
    if isinstance(term, ox.NamedNode):
        return Node(term.value, True, text)
    if isinstance(term, ox.Literal):
        datatype: str | None = term.datatype.value if term.datatype else None
        if term.language or datatype == PREFIXES["xsd"] + "string":
            datatype = None
        return Node(term.value, False, None, datatype, term.language)
    return Node(str(term), False)


@dataclass
class Rows:
    """Rows of a query for a page, at most ``cap``; ``cut`` is True when the store holds more."""

    rows: list[dict[str, Node]] = field(default_factory=list)
    cut: bool = False
    cap: int = 0

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[dict[str, Node]]:
        return iter(self.rows)


def to_rows(variables: Sequence[str], raw: Sequence[dict[str, Any]], cap: int, *, labels: bool = True) -> Rows:
    """Rows of terms as Rows of Nodes, at most ``cap``. With ``labels``, a ``?xLabel`` variable becomes the label of
    the Node of ``?x`` (and ``?iri``, the bound subject, is left out)."""
    rows = []
    for row in raw[:cap]:
        out: dict[str, Node] = {}
        for name in variables:
            if name not in row or (labels and (name.endswith("Label") or name == "iri")):
                continue
            out[name] = to_node(row[name], row.get(name + "Label") if labels else None)
        rows.append(out)
    return Rows(rows, len(raw) > cap, cap)


def select_rows(runner: Runner, sparql: str, iri: str | None, cap: int) -> Rows:
    """Rows of a SELECT (with ``?iri`` bound to ``iri``), asking one row more than ``cap`` to know if rows were cut."""
    subs = {"iri": ox.NamedNode(iri)} if iri else None
    text = sparql.replace("$LIMIT", str(cap + 1)) + f"\nLIMIT {cap + 1}"
    variables, raw = runner.select(SPARQL_PREFIXES + text, subs, max_rows=cap + 1)
    return to_rows(variables, raw, cap)


@dataclass
class Description:
    """The outbound statements of a resource: property IRI -> values, with labels of IRI values."""

    iri: str
    properties: dict[str, list[Node]] = field(default_factory=dict)

    @property
    def exists(self) -> bool:
        return bool(self.properties)

    @property
    def types(self) -> set[str]:
        return {n.value for n in self.properties.get(PREFIXES["rdf"] + "type", [])}

    def values(self, curie: str) -> list[Node]:
        prefix, local = curie.split(":", 1)
        return self.properties.get(PREFIXES[prefix] + local, [])

    def first(self, curie: str) -> str | None:
        values = self.values(curie)
        return values[0].value if values else None

    @property
    def label(self) -> str:
        for curie in ("rdfs:label", "skos:prefLabel", "schema:headline", "cg:claimText", "schema:identifier"):
            if found := self.first(curie):
                return found
        return compact(self.iri)


_DESCRIBE = f"""SELECT ?iri ?p ?o ?oLabel WHERE {{
  ?iri ?p ?o .
  OPTIONAL {{ ?o {LABEL} ?oLabel }}
}}"""


def describe(runner: Runner, iri: str) -> Description:
    """Every statement with ``iri`` as subject (in any graph), values deduplicated, labels in English first."""
    _, rows = runner.select(SPARQL_PREFIXES + _DESCRIBE, {"iri": ox.NamedNode(iri)})
    seen: dict[tuple[str, str], int] = {}
    out = Description(iri)
    for row in rows:
        predicate = text_of(row["p"])
        node = to_node(row["o"], row.get("oLabel"))
        values = out.properties.setdefault(predicate, [])
        key = (predicate, str(row["o"]))
        if key in seen:
            better = row.get("oLabel") is not None and getattr(row["oLabel"], "language", None) == "en"
            if better:
                values[seen[key]] = node
            continue
        seen[key] = len(values)
        values.append(node)
    for values in out.properties.values():
        values.sort(key=lambda n: (n.text.lower(), n.value))
    return out


_INBOUND = f"""SELECT DISTINCT ?iri ?s ?sLabel ?p WHERE {{
  ?s ?p ?iri .
  OPTIONAL {{ ?s {LABEL} ?sLabel }}
}} ORDER BY ?p ?s"""


def inbound(runner: Runner, iri: str, cap: int) -> Rows:
    """Statements that point at ``iri``: subject and property."""
    return select_rows(runner, _INBOUND, iri, cap)


_CLAIM_DETAILS = f"""
  ?claim cg:claimText ?text ; prov:wasDerivedFrom ?article .
  OPTIONAL {{ ?claim cg:kind ?kind }}
  OPTIONAL {{ ?article schema:headline ?headline }} OPTIONAL {{ ?article schema:identifier ?articleId }}
  BIND(COALESCE(?headline, ?articleId) AS ?articleLabel)
  OPTIONAL {{ ?claim cg:speaker ?speaker OPTIONAL {{ ?speaker {LABEL} ?speakerLabel }} }}
  OPTIONAL {{ ?claim cg:anonymousSource ?anonymous OPTIONAL {{ ?anonymous rdfs:label ?anonymousLabel }} }}"""


def _claims(selection: str, *, topic: bool = False) -> str:
    """Claims chosen by ``selection`` (a pattern binding ``?claim`` from ``?iri``), newest first.

    Two steps: the inner query orders only claims and dates and keeps ``$LIMIT`` of them, so the details (text,
    article, speaker) are looked up for the rows shown, not for every claim of a much-quoted speaker.
    """
    sample = " (SAMPLE(?t) AS ?topic)" if topic else ""
    group = " GROUP BY ?iri ?claim ?date" if topic else ""
    topic_label = "\n  OPTIONAL { ?topic skos:prefLabel ?topicLabel }" if topic else ""
    columns = " ?topic ?topicLabel" if topic else ""
    return (f"SELECT ?iri ?claim ?text ?date ?kind ?article ?articleLabel ?speaker ?speakerLabel ?anonymous "
            f"?anonymousLabel{columns} WHERE {{\n"
            f"  {{ SELECT DISTINCT ?iri ?claim ?date{sample} WHERE {{ {selection} "
            f"OPTIONAL {{ ?claim cg:statedOn ?date }} }}{group}\n"
            f"    ORDER BY DESC(?date) ?claim LIMIT $LIMIT }}{_CLAIM_DETAILS}{topic_label}\n"
            f"}} ORDER BY DESC(?date) ?claim")


ISSUE_OR_NARROWER = ("{ ?claim cg:about ?iri . BIND(?iri AS ?t) } "
                     "UNION { ?t skos:broaderTransitive ?iri . ?claim cg:about ?t . }")
"""Claims ``?claim`` about the issue ``?iri`` or a narrower one ``?t``, through the stored closure rather than
``skos:broader*``, which Virtuoso 7.2 answers wrongly in some plans (docs/stores.md)."""

CLAIM_SELECTIONS = {"speaker": "?claim cg:speaker ?iri .", "country": "?claim cg:mentionsCountry ?iri .",
                    "issue": ISSUE_OR_NARROWER}
"""The pattern choosing an entity page's claims, by the kind of entity (``?iri``)."""

SPEAKER_CLAIMS = _claims(CLAIM_SELECTIONS["speaker"])
COUNTRY_CLAIMS = _claims(CLAIM_SELECTIONS["country"])
ISSUE_CLAIMS = _claims(ISSUE_OR_NARROWER, topic=True)

ISSUE_TIMELINE = f"""SELECT ?iri ?month (COUNT(DISTINCT ?claim) AS ?claims) WHERE {{
  {ISSUE_OR_NARROWER}
  ?claim cg:statedOn ?date .
  BIND(SUBSTR(STR(?date), 1, 7) AS ?month)
}} GROUP BY ?iri ?month ORDER BY ?month"""

POSTS = """SELECT DISTINCT ?iri ?post ?postLabel ?country ?countryLabel ?start ?end WHERE {
  { ?iri org:holds ?post } UNION { ?post org:heldBy ?iri }
  OPTIONAL { ?post rdfs:label ?postLabel }
  OPTIONAL { ?post cg:postCountry ?country OPTIONAL { ?country rdfs:label ?countryLabel } }
  OPTIONAL { ?tenure cg:tenureOf ?post ; cg:tenureHolder ?iri .
             OPTIONAL { ?tenure schema:startDate ?start } OPTIONAL { ?tenure schema:endDate ?end } }
} ORDER BY DESC(?start) ?postLabel"""

COUNTRY_ACTORS = """SELECT ?iri ?actor ?actorLabel ?type (COUNT(DISTINCT ?claim) AS ?claims) WHERE {
  ?actor cg:actsFor ?iri ; a ?type .
  VALUES ?type { cg:Official cg:Person cg:GovernmentBody cg:Organization }
  OPTIONAL { ?actor rdfs:label ?actorLabel }
  OPTIONAL { ?claim cg:speaker ?actor }
} GROUP BY ?iri ?actor ?actorLabel ?type ORDER BY DESC(?claims) ?actorLabel"""

ARTICLE_CLAIMS = f"""SELECT DISTINCT ?iri ?claim ?text ?start ?end ?kind ?date ?speaker ?speakerLabel ?speakerText
                ?anonymous ?anonymousLabel WHERE {{
  ?claim prov:wasDerivedFrom ?iri ; a cg:Claim ; cg:claimText ?text ; cg:evidence ?span .
  ?span oa:hasSelector ?position . ?position oa:start ?start ; oa:end ?end .
  OPTIONAL {{ ?claim cg:kind ?kind }}
  OPTIONAL {{ ?claim cg:statedOn ?date }}
  OPTIONAL {{ ?claim cg:speakerText ?speakerText }}
  OPTIONAL {{ ?claim cg:speaker ?speaker OPTIONAL {{ ?speaker {LABEL} ?speakerLabel }} }}
  OPTIONAL {{ ?claim cg:anonymousSource ?anonymous OPTIONAL {{ ?anonymous rdfs:label ?anonymousLabel }} }}
}} ORDER BY ?start ?end"""

CLAIM_PROVENANCE = """SELECT ?iri ?article ?articleLabel ?published ?span ?start ?end ?exact ?prefix ?suffix ?atOffsets
                          ?run ?pipeline ?startedAt ?endedAt ?software ?softwareLabel WHERE {
  ?iri prov:wasDerivedFrom ?article .
  OPTIONAL { ?article schema:headline ?headline } OPTIONAL { ?article schema:identifier ?articleId }
  BIND(COALESCE(?headline, ?articleId) AS ?articleLabel)
  OPTIONAL { ?article schema:datePublished ?published }
  OPTIONAL { ?iri cg:evidence ?span .
    OPTIONAL { ?span oa:hasSelector ?position . ?position oa:start ?start ; oa:end ?end }
    OPTIONAL { ?span oa:hasSelector ?quote . ?quote oa:exact ?exact .
               OPTIONAL { ?quote oa:prefix ?prefix } OPTIONAL { ?quote oa:suffix ?suffix } } }
  OPTIONAL { ?iri prov:wasGeneratedBy ?run .
    OPTIONAL { ?run cg:pipeline ?pipeline } OPTIONAL { ?run prov:startedAtTime ?startedAt }
    OPTIONAL { ?run prov:endedAtTime ?endedAt }
    OPTIONAL { ?run prov:wasAssociatedWith ?software OPTIONAL { ?software rdfs:label ?softwareLabel } } }
  # the article's text at the span's offsets, to show that the evidence is where it says it is
  OPTIONAL { ?article schema:articleBody ?body }
  BIND(SUBSTR(?body, xsd:integer(?start) + 1, xsd:integer(?end) - xsd:integer(?start)) AS ?atOffsets)
}"""

SCHEME_TREE = """SELECT ?iri ?issue ?issueLabel ?broader (COUNT(DISTINCT ?claim) AS ?claims) WHERE {
  ?issue skos:inScheme ?iri .
  OPTIONAL { ?issue skos:prefLabel ?issueLabel }
  OPTIONAL { ?issue skos:broader ?broader }
  OPTIONAL { ?claim cg:about ?issue }
} GROUP BY ?iri ?issue ?issueLabel ?broader ORDER BY ?issueLabel"""

RDF_DESCRIPTION = """CONSTRUCT { ?iri ?p ?o . ?part ?pp ?po . ?s ?in ?iri } WHERE {
  { ?iri ?p ?o }
  UNION { ?iri oa:hasSelector ?part . ?part ?pp ?po }
  UNION { SELECT ?iri ?s ?in WHERE { ?s ?in ?iri } LIMIT %d }
}"""


def rdf_description(runner: Runner, iri: str, *, inbound_cap: int) -> list[ox.Triple]:
    """The triples a Linked Data client gets for ``iri``: all about it, its selectors, and (up to a cap) the
    statements pointing at it."""
    return runner.construct(SPARQL_PREFIXES + RDF_DESCRIPTION % inbound_cap, {"iri": ox.NamedNode(iri)})


STAT_NAMES: Sequence[tuple[str, str]] = (
    ("articles", "articles"), ("claims", "claims"), ("officials", "officials"),
    ("countries", "countries mentioned"), ("issues", "issues discussed"),
)
"""The landing page's counts (``kg stats`` prints these and more: quads and graphs, which only a scan of the whole
store gives, as Fuseki's "count triples" asks for one on demand)."""


def dataset_stats(runner: Runner, names: Sequence[str] | None = None) -> dict[str, int]:
    """The counts ``names`` (default: all) of ``kg stats`` (one definition of each, in ``kg.stats``), in one query
    to the store."""
    variables, rows = runner.select(stats.query_of(runner, names))
    return stats.counts_from(rows[0] if rows else {})


TOP_SPEAKERS = f"""SELECT ?speaker ?speakerLabel (COUNT(DISTINCT ?claim) AS ?claims) WHERE {{
  ?claim cg:speaker ?speaker .
  OPTIONAL {{ ?speaker {LABEL} ?speakerLabel }}
}} GROUP BY ?speaker ?speakerLabel ORDER BY DESC(?claims) ?speakerLabel ?speaker"""
SPEAKER_LABELS = (PREFIXES["rdfs"] + "label", PREFIXES["skos"] + "prefLabel")
"""LABEL's predicates, for the same list from the search index (kg.overview.ranked)."""

TOP_ISSUES = """SELECT ?issue ?issueLabel (COUNT(DISTINCT ?claim) AS ?claims) WHERE {
  ?claim cg:about ?issue .
  OPTIONAL { ?issue skos:prefLabel ?issueLabel }
} GROUP BY ?issue ?issueLabel ORDER BY DESC(?claims) ?issueLabel ?issue"""
ISSUE_LABELS = (PREFIXES["skos"] + "prefLabel",)

ARTICLES = """SELECT ?article ?articleLabel ?published (COUNT(DISTINCT ?claim) AS ?claims) WHERE {
  ?article a cg:Article .
  OPTIONAL { ?article schema:headline ?headline }
  OPTIONAL { ?article schema:identifier ?identifier }
  BIND(COALESCE(?headline, ?identifier) AS ?articleLabel)
  OPTIONAL { ?article schema:datePublished ?published }
  OPTIONAL { ?claim prov:wasDerivedFrom ?article ; a cg:Claim }
} GROUP BY ?article ?articleLabel ?published ORDER BY DESC(?published) ?article"""


def articles_of(keys: Sequence[str]) -> str:
    """ARTICLES for the articles ``keys`` only (the latest, picked by the search index: kg.overview)."""
    values = " ".join(f"<{iri}>" for iri in keys if not any(c in iri for c in '<>"{}|^`\\ '))
    return ARTICLES.replace("WHERE {", f"WHERE {{\n  VALUES ?article {{ {values} }}", 1)

SIMILAR = f"""SELECT DISTINCT ?prefix ?s ?sLabel WHERE {{
  ?s {LABEL} ?sLabel .
  FILTER(STRSTARTS(STR(?s), ?prefix))
}}"""


def similar(runner: Runner, prefix: str, cap: int = 2000) -> list[tuple[str, str]]:
    """(IRI, label) of labelled resources whose IRI starts with ``prefix``: candidates for a 404 page."""
    _, rows = runner.select(SPARQL_PREFIXES + SIMILAR + f"\nLIMIT {cap}", {"prefix": ox.Literal(prefix)},
                            max_rows=cap)
    return [(text_of(r["s"]), text_of(r["sLabel"])) for r in rows]


ONTOLOGY_TERMS = """SELECT ?term ?kind ?label ?comment ?parent ?domain ?range WHERE {
  VALUES ?kind { owl:Class owl:ObjectProperty owl:DatatypeProperty owl:NamedIndividual }
  GRAPH cgg:ontology { ?term a ?kind FILTER(STRSTARTS(STR(?term), "$NS")) }
  OPTIONAL { ?term rdfs:label ?label }
  OPTIONAL { ?term rdfs:comment ?comment }
  OPTIONAL { ?term rdfs:subClassOf|rdfs:subPropertyOf ?parent FILTER(isIRI(?parent)) }
  OPTIONAL { ?term rdfs:domain ?domain FILTER(isIRI(?domain)) }
  OPTIONAL { ?term rdfs:range ?range FILTER(isIRI(?range)) }
} ORDER BY ?kind ?term""".replace("$NS", ONTOLOGY_NS)

ONTOLOGY_RDF = """CONSTRUCT { ?s ?p ?o } WHERE {
  GRAPH cgg:ontology { ?s ?p ?o FILTER(STRSTARTS(STR(?s), "$NS")) }
}""".replace("$NS", ONTOLOGY_IRI)
