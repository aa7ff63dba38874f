"""The error patterns of ../shared/eval/patterns.jsonl as tests: each invented text extracted by the real extractor
and scored with the metric of ../shared/eval/score.py (kg.evaluate.score). A pattern passes when every expected
claim is found with its speaker and nothing else is predicted. ``benchmarks/patterns_eval.py`` prints the table.

The rules these patterns exemplify are tested on other sentences in tests/test_extract_rules.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kg.errors import BadInput
from kg.evaluate import score
from kg.extract import Extractor
from kg.patterns import Pattern, load_patterns

# Patterns the rules do not get right yet, each with why; strict, so one that starts passing must leave the list.
KNOWN_MISSES: dict[str, str] = {
    "p25": "coordinated verb keeps its own subject",
}
OVERALL_FLOOR = 0.95  # attribution F1 over all patterns must not fall below this (target 0.90)
PATTERN_IDS = [f"p{n:02d}" for n in range(1, 37)]


@pytest.fixture(scope="module")
def patterns(shared_dir: Path) -> dict[str, Pattern]:
    path = shared_dir / "eval" / "patterns.jsonl"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    return {p.id: p for p in load_patterns(path)}


@pytest.fixture(scope="module")
def predicted(patterns: dict[str, Pattern], extractor: Extractor) -> dict[str, dict[str, Any]]:
    found = extractor.extract_many([p.article for p in patterns.values()])
    return {e.article.id: e.to_json() for e in found}


@pytest.mark.parametrize("pattern_id", [
    pytest.param(p, marks=pytest.mark.xfail(strict=True, reason=KNOWN_MISSES[p])) if p in KNOWN_MISSES else p
    for p in PATTERN_IDS])
def test_pattern(pattern_id: str, patterns: dict[str, Pattern], predicted: dict[str, dict[str, Any]]) -> None:
    pattern = patterns[pattern_id]
    row = score({pattern_id: pattern.gold}, {pattern_id: predicted[pattern_id]})["per_article"][pattern_id]
    claims = [(c["speaker"]["name"], c["kind"], c["text"]) for c in predicted[pattern_id]["claims"]]
    assert row["attr_tp"] == row["gold"] == row["pred"], f"{pattern.pattern}: predicted {claims}"


def test_overall_attribution_f1(patterns: dict[str, Pattern], predicted: dict[str, dict[str, Any]]) -> None:
    result = score({p.id: p.gold for p in patterns.values()}, predicted)
    assert result["articles"] == 36 and result["gold"] > 0
    assert result["attribution"]["f1"] >= OVERALL_FLOOR


def test_pattern_records_become_gold_with_spans(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    record = {"id": "x1", "pattern": "coordinated", "text": "A and B said the deal was done.",
              "claims": [{"speaker": "A", "kind": "indirect", "text": "the deal was done"},
                         {"speaker": "B", "kind": "indirect", "text": "the deal was done", "aliases": ["Bee"]}]}
    path.write_text(json.dumps(record) + "\n\n" + json.dumps({**record, "id": "x2", "claims": []}) + "\n")
    first, second = load_patterns(path)
    assert [(c["start"], c["end"]) for c in first.gold["claims"]] == [(13, 30), (13, 30)]
    assert {e["id"]: e["aliases"] for e in first.gold["entities"]} == {"A": [], "B": ["Bee"]}
    assert second.gold["claims"] == [] and second.article.text == record["text"]


def test_malformed_pattern_records_name_their_line(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text('{"id": "x", "pattern": "p", "text": "Hi.", "claims": [{"speaker": "A", "kind": "direct", '
                    '"text": "absent"}]}\n')
    with pytest.raises(BadInput, match=r"p.jsonl:1: .*'absent' is not in the pattern text"):
        load_patterns(path)
    path.write_text('\n{"id": "x"\n')
    with pytest.raises(BadInput, match=r"p.jsonl:2: not a pattern record"):
        load_patterns(path)
