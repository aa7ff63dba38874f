"""benchmarks/polnear_misses.py: the class a missed PolNeAR speech attribution is put in (docs/extraction.md,
"PolNeAR: where the misses are"), on built sentences and claims."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from benchmarks.polnear_misses import Trace, as_polnear, classify
from kg.extract.learned.corpus import Attribution
from kg.extract.model import Claim

VOCAB = spacy.blank("en").vocab


def _claim(text: str, start: int, end: int, kind: str = "indirect") -> Claim:
    return Claim(kind=kind, text=text[start:end], start=start, end=end, speaker=None)  # type: ignore[arg-type]


def _doc(words: list[str], heads: list[int], deps: list[str], pos: list[str], tags: list[str],
         lemmas: list[str]) -> Doc:
    return Doc(VOCAB, words=words, heads=heads, deps=deps, pos=pos, tags=tags, lemmas=lemmas)


NOTHING = Trace({}, {}, set())


def test_conventions_come_first_a_split_quote_a_quoted_fragment_and_span_edges() -> None:
    text = "“We will not sign,” she said. “Not this year.”"
    split = Attribution((1, 45), (24, 28), (20, 23), pieces=((1, 17), (31, 45)))
    assert classify(text, [], split, [_claim(text, 1, 17, "direct")], NOTHING)[0] == "discontinuous"
    text = "He said the move reeks of “fear” and greed."
    clause = Attribution((8, 42), (3, 7), (0, 2))
    assert classify(text, [], clause, [_claim(text, 27, 31, "mixed")], NOTHING)[0] == "mixed fragment"
    assert classify(text, [], clause, [_claim(text, 8, 16)], NOTHING)[0] == "span edges: ours inside"
    assert classify(text, [], clause, [_claim(text, 0, 43)], NOTHING)[0] == "span edges: theirs inside"


def test_with_no_claim_the_parse_and_the_trace_decide() -> None:
    # "Experts say rates will rise ." / "Ross did not mention the plan ."
    doc = _doc(["Experts", "say", "rates", "will", "rise", "."], [1, 1, 4, 4, 1, 1],
               ["nsubj", "ROOT", "nsubj", "aux", "ccomp", "punct"], ["NOUN", "VERB", "NOUN", "AUX", "VERB", "PUNCT"],
               ["NNS", "VBP", "NNS", "MD", "VB", "."], ["expert", "say", "rate", "will", "rise", "."])
    text = doc.text
    crowd = Attribution((12, 27), (8, 11), (0, 7))
    said = Trace({8: ((12, 27),)}, {8: ("experts", "NOUN")}, set())
    assert classify(text, [(0, doc)], crowd, [], said)[0] == "no speaker: a vague crowd (our rule)"
    assert classify(text, [(0, doc)], crowd, [], Trace({8: (None,)}, {}, set()))[0] == "proposed: no content span"
    doc = _doc(["Ross", "did", "not", "mention", "the", "plan", "."], [3, 3, 3, 3, 5, 3, 3],
               ["nsubj", "aux", "neg", "ROOT", "det", "dobj", "punct"],
               ["PROPN", "AUX", "PART", "VERB", "DET", "NOUN", "PUNCT"], ["NNP", "VBD", "RB", "VB", "DT", "NN", "."],
               ["Ross", "do", "not", "mention", "the", "plan", "."])
    negated = Attribution((21, 29), (13, 20), (0, 4))
    assert classify(doc.text, [(0, doc)], negated, [], NOTHING)[0] == "not a statement: negated cue"
    doc = _doc(["Ross", "mentioned", "the", "plan", "."], [1, 1, 3, 1, 1], ["nsubj", "ROOT", "det", "dobj", "punct"],
               ["PROPN", "VERB", "DET", "NOUN", "PUNCT"], ["NNP", "VBD", "DT", "NN", "."],
               ["Ross", "mention", "the", "plan", "."])
    topic = Attribution((15, 23), (5, 14), (0, 4))
    assert classify(doc.text, [(0, doc)], topic, [], NOTHING)[0] == "not a statement: a noun phrase"


def test_as_polnear_gives_a_mixed_claim_its_clause_and_joins_a_split_quote() -> None:
    text = "He said the move reeks of “fear” and greed. “We will not sign,” she said. “Not this year.” “No,” he said."
    fear, sign, year, no = (text.index(w) for w in ("fear", "We will", "Not this", "No,"))
    claims = [_claim(text, fear, fear + 4, "mixed"), _claim(text, sign, sign + 16, "direct"),
              _claim(text, year, year + 14, "direct"), _claim(text, no, no + 2, "direct")]
    claims[1].speaker = claims[2].speaker = "person/her"
    claims[3].speaker = "person/him"
    clause = (8, 42)  # "the move reeks of “fear” and greed", the frame's content
    spans = as_polnear(text, claims, Trace({}, {}, set(), [clause]))
    assert [text[a:b] for a, b in spans] == ["the move reeks of “fear” and greed",
                                            "We will not sign,” she said. “Not this year.", "No"]
