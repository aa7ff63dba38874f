"""Training the claim gate (kg.extract.claim_gate) on annotated sets, each set a fold.

The same method as the issue gate's (kg.extract.issue_gate_fit, whose logistic fit and threshold choice this reuses):
a set's cue base rates are counted on the other sets only, the threshold is chosen on out-of-fold probabilities of
the training sets (each scored by a model fitted on the others) to maximise F-beta or, with a precision floor, the
recall at that precision, recall counted over every gold claim of the sets (those the rules never found too).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from kg.extract.claim_gate import FEATURES, Candidate, ClaimGate, CueRates
from kg.extract.issue_gate_fit import L2, THRESHOLDS, _fit, _probabilities, choose_threshold

BETA = 0.5


@dataclass(frozen=True)
class Fold:
    """One annotated set: its kept claims as candidates, whether each matched a gold claim with its speaker, and
    how many gold claims the set has."""

    candidates: Sequence[Candidate]
    right: Sequence[bool]
    gold: int


def _matrix(candidates: Sequence[Candidate], rates: CueRates) -> np.ndarray:
    gate = ClaimGate({}, {}, {}, 0.0, 0.0, rates)
    return np.array([gate.row(c) for c in candidates], dtype=float).reshape(-1, len(FEATURES))


def _rates(folds: Sequence[Fold]) -> CueRates:
    return CueRates.count([c for f in folds for c in f.candidates], [r for f in folds for r in f.right])


def _encoded(folds: Mapping[str, Fold]) -> dict[str, np.ndarray]:
    """Each fold's feature matrix with the cue rates counted on the other folds."""
    return {name: _matrix(fold.candidates, _rates([f for n, f in folds.items() if n != name]))
            for name, fold in folds.items()}


def floor_threshold(probabilities: np.ndarray, right: np.ndarray, floor: float) -> float:
    """The lowest threshold of ``THRESHOLDS`` whose kept candidates reach precision ``floor`` (the highest when
    none does)."""
    for t in THRESHOLDS:
        kept = probabilities >= t
        if kept.sum() and (kept & right).sum() / kept.sum() >= floor:
            return t
    return THRESHOLDS[-1]


def held_out_probabilities(folds: Mapping[str, Fold], l2: float = L2) -> dict[str, np.ndarray]:
    """Each fold's candidates scored by a model fitted on the other folds."""
    encoded = _encoded(folds)
    right = {n: np.array(f.right, dtype=float) for n, f in folds.items()}
    out = {}
    for name in folds:
        x = np.vstack([encoded[n] for n in folds if n != name])
        y = np.concatenate([right[n] for n in folds if n != name])
        out[name] = _probabilities(*_fit(x, y, l2), encoded[name])
    return out


def train_gate(folds: Mapping[str, Fold], beta: float = BETA, floor: float | None = None,
               l2: float = L2) -> ClaimGate:
    """A gate fitted on every fold, its threshold chosen on out-of-fold probabilities (F-beta, or the lowest
    reaching precision ``floor``). Raises ValueError with fewer than two folds."""
    if len(folds) < 2:
        raise ValueError(f"training the claim gate needs two folds or more, got {len(folds)}")
    held = held_out_probabilities(folds, l2)
    probabilities = np.concatenate([held[n] for n in folds])
    right = np.concatenate([np.array(f.right, dtype=bool) for f in folds.values()])
    if floor is not None:
        threshold = floor_threshold(probabilities, right, floor)
    else:
        threshold = choose_threshold(probabilities, right, sum(f.gold for f in folds.values()), beta)
    encoded = _encoded(folds)
    w, mean, scale, bias = _fit(np.vstack([encoded[n] for n in folds]),
                                np.concatenate([np.array(f.right, dtype=float) for f in folds.values()]), l2)

    def named(values: np.ndarray) -> dict[str, float]:
        return dict(zip(FEATURES, map(float, values), strict=True))

    return ClaimGate(named(w), named(mean), named(scale), bias, threshold, _rates(list(folds.values())))
