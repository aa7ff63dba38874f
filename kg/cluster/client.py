"""Extraction on a Dask cluster: ``kg ingest --cluster ADDRESS`` (docs/cluster.md).

The client (the ``kg ingest`` process) reads the records, groups them by article id (the records of one id stay in
one task, so the last good one is stored, as ``kg ingest`` does), and sends partitions of ``KG_CLUSTER_BATCH``
articles to the workers, a bounded number at a time. Each worker keeps one loaded pipeline (kg.cluster.work) and
either writes each article itself to the remote store with ``kg.ingest.write_extraction`` (the RemoteStore's staged
write: an article is whole or absent; an article stored with the same input, software and pipeline is left as it
is) or returns its quads, which the client writes as N-Quads files for a bulk loader (kg.cluster.nquads).

A record that cannot be read is reported by the client; one that cannot be extracted or stored is reported by the
worker; the others go in. When a worker process dies on a partition (the nanny restarts it; after Dask's
``allowed-failures`` the task fails with KilledWorker), the partition's articles are tried again one per task, and
an article that kills a worker on its own is reported and skipped. A store error stops the ingest (the articles
written before stay whole), as in ``kg ingest``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import dask
from distributed import Client, Future, LocalCluster, as_completed
from distributed.scheduler import KilledWorker

from kg import config
from kg.articles import Record, Skipped, read_records
from kg.cluster.nquads import NQuadsOutput
from kg.cluster.work import Done, PipelinePlugin, RemoteTarget, pipeline_of, run_partition
from kg.config import Bounds
from kg.entity_graph import settle_labels
from kg.errors import BadInput, KGError, StoreError
from kg.extract.learned import proposer_mode
from kg.extract.pipeline import pipeline_name_from_env
from kg.fingerprint import software
from kg.ingest import Duplicate, IngestSummary, ensure_static_graphs
from kg.mapping import article_graph
from kg.remote_store import RemoteStore
from kg.store import is_remote

LOCAL = "local:"
DEFAULT_BATCH = 16
DEFAULT_TIMEOUT = 10.0
SETTLE_CHUNK = 500
CLOSE_TIMEOUT = 5.0


class ClusterError(KGError):
    """The cluster cannot be reached or used (no scheduler at the address, no workers, a worker that cannot load
    the pipeline)."""

    status = 503


def _setting(name: str, default: float) -> float:
    raw = config.env(name)
    try:
        value = float(raw) if raw is not None else default
    except ValueError:
        value = -1.0
    if value <= 0:
        raise BadInput(f"KG_{name} must be a positive number, not {raw!r}")
    return value


def local_workers(address: str) -> int | None:
    """N for ``local:N`` (a LocalCluster of N worker processes), None for a scheduler address.

    >>> local_workers("local:2"), local_workers("tcp://10.0.0.5:8786")
    (2, None)
    """
    if not address.startswith(LOCAL):
        if "://" not in address and ":" not in address:
            raise BadInput(f"--cluster {address!r} is neither a scheduler address (tcp://HOST:8786) nor local:N")
        return None
    n = address[len(LOCAL):]
    if not n.isdigit() or not 1 <= int(n) <= 64:
        raise BadInput(f"--cluster {address!r}: local:N takes N from 1 to 64 worker processes")
    return int(n)


def check_destination(location: str, nquads: Path | None) -> None:
    """Raise BadInput when the results have nowhere the workers can write: an embedded store folder."""
    if nquads is None and not is_remote(location):
        raise BadInput(
            f"kg ingest --cluster cannot write to the embedded store {location}: it is a folder that one process "
            "opens for writing, which the cluster's workers cannot share. Either point --store (KG_STORE) at a "
            "SPARQL 1.1 endpoint that every worker reaches (e.g. `oxigraph serve --location STORE --bind "
            "0.0.0.0:7878` and KG_STORE=http://HOST:7878/query), or write N-Quads files with --nquads DIR and "
            "bulk-load them (`oxigraph load --location STORE --file DIR/*.nq`); docs/cluster.md")


def target_of(store: RemoteStore) -> RemoteTarget:
    """The client's remote store settings, for the workers."""
    return RemoteTarget(store.url, store.update_url, store.gsp_url, store.union_param or "", store.timeout,
                        store.chunk, store.page_rows, token=config.env("UPDATE_TOKEN"),
                        user=config.env("REMOTE_USER"), password=config.env("REMOTE_PASSWORD"))


@contextmanager
def connected(address: str) -> Iterator[Client]:
    """A client of the scheduler at ``address``, or of a LocalCluster for ``local:N`` (stopped at the end; its
    workers are not daemonic, so that they may fork kg ingest's bounded extraction processes), with at least one
    worker. Raises ClusterError when the scheduler cannot be reached or has no worker within
    ``KG_CLUSTER_TIMEOUT`` seconds (default 10)."""
    timeout = _setting("CLUSTER_TIMEOUT", DEFAULT_TIMEOUT)
    n = local_workers(address)
    cluster = None
    try:
        if n is not None:
            with dask.config.set({"distributed.worker.daemon": False}):
                cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
                                       silence_logs=logging.CRITICAL)  # the client reports what matters
            client = Client(cluster)
        else:
            client = Client(address, timeout=timeout)
    except (OSError, TimeoutError) as e:
        if cluster is not None:
            cluster.close()
        raise ClusterError(f"cannot reach the Dask scheduler at {address} ({e}). Start one (`dask scheduler`, then "
                           f"`dask worker {address}` on each machine), check the address and the firewall, or run "
                           "on this machine with --cluster local:N") from e
    try:
        try:
            client.wait_for_workers(1, timeout=timeout)
        except TimeoutError as e:
            raise ClusterError(f"the Dask scheduler at {address} has no worker (waited {timeout:g} s, "
                               f"KG_CLUSTER_TIMEOUT): start some with `dask worker {address}`") from e
        yield client
    finally:  # bounded: an interrupted run must not wait for the tasks still running
        for closing in (client, cluster):
            if closing is not None:
                with suppress(TimeoutError, OSError):
                    closing.close(timeout=CLOSE_TIMEOUT)


def partitions(records: Iterable[Record], size: int) -> list[list[list[Record]]]:
    """The records grouped by article id (in the order ids first appear, each group in input order), in
    partitions of ``size`` ids."""
    groups: dict[str, list[Record]] = {}
    for r in records:
        groups.setdefault(r.article.id, []).append(r)
    ordered = list(groups.values())
    return [ordered[i:i + size] for i in range(0, len(ordered), size)]


def _died(group: list[Record], error: KilledWorker) -> Done:
    return Done(group[0].article.id, None, tuple(
        Skipped(r.source, f"article {r.article.id!r}: the worker process died extracting it, several times "
                          f"(out of memory past the worker's --memory-limit, or a crash): {error}") for r in group))


def run(client: Client, parts: list[list[list[Record]]], *, target: RemoteTarget | None, pipeline: str,
        learned: str, force: bool, bounds: Bounds, on_done: Callable[[int, list[Done]], None],
        keep_stored: bool = False) -> None:
    """Run every partition on the cluster, at most two per worker at a time; ``on_done(index, dones)`` is called
    once per partition, with every group's Done, as partitions finish."""
    window = 2 * max(1, len(client.scheduler_info()["workers"]))
    tasks: dict[Future[list[Done]], tuple[int, list[list[Record]], bool]] = {}
    left: dict[int, int] = {}  # tasks still out per partition (a partition split after KilledWorker has several)
    collected: dict[int, list[Done]] = {}
    queue = iter(enumerate(parts))
    pending = as_completed()

    def submit(index: int, groups: list[list[Record]], alone: bool) -> None:
        future = client.submit(run_partition, groups, pipeline, learned, target, force, bounds, keep_stored,
                               pure=False)
        tasks[future] = (index, groups, alone)
        left[index] = left.get(index, 0) + 1
        pending.add(future)

    def top_up() -> None:
        while len(tasks) < window and (item := next(queue, None)) is not None:
            submit(item[0], item[1], False)

    top_up()
    try:
        for future in pending:
            index, groups, alone = tasks.pop(future)
            left[index] -= 1
            try:
                dones = future.result()
            except KilledWorker as e:
                if alone:
                    dones = [_died(groups[0], e)]
                else:  # find the article at fault: each one in a task of its own
                    for g in groups:
                        submit(index, [g], True)
                    continue
            collected.setdefault(index, []).extend(dones)
            if not left[index]:
                on_done(index, collected.pop(index))
            top_up()
    except BaseException:
        client.cancel(list(tasks), force=True)
        raise


def ingest_on_cluster(address: str, paths: Iterable[str], *, location: str, nquads: Path | None = None,
                      pipeline: str | None = None, force: bool = False, keep_stored: bool = False,
                      progress: Callable[[str], None] | None = None,
                      after_write: Callable[[str], None] | None = None,
                      store: RemoteStore | None = None) -> IngestSummary:
    """``kg ingest`` on the cluster at ``address`` (a scheduler address, or ``local:N``): into the remote ``store``
    (at ``location``), or into N-Quads files in the folder ``nquads``. Same guarantees and summary as
    ``kg.ingest.ingest``. Raises BadInput for an embedded store, ClusterError when the cluster cannot be used,
    StoreError when the store fails."""
    check_destination(location, nquads)
    local_workers(address)  # a malformed address is reported before anything is read
    batch = int(_setting("CLUSTER_BATCH", DEFAULT_BATCH))
    bounds = Bounds.from_env()  # the client's bounds, applied by every worker that may fork (kg.cluster.work)
    try:
        name, learned = pipeline_name_from_env(pipeline), proposer_mode(None)
    except ValueError as e:
        raise BadInput(str(e)) from e
    summary = IngestSummary()
    records: list[Record] = []
    for item in read_records(paths):
        if isinstance(item, Skipped):
            summary.skipped.append(item)
        else:
            records.append(item)
    parts = partitions(records, batch)
    output = NQuadsOutput(nquads) if nquads is not None else None
    if store is None and output is None:
        raise StoreError(f"no remote store given for {location}")
    target = target_of(store) if store is not None and output is None else None
    nodes: set[str] = set()
    try:
        with connected(address) as client:
            try:
                client.register_plugin(PipelinePlugin(name, learned, software()))
                described = client.submit(pipeline_of, name, learned, pure=False).result()
            except KGError:
                raise
            except Exception as e:  # noqa: BLE001 - whatever a worker raised while loading: one clear error
                raise ClusterError(f"a worker cannot load the pipeline {name!r} ({type(e).__name__}: {e}): install "
                                   "claimgraph and the pipeline on every worker (docs/cluster.md)") from e
            if target is not None:
                assert store is not None
                store.drop_staging()  # what a write cut short left behind: never data
                ensure_static_graphs(store)

            def on_done(index: int, dones: list[Done]) -> None:
                if output is not None:
                    output.add(index, dones)
                for d in dones:
                    summary.skipped.extend(d.skipped)
                    if d.outcome is not None:
                        summary.outcomes[d.id] = d.outcome
                        if d.outcome.status == "written":
                            nodes.update(d.labelled)
                            if after_write and target is not None:
                                after_write(article_graph(d.id))
                    if progress:
                        progress(d.id)

            run(client, parts, target=target, pipeline=name, learned=learned, force=force, bounds=bounds,
                on_done=on_done, keep_stored=keep_stored)
        if output is not None:
            output.finish(described, summary.skipped)
        elif store is not None:  # concurrent writers may each have settled a shared node on a partial view
            ordered = sorted(nodes)
            for i in range(0, len(ordered), SETTLE_CHUNK):
                settle_labels(store, ordered[i:i + SETTLE_CHUNK])
    finally:
        if output is not None:
            output.close()
    summary.duplicates = [
        Duplicate(g[0].article.id, tuple(r.source for r in g),
                  summary.outcomes[g[0].article.id].source if g[0].article.id in summary.outcomes else None)
        for part in parts for g in part if len(g) > 1]
    return summary
