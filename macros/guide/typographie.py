"""French typography of the rendered text: spaces, dates in words, plurals, years in titles.

- `TypographieExtension`: a Markdown treeprocessor over the text nodes of every page (never code, preformatted
  text, scripts or a link whose text is its address): narrow no-break spaces (U+202F) before « ; : ! ? », inside
  « guillemets » and at the thousands of numbers (« 136 000 » never wraps), ISO dates (« 2014-10-13 ») in words.
  Written by hand: the typography libraries for Python (e.g. typogrify) target English, and ours is five rules.
- Template filters: `pluriel` (« 1 action », « 3 actions »), `date` (a chronology's date in words),
  `avec_annee` (« titre (2019) » unless the title already holds the year).
"""
from __future__ import annotations

import re

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .edition import MOIS, date_en_francais

ESPACE_FINE = "\u202f"  # narrow no-break space

# An ordinary space (or a no-break one, which French typesetting wants narrow) before a high punctuation mark,
# or after « / before », or between groups of three digits.
_AVANT_PONCTUATION = re.compile(r"[ \u00a0]+([;:!?»])")
_APRES_GUILLEMET = re.compile(r"«[ \u00a0]+")
_MILLIERS = re.compile(r"(?<=\d)[ \u00a0](?=\d{3}(?!\d))")
_DATE_ISO = re.compile(r"(?<![\d-])(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?![\d-])")
_MOIS_ISO = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")

# Elements whose text is not prose.
_BRUT = {"code", "pre", "kbd", "samp", "script", "style", "math", "svg"}


def typographier(text: str) -> str:
    """French spaces and dates in words in one run of text (see the module docstring)."""
    if not text:
        return text
    if "-" in text:
        text = _DATE_ISO.sub(lambda m: date_en_francais(m.group(0)), text)
    if " " in text or "\u00a0" in text:
        text = _AVANT_PONCTUATION.sub(ESPACE_FINE + r"\1", text)
        text = _APRES_GUILLEMET.sub("«" + ESPACE_FINE, text)
        text = _MILLIERS.sub(ESPACE_FINE, text)
    return text


def _est_adresse(element) -> bool:
    return element.tag == "a" and (element.text or "").startswith(("http://", "https://", "www."))


class TypographieTreeprocessor(Treeprocessor):
    """Applies `typographier` to every text node of the page outside code and addresses."""

    def run(self, root):
        self._parcourir(root)

    def _parcourir(self, element):
        for child in element:
            if not isinstance(child.tag, str):
                continue
            if child.tag not in _BRUT and not _est_adresse(child):
                child.text = typographier(child.text)
                self._parcourir(child)
            child.tail = typographier(child.tail)


class TypographieExtension(Extension):
    def extendMarkdown(self, md):
        # After inline parsing (20) and the acronyms (7), before the table of contents reads headings (5)...
        # the toc's slugs treat U+202F as a space, so anchors do not change.
        md.treeprocessors.register(TypographieTreeprocessor(md), "guide-typographie", 6)


def extension() -> Extension:
    return TypographieExtension()


# ------------------------------------------------------------------------------------------ template filters

def pluriel(nombre: int, singulier: str, pluriel_: str | None = None) -> str:
    """« 0 action », « 1 action », « 3 actions » (French: 0 and 1 take the singular); « 1 234 territoires »."""
    from .render import nombre as format_nombre  # here: render.py imports this module
    mot = singulier if abs(nombre) < 2 else (pluriel_ or _pluriel_regulier(singulier))
    return f"{format_nombre(nombre)} {mot}"


def _pluriel_regulier(expression: str) -> str:
    """Plural of the first word of an expression: « action » → « actions », « champ d'action » → « champs d'action »."""
    premier, espace, reste = expression.partition(" ")
    if premier.endswith(("s", "x", "z")):
        return expression
    premier = premier[:-2] + "aux" if premier.endswith("al") else premier + "s"
    return premier + espace + reste


def date(value) -> str:
    """A chronology date as the fiche gives it, in words: « 2014-10-13 » → « 13 octobre 2014 »,
    « 2014-11 » → « novembre 2014 »; « 2010 » or « novembre 2025 » are kept."""
    text = str(value).strip()
    mois = _MOIS_ISO.match(text)
    if mois:
        return f"{MOIS[int(mois.group(2)) - 1]} {mois.group(1)}"
    return _DATE_ISO.sub(lambda m: date_en_francais(m.group(0)), text)


def avec_annee(titre: str, annee) -> str:
    """« titre (2019) », or the title alone when it already holds that year (« Plan 2016-2018 », 2016)."""
    if annee is None or str(annee) in str(titre):
        return titre
    return f"{titre} ({annee})"

