"""Step 4: render the joined guide into Markdown with the Jinja templates of macros/templates/.

Templates are the guide's code; fiches are data, and stay data here by construction:
- the templates run in Jinja's ImmutableSandboxedEnvironment (no attribute of Python's internals, no
  mutation of the guide's data) with autoescape on;
- every string a template reads from the guide (`t.nom`, `a.data.resume`, `libelles.type[x]`…) is an
  `Inerte`, whose escape is fragments.inerte: printed, joined (`~`, `join`) or put in an attribute, it is
  inert text, never Markdown or HTML syntax; any other string a template prints is made inert too
  (`finalize`). Only `Markup` passes as written: what the guide's own functions return (links, note calls,
  numbers) and the sanitised fragments of fiche text (filters `texte` and `bloc`, fragments.py).
Fiche text is never template source: it is a value the templates receive.
"""
from __future__ import annotations

import functools
import posixpath
import re
from pathlib import Path

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from guide import chemins
from guide.rendu.assainir import assainir
from guide.rendu.fragments import Fragments, inerte
from guide.modele.edition import date_en_francais
from guide.rendu import typographie
from guide.rendu.typographie import euros, nombre  # noqa: F401 (figures in French, also for the templates)
from guide.join import Guide
from guide.rendu.notes import Notes
from guide.modele.slugs import ancre_publication, ancre_sigle, slugify
from guide.rendu.sommaire import sur_cette_page
from guide.modele.schemas import libelles, schema_documents, suivre_ref  # noqa: F401 (libelles: the templates' labels)

TEMPLATES = chemins.TEMPLATES


class Inerte(str):
    """A string of the guide's data as a template reads it: escaped, it is inert text (fragments.inerte)."""

    __slots__ = ()

    def __html__(self) -> Markup:
        return inerte(self)


def _inerte(value):
    return Inerte(value) if type(value) is str else value


# What `getattr` finds on a plain dict (its methods): any other name read from one is a key.
_ATTRIBUTS_DE_DICT = frozenset(dir(dict))


class EnvironnementDesFiches(ImmutableSandboxedEnvironment):
    """The sandbox of the fiche templates, where every string read from an object or a mapping is Inerte."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._attributs_surs: dict = {}

    def getattr(self, obj, attribute):
        if type(obj) is dict and attribute not in _ATTRIBUTS_DE_DICT:
            # `a.data.titre`: Jinja's sandbox tries the attribute first, and a plain dict has none but its
            # methods: the AttributeError it raises then, for each of the guide's data fields read by every
            # page, cost more than the reading. The same result, without it: the key, or undefined.
            try:
                return _inerte(obj[attribute])
            except (TypeError, LookupError):
                return self.undefined(obj=obj, name=attribute)
        return _inerte(super().getattr(obj, attribute))

    def is_safe_attribute(self, obj, attr, value):
        # Jinja's checks (a name starting with « _ », internal attributes of functions, methods, types,
        # frames, generators…; methods that modify a list, dict, set or deque) depend on the object's type
        # and the name only, not on the value: checked once per (type, name) instead of at every read.
        cle = (type(obj), attr)
        sur = self._attributs_surs.get(cle)
        if sur is None:
            sur = self._attributs_surs[cle] = super().is_safe_attribute(obj, attr, value)
        return sur

    def getitem(self, obj, argument):
        return _inerte(super().getitem(obj, argument))


def _finalize(value):
    # What a template prints: Markup as written, any other string inert (Inerte strings are escaped by
    # autoescape through their __html__, plain ones made inert here).
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return inerte(value, bords=True)
    return value


# Filters of fiche text. The fragments of a build (fragments.Fragments: one converter, each text converted
# once) come with the render call (Renderer.render gives `fragments`), not from a module global.

@jinja2.pass_context
def texte(context, value) -> Markup:
    """A one-line fiche field (name, title, label) as inert text, shown as written: on one line, so that it
    never ends a table cell or a list item; no HTML, no attribute list, no link syntax to break."""
    return context["fragments"].ligne(value)


@jinja2.pass_context
def bloc(context, value) -> Markup:
    """A multi-paragraph fiche text (a body, a summary) as a sanitised, inert fragment, paragraphs and lists
    kept."""
    return context["fragments"].bloc(value)


@jinja2.pass_context
def sans_mise_en_forme(context, value) -> Markup:
    """A text written in Markdown (a résumé) on one line as plain text, its formatting dropped, inert."""
    return context["fragments"].sans_mise_en_forme(value)


@jinja2.pass_context
def nombre_ou_texte(context, value) -> Markup:
    """A figure in French (`nombre`), or the fiche's text as written when it is not a number."""
    out = nombre(value)
    return out if isinstance(out, Markup) else context["fragments"].ligne(out)


@jinja2.pass_context
def euros_ou_texte(context, value) -> Markup:
    """An amount in French (`euros`), or the fiche's text as written when it is not a number."""
    out = euros(value)
    return out if isinstance(out, Markup) else context["fragments"].ligne(out)


def code_coupable(value) -> Markup:
    """A field or key name as code that may wrap after « _ » or « . » (<wbr>), never inside a word."""
    return Markup(str(inerte(value)).replace("_", "_<wbr>").replace(".", ".<wbr>"))


def _garder_markup(fonction):
    """A filter whose result keeps its input's trust: Markup in, Markup out (a fragment stays a fragment)."""
    @functools.wraps(fonction)
    def filtre(value, *args, **kwargs):
        out = fonction(value, *args, **kwargs)
        return Markup(out) if isinstance(value, Markup) and isinstance(out, str) else out
    return filtre


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


class GabaritsCompiles(jinja2.FileSystemBytecodeCache):
    """Templates compiled once, not at every build: Jinja's own cache on disk (its folder for this user in the
    system's temporary folder, which Jinja creates private and refuses if another user owns it), and in memory
    for the builds of one `mkdocs serve`. MkDocs makes a new Jinja environment for each build: compiling
    Material's templates and the guide's again took half a second of every build, and a quarter of a second of
    the preview of an edited fiche. Jinja checks each template's source (checksum) before using its code, so an
    edited template is compiled again; only templates are compiled, never a fiche's text (see the module's
    docstring)."""

    def __init__(self):
        super().__init__()
        self._codes: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        code = self._codes.get(bucket.key)
        if code is None:
            super().load_bytecode(bucket)
        else:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket):
        self._codes[bucket.key] = bucket.bytecode_to_string()
        super().dump_bytecode(bucket)


@functools.lru_cache(maxsize=4)
def environnement(gabarits: Path = TEMPLATES) -> jinja2.Environment:
    """The Jinja environment of the templates of a folder, once per process: each template is compiled once,
    and again only when its file changes (Jinja checks under `mkdocs serve`)."""
    env = EnvironnementDesFiches(
        loader=jinja2.FileSystemLoader(gabarits),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=True,
        finalize=_finalize,
        bytecode_cache=GabaritsCompiles(),
    )
    env.filters.update(nombre=nombre_ou_texte, euros=euros_ou_texte, texte=texte, bloc=bloc,
                       sans_mise_en_forme=sans_mise_en_forme,
                       code_coupable=code_coupable, slug=slugify, date_fr=date_en_francais, pluriel=typographie.pluriel,
                       sur_cette_page=sur_cette_page, date=_garder_markup(typographie.date),
                       avec_annee=_garder_markup(typographie.avec_annee))
    env.globals.update(ancre_publication=ancre_publication, ancre_sigle=ancre_sigle)
    return env


class Renderer:
    """Renders pages for one build; `page_src` is the source path of the page being rendered."""

    def __init__(self, guide: Guide, gabarits: Path = TEMPLATES):
        self.guide = guide
        self.env = environnement(Path(gabarits))
        # Each template checked against its file once per build (a template edited under `mkdocs serve` is
        # read again), then taken from Jinja's cache: left on, Jinja's auto_reload looks at the file of a
        # template and of each template it imports at every one of the thousands of renders.
        self.env.auto_reload = True
        for name in self.env.list_templates(extensions=["j2"]):
            self.env.get_template(name)
        self.env.auto_reload = False
        self.libelles = libelles()
        # Acronyms of another language (fiches/sigles.yaml `langue`), marked in the HTML kept out of Markdown as
        # sigles.py marks them in pages: that HTML never meets the Markdown treeprocessors.
        etrangers = {s["sigle"]: s["langue"] for s in guide.sigles if s.get("langue")}
        self._etrangers = etrangers
        self._motif_etrangers = re.compile(
            r"(?<![\w-])(" + "|".join(re.escape(s) for s in sorted(etrangers, key=len, reverse=True)) + r")(?![\w-])"
        ) if etrangers else None
        self.fragments = Fragments()  # the fiche texts of this build, each converted and sanitised once
        self.blocs: dict[str, str] = {}  # HTML kept out of Markdown (brut), by marker, for this build

    def brut(self, html: str) -> str:
        """A marker for HTML that Markdown must not parse, put back by restituer() once the page is HTML.

        The matrix and the territory finder are HTML tables that grow with the number of fiches:
        Markdown only had to find where they end (md_in_html parses every tag for that), and
        Material's search to skip them (they are not searched).
        """
        key = str(len(self.blocs))
        # French spaces and dates in its text, as the Markdown of the page gets them (typographie.py); then
        # sanitised, as it is put back after the page's own pass (plugin.on_page_content).
        self.blocs[key] = assainir(_TEXTE_HTML.sub(lambda m: ">" + self._langues(typographie.typographier(m.group(1))) + "<",
                                                   str(html)))
        return Markup(f"<!--guide-brut:{key}-->")

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

        def lien(target: str) -> Markup:
            """Relative link from the current page to a source file (`champs/x.md#a`), for Markdown links."""
            path, _, anchor = str(target).partition("#")
            return Markup(_relatif(path, page_dir) + (f"#{anchor}" if anchor else ""))

        def url(target: str) -> Markup:
            """Relative address of a source file's page (`../x/#a`), for HTML that MkDocs does not rewrite."""
            path, _, anchor = str(target).partition("#")
            return Markup(_url_relative(url_de(path), page_url) + (f"#{anchor}" if anchor else ""))

        # notes: the numbered source notes of this page (notes.py), filled as the template shows facts
        return self.env.get_template(template).render(
            guide=self.guide, lien=lien, url=url, brut=self.brut, libelles=self.libelles, page_src=page_src,
            notes=Notes(), fragments=self.fragments, **context)


def _kind(node) -> str | Markup:
    if "enum" in node:
        return Markup("l'une de : " + ", ".join(f"<code>{inerte(v)}</code>" for v in node["enum"]))
    types = node.get("type", "")
    types = [types] if isinstance(types, str) else types
    names = {"string": "texte", "integer": "entier", "number": "nombre", "array": "liste",
             "object": "bloc", "boolean": "vrai/faux"}
    return " ou ".join(names.get(t, t) for t in types)


def _nombre(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def _bornes(node, base: str, documents: dict) -> str:
    """The bounds of a key, in words, from its schema (maxItems, uniqueItems, maxLength, of a list's items too):
    what the validator enforces, shown on the model page from the same numbers."""
    parts = []
    if "maxItems" in node:
        parts.append(f"{_nombre(node['maxItems'])} éléments au plus")
    if node.get("uniqueItems"):
        parts.append("sans doublon")
    items = suivre_ref(node.get("items", {}), base, documents)[0] if node.get("type") == "array" else node
    if isinstance(items, dict) and "maxLength" in items:
        prefix = "chacun " if items is not node else ""
        parts.append(f"{prefix}{_nombre(items['maxLength'])} caractères au plus")
    return f" ({', '.join(parts)})" if parts else ""


def limites() -> dict:
    """The bounds applied before the schemas (`x-limites` of the shared schema: file size, nesting, free text)."""
    return schema_documents()["commun.schema.yaml"]["x-limites"]


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
            row = {"champ": prefix + name, "profondeur": depth, "attendu": _kind(prop), "bornes": _bornes(prop, pbase, documents),
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
