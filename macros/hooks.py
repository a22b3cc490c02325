"""MkDocs lifecycle of the guide: load fiches once, add one page per fiche, explain acronyms.

on_config     load → validate → join every fiche; any error stops the build with the full report;
              acronyms of fiches/sigles.yaml explained at their first use on each page (sigles.py)
on_files      add a generated page per fiche (nothing generated is committed)
on_env        one navigation and tabs HTML for all the pages outside the navigation (guide-partage.html)
on_page_markdown  render each fiche page from its template (render.py)
on_page_content   print: the line under the title, print links (impression.py)
on_page_context   tables kept out of Markdown put back (render.py); print: printed sections filled with
                  their pages' HTML
on_post_page      search: the article marked as what Pagefind indexes, with the page's filters (recherche.py)
on_post_build     search: Pagefind indexes the built site (recherche.py)
on_startup, on_serve  preview under `mkdocs serve --dirty`: a saved fiche's page first (apercu.py)
"""
from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import jinja2
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

# MkDocs loads hooks by file path; the `guide` package sits beside this file.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from guide import GuideInvalide, site  # noqa: E402
from guide import apercu  # noqa: E402
from guide import edition  # noqa: E402
from guide import export  # noqa: E402
from guide import impression  # noqa: E402
from guide import recherche  # noqa: E402
from guide import sigles  # noqa: E402
from guide.render import libelles as _libelles  # noqa: E402

# Where each family's pages go in the navigation: its index page in mkdocs.yml.
FAMILY_INDEX = {"levier": "leviers/index.md", "focus": "focus/index.md", "cadre": "cadres/index.md"}


def on_startup(command, dirty):
    apercu.demarrer(command, dirty)


def on_config(config):
    try:
        guide = site.load(Path(config["config_file_path"]).resolve().parent)
    except GuideInvalide as exc:
        raise PluginError("Fiches invalides :\n" + exc.rapport()) from None
    apercu.preparer(guide, site.changements())
    config["nav"] = [_expand(item, guide) for item in config["nav"]]
    config["markdown_extensions"].append(sigles.extension(guide.sigles))
    recherche.brancher(config)  # Pagefind in place of Material's lunr search
    return config


def _expand(item, guide):
    """Turn `Leviers d'action: leviers/index.md` into the section with its champ pages."""
    if isinstance(item, dict):
        (title, value), = item.items()
        for famille, index in FAMILY_INDEX.items():
            if value == index:
                return {title: [index] + [{c.data.get("titre_court", c.data["titre"]): f"champs/{c.slug}.md"}
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
            title = fiche.data.get("titre") or fiche.data.get("nom")
            # Front matter only: on_page_markdown renders the body; mkdocs-macros has nothing to do.
            content = (f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n"
                       f"fiche: fiches/{kind}/{slug}.md\nrender_macros: false\n"
                       f"{_edition_meta(fiche, kind, slug, dates)}---\n")
            files.append(File.generated(config, f"{kind}/{slug}.md", content=content))
    # Open data (JSON, CSV, schemas) as generated files: built and served with the site, links checked.
    # A partial preview build leaves them to the complete build that follows (apercu.py).
    for path, data in ({} if apercu.partielle() else export.files(guide)).items():
        files.append(File.generated(config, path, content=data))
    _impression_files(files, config, guide)
    # Under `mkdocs serve --dirty`, the guide (not file dates) says which pages a build redoes.
    for file in files.documentation_pages():
        file.is_modified = functools.partial(apercu.a_refaire, file.src_uri)
    return files


def _impression_files(files, config, guide):
    """Print (impression.py): one page per printable section, and the PDFs scripts/pdf.py made, if any."""
    state = impression.preparer(guide, _libelles(), config["site_name"], config.get("site_url") or "")
    for section in state.sections:
        files.append(File.generated(config, section.src, content=impression.markdown_section(section)))
    for pdf, path in state.pdfs.items():
        files.append(File.generated(config, pdf, abs_src_path=str(path)))


def on_env(env, config, files):
    """Theme: Material's templates also reachable as "material/…", and a store for the partials that
    pages outside the navigation share (overrides/partials/guide-partage.html), new for each build."""
    material = next(d for d in config.theme.dirs if Path(d, "partials", "nav.html").exists()
                    and Path(d).resolve() != Path(config.theme.custom_dir or "").resolve())
    env.loader = jinja2.ChoiceLoader([env.loader, jinja2.PrefixLoader({"material": jinja2.FileSystemLoader(material)})])
    env.globals["guide_partials_partages"] = {}
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
    return site.renderer().render(template, page.file.src_uri, **{key: fiches[name.removesuffix(".md")]})


def on_page_content(html, page, config, files):
    """Print (impression.py): the line under the title, print links, links inside printed sections."""
    state = impression.courante()
    src = page.file.src_uri
    page.meta["impression_actions"] = state.actions(src)
    nav_section = page.ancestors[-1].title if page.ancestors else None
    html = state.page_html(html, src, page.url, page.title or "", nav_section, page.meta.get("mis_a_jour"))
    state.retenir(src, page.url, site.renderer().restituer(html))  # printed whole, tables included
    return html


def on_page_context(context, page, config, nav):
    """Put back the tables kept out of Markdown (render.py). Print: fill each printed section with the
    HTML of its pages (all pages are converted by now)."""
    page.content = site.renderer().restituer(page.content)  # tables kept out of Markdown and search
    if page.file.src_uri.startswith("imprimer/"):
        page.content = impression.courante().assembler(page.content, page.file.src_uri, page.url)
    return context


def on_post_page(output, page, config):
    """Search: the page's article marked for Pagefind, with its filters (recherche.py). Last of the
    page's lifecycle, so no later step (sanitiser included) drops the attributes."""
    return recherche.marquer(output, page.file.src_uri, page.url, site.current())


def on_post_build(config):
    """Search: Pagefind writes the index of the pages sent by on_post_page (recherche.py); a partial
    preview build leaves it to the complete build that follows (apercu.py)."""
    recherche.indexer(Path(config["site_dir"]))
    apercu.apres_construction()


def on_serve(server, config, builder):
    apercu.surveiller(server)
    return server
