"""Validate data against the claimgraph shapes (``ontology/shapes.ttl``) and SPARQL checks (``ontology/checks/*.rq``).

Two entry points:

- ``validate_store(store)``: the whole store (or some of its graphs), as ``kg validate`` does. Scales to thousands
  of articles: the shared graphs (entities, reference, ontology) are validated once, together; article graphs are
  then validated in batches, each with just enough of the shared graphs for ``sh:class`` to see across graphs (the
  ``rdf:type`` of every shared node the batch points at, and the ontology's ``rdfs:subClassOf`` axioms). The SPARQL
  checks run inside the store itself.
- ``validate_graph(data)``: one rdflib ``Graph`` or ``Dataset`` held in memory (fixtures, exports, tests).

A report conforms when there is no result of severity Violation; warnings are reported but do not fail it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox
import rdflib
from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import SH

from kg.errors import NotFound
from kg.reference import ONTOLOGY_DIR
from kg.store import EmbeddedStore, Store, solutions
from kg.vocab import (
    ARTICLE_GRAPH_PREFIX,
    CG,
    ENTITIES_GRAPH,
    ONTOLOGY_GRAPH,
    RDF,
    RDFS,
    REFERENCE_GRAPH,
    XSD,
)

__all__ = [
    "Check", "ValidationReport", "ValidationResult", "load_checks", "validate_graph", "validate_store",
    "SHAPES_FILE", "CHECKS_DIR", "ONTOLOGY_FILE", "SHARED_GRAPHS",
]

SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
CHECKS_DIR = ONTOLOGY_DIR / "checks"
ONTOLOGY_FILE = ONTOLOGY_DIR / "claimgraph.ttl"
SHARED_GRAPHS: tuple[str, ...] = (ENTITIES_GRAPH, REFERENCE_GRAPH, ONTOLOGY_GRAPH)
"""Graphs whose nodes article graphs point at; validated once, together."""

SEVERITIES = ("Violation", "Warning", "Info")
_CG = str(CG._NS)
_XSD_STRING = str(XSD.string)

Progress = Callable[[int, int], None]
"""Called as ``progress(graphs_done, graphs_total)`` while ``validate_store`` runs."""


class ValidationResult(NamedTuple):
    """One problem: the node it is about, the property (None for a node-level constraint), severity, message."""

    focus: str
    path: str | None
    severity: str
    message: str


@dataclass
class ValidationReport:
    """What a validation found. ``conforms`` is False iff some result has severity Violation."""

    conforms: bool
    results: list[ValidationResult]
    text: str
    graphs: int = 0
    truncated: int = 0  # results found but left out of ``results`` (over ``max_results``)

    @property
    def violations(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "Warning"]


@dataclass(frozen=True)
class Check:
    """A SPARQL "violation" check: a SELECT of ``?focus ?path ?message`` that returns no rows on good data."""

    name: str
    summary: str
    severity: str
    sparql: str


_HEADER = re.compile(r"^#\+\s*(\w+):\s*(.*)$")


def load_checks(directory: Path = CHECKS_DIR) -> list[Check]:
    """The checks in ``directory/*.rq``, sorted by name; each file starts with ``#+ summary:`` and
    ``#+ severity:`` (Violation, Warning or Info) comment lines.

    Raises ValueError naming the file when a header is missing or the severity is unknown.
    """
    checks = []
    for path in sorted(directory.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        header: dict[str, str] = {}
        for line in text.splitlines():
            m = _HEADER.match(line)
            if m:
                header.setdefault(m.group(1), m.group(2).strip())
        summary, severity = header.get("summary"), header.get("severity", "Violation")
        if not summary:
            raise ValueError(f"{path}: no '#+ summary:' line")
        if severity not in SEVERITIES:
            raise ValueError(f"{path}: severity {severity!r} is not one of {', '.join(SEVERITIES)}")
        checks.append(Check(name=path.stem, summary=summary, severity=severity, sparql=text))
    return checks


@lru_cache(maxsize=2)
def _shapes(path: Path = SHAPES_FILE) -> Graph:
    return Graph().parse(path, format="turtle")


Axiom = tuple[rdflib.term.Node, URIRef, rdflib.term.Node]
"""An ``rdfs:subClassOf`` statement between two classes."""


@lru_cache(maxsize=2)
def _ontology(path: Path = ONTOLOGY_FILE) -> tuple[frozenset[Axiom], frozenset[str]]:
    """The ``rdfs:subClassOf`` axioms between named classes, and every ``cg:`` term the ontology declares."""
    g = Graph().parse(path, format="turtle")
    axioms = frozenset((s, RDFS.subClassOf, o) for s, o in g.subject_objects(RDFS.subClassOf)
                       if isinstance(s, URIRef) and isinstance(o, URIRef))
    declared = frozenset(str(s) for s in g.subjects(RDF.type, None) if str(s).startswith(_CG))
    return axioms, declared


def _term(t: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> rdflib.term.Node:
    """The rdflib term of a pyoxigraph term (plain strings stay plain, as rdflib's parsers make them)."""
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if isinstance(t, ox.Literal):
        if t.language:
            return rdflib.Literal(t.value, lang=t.language)
        if t.datatype.value == _XSD_STRING:
            return rdflib.Literal(t.value)
        return rdflib.Literal(t.value, datatype=URIRef(t.datatype.value))
    raise ValueError(f"cannot validate an RDF-star triple term: {t!r}")


def _show(node: object) -> str:
    if isinstance(node, BNode):
        return f"_:{node}"
    if isinstance(node, rdflib.Literal):
        return node.n3()
    return str(node)


def _shacl(data: Graph, keep: Callable[[str], bool] | None = None) -> list[ValidationResult]:
    """Run pyshacl on ``data`` (which it may modify) and return its results, those ``keep(focus)`` accepts."""
    _conforms, report, _text = shacl_validate(
        data, shacl_graph=_shapes(), inference="none", inplace=True, allow_warnings=True, allow_infos=True)
    results = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        focus = _show(report.value(r, SH.focusNode))
        if keep is not None and not keep(focus):
            continue
        path = report.value(r, SH.resultPath)
        severity = str(report.value(r, SH.resultSeverity) or SH.Violation).rsplit("#", 1)[-1]
        message = str(report.value(r, SH.resultMessage) or report.value(r, SH.sourceConstraintComponent))
        value = report.value(r, SH.value)
        if value is not None and path is not None:
            message += f" (value: {_show(value)[:100]})"
        results.append(ValidationResult(focus, None if path is None else _show(path), severity, message))
    return results


def _rows(store: Store, sparql: str, default_graph: Sequence[str] | None) -> Iterator[ox.QuerySolution]:
    return iter(solutions(store.query(sparql, default_graph=default_graph)))


def _run_checks(store: Store, checks: Sequence[Check], *, default_graph: Sequence[str] | None,
                keep: Callable[[str], bool] | None, limit: int) -> tuple[list[ValidationResult], int, int]:
    """Run the SPARQL checks and the undeclared-term check in the store; at most ``limit`` results per check.

    Returns the results, how many were left out, and how many of those were violations.
    """
    results: list[ValidationResult] = []
    left_out = left_out_violations = 0
    for check in checks:
        found = 0
        for row in _rows(store, check.sparql, default_graph):
            focus = _ox_show(row["focus"])
            if keep is not None and not keep(focus):
                continue
            found += 1
            if found > limit:
                left_out += 1
                left_out_violations += check.severity == "Violation"
                continue
            path = row["path"]
            message = row["message"].value if row["message"] is not None else check.summary
            results.append(ValidationResult(focus, None if path is None else _ox_show(path), check.severity,
                                            f"{message} [check {check.name}]"))
    results += _undeclared_terms(store, default_graph, keep)
    return results, left_out, left_out_violations


def _ox_show(t: object) -> str:
    if isinstance(t, ox.BlankNode):
        return f"_:{t.value}"
    if isinstance(t, ox.NamedNode):
        return t.value
    return str(t)


def _undeclared_terms(store: Store, default_graph: Sequence[str] | None,
                      keep: Callable[[str], bool] | None) -> list[ValidationResult]:
    """One result per property or class of the ``cg:`` namespace used in data but not declared in the ontology."""
    _axioms, declared = _ontology()
    queries = (
        ("property", f"SELECT DISTINCT ?t WHERE {{ ?s ?t ?o FILTER(STRSTARTS(STR(?t), \"{_CG}\")) }}"),
        ("class", f"SELECT DISTINCT ?t WHERE {{ ?s a ?t FILTER(STRSTARTS(STR(?t), \"{_CG}\")) }}"),
    )
    results = []
    for kind, sparql in queries:
        for row in _rows(store, sparql, default_graph):
            term = row["t"].value
            if term in declared:
                continue
            iri = str(ox.NamedNode(term))  # N-Triples form: escaped
            where = f"SELECT ?s WHERE {{ ?s {iri} ?o }}" if kind == "property" else f"SELECT ?s WHERE {{ ?s a {iri} }}"
            for example in _rows(store, where, default_graph):
                focus = _ox_show(example["s"])
                if keep is None or keep(focus):
                    results.append(ValidationResult(
                        focus, term if kind == "property" else str(RDF.type), "Violation",
                        f"cg:{term[len(_CG):]} is not a {kind} of the claimgraph ontology (a typo, or a term "
                        "missing from ontology/claimgraph.ttl) [check undeclared-terms]"))
                    break
    return results


def _report(results: list[ValidationResult], graphs: int, left_out: int, left_out_violations: int,
            max_results: int) -> ValidationReport:
    """Deduplicate, keep at most ``max_results`` (violations first), and write the text summary."""
    unique = sorted(set(results), key=lambda r: (SEVERITIES.index(r.severity) if r.severity in SEVERITIES else 9,
                                                 r.focus, r.path or "", r.message))
    dropped = unique[max_results:]
    unique = unique[:max_results]
    truncated = left_out + len(dropped)
    violations = (sum(r.severity == "Violation" for r in unique + dropped) + left_out_violations)
    counts = {s: sum(r.severity == s for r in unique + dropped) for s in SEVERITIES}
    conforms = violations == 0
    lines = [f"Conforms: {'yes' if conforms else 'no'} ({graphs} graph{'s' if graphs != 1 else ''} validated; "
             f"{violations} violations, {counts['Warning']} warnings, {counts['Info']} infos)"]
    lines += [f"{r.severity}: <{r.focus}> {('<' + r.path + '>') if r.path else '(node)'}: {r.message}"
              for r in unique]
    if truncated:
        lines.append(f"... and {truncated} more results not listed")
    return ValidationReport(conforms=conforms, results=unique, text="\n".join(lines), graphs=graphs,
                            truncated=truncated)


def validate_graph(data: Graph | rdflib.Dataset, *, max_results: int = 10_000) -> ValidationReport:
    """Validate an in-memory graph or dataset against the shapes and the SPARQL checks, in one pass.

    The data is first loaded into an in-memory Oxigraph store and validated as that store holds it, so that
    literals are normalised exactly as in a real store (Oxigraph keeps ``xsd:nonNegativeInteger`` as
    ``xsd:integer``, ``"0.50"^^xsd:decimal`` as ``"0.5"``). A ``Dataset`` keeps its graphs (the layout of the store:
    article graphs, entities, reference, ontology); blank nodes in its ``cgg:ontology`` graph are allowed. The
    ontology's class hierarchy is added for ``sh:class`` (so a ``cg:Official`` counts as a ``cg:Person``); issues
    and other nodes that the data points at must be in ``data``. ``data`` is not modified.

    Raises TypeError when ``data`` is not an rdflib Graph or Dataset, ValueError when it holds RDF-star terms.
    """
    if not isinstance(data, Graph):
        raise TypeError(f"validate_graph takes an rdflib Graph or Dataset, not {type(data).__name__}")
    store = EmbeddedStore()
    if isinstance(data, rdflib.ConjunctiveGraph):  # Dataset is a ConjunctiveGraph in rdflib 7
        store.oxigraph.load(data.serialize(format="nquads", encoding="utf-8"), format=ox.RdfFormat.N_QUADS)
    else:
        store.oxigraph.load(data.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    union = Graph()
    for quad in store.oxigraph:
        union.add((_term(quad.subject), _term(quad.predicate), _term(quad.object)))
    axioms, _declared = _ontology()
    for axiom in axioms:
        union.add(axiom)
    results = _shacl(union)
    check_results, left_out, left_out_violations = _run_checks(
        store, load_checks(), default_graph=None, keep=None, limit=max_results)
    return _report(results + check_results, 1, left_out, left_out_violations, max_results)


def _graph_quads(store: Store, graphs: Sequence[str]) -> Iterator[tuple[str, ox.Triple]]:
    """The triples of ``graphs``, each with its graph, read graph by graph (a remote store pages past its row
    limit: Virtuoso answers at most 10,000 rows by default)."""
    for g in graphs:
        for triple in store.triples(g):
            yield g, triple


def _batches(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def validate_store(store: Store, *, graphs: Sequence[str] | None = None, progress: Progress | None = None,
                   batch_size: int = 50, max_results: int = 10_000) -> ValidationReport:
    """Validate the data in ``store`` against the shapes and the SPARQL checks.

    ``graphs`` restricts validation to those named graphs (IRIs), and the report to nodes described in them; nodes
    they point at in the shared graphs are still looked up. Without it every named graph is validated. ``progress``
    is called after each batch of ``batch_size`` graphs. At most ``max_results`` results are kept (violations
    first); ``conforms`` still counts them all.

    Raises NotFound when a requested graph holds no quads, StoreError when the store cannot answer.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size!r}")
    present = store.named_graphs()
    if graphs is None:
        selected = present
    else:
        missing = sorted(set(graphs) - set(present))
        if missing:
            raise NotFound(f"no such graph in the store {store.location}: {', '.join(missing)}")
        selected = sorted(set(graphs))
    shared_present = [g for g in SHARED_GRAPHS if g in present]
    shared_selected = [g for g in selected if g in SHARED_GRAPHS]
    others = [g for g in selected if g not in SHARED_GRAPHS]
    total, done = len(selected), 0
    axioms, _declared = _ontology()
    results: list[ValidationResult] = []
    # Only nodes described in the selected graphs are reported when a selection is given.
    reported: set[str] | None = None if graphs is None else set()

    # 1. The shared graphs, once, together (the entities graph points at reference countries).
    if shared_selected:
        data = Graph()
        in_selection: set[str] = set()
        for g, t in _graph_quads(store, shared_present):
            s = _term(t.subject)
            data.add((s, _term(t.predicate), _term(t.object)))
            if g in shared_selected:
                in_selection.add(_show(s))
        for axiom in axioms:
            data.add(axiom)
        if reported is not None:
            reported |= in_selection
        results += _shacl(data, keep=in_selection.__contains__ if graphs is not None else None)
        done += len(shared_selected)
        if progress:
            progress(done, total)

    # 2. Every other graph, in batches, with the types of the shared nodes it points at.
    types: dict[rdflib.term.Node, list[rdflib.term.Node]] = {}
    if others and shared_present:
        rdf_type = ox.NamedNode(str(RDF.type))
        for _g, t in _graph_quads(store, shared_present):
            if t.predicate == rdf_type:
                types.setdefault(_term(t.subject), []).append(_term(t.object))
        sparql = (f"SELECT ?a ?b WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?a <{RDFS.subClassOf}> ?b }} "
                  "FILTER(isIRI(?a) && isIRI(?b)) }")
        extra = [(_term(r["a"]), RDFS.subClassOf, _term(r["b"]))
                 for r in solutions(store.query(sparql, union_default_graph=False))]
        axioms = axioms | frozenset(extra)
    # Graphs that describe shared nodes without typing them (links, link candidates, VoID) go one by one: in a batch
    # with article graphs, a node they describe would count as described there and lose its shared types.
    articles = [g for g in others if g.startswith(ARTICLE_GRAPH_PREFIX)]
    rest: list[Sequence[str]] = [[g] for g in others if not g.startswith(ARTICLE_GRAPH_PREFIX)]
    for batch in [*_batches(articles, batch_size), *rest]:
        data = Graph()
        subjects: set[rdflib.term.Node] = set()
        objects: set[rdflib.term.Node] = set()
        for _g, t in _graph_quads(store, batch):
            s, o = _term(t.subject), _term(t.object)
            data.add((s, _term(t.predicate), o))
            subjects.add(s)
            if isinstance(o, URIRef):
                objects.add(o)
        for o in objects - subjects:
            for o_type in types.get(o, ()):
                data.add((o, RDF.type, o_type))
        for axiom in axioms:
            data.add(axiom)
        described = {_show(s) for s in subjects}
        if reported is not None:
            reported |= described
        results += _shacl(data, keep=described.__contains__)
        done += len(batch)
        if progress:
            progress(done, total)

    # 3. The SPARQL checks, run by the store over the selected graphs and the shared ones they point at.
    default_graph = None if graphs is None else sorted(set(selected) | set(shared_present))
    check_results, left_out, left_out_violations = _run_checks(
        store, load_checks(), default_graph=default_graph,
        keep=None if reported is None else reported.__contains__, limit=max_results)
    return _report(results + check_results, len(selected), left_out, left_out_violations, max_results)
