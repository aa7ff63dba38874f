"""Configuration: ``KG_*`` environment variables, overridden by command-line flags, over these defaults.

Every variable is documented in README.md (store, extraction) and docs/server.md (service).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

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


DEFAULT_EXTRACT_TIMEOUT = 600.0  # seconds for one article; 2 M characters (the longest accepted) take a few minutes
DEFAULT_EXTRACT_MAX_MB = 4096  # resident MB of one extraction process, the loaded pipeline (about 300 MB) included


@dataclass(frozen=True)
class Bounds:
    """Limits on extracting one article: seconds, and resident MB of the extracting process; 0 is no limit."""

    timeout: float = DEFAULT_EXTRACT_TIMEOUT
    max_mb: int = DEFAULT_EXTRACT_MAX_MB

    @classmethod
    def from_env(cls) -> Bounds:
        """``KG_EXTRACT_TIMEOUT`` and ``KG_EXTRACT_MAX_MB``, else the defaults. Raises ValueError naming a bad one."""
        return cls(_number("KG_EXTRACT_TIMEOUT", DEFAULT_EXTRACT_TIMEOUT, float),
                   int(_number("KG_EXTRACT_MAX_MB", DEFAULT_EXTRACT_MAX_MB, int)))


def _number(name: str, default: float, kind: type[float] | type[int]) -> float:
    value = os.environ.get(name) or ""
    if not value:
        return default
    try:
        number = kind(value)
    except ValueError:
        number = -1
    if number < 0:
        raise ValueError(f"{name} must be a number of {'seconds' if kind is float else 'MB'} >= 0 (0: no bound), "
                         f"not {value!r}")
    return number
