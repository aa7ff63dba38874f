"""One tree of errors. Each carries the HTTP status the server answers it with, so mapping lives in one place."""

from __future__ import annotations


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
