"""Print: pages, sections and the whole guide printed to PDF by Chromium, read back with poppler.

Expected text comes from the fiches; the site chrome to keep off paper is read from the live page.
"""
from __future__ import annotations

import collections
import html
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from html import escape
from hypothesis import given, settings
from hypothesis import strategies as st
from bs4 import BeautifulSoup
from pypdf import PdfReader
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[1]

sys.path.insert(0, str(ROOT / "macros"))
from guide.sorties import impression  # noqa: E402
from guide.modele.schemas import libelles  # noqa: E402
from guide.modele.slugs import ancre_publication  # noqa: E402


def squash(text: str) -> str:
    """Letters and digits only: PDF text breaks lines and words where it likes."""
    return re.sub(r"\W+", "", text).lower()


def site_name() -> str:
    class Loader(yaml.SafeLoader):
        pass
    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)["site_name"]


def print_to_pdf(page, url: str, path: Path) -> dict:
    """Open a page, check its chrome is off paper, print it as the browser does (A4); return text and pages."""
    page.goto(url, wait_until="load")
    page.emulate_media(media="print")
    chrome = page.evaluate(CHROME)
    page.pdf(path=str(path), format="A4", prefer_css_page_size=True, print_background=True, outline=True,
             tagged=True)
    return {"chrome": chrome, **read_pdf(path)}


# The site chrome: in print media, each element must exist and show nothing; its text (tabs, footer) is
# also looked for in the PDF.
CHROME = """() => Object.fromEntries(Object.entries({
    header: '.md-header', tabs: '.md-tabs', navigation: '.md-sidebar--primary', search: '.md-search',
    footer: '.md-footer', print_buttons: '.guide-impression-actions'}).map(([name, sel]) => {
    const el = document.querySelector(sel);
    return [name, {exists: !!el, shown: !!el && el.getClientRects().length > 0, text: el ? el.textContent : ''}];
}))"""


# The body of an A4 sheet in points (impression.css: @page margins 18 mm top, 20 mm bottom), without the
# running header and the page number drawn in the margins.
BODY = ["-x", "0", "-y", "48", "-W", "595", "-H", "740"]


def pdftotext(path: Path, *options: str) -> list[str]:
    """Text of each sheet; -raw: the order Chromium drew the text in, so a table cell's text stays together."""
    text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", *options, str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    sheets = text.split("\f")
    if sheets and not sheets[-1].strip():
        sheets.pop()
    return sheets


def _sans_developpements():
    """A pattern of « SIGLE (its definition) » for every acronym of fiches/sigles.yaml: on paper an acronym the screen
    explains prints its definition after it (impression.css), which the texts compared here do not hold; in square
    brackets inside round ones (« (… ESAT [Établissement et service d'aide par le travail]…) »)."""
    sigles = yaml.safe_load((ROOT / "fiches" / "sigles.yaml").read_text(encoding="utf-8"))["sigles"]
    motifs = [re.escape(s["sigle"]) + r"\s*[(\[]\s*" + r"\W*".join(re.findall(r"\w+", s["definition"])) + r"\W*?[)\]]"
              for s in sorted(sigles, key=lambda s: -len(s["definition"]))]
    return re.compile(r"(?<!\w)(?:" + "|".join(f"({m})" for m in motifs) + ")")


SANS_DEVELOPPEMENTS = _sans_developpements()


def sans_developpements(texte: str) -> str:
    return SANS_DEVELOPPEMENTS.sub(lambda m: re.match(r"\S+", m.group(0)).group(0), texte)


def read_pdf(path: Path) -> dict:
    sheets = [sans_developpements(sheet) for sheet in pdftotext(path, *BODY)]
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
    return {"text": "\f".join(sheets), "sheets": sheets, "pages": pages,
            "size": (float(size.group(1)), float(size.group(2)))}


def margins(path: Path) -> tuple[list[str], list[str]]:
    """(running header, foot) of each sheet: the text printed in the top and bottom margins."""
    return (pdftotext(path, "-x", "0", "-y", "0", "-W", "595", "-H", "50"),
            pdftotext(path, "-x", "0", "-y", "790", "-W", "595", "-H", "52"))


def assert_clean_a4(result: dict):
    """A4 sheets, and none of the site chrome: navigation tabs, search box, footer, print buttons."""
    width, height = result["size"]
    assert abs(width - 595) < 2 and abs(height - 842) < 2, result["size"]
    body = squash(result["text"])
    for name, chrome in result["chrome"].items():
        assert chrome["exists"], f"« {name} » absent de la page : le test ne vérifierait rien"
        assert not chrome["shown"], f"« {name} » du site est imprimé"
    for name in ("tabs", "footer"):
        text = squash(result["chrome"][name]["text"])
        assert len(text) > 20 and text not in body, f"le texte de « {name} » est imprimé"


def starts_sheet(sheets: list[str], title: str, after: int = -1) -> int | None:
    """Index of the first sheet after `after` whose first text is `title`."""
    want = squash(title)
    for i, sheet in enumerate(sheets):
        if i > after and squash(sheet).startswith(want):
            return i
    return None


def sheets_in_order(sheets: list[str], titles: list[str], after: int = 0) -> list[int]:
    """The sheets that `titles` start, each after the previous one; fails naming the first title missing."""
    found = []
    for title in titles:
        after = starts_sheet(sheets, title, after)
        assert after is not None, f"« {title} » ne commence aucune page (à sa place dans l'ordre)"
        found.append(after)
    return found


def fonts_embedded(path: Path) -> list[str]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows, "aucune police : le texte n'est pas du texte"
    return [r for r in rows if r.split()[-5] != "yes"]  # the `emb` column


# ------------------------------------------------------------------------------------------------------ pages

def texte_de_note(li) -> str:
    """A note's text, without its links back (« ↩ », numbered when the note is called several times)."""
    return "".join(li.xpath(".//text()[not(ancestor::a[contains(@class, 'footnote-backref')])]"))


def test_champ_page_prints_as_a_clean_a4_document(page, served, guide, tmp_path):
    champ = max(guide.champs.values(), key=lambda c: (len(c.data.get("references", [])), len(c.actions)))
    result = print_to_pdf(page, f"{served}/champs/{champ.slug}/", tmp_path / "champ.pdf")
    assert_clean_a4(result)
    body = squash(result["text"])
    assert squash(result["sheets"][0]).startswith(squash(champ.data["titre"]))
    # the line under the title: the guide, what the page is, the date of the content, its address
    famille = libelles()["famille"][champ.data["famille"]]
    line = squash(f"{site_name()} · Fiche {famille} n° {champ.data['numero']}")
    assert line in body
    assert "versiondu" in body and squash(f"/champs/{champ.slug}/") in body
    for ref in champ.data.get("references", []):
        assert squash(ref["intitule"]) in body
    for action in champ.actions:
        assert squash(action.data["titre"]) in body
        assert squash(action.territoire.data["nom"]) in body
        # each example printed with its summary and its source (issue 25): a link cannot be followed on paper
        # (the summary as printed: a link's text, without its address)
        lu = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", action.data["resume"])
        titre, debut = squash(action.data["titre"]), squash(" ".join(lu.split()[:12]))
        entries = [m.start() for m in re.finditer(re.escape(titre), body)]
        near = [i for i in entries if 0 <= body.find(debut, i) - i < 200 + len(titre)]
        assert near, action.data["titre"]
        fenetre = body[near[0]:near[0] + len(squash(action.data["resume"])) + 400]
        if "source" not in fenetre:
            # or its note call, right after its summary, whose note names the action's source (the summary printed
            # under a lever of the page: its source is a note, as on screen)
            fin = squash(lu)[-25:]
            appel = re.match(r"\d+", fenetre[fenetre.find(fin) + len(fin):]) if fin in fenetre else None
            assert appel, (action.data["titre"], fenetre[:300])
            notes = result["text"][result["text"].find("\nNotes\n"):]

            def nomme_sa_source(numero):  # (the call's digits run into the next line's: « 25 » then « 7 500 »)
                # (a note may open a sheet: after the sheets' separator, « \f », not after a line's end)
                note = re.search(rf"(?m)(?:^|\f){numero}\.\s+(.+(?:\n(?!\d+\. ).+)?)", notes)
                return bool(note) and any(squash(c.get("section", "")) in squash(note.group(1))
                                          for c in action.data["sources"])
            chiffres = appel.group(0)
            assert any(nomme_sa_source(chiffres[:i]) for i in range(len(chiffres), 0, -1)), (action.data["titre"], chiffres)
    assert 1 <= result["pages"] <= 5 + len(champ.actions) // 2, result["pages"]
    assert not fonts_embedded(tmp_path / "champ.pdf")



def test_words_marked_by_a_search_are_not_marked_on_paper(page, served):
    """A page opened from a search result marks the words searched (« ?h=scic »); printed, it is a document
    (phone QA: every « SCIC » of the printed champ was on yellow)."""
    page.goto(f"{served}/champs/cooperation-territoriale/?h=scic")
    marques = page.locator("mark[data-md-highlight]")
    expect(marques.first).to_be_attached(timeout=10000)
    ecran = marques.first.evaluate("m => getComputedStyle(m).backgroundColor")
    page.emulate_media(media="print")
    fonds = marques.evaluate_all("ms => ms.map(m => getComputedStyle(m).backgroundColor)")
    assert ecran not in ("rgba(0, 0, 0, 0)", "transparent") and len(fonds) > 5
    assert set(fonds) == {"rgba(0, 0, 0, 0)"}, set(fonds)


def test_printed_search_results_say_what_was_searched(page, served, tmp_path):
    """The printed results of « spaser » went from the page's introduction to « 1. Champ d'action… », without the
    words searched nor the count, and with their words on yellow (printing QA)."""
    page.goto(f"{served}/recherche/?mots=spaser")
    statut = page.locator("#recherche-statut")
    expect(statut).to_contain_text("résultats pour « spaser »", timeout=20000)
    compte = statut.inner_text()
    page.emulate_media(media="print")
    page.pdf(path=str(tmp_path / "recherche.pdf"), format="A4", prefer_css_page_size=True, print_background=True)
    texte = read_pdf(tmp_path / "recherche.pdf")["text"]
    assert squash(compte) in squash(texte), compte
    # …and its address with the words searched, to find the same list again (it printed « …/recherche/ »).
    assert squash(f"{served}/recherche/?mots=spaser") in squash(texte)
    # The same on a published site, whose build writes each address whole (site_url): as it would be served.
    ligne = page.evaluate(f"""() => {{
        const el = document.querySelector(".guide-impression-ligne .guide-adresse");
        el.removeAttribute("data-base"); el.removeAttribute("data-relative"); el.textContent = "{served}/recherche/";
        window.dispatchEvent(new Event("beforeprint"));
        return el.textContent; }}""")
    assert ligne == f"{served}/recherche/?mots=spaser", ligne
    fonds = page.locator(".guide-recherche__resultats mark").evaluate_all(
        "ms => ms.map(m => getComputedStyle(m).backgroundColor)")
    assert fonds and set(fonds) == {"rgba(0, 0, 0, 0)"}, set(fonds)


def test_a_printed_list_of_search_results_says_when_it_stops_and_leaves_out_the_typing_help(page, served, tmp_path):
    """« 29 résultats pour « clauses sociales » » printed over a list that stopped at 20, nothing saying so; then two
    sheets of help on typing words, whose examples printed with their acronyms' meaning inside the quotes (« « AAP
    [Appel à projets] » trouve… »; print QA)."""
    page.goto(f"{served}/recherche/?mots=clauses+sociales")
    statut = page.locator("#recherche-statut")
    expect(statut).to_contain_text("résultats pour « clauses sociales »", timeout=20000)
    total = int(re.search(r"(\d+) résultats", statut.inner_text()).group(1))
    montres = page.locator(".guide-recherche__resultats ol > li").count()
    assert montres < total, (montres, total)  # (else nothing to check: a query with more results is needed)
    page.emulate_media(media="print")
    page.pdf(path=str(tmp_path / "recherche.pdf"), format="A4", prefer_css_page_size=True, print_background=True)
    texte = squash(read_pdf(tmp_path / "recherche.pdf")["text"])
    assert squash(f"les {montres} premiers résultats sur {total}") in texte
    assert squash("Comment la recherche lit les mots") not in texte and squash("L'ordre des résultats") not in texte
    assert squash("trouve les pages qui écrivent") not in texte
    # and on screen, the note is not shown
    page.emulate_media(media="screen")
    assert not page.locator(".guide-recherche__partiel").is_visible()


def test_a_printed_matrix_cell_gives_the_number_of_actions(page, served, guide):
    """On paper a matrix cell's links « 1 2 3 », whose titles only a pointer shows, meant nothing (« 1 2 » over « 3 »
    read as « 12 »: reader QA): each cell prints the number of the territory's actions in that champ."""
    page.goto(f"{served}/territoires/matrice/")
    page.emulate_media(media="print")
    cellules = page.evaluate("""() => [...document.querySelectorAll(".guide-matrice tbody td")].filter(td => td.querySelector("a"))
        .map(td => { const vus = [...td.querySelectorAll(":scope > a")].filter(a => a.getClientRects().length > 0);
                     return [td.querySelectorAll(":scope > a").length, vus.map(a => a.firstChild.textContent.trim())]; })""")
    assert len(cellules) >= len(guide.territoires)
    assert any(n > 1 for n, _ in cellules)
    for n, vus in cellules:
        assert vus == [str(n)], (n, vus)
    # In italics where every action of the cell is a mention, as the page's introduction says, and there alone (print
    # QA: Bordeaux Métropole's « 3 », two actions and a mention, took the italics of its last link).
    styles = page.evaluate("""() => [...document.querySelectorAll(".guide-matrice tbody td")].filter(td => td.querySelector("a"))
        .map(td => { const liens = [...td.querySelectorAll(":scope > a")];
                     return [liens.every(a => a.classList.contains("guide-matrice__mention")),
                             liens.some(a => a.classList.contains("guide-matrice__mention")),
                             getComputedStyle(liens[liens.length - 1]).fontStyle]; })""")
    assert any(mixte and not toutes for toutes, mixte, _ in styles) and any(toutes for toutes, _, _ in styles)
    assert all((style == "italic") == toutes for toutes, _, style in styles), styles


def test_a_page_printed_alone_names_itself_on_every_sheet_after_the_first(page, served, guide, tmp_path):
    """A territory page printed from the browser (22 sheets for the longest) named itself on its first sheet only: a
    loose sheet could not be put back in its fiche (printing QA)."""
    terr = max(guide.territoires.values(), key=lambda t: len(t.actions))
    result = print_to_pdf(page, f"{served}/territoires/{terr.slug}/", tmp_path / "territoire.pdf")
    entetes, _ = margins(tmp_path / "territoire.pdf")
    assert result["pages"] > 3 and len(entetes) == result["pages"]
    assert not entetes[0].strip(), entetes[0]  # the first sheet has the title itself
    nom = squash(terr.data["nom"])
    assert all(nom in squash(e) and squash(site_name()) in squash(e) for e in entetes[1:]), entetes[:3]
    # A title holding « & » or « ' » read « R&amp;D sociale », « d&#39;intervention » (attacker QA): as the page says it.
    champ = next(c for c in guide.champs.values() if "&" in c.titre_court)
    result = print_to_pdf(page, f"{served}/champs/{champ.slug}/", tmp_path / "champ.pdf")
    entetes, _ = margins(tmp_path / "champ.pdf")
    assert all(" ".join(e.split()) == f"{site_name()} · {champ.titre_court}" for e in entetes[1:]), entetes[:3]

def test_paper_prints_an_acronyms_expansion_without_the_tooltips_word_on_its_origin(page, served, site_dir, tmp_path):
    """The tooltip of an acronym whose expansion no publication gives says so; paper prints the expansion in the
    text, where that word read as part of it (reader QA: « 1 ETP (Équivalent temps plein — développement officiel,
    absent des publications) » in a printed fiche)."""
    from guide.rendu.sigles import OFFICIELLE
    for chemin in sorted((site_dir / "territoires").glob("*/index.html")):
        abbr = BeautifulSoup(chemin.read_text(encoding="utf-8"), "html.parser").select_one("article abbr[data-developpement]")
        if abbr is not None:
            break
    else:
        pytest.fail("aucune page territoire n'explique un sigle au développement officiel")
    assert abbr["title"].endswith(OFFICIELLE)  # the screen's tooltip keeps it
    print_to_pdf(page, f"{served}/territoires/{chemin.parent.name}/", tmp_path / "sigle.pdf")
    texte = squash("".join(pdftotext(tmp_path / "sigle.pdf")))  # as printed, expansions included
    assert squash(f"{abbr.get_text()} ({abbr['data-developpement']})") in texte
    assert squash(OFFICIELLE.strip(" —")) not in texte

def test_an_acronym_explained_inside_brackets_prints_its_meaning_in_square_brackets(page, served, tmp_path):
    """Printed, « (analyse du RTES (Réseau des collectivités…)) » and « (DLA (Dispositif local d'accompagnement)) »,
    some forty times in the guide (reader QA): inside a bracket of the text, the meaning is in square brackets."""
    page.emulate_media(media="print")
    page.goto(f"{served}/champs/achats-responsables/")
    lus = page.evaluate("""() => [...document.querySelectorAll("article abbr[title]")]
        .filter(a => !a.closest("h1, h2, h3, h4, h5, h6, td:first-child > strong"))
        .map(a => {
            const r = document.createRange();
            r.setStart(a.closest("p, li, td, th, dd, dt, blockquote, div, figcaption, caption"), 0);
            r.setEndBefore(a);
            const avant = r.toString();
            return [a.textContent, avant.split("(").length > avant.split(")").length,
                    getComputedStyle(a, "::after").content];
        })""")
    dedans = [(s, c) for s, entre, c in lus if entre]
    dehors = [(s, c) for s, entre, c in lus if not entre]
    assert dedans and dehors, lus
    assert all(c.startswith('" [') for _, c in dedans) and all(c.startswith('" (') for _, c in dehors), lus
    page.emulate_media(media="screen")
    texte = squash("".join(print_to_pdf(page, f"{served}/champs/achats-responsables/", tmp_path / "a.pdf")["text"]))
    sigle, contenu = dedans[0]
    assert squash(f"{sigle} [") in texte, sigle


def test_territory_page_prints_as_a_clean_a4_document(page, served, guide, tmp_path):
    terr = max((t for t in guide.territoires.values() if "site_web" in t.data.get("identite", {})),
               key=lambda t: len(t.actions))
    result = print_to_pdf(page, f"{served}/territoires/{terr.slug}/", tmp_path / "territoire.pdf")
    assert_clean_a4(result)
    body = squash(result["text"])
    assert squash(result["sheets"][0]).startswith(squash(terr.data["nom"]))
    assert squash(terr.data["region"]) in body and squash(f"/territoires/{terr.slug}/") in body
    for action in terr.actions:
        assert squash(action.data["titre"]) in body
    # an address shown as the link's text is printed once, not followed by itself
    url = terr.data["identite"]["site_web"]["url"]
    assert body.count(squash(url)) == 1
    # Paper is used densely: the page count follows the text, not the number of actions (one action may carry
    # the reports of several publications, merged so that each fact is printed once).
    chars = sum(len(sheet.strip()) for sheet in result["sheets"])
    assert 1 <= result["pages"] <= 2 + chars // 1500, (result["pages"], chars)


def test_a_territory_printed_alone_carries_the_actions_it_shares(page, served, guide, tmp_path):
    """An action carried with other territories is written once, on its carrier's fiche; a co-carrier's page links to
    it, which paper cannot follow: printed, the page gives each shared action with its summary and source (a
    territory whose only action is shared printed nothing of it)."""
    terr = min((t for t in guide.territoires.values() if t.actions_partagees), key=lambda t: (len(t.actions), t.slug))
    page.goto(f"{served}/territoires/{terr.slug}/")
    partagees = page.locator("h3#actions-partagees-avec-dautres-territoires + ul > li")
    assert partagees.count() == len(terr.actions_partagees)
    imprimes = []
    for i, action in enumerate(terr.actions_partagees):
        item = partagees.nth(i)
        assert squash(action.data["titre"]) in squash(item.inner_text())
        resume = item.locator("span.guide-imprime")
        assert not resume.is_visible()  # on screen, the link to the action on its carrier's page
        imprimes.append(resume.text_content())
    result = print_to_pdf(page, f"{served}/territoires/{terr.slug}/", tmp_path / "partagees.pdf")
    body = squash(result["text"])
    for texte in imprimes:
        assert "Source" in texte and squash(texte) in body, texte


def test_paper_lists_the_fiche_s_publications_the_notes_do_not_already_give(page, served, site_dir, guide, tmp_path):
    """« Publications dont la fiche est tirée » repeated, on paper, citations the numbered notes above give word for
    word; its last lines then took a sheet of their own at the end of several fiches (reader QA). Printed, it keeps
    only the others; on screen, the whole list."""
    from lxml import html as lxml_html
    vus = {"en partie": None, "en entier": None}
    for t in sorted(guide.territoires.values(), key=lambda t: t.slug):
        doc = lxml_html.parse(str(site_dir / "territoires" / t.slug / "index.html"))
        notes = {" ".join(texte_de_note(li).split()) for li in doc.xpath("//div[@class='footnote']//li")}
        titre = doc.xpath("//details[contains(@class, 'guide-notes-sources')]/p[starts-with(strong, 'Publications dont la fiche est tirée')]")
        if not titre:
            continue
        items = titre[0].xpath("following-sibling::ul[1]/li")
        repetees = [li for li in items if li.xpath(".//span[@class='guide-en-note']")]
        # Only what the notes give word for word is marked, and all of it.
        assert {" ".join(li.text_content().split()) for li in repetees} <= notes, t.slug
        assert all(" ".join(li.text_content().split()) not in notes for li in items if li not in repetees), t.slug
        assert ("guide-en-note" in (titre[0].get("class") or "")) == (len(repetees) == len(items)), t.slug
        cle = "en entier" if len(repetees) == len(items) else "en partie" if repetees else None
        if cle and vus[cle] is None:
            vus[cle] = (t, [" ".join(li.text_content().split()) for li in items], len(repetees))
    assert all(vus.values()), vus  # the real fiches have both cases
    for cle, (t, textes, n) in vus.items():
        page.emulate_media(media="screen")  # (print_to_pdf leaves the page in print media)
        page.goto(f"{served}/territoires/{t.slug}/")
        liste = page.locator("details.guide-notes-sources > p:has(strong) + ul").last
        assert liste.locator("li").count() == len(textes)  # the screen lists them all
        page.locator("details.guide-notes-sources > summary").last.click()  # opened, as a reader does
        expect(liste).to_be_visible()
        assert not page.get_by_text("celles que les notes ci-dessus ne citent pas").is_visible()
        result = print_to_pdf(page, f"{served}/territoires/{t.slug}/", tmp_path / f"{t.slug}.pdf")
        texte = squash(result["text"])
        assert (squash("Publications dont la fiche est tirée") in texte) == (cle == "en partie"), t.slug
        # …saying so: printed 2 of its 7 entries, the heading read as the whole list (reader QA); the screen's says nothing
        precision = squash("Publications dont la fiche est tirée (celles que les notes ci-dessus ne citent pas)")
        assert (precision in texte) == (cle == "en partie"), t.slug
        # Nothing is lost: each citation is still printed, a repeated one as its note.
        assert all(squash(c) in texte for c in textes), t.slug


def test_external_link_prints_its_address(page, served, guide, tmp_path):
    """A link whose text is not its address gets the address in brackets on paper (marked by the build)."""
    marked = impression._marquer_lien_externe(re.match(r"<a\s[^>]*>(.*?)</a>", (
        '<a href="https://exemple.org/page">le site du réseau</a>')))
    assert 'class="guide-externe"' in marked
    terr = next(iter(guide.territoires.values()))
    page.goto(f"{served}/territoires/{terr.slug}/")
    page.evaluate("html => document.querySelector('article').insertAdjacentHTML('beforeend', html)",
                  f"<p>Voir {marked}.</p>")
    page.pdf(path=str(tmp_path / "lien.pdf"), format="A4")
    body = squash(read_pdf(tmp_path / "lien.pdf")["text"])
    assert squash("le site du réseau (https://exemple.org/page)") in body


# --------------------------------------------------------------------------------------------------- sections

def test_every_page_offers_print_and_section_indexes_offer_their_section(site_dir, guide):
    # /admin/ is the editors' form (Decap CMS, tests/test_decap.py), not a page of the guide.
    pages = [p for p in site_dir.rglob("index.html") if p.relative_to(site_dir).parts[0] != "admin"]
    assert len(pages) > len(guide.champs) + len(guide.territoires)
    for html_file in pages:
        assert 'class="md-button guide-imprimer"' in html_file.read_text(encoding="utf-8"), html_file
    sections = impression.sections(guide, libelles())
    for s in sections:
        assert (site_dir / s.url / "index.html").is_file(), s.url
    for s in sections:
        if s.index_src and s.region is None:
            index = (site_dir / impression.url_de(s.index_src) / "index.html").read_text(encoding="utf-8")
            link = re.search(r'<a class="md-button guide-imprimer-section" href="([^"]+)">([^<]+)</a>', index)
            assert link, s.index_src
            label = "Imprimer le guide complet" if s.ident == impression.GUIDE_ID else "Imprimer la section"
            assert link.group(2).strip() == label
            target = (site_dir / impression.url_de(s.index_src) / link.group(1)).resolve()
            assert target == (site_dir / s.url).resolve()
    regions = (site_dir / "territoires" / "index.html").read_text(encoding="utf-8")
    for s in sections:
        if s.region:
            assert f'href="../{s.url}"' in regions, s.region


def test_a_page_leads_to_the_one_section_that_prints_it(site_dir, guide):
    """« Imprimer la section « X » » on a page means section X prints that page, and no other section does: the
    sources page, an annex of every section, offered the last region's booklet (reader QA: « Territoires —
    Provence-Alpes-Côte d'Azur » on the list of publications)."""
    sections = impression.sections(guide, libelles())
    imprimee_par = collections.defaultdict(set)
    for s in sections:
        if s.ident != impression.GUIDE_ID:
            for partie in s.parties:
                imprimee_par[impression.url_de(partie.src)].add(s.titre)
    from lxml import html as lxml_html
    offertes = 0
    for html_file in site_dir.rglob("index.html"):
        url = html_file.parent.relative_to(site_dir).as_posix() + "/"
        texte = html_file.read_text(encoding="utf-8")
        if "guide-imprimer-appartient" not in texte:
            continue
        for lien in lxml_html.fromstring(texte).xpath("//a[contains(@class, 'guide-imprimer-appartient')]"):
            titre = re.fullmatch(r"Imprimer la section «\s*(.+?)\s*»", " ".join(lien.text_content().split())).group(1)
            offertes += 1
            assert imprimee_par[url] == {titre}, (url, titre, imprimee_par[url])
    assert offertes >= len(guide.champs) + len(guide.territoires)
    sources = (site_dir / "ressources" / "sources" / "index.html").read_text(encoding="utf-8")
    assert len(imprimee_par["ressources/sources/"]) > 1 and "guide-imprimer-appartient" not in sources


def test_a_page_printed_alone_names_in_full_each_publication_its_notes_cite(page, served, site_dir, guide, tmp_path):
    """A page's notes name their publications by a short label (« Étude 2021, p. 28-31 »), which on screen links to the
    sources page: printed alone, an élue could not tell what « Étude 2021 » was (print QA). The page prints each
    publication it cites in full, once, after its notes; on screen it is not shown, and a printed section, whose
    annex lists them all, does not repeat it under each part."""
    from lxml import html as lxml_html
    def citees(src):
        doc = lxml_html.parse(str(site_dir / src / "index.html"))
        return {a.get("href").rsplit("#", 1)[1] for a in doc.xpath("//div[@class='footnote']//a[contains(@href, 'sources/#')]")}
    terr = max(guide.territoires.values(), key=lambda t: (len(citees(f"territoires/{t.slug}")), t.slug))
    for src in (f"territoires/{terr.slug}", "champs/achats-responsables"):
        ids = citees(src)
        assert ids and ids <= {ancre_publication(pid) for pid in guide.publications}, ids
        page.emulate_media(media="screen")
        page.goto(f"{served}/{src}/")
        assert not page.locator("p.guide-publications-citees").is_visible()
        texte = squash(print_to_pdf(page, f"{served}/{src}/", tmp_path / "seule.pdf")["text"])
        assert texte.count(squash("Publications citées")) == 1, src
        for pub in (p for pid, p in guide.publications.items() if ancre_publication(pid) in ids):
            assert texte.count(squash(pub["titre"])) >= 1, (src, pub["titre"])
    section = next(s for s in impression.sections(guide, libelles()) if s.region == terr.data["region"])
    texte = squash(print_to_pdf(page, f"{served}/{section.url}", tmp_path / "section.pdf")["text"])
    assert squash("Publications citées") not in texte


def test_every_printed_section_ends_with_the_publications_its_notes_name(site_dir, guide):
    """A section read alone said nowhere what « Étude 2019 » or « Pages RTES… » of its notes were (reader QA): each
    section's contents end with the list of the publications, and its page holds each one's title."""
    from lxml import html as lxml_html
    for section in impression.sections(guide, libelles()):
        assert section.parties[-1].src == impression.SOURCES_SRC, section.ident
        texte = " ".join(lxml_html.parse(str(site_dir / section.url / "index.html")).xpath("//article")[0]
                         .text_content().split())
        for pub in guide.publications.values():
            assert " ".join(pub["titre"].split()).replace("'", "’")[:40] in texte.replace("'", "’"), (section.ident, pub["titre"])


def test_plain_build_links_no_pdf_and_keeps_print_pages_out_of_search(site_dir):
    assert not (site_dir / "pdf").exists()
    for html_file in site_dir.rglob("*.html"):
        text = html_file.read_text(encoding="utf-8")
        assert ".pdf\"" not in text and "Télécharger en PDF" not in text, html_file
    index = (site_dir / "search" / "search_index.json").read_text(encoding="utf-8")
    assert '"location":"imprimer/' not in index


def test_region_section_prints_each_territory_on_its_own_sheets(page, served, guide, tmp_path):
    region, territoires = max(guide.par_region(), key=lambda kv: len(kv[1]))
    section = next(s for s in impression.sections(guide, libelles()) if s.region == region)
    result = print_to_pdf(page, f"{served}/{section.url}", tmp_path / "region.pdf")
    assert_clean_a4(result)
    sheets = result["sheets"]
    # the title and contents share the first sheet with the first territory: no sheet almost empty
    assert squash(sheets[0]).startswith(squash(section.titre))
    first = squash(sheets[0]).find(squash(territoires[0].data["nom"]) + squash(site_name()))
    assert first > 0, "la première fiche ne commence pas sur la première page"
    # printed from the browser, the contents have no page numbers: the first sheet says how to find a part on paper
    # (reader QA); the PDF command's books have the numbers and not this line (test_book_contents_…)
    assert squash("le titre de chacune est rappelé en haut de ses pages") in squash(sheets[0])
    # …and the running header begins on the second sheet, under the part it names: the first opens with the
    # section's title (reader QA: the first fiche's name stood above the section's contents)
    entetes = margins(tmp_path / "region.pdf")[0]
    assert not entetes[0].strip() and squash(territoires[0].data["nom"]) in squash(entetes[1]), entetes[:2]
    sheets_in_order(sheets, [t.data["nom"] for t in territoires[1:]])
    body = squash(result["text"])
    for t in territoires:
        for action in t.actions:
            assert squash(action.data["titre"]) in body
            # folded on screen, printed open (issue 25)
            assert squash(" ".join(action.data["resume"].split()[:12])) in body, action.data["titre"]
    # no sheet holds only the notes of a fiche: they stay with the text before them (issue 25)
    assert not [i + 1 for i, sheet in enumerate(sheets) if squash(sheet).startswith("notes")]
    # no action's title (and its line of badges) alone at the bottom of a sheet, its text on the next
    seules = []
    for t in territoires:
        for action in t.actions:
            # (the summary as printed: a link's text, without its address)
            lu = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", action.data["resume"])
            titre, debut = squash(action.data["titre"]), squash(" ".join(lu.split()[:8]))
            # its title, or the line of its folded block when it comes first there (« 1 action : … », « 2 actions :
            # … · … »), which stayed behind alone too
            titres = [i for i, sheet in enumerate(sheets) if titre in squash(sheet)]
            lignes = [i for i, sheet in enumerate(sheets) if re.search(r"\d+actions?" + re.escape(titre), squash(sheet))]
            for i in set(titres[-1:] + lignes):
                if i + 1 < len(sheets) and debut not in squash(sheets[i]) and debut in squash(sheets[i + 1]):
                    seules.append(f"{t.data['nom']} : {action.data['titre']} (p. {i + 1})")
    assert not seules, seules
    # nor a paragraph that titles what follows (« Publications dont la fiche est tirée ») as a sheet's last line
    # (a paragraph that is its bold words only: « Ce que le guide en tire : … » of the sources annex goes on)
    intertitres = {squash(t) for t in page.locator("article p:has(> strong:only-child)").evaluate_all(
        "ps => ps.filter(p => p.textContent.trim() === p.querySelector(':scope > strong').textContent.trim())"
        ".map(p => p.innerText)")}
    assert intertitres, "aucun intertitre en gras dans la section : rien à vérifier"
    lues = subprocess.run(["pdftotext", "-enc", "UTF-8", *BODY, str(tmp_path / "region.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout.split("\f")
    derniere = [[ligne for ligne in feuille.splitlines() if ligne.strip()][-1:] for feuille in lues[:-1]]
    assert not [(i + 1, d[0]) for i, d in enumerate(derniere) if d and squash(d[0]) in intertitres]
    assert len(territoires) <= result["pages"] <= 6 * len(territoires) + 2, result["pages"]


def test_whole_guide_prints_as_a_booklet_in_publication_order(page, served, livre, guide, livre_lu):
    # The book as the PDF command publishes it (printing the whole guide twice more here would add a minute);
    # the chrome is read on the page it prints, in print media. (Its time is measured by scripts/benchmark.py.)
    page.goto(f"{served}/imprimer/", wait_until="load")
    page.emulate_media(media="print")
    result = {"chrome": page.evaluate(CHROME), **livre_lu}
    assert_clean_a4(result)
    sheets = result["sheets"]
    cover = squash(sheets[0])
    assert cover.startswith(squash(site_name()))
    assert squash(f"{len(guide.territoires)} fiches territoire") in cover
    assert "sommaire" not in cover and squash(sheets[1]).startswith("sommaire")
    # every champ, then every territory, starts a sheet, in the order of the 2021 publication
    champs = sheets_in_order(sheets, [c.data["titre"] for c in guide.champs.values()])
    sheets_in_order(sheets, [t.data["nom"] for _, items in guide.par_region() for t in items], champs[-1])
    n = len(guide.champs) + len(guide.territoires)
    assert n + 2 <= result["pages"] <= 8 * n, result["pages"]
    # bookmarks (PDF outline) and the linked table of contents
    xml = subprocess.run(["pdftohtml", "-i", "-xml", "-stdout", "-l", "3", str(livre)],
                         capture_output=True, text=True, check=True).stdout
    assert "<outline>" in xml
    outline = re.findall(r'<item page="(\d+)">', xml)
    assert len(outline) >= n
    toc_links = re.findall(r'<a href="[^"#]*#(\d+)">', xml.split("</page>")[1] + xml.split("</page>")[2])
    assert len(toc_links) >= n and max(map(int, toc_links)) > 0.8 * result["pages"]
    assert not fonts_embedded(livre)


# ------------------------------------------------------------------------------------------------ PDF command

def test_pdf_command_publishes_linked_pdfs(livres, guide):
    section = next(s for s in impression.sections(guide, libelles()) if s.ident == "focus")
    pdf = livres / section.pdf
    read = read_pdf(pdf)
    body = squash(read["text"])
    assert squash(read["sheets"][0]).startswith(squash(section.titre))   # the first part follows the contents
    for partie in section.parties[1:]:
        assert starts_sheet(read["sheets"], partie.titre) is not None, partie.titre
    assert squash(f"https://guide.example.org/{section.url}") in body and "127001" not in body
    assert not fonts_embedded(pdf)
    links = subprocess.run(["pdftohtml", "-i", "-xml", "-stdout", str(pdf)], capture_output=True, text=True,
                           check=True).stdout
    assert "127.0.0.1" not in links
    # the pages of a printed section link its PDF, the others none; the home page links the whole guide's
    focus = (livres / "focus" / "index.html").read_text(encoding="utf-8")
    assert 'href="../pdf/focus.pdf"' in focus and "Télécharger en PDF" in focus
    assert 'href="pdf/guide.pdf"' in (livres / "index.html").read_text(encoding="utf-8")
    # each link says how many pages it downloads, as the PDF has them (reader QA: the whole guide's button printed
    # hundreds of sheets without a word of it)
    for page, nom in (("focus/index.html", "focus.pdf"), ("index.html", "guide.pdf")):
        pages = len(PdfReader(str(livres / "pdf" / nom)).pages)
        assert pages > 1 and f"({pages} pages)</a>" in (livres / page).read_text(encoding="utf-8"), (page, pages)
    assert ".pdf" not in (livres / "leviers" / "index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in (livres / "pdf").iterdir()) == ["focus.pdf", "guide.pdf"]
    # an unknown section is refused in French
    bad = subprocess.run([sys.executable, "scripts/pdf.py", "--section", "inconnue"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode != 0 and "Section inconnue" in bad.stderr


# --------------------------------------------------------------------------------------------- the guide as a book

@pytest.fixture(scope="module")
def livres(site_dir, tmp_path_factory):
    """The site as the PDF command publishes it with two books: the whole guide and the « focus » section
    (one run: each run ends with a complete build)."""
    out = tmp_path_factory.mktemp("livres") / "site"
    result = subprocess.run([sys.executable, "scripts/pdf.py", "--depuis", str(site_dir), "--section", "guide",
                             "--section", "focus", "--sortie", str(out), "--adresse", "https://guide.example.org/"],
                            cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr + result.stdout
    return out


@pytest.fixture(scope="module")
def livre(livres):
    """The whole guide printed by the PDF command (scripts/pdf.py), as published."""
    return livres / "pdf" / "guide.pdf"


@pytest.fixture(scope="module")
def livre_lu(livre) -> dict:
    """The whole guide's text as read_pdf gives it, read once for the tests that read it (4 s a reading)."""
    return read_pdf(livre)


@pytest.fixture(scope="module")
def livre_feuilles(livre) -> list[str]:
    """The whole guide's body text, sheet by sheet, in reading order (not -raw: a line as printed), read once."""
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *BODY, str(livre), "-"], capture_output=True, text=True,
                          check=True).stdout.split("\f")


def toc_pages(sheets: list[str], titles: list[str]) -> dict[str, int]:
    """The page the printed table of contents gives for each title (the number that follows the title)."""
    start = next(i for i, sheet in enumerate(sheets) if squash(sheet).startswith("sommaire"))
    toc = "".join(squash(sheet) for sheet in sheets[start:start + 4])
    out = {}
    for title in titles:
        m = re.search(re.escape(squash(title)) + r"(\d+)", toc)
        assert m, f"« {title} » sans numéro de page dans le sommaire"
        out[title] = int(m.group(1))
    return out


def test_book_leaves_no_notes_heading_alone_at_the_foot_of_a_sheet(livre_feuilles):
    """« Notes » ended sheets 134, 248, 321… of the whole guide, its notes on the next (a break was allowed between
    the rule that opens the notes and their list)."""
    lues = livre_feuilles
    lignes = [[ligne.strip() for ligne in feuille.splitlines() if ligne.strip()] for feuille in lues[:-1]]
    assert sum(feuille.count("Notes") for feuille in lignes) > 50, "pas de titre « Notes » lu dans le livre"
    dernieres = [feuille[-1:] for feuille in lignes]
    assert not [i + 1 for i, d in enumerate(dernieres) if d == ["Notes"]]


def test_book_leaves_no_title_of_a_list_alone_at_the_foot_of_a_sheet(livre_feuilles):
    """« Remarques sur les chiffres et les sources » ended a sheet of the Grand Est section, its one remark alone on the
    next (print QA): a paragraph that only titles what follows stays with it."""
    lues = livre_feuilles
    lignes = [[ligne.strip() for ligne in feuille.splitlines() if ligne.strip()] for feuille in lues[:-1]]
    titres = ("Remarques sur les chiffres et les sources", "Publications dont la fiche est tirée")
    assert sum(ligne.startswith(titres) for feuille in lignes for ligne in feuille) > 50
    assert not [(i + 1, f[-1]) for i, f in enumerate(lignes) if f and f[-1].startswith(titres)]


def test_book_gives_no_sheet_to_the_last_lines_of_a_fiche_s_notes(livre_feuilles):
    """« Publications dont la fiche est tirée » and its one source, or « Remarques sur les chiffres et les sources » and
    its one remark, took a sheet of their own after their fiche's last: eleven sheets of the whole guide held one to
    three lines (reader QA). The end of the notes stays with what comes before it."""
    lignes = [[ligne.strip() for ligne in feuille.splitlines() if ligne.strip()] for feuille in livre_feuilles]
    titres = ("Remarques sur les chiffres et les sources", "Publications dont la fiche est tirée")
    assert sum(ligne.startswith(titres) for feuille in lignes for ligne in feuille) > 50
    seules = [(i + 1, f) for i, f in enumerate(lignes) if f and f[0].startswith(titres) and len(f) <= 3]
    assert not seules, seules


def test_book_leaves_no_legal_references_heading_without_its_table(livre_feuilles):
    """« Références juridiques et réglementaires » and its sentence (« … le droit a pu changer depuis. ») ended sheets 24
    and 55 of the levers' booklet, the table on the next (département agent's QA): they stay with their table."""
    lignes = [[ligne.strip() for ligne in feuille.splitlines() if ligne.strip()] for feuille in livre_feuilles]
    assert sum("le droit a pu changer depuis." in ligne for feuille in lignes for ligne in feuille) >= 10
    seules = [i + 1 for i, feuille in enumerate(lignes)
              if feuille and (feuille[-1].endswith("changer depuis.") or feuille[-1].startswith("Références juridiques"))]
    assert not seules, seules


def test_book_begins_no_sheet_with_the_last_line_of_an_action(livre):
    """« Action portée avec : Metz Métropole. » began a sheet, its action on the sheet before (reader QA; 11 sheets of
    the whole guide began with an action's co-carriers, partners or levers). They stay with its text."""
    feuilles = pdftotext(livre, "-x", "0", "-y", "48", "-W", "595", "-H", "740")
    premieres = [next((l.strip() for l in f.splitlines() if l.strip()), "") for f in feuilles]
    suites = re.compile(r"^(Action portée avec|Mention partagée avec|Partenaires|Leviers?)\s?:")
    assert sum(bool(suites.match(l.strip())) for f in feuilles for l in f.splitlines()) > 100
    assert not [(i + 1, l) for i, l in enumerate(premieres) if suites.match(l)]


def test_book_leaves_no_territory_or_action_title_alone_at_the_foot_of_a_sheet(livre_feuilles, guide):
    """In a champ's examples, a territory's name and its line (« Métropole · Pays de la Loire ») ended sheets 46,
    57, 82… of the whole guide, its actions on the next; an action's title and badge (« Un garage solidaire (voir
    p. 534) Exemple ») ended others, its text on the next (reader QA)."""
    from guide.modele.schemas import libelles
    noms = libelles()
    chapeaux = {squash(f"{noms['type'][t.data['type']]} · {t.data['region']}") for t in guide.territoires.values()}
    badges = tuple(squash(b) for b in noms["nature"].values())
    lues = livre_feuilles
    dernieres = [[ligne.strip() for ligne in feuille.splitlines() if ligne.strip()][-2:] for feuille in lues[:-1]]
    assert sum("·" in ligne and squash(ligne) in chapeaux for feuille in lues for ligne in feuille.splitlines()) > 50
    # An action another fiche carries, under a co-carrier (« … (fiche Plaine Commune) Mention »), prints no text of
    # its own (its carrier's entry does): nothing of it is left for the next sheet.
    def chez_un_coporteur(d: list) -> bool:
        return "(fiche " in d[-1] or (squash(d[-1]) in badges and len(d) > 1 and "(fiche " in d[-2])

    # (a territory's line is « Métropole · Pays de la Loire », its dot printed: a sentence ending « … Région
    # Bretagne). » at a sheet's foot is not one)
    # (a badge is a line of its own, « Mention »: the territory table's « (dont 1 mention) », its count's second line
    # on paper, is not one)
    seules = [(i + 1, d[-1]) for i, d in enumerate(dernieres)
              if d and not chez_un_coporteur(d) and ("·" in d[-1] and squash(d[-1]) in chapeaux
                                                     or d[-1] in noms["nature"].values()
                                                     or "voirp" in squash(d[-1]) and squash(d[-1]).endswith(badges))]
    assert not seules, seules


def test_book_contents_give_the_page_where_each_title_is_printed(livre_lu, guide):
    read = livre_lu
    sheets = read["sheets"]
    assert squash("rappelé en haut de ses pages") not in squash(" ".join(sheets[:6]))  # said only without the numbers
    territoires = [t for _, items in guide.par_region() for t in items]
    sample = territoires[:: max(1, len(territoires) // 12)] + territoires[-1:]
    titles = [c.data["titre"] for c in guide.champs.values()] + [t.data["nom"] for t in sample]
    for title, number in toc_pages(sheets, titles).items():
        assert 1 <= number <= read["pages"], (title, number)
        assert squash(sheets[number - 1]).startswith(squash(title)), (
            f"le sommaire renvoie « {title} » à la page {number}, qui commence par « {sheets[number - 1][:60]} »")


def test_three_digit_page_numbers_stay_within_the_printed_page(page, served):
    """A contents entry's page number of three digits stuck out of the page by 3 px (Material's border-box took the
    padding out of its 3ch), and Chromium shrank the whole document to fit: the « leviers » section, once past
    page 100, printed shrunk, then not, and its page numbers never settled (`pdf.py` stopped)."""
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.goto(f"{served}/imprimer/leviers/")
    page.emulate_media(media="print")
    assert page.locator(".guide-sommaire-page").count() > 0
    largeur = page.evaluate("""() => {
        for (const el of document.querySelectorAll(".guide-sommaire-page")) el.textContent = "999";
        return [document.documentElement.scrollWidth, document.documentElement.clientWidth]; }""")
    assert largeur[0] <= largeur[1], largeur


def _script_de_pdf(nom: str) -> str:
    """A script scripts/pdf.py runs in the page before printing (read from it, not copied)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("pdf_du_guide", ROOT / "scripts" / "pdf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, nom)


def test_the_pdf_command_prints_no_bare_path_without_a_public_address(page, served, guide):
    """Run without a public address, scripts/pdf.py printed « /territoires/ca-haguenau/ » under each title, which
    cannot be typed anywhere from paper (print QA): it prints the line without it, not ending in « · », and with an
    address, the page's whole address."""
    prepare = _script_de_pdf("PREPARE")
    terr = next(iter(guide.territoires.values()))
    for adresse, attendue in (("", None), ("https://guide.example.org/", f"https://guide.example.org/territoires/{terr.slug}/")):
        page.goto(f"{served}/territoires/{terr.slug}/")
        page.evaluate(prepare, [adresse, "Titre"])
        ligne = page.locator(".guide-impression-ligne").first
        texte = " ".join(ligne.inner_text().split())
        assert ligne.locator(".guide-adresse").count() == (0 if attendue is None else 1), texte
        assert not texte.endswith("·") and f"/territoires/{terr.slug}/" not in texte.replace(attendue or "\0", ""), texte
        if attendue:
            assert texte.endswith(attendue), texte


def test_every_printed_section_fits_the_width_of_an_a4_sheet(page, served, guide):
    """Nothing wider than the printable width of the sheet (A4 less its margins: 176 mm, 665 px), with every
    cross-reference's page number at three digits: Chromium shrinks the whole document to fit anything wider.
    The table of territories, one « (voir p. 219) » after each name, was 752 px wide, and the whole guide printed
    at 88 % (reader QA: 8.9 pt text on 602 sheets)."""
    renvois, numeros = _script_de_pdf("RENVOIS"), _script_de_pdf("NUMEROS_RENVOIS")
    page.set_viewport_size({"width": 665, "height": 1000})
    page.emulate_media(media="print")
    # The whole guide holds every part; a family's and a region's sections, their own cover and contents.
    sections = impression.sections(guide, libelles())
    premieres = {s.ident.split("-")[0]: s for s in reversed(sections)}
    for section in premieres.values():
        page.goto(f"{served}/{section.url}", wait_until="load", timeout=120_000)
        cibles = page.evaluate(renvois)
        page.evaluate(numeros, {c: "999" for c in cibles})
        page.evaluate("""() => { for (const el of document.querySelectorAll(".guide-sommaire-page")) el.textContent = "999"; }""")
        trop_large = page.evaluate("""() => {
            const largeur = document.documentElement.clientWidth;
            const el = [...document.querySelectorAll("article *")].find(e => e.getBoundingClientRect().right > largeur + 0.5);
            return el ? [el.tagName, el.className, Math.round(el.getBoundingClientRect().right)] : null; }""")
        assert trop_large is None, (section.url, trop_large)
        # Nor a cell's text out of its cell, over the next column's (print QA: « 11 (dont 3 mentions) », kept on one
        # line, printed over the territories' champs d'action, 147 times in the whole guide).
        debordent = page.evaluate("""() => [...document.querySelectorAll("article td, article th")]
            .filter(c => c.scrollWidth > c.clientWidth + 1).slice(0, 3).map(c => c.textContent.trim().slice(0, 40))""")
        assert debordent == [], (section.url, debordent)


def test_book_cross_references_give_the_page_of_their_target(livre_lu, guide):
    """A link to another champ of the book (« Voir aussi ») prints « (voir p. N) », N the page that champ starts
    on (scripts/pdf.py, two passes: Chromium has no target-counter)."""
    read = livre_lu
    sheets, body = read["sheets"], squash(read["text"])
    checked = 0
    for champ in guide.champs.values():
        for related in champ.data.get("voir_aussi", []):
            title = guide.champs[related["champ"]].data["titre"]
            for m in re.finditer(re.escape(squash(title)) + r"voirp(\d+)champ", body):
                number = int(m.group(1))
                assert squash(sheets[number - 1]).startswith(squash(title)), (title, number, sheets[number - 1][:60])
                checked += 1
    assert checked >= 5, checked
    # A note names its publication, then the publication's own page: « 1. Étude 2021 (voir p. 91), p. 58-63 » gave two
    # pages side by side, the book's and the study's (print QA). Notes send to no page of the book.
    courts = {squash(p.get("edition", "")) for p in guide.publications.values()} - {""}
    assert courts and "étude2021" in courts
    assert not [c for c in courts if re.search(re.escape(c) + r"voirp\d", body)]


def test_book_has_running_headers_page_numbers_bookmarks_and_named_destinations(livre, livres, guide, livre_lu):
    read = livre_lu
    headers, feet = margins(livre)
    n = read["pages"]
    # « page N sur M » at the foot of every sheet but the cover
    assert not squash(feet[0])
    for i in range(1, n):
        assert squash(feet[i]) == squash(f"page {i + 1} sur {n}"), (i, feet[i])
    # the running header names the part and the chapter on every sheet of a champ or territory
    numbers = toc_pages(read["sheets"], [c.data["titre"] for c in guide.champs.values()])
    pluriels = libelles()["famille_pluriel"]
    for champ in guide.champs.values():
        header = squash(headers[numbers[champ.data["titre"]] - 1])
        assert header == squash(f"{pluriels[champ.data['famille']]} — {champ.data['titre']}"), header
    # bookmarks and a named destination for each champ, territory and action
    xml = subprocess.run(["pdftohtml", "-i", "-xml", "-stdout", "-l", "1", str(livre)], capture_output=True,
                         text=True, check=True).stdout
    assert "<outline>" in xml
    dests = subprocess.run(["pdfinfo", "-dests", str(livre)], capture_output=True, text=True).stdout
    names = set(re.findall(r'^\s*\d+ \[.*\] "([^"]+)"$', dests, re.M))
    sections = {s.ident: s for s in impression.sections(guide, libelles())}
    parties = {p.src: p for p in sections[impression.GUIDE_ID].parties}
    for fiche in [*guide.champs.values(), *guide.territoires.values()]:
        assert parties[fiche.src].ancre in names, fiche.src
    for action in guide.actions:
        name = impression.id_imprime(impression.prefixe_ids(parties[action.territoire.src]), action.ancre)
        assert name in names, name
    # every name opens in every reader: none over the 127 bytes of PDF 1.7 (a champ's heading reached 140)
    assert max(len(name.encode()) for name in names) <= 127, max(names, key=len)
    assert not fonts_embedded(livre)
    assert "Tagged:          yes" in subprocess.run(["pdfinfo", str(livre)], capture_output=True, text=True).stdout
    # Each territory's bookmark is its name as written (Chromium dropped the space where a heading wrapped:
    # « Béthune Bruay ArtoisLys Romane »), and a cross-reference closing a parenthesis reads « (…, voir p. 2) »
    # (a bare « p. 2 » after « INSEE, découpage administratif 2026 » read as a page of the INSEE's publication).
    signets, a_voir = set(), list(PdfReader(str(livre)).outline)
    while a_voir:
        item = a_voir.pop()
        a_voir.extend(item) if isinstance(item, list) else signets.add(item.title)
    assert {t.data["nom"] for t in guide.territoires.values()} <= signets
    # …and every bookmark is a heading's own text: a heading linking to its part took its « (voir p. 18) »'s
    # digits into its bookmark (« 1. Appui à l'écosystème… du financement18 », reader QA).
    from lxml import html as lxml_html
    document = lxml_html.parse(str(livres / "imprimer" / "index.html"))
    for lien in document.xpath("//article//a[contains(@class, 'headerlink')]"):
        lien.drop_tree()
    titres = {" ".join(h.text_content().split()) for h in document.xpath("//article//*[self::h1 or self::h2 or "
                                                                         "self::h3 or self::h4 or self::h5 or self::h6]")}
    assert not signets - titres, sorted(signets - titres)[:5]
    texte = " ".join(read["sheets"])
    assert not re.search(r"p\.\s\d+\)\)", texte) and re.search(r"administratif\s+\d{4},\s+voir\s+p\.\s+\d+\)", texte)


def test_a_filtered_territory_list_prints_the_filter_it_shows(page, served, guide, tmp_path):
    page.goto(f"{served}/territoires/")
    page.wait_for_selector("form[data-guide-filtres]:not([hidden])")
    region = max(guide.par_region(), key=lambda kv: len(kv[1]))[0]
    page.select_option("#filtre-region", label=region)
    kind = page.eval_on_selector("#filtre-type", "s => s.options[1].textContent.trim()")
    page.select_option("#filtre-type", label=kind)
    line = page.locator(".guide-filtre-imprime")
    assert not line.is_visible(), "la ligne du filtre s'affiche à l'écran"
    # in the order of the form, with the count the screen shows (the paper did not say it: reader QA)
    statut = page.locator("#guide-territoires-statut").inner_text().strip()
    lignes = page.locator("#guide-territoires tbody tr:not([hidden])").count()
    assert re.fullmatch(rf"{lignes} territoires? affichés? sur {len(guide.territoires)}\.", statut), statut
    expected = f"Filtre : type de collectivité {kind}, région {region} — {statut}"
    assert line.inner_text() == expected
    page.emulate_media(media="print")
    assert line.is_visible()
    page.pdf(path=str(tmp_path / "liste.pdf"), format="A4", prefer_css_page_size=True)
    assert squash(expected) in squash(read_pdf(tmp_path / "liste.pdf")["text"])
    page.emulate_media(media="screen")
    # a size continues the sentence (reader QA: « population De 20 000 à 100 000 habitants »)
    page.select_option("#filtre-type", index=0)
    page.select_option("#filtre-population", index=2)
    taille = page.eval_on_selector("#filtre-population", "s => s.options[2].textContent.trim()")
    expect(line).to_have_text(re.compile(rf"^Filtre : région {re.escape(region)}, population {re.escape(taille[0].lower() + taille[1:])} — "))
    page.locator("form[data-guide-filtres] button[type=reset]").click()
    page.wait_for_function("() => document.querySelector('.guide-filtre-imprime').textContent === ''")


def test_the_address_under_a_title_is_never_broken(page, served, guide, tmp_path):
    """The longest address of a territory page prints whole on one line."""
    terr = max(guide.territoires.values(), key=lambda t: len(t.slug))
    page.goto(f"{served}/territoires/{terr.slug}/")
    page.emulate_media(media="print")
    lines = page.evaluate("""() => {
        const el = document.querySelector('.guide-adresse'), r = document.createRange();
        r.selectNodeContents(el);
        return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size;
    }""")
    assert lines == 1
    page.pdf(path=str(tmp_path / "adresse.pdf"), format="A4", prefer_css_page_size=True)
    text = read_pdf(tmp_path / "adresse.pdf")["text"]
    address = page.locator(".guide-adresse").inner_text()
    assert address.startswith("http") and any(address in line for line in text.splitlines()), address


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(list('abz <>"=&#/ ') + ["id=", " href=", " for=", "url(#", "intro", "\u00a0"]),
                max_size=30).map("".join))
def test_a_printed_section_rewrites_attributes_never_the_text(texte):
    """« balise id="intro" et lien href="plan.pdf" » typed in a résumé was printed « id="territoires-x--intro" » and
    « href="../../territoires/x/plan.pdf" »: only the attributes of tags are rewritten, whatever the text holds."""
    from lxml import html as lxml_html
    from guide.rendu.assainir import assainir

    page = assainir(f'<h2 id="intro">Titre</h2><p>{escape(texte)}</p><p><a href="#intro">ici</a> '
                    f'<a href="plan/">plan</a></p>')
    morceau = impression._Morceau(url="territoires/x/", ancre="partie-1", prefixe="territoires-x--",
                                  contenu=lambda: page, ids={"intro"})
    relie = impression._Liens("imprimer/normandie/", {"territoires/x/": morceau}).relier(page, "territoires/x/", morceau)
    avant, apres = lxml_html.fromstring(f"<div>{page}</div>"), lxml_html.fromstring(f"<div>{relie}</div>")
    assert apres.text_content() == avant.text_content()
    assert apres.xpath("//h2/@id") == ["territoires-x--intro"]
    assert apres.xpath("//a/@href") == ["#territoires-x--intro", "../../territoires/x/plan/"]


def test_a_long_table_ends_with_two_rows_on_its_last_sheet(livre):
    """The whole guide's table of territories left its last row alone on a sheet, under its repeated header (reader
    QA, p. 208). Its last sheet holds two rows at least (each row names its territory's page, « (voir p. N) »)."""
    sheets = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(livre), "-"], capture_output=True, text=True,
                            check=True).stdout.split("\f")
    entete = re.compile(r"^\s*Territoire\s+Type\s+Région\s+Population\s+Actions", re.M)
    feuilles = [i for i, sheet in enumerate(sheets) if entete.search(sheet)]
    assert len(feuilles) > 3, feuilles  # the table runs over several sheets
    derniere = sheets[feuilles[-1]]
    lignes = re.findall(r"\(voir p\. \d+\)", derniere[entete.search(derniere).end():])
    assert len(lignes) >= 2, derniere


def test_a_printed_champ_gives_each_summary_once(site_dir, guide):
    """A champ printed its examples' summaries under their lever, then again under « Ce que font les territoires »
    (print QA: forty summaries twice, 7 to 10 sheets a chapter of the levers' booklet). There, an action a lever's
    list presents sends to that lever; one no lever presents keeps its summary."""
    from lxml import html as lxml_html
    renvois = resumes = 0
    for champ in guide.champs.values():
        article = lxml_html.parse(str(site_dir / "champs" / champ.slug / "index.html")).xpath("//article")[0]
        titre = article.xpath(".//h2[@id='ce-que-font-les-territoires']")[0]
        suite = titre.xpath("following-sibling::*")
        imprimes = [s for el in suite for s in el.xpath(".//span[contains(@class, 'guide-imprime')]")]
        for span in imprimes:
            lien = span.xpath("./a/@href")
            if lien:
                renvois += 1
                assert span.text_content().startswith("Présentée sous le levier"), span.text_content()
                assert article.xpath(f".//h3[@id='{lien[0][1:]}']"), (champ.slug, lien)
            else:
                resumes += 1
                assert "Source\u202f:" in span.text_content(), span.text_content()
    assert renvois > 50 and resumes > 10, (renvois, resumes)


def test_book_gives_a_page_after_the_quotation_its_link_stands_in(livre_lu):
    """« présentée plus haut, sous « Clauses sociales et environnementales (voir p. 92) » »: the page of a link between
    guillemets was printed inside the quotation (print QA); it follows it."""
    texte = livre_lu["text"]
    assert re.search(r"sous (le levier )?«[^»]{3,200}»[\s\u202f\u00a0]*\(voir p\.", texte)
    assert not re.search(r"\(voir p\.[\s\u00a0]*\d+\)[\s\u00a0\u202f]*»", texte)


def test_book_prints_a_shared_action_once_under_its_carrier(livre_lu, guide):
    """The Grand Est booklet printed twenty actions of the Eurométropole again on the Ville de Strasbourg's sheets,
    « (voir p. 30) » beside each (print QA): in a document that prints the carrier's fiche, a co-carrier's entry gives
    its page, not its summary a second time. (A co-carrier's page printed alone keeps the summary.)"""
    corps = squash(livre_lu["text"])
    renvois = recopies = 0
    for territoire in guide.territoires.values():
        for a in territoire.actions_partagees:
            entree = squash(a.data["titre"]) + r"voirp\d+(?:mentionpartagée)?fiche" + re.escape(squash(a.territoire.data["nom"]))
            debut = squash(" ".join(a.data["resume"].split()[:8]))
            renvois += len(re.findall(entree, corps))
            recopies += len(re.findall(entree + re.escape(debut), corps))
    assert renvois > 20 and recopies == 0, (renvois, recopies)
