"""A learned precision gate over the claims the arbiters keep (docs/extraction.md, "A precision gate over the
claims (issue 10, by fold)").

Every claim the rule arbiter (and the learned arbiter, when it runs) keeps is a *candidate*; the gate describes it
by what is known at that point (the proposer that made it, its kind, its cue word and that cue's base rate on the
training sets, how its speaker was resolved and how far back the speaker was last named, its length, quote marks
and place in the article, its confidence) and keeps the candidates whose probability of being right, by a logistic
regression, is at least the gate's threshold. The weights, the cue base rates and the threshold are data
(``claim_gate.tsv`` beside this module), written by ``benchmarks/dev_eval.py --train-gate`` from the annotated sets;
the gate only drops claims, never adds or changes one. ``KG_CLAIM_GATE`` (``on`` / ``off``, the default) applies it.
"""

from __future__ import annotations

import math
import os
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kg.extract.document import Document, Sentence
from kg.extract.frames import Frame
from kg.extract.gate_file import GateFile, Logistic, read_gate_file, write_gate_file
from kg.extract.lemmas import lemma
from kg.extract.model import Claim

GATE_TSV = Path(__file__).with_name("claim_gate.tsv")
GATE_ENV = "KG_CLAIM_GATE"
# Pseudo-counts drawing a cue's base rate towards the overall rate where the cue was seen rarely.
SMOOTHING = 4.0
# The proposers with a feature of their own; any other method counts as "method_other".
METHODS = ("quote", "verbless-attribution", "quote-continued", "conjunct-before-quote", "embedded-post",
           "reporting-verb", "participial", "noun-of-saying", "according-to", "inverted-cue", "claim_tagger")
HOWS = ("name", "pronoun", "description", "unresolved")
GAP_CAP = 10  # sentences: a speaker last named further back (or never) counts as this far
_QUOTE_MARKS = frozenset("\"“”‘’«»")
_DATELINE = re.compile(r"^[A-Z][A-Z .'’-]{2,}(?:,|\s+[-—–(])")

FEATURES = (
    *(f"method_{m}" for m in METHODS), "method_other", "direct", "indirect", "mixed", "cue_rate", "cue_after",
    *(f"speaker_{h}" for h in HOWS), "speaker_other", "anonymous", "speaker_country", "speaker_organization",
    "speaker_named", "speaker_mentions", "speaker_gap", "speaker_claims", "speaker_words", "claim_words",
    "short_claim", "quote_marks", "tail_words", "lead", "dateline", "last_paragraph", "position", "claims",
    "confidence",
)


@dataclass(frozen=True)
class Candidate:
    """One kept claim with its features (``FEATURES`` but ``cue_rate``, by name) and its cue key (the cue's lemma,
    or the method where the claim has no cue word)."""

    cue: str
    features: dict[str, float]


@dataclass(frozen=True)
class CueRates:
    """How often each cue's claims were right on the training sets, smoothed towards ``overall``."""

    overall: float
    cues: dict[str, tuple[int, int]] = field(default_factory=dict)  # cue key -> (right, kept)

    def rate(self, cue: str) -> float:
        right, kept = self.cues.get(cue, (0, 0))
        return (right + SMOOTHING * self.overall) / (kept + SMOOTHING)

    @staticmethod
    def count(candidates: Iterable[Candidate], right: Iterable[bool]) -> CueRates:
        """The rates of ``candidates`` (``right``: whether each matched a gold claim with its speaker)."""
        kept: Counter[str] = Counter()
        correct: Counter[str] = Counter()
        for c, ok in zip(candidates, right, strict=True):
            kept[c.cue] += 1
            correct[c.cue] += ok
        total = sum(kept.values())
        overall = sum(correct.values()) / total if total else 0.5
        return CueRates(overall, {k: (correct[k], n) for k, n in kept.items()})


@dataclass(frozen=True)
class ClaimGate(Logistic):
    """The logistic model (kg.extract.gate_file.Logistic) and the cue rates its ``cue_rate`` feature reads."""

    rates: CueRates

    def values(self, candidate: Candidate) -> dict[str, float]:
        """The candidate's features with its cue's rate filled in."""
        return {**candidate.features, "cue_rate": self.rates.rate(candidate.cue)}

    def row(self, candidate: Candidate) -> list[float]:
        """The candidate's values in ``FEATURES`` order."""
        values = self.values(candidate)
        return [values[f] for f in FEATURES]

    def probability(self, candidate: Candidate) -> float:
        """The model's probability that ``candidate`` is a claim of the right speaker."""
        return self.probability_of(self.values(candidate))

    def keeps(self, candidate: Candidate) -> bool:
        return self.probability(candidate) >= self.threshold


Found = list[tuple[Claim, Frame | None]]


def candidates(doc: Document, found: Found) -> list[Candidate]:
    """The claims ``found`` (the arbiters' output, in text order) as candidates, one per claim, in their order."""
    kept = [s for s in doc.sentences if not s.heading]
    first = min((s.paragraph for s in kept), default=0)
    last = max((s.paragraph for s in kept), default=0)
    said = Counter(c.speaker for c, _ in found if c.speaker)
    named: dict[str, list[int]] = {}  # speaker key -> the sentences naming it, in order
    for m in doc.mentions:
        if m.key in said:
            named.setdefault(m.key, []).append(m.sentence)
    out = []
    for claim, frame in found:
        sentence = doc.sentence_at(claim.start)
        how = frame.speaker.how if frame is not None and frame.speaker is not None \
            and frame.speaker.key == claim.speaker else "other"
        mentions = named.get(claim.speaker, []) if claim.speaker else []
        words = len(claim.text.split())
        features = {
            **{f"method_{m}": float(claim.method == m) for m in METHODS},
            "method_other": float(claim.method not in METHODS),
            **{k: float(claim.kind == k) for k in ("direct", "indirect", "mixed")},
            "cue_after": float(frame is not None and frame.at >= claim.end),
            **{f"speaker_{h}": float(how == h) for h in HOWS},
            "speaker_other": float(how not in HOWS),
            "anonymous": float(claim.speaker is None),
            "speaker_country": float((claim.speaker or "").startswith("country/")),
            "speaker_organization": float((claim.speaker or "").startswith("org/")),
            "speaker_named": float(bool(mentions)),
            "speaker_mentions": math.log1p(len(mentions)),
            "speaker_gap": float(_gap(sentence, mentions, frame)),
            "speaker_claims": math.log1p(said[claim.speaker]) if claim.speaker else 0.0,
            "speaker_words": math.log1p(len(claim.speaker_text.split())),
            "claim_words": math.log1p(words),
            "short_claim": float(words < 6),
            "quote_marks": float(claim.kind != "direct" and any(ch in _QUOTE_MARKS for ch in claim.text)),
            "tail_words": math.log1p(len(doc.text[claim.end:sentence.end].split())) if sentence else 0.0,
            "lead": float(sentence is not None and sentence.paragraph == first),
            "dateline": float(sentence is not None and bool(_DATELINE.match(doc.text[sentence.start:sentence.end]))),
            "last_paragraph": float(sentence is not None and sentence.paragraph == last and last > first),
            "position": (sentence.paragraph - first) / (last - first) if sentence and last > first else 0.0,
            "claims": math.log1p(len(found)),
            "confidence": claim.confidence,
        }
        out.append(Candidate(_cue(claim, frame), features))
    return out


def _cue(claim: Claim, frame: Frame | None) -> str:
    """The cue key of a claim: its frame's verb lemma, else the last word of its cue, else its method."""
    if frame is not None:
        return lemma(frame.verb).lower()
    words = claim.cue.lower().split()
    return words[-1] if words else f"<{claim.method or 'none'}>"


def _gap(sentence: Sentence | None, named: Sequence[int], frame: Frame | None) -> int:
    """Sentences between the attribution and the last of the sentences ``named`` (those naming the speaker, in
    order) at or before it; ``GAP_CAP`` when there is none."""
    here = frame.sentence if frame is not None else sentence
    if here is None:
        return GAP_CAP
    i = bisect_right(named, here.index)
    return min(GAP_CAP, here.index - named[i - 1]) if i else GAP_CAP


# The recorder the fold harness (benchmarks/dev_eval.py --folds) reads: each article's candidates, in claim order.
_RECORDED: list[list[Candidate]] | None = None


@contextmanager
def recording() -> Iterator[list[list[Candidate]]]:
    """Within the block, every article extracted appends its candidates (one list per article) to the list
    yielded."""
    global _RECORDED
    previous, _RECORDED = _RECORDED, []
    try:
        yield _RECORDED
    finally:
        _RECORDED = previous


def gate_claims(doc: Document, found: Found, gate: ClaimGate | None) -> Found:
    """``found`` without the claims ``gate`` drops; unchanged when ``gate`` is None (``KG_CLAIM_GATE`` off).
    Records the candidates inside :func:`recording`."""
    if gate is None and _RECORDED is None:
        return found
    described = candidates(doc, found)
    if _RECORDED is not None:
        _RECORDED.append(described)
    if gate is None:
        return found
    return [f for f, c in zip(found, described, strict=True) if gate.keeps(c)]


def write_gate(gate: ClaimGate, path: Path, header: Iterable[str] = ()) -> None:
    """Write ``gate`` as the tab-separated file ``load_gate`` reads (kg.extract.gate_file; comment lines first)."""
    write_gate_file(GateFile(gate.threshold, gate.bias, gate.rates.overall, gate.weights, gate.mean, gate.scale,
                             {"cue": gate.rates.cues}), path, header)


def load_gate(path: Path = GATE_TSV) -> ClaimGate:
    """Read a gate written by ``write_gate``. Raises FileNotFoundError when ``path`` is missing and ValueError
    naming the file (and line) on a line it cannot read, a feature it does not know or a missing line or weight."""
    read = read_gate_file(path, FEATURES, ("cue",))
    if set(read.weights) != set(FEATURES):
        raise ValueError(f"{path}: weights for {sorted(set(FEATURES) - set(read.weights))} missing")
    return ClaimGate(read.weights, read.mean, read.scale, read.bias, read.threshold,
                     CueRates(read.overall, read.tables["cue"]))


@lru_cache(maxsize=1)
def shipped_gate() -> ClaimGate:
    """The gate shipped with the package (``claim_gate.tsv``)."""
    return load_gate()


def gate_from_env() -> ClaimGate | None:
    """The shipped gate where ``KG_CLAIM_GATE`` is "on", None where it is "off" or unset. Raises ValueError naming
    the setting on any other value."""
    value = os.environ.get(GATE_ENV, "off").strip().lower() or "off"
    if value not in ("on", "off"):
        raise ValueError(f"{GATE_ENV} must be 'on' or 'off', got {value!r}")
    return shipped_gate() if value == "on" else None
