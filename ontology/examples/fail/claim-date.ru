# A date with a time (cg:statedOn is an xsd:date), a precision outside the list, and on the other claim a
# precision without a date.
# base: ../pass/article.trig
# expect: cgid:claim/example-2018-05-01/49-89 cg:statedOn
# expect: cgid:claim/example-2018-05-01/49-89 cg:datePrecision
# expect: cgid:claim/example-2018-05-01/126-162 cg:datePrecision
PREFIX cg: <https://w3id.org/claimgraph/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <http://schema.org/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
BASE <https://w3id.org/claimgraph/id/>
DELETE DATA { GRAPH <https://w3id.org/claimgraph/graph/article/example-2018-05-01> {
  <claim/example-2018-05-01/49-89> cg:statedOn "2018-05-01"^^xsd:date ; cg:datePrecision "day" .
  <claim/example-2018-05-01/126-162> cg:statedOn "2018-05-01"^^xsd:date .
} } ;
INSERT DATA { GRAPH <https://w3id.org/claimgraph/graph/article/example-2018-05-01> {
  <claim/example-2018-05-01/49-89> cg:statedOn "2018-04-30T10:00:00"^^xsd:dateTime ; cg:datePrecision "quarter" .
} }
