"""The claimgraph HTTP service: SPARQL 1.1 Protocol endpoint, canned queries and HTML pages (``create_app``)."""

from server.app import create_app

__all__ = ["create_app"]
