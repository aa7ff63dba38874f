"""Fair scheduling of queries onto the query workers: one client's runaway queries cannot starve the others.

Queries wait in one queue per client; whenever a worker is free, the clients take turns (round robin), so a client
with many queries waiting does not get ahead of one with a single query. A client runs at most ``per_client``
queries at once (``KG_CLIENT_WORKERS``). Beyond the ``size`` ordinary workers, ``reserve`` more
(``KG_RESERVE_WORKERS``) are kept for clients that have nothing running: while one client's runaway queries hold
every ordinary worker, another client's small query is still answered at once. A query that has not got a worker
by its deadline leaves the queue with QueryTimeout.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass

from kg.errors import QueryTimeout

ORDINARY = "ordinary"
RESERVE = "reserve"


@dataclass
class Ticket:
    client: str
    kind: str | None = None


class FairScheduler:
    """Grants worker slots to clients' queries, round robin across clients."""

    def __init__(self, *, size: int, reserve: int = 1, per_client: int | None = None) -> None:
        self.free = {ORDINARY: size, RESERVE: reserve}
        self.per_client = max(1, per_client if per_client is not None else size)
        self.running: dict[str, int] = {}
        self._waiting: OrderedDict[str, deque[Ticket]] = OrderedDict()  # clients in turn order
        self._changed = threading.Condition()

    def acquire(self, client: str, deadline: float, timeout: float) -> str:
        """Wait for a slot for one query of ``client`` until ``deadline`` (``time.monotonic``); the slot's kind.

        Raises QueryTimeout when none was granted in time.
        """
        ticket = Ticket(client)
        with self._changed:
            self._waiting.setdefault(client, deque()).append(ticket)
            self._dispatch()
            while ticket.kind is None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    self._withdraw(ticket)
                    raise QueryTimeout(f"no query worker became free within the {timeout:g} s query timeout "
                                       "(KG_QUERY_TIMEOUT); the workers are busy with other queries")
                self._changed.wait(remaining)
            return ticket.kind

    def waiting(self) -> int:
        """Queries waiting for a slot (all clients)."""
        with self._changed:
            return sum(len(queue) for queue in self._waiting.values())

    def release(self, client: str, kind: str) -> None:
        """Give back a slot granted to ``client``; the next waiting client's query gets it."""
        with self._changed:
            self.running[client] -= 1
            if not self.running[client]:
                del self.running[client]
            self.free[kind] += 1
            self._dispatch()

    def _withdraw(self, ticket: Ticket) -> None:
        queue = self._waiting.get(ticket.client)
        if queue is not None and ticket in queue:
            queue.remove(ticket)
            if not queue:
                del self._waiting[ticket.client]

    def _dispatch(self) -> None:
        granted = True
        while granted and self._waiting:
            granted = False
            for client in list(self._waiting):
                running = self.running.get(client, 0)
                if running >= self.per_client:
                    continue
                if self.free[ORDINARY] > 0:
                    kind = ORDINARY
                elif self.free[RESERVE] > 0 and running == 0:
                    kind = RESERVE
                else:
                    continue
                queue = self._waiting.pop(client)  # its turn is used: it goes to the back of the line
                ticket = queue.popleft()
                if queue:
                    self._waiting[client] = queue
                ticket.kind = kind
                self.free[kind] -= 1
                self.running[client] = running + 1
                granted = True
                break
        self._changed.notify_all()
