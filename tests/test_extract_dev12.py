"""Rules of issue 10's ninth round (docs/extraction.md, "eval/dev12: the errors read"): kept only where a cause of
eval/dev12 recurs on another set, each tested on sentences of its own: the shape of the error, never its words."""

from __future__ import annotations

import pytest

from kg.extract import Extractor
from tests.extracting import run


@pytest.mark.parametrize(("text", "source"), [
    # the tag between the subject and its verb (the parser hangs the subject on the auxiliary): the clause is the
    # claim, not the words before the tag
    ("Fishing quotas the council has already set for Norway have, according to trade analysts Nordic Credit, "
     "affected Danish firms more than firms in any other country.", "Nordic Credit"),
    ("The government, according to The Aftenposten, is preparing to delay the vote until next week.",
     "Aftenposten"),
])
def test_according_to_inside_its_clause_claims_the_clause(extractor: Extractor, text: str, source: str) -> None:
    claims = run(extractor, text).claims
    assert [(c.cue, c.text) for c in claims] == [("according to", text[:-1])]
    assert source in (claims[0].speaker_text or claims[0].speaker or "")


@pytest.mark.parametrize(("text", "content"), [
    # a tag before or after its clause tags the clause beside it, without the tag
    ("Exports of salmon fell by 4% in May, according to the ministry.", "Exports of salmon fell by 4% in May"),
    ("According to the ministry, exports of salmon fell by 4% in May.", "exports of salmon fell by 4% in May"),
    # after a whole clause, before a conjunct of its own: still the clause before it
    ("Ministers are preparing to delay the vote, according to The Aftenposten, and may announce it on Monday.",
     "Ministers are preparing to delay the vote"),
])
def test_according_to_beside_its_clause_claims_that_clause_alone(extractor: Extractor, text: str,
                                                                 content: str) -> None:
    assert [c.text for c in run(extractor, text).claims] == [content]
