"""The scoring rules of `kg link`, on plain records (the end-to-end runs are in test_linking.py)."""

from __future__ import annotations

from kg.linking.score import Candidate, Subject, decide, score_candidate

MOEN = Subject(iri="https://w3id.org/claimgraph/id/person/martin-moen", kind="person", label="Martin Moen",
               countries={"Q16": "Canada"}, posts=("deputy chief Nafta negotiator",))


def human(qid: str, name: str, *countries: str, positions: dict[str, str] | None = None) -> Candidate:
    return Candidate(qid=qid, matched={name: "label"}, label=name, types={"Q5": "human"},
                     countries={c: "" for c in countries}, positions=positions or {})


def test_a_namesake_abroad_is_rejected_however_good_the_name() -> None:
    v = score_candidate(MOEN, human("Q1", "Martin Moen", "Q20"))
    assert v.rejected and v.score == 0 and "Q20" in v.method


def test_dual_citizenship_including_ours_agrees() -> None:
    v = score_candidate(MOEN, human("Q1", "Martin Moen", "Q20", "Q16"))
    assert not v.rejected and v.score == 0.8


def test_two_equally_good_candidates_are_not_linked() -> None:
    link, kept = decide(MOEN, [human("Q1", "Martin Moen", "Q16"), human("Q2", "Martin Moen", "Q16")])
    assert link is None
    assert {v.candidate.qid for v in kept} == {"Q1", "Q2"} and all("ambiguous" in v.method for v in kept)


def test_a_matching_position_breaks_the_tie() -> None:
    negotiator = human("Q2", "Martin Moen", "Q16", positions={"Q9": "Deputy Chief NAFTA Negotiator"})
    link, kept = decide(MOEN, [human("Q1", "Martin Moen", "Q16"), negotiator])
    assert link is not None and link.candidate.qid == "Q2" and [v.candidate.qid for v in kept] == ["Q1"]


def test_an_organisation_needs_an_organisation_class() -> None:
    rail = Subject(iri="x", kind="organization", label="Lighthizer")
    river = Candidate(qid="Q3", matched={"Lighthizer": "label"}, types={"Q4022": "river"})
    link, kept = decide(rail, [river])
    assert link is None and kept[0].rejected and "not an organisation" in kept[0].method


def test_a_surname_alone_scores_low() -> None:
    ross = Subject(iri="x", kind="person", label="Wilbur Ross", aliases=("Ross",))
    v = score_candidate(ross, Candidate(qid="Q4", matched={"Ross": "label"}, types={"Q5": ""}))
    assert v.score == 0.25
