"""Lexicon entries derived from PolNeAR's train split (scripts/lexicon_from_polnear.py; docs/extraction.md, "Rules by
cause (issue 10, seventh round)"): each entry added that way is a candidate of the stored list with the shape its
key needs, and reports on sentences of its own."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from kg.extract import Extractor
from tests.extracting import claim_with, run

ROOT = Path(__file__).resolve().parents[1]
LEXICON = ROOT / "kg" / "extract" / "lexicon"
sys.path.insert(0, str(ROOT / "scripts"))

from lexicon_from_polnear import SHAPES, read_candidates  # noqa: E402

# key of a lexicon file -> (kind of cue head, the shapes of content that make a candidate fit that key, and whether
# most of its contents must have them: a verb of saying reports clauses and quotes; a noun of saying is read only
# with its clause, so two contents of that shape are enough)
FITS = {
    ("verbs", "reporting"): ("verb", ("quote", "clause"), True),
    ("verbs", "telling"): ("verb", ("quote", "clause"), True),
    ("verbs", "object"): ("verb", ("noun_phrase",), True),
    ("verbs", "frames"): ("verb", ("noun_phrase", "infinitive", "clause"), True),
    ("verbs", "quoting"): ("verb", ("quote",), False),
    ("nouns", "saying"): ("noun", ("clause", "infinitive"), False),
}


def _added() -> list[tuple[str, str, str]]:
    out = []
    for name in ("verbs", "nouns"):
        data = json.loads((LEXICON / f"{name}.json").read_text(encoding="utf-8"))
        for key, words in data.get("from_polnear", {}).items():
            out += [(name, key, w) for w in words]
    return out


def test_the_candidate_list_is_stored_with_its_provenance() -> None:
    path = LEXICON / "polnear-candidates.tsv"
    head = path.read_text(encoding="utf-8").splitlines()[0]
    assert "polnear-train.jsonl.gz" in head and "sha1" in head
    rows = read_candidates(path)
    assert rows[("verb", "say")]["count"] > 1000  # the commonest cue of all
    assert all(sum(r[s] for s in SHAPES) <= r["count"] for r in rows.values())


@pytest.mark.parametrize(("name", "key", "word"), _added())
def test_every_entry_from_polnear_is_a_candidate_that_fits_its_key(name: str, key: str, word: str) -> None:
    kind, shapes, most = FITS[(name, key)]
    row = read_candidates(LEXICON / "polnear-candidates.tsv").get((kind, word))
    assert row is not None, f"{word!r} is no {kind} candidate of polnear-candidates.tsv"
    fitting = sum(row[s] for s in shapes)
    assert fitting * 2 >= row["count"] if most else fitting >= 2, f"{word!r}: too few contents of {shapes}"
    data = json.loads((LEXICON / f"{name}.json").read_text(encoding="utf-8"))
    assert word in data[key]


def test_entries_from_polnear_are_listed() -> None:
    assert len(_added()) >= 5


@pytest.mark.parametrize(("text", "content", "speaker"), [
    ("Senator Jane Holt posted on Facebook that the new toll would hurt dairy farmers in the valley.",
     "the new toll would hurt dairy farmers in the valley", "person/jane-holt"),
    ("Governor Paula Vance reminded reporters that the state budget had been balanced for three years.",
     "the state budget had been balanced for three years", "person/paula-vance"),
    ("Governor Paula Vance implied that the harbour talks could collapse before the summer.",
     "the harbour talks could collapse before the summer", "person/paula-vance"),
    # a frame ("order X to Y") and a noun of saying with its clause
    ("Governor Paula Vance ordered the port authority to halt the toll increase at once.",
     "the port authority to halt the toll increase at once", "person/paula-vance"),
    ("The union drew criticism from Governor Paula Vance that it had stalled the harbour talks for a year.",
     "it had stalled the harbour talks for a year", "person/paula-vance"),
])
def test_words_of_saying_from_polnear_report_what_was_said(extractor: Extractor, text: str, content: str,
                                                      speaker: str) -> None:
    claim = claim_with(run(extractor, text), content)
    assert claim.text == content and claim.speaker == speaker


@pytest.mark.parametrize(("text", "quote", "words"), [
    ("“We will not accept a toll on the bridge,” the council's statement reads.",
     "We will not accept a toll on the bridge,", "the council's statement"),
    ("“No toll on our bridge,” the farmers chanted outside the hall.", "No toll on our bridge,", "the farmers"),
])
def test_verbs_of_saying_from_polnear_attribute_a_quote(extractor: Extractor, text: str, quote: str,
                                                        words: str) -> None:
    claim = claim_with(run(extractor, text), quote)
    assert claim.kind == "direct" and claim.speaker_text == words


@pytest.mark.parametrize("text", [
    "Governor Paula Vance continued: “We will keep the tolls low for every driver in the valley.”",
    "Mayor Tom Reed spoke first.\n\n“We will keep the tolls low for every driver in the valley,” Governor Paula Vance "
    "continued.",
])
def test_a_quoting_verb_attributes_the_quote_it_adjoins(extractor: Extractor, text: str) -> None:
    claim = claim_with(run(extractor, text), "We will keep the tolls low")
    assert claim.kind == "direct" and claim.speaker == "person/paula-vance"


def test_a_quoting_verb_inside_a_content_reports_nothing(extractor: Extractor) -> None:
    # as a reporting verb, "continue" would end the content as a second report
    text = "Governor Paula Vance said the state would continue to negotiate with the port until the summer."
    assert [c.text for c in run(extractor, text).claims] == [
        "the state would continue to negotiate with the port until the summer"]
