"""Sources cited in brackets in a fiche's text: « … 33 000 emplois (Étude 2019, fiche Bordeaux Métropole). »

A bracket whose every part (split on « ; ») starts with a publication's short name (its `edition` or one of its
`appellations` in fiches/sources.yaml) is a citation: the page turns it into note calls (rendu/notes.py), and
the validator holds it to the rule of every citation, a page or a section (validate.check_references). Both read
it here, so what the page shows as a note is what the validator checked.
"""
from __future__ import annotations

import re
import unicodedata

# A bracket with the spaces and the line break before it (the note call takes their place). Starting only where a run
# of spaces starts: tried from inside the run as well, « [ \t]*\n?[ \t]* » read a run of n spaces n² times each, and
# 12,000 spaces after a citation kept the validator 6 minutes (editor QA).
# One level of brackets inside is part of it: a section's own title may hold one (« Champ d'action #4 (2019) — … »,
# copied from a `sources` entry), and the citation was printed as text (content QA). Possessive quantifiers: a bracket
# left open is given up at once, never retried from each of its characters.
PARENTHESE = re.compile(r"(?<![ \t])[ \t]*(?:\n[ \t]*)?\(((?:[^()]++|\([^()]*+\))++)\)")
# « p. 14 », « p. 18-22 », « p. 18-22 et 52-53 » (« page 14 », « pages 18-22 », « p 14 » too: editor QA, « page 58 »
# was printed as a section), then a section after a comma if any
_PAGE = re.compile(r"^(?:p\.?|pages?)\s*(\d[\d\-–]*(?:\s+et\s+\d[\d\-–]*)*)(?:,\s*(.+))?$", re.I)
_SECTION_ENTRE_GUILLEMETS = re.compile(r"«[\s\u202f]*(.+?)[\s\u202f]*»(.*)\Z", re.S)


def noms_courts(publications: dict) -> list[tuple[str, str]]:
    """(short name, publication id), longest names first so that « Étude 2019 » never eats a longer name."""
    noms = [(str(nom), pid) for pid, p in publications.items() if isinstance(p, dict)
            for nom in [p.get("edition", p.get("titre", pid)), *(p.get("appellations") or [])]]
    return sorted(noms, key=lambda n: -len(n[0]))


def _pli(c: str) -> str:
    base = unicodedata.normalize("NFKD", c)[:1].lower()
    return base if len(base) == 1 and base.isascii() else c


# Latin letters (with their accents, upper and lower case) → lower-case ASCII, one character for one; and the
# typographic apostrophe as the keyboard's: « (Conseil de l’ESS 2014, p. 3) » named no publication (verifier QA).
_PLI = {**{i: _pli(chr(i)) for i in range(0x250) if _pli(chr(i)) != chr(i)}, ord("’"): "'"}


def plier(texte: str) -> str:
    """« Étude » → « etude », character for character (same length: a position in one is a position in the other):
    a publication's short name is recognised whatever its case and accents (« (étude 2021, p. 58) », « (Etude
    2021, p. 60) » were printed as text, editor QA)."""
    return texte.translate(_PLI)


def citation(part: str, noms) -> dict | None:
    """« Étude 2021, p. 54-57 » → {publication, page}; « Étude 2019, fiche » → {publication, section}; else None.
    A page after the name also makes a citation of the name written in another case or without its accents, or
    without the comma (« (étude 2021, p. 58) », « (Etude 2021 p. 60) »); without a page, such a bracket is prose
    (« (étude 2019, qui le dit plus récent…) »), as before."""
    plie = plier(part)
    for nom, pid in noms:
        nom_plie = plier(nom)
        exact = part == nom or part.startswith(nom + ",")
        if exact or plie.startswith((nom_plie + ",", nom_plie + " ")) and _PAGE.match(part[len(nom):].lstrip(",").strip()):
            reste = part[len(nom):].lstrip(",").strip()
            trouvee = {"publication": pid}
            page = _PAGE.match(reste)
            if page:
                trouvee["page"] = page.group(1)
                reste = page.group(2) or ""
            # « (Étude 2019, « Cadres et axes d'intervention », parole au CGET) »: the note puts the section in
            # quotes itself (_commun.md.j2), which read « « Cadres et axes d'intervention », parole au CGET ».
            entre_guillemets = _SECTION_ENTRE_GUILLEMETS.match(reste)
            if entre_guillemets:
                reste = "".join(entre_guillemets.groups())
            if reste:
                trouvee["section"] = reste
            return trouvee
    return None


def motif_des_noms(noms) -> re.Pattern:
    """A bracket that opens on a publication's short name: a text without one cites nothing in brackets, and is not
    read bracket by bracket (most brackets of a text are no citation: « (SCIC) », « (voir ci-dessous) »)."""
    # Matched against the text folded (plier), as names are recognised.
    return re.compile(r"\(\s*(?:" + "|".join(re.escape(plier(nom)) for nom, _ in noms) + ")") if noms else re.compile(r"(?!)")


def citations(texte: str, noms):
    """(offset, bracket's text, [citation…]) of each bracket of `texte` that is a citation (every part names a
    publication)."""
    for m in PARENTHESE.finditer(texte):
        parts = [citation(" ".join(part.split()), noms) for part in m.group(1).split(";")]
        if parts and all(parts):
            yield m.start(1), m.group(1), parts
        elif "(" in m.group(1):  # prose holding a citation in brackets: « (voir sa fiche (Étude 2019, fiche X)) »
            for debut, crochet, cites in citations(m.group(1), noms):
                yield m.start(1) + debut, crochet, cites
