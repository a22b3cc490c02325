"""Numbered source notes of one page, footnote-style.

A page shows its facts with small note calls (¹ ²) instead of « Source : … » lines; the notes are listed
at the end of the page, each naming the publication and its page or section. The numbering is done here,
while the page's template is rendered: `appel()` gives each citation the number of the first identical
citation of the page (same publication, page and section), or the next number. The same pages cited with and
without a section are two notes: one note would place the facts cited by their pages alone in the section, which
their fiche never gave (a champ's general sentences were numbered with a territory's zoom of the same pages; fresh
check). Python-Markdown's footnotes extension then draws the calls, the list and the back-links from `[^n]`
markers, so the numbers, ids (`fn:n`, `fnref:n`) and print layout are the library's.

Fiche text written with its sources in brackets, « … 33 000 emplois (Étude 2019, fiche ; Page RTES). »,
gets the same notes: `annoter()` turns a bracket whose every part starts with a publication's short name
(its `edition` or one of its `appellations` in fiches/sources.yaml) into note calls.

The remarks the publications call for (a citation's `note`, a figure's `note`, the editors' `note_nom`)
are gathered with `remarque()` and shown together in the folded « Notes sur les sources » block.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from markupsafe import Markup

from guide.modele import parentheses
from guide.rendu.fragments import inerte

# An entity the writer wrote (fragments.py): its `;` is no separator of a bracket's citations.
_ENTITE = re.compile(r"&#?[0-9A-Za-z]{1,32};")

# Between two calls of a fact, so that « ¹, ³ » does not read « 13 ». Its class keeps it, with the calls, out of
# the search index (recherche.EXCLUS): an excerpt read « Lieux mutualisés… 2, 4. ».
SEPARATEUR = '<sup class="guide-appels">,</sup>'


@dataclass
class Note:
    """One numbered note: a citation (publication, page, section), and the remarks made on it."""

    numero: int
    citation: dict
    # (origine, texte): `origine` says what the citation was made for on a page that gathers several fiches (a champ
    # page's levers and « Qui le fait »: ("fiche", territory, action's title), ("levier", None, lever's title)), else
    # None. One note of a champ page gathered four fiches' remarks in one paragraph, with no word of which territory
    # each spoke of (content QA).
    remarques: list = field(default_factory=list)

    @property
    def remarques_par_origine(self) -> list[tuple[tuple | None, list[str]]]:
        """The remarks grouped by what they were made for (`origine`), in the order of their first call."""
        groupes: dict = {}
        for origine, texte in self.remarques:
            groupes.setdefault(origine, []).append(texte)
        return list(groupes.items())


@dataclass
class Remarque:
    """A remark for the « Notes sur les sources » block: what it is about, its text, its note numbers."""

    objet: str
    texte: str
    numeros: list = field(default_factory=list)


def _cle(citation: dict) -> tuple:
    # A section written with or without its capital (« tableau de synthèse des leviers » in a text's brackets) is the
    # same place: one note (fresh check: two notes of a champ page said the same).
    return (citation["publication"], str(citation.get("page", "")),
            " ".join(str(citation.get("section", "")).split()).casefold())


class Notes:
    """The notes of one page, in the order of their first call."""

    def __init__(self):
        self.liste: list[Note] = []
        self.remarques: list[Remarque] = []
        self._par_cle: dict[tuple, Note] = {}

    def appel(self, citations, origine: tuple | None = None) -> list[int]:
        """Numbers of the notes of `citations` (a fiche's `sources` list), each once, in their order.

        A citation's `note` becomes a remark of its note (shown in « Notes sur les sources »), said to come from
        `origine` (what they were cited for, on a page that gathers several fiches).
        """
        numeros = []
        for citation in citations or []:
            key = _cle(citation)
            note = self._par_cle.get(key)
            if note is None:
                note = Note(len(self.liste) + 1, {k: v for k, v in citation.items() if k != "note"})
                self._par_cle[key] = note
                self.liste.append(note)
            if citation.get("note") and (origine, citation["note"]) not in note.remarques:
                note.remarques.append((origine, citation["note"]))
            if note.numero not in numeros:
                numeros.append(note.numero)
        return numeros

    def marques(self, citations, origine: tuple | None = None) -> Markup:
        """The note calls of `citations` as Markdown footnote references: « [^1]<sup>,</sup>[^3] »."""
        return Markup(SEPARATEUR.join(f"[^{n}]" for n in self.appel(citations, origine)))

    def annoter(self, texte, publications: dict) -> Markup:
        """`texte` (a fiche text's fragment, render.bloc) with its source brackets turned into note calls;
        other brackets are kept. A text that is not a fragment yet is made inert first (fragments.inerte)."""
        texte = texte if isinstance(texte, Markup) else inerte(texte)
        noms = parentheses.noms_courts(publications)

        def remplacer(m):
            if "\n" in m.group(1) or "|" in m.group(1):
                # A bracket over two lines of a fragment is no citation: a paragraph is one line there, and one that ran
                # from a heading into the next paragraph took the heading's mark with it (attacker QA). Nor one over two
                # cells of a table: a « | » there is the writer's (a fiche's own is an entity), and a cell went with it.
                return m.group(0)
            citations = []
            # (split at a `;` of the text, not at the end of an entity the writer wrote: « x&#42;Étude 2019, p. 3 » gave
            # a note of a publication the fiche's sources do not name; attacker QA)
            for part in _ENTITE.sub(lambda e: e.group(0)[:-1] + "\0", m.group(1)).split(";"):
                part = part.replace("\0", ";")
                citation = parentheses.citation(" ".join(part.split()), noms)
                if citation is None:
                    # prose, whose own brackets may cite: « (voir sa fiche (Étude 2019, fiche X)) »
                    dedans = parentheses.PARENTHESE.sub(remplacer, m.group(1)) if "(" in m.group(1) else m.group(1)
                    return m.group(0)[:m.start(1) - m.start(0)] + dedans + ")"
                citations.append(citation)
            return self.marques(citations)

        return Markup(parentheses.PARENTHESE.sub(remplacer, texte)) if "(" in texte else texte

    def remarque(self, objet: str, texte: str, citations=()) -> list[int]:
        """Record a remark on a fact (a figure's `note`, the editors' `note_nom`); return its note numbers."""
        numeros = self.appel(citations)
        if not any(r.objet == objet and r.texte == texte for r in self.remarques):
            self.remarques.append(Remarque(objet, texte, numeros))
        return numeros

    def en_notes(self, citations) -> list[bool]:
        """For each of `citations`, whether the page's numbered notes already give it as it is (its publication,
        page and section, without a remark of its own): a printed page lists it once, among the notes."""
        return [not c.get("note") and _cle(c) in self._par_cle for c in citations or []]

    def publications_citees(self, citations=()) -> list[str]:
        """Ids of the publications the page cites, in their order: those of its notes, then of `citations` (the
        fiche's list of publications). A printed page names each in full once (_commun.md.j2): its notes give only
        the short label (« Étude 2021, p. 28-31 »), which on screen links to the sources page (print QA)."""
        ids = [n.citation["publication"] for n in self.liste] + [c["publication"] for c in citations or []]
        return list(dict.fromkeys(ids))

    @property
    def remarques_de_sources(self) -> list[Note]:
        """Notes whose citations carry a remark, by number."""
        return [n for n in self.liste if n.remarques]
