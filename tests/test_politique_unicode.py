"""The character and identity policy of the model, its bounds, and no traceback ever (issue 26, items 5 to 7).

Each class of hostile input is refused by the loader and validator with a French message naming the file, the
line and the field, or loaded clean (NFC, no refused code point). A property test draws hostile strings into
fiche fields. The last tests run `valider.py` and the real `mkdocs build` on the same hostile fiches: same
verdict, no traceback; and the legitimate case of two territories each naming the other as co-porteur builds.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fiches_essai
from conftest import ROOT, copy_project, mkdocs_build
from guide import load_all
from guide.modele.caracteres import CATEGORIES_REFUSEES, caractere_refuse
from guide.modele.validate import schema_documents

TERRITOIRE = """---
nom: Ville d'Essai
type: commune
region: Bretagne
sources:
  - {publication: pub-essai, page: 4}
identite:
  population:
    - valeur: 12000
      sources:
        - {publication: pub-essai, page: 5}
actions:
  - titre: Une action
    champs: [champ-essai]
    resume: Ce que fait la ville.
    sources:
      - {publication: pub-essai, section: Zoom}
---

Texte libre.
"""

# Words of libyaml's, jsonschema's and Python's English messages that must never reach an editor.
ENGLISH = re.compile(r"\b(found|expected|while|scanning|mapping|could not|is not|None|stream|token|Traceback|"
                     r"Error|does not match|is too long|has non-unique|is not a|invalid)\b")


@pytest.fixture
def root(tmp_path) -> Path:
    return fiches_essai.projet(tmp_path, "champ-essai", "Champ d'essai", {"ville-d-essai.md": TERRITOIRE})


def errors_for(root: Path, text: str | bytes, name: str = "essai.md", kind: str = "territoires") -> list:
    path = root / "fiches" / kind / name
    if isinstance(text, str):
        # A second fiche beside ville-d-essai.md describes its own action (one action in two fiches is refused)
        text = text.replace("  - titre: Une action\n", "  - titre: Une action de la fiche d'essai\n")
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    _, _, errors = load_all(root)
    path.unlink()
    return [e for e in errors if e.path == f"fiches/{kind}/{name}"]


def autre(text: str) -> str:
    """The test territory under another name (two fiches may not describe the same territory)."""
    return text.replace("nom: Ville d'Essai", "nom: Autre ville")


def refused(root, text, line=None, field=None, words=(), **kw):
    """The errors of a fiche that must be refused: French, at `line`, on `field`, saying `words`."""
    errors = errors_for(root, text, **kw)
    assert errors, text[:300]
    for error in errors:
        assert not ENGLISH.search(error.message), error.message
    matching = [e for e in errors if (line is None or e.line == line) and (field is None or e.field == field)
                and all(w in e.message for w in words)]
    assert matching, [str(e) for e in errors]
    return matching


# --- 5. characters: controls, noncharacters, surrogates, bidi, invisible format characters ---------------------

ECHAPPEMENTS = ["\\x00", "\\x1b", "\\x7f", "\\x85", "\\x9b", "\\r", "\\uFFFE", "\\uFFFF", "\\uFDD0", "\\uFDEF",
                "\\U0001FFFF", "\\U0010FFFE", "\\u202A", "\\u202E", "\\u2066", "\\u2069", "\\u200E", "\\u200F",
                "\\u061C", "\\u200B", "\\u200D", "\\uFEFF", "\\u00AD", "\\uE000", "\\u2028", "\\u0378"]


@pytest.mark.parametrize("escape", ECHAPPEMENTS)
def test_a_refused_character_written_as_an_escape_is_refused_in_any_field(root, escape):
    text = autre(TERRITOIRE).replace("nom: Autre ville", f'nom: "Autre{escape} ville"')
    refused(root, text, line=2, field="nom", words=("caractère interdit",))
    nested = autre(TERRITOIRE).replace("      sources:\n        - {publication: pub-essai, page: 5}",
                                       f'      unite: "hab{escape}"\n      sources:\n        - {{publication: pub-essai, page: 5}}')
    refused(root, nested, line=10, field="identite.population[0].unite", words=("caractère interdit",))


@pytest.mark.parametrize("char", ["\u202e", "\u2067", "\u200f", "\u061c", "\u200b", "\ufdd0", "\ufffe", "\x9b",
                                  "\ue000", "\u00ad", "\u0336", "\u20d2", "\ufffc", "\ufffd", "\u0332", "\u20e0",
                                  # letters written right to left: « Subvention שלום » reordered the guide's « (2021) :
                                  # 25 000 € » after it (attacker QA)
                                  "\u05e9", "\u0627", "\u0710", "\u07ca", "\ufdf2"])
def test_a_refused_character_typed_in_a_text_or_a_key_or_the_body_is_refused(root, char):
    text = autre(TERRITOIRE)
    # Characters YAML itself refuses are told before it reads the header, with the key of their line.
    (error,) = refused(root, text.replace("Ce que fait", f"Ce que{char} fait"), line=15, words=("U+",))
    assert error.field in ("actions[0].resume", "resume") and error.message.startswith("caractère i")
    refused(root, text.replace("Texte libre.", f"Texte{char} libre."), line=20,
            words=("caractère interdit dans le texte de la fiche",))
    refused(root, text.replace("region: Bretagne", f'region: Bretagne\n"note{char}": x'), line=5)


def test_a_lone_surrogate_is_told_as_what_it_is(root):
    for escape in ("\\ud800", "\\uDFFF", "\\U0000D800"):
        text = autre(TERRITOIRE).replace("resume: Ce que fait la ville.", f'resume: "Ce que{escape} fait la ville."')
        (error,) = refused(root, text, line=15)
        assert "moitié de caractère" in error.message and "barre oblique" not in error.message
    # Encoded in the file as UTF-8 would encode it (CESU-8): the byte sequence, not an escape.
    (error,) = refused(root, autre(TERRITOIRE).encode().replace(b"Ce que", b"Ce\xed\xa0\x80que"), line=15)
    assert "moitié de caractère" in error.message


def test_text_is_composed_nfc_whatever_way_it_is_written(root):
    text = autre(TERRITOIRE).replace("nom: Autre ville", 'nom: "Autre ville de Se\\u0300te"')
    text = text.replace("  - titre: Une action\n", "  - titre: Une action à Sète\n")  # its own action
    path = root / "fiches" / "territoires" / "sete.md"
    path.write_text(text.replace("Texte libre.", "Texte de Se\u0300te."), encoding="utf-8")
    docs, _, errors = load_all(root)
    assert errors == []
    doc = docs["territoires"]["sete"]
    assert doc.data["nom"] == "Autre ville de Sète" and "Sète" in doc.body
    assert unicodedata.is_normalized("NFC", doc.data["nom"])


def test_tab_and_line_breaks_stay_allowed_in_texts_not_in_names(root):
    text = autre(TERRITOIRE).replace("resume: Ce que fait la ville.", 'resume: "Ce que\\tfait\\nla ville."')
    assert errors_for(root, text) == []
    for escape in ("\\n", "\\t"):
        text = autre(TERRITOIRE).replace("nom: Autre ville", f'nom: "Autre{escape}ville"')
        refused(root, text, line=2, field="nom", words=("format incorrect", "sur une ligne"))


# --- 5. names: scripts within a word, confusable skeletons ------------------------------------------------------

@pytest.mark.parametrize("name", ["Alen\u00e7\u043en", "\u0410lençon", "Ville d'Ess\u0430i", "Saint-\u0415tienne"])
def test_a_name_mixing_scripts_in_a_word_is_refused(root, name):
    (error,) = refused(root, autre(TERRITOIRE).replace("nom: Autre ville", f"nom: {name}"), line=2, field="nom",
                       words=("mélange les écritures", "cyrillique"))
    text = autre(TERRITOIRE).replace("region: Bretagne", f"region: Bretagne\nalias: [{name}]")
    refused(root, text, field="alias[0]", words=("mélange les écritures",))
    refused(root, autre(TERRITOIRE).replace("titre: Une action", f"titre: Action de {name}"), line=13,
            field="actions[0].titre", words=("mélange les écritures",))


def test_names_in_one_script_each_word_are_accepted(root):
    text = autre(TERRITOIRE).replace("region: Bretagne", "region: Bretagne\nalias: [\"Αθήνα Partenaire\", Saint-Étienne]")
    assert errors_for(root, text) == []


@pytest.mark.parametrize("name, lookalike", [("Essai", "\u0415\u0455\u0455\u0430\u0456"),  # Cyrillic « Еѕѕаі »
                                             ("Aix", "\u0410\u0456\u0445"),  # Cyrillic « Аіх »
                                             ("BAIE", "\u0392\u0391\u0399\u0395")])  # Greek « ΒΑΙΕ »
def test_a_name_that_reads_as_another_territorys_is_refused(root, name, lookalike):
    (root / "fiches" / "territoires" / "premier.md").write_text(autre(TERRITOIRE).replace("Autre ville", name),
                                                                encoding="utf-8")
    errors = errors_for(root, autre(TERRITOIRE).replace("nom: Autre ville", f"nom: {lookalike}"))
    (error,) = [e for e in errors if "se confond à l'œil" in e.message]
    assert error.line == 2 and error.field == "nom" and "fiches/territoires/premier.md" in error.message


@pytest.mark.parametrize("lookalike", ["Ｖｉｌｌｅ d'Essai", "ＶＩＬＬＥ D'ESSAI", "Vi\u217c\u217ce d'Essai"])
def test_a_name_in_compatibility_letters_is_the_same_name(root, lookalike):
    (error,) = errors_for(root, TERRITOIRE.replace("nom: Ville d'Essai", f"nom: {lookalike}"))
    assert "est aussi celui de fiches/territoires/ville-d-essai.md" in error.message and error.line == 2


def test_the_real_names_have_distinct_skeletons(guide):
    from guide.modele.caracteres import squelette
    names = {}
    for slug, territoire in guide.territoires.items():
        for name in [territoire.data["nom"]] + territoire.data.get("alias", []):
            names.setdefault(squelette(name), set()).add(slug)
    assert all(len(slugs) == 1 for slugs in names.values()), [s for s in names.values() if len(s) > 1]


# --- 5. patterns matched whole; reserved addresses; file names ----------------------------------------------------

def test_every_schema_pattern_is_anchored():
    patterns = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                patterns.append(node["pattern"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema_documents())
    assert patterns and all(p.startswith("^") and p.endswith("$") for p in patterns), patterns


@pytest.mark.parametrize("key, value", [("code_insee", "93048"), ("siren", "200046977")])
def test_a_pattern_does_not_accept_a_final_line_break(root, key, value):
    text = autre(TERRITOIRE).replace("region: Bretagne", f'region: Bretagne\n{key}: "{value}\\n"')
    refused(root, text, line=5, field=key, words=("format incorrect", "saut de ligne"))


def test_the_sites_own_addresses_are_reserved():
    docs_pages = {p.stem for p in (ROOT / "docs" / "territoires").glob("*.md")}
    assert {"index", "carte", "matrice"} <= docs_pages


@pytest.mark.parametrize("name", ["index.md", "carte.md", "matrice.md"])
def test_a_fiche_may_not_take_a_page_of_the_site(root, name):
    (root / "docs" / "territoires").mkdir(parents=True)
    for page in ("index", "carte", "matrice"):
        (root / "docs" / "territoires" / f"{page}.md").write_text("# Page\n", encoding="utf-8")
    refused(root, autre(TERRITOIRE), name=name, words=("nom de fichier réservé", f"territoires/{name[:-3]}"))
    refused(root, fiches_essai.champ("Autre champ").replace("numero: 1", "numero: 2"), name="index.md", kind="champs",
            words=("nom de fichier réservé",))


@pytest.mark.parametrize("name", ["con.md", "nul.md", "aux.md", "com1.md", "lpt9.md"])
def test_a_name_windows_keeps_for_its_devices_is_refused(root, name):
    """« con.md » was accepted (attacker QA): Windows cannot create it, and an editor there could no longer check out
    the guide."""
    refused(root, autre(TERRITOIRE), name=name, words=("réservé par Windows", f"« {name} »"))


@pytest.mark.parametrize("name", ["Autre.md", "autre_ville.md", "é.md", "autre--ville.md"])
def test_file_names_are_lower_case_ascii_slugs(root, name):
    refused(root, autre(TERRITOIRE), name=name, words=("nom de fichier invalide",))


def test_an_upper_case_extension_is_told_not_skipped(root):
    refused(root, autre(TERRITOIRE), name="autre.MD", words=("extension « .MD »",))


# --- 6. bounds ----------------------------------------------------------------------------------------------------

# (each its own summary: two actions of a fiche with the same summary are one action written twice)
ACTION = """  - titre: Action {n}
    champs: [champ-essai]
    resume: Ce que fait la ville, action {n}.
    sources:
      - {{publication: pub-essai, section: Zoom}}
"""


def test_actions_per_fiche_are_bounded(root):
    borne = schema_documents()["territoire.schema.yaml"]["properties"]["actions"]["maxItems"]
    many = "".join(ACTION.format(n=n) for n in range(borne + 1))
    text = autre(TERRITOIRE).replace("actions:\n", "actions:\n" + many)
    refused(root, text, line=13, field="actions", words=("liste trop longue", str(borne)))
    at_most = "".join(ACTION.format(n=n) for n in range(borne - 1))
    assert errors_for(root, autre(TERRITOIRE).replace("actions:\n", "actions:\n" + at_most)) == []


def test_the_text_a_fiche_writes_on_the_champ_pages_is_bounded(root, monkeypatch):
    """A valid fiche of 100 actions, each of 10 champs and a résumé of 9,500 characters, made a champ page 8 times
    larger and the site twice as large (attacker QA): its résumés, counted once per champ, are bounded (70 here)."""
    from guide.modele import validate
    monkeypatch.setattr(validate, "TEXTE_REPETE_PAR_FICHE", 70)
    many = "".join(ACTION.format(n=n) for n in range(4))
    refused(root, autre(TERRITOIRE).replace("actions:\n", "actions:\n" + many), field="actions[2].champs",
            words=("répétés sur la page de chacun de leurs champs", "70 caractères"))
    assert errors_for(root, autre(TERRITOIRE).replace("actions:\n", "actions:\n" + ACTION.format(n=0))) == []


def test_a_champ_is_listed_once_per_action(root):
    text = autre(TERRITOIRE).replace("champs: [champ-essai]", "champs: [champ-essai, champ-essai]")
    refused(root, text, line=14, field="actions[0].champs", words=("élément répété « champ-essai »",))
    text = autre(TERRITOIRE).replace("champs: [champ-essai]", "champs: [" + ", ".join(["champ-essai"] * 1000) + "]")
    refused(root, text, line=14, field="actions[0].champs", words=("liste trop longue",))


@pytest.mark.parametrize("old, key, field, line", [
    ("resume: Ce que fait la ville.", "resume: {}", "actions[0].resume", 15),
    ("nom: Ville d'Essai", "nom: {}", "nom", 2),
    ("titre: Une action", "titre: {}", "actions[0].titre", 13),
])
def test_texts_are_bounded_by_their_schema(root, old, key, field, line):
    text = autre(TERRITOIRE) if old != "nom: Ville d'Essai" else TERRITOIRE
    long_text = "mot " * 100_000  # some 400 kB, as the 330 kB résumé of the issue
    refused(root, text.replace(old, key.format(long_text.strip())), line=line, field=field,
            words=("texte trop long",))


def test_free_text_nesting_and_file_size_are_bounded(root):
    from guide.modele.load import LIMITES
    text = autre(TERRITOIRE)
    refused(root, text.replace("Texte libre.", "mot " * (LIMITES["texte_libre"] // 4 + 1)), line=19,
            words=("texte libre trop long",))
    deep = "[" * 800 + "]" * 800
    refused(root, text.replace("valeur: 12000", f"valeur: {deep}"), line=9, field="identite",
            words=("imbrication trop profonde",))
    deeper = "[" * 5000 + "]" * 5000
    refused(root, text.replace("valeur: 12000", f"valeur: {deeper}"), line=9, words=("imbrication trop profonde",))
    big = text.replace("Texte libre.", "x" * (LIMITES["taille_fichier"] + 1))
    refused(root, big, words=("fichier trop volumineux",))


def test_runs_of_brackets_are_bounded(root):
    """Python-Markdown's time grows with the square of the « [ » it cannot close (30,000 in a text: 148 s of
    build): a text holds at most LIMITES["crochets"], in a key's value or in the free text, said at its line."""
    from guide.modele.load import LIMITES
    trop = "[" * (LIMITES["crochets"] + 1)
    text = autre(TERRITOIRE)
    refused(root, text.replace("resume: Ce que fait la ville.", f"resume: 'Texte {trop}'"), line=15,
            field="actions[0].resume", words=("crochets « [ »",))
    refused(root, text.replace("Texte libre.", f"Texte libre.\n\nEncore {trop}"), line=22, words=("crochets « [ »",))
    assert errors_for(root, text.replace("resume: Ce que fait la ville.",
                                         "resume: '" + "[lien](https://example.org/) " * LIMITES["crochets"] + "'")) == []


def test_the_real_fiches_pass_every_rule(guide):
    # The session's guide is built only when no fiche has an error: every territory fiche of the repository is in it.
    fiches = list((ROOT / "fiches" / "territoires").glob("*.md"))
    assert len(fiches) >= 100 and len(guide.territoires) == len(fiches)


def test_contributing_gives_the_schemas_bounds():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8").split("## Limites et caractères acceptés", 1)[1]
    text = text.split("\n## ", 1)[0]
    documents = schema_documents()
    territoire = documents["territoire.schema.yaml"]["properties"]
    commun = documents["commun.schema.yaml"]
    expected = {
        "actions d'une fiche territoire": territoire["actions"]["maxItems"],
        "champs d'action d'une action": territoire["actions"]["items"]["properties"]["champs"]["maxItems"],
        "coporteurs d'une action": territoire["actions"]["items"]["properties"]["coporteurs"]["maxItems"],
        "alias d'un territoire": territoire["alias"]["maxItems"],
        "citations d'une liste": commun["$defs"]["sources"]["maxItems"],
        "nom, alias ou titre": commun["$defs"]["nom"]["maxLength"],
        "autre texte d'une clé": commun["$defs"]["texte"]["maxLength"],
        "texte libre après l'en-tête": commun["x-limites"]["texte_libre"],
        "niveaux de listes": commun["x-limites"]["profondeur"],
    }
    for label, number in expected.items():
        row = next(line for line in text.splitlines() if label in line)
        assert f"{number:,}".replace(",", " ") in row, (label, number, row)
    assert f"{commun['x-limites']['taille_fichier'] // 1_000_000} Mo" in text


# --- 7. no traceback: YAML types, numbers, dates -------------------------------------------------------------------

@pytest.mark.parametrize("value, words", [
    ("!!binary aGVsbG8=", "!!binary"), ("!!set {a, b}", "!!set"), ("!!timestamp 2020-01-01", "!!timestamp"),
    ("!!python/object:os.system x", "!!python/object:os.system"), ("!ville x", "!ville"), ("!!omap [a: 1]", "!!omap"),
    ("!!float .inf", "nombre fini"), (".inf", "nombre fini"), ("-.Inf", "nombre fini"), (".nan", "nombre fini"),
    ("1.0e+999", "nombre fini"), ("9" * 5000, "nombre trop long"),
])
def test_yaml_types_and_numbers_that_no_page_can_show_are_refused(root, value, words):
    text = autre(TERRITOIRE).replace("valeur: 12000", f"valeur: {value}")
    refused(root, text, line=9, field="identite.population[0].valeur", words=(words,))


@pytest.mark.parametrize("old, new, line, field", [
    ("resume: Ce que fait la ville.", "resume: Le 2020-02-31, la ville agit.", 15, "actions[0].resume"),
    ("region: Bretagne", "region: Bretagne\nmis_a_jour: \"2021-02-29\"", 5, "mis_a_jour"),
    ("Texte libre.", "Depuis le 2019-04-31.", 20, None),
    ("region: Bretagne", "region: Bretagne\nchronologie:\n  - date: \"2013-13\"\n    evenement: x\n"
                         "    sources: [{publication: pub-essai, page: 1}]", 6, "chronologie[0].date"),
    ("region: Bretagne", "region: Bretagne\nchronologie:\n  - date: \"2016-02-30/2016-03-01\"\n    evenement: x\n"
                         "    sources: [{publication: pub-essai, page: 1}]", 6, "chronologie[0].date"),
])
def test_an_impossible_date_is_refused_in_fields_and_free_text(root, old, new, line, field):
    refused(root, autre(TERRITOIRE).replace(old, new), line=line, field=field, words=("n'existe pas dans le calendrier",))


@pytest.mark.parametrize("style, ouverture", [("|-", ""), (">", ""), ("", "\"")])
def test_a_refused_character_in_a_text_written_on_several_lines_is_reported_at_its_own_line(root, style, ouverture):
    """In a block (`resume: |-`, `>`) or a quoted text on several lines, the error names the line of the character,
    not the line of the key (line 15 here); the field stays the key's."""
    bloc = (f"resume: {style}{ouverture}\n      Première ligne du résumé,\n      deuxième ligne,\n"
            f"      troisième avec un caractère\u202e caché.{ouverture}")
    refused(root, autre(TERRITOIRE).replace("resume: Ce que fait la ville.", bloc), line=18,
            field="actions[0].resume", words=("caractère interdit",))


CHRONOLOGIE = ("region: Bretagne\nchronologie:\n  - date: \"{}\"\n    evenement: x\n"
               "    sources: [{{publication: pub-essai, page: 1}}]")


@pytest.mark.parametrize("periode", ["2014-2011", "2016-09-25/2016-09-24", "2017/2016-05", "2016-10/2016-09-30"])
def test_a_period_that_ends_before_it_starts_is_refused(root, periode):
    refused(root, autre(TERRITOIRE).replace("region: Bretagne", CHRONOLOGIE.format(periode)), line=6,
            field="chronologie[0].date", words=(f"la période « {periode} » finit avant de commencer",))


@pytest.mark.parametrize("periode", ["2011-2014", "2016-09-24/2016-09-25", "2016-09/2016", "2016/2016-05", "2014"])
def test_periods_in_order_and_single_dates_are_accepted(root, periode):
    assert errors_for(root, autre(TERRITOIRE).replace("region: Bretagne", CHRONOLOGIE.format(periode))) == []


def test_real_dates_in_free_text_are_accepted(root):
    text = autre(TERRITOIRE).replace("Ce que fait la ville.", "Le 2020-02-29, la ville agit.")
    assert errors_for(root, text.replace("Texte libre.", "Depuis le 2019-04-30.")) == []


# --- property: hostile strings in any field -----------------------------------------------------------------------

CORPUS = (ECHAPPEMENTS + ["\\ud800", "\\uDFFF", "\ud800", "\\U00110000", "\u202e", "\u2066", "\u200f", "\u0430", "\u043e", "Ａ", "\ufffe", "\ufdd0", "\x9b", "\x7f",
                          "{{ lipsum.__globals__ }}", "<script>", "](https://x) [", "!!binary ", "!x ", "&a ", "*a ",
                          "\\", "\"", "'", ": ", "# ", "- ", "[", "{", "2020-02-31", "e\u0301", "\u00ad", "\r\n",
                          ".inf", ".nan", "x" * 20_000])
hostile = st.lists(st.sampled_from(CORPUS) | st.text(max_size=8), min_size=1, max_size=6).map("".join)


def _double_quoted(value: str) -> str:
    """A YAML double-quoted scalar that keeps every escape of the corpus as an escape (`\\u202E` stays 6
    characters the parser decodes)."""
    return '"' + value.replace('"', '\\"') + '"'


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(value=hostile, place=st.sampled_from(["nom", "resume", "partenaire", "cle", "valeur", "corps", "liste"]),
       quoted=st.booleans())
def test_hostile_strings_in_any_field_are_refused_in_french_or_loaded_clean(root, value, place, quoted):
    scalar = _double_quoted(value) if quoted else value.replace("\n", " ")
    base = autre(TERRITOIRE)
    text = {
        "nom": lambda: base.replace("nom: Autre ville", f"nom: {scalar}"),
        "resume": lambda: base.replace("resume: Ce que fait la ville.", f"resume: {scalar}"),
        "partenaire": lambda: base.replace("    resume: Ce", f"    partenaires: [{scalar}]\n    resume: Ce"),
        "cle": lambda: base.replace("region: Bretagne", f"region: Bretagne\n{scalar}: 1"),
        "valeur": lambda: base.replace("valeur: 12000", f"valeur: {scalar}"),
        "corps": lambda: base.replace("Texte libre.", value),
        "liste": lambda: base.replace("valeur: 12000", "valeur: " + "[" * (len(value) % 40) + scalar
                                      + "]" * (len(value) % 40)),
    }[place]()
    path = root / "fiches" / "territoires" / "essai.md"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    docs, _, errors = load_all(root)  # never raises
    mine = [e for e in errors if e.path == "fiches/territoires/essai.md"]
    for error in mine:
        assert not ENGLISH.search(error.message), error.message
        assert error.line is not None, str(error)
        if error.message.startswith(("caractère interdit :", "étiquette YAML", "texte trop long", "liste trop longue")):
            assert error.field, str(error)
    if not mine and "essai" in docs["territoires"]:
        doc = docs["territoires"]["essai"]
        # The text after the header keeps the file's line ends (CRLF from Windows is accepted).
        for text_value in _all_strings(doc.data) + [doc.body.replace("\r\n", "\n")]:
            assert unicodedata.is_normalized("NFC", text_value)
            assert caractere_refuse(text_value) is None, repr(text_value)
            assert not any(unicodedata.category(c) in CATEGORIES_REFUSEES - {"Cc"} for c in text_value)
        json.dumps(doc.data, allow_nan=False)  # finite numbers, plain types only


def _all_strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _all_strings(k) + _all_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _all_strings(v)]
    return []


# --- the same verdict from valider.py and the build; the co-porteurs case builds --------------------------------

# File name → (text replaced in the base fiche, replacement); « {n} » is the fiche's number.
HOSTILES = {
    "nom-bidi.md": ("nom: Territoire d'essai {n}", 'nom: "Territoire\\u202e {n}"'),
    "nom-c1.md": ("nom: Territoire d'essai {n}", 'nom: "Territoire\\x9b {n}"'),
    "non-caractere.md": ("nom: Territoire d'essai {n}", 'nom: "Territoire\\uFFFF {n}"'),
    "surrogate.md": ("nom: Territoire d'essai {n}", 'nom: "Territoire\\ud800 {n}"'),
    "cyrillique.md": ("nom: Territoire d'essai {n}", "nom: Alen\u00e7\u043en"),
    "binaire.md": ("valeur: 12000", "valeur: !!binary aGVsbG8="),
    "infini.md": ("valeur: 12000", "valeur: .inf"),
    "pas-un-nombre.md": ("valeur: 12000", "valeur: .nan"),
    "date-impossible.md": ("resume: Ce que fait la ville.", "resume: Le 2020-02-31, la ville agit."),
    "imbrication.md": ("valeur: 12000", "valeur: " + "[" * 800 + "]" * 800),
    "champ-repete.md": ("champs: [soutien-direct-structures]",
                        "champs: [" + ", ".join(["soutien-direct-structures"] * 1000) + "]"),
    "code-insee.md": ("region: Bretagne", 'region: Bretagne\ncode_insee: "93048\\n"'),
    "index.md": ("", ""),
}


def _hostile_fiche(name: str, n: int) -> str:
    """The fiche `name` of HOSTILES: the test territory with a real champ and publication of the guide, a name
    of its own (two fiches may not share one), and its hostile value."""
    text = TERRITOIRE.replace("champ-essai", "soutien-direct-structures").replace("pub-essai", "avise-2021")
    text = text.replace("nom: Ville d'Essai", f"nom: Territoire d'essai {n}")
    old, new = HOSTILES[name]
    assert old.format(n=n) in text
    return text.replace(old.format(n=n), new.format(n=n), 1)


def _run_valider(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(project / "scripts" / "valider.py")], cwd=project, capture_output=True,
                          text=True, timeout=300)


def test_valider_and_the_build_refuse_the_same_hostile_fiches_without_a_traceback(tmp_path):
    project = copy_project(tmp_path / "projet")
    (project / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "valider.py", project / "scripts" / "valider.py")
    folder = project / "fiches" / "territoires"
    for n, name in enumerate(HOSTILES):
        (folder / name).write_text(_hostile_fiche(name, n), encoding="utf-8")
    valider = _run_valider(project)
    built = mkdocs_build(project, tmp_path / "site")
    for result in (valider, built):
        assert result.returncode != 0
        output = result.stdout + result.stderr
        assert "Traceback" not in output and "UndefinedError" not in output, output[-3000:]
    for name in HOSTILES:
        rel = f"fiches/territoires/{name}"
        assert re.search(rf"^{re.escape(rel)}:\d+:", valider.stdout, re.M) or f"{rel}:" in valider.stdout, name
        assert f"{rel}:" in built.stdout + built.stderr, (name, (built.stdout + built.stderr)[-3000:])
    assert not (tmp_path / "site" / "territoires" / "nom-bidi").exists()


def test_two_territories_naming_each_other_as_coporteurs_build_and_validate(tmp_path):
    project = copy_project(tmp_path / "projet")
    (project / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "valider.py", project / "scripts" / "valider.py")
    ville = project / "fiches" / "territoires" / "ville-de-strasbourg.md"
    text = ville.read_text(encoding="utf-8")
    header = yaml.safe_load(text.split("---\n")[1])
    action = next(a for a in header["actions"] if "coporteurs" not in a)
    # Carried with the Eurométropole, which names the Ville on its own actions; no `nature`, which is optional.
    start = text.index(f"  - titre: {action['titre']}\n")
    end = text.find("\n  - titre:", start + 1)
    end = end if end != -1 else text.index("\n---", start)
    block = re.sub(r"\n    nature: [^\n]+", "", text[start:end])
    block = block.replace("    sources:\n", "    coporteurs: [eurometropole-de-strasbourg]\n    sources:\n", 1)
    assert "coporteurs" in block
    ville.write_text(text[:start] + block + text[end:], encoding="utf-8")
    valider = _run_valider(project)
    assert valider.returncode == 0, valider.stdout + valider.stderr
    built = mkdocs_build(project, tmp_path / "site")
    output = built.stdout + built.stderr
    assert built.returncode == 0 and "Construction arrêtée" not in output and "ERROR" not in output, output[-3000:]
    def texte(slug: str) -> str:
        page = (tmp_path / "site" / "territoires" / slug / "index.html").read_text(encoding="utf-8")
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page).replace("\u202f", " ").replace("\xa0", " "))

    # The line that stopped the build: the Ville's own action, carried with the Eurométropole.
    assert "Action portée avec : Eurométropole de Strasbourg" in texte("ville-de-strasbourg")
    # And on the Eurométropole's page, among the actions it shares.
    assert "PLDESS" in action["titre"] and "PLDESS de Lille" in texte("eurometropole-de-strasbourg")
