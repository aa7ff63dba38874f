"""Hand-made extractions for mapping and store tests: real dataclasses, no spaCy needed."""

from __future__ import annotations

from kg.extract.model import Article, Claim, Entity, Extraction, Mention, Post

TEXT = ("Mexico's chief negotiator, Ana Ruiz, said the sunset clause was unacceptable.\n\n"
        "“We will not sign a deal that expires,” Ruiz told reporters in Ottawa on Tuesday.")


def span_of(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def sample_extraction(article_id: str = "test-article-1", text: str = TEXT, *,
                      published: str | None = "2018-05-03") -> Extraction:
    """Two claims by a person not in the reference data, a post from the text, and a known country."""
    article = Article(id=article_id, text=text, url="https://news.example/a1", title="Talks stall",
                      publisher="Example News", published=published)
    s1 = span_of(text, "the sunset clause was unacceptable")
    s2 = span_of(text, "We will not sign a deal that expires,")
    ruiz = Entity(key="person/ana-ruiz", type="Official", name="Ana Ruiz", aliases=["Ruiz"], country="MX",
                  confidence=0.8, mentions=[Mention(*span_of(text, "Ana Ruiz"), "Ana Ruiz", 0.8)])
    mexico = Entity(key="country/MX", type="Country", name="Mexico", country="MX", known=True,
                    mentions=[Mention(0, 6, "Mexico", 0.99)])
    claims = [
        Claim(kind="indirect", text=text[s1[0]:s1[1]], start=s1[0], end=s1[1], speaker="person/ana-ruiz",
              speaker_text="Ana Ruiz", cue="said", issues=["sunset-clause"], countries=[], date="2018-05-03",
              date_precision="day", confidence=0.8),
        Claim(kind="direct", text=text[s2[0]:s2[1]], start=s2[0], end=s2[1], speaker="person/ana-ruiz",
              speaker_text="Ruiz", cue="told", issues=["sunset-clause", "negotiation-timeline"], countries=["MX"],
              date="2018-05-01", date_precision="day", confidence=0.9),
    ]
    posts = [Post(title="chief negotiator", holder="person/ana-ruiz", country="MX")]
    return Extraction(article=article, entities=[ruiz, mexico], posts=posts, claims=claims,
                      software="claimgraph 0.1.0", pipeline="en_core_web_sm 3.8.0",
                      started="2026-01-01T00:00:00Z", ended="2026-01-01T00:00:01Z")
