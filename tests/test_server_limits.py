"""Limits: a runaway query is stopped at KG_QUERY_TIMEOUT (its worker process killed), concurrent queries are
bounded, request bodies are capped, and malformed settings are refused naming the variable."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import requests

from kg.errors import BadInput, KGError, QueryTimeout
from kg.query_job import Job
from kg.store import EmbeddedStore
from server.limits import CONTENT_SECURITY_POLICY, SECURITY_HEADERS
from server.settings import load
from tests.conftest import copy_store
from tests.serving import KgServe

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SMALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?c }"


@pytest.fixture
def seed_copy(seed_store_path: Path, tmp_path: Path) -> str:
    return str(copy_store(seed_store_path, tmp_path / "copy"))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_runaway_query_is_stopped_at_the_timeout(make_live_server, seed_copy: str) -> None:  # type: ignore[no-untyped-def]
    server = make_live_server(STORE=seed_copy, QUERY_TIMEOUT=1, QUERY_WORKERS=1, RESERVE_WORKERS=0)
    assert requests.get(server.url + "/sparql", params={"query": SMALL}, timeout=30).status_code == 200
    pool = server.app.extensions["claimgraph.runner"].pool
    [worker] = list(pool._idle)
    started = time.monotonic()
    r = requests.get(server.url + "/sparql", params={"query": RUNAWAY}, timeout=30)
    elapsed = time.monotonic() - started
    assert r.status_code == 503 and r.json()["error"] == "QueryTimeout"
    assert "1 s timeout" in r.json()["message"]
    assert 1 <= elapsed < 3
    assert not _alive(worker.process.pid), "the runaway worker still runs"
    assert pool.kills == 1
    r = requests.get(server.url + "/sparql", params={"query": SMALL}, timeout=30)  # a fresh worker answers
    assert r.status_code == 200


def test_queries_beyond_the_bound_get_503_with_retry_after(make_live_server, seed_copy: str) -> None:  # type: ignore[no-untyped-def]
    server = make_live_server(STORE=seed_copy, QUERY_TIMEOUT=3, QUERY_WORKERS=1, MAX_CONCURRENT_QUERIES=1)
    requests.get(server.url + "/sparql", params={"query": SMALL}, timeout=30)
    runaway = threading.Thread(target=requests.get, args=(server.url + "/sparql",),
                               kwargs={"params": {"query": RUNAWAY}, "timeout": 30})
    runaway.start()
    pool = server.app.extensions["claimgraph.runner"].pool
    until(lambda: bool(pool.scheduler.running), "the runaway is running")
    r = requests.get(server.url + "/sparql", params={"query": SMALL}, timeout=30)
    runaway.join()
    assert r.status_code == 503 and r.json()["error"] == "ServerBusy"
    assert r.headers["Retry-After"] == "1" and "KG_MAX_CONCURRENT_QUERIES" in r.json()["message"]


def until(condition: Callable[[], bool], what: str, seconds: float = 30) -> None:
    """Wait until ``condition()`` holds (a state, not a duration); AssertionError naming ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what}: not within {seconds:g} s"
        time.sleep(0.01)


def test_a_query_waits_for_a_busy_worker_within_its_own_timeout(seed_copy: str) -> None:
    """While the only worker runs another client's long query, a query with a short timeout is refused at that
    timeout, having waited for a worker; it never waits for the long query. Deterministic: the long query's
    timeout (60 s) is far from the short one's (0.5 s), and the test waits for states, not for durations."""
    store = EmbeddedStore(seed_copy)
    pool = store.start_workers(size=1, reserve=0)
    assert pool is not None
    outcomes: list[BaseException] = []

    def runaway() -> None:
        try:
            store.execute(Job(RUNAWAY, "select", timeout=60, client="greedy"))
        except KGError as e:  # stopped by the pool's close below
            outcomes.append(e)

    thread = threading.Thread(target=runaway)
    try:
        thread.start()
        until(lambda: pool.scheduler.running.get("greedy") == 1 and pool.busy() == 1, "the runaway holds the worker")
        started = time.monotonic()
        with pytest.raises(QueryTimeout, match=r"no query worker became free within the 0.5 s"):
            store.execute(Job(SMALL, "select", timeout=0.5, client="patient"))
        assert time.monotonic() - started < 30  # it did not wait for the runaway's 60 s
        assert pool.kills == 0 and pool.scheduler.waiting() == 0  # nothing killed; it left the queue
    finally:
        store.close()  # kills the busy worker
        thread.join(30)
    assert not thread.is_alive() and len(outcomes) == 1


def test_oversized_body_is_413_naming_the_limit(make_live_server) -> None:  # type: ignore[no-untyped-def]
    server = make_live_server(MAX_BODY=2000, QUERY_WORKERS=0)
    query = "ASK { " + "?s ?p ?o . " * 300 + "}"
    r = requests.post(server.url + "/sparql", data=query, headers={"Content-Type": "application/sparql-query"},
                      timeout=30)
    assert r.status_code == 413 and "2000 bytes" in r.json()["message"] and "KG_MAX_BODY" in r.json()["message"]
    r = requests.post(server.url + "/sparql", data={"query": query}, timeout=30)
    assert r.status_code == 413
    assert requests.post(server.url + "/sparql", data={"query": "ASK {}"}, timeout=30).status_code == 200


def test_settings_from_environment_and_their_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_QUERY_TIMEOUT", "2.5")
    monkeypatch.setenv("KG_UPDATE_TOKEN", "abc")
    settings = load({"MAX_BODY": 10})
    assert settings["QUERY_TIMEOUT"] == 2.5 and settings["UPDATE_TOKEN"] == "abc" and settings["MAX_BODY"] == 10
    monkeypatch.setenv("KG_MAX_CONCURRENT_QUERIES", "many")
    with pytest.raises(BadInput, match="KG_MAX_CONCURRENT_QUERIES must be a number"):
        load()
    monkeypatch.delenv("KG_MAX_CONCURRENT_QUERIES")
    with pytest.raises(BadInput, match="QUERY_TIMEOUT must be at least"):
        load({"QUERY_TIMEOUT": 0})


# -- chunked and unsized bodies, security headers, HEAD (issue 12) ---------------------------------------------------
LIMIT = 5000
CUT_VALID = ("INSERT DATA { GRAPH <http://example.org/cut> { <http://example.org/a> <http://example.org/b> 1 } } #"
             .ljust(3 * LIMIT, "x"))
"""An update that, cut at the limit, would still parse (the rest is a comment) - so a cut body would be applied."""
IN_CUT = "ASK { GRAPH <http://example.org/cut> { ?s ?p ?o } }"


def send_chunked(url: str, body: bytes, *, path: str = "/sparql", token: str = "limits-token",
                 content_type: str = "application/sparql-update") -> tuple[int, bytes]:
    """POST ``body`` with ``Transfer-Encoding: chunked`` over a plain socket; the status and the response body."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        connection.sendall((f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: {content_type}\r\n"
                            f"Authorization: Bearer {token}\r\nTransfer-Encoding: chunked\r\n"
                            "Connection: close\r\n\r\n").encode())
        try:
            for start in range(0, len(body), 1000):
                chunk = body[start:start + 1000]
                connection.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            connection.sendall(b"0\r\n\r\n")
        except OSError:  # the server may answer 413 and close before the whole body is sent
            pass
        answer = b""
        while data := connection.recv(65536):
            answer += data
    head, _, content = answer.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), content


def asks(url: str, sparql: str) -> bool:
    r = requests.get(url + "/sparql", params={"query": sparql}, timeout=30)
    assert r.status_code == 200, r.text
    return bool(r.json()["boolean"])


@pytest.mark.parametrize("wsgi_server", ["gunicorn", "waitress"])
def test_a_chunked_body_over_the_limit_is_413_and_nothing_is_applied(wsgi_server: str, tmp_path: Path) -> None:
    server = KgServe(tmp_path / "store", server=wsgi_server,
                     env={"KG_MAX_BODY": str(LIMIT), "KG_UPDATE_TOKEN": "limits-token"})
    try:
        status, content = send_chunked(server.url, CUT_VALID.encode())
        assert status == 413, content
        assert f"{LIMIT} bytes" in json.loads(content)["message"]
        assert not asks(server.url, IN_CUT)
        # a chunked body within the limit is taken whole
        status, content = send_chunked(server.url, CUT_VALID[:LIMIT].encode())
        assert status == 204, content
        assert asks(server.url, IN_CUT)
        status, content = send_chunked(server.url, b"ASK { ?s ?p ?o }", content_type="application/sparql-query")
        assert status == 200 and json.loads(content)["boolean"] is True
    finally:
        server.stop()


def test_security_headers_are_on_every_response(live_server: object) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    for method, path in [("GET", "/"), ("GET", "/sparql?query=ASK%7B%7D"), ("GET", "/sparql?query=nonsense"),
                         ("GET", "/queries"), ("GET", "/queries/no-such-query"), ("GET", "/.well-known/void"),
                         ("GET", "/static/style.css"), ("DELETE", "/sparql"), ("OPTIONS", "/sparql"),
                         ("GET", "/no/such/page")]:
        r = requests.request(method, base + path, timeout=30, allow_redirects=False)
        assert r.headers.get("Content-Security-Policy") == CONTENT_SECURITY_POLICY, (method, path, r.status_code)
        for name, value in SECURITY_HEADERS.items():
            assert r.headers.get(name) == value, (method, path, name)


def test_head_is_answered_wherever_get_is(live_server: object) -> None:
    app = live_server.app  # type: ignore[attr-defined]
    base = live_server.url  # type: ignore[attr-defined]
    rules = [rule for rule in app.url_map.iter_rules() if "GET" in (rule.methods or ())]
    assert all("HEAD" in (rule.methods or ()) for rule in rules)
    paths = [rule.rule for rule in rules if not rule.arguments and rule.rule != "/store"] + [
        "/store?default", "/store?graph=https://w3id.org/claimgraph/graph/article/nafta-talks-2018",
        "/sparql?query=ASK%7B%7D", "/queries/top-issues", "/queries/top-issues.csv", "/static/style.css"]
    for path in paths:
        get = requests.get(base + path, timeout=30, allow_redirects=False, headers={"Accept": "application/json"})
        head = requests.head(base + path, timeout=30, allow_redirects=False, headers={"Accept": "application/json"})
        assert head.status_code == get.status_code and head.status_code < 400, (path, head.status_code)
        assert head.content == b"" and head.headers.get("Content-Type") == get.headers.get("Content-Type"), path


# -- fairness: per-client limits, the fair queue, reserve workers, snapshots (issue 12) ------------------------------
class FromAddress(requests.adapters.HTTPAdapter):
    """Connect from another loopback address, so the server sees another client."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args: object, **kwargs: object) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)  # type: ignore[arg-type]


def client(address: str) -> requests.Session:
    session = requests.Session()
    session.mount("http://", FromAddress(address))
    return session


def test_another_client_is_answered_while_one_clients_runaways_hold_every_worker(make_live_server,  # type: ignore
                                                                                  seed_copy: str) -> None:
    server = make_live_server(STORE=seed_copy, QUERY_TIMEOUT=6, QUERY_WORKERS=2, CLIENT_QUERIES=3)
    runner = server.app.extensions["claimgraph.runner"]
    greedy, other = client("127.0.0.2"), client("127.0.0.1")
    assert other.get(server.url + "/sparql", params={"query": SMALL}, timeout=30).status_code == 200
    answers: list[requests.Response] = []
    flood = [threading.Thread(target=lambda: answers.append(greedy.get(
        server.url + "/sparql", params={"query": RUNAWAY}, timeout=30))) for _ in range(4)]
    for thread in flood:
        thread.start()
    until(lambda: runner.pool.scheduler.running.get("127.0.0.2", 0) == 2,
          "as many runaways run as KG_QUERY_WORKERS")
    latencies = []
    for _ in range(3):
        started = time.monotonic()
        r = other.get(server.url + "/sparql", params={"query": SMALL}, timeout=30)
        latencies.append(time.monotonic() - started)
        assert r.status_code == 200, r.text  # never refused, never queued behind the runaways
    for thread in flood:
        thread.join()
    assert max(latencies) < 1, latencies
    statuses = sorted(r.status_code for r in answers)
    assert statuses == [503] * 4  # three timed out, the fourth was over the client's limit
    assert sum("KG_CLIENT_QUERIES" in r.json()["message"] for r in answers) == 1


def test_clients_take_turns_for_the_workers() -> None:
    from kg.scheduler import FairScheduler

    scheduler = FairScheduler(size=1, reserve=0)
    deadline = time.monotonic() + 5
    assert scheduler.acquire("a", deadline, 5) == "ordinary"
    order: list[str] = []

    def wait(name: str) -> None:
        kind = scheduler.acquire(name, deadline, 5)
        order.append(name)
        time.sleep(0.01)
        scheduler.release(name, kind)

    waiting = [threading.Thread(target=wait, args=(name,)) for name in ("a", "a", "a", "b")]
    for queued, thread in enumerate(waiting, start=1):
        thread.start()
        until(lambda n=queued: scheduler.waiting() == n, "queued in this order: a, a, a, b")
    scheduler.release("a", "ordinary")
    for thread in waiting:
        thread.join()
    assert order[:2] == ["a", "b"]  # b does not wait behind every query of a
    with pytest.raises(Exception, match="no query worker became free"):
        held = scheduler.acquire("c", time.monotonic() + 5, 5)
        scheduler.acquire("d", time.monotonic() + 0.2, 0.2)
    scheduler.release("c", held)


def test_queries_read_the_previous_snapshot_until_the_new_one_is_open(make_live_server, seed_copy: str) -> None:  # type: ignore
    server = make_live_server(STORE=seed_copy, QUERY_WORKERS=2, UPDATE_TOKEN="limits-token")
    pool = server.app.extensions["claimgraph.runner"].pool
    reader = client("127.0.0.3")
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://example.org/feed> { ?s ?p ?o } }"
    seen: list[tuple[int, int]] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            r = reader.get(server.url + "/sparql", params={"query": count}, timeout=30)
            seen.append((r.status_code, int(r.json()["results"]["bindings"][0]["n"]["value"])
                         if r.status_code == 200 else -1))

    threads = [threading.Thread(target=read) for _ in range(3)]
    for thread in threads:
        thread.start()
    for batch in range(1, 6):
        triples = " ".join(f"<http://example.org/s{batch}-{i}> <http://example.org/p> {i} ." for i in range(2000))
        insert = f"INSERT DATA {{ GRAPH <http://example.org/feed> {{ {triples} }} }}"
        r = requests.post(server.url + "/sparql", data=insert,
                          headers={"Content-Type": "application/sparql-update",
                                   "Authorization": "Bearer limits-token"}, timeout=60)
        assert r.status_code == 204, r.text
        # the writer returns once the new snapshot is open: its own next query sees its update
        assert count_of(server.url, count) == batch * 2000
    stop.set()
    for thread in threads:
        thread.join()
    assert seen and {status for status, _ in seen} == {200}
    assert all(n % 2000 == 0 for _, n in seen)  # each answer from one whole snapshot
    assert pool.published == 5
    assert sorted(p.name for p in pool.checkpoint_root.iterdir() if p.is_dir()) == ["generation-5"]


def count_of(url: str, sparql: str) -> int:
    r = requests.get(url + "/sparql", params={"query": sparql}, timeout=30)
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def test_checkpoints_left_by_a_killed_server_are_removed_on_start(seed_copy: str) -> None:
    parent = Path(seed_copy).parent
    first = KgServe(seed_copy, server="gunicorn")
    requests.get(first.url + "/sparql", params={"query": SMALL}, timeout=30)
    [left] = list(parent.glob(".kg-checkpoints-*"))
    assert any(left.glob("generation-*"))
    first.kill()  # kill -9: no atexit, the folder stays
    assert left.is_dir()
    second = KgServe(seed_copy, server="gunicorn")
    try:
        assert not left.exists()
        [current] = list(parent.glob(".kg-checkpoints-*"))
        assert _alive(json.loads((current / "owner").read_text())["pid"])  # the new server's
    finally:
        second.stop()
    assert list(parent.glob(".kg-checkpoints-*")) == []  # a clean stop removes its own


def test_another_running_servers_checkpoints_are_kept(make_live_server, tmp_path: Path) -> None:  # type: ignore
    other = tmp_path / ".kg-checkpoints-other"
    other.mkdir()
    (other / "owner").write_text(json.dumps({"pid": os.getpid(), "store": str(tmp_path / "elsewhere")}))
    make_live_server(QUERY_WORKERS=1)
    assert other.is_dir()
