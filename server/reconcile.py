"""``/reconcile``: the W3C Entity Reconciliation API, version 0.2 (what OpenRefine speaks), over the search index.

* ``GET /reconcile`` — the service manifest (JSON; JSONP with ``callback``).
* ``GET|POST /reconcile`` with ``queries`` (a JSON batch, in the query string or form-encoded as OpenRefine sends
  it) — candidates for each query: people, organisations and countries by name (typos and aliases allowed, as
  the search box), restricted by ``type`` and by the ``country`` property (a country name, ISO code or id), each
  with a score 0..100, ``match`` when one candidate is certain, its types and a description.
* ``GET /reconcile/preview?id=...`` — a small HTML card of an entity for OpenRefine's preview pop-up.
* ``GET /reconcile/suggest/entity|type|property?prefix=...`` — autocomplete for OpenRefine's inputs.

Entity ids are the paths under ``https://w3id.org/claimgraph/id/`` (``person/robert-lighthizer``), so the
identifier space is that namespace and ``view`` links each id to its page here.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request

from kg import __version__
from kg.errors import BadInput
from kg.search import ID_BASE, Entity, SearchIndex, words
from server.search import search_index

blueprint = Blueprint("reconcile", __name__, template_folder="templates")

TYPES = {"person": "Person", "organisation": "Organisation", "country": "Country"}
"""Reconciliation type id -> name; each is an entity kind of the search index."""
TYPE_ALIASES = {"organization": "organisation", "cg:Person": "person", "cg:Official": "person",
                "cg:Organization": "organisation", "cg:GovernmentBody": "organisation", "cg:Country": "country"}
PROPERTIES = {"country": "Country (the country the entity acts for, or is)"}
MAX_QUERIES = 500
MAX_LIMIT = 100
DEFAULT_LIMIT = 5
MATCH_SCORE = 95.0
MATCH_MARGIN = 10.0
_CALLBACK = re.compile(r"[A-Za-z_$][\w$.]*")


def _root() -> str:
    return request.url_root.rstrip("/")


def manifest() -> dict[str, Any]:
    """The service manifest: name, spaces, types, view, preview and suggest services."""
    root = _root()
    return {
        "versions": ["0.2"],
        "name": "claimgraph: people, organisations and countries in trade news",
        "identifierSpace": ID_BASE,
        "schemaSpace": "https://w3id.org/claimgraph/ontology#",
        "documentation": f"{root}/queries",
        "serviceVersion": __version__,
        "defaultTypes": [{"id": k, "name": v} for k, v in TYPES.items()],
        "view": {"url": f"{root}/id/{{{{id}}}}"},
        "preview": {"url": f"{root}/reconcile/preview?id={{{{id}}}}", "width": 420, "height": 140},
        "suggest": {
            "entity": {"service_url": root, "service_path": "/reconcile/suggest/entity"},
            "type": {"service_url": root, "service_path": "/reconcile/suggest/type"},
            "property": {"service_url": root, "service_path": "/reconcile/suggest/property"},
        },
    }


def _answer(payload: Any) -> Response:
    callback = request.values.get("callback")
    if callback:
        if not _CALLBACK.fullmatch(callback):
            raise BadInput(f"callback={callback!r} is not a JavaScript function name")
        response = Response(f"{callback}({json.dumps(payload)})", mimetype="application/javascript")
    else:
        response = jsonify(payload)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@blueprint.route("/reconcile", methods=["GET", "POST"])
def reconcile() -> Response:
    """The manifest without ``queries``; with them, the answers of the batch."""
    raw = request.values.get("queries")
    if raw is None:
        return _answer(manifest())
    try:
        batch = json.loads(raw)
    except json.JSONDecodeError as e:
        raise BadInput(f"queries is not JSON: {e}") from None
    if not isinstance(batch, dict):
        raise BadInput("queries must be a JSON object of query ids to queries, such as "
                       '{"q0": {"query": "Lighthizer", "type": "person"}}')
    if len(batch) > MAX_QUERIES:
        raise BadInput(f"queries holds {len(batch)} queries; at most {MAX_QUERIES} at once")
    index = search_index()
    return _answer({key: {"result": candidates(index, key, query)} for key, query in batch.items()})


def _types(key: str, query: dict[str, Any]) -> list[str]:
    given = query.get("type")
    if given is None:
        return list(TYPES)
    listed: list[str] = [given] if isinstance(given, str) else given  # checked next
    if not isinstance(listed, list) or not all(isinstance(t, str) for t in listed):
        raise BadInput(f"query {key!r}: type is a type id or a list of them")
    out = []
    for t in listed:
        t = TYPE_ALIASES.get(t, t).removeprefix("https://w3id.org/claimgraph/ontology#").lower()
        t = TYPE_ALIASES.get(t, t)
        if t not in TYPES:
            raise BadInput(f"query {key!r}: unknown type {given!r}; this service knows {', '.join(TYPES)}")
        out.append(t)
    return out


def _country(index: SearchIndex, key: str, value: Any) -> list[str]:
    """Country IRIs a ``country`` property value names: an id, an IRI, an ISO code or a name."""
    values = value if isinstance(value, list) else [value]
    out: list[str] = []
    for v in values:
        if isinstance(v, dict):
            v = v.get("id") or v.get("name")
        if not isinstance(v, str) or not v.strip():
            raise BadInput(f"query {key!r}: the country property needs a name, code or id, not {v!r}")
        v = v.strip()
        iri = v if v.startswith(ID_BASE) else ID_BASE + v if v.startswith("country/") else None
        if iri is None and re.fullmatch(r"[A-Za-z]{2}", v):
            iri = ID_BASE + "country/" + v.upper()
        if iri and index.entity(iri):
            out.append(iri)
            continue
        found = index.entities(v, kinds=["country"], limit=1, min_score=0.8)
        out += [found[0].iri] if found else []
    return out


def candidates(index: SearchIndex, key: str, query: Any) -> list[dict[str, Any]]:
    """The candidates of one query, best first."""
    if not isinstance(query, dict) or not isinstance(query.get("query", ""), str):
        raise BadInput(f"query {key!r} must be an object with a text 'query'")
    text = query.get("query", "")
    limit = query.get("limit", DEFAULT_LIMIT)
    if not isinstance(limit, int | float) or limit < 1:
        raise BadInput(f"query {key!r}: limit must be a positive number, not {limit!r}")
    countries = None
    for prop in query.get("properties") or []:
        if not isinstance(prop, dict) or "pid" not in prop or "v" not in prop:
            raise BadInput(f"query {key!r}: each property is {{\"pid\": ..., \"v\": ...}}")
        if prop["pid"] not in PROPERTIES:
            raise BadInput(f"query {key!r}: unknown property {prop['pid']!r}; this service knows "
                           f"{', '.join(PROPERTIES)}")
        countries = (countries or []) + _country(index, key, prop["v"])
    types = _types(key, query)
    if countries is not None and not countries:
        return []  # the country named matches no country: nothing can act for it
    found = index.entities(text, kinds=types, limit=min(int(limit), MAX_LIMIT), countries=countries,
                           min_score=0.6) if words(text) else []
    out = [_candidate(index, e) for e in found]
    if out and out[0]["score"] >= MATCH_SCORE and (len(out) == 1 or out[0]["score"] - out[1]["score"] >= MATCH_MARGIN):
        out[0]["match"] = True
    return out


def _describe(index: SearchIndex, e: Entity) -> str:
    countries = [index.label(c) or c.rsplit("/", 1)[-1] for c in index.countries_of(e.iri)]
    parts = [TYPES.get(e.kind, e.kind)]
    if countries:
        parts.append("of " + ", ".join(countries))
    parts.append(f"{e.claims} claim{'s' if e.claims != 1 else ''}")
    return ", ".join(parts)


def _candidate(index: SearchIndex, e: Entity) -> dict[str, Any]:
    return {"id": e.iri.removeprefix(ID_BASE), "name": e.label, "description": _describe(index, e),
            "score": round(e.score * 100, 1), "match": False,
            "type": [{"id": e.kind, "name": TYPES.get(e.kind, e.kind)}],
            "features": [{"id": "name_similarity", "value": round(e.score, 3)},
                         {"id": "claims", "value": e.claims}]}


@blueprint.get("/reconcile/preview")
def preview() -> Response:
    """A card of one entity, for an iframe in OpenRefine: label, kind, country, aliases, claim count."""
    ident = (request.args.get("id") or "").strip()
    if not ident:  # like /sparql without a query: say how to use it
        response = Response(render_template("reconcile_preview.html", e=None, root=_root()), mimetype="text/html")
        response.headers["Content-Security-Policy"] = "default-src 'self'; style-src 'self'; frame-ancestors *"
        return response
    index = search_index()
    entity = index.entity(ident if ident.startswith(ID_BASE) else ID_BASE + ident)
    if entity is None:
        from kg.errors import NotFound
        raise NotFound(f"no entity {ident!r} in this dataset")
    page = f"{_root()}/id/{entity.iri.removeprefix(ID_BASE)}"
    html = render_template("reconcile_preview.html", e=entity, description=_describe(index, entity),
                           aliases=index.aliases(entity.iri)[:6], page=page)
    response = Response(html, mimetype="text/html")
    # shown inside OpenRefine's page: this one page may be framed
    response.headers["Content-Security-Policy"] = "default-src 'self'; style-src 'self'; frame-ancestors *"
    return response


def _prefix() -> str:
    return (request.args.get("prefix") or "").strip()


@blueprint.get("/reconcile/suggest/entity")
def suggest_entity() -> Response:
    prefix = _prefix()
    types = _types("suggest", {"type": request.args.get("type")}) if request.args.get("type") else list(TYPES)
    index = search_index()
    found = index.entities(prefix, kinds=types, limit=10) if words(prefix) else []
    return _answer({"result": [{"id": e.iri.removeprefix(ID_BASE), "name": e.label,
                                "description": _describe(index, e)} for e in found]})


@blueprint.get("/reconcile/suggest/type")
def suggest_type() -> Response:
    prefix = _prefix().lower()
    return _answer({"result": [{"id": k, "name": v} for k, v in TYPES.items()
                               if k.startswith(prefix) or v.lower().startswith(prefix)]})


@blueprint.get("/reconcile/suggest/property")
def suggest_property() -> Response:
    prefix = _prefix().lower()
    return _answer({"result": [{"id": k, "name": v} for k, v in PROPERTIES.items()
                               if k.startswith(prefix) or v.lower().startswith(prefix)]})
