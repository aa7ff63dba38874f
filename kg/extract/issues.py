"""Issues a claim is about, from the SKOS taxonomy ``ontology/issues.ttl``.

The taxonomy is the single source of the classifier's cues: an issue's preferred, alternative and hidden labels are
matched, case-insensitively and on whole words, in the claim and in the rest of its sentence (a ``*`` in a hidden
label matches any word ending). A broader issue is dropped where a narrower one matched. The generic
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
    pattern: re.Pattern[str]  # every cue in one trie-shaped regex; the empty group t<n> marks where cue n ends
    groups: tuple[tuple[str, ...], ...]  # cue n -> the issue slugs it is a cue of

    def find(self, text: str) -> Counter[str]:
        """How often each issue's cues occur in ``text`` (a cue shared by several issues counts for each)."""
        found: Counter[str] = Counter()
        for m in self.pattern.finditer(text):
            found.update(self.groups[int(m.lastgroup[1:])])  # type: ignore[index]
        return found


_WS, _STAR, _END = "\x00ws", "\x00star", "\x00end"


def _symbols(cue: str) -> list[str]:
    """A cue as trie symbols: its lower-cased characters, one symbol per whitespace run, one per ``*``."""
    out: list[str] = []
    for ch in cue.lower().strip():
        if ch.isspace():
            if out and out[-1] != _WS:
                out.append(_WS)
        else:
            out.append(_STAR if ch == "*" else ch)
    return out


def _trie_regex(node: dict[str, object]) -> str:
    """The regex of a trie node. Literal continuations come first, then a wildcard, then ending here, so that at any
    position the longest cue wins ("trade war" over "trade", "rules of origin" over "rules")."""
    parts = []
    for sym in sorted((k for k in node if k not in (_STAR, _END)), key=lambda k: (k == _WS, k)):
        head = r"\s+" if sym == _WS else re.escape(sym)
        parts.append(head + _trie_regex(node[sym]))  # type: ignore[arg-type]
    if _STAR in node:
        parts.append(r"\w*" + _trie_regex(node[_STAR]))  # type: ignore[arg-type]
    if _END in node:
        n, wild = node[_END]  # type: ignore[misc]
        parts.append(f"(?P<t{n}>)" + ("" if wild else r"\b"))
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


def compile_cues(cues: dict[str, set[str]]) -> tuple[re.Pattern[str], tuple[tuple[str, ...], ...]]:
    """One case-insensitive regex matching every cue on word boundaries, shaped as a trie: Python's ``re`` tries an
    alternation's branches one by one, so a flat alternation of hundreds of cues costs hundreds of attempts per
    word, a trie only the branches that share the text's next character."""
    slugs_of: dict[tuple[str, ...], set[str]] = {}
    for slug, forms in cues.items():
        for cue in forms:
            symbols = tuple(_symbols(cue))
            if symbols:
                slugs_of.setdefault(symbols, set()).add(slug)
    root: dict[str, object] = {}
    groups: list[tuple[str, ...]] = []
    for symbols, slugs in sorted(slugs_of.items()):
        node = root
        for sym in symbols:
            node = node.setdefault(sym, {})  # type: ignore[assignment]
        node[_END] = (len(groups), symbols[-1] == _STAR)
        groups.append(tuple(sorted(slugs)))
    return re.compile(r"\b" + _trie_regex(root), re.IGNORECASE), tuple(groups)


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
    pattern, groups = compile_cues(cues)
    return Taxonomy(labels, broader, pattern, groups)


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
