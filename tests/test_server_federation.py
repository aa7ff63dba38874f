"""SSRF: the server calls only allowed, public SERVICE and LOAD endpoints (server.federation).

Every refusal is checked against a real listener on loopback that must receive nothing, through a real server.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from kg.errors import BadInput
from server.federation import FederationPolicy, ServiceRefused, is_public, targets
from tests.conftest import copy_store
from tests.http_stub import QuietHandler, serve

TOKEN = "federation-token"
SECRET = b"internal-secret: the answer of a private service"


class Listener:
    """A real HTTP server on loopback that records every request; ``/redirect`` answers 302 to ``redirect_to``,
    anything else 500 with a secret body."""

    def __init__(self, redirect_to: str = "") -> None:
        self.requests: list[tuple[str, str, bytes]] = []
        owner = self

        class Handler(QuietHandler):
            def _record(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                owner.requests.append((self.command, self.path, self.rfile.read(length)))
                if self.path.startswith("/redirect"):
                    self.send_body(302, b"", headers={"Location": redirect_to})
                else:
                    self.send_body(500, SECRET, "text/plain")

            do_GET = do_POST = _record  # noqa: N815

        self.server, sparql_url = serve(Handler)
        self.base = sparql_url.removesuffix("/sparql")

    def stop(self) -> None:
        self.server.shutdown()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.stop()


def query(server: object, sparql: str) -> requests.Response:
    return requests.post(server.url + "/sparql", data={"query": sparql}, timeout=30)  # type: ignore[attr-defined]


# -- the parser and the policy on hand-built inputs ----------------------------------------------------------------
def test_targets_are_found_wherever_the_keyword_is() -> None:
    found = targets("""BASE <http://base.example/dir/>
        SELECT * { { SELECT * { service <rel> {} } } FILTER EXISTS { SERVICE SILENT ?v {} }
                   ?s <http://p> "SERVICE <http://in-a-string/>" # SERVICE <http://in-a-comment/>
                   ?s ex:SERVICE ?o . ?SERVICE ?p ?o . SERVICE <http://\\u0031\\u0032\\u0037.0.0.1/> {}
                   SERVICE wd:sparql {} }""")
    assert [(t.url, t.written) for t in found] == [
        ("http://base.example/dir/rel", "<rel>"), (None, "?v"), ("http://127.0.0.1/", "<http://\\u0031\\u0032\\u00"
                                                                   "37.0.0.1/>"), (None, "wd")]


def test_nested_services_inside_an_allowed_group_are_the_remote_endpoints_business() -> None:
    sparql = ("SELECT * { SERVICE <https://query.wikidata.org/sparql> { ?i ?p ?o "
              "SERVICE wikibase:label { bd:serviceParam wikibase:language 'en' } } }")
    assert FederationPolicy(resolver=lambda *_: ["208.80.154.224"]).check(sparql) == \
        ("https://query.wikidata.org/sparql",)


def test_load_is_a_target_too() -> None:
    assert [t.url for t in targets("LOAD SILENT <http://x.example/data.ttl> INTO GRAPH <http://g>")] == \
        ["http://x.example/data.ttl"]


@pytest.mark.parametrize(("url", "addresses", "reason"), [
    ("https://evil.example/sparql", ["93.184.216.34"], "not on the allow-list"),
    ("https://query.wikidata.org/sparql/x", ["93.184.216.34"], "not on the allow-list"),
    ("https://user@query.wikidata.org/sparql", ["93.184.216.34"], "credentials"),
    ("file:///etc/passwd", [], "only http"),
    ("https://query.wikidata.org/sparql", ["10.0.0.7"], "private"),
    ("https://query.wikidata.org/sparql", ["93.184.216.34", "127.0.0.1"], "127.0.0.1"),
    ("https://query.wikidata.org/sparql", ["169.254.169.254"], "169.254.169.254"),
    ("https://query.wikidata.org/sparql", ["::ffff:192.168.1.1"], "private"),
])
def test_refusals_name_the_endpoint_and_the_reason(url: str, addresses: list[str], reason: str) -> None:
    policy = FederationPolicy(resolver=lambda *_: addresses)
    with pytest.raises(ServiceRefused, match=reason) as refused:
        policy.check_url(url)
    assert url in str(refused.value) and refused.value.status == 400


def test_allow_list_entries() -> None:
    public = FederationPolicy.from_setting("https://a.example/sparql, https://b.example/", allow_private=False)
    assert public.listed("https://a.example/sparql") and public.listed("https://A.example:443/sparql")
    assert not public.listed("http://a.example/sparql") and not public.listed("https://a.example/sparql2")
    assert public.listed("https://b.example/any/path")
    assert FederationPolicy.from_setting("none").allow == ()
    assert FederationPolicy.from_setting("*").listed("https://anything.example/")
    assert FederationPolicy.from_setting(None).allow == ("https://query.wikidata.org/sparql",
                                                         "https://dbpedia.org/sparql")
    with pytest.raises(BadInput, match="KG_SERVICE_ALLOW"):
        FederationPolicy.from_setting("query.wikidata.org")
    assert not is_public("100.64.0.1") and not is_public("224.0.0.1") and is_public("8.8.8.8")


# -- through a real server -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <{base}/internal-secret> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE SILENT <{base}/silent> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ VALUES ?e {{ <{base}/variable> }} SERVICE ?e {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND(<{base}/lateral> AS ?e) LATERAL {{ SERVICE ?e {{ ?s ?p ?o }} }} }}",
    "PREFIX x: <{base}/> SELECT * WHERE {{ SERVICE x:prefixed {{ ?s ?p ?o }} }}",
    "BASE <{base}/> SELECT * WHERE {{ SERVICE <relative> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE <{escaped}/escaped> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE <{localhost}/by-name> {{ ?s ?p ?o }} }}",
    "ASK {{ FILTER EXISTS {{ SERVICE <{base}/exists> {{ ?s ?p ?o }} }} }}",
])
def test_a_refused_service_is_400_and_the_listener_receives_nothing(live_server: object, listener: Listener,
                                                                    template: str) -> None:
    escaped = "".join(f"\\u{ord(c):04x}" for c in listener.base)
    sparql = template.format(base=listener.base, escaped=escaped,
                             localhost=listener.base.replace("127.0.0.1", "localhost"))
    r = query(live_server, sparql)
    assert r.status_code == 400, r.text
    assert r.json()["error"] == "ServiceRefused" and "refused" in r.json()["message"]
    assert listener.requests == []


def test_the_wikidata_queries_endpoint_parameter_is_checked(live_server: object, listener: Listener) -> None:
    for name, params in (("wikidata-official", {"item": "http://www.wikidata.org/entity/Q22686"}),
                         ("wikidata-country", {})):
        r = requests.get(live_server.url + f"/queries/{name}.json",  # type: ignore[attr-defined]
                         params={**params, "endpoint": listener.base + "/sparql"}, timeout=30)
        assert r.status_code == 400 and listener.base + "/sparql" in r.json()["message"], r.text
        # the server itself is no endpoint either
        r = requests.get(live_server.url + f"/queries/{name}.json",  # type: ignore[attr-defined]
                         params={**params, "endpoint": live_server.url + "/sparql"}, timeout=30)  # type: ignore
        assert r.status_code == 400, r.text
    assert listener.requests == []


def test_a_listed_loopback_endpoint_is_still_refused(make_live_server, listener: Listener) -> None:  # type: ignore
    server = make_live_server(SERVICE_ALLOW=listener.base + "/", QUERY_WORKERS=1)
    r = query(server, f"SELECT * WHERE {{ SERVICE <{listener.base}/listed> {{ ?s ?p ?o }} }}")
    assert r.status_code == 400 and "127.0.0.1" in r.json()["message"], r.text
    assert listener.requests == []


def test_load_is_refused_and_nothing_is_written(make_live_server, seed_store_path: Path, tmp_path: Path,  # type: ignore
                                                listener: Listener) -> None:
    server = make_live_server(STORE=str(copy_store(seed_store_path, tmp_path / "copy")), UPDATE_TOKEN=TOKEN)
    before = query(server, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }").json()
    r = requests.post(server.url + "/sparql", data=f"INSERT DATA {{ <http://a> <http://b> 1 }} ; "
                      f"LOAD <{listener.base}/data.ttl>".encode(),
                      headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
                      timeout=30)
    assert r.status_code == 400 and f"LOAD <{listener.base}/data.ttl> refused" in r.json()["message"], r.text
    assert query(server, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }").json() == before
    assert listener.requests == []


def test_an_allowed_endpoints_error_body_is_never_echoed(make_live_server, listener: Listener) -> None:  # type: ignore
    server = make_live_server(SERVICE_ALLOW=listener.base + "/", SERVICE_ALLOW_PRIVATE=True, QUERY_WORKERS=1)
    r = query(server, f"SELECT * WHERE {{ SERVICE <{listener.base}/failing> {{ ?s ?p ?o }} }}")
    assert r.status_code == 502, r.text
    assert "HTTP 500" in r.json()["message"] and "secret" not in r.text
    assert [path for _, path, _ in listener.requests] == ["/failing"]


def test_redirects_and_nested_services_reach_nothing_else(make_live_server, listener: Listener) -> None:  # type: ignore
    inner = Listener()
    redirecting = Listener(redirect_to=inner.base + "/secret")
    try:
        server = make_live_server(SERVICE_ALLOW=redirecting.base + "/", SERVICE_ALLOW_PRIVATE=True,
                                  QUERY_WORKERS=1)
        r = query(server, f"SELECT * WHERE {{ SERVICE <{redirecting.base}/redirect> {{ ?s ?p ?o }} }}")
        assert r.status_code == 502 and "redirect" in r.json()["message"], r.text
        assert inner.base not in r.text
        r = query(server, f"SELECT * WHERE {{ SERVICE <{redirecting.base}/outer> {{ ?s ?p ?o "
                          f"SERVICE <{inner.base}/nested> {{ ?s ?p ?o }} }} }}")
        assert r.status_code == 502, r.text
        assert [path for _, path, _ in redirecting.requests] == ["/redirect", "/outer"]
        assert inner.requests == []
    finally:
        inner.stop()
        redirecting.stop()
