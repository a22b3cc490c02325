"""« Sur cette page »: the short table of contents that opens a fiche page (issue 25).

Material shows its table of contents in a sidebar that phones hide (it moves into the menu). A fiche page
opens instead with the list of its sections, written in the page itself, each with what it holds
(« Actions par champ d'action (30) »). The list is read from the page's own Markdown once the template has
rendered it, so a section a template adds, or a heading a fiche's text holds, is listed without being named
twice; each link carries the id the table-of-contents extension gives that heading (slugs.titre).
"""
from __future__ import annotations

import html

from markupsafe import Markup
import re

from guide.modele.slugs import titre as heading_id
from guide.rendu import titres
from guide.rendu.notes import SEPARATEUR
from guide.rendu.typographie import typographier

# A level-2 heading of the page's Markdown, with its attribute list if any: `## Titre { #id data-… }`.
_H2 = re.compile(r"^## (?P<texte>.+?)(?:[ \t]+\{(?P<attributs>[^}\n]*)\})?[ \t]*$", re.MULTILINE)
_ID = re.compile(r"(?:^|\s)#([\w-]+)")
# A link as the page's Markdown writes it: a template's « [texte](adresse) », a fiche's « [texte](<adresse> "titre") »
# (fragments.py: its address in angle brackets, where a « ) » may stand).
_LIEN = re.compile(r"\[([^\]]*)\]\((?:<[^>\n]*>(?: \"[^\"\n]*\")?|[^)]*)\)")
# The inline tags a fiche's text is written with (fragments.py: « <em>… »; its own « < » is an entity).
# (with its attributes: the comma between two note calls, « <sup class="guide-appels"> », notes.py)
_BALISE = re.compile(r"</?[a-z]+(?:\s[^<>]*)?>")
_EMPHASE = re.compile(r"[*_`]+")
# A note call, and the comma between two (notes.py)
_NOTE = re.compile(r"\[\^[^\]]*\]|" + re.escape(SEPARATEUR))
# The notes and the folded notes end every fiche page: they are reached from the note calls, not listed.
_NON_LISTEES = {"notes"}


def sections(markdown: str) -> list[tuple[str, str]]:
    """(text, id) of each level-2 heading of a page's Markdown, in order (fenced code is not skipped: fiche
    pages hold none)."""
    out, seen = [], set()
    for m in _H2.finditer(markdown):
        attributs = m.group("attributs") or ""
        de_fiche = "." + titres.MARQUE in attributs.split()
        texte = _LIEN.sub(r"\1", _NOTE.sub("", m.group("texte")))
        # A fiche's heading is written with tags, its signs as entities (fragments.py); a template's in Markdown.
        texte = html.unescape(_BALISE.sub("", texte) if de_fiche else _EMPHASE.sub("", texte)).strip()
        explicite = _ID.search(attributs)
        if explicite:
            ident = explicite.group(1)
        elif de_fiche:
            ident = titres.ident(texte)  # a heading of the fiche's text (titres.py)
        else:
            ident = heading_id(texte, "-")
        # The toc extension numbers a repeated id (`x_1`): the same rule keeps the link right.
        base, n = ident, 0
        while ident in seen:
            n += 1
            ident = f"{base}_{n}"
        seen.add(ident)
        if ident not in _NON_LISTEES:
            out.append((texte, ident))
    return out


SUR_CETTE_PAGE = "Sur cette page"


def sur_cette_page(markdown: str, comptes: dict | None = None, minimum: int = 3) -> str:
    """The « Sur cette page » block (HTML, read by md_in_html) listing the page's sections, each followed by
    its count when `comptes` gives one (by id); empty when the page has fewer than `minimum` sections."""
    liste = sections(markdown)
    if len(liste) < minimum:
        return Markup("")
    comptes = comptes or {}
    items = []
    for texte, ident in liste:
        compte = f" <span class=\"guide-sommaire-compte\">({comptes[ident]})</span>" if comptes.get(ident) else ""
        # Text escaped again (it was unescaped to compute the id as the toc extension does); French spaces as in
        # the heading (raw HTML is not seen by the typography pass).
        items.append(f'<li><a href="#{ident}">{typographier(html.escape(texte, quote=False))}</a>{compte}</li>')
    # Markup: the guide's own HTML, its texts escaped above (the fiche page templates print any other string
    # as inert text, render.py)
    return Markup(f'<nav class="guide-sur-cette-page" aria-label="{SUR_CETTE_PAGE}">\n'
                  f'<p class="guide-sur-cette-page__titre">{SUR_CETTE_PAGE}</p>\n'
                  f'<ul>{"".join(items)}</ul>\n</nav>\n')
