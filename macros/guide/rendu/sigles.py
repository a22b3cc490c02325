"""Acronyms explained where a page first uses them: `<abbr title="…">SCIC</abbr>`.

Python-Markdown's `abbr` extension wraps every occurrence of every acronym, and needs the definitions
appended to each page. A territory page says « ESS » dozens of times: each occurrence became an element
to build, to index, and (being focusable for keyboard users) a tab stop. WCAG technique H28 asks for the
expansion at the first occurrence, which this treeprocessor does, in document order, with one regex
compiled once per build from fiches/sigles.yaml. The glossary page lists them all.

An acronym of another language (`langue: en` in fiches/sigles.yaml: SROI, EaSI…) is marked as such at every
occurrence, `<span lang="en">SROI</span>` (inside the `<abbr>` at its first), so that a screen reader
pronounces it in that language while the French expansion in `title` stays French (issue 25).
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

_MOT_OU_TIRET = re.compile(r"[\w-]")
_BLANCS = re.compile(r"\s+")
# What may stand between an acronym and its meaning written after it: a bracket, a dash or a colon.
_APRES_SIGLE = re.compile(r"\s*(?:\(|[\u2013\u2014-]\s|:\s)\s*")
# An acronym followed by a bracket of the text: paper, which prints the meaning after it, read « l'ESS (Économie
# sociale et solidaire) (CDESS) » (reader QA).
_AVANT_UNE_PARENTHESE = re.compile(r"\s*[(\[]")
_FERMANTE = re.compile(r"\s*\)")
_MOTS = re.compile(r"[^\W\d_]+")


def _plie(texte: str) -> str:
    """Text compared whatever its case, typographic apostrophe or spaces (no-break, narrow no-break)."""
    return _BLANCS.sub(" ", texte.replace("\u2019", "'")).strip().casefold()

# Elements whose text is not prose: code, and acronyms already explained by an author.
_SKIP = {"code", "pre", "abbr", "script", "style"}
_TITRES = {"h1", "h2", "h3", "h4", "h5", "h6"}


class SiglesTreeprocessor(Treeprocessor):
    """Wrap the first occurrence of each known acronym of the page in `<abbr title>`."""

    def __init__(self, md: Markdown, definitions: dict[str, str], pattern: re.Pattern,
                 langues: dict[str, str] | None = None, titres: dict[str, str] | None = None):
        super().__init__(md)
        self.definitions = definitions
        self.pattern = pattern
        self.langues = langues or {}
        self.titres = titres or {}

    def run(self, root: etree.Element) -> None:
        # The acronyms the page uses, in one scan of its whole text; the walk stops once each is explained
        # (and, when the page uses an acronym of another language, once every occurrence is marked).
        used = {m.group(0) for m in self._occurrences("\n".join(root.itertext()))}
        self.pending: set[str] = set(used)
        self.etrangers = bool(used & self.langues.keys())
        # Explained in the text first, not in a heading: on paper, where the explanation is printed after the
        # acronym, headings keep their own words, and 22 parts of the printed guide never explained « ESS », first
        # met in a heading (verifier QA). An acronym met in headings only is explained in the first of them; met
        # only before a bracket, before the first (see `_first_uses`).
        self.titres_aussi = False
        self.expliques: list[etree.Element] = []
        if self.pending:
            self._walk(root)
        if self.pending:
            self.titres_aussi, self.etrangers = True, False
            self._walk(root)
        if self.expliques:
            _marquer_entre_parentheses(root, self.expliques)

    def _continuer(self) -> bool:
        return bool(self.pending) or self.etrangers

    def _first_uses(self, text, dans_un_titre: bool = False, dans_un_lien: bool = False) -> list[tuple[re.Match, bool]]:
        """(match, explained here) of the acronyms to wrap in the text: the first use of each on the page, to
        explain; a later use of an acronym of another language, to mark with its language.

        Never explained inside a link: a link shows its own words and title, both checked against where it leads
        (modele/adresses.py); a meaning added inside it after that check put its tooltip over the link, an official
        address over a link to another site (attacker QA). The next use outside a link is explained instead."""
        if not text or isinstance(text, AtomicString):
            return []
        found = []
        for match in self._occurrences(text):
            sigle = match.group(0)
            if sigle in self.pending and (self.titres_aussi or not dans_un_titre) and not dans_un_lien:
                if self._defini_juste_avant(text, match) or self._defini_juste_apres(text, match):
                    self.pending.discard(sigle)
                    if sigle in self.langues:  # explained by the text, still said in its language
                        found.append((match, False))
                    continue
                # Before a bracket of the text, explained at its next use: printed, the meaning and the bracket
                # read as two brackets in a row (reader QA).
                if self.titres_aussi or not _AVANT_UNE_PARENTHESE.match(text, match.end()):
                    self.pending.discard(sigle)
                    found.append((match, True))
                    continue
            if sigle in self.langues:
                found.append((match, False))
        return found

    def _defini_juste_avant(self, text: str, match: re.Match) -> bool:
        """« Conseil départemental de l'ESS (CDESS) »: the text spells the acronym out right before it, in brackets.
        It is explained there, without an `<abbr>`: printed, the explanation after it read « (CDESS (Conseil
        départemental de l'ESS)) » (verifier QA)."""
        avant = text[:match.start()].rstrip()
        if not avant.endswith("("):
            return False
        if _plie(avant[:-1]).endswith(_plie(self.definitions[match.group(0)])):
            return True
        # In the text's own wording: « Business and Innovation Centre (BIC) », « dispositif local d'accompagnement
        # (DLA) », « structures d'insertion par l'activité économique (SIAE) » were printed « (BIC [Business and
        # Innovation Center]) » (print QA). The acronym alone in brackets, after words one of which begins as it
        # does: the text is spelling it out.
        mots = _MOTS.findall(avant[:-1])[-8:]
        return bool(_FERMANTE.match(text, match.end())) and any(m[0].casefold() == match.group(0)[0].casefold()
                                                                for m in mots)

    def _defini_juste_apres(self, text: str, match: re.Match) -> bool:
        """« ITIS (Initiatives Territoriales Innovation Sociale) », « VRAC – Vers un réseau d'achat en commun »: the text
        spells the acronym out right after it, in brackets or after a dash or a colon, beginning as the glossary's
        meaning does (its first two words: « URSCOP (Union régionale des SCOP de l'Est) » is its own wording of it).
        Printed, the explanation after the acronym said it twice (print QA)."""
        apres = _APRES_SIGLE.match(text, match.end())
        if not apres:
            return False
        debut = _plie(self.definitions[match.group(0)]).split()[:2]
        return _plie(text[apres.end():]).split()[:len(debut)] == debut

    def _occurrences(self, text: str):
        """Acronyms of the text that are whole words: not inside a longer word or a hyphenated name
        (« CRESS » is not « ESS », « ESS-Lab » is not « ESS »)."""
        for match in self.pattern.finditer(text):
            start = match.start()
            if not start or not _MOT_OU_TIRET.match(text, start - 1):
                yield match

    def _element(self, sigle: str, explique: bool) -> etree.Element:
        """`<abbr title>` (its text in a `<span lang>` for an acronym of another language), or the `<span lang>`
        alone where the acronym is already explained."""
        langue = self.langues.get(sigle)
        if not explique:
            span = etree.Element("span", {"lang": langue})
            span.text = AtomicString(sigle)
            return span
        abbr = etree.Element("abbr", {"title": self.titres.get(sigle, self.definitions[sigle])})
        if abbr.get("title") != self.definitions[sigle]:
            # Paper prints the expansion after the acronym, in the text (impression.css): the expansion alone there,
            # the tooltip's word on whose it is in the glossary (reader QA: « 1 ETP (Équivalent temps plein —
            # développement officiel, absent des publications) » in a printed fiche).
            abbr.set("data-developpement", self.definitions[sigle])
        if langue:
            etree.SubElement(abbr, "span", {"lang": langue}).text = AtomicString(sigle)
        else:
            abbr.text = AtomicString(sigle)
        return abbr

    def _abbrs(self, text: str, matches: list[tuple[re.Match, bool]]) -> tuple[str, list[etree.Element]]:
        """Split text around the matches: (text before the first, abbr elements carrying the rest as tails)."""
        elements = []
        for i, (match, explique) in enumerate(matches):
            abbr = self._element(match.group(0), explique)
            if explique:
                self.expliques.append(abbr)
            end = matches[i + 1][0].start() if i + 1 < len(matches) else len(text)
            abbr.tail = text[match.end():end]
            elements.append(abbr)
        return text[:matches[0][0].start()], elements

    def _walk(self, el: etree.Element, dans_un_titre: bool = False, dans_un_lien: bool = False) -> None:
        # Document order: the element's text, then each child followed by its tail.
        if el.tag in _SKIP or not self._continuer():
            return
        dans_un_titre = dans_un_titre or el.tag in _TITRES
        dans_un_lien = dans_un_lien or el.tag == "a"
        children = list(el)
        matches = self._first_uses(el.text, dans_un_titre, dans_un_lien)
        if matches:
            el.text, abbrs = self._abbrs(el.text, matches)
            for i, abbr in enumerate(abbrs):
                el.insert(i, abbr)
        for child in children:
            if not self._continuer():
                return
            self._walk(child, dans_un_titre, dans_un_lien)
            matches = self._first_uses(child.tail, dans_un_titre, dans_un_lien)
            if matches:
                child.tail, abbrs = self._abbrs(child.tail, matches)
                at = list(el).index(child) + 1
                for i, abbr in enumerate(abbrs):
                    el.insert(at + i, abbr)


# Blocks whose text a bracket opened before an acronym belongs to.
_BLOCS = {"p", "li", "td", "th", "dd", "dt", "blockquote", "div", "figcaption", "caption", *_TITRES}
# Its class when the acronym stands inside a bracket of the text: paper prints its expansion in square brackets
# (impression.css), as French nests them: « (analyse du RTES [Réseau des collectivités…]) », not « (analyse du RTES
# (Réseau des collectivités…)) » (reader QA: some forty double brackets in the printed guide).
ENTRE_PARENTHESES = "guide-sigle-entre-parentheses"


def _marquer_entre_parentheses(root: etree.Element, abbrs: list[etree.Element]) -> None:
    """Give ENTRE_PARENTHESES to each acronym explained inside a bracket its block's text opened before it."""
    parents = {enfant: parent for parent in root.iter() for enfant in parent}
    for abbr in abbrs:
        bloc = parents.get(abbr)
        while bloc is not None and bloc.tag not in _BLOCS:
            bloc = parents.get(bloc)
        if bloc is None:
            continue
        avant = _texte_avant(bloc, abbr)
        if avant.count("(") > avant.count(")"):
            abbr.set("class", ENTRE_PARENTHESES)


def _texte_avant(bloc: etree.Element, cible: etree.Element) -> str:
    """The text of `bloc` before the element `cible`, in document order."""
    morceaux: list[str] = []

    def lire(el: etree.Element) -> bool:
        if el is cible:
            return True
        morceaux.append(el.text or "")
        for enfant in el:
            if lire(enfant):
                return True
            morceaux.append(enfant.tail or "")
        return False

    lire(bloc)
    return "".join(morceaux)


class SiglesExtension(Extension):
    """Registers SiglesTreeprocessor where `abbr` would run (after inline patterns, before the TOC)."""

    def __init__(self, definitions: dict[str, str], langues: dict[str, str] | None = None,
                 titres: dict[str, str] | None = None, **kwargs):
        super().__init__(**kwargs)
        self.definitions = definitions
        self.langues = langues or {}
        self.titres = {**definitions, **(titres or {})}  # what the tooltip says: the definition, and whose it is
        alternatives = "|".join(re.escape(s) for s in sorted(definitions, key=len, reverse=True)) or "(?!)"
        # The character before a match is checked in _occurrences: a lookbehind here would keep the regex
        # engine from skipping ahead to the possible first letters (seven times slower on a page).
        self.pattern = re.compile(rf"(?:{alternatives})(?![\w-])")

    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(SiglesTreeprocessor(md, self.definitions, self.pattern, self.langues, self.titres),
                                   "guide-sigles", 7)


# Said in the tooltip of an acronym whose expansion no publication gives (`officielle` in fiches/sigles.yaml), as the
# glossary says it: a reader hovering « CISCA » on a fiche took the official expansion for the study's (fact-checker QA).
OFFICIELLE = " — développement officiel, absent des publications"


def extension(sigles: list[dict]) -> SiglesExtension:
    """The extension for the acronyms of fiches/sigles.yaml (one line per definition, as shown in tooltips)."""
    return SiglesExtension({s["sigle"]: " ".join(s["definition"].split()) for s in sigles},
                           {s["sigle"]: s["langue"] for s in sigles if s.get("langue")},
                           titres={s["sigle"]: " ".join(s["definition"].split()) + OFFICIELLE
                                   for s in sigles if s.get("officielle")})
