"""French typography of the built site: no ISO date, no « (s) » plural, no number that wraps at its thousands.

The whole built HTML is read with lxml, text nodes only (never code, preformatted text, scripts or styles,
nor attributes such as URLs).
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import markdown
from lxml import html

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "macros"))
from guide.rendu import typographie  # noqa: E402

NON_PROSE = {"code", "pre", "script", "style", "kbd", "samp", "svg", "math"}
# An ISO date in prose; not one quoted alone, as an editor types it (« 2016-09-24/2016-09-25 » in the help pages).
_DATE = r"(?<![\d-])\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?![\d-])"
ISO_DATE = re.compile(rf"(?<!«\u202f)(?<!«\u202f\d{{4}}-\d{{2}}-\d{{2}}/){_DATE}|{_DATE}(?![/\d-]*\u202f»)")
PLURIEL_S = re.compile(r"\w\(s\)")
# a digit, an ordinary space, three digits or a unit
MILLIERS_SECABLES = re.compile(r"\d \d{3}(?!\d)|\d (?:[kKM]?€|%|(?:euros?|millions?|milliards?)\b)")
ESPACE_AVANT_PONCTUATION = re.compile(r"\w [;:!?»]|« \w")
# « p. » or « n° » and its figure apart, at an ordinary space (print QA: « Étude 2021, p. » ended lines)
# …or glued (« n°2 » beside « n° 2 » on the same pages: reader QA)
PAGE_SECABLE = re.compile(r"(?<![\w.])(?:p|pp)\. \d|n° ?\d")


def text_nodes(tree):
    """(text, element) of every text node outside code, scripts and styles."""
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag in NON_PROSE or any(a.tag in NON_PROSE for a in el.iterancestors()):
            continue
        if el.text:
            yield el.text, el
        for child in el:
            if isinstance(child.tag, str) and child.tail and child.tag not in {"script", "style"}:
                yield child.tail, el


def scan(site_dir: Path, pattern: re.Pattern, within: str | None = None) -> list[str]:
    found = []
    for path in sorted(site_dir.rglob("*.html")):
        tree = html.parse(str(path))
        roots = tree.xpath(within) if within else [tree.getroot()]
        for root in roots:
            for text, _ in text_nodes(root):
                for m in pattern.finditer(text):
                    found.append(f"{path.relative_to(site_dir)}: …{text[max(0, m.start() - 30):m.end() + 30]}…")
    return found


def test_no_iso_date_in_text(site_dir):
    found = scan(site_dir, ISO_DATE)
    assert not found, "\n".join(found[:20])


def test_no_plural_in_brackets(site_dir):
    found = scan(site_dir, PLURIEL_S)
    assert not found, "\n".join(found[:20])


def test_numbers_never_wrap_at_their_thousands_nor_before_their_unit(site_dir):
    found = scan(site_dir, MILLIERS_SECABLES)
    assert not found, "\n".join(found[:20])


def test_a_page_number_never_wraps_after_its_abbreviation(site_dir):
    found = scan(site_dir, PAGE_SECABLE)
    assert not found, "\n".join(found[:20])


def test_pages_text_has_narrow_spaces_before_high_punctuation_and_inside_guillemets(site_dir):
    """Every page's own text (the article; the theme's labels are Material's)."""
    found = scan(site_dir, ESPACE_AVANT_PONCTUATION, within="//article")
    assert not found, "\n".join(found[:20])


def test_the_checks_see_what_they_look_for(tmp_path):
    """The scanner finds each fault in a page, and spares code and addresses."""
    page = tmp_path / "index.html"
    page.write_text("<html><body><article><p>Le 2014-10-13, 3 action(s), 136 000 habitants ; « oui » (p. 4)</p>"
                    "<code>2014-10-13 action(s) 136 000 ; a p. 4</code>"
                    '<a href="https://x.org/2014-10-13?a=b">lien</a></article></body></html>', encoding="utf-8")
    for pattern, expected in ((ISO_DATE, 1), (PLURIEL_S, 1), (MILLIERS_SECABLES, 1), (ESPACE_AVANT_PONCTUATION, 2),
                              (PAGE_SECABLE, 1)):
        assert len(scan(tmp_path, pattern)) == expected, pattern


def test_markdown_text_gets_french_spaces_and_dates_but_code_and_addresses_do_not():
    out = markdown.markdown("Le 2014-10-13 : « Strasbourg » compte 500 000 habitants ! `2014-10-13 : x`\n\n"
                            "<https://exemple.org/a?b=1>", extensions=[typographie.extension()])
    assert "13 octobre 2014\u202f: «\u202fStrasbourg\u202f» compte 500\u202f000 habitants\u202f!" in out
    assert "<code>2014-10-13 : x</code>" in out
    # a figure stays with its unit (print QA: « 100 000 » ended a line, « €. » began the next)
    unites = markdown.markdown("Au-delà de 100 000 €, 400 K€, 240 000 euros, 2,6 millions d'euros et 16 % des emplois.",
                               extensions=[typographie.extension()])
    assert "100\u202f000\u00a0€, 400\u00a0K€, 240\u202f000\u00a0euros, 2,6\u00a0millions d'euros et 16\u202f% des emplois." in unites
    pages = markdown.markdown("Étude 2021, p. 16-17 ; fiche n° 4 ; pp. 3-5 ; top. 5 ; fiche n°10.", extensions=[typographie.extension()])
    assert "p.\u00a016-17\u202f; fiche n°\u00a04\u202f; pp.\u00a03-5\u202f; top. 5\u202f; fiche n°\u00a010." in pages
    assert ">https://exemple.org/a?b=1</a>" in out
    # a date quoted alone is shown as it is typed (the help pages' examples), and the site's scan spares it
    out = markdown.markdown("Tapez « 2016-09-24/2016-09-25 » ou « 2011-03-11 », adopté le 2014-10-13.",
                            extensions=[typographie.extension()])
    assert "«\u202f2016-09-24/2016-09-25\u202f» ou «\u202f2011-03-11\u202f», adopté le 13 octobre 2014." in out
    assert not ISO_DATE.search(out) and ISO_DATE.search(out.replace("»", ""))


def test_typography_never_changes_what_a_figure_or_a_number_says():
    """« En 2019 250 structures » read « 2 019 250 » once its space was made a narrow no-break one, « n° 2019-12-05 »
    became « n° 5 décembre 2019 », and « 2016-09-24/2016-10 » was printed half in words (attacker QA)."""
    out = markdown.markdown("En 2019 250 structures ; entre 2014 et 2020 300 emplois ; 12 345 678 € ; en 2021 1 500 "
                            "emplois ; la délibération n° 2019-12-05 du 2019-12-05.", extensions=[typographie.extension()])
    assert ("En 2019 250 structures\u202f; entre 2014 et 2020 300 emplois\u202f; 12\u202f345\u202f678\u00a0€\u202f; en 2021 "
            "1\u202f500 emplois\u202f; la délibération n°\u00a02019-12-05 du 5 décembre 2019.") in out, out
    assert typographie.date("2016-09-24/2016-10") == "du 24 septembre 2016 à octobre 2016"
    assert typographie.date("2016-09/2016-09-25") == "de septembre 2016 au 25 septembre 2016"


def test_filters():
    assert typographie.pluriel(0, "action") == "0 action"
    assert typographie.pluriel(1, "action") == "1 action"
    assert typographie.pluriel(3, "action") == "3 actions"
    assert typographie.pluriel(2, "champ d'action") == "2 champs d'action"
    assert typographie.pluriel(1234, "territoire") == "1\u202f234 territoires"
    assert typographie.date("2014-10-13") == "13 octobre 2014"
    assert typographie.date("2016-12-01") == "1er décembre 2016"
    assert typographie.date("2014-11") == "novembre 2014"
    assert typographie.date("novembre 2025") == "novembre 2025"
    assert typographie.avec_annee("Plan 2016-2018", 2016) == "Plan 2016-2018"
    assert typographie.avec_annee("Feuille de route", 2015) == "Feuille de route (2015)"
    assert typographie.avec_annee("Feuille de route", None) == "Feuille de route"


def test_the_table_of_contents_reads_each_heading_as_the_page_writes_it(site_dir):
    """The side table of contents (Material's, from Python-Markdown's toc) names each heading with the heading's own
    text: its narrow no-break spaces too (toc collapses every space to an ASCII one, and « Impact Positif ! » broke
    before its « ! » in the contents only: content QA)."""
    differents, vus = [], 0
    for path in sorted(site_dir.rglob("*.html")):
        tree = html.parse(str(path))
        for lien in tree.xpath('//nav[contains(@class, "md-nav--secondary")]//a[starts-with(@href, "#")]'):
            titre = tree.xpath(f'//article//*[@id="{lien.get("href")[1:]}"]')
            if not titre:
                continue
            titre = titre[0]
            for retire in titre.xpath('.//a[@class="headerlink"] | .//sup[starts-with(@id, "fnref")]'):
                retire.drop_tree()
            vus += 1
            if lien.text_content().strip() != titre.text_content().strip():
                differents.append(f"{path.relative_to(site_dir)}: {lien.text_content().strip()!r} ≠ {titre.text_content().strip()!r}")
    assert vus > 1000
    assert not differents, "\n".join(differents[:20])


def test_a_run_of_spaces_is_read_from_its_first_one_only():
    """48,000 no-break spaces in a fiche's text took 13 s to read, the pattern tried from each of them (attacker QA): a
    run before a high punctuation mark is read from its first space, and becomes one narrow space whatever its length."""
    motif = typographie._AVANT_PONCTUATION
    assert motif.search(" " * 3 + ";", 1) is None and motif.search(" " * 3 + ";").start() == 0
    texte = "Texte" + "\u00a0" * 48000 + "fin ; " + " \u00a0" * 20000 + "! »"
    assert typographie.typographier(texte) == "Texte" + "\u00a0" * 48000 + "fin\u202f;\u202f!\u202f»"


def test_a_note_s_link_back_is_bound_to_a_short_end_of_its_last_word_only():
    """The last word of a note and its link back are one unbreakable span; a long word bound whole widened a phone's
    page to 624 px (attacker QA): only what follows its last hyphen, and not beyond a short word."""
    from guide.rendu.appels import NotesExtension
    texte = ("Fait[^1]. Autre[^2].\n\n[^1]: Annexe Délibération-cadre-du-conseil-métropolitain-relative-au-programme-"
             "pluriannuel-ESS-2019-2021\n[^2]: Étude 2019, « Cadres et axes d'intervention (2019) — Les documents »\n")
    out = markdown.markdown(texte, extensions=[NotesExtension(), typographie.extension()])
    lies = re.findall(r'<span class="guide-retour-lie">([^<]*)<a', out)
    assert lies == ["2021&#160;", "documents\u202f»&#160;"] or lies == ["2021\u00a0", "documents\u202f»\u00a0"], lies
    sans = markdown.markdown(texte.replace("-2019-2021", "2019Ⅹ" * 20), extensions=[NotesExtension(), typographie.extension()])
    assert sans.count('class="guide-retour-lie"') == 1, sans
