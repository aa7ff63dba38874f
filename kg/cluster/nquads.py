"""N-Quads files for a bulk loader: what ``kg ingest --cluster … --nquads DIR`` leaves in DIR.

* ``part-00000.nq``, ``part-00001.nq``, …: the article graphs of one partition each (every graph whole, with its
  completeness record), in input order;
* ``entities.nq``: the shared entities graph, its labels settled over all the articles as ``kg ingest`` settles
  them (``kg.entity_graph.settle_labels``);
* ``static.nq``: the ontology, issue taxonomy and reference data graphs;
* ``manifest.json``: the files with their SHA-256, quad and article counts, the software and pipeline, and the
  records skipped, written last.

Every file is written whole or not at all (a temporary file renamed into place, ``kg.export.replacing``); part
files of an earlier run that this one did not write are removed once the manifest is in place. Loading every file
the manifest lists into an empty store (``oxigraph load --location STORE --file DIR/*.nq``) gives the quads
``kg ingest`` of the same articles gives (extraction times aside).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from pyoxigraph import NamedNode, RdfFormat

from kg.articles import Skipped
from kg.cluster.work import Done
from kg.entity_graph import settle_labels
from kg.export import replacing
from kg.fingerprint import software
from kg.ingest import ensure_static_graphs
from kg.store import EmbeddedStore
from kg.vocab import ENTITIES_GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH

MANIFEST = "manifest.json"
SETTLE_CHUNK = 500  # nodes per settle_labels query


def part_name(index: int) -> str:
    """>>> part_name(7)
    'part-00007.nq'
    """
    return f"part-{index:05d}.nq"


class NQuadsOutput:
    """Collects partitions as they finish (in any order) and writes the folder described in the module doc."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        work = folder / ".entities-work"
        shutil.rmtree(work, ignore_errors=True)  # left by a run that was cut short: derived, never data
        self._work = EmbeddedStore(work)
        ensure_static_graphs(self._work)
        self._labelled: set[str] = set()
        self.files: dict[int, dict[str, Any]] = {}

    def _write(self, name: str, data: bytes) -> dict[str, Any]:
        with replacing(self.folder / name) as f:
            f.write(data)
        return {"file": name, "sha256": hashlib.sha256(data).hexdigest(), "quads": data.count(b"\n")}

    def add(self, index: int, done: Iterable[Done]) -> None:
        """Write partition ``index`` (the articles of ``done`` that were written)."""
        written = [d for d in done if d.nquads]
        if not written:
            return
        entry = self._write(part_name(index), b"".join(d.nquads for d in written))
        self.files[index] = {**entry, "articles": [d.id for d in written]}
        for d in written:
            self._work.oxigraph.load(d.entity_input, format=RdfFormat.N_QUADS)
            self._labelled.update(d.labelled)

    def _graphs(self, *graphs: str) -> bytes:
        quads = [q for g in graphs for q in self._work.oxigraph.quads_for_pattern(None, None, None, NamedNode(g))]
        return ox.serialize(sorted(quads, key=str), format=RdfFormat.N_QUADS) or b""

    def finish(self, pipeline: str, skipped: list[Skipped]) -> Path:
        """Settle the labels, write ``entities.nq``, ``static.nq`` and the manifest; returns the manifest's path."""
        nodes = sorted(self._labelled)
        for i in range(0, len(nodes), SETTLE_CHUNK):
            settle_labels(self._work, nodes[i:i + SETTLE_CHUNK])
        entities = self._write("entities.nq", self._graphs(ENTITIES_GRAPH))
        static = self._write("static.nq", self._graphs(ONTOLOGY_GRAPH, REFERENCE_GRAPH))
        self.close()
        parts = [self.files[i] for i in sorted(self.files)]
        manifest = {"software": software(), "pipeline": pipeline, "articles": sum(len(p["articles"]) for p in parts),
                    "quads": sum(p["quads"] for p in [*parts, entities, static]),
                    "files": [*parts, {**entities, "graph": ENTITIES_GRAPH}, {**static, "graph": "static"}],
                    "skipped": [{"source": s.source, "reason": s.reason} for s in skipped]}
        with replacing(self.folder / MANIFEST) as f:
            f.write(json.dumps(manifest, indent=1, ensure_ascii=False).encode() + b"\n")
        listed = {p["file"] for p in parts}
        for stale in self.folder.glob("part-*.nq"):
            if stale.name not in listed:
                stale.unlink()
        return self.folder / MANIFEST

    def close(self) -> None:
        """Drop the working store (idempotent)."""
        if hasattr(self, "_work"):
            self._work.close()
            del self._work
            shutil.rmtree(self.folder / ".entities-work", ignore_errors=True)
