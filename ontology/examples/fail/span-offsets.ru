# A span that starts where it ends, and a span that ends past the end of the body (with a negative start).
# base: ../pass/article.trig
# expect: cgid:span/example-2018-05-01/49-89#position oa:start
# expect: cgid:span/example-2018-05-01/49-89#quote oa:exact
# expect: cgid:claim/example-2018-05-01/49-89 cg:evidence
# expect: cgid:span/example-2018-05-01/49-89 oa:hasSelector
# expect: cgid:span/example-2018-05-01/164-174#position oa:start
# expect: cgid:span/example-2018-05-01/164-174#position oa:end
# expect: cgid:mention/example-2018-05-01/164-174 cg:evidence
# expect: cgid:span/example-2018-05-01/164-174 oa:hasSelector
PREFIX cg: <https://w3id.org/claimgraph/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <http://schema.org/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
BASE <https://w3id.org/claimgraph/id/>
DELETE DATA { GRAPH <https://w3id.org/claimgraph/graph/article/example-2018-05-01> {
  <span/example-2018-05-01/49-89#position> oa:start "49"^^xsd:nonNegativeInteger .
  <span/example-2018-05-01/164-174#position> oa:start "164"^^xsd:nonNegativeInteger ;
      oa:end "174"^^xsd:nonNegativeInteger .
} } ;
INSERT DATA { GRAPH <https://w3id.org/claimgraph/graph/article/example-2018-05-01> {
  <span/example-2018-05-01/49-89#position> oa:start "89"^^xsd:nonNegativeInteger .
  <span/example-2018-05-01/164-174#position> oa:start -1 ; oa:end "400"^^xsd:nonNegativeInteger .
} }
