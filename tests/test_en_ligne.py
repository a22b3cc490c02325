"""Inline Markdown that skips the patterns a text cannot match (macros/guide/rendu/en_ligne.py): the pages are
Python-Markdown's own, byte for byte.

Property-based: hypothesis writes texts dense in inline syntax (code, escapes, links, images, references, note
calls, raw HTML, entities, emphasis, line breaks), the cases where a wrong sign would change a page.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown.treeprocessors import InlineProcessor

from conftest import convertisseur_des_pages
from guide.rendu import en_ligne, titres, typographie

# Pieces of inline syntax, nested and broken on purpose, mixed with plain text.
MORCEAUX = [
    "[", "]", "(", ")", "![", "[^", "[^1]", "[x]", "[x][y]", "[x]()", "[x](<a b>)", "![i](s.png)", "[x](http://a.b \"t\")",
    "<", ">", "<a href=\"x\">", "</a>", "<b>", "<http://a.b>", "<m@x.fr>", "<!-- c -->", "&", "&amp;", "&#42;", "&#x2a;",
    "&nope", "*", "**", "***", "_", "__", "`", "``", "\\", "\\*", "\\[", "  \n", "\n", " ", "a", "é", "«", "1.", "# ",
    "{ #id }", "{: .c }", "[^1]: note", "[y]: http://y.fr", "|", "~", "^",
]
TEXTE = st.lists(st.sampled_from(MORCEAUX) | st.text(alphabet="ab *_[]()<>!&`\\\n#;:/.@", max_size=6),
                 min_size=1, max_size=16).map("".join)
# Where a text sits on a page: a paragraph, a list item, a heading, a table cell, an admonition, a quote.
LIEUX = ["{x}", "- {x}\n- b", "## {x}", "| a | b |\n|---|---|\n| {x} | c |", '!!! note "t"\n    {x}', "> {x}", "{x}\n\n{x}"]


@pytest.fixture(scope="module")
def convertisseurs():
    """Python-Markdown with the site's extensions, and the same with en_ligne (the site's pages)."""
    site = (typographie.extension(), titres.extension())
    return convertisseur_des_pages(*site), convertisseur_des_pages(*site, en_ligne.extension())


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texte=TEXTE, lieu=st.sampled_from(LIEUX))
def test_pages_are_python_markdowns_own(convertisseurs, texte, lieu):
    propre, rapide = convertisseurs
    source = lieu.format(x=texte)
    propre.reset()
    rapide.reset()
    assert rapide.convert(source) == propre.convert(source), source


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texte=TEXTE, debut=st.integers(min_value=0, max_value=40))
def test_every_match_of_a_pattern_holds_its_sign(convertisseurs, texte, debut):
    """What the skip relies on: where a pattern's expression matches from a position, its sign is found from
    there too (each pattern of the site's Markdown, on texts dense in inline syntax)."""
    _, rapide = convertisseurs
    debut = min(debut, len(texte))
    for pattern in rapide.inlinePatterns:
        signe = en_ligne.signe(pattern)
        if pattern.compiled_re.search(texte, debut):
            assert signe.search(texte, debut), (pattern.compiled_re.pattern, signe.pattern, texte, debut)


def test_the_site_markdown_skips_with_a_sign_of_its_own_for_every_pattern(convertisseurs, monkeypatch):
    """The site's converter uses the skipping processor, Python-Markdown still calls the method it replaces, and
    every inline pattern of the site has a sign in the table (a pattern without one is tried with its own, slower,
    expression: right, but the time it took comes back)."""
    _, rapide = convertisseurs
    assert type(rapide.treeprocessors["inline"]) is en_ligne.InlineRapide
    assert hasattr(InlineProcessor, "_InlineProcessor__handleInline")
    assert hasattr(InlineProcessor, "_InlineProcessor__applyPattern")
    sans_signe = [p.compiled_re.pattern for p in rapide.inlinePatterns
                  if p.compiled_re.pattern not in en_ligne.SIGNES]
    assert not sans_signe, sans_signe
    appels = []
    original = en_ligne.InlineRapide._InlineProcessor__handleInline
    monkeypatch.setattr(en_ligne.InlineRapide, "_InlineProcessor__handleInline",
                        lambda self, data, i=0: appels.append(data) or original(self, data, i))
    rapide.reset()
    assert '<a href="x/">lien</a>' in rapide.convert("Un [lien](x/) et *rien* d'autre.")
    assert appels, "Python-Markdown n'appelle plus la méthode que en_ligne.py remplace"
