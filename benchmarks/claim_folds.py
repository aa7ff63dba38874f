"""The fold harness of the claim gate, run by ``benchmarks/dev_eval.py --folds`` and ``--train-gate``.

Every annotated claim set (eval/dev, dev2 .. dev12, eval/holdout) is a fold. Each set is extracted once and what
the gate reads is cached under ``~/.cache/claimgraph/claim-gate/``: per article the predicted claims JSON and each
claim's gate candidate (kg.extract.claim_gate). The cache is keyed by the digest of kg/extract/ (the gate's weights,
claim_gate.tsv, left out, so retraining keeps it) and of the set's files, so a change of rules or of the gate's
features refreshes it. Leaving one set out, the gate is trained on the others and scores it; attribution is scored as
dev_eval scores it (kg.evaluate, score.py's matching at IoU 0.5, ties to the right speaker).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from kg.evaluate import gold_speakers, match_claims, same_speaker, score
from kg.extract.claim_gate import Candidate, ClaimGate
from kg.extract.claim_gate_fit import Fold, train_gate

ROOT = Path(__file__).resolve().parents[1]
SETS = ("dev", *(f"dev{i}" for i in range(2, 13)), "holdout")
CACHE = Path.home() / ".cache" / "claimgraph" / "claim-gate"
FIXED = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
GRID = tuple(round(0.05 * i, 2) for i in range(20))  # thresholds searched for a set's precision target
TARGET = 0.90


@dataclass
class ScoredSet:
    """One set: gold and predicted claims records by article id, and the candidates of the predicted claims."""

    gold: dict[str, Any]
    predicted: dict[str, Any]
    candidates: dict[str, list[Candidate]]

    def fold(self, iou: float) -> Fold:
        cands, right = [], []
        for aid in sorted(self.gold):
            cands += self.candidates[aid]
            right += matched(self.gold[aid], self.predicted[aid], iou)
        return Fold(cands, right, sum(len(g["claims"]) for g in self.gold.values()))

    def kept(self, keep: Callable[[str, int], bool]) -> dict[str, Any]:
        """The predictions with only the claims ``keep(article id, claim index)`` holds for."""
        return {aid: {**rec, "claims": [c for i, c in enumerate(rec["claims"]) if keep(aid, i)]}
                for aid, rec in self.predicted.items()}


def matched(gold: dict[str, Any], predicted: dict[str, Any], iou: float) -> list[bool]:
    """Per predicted claim: whether it is an attribution true positive (kg.evaluate's matching)."""
    g, p = gold["claims"], predicted["claims"]
    speakers = gold_speakers(gold)
    pairs = match_claims(g, p, iou, prefer=lambda gi, pi: same_speaker(p[pi], g[gi], speakers))
    right = {pi for gi, pi in pairs if same_speaker(p[pi], g[gi], speakers)}
    return [i in right for i in range(len(p))]


def _digest(set_dir: Path) -> str:
    digest = hashlib.sha1()
    files = sorted(p for p in (ROOT / "kg" / "extract").rglob("*") if p.is_file()
                   and p.name != "claim_gate.tsv" and "__pycache__" not in p.parts)
    files += sorted(p for p in set_dir.iterdir() if p.is_file())
    for f in files:
        digest.update(str(f.relative_to(ROOT)).encode())
        digest.update(f.read_bytes())
    return digest.hexdigest()[:16]


def extract_set(set_dir: Path, gold: dict[str, Any], records: dict[str, dict[str, Any]], cache: Path | None,
                refresh: bool = False) -> ScoredSet:
    """The set's predictions and candidates, from the cache when it fits, else by running the extractor (with the
    gate off) and writing the cache."""
    path = cache / f"{set_dir.name}-{_digest(set_dir)}.json" if cache else None
    if path and path.exists() and not refresh:
        data = json.loads(path.read_text(encoding="utf-8"))
    else:
        from kg.extract import Article, Extractor
        from kg.extract.claim_gate import recording

        extractor = Extractor()
        data = {}
        for aid in sorted(gold):
            r = records[aid]
            with recording() as seen:
                extraction = extractor.extract(Article(id=aid, text=r["text"], title=r.get("title"),
                                                       publisher=r.get("publisher"), published=r.get("published")))
            data[aid] = {"pred": extraction.to_json(),
                         "candidates": [{"cue": c.cue, "features": c.features} for c in seen[0]]}
        if path:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(data), encoding="utf-8")
    return ScoredSet(gold, {aid: v["pred"] for aid, v in data.items()},
                     {aid: [Candidate(c["cue"], c["features"]) for c in v["candidates"]] for aid, v in data.items()})


def _figures(result: dict[str, Any]) -> str:
    a = result["attribution"]
    return f"{result['pred']:4d} {result['attr_tp']:4d} {a['precision']:6.3f} {a['recall']:6.3f} {a['f1']:6.3f}"


def _gated(s: ScoredSet, probabilities: np.ndarray, threshold: float) -> dict[str, Any]:
    """Predictions of ``s`` keeping the claims at or above ``threshold`` (``probabilities`` in fold order)."""
    index, at = {}, 0
    for aid in sorted(s.gold):
        for i in range(len(s.candidates[aid])):
            index[(aid, i)] = probabilities[at]
            at += 1
    return s.kept(lambda aid, i: bool(index[(aid, i)] >= threshold))


def _at_target(s: ScoredSet, probabilities: np.ndarray, iou: float) -> str:
    """The lowest threshold of ``GRID`` at which the held-out gate brings the set to ``TARGET`` precision, and the
    recall there ("never" when none does)."""
    for t in GRID:
        a = score(s.gold, _gated(s, probabilities, t), iou)["attribution"]
        if a["precision"] >= TARGET:
            return f"{t:.2f}: {a['recall']:.3f}"
    return "never"


def run_folds(sets: dict[str, ScoredSet], iou: float, beta: float, floor: float | None) -> None:
    """Per held-out set and pooled: attribution of the rules alone and with the gate trained on the other sets;
    then pooled figures of the same held-out models at fixed thresholds."""
    folds = {n: s.fold(iou) for n, s in sets.items()}
    print(f"{'held-out set':14s} {'rules: pred  tp      P      R     F1':>38s}   "
          f"{'gate (threshold): pred  tp      P      R     F1':>48s}   P >= {TARGET:.2f} at: R")
    rules_all: dict[str, Any] = {}
    gold_all: dict[str, Any] = {}
    gated_all: dict[str, Any] = {}
    fixed_all: dict[float, dict[str, Any]] = {t: {} for t in FIXED}
    for name, s in sets.items():
        training = {n: f for n, f in folds.items() if n != name}
        gate = train_gate(training, beta, floor)
        probabilities = np.array([gate.probability(c) for aid in sorted(s.gold) for c in s.candidates[aid]])
        gated = _gated(s, probabilities, gate.threshold)
        print(f"{name:14s} {_figures(score(s.gold, s.predicted, iou)):>38s}   ({gate.threshold:.2f}) "
              f"{_figures(score(s.gold, gated, iou)):>39s}   {_at_target(s, probabilities, iou)}")
        prefix = {f"{name}/{aid}": v for aid, v in s.gold.items()}
        gold_all |= prefix
        rules_all |= {f"{name}/{aid}": v for aid, v in s.predicted.items()}
        gated_all |= {f"{name}/{aid}": v for aid, v in gated.items()}
        for t in FIXED:
            fixed_all[t] |= {f"{name}/{aid}": v for aid, v in _gated(s, probabilities, t).items()}
    print(f"{'pooled':14s} {_figures(score(gold_all, rules_all, iou)):>38s}   {'':6s} "
          f"{_figures(score(gold_all, gated_all, iou)):>39s}")
    print("\npooled, each set scored by the gate trained on the others, at fixed thresholds:")
    print(f"{'threshold':>9s} pred   tp      P      R     F1")
    for t in FIXED:
        print(f"{t:9.2f} {_figures(score(gold_all, fixed_all[t], iou))}")


def write_trained(sets: dict[str, ScoredSet], path: Path, iou: float, beta: float, floor: float | None,
                  command: str, commit: str) -> ClaimGate:
    """Train the gate on every set and write it to ``path``."""
    from kg.extract.claim_gate import write_gate

    folds = {n: s.fold(iou) for n, s in sets.items()}
    gate = train_gate(folds, beta, floor)
    header = [
        "The claim gate (kg/extract/claim_gate.py): written by",
        command,
        "from " + ", ".join(f"eval/{n} ({len(f.candidates)} claims)" for n, f in folds.items()) + f", at {commit}.",
        "Lines: threshold, bias, overall cue base rate; weight <feature> <weight> <mean> <scale>;",
        "cue <lemma> <right> <kept> (the cue base rates on the sets).",
    ]
    write_gate(gate, path, header)
    return gate
