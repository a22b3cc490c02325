"""Acronyms explained where a page first uses them: `<abbr title="…">SCIC</abbr>`.

Python-Markdown's `abbr` extension wraps every occurrence of every acronym, and needs the definitions
appended to each page. A territory page says « ESS » dozens of times: each occurrence became an element
to build, to index, and (being focusable for keyboard users) a tab stop. WCAG technique H28 asks for the
expansion at the first occurrence, which this treeprocessor does, in document order, with one regex
compiled once per build from fiches/sigles.yaml. The glossary page lists them all.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

_MOT_OU_TIRET = re.compile(r"[\w-]")

# Elements whose text is not prose: code, and acronyms already explained by an author.
_SKIP = {"code", "pre", "abbr", "script", "style"}


class SiglesTreeprocessor(Treeprocessor):
    """Wrap the first occurrence of each known acronym of the page in `<abbr title>`."""

    def __init__(self, md: Markdown, definitions: dict[str, str], pattern: re.Pattern):
        super().__init__(md)
        self.definitions = definitions
        self.pattern = pattern

    def run(self, root: etree.Element) -> None:
        # The acronyms the page uses, in one scan of its whole text; the walk stops once each is explained.
        self.pending: set[str] = {m.group(0) for m in self._occurrences("\n".join(root.itertext()))}
        if self.pending:
            self._walk(root)

    def _first_uses(self, text) -> list[re.Match]:
        """Matches of acronyms not yet explained on this page, at most one per acronym."""
        if not text or isinstance(text, AtomicString):
            return []
        found = []
        for match in self._occurrences(text):
            if match.group(0) in self.pending:
                self.pending.discard(match.group(0))
                found.append(match)
        return found

    def _occurrences(self, text: str):
        """Acronyms of the text that are whole words: not inside a longer word or a hyphenated name
        (« CRESS » is not « ESS », « ESS-Lab » is not « ESS »)."""
        for match in self.pattern.finditer(text):
            start = match.start()
            if not start or not _MOT_OU_TIRET.match(text, start - 1):
                yield match

    def _abbrs(self, text: str, matches: list[re.Match]) -> tuple[str, list[etree.Element]]:
        """Split text around the matches: (text before the first, abbr elements carrying the rest as tails)."""
        elements = []
        for i, match in enumerate(matches):
            abbr = etree.Element("abbr", {"title": self.definitions[match.group(0)]})
            abbr.text = AtomicString(match.group(0))
            end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
            abbr.tail = text[match.end():end]
            elements.append(abbr)
        return text[:matches[0].start()], elements

    def _walk(self, el: etree.Element) -> None:
        # Document order: the element's text, then each child followed by its tail.
        if el.tag in _SKIP or not self.pending:
            return
        children = list(el)
        matches = self._first_uses(el.text)
        if matches:
            el.text, abbrs = self._abbrs(el.text, matches)
            for i, abbr in enumerate(abbrs):
                el.insert(i, abbr)
        for child in children:
            if not self.pending:
                return
            self._walk(child)
            matches = self._first_uses(child.tail)
            if matches:
                child.tail, abbrs = self._abbrs(child.tail, matches)
                at = list(el).index(child) + 1
                for i, abbr in enumerate(abbrs):
                    el.insert(at + i, abbr)


class SiglesExtension(Extension):
    """Registers SiglesTreeprocessor where `abbr` would run (after inline patterns, before the TOC)."""

    def __init__(self, definitions: dict[str, str], **kwargs):
        super().__init__(**kwargs)
        self.definitions = definitions
        alternatives = "|".join(re.escape(s) for s in sorted(definitions, key=len, reverse=True)) or "(?!)"
        # The character before a match is checked in _occurrences: a lookbehind here would keep the regex
        # engine from skipping ahead to the possible first letters (seven times slower on a page).
        self.pattern = re.compile(rf"(?:{alternatives})(?![\w-])")

    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(SiglesTreeprocessor(md, self.definitions, self.pattern), "guide-sigles", 7)


def extension(sigles: list[dict]) -> SiglesExtension:
    """The extension for the acronyms of fiches/sigles.yaml (one line per definition, as shown in tooltips)."""
    return SiglesExtension({s["sigle"]: " ".join(s["definition"].split()) for s in sigles})
