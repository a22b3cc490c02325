"""The guarantee that a fiche stays text: every page's HTML goes through an allowlist sanitiser.

Fiches come from contributors through pull requests, and their text reaches pages as Markdown
(free text, fields through the `texte` and `bloc` filters, attribute lists of attr_list). The
validator refuses obvious active content early with a friendly message (validate.contenu_actif);
this module is what guarantees it: after Markdown, the HTML of every page (fiche pages, champ pages,
indexes, matrix, finder, glossary, sources, printed sections) keeps only the tags, attributes and URL
schemes the guide needs. nh3 (the Python binding of the Rust `ammonia` sanitiser, pinned in
requirements.txt) does the parsing and the URL checks as a browser would (a `java&#9;script:` link
is a javascript: link to it too).

Allowed: the tags Markdown and Material's extensions produce for authored pages (admonitions,
details, tables, abbreviations, permalinks), and the few the guide's own templates write (finder
form, print contents, the drawing elements of the map); attributes: id, title, lang, role, hidden, aria-*,
data-* (the finder, the matrix, search exclusions, Pagefind's data-pagefind-*), and a handful per tag (href,
src, alt…);
classes: only those the guide's pipeline writes into page content (CLASSES, by tag). A class of Material's
page chrome (md-header, md-dialog, md-sidebar, md-overlay, md-search, md-banner, md-top, md-nav…) written
into a fiche would let it mimic or cover the site's interface (a fake « session expirée » dialog over the
page): none is allowed. ammonia keeps, of a `class` attribute, the classes listed for its tag and drops the
others (an attribute left empty, `class=""`, is harmless); on a tag absent from CLASSES it drops the
attribute. Classes added after this pass (impression.page_html and .assembler: guide-externe, guide-url,
guide-impression-ligne, guide-adresse, guide-imprimer-section, guide-partie-corps…; Material's and
overrides/' templates around the content: md-content__inner, guide-outils, guide-edition…) need no entry.
Refused: every event handler (on…), style, srcdoc, script, iframe, object, embed, math, SVG's active
elements (animate, set, use, image, foreignObject), forms
that send anywhere (no action), and any URL whose scheme is not http, https or mailto (relative
addresses are kept). `target` is not in the allowlist either: no link of the guide opens a new
window, so no linked page can reach back through window.opener (the reason for rel="noopener").

HTML comments are kept: they cannot run, and the markers of the blocks kept out of Markdown
(render.Renderer.brut) are comments put back after this pass.
"""
from __future__ import annotations

import zlib
from concurrent.futures import Future, ThreadPoolExecutor

import nh3

from guide.modele.validate import SCHEMAS_PUBLIES, schema_documents

# The map's shading bands (carte.md.j2: guide-carte__n{{ d.nuance }}, one per band of carte.NUANCES). Counted
# here, not imported: the sanitiser reads no output module (tests/test_carte.py checks the two agree).
BANDES_DE_LA_CARTE = 5
_NUANCES = {f"guide-carte__n{i}" for i in range(BANDES_DE_LA_CARTE)}

TAGS = frozenset({
    # text and structure (Markdown, md_in_html, Material)
    "a", "abbr", "b", "blockquote", "br", "cite", "code", "dd", "del", "details", "dfn", "div", "dl", "dt",
    "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
    "mark", "nav", "ol", "p", "pre", "q", "s", "samp", "section", "small", "span", "strong", "sub",
    "summary", "sup", "time", "u", "ul", "var", "wbr",
    # tables
    "caption", "col", "colgroup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    # the territory finder (index_territoires.md.j2): a form without action, filled by filtres.js; its one text box
    # is a search box whatever a page writes (SAISIE: no password nor file field can be drawn)
    "button", "form", "input", "label", "optgroup", "option", "select",
    # the map of the territories (carte.md.j2): drawing elements only; nothing that animates, references
    # another document or embeds HTML (no animate, set, use, image, foreignObject, style)
    "svg", "g", "path", "rect", "text", "title",
})

# The attribute every <input> gets, whatever it was written with.
SAISIE = {"input": {"type": "search"}}

# Removed with everything inside them (their text is code, not something a reader should see).
CONTENU_RETIRE = frozenset({"script", "style", "template", "textarea", "iframe", "object", "noscript"})

ATTRIBUTS = {
    # (no `class` here or below: classes are allowed one by one, in CLASSES)
    "*": {"id", "title", "lang", "dir", "role", "hidden", "tabindex"},
    "a": {"href", "download", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope", "abbr"},
    "col": {"span"},
    "colgroup": {"span"},
    "time": {"datetime"},
    "details": {"open"},
    "label": {"for"},
    "button": {"type", "disabled"},
    "select": {"name", "multiple", "disabled"},
    "input": {"type", "name", "autocomplete", "spellcheck", "placeholder"},
    "option": {"value", "selected", "disabled", "label"},
    "optgroup": {"label", "disabled"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    # SVG: geometry only (its links are <a href>, checked like any link; no xlink:href, no width/height on
    # <svg>, so a drawing cannot cover the page)
    "svg": {"viewBox", "xmlns", "focusable"},
    "g": {"transform"},
    "path": {"d"},
    "rect": {"x", "y", "width", "height", "rx", "ry"},
    "text": {"x", "y", "text-anchor", "dx", "dy"},
}

# Attribute families any tag may carry: accessibility, and the data the scripts and search engines read
# (data-search-exclude, data-tri, data-champs…, data-pagefind-*). None of them is ever run as code.
PREFIXES = {"aria-", "data-"}

# The schemes kept in links, one set for the sanitiser and the validator, which tells an editor of any other.
SCHEMAS_URL = SCHEMAS_PUBLIES


def _natures() -> list[str]:
    """The natures of an action, whose badge shows their label (_commun.md.j2: `libelles.nature`): the values of
    a `nature` field of fiches/schemas/ that has `x-libelles`. Read, not copied: a nature added to the schema
    gets its badge class with it."""
    found: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("nature"), dict):
                found.extend(node["nature"].get("x-libelles", {}))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(schema_documents())
    return found


# Material's admonition types (its stylesheet colours and icons them): `!!! type` (admonition) and `??? type`
# (pymdownx.details) in templates and in a fiche's own Markdown. The guide's templates use abstract, info,
# quote and note.
ADMONITIONS = ("note", "abstract", "info", "tip", "success", "question", "warning", "failure", "danger", "bug",
               "example", "quote")

# CSS classes allowed in page content, by tag, grouped by what writes them. A class of the guide's templates
# missing here is dropped from the site: tests/test_securite.py builds the real site and fails on it.
_GROUPES: tuple[dict[str, set[str]], ...] = (
    # Python-Markdown and pymdownx extensions of mkdocs.yml
    {"div": {"admonition", *ADMONITIONS}, "p": {"admonition-title"}},   # admonition
    {"details": set(ADMONITIONS)},                                       # pymdownx.details
    # an acronym explained inside a bracket of the text, whose expansion paper prints in square brackets (sigles.py)
    {"abbr": {"guide-sigle-entre-parentheses"}},
    # the « Notes sur les sources » block of a fiche page (_commun.md.j2): the search weighs it nothing (recherche.py)
    {"details": {"guide-notes-sources"}},
    # …where a publication the page's notes already give is left out on paper (_commun.md.j2, impression.css)
    {"p": {"guide-en-note"}, "span": {"guide-en-note"}},
    # …and its « Publications dont la fiche est tirée », a short list kept whole on paper (impression.css), whose
    # heading says on paper that it leaves out the publications the notes cite; a longer one may begin a sheet
    {"p": {"guide-tiree-de", "guide-tiree-de-longue"}, "span": {"guide-sur-papier"}},
    # …its « À propos de cette fiche », prose that may end a printed sheet (impression.css)
    {"p": {"guide-a-propos"}},
    # a publication's heading on the sources page (sources.md.j2), to which the notes link: no « voir p. » (pdf.py)
    {"h2": {"guide-publication"}},
    # the territory index's line that says where the region print links are (index_territoires.md.j2), screen only
    {"p": {"guide-imprimer-section"}},
    # …and the publications it cites, named in full on paper (_commun.md.j2, impression.css)
    {"p": {"guide-publications-citees"}},
    {"div": {"footnote"}, "a": {"footnote-ref", "footnote-backref"}},  # footnotes (source notes, notes.py)
    {"span": {"guide-retour-lie"}},  # a note's last word and its link back, never apart (typographie.py)
    {"a": {"headerlink"}},                                               # toc's permalinks (« # »)
    # fenced_code (added by MkDocs): the languages of the code blocks of the « Contribuer » page
    # (CONTRIBUTING.md, through pymdownx.snippets); nothing highlights them, the class only names the language
    {"code": {"language-bash", "language-markdown", "language-yaml"}},
    # Material's content classes, written in docs/ pages: grid cards (docs/index.md), buttons (the finder's and
    # the search page's, docs/recherche.md)
    {"div": {"grid", "cards"}, "button": {"md-button", "md-button--primary"}},
    # the guide's templates (macros/templates/*.j2) and authored pages: lead paragraph (attr_list
    # `{: .guide-chapeau }`), dates and sources beside a text, visually hidden labels, action badges (_commun.md.j2: one per nature of the
    # schemas), the home page's « besoins » cards, the sources page's links
    # an action's last lines, kept with it on paper (`{: .guide-suite-action }`, _commun.md.j2)
    # the key to an action's badges under a territory's actions (territoire.md.j2)
    {"p": {"guide-chapeau", "guide-en-ligne", "guide-suite-action", "guide-legende"}, "span": {"guide-meta", "guide-sr", "guide-badge",
                                                        *(f"guide-badge--{n}" for n in _natures())},
     "div": {"guide-besoins"}},
    # the territory finder (index_territoires.md.j2, docs/assets/filtres.js) and the search page (docs/recherche.md)
    {"form": {"guide-filtres", "guide-recherche"}, "p": {"guide-filtres__statut"}, "table": {"guide-territoires"},
     "small": {"guide-filtres__aide"}, "span": {"guide-dont"},  # « (dont 3 mentions) », on its own line on paper
     "div": {"guide-filtres__champ", "guide-filtres__actions", "guide-recherche__mots", "guide-recherche__resultats"}},
    # the finder's filters folded under a summary on phones (index_territoires.md.j2), with its counts; the search
    # page's too (docs/recherche.md)
    {"details": {"guide-filtres-volet", "guide-recherche__volet"}, "span": {"guide-filtres-volet__etat"},
     "div": {"guide-recherche__filtres"}},
    # the levers of a champ page (champ.md.j2): each lever's heading and its « Qui le fait »
    {"h3": {"guide-levier"}, "p": {"guide-qui-le-fait"}},
    # a fiche page's « Sur cette page » (sommaire.py), its legal references stacked on phones (without the columns
    # no row fills), a printed champ's example summaries (champ.md.j2)
    {"nav": {"guide-sur-cette-page"}, "p": {"guide-sur-cette-page__titre"},
     "span": {"guide-sommaire-compte", "guide-imprime", "guide-imprime--ailleurs"},
     "div": {"guide-references", "guide-references--sans-article", "guide-references--sans-date"}},
    # a territory's « Territoires comparables » (territoire.md.j2), which the search leaves out (recherche.EXCLUS)
    {"div": {"guide-comparables"}},
    # between two note calls of a fact (notes.py)
    {"sup": {"guide-appels"}},
    # the matrix (matrice.md.j2)
    {"div": {"guide-matrice-cadre"}, "table": {"guide-matrice", "guide-matrice-leviers"}, "span": {"guide-matrice__entete"},
     "details": {"guide-matrice-region", "guide-matrice-liste"}, "a": {"guide-matrice__mention"}},  # its folds at scale
    # the map (carte.md.j2, carte.py): SVG drawing, shading bands (one class per band of carte.NUANCES), legend, list
    {"figure": {"guide-carte__figure"}, "svg": {"guide-carte__svg"}, "g": {"guide-carte__zoom"},
     "rect": {"guide-carte__cadre", *_NUANCES}, "path": set(_NUANCES), "text": {"guide-carte__legende-zoom"},
     "div": {"guide-carte", "guide-carte__liste"}, "p": {"guide-carte__legende-titre"}, "ul": {"guide-carte__legende"},
     "table": {"guide-carte__tableau"},
     "span": {"guide-carte__pastille", "guide-carte__nombre", "guide-carte__noms", "guide-carte__region", *_NUANCES}},
    # printed sections (impression.md.j2; impression.py: the placeholder of each part, filled after this pass)
    {"div": {"guide-couverture", "guide-couverture-sources", "guide-ouverture", "guide-partie"},
     "p": {"guide-chapeau", "guide-couverture-chiffres", "guide-couverture-sous-titre", "guide-sommaire-titre",
           "guide-sommaire-aide"},
     "nav": {"guide-sommaire", "guide-sommaire--livre"}, "li": {"guide-sommaire-groupe"},
     "span": {"guide-sommaire-entree", "guide-sommaire-page"}},
)

CLASSES: dict[str, frozenset[str]] = {
    tag: frozenset(c for groupe in _GROUPES for c in groupe.get(tag, ()))
    for tag in sorted({tag for groupe in _GROUPES for tag in groupe})
}


_NETTOYEUR = nh3.Cleaner(
    tags=set(TAGS),
    clean_content_tags=set(CONTENU_RETIRE),
    attributes={tag: set(names) for tag, names in ATTRIBUTS.items()},
    generic_attribute_prefixes=set(PREFIXES),
    url_schemes=set(SCHEMAS_URL),
    allowed_classes={tag: set(classes) for tag, classes in CLASSES.items()},
    strip_comments=False,
    link_rel=None,  # no `target` is kept (see above): there is no new window to protect
    set_tag_attribute_values=SAISIE,
)


def assainir(html: str) -> str:
    """The HTML fragment `html` with only the allowed tags, attributes, classes and URL schemes (see module doc)."""
    return _NETTOYEUR.clean(html) if html else html


def emballer(html: str) -> bytes:
    """A page's HTML as it waits to be written (all pages are converted before the first is written, and a
    printed section reproduces its pages at the end of the build): compressed UTF-8, about a tenth of the
    string's memory (French text makes most pages' strings two bytes a character). zlib, not a hand-written
    format; level 1: the fastest, it lets go of the interpreter while it works."""
    return zlib.compress(html.encode("utf-8", errors="surrogatepass"), 1)


def deballer(paquet: bytes) -> str:
    return zlib.decompress(paquet).decode("utf-8", errors="surrogatepass")


def _assainir_et_emballer(html: str) -> bytes:
    return emballer(assainir(html))


class Assainisseur:
    """The sanitiser of one build's pages, on a thread of its own (held by the plugin, closed after the build)."""

    def __init__(self):
        self._file: ThreadPoolExecutor | None = None

    def a_part(self, html: str) -> Future:
        """`assainir(html)` started on a thread of its own; its result (a Future of the sanitised HTML, packed:
        see `emballer`) is taken when the page is written.

        nh3 lets go of the interpreter while it parses and rewrites (Rust): pages are sanitised on the machine's
        other core while MkDocs converts the next ones (1.5 s of a 2,000-fiche build, otherwise spent in line)."""
        if self._file is None:
            self._file = ThreadPoolExecutor(max_workers=1, thread_name_prefix="guide-assainir")
        return self._file.submit(_assainir_et_emballer, html)

    def fermer(self) -> None:
        if self._file is not None:
            self._file.shutdown(wait=False, cancel_futures=True)
            self._file = None
