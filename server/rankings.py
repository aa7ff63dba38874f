"""The ranking queries answered from the search index's store-wide summaries (kg.rankings) in the server.

``select_page`` is ``kg.paging.select_page`` for every view that pages a canned query (``/queries/<name>``, its
HTML table and form page): top-issues, contested-issues and co-quoted come from the summaries when they can answer
exactly, everything else (and those, otherwise) from SPARQL. The summaries are trusted while the store holds what
the index was synced with: an embedded store (which only this process can write while it serves) that no request
has written through the SPARQL Update or Graph Store endpoint since the app's first request. The first such write
marks the summaries stale in the index itself, so the rankings run as SPARQL, here and in ``kg query``, until
``kg reindex`` rebuilds it: an update can change claims without changing the digests the index syncs by.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import current_app

from kg import paging, rankings
from kg.query_job import Solutions, Term
from kg.search import SearchIndex
from kg.store import is_remote
from server.runner import current_runner

BASELINE = "claimgraph.rankings.generation"
MEMO = "claimgraph.rankings.memo"


def remember_generation() -> None:
    """Before each request: the store's update generation when the app served its first request."""
    current_app.extensions.setdefault(BASELINE, current_runner().generation)


def select_page(name: str, select: paging.Select, sparql: str, bindings: Mapping[str, Term], page: paging.Page, *,
                keys: paging.Keys | None = None) -> tuple[Solutions, bool]:
    """``page`` of the canned query ``name`` and whether more rows follow: from the summaries, else by SPARQL (its
    page keys from ``keys`` when given: server.keys)."""
    answered = _from_summaries(name, select, bindings, page)
    return answered if answered is not None else paging.select_page(select, sparql, bindings, page, keys=keys)


def trusted_index() -> SearchIndex | None:
    """The app's search index when its summaries may answer for the store now (synced with it on first use), else
    None: a remote store (others may write it: SPARQL sees their writes at once), a write through this server since
    its first request (the summaries are then marked stale in the index), another request's first sync running."""
    if is_remote(str(current_app.config["STORE"])):
        return None
    from server.search import EXTENSION, search_index

    index = search_index()  # synced with the store on first use (digests)
    generation = current_runner().generation
    if generation != current_app.extensions.get(BASELINE, 0):
        index.mark_rankings_stale()
        return None
    if current_app.extensions[EXTENSION].generation != generation:
        return None
    return index


def _from_summaries(name: str, select: paging.Select, bindings: Mapping[str, Term], page: paging.Page
                    ) -> tuple[Solutions, bool] | None:
    if name not in rankings.ANSWERS:
        return None
    index = trusted_index()
    if index is None:
        return None
    memo: dict[str, object] = current_app.extensions.setdefault(MEMO, {})
    return index.ranking(name, bindings, page, select, memo=memo)
