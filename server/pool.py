"""Query worker processes: queries that can be stopped.

pyoxigraph has no query timeout, so each query runs in a worker process over a read-only *checkpoint* of the
store (``Store.backup``: RocksDB hard links, made in milliseconds). At the deadline the worker is killed, which
stops the work and frees the CPU at once, and a fresh worker is started in the background. Checkpoints are made
per *generation*: the runner bumps the generation after each update, and the next query gets a new checkpoint;
old ones are deleted when no query is reading them.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import queue
import shutil
import signal
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import KGError, StoreError
from server.errors import QueryTimeout
from server.evaluate import Job, evaluate

_CONTEXT = multiprocessing.get_context("spawn")  # no fork in a threaded server


def worker_main(conn: multiprocessing.connection.Connection) -> None:
    """Loop of one worker process: receive (checkpoint path, Job), send ("ok", result) or ("error", KGError)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the server, which ends its workers
    store: ox.Store | None = None
    opened: str | None = None
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        path, job = message
        try:
            if path != opened:
                store, opened = None, None
                store, opened = ox.Store.read_only(path), path
            assert store is not None
            reply: tuple[str, Any] = ("ok", evaluate(store, job))
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


class QueryPool:
    """At most ``size`` worker processes evaluating jobs over checkpoints of ``store`` (a read-write pyoxigraph
    Store). ``checkpoint_dir`` (default: a new folder beside ``store_path``) holds the checkpoints."""

    def __init__(self, store: ox.Store, *, size: int, store_path: str, checkpoint_dir: str | None = None) -> None:
        self.store = store
        self.size = size
        if checkpoint_dir:
            Path(checkpoint_dir).mkdir(parents=True, exist_ok=True)
        parent = checkpoint_dir or str(Path(store_path).resolve().parent)  # same file system: hard links
        self.checkpoint_root = Path(tempfile.mkdtemp(prefix=".kg-checkpoints-", dir=parent))
        self._idle: queue.LifoQueue[Worker] = queue.LifoQueue()
        self._busy: set[Worker] = set()
        self._live = 0
        self._lock = threading.Lock()
        self._checkpoints: dict[int, Path] = {}
        self._readers: dict[int, int] = {}
        self._closed = False
        self.kills = 0
        for _ in range(size):  # start the workers in the background, so first queries need not wait
            threading.Thread(target=self._prestart, daemon=True, name="kg-worker-start").start()

    # -- checkpoints -----------------------------------------------------------------------------------------
    def _checkpoint(self, generation: int) -> Path:
        with self._lock:
            path = self._checkpoints.get(generation)
            if path is None:
                path = self.checkpoint_root / f"generation-{generation}"
                try:
                    self.store.backup(str(path))
                except OSError as e:
                    raise StoreError(f"cannot make a checkpoint of the store in {path}: {e}") from e
                self._checkpoints[generation] = path
            self._readers[generation] = self._readers.get(generation, 0) + 1
            self._drop_old(generation)
            return path

    def _release(self, generation: int) -> None:
        with self._lock:
            self._readers[generation] -= 1
            self._drop_old(max(self._checkpoints))

    def _drop_old(self, newest: int) -> None:
        for generation in [g for g in self._checkpoints if g < newest and not self._readers.get(g)]:
            shutil.rmtree(self._checkpoints.pop(generation), ignore_errors=True)
            self._readers.pop(generation, None)

    # -- workers ---------------------------------------------------------------------------------------------
    def _acquire(self, deadline: float, timeout: float) -> Worker:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            if self._live < self.size:
                self._live += 1
                spawn = True
            else:
                spawn = False
        if spawn:
            try:
                return Worker()
            except OSError as e:
                with self._lock:
                    self._live -= 1
                raise StoreError(f"cannot start a query worker: {e}") from e
        try:
            return self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise QueryTimeout(f"no query worker became free within the {timeout:g} s query timeout "
                               "(KG_QUERY_TIMEOUT)") from None

    def _discard(self, worker: Worker) -> None:
        worker.kill()
        with self._lock:
            self._live -= 1
        if not self._closed:
            threading.Thread(target=self._prestart, daemon=True, name="kg-worker-respawn").start()

    def _prestart(self) -> None:
        with self._lock:
            if self._live >= self.size or self._closed:
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
        else:
            self._idle.put(worker)

    def execute(self, job: Job, *, generation: int, timeout: float) -> Any:
        """Evaluate ``job`` on the checkpoint of ``generation`` within ``timeout`` seconds.

        Raises QueryTimeout (the worker is killed), the job's own KGError, or StoreError when a worker dies.
        """
        if self._closed:
            raise StoreError("the server is shutting down")
        deadline = time.monotonic() + timeout
        path = self._checkpoint(generation)
        try:
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
                status, payload = worker.conn.recv()
            except (EOFError, OSError) as e:
                self._discard(worker)
                raise StoreError(f"the query worker ended unexpectedly: {e!r}") from e
            finally:
                with self._lock:
                    self._busy.discard(worker)
            self._idle.put(worker)
        finally:
            self._release(generation)
        if status == "error":
            raise payload
        return payload

    def close(self) -> None:
        """Stop every worker and delete the checkpoints."""
        self._closed = True
        while True:
            try:
                self._idle.get_nowait().stop()
            except queue.Empty:
                break
        with self._lock:
            busy = list(self._busy)
        for worker in busy:
            worker.kill()
        shutil.rmtree(self.checkpoint_root, ignore_errors=True)
