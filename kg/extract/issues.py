"""Issues a claim is about, from the SKOS taxonomy ``ontology/issues.ttl`` (the single source of the cues).

The rules (docs/extraction.md, "Issues"):

* **Whole words.** Cues are word sequences matched token by token, case-insensitively (``cg:caseSensitiveCue``
  as written), a plural token also matching a singular cue ("tariffs" ~ "tariff"); "care" is not "car". A cue
  word with an ending ("negotiate", "retaliated") matches the other inflections of its stem ("negotiates").
* **Spelling.** "-ise" reads as "-ize" (in cues and text); square brackets, a writer's insertion, join a phrase.
* **Senses.** A cue overlapping one of its issue's ``cg:notCue`` phrases at its first word does not count
  ("union" in "European Union", "House" in "White House", "deal" in "to deal with"); a portfolio before an
  office word ("Environment Secretary") names the office, not the issue.
* **Content, not attribution.** Cues are read in the claim's text. Its sentence is read too only when the claim
  is a quoted fragment (kind ``mixed``) or refers back ("it", "this", "they"), and then without the speaker's
  words, the names of people and the posts the article gives them ("Senate Finance Chairman"); likewise when the
  claim's subject stands outside it ("[that]'s what he wants").
* **Context.** Generic cues (``cg:contextCue``: "talks", "deal", "vote", "steel", "deadline") count only in
  context: with the issues of their ``cg:cueContext`` in the claim ("steel" with tariffs, "vote" with an
  agreement), or, without one, where the claim is about trade and names no other subject of negotiation
  (``cg:nonTradeCue``: "nuclear", "migration"), so Iran or migration talks are not trade negotiations.
* **Reference.** A claim that refers to something by a definite noun phrase that names no issue ("this move",
  "the list", "these bills") is about the article's subject: the issues of its headline (or its agreement), which
  is also the context its procedure cues need ("the bill ... for a vote": ratification), not a kind of the subject.
* **Article topics as context.** A context cue also counts where the article's topic is the context it needs
  ("the vote" in an article about fast-track authority), and so does one of the topic's siblings under its broader
  issue ("to retaliate" in an article about the steel tariffs); a claim's own answer ("vowed to retaliate") in an
  article whose headline is about tariffs (not the trade war alone) answers those tariffs.
* **Named talks.** Generic agreement and negotiation cues are about a named agreement (``cg:namedAgreement``)
  when the claim names one, or the parties of one (``cg:partyCue``: "talks with Beijing"), or else the article
  is about one; only where none applies are they the broad "trade negotiations". Agreements in general (a plural
  or a quantifier: "trade deals", "any agreement") are never the article's agreement.
* **Agreements in general.** A claim about fast-track authority speaks of agreements in general; a quoted fragment
  in an article about a named agreement reads the timeline cues of its clause as that agreement's; a writer's
  relative clause (", which ...") in a reported claim is not its content.
* **Trade flows.** Export and import words are the trade balance only where no tariff, market access, economic
  effect, security or sanction is found (of which they are then the object); a cue after "non-" is negated.
* **Procedure.** A legislature named alone is no ratification; a vote on the article's agreement that lies outside
  trade agreements (Brexit), or ratifying it, is that agreement; a fragment in a relative clause reads the noun it
  hangs on.
* **Dates and framing.** "@month" in a cue stands for a month's name ("leave on 31 October" is a timeline beside an
  agreement); a reported claim's closing ", extending a trade war" is the writer's; a country named as a venue
  ("in Japan") is no party to the talks.
* **Sanctions on a company.** A name the article puts under sanctions ("the ban on ZTE", twice) is sanctions
  evidence where a claim names it, and the deal beside it is the company's settlement, not a trade agreement;
  another country's "retaliatory steel tariffs" are retaliatory tariffs, not the steel tariffs.
* **Talks outside trade.** An article a fifth of whose paragraphs name a subject outside trade (the migration talks
  with Mexico), or whose headline names one and nothing of trade (climate talks), has no agreement of its own, and
  its generic negotiation cues need trade named in the claim; in any claim, generic agreement and negotiation cues
  beside such a subject are about it. A text that lost its paragraph
  breaks is counted by its sentences. A reported claim's closing "amid fears of ..." is the writer's setting; the
  verb forms of sanctions cues take their target at once ("banning Huawei").
* **Meetings and bills.** A meeting or summit with a party of a named agreement ("a summit with Xi"), or talking to
  one, is a round of its talks; a bill's noun ("the measure") in an article whose topic is a bill (fast track)
  refers to that bill; an agreement named "in the Senate" or "through Congress" is before the legislature.
* **Most specific.** A broader issue is dropped where a narrower one was found.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from pyoxigraph import Literal, NamedNode, RdfFormat, parse

from kg.reference import ONTOLOGY_DIR

if TYPE_CHECKING:
    from spacy.tokens import Token

    from kg.extract.document import Document
    from kg.extract.issue_gate import IssueGate
    from kg.extract.model import Claim

ISSUES_TTL = ONTOLOGY_DIR / "issues.ttl"
ISSUE_BASE = "https://w3id.org/claimgraph/id/issue/"
SCHEME = "https://w3id.org/claimgraph/id/issue-scheme"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_CG = "https://w3id.org/claimgraph/ontology#"
# The broad concepts whose generic cues stand for a named agreement where one is meant.
GENERIC = ("trade-agreements", "trade-negotiations")
# Issues about the making of agreements in general: a claim about fast-track authority speaks of the agreements
# it would cover, so its generic agreement cues are not the article's agreement.
OF_AGREEMENTS_IN_GENERAL = ("trade-promotion-authority",)
# Words by which a claim refers back to its sentence ("it would hurt farmers").
REFERRING = frozenset({"it", "its", "this", "these", "those", "they", "them"})
# A determiner and a noun by which a claim refers to what the article is about ("this move", "the list").
DETERMINERS = frozenset({"this", "that", "these", "those", "the"})
REFERRING_NOUNS = frozenset({"move", "measure", "list", "plan", "proposal", "decision", "action", "step",
                             "announcement", "order", "policy", "bill", "legislation", "program", "programme"})
# Trade flows: the export and import words (context cues of FLOWS) are the trade balance only where the claim
# speaks of no tariff, market access, economic effect, security or sanction, of which the flows are then the object.
FLOWS = "trade-balance"
FLOWS_DEFER_TO = ("tariffs", "market-access", "economy-and-jobs", "national-security", "sanctions")
# A cue word standing for any number written in digits ("# days": "90 days", "a 100-day push"; "31st").
NUMBER = "#"
# A cue word standing for a month's name ("by # @month": "by 13 February", "on Oct. 31").
MONTH = "@month"
_MONTHS = frozenset({"january", "february", "march", "april", "may", "june", "july", "august", "september",
                     "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
                     "sept", "oct", "nov", "dec"})
_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)?")
# Words before an agreement noun by which it means agreements in general, not the article's agreement.
QUANTIFIERS = frozenset({"any", "every", "all", "future", "other", "such"})
# An article whose text has this many trade cues is a trade article: generic cues in its claims are about trade.
TRADE_ARTICLE_CUES = 3
# The article's agreement needs this much evidence: its names, plus paragraphs naming its parties in negotiation.
AGREEMENT_EVIDENCE = 2
# An article topic (cg:articleTopic) is found in this many paragraphs, and in 1/TOPIC_SHARE of those on its broader.
TOPIC_PARAGRAPHS = 3
TOPIC_SHARE = 3
# An article a fifth of whose paragraphs name a subject outside trade (cg:nonTradeCue: the 2019 migration talks with
# Mexico under the threat of tariffs), more of them than name any agreement, reports talks outside trade: it has no
# agreement of its own, and its generic negotiation cues are trade talks only where the claim itself shows trade.
OUTSIDE_TRADE_SHARE = 5

# Sanctions on a named company: the concept whose cues ("sanctions", "ban", "penalties") name a target right after
# them ("the ban on ZTE", "sanctions against ZTE", "blacklisted Huawei"), this often in the article. A claim naming
# it in the company's other role, a threat to security (national-security, technology-transfer), is that issue alone.
SANCTIONS = "sanctions"
SANCTIONED_MENTIONS = 2
THREAT = ("national-security", "technology-transfer")
_TARGET_WORDS = frozenset({"on", "against", "the"})
# Verb forms of the sanctions cues, which take their target at once ("blacklisted Huawei", "banning Huawei",
# "restricts Huawei").
_TAKES_OBJECT = ("ed", "ing", "restricts", "bans")
_DEMONYM = re.compile(r"(?:ish|ese|ian|ean)$")  # "sanctions on Turkish officials": a nationality, not a target

# Another country's tariffs on U.S. steel in answer to the U.S. steel tariffs are retaliatory-tariffs, not the steel
# tariffs (the scope note of steel-aluminum-tariffs), unless the claim names what they respond to.
ANSWERING, ANSWERED = "retaliatory-tariffs", "steel-aluminum-tariffs"
# A headline's trade war is no tariff that a claim's answer answers: a war's retaliation may be anything ("fear that
# Beijing would retaliate against US interests" after an arrest, in an article on "a new front in the trade war").
WAR = "trade-war"

STRONG, CONTEXT, PARTY, NOT, TRADE, NON_TRADE = "strong", "context", "party", "not", "trade", "non-trade"
_KINDS = {_SKOS + "prefLabel": STRONG, _SKOS + "altLabel": STRONG, _SKOS + "hiddenLabel": STRONG,
          _CG + "caseSensitiveCue": STRONG, _CG + "contextCue": CONTEXT, _CG + "partyCue": PARTY,
          _CG + "notCue": NOT, _CG + "tradeCue": TRADE, _CG + "nonTradeCue": NON_TRADE}
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|[^\w\s.'’\-–—/\[\]]")
# British -ise spellings read as -ize ("subsidise" ~ "subsidize"), for cues and text alike.
_ISE = re.compile(r"(?<=\w\w\w)is(e|ed|es|ing|ation|ations)$")
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
# An initialism written with full stops is one word, as written without them ("the E.U." ~ "the EU", "U.K.").
_INITIALISM = re.compile(r"(?<![\w.])(?:[A-Z]\.){2,}")
# A non-restrictive relative clause in a reported claim is the writer's aside ("the deal, which has been seen
# as favorable for farm exports,"), not what the speaker said.
_WRITERS_ASIDE = re.compile(r",\s+which\b[^,;]*")
# So is a closing phrase that places the reported act in a series ("..., extending a bilateral trade war", "..., in
# the latest escalation of an increasingly bitter trade war"): the writer's framing, not the speaker's words.
# Likewise a closing phrase on what the act may lead to or how others took it (", potentially forcing Congress to
# ...", ", fueling fears of a full-blown trade war", ", as investors remained on guard for ...", ", with targets
# likely to include farm products").
_WRITERS_FRAME = re.compile(r",\s+(?:in\s+(?:the|a)\s+(?:latest|new|further)|the\s+latest|extending|escalating|"
                            r"deepening|intensifying|marking|(?:potentially|possibly)\s+\w+ing|"
                            r"(?:fuell?ing|stoking|sparking|raising|heightening)\s+(?:fears|concerns|worries)|"
                            r"as\s+(?:investors|markets|traders)|with\s+(?:targets|the\s+targets))\b[^;]*$",
                            re.IGNORECASE)
# And a closing "amid ..." phrase on the mood around the act ("a stunning breakthrough in transatlantic trade amid
# fears of an all-out trade war", "the elimination of trade barriers ... amid tensions over ... tariffs on steel"):
# the writer's setting, not the speaker's words.
_WRITERS_SETTING = re.compile(r"\s+amid\s+(?:the\s+|a\s+)?(?:(?:growing|rising|mounting|increased|heightened|"
                              r"renewed|escalating)\s+)?(?:fears?|concerns?|worries|tensions?|uncertainty)\b[^;]*$",
                              re.IGNORECASE)
_PARAGRAPH = re.compile(r"\n\s*\n")
# A sentence end inside a text that lost its paragraph breaks ('... the first-term Republican said."This
# legislation ...', 'Cotton said.But Alabama Sen. ...'): a small letter or digit and a full stop (not "U.S."), or a
# closing quotation mark, then a capital or an opening quotation mark.
_SENTENCE_END = re.compile(r"(?<=[a-z0-9][.!?])\s*(?=[\"“]?[A-Z])|(?<=[.!?][\"”])\s*(?=[\"“]?[A-Z])")
_OTHER_CLAUSES = frozenset({"advcl", "conj", "parataxis", "ccomp", "relcl", "acl", "cc"})
_SPEAKERS = frozenset({"nsubj", "nsubjpass", "agent"})  # a speech verb's speaker, with their titles and asides


@dataclass(frozen=True)
class Cue:
    words: tuple[str, ...]  # lower-cased, or as written when case_sensitive
    case_sensitive: bool
    kind: str  # STRONG, CONTEXT, PARTY, NOT, TRADE or NON_TRADE
    slug: str  # the issue ("" for the scheme's trade and non-trade cues)


@dataclass(frozen=True)
class Hit:
    start: int  # token offsets
    end: int
    cue: Cue
    general: bool = False  # agreements in general: a plural or a quantifier ("trade deals", "any agreement")


@dataclass(frozen=True)
class Taxonomy:
    labels: dict[str, str]  # slug -> preferred label
    broader: dict[str, frozenset[str]]  # slug -> all broader slugs (transitively)
    cue_context: dict[str, frozenset[str]]  # slug -> issues whose evidence lets its context cues count
    named: frozenset[str]  # named agreements
    topics: frozenset[str]  # issues that stand for their broader issue in an article mostly about them
    parties: frozenset[str]  # named agreements with party cues
    parents: dict[str, frozenset[str]]  # slug -> its direct broader issues
    index: dict[str, tuple[Cue, ...]]  # first word (lower-cased) -> the cues starting with it

    def hits(self, text: str) -> list[Hit]:
        """Every cue occurrence in ``text``, overlapping ones included."""
        tokens = tokenize(text)
        out = []
        for i, (_, lower, single) in enumerate(tokens):
            number = self.index.get(NUMBER, ()) if _ORDINAL.fullmatch(lower) else ()
            month = self.index.get(MONTH, ()) if lower in _MONTHS else ()
            for cue in {*self.index.get(lower, ()), *self.index.get(single, ()), *self.index.get(_stem(lower), ()),
                        *number, *month}:
                n = len(cue.words)
                if i + n <= len(tokens) and all(_same(tokens[i + k], w, cue.case_sensitive)
                                                for k, w in enumerate(cue.words)) and not _negated(tokens, i) \
                        and not (cue.slug and _in_office(tokens, i, i + n)):
                    out.append(Hit(i, i + n, cue, _general(tokens, i, i + n)))
        return _relocation(_meeting_dates(_listed_with_others(_senses(_general_within(out)), tokens), tokens), tokens)

    def find(self, text: str) -> Counter[str]:
        """How often cues that are evidence on their own (not context, party or scheme cues) occur per issue."""
        return Counter(h.cue.slug for h in self.hits(text) if h.cue.kind == STRONG)


@dataclass(frozen=True)
class ArticleIssues:
    """What the whole article says about the claims in it: whether it is about trade, and which named agreement
    it is about (if any)."""

    trade: bool
    agreement: str | None
    topics: frozenset[str] = frozenset()  # cg:articleTopic issues the article is mostly about
    subject: frozenset[str] = frozenset()  # what the headline is about (else the agreement): "this move" refers to it
    sanctioned: frozenset[str] = frozenset()  # names the article puts under sanctions ("the ban on ZTE"), as written
    # the talks the article reports are about something outside trade (migration): a fifth of its paragraphs, and
    # more than name any agreement, name a non-trade subject, so its generic negotiation cues need trade in the claim
    outside_trade: bool = False


def tokenize(text: str) -> list[tuple[str, str, str]]:
    """Words (and phrase-breaking punctuation) as (as written, lower-cased, singular) without a possessive 's;
    full stops, hyphens, dashes, slashes, apostrophes and square brackets (a writer's insertion in a quote:
    "a manufacturing [jobs] issue") only separate words ("Jan.-March" -> Jan, March), but an initialism is one word
    as written without its full stops ("U.S.-China" -> US, China; "the E.U." ~ "the EU"); the lower-cased form
    spells -ise as -ize."""
    out = []
    for m in _TOKEN.finditer(_INITIALISM.sub(lambda i: i.group().replace(".", ""), text)):
        word = m.group()
        if "'" in word or "’" in word:
            word = _POSSESSIVE.sub("", word)
        lower = word.lower()
        if "is" in lower:
            lower = _ISE.sub(r"iz\1", lower)
        out.append((word, lower, _singular(lower)))
    return out


@lru_cache(maxsize=1 << 16)
def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ses", "xes", "ches", "shes", "zes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _negated(tokens: list[tuple[str, str, str]], i: int) -> bool:
    """Whether the word at ``tokens[i]`` follows the prefix "non" ("non-auto goods", "non-tariff barriers"): the
    cue is negated there (a phrase starting with "non" is a cue of its own)."""
    return i > 0 and tokens[i - 1][1] == "non"


def _in_office(tokens: list[tuple[str, str, str]], start: int, end: int) -> bool:
    """Whether the cue at ``tokens[start:end]`` names the portfolio of an office ("Environment Secretary Michael Gove",
    "[Agriculture Secretary]", "the Economy Ministry"): written with a capital and followed by an office word."""
    return tokens[start][0][:1].isupper() and end < len(tokens) and tokens[end][0] in _OFFICES


# Office words after a portfolio ("Agriculture Secretary", "Trade Minister", "Environment Committee").
_OFFICES = frozenset({"Secretary", "Minister", "Ministry", "Department", "Committee", "Commissioner", "Secretariat",
                      "Subcommittee", "Agency", "Council", "Office"})


def _general(tokens: list[tuple[str, str, str]], start: int, end: int) -> bool:
    """Whether the noun of an agreement cue at ``tokens[start:end]`` speaks of agreements in general: a plural
    ("trade deals", "our trade agreements") or after a quantifier ("any agreement", "future deals")."""
    return tokens[end - 1][1] != tokens[end - 1][2] or start > 0 and tokens[start - 1][1] in QUANTIFIERS


@lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    """``word`` without an inflection ("negotiates", "negotiated", "negotiating" -> "negotiat"), where at least
    five letters are left (so "cared" stays "cared", never "car"); otherwise ``word`` itself."""
    for suffix, repl in (("ied", "y"), ("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""), ("e", "")):
        if word.endswith(suffix) and len(word) - len(suffix) + len(repl) >= 5:
            stem = word[:len(word) - len(suffix)] + repl
            if stem[-1] == stem[-2] and stem[-1] not in "aeiousl":
                stem = stem[:-1]  # "submitted" -> "submit"
            return stem
    return word


def _same(token: tuple[str, str, str], word: str, case_sensitive: bool) -> bool:
    written, lower, single = token
    if word == NUMBER:
        return _ORDINAL.fullmatch(lower) is not None
    if word == MONTH:
        return lower in _MONTHS and written[:1].isupper()
    if case_sensitive:
        return word in (written, _singular(written))
    return word in (lower, single) or _stem(lower) == _stem(word) not in (lower, word)


def _senses(hits: list[Hit]) -> list[Hit]:
    """Drop the cues that a ``notCue`` phrase of their own issue covers at their first word."""
    nots = [h for h in hits if h.cue.kind == NOT]
    return [h for h in hits if h.cue.kind != NOT and not any(
        n.cue.slug == h.cue.slug and n.start <= h.start < n.end for n in nots)]


def _listed_with_others(hits: list[Hit], tokens: list[tuple[str, str, str]]) -> list[Hit]:
    """A sector's cues listed with the groups of the whole economy ("farmers, ranchers and manufacturers",
    "farmers and small businesses") become context cues: such a list speaks of the economy, and of that sector only
    where its ``cg:cueContext`` is there too (markets opened to "our farmers and manufacturers")."""
    def joined(i: int, step: int) -> bool:  # an economy group next in the list, across list and sector words
        i += step
        while 0 <= i < len(tokens) and (tokens[i][1] in _LIST_WORDS or tokens[i][2] in _SECTOR_GROUPS):
            i += step
        return 0 <= i < len(tokens) and tokens[i][2] in _ECONOMY_GROUPS
    return [replace(h, cue=replace(h.cue, kind=CONTEXT)) if h.cue.slug in _SECTORS and h.cue.kind == STRONG
            and (joined(h.start, -1) or joined(h.end - 1, 1)) else h for h in hits]


def _relocation(hits: list[Hit], tokens: list[tuple[str, str, str]]) -> list[Hit]:
    """Firms moving production across borders are investment (its scope note): a word of moving (``_MOVING``), a
    firm or its production (``_PRODUCTION``) and a country (a party cue of an agreement, or ``_PLACES``) in one
    text ("companies will be forced to leave China", "moving some of its manufacturing to Mexico"); not leaving
    what an issue names ("leaves NAFTA", "leave the EU"), and not where the claim speaks of the factory jobs
    (manufacturing-jobs: "won't be leaving the United States, firing their workers")."""
    words = {lower for _, lower, _ in tokens} | {single for _, _, single in tokens}
    country = any(h.cue.kind == PARTY for h in hits) or bool(words & _PLACES)
    named = {h.start for h in hits if h.cue.kind == STRONG}
    moving = any(lower in _MOVING and not named & {i, i + 1, i + 2} for i, (_, lower, _) in enumerate(tokens))
    jobs = any(h.cue.slug == _JOBS for h in hits)
    if country and moving and words & _PRODUCTION and not jobs:
        return [*hits, Hit(0, 0, _RELOCATION)]
    return hits


_MOVING = frozenset({"move", "moving", "moved", "leave", "leaving", "left", "relocate", "relocating", "relocated",
                     "shift", "shifting", "withdraw"})
_PRODUCTION = frozenset({"company", "companie", "firm", "business", "businesse", "automaker", "manufacturer",
                         "manufacturing", "production", "producing", "plant", "factory", "factorie", "operation"})
_PLACES = frozenset({"united", "overseas", "abroad", "offshore", "country"})  # "the United States", "our country"
_RELOCATION = Cue(("",), True, STRONG, "investment")
_JOBS = "manufacturing-jobs"


def _general_within(hits: list[Hit]) -> list[Hit]:
    """A cue inside a longer cue of its issue that speaks of agreements in general is general too ("deal" in "any
    trade deal")."""
    return [replace(h, general=True) if not h.general and any(
        g.general and g.cue.slug == h.cue.slug and g.start <= h.start and h.end <= g.end for g in hits) else h
        for h in hits]


def _meeting_dates(hits: list[Hit], tokens: list[tuple[str, str, str]]) -> list[Hit]:
    """Drop the date cues of the talks' timeline ("next week", "scheduled", "on 28 June") in a text that names a
    meeting ("an extended meeting with Xi next week", "the summit, scheduled for June 28-29") or a legislature's
    vote or sitting ("the vote scheduled for tomorrow", "in the Senate between now and next week"): that is the
    date of a meeting or a vote, not when the talks might conclude."""
    if not any(t[2] in _MEETINGS for t in tokens):
        return hits
    return [h for h in hits if not (h.cue.kind == CONTEXT and _DATE_WORDS & set(h.cue.words))]


_MEETINGS = frozenset({"meeting", "meet", "summit", "visit", "vote", "senate", "commons"})
_DATE_WORDS = frozenset({"next", "scheduled", "until", MONTH})


# Words that join a list, the groups of a sector, and the groups of the economy as a whole.
_LIST_WORDS = frozenset({"and", "or", ",", "&", "our", "the", "american", "us", "local", "small", "big"})
_SECTORS = frozenset({"agriculture"})  # each with a cg:cueContext in the taxonomy
_SECTOR_GROUPS = frozenset({"farmer", "rancher", "grower", "producer", "dairy"})
_ECONOMY_GROUPS = frozenset({"manufacturer", "business", "businesse", "worker", "consumer", "company", "retailer",
                             "family", "job", "employer"})


def _cue(text: str, kind: str, slug: str, case_sensitive: bool = False) -> Cue:
    words = [w if case_sensitive else lo for w, lo, _ in tokenize(text)]
    for i in range(len(words) - 1, 0, -1):  # the placeholder "@month" tokenizes as "@", "month"
        if words[i - 1] == "@" and words[i] == MONTH[1:]:
            words[i - 1:i + 1] = [MONTH]
    return Cue(tuple(words), case_sensitive, kind, slug)


@lru_cache(maxsize=2)
def load_taxonomy(path: Path = ISSUES_TTL) -> Taxonomy:
    """Read the issue taxonomy. Raises FileNotFoundError when ``path`` is missing, SyntaxError on bad Turtle and
    ValueError on a cue with a ``*`` (cues are whole words: write each form)."""
    labels: dict[str, str] = {}
    cues: list[Cue] = []
    parents: dict[str, set[str]] = {}
    context: dict[str, set[str]] = {}
    named: set[str] = set()
    topics: set[str] = set()
    with path.open("rb") as f:
        for t in parse(f, format=RdfFormat.TURTLE):
            s = t.subject.value if isinstance(t.subject, NamedNode) else ""
            slug = s[len(ISSUE_BASE):] if s.startswith(ISSUE_BASE) else ""
            if not slug and s != SCHEME:
                continue
            p, o = t.predicate.value, t.object
            if isinstance(o, Literal) and p in _KINDS:
                if "*" in o.value:
                    raise ValueError(f"{path}: cue {o.value!r} of {slug or 'the scheme'} has a wildcard; "
                                     "cues are whole words, write each form")
                cues.append(_cue(o.value, _KINDS[p], slug, p == _CG + "caseSensitiveCue"))
                if p == _SKOS + "prefLabel":
                    labels[slug] = o.value
            elif isinstance(o, NamedNode) and o.value.startswith(ISSUE_BASE):
                target = o.value[len(ISSUE_BASE):]
                if p == _SKOS + "broader":
                    parents.setdefault(slug, set()).add(target)
                elif p == _CG + "cueContext":
                    context.setdefault(slug, set()).add(target)
                elif p == _CG + "namedAgreement":
                    named.add(target)
                elif p == _CG + "articleTopic":
                    topics.add(target)
    index: dict[str, list[Cue]] = {}
    for cue in dict.fromkeys(c for c in cues if c.words):
        for key in {cue.words[0].lower(), _stem(cue.words[0].lower())}:
            index.setdefault(key, []).append(cue)
    return Taxonomy(labels, {slug: _ancestors(slug, parents) for slug in labels},
                    {k: frozenset(v) for k, v in context.items()}, frozenset(named), frozenset(topics),
                    frozenset(c.slug for c in cues if c.kind == PARTY),
                    {k: frozenset(v) for k, v in parents.items()}, {k: tuple(v) for k, v in index.items()})


def _ancestors(slug: str, parents: dict[str, set[str]]) -> frozenset[str]:
    seen: set[str] = set()
    todo = list(parents.get(slug, ()))
    while todo:
        b = todo.pop()
        if b not in seen:
            seen.add(b)
            todo.extend(parents.get(b, ()))
    return frozenset(seen)


def article_issues(taxonomy: Taxonomy, text: str, title: str | None = None) -> ArticleIssues:
    """What ``text`` is about as a whole: whether it is a trade article (``TRADE_ARTICLE_CUES`` trade cues); the
    named agreement with most evidence (its names, plus paragraphs that name its parties beside a negotiation cue
    and no subject outside trade), at least ``AGREEMENT_EVIDENCE``; its topics: each ``cg:articleTopic`` found
    in at least ``TOPIC_PARAGRAPHS`` paragraphs and in a third (``1 / TOPIC_SHARE``) of those on its broader issue;
    whether it reports talks outside trade (``OUTSIDE_TRADE_SHARE``; then it has no agreement); and its subject: the
    issues of ``title`` read in that article, else its agreement. A text without paragraph breaks is read by its
    sentences."""
    evidence: Counter[str] = Counter()
    trade = 0
    per_paragraph = []
    outside = 0
    named: Counter[str] = Counter()  # paragraphs naming each agreement
    paragraphs = _paragraphs(text)
    for paragraph in paragraphs:
        hits = taxonomy.hits(paragraph)
        trade += sum(h.cue.kind == TRADE for h in hits)
        outside += any(h.cue.kind == NON_TRADE for h in hits)
        named.update({h.cue.slug for h in hits if h.cue.kind == STRONG and h.cue.slug in taxonomy.named})
        evidence.update(h.cue.slug for h in hits if h.cue.kind == STRONG and h.cue.slug in taxonomy.named)
        if _negotiation(hits) and not any(h.cue.kind == NON_TRADE for h in hits):
            evidence.update({h.cue.slug for h in hits if h.cue.kind == PARTY})
        found = _issues(taxonomy, hits, ArticleIssues(trade=True, agreement=None))
        per_paragraph.append(found | set().union(*(taxonomy.broader.get(f, frozenset()) for f in found)))
    ranked = evidence.most_common(2)
    agreement = None
    # (and more of them than name any agreement: an article on the US-China deal that recounts North Korea is not)
    outside_trade = OUTSIDE_TRADE_SHARE * outside >= len(paragraphs) and outside > max(named.values(), default=0) \
        or _headline_outside_trade(taxonomy, title)
    if ranked and ranked[0][1] >= AGREEMENT_EVIDENCE and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]) \
            and not outside_trade:
        agreement = ranked[0][0]
    topics = set()
    for topic in taxonomy.topics:
        on_topic = sum(topic in p for p in per_paragraph)
        on_broader = sum(bool(taxonomy.parents.get(topic, frozenset()) & p) for p in per_paragraph)
        on_agreement = sum(agreement in p for p in per_paragraph) if agreement else 0
        if on_topic >= TOPIC_PARAGRAPHS and TOPIC_SHARE * on_topic >= on_broader and on_topic >= on_agreement:
            topics.add(topic)
    about = ArticleIssues(trade=trade >= TRADE_ARTICLE_CUES, agreement=agreement, topics=frozenset(topics),
                          sanctioned=sanctioned_names(taxonomy, text), outside_trade=outside_trade)
    subject = _issues(taxonomy, taxonomy.hits(title), about) if title else set()
    return replace(about, subject=frozenset(subject or ({agreement} if agreement else set())))


def _headline_outside_trade(taxonomy: Taxonomy, title: str | None) -> bool:
    """Whether ``title`` names a subject outside trade and nothing of trade ("Negotiators at the Paris climate talks
    ..."): the article reports those talks, whatever its body calls them ("the Paris talks")."""
    hits = taxonomy.hits(title or "")
    return any(h.cue.kind == NON_TRADE for h in hits) and not any(h.cue.kind in (TRADE, STRONG) for h in hits)


def _paragraphs(text: str) -> list[str]:
    """The paragraphs of ``text``; a text with no paragraph breaks (an article whose breaks were lost in the
    corpus) is read by its sentences, so that what its paragraphs are about can be counted."""
    paragraphs = _PARAGRAPH.split(text)
    return _SENTENCE_END.split(text) if len(paragraphs) == 1 else paragraphs


def sanctioned_names(taxonomy: Taxonomy, text: str) -> frozenset[str]:
    """The names ``text`` puts under sanctions: a capitalised word right after a sanctions cue (past "on", "against",
    "the": "the ban on ZTE", "sanctions against ZTE", "blacklisted Huawei") that is no cue of the taxonomy (not
    "Iran", "China") and no nationality ("Turkish officials"), so named ``SANCTIONED_MENTIONS`` times (an article
    that names a company's ban once, in passing, is not about it)."""
    tokens = tokenize(text)
    names: Counter[str] = Counter()
    for h in taxonomy.hits(text):
        if h.cue.slug != SANCTIONS or h.cue.kind not in (STRONG, CONTEXT):
            continue
        i = h.end
        while i < len(tokens) and tokens[i][1] in _TARGET_WORDS:
            i += 1
        # "the ban on ZTE", "sanctions against ZTE"; a participle takes its object at once: "blacklisted Huawei"
        linked = i > h.end and tokens[h.end][1] != "the" or h.cue.words[-1].endswith(_TAKES_OBJECT)
        if i < len(tokens) and linked:
            name = tokens[i][0]
            if name[:1].isupper() and not taxonomy.hits(name) and not _DEMONYM.search(name):
                names[name] += 1
    return frozenset(n for n, k in names.items() if k >= SANCTIONED_MENTIONS)


def _sanction_targets(hits: list[Hit], tokens: list[tuple[str, str, str]], names: frozenset[str]) -> list[Hit]:
    """A sanctioned name of the article is evidence of sanctions; beside it, the generic agreement and negotiation
    cues are about the company's settlement ("the deal with ZTE", "ZTE violated a deal"), not an agreement on
    trade between countries."""
    targets = [Hit(i, i + 1, _SANCTIONED) for i, (written, _, _) in enumerate(tokens) if written in names]
    if not targets:
        return hits
    return [h for h in hits if not (h.cue.slug in GENERIC and h.cue.kind == CONTEXT)] + targets


_SANCTIONED = Cue(("",), True, STRONG, SANCTIONS)


def _negotiation(hits: Iterable[Hit]) -> bool:
    return any(h.cue.slug in GENERIC and h.cue.kind in (STRONG, CONTEXT) for h in hits)


def classify(taxonomy: Taxonomy, claim: str, context: str = "", article: ArticleIssues | None = None,
             kind: str = "", countries: Iterable[str] = (), *, subject_outside: bool = False,
             context_countries: Iterable[str] = ()) -> list[str]:
    """Issue slugs for a claim's text, most evidence first. ``context`` (the rest of its sentence, attribution
    removed) is read only when the claim is a quoted fragment (``kind == "mixed"``) or refers back. ``countries``
    are the countries other than the United States the claim names: where one is no party of the article's
    agreement ("a trade deal with Japan" in an article on the US-China talks), generic cues are not about it
    (checked for agreements with party cues only); ``context_countries``, those its clause names, count too for a
    quoted fragment ("the agreement-in-principle with Japan is worth "billions and billions""). A claim whose
    subject stands outside it (``subject_outside``) reads its clause too."""
    text = _writers_words_out(claim) if kind == "indirect" else claim
    hits = taxonomy.hits(text)
    hits += _meeting_with_party(hits, tokenize(text))
    refers = _refers_back(taxonomy, claim)
    read_context = bool(context) and (kind == "mixed" or subject_outside or refers)
    if read_context:
        hits += taxonomy.hits(context)
    article = article or ArticleIssues(trade=False, agreement=None)
    if article.sanctioned:
        hits = _sanction_targets(hits, tokenize(f"{claim} {context}" if read_context else claim), article.sanctioned)
    # a fragment's clause is its content; a referring claim's clause is the speech clause ("at a press conference in
    # Tokyo alongside the Japanese leader"), whose countries are the attribution's
    named = [*countries, *context_countries] if read_context and kind == "mixed" else list(countries)
    if article.agreement in taxonomy.parties and any(not _party(taxonomy, c, article.agreement) for c in named):
        article = replace(article, agreement=None)
    found = _issues(taxonomy, hits, article, article.agreement if refers else None, kind == "mixed",
                    _answers(taxonomy.hits(text), tokenize(text)))
    if found & set(THREAT) and all(h.cue is _SANCTIONED for h in hits
                                   if h.cue.slug == SANCTIONS and h.cue.kind == STRONG):
        found.discard(SANCTIONS)  # "products by ZTE ... because of cybersecurity concerns": the company as a threat
    if article.subject and _refers_to_subject(claim):
        subject = _bill_topics(taxonomy, claim, article) or article.subject
        found |= subject | _in_context_of(taxonomy, hits, subject)
        found -= set().union(*(taxonomy.broader.get(f, frozenset()) for f in found))
    return sorted(found, key=lambda i: (-sum(h.cue.slug == i for h in hits), i))


def _answers(hits: list[Hit], tokens: list[tuple[str, str, str]]) -> bool:
    """Whether the claim's own words answer something ("vowed to retaliate", "will hit back", "a firm response"),
    other than a response to something it names ("in response to tax cuts": had that been tariffs, the strong cue
    "response to tariffs" would say so)."""
    return any(h.cue.slug == ANSWERING and h.cue.kind == CONTEXT
               and not (h.cue.words[0].startswith("respon") and h.end < len(tokens) and tokens[h.end][1] == "to")
               for h in hits)


def _meeting_with_party(hits: list[Hit], tokens: list[tuple[str, str, str]]) -> list[Hit]:
    """A meeting or summit with a party of a named agreement ("a summit with Chinese Premier Xi", "my meeting ...
    with President Xi"), or talking to one ("we are talking to China"), is a round of its talks: a negotiation cue
    (which the party then names as that agreement's). Not a group's meeting ("our @G7 meetings", "a G20 summit"),
    where the party is one guest among many; nor the verb "meet" alone, which the sets tag both ways."""
    if not any(h.cue.kind == PARTY for h in hits):
        return []
    meeting = any(single in _MEETINGS_HELD and not (i and _GROUP.fullmatch(tokens[i - 1][1]))
                  for i, (_, _, single) in enumerate(tokens))
    talking = any(a[1] in _TALKING and b[1] in ("to", "with") for a, b in zip(tokens, tokens[1:], strict=False))
    return [Hit(0, 0, _ROUND_OF_TALKS)] if meeting or talking else []


_MEETINGS_HELD = frozenset({"meeting", "summit"})
_TALKING = frozenset({"talk", "talking", "talked"})
_GROUP = re.compile(r"g?\d+")  # "G7", "G-20": a group's meeting
_ROUND_OF_TALKS = Cue(("",), True, CONTEXT, GENERIC[1])


def _bill_topics(taxonomy: Taxonomy, claim: str, article: ArticleIssues) -> frozenset[str]:
    """The article's topics that are bills (kinds of congressional ratification: the fast-track bill), where
    ``claim`` refers to the article's subject by a bill's noun ("the bill, which many in the party oppose", "if the
    measure reaches the House"): in an article on the TPP that is mostly about the fast-track vote, the bill is the
    fast-track bill, not the agreement."""
    tokens = tokenize(claim)
    if not any(a[1] in DETERMINERS and b[2] in _BILLS for a, b in zip(tokens, tokens[1:], strict=False)):
        return frozenset()
    return frozenset(t for t in article.topics if _RATIFICATION in taxonomy.broader.get(t, frozenset()))


_BILLS = frozenset({"bill", "measure", "legislation"})
_RATIFICATION = "congressional-ratification"


def _in_context_of(taxonomy: Taxonomy, hits: list[Hit], issues: frozenset[str]) -> set[str]:
    """The issues of the context cues in ``hits`` whose ``cg:cueContext`` one of ``issues`` is or is narrower than,
    and that are not themselves a kind of one of ``issues``: "the bill ... for a vote" refers to the article's
    agreement, the context "vote" needs, and the vote is that agreement's procedure; "automobiles" in "the list"
    of the article's tariffs is no auto tariff (not beside a subject outside trade either)."""
    if any(h.cue.kind == NON_TRADE for h in hits):
        return set()
    return {h.cue.slug for h in hits if h.cue.kind == CONTEXT and h.cue.slug in taxonomy.cue_context
            and _under(taxonomy, issues, taxonomy.cue_context[h.cue.slug])
            and not issues & taxonomy.broader.get(h.cue.slug, frozenset())}


def _writers_words_out(claim: str) -> str:
    """A reported claim without the writer's relative asides and closing frame or setting."""
    return _WRITERS_SETTING.sub(" ", _WRITERS_FRAME.sub(" ", _WRITERS_ASIDE.sub(" ", claim)))


def _refers_back(taxonomy: Taxonomy, claim: str) -> bool:
    """Whether ``claim`` refers back to its sentence by a word of ``REFERRING``, other than a demonstrative that
    stands before a noun naming an issue ("these set of tariffs", "this trade war": what it refers to is named)."""
    tokens = tokenize(claim)
    named = {h.start for h in taxonomy.hits(claim) if h.cue.kind == STRONG}
    return any(lower in REFERRING and not (lower in DETERMINERS and named & set(range(i + 1, i + 1 + _NOUN_REACH)))
               for i, (_, lower, _) in enumerate(tokens))


_NOUN_REACH = 3  # words from a demonstrative to its noun ("these set of tariffs")


def _refers_to_subject(claim: str) -> bool:
    """Whether ``claim`` refers to something by a determiner and a noun of ``REFERRING_NOUNS`` ("this move"), not
    followed by a complement that says what it is ("the decision to impose tariffs", "the list of items")."""
    tokens = [*tokenize(claim), ("", "", "")]
    return any(a[1] in DETERMINERS and b[2] in REFERRING_NOUNS and c[1] not in _COMPLEMENTS
               for a, b, c in zip(tokens, tokens[1:], tokens[2:], strict=False))


_COMPLEMENTS = frozenset({"to", "of", "on"})


def _party(taxonomy: Taxonomy, country: str, agreement: str) -> bool:
    """Whether ``country`` (as the text names it) is a party cue of ``agreement``."""
    return any(h.cue.kind == PARTY and h.cue.slug == agreement for h in taxonomy.hits(country))


def _issues(taxonomy: Taxonomy, hits: list[Hit], article: ArticleIssues, referent: str | None = None,
            fragment: bool = False, answers: bool = False) -> set[str]:
    """The most specific issues the cue ``hits`` of one claim are evidence of, in ``article``. The article's topics
    are context for the cues of their broader issues, and ``referent`` (what the claim's "it" stands for) for the
    cues that need it; where the claim itself answers (``answers``: "to retaliate", "hit back"), the tariffs of the
    article's headline are what it answers."""
    found = {h.cue.slug for h in hits if h.cue.kind == STRONG}
    strong = set(found)
    outside = any(h.cue.kind == NON_TRADE for h in hits)
    about_trade = bool(found) or any(h.cue.kind == TRADE for h in hits) or (
        (article.trade or article.agreement is not None) and not outside and not article.outside_trade)
    # talks or a deal named beside a subject outside trade ("tariffs over illegal migration" sought by "negotiators")
    # are about that subject
    contextual = [h for h in hits if h.cue.kind == CONTEXT and not (outside and h.cue.slug in GENERIC)]
    if about_trade:
        found |= {h.cue.slug for h in contextual if h.cue.slug not in taxonomy.cue_context}
        if FLOWS in found - strong and _under(taxonomy, found - {FLOWS}, FLOWS_DEFER_TO):
            found.discard(FLOWS)  # "tariffs on $50 billion of imports", "agricultural exports": not the flows
    if found & set(GENERIC) and not found & taxonomy.named:
        parties = {h.cue.slug for h in hits if h.cue.kind == PARTY}
        if len(parties) > 1 and article.agreement in parties:
            parties = {article.agreement}
        # agreements in general ("trade deals are always hard") are not the article's agreement
        specific = not found & set(OF_AGREEMENTS_IN_GENERAL) and any(
            h.cue.slug in GENERIC and h.cue.kind in (STRONG, CONTEXT) and not (h.general and h.cue.slug == GENERIC[0])
            for h in hits)
        found |= parties if len(parties) == 1 else ({article.agreement} if article.agreement and specific else set())
    if found & (taxonomy.named | set(OF_AGREEMENTS_IN_GENERAL)):  # the generic cues were about the named agreement
        found -= set(GENERIC)  # (or the agreements that fast-track authority would cover)
    for _ in range(3):  # context issues may enable one another (tariffs -> steel -> exemptions)
        for h in contextual:
            wanted = taxonomy.cue_context.get(h.cue.slug)
            if wanted and any(f in wanted or wanted & taxonomy.broader.get(f, frozenset()) for f in found):
                found.add(h.cue.slug)
            elif wanted and fragment and article.agreement and _timeline_of(taxonomy, h.cue.slug, wanted,
                                                                             article.agreement):
                found |= {h.cue.slug, article.agreement}  # "an extension" in an article on Brexit
            elif wanted and referent in wanted:
                found.add(h.cue.slug)  # "withdraw from it" (NAFTA)
                if referent not in taxonomy.broader.get(h.cue.slug, frozenset()):
                    found.add(referent)  # "this prolongation" (of the Brexit talks): the timeline and the agreement
            elif h.cue.slug == SANCTIONS and article.sanctioned:
                found.add(SANCTIONS)  # "because of the ban" in an article on the ban on ZTE
            elif wanted and any(h.cue.slug in taxonomy.broader.get(t, frozenset()) for t in article.topics):
                found.add(h.cue.slug)  # "the vote" in an article on fast track
            elif wanted and h.cue.slug not in taxonomy.topics and any(
                    wanted & taxonomy.parents.get(t, frozenset()) & taxonomy.parents.get(h.cue.slug, frozenset())
                    for t in article.topics):
                found.add(h.cue.slug)  # "to retaliate in kind" in an article on the steel tariffs: their answer
            elif wanted and h.cue.slug == ANSWERING and answers and _under(taxonomy, article.subject - {WAR}, wanted):
                found.add(h.cue.slug)  # "vowed to retaliate" in an article whose headline is tariffs: the answer
            elif wanted and referent in taxonomy.named and not wanted & (taxonomy.broader.get(referent, frozenset())
                                                                        | {referent}):
                found.add(referent)  # "vote for it" (the Brexit deal): that agreement's own procedure
    agreements = found & taxonomy.named
    if agreements and not any(GENERIC[0] in taxonomy.broader.get(a, frozenset()) for a in agreements):
        # ratifying or voting on an agreement outside trade agreements (the Brexit deal) is its own procedure
        found -= {f for f in found if GENERIC[0] in taxonomy.cue_context.get(f, frozenset())
                  and not agreements & taxonomy.cue_context[f]}
    for topic in article.topics:  # "the tariffs" of an article about the steel tariffs
        broader = taxonomy.parents.get(topic, frozenset())
        if broader & found and not any(broader & taxonomy.broader.get(f, frozenset()) for f in found):
            found.add(topic)
    if ANSWERING in found and not any(h.cue.slug == ANSWERING and h.cue.words[0].startswith("respon") for h in hits):
        # "retaliatory steel and aluminum tariffs on the U.S.": another country's answer, whose goods are steel
        # (but "would respond to new tariffs imposed by the US on steel": the U.S. tariffs are named as answered)
        found -= {f for f in found if f == ANSWERED or ANSWERED in taxonomy.broader.get(f, frozenset())}
    covered = set().union(*(taxonomy.broader.get(f, frozenset()) for f in found))
    return found - covered


def _under(taxonomy: Taxonomy, found: Iterable[str], issues: Iterable[str]) -> bool:
    """Whether one of ``found`` is one of ``issues`` or narrower than one."""
    wanted = set(issues)
    return any(f in wanted or wanted & taxonomy.broader.get(f, frozenset()) for f in found)


def _timeline_of(taxonomy: Taxonomy, slug: str, wanted: frozenset[str], agreement: str) -> bool:
    """Whether a context cue of ``slug`` (a concept of the talks' conduct, narrower than trade negotiations) is
    about ``agreement``, the article's: its ``cg:cueContext`` (``wanted``) admits that agreement."""
    return GENERIC[1] in taxonomy.broader.get(slug, frozenset()) and (
        agreement in wanted or bool(wanted & taxonomy.broader.get(agreement, frozenset())))


def claim_context(doc: Document, claim: Claim, taxonomy: Taxonomy | None = None) -> str:
    """The clause around ``claim``: the subtree of the nearest verb above the claim's words in the parse of its
    sentence (the reported clause of a quoted fragment; the speech clause of a reported claim), without the
    verb's other clauses, and with the claim, every quotation (for a fragment, every quotation outside its clause:
    the other fragments of its clause are its content), the speech verb's subject (the speaker, titles and
    asides included), the names of people, the speaker's words and the article's post titles blanked out, so that
    what is left is neither another clause of the sentence nor the attribution. A name that is itself an issue of
    ``taxonomy`` ("Brexit" taken for a person) is not blanked."""
    sentence = doc.sentence_at(claim.start)
    if sentence is None:
        return ""
    inside = [t for t in sentence.span if claim.start <= sentence.char(t) < claim.end]
    roots = [t for t in inside if not (claim.start <= sentence.char(t.head) < claim.end) or t.head.i == t.i]
    if not roots:
        return ""
    verb = roots[0].head
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    cue = claim.cue.lower().split()
    speech = verb.lower_ in cue
    while _non_finite(verb) and verb.head.i != verb.i and verb.head.pos_ in ("VERB", "AUX") and not any(
            c.dep_ == "dobj" and not any(t in inside for t in c.subtree) for c in verb.children):
        # "..., calling his detention [claim]": the participle's own object is what the claim speaks of
        verb = verb.head  # "..., resulting in [claim]": the clause it hangs on has its subject
        speech = speech or verb.lower_ in cue
    start, end = sentence.char(verb.left_edge), sentence.char_end(verb.right_edge)
    around = list(doc.text[start:end])

    def blank(a: int, b: int) -> None:
        for i in range(max(a, start), min(b, end)):
            around[i - start] = " "

    # "it's likely that [tariffs will happen]": the clause after an expletive "it" is the verb's real subject
    extraposed = any(c.lower_ == "it" and c.dep_ in ("nsubj", "expl") for c in verb.children)
    for child in verb.children:  # other clauses hanging off the verb ("..., while China said ..."), the speaker
        if (child.dep_ in _OTHER_CLAUSES and not (extraposed and child.dep_ == "ccomp")
                or speech and child.dep_ in _SPEAKERS) and not any(t in inside for t in child.subtree):
            blank(sentence.char(child.left_edge), sentence.char_end(child.right_edge))

    for q in doc.quotes:
        if q.open < end and start < (q.close or q.end) and not (claim.kind == "mixed" and start <= q.open
                                                                and (q.close or q.end) <= end):
            blank(q.start, q.end)
    blank(claim.start, claim.end)
    for m in doc.mentions_between(start, end):
        if m.type in ("Person", "Official") and not (taxonomy and taxonomy.find(m.text)):
            blank(m.start, m.end)
    if verb.dep_ == "relcl" and verb.head.i < verb.i:  # "talks that Trump hailed as [claim]": what it speaks of
        around[:0] = [*doc.text[sentence.char(verb.head.left_edge):sentence.char_end(verb.head)], " "]
    return _blank_words("".join(around), [claim.speaker_text, *doc.post_titles.values()])


def _blank_words(text: str, phrases: Iterable[str]) -> str:
    """``text`` with each of ``phrases`` blanked out where it stands as whole words ("he" is not in "the")."""
    for words in set(phrases) - {""}:
        text = re.sub(rf"(?<!\w){re.escape(words)}(?!\w)", lambda m: " " * len(m.group()), text, flags=re.IGNORECASE)
    return text


_NON_FINITE_DEPS = frozenset({"advcl", "xcomp", "pcomp", "acl"})


def _non_finite(verb: Token) -> bool:
    """A participle or infinitive hanging on another verb ("..., resulting in", "threatening to withdraw")."""
    return verb.dep_ in _NON_FINITE_DEPS and (verb.tag_ in ("VBG", "VBN") or verb.tag_ == "VB" and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in verb.children))


# A country named as the place of a meeting ("the next G20 summit, which takes place in Japan", "in Osaka, Japan")
# is no party to the talks.
_VENUE = re.compile(r"\b(?:in|at)\s+(?:[A-Z][\w.]*,?\s+)?$")


@dataclass(frozen=True)
class Evidence:
    """What the tagger reads of one claim: its text, the clause around it (attribution removed), its kind, the
    countries other than the United States it names (and those its clause names), and whether its subject stands
    outside it ("[tariffs] would be back on the table")."""

    text: str
    context: str
    kind: str
    countries: tuple[str, ...] = ()
    subject_outside: bool = False
    context_countries: tuple[str, ...] = ()


def claim_evidence(doc: Document, claim: Claim, taxonomy: Taxonomy | None = None) -> Evidence:
    """The Evidence of ``claim`` in ``doc`` (``taxonomy`` keeps issue names out of the blanked names of people)."""
    context = claim_context(doc, claim, taxonomy)
    sentence = doc.sentence_at(claim.start)
    start, end = (sentence.start, sentence.end) if sentence else (claim.start, claim.end)
    countries = [m for m in doc.mentions_between(min(start, claim.start), max(end, claim.end))
                 if m.type == "Country" and not (m.known and m.known.country == "US")
                 and not _VENUE.search(doc.text, max(0, m.start - 40), m.start)]
    return Evidence(claim.text, context, claim.kind,
                    tuple(m.text for m in countries if claim.start <= m.start and m.end <= claim.end),
                    _subject_outside(doc, claim),
                    tuple(m.text for m in countries if re.search(rf"(?<!\w){re.escape(m.text)}(?!\w)", context)))


def _subject_outside(doc: Document, claim: Claim) -> bool:
    """Whether the verb heading the claim has its subject outside the claim's span (the extractor cut it off)."""
    sentence = doc.sentence_at(claim.start)
    if sentence is None:
        return False
    inside = [t for t in sentence.span if claim.start <= sentence.char(t) < claim.end]
    heads = [t for t in inside if t.head.i == t.i or not claim.start <= sentence.char(t.head) < claim.end]
    return any(t.pos_ in ("VERB", "AUX") and any(
        c.dep_ in ("nsubj", "nsubjpass") and not claim.start <= sentence.char(c) < claim.end for c in t.children)
        for t in heads[:1])


def tag_claim(taxonomy: Taxonomy, doc: Document, claim: Claim, article: ArticleIssues | None) -> list[str]:
    """The issues of ``claim`` in ``doc``: its text, and its sentence without the attribution where needed; through
    the learned gate where ``KG_ISSUE_GATE`` is "on" (kg.extract.issue_gate)."""
    from kg.extract.issue_gate import gate_from_env

    return tag_evidence(taxonomy, claim_evidence(doc, claim, taxonomy), article, gate=gate_from_env())


def tag_evidence(taxonomy: Taxonomy, evidence: Evidence, article: ArticleIssues | None,
                 gate: IssueGate | None = None) -> list[str]:
    """The issues of a claim's Evidence in ``article``: what the rules propose, and of that what ``gate`` keeps
    (all of it without a gate)."""
    found = classify(taxonomy, evidence.text, evidence.context, article, evidence.kind, evidence.countries,
                     subject_outside=evidence.subject_outside, context_countries=evidence.context_countries)
    if gate is None or not found:
        return found
    from kg.extract.issue_gate import candidates

    return gate.keep(candidates(taxonomy, evidence, article, found))
