"""claimgraph: a knowledge graph of who said what, when, about which issue, in news about negotiations."""

__version__ = "0.1.0"
SOFTWARE = f"claimgraph {__version__}"
"""The software name and release. Extraction runs record ``kg.fingerprint.software()``: this release with the
digest of its extraction rules."""
