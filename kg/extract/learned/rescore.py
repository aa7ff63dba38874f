"""A span-level second look at the claim tagger's candidates: a logistic regression over what makes a decoded
span a claim (is it a clause, is it bounded where clauses are, does the parse join it to its cue, is the cue a word
of saying, ...), fitted on the candidates the tagger decodes on held-out PolNeAR articles (``fit``), where a
candidate is right when it matches a gold speech content at IoU >= 0.5.

The tagger decides token by token; a run can start or stop mid-phrase ("Clinton for the", "to 10 years") and still
score high. The rescorer's probability replaces the tagger's score in the arbiter. Its weights are a few dozen
numbers in ``rescorer.json`` beside the tagger's weights.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy
from spacy.tokens import Doc, Span, Token

from kg.extract.learned.decode import Candidate
from kg.extract.learned.features import is_saying

RESCORER_FILE = "rescorer.json"
FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})
RELATIVE = frozenset({"WDT", "WP", "WP$"})
OPENERS = frozenset({"that", ":", "“", '"', ",", "‘", "—", "–", "-"})
CLAUSE_DEPS = frozenset({"ccomp", "xcomp", "parataxis", "ROOT", "advcl", "conj"})
SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})

FEATURE_NAMES = (
    "tagger score", "content probability", "cue probability", "log content tokens", "has a verb",
    "has a finite verb", "starts with a relative word", "starts with a preposition", "starts with a conjunction",
    "starts with an infinitive", "ends at a sentence end", "starts at a clause boundary", "inside quotation marks",
    "cue is a word of saying", "parse joins cue and content", "spans sentences", "cue after content",
    "log gap to cue", "has a source", "source is a name", "source is a pronoun", "content root is a clause",
    "content has a subject",
)


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _descends(token: Token, ancestor: Token) -> bool:
    return any(a.i == ancestor.i for a in token.ancestors)


def span_features(doc: Doc, cand: Candidate) -> list[float]:
    """The ``FEATURE_NAMES`` of a candidate decoded from ``doc`` (read through its token ranges)."""
    lo, hi = cand.tokens
    content, cue = doc[lo:hi], doc[cand.cue_tokens[0]:cand.cue_tokens[1]]
    probs = doc._.claim_bio[1]
    source: Span | None = doc[cand.source_tokens[0]:cand.source_tokens[1]] if cand.source_tokens else None
    first, last = content[0], content[-1]
    after = doc[hi] if hi < len(doc) else None
    ends = last.text in ".!?" or after is None or after.is_sent_start or after.is_punct
    before = doc[lo - 1] if lo > 0 else None
    starts = before is None or first.is_sent_start or before.lower_ in OPENERS
    root = content.root
    joined = _descends(root, cue.root) or _descends(cue.root, root) or cue.root.head.i in range(lo, hi)
    quoted = float(before is not None and before.text in "“\"‘") + float(after is not None and after.text in "”\"’")
    gap = max(0, cand.cue_tokens[0] - hi, lo - cand.cue_tokens[1])
    return [
        cand.score, _mean(probs[lo:hi]), _mean(probs[cue.start:cue.end]), math.log1p(hi - lo),
        float(any(t.pos_ in ("VERB", "AUX") for t in content)), float(any(t.tag_ in FINITE for t in content)),
        float(first.tag_ in RELATIVE), float(first.tag_ == "IN" and first.lower_ != "that"),
        float(first.tag_ == "CC"), float(first.tag_ in ("TO", "VB")), float(ends), float(starts), quoted / 2,
        float(any(is_saying(t) for t in cue)), float(joined), float(content[0].sent != content[-1].sent),
        float(cand.cue_tokens[0] >= hi), math.log1p(gap), float(source is not None),
        float(source is not None and any(t.pos_ == "PROPN" for t in source)),
        float(source is not None and any(t.pos_ == "PRON" for t in source)),
        float(root.dep_ in CLAUSE_DEPS), float(any(t.dep_ in SUBJECTS for t in content)),
    ]


@dataclass(frozen=True)
class Rescorer:
    """Standardised features, weights and a bias: ``probability`` is the logistic of their dot product."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float

    def probability(self, features: Sequence[float]) -> float:
        z = self.bias + sum(w * (x - m) / s for w, x, m, s in zip(self.weights, features, self.mean, self.scale,
                                                                    strict=True))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_json(self) -> str:
        return json.dumps({"features": list(FEATURE_NAMES), "mean": self.mean, "scale": self.scale,
                           "weights": self.weights, "bias": self.bias}, indent=1) + "\n"


def load_rescorer(folder: Path) -> Rescorer | None:
    """The rescorer saved beside a tagger's weights, None when there is none; raises ValueError when it was fitted
    on other features."""
    path = folder / RESCORER_FILE
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURE_NAMES:
        raise ValueError(f"{path} was fitted on other features; refit it (scripts/train_claim_tagger.py --rescorer)")
    return Rescorer(tuple(data["mean"]), tuple(data["scale"]), tuple(data["weights"]), float(data["bias"]))


def fit(rows: list[list[float]], right: list[bool], l2: float = 1.0, steps: int = 2000) -> Rescorer:
    """Logistic regression by gradient descent on standardised features, with an L2 penalty ``l2``."""
    x = numpy.asarray(rows, dtype="float64")
    y = numpy.asarray(right, dtype="float64")
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    w = numpy.zeros(z.shape[1])
    b = math.log((y.mean() + 1e-3) / (1 - y.mean() + 1e-3))
    rate = 0.5
    for _ in range(steps):
        p = 1.0 / (1.0 + numpy.exp(-(z @ w + b)))
        w -= rate * (z.T @ (p - y) / len(y) + l2 * w / len(y))
        b -= rate * float((p - y).mean())
    return Rescorer(tuple(mean.tolist()), tuple(scale.tolist()), tuple(w.tolist()), float(b))
