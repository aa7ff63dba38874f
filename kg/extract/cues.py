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
    return None


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
