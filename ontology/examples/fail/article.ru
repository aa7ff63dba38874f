# An article without its body (span offsets would point nowhere), with two publication dates, typed only cg:Article.
# base: ../pass/article.trig
# expect: cgid:article/example-2018-05-01 schema:articleBody
# expect: cgid:article/example-2018-05-01 schema:datePublished
# expect: cgid:article/example-2018-05-01 rdf:type
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX cg: <https://w3id.org/claimgraph/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <http://schema.org/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
BASE <https://w3id.org/claimgraph/id/>
DELETE WHERE { GRAPH <https://w3id.org/claimgraph/graph/article/example-2018-05-01> { <article/example-2018-05-01> schema:articleBody ?body } } ;
DELETE DATA { GRAPH <https://w3id.org/claimgraph/graph/article/example-2018-05-01> { <article/example-2018-05-01> rdf:type schema:NewsArticle } } ;
INSERT DATA { GRAPH <https://w3id.org/claimgraph/graph/article/example-2018-05-01> { <article/example-2018-05-01> schema:datePublished "2018-05-02"^^xsd:date } }
