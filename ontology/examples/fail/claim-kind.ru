# A claim kind outside the closed list, and a second claim with no kind at all.
# base: ../pass/article.trig
# expect: cgid:claim/example-2018-05-01/49-89 cg:kind
# expect: cgid:claim/example-2018-05-01/126-162 cg:kind
PREFIX cg: <https://w3id.org/claimgraph/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <http://schema.org/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
BASE <https://w3id.org/claimgraph/id/>
DELETE DATA { GRAPH <https://w3id.org/claimgraph/graph/article/example-2018-05-01> {
  <claim/example-2018-05-01/49-89> cg:kind cg:IndirectQuote .
  <claim/example-2018-05-01/126-162> cg:kind cg:DirectQuote .
} } ;
INSERT DATA { GRAPH <https://w3id.org/claimgraph/graph/article/example-2018-05-01> { <claim/example-2018-05-01/49-89> cg:kind cg:Claim } }
