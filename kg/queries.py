"""Canned queries: the ``queries/*.rq`` files, their comment headers, and typed parameters bound as RDF terms.

Each file opens with a header of ``#+ `` lines in a small YAML subset (grlc's idea)::

    #+ summary: One line.
    #+ description: >
    #+   Folded text, any number of lines.
    #+ params:
    #+   speaker: {type: iri, required: true, description: "who", example: "https://w3id.org/claimgraph/id/person/x"}

A parameter value from a user is parsed by its type into a pyoxigraph term and bound through SEP-0007
bindings (``Store.select(sparql, bindings)``), never spliced into the query text, so no value can change
what the query does. Substitutions reach only variables of the SELECT projection, so every parameter must be
projected; the loader checks that, and rejects ``BOUND(?param)``, which Oxigraph 0.5 folds to false for a
substituted variable.

An optional parameter without a default is read through a line that ends in the comment ``#? name``: the line is
kept only when ``name`` has a value (``#? !name``: only when it has none). Each variant is plain SPARQL with no
unbound variable standing for "any", which stores disagree about (``COALESCE(sameTerm(?x, ?param), true)`` gives
other rows on Virtuoso than on Oxigraph; docs/stores.md).
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pyoxigraph import Literal, NamedNode

import kg
from kg import config
from kg.errors import BadInput, KGError, NotFound
from kg.paging import DEFAULT_LIMIT, MAX_LIMIT
from kg.resources import resource_dir
from kg.sparql import bind_service_endpoints, bind_service_values, tokens
from kg.vocab import PREFIXES

XSD = "http://www.w3.org/2001/XMLSchema#"
QUERIES_DIR = resource_dir("queries")
NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
HEADER_KEYS = {"summary", "description", "params"}
PARAM_KEYS = {"type", "required", "default", "description", "example"}

Term = NamedNode | Literal


class BadQueryFile(KGError):
    """A query file whose header or text breaks the rules above: a defect of the deployment, not of a request."""

    status = 500


# --- parameter types -----------------------------------------------------------------------------------------

_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_DATE = re.compile(r"(-?\d{4,})-(\d\d)-(\d\d)(Z|[+-]\d\d:\d\d)?")
_DATETIME = re.compile(r"-?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")
_LANG = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")
_BOOLEANS = {"true": "true", "1": "true", "false": "false", "0": "false"}


def _iri(raw: str) -> Term:
    prefix, _, local = raw.partition(":")
    if prefix in PREFIXES and not local.startswith("//"):
        raw = PREFIXES[prefix] + local  # a prefixed name such as cgid:person/donald-trump
    if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", raw):
        raise ValueError("an absolute IRI such as https://w3id.org/claimgraph/id/country/CA")
    try:
        return NamedNode(raw)
    except ValueError:
        raise ValueError("a valid absolute IRI (no spaces, quotes or angle brackets)") from None


def _date(raw: str) -> Term:
    m = _DATE.fullmatch(raw)
    try:
        if not m or len(m.group(1)) != 4:
            raise ValueError
        dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise ValueError("a date YYYY-MM-DD such as 2018-05-01") from None
    return Literal(raw, datatype=NamedNode(XSD + "date"))


def _datetime(raw: str) -> Term:
    try:
        if not _DATETIME.fullmatch(raw):
            raise ValueError
        dt.datetime.fromisoformat(raw)
    except ValueError:
        raise ValueError("a date and time YYYY-MM-DDThh:mm:ss with an optional zone, such as "
                         "2018-05-01T12:00:00Z") from None
    return Literal(raw, datatype=NamedNode(XSD + "dateTime"))


def _integer(raw: str) -> Term:
    if not _INTEGER.fullmatch(raw):
        raise ValueError("an integer such as 2")
    return Literal(str(int(raw)), datatype=NamedNode(XSD + "integer"))


def _decimal(raw: str) -> Term:
    if not _DECIMAL.fullmatch(raw):
        raise ValueError("a decimal number such as 0.5")
    return Literal(raw, datatype=NamedNode(XSD + "decimal"))


def _boolean(raw: str) -> Term:
    value = _BOOLEANS.get(raw.lower())
    if value is None:
        raise ValueError("true or false")
    return Literal(value, datatype=NamedNode(XSD + "boolean"))


def _lang_string(raw: str) -> Term:
    text, at, lang = raw.rpartition("@")
    if not at or not _LANG.fullmatch(lang):
        raise ValueError("text with a language tag, written text@lang, such as sunset clause@en")
    return Literal(text, language=lang.lower())


PARAM_TYPES: dict[str, Callable[[str], Term]] = {
    "iri": _iri,
    "string": Literal,
    "langString": _lang_string,
    "date": _date,
    "dateTime": _datetime,
    "integer": _integer,
    "decimal": _decimal,
    "boolean": _boolean,
}

# JSON Schema of each type for the OpenAPI document.
PARAM_SCHEMAS: dict[str, dict[str, Any]] = {
    "iri": {"type": "string", "format": "iri"},
    "string": {"type": "string"},
    "langString": {"type": "string", "pattern": "^.*@[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$"},
    "date": {"type": "string", "format": "date"},
    "dateTime": {"type": "string", "format": "date-time"},
    "integer": {"type": "integer"},
    "decimal": {"type": "number"},
    "boolean": {"type": "boolean"},
}


@dataclass(frozen=True)
class Param:
    """One declared parameter of a canned query."""

    name: str
    type: str
    required: bool = False
    default: str | None = None
    description: str = ""
    example: str | None = None

    def term(self, raw: str) -> Term:
        """The RDF term for the text ``raw``. Raises BadInput naming the parameter and what it expects."""
        try:
            return PARAM_TYPES[self.type](raw)
        except ValueError as e:
            raise BadInput(f"parameter {self.name!r} ({self.type}): {raw!r} is not {e}") from None

    def json_value(self, raw: str) -> Any:
        """``raw`` as the JSON value its schema type asks for (OpenAPI defaults and examples)."""
        if self.type == "integer":
            return int(raw)
        if self.type == "decimal":
            return float(raw)
        if self.type == "boolean":
            return _BOOLEANS[raw.lower()] == "true"
        return raw


# --- the header ------------------------------------------------------------------------------------------------

def _scalar(text: str) -> Any:
    text = text.strip()
    if text.startswith('"'):
        return json.loads(text)
    if text.startswith("'") and text.endswith("'") and len(text) >= 2:
        return text[1:-1].replace("''", "'")
    return {"true": True, "false": False}.get(text, text)


_FLOW_ITEM = re.compile(r'\s*([A-Za-z_][\w-]*)\s*:\s*("(?:[^"\\]|\\.)*"|\'(?:[^\']|\'\')*\'|[^,}]*)\s*(,|$)')


def _flow_mapping(text: str, where: str) -> dict[str, Any]:
    """``{a: 1, b: "two, three"}`` -> ``{"a": "1", "b": "two, three"}`` (quoted strings may hold , and })."""
    text = text.strip()
    if not (text.startswith("{") and text.endswith("}")):
        raise BadQueryFile(f"{where}: expected a mapping {{key: value, ...}}, not {text!r}")
    body, out, pos = text[1:-1].strip(), {}, 0
    while pos < len(body):
        m = _FLOW_ITEM.match(body, pos)
        if not m or m.end() == pos:
            raise BadQueryFile(f"{where}: cannot read {body[pos:]!r} (expected key: value)")
        out[m.group(1)] = _scalar(m.group(2))
        pos = m.end()
    return out


def parse_header(text: str, *, source: str = "<query>") -> dict[str, Any]:
    """The ``#+`` header of a query file as a dict: ``summary``, ``description`` and ``params`` (name -> dict).

    Supports the subset the query files use: ``key: value``, folded (``>``) and literal (``|``) blocks, and
    ``params:`` holding one ``name: {flow mapping}`` or a block mapping per parameter. Raises BadQueryFile.

    >>> parse_header('#+ summary: Hi\\n#+ params:\\n#+   x: {type: integer, default: "3"}\\nSELECT ?x {}')
    {'summary': 'Hi', 'params': {'x': {'type': 'integer', 'default': '3'}}}
    """
    lines = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("#+"):
            body = line[2:]
            if body.strip() and not body.startswith(" "):
                raise BadQueryFile(f"{source}:{number}: a header line starts with '#+ '")
            lines.append((number, body[1:].rstrip()))
        elif line.strip() and not line.lstrip().startswith("#"):
            break  # the header ends at the query
    header: dict[str, Any] = {}
    i = 0
    while i < len(lines):
        number, line = lines[i]
        i += 1
        if not line.strip():
            continue
        if line.startswith(" "):
            raise BadQueryFile(f"{source}:{number}: unexpected indentation")
        key, colon, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if not colon or key not in HEADER_KEYS:
            known = ", ".join(sorted(HEADER_KEYS))
            raise BadQueryFile(f"{source}:{number}: unknown header key {key!r}; known: {known}")
        block = []
        while i < len(lines) and (not lines[i][1].strip() or lines[i][1].startswith(" ")):
            block.append(lines[i])
            i += 1
        if key == "params":
            header[key] = _params_block(block, source)
        elif value in (">", "|"):
            texts = [b.strip() for _, b in block]
            header[key] = (" " if value == ">" else "\n").join(t for t in texts if t)
        else:
            header[key] = str(_scalar(value))
    return header


def _params_block(block: list[tuple[int, str]], source: str) -> dict[str, dict[str, Any]]:
    params: dict[str, dict[str, Any]] = {}
    current: dict[str, Any] | None = None
    indent = None
    for number, line in block:
        if not line.strip():
            continue
        depth = len(line) - len(line.lstrip())
        indent = depth if indent is None else indent
        key, _, value = line.strip().partition(":")
        where = f"{source}:{number}"
        if depth == indent:
            if key in params:
                raise BadQueryFile(f"{where}: parameter {key!r} is declared twice")
            current = _flow_mapping(value, where) if value.strip() else {}
            params[key] = current
        elif current is not None and depth > indent:
            current[key.strip()] = _scalar(value)
        else:
            raise BadQueryFile(f"{where}: unexpected indentation")
    return params


# --- the query -------------------------------------------------------------------------------------------------

_tokens = tokens


def query_form(sparql: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first of them outside the prologue."""
    for tok in _tokens(sparql):
        if tok.upper() in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            return tok.upper()
    raise BadQueryFile("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE")


def projection(sparql: str) -> list[str] | None:
    """The variables of the outer SELECT clause in order, or None for ``SELECT *`` and other query forms.

    >>> projection("SELECT ?a (COUNT(?b) AS ?n) WHERE { ?a ?p ?b } GROUP BY ?a")
    ['a', 'n']
    """
    toks = _tokens(sparql)
    upper = [t.upper() for t in toks]
    if "SELECT" not in upper:
        return None
    out, depth, i = [], 0, upper.index("SELECT") + 1
    while i < len(toks) and not (depth == 0 and (upper[i] in ("WHERE", "FROM") or toks[i] == "{")):
        tok = toks[i]
        if tok == "*" and depth == 0:
            return None
        if tok in ("?", "$") and i + 1 < len(toks):
            if depth == 0 or upper[i - 1] == "AS":
                out.append(toks[i + 1])
            i += 2  # the name may be a keyword: ?from
            continue
        depth += {"(": 1, ")": -1}.get(tok, 0)
        i += 1
    return out


_VARIANT = re.compile(r"#\?\s*(!?)([A-Za-z_][A-Za-z0-9_]*)\s*$")


def variant(sparql: str, given: Iterable[str]) -> str:
    """``sparql`` with each line ending in ``#? name`` kept only when ``name`` is given (``#? !name``: only when
    it is not). A line is tested as written: the marker is the last thing on it.
    """
    names = set(given)
    kept = []
    for line in sparql.splitlines(keepends=True):
        m = _VARIANT.search(line)
        if m and (m.group(2) in names) == bool(m.group(1)):
            continue
        kept.append(line)
    return "".join(kept)


def _variant_params(sparql: str) -> set[str]:
    return {m.group(2) for m in (_VARIANT.search(line) for line in sparql.splitlines()) if m}


def _bound_params(sparql: str, names: Iterable[str]) -> list[str]:
    toks = _tokens(sparql)
    wanted = set(names)
    return sorted({toks[i + 3] for i in range(len(toks) - 3)
                   if toks[i].upper() == "BOUND" and toks[i + 1] == "(" and toks[i + 2] in ("?", "$")
                   and toks[i + 3] in wanted})


def _outer_limit(sparql: str) -> bool:
    """Whether the outer query (after its last closing brace) has a LIMIT or OFFSET of its own."""
    toks = _tokens(sparql)
    last = max((i for i, t in enumerate(toks) if t == "}"), default=-1)
    return any(t.upper() in ("LIMIT", "OFFSET") for t in toks[last + 1:])


@dataclass(frozen=True)
class CannedQuery:
    """A query file: its name (the file stem), header and SPARQL text."""

    name: str
    sparql: str
    summary: str
    description: str = ""
    params: tuple[Param, ...] = ()
    form: str = "SELECT"
    variables: tuple[str, ...] = ()
    uses_service: bool = False
    path: Path | None = field(default=None, compare=False)

    @property
    def param_names(self) -> list[str]:
        return [p.name for p in self.params]

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    def bind(self, values: Mapping[str, str]) -> dict[str, Term]:
        """The RDF terms of the parameters: given ``values`` (text) over declared defaults.

        Names starting with ``_`` are left to the caller (format and paging options). Raises BadInput for an
        unknown parameter, a missing required one, or a value its type rejects - each naming the parameter.
        """
        unknown = sorted(k for k in values if not k.startswith("_") and k not in self.param_names)
        if unknown:
            takes = ", ".join(self.param_names) or "no parameters"
            raise BadInput(f"unknown parameter {unknown[0]!r} for query {self.name!r}; it takes: {takes}")
        bound: dict[str, Term] = {}
        for p in self.params:
            raw = values.get(p.name)
            if raw is None or raw == "":
                if p.required:
                    hint = f", e.g. {p.name}={p.example}" if p.example else ""
                    raise BadInput(f"missing required parameter {p.name!r} ({p.type}) for query "
                                   f"{self.name!r}{hint}")
                raw = p.default
            if raw is not None:
                bound[p.name] = p.term(raw)
        return bound

    def prepare(self, values: Mapping[str, str]) -> tuple[str, dict[str, Term]]:
        """The SPARQL text to run and its substitutions (variable name -> term) for ``values``.

        The text is the file's, except that bound parameters used inside ``SERVICE`` groups are also written
        there as escaped ``VALUES`` (Oxigraph sends SERVICE text as written; see kg.sparql.service), and a
        ``SERVICE ?param`` endpoint is written as the parameter's IRI (the server checks IRIs before calling them).
        """
        bound = self.bind(values)
        sparql = variant(self.sparql, bound)
        if self.uses_service:
            sparql = bind_service_endpoints(bind_service_values(sparql, bound), bound)
        return sparql, bound

    def example_values(self) -> dict[str, str]:
        """The example value of every parameter that has one."""
        return {p.name: p.example for p in self.params if p.example is not None}


def _param(name: str, spec: Any, where: str) -> Param:
    if not isinstance(spec, dict):
        raise BadQueryFile(f"{where}: parameter {name!r} needs a mapping of {', '.join(sorted(PARAM_KEYS))}")
    extra = set(spec) - PARAM_KEYS
    if extra:
        raise BadQueryFile(f"{where}: parameter {name!r} has unknown key(s) {', '.join(sorted(extra))}")
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise BadQueryFile(f"{where}: parameter name {name!r} is not a SPARQL variable name")
    kind = spec.get("type")
    if kind not in PARAM_TYPES:
        raise BadQueryFile(f"{where}: parameter {name!r} has type {kind!r}; known: {', '.join(PARAM_TYPES)}")
    required = spec.get("required", False)
    if not isinstance(required, bool):
        raise BadQueryFile(f"{where}: parameter {name!r}: required is true or false, not {required!r}")
    param = Param(name, kind, required,
                  None if spec.get("default") is None else str(spec["default"]),
                  str(spec.get("description", "")),
                  None if spec.get("example") is None else str(spec["example"]))
    if required and param.default is not None:
        raise BadQueryFile(f"{where}: required parameter {name!r} cannot have a default")
    for label, raw in (("default", param.default), ("example", param.example)):
        if raw is not None:
            try:
                param.term(raw)
            except BadInput as e:
                raise BadQueryFile(f"{where}: the {label} of {e}") from None
    return param


def parse_query(name: str, text: str, *, path: Path | None = None) -> CannedQuery:
    """A CannedQuery from the text of a query file. Raises BadQueryFile naming the file and the problem."""
    where = str(path or name)
    if not NAME.fullmatch(name):
        raise BadQueryFile(f"{where}: a query name is lower-case letters, digits and '-', not {name!r}")
    header = parse_header(text, source=where)
    if not header.get("summary"):
        raise BadQueryFile(f"{where}: the header needs a '#+ summary:' line")
    params = tuple(_param(n, spec, where) for n, spec in (header.get("params") or {}).items())
    form = query_form(text)
    variables = projection(text) if form == "SELECT" else None
    if form == "SELECT":
        if variables is None:
            if params:
                raise BadQueryFile(f"{where}: list the projected variables instead of SELECT *: parameters are "
                                   "bound only to projected variables")
            variables = []
        missing = [p.name for p in params if p.name not in variables]
        if missing:
            raise BadQueryFile(f"{where}: parameter(s) {', '.join(missing)} must be in the SELECT projection "
                               "to be bound")
    unknown = sorted(_variant_params(text) - {p.name for p in params})
    if unknown:
        raise BadQueryFile(f"{where}: a line marked '#? {unknown[0]}' names no parameter of the query")
    bound = _bound_params(text, (p.name for p in params))
    if bound:
        raise BadQueryFile(f"{where}: BOUND(?{bound[0]}) is always false for a bound parameter in Oxigraph; "
                           "give the parameter a default or read it with COALESCE")
    if form == "SELECT" and _outer_limit(text):
        raise BadQueryFile(f"{where}: leave LIMIT and OFFSET out of the outer query: the server pages the answer "
                           "(_limit, _offset; a '#@ page' line puts them in a sub-select: docs/queries.md)")
    uses_service = "SERVICE" in (t.upper() for t in _tokens(text))
    return CannedQuery(name, text, str(header["summary"]), str(header.get("description", "")), params, form,
                       tuple(variables or ()), uses_service, path)


def queries_dir() -> Path:
    """Where the query files are: ``KG_QUERIES``, else the installed (or checkout) ``queries/`` folder."""
    location = config.env("QUERIES")
    return Path(location) if location else QUERIES_DIR


def load_queries(folder: str | Path | None = None) -> dict[str, CannedQuery]:
    """Every ``*.rq`` file of ``folder`` (default: queries_dir()), by name, sorted. Raises BadQueryFile."""
    root = Path(folder) if folder is not None else queries_dir()
    if not root.is_dir():
        raise BadQueryFile(f"the query folder {root} does not exist (set KG_QUERIES)")
    return _load(root, tuple((p.name, p.stat().st_mtime_ns) for p in sorted(root.glob("*.rq"))))


@lru_cache(maxsize=8)
def _load(root: Path, stamp: tuple[tuple[str, int], ...]) -> dict[str, CannedQuery]:
    # cached on the files' names and modification times, so an edited file is read again
    return {p.stem: parse_query(p.stem, p.read_text(encoding="utf-8"), path=p)
            for p in (root / name for name, _ in stamp)}


def load_all(folder: str | Path | None = None) -> list[CannedQuery]:
    """Every canned query, sorted by name (see load_queries)."""
    return list(load_queries(folder).values())


def get_query(name: str, folder: str | Path | None = None) -> CannedQuery:
    """The query called ``name``. Raises NotFound listing the closest names."""
    queries = load_queries(folder)
    if name in queries:
        return queries[name]
    close = difflib.get_close_matches(name, list(queries), n=3, cutoff=0.5)
    hint = f"; did you mean {' or '.join(close)}?" if close else f"; known: {', '.join(queries)}"
    raise NotFound(f"no canned query {name!r}{hint}")


# --- OpenAPI ---------------------------------------------------------------------------------------------------

RESULT_MEDIA_TYPES = {
    "application/sparql-results+json": {"schema": {"type": "object", "required": ["head"],
                                                   "properties": {"head": {"type": "object"},
                                                                  "results": {"type": "object"},
                                                                  "boolean": {"type": "boolean"}}}},
    "application/sparql-results+xml": {"schema": {"type": "string"}},
    "text/csv": {"schema": {"type": "string"}},
    "text/tab-separated-values": {"schema": {"type": "string"}},
    "text/html": {"schema": {"type": "string"}},
}
ERROR = {"content": {"application/json": {"schema": {"type": "object",
                                                      "properties": {"error": {"type": "string"}}}}}}


def _parameter(p: Param) -> dict[str, Any]:
    schema = dict(PARAM_SCHEMAS[p.type])
    if p.default is not None:
        schema["default"] = p.json_value(p.default)
    out: dict[str, Any] = {"name": p.name, "in": "query", "required": p.required, "schema": schema,
                           "description": p.description or p.type}
    if p.example is not None:
        out["example"] = p.json_value(p.example)
    return out


PAGE_PARAMETERS: list[dict[str, Any]] = [
    {"name": "_limit", "in": "query", "required": False,
     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
     "description": "rows of the page (kg.paging; a Link header with rel=\"next\" names the next page)"},
    {"name": "_offset", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 0, "default": 0},
     "description": "rows of the answer's order skipped before the page"},
]
"""The paging options of every SELECT query (kg.paging.page_of checks them; docs/queries.md, "Pages")."""


def openapi(queries: Mapping[str, CannedQuery], *, server_url: str | None = None) -> dict[str, Any]:
    """The OpenAPI 3.1 document of the canned queries: one ``GET /queries/{name}`` path per query."""
    paths: dict[str, Any] = {
        "/queries": {"get": {
            "operationId": "listQueries", "summary": "The canned queries with their parameters.",
            "responses": {"200": {"description": "the queries",
                                  "content": {"application/json": {"schema": {"type": "object"}},
                                              "text/html": {"schema": {"type": "string"}}}}}}},
    }
    for q in queries.values():
        description = q.description + ("\n\n" if q.description else "") + (
            f"Also at /queries/{q.name}.json and /queries/{q.name}.csv. Source: queries/{q.name}.rq")
        paths[f"/queries/{q.name}"] = {"get": {
            "operationId": "query_" + q.name.replace("-", "_"),
            "summary": q.summary,
            "description": description,
            "tags": ["canned queries"],
            "parameters": [_parameter(p) for p in q.params] + (PAGE_PARAMETERS if q.form == "SELECT" else []),
            "responses": {
                "200": {"description": "the results", "content": RESULT_MEDIA_TYPES},
                "400": {"description": "a missing, unknown or malformed parameter", **ERROR},
                "503": {"description": "the query timed out or the store is unavailable", **ERROR},
            },
        }}
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "claimgraph canned queries", "version": kg.__version__,
                 "description": "Named SPARQL queries over the claimgraph store, with typed parameters bound "
                                "as RDF terms. The SPARQL endpoint itself is at /sparql."},
        "paths": paths,
    }
    if server_url:
        doc["servers"] = [{"url": server_url}]
    return doc
