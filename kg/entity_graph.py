"""Upkeep of the shared entities graph after each article is written: one label per node, and nothing kept that no
stored article supports any more (``docs/data-model.md``, "The entities graph").

* **Labels.** A person keeps as ``rdfs:label`` the full name (two words or more) that the stored articles write most
  often for them ("Bill Clinton" when articles write it more than "William Clinton"; "Kim Jong Un", not "Kim
  Un"); ties and nodes no full name is counted for take the first label in code point order, as every other node
  does. The other forms stay as ``skos:altLabel``. The choice depends on the stored articles, not on the order
  they were ingested in.
* **Pruning.** When an article is written again (``kg ingest --force``, or a changed text), the records the earlier
  version alone supported go: a name merge or a tenure loses that article as its source, and goes when no source
  is left (with the holder's ``org:holds`` of that post); a person or organisation no stored article mentions or
  quotes any more goes with everything the entities graph says about it, and so does a post nobody holds. The
  store then holds what ingesting the current articles into a fresh store would give, for these records.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence

from pyoxigraph import Literal, NamedNode, Quad, Triple

from kg.extract.identity import clean_name, parse_name
from kg.query_job import text_of
from kg.store import Store, solutions
from kg.vocab import CG, DCTERMS, OA, ORG, PROV, RDF, RDFS, SKOS, graph_iri

_PERSON_TYPES = frozenset({str(CG.Person), str(CG.Official)})
PREFIXES = f"""PREFIX cg: <{CG._NS}>
PREFIX rdf: <{RDF._NS}>
PREFIX rdfs: <{RDFS._NS}>
PREFIX skos: <{SKOS._NS}>
PREFIX prov: <{PROV._NS}>
PREFIX org: <{ORG._NS}>
PREFIX oa: <{OA._NS}>
PREFIX dcterms: <{DCTERMS._NS}>
"""
# Records of the entities graph derived from articles, with the property naming each source article.
_DERIVED = ((str(CG.NameMerge), str(PROV.wasDerivedFrom)), (str(CG.Tenure), str(DCTERMS.source)))


def labelled_nodes(quads: Iterable[Quad]) -> list[str]:
    """The IRIs of the subjects of ``rdfs:label`` quads."""
    label = str(RDFS.label)
    return sorted({q.subject.value for q in quads if q.predicate.value == label and not isinstance(q.subject, Triple)})


def _values(nodes: Iterable[str]) -> str:
    return " ".join(f"<{NamedNode(n).value}>" for n in nodes)


def _term(value: str, lang: str) -> str:
    return str(Literal(value, language=lang)) if lang else str(Literal(value))


FormCounter = Callable[[Store, Sequence[str]], Mapping[str, Counter[str]]]
"""Per person of a list, how often the stored articles write each full name of theirs."""


def settle_labels(store: Store, nodes: Sequence[str], *, graph: str | None = None,
                  written: Mapping[str, Counter[str]] | None = None, count_forms: FormCounter | None = None) -> None:
    """Leave one ``rdfs:label`` per language on each of ``nodes`` in the shared entities graph (see the module doc);
    the others become ``skos:altLabel``. ``written``: how often the stored articles write each name of each person
    (:func:`mention_forms`), when the caller knows it (a bulk load knows every article it wrote); else
    ``count_forms`` is asked for the people among ``nodes`` (default: the store, :func:`written_forms`). Raises
    StoreError when the store refuses the query or the update."""
    if not nodes:
        return
    target = graph or graph_iri("entities")
    names: dict[str, dict[str, dict[str, set[str]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(set)))
    people: set[str] = set()
    # one branch per property: a VALUES of the properties joined with ?e ?p ?o is evaluated over the whole graph
    # by Oxigraph (3.8 s for 2,000 nodes of 300 articles, against 0.2 s)
    for r in solutions(store.query(PREFIXES + f"""SELECT ?e ?p ?o WHERE {{ VALUES ?e {{ {_values(nodes)} }}
            GRAPH <{target}> {{ {{ ?e rdfs:label ?o BIND(rdfs:label AS ?p) }}
                UNION {{ ?e skos:altLabel ?o BIND(skos:altLabel AS ?p) }}
                UNION {{ ?e a ?o BIND(rdf:type AS ?p) }} }} }}""")):
        e, p, o = r["e"].value, r["p"].value, r["o"]
        if p == str(RDF.type):
            people |= {e} if o.value in _PERSON_TYPES else set()
        elif isinstance(o, Literal):
            names[e][o.language or ""][p].add(o.value)
    counts = defaultdict(Counter, written if written is not None else
                         (count_forms or written_forms)(store, sorted(people & set(names))))
    deletes, inserts = [], []
    for e, by_lang in names.items():
        for lang, forms in by_lang.items():
            labels, alts = forms[str(RDFS.label)], forms[str(SKOS.altLabel)]
            if not labels:
                continue
            keep = min(labels)
            if e in people and lang in ("en", ""):
                seen = [f for f in labels | alts if counts[e][f]]
                keep = min(seen, key=lambda f: (-counts[e][f], f)) if seen else keep
            if labels == {keep} and keep not in alts:
                continue
            for old in labels - {keep}:
                deletes.append(f"<{e}> rdfs:label {_term(old, lang)} .")
                inserts.append(f"<{e}> skos:altLabel {_term(old, lang)} .")
            deletes.append(f"<{e}> skos:altLabel {_term(keep, lang)} .")
            inserts.append(f"<{e}> rdfs:label {_term(keep, lang)} .")
    if deletes:
        store.update(PREFIXES + f"DELETE DATA {{ GRAPH <{target}> {{ {' '.join(deletes)} }} }} ;\n"
                     f"INSERT DATA {{ GRAPH <{target}> {{ {' '.join(inserts)} }} }}")


def written_forms(store: Store, people: Sequence[str]) -> dict[str, Counter[str]]:
    """Per person, how often the stored articles write each full name of theirs (mentions, cleaned). Its cost grows
    with the person's mentions in the whole store: kg.bulk_write's FormCounts asks it once per person."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    if not people:
        return counts
    for r in solutions(store.query(PREFIXES + f"""SELECT ?e ?text (COUNT(DISTINCT ?m) AS ?n) WHERE {{
            VALUES ?e {{ {_values(people)} }}
            ?m cg:mentionOf ?e ; cg:evidence ?span . ?span oa:hasSelector ?q . ?q oa:exact ?text }}
            GROUP BY ?e ?text""")):
        _count_form(counts, r["e"].value, r["text"].value, int(r["n"].value))
    return counts


def _count_form(counts: dict[str, Counter[str]], entity: str, text: str, n: int) -> None:
    form = clean_name(text)
    if parse_name(form) is not None:
        counts[entity][form] += n


_MENTION_OF, _EVIDENCE, _SELECTOR, _EXACT = (str(CG.mentionOf), str(CG.evidence), str(OA.hasSelector), str(OA.exact))
_FORM_PREDICATES = frozenset({_MENTION_OF, _EVIDENCE, _SELECTOR, _EXACT})


def mention_forms(quads: Iterable[Quad]) -> dict[str, Counter[str]]:
    """Per entity, the full names the mentions among ``quads`` (one article graph) write, counted as
    ``written_forms`` counts them in a store."""
    mention_of: dict[str, str] = {}
    evidence: dict[str, str] = {}
    selectors: dict[str, list[str]] = defaultdict(list)
    exact: dict[str, str] = {}
    for q in quads:
        p = q.predicate.value
        if p not in _FORM_PREDICATES:  # most quads: their terms need not be read
            continue
        s, o = text_of(q.subject), text_of(q.object)
        if p == _MENTION_OF:
            mention_of[s] = o
        elif p == _EVIDENCE:
            evidence[s] = o
        elif p == _SELECTOR:
            selectors[s].append(o)
        elif p == _EXACT:
            exact[s] = o
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for mention, entity in mention_of.items():
        for selector in selectors.get(evidence.get(mention, ""), ()):
            if selector in exact:
                _count_form(counts, entity, exact[selector], 1)
    return counts


def referenced_entities(store: Store, graph: str) -> set[str]:
    """The nodes article ``graph`` names as a speaker or mentions (before it is replaced: what it supported)."""
    rows = store.query(PREFIXES + f"""SELECT DISTINCT ?e WHERE {{ GRAPH <{NamedNode(graph).value}> {{
        {{ ?x cg:speaker ?e }} UNION {{ ?x cg:mentionOf ?e }} }} }}""", union_default_graph=False)
    return {r["e"].value for r in solutions(rows)}


def prune_entities(store: Store, article: str, article_graph: str, written: Sequence[Quad], earlier: Iterable[str],
                   *, graph: str | None = None) -> None:
    """After ``article`` (its IRI) was written again into ``article_graph`` with the shared quads ``written``: drop
    from the entities graph what only its earlier version supported (see the module doc). ``earlier`` are the nodes
    the earlier version named (:func:`referenced_entities`). Raises StoreError when the store refuses the query or
    the update."""
    target = graph or graph_iri("entities")
    source = NamedNode(article).value
    still = {(q.subject.value, q.predicate.value) for q in written
             if q.object == NamedNode(article) and not isinstance(q.subject, Triple)}  # no RDF-star subjects here
    ops = []
    for kind, prop in _DERIVED:
        rows = store.query(PREFIXES + f"""SELECT ?r WHERE {{ GRAPH <{target}> {{
            ?r a <{kind}> ; <{prop}> <{source}> }} }}""", union_default_graph=False)
        stale = [r["r"].value for r in solutions(rows) if (r["r"].value, prop) not in still]
        if stale:
            ops.append(f"DELETE {{ GRAPH <{target}> {{ ?r <{prop}> <{source}> }} }} "
                       f"WHERE {{ VALUES ?r {{ {_values(stale)} }} }}")
    # a tenure without a source: the holder no longer holds that post here
    ops.append(f"""DELETE {{ GRAPH <{target}> {{ ?t ?p ?o . ?h org:holds ?post . ?post org:heldBy ?h }} }}
        WHERE {{ GRAPH <{target}> {{ ?t a cg:Tenure ; cg:tenureHolder ?h ; cg:tenureOf ?post ; ?p ?o
                 FILTER NOT EXISTS {{ ?t dcterms:source ?any }} }} }}""")
    ops.append(f"""DELETE {{ GRAPH <{target}> {{ ?r ?p ?o }} }} WHERE {{ GRAPH <{target}> {{
        ?r a cg:NameMerge ; ?p ?o FILTER NOT EXISTS {{ ?r prov:wasDerivedFrom ?any }} }} }}""")
    orphans = sorted(set(earlier) - referenced_entities(store, article_graph))
    if orphans:
        # named by no stored article: the node, the records about it, and the links to it
        ops.append(f"""DELETE {{ GRAPH <{target}> {{ ?r ?rp ?ro }} }} WHERE {{
            VALUES ?e {{ {_values(orphans)} }}
            FILTER NOT EXISTS {{ ?x cg:speaker ?e }} FILTER NOT EXISTS {{ ?m cg:mentionOf ?e }}
            GRAPH <{target}> {{ {{ ?r cg:mergedInto ?e }} UNION {{ ?r cg:tenureHolder ?e }} ?r ?rp ?ro }} }}""")
        ops.append(f"""DELETE {{ GRAPH <{target}> {{ ?e ?p ?o . ?s ?q ?e }} }} WHERE {{
            VALUES ?e {{ {_values(orphans)} }}
            FILTER NOT EXISTS {{ ?x cg:speaker ?e }} FILTER NOT EXISTS {{ ?m cg:mentionOf ?e }}
            GRAPH <{target}> {{ {{ ?e ?p ?o }} UNION {{ ?s ?q ?e }} }} }}""")
    # a post that nobody holds any more: what the entities graph says of it (a reference post keeps its own graph)
    ops.append(f"""DELETE {{ GRAPH <{target}> {{ ?post ?p ?o }} }} WHERE {{ GRAPH <{target}> {{
        {{ ?post a cg:Post }} UNION {{ ?post cg:postCountry ?c }} UNION {{ ?post org:postIn ?c }}
        ?post ?p ?o FILTER NOT EXISTS {{ ?post org:heldBy ?h }} }} }}""")
    store.update(PREFIXES + " ;\n".join(ops))

