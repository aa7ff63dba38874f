#!/usr/bin/env python3
"""Generate the project's RDF reference data from ``../shared/refdata/*.csv``.

    python scripts/build_reference.py [--refdata ../shared/refdata] [--out ontology/reference]

Writes ``countries.ttl`` (all ISO 3166-1 countries), ``officials.ttl`` (the officials with their posts and
tenures) and ``organizations.ttl`` (from the hand-curated ``organizations.csv`` beside them: government bodies and
international organisations common in trade news, without identifiers until a source verifies them).
``owl:sameAs`` links are written only where the CSV has an identifier: none is invented. Demonyms are a
curated list kept here (no source file carries them). The output is committed, so the project works without
``../shared``; rerun this script when the CSV files change.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from rdflib import Graph, Literal, URIRef

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.vocab import CG, DCTERMS, FOAF, ORG, OWL, PREFIXES, RDF, RDFS, SCHEMA, SKOS, WD, XSD, id_iri, slug  # noqa: E402

# Demonyms and adjectives by ISO alpha-2: common English forms, curated by hand (general knowledge).
DEMONYMS: dict[str, list[str]] = {
    "US": ["American", "Americans"], "CA": ["Canadian", "Canadians"], "MX": ["Mexican", "Mexicans"],
    "CN": ["Chinese"], "JP": ["Japanese"], "GB": ["British", "Briton", "Britons"], "DE": ["German", "Germans"],
    "FR": ["French"], "IT": ["Italian", "Italians"], "ES": ["Spanish"], "IN": ["Indian", "Indians"],
    "BR": ["Brazilian", "Brazilians"], "KR": ["South Korean", "South Koreans"], "KP": ["North Korean"],
    "RU": ["Russian", "Russians"], "AU": ["Australian", "Australians"], "IE": ["Irish"], "NL": ["Dutch"],
    "BE": ["Belgian"], "CH": ["Swiss"], "SE": ["Swedish"], "NO": ["Norwegian"], "DK": ["Danish"],
    "PL": ["Polish"], "TR": ["Turkish"], "IL": ["Israeli", "Israelis"], "IR": ["Iranian", "Iranians"],
    "SA": ["Saudi", "Saudis"], "EG": ["Egyptian"], "ZA": ["South African"], "NG": ["Nigerian"],
    "AR": ["Argentine", "Argentinian"], "CL": ["Chilean"], "CO": ["Colombian"], "PE": ["Peruvian"],
    "VE": ["Venezuelan", "Venezuelans"], "CU": ["Cuban", "Cubans"], "VN": ["Vietnamese"], "TH": ["Thai"],
    "ID": ["Indonesian"], "MY": ["Malaysian"], "PH": ["Filipino", "Philippine"], "SG": ["Singaporean"],
    "NZ": ["New Zealand"], "PK": ["Pakistani"], "AF": ["Afghan", "Afghans"], "IQ": ["Iraqi", "Iraqis"],
    "SY": ["Syrian", "Syrians"], "UA": ["Ukrainian", "Ukrainians"], "GR": ["Greek"], "PT": ["Portuguese"],
    "AT": ["Austrian"], "FI": ["Finnish"], "HU": ["Hungarian"], "CZ": ["Czech"], "TW": ["Taiwanese"],
    "HK": ["Hong Kong"], "GT": ["Guatemalan", "Guatemalans"], "HN": ["Honduran", "Hondurans"],
    "SV": ["Salvadoran", "Salvadorans"], "QA": ["Qatari"], "AE": ["Emirati"], "JO": ["Jordanian"],
    "LB": ["Lebanese"], "PS": ["Palestinian", "Palestinians"], "LY": ["Libyan"], "KE": ["Kenyan"],
    "ET": ["Ethiopian"],
}


def country_graph(rows: list[dict[str, str]]) -> Graph:
    g = new_graph()
    for r in rows:
        c = URIRef(id_iri(f"country/{r['iso_alpha2']}"))
        g.add((c, RDF.type, CG.Country))
        g.add((c, RDF.type, SCHEMA.Country))
        g.add((c, RDFS.label, Literal(r["name"], lang="en")))
        g.add((c, CG.isoAlpha2, Literal(r["iso_alpha2"])))
        g.add((c, CG.isoAlpha3, Literal(r["iso_alpha3"])))
        g.add((c, CG.isoNumeric, Literal(r["iso_numeric"])))
        for alias in filter(None, r["aliases"].split("|")):
            if alias != r["name"]:
                g.add((c, SKOS.altLabel, Literal(alias, lang="en")))
        for demonym in DEMONYMS.get(r["iso_alpha2"], []):
            g.add((c, CG.demonym, Literal(demonym, lang="en")))
        if r["wikidata_qid"]:
            g.add((c, OWL.sameAs, WD[r["wikidata_qid"]]))
        if r["dbpedia_uri"]:
            g.add((c, OWL.sameAs, URIRef(r["dbpedia_uri"])))
    return g


def official_graph(rows: list[dict[str, str]], countries: set[str]) -> Graph:
    g = new_graph()
    for r in rows:
        person_slug = slug(r["name"])
        person = URIRef(id_iri(f"person/{person_slug}"))
        g.add((person, RDF.type, CG.Official))
        g.add((person, RDF.type, FOAF.Person))
        g.add((person, RDFS.label, Literal(r["name"], lang="en")))
        for alias in filter(None, r["aliases"].split("|")):
            g.add((person, SKOS.altLabel, Literal(alias, lang="en")))
        if r["wikidata_qid"]:
            g.add((person, OWL.sameAs, WD[r["wikidata_qid"]]))
        iso = r["country_iso2"]
        owner = f"country/{iso}" if iso in countries else f"org/{slug(OWNERS.get(iso, iso))}"
        if iso in countries:
            g.add((person, CG.actsFor, URIRef(id_iri(owner))))
        post = URIRef(id_iri(f"post/{owner.split('/', 1)[1]}/{slug(r['post'])}"))
        g.add((post, RDF.type, CG.Post))
        g.add((post, RDF.type, ORG.Post))
        g.add((post, RDFS.label, Literal(r["post"], lang="en")))
        g.add((post, CG.postCountry if iso in countries else ORG.postIn, URIRef(id_iri(owner))))
        g.add((post, ORG.heldBy, person))
        g.add((person, ORG.holds, post))
        tenure = URIRef(id_iri(f"tenure/{person_slug}/{owner.split('/', 1)[1]}/{slug(r['post'])}"))
        g.add((tenure, RDF.type, CG.Tenure))
        g.add((tenure, CG.tenureOf, post))
        g.add((tenure, CG.tenureHolder, person))
        if r["post_start"]:
            g.add((tenure, SCHEMA.startDate, Literal(r["post_start"], datatype=XSD.date)))
        if r["post_end"]:
            g.add((tenure, SCHEMA.endDate, Literal(r["post_end"], datatype=XSD.date)))
        g.add((tenure, DCTERMS.source, Literal(r["source"])))
    return g


def organization_graph(rows: list[dict[str, str]]) -> Graph:
    g = new_graph()
    for r in rows:
        o = URIRef(id_iri(f"org/{r['key']}"))
        g.add((o, RDF.type, CG[r["type"]]))
        g.add((o, RDF.type, SCHEMA.GovernmentOrganization if r["type"] == "GovernmentBody" else SCHEMA.Organization))
        g.add((o, RDFS.label, Literal(r["name"], lang="en")))
        for alias in filter(None, r["aliases"].split("|")):
            g.add((o, SKOS.altLabel, Literal(alias, lang="en")))
        if r["country_iso2"]:
            g.add((o, CG.actsFor, URIRef(id_iri(f"country/{r['country_iso2']}"))))
    return g


# Codes in officials.csv that are not ISO 3166-1 countries, and the organisation a post there belongs to.
OWNERS = {"EU": "European Union"}


def new_graph() -> Graph:
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
    return g


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def main(argv: list[str] | None = None) -> int:
    here = Path(__file__).resolve().parents[1]
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--refdata", type=Path, default=here.parent / "shared" / "refdata")
    ap.add_argument("--out", type=Path, default=here / "ontology" / "reference")
    a = ap.parse_args(argv)
    if not (a.refdata / "countries.csv").exists():
        ap.error(f"no countries.csv in {a.refdata}: pass --refdata")
    countries = read_csv(a.refdata / "countries.csv")
    officials = read_csv(a.refdata / "officials.csv")
    a.out.mkdir(parents=True, exist_ok=True)
    header = "# Generated by scripts/build_reference.py from shared/refdata; do not edit by hand.\n"
    organizations = read_csv(a.out / "organizations.csv")
    for name, g in (("countries.ttl", country_graph(countries)),
                    ("organizations.ttl", organization_graph(organizations)),
                    ("officials.ttl", official_graph(officials, {r["iso_alpha2"] for r in countries}))):
        (a.out / name).write_text(header + g.serialize(format="turtle"), encoding="utf-8")
        print(f"{a.out / name}: {len(g)} triples")
    return 0


if __name__ == "__main__":
    sys.exit(main())
