"""The source notes' calls (macros/guide/rendu/appels.py): Python-Markdown's footnotes, the same page, each call's id
found in one step (a fiche citing one page 500 times in a text held its page's conversion for minutes: editor QA)."""
from __future__ import annotations

import re

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.extensions.footnotes import FootnoteExtension

from guide.rendu.appels import NotesExtension


class _Comptes(set):
    """A set that counts the questions asked of it."""

    def __init__(self, *args):
        super().__init__(*args)
        self.questions = 0

    def __contains__(self, item):
        self.questions += 1
        return super().__contains__(item)


def _convertir(extension, texte: str) -> tuple[str, int]:
    """(HTML, questions asked of the used ids) of `texte` converted with `extension`; the guide's name of each call
    (« Note 3 ») is checked and set aside, the rest compared with the library's."""
    md = markdown.Markdown(extensions=["tables", extension])
    extension.used_refs = _Comptes()  # (Markdown.convert resets nothing before converting)
    html = md.convert(texte)
    if isinstance(extension, NotesExtension):
        noms = re.findall(r'<a aria-label="([^"]*)" class="footnote-ref" href="#fn:[^"]*">([^<]*)</a>', html)
        assert len(noms) == html.count("footnote-ref") and all(nom == f"Note {n}" for nom, n in noms), noms[:3]
        html = re.sub(r'<a aria-label="[^"]*" class="footnote-ref"', '<a class="footnote-ref"', html)
        # …and the numbers of the links back of a note called several times: 1, 2, 3… in each note, each named so
        for note in re.findall(r"<li id=\"fn:[^\"]*\">.*?</li>", html, re.S):
            numeros = re.findall(r"&#8617;<sup>(\d+)</sup></a>", note)
            assert numeros == ([str(n) for n in range(1, note.count("footnote-backref") + 1)]
                               if note.count("footnote-backref") > 1 else []), note
        html = re.sub(r"&#8617;<sup>\d+</sup></a> ?", "&#8617;</a>", html)
        html = re.sub(r"l'appel n° \d+ de la note", "l'appel de la note", html)
    return html, extension.used_refs.questions


def _texte(appels: list[int], notes: int) -> str:
    corps = " ".join(f"Fait[^{n}]." for n in appels)
    return corps + "\n\n" + "\n".join(f"[^{n}]: Source {n}." for n in range(1, notes + 1)) + "\n"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=4), max_size=40))
def test_the_same_page_as_python_markdown(appels):
    """The same ids, back-links and order as the library's extension, whatever the calls."""
    texte = _texte(appels, 4)
    options = {"BACKLINK_TITLE": "Revenir à l'appel de la note %d"}
    assert _convertir(NotesExtension(**options), texte)[0] == _convertir(FootnoteExtension(**options), texte)[0]


def test_each_call_is_numbered_in_one_step():
    """2,000 calls of one note: the library asks some two million times whether an id is taken, the guide's
    extension a few thousand (twice per call at most)."""
    texte = _texte([1] * 2000, 1)
    guide, questions = _convertir(NotesExtension(), texte)
    python_markdown, questions_de_la_bibliotheque = _convertir(FootnoteExtension(), texte)
    assert guide == python_markdown and 'id="fnref2000:1"' in guide
    assert questions <= 2 * 2000 < 2000 * 1999 / 2 <= questions_de_la_bibliotheque
