"""Words naming a role a person holds ("minister", "spokesman", "economist"): they mark posts ("Commerce Secretary
Wilbur Ross"), descriptions of speakers ("the president said") and names in apposition ("An Gang, a senior research
fellow at ...")."""

from __future__ import annotations

ROLE_WORDS = frozenset("""
president vice-president premier minister secretary representative negotiator ambassador envoy senator sen. rep.
congressman congresswoman governor gov. mayor commissioner director chairman chairwoman chair ceo cfo coo chief
leader speaker spokesman spokeswoman spokesperson adviser advisor economist analyst official strategist counsel
chancellor diplomat deputy undersecretary under-secretary administrator head executive founder partner professor
attorney lawyer judge justice general admiral treasurer whip lawmaker legislator candidate nominee king queen prince
principal president-elect manager officer fellow researcher scholar pollster consultant lobbyist aide scientist
historian
""".split())

# Role words that are offices or titles a person holds, and so make a post ("Commerce Secretary", "Senate Majority
# Leader", "chief investment officer"). The others describe a person without naming an office ("adviser",
# "economist", "nominee", "candidate", "lawmaker") and make no post.
NOT_TITLES = frozenset("""adviser advisor economist analyst official strategist diplomat lawyer attorney lawmaker
legislator candidate nominee partner professor fellow researcher scholar pollster consultant lobbyist aide scientist
historian founder leader principal head""".split())
TITLE_WORDS = ROLE_WORDS - NOT_TITLES
