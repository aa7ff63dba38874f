"""The ``raised-report`` rule (kg/extract/raising.py), on hand-built parses: a reporting verb in an infinitive under
a verb of seeming or going on reports what its subject said ("Ross appeared to suggest that Lee had lied"), one of
the PolNeAR miss classes of docs/extraction.md ("PolNeAR: where the misses are"); an intended, negated or
hypothetical statement does not."""

from __future__ import annotations

from kg.extract.lexicon import load_lexicon
from kg.extract.proposers import PROPOSERS, Need, propose, reporting_verb
from kg.extract.raising import raised_report
from kg.extract.resolver import resolve_frames
from tests.test_extract_stages import NOBODY, Row, parsed


def _raised(head: str, head_lemma: str, *, verb: str = "suggest", verb_lemma: str = "suggest",
            before: tuple[Row, ...] = ()) -> list[Row]:
    """"Ross [before] HEAD to VERB that Lee had lied .", the words ``before`` hanging on HEAD (their head index is
    ignored)."""
    k = len(before)
    return [("Ross", 1 + k, "nsubj", "PROPN", "NNP", "Ross", "B-PERSON"), *((r[0], 1 + k, *r[2:]) for r in before),
            (head, 1 + k, "ROOT", "VERB", "VBD", head_lemma, "O"), ("to", 3 + k, "aux", "PART", "TO", "to", "O"),
            (verb, 1 + k, "xcomp", "VERB", "VB", verb_lemma, "O"), ("that", 7 + k, "mark", "SCONJ", "IN", "that", "O"),
            ("Lee", 7 + k, "nsubj", "PROPN", "NNP", "Lee", "B-PERSON"),
            ("had", 7 + k, "aux", "AUX", "VBD", "have", "O"),
            ("lied", 3 + k, "ccomp", "VERB", "VBN", "lie", "O"), (".", 1 + k, "punct", "PUNCT", ".", ".", "O")]


def test_an_infinitive_under_appear_reports_its_clause_for_the_subject_of_appear() -> None:
    doc = parsed(_raised("appeared", "appear"), people=("Ross", "Lee"))
    sent = doc.sentences[0]
    assert reporting_verb(doc, sent, sent.span[3]) is None  # the plain rule leaves every "to" infinitive alone
    p = raised_report(doc, sent, sent.span[3])
    assert p is not None and p.method == "raised-report" and p.need is Need.SPEAKER
    assert p.source is not None and p.source.text == "Ross" and p.cue == "appeared to suggest"
    assert [doc.text[s:e] for s, e in p.contents if s is not None] == ["Lee had lied"]
    frames, _ = resolve_frames(doc, propose(doc), NOBODY)
    assert [(f.speaker.key if f.speaker else None, f.method) for f in frames] == [("person/ross", "raised-report")]


def test_every_raising_verb_of_the_lexicon_and_a_continued_insistence_report() -> None:
    assert {"appear", "seem", "continue"} <= load_lexicon().raising_verbs
    doc = parsed(_raised("continues", "continue", verb="insist", verb_lemma="insist"), people=("Ross", "Lee"))
    p = raised_report(doc, doc.sentences[0], doc.sentences[0].span[3])
    assert p is not None and [doc.text[s:e] for s, e in p.contents if s is not None] == ["Lee had lied"]


def test_an_intention_a_negation_or_a_hypothetical_raising_verb_reports_nothing() -> None:
    wants = parsed(_raised("wanted", "want"), people=("Ross", "Lee"))  # an intention, not a raising verb
    assert raised_report(wants, wants.sentences[0], wants.sentences[0].span[3]) is None
    assert not [f for f in resolve_frames(wants, propose(wants), NOBODY)[0]]
    neg = ("not", 2, "neg", "PART", "RB", "not", "O")
    negated = parsed(_raised("appear", "appear", before=(("did", 2, "aux", "AUX", "VBD", "do", "O"), neg)),
                     people=("Ross", "Lee"))
    assert raised_report(negated, negated.sentences[0], negated.sentences[0].span[5]) is None
    will = parsed(_raised("continue", "continue", before=(("will", 2, "aux", "AUX", "MD", "will", "O"),)),
                  people=("Ross", "Lee"))
    assert raised_report(will, will.sentences[0], will.sentences[0].span[4]) is None


def test_the_rule_is_registered_before_the_plain_reporting_verb() -> None:
    assert PROPOSERS.index(raised_report) < PROPOSERS.index(reporting_verb)


def test_a_content_holding_someone_elses_report_is_not_the_raised_verbs() -> None:
    """"Ross appeared to confirm what Lee said": Lee's report is the claim, not Ross's."""
    rows: list[Row] = [("Ross", 1, "nsubj", "PROPN", "NNP", "Ross", "B-PERSON"),
                       ("appeared", 1, "ROOT", "VERB", "VBD", "appear", "O"), ("to", 3, "aux", "PART", "TO", "to", "O"),
                       ("confirm", 1, "xcomp", "VERB", "VB", "confirm", "O"),
                       ("what", 6, "dobj", "PRON", "WP", "what", "O"), ("Lee", 6, "nsubj", "PROPN", "NNP", "Lee", "O"),
                       ("said", 3, "ccomp", "VERB", "VBD", "say", "O"), (".", 1, "punct", "PUNCT", ".", ".", "O")]
    doc = parsed(rows, people=("Ross", "Lee"))
    sent = doc.sentences[0]
    assert reporting_verb(doc, sent, sent.span[3]) is None
    assert raised_report(doc, sent, sent.span[3]) is None
