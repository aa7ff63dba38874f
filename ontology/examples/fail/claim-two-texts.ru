# Two texts for one claim: cg:claimText is exactly one, and it must be the exact text of the evidence span.
# base: ../pass/article.trig
# expect: cgid:claim/example-2018-05-01/49-89 cg:claimText
PREFIX cg: <https://w3id.org/claimgraph/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <http://schema.org/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
BASE <https://w3id.org/claimgraph/id/>
INSERT DATA { GRAPH <https://w3id.org/claimgraph/graph/article/example-2018-05-01> { <claim/example-2018-05-01/49-89> cg:claimText "he wants a deal" } }
