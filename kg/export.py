"""``kg export``: the store as RDF, optionally with its VoID description."""

from __future__ import annotations

import io
from typing import IO

import pyoxigraph as ox

from kg.store import EXPORT_FORMATS, Store
from kg.vocab import PREFIXES


def export_store(store: Store, output: IO[bytes], fmt: str, *, graph: str | None = None,
                 with_void: bool = True) -> None:
    """Write the store in ``fmt`` (a key of ``EXPORT_FORMATS``).

    N-Quads and N-Triples are written sorted, line by line, so that two stores holding the same quads export
    byte-identical files. The VoID description (graph ``…/graph/void``) is appended for whole-store exports.
    Raises ValueError for an unknown format.
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: choose one of {', '.join(EXPORT_FORMATS)}")
    rdf_format = EXPORT_FORMATS[fmt]
    extra: list[ox.Quad] = []
    if with_void and graph is None:
        from kg.void import void_quads
        extra = void_quads(store)
    if fmt in ("nquads", "ntriples"):
        buffer = io.BytesIO()
        store.dump(buffer, rdf_format, graph=graph)
        lines = set(buffer.getvalue().splitlines())
        if extra:
            lines |= set((ox.serialize(extra if fmt == "nquads" else [q.triple for q in extra],
                                       format=rdf_format) or b"").splitlines())
        output.writelines(line + b"\n" for line in sorted(lines) if line)
        return
    if not extra:
        store.dump(output, rdf_format, graph=graph)
        return
    # Structured formats: merge the VoID quads into one serialisation.
    buffer = io.BytesIO()
    store.dump(buffer, ox.RdfFormat.N_QUADS if rdf_format.supports_datasets else ox.RdfFormat.N_TRIPLES)
    data = list(ox.parse(buffer.getvalue(), ox.RdfFormat.N_QUADS if rdf_format.supports_datasets
                         else ox.RdfFormat.N_TRIPLES))
    data += extra if rdf_format.supports_datasets else [q.triple for q in extra]
    ox.serialize(data, output, rdf_format, prefixes=PREFIXES if rdf_format.name != "JSON-LD" else None)
