"""Frames: a reporting verb, noun of saying or "according to" with the speaker it names and, where the parse has
one, the content it reports. Proposers (kg.extract.proposers) find the cues, the resolver (kg.extract.resolver)
turns them into frames, the arbiter (kg.extract.arbiter) gives quotes their frames and turns the frames left over
into indirect claims. This module holds the frame itself and the grammar the stages share: the subject of a
reporting verb, its cue words, and the lookups for a verb without a parsed subject.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from kg.extract.content import (
    DOUBTS,
    LEXICON,
    cue_preposition,
    fronted_content,
    reporting_lemma,
    speech_base,
    subject_read_as_object,
)
from kg.extract.document import Document, Sentence
from kg.extract.lemmas import lemma
from kg.extract.speakers import DOCUMENT_NOUNS, Speaker, people_noun
from kg.extract.trimmers import dateline_apposition, dateline_subject

_ASIDE_OPENERS = frozenset({"-", "—", "–", "--", "("})


@dataclass(frozen=True)
class Frame:
    """A reporting verb (or noun of saying, or "according to") with the speaker it names and what it reports."""

    verb: Token
    sentence: Sentence
    speaker: Speaker | None
    content: tuple[int, int] | None  # global character span of what is reported
    cue: str
    according: bool = False
    method: str = "reporting-verb"  # the rule that found the frame (the claim's method)

    @property
    def at(self) -> int:
        return self.sentence.char(self.verb)


def subject_of(verb: Token) -> Token | None:
    """The subject of a reporting verb, inherited through coordination ("expressed ... and said") and, for a
    participial clause (", saying ..."), from the reporting verb it hangs off or else the verb it modifies."""
    v = verb
    for _ in range(4):
        subjects = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass") and not dateline_subject(c)]
        swallowed = [a for c in v.children if c.dep_ == "nsubj" and (a := dateline_apposition(c)) is not None]
        if swallowed and len(subjects) == len(swallowed):  # "BIARRITZ, France – President Trump said": Trump
            return swallowed[0]
        # two subjects (a quote fronted inside the subject: "The U.S. measures "overturn ...," Wen, ..., said"):
        # the one nearest before the verb, unless it opens a dash or parenthesis aside ("Mnuchin - the first of
        # the delegation to arrive - said")
        subj = max((c for c in subjects[1:] if c.i < v.i and c.left_edge.i > 0
                    and v.doc[c.left_edge.i - 1].text not in _ASIDE_OPENERS), key=lambda c: c.i,
                   default=subjects[0] if subjects else None)
        inverted = fronted_content(v)
        if inverted is not None:  # "The impact ... hinges on ..., said Alex Wolf": Wolf, after the verb
            subj = next(c for c in subjects if c.i > v.i)
        if subj is not None and subj.dep_ == "nsubjpass" and lemma(v) not in _QUOTED_AS \
                and not perfect_read_as_passive(v):
            return _agent(v)  # "Mnuchin was warned by counterparts that ...": the counterparts; "was told": nobody
        if subj is not None:
            antecedent = relative_antecedent(subj, v)
            if antecedent is not None:  # "objections by unions and groups, who have declared ...": the groups
                return antecedent
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
        gone = went_on_to(v)
        if gone is not None:  # "Trump went as far as to say ...": the subject of "went"
            v = gone
            continue
        if v.dep_ in ("conj", "xcomp") and v.head.pos_ in ("VERB", "AUX") and v.tag_ != "VBG":
            v = v.head  # "expressed ... and said", "tried to sideline ... by urging": the subject above
            continue
        if v.tag_ == "VBG" and (v.dep_ in ("advcl", "xcomp", "conj") and v.head.pos_ in ("VERB", "AUX")
                                or v.dep_ == "pcomp" and v.head.head.pos_ in ("VERB", "AUX")):
            return _participle_subject(v)
        break
    return subject_read_as_object(verb)


def _speaking_noun(word: Token) -> bool:
    """Whether a noun can name who said something: a name of a person, body or group, or a noun of people or bodies
    ("unions", "officials", "the ministry")."""
    return word.ent_type_ in ("PERSON", "ORG", "NORP") or word.pos_ in ("NOUN", "PROPN") and people_noun(word)


def relative_antecedent(relative: Token, verb: Token) -> Token | None:
    """The one a relative "who" stands for when the parse hung its clause elsewhere: the noun phrase right before
    it ("objections by labor unions and consumer groups, who said ..." is the unions and groups, not the objections;
    a "who" the parser made the subject of a complement clause, likewise). "who" names people, so a noun that can
    speak before it wins over a head that cannot; None when the parse's own head is that noun or one that can
    speak, or when no such noun stands right before."""
    if relative.lower_ != "who" or relative.i == 0:
        return None
    before = relative.doc[relative.i - 1]
    if before.text == "," and before.i > 0:
        before = relative.doc[before.i - 1]
    while before.dep_ in ("conj", "compound") and before.head.i < before.i or before.dep_ == "compound":
        before = before.head
    if before.pos_ not in ("NOUN", "PROPN") or not _speaking_noun(before):
        return None
    head = verb.head if verb.dep_ == "relcl" else None
    if head is not None and (head.i == before.i or _speaking_noun(head)):
        return None
    return before


def absolute_subject(participle: Token) -> Token | None:
    """"..., with MPs from all sides complaining that ...": a participle of saying in an absolute "with" phrase, which
    the parser hung on the last noun of that phrase ("sides"), speaks for the object of "with" when it is a noun that
    can speak (a name, or a noun of people or bodies); None otherwise."""
    if participle.dep_ != "acl" or participle.tag_ != "VBG":
        return None
    noun = participle.head
    while noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.lower_ != "with" \
            and noun.head.head.pos_ in ("NOUN", "PROPN"):
        noun = noun.head.head  # "MPs from all sides": up to "MPs"
    if noun.dep_ != "pobj" or noun.head.lower_ != "with" or not _speaking_noun(noun):
        return None
    return noun


def document_issuer(participle: Token) -> Token | None:
    """"Trump's trade representatives presented Chinese officials with a list of demands including a document
    asking ...", "Leaders of the TPP nations met Monday and issued a statement saying ...": a participle of saying
    on a document introduced ("a", "an") in the object of a verb, through its prepositions, speaks for that verb's
    subject (of the verb it is coordinated with); None when there is none."""
    document = participle.head
    if participle.dep_ != "acl" or participle.tag_ != "VBG" or document.lower_ not in DOCUMENT_NOUNS \
            or not any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in document.children):
        return None
    verb = document
    while verb.pos_ != "VERB" and verb.dep_ in ("pobj", "prep", "dobj", "dative") and verb.head.i != verb.i \
            or verb.tag_ == "VBG" and verb.dep_ == "prep":
        verb = verb.head
    while verb.pos_ == "VERB" and verb.dep_ == "conj" and not any(c.dep_ == "nsubj" for c in verb.children):
        verb = verb.head
    if verb.pos_ != "VERB" or verb.i == document.i:
        return None
    return next((c for c in verb.children if c.dep_ == "nsubj"), None)


_QUOTED_AS = frozenset({"quote", "cite"})  # "Trump was quoted as saying ...": the subject spoke


def passive_unsaid(verb: Token) -> bool:
    """A passive reporting verb with no agent ("was told that ...", "it was reported that ..."): it names no speaker,
    and no name nearby is one."""
    return any(c.dep_ == "nsubjpass" for c in verb.children) and lemma(verb) not in _QUOTED_AS \
        and not perfect_read_as_passive(verb) \
        and _agent(verb) is None


def inference_on_passive(participle: Token) -> bool:
    """"Mr. Liu wasn't given the title of envoy, suggesting he may not have the power ...": a participle of saying
    after a comma on a passive verb with no agent that reports nothing is the writer's inference from what was
    done; the one it was done to is no speaker, and no name nearby is one ("Trump was asked ..., saying ..." still
    has the one asked)."""
    head = participle.head
    return participle.tag_ == "VBG" and participle.dep_ == "advcl" and head.i < participle.i \
        and head.pos_ in ("VERB", "AUX") and not reporting_lemma(head) and passive_unsaid(head)


def perfect_read_as_passive(verb: Token) -> bool:
    """"He's expressed concern that ...", "She's said the deal is dead": a contracted "'s" right before a past
    participle, read by the parser as a passive "is", while the verb has an object or a clause after it, which a
    passive would not (a verb of telling needs its object: "he's told that ..." stays a passive): it is "has"."""
    auxes = [c for c in verb.children if c.dep_ == "auxpass"]
    if len(auxes) != 1 or auxes[0].lower_ not in ("'s", "’s") \
            or any(not t.dep_ == "advmod" for t in verb.doc[auxes[0].i + 1:verb.i]):
        return False
    wanted = ("dobj",) if speech_base(verb) in LEXICON.telling_verbs else ("dobj", "ccomp")
    return any(c.dep_ in wanted and c.i > verb.i for c in verb.children)


def _agent(verb: Token) -> Token | None:
    """The speaker of a passive reporting verb: its agent ("warned [by counterparts]"); the passive subject is who was
    told or what was said, never the speaker."""
    return next((o for c in verb.children if c.dep_ == "agent" for o in c.children if o.dep_ == "pobj"), None)


def _participle_subject(participle: Token) -> Token | None:
    """", saying ...": the subject of the nearest reporting verb above the participle ("Ross denied the move was
    protectionist, saying ..."), else of the verb it modifies ("promised to renegotiate NAFTA, saying ...")."""
    means = participle.head.head if participle.dep_ == "pcomp" and participle.head.lower_ == "by" else None
    if means is not None and means.pos_ == "VERB" and any(c.dep_ == "nsubj" for c in means.children):
        return subject_of(means)  # "urged the mayor to wait after she surprised the council by announcing ...": she
    for above in participle.ancestors:
        if reporting_lemma(above) and above.pos_ == "VERB" and above.tag_ != "VBG":
            subj = subject_of(above)
            if subj is not None:
                return subj
    head = participle.head.head if participle.dep_ == "pcomp" else participle.head  # "tried to ... by urging"
    while head.tag_ == "VBG" and head.dep_ == "prep" and head.head.i != head.i:
        head = head.head  # "used the summit to advance his agenda, including by announcing ...": "advance"
    return subject_of(head) if head.i != participle.i else None


def cue_words(verb: Token, subject: Token | None) -> str:
    """The words of the cue: auxiliaries and negation before the verb, a particle, "clear" or the preposition that
    opens its frame ("pointed to"), and a pronoun subject right by it ("he said")."""
    words = [c for c in verb.children if c.dep_ in ("aux", "neg") and c.i < verb.i] + [verb]
    words += [c for c in verb.children if c.dep_ == "prt" or c.i == verb.i + 1 and (
        c.lower_ == "clear" or c.lower_ in DOUBTS or c.dep_ == "prep" and cue_preposition(verb, c))]
    if subject is not None and subject.pos_ == "PRON" and abs(subject.i - verb.i) <= 2:
        words.append(subject)
    return " ".join(t.text for t in sorted(words, key=lambda t: t.i))


def inverted_subject(doc: Document, sent: Sentence, word: Token) -> Token | None:
    """"Said Trump: "..."", "Added Ross, "..."": a sentence opening with a reporting verb, then a name and a colon
    or comma before a quote. Returns the last word of the name, or None."""
    if word.i != sent.span.start or word.lower_ not in LEXICON.inverted_forms or not word.text[:1].isupper():
        return None
    mention = doc.mention_at(sent, word.nbor()) if word.i + 1 < sent.span.end else None
    if mention is None or mention.type == "Country":
        return None
    after = doc.text[mention.end:mention.end + 3].lstrip()
    return sent.span.doc[mention.tokens[1] - 1] if after[:1] in (":", ",") else None


def surname_misread(doc: Document, sent: Sentence, verb: Token) -> Speaker | None:
    """"May also told ...": a surname the parser read as another word (a modal, a month) opening the sentence and
    attached to the verb, when the article has named the person in full ("Theresa May")."""
    first = sent.span[0]
    key = doc.surnames.get(first.text)
    if key is None or first.i == verb.i or first.head.i != verb.i or first.nbor().like_num:
        return None
    return Speaker(key, first.text, 0.7, "name")




def infinitive(verb: Token) -> bool:
    """"(wants|plans|is expected) to say", "can say", "will announce": an intended or possible statement, not a
    report of one ("would say" stays: narration uses it for the past)."""
    return verb.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ in LEXICON.hypothetical for c in verb.children) \
        and went_on_to(verb) is None


def went_on_to(verb: Token) -> Token | None:
    """"went on to say", "went as far as to say", "went so far as to claim": an infinitive after "go on" or "go
    (as|so) far as" reports what was said; returns that "go", whose subject speaks."""
    head = verb.head
    if verb.dep_ in ("advcl", "xcomp") and head.lower_ == "far" and head.dep_ == "advmod":
        head = head.head  # "went [as far] as to say": the parser hangs the infinitive on "far"
    if head.i == verb.i or head.pos_ != "VERB" or lemma(head) != "go" or verb.dep_ not in ("advcl", "xcomp"):
        return None
    if any(c.dep_ == "prt" and c.lower_ == "on" for c in head.children) or any(
            c.lower_ == "far" and c.dep_ == "advmod" for c in head.children):
        return head
    return None


def nearby_name(doc: Document, sent: Sentence, verb: Token) -> Speaker | None:
    """No parsed subject: the nearest person or organisation named before the verb in the sentence, outside quotes."""
    tokens = sent.span.doc
    # a name governed by a preposition is where or how something was said ("on Twitter"), not who said it
    names = [m for m in doc.mentions_between(sent.start, sent.char(verb))
             if m.type != "Country" and not doc.in_quote(m.start, m.end)
             and tokens[m.tokens[1] - 1].dep_ != "pobj"]
    if names:
        return Speaker(names[-1].key, names[-1].text, 0.8 * names[-1].confidence, "name")
    return None
