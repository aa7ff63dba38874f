"""Reconciling the store's people and organisations with Wikidata (``kg link``).

``link_store`` finds every person and organisation with no ``owl:sameAs`` to a Wikidata entity in any graph, looks
each up through a ``SparqlClient`` (cached, polite), scores the candidates (``kg.linking.score``) and writes:

- into ``cgg:links``: the ``owl:sameAs`` triple of each accepted link, a link record (``prov:Entity`` and
  ``rdf:Statement`` naming the triple, ``prov:value`` score, ``dcterms:description`` method, ``prov:wasGeneratedBy``
  the run) and the run (``prov:Activity``);
- into ``cgg:link-candidates``: a record of the same shape for every candidate that was not linked (below the
  threshold, ambiguous, or rejected with the reason), so ``kg link --review`` can list them. A record is a
  reified statement: it does not assert the ``owl:sameAs``.

Records have deterministic IRIs ``cgid:link/<entity key>/<QID>``; no blank nodes are written.
"""

from __future__ import annotations

import hashlib
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, Quad

import kg
from kg.linking.endpoint import EndpointUnavailable, NotCached, SparqlClient
from kg.linking.score import DEFAULT_THRESHOLD, Candidate, Subject, Verdict, decide
from kg.linking.wikidata import add_details, candidates_from, details_query, qid_of, search_query
from kg.query_job import text_of
from kg.store import Store
from kg.vocab import (
    CANDIDATES_GRAPH,
    CG,
    DCTERMS,
    FOAF,
    ID_BASE,
    LINKS_GRAPH,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SKOS,
    WD,
    XSD,
    id_iri,
)

_ID = ID_BASE

_PREFIXES = f"""PREFIX cg: <{CG._NS}>
PREFIX foaf: <{FOAF}>
PREFIX org: <{ORG}>
PREFIX owl: <{OWL}>
PREFIX rdfs: <{RDFS}>
PREFIX skos: <{SKOS}>
PREFIX rdf: <{RDF}>
PREFIX prov: <{PROV}>
PREFIX dcterms: <{DCTERMS}>
"""
_KINDS = """VALUES (?class ?kind) { (cg:Person "person") (cg:Official "person") (foaf:Person "person")
    (cg:Organization "organization") (cg:GovernmentBody "organization") (cg:Publisher "organization") }"""
_SUBJECTS = _PREFIXES + f"""SELECT DISTINCT ?s ?kind WHERE {{
  {_KINDS}
  ?s a ?class .
  FILTER(isIRI(?s))
  FILTER NOT EXISTS {{ ?s owl:sameAs ?same . FILTER(STRSTARTS(STR(?same), "{WD}")) }}
}}"""
_NAMES = _PREFIXES + f"""SELECT DISTINCT ?s ?p ?name WHERE {{
  {_KINDS}
  ?s a ?class .
  VALUES ?p {{ rdfs:label skos:altLabel }}
  ?s ?p ?name .
  FILTER(isLiteral(?name) && (LANG(?name) = "" || LANGMATCHES(LANG(?name), "en")))
}}"""
# The UNIONs sit in sub-SELECTs: Oxigraph 0.5 joins a bare UNION with the pattern after it row by row (the two
# queries took 0.9 and 1.3 s on the reference data alone embedded, 40 s each through a loaded `oxigraph serve`; 20
# and 10 ms so).
_COUNTRIES = _PREFIXES + f"""SELECT DISTINCT ?s ?same ?label WHERE {{
  {{ SELECT DISTINCT ?s ?c WHERE {{
    {{ ?s cg:actsFor ?c }} UNION {{ ?s org:holds ?post . ?post cg:postCountry ?c }}
    UNION {{ ?tenure cg:tenureHolder ?s ; cg:tenureOf ?post . ?post cg:postCountry ?c }} }} }}
  ?c a cg:Country ; owl:sameAs ?same .
  FILTER(STRSTARTS(STR(?same), "{WD}"))
  OPTIONAL {{ ?c rdfs:label ?label }}
}}"""
_POSTS = _PREFIXES + """SELECT DISTINCT ?s ?title WHERE {
  { SELECT DISTINCT ?s ?post WHERE { { ?s org:holds ?post } UNION { ?tenure cg:tenureHolder ?s ; cg:tenureOf ?post } } }
  ?post rdfs:label ?title .
}"""


@dataclass
class LinkReport:
    """What one ``link_store`` run did."""

    subjects: int = 0
    linked: list[Verdict] = field(default_factory=list)
    candidates: list[Verdict] = field(default_factory=list)  # kept for review (rejected ones included)
    skipped: list[Subject] = field(default_factory=list)  # not looked up: endpoint unreachable / not cached
    unreachable: str | None = None  # why the endpoint could not be used, if it could not
    requests: int = 0
    cache_hits: int = 0
    run: str | None = None


def _rows(store: Store, sparql: str) -> list[dict[str, str]]:
    return [{name: text_of(term) for name, term in row.items()} for row in store.select(sparql).rows]


def unlinked_subjects(store: Store) -> list[Subject]:
    """People (``cg:Person``, ``cg:Official``, ``foaf:Person``) and organisations (``cg:Organization``,
    ``cg:GovernmentBody``, ``cg:Publisher``) with no ``owl:sameAs`` to a Wikidata entity in any graph, with their
    English names, the Wikidata QIDs of their countries (``cg:actsFor``, and ``cg:postCountry`` of their posts)
    and the titles of their posts, sorted by IRI. Subjects without a name are left out.
    """
    kinds = {r["s"]: r["kind"] for r in _rows(store, _SUBJECTS)}
    labels: dict[str, str] = {}
    aliases: dict[str, set[str]] = defaultdict(set)
    for r in _rows(store, _NAMES):
        if r["s"] in kinds:
            if r["p"] == str(RDFS.label) and (r["s"] not in labels or r["name"] < labels[r["s"]]):
                labels[r["s"]] = r["name"]
            aliases[r["s"]].add(r["name"])
    countries: dict[str, dict[str, str]] = defaultdict(dict)
    for r in _rows(store, _COUNTRIES):
        qid = qid_of(r["same"])
        if r["s"] in kinds and qid:
            countries[r["s"]][qid] = r.get("label", qid)
    posts: dict[str, set[str]] = defaultdict(set)
    for r in _rows(store, _POSTS):
        if r["s"] in kinds:
            posts[r["s"]].add(r["title"])
    subjects = []
    for iri in sorted(kinds):
        label = labels.get(iri) or min(aliases[iri], default="")
        if not label:
            continue
        subjects.append(Subject(iri=iri, kind=kinds[iri], label=label,
                                aliases=tuple(sorted(aliases[iri] - {label})),
                                countries=dict(countries[iri]), posts=tuple(sorted(posts[iri]))))
    return subjects


def lookup(subject: Subject, client: SparqlClient) -> list[Candidate]:
    """The Wikidata candidates of one subject, with their details. Raises what ``SparqlClient.select`` raises."""
    candidates = candidates_from(client.select(search_query(subject)))
    if candidates:
        add_details(candidates, client.select(details_query(candidates)))
    return list(candidates.values())


def link_store(store: Store, client: SparqlClient, *, threshold: float = DEFAULT_THRESHOLD,
               progress: Callable[[Subject, Verdict | None], None] | None = None) -> LinkReport:
    """Reconcile every unlinked person and organisation of ``store`` and write links and candidates.

    When the endpoint is unreachable (or, offline, an answer is not cached) the subjects concerned are skipped and
    listed in the report; what was decided is written all the same. Raises ValueError for a threshold outside
    [0, 1], KGError when the endpoint rejects a query, StoreError when the store refuses the write.
    """
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"the threshold is a score between 0 and 1, not {threshold!r}")
    report = LinkReport()
    started = _now()
    subjects = unlinked_subjects(store)
    report.subjects = len(subjects)
    processed: list[Subject] = []
    try:
        for subject in subjects:
            try:
                candidates = lookup(subject, client)
            except NotCached:
                report.skipped.append(subject)
                continue
            except EndpointUnavailable as e:
                report.unreachable = str(e)
                report.skipped.append(subject)
                continue
            link, others = decide(subject, candidates, threshold)
            processed.append(subject)
            if link:
                report.linked.append(link)
            report.candidates += others
            if progress:
                progress(subject, link)
    finally:
        report.requests, report.cache_hits = client.requests, client.cache_hits
        if processed:
            report.run = id_iri(f"link-run/{started.replace('-', '').replace(':', '')}")
            store.update(_write_update(report, processed, client.endpoint, started, threshold))
    return report


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def record_iri(subject_iri: str, qid: str) -> str:
    """The IRI of the link record of ``subject_iri`` = ``wd:<qid>``: ``cgid:link/<entity key>/<qid>``."""
    if subject_iri.startswith(_ID):
        key = subject_iri[len(_ID):]
    else:  # not one of ours: a stable, IRI-safe stand-in
        key = "x/" + hashlib.sha256(subject_iri.encode()).hexdigest()[:16]
    return id_iri(f"link/{key}/{qid}")


def _record(quads: list[Quad], graph: NamedNode, v: Verdict, run: str) -> None:
    c = v.candidate
    rec = NamedNode(record_iri(v.subject.iri, c.qid))
    about = f"{c.label or c.qid}" + (f": {c.description}" if c.description else "")

    def add(p: str, o: NamedNode | Literal) -> None:
        quads.append(Quad(rec, NamedNode(p), o, graph))

    add(str(RDF.type), NamedNode(str(PROV.Entity)))
    add(str(RDF.type), NamedNode(str(RDF.Statement)))
    add(str(RDF.subject), NamedNode(v.subject.iri))
    add(str(RDF.predicate), NamedNode(str(OWL.sameAs)))
    add(str(RDF.object), NamedNode(str(WD) + c.qid))
    add(str(PROV.value), Literal(f"{v.score:.3f}", datatype=NamedNode(str(XSD.decimal))))
    add(str(DCTERMS.description), Literal(v.method, language="en"))
    add(str(RDFS.label), Literal(f"{v.subject.label} = {c.qid} ({about})", language="en"))
    add(str(PROV.wasGeneratedBy), NamedNode(run))


def _write_update(report: LinkReport, processed: Sequence[Subject], endpoint: str, started: str,
                  threshold: float) -> str:
    """One SPARQL Update: forget the old candidates of the processed subjects, add links, candidates and the run."""
    assert report.run
    links, cands, run = NamedNode(LINKS_GRAPH), NamedNode(CANDIDATES_GRAPH), NamedNode(report.run)
    quads: list[Quad] = []
    for v in report.linked:
        quads.append(Quad(NamedNode(v.subject.iri), NamedNode(str(OWL.sameAs)), NamedNode(str(WD) + v.candidate.qid),
                          links))
        _record(quads, links, v, report.run)
    for v in report.candidates:
        _record(quads, cands, v, report.run)
    software = NamedNode(id_iri(f"software/claimgraph/{kg.__version__}"))
    xsd_dt = NamedNode(str(XSD.dateTime))
    for p, o in ((RDF.type, NamedNode(str(PROV.Activity))),
                 (RDFS.label, Literal(f"kg link against {endpoint}", language="en")),
                 (PROV.startedAtTime, Literal(started, datatype=xsd_dt)),
                 (PROV.endedAtTime, Literal(_now(), datatype=xsd_dt)),
                 (PROV.wasAssociatedWith, software),
                 (PROV.used, NamedNode(endpoint)),
                 (DCTERMS.description, Literal(
                     f"{len(processed)} entities looked up, {len(report.linked)} linked at threshold {threshold}, "
                     f"{len(report.candidates)} candidates kept for review", language="en"))):
        quads.append(Quad(run, NamedNode(str(p)), o, links))
    subjects = " ".join(str(NamedNode(s.iri)) for s in processed)
    body = "\n".join(f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}" for q in quads)
    return (f"DELETE {{ GRAPH {cands} {{ ?record ?p ?o }} }} WHERE {{\n"
            f"  VALUES ?s {{ {subjects} }}\n  GRAPH {cands} {{ ?record <{RDF.subject}> ?s ; ?p ?o }}\n}} ;\n"
            f"INSERT DATA {{\n{body}\n}}")


@dataclass(frozen=True)
class LinkRecord:
    """One stored link or candidate, as ``kg link --review`` shows it."""

    subject: str
    subject_label: str
    target: str
    score: float
    method: str
    label: str
    linked: bool


def _records(store: Store, graph: str, linked: bool) -> list[LinkRecord]:
    sparql = _PREFIXES + f"""SELECT ?s ?name ?o ?score ?method ?label WHERE {{
      GRAPH <{graph}> {{ ?r rdf:subject ?s ; rdf:object ?o ; prov:value ?score ; dcterms:description ?method ;
                         rdfs:label ?label }}
      OPTIONAL {{ ?s rdfs:label ?name }}
    }}"""
    best: dict[tuple[str, str], LinkRecord] = {}
    for r in _rows(store, sparql):
        rec = LinkRecord(r["s"], r.get("name", r["s"]), r["o"], float(r["score"]), r["method"], r["label"], linked)
        best.setdefault((rec.subject, rec.target), rec)
    return sorted(best.values(), key=lambda x: (x.subject_label.casefold(), -x.score, x.target))


def stored_links(store: Store) -> list[LinkRecord]:
    """The links in ``cgg:links`` with their score and method, by subject name."""
    return _records(store, LINKS_GRAPH, True)


def stored_candidates(store: Store) -> list[LinkRecord]:
    """The candidates kept in ``cgg:link-candidates``, by subject name and then best score first."""
    return _records(store, CANDIDATES_GRAPH, False)


def drop_links(store: Store) -> int:
    """Remove the links and candidates graphs; returns how many ``owl:sameAs`` links were dropped."""
    rows = _rows(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{LINKS_GRAPH}> {{ ?s <{OWL.sameAs}> ?o }} }}")
    store.update(f"DROP SILENT GRAPH <{LINKS_GRAPH}> ; DROP SILENT GRAPH <{CANDIDATES_GRAPH}>")
    return int(rows[0]["n"]) if rows else 0
