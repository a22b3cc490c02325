"""Step 4: render the joined guide into Markdown with the Jinja templates of macros/templates/.

Fiche text is passed to templates as data, so `{{ … }}` written in a fiche is shown
as written. Fields are plain text: `<` and `>` are escaped so no field can carry HTML.
"""
from __future__ import annotations

import functools
import posixpath
import re
from pathlib import Path

import jinja2

from .assainir import assainir
from .edition import date_en_francais
from . import typographie
from .join import Guide
from .notes import Notes
from .slugs import slugify
from .sommaire import sur_cette_page
from .validate import schema_documents, suivre_ref

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def nombre(value) -> str:
    """French number formatting: 656275 → « 656 275 », 13.8 → « 13,8 ». Text is kept as written."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return texte(value)
    if isinstance(value, float) and not value.is_integer():
        whole, _, frac = f"{value}".partition(".")
        return f"{int(whole):,}".replace(",", "\u202f") + "," + frac
    return f"{int(value):,}".replace(",", "\u202f")


_SAUT_DE_LIGNE = re.compile(r"\s*\n\s*")


def _echapper(text: str) -> str:
    # `{` as an entity: attr_list (`{: onclick=… }`, `{ style=… }`) never reads attributes in a fiche field;
    # the reader sees the same brace.
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("{", "&#123;") if "{" in text else text


def texte(value) -> str:
    """A fiche field as inline Markdown: no HTML, no attribute list, no line breaks that would end a table cell."""
    text = _echapper(str(value))
    return (_SAUT_DE_LIGNE.sub(" ", text) if "\n" in text else text).strip()


def bloc(value) -> str:
    """A multi-line fiche field as a Markdown block (paragraphs kept), HTML and attribute lists escaped."""
    return _echapper(str(value)).strip()


@functools.lru_cache(maxsize=1 << 14)
def _relatif(path: str, page_dir: str) -> str:
    # Pages link to the same few hundred files (champs, sources, glossary): computed once each.
    return posixpath.relpath(path, page_dir)


def url_de(src: str) -> str:
    """Directory URL of a source page (use_directory_urls): champs/x.md → champs/x/, etude/index.md → etude/."""
    path = src.removesuffix(".md")
    if path == "index" or path.endswith("/index"):
        path = path[: -len("index")]
    else:
        path += "/"
    return path


@functools.lru_cache(maxsize=1 << 14)
def _url_relative(target_url: str, page_url: str) -> str:
    rel = posixpath.relpath(target_url or ".", page_url or ".")
    return rel + "/" if target_url.endswith("/") or not target_url else rel


_BRUT = re.compile(r"<!--guide-brut:(\d+)-->")
_TEXTE_HTML = re.compile(r">([^<]+)<")  # text between two tags (never an attribute)


@functools.lru_cache(maxsize=1)
def environnement() -> jinja2.Environment:
    """The Jinja environment of the templates, once per process: each template is compiled once, and
    again only when its file changes (Jinja checks under `mkdocs serve`)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(nombre=nombre, texte=texte, bloc=bloc, slug=slugify, date_fr=date_en_francais,
                       pluriel=typographie.pluriel, sur_cette_page=sur_cette_page, date=typographie.date, avec_annee=typographie.avec_annee)
    return env


class Renderer:
    """Renders pages for one build; `page_src` is the source path of the page being rendered."""

    def __init__(self, guide: Guide):
        self.guide = guide
        self.env = environnement()
        # Each template checked against its file once per build (a template edited under `mkdocs serve` is
        # read again), then taken from Jinja's cache: left on, Jinja's auto_reload looks at the file of a
        # template and of each template it imports at every one of the thousands of renders.
        self.env.auto_reload = True
        for name in self.env.list_templates(extensions=["j2"]):
            self.env.get_template(name)
        self.env.auto_reload = False
        self.libelles = libelles()
        self.blocs: dict[str, str] = {}  # HTML kept out of Markdown (brut), by marker, for this build
        # Acronyms of another language (fiches/sigles.yaml `langue`), marked in the HTML kept out of Markdown as
        # sigles.py marks them in pages: that HTML never meets the Markdown treeprocessors.
        etrangers = {s["sigle"]: s["langue"] for s in guide.sigles if s.get("langue")}
        self._etrangers = etrangers
        self._motif_etrangers = re.compile(
            r"(?<![\w-])(" + "|".join(re.escape(s) for s in sorted(etrangers, key=len, reverse=True)) + r")(?![\w-])"
        ) if etrangers else None

    def brut(self, html: str) -> str:
        """A marker for HTML that Markdown must not parse, put back by restituer() once the page is HTML.

        The matrix and the territory finder are HTML tables that grow with the number of fiches:
        Markdown only had to find where they end (md_in_html parses every tag for that), and
        Material's search to skip them (they are not searched).
        """
        key = str(len(self.blocs))
        # French spaces and dates in its text, as the Markdown of the page gets them (typographie.py); then
        # sanitised, as it is put back after the page's own pass (hooks.on_page_content).
        self.blocs[key] = assainir(_TEXTE_HTML.sub(lambda m: ">" + self._langues(typographie.typographier(m.group(1))) + "<",
                                                   str(html)))
        return f"<!--guide-brut:{key}-->"

    def _langues(self, text: str) -> str:
        """`<span lang="en">SROI</span>` around each acronym of another language in a run of HTML text."""
        if self._motif_etrangers is None:
            return text
        return self._motif_etrangers.sub(lambda m: f'<span lang="{self._etrangers[m.group(1)]}">{m.group(1)}</span>', text)

    def restituer(self, html: str) -> str:
        """The page's HTML with the blocks kept out of Markdown put back."""
        return _BRUT.sub(lambda m: self.blocs.get(m.group(1), m.group(0)), html) if "<!--guide-brut:" in html else html

    def render(self, template: str, page_src: str, **context) -> str:
        page_dir = posixpath.dirname(page_src) or "."
        page_url = url_de(page_src)

        def lien(target: str) -> str:
            """Relative link from the current page to a source file (`champs/x.md#a`), for Markdown links."""
            path, _, anchor = target.partition("#")
            return _relatif(path, page_dir) + (f"#{anchor}" if anchor else "")

        def url(target: str) -> str:
            """Relative address of a source file's page (`../x/#a`), for HTML that MkDocs does not rewrite."""
            path, _, anchor = target.partition("#")
            return _url_relative(url_de(path), page_url) + (f"#{anchor}" if anchor else "")

        # notes: the numbered source notes of this page (notes.py), filled as the template shows facts
        return self.env.get_template(template).render(
            guide=self.guide, lien=lien, url=url, brut=self.brut, libelles=self.libelles, page_src=page_src,
            notes=Notes(), **context)


@functools.lru_cache(maxsize=1)
def libelles() -> dict:
    """French labels of enumerations, read from the schemas (`x-libelles`); computed once per process, as
    the schemas are loaded (validate.schemas): every page's search filters and open data rows read them."""
    out = {}

    def walk(node, name=None):
        if isinstance(node, dict):
            if "x-libelles" in node and name:
                out[name] = node["x-libelles"]
            if "x-pluriels" in node and name:
                out[name + "_pluriel"] = node["x-pluriels"]
            for key, value in node.items():
                walk(value, key if isinstance(value, dict) else name)
        elif isinstance(node, list):
            for item in node:
                walk(item, name)

    for _, document in sorted(schema_documents().items()):
        walk(document)
    return out


def _kind(node) -> str:
    if "enum" in node:
        return "l'une de : " + ", ".join(f"`{v}`" for v in node["enum"])
    types = node.get("type", "")
    types = [types] if isinstance(types, str) else types
    names = {"string": "texte", "integer": "entier", "number": "nombre", "array": "liste",
             "object": "bloc", "boolean": "vrai/faux"}
    return " ou ".join(names.get(t, t) for t in types)


def schema_rows(schema_name: str, pointer: str = "") -> list[dict]:
    """Flatten a schema (or one `$defs` entry of it, `pointer` = "/$defs/citation") into documentation rows:
    key path, expected value, required, description. A shared structure (a `$defs` entry with a `title`,
    such as a citation or a dated figure) is not expanded: its row names it (`structure`), and it is
    described once by `structures()`."""
    documents = schema_documents()
    rows = []

    def walk(node, base, prefix, depth):
        node, base, _ = suivre_ref(node, base, documents)
        required = set(node.get("required", []))
        for name, prop in node.get("properties", {}).items():
            prop, pbase, shared = suivre_ref(prop, base, documents)
            row = {"champ": prefix + name, "profondeur": depth, "attendu": _kind(prop),
                   "obligatoire": name in required, "description": prop.get("description", ""), "structure": shared,
                   "liste": False}
            rows.append(row)
            if shared:
                continue
            if prop.get("type") == "object":
                walk(prop, pbase, prefix + name + ".", depth + 1)
            if prop.get("type") == "array":
                items, ibase, item_shared = suivre_ref(prop.get("items", {}), pbase, documents)
                if item_shared:
                    row.update(structure=item_shared, liste=True)
                elif items.get("type") == "object":
                    walk(items, ibase, prefix + name + "[].", depth + 1)

    root = documents[schema_name]
    for part in filter(None, pointer.split("/")):
        root = root[part]
    walk(root, schema_name, "", 0)
    return rows


def structures(schema_name: str = "commun.schema.yaml") -> list[dict]:
    """The shared structures (`$defs` entries with a `title`): title, description and rows, described once."""
    documents = schema_documents()
    out = []
    for key, node in documents[schema_name].get("$defs", {}).items():
        if isinstance(node, dict) and "title" in node and node.get("type") == "object":
            out.append({"titre": node["title"], "id": key, "description": node.get("description", ""),
                        "rows": schema_rows(schema_name, f"/$defs/{key}")})
    return out
