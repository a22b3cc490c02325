"""Python-Markdown's footnotes (the source notes of fiche pages, notes.py), with the calls of one note numbered in
constant time.

The extension gives each call of a note an id of its own (« fnref:1 », « fnref2:1 », « fnref3:1 »…): for each
call, Python-Markdown 3.11.3 (footnotes.py, `unique_ref`) counts up from the first id until it finds one not yet
used, so n calls of one note cost n²/2 steps. A fiche citing one page 500 times in a text (editor QA) held its
page's conversion for minutes; a champ page at 10,000 fiches, whose examples cite the same study pages, for
seconds. Here each note goes on from the last id it gave: the same ids, in the same order, each found in one step.
Written here because the library has no option for it; the rest of the extension is the library's.

Each call is also named « Note 3 » for assistive technologies (`aria-label`): a link read « 3 », alone in a list of
the page's links, says nothing of where it leads (RGAA 6.1, which French public sites are audited against). The
visible figure stays the start of its name.

A note called several times has one link back per call: the library draws them all « ↩ », side by side (a champ page's
note 7 ended with 22 of them, none telling where it led; reader QA). Each is numbered, « ↩¹ ↩² … », and named for the
call it returns to, as encyclopaedias letter theirs.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown.extensions.footnotes import RE_REF_ID, FootnoteExtension, FootnoteInlineProcessor
from markdown.treeprocessors import Treeprocessor


class _Appel(FootnoteInlineProcessor):
    """The library's note call, named « Note n »."""

    def handleMatch(self, m, data):  # noqa: N802 - Python-Markdown's name
        sup, start, end = super().handleMatch(m, data)
        if sup is not None:
            lien = sup[0]
            lien.set("aria-label", f"Note {lien.text}")
        return sup, start, end


class _RetoursNumerotes(Treeprocessor):
    """The links back of a note called more than once, numbered in the order of its calls and named so."""

    def run(self, root):
        for li in root.iter("li"):
            retours = [a for a in li.iter("a") if a.get("class") == "footnote-backref"]
            if len(retours) < 2:
                continue
            for rang, lien in enumerate(retours, 1):
                numero = re.search(r"\d+$", lien.get("title", ""))
                if numero:
                    lien.set("title", f"Revenir à l'appel n° {rang} de la note {numero.group(0)}")
                exposant = etree.SubElement(lien, "sup")
                exposant.text = str(rang)
                lien.tail = " " if rang < len(retours) else lien.tail


# Where the library puts the notes, in the paragraph that holds it (_commun.md.j2 writes it under « Notes »): its own
# marker, « ///Footnotes Go Here/// », is text a fiche can write (attacker QA: an action's title moved its page's
# notes into the list of actions). A fiche's text never reaches the page with a « | » (fragments.py writes it as an
# entity), and a paragraph of this one line is no table.
MARQUE_DES_NOTES = "||notes du guide||"


class NotesExtension(FootnoteExtension):
    """`footnotes` of mkdocs.yml, the same options and output, each call's id found in one step and each call
    named « Note n »."""

    def __init__(self, **kwargs):
        kwargs.setdefault("PLACE_MARKER", MARQUE_DES_NOTES)
        super().__init__(**kwargs)

    def extendMarkdown(self, md) -> None:  # noqa: N802 - Python-Markdown's name
        super().extendMarkdown(md)
        # In the library's place: its pattern, its name, its priority (175 in footnotes.py, which has no getter).
        md.inlinePatterns.register(_Appel(md.inlinePatterns["footnote"].pattern, self), "footnote", 175)
        # after the library's « footnote-duplicate » (15), which adds the links back of the later calls
        md.treeprocessors.register(_RetoursNumerotes(md), "guide-retours-numerotes", 14)

    def reset(self) -> None:
        super().reset()
        self.derniers: dict[str, str] = {}  # a note's first call id → the last id given to one of its calls

    def unique_ref(self, reference: str, found: bool = False) -> str:
        """The library's `unique_ref`, counting up from the last id given for the same note rather than from the
        first: every id below it is used already, so the id found is the library's."""
        if not found:
            return reference
        original = reference
        reference = self.derniers.get(original, reference)
        while reference in self.used_refs:
            ref, rest = reference.split(self.get_separator(), 1)
            m = RE_REF_ID.match(ref)
            if m:
                reference = "%s%d%s%s" % (m.group(1), int(m.group(2)) + 1, self.get_separator(), rest)
            else:
                reference = "%s%d%s%s" % (ref, 2, self.get_separator(), rest)
        self.derniers[original] = reference
        self.used_refs.add(reference)
        self.found_refs[original] = self.found_refs.get(original, 0) + 1
        return reference


def makeExtension(**kwargs):  # noqa: N802 - the name Python-Markdown looks for
    return NotesExtension(**kwargs)
