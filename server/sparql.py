"""The SPARQL 1.1 Protocol at ``/sparql``, the VoID description at ``/.well-known/void``, and CORS for both.

Queries: GET ``?query=``, POST form (``application/x-www-form-urlencoded``), POST direct
(``application/sparql-query``). Updates: POST form ``update=`` or POST direct (``application/sparql-update``), only
with ``Authorization: Bearer <KG_UPDATE_TOKEN>``. ``default-graph-uri`` / ``named-graph-uri`` (queries) and
``using-graph-uri`` / ``using-named-graph-uri`` (updates) set the dataset; without them a query's default graph is
the union of all graphs. A GET without a query answers the Service Description.
"""

from __future__ import annotations

import hmac
import io

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, redirect, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response as BaseResponse

from kg import formats
from kg.errors import BadInput
from kg.sparql import with_using
from kg.vocab import VOID_GRAPH
from kg.void import void_quads
from server import negotiation
from server.errors import Forbidden, MethodNotAllowed, NotAcceptable, Unauthorized, UnsupportedMediaType
from server.runner import current_runner
from server.service_description import service_triples

blueprint = Blueprint("sparql", __name__)

FORM = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
FORMAT_PARAMETERS = ("format", "output", "results")
CORS_METHODS = "GET, HEAD, POST, OPTIONS"
CORS_HEADERS = "Accept, Content-Type, Authorization"


@blueprint.route("/sparql", methods=["GET", "POST", "OPTIONS", "PUT", "DELETE", "PATCH"])
def sparql() -> BaseResponse:
    """One SPARQL 1.1 Protocol operation: a query, an update, or the Service Description."""
    if request.method == "OPTIONS":
        return _preflight()
    if request.method not in ("GET", "HEAD", "POST"):
        raise MethodNotAllowed(f"the SPARQL endpoint takes GET, HEAD and POST, not {request.method}")
    params = _parameters()
    queries, updates = params.getlist("query"), params.getlist("update")
    if queries and updates:
        raise BadInput("a request carries either a query or an update, not both")
    if len(queries) > 1 or len(updates) > 1:
        raise BadInput(f"a request carries one {'query' if queries else 'update'}, not {len(queries or updates)}")
    if updates:
        if request.method != "POST":
            raise MethodNotAllowed("updates must be sent with POST (form field `update` or application/sparql-update)")
        return _update(updates[0], params)
    if queries:
        return _query(queries[0], params)
    if request.method == "POST":
        raise BadInput("the request carries neither `query` nor `update`")
    return _service_description()


def _parameters() -> MultiDict[str, str]:
    """Protocol parameters of the request: URL query string, plus the form or the direct body."""
    params: MultiDict[str, str] = MultiDict(request.args)
    if request.method != "POST":
        return params
    media_type = negotiation.media_type_of(request.content_type or "")
    if media_type == FORM:
        for key, values in request.form.lists():
            for value in values:
                params.add(key, value)
        return params
    if media_type in (QUERY_TYPE, UPDATE_TYPE):
        charset = (request.mimetype_params.get("charset") or "utf-8").lower()
        if charset not in ("utf-8", "utf8"):
            raise UnsupportedMediaType(f"{media_type} bodies must be UTF-8, not {charset}")
        try:
            text = request.get_data(cache=False).decode("utf-8")
        except UnicodeDecodeError as e:
            raise BadInput(f"the request body is not valid UTF-8: {e}") from None
        params.add("query" if media_type == QUERY_TYPE else "update", text)
        return params
    if not media_type:
        raise UnsupportedMediaType(f"a POST needs a Content-Type: {FORM}, {QUERY_TYPE} or {UPDATE_TYPE}")
    raise UnsupportedMediaType(f"cannot take a POST body of type {media_type}; use {FORM}, {QUERY_TYPE} "
                               f"or {UPDATE_TYPE}")


def _iris(params: MultiDict[str, str], name: str) -> list[str]:
    values = params.getlist(name)
    for value in values:
        try:
            ox.NamedNode(value)
        except ValueError:
            raise BadInput(f"{name} must be an absolute IRI, not {value!r}") from None
    return values


def _format_hint(params: MultiDict[str, str]) -> str | None:
    for name in FORMAT_PARAMETERS:
        hint = negotiation.format_parameter(params.get(name))
        if hint:
            return hint
    return None


def _query(sparql: str, params: MultiDict[str, str]) -> Response:
    answer = current_runner().run(
        sparql, default_graph=_iris(params, "default-graph-uri"), named_graphs=_iris(params, "named-graph-uri"),
        accept=request.headers.get("Accept"), format_hint=_format_hint(params), base_iri=request.base_url)
    return _answer(answer.body, answer.media_type)


def _answer(body: bytes, media_type: str) -> Response:
    response = Response(body, status=200, content_type=f"{media_type}; charset=utf-8")
    response.headers["Vary"] = "Accept, Origin"
    return response


# -- updates -----------------------------------------------------------------------------------------------------
def authorise() -> None:
    """Raise Forbidden / Unauthorized unless the request carries the update token (KG_UPDATE_TOKEN)."""
    token = current_app.config.get("UPDATE_TOKEN")
    if not token:
        raise Forbidden("this endpoint is read-only: updates are switched off (set KG_UPDATE_TOKEN to allow them)")
    header = request.headers.get("Authorization", "")
    if not header:
        raise Unauthorized("updates need an `Authorization: Bearer <token>` header")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), str(token).encode()):
        raise Forbidden("the update token is wrong")


def _update(sparql: str, params: MultiDict[str, str]) -> Response:
    authorise()
    using, using_named = _iris(params, "using-graph-uri"), _iris(params, "using-named-graph-uri")
    if using or using_named:
        sparql = with_using(sparql, using, using_named)
    current_runner().update(sparql, base_iri=request.base_url)
    return Response(status=204)


# -- service description, VoID, CORS ------------------------------------------------------------------------------
def _rdf_response(triples: list[ox.Triple], quads: list[ox.Quad] | None = None) -> Response:
    media_type = negotiation.choose("graph", request.headers.get("Accept"),
                                    format_hint=_format_hint(MultiDict(request.args)))
    if media_type is None:
        raise NotAcceptable(f"cannot write RDF as {request.headers.get('Accept')!r}; available: "
                            + ", ".join(negotiation.GRAPH))
    fmt = formats.for_media_type(media_type)
    buffer = io.BytesIO()
    fmt.write_graph(quads if quads is not None and fmt.supports_datasets else triples, buffer, prefixes={
        "sd": "http://www.w3.org/ns/sparql-service-description#", "void": "http://rdfs.org/ns/void#",
        "dcterms": "http://purl.org/dc/terms/"} if fmt.rdf != ox.RdfFormat.RDF_XML else None)
    return _answer(buffer.getvalue(), media_type)


def _service_description() -> BaseResponse:
    """The Service Description, or a redirect to the landing page for a browser (werkzeug's Response)."""
    if "pages" in current_app.blueprints and negotiation.prefers_html(request.headers.get("Accept")):
        return redirect(url_for("pages.index"), code=303)
    triples = service_triples(request.base_url, updates=bool(current_app.config.get("UPDATE_TOKEN")),
                              void_url=url_for("sparql.void", _external=True))
    return _rdf_response(triples)


@blueprint.route("/.well-known/void", methods=["GET", "OPTIONS"])
def void() -> Response:
    """The VoID description of the dataset, computed from the store (cached until the next update)."""
    if request.method == "OPTIONS":
        return _preflight()
    runner = current_runner()
    cache = current_app.extensions.setdefault("claimgraph.void", {})
    if cache.get("generation") != runner.generation:
        endpoint = current_app.config.get("SPARQL_ENDPOINT") or url_for("sparql.sparql", _external=True)
        cache["quads"] = void_quads(runner, sparql_endpoint=endpoint)
        cache["generation"] = runner.generation
    quads: list[ox.Quad] = cache["quads"]
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    return _rdf_response(triples, quads)


def _allowed_origin() -> str | None:
    origin = request.headers.get("Origin")
    allowed = [o.strip() for o in str(current_app.config.get("CORS_ORIGINS") or "").split(",") if o.strip()]
    if not origin or not allowed:
        return None
    if "*" in allowed:
        return "*"
    return origin if origin in allowed else None


def _preflight() -> Response:
    response = Response(status=204)
    response.headers["Allow"] = CORS_METHODS
    if _allowed_origin():
        response.headers["Access-Control-Allow-Methods"] = CORS_METHODS
        response.headers["Access-Control-Allow-Headers"] = CORS_HEADERS
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


@blueprint.after_app_request
def _cors(response: Response) -> Response:
    if request.blueprint == "sparql":
        origin = _allowed_origin()
        if origin:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Expose-Headers"] = "Retry-After, Content-Type"
            if origin != "*":
                response.headers.add("Vary", "Origin")
    return response


__all__ = ["blueprint", "with_using", "VOID_GRAPH"]
