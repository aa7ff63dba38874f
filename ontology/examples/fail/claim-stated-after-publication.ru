# A claim dated after its article was published: a warning (a relative date resolved wrongly), not a violation.
# base: ../pass/article.trig
# expect: cgid:claim/example-2018-05-01/126-162 cg:statedOn Warning
PREFIX cg: <https://w3id.org/claimgraph/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <http://schema.org/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
BASE <https://w3id.org/claimgraph/id/>
DELETE DATA { GRAPH <https://w3id.org/claimgraph/graph/article/example-2018-05-01> { <claim/example-2018-05-01/126-162> cg:statedOn "2018-05-01"^^xsd:date } } ;
INSERT DATA { GRAPH <https://w3id.org/claimgraph/graph/article/example-2018-05-01> { <claim/example-2018-05-01/126-162> cg:statedOn "2018-05-08"^^xsd:date } }
