"""`kg link` end to end: a real store on disk, a real `oxigraph serve` holding a Wikidata-shaped fixture, the CLI.

The fixture (tests/fixtures/wikidata/wikidata.ttl) holds the people to find and namesakes that must not be linked.
The store holds the reference data (as `kg init` loads it) plus people and an organisation found in text, written in
the shape of docs/data-model.md.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse

from kg.cli import cli
from kg.linking import CANDIDATES_GRAPH, LINKS_GRAPH
from kg.reference import REFERENCE_DIR
from kg.store import EmbeddedStore, Store
from kg.vocab import CG, FOAF, ORG, OWL, RDF, RDFS, SKOS, WD, graph_iri, id_iri
from tests.conftest import SAMPLE, OxigraphServer, oxigraph_binary

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "wikidata" / "wikidata.ttl"
LIGHTHIZER, ROSS, MOEN = (id_iri(f"person/{k}") for k in ("robert-lighthizer", "wilbur-ross", "martin-moen"))
RAIL = id_iri("org/canadian-association-of-railway-suppliers")
FIXTURE_QIDS = {"lighthizer": "Q1234567", "ross": "Q2345678", "footballer": "Q3456789", "river": "Q4567890",
                "rail": "Q8901234", "verheul": "Q9012345"}


def wikidata_server(tmp: Path) -> OxigraphServer:
    """`oxigraph serve` over a folder loaded with the Wikidata-shaped fixture."""
    binary = oxigraph_binary()
    if not binary:
        pytest.skip("the `oxigraph` server CLI is not installed (pip install '.[test]')")
    subprocess.run([binary, "load", "--location", str(tmp), "--file", str(FIXTURE)], check=True,
                   capture_output=True)
    return OxigraphServer(tmp)


@pytest.fixture(scope="module")
def wikidata(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    server = wikidata_server(tmp_path_factory.mktemp("wikidata"))
    yield server
    server.stop()


def load_reference(store: Store) -> None:
    """The reference graph as `kg init` loads it: ontology/reference/*.ttl into cgg:reference."""
    g = NamedNode(graph_iri("reference"))
    quads = [Quad(t.subject, t.predicate, t.object, g)
             for f in sorted(REFERENCE_DIR.glob("*.ttl")) for t in parse(f.read_bytes(), RdfFormat.TURTLE)]
    store.load_graph(g.value, quads)


def add_found_in_text(store: Store) -> None:
    """What mapping writes into cgg:entities for people and organisations found in the seed article."""
    g = NamedNode(graph_iri("entities"))
    post = id_iri("post/CA/deputy-chief-nafta-negotiator")
    canada = NamedNode(id_iri("country/CA"))
    triples = [
        (MOEN, RDF.type, NamedNode(str(CG.Official))), (MOEN, RDF.type, NamedNode(str(FOAF.Person))),
        (MOEN, RDFS.label, Literal("Martin Moen", language="en")), (MOEN, CG.actsFor, canada),
        (MOEN, ORG.holds, NamedNode(post)),
        (post, RDF.type, NamedNode(str(CG.Post))), (post, RDFS.label, Literal("deputy chief Nafta negotiator",
                                                                               language="en")),
        (post, CG.postCountry, canada),
        (RAIL, RDF.type, NamedNode(str(CG.Organization))),
        (RAIL, RDFS.label, Literal("Canadian Association of Railway Suppliers", language="en")),
        (RAIL, SKOS.altLabel, Literal("rail group", language="en")), (RAIL, CG.actsFor, canada),
    ]
    body = " ".join(f"{NamedNode(s)} {NamedNode(str(p))} {o} ." for s, p, o in triples)
    store.update(f"INSERT DATA {{ GRAPH {g} {{ {body} }} }}")


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    with EmbeddedStore(path) as store:
        load_reference(store)
        add_found_in_text(store)
    return path


def kg(*args: str, cache: Path, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env={"KG_LINK_CACHE": str(cache), **(env or {})},
                              catch_exceptions=False)


def same_as(store_dir: Path, subject: str) -> set[str]:
    with EmbeddedStore(store_dir) as store:
        return {r["o"].value for r in store.query(f"SELECT ?o WHERE {{ <{subject}> <{OWL.sameAs}> ?o }}")}


def wd(key: str) -> str:
    return str(WD) + FIXTURE_QIDS[key]


def test_links_the_right_people_and_not_their_namesakes(wikidata: OxigraphServer, store_dir: Path,
                                                        tmp_path: Path) -> None:
    r = kg("link", "--endpoint", wikidata.url + "/query", "--store", str(store_dir), cache=tmp_path / "cache")
    assert r.exit_code == 0, r.output
    assert wd("lighthizer") in same_as(store_dir, LIGHTHIZER)
    assert wd("ross") in same_as(store_dir, ROSS)
    assert wd("rail") in same_as(store_dir, RAIL)  # an organisation found in text, by label and country
    assert not any(o.startswith(str(WD)) for o in same_as(store_dir, MOEN)), "Canada's Martin Moen is no footballer"
    with EmbeddedStore(store_dir) as store:
        assert not store.ask(f"ASK {{ ?s <{OWL.sameAs}> <{wd('river')}> }}"), "nobody is a river"
        assert not store.ask(f"ASK {{ ?s <{OWL.sameAs}> <{wd('verheul')}> }}"), "a name alone is below the threshold"
    assert "linked Robert Lighthizer" in r.output and "request(s) sent" in r.output


def test_links_carry_score_method_and_run(wikidata: OxigraphServer, store_dir: Path, tmp_path: Path) -> None:
    kg("link", "--endpoint", wikidata.url + "/query", "--store", str(store_dir), cache=tmp_path / "cache")
    with EmbeddedStore(store_dir) as store:
        rows = list(store.query(f"""
            PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX dcterms: <http://purl.org/dc/terms/>
            PREFIX rdf: <{RDF}>
            SELECT ?score ?method ?used WHERE {{ GRAPH <{LINKS_GRAPH}> {{
                <{LIGHTHIZER}> <{OWL.sameAs}> <{wd('lighthizer')}> .
                ?record a prov:Entity, rdf:Statement ; rdf:subject <{LIGHTHIZER}> ; rdf:predicate <{OWL.sameAs}> ;
                        rdf:object <{wd('lighthizer')}> ; prov:value ?score ; dcterms:description ?method ;
                        prov:wasGeneratedBy ?run .
                ?run a prov:Activity ; prov:used ?used ; prov:startedAtTime ?t }} }}"""))
    assert len(rows) == 1
    assert float(rows[0]["score"].value) >= 0.75
    assert "citizenship" in rows[0]["method"].value and "United States Trade Representative" in rows[0]["method"].value
    assert rows[0]["used"].value == wikidata.url + "/query"


def test_review_lists_candidates_with_reasons(wikidata: OxigraphServer, store_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    kg("link", "--endpoint", wikidata.url + "/query", "--store", str(store_dir), cache=cache)
    r = kg("link", "--review", "--store", str(store_dir), cache=cache)
    assert r.exit_code == 0, r.output
    moen = next(line for line in r.output.splitlines() if FIXTURE_QIDS["footballer"] in line)
    assert "rejected" in moen and "Norway" in moen
    verheul = next(line for line in r.output.splitlines() if FIXTURE_QIDS["verheul"] in line)
    assert "score 0.60" in verheul
    # a lower threshold links the candidate, from the cache
    r = kg("link", "--endpoint", wikidata.url + "/query", "--store", str(store_dir), "--threshold", "0.6",
           cache=cache)
    assert r.exit_code == 0, r.output
    assert wd("verheul") in same_as(store_dir, id_iri("person/steve-verheul"))
    assert "0 request(s) sent" in r.output
    with EmbeddedStore(store_dir) as store:
        assert not store.ask(f"ASK {{ GRAPH <{CANDIDATES_GRAPH}> {{ ?r ?p <{wd('verheul')}> }} }}")


def test_rerun_sends_no_request(store_dir: Path, tmp_path: Path) -> None:
    server = wikidata_server(tmp_path / "wikidata")
    cache = tmp_path / "cache"
    try:
        first = kg("link", "--endpoint", server.url + "/query", "--store", str(store_dir), cache=cache)
        assert first.exit_code == 0, first.output
    finally:
        server.stop()
    linked = same_as(store_dir, LIGHTHIZER)
    assert kg("link", "--drop", "--store", str(store_dir), cache=cache).exit_code == 0
    assert not any(o.startswith(str(WD)) for o in same_as(store_dir, LIGHTHIZER))
    again = kg("link", "--endpoint", server.url + "/query", "--store", str(store_dir), cache=cache)
    assert again.exit_code == 0, again.output
    assert " 0 request(s) sent" in again.output
    assert same_as(store_dir, LIGHTHIZER) == linked
    assert [line for line in again.output.splitlines() if line.startswith("linked")] == \
        [line for line in first.output.splitlines() if line.startswith("linked")]


def test_unreachable_endpoint_is_reported_with_exit_status_3(store_dir: Path, tmp_path: Path) -> None:
    from tests.conftest import free_port
    r = kg("link", "--endpoint", f"http://127.0.0.1:{free_port()}/query", "--store", str(store_dir),
           cache=tmp_path / "cache", env={"KG_LINK_ATTEMPTS": "2"})
    assert r.exit_code == 3
    assert "unreachable" in r.output and "Traceback" not in r.output
    with EmbeddedStore(store_dir) as store:
        assert store.count(LINKS_GRAPH) == 0


def test_offline_uses_only_the_cache(store_dir: Path, tmp_path: Path) -> None:
    r = kg("link", "--offline", "--store", str(store_dir), cache=tmp_path / "empty-cache")
    assert r.exit_code == 0, r.output
    assert "--offline" in r.output and " 0 request(s) sent" in r.output
    assert not any(o.startswith(str(WD)) for o in same_as(store_dir, LIGHTHIZER))


def test_review_and_drop_together_is_a_usage_error(store_dir: Path, tmp_path: Path) -> None:
    r = kg("link", "--review", "--drop", "--store", str(store_dir), cache=tmp_path)
    assert r.exit_code == 2 and "--review and --drop" in r.output


def test_seed_article_end_to_end(tmp_path: Path) -> None:
    """`kg ingest` of the seed, `kg link` against the fixture, then a rerun with the endpoint gone."""
    location, cache = str(tmp_path / "store"), tmp_path / "cache"
    r = kg("ingest", str(SAMPLE), "--store", location, cache=cache)
    assert r.exit_code == 0, r.output
    server = wikidata_server(tmp_path / "wikidata")
    try:
        first = kg("link", "--endpoint", server.url + "/query", "--store", location, cache=cache)
    finally:
        server.stop()
    assert first.exit_code == 0, first.output
    store_dir = Path(location)
    assert wd("lighthizer") in same_as(store_dir, LIGHTHIZER) and wd("ross") in same_as(store_dir, ROSS)
    assert wd("footballer") not in same_as(store_dir, MOEN)
    with EmbeddedStore(store_dir) as store:
        assert store.ask(f"ASK {{ GRAPH <{graph_iri('entities')}> {{ <{MOEN}> ?p ?o }} }}"), "Moen is found in text"
        assert not store.ask(f"ASK {{ ?s <{OWL.sameAs}> <{wd('river')}> }}")
    checked = kg("validate", "--store", location, cache=cache)
    assert checked.exit_code == 0, f"a linked store conforms to the shapes:\n{checked.output}"
    assert kg("link", "--drop", "--store", location, cache=cache).exit_code == 0
    again = kg("link", "--endpoint", server.url + "/query", "--store", location, cache=cache)
    assert again.exit_code == 0 and " 0 request(s) sent" in again.output, again.output
    assert wd("lighthizer") in same_as(store_dir, LIGHTHIZER) and wd("ross") in same_as(store_dir, ROSS)


def test_linking_works_on_embedded_and_remote_stores(store: Store, wikidata: OxigraphServer,
                                                     tmp_path: Path) -> None:
    from kg.linking import link_store, stored_candidates, stored_links
    from kg.linking.endpoint import SparqlClient

    load_reference(store)
    add_found_in_text(store)
    report = link_store(store, SparqlClient(wikidata.url + "/query", cache_dir=tmp_path / "cache"))
    assert report.unreachable is None and not report.skipped
    links = {(r.subject, r.target) for r in stored_links(store)}
    assert {(LIGHTHIZER, wd("lighthizer")), (ROSS, wd("ross")), (RAIL, wd("rail"))} <= links
    assert (MOEN, wd("footballer")) in {(r.subject, r.target) for r in stored_candidates(store)}
    assert store.count(LINKS_GRAPH) > 0
