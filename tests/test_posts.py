"""Posts: only an office is a post, and a post's country comes from its own words or the reference data."""

from __future__ import annotations

from tests.extracting import run


def test_descriptions_and_groups_are_not_posts(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Jane Roe, a White House adviser, said the deal was close. The leading Democratic candidate, Tom Poe, "
            "said Canada would sign. Republican nominee Ann Doe said Mexico's offer was weak.\n\n"
            "Senate Majority Leader Mitch McConnell said the Senate would vote in June.")
    e = run(extractor, text, "2018-06-01")
    titles = {p.title for p in e.posts}
    assert not any(w in t.lower() for t in titles for w in ("adviser", "candidate", "nominee")), titles
    assert any("Majority Leader" in t for t in titles), titles


def test_a_country_before_the_title_is_not_its_country(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("James Blanchard, an ambassador to Canada under President Bill Clinton, said the bridge mattered.\n\n"
            "Canada's Prime Minister Justin Trudeau said the talks would go on.")
    e = run(extractor, text, "2018-06-01")
    clinton = [p for p in e.posts if "clinton" in p.holder]
    assert all(p.country != "CA" for p in clinton), clinton
    clinton_entity = next((x for x in e.entities if "clinton" in x.key), None)
    assert clinton_entity is None or clinton_entity.country != "CA"
    trudeau = [p for p in e.posts if p.holder == "person/justin-trudeau"]
    assert trudeau and trudeau[0].country == "CA"


def test_a_title_said_to_someone_is_not_the_speakers_post(extractor) -> None:  # type: ignore[no-untyped-def]
    """A transcript's speaker label, then a vocative ("DONALD TRUMP: Secretary, is it ...") or a greeting after
    a colon: the title is the person spoken to's, not an apposition of the speaker's name."""
    text = ("LESTER HOLT: Secretary Clinton, thank you.\n\n"
            "DONALD TRUMP: Secretary, is it President Obama's fault?\n\n"
            "HILLARY CLINTON: Senator, you have no plan.")
    e = run(extractor, text, "2016-09-27")
    assert not [p for p in e.posts if "trump" in p.holder or "holt" in p.holder], e.posts


def test_a_title_keeps_the_and_of_its_committee_or_department(extractor) -> None:  # type: ignore[no-untyped-def]
    """"House Ways and Means Committee Chairman Richard Neal" is chairman of Ways and Means, not of "Means"; an
    "and" between a person and a title still parts them ("Trump and Commerce Secretary Wilbur Ross")."""
    text = ("House Ways and Means Committee Chairman Richard Neal said the bill needed work.\n\n"
            "Health and Human Services Secretary Alex Azar said prices would fall.\n\n"
            "President Donald Trump and Commerce Secretary Wilbur Ross said the tariffs would stay.")
    e = run(extractor, text, "2019-06-01")
    titles = {p.holder.split("/")[-1]: p.title for p in e.posts}
    neal = next(t for k, t in titles.items() if "neal" in k)
    assert neal.startswith("House Ways and Means") or neal.startswith("Ways and Means"), titles
    azar = next((t for k, t in titles.items() if "azar" in k), None)
    assert azar is None or "Health and Human Services" in azar, titles
    assert "Trump" not in titles.get("wilbur-ross", ""), titles
