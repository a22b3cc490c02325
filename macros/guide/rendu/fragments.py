"""The trust boundary: a fiche's text becomes a sanitised fragment before it meets a page.

A fiche's text (its body, a `resume`, a title…) is Markdown written by people outside the team. It never
reaches a page as Markdown source: each piece is converted on its own by a converter that knows nothing
of the site (plain Markdown: no attribute lists, no HTML-in-Markdown, no table of contents, no extension
that writes ids or classes), then sanitised with the fiche policy (FICHE: text-level tags, links, lists,
headings; no id, name, class, style or data-* attribute, no comment, no image, no URL scheme but http,
https and mailto), then written back into the page's Markdown in an inert form (`Fragment`): every
character Markdown or HTML could read as syntax is an entity, the only syntax left is what this module
writes from the sanitised tree (paragraph breaks, heading and list markers, links it rebuilds from a
checked `href`, inline tags from the policy's list). A fiche writes no footnote: the page's notes are the
guide's, numbered from the fiche's sources, and a fiche's « [^x] » is shown as written (a note of its own had drawn
« 1. Étude 2021, p. 14 » above the real ones, its link to another site: attacker QA). The page's own Markdown (toc,
footnotes, acronyms, French typography) then runs over it as over any text, and cannot give it an attribute: there is no
`{`, no `<`, no line start left that it could read as one.

Everything else a template prints from a fiche goes through `inerte()` (render.py makes it Jinja's
escape for fiche data, by construction: see render.Inerte), so a value that no filter formats is inert
text too.

Converting and sanitising cost the same for a text however many pages show it: `Fragments` keeps each
result for the build (an action's summary is shown on its territory, each of its champs, the printed
sections…).
"""
from __future__ import annotations

import html
import html.entities
import re
from urllib.parse import quote

import markdown
import nh3
from lxml import html as lxml_html
from markupsafe import Markup

from guide.modele.adresses import adresse_montree_ailleurs, comme_un_appel
from guide.modele.caracteres import caractere_refuse
from guide.modele.validate import ENCADRES_DE_FICHE, titre_du_guide
from guide.rendu import titres

# What a fiche's text may hold once converted: prose, lists, quotes, headings, code, links.
FICHE_TAGS = frozenset({
    "a", "b", "blockquote", "br", "code", "del", "div", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "li", "ol", "p", "pre", "q", "s", "strong", "sub", "sup", "ul",
    "table", "thead", "tbody", "tr", "th", "td",
})
FICHE_ATTRIBUTS = {"a": {"href", "title"}}
# What the fiche converter's own extension writes, read back by the writer and never copied to the page: an
# admonition's type and title. The writer turns them into the page's Markdown syntax (`!!! type "title"`), which the
# page's extension draws again. The boxes a fiche's text may draw (validate.ENCADRES_DE_FICHE): another's class is
# not kept, the box is drawn as a note.
FICHE_CLASSES = {"div": {"admonition", *ENCADRES_DE_FICHE}, "p": {"admonition-title"}}
FICHE_SCHEMAS_URL = {"http", "https", "mailto"}
# The last line of a written text that what a template writes right after it may continue: a paragraph's or a list
# item's, unindented, not a heading's (its attribute list ends it). Any other (a table's row, code, a rule, a quote, a box's
# or a nested block's indented line) would take it in.
_SUITE_POSSIBLE = re.compile(r"(?:- |\d+\. )?(?![|>#]|<pre|\* \* \*|!!!|\?\?\?|\s)(?!.*\}$)")

_FICHE = nh3.Cleaner(
    tags=set(FICHE_TAGS),
    clean_content_tags={"script", "style", "template", "textarea", "iframe", "object", "noscript", "svg",
                        "math", "title", "select", "option"},
    attributes={tag: set(names) for tag, names in FICHE_ATTRIBUTS.items()},
    allowed_classes={tag: set(names) for tag, names in FICHE_CLASSES.items()},
    url_schemes=set(FICHE_SCHEMAS_URL),
    strip_comments=True,
    link_rel=None,
)

# Characters the page's Markdown or HTML would read as syntax, written as entities. `#` only where it could
# open a heading (start of the text); a leading `-`, `+` or `1.` could open a list.
# `&` wherever it could open an entity or a character reference (« R&D » stays text the acronyms and typography can
# read): before a name that runs to a piece's end, which the next piece may complete (« R&[rlm;]() », « R&rl[m;]() »
# wrote U+200F: attacker QA), before `#`,
# whatever follows (« &#*x* » stopped the page's HTML pass, which then left the raw blocks after it
# unread: attacker QA), before a name and `;`, and before a name HTML reads without `;` (« &lt », « &copy »: shown
# as written on a fiche's page, read as « < » and « © » elsewhere, attacker QA). `_` unless between two letters or
# digits (« etude_2021 »: emphasis never opens there; « __x__ » is escaped whole).
_ENTITES_SANS_POINT_VIRGULE = sorted((nom for nom in html.entities.html5 if not nom.endswith(";")), key=len, reverse=True)
_SYNTAXE = re.compile(r"[<>\"\\`*\[\]{}|]|&(?=#|\w+;|\w*$|" + "|".join(_ENTITES_SANS_POINT_VIRGULE) + r")"
                      r"|(?<![^\W_])_|_(?![^\W_])")
_ENTITES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
# Any ASCII sign at the start of a line may open a block of one of the page's extensions (`#`, `-`, `+`, `=`, `1.`,
# `!!!`, `???`, `///`, `~~~`, `:`, `%`…): the first one is written as an entity, whatever it is. Not « « », « — »,
# « … »: they open nothing, and the typography pass must see them as text.
_DEBUT = re.compile(r"^(?:[!-/:-@\[-`{-~]|\d+(?=[.)]))")
# ASCII spaces and line breaks only: no-break and narrow no-break spaces are French typography, kept.
_ESPACES = re.compile(r"[ \t\r\n\f\v]+")


def _entite(m: re.Match) -> str:
    c = m.group(0)
    return _ENTITES.get(c) or f"&#{ord(c)};"


def inerte(text, bords: bool = False) -> Markup:
    """`text` as inert Markdown text: shown as written, on one line, never read as Markdown or HTML.
    Spaces at its ends are dropped, unless `bords` (a text between two inline elements)."""
    if isinstance(text, Markup):
        return text
    text = _ESPACES.sub(" ", str(text))
    if not bords:
        text = text.strip(" ")
    debut, text = _debut_inerte(text)
    return Markup(debut + _SYNTAXE.sub(_entite, text))


def _debut_inerte(text: str) -> tuple[str, str]:
    """(inert start, rest): « 1986. », « - », « # », « ??? » at the start of a line would open a list, a heading,
    a folded block…; that sign is written as an entity."""
    debut = _DEBUT.match(text)
    if not debut:
        return "", text
    s = debut.group(0)
    if s.isdigit():
        return s + f"&#{ord(text[len(s)])};", text[len(s) + 1:]
    return f"&#{ord(s)};", text[1:]


def joindre(morceaux) -> str:
    """Written pieces on one line. A « [ » there opens a link the writer wrote (a text's own is an entity): a « ! »
    right before it, wherever the pieces meet (« \\![logo](…) », « officiel!</a>[]()[logo](…) »), made it an image
    (attacker QA), and is an entity."""
    return _ESPACES.sub(" ", "".join(morceaux)).strip(" ").replace("![", "&#33;[")


def debut_de_bloc(texte: str) -> str:
    """Written text whose first character opens no block: a sign at its start (each piece's own start is inert, but
    the spaces before it may have been stripped since: « ![⏎](…) !!! danger » left « !!! danger » once the image was
    dropped, a red box on the page; attacker QA) is an entity too. `&`, `<`, `[` start the writer's own entities,
    inline tags and links (a text's own are entities already)."""
    if texte[:1] not in ("&", "<", "[") and _DEBUT.match(texte):
        return "".join(_debut_inerte(texte))
    return texte


# A web address whose scheme is not followed by « // » (nh3 keeps it: its scheme is allowed).
_WEB_SANS_BARRES = re.compile(r"\s*https?:(?!//)", re.I)


def _url(href: str) -> str:
    """A checked href for a Markdown link destination in angle brackets: no space, bracket or newline."""
    return quote(href, safe=":/?#[]@!$&'()*+,;=%~.-_")


class _Ecrivain:
    """Writes a sanitised fragment's tree back as inert Markdown (see the module's doc).

    Written here rather than taken from an HTML-to-Markdown converter (markdownify, html2text): those aim at
    readable Markdown, escape what a reader would misread and pass on what they do not know (raw HTML,
    attributes). This writer's job is the opposite guarantee: it writes only the syntax listed here, from the
    elements of the fiche policy, and every other character as an entity, so nothing of the fiche can be read
    by the page's Markdown as syntax."""

    def en_ligne(self, el) -> str:
        """The inline content of `el` on one line. Its start is inert as a block's (`debut_de_bloc`): the line may
        open a paragraph, a heading, a list item."""
        out = [inerte(el.text, bords=True)] if el.text else []
        for child in el:
            out.append(self._element_en_ligne(child))
            if child.tail:
                out.append(inerte(child.tail, bords=True))
        return debut_de_bloc(joindre(out)) if out else ""

    def _element_en_ligne(self, el) -> str:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "a":
            href = el.get("href")
            inner = self.en_ligne(el)
            if not href or _WEB_SANS_BARRES.match(href):
                # « https:evil.example » leads nowhere a reader can tell: a browser reads it as https://evil.example on
                # an http site and as a path of the site on an https one (editor QA). Its text only.
                return inner
            if adresse_montree_ailleurs(el.text_content(), href) or comme_un_appel(el.text_content()):
                # its text shows an address it does not lead to, or reads as a note call of the page (adresses.py):
                # its text alone, which leads nowhere
                return inner
            if not el.text_content().strip():
                # « [ ](https://…) »: a link a reader cannot see, nor tell where it leads (attacker QA): its address
                # is its text.
                inner = inerte(href)
            title = el.get("title")
            # A tooltip that shows an address is the link's own, or none: « [le portail](https://evil.example/
            # "https://www.service-public.fr") » showed the official address on hover (attacker QA).
            titre = f' "{inerte(title)}"' if title and not adresse_montree_ailleurs(title, href) else ""
            return f"[{inner}](<{_url(href)}>{titre})"
        if tag == "br":
            return "<br>"
        if tag in ("em", "i"):
            return f"<em>{self.en_ligne(el)}</em>"
        if tag in ("strong", "b"):
            return f"<strong>{self.en_ligne(el)}</strong>"
        if tag in ("code", "sub", "sup", "del", "s", "q"):
            return f"<{tag}>{self.en_ligne(el)}</{tag}>"
        # a block where a line is expected (a one-line field written as a list or a heading): its text only
        return " " + self.en_ligne(el) + " "

    def blocs(self, el, retrait: str = "") -> list[str]:
        """The blocks of `el` as Markdown paragraphs (each a string, lines indented by `retrait`)."""
        blocs: list[str] = []
        ligne: list = []  # inline content met between blocks

        def vider():
            if ligne:
                # inline text and elements gathered at this level, written as one paragraph
                texte = debut_de_bloc(joindre(ligne))
                if texte:
                    blocs.append(texte)
                ligne.clear()
            return None

        if el.text and el.text.strip():
            ligne.append(inerte(el.text, bords=True))
        for child in el:
            tag = child.tag if isinstance(child.tag, str) else ""
            classes = (child.get("class") or "").split()
            if tag == "div" and "admonition" in classes:
                vider()
                blocs.append(self._remarque(child, classes))
            elif tag == "p" and "admonition-title" in classes:
                pass  # read by _remarque
            elif tag == "div":
                vider()
                blocs.extend(self.blocs(child))
            elif tag in ("p",):
                vider()
                texte = self.en_ligne(child)
                if texte:
                    blocs.append(texte)
            elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                vider()
                texte = self.en_ligne(child)
                if texte:
                    # its id generated by the guide, never the slug of the fiche's text alone (titres.py); a level
                    # 2 at least: the page's one title (h1) is its fiche's name (« # Titre » made a second, editor QA)
                    blocs.append("#" * max(2, int(tag[1])) + " " + texte + " { ." + titres.MARQUE + " }")
            elif tag in ("ul", "ol"):
                vider()
                liste = self._liste(child)
                if liste:
                    blocs.append(liste)
            elif tag == "blockquote":
                vider()
                dedans = "\n\n".join(self.blocs(child))
                if dedans:
                    blocs.append("\n".join("> " + l if l else ">" for l in dedans.split("\n")))
            elif tag == "pre":
                vider()
                # One line, every character but letters, digits and spaces an entity, line breaks too: a raw
                # HTML block inside a list item or a quote is not raw to the page's Markdown, and a blank line
                # of the code ended it there, the rest read as the page's Markdown (attribute lists included).
                code = "".join(child.itertext())
                blocs.append("<pre><code>" + "".join(c if c.isalnum() or c == " " else _ENTITES.get(c) or f"&#{ord(c)};"
                                                     for c in code) + "</code></pre>")
            elif tag == "hr":
                vider()
                blocs.append("* * *")
            elif tag == "table":
                vider()
                blocs.append(self._tableau(child))
            elif tag:
                ligne.append(self._element_en_ligne(child))
            if child.tail and child.tail.strip():
                ligne.append(inerte(child.tail, bords=True))
        vider()
        return blocs

    def _remarque(self, el, classes) -> str:
        """An admonition as the page's Markdown: `!!! type "title"` and its blocks, indented."""
        genre = next((c for c in classes if c in ENCADRES_DE_FICHE), "note")
        titre = el.xpath("p[@class='admonition-title']")
        # a title of the guide's own boxes (« En bref »): the box goes without it, and reads as the fiche's note
        titre = [t for t in titre if not titre_du_guide(t.text_content())]
        entete = f'!!! {genre} "{self.en_ligne(titre[0])}"' if titre else f"!!! {genre}"
        dedans = "\n\n".join(self.blocs(el))
        return entete + "\n" + "\n".join("    " + l if l else "" for l in dedans.split("\n"))

    def _tableau(self, el) -> str:
        """A table as a Markdown table: one line per row, cells inline (a `|` in a cell is an entity)."""
        lignes = []
        for tr in el.iter("tr"):
            cellules = [self.en_ligne(c) for c in tr if c.tag in ("th", "td")]
            lignes.append("| " + " | ".join(cellules) + " |")
            if len(lignes) == 1:
                lignes.append("|" + "---|" * len(cellules))
        return "\n".join(lignes)

    def _liste(self, el) -> str:
        lignes = []
        ordonnee = el.tag == "ol"
        n = 0
        for li in (c for c in el if c.tag == "li"):
            dedans = self.blocs(li)
            if not dedans:
                # an empty item is left out: its « - » alone on a line, under a text, made that text a heading
                # (« * Élus et services⏎* []() » took the id of the guide's section: attacker QA)
                continue
            n += 1
            marque = f"{n}. " if ordonnee else "- "
            premier, *reste = dedans
            # The first block's next lines under its first: a nested list's four spaces in, as Python-Markdown nests
            # them; another block's (a quote's, a table's, a box's) less than four, or Python-Markdown read them as code
            # (attacker QA: a box's text showed the writer's syntax, after « - » and after « 10. »).
            retrait = 4 if re.match(r"(?:- |\d+\. )", premier) else min(len(marque), 3)
            lignes.append(marque + premier.replace("\n", "\n" + " " * retrait))
            for bloc in reste:
                lignes.append("")
                lignes.append("\n".join("    " + l if l else "" for l in bloc.split("\n")))
        return "\n".join(lignes)


_ECRIVAIN = _Ecrivain()  # stateless: its methods only read the tree they are given


def _arbre(html: str):
    return lxml_html.fragment_fromstring(html, create_parent="div")


# An entity, as Python-Markdown's writer keeps it (« &#x202E; », « &rlm; »): the character it names reaches the page.
# (Eight digits at most: a code point has seven, and a longer number is no character, nor an int Python converts.)
_ENTITE = re.compile(r"&(?:#[0-9]{1,8}|#[xX][0-9A-Fa-f]{1,8}|[A-Za-z][A-Za-z0-9]{0,31});")


def _entite_admise(m: re.Match) -> str:
    """An entity naming a character the loader refuses in a fiche (a bidi control, a zero-width character: editor
    QA, « &#x202E; » reversed a page's text) written as U+FFFD, which shows that something was there; any other
    kept (the validator refuses them all, html_ecrit: this is the construction's side)."""
    entite = m.group(0)
    if entite[1] == "#":  # by its code point: Python's unescape gives « » for some that lxml reads (« &#1; »)
        n = int(entite[3:-1], 16) if entite[2] in "xX" else int(entite[2:-1])
        refusee = n > 0x10FFFF or 0xD800 <= n <= 0xDFFF or caractere_refuse(chr(n))
    else:
        refusee = caractere_refuse(html.unescape(entite))
    return "\ufffd" if refusee else entite


def convertisseur() -> markdown.Markdown:
    """The fiche converter: plain Markdown that reads no HTML. A fiche's text becomes HTML through Markdown's own
    syntax alone, so a link is always one written [texte](adresse), which the validator's checks of links read (a
    body's raw « <a href> » went past them, editor QA); a tag, a comment or an automatic link « <https://…> » is
    shown as written, as Markdown shows any « < » of text. (An entity « &nbsp; » stays the character it names:
    Markdown's writer keeps entities.) The validator refuses them all before (validate.html_ecrit). Taken out of
    Python-Markdown by name, rather than escaped in the text beforehand, so that a « < » in a code span is still
    shown as itself."""
    md = markdown.Markdown(extensions=["tables", "admonition"], output_format="html")
    md.preprocessors.deregister("html_block")
    for lecture in ("html", "autolink", "automail"):
        md.inlinePatterns.deregister(lecture)
    return md


class Fragments:
    """The fiche texts of one build, each converted and sanitised once (`bloc` and `ligne` are cached)."""

    def __init__(self):
        self._md = convertisseur()
        self._blocs: dict[str, Markup] = {}
        self._lignes: dict[str, Markup] = {}
        self._sans_forme: dict[str, Markup] = {}

    def html(self, text: str) -> str:
        """A fiche text converted alone (plain Markdown) and sanitised with the fiche policy."""
        self._md.reset()
        text = str(text)
        if "&" in text:
            text = _ENTITE.sub(_entite_admise, text)
        return _FICHE.clean(self._md.convert(text))

    def bloc(self, text) -> Markup:
        """A multi-paragraph fiche text (a body, a résumé), for a page's Markdown: paragraphs, lists, quotes,
        headings kept, inert."""
        if isinstance(text, Markup):
            return text
        key = str(text)
        out = self._blocs.get(key)
        if out is None:
            if not _SYNTAXE_POSSIBLE.search(key):
                out = Markup("\n\n".join(inerte(p) for p in _PARAGRAPHES.split(key.strip()) if p.strip()))
            else:
                converti = self.html(key)
                arbre = _arbre(converti) if converti.strip() else None
                blocs = _ECRIVAIN.blocs(arbre) if arbre is not None else []
                out = Markup("\n\n".join(blocs))
                if blocs and not _SUITE_POSSIBLE.match(blocs[-1].rsplit("\n", 1)[-1]):
                    # What a template writes right after the text (a note call: « …[^3] ») starts a paragraph of its
                    # own unless the text's last line is a paragraph's or a list item's: after a table, code, a rule, a
                    # heading, a box, a quote, or a block nested in a list, on their last line, it was taken into them
                    # and lost, or broke them (attacker QA: a résumé ending with a table lost its source's note; one
                    # ending with a table in a list item too, the last element read being the list).
                    out += Markup("\n\n")
            self._blocs[key] = out
        return out

    def sans_mise_en_forme(self, text) -> Markup:
        """A text written in Markdown (a résumé), read on one line as plain text: what a reader sees of it, its
        emphasis and links dropped (« un **résumé** » → « un résumé »), inert. For a printed line where the
        screen links to the text itself."""
        if isinstance(text, Markup):
            return text
        key = str(text)
        out = self._sans_forme.get(key)
        if out is None:
            if not _SYNTAXE_POSSIBLE.search(key):
                lu = key
            else:
                converti = self.html(key)
                lu = _arbre(converti).text_content() if converti.strip() else ""
            out = self._sans_forme[key] = inerte(" ".join(lu.split()))
        return out

    def ligne(self, text) -> Markup:
        """A one-line fiche text (a name, a title, a label), for a page's Markdown: plain text, shown as written
        (no Markdown, no HTML: a name is what it looks like), inert."""
        if isinstance(text, Markup):
            return text
        key = str(text)
        out = self._lignes.get(key)
        if out is None:
            out = self._lignes[key] = inerte(key)
        return out


# A text that holds none of these is plain prose for Markdown (no markup, no list, no heading, no code
# block, indented by spaces or a tab, no line break, no « - » under a line): it is written as inert text directly,
# without a conversion.
# (Spaces within a line only, « [^\S\n]* »: with « \s* », which crosses lines, a run of n blank lines was read n³ times,
# and 4,000 blank lines in a résumé kept a build 7 minutes; editor QA.)
_SYNTAXE_POSSIBLE = re.compile(r"[&<>\\`*_\[\]{}|#=]|^[^\S\n]*(?:[-+]|\d+[.)]\s|>|    |\t)"
                               r"|\n[^\S\n]*\n[^\S\n]*(?:[-+]\s|\d+[.)]\s|>)"
                               r"|\S(?:[^\S\n]*\t[^\S\n]*|[^\S\n]{2,})\n",  # a line ending on 2 spaces or a tab: a break
                               re.M)
_PARAGRAPHES = re.compile(r"\n\s*\n")
