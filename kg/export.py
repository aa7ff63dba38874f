"""``kg export``: the store as RDF, optionally with its VoID description."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from kg import formats
from kg.errors import BadInput, NotFound
from kg.store import Store
from kg.vocab import ID_BASE, PREFIXES, graph_iri

_ID = ID_BASE
EXPORT_FORMATS: dict[str, ox.RdfFormat] = {f.name: f.rdf for f in formats.GRAPHS if f.rdf is not None}
"""``kg export --format``: every graph format of kg.formats."""


@contextmanager
def replacing(path: Path) -> Iterator[IO[bytes]]:
    """A file that replaces ``path`` when the block ends without an error; after an error ``path`` is untouched.

    Raises BadInput when the folder of ``path`` does not exist.
    """
    if not path.parent.is_dir():
        raise BadInput(f"cannot write {path}: the folder {path.parent} does not exist")
    handle, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    umask = os.umask(0)
    os.umask(umask)
    os.fchmod(handle, 0o666 & ~umask)  # the mode a plain open() would give, not mkstemp's 0600
    try:
        with os.fdopen(handle, "wb") as f:
            yield f
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def checked_graph(store: Store, graph: str) -> str:
    """``graph`` as the IRI of a named graph the store holds.

    Raises BadInput when it is not an absolute IRI, NotFound when the store holds no quad in that graph (naming
    the article's graph when an article IRI was given instead).
    """
    try:
        iri = ox.NamedNode(graph).value
    except ValueError as e:
        raise BadInput(f"--graph {graph!r} is not an absolute IRI ({e}); "
                       f"e.g. {graph_iri('article/<key>')}") from None
    if store.has_graph(iri):
        return iri
    hint = ""
    if iri.startswith(_ID) and store.has_graph(graph_iri(iri[len(_ID):])):
        hint = f"; {iri} is a resource, its graph is {graph_iri(iri[len(_ID):])}"
    raise NotFound(f"the store {store.location} holds no graph {iri}{hint} (list the graphs with: "
                   "kg query --sparql 'SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }')")


def export_store(store: Store, output: IO[bytes], fmt: str, *, graph: str | None = None,
                 with_void: bool = True) -> None:
    """Write the store in ``fmt`` (a key of ``EXPORT_FORMATS``).

    N-Quads and N-Triples are written sorted, line by line, so that two stores holding the same quads export
    byte-identical files. The VoID description (graph ``…/graph/void``) is appended for whole-store exports. One
    ``graph`` keeps its name in the dataset formats (N-Quads, TriG); the other formats write its triples.
    Raises ValueError for an unknown format, BadInput or NotFound for a bad ``graph`` (see ``checked_graph``).
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: choose one of {', '.join(EXPORT_FORMATS)}")
    rdf_format = EXPORT_FORMATS[fmt]
    if graph is not None:
        graph = checked_graph(store, graph)
        if rdf_format.supports_datasets:
            _export_named_graph(store, output, rdf_format, graph)
            return
    extra: list[ox.Quad] = []
    if with_void and graph is None:
        from kg.void import void_quads
        extra = void_quads(store)
    if fmt in ("nquads", "ntriples"):
        buffer = io.BytesIO()
        store.dump(buffer, rdf_format, graph=graph)
        _write_sorted_lines(output, buffer.getvalue(),
                            ox.serialize(extra if fmt == "nquads" else [q.triple for q in extra], format=rdf_format)
                            if extra else b"")
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


def _export_named_graph(store: Store, output: IO[bytes], rdf_format: ox.RdfFormat, graph: str) -> None:
    """One graph with its name (``Store.dump`` of one graph gives its triples): N-Quads sorted, TriG with prefixes."""
    buffer = io.BytesIO()
    store.dump(buffer, ox.RdfFormat.N_TRIPLES, graph=graph)
    name = ox.NamedNode(graph)
    quads = [ox.Quad(t.subject, t.predicate, t.object, name)
             for t in ox.parse(buffer.getvalue(), ox.RdfFormat.N_TRIPLES)]
    if rdf_format == ox.RdfFormat.N_QUADS:
        _write_sorted_lines(output, ox.serialize(quads, format=rdf_format))
    else:
        ox.serialize(quads, output, rdf_format, prefixes=PREFIXES)


def _write_sorted_lines(output: IO[bytes], *chunks: bytes | None) -> None:
    """The distinct lines of N-Quads / N-Triples ``chunks``, sorted: equal data, byte-identical output."""
    lines = {line for chunk in chunks for line in (chunk or b"").splitlines() if line}
    output.writelines(line + b"\n" for line in sorted(lines))
