# Offsets counted in UTF-16 code units (as JavaScript does) instead of code points: the character U+1F91D before the
# quote counts twice, so the selector is off by one. The exact text no longer matches the body there, and the
# offsets no longer match the IRIs.
# base: ../pass/article.trig
# expect: cgid:span/example-2018-05-01/126-162#quote oa:exact
# expect: cgid:claim/example-2018-05-01/126-162 cg:evidence
# expect: cgid:span/example-2018-05-01/126-162 oa:hasSelector
PREFIX cg: <https://w3id.org/claimgraph/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <http://schema.org/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
BASE <https://w3id.org/claimgraph/id/>
DELETE DATA { GRAPH <https://w3id.org/claimgraph/graph/article/example-2018-05-01> {
  <span/example-2018-05-01/126-162#position> oa:start "126"^^xsd:nonNegativeInteger ; oa:end "162"^^xsd:nonNegativeInteger .
} } ;
INSERT DATA { GRAPH <https://w3id.org/claimgraph/graph/article/example-2018-05-01> {
  <span/example-2018-05-01/126-162#position> oa:start "127"^^xsd:nonNegativeInteger ; oa:end "163"^^xsd:nonNegativeInteger .
} }
