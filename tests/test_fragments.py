"""Fiche text as a sanitised fragment (macros/guide/rendu/fragments.py, render.py): whatever a fiche's text holds,
once it is a fragment and the page's own Markdown (the extensions of mkdocs.yml) has run over it, in any place
a template puts it, it carries no attribute of its own, no element that runs, no foreign URL scheme, and a
template never runs it.

Property-based: hypothesis draws texts from a corpus of hostile pieces nobody listed one by one here —
controls and bidi, Jinja, HTML with ids, classes and Pagefind's data attributes, attribute lists, Markdown
link and footnote syntax, YAML escapes, CSS string breakers — mixed with random text.
"""
from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from lxml import html as lhtml
from markupsafe import Markup

from conftest import convertisseur_des_pages
from guide.modele.adresses import adresse_montree_ailleurs

MORCEAUX = [
    "{{ 7*7 }}", "{% raw %}", "{{ lipsum.__globals__.os.system('id') }}", "{# x #}", "{%- if 1 %}",
    '<div id="__config">{"base": "https://evil.example/"}</div>', "{: #__config }", "{: .md-dialog }",
    '{ data-pagefind-weight="10" }', '<p data-pagefind-body data-pagefind-meta="title:X">', "<span class='md-top'>",
    '<a href="javascript:alert(1)">', "[x](javascript:alert(1))", "[x](java&#9;script:alert(1))", "](https://evil.example/) [",
    "[^1]", "[^x]: def", "*[ESS]: x", "<script>alert(1)</script>", "<style>*{}</style>", "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>", "<!-- -->", "-->", "<![CDATA[", "\\", "`", "``", "*", "**", "_", "__", "#", "## __search",
    "|", "| a | b |\n|---|---|", "\n\n", "\n", "    ", "- ", "1. ", "> ", "!!! danger \"x\"", "???+ note", "===",
    "\u202e", "\u2066", "\u200b", "\u00a0", "\u202f", "\x1b", "\x00", "\x7f", "\x9b", "\ufeff", "e\u0301",
    '"; } </style><script>', "'", '"', "&amp;", "&#42;", "&", "<", ">", "R&D", "http://", "mailto:x@y.fr",
    "!!binary", "&anc", "*alias", "\\x7f", "Alençon", "Аlençon",
    # code in a list item or a quote with a blank line in it; other extensions' block openers; `[` in runs
    "- item\n\n        code\n\n        ### H {: #__config }", "> x\n>\n>     code\n>\n>     ### H {: #h }",
    "/// details | x", "~~~", "--8<-- \"mkdocs.yml\"", ": def", "=== \"x\"", "[[[[", "## Guide recherche",
    # an image the fiche's policy drops, leaving the spaces before what followed it; « ! » before a link; character
    # references the page's HTML pass reads
    "![\n](https://x.example/) ", "![x](https://x.example/i.png)", "\\!", "!", "&#", "&#x", "&lt", "&copy",
    # the footnotes' own marker; empty items and links between pieces; blocks first in a list item (attacker QA)
    "///Footnotes Go Here///", "\n* []()", "[]()", "R&", "[rlm;]()", "- !!! note \"x\"\n    y", "1. ### T", "- > a\n  >\n  > b",
]
TEXTE = st.lists(st.sampled_from(MORCEAUX) | st.text(max_size=8), min_size=1, max_size=12).map("".join)

# Where the templates put a one-line fragment (`texte`) and a block one (`bloc`, the body `corps`).
LIGNE = ["# {x} {{ .guide-titre-de-fiche }}", "Texte {x} fin.", "| a | b |\n|---|---|\n| {x} | y |", "- {x}", "[{x}](../cible/)",
         '!!! info "{x}"\n    Corps.', "#### {x} {{ #action-1 }}", "**{x}**[^1]\n\n[^1]: note"]
BLOC = ["{x}", "Intro.\n\n{x}\n\nFin.", "{x}[^1]\n\n[^1]: note",
        # a raw block of the page's after it, which the fragment must leave to the page's HTML pass (« &#*x* » left
        # its `markdown` attribute unread: attacker QA)
        '{x}\n\n<div class="guide-comparables" markdown>\n\n*Fin*.\n\n</div>']

# What the page's own Markdown writes around a fragment: these attributes and classes, and no other.
ATTRIBUTS = {"href", "title", "id", "class", "start"}
CLASSES = {"admonition", "admonition-title", "footnote", "footnote-ref", "footnote-backref", "headerlink", "guide-comparables",
           "note", "abstract", "info", "tip", "success", "question", "warning", "failure", "danger", "bug", "example",
           "quote"}
ELEMENTS_ACTIFS = {"script", "style", "iframe", "object", "embed", "img", "svg", "math", "form", "input", "base",
                   "meta", "link", "template", "textarea"}


@pytest.fixture(scope="module")
def page_markdown():
    """A converter with the very extensions of the site's pages (mkdocs.yml), heading ids from the plugin."""
    from guide.rendu import en_ligne, titres
    return convertisseur_des_pages(titres.extension(), en_ligne.extension())


@pytest.fixture(scope="module")
def fragments():
    from guide.rendu.fragments import Fragments
    return Fragments()


def sur_de(html: str) -> list[str]:
    """What in converted HTML did not come from the page's own Markdown: foreign attributes, classes, ids,
    active elements, URL schemes."""
    problems = []
    root = lhtml.fragment_fromstring(html, create_parent="div")
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag in ELEMENTS_ACTIFS:
            problems.append(f"<{el.tag}>")
        for name, value in el.attrib.items():
            if name == "aria-label" and el.get("class") == "footnote-ref" and value == f"Note {el.text}":
                continue  # the guide's name of a note call (appels.py), its figure's
            if name not in ATTRIBUTS:
                problems.append(f"<{el.tag} {name}>")
            elif name == "class" and not set(value.split()) <= CLASSES:
                problems.append(f"<{el.tag} class={value!r}>")
            elif name == "id" and (value.startswith("_") or not re.fullmatch(r"[\w:.-]+", value)):
                problems.append(f"<{el.tag} id={value!r}>")
            elif name == "id" and el.tag in ("h1", "h2", "h3", "h4", "h5", "h6") and not value.startswith(("fiche-", "action-")):
                problems.append(f"<{el.tag} id={value!r}>: l'id d'un titre de fiche est celui que le guide génère")
            elif name == "href" and re.match(r"\s*[a-z][a-z0-9+.-]*:", value, re.I) and \
                    not re.match(r"(https?|mailto):", value, re.I):
                problems.append(f"<{el.tag} href={value!r}>")
    return problems


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texte=TEXTE, lieu=st.sampled_from(LIGNE))
def test_a_one_line_fragment_stays_text_wherever_it_is_put(page_markdown, fragments, texte, lieu):
    fragment = fragments.ligne(texte)
    assert isinstance(fragment, Markup) and "\n" not in fragment
    assume(fragment.strip() or "{{" not in lieu)  # a heading is never empty: the schema wants a name, a title
    page_markdown.reset()
    html = page_markdown.convert(lieu.format(x=fragment))
    assert not sur_de(html), (texte, lieu, html)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texte=TEXTE, lieu=st.sampled_from(BLOC))
def test_a_block_fragment_stays_text_wherever_it_is_put(page_markdown, fragments, texte, lieu):
    fragment = fragments.bloc(texte)
    page_markdown.reset()
    html = page_markdown.convert(lieu.format(x=fragment))
    assert not sur_de(html), (texte, lieu, html)


# The blocks a text draws, counted by kind (a heading of any level, a box, a list, an item, code, a table, a quote, a rule).
BLOCS = {"h1": "titre", "h2": "titre", "h3": "titre", "h4": "titre", "h5": "titre", "h6": "titre", "ul": "liste",
         "ol": "liste", "li": "point", "pre": "code", "table": "tableau", "blockquote": "citation", "hr": "filet"}


def blocs_de(html: str) -> dict:
    racine = lhtml.fragment_fromstring(html, create_parent="div") if html.strip() else lhtml.Element("div")
    compte = {}
    for el in racine.iter():
        genre = "encadre" if el.tag == "div" and "admonition" in (el.get("class") or "").split() else BLOCS.get(el.tag)
        if genre:
            compte[genre] = compte.get(genre, 0) + 1
    return compte


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texte=TEXTE)
def test_a_block_fragment_draws_no_block_its_own_conversion_did_not(page_markdown, fragments, texte):
    """The page's Markdown reads a fragment as the blocks the fiche's own conversion made, and no more: « ![⏎](…) !!! x »
    drew a box and « ![⏎](…) # x » a title once the image was dropped (attacker QA). A heading, a box, a list… of the
    page counted within the fragment's place is one the fiche wrote."""
    page_markdown.reset()
    page = blocs_de(page_markdown.convert(str(fragments.bloc(texte))))
    propre = blocs_de(fragments.html(texte))
    assert all(n <= propre.get(genre, 0) for genre, n in page.items()), (texte, str(fragments.bloc(texte)), page, propre)


@pytest.mark.parametrize("texte, interdit", [
    ("![\n](https://www.service-public.fr/) !!! alerte danger", "admonition"),
    ("![\n](https://x.example/) # Guide officiel de l'État", "<h1"),
    ("![\n](https://x.example/) ~~~", "<pre"),
    ("Voir \\![Logo officiel de la\nRépublique](https://www.service-public.fr/logo.png \"Marianne\") ici.", "<img"),
    ("Un texte &#*x* ici.", "markdown"),
    # round 2 (attacker QA): an empty item under a text made it a heading; a « ! » and a link met across an empty link
    ("* Élus et services\n* []()", "<h2 id=\"elus"),
    ("Logo : [officiel!]()[]()[Marianne](https://evil.example/marianne.png)", "<img"),
    ("- [officiel!]()[Marianne](https://evil.example/marianne.png)", "<img"),
    ("- !!! note \"Encadré\"\n    Texte *important* [lien](https://www.insee.fr/).", "<pre"),
    ("Texte D R&[rlm;]()123 fin.", "&rlm;"),
    # round 3 (verifier): an entity name split across pieces; a box first in an item of a marker of four characters
    ("La communauté urbaine R&rl[m;]() soutient l'ESS.", "&rlm;"),
    ("\n".join(f"{n}. point" for n in range(1, 10)) + "\n10. !!! note \"À retenir\"\n    Le *texte* de l'encadré.", "<pre"),
])
def test_what_the_attacker_wrote_stays_text(page_markdown, fragments, texte, interdit):
    """The attacker's own inputs (attacker QA), in the page's place, with a raw block of the page after them."""
    page_markdown.reset()
    html = page_markdown.convert(f"# Titre\n\n{fragments.bloc(texte)}\n\n"
                                 '<div class="guide-comparables" markdown>\n\n## Suite\n\nFin.\n\n</div>\n')
    assert interdit not in html.split("<h1", 2)[-1] if interdit == "<h1" else interdit not in html, html
    assert '<div class="guide-comparables">' in html and html.count("<h1") == 1, html


@pytest.mark.parametrize("texte", [
    "Texte A.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[]()", "- point\n\n    | a | b |\n    |---|---|\n    | 1 | 2 |",
    "Texte B.\n\n***\n\n[]()", "1. ### Titre [lien](https://www.insee.fr/)", "Une action ///Footnotes Go Here/// de la ville."])
def test_the_note_call_after_a_text_and_the_page_s_notes_stay_in_their_places(page_markdown, fragments, texte):
    """A template's note call right after a text ending in a block nested in a list, or in a block followed by an empty
    paragraph, was taken into it or broke it; the footnotes' marker moved the page's notes into the text (attacker QA)."""
    page_markdown.reset()
    html = page_markdown.convert(f"Intro.\n\n{fragments.bloc(texte)}[^1]\n\nFin.\n\n[^1]: Étude 2021.")
    assert html.count('class="footnote-ref"') == 1 and "{ ." not in html, html
    assert html.rstrip().endswith("</div>") and html.index("<p>Fin.</p>") < html.index('<div class="footnote">'), html


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(titre=st.lists(st.sampled_from(["Un", " *titre*", " mis en forme", " [la page](https://x.example/a_(b))", " `code`",
                                       " R&D", " &lt;em&gt;", " <em>", " (Étude 2021)", " _x_", " [^1]"]) | TEXTE,
                      min_size=1, max_size=5).map("".join))
def test_sur_cette_page_names_and_links_each_heading_as_the_page_shows_it(page_markdown, fragments, titre):
    """« Sur cette page » read « Un &lt;em&gt;titre&lt;/em&gt; mis en forme » and linked to an id no heading had (attacker QA):
    each entry is the heading's text, as the page shows it, and its id."""
    from guide.modele.caracteres import caractere_refuse
    from guide.rendu import sommaire
    assume(not any(caractere_refuse(c) for c in titre))  # the loader refuses the fiche first (« \x85 »: a line break)
    corps = str(fragments.bloc("## " + titre + "\n\nTexte."))
    assume(corps.startswith("## "))
    page_markdown.reset()
    racine = lhtml.fragment_fromstring(page_markdown.convert(corps), create_parent="div")
    titres = [(" ".join("".join(h.xpath("text()|*[not(@class='headerlink')]//text()")).split()), h.get("id"))
              for h in racine.iter("h2")]
    lus = [(" ".join(texte.split()), ident) for texte, ident in sommaire.sections(corps)]
    assert lus == titres, (titre, corps)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texte=TEXTE)
def test_templates_print_fiche_data_as_inert_text(texte):
    """Every string a template reads from the guide is Inerte: printed raw, joined with `~` or `join`, put in
    an attribute, it never turns into Markdown or HTML syntax, and Jinja never evaluates it."""
    from guide.rendu.render import environnement
    env = environnement()
    modele = env.from_string('{{ d.x }}|{{ "[" ~ d.x ~ "](y)" }}|{{ [d.x, "z"] | join(",") }}|<b title="{{ d.x }}">'
                             '{{ d["x"] | lower }}</b>')
    out = modele.render(d={"x": texte})
    assert "{{" not in out and "{%" not in out
    balises = re.sub(r'<b title="[^"]*">|</b>', "", out)
    assert "<" not in balises and ">" not in balises, out
    assert not re.search(r"[*`\[\]{}|\\]", out.split("|", 1)[0]), out


def test_a_one_line_field_is_shown_as_written(fragments, page_markdown):
    """A name or a title is plain text: what the editor typed, Markdown and HTML characters included."""
    for texte in ("Zz {{ lipsum.__globals__ }} *x* [y](z) <b>w</b> & R&D", "1986. Création", "- tiret", "# dièse"):
        page_markdown.reset()
        html = page_markdown.convert(f"Texte : {fragments.ligne(texte)}")
        root = lhtml.fragment_fromstring(html, create_parent="div")
        assert root.text_content().strip() == f"Texte : {texte}", (texte, html)
        assert not root.xpath("//em|//strong|//a|//b")


IMPRIMABLE = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp")), max_size=12)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(morceaux=st.lists(st.sampled_from([m for m in MORCEAUX if m.isprintable()]) | IMPRIMABLE, min_size=1,
                         max_size=10))
def test_a_one_line_field_reads_exactly_as_typed(page_markdown, fragments, morceaux):
    """Whatever a name holds, the reader sees those characters (spaces run together), no more, no fewer: no
    piece of it was taken for Markdown or HTML by the page."""
    texte = "".join(morceaux)
    page_markdown.reset()
    html = page_markdown.convert(f"Texte : {fragments.ligne(texte)} fin")
    root = lhtml.fragment_fromstring(html, create_parent="div")
    attendu = " ".join(f"Texte : {texte} fin".split())
    assert " ".join(root.text_content().split()) == attendu, (texte, html)


def test_fragments_keep_the_fiche_s_markdown(fragments, page_markdown):
    """Inert is not flattened: emphasis, links, lists, headings, tables, a fiche's admonition."""
    texte = ("## Enjeux\n\nUn *levier* et un [lien](https://example.org/a_b) (R&D).\n\n- un\n- deux\n\n"
             "| a | b |\n|---|---|\n| 1 | 2 |\n\n!!! note \"À savoir\"\n\n    Remarque.")
    page_markdown.reset()
    html = page_markdown.convert(str(fragments.bloc(texte)))
    root = lhtml.fragment_fromstring(html, create_parent="div")
    assert root.xpath("//h2[@id='fiche-enjeux']") and root.xpath("//em[.='levier']")
    assert root.xpath("//a[@href='https://example.org/a_b'][.='lien']") and len(root.xpath("//ul/li")) == 2
    assert root.xpath("//table//td[.='2']") and root.xpath("//div[contains(@class,'admonition')][contains(@class,'note')]")
    assert "R&D" in root.text_content()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(etiquette=st.text(alphabet=st.sampled_from(list("aAé1- ")), min_size=1, max_size=4).filter(lambda e: e.strip()),
       lieu=st.sampled_from(BLOC))
def test_a_fiche_writes_no_note_of_the_page(fragments, page_markdown, etiquette, lieu):
    """A fiche's own footnote, « [^b]: [Étude 2021](https://evil.example/), p. 14 », drew « 1. Étude 2021, p. 14 »
    above the page's real source notes, its link to another site (attacker QA). The page's notes are the guide's,
    numbered from the fiche's sources: whatever a fiche's text writes, it draws no note call and no note, and its
    « [^…] » is shown as written."""
    texte = f"Fait[^{etiquette}].\n\n[^{etiquette}]: [Étude 2021](https://evil.example/), p. 14"
    page_markdown.reset()
    html = page_markdown.convert(lieu.format(x=fragments.bloc(texte)))
    root = lhtml.fragment_fromstring(html, create_parent="div")
    notes = [" ".join(li.text_content().split()) for li in root.xpath("//div[contains(@class,'footnote')]//li")]
    assert all("Étude 2021" not in n for n in notes), (texte, html)  # only the template's own note (« note »)
    assert len(root.xpath("//a[contains(@class,'footnote-ref')]")) == len(notes) == lieu.count("[^1]:"), html
    assert " ".join(f"Fait[^{etiquette}]".split()) in " ".join(root.text_content().split()), html


@pytest.mark.parametrize("adresse", ["https:evil.example", "HTTP:/evil.example/x", " https:evil.example"])
def test_a_web_address_without_its_slashes_is_no_link(fragments, page_markdown, adresse):
    """« [x](https:evil.example) » was published as a link, which a browser reads as https://evil.example on an http
    site and as a path of the site on an https one (editor QA): its text only. The validator names it first."""
    page_markdown.reset()
    html = page_markdown.convert(str(fragments.bloc(f"Voir [le site]({adresse}) et [l'autre](https://exemple.org).")))
    root = lhtml.fragment_fromstring(html, create_parent="div")
    assert [a.get("href") for a in root.xpath("//a")] == ["https://exemple.org"]
    assert "Voir le site et" in root.text_content()


def _lu_comme() -> dict[str, list[str]]:
    """The characters Unicode's confusables table (TR39, ICU's data) reads as « . », « - » or « / », over all of
    Unicode's code points: what a reader may take for an address's punctuation."""
    import icu
    checker, lu = icu.SpoofChecker(), {".": [], "-": [], "/": []}
    for code in range(0x80, 0x30000):
        c = chr(code)
        if unicodedata.category(c) not in ("Cs", "Cn", "Co"):
            squelette = checker.getSkeleton(0, c)
            if squelette in lu:
                lu[squelette].append(c)
    return lu


LU_COMME = _lu_comme()

# Hosts as a link's text may show them, and other ones it may lead to (IDN, sub-domains, « www. », a user part).
HOTES = st.sampled_from(["service-public.fr", "www.economie.gouv.fr", "economie.gouv.fr", "evil.example", "xn--conomie-9xa.fr",
                         "économie.fr", "impots.gouv.fr", "gouv.fr", "region-bretagne.bzh", "a.b.c.fr"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(montre=HOTES, mene=HOTES, forme=st.sampled_from(["https://{h}", "https://{h}/aides", "www.{h}", "{h}",
                                                        "Voir https://{h} en ligne", "contact@{h}",
                                                        # (around a host: quotes, punctuation)
                                                        "« {h} »", "{h} !", "({h})",
                                                        # (in a sentence, with a symbol after it)
                                                        "le portail {h}", "{h} ↗", "Voir {h}/aides en ligne",
                                                        # (glued to a word, a note's mark: verifier QA)
                                                        "sur le site d’{h}", "l'{h}", "Portail:{h}", "{h}²", "{h}|x"]),
       cible=st.sampled_from(["https://{h}/x", "http://{h}", "https://user@{h}/", "https://{m}@{h}/", "mailto:contact@{h}",
                              "../champs/evaluation.md", "https://{h}/{m}"]),
       # what a reader takes for a full stop: NFKC's and IDNA's (« ․ » U+2024, « ． », « ﹒ », « 。 ») and every one of
       # Unicode's confusables (« ꓸ » U+A4F8 passed, attacker QA)
       point=st.sampled_from([".", ".", "\u2024", "\uff0e", "\ufe52", "\u3002", *LU_COMME["."],
                              # (and the dots TR39 reads as a middle dot, the middle dot aside: verifier QA)
                              "\u2027", "\u2219", "\u22c5", "\u30fb", "\u16eb"]),
       # for a hyphen (« service‐public.fr » with U+2010 passed for another address, attacker QA)
       tiret=st.sampled_from(["-", "-", "\u2010", "\u2011", "\u2212", *LU_COMME["-"]]),
       # and for a slash
       barre=st.sampled_from(["/", "/", *LU_COMME["/"]]))
def test_a_link_never_shows_an_address_it_does_not_lead_to(fragments, page_markdown, montre, mene, forme, cible, point,
                                                            tiret, barre):
    """« [https://www.service-public.fr](https://evil.example) » was published as a link (attacker QA): a reader trusts
    the address she reads. Whatever address a link's text shows, the page links it only where it leads there: the
    same host or one under it, « www. » and IDN aside; the same mail address for a « mailto: »."""
    texte = forme.format(h=montre.replace(".", point).replace("-", tiret)).replace("/", barre)
    href = cible.format(h=mene, m=montre)
    page_markdown.reset()
    html = page_markdown.convert(str(fragments.bloc(f"Début [{texte}]({href}) fin.")))
    root = lhtml.fragment_fromstring(html, create_parent="div")
    assert " ".join(root.text_content().split()).startswith(f"Début {texte} fin")  # the text is always shown

    def nu(hote):
        return hote.removeprefix("www.").encode("idna").decode()
    if "@" in forme:
        mene_la = href == f"mailto:contact@{montre}" or href.lower() == f"mailto:{texte}".lower()
    elif href.startswith("http"):
        destination = nu(href.split("//", 1)[1].split("/", 1)[0].rsplit("@", 1)[-1])
        mene_la = destination == nu(montre) or destination.endswith("." + nu(montre))
    else:
        mene_la = False
    if mene_la:  # the address as written (the page's link writes « é » as « %C3%A9 », which a browser reads back)
        assert [unquote(a.get("href")) for a in root.xpath("//a")] == [href]
    else:
        assert not root.xpath("//a"), (texte, href)



@pytest.mark.parametrize("appel", ["³", "[2]", "(1)", "12", "*4*"])
def test_a_link_never_reads_as_a_note_call_of_the_page(fragments, page_markdown, appel):
    """« Texte[³](https://evil.example/x) » passed for one of the page's source notes, leading to another site (attacker
    QA): a link whose text is figures alone is published as its text, without a link."""
    page_markdown.reset()
    html = page_markdown.convert(str(fragments.bloc(f"Texte[{appel}](https://evil.example/x) et [la page 2](https://evil.example/y).")))
    root = lhtml.fragment_fromstring(html, create_parent="div")
    assert [a.text_content() for a in root.xpath("//a")] == ["la page 2"], html


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(montre=HOTES, mene=HOTES, texte=st.sampled_from(["", " ", "le portail", "** **", "`x`"]),
       bulle=st.sampled_from(["https://{m}", "www.{m}/aides", "Le site {m}", "", "Voir {m}"]))
def test_a_link_s_tooltip_and_an_empty_text_hide_nothing(fragments, page_markdown, montre, mene, texte, bulle):
    """« [le portail](https://evil.example/ "https://www.service-public.fr") » showed the official address on hover, and
    « [ ](https://evil.example/) » was a link nobody could see (attacker QA): a link's tooltip never shows an address it
    does not lead to, and a link without text shows its address."""
    href, titre = f"https://{mene}/x", bulle.format(m=montre)
    page_markdown.reset()
    html = page_markdown.convert(str(fragments.bloc(f'Début [{texte}]({href}{f" {chr(34)}{titre}{chr(34)}" if titre else ""}) fin.')))
    liens = lhtml.fragment_fromstring(html, create_parent="div").xpath("//a")
    assert liens, html
    for lien in liens:
        assert lien.text_content().strip(), html
        if lien.get("title"):
            assert not adresse_montree_ailleurs(lien.get("title"), unquote(lien.get("href"))), html


@pytest.mark.parametrize("fin", ["| a | b |\n|---|---|\n| 1 | 2 |", "> Une citation.", "### Un titre", "---",
                                 "!!! note \"Encadré\"\n    Son texte.", "- un\n- deux", "Un paragraphe."])
def test_a_note_call_written_after_a_text_is_never_lost(fragments, page_markdown, fin):
    """A résumé ending with a table lost its source's note on the territory page (attacker QA): the templates write the
    call right after the text (« …[^1] »), which a table's last row took in. Whatever the text ends with, the call
    is on the page."""
    page_markdown.reset()
    html = page_markdown.convert(str(fragments.bloc(f"Début.\n\n{fin}")) + "[^1]\n\n[^1]: La source.")
    root = lhtml.fragment_fromstring(html, create_parent="div")
    assert root.xpath("//a[@class='footnote-ref'][@href='#fn:1']"), html
    assert "La source." in root.text_content() and "[^1]" not in root.text_content()


@pytest.mark.parametrize("genre", ["danger", "warning", "failure", "bug", "success", "question", "inconnu", "abstract",
                                   "info"])
def test_a_fiche_draws_no_alert_box(fragments, page_markdown, genre):
    """An alert box in a fiche's text read as a warning of the guide itself (attacker QA: « !!! danger "Attention" »,
    « Ce site est piraté »), an « abstract » one as the guide's « En bref » of the page: the page draws it as a note,
    its title and text kept."""
    page_markdown.reset()
    html = page_markdown.convert(str(fragments.bloc(f'!!! {genre} "Attention"\n    Ce site est piraté.')))
    boite = lhtml.fragment_fromstring(html, create_parent="div").xpath("//div[contains(@class, 'admonition')]")
    assert len(boite) == 1 and boite[0].get("class").split() == ["admonition", "note"], html
    assert "Attention" in boite[0].text_content() and "Ce site est piraté." in boite[0].text_content()

@pytest.mark.parametrize("titre", ["En bref", "EN BREF :", "en  bref"])
def test_a_fiche_s_box_never_takes_the_title_of_the_guide_s_own(fragments, page_markdown, titre):
    """« !!! info "En bref" » with a type and a population drew a second « En bref » on the page, in the colour of the
    guide's own (attacker QA): the box is drawn as a note, without that title."""
    page_markdown.reset()
    html = page_markdown.convert(str(fragments.bloc(f'!!! note "{titre}"\n    - **Type** : Métropole')))
    (boite,) = lhtml.fragment_fromstring(html, create_parent="div").xpath("//div[contains(@class, 'admonition')]")
    assert boite.get("class").split() == ["admonition", "note"] and "bref" not in boite.text_content().lower(), html
    assert "Métropole" in boite.text_content()


def test_a_field_s_html_is_shown_as_written(fragments, page_markdown):
    """In a field (not the body), HTML is text: « <b> » in a name is what the reader sees."""
    page_markdown.reset()
    html = page_markdown.convert(f"# {fragments.ligne('Zz <b>gras</b> & « x »')}")
    root = lhtml.fragment_fromstring(html, create_parent="div")
    for permalien in root.xpath("//a[@class='headerlink']"):
        permalien.drop_tree()
    assert root.xpath("//h1")[0].text_content().strip() == "Zz <b>gras</b> & « x »"
    assert not root.xpath("//b")


# The shortcut of a text without syntax (fragments._SYNTAXE_POSSIBLE) and the brackets of citations
# (parentheses.PARENTHESE): rewritten to read each character a bounded number of times (editor QA: 4,000 blank
# lines in a résumé held a build 7 minutes, 12,000 spaces after a citation the validator 6 minutes).
BLANCS = st.text(alphabet=" \t\n-+1.)>ax(;", max_size=24)


@settings(max_examples=400, deadline=None)
@given(texte=BLANCS)
def test_the_shortcut_for_plain_text_gives_what_the_conversion_gives(texte):
    from guide.rendu import fragments as f
    pieces = f.Fragments()
    assume(not f._SYNTAXE_POSSIBLE.search(texte))
    converti = pieces.html(texte)
    attendu = Markup("\n\n".join(f._ECRIVAIN.blocs(f._arbre(converti)))) if converti.strip() else Markup("")
    assert pieces.bloc(texte) == attendu, texte


@settings(max_examples=400, deadline=None)
@given(texte=BLANCS)
def test_citation_brackets_are_found_where_the_former_pattern_found_them(texte):
    from guide.modele.parentheses import PARENTHESE
    # the former pattern, with one level of brackets inside (a section's title may hold one), tried from every character
    ancien = re.compile(r"[ \t]*\n?[ \t]*\(((?:[^()]|\([^()]*\))+)\)")
    assert [m.span() for m in PARENTHESE.finditer(texte)] == [m.span() for m in ancien.finditer(texte)], texte


def test_runs_of_blank_lines_and_spaces_are_read_at_once(guide):
    """The editor's inputs, well within the bounds of a fiche: read in a blink (the former patterns: minutes)."""
    from guide.modele.parentheses import citations, noms_courts
    from guide.rendu.fragments import Fragments
    texte = "Un résumé." + "\n" * 4000 + "Fin du résumé."
    assert "Fin du résumé" in Fragments().bloc(texte)
    espaces = "Vu (Étude 2021, p. 58-63)." + " " * 12000 + "(Étude 2021, p. 60)"
    assert len(list(citations(espaces, noms_courts(guide.publications)))) == 2


def test_an_entity_never_brings_a_character_the_loader_refuses(fragments):
    """« &#x202E; » in a free text reversed the text of its page and of its search excerpt (editor QA): the loader
    refuses the character typed, not written as an entity. The validator refuses entities (html_ecrit); the
    construction writes such a one as U+FFFD (its mark of a character left out, which a fiche may not hold itself).
    Other entities are the characters they name."""
    from guide.modele.caracteres import caractere_refuse
    for entite in ("&#x202E;", "&#8238;", "&rlm;", "&#x200B;", "&zwj;", "&#x2066;", "&#1;", "&#x336;", "&#xFFFC;"):
        fragment = str(fragments.bloc(f"Fin {entite} retour *x*"))
        assert "\ufffd" in fragment and not caractere_refuse(fragment.replace("\ufffd", "")), (entite, fragment)
    assert "é" in str(fragments.bloc("R&D, r&eacute;seau *x*"))


def test_a_host_beside_an_address_written_whole_is_read_too(fragments, page_markdown):
    """A link's text that writes an address whole was read for that address alone: « https://evil.example,impots.gouv.fr »
    leading to evil.example showed an official host after the comma. Every host the text shows is its."""
    page_markdown.reset()
    html = page_markdown.convert(str(fragments.bloc("Voir [https://evil.example,impots.gouv.fr](https://evil.example/) ici.")))
    assert not lhtml.fragment_fromstring(html, create_parent="div").xpath("//a")
