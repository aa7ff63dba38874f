"""Configuration: ``KG_*`` environment variables, overridden by command-line flags, over these defaults.

Every variable is documented in README.md (store, extraction) and docs/server.md (service).
"""

from __future__ import annotations

import os

DEFAULT_STORE = "./data/store"


def env(name: str, default: str | None = None) -> str | None:
    """The value of ``KG_<name>``, or ``default`` when unset or empty."""
    value = os.environ.get(f"KG_{name}")
    return value if value else default


def store_location(flag: str | None = None) -> str:
    """Where the store is: the ``--store`` flag, else ``KG_STORE``, else ``./data/store``."""
    return flag or env("STORE", DEFAULT_STORE) or DEFAULT_STORE


def max_article_chars() -> int:
    return int(env("MAX_ARTICLE_CHARS", "2000000") or 2000000)
