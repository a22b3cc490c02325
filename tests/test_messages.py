"""Messages an editor can act on: French only, at the line where the fault starts, « action n° 1 »,
« clé » for a YAML key and « champ d'action » for the guide's champs, the near name suggested, numbers
written the French way, citations that say where to read."""
from __future__ import annotations

import datetime
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import fiches_essai
from conftest import ROOT
from guide import load_all
from guide.modele.load import PROFONDEUR_MAX as PROFONDEUR, parse_yaml

# Line numbers below are those of this text (line 1 is the opening ---).
TERRITOIRE = """---
nom: Ville d'Essai
type: commune
region: Bretagne
sources:
  - {publication: pub-essai, page: 4}
identite:
  population:
    - valeur: 12000
      unite: habitants
      sources:
        - {publication: pub-essai, page: 5}
actions:
  - titre: Une action
    champs: [soutien-direct-structures]
    resume: Ce que fait la ville.
    sources:
      - {publication: pub-essai, section: Zoom}
---
"""

# Words of libyaml's and jsonschema's English messages that must never reach an editor.
ENGLISH = re.compile(r"\b(found|expected|while|scanning|mapping|could not|is not|None|stream|token|character|"
                     r"required property|Additional properties|is too short|does not match)\b")


@pytest.fixture
def root(tmp_path) -> Path:
    return fiches_essai.projet(tmp_path, "soutien-direct-structures", "Soutien direct aux structures",
                               {"autre-ville.md": TERRITOIRE.replace("Ville d'Essai", "Autre ville")
                                                                 .replace("Une action", "Une autre action")})


def errors_for(root: Path, text: str, name: str = "ville-d-essai.md") -> list:
    path = root / "fiches" / "territoires" / name
    path.write_text(text, encoding="utf-8")
    _, _, errors = load_all(root)
    found = [e for e in errors if e.path == f"fiches/territoires/{name}"]
    for error in found:
        assert not ENGLISH.search(str(error)), str(error)
    return found


def test_the_base_fiche_is_valid(root):
    assert errors_for(root, TERRITOIRE) == []


# --- YAML faults: the line where they start, in French ------------------------------------------------

def test_unclosed_quote_is_reported_where_it_opens(root):
    text = TERRITOIRE.replace("titre: Une action", 'titre: "Une action')
    (error,) = errors_for(root, text)
    assert error.line == 14 and "guillemet" in error.message and "jamais fermé" in error.message


def link_errors(root: Path, text: str) -> list:
    """The errors of a fiche, its links' (the build's and the validator's check_links) included."""
    from guide.modele.validate import check_links
    found = errors_for(root, text)
    docs, _, _ = load_all(root)
    liens = check_links(docs["territoires"]["ville-d-essai"], "territoires/ville-d-essai.md", lambda src: True)
    for error in liens:
        assert not ENGLISH.search(str(error)), str(error)
    return found + liens


@pytest.mark.parametrize("line", ["\ttype: commune", "type: commune\n\tregion: Bretagne"])
def test_a_tab_is_explained_in_french(root, line):
    text = TERRITOIRE.replace("type: commune\nregion: Bretagne", line if "region" in line else line + "\nregion: Bretagne")
    (error,) = errors_for(root, text)
    assert "tabulation" in error.message and "espaces" in error.message
    assert error.line == text.split("\n").index(next(l for l in text.split("\n") if l.startswith("\t"))) + 1


def test_a_stray_separator_is_reported_at_its_own_line(root):
    text = TERRITOIRE.replace("actions:\n", "---\nactions:\n")
    (error,) = errors_for(root, text)
    assert error.line == 13 and "« --- »" in error.message and "aucune action" not in error.message


@pytest.mark.parametrize("char, words", [
    ("\x0b", "Maj+Entrée"), ("\u2028", "U+2028"), ("\u2029", "U+2029"), ("\x07", "caractère de contrôle"),
])
def test_invisible_characters_are_reported_with_line_field_and_what_to_do(root, char, words):
    text = TERRITOIRE.replace("Ce que fait la ville.", f"Ce que fait{char}la ville.")
    (error,) = errors_for(root, text)
    assert error.line == 16 and error.field == "resume" and words in error.message
    assert "Remplacez-le" in error.message and "clé « resume »" in str(error)



@pytest.mark.parametrize("char", ["\u2800", "\u3164", "\uffa0", "\u115f"])
def test_letters_that_show_nothing_are_refused(root, char):
    """A title and a résumé of Braille blanks or Hangul fillers passed as text and were published as an empty action
    (attacker QA)."""
    (error,) = errors_for(root, TERRITOIRE.replace("Ce que fait la ville.", f'"{char * 3}"'))
    assert error.line == 16 and error.field.endswith("resume")
    assert f"s'affiche vide (U+{ord(char):04X})" in error.message and "retaper" in error.message

@pytest.mark.parametrize("bad, line, words", [
    ("nom: Ville: centre", 2, "entre guillemets"),
    ("nom: Ville d'Essai\njuste du texte", 3, "pas de deux-points"),
    ("nom: Ville d'Essai\n  type: commune", 3, "la clé « type » est plus décalée que « nom »"),
    ("nom: @ville", 2, "ne peut pas commencer par « @ »"),
    ("nom: [Ville", 2, "n'est pas fermée"),
    ('nom: "Ville \\q"', 2, "barre oblique"),
])
def test_other_yaml_faults_in_french(root, bad, line, words):
    (error,) = errors_for(root, TERRITOIRE.replace("nom: Ville d'Essai", bad))
    assert error.line == line and words in error.message, str(error)


@pytest.mark.parametrize("texte", ["Bilan : une quarantaine de propositions", "Bilan: une quarantaine"])
def test_a_text_with_a_colon_read_as_a_key_says_to_quote_it(root, texte):
    """« - Bilan : une quarantaine… » in a list of texts is a block of one key to YAML: « attendu un texte, trouvé un
    bloc de clés » did not say why, nor what to write (content QA, on the Eurométropole de Strasbourg's fiche)."""
    (error,) = errors_for(root, TERRITOIRE.replace("    resume: Ce que fait la ville.",
                                                   f"    resume: Ce que fait la ville.\n    partenaires:\n      - {texte}"))
    assert error.line == 18 and "partenaire" in str(error), str(error)
    assert "Le texte « Bilan : … » contient un deux-points" in error.message, str(error)
    assert 'entre guillemets ("Bilan : …")' in error.message, str(error)


@pytest.mark.parametrize("old, new, line, cle", [
    ("region: Bretagne", "region Bretagne", 4, "region"),
    # reported on the next line, under the next line's key (editor QA: « ligne 15 : clé « champs » : deux-points
    # inattendu… alignez cette ligne »)
    ("  - titre: Une action", "  - titre Une action", 14, "titre"),
    ("nom: Ville d'Essai", "nom Ville d'Essai", 2, "nom"),
    ("    resume: Ce que fait la ville.", "    resume Ce que fait la ville.", 16, "resume"),
    ("  - titre: Une action", "  - titre Cadre d'action #3", 14, "titre"),  # (a « # »: a comment, verifier QA)
])
def test_a_key_without_its_colon_is_named_as_itself_at_its_line(root, old, new, line, cle):
    """« region Pays de la Loire » was reported under « type », the key of the line above."""
    (error,) = errors_for(root, TERRITOIRE.replace(old, new))
    assert error.line == line and error.field == cle, str(error)
    assert f"il manque le deux-points après « {cle} » : écrivez « {cle}: {new.split(cle, 1)[1].strip()} »" in error.message


@pytest.mark.parametrize("titre", ["“Appel à projets : ESS”", "« Appel à projets : ESS »"])
def test_a_colon_in_typographic_quotes_is_told_to_take_straight_quotes(root, titre):
    """« titre: “Appel à projets : ESS” » was told to put the text in quotes: the editor believed it was (editor QA)."""
    (error,) = errors_for(root, TERRITOIRE.replace("  - titre: Une action", f"  - titre: {titre}"))
    assert error.line == 14 and 'guillemets droits, ceux de la touche 3 : titre: "Appel à projets : ESS"' in error.message


@pytest.mark.parametrize("guillemets", ["“…”", "‘…’", "„…“", "”…”", "“…“"])
def test_a_title_in_english_quotes_is_refused_and_french_ones_kept(root, guillemets):
    """« titre: “Appel à projets ESS” » was published with its quotes (editor QA), and its other shapes after the first
    fix (verifier QA); a title that quotes, in French quotes, is the guide's own (« La transition écologique… »)."""
    titre = guillemets[0] + "Appel à projets ESS" + guillemets[-1]
    (error,) = errors_for(root, TERRITOIRE.replace("  - titre: Une action", f"  - titre: {titre}"))
    assert error.line == 14 and '(titre: "Appel à projets ESS")' in error.message, error
    assert errors_for(root, TERRITOIRE.replace("  - titre: Une action", "  - titre: « Appel à projets ESS »")) == []


def test_a_word_of_a_text_on_its_next_line_is_not_taken_for_a_key(root):
    """A résumé on three lines, the second starting with « note » (a key of the model), the third holding « objectif : »:
    told « il manque le deux-points après « note » », whose advice broke the résumé (verifier QA). The fault is the
    colon of the third line."""
    (error,) = errors_for(root, TERRITOIRE.replace("    resume: Ce que fait la ville.", "    resume: La ville participe"
                                                   "\n      note de cadrage de la Région\n      objectif : une stratégie."))
    assert error.line == 18 and "deux-points inattendu" in error.message and "après « note »" not in error.message


def test_a_no_break_space_after_a_colon_is_said_once(root):
    """« region:\u00a0Bretagne » (Word's space) was said at its line, then « clé « type » : cette ligne n'a pas de
    deux-points », a fault the editor did not make (editor QA)."""
    (error,) = errors_for(root, TERRITOIRE.replace("region: Bretagne", "region:\u00a0Bretagne"))
    assert error.line == 4 and "espace insécable autour du deux-points de « region »" in error.message, error


# --- where a field is, and the near name ----------------------------------------------------------------

def test_actions_are_numbered_from_one_and_keys_are_called_cle(root):
    text = TERRITOIRE.replace("    champs: [soutien-direct-structures]", "    champs: [soutien-direct-aux-structures]")
    (error,) = errors_for(root, text)
    printed = str(error)
    assert printed.startswith("fiches/territoires/ville-d-essai.md:15: action n° 1, champ d'action n° 1 :")
    assert "[0]" not in printed
    assert "vouliez-vous dire « soutien-direct-structures » ?" in printed.lower()


@pytest.mark.parametrize("liste", ["soutien-direct-structures evaluation", "soutien-direct-structures; evaluation"])
def test_two_identifiers_without_their_comma_are_told_so(root, liste):
    """« champs: [achats-responsables evaluation] » was told « Vouliez-vous dire « achats-responsables » ? », which
    dropped the second champ for the editor who followed it (editor QA)."""
    (root / "fiches" / "champs" / "evaluation.md").write_text(
        fiches_essai.champ("Évaluation").replace("numero: 1", "numero: 2"), encoding="utf-8")
    text = TERRITOIRE.replace("    champs: [soutien-direct-structures]", f"    champs: [{liste}]")
    (error,) = errors_for(root, text)
    assert "Ce sont 2 identifiants sans virgule entre eux : écrivez-les [soutien-direct-structures, evaluation]." in str(error)
    assert "Vouliez-vous dire" not in str(error)


@pytest.mark.parametrize("old, new", [("type: commune", "type: commune metropole"),
                                      ("    champs: [soutien-direct-structures]", "    champs: [soutien-direct-structures soutien-direct-structures]")])
def test_a_field_of_one_value_or_a_repeated_identifier_is_not_told_to_write_a_list(root, old, new):
    """« type: commune metropole » was told « écrivez-les [commune, metropole] », which the schema then refused as a
    list; « [rd-sociale rd-sociale] », to write it twice (attacker QA)."""
    errors = errors_for(root, TERRITOIRE.replace(old, new))
    assert errors and not any("sans virgule" in e.message for e in errors), errors


@pytest.mark.parametrize("old, new, suggested", [
    ("    resume: Ce que", "    resumé: Ce que", "resume"),
    ("type: commune", "type: comune", "commune"),
    ("region: Bretagne", "region: Ile-de-France", "Île-de-France"),
    ("  - {publication: pub-essai, page: 4}", "  - {publication: pub-esai, page: 4}", "pub-essai"),
    ("    sources:\n      - {publication: pub-essai, section: Zoom}",
     "    coporteurs: [autre-vile]\n    sources:\n      - {publication: pub-essai, section: Zoom}", "autre-ville"),
])
def test_near_misses_are_suggested(root, old, new, suggested):
    errors = errors_for(root, TERRITOIRE.replace(old, new))
    assert any(f"Vouliez-vous dire « {suggested} » ?" in e.message for e in errors), [str(e) for e in errors]


def test_a_deleted_coporteur_is_not_answered_with_another_territory(root):
    """A fiche deleted (« villeurbanne ») was answered « Vouliez-vous dire « ville-de-rennes » ? » (editor QA): an
    editor following it would publish a false co-carrier. Only a typo gets a suggestion; the message names the
    missing file and says to remove the entry."""
    (root / "fiches" / "territoires" / "ville-de-rennes.md").write_text(
        TERRITOIRE.replace("Ville d'Essai", "Ville de Rennes").replace("Une action", "Une action rennaise"), encoding="utf-8")
    errors = errors_for(root, TERRITOIRE.replace(
        "    sources:\n      - {publication: pub-essai, section: Zoom}",
        "    coporteurs: [villeurbanne]\n    sources:\n      - {publication: pub-essai, section: Zoom}"))
    message = next(e.message for e in errors if "villeurbanne" in e.message)
    assert "Vouliez-vous dire" not in message, message
    assert "fiches/territoires/villeurbanne.md" in message and "retirez-le de coporteurs" in message, message


def test_a_missing_key_and_an_empty_value_say_what_to_write(root):
    (missing,) = errors_for(root, TERRITOIRE.replace("    resume: Ce que fait la ville.\n", ""))
    assert missing.message.startswith("clé obligatoire « resume » manquante")
    assert str(missing).startswith("fiches/territoires/ville-d-essai.md:14: action n° 1 :")
    (empty,) = errors_for(root, TERRITOIRE.replace("    resume: Ce que fait la ville.", "    resume:"))
    assert "valeur vide" in empty.message and "rien" not in empty.message and "None" not in empty.message
    assert str(empty).startswith("fiches/territoires/ville-d-essai.md:16: action n° 1, clé « resume » :")



@pytest.mark.parametrize("blanc", [" ", "\u00a0", "\t", "\u202f \u00a0"])
@pytest.mark.parametrize("cle", ["resume", "titre"])
def test_a_text_of_spaces_only_is_an_empty_text(root, blanc, cle):
    """« resume: " " » was accepted and published as an action with a title and a note call only (editor QA)."""
    ligne = {"resume": "    resume: Ce que fait la ville.", "titre": "  - titre: Une action"}[cle]
    debut = ligne.split(":")[0]
    (error,) = errors_for(root, TERRITOIRE.replace(ligne, f'{debut}: "{blanc}"'))
    assert error.line == (16 if cle == "resume" else 14) and error.field.endswith(cle), (error.line, error.field)
    assert error.message == "le texte ne doit pas être vide : il ne contient que des espaces.", error.message


@pytest.mark.parametrize("cle", ["resume", "titre"])
def test_an_empty_text_is_said_once(root, cle):
    """« titre: "" » got « le texte ne doit pas être vide » and « …il ne contient que des espaces » (attacker QA)."""
    ligne = {"resume": "    resume: Ce que fait la ville.", "titre": "  - titre: Une action"}[cle]
    (error,) = errors_for(root, TERRITOIRE.replace(ligne, f'{ligne.split(":")[0]}: ""'))
    assert error.message == "le texte ne doit pas être vide." and error.field.endswith(cle), error


def test_an_alias_repeated_on_a_line_is_said_once(root):
    """« [*a, *a, *a…] » gave one identical line per alias, about 90 for a small « alias bomb » (attacker QA)."""
    texte = TERRITOIRE.replace("region: Bretagne\n", "region: Bretagne\nx: &a [x, x]\ny: [*a, *a, *a, *a, *a, *a]\n", 1)
    erreurs = [e for e in errors_for(root, texte) if "ancres (&) et renvois (*)" in e.message]
    assert [(e.line, e.message.split(" »")[0]) for e in erreurs] == [(5, "« &a"), (6, "« *a")], erreurs

# --- numbers ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("written, expected", [
    ("12 000", "12000"), ("12\u00a0000", "12000"), ("12\u202f000", "12000"), ("12 000,5", "12000.5"),
    ("1 234 567", "1234567"), ("12000,5", "12000.5"),
])
def test_french_numbers_are_refused_with_the_value_to_write(root, written, expected):
    (error,) = errors_for(root, TERRITOIRE.replace("valeur: 12000", f'valeur: "{written}"'))
    assert error.line == 9 and f"écrivez valeur: {expected}" in error.message



def test_thousands_written_the_english_way_in_a_text_are_refused(root):
    """« Coût : 1,234,567 euros » was published as written, which a French reader reads 1,234 (editor QA)."""
    (error,) = errors_for(root, TERRITOIRE.replace("Ce que fait la ville.", "Un coût de 1,234,567 euros."))
    assert error.line == 16 and error.field.endswith("resume")
    assert "une espace sépare les milliers" in error.message and "« 1 234 567 »" in error.message
    assert not errors_for(root, TERRITOIRE.replace("Ce que fait la ville.", "Une part de 1,234 %, soit 12,5 points."))
    (error,) = errors_for(root, TERRITOIRE.replace("Ce que fait la ville.", "Un coût de 1,234,567.50 euros."))
    assert "« 1 234 567,50 »" in error.message, error.message
    # …ending a sentence or a clause, without a unit after it (attacker QA: published as written)
    for ecrit, attendu in (("Le budget est de 45.000.", "« 45 000 »"), ("Soit 45.000, en tout.", "« 45 000 »"),
                           ("Un budget de 1,234,567.", "« 1 234 567 »"), ("Soit 1,234,567, en tout.", "« 1 234 567 »")):
        (error,) = errors_for(root, TERRITOIRE.replace("Ce que fait la ville.", ecrit))
        assert "une espace sépare les milliers" in error.message and attendu in error.message, (ecrit, error.message)
    assert not errors_for(root, TERRITOIRE.replace("Ce que fait la ville.", "Version 1.2.3, le 12.05.2020, pi 3.14159."))


def test_a_link_whose_text_shows_another_address_is_refused(root):
    """« [https://www.service-public.fr](https://evil.example) » was published as a link (attacker QA): the page now
    publishes its text alone (fragments.py), and the editor is told where, with the address it leads to."""
    ecrit = "Voir [https://www.service-public.fr](https://evil.example/aides)."
    (error,) = errors_for(root, TERRITOIRE.replace("Ce que fait la ville.", ecrit))
    assert error.line == 16 and error.field.endswith("resume"), error
    assert error.message.startswith("« https://www.service-public.fr » : le texte de ce lien montre l'adresse"), error
    assert "« https://evil.example/aides »" in error.message
    (error,) = errors_for(root, TERRITOIRE + "\nLe portail [www.service-public.fr](https://service-public.evil.example).\n")
    assert error.line == 21 and "« www.service-public.fr » dans le texte de la fiche : le texte de ce lien" in error.message
    # …also when it leads to an address no parser reads (a bracket never closed): the check stopped with « ValueError »
    (error,) = errors_for(root, TERRITOIRE.replace("Ce que fait la ville.", "Voir [www.x.fr](https://[abc)."))
    assert error.line == 16 and "« https://[abc »" in error.message, error
    # …read as a reader sees it: full stops that only look like one, quotes around a host, a host as the path's end
    for faux in ("[https://www\u2024service-public\u2024fr](https://evil.example/x)",
                 "[www\ua4f8service-public\ua4f8fr](https://evil.example/x)",  # (Lisu « ꓸ »: Unicode's confusables)
                 '[le portail](https://evil.example/x "impots\u0660gouv\u0660fr")', "[service-public.fr\u2215aides](https://evil.example/)",
                 "[« service-public.fr »](https://evil.example/)",
                 "[impots.gouv.fr !](https://evil.example/)", "[service-public.fr](https://evil.example/service-public.fr)"):
        (error,) = errors_for(root, TERRITOIRE.replace("Ce que fait la ville.", f"Voir {faux}."))
        assert error.line == 16 and re.search(r"(le texte|l'info-bulle) de ce lien .*montre", error.message), (faux, error)
    for juste in ("Voir [www.economie.gouv.fr](https://www.economie.gouv.fr/aides).", "Voir [gouv.fr](https://www.impots.gouv.fr).",
                  "Voir [les élu·es](https://evil.example).",  # (a middle dot is no full stop: French writes it in words)
                  "Le [rapport.pdf](https://exemple.org/docs/rapport.pdf).", "Voir [le site](https://evil.example)."):
        assert not errors_for(root, TERRITOIRE.replace("Ce que fait la ville.", juste)), juste


def test_a_date_without_its_zeros_is_told_the_date_to_write(root):
    """« mis_a_jour: 2021-3-12 » was told the format, not the date (editor QA)."""
    (error,) = errors_for(root, TERRITOIRE.replace("type: commune\n", "type: commune\nmis_a_jour: 2021-3-12\n"))
    assert "format incorrect pour « 2021-3-12 » : le mois et le jour s'écrivent sur deux chiffres, « 2021-03-12 »." in error.message, error


@pytest.mark.parametrize("adresse", ["www.testbourg.fr/aap", "testbourg.fr/aap", "ville.gouv.fr"])
def test_a_web_address_without_https_is_told_to_write_it_whole(root, adresse):
    """« [le règlement](testbourg.fr/aap) » was told « cette page ou ce fichier n'existe pas dans le guide », with no
    word of https (editor QA)."""
    (error,) = link_errors(root, TERRITOIRE.replace("Ce que fait la ville.", f"Voir [le règlement]({adresse})."))
    assert f"lien vers « {adresse} » : écrivez l'adresse complète, avec https:// (« https://{adresse} »)." in error.message
    # …a space before its bracket closing too (attacker QA: the link went past every check)
    (error,) = link_errors(root, TERRITOIRE.replace("Ce que fait la ville.", f"Voir [le règlement]( {adresse} )."))
    assert f"lien vers « {adresse} » : écrivez l'adresse complète" in error.message


@pytest.mark.parametrize("fichier", ["carte.webp", "plan.pptx", "liste.xml"])
def test_a_link_to_a_file_is_not_taken_for_a_web_address(root, fichier):
    """« [la carte](carte.webp) » was told « https://carte.webp » (attacker QA): a file's extension is no domain."""
    errors = link_errors(root, TERRITOIRE.replace("Ce que fait la ville.", f"Voir [le fichier]({fichier})."))
    assert not any("https://" in e.message for e in errors), errors  # (a file the test says exists)


@pytest.mark.parametrize("adresse", ["http://127.0.0.1:8000/territoires/autre-ville/", "http://localhost:8000/",
                                     "https://192.168.1.20/ess", "http://intranet/ess", "http://[::1]/", "http://0x7f.1/",
                                     "https://serveur.local/x", "HTTP://LOCALHOST/",
                                     # as a browser reads the host: percent-decoded, full-width digits (attacker QA)
                                     "http://%31%30.0.0.1/x", "http://１２７.０.０.１/", "http://①②⑦.0.0.1/",
                                     "http://100.64.0.1/", "http://[fec0::1]/", "http://224.0.0.1/"])
def test_a_link_to_this_computer_or_a_private_network_is_refused(root, adresse):
    """« [Nice](http://127.0.0.1:8000/territoires/…) », pasted from the preview, was published as a link no reader can
    open (editor QA): refused at its line, in a text and in an address field alike."""
    (error,) = link_errors(root, TERRITOIRE.replace("Ce que fait la ville.", f"Voir [la page]({adresse})."))
    assert error.line == 16 and error.field.endswith("resume"), error
    assert f"lien vers « {adresse} » : cette adresse est celle d'un ordinateur ou d'un réseau local" in error.message
    assert "« ../champs/x.md »" in error.message
    ecrit = TERRITOIRE.replace("identite:\n", f"identite:\n  site_web:\n    url: {adresse}\n    sources:\n"
                                             "      - {publication: pub-essai, page: 4}\n")
    (error,) = [e for e in errors_for(root, ecrit) if "réseau local" in e.message]  # (« HTTP: »: the schema's too)
    assert error.line == 9 and error.field.endswith("url"), error



def test_an_address_with_a_user_name_a_tooltip_showing_another_or_no_text_is_refused(root):
    """Attacker QA: « url: https://www.service-public.fr@evil.example/ » was printed as the address a reader reads and
    led to evil.example; « [le portail](https://evil.example/ "https://www.service-public.fr") » showed the official
    address on hover; « [ ](https://evil.example/) » was an invisible link. Each is refused at its line, and the page
    publishes the tooltip and the empty link otherwise (fragments.py: test_fragments)."""
    ecrit = TERRITOIRE.replace("identite:\n", "identite:\n  site_web:\n    url: https://www.service-public.fr@evil.example/\n"
                                             "    sources:\n      - {publication: pub-essai, page: 4}\n")
    (error,) = errors_for(root, ecrit)
    assert error.line == 9 and error.field.endswith("url"), error
    assert "ce qui précède « @ » n'est pas le site" in error.message and "mène à « evil.example »" in error.message
    bulle = 'Voir [le portail](https://evil.example/ "https://www.service-public.fr").'
    (error,) = errors_for(root, TERRITOIRE.replace("Ce que fait la ville.", bulle))
    assert error.line == 16 and "l'info-bulle de ce lien" in error.message and "« https://evil.example/ »" in error.message
    (error,) = errors_for(root, TERRITOIRE.replace("Ce que fait la ville.", "French Impact et [ ](https://evil.example/)."))
    assert error.line == 16 and "ce lien n'a pas de texte" in error.message, error
    assert not errors_for(root, TERRITOIRE.replace("Ce que fait la ville.", 'Voir [le site](https://evil.example "Le site").'))


def test_a_year_opening_a_paragraph_is_refused_where_the_page_would_number_it(root):
    """« 2019. Avec le Pays de Grasse… » was published as a numbered list's « 1. » (attacker QA)."""
    (error,) = errors_for(root, TERRITOIRE.replace("Ce que fait la ville.", "2019. Avec le Pays de Grasse, la ville agit."))
    assert error.line == 16 and "« 2019. »" in error.message and "« En 2019, … »" in error.message, error
    assert not errors_for(root, TERRITOIRE.replace("Ce que fait la ville.", "En 2019. Puis 2020. Avec 3. pas de liste."))
    assert not errors_for(root, TERRITOIRE.replace("Une action", "2019. Une année d'actions"))  # a title is shown as written



@pytest.mark.parametrize("genre", ["danger", "abstract", "info"])
def test_an_alert_box_in_a_fiche_is_refused_and_a_note_box_is_not(root, genre):
    """« !!! danger "Attention" » with « Ce site est piraté » was drawn as the guide's own red warning, « !!! abstract
    "En bref" » as a second summary of the page (attacker QA)."""
    texte = TERRITOIRE + f'\n!!! {genre} "Attention"\n    Ce site est piraté.\n'
    (error,) = errors_for(root, texte)
    assert f"« !!! {genre} »" in error.message and "« !!! note" in error.message and error.line == 21, error
    assert not errors_for(root, texte.replace(f"!!! {genre}", "!!! note"))


def test_a_box_titled_as_the_guide_s_own_summary_is_refused(root):
    """« !!! note "En bref" » passed for the guide's summary of the page (attacker QA)."""
    (error,) = errors_for(root, TERRITOIRE + '\n!!! note "En bref"\n    Faux résumé.\n')
    assert "« En bref » est le titre d'un encadré du guide" in error.message and error.line == 21, error
    assert not errors_for(root, TERRITOIRE + '\n!!! note "En résumé"\n    Un résumé.\n')


def test_a_fiche_naming_too_many_coporteurs_is_refused(root, monkeypatch):
    """A fiche of 200 actions each naming 50 others wrote 10,000 entries over 50 pages (attacker QA): COPORTEURS_PAR_FICHE
    co-carriers at most, all actions together (100, five here), refused at the first one over."""
    from guide.modele import validate
    monkeypatch.setattr(validate, "COPORTEURS_PAR_FICHE", 5)
    action = ("  - titre: Action {n}\n    champs: [soutien-direct-structures]\n    resume: Ce que fait la ville {n}.\n"
              "    coporteurs: [autre-ville]\n    sources:\n      - {{publication: pub-essai, section: Zoom}}\n")
    texte = TERRITOIRE.replace("actions:\n", "actions:\n" + "".join(action.format(n=n) for n in range(6)), 1)
    (error,) = errors_for(root, texte)
    assert "6 coporteurs nommés dans cette fiche, toutes actions ensemble : 5 au plus" in error.message, error
    sixieme = [n for n, ligne in enumerate(texte.splitlines(), 1) if "coporteurs:" in ligne][5]
    assert error.field == "actions[5].coporteurs[0]" and error.line == sixieme, error
    assert not errors_for(root, texte.replace("    coporteurs: [autre-ville]\n", "", 1))

def test_a_link_to_a_public_address_is_not_taken_for_a_local_one(root):
    for juste in ("https://www.avise.org/", "https://8.8.8.8/", "https://guide.example.org/territoires/", "https://xn--conomie-9xa.fr"):
        assert not link_errors(root, TERRITOIRE.replace("Ce que fait la ville.", f"Voir [la page]({juste}).")), juste


def test_a_coporteur_named_again_among_the_partners_is_refused(root):
    """« Partenaires : Région Grand Est » beside « Action portée avec : Région Grand Est » on one action (fact-checker
    QA): a territory that carries the action is not also its partner, whatever the capitals and accents."""
    ecrit = TERRITOIRE.replace("    sources:\n      - {publication: pub-essai, section: Zoom}",
                               "    coporteurs: [autre-ville]\n    partenaires: [CRESS, autre Ville]\n"
                               "    sources:\n      - {publication: pub-essai, section: Zoom}")
    (error,) = errors_for(root, ecrit)
    assert error.line == 18 and error.field == "actions[0].partenaires[1]", error
    assert error.message.startswith("« autre Ville » est déjà coporteur de cette action"), error.message
    (error,) = errors_for(root, ecrit.replace("autre Ville]", "Ville d’Essai]"))
    assert error.message.startswith("« Ville d’Essai » est le territoire de cette fiche"), error.message
    assert not errors_for(root, ecrit.replace("autre Ville]", "Autre association]"))


def test_a_word_processor_bullet_is_refused_with_how_to_write_a_list(root):
    """A list pasted from Word (« • ») was published inside its paragraph, on one line (editor QA); the message's
    way of writing it passes."""
    colle = "    resume: |\n      Un tiers-lieu :\n      • des bureaux partagés ;\n      • un atelier."
    (error,) = errors_for(root, TERRITOIRE.replace("    resume: Ce que fait la ville.", colle))
    assert error.line == 18 and error.field.endswith("resume") and error.message.startswith("« • » : puce copiée")
    assert "« | »" in error.message and "ligne vide" in error.message and "« - »" in error.message
    ecrit = "    resume: |\n      Un tiers-lieu :\n\n      - des bureaux partagés ;\n      - un atelier."
    assert not errors_for(root, TERRITOIRE.replace("    resume: Ce que fait la ville.", ecrit))


@pytest.mark.parametrize("colle, ligne, conseil", [
    # glued to its paragraph: read as the paragraph's next lines (editor QA: « Exemple : - une convention - un projet »)
    ("    resume: |\n      Exemple :\n      - une convention ;\n      - un projet.", 18, "laissez une ligne vide avant"),
    ("    resume: |\n      Exemple :\n      1. une convention ;\n      2. un projet.", 18, "laissez une ligne vide avant"),
    # after « > », whose lines YAML joins, even after a blank line; a table too
    ("    resume: >-\n      Exemple :\n\n      - une convention ;\n      - un projet.", 19, "écrivez « resume: | »"),
    ("    resume: >-\n      Exemple :\n      | Année | Montant |\n      |---|---|\n      | 2020 | 45 000 € |", 18,
     "écrivez « resume: | »"),
])
def test_a_list_the_page_would_print_in_one_line_is_refused_at_its_first_item(root, colle, ligne, conseil):
    """A list right under its paragraph, or in a text written after « > », was published in one line, silently (editor
    QA). Said at its first item, with what to write; written so, the text passes."""
    (error,) = errors_for(root, TERRITOIRE.replace("    resume: Ce que fait la ville.", colle))
    assert error.line == ligne and error.field == "actions[0].resume" and conseil in error.message, error
    ecrit = colle.replace(">-", "|").replace("Exemple :\n\n", "Exemple :\n").replace("Exemple :\n", "Exemple :\n\n")
    assert not errors_for(root, TERRITOIRE.replace("    resume: Ce que fait la ville.", ecrit))
    (error,) = errors_for(root, TERRITOIRE + "Liste :\n- premier point ;\n- second point.\n")
    assert error.line == 21 and "dans le texte de la fiche" in error.message, error


@pytest.mark.parametrize("ecrit, ligne", [
    # typed under its key without a sign, in quotes or not: YAML joins the lines (verifier QA: published in one line)
    ("    resume: La ville soutient deux dispositifs\n      - un fonds ;\n      - un incubateur.", 17),
    ('    resume: "La ville soutient deux dispositifs :\n      - un fonds ;\n      - un incubateur."', 17),
    # in a quote, in a box (verifier QA: published in one line)
    ("    resume: |\n      > La ville soutient :\n      > - un fonds ;\n      > - un incubateur.", 18),
    ('    resume: |\n      !!! note "À savoir"\n          La ville soutient :\n          - un fonds ;\n          - un incubateur.', 19),
    # the same list as an earlier line of the text writes: said at its own line (verifier QA: at the first)
    ("    resume: |\n      - un fonds ;\n\n      Puis :\n      - un fonds ;\n      - un incubateur.", 20),
])
def test_a_list_yaml_joins_is_refused_at_its_own_line(root, ecrit, ligne):
    (error,) = errors_for(root, TERRITOIRE.replace("    resume: Ce que fait la ville.", ecrit))
    assert error.line == ligne and error.field == "actions[0].resume", error


@pytest.mark.parametrize("ecrit", [
    # prose an editor's wrapping put at a line's start, which the page shows as meant (verifier QA: refused as lists)
    "    resume: >-\n      Le plan est adopté au conseil municipal de décembre\n      2021. Elle crée ensuite un fonds.",
    "    resume: |-\n      Le plan est adopté au conseil municipal de décembre\n      2021. Elle crée ensuite un fonds.",
    "    resume: >-\n      La ville, avec le département\n      - qui soutient le projet - ouvre un lieu.",
    "    resume: >-\n      Les emplois augmentent, soit\n      + 25 % en deux ans.",
    # a list more indented than its text, after « > »: YAML keeps its lines (verifier QA)
    "    resume: >-\n      La ville soutient trois dispositifs :\n\n        - un fonds ;\n        - un incubateur.",
])
def test_prose_that_starts_like_a_list_item_passes(root, ecrit):
    assert not errors_for(root, TERRITOIRE.replace("    resume: Ce que fait la ville.", ecrit))


@pytest.mark.parametrize("ancien, ecrit, ligne, champ, marque", [
    ("  - titre: Une action", "  - titre: Un **échange** avec les _référents_", 14, "actions[0].titre", "**échange**"),
    ("nom: Ville d'Essai", "nom: Ville d'*Essai*", 2, "nom", "*Essai*"),
    ("    resume: Ce que fait la ville.", "    resume: Ce que fait la ville.\n    partenaires: [Parc du __Vexin__]", 17,
     "actions[0].partenaires[0]", "__Vexin__"),
    # one sign never closed, at a word's start or end (attacker QA: « Pépinière **Cap Alpha » was published with it)
    ("  - titre: Une action", '  - titre: "Pépinière **Cap Alpha"', 14, "actions[0].titre", "**Cap Alpha"),
    ("  - titre: Une action", '  - titre: "Pépinière Cap Alpha*"', 14, "actions[0].titre", "Alpha*"),
])
def test_bold_or_italics_in_a_field_shown_as_written_is_refused(root, ancien, ecrit, ligne, champ, marque):
    """« titre: Un **échange** technique » and a partner « Parc naturel du **Vexin** » were published with their
    asterisks (editor QA): a title, a name, a partner are shown as written. A résumé reads Markdown: its bold passes."""
    (error,) = errors_for(root, TERRITOIRE.replace(ancien, ecrit))
    assert (error.line, error.field) == (ligne, champ) and error.message.startswith(f"« {marque} » : ce champ s'affiche"), error
    assert not errors_for(root, TERRITOIRE.replace("Ce que fait la ville.", "Ce que **fait** la _ville_, nom_de_fichier, 2*3."))
    # HTML in a title is told to go, not to become bold (verifier QA: « **texte** » advised, then refused)
    (error,) = errors_for(root, TERRITOIRE.replace("  - titre: Une action", "  - titre: <em>Échange</em> technique"))
    assert "ce champ s'affiche tel qu'il est écrit" in error.message and "**" not in error.message, error
    # the stars of a note are no italics (verifier QA: « Taux (*) et montants (*) » was refused)
    assert not errors_for(root, TERRITOIRE.replace("  - titre: Une action", '  - titre: "Taux (*) et montants (*) du fonds"'))


SITE_WEB = "identite:\n  site_web:\n    url: {}\n    sources:\n      - {{publication: pub-essai, page: 4}}\n"


@pytest.mark.parametrize("ancien, ecrit, ligne, conseil, suivi", [
    ("identite:\n", SITE_WEB.format("<https://www.essai.fr>"), 9, "écrivez l'adresse complète, seule, url: https://www.essai.fr",
     SITE_WEB.format("https://www.essai.fr")),
    ("identite:\n", SITE_WEB.format("www.essai.fr/ess"), 9, "url: https://www.essai.fr/ess", SITE_WEB.format("https://www.essai.fr/ess")),
    ("identite:\n", SITE_WEB.format("[site](https://www.essai.fr)"), 9, "pour une adresse, écrivez-la seule : url: https://www.essai.fr",
     SITE_WEB.format("https://www.essai.fr")),
    ("    resume: Ce que fait la ville.", "    resume: [Le site](https://www.essai.fr) de la ville.", 16,
     "mettez tout le texte entre guillemets : resume: '[Le site](https://www.essai.fr) de la ville.'",
     "    resume: '[Le site](https://www.essai.fr) de la ville.'"),
    # a straight quote inside: the quotes YAML's writer chooses (verifier QA: the quotes advised closed the text early)
    ("    resume: Ce que fait la ville.", '    resume: [Fonds "ESS"](https://www.essai.fr) finance dix projets.', 16,
     "mettez tout le texte entre guillemets : resume: '[Fonds \"ESS\"](https://www.essai.fr) finance dix projets.'",
     "    resume: '[Fonds \"ESS\"](https://www.essai.fr) finance dix projets.'"),
    # an item of a list (verifier QA: « décalage incohérent »)
    ("    resume: Ce que fait la ville.", "    resume: Ce que fait la ville.\n    partenaires:\n      - [CRESS](https://www.cress.fr)",
     18, "pour un nom, écrivez-le seul, sans lien (« - CRESS »)",
     "    resume: Ce que fait la ville.\n    partenaires:\n      - CRESS"),
    ("      - {publication: pub-essai, section: Zoom}", "      - publication: pub-essai, section: Zoom", 18,
     "{publication: pub-essai, section: Zoom}", "      - {publication: pub-essai, section: Zoom}"),
    # a value with « : », a comment after: in braces as YAML needs them (verifier QA: the braces advised were refused)
    ("      - {publication: pub-essai, section: Zoom}", "      - publication: pub-essai, section: Zoom : la filature # vu", 18,
     "{publication: pub-essai, section: 'Zoom : la filature'}", "      - {publication: pub-essai, section: 'Zoom : la filature'}"),
    ("{publication: pub-essai, page: 4}", "{publication:pub-essai, page:4}", 6, "écrivez « page: 4 »",
     "{publication: pub-essai, page: 4}"),
    ("  - titre: Une action", '  - titre: Une action"', 14, "« - titre: Une action\" » : un guillemet droit",
     "  - titre: Une action"),
])
def test_an_address_a_citation_or_a_quote_typed_otherwise_is_told_what_to_write(root, ancien, ecrit, ligne, conseil, suivi):
    """An address in chevrons or without https:// was told « format incorrect » or to write a Markdown link, which YAML
    then misread as a list (« décalage incohérent »); a citation without its braces was told to quote its value, a key
    glued to its value was an unknown key, a stray quote was published (editor QA). Said at the line, with what to
    write; written so, the fiche passes."""
    errors = errors_for(root, TERRITOIRE.replace(ancien, ecrit))
    assert errors and errors[0].line == ligne and conseil.split(" : ", 1)[-1] in errors[0].message, errors
    assert not [e for e in errors if "HTML" in e.message], errors
    assert not errors_for(root, TERRITOIRE.replace(ancien, suivi))


_LIGNES_DE_TEXTE = st.one_of(
    st.sampled_from(["Un paragraphe.", "suite du texte", "Exemple :", "## Un titre", "   suite décalée", "    suite du point",
                     "> Exemple cité :", "> - point cité", '!!! note "Encadré"', "    Exemple encadré :", "    - point encadré",
                     "\tsuite du point", "2) pas un point", "| a | b |", "|---|---|"]),
    st.builds(lambda marque, mot: f"{marque} {mot}", st.sampled_from(["-", "*", "+", "1.", "12.", "  -", "   1."]),
              st.sampled_from(["point", "autre point"])),
    st.just(""))


@settings(max_examples=int(os.environ.get("EXEMPLES", 300)), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LIGNES_DE_TEXTE, min_size=1, max_size=8))
def test_every_list_item_of_a_text_the_validator_accepts_is_published_as_one(lignes):
    """The validator's reading of lists is the page's: in a text it accepts, no paragraph of the page holds a list, two
    lines that start an item, or an item after a line ending with « : » (liste_voulue: a line of prose that only
    starts like an item is the paragraph's)."""
    from guide.modele.validate import liste_collee
    from guide.rendu.fragments import convertisseur
    texte = "\n".join(lignes)
    if liste_collee(texte) is not None:
        return
    md = convertisseur()
    md.reset()
    page = md.convert(texte)
    point = re.compile(r" {0,3}(?:[-*+]|\d+\.)[ \t]+\S")
    for paragraphe in re.findall(r"<p>(.*?)</p>", page, re.S):
        vues = [l.rstrip() for l in paragraphe.split("\n")]  # (as indented: four spaces make no item)
        for avant, ligne in zip(vues, vues[1:]):
            assert not (point.match(ligne) and (avant.endswith(":") or point.match(avant))), (texte, page)


@pytest.mark.parametrize("bloc", [">-", "|"])
def test_a_word_cut_at_a_line_end_is_refused_at_its_line(root, bloc):
    """« emplois salariés du terri-↵toire » pasted from a PDF was published « terri- toire » (editor QA)."""
    colle = f"    resume: {bloc}\n      Des emplois salariés du terri-\n      toire, soit beaucoup."
    (error,) = errors_for(root, TERRITOIRE.replace("    resume: Ce que fait la ville.", colle))
    assert error.line == 17 and error.field.endswith("resume"), (error.line, error.field)
    assert "mot coupé en fin de ligne (« terri- toire »)" in error.message and "« territoire »" in error.message
    (error,) = errors_for(root, TERRITOIRE.replace("    resume: Ce que fait la ville.",
                                                   f"    resume: {bloc}\n      La ville de Saint-\n      Aubin, citée."))
    assert error.line == 17 and "(« Saint- Aubin »)" in error.message and "« Saint-Aubin »" in error.message
    for juste in ("Des actions pré- et post-formation.", "L'étude écrit « Aix-Marseille- Provence ».",
                  "Un dispositif ni pré- ni post-électoral.", "Les micro- comme les petites entreprises.",
                  "Les éco- voire agro-industries."):
        assert not errors_for(root, TERRITOIRE.replace("Ce que fait la ville.", juste)), juste


def test_a_year_the_period_in_words_does_not_hold_is_refused(root):
    """« annee: 2018 » beside « periode: depuis 2015 »: the page showed the period alone (editor QA)."""
    (error,) = errors_for(root, TERRITOIRE.replace("    resume: Ce que fait la ville.",
                                                   "    resume: Ce que fait la ville.\n    annee: 2018\n    periode: depuis 2015"))
    assert error.line == 17 and error.field.endswith("annee") and "n'est pas écrite dans la période" in error.message
    assert not errors_for(root, TERRITOIRE.replace("    resume: Ce que fait la ville.",
                                                   "    resume: Ce que fait la ville.\n    annee: 2015\n    periode: depuis 2015"))


@pytest.mark.parametrize("ecrit", ["“Zoom – La filature”", "« Zoom »"])
def test_a_section_in_quotes_is_told_to_drop_them(root, ecrit):
    """« section: “Zoom – La filature” » was published « « “Zoom – La filature” » » (editor QA); a section that
    quotes names at its start and its end is not wrapped (attacker QA)."""
    (error,) = errors_for(root, TERRITOIRE.replace("section: Zoom}", f'section: "{ecrit}"}}'))
    assert error.line == 18 and error.field.endswith("section") and "écrivez-la sans guillemets" in error.message
    assert not errors_for(root, TERRITOIRE.replace("section: Zoom}", 'section: "« Zoom » sur le dispositif « La Fabrique »"}'))


def test_a_partner_named_twice_is_refused(root):
    """« partenaires: [Ecossolies, Ecossolies] » was published « Partenaires : Ecossolies, Ecossolies. » (editor QA)."""
    (error,) = errors_for(root, TERRITOIRE.replace("    resume: Ce que fait la ville.",
                                                   "    resume: Ce que fait la ville.\n    partenaires: [Ecossolies, Ecossolies]"))
    assert error.line == 17 and error.field.endswith("partenaires") and "« Ecossolies »" in error.message
    (error,) = errors_for(root, TERRITOIRE.replace("    resume: Ce que fait la ville.",
                                                   "    resume: Ce que fait la ville.\n    partenaires: [CRESS Bretagne, cress  bretagne]"))
    assert error.line == 17 and "« cress  bretagne » est le même partenaire que « CRESS Bretagne »" in error.message
    errors = errors_for(root, TERRITOIRE.replace("    resume: Ce que fait la ville.",
                                                 "    resume: Ce que fait la ville.\n    partenaires: [Ecossolies, Écossolies, "
                                                 "Alsace Active, Alsace-Active, CRESS Bretagne., CRESS Bretagne, CRESS Bourgogne]"))
    assert len(errors) == 3 and all("est le même partenaire que" in e.message for e in errors), errors

def test_a_unit_repeated_in_the_value_is_refused(root):
    (error,) = errors_for(root, TERRITOIRE.replace("valeur: 12000", "valeur: 12 000 habitants"))
    assert "écrivez valeur: 12000 et unite: habitants" in error.message and error.line == 9


def test_a_number_with_other_text_stays_text(root):
    assert errors_for(root, TERRITOIRE.replace("valeur: 12000", "valeur: près de 12 000")) == []


# --- citations --------------------------------------------------------------------------------------------

def test_a_citation_needs_a_page_or_a_section(root):
    (error,) = errors_for(root, TERRITOIRE.replace("{publication: pub-essai, page: 4}", "{publication: pub-essai}"))
    assert error.line == 6 and "sans page ni section" in error.message and "page-web" in error.message


def test_a_web_page_is_cited_without_page_but_declares_its_address_and_date(root):
    sources = root / "fiches" / "sources.yaml"
    web = fiches_essai.SOURCES + ("  - id: page-ville\n    type: page-web\n    titre: L'ESS à la ville\n    annee: 2025\n"
                     "    editeurs: [Ville d'Essai]\n")
    sources.write_text(web, encoding="utf-8")
    text = TERRITOIRE.replace("{publication: pub-essai, page: 4}", "{publication: page-ville}")
    assert errors_for(root, text) == []
    _, _, errors = load_all(root)
    messages = {e.message for e in errors if e.path == "fiches/sources.yaml"}
    for key in ("url", "consulte_le", "site", "apport"):  # where, when read, on which site, what the guide takes
        assert any(f"« {key} »" in m for m in messages), key
    sources.write_text(web + "    url: https://www.example.org/ess\n    consulte_le: \"2025-03-01\"\n"
                             "    site: Site de la ville\n    apport: Le budget ESS de la ville.\n", encoding="utf-8")
    _, _, errors = load_all(root)
    assert errors == []
    # …read on a day that has come (attacker QA: « consultée le 1er mars 2030 » was printed under the source)
    demain = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    sources.write_text(web + f"    url: https://www.example.org/ess\n    consulte_le: \"{demain}\"\n"
                             "    site: Site de la ville\n    apport: Le budget ESS de la ville.\n", encoding="utf-8")
    _, _, errors = load_all(root)
    (error,) = errors
    assert f"la date de consultation « {demain} » est à venir" in error.message and error.field.endswith("consulte_le")
    # …on the site its address leads to (attacker QA: « site: www.service-public.fr » over a link to evil.example)
    for site, juste in (("www.service-public.fr", False), ("Portail (service-public.fr)", False), ("example.org", True),
                        ("Site de la ville (www.example.org)", True)):
        sources.write_text(web + "    url: https://www.example.org/ess\n    consulte_le: \"2025-03-01\"\n"
                                 f"    site: {site}\n    apport: Le budget ESS de la ville.\n", encoding="utf-8")
        _, _, errors = load_all(root)
        assert (errors == []) if juste else (len(errors) == 1 and errors[0].field.endswith("site")
                                               and "mène à « https://www.example.org/ess »" in errors[0].message), (site, errors)


@pytest.mark.parametrize("faute", ["  \ttitre: Publication d'essai", "    titre: Rapport : ESS"])
def test_an_unreadable_sources_file_is_one_error_not_one_per_citation(root, faute):
    """fiches/sources.yaml that cannot be read (a tab, « : » in a text): its own error, not also every citation of
    every fiche reported « publication inconnue » (1,910 lines, the real one at line 618, on the guide)."""
    (root / "fiches" / "sources.yaml").write_text(
        fiches_essai.SOURCES.replace("    titre: Publication d'essai", faute, 1), encoding="utf-8")
    _, _, errors = load_all(root)
    assert errors and all(e.path == "fiches/sources.yaml" for e in errors), [str(e) for e in errors][:5]


def test_a_territory_named_in_other_words_is_a_duplicate_unless_its_code_differs(root):
    """« Métropole de Nantes » beside « Nantes Métropole » passed the validator (issue 24: one fact, one place)."""
    (error,) = errors_for(root, TERRITOIRE.replace("nom: Ville d'Essai", "nom: Commune d'Autre"))
    assert error.line == 2 and "dit la même chose que « Autre ville » (fiches/territoires/autre-ville.md)" in error.message
    # a pôle d'équilibre territorial et rural by its acronym or its words (editor QA: « Pays de Retz » and « PETR du
    # Pays de Retz » were both published)
    for nom in ("PETR d'Autre", "Pôle d'équilibre territorial et rural d'Autre"):
        (error,) = errors_for(root, TERRITOIRE.replace("nom: Ville d'Essai", f"nom: {nom}"))
        assert "dit la même chose que « Autre ville »" in error.message, error.message
    assert errors_for(root, TERRITOIRE.replace("nom: Ville d'Essai", "nom: Autre commune\nalias: [Ville d'Autre]"))
    # What tells two places apart is often in brackets (« Saint-Denis (La Réunion) »)
    assert errors_for(root, TERRITOIRE.replace("nom: Ville d'Essai", "nom: Commune d'Autre (Finistère)")) == []
    # Two communes named alike, each with its own official code: two territories.
    (root / "fiches/territoires/autre-ville.md").write_text(
        TERRITOIRE.replace("Ville d'Essai", "Autre ville").replace("Une action", "Une autre action")
        .replace("type: commune", "type: commune\ncode_insee: \"35238\""), encoding="utf-8")
    distincts = errors_for(root, TERRITOIRE.replace("nom: Ville d'Essai", "nom: Commune d'Autre")
                           .replace("type: commune", "type: commune\ncode_insee: \"35047\""))
    assert not [e for e in distincts if "dit la même chose" in e.message], distincts
    # Two places of one name, each with its code: told to name them apart, not to complete the other fiche
    (homonyme,) = [e for e in errors_for(root, TERRITOIRE.replace("nom: Ville d'Essai", "nom: Autre ville")
                                         .replace("Une action", "Une action d'ici")
                                         .replace("type: commune", "type: commune\ncode_insee: \"35047\""))
                   if "Autre ville" in e.message]
    assert "un autre territoire (son code officiel diffère)" in homonyme.message and "« Autre ville (" in homonyme.message
    # …or by their kind, when both are in one département (editor QA: « Grasse » the commune and the alias of the Pays
    # de Grasse, both in the Alpes-Maritimes, could not be told apart by a département)
    assert "« Ville de Autre ville »" in homonyme.message and "alias" in homonyme.message, homonyme.message


def test_saint_written_short_is_the_same_word(root):
    """« Département de Seine St-Denis » got a second fiche beside « Seine-Saint-Denis » (editor QA): « St » and
    « Ste » read as the words the official reference writes out."""
    from guide.modele.referentiel import mots
    assert mots("Département de Seine St-Denis") == mots("Seine-Saint-Denis") == {"seine", "saint", "denis"}
    assert mots("Ste Foy-lès-Lyon") == mots("Sainte-Foy-lès-Lyon") and mots("Stains") == {"stains"}
    (root / "fiches/territoires/autre-ville.md").write_text(
        TERRITOIRE.replace("Ville d'Essai", "Saint-Autre").replace("Une action", "Une autre action"), encoding="utf-8")
    (error,) = errors_for(root, TERRITOIRE.replace("nom: Ville d'Essai", "nom: Ville de St Autre"))
    assert "dit la même chose que « Saint-Autre »" in error.message, error.message


@pytest.mark.parametrize("ecrit", ["“4-5”", "« 4-5 »", "”4-5”", "'\"4-5\"'", "'4-5”'", "'“4-5'"])
def test_a_page_in_quotes_is_told_to_write_it_without(root, ecrit):
    """What Word or a Mac types for "4-5" validated, and the note printed « p. “4-5” »; straight quotes typed in the
    form's box are kept in the value (« p. "14-15" »: editor QA). The message speaks to both."""
    (error,) = errors_for(root, TERRITOIRE.replace("{publication: pub-essai, page: 4}",
                                                   f"{{publication: pub-essai, page: {ecrit}}}"))
    assert error.line == 6 and "écrivez 4-5 sans guillemets" in error.message, error.message
    assert '(dans le fichier : page: "4-5", entre guillemets droits' in error.message, error.message


@pytest.mark.parametrize("ecrit, seule", [("58-", "58"), ("'-63'", "63"), ("58 et", "58"), ("58–", "58")])
def test_a_range_of_pages_left_open_is_refused(root, ecrit, seule):
    """« 58- » was published as « p. 58- » (editor QA, in the form): a range without its end, or its start."""
    (error,) = errors_for(root, TERRITOIRE.replace("{publication: pub-essai, page: 4}",
                                                   f"{{publication: pub-essai, page: {ecrit}}}"))
    assert error.line == 6 and "cette plage de pages est ouverte" in error.message, error.message
    assert f"la page seule (page: {seule})" in error.message, error.message
    assert not errors_for(root, TERRITOIRE.replace("{publication: pub-essai, page: 4}",
                                                   '{publication: pub-essai, page: "58-63"}'))


@pytest.mark.parametrize("ecrit, attendu", [
    ('"63-58"', 'à l\'envers ; écrivez-la de la première à la dernière (page: "58-63")'),
    ('"58-63-70"', 'une plage de pages a deux bornes ; écrivez la première et la dernière (page: "58-70")'),
    ("0", "supérieure ou égale à 1"), ("-3", "supérieure ou égale à 1"), ('"0-3"', "pas de page 0"),
    ('"１４"', "pas ceux du clavier français ; retapez le numéro (page: 14)"),
    # « p. 99999999999999999999999 » was published (attacker QA)
    ("99999999999999999999999", "inférieure ou égale à 9"), ('"12-99999"', "aucune publication n'a tant de pages")])
def test_a_page_no_reader_can_open_is_refused(root, ecrit, attendu):
    """« p. 63-58 », « p. 58-63-70 », « p. 0 », « p. -3 », « p. １４ » were published as typed (attacker QA): none
    sends a reader to a page of the publication."""
    erreurs = errors_for(root, TERRITOIRE.replace("{publication: pub-essai, page: 4}",
                                                  f"{{publication: pub-essai, page: {ecrit}}}"))
    assert len(erreurs) == 1 and erreurs[0].line == 6 and attendu in erreurs[0].message, erreurs


def test_a_page_of_quotes_and_spaces_is_refused_at_once(root):
    """« "␠␠…x" »: the quote check backtracked cubically on runs of spaces (2,000: 13 s; 50,000 would take days:
    attacker QA). Refused at the speed of any other value, and quotes with no number say to write the number."""
    import time
    debut = time.process_time()
    errors = errors_for(root, TERRITOIRE.replace("{publication: pub-essai, page: 4}",
                                                 "{publication: pub-essai, page: '\"" + " " * 20000 + "x\"'}"))
    assert time.process_time() - debut < 5, time.process_time() - debut
    (error,) = [e for e in errors if "guillemets" in e.message]  # (besides the schema's length limit)
    assert error.line == 6 and "sans guillemets" in error.message
    (error,) = errors_for(root, TERRITOIRE.replace("{publication: pub-essai, page: 4}",
                                                   "{publication: pub-essai, page: '« »'}"))
    assert "des guillemets sans numéro" in error.message, error.message


@pytest.mark.parametrize("avant, apres, ligne", [
    ("section: Zoom}\n---\n", "section: Zoom}\n---\nTexte.\n\n" + "> " * 13 + "Citée.\n", 22),
    ("section: Zoom}\n---\n", "section: Zoom}\n---\n- a\n" + "".join("    " * i + "- b\n" for i in range(1, 14)), 32),
    ("resume: Ce que fait la ville.", "resume: \"" + "> " * 13 + "Citée.\"", 16),
    # on one line, quotes and list items together (« > - > - … »)
    ("section: Zoom}\n---\n", "section: Zoom}\n---\nTexte.\n\n" + "> - " * 7 + "Citée.\n", 22),
])
def test_markdown_nested_deeper_than_the_header_may_be_is_refused(root, avant, apres, ligne):
    """60 nested quotes or list levels in a fiche's text made its page 985 px wide at 390 px; the header's bound
    (12 levels) holds for its texts too. Twelve levels still pass."""
    (error,) = errors_for(root, TERRITOIRE.replace(avant, apres, 1))
    assert "imbrication trop profonde" in error.message and error.line == ligne, (error.line, error.message)
    assert errors_for(root, TERRITOIRE.replace(avant, apres.replace("> " * 13, "> " * 12).replace("> - " * 7, "> - " * 6), 1)
                      .replace("    " * 13 + "- b\n", "").replace("    " * 12 + "- b\n", "")) == []


# (a number of any length: read up to 9 digits, « 1234567890. » nested past the bound and stopped the build; attacker QA)
_MARQUES = ["> ", "- ", "* ", "+ ", "1. ", "12. ", "1234567890. "]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(marques=st.lists(st.sampled_from(_MARQUES), min_size=1, max_size=4).flatmap(
           lambda sortes: st.lists(st.sampled_from(sortes), min_size=1, max_size=20)), sauts=st.booleans())
def test_a_text_nested_on_one_line_or_more_is_held_to_the_bound(root, marques, sauts):
    """« 1. 1. 1. … a » in a résumé (no line break, no « > ») passed the validator, whose check of a key's text
    looked only at texts with either; at 600 levels the build then failed on Python's recursion limit, naming
    another fiche, and 200 levels made a page 3,000 px wide on a phone. Any text nesting more than the bound's
    levels is refused; at most the bound, it passes."""
    texte = ("".join(marques) + "a") if not sauts else "Texte.\\n\\n" + "".join(marques) + "a"
    erreurs = errors_for(root, TERRITOIRE.replace("resume: Ce que fait la ville.", f'resume: "{texte}"', 1))
    profondes = [e for e in erreurs if "imbrication trop profonde" in e.message]
    assert bool(profondes) == (len(marques) > PROFONDEUR), (len(marques), [e.message for e in erreurs])


def test_an_action_period_that_ends_before_it_starts_is_refused(root):
    """« periode: 2021-2019 » was published as written (the web form wrote it too); a chronology's period was
    already held to its order."""
    for periode in ("2021-2019", "2021-03-01/2019-01-01"):
        (error,) = errors_for(root, TERRITOIRE.replace("    resume: Ce que fait la ville.\n",
                                                       f'    resume: Ce que fait la ville.\n    periode: "{periode}"\n'))
        assert error.line == 17 and "finit avant de commencer" in error.message and periode in error.message, error
    assert errors_for(root, TERRITOIRE.replace("    resume: Ce que fait la ville.\n",
                                               '    resume: Ce que fait la ville.\n    periode: "2019-2021"\n')) == []


def test_an_action_year_beside_its_period_is_the_period_s_first(root):
    """« annee: 2020 » beside « periode: 2019-2021 » vanished from the page, which shows the period alone (editor
    QA); the year a period starts in may stay beside it (« annee: 2017 », « periode: 2017-2018 », a real fiche)."""
    avec = lambda annee, periode: TERRITOIRE.replace(  # noqa: E731
        "    resume: Ce que fait la ville.\n", f'    resume: Ce que fait la ville.\n    annee: {annee}\n    periode: "{periode}"\n')
    (error,) = errors_for(root, avec(2020, "2019-2021"))
    assert error.line == 17 and "l'année 2020 n'est pas celle où commence la période" in error.message, error
    assert "(2019)" in error.message
    assert errors_for(root, avec(2019, "2019-2021")) == [] and errors_for(root, avec(2019, "2019-03-01/2021-06-30")) == []


def test_a_share_is_a_percentage_from_0_to_100(root):
    """« part_emplois: 125 » was published « Part de l'ESS dans l'emploi : 125 % »."""
    panorama = "panorama:\n  - annee: 2015\n    part_emplois: {}\n    sources:\n      - {{publication: pub-essai, page: 4}}\nactions:\n"
    (error,) = errors_for(root, TERRITOIRE.replace("actions:\n", panorama.format(125), 1))
    assert error.line == 15 and "inférieure ou égale à 100" in error.message, error
    assert errors_for(root, TERRITOIRE.replace("actions:\n", panorama.format(12.5), 1)) == []


@pytest.mark.parametrize("ecrit, iso", [("12/03/2021", "2021-03-12"), ("7 décembre 2024", "2024-12-07"),
                                         ("1er mars 2021", "2021-03-01"), ("3 Aout 2020", "2020-08-03")])
def test_a_date_written_the_french_way_is_told_as_it_is_written(root, ecrit, iso):
    """« mis_a_jour: 7 décembre 2026 » was told the format without the date to write, where « 07/12/2026 » got it
    (editor QA)."""
    (error,) = errors_for(root, TERRITOIRE.replace("type: commune\n", f"type: commune\nmis_a_jour: {ecrit}\n", 1))
    assert error.line == 4 and f"une date s'écrit année-mois-jour, « {iso} »" in error.message, error.message


def test_a_date_in_typographic_quotes_is_told_to_use_straight_ones(root):
    """« mis_a_jour: “2026-12-04” » (pasted from Word) was told « format incorrect » alone (editor QA)."""
    (error,) = errors_for(root, TERRITOIRE.replace("type: commune\n", "type: commune\nmis_a_jour: “2024-12-04”\n", 1))
    assert error.line == 4 and 'guillemets droits ("2024-12-04")' in error.message, error.message


# --- CONTRIBUTING.md explains every message ---------------------------------------------------------------

def contributing_patterns() -> list[re.Pattern]:
    """The first column of CONTRIBUTING's table of messages, `…` standing for any name or value."""
    text = (Path(__file__).resolve().parents[1] / "CONTRIBUTING.md").read_text(encoding="utf-8")
    table = text.split("## Messages d'erreur fréquents", 1)[1]
    cells = [row.split(" | ")[0].lstrip("| ") for row in table.splitlines() if row.startswith("| `")]
    return [re.compile(re.escape(code).replace("…", ".*?")) for cell in cells for code in re.findall(r"`([^`]+)`", cell)]


CATALOGUE = [
    # a word processor's dash, a PDF's ligature, a no-break space that does not show (editor QA)
    ("  - titre: Une action", "  – titre: Une action"), ("titre: Une action", "titre: Bourse aux \ufb01nancements"),
    ("region: Bretagne", 'region: "Bretagne\u00a0"'),
    ("    - valeur: 12000\n      unite: habitants", "    - valeur: 12000\n        unite: habitants"),
    ("titre: Une action", 'titre: "Une action'), ("titre: Une action", 'titre: "Une" action'),
    ("    resume: Ce que fait la ville.\n", "    resume: Ce que fait la ville.\n    <<: {nature: zoom}\n"),
    ("identite:", "contacts:\n  - role: Élue\n    nom: Marie, m@example.org\n    sources:\n      - {publication: pub-essai, page: 4}\nidentite:"),
    ("    resume: Ce que fait la ville.\n", "    resume: Écrire à jean@ville.fr.\n"),
    ("identite:", "contacts:\n  - role: Élue\n    telephone: \"0233000000\"\n    sources:\n      - {publication: pub-essai, page: 4}\nidentite:"), ("  - titre: Une action", "  -titre: Une action"), ("\ntype: commune", "\n\ttype: commune"),
    ("nom: Ville d'Essai", "nom: Ville: centre"), ("nom: Ville d'Essai", "nom: Ville d'Essai\njuste du texte"),
    ("nom: Ville d'Essai", "nom: @ville"), ("nom: Ville d'Essai", "nom: [Ville"), ("nom: Ville d'Essai", 'nom: "a\\q"'),
    ("nom: Ville d'Essai", "nom: !x Ville"), ("  - titre: Une action", "  - titre Une action"),
    ("  - titre: Une action", "  - titre: “Appel : ESS”"), ("  - titre: Une action", "  - titre: “Appel”"),
    ("resume: Ce que fait la ville.", "resume: Ce que fait la ville (Avise 2021, p. 14)."),
    ("section: Zoom}\n---\n", "section: Zoom}\n---\nAnnée\tMontant\n2021\t50 000 €\n"), ("actions:\n", "---\nactions:\n"), ("Ce que fait", "Ce que\x0bfait"),
    ("    resume: Ce que fait la ville.\n", ""), ("    resume: Ce que", "    resumé: Ce que"),
    ("type: commune", "type: commune\ntype: region"), ("    resume: Ce que fait la ville.", "    resume:"),
    ("region: Bretagne", "region: [Bretagne]"), ("type: commune", "type: comune"),
    ("valeur: 12000", 'valeur: "12 000"'), ("valeur: 12000", "valeur: 12 000 habitants"),
    ("[soutien-direct-structures]", "[soutien-direct]"), ("[soutien-direct-structures]", "[]"),
    ("{publication: pub-essai, page: 4}", "{publication: pub-esai, page: 4}"),
    ("{publication: pub-essai, page: 4}", "{publication: pub-essai}"),
    ("resume: Ce que fait la ville.", "resume: Ce que fait la ville (Essai)."),
    ("resume: Ce que fait la ville.", "resume: Ce que fait la ville (Essai, zoom du champ)."),
    ("{publication: pub-essai, page: 4}", "{publication: Pub Essai, page: 4}"),
    ("    sources:\n      - {publication: pub-essai, section: Zoom}",
     "    coporteurs: [ville-d-essai]\n    sources:\n      - {publication: pub-essai, section: Zoom}"),
    ("      unite: habitants\n", "      unite: habitants\n      annee: 20\n"),
    ("nom: Ville d'Essai", "nom: Autre ville"), ("resume: Ce que fait la ville.", "resume: <script>x</script>"),
    ("resume: Ce que fait la ville.", "resume: Voir <a href='//x.fr'>ici</a>."),
    ("resume: Ce que fait la ville.", "resume: Ce&nbsp;que fait la ville."),
    ("section: Zoom}\n---\n", "section: Zoom}\n---\nUn <b>gras</b>.\n"),
    ("section: Zoom}\n---\n", "section: Zoom}\n---\n" + "## Partie\n\n" * 51),
    ("type: commune", "type:\u00a0commune"), ("nom: Ville d'Essai", "nom\u00a0: Ville d'Essai"),
    ("    champs: [soutien-direct-structures]\n", "    champs: [soutien-direct-structures]\n    periode: 2021-2150\n"),
    ("resume: Ce que fait la ville.", "resume: Signé le 31/02/2021."),
    ("resume: Ce que fait la ville.", "resume: Pour 1.2 million d'habitants."),
    ("resume: Ce que fait la ville.", "resume: Pour 45.000 emplois."), ("resume: Ce que fait la ville.", "resume: Un **mot**{: .x }."),
    ("resume: Ce que fait la ville.", "resume: Voir [[autre]]."),
    ("resume: Ce que fait la ville.", "resume: Voir [www.service-public.fr](https://evil.example)."),
    ("resume: Ce que fait la ville.", "resume: Voir[³](https://evil.example)."),
    ("resume: Ce que fait la ville.", 'resume: "{{ x }}"'),
    ("section: Zoom}\n---\n", "section: Zoom}\n---\n--8<-- \"CONTRIBUTING.md\"\n"),
    ("section: Zoom}\n---\n", "section: Zoom}\n---\n*[ESS]: Économie sociale\n"), ("resume: Ce que fait la ville.", "resume: Voir [a][b]."),
    ("section: Zoom}\n---\n", "section: Zoom}\n---\n??? note \"Replié\"\n\n    Texte.\n"),
    ("section: Zoom}\n---\n", "section: Zoom}\n---\nUn.\n\n        Deux.\n"),
    ("section: Zoom}\n---\n", "section: Zoom}\n---\nPour 1.2 million d'habitants.\n"),
    ("identite:", "chronologie:\n  - date: \"2016\"\n    evenement: A.\n    sources:\n      - {publication: pub-essai, page: 1}\n"
                  "  - date: \"2014\"\n    evenement: B.\n    sources:\n      - {publication: pub-essai, page: 1}\nidentite:"),
    # The character policy, YAML types and bounds (tests/test_politique_unicode.py tests each class).
    ("nom: Ville d'Essai", 'nom: "Ville\\u202e"'), ("nom: Ville d'Essai", 'nom: "Ville\\ud800"'),
    ("nom: Ville d'Essai", 'nom: "Ville\\U00110000"'), ("region: Bretagne", "region: Bretagne\nidentite: !!binary aGk="),
    ("valeur: 12000", "valeur: .inf"), ("valeur: 12000", "valeur: " + "9" * 5000), ("valeur: 12000", "valeur: " + "[" * 20 + "]" * 20),
    ("valeur: 12000", "valeur: " + "[" * 1100 + "]" * 1100), ("[soutien-direct-structures]", "[soutien-direct-structures, soutien-direct-structures]"),
    ("resume: Ce que fait la ville.", "resume: " + "x" * 10_001), ("    resume: Ce que fait la ville.", "    resume: Le 2020-02-31."),
    ("nom: Ville d'Essai", "nom: Alen\u00e7\u043en"), ("nom: Ville d'Essai", "nom: Commune d'Autre"), ("resume: Ce que fait la ville.", "resume: ="),
    ("nom: Ville d'Essai", 'nom: "Ville\\nd\'Essai"'), ("section: Zoom}\n---\n", "section: Zoom}\n---\nTexte\u202e.\n"),
    # Numbers YAML would misread, units inside values, duplicates (issue 24)
    ("valeur: 12000", "valeur: 45.000"), ("valeur: 12000", "valeur: 045000"), ("valeur: 12000", "valeur: 1_000"),
    ("valeur: 12000", "valeur: 21.785"), ("valeur: 12000", "valeur: 21,785"), ("valeur: 12000", "valeur: 1,000,000"),
    ("valeur: 12000", "valeur: 1,500 habitants"),
    ("valeur: 12000", "valeur: 1.2e+4"), ("valeur: 12000", "valeur: .nan"), ("valeur: 12000", "valeur: 0x1F"),
    ("valeur: 12000", "valeur: 1:30"), ("type: commune", "type: commune\ncode_insee: 01053"),
    ("valeur: 12000", 'valeur: "45 000 hab."'), ("valeur: 12000\n      unite: habitants", "valeur: 45 000 habitants"),
    ("identite:", "budget:\n  - libelle: B\n    montant: 3 M€\n    sources:\n      - {publication: pub-essai, page: 1}\n"
                 "identite:"),
    ("identite:", "panorama:\n  - part_emplois: 8 %\n    sources:\n      - {publication: pub-essai, page: 1}\n"
                 "identite:"),
    # An amount past Python's 28 digits of decimal precision: valid for the validator, it stopped the build (attacker QA)
    ("identite:", "budget:\n  - libelle: B\n    montant: 1" + "0" * 36 + "\n    sources:\n      - {publication: pub-essai, page: 1}\n"
                 "identite:"),
    ("titre: Une action", "titre: Une autre action"),
    # a figure cut at its comma in braces (editor QA: « clé inconnue « 5 M€ » », advice on pages for an amount)
    ("{publication: pub-essai, page: 4}", "{publication: pub-essai, page: 4,5}"),
    ("identite:", "budget:\n  - {libelle: B, montant: 1,5 M€, sources: [{publication: pub-essai, page: 1}]}\nidentite:"),
    ("    sources:\n      - {publication: pub-essai, section: Zoom}", "    partenaires: [Ville d'Essai]\n    sources:\n"
     "      - {publication: pub-essai, section: Zoom}"),
    ("{publication: pub-essai, page: 4}", "{publication: pub-essai, page: p. 4}"),
    ("{publication: pub-essai, page: 4}", "{publication: pub-essai, page: “4-5”}"),
    ("section: Zoom}\n---\n", "section: Zoom}\n---\n" + "> " * 13 + "Citée.\n"),
    ("resume: Ce que fait la ville.", "resume: >-\n      Ce que fait la ville.\n\n      " + "> " * 13 + "Citée."),
    ("      - {publication: pub-essai, section: Zoom}\n", "      - {publication: pub-essai, section: Zoom}\n"
     "  - titre: Une Action !\n    champs: [soutien-direct-structures]\n    resume: Encore.\n    sources:\n"
     "      - {publication: pub-essai, page: 1}\n"),
    # an address in chevrons, without https://, or as a Markdown link; a citation without its braces or the spaces
    # after its colons; a quote left over (editor QA: advice refused again, or published as typed)
    ("identite:\n", "identite:\n  site_web:\n    url: <https://www.essai.fr>\n    sources:\n      - {publication: pub-essai, page: 4}\n"),
    ("identite:\n", "identite:\n  site_web:\n    url: [site](https://www.essai.fr)\n    sources:\n      - {publication: pub-essai, page: 4}\n"),
    ("      - {publication: pub-essai, section: Zoom}", "      - publication: pub-essai, section: Zoom"),
    ("{publication: pub-essai, page: 4}", "{publication:pub-essai, page:4}"), ("titre: Une action", 'titre: Une action"'),
    ("titre: Une action", "titre: Une **action**"),
    # a list glued to its paragraph, or in a text after « > »: published in one line (editor QA)
    ("    resume: Ce que fait la ville.", "    resume: |\n      Exemple :\n      - une convention ;\n      - un projet."),
    ("    resume: Ce que fait la ville.", "    resume: >-\n      Exemple :\n\n      - une convention ;\n      - un projet."),
    # a year where a date is asked (editor QA: told to quote it, then refused for its format)
    ("type: commune", "type: commune\nmis_a_jour: 2021"),
    # a second action's « - » forgotten (editor QA: told to keep one line of each key, the editor deleted the action)
    ("      - {publication: pub-essai, section: Zoom}\n", "      - {publication: pub-essai, section: Zoom}\n"
     "    titre: Une seconde action\n    champs: [soutien-direct-structures]\n    resume: Encore.\n"),
]


@pytest.mark.parametrize("avant, apres", [
    ("  - titre: Une action", "  – titre: Une action"),
    ("      - {publication: pub-essai, section: Zoom}", "      • {publication: pub-essai, section: Zoom}"),
    ("      - {publication: pub-essai, section: Zoom}", "      – publication: pub-essai\n        section: Zoom"),
    ("    - valeur: 12000", "    — valeur: 12000"),
])
def test_a_list_item_begun_with_a_word_processor_s_dash_is_named_at_its_line(root, avant, apres):
    """« – titre: … » was told « décalage incohérent » with a dash that looks aligned, « – publication: … » « deux-points
    inattendu ; mettez-la entre guillemets » at the next line (editor QA): the dash, at its own line."""
    texte = TERRITOIRE.replace(avant, apres)
    (error,) = errors_for(root, texte)
    assert "tiret du clavier" in str(error) and error.line == texte.splitlines().index(apres.split("\n")[0]) + 1, (
        str(error), error.line)


@pytest.mark.parametrize("avant, apres, nom", [
    ("region: Bretagne", "region: \"Bretagne\u00a0\"", "une espace insécable"),
    ("titre: Une action", "titre: \"Une\taction\"", "une tabulation"),
])
def test_a_refused_value_names_the_white_space_that_does_not_show(root, avant, apres, nom):
    """« valeur « Occitanie  » non reconnue. Vouliez-vous dire « Occitanie » ? »: two words that look the same, the
    no-break space unsaid; a tab in a title, « format incorrect » (editor QA)."""
    (error,) = errors_for(root, TERRITOIRE.replace(avant, apres))
    assert f"contient {nom}, qui ne se voit pas" in str(error), str(error)


def test_a_key_written_further_right_than_the_key_above_is_told_to_align(root):
    """« - valeur: 45000 » then « unite: habitants » two spaces too far was told « deux-points inattendu ; mettez la
    valeur entre guillemets » (editor QA): the key, the key above, and to align them."""
    texte = TERRITOIRE.replace("    - valeur: 12000\n      unite: habitants", "    - valeur: 12000\n        unite: habitants")
    (error,) = errors_for(root, texte)
    assert error.line == texte.splitlines().index("        unite: habitants") + 1, error.line
    assert "« unite » est plus décalée que « valeur »" in error.message and "Alignez" in error.message, error.message


def test_a_ligature_copied_from_a_pdf_is_refused_at_its_line(root):
    """« Bourse aux ﬁnancements » (U+FB01, copied from a PDF) was published as typed, a word no search for
    « financements » finds (editor QA)."""
    (error,) = errors_for(root, TERRITOIRE.replace("titre: Une action", "titre: Bourse aux \ufb01nancements"))
    assert "ligature" in str(error) and "« fi »" in str(error), str(error)
    assert error.line == TERRITOIRE.splitlines().index(next(l for l in TERRITOIRE.splitlines() if "titre: Une action" in l)) + 1


@pytest.mark.parametrize("ecrit", ["12 %", '"12 %"', "12%"])
def test_a_share_written_as_an_amount_is_refused(root, ecrit):
    """« montant: 12 % » was published under the budget as an amount in euros, and so in the open data (editor QA)."""
    texte = TERRITOIRE.replace("identite:", f"budget:\n  - libelle: B\n    montant: {ecrit}\n    sources:\n"
                                             "      - {publication: pub-essai, page: 1}\nidentite:")
    (error,) = errors_for(root, texte)
    assert "montant" in str(error) and "pas une part" in str(error), str(error)


@pytest.mark.parametrize("ecrit, conseil", [
    ("montant: 1,5 M€", "écrivez le nombre sans virgule, en chiffres (montant: 1500000"),
    ("montant: 1,500,000", "écrivez le nombre sans virgule"),
])
def test_a_figure_cut_at_its_comma_in_braces_is_said_whole_with_what_to_write(root, ecrit, conseil):
    """« {libelle: B, montant: 1,5 M€} » was told « clé inconnue « 5 M€ » », « 1,5 » to quote pages, and « 1,500,000 »
    two errors about « 500 » and « 000 » (editor QA): one error, the figure as written, and what to write."""
    texte = TERRITOIRE.replace("identite:", "budget:\n  - {libelle: B, " + ecrit + ", sources: [{publication: pub-essai, "
                                             "page: 1}]}\nidentite:")
    (error,) = errors_for(root, texte)
    assert f"« {ecrit.split(': ')[1]} » : entre accolades, une virgule sépare deux clés" in error.message, error.message
    assert conseil in error.message
    (error,) = errors_for(root, TERRITOIRE.replace("{publication: pub-essai, page: 4}", "{publication: pub-essai, page: 4,5}"))
    assert 'pour plusieurs pages, écrivez-les entre guillemets : page: "4, 5"' in error.message, error.message


def test_contributing_explains_every_message(root):
    patterns = contributing_patterns()
    assert len(patterns) > 40
    seen = set()
    for old, new in CATALOGUE:
        errors = errors_for(root, TERRITOIRE.replace(old, new))
        assert errors, new
        for error in errors:
            seen.add(error.message)
    for empty in ("", "pas d'en-tête\n", "---\n---\n", "---\n- a\n---\n", "---\nnom: x\n\n# Titre\n"):
        seen |= {e.message for e in errors_for(root, empty)}
    unexplained = [m for m in seen if not any(p.match(m) for p in patterns)]
    assert not unexplained, unexplained


# Random headers, rich in YAML's special characters: whatever the fault, its message is French.
@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab :-#'\"[]{},&*!|>%@`\t\n\\?") + ["\u2028", "\x0b", "é"]),
               max_size=80))
@example("::\t{")  # a block left open at the end: its line was one past the text's last (found by hypothesis)
def test_no_parser_english_ever_reaches_an_editor(text):
    _, _, errors = parse_yaml("nom: x\n" + text, "fiches/territoires/x.md", offset=1)
    for error in errors:
        assert not ENGLISH.search(error.message), error.message
        assert error.line is None or 2 <= error.line <= text.count("\n") + 3


def test_a_number_field_gets_one_message_that_its_answer_does_not_refuse(root):
    """« valeur: 45.000 € » was answered « écrivez « 45 000 » », then « 45 000 » « écrivez valeur: 45000 »: the editor
    went round in a circle (editor QA). One message, the field's own, whose answer the validator accepts."""
    for ecrit in ("45.000 €", '"45.000"', "45.000 habitants"):
        (error,) = errors_for(root, TERRITOIRE.replace("valeur: 12000", f"valeur: {ecrit}"))
        assert "valeur: 45000" in error.message and "« 45 000 »" not in error.message, (ecrit, error.message)
    assert not errors_for(root, TERRITOIRE.replace("valeur: 12000", "valeur: 45000"))
    # …while a text still gets the text's answer
    (error,) = errors_for(root, TERRITOIRE.replace("Ce que fait la ville.", "Un budget de 45.000 € par an."))
    assert "« 45 000 »" in error.message


def test_a_date_written_day_first_is_given_back_year_first(root):
    (error,) = errors_for(root, TERRITOIRE.replace("region: Bretagne", "region: Bretagne\nmis_a_jour: 12/03/2021"))
    assert "une date s'écrit année-mois-jour, « 2021-03-12 »" in error.message, error.message
    (error,) = errors_for(root, TERRITOIRE.replace("region: Bretagne", "region: Bretagne\nmis_a_jour: 31/02/2021"))
    assert "« 2021-02-31 »" not in error.message and "AAAA-MM-JJ" in error.message  # no date that does not exist


def test_an_empty_or_missing_champs_says_what_to_write(root):
    """« la liste doit contenir au moins 1 élément » did not say what the list holds (editor QA)."""
    (error,) = errors_for(root, TERRITOIRE.replace("champs: [soutien-direct-structures]", "champs: []"))
    assert "au moins 1 élément : identifiants des champs d'action" in error.message and "fiches/champs/" in error.message
    (error,) = errors_for(root, TERRITOIRE.replace("    champs: [soutien-direct-structures]\n", ""))
    assert "ajoutez la ligne « champs: … » : identifiants des champs d'action" in error.message, error.message


def test_a_title_or_a_name_in_capitals_is_refused_an_acronym_is_not(root):
    """« LE SALON SO EKO DES ACHATS RESPONSABLES » was published in capitals in every list naming it (editor QA)."""
    (error,) = errors_for(root, TERRITOIRE.replace("titre: Une action", "titre: LE SALON SO EKO DES ACHATS RESPONSABLES"))
    assert error.line == 14 and error.field.endswith("titre") and "écrit en capitales" in error.message, error
    (error,) = errors_for(root, TERRITOIRE.replace("nom: Ville d'Essai", "nom: VILLE D'ESSAI DU NORD"))
    assert error.line == 2 and "écrit en capitales" in error.message, error
    for juste in ("Le PTCE et la SCIC", "CRESS Grand Est", "PTCE", "ESS, IAE, SIAE"):
        assert not errors_for(root, TERRITOIRE.replace("titre: Une action", f"titre: {juste}")), juste


def fiche_citant(nom: str, section: str, page: str | None = None) -> str:
    """The test fiche under another name, its action citing `section` (at `page`)."""
    citation = f'{{publication: pub-essai, {f"page: {chr(34)}{page}{chr(34)}, " if page else ""}section: "{section}"}}'
    return (TERRITOIRE.replace("Ville d'Essai", nom).replace("Une action", f"Action de {nom}")
            .replace("{publication: pub-essai, section: Zoom}", citation))


def test_a_section_cited_at_other_pages_than_elsewhere_is_told(root):
    """« Champ d'action #6 — … » cited p. 58-63, another chapter's pages, where the guide cites it p. 28-31 (editor QA):
    a section lies at the same pages wherever it is cited. Told at the citation most others contradict."""
    territoires = root / "fiches" / "territoires"
    for n in range(3):
        (territoires / f"autre-{n}.md").write_text(fiche_citant(f"Autre {n}", "Zoom", "28-31"), encoding="utf-8")
    (error,) = errors_for(root, fiche_citant("Ville d'Essai", "Zoom", "58-63"))
    assert error.line == 18 and error.field.endswith("page"), error
    assert "p. 58-63 : la section « Zoom » est citée p. 28-31 ailleurs (3 fois" in error.message, error.message
    assert not [e for e in load_all(root)[2] if e.path != "fiches/territoires/ville-d-essai.md"]  # not the others
    # a page within the section's, or another section at other pages, is no contradiction
    assert not errors_for(root, fiche_citant("Ville d'Essai", "Zoom", "30"))
    assert not errors_for(root, fiche_citant("Ville d'Essai", "Un autre zoom", "58-63"))


def test_a_section_spelt_nearly_as_a_section_cited_more_is_told(root):
    """« Dévelopement des achats… » passed the validator, the build and the form, and the note printed it (editor QA):
    told where another section of the publication differs by that word alone, nearly alike, cited more."""
    territoires = root / "fiches" / "territoires"
    for n in range(2):
        (territoires / f"autre-{n}.md").write_text(fiche_citant(f"Autre {n}", "Champ #6 — Développement des achats"), encoding="utf-8")
    (error,) = errors_for(root, fiche_citant("Ville d'Essai", "Champ #6 — Dévelopement des achats"))
    assert error.line == 18 and error.field.endswith("section"), error
    assert "« Dévelopement » est-il « Développement » ?" in error.message and "citée 2 fois" in error.message, error.message
    assert not [e for e in load_all(root)[2] if e.path != "fiches/territoires/ville-d-essai.md"]
    # other words, other sections: a name (« Rennes », « Nantes »), a word with more letters (« directes »)
    for autre in ("Champ #6 — Développement des ventes", "Champ #6 — Développements des achats", "Champ #6 — développement des achats",
                  "Champ #6 — Développement des achats directes", "Fiche Rennes — Panorama"):
        assert not errors_for(root, fiche_citant("Ville d'Essai", autre)), autre
    (territoires / "autre-0.md").write_text(fiche_citant("Autre 0", "Fiche Nantes — Panorama"), encoding="utf-8")
    assert not errors_for(root, fiche_citant("Ville d'Essai", "Fiche Rennes — Panorama"))


def test_the_section_check_compares_a_section_only_with_sections_cited_more(root, monkeypatch):
    """1,800 citations of sections « Zoom <a word> », each cited once, took 45 s of the validator (attacker QA): each
    was compared with every other. A section is compared only with the sections of its group cited more often."""
    import difflib
    comparaisons = []
    vrai = difflib.SequenceMatcher

    class Compte(vrai):
        def __init__(self, *args, **kwargs):
            comparaisons.append(1)
            super().__init__(*args, **kwargs)
    monkeypatch.setattr(difflib, "SequenceMatcher", Compte)
    mots = [f"mot{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}{chr(97 + i // 676)}" for i in range(1800)]
    sources = "".join(f"      - {{publication: pub-essai, section: Zoom {m}}}\n" for m in mots)
    fiche = TERRITOIRE.replace("      - {publication: pub-essai, section: Zoom}\n", sources)
    assert [e.message.split(" (")[0] for e in errors_for(root, fiche)] == ["liste trop longue"]  # (50 sources at most)
    assert len(comparaisons) < 100, len(comparaisons)


def test_an_empty_page_beside_a_section_is_refused(root):
    """« page: "" » beside a section was published « Étude 2021, p. , « … » » (attacker QA)."""
    for vide in ('""', '"  "'):
        (error,) = errors_for(root, TERRITOIRE.replace("{publication: pub-essai, section: Zoom}",
                                                       f"{{publication: pub-essai, page: {vide}, section: Zoom}}"))
        assert error.line == 18 and error.message.startswith("page vide"), error


def test_a_report_lists_the_errors_by_file_and_line():
    """The preview's banner listed a fiche's errors at lines 15, 16, 21, 20, 14, 12, 11, as the checks found them
    (editor QA): every report gives them by file, then line."""
    from guide.modele.errors import FicheError, GuideInvalide
    erreurs = [FicheError("fiches/territoires/b.md", "x", 3), FicheError("fiches/territoires/a.md", "y", 15),
               FicheError("fiches/territoires/a.md", "z", 11), FicheError("fiches/territoires/a.md", "t")]
    lignes = GuideInvalide(erreurs).rapport().splitlines()[:4]
    assert [l.split(": ")[0] for l in lignes] == ["fiches/territoires/a.md", "fiches/territoires/a.md:11",
                                                  "fiches/territoires/a.md:15", "fiches/territoires/b.md:3"], lignes


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entier=st.integers(1, 999), milliers=st.lists(st.integers(0, 999), min_size=1, max_size=2),
       separateur=st.sampled_from([".", ","]), forme=st.sampled_from(["{}", '"{}"', "{} habitants"]))
def test_every_number_the_validator_asks_for_is_accepted(tmp_path_factory, entier, milliers, separateur, forme):
    """« valeur: 21.785 » (an area in km²) was answered « si c'est bien un nombre décimal, écrivez valeur: 21.785 »,
    refused again, and « "21.785" » « écrivez valeur: 21785 », a thousand times the area (editor QA). A figure whose
    separator may group thousands or decimals gets both readings, and each answer the message gives is accepted."""
    root = fiches_essai.projet(tmp_path_factory.mktemp("n"), "soutien-direct-structures", "Soutien direct aux structures", {})
    ecrit = forme.format(separateur.join([str(entier)] + [f"{m:03d}" for m in milliers]))
    (error,) = errors_for(root, TERRITOIRE.replace("valeur: 12000", f"valeur: {ecrit}"))
    reponses = re.findall(r"écrivez valeur: ([0-9]+(?:\.[0-9]+)?)", error.message)
    assert reponses, error.message
    groupes, lues = "".join(f"{m:03d}" for m in milliers), {Decimal(r) for r in reponses}
    assert Decimal(f"{entier}{groupes}") in lues, error.message  # thousands, as French print groups them
    if len(milliers) == 1 and "habitants" not in ecrit:  # and, for one group alone, a decimal
        assert Decimal(f"{entier}.{groupes}") in lues, error.message
    for reponse in reponses:
        assert not errors_for(root, TERRITOIRE.replace("valeur: 12000", f"valeur: {reponse}")), (ecrit, reponse)


@pytest.mark.parametrize("ecrit, signale", [
    ("(Avise 2021, p. 14)", True), ("(Essai 2020 p. 3)", True), ("(RTES 2019, pages 4-5, encadré)", True),
    ("(voir p. 14)", False), ("(en 2021, p. 3 du rapport)", False), ("(Essai, p. 3)", False), ("(essai, p. 3)", False),
    # (a comma before the year, « pp. », a second part: verifier QA)
    ("(Avise, 2021, p. 14)", True), ("(Avise 2021, pp. 14-15)", True), ("(Essai, p. 3 ; Avise 2021, p. 14)", True),
    ("(loi de 2014, article 2)", False),
])
def test_a_bracket_that_reads_as_a_source_of_no_publication_is_named(root, ecrit, signale):
    """« (Avise 2021, p. 14) » passed and was printed as text, without a note: the editor believed the fact sourced
    (editor QA). A name with a year and a page that is no publication's short name is said, with the nearest one."""
    errors = errors_for(root, TERRITOIRE.replace("Ce que fait la ville.", f"Ce que fait la ville {ecrit}."))
    if signale:
        (error,) = errors
        assert error.line == 16 and "se lit comme une source" in error.message and "sans note" in error.message, error
    else:
        assert errors == [], errors


@pytest.mark.parametrize("old, new, line, field", [
    ("section: Zoom}\n---\n", "section: Zoom}\n---\nUn texte.\n\nAnnée\tMontant\n2021\t50 000 €\n", 22, "texte libre"),
    ("Ce que fait la ville.", '"Année\\tMontant\\n2021\\t50 000"', 16, "actions[0].resume"),
])
def test_a_table_pasted_from_a_spreadsheet_is_refused_where_it_stands(root, old, new, line, field):
    """Cells pasted from a spreadsheet, tab between them, were published as one line, « Année Montant 2021 50 000 € »,
    without a word (editor QA)."""
    (error,) = errors_for(root, TERRITOIRE.replace(old, new))
    assert error.line == line and error.field == field and "une tabulation entre deux mots" in error.message, error


@pytest.mark.parametrize("old, new, champ", [
    ("[soutien-direct-structures]", "[Soutien-direct-structures]", "actions[0].champs[0]"),
    ("{publication: pub-essai, page: 4}", "{publication: Pub-essai, page: 4}", "sources[0].publication"),
])
def test_an_unknown_identifier_is_said_once_with_what_it_may_mean(root, old, new, champ):
    """« champs: [Soutien-direct] » was told « format incorrect… (ex. « nantes-metropole ») », a territory's example for a
    champ, then, on the same line, « inconnu. Vouliez-vous dire … ? » (editor QA): the second alone."""
    (error,) = errors_for(root, TERRITOIRE.replace(old, new))
    assert error.field == champ and "Vouliez-vous dire" in error.message and "format incorrect" not in error.message


def test_a_fiche_in_the_other_collection_s_folder_is_told_where_it_goes(root):
    """A territory's fiche saved in fiches/champs/ got a dozen « clé inconnue », never where it goes (editor QA)."""
    (root / "fiches" / "champs" / "ville-d-essai.md").write_text(TERRITOIRE, encoding="utf-8")
    _, _, errors = load_all(root)
    (error,) = [e for e in errors if e.path == "fiches/champs/ville-d-essai.md"]
    assert error.line == 1 and "déplacez-la dans fiches/territoires/ (« fiches/territoires/ville-d-essai.md »)" in error.message


def test_a_short_name_with_a_typographic_apostrophe_is_the_same_name():
    """« (Conseil de l’ESS 2014, p. 3) », typed with Word's apostrophe, named no publication: the short name is written
    « Conseil de l'ESS 2014 » (verifier QA). Folded alike, as accents and case are."""
    from guide.modele import parentheses
    noms = [("Conseil de l'ESS 2014", "ess-2014")]
    assert parentheses.citation("Conseil de l’ESS 2014, p. 3", noms) == {"publication": "ess-2014", "page": "3"}


@pytest.mark.parametrize("old, ecrit, attendu", [
    ("page: 4}", "page: {}}}", "page: 1500"),
    ("identite:", "panorama:\n  - part_emplois: {}\n    sources:\n      - {{publication: pub-essai, page: 1}}\nidentite:",
     "part_emplois: 12.5"),
])
def test_a_figure_with_one_meaning_for_its_key_gets_that_one_answer(root, old, ecrit, attendu):
    """« page: 1.500 » was advised « page: 1.5 » (a page is whole), « part_emplois: 12,500 » « 12500 » (a share is at most
    100), each refused once applied, and the page's figure told « attendu un nombre entier » besides (verifier QA)."""
    figure = "1.500" if attendu.startswith("page") else "12,500"
    (error,) = errors_for(root, TERRITOIRE.replace(old, ecrit.format(figure), 1))
    assert error.message.endswith(f"écrivez {attendu}.") and error.message.count("écrivez") == 1, error
    assert errors_for(root, TERRITOIRE.replace(old, ecrit.format(attendu.split(": ")[1]), 1)) == []


def test_a_heading_of_the_text_that_is_the_fiche_s_name_is_refused(root):
    """« # Ville d'Essai » atop the free text printed the page's title twice, and again in « Sur cette page » (editor QA)."""
    (error,) = errors_for(root, TERRITOIRE.replace("section: Zoom}\n---\n", "section: Zoom}\n---\n# Ville d'Essai\n\nUn texte.\n"))
    assert error.field == "texte libre" and "c'est le nom de la fiche" in error.message, error


@pytest.mark.parametrize("partenaire, refuse", [("Ville de Saint-Brieuc", True), ("Mairie de Saint-Brieuc", True),
                                                ("Saint-Brieuc", True), ("Métropole de Saint-Brieuc", False)])
def test_a_commune_is_not_the_partner_of_its_own_action_whatever_french_calls_it(root, partenaire, refuse):
    """« partenaires: [Ville de Saint-Brieuc] » on the fiche « Saint-Brieuc » passed and was published (editor QA): the
    check compared names exactly. Another collectivité of the same place (« Métropole de … ») is another partner."""
    texte = TERRITOIRE.replace("nom: Ville d'Essai", "nom: Saint-Brieuc").replace(
        "    champs: [soutien-direct-structures]\n", f"    champs: [soutien-direct-structures]\n    partenaires: [{partenaire}]\n")
    errors = errors_for(root, texte)
    assert bool([e for e in errors if "est le territoire de cette fiche" in e.message]) == refuse, errors


@pytest.mark.parametrize("ecrit", ["-0.0", "0", "-12"])
def test_a_figure_of_a_territory_at_or_below_zero_is_refused(root, ecrit):
    """« valeur: -0.0 » was published « Population : 0 habitants » and ranked the territory among the smallest
    (attacker QA): a population, a number of communes, an area or a density is above zero."""
    (error,) = errors_for(root, TERRITOIRE.replace("valeur: 12000", f"valeur: {ecrit}"))
    assert error.field == "identite.population[0].valeur" and "doit être supérieure à 0 : un chiffre nul ou négatif" in error.message, error


@pytest.mark.parametrize("script", ["valider.py", "nouvelle_fiche.py", "formater.py"])
def test_an_editor_script_run_by_a_python_without_the_guide_s_tools_says_what_to_run(script):
    """`python3 scripts/valider.py` ended on an English traceback, « No module named 'icu' » (editor QA): the system's
    Python lacks what .venv holds. (-S: a Python without its installed packages.)"""
    result = subprocess.run([sys.executable, "-S", f"scripts/{script}", "--help"], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode != 0 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith("✗ Il manque les outils du guide (")
    assert f"Lancez une fois ./scripts/servir.sh, puis : .venv/bin/python scripts/{script}" in result.stderr
