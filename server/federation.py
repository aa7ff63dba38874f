"""Which remote endpoints a query or update may make the server call: the SSRF guard.

Oxigraph calls a ``SERVICE`` endpoint (and a ``LOAD`` source) itself, with its own HTTP client, from the query
worker; nothing can intercept that call. So every query and update is checked *before* it runs:

- every ``SERVICE`` target must be an IRI (a variable endpoint - ``SERVICE ?e`` - or a prefixed name is refused:
  it could not be checked beforehand) whose URL is on the allow-list (``KG_SERVICE_ALLOW``);
- its host must resolve only to public addresses: loopback, private, link-local, shared, reserved and multicast
  addresses are refused (unless ``KG_SERVICE_ALLOW_PRIVATE`` says an internal mirror is meant);
- ``LOAD <url>`` follows the same rule.

``SERVICE`` groups nested inside an allowed ``SERVICE`` group are the remote endpoint's business (e.g. Wikidata's
``SERVICE wikibase:label``): Oxigraph sends the group's text to the remote endpoint and never calls them itself.
Oxigraph does not follow redirects (its limit is 0), so a redirect cannot lead elsewhere; the answer is an error.
The residual risk is DNS rebinding between this check and Oxigraph's own lookup, which the allow-list confines
to the hosts the operator listed.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from kg.errors import BadInput, ServiceFailed, remote_failure
from kg.sparql import SPARQL_TOKEN
from kg.sparql.tokens import group_end

__all__ = ["FederationPolicy", "ServiceFailed", "ServiceRefused", "remote_failure"]

DEFAULT_ALLOW = ("https://query.wikidata.org/sparql", "https://dbpedia.org/sparql")
"""The endpoints ``KG_SERVICE_ALLOW`` lists unless set: Wikidata's and DBpedia's query services."""
ANY_PUBLIC = "*"
NOTHING = "none"

TOKEN = SPARQL_TOKEN  # the one tokenizer: its IRIs hold \\u escapes, which Oxigraph resolves inside IRIs
CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
NAME_BEFORE = (":", "?", "$", "@")
"""A word right after one of these is part of a prefixed name, a variable or a language tag (``ex:SERVICE``,
``?service``, ``"..."@load``)."""

Resolver = Callable[[str, int], list[str]]


class ServiceRefused(BadInput):
    """A SERVICE or LOAD target that the server will not call (400)."""


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to. Raises OSError when it does not resolve."""
    return sorted({str(info[4][0]) for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)})


def is_public(address: str) -> bool:
    """Whether ``address`` is a globally routable unicast address (IPv4-mapped IPv6 judged as its IPv4)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


@dataclass(frozen=True)
class Target:
    """One remote call a query or update asks for: ``keyword`` is SERVICE or LOAD; ``url`` is None for a target
    that is not an IRI (``written`` is then what the query says instead)."""

    keyword: str
    url: str | None
    written: str


def _unescape(iri: str) -> str:
    return CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), iri)


def targets(sparql: str, *, base_iri: str | None = None) -> list[Target]:
    """The SERVICE and LOAD targets of ``sparql`` outside allowed-or-not SERVICE groups' insides, in order.

    Relative IRIs resolve against ``BASE`` declarations, then ``base_iri``.

    >>> [t.url for t in targets("SELECT * { SERVICE SILENT <http://e/s> { SERVICE <x:y> {} } }")]
    ['http://e/s']
    >>> targets("SELECT * { SERVICE ?e { } }")[0].written
    '?e'
    """
    tokens = [m for m in TOKEN.finditer(sparql) if not m.group(0).startswith("#")]
    found: list[Target] = []
    base = base_iri
    i = 0
    while i < len(tokens):
        word = tokens[i].group(0).upper()
        start = tokens[i].start()
        after = tokens[i].end()
        is_keyword = not (start > 0 and sparql[start - 1] in NAME_BEFORE) and sparql[after:after + 1] != ":"
        if word == "BASE" and is_keyword and i + 1 < len(tokens) and tokens[i + 1].group(0).startswith("<"):
            base = urljoin(base or "", _unescape(tokens[i + 1].group(0)[1:-1]))
            i += 2
            continue
        if word not in ("SERVICE", "LOAD") or not is_keyword:
            i += 1
            continue
        j = i + 1
        if j < len(tokens) and tokens[j].group(0).upper() == "SILENT":
            j += 1
        if j == len(tokens):
            break
        written = tokens[j].group(0)
        url = urljoin(base or "", _unescape(written[1:-1])) if written.startswith("<") and len(written) > 1 \
            else None
        if url is None and written in ("?", "$") and j + 1 < len(tokens):
            written += tokens[j + 1].group(0)
        found.append(Target(word, url, written))
        i = group_end(tokens, j) if word == "SERVICE" and url is not None else j + 1
    return found


def _normal(url: str) -> tuple[str, str, int, str]:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.scheme.lower(), (parts.hostname or "").lower(), port, parts.path or "/"


@dataclass(frozen=True)
class FederationPolicy:
    """The allow-list (``allow``: endpoint URLs; an entry ending in ``/`` allows every path below it; ``*`` any
    public endpoint; empty: none) and whether listed endpoints may resolve to private addresses."""

    allow: tuple[str, ...] = DEFAULT_ALLOW
    allow_private: bool = False
    resolver: Resolver = field(default=resolve, compare=False)

    @classmethod
    def from_setting(cls, value: str | Iterable[str] | None, *, allow_private: bool = False) -> FederationPolicy:
        """A policy from ``KG_SERVICE_ALLOW``'s value (comma-separated; ``none`` for no federation at all).

        Raises BadInput naming an entry that is not an absolute http(s) URL.
        """
        if value is None:
            entries: list[str] = list(DEFAULT_ALLOW)
        else:
            raw = value.split(",") if isinstance(value, str) else list(value)
            entries = [e.strip() for e in raw if e.strip()]
        if [e.lower() for e in entries] == [NOTHING]:
            entries = []
        for entry in entries:
            parts = urlsplit(entry)
            if entry != ANY_PUBLIC and (parts.scheme not in ("http", "https") or not parts.hostname):
                raise BadInput(f"KG_SERVICE_ALLOW: {entry!r} is not an http(s) endpoint URL (or * or none)")
        return cls(tuple(entries), allow_private)

    def listed(self, url: str) -> bool:
        """Whether ``url`` is on the allow-list (before any address check)."""
        if ANY_PUBLIC in self.allow:
            return True
        scheme, host, port, path = _normal(url)
        for entry in self.allow:
            e_scheme, e_host, e_port, e_path = _normal(entry)
            if (scheme, host, port) == (e_scheme, e_host, e_port) and \
                    (path == e_path or (e_path.endswith("/") and path.startswith(e_path))):
                return True
        return False

    def check_url(self, url: str, keyword: str = "SERVICE") -> None:
        """Raise ServiceRefused, naming ``url`` and why, unless the server may call it."""
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise ServiceRefused(f"{keyword} <{url}> refused: only http(s) endpoints can be called")
        if parts.username is not None or parts.password is not None:
            raise ServiceRefused(f"{keyword} <{url}> refused: endpoint URLs with credentials are not allowed")
        if not self.listed(url):
            listed = ", ".join(self.allow) or "nothing: federation is switched off"
            raise ServiceRefused(f"{keyword} <{url}> refused: the endpoint is not on the allow-list "
                                 f"(KG_SERVICE_ALLOW allows {listed})")
        if self.allow_private:
            return
        try:
            addresses = self.resolver(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
        except (OSError, UnicodeError) as e:
            raise ServiceRefused(f"{keyword} <{url}> refused: its host {parts.hostname} does not resolve "
                                 f"({e.__class__.__name__})") from None
        private = [a for a in addresses if not is_public(a)]
        if private or not addresses:
            raise ServiceRefused(f"{keyword} <{url}> refused: its host {parts.hostname} resolves to a loopback, "
                                 f"private or reserved address ({', '.join(private) or 'none'})")

    def check(self, sparql: str, *, base_iri: str | None = None) -> tuple[str, ...]:
        """The endpoint URLs ``sparql`` will call, each checked. Raises ServiceRefused for the first refused."""
        urls: list[str] = []
        for target in targets(sparql, base_iri=base_iri):
            if target.url is None:
                raise ServiceRefused(f"{target.keyword} {target.written} refused: name the endpoint with a full "
                                     "IRI, <https://...>, so the server can check it before calling it")
            self.check_url(target.url, target.keyword)
            urls.append(target.url)
        return tuple(urls)

