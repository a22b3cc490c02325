"""The guarantee that a fiche stays text: every page's HTML goes through an allowlist sanitiser.

Fiches come from contributors through pull requests, and their text reaches pages as Markdown
(free text, fields through the `texte` and `bloc` filters, attribute lists of attr_list). The
validator refuses obvious active content early with a friendly message (validate.ACTIVE_CONTENT);
this module is what guarantees it: after Markdown, the HTML of every page (fiche pages, champ pages,
indexes, matrix, finder, glossary, sources, printed sections) keeps only the tags, attributes and URL
schemes the guide needs. nh3 (the Python binding of the Rust `ammonia` sanitiser, pinned in
requirements.txt) does the parsing and the URL checks as a browser would (a `java&#9;script:` link
is a javascript: link to it too).

Allowed: the tags Markdown and Material's extensions produce for authored pages (admonitions,
details, tables, abbreviations, permalinks), and the few the guide's own templates write (finder
form, print contents, the drawing elements of the map); attributes: class, id, title, lang, role, hidden, aria-*, data-* (the finder,
the matrix, search exclusions, Pagefind's data-pagefind-*), and a handful per tag (href, src, alt…).
Refused: every event handler (on…), style, srcdoc, script, iframe, object, embed, math, SVG's active
elements (animate, set, use, image, foreignObject), forms
that send anywhere (no action), and any URL whose scheme is not http, https or mailto (relative
addresses are kept). `target` is not in the allowlist either: no link of the guide opens a new
window, so no linked page can reach back through window.opener (the reason for rel="noopener").

HTML comments are kept: they cannot run, and the markers of the blocks kept out of Markdown
(render.Renderer.brut) are comments put back after this pass.
"""
from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

import nh3

TAGS = frozenset({
    # text and structure (Markdown, md_in_html, Material)
    "a", "abbr", "b", "blockquote", "br", "cite", "code", "dd", "del", "details", "dfn", "div", "dl", "dt",
    "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
    "mark", "nav", "ol", "p", "pre", "q", "s", "samp", "section", "small", "span", "strong", "sub",
    "summary", "sup", "time", "u", "ul", "var", "wbr",
    # tables
    "caption", "col", "colgroup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    # the territory finder (index_territoires.md.j2): a form without action, filled by filtres.js
    "button", "form", "label", "optgroup", "option", "select",
    # the map of the territories (carte.md.j2): drawing elements only; nothing that animates, references
    # another document or embeds HTML (no animate, set, use, image, foreignObject, style)
    "svg", "g", "path", "rect", "text", "title",
})

# Removed with everything inside them (their text is code, not something a reader should see).
CONTENU_RETIRE = frozenset({"script", "style", "template", "textarea", "iframe", "object", "noscript"})

ATTRIBUTS = {
    "*": {"class", "id", "title", "lang", "dir", "role", "hidden", "tabindex"},
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

SCHEMAS_URL = {"http", "https", "mailto"}


_NETTOYEUR = nh3.Cleaner(
    tags=set(TAGS),
    clean_content_tags=set(CONTENU_RETIRE),
    attributes={tag: set(names) for tag, names in ATTRIBUTS.items()},
    generic_attribute_prefixes=set(PREFIXES),
    url_schemes=set(SCHEMAS_URL),
    strip_comments=False,
    link_rel=None,  # no `target` is kept (see above): there is no new window to protect
)


def assainir(html: str) -> str:
    """The HTML fragment `html` with only the allowed tags, attributes and URL schemes (see module doc)."""
    return _NETTOYEUR.clean(html) if html else html


_FILE: ThreadPoolExecutor | None = None


def assainir_a_part(html: str) -> Future:
    """`assainir(html)` started on a thread of its own; its result (a Future of the sanitised HTML) is taken
    when the page is written.

    nh3 lets go of the interpreter while it parses and rewrites (Rust): pages are sanitised on the machine's
    other core while MkDocs converts the next ones (1.5 s of a 2,000-fiche build, otherwise spent in line)."""
    global _FILE
    if _FILE is None:
        _FILE = ThreadPoolExecutor(max_workers=1, thread_name_prefix="guide-assainir")
    return _FILE.submit(assainir, html)
