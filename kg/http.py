"""Trying a request again, the one way: for the remote store (connections that never opened) and the linker's
endpoint client (connection failures, 429 and 5xx answers).

An attempt that may be repeated raises ``Retry``; ``retrying`` waits ``backoff * 2**n`` seconds (or the ``after``
the answer asked for, such as ``Retry-After``, when longer; never more than ``max_wait``) and tries again, at most
``attempts`` times and never past ``deadline``. Which failures are safe to repeat is the caller's decision: a
request that may have been applied is never a ``Retry``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class Retry(Exception):  # noqa: N818 - an instruction to the loop, not a failure
    """Raised by an attempt that failed in a way that is safe to try again; ``after``: seconds the other side
    asked to wait."""

    def __init__(self, reason: str, *, after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.after = after


def retrying(attempt: Callable[[int], T], *, attempts: int, backoff: float, deadline: float | None = None,
             max_wait: float = 30.0, sleep: Callable[[float], None] = time.sleep) -> T:
    """The value of the first ``attempt(n)`` (n = 0, 1, ...) that does not raise Retry.

    Raises the last Retry when every attempt asked to be retried, or when the next wait would pass ``deadline``
    (a ``time.monotonic()`` value); any other exception of an attempt at once.

    >>> calls = []
    >>> def flaky(n: int) -> str:
    ...     calls.append(n)
    ...     if n < 2:
    ...         raise Retry("refused")
    ...     return "answer"
    >>> retrying(flaky, attempts=3, backoff=0.1, sleep=calls.append)
    'answer'
    >>> calls
    [0, 0.1, 1, 0.2, 2]
    """
    for n in range(attempts):
        try:
            return attempt(n)
        except Retry as e:
            wait = min(max(backoff * 2 ** n, e.after or 0.0), max_wait)
            if n == attempts - 1 or (deadline is not None and time.monotonic() + wait >= deadline):
                raise
            sleep(wait)
    raise ValueError(f"attempts must be at least 1, not {attempts}")
