"""Lemmas of verbs, from spaCy's rule lemmatizer, for matching reporting verbs by lemma ("stresses" -> "stress",
"agreeing" -> "agree") instead of by hand-built inflections.

The lemmatizer is not run on every token (extraction excludes it from ``nlp.pipe``, which keeps parsing as fast as
bare spaCy): :func:`use_pipeline` loads the lemmatizer component of the extraction pipeline once, and
:func:`lemma` asks it for one token at a time, cached by word and tag, only where a rule needs a lemma. A pipeline
without a lemmatizer falls back to the token's own ``lemma_`` when set, else its lower-case form.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from spacy.tokens import Token

_state: dict[str, Any] = {"lemmatizer": None, "cache": {}}


@lru_cache(maxsize=4)
def _load(name: str) -> Any:
    import spacy

    try:
        nlp = spacy.load(name, exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "ner", "senter"])
    except OSError:
        return None
    return nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.pipe_names else None


def use_pipeline(name: str) -> None:
    """Take lemmas from the lemmatizer of pipeline ``name`` (loaded once per process)."""
    lemmatizer = _load(name)
    if lemmatizer is not _state["lemmatizer"]:
        _state["lemmatizer"] = lemmatizer
        _state["cache"] = {}


def lemma(token: Token) -> str:
    """The lower-case lemma of ``token`` as a verb ("said" -> "say"); its lower-case form for other parts of
    speech."""
    if token.pos_ not in ("VERB", "AUX"):
        return token.lower_
    key = (token.lower_, token.tag_)
    cache: dict[tuple[str, str], str] = _state["cache"]
    found = cache.get(key)
    if found is None:
        lemmatizer = _state["lemmatizer"]
        if lemmatizer is not None:
            found = (lemmatizer.rule_lemmatize(token) or [token.lower_])[0].lower()
        else:
            found = token.lemma_.lower() if token.lemma_ else token.lower_
        cache[key] = found
    return found
