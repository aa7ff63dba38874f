"""The ``raised-report`` proposer: a reporting verb in an infinitive under a verb of seeming or of going on
("Trump appeared to suggest that ...", "Ross seemed to acknowledge that ...", "the nominee continues to insist
that ...", "Stumpf appeared to blame workers for ..."). Such an infinitive reports a statement made, hedged or
repeated; it is not the intended or possible statement ("wants to say", "will announce") the ``reporting-verb``
rule leaves out (kg.extract.frames.infinitive). The verbs are ``raising`` in ``lexicon/verbs.json``.

The source is the subject of the raising verb; the content is read as for any reporting verb (content clause,
plan, object or non-clausal frame: kg.extract.content). Nothing is proposed when either verb is negated ("did not
appear to say"), the raising verb is itself hypothetical ("will continue to say", "may seem to suggest"), the
statement is withheld ("refused to continue to say"), the cue is inside a quote, no subject is parsed (a speaker
is never guessed), or the content holds a report of someone else's ("appeared to confirm what earlier reports
suggested: ...").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Token

from kg.extract.content import LEXICON, content_of, further_contents, speech_base
from kg.extract.document import Document, Sentence
from kg.extract.frames import subject_of
from kg.extract.lemmas import lemma

if TYPE_CHECKING:
    from kg.extract.proposers import Proposal


def raising_head(verb: Token) -> Token | None:
    """The verb of seeming or going on whose ``to``-infinitive ``verb`` is ("appeared [to suggest]"), or None."""
    head = verb.head
    if verb.dep_ != "xcomp" or verb.tag_ != "VB" or head.i == verb.i or head.pos_ not in ("VERB", "AUX") \
            or not any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return None
    return head if lemma(head) in LEXICON.raising_verbs else None


def relays(sent: Sentence, verb: Token, span: tuple[int, int]) -> bool:
    """Whether the content ``span`` of ``verb`` holds a report of its own, a reporting verb with a subject ("Navarro
    appeared to confirm [what earlier reports suggested: that ...]"): that inner report is the claim, and the words
    are not the raised verb's subject's."""
    return any(t.i != verb.i and sent.char(t) >= span[0] and sent.char_end(t) <= span[1] and t.pos_ == "VERB"
               and speech_base(t) is not None and subject_of(t) is not None for t in sent.span)


def raised_report(doc: Document, sent: Sentence, verb: Token) -> Proposal | None:
    """"X appeared to suggest that Y": the report of ``verb``, its source the subject of the raising verb."""
    from kg.extract.proposers import Need, Proposal, withheld  # kg.extract.proposers registers this rule

    head = raising_head(verb)
    if head is None:
        return None
    base = speech_base(verb)
    if base is None or any(c.dep_ == "neg" for c in (*verb.children, *head.children)) \
            or any(c.dep_ == "aux" and c.lower_ in LEXICON.hypothetical for c in head.children) \
            or doc.in_quote(sent.char(verb), sent.char_end(verb)) or withheld(head):
        return None
    subject = subject_of(head)
    if subject is None:
        return None
    contents = (content_of(sent, verb, base), *further_contents(sent, verb))
    if any(span and relays(sent, verb, span) for span in contents):
        return None
    return Proposal("raised-report", verb, sent, subject, contents, f"{head.text} to {verb.text}", Need.SPEAKER,
                    reports=True, coordinated=True)
