"""Speaker and content rules of issue 10 drawn from the errors of eval/dev6 (docs/extraction.md, Speaker precision
rules), each tested on short sentences of its own."""

from __future__ import annotations

from kg.extract import Extractor
from tests.extracting import claim_with, run

# -- pronouns ------------------------------------------------------------------------------------------------------

def test_she_does_not_point_back_to_a_one_word_name_of_no_known_person(extractor: Extractor) -> None:
    text = ("Mrs Kallas sent the Brexit letter on Monday. Officials cheered the Brexit deal. "
            "\"We will not delay,\" she said.")
    claim = claim_with(run(extractor, text), "We will not delay")
    assert claim.speaker == "person/kallas"
