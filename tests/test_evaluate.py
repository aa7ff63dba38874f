"""kg.evaluate: the same numbers as ../shared/eval/score.py on the seed and on perturbed predictions, and
`kg evaluate` end to end, with its error paths."""

from __future__ import annotations

import copy
import importlib.util
import json
import random
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from kg.errors import BadInput
from kg.evaluate import iou, load_claims, match_claims, same_speaker, score

KG = str(Path(sys.executable).parent / "kg")


@pytest.fixture(scope="module")
def reference_scorer(shared_dir: Path) -> ModuleType:
    """The shared scorer, imported from its file (it is a script, not a package)."""
    spec = importlib.util.spec_from_file_location("shared_score", shared_dir / "eval" / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def seed_gold(shared_dir: Path) -> dict[str, Any]:
    return json.loads((shared_dir / "seed" / "nafta-talks-2018.gold.json").read_text(encoding="utf-8"))


def as_prediction(gold: dict[str, Any]) -> dict[str, Any]:
    """The gold claims as our extractor would print them: speaker objects named by the gold entity's name."""
    names = {e["id"]: e for e in gold["entities"]}
    pred = copy.deepcopy(gold)
    pred.pop("entities")
    for c in pred["claims"]:
        entity = names.get(c["speaker"], {"name": c["speaker"]})
        c["speaker"] = {"name": entity["name"], **({"wikidata": entity["wikidata"]} if "wikidata" in entity else {})}
    return pred


def perturbations(gold: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Predictions that differ from gold in the ways extractors go wrong, each deterministic."""
    base = as_prediction(gold)
    rng = random.Random(7)
    out = [("exact", base)]
    shifted = copy.deepcopy(base)
    for c in shifted["claims"]:
        width = c["end"] - c["start"]
        c["start"] += rng.randint(-width // 2, width // 2)
        c["end"] = c["start"] + max(1, width + rng.randint(-width // 3, width // 3))
    out.append(("shifted spans", shifted))
    dropped = copy.deepcopy(base)
    dropped["claims"] = [c for i, c in enumerate(dropped["claims"]) if i % 3]
    out.append(("dropped claims", dropped))
    spurious = copy.deepcopy(base)
    spurious["claims"] += [{"speaker": {"name": "Nobody"}, "start": s, "end": s + 40, "kind": "direct"}
                           for s in (3, 700, 2500)]
    out.append(("spurious claims", spurious))
    renamed = copy.deepcopy(base)
    forms = ["Lighthizer", "U.S. Trade Representative Robert Lighthizer", "he", "", "Mr. Ross", "Canada",
             "the Government of Canada", "Trump’s", "Freeland"]
    for i, c in enumerate(renamed["claims"]):
        c["speaker"] = forms[i % len(forms)] if i % 2 else {"name": forms[i % len(forms)], "wikidata": "Q1"}
    out.append(("renamed speakers", renamed))
    merged = copy.deepcopy(base)
    merged["claims"] = [{**a, "end": b["end"]} for a, b in zip(merged["claims"][::2], merged["claims"][1::2],
                                                                strict=False)]
    out.append(("merged neighbours", merged))
    return out


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.8])
def test_scores_equal_the_shared_scorer_on_perturbed_predictions(reference_scorer: ModuleType,
                                                                 seed_gold: dict[str, Any], threshold: float) -> None:
    gold = {"nafta-talks-2018": seed_gold}
    seen = set()
    for name, pred in perturbations(seed_gold):
        predicted = {"nafta-talks-2018": pred}
        ours = score(gold, predicted, threshold)
        theirs = reference_scorer.score(gold, predicted, threshold)
        assert ours == theirs, name
        seen.add((ours["span_tp"], ours["attr_tp"], ours["pred"]))
    assert len(seen) >= 4, "the perturbations should give different scores"


def test_scores_equal_the_shared_scorer_on_our_extraction(reference_scorer: ModuleType, shared_dir: Path,
                                                          tmp_path: Path) -> None:
    gold_file = shared_dir / "seed" / "nafta-talks-2018.gold.json"
    pred_file = tmp_path / "pred.json"
    run = subprocess.run([KG, "extract", str(shared_dir / "seed" / "nafta-talks-2018.json"), "-o", str(pred_file)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    ours = subprocess.run([KG, "evaluate", "--gold", str(gold_file), "--pred", str(pred_file), "--json"],
                          capture_output=True, text=True, check=False)
    theirs = subprocess.run([sys.executable, str(shared_dir / "eval" / "score.py"), "--gold", str(gold_file),
                             "--pred", str(pred_file), "--json"], capture_output=True, text=True, check=False)
    assert ours.returncode == 0, ours.stderr
    assert json.loads(ours.stdout) == json.loads(theirs.stdout)
    assert json.loads(ours.stdout)["attribution"]["f1"] >= 0.9


def test_evaluate_without_pred_extracts_the_article_beside_the_gold(shared_dir: Path) -> None:
    run = subprocess.run([KG, "evaluate", "--gold", str(shared_dir / "seed" / "nafta-talks-2018.gold.json")],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    last = run.stdout.strip().splitlines()[-1]
    assert last.startswith("attribution F1 ") and float(last.split()[-1]) >= 0.9


def test_overlap_and_one_to_one_matching() -> None:
    assert iou((0, 10), (0, 10)) == 1.0 and iou((0, 10), (10, 20)) == 0.0 and iou((5, 5), (5, 5)) == 0.0
    gold = [{"start": 0, "end": 10}, {"start": 20, "end": 30}]
    # one prediction covering both gold claims matches neither at 0.5; two good ones match one each
    assert match_claims(gold, [{"start": 0, "end": 30}], 0.5) == []
    assert sorted(match_claims(gold, [{"start": 21, "end": 30}, {"start": 0, "end": 9}, {"start": 1, "end": 9}],
                               0.5)) == [(0, 1), (1, 0)]


def test_speaker_matching_by_alias_surname_and_wikidata() -> None:
    gold_record = {"entities": [{"id": "wilbur-ross", "type": "Official", "name": "Wilbur Ross", "wikidata": "Q9",
                                 "aliases": ["Commerce Secretary Wilbur Ross"]}]}
    from kg.evaluate import gold_speakers
    speakers = gold_speakers(gold_record)
    claim = {"speaker": "wilbur-ross"}
    assert same_speaker({"speaker": "Mr. Ross"}, claim, speakers)
    assert same_speaker({"speaker": {"name": "U.S. Commerce Secretary Wilbur Ross"}}, claim, speakers)
    assert not same_speaker({"speaker": {"name": "Ross", "wikidata": "Q8"}}, claim, speakers)  # ids disagree
    assert same_speaker({"speaker": {"name": "someone", "wikidata": "Q9"}}, claim, speakers)
    assert not same_speaker({"speaker": {"name": "he"}}, claim, speakers)


def test_bad_threshold_and_bad_claims_are_refused() -> None:
    gold = {"a": {"claims": [{"speaker": "x", "start": 0, "end": 5}]}}
    with pytest.raises(BadInput, match="IoU threshold"):
        score(gold, {}, 0.0)
    with pytest.raises(BadInput, match="integer 'start' and 'end'"):
        score(gold, {"a": {"claims": [{"start": "0", "end": 5}]}}, 0.5)
    with pytest.raises(BadInput, match="needs 'start' and 'end'"):
        score({"a": {"claims": [{"speaker": "x"}]}}, {}, 0.5)


def test_loading_skips_articles_and_names_malformed_files(tmp_path: Path) -> None:
    (tmp_path / "a.gold.json").write_text(json.dumps({"article": {"id": "a"}, "claims": []}))
    (tmp_path / "a.json").write_text(json.dumps({"id": "a", "text": "An article, not claims."}))
    (tmp_path / "more.jsonl").write_text(json.dumps({"article": {"id": "b"}, "claims": []}) + "\n\n")
    assert sorted(load_claims(tmp_path)) == ["a", "b"]
    (tmp_path / "broken.json").write_text("{")
    with pytest.raises(BadInput, match="broken.json: not valid JSON"):
        load_claims(tmp_path)
    with pytest.raises(BadInput, match="no such file"):
        load_claims(tmp_path / "absent.json")


def test_cli_errors_are_one_clear_line(tmp_path: Path) -> None:
    gold = tmp_path / "g.json"
    gold.write_text(json.dumps({"article": {"id": "lonely"}, "claims": []}))
    run = subprocess.run([KG, "evaluate", "--gold", str(gold)], capture_output=True, text=True, check=False)
    assert run.returncode == 1 and "no article file for gold article 'lonely'" in run.stderr
    run = subprocess.run([KG, "evaluate", "--gold", str(gold), "--pred", str(gold), "--iou", "1.5"],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 1 and "IoU threshold must be in (0, 1]" in run.stderr


def test_equal_overlaps_pair_the_right_speakers_first(reference_scorer: ModuleType) -> None:
    # "A and B said X": two gold claims on one span; predictions in the other order still both count
    gold = {"a": {"entities": [{"id": "ann", "name": "Ann Lee"}, {"id": "bo", "name": "Bo Tran"}],
                  "claims": [{"speaker": "ann", "start": 10, "end": 40}, {"speaker": "bo", "start": 10, "end": 40}]}}
    predicted = {"a": {"claims": [{"speaker": {"name": "Bo Tran"}, "start": 10, "end": 40},
                                  {"speaker": {"name": "Ann Lee"}, "start": 10, "end": 40}]}}
    ours = score(gold, predicted, 0.5)
    assert ours["attr_tp"] == 2 and ours == reference_scorer.score(gold, predicted, 0.5)
    assert match_claims(gold["a"]["claims"], predicted["a"]["claims"], 0.5) == [(0, 0), (1, 1)]  # no preference


def test_by_method_splits_precision_and_recall(tmp_path: Path) -> None:
    from kg.evaluate import score_by_method

    gold = {"a": {"entities": [{"id": "ann", "name": "Ann Lee"}],
                  "claims": [{"speaker": "ann", "start": 0, "end": 10}, {"speaker": "ann", "start": 20, "end": 30}]}}
    predicted = {"a": {"claims": [{"speaker": {"name": "Ann Lee"}, "start": 0, "end": 10, "method": "quote"},
                                  {"speaker": {"name": "Bo"}, "start": 20, "end": 30, "method": "verb"},
                                  {"speaker": {"name": "Ann Lee"}, "start": 50, "end": 60, "method": "verb"}]}}
    rows = score_by_method(gold, predicted, 0.5)
    assert rows["quote"] == {"pred": 1, "span_tp": 1, "attr_tp": 1, "precision": 1.0, "recall": 0.5}
    assert rows["verb"] == {"pred": 2, "span_tp": 1, "attr_tp": 0, "precision": 0.0, "recall": 0.0}
    (tmp_path / "g.json").write_text(json.dumps(gold["a"] | {"article": {"id": "a"}}))
    (tmp_path / "p.json").write_text(json.dumps(predicted["a"] | {"article": {"id": "a"}}))
    run = subprocess.run([KG, "evaluate", "--gold", str(tmp_path / "g.json"), "--pred", str(tmp_path / "p.json"),
                          "--by-method"], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[1].split() == ["verb", "2", "1", "0", "0.000", "0.000"]
