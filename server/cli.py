"""``kg serve``: the app on a production WSGI server."""

from __future__ import annotations

import errno
import signal
import socket
import sys
from typing import Any

import click

from server.wsgi import DEFAULT_SERVER, SERVERS


@click.command()
@click.option("--host", envvar="KG_HOST", default="127.0.0.1", show_default=True,
              help="Interface to listen on. [env KG_HOST]")
@click.option("--port", envvar="KG_PORT", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="TCP port. [env KG_PORT]")
@click.option("--store", "store_location", envvar="KG_STORE", default=None,
              help="Store folder or http(s):// SPARQL endpoint. [env KG_STORE; default ./data/store]")
@click.option("--threads", envvar="KG_THREADS", type=click.IntRange(1, 256), default=8, show_default=True,
              help="Request threads of the WSGI server. [env KG_THREADS]")
@click.option("--server", "wsgi_server", envvar="KG_WSGI_SERVER", type=click.Choice(SERVERS), default=DEFAULT_SERVER,
              show_default=True, help="WSGI server. [env KG_WSGI_SERVER]")
@click.option("--query-timeout", type=float, default=None, help="Seconds per query. [env KG_QUERY_TIMEOUT; 30]")
@click.option("--query-workers", type=int, default=None,
              help="Query worker processes (0: evaluate in the server process). [env KG_QUERY_WORKERS]")
@click.option("--max-concurrent-queries", type=int, default=None,
              help="Queries admitted at once; beyond, 503. [env KG_MAX_CONCURRENT_QUERIES; 8]")
@click.option("--max-body", type=int, default=None, help="Largest request body, bytes. [env KG_MAX_BODY; 1000000]")
@click.option("--cors-origins", default=None, help="Allowed CORS origins, comma-separated. [env KG_CORS_ORIGINS; *]")
def serve(host: str, port: int, store_location: str | None, threads: int, wsgi_server: str, **limits: Any) -> None:
    """Serve the store: SPARQL endpoint, canned queries, HTML pages.

    Updates are accepted only when KG_UPDATE_TOKEN is set (as a Bearer token; never a flag, so it stays out of
    the process list). See docs/server.md.
    """
    from flask import Flask

    from server import create_app
    from server.settings import load
    from server.wsgi import serve_forever

    # SIGTERM ends the server like Ctrl-C: atexit stops the query workers and deletes their checkpoints
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

    config: dict[str, Any] = {key.upper(): value for key, value in limits.items() if value is not None}
    if store_location:
        config["STORE"] = store_location
    load(config)  # fail early, in the parent, on a malformed setting
    check_address(host, port)

    def make_app() -> Flask:
        app = create_app(config)
        click.echo(f"claimgraph: serving {app.config['STORE']} at http://{host}:{port}/sparql ({wsgi_server}, "
                   f"{threads} threads; updates {'on' if app.config['UPDATE_TOKEN'] else 'off'})", err=True)
        return app

    serve_forever(make_app, host=host, port=port, threads=threads, server=wsgi_server)


def check_address(host: str, port: int) -> None:
    """Fail with one clear line when the server could not listen on ``host``:``port`` (a port in use, an address
    not on this machine, a privileged port), instead of the WSGI server's retries and traceback.

    Raises click.ClickException.
    """
    where = f"{host}:{port}"
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM,
                                                             flags=socket.AI_PASSIVE)[0]
    except socket.gaierror as e:
        raise click.ClickException(f"cannot listen on {where}: unknown host {host!r} ({e.strerror})") from None
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the WSGI servers do
        try:
            probe.bind(address)
        except OSError as e:
            reason = {errno.EADDRINUSE: "the port is in use (another kg serve?): stop it, or choose another "
                                        "with --port / KG_PORT",
                      errno.EADDRNOTAVAIL: "the address is not one of this machine's (--host / KG_HOST)",
                      errno.EACCES: "ports below 1024 need privileges: choose another with --port / KG_PORT",
                      }.get(e.errno or 0, e.strerror or str(e))
            raise click.ClickException(f"cannot listen on {where}: {reason}") from None
