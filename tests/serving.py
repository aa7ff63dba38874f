"""A real ``kg serve`` process on a loopback port, for the tests that need the command itself (its WSGI server,
its exit status, what it leaves on disk) rather than the app."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import requests


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
            except requests.ConnectionError:
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
