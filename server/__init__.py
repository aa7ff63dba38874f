"""The claimgraph HTTP service: SPARQL 1.1 Protocol endpoint, canned queries and HTML pages (``create_app``).

Query worker processes import only ``kg.query_pool`` (and what it needs), never this package.
"""

from __future__ import annotations

from server.app import create_app

__all__ = ["create_app"]
