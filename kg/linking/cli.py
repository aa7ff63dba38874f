"""``kg link``: reconcile the store's people and organisations with Wikidata (see docs/linking.md).

Exit status: 0 when every entity was looked up (or ``--offline`` was asked for), 3 when the endpoint could not be
reached for some entities (what could be decided from the cache is written all the same), 1 on any other error.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kg import config

if TYPE_CHECKING:
    from kg.linking.links import LinkRecord
    from kg.linking.score import Subject, Verdict

EXIT_UNREACHABLE = 3


def _threshold() -> float:
    from kg.linking.score import DEFAULT_THRESHOLD
    return float(config.env("LINK_THRESHOLD", str(DEFAULT_THRESHOLD)) or DEFAULT_THRESHOLD)


@click.command()
@click.option("--endpoint", envvar="KG_LINK_ENDPOINT", default="https://query.wikidata.org/sparql",
              show_default=True, help="Wikidata-compatible SPARQL endpoint. [env KG_LINK_ENDPOINT]")
@click.option("--store", "store_location", envvar="KG_STORE", default=None,
              help="Store folder or http(s):// SPARQL endpoint of a remote store. [env KG_STORE; default ./data/store]")
@click.option("--threshold", type=click.FloatRange(0.0, 1.0), default=None,
              help="Lowest score that makes a link (0..1). [env KG_LINK_THRESHOLD; default 0.75]")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of cached endpoint answers. [env KG_LINK_CACHE; default ./data/link-cache]")
@click.option("--offline", is_flag=True, help="Never use the network: decide from cached answers only.")
@click.option("--review", is_flag=True, help="List the stored links and the candidates kept for review; no lookup.")
@click.option("--drop", is_flag=True, help="Remove every link and candidate made by kg link; no lookup.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a terminal).")
def link(endpoint: str, store_location: str | None, threshold: float | None, cache_dir: Path | None, offline: bool,
         review: bool, drop: bool, progress: bool | None) -> None:
    """Link people and organisations that have no Wikidata link to their Wikidata items.

    Candidates are found by English label and alias among humans or organisations, and scored with what the
    articles say: the country a person acts for or holds a post in, and the posts held. Links at or above the
    threshold go into the graph https://w3id.org/claimgraph/graph/links with their score and method; the other
    candidates (including rejected namesakes, with the reason) are kept for `kg link --review`.
    Exit status 3 means the endpoint could not be reached.
    """
    from kg.linking.endpoint import SparqlClient, cache_location
    from kg.linking.links import drop_links, link_store, stored_candidates, stored_links
    from kg.store import open_store

    if review and drop:
        raise click.UsageError("--review and --drop do not go together: review first, then drop")
    with open_store(config.store_location(store_location)) as store:
        if drop:
            n = drop_links(store)
            click.echo(f"dropped {n} link(s) and every kept candidate", err=True)
            return
        if review:
            _print_review(stored_links(store), stored_candidates(store))
            return
        client = SparqlClient(endpoint, cache_dir=cache_location(str(cache_dir) if cache_dir else None),
                              offline=offline)
        show = sys.stderr.isatty() if progress is None else progress
        with click.progressbar(length=0, label="linking", file=sys.stderr, show_pos=True, hidden=not show) as bar:
            def step(subject: Subject, verdict: Verdict | None) -> None:
                bar.update(1)
                if verdict is not None:
                    click.echo(f"linked {subject.label} <{subject.iri}> = wd:{verdict.candidate.qid} "
                               f"({verdict.candidate.label or '?'}), score {verdict.score:.2f}")
            report = link_store(store, client, threshold=threshold if threshold is not None else _threshold(),
                                progress=step)
    rejected = sum(1 for v in report.candidates if v.rejected)
    click.echo(f"{report.subjects} entities without a Wikidata link: {len(report.linked)} linked, "
               f"{len(report.candidates) - rejected} candidate(s) kept for review, {rejected} namesake(s) rejected, "
               f"{len(report.skipped)} not looked up; {report.requests} request(s) sent, "
               f"{report.cache_hits} answer(s) from the cache {client.cache_dir}", err=True)
    if report.candidates:
        click.echo("see the candidates with: kg link --review", err=True)
    if report.unreachable:
        click.echo(f"the endpoint is unreachable ({report.unreachable}); {len(report.skipped)} entities were not "
                   "looked up. Rerun when it is back; cached answers are reused.", err=True)
        sys.exit(EXIT_UNREACHABLE)
    if offline and report.skipped:
        click.echo(f"--offline: {len(report.skipped)} entities have no cached answer and were not looked up",
                   err=True)


def _print_review(links: list[LinkRecord], candidates: list[LinkRecord]) -> None:
    click.echo(f"{len(links)} link(s) in https://w3id.org/claimgraph/graph/links:")
    for r in links:
        click.echo(f"  {r.subject_label} <{r.subject}> = <{r.target}> score {r.score:.2f}: {r.method}")
    click.echo(f"{len(candidates)} candidate(s) kept for review in https://w3id.org/claimgraph/graph/link-candidates:")
    for r in candidates:
        click.echo(f"  {r.label} score {r.score:.2f}: {r.method}")
    if candidates:
        click.echo("Lower --threshold and rerun to accept more (cached answers are reused); kg link --drop undoes "
                   "every link.")
