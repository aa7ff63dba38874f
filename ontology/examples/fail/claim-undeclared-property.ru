# A misspelt property: the claim shape is closed, and cg:speakr is not a term of the ontology.
# base: ../pass/article.trig
# expect: cgid:claim/example-2018-05-01/49-89 cg:speakr
PREFIX cg: <https://w3id.org/claimgraph/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <http://schema.org/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
BASE <https://w3id.org/claimgraph/id/>
INSERT DATA { GRAPH <https://w3id.org/claimgraph/graph/article/example-2018-05-01> { <claim/example-2018-05-01/49-89> cg:speakr <person/robert-lighthizer> } }
