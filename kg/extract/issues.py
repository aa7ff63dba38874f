"""Issues a claim is about, from the SKOS taxonomy ``ontology/issues.ttl``.

The taxonomy is the single source of the classifier's cues: an issue's preferred, alternative and hidden labels are
matched, case-insensitively and on whole words, in the claim and in the rest of its sentence (a hidden label ending
in ``*`` matches any ending). A broader issue is dropped where a narrower one matched. The generic
"trade-negotiations" stands for the agreement the article is about when it names one several times.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pyoxigraph import Literal, NamedNode, RdfFormat, parse

from kg.reference import ONTOLOGY_DIR

ISSUES_TTL = ONTOLOGY_DIR / "issues.ttl"
ISSUE_BASE = "https://w3id.org/claimgraph/id/issue/"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
GENERIC_NEGOTIATION = "trade-negotiations"
AGREEMENTS = ("nafta-renegotiation", "us-china-trade-deal", "brexit")


@dataclass(frozen=True)
class Taxonomy:
    labels: dict[str, str]  # slug -> preferred label
    broader: dict[str, frozenset[str]]  # slug -> all broader slugs (transitively)
    pattern: re.Pattern[str]  # one alternation; group name g<n> -> slugs[n]
    groups: tuple[str, ...]

    def find(self, text: str) -> Counter[str]:
        """How often each issue's cues occur in ``text``."""
        found: Counter[str] = Counter()
        for m in self.pattern.finditer(text):
            found[self.groups[int(m.lastgroup[1:])]] += 1
        return found


def _cue_regex(cue: str) -> str:
    words = re.escape(cue.lower().rstrip("*")).replace(r"\ ", r"\s+")
    return r"\b" + words + (r"\w*" if cue.endswith("*") else r"\b")


@lru_cache(maxsize=2)
def load_taxonomy(path: Path = ISSUES_TTL) -> Taxonomy:
    """Read the issue taxonomy. Raises FileNotFoundError when ``path`` is missing, SyntaxError on bad Turtle."""
    labels: dict[str, str] = {}
    cues: dict[str, set[str]] = {}
    parents: dict[str, set[str]] = {}
    with path.open("rb") as f:
        for t in parse(f, format=RdfFormat.TURTLE):
            s = t.subject.value if isinstance(t.subject, NamedNode) else ""
            if not s.startswith(ISSUE_BASE):
                continue
            slug = s[len(ISSUE_BASE):]
            p = t.predicate.value
            if isinstance(t.object, Literal) and p in (_SKOS + "prefLabel", _SKOS + "altLabel", _SKOS + "hiddenLabel"):
                cues.setdefault(slug, set()).add(t.object.value)
                if p == _SKOS + "prefLabel":
                    labels[slug] = t.object.value
            elif p == _SKOS + "broader" and isinstance(t.object, NamedNode):
                parents.setdefault(slug, set()).add(t.object.value[len(ISSUE_BASE):])
    broader = {}
    for slug in labels:
        seen: set[str] = set()
        todo = list(parents.get(slug, ()))
        while todo:
            b = todo.pop()
            if b not in seen:
                seen.add(b)
                todo.extend(parents.get(b, ()))
        broader[slug] = frozenset(seen)
    groups = []
    parts = []
    # longer cues first, so "trade war" wins over "war" and "rules of origin" over "rules"
    for slug, cue in sorted(((s, c) for s, cs in cues.items() for c in cs), key=lambda x: -len(x[1])):
        parts.append(f"(?P<g{len(groups)}>{_cue_regex(cue)})")
        groups.append(slug)
    return Taxonomy(labels, broader, re.compile("|".join(parts), re.IGNORECASE), tuple(groups))


def article_agreement(taxonomy: Taxonomy, text: str) -> str | None:
    """The agreement an article is about: the one of ``AGREEMENTS`` its text names most, at least twice."""
    found = taxonomy.find(text)
    best = max(AGREEMENTS, key=lambda a: found[a])
    return best if found[best] >= 2 else None


def classify(taxonomy: Taxonomy, claim: str, sentence: str, agreement: str | None = None) -> list[str]:
    """Issue slugs for a claim, most specific first: cues found in the claim, then cues of the sentence around it."""
    found = taxonomy.find(claim) + taxonomy.find(sentence)
    issues = set(found)
    if GENERIC_NEGOTIATION in issues and agreement:
        issues.add(agreement)
    covered = set().union(*(taxonomy.broader.get(i, frozenset()) for i in issues)) if issues else set()
    issues -= covered
    if agreement and issues & {GENERIC_NEGOTIATION}:
        issues.discard(GENERIC_NEGOTIATION)
    return sorted(issues, key=lambda i: (-found[i], i))
