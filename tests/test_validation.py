"""The loader and validator on every class of bad input: each is refused with a French message
naming the file, the line where YAML gives it, and the field."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import example, given, settings, strategies as st

import fiches_essai
from guide import build_guide, load_all
from guide.modele.errors import GuideInvalide

TERRITOIRE = """---
nom: Ville d'Essai
type: commune
region: Bretagne
sources:
  - {publication: pub-essai, page: 4}
actions:
  - titre: Une action
    champs: [champ-essai]
    resume: Ce que fait la ville.
    sources:
      - {publication: pub-essai, section: Zoom}
---
"""


@pytest.fixture
def root(tmp_path) -> Path:
    return fiches_essai.projet(tmp_path, "champ-essai", "Champ d'essai", {"ville-d-essai.md": TERRITOIRE})


def errors_for(root: Path, name: str, text: str | bytes) -> list:
    path = root / "fiches" / "territoires" / name
    if isinstance(text, str) and name != "ville-d-essai.md":
        # A second fiche copied from TERRITOIRE: its action gets a title of its own, or it would be the same
        # action in two fiches (tests/test_editeurs_saisie.py).
        text = text.replace("titre: Une action\n", f"titre: Une action de {name}\n")
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    _, _, errors = load_all(root)
    return [e for e in errors if e.path == f"fiches/territoires/{name}"]


def test_valid_minimal_project_loads_and_joins(root):
    guide = build_guide(root)
    champ = guide.champs["champ-essai"]
    assert [a.territoire.slug for a in champ.actions] == ["ville-d-essai"]


def test_malformed_yaml_names_file_and_line(root):
    errors = errors_for(root, "casse.md", "---\nnom: Ville\ntype: [commune\nregion: Bretagne\n---\n")
    assert errors and "YAML mal formé" in str(errors[0])
    assert errors[0].line is not None and errors[0].line >= 3


def test_missing_required_field(root):
    text = TERRITOIRE.replace("region: Bretagne\n", "")
    errors = errors_for(root, "sans-region.md", text.replace("Ville d'Essai", "Autre ville"))
    assert any(e.message.startswith("clé obligatoire « region » manquante") for e in errors)
    assert all(e.path == "fiches/territoires/sans-region.md" for e in errors)


def test_wrong_type_names_field_and_line(root):
    text = TERRITOIRE.replace("Ville d'Essai", "Autre").replace("    champs: [champ-essai]", "    champs: champ-essai")
    (error,) = errors_for(root, "mauvais-type.md", text)
    assert error.field == "actions[0].champs"
    assert "attendu une liste" in error.message
    assert error.line == 9


def test_unknown_enum_lists_allowed_values(root):
    text = TERRITOIRE.replace("Ville d'Essai", "Autre").replace("region: Bretagne", "region: Bretagne du Sud")
    (error,) = errors_for(root, "region.md", text)
    assert error.field == "region" and "Bretagne du Sud" in error.message and "Occitanie" in error.message
    assert error.line == 4


def test_unknown_field(root):
    text = TERRITOIRE.replace("Ville d'Essai", "Autre").replace("region: Bretagne\n", "region: Bretagne\npopulaton: 3\n")
    (error,) = errors_for(root, "inconnu.md", text)
    assert error.field == "populaton" and "clé inconnue" in error.message and error.line == 5


def test_unknown_champ_slug(root):
    text = TERRITOIRE.replace("Ville d'Essai", "Autre").replace("[champ-essai]", "[champ-essai, champ-fantome]")
    (error,) = errors_for(root, "champ.md", text)
    assert error.field == "actions[0].champs[1]" and "champ-fantome" in error.message and error.line == 9


def test_unknown_source(root):
    text = TERRITOIRE.replace("Ville d'Essai", "Autre").replace("{publication: pub-essai, page: 4}", "{publication: pub-inconnue, page: 4}")
    (error,) = errors_for(root, "source.md", text)
    assert "pub-inconnue" in error.message and error.field == "sources[0].publication" and error.line == 6


def test_duplicate_name(root):
    errors = errors_for(root, "doublon.md", TERRITOIRE)
    assert any("ville-d-essai.md" in e.message and e.field == "nom" and e.line == 2 for e in errors)


def test_duplicate_key(root):
    text = TERRITOIRE.replace("Ville d'Essai", "Autre").replace("type: commune\n", "type: commune\ntype: region\n")
    errors = errors_for(root, "cle.md", text)
    assert any("clé répétée" in e.message and "gardez une seule ligne" in e.message and e.line == 4 for e in errors)


def test_a_list_item_without_its_dash_is_named_at_its_line(root):
    """« titre: … » of a second action typed without its « - »: its keys joined the first action, and the editor was
    told five times to keep one line of each, which deleted the action (editor QA). One error, at the line that lacks
    the dash, saying to add it."""
    deux = TERRITOIRE.replace("Ville d'Essai", "Autre").replace(
        "      - {publication: pub-essai, section: Zoom}\n---",
        "      - {publication: pub-essai, section: Zoom}\n    titre: Une seconde action\n    champs: [champ-essai]\n"
        "    resume: Autre chose.\n    sources:\n      - {publication: pub-essai, page: 4}\n---")
    assert deux.count("titre:") == 2
    ligne = deux.splitlines().index("    titre: Une seconde action") + 1
    errors = errors_for(root, "tiret.md", deux)
    assert [e.line for e in errors] == [ligne], [(e.line, e.message) for e in errors]
    assert "« - titre: Une seconde action »" in errors[0].message and "gardez une seule" not in errors[0].message
    assert errors[0].field == "actions[0].titre"


@pytest.mark.parametrize("apres, ligne, debut", [
    # a title typed again: a key repeated, not an item (verifier QA: told to add a « - », then three missing keys)
    ("  - titre: Une action\n", 9, "clé répétée"),
    # the next action's keys from its « champs », its « - » forgotten there: said there, not at its title
    ("      - {publication: pub-essai, section: Zoom}\n    champs: [champ-essai]\n    titre: Deux\n    resume: Autre.\n",
     13, "il manque « - » au début de cette ligne"),
    # two citations in one pair of braces
    ("      - {publication: pub-essai, section: Zoom}\n", 12, "deux éléments dans les mêmes accolades"),
])
def test_a_key_met_again_is_told_as_what_it_is(root, apres, ligne, debut):
    texte = TERRITOIRE.replace("Ville d'Essai", "Autre")
    if apres.startswith("  - titre"):
        texte = texte.replace(apres, apres + "    titre: Une action retitrée\n")
    elif "champs: [champ-essai]\n    titre" in apres:
        texte = texte.replace("      - {publication: pub-essai, section: Zoom}\n", apres)
    else:
        texte = texte.replace(apres, "      - {publication: pub-essai, section: Zoom, publication: pub-essai, page: 3}\n")
    errors = errors_for(root, "repete.md", texte)
    assert [e.line for e in errors] == [ligne] and debut in errors[0].message, [(e.line, e.message) for e in errors]


def test_bad_url(root):
    text = TERRITOIRE.replace("Ville d'Essai", "Autre").replace(
        "region: Bretagne\n", "region: Bretagne\nidentite:\n  site_web: {url: 'www.exemple', sources: [{publication: pub-essai, page: 1}]}\n")
    (error,) = errors_for(root, "url.md", text)
    assert error.field == "identite.site_web.url" and "https://" in error.message


@pytest.mark.parametrize("payload", [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[clic](javascript:alert(1))",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
])
def test_active_content_is_refused_in_fields_and_body(root, payload):
    text = TERRITOIRE.replace("Ville d'Essai", "Autre").replace("Ce que fait la ville.", f"'{payload}'")
    (error,) = errors_for(root, "script.md", text)
    assert "code actif interdit" in error.message and error.field == "actions[0].resume"
    body = TERRITOIRE.replace("Ville d'Essai", "Autre2") + f"\nIntro.\n\n{payload}\n"
    (error,) = errors_for(root, "script-corps.md", body)
    assert "code actif interdit" in error.message and error.line == 17


@pytest.mark.parametrize("payload, montre", [
    ('<a href="//evil.example/">ici</a>', '« <a href="//evil.example/"> »'),
    ("un <b>gras</b>", "« <b> »"),
    ("<!-- une note -->", "« <!-- une note --> »"),
    ("avant&nbsp;après", "tapez le caractère lui-même (l'espace insécable)"),
    ("r&#233;seau", "(« é »)"),
    ("voir <https://www.exemple.fr/page>", "« <https://www.exemple.fr/page> »"),  # a link is [texte](adresse)
])
def test_html_is_refused_in_fields_and_body(root, payload, montre):
    """A fiche is Markdown: its HTML would be shown as written (fragments.py), and a raw link went past the checks
    of links (editor QA). Refused in a field, by its name, and in the body, by its line."""
    text = TERRITOIRE.replace("Ville d'Essai", "Autre").replace("Ce que fait la ville.", f"'{payload}'")
    (error,) = errors_for(root, "html.md", text)
    assert montre in error.message and error.field == "actions[0].resume", error.message
    assert "code actif" not in error.message
    body = TERRITOIRE.replace("Ville d'Essai", "Autre2") + f"\nIntro.\n\n{payload}\n"
    (error,) = errors_for(root, "html-corps.md", body)
    assert montre in error.message and error.line == 17, error.message


@pytest.mark.parametrize("texte", [
    "moins de <5 % des emplois", "3 < 4 et 5 > 2", "R&D, Sarthe & Loir", "Bien & Co ; x&y;",
])
def test_text_that_is_not_html_is_accepted(root, texte):
    """« < » before a figure or a space is text, « & » between words is text."""
    text = TERRITOIRE.replace("Ville d'Essai", "Autre3").replace("Ce que fait la ville.", f"'{texte}'")
    assert errors_for(root, "texte.md", text) == []


def test_non_utf8_file(root):
    (error,) = errors_for(root, "latin1.md", TERRITOIRE.replace("Ville d'Essai", "Élan").encode("latin-1"))
    assert "UTF-8" in error.message and error.line == 2


def test_empty_file_and_missing_front_matter(root):
    (error,) = errors_for(root, "vide.md", "")
    assert "fichier vide" in error.message
    (error,) = errors_for(root, "sans-entete.md", "nom: Ville\n")
    assert "en-tête YAML absent" in error.message


def test_bad_file_name(root):
    errors = errors_for(root, "Ville_Essai.md", TERRITOIRE.replace("Ville d'Essai", "Autre"))
    assert any("nom de fichier invalide" in e.message for e in errors)


def test_all_errors_reported_together(root):
    errors_for(root, "a.md", "")
    errors_for(root, "b.md", TERRITOIRE.replace("Ville d'Essai", "B").replace("type: commune", "type: village"))
    with pytest.raises(GuideInvalide) as exc:
        build_guide(root)
    report = exc.value.rapport()
    assert "fiches/territoires/a.md" in report and "fiches/territoires/b.md:3" in report
    assert "rien n'a été publié" in report and "hors du dossier fiches/" in report


def test_jinja_in_fiche_is_data(root):
    """Template syntax in a fiche is data: read as typed (never « 49 »), and named to the editor, as the page would
    print it as typed (what the build makes of it: tests/test_securite.py, the validator's refusals off)."""
    text = TERRITOIRE.replace("Ville d'Essai", "Autre").replace("Ce que fait la ville.", "'{{ 7 * 7 }} {% raw %}'")
    (error,) = errors_for(root, "jinja.md", text)
    assert error.message.startswith("« {{ 7 * 7 }} » : une fiche n'est pas un gabarit") and "49" not in error.message


def test_territory_without_any_action_is_refused(root):
    text = TERRITOIRE.replace("Ville d'Essai", "Sans action").split("actions:")[0] + "---\n"
    (error,) = errors_for(root, "sans-action.md", text)
    assert error.field == "actions" and "aucune action" in error.message


@pytest.mark.parametrize("ligne, mot, lu", [("    nature: no\n", "no", "faux"), ("    partenaires: [ON]\n", "ON", "vrai"),
                                            ("    nature: Yes\n", "Yes", "vrai")])
def test_a_word_yaml_reads_as_true_or_false_is_told_as_typed(root, ligne, mot, lu):
    """« nature: no » was reported « valeurfalse non reconnue »: the word typed, what YAML made of it, what to write."""
    text = TERRITOIRE.replace("Ville d'Essai", "Autre").replace("    champs: [champ-essai]\n",
                                                               "    champs: [champ-essai]\n" + ligne)
    (error,) = errors_for(root, "oui-non.md", text)
    assert f"« {mot} » est lu par YAML comme « {lu} »" in error.message and f'("{mot}")' in error.message
    assert error.line == 10 and error.field.startswith("actions[0].")


def test_an_empty_name_is_told_once_and_never_as_none(root):
    text = TERRITOIRE.replace("nom: Ville d'Essai", "nom:").replace("type: commune", "type: commune\ncode_insee: \"35238\"")
    errors = errors_for(root, "sans-nom.md", text)
    assert [e.field for e in errors] == ["nom"] and "valeur vide" in errors[0].message
    assert all("None" not in e.message for e in errors)


@pytest.mark.parametrize("bloc", [">-", "|"])
def test_a_key_indented_into_a_block_text_is_told_at_its_line(root, bloc):
    """« nature: exemple » indented one step too far under « resume: >- » was published as the end of the
    résumé, and the action lost its nature, without a word from the validator."""
    text = TERRITOIRE.replace("Ville d'Essai", "Autre").replace(
        "    resume: Ce que fait la ville.\n",
        f"    resume: {bloc}\n      Ce que fait la ville :\n      une phrase : suite.\n      nature: exemple\n")
    (error,) = errors_for(root, "bloc.md", text)
    assert error.line == 13 and error.field == "actions[0].resume"
    assert "« nature: exemple »" in error.message and "Alignez « nature: » sur « resume: »" in error.message


def test_a_glued_key_is_named_as_written_not_as_the_line_above(root):
    """« region:Normandie » was reported under « type » (the line above), without saying what was wrong."""
    text = TERRITOIRE.replace("Ville d'Essai", "Autre").replace("region: Bretagne", "region:Bretagne")
    (error,) = errors_for(root, "colle.md", text)
    assert error.line == 4 and error.field == "region" and "il manque une espace après « region: »" in error.message
    plus_loin = TERRITOIRE.replace("Ville d'Essai", "Autre").replace(
        "    resume: Ce que fait la ville.\n", "    resume: Ce que fait\n      la ville.\n      nature:exemple\n")
    (error,) = errors_for(root, "colle-2.md", plus_loin)
    assert error.line == 12 and error.field == "nature" and "« nature: exemple »" in error.message


def test_a_dash_without_its_space_is_named_at_its_line(root):
    """« -titre: … » (a list item's dash glued to its key) was reported at the next line, under « champs », as a
    colon to quote or a line to align (editor QA). Said at its line, with what to write; a dash followed by its
    space, or a value that begins with a dash, is no such fault."""
    text = TERRITOIRE.replace("Ville d'Essai", "Autre").replace("  - titre: Une action", "  -titre: Une action")
    (error,) = errors_for(root, "tiret.md", text)
    assert error.line == 8 and "il manque une espace après le tiret : écrivez « - titre: Une action" in error.message
    # under its own key, not the one of a line above (editor QA: « clé « page » » after an action's sources)
    assert error.field == "titre", error.field
    (autre,) = errors_for(root, "tiret-2.md", TERRITOIRE.replace("Ville d'Essai", "Autre 2")
                          .replace("resume: Ce que fait la ville.", "resume: -ville: un mot."))
    assert autre.line == 10 and "tiret" not in autre.message and "deux-points inattendu" in autre.message


def test_a_fault_in_a_text_written_as_a_block_is_named_at_its_own_line(root):
    """« 45.000 », HTML or a broken link in the fourth line of a résumé written « resume: >- » were given at the key's
    line (editor QA): the editor looked for them among the block's lines. Each is named at the line that holds it."""
    from guide.modele.validate import check_links
    bloc = ("    resume: >-\n      Ce que fait\n      la ville, {}\n      et la suite.\n")
    for nom, ecrit, cite in (("milliers.md", "avec 45.000 emplois", "« 45.000 »"), ("html.md", "en <b>gras</b>", "« <b> »")):
        text = TERRITOIRE.replace("Ville d'Essai", nom).replace("    resume: Ce que fait la ville.\n", bloc.format(ecrit))
        (error,) = errors_for(root, nom, text)
        assert error.line == 12 and error.field == "actions[0].resume" and cite in error.message, error
    text = TERRITOIRE.replace("Ville d'Essai", "Lien").replace("    resume: Ce que fait la ville.\n",
                                                              bloc.format("voir [ici](/etc/passwd)"))
    assert not errors_for(root, "lien.md", text)
    docs, _, _ = load_all(root)
    (error,) = check_links(docs["territoires"]["lien"], "territoires/lien.md", lambda src: False)
    assert error.line == 12 and "« /etc/passwd »" in error.message
    # Written on the key's line, or quoted on several lines where the passage is not found as written: the key's line
    text = TERRITOIRE.replace("Ville d'Essai", "Sur la cle").replace("la ville.", "la ville, avec 45.000 emplois.")
    (error,) = errors_for(root, "sur-la-cle.md", text)
    assert error.line == 10


def test_two_misspelt_keys_are_each_named_at_their_line_with_the_key_meant(root):
    """« tpye: » and « regoin: » came as one « clé inconnue « regoin, tpye » » without a suggestion, beside « clé
    obligatoire « type » manquante » and « … « region » manquante » (editor QA): four messages for two typos."""
    text = TERRITOIRE.replace("Ville d'Essai", "Fautes").replace("type:", "tpye:").replace("region:", "regoin:")
    errors = errors_for(root, "fautes.md", text)
    assert [(e.line, e.field) for e in errors] == [(4, "regoin"), (3, "tpye")], errors
    assert "« regoin ». Vouliez-vous dire « region » ? C'est une clé obligatoire, absente de la fiche." in errors[0].message
    assert "« tpye ». Vouliez-vous dire « type » ? C'est une clé obligatoire" in errors[1].message
    (seule,) = errors_for(root, "faute.md", TERRITOIRE.replace("Ville d'Essai", "Faute").replace("  - titre:", "  - titer:"))
    assert seule.line == 8 and "Vouliez-vous dire « titre » ? C'est une clé obligatoire" in seule.message


def test_a_date_in_another_format_is_not_also_called_a_backwards_period(root):
    text = TERRITOIRE.replace("Ville d'Essai", "Autre").rstrip("-\n") + (
        "\nchronologie:\n  - date: 31/02/2020\n    evenement: Un évènement.\n    sources:\n"
        "      - {publication: pub-essai, page: 4}\n---\n")
    errors = errors_for(root, "date.md", text)
    assert [e.field for e in errors] == ["chronologie[0].date"] and "format incorrect" in errors[0].message


@pytest.mark.parametrize("cle, valeur, attendu", [
    ("date", '"0001"', "l'année 0001 de « 0001 » est hors des années du guide (1900 à 2100)"),
    ("date", "2021-2150", "l'année 2150 de « 2021-2150 » est hors des années du guide"),
])
def test_a_chronology_s_year_is_within_the_guide_s_years(root, cle, valeur, attendu):
    """« date: "0001" » was published « 0001 », « 2021-2150 » as a period (editor QA); an action's `annee` stops at
    the same bounds (commun.schema.yaml)."""
    text = TERRITOIRE.replace("Ville d'Essai", "Autre").rstrip("-\n") + (
        f"\nchronologie:\n  - {cle}: {valeur}\n    evenement: Un évènement.\n    sources:\n"
        "      - {publication: pub-essai, page: 4}\n---\n")
    (error,) = errors_for(root, "annees.md", text)
    assert error.field == f"chronologie[0].{cle}" and attendu in error.message, error.message


def test_a_chronology_is_in_the_order_of_its_years(root):
    """The page shows a chronology in the order written: a date of 2014 after one of 2016 is refused at its line
    (editor QA); within a year the order stays the editor's, as in the real fiches (« 2016-07-08 » then « 2016 »)."""
    def fiche(dates, nom="Autre"):
        return TERRITOIRE.replace("Ville d'Essai", nom).rstrip("-\n") + "\nchronologie:\n" + "".join(
            f"  - date: \"{d}\"\n    evenement: Un évènement.\n    sources:\n      - {{publication: pub-essai, page: 4}}\n"
            for d in dates) + "---\n"
    (error,) = errors_for(root, "ordre.md", fiche(["2012", "2016-07-08", "2014", "2018"]))
    assert error.field == "chronologie[2].date" and "« 2014 » vient après « 2016-07-08 »" in error.message
    assert error.line == fiche(["2012", "2016-07-08", "2014", "2018"]).split("\n").index('  - date: "2014"') + 1
    assert errors_for(root, "ordre2.md", fiche(["2006", "2016-07-08", "2016", "2016-03", "2018"], "Autre2")) == []


def test_an_action_s_period_is_within_the_guide_s_years(root):
    text = TERRITOIRE.replace("Ville d'Essai", "Autre").replace("    champs: [champ-essai]\n",
                                                               "    champs: [champ-essai]\n    periode: 2021-2150\n")
    (error,) = errors_for(root, "periode.md", text)
    assert error.field == "actions[0].periode" and "hors des années du guide" in error.message


def test_a_date_in_a_text_written_day_month_year_must_exist(root):
    text = TERRITOIRE.replace("Ville d'Essai", "Autre").replace("Ce que fait la ville.", "Signé le 31/02/2021.")
    (error,) = errors_for(root, "jour.md", text)
    assert error.field == "actions[0].resume" and "« 31/02/2021 » n'existe pas" in error.message
    corps = [e for e in errors_for(root, "jour2.md", TERRITOIRE.replace("Ville d'Essai", "Autre2")
                                   + "\nAdopté le 30/13/2020 et le 1/2/2021.\n")]
    assert [(e.line, "« 30/13/2020 »" in e.message) for e in corps] == [(15, True)], corps


def test_a_period_written_as_an_actions_year_points_to_its_key(root):
    text = TERRITOIRE.replace("Ville d'Essai", "Autre").replace("    champs: [champ-essai]\n",
                                                               "    champs: [champ-essai]\n    annee: 2019-2021\n")
    (error,) = errors_for(root, "annee.md", text)
    assert error.field == "actions[0].annee" and 'periode: "2019-2021"' in error.message


def test_prose_in_a_block_text_that_starts_with_a_word_of_the_model_passes(root):
    """A résumé's line « partenaires: les entreprises de l'ESS… » is a sentence, not a mis-indented key."""
    text = TERRITOIRE.replace("Ville d'Essai", "Autre").replace(
        "    resume: Ce que fait la ville.\n",
        "    resume: >-\n      La ville réunit deux types de\n      partenaires: les entreprises et les bailleurs.\n"
        "      budget: 50 000 euros par an.\n")
    assert errors_for(root, "prose.md", text) == []


@pytest.mark.parametrize("avant, apres, attendu", [
    ("{publication: pub-essai, section: Zoom}", "{publication: pub-essai, section: Champ d'action #3}",
     "mettez le texte qui contient « # » entre guillemets"),
    ("    resume: Ce que fait la ville.\n", "    resume: Ce que fait la ville [^1].\n", "une fiche n'écrit pas ses notes"),
    ("    resume: Ce que fait la ville.\n", "    resume: Voir [le site](www.essai.fr).\n", "« https://www.essai.fr »"),
    ("type: commune", "type: commune #à vérifier", "écrivez « # à vérifier »"),
    # an image vanished from the page, its description too, without a word (the sanitiser keeps none from a fiche)
    ("    resume: Ce que fait la ville.\n", "    resume: Voir ![le plan](https://www.essai.fr/plan.png).\n",
     "le guide ne publie pas d'image venue d'une fiche"),
    # …its description over two lines (attacker QA)
    ("    resume: Ce que fait la ville.\n", "    resume: |-\n      Voir ![le\n      plan](https://www.essai.fr/plan.png).\n",
     "le guide ne publie pas d'image venue d'une fiche"),
    # …written as data, or as a file beside the fiche: the same, once each (editor QA)
    ("    resume: Ce que fait la ville.\n", "    resume: Voir ![logo](data:image/png;base64,iVBORw0KGgo=).\n",
     "image « data:image/png;base64,iVBORw0KGgo= » : le guide ne publie pas d'image"),
    ("    resume: Ce que fait la ville.\n", "    resume: Voir ![le plan](plan.png).\n",
     "image « plan.png » : le guide ne publie pas d'image"),
    # what other tools read, printed as typed (editor QA)
    ("  - titre: Une action", "  - titre: \"Une action {{ 7*7 }}\"", "« {{ 7*7 }} » : une fiche n'est pas un gabarit"),
    ("    resume: Ce que fait la ville.\n", "    resume: \"{% if true %}Oui{% endif %}\"\n", "« {% if true %} » : une fiche"),
    ("    resume: Ce que fait la ville.\n", "    resume: |-\n      Texte.\n\n      --8<-- \"CONTRIBUTING.md\"\n",
     "« --8<-- » : une fiche n'inclut pas d'autre fichier"),
    ("    resume: Ce que fait la ville.\n", "    resume: |-\n      Texte.\n\n      *[ESS]: Économie sociale et solidaire\n",
     "« *[ESS]: » : un sigle se déclare une fois pour tout le guide, dans fiches/sigles.yaml"),
    # a person's details: no place in the guide, said so (editor QA)
    ("actions:\n", "contacts:\n  - role: Élue\n    courriel: marie@example.org\n    sources:\n      - {publication: pub-essai, page: 4}\nactions:\n",
     "Le guide ne publie ni adresse électronique ni numéro de téléphone"),
    ("actions:\n", "contacts:\n  - role: Élue\n    nom: Marie Dupont, 02 33 00 00 00\n    sources:\n      - {publication: pub-essai, page: 4}\nactions:\n",
     "« 02 33 00 00 00 » : le guide ne publie ni adresse électronique ni numéro de téléphone"),
    # …nor in any other text: a résumé, a link to write to someone (editor QA: both were published)
    ("    resume: Ce que fait la ville.\n", "    resume: Contact, jean.dupont@ville.fr ou 02 40 99 48 48.\n",
     "« jean.dupont@ville.fr » : le guide ne publie ni adresse électronique ni numéro de téléphone ; nommez la structure"),
    ("    resume: Ce que fait la ville.\n", "    resume: |-\n      Ce que fait la ville.\n\n      [Écrire](mailto:jean@ville.fr).\n",
     "« jean@ville.fr » : le guide ne publie ni adresse électronique"),
    # …written through Markdown's marks, which the page leaves out (attacker QA: « evil\@… » was published as an address)
    ("    resume: Ce que fait la ville.\n", "    resume: Écrire à evil\\@example.org.\n",
     "« evil@example.org » : le guide ne publie ni adresse électronique"),
    ("    resume: Ce que fait la ville.\n", "    resume: Écrire à evil@exam**ple**.org.\n",
     "« evil@example.org » : le guide ne publie ni adresse électronique"),
    ("    resume: Ce que fait la ville.\n", "    resume: Appeler le 02\\.40\\.99\\.48\\.48.\n",
     "« 02.40.99.48.48 » : le guide ne publie ni adresse électronique ni numéro de téléphone"),
    # a link whose text reads as a note call, or shows a host in a sentence (attacker QA)
    ("    resume: Ce que fait la ville.\n", "    resume: Ce que fait la ville[³](https://evil.example/x).\n",
     "« [³](https://evil.example/x) » : le texte de ce lien n'est qu'un chiffre"),
    ("    resume: Ce que fait la ville.\n", "    resume: Voir [le portail service‐public.fr](https://evil.example/x).\n",
     "le texte de ce lien montre l'adresse « service-public.fr », mais le lien mène ailleurs"),
    # a straight quote in an address: the page cut it there, or took the rest of the paragraph into it (editor QA)
    ("    resume: Ce que fait la ville.\n", "    resume: 'Voir [la page](https://www.essai.fr/?q=\"ESS\") et la suite.'\n",
     "une adresse ne contient pas de guillemet droit"),
    ("    resume: Ce que fait la ville.\n",
     "    resume: 'Voir [c](https://www.essai.fr/\"onmouseover=\"alert(2)) et la suite.'\n",
     "Écrivez-le « %22 » dans l'adresse"),
    # YAML's merge key; text after a closing quote (editor QA: « clé non valide », « décalage incohérent »)
    ("    resume: Ce que fait la ville.\n", "    resume: Ce que fait la ville.\n    <<: {nature: zoom}\n",
     "« << » (fusion de blocs YAML) n'est pas accepté"),
    ("  - titre: Une action", "  - titre: \"[Une](x.md) **action**\" de la ville", "le texte continue après le guillemet fermant"),
    ("  - titre: Une action", "  - titre: 'L'action' de la ville", "une apostrophe s'écrit doublée"),
    # …or by reference, the definition below (editor QA)
    ("    resume: Ce que fait la ville.\n", "    resume: |-\n      Voir ![le plan][p].\n\n      [p]: https://www.essai.fr/plan.png\n",
     "le guide ne publie pas d'image venue d'une fiche"),
    ("    resume: Ce que fait la ville.\n", "    resume: |-\n      Voir ![Plan].\n\n      [plan]: https://www.essai.fr/plan.png\n",
     "le guide ne publie pas d'image venue d'une fiche"),
    # a heading in a résumé became one of the page, between the actions' own (editor QA)
    ("    resume: Ce que fait la ville.\n", "    resume: |-\n      ### Axes de coopération\n\n      Ce que fait la ville.\n",
     "titre Markdown « ### Axes de coopération »"),
    ("    resume: Ce que fait la ville.\n", "    resume: |-\n      Axes\n      ----\n\n      Ce que fait la ville.\n",
     "titre Markdown « Axes »"),
    # links MkDocs publishes as written, a page not found, with an information line only (editor QA)
    ("    resume: Ce que fait la ville.\n", "    resume: Voir [le site](nantes-metropole).\n", "ne mène à aucune page du guide"),
    ("    resume: Ce que fait la ville.\n", "    resume: Voir [ici](./).\n", "ne mène à aucune page du guide"),
    ("    resume: Ce que fait la ville.\n", "    resume: Voir [ici](?q=1).\n", "ne mène à aucune page du guide"),
    ("    resume: Ce que fait la ville.\n", "    resume: \"Voir [le site](ht\\ttps://www.essai.fr).\"\n",
     "une adresse ne contient ni espace, ni tabulation"),
])
def test_what_an_editor_typed_gets_the_advice_that_fixes_it(root, avant, apres, attendu):
    text = TERRITOIRE.replace("Ville d'Essai", "Autre").replace(avant, apres, 1)
    assert text != TERRITOIRE.replace("Ville d'Essai", "Autre")
    errors = errors_for(root, "conseil.md", text)
    if not errors:  # links are checked once the fiches are valid, as the build and valider.py do
        from guide.modele.validate import check_links
        docs, _, _ = load_all(root)
        errors = check_links(docs["territoires"]["conseil"], "territoires/conseil.md", lambda src: False)
    assert len(errors) == 1 and attendu in errors[0].message, [str(e) for e in errors]
    assert not (errors[0].field or "").startswith(("-", "{")), errors[0].field


def test_two_publications_cannot_share_a_short_name(root):
    """A bracket « (Essai, p. 3) » is a note to one publication: a second one declared with the same short name, its
    accents or case aside, was never cited, and the sources page listed two « Étude 2021 » (editor QA)."""
    sources = root / "fiches" / "sources.yaml"
    sources.write_text(fiches_essai.SOURCES + "  - id: pub-autre\n    titre: Une délibération\n    annee: 2024\n"
                       "    editeurs: [Ville]\n    edition: ESSAI\n", encoding="utf-8")
    _, _, errors = load_all(root)
    (error,) = [e for e in errors if e.path == "fiches/sources.yaml"]
    assert error.line == 11 and error.field == "publications[1].edition", (error.line, error.field)
    assert "nom court « ESSAI » déjà celui de la publication « pub-essai »" in error.message, error.message
    sources.write_text(fiches_essai.SOURCES + "  - id: pub-autre\n    titre: Une délibération\n    annee: 2024\n"
                       "    editeurs: [Ville]\n    edition: Délibération 2024\n", encoding="utf-8")
    assert [e for e in load_all(root)[2] if e.path == "fiches/sources.yaml"] == []


def test_a_short_name_cannot_begin_with_another_publication_s(root):
    """« appellations: ["Étude 2021, p. 54-57"] » on a new publication took the citations « (Étude 2021, p. 54-57) »
    that other fiches wrote of the study to a page of its own, on 15 pages (attacker QA): a bracket is read as the
    longest short name it opens on. A short name never begins with another publication's."""
    sources = root / "fiches" / "sources.yaml"
    sources.write_text(fiches_essai.SOURCES + "  - id: pub-autre\n    titre: Un erratum\n    annee: 2024\n"
                       "    editeurs: [Ville]\n    edition: Erratum\n    appellations: [\"essai, p. 4\"]\n", encoding="utf-8")
    _, _, errors = load_all(root)
    (error,) = [e for e in errors if e.path == "fiches/sources.yaml"]
    assert error.line == 12 and error.field == "publications[1].appellations[0]", (error.line, error.field)
    assert "nom court « essai, p. 4 » : il commence par « Essai », nom court de la publication « pub-essai »" in error.message
    sources.write_text(fiches_essai.SOURCES + "  - id: pub-autre\n    titre: Un erratum\n    annee: 2024\n"
                       "    editeurs: [Ville]\n    edition: Erratum\n    appellations: [Erratum 2024]\n", encoding="utf-8")
    assert [e for e in load_all(root)[2] if e.path == "fiches/sources.yaml"] == []
    # …nor is its title another's, which the form's list of publications shows alone
    sources.write_text(fiches_essai.SOURCES + "  - id: pub-autre\n    titre: publication d'essai\n    annee: 2024\n"
                       "    editeurs: [Ville]\n    edition: Erratum\n", encoding="utf-8")
    (error,) = [e for e in load_all(root)[2] if e.path == "fiches/sources.yaml"]
    assert error.field == "publications[1].titre" and "déjà celui de la publication « pub-essai »" in error.message


def test_a_fiche_is_not_blamed_for_the_fault_of_the_fiche_that_carries_its_actions(root):
    """A territory whose actions are all shared, carried by another fiche (Ville de Nantes by Nantes Métropole), was
    told « aucune action » when that fiche had an error of its own (editor QA): only that error is said."""
    territoires = root / "fiches" / "territoires"
    (territoires / "partenaire.md").write_text(TERRITOIRE.replace("Ville d'Essai", "Partenaire").split("actions:")[0]
                                                + "---\n", encoding="utf-8")
    porteur = TERRITOIRE.replace("Ville d'Essai", "Porteur").replace(
        "titre: Une action\n", "titre: Une action portée\n    coporteurs: [partenaire]\n")
    (territoires / "porteur.md").write_text(porteur, encoding="utf-8")
    assert [e for e in load_all(root)[2]] == []
    (territoires / "porteur.md").write_text(porteur.replace("Ce que fait", "Ce que fait\u00ad"), encoding="utf-8")
    errors = load_all(root)[2]
    assert [e.path for e in errors] == ["fiches/territoires/porteur.md"], [str(e) for e in errors]


def test_a_copy_under_a_refused_file_name_is_told_once(root):
    """« x (copie).md », a file manager's copy: 45 errors, 22 of them on the original, which was right (editor QA).
    Its file name is refused; it is checked on its own, not against the other fiches."""
    territoires = root / "fiches" / "territoires"
    shutil.copy(territoires / "ville-d-essai.md", territoires / "ville-d-essai (copie).md")
    errors = load_all(root)[2]
    assert [(e.path, e.message.split(" (")[0]) for e in errors] == [
        ("fiches/territoires/ville-d-essai (copie).md", "ce fichier semble être une copie de « fiches/territoires/ville-d-essai.md »")
    ], [str(e) for e in errors]
    # …named a copy of its original, whatever the file manager's words (editor QA: told to rename it
    # « ville-d-essai-copie.md », the editor had a second fiche of the territory and a dozen errors against the first)
    (territoires / "ville-d-essai (copie).md").unlink()
    for copie in ("Ville d'Essai - Copie.md", "Copie de ville-d-essai.md", "ville-d-essai (2).md", "ville-d-essai copy.md"):
        shutil.copy(territoires / "ville-d-essai.md", territoires / copie)
        (error,) = load_all(root)[2]
        assert "copie de « fiches/territoires/ville-d-essai.md »" in error.message and "supprimez-le" in error.message, (copie, error)
        (territoires / copie).unlink()
    # the same name in capitals, with an apostrophe or an accent: a second fiche of the territory, said once, on it (editor
    # QA: « Cergy-Pontoise.md » was called a file manager's copy, and both files were blamed)
    for autre in ("Ville-d-Essai.md", "ville-d'essai.md", "ville-d-éssai.md"):
        shutil.copy(territoires / "ville-d-essai.md", territoires / autre)
        (error,) = load_all(root)[2]
        assert error.path == f"fiches/territoires/{autre}" and error.message.startswith(
            "le nom de ce fichier ne diffère de « fiches/territoires/ville-d-essai.md » que par ses majuscules"), (autre, error)
        (territoires / autre).unlink()
    # a file named otherwise is only told its name's rule
    shutil.copy(territoires / "ville-d-essai.md", territoires / "Autre Ville.md")
    (error,) = load_all(root)[2]
    assert error.message.startswith("nom de fichier invalide") and "« autre-ville.md »" in error.message, error


def test_true_written_with_a_capital_is_true(root):
    text = TERRITOIRE.replace("Ville d'Essai", "Autre").replace("region: Bretagne", "region: Bretagne\nregion_officielle: True")
    assert errors_for(root, "vrai.md", text) == []


def test_a_text_line_starting_with_a_glued_hash_is_told_not_cut(root):
    """« resume: … au titre du champ » then « #3 de la stratégie… » on the next line was published cut at « champ »
    (a line whose first character is « # » is a comment); a comment at the keys' indentation stays one."""
    text = TERRITOIRE.replace("Ville d'Essai", "Autre").replace(
        "    resume: Ce que fait la ville.\n",
        "    resume: Ce que fait la ville au titre du champ\n      #3 de la stratégie, avec ses partenaires.\n"
        "    #annee: 2021\n")
    (error,) = errors_for(root, "diese.md", text)
    assert error.line == 11 and error.field == "actions[0].resume"
    assert "« #3 de la stratégie, avec ses partenaires. » est lue comme un commentaire" in error.message


def test_a_source_in_brackets_in_the_text_names_its_page_or_section(root):
    """A source cited in brackets in a fiche's text becomes a note (notes.annoter); like a `sources` entry it must say
    where the passage is: « (Essai) » alone was published as a note naming the publication only (26 notes, reader
    QA). Told with its line and field; a page, a section, or a page then a section pass."""
    text = TERRITOIRE.replace("resume: Ce que fait la ville.", "resume: Ce que fait la ville (Essai).") + (
        "\nLa ville soutient l'ESS depuis 2010 (Essai).\n\nElle a un plan (Essai, p. 14 ; Essai, Zoom) et un"
        " conseil (Essai, p. 18-22 et 52-53, Zoom) ; (voir la carte) reste une parenthèse.\n")
    errors = errors_for(root, "ville-d-essai.md", text)
    assert sorted((e.line, e.field or "") for e in errors) == [(10, "actions[0].resume"), (15, "")], errors
    assert all("« Essai » entre parenthèses sans page ni section" in e.message for e in errors)
    assert errors_for(root, "ville-d-essai.md", text.replace("(Essai)", "(Essai, Zoom)").replace(
        "(Essai).", "(Essai, p. 3).")) == []


def test_a_source_in_brackets_names_a_section_its_fiche_cites(root):
    """« (Étude 2019, zoom du champ #1) »: 60 brackets of the guide's texts named a section no `sources` entry of their
    fiche names, and their notes read « Étude 2019, « zoom du champ #1 » », which a reader cannot find in the
    publication (phone QA). Told with its line, the fiche's nearest section, and what to do; the section as an entry
    names it passes, in the text and in a field's text."""
    text = TERRITOIRE + "\nLa ville soutient l'ESS (Essai, zom).\n\nElle a un plan (Essai, p. 4 ; Essai, Zoom).\n"
    (error,) = errors_for(root, "ville-d-essai.md", text)
    assert error.line == 15 and error.field is None, error
    assert "aucune entrée « sources » de la fiche ne cite la section « zom »" in error.message
    assert "Vouliez-vous dire « Zoom » ?" in error.message and "ajoutez cette entrée" in error.message
    assert errors_for(root, "ville-d-essai.md", text.replace("(Essai, zom)", "(Essai, Zoom)")) == []
    champ = TERRITOIRE.replace("resume: Ce que fait la ville.", "resume: Ce que fait la ville (Essai, Encadré).")
    (error,) = errors_for(root, "ville-d-essai.md", champ)
    assert error.field == "actions[0].resume" and "la section « Encadré »" in error.message


def test_a_bracket_with_pages_joined_by_et_is_a_page_not_a_section():
    """« (Étude 2021, p. 18-22 et 52-53) » was printed as a section in quotes, « « p. 18-22 et 52-53 » »."""
    from guide.modele.parentheses import citation
    noms = [("Étude 2021", "avise-2021")]
    assert citation("Étude 2021, p. 18-22 et 52-53", noms) == {"publication": "avise-2021", "page": "18-22 et 52-53"}
    assert citation("Étude 2021, p. 14, encadré", noms) == {"publication": "avise-2021", "page": "14",
                                                           "section": "encadré"}
    assert citation("Étude 2021, fiche Lille", noms) == {"publication": "avise-2021", "section": "fiche Lille"}


def test_a_bracket_is_read_as_the_editor_meant_it_case_accents_and_page_as_typed():
    """« (Étude 2021, page 58) » was printed as a section « page 58 »; « (étude 2021, p. 58) », « (Etude 2021, p. 60) »
    and « (Étude 2021 p. 60) » as plain text, without a word (editor QA)."""
    from guide.modele.parentheses import citation
    noms = [("Étude 2021", "avise-2021"), ("Étude 2019", "avise-2019")]
    for part, page in (("Étude 2021, page 58", "58"), ("Étude 2021, pages 18-22", "18-22"), ("étude 2021, p. 58-63", "58-63"),
                       ("Etude 2021, p. 60", "60"), ("Étude 2021 p. 60", "60"), ("ÉTUDE 2021, P. 7", "7")):
        assert citation(part, noms) == {"publication": "avise-2021", "page": page}, part
    # without a page, a name in lower case is prose, as in the real fiches: « (étude 2019, qui le dit plus récent…) »
    assert citation("étude 2019", noms) is None and citation("étude 2019, qui le dit plus récent", noms) is None
    assert citation("Étude 2021 fiche", noms) is None and citation("études 2021, p. 3", noms) is None


def test_a_share_written_as_text_keeps_its_percent_sign(root):
    """« part_emplois: "environ 10" » was published « Part de l'ESS dans l'emploi : environ 10 » (reader QA, Bordeaux
    Métropole): the site adds « % » after a number only. A share in words ending on its figure is told to write
    its « % »; « environ 10 % » and the number alone pass."""
    panorama = '\npanorama:\n  - part_emplois: {}\n    sources:\n      - {{publication: pub-essai, page: 4}}\nactions:'
    (error,) = errors_for(root, "ville-d-essai.md", TERRITOIRE.replace("\nactions:", panorama.format('"environ 10"'), 1))
    assert 'part_emplois: "environ 10 %"' in error.message and error.field == "panorama[0].part_emplois"
    for bon in ('"environ 10 %"', "10", "12.5"):
        assert errors_for(root, "ville-d-essai.md", TERRITOIRE.replace("\nactions:", panorama.format(bon), 1)) == []


# The pattern the validator used for an event handler in a tag, kept here as the oracle of its linear replacement.
_GESTIONNAIRE_AVANT = __import__("re").compile(r"<[^>]*\s(on[a-z]+)\s*=", __import__("re").I)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(list("<>a= \n\tonclickONLOAD\"'/") + ["on", "<a ", " onclick=", "<script", "javascript:"]),
                max_size=40).map("".join))
def test_active_content_is_found_where_the_old_pattern_found_it(texte):
    """contenu_actif looks for an event handler in a tag in one pass (the pattern « <[^>]*\\son…= » tried every « < » to
    the end of a text without « > »: a fiche of « <a <a … » within the bounds took minutes to check, editor QA).
    It finds active content where the old patterns did, at the same place."""
    from guide.modele.validate import ACTIVE_CONTENT, contenu_actif
    anciens = [m for m in (ACTIVE_CONTENT.search(texte), _GESTIONNAIRE_AVANT.search(texte)) if m]
    attendu = min(anciens, key=lambda m: m.start()) if anciens else None
    trouve = contenu_actif(texte)
    assert (trouve is None) == (attendu is None), (texte, trouve, attendu)
    if attendu is not None and len(attendu.group(0)) <= 80:  # (the old one ran on to the tag's last handler)
        assert attendu.group(0).startswith(trouve), (texte, trouve, attendu.group(0))


def test_a_text_of_many_headings_is_refused_by_its_bound(root):
    """« a\n=\n » 12,000 times in a free text: a 4.7 MB page whose « Sur cette page » listed 12,000 entries (editor QA).
    A text holds 50 headings at most (the real fiches, 3); the line of the first is given for the free text."""
    text = TERRITOIRE.replace("resume: Ce que fait la ville.", "resume: |-\n" + "      a\n      ===\n" * 60) + "\nIntro.\n\n" + "## b\n\n" * 51
    errors = [e for e in errors_for(root, "ville-d-essai.md", text) if "titres dans un même texte" in e.message]
    assert sorted((e.field or "", e.message.split(" titres")[0]) for e in errors) == [
        ("", "texte libre : 51"), ("actions[0].resume", "60")], errors
    corps = next(e for e in errors if e.field is None)
    assert corps.line == text.split("\n").index("## b") + 1, corps


# (inside a quote or a list item too: « > #a » and « - #a » passed the bound; verifying QA)
@pytest.mark.parametrize("titre", ["#b", "####### b", "   ##b", "> #b", "- #b", "> - ## b"])
def test_headings_written_without_a_space_count_towards_the_bound(root, titre):
    """Python-Markdown makes a heading of « #b » and « ####### b »: counted only with a space after « # », 16,600 such
    lines passed the bound and took a build from 15 s to 104 s (attacker QA)."""
    text = TERRITOIRE + "\nIntro.\n\n" + f"{titre}\n\n" * 51
    (error,) = [e for e in errors_for(root, "ville-d-essai.md", text) if "titres dans un même texte" in e.message]
    assert error.message.startswith("texte libre : 51 titres"), error
    assert [e for e in errors_for(root, "ville-d-essai.md", TERRITOIRE + "\nIntro.\n\n" + f"{titre}\n\n" * 50)
            if "titres" in e.message] == []


def test_a_free_text_part_titled_as_the_guide_s_own_is_refused(root):
    """« ## Élus et services » and « ## Notes » in a fiche's free text passed for the page's own parts, with fake
    officials and fake source notes, listed first in « Sur cette page » (attacker QA). The titles are the guide
    templates' own; another title passes."""
    corps = ("\nIntro.\n\n## Élus et services\n\nFaux.\n\n#NOTES#\n\n1. [Étude 2021](https://e.example)\n\n"
             "Sur cette page\n--------------\n\nx\n\n## Nos élus et services\n")
    texte = TERRITOIRE + corps
    erreurs = [e for e in errors_for(root, "ville-d-essai.md", texte) if "que le guide écrit lui-même" in e.message]
    lignes = texte.split("\n")
    assert [(e.line, e.field) for e in erreurs] == [
        (lignes.index("## Élus et services") + 1, "texte libre"), (lignes.index("#NOTES#") + 1, "texte libre"),
        (lignes.index("Sur cette page") + 1, "texte libre")], [str(e) for e in erreurs]
    assert "titre « Élus et services » : c'est le titre d'une partie" in erreurs[0].message


@pytest.mark.parametrize("titre", ["> ## Notes", "- ## Élus et services", "### Actions partagées avec d'autres territoires",
                                   "## [Notes](https://x.example)"])
def test_a_part_titled_as_the_guide_s_own_inside_a_quote_a_list_or_a_link_is_refused(root, titre):
    """« > ## Notes », « - ## Élus et services », a link's text, and a part the template titles with a value (« Actions
    partagées avec d'autres territoires », known by its id) passed (verifying QA)."""
    erreurs = [e for e in errors_for(root, "ville-d-essai.md", TERRITOIRE + f"\nIntro.\n\n{titre}\n\nFaux.\n")
               if "que le guide écrit lui-même" in e.message]
    assert len(erreurs) == 1, [str(e) for e in errors_for(root, "ville-d-essai.md", TERRITOIRE + f"\n{titre}\n")]


def test_a_text_of_unclosed_tags_is_refused_by_its_bound(root):
    """« <a <a <a … »: Python-Markdown reads raw HTML in a time that grows with the square of the tags it cannot close
    (16,000 of them added 34 s to a build). A text holds 200 « < » at most, as 200 « [ »; no fiche holds HTML."""
    text = TERRITOIRE.replace("resume: Ce que fait la ville.", "resume: " + '"' + "<a " * 300 + '"') + "\n" + "<b " * 250
    errors = errors_for(root, "ville-d-essai.md", text)
    assert sorted((e.field or "", "300 chevrons « < »" in e.message or "250 chevrons « < »" in e.message)
                  for e in errors if "chevrons" in e.message) == [("", True), ("actions[0].resume", True)], errors


def test_an_update_date_to_come_is_refused(root):
    """« mis_a_jour: 2031-01-01 » was published « Dernière mise à jour : 1er janvier 2031 » beside the site's version
    of today (editor QA). Today passes."""
    import datetime
    futur = TERRITOIRE.replace("region: Bretagne", "region: Bretagne\nmis_a_jour: \"2031-01-01\"")
    (error,) = errors_for(root, "ville-d-essai.md", futur)
    assert error.field == "mis_a_jour" and error.line == 5 and "« 2031-01-01 » est à venir" in error.message
    aujourdhui = futur.replace("2031-01-01", datetime.date.today().isoformat())
    assert errors_for(root, "ville-d-essai.md", aujourdhui) == []


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="<>/!?-&#;:@.= ab1xX\n\t*[]()\"'`_é{}|", max_size=30))
@example("<`!`@1>")  # a code span inside an automatic e-mail link (found by hypothesis)
def test_a_text_the_validator_accepts_holds_nothing_markdown_reads_as_html(texte):
    """What the validator lets through (validate.html_ecrit) is read the same by Python-Markdown and by the fiche
    converter, which reads no HTML (fragments.py): no tag, comment, automatic link or entity went past the
    validator to be shown as written on a page. Compared as a reader sees them: the same elements, the same text."""
    import markdown
    from lxml import html as lxml_html
    from guide.modele.validate import html_ecrit
    from guide.rendu.fragments import convertisseur
    if html_ecrit(texte) is not None:
        return

    def lu(md):
        arbre = lxml_html.fragment_fromstring(md.convert(texte), create_parent="div")
        return [(el.tag, " ".join(el.text_content().split())) for el in arbre.iter()]

    assert lu(markdown.Markdown(extensions=["tables", "admonition", "footnotes"])) == lu(convertisseur()), texte


@pytest.mark.parametrize("avant, apres, ligne, attendu", [
    ("type: commune", "type:\u00a0commune", 3, "espace insécable autour du deux-points de « type »"),
    ("nom: Ville d'Essai", "nom:\u00a0Ville d'Essai", 2, "espace insécable autour du deux-points de « nom »"),
    ("  - titre: Une action", "  - titre:\u00a0Une action", None, "espace insécable autour du deux-points de « titre »"),
    ("nom: Ville d'Essai", "nom\u00a0: Ville d'Essai", None, "clé « nom » suivie d'une espace insécable"),
])
def test_a_word_processor_s_no_break_space_in_the_header_is_named(root, avant, apres, ligne, attendu):
    """« type:\u00a0petr », « nom\u00a0: » pasted from Word: YAML reads no space there, and its own error came a
    line later or named another key (editor QA). The first message names the no-break space, at its line."""
    text = TERRITOIRE.replace(avant, apres, 1)
    assert text != TERRITOIRE
    errors = errors_for(root, "insecable.md", text)
    assert errors and attendu in errors[0].message, [str(e) for e in errors]
    numero = next(i for i, l in enumerate(text.split("\n"), 1) if apres.strip() in l)
    if ligne is None and "deux-points" in attendu:
        ligne = numero
    assert ligne is None or errors[0].line == ligne, [str(e) for e in errors]


def test_texts_made_to_stall_the_checks_of_links_are_read_at_once(root):
    """« ](a " » repeated over a free text (no « [ » needed, so no bound on them): the pattern of links read each to
    the end of the text, minutes at 50,000 characters; a link cut by spaces is read once too. Within the bounds."""
    from guide.modele.validate import check_links
    for corps in ('](a "' * 9000, "](" + " " * 45000, "](a" + " a" * 20000, "](" * 22000, "](a " * 11000,
                  "](" * 22000 + ")"):
        text = TERRITOIRE.replace("Ville d'Essai", "Autre") + "\nIntro.\n\n" + corps + "\n"
        # (the text shown with its signs, a link never closed, is said once)
        assert all("lien sans sa parenthèse fermante" in e.message for e in errors_for(root, "liens.md", text))
        docs, _, _ = load_all(root)
        check_links(docs["territoires"]["liens"], "territoires/liens.md", lambda src: False)


# The pattern _liens_md replaces (one finditer over both kinds of links), kept here as the reference it must agree with.
_LIENS_UNE_PASSE = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'(][^)]{0,300})?\s*\)|^ {0,3}\[(?!\^)[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)",
                              re.M)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["](", ")", "[", "]", "]:", "[^1]:", " ", "\t", "\n", "<", ">", "a", "x.md", "https://x.fr",
                                 '"t"', "(", "^", "   [r]: ", "javascript:x"]), max_size=40).map("".join))
@example("](]( ]()")  # a « ]( » ending another's destination, spaces after it (found by hypothesis)
@example("](]( )")  # spaces before the closing bracket
def test_links_are_found_as_one_pattern_finds_them(texte):
    """_liens_md reads each character a bounded number of times (a text of « ]( » alone held the validator for
    minutes) and finds what one finditer of both patterns found: the same links, at the same places."""
    from guide.modele.validate import _liens_md
    attendu = [(m.start(), m.group(1) or m.group(2)) for m in _LIENS_UNE_PASSE.finditer(texte)]
    assert _liens_md(texte) == attendu


def test_champs_without_famille_or_numero_get_the_schema_s_error_only(root):
    """Two champ fiches without `famille` and `numero` were told « le numéro None de la famille « None » est déjà
    pris » (editor QA): a Python value in a French message, for a fault the schema already names."""
    champ = fiches_essai.champ("Autre champ").replace("famille: levier\nnumero: 1\n", "")
    for nom in ("sans-numero-1", "sans-numero-2"):
        (root / "fiches" / "champs" / f"{nom}.md").write_text(champ.replace("Autre champ", nom), encoding="utf-8")
    _, _, errors = load_all(root)
    messages = [str(e) for e in errors if e.path.startswith("fiches/champs/sans-numero")]
    assert messages and all("None" not in m and "déjà pris" not in m for m in messages), messages
    assert any("famille" in m for m in messages) and any("numero" in m for m in messages), messages


@pytest.mark.parametrize("sigles, attendu, ligne", [
    # one anchor, one search key: « Ess » beside « ESS » gave two id="ess" and replaced the search's expansion
    ([("ESS", "Économie sociale et solidaire"), ("Ess", "Espace de santé scolaire")],
     "sigle « Ess » est le même que « ESS », écrit autrement", 6),
    ([("ESS", "Économie sociale et solidaire"), ("ESS", "Espace de santé scolaire")], "sigle « ESS » défini deux fois", 6),
    # the search looks for each word of a definition: 10,000 characters kept a query 20 s and more (attacker QA)
    ([("QQQ", "économie " * 30)], "texte trop long (269 caractères) : 160 au plus", 3),
    # a common word capitalised at a sentence's start was explained as an acronym on 9 pages (attacker QA)
    ([("Et", "Entreprise de territoire")], "format incorrect pour « Et »", 2),
    ([("Les", "Lieux d'économie solidaire")], "format incorrect pour « Les »", 2),
    # the guide's own words and a territory's name, explained on every page with a definition of the editor's choosing
    ([("En bref", "Résumé non vérifié")], "format incorrect pour « En bref »", 2),
    ([("Essai", "Ville de Brest")], "sigle « Essai » : c'est un mot du nom d'un territoire du guide", 2),
    # a label of the guide's pages, given the editor's definition in every « En bref » (attacker QA); « Ufisc », as
    # French typography writes it, is one
    ([("Population", "Chiffre contesté"), ("Ufisc", "Union fédérale d'intervention des structures culturelles")],
     "sigle « Population » : c'est un mot que le guide écrit lui-même", 2),
    ([("Exemple", "Non vérifié")], "sigle « Exemple » : c'est un mot que le guide écrit lui-même", 2),
    # words of the fiches' prose, and an elided article before a real acronym, explained at 277 places of 71 pages
    # with a definition of the editor's choosing (attacker QA)
    ([("ESS", "Économie sociale et solidaire"), ("L'ESS", "Information retirée du guide")], "format incorrect pour « L'ESS »", 6),
    # a language a screen reader cannot know was published as lang="xx" (attacker QA)
    ([("BIC", "Business Innovation Centre\"\n    langue: \"xx")], "code de langue « xx » inconnu", 4),
])
def test_a_glossary_entry_the_site_cannot_tell_apart_or_search_is_refused_at_its_line(root, sigles, attendu, ligne):
    (root / "fiches" / "sigles.yaml").write_text("sigles:\n" + "".join(
        f'  - sigle: "{s}"\n    definition: "{d.strip()}"\n    sources:\n      - {{publication: pub-essai, page: 4}}\n'
        for s, d in sigles), encoding="utf-8")
    _, _, errors = load_all(root)
    assert [(e.path, e.line) for e in errors if attendu in e.message] == [("fiches/sigles.yaml", ligne)], \
        [str(e) for e in errors]


def test_an_acronym_the_fiches_write_as_a_word_is_refused_naming_where(root):
    """« Emploi », « Parmi », « Ainsi » declared as acronyms put an editor's definition on 277 places of 71 pages, at
    every sentence they start (attacker QA): a word the fiches also write in lower case is no acronym (here a word the
    guide's own pages do not write, which another check refuses). « Ufisc », as French typography writes it, is none
    of the fiches' words."""
    (root / "fiches" / "territoires" / "ville-d-essai.md").write_text(TERRITOIRE + "Un zorglub, parmi d'autres.\n",
                                                                         encoding="utf-8")
    (root / "fiches" / "sigles.yaml").write_text("sigles:\n" + "".join(
        f'  - sigle: "{s}"\n    definition: "{d}"\n    sources:\n      - {{publication: pub-essai, page: 4}}\n'
        for s, d in (("Ufisc", "Union fédérale d'intervention des structures culturelles"),
                     ("Zorglub", "Information retirée du guide"))), encoding="utf-8")
    _, _, errors = load_all(root)
    (erreur,) = [e for e in errors if e.path == "fiches/sigles.yaml"]
    assert erreur.line == 6 and erreur.message.startswith("sigle « Zorglub » : les fiches écrivent aussi « zorglub » "
                                                          "en minuscules (fiches/territoires/ville-d-essai.md, ligne 14)"), erreur


@pytest.mark.parametrize("marques, refuse", [(900, True), (4, True), (3, False)])
def test_accents_stacked_on_one_letter_are_refused_beyond_what_a_language_writes(root, marques, refuse):
    """900 accents on one letter rose over the glossary's rows above (attacker QA). More than three marks on one letter
    are refused at their line; the two of a decomposed Vietnamese « ệ » (and one more) are not."""
    # (a mark no letter composes with: « é » and three more acute accents would be four marks before NFC, three after)
    texte = TERRITOIRE.replace("resume: Ce que fait la ville.", "resume: Vie\u0323\u0302t, Appe" + "\u0336" * marques + "l")
    errors = errors_for(root, "ville-d-essai.md", texte)
    empiles = [e for e in errors if "accents ou signes diacritiques empilés" in e.message]
    assert [(e.line, e.field) for e in empiles] == ([(10, "actions[0].resume")] if refuse else []), [str(e) for e in errors]


@pytest.mark.parametrize("avant, apres, champ, ecrit, entier", [
    ("    resume: Ce que fait la ville.\n", "    resume: Ce que fait la ville.\n    annee: 2020.0\n", "actions[0].annee",
     "2020.0", "2020"),
    ("sources:\n", "rtes: {adhesion: 2010.0, sources: [{publication: pub-essai, page: 4}]}\nsources:\n", "rtes.adhesion",
     "2010.0", "2010"),
    ("  - {publication: pub-essai, page: 4}\n", "  - {publication: pub-essai, page: 4.0}\n", "sources[0].page", "4.0", "4"),
])
def test_an_integer_written_with_a_decimal_is_refused(root, avant, apres, champ, ecrit, entier):
    """« annee: 2020.0 » passed (JSON Schema counts it an integer) and the page printed « 2020.0 » (attacker QA)."""
    errors = errors_for(root, "ville-d-essai.md", TERRITOIRE.replace(avant, apres, 1))
    assert [(e.field, e.message) for e in errors] == [
        (champ, f"« {ecrit} » : un nombre entier s'écrit sans décimale ({entier}).")], errors


def test_a_lever_that_sends_to_itself_is_told_so(root):
    """« voir_aussi: [{levier: x}] » in the lever x was told « inconnu ou identique », with « Vouliez-vous dire « x » ? »,
    the very id written (attacker QA): said as what it is."""
    champ = root / "fiches" / "champs" / "champ-essai.md"
    champ.write_text(fiches_essai.champ("Champ d'essai").replace("sources:\n", (
        "leviers:\n  - id: levier-essai\n    titre: Un levier\n    texte: Son texte.\n    sources:\n"
        "      - {publication: pub-essai, page: 3}\n    voir_aussi:\n      - {levier: levier-essai, pourquoi: Lui.}\n"
        "sources:\n"), 1), encoding="utf-8")
    errors = [e for e in load_all(root)[2] if e.path == "fiches/champs/champ-essai.md"]
    assert [(e.field, e.message) for e in errors] == [("leviers[0].voir_aussi[0].levier", "levier « levier-essai » : c'est "
                                                       "ce levier lui-même ; « voir_aussi » renvoie à d'autres leviers.")], errors
