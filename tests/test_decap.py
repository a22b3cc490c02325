"""The editors' web form (Decap CMS at /admin/): configured from the schemas, built with the site, and used
end to end in Chromium against decap-server (Decap's local backend) on a copy of the project."""
from __future__ import annotations

import datetime
import os
import re
import shutil
import socket
import subprocess
import sys
import time

import json

import psutil
import pytest
import yaml
from bs4 import BeautifulSoup
from playwright.sync_api import expect

from conftest import ROOT, mkdocs_build, serving

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
    # Decap counts one item with the singular: « 1 actions » (editor QA); a label in the singular has none to give
    assert fields["actions"]["label_singular"] == fields["actions"]["label"].rstrip("s")
    assert "label_singular" not in fields["panorama"] and fields["contacts"]["label_singular"] == "Contact"
    assert fields["alias"]["widget"] == "list" and fields["alias"]["label_singular"] == "Autre nom"  # (a list of texts)
    assert fields["code_insee"]["hint"] == " ".join(schema["properties"]["code_insee"]["x-aide-formulaire"].split())
    assert "guillemets" not in fields["code_insee"]["hint"]  # the form writes the quotes itself
    # every type, « Commune » before « Communauté de communes », which holds it: Enter takes the first option holding
    # what is typed (editor QA: « Commune », Enter, chose « Communauté de communes »)
    types = [o["value"] for o in fields["type"]["options"]]
    assert sorted(types) == sorted(schema["properties"]["type"]["enum"])
    assert types.index("commune") < types.index("communaute-de-communes")
    assert [o["value"] for o in fields["region"]["options"]] == schema["properties"]["region"]["enum"]
    action = {f["name"]: f for f in fields["actions"]["fields"]}
    assert {n for n, f in action.items() if f["required"]} == set(schema["properties"]["actions"]["items"]["required"])
    assert action["champs"]["widget"] == "select" and action["champs"]["multiple"]
    assert sorted(o["value"] for o in action["champs"]["options"]) == sorted(guide.champs)
    # Levers chosen from a list of every lever, by champ (a text box asked for an identifier by heart, editor QA)
    assert action["leviers"]["widget"] == "select" and action["leviers"]["multiple"]
    assert sorted(o["value"] for o in action["leviers"]["options"]) == sorted(guide.leviers)
    # …and only there: a champ fiche's own levers are objects (title, text, sources), its 2019 edition's are texts
    champ = _fields(config, "champs")
    assert champ["leviers"]["widget"] == "list" and [f["name"] for f in champ["leviers"]["fields"]][:3] == ["id", "titre", "texte"]
    edition = {f["name"]: f for f in champ["edition_2019"]["fields"]}
    assert edition["leviers"]["widget"] == "list" and edition["leviers"]["field"]["widget"] == "string"
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
    # A folded list item is named by a field that reads as text (a panorama's was its sources, shown as raw JSON).
    def resumes(fields):
        for f in fields:
            if "summary" in f:
                # Never empty: Decap names an item whose summary is empty « No <key> », in English (editor QA).
                libelle, nom = re.fullmatch(r"(.+) : \{\{fields\.(\w+)\}\}", f["summary"]).groups()
                assert libelle == next(x["label"] for x in f["fields"] if x["name"] == nom), f["summary"]
                yield f["name"], next(x["widget"] for x in f["fields"] if x["name"] == nom)
            yield from resumes(f.get("fields", []) + ([f["field"]] if "field" in f else []))
    assert {w for c in config["collections"] for _, w in resumes(c.get("fields", []))} <= {"string", "text", "select",
                                                                                          "relation"}
    # Every field of every collection is labelled in French, never by its raw key (« apport », « site » were).
    def raw(fields):
        for f in fields:
            if f["label"] == f["name"] and f["name"] != "body":
                yield f["name"]
            yield from raw(f.get("fields", []) + ([f["field"]] if "field" in f else []))
    assert not [n for c in config["collections"]
                for n in raw(c.get("fields", []) + [x for fl in c.get("files", []) for x in fl["fields"]])]
    # A format's message ends without a full stop: Decap adds one (« …(AAAA-MM-JJ).. »).
    def motifs(fields):
        for f in fields:
            if "pattern" in f:
                yield f["pattern"][1]
            yield from motifs(f.get("fields", []) + ([f["field"]] if "field" in f else []))
    messages = [m for c in config["collections"] for m in motifs(c.get("fields", []))]
    assert messages and not [m for m in messages if m.endswith(".")], messages
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


def test_a_fiche_shown_in_the_admin_preview_cannot_cover_the_page(page, served):
    """A fiche's text in Decap's preview (its Markdown as HTML, in a frame of the admin page) kept its style
    attributes: « <a style="position:fixed;…">Session expirée</a> » covered the preview, a phishing overlay for the
    editor who opens the fiche. The admin page's policy refuses style attributes written in markup, in the page and
    in the frames it makes, as Decap's preview is made; the form itself still draws (its styles are elements)."""
    page.goto(f"{served}/admin/")
    page.wait_for_function("window.GuideFormulaire", timeout=120_000)  # a loaded machine: 3 MB of Decap
    piege = '<a id="piege" href="#" style="position:fixed;top:0;left:0;width:100%;height:100%">Session expirée</a>'
    positions = page.evaluate("""(piege) => {
        const ici = document.createElement("div");
        ici.innerHTML = piege;
        document.body.append(ici);
        const cadre = document.createElement("iframe");  // as react-frame-component, Decap's preview
        cadre.srcdoc = "<!doctype html><body></body>";
        document.body.append(cadre);
        return new Promise(fin => cadre.addEventListener("load", () => {
            cadre.contentDocument.body.innerHTML = piege;
            fin([getComputedStyle(ici.firstChild).position,
                 getComputedStyle(cadre.contentDocument.getElementById("piege")).position]);
        }));
    }""", piege)
    assert positions == ["static", "static"], positions
    expect(page.get_by_role("button", name="Se connecter")).to_be_visible()  # Decap still draws its page


def test_a_fiche_s_html_is_shown_as_text_in_the_form_s_preview(form, page):
    """A <style> in a fiche's free text, opened in the form, made Decap's whole preview pane a link « Session
    expirée » to another site (attacker QA): its sanitiser keeps style elements. The preview shows the text typed."""
    root, admin = form
    fiche = sorted((root / "fiches" / "territoires").glob("*.md"))[0]
    piege = ("<style>.piege{position:fixed;top:0;left:0;width:100%;height:100%;background:#fff}</style>\n\n"
             '<a class="piege" href="https://evil.example/login">Session expirée</a>\n')
    fiche.write_text(fiche.read_text(encoding="utf-8") + "\nTexte libre.\n\n" + piege, encoding="utf-8")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(admin)
    page.get_by_role("button", name="Se connecter").click()
    page.goto(admin + f"#/collections/territoires/entries/{fiche.stem}")
    preview = page.frame_locator("iframe").first
    expect(preview.get_by_text("Texte libre.")).to_be_visible(timeout=60_000)
    assert preview.locator("a.piege, a[href*='evil.example']").count() == 0
    assert "piege" not in " ".join(preview.locator("style").all_inner_texts())
    expect(preview.get_by_text("Session expirée", exact=False)).to_be_visible()  # as text


def test_a_date_in_the_wrong_format_is_told_in_the_form_s_words_once(form, page):
    """« 03/2021 » in a chronology's date was told « Le champ Date ne correspond pas au schéma: Date en chiffres… »
    above the field, and the same words again as its help below (editor QA)."""
    root, admin = form
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(admin)
    page.get_by_role("button", name="Se connecter").click()
    page.goto(admin + "#/collections/territoires/new")
    page.get_by_role("button", name="Ajouter chronologie").click()
    page.get_by_label("Date", exact=True).fill("03/2021")
    _publish(page)
    message = page.get_by_text("Date : format incorrect : écrivez-le comme le dit l'aide sous le champ.", exact=True)
    expect(message).to_be_visible(timeout=30_000)
    assert page.get_by_text("ne correspond pas au schéma").count() == 0
    # …and the list of the form's faults names the field once (« Date : Date : » in CI)
    faute = page.locator("#guide-erreurs li", has_text="format incorrect")
    expect(faute).to_have_text(re.compile(r"^Date : format incorrect : "), timeout=10_000)
    assert not [t for t in page.locator("#guide-erreurs li").all_inner_texts() if re.search(r"(\w+) : \1 :", t)]
    aide = " ".join(yaml.safe_load((ROOT / "fiches/schemas/territoire.schema.yaml").read_text(encoding="utf-8"))
                    ["properties"]["chronologie"]["items"]["properties"]["date"]["description"].split())
    assert page.get_by_text(aide[:40]).count() == 1  # the help, once


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
    # Only territories of the schema's regions: the reference's overseas collectivités (Polynésie française,
    # Nouvelle-Calédonie…) would fill a fiche the validator refuses (editor QA). A groupement across two regions
    # has none, which the editor gives.
    regions = set(schema_documents()["territoire.schema.yaml"]["properties"]["region"]["enum"])
    assert {l[2] for l in lignes} == regions | {""}
    assert {l[0] for l in lignes if l[1] == "region"} == regions
    assert all(l[3] == "siren" for l in lignes if not l[2])


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


@pytest.fixture
def form(project_copy, tmp_path):
    """A git copy of the project with decap-server running in it, and its site built and served."""
    for part in ("scripts",):
        shutil.copytree(ROOT / part, project_copy / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / ".env", project_copy / ".env")  # decap-server's settings, as in a clone
    git = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org"]
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=project_copy, check=True)
    (project_copy / ".gitignore").write_text("node_modules\n", encoding="utf-8")
    subprocess.run(git + ["add", "."], cwd=project_copy, check=True)
    subprocess.run(git + ["commit", "-q", "-m", "copie"], cwd=project_copy, check=True)
    port = _free_port()
    # Its log in a file: a pipe nobody reads would stop the server once full.
    log = (tmp_path / "decap-server.log").open("w", encoding="utf-8")
    server = subprocess.Popen([str(DECAP_SERVER)], cwd=project_copy, stdout=log, stderr=subprocess.STDOUT,
                              env={**os.environ, "PORT": str(port), "GIT_REPO_DIRECTORY": str(project_copy)})
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        # Started in the repository as CONTRIBUTING says (its `.env`): on this computer only. It writes any file of
        # the repository without a password; on the network's address, anyone on the same network could.
        ecoute = [c.laddr for c in psutil.Process(server.pid).net_connections(kind="inet")
                  if c.status == psutil.CONN_LISTEN]
        assert ecoute and all(a.ip == "127.0.0.1" for a in ecoute), ecoute
        site = tmp_path / "site"
        os.environ["GUIDE_DECAP_LOCAL"] = f"http://127.0.0.1:{port}/api/v1"
        try:
            result = mkdocs_build(project_copy, site)
        finally:
            del os.environ["GUIDE_DECAP_LOCAL"]
        assert result.returncode == 0, result.stderr
        with serving(site) as base:
            yield project_copy, base + "/admin/"
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def _choose(page, label, option, nth=0):
    field = page.get_by_label(label, exact=True).nth(nth)
    field.click()
    field.type(option.split(" (")[0][:12])
    page.get_by_role("option", name=option, exact=True).click()


def _publish(page):
    page.get_by_role("button", name="Publier").first.click()
    page.get_by_text("Publier maintenant").click()


def _scripts():
    sys.path.insert(0, str(ROOT / "scripts"))
    import formater
    import nouvelle_fiche
    return formater, nouvelle_fiche


@needs_decap
def test_the_form_creates_refuses_and_edits_fiches_as_the_build_checks_them(form, page, guide, tmp_path):
    """An editor's round trip in Chromium with decap-server: a commune chosen in the official reference, a save
    the build would refuse (blocked, French message, nothing written), the fiche completed and saved (valid,
    formatted, built, its apostrophe a hyphen in its file name), then one field of another fiche edited: one
    line of the file changes."""
    root, admin = form
    formater, nouvelle_fiche = _scripts()
    ref = guide.referentiel
    taken = {t.data.get("code_insee") for t in guide.territoires.values()}
    # The most populous commune with an apostrophe in its name that the guide does not have yet.
    code, commune = min(((c, e) for c, e in ref.communes.items() if "'" in e["nom"] and c not in taken),
                        key=lambda ce: (-(ce[1].get("population") or 0), ce[0]))
    region = ref.regions[commune["region"]]["nom"]
    slug = nouvelle_fiche.derive_slug(commune["nom"])
    assert "-" in slug and "'" not in slug
    pub_id, pub = next(iter(guide.publications.items()))
    champ = guide.champs_de("levier")[0]
    errors = []
    page.set_viewport_size({"width": 1366, "height": 900})
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(admin)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name="Territoire").first.wait_for()
    # No media library: uploads are blocked by the page's policy, and no image is published (« Failed to persist
    # media » in English: editor QA)
    expect(page.locator("header").get_by_role("button", name=re.compile(r"^\s*m[ée]dias?\s*$", re.I))).to_have_count(0)
    page.goto(admin + "#/collections/territoires/new")

    # The picker lists the name typed first: « Rennes » came thirteenth, after La Réunion and several Varennes.
    for nom in ("Rennes", "Lorient"):
        page.get_by_role("searchbox").fill(nom)
        premier = page.get_by_role("button", name=re.compile(rf"^{nom} — ")).first
        premier.wait_for()
        boutons = page.locator("button").filter(has_text=" — ").all_inner_texts()
        assert boutons and boutons[0].startswith(f"{nom} — "), (nom, boutons[:5])
    # A name the reference does not hold says what to do (it showed nothing: editor QA).
    page.get_by_role("searchbox").fill("Pays de Test")
    expect(page.locator("p[role=status]")).to_contain_text("Aucun territoire de ce nom")
    expect(page.locator("p[role=status]")).to_contain_text("« Sans code officiel : pourquoi »")
    # A territory the guide has opens its fiche, filled (it stayed empty, marked « Publiée », editor QA).
    page.get_by_role("searchbox").fill("Nantes")
    expect(page.locator("p[role=status]")).to_have_text("")
    page.get_by_role("button", name=re.compile(r"^Nantes Métropole — .*ouvrir sa fiche")).first.click()
    expect(page.get_by_label("Nom officiel", exact=True)).to_have_value("Nantes Métropole", timeout=60_000)
    assert page.url.endswith("#/collections/territoires/entries/nantes-metropole")
    page.goto(admin + "#/collections/territoires/new")
    page.get_by_role("searchbox").fill(commune["nom"])
    page.get_by_role("button", name=f"{commune['nom']} — commune").first.click()
    assert page.get_by_label("Nom officiel", exact=True).input_value() == commune["nom"]
    assert page.get_by_label("Code INSEE (optionnel)", exact=True).input_value() == code
    preview = page.frame_locator("iframe").first
    assert preview.locator("h1").inner_text() == commune["nom"]
    assert preview.get_by_text(f"Commune · {region}").is_visible()
    # …with the guide's own styles (Material's fonts), under the admin page's policy.
    expect(preview.locator("h1")).to_have_css("font-family", re.compile(r"sans-serif"))

    # Saved without any source: the schema refuses it, so does the form, in French; nothing is written.
    _publish(page)
    alert = page.locator("#guide-erreurs")
    alert.wait_for()
    assert "Sources : à remplir (obligatoire)." in alert.inner_text()
    page.screenshot(path=str(tmp_path / "refus-1366.png"))
    assert not list((root / "fiches" / "territoires").glob(f"{slug}*.md"))
    assert preview.locator("h1").inner_text() == commune["nom"]  # the preview is still there
    page.get_by_role("button", name="Fermer").click()
    errors.clear()  # Decap reports the refused save as an unhandled rejection of its own

    page.get_by_role("button", name="Ajouter source").first.click()
    _choose(page, "Publication", pub["titre"])
    page.get_by_label("Page (optionnel)", exact=True).first.fill("12")
    page.get_by_role("button", name="Ajouter action").click()
    page.get_by_label("Titre", exact=True).fill("Appel à projets pour l'ESS")
    _choose(page, "Champs d'action", f"{champ.data['titre']} ({champ.slug})")
    page.get_by_label("Résumé", exact=True).fill(
        "La commune lance chaque année un appel à projets pour les associations et coopératives de son territoire.")
    page.get_by_role("button", name="Ajouter source").last.click()
    _choose(page, "Publication", pub["titre"], nth=1)
    page.get_by_label("Page (optionnel)", exact=True).last.fill("12")
    # The preview names the champ and the publication, not their identifiers.
    assert champ.data["titre"] in preview.locator("article").inner_text()
    assert f"Source : {pub['titre']}, p. 12" in preview.locator("article").inner_text()
    page.screenshot(path=str(tmp_path / "nouvelle-fiche-1366.png"))
    _publish(page)
    try:
        page.get_by_text("Entrée enregistrée").wait_for()
    except Exception:
        raise AssertionError(page.locator("#guide-erreurs").inner_text()) from None
    fiche = root / "fiches" / "territoires" / f"{slug}.md"
    assert fiche.is_file(), sorted(p.name for p in fiche.parent.glob("*.md"))[:5]
    text = fiche.read_text(encoding="utf-8")
    assert f"code_insee: '{code}'\n" in text and "page: 12\n" in text and f"publication: {pub_id}" in text
    assert "referentiel" not in text and "_identifiant" not in text and "_texte_lu" not in text
    rel = fiche.relative_to(root).as_posix()
    valid = subprocess.run([sys.executable, "scripts/valider.py", rel], cwd=root, capture_output=True, text=True)
    assert valid.returncode == 0, valid.stdout
    check = subprocess.run([sys.executable, "scripts/formater.py", "--check", rel], cwd=root,
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert not errors

    # One field of a fiche written by hand (folded paragraphs, quotes, citations on one line): one line changes.
    edited = next(p for p in sorted((root / "fiches" / "territoires").glob("*.md"))
                  if "\nmis_a_jour:" in p.read_text(encoding="utf-8") and p != fiche)
    old_date = re.search(r"^mis_a_jour: ['\"]?(\d{4}-\d{2}-\d{2})", edited.read_text(encoding="utf-8"), re.M).group(1)
    # The day before: the day after may be tomorrow, which the form refuses (a fiche updated today, as any may be).
    new_date = (datetime.date.fromisoformat(old_date) - datetime.timedelta(days=1)).isoformat()
    page.get_by_text("Entrée enregistrée").wait_for(state="detached")  # the toast of the first save
    page.goto(admin + "#/collections/territoires")  # (from one entry straight to another, Decap keeps the first)
    page.get_by_role("link", name="Territoire").first.wait_for()
    page.goto(admin + f"#/collections/territoires/entries/{edited.stem}")
    expect(page.get_by_label("Nom officiel", exact=True)).to_have_value(guide.territoires[edited.stem].data["nom"])
    # A date in words breaks the field's own rule, which stops Decap before the form's checks: said in the form's
    # frame, nothing written (editor QA: « Publier maintenant » did nothing visible, the error out of view).
    page.get_by_label("Mise à jour (optionnel)", exact=True).fill("7 décembre 2026")
    _publish(page)
    alert = page.locator("#guide-erreurs")
    expect(alert).to_be_visible()
    assert "Mise à jour" in alert.inner_text() and "Rien n'est enregistré" in alert.inner_text(), alert.inner_text()
    assert subprocess.run(["git", "diff", "--numstat"], cwd=root, capture_output=True, text=True).stdout.strip() == ""
    page.get_by_role("button", name="Fermer").click()
    errors.clear()
    # (the field's text selected and typed over: fill() on a field Decap has marked in error added to its text)
    date = page.get_by_label("Mise à jour (optionnel)", exact=True)
    date.click()
    date.press("Control+a")
    date.press_sequentially(new_date)
    expect(date).to_have_value(new_date)
    _publish(page)
    try:
        page.get_by_text("Entrée enregistrée").wait_for()
    except Exception:
        raise AssertionError(page.locator("#guide-erreurs").inner_text()) from None
    diff = subprocess.run(["git", "diff", "--numstat"], cwd=root, capture_output=True, text=True).stdout.split("\n")
    assert [d for d in diff if d] == [f"1\t1\t{edited.relative_to(root).as_posix()}"]
    assert f"mis_a_jour: '{new_date}'" in edited.read_text(encoding="utf-8") or \
        f'mis_a_jour: "{new_date}"' in edited.read_text(encoding="utf-8")

    out = tmp_path / "rebuilt"
    result = mkdocs_build(root, out)
    assert result.returncode == 0, result.stderr
    assert (out / "territoires" / slug / "index.html").is_file()
    assert not errors


def test_the_form_names_a_new_fiche_as_nouvelle_fiche_does(page, served):
    """The file name of a fiche created in the form is derived from its name as scripts/nouvelle_fiche.py derives
    it (Decap's own slug drops the apostrophe: Decap#7147); checked on names hypothesis writes."""
    from hypothesis import given, settings, HealthCheck, strategies as st
    _, nouvelle_fiche = _scripts()
    page.goto(f"{served}/admin/")
    page.wait_for_function("window.GuideFormulaire", timeout=120_000)  # a loaded machine: 3 MB of Decap
    lettres = st.sampled_from(list("aàâäbcçdeéèêëfghiîïjklmnoôöpqrstuùûüvwxyzœæAÉÈÎÔŒÆ '’ʼ-.0123456789"))
    noms = st.one_of(st.text(lettres, max_size=40),
                     st.builds(lambda a, b: f"{a} {b}", st.sampled_from(["St", "Ste", "St.", "ST", "Saint"]),
                               st.text(lettres, max_size=20)))

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(noms, min_size=1, max_size=20))
    def check(batch):
        assert page.evaluate("n => n.map(GuideFormulaire.slugDe)", batch) == [nouvelle_fiche.derive_slug(n) for n in batch]

    check()


def test_the_form_speaks_french_everywhere_decap_speaks(page, served):
    """Decap's French left phrases in English, which the form showed (« Strikethrough », « Account options dropdown »:
    editor QA): every phrase of the loaded Decap's English has a French one, and Decap's own French is kept."""
    page.goto(f"{served}/admin/")
    page.wait_for_function("window.GuideFormulaire", timeout=120_000)  # a loaded machine: 3 MB of Decap
    manquantes, en, fr = page.evaluate("""() => {
        const en = CMS.getLocale("en"), fr = CMS.getLocale("fr"), out = [];
        (function parcourir(a, b, chemin) {
          for (const cle of Object.keys(a)) {
            const ici = chemin ? chemin + "." + cle : cle;
            if (a[cle] && typeof a[cle] === "object") parcourir(a[cle], (b || {})[cle], ici);
            else if (!b || typeof b[cle] !== "string" || !b[cle].trim()) out.push(ici);
          }
        })(en, fr, "");
        return [out, en.editor.editorWidgets.markdown.strikethrough, fr.app.header.content];
    }""")
    assert en == "Strikethrough" and manquantes == [], manquantes
    assert fr == "Contenus"  # (Decap's own French, kept)


def test_the_form_reads_figures_as_a_french_editor_types_them(page, served, guide):
    """Decap's number box read « 45.000 » as 45 and « 45,5 » as 455 without a word, and showed empty an address (a
    value the model allows as text): figures are typed as text and read by the form's own rules, on the real
    admin page, before anything is written. What it writes is what the validator accepts."""
    config = decap.configuration(guide)

    def widgets(fields):
        for f in fields:
            yield f["name"], f["widget"]
            yield from widgets(f.get("fields", []) + ([f["field"]] if "field" in f else []))
    assert "number" not in {w for c in config["collections"] for _, w in widgets(c.get("fields", []))}
    page.goto(f"{served}/admin/")
    page.wait_for_function("window.GuideFormulaire", timeout=120_000)  # a loaded machine: 3 MB of Decap
    text = (ROOT / "fiches" / "territoires" / "rennes-metropole.md").read_text(encoding="utf-8")
    assert "valeur: Rennes Métropole, CS 93111" in text and "unite: habitants" in text
    script = """([text, population, page]) => {
        const all = CMS.getCustomFormatsFormatters();
        const format = all.get ? all.get("fiche-territoires") : all["fiche-territoires"];
        const data = format.fromFile(text);
        data.identite.population[0].valeur = population;
        if (page !== null) data.sources[0].page = page;
        const erreurs = GuideFormulaire.erreursAvantEnregistrement("territoires", data, false, "rennes-metropole");
        return {erreurs, texte: erreurs.length ? null : format.toFile(data)};
    }"""
    from guide.modele.load import FRONT_MATTER, parse_yaml

    def essai(population, page_=None):
        out = page.evaluate(script, [text, population, page_])
        if out["texte"] is not None:
            data, _, refus = parse_yaml(FRONT_MATTER.match(out["texte"]).group(1), "x")
            assert refus == [], (population, refus)  # what the form writes, the build reads as it was meant
            out["population"] = data["identite"]["population"][0]["valeur"]
            out["adresse"] = data["identite"]["adresse"][0]["valeur"]
        return out

    for tape, lu in (("45 000", 45000), ("45\u202f000", 45000), ("45000", 45000), ("45,5", 45.5), ("12.5", 12.5),
                     ("0.045", 0.045), ("0,045", 0.045),
                     # a decimal that reads as thousands, with the zero that tells it apart (written « 21.785 », the
                     # build refused the fiche the form saved; editor QA)
                     ("21,7850", 21.785), ("21.7850", 21.785), ("999,1230", 999.123)):
        out = essai(tape)
        assert out["erreurs"] == [] and out["population"] == lu, (tape, out)
        assert out["adresse"].startswith("Rennes Métropole, CS 93111")  # a text value stays as written
    assert essai("près de 500 000")["population"] == "près de 500 000"
    for tape, attendu in (("45.000", "Tapez 45000"), ("1.500.000", "ces points séparent les milliers ; tapez 1500000"),
                          # read as 45, it published 45 jobs (editor QA)
                          ("45,000", "Tapez 45 000 s'il s'agit de milliers, 45 pour un nombre décimal"),
                          # its decimal reading typed as the message says is not asked again (editor QA: it was)
                          ("21,785", "Tapez 21 785 s'il s'agit de milliers, 21,7850 pour un nombre décimal"),
                          ("21.785", "s'il sépare les milliers, 21,7850 pour un nombre décimal"),
                          ("1,500,000", "ces virgules séparent les milliers ; tapez 1500000"),
                          ("45000 habitants", "l'unité va dans le champ « Unité »")):
        (erreur,) = essai(tape)["erreurs"]
        assert erreur.startswith("Carte d'identité") and f"« {tape} »" in erreur and attendu in erreur, erreur
    (erreur,) = essai("45000", "p. 14")["erreurs"]
    assert "écrit lui-même « p. »" in erreur and "tapez 14" in erreur, erreur
    # A range in quotes, as the help for files writes it (the form kept them: « p. "14-15" », editor QA).
    for tape in ('"14-15"', "« 14-15 »", "“14-15”", "14-15”", "“14-15"):
        (erreur,) = essai("45000", tape)["erreurs"]
        assert "tapez 14-15 sans guillemets" in erreur, erreur
    assert essai("45000", "14-15")["erreurs"] == []
    for tape, seule in (("58-", "58"), ("-63", "63"), ("58 et", "58")):  # published « p. 58- » (editor QA)
        (erreur,) = essai("45000", tape)["erreurs"]
        assert "cette plage de pages est ouverte" in erreur and f"tapez la page seule ({seule})" in erreur, erreur
    # …and a page no reader can open, as the build refuses it (attacker QA: printed as typed)
    for tape, attendu in (("63-58", "à l'envers ; tapez-la de la première à la dernière (58-63)"),
                          ("58-63-70", "deux bornes ; tapez la première et la dernière (58-70)"),
                          ("0", "pas de page 0"), ("１４", "pas ceux du clavier français"),
                          ("12-99999", "aucune publication n'a tant de pages")):
        (erreur,) = essai("45000", tape)["erreurs"]
        assert attendu in erreur, (tape, erreur)
    # Every fault at once, a figure's own message alone for its field (editor QA: a page « p.58 », then, one save
    # later, a lever of another champ)
    script_levier = script.replace("if (page !== null)", "data.actions[0].leviers = ['lieux-mutualises']; if (page !== null)")
    erreurs = page.evaluate(script_levier, [text, "45.000", "p.58"])["erreurs"]
    assert len(erreurs) == 3, erreurs
    for attendu in ("Carte d'identité", "Tapez 45000"), ("Sources n° 1 › Page", "tapez 58"), ("Leviers", "« Lieux mutualisés » n'est pas un levier"):
        assert sum(all(a in e for a in attendu) for e in erreurs) == 1, (attendu, erreurs)


def test_the_form_makes_the_checks_of_the_build_before_it_writes(page, served, guide):
    """What the form saved and the pull request's checks then refused (a citation without page or section, a date
    that is not in the calendar or a period backwards, a lever of another champ, a reserved address), refused by the
    real admin page in French, before anything is written; the invisible characters a paste brings (which the build
    refuses, and no one can see to remove) are taken out of what is written. Each written fiche passes the
    validator's load."""
    page.goto(f"{served}/admin/")
    page.wait_for_function("window.GuideFormulaire", timeout=120_000)  # a loaded machine: 3 MB of Decap
    text = (ROOT / "fiches" / "territoires" / "rennes-metropole.md").read_text(encoding="utf-8")
    terr = guide.territoires["rennes-metropole"]
    autre = next(l.id for l in guide.leviers.values() if l.champ.slug not in terr.actions[0].data["champs"])
    script = """([text, change, nouvelle, slug]) => {
        const all = CMS.getCustomFormatsFormatters();
        const format = all.get ? all.get("fiche-territoires") : all["fiche-territoires"];
        const data = format.fromFile(text);
        new Function("data", change)(data);
        const erreurs = GuideFormulaire.erreursAvantEnregistrement("territoires", data, nouvelle, slug);
        return {erreurs, texte: erreurs.length ? null : format.toFile(data)};
    }"""

    def essai(change, nouvelle=False, slug="rennes-metropole"):
        return page.evaluate(script, [text, change, nouvelle, slug])

    assert essai("")["erreurs"] == []
    for change, attendu in (
            ("data.sources[0] = {publication: data.sources[0].publication}", "Sources n° 1 : citation sans page ni section"),
            ("data.mis_a_jour = '2026-02-30'", "Mise à jour : la date « 2026-02-30 » n'existe pas"),
            ("data.mis_a_jour = '2031-01-01'", "Mise à jour : la date de mise à jour « 2031-01-01 » est à venir"),
            ("data.chronologie[0].date = '2013-13'", "le mois s'écrit de 01 à 12"),
            ("data.chronologie[0].date = '2014-2011'", "la période « 2014-2011 » finit avant de commencer"),
            ("data.actions[0].periode = '2021-2019'", "la période « 2021-2019 » finit avant de commencer"),
            ("data.actions[0].periode = '2019-2021'; data.actions[0].annee = 2020",
             "l'année 2020 n'est pas celle où commence la période « 2019-2021 »"),
            ("data.actions[0].resume += ' Adopté le 2012-02-30.'", "la date « 2012-02-30 » n'existe pas"),
            (f"data.actions[0].leviers = ['{autre}']", f"« {guide.leviers[autre].data['titre']} » n'est pas un levier des champs d'action"),
            # an image, typed in Markdown or in the rich text mode: saved without a word (focused QA)
            ("data.body = 'Voir ![plan du quartier](plan.png).'", "image « ![plan du quartier](plan.png) » : le guide ne publie pas"),
            ("data.body = 'Voir !\\\\[plan](plan.png).'", "le guide ne publie pas d'image"),
            # a source in brackets by its publication alone, which the validator now refuses (reader QA)
            ("data.panorama[0].part_emplois = 'environ 14'", "« environ 14 » : une part écrite en texte"),
            # an amount in K or M, a currency written first, a period after: published as typed (editor QA)
            ("data.budget = [{libelle: 'ESS', montant: '2.6M', sources: data.sources}]", "tapez 2600000"),
            ("data.budget = [{libelle: 'ESS', montant: '1,5 M€', sources: data.sources}]", "tapez 1500000"),
            ("data.budget = [{libelle: 'ESS', montant: '600K', sources: data.sources}]", "tapez 600000"),
            ("data.budget = [{libelle: 'ESS', montant: 'EUR 2600000', sources: data.sources}]", "tapez 2600000"),
            # the figure after the currency read as any (editor QA: « €5,000 » was told « tapez 5,000 », then refused)
            ("data.budget = [{libelle: 'ESS', montant: '€5,000', sources: data.sources}]",
             "« 5,000 » : cette virgule peut séparer les décimales ou les milliers. Tapez 5 000 s'il s'agit de milliers"),
            # a quote left over, published as typed (editor QA)
            ("data.actions[0].titre = \"Une élue déléguée à l'ESS\\\"\"", "« Une élue déléguée à l'ESS\" » : un guillemet droit"),
            # a list glued to its paragraph, published in one line (editor QA); after a blank line, a list
            ("data.actions[0].resume = 'Exemple :\\n- une convention ;\\n- un projet.'",
             "Actions n° 1 › Résumé : « - une convention ; » : une liste (ou un tableau) commence après une ligne vide"),
            ("data.actions[0].resume = 'Exemple :\\n\\n- une convention ;\\n- un projet.'", None),
            ("data.actions[0].resume = 'Le plan est adopté en décembre\\n2021. Elle crée un fonds.'", None),
            # a paragraph opening with a year, a word cut at a line's end: saved, then refused by the pull request's
            # check (editor QA); a title, shown as written, may open with a year
            ("data.actions[0].resume = 'Un fonds.\\n\\n2021. Création du fonds.'",
             "Actions n° 1 › Résumé : « 2021. » : en début de paragraphe, un nombre suivi d'un point ouvre une liste"),
            ("data.body = '\\n2022. La communauté adopte une stratégie.'", "Texte de présentation : « 2022. » : en début"),
            ("data.actions[0].titre = '2021. Un fonds'", None),
            ("data.actions[0].resume += ' Pour les coopé-\\nratives.'",
             "« coopé- » : mot coupé en fin de ligne (« coopé- ratives ») : la page l'afficherait coupé"),
            ("data.budget = [{libelle: 'ESS', montant: '12 %', sources: data.sources}]", "un montant est une somme en euros, pas une part"),
            # a multiple after the currency, a decimal point after commas of thousands (verifier QA: published as typed)
            ("data.budget = [{libelle: 'ESS', montant: '€1,2 million', sources: data.sources}]",
             "Budget n° 1 › Montant (€) : « €1,2 million » : un montant se tape en euros, en chiffres, sans unité (le site "
             "ajoute « € » et écrit les millions en lettres) : tapez 1200000."),
            ("data.budget = [{libelle: 'ESS', montant: '5,000.50', sources: data.sources}]", "tapez 5000.50"),
            # a figure in words (editor QA: « tapez le nombre seul (1,2) » was accepted: « 1,2 habitants »)
            ("data.identite.population[0].valeur = '1,2 million'", "« 1,2 million » : tapez le nombre en chiffres, 1200000"),
            ("data.budget = [{libelle: 'ESS', montant: '2600000 €/an', sources: data.sources}]", "« 2600000 €/an » : un montant se tape en euros"),
            ("data.actions[0].resume += ' Adopté en 2012 (Étude 2019).'",
             "source « Étude 2019 » entre parenthèses sans page ni section"),
            ("data.actions[0].resume += ' Adopté en 2012 (Étude 2021, p. 14 ; Pages RTES).'",
             "source « Pages RTES » entre parenthèses sans page ni section"),
            # HTML, which the pages show as written: a raw link went past the checks of links (editor QA)
            ("data.actions[0].resume += ' Voir <a href=\"//x.fr\">ici</a>.'", "HTML « <a href=\"//x.fr\"> » : une fiche s'écrit en Markdown"),
            ("data.actions[0].resume += ' Le&nbsp;réseau.'", "tapez le caractère lui-même (l'espace insécable)"),
            ("data.body = 'Un <b>gras</b>.'", "Texte de présentation : HTML « <b> »"),
            # a heading in a résumé, a heading of the page between the actions (editor QA); the body may hold some
            ("data.actions[0].resume = '### Axes\\n\\n' + data.actions[0].resume", "titre Markdown « ### Axes »"),
            ("data.body = '## Un titre\\n\\nUn texte.'", None),
            # the years of the guide, a date written JJ/MM/AAAA that does not exist (editor QA)
            ("data.chronologie[0].date = '0001'", "l'année 0001 de « 0001 » est hors des années du guide (1900 à 2100)"),
            ("data.actions[0].periode = '2021-2150'", "l'année 2150 de « 2021-2150 » est hors des années du guide"),
            ("data.actions[0].resume += ' Signé le 31/02/2021.'", "la date « 31/02/2021 » n'existe pas"),
            ("data.chronologie[1].date = '2012'", "la chronologie n'est pas dans l'ordre : « 2012 » vient après « 2014 »"),
            # a month with the year: the schema's « attendu un nombre entier » did not say what to type (editor QA)
            ("data.actions[0].annee = '12/2024'", "Une année se tape seule : tapez 2024"),
            # figures the English way, which the build refuses: saved, then the preview of every fiche stopped (editor QA)
            ("data.actions[0].resume += ' Un budget de 45.000 €.'", "« 45.000 » : en français, une espace sépare les milliers ; écrivez « 45 000 »"),
            ("data.actions[0].resume += ' Soit 13.8 % des emplois.'", "« 13.8 % » : en français, la virgule sépare les décimales ; écrivez « 13,8 % »"),
            # a title in what Word types for "…", which the page printed with it (editor QA)
            ("data.actions[0].titre = '“Appel à projets de la métropole”'",
             "ces guillemets seraient imprimés avec le titre ; tapez-le sans eux (« Appel à projets de la métropole »)"),
            ("data.actions[0].resume += ' Soit 1,234,567 euros.'", "écrivez « 1 234 567 »"),
            ("data.actions[0].resume += ' Version 1.2 du plan, en 2019.'", None),
            # two points only separate thousands (editor QA: « 5.300.000 » was offered « 5,300.000 » as a decimal)
            ("data.identite.population[0].valeur = '5.300.000'", "ces points séparent les milliers ; tapez 5300000"),
            # its unit in a text as well, which the page would print twice (editor QA: « 656 275 hab.656 275 habitants »)
            ("data.identite.population[0].valeur = 'environ 45 000 hab.'",
             "l'unité est répétée dans « environ 45 000 hab. » (« hab. »)"),
            ("data.body = 'Un budget de 2.5 millions.'", "Texte de présentation : « 2.5 millions » : en français, la virgule"),
            # a section in brackets that no source of the fiche cites, as the build refuses it (phone QA: a note one
            # cannot find in the publication); the section as an entry names it passes
            ("data.actions[0].resume += ' Adopté en 2012 (Étude 2019, zoom du champ #1).'",
             "aucune entrée « sources » de la fiche ne cite la section « zoom du champ #1 »"),
            ('data.actions[0].resume += " Adopté (Étude 2019, Fiche Rennes Métropole — Exemple d\'actions soutenues par la '
             'collectivité ; Étude 2021, p. 14)."', None),
            # saved, then refused by the build (editor QA): a link to the preview, the fiche as its own co-porteur, a
            # carrier named again among the partners
            ("data.actions[0].resume += ' Voir [la page](http://127.0.0.1:8000/territoires/x/).'",
             "lien vers « http://127.0.0.1:8000/territoires/x/ » : cette adresse est celle d'un ordinateur ou d'un réseau local"),
            ("data.actions[0].resume += ' Voir [la page](http://0x7f.1/).'", "réseau local"),
            ("data.actions[0].resume += ' Voir [la page](https://www.avise.org/).'", None),
            # bold left open, a web address without https: saved, then refused by the build (editor QA)
            ("data.actions[0].resume += ' Doté de **40 000 euros pour les associations.'",
             "Actions n° 1 › Résumé : « **40 000 euros pour les associations. » : gras (« ** ») ouvert et jamais fermé"),
            ("data.actions[0].resume += ' Un **vrai** gras, un `**code` et https://exemple.org/a__b.'", None),
            # …and what the build accepts (attacker QA: refused by the form's first version)
            ("data.actions[0].resume += ' Voir **[le règlement](https://testbourg.fr/aap)** avant juin.'", None),
            ("data.actions[0].resume += ' Le **Pacte\\nESS** est signé.'", None),
            ("data.actions[0].resume += ' **Montant\\\\*** (\\\\* estimation).'", None),
            ("data.actions[0].resume += ' Le **`code`** x.'", None),
            ("data.actions[0].resume += ' **' + 'mot '.repeat(60) + 'fin** ici.'", None),
            ("data.actions[0].resume += ' Voir [le règlement](www.testbourg.fr/aap).'",
             "lien vers « www.testbourg.fr/aap » : écrivez l'adresse complète, avec https://"),
            ("data.body = 'Voir [le règlement](testbourg.fr/aap).'", "lien vers « testbourg.fr/aap » : écrivez l'adresse complète"),
            ("data.body = 'Voir [la fiche](nantes-metropole.md).'", None),
            # …typed in the text of the page (rich-text mode of « Texte de présentation »): saved, then refused by the
            # build (editor QA)
            ("data.body = 'Voir [notre page](http://localhost:8000/territoires/x/).'",
             "Texte de présentation : lien vers « http://localhost:8000/territoires/x/ » : cette adresse est celle d'un"),
            ("data.identite.site_web = {url: 'http://localhost:8000/', sources: data.sources}",
             "« http://localhost:8000/ » : cette adresse est celle d'un ordinateur ou d'un réseau local"),
            ("data.actions[0].coporteurs = ['rennes-metropole']", "« rennes-metropole » est cette fiche même"),
            ("data.actions[0].partenaires = ['Rennes  métropole']", "« Rennes  métropole » est le territoire de cette fiche"),
            ("data.actions[0].coporteurs = ['ville-de-rennes']; data.actions[0].partenaires = ['Ville de Rennes']",
             "« Ville de Rennes » est déjà coporteur de cette action"),
            # one action written twice in the fiche, by its title (case, accents, punctuation aside) or by its summary under
            # another title: saved, then refused by the build (doublons.py)
            ("data.actions.push({...data.actions[0], titre: ' ' + data.actions[0].titre.toUpperCase() + ' !'})",
             f"Actions n° {len(terr.actions) + 1} › Titre : l'action « "),
            ("data.actions.push({...data.actions[0], titre: 'Les mêmes, bis'})",
             f"Actions n° {len(terr.actions) + 1} › Résumé : l'action « Les mêmes, bis » a le même résumé que l'action n° 1"),
            ("data.actions.push({...data.actions[0], titre: 'Les mêmes, bis', resume: data.actions[0].resume + ' Et plus.'})",
             None)):
        erreurs = essai(change)["erreurs"]
        assert (erreurs == []) if attendu is None else (len(erreurs) == 1 and attendu in erreurs[0]), (change, erreurs)
    # a fiche without an action of its own, unless another fiche names it as co-porteur (editor QA: saved, the block
    # reading « Actions (optionnel) », then refused by the build)
    erreurs = essai("data.actions = []; data.nom = 'Ville Nouvelle'", nouvelle=True, slug="ville-nouvelle")["erreurs"]
    assert any("la fiche n'a aucune action" in e for e in erreurs), erreurs
    portee = next(s for s in guide.territoires if any(s in [t.slug for t in a.coporteurs] for a in guide.actions))
    erreurs = essai("data.actions = []; data.code_insee = undefined; data.siren = undefined", slug=portee)["erreurs"]
    assert not any("aucune action" in e for e in erreurs), erreurs
    erreurs = essai("data.nom = '中文'", nouvelle=True, slug="")["erreurs"]  # no file name: it was saved as « .md »
    assert any(e.startswith("Nom officiel : « 中文 » ne donne aucun nom de fichier") for e in erreurs), erreurs
    erreurs = essai("data.nom = 'Carte'", nouvelle=True, slug="carte")["erreurs"]  # (and Rennes' own codes)
    assert any(e.startswith("Nom officiel : « carte » est l'adresse d'une page du site") for e in erreurs), erreurs
    colle = "data.actions[0].resume = 'Un texte\u2028collé d\u2019un docu\u00adment\u200b Word\ufffc\u202e, ses \ufb01ns.'"
    out = essai(colle)
    assert out["erreurs"] == []
    from guide.modele.load import FRONT_MATTER, parse_yaml
    data, _, erreurs = parse_yaml(FRONT_MATTER.match(out["texte"]).group(1), "fiches/territoires/rennes-metropole.md")
    assert not erreurs and data["actions"][0]["resume"] == "Un texte\ncollé d\u2019un document Word, ses fins."


def test_the_form_tells_a_departement_from_the_region_of_the_same_code(page, served, guide):
    """« 93 » is Seine-Saint-Denis among départements and Provence-Alpes-Côte d'Azur among regions: the form, which
    compared codes alone, refused to save the Seine-Saint-Denis fiche (« déjà le code de la fiche Région
    Provence-Alpes-Côte d'Azur ») and its picker sent Loire-Atlantique (44) to the Grand Est's fiche (editor QA)."""
    assert guide.territoires["seine-saint-denis"].data["code_insee"] == "93"
    assert guide.territoires["region-provence-alpes-cote-d-azur"].data["code_insee"] == "93"
    page.goto(f"{served}/admin/")
    page.wait_for_function("window.GuideFormulaire", timeout=120_000)
    text = (ROOT / "fiches" / "territoires" / "seine-saint-denis.md").read_text(encoding="utf-8")
    erreurs = page.evaluate("""([text]) => {
        const all = CMS.getCustomFormatsFormatters();
        const format = all.get ? all.get("fiche-territoires") : all["fiche-territoires"];
        const data = format.fromFile(text);
        data.actions.push({...data.actions[0], titre: "Une action ajoutée dans le formulaire",
                           resume: "Une action que le formulaire ajoute, avec un résumé qui est le sien."});
        return GuideFormulaire.erreursAvantEnregistrement("territoires", data, false, "seine-saint-denis");
    }""", [text])
    assert erreurs == []
    ref = page.evaluate("() => fetch('referentiel.json').then(r => r.json())")
    deja = {(l[0], l[1]): l[6] for l in ref["lignes"] if l[6]}
    assert ("Loire-Atlantique", "departement") not in deja and deja[("Grand Est", "region")] == "region-grand-est"
    assert deja[("Seine-Saint-Denis", "departement")] == "seine-saint-denis"
    # The picker reads « St » as « Saint », as the validator does (editor QA: « Seine St Denis » found nothing).
    trouves = page.evaluate("""() => fetch('referentiel.json').then(r => r.json()).then(r => ["Seine St Denis",
        "St Etienne metropole", "Rennes"].map(q => GuideFormulaire.trouverDansLeReferentiel(
        GuideFormulaire.lignesDuReferentiel(r), q)[0][0]))""")
    assert trouves[0] == "Seine-Saint-Denis" and "Saint-Étienne" in trouves[1] and trouves[2] == "Rennes", trouves


def _changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    import difflib
    diff = [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    return [d[1:] for d in diff if d[0] == "-"], [d[1:] for d in diff if d[0] == "+"]


def test_the_form_keeps_a_text_written_as_a_block_when_another_field_changes(page, served, guide):
    """A résumé written « resume: | » with a list (as CONTRIBUTING shows), untouched, was rewritten in quotes,
    « resume: "Le pays…\\n\\n- les associations ;…" », when the editor changed only the official name (attacker QA):
    opened and saved, the file is the same; one field changed, one line changes."""
    if not (decap.YAML_JS).is_file():
        pytest.skip("js-yaml not installed")
    path = next(p for p in sorted((ROOT / "fiches/territoires").glob("*.md"))
                if re.search(r"^    resume: >-\n", p.read_text(encoding="utf-8"), re.M))
    text = re.sub(r"^    resume: >-\n(?:      .*\n)+",
                  "    resume: |\n      Le pays lance un appel à projets en deux volets :\n\n      - les associations ;\n"
                  "      - les coopératives.\n", path.read_text(encoding="utf-8"), count=1, flags=re.M)
    page.goto(f"{served}/admin/")
    page.wait_for_function("window.GuideFormulaire", timeout=120_000)
    out = page.evaluate("""(text) => {
        const all = CMS.getCustomFormatsFormatters();
        const format = all.get ? all.get("fiche-territoires") : all["fiche-territoires"];
        const copy = () => JSON.parse(JSON.stringify(format.fromFile(text)));
        const un = copy();
        un.nom += " (modifié)";
        return {meme: format.toFile(copy()), un: format.toFile(un)};
    }""", text)
    assert out["meme"] == text
    removed, added = _changed_lines(text, out["un"])
    assert len(removed) == 1 and len(added) == 1 and "(modifié)" in added[0], (removed, added)


def test_the_form_writes_emoji_as_the_format_check_does(page, served):
    """An emoji (a character outside Unicode's first plane) typed in the form: written as itself, where js-yaml 3
    wrote « "\\U0001F91D" », which the format check of the pull request refused (formater.py writes it back as
    the emoji). In a value replaced where it stands, in a block added, and in a new fiche. The same for Word's
    no-break spaces, which js-yaml wrote « \\_ » (editor QA)."""
    if not (decap.YAML_JS).is_file():
        pytest.skip("js-yaml not installed")
    formater, _ = _scripts()
    page.goto(f"{served}/admin/")
    page.wait_for_function("window.GuideFormulaire", timeout=120_000)
    fiche = sorted((ROOT / "fiches" / "territoires").glob("*.md"))[0]
    out = page.evaluate("""([text]) => {
        const all = CMS.getCustomFormatsFormatters();
        const format = all.get ? all.get("fiche-territoires") : all["fiche-territoires"];
        const copy = () => JSON.parse(JSON.stringify(format.fromFile(text)));
        const un = copy();
        un.nom += " 🤝";
        un.actions[0].resume = "Un «\u00a0contrat de réciprocité\u00a0» (p.\u00a060)\u00a0: signé.";  // Word's spaces
        const ajout = copy();
        ajout.actions.push({...ajout.actions[0], titre: "Contrat de réciprocité 🤝 avec 𝐍antes"});
        const nouvelle = copy();
        delete nouvelle._texte_lu;  // never read from a file: written whole
        nouvelle.nom = "Nouvelle 🌿 fiche";
        return {un: format.toFile(un), ajout: format.toFile(ajout), neuve: format.toFile(nouvelle)};
    }""", [fiche.read_text(encoding="utf-8")])
    for case, written in out.items():
        assert "\\U" not in written and "\\u" not in written, (case, written[:400])
        assert formater.format_text(written, "territoires") == written, case
    assert "🤝" in out["un"] and "Contrat de réciprocité 🤝 avec 𝐍antes" in out["ajout"] and "Nouvelle 🌿 fiche" in out["neuve"]
    assert "Un «\u00a0contrat de réciprocité\u00a0» (p.\u00a060)\u00a0: signé." in out["un"], out["un"][:600]


def test_a_folded_resume_with_a_no_break_space_stays_folded(page, served, guide):
    """A résumé edited in the form with a no-break space in it (« 240 000 € », as Word and French typography write
    it) was written back as one quoted line of 450 characters with doubled apostrophes (editor QA): it stays a
    folded block, its lines cut at the fiches' width."""
    if not (decap.YAML_JS).is_file():
        pytest.skip("js-yaml not installed")
    page.goto(f"{served}/admin/")
    page.wait_for_function("window.GuideFormulaire", timeout=120_000)
    fiche = next(p for p in sorted((ROOT / "fiches" / "territoires").glob("*.md"))
                 if re.search(r"\n    resume: >-\n(      .+\n){3,}", p.read_text(encoding="utf-8")))
    text = fiche.read_text(encoding="utf-8")
    out = page.evaluate("""([text]) => {
        const all = CMS.getCustomFormatsFormatters();
        const format = all.get ? all.get("fiche-territoires") : all["fiche-territoires"];
        const data = format.fromFile(text);
        const action = data.actions.find(a => a.resume && a.resume.length > 300);
        action.resume = action.resume.replace(/ ([^ ]+)$/, "\u00a0$1");  // its last word after a no-break space
        return format.toFile(data);
    }""", [text])
    removed, added = _changed_lines(text, out)
    assert added and any("\u00a0" in a for a in added), (fiche.name, added)
    assert all(len(a) <= 120 and a.startswith("      ") for a in added), (fiche.name, added)  # folded lines
    assert out.count("resume: >-") == text.count("resume: >-"), fiche.name


def test_the_form_rewrites_no_data_and_only_the_lines_of_what_changed(page, served, guide):
    """The form's writer on every fiche of the guide and on fiches/sources.yaml. Read then written unchanged (an
    editor opens and saves): the same file. One field edited: one line changes. A citation or a publication
    added: lines are only added. An action removed and « Mise à jour » set: the action's lines go, one line
    comes. The rest of the file (folded paragraphs, quotes, citations on one line) is kept as written; the
    result reads as the data meant and passes the format check."""
    if not (decap.YAML_JS).is_file():
        pytest.skip("js-yaml not installed")
    formater, _ = _scripts()
    from guide.modele.load import FRONT_MATTER, parse_yaml

    page.goto(f"{served}/admin/")
    page.wait_for_function("window.GuideFormulaire", timeout=120_000)  # a loaded machine: 3 MB of Decap
    pub = next(iter(guide.publications))
    script = """([text, kind, pub]) => {
        const all = CMS.getCustomFormatsFormatters();
        const format = all.get ? all.get("fiche-" + kind) : all["fiche-" + kind];
        const copy = () => JSON.parse(JSON.stringify(format.fromFile(text)));
        const un = copy();
        if (un.actions && un.actions.length) un.actions[0].titre += " (modifié)";
        else un[un.nom ? "nom" : "titre"] += " (modifié)";
        const ajout = copy();
        (ajout.sources = ajout.sources || []).push({publication: pub, page: "12"});
        const retrait = copy();
        const retiree = retrait.actions && retrait.actions.length > 1 ? retrait.actions.pop() : null;
        retrait.mis_a_jour = "2030-01-02";
        const action = copy();
        if (kind === "territoires")
            (action.actions = action.actions || []).push({titre: "Action ajoutée", champs: ["co-construction"],
                                                          resume: "Un résumé.", sources: [{publication: pub, page: "3"}]});
        const deplace = copy();  // the first two actions swapped
        if (deplace.actions && deplace.actions.length >= 2) deplace.actions.splice(0, 2, deplace.actions[1], deplace.actions[0]);
        const mixte = copy();  // one action changed and another removed in one save
        if (mixte.actions && mixte.actions.length >= 3) { mixte.actions[0].titre += " (modifié)"; mixte.actions.splice(1, 1); }
        const resume = copy();
        if (resume.actions && resume.actions.length && resume.actions[0].resume)
            resume.actions[0].resume += " Une phrase ajoutée par le formulaire, assez longue pour passer à la ligne.";
        return {meme: format.toFile(copy()), un: format.toFile(un), ajout: format.toFile(ajout),
                retrait: format.toFile(retrait), retiree, action: format.toFile(action), resume: format.toFile(resume),
                mixte: format.toFile(mixte), deplace: format.toFile(deplace)};
    }"""
    header = lambda text: parse_yaml(FRONT_MATTER.match(text).group(1), "x")[0]  # noqa: E731
    plies = deplaces = 0
    for path in formater.all_fiches():
        text = path.read_text(encoding="utf-8")
        kind = path.parent.name
        out = page.evaluate(script, [text, kind, pub])
        assert out["meme"] == text, path.name
        data = header(text)
        for case in ("ajout", "retrait"):  # (« un » replaces one value where it stands)
            assert formater.format_text(out[case], kind) == out[case], (path.name, case)
        removed, added = _changed_lines(text, out["un"])
        assert len(removed) == 1 and len(added) == 1 and "(modifié)" in added[0], (path.name, removed, added)
        removed, added = _changed_lines(text, out["ajout"])
        assert not removed and len(added) == 1 and "page: 12" in added[0], (path.name, added)
        assert header(out["ajout"])["sources"][-1] == {"publication": pub, "page": 12}
        removed, added = _changed_lines(text, out["retrait"])
        assert [a for a in added if "2030-01-02" in a] and len(added) == 1, (path.name, added)
        after = header(out["retrait"])
        assert after["mis_a_jour"] == "2030-01-02"
        assert len(after.get("actions", [])) == len(data.get("actions", [])) - (1 if out["retiree"] else 0)
        if len(data.get("actions", [])) >= 3:
            # The second action's lines go, the first's title changes: nothing else (the whole list was written again,
            # its folded résumés as quoted lines: editor QA).
            attendues = [dict(data["actions"][0], titre=data["actions"][0]["titre"] + " (modifié)"), *data["actions"][2:]]
            assert header(out["mixte"])["actions"] == attendues, path.name
            # (comment lines between actions, « # ── Étude 2019 ── », stay: they head the actions below them)
            seconde = re.search(r"(?ms)^actions:\n(?:  #.*?\n)*  - titre: .*?\n(?:  #.*?\n)*(^  - titre: .*?\n)"
                                r"(?=^  - |^  #|^\S)", text).group(1)
            assert out["mixte"] == out["un"].replace(seconde, "", 1), path.name
            # Two actions swapped: each keeps its text as written (the moved one was dumped again, its folded résumé as
            # one quoted line of 450 characters: focused QA)
            deux = re.search(r"(?ms)^actions:\n(  - titre: .*?\n)(  - titre: .*?\n)(?=^  - |^\S)", text)
            if deux:
                assert out["deplace"] == text.replace(deux.group(1) + deux.group(2), deux.group(2) + deux.group(1), 1), path.name
                deplaces += 1
        if re.search(r"(?m)^  - titre: .*\n(?:    (?!resume:).*\n)*    resume: >-$", text):
            # A résumé written as a folded block stays one, cut between words at the fiches' width (it became one
            # quoted line of 400 characters: editor QA); only its lines change.
            removed, added = _changed_lines(text, out["resume"])
            assert added and all(len(a) <= 116 and not a.startswith("    resume: '") for a in added), (path.name, added)
            assert header(out["resume"])["actions"][0]["resume"] == data["actions"][0]["resume"] + \
                " Une phrase ajoutée par le formulaire, assez longue pour passer à la ligne.", path.name
            assert formater.format_text(out["resume"], kind) == out["resume"], path.name
            plies += 1
        if kind == "territoires":
            # An action added, each key on its line, also where the fiche had « actions: [] » (it was written on one
            # line of flow syntax, which the next hand edit had to go into: editor QA).
            removed, added = _changed_lines(text, out["action"])
            assert "- titre: Action ajoutée" in [a.strip() for a in added], (path.name, removed, added)
            assert header(out["action"])["actions"][-1]["titre"] == "Action ajoutée"
    assert plies > 10, plies  # most fiches write their résumés so
    assert deplaces > 10, deplaces
    sources = (ROOT / "fiches" / "sources.yaml").read_text(encoding="utf-8")
    written = page.evaluate("""([text]) => {
        const all = CMS.getCustomFormatsFormatters();
        const format = all.get ? all.get("fiche-sources") : all["fiche-sources"];
        const data = format.fromFile(text);
        data.publications.push({id: "publication-ajoutee", titre: "Délibération sur l'ESS", annee: "2024",
                                editeurs: ["Ville d'Exemple"]});
        return format.toFile(data);
    }""", [sources])
    removed, added = _changed_lines(sources, written)
    assert not removed and added[0] == "  - id: publication-ajoutee", added
    assert yaml.safe_load(written)["publications"][-1] == {"id": "publication-ajoutee", "titre": "Délibération sur l'ESS",
                                                           "annee": 2024, "editeurs": ["Ville d'Exemple"]}
