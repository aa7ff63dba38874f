"""``/search`` (a page, or JSON by ``Accept``), ``/search/suggest`` (autocomplete), and names as parameters.

The app's search index (kg.search) is opened on first use at ``SEARCH_INDEX`` (``KG_SEARCH_INDEX``; default beside
an embedded store). Before it answers, it is brought in step with the store (``sync``) when the store changed
through this server (the runner's update generation), when it was never synced by this process, and, over a
remote store that others write, at most every ``SEARCH_SYNC_SECONDS`` (60). A sync that is already running is not
waited for unless the index is empty: searches meanwhile read the previous state.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for
from markupsafe import Markup, escape

from kg.errors import BadInput
from kg.search import CLAIM_KINDS, ID_BASE, KINDS, ClaimFilters, Entity, SearchIndex, index_path, words
from kg.vocab import PREFIXES
from server import negotiation
from server.runner import current_runner

blueprint = Blueprint("search", __name__, template_folder="templates")

EXTENSION = "claimgraph.search"
SYNC_SECONDS = 60.0
PER_PAGE = 20
MAX_PER_PAGE = 200

PARAM_KINDS: dict[str, tuple[str, ...]] = {
    "speaker": ("person", "organisation", "country"),
    "speakerCountry": ("country",),
    "official": ("person",),
    "person": ("person",),
    "country": ("country",),
    "issue": ("issue",),
    "topic": ("issue",),
    "publisher": ("publisher", "organisation"),
    "organisation": ("organisation",),
    "organization": ("organisation",),
}
"""Which entity kinds a parameter of this name takes when it is given as a name (other names: any kind)."""


class _Holder:
    """The app's index and its sync state."""

    def __init__(self, index: SearchIndex, remote: bool) -> None:
        self.index = index
        self.remote = remote
        self.generation: int | None = None
        self.synced_at = 0.0
        self.lock = threading.Lock()


def _holder() -> _Holder:
    holder: _Holder | None = current_app.extensions.get(EXTENSION)
    if holder is None:
        location = str(current_app.config["STORE"])
        path = index_path(location, current_app.config.get("SEARCH_INDEX"))
        holder = current_app.extensions.setdefault(
            EXTENSION, _Holder(SearchIndex(path), location.startswith(("http://", "https://"))))
    return holder


def _runner_select(sparql: str) -> list[dict[str, Any]]:
    return current_runner().select(sparql)[1]


def search_index() -> SearchIndex:
    """The app's search index, in step with the store (see the module's docstring)."""
    holder = _holder()
    runner = current_runner()
    generation = getattr(runner, "generation", 0)
    seconds = float(current_app.config.get("SEARCH_SYNC_SECONDS") or SYNC_SECONDS)
    stale = holder.generation != generation or (holder.remote and time.monotonic() - holder.synced_at > seconds)
    if stale:
        empty = holder.index.article_count() == 0 and holder.generation is None
        if holder.lock.acquire(blocking=empty):
            try:
                if holder.generation != generation or holder.remote:
                    holder.index.sync(_runner_select)
                    holder.generation, holder.synced_at = generation, time.monotonic()
            finally:
                holder.lock.release()
    return holder.index


# -- names as parameters -------------------------------------------------------------------------------------------

class Ambiguous(BadInput):
    """A name that matches several entities (or none): the message lists the nearest ones."""

    def __init__(self, param: str, raw: str, candidates: list[Entity]) -> None:
        self.param, self.raw, self.candidates = param, raw, candidates
        if candidates:
            names = "; ".join(f"{e.label} ({e.kind}, {e.iri.removeprefix(ID_BASE)})" for e in candidates[:5])
            message = f"{param}={raw!r} could mean several entities; did you mean: {names}?"
        else:
            message = f"{param}={raw!r} names no entity in this dataset (give a name, a slug or an IRI)"
        super().__init__(message)


@dataclass
class Resolution:
    """How a parameter value given as a name was read: ``iri`` it stands for, and the entity's label."""

    param: str
    raw: str
    iri: str
    label: str


def looks_like_iri(raw: str) -> bool:
    prefix, colon, rest = raw.partition(":")
    return bool(colon) and (prefix in PREFIXES or rest.startswith("//") or prefix in ("urn", "mailto"))


def resolve(index: SearchIndex, param: str, raw: str, kinds: tuple[str, ...] | None = None) -> Resolution | None:
    """The entity a parameter value names: None when ``raw`` is already an IRI (or prefixed name); else the
    entity whose slug, path, label or alias it is, or that it is close to (typos), when that is clear.

    Clear means: one entity matches best, or the best of several equally good matches has at least three times
    the claims of the next (``Trump`` is Donald Trump). Raises Ambiguous listing the candidates otherwise.
    """
    raw = raw.strip()
    if not raw or looks_like_iri(raw):
        return None
    if kinds is None and param not in PARAM_KINDS:
        return None  # not an entity the index knows (an article, an endpoint): the IRI is needed
    kinds = kinds if kinds is not None else PARAM_KINDS[param]
    path = raw.strip("/")
    if "/" in path:
        found = index.entity(ID_BASE + path)
        if found:
            return Resolution(param, raw, found.iri, found.label)
    candidates = index.entities(raw, kinds=kinds, limit=8, min_score=0.7)
    slug = path.lower()
    by_slug = [e for e in candidates if "-" in slug and e.iri.rsplit("/", 1)[-1].lower() == slug]
    if len(by_slug) == 1:
        return Resolution(param, raw, by_slug[0].iri, by_slug[0].label)
    if not candidates:
        raise Ambiguous(param, raw, index.entities(raw, kinds=kinds, limit=5, min_score=0.6))
    top = candidates[0].score
    close = [e for e in candidates if e.score >= top - 0.05]
    chosen = None
    if top >= 0.8 and len(close) == 1:
        chosen = close[0]
    elif top >= 0.8:
        close.sort(key=lambda e: -e.claims)
        if close[0].claims >= 3 * max(close[1].claims, 1):
            chosen = close[0]
    if chosen is None:
        raise Ambiguous(param, raw, candidates)
    return Resolution(param, raw, chosen.iri, chosen.label)


def resolve_values(values: dict[str, str], entity_params: list[str]) -> tuple[dict[str, str], list[Resolution]]:
    """``values`` with every entity parameter given by name replaced by its IRI, and how each was read."""
    out = dict(values)
    done = []
    for name in entity_params:
        raw = values.get(name)
        if not raw:
            continue
        found = resolve(search_index(), name, raw)
        if found:
            out[name] = found.iri
            done.append(found)
    return out, done


# -- /search ---------------------------------------------------------------------------------------------------

FILTERS = ("speaker", "country", "issue", "publisher")


@dataclass
class SearchRequest:
    """The parsed arguments of ``/search``."""

    q: str
    filters: ClaimFilters
    types: list[str]
    page: int
    per_page: int
    sort: str
    resolved: list[Resolution] = field(default_factory=list)
    ambiguous: list[Ambiguous] = field(default_factory=list)


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadInput(f"{name}={raw!r} is not a whole number") from None
    if not low <= value <= high:
        raise BadInput(f"{name}={value} is out of range ({low}..{high})")
    return value


def _date_arg(name: str) -> str | None:
    from kg.queries import PARAM_TYPES

    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None
    try:
        PARAM_TYPES["date"](raw)
    except ValueError as e:
        raise BadInput(f"{name}={raw!r} is not {e}") from None
    return raw


def _kind_arg() -> str | None:
    raw = (request.args.get("kind") or "").strip()
    if not raw:
        return None
    by_name = {v.replace(" ", "-"): k for k, v in CLAIM_KINDS.items()}
    by_local = {k.rsplit("#", 1)[-1].lower(): k for k in CLAIM_KINDS}
    key = raw.lower().replace(" ", "-")
    found = raw if raw in CLAIM_KINDS else by_name.get(key) or by_local.get(key.replace("-", "")) \
        or by_name.get(key + "-quote")
    if not found:
        raise BadInput(f"kind={raw!r} is not a claim kind; use direct, indirect or mixed")
    return found


def parse_search() -> SearchRequest:
    index = search_index()
    values: dict[str, str | None] = {}
    resolved, ambiguous = [], []
    for name in FILTERS:
        raw = (request.args.get(name) or "").strip()
        if not raw:
            values[name] = None
            continue
        try:
            found = resolve(index, name, raw)
        except Ambiguous as e:
            ambiguous.append(e)
            values[name] = None
            continue
        if found:
            resolved.append(found)
        values[name] = found.iri if found else _expand(raw)
    types = [t for t in request.args.getlist("type") if t]
    unknown = [t for t in types if t not in KINDS]
    if unknown:
        raise BadInput(f"type={unknown[0]!r} is not an entity type; use {', '.join(KINDS)}")
    sort = request.args.get("sort") or "rank"
    filters = ClaimFilters(speaker=values["speaker"], country=values["country"], issue=values["issue"],
                           kind=_kind_arg(), publisher=values["publisher"], date_from=_date_arg("from"),
                           date_to=_date_arg("to"), undated=(request.args.get("undated") or "").lower() in
                           ("1", "true", "yes", "on"))
    return SearchRequest((request.args.get("q") or "").strip(), filters, types, _int_arg("page", 1, 1, 100000),
                         _int_arg("per_page", PER_PAGE, 1, MAX_PER_PAGE), sort, resolved, ambiguous)


def _expand(raw: str) -> str:
    prefix, _, local = raw.partition(":")
    return PREFIXES[prefix] + local if prefix in PREFIXES and not local.startswith("//") else raw


def wants_json() -> bool:
    if request.args.get("format") == "json":
        return True
    if request.args.get("format") == "html":
        return False
    return not negotiation.prefers_html(request.headers.get("Accept"))


@blueprint.get("/search")
def search() -> Response:
    """Entities by name and claims by text with filters, facets and pages."""
    s = parse_search()
    index = search_index()
    entities = index.entities(s.q, kinds=s.types or None, limit=8) if s.q and s.page == 1 else []
    results = index.claims(s.q, s.filters, offset=(s.page - 1) * s.per_page, limit=s.per_page, sort=s.sort)
    pages = max(1, math.ceil(results.total / s.per_page))
    if wants_json():
        response = jsonify({
            "q": s.q, "filters": s.filters.active(), "page": s.page, "perPage": s.per_page, "pages": pages,
            "sort": s.sort, "entities": [e.to_json() for e in entities],
            "claims": {"total": results.total, "items": [h.to_json() for h in results.hits]},
            "facets": {name: [{"value": v, "label": label, "count": n} for v, label, n in rows]
                       for name, rows in results.facets.items()},
            "resolved": [{"param": r.param, "value": r.raw, "iri": r.iri, "label": r.label} for r in s.resolved],
            "didYouMean": [{"param": a.param, "value": a.raw, "candidates": [e.to_json() for e in a.candidates]}
                           for a in s.ambiguous],
        })
        response.headers["Vary"] = "Accept"
        return response
    labels = {v: index.label(v) or v for v in s.filters.active().values() if v.startswith("http")}
    html = render_template("search.html", s=s, entities=entities, results=results, pages=pages,
                           labels=labels, link=_link, claim_kinds=CLAIM_KINDS, sorts=SORT_NAMES)
    response = Response(html, mimetype="text/html")
    response.headers["Vary"] = "Accept"
    return response


@blueprint.app_template_filter("marked")
def marked(snippet: str) -> Markup:
    """A snippet from the index, escaped, with its matched words (between \\x01 and \\x02) in ``<b>``."""
    return Markup(str(escape(snippet)).replace("\x01", "<b>").replace("\x02", "</b>"))


SORT_NAMES = {"rank": "best match", "date": "newest first", "date-asc": "oldest first", "speaker": "speaker"}


def _link(**changes: Any) -> str:
    """The current search's URL with some arguments changed (None removes one); the page goes back to 1."""
    args = {k: v for k, v in request.args.items() if v}
    args.pop("page", None)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = str(value)
    return url_for("search.search") + ("?" + urlencode(args) if args else "")


@blueprint.get("/search/suggest")
def suggest() -> Response:
    """Autocomplete for the search box: up to ``limit`` entities whose name starts like, or is close to, ``q``."""
    q = (request.args.get("q") or "").strip()
    limit = _int_arg("limit", 8, 1, 50)
    types = [t for t in request.args.getlist("type") if t in KINDS] or None
    found = search_index().entities(q, kinds=types, limit=limit) if len(words(q)) else []
    root = request.script_root
    return jsonify({"q": q, "entities": [{**e.to_json(), "url": f"{root}/id/{e.iri.removeprefix(ID_BASE)}"}
                                         for e in found]})
