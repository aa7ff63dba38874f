# The exact text of a mention's span is not the article text at its offsets.
# base: ../pass/article.trig
# expect: cgid:span/example-2018-05-01/164-174#quote oa:exact
PREFIX cg: <https://w3id.org/claimgraph/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <http://schema.org/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
BASE <https://w3id.org/claimgraph/id/>
DELETE DATA { GRAPH <https://w3id.org/claimgraph/graph/article/example-2018-05-01> { <span/example-2018-05-01/164-174#quote> oa:exact "Lighthizer" } } ;
INSERT DATA { GRAPH <https://w3id.org/claimgraph/graph/article/example-2018-05-01> { <span/example-2018-05-01/164-174#quote> oa:exact "Lighthizer " } }
