"""MkDocs lifecycle of the guide: load fiches once, add one page per fiche, explain acronyms.

on_config     load → validate → join every fiche; any error stops the build with the full report;
              acronyms of fiches/sigles.yaml explained at their first use on each page (sigles.py)
on_files      add a generated page per fiche (nothing generated is committed)
on_page_content   print: the line under the title, print links (impression.py)
on_page_context   print: printed sections filled with the HTML of their pages
on_post_build fold accents and add plurals in the search index, so « cooperative » finds « coopératives »
              and « coopératives » finds « coopérative »
"""
from __future__ import annotations

import functools
import json
import re
import sys
import unicodedata
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

# MkDocs loads hooks by file path; the `guide` package sits beside this file.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from guide import GuideInvalide, site  # noqa: E402
from guide import edition  # noqa: E402
from guide import export  # noqa: E402
from guide import impression  # noqa: E402
from guide import sigles  # noqa: E402
from guide.render import libelles as _libelles  # noqa: E402

# Where each family's pages go in the navigation: its index page in mkdocs.yml.
FAMILY_INDEX = {"levier": "leviers/index.md", "focus": "focus/index.md", "cadre": "cadres/index.md"}


def on_config(config):
    try:
        guide = site.load(Path(config["config_file_path"]).resolve().parent)
    except GuideInvalide as exc:
        raise PluginError("Fiches invalides :\n" + exc.rapport()) from None
    config["nav"] = [_expand(item, guide) for item in config["nav"]]
    config["markdown_extensions"].append(sigles.extension(guide.sigles))
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


def on_files(files, config):
    guide = site.current()
    dates = edition.git_dates(Path(config["config_file_path"]).parent)
    for kind, items, macro in (("champs", guide.champs, "page_champ"),
                               ("territoires", guide.territoires, "page_territoire")):
        for slug, fiche in items.items():
            title = fiche.data.get("titre") or fiche.data.get("nom")
            content = (f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n"
                       f"fiche: fiches/{kind}/{slug}.md\n{_edition_meta(fiche, kind, slug, dates)}"
                       f"---\n\n{{{{ {macro}({json.dumps(slug)}) }}}}\n")
            files.append(File.generated(config, f"{kind}/{slug}.md", content=content))
    # Open data (JSON, CSV, schemas) as generated files: built and served with the site, links checked.
    for path, data in export.files(guide).items():
        files.append(File.generated(config, path, content=data))
    _impression_files(files, config, guide)
    return files


def _impression_files(files, config, guide):
    """Print (impression.py): one page per printable section, and the PDFs scripts/pdf.py made, if any."""
    state = impression.preparer(guide, _libelles(), config["site_name"], config.get("site_url") or "")
    for section in state.sections:
        files.append(File.generated(config, section.src, content=impression.markdown_section(section)))
    for pdf, path in state.pdfs.items():
        files.append(File.generated(config, pdf, abs_src_path=str(path)))


def on_page_content(html, page, config, files):
    """Print (impression.py): the line under the title, print links, links inside printed sections."""
    state = impression.courante()
    src = page.file.src_uri
    page.meta["impression_actions"] = state.actions(src)
    nav_section = page.ancestors[-1].title if page.ancestors else None
    html = state.page_html(html, src, page.url, page.title or "", nav_section, page.meta.get("mis_a_jour"))
    state.retenir(src, page.url, html)
    return html


def on_page_context(context, page, config, nav):
    """Print: fill each printed section with the HTML of its pages (all pages are converted by now)."""
    if page.file.src_uri.startswith("imprimer/"):
        page.content = impression.courante().assembler(page.content, page.file.src_uri, page.url)
    return context


@functools.lru_cache(maxsize=None)
def fold(text: str) -> str:
    """Remove diacritics: « Coopératives » → « Cooperatives »."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


@functools.lru_cache(maxsize=None)
def plurals(word: str) -> tuple[str, ...]:
    """French plural spellings of a singular word, so a query in the plural finds a page in the singular.

    Material's search matches query words as prefixes (« cooperative » finds « cooperatives »), but not
    the other way round: the plural spellings go in the index too.
    """
    if len(word) < 4 or word[-1] in "sxz" or any(c.isdigit() for c in word):
        return ()
    if word.endswith("al"):
        return (word[:-2] + "aux", word + "s")
    if word.endswith(("au", "eu")):
        return (word + "x", word + "s")
    return (word + "s",)


def on_post_build(config):
    """Add the accent-free spelling of accented words to each search entry.

    Lunr (used by Material's search) treats « é » and « e » as different letters and
    its French stemmer does not fold accents, so an agent typing « cooperative » would
    not find « coopératives ». The folded words, and the plurals of singular words
    (see plurals()) that the guide uses somewhere, go in a hidden span, so result
    previews still show the French text as written.
    """
    index_path = Path(config["site_dir"]) / "search" / "search_index.json"
    if not index_path.exists():
        return
    index = json.loads(index_path.read_text(encoding="utf-8"))
    words_of = [{w.lower() for w in re.findall(r"\w+", re.sub(r"<[^>]+>", " ", doc.get("title", "") + " " + doc.get("text", "")))}
                for doc in index["docs"]]
    # A plural spelling is added only when the guide writes that plural somewhere: it keeps the index
    # small (a word the guide never puts in the plural is rarely searched in the plural).
    vocabulary = set().union(*words_of) if words_of else set()
    vocabulary |= {fold(w) for w in vocabulary}
    for doc, present in zip(index["docs"], words_of):
        folded = {fold(w) for w in present}
        plural = {p for w in present for p in plurals(w) + plurals(fold(w)) if p in vocabulary}
        words = (folded | plural) - present
        if words:
            doc["text"] += '<span hidden class="guide-plein-texte">' + " ".join(sorted(words)) + "</span>"
    index_path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
