"""Shared fixtures: the shared folder, a real `oxigraph serve` on loopback, and a store of each kind."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kg.store import EmbeddedStore, RemoteStore, Store
from tests.virtuoso import virtuoso_server  # noqa: F401 - a fixture

if TYPE_CHECKING:
    from kg.extract import Extractor

ROOT = Path(__file__).resolve().parents[1]

# -- test tiers (markers registered in pyproject.toml; docs/architecture.md) ------------------------------------------
SLOW_MODULES = {"test_packaging.py", "test_live_ingest.py", "test_serve_cli.py", "test_server_limits.py"}
"""Whole modules that build wheels, start, kill or time real servers."""
SLOW_TESTS = {
    "test_write_intent.py::test_kill_9_in_a_bulk_write_into_a_store_holding_articles_leaves_each_whole_or_absent",
    "test_cli.py::test_bad_input_is_reported_and_loses_nothing",
    "test_cli.py::test_extract_prints_claims_with_exact_spans",
    "test_cli.py::test_extract_several_articles_prints_json_lines",
    "test_cli.py::test_force_replaces_the_article_graph_with_the_same_quad_count",
    "test_cli.py::test_ingesting_twice_exports_the_same_quads",
    "test_cli.py::test_remote_store_holds_the_same_quads",
    "test_cli.py::test_validate_conforms_after_ingest",
    "test_congress_members.py::test_an_article_with_members_ingests_and_validates",
    "test_congress_reference.py::test_the_committed_files_are_what_the_script_builds",
    "test_congress_reference.py::test_the_reference_data_conforms_to_the_shapes",
    "test_congress_reference.py::test_void_counts_the_member_links",
    "test_entities.py::test_an_unreachable_store_is_one_clear_error",
    "test_entities.py::test_entities_lists_people_with_claims_merges_and_suspects",
    "test_eval_sets.py::test_every_set_rebuilds_from_the_corpus_with_every_hash_verified",
    "test_evaluate.py::test_evaluate_without_pred_extracts_the_article_beside_the_gold",
    "test_evaluate.py::test_scores_equal_the_shared_scorer_on_our_extraction",
    "test_export.py::test_a_bad_graph_is_one_line_exit_1_and_writes_nothing",
    "test_extract.py::test_a_very_long_article_keeps_exact_spans",
    "test_extract_issues.py::test_the_tagged_set_uses_the_taxonomy_and_fits_the_corpus",
    "test_extract_rules.py::test_anonymous_sources_and_methods_are_typed_in_rdf_and_conform",
    "test_identity.py::test_two_articles_naming_one_person_two_ways_give_one_node_in_either_order",
    "test_ingest.py::test_a_duplicate_id_is_reported_counted_once_and_the_last_good_one_wins",
    "test_ingest.py::test_an_article_over_the_memory_bound_is_skipped_and_the_next_goes_in",
    "test_ingest.py::test_bad_records_are_skipped_with_their_line_and_every_good_one_goes_in",
    "test_learned.py::test_extraction_with_the_proposer_keeps_every_rule_claim",
    "test_learned.py::test_training_runs_end_to_end_on_a_tiny_slice",
    "test_linking.py::test_linking_works_on_embedded_and_remote_stores",
    "test_linking.py::test_links_carry_score_method_and_run",
    "test_linking.py::test_links_the_right_people_and_not_their_namesakes",
    "test_linking.py::test_offline_uses_only_the_cache",
    "test_linking.py::test_rerun_sends_no_request",
    "test_linking.py::test_review_lists_candidates_with_reasons",
    "test_linking.py::test_seed_article_end_to_end",
    "test_linking.py::test_unreachable_endpoint_is_reported_with_exit_status_3",
    "test_linking_queries.py::test_queries_run_on_a_remote_store",
    "test_linking_reference.py::test_reference_links_after_ingest_of_the_seed",
    "test_linking_reference.py::test_reference_links_in_a_store",
    "test_mapping.py::test_a_store_with_coordinated_speakers_conforms",
    "test_server_graph_store.py::test_readers_never_see_half_an_article_while_articles_go_in",
    "test_shapes.py::test_issue_taxonomy_conforms",
    "test_shapes.py::test_reference_data_conforms",
    "test_shapes.py::test_shapes_are_valid_shacl",
    "test_shapes.py::test_store_written_by_the_mapping_conforms",
    "test_search.py::test_a_broken_index_never_stops_an_ingest",
    "test_search.py::test_kg_ingest_writes_the_index_with_each_article_and_reindex_rebuilds_it",
    "test_identity.py::test_an_article_written_again_leaves_nothing_of_its_earlier_names",
    "test_identity.py::test_a_person_keeps_the_full_name_articles_write_most",
    "test_identity.py::test_two_sets_of_initials_on_one_node_are_a_suspect",
    "test_eval_sets.py::test_every_issue_set_fits_the_corpus_with_every_hash_verified",
    "test_bulk_write.py::test_after_kill_9_mid_batch_every_article_is_whole_or_absent",
    "test_virtuoso.py::test_kill_9_during_a_forced_reingest_then_ingest_leaves_every_article_whole",
    "test_virtuoso.py::test_an_export_reads_past_the_store_row_limit",
}
"""Tests that took 1.5 s or more each (``pytest --durations=0``, 2 cores at a load average of 10): they ingest or
extract whole articles, validate with SHACL, or run end-to-end CLI commands."""
BROWSER_MODULES = {"test_browser.py"}
INTEGRATION_MODULES = {
    "test_cli.py", "test_congress_members.py", "test_congress_reference.py", "test_entities.py", "test_export.py",
    "test_ingest.py", "test_linking.py", "test_linking_queries.py", "test_linking_reference.py", "test_pages.py",
    "test_queries.py", "test_remote_store.py", "test_server_clients.py", "test_server_federation.py",
    "test_server_graph_store.py", "test_server_protocol.py", "test_server_queries.py", "test_shapes.py",
    "test_store.py", "test_store_seam.py", "test_void.py", "test_w3c_graph_store.py", "test_w3c_protocol.py",
    "test_virtuoso.py", "test_bulk_write.py", "test_canned_rows.py"}
"""Modules whose tests write a real store, run ``kg`` commands or serve the app."""
INTEGRATION_FIXTURES = {"store", "oxigraph_server", "seed_store_path", "live_server", "make_live_server", "seed_app",
                        "seed_client", "make_app", "reference_store"}
"""A test using one of these reaches a real store or server: it is an integration test unless marked otherwise."""
TIERS = ("unit", "integration", "browser")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Give every test its tier: its own marker, else browser or integration by module or by the fixtures it uses,
    else unit; and ``slow`` by the tables above."""
    for item in items:
        module = item.path.name
        if module in BROWSER_MODULES:
            item.add_marker(pytest.mark.browser)
        if not any(item.get_closest_marker(tier) for tier in TIERS):
            fixtures = set(getattr(item, "fixturenames", ()))
            real = module in INTEGRATION_MODULES or fixtures & INTEGRATION_FIXTURES
            item.add_marker(pytest.mark.integration if real else pytest.mark.unit)
        name = f"{module}::{getattr(item, 'originalname', item.name)}"
        if module in SLOW_MODULES or name in SLOW_TESTS:
            item.add_marker(pytest.mark.slow)
SHARED = ROOT.parent / "shared"
SAMPLE = ROOT / "samples" / "nafta-talks-2018.json"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def oxigraph_binary() -> str | None:
    here = Path(sys.executable).parent / "oxigraph"
    return str(here) if here.exists() else shutil.which("oxigraph")


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    """One real Extractor (spaCy pipeline and gazetteer loaded once) for every extraction test."""
    from kg.extract import Extractor  # imported here: tests without extraction do not load spaCy

    return Extractor()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The read-only ../shared folder; tests needing it skip where it is absent."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent (it sits beside the project in development and CI)")
    return SHARED


class OxigraphServer:
    def __init__(self, location: Path) -> None:
        binary = oxigraph_binary()
        if not binary:
            pytest.skip("the `oxigraph` server CLI is not installed (pip install '.[test]')")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen([binary, "serve", "--location", str(location), "--bind",
                                      f"127.0.0.1:{self.port}"], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(self.url + "/query?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    err = self.proc.stderr.read().decode() if self.proc.stderr else ""
                    raise RuntimeError(f"oxigraph serve did not start: {err}") from None
                time.sleep(0.05)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """A real `oxigraph serve` on loopback for the whole session."""
    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph"))
    yield server
    server.stop()


@pytest.fixture(params=["embedded", "remote", "virtuoso"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store: embedded on disk, or remote through a real oxigraph server or a real Virtuoso (cleared for
    each test)."""
    if request.param == "embedded":
        s: Store = EmbeddedStore(tmp_path / "store")
    elif request.param == "virtuoso":
        virtuoso = request.getfixturevalue("virtuoso_server")
        virtuoso.clear()
        s = virtuoso.store()
    else:
        server = request.getfixturevalue("oxigraph_server")
        s = RemoteStore(server.url + "/query", gsp_url=server.url + "/store")
        s.update("DROP ALL")
    yield s
    s.close()


# -- server fixtures (issue 4) ----------------------------------------------------------------------------------

def copy_store(source: Path, target: Path) -> Path:
    """A private copy of a closed embedded store folder, for a test that writes or serves it."""
    shutil.copytree(source, target)
    return target


@pytest.fixture(scope="session")
def seed_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed embedded store holding samples/nafta-talks-2018.json, ingested by the real `kg ingest`.

    Never open it for writing: copy it first (``copy_store``), as ``live_server`` does.
    """
    path = tmp_path_factory.mktemp("seed") / "store"
    done = subprocess.run([sys.executable, "-c", "from kg.cli import main; main()", "ingest", "--no-progress",
                           "--store", str(path), str(SAMPLE)], capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"kg ingest of the seed failed: {done.stderr}")
    return path


class LiveServer:
    """The app (``.app``) served by waitress on a loopback port (``.url``) in a background thread."""

    def __init__(self, config: dict[str, object]) -> None:
        from server import create_app
        from server.wsgi import BackgroundServer

        self.app = create_app(config)
        self._server = BackgroundServer(self.app)
        self.url = self._server.url

    def stop(self) -> None:
        self._server.stop()


@pytest.fixture(scope="session")
def live_server(seed_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app over a copy of the seed store, read-only (no update token), on a real loopback port."""
    store = copy_store(seed_store_path, tmp_path_factory.mktemp("live") / "store")
    server = LiveServer({"STORE": str(store), "QUERY_WORKERS": 2})
    yield server
    server.stop()


class MakeApp(Protocol):
    def __call__(self, seed: Path | None = None, /, **config: object) -> Flask: ...


@pytest.fixture
def make_app(tmp_path: Path) -> Iterator[MakeApp]:
    """A factory: ``make_app(seed_store_path, **config)`` is the app (for ``.test_client()``) over a private copy of
    that store (else an empty store in tmp_path), with queries answered in-process unless QUERY_WORKERS is given;
    every app made is closed after the test."""
    from server import create_app

    apps: list[Flask] = []

    def make(seed: Path | None = None, /, **config: object) -> Flask:
        target = tmp_path / f"app-store{len(apps)}"
        config.setdefault("STORE", str(copy_store(seed, target) if seed is not None else target))
        config.setdefault("QUERY_WORKERS", 0)
        apps.append(create_app(config))
        return apps[-1]

    yield make
    for app in apps:
        app.extensions["claimgraph.runner"].close()


@pytest.fixture(scope="session")
def seed_app(seed_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The app over a read-only copy of the seed store (no update token), queries answered in-process."""
    from server import create_app

    app = create_app({"STORE": str(copy_store(seed_store_path, tmp_path_factory.mktemp("app") / "store")),
                      "QUERY_WORKERS": 0})
    yield app
    app.extensions["claimgraph.runner"].close()


@pytest.fixture
def seed_client(seed_app: Flask) -> FlaskClient:
    """Flask's test client of ``seed_app``: the protocol and pages without a network path."""
    return seed_app.test_client()


@pytest.fixture
def make_live_server(tmp_path: Path) -> Iterator[object]:
    """A factory: ``make_live_server(**config)`` serves the app with that config (STORE defaults to an empty
    store in tmp_path); every server made is stopped after the test."""
    servers: list[LiveServer] = []

    def make(**config: object) -> LiveServer:
        config.setdefault("STORE", str(tmp_path / f"store{len(servers)}"))
        servers.append(LiveServer(config))
        return servers[-1]

    yield make
    for server in servers:
        server.stop()
