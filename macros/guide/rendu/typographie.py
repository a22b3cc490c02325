"""French typography of the rendered text: spaces, dates in words, plurals, years in titles.

- `TypographieExtension`: a Markdown treeprocessor over the text nodes of every page (never code, preformatted
  text, scripts or a link whose text is its address): narrow no-break spaces (U+202F) before « ; : ! ? % », inside
  « guillemets » and at the thousands of numbers (« 136 000 » never wraps), a no-break space between a figure and
  « € », « euros », « millions », « milliards », and after « p. » or « n° » before a figure; ISO dates
  (« 2014-10-13 ») in words; the table of contents' names given back the spaces toc takes from them; a note's last
  word and its link back never apart (`RetourLieTreeprocessor`).
  Written by hand: the typography libraries for Python (e.g. typogrify) target English, and ours is a handful of rules.
- Template filters: `pluriel` (« 1 action », « 3 actions »), `date` (a chronology's date in words),
  `avec_annee` (« titre (2019) » unless the title already holds the year).
"""
from __future__ import annotations

import math
import re
import xml.etree.ElementTree as etree
from decimal import Decimal, localcontext

from markdown import util
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from markupsafe import Markup

from guide.modele.edition import MOIS, date_en_francais
# The dates the validator checks are real (validate.check_dates): the same pattern, written once.
from guide.modele.validate import DATE_ISO_DANS_TEXTE as _DATE_ISO

ESPACE_FINE = "\u202f"  # narrow no-break space

# An ordinary space (or a no-break one, which French typesetting wants narrow) before a high punctuation mark,
# or after « / before », or between groups of three digits.
# (A run of spaces is read from its first one only: tried from each of them, a run of 48,000 no-break spaces took 13 s;
# attacker QA.)
_AVANT_PONCTUATION = re.compile(r"(?<![ \u00a0])[ \u00a0]++([;:!?»])")
_APRES_GUILLEMET = re.compile(r"«[ \u00a0]+")
# A figure written in groups of three, « 12 345 678 »: its first group of one to three digits (« En 2019 250
# structures » read « 2 019 250 » once joined, attacker QA; the digit before a match is checked in `_grouper`, a
# pattern opening with a lookbehind being tried at every character of every text of every page).
_MILLIERS = re.compile(r"\d{1,3}(?:[ \u00a0]\d{3})+(?!\d)")
_MOIS_ISO = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
# A figure and its unit, « 100 000 € », « 400 K€ », « 240 000 euros », « 2,6 millions d'euros », « 16 % »: never apart
# at the end of a line (print QA: « 100 000 » ended a line of a legal table, « €. » began the next; verifying QA: the
# same with « euros » and « millions »). The space is a no-break one, as `euros` writes it.
_AVANT_EURO = re.compile(r"(?<=\d) (?=[kKM]?€|(?:euros?|millions?|milliards?)\b)")
_AVANT_POURCENT = re.compile(r"(?<=\d)[ \u00a0](?=%)")
# A page or a number and its abbreviation, « p. 16-17 », « n° 4 »: never apart at the end of a line (print QA: « Étude
# 2021, p. » ended lines of the whole guide, about fifteen times, « 16-17 » beginning the next). « n°2 », as some
# publications write it, is given its space too (reader QA: « n°2 » beside « n° 2 » on the same pages).
_APRES_PAGE = re.compile(r"(?<![\w.])(p\.|pp\.|n°) ?(?=\d)")

# Elements whose text is not prose.
_BRUT = {"code", "pre", "kbd", "samp", "script", "style", "math", "svg"}


# A date alone between guillemets, « 2011-03-11 » or « 2016-09-24/2016-09-25 »: shown as it is typed (the help of
# the model page and of CONTRIBUTING), not a date to read; in words, the example told editors a format the
# validator refuses (« 24 septembre 2016/25 septembre 2016 »).
_GUILLEMET_AVANT_DATE = re.compile(r"«[\s\u00a0\u202f]*[\d/-]*\Z")
_GUILLEMET_APRES_DATE = re.compile(r"[\d/-]*[\s\u00a0\u202f]*»")


# What announces a number, right before it: « n° », « N° », « no », « numéro ».
_NUMERO_AVANT = re.compile(r"(?:\b[nN]°|\b[nN]o\.?|\b[nN]uméro)[\s\u00a0\u202f]*\Z")


def _en_mots(found: re.Match) -> str:
    """An ISO date in words; a date the calendar lacks is left as written. The validator refuses one in a
    fiche, but this also runs on the templates' text, and a page is never stopped by a date. A date quoted alone
    is left as written (see _GUILLEMET_AVANT_DATE)."""
    texte, debut, fin = found.string, found.start(), found.end()
    if _GUILLEMET_AVANT_DATE.search(texte, max(0, debut - 30), debut) and _GUILLEMET_APRES_DATE.match(texte, fin):
        return found.group(0)
    if _NUMERO_AVANT.search(texte, max(0, debut - 12), debut):
        return found.group(0)  # a number that has a date's shape, « délibération n° 2019-12-05 » (attacker QA)
    try:
        return date_en_francais(found.group(0))
    except ValueError:
        return found.group(0)


def _grouper(found: re.Match) -> str:
    """A figure's groups joined by narrow no-break spaces, unless a digit comes right before (the match is then the
    end of a longer run of digits, a year before another figure: « 2019 250 »)."""
    debut = found.start()
    if debut and found.string[debut - 1].isdigit():
        return found.group(0)
    return found.group(0).replace(" ", ESPACE_FINE).replace("\u00a0", ESPACE_FINE)


def typographier(text: str) -> str:
    """French spaces and dates in words in one run of text (see the module docstring)."""
    if not text:
        return text
    if "-" in text:
        text = _DATE_ISO.sub(_en_mots, text)
    if " " in text or "\u00a0" in text:
        # Each rule only where its sign is: the test of a character costs far less than a regex pass, and
        # this runs on every text of every page.
        if ";" in text or ":" in text or "!" in text or "?" in text or "»" in text:
            text = _AVANT_PONCTUATION.sub(ESPACE_FINE + r"\1", text)
        if "«" in text:
            text = _APRES_GUILLEMET.sub("«" + ESPACE_FINE, text)
        text = _MILLIERS.sub(_grouper, text)
        if "€" in text or "euro" in text or "illi" in text:
            text = _AVANT_EURO.sub("\u00a0", text)
        if "%" in text:
            text = _AVANT_POURCENT.sub(ESPACE_FINE, text)
        if "p. " in text or "n°" in text:
            text = _APRES_PAGE.sub("\\1\u00a0", text)
    return text


def _est_adresse(element) -> bool:
    return element.tag == "a" and (element.text or "").startswith(("http://", "https://", "www."))


class TypographieTreeprocessor(Treeprocessor):
    """Applies `typographier` to every text node of the page outside code and addresses."""

    def run(self, root):
        # One flat pass over the tree (ElementTree's iter, in C) rather than a recursive walk in Python: a
        # territory page has thousands of elements. What lies inside code or an address is left out; the
        # text after such an element (its tail) is prose again.
        dedans = set()
        for element in root.iter():
            if element not in dedans and (element.tag in _BRUT or _est_adresse(element)):
                dedans.update(element.iter())
                dedans.discard(element)
        for element in root.iter():
            if element is root or element in dedans or not isinstance(element.tag, str):
                continue
            if element.tag not in _BRUT and not _est_adresse(element):
                element.text = typographier(element.text)
            element.tail = typographier(element.tail)


class SommaireTreeprocessor(Treeprocessor):
    """The table of contents' names with the French spaces of their headings: toc reads a heading's text after the
    typography, then collapses every space to an ASCII one (`' '.join(text.split())`, and U+202F is a space to
    Python), so « Impact Positif ! » could break before its « ! » in the side contents only (content QA)."""

    def run(self, root):
        pile = list(getattr(self.md, "toc_tokens", []))
        while pile:
            token = pile.pop()
            token["name"] = typographier(token["name"])
            pile.extend(token.get("children", []))


# The longest end of a note bound to its link back (`RetourLieTreeprocessor`): a word that fits a phone's line.
_MOT_LIE_MAX = 24
# What Python-Markdown holds aside in a text until the page is written (its placeholders, STX … ETX).
_RESERVE = re.compile(f"{util.STX}[^{util.ETX}]*{util.ETX}")


class RetourLieTreeprocessor(Treeprocessor):
    """The last word of each note and its first link back (Python-Markdown's footnotes) in one
    `span.guide-retour-lie` (white-space: nowrap, guide.css): Material draws the link as an inline block, which a line
    may leave for a line of its own whatever space binds it, a blank line under the note where the link is hidden
    until hovered (reader QA, Brest's note 4 on a phone). Run after the typography's spaces, part of the word (« … »)."""

    def run(self, root):
        for p in root.iter("p"):
            enfants = list(p)
            rang = next((i for i, e in enumerate(enfants) if e.tag == "a" and e.get("class") == "footnote-backref"), None)
            if rang is None:
                continue
            avant = enfants[rang - 1] if rang else None
            texte = (avant.tail if avant is not None else p.text) or ""
            # (after a hyphen too, and no more than a short word: a long one bound whole widened the page of a phone
            # to 624 px, attacker QA; such a note's link may go to a line of its own, as it did before)
            coupure = max(texte.rfind(" "), texte.rfind("\n"), texte.rfind("\t"), texte.rfind("-"), texte.rfind("\u2011"))
            mot = texte[coupure + 1:]
            if not mot.strip() or len(_RESERVE.sub("", mot)) > _MOT_LIE_MAX:  # (the library's « &#160; » held aside)
                continue  # (a link or a term ends the note: nothing of its own text to bind)
            if avant is not None:
                avant.tail = texte[:coupure + 1]
            else:
                p.text = texte[:coupure + 1]
            retour = enfants[rang]
            lie = etree.Element("span", {"class": "guide-retour-lie"})
            lie.text, lie.tail, retour.tail = mot, retour.tail, None
            p.remove(retour)
            lie.append(retour)
            p.insert(rang, lie)


class TypographieExtension(Extension):
    def extendMarkdown(self, md):
        # After inline parsing (20) and the acronyms (7), before the table of contents reads headings (5)...
        # the toc's slugs treat U+202F as a space, so anchors do not change.
        md.treeprocessors.register(TypographieTreeprocessor(md), "guide-typographie", 6)
        md.treeprocessors.register(RetourLieTreeprocessor(md), "guide-retour-lie", 5.5)
        # ...and its names given their spaces back once it has read them.
        md.treeprocessors.register(SommaireTreeprocessor(md), "guide-typographie-sommaire", 4)


def extension() -> Extension:
    return TypographieExtension()


# ------------------------------------------------------------------------------------------ figures

def nombre(value) -> Markup | str:
    """French number formatting: 656275 → « 656 275 », 13.8 → « 13,8 », -0.5 → « -0,5 », 1e20 in full.
    Text is returned as it is (the template filter `nombre` makes it a fragment). Decimal, not float
    formatting: a float's own text may be « 1e+20 »."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # the loader refuses .inf and .nan; never printed as a figure
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    # copy_abs, not abs(): abs() rounds to the context's 28 digits, and a longer figure lost its last ones.
    whole, _, frac = format(exact.copy_abs(), "f").partition(".")
    frac = frac.rstrip("0")
    return Markup(("-" if exact < 0 else "") + f"{int(whole):,}".replace(",", "\u202f") + (f",{frac}" if frac else ""))


def euros(value) -> Markup | str:
    """An amount of a fiche (`montant`, in euros) the French way: 25000 → « 25 000 € »; a round number of
    millions as the publications write it, 6800000 → « 6,8 millions d'euros » (« 6 800 000 € » would claim a
    precision the source does not give). Text is returned as it is (the filter `euros` makes it a fragment)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    for unit, singular, plural in ((1_000_000_000, "milliard", "milliards"), (1_000_000, "million", "millions")):
        with localcontext() as precision:
            # Exact for any figure (the schema bounds amounts): Python's 28 digits made round() fail past them.
            precision.prec = max(precision.prec, len(repr(value)) + 4)
            count = Decimal(repr(value)) / unit
            entier_au_centieme = count == round(count, 2)
        if abs(count) >= 1 and entier_au_centieme:
            count = count.normalize()
            shown = nombre(int(count) if count == count.to_integral_value() else float(count))
            return Markup(f"{shown}\u00a0{plural if abs(count) >= 2 else singular} d'euros")
    return Markup(f"{nombre(value)}\u00a0€")


# ------------------------------------------------------------------------------------------ template filters

def pluriel(compte: int, singulier: str, pluriel_: str | None = None) -> str:
    """« 0 action », « 1 action », « 3 actions » (French: 0 and 1 take the singular); « 1 234 territoires »."""
    mot = singulier if abs(compte) < 2 else (pluriel_ or _pluriel_regulier(singulier))
    return f"{nombre(compte)} {mot}"


def _pluriel_regulier(expression: str) -> str:
    """Plural of the first word of an expression: « action » → « actions », « champ d'action » → « champs d'action »."""
    premier, espace, reste = expression.partition(" ")
    if premier.endswith(("s", "x", "z")):
        return expression
    premier = premier[:-2] + "aux" if premier.endswith("al") else premier + "s"
    return premier + espace + reste


def date(value) -> str:
    """A chronology date as the fiche gives it, in words: « 2014-10-13 » → « 13 octobre 2014 »,
    « 2014-11 » → « novembre 2014 »; « 2010 » or « novembre 2025 » are kept. A period of days or of months, in
    words too, without repeating what both ends share: « 2020-10-07/2020-10-08 » → « du 7 au 8 octobre 2020 »
    (it read « 7 octobre 2020/8 octobre 2020 »), « 2019-03/2019-04 » → « de mars à avril 2019 »."""
    text = str(value).strip()
    mois = _MOIS_ISO.match(text)
    if mois:
        return f"{MOIS[int(mois.group(2)) - 1]} {mois.group(1)}"
    periode = _PERIODE.match(text)
    if periode:
        return _periode(periode.group(1), periode.group(2)) or _DATE_ISO.sub(_en_mots, text)
    return _DATE_ISO.sub(_en_mots, text)


# A chronology period: two days or two months, ISO (the validator checks both ends and their order).
_PERIODE = re.compile(r"^(\d{4}-\d{2}(?:-\d{2})?)/(\d{4}-\d{2}(?:-\d{2})?)$")


def _periode(debut: str, fin: str) -> str | None:
    """« du 7 au 8 octobre 2020 », « du 23 novembre au 24 décembre 2018 », « de mai 2018 à octobre 2019 »; None
    for two ends of different precision or a date the calendar lacks (left as written, in words)."""
    a, b = debut.split("-"), fin.split("-")
    if not all(1 <= int(m) <= 12 for m in (a[1], b[1])):
        return None
    if len(a) != len(b):  # « 2016-09-24/2016-10 »: each end as precise as written (it read « 24 septembre 2016/2016-10 »)
        try:
            return f"{'du' if len(a) == 3 else 'de'} {date(debut)} {'au' if len(b) == 3 else 'à'} {date(fin)}"
        except ValueError:
            return None
    if len(a) == 2:
        if a[0] == b[0]:
            return f"de {MOIS[int(a[1]) - 1]} à {MOIS[int(b[1]) - 1]} {a[0]}"
        return f"de {MOIS[int(a[1]) - 1]} {a[0]} à {MOIS[int(b[1]) - 1]} {b[0]}"
    try:
        jours = [date_en_francais(d).split(" ", 1) for d in (debut, fin)]  # « 7 », « octobre 2020 »
    except ValueError:
        return None
    (j1, reste1), (j2, reste2) = jours
    if reste1 == reste2:
        return f"du {j1} au {j2} {reste2}"
    if a[0] == b[0]:
        return f"du {j1} {reste1.rsplit(' ', 1)[0]} au {j2} {reste2}"
    return f"du {j1} {reste1} au {j2} {reste2}"


def avec_annee(titre: str, annee) -> str:
    """« titre (2019) », or the title alone when it already holds that year (« Plan 2016-2018 », 2016)."""
    if annee is None or str(annee) in str(titre):
        return titre
    return f"{titre} ({annee})"

