"""The learned proposer (kg.extract.learned): the shipped claim tagger loads and runs offline inside the spaCy
pipeline, the arbiter's policy on hand-built candidates, the setting, and the training script on a tiny slice."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from kg.extract import Extractor
from kg.extract.document import Document, build_document
from kg.extract.gazetteer import Gazetteer
from kg.extract.learned import COMPONENT, add_claim_tagger, proposer_mode
from kg.extract.learned.arbiter import arbitrate, unresolved_policy
from kg.extract.learned.component import LABELS
from kg.extract.learned.corpus import is_speech, label_paragraphs, trim_content
from kg.extract.learned.decode import candidates
from kg.extract.model import Article, Claim
from kg.extract.pipeline import DEFAULT_PIPELINE, blocks, describe, load_pipeline
from kg.reference import Reference, load_reference
from tests.extracting import run

ROOT = Path(__file__).resolve().parents[1]
TEXT = ("Robert Lighthizer said on Monday that the talks would resume in Washington next week. Mexico's economy "
        "minister told reporters the sides were close to a deal on car parts.")


@pytest.fixture(scope="module")
def bare() -> Language:
    return load_pipeline(DEFAULT_PIPELINE)


@pytest.fixture(scope="module")
def tagged() -> Language:
    return load_pipeline(DEFAULT_PIPELINE, "on")


@pytest.fixture(scope="module")
def reference() -> Reference:
    return load_reference()


@pytest.fixture(scope="module")
def gazetteer(bare: Language, reference: Reference) -> Gazetteer:
    return Gazetteer(bare, reference)


def test_the_shipped_tagger_runs_last_and_leaves_the_pipeline_tags_alone(bare: Language, tagged: Language) -> None:
    assert tagged.pipe_names[-1] == COMPONENT and COMPONENT not in bare.pipe_names
    assert describe(tagged).endswith(" + claim_tagger") and "claim_tagger" not in describe(bare)
    plain, doc = bare(TEXT), tagged(TEXT)
    assert [t.tag_ for t in doc] == [t.tag_ for t in plain]
    assert [t.dep_ for t in doc] == [t.dep_ for t in plain]
    labels, probs = doc._.claim_bio
    assert len(labels) == len(probs) == len(doc)
    assert set(labels) <= set(LABELS)
    assert all(0.0 < p <= 1.0 for p in probs)


def test_candidates_are_well_formed_and_find_reported_speech(tagged: Language) -> None:
    doc = tagged(TEXT)
    found = candidates(doc)
    assert found, f"no candidate in {TEXT!r}: {doc._.claim_bio[0]}"
    for c in found:
        for span in (c.content, c.cue, c.source):
            if span is not None:
                assert 0 <= span[0] < span[1] <= len(TEXT)
        assert not (c.content[0] < c.cue[1] and c.cue[0] < c.content[1])
        assert 0.0 < c.score <= 1.0
    contents = [TEXT[slice(*c.content)] for c in found]
    assert any("talks would resume" in x for x in contents), contents


def test_an_empty_doc_gets_empty_labels(tagged: Language) -> None:
    doc = tagged("")
    assert doc._.claim_bio == ([], []) and candidates(doc) == []


def _document(bare: Language, gazetteer: Gazetteer, text: str, bio: list[list[str]],
              keep_rules: bool = True) -> Document:
    """A Document of ``text`` whose blocks carry hand-written claim tagger labels (one list per block)."""
    cut = blocks(text)
    docs = [bare(text[b.start:b.end]) for b in cut]
    for doc, labels in zip(docs, bio, strict=True):
        assert len(labels) == len(doc), [t.text for t in doc]
        doc._.claim_bio = (labels, [0.9] * len(labels))
        doc._.claim_rules = keep_rules
    return build_document(text, "2018-06-14", cut, docs, gazetteer)


def _labels(doc_words: list[str], roles: dict[str, tuple[int, int]]) -> list[str]:
    labels = ["O"] * len(doc_words)
    for role, (i, j) in roles.items():
        for k in range(i, j):
            labels[k] = ("B-" if k == i else "I-") + role
    return labels


GAP = ("Robert Lighthizer said the talks would resume next week.\n\n"
       "Chrystia Freeland told reporters Canada would not accept a sunset clause.")


def _gap_labels(bare: Language) -> list[list[str]]:
    first, second = (bare(p) for p in GAP.split("\n\n"))
    # Lighthizer said | the talks would resume next week ; Freeland told | Canada would not accept a sunset clause
    return [_labels([t.text for t in first], {"SOURCE": (0, 2), "CUE": (2, 3), "CONTENT": (3, 9)}),
            _labels([t.text for t in second], {"SOURCE": (0, 2), "CUE": (2, 3), "CONTENT": (4, 11)})]


def _rule_claim(text: str, words: str) -> Claim:
    start = text.index(words)
    return Claim(kind="indirect", text=words, start=start, end=start + len(words), speaker="person/robert-lighthizer",
                 cue="said", confidence=0.8)


def test_a_rule_claim_beats_the_model_and_the_model_fills_the_gap(bare: Language, gazetteer: Gazetteer,
                                                                    reference: Reference) -> None:
    doc = _document(bare, gazetteer, GAP, _gap_labels(bare))
    rule = _rule_claim(GAP, "the talks would resume next week")
    out = [c for c, _ in arbitrate(doc, [(rule, None)], reference)]
    assert out[0] is rule
    assert len(out) == 2, [c.text for c in out]
    filled = out[1]
    assert filled.text == "Canada would not accept a sunset clause"
    assert filled.method == COMPONENT and filled.cue == "told" and filled.kind == "indirect"
    assert filled.speaker == "person/chrystia-freeland"
    assert GAP[filled.start:filled.end] == filled.text


def test_without_rule_claims_the_model_gives_both(bare: Language, gazetteer: Gazetteer,
                                                   reference: Reference) -> None:
    doc = _document(bare, gazetteer, GAP, _gap_labels(bare))
    out = [c for c, _ in arbitrate(doc, [], reference)]
    assert [c.speaker for c in out] == ["person/robert-lighthizer", "person/chrystia-freeland"]


def test_model_alone_drops_rule_claims(bare: Language, gazetteer: Gazetteer, reference: Reference) -> None:
    doc = _document(bare, gazetteer, GAP, _gap_labels(bare), keep_rules=False)
    rule = _rule_claim(GAP, "Robert Lighthizer said")  # a rule claim the model does not make
    out = [c for c, _ in arbitrate(doc, [(rule, None)], reference)]
    assert rule not in out and all(c.method == COMPONENT for c in out) and len(out) == 2


def test_an_unnamed_source_is_dropped_unless_kept(bare: Language, gazetteer: Gazetteer,
                                                  reference: Reference) -> None:
    text = "One senior official said the talks would resume next week."
    words = [t.text for t in bare(text)]
    labels = _labels(words, {"SOURCE": (0, 3), "CUE": (3, 4), "CONTENT": (4, 10)})
    doc = _document(bare, gazetteer, text, [labels])
    assert arbitrate(doc, [], reference, keep_unresolved=False) == []
    kept = [c for c, _ in arbitrate(doc, [], reference, keep_unresolved=True)]
    assert len(kept) == 1 and kept[0].speaker is None and "official" in kept[0].speaker_text


def test_low_scores_and_untagged_docs_add_nothing(bare: Language, gazetteer: Gazetteer,
                                                  reference: Reference) -> None:
    doc = _document(bare, gazetteer, GAP, _gap_labels(bare))
    assert arbitrate(doc, [], reference, min_score=0.95) == []
    untagged = build_document(GAP, None, blocks(GAP), [bare(p) for p in GAP.split("\n\n")], gazetteer)
    found = [(_rule_claim(GAP, "the talks would resume next week"), None)]
    assert arbitrate(untagged, found, reference) is found


def test_settings_name_themselves_when_wrong(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KG_LEARNED_PROPOSER", raising=False)
    assert proposer_mode() == "off" and proposer_mode(" ON ") == "on"
    with pytest.raises(ValueError, match="KG_LEARNED_PROPOSER"):
        proposer_mode("yes")
    monkeypatch.setenv("KG_LEARNED_UNRESOLVED", "maybe")
    with pytest.raises(ValueError, match="KG_LEARNED_UNRESOLVED"):
        unresolved_policy()
    assert unresolved_policy("keep") is True


def test_extraction_with_the_proposer_keeps_every_rule_claim(extractor: Extractor) -> None:
    text = (ROOT / "samples" / "nafta-talks-2018.json").read_text(encoding="utf-8")
    import json

    record = json.loads(text)
    article = Article(id=record["id"], text=record["text"], published=record.get("published"))
    rules = extractor.extract(article).claims
    both = Extractor(learned="on").extract(article)
    assert [(c.start, c.end, c.speaker) for c in both.claims if c.method != COMPONENT] == \
        [(c.start, c.end, c.speaker) for c in rules]
    spans = [(c.start, c.end) for c in rules]
    for c in both.claims:
        if c.method == COMPONENT:
            assert c.speaker is not None
            assert not any(s < c.end and c.start < e for s, e in spans)
    assert both.pipeline.endswith("+ claim_tagger")
    run(Extractor(learned="only"), record["text"])  # spans and confidences well-formed


def test_content_convention_and_speech_filter(bare: Language) -> None:
    text = 'He said: “We will leave.” and that they would stay'
    q = text.index("“")
    assert text[slice(*trim_content(text, q, q + 17))] == "We will leave."
    t = text.index("that")
    assert text[slice(*trim_content(text, t, len(text)))] == "they would stay"
    vocab = bare.vocab
    said = Doc(vocab, words=["Trump", "said"], lemmas=["Trump", "say"])
    thinks = Doc(vocab, words=["Trump", "thinks"], lemmas=["Trump", "think"])
    lemmas = frozenset({"say"})
    assert is_speech([(0, said)], (6, 10), "Trump said", lemmas)
    assert not is_speech([(0, thinks)], (6, 12), "Trump thinks", lemmas)
    assert is_speech([(0, thinks)], (0, 12), "according to", lemmas)


def test_labels_are_bio_and_skip_non_speech(bare: Language) -> None:
    from kg.extract.learned.corpus import Attribution

    text = "Lighthizer said the talks would resume."
    doc = bare(text)
    speech = Attribution((16, 38), (11, 15), (0, 10))
    [p] = label_paragraphs("a", [(0, doc)], [speech])
    assert p.labels == ["B-SOURCE", "B-CUE", "B-CONTENT", "I-CONTENT", "I-CONTENT", "I-CONTENT", "O"]
    [q] = label_paragraphs("a", [(0, doc)], [Attribution((16, 38), (11, 15), (0, 10), speech=False)])
    assert set(q.labels) == {"O"}


def test_training_runs_end_to_end_on_a_tiny_slice(shared_dir: Path, tmp_path: Path, bare: Language) -> None:
    from scripts.train_claim_tagger import main

    polnear = shared_dir / "polnear" / "polnear-train.jsonl.gz"
    if not polnear.is_file():
        pytest.skip(f"{polnear} is absent")
    out = tmp_path / "model"
    assert main(["--polnear", str(polnear), "--limit", "3", "--validation", "1", "--epochs", "1", "--ours",
                 "--cache", str(tmp_path / "cache"), "--out", str(out)]) == 0
    assert (out / "model").is_file() and (out / "cfg").is_file()
    nlp = load_pipeline(DEFAULT_PIPELINE)
    add_claim_tagger(nlp, model=out)
    labels, _ = nlp(TEXT)._.claim_bio
    assert len(labels) == len(nlp.make_doc(TEXT))
    with pytest.raises(SystemExit):
        main(["--ours", str(ROOT / "eval" / "holdout"), "--out", str(out)])


def test_a_discontinuous_content_is_labelled_as_its_pieces_around_the_cue(bare: Language) -> None:
    from kg.extract.learned.corpus import Attribution, content_pieces

    text = "“We will not sign,” she said on Monday. “Not this year.”"
    cue = (text.index("said"), text.index("said") + 4)
    source = (text.index("she"), text.index("she") + 3)
    pieces = content_pieces(text, (0, len(text)), cue, source)
    assert [text[a:b] for a, b in pieces] == ["We will not sign", "Not this year."]
    assert content_pieces(text, (0, 19), None, None) == ((1, 18),)  # no cue inside: the whole content, trimmed
    doc = bare(text)
    [p] = label_paragraphs("a", [(0, doc)], [Attribution((1, len(text) - 1), cue, source, pieces=pieces)])
    by_word = dict(zip([t.text for t in doc], p.labels, strict=True))
    assert by_word["said"] == "B-CUE" and by_word["she"] == "B-SOURCE" and by_word["Monday"] == "O"
    assert by_word["We"] == "B-CONTENT" and by_word["Not"] == "B-CONTENT" and by_word["year"] == "I-CONTENT"


def test_rule_features_mark_quotations_and_words_of_saying(tagged: Language) -> None:
    from kg.extract.learned.features import FEATURE_WIDTH, rule_features

    doc = tagged("“We will not sign,” she said, adding that talks would resume.")
    rows = rule_features(doc)
    assert rows.shape == (len(doc), FEATURE_WIDTH)
    words = [t.text for t in doc]
    assert rows[words.index("sign"), 0] == 1.0 and rows[words.index("talks"), 0] == 0.0  # inside the quotation
    assert rows[words.index("said"), 1] == 1.0 and rows[words.index("sign"), 1] == 0.0  # a word of saying
    assert rows[words.index("resume"), 2] == 1.0  # under one in the parse
    assert rows[0, 5] == 1.0  # a quotation mark


def test_the_rescorer_learns_and_round_trips(tmp_path: Path) -> None:
    import json

    from kg.extract.learned.rescore import FEATURE_NAMES, RESCORER_FILE, fit, load_rescorer

    width = len(FEATURE_NAMES)
    good = [[1.0] * width for _ in range(20)]
    bad = [[0.0] * width for _ in range(20)]
    model = fit(good + bad, [True] * 20 + [False] * 20)
    assert model.probability([1.0] * width) > 0.8 > 0.2 > model.probability([0.0] * width)
    (tmp_path / RESCORER_FILE).write_text(model.to_json(), encoding="utf-8")
    assert load_rescorer(tmp_path) == model
    assert load_rescorer(tmp_path / "absent") is None
    data = json.loads(model.to_json())
    data["features"] = data["features"][:-1]
    (tmp_path / RESCORER_FILE).write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="other features"):
        load_rescorer(tmp_path)


def test_polnear_is_scored_under_our_conventions_beside_its_own() -> None:
    from benchmarks.learned_eval import mapped_counts
    from kg.extract.learned.corpus import Attribution

    # “We will not sign,” she said. “Not this year.” / He said the move reeks of “fear”. / Polls show a lead.
    quote = Attribution((1, 47), (21, 25), (17, 20), pieces=((1, 17), (31, 45)))
    clause = Attribution((56, 80), (50, 54), (47, 49))
    belief = Attribution((95, 110), (88, 94), None, speech=False)
    gold = [(quote, True), (clause, True), (belief, False)]
    claims = [(1, 17, "direct"), (31, 45, "direct"), (72, 76, "mixed"), (95, 110, "indirect"), (120, 130, "direct")]
    found, pieces, right = mapped_counts(gold, claims)
    assert (found, pieces) == (3, 3)  # both pieces of the quote, and the clause through its quoted fragment
    assert right == 4  # the claim at 120-130 matches nothing
    assert mapped_counts(gold, []) == (0, 3, 0)
