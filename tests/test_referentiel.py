"""Official identity of territories: codes of the fiches against Etalab's découpage administratif (the reference),
their derived data on the pages, in the finder and in the open data, and the validator's French errors."""
from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from lxml import html as lxml_html

from conftest import ROOT, mkdocs_build
from guide.sorties import export
from guide import load_all
from guide.modele import referentiel
from guide.modele.load import FRONT_MATTER
from guide.modele.validate import schema_documents

PAQUET = ROOT / referentiel.PAQUET


@pytest.fixture(scope="module")
def ref():
    return referentiel.charger(ROOT)


def raw(path: Path) -> dict:
    import yaml
    return yaml.safe_load(FRONT_MATTER.match(path.read_text(encoding="utf-8")).group(1))


FICHES = sorted((ROOT / "fiches" / "territoires").glob("*.md"))


def test_vintage_is_the_one_the_package_states(ref):
    """The millésime comes from the README's table for the installed version, never from the code."""
    version = json.loads((PAQUET / "package.json").read_text(encoding="utf-8"))["version"]
    row = next(line for line in (PAQUET / "README.md").read_text(encoding="utf-8").splitlines()
               if re.match(r"^\|\s*\d{4}\s*\|\s*" + re.escape(version) + r"\s*\|", line))
    assert ref.version == version and ref.millesime == row.split("|")[1].strip()
    assert f"découpage administratif {ref.millesime}" in ref.source and "population municipale (INSEE)" in ref.source
    # named for a reader, not a developer (phone QA: « (paquet @etalab/decoupage-administratif 6.0.0) »)
    assert f"version {version}" in ref.source and "@" not in ref.source and "paquet" not in ref.source


def test_at_least_95_percent_of_territories_carry_a_code_and_the_rest_say_why(guide):
    with_code = [t for t in guide.territoires.values() if t.officiel is not None]
    without = [t for t in guide.territoires.values() if t.officiel is None]
    assert len(with_code) / len(guide.territoires) >= 0.95
    for t in without:
        assert t.data.get("code_officiel_absent", "").strip(), t.slug


@pytest.mark.parametrize("path", FICHES, ids=lambda p: p.stem)
def test_every_code_resolves_and_agrees_with_the_reference(path, ref):
    data = raw(path)
    keys = [k for k in referentiel.CLES_CODE if k in data]
    assert len(keys) == 1, f"{path.name} : un seul de {referentiel.CLES_CODE}"
    if keys == ["code_officiel_absent"]:
        assert data["type"] not in referentiel.CLES or data["code_officiel_absent"].strip()
        return
    cle, fichier, types = referentiel.CLES[data["type"]]
    assert keys == [cle]
    entry = ref.entree(cle, data[cle], fichier)
    assert entry is not None, f"{path.name} : {cle} {data[cle]} inconnu"
    if types:
        assert entry["type"] in types
    officiel = ref.officiel(data)
    # Région: the one of the territory, or of one of its départements for a group across régions.
    regions = {ref.regions[ref.departements[d]["region"]]["nom"] for d, _ in officiel.departements}
    if data["type"] == "region":
        regions = {entry["nom"]}
    assert data["region"] in regions
    assert referentiel.noms_concordent([data["nom"], *data.get("alias", [])], entry["nom"])
    assert officiel.population and officiel.population > 0


def test_group_population_is_the_sum_of_its_communes(guide, ref):
    group = next(t for t in guide.territoires.values() if t.officiel and t.officiel.membres)
    assert group.officiel.population == sum(ref.communes[c]["population"] for c, _ in group.officiel.membres
                                            if c in ref.communes)
    commune = next(t for t in guide.territoires.values() if t.data["type"] == "commune")
    assert commune.officiel.population == ref.communes[commune.data["code_insee"]]["population"]


def test_territory_page_shows_the_official_identity_beside_the_sources_figures(site_dir, guide, ref):
    group = max((t for t in guide.territoires.values() if t.officiel and t.officiel.membres
                 and "population" in t.data.get("identite", {})), key=lambda t: len(t.officiel.membres))
    doc = lxml_html.parse(str(site_dir / "territoires" / group.slug / "index.html"))
    section = doc.xpath("//h2[@id='identite-officielle']")[0]
    table = section.xpath("following-sibling::table[1]")[0].text_content()
    o = group.officiel
    assert o.nom in table and o.code in table and o.region[1] in table
    # « Nouvelle-Aquitaine (75) » read as Paris' département number (reader QA on a phone): the region's code says so
    ligne = " ".join(section.xpath("following-sibling::table[1]//tr[th or td][td[1][normalize-space()='Région']]")[0]
                     .text_content().split())
    assert ligne == f"Région {o.region[1]} (code région {o.region[0]})", ligne
    population = f"{o.population:,}".replace(",", "\u202f")
    assert population in table and ref.source in table and f"découpage administratif {ref.millesime}" in table
    # Said before the table: its figures are of the reference's vintage, the publications' of their date (the
    # Métropole de Lyon's 59 communes in its publication beside 58 in the reference read as a contradiction).
    avant = section.xpath("following-sibling::*[1]")[0]
    assert avant.tag == "p" and f"découpage administratif {ref.millesime} l'établit" in " ".join(avant.text_content().split())
    # The fiche's own figure stays in « En bref », with its source note, beside the official one.
    seed = group.data["identite"]["population"][0]["valeur"]
    bref = doc.xpath("//article//div[contains(@class, 'admonition')][1]")[0]
    assert f"{seed:,}".replace(",", "\u202f") in bref.text_content() and bref.xpath(".//a[contains(@href, '#fn:')]")
    assert population in bref.text_content()
    details = section.xpath("following-sibling::details[1]")[0]
    assert str(len(o.membres)) in details.xpath("summary")[0].text_content()
    assert all(nom in details.text_content() for _, nom in o.membres)
    for code, _ in o.departements:
        assert doc.xpath(f"//a[@href='../?departement={code}']")


def test_a_territory_over_two_regions_names_both(site_dir, guide):
    """Grand Avignon lies in the Vaucluse and the Gard: its « Identité officielle » had no Région row, while its notes
    said its région was the official one (verifier QA). A territory whose départements lie in several régions names
    each."""
    plusieurs = [t for t in guide.territoires.values() if t.officiel and len(t.officiel.regions) > 1]
    assert plusieurs, "aucun territoire sur plusieurs régions"
    for t in plusieurs:
        assert t.officiel.region is None
        doc = lxml_html.parse(str(site_dir / "territoires" / t.slug / "index.html"))
        section = doc.xpath("//h2[@id='identite-officielle']")[0]
        lignes = section.xpath("following-sibling::table[1]//tr[td[1][normalize-space()='Régions']]")
        assert len(lignes) == 1, t.slug
        texte = " ".join(lignes[0].text_content().split())
        attendu = ", ".join(f"{nom} (code région {code})" for code, nom in t.officiel.regions)
        assert texte == f"Régions {attendu}", texte


def test_territory_without_code_says_why(site_dir, guide):
    t = next(t for t in guide.territoires.values() if t.officiel is None)
    doc = lxml_html.parse(str(site_dir / "territoires" / t.slug / "index.html"))
    text = doc.xpath("//h2[@id='identite-officielle']/following-sibling::p[1]")[0].text_content()
    assert "Pas de code officiel" in text and t.data["code_officiel_absent"][:40] in text


def test_open_data_carries_codes_departements_and_official_population(site_dir, guide, ref):
    rows = {r["identifiant"]: r for r in json.loads((site_dir / "donnees/territoires.json").read_text(encoding="utf-8"))}
    schema = json.loads((site_dir / "donnees/territoires.schema.json").read_text(encoding="utf-8"))
    from jsonschema import Draft202012Validator
    Draft202012Validator(schema).validate(list(rows.values()))
    for t in guide.territoires.values():
        row = rows[t.slug]
        assert row["code_insee"] == t.data.get("code_insee") and row["siren"] == t.data.get("siren")
        if t.officiel:
            assert row["population_officielle"] == t.officiel.population
            assert row["population_millesime"] == ref.millesime
            assert row["nom_officiel"] == t.officiel.nom
            assert row["departements"] == [c for c, _ in export.departements(t)]
        else:
            assert row["population_officielle"] is None and row["code_officiel_absent"]
    text = (site_dir / "donnees/territoires.csv").read_bytes().decode("utf-8-sig")
    lines = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    paris = next(r for r in lines if r["code_insee"] == "75056") if any(r["code_insee"] == "75056" for r in lines) \
        else next(r for r in lines if r["population_officielle"])
    assert paris["population_millesime"] == ref.millesime and paris["departements"]


def test_schema_documents_the_new_keys():
    props = schema_documents()["territoire.schema.yaml"]["properties"]
    for key in referentiel.CLES_CODE:
        assert props[key]["description"]


# --- The validator's French errors ----------------------------------------------------------------

def edit(root: Path, slug: str, old: str, new: str) -> Path:
    path = root / "fiches" / "territoires" / f"{slug}.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(path: Path, start: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.startswith(start))


def errors_of(root: Path, rel: str) -> list:
    _, _, errors = load_all(root)
    return [e for e in errors if e.path == rel]


def a_commune(guide):
    return next(t for t in guide.territoires.values() if t.data["type"] == "commune" and "code_insee" in t.data)


def test_unknown_code_is_refused_with_file_line_and_field(project_copy, guide):
    t = a_commune(guide)
    path = edit(project_copy, t.slug, f'code_insee: "{t.data["code_insee"]}"', 'code_insee: "99999"')
    errors = errors_of(project_copy, f"fiches/territoires/{t.slug}.md")
    assert len(errors) == 1
    e = errors[0]
    assert e.field == "code_insee" and e.line == line_of(path, "code_insee:")
    assert "« 99999 » inconnu du référentiel officiel" in e.message
    assert str(e).startswith(f"fiches/territoires/{t.slug}.md:{e.line}: clé « code_insee » :")


def test_a_population_typed_in_thousands_or_with_a_zero_too_many_is_refused_unless_said_why(project_copy, guide):
    """« valeur: 45 » (thousands) was published « 45 habitants » beside « Population officielle : 44 364 » (editor QA):
    a figure five times off the reference's is refused at its line, with the official figure, unless the fiche says
    why (`perimetre` or `note`); the real fiches' figures all stand within a factor of 1.6."""
    t = next(t for t in guide.territoires.values() if t.officiel and t.officiel.population
             and any(isinstance(m.get("valeur"), int) and not {"note", "perimetre"} & m.keys()
                     for m in t.data.get("identite", {}).get("population", [])))
    rel = f"fiches/territoires/{t.slug}.md"
    i, mesure = next((i, m) for i, m in enumerate(t.data["identite"]["population"])
                     if isinstance(m.get("valeur"), int) and not {"note", "perimetre"} & m.keys())
    for faux in (mesure["valeur"] // 1000, mesure["valeur"] * 10):
        path = edit(project_copy, t.slug, f"valeur: {mesure['valeur']}\n", f"valeur: {faux}\n")
        errors = errors_of(project_copy, rel)
        assert [(e.field, e.line) for e in errors] == [(f"identite.population[{i}].valeur", line_of(path, f"    - valeur: {faux}"))], errors
        assert "quand le référentiel officiel compte" in errors[0].message and "« perimetre » ou « note »" in errors[0].message
        edit(project_copy, t.slug, f"valeur: {faux}\n", f"valeur: {mesure['valeur']}\n")
    # said why: accepted as the publication gives it
    edit(project_copy, t.slug, f"valeur: {mesure['valeur']}\n", f"valeur: {mesure['valeur'] // 1000}\n      note: en milliers\n")
    assert errors_of(project_copy, rel) == []


def test_wrong_region_is_refused(project_copy, guide, ref):
    t = a_commune(guide)
    other = next(r for r in schema_documents()["territoire.schema.yaml"]["properties"]["region"]["enum"]
                 if r != t.data["region"])
    path = edit(project_copy, t.slug, f"region: {t.data['region']}\n", f"region: {other}\n")
    errors = errors_of(project_copy, f"fiches/territoires/{t.slug}.md")
    assert [e.field for e in errors] == ["region"]
    assert errors[0].line == line_of(path, "region:")
    assert f"région « {other} »" in errors[0].message and t.officiel.region[1] in errors[0].message


def test_code_of_another_territory_is_refused_by_its_name(project_copy, guide):
    """A fiche naming Lyon with the code of another commune of its région: the name gives the mistake away."""
    t = a_commune(guide)
    other = next(o for o in guide.territoires.values() if o.data["type"] == "commune" and o.slug != t.slug
                 and o.officiel.region == t.officiel.region
                 and not referentiel.noms_concordent([t.data["nom"], *t.data.get("alias", [])], o.officiel.nom))
    path = edit(project_copy, t.slug, f'code_insee: "{t.data["code_insee"]}"', f'code_insee: "{other.data["code_insee"]}"')
    errors = errors_of(project_copy, f"fiches/territoires/{t.slug}.md")
    # the name gives the mistake away; the code is also the other fiche's (one code, one fiche: doublons.py)
    assert [e.field for e in errors] == ["nom", "code_insee"]
    assert errors[0].line == line_of(path, "nom:") and f"« {other.officiel.nom} »" in errors[0].message
    assert f"fiches/territoires/{other.slug}.md" in errors[1].message


@pytest.mark.parametrize("nom, type_, slug, absent", [
    ("Métropole Européenne de Lille (MEL)", "metropole", "metropole-europeenne-de-lille", False),
    ("Nantes (Loire-Atlantique)", "commune", None, False),
    # …saying the reference lacks it (attacker QA: « Rennes (Ille-et-Vilaine) » was published beside ville-de-rennes.md)
    ("Nantes (Loire-Atlantique)", "commune", None, True),
])
def test_a_second_fiche_without_code_is_refused_by_the_code_its_name_has(project_copy, guide, nom, type_, slug, absent):
    """A new fiche without any code, for a territory the guide has under another spelling: the reference finds its
    name under the code of that fiche (editor QA: the MEL was published twice). Said at the new fiche's name."""
    if slug is None:  # the commune of that name, if the guide has it
        slug = next((t.slug for t in guide.territoires.values() if t.data["type"] == type_
                     and t.officiel and t.officiel.nom == nom.split(" (")[0]), None)
        if slug is None:
            pytest.skip(f"le guide n'a pas de fiche pour {nom}")
    autre = guide.territoires[slug]
    fiche = project_copy / "fiches" / "territoires" / "zz-second.md"
    absence = "code_officiel_absent: le référentiel ne donne pas ce territoire\n" if absent else ""
    fiche.write_text(f"---\nnom: {nom}\ntype: {type_}\nregion: {autre.data['region']}\n{absence}sources:\n"
                     "  - {publication: avise-2021, page: 3}\nactions:\n  - titre: Une action nouvelle\n"
                     "    champs: [maillage-territorial]\n    resume: Un résumé.\n    sources:\n"
                     "      - {publication: avise-2021, page: 3}\n---\n", encoding="utf-8")
    errors = errors_of(project_copy, "fiches/territoires/zz-second.md")
    assert [(e.field, e.line) for e in errors] == [("nom", 2)], [str(e) for e in errors]
    assert f"fiches/territoires/{slug}.md" in errors[0].message and "le référentiel officiel le trouve" in errors[0].message
    fiche.unlink()


def test_a_fiche_saying_the_reference_lacks_it_is_told_the_code_of_its_very_name(project_copy, guide, ref):
    """« code_officiel_absent » was taken at its word: the reference was never asked (attacker QA). A commune the
    reference has under the fiche's very name gets its code."""
    nom = "Saint-Malo"
    assert not any("Saint-Malo" in t.data["nom"] for t in guide.territoires.values()), "choisir une commune hors du guide"
    fiche = project_copy / "fiches" / "territoires" / "zz-absente.md"
    fiche.write_text(f"---\nnom: {nom}\ntype: commune\nregion: Bretagne\ncode_officiel_absent: pas dans le référentiel\n"
                     "sources:\n  - {publication: avise-2021, page: 3}\nactions:\n  - titre: Une action nouvelle\n"
                     "    champs: [maillage-territorial]\n    resume: Un résumé.\n    sources:\n"
                     "      - {publication: avise-2021, page: 3}\n---\n", encoding="utf-8")
    errors = errors_of(project_copy, "fiches/territoires/zz-absente.md")
    code = next(c for c, e in ref.communes.items() if e["nom"] == nom)
    assert [(e.field, e.line) for e in errors] == [("code_officiel_absent", 5)], [str(e) for e in errors]
    assert f'« code_insee: "{code}" »' in errors[0].message
    fiche.unlink()


def _fiche_essai(project_copy, nom: str, region: str, code: str = "") -> Path:
    fiche = project_copy / "fiches" / "territoires" / "zz-essai.md"
    fiche.write_text(f"---\nnom: {nom}\ntype: commune\nregion: {region}\n{code}"
                     "sources:\n  - {publication: avise-2021, page: 3}\nactions:\n  - titre: Une action nouvelle\n"
                     "    champs: [maillage-territorial]\n    resume: Un résumé.\n    sources:\n"
                     "      - {publication: avise-2021, page: 3}\n---\n", encoding="utf-8")
    return fiche


def test_a_name_that_only_holds_the_official_name_s_words_is_refused_unless_said_why(project_copy, ref):
    """« Saint-Testbourg », a made-up town, with the code of « Le Saint », Morbihan, was published with that commune's
    identity (editor QA): only some words in common is no longer a match, unless note_nom says why."""
    commune = next(c for c in ref.communes.values() if len(referentiel.mots(c["nom"])) == 1 and c["population"] > 5000
                   and referentiel.mots(c["nom"]) != {"grenoble"})
    region = ref.regions[commune["region"]]["nom"]
    nom = f"{commune['nom']}-Testbourg"
    fiche = _fiche_essai(project_copy, nom, region, f'code_insee: "{commune["code"]}"\n')
    errors = [e for e in errors_of(project_copy, "fiches/territoires/zz-essai.md") if e.field == "nom"]
    assert len(errors) == 1 and errors[0].line == 2, errors
    assert f"n'est pas le nom officiel « {commune['nom']} » du code {commune['code']}" in errors[0].message
    assert "note_nom" in errors[0].message and "alias" in errors[0].message
    fiche.write_text(fiche.read_text(encoding="utf-8").replace("type: commune\n", "type: commune\nnote_nom: Nommée ainsi par la source.\n"),
                     encoding="utf-8")
    assert not [e for e in errors_of(project_copy, "fiches/territoires/zz-essai.md") if e.field == "nom"]


def test_a_fiche_without_code_whose_name_the_reference_has_is_told_its_code(project_copy, guide, ref):
    """« Vannes » in « Pays de la Loire », without code, was published with « la fiche ne donne pas encore de code
    officiel » (editor QA): the code of its very name is asked for, whatever its région; given, it checks the région."""
    nom = "Vannes"
    assert not any(nom in t.data["nom"] for t in guide.territoires.values()), "choisir une commune hors du guide"
    code = next(c for c, e in ref.communes.items() if e["nom"] == nom)
    _fiche_essai(project_copy, nom, "Pays de la Loire")
    (erreur,) = errors_of(project_copy, "fiches/territoires/zz-essai.md")
    assert erreur.field == "nom" and erreur.line == 2 and f'« code_insee: "{code}" »' in erreur.message, str(erreur)
    _fiche_essai(project_copy, nom, "Pays de la Loire", f'code_insee: "{code}"\n')
    (erreur,) = errors_of(project_copy, "fiches/territoires/zz-essai.md")
    assert erreur.field == "region" and "Bretagne" in erreur.message, str(erreur)


_REGIONS_DU_MODELE = set(yaml.safe_load((ROOT / "fiches/schemas/territoire.schema.yaml").read_text(encoding="utf-8"))
                         ["properties"]["region"]["enum"])


def _region_de(ref, code: str) -> str:
    return ref.regions[ref.communes[code]["region"]]["nom"]


def test_a_name_near_an_official_one_is_told_the_name_and_its_code(project_copy, guide, ref):
    """« Niortt », « Chatelleraut », « Poitier » without code were published with « la fiche ne donne pas encore de
    code officiel » (editor QA): the near name of the reference, of the fiche's type and région, is proposed with its
    code; a territory of the guide so mistyped is sent to its fiche."""
    code = next(c for c, e in ref.communes.items() if e["nom"] == "Vannes")
    _fiche_essai(project_copy, "Vanness", "Bretagne")
    (erreur,) = errors_of(project_copy, "fiches/territoires/zz-essai.md")
    assert erreur.field == "nom" and erreur.line == 2, str(erreur)
    assert f'vouliez-vous dire « Vannes » (code_insee {code}) ? Si c\'est lui, écrivez nom: Vannes et code_insee: "{code}".' \
        in erreur.message, str(erreur)
    commune = next(t for t in sorted(guide.territoires.values(), key=lambda t: t.slug)
                   if t.data["type"] == "commune" and t.data.get("code_insee") and len(t.data["nom"]) > 6)
    officiel = ref.communes[commune.data["code_insee"]]["nom"]
    tape = officiel[:3] + officiel[3] + officiel[3:]  # a letter doubled
    _fiche_essai(project_copy, tape, _region_de(ref, commune.data["code_insee"]))
    (erreur,) = errors_of(project_copy, "fiches/territoires/zz-essai.md")
    assert f"déjà sa fiche, fiches/territoires/{commune.slug}.md" in erreur.message, str(erreur)


def test_homonyms_are_told_apart_by_the_fiche_s_region(project_copy, guide, ref):
    """« St Benoit » (four communes « Saint-Benoît ») without code was accepted: the one of the fiche's région is
    proposed."""
    par_nom = {}
    for c, e in sorted(ref.communes.items()):
        par_nom.setdefault(e["nom"], []).append(c)
    noms_du_guide = {t.data["nom"] for t in guide.territoires.values()}
    nom, codes = next((n, cs) for n, cs in par_nom.items() if len(cs) > 1 and n not in noms_du_guide and "-" not in n
                      and len({ref.communes[c]["region"] for c in cs}) == len(cs))
    _fiche_essai(project_copy, nom, _region_de(ref, codes[1]))
    (erreur,) = errors_of(project_copy, "fiches/territoires/zz-essai.md")
    assert erreur.field == "nom" and f'« code_insee: "{codes[1]}" »' in erreur.message, str(erreur)
    # …and none in the fiche's région: the région to check, with where they are (verifying QA: accepted in silence)
    ailleurs = next(r["nom"] for c, r in sorted(ref.regions.items())
                    if c not in {ref.communes[k]["region"] for k in codes} and r["nom"] in _REGIONS_DU_MODELE)
    _fiche_essai(project_copy, nom, ailleurs)
    (erreur,) = errors_of(project_copy, "fiches/territoires/zz-essai.md")
    assert f"aucun territoire de ce nom en {ailleurs}" in erreur.message and f"({'code_insee'} {codes[0]})" in erreur.message, \
        str(erreur)


@pytest.mark.parametrize("tape", ["vannes", "VANNES"])
def test_a_name_typed_carelessly_is_told_the_official_spelling(project_copy, ref, tape):
    """« quimper » was published as typed in the page's title and breadcrumb (editor QA); a publication's spelling
    (« Grenoble-Alpes Métropole ») is accepted, as every real fiche shows."""
    code = next(c for c, e in ref.communes.items() if e["nom"] == "Vannes")
    _fiche_essai(project_copy, tape, "Bretagne", f'code_insee: "{code}"\n')
    (erreur,) = errors_of(project_copy, "fiches/territoires/zz-essai.md")
    assert erreur.field == "nom" and "écrivez nom: Vannes" in erreur.message, str(erreur)


def test_wrong_type_and_wrong_key_are_refused(project_copy, guide):
    group = next(t for t in guide.territoires.values() if t.data["type"] == "communaute-d-agglomeration")
    path = edit(project_copy, group.slug, "type: communaute-d-agglomeration", "type: communaute-de-communes")
    errors = errors_of(project_copy, f"fiches/territoires/{group.slug}.md")
    assert [e.field for e in errors] == ["type"] and errors[0].line == line_of(path, "type:")
    assert "communauté d'agglomération" in errors[0].message
    dep = next(t for t in guide.territoires.values() if t.data["type"] == "departement")
    edit(project_copy, dep.slug, "code_insee:", "siren:")
    errors = errors_of(project_copy, f"fiches/territoires/{dep.slug}.md")
    # The schema refuses the format (2 digits are no SIREN), the reference check says which key to use.
    assert {e.field for e in errors} == {"siren"} and any("indiquez « code_insee »" in e.message for e in errors)


def test_malformed_code_is_refused_by_the_schema(project_copy, guide):
    t = a_commune(guide)
    edit(project_copy, t.slug, f'code_insee: "{t.data["code_insee"]}"', 'code_insee: "Lyon"')
    errors = errors_of(project_copy, f"fiches/territoires/{t.slug}.md")
    assert [e.field for e in errors] == ["code_insee"] and "format incorrect" in errors[0].message


def test_names_compare_tolerantly_but_not_blindly():
    assert referentiel.noms_concordent(["Ville de Lyon"], "Lyon")
    assert referentiel.noms_concordent(["Figeac"], "CC Grand-Figeac")
    assert referentiel.noms_concordent(["Communauté urbaine d'Alençon"], "CU d'Alençon")
    assert referentiel.noms_concordent(["Département de l'Isère"], "Isère")
    assert not referentiel.noms_concordent(["Ville de Lyon"], "Villeurbanne")
    assert not referentiel.noms_concordent(["Rennes Métropole"], "Nantes Métropole")
    assert not referentiel.noms_concordent(["Grand Poitiers"], "CU du Grand Reims")
    assert not referentiel.noms_concordent(["Saint-Denis"], "Saint-Étienne Métropole")
    assert not referentiel.noms_concordent(["Paris Saclay"], "CA Paris - Vallée de la Marne")
    # The words a copy or a longer form adds do not hide those of the official name.
    assert referentiel.noms_concordent(["Copie 27 de Grand Avignon"], "CA du Grand Avignon (COGA)")
    assert referentiel.noms_concordent(["Copie 31 de Grand Paris Sud"], "CA Grand Paris Sud Seine Essonne Sénart")


def test_build_without_the_reference_fails_in_french_and_publishes_nothing(project_copy, tmp_path):
    (project_copy / "node_modules").unlink()
    out = tmp_path / "site"
    result = mkdocs_build(project_copy, out)
    assert result.returncode != 0
    assert "./scripts/servir.sh" in result.stderr and "référentiel officiel" in result.stderr
    assert not (out / "index.html").exists()


def test_nouvelle_fiche_finds_the_code_from_the_name(project_copy, ref):
    for part in ("scripts",):
        import shutil
        shutil.copytree(ROOT / part, project_copy / part, ignore=shutil.ignore_patterns("__pycache__"))
    commune = next(c for c in ref.communes.values() if c["departement"] == "38" and c["population"] > 20000
                   and c["nom"] not in ("Grenoble",))
    region = ref.regions[commune["region"]]["nom"]
    made = subprocess.run([sys.executable, "scripts/nouvelle_fiche.py", "territoire", commune["nom"],
                           "--type", "commune", "--region", region], cwd=project_copy, capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    fiche = next(p for p in (project_copy / "fiches" / "territoires").glob("*.md") if commune["nom"] in p.read_text(encoding="utf-8")
                 and not (ROOT / "fiches" / "territoires" / p.name).exists())
    assert f'code_insee: "{commune["code"]}"' in fiche.read_text(encoding="utf-8")
    # typed carelessly, the name is written as the reference writes it (editor QA: « quimper » was published)
    autre = next(c for c in ref.communes.values() if c["departement"] == "38" and c["population"] > 20000
                 and c["nom"] not in ("Grenoble", commune["nom"]))
    made = subprocess.run([sys.executable, "scripts/nouvelle_fiche.py", "territoire", autre["nom"].lower(),
                           "--type", "commune", "--region", region], cwd=project_copy, capture_output=True, text=True)
    assert made.returncode == 0 and f"« {autre['nom']} »" in made.stdout, made.stdout + made.stderr
    assert any(f"nom: {autre['nom']}\n" in p.read_text(encoding="utf-8")
               for p in (project_copy / "fiches" / "territoires").glob("*.md")), autre["nom"]
    # given another région, the commune is said to be elsewhere, with its région and code (editor QA: « Lannion »
    # with « --region "Ile de France" » was told « Aucun code_insee trouvé »)
    troisieme = next(c for c in ref.communes.values() if c["departement"] == "38" and c["population"] > 20000
                     and c["nom"] not in ("Grenoble", commune["nom"], autre["nom"]))
    ailleurs = next(r["nom"] for k, r in sorted(ref.regions.items()) if r["nom"] != region and r["nom"] in _REGIONS_DU_MODELE)
    made = subprocess.run([sys.executable, "scripts/nouvelle_fiche.py", "territoire", troisieme["nom"],
                           "--type", "commune", "--region", ailleurs], cwd=project_copy, capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    assert f"« {troisieme['nom']} » n'est pas en {ailleurs} d'après le référentiel officiel" in made.stdout, made.stdout
    assert f"{troisieme['code']} {troisieme['nom']} ({region})" in made.stdout, made.stdout
    # a made-up name holding a commune's name is not that commune (editor QA: « Saint-Testbourg » was given the code of
    # « Le Saint », Morbihan, and published with its identity): the commune is proposed, no code is written
    seul = next(c for c in ref.communes.values() if len(referentiel.mots(c["nom"])) == 1 and c["departement"] == "38"
                and c["population"] > 5000 and c["nom"] not in ("Grenoble", commune["nom"], autre["nom"]))
    invente = f"{seul['nom']}-Testbourg"
    made = subprocess.run([sys.executable, "scripts/nouvelle_fiche.py", "territoire", invente, "--type", "commune"],
                          cwd=project_copy, capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    assert f"n'a pas de territoire nommé « {invente} »" in made.stdout and f"{seul['code']} {seul['nom']}" in made.stdout, made.stdout
    fiche = next(p for p in (project_copy / "fiches" / "territoires").glob("*.md") if invente in p.read_text(encoding="utf-8"))
    assert "\ncode_insee:" not in fiche.read_text(encoding="utf-8"), fiche.read_text(encoding="utf-8")[:400]


def test_a_reference_being_installed_is_said_in_french(tmp_path):
    """The scaffold run while the first ./scripts/servir.sh was still writing the package stopped on
    « JSONDecodeError: Unterminated string » (editor QA): a data file that cannot be read is said, with what to do."""
    dossier = tmp_path / referentiel.PAQUET
    (dossier / "data").mkdir(parents=True)
    for fichier in ("package.json", "README.md"):
        (dossier / fichier).write_bytes((ROOT / referentiel.PAQUET / fichier).read_bytes())
    entier = (ROOT / referentiel.PAQUET / "data" / "communes.json").read_bytes()
    (dossier / "data" / "communes.json").write_bytes(entier[:len(entier) // 2])
    with pytest.raises(referentiel.ReferentielAbsent) as exc:
        referentiel.charger(tmp_path)
    assert "incomplet" in str(exc.value) and "data/communes.json" in str(exc.value) and "attendez" in str(exc.value)
