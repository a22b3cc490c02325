"""MkDocs lifecycle of the guide: load fiches once, add one page per fiche, explain acronyms.

on_config     load → validate → join every fiche; any error stops the build with the full report;
              acronyms of fiches/sigles.yaml explained at their first use on each page (sigles.py);
              `mkdocs build` sent into a fresh folder, which replaces the site only on success (publication.py)
on_files      add a generated page per fiche (nothing generated is committed); links of fiches checked
on_env        one navigation and tabs HTML for all the pages outside the navigation (guide-partage.html)
on_page_markdown  render each fiche page from its template (render.py)
on_page_content   every page's HTML through the allowlist sanitiser (assainir.py, on a thread of its own);
                  print: the line under the title, print links (impression.py)
on_page_context   the page's sanitised HTML, tables kept out of Markdown put back (render.py); print: printed
                  sections filled with their pages' HTML; territory pages: their tab, breadcrumb, neighbours
                  and menu (reperes.py)
on_post_page      search: the article marked as what Pagefind indexes, with the page's filters (recherche.py);
                  territory pages: their section no longer active once the page is written, HTML without
                  Material's indentation (reperes.py)
on_post_build     search: Pagefind indexes the built site (recherche.py)
on_startup, on_serve  preview under `mkdocs serve --dirty`: a saved fiche's page first (apercu.py)
on_build_error, on_shutdown  the new site published, or the old one left untouched (publication.py)
Any unexpected error while handling a fiche is reported in French with the fiche's file (_fiche_en_cause).
"""
from __future__ import annotations

import contextlib
import functools
import html
import json
import logging
import sys
from pathlib import Path

import jinja2
import markupsafe
from mkdocs.exceptions import Abort, BuildError, PluginError
from mkdocs.structure.files import File

# MkDocs loads hooks by file path; the `guide` package sits beside this file.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from guide import GuideInvalide, site  # noqa: E402
from guide import apercu  # noqa: E402
from guide.assainir import assainir_a_part  # noqa: E402
from guide.validate import check_links  # noqa: E402
from guide import decap  # noqa: E402
from guide import edition  # noqa: E402
from guide import export  # noqa: E402
from guide import impression  # noqa: E402
from guide import publication  # noqa: E402
from guide import recherche  # noqa: E402
from guide import reperes  # noqa: E402
from guide import sigles  # noqa: E402
from guide import typographie  # noqa: E402
from guide.render import libelles as _libelles  # noqa: E402

log = logging.getLogger("mkdocs.plugins.guide")

# Where each family's pages go in the navigation: its index page in mkdocs.yml.
FAMILY_INDEX = {"levier": "leviers/index.md", "focus": "focus/index.md", "cadre": "cadres/index.md"}


def on_startup(command, dirty):
    apercu.demarrer(command, dirty)
    publication.commencer(command, dirty)


@contextlib.contextmanager
def _fiche_en_cause(rel: str | None):
    """Any unexpected error while handling a fiche becomes a French error naming its file, not a traceback."""
    try:
        yield
    except (PluginError, GuideInvalide):
        raise  # already reported in French
    except Exception as exc:  # noqa: BLE001 - every error, reported once in French
        cause = f"({type(exc).__name__} : {exc})"
        if rel:
            message = (f"{rel} : la construction a échoué sur cette fiche {cause}. Vérifiez-la avec "
                       "« python scripts/valider.py » ; si elle est valide, signalez le problème avec ce message.")
        else:
            message = (f"la construction a échoué {cause}. Vérifiez les fiches avec « python scripts/valider.py » ; "
                       "si elles sont valides, signalez le problème avec ce message.")
        raise PluginError(message + " Rien n'a été publié.") from None


def _fiche_de_page(src: str) -> str | None:
    """The fiche file a generated page comes from (territoires/x.md → fiches/territoires/x.md), or None."""
    kind, _, name = src.partition("/")
    guide = site.current()
    fiches = guide.champs if kind == "champs" else guide.territoires if kind == "territoires" else {}
    return f"fiches/{src}" if name.removesuffix(".md") in fiches else None


def on_config(config):
    _CONTENUS.clear()  # a build of `mkdocs serve` that stopped on an error
    publication.preparer(config)  # the build writes into a fresh folder, published only on success
    try:
        with _fiche_en_cause(None):
            guide = site.load(Path(config["config_file_path"]).resolve().parent)
    except GuideInvalide as exc:
        raise PluginError("Fiches invalides :\n" + exc.rapport()) from None
    apercu.preparer(guide, site.changements())
    config["nav"] = [_expand(item, guide) for item in config["nav"]]
    config["markdown_extensions"].append(sigles.extension(guide.sigles))
    config["markdown_extensions"].append(typographie.extension())  # French spaces, dates in words
    recherche.brancher(config)  # Pagefind in place of Material's lunr search
    return config


def _expand(item, guide):
    """Turn `Leviers d'action: leviers/index.md` into the section with its champ pages."""
    if isinstance(item, dict):
        (title, value), = item.items()
        for famille, index in FAMILY_INDEX.items():
            if value == index:
                # Escaped: Material prints navigation titles as HTML (tabs, menu, breadcrumbs); as Markup,
                # its `| e` (footer links) does not escape them twice.
                return {title: [index] + [{markupsafe.escape(c.data.get("titre_court", c.data["titre"])):
                                           f"champs/{c.slug}.md"}
                                          for c in guide.champs_de(famille)]}
        if isinstance(value, list):
            return {title: [_expand(v, guide) for v in value]}
    return item


def _edition_meta(fiche, kind, slug, dates) -> str:
    """Front matter giving the fiche's last update to the "Dernière mise à jour" line (editors issue)."""
    iso = edition.derniere_mise_a_jour(fiche.data, f"fiches/{kind}/{slug}.md", dates)
    if not iso:
        return ""
    return f"mis_a_jour: \"{iso}\"\nmis_a_jour_texte: \"{edition.date_en_francais(iso)}\"\n"


# Fiche pages: (template, name under which the template receives the fiche) by folder.
FICHE_PAGES = {"champs": ("champ.md.j2", "champ"), "territoires": ("territoire.md.j2", "territoire")}


def on_files(files, config):
    guide = site.current()
    dates = edition.git_dates(Path(config["config_file_path"]).parent)
    for kind, items in (("champs", guide.champs), ("territoires", guide.territoires)):
        for slug, fiche in items.items():
            with _fiche_en_cause(f"fiches/{kind}/{slug}.md"):
                # Escaped: Material prints the page title as HTML (<title>, header, search index).
                title = html.escape(fiche.data.get("titre") or fiche.data.get("nom"), quote=False)
                # Front matter only: on_page_markdown renders the body; mkdocs-macros has nothing to do.
                content = (f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n"
                           f"fiche: fiches/{kind}/{slug}.md\nrender_macros: false\n"
                           f"{_edition_meta(fiche, kind, slug, dates)}---\n")
                files.append(File.generated(config, f"{kind}/{slug}.md", content=content))
    # Open data (JSON, CSV, schemas) as generated files: built and served with the site, links checked.
    # A partial preview build leaves them to the complete build that follows (apercu.py).
    with _fiche_en_cause(None):
        for path, data in ({} if apercu.partielle() else export.files(guide)).items():
            files.append(File.generated(config, path, content=data))
        _impression_files(files, config, guide)
        _admin_files(files, config, guide)
    _liens_des_fiches(files, guide)
    recherche.annoncer(f.src_uri for f in files.documentation_pages())
    # Under `mkdocs serve --dirty`, the guide (not file dates) says which pages a build redoes.
    for file in files.documentation_pages():
        file.is_modified = functools.partial(apercu.a_refaire, file.src_uri)
    return files


def _liens_des_fiches(files, guide):
    """Links written in fiches to pages that do not exist, reported in French by fiche and line before any
    page is converted (MkDocs would name the generated page, in English, at the end of the build)."""
    exists = lambda src: files.get_file_from_path(src) is not None  # noqa: E731
    errors = [e for kind, items in (("champs", guide.champs), ("territoires", guide.territoires))
              for slug, fiche in items.items()
              for e in sorted(check_links(fiche.doc, f"{kind}/{slug}.md", exists), key=lambda e: e.line or 0)]
    if errors:
        raise PluginError("Liens cassés dans les fiches :\n" + GuideInvalide(errors).rapport())


def _impression_files(files, config, guide):
    """Print (impression.py): one page per printable section, and the PDFs scripts/pdf.py made, if any."""
    state = impression.preparer(guide, _libelles(), config["site_name"], config.get("site_url") or "")
    for section in state.sections:
        files.append(File.generated(config, section.src, content=impression.markdown_section(section)))
    for pdf, path in state.pdfs.items():
        files.append(File.generated(config, pdf, abs_src_path=str(path)))


def _admin_files(files, config, guide):
    """The editors' web form at /admin/ (decap.py), with the site's stylesheets for its preview."""
    styles = [f.src_uri for f in files if f.src_uri.startswith("assets/stylesheets/main.") and f.src_uri.endswith(".css")]
    admin = decap.fichiers(guide, styles + list(config["extra_css"]), config["extra"].get("depot") or "")
    if admin is None:
        log.info("Formulaire des contributeurs (/admin/) non construit : Decap CMS n'est pas installé "
                 "(lancez npm ci, ou ./scripts/servir.sh).")
        return
    for path, content in admin.items():
        if isinstance(content, Path):
            files.append(File.generated(config, path, abs_src_path=str(content)))
        else:
            files.append(File.generated(config, path, content=content))


def on_env(env, config, files):
    """Theme: Material's templates also reachable as "material/…", and a store for the partials that
    pages outside the navigation share (overrides/partials/guide-partage.html), new for each build."""
    material = next(d for d in config.theme.dirs if Path(d, "partials", "nav.html").exists()
                    and Path(d).resolve() != Path(config.theme.custom_dir or "").resolve())
    env.loader = jinja2.ChoiceLoader([env.loader, jinja2.PrefixLoader({"material": jinja2.FileSystemLoader(material)})])
    env.globals["guide_partials_partages"] = {}
    env.filters["guide_dans_la_section"] = reperes.dans_la_section  # overrides/main.html
    # The sources, credited in the footer (overrides/partials/copyright.html): the first publication of
    # fiches/sources.yaml (the guide's reference study) and the number of the others.
    env.globals["guide_publications"] = list(site.current().publications.values())
    return env


def on_page_markdown(markdown, page, config, files):
    """A fiche page's Markdown, rendered from its template with the joined guide.

    Done here rather than by a macro call in each generated page: mkdocs-macros would compile every
    page as a Jinja template (one compilation per fiche), and fiche text is data, never a template.
    """
    kind, _, name = page.file.src_uri.partition("/")
    if not page.meta.get("fiche") or kind not in FICHE_PAGES:
        return markdown
    template, key = FICHE_PAGES[kind]
    fiches = site.current().champs if kind == "champs" else site.current().territoires
    with _fiche_en_cause(page.meta["fiche"]):
        return site.renderer().render(template, page.file.src_uri, **{key: fiches[name.removesuffix(".md")]})


def on_page_content(html, page, config, files):
    """Fiche text stays text: the page's HTML goes through the allowlist sanitiser (assainir.py), on a thread
    of its own while the next pages are converted, before print and search read it. Print (impression.py):
    the line under the title, print links, links inside printed sections.

    Until on_page_context puts it back, sanitised, the page holds no content: its unsanitised HTML is
    never in page.content, whatever reads it in between."""
    src = page.file.src_uri
    with _fiche_en_cause(_fiche_de_page(src)):
        state = impression.courante()
        page.meta["impression_actions"] = state.actions(src)
        nav_section = page.ancestors[-1].title if page.ancestors else None
        assaini = assainir_a_part(html)
        finir = functools.partial(state.page_html, src=src, url=page.url, page_title=page.title or "",
                                  nav_section=nav_section, mis_a_jour=page.meta.get("mis_a_jour"))
        contenu = _Contenu(assaini, finir)
        _CONTENUS[src] = contenu
        state.retenir(src, page.url, lambda: site.renderer().restituer(contenu()))  # printed whole, tables included
    return ""


class _Contenu:
    """A page's final HTML, made once from its sanitiser's result (a Future) when first asked for. Then only
    that HTML is held (for the page, and for the printed sections that reproduce it), not also the sanitised
    HTML it was made from: each page's content would otherwise be in memory twice until the build ends."""

    __slots__ = ("_assaini", "_finir", "_html")

    def __init__(self, assaini, finir):
        self._assaini, self._finir, self._html = assaini, finir, None

    def __call__(self) -> str:
        if self._html is None:
            self._html = self._finir(self._assaini.result())
            self._assaini = self._finir = None
        return self._html


# Pages converted, by source path → their final HTML, once sanitised (on_page_content → on_page_context).
_CONTENUS: dict = {}


def on_page_context(context, page, config, nav):
    """The page's sanitised HTML, with the tables kept out of Markdown put back (render.py). Print: fill each
    printed section with the HTML of its pages (all pages are converted by now)."""
    contenu = _CONTENUS.pop(page.file.src_uri, None)
    if contenu is not None:
        with _fiche_en_cause(_fiche_de_page(page.file.src_uri)):
            page.content = contenu()
    page.content = site.renderer().restituer(page.content)  # tables kept out of Markdown and search
    if page.file.src_uri.startswith("imprimer/"):
        page.content = impression.courante().assembler(page.content, page.file.src_uri, page.url)
        page.meta["impression_styles"] = impression.courante().styles.get(page.file.src_uri, "")
    if _est_fiche_territoire(page):
        _reperes(page, nav)
    return context


def _est_fiche_territoire(page) -> bool:
    return str(page.meta.get("fiche", "")).startswith("fiches/territoires/")


def _reperes(page, nav):
    """A territory page's bearings (reperes.py) in page.meta["reperes"], for overrides/ to present; and
    the territories' section active while the page renders, as for a page in the navigation: its tab
    is highlighted and the menu opens on it (the same for every territory page, so still shared)."""
    section, position = reperes.section_des_territoires(nav)
    slug = page.file.src_uri.removeprefix("territoires/").removesuffix(".md")
    r = reperes.par_territoire(site.current()).get(slug)
    if section is None or r is None:
        return
    section.active = True  # until on_post_page
    _SECTIONS_ACTIVES.append(section)
    index = next(c for c in section.children if getattr(c, "file", None) and c.file.src_uri == reperes.INDEX)
    page.meta["reperes"] = {"reperes": r, "section": section.title, "index": index.url,
                            "tiroir": f"__nav_{position}"}  # Material's id of the section's toggle


# Sections made active for the page being rendered (_reperes), made inactive again once it is written.
_SECTIONS_ACTIVES: list = []


def on_post_page(output, page, config):
    """Search: the page's article marked for Pagefind, with its filters (recherche.py), after every other
    step of the page (sanitiser included), so none drops the attributes. Territory pages: their section
    inactive again; their HTML without Material's indentation (reperes.compacter: the weight of the many
    territory pages)."""
    while _SECTIONS_ACTIVES:
        _SECTIONS_ACTIVES.pop().active = False
    # Written once this returns: its Markdown and HTML are not read again (a printed section reproduces a page
    # from what impression.retenir keeps), and MkDocs would hold them for every page until the build ends.
    # Emptied, not None: MkDocs takes a page whose Markdown is None for one not read yet, and its title
    # (shown in its neighbours' footer links) for None.
    page.markdown = page.content = ""
    output = recherche.marquer(output, page.file.src_uri, page.url, site.current())
    return reperes.compacter(output) if _est_fiche_territoire(page) else output


def on_post_build(config):
    """Search: Pagefind writes the index of the pages sent by on_post_page (recherche.py); a partial
    preview build leaves it to the complete build that follows (apercu.py)."""
    with _fiche_en_cause(None):
        recherche.indexer(Path(config["site_dir"]))
    apercu.apres_construction()
    publication.construit()


def on_build_error(error):
    """The site folder stays as it was (publication.py); the build ends on a French line, where MkDocs would
    add its own English one (« Aborted with a BuildError! », « Aborted with 2 warnings in strict mode! »)
    under the French report. Raised here as MkDocs raises it right after this event: the same Abort,
    worded for the guide's editors."""
    publication.echec()
    if isinstance(error, BuildError) and not isinstance(error, Abort):
        log.error(str(error))  # the report MkDocs logs before its own line
        raise Abort("Construction arrêtée : corrigez les erreurs ci-dessus (le site publié n'a pas changé).")
    if isinstance(error, Abort) and "strict mode" in str(error):
        raise Abort("Construction arrêtée : des avertissements (ci-dessus) sont des erreurs en mode strict "
                    "(le site publié n'a pas changé).")


def on_shutdown():
    publication.terminer()  # the new site replaces the old one, if the build succeeded


def on_serve(server, config, builder):
    apercu.surveiller(server)
    return server
