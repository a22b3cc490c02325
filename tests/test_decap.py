"""The editors' web form (Decap CMS at /admin/): configured from the schemas, built with the site, and used
end to end in Chromium against decap-server (Decap's local backend) on a copy of the project."""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
import time

import json

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import ROOT, mkdocs_build

from guide.sorties import decap  # noqa: E402
from guide.modele import referentiel  # noqa: E402
from guide.modele.validate import schema_documents  # noqa: E402

DECAP_SERVER = ROOT / "node_modules" / ".bin" / "decap-server"
needs_decap = pytest.mark.skipif(not (decap.BUNDLE / "decap-cms.js").is_file() or not DECAP_SERVER.exists(),
                                 reason="npm packages not installed (npm ci)")


def _fields(config, name):
    return {f["name"]: f for f in next(c for c in config["collections"] if c["name"] == name)["fields"]}


def test_form_configuration_follows_the_schemas(guide):
    config = decap.configuration(guide, "https://github.com/rtes/guide-ess")
    assert config["backend"] == {**config["backend"], "name": "github", "repo": "rtes/guide-ess"}
    assert config["publish_mode"] == "editorial_workflow" and config["local_backend"] is True
    assert config["locale"] == "fr"
    documents = schema_documents()
    schema = documents["territoire.schema.yaml"]
    fields = _fields(config, "territoires")
    collection = next(c for c in config["collections"] if c["name"] == "territoires")
    assert collection["folder"] == "fiches/territoires" and collection["extension"] == "md"
    # The reference picker first, then the same keys, same order, same required keys as the schema (plus the body).
    assert list(fields) == ["referentiel"] + list(schema["properties"]) + ["body"]
    assert fields["referentiel"]["widget"] == "referentiel" and not fields["referentiel"]["required"]
    assert {n for n, f in fields.items() if f["required"]} == set(schema["required"])
    # Labels are the schema's French titles (the key's own, or the same key's elsewhere), never the raw key.
    for name in schema["properties"]:
        assert fields[name]["label"] == decap.libelle(name, decap._resolve(schema["properties"][name],
                                                      "territoire.schema.yaml", documents)[0], decap.titres(documents))
        assert fields[name]["label"] != name
    assert fields["code_insee"]["hint"] == " ".join(schema["properties"]["code_insee"]["x-aide-formulaire"].split())
    assert "guillemets" not in fields["code_insee"]["hint"]  # the form writes the quotes itself
    assert [o["value"] for o in fields["type"]["options"]] == schema["properties"]["type"]["enum"]
    assert [o["value"] for o in fields["region"]["options"]] == schema["properties"]["region"]["enum"]
    action = {f["name"]: f for f in fields["actions"]["fields"]}
    assert {n for n, f in action.items() if f["required"]} == set(schema["properties"]["actions"]["items"]["required"])
    assert action["champs"]["widget"] == "select" and action["champs"]["multiple"]
    assert sorted(o["value"] for o in action["champs"]["options"]) == sorted(guide.champs)
    assert [o["value"] for o in action["nature"]["options"]] == schema["properties"]["actions"]["items"]["properties"]["nature"]["enum"]
    citation = {f["name"]: f for f in action["sources"]["fields"]}
    # A publication is chosen among those of fiches/sources.yaml as the repository has them (the « sources »
    # collection, where an editor adds one).
    assert citation["publication"]["widget"] == "relation" and citation["publication"]["collection"] == "sources"
    assert citation["publication"]["required"] and not citation["page"]["required"]
    sources = next(c for c in config["collections"] if c["name"] == "sources")
    assert sources["files"][0]["file"] == "fiches/sources.yaml"
    publication = {f["name"]: f for f in sources["files"][0]["fields"][0]["fields"]}
    assert list(publication) == list(documents["sources.schema.yaml"]["properties"]["publications"]["items"]["properties"])
    # Inside an optional block nothing stops the form from saving; the validator checks the block if present.
    assert not any(f["required"] for f in _fields(config, "territoires")["identite"]["fields"])
    # A new fiche's file name comes from the identifier the form computes (Decap's slug drops apostrophes).
    assert collection["slug"] == "{{_identifiant}}"


def test_the_admin_page_has_its_own_content_security_policy(guide):
    policy = decap.politique("http://127.0.0.1:8081/api/v1", "https://auth.example.org/oauth", "github")
    directives = dict(d.split(" ", 1) for d in policy.split("; "))
    assert directives["script-src"].split() == ["'self'", "'unsafe-eval'"]  # no inline script, Decap's own Ajv
    assert directives["object-src"] == "'none'"
    assert set(directives["connect-src"].split()) == {"'self'", "http://127.0.0.1:8081", "https://api.github.com",
                                                      "https://auth.example.org"}


def test_admin_is_built_with_the_site(site_dir):
    if not (decap.BUNDLE / "decap-cms.js").is_file():
        pytest.skip("decap-cms not installed")
    admin = site_dir / "admin"
    config = yaml.safe_load((admin / "config.yml").read_text(encoding="utf-8"))
    assert config["collections"][0]["format"] == "fiche-territoires"
    page = (admin / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "lxml")
    # No script written in the page (its policy allows only the site's files), the data as JSON.
    scripts = soup.find_all("script")
    assert all(s.get("src") or s.get("type") == "application/json" for s in scripts)
    assert [s["src"] for s in scripts if s.get("src")] == ["manuel.js", "decap-cms.js", "js-yaml.min.js",
                                                           "validation.js", "formulaire.js"]
    assert all((admin / s["src"]).is_file() for s in scripts if s.get("src"))
    csp = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "script-src 'self' 'unsafe-eval';" in csp
    donnees = json.loads(soup.find("script", id="guide-formulaire").string)
    for href in donnees["styles"]:
        assert (admin / href).resolve().is_file()
    assert "../assets/guide.css" in donnees["styles"]
    assert (admin / "decap-cms.js").stat().st_size > 1_000_000
    # The chunks the bundle loads on demand are beside it, and the parts of the `yaml` module.
    assert len(list(admin.glob("*.decap-cms.js"))) == len(list(decap.BUNDLE.glob("*.decap-cms.js")))
    assert (admin / "yaml" / "index.js").is_file()
    # The reference the picker reads: every commune, EPCI, EPT, département and région the build knows.
    lignes = json.loads((admin / "referentiel.json").read_text(encoding="utf-8"))["lignes"]
    assert {l[1] for l in lignes} == set(referentiel.CLES)


def test_without_node_modules_the_build_stops_and_says_which_command_installs_them(project_copy, tmp_path):
    """The npm packages (official reference data, Decap CMS…) come with the set-up command; a copy without
    them is refused with a French message naming it, and nothing is written."""
    (project_copy / "node_modules").unlink()
    out = tmp_path / "out"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
                            cwd=project_copy, capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode != 0
    assert "n'est pas installé" in result.stderr and "./scripts/servir.sh" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (out / "admin").exists() and not (out / "index.html").exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def form(project_copy, tmp_path):
    """A git copy of the project with decap-server running in it, and its site built and served."""
    for part in ("scripts",):
        shutil.copytree(ROOT / part, project_copy / part, ignore=shutil.ignore_patterns("__pycache__"))
    git = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org"]
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=project_copy, check=True)
    (project_copy / ".gitignore").write_text("node_modules\n", encoding="utf-8")
    subprocess.run(git + ["add", "."], cwd=project_copy, check=True)
    subprocess.run(git + ["commit", "-q", "-m", "copie"], cwd=project_copy, check=True)
    port = _free_port()
    server = subprocess.Popen([str(DECAP_SERVER)], cwd=project_copy, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              env={**os.environ, "PORT": str(port), "GIT_REPO_DIRECTORY": str(project_copy)})
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        site = tmp_path / "site"
        os.environ["GUIDE_DECAP_LOCAL"] = f"http://127.0.0.1:{port}/api/v1"
        try:
            result = mkdocs_build(project_copy, site)
        finally:
            del os.environ["GUIDE_DECAP_LOCAL"]
        assert result.returncode == 0, result.stderr
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        yield project_copy, f"http://127.0.0.1:{httpd.server_address[1]}/admin/"
        httpd.shutdown()
    finally:
        server.terminate()
        server.wait(timeout=10)


def _choose(page, label, option, nth=0):
    field = page.get_by_label(label, exact=True).nth(nth)
    field.click()
    field.type(option.split(" (")[0][:12])
    page.get_by_role("option", name=option, exact=True).click()


@needs_decap
def test_a_territory_created_in_the_form_is_valid_formatted_and_built(form, page, guide, tmp_path):
    root, admin = form
    pub = guide.publications["avise-2021"]
    pub_label = f"{pub['edition']} — {pub['titre']} (avise-2021)"
    champ = guide.champs_de("levier")[0]
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(admin)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name="Territoire").first.wait_for()
    page.goto(admin + "#/collections/territoires/new")
    page.get_by_label("nom", exact=True).fill("Saint-Aubin-l'Exemple")
    _choose(page, "type", "Commune")
    _choose(page, "region", "Pays de la Loire")
    page.get_by_role("button", name="Ajouter sources").first.click()
    _choose(page, "publication", pub_label)
    page.get_by_label("page (optionnel)", exact=True).first.fill("12")
    page.get_by_role("button", name="Ajouter actions").click()
    page.get_by_label("titre", exact=True).fill("Appel à projets pour l'ESS")
    _choose(page, "champs", f"{champ.data['titre']} ({champ.slug})")
    page.get_by_label("resume", exact=True).fill(
        "La commune lance chaque année un appel à projets doté de 50 000 euros pour les associations et "
        "coopératives de son territoire, avec un jury où siègent les acteurs de l'ESS.")
    page.get_by_label("annee (optionnel)", exact=True).last.fill("2020")
    _choose(page, "nature (optionnel)", "Exemple")
    page.get_by_role("button", name="Ajouter sources").last.click()
    _choose(page, "publication", pub_label, nth=1)
    page.get_by_label("page (optionnel)", exact=True).last.fill("12")
    # The preview shows the fiche with the guide's stylesheets.
    preview = page.frame_locator("iframe").first
    assert preview.locator("h1").inner_text() == "Saint-Aubin-l'Exemple"
    page.get_by_role("button", name="Publier").first.click()
    page.get_by_text("Publier maintenant").click()
    page.get_by_text("Entrée enregistrée").wait_for()
    created = sorted((root / "fiches" / "territoires").glob("saint-aubin*.md"))
    assert len(created) == 1, created
    fiche = created[0]
    text = fiche.read_text(encoding="utf-8")
    assert "page: 12\n" in text and "actions:\n  - titre: Appel à projets pour l'ESS\n" in text
    rel = fiche.relative_to(root).as_posix()
    valid = subprocess.run([sys.executable, "scripts/valider.py", rel], cwd=root, capture_output=True, text=True)
    assert valid.returncode == 0, valid.stdout
    check = subprocess.run([sys.executable, "scripts/formater.py", "--check", rel], cwd=root,
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr  # written like a fiche formatted by hand
    out = tmp_path / "rebuilt"
    result = mkdocs_build(root, out)
    assert result.returncode == 0, result.stderr
    assert (out / "territoires" / fiche.stem / "index.html").is_file()
    assert not errors


def test_the_form_rewrites_no_data_of_any_fiche_and_writes_as_the_formatter(page, served):
    """Every fiche of the guide read then written by the form's writer (as when an editor opens and saves it):
    the same data and text, and a layout the format check accepts."""
    if not (decap.YAML_JS).is_file():
        pytest.skip("js-yaml not installed")
    sys.path.insert(0, str(ROOT / "scripts"))
    import formater
    from guide.modele.load import FRONT_MATTER, parse_yaml

    page.goto(f"{served}/admin/")
    page.wait_for_function("window.CMS && CMS.getCustomFormatsFormatters")
    for path in formater.all_fiches():
        text = path.read_text(encoding="utf-8")
        written = page.evaluate("""([text, kind]) => {
            const all = CMS.getCustomFormatsFormatters();
            const format = all.get ? all.get("fiche-" + kind) : all["fiche-" + kind];
            return format.toFile(format.fromFile(text));
        }""", [text, path.parent.name])
        before, after = FRONT_MATTER.match(text), FRONT_MATTER.match(written)
        assert parse_yaml(after.group(1), "x")[0] == parse_yaml(before.group(1), "x")[0], path.name
        assert written[after.end():].strip() == text[before.end():].strip(), path.name
        assert formater.format_text(written, path.parent.name) == written, path.name
