"""``kg serve`` as a process: an address it cannot listen on is one clear line and exit 1, and instances leave no
control socket in the user's home (where every instance of the user would share it)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from kg.store import EmbeddedStore
from kg.vocab import graph_iri, id_iri
from tests.conftest import free_port
from tests.serving import kg_serve

KG = [sys.executable, "-c", "from kg.cli import main; main()"]


def _small_store(path: Path) -> Path:
    article = ox.NamedNode(id_iri("article/ottawa-briefing"))
    with EmbeddedStore(path) as s:
        s.load_graph(graph_iri("article/ottawa-briefing"),
                     [ox.Quad(article, ox.NamedNode("http://schema.org/headline"), ox.Literal("Briefing"),
                              ox.NamedNode(graph_iri("article/ottawa-briefing")))])
    return path


def _serve_fails(*args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([*KG, "serve", *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert done.stderr.startswith("Error: cannot listen on ") and "Traceback" not in done.stderr
    return done


@pytest.mark.parametrize("server", ["gunicorn", "waitress"])
def test_a_port_in_use_is_one_clear_error(tmp_path: Path, server: str) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = _serve_fails("--port", str(port), "--server", server, "--store", str(_small_store(tmp_path / "s")))
    assert f"127.0.0.1:{port}: the port is in use" in done.stderr and "--port" in done.stderr


def test_an_address_not_of_this_machine_is_one_clear_error(tmp_path: Path) -> None:
    done = _serve_fails("--host", "192.0.2.1", "--port", "8000", "--store", str(_small_store(tmp_path / "s")))
    assert "192.0.2.1:8000: the address is not one of this machine's" in done.stderr  # TEST-NET-1, RFC 5737


@pytest.mark.skipif(sys.platform == "win32", reason="gunicorn does not run on Windows")
def test_two_instances_of_one_user_run_side_by_side_without_a_control_socket(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "XDG_RUNTIME_DIR"} | {"HOME": str(home)}
    first, second = free_port(), free_port()
    with (kg_serve([*KG, "serve", "--server", "gunicorn", "--port", str(first), "--store",
                    str(_small_store(tmp_path / "one"))], port=first, env=env) as one,
          kg_serve([*KG, "serve", "--server", "gunicorn", "--port", str(second), "--store",
                    str(_small_store(tmp_path / "two"))], port=second, env=env) as two):
        for url in (one, two):
            answer = requests.get(url + "/sparql", params={"query": "ASK { ?s ?p ?o }"},
                                  headers={"Accept": "application/sparql-results+json"}, timeout=30)
            assert answer.status_code == 200 and answer.json()["boolean"] is True
        assert list(home.iterdir()) == [], "nothing written to the user's home (gunicorn's ~/.gunicorn/)"
