"""Training the issue gate (kg.extract.issue_gate) on tagged sets, each set a fold.

The base-rate features of a set's candidates are counted on the other sets only, so the model learns what a cue's
rate says about a claim it was not counted on, as on an unseen article. The threshold is chosen on out-of-fold
probabilities (each training set scored by a model fitted on the others) to maximise F-beta, recall counted over
every gold pair of the sets (the pairs the rules never proposed too). numpy only; a fit takes milliseconds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from kg.extract.issue_gate import FEATURES, BaseRates, Candidate, IssueGate

# The L2 penalty on the standardised weights (not on the bias), and the precision-weighted F of the threshold.
L2 = 1.0
BETA = 0.5
THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(1, 19))


@dataclass(frozen=True)
class Fold:
    """One tagged set: its candidates, whether each is a gold tag, and how many gold pairs the set has."""

    candidates: Sequence[Candidate]
    right: Sequence[bool]
    gold_pairs: int


def _matrix(candidates: Sequence[Candidate], rates: BaseRates) -> np.ndarray:
    return np.array([[rates.fill(c)[f] for f in FEATURES] for c in candidates], dtype=float).reshape(-1, len(FEATURES))


def _fit(x: np.ndarray, y: np.ndarray, l2: float = L2) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Logistic regression by Newton's method on standardised columns: (weights, mean, scale, bias)."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    w = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ w, -30, 30)))
        grad = z.T @ (p - y) + penalty * w
        hess = (z * (p * (1 - p))[:, None]).T @ z + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[1:], mean, scale, float(w[0])


def _encoded(folds: Mapping[str, Fold]) -> dict[str, np.ndarray]:
    """Each fold's feature matrix with the base rates counted on the other folds."""
    out = {}
    for name, fold in folds.items():
        others = [f for n, f in folds.items() if n != name]
        rates = BaseRates.count([c for f in others for c in f.candidates], [r for f in others for r in f.right])
        out[name] = _matrix(fold.candidates, rates)
    return out


def _probabilities(w: np.ndarray, mean: np.ndarray, scale: np.ndarray, bias: float, x: np.ndarray) -> np.ndarray:
    probabilities: np.ndarray = 1.0 / (1.0 + np.exp(-np.clip(bias + ((x - mean) / scale) @ w, -30, 30)))
    return probabilities


def choose_threshold(probabilities: np.ndarray, right: np.ndarray, gold_pairs: int, beta: float = BETA) -> float:
    """The threshold of ``THRESHOLDS`` with the highest F-beta over the candidates kept (the lowest on a tie)."""
    best, best_f = THRESHOLDS[0], -1.0
    for t in THRESHOLDS:
        kept = probabilities >= t
        tp, predicted = int((kept & right).sum()), int(kept.sum())
        if not predicted or not gold_pairs:
            continue
        p, r = tp / predicted, tp / gold_pairs
        f = (1 + beta * beta) * p * r / (beta * beta * p + r) if p + r else 0.0
        if f > best_f + 1e-12:
            best, best_f = t, f
    return best


def train_gate(folds: Mapping[str, Fold], beta: float = BETA, l2: float = L2) -> IssueGate:
    """A gate fitted on every fold, its threshold chosen on out-of-fold probabilities. Raises ValueError with fewer
    than two folds (a threshold needs a fold the model was not fitted on)."""
    if len(folds) < 2:
        raise ValueError(f"training the gate needs two folds or more, got {len(folds)}")
    encoded = _encoded(folds)
    right = {n: np.array(f.right, dtype=bool) for n, f in folds.items()}
    held_out, labels = [], []
    for name in folds:
        x = np.vstack([encoded[n] for n in folds if n != name])
        y = np.concatenate([right[n] for n in folds if n != name]).astype(float)
        held_out.append(_probabilities(*_fit(x, y, l2), encoded[name]))
        labels.append(right[name])
    threshold = choose_threshold(np.concatenate(held_out), np.concatenate(labels),
                                 sum(f.gold_pairs for f in folds.values()), beta)
    w, mean, scale, bias = _fit(np.vstack(list(encoded.values())),
                                np.concatenate(list(right.values())).astype(float), l2)
    rates = BaseRates.count([c for f in folds.values() for c in f.candidates],
                            [r for f in folds.values() for r in f.right])
    def named(values: np.ndarray) -> dict[str, float]:
        return dict(zip(FEATURES, map(float, values), strict=True))

    return IssueGate(named(w), named(mean), named(scale), bias, threshold, rates)
