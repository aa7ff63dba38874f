#!/usr/bin/env python3
"""Generate the project's RDF reference data from ``../shared/refdata/*.csv``.

    python scripts/build_reference.py [--refdata ../shared/refdata] [--out ontology/reference]

Writes ``countries.ttl`` (all ISO 3166-1 countries), ``officials.ttl`` (the officials of ``officials.csv`` and the
members of Congress of ``us-legislators.csv``, one node per person, merged by Wikidata id, with their posts, tenures,
party memberships and the states their seats are for, named in the hand-curated ``us-states.csv``) and
``organizations.ttl`` (from the hand-curated ``organizations.csv`` beside them: government bodies and international
organisations common in trade news, without identifiers until a source verifies them).
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


def official_graph(rows: list[dict[str, str]], countries: set[str], regions: dict[str, dict[str, str]] | None = None
                   ) -> Graph:
    """Officials with their posts and tenures. A row may carry ``key`` (the person's entity key, when it is not
    ``person/<slug of name>``), ``dbpedia``, ``family_name``, ``party``, ``region`` (a US state code: the post is
    that state's seat, "United States Senator from Iowa") and ``chamber`` (the organisation key of the post)."""
    g = new_graph()
    for r in rows:
        person_key = r.get("key") or f"person/{slug(r['name'])}"
        person_slug = person_key.split("/", 1)[1]
        person = URIRef(id_iri(person_key))
        g.add((person, RDF.type, CG.Official))
        g.add((person, RDF.type, FOAF.Person))
        g.add((person, RDFS.label, Literal(r["name"], lang="en")))
        for alias in filter(None, r["aliases"].split("|")):
            if alias != r["name"]:
                g.add((person, SKOS.altLabel, Literal(alias, lang="en")))
        if r["wikidata_qid"]:
            g.add((person, OWL.sameAs, WD[r["wikidata_qid"]]))
        if r.get("dbpedia"):
            g.add((person, OWL.sameAs, URIRef(r["dbpedia"])))
        if r.get("family_name"):
            g.add((person, SCHEMA.familyName, Literal(r["family_name"], lang="en")))
        iso = r["country_iso2"]
        owner = f"country/{iso}" if iso in countries else f"org/{slug(OWNERS.get(iso, iso))}"
        if iso in countries:
            g.add((person, CG.actsFor, URIRef(id_iri(owner))))
        region = (regions or {}).get(r.get("region") or "")
        title = f"{r['post']} from {region['name']}" if region else r["post"]
        post = URIRef(id_iri(f"post/{owner.split('/', 1)[1]}/{slug(title)}"))
        g.add((post, RDF.type, CG.Post))
        g.add((post, RDF.type, ORG.Post))
        g.add((post, RDFS.label, Literal(title, lang="en")))
        g.add((post, CG.postCountry if iso in countries else ORG.postIn, URIRef(id_iri(owner))))
        if r.get("chamber"):
            g.add((post, ORG.postIn, URIRef(id_iri(r["chamber"]))))
        if region:
            g += region_graph(iso, region)
            g.add((post, CG.postRegion, URIRef(id_iri(f"region/{iso}-{region['code']}"))))
        g.add((post, ORG.heldBy, person))
        g.add((person, ORG.holds, post))
        tenure = URIRef(id_iri(f"tenure/{person_slug}/{owner.split('/', 1)[1]}/{slug(title)}"))
        g.add((tenure, RDF.type, CG.Tenure))
        g.add((tenure, CG.tenureOf, post))
        g.add((tenure, CG.tenureHolder, person))
        if r["post_start"]:
            g.add((tenure, SCHEMA.startDate, Literal(r["post_start"], datatype=XSD.date)))
        if r["post_end"]:
            g.add((tenure, SCHEMA.endDate, Literal(r["post_end"], datatype=XSD.date)))
        g.add((tenure, DCTERMS.source, Literal(r["source"])))
        if r.get("party") in PARTIES:
            g += membership_graph(person, person_slug, r["party"], r["source"])
    return g


def region_graph(iso: str, region: dict[str, str]) -> Graph:
    """A state (or district, territory) of a country: label, abbreviations, ISO 3166-2 code, its country."""
    g = Graph()
    node = URIRef(id_iri(f"region/{iso}-{region['code']}"))
    g.add((node, RDF.type, SCHEMA.State if region["kind"] == "State" else SCHEMA.AdministrativeArea))
    g.add((node, RDFS.label, Literal(region["name"], lang="en")))
    for alias in dict.fromkeys(filter(None, (region["ap_abbreviation"], region["code"]))):
        g.add((node, SKOS.altLabel, Literal(alias, lang="en")))
    g.add((node, SCHEMA.identifier, Literal(f"{iso}-{region['code']}")))
    g.add((node, SCHEMA.containedInPlace, URIRef(id_iri(f"country/{iso}"))))
    return g


# The party values of us-legislators.csv and the party each names; "Independent" names none.
PARTIES = {"Democrat": "Democratic Party", "Republican": "Republican Party"}


def membership_graph(person: URIRef, person_slug: str, party: str, source: str) -> Graph:
    """``person``'s membership of a US party (W3C ORG ``org:Membership``), and the party node."""
    g = Graph()
    name = PARTIES[party]
    node = URIRef(id_iri(f"org/{slug(name)}"))
    g.add((node, RDF.type, CG.Organization))
    g.add((node, RDF.type, ORG.FormalOrganization))
    g.add((node, RDF.type, SCHEMA.Organization))
    g.add((node, RDFS.label, Literal(name, lang="en")))
    g.add((node, CG.actsFor, URIRef(id_iri("country/US"))))
    membership = URIRef(id_iri(f"membership/{person_slug}/{slug(name)}"))
    g.add((membership, RDF.type, ORG.Membership))
    g.add((membership, ORG.member, person))
    g.add((membership, ORG.organization, node))
    g.add((membership, DCTERMS.source, Literal(f"{source}; party of the latest term")))
    return g


CHAMBERS = {"United States Senator": ("org/united-states-senate", "Sen.", "Senator"),
            "United States Representative": ("org/united-states-house-of-representatives", "Rep.", "Representative")}


def family_name(row: dict[str, str]) -> str:
    """The surname a member's titled alias uses ("Sen. Cortez Masto" -> "Cortez Masto"), else the name's last word."""
    titles = CHAMBERS[row["post"]][1:]
    for alias in row["aliases"].split("|"):
        for title in titles:
            if alias.startswith(title + " "):
                return alias[len(title) + 1:]
    return row["name"].replace(", Jr.", "").replace(", Sr.", "").split()[-1]


def merge_legislators(officials: list[dict[str, str]], legislators: list[dict[str, str]]) -> list[dict[str, str]]:
    """The rows of officials.csv and us-legislators.csv as one list, a member of Congress who is also in
    officials.csv (same Wikidata id) under that person's key, name and aliases (``officials.csv`` first)."""
    by_qid = {r["wikidata_qid"]: r for r in officials if r["wikidata_qid"]}
    keys = {f"person/{slug(r['name'])}": r["wikidata_qid"] for r in officials}
    out = [dict(r) for r in officials]
    for r in legislators:
        row = dict(r, family_name=family_name(r), chamber=CHAMBERS[r["post"]][0], region=r["state"])
        same = by_qid.get(r["wikidata_qid"]) if r["wikidata_qid"] else None
        if same is not None:
            aliases = dict.fromkeys([*same["aliases"].split("|"), *r["aliases"].split("|"), r["name"]])
            row.update(key=f"person/{slug(same['name'])}", name=same["name"], aliases="|".join(aliases))
        else:
            key = f"person/{slug(r['name'])}"
            if keys.get(key, r["wikidata_qid"]) != r["wikidata_qid"]:  # a namesake already has the key
                key = f"{key}-{r['wikidata_qid'].lower()}"
            keys[key] = r["wikidata_qid"]
            row["key"] = key
        out.append(row)
    members = {r["wikidata_qid"]: r for r in out if "chamber" in r and r["wikidata_qid"]}
    for r in out:  # an official of officials.csv who is a member: the member's DBpedia resource and surname
        member = members.get(r["wikidata_qid"]) if "chamber" not in r else None
        if member is not None:
            r.update(dbpedia=member["dbpedia"], family_name=member["family_name"])
    return out


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
    legislators_csv = a.refdata / "us-legislators.csv"
    legislators = read_csv(legislators_csv) if legislators_csv.exists() else []
    regions = {r["code"]: r for r in read_csv(a.out / "us-states.csv")}
    a.out.mkdir(parents=True, exist_ok=True)
    header = "# Generated by scripts/build_reference.py from shared/refdata; do not edit by hand.\n"
    organizations = read_csv(a.out / "organizations.csv")
    for name, g in (("countries.ttl", country_graph(countries)),
                    ("organizations.ttl", organization_graph(organizations)),
                    ("officials.ttl", official_graph(merge_legislators(officials, legislators),
                                                     {r["iso_alpha2"] for r in countries}, regions))):
        (a.out / name).write_text(header + g.serialize(format="turtle"), encoding="utf-8")
        print(f"{a.out / name}: {len(g)} triples")
    return 0


if __name__ == "__main__":
    sys.exit(main())
