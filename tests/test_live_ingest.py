"""Live ingest: `kg ingest` into a running `kg serve` (Bearer token, updates at /sparql) while another client keeps
reading; the articles are visible to a query afterwards, and `kg stats` over HTTP counts every quad once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from kg.mapping import article_graph
from kg.store import EmbeddedStore
from kg.vocab import CG
from tests.conftest import copy_store, free_port
from tests.test_ingest import GOOD, kg, line

TOKEN = "live-ingest-token"


class Served:
    def __init__(self, url: str, process: subprocess.Popen[bytes]) -> None:
        self.url, self.process = url, process


@pytest.fixture
def served(seed_store_path: Path, tmp_path: Path) -> Iterator[Served]:
    """A real `kg serve` subprocess on loopback over a copy of the seed store, taking updates with TOKEN."""
    store = copy_store(seed_store_path, tmp_path / "served")
    port = free_port()
    env = {**os.environ, "KG_UPDATE_TOKEN": TOKEN, "KG_STORE": str(store)}
    process = subprocess.Popen([sys.executable, "-c", "from kg.cli import main; main()", "serve", "--port", str(port)],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/sparql"
    deadline = time.monotonic() + 120
    while True:
        try:
            requests.get(url, params={"query": "ASK {}"}, timeout=5)
            break
        except (requests.ConnectionError, requests.Timeout):  # not listening yet, or still starting under load
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("kg serve did not start") from None
            time.sleep(0.2)
    yield Served(url, process)
    process.terminate()
    process.wait(30)


def article_count(url: str) -> int:
    query = f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a a <{CG.Article}> }}"
    answer = requests.get(url, params={"query": query}, headers={"Accept": "application/sparql-results+json"},
                          timeout=30)
    answer.raise_for_status()
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def test_articles_ingested_into_a_running_server_are_visible_while_a_reader_keeps_reading(
        served: Served, tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(b"".join(line(r) for r in GOOD))
    before = article_count(served.url)
    statuses: list[int] = []
    counts: list[int] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                counts.append(article_count(served.url))
                statuses.append(200)
            except requests.HTTPError as e:
                statuses.append(e.response.status_code)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        done = kg("ingest", "--no-progress", str(feed), env={"KG_STORE": served.url, "KG_UPDATE_TOKEN": TOKEN})
    finally:
        stop.set()
        reader.join()
    assert done.returncode == 0, done.stderr
    assert "ingested 3 article(s)" in done.stderr
    assert statuses and set(statuses) == {200}, statuses  # the reader was answered all along
    assert counts == sorted(counts) and set(counts) <= set(range(before, before + 4))  # never a partial article
    assert article_count(served.url) == before + 3
    for record in GOOD:
        ask = f"ASK {{ GRAPH <{article_graph(record['id'])}> {{ ?s ?p ?o }} }}"
        assert requests.get(served.url, params={"query": ask}, timeout=30).json()["boolean"] is True


def test_without_the_token_a_live_ingest_is_refused_and_names_the_setting(served: Served, tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(line({**GOOD[0], "id": "unwanted"}))
    done = kg("ingest", "--no-progress", str(feed), env={"KG_STORE": served.url, "KG_UPDATE_TOKEN": "wrong"})
    assert done.returncode == 1 and "KG_UPDATE_TOKEN" in done.stderr
    ask = f"ASK {{ GRAPH <{article_graph('unwanted')}> {{ ?s ?p ?o }} }}"
    assert requests.get(served.url, params={"query": ask}, timeout=30).json()["boolean"] is False


def test_kg_stats_over_http_counts_each_quad_once(served: Served, seed_store_path: Path) -> None:
    remote = kg("stats", "--json", "--store", served.url)
    assert remote.returncode == 0, remote.stderr
    with EmbeddedStore(seed_store_path, read_only=True) as store:
        assert json.loads(remote.stdout)["quads"] == store.count()


def test_an_article_too_large_for_the_server_is_skipped_and_the_others_go_in(
        make_live_server, seed_store_path: Path, tmp_path: Path, extractor) -> None:  # type: ignore[no-untyped-def]
    from kg.ingest import ingest
    from kg.store import RemoteStore

    server = make_live_server(STORE=str(copy_store(seed_store_path, tmp_path / "s")), UPDATE_TOKEN=TOKEN,
                              MAX_BODY=40_000)
    sample = json.loads(Path("samples/nafta-talks-2018.json").read_text(encoding="utf-8"))
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(line({**sample, "id": "huge", "text": "\n\n".join([sample["text"]] * 6)}) + line(GOOD[0]))
    store = RemoteStore(server.url + "/sparql", token=TOKEN)
    summary = ingest(store, [str(feed)], extractor=extractor)
    assert [s.source for s in summary.skipped] == [f"{feed}:1"]
    assert "too large" in summary.skipped[0].reason
    assert summary.articles == 1
    assert store.ask(f"ASK {{ GRAPH <{article_graph('good-1')}> {{ ?s ?p ?o }} }}", union_default_graph=False)
