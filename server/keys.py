"""The server's page keys from the search index (kg.keys), and when it falls back to the store's sub-select.

For ``who-said-what``, ``search-claims`` and ``claims-mentioning-country`` the page's claims are picked by the
search index when it is in step with the store, else by the query's key sub-select as before. Every answer of
those queries says which in its ``X-Page-Keys`` header (``search-index``, or ``sparql; reason="..."``), and the
server's log (``server.keys``, at INFO) says it too, with the time the index took.

The index is not used (the SPARQL path answers):

* with ``PAGE_KEYS`` set to ``sparql``;
* over a remote store, which others may write without this server seeing it, unless ``PAGE_KEYS`` is ``index``
  (then the index is used while its last sync is at most ``SEARCH_SYNC_SECONDS`` old);
* when there is no index, or it cannot be opened, or it is being brought in step (a sync in another request);
* once the store is written through this server (SPARQL Update, Graph Store): the digests the index's sync
  compares do not see an edit inside an article graph, so the index is marked unsafe for keys (in the file, so a
  restart does not forget it) until ``kg reindex`` rebuilds it;
* when a parameter is one the index cannot express (kg.keys.page_keys).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping

from flask import Flask, Response, current_app, g
from flask.sansio.app import App

from kg import paging
from kg.errors import KGError
from kg.keys import KEYED, page_keys
from kg.query_job import Solutions, Term
from server.runner import current_runner

log = logging.getLogger(__name__)

HEADER = "X-Page-Keys"
"""The response header naming where a keyed query's page keys came from."""
MODES = ("auto", "index", "sparql")
"""``PAGE_KEYS``: ``auto`` (the index over an embedded store), ``index`` (over a remote store too), ``sparql``."""
WRITTEN = "the store was written through the server's SPARQL Update or Graph Store endpoint"


def install(app: App) -> None:
    """Before any write through the app's QueryRunner, mark its search index unsafe for keys and its ranking
    summaries stale, in the index file: so that a restarted server or ``kg query`` does not trust them either,
    even when no ranking was asked between the write and the stop (server.rankings' own check is per process)."""
    assert isinstance(app, Flask)
    runner = app.extensions["claimgraph.runner"]

    def before_write() -> None:
        with app.app_context():
            try:
                from server.search import _holder
                index = _holder().index
                index.distrust_keys(f"{WRITTEN} ({time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())})")
                index.mark_rankings_stale()
            except (KGError, OSError) as e:  # no index: nothing to mark, and nothing will read keys from it
                log.info("search index not marked before a write: %s", e)

    runner.before_write.append(before_write)


def _select(sparql: str, bindings: Mapping[str, Term], max_rows: int | None) -> Solutions:
    return current_runner().select(sparql, bindings, max_rows=max_rows)


def _unusable() -> str | None:
    """Why the index may not pick keys now, or None (and the index synced, in ``g``)."""
    from server.search import _holder, search_index

    mode = str(current_app.config.get("PAGE_KEYS") or "auto").lower()
    if mode not in MODES:
        return f"PAGE_KEYS={mode!r} is not one of {', '.join(MODES)}"
    if mode == "sparql":
        return "PAGE_KEYS=sparql"
    try:
        holder = _holder()
        if holder.remote and mode != "index":
            return "a remote store, which others may write unseen (PAGE_KEYS=index uses the index)"
        unsafe = holder.index.keys_unsafe()
        if unsafe:
            return f"{unsafe}; kg reindex rebuilds the index"
        index = search_index()
    except (KGError, OSError) as e:
        return f"no search index ({e})"
    seconds = float(current_app.config.get("SEARCH_SYNC_SECONDS") or 60.0)
    if holder.generation != current_runner().generation or (
            holder.remote and time.monotonic() - holder.synced_at > seconds):
        return "the search index is being brought in step with the store"
    g.page_keys_index = index
    return None


def keys_for(name: str, bound: Mapping[str, Term]) -> paging.Keys | None:
    """The page keys of canned query ``name`` from the search index, for kg.paging.select_page; None for a query
    the index does not key. Records where the keys came from for ``mark``."""
    if name not in KEYED:
        return None

    def keys(page: paging.Page) -> tuple[Solutions, bool] | None:
        reason = _unusable()
        found = None
        if reason is None:
            started = time.monotonic()
            found = page_keys(g.page_keys_index, name, bound, page, _select)
            if found is None:
                reason = "a parameter the search index cannot express"
            else:
                log.info("%s: page keys from the search index (%.1f ms)", name, (time.monotonic() - started) * 1e3)
        if reason is not None:
            log.info("%s: page keys by SPARQL: %s", name, reason)
        g.page_keys = "search-index" if found is not None else 'sparql; reason="{}"'.format(
            str(reason).replace('"', "'"))
        return found

    return keys


def mark(response: Response) -> Response:
    """``response`` with the ``X-Page-Keys`` header of the keys this request used, if it used any."""
    used = g.get("page_keys")
    if used:
        response.headers[HEADER] = used
    return response
