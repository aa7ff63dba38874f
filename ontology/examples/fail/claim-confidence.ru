# A claim's confidence above 1, and a mention's confidence as xsd:double (what a float literal becomes).
# base: ../pass/article.trig
# expect: cgid:claim/example-2018-05-01/49-89 cg:confidence
# expect: cgid:mention/example-2018-05-01/164-174 cg:confidence
PREFIX cg: <https://w3id.org/claimgraph/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <http://schema.org/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
BASE <https://w3id.org/claimgraph/id/>
DELETE DATA { GRAPH <https://w3id.org/claimgraph/graph/article/example-2018-05-01> {
  <claim/example-2018-05-01/49-89> cg:confidence 0.900 .
  <mention/example-2018-05-01/164-174> cg:confidence 0.950 .
} } ;
INSERT DATA { GRAPH <https://w3id.org/claimgraph/graph/article/example-2018-05-01> {
  <claim/example-2018-05-01/49-89> cg:confidence 1.5 .
  <mention/example-2018-05-01/164-174> cg:confidence "0.95"^^xsd:double .
} }
