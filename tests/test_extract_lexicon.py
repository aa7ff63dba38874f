"""The lexicons as data (kg/extract/lexicon/*.json): they load, have the shapes the rules need, fail clearly when
broken, and reporting verbs are matched by lemma, so every inflection counts (no hand-built "stresss")."""

from __future__ import annotations

from importlib import resources

import pytest

from kg.extract import Extractor
from kg.extract.lexicon import LexiconError, _frames, _numbers, _read, _words, load_lexicon
from tests.extracting import claim_with, run


def test_every_lexicon_file_is_package_data_and_loads() -> None:
    names = {p.name for p in resources.files("kg.extract.lexicon").iterdir() if p.name.endswith(".json")}
    assert names == {"verbs.json", "nouns.json", "crowds.json", "titles.json", "confidence.json"}
    lexicon = load_lexicon()
    assert {"say", "tell", "warn", "stress", "agree"} <= lexicon.reporting_verbs
    for kind in (lexicon.plan_verbs, lexicon.object_verbs, lexicon.participle_object_verbs, lexicon.telling_verbs):
        assert kind <= lexicon.reporting_verbs
    # a frame verb in no list of reporting verbs reports only through its frames, each with an object and more
    frame_only = set(lexicon.frames) - lexicon.reporting_verbs - lexicon.naming_verbs
    assert frame_only == {"denounce", "praise", "hit", "mock", "order"}
    assert all(len(pattern) >= 2 for verb in frame_only for pattern in lexicon.frames[verb])
    assert all(w == w.lower() and " " not in w for w in lexicon.reporting_verbs)
    assert set(lexicon.kind_confidence) == {"direct", "mixed", "indirect"}


def test_broken_lexicon_files_name_the_file_and_key() -> None:
    with pytest.raises(LexiconError, match=r"verbs.json: 'plan' must be a list of non-empty strings"):
        _words({"plan": ["vow", 3]}, "verbs.json", "plan")
    with pytest.raises(LexiconError, match=r"confidence.json: 'kind' must map names to numbers in \(0, 1\]"):
        _numbers({"kind": {"direct": 1.5}}, "confidence.json", "kind")
    with pytest.raises(LexiconError, match=r"frames\['accuse'\] must be lists of \[dependency, word\]"):
        _frames({"frames": {"accuse": [["dobj"]]}}, "verbs.json")
    with pytest.raises(LexiconError, match=r"lexicon file absent.json"):
        _read("absent.json")


@pytest.mark.parametrize("sentence", [
    "Ross stresses that the tariffs are temporary.",
    "Ross, agreeing that the tariffs are temporary, left early.",
    "Ross has emphasised that the tariffs are temporary.",
    "Ross downplays that the tariffs are permanent.",
])
def test_reporting_verbs_match_every_inflection_by_lemma(extractor: Extractor, sentence: str) -> None:
    claim = claim_with(run(extractor, sentence), "the tariffs are")
    assert claim.speaker_text == "Ross"
