"""Territory pages converted by other processes (guide/ateliers.py) while `mkdocs build` converts the rest.

MkDocs populates pages (each page's Markdown, then its HTML) one after the other: at 2,000 fiches the territory
pages are half of a build, on one core of the machine. Right before MkDocs reads the first page (on_nav), the
build forks; each child runs for the territory pages it takes what MkDocs runs up to a page's HTML
(`on_pre_page` and `on_page_markdown` of every plugin, then `Page.render`) and sends back what `Page.render`
sets (HTML, table of contents, title from the HTML, anchors). The build takes that in place of its own
conversion (`PageRendueAilleurs.render`), then goes on as for any page: sanitiser, print, search and writing
happen in the build, once.

A page whose template kept HTML out of Markdown (Renderer.brut: a marker only the build's renderer can put back)
is converted by the build. Only `mkdocs build` forks: the preview's builds under `mkdocs serve` are mostly one
page, and a complete one gives way to a fiche saved meanwhile (apercu.py).
"""
from __future__ import annotations

import functools
import re
from urllib.parse import urljoin, urlsplit

from mkdocs.structure.pages import Page

from guide.ateliers import Ateliers


class PageRendueAilleurs(Page):
    """A territory page, whose HTML may come from another process (Conversions): then `render` takes it."""

    rendu: dict | None = None  # what another process's Page.render set, until this page's render

    def _set_canonical_url(self, base: str | None) -> None:
        """MkDocs' result (Page._set_canonical_url, pinned), without joining and splitting the address of every
        territory page: its address is a plain relative path (« territoires/<slug>/ »), whose canonical address
        is the base's own with the path added. At 10,000 fiches, MkDocs' way took a tenth of a second of every
        build of the preview, which creates every page (test: the same result for any base)."""
        if base and _CHEMIN_SIMPLE.fullmatch(self.url):
            adresse, chemin = _debuts(base if base.endswith("/") else base + "/")
            if adresse is not None:
                self.canonical_url, self.abs_url = adresse + self.url, chemin + self.url
                return
        super()._set_canonical_url(base)

    def render(self, config, files) -> None:
        rendu, self.rendu = self.rendu, None
        if rendu is None:
            return super().render(config, files)
        self.content = rendu["content"]
        self.toc = rendu["toc"]
        self._title_from_render = rendu["titre"]
        self.present_anchor_ids = rendu["ancres"]
        if rendu["liens"] is not None:
            self.links_to_anchors = {files.get_file_from_path(src): liens for src, liens in rendu["liens"].items()}
        return None


_CHEMIN_SIMPLE = re.compile(r"(?:[a-z0-9-]+/)+")


@functools.lru_cache(maxsize=8)
def _debuts(base: str) -> tuple[str | None, str | None]:
    """What MkDocs' urljoin and urlsplit give before a plain relative path, for this base (None if the base is not
    one a path is simply added to)."""
    adresse = urljoin(base, "x")
    if not adresse.endswith("x"):
        return None, None
    chemin = urlsplit(adresse).path
    return (adresse[:-1], chemin[:-1]) if chemin.endswith("x") else (None, None)


def peupler(page: Page, config, files) -> None:
    """What MkDocs' build does for a page up to its HTML (mkdocs.commands.build._populate_page)."""
    config._current_page = page
    page = config.plugins.on_pre_page(page, config=config, files=files)
    page.read_source(config)
    page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
    page.render(config, files)


def _rendu(page: Page) -> dict:
    """What Page.render set on `page`, to be sent to the build: File objects named by their path."""
    liens = page.links_to_anchors
    return {"content": page.content, "toc": page.toc, "titre": page._title_from_render,
            "ancres": page.present_anchor_ids,
            "liens": None if liens is None else {f.src_uri: a for f, a in liens.items()}}


class Conversions:
    """The territory pages of one build that other processes convert (held by the plugin from on_nav to on_env)."""

    def __init__(self, ateliers: Ateliers, pages: list[Page]):
        self.ateliers = ateliers
        self._index = {page.file.src_uri: i for i, page in enumerate(pages)}

    @classmethod
    def ouvrir(cls, pages: list[Page], processus: int, faire) -> "Conversions | None":
        """Children converting `pages`: `faire(page)` runs MkDocs' steps up to Page.render (see `peupler`) and
        returns False for a page the build must convert itself. None when no child would help."""
        def convertir(page):
            if not faire(page):
                return None
            rendu = _rendu(page)
            page.content = page.markdown = page.toc = None  # sent: not kept in the child
            return rendu
        ateliers = Ateliers.ouvrir(pages, processus, convertir, "Pages des territoires converties")
        return cls(ateliers, pages) if ateliers is not None else None

    def prendre(self, src: str) -> dict | None:
        """When MkDocs reaches page `src`: None if the build converts it itself; else what another process's
        Page.render set (see Ateliers.prendre)."""
        i = self._index.get(src)
        return None if i is None else self.ateliers.prendre(i)

    def fermer(self, arreter: bool = False) -> None:
        self.ateliers.fermer(arreter)
