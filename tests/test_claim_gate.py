"""The learned precision gate over the arbiters' claims (kg.extract.claim_gate): its features on a hand-built parse,
its fit, the weights file and its loader, the setting, and its hook in the extractor."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from kg.extract.attribution import FrameIndex, frame_claims
from kg.extract.claim_gate import (
    FEATURES,
    GATE_ENV,
    GATE_TSV,
    Candidate,
    ClaimGate,
    CueRates,
    candidates,
    gate_claims,
    gate_from_env,
    load_gate,
    recording,
    shipped_gate,
    write_gate,
)
from kg.extract.claim_gate_fit import Fold, floor_threshold, train_gate
from kg.extract.proposers import propose
from kg.extract.resolver import resolve_frames
from tests.test_extract_stages import ADDED, NOBODY, SAID, parsed

if TYPE_CHECKING:
    from kg.extract import Extractor


def _found() -> tuple[object, list]:
    """"Ross said Lee had lied. He added the deal was close.": two reporting-verb claims, by name and by pronoun."""
    doc = parsed(SAID, ADDED, people=("Ross", "Lee"))
    frames, _ = resolve_frames(doc, propose(doc), NOBODY)
    return doc, frame_claims(doc, FrameIndex(frames))


def test_each_kept_claim_is_described_by_its_method_speaker_and_place() -> None:
    doc, found = _found()
    assert [c.text for c, _ in found] == ["Lee had lied", "the deal was close"]
    named, pronoun = candidates(doc, found)  # type: ignore[arg-type]
    assert set(named.features) == set(FEATURES) - {"cue_rate"}
    assert (named.cue, pronoun.cue) == ("say", "add")  # the cue verbs' lemmas
    assert named.features["method_reporting-verb"] == 1.0 and named.features["method_other"] == 0.0
    assert named.features["indirect"] == 1.0 and named.features["direct"] == 0.0
    assert named.features["speaker_name"] == 1.0 and named.features["speaker_gap"] == 0.0
    assert pronoun.features["speaker_pronoun"] == 1.0 and pronoun.features["speaker_gap"] == 1.0  # named one back
    assert named.features["speaker_named"] == 1.0 and named.features["anonymous"] == 0.0
    assert named.features["speaker_claims"] == pytest.approx(math.log1p(2))  # both claims are Ross's
    assert named.features["lead"] == 1.0 and named.features["cue_after"] == 0.0
    assert named.features["claim_words"] == pytest.approx(math.log1p(3))
    assert named.features["short_claim"] == 1.0 and named.features["quote_marks"] == 0.0


def _gate(weights: dict[str, float], threshold: float = 0.5, bias: float = 0.0) -> ClaimGate:
    full = {f: weights.get(f, 0.0) for f in FEATURES}
    return ClaimGate(full, dict.fromkeys(FEATURES, 0.0), dict.fromkeys(FEATURES, 1.0), bias, threshold,
                     CueRates(0.9))


def test_the_gate_only_drops_the_claims_it_does_not_trust_and_records_what_it_read() -> None:
    doc, found = _found()
    distrust_pronouns = _gate({"speaker_pronoun": -10.0}, bias=2.0)
    with recording() as seen:
        kept = gate_claims(doc, found, distrust_pronouns)  # type: ignore[arg-type]
    assert [c.text for c, _ in kept] == ["Lee had lied"]
    assert len(seen) == 1 and [c.features["speaker_pronoun"] for c in seen[0]] == [0.0, 1.0]
    assert gate_claims(doc, found, None) is found  # off: untouched, nothing computed  # type: ignore[arg-type]
    assert gate_claims(doc, found, _gate({}, threshold=0.0)) == found  # type: ignore[arg-type]


def test_a_cue_s_base_rate_is_smoothed_towards_the_overall_rate() -> None:
    cue = Candidate("announce", {})
    rates = CueRates.count([cue] * 6, [True, True, True, False, False, False])
    assert rates.overall == pytest.approx(0.5)
    assert rates.rate("announce") == pytest.approx((3 + 4 * 0.5) / 10)
    assert rates.rate("never seen") == pytest.approx(0.5)


def _fold(n: int) -> Fold:
    # right where the speaker is named; wrong where it is anonymous, with a cue that is wrong as often
    cands = [Candidate("say" if i % 2 else "announce",
                       {**dict.fromkeys(FEATURES, 0.0), "speaker_named": float(i % 2), "anonymous": float(1 - i % 2),
                        "claim_words": float(i % 5)}) for i in range(n)]
    return Fold(cands, [bool(i % 2) for i in range(n)], n // 2 + 2)


def test_a_trained_gate_learns_what_separates_right_from_wrong_and_its_file_reproduces(tmp_path: Path) -> None:
    gate = train_gate({"a": _fold(20), "b": _fold(24), "c": _fold(30)})
    right, wrong = _fold(2).candidates[1], _fold(2).candidates[0]
    assert gate.probability(right) > 0.9 > 0.1 > gate.probability(wrong)
    assert gate.keeps(right) and not gate.keeps(wrong)
    first, second = tmp_path / "a.tsv", tmp_path / "b.tsv"
    write_gate(gate, first, ["a test gate"])
    write_gate(train_gate({"a": _fold(20), "b": _fold(24), "c": _fold(30)}), second, ["a test gate"])
    assert first.read_bytes() == second.read_bytes()  # the same folds give the same file
    again = load_gate(first)
    assert again.threshold == pytest.approx(gate.threshold, abs=1e-6)
    assert again.probability(right) == pytest.approx(gate.probability(right), abs=1e-4)
    assert again.rates.cues == gate.rates.cues == {"say": (37, 37), "announce": (0, 37)}
    with pytest.raises(ValueError, match="two folds"):
        train_gate({"a": _fold(20)})


def test_a_precision_floor_picks_the_lowest_threshold_reaching_it() -> None:
    import numpy as np

    probabilities = np.array([0.95, 0.85, 0.62, 0.55, 0.2])
    right = np.array([True, True, True, False, False])
    assert floor_threshold(probabilities, right, 1.0) == pytest.approx(0.6)
    assert floor_threshold(probabilities, right, 0.7) == pytest.approx(0.25)
    assert floor_threshold(probabilities, np.zeros(5, dtype=bool), 0.9) == pytest.approx(0.9)


@pytest.mark.parametrize(("lines", "message"), [
    ("threshold\t0.5\nbias\t0\noverall\t0.9\nweight\tno_such_feature\t1\t0\t1\n",
     r"gate.tsv:4: cannot read 'weight\\tno_such_feature"),
    ("bias\t0\n", "no overall, threshold line"),
    ("threshold\t0.5\nbias\t0\noverall\t0.9\ncue\tsay\tmany\t3\n", r"gate.tsv:4: cannot read 'cue\\tsay"),
    ("threshold\t0.5\nbias\t0\noverall\t0.9\nweight\tlead\t1\t0\t1\n", "weights for .*'anonymous'.* missing"),
])
def test_a_gate_file_with_a_bad_line_or_missing_weights_is_refused_naming_it(tmp_path: Path, lines: str,
                                                                              message: str) -> None:
    bad = tmp_path / "gate.tsv"
    bad.write_text(lines, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_gate(bad)


def test_a_missing_gate_file_is_a_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_gate(tmp_path / "absent.tsv")


@pytest.mark.parametrize(("value", "shipped"), [(None, False), (" OFF ", False), ("", False), ("on", True)])
def test_the_gate_is_chosen_by_kg_claim_gate(monkeypatch: pytest.MonkeyPatch, value: str | None,
                                             shipped: bool) -> None:
    if value is None:
        monkeypatch.delenv(GATE_ENV, raising=False)
    else:
        monkeypatch.setenv(GATE_ENV, value)
    assert gate_from_env() is (shipped_gate() if shipped else None)


def test_a_bad_kg_claim_gate_is_refused_naming_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(GATE_ENV, "maybe")
    with pytest.raises(ValueError, match="KG_CLAIM_GATE must be 'on' or 'off', got 'maybe'"):
        gate_from_env()


def test_the_shipped_gate_names_its_command_and_trusts_a_named_quote() -> None:
    header = [line for line in GATE_TSV.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    assert any("benchmarks/dev_eval.py --train-gate kg/extract/claim_gate.tsv" in line for line in header)
    gate = shipped_gate()
    assert set(gate.weights) == set(FEATURES) and 0 < gate.threshold < 1
    quote = {**dict.fromkeys(FEATURES, 0.0), "method_quote": 1.0, "direct": 1.0, "speaker_name": 1.0,
             "speaker_named": 1.0, "speaker_mentions": 1.1, "claim_words": 2.5, "confidence": 0.9,
             "claims": 3.0, "speaker_claims": 1.6, "tail_words": 1.0, "position": 0.5}
    assert gate.keeps(Candidate("say", quote))


def test_the_extractor_runs_its_claims_through_the_gate_and_refuses_a_bad_setting(
        extractor: Extractor, monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.extract import Article, Extractor  # noqa: F811 - the class itself, for a fresh one

    text = ('Trade Representative Robert Lighthizer said the talks with Canada were going well. '
            '"We are close to a deal," he said.\n\nHe added that the tariffs on steel would stay.')
    article = Article(id="gate", text=text, published="2018-08-01")
    rules = [(c.start, c.end, c.speaker) for c in extractor.extract(article).claims]
    monkeypatch.setattr(extractor, "_claim_gate", _gate({"speaker_pronoun": -10.0}, bias=2.0))
    gated = [(c.start, c.end, c.speaker) for c in extractor.extract(article).claims]
    assert len(rules) == 3 and gated == rules[:1]  # the two claims through "he" are dropped, nothing else changes
    monkeypatch.setenv(GATE_ENV, "yes")
    with pytest.raises(ValueError, match="KG_CLAIM_GATE"):
        Extractor()


def test_kg_extract_refuses_a_bad_kg_claim_gate_with_a_clear_error_before_loading_spacy(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kg.cli import cli

    article = tmp_path / "a.txt"
    article.write_text("Ross said the deal was close.", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(article)], env={GATE_ENV: "yes"})
    assert result.exit_code == 1
    assert "KG_CLAIM_GATE must be 'on' or 'off', got 'yes'" in result.output and "Traceback" not in result.output
