"""Server configuration: ``create_app(config)`` keys over ``KG_<KEY>`` environment variables over defaults.

Every key is documented in docs/server.md.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from kg import config as kg_config
from kg.errors import BadInput

DEFAULTS: dict[str, Any] = {
    "STORE": kg_config.DEFAULT_STORE,
    "QUERY_TIMEOUT": 30.0,
    "UPDATE_TOKEN": None,
    "MAX_BODY": 1_000_000,
    "MAX_CONCURRENT_QUERIES": 8,
    "QUERY_WORKERS": min(4, os.cpu_count() or 1),
    "HTML_MAX_ROWS": 1000,
    "CORS_ORIGINS": "*",
    "CHECKPOINT_DIR": None,
    "SPARQL_ENDPOINT": None,
    "CLIENT_QUERIES": None,
    "CLIENT_WORKERS": None,
    "RESERVE_WORKERS": 1,
    "PROXIES": 0,
    "SERVICE_ALLOW": None,
    "SERVICE_ALLOW_PRIVATE": False,
    "PAGE_KEYS": "auto",
}
"""Key -> default. Each key is read from ``KG_<KEY>`` when the caller does not give it."""

CONVERTERS: dict[str, type] = {
    "QUERY_TIMEOUT": float, "MAX_BODY": int, "MAX_CONCURRENT_QUERIES": int, "QUERY_WORKERS": int,
    "HTML_MAX_ROWS": int, "CLIENT_QUERIES": int, "CLIENT_WORKERS": int, "RESERVE_WORKERS": int, "PROXIES": int,
}
MINIMA = {"QUERY_TIMEOUT": 0.001, "MAX_BODY": 1, "MAX_CONCURRENT_QUERIES": 1, "QUERY_WORKERS": 0,
          "HTML_MAX_ROWS": 1, "CLIENT_QUERIES": 1, "CLIENT_WORKERS": 1, "RESERVE_WORKERS": 0, "PROXIES": 0}
FLAGS = ("SERVICE_ALLOW_PRIVATE",)
FLAG_WORDS = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False, "off": False}


def load(overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The effective settings. Raises BadInput naming the variable when a value does not parse or is too small."""
    overrides = overrides or {}
    settings: dict[str, Any] = {}
    for key, default in DEFAULTS.items():
        value = overrides.get(key)
        source = key
        if value is None:
            value = kg_config.env(key)
            source = f"KG_{key}"
        if value is None:
            value = default
        if value is not None and key in CONVERTERS:
            try:
                value = CONVERTERS[key](value)
            except (TypeError, ValueError):
                raise BadInput(f"{source} must be a number, not {value!r}") from None
            if value < MINIMA[key]:
                raise BadInput(f"{source} must be at least {MINIMA[key]}, not {value!r}")
        if key in FLAGS and isinstance(value, str):
            if value.lower() not in FLAG_WORDS:
                raise BadInput(f"{source} must be one of {', '.join(FLAG_WORDS)}, not {value!r}")
            value = FLAG_WORDS[value.lower()]
        settings[key] = value
    for key, value in overrides.items():  # Flask settings (TESTING, ...) pass through
        settings.setdefault(key, value)
    return settings
