"""Rules of issue 10 drawn from the causes that recur across eval/dev8, eval/dev9 and eval/dev10 (docs/extraction.md,
"eval/dev10: the errors read"), each tested on sentences of its own: the shape of the error, never its words."""

from __future__ import annotations

from kg.extract import Extractor
from tests.extracting import claim_with, run


def test_a_cue_inside_another_report_does_not_make_its_subject_the_last_speaker(extractor: Extractor) -> None:
    # "Reed said [Berg was arguing for ...]": "arguing" is a cue inside Reed's report; "he" after it is Reed, the one
    # who spoke, not Berg, who is only reported on
    text = ("Chancellor Paul Berg said the harbour plan would cost little.\n\n"
            "Senator Tom Reed said Mr Berg was effectively arguing for higher taxes.\n\n"
            "He said the chancellor had ignored the costs of the plan.")
    extraction = run(extractor, text)
    assert claim_with(extraction, "Mr Berg was effectively arguing").speaker == "person/thomas-reed"
    assert claim_with(extraction, "had ignored the costs").speaker == "person/thomas-reed"
