"""The endpoint client of `kg link` against a real HTTP server on loopback that fails on purpose."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.errors import KGError
from kg.linking.endpoint import EndpointUnavailable, NotCached, SparqlClient
from tests.http_stub import QuietHandler, serve

ANSWER = {"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": "ok"}}]}}


class Flaky:
    """A SPARQL endpoint that answers each request with the next planned status (200 once the plan is used up)."""

    def __init__(self, plan: list[int]) -> None:
        self.plan = plan
        self.seen: list[dict[str, str]] = []
        owner = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:  # noqa: N802
                owner.seen.append({"path": self.path, **{k.lower(): v for k, v in self.headers.items()}})
                status = owner.plan.pop(0) if owner.plan else 200
                body = json.dumps(ANSWER).encode() if status == 200 else b"nope"
                self.send_body(status, body, headers={"Retry-After": "7"} if status == 429 else None)

        self.server, self.url = serve(Handler)


@pytest.fixture
def flaky() -> Iterator[Flaky]:
    server = Flaky([])
    yield server
    server.server.shutdown()


def client(url: str, cache: Path, waits: list[float], **kw: object) -> SparqlClient:
    return SparqlClient(url, cache_dir=cache, sleep=waits.append, **kw)  # type: ignore[arg-type]


def test_retries_with_backoff_and_honours_retry_after(flaky: Flaky, tmp_path: Path) -> None:
    flaky.plan = [503, 429]
    waits: list[float] = []
    c = client(flaky.url, tmp_path, waits)
    assert c.select("SELECT ?x WHERE {}")[0]["x"]["value"] == "ok"
    assert c.requests == 3
    assert waits == [0.5, 7.0]  # exponential backoff, then the server's Retry-After
    ua = flaky.seen[0]["user-agent"]
    assert ua.startswith("claimgraph/") and "(" in ua
    assert "format=" not in flaky.seen[0]["path"]  # plain SPARQL protocol, no SPARQLWrapper extras


def test_a_rerun_is_answered_from_the_cache(flaky: Flaky, tmp_path: Path) -> None:
    waits: list[float] = []
    first = client(flaky.url, tmp_path, waits).select("SELECT ?x WHERE {}")
    again = client(flaky.url, tmp_path, waits, offline=True)
    assert again.select("SELECT ?x WHERE {}") == first
    assert (again.requests, again.cache_hits, len(flaky.seen)) == (0, 1, 1)
    with pytest.raises(NotCached):
        again.select("SELECT ?y WHERE {}")


def test_a_rejected_query_is_not_retried(flaky: Flaky, tmp_path: Path) -> None:
    flaky.plan = [400]
    c = client(flaky.url, tmp_path, [])
    with pytest.raises(KGError, match="refused the query"):
        c.select("SELECT ?x WHERE {}")
    assert c.requests == 1


def test_gives_up_after_the_attempts_and_stays_down(flaky: Flaky, tmp_path: Path) -> None:
    flaky.plan = [503, 503, 503, 200]
    waits: list[float] = []
    c = client(flaky.url, tmp_path, waits, attempts=3)
    with pytest.raises(EndpointUnavailable, match="503"):
        c.select("SELECT ?x WHERE {}")
    with pytest.raises(EndpointUnavailable):  # no more requests once the endpoint is known to be down
        c.select("SELECT ?z WHERE {}")
    assert c.requests == 3 and waits == [0.5, 1.0]


def test_rejects_an_endpoint_that_is_not_http(tmp_path: Path) -> None:
    with pytest.raises(KGError, match="http"):
        SparqlClient("ftp://example.org/sparql", cache_dir=tmp_path)
