"""Sources cited in brackets in a fiche's text: « … 33 000 emplois (Étude 2019, fiche Bordeaux Métropole). »

A bracket whose every part (split on « ; ») starts with a publication's short name (its `edition` or one of its
`appellations` in fiches/sources.yaml) is a citation: the page turns it into note calls (rendu/notes.py), and
the validator holds it to the rule of every citation, a page or a section (validate.check_references). Both read
it here, so what the page shows as a note is what the validator checked.
"""
from __future__ import annotations

import re

# A bracket with the spaces and the line break before it (the note call takes their place). Starting only where a run
# of spaces starts: tried from inside the run as well, « [ \t]*\n?[ \t]* » read a run of n spaces n² times each, and
# 12,000 spaces after a citation kept the validator 6 minutes (editor QA).
PARENTHESE = re.compile(r"(?<![ \t])[ \t]*(?:\n[ \t]*)?\(([^()]+)\)")
# « p. 14 », « p. 18-22 », « p. 18-22 et 52-53 », then a section after a comma if any
_PAGE = re.compile(r"^p\.\s*(\d[\d\-–]*(?:\s+et\s+\d[\d\-–]*)*)(?:,\s*(.+))?$")
_SECTION_ENTRE_GUILLEMETS = re.compile(r"«[\s\u202f]*(.+?)[\s\u202f]*»(.*)\Z", re.S)


def noms_courts(publications: dict) -> list[tuple[str, str]]:
    """(short name, publication id), longest names first so that « Étude 2019 » never eats a longer name."""
    noms = [(str(nom), pid) for pid, p in publications.items() if isinstance(p, dict)
            for nom in [p.get("edition", p.get("titre", pid)), *(p.get("appellations") or [])]]
    return sorted(noms, key=lambda n: -len(n[0]))


def citation(part: str, noms) -> dict | None:
    """« Étude 2021, p. 54-57 » → {publication, page}; « Étude 2019, fiche » → {publication, section}; else None."""
    for nom, pid in noms:
        if part == nom or part.startswith(nom + ","):
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
    return re.compile(r"\(\s*(?:" + "|".join(re.escape(nom) for nom, _ in noms) + ")") if noms else re.compile(r"(?!)")


def citations(texte: str, noms):
    """(offset, bracket's text, [citation…]) of each bracket of `texte` that is a citation (every part names a
    publication)."""
    for m in PARENTHESE.finditer(texte):
        parts = [citation(" ".join(part.split()), noms) for part in m.group(1).split(";")]
        if parts and all(parts):
            yield m.start(1), m.group(1), parts
