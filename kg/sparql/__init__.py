"""SPARQL text tools, without a parser: one tokenizer (``tokens``), binding variables into the text for stores
and groups that take no substitutions (``binding``), ``SERVICE`` rewriting for canned queries (``service``), and the
protocol's update dataset as ``USING`` clauses (``using``). The SSRF check of SERVICE and LOAD targets
(server.federation) reads the same tokens."""

from kg.sparql.binding import bind_values, values_block
from kg.sparql.service import bind_service_endpoints, bind_service_values
from kg.sparql.tokens import SPARQL_TOKEN, tokens
from kg.sparql.using import with_using

__all__ = ["SPARQL_TOKEN", "bind_service_endpoints", "bind_service_values", "bind_values", "tokens", "values_block",
           "with_using"]
