"""Running the app on a production WSGI server: waitress (default, all platforms) or gunicorn (one process with
threads: the embedded store admits one process, and queries run in the runner's own worker processes)."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Any

from flask import Flask

SERVERS = ("waitress", "gunicorn")
DEFAULT_SERVER = "waitress" if sys.platform == "win32" else "gunicorn"
"""gunicorn where it runs: it answered large results about 1.7 times faster in benchmarks/bench_wsgi.py."""


def serve_forever(make_app: Callable[[], Flask], *, host: str, port: int, threads: int,
                  server: str = DEFAULT_SERVER) -> None:
    """Serve the app that ``make_app`` builds until interrupted. Under gunicorn the app is built in the worker
    process, after the fork, so the store and the query workers belong to it. Raises ValueError for an unknown
    ``server``."""
    if server == "waitress":
        from waitress import serve
        serve(make_app(), host=host, port=port, threads=threads, ident="claimgraph")
    elif server == "gunicorn":
        _gunicorn(make_app, host=host, port=port, threads=threads).run()
    else:
        raise ValueError(f"unknown WSGI server {server!r}; choose one of {', '.join(SERVERS)}")


def _gunicorn(make_app: Callable[[], Flask], *, host: str, port: int, threads: int) -> Any:
    from gunicorn.app.base import BaseApplication

    class Application(BaseApplication):
        def load_config(self) -> None:
            for key, value in {"bind": f"{host}:{port}", "workers": 1, "threads": threads,
                               "worker_class": "gthread", "timeout": 0, "accesslog": None}.items():
                self.cfg.set(key, value)
            if "control_socket_disable" in self.cfg.settings:  # gunicorn >= 25.1: no socket in ~/.gunicorn/
                self.cfg.set("control_socket_disable", True)    # that every instance of the user would share

        def load(self) -> Flask:  # type: ignore[override]  # types-gunicorn's start_response lacks PEP 3333's exc_info
            return make_app()

    return Application()


class BackgroundServer:
    """``app`` on waitress in a daemon thread, on ``host`` and a free port (``port=0``): tests and benchmarks.

    ``url`` is the base URL; ``stop()`` closes the listening socket and the app's runner.
    """

    def __init__(self, app: Flask, *, host: str = "127.0.0.1", port: int = 0, threads: int = 8) -> None:
        from waitress.server import create_server

        self.app = app
        self._server = create_server(app, host=host, port=port, threads=threads, ident="claimgraph")
        self.port: int = self._server.effective_port  # type: ignore[union-attr]  # one host: a single-socket server
        self.url = f"http://{host}:{self.port}"
        self._thread = threading.Thread(target=self._run, name=f"waitress:{self.port}", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._server.run()
        except OSError:  # the socket closed by stop()
            pass

    def stop(self) -> None:
        self._server.close()
        self._server.task_dispatcher.shutdown()
        runner = self.app.extensions.get("claimgraph.runner")
        if runner is not None:
            runner.close()
