# A blank node in the entities graph: claimgraph data gives every node an IRI.
# base: ../pass/article.trig
# expect: cgid:org/example-news schema:address
# expect: _:* schema:addressCountry
PREFIX cg: <https://w3id.org/claimgraph/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <http://schema.org/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
BASE <https://w3id.org/claimgraph/id/>
INSERT DATA { GRAPH <https://w3id.org/claimgraph/graph/entities> {
  <org/example-news> schema:address [ schema:addressCountry "US" ] .
} }
