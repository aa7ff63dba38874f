# An extraction run that ends before it starts, with an upper-case digest and without its software.
# base: ../pass/article.trig
# expect: cgid:run/example-2018-05-01 prov:startedAtTime
# expect: cgid:run/example-2018-05-01 cg:contentDigest
# expect: cgid:run/example-2018-05-01 prov:wasAssociatedWith
PREFIX cg: <https://w3id.org/claimgraph/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <http://schema.org/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
BASE <https://w3id.org/claimgraph/id/>
DELETE DATA { GRAPH <https://w3id.org/claimgraph/graph/article/example-2018-05-01> {
  <run/example-2018-05-01> prov:endedAtTime "2018-05-02T09:00:01Z"^^xsd:dateTime ;
      cg:contentDigest "3a0183e40c84c4be2841acdfa6c661cef545ad1d591cba6c38038a42d48049bc" ;
      prov:wasAssociatedWith <software/claimgraph/0.1.0> .
} } ;
INSERT DATA { GRAPH <https://w3id.org/claimgraph/graph/article/example-2018-05-01> {
  <run/example-2018-05-01> prov:endedAtTime "2018-05-02T08:59:00Z"^^xsd:dateTime ;
      cg:contentDigest "3A0183E40C84C4BE2841ACDFA6C661CEF545AD1D591CBA6C38038A42D48049BC" .
} }
