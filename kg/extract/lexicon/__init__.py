"""The word lists extraction rules use, as data: ``verbs.json`` (reporting verbs by lemma and their frames),
``nouns.json`` (nouns of saying, documents, bodies, mute things, findings, works), ``crowds.json`` (vague crowds,
people nouns, indefinite determiners), ``titles.json`` (courtesy titles, abbreviations, lesser posts) and
``confidence.json`` (the confidence tables). Each file documents its keys under ``_about``.

:func:`load_lexicon` reads them once (package data, through ``importlib.resources``) and checks their shape, so a
broken file fails at start with the file and key named, not in the middle of an article.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

FrameFill = tuple[str, str]  # (dependency, word): word "" any, "!" required but not part of the content
FramePattern = tuple[FrameFill, ...]


class LexiconError(ValueError):
    """A lexicon file is missing, is not JSON, or lacks a key of the expected shape."""


@dataclass(frozen=True)
class Lexicon:
    """Every word list of the rules (see the module doc); sets are frozen, lemmas lower-case."""

    reporting_verbs: frozenset[str]
    plan_verbs: frozenset[str]
    object_verbs: frozenset[str]
    participle_object_verbs: frozenset[str]
    telling_verbs: frozenset[str]
    frames: dict[str, tuple[FramePattern, ...]]
    phrases: dict[str, tuple[str, str]]  # verb lemma -> (word, phrase): "make" -> ("clear", "make clear")
    naming_verbs: frozenset[str]
    showing_verbs: frozenset[str]
    issuing_verbs: frozenset[str]
    inverted_forms: frozenset[str]
    hypothetical: frozenset[str]
    withholding: frozenset[str]
    raising_verbs: frozenset[str]
    quoting_verbs: frozenset[str]
    resulting_verbs: frozenset[str]
    saying_nouns: frozenset[str]
    plan_nouns: frozenset[str]
    document_nouns: frozenset[str]
    organization_nouns: frozenset[str]
    mute_nouns: frozenset[str]
    finding_nouns: frozenset[str]
    work_nouns: frozenset[str]
    label_nouns: frozenset[str]
    source_nouns: frozenset[str]
    doubt_nouns: frozenset[str]
    vague_crowds: frozenset[str]
    people_nouns: frozenset[str]
    indefinite: frozenset[str]
    courtesy_titles: frozenset[str]
    title_abbreviations: dict[str, str]
    lesser_titles: frozenset[str]
    kind_confidence: dict[str, float]
    how_confidence: dict[str, float]
    other_confidence: float
    per_paragraph_confidence: float


def _read(name: str) -> dict[str, Any]:
    try:
        text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
        data = json.loads(text)
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as e:
        raise LexiconError(f"lexicon file {name}: {e}") from e
    if not isinstance(data, dict):
        raise LexiconError(f"lexicon file {name}: expected a JSON object")
    return data


def _words(data: dict[str, Any], name: str, key: str) -> frozenset[str]:
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
        raise LexiconError(f"lexicon file {name}: {key!r} must be a list of non-empty strings")
    return frozenset(value)


def _numbers(data: dict[str, Any], name: str, key: str) -> dict[str, float]:
    value = data.get(key)
    if not isinstance(value, dict) or not all(isinstance(v, (int, float)) and 0 < v <= 1 for v in value.values()):
        raise LexiconError(f"lexicon file {name}: {key!r} must map names to numbers in (0, 1]")
    return {k: float(v) for k, v in value.items()}


def _number(data: dict[str, Any], name: str, key: str) -> float:
    value = data.get(key)
    if not isinstance(value, (int, float)) or not 0 < value <= 1:
        raise LexiconError(f"lexicon file {name}: {key!r} must be a number in (0, 1]")
    return float(value)


def _frames(data: dict[str, Any], name: str) -> dict[str, tuple[FramePattern, ...]]:
    value = data.get("frames")
    out: dict[str, tuple[FramePattern, ...]] = {}
    if not isinstance(value, dict):
        raise LexiconError(f"lexicon file {name}: 'frames' must map verb lemmas to lists of patterns")
    for verb, patterns in value.items():
        try:
            out[verb] = tuple(tuple((str(dep), str(word)) for dep, word in pattern) for pattern in patterns)
        except (TypeError, ValueError) as e:
            raise LexiconError(f"lexicon file {name}: frames[{verb!r}] must be lists of [dependency, word]") from e
    return out


def _pairs(data: dict[str, Any], name: str, key: str) -> dict[str, tuple[str, str]]:
    value = data.get(key)
    if not isinstance(value, dict) or not all(isinstance(v, list) and len(v) == 2 for v in value.values()):
        raise LexiconError(f"lexicon file {name}: {key!r} must map words to [word, phrase] pairs")
    return {k: (str(v[0]), str(v[1])) for k, v in value.items()}


def _strings(data: dict[str, Any], name: str, key: str) -> dict[str, str]:
    value = data.get(key)
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise LexiconError(f"lexicon file {name}: {key!r} must map words to words")
    return dict(value)


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The lexicon of the installed package, read once. Raises LexiconError naming a broken file and key."""
    verbs, nouns, crowds = _read("verbs.json"), _read("nouns.json"), _read("crowds.json")
    titles, confidence = _read("titles.json"), _read("confidence.json")
    return Lexicon(
        reporting_verbs=_words(verbs, "verbs.json", "reporting"),
        plan_verbs=_words(verbs, "verbs.json", "plan"),
        object_verbs=_words(verbs, "verbs.json", "object"),
        participle_object_verbs=_words(verbs, "verbs.json", "participle_object"),
        telling_verbs=_words(verbs, "verbs.json", "telling"),
        frames=_frames(verbs, "verbs.json"),
        phrases=_pairs(verbs, "verbs.json", "phrases"),
        naming_verbs=_words(verbs, "verbs.json", "naming"),
        showing_verbs=_words(verbs, "verbs.json", "showing"),
        issuing_verbs=_words(verbs, "verbs.json", "issuing"),
        inverted_forms=_words(verbs, "verbs.json", "inverted_forms"),
        hypothetical=_words(verbs, "verbs.json", "hypothetical"),
        withholding=_words(verbs, "verbs.json", "withholding"),
        raising_verbs=_words(verbs, "verbs.json", "raising"),
        quoting_verbs=_words(verbs, "verbs.json", "quoting"),
        resulting_verbs=_words(verbs, "verbs.json", "resulting"),
        saying_nouns=_words(nouns, "nouns.json", "saying"),
        plan_nouns=_words(nouns, "nouns.json", "plan"),
        document_nouns=_words(nouns, "nouns.json", "documents"),
        organization_nouns=_words(nouns, "nouns.json", "organizations"),
        mute_nouns=_words(nouns, "nouns.json", "mute"),
        finding_nouns=_words(nouns, "nouns.json", "findings"),
        work_nouns=_words(nouns, "nouns.json", "works"),
        label_nouns=_words(nouns, "nouns.json", "labels"),
        source_nouns=_words(nouns, "nouns.json", "sources"),
        doubt_nouns=_words(nouns, "nouns.json", "doubts"),
        vague_crowds=_words(crowds, "crowds.json", "vague"),
        people_nouns=_words(crowds, "crowds.json", "people"),
        indefinite=_words(crowds, "crowds.json", "indefinite"),
        courtesy_titles=_words(titles, "titles.json", "courtesy"),
        title_abbreviations=_strings(titles, "titles.json", "abbreviations"),
        lesser_titles=_words(titles, "titles.json", "lesser"),
        kind_confidence=_numbers(confidence, "confidence.json", "kind"),
        how_confidence=_numbers(confidence, "confidence.json", "how"),
        other_confidence=_number(confidence, "confidence.json", "other"),
        per_paragraph_confidence=_number(confidence, "confidence.json", "per_paragraph"),
    )
