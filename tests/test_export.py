"""``kg export``: one graph keeps its name in N-Quads and TriG, on both kinds of store; a bad ``--graph`` is one
clear error (exit 1) that writes nothing and leaves an existing output file as it was."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import BadInput, NotFound
from kg.export import export_store
from kg.store import EmbeddedStore, Store
from kg.vocab import graph_iri, id_iri

ARTICLE = graph_iri("article/ottawa-briefing")
OTHER = graph_iri("article/geneva-briefing")
SCHEMA = "http://schema.org/"


def _quads(graph: str, n: int) -> list[ox.Quad]:
    article = ox.NamedNode(id_iri(graph.rsplit("/", 1)[1]))
    return [ox.Quad(article, ox.NamedNode(f"{SCHEMA}keywords"), ox.Literal(f"keyword {i}"), ox.NamedNode(graph))
            for i in range(n)]


def _fill(store: Store) -> None:
    store.load_graph(ARTICLE, _quads(ARTICLE, 5))
    store.load_graph(OTHER, _quads(OTHER, 3))


def _export(store: Store, fmt: str, graph: str | None = None, **options: bool) -> bytes:
    out = io.BytesIO()
    export_store(store, out, fmt, graph=graph, **options)
    return out.getvalue()


@pytest.mark.parametrize("fmt, rdf_format", [("nquads", ox.RdfFormat.N_QUADS), ("trig", ox.RdfFormat.TRIG)])
def test_one_graph_keeps_its_name_in_the_dataset_formats(store: Store, fmt: str, rdf_format: ox.RdfFormat) -> None:
    _fill(store)
    data = _export(store, fmt, ARTICLE)
    assert set(ox.parse(data, rdf_format)) == set(_quads(ARTICLE, 5))


def test_one_graph_in_nquads_is_sorted_and_without_void(store: Store) -> None:
    _fill(store)
    lines = _export(store, "nquads", ARTICLE).splitlines()
    assert lines == sorted(lines) and len(lines) == 5
    assert all(line.endswith(f"<{ARTICLE}> .".encode()) for line in lines)


def test_one_graph_in_a_triple_format_is_its_triples(store: Store) -> None:
    _fill(store)
    triples = {q.triple for q in ox.parse(_export(store, "turtle", ARTICLE), ox.RdfFormat.TURTLE)}
    assert triples == {q.triple for q in _quads(ARTICLE, 5)}


def test_an_unknown_graph_is_not_found(store: Store) -> None:
    _fill(store)
    with pytest.raises(NotFound, match="holds no graph"):
        _export(store, "nquads", graph_iri("article/nowhere"))


def test_an_article_iri_given_as_graph_names_the_articles_graph(store: Store) -> None:
    _fill(store)
    with pytest.raises(NotFound, match=f"its graph is {ARTICLE}"):
        _export(store, "trig", id_iri("article/ottawa-briefing"))


def test_a_graph_that_is_not_an_iri_is_bad_input(store: Store) -> None:
    with pytest.raises(BadInput, match="'not-an-iri' is not an absolute IRI"):
        _export(store, "nquads", "not-an-iri")


# -- the command, as a user runs it -----------------------------------------------------------------------------

@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    with EmbeddedStore(path) as s:
        _fill(s)
    return path


def _kg(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from kg.cli import main; main()", *map(str, args)],
                          capture_output=True, text=True, timeout=120)


def test_the_command_exports_one_named_graph(store_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "one.trig"
    done = _kg("export", "--store", store_path, "--graph", ARTICLE, "--format", "trig", "-o", out)
    assert done.returncode == 0, done.stderr
    assert {q.graph_name for q in ox.parse(out.read_bytes(), ox.RdfFormat.TRIG)} == {ox.NamedNode(ARTICLE)}


@pytest.mark.parametrize("graph, message", [
    (graph_iri("article/nowhere"), f"holds no graph {graph_iri('article/nowhere')}"),
    ("not-an-iri", "--graph 'not-an-iri' is not an absolute IRI"),
])
def test_a_bad_graph_is_one_line_exit_1_and_writes_nothing(store_path: Path, tmp_path: Path, graph: str,
                                                           message: str) -> None:
    fresh, existing = tmp_path / "fresh.nq", tmp_path / "existing.nq"
    existing.write_bytes(b"an earlier export\n")
    for out in (fresh, existing):
        done = _kg("export", "--store", store_path, "--graph", graph, "-o", out)
        assert done.returncode == 1
        assert done.stderr.startswith("Error: ") and message in done.stderr
        assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert not fresh.exists()
    assert existing.read_bytes() == b"an earlier export\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []


def test_an_output_in_a_missing_folder_is_a_clear_error(store_path: Path, tmp_path: Path) -> None:
    done = _kg("export", "--store", store_path, "-o", tmp_path / "missing" / "out.nq")
    assert done.returncode == 1 and "the folder" in done.stderr and "does not exist" in done.stderr
