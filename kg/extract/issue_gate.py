"""A learned gate over the issue rules' proposals (docs/extraction.md, "Tenth session: issue tags by fold").

Every issue the rules of ``kg.extract.issues`` give a claim is a *candidate*; the gate describes each by what
made the rules propose it (which kind of cue, where it was read, how exactly it matched, the cue's and the issue's
own base rates on the tagged sets, what else the claim was given, whether the claim reads as trade) and keeps the
candidates whose probability of being right, by a logistic regression, is at least the gate's threshold. The
weights, the base rates and the threshold are data (``issue_gate.tsv`` beside this module), written by
``benchmarks/issue_tags.py --train-gate`` from the eight tagged sets; the gate only removes tags, never adds one.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kg.extract.gate_file import GateFile, Logistic, read_gate_file, write_gate_file
from kg.extract.issues import (
    CONTEXT,
    GENERIC,
    NON_TRADE,
    PARTY,
    STRONG,
    TRADE,
    ArticleIssues,
    Evidence,
    Hit,
    Taxonomy,
    _refers_back,
    _writers_words_out,
    tokenize,
)

GATE_TSV = Path(__file__).with_name("issue_gate.tsv")
# KG_ISSUE_GATE: "on" applies the shipped gate to every claim the extractor tags, "off" (the default) does not.
GATE_ENV = "KG_ISSUE_GATE"
NO_CUE = "<no cue>"  # the key of a candidate no cue of its own gave (the article's agreement, subject or topic)
# Pseudo-counts by which a cue's or an issue's base rate is drawn towards the overall rate where it was seen rarely.
SMOOTHING = 4.0

FEATURES = (
    "strong_in_claim", "context_in_claim", "strong_in_clause", "context_in_clause", "no_cue", "phrase", "inflected",
    "cue_count", "cue_rate", "issue_rate", "article_agreement", "article_subject", "article_topic", "named_agreement",
    "generic", "party_in_claim", "sibling", "other_tags", "trade_cue", "non_trade_cue", "trade_article", "direct",
    "indirect", "mixed", "refers_back", "subject_outside", "claim_words",
)


@dataclass(frozen=True)
class Candidate:
    """One issue the rules propose for one claim, with its features (``FEATURES``, by name) and its cue key (the
    words of the most specific cue of the issue that fired, or ``NO_CUE``)."""

    issue: str
    cue: str
    features: dict[str, float]


@dataclass(frozen=True)
class IssueGate(Logistic):
    """The logistic model (kg.extract.gate_file.Logistic) and the base rates its ``cue_rate`` and ``issue_rate``
    features read."""

    rates: BaseRates

    def probability(self, candidate: Candidate) -> float:
        """The model's probability that ``candidate`` is right."""
        return self.probability_of(self.rates.fill(candidate))

    def keep(self, candidates: Sequence[Candidate]) -> list[str]:
        """The issues of the candidates at or above the threshold, in their order."""
        return [c.issue for c in candidates if self.probability(c) >= self.threshold]


@dataclass(frozen=True)
class BaseRates:
    """How often a cue's and an issue's candidates were right on the training sets, smoothed towards ``overall``."""

    overall: float
    cues: dict[str, tuple[int, int]] = field(default_factory=dict)  # cue key -> (right, proposed)
    issues: dict[str, tuple[int, int]] = field(default_factory=dict)

    def rate(self, table: dict[str, tuple[int, int]], key: str) -> float:
        right, proposed = table.get(key, (0, 0))
        return (right + SMOOTHING * self.overall) / (proposed + SMOOTHING)

    def fill(self, candidate: Candidate) -> dict[str, float]:
        """The candidate's features with its cue's and its issue's base rates."""
        return {**candidate.features, "cue_rate": self.rate(self.cues, candidate.cue),
                "issue_rate": self.rate(self.issues, candidate.issue)}

    @staticmethod
    def count(candidates: Iterable[Candidate], right: Iterable[bool]) -> BaseRates:
        """The base rates of ``candidates`` (``right``: whether each is a gold tag)."""
        cues: dict[str, list[int]] = {}
        issues: dict[str, list[int]] = {}
        total = [0, 0]
        for c, ok in zip(candidates, right, strict=True):
            for table, key in ((cues, c.cue), (issues, c.issue)):
                cell = table.setdefault(key, [0, 0])
                cell[0] += ok
                cell[1] += 1
            total[0] += ok
            total[1] += 1
        overall = total[0] / total[1] if total[1] else 0.5
        return BaseRates(overall, {k: (v[0], v[1]) for k, v in cues.items()},
                         {k: (v[0], v[1]) for k, v in issues.items()})


def candidates(taxonomy: Taxonomy, evidence: Evidence, article: ArticleIssues | None,
               proposed: Sequence[str]) -> list[Candidate]:
    """The ``proposed`` issues of a claim (what the rules gave its ``evidence``) as candidates with features."""
    article = article or ArticleIssues(trade=False, agreement=None)
    text = _writers_words_out(evidence.text) if evidence.kind == "indirect" else evidence.text
    tokens = tokenize(text)
    in_claim = taxonomy.hits(text)
    refers = _refers_back(taxonomy, evidence.text)
    read_clause = bool(evidence.context) and (evidence.kind == "mixed" or evidence.subject_outside or refers)
    in_clause = taxonomy.hits(evidence.context) if read_clause else []
    every = [*in_claim, *in_clause]
    out = []
    for issue in proposed:
        own = [h for h in in_claim if h.cue.slug == issue and h.cue.kind in (STRONG, CONTEXT)]
        clause = [h for h in in_clause if h.cue.slug == issue and h.cue.kind in (STRONG, CONTEXT)]
        # the most specific cue: a strong one, the longest, then by its words (hits come in no fixed order)
        best = min(own or clause, key=lambda h: (h.cue.kind != STRONG, -len(h.cue.words), h.cue.words), default=None)
        parents = taxonomy.parents.get(issue, frozenset())
        features = {
            "strong_in_claim": float(any(h.cue.kind == STRONG for h in own)),
            "context_in_claim": float(any(h.cue.kind == CONTEXT for h in own)),
            "strong_in_clause": float(not own and any(h.cue.kind == STRONG for h in clause)),
            "context_in_clause": float(not own and any(h.cue.kind == CONTEXT for h in clause)),
            "no_cue": float(best is None),
            "phrase": float(best is not None and len(best.cue.words) > 1),
            "inflected": float(best is not None and best in own and _inflected(best, tokens)),
            "cue_count": math.log1p(len(own) + len(clause)),
            "article_agreement": float(issue == article.agreement),
            "article_subject": float(issue in article.subject),
            "article_topic": float(issue in article.topics),
            "named_agreement": float(issue in taxonomy.named),
            "generic": float(issue in GENERIC),
            "party_in_claim": float(any(h.cue.kind == PARTY and h.cue.slug == issue for h in in_claim)),
            "sibling": float(any(o != issue and parents & taxonomy.parents.get(o, frozenset()) for o in proposed)),
            "other_tags": float(len(proposed) - 1),
            "trade_cue": float(any(h.cue.kind == TRADE for h in every)),
            "non_trade_cue": float(any(h.cue.kind == NON_TRADE for h in every)),
            "trade_article": float(article.trade),
            "direct": float(evidence.kind == "direct"),
            "indirect": float(evidence.kind == "indirect"),
            "mixed": float(evidence.kind == "mixed"),
            "refers_back": float(refers),
            "subject_outside": float(evidence.subject_outside),
            "claim_words": math.log1p(len(tokens)),
        }
        key = " ".join(best.cue.words) + ("" if best.cue.kind == STRONG else " (context)") if best else NO_CUE
        out.append(Candidate(issue, f"{issue}: {key}", features))
    return out


def _inflected(hit: Hit, tokens: list[tuple[str, str, str]]) -> bool:
    """Whether the cue matched another form than its own words (a plural, another inflection)."""
    return any(tokens[hit.start + k][1] != w for k, w in enumerate(hit.cue.words) if hit.start + k < len(tokens))


def write_gate(gate: IssueGate, path: Path, header: Iterable[str] = ()) -> None:
    """Write ``gate`` as the tab-separated file ``load_gate`` reads (kg.extract.gate_file; comment lines first)."""
    write_gate_file(GateFile(gate.threshold, gate.bias, gate.rates.overall, gate.weights, gate.mean, gate.scale,
                             {"cue": gate.rates.cues, "issue": gate.rates.issues}), path, header)


def load_gate(path: Path = GATE_TSV) -> IssueGate:
    """Read a gate written by ``write_gate``. Raises FileNotFoundError when ``path`` is missing and ValueError
    on a line it cannot read or a feature it does not know."""
    read = read_gate_file(path, FEATURES, ("cue", "issue"))
    return IssueGate(read.weights, read.mean, read.scale, read.bias, read.threshold,
                     BaseRates(read.overall, read.tables["cue"], read.tables["issue"]))


@lru_cache(maxsize=1)
def shipped_gate() -> IssueGate:
    """The gate shipped with the package (``issue_gate.tsv``)."""
    return load_gate()


def gate_from_env() -> IssueGate | None:
    """The shipped gate where ``KG_ISSUE_GATE`` is "on", None where it is "off" or unset. Raises ValueError on any
    other value."""
    value = os.environ.get(GATE_ENV, "off").strip().lower()
    if value not in ("on", "off"):
        raise ValueError(f"{GATE_ENV} must be 'on' or 'off', got {value!r}")
    return shipped_gate() if value == "on" else None
