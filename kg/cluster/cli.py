"""``kg ingest --cluster``: the glue between the command and ``kg.cluster.client`` (importable without Dask)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kg import config
from kg.errors import BadInput

if TYPE_CHECKING:
    from kg.ingest import IngestSummary


def cluster_ingest(address: str, paths: tuple[str, ...], store_location: str | None, nquads: Path | None,
                   pipeline: str | None, force: bool, progress: Callable[[str], None], *,
                   keep_stored: bool = False) -> tuple[IngestSummary, str]:
    """Run the ingest on the cluster at ``address``; the summary, and what the destination holds afterwards."""
    location = config.store_location(store_location)
    try:
        from kg.cluster.client import check_destination, ingest_on_cluster
    except ModuleNotFoundError as e:
        if e.name not in ("distributed", "dask"):
            raise
        raise click.ClickException("kg ingest --cluster needs Dask: pip install 'claimgraph[cluster]' "
                                   "(docs/cluster.md)") from e
    check_destination(location, nquads)
    if nquads is not None:
        summary = ingest_on_cluster(address, paths, location=location, nquads=nquads, pipeline=pipeline,
                                    force=force, keep_stored=keep_stored, progress=progress)
        manifest = json.loads((nquads / "manifest.json").read_text(encoding="utf-8"))
        return summary, (f"{nquads} holds {manifest['quads']} quads in {len(manifest['files'])} files "
                         f"({nquads / 'manifest.json'})")
    from kg.remote_store import RemoteStore
    from kg.search_cli import ingest_hook
    from kg.store import open_store

    with open_store(location) as store, ingest_hook(store, location) as after_write:
        if not isinstance(store, RemoteStore):  # the workers write over SPARQL; check_destination refused a folder
            raise BadInput(f"kg ingest --cluster writes through a SPARQL endpoint; {location} opened as "
                           f"{type(store).__name__}")
        summary = ingest_on_cluster(address, paths, location=location, pipeline=pipeline, force=force,
                                    keep_stored=keep_stored,
                                    progress=progress, after_write=after_write, store=store)
        return summary, f"store holds {store.count()} quads"
