"""`kg serve` and the static graphs: a store an earlier release loaded is brought up to this release's ontology,
taxonomy and reference data when it is embedded, and warned about when it is remote."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import pytest
from pyoxigraph import Literal, NamedNode

from kg.ingest import ensure_static_graphs, stale_static_graphs
from kg.remote_store import RemoteStore
from kg.store import EmbeddedStore
from kg.vocab import DCTERMS, ONTOLOGY_GRAPH
from tests.conftest import OxigraphServer

VERSION = NamedNode(str(DCTERMS.hasVersion))


def make_stale(store: EmbeddedStore | RemoteStore) -> None:
    """The ontology graph as an earlier release left it: another version marker, no closure."""
    ensure_static_graphs(store)
    g = NamedNode(ONTOLOGY_GRAPH)
    store.update(f"DELETE WHERE {{ GRAPH {g} {{ {g} {VERSION} ?v }} }}")
    store.update(f"INSERT DATA {{ GRAPH {g} {{ {g} {VERSION} {Literal('an earlier release')} }} }}")


def test_an_embedded_store_of_an_earlier_release_is_reloaded_when_served(make_app: Any, tmp_path: Path,
                                                                        caplog: pytest.LogCaptureFixture) -> None:
    location = tmp_path / "store"
    store = EmbeddedStore(str(location))
    make_stale(store)
    assert stale_static_graphs(store) == [ONTOLOGY_GRAPH]
    store.close()
    with caplog.at_level(logging.WARNING):
        app = make_app(STORE=str(location))
    assert "reloaded " + ONTOLOGY_GRAPH in caplog.text
    runner = app.extensions["claimgraph.runner"]
    assert stale_static_graphs(runner.store) == []


def test_a_store_without_static_graphs_is_left_as_it_is(make_app: Any, tmp_path: Path) -> None:
    app = make_app(STORE=str(tmp_path / "empty"))
    assert app.extensions["claimgraph.runner"].store.count() == 0


def test_a_remote_store_of_an_earlier_release_is_only_warned_about(make_app: Any, oxigraph_server: OxigraphServer,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    remote = RemoteStore(oxigraph_server.url + "/query", gsp_url=oxigraph_server.url + "/store")
    remote.update("DROP ALL")
    try:
        make_stale(remote)
        with caplog.at_level(logging.WARNING):
            make_app(STORE=oxigraph_server.url + "/query")
            deadline = time.monotonic() + 30  # checked in the background: start-up does not wait for the store
            while "run `kg init --store" not in caplog.text and time.monotonic() < deadline:
                time.sleep(0.05)
        assert "run `kg init --store" in caplog.text and ONTOLOGY_GRAPH in caplog.text
        assert stale_static_graphs(remote) == [ONTOLOGY_GRAPH]  # kg serve wrote nothing to a store it does not own
    finally:
        remote.update("DROP ALL")
