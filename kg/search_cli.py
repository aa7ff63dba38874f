"""``kg reindex`` and ``kg search``, and the hook through which ``kg ingest`` keeps the search index in step.

The index is a SQLite file beside an embedded store (``<store>.search.sqlite``), or ``KG_SEARCH_INDEX``;
``KG_SEARCH_INDEX=off`` makes ``kg ingest`` leave it alone (the server then catches up by itself: kg.search.sync).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import click

from kg import config
from kg.errors import KGError
from kg.search import ClaimFilters, SearchIndex, index_path, store_selector

OFF = ("off", "none", "0", "false")


def index_disabled() -> bool:
    return (config.env("SEARCH_INDEX") or "").lower() in OFF


@contextmanager
def ingest_hook(store: Any, location: str) -> Iterator[Callable[[str | Sequence[str]], None] | None]:
    """The ``after_write`` of ``kg.ingest.ingest``: index each article written, in the index of ``location``.

    A failure of the index never stops the ingest: it is reported once on stderr, and the articles it missed are
    indexed by the next ``sync`` (the server's, or ``kg reindex``), which compares content digests.
    """
    if index_disabled():
        yield None
        return
    try:
        index = SearchIndex(index_path(location))
    except (KGError, OSError) as e:
        click.echo(f"warning: search index not updated: {e}", err=True)
        yield None
        return
    select = store_selector(store)
    failed: list[str] = []

    def after_write(graphs: str | Sequence[str]) -> None:
        """Index one article graph, or the graphs of one batch (``kg.ingest.ingest``'s ``after_batch``)."""
        batch = [graphs] if isinstance(graphs, str) else list(graphs)
        if failed or not batch:
            return
        try:
            index.index_articles(select, batch)
        except Exception as e:  # noqa: BLE001 - the index is derived: the store write stands, sync repairs it
            failed.append(batch[0])
            click.echo(f"warning: search index not updated from {batch[0]} on ({e}); run kg reindex", err=True)

    try:
        yield after_write
    finally:
        index.close()


_store_option = click.option(
    "--store", "store_location", envvar="KG_STORE", default=None,
    help="Store folder, or http(s):// SPARQL endpoint URL of a remote store. [env KG_STORE; default ./data/store]")
_index_option = click.option("--index", "index_location", default=None,
                             help="Index file. [env KG_SEARCH_INDEX; default beside the store]")


@click.command()
@_store_option
@_index_option
@click.option("--check", is_flag=True, help="Only bring the index in step (changed articles), do not rebuild.")
def reindex(store_location: str | None, index_location: str | None, check: bool) -> None:
    """Rebuild the search index from the store (or, with --check, re-index only what changed)."""
    from kg.store import open_store

    location = config.store_location(store_location)
    path = index_path(location, index_location if index_location not in OFF else None)
    with open_store(location, read_only=not location.startswith(("http://", "https://"))) as store:
        index = SearchIndex(path)
        try:
            def progress(done: int, total: int) -> None:
                if sys.stderr.isatty():
                    click.echo(f"\rindexing: {done}/{total} article(s)", nl=False, err=True)

            select = store_selector(store)
            report = index.sync(select, progress=progress) if check else index.rebuild(select, progress=progress)
        finally:
            index.close()
    if sys.stderr.isatty():
        click.echo("", err=True)
    click.echo(f"indexed {report.indexed} article(s), removed {report.removed}, {report.entities} entities; the "
               f"index at {path} holds {report.claims} claim(s) ({report.seconds:.1f} s)", err=True)


@click.command()
@click.argument("words", nargs=-1, required=True)
@_store_option
@_index_option
@click.option("--entities", "only_entities", is_flag=True, help="Only entities by name.")
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def search(words: tuple[str, ...], store_location: str | None, index_location: str | None, only_entities: bool,
           limit: int, as_json: bool) -> None:
    """Look WORDS up in the search index: entities by name (typos allowed), then claims by text."""
    location = config.store_location(store_location)
    index = SearchIndex(index_path(location, index_location))
    try:
        text = " ".join(words)
        found = index.entities(text, limit=limit)
        claims = None if only_entities else index.claims(text, ClaimFilters(), limit=limit, facets=False)
    finally:
        index.close()
    if as_json:
        click.echo(json.dumps({"entities": [e.to_json() for e in found],
                               "claims": [h.to_json() for h in claims.hits] if claims else []}, indent=2))
        return
    for e in found:
        click.echo(f"{e.kind:12} {e.label}  <{e.iri}>  ({e.claims} claims, score {e.score:.2f})")
    if claims:
        click.echo(f"{claims.total} claim(s)")
        for h in claims.hits:
            click.echo(f"{h.date or '----------'}  {h.speaker_label or h.speaker_text or '?'}: {h.text}")
