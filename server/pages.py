"""HTML pages and Linked Data: the landing page, ``/id/...`` for every entity IRI, ``/ontology``.

Every data IRI ``https://w3id.org/claimgraph/id/<path>`` is served at ``/id/<path>``: an HTML page for browsers,
RDF (Turtle, JSON-LD, N-Triples, RDF/XML, ...) for clients that ask for it in ``Accept`` (or ``?format=``).
Pages ask a few SPARQL queries through the app's QueryRunner (``server.describe``); tables stop at
``HTML_MAX_ROWS`` rows and say so. Templates autoescape everything; links are only made to http(s) IRIs.
"""

from __future__ import annotations

import difflib
import io
import logging
import re
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, render_template, request
from markupsafe import Markup, escape

from kg import formats, paging, stats
from kg import overview as kg_overview
from kg.errors import BadInput, KGError, NotFound
from kg.query_job import text_of
from kg.vocab import BASE, ONTOLOGY_IRI, PREFIXES
from server import describe, negotiation, rankings
from server.describe import ID_BASE, ONTOLOGY_NS, Description, Node, Rows, compact, select_rows
from server.errors import NotAcceptable
from server.runner import current_runner

log = logging.getLogger(__name__)

blueprint = Blueprint("pages", __name__, template_folder="templates", static_folder="static",
                      static_url_path="/static")

CG = PREFIXES["cg"]
FOAF = PREFIXES["foaf"]
SKOS = PREFIXES["skos"]
INBOUND_CAP = 1000
"""Statements pointing at a resource that its RDF description includes, at most."""

PAGE_KINDS: tuple[tuple[str, frozenset[str]], ...] = (
    ("claim", frozenset({CG + "Claim"})),
    ("article", frozenset({CG + "Article"})),
    ("country", frozenset({CG + "Country"})),
    ("issue", frozenset({CG + "Issue", SKOS + "Concept"})),
    ("scheme", frozenset({SKOS + "ConceptScheme"})),
    ("agent", frozenset({CG + "Official", CG + "Person", FOAF + "Person", CG + "Organization",
                         CG + "GovernmentBody", CG + "Publisher"})),
)
"""Which page template describes a resource of which type (first match wins); others get the generic page."""


def html_max_rows() -> int:
    return int(current_app.config.get("HTML_MAX_ROWS", 1000))


# -- links and rendering helpers (template globals) ---------------------------------------------------------------

def href(node: Node | str) -> str | None:
    """Where a link to an IRI goes: our data and ontology IRIs to their pages here, other http(s) IRIs outwards.

    Other schemes (``javascript:``, ``data:``, ...) get no link at all.
    """
    iri = node.value if isinstance(node, Node) else node
    if isinstance(node, Node) and not node.is_iri:
        return None
    root = request.script_root
    if iri.startswith(ID_BASE):
        return f"{root}/id/{iri[len(ID_BASE):]}"
    if iri == ONTOLOGY_IRI:
        return f"{root}/ontology"
    if iri.startswith(ONTOLOGY_NS):
        return f"{root}/ontology#{iri[len(ONTOLOGY_NS):]}"
    if urlsplit(iri).scheme in ("http", "https"):
        return iri
    return None


def is_local(iri: str) -> bool:
    return iri.startswith(BASE) or iri.startswith(ONTOLOGY_IRI)


@blueprint.app_template_global("max_rows")
def _max_rows() -> int:
    return html_max_rows()


@blueprint.app_context_processor
def _helpers() -> dict[str, Any]:
    return {"href": href, "is_local": is_local, "compact": compact, "stat_names": describe.STAT_NAMES,
            "human_term": human_term, "datatype_name": datatype_name, "entity_label": entity_label}


@blueprint.app_template_filter("inline_code")
def inline_code(text: str) -> Markup:
    """A query description, escaped, with its markdown ``code`` spans as ``<code>``."""
    return Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", str(escape(text))))


DATATYPE_NAMES = {"date": "date", "dateTime": "date and time", "integer": "integer", "decimal": "decimal",
                  "double": "number", "boolean": "yes or no", "gYear": "year", "anyURI": "address"}


def datatype_name(iri: str | None) -> str | None:
    """A datatype as people say it: ``xsd:date`` -> ``date``; unknown ones compact."""
    if not iri:
        return None
    if iri.startswith(PREFIXES["xsd"]):
        return DATATYPE_NAMES.get(iri[len(PREFIXES["xsd"]):], compact(iri))
    return compact(iri)


def human_term(iri: str) -> str | None:
    """An ontology term as words (``cg:IndirectQuote`` -> ``indirect quote``), else None."""
    from kg.search import CLAIM_KINDS

    if iri in CLAIM_KINDS:
        return CLAIM_KINDS[iri]
    if iri.startswith(ONTOLOGY_NS):
        local = iri[len(ONTOLOGY_NS):]
        return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local).lower().capitalize()
    return None


# -- requested IRI and negotiation ------------------------------------------------------------------------------

def requested_path() -> str:
    """The path as the client sent it, percent-encoding intact (an article key may hold ``%2F``)."""
    raw = request.environ.get("REQUEST_URI") or request.environ.get("RAW_URI")
    if raw:
        path = urlsplit(raw).path if "://" in raw else raw.split("?", 1)[0].split("#", 1)[0]
        root = request.script_root
        if root and path.startswith(root):
            path = path[len(root):]
        if path.startswith("/id/"):
            return path
    return quote(request.path, safe="/:@!$&'()*+,;=~-._")


def rdf_media_type() -> str | None:
    """The RDF media type to answer with, or None for HTML. Raises NotAcceptable when nothing offered fits."""
    fmt = request.args.get("format")
    if fmt and fmt.lower() == "html":
        return None
    hint = negotiation.format_parameter(fmt)
    if fmt and hint not in negotiation.GRAPH:
        raise BadInput(f"format={fmt!r} is not a format this page offers: html, "
                       f"{', '.join(f.name for f in formats.GRAPHS)} (or a media type)")
    accept = request.headers.get("Accept")
    if not hint and (negotiation.prefers_html(accept)):
        return None
    chosen = negotiation.choose("graph", accept, format_hint=hint)
    if chosen is None:
        raise NotAcceptable(f"no format in Accept: {accept!r} fits; this page offers text/html and "
                            f"{', '.join(negotiation.GRAPH)}")
    return chosen


def rdf_response(triples: list[ox.Triple], media_type: str) -> Response:
    """``triples`` written by the registry's format for ``media_type`` (one negotiation chose from the registry's
    graph formats): in a dataset format (N-Quads, TriG) they are the default graph."""
    fmt = formats.for_media_type(media_type)
    body = io.BytesIO()
    fmt.write_graph(triples, body, prefixes=PREFIXES)
    response = Response(body.getvalue(), mimetype=fmt.media_type)
    response.headers["Vary"] = "Accept"
    return response


def html_response(template: str, status: int = 200, **context: Any) -> Response:
    response = Response(render_template(template, **context), status=status, mimetype="text/html")
    response.headers["Vary"] = "Accept"
    return response


# -- the landing page ---------------------------------------------------------------------------------------------

@blueprint.get("/")
def index() -> Response:
    """Statistics, entry points into the data, the canned queries as forms, and the SPARQL editor."""
    return html_response("index.html", canned=canned_queries(), example_query=EXAMPLE_QUERY, **overview())


OVERVIEW_CACHE = "claimgraph.pages.overview"
OVERVIEW_SECONDS = 60.0
"""The landing page's counts and lists are kept until the store changes (the runner's update generation) or,
for stores written by others (a remote endpoint), for this many seconds."""


def overview() -> dict[str, Any]:
    """Statistics, most quoted speakers, issues discussed and latest articles: four queries, cached."""
    runner = current_runner()
    generation = getattr(runner, "generation", None)
    cached: tuple[int | None, float, dict[str, Any]] | None = current_app.extensions.get(OVERVIEW_CACHE)
    now = time.monotonic()
    if cached and cached[0] == generation and now - cached[1] < OVERVIEW_SECONDS:
        return cached[2]
    cap = min(html_max_rows(), 25)
    data = _overview_from_index(runner, cap)
    if data is None:
        data = {"stats": describe.dataset_stats(runner, [key for key, _ in describe.STAT_NAMES]),
                "speakers": select_rows(runner, describe.TOP_SPEAKERS, None, cap),
                "issues": select_rows(runner, describe.TOP_ISSUES, None, cap),
                "articles": select_rows(runner, describe.ARTICLES, None, cap)}
    current_app.extensions[OVERVIEW_CACHE] = (generation, now, data)
    return data


def _overview_from_index(runner: Any, cap: int) -> dict[str, Any] | None:
    """The landing page's counts and lists from the search index's summaries (kg.overview, kg.stats): the same
    numbers and rows as the store's queries, while the index may answer for the store (server.rankings), else
    None. The latest articles' keys come from the index and their rows from the store (describe.ARTICLES_OF)."""
    try:
        index = rankings.trusted_index()
    except (KGError, OSError) as e:  # no index, or one that cannot be opened: the store answers
        log.info("landing page from the store: %s", e)
        return None
    if index is None:
        return None

    def select(sparql: str, bindings: Any, max_rows: int | None) -> Any:
        return runner.select(sparql, bindings, max_rows=max_rows)

    with index.lock:
        counted = stats.index_counts(index.db, tuple(key for key, _ in describe.STAT_NAMES))
        if counted is None:
            return None
        speakers = kg_overview.ranked(index.db, select, "speaker", describe.SPEAKER_LABELS, cap + 1)
        issues = kg_overview.ranked(index.db, select, "issue", describe.ISSUE_LABELS, cap + 1)
        latest = kg_overview.latest_articles(index.db, cap + 1)
    if speakers is None or issues is None:
        return None
    return {"stats": counted, "speakers": describe.to_rows(*speakers, cap),
            "issues": describe.to_rows(*issues, cap),
            "articles": select_rows(runner, describe.articles_of(latest), None, cap)}


EXAMPLE_QUERY = """PREFIX cg: <https://w3id.org/claimgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
# Who said what, and when
SELECT ?speaker ?name ?text ?date WHERE {
  ?claim a cg:Claim ; cg:claimText ?text ; cg:speaker ?speaker .
  ?speaker rdfs:label ?name .
  OPTIONAL { ?claim cg:statedOn ?date }
}
ORDER BY ?date ?name
LIMIT 50"""


def canned_queries() -> list[Any]:
    """The canned queries of ``kg.queries`` (empty until that module is installed)."""
    try:
        from kg import queries
    except ModuleNotFoundError as e:
        if e.name != "kg.queries":
            raise
        return []
    return list(queries.load_queries().values())


PAGED_ROWS = 10000
"""Rows of a canned query's result that its page sorts and pages through at most (then it says so)."""
PER_PAGE = 50


@dataclass(frozen=True)
class UsedValue:
    """A parameter as the results used it: its text, the label of an IRI, and whether it was the default."""

    name: str
    text: str
    label: str | None
    default: bool
    given: str | None


@blueprint.get("/queries/<name>/form")
def canned_query(name: str) -> Response:
    """One canned query as a form; with parameters given (or ``_run``), also its results: a table that pages
    (``_page``, ``_per_page``) and sorts (``_sort`` = a column, ``_desc=1``), and a timeline when rows have dates.
    Entity parameters take names (server.search); the page shows the values the results used."""
    try:
        from kg import queries
    except ModuleNotFoundError as e:  # pragma: no cover - kg.queries ships with the package
        raise NotFound("canned queries are not installed") from e
    from server import search
    from server.keys import keys_for, mark

    query = queries.get_query(name)
    args = {k: v for k, v in request.args.items()}
    given = {k: v for k, v in args.items() if not k.startswith("_") and v.strip()}
    ran = bool(args)
    error, ambiguous, used = None, None, []
    resolved: list[search.Resolution] = []
    variables: list[str] = []
    rows = Rows()
    listing: dict[str, Any] = {}
    if ran:
        try:
            values, resolved = search.resolve_values(given, [p.name for p in query.params if p.type == "iri"])
            sparql, bound = query.prepare(values)
        except search.Ambiguous as e:
            error, ambiguous = str(e), e
        except BadInput as e:
            error = str(e)
        else:
            labels = {r.iri: r.label for r in resolved}
            used = [UsedValue(p.name, bound[p.name].value, labels.get(bound[p.name].value) or entity_label(
                bound[p.name].value), p.name not in values, given.get(p.name)) for p in query.params if p.name in bound]
            if query.form != "SELECT":
                error = f"{query.form} queries are shown as data only: follow the link to /queries/{name}"
            else:
                # keys first, then details (kg.paging): the first PAGED_ROWS + 1 rows, which say whether there are more
                (variables, raw), _ = rankings.select_page(
                    name, lambda text, subs, most: current_runner().select(text, subs, max_rows=most), sparql, bound,
                    paging.Page(PAGED_ROWS + 1), keys=keys_for(query.name, bound))
                listing = result_listing(set(bound), variables, raw, args)
                rows = listing.pop("rows")
    shown = {k: v for k, v in given.items()}
    data_values = {**shown, **{r.param: r.iri for r in resolved}}
    return mark(html_response("query.html", status=400 if error else 200, q=query, values=shown, ran=ran,
                              error=error, ambiguous=ambiguous, resolved=resolved, used=used, variables=variables,
                              rows=rows, query_string=urlencode(data_values), **listing))


def entity_label(iri: str) -> str | None:
    """The label the search index knows for an IRI, if any."""
    if not iri.startswith(ID_BASE):
        return None
    from server.search import search_index
    return search_index().label(iri)


def result_listing(params: set[str], variables: list[str], raw: list[dict[str, Any]],
                   args: dict[str, str]) -> dict[str, Any]:
    """One page of a result, sorted, with labels for IRIs, the columns of bound parameters left out (the page
    shows them once, above), and a timeline when rows have a ``?date``."""
    from server import charts
    from server.search import search_index

    companions = label_columns(variables)
    hidden = params | set(companions.values())
    if "claim" in variables and "article" in variables and "start" in variables:
        hidden |= {"start", "end"}  # shown as the link to the highlighted claim
    labelled_by = {label: iri for iri, label in companions.items()}
    columns = []
    for v in variables:  # an IRI column takes the place of its label column when that comes first
        v = labelled_by.get(v, v)
        if v not in hidden - set(companions) and v not in columns and v not in params:
            columns.append(v)
    columns = [v for v in columns if any(v in row for row in raw[:PAGED_ROWS])] or columns  # no empty columns
    sort = args.get("_sort") if args.get("_sort") in columns else None
    descending = args.get("_desc") in ("1", "true")
    if sort:
        by = companions.get(sort, sort)  # an IRI column sorts by its label
        raw = sorted(raw[:PAGED_ROWS], key=lambda r: _sort_key(r.get(by, r.get(sort))), reverse=descending)
    per_page = _bounded(args.get("_per_page"), PER_PAGE, 1, html_max_rows())
    total = min(len(raw), PAGED_ROWS)
    pages = max(1, -(-total // per_page))
    page = _bounded(args.get("_page"), 1, 1, pages)
    index = search_index()
    rows = Rows([{**{v: labelled(row[v], index, row.get(companions.get(v, ""))) for v in columns if v in row},
                  **{v: describe.to_node(row[v]) for v in ("start", "end") if v in row}}
                 for row in raw[(page - 1) * per_page:page * per_page]], len(raw) > PAGED_ROWS, PAGED_ROWS)
    chart = None
    if "date" in variables:
        series_var = next((v for v in ("speakerName", "speaker", "countryName", "country") if v in variables
                           and v not in params), None)
        points = [(row["date"].value if "date" in row else None,
                   _series(row.get(series_var), index) if series_var else None) for row in raw[:PAGED_ROWS]]
        timeline = charts.timeline(points)
        chart = charts.svg(timeline, label=f"claims per month by {series_var or 'date'}") if timeline else None
        listing_series = timeline
    else:
        listing_series = None
    return {"rows": rows, "columns": columns, "page": page, "pages": pages, "total": total, "sort": sort,
            "descending": descending, "per_page": per_page, "chart": chart, "timeline": listing_series,
            "link": _args_link}


def _series(term: Any, index: Any) -> str | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return index.label(term.value) or compact(term.value)
    return str(term.value)


def _sort_key(term: Any) -> tuple[int, Any]:
    if term is None:
        return (1, "")
    value = term.value
    if isinstance(term, ox.Literal) and term.datatype and term.datatype.value.rsplit("#", 1)[-1] in (
            "integer", "decimal", "double", "float", "long", "int"):
        try:
            return (0, float(value))
        except ValueError:
            pass
    return (0, str(value).lower())


def _bounded(raw: str | None, default: int, low: int, high: int) -> int:
    try:
        value = int(raw) if raw else default
    except ValueError:
        raise BadInput(f"{raw!r} is not a whole number (a page or a page size)") from None
    return min(max(value, low), max(high, low))


def _args_link(**changes: Any) -> str:
    """The current URL with some query-string arguments changed (None removes one)."""
    args = dict(request.args.items())
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = str(value)
    return request.path + ("?" + urlencode(args) if args else "")


LABEL_COLUMNS = {"article": ("headline", "articleLabel", "title"), "claim": ("text", "claimText")}


def label_columns(variables: list[str]) -> dict[str, str]:
    """IRI columns and the column that labels them: ``?xLabel`` or ``?xName`` for ``?x``, ``?headline`` for
    ``?article``, ``?text`` for ``?claim``. The label column is then shown as the link's text, not on its own."""
    present = set(variables)
    out = {}
    for v in variables:
        names = (v + "Label", v + "Name", *LABEL_COLUMNS.get(v, ()))
        found = next((n for n in names if n in present and n not in out), None)
        if found:
            out[v] = found
    return out


def labelled(term: Any, index: Any, label: Any = None) -> Node:
    """The Node of a result term, labelled by its label column, else by the label the search index knows for an
    IRI (or a claim kind's name)."""
    node = describe.to_node(term, label if isinstance(term, ox.NamedNode) else None)
    if node.is_iri and not node.label:
        label = index.label(node.value) if node.value.startswith(ID_BASE) else None
        if not label and node.value.startswith(ID_BASE):  # article/x -> "article x"
            label = node.value[len(ID_BASE):].replace("/", " ", 1)
        return Node(node.value, True, label or human_term(node.value))
    return node


@blueprint.get("/sparql-editor")
def sparql_editor() -> Response:
    """YASGUI on this server's endpoint: our prefixes, the canned queries as examples, shareable URLs."""
    from pyoxigraph import Variable

    from kg.queries import variant
    from kg.sparql import bind_values

    prefixes = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items() if p in EDITOR_PREFIXES)
    examples = {}
    for q in canned_queries():
        try:  # the text the query runs with its examples: its '#? name' variant, the values bound
            sparql, bound = q.prepare(q.example_values())
            examples[q.name] = bind_values(sparql, {Variable(k): v for k, v in bound.items()})
        except BadInput:  # a required parameter with no example: the query unbound, for the user to fill in
            examples[q.name] = variant(q.sparql, ())
    endpoint = request.url_root.rstrip("/") + "/sparql"
    config = {"endpoint": endpoint, "defaultQuery": prefixes + EXAMPLE_QUERY.split("\n", 2)[2],
              "prefixes": {p: PREFIXES[p] for p in EDITOR_PREFIXES if p in PREFIXES}, "examples": examples}
    response = html_response("sparql_editor.html", endpoint=endpoint, config=config, examples=canned_queries())
    # YASGUI sets style attributes in the markup it builds: this page alone allows inline styles (never scripts)
    response.headers["Content-Security-Policy"] = EDITOR_CSP
    return response


EDITOR_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
              "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
              "frame-ancestors 'none'")


EDITOR_PREFIXES = ("cg", "cgid", "rdfs", "skos", "prov", "schema", "oa", "xsd", "owl")
"""The prefixes every new query of the editor starts with."""


# -- /id/... ------------------------------------------------------------------------------------------------------

@blueprint.get("/id/<path:_key>")
def entity(_key: str) -> Response:
    """The page or RDF description of one data IRI; 404 with suggestions when the store does not know it."""
    iri = BASE + requested_path().lstrip("/")
    try:
        ox.NamedNode(iri)
    except ValueError:
        raise BadInput(f"{iri!r} is not a valid IRI") from None
    media_type = rdf_media_type()
    runner = current_runner()
    if media_type:
        triples = describe.rdf_description(runner, iri, inbound_cap=INBOUND_CAP)
        if not triples:
            return Response(f"{iri} is not described in this dataset\n", status=404, mimetype="text/plain")
        return rdf_response(triples, media_type)
    description = describe.describe(runner, iri)
    kind = page_kind(description)
    cap = html_max_rows()
    if kind == "generic":
        referrers = describe.inbound(runner, iri, cap)
        if not description.exists and not referrers.rows:
            return not_found(iri)
        return html_response("generic.html", d=description, referrers=referrers)
    return html_response(f"{kind}.html", d=description, **PAGE_DATA[kind](iri, cap, description))


def page_kind(description: Description) -> str:
    types = description.types
    for kind, wanted in PAGE_KINDS:
        if types & wanted:
            return kind
    return "generic"


CLAIMS_PER_PAGE = 100
"""Claims an entity page lists at a time (``?page=N``; ``?sort=date-asc`` for oldest first); config key
``CLAIMS_PER_PAGE``."""



@dataclass
class ClaimPage:
    """One page of an entity's claims: rows, total, page numbers, order, and the download links."""

    rows: Rows
    total: int
    page: int
    pages: int
    sort: str
    downloads: dict[str, str]
    link: Any
    per_page: int


def claim_page(iri: str, selection: str, template: str, downloads: dict[str, str]) -> ClaimPage:
    """The page of claims of ``iri`` the request asks for: the inner query of ``template`` (describe._claims)
    keeps one page (LIMIT and OFFSET), so a speaker with thousands of claims costs one page of details."""
    runner = current_runner()
    subs = {"iri": ox.NamedNode(iri)}
    selection_pattern = describe.CLAIM_SELECTIONS[selection]
    count_query = (f"SELECT ?iri (COUNT(DISTINCT ?claim) AS ?n) WHERE {{ {selection_pattern} }} "
                   "GROUP BY ?iri")
    _, counted = runner.select(describe.SPARQL_PREFIXES + count_query, subs)
    total = int(text_of(counted[0]["n"])) if counted else 0
    per_page = min(int(current_app.config.get("CLAIMS_PER_PAGE") or CLAIMS_PER_PAGE), html_max_rows())
    pages = max(1, -(-total // per_page))
    page = _bounded(request.args.get("page"), 1, 1, pages)
    sort = "date-asc" if request.args.get("sort") == "date-asc" else "date"
    text = template.replace("$LIMIT", f"{per_page} OFFSET {(page - 1) * per_page}")
    if sort == "date-asc":
        text = text.replace("ORDER BY DESC(?date)", "ORDER BY ?date")
    variables, raw = runner.select(describe.SPARQL_PREFIXES + text, subs, max_rows=per_page)
    rows = describe.to_rows(variables, raw, per_page)
    return ClaimPage(rows, total, page, pages, sort, downloads, _args_link, per_page)


def _downloads(query: str, **params: str) -> dict[str, str]:
    qs = urlencode(params)
    return {ext: f"{request.script_root}/queries/{query}.{ext}?{qs}" for ext in ("csv", "json")}


def _agent(iri: str, cap: int, d: Description) -> dict[str, Any]:
    runner = current_runner()
    return {"posts": select_rows(runner, describe.POSTS, iri, cap),
            "claims": claim_page(iri, "speaker", describe.SPEAKER_CLAIMS,
                                 _downloads("who-said-what", speaker=iri, undated="true"))}


def _country(iri: str, cap: int, d: Description) -> dict[str, Any]:
    runner = current_runner()
    return {"actors": select_rows(runner, describe.COUNTRY_ACTORS, iri, cap),
            "claims": claim_page(iri, "country", describe.COUNTRY_CLAIMS,
                                 _downloads("claims-mentioning-country", country=iri))}


def _issue(iri: str, cap: int, d: Description) -> dict[str, Any]:
    runner = current_runner()
    return {"claims": claim_page(iri, "issue", describe.ISSUE_CLAIMS,
                                 _downloads("who-said-what", issue=iri, undated="true")),
            "timeline": timeline(select_rows(runner, describe.ISSUE_TIMELINE, iri, cap))}


def _scheme(iri: str, cap: int, d: Description) -> dict[str, Any]:
    return {"issues": select_rows(current_runner(), describe.SCHEME_TREE, iri, cap)}


def _article(iri: str, cap: int, d: Description) -> dict[str, Any]:
    claims = select_rows(current_runner(), describe.ARTICLE_CLAIMS, iri, cap)
    body = d.first("schema:articleBody") or ""
    return {"claims": claims, "body": highlight(body, claim_spans(claims))}


CLAIM_BODY = """SELECT ?iri ?body WHERE { ?iri prov:wasDerivedFrom ?article . ?article schema:articleBody ?body }"""


def _claim(iri: str, cap: int, d: Description) -> dict[str, Any]:
    rows = select_rows(current_runner(), describe.CLAIM_PROVENANCE, iri, 1)
    provenance = rows.rows[0] if rows.rows else {}
    context = None
    if "start" in provenance and "end" in provenance:
        bodies = select_rows(current_runner(), CLAIM_BODY, iri, 1)
        if bodies.rows:
            context = paragraph(bodies.rows[0]["body"].value, int(provenance["start"].value),
                                int(provenance["end"].value))
    return {"provenance": provenance, "context": context}


def paragraph(text: str, start: int, end: int, *, most: int = 1500) -> Markup | None:
    """The paragraph (between blank lines or line breaks) around ``text[start:end]``, escaped, with that span in
    ``<mark>``; at most ``most`` characters either side of it."""
    if not 0 <= start < end <= len(text):
        return None
    left = max(text.rfind("\n", 0, start) + 1, start - most)
    right_break = text.find("\n", end)
    right = min(right_break if right_break != -1 else len(text), end + most)
    return Markup(f"{escape(text[left:start])}<mark class=\"exact\">{escape(text[start:end])}</mark>"
                  f"{escape(text[end:right])}")


PAGE_DATA = {"agent": _agent, "country": _country, "issue": _issue, "scheme": _scheme, "article": _article,
             "claim": _claim}


@dataclass(frozen=True)
class Bar:
    period: str
    count: int
    share: float


def timeline(months: Rows) -> list[Bar]:
    """Claims per month (rows of ``?month``, ``?claims``), in order, with each month's share of the busiest."""
    counts = [(row["month"].value, int(row["claims"].value)) for row in months if "month" in row]
    top = max((n for _, n in counts), default=1)
    return [Bar(month, n, n / top) for month, n in counts]


@dataclass(frozen=True)
class ClaimSpan:
    key: str
    start: int
    end: int
    href: str | None
    speaker: str = ""


def claim_spans(claims: Rows) -> list[ClaimSpan]:
    out = []
    for row in claims:
        try:
            start, end = int(row["start"].value), int(row["end"].value)
        except (KeyError, ValueError):
            continue
        if "speaker" in row:
            speaker = row["speaker"].text
        elif "anonymous" in row:
            speaker = f"{row['anonymous'].text} (anonymous source)"
        else:
            speaker = f"“{row['speakerText'].value}” (unresolved)" if "speakerText" in row else "unresolved speaker"
        out.append(ClaimSpan(f"{start}-{end}", start, end, href(row["claim"]), speaker))
    return out


def highlight(text: str, spans: list[ClaimSpan]) -> Markup:
    """The article text, escaped, with each claim's span in ``<mark data-claims="start-end ...">`` elements.

    Overlapping spans split the text at every boundary, so each piece lists all claims covering it; the pieces
    of one claim joined give exactly ``text[start:end]``.
    """
    spans = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    parts: list[str] = []
    first_piece: set[str] = set()
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = [s for s in spans if s.start <= a and b <= s.end]
        piece = escape(text[a:b])
        if not covering:
            parts.append(str(piece))
            continue
        keys = " ".join(s.key for s in covering)
        ids = "".join(f' id="claim-{s.key}"' for s in covering[:1] if s.key not in first_piece)
        first_piece.update(s.key for s in covering[:1])
        said = "; ".join(dict.fromkeys(s.speaker for s in covering if s.speaker))
        title = f' title="{escape(said)}"' if said else ""
        parts.append(f'<mark class="claim" data-claims="{escape(keys)}"{ids}{title}>{piece}</mark>')
    return Markup("".join(parts))


INDEX_KINDS = {"person": ["person"], "org": ["organisation", "publisher"], "country": ["country"],
               "issue": ["issue"]}
"""The kinds of the search index a 404 under ``/id/<path>/`` suggests from (other paths: by IRI similarity)."""


def not_found(iri: str) -> Response:
    """A 404 page naming the IRI, with labelled resources of the same kind whose IRI or label is close."""
    path = iri[len(ID_BASE):]
    kind = path.split("/", 1)[0] if "/" in path else ""
    if kind in INDEX_KINDS:  # by name, through the search index: typos, aliases, surnames
        from server.search import search_index
        found = search_index().entities(path.rsplit("/", 1)[-1].replace("-", " "), kinds=INDEX_KINDS[kind],
                                        limit=8, min_score=0.6)
        return html_response("not_found.html", status=404, iri=iri, kind=kind,
                             suggestions=[(e.iri, e.label) for e in found])
    candidates = describe.similar(current_runner(), ID_BASE + kind + "/") if kind else []
    wanted = path.rsplit("/", 1)[-1]
    scored = sorted(((max(difflib.SequenceMatcher(None, wanted.replace("-", " ").lower(), label.lower()).ratio(),
                          difflib.SequenceMatcher(None, wanted, c.rsplit("/", 1)[-1]).ratio()), c, label)
                     for c, label in candidates), reverse=True)
    suggestions = [(c, label) for score, c, label in scored[:8] if score >= 0.6]
    return html_response("not_found.html", status=404, iri=iri, suggestions=suggestions, kind=kind)


# -- /ontology ----------------------------------------------------------------------------------------------------

@blueprint.get("/ontology")
def ontology() -> Response:
    """The ontology's classes, properties and individuals (HTML), or its triples (RDF by negotiation)."""
    media_type = rdf_media_type()
    runner = current_runner()
    if media_type:
        return rdf_response(runner.construct(describe.SPARQL_PREFIXES + describe.ONTOLOGY_RDF), media_type)
    _, rows = runner.select(describe.SPARQL_PREFIXES + describe.ONTOLOGY_TERMS)
    terms: dict[str, dict[str, Any]] = {}
    for row in rows:
        term = terms.setdefault(text_of(row["term"]), {
            "iri": text_of(row["term"]), "name": text_of(row["term"]).rsplit("#", 1)[-1],
            "kind": compact(text_of(row["kind"])), "label": text_of(row["label"]) if "label" in row else None,
            "comment": text_of(row["comment"]) if "comment" in row else None,
            "parents": set(), "domains": set(), "ranges": set()})
        for var, slot in (("parent", "parents"), ("domain", "domains"), ("range", "ranges")):
            if var in row:
                term[slot].add(text_of(row[var]))
    groups: dict[str, list[dict[str, Any]]] = {}
    for term in terms.values():
        if term["iri"].startswith(ONTOLOGY_NS):
            groups.setdefault(term["kind"], []).append(term)
    header = describe.describe(runner, ONTOLOGY_IRI)
    return html_response("ontology.html", groups=groups, header=header)
