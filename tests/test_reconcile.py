"""``/reconcile`` (W3C Entity Reconciliation API 0.2) over a live server: the manifest and every answer validate
against the specification's JSON schemas, read from ../shared/reconciliation/0.2 (skipped where absent), and a
request sequence as OpenRefine sends it (manifest, form-encoded batches, suggest, preview) gets the right entities.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import requests

ID = "https://w3id.org/claimgraph/id/"


@pytest.fixture(scope="module")
def schemas(shared_dir: Path) -> Any:
    jsonschema = pytest.importorskip("jsonschema")
    from referencing import Registry
    from referencing.jsonschema import DRAFT7

    folder = shared_dir / "reconciliation" / "0.2" / "schemas"
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent: the reconciliation schemas are not there to validate against")
    loaded = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json") if p.stem != "openapi"}
    registry = Registry().with_resources((s["$id"], DRAFT7.create_resource(s)) for s in loaded.values())

    def validate(name: str, document: Any) -> None:
        jsonschema.Draft7Validator(loaded[name], registry=registry).validate(document)
    return validate


def post_queries(server: Any, queries: dict[str, Any]) -> requests.Response:
    """A batch as OpenRefine sends it: POST, form-encoded, the batch as JSON in ``queries``."""
    return requests.post(server.url + "/reconcile", data={"queries": json.dumps(queries)}, timeout=60,
                         headers={"Accept": "application/json", "User-Agent": "OpenRefine/3.8 Java/17"})


def test_schemas_reject_what_they_should(schemas: Any) -> None:
    """The validation is real: the specification's own invalid examples fail it."""
    import jsonschema
    with pytest.raises(jsonschema.ValidationError):
        schemas("manifest", {"versions": ["0.2"], "name": "x"})  # no identifierSpace, schemaSpace
    with pytest.raises(jsonschema.ValidationError):
        schemas("reconciliation-result-batch", {"q0": {"result": [{"id": "x", "name": "y", "score": "high"}]}})


def test_the_manifest_validates_and_describes_the_service(live_server: Any, schemas: Any) -> None:
    response = requests.get(live_server.url + "/reconcile", timeout=30)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/json")
    manifest = response.json()
    schemas("manifest", manifest)
    assert manifest["versions"] == ["0.2"] and manifest["identifierSpace"] == ID
    assert {t["id"] for t in manifest["defaultTypes"]} == {"person", "organisation", "country"}
    assert manifest["view"]["url"] == live_server.url + "/id/{{id}}"
    jsonp = requests.get(live_server.url + "/reconcile", params={"callback": "cb"}, timeout=30)
    assert jsonp.text.startswith("cb({") and jsonp.text.endswith("})")


def test_an_openrefine_session(live_server: Any, schemas: Any) -> None:
    """What OpenRefine does when a column of names is reconciled: manifest, then batches of ten, with types and a
    country property, then suggest and preview for the user's corrections."""
    assert requests.get(live_server.url + "/reconcile", timeout=30).json()["name"]
    batch = {
        "q0": {"query": "Robert Lighthizer", "type": "person", "type_strict": "should"},
        "q1": {"query": "lighthiser", "type": "person", "type_strict": "should"},
        "q2": {"query": "Chrystia Freeland", "type": "person", "properties": [{"pid": "country", "v": "Canada"}]},
        "q3": {"query": "Freeland", "properties": [{"pid": "country", "v": "US"}]},
        "q4": {"query": "Canda", "type": "country"},
        "q5": {"query": "Government of Canada", "type": "organisation", "limit": 3},
        "q6": {"query": "Wilbur Ross"},
        "q7": {"query": "zzqqxv"},
        "q8": {"query": ""},
        "q9": {"query": "Trump", "type": ["person"], "properties": [{"pid": "country", "v": {"id": "country/US"}}]},
    }
    schemas("reconciliation-query-batch", batch)
    response = post_queries(live_server, batch)
    assert response.status_code == 200, response.text
    answer = response.json()
    schemas("reconciliation-result-batch", answer)
    assert set(answer) == set(batch)
    first = {k: (v["result"][0] if v["result"] else None) for k, v in answer.items()}
    assert first["q0"]["id"] == "person/robert-lighthizer" and first["q0"]["match"] is True
    assert first["q0"]["score"] == 100.0
    assert first["q1"]["id"] == "person/robert-lighthizer" and first["q1"]["score"] < 100
    assert first["q2"]["id"] == "person/chrystia-freeland"
    assert all(c["id"] != "person/chrystia-freeland" for c in answer["q3"]["result"])  # she acts for Canada
    assert first["q4"]["id"] == "country/CA"
    assert first["q5"]["id"] == "org/government-of-canada" and len(answer["q5"]["result"]) <= 3
    assert first["q6"]["id"] == "person/wilbur-ross"
    assert answer["q7"]["result"] == [] and answer["q8"]["result"] == []
    assert first["q9"]["id"] == "person/donald-trump"
    for result in answer.values():
        scores = [c["score"] for c in result["result"]]
        assert scores == sorted(scores, reverse=True)
        assert sum(c["match"] for c in result["result"]) <= 1


def test_suggest_and_preview(live_server: Any, schemas: Any) -> None:
    entities = requests.get(live_server.url + "/reconcile/suggest/entity", params={"prefix": "lighth"}, timeout=30)
    schemas("suggest-entities-response", entities.json())
    assert entities.json()["result"][0]["id"] == "person/robert-lighthizer"
    types = requests.get(live_server.url + "/reconcile/suggest/type", params={"prefix": "co"}, timeout=30).json()
    schemas("suggest-types-response", types)
    assert [t["id"] for t in types["result"]] == ["country"]
    props = requests.get(live_server.url + "/reconcile/suggest/property", params={"prefix": "c"}, timeout=30)
    schemas("suggest-properties-response", props.json())
    card = requests.get(live_server.url + "/reconcile/preview", params={"id": "person/robert-lighthizer"}, timeout=30)
    assert card.status_code == 200 and "Robert Lighthizer" in card.text
    assert "frame-ancestors *" in card.headers["Content-Security-Policy"]  # OpenRefine shows it in an iframe
    assert requests.get(live_server.url + "/reconcile/preview", params={"id": "person/nobody"},
                        timeout=30).status_code == 404


@pytest.mark.parametrize(("queries", "message"), [
    ("{not json", "queries is not JSON"),
    ("[1, 2]", "queries must be a JSON object"),
    ('{"q0": {"query": "x", "type": "planet"}}', "unknown type 'planet'"),
    ('{"q0": {"query": "x", "properties": [{"pid": "party", "v": "x"}]}}', "unknown property 'party'"),
    ('{"q0": {"query": "x", "limit": 0}}', "limit must be a positive number"),
    ('{"q0": "Lighthizer"}', "must be an object with a text 'query'"),
])
def test_bad_batches_are_400_naming_the_problem(live_server: Any, queries: str, message: str) -> None:
    response = requests.post(live_server.url + "/reconcile", data={"queries": queries}, timeout=30,
                             headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert message in response.json()["message"]


def test_a_bad_jsonp_callback_is_refused(live_server: Any) -> None:
    response = requests.get(live_server.url + "/reconcile", params={"callback": "alert(1)//"}, timeout=30,
                            headers={"Accept": "application/json"})
    assert response.status_code == 400
