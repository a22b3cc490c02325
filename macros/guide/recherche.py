"""Search of the guide: Pagefind indexes the reading content of every page once the site is built.

Pagefind (PyPI `pagefind[bin]`) writes a chunked static index under `site/pagefind/`: the browser
loads only the fragments a query needs, so every word of every page stays findable at any number of
fiches, where Material's lunr index had to be downloaded whole (and territory pages cut to excerpts).
French comes from Pagefind: stemming from `<html lang="fr">` (plurals, -al/-aux), accents folded,
elisions and hyphens split. What it does not fold is said in docs/assets/javascripts/workers/
guide-recherche.js (ligatures, a few irregular plurals), which speaks Material's search worker
protocol, so the search box of Material's header shows Pagefind's results.

Lifecycle (macros/hooks.py):
  on_config     `brancher`: the guide's search stands where Material's header looks for its own
  on_post_page  `marquer`: the page's article is what Pagefind reads (`data-pagefind-body`), with the
                page's filters (type, région, type de collectivité, champs) in an ignored block
  on_post_build `indexer`: Pagefind reads the built pages; Material gets an index without documents
"""
from __future__ import annotations

import asyncio
import html
import json
import re
import unicodedata
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.plugins import BasePlugin

from . import export
from .render import libelles

# Left out of the index, though inside the article: boilerplate a reader never looks for, and the
# listings that repeat every territory (they would match every territory's name).
EXCLUS = [
    ".headerlink",               # « # » permalinks
    ".guide-outils",             # print and edit buttons, last update line
    ".guide-impression-ligne",   # the line printed under the title (macros/guide/impression.py)
    ".guide-source",             # « Source : Étude 2019, … » after each fact
    "table.guide-territoires",   # the territory finder's table (every territory)
    "table.guide-matrice",       # the matrix (every territory × every champ)
]
# Pages Pagefind does not read (only marked pages are read): the print pages, which repeat whole
# sections, and the results page of the search.
NON_INDEXEES = ("imprimer/", "recherche.md")
# What Material's highlighter of the opened page (`?h=`) and the worker split words on: spaces,
# hyphens, apostrophes (French elisions).
SEPARATEUR = r"[\s\-'’]+"
# The words of the guide written with a ligature (œuvre, cœur), folded (oeuvre, coeur) → as written:
# the search worker writes a query's folded word as the guide does (Pagefind folds accents, not œ/æ).
LIGATURES = "pagefind/guide-ligatures.json"

_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset"')
_FIN_ARTICLE = "</article>"
_TITRE = re.compile(r"<h1(?= |>)")
_LIGATURE = re.compile(r"\w*[œæŒÆ]\w*")


class Recherche(BasePlugin):
    """Where Material's templates look for their search plugin ("material/search"): the header then
    shows the search box, and the page config points to the search worker (overrides/main.html)."""

    config_scheme = (("enabled", config_options.Type(bool, default=True)),)


# Folded word → word as written, for every word with a ligature met by `marquer` in this build.
_ligatures: dict[str, str] = {}


def brancher(config) -> None:
    """Put the guide's search in place of Material's in `config.plugins` (called from on_config)."""
    _ligatures.clear()
    plugin = Recherche()
    plugin.load_config({})
    config.plugins["material/search"] = plugin


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
    """(filter, value) pairs of a page: its type; for a territory, its région, its type of collectivité
    and the champs of its actions; for a champ page, the champ itself."""
    out = [("type", type_de_page(src, guide))]
    dossier, _, nom = src.partition("/")
    slug = nom.removesuffix(".md")
    if dossier == "territoires" and slug in guide.territoires:
        t = guide.territoires[slug]
        out += [("region", t.data["region"]), ("collectivite", libelles()["type"][t.data["type"]])]
        out += [("champ", guide.champs[c].titre_court) for c in export.champs_de(t)]
    elif dossier == "champs" and slug in guide.champs:
        out.append(("champ", guide.champs[slug].titre_court))
    return out


def marquer(page_html: str, src: str, guide) -> str:
    """The built HTML of a page, with its article marked as what Pagefind indexes and its filters.

    Called from on_post_page, after everything else has written the page (the HTML sanitiser
    included), so nothing strips these attributes. Filters are given as element text (a value may
    hold a comma or a colon), inside a block Pagefind does not index (`data-pagefind-ignore`)."""
    if src.startswith(NON_INDEXEES) or not _ARTICLE.search(page_html):
        return page_html
    spans = "".join(f'<span data-pagefind-filter="{cle}">{html.escape(valeur)}</span>'
                    for cle, valeur in filtres(src, guide))
    bloc = f'<div hidden data-pagefind-ignore>{spans}</div>'
    page_html = _ARTICLE.sub(lambda m: m.group(0) + " data-pagefind-body", page_html, count=1)
    # The title outweighs mentions elsewhere (Pagefind's default for <h1> is 7, out of 10): « Ville de
    # Grenoble » finds its page before Grenoble-Alpes Métropole's, which names the city many times.
    page_html = _TITRE.sub(lambda m: m.group(0) + ' data-pagefind-weight="10"', page_html, count=1)
    fin = page_html.rfind(_FIN_ARTICLE)
    _ligatures.update(ligatures(page_html[:fin]))
    return page_html[:fin] + bloc + page_html[fin:]


def _plier(mot: str) -> str:
    mot = unicodedata.normalize("NFD", mot.lower())
    mot = "".join(c for c in mot if not unicodedata.combining(c))
    return mot.replace("œ", "oe").replace("æ", "ae")


def ligatures(texte: str) -> dict[str, str]:
    """{folded word: word as written} for every word written with œ or æ in `texte`."""
    if not any(c in texte for c in "œæŒÆ"):
        return {}
    return {_plier(mot): mot.lower() for mot in _LIGATURE.findall(texte)}


def indexer(site_dir: Path) -> None:
    """Index the built site with Pagefind (site/pagefind/), and give Material's search an index
    without documents: its header box, highlighter and worker protocol stay, lunr has nothing to load."""
    asyncio.run(_indexer(site_dir))
    (site_dir / LIGATURES).write_text(json.dumps(_ligatures, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    material = {"config": {"lang": ["fr"], "separator": SEPARATEUR, "pipeline": []}, "docs": []}
    (site_dir / "search").mkdir(exist_ok=True)
    (site_dir / "search" / "search_index.json").write_text(json.dumps(material), encoding="utf-8")


async def _indexer(site_dir: Path) -> None:
    from pagefind.index import IndexConfig, PagefindIndex
    config = IndexConfig(exclude_selectors=EXCLUS, output_path=str(site_dir / "pagefind"))
    async with PagefindIndex(config=config) as index:
        await index.add_directory(str(site_dir))
