"""The issue classifier's cue matcher: one trie-shaped regex that must find exactly what a plain per-cue search
finds, with the longest cue winning at a position."""

from __future__ import annotations

import re
from collections import Counter

from pyoxigraph import Literal, RdfFormat, parse

from kg.extract.issues import ISSUES_TTL, classify, compile_cues, load_taxonomy


def test_longest_cue_wins_and_wildcards_match_word_endings() -> None:
    pattern, groups = compile_cues({"war": {"trade war*"}, "trade": {"trade", "trade deal"},
                                    "timeline": {"extend* the deadline"}, "autos": {"car*"}})
    found = [groups[int(m.lastgroup[1:])] for m in pattern.finditer(  # type: ignore[index]
        "A trade war, trade wars, a Trade Deal, trade; they extended  the deadline for cars, not scars.")]
    assert found == [("war",), ("war",), ("trade",), ("trade",), ("timeline",), ("autos",)]


def test_a_cue_shared_by_two_issues_counts_for_both() -> None:
    pattern, groups = compile_cues({"a": {"national security"}, "b": {"National Security"}})
    (m,) = pattern.finditer("on national security grounds")
    assert groups[int(m.lastgroup[1:])] == ("a", "b")  # type: ignore[index]


def test_the_trie_finds_what_a_per_cue_search_finds() -> None:
    taxonomy = load_taxonomy()
    text = ("Negotiators said the auto rules of origin, the sunset clause and steel tariffs were open; "
            "retaliatory tariffs on soybeans and dairy quotas loom, and lawmakers want a vote on the USMCA.")
    found = taxonomy.find(text)
    assert found["auto-rules-of-origin"] and found["sunset-clause"] and found["dairy"]
    # every issue found is one whose own cues occur in the text, searched one by one
    for slug in found:
        cues = [c for c, slugs in _cues().items() if slug in slugs]
        assert any(re.search(c, text, re.IGNORECASE) for c in cues), slug
    assert set(classify(taxonomy, "the sunset clause must go", "Freeland said")) == {"sunset-clause"}


def _cues() -> dict[str, tuple[str, ...]]:
    """Each cue of the taxonomy file as a regex of its own, with the issues it is a cue of."""
    out: dict[str, tuple[str, ...]] = {}
    with ISSUES_TTL.open("rb") as f:
        for t in parse(f, format=RdfFormat.TURTLE):
            if isinstance(t.object, Literal) and t.predicate.value.endswith(("prefLabel", "altLabel", "hiddenLabel")):
                slug = t.subject.value.rsplit("/", 1)[-1]
                words = re.escape(t.object.value.lower()).replace(r"\ ", r"\s+").replace(r"\*", r"\w*")
                key = r"\b" + words + ("" if t.object.value.endswith("*") else r"\b")
                out[key] = (*out.get(key, ()), slug)
    return out


def test_counts_are_per_occurrence() -> None:
    assert load_taxonomy().find("tariffs, tariffs and more tariffs")["tariffs"] == 3
    assert load_taxonomy().find("") == Counter()
