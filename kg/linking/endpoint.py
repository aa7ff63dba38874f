"""A polite, cached client of a Wikidata-compatible SPARQL endpoint, for ``kg link``.

Every answer is kept on disk (one JSON file per endpoint + query text), so a rerun over the same entities sends no
request. Requests go through SPARQLWrapper with a timeout, a descriptive User-Agent and retries with exponential
backoff (honouring ``Retry-After``; ``kg.http.retrying``, shared with the remote store). Once the endpoint has
proved unreachable, the client stops trying for the rest of the run and answers from the cache only, so an offline
``kg link`` ends quickly.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import urllib.error
from collections.abc import Callable
from pathlib import Path
from typing import Any

from SPARQLWrapper import GET, JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

import kg
from kg import config
from kg.errors import KGError
from kg.http import Retry, retrying

DEFAULT_ENDPOINT = "https://query.wikidata.org/sparql"
DEFAULT_CACHE = "./data/link-cache"
CONTACT = "https://w3id.org/claimgraph"
USER_AGENT = f"claimgraph/{kg.__version__} ({CONTACT}; entity linking with kg link; SPARQLWrapper)"
_RETRY_STATUS = {429, 500, 502, 503, 504}
_MAX_SLEEP = 30.0

Bindings = list[dict[str, dict[str, str]]]
"""SPARQL 1.1 JSON result rows: ``[{"var": {"type": "uri", "value": "…"}, …}, …]``."""


class EndpointUnavailable(KGError):
    """The endpoint could not be reached (or kept failing) and the cache does not hold the answer."""

    status = 503


class NotCached(EndpointUnavailable):
    """Offline mode: the answer is not in the cache and the network must not be used."""


def cache_location(flag: str | None = None) -> Path:
    """The cache folder: the ``--cache`` flag, else ``KG_LINK_CACHE``, else ``./data/link-cache``."""
    return Path(flag or config.env("LINK_CACHE", DEFAULT_CACHE) or DEFAULT_CACHE)


class SparqlClient:
    """Cached SELECT queries against one endpoint.

    ``requests`` counts HTTP requests actually sent (retries included); ``cache_hits`` counts answers read from
    disk. With ``offline=True`` no request is ever sent.
    """

    def __init__(self, endpoint: str = DEFAULT_ENDPOINT, *, cache_dir: Path | None = None, offline: bool = False,
                 timeout: float | None = None, attempts: int | None = None, backoff: float = 0.5,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if not endpoint.startswith(("http://", "https://")):
            raise KGError(f"the endpoint must be an http(s):// URL, not {endpoint!r}")
        self.endpoint = endpoint
        self.cache_dir = cache_dir if cache_dir is not None else cache_location()
        self.offline = offline
        self.timeout = timeout if timeout is not None else float(config.env("LINK_TIMEOUT", "30") or 30)
        self.attempts = max(1, attempts if attempts is not None else int(config.env("LINK_ATTEMPTS", "3") or 3))
        self.backoff = backoff
        self._sleep = sleep
        self.requests = 0
        self.cache_hits = 0
        self.unreachable: str | None = None  # the reason, once the endpoint has failed for good

    def _cache_file(self, query: str) -> Path:
        digest = hashlib.sha256(f"{self.endpoint}\n{query}".encode()).hexdigest()
        return self.cache_dir / digest[:2] / f"{digest}.json"

    def select(self, query: str) -> Bindings:
        """The result rows of a SELECT query, from the cache when it holds them.

        Raises NotCached in offline mode on a cache miss, EndpointUnavailable when the endpoint cannot be reached
        or keeps failing, KGError when it rejects the query (a bug in the query: not retried).
        """
        path = self._cache_file(query)
        if path.exists():
            try:
                rows: Bindings = json.loads(path.read_text(encoding="utf-8"))["results"]["bindings"]
                self.cache_hits += 1
                return rows
            except (ValueError, KeyError) as e:  # a torn or foreign file: ask again and overwrite it
                path.unlink(missing_ok=True)
                if self.offline:
                    raise NotCached(f"the cached answer {path} is unreadable ({e}) and --offline is set") from e
        if self.offline:
            raise NotCached("not in the link cache, and --offline forbids asking the endpoint")
        if self.unreachable:
            raise EndpointUnavailable(self.unreachable)
        result = self._fetch(query)
        self._store(path, query, result)
        fetched: Bindings = result["results"]["bindings"]
        return fetched

    def _wrapper(self, query: str) -> SPARQLWrapper:
        sparql = SPARQLWrapper(self.endpoint, agent=USER_AGENT)
        sparql.setOnlyConneg(True)  # no format=/output= parameters: plain SPARQL protocol
        sparql.setReturnFormat(JSON)
        sparql.setMethod(GET if len(query) < 1500 else POST)  # GET answers are cacheable by the endpoint
        sparql.setTimeout(int(max(1, self.timeout)))
        sparql.addCustomHttpHeader("Accept", "application/sparql-results+json")
        sparql.setQuery(query)
        return sparql

    def _fetch(self, query: str) -> dict[str, Any]:
        try:
            return retrying(lambda _: self._attempt(query), attempts=self.attempts, backoff=self.backoff,
                            max_wait=_MAX_SLEEP, sleep=self._sleep)
        except Retry as e:
            self.unreachable = e.reason
            raise EndpointUnavailable(e.reason) from None

    def _attempt(self, query: str) -> dict[str, Any]:
        """One request; Retry for what may succeed later (no connection, 429, 5xx), KGError for a refusal."""
        try:
            self.requests += 1
            result = self._wrapper(query).queryAndConvert()
            if not isinstance(result, dict) or "results" not in result:
                raise EndpointUnavailable(f"{self.endpoint} did not answer with SPARQL JSON results")
            return result
        except urllib.error.HTTPError as e:
            last = f"{self.endpoint} answered {e.code} {e.reason}"
            if e.code not in _RETRY_STATUS:
                raise KGError(f"{last}: {e.read().decode('utf-8', 'replace')[:300]}") from e
            retry_after = e.headers.get("Retry-After", "") if e.headers else ""
            raise Retry(last, after=float(retry_after) if retry_after.isdigit() else None) from e
        except SPARQLWrapperException as e:  # 400/401/404/414 are not worth retrying; 500 is
            if type(e).__name__ != "EndPointInternalError":
                raise KGError(f"{self.endpoint} refused the query: {str(e).strip()[:300]}") from e
            raise Retry(f"{self.endpoint} failed: {str(e).strip()[:200]}") from e
        except (urllib.error.URLError, TimeoutError, ConnectionError) as e:
            raise Retry(f"cannot reach {self.endpoint}: {getattr(e, 'reason', e)}") from e

    def _store(self, path: Path, query: str, result: dict[str, Any]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        record = {"endpoint": self.endpoint, "query": query, "fetched": time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                                                                      time.gmtime()),
                  "results": {"bindings": result["results"]["bindings"]}}
        tmp.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)  # atomic: a reader never sees half a file
