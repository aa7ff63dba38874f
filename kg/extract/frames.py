"""Frames: every reporting verb, noun of saying or "according to" of an article, with the speaker its subject names
and, where the parse has one, the content it reports (kg.extract.content). Attribution (kg.extract.attribution)
then gives quotes their frames and turns the frames left over into indirect claims.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from kg.extract.content import (
    DOUBTS,
    LEXICON,
    TRIM_LEFT,
    TRIM_RIGHT,
    content_of,
    cue_preposition,
    further_contents,
    noun_content,
    reporting_lemma,
    saying_noun,
    speech_base,
)
from kg.extract.document import Document, Sentence
from kg.extract.lemmas import lemma
from kg.extract.speakers import Speaker, group_members, resolve
from kg.reference import Reference


@dataclass
class Frame:
    """A reporting verb (or noun of saying, or "according to") with the speaker it names and what it reports."""

    verb: Token
    sentence: Sentence
    speaker: Speaker | None
    content: tuple[int, int] | None  # global character span of what is reported
    cue: str
    according: bool = False
    used: bool = False
    method: str = "reporting-verb"  # the rule that found the frame (the claim's method)

    @property
    def at(self) -> int:
        return self.sentence.char(self.verb)


def subject_of(verb: Token) -> Token | None:
    """The subject of a reporting verb, inherited through coordination ("expressed ... and said") and, for a
    participial clause (", saying ..."), from the reporting verb it hangs off or else the verb it modifies."""
    v = verb
    for _ in range(4):
        subj = next((c for c in v.children if c.dep_ in ("nsubj", "nsubjpass") and c.dep_ != "expl"), None)
        if subj is not None:
            if subj.lower_ in ("who", "that") and v.dep_ == "relcl":
                head = v.head  # "Jeremy Hunt, Britain's foreign minister who has warned ...": Hunt
                while head.dep_ == "appos" and head.head.i != head.i:
                    head = head.head
                return head
            return subj
        if v.dep_ == "conj" and v.head.dep_ == "ccomp" and reporting_lemma(v) and reporting_lemma(v.head.head) \
                and v.head.head.dep_ == "ROOT" and v.head.head.i < v.head.left_edge.i:
            v = v.head.head  # "said Kovacs had misled the committee and accused him of ...": the one who said
            continue
        if v.dep_ in ("conj", "xcomp") and v.head.pos_ in ("VERB", "AUX") and v.tag_ != "VBG":
            v = v.head  # "expressed ... and said", "tried to sideline ... by urging": the subject above
            continue
        if v.tag_ == "VBG" and (v.dep_ in ("advcl", "xcomp", "conj") and v.head.pos_ in ("VERB", "AUX")
                                or v.dep_ == "pcomp" and v.head.head.pos_ in ("VERB", "AUX")):
            return _participle_subject(v)
        break
    return None


def _participle_subject(participle: Token) -> Token | None:
    """", saying ...": the subject of the nearest reporting verb above the participle ("Ross denied the move was
    protectionist, saying ..."), else of the verb it modifies ("promised to renegotiate NAFTA, saying ...")."""
    for above in participle.ancestors:
        if reporting_lemma(above) and above.pos_ == "VERB" and above.tag_ != "VBG":
            subj = subject_of(above)
            if subj is not None:
                return subj
    head = participle.head.head if participle.dep_ == "pcomp" else participle.head  # "tried to ... by urging"
    return subject_of(head) if head.i != participle.i else None


def _cue(verb: Token, subject: Token | None) -> str:
    words = [c for c in verb.children if c.dep_ in ("aux", "neg") and c.i < verb.i] + [verb]
    words += [c for c in verb.children if c.dep_ == "prt" or c.i == verb.i + 1 and (
        c.lower_ == "clear" or c.lower_ in DOUBTS or c.dep_ == "prep" and cue_preposition(verb, c))]
    if subject is not None and subject.pos_ == "PRON" and abs(subject.i - verb.i) <= 2:
        words.append(subject)
    return " ".join(t.text for t in sorted(words, key=lambda t: t.i))


def find_frames(doc: Document, reference: Reference) -> list[Frame]:
    """Every reporting verb outside quotes, with its resolved speaker and content."""
    frames = []
    for sent in doc.sentences:
        if sent.heading:
            continue
        for t in sent.span:
            if t.lower_ == "according":
                frame = _according(doc, sent, t, reference)
                if frame:
                    frames.append(frame)
                continue
            clause = saying_noun(t)
            if clause is not None and not doc.in_quote(sent.char(t), sent.char_end(t)):
                frame = _noun_frame(doc, sent, t, clause, reference)
                if frame:
                    frames.append(frame)
                continue
            inverted = _inverted(doc, sent, t)
            if inverted is not None:
                frames.append(Frame(t, sent, resolve(doc, sent, inverted, reference), None, f"{t.text}",
                                    method="inverted-cue"))
                continue
            base = speech_base(t)
            if base is None or t.dep_ == "amod" or t.dep_ == "acl" and t.tag_ == "VBN" or _infinitive(t) \
                    or any(c.dep_ == "neg" for c in t.children) or doc.in_quote(sent.char(t), sent.char_end(t)):
                continue  # "a widely criticized method", "the visit, promised by May", "wants to make clear"
            subject = subject_of(t)
            speaker = resolve(doc, sent, subject, reference) if subject is not None else \
                _surname_misread(doc, sent, t) or _nearby(doc, sent, t)
            if subject is not None and speaker is None:
                continue
            content = content_of(sent, t, base)
            more = further_contents(sent, t)
            doc.reported += [span for span in (content, *more) if span]
            cue = _cue(t, subject)
            method = "participial" if t.tag_ == "VBG" else "reporting-verb"
            frames += [Frame(t, sent, who, span, cue, method=method) for span in (content, *more)
                       for who in (speaker, *_coordinated(doc, sent, subject, speaker, reference))]
    return frames


def _coordinated(doc: Document, sent: Sentence, subject: Token | None, first: Speaker | None,
                 reference: Reference) -> list[Speaker]:
    """"Norway's Solberg and Iceland's Hallsson said ...": the other named speakers coordinated with the subject,
    one claim each. Only names count ("Trump and aides said" gives Trump alone)."""
    if subject is None or first is None or first.key is None:
        return []
    members = group_members(doc, sent, subject, reference)
    if members:  # "Both mayors said": the two named before
        return [m for m in members if m.key != first.key]
    out = []
    for other in subject.conjuncts:
        if other.i == subject.i or other.i < subject.i:
            continue
        found = resolve(doc, sent, other, reference)
        if found is not None and found.key and found.how == "name" and found.key != first.key:
            out.append(found)
    return out


def _noun_frame(doc: Document, sent: Sentence, noun: Token, clause: Token, reference: Reference) -> Frame | None:
    """"White House warnings that ...", "his claim that ...", "a warning from Ross that ...", "Ross repeated the
    claim that ...": the source is the possessor, a name before the noun, the object of "from"/"by", or the
    subject of a verb issuing the statement; without one there is no frame."""
    source = next((c for c in noun.children if c.dep_ in ("poss", "compound") and c.i < noun.i), None)
    if source is None:
        prep = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ in ("from", "by")), None)
        after = noun.doc[noun.i + 1] if noun.i + 1 < len(noun.doc) else None
        if prep is None and after is not None and after.dep_ == "prep" and after.lower_ in ("from", "by"):
            prep = after  # "complaints from X that ...", the parser hung "from X" on the verb
        source = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
    if source is None and noun.dep_ == "dobj" and lemma(noun.head) in LEXICON.issuing_verbs:
        source = subject_of(noun.head)
    if source is None:
        return None
    speaker = resolve(doc, sent, source, reference)
    if speaker is None or speaker.key is None:
        return None
    content = noun_content(sent, noun, clause)
    if content:
        doc.reported.append(content)
    return Frame(noun, sent, speaker, content, noun.text, method="noun-of-saying")




def _inverted(doc: Document, sent: Sentence, word: Token) -> Token | None:
    """"Said Trump: "..."", "Added Ross, "..."": a sentence opening with a reporting verb, then a name and a colon
    or comma before a quote. Returns the last word of the name, or None."""
    if word.i != sent.span.start or word.lower_ not in LEXICON.inverted_forms or not word.text[:1].isupper():
        return None
    mention = doc.mention_at(sent, word.nbor()) if word.i + 1 < sent.span.end else None
    if mention is None or mention.type == "Country":
        return None
    after = doc.text[mention.end:mention.end + 3].lstrip()
    return sent.span.doc[mention.tokens[1] - 1] if after[:1] in (":", ",") else None


def _surname_misread(doc: Document, sent: Sentence, verb: Token) -> Speaker | None:
    """"May also told ...": a surname the parser read as another word (a modal, a month) opening the sentence and
    attached to the verb, when the article has named the person in full ("Theresa May")."""
    first = sent.span[0]
    key = doc.surnames.get(first.text)
    if key is None or first.i == verb.i or first.head.i != verb.i or first.nbor().like_num:
        return None
    return Speaker(key, first.text, 0.7, "name")




def _infinitive(verb: Token) -> bool:
    """"(wants|plans|is expected) to say", "can say", "will announce": an intended or possible statement, not a
    report of one ("would say" stays: narration uses it for the past)."""
    return verb.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ in LEXICON.hypothetical for c in verb.children)


def _nearby(doc: Document, sent: Sentence, verb: Token) -> Speaker | None:
    """No parsed subject: the nearest person or organisation named before the verb in the sentence, outside quotes."""
    tokens = sent.span.doc
    # a name governed by a preposition is where or how something was said ("on Twitter"), not who said it
    names = [m for m in doc.mentions_between(sent.start, sent.char(verb))
             if m.type != "Country" and not doc.in_quote(m.start, m.end)
             and tokens[m.tokens[1] - 1].dep_ != "pobj"]
    if names:
        return Speaker(names[-1].key, names[-1].text, 0.8 * names[-1].confidence, "name")
    return None


def _according(doc: Document, sent: Sentence, word: Token, reference: Reference) -> Frame | None:
    """"..., according to Ross": the source is the object of "to"; the content the rest of the sentence."""
    to = next((c for c in word.children if c.lower_ == "to"), None)
    source = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
    if source is None:
        return None
    speaker = resolve(doc, sent, source, reference)
    if speaker is None:
        return None
    left, right = word.left_edge.i, max(t.i for t in word.subtree)
    toks = sent.span
    if left - toks.start > right - left:  # the phrase follows the content
        content = [t for t in toks if t.i < left]
    else:
        content = [t for t in toks if t.i > right]
    while content and (content[0].text in TRIM_LEFT or content[0].is_space or content[0].is_punct):
        content = content[1:]
    while content and (content[-1].text in TRIM_RIGHT or content[-1].is_space or content[-1].is_punct):
        content = content[:-1]
    span = (sent.char(content[0]), sent.char_end(content[-1])) if len(content) >= 3 else None
    return Frame(word, sent, speaker, span, "according to", according=True, method="according-to")
