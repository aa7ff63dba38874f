"""The extraction stages one by one, on hand-built parses (no statistical model): proposers, the speaker resolver
and its explicit discourse state, the span trimmers, the arbiter's precedence and overlap policy."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from kg.extract.arbiter import arbitrate
from kg.extract.attribution import FrameIndex, frame_claims
from kg.extract.discourse import Discourse, Spans
from kg.extract.document import Document, NameMention, Sentence
from kg.extract.frames import Frame, subject_of
from kg.extract.model import Claim
from kg.extract.proposers import OWNED, PROPOSERS, Need, according_to, noun_of_saying, propose, reporting_verb
from kg.extract.quotes import find_quotes
from kg.extract.resolver import resolve_frames
from kg.extract.speakers import Speaker, resolve
from kg.extract.trimmers import (
    TRIMMERS,
    leading_that,
    narrating_clause,
    second_speech_act,
    trailing_punctuation,
    trimmed,
)
from kg.reference import Reference

NOBODY = Reference(countries={}, people={}, organizations={})
VOCAB = spacy.blank("en").vocab  # English lexical attributes (is_alpha, like_num), no model

# (word, head, dep, pos, tag, lemma, entity) per token; head is the token's index in the sentence
Row = tuple[str, int, str, str, str, str, str]


def parsed(*sentences: list[Row], people: tuple[str, ...] = ()) -> Document:
    """A Document of one paragraph from hand-parsed sentences; each word in ``people`` is a person mention."""
    rows = [r for s in sentences for r in s]
    offsets, n = [], 0
    for s in sentences:
        offsets.append(n)
        n += len(s)
    heads = [offsets[k] + r[1] for k, s in enumerate(sentences) for r in s]
    starts = {o for o in offsets}
    doc = Doc(VOCAB, words=[r[0] for r in rows], spaces=[i + 1 < len(rows) and rows[i + 1][3] != "PUNCT"
                                                         for i in range(len(rows))],
              heads=heads, deps=[r[2] for r in rows], pos=[r[3] for r in rows], tags=[r[4] for r in rows],
              lemmas=[r[5] for r in rows], ents=[r[6] for r in rows],
              sent_starts=[i in starts for i in range(len(rows))])
    spans = [doc[o:o + len(s)] for o, s in zip(offsets, sentences, strict=True)]
    sents = [Sentence(i, span, 0, 0, 0, False) for i, span in enumerate(spans)]
    mentions = [NameMention(t.idx, t.idx + len(t), t.text, f"person/{t.lower_}", "Person", None, 0.9, k, (t.i, t.i + 1))
                for k, span in enumerate(spans) for t in span if t.text in people]
    return Document(doc.text, None, sents, find_quotes(doc.text), mentions, [doc])


SAID = [("Ross", 1, "nsubj", "PROPN", "NNP", "Ross", "B-PERSON"), ("said", 1, "ROOT", "VERB", "VBD", "say", "O"),
        ("Lee", 4, "nsubj", "PROPN", "NNP", "Lee", "B-PERSON"), ("had", 4, "aux", "AUX", "VBD", "have", "O"),
        ("lied", 1, "ccomp", "VERB", "VBN", "lie", "O"), (".", 1, "punct", "PUNCT", ".", ".", "O")]
ADDED = [("He", 1, "nsubj", "PRON", "PRP", "he", "O"), ("added", 1, "ROOT", "VERB", "VBD", "add", "O"),
         ("the", 3, "det", "DET", "DT", "the", "O"), ("deal", 4, "nsubj", "NOUN", "NN", "deal", "O"),
         ("was", 1, "ccomp", "AUX", "VBD", "be", "O"), ("close", 4, "acomp", "ADJ", "JJ", "close", "O"),
         (".", 1, "punct", "PUNCT", ".", ".", "O")]
BOTH = [("Ross", 3, "nsubj", "PROPN", "NNP", "Ross", "B-PERSON"), ("and", 0, "cc", "CCONJ", "CC", "and", "O"),
        ("Lee", 0, "conj", "PROPN", "NNP", "Lee", "B-PERSON"), ("said", 3, "ROOT", "VERB", "VBD", "say", "O"),
        ("the", 5, "det", "DET", "DT", "the", "O"), ("deal", 6, "nsubj", "NOUN", "NN", "deal", "O"),
        ("was", 3, "ccomp", "AUX", "VBD", "be", "O"), ("close", 6, "acomp", "ADJ", "JJ", "close", "O"),
        (".", 3, "punct", "PUNCT", ".", ".", "O")]


# -- proposers --------------------------------------------------------------------------------------------------

def test_the_reporting_verb_rule_proposes_its_subject_and_clause_without_a_speaker() -> None:
    doc = parsed(SAID, people=("Ross", "Lee"))
    sent = doc.sentences[0]
    p = reporting_verb(doc, sent, sent.span[1])
    assert p is not None and p.method == "reporting-verb" and p.need is Need.SPEAKER
    assert p.source is not None and p.source.text == "Ross"
    assert [doc.text[s:e] for s, e in p.contents if s is not None] == ["Lee had lied"]
    assert reporting_verb(doc, sent, sent.span[4]) is None  # "lied" reports nothing


def test_according_to_takes_the_object_of_to_and_the_rest_of_the_sentence() -> None:
    rows = [("Prices", 1, "nsubj", "NOUN", "NNS", "price", "O"), ("rose", 1, "ROOT", "VERB", "VBD", "rise", "O"),
            ("sharply", 1, "advmod", "ADV", "RB", "sharply", "O"), ("last", 4, "amod", "ADJ", "JJ", "last", "B-DATE"),
            ("year", 1, "npadvmod", "NOUN", "NN", "year", "I-DATE"), (",", 1, "punct", "PUNCT", ",", ",", "O"),
            ("according", 1, "prep", "VERB", "VBG", "accord", "O"), ("to", 6, "prep", "ADP", "IN", "to", "O"),
            ("Eurostat", 7, "pobj", "PROPN", "NNP", "Eurostat", "B-ORG"), (".", 1, "punct", "PUNCT", ".", ".", "O")]
    doc = parsed(rows)
    sent = doc.sentences[0]
    p = according_to(doc, sent, sent.span[6])
    assert p and p.method == "according-to" and p.according and p.source.text == "Eurostat"
    assert doc.text[p.contents[0][0]:p.contents[0][1]] == "Prices rose sharply last year"


def test_a_noun_of_saying_with_no_source_owns_its_token_and_proposes_nothing() -> None:
    rows = [("The", 1, "det", "DET", "DT", "the", "O"), ("warning", 5, "nsubj", "NOUN", "NN", "warning", "O"),
            ("that", 4, "mark", "SCONJ", "IN", "that", "O"), ("talks", 4, "nsubj", "NOUN", "NNS", "talk", "O"),
            ("failed", 1, "acl", "VERB", "VBD", "fail", "O"), ("spread", 5, "ROOT", "VERB", "VBD", "spread", "O"),
            (".", 5, "punct", "PUNCT", ".", ".", "O")]
    doc = parsed(rows)
    sent = doc.sentences[0]
    assert noun_of_saying(doc, sent, sent.span[1]) is OWNED
    assert propose(doc) == []
    assert PROPOSERS[0] is according_to  # the written precedence: "according to" first, the plain verb last


def test_of_two_parsed_subjects_the_one_nearest_the_verb_speaks_unless_it_opens_an_aside() -> None:
    fronted = [("The", 1, "det", "DET", "DT", "the", "O"), ("measures", 9, "nsubj", "NOUN", "NNS", "measure", "O"),
               ("“", 3, "punct", "PUNCT", "``", "“", "O"), ("hurt", 1, "acl", "VERB", "VBP", "hurt", "O"),
               ("trade", 3, "dobj", "NOUN", "NN", "trade", "O"), (",", 9, "punct", "PUNCT", ",", ",", "O"),
               ("”", 9, "punct", "PUNCT", "''", "”", "O"), ("Wen", 8, "compound", "PROPN", "NNP", "Wen", "B-PERSON"),
               ("Li", 9, "nsubj", "PROPN", "NNP", "Li", "I-PERSON"), ("said", 9, "ROOT", "VERB", "VBD", "say", "O"),
               (".", 9, "punct", "PUNCT", ".", ".", "O")]
    doc = parsed(fronted)
    assert subject_of(doc.sentences[0].span[9]).text == "Li"
    aside = [("Ross", 6, "nsubj", "PROPN", "NNP", "Ross", "B-PERSON"), ("-", 0, "punct", "PUNCT", ":", "-", "O"),
             ("the", 3, "det", "DET", "DT", "the", "O"), ("first", 6, "nsubj", "ADJ", "JJ", "first", "O"),
             ("to", 5, "aux", "PART", "TO", "to", "O"), ("arrive", 3, "relcl", "VERB", "VB", "arrive", "O"),
             ("said", 6, "ROOT", "VERB", "VBD", "say", "O"), ("so", 6, "advmod", "ADV", "RB", "so", "O"),
             (".", 6, "punct", "PUNCT", ".", ".", "O")]
    doc = parsed(aside)
    assert subject_of(doc.sentences[0].span[6]).text == "Ross"


# -- the resolver: a pure stage with an explicit discourse ---------------------------------------------------------

def test_the_resolver_reads_its_discourse_and_writes_nothing_to_the_document() -> None:
    doc = parsed(SAID, ADDED, people=("Ross", "Lee"))
    frames, discourse = resolve_frames(doc, propose(doc), NOBODY)
    added = next(f for f in frames if f.verb.text == "added")
    # "Lee" is inside what Ross was reported to say: "He" passes over it to Ross
    assert added.speaker is not None and added.speaker.key == "person/ross"
    assert doc.discourse is None  # the resolver wrote nothing to the Document
    lee = doc.mentions[1]
    assert discourse.in_report(lee.start, lee.end)
    assert discourse.genders == {"person/ross": "m"}  # learned from the pronoun
    # the same pronoun with an empty discourse (nothing reported yet) takes the nearest name: the state decides
    he = doc.sentences[1].span[0]
    fresh = Discourse.start(doc)
    found = resolve(doc, doc.sentences[1], he, NOBODY, fresh)
    assert found is not None and (found.key, found.text, found.how) == ("person/lee", "he", "pronoun")


def test_coordinated_subjects_each_get_a_frame_on_one_span() -> None:
    doc = parsed(BOTH, people=("Ross", "Lee"))
    frames, _ = resolve_frames(doc, propose(doc), NOBODY)
    assert [(f.speaker.key, doc.text[f.content[0]:f.content[1]]) for f in frames] == [
        ("person/ross", "the deal was close"), ("person/lee", "the deal was close")]


# -- trimmers ---------------------------------------------------------------------------------------------------

def test_trimmers_are_named_and_run_in_order() -> None:
    rows = [("that", 3, "mark", "SCONJ", "IN", "that", "O"), ("the", 2, "det", "DET", "DT", "the", "O"),
            ("talks", 3, "nsubj", "NOUN", "NNS", "talk", "O"), ("stalled", 3, "ROOT", "VERB", "VBD", "stall", "O"),
            (",", 3, "punct", "PUNCT", ",", ",", "O"), ("saying", 3, "advcl", "VERB", "VBG", "say", "O"),
            ("more", 7, "amod", "ADJ", "JJR", "more", "O"), ("time", 5, "dobj", "NOUN", "NN", "time", "O"),
            (".", 3, "punct", "PUNCT", ".", ".", "O")]
    doc = parsed(rows)
    sent = doc.sentences[0]
    tokens = list(sent.span)
    verb = tokens[3]
    assert [t.text for t in leading_that(tokens, verb)][:1] == ["the"]
    assert [t.text for t in trailing_punctuation(tokens, verb)][-1:] == ["time"]
    assert [t.text for t in second_speech_act(tokens, verb)] == ["that", "the", "talks", "stalled", ","]
    assert [t.__name__ for t in TRIMMERS].index("second_speech_act") < [t.__name__ for t in TRIMMERS].index(
        "trailing_punctuation")
    start, end = trimmed(sent, verb, tokens)
    assert doc.text[start:end] == "the talks stalled"
    assert trimmed(sent, verb, tokens[:3]) is None  # under three words


def test_a_closing_as_clause_narrating_the_speaker_is_trimmed_by_name() -> None:
    # "Ross said he was calm as he signed the order."
    rows = [("Ross", 1, "nsubj", "PROPN", "NNP", "Ross", "B-PERSON"), ("said", 1, "ROOT", "VERB", "VBD", "say", "O"),
            ("he", 3, "nsubj", "PRON", "PRP", "he", "O"), ("was", 1, "ccomp", "AUX", "VBD", "be", "O"),
            ("calm", 3, "acomp", "ADJ", "JJ", "calm", "O"), ("as", 7, "mark", "SCONJ", "IN", "as", "O"),
            ("he", 7, "nsubj", "PRON", "PRP", "he", "O"), ("signed", 3, "advcl", "VERB", "VBD", "sign", "O"),
            ("the", 9, "det", "DET", "DT", "the", "O"), ("order", 7, "dobj", "NOUN", "NN", "order", "O"),
            (".", 1, "punct", "PUNCT", ".", ".", "O")]
    doc = parsed(rows, people=("Ross",))
    sent = doc.sentences[0]
    tokens, verb = list(sent.span)[2:10], sent.span[1]
    assert [t.text for t in narrating_clause(tokens, verb)] == ["he", "was", "calm"]
    assert "narrating_clause" in [t.__name__ for t in TRIMMERS]
    p = reporting_verb(doc, sent, verb)
    assert p is not None and [doc.text[s:e] for s, e in p.contents if s is not None] == ["he was calm"]


# -- the arbiter ------------------------------------------------------------------------------------------------

def _claim(doc: Document, frame: Frame, method: str = "reporting-verb") -> Claim:
    s, e = frame.content
    return Claim(kind="indirect", text=doc.text[s:e], start=s, end=e, speaker=frame.speaker.key,
                 speaker_text=frame.speaker.text, cue=frame.cue, method=method, confidence=0.8)


def test_the_arbiter_keeps_every_speaker_of_one_report_and_drops_an_overlapping_one() -> None:
    doc = parsed(BOTH, people=("Ross", "Lee"))
    frames, _ = resolve_frames(doc, propose(doc), NOBODY)
    candidates = frame_claims(doc, FrameIndex(frames))
    sent = doc.sentences[0]
    s, e = frames[0].content
    rival = Frame(sent.span[6], sent, Speaker("person/kim", "Kim", 1.0, "name"), (s + 4, e), "was")
    kept = arbitrate([], set(), [], [*candidates, (_claim(doc, rival), rival)])
    assert [c.speaker for c, _ in kept] == ["person/ross", "person/lee"]  # "A and B said X": two claims


def test_a_quote_claim_beats_a_frame_claim_on_the_same_words() -> None:
    doc = parsed(SAID, people=("Ross", "Lee"))
    frames, _ = resolve_frames(doc, propose(doc), NOBODY)
    frame = frames[0]
    quoted = (_claim(doc, frame, "quote"), frame)
    other = Frame(frame.verb, frame.sentence, Speaker("person/kim", "Kim", 1.0, "name"), frame.content, "said")
    kept = arbitrate([quoted], {id(frame)}, [], [(_claim(doc, frame), frame), (_claim(doc, other), other)])
    # the frame the quote took gives no second claim; another speaker on that report is kept (shared span)
    assert [(c.method, c.speaker) for c, _ in kept] == [("quote", "person/ross"), ("reporting-verb", "person/kim")]


def test_spans_answer_cover_and_overlap_like_a_scan() -> None:
    spans = Spans()
    for s, e in [(10, 20), (0, 100), (30, 35), (50, 51)]:
        spans.add(s, e)
    for a, b in [(5, 6), (12, 18), (99, 101), (100, 110), (34, 60)]:
        everything = [(10, 20), (0, 100), (30, 35), (50, 51)]
        assert spans.covers(a, b) == any(s <= a and b <= e for s, e in everything)
        assert spans.overlaps(a, b) == any(s < b and a < e for s, e in everything)


# "OSLO (Agency) - Prime Minister Solberg said the quota would stay." as the parser read eval/dev8's Reuters lead: the
# dateline a second subject of the verb, the real subject after the dash
DATELINE = [("OSLO", 7, "nsubj", "PROPN", "NNP", "OSLO", "B-GPE"), ("(", 0, "punct", "PUNCT", "-LRB-", "(", "O"),
            ("Agency", 0, "appos", "PROPN", "NNP", "Agency", "B-ORG"), (")", 0, "punct", "PUNCT", "-RRB-", ")", "O"),
            ("-", 0, "punct", "PUNCT", ":", "-", "O"), ("Minister", 6, "compound", "PROPN", "NNP", "Minister", "O"),
            ("Solberg", 7, "nsubj", "PROPN", "NNP", "Solberg", "B-PERSON"),
            ("said", 7, "ROOT", "VERB", "VBD", "say", "O"),
            ("the", 9, "det", "DET", "DT", "the", "O"), ("quota", 11, "nsubj", "NOUN", "NN", "quota", "O"),
            ("would", 11, "aux", "AUX", "MD", "would", "O"), ("stay", 7, "ccomp", "VERB", "VB", "stay", "O"),
            (".", 7, "punct", "PUNCT", ".", ".", "O")]


def test_a_dateline_read_as_a_second_subject_is_not_the_speaker() -> None:
    doc = parsed(DATELINE, people=("Solberg",))
    said = doc.sentences[0].span[7]
    subject = subject_of(said)
    assert subject is not None and subject.text == "Solberg"
