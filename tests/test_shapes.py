"""The SHACL shapes and SPARQL checks: good examples conform, each bad example fails on exactly the focus node and
property it declares, the committed reference data conforms, and ``validate_store`` agrees with ``validate_graph``.

Fixture conventions (``ontology/examples/README.md``): ``pass/*.ttl|*.trig`` must give no result at all;
``fail/*.ttl|*.trig`` are self-contained data, ``fail/*.ru`` are SPARQL Updates applied to the file named by their
``# base:`` line; every fail file lists its expected results as ``# expect: <focus> <path or -> [Severity]`` lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from pyshacl import validate as shacl_validate

from kg.errors import NotFound
from kg.store import EmbeddedStore, Store
from kg.validate import (
    CHECKS_DIR,
    SHAPES_FILE,
    SHARED_GRAPHS,
    ValidationReport,
    load_checks,
    validate_graph,
    validate_store,
)
from kg.vocab import PREFIXES, graph_iri

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology"
EXAMPLES = ONTOLOGY / "examples"
REFERENCE_GRAPH = graph_iri("reference")
ONTOLOGY_GRAPH = graph_iri("ontology")
DATA_SUFFIXES = (".ttl", ".trig", ".ru")

Expected = tuple[str, "str | None", str]


@dataclass(frozen=True)
class Fixture:
    path: Path
    quads: list[ox.Quad]
    expected: frozenset[Expected]


def expand(token: str) -> str:
    """``<iri>`` or ``prefix:local`` (any prefix of kg.vocab.PREFIXES) as a full IRI; ``_:*`` stays."""
    if token.startswith("<") and token.endswith(">"):
        return token[1:-1]
    if token == "_:*":
        return token
    prefix, sep, local = token.partition(":")
    if not sep or prefix not in PREFIXES:
        raise ValueError(f"cannot expand {token!r}: use <iri> or one of the prefixes {sorted(PREFIXES)}")
    return PREFIXES[prefix] + local


def load_fixture(path: Path) -> Fixture:
    header = [line[1:].strip() for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    expected: set[Expected] = set()
    base: str | None = None
    for line in header:
        key, _, value = line.partition(":")
        if key == "base":
            base = value.strip()
        elif key == "expect":
            parts = value.split()
            if len(parts) not in (2, 3):
                raise ValueError(f"{path.name}: bad expect line {line!r}")
            severity = parts[2] if len(parts) == 3 else "Violation"
            expected.add((expand(parts[0]), None if parts[1] == "-" else expand(parts[1]), severity))
    store = ox.Store()
    if path.suffix == ".ru":
        if base is None:
            raise ValueError(f"{path.name}: a .ru fixture needs a '# base:' line")
        _load(store, (path.parent / base).resolve())
        store.update(path.read_text(encoding="utf-8"))
    else:
        _load(store, path)
    return Fixture(path, list(store), frozenset(expected))


def _load(store: ox.Store, path: Path) -> None:
    if path.suffix == ".trig":
        store.load(path=str(path), format=ox.RdfFormat.TRIG)
    else:  # a Turtle file is reference-style data: it goes in the reference graph, as in the store
        store.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(REFERENCE_GRAPH))


def as_dataset(quads: list[ox.Quad]) -> rdflib.Dataset:
    ds = rdflib.Dataset()
    ds.parse(data=ox.serialize(quads, format=ox.RdfFormat.N_QUADS), format="nquads")
    return ds


def outcome(report: ValidationReport) -> set[Expected]:
    return {("_:*" if r.focus.startswith("_:") else r.focus, r.path, r.severity) for r in report.results}


def fixtures(kind: str) -> list[Path]:
    return sorted(p for p in (EXAMPLES / kind).iterdir() if p.suffix in DATA_SUFFIXES)


def explain(report: ValidationReport, expected: frozenset[Expected]) -> str:
    got = outcome(report)
    return (f"\nunexpected: {sorted(got - expected, key=str)}\nmissing: {sorted(expected - got, key=str)}\n"
            f"{report.text}")


def test_there_are_examples_of_both_kinds() -> None:
    assert len(fixtures("pass")) >= 2
    assert len(fixtures("fail")) >= 10


@pytest.mark.parametrize("path", fixtures("pass"), ids=lambda p: p.name)
def test_pass_example_conforms_without_any_result(path: Path) -> None:
    fixture = load_fixture(path)
    assert not fixture.expected, "pass examples expect nothing"
    report = validate_graph(as_dataset(fixture.quads))
    assert report.conforms, report.text
    assert report.results == [], report.text


def test_plain_graph_is_validated_too() -> None:
    graph = rdflib.Graph().parse(EXAMPLES / "pass" / "reference.ttl", format="turtle")
    assert validate_graph(graph).conforms
    graph.add((rdflib.URIRef(PREFIXES["cgid"] + "country/CA"), rdflib.URIRef(PREFIXES["cg"] + "isoAlpha2"),
               rdflib.Literal("CAN")))
    report = validate_graph(graph)
    assert not report.conforms
    assert {(r.focus, r.path) for r in report.violations} == {
        (PREFIXES["cgid"] + "country/CA", PREFIXES["cg"] + "isoAlpha2")}


@pytest.mark.parametrize("path", fixtures("fail"), ids=lambda p: p.name)
def test_fail_example_fails_on_exactly_the_declared_nodes_and_paths(path: Path) -> None:
    fixture = load_fixture(path)
    assert fixture.expected, f"{path.name} declares no '# expect:' line"
    report = validate_graph(as_dataset(fixture.quads))
    assert outcome(report) == set(fixture.expected), explain(report, fixture.expected)
    assert report.conforms == all(sev != "Violation" for _f, _p, sev in fixture.expected)


@pytest.mark.parametrize("path", fixtures("fail") + fixtures("pass"), ids=lambda p: p.name)
def test_store_validation_agrees_with_in_memory_validation(path: Path) -> None:
    """validate_store splits the data into shared graphs and batches of article graphs; the answer is the same."""
    fixture = load_fixture(path)
    store = EmbeddedStore()
    store.oxigraph.extend(fixture.quads)
    report = validate_store(store)
    assert outcome(report) == set(fixture.expected), explain(report, fixture.expected)


def test_every_check_catches_something_in_the_fail_examples() -> None:
    """A check that no bad example triggers is untested."""
    text = "\n".join(validate_graph(as_dataset(load_fixture(p).quads)).text for p in fixtures("fail"))
    untested = [c.name for c in load_checks() if f"[check {c.name}]" not in text]
    assert untested == []
    assert "[check undeclared-terms]" in text


def test_checks_have_headers_and_parse() -> None:
    checks = load_checks()
    assert len(checks) == len(list(CHECKS_DIR.glob("*.rq"))) >= 10
    empty = ox.Store()
    for check in checks:
        assert check.severity in ("Violation", "Warning", "Info")
        solutions = empty.query(check.sparql)
        assert [v.value for v in solutions.variables] == ["focus", "path", "message"], check.name


def test_a_check_without_summary_is_refused(tmp_path: Path) -> None:
    (tmp_path / "bad.rq").write_text("SELECT ?focus ?path ?message WHERE {}", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.rq.*summary"):
        load_checks(tmp_path)
    (tmp_path / "bad.rq").write_text("#+ summary: x\n#+ severity: Fatal\nSELECT * {}", encoding="utf-8")
    with pytest.raises(ValueError, match="Fatal"):
        load_checks(tmp_path)


def test_shapes_are_valid_shacl() -> None:
    shapes = rdflib.Graph().parse(SHAPES_FILE, format="turtle")
    conforms, _graph, text = shacl_validate(rdflib.Graph(), shacl_graph=shapes, meta_shacl=True)
    assert conforms, text


def reference_dataset(with_issues: bool = False) -> rdflib.Dataset:
    ds = rdflib.Dataset()
    for path in sorted((ONTOLOGY / "reference").glob("*.ttl")):
        ds.graph(rdflib.URIRef(REFERENCE_GRAPH)).parse(path, format="turtle")
    ontology = ds.graph(rdflib.URIRef(ONTOLOGY_GRAPH))
    ontology.parse(ONTOLOGY / "claimgraph.ttl", format="turtle")
    if with_issues:
        ontology.parse(ONTOLOGY / "issues.ttl", format="turtle")
    return ds


def test_reference_data_conforms() -> None:
    report = validate_graph(reference_dataset())
    assert report.conforms, report.text
    assert report.results == [], report.text


def test_issue_taxonomy_conforms() -> None:
    if not (ONTOLOGY / "issues.ttl").exists():
        pytest.skip("ontology/issues.ttl (the issue taxonomy) is not written yet")
    ds = reference_dataset(with_issues=True)
    report = validate_graph(ds)
    assert report.conforms, report.text
    issues = set(ds.graph(rdflib.URIRef(ONTOLOGY_GRAPH)).subjects(
        rdflib.RDF.type, rdflib.URIRef(PREFIXES["cg"] + "Issue")))
    assert len(issues) >= 5, "the taxonomy types its concepts cg:Issue"


# validate_store on a real store on disk


@pytest.fixture()
def article_store(tmp_path: Path) -> EmbeddedStore:
    store = EmbeddedStore(tmp_path / "store")
    store.oxigraph.load(path=str(EXAMPLES / "pass" / "article.trig"), format=ox.RdfFormat.TRIG)
    return store


ARTICLE_GRAPH = graph_iri("article/example-2018-05-01")
CLAIM = PREFIXES["cgid"] + "claim/example-2018-05-01/49-89"


def break_claim(store: EmbeddedStore) -> None:
    store.update(f"""PREFIX cg: <{PREFIXES['cg']}>
        DELETE {{ GRAPH <{ARTICLE_GRAPH}> {{ <{CLAIM}> cg:confidence ?c }} }}
        INSERT {{ GRAPH <{ARTICLE_GRAPH}> {{ <{CLAIM}> cg:confidence 7.0 }} }}
        WHERE {{ GRAPH <{ARTICLE_GRAPH}> {{ <{CLAIM}> cg:confidence ?c }} }}""")


def test_store_progress_counts_every_graph(article_store: EmbeddedStore) -> None:
    calls: list[tuple[int, int]] = []
    report = validate_store(article_store, progress=lambda done, total: calls.append((done, total)))
    assert report.conforms and report.graphs == 4
    assert calls[-1] == (4, 4)
    assert report.text.startswith("Conforms: yes (4 graphs validated")


def test_store_selection_reports_only_the_selected_graphs(article_store: EmbeddedStore) -> None:
    break_claim(article_store)
    article = validate_store(article_store, graphs=[ARTICLE_GRAPH])
    assert [(r.focus, r.path) for r in article.results] == [(CLAIM, PREFIXES["cg"] + "confidence")]
    assert '"7"' in article.results[0].message  # the value found, as the store holds it
    shared = validate_store(article_store, graphs=list(SHARED_GRAPHS[:2]))
    assert shared.conforms and shared.results == []


def test_store_unknown_graph_is_a_clear_error(article_store: EmbeddedStore) -> None:
    with pytest.raises(NotFound, match="no-such-article"):
        validate_store(article_store, graphs=[graph_iri("article/no-such-article")])


def test_store_results_are_capped_but_conformance_counts_all(article_store: EmbeddedStore) -> None:
    break_claim(article_store)
    article_store.update(f"""PREFIX cg: <{PREFIXES['cg']}>
        INSERT DATA {{ GRAPH <{ARTICLE_GRAPH}> {{ <{CLAIM}> cg:kind cg:Claim ; cg:statedOn "soon" }} }}""")
    report = validate_store(article_store, max_results=1)
    assert len(report.results) == 1 and report.truncated >= 2 and not report.conforms
    assert "more results not listed" in report.text


def test_store_written_by_the_mapping_conforms(tmp_path: Path) -> None:
    """What ingest writes (mapping + static graphs) passes the shapes: the mapping and the shapes agree."""
    from kg.ingest import ensure_static_graphs, write_extraction
    from tests.factories import sample_extraction

    store = EmbeddedStore(tmp_path / "store")
    ensure_static_graphs(store)
    write_extraction(store, sample_extraction("a-1"))
    write_extraction(store, sample_extraction("a-2"))
    # The issues the sample claims are about, where the taxonomy does not define them (yet).
    store.update(f"""PREFIX cg: <{PREFIXES['cg']}> PREFIX skos: <{PREFIXES['skos']}>
        INSERT {{ GRAPH <{ONTOLOGY_GRAPH}> {{
            ?issue a cg:Issue, skos:Concept ; skos:prefLabel ?label ; skos:inScheme <{PREFIXES['cgid']}issue-scheme> .
            <{PREFIXES['cgid']}issue-scheme> a skos:ConceptScheme, cg:IssueScheme ; skos:prefLabel "issues"@en .
        }} }} WHERE {{
            ?claim cg:about ?issue FILTER NOT EXISTS {{ ?issue a cg:Issue }}
            BIND(STRLANG(STRAFTER(STR(?issue), "/issue/"), "en") AS ?label)
        }}""")
    report = validate_store(store, batch_size=1)
    assert report.conforms, report.text
    assert report.graphs == 5


def test_both_store_kinds_give_the_same_report(store: Store) -> None:
    """Embedded on disk and remote over HTTP (a real `oxigraph serve`): the same violations, found the same way."""
    fixture = load_fixture(EXAMPLES / "fail" / "span-utf16-offsets.ru")
    by_graph: dict[str, list[ox.Quad]] = {}
    for q in fixture.quads:
        by_graph.setdefault(q.graph_name.value, []).append(q)  # type: ignore[union-attr]
    for graph, quads in by_graph.items():
        store.load_graph(graph, quads)
    report = validate_store(store, batch_size=1)
    assert outcome(report) == set(fixture.expected), explain(report, fixture.expected)
