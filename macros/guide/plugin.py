"""The guide's MkDocs plugin: the pipeline from fiches to pages, one lifecycle event per step.

    on_config          load → validate → join every fiche (the model; under `mkdocs build`, fiches read by other
                       processes too, guide/ateliers.py); any error stops the build with the
                       whole report; acronyms and French typography added to Markdown; Pagefind in place of
                       Material's search; `mkdocs build` sent into a fresh folder, published on success
    on_files           one generated page per fiche and per printed section: a `File.generated` with no
                       front matter (its title and metadata are set in Python, on_page_markdown); open data,
                       the editors' form; links written in fiches checked
    on_nav             `mkdocs build`: processes started that convert territory pages on the machine's other
                       cores while the build converts the rest (conversion.py)
    on_page_markdown   a fiche page or a printed section rendered from its template (render.py), fiche text as
                       sanitised fragments (fragments.py); mkdocs-macros renders only the authored pages that
                       opt in (`render_macros: true`), never a generated one; a territory page another process
                       converted taken from it
    on_page_content    every page's HTML through the allowlist sanitiser (assainir.py, on a thread of its own)
    on_page_context    the sanitised HTML back in the page; printed sections filled; territory bearings
    on_post_page       search marks (recherche.py); territory pages compacted (reperes.py)
    on_post_build      Pagefind's index written; the build published (publication.py)

State lives on the plugin instance, never in module globals: MkDocs keeps one instance for a whole
`mkdocs serve` (the plugin has on_startup), so what the preview needs between builds (apercu.py, the
fiches' digests) is kept here, and what one build needs is replaced at each on_config.
"""
from __future__ import annotations

import contextlib
import functools
import gc
import html
import logging
import re
from pathlib import Path

import jinja2
import markupsafe
from mkdocs.config import base, config_options as c
from mkdocs.exceptions import Abort, BuildError, PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, InclusionLevel

from guide import GuideInvalide, Memoire, ateliers, build_guide
from guide.construction import conversion
from guide.construction.apercu import Apercu, ConstructionInterrompue
from guide.construction.publication import Publication
from guide.modele import edition, referentiel, slugs
from guide.modele.validate import ancre_absente, ancres_des_liens, check_links
from guide.rendu import en_ligne, sigles, titres, typographie
from guide.rendu.assainir import Assainisseur, deballer, emballer
from guide.modele.schemas import libelles
from guide.rendu.render import GabaritsCompiles, Renderer
from guide.sorties import decap, export, impression, recherche, reperes, scripts

log = logging.getLogger("mkdocs.plugins.guide")

# Where each family's pages go in the navigation: its index page in mkdocs.yml.
FAMILY_INDEX = {"levier": "leviers/index.md", "focus": "focus/index.md", "cadre": "cadres/index.md"}
# Fiche pages: folder → (template, name under which the template receives the fiche).
FICHE_PAGES = {"champs": ("champ.md.j2", "champ"), "territoires": ("territoire.md.j2", "territoire")}

# The Content-Security-Policy of every page (a <meta>: the site is static, hosted anywhere). Scripts and
# everything else from the site itself only: no inline script (Material's two are files, see
# overrides/partials/javascripts/), no plugin content, no <base> elsewhere; Pagefind compiles its
# WebAssembly ('wasm-unsafe-eval', which allows nothing else); styles may be inline (Material sets
# custom properties on elements from its scripts; the printed sections' running heads).
CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self'; object-src 'none'; "
       "base-uri 'self'; form-action 'self'")


class GuideConfig(base.Config):
    """Options of the plugin (mkdocs.yml, `plugins: - guide:`)."""

    # The project holding fiches/ (fiches, data files, schemas); default: the folder of mkdocs.yml.
    racine = c.Optional(c.Dir(exists=True))
    # The page templates (Jinja), relative to `racine`.
    gabarits = c.Type(str, default="macros/templates")
    # Content-Security-Policy written in every page's <head>.
    politique = c.Type(str, default=CSP)
    # Processes reading fiches and converting territory pages beside `mkdocs build` (guide/ateliers.py); default:
    # one per spare core, three at most; 0: none.
    processus = c.Optional(c.Type(int))


@contextlib.contextmanager
def fiche_en_cause(rel: str | None):
    """Any unexpected error while handling a fiche becomes a French error naming its file, not a traceback."""
    try:
        yield
    except (PluginError, GuideInvalide, ConstructionInterrompue):
        raise  # already reported in French (an interrupted preview build is no error: apercu.py)
    except Exception as exc:  # noqa: BLE001 - every error, reported once in French
        cause = f"({type(exc).__name__} : {exc})"
        if rel:
            message = (f"{rel} : la construction a échoué sur cette fiche {cause}. Vérifiez-la avec "
                       "« python scripts/valider.py » ; si elle est valide, signalez le problème avec ce message.")
        else:
            message = (f"la construction a échoué {cause}. Vérifiez les fiches avec « python scripts/valider.py » ; "
                       "si elles sont valides, signalez le problème avec ce message.")
        raise PluginError(message + " Rien n'a été publié.") from None


# An element's id in a page's HTML as MkDocs writes it (quoted with « " »): the anchors a link may reach.
_ID = re.compile(r' id="([^"]*)"')
# A built page's title, for the message of a link to one of its anchors.
_TITRE = re.compile(r"<h1[^>]*>([^<]*)")


class _SansFausseAlerte(logging.Filter):
    """MkDocs logs « Page skipped … Generated empty output » for a page whose output is empty: a false alarm for
    the printed sections the plugin writes itself, part by part (on_post_page), dropped here."""

    def __init__(self):
        super().__init__()
        self.pages: set[str] = set()  # src of the pages written by the plugin

    def filter(self, record):
        msg = str(record.msg)
        return not (msg.startswith("Page skipped: '") and msg.split("'")[1] in self.pages)


class _Contenu:
    """A page's final HTML, made once from its sanitiser's result (a Future of the packed sanitised HTML,
    assainir.emballer) when first asked for. Then only that HTML is held, packed (for the printed sections that
    reproduce it), not also the sanitised HTML it was made from: each page's content would otherwise be in
    memory twice until the build ends, and as a string (twice or four times its UTF-8 size)."""

    __slots__ = ("_assaini", "_finir", "_paquet")

    def __init__(self, assaini, finir):
        self._assaini, self._finir, self._paquet = assaini, finir, None

    def __call__(self) -> str:
        if self._paquet is None:
            html = self._finir(deballer(self._assaini.result()))
            self._paquet = emballer(html)
            self._assaini = self._finir = None
            return html
        return deballer(self._paquet)


class GuidePlugin(BasePlugin[GuideConfig]):
    """Builds the guide's pages from its fiches (see the module's docstring)."""

    def __init__(self):
        # Kept across the builds of one `mkdocs serve`: the preview, the fiches' digests, the publication.
        self.apercu = Apercu()
        self.memoire = Memoire()
        self.publication = Publication()
        self.sans_fausse_alerte = _SansFausseAlerte()
        self.gabarits_compiles = GabaritsCompiles()
        self.fichiers_des_fiches: dict = {}  # see _fichier_de_fiche
        self.commande = None  # the MkDocs command (build, serve…)
        # State of one build, set again by on_config.
        self._build_reset()

    def _build_reset(self):
        self.guide = None
        self.renderer: Renderer | None = None
        self.impression: impression.Impression | None = None
        self.index: recherche.Index | None = None
        self.assainisseur: Assainisseur | None = None
        self.reperes: dict = {}
        self.contenus: dict = {}            # source path → the page's sanitised HTML (a callable), until on_page_context
        self.sections_actives: list = []    # the nav section made active for the page being rendered
        self.parties_a_ecrire: dict = {}    # printed section's src → its parts, written by on_post_page
        self.conversions: conversion.Conversions | None = None  # territory pages other processes convert
        self.ancres_attendues: dict = {}    # page's src → the fiches' links to its anchors (_liens_des_fiches)
        self.ancres_absentes: list = []     # their errors, found as each page is written (on_post_page)
        self.pages_des_ancres: dict = {}    # the File of each page those links lead to

    # ------------------------------------------------------------------------------------------ the model

    def on_startup(self, *, command, dirty):
        self.commande = command
        self.apercu.demarrer(command, dirty)
        self.publication.commencer(command, dirty)

    def on_config(self, config):
        if self.assainisseur is not None:
            self.assainisseur.fermer()
        if self.index is not None:
            self.index.fermer()  # a build of `mkdocs serve` that stopped on an error
        self._build_reset()
        logging.getLogger("mkdocs.commands.build").addFilter(self.sans_fausse_alerte)  # once: a filter is added once
        self.publication.preparer(config)  # the build writes into a fresh folder, published only on success
        racine = Path(self.config.racine or Path(config["config_file_path"]).resolve().parent).resolve()
        self.apercu.commencer(racine)
        try:
            with fiche_en_cause(None):
                guide = build_guide(racine, self.memoire, self._processus(),
                                    entre_etapes=lambda: self.apercu.ceder_en_lisant(self.memoire.changements))
                referentiel.requis(guide)  # no site without the official data of its territories
        except GuideInvalide as exc:
            raise PluginError("Fiches invalides :\n" + exc.rapport()) from None
        self.guide, self.racine = guide, racine
        self.renderer = Renderer(guide, racine / self.config.gabarits)
        self.assainisseur = Assainisseur()
        self.reperes = reperes.par_territoire(guide)
        self.apercu.preparer(guide, self.memoire.changements)
        config["nav"] = [self._expand(item) for item in config["nav"]]
        config["markdown_extensions"].append(sigles.extension(guide.sigles))
        config["markdown_extensions"].append(typographie.extension())  # French spaces, dates in words
        config["markdown_extensions"].append(titres.extension())  # a fiche's headings: ids the guide generates
        config["markdown_extensions"].append(en_ligne.extension())  # inline patterns tried only where they can match
        # Heading ids: Python-Markdown's slugs, with « œ » as « oe », never starting with « _ » (slugs.titre)
        config["mdx_configs"].setdefault("toc", {})["slugify"] = slugs.titre
        self.index = recherche.brancher(config, self.apercu.partielle())  # Pagefind in place of lunr
        self._geler()
        self.apercu.ceder()  # a complete preview build gives way to a fiche saved meanwhile (apercu.py)
        return config

    @staticmethod
    def _geler():
        """What the build has made so far, which lives until it ends (fiches, joined guide, MkDocs' files and pages),
        out of the reach of Python's cyclic garbage collector until the build ends (`gc.unfreeze`, `_degeler`).

        A full collection walks every object the process tracks, and one runs each time the surviving objects grow
        by a quarter: a build grows all along, so at 2,000 fiches its process ran 18 full collections (1.9 s of its
        time, a tenth of its CPU), and under the preview at 10,000 each took one to two seconds, during which a
        complete build could not give way to a fiche just saved (apercu.ceder). Called at the build's milestones
        (fiches joined, pages listed, pages converted), before the children fork (Python's advice, as they do)."""
        gc.freeze()

    @staticmethod
    def _degeler():
        """Objects frozen by this build back in the collector's reach: what the next build of `mkdocs serve` no
        longer holds is collected then."""
        gc.unfreeze()

    def _expand(self, item):
        """Turn `Leviers d'action: leviers/index.md` into the section with its champ pages."""
        if isinstance(item, dict):
            (title, value), = item.items()
            for famille, index in FAMILY_INDEX.items():
                if value == index:
                    # Escaped: Material prints navigation titles as HTML (tabs, menu, breadcrumbs); as Markup,
                    # its `| e` (footer links) does not escape them twice.
                    return {title: [index] + [{markupsafe.escape(ch.data.get("titre_court", ch.data["titre"])):
                                               f"champs/{ch.slug}.md"}
                                              for ch in self.guide.champs_de(famille)]}
            if isinstance(value, list):
                return {title: [self._expand(v) for v in value]}
        return item

    # ------------------------------------------------------------------------------------------ the pages

    def on_files(self, files, config):
        self.apercu.ceder()
        guide = self.guide
        self.dates = edition.git_dates(self.racine)
        # The site's own addresses belong to the site: a fiche whose page would take one is refused.
        # (The site's pages are a few hundred: looked up among them, not each of 10,000 fiches among the files.)
        du_site = {f.src_uri for f in files if f.src_uri.startswith(("champs/", "territoires/"))}
        reservees = [f"{kind}/{slug}.md" for kind, items in (("champs", guide.champs), ("territoires", guide.territoires))
                     for slug in items if f"{kind}/{slug}.md" in du_site]
        if reservees:
            raise PluginError("Adresses réservées :\n" + "\n".join(
                f"  fiches/{src} : cette adresse est celle d'une page du site (docs/{src}) ; renommez la fiche."
                for src in reservees))
        connus, fiches = self._fichiers_connus(config), {}
        for kind, items in (("champs", guide.champs), ("territoires", guide.territoires)):
            for slug in items:
                src = f"{kind}/{slug}.md"
                file = fiches[src] = self._fichier_de_fiche(connus, config, src)
                files.append(file)
                if kind == "territoires":  # outside the navigation: its page is made here (conversion.py)
                    conversion.PageRendueAilleurs(None, file, config)
        self.fichiers_des_fiches["fichiers"] = fiches  # those of fiches gone since are forgotten
        # Open data (JSON, CSV, schemas) as generated files: built and served with the site, links checked.
        # A partial preview build leaves them to the complete build that follows (apercu.py).
        with fiche_en_cause(None):
            for path, data in ({} if self.apercu.partielle() else export.files(guide, self.apercu.ceder)).items():
                files.append(File.generated(config, path, content=data))
            self.apercu.ceder()
            self._impression_files(files, config)
            if not self.apercu.partielle():  # the complete build that follows writes the form again
                self.apercu.ceder()
                self._admin_files(files, config)
        self.apercu.ceder()
        if self.apercu.partielle():
            # The sitemap lists every page, and is compressed: at 10,000 fiches a tenth of a second of the preview
            # of a saved fiche. The complete build that follows writes it. (Taken out of the theme's static
            # templates after MkDocs listed the theme's files, which it kept out of them.)
            config.theme.static_templates.discard("sitemap.xml")
        self._liens_des_fiches(files)
        pages = files.documentation_pages()  # a pass over every file (10,000 fiches): once
        self.index.annoncer(f.src_uri for f in pages)
        # Under `mkdocs serve --dirty`, the guide (not file dates) says which pages a build redoes.
        for file in pages:
            file.is_modified = functools.partial(self.apercu.a_refaire, file.src_uri)
        # Links to anchors of pages this build does not redo (the preview's build of the saved fiches), checked now
        # against those pages as the site holds them, before any page is written.
        self._ancres_des_pages_non_refaites()
        if self.ancres_absentes:
            raise PluginError("Liens vers une ancre absente dans les fiches :\n" + GuideInvalide(
                sorted(self.ancres_absentes, key=lambda e: (e.path, e.line or 0))).rapport())
        return files

    def _fichiers_connus(self, config) -> dict:
        """The File objects of the fiche pages made by the previous build of this process, while the settings they
        are made from (site folder, directory addresses) stay the same."""
        cle = (config["site_dir"], config["use_directory_urls"])
        if self.fichiers_des_fiches.get("cle") != cle:
            self.fichiers_des_fiches = {"cle": cle, "fichiers": {}}
        return self.fichiers_des_fiches["fichiers"]

    @staticmethod
    def _fichier_de_fiche(connus: dict, config, src: str) -> File:
        """The generated file of a fiche page, the same object from build to build of one `mkdocs serve`, as new for
        MkDocs: no page yet, inclusion to be computed again. A File holds nothing of the fiche (no front matter: the
        page's title and metadata are set in Python, on_page_markdown, so nothing a fiche holds is ever read as front
        matter or template source), only its addresses, which MkDocs computes again for every new object: at
        10,000 fiches, a tenth of a second of every build of the preview of a saved fiche."""
        file = connus.get(src)
        if file is None:
            return File.generated(config, src, content="")
        file.page, file.inclusion = None, InclusionLevel.UNDEFINED
        return file

    def _lacher_les_pages(self):
        """Under `mkdocs serve`, the pages of the fiche files kept for the next build (_fichier_de_fiche) let go once
        the build has ended, while the editor reads the site: each holds what its build put in it (a complete build's
        tables of contents, metadata, links), and freeing them at the start of the next build cost the preview of the
        next saved fiche a quarter of a second at 10,000 fiches. (MkDocs reads every page until its last plugin event,
        on_post_build, its anchors checked.)"""
        if self.commande == "serve":
            for file in self.fichiers_des_fiches.get("fichiers", {}).values():
                file.page = None

    def _liens_des_fiches(self, files):
        """Links written in fiches to pages that do not exist, reported in French by fiche and line before any
        page is converted (MkDocs would name the generated page, in English, at the end of the build)."""
        exists = lambda src: files.get_file_from_path(src) is not None  # noqa: E731
        errors = [e for kind, items in (("champs", self.guide.champs), ("territoires", self.guide.territoires))
                  for slug, fiche in items.items()
                  for e in sorted(check_links(fiche.doc, f"{kind}/{slug}.md", exists), key=lambda e: e.line or 0)]
        if errors:
            raise PluginError("Liens cassés dans les fiches :\n" + GuideInvalide(errors).rapport())
        # Links to an anchor, checked against the ids of their page as it is written (on_post_page), or as the last
        # build wrote it when this one does not (a preview's build of the saved fiches: _ancres_des_pages_non_refaites).
        for kind, items in (("champs", self.guide.champs), ("territoires", self.guide.territoires)):
            for slug, fiche in items.items():
                for lien in ancres_des_liens(fiche.doc, f"{kind}/{slug}.md"):
                    self.ancres_attendues.setdefault(lien[0], []).append((fiche.doc, lien, f"{kind}/{slug}.md"))
        self.pages_des_ancres = {src: files.get_file_from_path(src) for src in self.ancres_attendues}

    def _ancres_des_pages_non_refaites(self) -> None:
        """The fiches' links to anchors of pages this build does not write (the preview builds the saved fiches' pages
        first): checked against those pages as the site holds them. A saved fiche linking to an anchor of another
        was shown, then refused by the complete build, while the preview kept serving it (editor QA)."""
        for src in list(self.ancres_attendues):
            file = self.pages_des_ancres.get(src)
            chemin = Path(file.abs_dest_path) if file is not None else None
            if chemin is None or not chemin.is_file() or file.is_modified():
                continue  # (a page this build writes is checked as it is written, on_post_page)
            html_page = chemin.read_text(encoding="utf-8", errors="replace")
            titre = _TITRE.search(html_page)
            self._verifier_les_ancres(html_page, src, html.unescape(titre.group(1)).strip() if titre else src)

    def _verifier_les_ancres(self, output: str, cible: str, titre: str) -> None:
        """The fiches' links to an anchor of the page `cible` (its source path; `titre`, its title) that its HTML
        `output` does not hold (validate.ancre_absente), kept for on_post_build, which reports them all at once."""
        liens = self.ancres_attendues.pop(cible, None)
        if not liens:
            return
        ids = {html.unescape(i) for i in _ID.findall(output)}
        for doc, lien, src in liens:
            nom = "cette page" if src == cible else f"la page « {titre} »"
            erreur = ancre_absente(doc, lien, ids, nom)
            if erreur is not None:
                self.ancres_absentes.append(erreur)

    def _impression_files(self, files, config):
        """Print (impression.py): one page per printable section, and the PDFs scripts/pdf.py made, if any."""
        self.impression = impression.Impression(self.guide, libelles(), config["site_name"],
                                                config.get("site_url") or "")
        for section in self.impression.sections:
            files.append(File.generated(config, section.src, content=""))
        for pdf, path in self.impression.pdfs.items():
            files.append(File.generated(config, pdf, abs_src_path=str(path)))

    def _admin_files(self, files, config):
        """The editors' web form at /admin/ (decap.py), with the site's stylesheets for its preview."""
        styles = [f.src_uri for f in files
                  if f.src_uri.startswith("assets/stylesheets/main.") and f.src_uri.endswith(".css")]
        admin = decap.fichiers(self.guide, styles + list(config["extra_css"]), config["extra"].get("depot") or "",
                               self.apercu.ceder)
        if admin is None:
            log.info("Formulaire des contributeurs (/admin/) non construit : Decap CMS n'est pas installé "
                     "(lancez npm ci, ou ./scripts/servir.sh).")
            return
        for path, content in admin.items():
            if isinstance(content, Path):
                files.append(File.generated(config, path, abs_src_path=str(content)))
            else:
                files.append(File.generated(config, path, content=content))

    def fiche_de_page(self, src: str):
        """(kind, slug, fiche) of a generated fiche page (territoires/x.md), or None."""
        kind, _, name = src.partition("/")
        fiches = {"champs": self.guide.champs, "territoires": self.guide.territoires}.get(kind, {})
        slug = name.removesuffix(".md")
        return (kind, slug, fiches[slug]) if slug in fiches else None

    def _fichier_de_page(self, src: str) -> str | None:
        trouve = self.fiche_de_page(src)
        return f"fiches/{trouve[0]}/{trouve[1]}.md" if trouve else None

    def on_nav(self, nav, config, files):
        """`mkdocs build`: processes that convert territory pages while the build converts the others
        (conversion.py), started now, right before MkDocs reads the first page."""
        processus = self._processus()
        pages = [f.page for f in files.documentation_pages()
                 if isinstance(f.page, conversion.PageRendueAilleurs)] if processus else []
        self._geler()
        self.conversions = conversion.Conversions.ouvrir(
            pages, processus, functools.partial(self._peupler_ailleurs, config=config, files=files))
        return nav

    def _processus(self) -> int:
        """Processes reading fiches and converting territory pages beside the build (guide/ateliers.py): under
        `mkdocs build` only (the preview's builds are mostly one page, and give way to a saved fiche)."""
        if self.commande != "build":
            return 0
        return ateliers.processus_par_defaut() if self.config.processus is None else self.config.processus

    def _peupler_ailleurs(self, page, *, config, files) -> bool:
        """In a child (conversion.py): a page up to its HTML, as MkDocs would. False if its template kept HTML out
        of Markdown (Renderer.brut): only the build's renderer could put it back, so the build does that page."""
        self.conversions = None  # the child converts the page itself
        blocs = len(self.renderer.blocs)
        conversion.peupler(page, config, files)
        return len(self.renderer.blocs) == blocs

    def on_env(self, env, config, files):
        """Theme: Material's templates also reachable as "material/…", and a store for the partials that
        pages outside the navigation share (overrides/partials/guide-partage.html), new for each build.
        Every page is converted by now: the processes that helped have ended."""
        self.apercu.ceder()
        if self.conversions is not None:
            self.conversions.fermer()
            self.conversions = None
        self._geler()
        material = next(d for d in config.theme.dirs if Path(d, "partials", "nav.html").exists()
                        and Path(d).resolve() != Path(config.theme.custom_dir or "").resolve())
        env.loader = jinja2.ChoiceLoader([env.loader, jinja2.PrefixLoader({"material": jinja2.FileSystemLoader(material)})])
        env.bytecode_cache = self.gabarits_compiles
        env.globals["guide_partials_partages"] = {}
        env.globals["guide_politique"] = self.config.politique
        env.filters["guide_dans_la_section"] = reperes.dans_la_section  # overrides/main.html
        env.filters["guide_chaine_css"] = impression.chaine_css  # overrides/main.html: a page's running header
        env.filters["guide_prechargements"] = scripts.prechargements  # overrides/main.html: scripts asked for at once
        # The sources, credited in the footer (overrides/partials/copyright.html): the first publication of
        # fiches/sources.yaml (the guide's reference study) and the number of the others.
        env.globals["guide_publications"] = list(self.guide.publications.values())
        return env

    def on_page_markdown(self, markdown, page, config, files):
        """A generated page's Markdown: a fiche page from its template with the joined guide, a printed
        section from its opening and its parts' placeholders. Title and metadata set here, in Python."""
        self.apercu.ceder()
        src = page.file.src_uri
        trouve = self.fiche_de_page(src) if page.file.generated_by else None
        if trouve:
            kind, slug, fiche = trouve
            rel = f"fiches/{kind}/{slug}.md"
            with fiche_en_cause(rel):
                # Escaped: Material prints the page title as HTML (<title>, header, search index).
                page.meta = {"title": html.escape(fiche.data.get("titre") or fiche.data.get("nom"), quote=False),
                             "fiche": rel, **self._mise_a_jour(fiche, rel)}
                rendu = self.conversions.prendre(src) if self.conversions is not None else None
                if rendu is not None:
                    page.rendu = rendu  # converted by another process: its render takes this (conversion.py)
                    return ""
                template, key = FICHE_PAGES[kind]
                return self.renderer.render(template, src, **{key: fiche})
        section = self.impression.par_src.get(src) if page.file.generated_by and self.impression else None
        if section is not None:
            page.meta = {"title": f"{section.titre} — version à imprimer", "search": {"exclude": True},
                         "hide": ["navigation", "toc"], "impression": section.ident}
            with fiche_en_cause(None):
                return impression.markdown_section(section, self.renderer, config["site_name"])
        return markdown

    def _mise_a_jour(self, fiche, rel) -> dict:
        """The fiche's last update, for the « Dernière mise à jour » line (editors issue)."""
        iso = edition.derniere_mise_a_jour(fiche.data, rel, self.dates)
        return {"mis_a_jour": iso, "mis_a_jour_texte": edition.date_en_francais(iso)} if iso else {}

    def on_page_content(self, html, page, config, files):
        """Every page's HTML through the allowlist sanitiser (assainir.py), on a thread of its own while the
        next pages are converted, before print and search read it. Print (impression.py): the line under the
        title, print links, links inside printed sections.

        Until on_page_context puts it back, sanitised, the page holds no content: its unsanitised HTML is
        never in page.content, whatever reads it in between."""
        self.apercu.ceder()  # right after a page's conversion (a champ page at 10,000 fiches takes seconds)
        src = page.file.src_uri
        with fiche_en_cause(self._fichier_de_page(src)):
            state = self.impression
            page.meta["impression_actions"] = state.actions(src)
            nav_section = page.ancestors[-1].title if page.ancestors else None
            assaini = self.assainisseur.a_part(html)
            finir = functools.partial(state.page_html, src=src, url=page.url, page_title=page.title or "",
                                      nav_section=nav_section, mis_a_jour=page.meta.get("mis_a_jour"))
            contenu = _Contenu(assaini, finir)
            self.contenus[src] = contenu
            state.retenir(src, page.url, lambda: self.renderer.restituer(contenu()))  # printed whole, tables included
        # Converted: its Markdown is not read again (its title is in page.meta or came from the conversion), and
        # MkDocs would hold it for every page until each is written. Emptied, not None (see on_post_page).
        page.markdown = ""
        return ""

    def on_page_context(self, context, page, config, nav):
        """The page's sanitised HTML, with the tables kept out of Markdown put back (render.py). Print: fill each
        printed section with the HTML of its pages (all pages are converted by now)."""
        self.apercu.ceder()
        contenu = self.contenus.pop(page.file.src_uri, None)
        if contenu is not None:
            with fiche_en_cause(self._fichier_de_page(page.file.src_uri)):
                page.content = contenu()
        page.content = self.renderer.restituer(page.content)  # tables kept out of Markdown and search
        if page.file.src_uri.startswith("imprimer/"):
            squelette, parties = self.impression.assembler_en_parties(page.content, page.file.src_uri, page.url)
            # Material adds a title to a content without `<h1` (partials/content.html): the section's own HTML
            # must answer that question as the whole would, else the section is assembled here whole.
            if parties and "<h1" in squelette:
                page.content = squelette
                self.parties_a_ecrire[page.file.src_uri] = parties
            else:
                page.content = impression.remplir(squelette, parties)
            page.meta["impression_styles"] = self.impression.styles.get(page.file.src_uri, "")
        if str(page.meta.get("fiche", "")).startswith("fiches/territoires/"):
            self._reperes(page, nav)
        return context

    def _reperes(self, page, nav):
        """A territory page's bearings (reperes.py) in page.meta["reperes"], for overrides/ to present; and
        the territories' section active while the page renders, as for a page in the navigation: its tab
        is highlighted and the menu opens on it (the same for every territory page, so still shared)."""
        section, position = reperes.section_des_territoires(nav)
        slug = page.file.src_uri.removeprefix("territoires/").removesuffix(".md")
        r = self.reperes.get(slug)
        if section is None or r is None:
            return
        section.active = True  # until on_post_page
        self.sections_actives.append(section)
        index = next(ch for ch in section.children if getattr(ch, "file", None) and ch.file.src_uri == reperes.INDEX)
        page.meta["reperes"] = {"reperes": r, "section": section.title, "index": index.url,
                                "tiroir": f"__nav_{position}"}  # Material's id of the section's toggle

    def on_post_page(self, output, page, config):
        """Search: the page's article marked for Pagefind, with its filters (recherche.py), after every other
        step of the page (sanitiser included), so none drops the attributes. Territory pages: their section
        inactive again; their HTML without Material's indentation (reperes.compacter)."""
        while self.sections_actives:
            self.sections_actives.pop().active = False
        # Written once this returns: its Markdown and HTML are not read again (a printed section reproduces a page
        # from what impression.retenir keeps), and MkDocs would hold them for every page until the build ends.
        # Emptied, not None: MkDocs takes a page whose Markdown is None for one not read yet, and its title
        # (shown in its neighbours' footer links) for None.
        page.markdown = page.content = ""
        self._verifier_les_ancres(output, page.file.src_uri, html.unescape(page.title or ""))
        output = self.index.marquer(output, page.file.src_uri, page.url, self.guide, self._poids_de_recherche(page))
        parties = self.parties_a_ecrire.pop(page.file.src_uri, None)
        if parties is not None:
            with fiche_en_cause(None):
                impression.ecrire(output, parties, page.file.abs_dest_path)
            self.sans_fausse_alerte.pages.add(page.file.src_uri)
            return ""  # written: MkDocs writes no page for an empty output
        est_territoire = str(page.meta.get("fiche", "")).startswith("fiches/territoires/")
        return reperes.compacter(output) if est_territoire else output

    @staticmethod
    def _poids_de_recherche(page) -> float | None:
        """`search: boost:` of an authored page's front matter (Material's key), a number from 0 to 10 (Pagefind's
        weights); a page that gives another value stops the build, named."""
        boost = (page.meta.get("search") or {}).get("boost") if isinstance(page.meta.get("search"), dict) else None
        if boost is None:
            return None
        if isinstance(boost, bool) or not isinstance(boost, (int, float)) or not 0 <= boost <= 10:
            raise PluginError(f"docs/{page.file.src_uri} : « search: boost: {boost} » : un nombre de 0 à 10 est attendu "
                              "(poids des mots de la page dans la recherche).")
        return float(boost)

    def on_post_build(self, config):
        """Search: Pagefind writes the index of the pages sent by on_post_page (recherche.py); a partial
        preview build leaves it to the complete build that follows (apercu.py). The guide's scripts are
        published minified (scripts.py)."""
        self.apercu.ceder()
        self._ancres_des_pages_non_refaites()
        if self.ancres_absentes:
            self.index.fermer()
            erreurs = sorted(self.ancres_absentes, key=lambda e: (e.path, e.line or 0))
            raise PluginError("Liens vers une ancre absente dans les fiches :\n" + GuideInvalide(erreurs).rapport())
        with fiche_en_cause(None):
            self.index.indexer(Path(config["site_dir"]), self.guide.sigles,
                               {code: [nom, len(ts)] for code, nom, ts in export.par_departement(self.guide)},
                               {cle: [libelles()["type"][cle], n] for cle, n in export.par_type(self.guide).items()},
                               {region: [region, len(ts)] for region, ts in self.guide.par_region()},
                               recherche.noms_des_territoires(self.guide))
        try:
            scripts.reduire(Path(config["docs_dir"]), Path(config["site_dir"]), self.racine)
        except scripts.ScriptsNonReduits as exc:
            raise PluginError(f"{exc} Rien n'a été publié.") from None
        self.assainisseur.fermer()
        self._degeler()
        self._lacher_les_pages()
        self.apercu.apres_construction()
        self.apercu.reussite()
        self.publication.construit()

    def on_build_error(self, error):
        """The site folder stays as it was (publication.py); the build ends on a French line, where MkDocs would
        add its own English one (« Aborted with a BuildError! », « Aborted with 2 warnings in strict mode! »)
        under the French report. Raised here as MkDocs raises it right after this event: the same Abort,
        worded for the guide's editors."""
        self._degeler()
        self.publication.echec()
        self.apercu.echec(error)  # under `mkdocs serve`: shown in the browser over the last good build
        if self.conversions is not None:
            self.conversions.fermer(arreter=True)
            self.conversions = None
        if self.assainisseur is not None:
            self.assainisseur.fermer()
        if isinstance(error, BuildError) and not isinstance(error, Abort):
            log.error(str(error))  # the report MkDocs logs before its own line
            raise Abort("Construction arrêtée : corrigez les erreurs ci-dessus (le site publié n'a pas changé).")
        if isinstance(error, Abort) and "strict mode" in str(error):
            raise Abort("Construction arrêtée : des avertissements (ci-dessus) sont des erreurs en mode strict "
                        "(le site publié n'a pas changé).")

    def on_shutdown(self):
        self.publication.terminer()  # the new site replaces the old one, if the build succeeded
        self.apercu.terminer()

    def on_serve(self, server, config, builder):
        if self.apercu.surveiller(server):
            # fiches/ watched by the system's events (apercu.py): MkDocs' polling of it (servir.sh's
            # `--watch fiches`, scheduled after this event) would only ask for every build a second time.
            fiches = self.apercu.fiches.resolve()
            config["watch"] = [w for w in config["watch"] if Path(w).resolve() != fiches]
        return server
