"""Reporting cues: which words report speech, by their lemma in the lexicon ("stresses" -> "stress", "made
[clear]" -> "make clear", "labelled X Y" -> "call"). Shared by the proposers (kg.extract.proposers), the content
spans (kg.extract.content) and the trimmers (kg.extract.trimmers)."""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract.lemmas import lemma
from kg.extract.lexicon import load_lexicon

LEXICON = load_lexicon()
DOUBTS = LEXICON.doubt_nouns


def reporting_lemma(token: Token) -> str | None:
    """The lemma of ``token`` when it is a reporting verb of the lexicon ("stresses" -> "stress"), else None."""
    found = lemma(token)
    return found if found in LEXICON.reporting_verbs else None


def speech_base(verb: Token) -> str | None:
    """The reporting verb or phrase ``verb`` heads, by its lemma ("said" -> "say", "made [clear]" -> "make clear",
    "pointed [to|out]" -> "point", "labelled X Y" -> "call"), or None."""
    if verb.pos_ != "VERB":
        return None
    base = reporting_lemma(verb)
    if base == "point":
        return base if any(c.dep_ in ("prt", "prep") and c.lower_ in ("out", "to") for c in verb.children) else None
    if base is not None:
        return base
    verb_lemma = lemma(verb)
    if verb_lemma in LEXICON.naming_verbs:  # "called X Y", "called for X", "called on X to Y"; not "called him"
        return "call" if any(c.dep_ == "oprd" or c.dep_ in ("prep", "mark") and c.lower_ in ("for", "on")
                             and c.i == verb.i + 1 or c.dep_ == "dobj" and quoted_apposition(c)
                             for c in verb.children) or _calls_for_clause(verb) else None
    if verb_lemma in LEXICON.showing_verbs:  # "studies show ...", "the data showed ...": a document's finding
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        return "show" if subject is not None and subject.lower_ in LEXICON.finding_nouns else None
    word, phrase = LEXICON.phrases.get(verb_lemma, ("-", ""))
    if phrase and word in DOUBTS:  # "raised doubts about ..."
        return phrase if any(c.dep_ == "dobj" and c.lower_ in DOUBTS for c in verb.children) else None
    if phrase and any(c.lower_ == word and c.dep_ in ("ccomp", "acomp", "oprd", "advmod") for c in verb.children):
        return phrase
    if frame_only(verb_lemma) and any(frame_heads(verb, pattern) for pattern in LEXICON.frames[verb_lemma]):
        return verb_lemma  # "denounced [the deal as a sellout]", "hit [Clinton for backing ...]"
    return None


def frame_only(base: str) -> bool:
    """Whether ``base`` reports only through its frames (verbs.json: in 'frames' and in no other list of reporting
    verbs: "denounce X as Y", "praise X as Y", "hit X for Y-ing"): no clause, no object, no quote outside them."""
    return base in LEXICON.frames and base not in LEXICON.reporting_verbs and base not in LEXICON.naming_verbs \
        and base not in LEXICON.showing_verbs and base not in LEXICON.phrases


def _calls_for_clause(verb: Token) -> bool:
    """"called for [regulators to stop ...]", "called for [the deal to be rejected]": "for" right after the verb
    is the mark of a clause the parser hung on it, not a child of the verb itself."""
    after = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
    return after is not None and after.lower_ == "for" and after.dep_ == "mark" and after.head.dep_ == "advcl" \
        and after.head.head.i == verb.i


def quoted_apposition(noun: Token) -> Token | None:
    """"called the decision "a disgrace"": the parser's apposition to the object that opens with a quotation mark."""
    return next((c for c in noun.children if c.dep_ == "appos" and c.i > noun.i
                 and noun.doc[c.left_edge.i - 1].is_quote), None) if noun.i + 1 < len(noun.doc) else None


def frame_heads(verb: Token, pattern: tuple[tuple[str, str], ...]) -> list[Token] | None:
    """The children of ``verb`` that fill ``pattern``, with a preposition's object standing for a bare "to"
    ("pointed to [limits]", "refers to [trade deals] as ..."), or None when one is missing. A word "for:VBG" is the
    preposition "for" with a gerund after it ("hit [Clinton for backing ...]")."""
    heads: list[Token] = []
    for n, (dep, word) in enumerate(pattern):
        word, _, tag = word.partition(":")
        child = next((c for c in verb.children if c.dep_ == dep and (word in ("", "!") or c.lower_ == word)
                      and c.i > verb.i and (not tag or any(o.tag_ == tag for o in c.children))), None)
        if child is None:
            return None
        if heads and frame_only(lemma(verb)) \
                and any(t.text == "," for t in verb.doc[heads[-1].right_edge.i + 1:child.i]):
            return None  # "praised the pact in the past but, as a candidate, ...": "as" is not the frame's
        if word == "!":  # required, but not what was said: "asked [the board] to reconsider"
            continue
        if dep == "prep" and n == 0:  # the preposition right after the verb is part of the cue, not the content
            objects = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
            if not objects:
                return None
            heads.extend(objects)
        else:
            heads.append(child)
    return heads
