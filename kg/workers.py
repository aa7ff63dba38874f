"""Extraction in supervised worker processes, each article under a time and a memory bound.

``extract_bounded`` forks worker processes from the process that loaded the extractor (no pipeline reload), sends
them batches of articles and yields one outcome per article, in input order: its ``Extraction`` (or what ``finish``
makes of it in the worker: kg ingest maps it to quads there, kg.bulk_write.ship), or the reason it has none. The
parent watches every worker: when the article a worker is on passes ``timeout`` seconds, or the worker's resident
memory passes ``max_mb``, the worker is killed and a fresh one takes the rest of the batch. The article fails with
that reason when it was extracted alone; when articles after it were in the same batch (spaCy parses a batch's
paragraphs together, so their cost may have been counted against it), it is first tried again alone, and fails only
if it passes the bound again. An exception while extracting one article fails that article only: the others of its
batch are extracted one by one. Workers are forked (POSIX only) and killed when the generator is closed.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass, field
from itertools import islice
from multiprocessing.connection import Connection, wait
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from kg.config import Bounds
from kg.extract.model import Article, Extraction

if TYPE_CHECKING:
    from multiprocessing.context import ForkProcess

    from kg.extract import Extractor

Tag = TypeVar("Tag")
Out = TypeVar("Out")
POLL_SECONDS = 0.1  # how often a busy worker's clock and memory are looked at
RECYCLE_SHARE = 0.75  # an idle worker above this share of max_mb is replaced before its next batch

_EXTRACTOR: Extractor | None = None  # set in the parent just before forking; inherited by the workers
_FINISH: Callable[[Extraction], Any] | None = None  # likewise: what a worker sends for each extraction


@dataclass(frozen=True)
class Failed:
    """An article that has no extraction, and why."""

    reason: str


def _extract_batch(conn: Connection) -> None:
    """A worker's loop: receive a batch of articles, send back ("ok", Extraction) or ("failed", reason) per article."""
    extractor, finish = _EXTRACTOR, _FINISH or _same
    assert extractor is not None, "the worker was not forked from a process holding an extractor"
    # A terminal's Ctrl-C, or a service manager's SIGTERM, reaches the whole process group: the parent decides what
    # stops (kg.cli's handler, inherited through the fork, is not the worker's to run). The parent kills a worker
    # with SIGKILL; a worker whose parent has died ends at its next receive (EOFError).
    for sent in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sent, signal.SIG_IGN)
    while (batch := conn.recv()) is not None:
        done = 0
        try:
            for extraction in extractor.extract_many(batch):
                conn.send(("ok", finish(extraction)))
                done += 1
        except Exception:  # noqa: BLE001 - find the article at fault: the rest, one at a time
            for article in batch[done:]:
                try:
                    conn.send(("ok", finish(extractor.extract(article))))
                except Exception as e:  # noqa: BLE001
                    conn.send(("failed", f"extraction failed ({type(e).__name__}: {e})"))


def resident_mb(pid: int) -> float:
    """Resident memory of process ``pid`` in MB (0 where /proc is not available)."""
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as f:
            pages = int(f.read().split()[1])
    except (OSError, ValueError, IndexError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


@dataclass
class _Worker(Generic[Tag]):
    process: ForkProcess
    conn: Connection
    pending: deque[tuple[int, Tag, Article]] = field(default_factory=deque)
    backlog: list[tuple[int, Tag, Article]] = field(default_factory=list)  # sent once ``pending`` is done
    since: float = 0.0  # when the worker started on the article at the head of ``pending``

    @classmethod
    def start(cls) -> _Worker[Tag]:
        parent, child = multiprocessing.get_context("fork").Pipe()
        process = multiprocessing.get_context("fork").Process(target=_extract_batch, args=(child,), daemon=True,
                                                              name="kg-extract")
        process.start()
        child.close()
        return cls(process, parent)

    def send(self, items: list[tuple[int, Tag, Article]]) -> None:
        self.pending.extend(items)
        self.conn.send([a for _, _, a in items])
        self.since = time.monotonic()

    def stop(self, *, gently: bool = False) -> None:
        """Kill the worker (``gently``: ask it to finish first, and kill it only if it has not within a second)."""
        if gently:
            try:
                self.conn.send(None)
            except OSError:
                pass
            self.process.join(1)
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()


def _reason_to_kill(worker: _Worker[Tag], bounds: Bounds, now: float) -> str | None:
    if bounds.timeout and now - worker.since > bounds.timeout:
        return f"extraction passed the time bound of {bounds.timeout:g} s (KG_EXTRACT_TIMEOUT)"
    if bounds.max_mb and (mb := resident_mb(worker.process.pid or 0)) > bounds.max_mb:
        return f"extraction passed the memory bound of {bounds.max_mb:,} MB ({mb:,.0f} MB resident; KG_EXTRACT_MAX_MB)"
    return None


def _same(extraction: Extraction) -> Extraction:
    return extraction


@overload
def extract_bounded(extractor: Extractor, items: Iterable[tuple[Tag, Article]], *, bounds: Bounds,
                    workers: int = ..., batch_size: int = ...,
                    finish: None = ...) -> Generator[tuple[Tag, Extraction | Failed], None, None]: ...


@overload
def extract_bounded(extractor: Extractor, items: Iterable[tuple[Tag, Article]], *, bounds: Bounds,
                    workers: int = ..., batch_size: int = ...,
                    finish: Callable[[Extraction], Out]) -> Generator[tuple[Tag, Out | Failed], None, None]: ...


def extract_bounded(extractor: Extractor, items: Iterable[tuple[Tag, Article]], *, bounds: Bounds,
                    workers: int = 1, batch_size: int = 32,
                    finish: Callable[[Extraction], Any] | None = None) -> Generator[tuple[Tag, Any], None, None]:
    """``(tag, Extraction or Failed)`` for every ``(tag, article)`` of ``items``, in their order; with ``finish``,
    ``finish(extraction)`` computed in the worker instead of the extraction (it should not raise: an exception
    there fails the article as an extraction error would)."""
    global _EXTRACTOR, _FINISH
    if workers < 1 or batch_size < 1:
        raise ValueError(f"workers and batch_size must be >= 1, got {workers!r} and {batch_size!r}")
    _EXTRACTOR, _FINISH = extractor, finish
    iterator = enumerate(items)
    pool: list[_Worker[Tag]] = []
    done: dict[int, tuple[Tag, Any]] = {}
    next_out, exhausted = 0, False
    try:
        while True:
            for i, w in enumerate(pool):  # replace a worker grown large on earlier articles before it starts anew
                if not w.pending and bounds.max_mb and resident_mb(w.process.pid or 0) > RECYCLE_SHARE * bounds.max_mb:
                    w.stop()
                    pool[i] = _Worker.start()
            while len(pool) < workers and not exhausted:
                pool.append(_Worker.start())
            for w in pool:
                if not w.pending and w.backlog:
                    w.send(w.backlog)
                    w.backlog = []
                elif not w.pending and not exhausted:
                    batch = [(n, tag, article) for n, (tag, article) in islice(iterator, batch_size)]
                    exhausted = len(batch) < batch_size
                    if batch:
                        w.send(batch)
            busy = [w for w in pool if w.pending]
            if not busy:
                break
            ready = wait([w.conn for w in busy], timeout=POLL_SECONDS)
            now = time.monotonic()
            for i, w in enumerate(pool):
                if not w.pending:
                    continue
                reason = None
                if w.conn in ready:
                    try:
                        status, value = w.conn.recv()
                    except (EOFError, OSError):
                        code = w.process.exitcode
                        reason = f"the extraction process died (exit status {code})"
                    else:
                        n, tag, _ = w.pending.popleft()
                        done[n] = (tag, value if status == "ok" else Failed(value))
                        w.since = now
                        continue
                reason = reason or _reason_to_kill(w, bounds, now)
                if reason is None:
                    continue
                alone = len(w.pending) == 1
                head = w.pending.popleft()
                rest = list(w.pending) + w.backlog
                w.stop()
                fresh: _Worker[Tag] = _Worker.start()
                pool[i] = fresh
                if alone:
                    done[head[0]] = (head[1], Failed(reason))
                    if rest:
                        fresh.send(rest)
                else:  # parsed together with the articles after it: blamed only if it fails again on its own
                    fresh.send([head])
                    fresh.backlog = rest
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1
        while next_out in done:
            yield done.pop(next_out)
            next_out += 1
    finally:
        for w in pool:
            w.stop(gently=not w.pending)
