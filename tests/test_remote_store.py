"""A remote store against real slow and failing HTTP endpoints on loopback: a query is sent once, cancelled at the
deadline and reported as a timeout; only a connection that never opened is tried again."""

from __future__ import annotations

import select
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.server import ThreadingHTTPServer

import pytest
import requests

from kg.errors import BadQuery, StoreError, StoreTimeout
from kg.remote_store import RemoteStore, _default_update_url
from tests.conftest import free_port
from tests.http_stub import QuietHandler, serve

EMPTY_RESULTS = b'{"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", "value": "7"}}]}}'


class Endpoint:
    """What a stub endpoint saw: requests received, and whether a client hung up while it was still working."""

    def __init__(self) -> None:
        self.requests = 0
        self.hung_up = threading.Event()
        self.headers: list[dict[str, str]] = []
        self.paths: list[str] = []
        self.bodies: list[str] = []


def stub(behaviour: str, seen: Endpoint) -> type[QuietHandler]:
    class Handler(QuietHandler):
        def do_POST(self) -> None:  # noqa: N802
            seen.requests += 1
            seen.headers.append(dict(self.headers))
            seen.paths.append(self.path)
            seen.bodies.append(urllib.parse.unquote_plus(
                self.rfile.read(int(self.headers.get("Content-Length", 0))).decode("utf-8", "replace")))
            if behaviour == "sleep":  # compute "forever"; notice the client closing the connection
                ready, _, _ = select.select([self.connection], [], [], 10)
                if ready and not self.connection.recv(1, 0):
                    seen.hung_up.set()
                return
            if behaviour == "trickle":  # an answer that never ends, one byte at a time
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.end_headers()
                try:
                    for _ in range(100):
                        self.wfile.write(b" ")
                        self.wfile.flush()
                        time.sleep(0.1)
                except OSError:
                    seen.hung_up.set()
                return
            if behaviour == "anytime":  # Virtuoso's answer of a query stopped at its time limit: 200 and a state
                self.send_body(200, EMPTY_RESULTS, headers={
                    "X-SQL-State": "S1TAT",
                    "X-SQL-Message": "RC...: Returning incomplete results, query interrupted by result timeout."})
                return
            if behaviour == "partial":
                self.send_body(206, EMPTY_RESULTS)
                return
            status = {"fail": 500, "busy": 503, "bad": 400}.get(behaviour, 200)
            self.send_body(status, EMPTY_RESULTS if status == 200 else b"no")

    return Handler


@pytest.fixture
def endpoint(request: pytest.FixtureRequest) -> Iterator[tuple[Endpoint, str]]:
    seen = Endpoint()
    server, url = serve(stub(request.param, seen))
    yield seen, url
    server.shutdown()


@pytest.mark.parametrize("endpoint", ["sleep", "trickle"], indirect=True)
def test_a_slow_query_is_sent_once_and_cancelled_at_the_deadline(endpoint: tuple[Endpoint, str]) -> None:
    seen, url = endpoint
    with pytest.raises(StoreTimeout, match=r"within 0.5 s \(KG_REMOTE_TIMEOUT\)"):
        RemoteStore(url, timeout=0.5).count()
    assert seen.hung_up.wait(5), "the connection was not closed at the deadline"
    assert seen.requests == 1


@pytest.mark.parametrize(("endpoint", "error"), [("fail", StoreError), ("busy", StoreError), ("bad", BadQuery)],
                         indirect=["endpoint"])
def test_an_http_error_answer_is_not_retried(endpoint: tuple[Endpoint, str], error: type[Exception]) -> None:
    seen, url = endpoint
    with pytest.raises(error):
        RemoteStore(url, timeout=5).count()
    assert seen.requests == 1


@pytest.mark.parametrize(("endpoint", "why"), [("anytime", "S1TAT"), ("partial", "206")], indirect=["endpoint"])
def test_a_partial_answer_is_an_error_never_a_short_result(endpoint: tuple[Endpoint, str], why: str) -> None:
    seen, url = endpoint
    with pytest.raises(StoreTimeout, match=f"only part of the result.*{why}"):
        RemoteStore(url, timeout=5).count()
    assert seen.requests == 1


@pytest.mark.parametrize("endpoint", ["ok"], indirect=True)
def test_a_whole_answer_is_read(endpoint: tuple[Endpoint, str]) -> None:
    _, url = endpoint
    assert RemoteStore(url, timeout=5).count() == 7


@pytest.mark.parametrize("endpoint", ["sleep"], indirect=True)
def test_a_timed_out_update_says_it_may_have_been_applied(endpoint: tuple[Endpoint, str]) -> None:
    seen, url = endpoint
    with pytest.raises(StoreTimeout, match="may or may not have been applied"):
        RemoteStore(url, timeout=0.5).update("CLEAR SILENT GRAPH <http://example.org/g>")
    assert seen.requests == 1


def test_a_refused_connection_is_tried_again_until_the_endpoint_is_up() -> None:
    port = free_port()
    seen = Endpoint()
    started: list[ThreadingHTTPServer] = []

    def start_late() -> None:
        time.sleep(0.3)  # after the first attempt was refused, before the last one
        server = ThreadingHTTPServer(("127.0.0.1", port), stub("ok", seen))
        started.append(server)
        server.serve_forever()

    threading.Thread(target=start_late, daemon=True).start()
    try:
        assert RemoteStore(f"http://127.0.0.1:{port}/sparql", timeout=10).count() == 7
        assert seen.requests == 1
    finally:
        if started:
            started[0].shutdown()


def test_an_endpoint_that_never_listens_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match="cannot reach the SPARQL endpoint"):
        RemoteStore(f"http://127.0.0.1:{free_port()}/sparql", timeout=5).count()


@pytest.mark.parametrize("endpoint", ["ok"], indirect=True)
def test_updates_carry_the_bearer_token_and_queries_do_not(endpoint: tuple[Endpoint, str]) -> None:
    seen, url = endpoint
    store = RemoteStore(url, token="s3cret")
    store.update("CLEAR SILENT GRAPH <http://example.org/g>")
    store.count()
    assert seen.headers[0]["Authorization"] == "Bearer s3cret"
    assert "Authorization" not in seen.headers[1]
    assert seen.paths[0] == "/sparql"  # a kg serve endpoint takes updates at its own URL


def test_the_update_url_of_a_query_endpoint() -> None:
    assert _default_update_url("http://h:7878/query") == "http://h:7878/update"
    assert _default_update_url("http://h:7878/query/") == "http://h:7878/update"
    assert _default_update_url("http://h:8000/sparql") == "http://h:8000/sparql"
    assert _default_update_url("http://h:3030/ds/sparql/") == "http://h:3030/ds/sparql/"


@pytest.mark.parametrize("endpoint", ["sleep"], indirect=True)
def test_kg_serve_over_a_slow_remote_store_answers_503(endpoint: tuple[Endpoint, str], make_live_server) -> None:  # type: ignore[no-untyped-def]
    seen, url = endpoint
    server = make_live_server(STORE=url, QUERY_TIMEOUT=0.5)
    query = "SELECT * WHERE { ?s ?p ?o }"
    answer = requests.get(server.url + "/sparql", params={"query": query}, timeout=30)
    assert answer.status_code == 503
    # sent once, not retried (the server's own start-up requests to the store may land at any time under load)
    assert sum(query in body for body in seen.bodies) == 1
