"""Real ``kg serve`` processes on loopback ports, for the tests that need the command itself (its WSGI server,
gunicorn or waitress, its exit status, what it leaves on disk) or a process they can kill."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import requests

from tests.conftest import free_port


@contextmanager
def kg_serve(command: Sequence[str | Path], *, port: int, env: dict[str, str] | None = None,
             cwd: Path | None = None, timeout: float = 60) -> Iterator[str]:
    """Run ``command`` (a ``kg serve`` on ``port``) until ``/sparql`` answers; yield its base URL; stop it after.

    Raises AssertionError, with the server's stderr, when it exits or does not answer within ``timeout`` seconds.
    """
    proc = subprocess.Popen([str(c) for c in command], env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                requests.get(url + "/sparql", timeout=2)
                break
            except (requests.ConnectionError, requests.Timeout):  # not listening yet, or its app still loading
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    raise AssertionError(f"kg serve did not start: {proc.communicate()[1][-3000:]}") from None
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class KgServe:
    """``kg serve --store STORE --server SERVER`` with ``env`` (``KG_*`` settings) added to the environment."""

    def __init__(self, store: Path | str, *, server: str = "gunicorn", env: dict[str, str] | None = None,
                 timeout: float = 60) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = Path(str(store) + f".serve-{self.port}.log")
        environment = {**os.environ, "KG_QUERY_WORKERS": "1", **(env or {})}
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", "from kg.cli import main; main()", "serve", "--store", str(store),
                 "--host", "127.0.0.1", "--port", str(self.port), "--server", server],
                env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while True:
            try:
                if requests.get(self.url + "/sparql", params={"query": "ASK {}"}, timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"kg serve did not start: {self.log.read_text(errors='replace')}")
            time.sleep(0.2)

    def socket(self) -> socket.socket:
        connection = socket.create_connection(("127.0.0.1", self.port), timeout=30)
        return connection

    def stop(self) -> None:
        """SIGTERM, as an init system stops a service."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()

    def kill(self) -> None:
        """SIGKILL to the server and everything it started (its query workers), as an OOM killer would."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(20)
