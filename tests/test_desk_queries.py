"""Who said what about what, when: the ``who-said-what`` canned query, entity parameters by name, honest forms,
paged and sorted result tables with a timeline. Over a live server; expected rows come from plain SPARQL."""

from __future__ import annotations

import csv
import html
import io
import re
from typing import Any

import pytest
import requests

from tests.test_pages import HTML, page, sparql

ID = "https://w3id.org/claimgraph/id/"
LIGHTHIZER = ID + "person/robert-lighthizer"
PREFIXES = """PREFIX cg: <https://w3id.org/claimgraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def data(server: Any, path: str, **params: str) -> requests.Response:
    return requests.get(server.url + path, params=params, timeout=60)


def claims_where(server: Any, pattern: str) -> set[str]:
    return {r["c"] for r in sparql(server, PREFIXES + f"SELECT DISTINCT ?c WHERE {{ ?c a cg:Claim . {pattern} }}")}


def bindings(response: requests.Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    return [{k: v["value"] for k, v in b.items()} for b in response.json()["results"]["bindings"]]


# -- parameters by name --------------------------------------------------------------------------------------

@pytest.mark.parametrize("given", ["Lighthizer", "robert-lighthizer", "person/robert-lighthizer", "lighthiser",
                                   "cgid:person/robert-lighthizer", LIGHTHIZER])
def test_an_entity_parameter_takes_a_name_a_slug_or_an_iri(live_server: Any, given: str) -> None:
    rows = bindings(data(live_server, "/queries/claims-by-official.json", speaker=given))
    expected = claims_where(live_server, f"?c cg:speaker <{LIGHTHIZER}>")
    assert {r["claim"] for r in rows} == expected and expected


def test_an_unclear_name_is_400_with_did_you_mean(live_server: Any) -> None:
    response = data(live_server, "/queries/claims-by-official.json", speaker="zzqqxv")
    assert response.status_code == 400
    assert "speaker='zzqqxv' names no entity" in response.json()["message"]
    form = page(live_server, "/queries/claims-by-official/form?speaker=zzqqxv")
    assert form.status_code == 400 and 'id="did-you-mean"' in form.text


def test_parameters_that_are_not_entities_still_need_an_iri(live_server: Any) -> None:
    response = data(live_server, "/queries/article-claims.json", article="nafta talks")
    assert response.status_code == 400 and "is not an absolute IRI" in response.json()["message"]


# -- who said what about what, when ---------------------------------------------------------------------------

def test_who_said_what_combines_speaker_issue_and_dates(live_server: Any) -> None:
    issue = ID + "issue/nafta-renegotiation"
    rows = bindings(data(live_server, "/queries/who-said-what.json", speaker="Lighthizer",
                         issue="NAFTA renegotiation", **{"from": "2018-05-01", "to": "2018-05-01"}))
    expected = claims_where(live_server, f"?c cg:speaker <{LIGHTHIZER}> ; cg:about/skos:broader* <{issue}> ; "
                                         "cg:statedOn ?d FILTER(?d = '2018-05-01'^^<http://www.w3.org/2001/XMLSchema#date>)")
    assert {r["claim"] for r in rows} == expected and expected
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates)
    assert all(r["article"].startswith(ID + "article/") and int(r["start"]) < int(r["end"]) for r in rows)


def test_who_said_what_by_country_takes_everyone_acting_for_it(live_server: Any) -> None:
    rows = bindings(data(live_server, "/queries/who-said-what.json", country="Canada", undated="true"))
    canada = f"<{ID}country/CA>"
    expected = claims_where(live_server, f"?c cg:speaker ?s . {{ ?s cg:actsFor {canada} }} UNION "
                                         f"{{ FILTER(?s = {canada}) }}")
    assert {r["claim"] for r in rows} == expected and expected


def test_undated_claims_are_an_explicit_option(live_server: Any) -> None:
    dated = bindings(data(live_server, "/queries/who-said-what.json", speaker="Lighthizer"))
    every = bindings(data(live_server, "/queries/who-said-what.json", speaker="Lighthizer", undated="true"))
    undated = claims_where(live_server, f"?c cg:speaker <{LIGHTHIZER}> FILTER NOT EXISTS {{ ?c cg:statedOn ?d }}")
    assert len(every) == len(dated) + len(undated)
    assert all("date" in r for r in dated)


# -- forms ----------------------------------------------------------------------------------------------------

def test_an_empty_form_shows_examples_as_placeholders_only(live_server: Any) -> None:
    html = page(live_server, "/queries/claims-by-official/form").text
    inputs = re.findall(r"<input type=\"text\" name=\"(\w+)\" value=\"([^\"]*)\"\s+placeholder=\"([^\"]*)\"", html)
    assert {name for name, _, _ in inputs} >= {"speaker", "from", "to", "minConfidence"}
    assert all(value == "" for _, value, _ in inputs)
    assert any("2018-01-01" in placeholder for name, _, placeholder in inputs if name == "from")
    assert 'id="query-results"' not in html  # nothing ran


def test_the_form_shows_the_values_the_results_used(live_server: Any) -> None:
    html = page(live_server, "/queries/top-issues/form?from=2018-04-01").text
    used = dict(re.findall(r'<dd data-param="(\w+)">([^<]*)', html))
    assert used["from"].strip() == "2018-04-01"
    assert used["to"].strip() == "9999-12-31"  # the default, said to be one
    assert "(default)" in html.split('data-param="to"')[1].split("</dd>")[0]
    named = page(live_server, "/queries/who-said-what/form?speaker=Lighthizer").text
    assert 'data-param="speaker"><a href="/id/person/robert-lighthizer">Robert Lighthizer</a>' in named
    assert "(from “Lighthizer”)" in named
    assert 'name="undated"' in named and '<option value="false" selected>' in named


# -- result tables --------------------------------------------------------------------------------------------

def result_cells(html: str, column: str) -> list[str]:
    head = re.search(r'<table class="results".*?</thead>', html, re.S)
    assert head, "no result table"
    columns = re.findall(r'<th data-column="(\w+)"', head.group(0))
    body = html.split("</thead>", 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    cells = [re.findall(r'<td class="col-(\w+)">(.*?)</td>', r, re.S) for r in rows]
    return [re.sub(r"<[^>]+>", "", dict(c).get(column, "")).strip() for c in cells] if column in columns else []


def test_result_tables_page_sort_and_show_labels_not_iris(live_server: Any) -> None:
    every = bindings(data(live_server, "/queries/who-said-what.json", undated="true"))
    first = page(live_server, "/queries/who-said-what/form?undated=true&_per_page=5").text
    assert f"{len(every)} rows, page 1 of {-(-len(every) // 5)}" in first
    assert len(result_cells(first, "claim")) == 5
    second = page(live_server, "/queries/who-said-what/form?undated=true&_per_page=5&_page=2").text
    assert not set(result_cells(first, "claim")) & set(result_cells(second, "claim"))
    assert "cgid:" not in "".join(result_cells(first, "speaker") + result_cells(first, "article"))
    assert set(result_cells(first, "kind")) <= {"direct quote", "indirect quote", "mixed quote"}
    by_speaker = page(live_server, "/queries/who-said-what/form?undated=true&_sort=speaker&_per_page=200").text
    names = result_cells(by_speaker, "speaker")
    assert names == sorted(names, key=str.lower) and len(names) == len(every)
    assert 'class="in-article" href="/id/article/nafta-talks-2018#claim-' in first


def test_bound_parameters_are_shown_once_above_the_table(live_server: Any) -> None:
    html = page(live_server, "/queries/who-said-what/form?speaker=Lighthizer").text
    assert result_cells(html, "speaker") == []  # not a column: the speaker is in "Values used"
    assert result_cells(html, "claim")


def test_a_timeline_chart_of_claims_per_month(live_server: Any) -> None:
    html = page(live_server, "/queries/who-said-what/form?undated=true").text
    chart = html.split('<figure class="timeline-figure"', 1)[1].split("</figure>", 1)[0]
    counts = [int(n) for n in re.findall(r'data-count="(\d+)"', chart)]
    dated = [r for r in bindings(data(live_server, "/queries/who-said-what.json")) if "date" in r]
    assert sum(counts) == len(dated) > 0
    assert "Robert Lighthizer" in chart


def test_every_table_downloads_as_csv_and_json_with_names_resolved(live_server: Any) -> None:
    html = page(live_server, "/queries/who-said-what/form?speaker=Lighthizer").text
    links = dict(re.findall(r'class="download"[^>]*? data-format="(\w+)" href="([^"]+)"', html))
    assert set(links) >= {"csv", "json"}
    assert "robert-lighthizer" in links["csv"]
    body = requests.get(live_server.url + links["csv"].replace("&amp;", "&"), timeout=60)
    rows = list(csv.DictReader(io.StringIO(body.text)))
    assert rows and {r["speaker"] for r in rows} == {LIGHTHIZER}


def test_bad_page_arguments_are_400(live_server: Any) -> None:
    response = page(live_server, "/queries/who-said-what/form?_page=two")
    assert response.status_code == 400 and "'two' is not a whole number" in html.unescape(response.text)
    assert 'id="error-message"' in response.text  # in the site's layout


def test_queries_index_is_a_styled_page(live_server: Any) -> None:
    html = requests.get(live_server.url + "/queries", headers=HTML, timeout=30).text
    assert "style.css" in html and 'id="site-search"' in html and "who-said-what" in html
