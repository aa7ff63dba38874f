"""Scoring a Wikidata candidate against what the store says about a person or an organisation.

Pure functions over plain records, so the rules can be read and tested without an endpoint.

| evidence | points |
| --- | --- |
| the English label equals our label | 0.50 |
| an English label or alias equals our label or a multi-word alias of ours | 0.40 |
| only a one-word alias matches (a surname) | 0.25 |
| a country of citizenship (P27; P17 for organisations) is the country we know | +0.30 |
| a position held (P39) resembles a post we know (word overlap, Dice ≥ 0.5) | up to +0.20 |
| an organisation with no country, like its item (an international body) | +0.15 |
| it is the only candidate of the right type that was not rejected | +0.10 |

Rejected outright (score 0): an item of the wrong type (not a human for a person, none of ``ORGANIZATION_CLASSES``
for an organisation), and an item whose countries are all different from the ones we know (a namesake abroad).
A link is made when the best score reaches the threshold (``DEFAULT_THRESHOLD``) and beats the runner-up by
``MARGIN``; everything else stays a candidate for review.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

DEFAULT_THRESHOLD = 0.75
MARGIN = 0.1
HUMAN = "Q5"
ORGANIZATION_CLASSES: dict[str, str] = {
    "Q43229": "organization", "Q4830453": "business", "Q783794": "company", "Q891723": "public company",
    "Q6881511": "enterprise", "Q327333": "government agency", "Q2659904": "government organization",
    "Q192350": "ministry", "Q484652": "international organization", "Q245065": "intergovernmental organization",
    "Q163740": "nonprofit organization", "Q48204": "voluntary association", "Q15911314": "association",
    "Q7210356": "political organization", "Q7278": "political party", "Q66344": "central bank",
    "Q11032": "newspaper", "Q192283": "news agency", "Q1331793": "media company", "Q178790": "trade union",
    "Q1335818": "supranational union", "Q35798": "executive branch", "Q11204": "legislature",
    "Q31855": "research institute", "Q41298": "magazine", "Q1616075": "television station",
}
"""Wikidata classes an organisation's item may be an instance of (``wdt:P31``): a fixed list, no subclass paths."""

_STOP = {"of", "the", "for", "and", "de", "la", "del", "to", "in", "on", "at"}


@dataclass(frozen=True)
class Subject:
    """A person or organisation of the store that has no Wikidata link yet."""

    iri: str
    kind: str  # "person" or "organization"
    label: str
    aliases: tuple[str, ...] = ()
    countries: dict[str, str] = field(default_factory=dict)  # Wikidata QID -> our label of the country
    posts: tuple[str, ...] = ()  # labels of the posts held


@dataclass
class Candidate:
    """A Wikidata item found under one of the subject's names."""

    qid: str
    matched: dict[str, str] = field(default_factory=dict)  # name -> "label" or "alias"
    label: str | None = None
    description: str | None = None
    types: dict[str, str] = field(default_factory=dict)  # P31 QID -> label
    countries: dict[str, str] = field(default_factory=dict)  # P27 (people) or P17 (organisations)
    positions: dict[str, str] = field(default_factory=dict)  # P39 QID -> label


@dataclass(frozen=True)
class Verdict:
    """The score of one candidate for one subject, with the reasons, in words."""

    subject: Subject
    candidate: Candidate
    score: float
    method: str
    rejected: bool = False


def normalise(text: str) -> str:
    """Case-, accent- and space-insensitive form of a name.

    >>> normalise("  Jesús  SEADE ")
    'jesus seade'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(ascii_text.casefold().split())


_ABBREVIATIONS = {r"\bu\.?s\.?a?\b": "united states", r"\bu\.?k\.?\b": "united kingdom",
                  r"\be\.?u\.?\b": "european union"}


def _words(text: str) -> set[str]:
    text = normalise(text)
    for abbreviation, expansion in _ABBREVIATIONS.items():
        text = re.sub(abbreviation, expansion, text)
    return {w for w in re.findall(r"[a-z0-9]+", text) if w not in _STOP}


def similarity(a: str, b: str) -> float:
    """Dice coefficient of the content words of two titles.

    >>> similarity("United States Trade Representative", "Trade Representative of the United States")
    1.0
    >>> similarity("U.S. Trade Representative", "United States Trade Representative")
    1.0
    >>> similarity("deputy chief negotiator", "association football player")
    0.0
    """
    wa, wb = _words(a), _words(b)
    return 2 * len(wa & wb) / (len(wa) + len(wb)) if wa and wb else 0.0


def _name_points(subject: Subject, candidate: Candidate) -> tuple[float, str]:
    ours = normalise(subject.label)
    best, why = 0.0, ""
    for name, via in candidate.matched.items():
        n = normalise(name)
        if n == ours and via == "label":
            points, text = 0.5, f"English label {name!r} equals ours"
        elif n == ours or len(n.split()) >= 2:
            points, text = 0.4, f"English {via} {name!r} matches our {'label' if n == ours else 'alias'}"
        else:
            points, text = 0.25, f"only the one-word {via} {name!r} matches"
        if points > best:
            best, why = points, text
    return best, why


def _type_problem(subject: Subject, candidate: Candidate) -> str | None:
    types = ", ".join(f"{label or q} ({q})" for q, label in sorted(candidate.types.items())) or "nothing"
    if subject.kind == "person" and HUMAN not in candidate.types:
        return f"not a human: instance of {types}"
    if subject.kind == "organization" and not set(candidate.types) & set(ORGANIZATION_CLASSES):
        return f"not an organisation: instance of {types}"
    return None


def score_candidate(subject: Subject, candidate: Candidate) -> Verdict:
    """Score one candidate (without the uniqueness bonus, which ``decide`` adds)."""
    problem = _type_problem(subject, candidate)
    if problem:
        return Verdict(subject, candidate, 0.0, f"rejected: {problem}", rejected=True)
    points, name_reason = _name_points(subject, candidate)
    reasons = [name_reason] if name_reason else []
    prop = "citizenship (P27)" if subject.kind == "person" else "country (P17)"
    if subject.countries and candidate.countries:
        shared = set(subject.countries) & set(candidate.countries)
        if not shared:
            theirs = ", ".join(f"{label or q} ({q})" for q, label in sorted(candidate.countries.items()))
            ours = ", ".join(f"{label} ({q})" for q, label in sorted(subject.countries.items()))
            return Verdict(subject, candidate, 0.0, f"rejected: {prop} {theirs}, not {ours}", rejected=True)
        q = sorted(shared)[0]
        points += 0.3
        reasons.append(f"{prop} {subject.countries[q]} ({q}) agrees")
    elif subject.countries:
        reasons.append(f"no {prop} to compare")
    elif subject.kind == "organization" and not candidate.countries:
        points += 0.15
        reasons.append("neither has a country (an international body)")
    if subject.posts and candidate.positions:
        sim, ours_post, theirs_post = max((similarity(p, label), p, label)
                                          for p in subject.posts for label in candidate.positions.values())
        if sim >= 0.5:
            points += 0.2 * sim
            reasons.append(f"position held {theirs_post!r} resembles our post {ours_post!r} ({sim:.2f})")
    return Verdict(subject, candidate, round(min(points, 1.0), 3), "; ".join(reasons))


def decide(subject: Subject, candidates: list[Candidate], threshold: float = DEFAULT_THRESHOLD
           ) -> tuple[Verdict | None, list[Verdict]]:
    """The link to make (or None) and the other verdicts, best first.

    The best candidate is linked when its score reaches ``threshold`` and is at least ``MARGIN`` above the next
    candidate that was not rejected; otherwise every candidate stays for review.
    """
    verdicts = [score_candidate(subject, c) for c in candidates]
    alive = [v for v in verdicts if not v.rejected]
    if len(alive) == 1:
        v = alive[0]
        bonus = Verdict(subject, v.candidate, round(min(v.score + 0.1, 1.0), 3),
                        f"{v.method}; the only candidate of the right type")
        verdicts[verdicts.index(v)] = bonus
    verdicts.sort(key=lambda v: (-v.score, v.candidate.qid))
    best = verdicts[0] if verdicts and not verdicts[0].rejected else None
    if best is None or best.score < threshold:
        return None, verdicts
    runner_up = next((v for v in verdicts[1:] if not v.rejected), None)
    if runner_up is not None and best.score - runner_up.score < MARGIN:
        return None, [Verdict(v.subject, v.candidate, v.score, f"{v.method}; ambiguous with "
                              f"{runner_up.candidate.qid if v is best else best.candidate.qid}", v.rejected)
                      for v in verdicts]
    return best, verdicts[1:]
