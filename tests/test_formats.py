"""The format registry (kg.formats) and the one retry loop (kg.http): unit tests on hand-built inputs."""

from __future__ import annotations

import io
import time

import pyoxigraph as ox
import pytest

from kg import formats
from kg.http import Retry, retrying
from server import negotiation

pytestmark = pytest.mark.unit

TRIPLES = [ox.Triple(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("o, with \"quotes\""))]


def test_names_media_types_and_extensions_are_each_one_format() -> None:
    for key in ("name", "media_type", "extension"):
        values = [getattr(f, key) for f in formats.FORMATS]
        assert len(values) == len(set(values)), key
    assert all((f.rdf is None) != (f.results is None) for f in formats.FORMATS)


@pytest.mark.parametrize("fmt", formats.GRAPHS, ids=lambda f: f.name)
def test_every_graph_format_writes_what_pyoxigraph_reads_back(fmt: formats.Format) -> None:
    buffer = io.BytesIO()
    fmt.write_graph(TRIPLES, buffer, prefixes={"e": "http://e/"})
    assert fmt.rdf is not None
    assert [q.triple for q in ox.parse(buffer.getvalue(), fmt.rdf)] == TRIPLES


@pytest.mark.parametrize("fmt", formats.RESULTS, ids=lambda f: f.name)
def test_every_results_format_writes_solutions_and_the_boolean_ones_asks(fmt: formats.Format) -> None:
    store = ox.Store()
    store.add(ox.Quad(*TRIPLES[0]))
    buffer = io.BytesIO()
    fmt.write_results(store.query("SELECT ?o WHERE { ?s ?p ?o }"), buffer)
    assert b"quotes" in buffer.getvalue()
    if "boolean" in fmt.kinds:
        buffer = io.BytesIO()
        fmt.write_results(store.query("ASK { ?s ?p ?o }"), buffer)
        assert fmt.results is not None and bool(ox.parse_query_results(buffer.getvalue(), fmt.results))
    with pytest.raises(ValueError, match="not an RDF format"):
        fmt.write_graph(TRIPLES, io.BytesIO())


def test_negotiation_offers_exactly_the_registry() -> None:
    assert list(negotiation.GRAPH) == [f.media_type for f in formats.GRAPHS]
    assert list(negotiation.SOLUTIONS) == [f.media_type for f in formats.RESULTS]
    assert negotiation.choose("graph", "application/json") == "application/ld+json"  # an alias, per kind
    assert negotiation.choose("solutions", "application/json") == "application/sparql-results+json"
    with pytest.raises(ValueError, match="unknown format 'pdf': choose one of json, xml"):
        formats.named("pdf")


def test_retrying_waits_longer_when_asked_and_gives_up_with_the_last_reason() -> None:
    waits: list[float] = []

    def refused(n: int) -> str:
        raise Retry(f"refused {n}", after=5 if n == 0 else None)

    with pytest.raises(Retry, match="refused 2"):
        retrying(refused, attempts=3, backoff=0.5, max_wait=4, sleep=waits.append)
    assert waits == [4, 1.0]  # Retry-After 5 capped at max_wait 4; then 0.5 * 2**1


def test_retrying_stops_before_a_wait_that_would_pass_the_deadline_and_passes_other_errors() -> None:
    waits: list[float] = []
    with pytest.raises(Retry, match="down"):
        retrying(lambda n: (_ for _ in ()).throw(Retry("down")), attempts=10, backoff=1,
                 deadline=time.monotonic() + 1.5, sleep=waits.append)
    assert waits == [1]  # the next wait (2 s) would pass the deadline
    with pytest.raises(KeyError):
        retrying(lambda n: {}["missing"], attempts=3, backoff=0, sleep=waits.append)
    assert waits == [1]  # an error that is not a Retry is never retried
