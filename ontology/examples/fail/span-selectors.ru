# A span without its quote selector, and a span with two position selectors and no quote selector (the second
# position is another span's, so the offsets no longer match the claim's IRI).
# base: ../pass/article.trig
# expect: cgid:span/example-2018-05-01/49-89 oa:hasSelector
# expect: cgid:span/example-2018-05-01/126-162 oa:hasSelector
# expect: cgid:claim/example-2018-05-01/126-162 cg:evidence
PREFIX cg: <https://w3id.org/claimgraph/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <http://schema.org/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
BASE <https://w3id.org/claimgraph/id/>
DELETE DATA { GRAPH <https://w3id.org/claimgraph/graph/article/example-2018-05-01> {
  <span/example-2018-05-01/49-89> oa:hasSelector <span/example-2018-05-01/49-89#quote> .
  <span/example-2018-05-01/126-162> oa:hasSelector <span/example-2018-05-01/126-162#quote> .
} } ;
INSERT DATA { GRAPH <https://w3id.org/claimgraph/graph/article/example-2018-05-01> {
  <span/example-2018-05-01/126-162> oa:hasSelector <span/example-2018-05-01/49-89#position> .
} }
