"""The rows of every local canned query on a fixture store: three hand-made articles, written by the real write
path, whose answers are worked out by hand below (not only "it runs": the counts, the pairs, the order).

The fixture: article a (2018-05-03) is tests/factories' sample (Ana Ruiz, Mexico, two claims on the sunset clause,
one also on the negotiation timeline, mentioning Mexico). Article b (2018-06-10): Lighthizer (US) on the NAFTA
renegotiation mentioning Canada, Freeland (CA) on it mentioning the US, "a senior official" (no speaker) on the
sunset clause mentioning the US, and Lighthizer again, undated and on no issue. Article c (2018-07-01): Freeland on
the NAFTA renegotiation, Ruiz on the sunset clause.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kg import paging
from kg.bulk_write import write_articles
from kg.extract.model import Article, Claim, Entity, Extraction, Mention
from kg.ingest import ensure_static_graphs
from kg.queries import load_queries
from kg.query_job import text_of
from kg.store import EmbeddedStore, Store
from tests.factories import sample_extraction, span_of

QUERIES = load_queries()
CGID = "https://w3id.org/claimgraph/id/"
LIGHTHIZER, FREELAND, RUIZ = (f"{CGID}person/{k}" for k in ("robert-lighthizer", "chrystia-freeland", "ana-ruiz"))
NAFTA, SUNSET, TIMELINE = (f"{CGID}issue/{k}" for k in ("nafta-renegotiation", "sunset-clause", "negotiation-timeline"))

B_TEXT = ("Robert Lighthizer said the deal would be good for Canada. Chrystia Freeland said the United States must "
          "compromise. A senior official said the sunset clause hurt the United States. Lighthizer also said "
          "nothing was settled.")
C_TEXT = "Chrystia Freeland said talks would go on. Ana Ruiz said the sunset clause was still a problem."


def _person(key: str, name: str, text: str, country: str, known: bool) -> Entity:
    return Entity(key=key, type="Official", name=name, country=country, known=known,
                  mentions=[Mention(*span_of(text, name), name, 0.9)])


def _claim(text: str, part: str, speaker: str | None, speaker_text: str, issues: list[str], countries: list[str],
           date: str | None) -> Claim:
    start, end = span_of(text, part)
    return Claim(kind="indirect", text=part, start=start, end=end, speaker=speaker, speaker_text=speaker_text,
                 cue="said", issues=issues, countries=countries, date=date, date_precision="day" if date else None,
                 confidence=0.8)


def _article(article_id: str, text: str, published: str, entities: list[Entity], claims: list[Claim]) -> Extraction:
    return Extraction(article=Article(id=article_id, text=text, url=f"https://news.example/{article_id}",
                                      title=f"Article {article_id}", publisher="Example News", published=published),
                      entities=entities, posts=[], claims=claims, software="claimgraph 0.1.0",
                      pipeline="en_core_web_sm 3.8.0", started="2026-01-01T00:00:00Z", ended="2026-01-01T00:00:01Z")


def fixture_extractions() -> list[Extraction]:
    b = _article("b", B_TEXT, "2018-06-10", [
        _person("person/robert-lighthizer", "Robert Lighthizer", B_TEXT, "US", True),
        _person("person/chrystia-freeland", "Chrystia Freeland", B_TEXT, "CA", True)], [
        _claim(B_TEXT, "the deal would be good for Canada", "person/robert-lighthizer", "Robert Lighthizer",
               ["nafta-renegotiation"], ["CA"], "2018-06-10"),
        _claim(B_TEXT, "the United States must compromise", "person/chrystia-freeland", "Chrystia Freeland",
               ["nafta-renegotiation"], ["US"], "2018-06-09"),
        _claim(B_TEXT, "the sunset clause hurt the United States", None, "A senior official", ["sunset-clause"],
               ["US"], "2018-06-10"),
        _claim(B_TEXT, "nothing was settled", "person/robert-lighthizer", "Lighthizer", [], [], None)])
    c = _article("c", C_TEXT, "2018-07-01", [
        _person("person/chrystia-freeland", "Chrystia Freeland", C_TEXT, "CA", True),
        _person("person/ana-ruiz", "Ana Ruiz", C_TEXT, "MX", False)], [
        _claim(C_TEXT, "talks would go on", "person/chrystia-freeland", "Chrystia Freeland", ["nafta-renegotiation"],
               [], "2018-07-01"),
        _claim(C_TEXT, "the sunset clause was still a problem", "person/ana-ruiz", "Ana Ruiz", ["sunset-clause"], [],
               "2018-07-01")])
    return [sample_extraction("a"), b, c]


@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = EmbeddedStore(tmp_path_factory.mktemp("canned") / "store")
    ensure_static_graphs(store)
    write_articles(store, fixture_extractions(), batch_articles=2)
    yield store
    store.close()


def run(store: Store, name: str, **values: str) -> list[dict[str, str]]:
    sparql, bound = QUERIES[name].prepare(values)
    return [{n: text_of(t) for n, t in row.items()} for row in store.select(sparql, bound).rows]


def cols(rows: list[dict[str, str]], *names: str) -> list[tuple[str | None, ...]]:
    return [tuple(r.get(n) for n in names) for r in rows]


def test_top_issues_counts_claims_speakers_articles_and_dates(fixture_store: Store) -> None:
    got = cols(run(fixture_store, "top-issues"), "issue", "claims", "speakers", "articles", "first", "last")
    assert got == [(SUNSET, "4", "1", "3", "2018-05-01", "2018-07-01"),
                   (NAFTA, "3", "2", "2", "2018-06-09", "2018-07-01"),
                   (TIMELINE, "1", "1", "1", "2018-05-01", "2018-05-01")]
    june = cols(run(fixture_store, "top-issues", **{"from": "2018-06-01", "to": "2018-06-30"}),
                "issue", "claims", "speakers", "articles")
    assert june == [(NAFTA, "2", "2", "1"), (SUNSET, "1", "0", "1")]
    assert [r["issue"] for r in run(fixture_store, "top-issues", minClaims="2")] == [SUNSET, NAFTA]


def test_co_quoted_pairs_each_articles_distinct_speakers_once(fixture_store: Store) -> None:
    got = cols(run(fixture_store, "co-quoted"), "a", "b", "articles", "exampleArticle")
    assert got == [(RUIZ, FREELAND, "1", f"{CGID}article/c"), (FREELAND, LIGHTHIZER, "1", f"{CGID}article/b")]
    assert cols(run(fixture_store, "co-quoted", speaker=LIGHTHIZER), "a", "b") == [(FREELAND, LIGHTHIZER)]
    assert run(fixture_store, "co-quoted", minArticles="2") == []


def test_issue_by_label_counts_dated_and_undated_claims(fixture_store: Store) -> None:
    assert cols(run(fixture_store, "issue-by-label", label="sunset clause@en"), "issue", "claims") == [(SUNSET, "4")]
    assert cols(run(fixture_store, "issue-by-label", label="Negotiation timeline@en"), "claims") == [("1",)]


def test_claims_mentioning_a_country_give_speakers_only_to_claims_that_have_one(fixture_store: Store) -> None:
    rows = run(fixture_store, "claims-mentioning-country", country=f"{CGID}country/US")
    assert sorted(cols(rows, "speaker", "speakerCountryName"), key=str) == [(FREELAND, "Canada"), (None, None)]
    canada = run(fixture_store, "claims-mentioning-country", country=f"{CGID}country/US",
                 speakerCountry=f"{CGID}country/CA")
    assert cols(canada, "speaker", "speakerCountryName") == [(FREELAND, "Canada")]


def test_issue_by_country_and_contested_issues(fixture_store: Store) -> None:
    rows = run(fixture_store, "issue-by-country", issue=NAFTA)
    assert cols(rows, "speaker", "countryName", "date") == [(FREELAND, "Canada", "2018-06-09"),
                                                             (FREELAND, "Canada", "2018-07-01"),
                                                             (LIGHTHIZER, "United States", "2018-06-10")]
    assert len(run(fixture_store, "issue-by-country", issue=NAFTA, country=f"{CGID}country/US")) == 1
    contested = cols(run(fixture_store, "contested-issues"), "issue", "countries", "speakers", "claims")
    assert contested == [(NAFTA, "2", "2", "3")], "the sunset clause has speakers of one country only"


def test_who_said_what_by_country_speaker_and_undated(fixture_store: Store) -> None:
    canada = run(fixture_store, "who-said-what", country=f"{CGID}country/CA")
    assert cols(canada, "speaker", "date") == [(FREELAND, "2018-06-09"), (FREELAND, "2018-07-01")]
    assert len(run(fixture_store, "who-said-what", speaker=LIGHTHIZER)) == 1
    both = run(fixture_store, "who-said-what", speaker=LIGHTHIZER, undated="true")
    assert sorted(cols(both, "date", "issues"), key=str) == sorted([("2018-06-10", "NAFTA renegotiation"),
                                                                    (None, "")], key=str)


def test_who_said_what_reaches_narrower_issues_through_the_stored_closure(fixture_store: Store) -> None:
    """An issue itself (no step), its narrower issue (one step: the timeline under trade negotiations) and two steps
    down (trade agreements > trade negotiations > negotiation timeline), read through skos:broaderTransitive."""
    def claims(issue: str) -> list[str]:
        return sorted(r["claim"].removeprefix(f"{CGID}claim/")
                      for r in run(fixture_store, "who-said-what", issue=f"{CGID}issue/{issue}"))
    assert len(claims("sunset-clause")) == 3, "two by Ruiz in a, one in c; the unattributed one has no speaker"
    assert len(claims("trade-negotiations")) == 1 and claims("trade-negotiations")[0].startswith("a/")
    assert len(claims("trade-agreements")) == 6, "every claim with a speaker and an issue"


def test_each_article_graph_holds_its_pairs_of_speakers_once(fixture_store: Store) -> None:
    """The co-quoted summary (kg.summaries.pairs): one pair tally per two speakers of an article, the first in code
    point order, counting both one's claims, in that article's graph; article a has one speaker, so no pair."""
    rows = fixture_store.select("PREFIX cg: <https://w3id.org/claimgraph/ontology#> SELECT ?g ?a ?b ?n WHERE { "
                                "GRAPH ?g { ?t a cg:PairTally ; cg:tallyOf ?a ; cg:pairedWith ?b ; "
                                "cg:claimCount ?n } }").rows
    got = sorted((text_of(r["g"]).rsplit("/", 1)[1], text_of(r["a"]), text_of(r["b"]), text_of(r["n"])) for r in rows)
    assert got == [("b", FREELAND, LIGHTHIZER, "3"), ("c", RUIZ, FREELAND, "2")]


def test_claims_by_official_timeline_search_article_and_runs(fixture_store: Store) -> None:
    lighthizer = run(fixture_store, "claims-by-official", speaker=LIGHTHIZER)
    assert cols(lighthizer, "date", "issues") == [("2018-06-10", "NAFTA renegotiation"), (None, "")]
    timeline = run(fixture_store, "issue-timeline", issue=NAFTA, narrower="false")
    assert cols(timeline, "date", "speaker") == [("2018-06-09", FREELAND), ("2018-06-10", LIGHTHIZER),
                                                 ("2018-07-01", FREELAND)]
    assert [r["claimText"] for r in run(fixture_store, "search-claims", text="DEAL")] == [
        "the deal would be good for Canada", "We will not sign a deal that expires,"]
    assert [int(r["start"]) for r in run(fixture_store, "article-claims", article=f"{CGID}article/b")] == [
        B_TEXT.index(p) for p in ("the deal", "the United States must", "the sunset", "nothing")]
    runs = {r["article"].rsplit("/", 1)[1]: r["claims"] for r in run(fixture_store, "extraction-runs")}
    assert runs == {"a": "2", "b": "4", "c": "2"}
    claim = f"{CGID}claim/c/{C_TEXT.index('talks')}-{C_TEXT.index('talks') + len('talks would go on')}"
    provenance = run(fixture_store, "claim-provenance", claim=claim)
    assert cols(provenance, "software", "exact", "published") == [("claimgraph 0.1.0", "talks would go on",
                                                                    "2018-07-01")]


def test_country_officials_lists_each_post_once(fixture_store: Store) -> None:
    rows = run(fixture_store, "country-officials", country=f"{CGID}country/US", on="2018-06-01")
    assert (LIGHTHIZER, "United States Trade Representative") in cols(rows, "person", "postLabel")
    assert len(rows) == len({tuple(sorted(r.items())) for r in rows}), "no row twice"


def test_every_local_query_has_a_row_test_here() -> None:
    tested = Path(__file__).read_text(encoding="utf-8")
    local = [name for name, q in QUERIES.items() if not q.uses_service]
    assert [n for n in local if f'"{n}"' not in tested] == []


def pages(store: Store, name: str, limit: int, **values: str) -> list[list[dict[str, str]]]:
    """Every page of a query's answer as the server reads it (kg.paging: keys first, then details), in order."""
    sparql, bound = QUERIES[name].prepare(values)
    out, page, more = [], paging.Page(limit), True
    while more:
        solutions, more = paging.select_page(lambda s, b, n: store.select(s, b, max_rows=n), sparql, bound, page)
        out.append([{n: text_of(t) for n, t in row.items()} for row in solutions.rows])
        page = page.next()
    return out


@pytest.mark.parametrize("name, values", [
    ("who-said-what", {}), ("who-said-what", {"undated": "true"}), ("who-said-what", {"country": f"{CGID}country/CA"}),
    ("search-claims", {"text": "the"}), ("claims-mentioning-country", {"country": f"{CGID}country/US"}),
    ("country-officials", {"country": f"{CGID}country/US"}), ("extraction-runs", {}), ("co-quoted", {}),
    ("claims-by-official", {"speaker": LIGHTHIZER})])
def test_pages_of_two_give_the_whole_answer_in_its_order(fixture_store: Store, name: str,
                                                         values: dict[str, str]) -> None:
    """Pages of two keys, read until none follows, are the whole answer (run as one query) in its order (the parts
    of a GROUP_CONCAT in any order); a page of keys holds every detail row of its keys (country-officials: a
    person's posts), so only the number of pages is bounded by the rows."""
    def same(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        return [{k: ", ".join(sorted(v.split(", "))) if k == "issues" else v for k, v in r.items()} for r in rows]
    whole = run(fixture_store, name, **values)
    got = pages(fixture_store, name, 2, **values)
    assert same([row for page in got for row in page]) == same(whole) and len(whole) >= 2, name
    assert all(page for page in got[:-1]) and (2 if len(whole) > 2 else 1) <= len(got) <= -(-len(whole) // 2) + 1


def test_who_said_what_pages_list_dated_claims_with_a_speaker_oldest_first(fixture_store: Store) -> None:
    first, second = (pages(fixture_store, "who-said-what", 3)[k] for k in (0, 1))
    assert cols(first, "speaker", "date") == [(RUIZ, "2018-05-01"), (RUIZ, "2018-05-03"), (FREELAND, "2018-06-09")]
    assert cols(second, "speaker", "date", "claim") == [(LIGHTHIZER, "2018-06-10", f"{CGID}claim/b/23-56"),
                                                        (FREELAND, "2018-07-01", f"{CGID}claim/c/23-40"),
                                                        (RUIZ, "2018-07-01", f"{CGID}claim/c/56-93")]
