"""Search of the guide: Pagefind indexes the reading content of every page as the site is built.

Pagefind (PyPI `pagefind[bin]`) writes a chunked static index under `site/pagefind/`: the browser
loads only the chunks and fragments a query needs, so every word of every page stays findable at any
number of fiches, where Material's lunr index had to be downloaded whole (and territory pages cut to
excerpts). French comes from Pagefind: stemming from `<html lang="fr">` (plurals, -al/-aux), accents
folded, hyphens split. What it does not fold is said in docs/assets/javascripts/guide-requete.js
(ligatures, elisions, travail/travaux, quotes), used by the worker workers/guide-recherche.js, which
speaks Material's search worker protocol (the header's box shows Pagefind's results), and by the
results page with filters (docs/recherche.md, assets/javascripts/recherche.js).

Lifecycle (macros/guide/plugin.py):
  on_config     `brancher`: the guide's search stands where Material's header looks for its own
  on_post_page  `marquer`: the page's article is what Pagefind reads (`data-pagefind-body`), with the
                page's filters (type, région, type de collectivité, champs) in an ignored block; the
                article goes to Pagefind in a process of its own (indexation.py), which indexes it while
                the next pages are built
  on_post_build `indexer`: Pagefind writes its index; Material gets an index without documents
A partial preview build (apercu.py) indexes nothing: the complete build follows. With
GUIDE_MESURE_RECHERCHE=<file>, the seconds the build spent on the index are written to that file (JSON),
for scripts/benchmark.py.
"""
from __future__ import annotations

import html
import json
import os
import re
import string
import time
import unicodedata
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.plugins import BasePlugin

from guide.sorties import export
from guide.sorties.indexation import Indexation
from guide.modele.schemas import libelles

# Left out of the index, though inside the article: boilerplate a reader never looks for, and the
# listings that repeat every territory (they would match every territory's name).
EXCLUS = [
    ".headerlink",               # « # » permalinks
    ".guide-outils",             # print and edit buttons, last update line
    ".guide-impression-ligne",   # the line printed under the title (macros/guide/sorties/impression.py)
    # the publications a page cites, named in full on paper only (_commun.md.j2): its « Économie sociale et solidaire
    # & innovation sociale » was the excerpt of 15 of the first 20 results of « économie sociale et solidaire »
    # (search QA)
    ".guide-publications-citees",
    # an action's badge (« Exemple », « Mention »): a label of the card, read in an excerpt as a word of its text
    # (search QA: « … à l'ESS Exemple Instruction conjointe des projets par les services Exemple Saint-Étienne… »)
    ".guide-badge",
    ".guide-source",             # « Source : Étude 2019, … » after each fact
    ".footnote-ref",             # note calls (« ², ⁴ »): numbers in the middle of an excerpt
    ".guide-appels",             # the comma between two calls (notes.py)
    "table.guide-territoires",   # the territory finder's table (every territory)
    "table.guide-matrice",       # the matrix (every territory × every champ)
    # a territory's « Territoires comparables », other territories and champs named: a section shown for every query
    # naming a champ (reader QA: the first one of 7 of the first 8 territories for « tiers lieux »)
    ".guide-comparables",
    # the fiches' source as the model and the contributors' guide show it, in fictional examples (« Saint-Aubin-
    # l'Exemple », « Le budget ESS de la ville »): not what the guide says (reader QA: « budget ESS » listed the model's
    # example among its results); the keys stay found in the model's tables
    "pre > code.language-yaml",
    "pre > code.language-markdown",
]
# Indexed, but weighing nothing in the ranking and in the choice of excerpts (data-pagefind-weight="0"): the
# numbered source notes and the « Notes sur les sources » block of a fiche page (macros/templates/
# _commun.md.j2), the editors' apparatus rather than what a page says. Their words are still found (a page
# that holds a word only there is a result, last), but an excerpt comes from the page's text.
SANS_POIDS = ('<div class="footnote">', '<details class="note guide-notes-sources">')
# Pages Pagefind does not read (only marked pages are read): the print pages, which repeat whole
# sections, and the results page of the search.
NON_INDEXEES = ("imprimer/", "recherche.md")
# What Material's highlighter of the opened page (`?h=`) and the worker split words on: spaces,
# hyphens, apostrophes (French elisions).
SEPARATEUR = r"[\s\-'’]+"
# The words of the guide written with a ligature (œuvre, cœur), folded (oeuvre, coeur) → as written:
# the search worker writes a query's folded word as the guide does (Pagefind folds accents, not œ/æ).
LIGATURES = "pagefind/guide-ligatures.json"
# The acronyms of the glossary (fiches/sigles.yaml), folded → their definition: a query word that is one also finds
# the pages writing its definition (reader QA: « AAP » found 3 pages, « appels à projets » 54).
SIGLES = "pagefind/guide-sigles.json"
# The vocabulary of the guide (every word of the indexed pages, as written), in one file per first letter of
# the folded word (`a.json`… `z.json`, digits, `_` for the rest): the query layer (guide-requete.js) loads
# only the files of the letters a query starts its words with. Each file lists the words, those on most
# pages first, each folded word once (written as most pages write it).
VOCABULAIRE = "pagefind/guide-mots"
# The départements that hold territories of the guide, by code → [name, how many territories] (export.par_departement,
# from the official reference): a query that is a département's code or a postcode (« 93 », « 35000 ») also leads
# to the finder filtered on that département (search QA: « 35 » listed « 35 % » first, Ille-et-Vilaine third).
DEPARTEMENTS = "pagefind/guide-departements.json"
# The types of collectivité of the guide's territories, by the finder's value → [label, how many territories]: a query
# that names a type (« communauté de communes », « métropoles ») also leads to the finder filtered on it (reader QA:
# Figeac, the fourth communauté de communes, came 50th of 69 results, its title being its name alone).
TYPES = "pagefind/guide-types.json"
# The régions of the guide's territories → [name, how many territories]: a query that ends with one (« tiers-lieux
# Grand Est ») also leads to those words searched in its territories (phone QA: « Grand » and « Est » found Grand-Orly
# Seine Bièvre and Grand Paris Sud Est Avenir first).
REGIONS = "pagefind/guide-regions.json"
# The guide's territories by their name and each alias → [that name, 1, the fiche's name, its page from the site root]:
# a query that ends with one after other words also leads to its page (reader QA: « budget ESS Lille » listed 13 pages
# holding the three words, not Ville de Lille's, which holds no « budget »). One file per last letter or digit of the
# name folded (`z.json`, `_` for none): a query, which ends with the name, loads one (a few kB where the whole table,
# a line per name and alias, would be 400 kB at 2,000 fiches).
NOMS = "pagefind/guide-noms"

_ARTICLE = '<article class="md-content__inner md-typeset"'
_FIN_ARTICLE = "</article>"
_TITRE = re.compile(r"<h1(?= |>)")  # the page's title, in its article
_HTML = re.compile(r"<html[^>]*>")


class Recherche(BasePlugin):
    """Where Material's templates look for their search plugin ("material/search"): the header then
    shows the search box, and the page config points to the search worker (overrides/main.html)."""

    config_scheme = (("enabled", config_options.Type(bool, default=True)),)


def brancher(config, partielle: bool) -> "Index":
    """Put the guide's search in place of Material's in `config.plugins`, and prepare this build's
    indexing (called from on_config); a partial preview build (apercu.py) indexes nothing."""
    plugin = Recherche()
    plugin.load_config({})
    config.plugins["material/search"] = plugin
    return Index(None if partielle else Indexation(EXCLUS, Path(config["site_dir"]) / "pagefind"))


class Index:
    """The search index of one build: the pages handed to Pagefind as they are written (held by the plugin)."""

    def __init__(self, indexation: Indexation | None):
        self.indexation = indexation
        self.restantes = 0  # pages to index not yet handed over (annoncer, marquer)

    def fermer(self) -> None:
        if self.indexation is not None:  # a build of `mkdocs serve` that stopped on an error
            self.indexation.fermer()
            self.indexation = None

    def annoncer(self, sources) -> None:
        """The source paths of this build's pages (on_files): once the last page to index is handed over,
        Pagefind writes its index while MkDocs builds the pages it does not index (the printed sections come
        last). A short count costs nothing but time: pages that come later are indexed and written at the end."""
        self.restantes = sum(1 for src in sources if not src.startswith(NON_INDEXEES))

    def marquer(self, page_html: str, src: str, url: str, guide, poids: float | None = None) -> str:
        """marquer() of the page, its article handed to this build's Pagefind service."""
        return marquer(page_html, src, url, guide, self, poids)

    def indexer(self, site_dir: Path, sigles: list, departements: dict | None = None, types: dict | None = None,
                regions: dict | None = None, noms: dict | None = None) -> None:
        indexer(site_dir, self, sigles, departements, types, regions, noms)


def type_de_page(src: str, guide) -> str:
    """Label of a page's kind, as results and the « type » filter show it: the famille of a champ
    page (Champ d'action, Focus thématique, Cadre d'action), Territoire, Étude, Ressource, or Page."""
    dossier, _, nom = src.partition("/")
    slug = nom.removesuffix(".md")
    if dossier == "champs" and slug in guide.champs:
        return libelles()["famille"][guide.champs[slug].data["famille"]]
    if dossier == "territoires" and slug in guide.territoires:
        return "Territoire"
    return {"etude": "Étude", "ressources": "Ressource"}.get(dossier, "Page")


def filtres(src: str, guide) -> list[tuple[str, str]]:
    """(filter, value) pairs of a page: its type; for a territory, its région, its type of collectivité,
    the champs and the levers of its actions; for a champ page, the champ itself, its levers and its rank
    (« classement »)."""
    out = [("type", type_de_page(src, guide))]
    dossier, _, nom = src.partition("/")
    slug = nom.removesuffix(".md")
    if dossier == "territoires" and slug in guide.territoires:
        t = guide.territoires[slug]
        out += [("region", t.data["region"]), ("collectivite", libelles()["type"][t.data["type"]])]
        out += [("champ", guide.champs[c].titre_court) for c in export.champs_de(t)]
        out += [("levier", levier.data["titre"]) for levier in t.leviers]
    elif dossier == "champs" and slug in guide.champs:
        out.append(("champ", guide.champs[slug].titre_court))
        out += [("levier", levier.data["titre"]) for levier in guide.champs[slug].leviers]
        # The page that gathers a subject (champ, focus, cadre): the query layer counts its score twice
        # (guide-requete.js, POIDS_SUJET), so it comes before the territories that mention the subject.
        out.append(("classement", "sujet"))
    return out


def marquer(page_html: str, src: str, url: str, guide, index: Index | None = None, poids: float | None = None) -> str:
    """The built HTML of a page (`src`, at `url` under the site root), with its article marked as what
    Pagefind indexes and its filters; the article alone goes to Pagefind's service. `poids`: the weight of the
    article's words against other pages' (its front matter's `search: boost:`, as Material's own search reads it;
    the editors' pages rank below the reading pages), its title's staying what it is.

    Called from on_post_page, after everything else has written the page (the HTML sanitiser
    included), so nothing strips these attributes. Filters are given as element text (a value may
    hold a comma or a colon), inside a block Pagefind does not index (`data-pagefind-ignore`)."""
    debut = -1 if src.startswith(NON_INDEXEES) else page_html.find(_ARTICLE)
    if debut < 0:
        return page_html
    spans = "".join(f'<span data-pagefind-filter="{cle}">{html.escape(valeur)}</span>'
                    for cle, valeur in filtres(src, guide))
    # Cut once, at places found with str.find, and joined once: a regex pass or a copy of the page per mark
    # costs more, summed over 2,000 pages of 100 kB, than everything else this function does.
    attributs = debut + len(_ARTICLE)                      # after the article's class
    ouverture = page_html.index(">", attributs) + 1        # after its opening tag
    fin = page_html.rfind(_FIN_ARTICLE) + len(_FIN_ARTICLE)
    titre = _TITRE.search(page_html, ouverture, fin)
    coupe = titre.end() if titre else ouverture
    article = "".join((
        page_html[debut:attributs], " data-pagefind-body",
        f' data-pagefind-weight="{poids:g}"' if poids is not None else "", page_html[attributs:ouverture],
        # The filters first in the article, before its title: the reading order of what follows is unchanged.
        f"<div hidden data-pagefind-ignore>{spans}</div>",
        page_html[ouverture:coupe],
        # The title outweighs mentions elsewhere (Pagefind's default for <h1> is 7, out of 10): « Ville de
        # Grenoble » finds its page before Grenoble-Alpes Métropole's, which names the city many times.
        ' data-pagefind-weight="10"' if titre else "",
        sans_poids(page_html[coupe:fin])))
    if index is not None and index.indexation is not None:
        indexation = index.indexation
        top = time.perf_counter()
        # Only what Pagefind reads, under the page's <html lang> (which gives the language): its article.
        langue = _HTML.search(page_html).group(0)
        indexation.ajouter(f"<!doctype html>{langue}<head><meta charset=\"utf-8\"></head><body>{article}</body></html>",
                           "/" + url)
        index.restantes -= 1
        if index.restantes == 0:
            indexation.ecrire()
        indexation.secondes += time.perf_counter() - top
    return page_html[:debut] + article + page_html[fin:]


def cle_de_mot(plie: str) -> str:
    """The file of the vocabulary a folded word is in (its first letter or digit, `_` otherwise); the same
    rule as `fichierDuMot` of guide-requete.js."""
    return plie[0] if plie[0] in "abcdefghijklmnopqrstuvwxyz0123456789" else "_"


def ecrire_vocabulaire(dossier: Path, mots: dict[str, int]) -> None:
    """The vocabulary's files (VOCABULAIRE) from {word as written: number of pages}."""
    plies: dict[str, tuple[int, str]] = {}  # folded word → (pages, its most frequent spelling)
    # In order: of two spellings on as many pages (« réaffirme », « réaffirmé »), the same one at every build
    # (the indexing process gives the words in no fixed order).
    for mot, pages in sorted(mots.items()):
        plie = plier(mot)
        total, ecrit = plies.get(plie, (0, mot))
        plies[plie] = (total + pages, mot if pages > mots.get(ecrit, 0) else ecrit)
    fichiers: dict[str, list] = {}
    for plie, (pages, ecrit) in sorted(plies.items(), key=lambda kv: (-kv[1][0], kv[0])):
        fichiers.setdefault(cle_de_mot(plie), []).append(ecrit)
    dossier.mkdir(parents=True, exist_ok=True)
    for cle, liste in fichiers.items():
        (dossier / f"{cle}.json").write_text(json.dumps(liste, ensure_ascii=False, separators=(",", ":")),
                                            encoding="utf-8")


def plier(mot: str) -> str:
    """« Économie », « œuvre » → « economie », « oeuvre »: as guide-requete.js's `plier` compares words."""
    mot = unicodedata.normalize("NFD", mot.lower())
    return "".join(c for c in mot if not unicodedata.combining(c)).replace("œ", "oe").replace("æ", "ae")


def sans_poids(html_article: str) -> str:
    """The article with the blocks of SANS_POIDS weighted 0 for Pagefind. Each is written once, at the end of
    a fiche page (notes_de_page of _commun.md.j2, called last): the last occurrence is the template's, never
    text of the fiche, which comes before."""
    for ouverture in SANS_POIDS:
        avant, trouve, apres = html_article.rpartition(ouverture)
        if trouve:
            html_article = avant + ouverture[:-1] + ' data-pagefind-weight="0">' + apres
    return html_article


def noms_des_territoires(guide) -> dict:
    """NOMS: each territory's name and aliases → [that name, 1, the fiche's name, its page from the site root]."""
    return {nom: [nom, 1, t.data["nom"], f"territoires/{t.slug}/"] for t in guide.territoires.values()
            for nom in [t.data["nom"], *t.data.get("alias", [])]}


# The names of the files of NOMS: the last letter or digit of a name folded, or « _ » for a name without one.
CLES_DE_NOM = string.ascii_lowercase + string.digits + "_"


def cles_de_nom(nom: str) -> set[str]:
    """The files of NOMS that hold a name: by the last letter or digit of the name folded, and of the acronym in the
    brackets it may end with (guide-requete.js matches either, as the query's last word)."""
    sigle = re.search(r"\(([^()]+)\)\s*$", nom)
    formes = [nom[:sigle.start()], sigle.group(1)] if sigle else [nom]
    cles = set()
    for forme in formes:
        fin = re.findall(r"[a-z0-9]", plier(forme))
        cles.add(fin[-1] if fin else "_")
    return cles


def indexer(site_dir: Path, index: Index, sigles: list = (), departements: dict | None = None,
            types: dict | None = None, regions: dict | None = None, noms: dict | None = None) -> None:
    """Write Pagefind's index of the pages of this build (site/pagefind/), and give Material's search an
    index without documents: its header box, highlighter and worker protocol stay, lunr has nothing to
    load. Nothing is indexed by a partial preview build (the complete one follows)."""
    if index.indexation is not None:
        indexation, index.indexation = index.indexation, None
        top = time.perf_counter()
        mots = indexation.terminer()
        (site_dir / LIGATURES).write_text(json.dumps(mots, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        ecrire_vocabulaire(site_dir / VOCABULAIRE, indexation.mots)
        (site_dir / SIGLES).write_text(json.dumps({plier(s["sigle"]): s["definition"] for s in sigles},
                                                  ensure_ascii=False, sort_keys=True), encoding="utf-8")
        (site_dir / DEPARTEMENTS).write_text(json.dumps(departements or {}, ensure_ascii=False, sort_keys=True),
                                             encoding="utf-8")
        (site_dir / TYPES).write_text(json.dumps(types or {}, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        (site_dir / REGIONS).write_text(json.dumps(regions or {}, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        # A file for every last letter or digit a query may end with, empty where no name ends so: a query ending
        # with « f » asked for a file the build had not written (a 404 in the reader's console at each query).
        fichiers: dict[str, dict] = {cle: {} for cle in CLES_DE_NOM}
        for nom, ligne in (noms or {}).items():
            for cle in cles_de_nom(nom):
                fichiers.setdefault(cle, {})[nom] = ligne
        (site_dir / NOMS).mkdir(parents=True, exist_ok=True)
        for cle, table in fichiers.items():
            (site_dir / NOMS / f"{cle}.json").write_text(json.dumps(table, ensure_ascii=False, sort_keys=True),
                                                         encoding="utf-8")
        indexation.secondes += time.perf_counter() - top
        if os.environ.get("GUIDE_MESURE_RECHERCHE"):
            Path(os.environ["GUIDE_MESURE_RECHERCHE"]).write_text(json.dumps({"indexation_s": indexation.secondes}))
    material = {"config": {"lang": ["fr"], "separator": SEPARATEUR, "pipeline": []}, "docs": []}
    (site_dir / "search").mkdir(exist_ok=True)
    (site_dir / "search" / "search_index.json").write_text(json.dumps(material), encoding="utf-8")
