"""Inline Markdown, the same output for less work: a pattern that cannot match a text is not tried.

Python-Markdown's inline treeprocessor tries each of its inline patterns (code, escapes, note calls, links,
images, raw HTML, entities, emphasis…) on every run of text of a page, one method call a pattern, each
searching its regular expression from where the last one stopped. On a fiche page most runs hold few of the
characters those patterns need, and the calls were a third of a page's conversion at 2,000 fiches (the
conversion itself is half of a build).

Each pattern has a sign: text that every match of its regular expression contains at or after the match's
start (`[` for a link, `&` for an entity, `<` for raw HTML). Where its sign is not in the rest of the text,
the pattern's own search would find nothing, so it is skipped; where it is, the pattern runs as in
Python-Markdown. The page is Python-Markdown's, byte for byte (tests/test_en_ligne.py: hypothesis converts
texts dense in inline syntax with and without the skip, and looks for a match without its sign; the whole
site was compared when it came in). The signs are plain characters, where some of the expressions start with
a look-behind that makes the regular-expression engine try every position of the text.

A pattern whose expression is not in the table (another extension's, or one that changed with Python-Markdown)
has its own expression for sign: always correct, only slower. Written here because Python-Markdown has no
hook for it; the method replaced is its private `__handleInline`, with the same loop, on Markdown==3.11.3
(requirements.txt; a test fails if the method is no longer called).
"""
from __future__ import annotations

import re

from markdown import Extension, inlinepatterns, util
from markdown.treeprocessors import InlineProcessor

# Regular expression of a pattern (Python-Markdown's source text) → its sign, a regular expression every match
# of the pattern contains at or after the match's start.
SIGNES = {
    inlinepatterns.BACKTICK_RE: r"[`\\]",          # a backtick, or the backslashes before one
    inlinepatterns.ESCAPE_RE: r"\\",
    r"\[\^([^\]]*)\]": r"\[\^",                   # a note call (footnotes)
    inlinepatterns.LINK_RE: r"\[",                 # links, references, short references
    inlinepatterns.IMAGE_LINK_RE: r"!\[",          # images and their references
    inlinepatterns.AUTOLINK_RE: "<",
    inlinepatterns.AUTOMAIL_RE: "<",
    inlinepatterns.HTML_RE: "<",
    inlinepatterns.ENTITY_RE: "&",
    inlinepatterns.LINE_BREAK_RE: "  \n",
    r"\*|_": r"[*_]",                              # emphasis and strong (DelimiterProcessor of * and _)
}


def signe(pattern) -> re.Pattern | None:
    """The sign of an inline pattern (see the module's doc), or None for an old-style pattern, always tried."""
    if not isinstance(pattern, inlinepatterns.InlineProcessor):
        return None
    expression = pattern.compiled_re.pattern
    return re.compile(SIGNES.get(expression, expression), pattern.compiled_re.flags)  # re keeps it compiled


class InlineRapide(InlineProcessor):
    """Python-Markdown's inline treeprocessor, skipping the patterns whose sign a text lacks."""

    def run(self, tree, ancestors=None):
        # Read at each page: an extension may register a pattern after this one was made.
        self.signes = [signe(p) for p in self.inlinePatterns]
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        # Python-Markdown's loop (treeprocessors.InlineProcessor.__handleInline), with the sign checked first.
        if isinstance(data, util.AtomicString):
            return data
        patterns, signes = self.inlinePatterns, self.signes
        appliquer = self._InlineProcessor__applyPattern
        startIndex = 0
        count = len(signes)
        while patternIndex < count:
            s = signes[patternIndex]
            if s is not None and s.search(data, startIndex) is None:
                patternIndex += 1
                startIndex = 0  # as __applyPattern returns when nothing matched
                continue
            data, matched, startIndex = appliquer(patterns[patternIndex], data, patternIndex, startIndex)
            if not matched:
                patternIndex += 1
        return data


class InlineRapideExtension(Extension):
    def extendMarkdown(self, md) -> None:
        # In place of Python-Markdown's own (same name, same priority): the other treeprocessors see no difference.
        md.treeprocessors.register(InlineRapide(md), "inline", 20)


def extension() -> Extension:
    return InlineRapideExtension()
