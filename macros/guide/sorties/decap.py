"""The web form for editors without git: Decap CMS at /admin/, configured from the fiche schemas.

Nothing here is committed as a generated file: `fichiers()` returns, for each build, the admin page,
its configuration (config.yml, written from the same JSON Schemas that validate the fiches, so the
form asks exactly for what the validator requires) and the Decap bundle copied from node_modules/.

Decap's GitHub backend with the editorial workflow turns each saved fiche into a branch and a pull
request, which the checks of .github/workflows/ then verify like any other; `local_backend` lets an
editor (and the tests) use `npx decap-server` on a clone instead of GitHub.
"""
from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import yaml

from guide import adresses_reservees, chemins
from guide.join import Guide
from guide.modele import parentheses
from guide.modele.referentiel import CLES, cle_de_code, liste_du_code
from guide.modele.nombres import types_des_cles
from guide.modele.validate import DOMAINE_SANS_SCHEMA, UNE_PAGE, schema_documents, suivre_ref, tel_quel

ROOT = chemins.ROOT
BUNDLE = ROOT / "node_modules" / "decap-cms" / "dist"
YAML_JS = ROOT / "node_modules" / "js-yaml" / "dist" / "js-yaml.min.js"
# The `yaml` package's browser build (ES modules): its documents keep each value's place in the text, which
# lets the form write back only the lines of the fields an editor changed (formulaire.js).
YAML_ESM = ROOT / "node_modules" / "yaml" / "browser" / "dist"
FORMULAIRE_JS = Path(__file__).with_name("formulaire.js")
AJV_JS = Path(__file__).with_name("formulaire_ajv.js")
DOSSIER = "admin"

# Keys whose text is usually several sentences: a multi-line box rather than a one-line input.
TEXTES_LONGS = {"resume", "texte", "note", "description", "apport", "evenement", "synthese"}

# The three files an editor edits, with the schema that describes each.
COLLECTIONS = [
    {"name": "territoires", "label": "Territoires", "label_singular": "Territoire", "folder": "fiches/territoires",
     "schema": "territoire.schema.yaml", "create": True, "identifier_field": "nom", "summary": "{{nom}}",
     "description": "Une fiche par collectivité : ses actions pour l'ESS, chacune avec ses sources."},
    {"name": "champs", "label": "Champs d'action", "label_singular": "Champ d'action", "folder": "fiches/champs",
     "schema": "champ.schema.yaml", "create": False, "identifier_field": "titre", "summary": "{{titre}}",
     "description": "Les leviers, focus et cadres de l'étude : on les modifie rarement."},
]


def _resolve(node, base: str, documents: dict) -> tuple[dict, str]:
    node, base, _ = suivre_ref(node, base, documents)
    return (node if isinstance(node, dict) else {}), base


def _types(node: dict) -> list:
    types = node.get("type", [])
    return [types] if isinstance(types, str) else list(types)


def titres(documents: dict) -> dict:
    """The French title of each key, as the schemas give it where the key is first described: a key means the
    same thing wherever it appears (`sources`, `annee`…), so it is titled once unless its meaning changes
    (a contact's `nom`), where the schema gives it a title of its own."""
    found: dict = {}

    def walk(node):
        if isinstance(node, dict):
            for name, prop in (node.get("properties") or {}).items():
                if isinstance(prop, dict) and isinstance(prop.get("title"), str):
                    found.setdefault(name, prop["title"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for name in sorted(documents, key=lambda n: n != "commun.schema.yaml"):
        walk(documents[name])
    return found


def libelle(name: str, prop: dict, titres_: dict) -> str:
    """The form's label of a key: its title in the schema, else the title of the same key elsewhere."""
    return prop.get("title") or titres_.get(name) or name


def _singulier(libelle: str) -> str:
    """The singular of a plural label (« Chiffres clés » → « Chiffre clé », « Actions de portée nationale » → « Action de
    portée nationale »): its words ending in « s », when its first one does; a label in the singular stays. Written here:
    the labels are the schemas' own few titles, regular plurals, which no inflection library is worth loading for."""
    mots = libelle.split(" ")
    if not mots[0].endswith("s"):
        return libelle
    return " ".join(m[:-1] if m.endswith("s") and len(m) > 3 else m for m in mots)


class _Champs:
    """Turns schema properties into Decap fields; `choix` gives the select options of identifier keys."""

    def __init__(self, documents: dict, choix: dict):
        self.documents = documents
        self.choix = choix  # key name → [{label, value}] (champ slugs, publications, territories)
        self.titres = titres(documents)

    def objet(self, node: dict, base: str, present: bool = True) -> list[dict]:
        """Fields of an object schema. Inside an optional block (`present` false) nothing is required by the
        form, which would otherwise refuse to save until the editor fills a block they did not want; the
        validator still requires them once the block is there."""
        node, base = _resolve(node, base, self.documents)
        required = set(node.get("required", []))
        return [self.champ(name, prop, base, present and name in required)
                for name, prop in node.get("properties", {}).items()]

    def champ(self, name: str, prop, base: str, required: bool) -> dict:
        prop, base = _resolve(prop, base, self.documents)
        field = {"name": name, "label": libelle(name, prop, self.titres), "required": required}
        hint = prop.get("x-aide-formulaire") or prop.get("description")
        if hint:
            field["hint"] = " ".join(str(hint).split())
        types = _types(prop)
        if name == "publication":
            # The publications of fiches/sources.yaml as the repository has them now: one added in the form
            # (collection « sources ») can be cited at once, before the site is built again.
            field.update(widget="relation", collection="sources", file="publications",
                         value_field="publications.*.id", search_fields=["publications.*.id", "publications.*.titre",
                                                                         "publications.*.edition"],
                         display_fields=["publications.*.titre"], options_length=50)
        elif "enum" in prop:
            labels = prop.get("x-libelles", {})
            options = [{"label": labels.get(v, str(v)), "value": v} for v in prop["enum"]]
            # The form's list keeps the options that hold what is typed, in this order, and Enter takes the first: an
            # option held in another's label comes before it (editor QA: « Commune », Enter, chose « Communauté de
            # communes »).
            contenue = {o["value"]: any(o["label"].lower() in autre["label"].lower() for autre in options if autre is not o)
                        for o in options}
            field.update(widget="select", options=sorted(options, key=lambda o: not contenue[o["value"]]))
        elif name in self.choix and "array" not in types:
            field.update(widget="select", options=self.choix[name])
        elif "array" in types:
            items, ibase = _resolve(prop.get("items", {}), base, self.documents)
            # A list of identifiers (an action's champs or levers), not a list of the same name that holds objects
            # or texts (a champ fiche's own levers, each with its title, text and sources; the 2019 edition's).
            if name in self.choix and str(prop.get("items", {}).get("$ref", "")).endswith("/$defs/slug"):
                field.update(widget="select", multiple=True, options=self.choix[name])
            elif "object" in _types(items):
                sub = self.objet(items, ibase)
                # Named by that field's label too: an item whose field is empty was « No annee » (Decap's English, with
                # the raw key: editor QA); with a label, the summary is never empty.
                resume = _resume_de_liste(sub)
                libelle_resume = next(f["label"] for f in sub if f["name"] == resume)
                field.update(widget="list", fields=sub, collapsed=True,
                             summary="%s : {{fields.%s}}" % (libelle_resume, resume))
            else:
                field.update(widget="list", field=self.champ("valeur", items, ibase, True) | {"label": field["label"]})
            # Decap counts a list's items with its label: « 1 actions », « 1 autres noms » (editor QA); one item, the
            # label's singular.
            singulier = _singulier(field["label"])
            if field["widget"] == "list" and singulier != field["label"]:
                field["label_singular"] = singulier
            if prop.get("minItems"):
                field["min"] = prop["minItems"]
        elif "object" in types:
            field.update(widget="object", fields=self.objet(prop, base, required), collapsed=not required)
        elif "boolean" in types:
            field["widget"] = "boolean"
        elif {"integer", "number"} & set(types):
            # A figure is typed as text and read as a French reader means it (formulaire.js, lireChiffre): Decap's
            # number box read « 45.000 » as 45 and « 45,5 » as 455 without a word, and showed empty a value the
            # schema allows as text (an address, « près de 500 000 »), which a figure typed there replaced.
            field["widget"] = "string"
            if "number" in types:  # a figure (not a page, a year or a rank)
                aide = "Un nombre se tape 45000 ou 45 000, avec une virgule pour les décimales (12,5)."
                field["hint"] = f"{field['hint']} {aide}" if field.get("hint") else aide
        else:
            field["widget"] = "text" if name in TEXTES_LONGS else "string"
            if "pattern" in prop:
                # Without its final full stop: Decap adds one after it (« …(AAAA-MM-JJ).. »). The format is said once,
                # in the help under the field: the message repeated it above, word for word (editor QA).
                message = ("format incorrect : écrivez-le comme le dit l'aide sous le champ" if field.get("hint")
                           else " ".join(str(hint or "format incorrect").split()))
                field["pattern"] = [prop["pattern"], message.rstrip(". ")]
        return field


def _resume_de_liste(sub: list[dict]) -> str:
    """The field that names a list's item when folded: the first required one that is text or a figure (a list or a
    block would show as raw JSON, « [{"publication": …}] » for a panorama), else the first such field."""
    lisibles = [f for f in sub if f["widget"] in ("string", "text", "select", "relation")]
    return next((f["name"] for f in lisibles if f["required"]), (lisibles or sub)[0]["name"])


def choix(guide: Guide) -> dict:
    """Select options of the keys that name another fiche or a publication, from the current guide."""
    champs = [{"label": f"{c.data['titre']} ({c.slug})", "value": c.slug}
              for famille in ("levier", "focus", "cadre") for c in guide.champs_de(famille)]
    publications = [{"label": f"{p.get('edition') or p['titre']} — {p['titre']} ({i})", "value": i}
                    for i, p in guide.publications.items()]
    territoires = sorted(({"label": t.data["nom"], "value": slug} for slug, t in guide.territoires.items()),
                         key=lambda o: o["label"])
    # Every lever, by its champ: an editor chose from a list instead of typing an identifier by heart (the form
    # says which champs an action's levers must belong to, formulaire.js).
    leviers = [{"label": f"{c.data.get('titre_court') or c.data['titre']} : {l.data['titre']} ({l.id})",
                "value": l.id}
               for famille in ("levier", "focus", "cadre") for c in guide.champs_de(famille) for l in c.leviers]
    # `levier`: the lever a champ's lever sends to (its `voir_aussi`), one among the same list.
    return {"champs": champs, "publication": publications, "coporteurs": territoires, "leviers": leviers,
            "levier": leviers}


def configuration(guide: Guide, depot: str = "", local: str | None = None, fiche_format: bool = True,
                  auth: str | None = None) -> dict:
    """Decap's config.yml as data. `depot` is the repository address (https://github.com/owner/name);
    `local` the decap-server API address for the local backend (default: Decap's own, port 8081);
    `fiche_format`: fiches written by the admin page's writer (fiche-<collection>), else Decap's frontmatter;
    `auth`: address of the OAuth gateway that logs editors in to GitHub (Decap's `base_url`; Netlify's when None)."""
    documents = schema_documents()
    champs = _Champs(documents, choix(guide))
    repo = re.sub(r"^https?://github\.com/|\.git$|/$", "", depot or "")
    config = {
        "backend": {"name": "github", "repo": repo or "organisation/depot", "branch": "main",
                    "commit_messages": {"create": "Ajoute la fiche {{slug}} (formulaire)",
                                        "update": "Met à jour la fiche {{slug}} (formulaire)"}},
        "publish_mode": "editorial_workflow",  # each saved fiche becomes a pull request
        "local_backend": {"url": local} if local else True,
        "locale": "fr",
        # No image is published from a fiche: the form's own media library (formulaire.js) says so; Decap still
        # asks for a folder, one the site never publishes.
        "media_library": {"name": "guide-sans-images"},
        "media_folder": "fiches/images-non-publiees",
        "public_folder": "/images-non-publiees",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [],
    }
    if auth:
        config["backend"]["base_url"] = auth
    for spec in COLLECTIONS:
        schema = documents[spec["schema"]]
        fields = champs.objet(schema, spec["schema"])
        fields.append({"name": "body", "label": "Texte de présentation", "widget": "markdown", "editor_components": [],
                       "required": spec["name"] == "champs"})
        collection = {k: v for k, v in spec.items() if k != "schema"}
        # The file name of a new fiche: `_identifiant`, which the form computes from the name as
        # scripts/nouvelle_fiche.py does (Decap's own slug drops the apostrophe, Decap#7147).
        collection.update(extension="md", format=f"fiche-{spec['name']}" if fiche_format else "frontmatter",
                          slug="{{%s}}" % ("_identifiant" if spec["name"] == "territoires" else spec["identifier_field"]),
                          delete=False, fields=fields, editor={"preview": True})
        if spec["name"] == "territoires":
            fields.insert(0, {"name": "referentiel", "label": "Choisir le territoire dans le référentiel officiel",
                              "widget": "referentiel", "required": False,
                              "hint": "Tapez le nom ou le code d'une commune, d'une intercommunalité, d'un département "
                                      "ou d'une région : le nom officiel, le type, la région et le code sont remplis."})
        config["collections"].append(collection)
    sources = documents["sources.schema.yaml"]
    config["collections"].append({
        "name": "sources", "label": "Publications sources",
        "description": "Les publications que les fiches citent : ajoutez-en une avant de la citer.",
        "format": "fiche-sources" if fiche_format else "yaml", "editor": {"preview": False},
        "files": [{"name": "publications", "label": "Publications (fiches/sources.yaml)", "file": "fiches/sources.yaml",
                   "fields": champs.objet(sources, "sources.schema.yaml")}],
    })
    return config


def ordre(node, base: str, documents: dict) -> dict:
    """Key order of a schema, nested: {key: order of its block or list items}, for the form's writer."""
    node, base = _resolve(node, base, documents)
    if "array" in _types(node):
        return ordre(node.get("items", {}), base, documents)
    return {name: ordre(prop, base, documents) for name, prop in node.get("properties", {}).items()}


def chiffres() -> dict:
    """Keys whose value may be a figure → whether text is allowed there too (a page « 14-15 », an address): the
    form reads what is typed in them as a figure when it is one (formulaire.js, lireChiffre)."""
    return {cle: "string" in types for cle, types in sorted(types_des_cles().items()) if {"integer", "number"} & types}


def nombres(documents: dict) -> list[str]:
    """Keys whose value is a whole number or a text (a page: 14 or « 14-15 »): the form's text box gives
    text, which is written back as a number when it is one, as an editor would type it."""
    found = set()

    def walk(node, base, seen):
        node, base = _resolve(node, base, documents)
        if id(node) in seen:
            return
        seen.add(id(node))
        for name, prop in node.get("properties", {}).items():
            resolved, pbase = _resolve(prop, base, documents)
            types = _types(resolved)
            if "string" in types and "integer" in types:
                found.add(name)
            walk(resolved, pbase, seen)
        if isinstance(node.get("items"), dict):
            walk(node["items"], base, seen)
        for sub in node.get("$defs", {}).values():
            walk(sub, base, seen)

    for name, document in documents.items():
        walk(document, name, set())
    return sorted(found)


SCHEMAS_DES_COLLECTIONS = {"territoires": "territoire.schema.yaml", "champs": "champ.schema.yaml",
                           "sources": "sources.schema.yaml"}


def mis_en_forme(documents: dict) -> dict[str, list[str]]:
    """Per collection, its texts read as Markdown (a résumé, an encadré: the model's `texte_mis_en_forme`), as paths
    with « * » for a list's items: the form checks there what the build checks of Markdown only (a paragraph opening
    with « 2021. »), and not in a text shown as written. Which texts are Markdown is the build's own answer
    (validate.tel_quel), asked of each text the schema describes."""
    out = {}
    for collection, schema in SCHEMAS_DES_COLLECTIONS.items():
        chemins_ = []

        def walk(node, base, chemin, seen):
            node, base = _resolve(node, base, documents)
            if id(node) in seen:  # (a schema that holds itself)
                return
            if "string" in _types(node) and not tel_quel(schema, tuple(0 if p == "*" else p for p in chemin)):
                chemins_.append(".".join(chemin))
            for name, prop in node.get("properties", {}).items():
                walk(prop, base, [*chemin, name], seen | {id(node)})
            if isinstance(node.get("items"), dict):
                walk(node["items"], base, [*chemin, "*"], seen | {id(node)})

        walk(documents[schema], schema, [], frozenset())
        out[collection] = sorted(chemins_)
    return out


def libelles(node, base: str, documents: dict, titres_: dict) -> dict:
    """Labels of a schema's keys, nested ({key: [label, labels of its block or list items]}): the form's
    messages name a field as the form shows it (« Actions n° 2 › Sources n° 1 › Page »)."""
    node, base = _resolve(node, base, documents)
    if "array" in _types(node):
        return libelles(node.get("items", {}), base, documents, titres_)
    out = {}
    for name, prop in node.get("properties", {}).items():
        resolved, pbase = _resolve(prop, base, documents)
        out[name] = [libelle(name, resolved, titres_), libelles(resolved, pbase, documents, titres_)]
    return out


@functools.lru_cache(maxsize=4)
def _validation_compilee(entree: str) -> str:
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("la commande « node » est introuvable (Node.js, installé avec npm)")
    result = subprocess.run([node, str(AJV_JS)], input=entree, capture_output=True, text=True, cwd=ROOT, timeout=120)
    if result.returncode != 0:
        raise RuntimeError(result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "erreur de node")
    return result.stdout


def validation_js(documents: dict) -> str:
    """The browser script that checks a fiche against the schemas before the form saves it (Ajv, compiled
    once per set of schemas by formulaire_ajv.js under Node.js)."""
    entree = json.dumps({"schemas": documents, "racines": SCHEMAS_DES_COLLECTIONS}, ensure_ascii=False, sort_keys=True)
    return _validation_compilee(entree)


_REFERENTIEL_JSON: dict = {}


def _referentiel_json(ref, existants: tuple) -> str:
    """The official reference as the form's picker reads it (~2 MB, written once per process and reference
    version while no territory gets a new code: `mkdocs serve` rebuilds often)."""
    cle_cache = (ref.version, existants)
    if cle_cache not in _REFERENTIEL_JSON:
        _REFERENTIEL_JSON.clear()
        _REFERENTIEL_JSON[cle_cache] = _referentiel_lignes(ref, existants)
    return _REFERENTIEL_JSON[cle_cache]


def _referentiel_lignes(ref, existants: tuple) -> str:
    par_code = dict(existants)
    types = {}  # (file, reference type) → fiche type
    for type_, (_, fichier, types_ref) in CLES.items():
        for t in types_ref or {None}:
            types[(fichier, t)] = type_
    # The regions a fiche may give (the schema's 18): the reference also lists the overseas collectivités
    # (Polynésie française, Nouvelle-Calédonie…), whose rows would fill a fiche the validator then refuses.
    du_schema = set(schema_documents()["territoire.schema.yaml"]["properties"]["region"]["enum"])
    regions = {code: r["nom"] for code, r in ref.regions.items() if r["nom"] in du_schema}
    departements = ref.departements
    lignes = []

    def ligne(nom, fichier, type_ref, cle, code, region, detail):
        type_ = types.get((fichier, type_ref)) or types.get((fichier, None))
        # A groupement across two regions has none (the editor gives it); any other row is of the schema's.
        if type_ and (region in du_schema or (cle == "siren" and not region)):
            lignes.append([nom, type_, region or "", cle, code, detail, par_code.get(cle_de_code(cle, type_, code), "")])

    for code, nom in regions.items():
        ligne(nom, "regions", None, "code_insee", code, nom, "région")
    for code, d in departements.items():
        ligne(d["nom"], "departements", None, "code_insee", code, regions.get(d["region"]), "département")
    for code, e in ref.groupements.items():
        officiel = ref.officiel({"type": types.get((e["fichier"], e["type"])), "siren": code})
        ligne(e["nom"], e["fichier"], e["type"], "siren", code, officiel and officiel.region and officiel.region[1],
              officiel.categorie if officiel else "intercommunalité")
    for code, c in ref.communes.items():
        dep = departements.get(c["departement"], {}).get("nom", c["departement"])
        ligne(c["nom"], "communes", c["type"], "code_insee", code, regions.get(c.get("region")), f"commune, {dep}")
    # Colonnes: name, fiche type, région, key, code, what it is, slug of the fiche that already has this code.
    return json.dumps({"millesime": ref.millesime, "lignes": lignes}, ensure_ascii=False, separators=(",", ":"))


def codes_des_fiches(guide: Guide) -> dict:
    """« code_insee:communes:44109 » → slug of the fiche that gives this official code (cle_de_code)."""
    return {cle_de_code(cle, t.data["type"], t.data[cle]): slug for slug, t in guide.territoires.items()
            for cle in ("code_insee", "siren") if isinstance(t.data.get(cle), str)}


def donnees_formulaire(guide: Guide, documents: dict, styles: list[str]) -> dict:
    """What formulaire.js needs from the build (written in the admin page as JSON)."""
    titres_ = titres(documents)
    schema_t = documents["territoire.schema.yaml"]["properties"]
    return {
        "styles": styles,
        "ordre": {nom: ordre(documents[s], s, documents) for nom, s in SCHEMAS_DES_COLLECTIONS.items()},
        "nombres": nombres(documents),
        "mis_en_forme": mis_en_forme(documents),
        "chiffres": chiffres(),
        # For the checks of the build the form makes too (formulaire.js, erreursGuide).
        "pages_web": sorted(i for i, p in guide.publications.items() if p.get("type") == UNE_PAGE),
        "domaine_sans_schema": DOMAINE_SANS_SCHEMA,
        "annees": [documents["commun.schema.yaml"]["$defs"]["annee"][k] for k in ("minimum", "maximum")],
        "noms_courts": parentheses.noms_courts(guide.publications),
        "leviers": {slug: [l.id for l in c.leviers] for slug, c in guide.champs.items()},
        # (the levers named in its messages as the list names them, not by their identifiers: editor QA)
        "titres_leviers": {l.id: l.data["titre"] for c in guide.champs.values() for l in c.leviers},
        "reservees": sorted(adresses_reservees(ROOT, "territoires")),
        "libelles": {nom: libelles(documents[s], s, documents, titres_) for nom, s in SCHEMAS_DES_COLLECTIONS.items()},
        "fiches": {"territoires": {slug: t.data.get("nom", slug) for slug, t in guide.territoires.items()},
                   "champs": {slug: c.data.get("titre", slug) for slug, c in guide.champs.items()}},
        "publications": {i: p.get("titre", i) for i, p in guide.publications.items()},
        "types": schema_t["type"].get("x-libelles", {}),
        "codes": codes_des_fiches(guide),
        # The territories another fiche names as co-porteur: the only ones a fiche without action of its own may be.
        "portees": sorted({t.slug for a in guide.actions for t in a.coporteurs}),
        "listes": {type_: liste_du_code("code_insee", type_) for type_ in CLES},  # (referentiel.cle_de_code, in formulaire.js)
        "referentiel": "referentiel.json",
    }


def fichiers(guide: Guide, styles: list[str], depot: str = "", entre_deux=lambda: None) -> dict[str, str | Path] | None:
    """Files of /admin/ (site path → text, or Path of a file to copy), or None when Decap or the libraries of
    the form are not installed (npm ci was not run), or Node.js is missing: the site is then built without
    the form (a form that cannot check what it saves is worse than none)."""
    from jinja2 import FileSystemLoader
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from guide.rendu.render import TEMPLATES

    bundle = BUNDLE / "decap-cms.js"
    if not (bundle.is_file() and YAML_JS.is_file() and (YAML_ESM / "index.js").is_file()
            and getattr(guide, "referentiel", None) is not None):
        return None
    documents = schema_documents()
    try:
        validation = validation_js(documents)
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        import logging
        logging.getLogger("mkdocs.plugins.guide").info(
            "Formulaire des contributeurs (/admin/) non construit : ses vérifications n'ont pas pu être "
            f"préparées ({exc}).")
        return None
    local = os.environ.get("GUIDE_DECAP_LOCAL") or None  # e.g. http://127.0.0.1:8086/api/v1 (decap-server)
    auth = os.environ.get("GUIDE_DECAP_AUTH") or None
    entre_deux()  # between its steps the preview's complete build may give way to a fiche just saved (see export.files)
    config = configuration(guide, depot, local, auth=auth)
    entre_deux()
    donnees = donnees_formulaire(guide, documents, ["../" + s for s in styles])
    entre_deux()
    # The form's page is HTML, not a fiche page: a sandbox of its own (HTML autoescape), its data as JSON.
    page = ImmutableSandboxedEnvironment(loader=FileSystemLoader(TEMPLATES), trim_blocks=True, lstrip_blocks=True,
                                         autoescape=True).get_template("admin/index.html.j2").render(
        donnees=json.dumps(donnees, ensure_ascii=False).replace("</", "<\\/"),
        csp=politique(local or "http://localhost:8081/api/v1", auth, config["backend"]["name"]))
    entre_deux()
    existants = tuple(sorted(codes_des_fiches(guide).items()))
    out: dict[str, str | Path] = {
        f"{DOSSIER}/index.html": page,
        # libyaml's emitter when PyYAML has it (the same text, five times faster on the lists of 2,000 territories)
        f"{DOSSIER}/config.yml": yaml.dump(config, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper),
                                           allow_unicode=True, sort_keys=False, width=120),
        f"{DOSSIER}/decap-cms.js": bundle,
        f"{DOSSIER}/js-yaml.min.js": YAML_JS,
        f"{DOSSIER}/validation.js": validation,
        f"{DOSSIER}/formulaire.js": FORMULAIRE_JS,
        f"{DOSSIER}/formulaire.css": FORMULAIRE_JS.with_suffix(".css"),
        f"{DOSSIER}/manuel.js": FORMULAIRE_JS.with_name("formulaire_manuel.js"),
        f"{DOSSIER}/referentiel.json": _referentiel_json(guide.referentiel, existants),
    }
    for part in sorted(YAML_ESM.glob("*.js")):
        out[f"{DOSSIER}/yaml/{part.name}"] = part
    # The bundle loads its other parts (chunks) on demand, from beside itself.
    for chunk in sorted(BUNDLE.glob("*.decap-cms.js")):
        out[f"{DOSSIER}/{chunk.name}"] = chunk
    return out


def politique(local: str, auth: str | None, backend: str) -> str:
    """The admin page's own Content-Security-Policy (a <meta>: the site's pages have a stricter one).

    Decap needs more than the guide's pages: styles it injects at run time (emotion), images of the
    fiches and avatars, the API of its backend (GitHub, or decap-server on this computer for the local
    mode) and of the login gateway, and frames for its preview. Scripts only from the site itself, no
    script written in the page, no style attribute in markup; but 'unsafe-eval', because Decap checks its own
    configuration with an Ajv that compiles functions at run time (the guide's checks are compiled at build time
    and need none)."""
    origine = lambda url: re.match(r"^[a-z]+://[^/]+", url).group(0) if url and re.match(r"^[a-z]+://", url) else ""
    connect = ["'self'", origine(local)]
    if backend == "github":
        connect.append("https://api.github.com")
    if auth:
        connect.append(origine(auth))
    return "; ".join([
        "default-src 'self'",
        "script-src 'self' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        # …but no style attribute written in markup: a fiche's text shown in the preview could otherwise cover the
        # page (« <a style="position:fixed;…"> Session expirée »); Decap's own styles are style elements, and
        # React sets an element's style through the CSSOM, which this does not block.
        "style-src-attr 'none'",
        "img-src 'self' data: blob: https://avatars.githubusercontent.com https://raw.githubusercontent.com",
        "connect-src " + " ".join(dict.fromkeys(c for c in connect if c)),
        "frame-src 'self' blob:",
        "child-src 'self' blob:",
        "worker-src 'self' blob:",
        "font-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ])
