"""Page furniture masked before parsing: same length, same line breaks, the body outside it byte-identical, and no
glued names or credit "people" in the extraction."""

from __future__ import annotations

import pytest

from kg.extract.furniture import find_furniture, mask_furniture
from tests.extracting import run

WIDGET = ("“We have done nothing,” Sen. Jane Doe Jane Ann DoeSenate panel delays vote on farm bill Ten things to "
          "watch in the budget fight MORE (R-Ore.) said on the Senate floor Wednesday.")
CAPTION = "Mary Roe speaks at a rally in Dayton, Ohio, May 18, 2019. (Sam Poe/Reuters)"
BODY = "Mary Roe said the agreement would protect dairy farmers in Wisconsin and Ohio."
NEWSLETTER = "Sign up for Daily Newsletters Manage Newsletters"
COPYRIGHT = "Copyright © 2019 The Daily Example, LLC. Click here for reprint permission."


def assert_masked_only(text: str, masked: str, title: str | None = None) -> None:
    covered = {i for f in find_furniture(text, title) for i in range(f.start, f.end)}
    assert len(masked) == len(text)
    assert all(masked[i] == text[i] for i in range(len(text)) if i not in covered)
    assert all(masked[i] == "\n" for i, ch in enumerate(text) if ch == "\n")


def test_a_link_widget_is_masked_from_the_repeated_full_name_to_more() -> None:
    masked = mask_furniture(WIDGET)
    assert_masked_only(WIDGET, masked)
    assert "Sen. Jane Doe " in masked and "(R-Ore.) said on the Senate floor" in masked
    assert "DoeSenate" not in masked and "MORE" not in masked and "budget fight" not in masked


def test_a_widget_of_the_name_alone_glued_to_more_is_masked_and_stays_out_of_speakers(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Lawmakers who met with chief of staff Ray Pomeroy Raymond Earl PomeroyMORE told reporters that the "
            "tariffs would stay.")
    masked = mask_furniture(text)
    assert_masked_only(text, masked)
    assert "chief of staff Ray Pomeroy " in masked and "MORE" not in masked and "Earl" not in masked
    e = run(extractor, text, "2019-05-20")
    assert not [c.speaker_text for c in e.claims if "MORE" in c.speaker_text or "Earl" in c.speaker_text]


def test_captions_credits_newsletters_and_a_repeated_headline_are_masked() -> None:
    text = "\n\n".join(["Dairy Deal Reached", CAPTION, BODY, NEWSLETTER, COPYRIGHT])
    masked = mask_furniture(text, title="Dairy Deal Reached")
    assert_masked_only(text, masked, "Dairy Deal Reached")
    assert masked.split() == BODY.split()
    kinds = {f.kind for f in find_furniture(text, "Dairy Deal Reached")}
    assert kinds == {"headline", "photo-credit", "newsletter"}


@pytest.mark.parametrize("text", [
    BODY,
    "Rep. Kevin McCarthy and Sen. Ron DeSantis MORE or less agreed, said Mitch McConnell.",  # no glued name
    "He cited figures from the Bureau of Labor Statistics (BLS) and a study (2018).",
])
def test_text_without_furniture_is_unchanged(text: str) -> None:
    assert mask_furniture(text) == text


def test_extraction_reads_through_furniture_with_offsets_into_the_published_text(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "\n\n".join([CAPTION, WIDGET, BODY])
    e = run(extractor, text, "2019-05-20")  # checks every span against the published text
    names = {e.name for e in e.entities}
    assert not any("DoeSenate" in n or "/" in n or "MORE" in n for n in names), names
    assert any(c.speaker and "doe" in c.speaker for c in e.claims), [(c.text, c.speaker) for c in e.claims]
    assert not any("rally in Dayton" in c.text for c in e.claims)
