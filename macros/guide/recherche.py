"""Search of the guide: Pagefind indexes the reading content of every page as the site is built.

Pagefind (PyPI `pagefind[bin]`) writes a chunked static index under `site/pagefind/`: the browser
loads only the chunks and fragments a query needs, so every word of every page stays findable at any
number of fiches, where Material's lunr index had to be downloaded whole (and territory pages cut to
excerpts). French comes from Pagefind: stemming from `<html lang="fr">` (plurals, -al/-aux), accents
folded, hyphens split. What it does not fold is said in docs/assets/javascripts/guide-requete.js
(ligatures, elisions, travail/travaux, quotes), used by the worker workers/guide-recherche.js, which
speaks Material's search worker protocol (the header's box shows Pagefind's results), and by the
results page with filters (docs/recherche.md, assets/javascripts/recherche.js).

Lifecycle (macros/hooks.py):
  on_config     `brancher`: the guide's search stands where Material's header looks for its own
  on_post_page  `marquer`: the page's article is what Pagefind reads (`data-pagefind-body`), with the
                page's filters (type, région, type de collectivité, champs) in an ignored block; the
                article goes to Pagefind's service, which indexes it while the next pages are built
  on_post_build `indexer`: Pagefind writes its index; Material gets an index without documents
A partial preview build (apercu.py) indexes nothing: the complete build follows. With
GUIDE_MESURE_RECHERCHE=<file>, the seconds the build spent on the index are written to that file (JSON),
for scripts/benchmark.py.
"""
from __future__ import annotations

import asyncio
import base64
import html
import json
import os
import re
import threading
import time
import unicodedata
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.plugins import BasePlugin

from . import apercu, export
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
_HTML = re.compile(r"<html[^>]*>")
_LIGATURE = re.compile(r"\w*[œæŒÆ]\w*")


class Recherche(BasePlugin):
    """Where Material's templates look for their search plugin ("material/search"): the header then
    shows the search box, and the page config points to the search worker (overrides/main.html)."""

    config_scheme = (("enabled", config_options.Type(bool, default=True)),)


# Folded word → word as written, for every word with a ligature met by `marquer` in this build.
_ligatures: dict[str, str] = {}


class _Indexation:
    """Pagefind's indexing service (PyPI `pagefind`, asyncio, in a thread of its own) fed by the build: each
    page's article is sent as soon as the page is built, and the service (a process of its own) indexes it
    while MkDocs, one Python thread, builds the next pages; `ecrire` waits for the last ones and writes
    the index. Pagefind reads only the articles, not the navigation, header and footer around them."""

    def __init__(self):
        from pagefind.index import IndexConfig
        self.boucle = asyncio.new_event_loop()
        threading.Thread(target=self.boucle.run_forever, daemon=True, name="pagefind").start()
        self.service, self.index = self._attendre(_ouvrir(IndexConfig(exclude_selectors=EXCLUS)))
        self.envois = []
        self.secondes = 0.0  # the build's time spent on indexing, outside the service (GUIDE_MESURE_RECHERCHE)

    def _attendre(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.boucle).result()

    def ajouter(self, document: str, url: str) -> None:
        self.envois.append(asyncio.run_coroutine_threadsafe(self.index.add_html_file(content=document, url=url),
                                                            self.boucle))

    def ecrire(self, sortie: Path) -> None:
        try:
            for envoi in self.envois:
                envoi.result()
            self._attendre(self.index.write_files(output_path=str(sortie)))
        finally:
            self.fermer()

    def fermer(self) -> None:
        if self.boucle.is_running():
            self._attendre(self.service.close())
            self.boucle.call_soon_threadsafe(self.boucle.stop)


async def _ouvrir(config):
    """(service, index): a Pagefind index on a service that reads each answer as it comes.

    Written here because the `pagefind` package (1.5.2, service/__init__.py) waits 0.1 s before reading
    each answer of its service: one answer per page is 200 s at 2,000 pages. This reader is the library's
    `_wait_for_responses` without that wait; sending, encoding and the service are the library's."""
    from pagefind.service import PagefindService

    class Service(PagefindService):
        async def _wait_for_responses(self) -> None:
            while True:
                reponse = json.loads(base64.b64decode((await self._backend.stdout.readuntil(b","))[:-1]))
                if not reponse:
                    continue
                numero = reponse.get("message_id")
                if numero is None and reponse["payload"].get("original_message"):  # a request it could not read
                    numero = json.loads(reponse["payload"]["original_message"]).get("message_id")
                attente = self._responses.get(numero)
                if attente is None or attente.done():
                    continue
                if reponse["payload"]["type"] == "Error":
                    attente.set_exception(RuntimeError(reponse["payload"].get("message")))
                else:
                    attente.set_result(reponse["payload"])

    service = await Service().launch()
    return service, await service.create_index(config)


_indexation: _Indexation | None = None


def brancher(config) -> None:
    """Put the guide's search in place of Material's in `config.plugins`, and prepare this build's
    indexing (called from on_config, after apercu.preparer)."""
    global _indexation
    _ligatures.clear()
    plugin = Recherche()
    plugin.load_config({})
    config.plugins["material/search"] = plugin
    if _indexation is not None:  # a build of `mkdocs serve` that stopped on an error
        _indexation.fermer()
    _indexation = None if apercu.partielle() else _Indexation()


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


def marquer(page_html: str, src: str, url: str, guide) -> str:
    """The built HTML of a page (`src`, at `url` under the site root), with its article marked as what
    Pagefind indexes and its filters; the article alone goes to Pagefind's service.

    Called from on_post_page, after everything else has written the page (the HTML sanitiser
    included), so nothing strips these attributes. Filters are given as element text (a value may
    hold a comma or a colon), inside a block Pagefind does not index (`data-pagefind-ignore`)."""
    if src.startswith(NON_INDEXEES) or not _ARTICLE.search(page_html):
        return page_html
    spans = "".join(f'<span data-pagefind-filter="{cle}">{html.escape(valeur)}</span>'
                    for cle, valeur in filtres(src, guide))
    bloc = f'<div hidden data-pagefind-ignore>{spans}</div>'
    # The filters first in the article, before its title: the reading order of what follows is unchanged.
    page_html = _ARTICLE.sub(lambda m: m.group(0) + " data-pagefind-body", page_html, count=1)
    ouverture = page_html.index(">", _ARTICLE.search(page_html).start()) + 1
    page_html = page_html[:ouverture] + bloc + page_html[ouverture:]
    # The title outweighs mentions elsewhere (Pagefind's default for <h1> is 7, out of 10): « Ville de
    # Grenoble » finds its page before Grenoble-Alpes Métropole's, which names the city many times.
    page_html = _TITRE.sub(lambda m: m.group(0) + ' data-pagefind-weight="10"', page_html, count=1)
    if _indexation is not None:
        top = time.perf_counter()
        debut = _ARTICLE.search(page_html).start()
        article = page_html[debut:page_html.rfind(_FIN_ARTICLE) + len(_FIN_ARTICLE)]
        _ligatures.update(ligatures(article))
        # Only what Pagefind reads, under the page's <html lang> (which gives the language): its article.
        langue = _HTML.search(page_html).group(0)
        _indexation.ajouter(f"<!doctype html>{langue}<head><meta charset=\"utf-8\"></head><body>{article}</body></html>",
                            "/" + url)
        _indexation.secondes += time.perf_counter() - top
    return page_html


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
    """Write Pagefind's index of the pages of this build (site/pagefind/), and give Material's search an
    index without documents: its header box, highlighter and worker protocol stay, lunr has nothing to
    load. Nothing is indexed by a partial preview build (the complete one follows)."""
    global _indexation
    if _indexation is not None:
        indexation, _indexation = _indexation, None
        top = time.perf_counter()
        indexation.ecrire(site_dir / "pagefind")
        (site_dir / LIGATURES).write_text(json.dumps(_ligatures, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        indexation.secondes += time.perf_counter() - top
        if os.environ.get("GUIDE_MESURE_RECHERCHE"):
            Path(os.environ["GUIDE_MESURE_RECHERCHE"]).write_text(json.dumps({"indexation_s": indexation.secondes}))
    material = {"config": {"lang": ["fr"], "separator": SEPARATEUR, "pipeline": []}, "docs": []}
    (site_dir / "search").mkdir(exist_ok=True)
    (site_dir / "search" / "search_index.json").write_text(json.dumps(material), encoding="utf-8")
