"""Limits that hold for every request: the body size for chunked and unsized bodies, and the security headers.

Werkzeug enforces ``MAX_CONTENT_LENGTH`` only for a body with a ``Content-Length``. A chunked body under
gunicorn has none, and Werkzeug then reads at most the limit and stops - silently cutting the body, so a cut-off
update could parse and be applied. ``BodyLimit`` reads such a body before the app sees it, at most one byte past
``KG_MAX_BODY``: beyond, the request is answered 413 and the app never runs it; within, the app gets the whole
body with its length.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, Response

TOO_LARGE = "claimgraph.body_too_large"
"""Environ key set by BodyLimit when the body passed the limit (the app answers 413)."""

CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
                           "form-action 'self'; frame-ancestors 'none'")
"""Pages, the editor and their assets all come from this server; nothing inline, nothing framed."""
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class BodyLimit:
    """WSGI middleware: a body without ``Content-Length`` (chunked, or read to the end of the stream) is read here,
    up to ``limit`` bytes; a longer one sets ``environ[TOO_LARGE]`` and reaches the app empty."""

    def __init__(self, app: WSGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if _unsized(environ):
            body = _read_at_most(environ["wsgi.input"], self.limit + 1)
            if len(body) > self.limit:
                environ[TOO_LARGE] = True
                body = b""
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            environ["wsgi.input_terminated"] = False
        return self.app(environ, start_response)


def _unsized(environ: dict[str, Any]) -> bool:
    if environ.get("CONTENT_LENGTH"):
        return False
    chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
    return chunked or bool(environ.get("wsgi.input_terminated"))


def _read_at_most(stream: Any, size: int) -> bytes:
    parts: list[bytes] = []
    remaining = size
    while remaining > 0:
        part = stream.read(min(remaining, 65536))
        if not part:
            break
        parts.append(part)
        remaining -= len(part)
    return b"".join(parts)


def install(app: Flask, *, too_large: Callable[[], Exception], proxies: int = 0) -> None:
    """Wrap ``app`` in BodyLimit (its ``MAX_BODY``), refuse flagged requests with ``too_large()`` and add the
    security headers to every response. With ``proxies`` > 0, the client address is taken from that many
    ``X-Forwarded-For`` hops (the per-client query limits need the real client behind a reverse proxy)."""
    app.wsgi_app = BodyLimit(app.wsgi_app, int(app.config["MAX_BODY"]))  # type: ignore[method-assign]  # Flask's middleware hook
    if proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies)  # type: ignore[method-assign]  # Flask's middleware hook

    @app.before_request
    def _refuse_large_bodies() -> None:
        from flask import request
        if request.environ.get(TOO_LARGE):
            raise too_large()

    @app.after_request
    def _security_headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response
