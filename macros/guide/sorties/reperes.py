"""Bearings of the territory pages, which are outside the navigation (mkdocs.yml: not_in_nav).

Material gives a page in the navigation its tab, its breadcrumb, its table of contents in the phone's
menu and its previous and next pages. A territory page gets the same from what is computed here, from
the joined guide (region, neighbours in the region), and presented by overrides/ (path.html, footer.html,
main.html): nothing about territories is added to the navigation every other page carries.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from guide.join import Guide, Territoire

# Page that opens the territories' section, in the navigation of mkdocs.yml; the finder it holds reads
# its filters from the address (docs/assets/filtres.js): `?region=<région>` lists one region.
INDEX = "territoires/index.md"


@dataclass(frozen=True)
class Voisin:
    """A territory next to another in its region, as a link: its name and its page's address."""
    titre: str
    url: str


@dataclass(frozen=True)
class Reperes:
    """What a territory page shows of its place in the guide (see the module's docstring)."""
    region: str
    precedent: Voisin | None
    suivant: Voisin | None


class ParTerritoire:
    """Slug → Reperes of every territory (`get`): neighbours in the order of the finder (by name), within the
    region. The regions are grouped once per build (the plugin keeps this object); a territory's bearings are
    made when its page asks, so a preview build that redoes one page does not make them for 10,000."""

    def __init__(self, guide: Guide):
        self._places: dict[str, tuple[list[Territoire], int]] = {}  # slug → (its region's members, its rank)
        regions: dict[str, list[Territoire]] = {}
        for t in sorted(guide.territoires.values(), key=lambda t: t.cle_tri):
            membres = regions.setdefault(t.data["region"], [])
            self._places[t.slug] = (membres, len(membres))
            membres.append(t)

    def get(self, slug: str) -> Reperes | None:
        place = self._places.get(slug)
        if place is None:
            return None
        membres, i = place
        return Reperes(membres[i].data["region"], _voisin(membres[i - 1] if i else None),
                       _voisin(membres[i + 1] if i + 1 < len(membres) else None))


def _voisin(t: Territoire | None) -> Voisin | None:
    return Voisin(t.data["nom"], f"territoires/{t.slug}/") if t else None


def par_territoire(guide: Guide) -> ParTerritoire:
    """Every territory's bearings (ParTerritoire), computed once per build whatever the number of pages."""
    return ParTerritoire(guide)


def section_des_territoires(nav):
    """(Section, its position among the navigation's top items, from 1) that holds the territories'
    index page, or (None, None) when the navigation has no such section."""
    for position, item in enumerate(nav.items, start=1):
        if any(getattr(getattr(c, "file", None), "src_uri", None) == INDEX for c in (item.children or [])):
            return item, position
    return None, None


def dans_la_section(html: str, section_id: str, entree: str) -> str:
    """Material's navigation HTML with `entree` (a list item) first in the list of the section whose
    toggle is `section_id` (Material's `__nav_<position>`); unchanged when that section is absent.

    Written by hand because Material renders the navigation from its `nav` alone, and territory pages
    share one rendering of it (overrides/partials/guide-partage.html): the one item that differs from
    page to page, the current territory with its table of contents, is added to that shared HTML.
    """
    toggle = html.find(f'id="{section_id}"')
    if toggle < 0:
        return html
    liste = _LISTE.search(html, toggle)
    if not liste:
        return html
    return html[:liste.end()] + entree + html[liste.end():]


_LISTE = re.compile(r'<ul class="md-nav__list"[^>]*>')


# Material writes its tags in lower case: a case-sensitive pattern lets the regex engine jump from one
# « <pre » or « <textarea » to the next instead of trying every character (2,000 pages of 100 KB).
_PRE = re.compile(r"(<pre\b.*?</pre>|<textarea\b.*?</textarea>)", re.S)
# Starting with the line break, not with the spaces before it: the engine tries a match only at line breaks,
# not at each space of the text (a tenth of the time); spaces left at the end of a line are rare and harmless.
_BLANCS = re.compile(r"\n\s+")


def compacter(html: str) -> str:
    """`html` with each run of white space that holds a line break reduced to one line break, except
    inside <pre> and <textarea>: the page reads and renders the same (HTML collapses white space).

    Material's templates indent everything they write: a quarter of a territory page was indentation.
    Territory pages are the guide's many pages (2,000 in scripts/benchmark.py), and the table of contents
    their menu now carries (see above) would otherwise have pushed their median weight over its target.
    """
    parts = _PRE.split(html)
    return "".join(p if i % 2 else _BLANCS.sub("\n", p) for i, p in enumerate(parts))
