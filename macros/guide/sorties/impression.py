"""Print: the printable sections of the guide, their generated pages, and the print touches of every page.

A *section* is one printable document: a family of champs (leviers, focus, cadres) with their actions,
the territory fiches of one region, or the whole guide in the order of the 2021 publication.
Each section is a generated page (`imprimer/<id>.md`) that reuses the pages of the guide as they are:
the champ and territory pages and the authored pages of docs/, one after the other, each
opened by a `.guide-partie` marker that starts a new sheet on paper and serves as an anchor.

`scripts/pdf.py` prints each section to `pdf/<id>.pdf`; the build links the PDFs only when the
directory named by the GUIDE_PDF environment variable holds them (see `pdf_disponibles`).
"""
from __future__ import annotations

import collections
import datetime as _dt
import functools
import hashlib
import html
import os
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from guide import chemins
from guide.modele.edition import date_en_francais
from guide.rendu.render import url_de
from guide.join import FAMILLES, Guide
from guide.modele.slugs import slugify
from guide.rendu.typographie import pluriel, typographier

# Family → (section id, index page that offers « Imprimer la section »).
FAMILLE_SECTION = {"levier": ("leviers", "leviers/index.md"), "focus": ("focus", "focus/index.md"),
                   "cadre": ("cadres", "cadres/index.md")}
TERRITOIRES_INDEX = "territoires/index.md"
SOURCES_SRC = "ressources/sources.md"  # the list of the publications the notes cite
GUIDE_ID = "guide"
PDF_ENV = "GUIDE_PDF"   # directory holding PDFs made by scripts/pdf.py, for the build to publish and link
SEPARATEUR_ID = "--"   # between a part's prefix and the id the page gave: « territoires-lille--enjeux »
DOCS = chemins.DOCS



@dataclass(frozen=True)
class Partie:
    """One page of the guide reproduced in a printed section."""

    src: str                    # source path of the page: champs/x.md, territoires/y.md, etude/index.md
    titre: str
    macro: str | None = None    # what renders it: "champ" or "territoire" page, a macro (messages_cles); None: authored page
    argument: str | None = None

    @property
    def ancre(self) -> str:
        return "partie-" + slugify(self.src.removesuffix(".md"))


def prefixe_ids(partie: Partie) -> str:
    """What the ids of a page get in front of them in a printed section: its path (« territoires-lille » +
    SEPARATEUR_ID), unique per page, readable in the PDF's named destinations."""
    return slugify(partie.src.removesuffix(".md")) + SEPARATEUR_ID


# Longest id of a printed section, in bytes: Chromium names a PDF destination after each id, and a name over 127
# bytes (the limit of PDF 1.7, Annex C) is refused by some readers (« name token is longer than… »): a champ's long
# heading id behind a territory's prefix reached 140.
ID_MAX = 127


def id_imprime(prefixe: str, fragment: str) -> str:
    """An id of a page in a printed section: its prefix and its own id; over ID_MAX, cut and told apart by a digest
    of the whole (the same everywhere the id is written or linked to)."""
    ident = prefixe + fragment
    if len(ident.encode()) <= ID_MAX:
        return ident
    empreinte = hashlib.sha1(ident.encode()).hexdigest()[:10]
    return ident.encode()[:ID_MAX - len(empreinte) - 1].decode(errors="ignore") + "-" + empreinte


@dataclass
class Groupe:
    """A heading of the table of contents and the parts (or groups) under it."""

    titre: str | None
    parties: list = field(default_factory=list)

    def toutes(self) -> list:
        return [q for p in self.parties for q in (p.toutes() if isinstance(p, Groupe) else [p])]


@dataclass
class Section:
    ident: str
    titre: str                  # « Leviers d'action », « Territoires — Grand Est », « Le guide complet »
    description: str
    groupes: list
    index_src: str | None = None    # page that offers « Imprimer la section »
    region: str | None = None

    @property
    def src(self) -> str:
        return "imprimer/index.md" if self.ident == GUIDE_ID else f"imprimer/{self.ident}.md"

    @property
    def url(self) -> str:
        return url_de(self.src)

    @property
    def pdf(self) -> str:
        return f"pdf/{self.ident}.pdf"

    @property
    def parties(self) -> list:
        return [p for g in self.groupes for p in g.toutes()]

    def entetes(self) -> dict[str, str]:
        """Running header of each part on paper, by source path: « part — chapter », where the part is the
        group of the table of contents (« Leviers d'action », « Les territoires · Grand Est ») or the section."""
        out = {}

        def walk(items, where):
            for item in items:
                if isinstance(item, Groupe):
                    walk(item.parties, " · ".join(t for t in (where, item.titre) if t))
                else:
                    out[item.src] = f"{where} — {item.titre}" if where else item.titre
        for g in self.groupes:
            walk(g.parties, g.titre or self.titre)
        return out


def _champ(c) -> Partie:
    return Partie(c.src, c.data["titre"], "champ", c.slug)


def _territoire(t) -> Partie:
    return Partie(t.src, t.data["nom"], "territoire", t.slug)


def _page(src: str, titre: str | None = None) -> Partie | None:
    """An authored page of docs/, if it exists; its title is its first heading unless given."""
    path = DOCS / src
    if not path.is_file():
        return None
    _, body = _front_matter(path.read_text(encoding="utf-8"))
    match = re.search(r"^#\s+(.+?)\s*$", body, re.M)
    return Partie(src, titre or (match.group(1) if match else src))


def sections(guide: Guide, libelles: dict) -> list[Section]:
    """Every printable section: the three families, one per region, then the whole guide. Each section ends with
    the list of the publications its notes name by a short label (« Étude 2019 », « Pages RTES… »): on screen
    the label links to that list, on paper a section read alone said nowhere what they were (reader QA)."""
    out = []
    pluriels = libelles.get("famille_pluriel", {})
    annexe = [Groupe("Annexe", [p]) for p in [_page(SOURCES_SRC)] if p]
    for famille in FAMILLES:
        ident, index = FAMILLE_SECTION[famille]
        champs = guide.champs_de(famille)
        titre = pluriels.get(famille, ident)
        out.append(Section(ident, titre, f"{len(champs)} fiches et les actions des territoires qui les illustrent",
                           [Groupe(None, [_champ(c) for c in champs]), *annexe], index_src=index))
    # A territory's part, one object in its region's section and in the whole guide (a Partie does not change).
    par_region = [(region, [_territoire(t) for t in territoires]) for region, territoires in guide.par_region()]
    for region, parties in par_region:
        out.append(Section(f"territoires-{slugify(region)}", f"Territoires — {region}",
                           f"{pluriel(len(parties), 'fiche territoire', 'fiches territoire')} de la région {region}",
                           [Groupe(None, parties), *annexe], index_src=TERRITOIRES_INDEX, region=region))
    out.append(Section(GUIDE_ID, "Le guide complet", "dans l'ordre de l'étude 2021",
                       _groupes_guide(guide, libelles, par_region), index_src="index.md"))
    return out


def _groupes_guide(guide: Guide, libelles: dict, par_region: list) -> list[Groupe]:
    """The whole guide in the order of the 2021 publication, then the territory fiches and the annexes."""
    pages = lambda *srcs: [p for p in map(_page, srcs) if p]  # noqa: E731
    groupes = [Groupe("Messages clés et présentation de l'étude",
                      ([Partie("index.md", "Les messages clés de l'étude 2021", "messages_cles")]
                       if guide.messages else [])
                      + pages("etude/index.md", "etude/partenaires.md", "etude/definition.md",
                              "etude/chiffres-cles.md"))]
    for famille in FAMILLES:
        ident, index = FAMILLE_SECTION[famille]
        groupes.append(Groupe(libelles.get("famille_pluriel", {}).get(famille, ident),
                              [p for p in [_page(index, "Présentation")] if p]
                              + [_champ(c) for c in guide.champs_de(famille)]))
    groupes.append(Groupe("Conclusion", pages("etude/conclusion.md", "etude/pour-aller-plus-loin.md")))
    territoires = [p for p in [_page(TERRITOIRES_INDEX, "Les territoires par région")] if p]
    territoires += [Groupe(region, list(parties)) for region, parties in par_region]
    groupes.append(Groupe("Les territoires", territoires))
    groupes.append(Groupe("Annexes", pages("ressources/glossaire.md", SOURCES_SRC)))
    return [g for g in groupes if g.toutes()]


# ----------------------------------------------------------------------------------------------------------
# Generated Markdown of a section page

def _front_matter(text: str) -> tuple[str, str]:
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end != -1:
            return text[4:end], text[end + 4:].lstrip("\n")
    return "", text


_LIEN_MD = re.compile(r"(\]\()([^)\s]+)(\))")


def relier(markdown: str, src: str, dest: str) -> str:
    """Rewrite the relative links of a page written at `src` so they work from the page at `dest`."""
    def fix(m):
        target = m.group(2)
        if re.match(r"^([a-z][a-z0-9+.-]*:|#|/)", target, re.I):
            return m.group(0)
        path, sep, anchor = target.partition("#")
        absolute = posixpath.normpath(posixpath.join(posixpath.dirname(src), path))
        rel = posixpath.relpath(absolute, posixpath.dirname(dest) or ".")
        return m.group(1) + rel + sep + anchor + m.group(3)
    return _LIEN_MD.sub(fix, markdown)


def markdown_section(section: Section, renderer, site_name: str) -> str:
    """The generated page of a section: its opening (cover, contents), then one placeholder per part.

    The parts are not rendered again from Markdown: `Impression.assembler` puts in the HTML each page
    already has (captured by `retenir`), so a section costs string joins, not a second conversion
    of every fiche (the whole guide would otherwise double the build time). Its title and metadata are set
    by the plugin, in Python (no front matter).
    """
    lines = [renderer.render("impression.md.j2", section.src, section=section, site_name=site_name), ""]
    for partie in section.parties:
        if partie.macro == "messages_cles":
            lines += [f'<div class="guide-partie" id="{partie.ancre}"></div>', "",
                      f"# {partie.titre}", "", renderer.render("messages_cles.md.j2", section.src), ""]
        else:
            lines += [f'<div class="guide-partie" id="{partie.ancre}" data-partie="{partie.src}"></div>', ""]
    return "\n".join(lines) + "\n"


_PLACEHOLDER = re.compile(r'<div class="guide-partie" id="([^"]+)" data-partie="([^"]+)"></div>')
# Where a part goes in a section's HTML until it is written (assembler_en_parties): a comment, which the
# pages' own HTML never holds (fiche text loses its comments to the fiche policy; see also plugin.py).
_MARQUE_PARTIE = re.compile(r"<!--guide-partie-imprimee:(\d+)-->")
_ID = re.compile(r'\sid="([^"]+)"')
# Attributes that hold addresses (links rewritten for the section), ids (`id`) or refer to ids of the same
# page (labels, ARIA, table headers), and SVG paint references (`fill="url(#gradient)"`): ids are renamed
# with those of the part they belong to.
_ATTRIBUTS_URL = frozenset({"href", "xlink:href", "src"})
_ATTR = re.compile(r'(\s(href|src|xlink:href|id|for|headers|aria-(?:labelledby|describedby|controls|owns'
                   r'|activedescendant|details|errormessage|flowto))=")([^"]*)(")')
_URL_REF = re.compile(r"url\(#([^)\s]+)\)")
# A start tag with attributes, as the sanitiser writes it (values in double quotes, never holding one): attributes are
# rewritten inside tags only, never in the text (« balise id="intro" » typed in a résumé read as an attribute).
_BALISE_AVEC_ATTRIBUTS = re.compile(r'<[a-zA-Z][^\s>/]*\s[^>"]*(?:"[^"]*"[^>"]*)*>')
_ABSOLUE = re.compile(r"^([a-z][a-z0-9+.-]*:|/)", re.I)


# A printed section holds the HTML of many pages, each written for its own address: every relative link
# is recomputed once per (page, link), and the same few hundred links recur on every page, hence the caches
# (the whole guide has some 100,000 links at 2,000 fiches).
@functools.lru_cache(maxsize=1 << 16)
def _chemin_du_site(from_url: str, path: str) -> str:
    """Site path a relative link of the page at `from_url` points to ("" for the home page)."""
    target = posixpath.normpath(posixpath.join(from_url or ".", path))
    return "" if target == "." else target


@functools.lru_cache(maxsize=1 << 16)
def _chemin_relatif(target: str, to_url: str, directory: bool) -> str:
    rel = posixpath.relpath(target or ".", to_url or ".")
    return rel + "/" if directory and not rel.endswith("/") else rel


@dataclass
class _Morceau:
    """One page placed in a printed section: the ids it brings, and its HTML, made again when the part is written
    (`contenu`) rather than held: the whole guide's parts are some 55 MB of text at 2,000 fiches."""

    url: str                # the page's own address ("" for the home page)
    ancre: str              # id of the part's marker in the section
    prefixe: str            # put before each of its ids: several pages use the same ids (« enjeux », « sources »)
    contenu: Callable[[], str]
    ids: set

    def id(self, fragment: str) -> str:
        return id_imprime(self.prefixe, fragment)


class _Liens:
    """Rewrites the HTML of the pages moved into the printed section at `to_url`.

    Each page keeps the ids it was given, prefixed with its own prefix, so that one document holds them
    all once (a section holds many pages with the same headings). Then a link to a page the section
    contains points inside the document (to that id, or to the part when the id is not there); a link to
    an id of the same page follows the prefix; any other relative link is rebased so it still works from
    the section's address. Only attributes are touched, whatever the pages' markup."""

    def __init__(self, to_url: str, morceaux: dict[str, _Morceau]):
        self.to_url = to_url
        self.par_chemin = {m.url.rstrip("/"): m for m in morceaux.values()}

    def relier(self, content: str, from_url: str, morceau: _Morceau | None = None) -> str:
        """`content` written for `from_url`, made to work in the section; `morceau`: the part it is, if any
        (None for the section's own opening, whose ids are kept)."""
        own = morceau.ids if morceau else set()

        def lien(m):
            target = html.unescape(m.group(3)) if "&" in m.group(3) else m.group(3)
            if target.startswith("#"):
                fragment = target[1:]
                return f"{m.group(1)}#{html.escape(morceau.id(fragment))}{m.group(4)}" if fragment in own else m.group(0)
            if not target or _ABSOLUE.match(target):
                return m.group(0)
            path, sep, fragment = target.partition("#")
            site_path = _chemin_du_site(from_url, path) if path else _chemin_du_site(from_url, ".")
            dest = self.par_chemin.get(site_path) if m.group(2).endswith("href") else None
            if dest is not None:
                anchor = dest.id(fragment) if fragment in dest.ids else dest.ancre
                return f"{m.group(1)}#{html.escape(anchor)}{m.group(4)}"
            rel = _chemin_relatif(site_path, self.to_url, path.endswith("/"))
            return m.group(1) + html.escape(rel + sep + fragment) + m.group(4)

        def fix(m):
            attribut = m.group(2)
            if attribut in _ATTRIBUTS_URL:
                return lien(m)
            if not morceau:  # the section's own opening keeps its ids
                return m.group(0)
            if attribut == "id":
                return m.group(1) + morceau.id(m.group(3)) + m.group(4)
            refs = " ".join(morceau.id(t) if t in own else t for t in m.group(3).split())
            return m.group(1) + refs + m.group(4)

        def url_ref(m):
            return f"url(#{morceau.id(m.group(1))})" if m.group(1) in own else m.group(0)

        def balise(t):
            tag = _ATTR.sub(fix, t.group(0))
            return _URL_REF.sub(url_ref, tag) if morceau and "url(#" in tag else tag

        # One pass over the page's tags for links and ids alike: each part is a whole page, twice in the build (its
        # section and the whole guide), and a scan of its HTML costs more than the attributes found.
        return _BALISE_AVEC_ATTRIBUTS.sub(balise, content)


def _coupes(html: str, parties: list) -> list:
    coupes = list(_MARQUE_PARTIE.finditer(html))
    if [int(m.group(1)) for m in coupes] != list(range(len(parties))):
        raise ValueError("section à imprimer : marques des parties manquantes, en double ou dans le désordre")
    return coupes


def _morceaux(html: str, parties: list):
    """The pieces of `html` (a section page, or its whole built page) with each part's marker replaced by that
    part, made as it comes; every part exactly once, in order, or ValueError (then nothing is written)."""
    coupes = _coupes(html, parties)
    debut = 0
    for m in coupes:
        yield html[debut:m.start()]
        yield parties[int(m.group(1))]()
        debut = m.end()
    yield html[debut:]


def remplir(squelette: str, parties: list) -> str:
    """A section's HTML whole (assembler_en_parties)."""
    return "".join(_morceaux(squelette, parties))


def ecrire(page_html: str, parties: list, chemin: str) -> None:
    """Write a section's built page (`page_html`, with its parts' markers) to `chemin`, one part at a time, as
    MkDocs writes a page (UTF-8, characters it cannot encode as references): no part is kept once written."""
    _coupes(page_html, parties)  # checked before the file is opened: a section is written whole or not at all
    os.makedirs(os.path.dirname(chemin), exist_ok=True)
    with open(chemin, "wb") as f:
        for morceau in _morceaux(page_html, parties):
            f.write(morceau.encode("utf-8", errors="xmlcharrefreplace"))


# ----------------------------------------------------------------------------------------------------------
# Print touches of every page (applied to the HTML of each page by the plugin)

def date_fr(day: _dt.date) -> str:
    return date_en_francais(day.isoformat())


def insecable(texte: str) -> str:
    """The text with no-break spaces: kept on one line."""
    return texte.replace(" ", "\u00a0")


def date_contenu() -> _dt.date:
    """The date the content was built (SOURCE_DATE_EPOCH when set, for reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return _dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc).date()
    return _dt.date.today()


def pdf_disponibles(section_list: list[Section]) -> dict[str, Path]:
    """PDFs made by scripts/pdf.py for this build: {pdf path in the site: file}. Empty in a plain build."""
    folder = os.environ.get(PDF_ENV)
    if not folder:
        return {}
    found = {}
    for s in section_list:
        path = Path(folder) / Path(s.pdf).name
        if path.is_file() and path.stat().st_size > 0:
            found[s.pdf] = path
    return found


def pages_des_pdf(pdfs: dict[str, Path]) -> dict[str, int]:
    """{pdf path in the site: its number of pages}, said beside each link (« Télécharger en PDF (724 pages) »): the
    whole guide's button printed hundreds of sheets without a word of it (reader QA)."""
    from pypdf import PdfReader
    return {pdf: len(PdfReader(str(path)).pages) for pdf, path in pdfs.items()}


_CSS_SUR = re.compile(r"[^\w \-.,;:!?'’«»()…/–—]")


def chaine_css(text: str) -> str:
    """Text as the inside of a CSS string (running headers): every character outside letters, digits and
    common punctuation written as a CSS escape (\\3c for « < »), so no title can end the string, the rule
    or the <style> element it is printed in."""
    return _CSS_SUR.sub(lambda m: f"\\{ord(m.group(0)):x} ", " ".join(text.split()))


# A link whose address is external: only those go through _marquer_lien_externe (a page has some sixty links,
# nearly all inside the guide).
_LIEN_EXTERNE = re.compile(r'<a\s[^>]*?(?<=\s)href="https?://[^>]*>(.*?)</a>', re.S)


def _marquer_lien_externe(m) -> str:
    """Mark external links (`guide-externe`), so paper prints their address; not when it is their text."""
    tag = m.group(0)
    href = re.search(r'\shref="(https?://[^"]+)"', tag[: tag.index(">") + 1])
    if not href:
        return tag
    classes = "guide-externe" + (" guide-url" if html.unescape(m.group(1)).strip() == html.unescape(href.group(1))
                                 else "")
    if re.match(r'<a\s[^>]*class="', tag):
        return re.sub(r'class="', f'class="{classes} ', tag, count=1)
    return "<a class=\"" + classes + "\"" + tag[2:]


class Impression:
    """Print state of one build: the sections, the PDFs available, and what each page offers."""

    def __init__(self, guide: Guide, libelles: dict, site_name: str, site_url: str):
        self.guide = guide
        self.libelles = libelles
        self.site_name = site_name
        self.site_url = (site_url or "").rstrip("/")
        self.sections = sections(guide, libelles)
        self.par_id = {s.ident: s for s in self.sections}
        self.par_src = {s.src: s for s in self.sections}
        self.pdfs = pdf_disponibles(self.sections)
        self.pages = pages_des_pdf(self.pdfs)
        self.date = date_fr(date_contenu())
        self.contenus: dict = {}   # page src → (url, function giving its final HTML), for assembler()
        self.styles: dict[str, str] = {}   # printed section's src → its print rules (named pages, running headers)
        # page that belongs to a section → that section (champ → family, territory → region)
        self.section_de_page = {}
        for s in self.sections:
            if s.ident != GUIDE_ID:
                for p in s.parties:
                    self.section_de_page[p.src] = s
            self.section_de_page[s.src] = s

    @functools.cached_property
    def _sections_qui_impriment(self) -> collections.Counter:
        """Page source path → how many sections print it, the whole guide aside."""
        return collections.Counter(p.src for s in self.sections if s.ident != GUIDE_ID for p in s.parties)

    @functools.cached_property
    def _parties_du_guide(self) -> set:
        """Source paths of the pages the whole guide prints (made when first asked: a preview build that redoes a
        territory page, which its region's section prints, never asks)."""
        return {p.src for p in self.par_id[GUIDE_ID].parties}

    @functools.cached_property
    def _lectures_restantes(self) -> collections.Counter:
        """How many sections still have to print each page: its HTML is let go after the last one (the whole guide
        holds every page; held to the end of the build, they doubled its peak memory). Made when a section is
        first assembled."""
        return collections.Counter(p.src for s in self.sections for p in s.parties)

    def pdf(self, section: Section) -> str | None:
        return section.pdf if section.pdf in self.pdfs else None

    def pages_pdf(self, section: Section) -> int | None:
        """The number of pages of the section's PDF, None without one."""
        return self.pages.get(section.pdf)

    # -- printed sections, assembled from the HTML of their pages
    def retenir(self, src: str, url: str, content) -> None:
        """Keep the final HTML of a page that some section prints (`content`: a function giving it, called
        when a section is assembled)."""
        if src in self.section_de_page or src in self._parties_du_guide:
            self.contenus[src] = (url, content)

    def assembler(self, content: str, src: str, url: str) -> str:
        """Replace each part's placeholder of a section page by that page's HTML, with its ids made unique in
        the section (prefixed per page) and its links pointed inside."""
        return remplir(*self.assembler_en_parties(content, src, url))

    def assembler_en_parties(self, content: str, src: str, url: str) -> tuple[str, list]:
        """The section page's own HTML (its opening, relinked) with a marker (`<!--guide-partie-imprimee:N-->`)
        where each part goes, and the parts: for each, a function giving its HTML, made when called and
        not kept. A printed section is then written part by part (plugin.on_post_page): the whole guide,
        some 45 MB at 2,000 fiches, is never one string, nor its copies through the theme and the encoding.
        Each part's page is let go once the last section that prints it has made that part."""
        parties = {p.src: p for p in self.section_de_page[src].parties}
        morceaux = {}
        for ancre, part_src in _PLACEHOLDER.findall(content):
            part_url, part_contenu = self.contenus.get(part_src, ("", str))
            # Every part's ids are needed before the first part is written (a link may lead to any of them); its
            # HTML only when it is written: made twice (its packed HTML unpacked), never held all at once.
            morceaux[part_src] = _Morceau(url_de(part_src), ancre, prefixe_ids(parties[part_src]), part_contenu,
                                          set(_ID.findall(part_contenu())))
        liens = _Liens(url, morceaux)

        entetes = self.section_de_page[src].entetes()
        pages = []
        a_faire = []

        fois = collections.Counter(part_src for _, part_src in _PLACEHOLDER.findall(content))

        def faire(ancre: str, part_src: str, numero: int):
            def partie() -> str:
                morceau = morceaux[part_src]
                out = (f'<div class="guide-partie-corps guide-partie-corps--{numero}"><div class="guide-partie" '
                       f'id="{ancre}"></div>' + liens.relier(morceau.contenu(), morceau.url, morceau) + "</div>")
                fois[part_src] -= 1
                if fois[part_src] == 0:  # this section's last use of the page
                    morceau.contenu = str  # its ids stay, for the links of the parts still to come
                    self._lectures_restantes[part_src] -= 1
                    if self._lectures_restantes[part_src] <= 0:
                        self.contenus.pop(part_src, None)
                return out
            return partie

        def part(m):
            # Each part on paper: its own named page, whose running header gives the part and chapter.
            numero = len(pages) // 2 + 1  # two rules per part so far
            name = f"partie-{numero}"
            pages.append(f'@page {name} {{ @top-center {{ content: "{chaine_css(entetes[m.group(2)])}"; }} }}')
            pages.append(f".guide-partie-corps--{numero} {{ page: {name}; }}")
            a_faire.append(faire(m.group(1), m.group(2), numero))
            return f"<!--guide-partie-imprimee:{len(a_faire) - 1}-->"
        squelette = _PLACEHOLDER.sub(part, liens.relier(content, url))
        if src == self.par_id[GUIDE_ID].src:
            pages.append("@page :first { @bottom-center { content: none; } }")   # the cover
        elif pages:
            # A section's title and short contents share the first part's sheet (no sheet almost empty): what
            # comes before the first part is on its named page, since a change of named page starts a sheet.
            pages.append("html { page: partie-1; }")
            # …but the sheet that opens with the section's title says nothing above it, as a page printed alone
            # (reader QA: « Territoires — Grand Est — Collectivité européenne d'Alsace » over the section's contents).
            pages.append("@page partie-1:first { @top-center { content: none; } }")
        # In the page's <head> (overrides/main.html), not in its content, which holds no style of any kind.
        self.styles[src] = "".join(pages)
        return squelette, a_faire

    # -- what the page's toolbar offers (read by overrides/partials/guide-impression.html)
    def actions(self, src: str) -> dict:
        """{'section': …, 'regions': […], 'guide': …}, each with url, pdf (or None) and label."""
        def info(s):
            return {"url": s.url, "pdf": self.pdf(s), "pages": self.pages_pdf(s), "titre": s.titre, "id": s.ident}
        out = {"guide": info(self.par_id[GUIDE_ID])}
        if src.startswith("imprimer/"):
            out["courante"] = info(self.par_id[self.section_de_page[src].ident])
        for s in self.sections:
            if s.index_src == src and s.region is None:
                out["section"] = info(s)
        # A page leads to the section that prints it, if only one does: the sources page, an annex of every section,
        # offered the last region's booklet (reader QA).
        if (src in self.section_de_page and not src.startswith("imprimer/")
                and self._sections_qui_impriment[src] == 1):
            out["appartient"] = info(self.section_de_page[src])
        return out

    # -- the line under the title
    def description(self, src: str, page_title: str, nav_section: str | None) -> str:
        if src.startswith("imprimer/"):
            s = self.section_de_page[src]
            return "Guide complet" if s.ident == GUIDE_ID else f"Section « {s.titre} »"
        if src.startswith("champs/"):
            champ = self.guide.champs.get(posixpath.basename(src).removesuffix(".md"))
            if champ:
                famille = champ.data["famille"]
                return (f"Fiche {self.libelles['famille'][famille].lower()} n° {champ.data['numero']} · "
                        f"section « {self.libelles.get('famille_pluriel', {}).get(famille, famille)} »")
        if src.startswith("territoires/") and src != TERRITOIRES_INDEX:
            t = self.guide.territoires.get(posixpath.basename(src).removesuffix(".md"))
            if t:
                return f"Fiche territoire · section « Territoires — {t.data['region']} »"
        section = f" · section « {nav_section} »" if nav_section and nav_section != page_title else ""
        return f"Page « {page_title} »{section}"

    def adresse(self, url: str) -> str:
        return f"{self.site_url}/{url}" if self.site_url else "/" + url

    def ligne(self, src: str, url: str, page_title: str, nav_section: str | None, mis_a_jour=None) -> str:
        """The line printed under the page title: which guide, what the page is, date of content, address."""
        # A date is not broken across two lines (print QA: « fiche mise à jour le 6 ⏎ décembre 2026 »).
        date = f"version du {insecable(self.date)}"
        if mis_a_jour:
            try:
                date = f"fiche mise à jour le {insecable(date_fr(_dt.date.fromisoformat(str(mis_a_jour))))} · {date}"
            except ValueError:
                pass
        absolue = "" if self.site_url else ' data-relative=""'
        # Printed only, and not searched: every page would otherwise match the guide's name and the date.
        return (f'<p class="guide-impression-ligne" data-search-exclude>{html.escape(self.site_name)} · '
                f"{html.escape(typographier(self.description(src, page_title, nav_section)))} · {date} · "
                f'<span class="guide-adresse"{absolue}>{html.escape(self.adresse(url))}</span></p>')

    def page_html(self, content: str, src: str, url: str, page_title: str, nav_section: str | None,
                  mis_a_jour=None) -> str:
        """Every page: the line under the title, URL-as-text links marked, region print links, inner links."""
        if mis_a_jour is None:
            fiche = self._fiche(src)
            mis_a_jour = fiche.data.get("mis_a_jour") if fiche else None
        line = self.ligne(src, url, page_title, nav_section, mis_a_jour)
        content, n = re.subn(r"(</h1>)", lambda m: m.group(1) + line, content, count=1)
        if not n:
            content = line + content
        content = _LIEN_EXTERNE.sub(_marquer_lien_externe, content)
        if src == TERRITOIRES_INDEX:
            content = self._liens_regions(content, url)
        return content

    def _fiche(self, src: str):
        slug = posixpath.basename(src).removesuffix(".md")
        if src.startswith("champs/"):
            return self.guide.champs.get(slug)
        if src.startswith("territoires/"):
            return self.guide.territoires.get(slug)
        return None

    def _liens_regions(self, content: str, url: str) -> str:
        """« Imprimer la section » under each region heading of the territory index."""
        regions = {s.region: s for s in self.sections if s.region}
        found = []

        def add(m):
            text = html.unescape(re.sub(r"<[^>]+>", "", m.group(2))).strip().rstrip("#¶").strip()
            s = regions.get(text)
            if not s:
                return m.group(0)
            found.append(s)
            return m.group(0) + self.boutons_section(s, url)
        content = re.sub(r"(<h2[^>]*>)(.*?)</h2>", add, content, flags=re.S)
        if found:
            return content
        # The index does not group territories under region headings: one line of region links.
        links = []
        for s in regions.values():
            link = f'<a href="{self._rel(s.url, url)}">{html.escape(s.region)}</a>'
            if self.pdf(s):
                link += (f' (<a href="{self._rel(s.pdf, url)}" download '
                         f'aria-label="Télécharger en PDF : {html.escape(s.region)}, {self.pages_pdf(s)} pages">PDF, '
                         f'{self.pages_pdf(s)} p.</a>)')
            links.append(link)
        # After the list, under a heading of their own (issue 25): placed under the title, the 14 links read as
        # filters. Screen only, like every print action.
        block = ('<section class="guide-imprimer-section guide-imprimer-regions" aria-labelledby="imprimer-regions">'
                 '<h2 id="imprimer-regions">Imprimer les fiches d\'une région</h2><p>'
                 + " · ".join(links) + "</p></section>")
        return content + block

    @staticmethod
    def _rel(target: str, from_url: str) -> str:
        return posixpath.relpath(target, from_url or ".") + ("/" if target.endswith("/") else "")

    def boutons_section(self, s: Section, from_url: str) -> str:
        rel = lambda target: self._rel(target, from_url)  # noqa: E731
        out = (f'<p class="guide-imprimer-section"><a class="md-button" href="{rel(s.url)}">'
               f'Imprimer la section</a>')
        if self.pdf(s):
            out += f' <a class="md-button" href="{rel(s.pdf)}" download>Télécharger en PDF ({self.pages_pdf(s)} pages)</a>'
        return out + "</p>"
