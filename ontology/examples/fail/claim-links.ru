# A speaker nobody typed (not in the entities or reference graph), an issue that is a country, and a mentioned
# person who is a country.
# base: ../pass/article.trig
# expect: cgid:claim/example-2018-05-01/49-89 cg:speaker
# expect: cgid:claim/example-2018-05-01/49-89 cg:about
# expect: cgid:claim/example-2018-05-01/126-162 cg:mentionsPerson
PREFIX cg: <https://w3id.org/claimgraph/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <http://schema.org/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
BASE <https://w3id.org/claimgraph/id/>
DELETE DATA { GRAPH <https://w3id.org/claimgraph/graph/article/example-2018-05-01> { <claim/example-2018-05-01/49-89> cg:speaker <person/robert-lighthizer> } } ;
INSERT DATA { GRAPH <https://w3id.org/claimgraph/graph/article/example-2018-05-01> {
  <claim/example-2018-05-01/49-89> cg:speaker <person/nobody-knows> ; cg:about <country/US> .
  <claim/example-2018-05-01/126-162> cg:mentionsPerson <country/US> .
} }
