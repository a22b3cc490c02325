"""The editors' workflow: scaffold, formatter, validator CLI, pre-commit hooks, workflows, edit link,
and a new editor who follows CONTRIBUTING.md alone to add a territory with two actions."""
from __future__ import annotations

import functools
import gzip
import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from ruamel.yaml import YAML

from conftest import ROOT, mkdocs_build

sys.path.insert(0, str(ROOT / "scripts"))
import formater  # noqa: E402
import nouvelle_fiche  # noqa: E402
from guide.modele.load import FRONT_MATTER, parse_yaml  # noqa: E402
from guide.modele.slugs import ancre_publication  # noqa: E402

PY = sys.executable
FICHES = formater.all_fiches()


def run(args, cwd=ROOT, **kw):
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env, timeout=300, **kw)


def header_data(text: str):
    data, _, errors = parse_yaml(FRONT_MATTER.match(text).group(1), "fiche")
    assert not errors
    return data


def comments(text: str) -> list[str]:
    """Every comment of a fiche's YAML header, as ruamel reads them (sorted, stripped)."""
    out = []

    def tokens(value):
        if isinstance(value, list):
            for v in value:
                yield from tokens(v)
        elif value is not None and hasattr(value, "value"):
            yield value

    def walk(node):
        ca = getattr(node, "ca", None)
        if ca is not None:
            for token in tokens(ca.comment):
                out.extend(token.value.splitlines())
            for entry in ca.items.values():
                for token in tokens(entry):
                    out.extend(token.value.splitlines())
        if isinstance(node, dict):
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(YAML().load(FRONT_MATTER.match(text).group(1)))
    return sorted(line.strip() for line in out if line.strip())


def project(tmp_path: Path) -> Path:
    """A copy of the project with its editors' tools (scripts, CONTRIBUTING.md)."""
    for part in ("docs", "fiches", "macros", "overrides", "scripts"):
        shutil.copytree(ROOT / part, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
    for part in ("mkdocs.yml", "CONTRIBUTING.md"):
        shutil.copy(ROOT / part, tmp_path / part)
    (tmp_path / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)  # official data
    return tmp_path


# --- formatter -----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", FICHES, ids=lambda p: p.name)
def test_formatter_keeps_data_and_comments_of_every_fiche(path):
    original = path.read_text(encoding="utf-8")
    formatted = formater.format_text(original, formater.kind_of(path))
    assert header_data(formatted) == header_data(original)
    assert comments(formatted) == comments(original)
    assert formatted.split("\n---\n", 1)[1].strip() == original.split("\n---\n", 1)[1].strip()  # body kept
    assert formater.format_text(formatted, formater.kind_of(path)) == formatted  # idempotent


def test_formatter_keeps_the_blank_lines_of_a_text_and_tidies_those_between_keys():
    """Two blank lines in a folded résumé are a new paragraph (« \\n\\n »): the formatter refused the fiche, which
    the validator accepted, and its message sent the editor to the validator (attacker QA). They are kept; a run of
    blank lines between two keys is still made one."""
    fiche = next(p for p in FICHES if "    resume: >-\n" in p.read_text(encoding="utf-8"))
    texte = fiche.read_text(encoding="utf-8")
    debut = texte.index("    resume: >-\n") + len("    resume: >-\n")
    ligne = texte[debut:texte.index("\n", debut) + 1]
    essai = texte[:debut] + ligne + "\n\n      Un second paragraphe.\n" + texte[debut + len(ligne):]
    essai = essai.replace("\nactions:\n", "\n\n\n\nactions:\n", 1)
    formate = formater.format_text(essai, formater.kind_of(fiche))
    assert header_data(formate) == header_data(essai)
    assert "\n\n\n      Un second paragraphe." in formate and "\n\n\nactions:" not in formate
    assert formater.format_text(formate, formater.kind_of(fiche)) == formate


def test_a_tab_between_a_key_and_its_value_is_tidied_as_the_validator_reads_it():
    """« annee:<tab>2019 » (a spreadsheet's cell pasted) passed the validator and the build, which read it as a space,
    and the formatter called it « YAML illisible » and sent the editor to the validator, which found nothing (editor
    QA): the pull request's check stayed red with no way out. The formatter reads it as the validator does."""
    fiche = next(p for p in FICHES if "\n      annee: " in p.read_text(encoding="utf-8") and p.parent.name == "territoires")
    texte = fiche.read_text(encoding="utf-8")
    essai = texte.replace("\n      annee: ", "\n      annee:\t", 1).replace("\nnom: ", "\nnom:\t ", 1)
    assert essai.count("\t") == 2
    formate = formater.format_text(essai, formater.kind_of(fiche))
    assert header_data(formate) == header_data(essai) == header_data(texte)
    assert "\t" not in formate and formate == formater.format_text(texte, formater.kind_of(fiche))


def test_formatter_never_drops_a_comment_and_says_where_to_write_it():
    """A comment inside brackets or braces was dropped without a word (ruamel does not keep it; attacker QA):
    the fiche is refused at the comment's line, with where to write it."""
    fiche = next(p for p in FICHES if "\n    champs: [" in p.read_text(encoding="utf-8"))
    texte = fiche.read_text(encoding="utf-8")
    debut = texte.index("\n    champs: [") + len("\n    champs: [")
    essai = texte[:debut] + "\n      " + texte[debut:].replace("]", ",  # à vérifier\n    ]", 1)
    ligne = essai[:essai.index("# à vérifier")].count("\n") + 1
    with pytest.raises(formater.FormatError, match=f"ligne {ligne} : le commentaire « # à vérifier » .* sur sa propre ligne"):
        formater.format_text(essai, formater.kind_of(fiche))
    # on its own line, it is kept
    seul = texte.replace("\n    champs: [", "\n    # à vérifier\n    champs: [", 1)
    assert "# à vérifier" in formater.format_text(seul, formater.kind_of(fiche))


def test_formatter_touches_only_the_fiches_of_the_guide(tmp_path):
    """The site's pages of docs/territoires/ were « mis en forme », and the target of a link in fiches/territoires/,
    outside the repository, rewritten (attacker QA): both are refused, as the validator refuses them."""
    for page in (ROOT / "docs" / "territoires").glob("*.md"):
        with pytest.raises(formater.FormatError, match="n'est pas une fiche du guide"):
            formater.kind_of(page)
    (tmp_path / "fiches" / "territoires").mkdir(parents=True)
    (tmp_path / "ailleurs" / "territoires").mkdir(parents=True)
    cible = tmp_path / "ailleurs" / "territoires" / "cible.md"
    cible.write_text(FICHES[0].read_text(encoding="utf-8"), encoding="utf-8")
    lien = tmp_path / "fiches" / "territoires" / "lien.md"
    lien.symlink_to(cible)
    with pytest.raises(formater.FormatError, match="lien symbolique refusé"):
        formater.kind_of(lien, tmp_path)
    with pytest.raises(formater.FormatError, match="n'est pas une fiche du guide"):
        formater.kind_of(cible, tmp_path)
    assert formater.kind_of(FICHES[0]) == "territoires" or formater.kind_of(FICHES[0]) == "champs"


def test_formatter_orders_keys_as_the_schema_and_check_mode(tmp_path):
    root = project(tmp_path)
    path = root / "fiches" / "territoires" / "desordre.md"
    path.write_text("---\nregion: Bretagne  # fin de ligne\n# avant le nom\nnom: Désordre\ntype: commune\n"
                    "inconnu: gardé\nsources:\n  - {page: 3, publication: avise-2021}\n---\n\nTexte.\n",
                    encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    check = run([PY, "scripts/formater.py", "--check", str(path)], cwd=root)
    assert check.returncode == 1 and "desordre.md" in check.stdout
    assert path.read_text(encoding="utf-8") == before  # --check never writes
    assert run([PY, "scripts/formater.py", str(path)], cwd=root).returncode == 0
    after = path.read_text(encoding="utf-8")
    assert list(header_data(after)) == ["nom", "type", "inconnu", "region", "sources"]  # unknown keeps its neighbour
    assert header_data(after)["sources"] == [{"publication": "avise-2021", "page": 3}]
    assert comments(after) == comments(before)
    assert run([PY, "scripts/formater.py", "--check", str(path)], cwd=root).returncode == 0
    path.write_text("---\nnom: [non fermé\n---\n", encoding="utf-8")
    broken = run([PY, "scripts/formater.py", str(path)], cwd=root)
    assert broken.returncode == 2 and "desordre.md" in broken.stderr
    assert path.read_text(encoding="utf-8") == "---\nnom: [non fermé\n---\n"  # never rewritten
    # a file the guide refuses to read (too large) is refused as valider.py refuses it, at once (attacker QA: 26 s on a
    # 2.4 MB fiche, then « en forme »)
    path.write_text("---\nnom: Énorme\ntype: commune\n---\n\n" + "Un mot. " * 200_000, encoding="utf-8")
    trop = run([PY, "scripts/formater.py", "--check", str(path)], cwd=root)
    assert trop.returncode == 2 and "fichier trop volumineux" in trop.stderr, trop.stderr


# --- scaffold ------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, slug", [
    ("Saint-Martin-d'Hères", "saint-martin-d-heres"),
    ("Saint-Martin-d’Hères", "saint-martin-d-heres"),
    ("St-Étienne-du-Rouvray", "saint-etienne-du-rouvray"),
    ("Ste Geneviève des Bois", "sainte-genevieve-des-bois"),
    ("L'Haÿ-les-Roses", "l-hay-les-roses"),
    ("Cœur d'Essonne Agglomération", "coeur-d-essonne-agglomeration"),
    ("Stains", "stains"),
])
def test_slug_from_name(name, slug):
    assert nouvelle_fiche.derive_slug(name) == slug


def test_scaffold_refuses_an_existing_slug_or_name(tmp_path, guide):
    root = project(tmp_path)
    slug, fiche = next(iter(guide.territoires.items()))
    path = root / "fiches" / "territoires" / f"{slug}.md"
    before = path.read_text(encoding="utf-8")
    taken = run([PY, "scripts/nouvelle_fiche.py", "territoire", fiche.data["nom"], "--identifiant", slug], cwd=root)
    assert taken.returncode == 1 and "existe déjà" in taken.stderr
    same_name = run([PY, "scripts/nouvelle_fiche.py", "territoire", fiche.data["nom"].upper()], cwd=root)
    assert same_name.returncode == 1 and f"{slug}.md" in same_name.stderr
    assert path.read_text(encoding="utf-8") == before
    assert run([PY, "scripts/nouvelle_fiche.py", "territoire", "X", "--type", "ville"], cwd=root).returncode == 1
    assert run([PY, "scripts/nouvelle_fiche.py", "action", slug, "--champ", "pas-un-champ"], cwd=root).returncode == 1


def test_scaffold_refuses_another_name_of_a_territory_the_guide_has_by_its_official_code(tmp_path, guide):
    """« Metropole de Nantes »: the reference gives Nantes Métropole's SIREN, which a fiche already has; the scaffold
    wrote the fiche anyway, and the validator refused it only once filled in (editor QA). A département is not taken
    for the region of the same code (« 44 », Grand Est)."""
    root = project(tmp_path)
    autre = run([PY, "scripts/nouvelle_fiche.py", "territoire", "Metropole de Nantes", "--type", "metropole",
                 "--region", "Pays de la Loire"], cwd=root)
    assert autre.returncode == 1 and "fiches/territoires/nantes-metropole.md" in autre.stderr, autre.stderr
    assert "244400404" in autre.stderr and not (root / "fiches/territoires/metropole-de-nantes.md").exists()
    assert guide.territoires["region-grand-est"].data["code_insee"] == "44"
    dep = run([PY, "scripts/nouvelle_fiche.py", "territoire", "Loire-Atlantique", "--type", "departement",
               "--region", "Pays de la Loire"], cwd=root)
    assert dep.returncode == 0 and 'code_insee: "44"' in (root / "fiches/territoires/loire-atlantique.md").read_text()


def test_scaffold_writes_only_territory_fiches_and_refuses_names_the_validator_refuses(tmp_path, guide):
    """An identifier is a file of fiches/territoires/, whatever is typed (« ../../docs/index » added an action block
    to the home page), never a page address the site keeps; a name is checked before a file is written."""
    root = project(tmp_path)
    slug = next(iter(guide.territoires))
    avant = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and ".git" not in p.parts}
    refus = [["action", "../../docs/index", "--titre", "X"], ["action", "../champs/" + next(iter(guide.champs))],
             ["action", "/etc/passwd"], ["territoire", "Ville-test", "--identifiant", "../x"],
             ["territoire", "Ville-test", "--identifiant", "index"], ["territoire", "Ville-test", "--identifiant", "carte"],
             ["territoire", "Аlençon"], ["territoire", "Ville\nde X"], ["territoire", "Ville\u202ede X"]]
    for args in refus:
        result = run([PY, "scripts/nouvelle_fiche.py", *args], cwd=root)
        assert result.returncode == 1 and result.stderr.startswith("✗ ") and "Traceback" not in result.stderr, args
    apres = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and ".git" not in p.parts}
    assert apres == avant
    # Named as an editor may name it: with .md, or by its path.
    for i, nom in enumerate((f"{slug}.md", f"fiches/territoires/{slug}.md")):
        assert run([PY, "scripts/nouvelle_fiche.py", "action", nom, "--titre", f"Essai {i}"], cwd=root).returncode == 0


def test_scaffold_writes_what_the_editor_meant_and_adds_an_action_once(tmp_path, guide):
    """« --type Commune » and « --region bretagne » were refused instead of read; « Quimper » without a région left
    « region: » empty while its official code gives Bretagne; the same « action » command run twice added the action
    twice (editor QA)."""
    root = project(tmp_path)
    cree = run([PY, "scripts/nouvelle_fiche.py", "territoire", "Quimper", "--type", "Commune"], cwd=root)
    assert cree.returncode == 0, cree.stderr
    texte = (root / "fiches/territoires/quimper.md").read_text(encoding="utf-8")
    assert re.search(r"^type: commune\b", texte, re.M) and re.search(r"^region: Bretagne$", texte, re.M), texte
    assert re.search(r"^region_officielle: true\b", texte, re.M) and "référentiel officiel : Bretagne" in cree.stdout
    vannes = run([PY, "scripts/nouvelle_fiche.py", "territoire", "Vannes", "--type", "commune", "--region", "bretagne"],
                 cwd=root)
    assert vannes.returncode == 0 and re.search(r"^region: Bretagne$", (root / "fiches/territoires/vannes.md")
                                                .read_text(encoding="utf-8"), re.M)
    assert "region_officielle" not in (root / "fiches/territoires/vannes.md").read_text(encoding="utf-8")
    slug = next(iter(guide.territoires))
    assert run([PY, "scripts/nouvelle_fiche.py", "action", slug, "--titre", "Budget participatif ESS"], cwd=root).returncode == 0
    deux = run([PY, "scripts/nouvelle_fiche.py", "action", slug, "--titre", "budget participatif  ess"], cwd=root)
    assert deux.returncode == 1 and "a déjà une action « Budget participatif ESS »" in deux.stderr, deux.stderr


def test_scaffold_reads_a_word_processor_s_apostrophe_as_the_keyboard_s(tmp_path):
    """« Saint-Martin-d’Hères » pasted from a document was told « n'est pas en Auvergne-Rhône-Alpes … vérifiez la
    région », with Saint-Martin (97801) among the proposals, and written with its curly apostrophe and no code; the
    validator then proposed the name with the keyboard's (editor QA)."""
    root = project(tmp_path)
    cree = run([PY, "scripts/nouvelle_fiche.py", "territoire", "Saint-Martin-d\u2019Hères", "--type", "commune",
                "--region", "Auvergne-Rhône-Alpes"], cwd=root)
    assert cree.returncode == 0, cree.stderr
    texte = (root / "fiches/territoires/saint-martin-d-heres.md").read_text(encoding="utf-8")
    assert re.search(r"^nom: Saint-Martin-d'Hères$", texte, re.M) and re.search(r'^code_insee: "38421"', texte, re.M), texte
    assert "vérifiez la région" not in cree.stdout + cree.stderr


def fill(node, values):
    """Fill every empty value of a scaffolded header, as an editor would."""
    if isinstance(node, dict):
        for key, value in node.items():
            if value is None or value == []:
                node[key] = values[key]
            else:
                fill(value, values)
    elif isinstance(node, list):
        for item in node:
            fill(item, values)


def test_scaffold_passes_validation_once_required_fields_are_filled(tmp_path, guide):
    root = project(tmp_path)
    champ = sorted(guide.champs)[0]
    publication = yaml.safe_load((ROOT / "fiches/sources.yaml").read_text(encoding="utf-8"))["publications"][0]["id"]
    made = run([PY, "scripts/nouvelle_fiche.py", "territoire", "Commune d'Essai-sur-Test"], cwd=root)
    assert made.returncode == 0, made.stderr
    path = root / "fiches/territoires/commune-d-essai-sur-test.md"
    empty = run([PY, "scripts/valider.py", str(path)], cwd=root)
    assert empty.returncode == 1
    for place in ("clé « type » : valeur vide", "clé « region » : valeur vide", "source n° 1, clé « publication »",
                  "action n° 1, clé « titre »", "action n° 1, clé « resume »"):
        assert place in empty.stdout, empty.stdout
    assert "None" not in empty.stdout and "[0]" not in empty.stdout
    y = formater._yaml()  # the editor types in the fiche's own layout
    text = path.read_text(encoding="utf-8")
    data = y.load(FRONT_MATTER.match(text).group(1))
    fill(data, {"type": "commune", "region": "Bretagne", "publication": publication, "page": 1,
                "titre": "Une action", "champs": [champ], "resume": "Ce que fait la commune."})
    out = io.StringIO()
    y.dump(data, out)
    path.write_text(f"---\n{out.getvalue()}---\n", encoding="utf-8")
    ok = run([PY, "scripts/valider.py", str(path)], cwd=root)
    assert ok.returncode == 0, ok.stdout
    assert run([PY, "scripts/formater.py", "--check", str(path)], cwd=root).returncode == 0


def test_adding_an_action_keeps_everything_else(tmp_path):
    root = project(tmp_path)
    # The fiche with the most comments: the append must keep each of them and every other field.
    path = max(sorted((root / "fiches/territoires").glob("*.md")),
               key=lambda p: len(comments(p.read_text(encoding="utf-8"))))
    before = path.read_text(encoding="utf-8")
    champ = sorted(p.stem for p in (root / "fiches/champs").glob("*.md"))[-1]
    added = run([PY, "scripts/nouvelle_fiche.py", "action", path.stem, "--titre", "Nouvelle : action", "--champ", champ],
                cwd=root)
    assert added.returncode == 0, added.stderr
    after = path.read_text(encoding="utf-8")
    old, new = header_data(before), header_data(after)
    assert new["actions"][:-1] == old["actions"]
    assert new["actions"][-1]["titre"] == "Nouvelle : action" and new["actions"][-1]["champs"] == [champ]
    assert {k: v for k, v in new.items() if k not in ("actions", "mis_a_jour")} == \
           {k: v for k, v in old.items() if k not in ("actions", "mis_a_jour")}
    assert set(comments(before)) <= set(comments(after))
    assert after.split("\n---\n", 1)[1] == before.split("\n---\n", 1)[1]  # body untouched


# --- validator CLI -------------------------------------------------------------------------------

def test_validator_exit_codes(tmp_path):
    assert run([PY, "scripts/valider.py"]).returncode == 0
    missing = run([PY, "scripts/valider.py", "fiches/territoires/pas-de-fiche.md"])
    assert missing.returncode == 2 and "introuvable" in missing.stderr
    root = project(tmp_path)
    path = sorted((root / "fiches/territoires").glob("*.md"))[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^region: .*$", "region: Atlantide", text, count=1, flags=re.M), encoding="utf-8")
    line = next(i for i, l in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if l.startswith("region:"))
    bad = run([PY, "scripts/valider.py"], cwd=root)
    assert bad.returncode == 1
    assert f"fiches/territoires/{path.name}:{line}: clé « region » : valeur « Atlantide » non reconnue" in bad.stdout
    assert "1 erreur" in bad.stdout  # the summary
    # The report read through « | head -1 », many errors long: the first line, and no report of a failure of the
    # checks themselves (« La vérification a échoué (BrokenPipeError…) »: editor QA).
    for fiche in sorted((root / "fiches/territoires").glob("*.md"))[:40]:
        fiche.write_text(re.sub(r"^region: .*$", "region: Atlantide", fiche.read_text(encoding="utf-8"), count=1,
                                flags=re.M), encoding="utf-8")
    tete = subprocess.run(f"'{PY}' scripts/valider.py | head -1", shell=True, cwd=root, capture_output=True,
                          text=True, timeout=300)
    assert "Atlantide" in tete.stdout and tete.stdout.count("\n") == 1, tete.stdout
    assert "échoué" not in tete.stderr and "BrokenPipe" not in tete.stderr, tete.stderr


def test_a_fiche_the_build_would_skip_is_named_not_ignored(tmp_path):
    """A fiche at the root of fiches/, in a sub-folder, or named « .markdown » was validated « ✓ » and left out of
    the site; README.md or mkdocs.yml given to the validator was « ✓ 1 fichier vérifié »."""
    root = project(tmp_path)
    fiche = sorted((root / "fiches/territoires").glob("*.md"))[0]
    egares = [root / "fiches" / "y.md", root / "fiches/territoires/sous" / fiche.name,
              root / "fiches/territoires" / f"{fiche.stem}-2.markdown", root / "fiches/champs/a/b/c.md"]
    for path in egares:
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(fiche, path)
    for name in (f".{fiche.name}.swp", f"{fiche.name}~", f"._{fiche.name}"):  # an editor's or macOS's own files
        shutil.copy(fiche, fiche.parent / name)
    (fiche.parent / f".#{fiche.name}").symlink_to(fiche.name)  # Emacs' lock while the fiche has unsaved changes
    shutil.copy(fiche, root / "fiches" / "README.md")  # a note for whoever opens the folder
    texte = root / "fiches/territoires" / f"{fiche.stem}-3.md.txt"  # saved by Notepad
    shutil.copy(fiche, texte)
    egares.append(texte)
    sans_extension = root / "fiches/territoires" / f"{fiche.stem}-5"  # saved without « .md »: skipped in silence (editor QA)
    shutil.copy(fiche, sans_extension)
    egares.append(sans_extension)
    (fiche.parent / "4913").write_text("", encoding="utf-8")  # vim's check that it may write in the folder
    shutil.copy(fiche, root / "fiches/territoires" / "Index.MD")  # not read; « index » is a reserved name (attacker QA)
    cachee = root / "fiches/territoires" / f".{fiche.stem}-4.md"  # hidden: skipped without a word (attacker QA)
    shutil.copy(fiche, cachee)
    # among the authored pages: published as a page of its free text alone, every check green (editor QA)
    (root / "docs/territoires").mkdir(parents=True, exist_ok=True)
    shutil.copy(fiche, root / "docs/territoires/saint-brieuc.md")
    # …long, with a byte order mark, as « .markdown », or with a header YAML cannot read (verifier QA: each published)
    longue = max((root / "fiches/territoires").glob("*.md"), key=lambda p: p.stat().st_size)
    assert longue.stat().st_size > 20_000
    shutil.copy(longue, root / "docs/territoires/longue.md")
    (root / "docs/territoires/bom.md").write_bytes(b"\xef\xbb\xbf" + fiche.read_bytes())
    shutil.copy(fiche, root / "docs/territoires/autre.markdown")
    (root / "docs/territoires/cassee.md").write_text(re.sub(r"(?m)^type: ", "type ", fiche.read_text(encoding="utf-8")),
                                                     encoding="utf-8")
    result = run([PY, "scripts/valider.py"], cwd=root)
    assert result.returncode == 1
    assert "docs/territoires/saint-brieuc.md:1: ce fichier est une fiche" in result.stdout, result.stdout
    assert "Déplacez-la dans fiches/territoires/ (« fiches/territoires/saint-brieuc.md »)" in result.stdout
    docs = sorted(line.split(":")[0] for line in result.stdout.splitlines() if line.startswith("docs/"))
    assert docs == [f"docs/territoires/{n}" for n in ("autre.markdown", "bom.md", "cassee.md", "longue.md",
                                                       "saint-brieuc.md")], result.stdout
    assert f"{cachee.relative_to(root).as_posix()}: fichier caché" in result.stdout and f"« {fiche.stem}-4.md »" in result.stdout
    assert sum("fichier caché" in line for line in result.stdout.splitlines()) == 1, result.stdout
    assert "fiches/territoires/Index.MD: extension « .MD »" in result.stdout and "« index.md »" not in result.stdout
    assert "nommez-le « nom-du-territoire.md » (minuscules)" in result.stdout, result.stdout
    nommes = sorted(line.split(":")[0] for line in result.stdout.splitlines() if "ignoré par la construction" in line)
    assert nommes == sorted(p.relative_to(root).as_posix() for p in egares), result.stdout
    assert f"nommez-le « {fiche.stem}-3.md »" in result.stdout and f"nommez-le « {fiche.stem}-5.md »" in result.stdout
    assert f"fiches/territoires/{fiche.name}:" not in result.stdout, result.stdout  # its lock and ._ copy: not fiches
    # …and the formatter says what the validator says of them, not « à mettre en forme » (editor QA)
    for path in (texte, sans_extension, root / "fiches/territoires" / "Index.MD"):
        forme = run([PY, "scripts/formater.py", "--check", str(path)], cwd=root)
        assert forme.returncode == 2 and "à mettre en forme" not in forme.stdout, forme.stdout
        assert "fichier ignoré par la construction" in forme.stderr or "nom de fichier invalide" in forme.stderr, forme.stderr
    shutil.copy(fiche, root / "fiches/territoires" / "St. Brieuc.md")  # the same name as valider.py gives (verifier QA)
    forme = run([PY, "scripts/formater.py", "--check", "fiches/territoires/St. Brieuc.md"], cwd=root)
    assert "(ex. « st-brieuc.md »)" in forme.stderr, forme.stderr
    (root / "fiches/territoires" / "St. Brieuc.md").unlink()
    seul = run([PY, "scripts/valider.py", "fiches/y.md"], cwd=root)
    assert seul.returncode == 1 and "fiches/territoires/y.md" in seul.stdout
    build = run([PY, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")], cwd=root)
    assert build.returncode == 1 and "fiches/territoires/sous/" in build.stderr and "Traceback" not in build.stderr
    assert "docs/territoires/saint-brieuc.md" in build.stderr
    for autre in ("README.md", "mkdocs.yml", "fiches/schemas/territoire.schema.yaml", "fiches/territoires"):
        refus = run([PY, "scripts/valider.py", autre])
        assert refus.returncode == 2 and ("pas une fiche" in refus.stderr or "dossier" in refus.stderr), autre


# --- review of a pull request ------------------------------------------------------------------------

def test_the_review_names_the_pages_of_other_territories_a_request_changes(tmp_path):
    """A request that adds one fiche naming « ville-de-paris » a co-carrier of an action changes Paris's page, its « En
    bref » and its champs, while Paris's fiche is not in the request's diff (attacker QA). scripts/revue.py names each
    such page, the action and the fiche that writes it; the check of a request writes it in its summary."""
    root = project(tmp_path / "depot")
    git = functools.partial(run, cwd=root)
    for commande in (["init", "-q", "-b", "main"], ["config", "user.email", "r@example.org"], ["config", "user.name", "R"],
                     ["add", "-A"], ["commit", "-q", "-m", "base"], ["switch", "-q", "-c", "ajout"]):
        assert git(["git", *commande]).returncode == 0
    fiche = root / "fiches/territoires/ville-de-grenoble.md"
    texte = fiche.read_text(encoding="utf-8")
    titre = re.search(r"^  - titre: (.+)$", texte, re.M).group(1)
    assert "coporteurs" not in texte.split(f"titre: {titre}\n", 1)[1].split("\n  - titre:", 1)[0]
    fiche.write_text(texte.replace(f"  - titre: {titre}\n", f"  - titre: {titre}\n    coporteurs: [ville-de-paris]\n", 1),
                     encoding="utf-8")
    git(["git", "commit", "-qam", "co-portage"])
    resume = tmp_path / "resume.md"
    sortie = subprocess.run([PY, "scripts/revue.py", "main"], cwd=root, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "GITHUB_STEP_SUMMARY": str(resume)})
    assert sortie.returncode == 0, sortie.stderr
    assert ("**Ville de Paris** (`fiches/territoires/ville-de-paris.md`, non modifiée) affiche désormais l'action "
            f"« {titre} » de la fiche Ville de Grenoble") in sortie.stdout, sortie.stdout
    assert resume.read_text(encoding="utf-8") in sortie.stdout + "\n"
    # Paris's fiche touched by the request too (a blank line): said all the same (verifier QA: it hid the action)
    paris = root / "fiches/territoires/ville-de-paris.md"
    paris.write_text(paris.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert "**Ville de Paris** (`fiches/territoires/ville-de-paris.md`, modifiée aussi par cette demande) affiche " \
           "désormais" in run([PY, "scripts/revue.py", "main"], cwd=root).stdout
    # …and an action already co-carried whose text changes (verifier QA: « Aucune »)
    git(["git", "checkout", "-q", "--", "."])
    git(["git", "switch", "-q", "main"])
    git(["git", "switch", "-q", "-c", "texte"])
    deja = next(p for p in sorted((root / "fiches/territoires").glob("*.md"))
                if re.search(r"^    coporteurs: \[", p.read_text(encoding="utf-8"), re.M))
    texte = deja.read_text(encoding="utf-8")
    debut = texte.index("\n    coporteurs: [")
    titre = re.findall(r"^  - titre: (.+)$", texte[:debut], re.M)[-1]
    resume = texte.rindex("    resume:", 0, debut) if "    resume:" in texte[:debut] else None
    assert resume is not None
    deja.write_text(texte[:resume] + "    resume: Un autre texte.\n" + texte[texte.index("\n    ", resume + 5) + 1:],
                    encoding="utf-8")
    assert f"affiche autrement l'action « {titre} »" in run([PY, "scripts/revue.py", "main"], cwd=root).stdout
    git(["git", "checkout", "-q", "--", "."])
    assert "Aucune :" in run([PY, "scripts/revue.py", "main"], cwd=root).stdout
    assert run([PY, "scripts/revue.py", "branche-inconnue"], cwd=root).returncode == 2


# --- pre-commit, workflows -----------------------------------------------------------------------

def test_pre_commit_hooks_run_the_validator_and_the_formatter_check(tmp_path):
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    root = project(tmp_path)
    (root / ".venv").symlink_to(Path(PY).parents[1])  # the hooks call .venv/bin/python, with its packages
    fiche = "fiches/territoires/" + sorted(p.name for p in (root / "fiches/territoires").glob("*.md"))[0]
    for hook in hooks.values():
        assert re.search(hook["files"], fiche)
        files = [fiche] if hook.get("pass_filenames", True) else []
        formatted = run(shlex.split(hook["entry"]) + files, cwd=root)
        assert formatted.returncode == 0, formatted.stdout + formatted.stderr  # every real fiche is valid and formatted
    (root / fiche).write_text("---\nnom: [\n---\n", encoding="utf-8")
    for hook in hooks.values():
        files = [fiche] if hook.get("pass_filenames", True) else []
        assert run(shlex.split(hook["entry"]) + files, cwd=root).returncode != 0, hook["id"]


def test_workflows_pass_actionlint_and_do_the_job(tmp_path):
    actionlint = Path(PY).parent / "actionlint"
    workflows = sorted((ROOT / ".github/workflows").glob("*.yml"))
    ok = run([str(actionlint), "-no-color", *map(str, workflows)])
    assert ok.returncode == 0, ok.stdout
    broken = tmp_path / "casse.yml"
    broken.write_text((ROOT / ".github/workflows/verifier.yml").read_text(encoding="utf-8")
                      .replace("runs-on: ubuntu-latest", "runs-on: ubuntu-latest\n    needs: inexistant"), encoding="utf-8")
    assert run([str(actionlint), "-no-color", str(broken)]).returncode == 1
    verifier = yaml.safe_load((ROOT / ".github/workflows/verifier.yml").read_text(encoding="utf-8"))
    assert "pull_request" in verifier[True]
    steps = " ".join(s.get("run", "") for job in verifier["jobs"].values() for s in job["steps"])
    for command in ("scripts/valider.py", "scripts/formater.py --check", "mkdocs build --strict", "scripts/tester.sh"):
        assert command in steps
    publier = yaml.safe_load((ROOT / ".github/workflows/publier.yml").read_text(encoding="utf-8"))
    assert publier[True]["push"]["branches"] == ["main"]
    uses = [s.get("uses", "") for job in publier["jobs"].values() for s in job["steps"]]
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    # The published site offers the PDF books, contents numbered (a browser's print cannot number them: reader QA),
    # printed on Debian as the tests print them
    publie = [s.get("run", "") for s in publier["jobs"]["construire"]["steps"]]
    assert any("scripts/pdf.py" in r and "--sortie site" in r for r in publie), publie
    assert publier["jobs"]["construire"]["container"].endswith("-bookworm")
    verifier_steps = [s.get("run", "") for s in verifier["jobs"]["verifier"]["steps"]]
    assert any("scripts/revue.py" in r for r in verifier_steps)


# --- the fiche pages: edit link and last update --------------------------------------------------

def test_fiche_pages_show_last_update_and_no_edit_link_without_repository(site_dir, guide):
    depot = os.environ.get("GUIDE_DEPOT", "").strip()
    for slug, fiche in list(guide.territoires.items())[:20]:
        soup = BeautifulSoup((site_dir / "territoires" / slug / "index.html").read_text(encoding="utf-8"), "lxml")
        link = soup.select_one(".guide-modifier")
        assert (link is None) if not depot else link["href"].endswith(f"/fiches/territoires/{slug}.md")
        date = fiche.data.get("mis_a_jour")
        if date:
            assert soup.select_one(".guide-mise-a-jour time")["datetime"] == date
    page = (site_dir / "ressources" / "contribuer" / "index.html").read_text(encoding="utf-8")
    titles = re.findall(r"^## (.+)$", (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8"), re.M)
    text = BeautifulSoup(page, "lxml").get_text()
    assert titles and all(t in text for t in titles)  # the page shows CONTRIBUTING.md, written once
    assert "--8<--" not in text


# --- a new editor, following CONTRIBUTING.md only ------------------------------------------------

def contributing_example() -> tuple[list[str], dict]:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text.split("## Exemple complet", 1)[1].split("\n## ", 1)[0]
    commands = re.search(r"```bash\n(.*?)```", section, re.S).group(1).strip().splitlines()
    example = re.search(r"```yaml\n(.*?)```", section, re.S).group(1)
    return commands, header_data(example)


def test_a_new_editor_adds_a_territory_with_two_actions(tmp_path):
    root = project(tmp_path / "projet")
    commands, example = contributing_example()
    for command in commands:
        args = shlex.split(command)
        assert args[0] == ".venv/bin/python"
        result = run([PY, *args[1:]], cwd=root)
        if "valider.py" in command:
            fiche = root / args[-1]
            assert result.returncode == 1  # the scaffold leaves fields to fill
            # The editor fills each empty field with the values of the example.
            y = formater._yaml()
            text = fiche.read_text(encoding="utf-8")
            data = y.load(FRONT_MATTER.match(text).group(1))
            data["sources"][0].update(example["sources"][0])
            for action, wanted in zip(data["actions"], example["actions"], strict=True):
                action["resume"] = wanted["resume"]
                action["sources"][0].update(wanted["sources"][0])
            out = io.StringIO()
            y.dump(data, out)
            fiche.write_text(f"---\n{out.getvalue()}---\n", encoding="utf-8")
            result = run([PY, *args[1:]], cwd=root)
        assert result.returncode == 0, result.stdout + result.stderr
    slug = fiche.stem
    filled = header_data(fiche.read_text(encoding="utf-8"))
    assert filled["nom"] == example["nom"] and len(filled["actions"]) == 2
    champs = [a["champs"][0] for a in filled["actions"]]
    assert len(set(champs)) == 2
    # Green check: the strict build of the site, with the repository address set as the deploy sets it.
    site = tmp_path / "site"
    env_depot = "https://forge.example/organisation/guide"
    os.environ["GUIDE_DEPOT"] = env_depot
    try:
        built = mkdocs_build(root, site)
    finally:
        del os.environ["GUIDE_DEPOT"]
    assert built.returncode == 0, built.stderr
    index = BeautifulSoup((site / "territoires/index.html").read_text(encoding="utf-8"), "lxml")
    assert any(a["href"].rstrip("/").endswith(slug) for a in index.select("a[href]"))
    for champ, action in zip(champs, filled["actions"]):
        text = BeautifulSoup((site / "champs" / champ / "index.html").read_text(encoding="utf-8"), "lxml").get_text()
        assert action["titre"] in text and filled["nom"] in text
    # Search: the new page is in Pagefind's index (one gzipped fragment per page, macros/guide/sorties/recherche.py).
    urls = {json.loads(gzip.decompress(f.read_bytes()).removeprefix(b"pagefind_dcd"))["url"]
            for f in (site / "pagefind" / "fragment").glob("*.pf_fragment")}
    assert f"/territoires/{slug}/" in urls
    donnees = site / "donnees"
    if donnees.exists():
        exported = (donnees / "territoires.json").read_text(encoding="utf-8") + (donnees / "actions.json").read_text(encoding="utf-8")
        assert slug in exported and all(a["titre"] in exported for a in filled["actions"])
    page = BeautifulSoup((site / "territoires" / slug / "index.html").read_text(encoding="utf-8"), "lxml")
    link = page.select_one("a.guide-modifier")
    assert link["href"] == f"{env_depot}/edit/main/fiches/territoires/{slug}.md"
    assert page.select_one(".guide-mise-a-jour time")["datetime"] == filled["mis_a_jour"]


def test_every_fiche_of_the_guide_is_formatted():
    """CI refuses a fiche the formatter would change: editors run `scripts/formater.py` before committing."""
    result = run([PY, "scripts/formater.py", "--check"])
    assert result.returncode == 0, result.stdout + result.stderr


# --- tools that work where CONTRIBUTING.md says (issue 17) -----------------------------------------

def contributing_commands() -> list[str]:
    """Every editor command of CONTRIBUTING.md's shell blocks that runs the guide's Python tools."""
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", text, re.S)
    lines = [re.sub(r"\s+#.*$", "", line.strip()) for block in blocks for line in block.splitlines()]
    return [line for line in lines if line.startswith(".venv/bin/python scripts/")]


def fresh_copy(tmp_path: Path) -> Path:
    """The repository as a clone has it (committed files only), with the environment ./scripts/servir.sh
    creates (.venv: the one the tests run in, which requirements.txt installed)."""
    root = tmp_path / "clone"
    root.mkdir()
    archive = subprocess.run(["git", "archive", "HEAD"], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(root)], input=archive, check=True)
    for part in ("CONTRIBUTING.md", ".pre-commit-config.yaml"):  # as in the worktree under test
        shutil.copy(ROOT / part, root / part)
    for part in ("fiches", "scripts", "macros"):
        shutil.rmtree(root / part)
        shutil.copytree(ROOT / part, root / part, ignore=shutil.ignore_patterns("__pycache__"))
    (root / ".venv").symlink_to(Path(PY).parents[1])
    return root


def test_every_editor_command_of_contributing_runs_as_written_on_a_fresh_copy(tmp_path):
    root = fresh_copy(tmp_path)
    commands = contributing_commands()
    kinds = {re.search(r"scripts/(\w+)\.py", c).group(1) for c in commands}
    assert {"nouvelle_fiche", "valider", "formater"} <= kinds
    created = set()
    for command in commands:
        if "nouvelle_fiche.py action" in command and not created:
            continue  # adds to an existing fiche: run after its territory exists
        if created:  # « ma-fiche.md » in CONTRIBUTING stands for the editor's own fiche
            command = command.replace("fiches/territoires/ma-fiche.md", sorted(created)[0])
        result = subprocess.run(["bash", "-c", command], cwd=root, capture_output=True, text=True, timeout=300)
        output = result.stdout + result.stderr
        # A tool may refuse (a fiche left to fill, an example identifier), never crash.
        assert "Traceback" not in output and "No module named" not in output, (command, output)
        assert result.returncode in (0, 1), (command, output)
        if "nouvelle_fiche.py territoire" in command and result.returncode == 0:
            created.add(re.search(r"fiches/territoires/[\w-]+\.md", output).group(0))
        # Every command a tool tells the editor to run exists and is written the way that works.
        for hint in re.findall(r"(?:\S*python3?) scripts/\w+\.py", output):
            assert hint.startswith(".venv/bin/python scripts/"), (command, hint)
            assert (root / hint.split(" ")[1]).is_file()
    assert created
    # The scaffold's comment in the fiche names the commands that work.
    fiche = (root / sorted(created)[0]).read_text(encoding="utf-8")
    assert f".venv/bin/python scripts/valider.py {sorted(created)[0]}" in fiche
    assert re.findall(r"(?<![/\w])python scripts/", fiche) == []


def test_the_formatter_with_the_wrong_python_says_what_to_run(tmp_path):
    system = shutil.which("python3")
    probe = subprocess.run([system, "-c", "import ruamel.yaml, yaml"], capture_output=True)
    if probe.returncode == 0:
        pytest.skip("the system Python has the guide's packages")
    result = run([system, "scripts/formater.py", "--check"])
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "./scripts/servir.sh" in result.stderr or ".venv/bin/python" in result.stderr


def test_a_fiche_saved_by_notepad_is_explained_and_normalised(tmp_path):
    root = project(tmp_path)
    path = sorted((root / "fiches/territoires").glob("*.md"))[0]
    original = path.read_bytes()
    path.write_bytes(b"\xef\xbb\xbf" + original.replace(b"\n", b"\r\n"))
    rel = path.relative_to(root).as_posix()
    assert run([PY, "scripts/valider.py", rel], cwd=root).returncode == 0  # the validator accepts it
    check = run([PY, "scripts/formater.py", "--check", rel], cwd=root)
    assert check.returncode == 1
    assert "BOM" in check.stdout and "Bloc-notes" in check.stdout and "fins de ligne Windows (CRLF)" in check.stdout
    assert f".venv/bin/python scripts/formater.py {rel}" in check.stdout
    fixed = run([PY, "scripts/formater.py", rel], cwd=root)
    assert fixed.returncode == 0 and "mis en forme, corrigé" in fixed.stdout and "CRLF" in fixed.stdout
    assert path.read_bytes() == original
    assert run([PY, "scripts/formater.py", "--check", rel], cwd=root).returncode == 0
    # An old Mac's line breaks (a carriage return alone) were « en-tête absent ou non fermé »: lines as well.
    path.write_bytes(original.replace(b"\n", b"\r"))
    assert run([PY, "scripts/valider.py", rel], cwd=root).returncode == 0
    assert run([PY, "scripts/formater.py", rel], cwd=root).returncode == 0 and path.read_bytes() == original


def test_a_broken_fiche_is_not_formatted_and_the_formatter_says_where(tmp_path):
    root = project(tmp_path)
    path = sorted((root / "fiches/territoires").glob("*.md"))[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\ntype: ", '\ntype: "', 1), encoding="utf-8")
    result = run([PY, "scripts/formater.py", path.relative_to(root).as_posix()], cwd=root)
    assert result.returncode == 2 and "à la ligne 6" in result.stderr and "guillemet" in result.stderr
    assert path.read_text(encoding="utf-8") == text.replace("\ntype: ", '\ntype: "', 1)


def test_spaces_at_the_end_of_a_block_text_s_lines_are_removed_unless_they_break_a_line(tmp_path):
    """Three spaces at the end of a résumé written as a block (« >- ») made the formatter, and the pre-commit hook,
    refuse the fiche without a line or a field, while the validator accepted it (editor QA). The page shows none of
    them: the formatter removes them. Two spaces before a line break inside a text are a forced line break in
    Markdown: removing them would change the page, so it refuses, naming the line and the field."""
    fiche = next(p for p in FICHES if "    resume: >-\n" in p.read_text(encoding="utf-8"))
    text = fiche.read_text(encoding="utf-8")
    debut = text.index("    resume: >-\n") + len("    resume: >-\n")
    fin = debut  # the end of the block's last line (the editor's spaces were there: at the end of the text)
    while text.startswith("      ", fin + 1 if fin > debut else fin):
        fin = text.index("\n", fin + 1 if fin > debut else fin)
    espaces = text[:fin] + "   " + text[fin:]
    assert parse_yaml(espaces.split("---\n")[1], "x")[0] != parse_yaml(text.split("---\n")[1], "x")[0]
    assert formater.format_text(espaces, formater.kind_of(fiche)) == formater.format_text(text, formater.kind_of(fiche))
    # --check and the hook say where (a fresh check found « ordre des clés, décalages ou espaces… », without a line)
    assert formater.raisons(espaces, text) == [f"espaces en fin de ligne, ligne {espaces[:fin].count(chr(10)) + 1}"]
    # a lone carriage return is no Windows line end (attacker QA: « fins de ligne Windows (CRLF) »)
    cr = text[:fin] + "\r" + text[fin + 1:]
    assert formater.raisons(cr, text) == [f"retour chariot seul (CR) ligne {text[:fin].count(chr(10)) + 1}, au lieu "
                                          "d'une fin de ligne simple"]
    ligne = text[:debut].count("\n")  # the « resume: » line, counted from 1
    premiere = text.index("\n", debut)  # two spaces at the end of the block's first line, in a literal block
    litteral = (text[:debut - len(">-\n")] + "|-\n" + text[debut:premiere] + "  \n" + text[premiere + 1:])
    assert parse_yaml(litteral.split("---\n")[1], "x")[2] == []
    with pytest.raises(formater.FormatError) as refus:
        formater.format_text(litteral, formater.kind_of(fiche))
    # the line of the spaces, not of the key, and the field as the validator names it (editor QA: « ligne 9, clé
    # « actions[0].resume » », one line early, where the validator, which says it too now, says « action n° 1 »)
    assert re.search(rf"ligne {ligne + 1}, action n° \d+, clé « resume » : deux espaces en fin de ligne", str(refus.value)), refus.value
    # …at the end of the text, they break nothing: removed (rules QA: refused, the editor had to find them by hand)
    fin_du_texte = text[:debut - len(">-\n")] + "|\n" + text[debut:fin] + "  " + text[fin:]  # (its line break kept)
    assert parse_yaml(fin_du_texte.split("---\n")[1], "x")[0] != parse_yaml(text.split("---\n")[1], "x")[0]
    formater.format_text(fin_du_texte, formater.kind_of(fiche))
    root = project(tmp_path)
    (root / fiche.relative_to(ROOT)).write_text(litteral, encoding="utf-8")
    from guide import load_all
    erreurs = [e for e in load_all(root)[2] if "retour à la ligne forcé" in e.message]
    assert [(e.line, e.field.endswith(".resume")) for e in erreurs] == [(ligne + 1, True)], erreurs


def test_validating_one_fiche_checks_the_sources_it_cites(tmp_path):
    root = project(tmp_path)
    sources = root / "fiches" / "sources.yaml"
    data = yaml.safe_load(sources.read_text(encoding="utf-8"))
    fiche = next(p for p in sorted((root / "fiches/territoires").glob("*.md"))
                 if "publication: avise-2021" in p.read_text(encoding="utf-8"))
    uncited = next(p for p in sorted((root / "fiches/territoires").glob("*.md"))
                   if "avise-2021" not in p.read_text(encoding="utf-8"))
    index = next(i for i, p in enumerate(data["publications"]) if p["id"] == "avise-2021")
    text = sources.read_text(encoding="utf-8")
    broken = text.replace("  - id: avise-2021\n", "  - id: avise-2021\n    url: www.avise.org\n")
    sources.write_text(broken, encoding="utf-8")
    line = broken.splitlines().index("    url: www.avise.org") + 1
    rel = fiche.relative_to(root).as_posix()
    result = run([PY, "scripts/valider.py", rel], cwd=root)
    assert result.returncode == 1, result.stdout
    assert f"fiches/sources.yaml:{line}: publication n° {index + 1}, clé « url » : format incorrect" in result.stdout
    assert "aucune erreur" not in result.stdout
    # A fiche that does not cite it is not blamed for it.
    assert run([PY, "scripts/valider.py", uncited.relative_to(root).as_posix()], cwd=root).returncode == 0
    # A publication removed from sources.yaml, a lever renamed in its champ: checking that file alone names the fiches
    # that still cite them (it answered « ✓ » for a change that broke them: editor QA).
    sources.write_text(text.replace("  - id: avise-2021\n", "  - id: avise-2021-bis\n"), encoding="utf-8")
    result = run([PY, "scripts/valider.py", "fiches/sources.yaml"], cwd=root)
    assert result.returncode == 1 and "Dans d'autres fiches" in result.stdout and f"{rel}:" in result.stdout, result.stdout
    sources.write_text(text, encoding="utf-8")
    champ = root / "fiches" / "champs" / "achats-responsables.md"
    champ.write_text(champ.read_text(encoding="utf-8").replace("  - id: spaser\n", "  - id: spaser-bis\n"), encoding="utf-8")
    result = run([PY, "scripts/valider.py", "fiches/champs/achats-responsables.md"], cwd=root)
    assert result.returncode == 1 and "levier « spaser » inconnu" in result.stdout, result.stdout


# --- the model page and citable sources (issue 17) --------------------------------------------------

def test_the_help_pages_show_dates_as_they_are_typed(site_dir):
    """« 2016-09-24/2016-09-25 » in the model's help was printed « 24 septembre 2016/25 septembre 2016 » (the site
    writes dates in words), on the model page and in CONTRIBUTING's table: a format the validator refuses."""
    from lxml import html as lxml_html
    modele = (ROOT / "fiches/schemas/territoire.schema.yaml").read_text(encoding="utf-8")
    exemples = set(re.findall(r"« (\d{4}-\d{2}-\d{2}(?:/\d{4}-\d{2}-\d{2})?) »", modele))
    contribuer = set(re.findall(r"« (\d{4}-\d{2}-\d{2}(?:/\d{4}-\d{2}-\d{2})?) »",
                                (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")))
    assert "2016-09-24/2016-09-25" in exemples and contribuer
    for page, attendus in (("ressources/modele", exemples), ("ressources/contribuer", contribuer)):
        texte = lxml_html.parse(str(site_dir / page / "index.html")).xpath("//article")[0].text_content()
        manquants = [e for e in attendus if e not in texte]
        assert not manquants, (page, manquants)


def test_the_model_page_describes_each_structure_once(site_dir, guide):
    from lxml import html as lxml_html
    tree = lxml_html.parse(str(site_dir / "ressources" / "modele" / "index.html"))
    article = tree.xpath("//article")[0]
    # French typography puts narrow no-break spaces before « : » and inside « guillemets »: compare words.
    text = " ".join(article.text_content().replace("\u202f", " ").replace("\xa0", " ").split())
    schemas = yaml.safe_load((ROOT / "fiches/schemas/commun.schema.yaml").read_text(encoding="utf-8"))["$defs"]
    for name in ("citation", "mesure"):
        title = schemas[name]["title"]
        assert len(article.xpath(f"//h2[starts-with(normalize-space(.), '{title}')]")) == 1
        # Its own keys are listed once, in its own table; every other use links to it.
        assert text.count(" ".join(schemas[name]["description"].split())) == 1
    links = article.xpath("//td/a[@href='#citation']")
    assert len(links) > 10
    headings = [" ".join(h.text_content().rstrip("#").replace("\u202f", " ").split()) for h in article.xpath("//h2")]
    assert "Publications : fiches/sources.yaml" in headings and "Identifiants des champs d'action" in headings
    for slug, champ in guide.champs.items():
        row = article.xpath(f"//tr[td[1]/code[.='{slug}']]")
        assert row and champ.data["titre"] in row[0].text_content()
    examples = " ".join(article.xpath("//pre//text()"))
    for key in ("annee: 2020", "periode:", "nature: zoom", "coporteurs: [", "../champs/", "type: page-web", "consulte_le:"):
        assert key in examples, key


def test_a_source_url_and_a_web_page_are_shown_and_linked(project_copy, tmp_path):
    sources = project_copy / "fiches" / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    text = text.replace("  - id: avise-2021\n", "  - id: avise-2021\n    url: https://www.avise.org/ressources/territoires-urbains\n")
    text += ("  - id: page-essai\n    type: page-web\n    titre: Une page web d'essai\n    annee: 2025\n"
             "    editeurs: [Éditeur d'essai]\n    url: https://www.example.org/ess\n    consulte_le: \"2025-03-01\"\n"
             "    site: Site d'essai de la ville\n    apport: Un budget d'essai, pour ce test.\n")
    sources.write_text(text, encoding="utf-8")
    fiche = next(p for p in sorted((project_copy / "fiches/territoires").glob("*.md"))
                 if "publication: avise-2021" in p.read_text(encoding="utf-8"))
    body = fiche.read_text(encoding="utf-8")
    assert "\n    sources:\n      - " in body  # the first action's citations
    fiche.write_text(body.replace("\n    sources:\n", "\n    sources:\n      - {publication: page-essai}\n", 1),
                     encoding="utf-8")
    out = tmp_path / "site"
    result = mkdocs_build(project_copy, out)
    assert result.returncode == 0, result.stderr
    page = BeautifulSoup((out / "ressources/sources/index.html").read_text(encoding="utf-8"), "lxml")
    assert page.select_one('a[href="https://www.avise.org/ressources/territoires-urbains"]')
    web = page.find(id=ancre_publication("page-essai")).find_next("p", class_="guide-en-ligne")
    assert web.a["href"] == "https://www.example.org/ess" and "1er mars 2025" in web.get_text()
    section = page.find(id=ancre_publication("page-essai")).find_all_next(string=True, limit=40)
    assert "Site d'essai de la ville" in " ".join(section) and "Un budget d'essai, pour ce test." in " ".join(section)
    territory = BeautifulSoup((out / "territoires" / fiche.stem / "index.html").read_text(encoding="utf-8"), "lxml")
    cited = [a["href"] for a in territory.select(".footnote a")]  # the page's numbered source notes
    assert "https://www.avise.org/ressources/territoires-urbains" in cited and "https://www.example.org/ess" in cited
    # A web page's note reads as a web citation: « title », site, day read, link.
    note = next(li for li in territory.select(".footnote li") if li.find("a", href="https://www.example.org/ess"))
    text = " ".join(note.get_text(" ").split())
    assert "« Une page web d'essai »" in text and "Site d'essai de la ville" in text and "consultée le 1er mars 2025" in text


def test_links_that_would_not_lead_where_the_editor_meant_are_named(tmp_path):
    """Published as live links that lead nowhere (« /etc/passwd », « ../../../.git/config », « //exemple.org »),
    or silently turned into plain text (« ftp: », « webcal: »), or a footnote call shown as « [^absente] ». (A phone
    number or an e-mail address, « tel: » or « mailto: », is refused as any text's: tests/test_validation.py.)"""
    root = project(tmp_path)
    fiche = sorted((root / "fiches/territoires").glob("*.md"))[0]
    liens = ["/etc/passwd", "../../../.git/config", "//exemple.org/x", "ftp://exemple.org/f",
             "webcal://exemple.org/agenda.ics", "https:exemple.org/x", "https://\u0430pple.com/",  # (a Cyrillic « а »)
             # any scheme the sanitiser does not keep, not a list of some (attacker QA: these vanished without a word)
             "data:text/plain,bonjour", "about:blank", "intent://x", "chrome://settings", "urn:isbn:1",
             # an address no parser reads (a bracket never closed): the check stopped with « ValueError »
             "https://[abc"]
    bons = ["https://exemple.org", "#identite-officielle", f"{fiche.name}"]
    texte = " ".join(f"[lien {i}]({cible})" for i, cible in enumerate(liens + bons))
    fiche.write_text(fiche.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{texte} et une note[^absente].\n",
                     encoding="utf-8")
    result = run([PY, "scripts/valider.py", f"fiches/territoires/{fiche.name}"], cwd=root)
    assert result.returncode == 1
    lignes = [l for l in result.stdout.splitlines() if l.startswith(f"fiches/territoires/{fiche.name}:")]
    assert len(lignes) == len(liens) + 1, result.stdout
    for cible in liens:
        assert any(f"« {cible} »" in l for l in lignes), cible
    assert any("[^absente]" in l for l in lignes)


def test_a_link_to_a_fiche_a_letter_off_is_told_the_fiche_meant(tmp_path):
    """« [Grand Poitiers](grand-poitier.md) » was told the page does not exist, with no « grand-poitiers.md » ? (editor
    QA), where a misspelt co-porteur is told the near one."""
    root = project(tmp_path)
    fiche, autre = sorted((root / "fiches/territoires").glob("*.md"))[:2]
    champ = sorted((root / "fiches/champs").glob("*.md"))[0]
    faute, faute_champ = autre.stem[:-1] + ".md", "../champs/" + champ.stem[:-1] + ".md"
    fiche.write_text(fiche.read_text(encoding="utf-8").rstrip("\n") + f"\n\nVoir [l'autre]({faute}), [le champ]({faute_champ}) "
                     "et [rien](zzzz-rien-de-tel.md).\n", encoding="utf-8")
    result = run([PY, "scripts/valider.py", f"fiches/territoires/{fiche.name}"], cwd=root)
    assert f"lien vers « {faute} » : cette page ou ce fichier n'existe pas dans le guide. Vouliez-vous dire « {autre.name} » ?" \
        in result.stdout, result.stdout
    assert f"Vouliez-vous dire « ../champs/{champ.name} » ?" in result.stdout, result.stdout
    (rien,) = [l for l in result.stdout.splitlines() if "zzzz-rien-de-tel" in l]
    assert "Vouliez-vous dire" not in rien


def test_a_broken_link_is_told_in_the_same_run_as_the_fiche_s_other_errors(tmp_path):
    """A link to a fiche that does not exist came only once every other error was fixed: one more correction, one more
    save in the form (editor QA). One run says both; a link to a fiche that has errors of its own is no broken link."""
    root = project(tmp_path)
    fiche, autre = sorted((root / "fiches/territoires").glob("*.md"))[:2]
    texte = fiche.read_text(encoding="utf-8").replace("\ntype: ", "\ntype: inconnu\nancien_type: ", 1)
    fiche.write_text(texte.rstrip("\n") + f"\n\nVoir [la fiche](pas-de-fiche.md) et [l'autre]({autre.name}).\n",
                     encoding="utf-8")
    autre.write_text(autre.read_text(encoding="utf-8").replace("\nregion: ", "\nregion: Atlantide\nancienne: ", 1),
                     encoding="utf-8")
    result = run([PY, "scripts/valider.py", f"fiches/territoires/{fiche.name}"], cwd=root)
    lignes = [l for l in result.stdout.splitlines() if l.startswith(f"fiches/territoires/{fiche.name}:")]
    assert any("« type »" in l or "type" in l and "inconnu" in l for l in lignes), result.stdout
    assert any("pas-de-fiche" in l and "n'existe pas" in l for l in lignes), result.stdout
    assert not any(autre.name in l for l in lignes), result.stdout


def test_a_link_to_an_anchor_no_page_holds_stops_the_build_named(project_copy, tmp_path, guide):
    """« nantes-metropole.md#absente », « ../champs/x.md#nulle-part » and « #pas-ici » were published as links to
    nowhere (editor QA): a fiche's text reaches its page as HTML, which MkDocs' anchor check never reads. The build
    stops on each, at its fiche and line, with the nearest anchor; an anchor the page holds passes, and nothing is
    published."""
    nantes = guide.territoires["nantes-metropole"]
    champ = next(iter(guide.champs))
    bonne = nantes.actions[0].ancre
    fiche = next(p for p in sorted((project_copy / "fiches/territoires").glob("*.md")) if p.stem != nantes.slug)
    texte = fiche.read_text(encoding="utf-8").rstrip("\n")
    ligne = texte.count("\n") + 3
    fiche.write_text(texte + f"\n\nVoir [Nantes](nantes-metropole.md#{bonne}), [une action](nantes-metropole.md#"
                     f"{bonne[:-3]}), [le champ](../champs/{champ}.md#nulle-part) et [ici](#pas-ici).\n", encoding="utf-8")
    out = tmp_path / "site"
    result = mkdocs_build(project_copy, out)
    assert result.returncode != 0 and not out.exists()
    lignes = [l for l in result.stderr.splitlines() if l.startswith(f"fiches/territoires/{fiche.name}:{ligne}: lien vers")]
    assert len(lignes) == 3, result.stderr
    proche, champ_, ici = sorted(lignes, key=lambda l: ("#pas-ici" in l, "champs/" in l))
    assert f"« nantes-metropole.md#{bonne[:-3]} »" in proche and f"ancres proches : « #{bonne} »" in proche
    assert f"« ../champs/{champ}.md#nulle-part » : la page « " in champ_ and "» n'a pas d'ancre « nulle-part »" in champ_
    assert "« #pas-ici » : cette page n'a pas d'ancre « pas-ici »" in ici
    assert "Traceback" not in result.stderr


def test_what_a_page_would_show_otherwise_than_written_is_named(tmp_path):
    """Published as typed, without a word (editor QA): « 1.2 million » and « 45.000 emplois » with their English
    points, « {: onclick=… } » and « {target=_blank} » as text, a paragraph indented after a blank line as code.
    Each is named at its line and field, with what to write; a list's indented paragraph is no code."""
    root = project(tmp_path)
    fiche = sorted((root / "fiches/territoires").glob("*.md"))[0]
    texte = fiche.read_text(encoding="utf-8")
    debut, _, corps = texte.partition("\n---\n")
    cas = {"un territoire de 1.2 million d'habitants": "« 1,2 million »", "45.000 emplois": "« 45 000 »",
           "**gras**{: onclick=\"alert(1)\" }": "attributs", "[lien](https://exemple.org){target=_blank}": "attributs",
           "Premier.\n\n        Deuxième paragraphe trop décalé.": "publié comme du code",
           "Voir [[nantes-metropole]].": "un lien s'écrit [texte](adresse)", "Voir [Nantes][nm].": "ne donne pas",
           "??? note \"Replié\"": "bloc replié"}
    corps = corps.rstrip("\n") + "".join(f"\n\n{c}" for c in cas) + "\n\n- un point\n\n    sa suite, dans le point.\n"
    fiche.write_text(debut + "\n---\n" + corps, encoding="utf-8")
    result = run([PY, "scripts/valider.py", f"fiches/territoires/{fiche.name}"], cwd=root)
    lignes = [l for l in result.stdout.splitlines() if l.startswith(f"fiches/territoires/{fiche.name}:")]
    assert result.returncode == 1 and len(lignes) == 1, result.stdout  # the first of the body, at its line
    numero, cite = int(lignes[0].split(":")[1]), re.search(r"« (.+?) »", lignes[0]).group(1)
    assert cite in (root / "fiches/territoires" / fiche.name).read_text(encoding="utf-8").splitlines()[numero - 1]
    # Each alone, in the first résumé (a field of the header) of a fiche of its own: one run for all
    fiche.write_text(texte, encoding="utf-8")
    resume = re.compile(r"(?m)^(  - titre: [^\n]*\n(?:    [^\n]*\n)*?    resume: ).*?(?=\n    [a-z_]+:)", re.S)
    fiches = [f for f in sorted((root / "fiches/territoires").glob("*.md"))[1:]
              if resume.search(f.read_text(encoding="utf-8"))][:len(cas)]
    for autre, ecrit in zip(fiches, cas):
        bloc = ecrit.replace("\n\n        ", "\n\n          ").replace("\n", "\n      ")
        autre.write_text(resume.sub(lambda m: m.group(1) + ">-\n      " + bloc, autre.read_text(encoding="utf-8"), count=1),
                         encoding="utf-8")
    result = run([PY, "scripts/valider.py", *(f"fiches/territoires/{f.name}" for f in fiches)], cwd=root)
    for autre, attendu in zip(fiches, cas.values()):
        lignes = [l for l in result.stdout.splitlines() if l.startswith(f"fiches/territoires/{autre.name}:")]
        assert len(lignes) == 1 and attendu in lignes[0] and "action n° 1, clé « resume »" in lignes[0], \
            (autre.name, attendu, result.stdout)


@pytest.mark.parametrize("premier, attendu", [
    ("2022. La communauté adopte une stratégie ESS.", "« 2022. »"),
    ("    La communauté agit depuis 2015.", "publié comme du code")])
def test_the_first_paragraph_of_a_body_after_a_blank_line_is_checked(tmp_path, premier, attendu):
    """A body opening, as most do, with the blank line after the front matter: its first paragraph went unchecked,
    and « 2022. » was published « 1. », an indented one as code (editor QA); the later ones were refused."""
    root = project(tmp_path)
    fiche = sorted((root / "fiches/territoires").glob("*.md"))[0]
    debut, _, corps = fiche.read_text(encoding="utf-8").partition("\n---\n")
    fiche.write_text(debut + "\n---\n\n" + premier + "\n\n" + corps.lstrip("\n"), encoding="utf-8")
    ligne = debut.count("\n") + 4
    result = run([PY, "scripts/valider.py", f"fiches/territoires/{fiche.name}"], cwd=root)
    lignes = [l for l in result.stdout.splitlines() if l.startswith(f"fiches/territoires/{fiche.name}:")]
    assert result.returncode == 1 and len(lignes) == 1 and attendu in lignes[0], result.stdout
    assert lignes[0].startswith(f"fiches/territoires/{fiche.name}:{ligne}: "), (ligne, lignes[0])


def test_an_acronym_in_lower_case_is_refused(tmp_path):
    """« sigle: "de" » was accepted, and the first « de » of every page became an abbreviation."""
    root = project(tmp_path)
    sigles = root / "fiches" / "sigles.yaml"
    texte = sigles.read_text(encoding="utf-8")
    premier = re.search(r'sigle: "([^"]+)"', texte).group(1)
    sigles.write_text(texte.replace(f'sigle: "{premier}"', 'sigle: "de"', 1), encoding="utf-8")
    result = run([PY, "scripts/valider.py", "fiches/sigles.yaml"], cwd=root)
    assert result.returncode == 1 and "« de »" in result.stdout and "au moins une capitale" in result.stdout


def test_what_the_model_says_of_markdown_is_what_the_page_shows(project_copy, tmp_path):
    """The model said « Markdown simple accepté » of every text, but a partner's or an intervenant's « **gras** »
    was printed with its stars: a text described as accepting Markdown is formatted, the others are shown as
    written, and bold typed there is refused, said at its field (editor QA: published with its stars)."""
    from lxml import html as lxml_html
    from conftest import mkdocs_build
    fiche = sorted((project_copy / "fiches/territoires").glob("*.md"))[0]
    texte = fiche.read_text(encoding="utf-8")
    entete, corps = texte.split("\n---\n", 1)
    donnees = yaml.safe_load(entete.removeprefix("---\n"))
    action = donnees["actions"][0]
    action["resume"] = "Un résumé en **gras résumé**."
    action["partenaires"] = ["Un partenaire en **gras partenaire**"]
    fiche.write_text("---\n" + yaml.safe_dump(donnees, allow_unicode=True, sort_keys=False) + "---\n" + corps,
                     encoding="utf-8")
    refus = mkdocs_build(project_copy, tmp_path / "site")
    assert refus.returncode != 0 and "« **gras partenaire** » : ce champ s'affiche tel qu'il est écrit" in refus.stderr
    action["partenaires"] = ["Un partenaire en gras"]
    fiche.write_text("---\n" + yaml.safe_dump(donnees, allow_unicode=True, sort_keys=False) + "---\n" + corps,
                     encoding="utf-8")
    assert mkdocs_build(project_copy, tmp_path / "site").returncode == 0
    page = lxml_html.parse(str(tmp_path / "site" / "territoires" / fiche.stem / "index.html")).getroot()
    assert page.xpath("//article//strong[.='gras résumé']")
    assert "Un partenaire en gras" in " ".join(page.xpath("//article")[0].text_content().split())
    # The champ page gives the action's résumé on one line (under its lever, or on paper under « Ce que font les
    # territoires »): read as formatted, not « ** ».
    champ = lxml_html.parse(str(tmp_path / "site" / "champs" / action["champs"][0] / "index.html")).getroot()
    lu = " ".join(champ.xpath("//article")[0].text_content().split())
    assert "Un résumé en gras résumé." in lu and "**" not in lu
    modele = yaml.safe_load((ROOT / "fiches/schemas/territoire.schema.yaml").read_text(encoding="utf-8"))
    proprietes = modele["properties"]["actions"]["items"]["properties"]
    assert proprietes["resume"]["$ref"].endswith("/texte_mis_en_forme")
    assert proprietes["partenaires"]["items"]["$ref"].endswith("/texte")


def test_a_commit_dated_in_the_future_gives_no_update_date(tmp_path):
    """A fiche committed with « GIT_COMMITTER_DATE=2031-01-01 » and merged showed « Dernière mise à jour : 1er janvier
    2031 » (attacker QA), where a future `mis_a_jour` is refused: the date of its last commit dated today at the
    latest."""
    from guide.modele.edition import git_dates
    fiche = tmp_path / "fiches" / "territoires" / "x.md"
    fiche.parent.mkdir(parents=True)
    env = {**os.environ, "GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@b.c", "GIT_COMMITTER_NAME": "a",
           "GIT_COMMITTER_EMAIL": "a@b.c"}
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    for texte, quand in (("a", "2024-05-02T12:00:00"), ("b", "2031-01-01T12:00:00")):
        fiche.write_text(texte, encoding="utf-8")
        subprocess.run(["git", "add", "-A"], cwd=tmp_path, check=True)
        subprocess.run(["git", "commit", "-qm", texte], cwd=tmp_path, check=True,
                       env={**env, "GIT_COMMITTER_DATE": quand, "GIT_AUTHOR_DATE": quand})
    assert git_dates(tmp_path) == {"fiches/territoires/x.md": "2024-05-02"}
