"""The Flask application factory: ``create_app(config=None)``.

Blueprints: ``sparql`` (the SPARQL 1.1 Protocol endpoint, VoID, CORS; this package), and when importable
``server.queries_views`` (canned queries) and ``server.pages`` (HTML pages). The store (opened by
``kg.store.open_store``, whatever its backend) and the QueryRunner over it live in ``app.extensions``. Every
KGError raised in a view is answered with its status and a message naming the problem.
"""

from __future__ import annotations

import atexit
import importlib
import logging
import threading
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, jsonify, request
from markupsafe import escape
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from kg.errors import KGError
from kg.store import EmbeddedStore, Store, open_store
from server import limits, negotiation, settings
from server.errors import BodyTooLarge, ServerBusy
from server.federation import FederationPolicy
from server.runner import EXTENSION, QueryRunner

log = logging.getLogger(__name__)
OPTIONAL_BLUEPRINTS = ("server.queries_views", "server.pages", "server.search", "server.reconcile")


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app over the store named by ``config["STORE"]`` (else ``KG_STORE``, else ``./data/store``).

    Raises BadInput for a malformed setting, StoreError / StoreLocked when the store cannot be opened.
    """
    app = Flask(__name__)
    app.config.update(settings.load(config))
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_BODY"]
    app.json.sort_keys = False  # type: ignore[attr-defined]  # on Flask's DefaultJSONProvider; typed as its base

    federation = FederationPolicy.from_setting(app.config["SERVICE_ALLOW"],
                                               allow_private=app.config["SERVICE_ALLOW_PRIVATE"])
    store = open_store(str(app.config["STORE"]), timeout=app.config["QUERY_TIMEOUT"])
    try:
        _refresh_static_graphs(store)
        pool = store.start_workers(size=app.config["QUERY_WORKERS"], checkpoint_dir=app.config["CHECKPOINT_DIR"],
                                   reserve=app.config["RESERVE_WORKERS"], per_client=app.config["CLIENT_WORKERS"])
    except BaseException:
        store.close()
        raise
    if pool is not None and pool.removed_stale:
        log.warning("removed %d checkpoint folder(s) left by a server that did not stop cleanly: %s",
                    len(pool.removed_stale), ", ".join(str(p) for p in pool.removed_stale))
    runner = QueryRunner(store, timeout=app.config["QUERY_TIMEOUT"],
                         max_concurrent=app.config["MAX_CONCURRENT_QUERIES"], federation=federation,
                         client_queries=app.config["CLIENT_QUERIES"])
    app.extensions[EXTENSION] = runner
    atexit.register(runner.close)

    from server.graph_store import blueprint as graph_store_blueprint
    from server.sparql import blueprint as sparql_blueprint
    app.register_blueprint(sparql_blueprint)
    app.register_blueprint(graph_store_blueprint)
    for module_name in OPTIONAL_BLUEPRINTS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as e:
            if e.name != module_name:
                raise
            continue
        app.register_blueprint(module.blueprint)

    limits.install(app, too_large=_body_too_large, proxies=app.config["PROXIES"])
    app.register_error_handler(KGError, error_response)
    app.register_error_handler(RequestEntityTooLarge, _too_large)
    app.register_error_handler(HTTPException, _http_error)
    return app


def _refresh_static_graphs(store: Store) -> None:
    """Reload an embedded store's ontology and reference graphs when an earlier release loaded them (the issue
    pages and canned queries read this release's taxonomy and its closure). A remote store, which ``kg serve``
    does not own, is only checked, in the background so that a slow or absent endpoint never holds up start-up,
    and warned about."""
    from kg.ingest import ensure_static_graphs, stale_static_graphs

    if isinstance(store, EmbeddedStore):
        if not store.read_only and stale_static_graphs(store):
            log.warning("reloaded %s: the store held them as an earlier release wrote them",
                        ", ".join(ensure_static_graphs(store)))
        return

    def check() -> None:
        try:
            stale = stale_static_graphs(store)
        except KGError as e:
            log.info("could not check the store's static graphs: %s", e)
            return
        if stale:
            log.warning("the store holds %s as an earlier release wrote them, so taxonomy answers may be out of "
                        "date: run `kg init --store %s`", ", ".join(stale), store.location)

    threading.Thread(target=check, name="claimgraph-static-graphs", daemon=True).start()


def error_response(error: KGError) -> Response:
    """Answer a KGError: its status, and its message as JSON (API clients) or HTML (browsers)."""
    status = getattr(error, "status", 500)
    message = str(error) or type(error).__name__
    if negotiation.prefers_html(request.headers.get("Accept")):
        response = Response(_error_page(status, type(error).__name__, message), status=status, mimetype="text/html")
    else:
        response = jsonify({"error": type(error).__name__, "status": status, "message": message})
        response.status_code = status
    if isinstance(error, ServerBusy):
        response.headers["Retry-After"] = str(error.retry_after)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="claimgraph updates"'
    return response


ERROR_TITLES = {400: "Bad request", 401: "Not authorised", 403: "Forbidden", 404: "Not found",
                405: "Method not allowed", 406: "Not acceptable", 413: "Too large", 415: "Unsupported media type",
                502: "Bad gateway", 503: "Unavailable"}


def _error_page(status: int, name: str, message: str) -> str:
    """The error as a page in the site's layout (server/templates/error.html) when the pages are installed."""
    from flask import current_app, render_template
    if "pages.index" in current_app.view_functions:
        try:
            return render_template("error.html", status=status, name=name, message=message,
                                   title=ERROR_TITLES.get(status, name))
        except Exception:  # noqa: BLE001 - an error page must never fail: fall back to the plain one
            log.exception("cannot render the error page")
    return (f"<!doctype html><title>{status} {escape(name)}</title>"
            f"<h1>{status} {escape(name)}</h1><p>{escape(message)}</p>\n")


def _body_too_large() -> BodyTooLarge:
    from flask import current_app
    limit = current_app.config["MAX_BODY"]
    return BodyTooLarge(f"the request body is larger than the limit of {limit} bytes (KG_MAX_BODY)")


def _too_large(_: RequestEntityTooLarge) -> Response:
    return error_response(_body_too_large())


def _http_error(error: HTTPException) -> Response:
    wrapped = KGError(error.description or error.name)
    wrapped.status = error.code or 500
    response = error_response(wrapped)
    for key, value in error.get_headers():
        if key.lower() == "allow":
            response.headers[key] = value
    return response
