# The run that generated the claims and the mention says it used another article, which is not in the store.
# base: ../pass/article.trig
# expect: cgid:run/example-2018-05-01 prov:used
# expect: cgid:claim/example-2018-05-01/49-89 prov:wasGeneratedBy
# expect: cgid:claim/example-2018-05-01/126-162 prov:wasGeneratedBy
# expect: cgid:mention/example-2018-05-01/164-174 prov:wasGeneratedBy
PREFIX prov: <http://www.w3.org/ns/prov#>
BASE <https://w3id.org/claimgraph/id/>
DELETE DATA { GRAPH <https://w3id.org/claimgraph/graph/article/example-2018-05-01> {
  <run/example-2018-05-01> prov:used <article/example-2018-05-01> .
} } ;
INSERT DATA { GRAPH <https://w3id.org/claimgraph/graph/article/example-2018-05-01> {
  <run/example-2018-05-01> prov:used <article/example-2018-04-30> .
} }
