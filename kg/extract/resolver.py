"""The speaker resolver: proposals in, frames out, a pure stage. It reads the Document and writes nothing to it;
what the article has established so far (genders, reported spans) is an explicit :class:`Discourse`, created here,
updated in text order and returned with the frames.

For each proposal, in text order:

1. its source is resolved (:func:`kg.extract.speakers.resolve`), or, for a reporting verb without a parsed subject,
   taken from a surname the parser misread opening the sentence or the nearest name before the verb;
2. the proposal is dropped when its rule needs a speaker and none resolves (``Need.SPEAKER``), or needs one the
   article names and the words name nobody (``Need.NAMED``);
3. a kept proposal's person speaker is the last speaker (a later "he" or "she" may refer to them), unless its cue
   is inside what an earlier one reports ("Reed said [Berg was arguing for ...]. He said ..." is Reed); a proposal that
   reports (a reporting verb, a noun of saying) adds its contents to the discourse: names
   inside them are poor antecedents from now on;
4. coordinated subjects ("Norway's Solberg and Iceland's Hallsson said ...", "both mayors said") each speak: one
   frame per speaker and content span.
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract.discourse import Discourse
from kg.extract.document import Document, Sentence
from kg.extract.frames import Frame, nearby_name, subject_of, surname_misread
from kg.extract.proposers import Need, Proposal
from kg.extract.speakers import DOCUMENT_NOUNS, ORGANIZATION_NOUNS, Speaker, group_members, resolve
from kg.reference import Reference


def resolve_frames(doc: Document, proposals: list[Proposal], reference: Reference) -> tuple[list[Frame], Discourse]:
    """The frames of ``proposals`` (in their order), and the discourse state after the last of them."""
    discourse = Discourse.start(doc)
    frames: list[Frame] = []
    for p in proposals:
        frames += frames_of(doc, p, reference, discourse)
    return frames, discourse


def frames_of(doc: Document, p: Proposal, reference: Reference, discourse: Discourse) -> list[Frame]:
    """The frames of one proposal (none when it is dropped), updating ``discourse``."""
    if p.need is Need.NEARBY:
        speaker = surname_misread(doc, p.sentence, p.token) or nearby_name(doc, p.sentence, p.token)
    else:
        earlier = discourse.last_speaker
        if earlier is not None and any(span and span[0] <= earlier[1] < span[1] for span in p.contents):
            discourse.last_speaker = None  # "The president has asked ..., she said": a cue inside what this one
        speaker = resolve(doc, p.sentence, p.source, reference, discourse) if p.source is not None else None
        if discourse.last_speaker is None:  # reports is no earlier speaker
            discourse.last_speaker = earlier
    if p.need is Need.SPEAKER and speaker is None or p.need is Need.NAMED and (speaker is None or speaker.key is None):
        return []
    at = p.sentence.char(p.token)
    if speaker is not None and not _cited_by_another(p) and not discourse.in_report(at, at + len(p.token.text)):
        discourse.spoke(speaker.key, at, unnamed_person=_one_person(p.source, speaker), words=speaker.text)
    if p.reports:
        for span in p.contents:
            if span:
                discourse.report(*span)
    who: list[Speaker | None] = [speaker]
    if p.coordinated:
        who += coordinated(doc, p.sentence, p.source, speaker, reference, discourse)
    return [Frame(p.token, p.sentence, w, span, p.cue, according=p.according, method=p.method)
            for span in p.contents for w in who]


def _cited_by_another(p: Proposal) -> bool:
    """"Geng Shuang appeared to dispute Trump's claim that ...": a noun of saying in the object of a verb whose
    subject is someone else names who made the claim, but the one speaking in the sentence is that subject, so the
    claim's source does not become the last speaker ("he said" after it is not Trump)."""
    if p.method != "noun-of-saying" or p.source is None or p.token.dep_ not in ("dobj", "pobj"):
        return False
    verb = p.token.head.head if p.token.dep_ == "pobj" else p.token.head
    subject = subject_of(verb) if verb.pos_ in ("VERB", "AUX") else None
    return subject is not None and subject.i != p.source.i


def coordinated(doc: Document, sent: Sentence, subject: Token | None, first: Speaker | None,
                reference: Reference, discourse: Discourse) -> list[Speaker]:
    """"Norway's Solberg and Iceland's Hallsson said ...": the other named speakers coordinated with the subject,
    one claim each. Only names count ("Trump and aides said" gives Trump alone). "Both mayors said": the two
    holders named before."""
    if subject is None or first is None or first.key is None:
        return []
    members = group_members(doc, sent, subject, reference)
    if members:
        return [m for m in members if m.key != first.key]
    out = []
    for other in subject.conjuncts:
        if other.i == subject.i or other.i < subject.i:
            continue
        found = resolve(doc, sent, other, reference, discourse)
        if found is not None and found.key and found.how == "name" and found.key != first.key:
            out.append(found)
    return out


def _one_person(source: Token | None, speaker: Speaker) -> bool:
    """Whether an unresolved speaker is one person described, not named ("the New York Democrat", "a spokesman
    for X"): a singular noun that names no document or body."""
    return speaker.key is None and source is not None and source.tag_ in ("NN", "NNP") \
        and source.lower_ not in DOCUMENT_NOUNS and source.lower_ not in ORGANIZATION_NOUNS and speaker.how != "pronoun"
