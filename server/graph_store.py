"""The SPARQL 1.1 Graph Store HTTP Protocol at ``/store``: read and write whole graphs.

Indirect identification ``/store?graph=IRI`` and ``/store?default``; direct identification ``/store/<path>`` (the
graph is the request URL). GET and HEAD read (through the QueryRunner: the query timeout and snapshots apply);
PUT replaces, POST merges (a POST to ``/store`` itself creates a new graph and answers its ``Location``), DELETE
drops. Writes need ``Authorization: Bearer <KG_UPDATE_TOKEN>``. A body is parsed whole before anything is written,
and each write is one SPARQL Update transaction, published to readers only once complete: a reader sees the graph
before or after a write, never half of it.
"""

from __future__ import annotations

import uuid

import pyoxigraph as ox
from flask import Blueprint, Response, request, url_for

from kg.errors import BadInput, NotFound
from kg.query_job import DEFAULT_GRAPH
from server import negotiation
from server.errors import MethodNotAllowed, NotAcceptable, UnsupportedMediaType
from server.runner import current_runner
from server.sparql import authorise

blueprint = Blueprint("graph_store", __name__)

METHODS = ["GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS"]
ALLOW = ", ".join(METHODS)
READABLE = ("text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json", "text/n3",
            "application/trig", "application/n-quads", "text/plain")
"""Media types a PUT or POST body may have (TriG and N-Quads only with triples in their default graph)."""


@blueprint.route("/store", methods=METHODS)
def indirect() -> Response:
    """``?graph=IRI`` or ``?default``; a POST with neither creates a new graph."""
    graphs, default = request.args.getlist("graph"), "default" in request.args
    if graphs and default or len(graphs) > 1:
        raise BadInput("name one graph: either ?graph=IRI or ?default, once")
    if graphs:
        try:
            ox.NamedNode(graphs[0])
        except ValueError:
            raise BadInput(f"graph must be an absolute IRI, not {graphs[0]!r}") from None
        return _operate(graphs[0])
    if default:
        return _operate(DEFAULT_GRAPH)
    if request.method == "POST":
        iri = url_for("graph_store.direct", path=f"graph/{uuid.uuid4()}", _external=True)
        return _operate(iri, created_location=iri)
    if request.method == "OPTIONS":
        return _options()
    raise BadInput("name the graph: /store?graph=IRI, /store?default, or /store/<path> (a POST to /store "
                   "creates a new graph)")


@blueprint.route("/store/<path:path>", methods=METHODS)
def direct(path: str) -> Response:
    """The graph whose IRI is this request's URL."""
    return _operate(request.base_url)


def _options() -> Response:
    response = Response(status=204)
    response.headers["Allow"] = ALLOW
    return response


def _operate(graph: str, created_location: str | None = None) -> Response:
    method = request.method
    if method == "OPTIONS":
        return _options()
    if method in ("GET", "HEAD"):
        return _read(graph)
    if method not in ("PUT", "POST", "DELETE"):
        raise MethodNotAllowed(f"the graph store takes {ALLOW}, not {method}")
    authorise()
    runner = current_runner()
    existed = graph == DEFAULT_GRAPH or runner.graph_exists(graph)
    target = "DEFAULT" if graph == DEFAULT_GRAPH else f"GRAPH {ox.NamedNode(graph)}"
    if method == "DELETE":
        if not existed:
            raise NotFound(f"there is no graph {graph}")
        runner.update(f"DROP SILENT {target}")
        return Response(status=204)
    data = _insert_data(graph, _body_triples(graph))
    create = "" if graph == DEFAULT_GRAPH else f"CREATE SILENT {target} ; "
    if method == "PUT":
        runner.update(f"DROP SILENT {target} ; {create}{data}")
    else:
        runner.update(f"{create}{data}")
    if existed:
        return Response(status=204)
    response = Response(status=201)
    if created_location:
        response.headers["Location"] = created_location
    return response


def _read(graph: str) -> Response:
    media_type = negotiation.choose("graph", request.headers.get("Accept"))
    if media_type is None:
        raise NotAcceptable(f"cannot write a graph as {request.headers.get('Accept')!r}; available: "
                            + ", ".join(negotiation.GRAPH))
    # existence and content from one snapshot, so a reader never sees a graph half-written or half-deleted
    answer = current_runner().run("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", default_graph=[graph],
                                  media_type=media_type, require_graph=None if graph == DEFAULT_GRAPH else graph)
    response = Response(answer.body, status=200, content_type=f"{answer.media_type}; charset=utf-8")
    response.headers["Vary"] = "Accept"
    return response


def _body_triples(graph: str) -> list[ox.Triple]:
    """The triples of the request body (one RDF document, or the parts of a multipart/form-data POST).

    Raises UnsupportedMediaType for a media type that is not RDF, BadInput for a body that does not parse or names
    graphs of its own."""
    media_type = negotiation.media_type_of(request.content_type or "")
    base = None if graph == DEFAULT_GRAPH else graph
    if media_type == "multipart/form-data" and request.method == "POST":
        triples: list[ox.Triple] = []
        for name, part in request.files.items(multi=True):
            triples += _parse(part.read(), negotiation.media_type_of(part.content_type or ""), base, f"part {name}")
        return triples
    return _parse(request.get_data(cache=False), media_type, base, "the body")


def _parse(body: bytes, media_type: str, base: str | None, where: str) -> list[ox.Triple]:
    if media_type not in READABLE:
        raise UnsupportedMediaType(f"{where} has media type {media_type or 'none'}; send one of "
                                   f"{', '.join(READABLE)}")
    rdf_format = ox.RdfFormat.from_media_type(media_type)
    assert rdf_format is not None
    try:
        quads = list(ox.parse(body, rdf_format, base_iri=base))
    except SyntaxError as e:
        raise BadInput(f"{where} is not valid {rdf_format.name}: {e}") from None
    except ValueError as e:  # e.g. not UTF-8
        raise BadInput(f"{where} cannot be read as {rdf_format.name}: {e}") from None
    named = [q for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)]
    if named:
        raise BadInput(f"{where} names a graph of its own ({named[0].graph_name}); the graph is the request's")
    return [q.triple for q in quads]


def _insert_data(graph: str, triples: list[ox.Triple]) -> str:
    text = (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
    if graph == DEFAULT_GRAPH:
        return f"INSERT DATA {{ {text} }}"
    return f"INSERT DATA {{ GRAPH {ox.NamedNode(graph)} {{ {text} }} }}"
