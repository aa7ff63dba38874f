"""The claimgraph HTTP service: SPARQL 1.1 Protocol endpoint, canned queries and HTML pages (``create_app``).

``create_app`` is imported on first use, so query worker processes that import ``server.pool`` stay light.
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from server.app import create_app
        return create_app
    raise AttributeError(f"module 'server' has no attribute {name!r}")
