"""The learned proposer: a spaCy token tagger (``claim_tagger``) trained on PolNeAR and our gold sets, which runs in
the extractor's ``nlp.pipe`` batch and proposes claims the rules did not find (``arbiter``).

``KG_LEARNED_PROPOSER`` chooses: ``off`` (the default: the pipeline is loaded without it), ``on`` (rules first, the
model fills gaps), ``only`` (the model's candidates alone, for measuring it). The weights ship in ``model/``;
``scripts/train_claim_tagger.py`` reproduces them. See docs/extraction.md, "Learned proposer".
"""

from __future__ import annotations

import json
import os
from importlib.resources import as_file, files
from pathlib import Path
from typing import Literal

from spacy.language import Language
from spacy.util import is_package

from kg.extract.learned.component import COMPONENT, SIZE_FILE, claim_tagger, model_config
from kg.extract.learned.rescore import load_rescorer
from kg.extract.lemmas import use_pipeline

SETTING = "KG_LEARNED_PROPOSER"
Mode = Literal["off", "on", "only"]
MODES: tuple[Mode, ...] = ("off", "on", "only")

__all__ = ["COMPONENT", "MODES", "SETTING", "Mode", "add_claim_tagger", "proposer_mode"]


def proposer_mode(value: str | None = None) -> Mode:
    """``value``, else ``KG_LEARNED_PROPOSER``, else ``off``; raises ValueError naming the setting otherwise."""
    raw = (value if value is not None else os.environ.get(SETTING, "")).strip().lower() or "off"
    if raw not in MODES:
        raise ValueError(f"{SETTING} must be one of {', '.join(MODES)}, got {raw!r}")
    return raw


def add_claim_tagger(nlp: Language, mode: Mode = "on", model: Path | None = None) -> Language:
    """Add the trained claim tagger last in ``nlp`` (after the parser and recogniser whose output it reads).
    ``mode`` "only" marks its docs so that the arbiter drops rule claims. ``model`` defaults to the weights in the
    package; raises FileNotFoundError when they are missing."""
    if model is not None:
        return _load(nlp, model, mode)
    with as_file(files("kg.extract.learned").joinpath("model")) as path:
        return _load(nlp, path, mode)


def _load(nlp: Language, path: Path, mode: Mode) -> Language:
    if not (path / "model").is_file():
        raise FileNotFoundError(f"claim tagger weights not found in {path}: reinstall claimgraph, or train them with "
                                f"`python scripts/train_claim_tagger.py`, or set {SETTING}=off")
    size = path / SIZE_FILE
    model = model_config(**json.loads(size.read_text(encoding="utf-8"))) if size.is_file() else model_config()
    nlp.add_pipe(COMPONENT, last=True, config={"keep_rules": mode != "only", "model": model})
    tagger = claim_tagger(nlp)
    tagger.from_disk(path, exclude=["vocab"])
    tagger.rescorer = load_rescorer(path)
    name = f"{nlp.lang}_{nlp.meta.get('name', '')}"
    if "lemmatizer" not in nlp.pipe_names and is_package(name):
        use_pipeline(name)  # the rule features read verb lemmas (features.is_saying) as in training
    return nlp
