"""Query worker processes: queries that can be stopped, a capability of the embedded store.

``EmbeddedStore.start_workers`` starts a pool; from then on the store's ``execute`` sends every job to it.
pyoxigraph has no query timeout, so each query runs in a worker process over a read-only *checkpoint* of the
store (``Store.backup``: RocksDB hard links, made in milliseconds). At the deadline the worker is killed, which
stops the work and frees the CPU at once, and a fresh worker is started in the background. Who gets a free worker
is decided by kg.scheduler (round robin across clients, with reserve workers).

Checkpoints are made per *generation*. After an update, ``publish(generation)`` makes the new checkpoint and has
the idle workers open it *before* queries are sent to it, so readers go on with the previous snapshot meanwhile
and never wait for the swap; old checkpoints are deleted when no query reads them. Each checkpoint folder holds
an ``owner`` file (server pid and store); folders left by a server that was killed are removed at the next start.
"""

from __future__ import annotations

import json
import multiprocessing
import multiprocessing.connection
import os
import shutil
import signal
import tempfile
import threading
import time
from pathlib import Path
from typing import cast

import pyoxigraph as ox

from kg.errors import KGError, QueryTimeout, StoreError
from kg.query_job import Job, Outcome, evaluate
from kg.scheduler import FairScheduler

CHECKPOINT_PREFIX = ".kg-checkpoints-"
OWNER_FILE = "owner"

_CONTEXT = multiprocessing.get_context("spawn")  # no fork in a threaded server


OPEN_PER_WORKER = 2
"""Checkpoints a worker keeps open: the published one and the one being published, so neither waits."""


def worker_main(conn: multiprocessing.connection.Connection) -> None:
    """Loop of one worker process: receive (checkpoint path, Job or None), send ("ok", result) or ("error",
    KGError). A None job only opens the checkpoint."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the server, which ends its workers
    stores: dict[str, ox.Store] = {}  # insertion order: the oldest first
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        path, job = message
        try:
            store = stores.pop(path, None) or ox.Store.read_only(path)
            stores[path] = store
            while len(stores) > OPEN_PER_WORKER:
                del stores[next(iter(stores))]
            reply: tuple[str, object] = ("ok", None if job is None else evaluate(store, job))
        except KGError as e:
            reply = ("error", e)
        except Exception as e:  # anything else is reported to the request, never swallowed
            reply = ("error", StoreError(f"the query worker failed: {type(e).__name__}: {e}"))
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return


class Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self) -> None:
        self.conn, child = _CONTEXT.Pipe()
        self.process = _CONTEXT.Process(target=worker_main, args=(child,), daemon=True, name="kg-query-worker")
        self.process.start()
        child.close()
        self.opened: list[str] = []
        """The checkpoints this worker has open, the newest last (the parent's record of worker_main's)."""

    def record(self, path: str) -> None:
        if path in self.opened:
            self.opened.remove(path)
        self.opened = (self.opened + [path])[-OPEN_PER_WORKER:]

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.process.join(2)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(2)
        self.conn.close()


def remove_stale_checkpoints(parent: Path, store_path: str) -> list[Path]:
    """Remove the checkpoint folders in ``parent`` that no running server owns; the removed folders.

    A folder is stale when its owner process is gone, when it belongs to ``store_path`` (whose lock the caller
    holds, so its former server is gone), or when it has no owner file (made before owner files existed).
    """
    removed = []
    for folder in sorted(parent.glob(CHECKPOINT_PREFIX + "*")):
        if not folder.is_dir():
            continue
        try:
            owner = json.loads((folder / OWNER_FILE).read_text(encoding="utf-8"))
            stale = owner.get("store") == store_path or not _alive(int(owner["pid"]))
        except (OSError, ValueError, KeyError, TypeError):
            stale = True
        if stale:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


class QueryPool:
    """Worker processes evaluating jobs over checkpoints of ``store`` (a read-write pyoxigraph Store): ``size``
    ordinary ones and ``reserve`` more for clients with nothing running (kg.scheduler), a client using at most
    ``per_client`` at once. ``checkpoint_dir`` (default: beside ``store_path``) holds the checkpoints."""

    def __init__(self, store: ox.Store, *, size: int, store_path: str, checkpoint_dir: str | None = None,
                 reserve: int = 1, per_client: int | None = None) -> None:
        self.store = store
        self.size = size
        self.scheduler = FairScheduler(size=size, reserve=reserve, per_client=per_client)
        self.processes = size + reserve
        if checkpoint_dir:
            Path(checkpoint_dir).mkdir(parents=True, exist_ok=True)
        parent = Path(checkpoint_dir or Path(store_path).resolve().parent)  # same file system: hard links
        resolved = str(Path(store_path).resolve())
        self.removed_stale = remove_stale_checkpoints(parent, resolved)
        self.checkpoint_root = Path(tempfile.mkdtemp(prefix=CHECKPOINT_PREFIX, dir=parent))
        (self.checkpoint_root / OWNER_FILE).write_text(json.dumps({"pid": os.getpid(), "store": resolved}),
                                                       encoding="utf-8")
        self._idle: list[Worker] = []  # the most recently used last
        self._idle_changed = threading.Condition()
        self._busy: set[Worker] = set()
        self._live = 0
        self._lock = threading.Lock()
        self._publishing = threading.Lock()
        self._checkpoints: dict[int, Path] = {}
        self._readers: dict[int, int] = {}
        self.published = 0
        """The generation queries are sent to: the newest whose checkpoint is made and opened."""
        self._pending: Path | None = None
        self._closed = False
        self.kills = 0
        self._make_checkpoint(0)  # the store as it is at start: the workers open it as they start
        for _ in range(self.processes):  # start the workers in the background, so first queries need not wait
            threading.Thread(target=self._prestart, daemon=True, name="kg-worker-start").start()

    # -- checkpoints -----------------------------------------------------------------------------------------
    def _make_checkpoint(self, generation: int) -> Path:
        with self._lock:
            path = self._checkpoints.get(generation)
        if path is not None:
            return path
        path = self.checkpoint_root / f"generation-{generation}"
        try:
            self.store.backup(str(path))
        except OSError as e:
            raise StoreError(f"cannot make a checkpoint of the store in {path}: {e}") from e
        with self._lock:
            self._checkpoints[generation] = path
        return path

    def publish(self, generation: int) -> None:
        """Make the checkpoint of ``generation`` (the store after an update), have the idle workers open it, then
        send queries to it. Queries meanwhile go on reading the previous one. Raises StoreError."""
        with self._publishing:
            if generation <= self.published and generation in self._checkpoints:
                return
            path = self._make_checkpoint(generation)
            self._pending = path
            with self._idle_changed:
                stale = [w for w in self._idle if str(path) not in w.opened]
            for worker in stale:  # one at a time, so the others stay free for readers
                if self._claim(worker):
                    self._open(worker, path)
            with self._lock:
                self.published = max(self.published, generation)
                self._pending = None
                self._drop_old(self.published)

    def _claim(self, worker: Worker) -> bool:
        with self._idle_changed:
            if worker in self._idle:
                self._idle.remove(worker)
                return True
            return False

    def _put_idle(self, worker: Worker) -> None:
        with self._idle_changed:
            self._idle.append(worker)
            self._idle_changed.notify()

    def _open(self, worker: Worker, path: Path) -> None:
        """Have ``worker`` open ``path`` (outside any query), then make it idle again; a failed worker is discarded."""
        try:
            worker.conn.send((str(path), None))
            if worker.conn.poll(60):
                status, _ = worker.conn.recv()
                if status == "ok":
                    worker.record(str(path))
                    self._put_idle(worker)
                    return
        except (EOFError, OSError):
            pass
        self._discard(worker)

    def _reading(self) -> tuple[int, Path]:
        with self._lock:
            generation = self.published
            path = self._checkpoints.get(generation)
        if path is None:  # the first query: no checkpoint yet
            with self._publishing:
                path = self._make_checkpoint(generation)
        with self._lock:
            self._readers[generation] = self._readers.get(generation, 0) + 1
        return generation, path

    def _release(self, generation: int) -> None:
        with self._lock:
            self._readers[generation] -= 1
            self._drop_old(self.published)

    def _drop_old(self, newest: int) -> None:
        for generation in [g for g in self._checkpoints if g < newest and not self._readers.get(g)]:
            shutil.rmtree(self._checkpoints.pop(generation), ignore_errors=True)
            self._readers.pop(generation, None)

    # -- workers ---------------------------------------------------------------------------------------------
    def _acquire(self, deadline: float, timeout: float) -> Worker:
        with self._idle_changed:
            if self._idle:
                return self._idle.pop()
        with self._lock:
            spawn = self._live < self.processes
            if spawn:
                self._live += 1
        if spawn:
            try:
                return Worker()
            except OSError as e:
                with self._lock:
                    self._live -= 1
                raise StoreError(f"cannot start a query worker: {e}") from e
        with self._idle_changed:  # a slot is ours; its worker is being restarted or is opening a checkpoint
            while not self._idle:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise QueryTimeout(f"no query worker became free within the {timeout:g} s query timeout "
                                       "(KG_QUERY_TIMEOUT)")
                self._idle_changed.wait(remaining)
            return self._idle.pop()

    def _discard(self, worker: Worker) -> None:
        worker.kill()
        with self._lock:
            self._live -= 1
        if not self._closed:
            threading.Thread(target=self._prestart, daemon=True, name="kg-worker-respawn").start()

    def _prestart(self) -> None:
        with self._lock:
            if self._live >= self.processes or self._closed:
                return
            self._live += 1
        try:
            worker = Worker()
        except OSError:
            with self._lock:
                self._live -= 1
            return
        if self._closed:
            worker.stop()
            return
        path = self._newest()
        if path is not None:  # open the current checkpoint now, not in the next query's time
            self._open(worker, path)
        else:
            self._put_idle(worker)

    def _newest(self) -> Path | None:
        with self._lock:
            return self._pending or self._checkpoints.get(self.published)

    def _return(self, worker: Worker) -> None:
        path = self._newest()
        if path is not None and str(path) not in worker.opened:  # a newer snapshot: open it before the next query
            threading.Thread(target=self._open, args=(worker, path), daemon=True, name="kg-worker-open").start()
        else:
            self._put_idle(worker)

    def execute(self, job: Job, *, timeout: float) -> Outcome:
        """Evaluate ``job`` for ``job.client`` on the published checkpoint within ``timeout`` seconds (waiting for a
        worker included).

        Raises QueryTimeout (the worker is killed), the job's own KGError, or StoreError when a worker dies.
        """
        if self._closed:
            raise StoreError("the server is shutting down")
        deadline = time.monotonic() + timeout
        client = job.client
        kind = self.scheduler.acquire(client, deadline, timeout)
        try:
            generation, path = self._reading()
            try:
                status, payload = self._run(job, path, deadline, timeout)
            finally:
                self._release(generation)
        finally:
            self.scheduler.release(client, kind)
        if status == "error":
            assert isinstance(payload, KGError)
            raise payload
        return cast(Outcome, payload)

    def _run(self, job: Job, path: Path, deadline: float, timeout: float) -> tuple[str, object]:
        worker = self._acquire(deadline, timeout)
        with self._lock:
            self._busy.add(worker)
        try:
            worker.conn.send((str(path), job))
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                self.kills += 1
                self._discard(worker)
                raise QueryTimeout(f"the query ran longer than the {timeout:g} s timeout (KG_QUERY_TIMEOUT) "
                                   "and was stopped")
            reply: tuple[str, object] = worker.conn.recv()
            worker.record(str(path))
        except (EOFError, OSError) as e:
            self._discard(worker)
            raise StoreError(f"the query worker ended unexpectedly: {e!r}") from e
        finally:
            with self._lock:
                self._busy.discard(worker)
        self._return(worker)
        return reply

    def busy(self) -> int:
        """Workers evaluating a query now."""
        with self._lock:
            return len(self._busy)

    def close(self) -> None:
        """Stop every worker and delete the checkpoints."""
        self._closed = True
        with self._idle_changed:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.stop()
        with self._lock:
            busy = list(self._busy)
        for worker in busy:
            worker.kill()
        shutil.rmtree(self.checkpoint_root, ignore_errors=True)
