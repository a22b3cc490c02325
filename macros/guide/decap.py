"""The web form for editors without git: Decap CMS at /admin/, configured from the fiche schemas.

Nothing here is committed as a generated file: `fichiers()` returns, for each build, the admin page,
its configuration (config.yml, written from the same JSON Schemas that validate the fiches, so the
form asks exactly for what the validator requires) and the Decap bundle copied from node_modules/.

Decap's GitHub backend with the editorial workflow turns each saved fiche into a branch and a pull
request, which the checks of .github/workflows/ then verify like any other; `local_backend` lets an
editor (and the tests) use `npx decap-server` on a clone instead of GitHub.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import yaml

from .join import Guide
from .validate import schema_documents, suivre_ref

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "node_modules" / "decap-cms" / "dist"
YAML_JS = ROOT / "node_modules" / "js-yaml" / "dist" / "js-yaml.min.js"
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


class _Champs:
    """Turns schema properties into Decap fields; `choix` gives the select options of identifier keys."""

    def __init__(self, documents: dict, choix: dict):
        self.documents = documents
        self.choix = choix  # key name → [{label, value}] (champ slugs, publications, territories)

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
        field = {"name": name, "label": name, "required": required}
        hint = prop.get("description")
        if hint:
            field["hint"] = " ".join(str(hint).split())
        types = _types(prop)
        if "enum" in prop:
            labels = prop.get("x-libelles", {})
            field.update(widget="select", options=[{"label": labels.get(v, str(v)), "value": v} for v in prop["enum"]])
        elif name in self.choix and "array" not in types:
            field.update(widget="select", options=self.choix[name])
        elif "array" in types:
            items, ibase = _resolve(prop.get("items", {}), base, self.documents)
            if name in self.choix:
                field.update(widget="select", multiple=True, options=self.choix[name])
            elif "object" in _types(items):
                sub = self.objet(items, ibase)
                field.update(widget="list", fields=sub, collapsed=True,
                             summary="{{fields.%s}}" % next((f["name"] for f in sub if f["required"]), sub[0]["name"]))
            else:
                field.update(widget="list", field=self.champ("valeur", items, ibase, True) | {"label": name})
            if prop.get("minItems"):
                field["min"] = prop["minItems"]
        elif "object" in types:
            field.update(widget="object", fields=self.objet(prop, base, required), collapsed=not required)
        elif "boolean" in types:
            field["widget"] = "boolean"
        elif "integer" in types and "string" not in types:
            field.update(widget="number", value_type="int")
            for key, decap in (("minimum", "min"), ("maximum", "max")):
                if key in prop:
                    field[decap] = prop[key]
        elif "number" in types:
            # A figure: a number in the form (the validator also accepts text such as « près de 500 000 »,
            # which an editor writes in the fiche file).
            field.update(widget="number", value_type="float")
        else:
            field["widget"] = "text" if name in TEXTES_LONGS else "string"
            if "pattern" in prop:
                field["pattern"] = [prop["pattern"], hint or "format incorrect"]
        return field


def choix(guide: Guide) -> dict:
    """Select options of the keys that name another fiche or a publication, from the current guide."""
    champs = [{"label": f"{c.data['titre']} ({c.slug})", "value": c.slug}
              for famille in ("levier", "focus", "cadre") for c in guide.champs_de(famille)]
    publications = [{"label": f"{p.get('edition') or p['titre']} — {p['titre']} ({i})", "value": i}
                    for i, p in guide.publications.items()]
    territoires = sorted(({"label": t.data["nom"], "value": slug} for slug, t in guide.territoires.items()),
                         key=lambda o: o["label"])
    return {"champs": champs, "publication": publications, "coporteurs": territoires}


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
        "media_folder": "docs/assets/images",
        "public_folder": "/assets/images",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [],
    }
    if auth:
        config["backend"]["base_url"] = auth
    for spec in COLLECTIONS:
        schema = documents[spec["schema"]]
        fields = champs.objet(schema, spec["schema"])
        fields.append({"name": "body", "label": "Texte de présentation (facultatif)", "widget": "markdown",
                       "required": spec["name"] == "champs"})
        collection = {k: v for k, v in spec.items() if k != "schema"}
        collection.update(extension="md", format=f"fiche-{spec['name']}" if fiche_format else "frontmatter", slug="{{%s}}" % spec["identifier_field"],
                          delete=False, fields=fields, editor={"preview": True})
        config["collections"].append(collection)
    return config


def ordre(node, base: str, documents: dict) -> dict:
    """Key order of a schema, nested: {key: order of its block or list items}, for the form's writer."""
    node, base = _resolve(node, base, documents)
    if "array" in _types(node):
        return ordre(node.get("items", {}), base, documents)
    return {name: ordre(prop, base, documents) for name, prop in node.get("properties", {}).items()}


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


def fichiers(guide: Guide, styles: list[str], depot: str = "") -> dict[str, str | Path] | None:
    """Files of /admin/ (site path → text, or Path of a file to copy), or None when Decap is not installed
    (npm ci was not run): the site is then built without the form."""
    from jinja2 import FileSystemLoader
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from .render import TEMPLATES

    bundle = BUNDLE / "decap-cms.js"
    if not bundle.is_file():
        return None
    documents = schema_documents()
    # js-yaml writes the fiches the form saves, as the formatter would (see the admin page). It is the one
    # Decap's gray-matter brings (pinned by package-lock.json); without it the form uses Decap's own writer.
    yaml_js = YAML_JS if YAML_JS.is_file() else None
    local = os.environ.get("GUIDE_DECAP_LOCAL") or None  # e.g. http://127.0.0.1:8086/api/v1 (decap-server)
    config = configuration(guide, depot, local, fiche_format=yaml_js is not None,
                           auth=os.environ.get("GUIDE_DECAP_AUTH") or None)
    # The form's page holds no fiche data (only the schemas' order and numeric keys, as JSON for its script):
    # a sandbox of its own, without the fiche pages' Markdown escaping.
    page = ImmutableSandboxedEnvironment(loader=FileSystemLoader(TEMPLATES), trim_blocks=True, lstrip_blocks=True).get_template("admin/index.html.j2").render(
        styles=["../" + s for s in styles], yaml_js=yaml_js and "js-yaml.min.js",
        ordre=json.dumps({c["name"]: ordre(documents[c["schema"]], c["schema"], documents) for c in COLLECTIONS}),
        nombres=nombres(documents))
    out: dict[str, str | Path] = {
        f"{DOSSIER}/index.html": page,
        f"{DOSSIER}/config.yml": yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=120),
        f"{DOSSIER}/decap-cms.js": bundle,
    }
    if yaml_js:
        out[f"{DOSSIER}/js-yaml.min.js"] = yaml_js
    # The bundle loads its other parts (chunks) on demand, from beside itself.
    for chunk in sorted(BUNDLE.glob("*.decap-cms.js")):
        out[f"{DOSSIER}/{chunk.name}"] = chunk
    return out
