"""Open data: the JSON and CSV files of the built site parse, follow their schemas and say what the fiches say."""
from __future__ import annotations

import csv
import io
import json
import re

import jsonschema
import pytest
from bs4 import BeautifulSoup

from guide.sorties import export

TABLES = ("territoires", "actions", "champs", "leviers", "sources")


def load(site_dir, table):
    folder = site_dir / "donnees"
    data = json.loads((folder / f"{table}.json").read_text(encoding="utf-8"))
    schema = json.loads((folder / f"{table}.schema.json").read_text(encoding="utf-8"))
    raw = (folder / f"{table}.csv").read_bytes()
    return data, schema, raw


def _cellules_par_defaut(ligne: str) -> list[tuple[str, bool]]:
    """The cells of one CSV line as LibreOffice's default import splits it (its separators: « , », « ; », tab),
    each (value, whether it was between quotes). Written here: no library reads with three separators at once."""
    cellules, i = [], 0
    while True:
        if ligne.startswith('"', i):
            fin = i + 1
            while True:
                fin = ligne.index('"', fin)
                if ligne.startswith('""', fin):
                    fin += 2
                    continue
                break
            cellules.append((ligne[i + 1:fin].replace('""', '"'), True))
            i = fin + 1
        else:
            fin = i
            while fin < len(ligne) and ligne[fin] not in ",;\t":
                fin += 1
            cellules.append((ligne[i:fin], False))
            i = fin
        if i >= len(ligne):
            return cellules
        assert ligne[i] in ",;\t", ligne[i - 20:i + 20]
        i += 1


@pytest.mark.parametrize("table", TABLES)
def test_json_follows_its_schema_and_csv_has_the_same_rows(site_dir, table):
    data, schema, raw = load(site_dir, table)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema)
    assert data, f"{table}.json est vide"
    # French spreadsheets: UTF-8 with BOM, semicolons, one physical line per item.
    assert raw.startswith(b"\xef\xbb\xbf"), "le CSV doit commencer par le BOM UTF-8"
    text = raw.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[-1] == "" and len(lines) - 2 == len(data), "une ligne par élément, sans saut de ligne interne"
    assert "\n" not in text.replace("\r\n", "")
    assert csv.Sniffer().sniff(lines[0] + "\r\n" + lines[1]).delimiter == ";"
    # Read as LibreOffice's import reads it by default (comma, semicolon and tab all separators; quotes keep a text
    # whole): every line has its columns, no more (open data QA: « 523,36 km² » cut a row into 57 cells), and every
    # code is between quotes, where « Formater les champs entre guillemets comme texte » keeps its leading zero.
    colonnes = list(schema["items"]["properties"])
    for numero, ligne in enumerate(lines[:-1]):
        cellules = _cellules_par_defaut(ligne)
        assert len(cellules) == len(colonnes), (table, numero, len(cellules), ligne[:200])
        if numero:
            for (valeur, entre_guillemets), nom in zip(cellules, colonnes):
                genre = schema["items"]["properties"][nom]["type"]
                nombre = bool({"integer", "number"} & set(genre if isinstance(genre, list) else [genre]))
                assert entre_guillemets or valeur == "" or (nombre and re.fullmatch(r"0|[1-9]\d*", valeur)), (
                    table, numero, nom, valeur)
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert list(rows[0]) == list(data[0]) == list(schema["items"]["properties"])
    for row, item in zip(rows, data):
        for key, value in item.items():
            if value is None:
                expected = ""
            elif isinstance(value, list):
                expected = " | ".join(value)
            elif isinstance(value, float) and not value.is_integer():
                expected = str(value).replace(".", ",")
            else:
                expected = " ".join(str(value).split()) if isinstance(value, str) else str(value)
            assert " ".join(row[key].split()) == " ".join(expected.split()), (table, item.get("identifiant"), key)


def test_data_match_the_fiches(site_dir, guide):
    territoires = {t["identifiant"]: t for t in load(site_dir, "territoires")[0]}
    assert set(territoires) == set(guide.territoires)
    for slug, terr in guide.territoires.items():
        row = territoires[slug]
        assert row["nom"] == terr.data["nom"] and row["region"] == terr.data["region"]
        assert row["type"] == terr.data["type"]
        assert row["nombre_actions"] == len(terr.actions) + len(terr.actions_partagees)
        assert set(row["champs"]) == {s for a in terr.actions + terr.actions_partagees for s in a.data["champs"]}
        numbers = [m["valeur"] for m in terr.data.get("identite", {}).get("population", [])
                   if isinstance(m["valeur"], (int, float))]
        assert row["population"] == (numbers[0] if numbers else None)
        assert (site_dir / row["page"] / "index.html").exists()
        # What the page shows of the fiche is in the files too (open data QA: the editors' note on the name, the
        # panorama's data origin, the RTES role, the update date were on the pages only).
        assert row["note_nom"] == terr.data.get("note_nom") and row["mis_a_jour"] == terr.data.get("mis_a_jour")
        assert row["rtes_role"] == terr.data.get("rtes", {}).get("role")
        for citation, cellule in zip(terr.data["sources"], row["citations"]):
            assert not citation.get("note") or " ".join(citation["note"].split()) in cellule, (slug, cellule)
        remarques = [" ".join(c["note"].split()) for bloc in terr.data.get("panorama", []) + terr.data.get("contacts", [])
                     for c in bloc.get("sources", []) if c.get("note")]
        cellules = " ".join(row["panorama"] + row["contacts"])
        assert all(r in cellules for r in remarques), (slug, [r for r in remarques if r not in cellules][:2])
        for bloc, cellule in zip(terr.data.get("panorama", []), row["panorama"]):
            assert not bloc.get("origine") or " ".join(bloc["origine"].split()) in cellule, (slug, cellule)

    actions = load(site_dir, "actions")[0]
    assert len(actions) == len(guide.actions)
    for row, action in zip(actions, guide.actions):
        assert row["territoire"] == action.territoire.slug and row["titre"] == action.data["titre"]
        assert row["champs"] == action.data["champs"]
        assert row["resume"] == export.liens_des_pages(action.data["resume"], action.territoire.src)
        assert row["intervenant"] == action.data.get("intervenant")
        for citation, cellule in zip(action.data["sources"], row["citations"]):
            assert not citation.get("note") or " ".join(citation["note"].split()) in cellule, (row["identifiant"], cellule)
        page, _, anchor = row["page"].partition("#")
        html = (site_dir / page / "index.html").read_text(encoding="utf-8")
        assert f'id="{anchor}"' in html, row["identifiant"]

    champs = {c["identifiant"]: c for c in load(site_dir, "champs")[0]}
    assert list(champs) == list(guide.champs)
    for slug, champ in guide.champs.items():
        assert champs[slug]["titre"] == champ.data["titre"] and champs[slug]["famille"] == champ.data["famille"]
        assert champs[slug]["nombre_actions"] == len(champ.actions)

    sources = load(site_dir, "sources")[0]
    assert [s["identifiant"] for s in sources] == list(guide.publications)
    cited = {c for t in territoires.values() for c in t["sources"]} | {c for a in actions for c in a["sources"]}
    assert cited <= {s["identifiant"] for s in sources}


@pytest.mark.parametrize("table", TABLES)
def test_the_links_of_the_texts_lead_to_pages_of_the_site(site_dir, table):
    """A text's link to another fiche is the page's path, as the column `page` gives it, not the fiche's file name
    (reader QA: « [Clermont Auvergne Métropole](clermont-auvergne-metropole.md) » in 31 cells)."""
    data, _, raw = load(site_dir, table)
    assert ".md)" not in raw.decode("utf-8-sig") and ".md#" not in raw.decode("utf-8-sig")
    textes = [v for row in data for x in row.values() for v in (x if isinstance(x, list) else [x]) if isinstance(v, str)]
    cibles = [c for texte in textes for c in re.findall(r"\]\(([^)\s]+)", texte) if "://" not in c]
    if table in ("territoires", "actions"):
        assert cibles, table   # the fiches link to each other: the check below is not empty
    for cible in cibles:
        chemin, _, ancre = cible.partition("#")
        html = (site_dir / chemin / "index.html").read_text(encoding="utf-8")
        assert not ancre or f'id="{ancre}"' in html, cible


def test_data_page_links_every_file_and_describes_every_field(site_dir):
    page = BeautifulSoup((site_dir / "ressources" / "donnees" / "index.html").read_text(encoding="utf-8"), "lxml")
    hrefs = {a["href"] for a in page.select("article a[href]")}
    text = "".join(page.article.get_text().split())
    for table, spec in export.TABLES.items():
        for ext in ("csv", "json", "schema.json"):
            href = f"../../donnees/{table}.{ext}"
            assert href in hrefs, href
            assert (site_dir / "donnees" / f"{table}.{ext}").exists()
        for name, _, description, _ in spec["champs"]:
            assert name in text and "".join(description.split()) in text, (table, name)


def test_data_page_states_the_licence_and_credits_the_official_reference(site_dir, guide):
    """A data journalist found no licence anywhere, and Etalab's découpage uncredited (open data QA): the data page
    says, in a paragraph of its own, that none is chosen yet, and names the reference, its version and its year."""
    page = BeautifulSoup((site_dir / "ressources" / "donnees" / "index.html").read_text(encoding="utf-8"), "lxml")
    (licence,) = [p for p in page.article.find_all("p") if p.get_text().startswith("Licence et crédits")]
    texte = " ".join(licence.get_text().split())
    ref = guide.referentiel
    assert "Aucune licence" in texte and "Licence Ouverte" in texte and "Dans les fichiers CSV" not in texte
    assert f"version {ref.version}, millésime {ref.millesime}" in texte, texte
