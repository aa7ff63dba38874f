"""HTTP-flavoured errors of the server, in the KGError tree so one handler answers them all."""

from __future__ import annotations

from kg.errors import BadInput, KGError, NotAcceptable, QueryTimeout, StoreError

__all__ = ["BodyTooLarge", "Forbidden", "MethodNotAllowed", "NotAcceptable", "QueryTimeout", "ServerBusy",
           "Unauthorized", "UnsupportedMediaType"]


class UnsupportedMediaType(BadInput):
    """A request body in a media type or charset the endpoint does not take."""

    status = 415


class MethodNotAllowed(KGError):
    status = 405


class Unauthorized(KGError):
    """An update without credentials."""

    status = 401


class Forbidden(KGError):
    """An update with a wrong token, or updates switched off."""

    status = 403


class BodyTooLarge(BadInput):
    status = 413


class ServerBusy(StoreError):
    """Every query slot is taken; the client may retry after ``retry_after`` seconds."""

    retry_after = 1
