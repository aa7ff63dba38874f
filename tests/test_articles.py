"""Reading articles: every supported input, and every malformed record reported with its file and line."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from kg.articles import RecordError, Skipped, article_from_record, read_articles
from kg.extract.model import Article


def good(i: int) -> dict[str, object]:
    return {"id": f"a{i}", "text": f"Article {i} body.", "published": "2018-05-01", "topic": "trade"}


def test_jsonl_with_a_broken_line_yields_the_rest_and_names_the_line(tmp_path: Path) -> None:
    f = tmp_path / "batch.jsonl"
    f.write_text(json.dumps(good(1)) + "\n{not json\n" + json.dumps(good(2)) + "\n", encoding="utf-8")
    items = list(read_articles([str(f)]))
    assert [i.id for i in items if isinstance(i, Article)] == ["a1", "a2"]
    skipped = [i for i in items if isinstance(i, Skipped)]
    assert len(skipped) == 1 and skipped[0].source == f"{f}:2" and "malformed JSON" in skipped[0].reason


def test_non_utf8_file_is_reported(tmp_path: Path) -> None:
    f = tmp_path / "latin1.txt"
    f.write_bytes("Le négociateur a dit".encode("latin-1"))
    [item] = list(read_articles([str(f)]))
    assert isinstance(item, Skipped) and "not UTF-8" in item.reason


def test_non_utf8_line_in_jsonl_is_reported_with_its_line(tmp_path: Path) -> None:
    f = tmp_path / "mixed.jsonl"
    f.write_bytes(json.dumps(good(1)).encode() + b"\n" + b'{"id": "x", "text": "caf\xe9"}\n')
    items = list(read_articles([str(f)]))
    assert isinstance(items[1], Skipped) and items[1].source.endswith(":2") and "UTF-8" in items[1].reason


@pytest.mark.parametrize("record, problem", [
    ({"id": "x"}, "missing 'text'"),
    ({"id": "x", "text": "   "}, "empty 'text'"),
    ({"text": "body"}, "missing or empty 'id'"),
    ({"id": "x", "text": 3}, "'text' must be a string"),
    ({"id": "x", "text": "b", "published": "yesterday"}, "not an ISO date"),
    ({"id": "x", "text": "b", "published": "23/7/2017"}, r"read as month/day/year, month 23 does not exist"),
    ({"id": "x", "text": "b", "published": "2/30/18"}, r"read as month/day/year, day is out of range"),
    ({"id": "x", "text": "b", "title": ["t"]}, "field 'title' must be a string"),
    (["not", "an", "object"], "JSON object"),
])
def test_invalid_records_name_the_problem(record: object, problem: str) -> None:
    with pytest.raises(RecordError, match=problem):
        article_from_record(record)


@pytest.mark.parametrize("given, stored", [("7/23/17", "2017-07-23"), ("12/1/16", "2016-12-01"),
                                           ("4/4/2017", "2017-04-04"), ("2018-05-01", "2018-05-01")])
def test_a_us_month_day_year_date_is_read_as_its_iso_date(given: str, stored: str) -> None:
    assert article_from_record({"id": "x", "text": "b", "published": given}).published == stored


def test_oversized_text_is_refused() -> None:
    with pytest.raises(RecordError, match="over the limit"):
        article_from_record({"id": "x", "text": "a" * 101}, max_chars=100)


def test_txt_json_gz_and_folders(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text("A plain text article.", encoding="utf-8")
    (tmp_path / "two.json").write_text(json.dumps(good(2)), encoding="utf-8")
    with gzip.open(tmp_path / "three.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write(json.dumps(good(3)) + "\n" + json.dumps(good(4)) + "\n")
    (tmp_path / "notes.md").write_text("ignored: not an article file", encoding="utf-8")
    items = list(read_articles([str(tmp_path)]))
    assert sorted(i.id for i in items if isinstance(i, Article)) == ["a2", "a3", "a4", "one"]
    assert not [i for i in items if isinstance(i, Skipped)]
    txt = next(i for i in items if isinstance(i, Article) and i.id == "one")
    assert txt.published is None and txt.text == "A plain text article."


def test_missing_path_and_unknown_suffix(tmp_path: Path) -> None:
    (tmp_path / "data.csv").write_text("a,b", encoding="utf-8")
    items = list(read_articles([str(tmp_path / "nope.json"), str(tmp_path / "data.csv")]))
    assert [type(i) for i in items] == [Skipped, Skipped]
    assert "no such file" in items[0].reason and "unsupported file type" in items[1].reason


def test_extra_keys_are_kept_as_metadata() -> None:
    a = article_from_record(good(1))
    assert a.extra == {"topic": "trade"} and a.published == "2018-05-01"
