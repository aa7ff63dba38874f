"""One tree of errors. Each carries the HTTP status the server answers it with, so mapping lives in one place."""

from __future__ import annotations

import re
from collections.abc import Sequence


class KGError(Exception):
    """Base of every error claimgraph raises on purpose; ``status`` is its HTTP status."""

    status: int = 500


class BadInput(KGError):
    """Input the user can fix: a malformed article, a non-UTF-8 file, a bad parameter."""

    status = 400


class BadQuery(BadInput):
    """A SPARQL query or update that does not parse or cannot run."""


class NotFound(KGError):
    status = 404


class StoreError(KGError):
    """The store could not be opened or reached, or refused a write."""

    status = 503


class StoreTimeout(StoreError, TimeoutError):
    """A remote store did not answer within its timeout; the request was cancelled (its connection closed)."""


class StoreLocked(StoreError):
    """Another process holds the embedded store open for writing."""


class QueryTimeout(StoreError):
    """A query ran past its time limit (``KG_QUERY_TIMEOUT``); its evaluation was stopped."""


class NotAcceptable(KGError):
    """No serialisation the client accepts fits the answer."""

    status = 406


class ServiceFailed(StoreError):
    """A SERVICE or LOAD endpoint failed; its answer is not passed on (502)."""

    status = 502


_HTTP_STATUS = re.compile(r"Error (\d{3})\b")


def remote_failure(error: BaseException, endpoints: Sequence[str]) -> ServiceFailed:
    """The error to answer when a query calling ``endpoints`` failed with ``error``: the endpoints and the HTTP
    status only, never the remote answer (which may be an internal page).

    >>> str(remote_failure(OSError("Error 500 from upstream: secret page"), ["https://example.org/sparql"]))
    'the remote endpoint <https://example.org/sparql> answered HTTP 500; its answer is not shown'
    """
    status = _HTTP_STATUS.search(str(error))
    what = f"answered HTTP {status.group(1)}" if status else "failed"
    if "redirect" in str(error).lower():
        what = "answered with a redirect, which is not followed"
    names = ", ".join(f"<{u}>" for u in endpoints)
    return ServiceFailed(f"the remote endpoint {names} {what}; its answer is not shown")
