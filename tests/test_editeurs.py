"""The editors' workflow: scaffold, formatter, validator CLI, pre-commit hooks, workflows, edit link,
and a new editor who follows CONTRIBUTING.md alone to add a territory with two actions."""
from __future__ import annotations

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
from guide.load import FRONT_MATTER, parse_yaml  # noqa: E402

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
    for field in ("type", "region", "sources[0].publication", "actions[0].titre", "actions[0].resume"):
        assert f"« {field} »" in empty.stdout, empty.stdout
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
    assert f"fiches/territoires/{path.name}:{line}: champ « region » : valeur « Atlantide » non reconnue" in bad.stdout
    assert "1 erreur" in bad.stdout  # the summary


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
    search = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    assert any(d["location"].startswith(f"territoires/{slug}/") for d in search["docs"])
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
