"""The canned queries over HTTP: ``/queries`` (index), ``/queries/<name>`` (results), ``/openapi.json``.

Results are negotiated like the SPARQL endpoint's (SPARQL JSON, XML, CSV, TSV; ``Accept`` or ``?_format=csv``);
``/queries/<name>.json`` (``.csv``, ``.tsv``, ``.xml``) fixes the format in the URL. Browsers asking for HTML get
a 303 to the query's form page (``pages.canned_query``) when the pages blueprint is installed, else a plain table.
Query-string arguments are the query's parameters; names starting with ``_`` are options. Every query runs
through the app's QueryRunner, so the server's timeout and concurrency limits apply. A SELECT answers one page
(``_limit`` rows from ``_offset``: kg.paging) and, when more rows follow, links the next page in a
``Link: <...>; rel="next"`` header (and on the plain HTML table).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlencode

from flask import (
    Blueprint,
    Response,
    current_app,
    jsonify,
    render_template,
    render_template_string,
    request,
    url_for,
)

from kg import formats, paging
from kg.errors import NotAcceptable, NotFound
from kg.queries import CannedQuery, get_query, load_queries, openapi
from kg.query_job import Term
from server import keys as server_keys
from server import negotiation, rankings
from server.runner import Solutions, current_runner

blueprint = Blueprint("queries", __name__)
blueprint.before_app_request(rankings.remember_generation)  # the store as the app found it (server.rankings)
blueprint.record_once(lambda state: server_keys.install(state.app))

SUFFIXES = {f.extension: f.media_type for f in formats.RESULTS}
"""``/queries/<name>.csv``: the extension of a results format (kg.formats) fixes the answer's format."""

INDEX_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Canned queries · claimgraph</title></head>
<body><h1>Canned queries</h1>
<p>Each query takes typed parameters in the query string; append <code>.json</code> or <code>.csv</code> to the
name for a fixed format. API description: <a href="{{ openapi_url }}">OpenAPI 3.1</a>.</p>
<dl>{% for q in queries %}
<dt><a href="{{ q.url }}">{{ q.name }}</a></dt>
<dd>{{ q.summary }}{% if q.params %} Parameters: {% for p in q.params %}<code>{{ p.name }}</code>
({{ p.type }}{% if p.required %}, required{% endif %}){{ ", " if not loop.last }}{% endfor %}.{% endif %}
<a href="{{ q.example_url }}">Example</a>.</dd>{% endfor %}
</dl></body></html>
"""

RESULTS_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ q.name }} · claimgraph</title></head>
<body><h1>{{ q.name }}</h1><p>{{ q.summary }}</p>
<p>As data: <a href="{{ data_url }}.json{{ qs }}">JSON</a>, <a href="{{ data_url }}.csv{{ qs }}">CSV</a>.</p>
<table><thead><tr>{% for v in variables %}<th>{{ v }}</th>{% endfor %}</tr></thead><tbody>
{% for row in rows %}<tr>{% for v in variables %}<td>{{ row[v].value if v in row else "" }}</td>{% endfor %}</tr>
{% endfor %}</tbody></table>
<p>{{ rows|length }} row(s){% if offset %} from row {{ offset + 1 }}{% endif %}{% if next_url %};
<a rel="next" href="{{ next_url }}">next page</a>{% endif %}.</p></body></html>
"""


def describe_query(q: CannedQuery) -> dict[str, Any]:
    """A query as the JSON index lists it: name, summary, description, parameters, result and example URLs."""
    url = url_for("queries.run", name=q.name, _external=True)
    example = "&".join(f"{k}={quote(v, safe=':/')}" for k, v in q.example_values().items())
    return {
        "name": q.name,
        "summary": q.summary,
        "description": q.description,
        "url": url,
        "example_url": url + ("?" + example if example else ""),
        "params": [{"name": p.name, "type": p.type, "required": p.required, "default": p.default,
                    "description": p.description, "example": p.example} for p in q.params],
    }


@blueprint.get("/queries")
def index() -> Response:
    """Every canned query: JSON for API clients, an HTML list for browsers."""
    queries = [describe_query(q) for q in load_queries().values()]
    if negotiation.prefers_html(request.headers.get("Accept")):
        if "pages.index" in current_app.view_functions:  # the site's layout, search box and navigation
            for q, raw in zip(queries, load_queries().values(), strict=True):
                q["example_query"] = urlencode(raw.example_values())
            html = render_template("queries.html", queries=queries, openapi_url=url_for("queries.openapi_document"))
        else:
            html = render_template_string(INDEX_HTML, queries=queries,
                                          openapi_url=url_for("queries.openapi_document"))
        response = Response(html, mimetype="text/html")
    else:
        response = jsonify({"queries": queries, "openapi": url_for("queries.openapi_document", _external=True)})
    response.headers["Vary"] = "Accept"
    return response


@blueprint.get("/queries/<name>")
def run(name: str) -> Response:
    """Results of one query for the parameters in the query string.

    400 names a missing, unknown or malformed parameter; 404 an unknown query; 406 an unwritable format.
    """
    base, dot, suffix = name.partition(".")
    media_type = None
    if dot:
        if suffix not in SUFFIXES:
            raise NotFound(f"unknown format suffix .{suffix}; use one of "
                           f"{', '.join('.' + s for s in SUFFIXES)}")
        media_type = SUFFIXES[suffix]
    query = get_query(base)
    values = {k: v for k, v in request.args.items()}
    accept = request.headers.get("Accept")
    if media_type is None and "_format" not in values and negotiation.prefers_html(accept):
        if "pages.canned_query" in current_app.view_functions:  # the form page shows parameter errors too
            target = url_for("pages.canned_query", name=query.name) + (f"?{urlencode(values)}" if values else "")
            return Response(status=303, headers={"Location": target})
        return _html(query, *query.prepare(values))
    values = entity_values(query, values)  # names and slugs of entities as IRIs (BadInput: did you mean)
    sparql, bound = query.prepare(values)  # BadInput (400) before any evaluation
    format_hint = negotiation.format_parameter(values.get("_format"))
    if query.form == "SELECT":
        response = _page(query, sparql, bound, paging.page_of(values), media_type or negotiation.choose(
            "solutions", accept, format_hint=format_hint), asked=media_type or accept)
    else:
        answer = current_runner().run(sparql, bound, media_type=media_type, accept=accept, format_hint=format_hint)
        response = Response(answer.body, mimetype=answer.media_type)
    if media_type is None:
        response.headers["Vary"] = "Accept"
    return response


def _page(query: CannedQuery, sparql: str, bound: dict[str, Any], page: paging.Page, media_type: str | None, *,
          asked: str | None) -> Response:
    """One page of a SELECT's answer in ``media_type``, with a ``Link`` to the next page when more rows follow."""
    if media_type is None:
        offered = ", ".join(f.media_type for f in formats.of_kind("solutions"))
        raise NotAcceptable(f"cannot write a solutions answer as {asked!r}; available: {offered}")
    solutions, more = rankings.select_page(query.name, _select, sparql, bound, page,  # summaries, else SPARQL
                                           keys=server_keys.keys_for(query.name, bound))
    try:
        body = paging.serialize(solutions, media_type)
    except ValueError:  # a blank node, which VALUES cannot carry: the store writes the page itself
        body = current_runner().run(paging.paged(sparql, page, extra=0), bound, media_type=media_type).body
    response = server_keys.mark(Response(body, mimetype=media_type))
    if more:
        response.headers["Link"] = f'<{_next_url(page)}>; rel="next"'
    return response


def _select(sparql: str, bindings: Mapping[str, Term], max_rows: int | None) -> Solutions:
    return current_runner().select(sparql, bindings, max_rows=max_rows)


def _next_url(page: paging.Page) -> str:
    return paging.next_link(request.base_url, list(request.args.items(multi=True)), page)


def _html(query: CannedQuery, sparql: str, bound: dict[str, Any]) -> Response:
    page = paging.page_of(dict(request.args.items()), most=int(current_app.config.get("HTML_MAX_ROWS") or 1000))
    (variables, rows), more = rankings.select_page(query.name, _select, sparql, bound, page,
                                                   keys=server_keys.keys_for(query.name, bound))
    qs = "?" + request.query_string.decode() if request.query_string else ""
    html = render_template_string(RESULTS_HTML, q=query, variables=variables, rows=rows, qs=qs,
                                  offset=page.offset, next_url=_next_url(page) if more else None,
                                  data_url=url_for("queries.run", name=query.name))
    response = server_keys.mark(Response(html, mimetype="text/html"))
    response.headers["Vary"] = "Accept"
    if more:
        response.headers["Link"] = f'<{_next_url(page)}>; rel="next"'
    return response


def entity_values(query: CannedQuery, values: dict[str, str]) -> dict[str, str]:
    """``values`` with the entity parameters given by name or slug replaced by IRIs (server.search.resolve)."""
    try:
        from server.search import resolve_values
    except ModuleNotFoundError as e:  # pragma: no cover - server.search ships with the package
        if e.name != "server.search":
            raise
        return values
    return resolve_values(values, [p.name for p in query.params if p.type == "iri"])[0]


@blueprint.get("/openapi.json")
def openapi_document() -> Response:
    """The OpenAPI 3.1 description of the canned queries, with this server as its server URL."""
    return jsonify(openapi(load_queries(), server_url=request.url_root.rstrip("/")))
