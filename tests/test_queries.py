"""Canned queries: header parsing, typed parameters bound as RDF terms, every query on the seed store, OpenAPI, CLI.

Queries run on a private copy of the seed store (the sample article ingested by the real `kg ingest`).
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat

from kg import paging
from kg.cli import cli
from kg.errors import BadInput, NotFound
from kg.queries import (
    PARAM_TYPES,
    BadQueryFile,
    Param,
    get_query,
    load_queries,
    openapi,
    parse_header,
    parse_query,
    variant,
)
from kg.query_job import text_of
from kg.store import EmbeddedStore, RemoteStore, Store
from tests.conftest import ROOT, OxigraphServer, copy_store
from tests.virtuoso import VirtuosoServer

XSD = "http://www.w3.org/2001/XMLSchema#"
ID = "https://w3id.org/claimgraph/id/"
QUERIES = load_queries()
LOCAL = [name for name, q in QUERIES.items() if not q.uses_service]  # wikidata-*: tests/test_linking_queries.py


@pytest.fixture(scope="module")
def seed(seed_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedStore]:
    store = EmbeddedStore(copy_store(seed_store_path, tmp_path_factory.mktemp("queries") / "store"))
    yield store
    store.close()


def run(store: Store, name: str, **values: str) -> list[dict[str, str]]:
    """Rows of canned query ``name`` with ``values``, each a dict of variable -> lexical value."""
    sparql, bound = get_query(name).prepare(values)
    return [{n: text_of(t) for n, t in row.items()} for row in store.select(sparql, bound).rows]


# --- the header --------------------------------------------------------------------------------------------------

def test_header_of_a_shipped_file_is_parsed() -> None:
    text = (ROOT / "queries" / "wikidata-official.rq").read_text(encoding="utf-8")
    header = parse_header(text)
    assert header["summary"].startswith("An official's party, positions held")
    assert header["description"].startswith("Asks a Wikidata-compatible endpoint (SERVICE) about one Wikidata item")
    assert "\n" not in header["description"]  # folded
    assert header["params"]["item"] == {
        "type": "iri", "required": True, "description": "Wikidata item of the official",
        "example": "http://www.wikidata.org/entity/Q22686"}
    assert header["params"]["endpoint"]["default"] == "https://query.wikidata.org/sparql"


def test_header_in_block_style_and_quoted_commas() -> None:
    header = parse_header('#+ summary: "A, B"\n#+ description: |\n#+   one\n#+   two\n#+ params:\n'
                          '#+   n:\n#+     type: integer\n#+     required: false\n#+     default: "3"\n'
                          '#+   s: {type: string, description: "x, y} z", example: \'it\'\'s\'}\nSELECT ?n ?s {}')
    assert header == {"summary": "A, B", "description": "one\ntwo", "params": {
        "n": {"type": "integer", "required": False, "default": "3"},
        "s": {"type": "string", "description": "x, y} z", "example": "it's"}}}


GOOD = "SELECT ?x ?n WHERE { ?x ?p ?n }"


@pytest.mark.parametrize(("text", "problem"), [
    ("#+ summary: s\n#+ title: t\n" + GOOD, "unknown header key 'title'"),
    ("#+ description: d\n" + GOOD, "needs a '#+ summary:' line"),
    ("#+ summary: s\n#+ params:\n#+   x: {type: url}\n" + GOOD, "type 'url'"),
    ("#+ summary: s\n#+ params:\n#+   x: {type: iri, requird: true}\n" + GOOD, "unknown key(s) requird"),
    ("#+ summary: s\n#+ params:\n#+   x: {type: iri, required: yes}\n" + GOOD, "required is true or false"),
    ("#+ summary: s\n#+ params:\n#+   x: {type: iri, required: true, default: \"http://a\"}\n" + GOOD,
     "cannot have a default"),
    ("#+ summary: s\n#+ params:\n#+   n: {type: integer, default: \"two\"}\n" + GOOD, "the default of parameter 'n'"),
    ("#+ summary: s\n#+ params:\n#+   n: {type: date, example: \"2018-02-30\"}\n" + GOOD,
     "the example of parameter 'n'"),
    ("#+ summary: s\n#+ params:\n#+   y: {type: iri}\n" + GOOD, "y must be in the SELECT projection"),
    ("#+ summary: s\n#+ params:\n#+   x: {type: iri}\nSELECT * WHERE { ?x ?p ?o }", "instead of SELECT *"),
    ("#+ summary: s\n#+ params:\n#+   n: {type: integer}\nSELECT ?n ?x WHERE { ?x ?p ?o FILTER(!BOUND(?n)) }",
     "BOUND(?n) is always false"),
    ("#+ summary: s\n#+ params:\n#+   x: {type: iri}\n#+   x: {type: iri}\n" + GOOD, "declared twice"),
    ("#+summary: s\n" + GOOD, "starts with '#+ '"),
    ("#+ summary: s\nSELECT ?x ?n WHERE { ?x ?p ?n\n  FILTER(?n > 1)  #? nope\n}", "'#? nope' names no parameter"),
])
def test_malformed_query_files_are_rejected_naming_the_problem(text: str, problem: str) -> None:
    with pytest.raises(BadQueryFile) as e:
        parse_query("bad", text)
    assert problem in str(e.value) and e.value.status == 500


def test_a_variant_line_is_sent_only_with_or_without_its_parameter() -> None:
    q = parse_query("v", "#+ summary: s\n#+ params:\n#+   n: {type: integer}\nSELECT ?x ?n WHERE { ?x ?p ?o\n"
                         "  FILTER(?o > ?n)  #? n\n  FILTER(?o > 0)  #? !n\n}")
    with_n, _ = q.prepare({"n": "3"})
    without, bound = q.prepare({})
    assert "FILTER(?o > ?n)" in with_n and "FILTER(?o > 0)" not in with_n
    assert "FILTER(?o > ?n)" not in without and "FILTER(?o > 0)" in without and bound == {}


def test_query_names_are_url_safe() -> None:
    with pytest.raises(BadQueryFile, match="lower-case letters"):
        parse_query("Bad Name", "#+ summary: s\n" + GOOD)
    assert all(re.fullmatch(r"[a-z0-9-]+", name) for name in QUERIES)


def test_a_keyword_named_parameter_is_found_in_the_projection() -> None:
    q = parse_query("ok", "#+ summary: s\n#+ params:\n#+   from: {type: date}\n"
                          "SELECT ?from (COUNT(?x) AS ?n) WHERE { ?x ?p ?d FILTER(?d >= ?from) } GROUP BY ?from")
    assert q.variables == ("from", "n") and q.form == "SELECT"


# --- parameter types ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("kind", "raw", "term"), [
    ("iri", "https://w3id.org/claimgraph/id/country/CA", NamedNode(ID + "country/CA")),
    ("iri", "cgid:person/donald-trump", NamedNode(ID + "person/donald-trump")),
    ("iri", "cg:DirectQuote", NamedNode("https://w3id.org/claimgraph/ontology#DirectQuote")),
    ("string", 'a "quoted" } word', Literal('a "quoted" } word')),
    ("langString", "sunset clause@en", Literal("sunset clause", language="en")),
    ("langString", "a@b@fr-CA", Literal("a@b", language="fr-ca")),
    ("date", "2018-05-01", Literal("2018-05-01", datatype=NamedNode(XSD + "date"))),
    ("dateTime", "2018-05-01T10:00:00Z", Literal("2018-05-01T10:00:00Z", datatype=NamedNode(XSD + "dateTime"))),
    ("integer", "+007", Literal("7", datatype=NamedNode(XSD + "integer"))),
    ("decimal", "0.5", Literal("0.5", datatype=NamedNode(XSD + "decimal"))),
    ("boolean", "TRUE", Literal("true", datatype=NamedNode(XSD + "boolean"))),
    ("boolean", "0", Literal("false", datatype=NamedNode(XSD + "boolean"))),
])
def test_values_become_typed_terms(kind: str, raw: str, term: NamedNode | Literal) -> None:
    assert Param("p", kind).term(raw) == term


@pytest.mark.parametrize(("kind", "raw", "expected"), [
    ("iri", "not an iri", "an absolute IRI"),
    ("iri", "http://x> } DROP ALL { <y", "a valid absolute IRI"),
    ("iri", "http://exa mple.org/", "a valid absolute IRI"),
    ("langString", "no tag", "text with a language tag"),
    ("langString", "x@not a tag", "text with a language tag"),
    ("date", "2018-13-01", "a date YYYY-MM-DD"),
    ("date", "1 May 2018", "a date YYYY-MM-DD"),
    ("dateTime", "2018-05-01", "a date and time"),
    ("integer", "2.5", "an integer"),
    ("decimal", "1e3", "a decimal number"),
    ("boolean", "yes", "true or false"),
])
def test_malformed_values_are_refused_naming_the_parameter(kind: str, raw: str, expected: str) -> None:
    with pytest.raises(BadInput) as e:
        Param("when", kind).term(raw)
    message = str(e.value)
    assert message.startswith(f"parameter 'when' ({kind}): {raw!r} is not {expected}") and e.value.status == 400


def test_every_type_has_an_openapi_schema() -> None:
    from kg.queries import PARAM_SCHEMAS
    assert set(PARAM_SCHEMAS) == set(PARAM_TYPES)


def test_bind_applies_defaults_and_reports_missing_or_unknown_parameters() -> None:
    q = get_query("claims-by-official")
    bound = q.bind({"speaker": "cgid:person/wilbur-ross", "_format": "csv"})  # _-names are the caller's
    assert bound["from"] == Literal("0001-01-01", datatype=NamedNode(XSD + "date"))
    assert bound["minConfidence"] == Literal("0", datatype=NamedNode(XSD + "decimal"))
    with pytest.raises(BadInput, match="missing required parameter 'speaker' \\(iri\\) for query "
                                       "'claims-by-official', e.g. speaker=https://"):
        q.bind({})
    with pytest.raises(BadInput, match="unknown parameter 'speeker' for query 'claims-by-official'; "
                                       "it takes: speaker, from, to, minConfidence"):
        q.bind({"speeker": "x"})
    with pytest.raises(BadInput, match="parameter 'minConfidence' \\(decimal\\)"):
        q.bind({"speaker": "cgid:person/wilbur-ross", "minConfidence": "high"})


def test_unknown_query_names_close_matches() -> None:
    with pytest.raises(NotFound, match="no canned query 'claims-by-oficial'; did you mean claims-by-official"):
        get_query("claims-by-oficial")


# --- binding is safe -------------------------------------------------------------------------------------------

def test_a_hostile_string_is_bound_as_a_literal_and_harms_nothing(seed: EmbeddedStore) -> None:
    before = seed.count()
    q = get_query("search-claims")
    hostile = '" } DROP ALL { "'
    sparql, bound = q.prepare({"text": hostile})
    assert sparql == variant(q.sparql, {"text"}) and hostile not in sparql  # nothing spliced into the text
    assert bound["text"] == Literal(hostile)
    assert run(seed, "search-claims", text=hostile) == []
    assert seed.count() == before > 5000
    # the same query finds claims for an ordinary value, so the empty answer above is the binding's doing
    assert len(run(seed, "search-claims", text="deal")) >= 3


def test_a_literal_with_quotes_matches_exactly(seed: EmbeddedStore) -> None:
    rows = run(seed, "search-claims", text="there’s a risk Nafta")
    assert [r["speakerName"] for r in rows] == ["Wilbur Ross"]


# --- every query on the seed ---------------------------------------------------------------------------------

def test_at_least_ten_queries_over_our_data() -> None:
    assert len(LOCAL) >= 10
    for q in QUERIES.values():
        assert q.summary and q.description, f"{q.name} needs a summary and a description"
        for p in q.params:
            assert p.description, f"{q.name}: parameter {p.name} needs a description"
            assert p.example is not None or not p.required, f"{q.name}: required {p.name} needs an example"


@pytest.mark.parametrize("name", LOCAL)
def test_every_query_returns_rows_for_its_example_parameters(seed: EmbeddedStore, name: str) -> None:
    q = QUERIES[name]
    rows = run(seed, name, **q.example_values())
    assert rows, f"{name} returned no rows for {q.example_values()}"
    for p in q.params:  # the bound value comes back in its column
        assert rows[0][p.name] == str(p.term(q.example_values()[p.name]).value)


def test_claims_by_official_filters_by_date_and_confidence(seed: EmbeddedStore) -> None:
    ross = "cgid:person/wilbur-ross"
    assert len(run(seed, "claims-by-official", speaker=ross)) == 3
    assert [r["confidence"] for r in run(seed, "claims-by-official", speaker=ross, minConfidence="0.8")] == ["0.809"]
    assert run(seed, "claims-by-official", speaker=ross, to="2018-04-30") == []
    freeland = run(seed, "claims-by-official", speaker="cgid:person/chrystia-freeland", to="2018-04-30")
    assert [r["date"] for r in freeland] == ["2018-04-01"]


def test_issue_timeline_follows_narrower_issues_only_when_asked(seed: EmbeddedStore) -> None:
    rows = run(seed, "issue-timeline", issue="cgid:issue/trade-balance")
    assert [r["topic"] for r in rows] == [ID + "issue/trade-deficit"]
    assert run(seed, "issue-timeline", issue="cgid:issue/trade-balance", narrower="false") == []
    dates = [r["date"] for r in run(seed, "issue-timeline", issue="cgid:issue/nafta-renegotiation")]
    assert dates == sorted(dates) and dates[0] == "2018-04-01"


def test_who_said_what_by_country(seed: EmbeddedStore) -> None:
    rows = run(seed, "issue-by-country", issue="cgid:issue/nafta-renegotiation")
    assert {r["countryName"] for r in rows} == {"Canada", "United States"}
    canada = run(seed, "issue-by-country", issue="cgid:issue/nafta-renegotiation", country="cgid:country/CA")
    assert {r["speakerName"] for r in canada} == {"Chrystia Freeland", "Government of Canada"}
    sunset = run(seed, "issue-by-country", issue="cgid:issue/sunset-clause", country="cgid:country/CA")
    assert {r["speakerName"] for r in sunset} == {"Martin Moen"}


def test_contested_issues_need_speakers_of_several_countries(seed: EmbeddedStore) -> None:
    rows = run(seed, "contested-issues")
    assert [(r["issueLabel"], r["countries"]) for r in rows] == [("NAFTA renegotiation", "2")]
    assert run(seed, "contested-issues", minCountries="3") == []
    assert len(run(seed, "contested-issues", minCountries="1")) > 5


def test_officials_of_a_country_with_posts_current_on_a_date(seed: EmbeddedStore) -> None:
    every = run(seed, "country-officials", country="cgid:country/US")
    then = run(seed, "country-officials", country="cgid:country/US", on="2018-05-01")
    pelosi = lambda rows: sorted(r["postLabel"] for r in rows if r["name"] == "Nancy Pelosi")  # noqa: E731
    assert pelosi(every) == ["House Minority Leader", "Speaker of the United States House of Representatives",
                             "United States Representative from California"]
    assert pelosi(then) == ["House Minority Leader", "United States Representative from California"]
    assert ("Robert Lighthizer", "United States Trade Representative") in {(r["name"], r["postLabel"]) for r in then}


def test_article_claims_and_one_claims_provenance(seed: EmbeddedStore) -> None:
    rows = run(seed, "article-claims", article="cgid:article/nafta-talks-2018")
    assert len(rows) == 18
    assert [int(r["start"]) for r in rows] == sorted(int(r["start"]) for r in rows)
    assert all(r["run"] == ID + "run/nafta-talks-2018" for r in rows)
    [prov] = run(seed, "claim-provenance", claim="cgid:claim/nafta-talks-2018/646-728")
    assert (prov["start"], prov["end"]) == ("646", "728")
    assert prov["exact"].startswith("We’re going to meet again on Monday")
    assert prov["graph"] == "https://w3id.org/claimgraph/graph/article/nafta-talks-2018"
    assert prov["software"].startswith("claimgraph ") and len(prov["digest"]) == 64
    assert run(seed, "claim-provenance", claim="cgid:claim/nafta-talks-2018/0-1") == []


def test_co_quoted_speakers_top_issues_mentions_labels_runs(seed: EmbeddedStore) -> None:
    pairs = run(seed, "co-quoted", speaker="cgid:person/chrystia-freeland")
    assert len(pairs) == 6 and all(ID + "person/chrystia-freeland" in (r["a"], r["b"]) for r in pairs)
    assert run(seed, "co-quoted", minArticles="2") == []
    top = run(seed, "top-issues")
    assert top[0]["issueLabel"] == "NAFTA renegotiation" and int(top[0]["claims"]) >= 12
    april = run(seed, "top-issues", **{"from": "2018-04-01", "to": "2018-04-30"})
    assert {r["issueLabel"] for r in april} == {"NAFTA renegotiation", "Negotiation timeline"}
    us = run(seed, "claims-mentioning-country", country="cgid:country/US")
    assert len(us) == 3
    assert [r["speakerName"] for r in run(seed, "claims-mentioning-country", country="cgid:country/US",
                                          speakerCountry="cgid:country/CA")] == ["Martin Moen"]
    assert run(seed, "issue-by-label", label="sunset clause@fr") == []
    assert run(seed, "extraction-runs", since="9000-01-01T00:00:00Z") == []
    assert int(run(seed, "extraction-runs")[0]["claims"]) == 18


@pytest.fixture(scope="module")
def remote_seed(seed: EmbeddedStore, oxigraph_server: OxigraphServer) -> RemoteStore:
    """The seed's quads in a real `oxigraph serve`, reached as a RemoteStore (parameters bound by VALUES)."""
    remote = RemoteStore(oxigraph_server.url + "/query", gsp_url=oxigraph_server.url + "/store")
    remote.update("DROP ALL")
    buffer = io.BytesIO()
    seed.dump(buffer, RdfFormat.N_QUADS)
    response = requests.post(oxigraph_server.url + "/store", data=buffer.getvalue(),
                             headers={"Content-Type": "application/n-quads"}, timeout=60)
    assert response.ok, response.text
    return remote


@pytest.fixture(scope="module")
def virtuoso_seed(seed: EmbeddedStore, virtuoso_server: VirtuosoServer) -> RemoteStore:
    """The seed's graphs in a real Virtuoso, each written by claimgraph's remote write (staging and MOVE)."""
    virtuoso_server.clear()
    remote = virtuoso_server.store()
    for graph in seed.named_graphs():
        g = NamedNode(graph)
        remote.replace_graph(graph, [Quad(t.subject, t.predicate, t.object, g) for t in seed.triples(graph)])
    return remote


@pytest.fixture(params=["oxigraph", "virtuoso"])
def remote(request: pytest.FixtureRequest) -> RemoteStore:
    """The seed in each remote store: `oxigraph serve` and Virtuoso."""
    return request.getfixturevalue("remote_seed" if request.param == "oxigraph" else "virtuoso_seed")


def variants(name: str) -> list[dict[str, str]]:
    """The example values of a query, its required ones only, and each optional one alone with the required."""
    q = QUERIES[name]
    examples = q.example_values()
    required = {k: v for k, v in examples.items() if q.param(k).required}
    out = [examples, required]
    out += [{**required, k: v} for k, v in examples.items() if k not in required and len(examples) > len(required) + 1]
    return out


def concatenated(name: str) -> list[str]:
    """The columns of a query made by GROUP_CONCAT, whose order of parts SPARQL leaves to the store."""
    text = QUERIES[name].sparql
    names = re.findall(r"GROUP_CONCAT\([^)]*\)\s+AS\s+\?(\w+)", text, flags=re.IGNORECASE)
    return names + [b for a, b in re.findall(r"COALESCE\(\?(\w+)[^)]*\)\s+AS\s+\?(\w+)", text) if a in names]


def row_keys(name: str, rows: list[dict[str, str]]) -> list[str]:
    lists = concatenated(name)
    return sorted(json.dumps({k: ", ".join(sorted(v.split(", "))) if k in lists else v for k, v in row.items()},
                             sort_keys=True) for row in rows)


@pytest.mark.parametrize("name", LOCAL)
def test_a_remote_store_gives_the_same_rows(seed: EmbeddedStore, remote: RemoteStore, name: str) -> None:
    """Each query with its examples, with its required parameters only, and with each optional one alone: the
    embedded store and the remote one agree row for row (the parts of a GROUP_CONCAT in any order)."""
    for values in variants(name):
        embedded, answered = run(seed, name, **values), run(remote, name, **values)
        assert row_keys(name, answered) == row_keys(name, embedded), f"{name} {values}"


KEYED = [name for name in LOCAL if paging.keyed(QUERIES[name].sparql)]


@pytest.mark.parametrize("name", KEYED)
def test_a_remote_store_pages_to_the_whole_answer(seed: EmbeddedStore, remote: RemoteStore, name: str) -> None:
    """A page's keys, then their details (kg.paging.select_page), page after page on `oxigraph serve` and
    Virtuoso: together the rows of the whole answer on the embedded store, for each variant of the query. Pages
    of three, or of an eighth of the answer where that is larger (country-officials lists every US member of
    Congress of the reference data: pages of three took 18 s), so each variant crosses several page ends."""
    assert {"who-said-what", "search-claims", "extraction-runs"} <= set(KEYED)
    for values in variants(name):
        sparql, bound = get_query(name).prepare(values)
        expected = row_keys(name, run(seed, name, **values))
        got: list[dict[str, str]] = []
        page, more = paging.Page(max(3, -(-len(expected) // 8))), True
        while more:
            solutions, more = paging.select_page(lambda s, b, n: remote.select(s, b, max_rows=n), sparql, bound, page)
            got += [{k: text_of(t) for k, t in row.items()} for row in solutions.rows]
            page = page.next()
        assert row_keys(name, got) == expected, f"{name} {values}"


def load_seed(seed: EmbeddedStore, remote: RemoteStore) -> None:
    for graph in seed.named_graphs():
        g = NamedNode(graph)
        remote.replace_graph(graph, [Quad(t.subject, t.predicate, t.object, g) for t in seed.triples(graph)])


@pytest.mark.parametrize("name, rows", [("who-said-what", 4)])
def test_an_issue_query_with_every_parameter_is_right_on_a_virtuoso_written_to_before(
        seed: EmbeddedStore, virtuoso_seed: RemoteStore, virtuoso_server: VirtuosoServer, name: str,
        rows: int) -> None:
    """The sequence that made Virtuoso 7.2 answer no rows (4 expected) while `skos:broader*` was in who-said-what:
    other articles written and dropped (tests/test_bulk_write.py's writes), then the seed, then every parameter.
    (CI's full run once answered issue-timeline, then with `skos:broader*`, with 1 row of 12; this sequence did not
    reproduce that, so only test_a_remote_store_gives_the_same_rows watches issue-timeline.)"""
    from kg.bulk_write import write_articles
    from tests.factories import sample_extraction

    values = QUERIES[name].example_values()
    expected = row_keys(name, run(seed, name, **values))
    assert len(expected) == rows
    try:
        virtuoso_server.clear()
        for _ in range(2):
            write_articles(virtuoso_seed, [sample_extraction(f"a-{n}") for n in range(3)], batch_articles=2)
        virtuoso_server.clear()
        load_seed(seed, virtuoso_seed)
        assert row_keys(name, run(virtuoso_seed, name, **values)) == expected
    finally:
        virtuoso_server.clear()
        load_seed(seed, virtuoso_seed)


PATH_DEFECT = """PREFIX ex: <http://example.org/>
SELECT ?c WHERE {
  ?c a ex:Claim .
  FILTER EXISTS { ex:p ex:actsFor ex:us }
  FILTER EXISTS { %s }
}"""
PATH_DATA = """INSERT DATA { GRAPH <http://example.org/path-defect> {
  <http://example.org/c1> a <http://example.org/Claim> ; <http://example.org/about> <http://example.org/i1> .
  <http://example.org/c2> a <http://example.org/Claim> ; <http://example.org/about> <http://example.org/i2> .
  <http://example.org/c3> a <http://example.org/Claim> ; <http://example.org/about> <http://example.org/i3> .
  <http://example.org/i2> <http://example.org/broader> <http://example.org/i1> ;
      <http://example.org/broaderTransitive> <http://example.org/i1> .
  <http://example.org/i3> <http://example.org/broader> <http://example.org/i2> ;
      <http://example.org/broaderTransitive> <http://example.org/i2>, <http://example.org/i1> .
  <http://example.org/p> <http://example.org/actsFor> <http://example.org/us> } }"""
PATH = "?c ex:about/ex:broader* ex:i1"
CLOSURE = "{ ?c ex:about ex:i1 } UNION { ?c ex:about/ex:broaderTransitive ex:i1 }"


@pytest.fixture
def path_defect(virtuoso_server: VirtuosoServer) -> Iterator[RemoteStore]:
    """Three claims about i1, a narrower i2 and a narrower still i3, in their own graph of the Virtuoso."""
    store = virtuoso_server.store()
    store.update(PATH_DATA)
    yield store
    store.update("DROP SILENT GRAPH <http://example.org/path-defect>")


@pytest.mark.parametrize("pattern", [CLOSURE, pytest.param(PATH, marks=pytest.mark.xfail(
    strict=True, reason="Virtuoso 7.2.5 defect: a property path with `*` in FILTER EXISTS beside an EXISTS of "
                        "constants answers c2 alone (docs/stores.md); strict, so a fixed Virtuoso is noticed"))],
                         ids=["closure", "path"])
def test_virtuoso_reaches_narrower_issues_through_the_closure(path_defect: RemoteStore, pattern: str) -> None:
    """The minimal form of the defect: all three claims are about i1 or narrower, and the closure finds them."""
    rows = path_defect.select(PATH_DEFECT % pattern).rows
    assert sorted(text_of(r["c"]) for r in rows) == [f"http://example.org/c{n}" for n in (1, 2, 3)]


def test_who_said_what_reads_no_property_path() -> None:
    """Narrower issues come from the stored skos:broaderTransitive closure (kg.summaries.broader_closure)."""
    code = "\n".join(line.split("#", 1)[0] for line in QUERIES["who-said-what"].sparql.splitlines())
    assert "broader*" not in code and "broader+" not in code and "skos:broaderTransitive" in code


def test_no_query_relies_on_an_unbound_parameter_or_on_lateral() -> None:
    """Optional parameters without a default are read through `#? name` variants, never through an unbound
    variable inside sameTerm or COALESCE (Virtuoso gives other rows); no query uses LATERAL (Virtuoso lacks it)."""
    for name, q in QUERIES.items():
        text = "\n".join(line.split("#", 1)[0] for line in q.sparql.splitlines())
        assert "LATERAL" not in text.upper(), name
        for p in q.params:
            if p.required or p.default is not None:
                continue
            for line in q.sparql.splitlines():
                code = line.split("#", 1)[0].upper()
                if re.search(rf"\?{p.name.upper()}\b", code) and ("COALESCE" in code or "SAMETERM" in code):
                    assert line.rstrip().endswith(f"#? {p.name}"), f"{name}: {line.strip()}"


def test_a_hostile_string_is_harmless_on_a_remote_store(remote: RemoteStore) -> None:
    before = remote.count()
    assert run(remote, "search-claims", text='" } DROP ALL { "') == []
    assert run(remote, "search-claims", text="x\\\" . } ; DROP ALL ; SELECT * { #") == []
    assert remote.count() == before > 5000


# --- documentation and OpenAPI ---------------------------------------------------------------------------------

def test_every_query_is_documented() -> None:
    doc = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    for name, q in QUERIES.items():
        assert f"`{name}`" in doc, f"docs/queries.md does not describe {name}"
        for p in q.params:
            assert f"`{p.name}`" in doc


def test_openapi_document_lists_every_query_with_typed_parameters() -> None:
    doc = openapi(QUERIES, server_url="http://127.0.0.1:8000")
    assert doc["openapi"] == "3.1.0"
    assert {p for p in doc["paths"] if p.startswith("/queries/")} == {f"/queries/{n}" for n in QUERIES}
    operation = doc["paths"]["/queries/claims-by-official"]["get"]
    params = {p["name"]: p for p in operation["parameters"]}
    assert params["speaker"]["required"] is True and params["speaker"]["schema"] == {"type": "string",
                                                                                     "format": "iri"}
    assert params["minConfidence"]["schema"] == {"type": "number", "default": 0.0}
    assert params["from"]["schema"]["format"] == "date" and params["from"]["example"] == "2018-01-01"
    assert "text/csv" in operation["responses"]["200"]["content"]
    ids = [op["get"]["operationId"] for op in doc["paths"].values()]
    assert len(ids) == len(set(ids))
    json.dumps(doc)  # serialisable


def test_openapi_document_is_valid() -> None:
    validator = pytest.importorskip("openapi_spec_validator")
    validator.validate(openapi(QUERIES))


# --- kg query --------------------------------------------------------------------------------------------------

def kg_query(*args: str) -> subprocess.CompletedProcess[str]:
    """The real `kg` entry point in a subprocess, so exit status and messages are what a user sees."""
    return subprocess.run([sys.executable, "-c", "from kg.cli import main; main()", "query", *args],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)


def test_cli_runs_a_query_in_each_format(seed_store_path: Path) -> None:
    store = str(seed_store_path)  # the CLI opens the store read-only
    base = ["query", "claims-by-official", "-p", "speaker=cgid:person/wilbur-ross", "--store", store]
    runner = CliRunner()
    table = runner.invoke(cli, base, catch_exceptions=False)
    assert table.exit_code == 0 and "(3 rows)" in table.output and "cgid:person/wilbur-ross" in table.output
    as_json = json.loads(runner.invoke(cli, [*base, "--format", "json"], catch_exceptions=False).output)
    assert len(as_json["results"]["bindings"]) == 3 and "speaker" in as_json["head"]["vars"]
    csv = runner.invoke(cli, [*base, "--format", "csv"], catch_exceptions=False).output.splitlines()
    assert csv[0].startswith("speaker,from,to,minConfidence,speakerName") and len(csv) == 4
    tsv = runner.invoke(cli, [*base, "--format", "tsv"], catch_exceptions=False).output.splitlines()
    assert tsv[0].startswith("?speaker\t") and len(tsv) == 4
    xml = runner.invoke(cli, [*base, "--format", "xml"], catch_exceptions=False).output
    assert xml.count("<result>") == 3
    listing = runner.invoke(cli, ["query", "--list"], catch_exceptions=False).output
    assert all(f"{name}\n" in listing for name in QUERIES) and "-p speaker=<iri>  (required)" in listing
    ask = runner.invoke(cli, ["query", "--store", store, "--sparql", "ASK { ?c a <https://w3id.org/claimgraph/"
                                                                      "ontology#Claim> }"], catch_exceptions=False)
    assert ask.output == "True\n"


def test_cli_errors_name_the_problem_and_exit_non_zero(seed_store_path: Path, tmp_path: Path) -> None:
    store = str(seed_store_path)
    unknown = kg_query("claims-by-oficial", "--store", store)
    assert unknown.returncode == 1
    assert "no canned query 'claims-by-oficial'; did you mean claims-by-official" in unknown.stderr
    bad = kg_query("country-officials", "-p", "country=cgid:country/US", "-p", "on=May 2018", "--store", store)
    assert bad.returncode == 1 and "parameter 'on' (date): 'May 2018' is not a date" in bad.stderr
    missing = kg_query("country-officials", "--store", store)
    assert missing.returncode == 1 and "missing required parameter 'country'" in missing.stderr
    no_store = kg_query("top-issues", "--store", str(tmp_path / "absent"))
    assert no_store.returncode == 1 and "no store at" in no_store.stderr and not (tmp_path / "absent").exists()
    pair = kg_query("top-issues", "-p", "minClaims", "--store", store)
    assert pair.returncode == 1 and "--param takes NAME=VALUE, not 'minClaims'" in pair.stderr



def test_cli_queries_a_remote_store(remote_seed: RemoteStore) -> None:
    r = CliRunner().invoke(cli, ["query", "top-issues", "-p", "minClaims=3", "--format", "csv",
                                 "--store", remote_seed.url], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    rows = r.output.splitlines()
    assert [line.split(",")[4] for line in rows[1:]] == ["NAFTA renegotiation", "Negotiation timeline"]


CLAIMS_OF_COUNTRIES = """
@prefix cg: <https://w3id.org/claimgraph/ontology#> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix claim: <https://w3id.org/claimgraph/id/claim/> .
@prefix person: <https://w3id.org/claimgraph/id/person/> . @prefix country: <https://w3id.org/claimgraph/id/country/> .
claim:unattributed cg:mentionsCountry country:US ; cg:claimText "Tariffs rise." ;
    prov:wasDerivedFrom <https://w3id.org/claimgraph/id/article/a> .
claim:moen cg:mentionsCountry country:US ; cg:claimText "We disagree." ;
    prov:wasDerivedFrom <https://w3id.org/claimgraph/id/article/a> ; cg:speaker person:moen .
person:moen rdfs:label "Martin Moen" ; cg:actsFor country:CA .
person:ross rdfs:label "Wilbur Ross" ; cg:actsFor country:US .
country:US rdfs:label "United States" . country:CA rdfs:label "Canada" .
"""


def test_claims_mentioning_country_give_a_speaker_only_to_claims_that_have_one(store: Store) -> None:
    """A claim without a speaker has no speaker and no speaker country (it once got every country-acting entity:
    the speaker's actsFor sat outside the speaker's OPTIONAL); `speakerCountry` keeps the speakers acting for it."""
    from pyoxigraph import parse

    from kg.vocab import graph_iri
    g = NamedNode(graph_iri("article/a"))
    store.replace_graph(g.value, [Quad(t.subject, t.predicate, t.object, g)
                                  for t in parse(CLAIMS_OF_COUNTRIES.encode(), RdfFormat.TURTLE)])
    rows = {r["claim"].rsplit("/", 1)[1]: r for r in run(store, "claims-mentioning-country", country="cgid:country/US")}
    assert set(rows) == {"unattributed", "moen"}
    assert {k: v for k, v in rows["unattributed"].items() if k.startswith("speaker")} == {}
    assert (rows["moen"]["speakerName"], rows["moen"]["speakerCountryName"]) == ("Martin Moen", "Canada")
    canada = run(store, "claims-mentioning-country", country="cgid:country/US", speakerCountry="cgid:country/CA")
    assert [(r["claim"].rsplit("/", 1)[1], r["speakerCountryName"]) for r in canada] == [("moen", "Canada")]
    assert run(store, "claims-mentioning-country", country="cgid:country/US", speakerCountry="cgid:country/MX") == []
