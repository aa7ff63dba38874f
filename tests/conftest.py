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
from typing import TYPE_CHECKING

import pytest

from kg.store import EmbeddedStore, RemoteStore, Store
from tests.virtuoso import virtuoso_server  # noqa: F401 - a fixture

if TYPE_CHECKING:
    from kg.extract import Extractor

ROOT = Path(__file__).resolve().parents[1]
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
