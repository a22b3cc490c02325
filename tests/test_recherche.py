"""Search (Pagefind behind Material's header box, macros/guide/sorties/recherche.py) in Chromium, typing into the
real search box: relevance set, recall of words from deep in territory pages, French folding, highlighting
on the opened page, the results page with its filters and their address, accessibility."""
from __future__ import annotations

import collections
import json
import random
import re
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from playwright.sync_api import expect

from conftest import serving
from test_accessibilite import axe_violations

from guide.sorties import export, recherche


PERTINENCE = Path(__file__).with_name("recherche_pertinence.yaml")
BOX = "input.md-search__input"


@pytest.fixture(scope="module")
def boite(browser, served):
    """One page with the header's search box open, shared by the tests of this module that type into it."""
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(served + "/")
    yield page
    context.close()


def taper(page, requete: str) -> list[str]:
    """Type `requete` into the header's search box as a reader does; return the result pages (addresses
    without `?h=` nor anchor), best first, once the list answers this very query."""
    box = page.locator(BOX)
    if not box.is_visible():
        page.keyboard.press("/")  # Material's shortcut opens the search
    box.press("Control+a")
    box.press("Backspace")
    expect(page.locator(".md-search-result__list > li")).to_have_count(0, timeout=10000)
    # The query is put in the box at once, then a key is released there, which is when Material reads the box: the
    # results are those of the query whole. Typing it key by key would search each prefix on the way (a second per
    # query, over the suite's hundreds); the test of typing itself presses the keys one by one (Enter right after
    # typing).
    box.fill(requete)
    box.press("End")
    # The list ends with the link to every result of the query typed: it tells the list is this query's
    # (a slow machine may show the results of the words typed so far first).
    page.wait_for_function("""q => [...document.querySelectorAll(".md-search-result__item > a")]
        .some(a => a.href.includes("/recherche/?") && new URL(a.href).searchParams.get("mots") === q)""",
                           arg=requete.strip(), timeout=30000)
    hrefs = page.locator(".md-search-result__item > a:first-child").evaluate_all("as => as.map(a => a.href)")
    return [re.sub(r"[?#].*$", "", h) for h in hrefs if "/recherche/?" not in h]


def total(page) -> int:
    """The number of results of the query in the list, given by its last link (« Tous les résultats (N) »)."""
    texte = page.locator(".md-search-result__item > a[href*='recherche/?mots='] h1").inner_text()
    return int(re.search(r"\((\d+)\)", texte).group(1))


# ---------- Relevance ----------

CAS = yaml.safe_load(PERTINENCE.read_text(encoding="utf-8"))


def test_relevance_set_is_about_thirty_questions_on_real_pages(site_dir):
    assert len(CAS) >= 30
    for cas in CAS:
        assert (site_dir / cas["page"] / "index.html").exists(), cas


@pytest.mark.parametrize("cas", CAS, ids=[c["requete"] for c in CAS])
def test_the_right_page_comes_first(boite, served, cas):
    resultats = taper(boite, cas["requete"])
    assert resultats and resultats[0] == f"{served}/{cas['page']}", (cas["requete"], resultats[:5])


def test_the_editors_pages_come_after_the_reading_pages_and_are_found_by_their_title(boite, served):
    """The editors' pages (their front matter's `search: boost:`) ranked among a reader's first results for the
    guide's own words (reader QA: « Modèle des fiches » 4th for « budget », « Contribuer au guide » 6th for
    « commande publique responsable »); their titles still find them first."""
    editeurs = {f"{served}/ressources/modele/", f"{served}/ressources/contribuer/"}
    for requete in ("budget", "Guadeloupe", "commande publique responsable"):
        resultats = taper(boite, requete)
        assert len(resultats) > 5 and not editeurs & set(resultats[:5]), (requete, resultats[:6])
    assert taper(boite, "modèle des fiches")[0] == f"{served}/ressources/modele/"
    assert taper(boite, "contribuer au guide")[0] == f"{served}/ressources/contribuer/"


def test_a_territory_name_finds_its_page_first(boite, served, guide):
    """Every fifth territory, by its name: its own page first (name in the title outweighs mentions)."""
    for t in sorted(guide.territoires.values(), key=lambda t: t.slug)[::5]:
        resultats = taper(boite, t.data["nom"])
        assert resultats[0] == f"{served}/territoires/{t.slug}/", (t.data["nom"], resultats[:3])


# ---------- Recall ----------

def texte_indexe(html: str) -> str:
    """The text Pagefind indexes of a built page: its article, without what recherche.EXCLUS leaves out."""
    if "data-pagefind-body" not in html:
        return ""  # (not parsed: the printed sections are megabytes, and none is indexed)
    article = BeautifulSoup(html, "lxml").select_one("article[data-pagefind-body]")
    if article is None:
        return ""
    # and forms (the finder's filters), which Pagefind's own parser leaves out: typed, « appels à projets » does not
    # find the finder page that holds it in a filter's option
    for el in article.select(", ".join(recherche.EXCLUS + ["[data-pagefind-ignore]", "form"])):
        el.decompose()
    return article.get_text(" ")


@pytest.fixture(scope="module")
def textes_indexes(site_dir) -> dict[str, str]:
    """Each built page's indexed text, by address relative to the site root (read once for this module)."""
    return {chemin.parent.relative_to(site_dir).as_posix() + "/": texte_indexe(chemin.read_text(encoding="utf-8"))
            for chemin in site_dir.rglob("index.html")}


def mots_profonds(textes_indexes: dict, guide, n: int = 15, graine: int = 15):
    """n words drawn at random from territory pages, beyond the first 400 characters of their action
    texts (what Material's lunr index used to cut), on at most 5 indexed pages of the site: each must
    find its page among the ten results shown."""
    # Pages by the first five letters of their words: the stemmer finds « incubateur » for « incubation ».
    pages = defaultdict(set)
    for adresse, texte in textes_indexes.items():
        for mot in set(re.findall(r"[^\W\d_]{7,}", texte.lower())):
            pages[mot[:5]].add(adresse)
    candidats = []
    for t in guide.territoires.values():
        for action in t.actions:
            texte = " ".join(action.data["resume"].split())
            for mot in set(re.findall(r"[^\W\d_]{7,}", texte[400:].lower())):
                lieux = pages[mot[:5]]
                if mot not in texte[:400].lower() and len(lieux) <= 5 and f"territoires/{t.slug}/" in lieux:
                    candidats.append((mot, t.slug))
    assert len(candidats) >= n, "pas assez de mots au-delà des 400 premiers caractères"
    return random.Random(graine).sample(sorted(set(candidats)), n)


def test_words_from_deep_in_territory_pages_find_their_page(boite, served, textes_indexes, guide):
    manques = []
    for mot, slug in mots_profonds(textes_indexes, guide):
        if f"{served}/territoires/{slug}/" not in taper(boite, mot):
            manques.append((mot, slug))
    assert manques == []


# ---------- Words together ----------

@pytest.fixture(scope="module")
def textes_plies(textes_indexes) -> dict[str, str]:
    """Each built page's indexed text, folded as the search compares words, its words apart by one space; by
    address relative to the site root."""
    return {adresse: " ".join(re.sub(r"\W+", " ", recherche.plier(texte)).split())
            for adresse, texte in textes_indexes.items()}


def _ecrites(textes_plies: dict, requete: str) -> tuple[set, set]:
    """The indexed pages that write the words of `requete` one after the other: as typed or in the plural
    (« marché réservé », « marchés réservés »), and, more loosely, any word starting as each (the stems Pagefind
    matches: « réservées »). Addresses relative to the site root."""
    mots = [recherche.plier(m) for m in requete.split()]
    strict = re.compile(r"\b" + " ".join(re.escape(m[:-1] if m.endswith("s") else m) + "s?" for m in mots) + r"\b")
    large = re.compile(r"\b" + " ".join(re.escape(m[:5]) + r"\w*" for m in mots))
    stricts, larges = set(), set()
    for adresse, texte in textes_plies.items():
        if strict.search(texte):
            stricts.add(adresse)
        if large.search(texte):
            larges.add(adresse)
    return stricts, larges


@pytest.mark.parametrize("requete", ["marchés réservés", "clauses sociales", "budget participatif"])
def test_pages_writing_the_words_together_come_first_and_words_apart_are_said(boite, page, served, textes_plies, requete):
    """« budget participatif » listed 18 pages about « financement participatif » and « budget » elsewhere, as if
    the guide covered participatory budgets (reader QA). A page writing the words one after the other weighs more
    (guide-requete.js, POIDS_ENSEMBLE): on these queries none of them comes after a page holding the words apart;
    when no page writes them together, the list and the results page say so."""
    stricts, larges = _ecrites(textes_plies, requete)
    listees = [h.replace(served + "/", "", 1) for h in taper(boite, requete)]
    assert listees, requete
    # No page writing the words together comes after one that writes them apart.
    apart = [i for i, a in enumerate(listees) if a not in larges]
    assert not any(a in stricts for a in listees[apart[0]:]) if apart else True, (listees, stricts)
    tous = boite.locator(".md-search-result__item > a[href*='recherche/?mots=']").inner_text()
    page.goto(f"{served}/recherche/?mots={quote(requete)}")
    statut = page.locator("#recherche-statut")
    expect(statut).to_contain_text("résultat", timeout=20000)
    avertissement = f"Aucune page n'écrit « {requete} »"
    if larges:
        assert stricts and avertissement not in tous and avertissement not in statut.inner_text(), requete
    else:
        assert avertissement in tous and "séparément" in tous, tous
        assert avertissement in statut.inner_text(), statut.inner_text()


def test_an_acronym_of_the_glossary_finds_the_pages_writing_its_definition(boite, page, served, textes_plies, guide):
    """« AAP » found 3 pages where « appels à projets » found 54 (reader QA): the guide writes the words out, the
    reader types the acronym. A glossary acronym (fiches/sigles.yaml) typed finds the pages holding it and those
    writing its definition, in the header's list and on the results page; the pages' texts are read here."""
    sigle = next(s for s in guide.sigles if s["sigle"] == "AAP")
    definition, _ = _ecrites(textes_plies, sigle["definition"].replace(" à ", " a "))
    acronyme = {a for a, t in textes_plies.items() if re.search(r"\baap\b", t)}
    seulement = definition - acronyme
    assert acronyme and len(seulement) > 10, (acronyme, seulement)
    listees = {h.replace(served + "/", "", 1) for h in taper(boite, "AAP")}
    assert listees & seulement, listees
    assert total(boite) >= len(definition | acronyme)
    page.goto(f"{served}/recherche/?mots=aap")
    expect(page.locator("#recherche-statut")).to_contain_text("résultat", timeout=20000)
    n = int(re.search(r"(\d+) résultats?", page.locator("#recherche-statut").inner_text()).group(1))
    assert n >= len(definition | acronyme), n


@pytest.mark.parametrize("requete", ["conseil de développement", "marchés réservés"])
def test_a_page_writing_the_words_together_shows_them_in_its_excerpt(page, served, textes_plies, requete):
    """« conseil de développement » listed first a champ page that writes it in one example, under an excerpt of
    « de » and « développement » elsewhere, without « conseil » (reader QA): the reader could not see why. The
    excerpt of a page writing the words together is where it writes them."""
    stricts, _ = _ecrites(textes_plies, requete)
    page.goto(f"{served}/recherche/?mots={quote(requete)}")
    expect(page.locator("#recherche-statut")).to_contain_text("résultat", timeout=20000)
    resultats = page.locator(".guide-recherche__liste > li").evaluate_all(
        "lis => lis.map(li => [li.querySelector('a').getAttribute('href'), li.querySelector(':scope > p').textContent])")
    ensemble = [(href, extrait) for href, extrait in resultats
                if urlsplit(href).path.removeprefix(urlsplit(served).path).lstrip("/") in stricts]
    assert len(ensemble) >= 2, (resultats, stricts)
    large = re.compile(r"\b" + " ".join(re.escape(recherche.plier(m)[:5]) + r"\w*" for m in requete.split()))
    for href, extrait in ensemble:
        assert large.search(" ".join(re.sub(r"\W+", " ", recherche.plier(extrait)).split())), (href, extrait)


def test_an_excerpt_says_where_it_is_cut_and_reads_no_badge(page, served):
    """Excerpts began and ended mid-sentence without a sign, and read an action's badge as a word of its text
    (« …attribué à Club service. Exemple 2014 · Achats responsables… »; search QA)."""
    from guide.modele.schemas import libelles
    page.goto(f"{served}/recherche/?mots={quote('marchés réservés')}")
    expect(page.locator("#recherche-statut")).to_contain_text("résultat", timeout=20000)
    extraits = page.locator("p.guide-recherche__extrait").all_text_contents()
    assert any(e.startswith("… ") for e in extraits) and any(e.endswith(" …") for e in extraits), extraits
    assert not [e for e in extraits if re.match(r"…\s*[.,;:)]", e)], extraits
    badges = "|".join(re.escape(b) for b in libelles()["nature"].values())
    assert not [e for e in extraits if re.search(rf"\b(?:{badges})\s+(?:\d{{4}}\b|·)", e)], extraits


def test_a_result_opens_on_its_words(page, served):
    """« garantie d'emprunt » opened Grenoble-Alpes Métropole's page at its top, both words highlighted inside a closed
    fold: the reader saw none of them (search QA). The first one's folds open and it is brought into view; a page
    with a highlighted word in view stays as it opens."""
    page.set_viewport_size({"width": 390, "height": 844})
    visibles = """() => [...document.querySelectorAll('article mark[data-md-highlight]')].filter(m => {
        const r = m.getBoundingClientRect(); return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight; }).length"""
    page.goto(f"{served}/territoires/grenoble-alpes-metropole/?h=garanties+emprunt")
    page.wait_for_function(visibles, timeout=10000)
    assert page.evaluate("() => document.querySelector('article mark[data-md-highlight]').closest('details').open")
    # …a section named: the reader lands on its heading, the fold under it holding the word opened (« SIAE », « L'apport
    # de l'étude 2019 »: the passage the results page showed stayed folded)
    page.goto(f"{served}/champs/achats-responsables/?h=siae#lapport-de-letude-2019")
    page.wait_for_function("""() => { const h = document.getElementById('lapport-de-letude-2019');
        const m = [...document.querySelectorAll('article mark[data-md-highlight]')].find(m => h.compareDocumentPosition(m) & 4);
        return m && m.closest('details') && m.closest('details').open; }""", timeout=10000)
    # …and a page whose words stand far below its top, unfolded (« DLA » opened the glossary four screens above it)
    page.goto(f"{served}/ressources/glossaire/?h=dla")
    page.wait_for_function(visibles, timeout=10000)
    page.goto(f"{served}/territoires/grenoble-alpes-metropole/?h=grenoble")
    page.wait_for_selector("article mark[data-md-highlight]")
    page.wait_for_timeout(1500)
    assert page.evaluate("() => window.scrollY") == 0


def test_a_result_shows_an_excerpt_once(page, served):
    """« avance remboursable »: the « Soutien direct » result showed one excerpt three times, under the page and
    under the two levers that list the same action (reader QA; since, a champ page gives an action's summary under
    its first lever only, and sends there from the others). On the results page a result shows each excerpt once;
    its sections are still listed, each a link. (The header's list shows titles only.)"""
    requete = "marchés réservés"
    page.goto(f"{served}/recherche/?mots={quote(requete)}")
    expect(page.locator("#recherche-statut")).to_contain_text("résultat", timeout=20000)
    resultats = page.locator(".guide-recherche__liste > li").evaluate_all("""lis => lis.map(li => [
        li.querySelector('a').getAttribute('href'), li.querySelectorAll('.guide-recherche__sections a').length,
        [...li.querySelectorAll('p.guide-recherche__extrait')].map(p => p.textContent)])""")
    assert any(sections > 1 for _, sections, _ in resultats), resultats  # a result listing sections
    for href, _, extraits in resultats:
        assert len(extraits) == len(set(extraits)), (href, extraits)



def test_an_excerpt_is_text_the_page_shows_on_screen(page, served):
    """« économie sociale et solidaire »: 15 of the first 20 results showed as excerpt the line that names a page's
    publications in full on paper only (« Publications citées : Étude 2021, « Territoires urbains — Économie sociale
    et solidaire & innovation sociale »… »), which the reader does not find on the page (search QA)."""
    page.goto(f"{served}/recherche/?mots={quote('économie sociale et solidaire')}")
    expect(page.locator("#recherche-statut")).to_contain_text("résultat", timeout=20000)
    extraits = page.locator("p.guide-recherche__extrait").all_text_contents()
    assert len(extraits) >= 5, extraits
    assert not [e for e in extraits if "Publications citées" in e], extraits


@pytest.mark.parametrize("requete", ["la roue", "spaser", "garage solidaire"])
def test_an_excerpt_has_no_space_before_a_full_stop_or_a_comma(page, served, requete):
    """« …ou un garage solidaire . Elle a adopté un SPASER… »: Pagefind's text of a page puts a space where a note
    call was left out (phone QA)."""
    page.goto(f"{served}/recherche/?mots={quote(requete)}")
    expect(page.locator("#recherche-statut")).to_contain_text("résultat", timeout=20000)
    extraits = page.locator("p.guide-recherche__extrait").all_text_contents()
    assert extraits
    fautes = [e for e in extraits if re.search(r"\s[.,](\s|$)", e)]
    assert not fautes, fautes


def test_a_figure_typed_without_spaces_finds_the_page_writing_it(page, served, guide):
    """Pages write « 45 000 € »; a reader types « 45000 »: it found nothing, and « 100000 » was answered « Vouliez-vous
    dire « 12000 » ? » (phone QA)."""
    terr, montant = next((t, b["montant"]) for t in guide.territoires.values() for b in t.data.get("budget", [])
                         if isinstance(b.get("montant"), int) and 10000 <= b["montant"] < 1000000)
    page.goto(f"{served}/recherche/?mots={montant}")
    expect(page.locator("#recherche-statut")).to_contain_text("résultat", timeout=20000)
    hrefs = page.locator(".guide-recherche__liste > li").evaluate_all(
        "lis => lis.map(li => li.querySelector('a').getAttribute('href'))")
    assert any(f"territoires/{terr.slug}/" in h for h in hrefs[:10]), (montant, hrefs[:10])
    # no figure is proposed for another: « 80000 », searched as « 80 000 », was answered « 8000 » ? (search QA)
    for nombre in ("9876543", "80000", "80 000 habitants"):
        page.goto(f"{served}/recherche/?mots={quote(nombre)}")
        expect(page.locator("#recherche-statut")).to_contain_text("Aucun résultat", timeout=20000)
        reponse = page.locator("#recherche-resultats").inner_text()
        assert "Vouliez-vous dire" not in reponse and "Mots proches" not in reponse, (nombre, reponse)
    # a code the pages write whole (a SIREN) is searched as typed, not in groups of three (attacker QA: « 246100663 »
    # listed 66 pages holding « 246 » or « 100 », not Alençon's)
    terr = next(t for t in guide.territoires.values() if t.data.get("siren"))
    page.goto(f"{served}/recherche/?mots={terr.data['siren']}")
    expect(page.locator("#recherche-statut")).to_contain_text("résultat", timeout=20000)
    hrefs = page.locator(".guide-recherche__liste > li").evaluate_all(
        "lis => lis.map(li => li.querySelector('a').getAttribute('href'))")
    assert any(f"territoires/{terr.slug}/" in h for h in hrefs[:3]), (terr.data["siren"], hrefs[:3])


def test_a_word_pasted_with_a_pdf_ligature_is_searched_as_typed_letters(page, served):
    """« ﬁnancement » pasted from a PDF found nothing, « financement » 70 pages (attacker QA)."""
    comptes = []
    for mot in ("financement", "\ufb01nancement"):
        page.goto(f"{served}/recherche/?mots={quote(mot)}")
        statut = page.locator("#recherche-statut")
        expect(statut).to_contain_text("résultats pour", timeout=20000)
        comptes.append(re.match(r"(\d+) résultats", statut.inner_text()).group(1))
    assert comptes[0] == comptes[1], comptes

def test_words_no_page_holds_together_are_said_to_be_partly_found(boite, textes_plies):
    """Two words of the guide that no page holds both: the pages holding one are listed, and the list says that
    no page has them all, rather than letting them pass for answers."""
    # Pages by the first five letters of their words: Pagefind's stems match longer words (« départs » finds
    # « département »); a word whose five letters start words of one page only is on that page only.
    pages = defaultdict(set)
    for adresse, texte in textes_plies.items():
        for mot in set(re.findall(r"[^\W\d_]{7,}", texte)):
            pages[mot[:5]].add(adresse)
    rares = sorted(m for m, ou in pages.items() if len(ou) == 1)
    premier = rares[len(rares) // 3]
    second = next(m for m in rares[len(rares) // 2:] if pages[m] != pages[premier])
    mots = {m for adresse in {*pages[premier], *pages[second]} for m in re.findall(r"[^\W\d_]{7,}", textes_plies[adresse])}
    premier, second = (min(m for m in mots if m.startswith(p)) for p in (premier, second))
    listees = taper(boite, f"{premier} {second}")
    assert len(listees) >= 2, (premier, second, listees)
    tous = boite.locator(".md-search-result__item > a[href*='recherche/?mots=']").inner_text()
    assert "Aucune page n'a tous ces mots : ces pages en ont une partie." in tous, (premier, second, tous)


# ---------- French ----------

def paires(guide, site_dir):
    """Pairs of queries a French reader types for the same thing; each must give the same pages."""
    ligatures = json.loads((site_dir / recherche.LIGATURES).read_text(encoding="utf-8"))
    assert ligatures, "aucun mot écrit avec œ ou æ dans le guide"
    out = [(plie, ecrit) for plie, ecrit in sorted(ligatures.items())[:3]]  # oeuvre / œuvre, coeur / cœur
    out += [("local", "locaux"), ("territorial", "territoriaux"), ("travail", "travaux"), ("réseau", "réseaux"),
            ("economie", "économie"), ("ÉCONOMIE", "économie"), ("l'économie", "économie"), ("d’insertion", "insertion"),
            ("tiers-lieux", "tiers lieux"), ("tiers-lieu", "tiers-lieux"), ("spasers", "spaser"), ("PTCEs", "PTCE"),
            ("ESS:", "ESS"), ("« commande publique »", "commande publique"),
            ('"marchés publics"', "marchés publics")]
    return out


def test_french_spellings_give_the_same_pages(boite, guide, site_dir):
    """Same number of results, and the same first one (an exact spelling may order the rest differently)."""
    differents = []
    for a, b in paires(guide, site_dir):
        ra, na = taper(boite, a), total(boite)
        rb, nb = taper(boite, b), total(boite)
        if not ra or na != nb or ra[0] != rb[0]:
            differents.append((a, b, na, nb, ra[:2], rb[:2]))
    assert differents == []


def test_the_singular_of_a_word_the_guide_writes_only_in_the_plural_is_found_before_another_word(boite, textes_plies):
    """« vélo » (the pages write « vélos ») was found as a query's last word, completed, and said written in no page
    before another word (reader QA: « vélo insertion » answered « Le mot « vélo » ne figure dans aucune page »)."""
    mots = collections.Counter(m for texte in textes_plies.values() for m in set(texte.split()))
    # (French stemming keeps the s after a, i, o, u: « vélos » and « vélo » have two stems; after another letter, the
    # stems are the same and Pagefind finds either)
    pluriels = sorted(m for m in mots if len(m) >= 5 and m.endswith("s") and m[-2] in "aiou" and m[:-1] not in mots
                      and m.isalpha())
    assert pluriels, "aucun mot que le guide écrit seulement au pluriel"
    courant = next(m for m, _ in mots.most_common() if len(m) >= 6 and m.isalpha())  # a word of nearly every page
    echecs = []
    for pluriel in pluriels[::max(1, len(pluriels) // 4)][:4]:
        singulier, attendu = taper(boite, f"{pluriel[:-1]} {courant}"), taper(boite, f"{pluriel} {courant}")
        if not attendu or singulier != attendu:
            echecs.append((pluriel, singulier[:2], attendu[:2]))
    assert echecs == []


def test_words_are_highlighted_on_the_opened_page_accents_included(boite, served):
    """Typed without accents, « economie circulaire » opens its best result with the page's own words
    (« économie ») highlighted."""
    taper(boite, "economie circulaire")
    boite.locator(".md-search-result__item > a:not([href*='recherche/?'])").first.click()  # the best result
    boite.wait_for_url(re.compile(r"\?h="))
    marques = boite.locator("article mark[data-md-highlight]")
    expect(marques.first).to_be_visible(timeout=10000)
    mots = {m for t in marques.all_inner_texts() for m in re.split(r"[\s'’]+", t.lower())}
    assert {"économie", "circulaire"} <= mots, mots
    boite.goto(served + "/")


def test_a_code_no_excerpt_marks_is_still_highlighted_on_the_opened_page(boite, served):
    """« L2113-15 » found its page, which writes the article « L2113‑15 » with a non-breaking hyphen: no excerpt marked
    the word, and the result opened with an empty « ?h= », nothing highlighted (search QA). The words typed stand in."""
    taper(boite, "L2113-15")
    lien = boite.locator(".md-search-result__item > a:not([href*='recherche/?'])").first
    assert re.search(r"\?h=[^&#]+", lien.get_attribute("href")), lien.get_attribute("href")
    lien.click()
    boite.wait_for_url(re.compile(r"\?h="))
    expect(boite.locator("article mark[data-md-highlight]").filter(has_text="2113").first).to_be_visible(timeout=10000)
    boite.goto(served + "/")


def test_a_code_on_the_results_page_links_its_highlight_and_is_not_said_left_out(page, served):
    """On the results page, « L2113-15 »'s links had no « ?h= » (the header's list had one), and the status line said
    « Mots d'une lettre non cherchés : L. », the code's letter, which was searched with its number (search QA)."""
    page.goto(f"{served}/recherche/?mots=L2113-15")
    statut = page.locator("#recherche-statut")
    expect(statut).to_contain_text("résultat", timeout=20000)
    assert "non cherché" not in statut.inner_text(), statut.inner_text()
    liens = page.locator(".guide-recherche__liste > li a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert liens and all(re.search(r"\?h=[^&#]*2113", lien) for lien in liens), liens
    # The article's number without its last part, « L2113 », answered « Aucun résultat » (département agent's QA).
    page.goto(f"{served}/recherche/?mots=L2113")
    expect(statut).to_contain_text("résultat pour « L2113 »", timeout=20000)
    assert "Aucun" not in statut.inner_text() and "non cherché" not in statut.inner_text(), statut.inner_text()
    seuls = page.locator(".guide-recherche__liste > li a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert [lien.split("?")[0] for lien in seuls] == [lien.split("?")[0] for lien in liens], (seuls, liens)


def test_a_figure_marks_only_where_the_page_writes_it(page, served):
    """« 90000 », searched as the pages write it (« 90 000 »), marked every « 000 » of the excerpts (« 105 000 »,
    « 1 000 000 »), and « 435000 » showed three « 000 » of other amounts instead of the 435 000 hours (search QA)."""
    page.goto(f"{served}/recherche/?mots=90000")
    expect(page.locator("#recherche-statut")).to_contain_text("résultat", timeout=20000)
    extraits = page.locator("p.guide-recherche__extrait").evaluate_all("ps => ps.map(p => p.innerHTML)")
    marques = [m for e in extraits for m in re.findall(r"(?:<mark>[^<]*</mark>[\s\u202f\u00a0]*)+", e)]
    assert marques and all(re.sub(r"<[^>]+>|\W", "", m) == "90000" for m in marques), extraits


def test_words_a_page_writes_together_are_marked_only_there(page, served):
    """« Saint-Étienne » marked each « Saint-Chamond », « Saint-Galmier »… of a list of communes, and listed under a
    champ page the sections « Ville de Saint-Denis » and « … Saint-Dié-des-Vosges » (search QA): where a page writes
    the words together, its excerpt marks them there, and its sections are those that write them so."""
    page.goto(f"{served}/recherche/?mots={quote('Saint-Étienne')}")
    expect(page.locator("#recherche-statut")).to_contain_text("résultat", timeout=20000)
    marques = page.locator(".guide-recherche__liste p.guide-recherche__extrait mark").all_inner_texts()
    assert marques and all("tienne" in m.lower() for m in marques), marques
    sections = page.locator(".guide-recherche__sections a").all_inner_texts()
    assert sections and not [s for s in sections if "Saint-Denis" in s or "Saint-Dié" in s], sections


def test_results_show_page_type_and_sections_with_anchors(boite, served, guide):
    terr = max(guide.territoires.values(), key=lambda t: len(t.actions))
    action = terr.actions[0]
    taper(boite, action.data["titre"])
    item = boite.locator(".md-search-result__item", has=boite.locator(f"a[href*='/territoires/{terr.slug}/']")).first
    expect(item.locator(".guide-resultat-type").first).to_have_text(re.compile("^Territoire"))
    sections = item.locator("a[href*='#']").evaluate_all("as => as.map(a => a.href)")
    assert any(h.endswith("#" + action.ancre) for h in sections), sections
    expect(item.locator("mark").first).to_be_attached()


def test_the_list_of_comparable_territories_is_not_a_result(boite, site_dir):
    """A territory page's « Territoires comparables » names other territories and champs: it matched every query naming a
    champ (reader QA: the first section shown of 7 of the first 8 territories for « tiers lieux »)."""
    assert "id=\"territoires-comparables\"" in (site_dir / "territoires" / "ca-haguenau" / "index.html").read_text()
    for requete in ("tiers lieux", "achat responsable"):
        assert len(taper(boite, requete)) >= 5
        sections = boite.locator(".md-search-result__item a[href*='#']").evaluate_all("as => as.map(a => a.href)")
        assert sections and not [h for h in sections if h.endswith("#territoires-comparables")], requete


def test_a_row_of_key_figures_reads_as_a_sentence_in_the_index(site_dir, guide):
    """Pagefind read a table of key figures cell after cell: « SCIC recensées en France. 1 060 2020. Emplois dans les
    SCIC. environ 9 700 2020. » (reader QA). Each row is indexed, and shown in excerpts, as « libellé : valeur
    (année). », as a screen reader reads it."""
    import gzip
    import json
    contenus = {}
    for f in (site_dir / "pagefind" / "fragment").glob("*.pf_fragment"):
        brut = gzip.decompress(f.read_bytes())
        fragment = json.loads(brut[brut.index(b"{"):])
        contenus[fragment["url"]] = " ".join(fragment["content"].replace("\u202f", " ").split())
    vus = 0
    for champ in guide.champs.values():
        lignes = BeautifulSoup((site_dir / "champs" / champ.slug / "index.html").read_text(encoding="utf-8"), "html.parser")
        titre = lignes.find("h2", id="chiffres-cles")
        if titre is None:
            continue
        contenu = contenus[f"/champs/{champ.slug}/"]
        for tr in titre.find_next("table").select("tbody tr"):
            for cache in tr.select(".guide-sr, sup"):
                cache.decompose()
            libelle, valeur, *annee = [" ".join(td.get_text().replace("\u202f", " ").split()) for td in tr.find_all("td")]
            attendu = f"{libelle} : {valeur}" + (f" ({annee[0]})." if annee and annee[0] else ".")
            assert attendu in contenu, (champ.slug, attendu)
            vus += 1
    assert vus >= 10, vus


# ---------- Results page: filters in the address ----------

def test_results_page_filters_combine_and_live_in_the_address(boite, page, served, guide):
    taper(boite, "insertion")
    boite.locator(".md-search-result__item > a[href*='recherche/?mots=']").first.click()
    boite.wait_for_url(re.compile(r"/recherche/\?mots=insertion"))
    statut = boite.locator("#recherche-statut")
    expect(statut).to_contain_text("pour « insertion »", timeout=30000)
    total = int(re.match(r"(\d+)", statut.inner_text()).group(1))
    # Territories of the région with most territories holding the word, then one type of collectivité.
    region = max({t.data["region"] for t in guide.territoires.values()},
                 key=lambda r: sum(t.data["region"] == r for t in guide.territoires.values()))
    boite.select_option("#recherche-type", "Territoire")
    expect(statut).to_contain_text("filtres : Territoire")
    boite.select_option("#recherche-region", region)
    expect(statut).to_contain_text(f"filtres : Territoire, {region}")
    n = int(re.match(r"(\d+)", statut.inner_text()).group(1))
    assert 0 < n < total
    expect(boite.locator(".guide-recherche__titre a")).to_have_count(min(n, 20))
    liens = boite.locator(".guide-recherche__titre a").evaluate_all("as => as.map(a => a.href)")
    slugs = [re.search(r"/territoires/([^/?#]+)/", h).group(1) for h in liens]
    assert slugs and all(guide.territoires[s].data["region"] == region for s in slugs), slugs
    types = boite.locator(".guide-recherche__titre .guide-resultat-type").all_inner_texts()
    assert {t.replace(":", "").strip() for t in types} == {"Territoire"}
    query = parse_qs(urlsplit(boite.url).query)
    assert query == {"mots": ["insertion"], "type": ["Territoire"], "region": [region]}
    # The shared address gives the same choices and results.
    page.goto(boite.url)
    expect(page.locator("#recherche-statut")).to_have_text(statut.inner_text(), timeout=30000)
    assert page.locator("#recherche-region").input_value() == region
    assert page.locator(".guide-recherche__titre a").evaluate_all("as => as.map(a => a.href)") == liens
    boite.goto(served + "/")


def test_a_champ_filter_without_words_lists_its_pages(page, served, guide):
    champ = max(guide.champs.values(), key=lambda c: len(c.territoires))
    attendus = [t for t in guide.territoires.values() if champ.slug in export.champs_de(t)]
    page.goto(f"{served}/recherche/?champ={quote(champ.titre_court)}&type=Territoire")
    expect(page.locator("#recherche-statut")).to_contain_text(f"{len(attendus)} résultats", timeout=30000)


def test_axe_on_search_results(page, served):
    for url, pret in (("/recherche/?mots=insertion&type=Territoire", ".guide-recherche__resultat"),
                      ("/?q=insertion", ".md-search-result__item")):
        page.goto(served + url)
        page.locator(pret).first.wait_for(timeout=30000)
        violations = axe_violations(page)
        assert violations == [], (url, violations)


# ---------- What is indexed ----------

def test_every_reading_page_is_indexed_and_nothing_else(site_dir, guide):
    """Pagefind reads the article of every page but the print pages and the results page; each page
    carries its type (and, for a territory, its région, type de collectivité and champs) as filters;
    Material's own index holds no document."""
    marquees = [p for p in site_dir.rglob("index.html") if "data-pagefind-body" in p.read_text(encoding="utf-8")]
    entree = json.loads((site_dir / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert sum(lang["page_count"] for lang in entree["languages"].values()) == len(marquees)
    noms = {p.relative_to(site_dir).parent.as_posix() for p in marquees}
    assert {f"territoires/{s}" for s in guide.territoires} <= noms and {f"champs/{s}" for s in guide.champs} <= noms
    assert not any(n.startswith(("imprimer", "recherche")) for n in noms)
    assert json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"] == []
    terr = next(iter(guide.territoires.values()))
    soup = BeautifulSoup((site_dir / "territoires" / terr.slug / "index.html").read_text(encoding="utf-8"), "lxml")
    filtres = defaultdict(set)
    for span in soup.select("[data-pagefind-ignore] [data-pagefind-filter]"):
        filtres[span["data-pagefind-filter"]].add(span.get_text())
    assert filtres["type"] == {"Territoire"} and filtres["region"] == {terr.data["region"]}
    assert filtres["champ"] == {guide.champs[c].titre_court for c in export.champs_de(terr)}


# ----------------------------------------------------------------------------------------------------------
# The indexing process (macros/guide/sorties/indexation.py), on its own

def _page_indexable(titre: str) -> str:
    return (f'<!doctype html><html lang="fr"><head><meta charset="utf-8"></head><body>'
            f'<article data-pagefind-body><h1>{titre}</h1><p>Œuvre et cœur de {titre}.</p></article></body></html>')


def test_pages_handed_over_after_the_early_write_are_indexed_too(tmp_path):
    """The index is written as soon as the build has handed over the pages it counted; a page that comes
    after (a short count) is indexed and the index written again, with the words written with a ligature."""
    from guide.sorties.indexation import Indexation
    indexation = Indexation([], tmp_path / "pagefind")
    indexation.ajouter(_page_indexable("Alpha"), "/alpha/")
    indexation.ecrire()
    indexation.ajouter(_page_indexable("Bêta"), "/beta/")
    ligatures = indexation.terminer()
    entree = json.loads((tmp_path / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entree["languages"]["fr"]["page_count"] == 2
    assert ligatures == {"oeuvre": "œuvre", "coeur": "cœur"}



def test_words_after_a_typographic_apostrophe_or_with_a_pdf_ligature_are_found(tmp_path, page):
    """An editor pastes from Word « Fonds d’amorçage » (U+2019) and from a PDF « la ﬁlière » (U+FB01): a search
    for « amorçage » or « filière » finds the page (editor QA: neither did). Pagefind's own search, in Chromium,
    on an index written by the guide's indexing process."""
    from guide.sorties.indexation import Indexation
    indexation = Indexation([], tmp_path / "pagefind")
    for titre, texte in [("Alpha", "Fonds d’amorçage de la ﬁlière"), ("Bêta", "Rien de tel ici")]:
        indexation.ajouter(f'<!doctype html><html lang="fr"><head><meta charset="utf-8"></head><body>'
                           f'<article data-pagefind-body><h1>{titre}</h1><p>{texte}.</p></article></body></html>',
                           f"/{titre}/")
    indexation.terminer()
    (tmp_path / "index.html").write_text('<!doctype html><meta charset="utf-8"><title>t</title>', encoding="utf-8")
    with serving(tmp_path) as base:
        page.goto(base + "/index.html")
        for mot in ("amorçage", "amorcage", "filière", "d'amorçage"):
            urls = page.evaluate("""async (mot) => {
                const pagefind = await import("/pagefind/pagefind.js");
                const r = await pagefind.search(mot);
                return Promise.all(r.results.map(x => x.data().then(d => d.url)));
            }""", mot)
            assert urls == ["/Alpha/"], (mot, urls)

def test_an_index_that_cannot_be_written_is_an_error_not_a_wait():
    """Pagefind's service cannot create the index's folder: the indexing process says so at once, and the
    build gets a French error (hooks.on_post_build reports it naming no fiche) instead of waiting forever."""
    from guide.sorties.indexation import Indexation
    indexation = Indexation([], "/proc/guide-dossier-impossible/pagefind")
    indexation.ajouter(_page_indexable("Gamma"), "/gamma/")
    with pytest.raises(RuntimeError, match=r"l'index de recherche \(Pagefind\) n'a pas pu être écrit"):
        indexation.terminer()
    assert indexation.processus.poll() is not None


def test_an_index_with_an_empty_or_unreadable_file_is_refused(tmp_path):
    """The index is checked once Pagefind's service has ended: an empty entry file (what a service stopped in
    the middle of its writes left in one CI run) or any empty file fails the build, in French, before the site
    is published with a search that cannot load."""
    from guide.sorties.indexation import Indexation, verifier
    dossier = tmp_path / "pagefind"
    indexation = Indexation([], dossier)
    indexation.ajouter(_page_indexable("Delta"), "/delta/")
    indexation.terminer()
    assert verifier(dossier) is None
    fragment = next((dossier / "fragment").iterdir())
    contenu = fragment.read_bytes()
    fragment.write_bytes(b"")
    assert "1 fichier(s) vide(s) ou tronqué(s), dont fragment/" in verifier(dossier)
    # cut short, as one CI build left a page's fragment (the service's exit stopped its writes): refused too
    fragment.write_bytes(contenu[:len(contenu) // 2])
    assert "1 fichier(s) vide(s) ou tronqué(s), dont fragment/" in verifier(dossier)
    fragment.write_bytes(contenu)
    assert verifier(dossier) is None
    (dossier / "pagefind-entry.json").write_text("", encoding="utf-8")
    assert "illisible (pagefind-entry.json" in verifier(dossier)


def test_the_write_waits_until_every_file_pagefind_created_is_whole(tmp_path):
    """Pagefind answers a write before its bytes are on disk (tokio, no flush): the indexing process waits until
    every file it created holds all its content (a gzip stream to its end) before it says the index is written
    and lets the service end; a fragment cut short by the service's exit was published once."""
    import asyncio
    import concurrent.futures
    import gzip
    import threading
    from guide.sorties.indexation import _ecrits
    (tmp_path / "fragment").mkdir()
    fichier = tmp_path / "fragment" / "a.pf_fragment"
    entier = gzip.compress(b"pagefind_dcd" + b'{"url": "/a/"}' * 200)
    fichier.write_bytes(entier[:len(entier) // 2])
    # (timed from the timer's start: on a loaded machine the thread below started a quarter second late, and the
    # wait, timed from there, looked too short; CI)
    debut = time.monotonic()
    threading.Timer(0.3, fichier.write_bytes, args=(entier,)).start()
    # In a thread of its own: the browser tests of this module run an event loop in this one.
    with concurrent.futures.ThreadPoolExecutor(1) as fil:
        fin = fil.submit(asyncio.run, asyncio.wait_for(_attendre(_ecrits(str(tmp_path))), 10)).result()
    assert fin - debut >= 0.25 and fichier.read_bytes() == entier


async def _attendre(coroutine) -> float:
    """The moment `coroutine` ends (time.monotonic)."""
    await coroutine
    return time.monotonic()


def test_a_search_boost_that_is_not_a_weight_stops_the_build_naming_the_page():
    from types import SimpleNamespace
    from mkdocs.exceptions import PluginError
    from guide.plugin import GuidePlugin

    def page(boost):
        return SimpleNamespace(meta={"search": {"boost": boost}}, file=SimpleNamespace(src_uri="ressources/x.md"))
    assert GuidePlugin._poids_de_recherche(page(0.3)) == 0.3
    assert GuidePlugin._poids_de_recherche(SimpleNamespace(meta={}, file=None)) is None
    for mauvais in ("bas", 11, -1, True):
        with pytest.raises(PluginError, match=r"docs/ressources/x\.md : « search: boost: .* » : un nombre de 0 à 10"):
            GuidePlugin._poids_de_recherche(page(mauvais))


# ---------- Typing, pasting, Enter (search QA of the twenty-fifth session) ----------

@pytest.mark.parametrize("debut, mot", [("solida", "solidaire"), ("asso", "association"), ("inser", "insertion"),
                                        ("pro", "projet")])  # « pro »: a word of two pages, « projet » of 80
def test_a_word_cut_short_while_typing_finds_at_least_what_its_completion_finds(boite, debut, mot):
    """« solida » (stem « solid ») found only the page holding « solide », « asso » only « TremplinAsso »: a word
    being typed that the guide does not write whole is completed, even when its stem is found."""
    taper(boite, mot)
    entier = total(boite)
    taper(boite, debut)
    assert total(boite) >= entier, (debut, total(boite), mot, entier)


@pytest.mark.parametrize("requete", ["grand est", "rennes metropole", "monnaie locale"])
def test_a_word_the_guide_writes_whole_is_not_completed_into_another(boite, requete):
    """« grand est » showed « grand estime » in the box, and the → key, which accepts it, left 2 results."""
    taper(boite, requete)
    boite.wait_for_timeout(500)  # the completion comes with the list
    assert boite.locator(".md-search__suggest").inner_text().strip() == "", boite.locator(".md-search__suggest").inner_text()


def test_a_query_pasted_without_a_key_is_searched(boite):
    """Pasted with the mouse or a phone's « Coller » (no key pressed), the words were not searched: the list still
    answered the previous query, and Enter opened its results."""
    taper(boite, "spaser")
    boite.locator(BOX).evaluate("""i => { i.value = 'monnaie locale';
        i.dispatchEvent(new InputEvent('input', {inputType: 'insertFromPaste', bubbles: true})) }""")
    boite.wait_for_function("""() => [...document.querySelectorAll(".md-search-result__item > a")]
        .some(a => a.href.includes("/recherche/?") && new URL(a.href).searchParams.get("mots") === "monnaie locale")""",
                            timeout=30000)


def test_enter_right_after_typing_does_what_it_does_once_the_list_is_there(browser, served, guide):
    """Enter pressed within the search's pause (300 ms) did nothing, or opened the previous query's best link; then
    it opened the results page where, a second later, it opened the page whose title was typed (verifying QA)."""
    terr = next(t for t in guide.territoires.values() if re.fullmatch(r"[A-Za-zÀ-ÿ]{6,}", t.data["nom"]))
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(served + "/")
        page.keyboard.press("/")
        page.locator(BOX).press_sequentially("monnaie", delay=5)
        page.locator(BOX).press("Enter")
        page.wait_for_url(re.compile(r"/recherche/\?mots=monnaie$"), timeout=10000)
        expect(page.locator("#recherche-statut")).to_contain_text("pour « monnaie »", timeout=20000)
        page.goto(served + "/")
        page.keyboard.press("/")
        page.locator(BOX).press_sequentially(terr.data["nom"], delay=5)
        page.locator(BOX).press("Enter")
        page.wait_for_url(re.compile(rf"/territoires/{terr.slug}/"), timeout=10000)
    finally:
        context.close()


def test_each_result_link_is_named_by_what_it_shows(boite):
    """Material's result link wraps an <article>: Chromium named it nothing, and a screen reader heard « lien »."""
    taper(boite, "insertion")
    arbre = boite.locator(".md-search-result__list").aria_snapshot()
    liens = [ligne for ligne in arbre.splitlines() if ligne.strip().startswith("- link")]
    assert len(liens) > 3 and all(re.match(r"\s*- '?link \"[^\"]{3,}", l) for l in liens), liens[:5]


def test_tab_goes_through_the_results_and_back_to_the_box(boite):
    """Tab from the header's box closed Material's search, and the next Tab stop was its scrolling box, hidden by then
    and nameless: the results were reached by the arrows only (keyboard QA). Tab now goes through the results in the
    order of Material's arrows, Shift+Tab back to the box; past the last result, the search closes and the focus goes
    on to the page."""
    taper(boite, "marchés réservés")
    # The focused element's rank among the list's links and summaries (Material's order for its arrows), -1 elsewhere.
    actif = """[...document.querySelectorAll(".md-search-result__list :is(:not(details) > [href], summary, details[open] [href])")]
        .indexOf(document.activeElement)"""
    n = boite.evaluate(actif.replace(".indexOf(document.activeElement)", ".length"))
    assert n > 3
    boite.locator(BOX).focus()
    for rang in range(3):
        boite.keyboard.press("Tab")
        assert boite.evaluate(actif) == rang
    assert boite.evaluate("document.getElementById('__search').checked"), "la recherche s'est fermée"
    for rang in (1, 0):
        boite.keyboard.press("Shift+Tab")
        assert boite.evaluate(actif) == rang
    boite.keyboard.press("Shift+Tab")
    assert boite.evaluate("document.activeElement.matches('input.md-search__input')")
    # (Material draws the list's next items as it scrolls: Tab goes on until the focus leaves the list.)
    boite.keyboard.press("Tab")
    for _ in range(300):
        if boite.evaluate(actif) < 0:
            break
        boite.keyboard.press("Tab")
    apres = boite.evaluate("""(() => { const e = document.activeElement, r = e.getBoundingClientRect();
        return {recherche: !!e.closest('.md-search'), visible: r.width > 0 && r.height > 0 && r.bottom > 0,
                texte: (e.getAttribute('aria-label') || e.textContent).trim()} })()""")
    assert not apres["recherche"] and apres["visible"] and apres["texte"], apres
    assert not boite.evaluate("document.getElementById('__search').checked")


def test_the_opened_page_highlights_forms_of_the_query_not_its_definition(boite):
    """« PTCE » highlighted each « coopération » of the page it opened (143 marks), the words of its definition."""
    taper(boite, "PTCE")
    hrefs = boite.locator(".md-search-result__item > a:not([href*='recherche/?'])").evaluate_all(
        "as => as.map(a => a.href)")
    surlignes = {m for h in hrefs for m in (parse_qs(urlsplit(h).query).get("h") or [""])[0].split()}
    assert surlignes and surlignes <= {"ptce", "ptces"}, surlignes


@pytest.mark.parametrize("requete", ["25000", "25 000"])
def test_a_figure_is_searched_as_the_pages_write_it_not_as_its_groups_anywhere(page, served, textes_plies, requete):
    """« 25000 » and « 25 000 » found every page holding a « 25 » and a « 000 » anywhere (search and verifying QA):
    each page they find writes « 25 000 »."""
    page.goto(f"{served}/recherche/?mots={quote(requete)}")
    expect(page.locator("#recherche-statut")).to_contain_text("résultat", timeout=20000)
    hrefs = page.locator(".guide-recherche__liste > li").evaluate_all(
        "lis => lis.map(li => li.querySelector('a').getAttribute('href'))")
    ecrivent = {a for a, t in textes_plies.items() if re.search(r"\b25 000\b", t)}
    trouvees = {re.sub(r"^(\.\./)+|[?#].*$", "", urlsplit(h).path.lstrip("/")) for h in hrefs}
    assert hrefs and trouvees <= ecrivent, sorted(trouvees - ecrivent)


def test_a_word_in_no_page_leads_to_the_list_of_territories(boite, page, served):
    """« Quimper », a place without a fiche, said only that the word was nowhere."""
    taper(boite, "Zorglubville")
    hrefs = boite.locator(".md-search-result__item > a").evaluate_all("as => as.map(a => new URL(a.href).pathname)")
    assert sum(h.endswith("/territoires/") for h in hrefs) == 1, hrefs
    assert "mot proche" not in boite.locator(".md-search-result__meta").inner_text()
    page.goto(f"{served}/recherche/?mots=Zorglubville")
    expect(page.locator("#recherche-statut")).to_contain_text("Aucun résultat", timeout=20000)
    expect(page.locator("#recherche-resultats a[href$='/territoires/']")).to_have_count(1)


def test_each_result_in_the_header_shows_why_it_matched(boite, guide):
    """A code found only in « Identité officielle » listed its page and that section with no excerpt at all: Material
    hides a page's excerpt as soon as it lists sections, and the section's, the same, had been left out."""
    terr = next(t for t in guide.territoires.values() if t.data.get("code_insee") and t.data["type"] == "commune")
    taper(boite, terr.data["code_insee"])
    resultats = boite.locator(".md-search-result__item:not(:has(a[href*='recherche/?']))")
    assert resultats.count() >= 1
    for item in resultats.all():
        # (Material writes an excerpt after the heading of its <article>, without an element of its own)
        assert item.locator("article").evaluate_all("""as => as.some(a => [...a.childNodes]
            .some(n => !/^(H1|H2|DIV)$/.test(n.nodeName) && n.textContent.trim()))"""), item.inner_text()


def test_back_from_a_result_finds_the_results_page_as_it_was(browser, served):
    """Back from result 25 (after « Afficher plus de résultats ») showed 20 results, at the count (search QA)."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 800}, has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{served}/recherche/?mots=spaser")
        expect(page.locator(".guide-recherche__plus")).to_be_visible(timeout=30000)
        page.locator(".guide-recherche__plus").click()
        resultats = page.locator(".guide-recherche__liste > li")
        expect(resultats.nth(20)).to_be_attached(timeout=20000)
        montres = resultats.count()
        lien = resultats.nth(montres - 2).locator("a").first
        lien.scroll_into_view_if_needed()
        y = page.evaluate("scrollY")
        lien.click()
        page.wait_for_url(lambda u: "/recherche/" not in u, timeout=10000)
        page.go_back()
        page.wait_for_function("n => document.querySelectorAll('.guide-recherche__liste > li').length === n",
                               arg=montres, timeout=20000)
        page.wait_for_function("y => Math.abs(scrollY - y) < 50", arg=y, timeout=10000)
        # A new visit of the same address starts at the top again, with the first results.
        page.goto(f"{served}/recherche/?mots=spaser")
        expect(page.locator(".guide-recherche__plus")).to_be_visible(timeout=30000)
        assert resultats.count() == 20
    finally:
        context.close()


def test_back_from_a_result_the_box_offers_the_words_again(browser, served):
    """On a phone, back from a result of « clauses sociales », the box opened empty (« Taper pour démarrer la
    recherche »): the reader had to type her words again between two meetings (phone QA). Opened again, the box holds
    them, selected (typing replaces them), with their list; once: emptied on purpose, it stays empty."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{served}/champs/foncier-tiers-lieux/")
        page.locator("label[for='__search']").first.click()
        box = page.locator(BOX)
        box.fill("clauses sociales")
        box.press("End")
        expect(page.locator(".md-search-result__meta")).to_contain_text("pour « clauses sociales »", timeout=20000)
        page.locator(".md-search-result__item > a[href*='champs/']").first.click()
        page.wait_for_url(lambda u: "foncier" not in u, timeout=10000)
        page.go_back()
        page.wait_for_url(lambda u: "foncier" in u, timeout=10000)
        page.locator("label[for='__search']").first.click()
        expect(box).to_have_value("clauses sociales", timeout=5000)
        expect(page.locator(".md-search-result__meta")).to_contain_text("pour « clauses sociales »", timeout=20000)
        assert page.evaluate("() => { const b = document.querySelector('input.md-search__input');"
                             " return b.selectionStart === 0 && b.selectionEnd === b.value.length }")
        page.keyboard.type("spaser")
        expect(box).to_have_value("spaser")
        # emptied and closed, then opened again: empty
        box.fill("")
        page.keyboard.press("Escape")
        page.locator("label[for='__search']").first.click()
        expect(box).to_have_value("")
    finally:
        context.close()


def test_a_departement_code_or_a_postcode_leads_to_its_territories(boite, page, served, guide):
    """« 35 » listed « 35 % » first and Ille-et-Vilaine third; « 35000 » a page holding « 35 000 € » (search QA): a
    query that is a département's code or a postcode also leads to the finder filtered on that département."""
    code, nom, territoires = max((d for d in export.par_departement(guide) if d[0].isdigit() and d[0] != "20"),
                                 key=lambda d: len(d[2]))
    taper(boite, code)
    lien = boite.locator(f".md-search-result__item a[href*='territoires/?departement={code}']")
    expect(lien).to_have_count(1)
    assert nom in lien.inner_text() and str(len(territoires)) in lien.inner_text()
    page.goto(f"{served}/recherche/?mots={code.ljust(5, '1')}")  # a postcode of that département
    lien = page.locator(f"#recherche-resultats a[href$='/territoires/?departement={code}']")
    expect(lien).to_have_count(1, timeout=20000)
    lien.click()
    page.wait_for_url(re.compile(rf"/territoires/\?departement={code}$"))
    expect(page.locator("tr[data-departements]:visible")).to_have_count(len(territoires), timeout=10000)



def test_a_type_of_collectivite_named_leads_to_its_territories(boite, page, served, guide):
    """« communauté de communes » put Figeac, one of the guide's four, 50th of 69 results: its title is its name alone
    (reader QA). A query naming a type of collectivité, in the singular or the plural, also leads to the finder
    filtered on that type."""
    from guide.modele.schemas import libelles
    types = export.par_type(guide)
    cle = max((c for c in types if " " in libelles()["type"][c] and "(" not in libelles()["type"][c]), key=types.get)
    libelle = libelles()["type"][cle]
    taper(boite, libelle.lower())
    lien = boite.locator(f".md-search-result__item a[href*='territoires/?type={cle}']")
    expect(lien).to_have_count(1)
    assert libelle in lien.inner_text() and str(types[cle]) in lien.inner_text()
    pluriel = " ".join(m if m in ("de", "d'", "du") else m + "s" for m in libelle.lower().split(" "))
    page.goto(f"{served}/recherche/?mots={pluriel}")
    lien = page.locator(f"#recherche-resultats a[href$='/territoires/?type={cle}']")
    expect(lien).to_have_count(1, timeout=20000)
    lien.click()
    page.wait_for_url(re.compile(rf"/territoires/\?type={cle}$"))
    expect(page.locator("tr[data-type]:visible")).to_have_count(types[cle], timeout=10000)
    # a query that only holds such a name is not one: no link
    page.goto(f"{served}/recherche/?mots={libelle.lower()} financement")
    expect(page.locator("#recherche-resultats ol li").first).to_be_visible(timeout=20000)
    expect(page.locator(f"#recherche-resultats a[href$='/territoires/?type={cle}']")).to_have_count(0)


def _mots_cherches_dans_leurs_territoires(boite, page, served, mots: str, nomme: str, nomme_page: str, filtre: str,
                                         libelle: str) -> list[str]:
    """« <mots> <nomme> » typed in the header and (« <mots> <nomme_page> ») opened on the results page: each offers one
    link to the words searched with the filter `filtre`, which the results page applies (its count says it); the
    territories listed then, by slug."""
    taper(boite, f"{mots} {nomme}")
    lien = boite.locator(f".md-search-result__item a[href*='{filtre}=']")
    expect(lien).to_have_count(1)
    assert f"« {mots} »" in lien.inner_text() and libelle in lien.inner_text()
    page.goto(f"{served}/recherche/?mots={mots} {nomme_page}")
    lien = page.locator(f"#recherche-resultats a[href*='{filtre}=']")
    expect(lien).to_have_count(1, timeout=20000)
    lien.click()
    page.wait_for_url(lambda url: urlsplit(url).path.endswith("/recherche/")
                      and parse_qs(urlsplit(url).query).get("mots") == [mots] and filtre in parse_qs(urlsplit(url).query))
    expect(page.locator("#recherche-statut")).to_contain_text("filtres : " + libelle, timeout=20000)
    resultats = page.locator("#recherche-resultats .guide-recherche__titre a").evaluate_all("liens => liens.map(a => a.pathname)")
    slugs = [re.search(r"/territoires/([^/]+)/", r).group(1) for r in resultats]
    assert slugs, resultats
    return slugs


def test_a_type_named_after_other_words_searches_them_in_its_territories(boite, page, served, guide):
    """« clauses sociales département » put the one département that uses them 6th (département agent's QA): a type of
    collectivité named after other words leads to those words searched in that type's territories (the results
    page's filter). Named first, it is a territory's name (« métropole de Lyon »): no such link."""
    from guide.modele.schemas import libelles
    libelle = libelles()["type"]["departement"]
    slugs = _mots_cherches_dans_leurs_territoires(boite, page, served, "clauses sociales", libelle.lower(),
                                                  f"{libelle.lower()}s", "collectivite", libelle)
    assert all(guide.territoires[s].data["type"] == "departement" for s in slugs), slugs
    page.goto(f"{served}/recherche/?mots=m\u00e9tropole de Lyon")
    expect(page.locator("#recherche-resultats ol li").first).to_be_visible(timeout=20000)
    expect(page.locator("#recherche-resultats a[href*='collectivite=']")).to_have_count(0)


def test_a_region_named_after_other_words_searches_them_in_its_territories(boite, page, served, guide):
    """« tiers-lieux Grand Est » listed Grand-Orly Seine Bièvre and Grand Paris Sud Est Avenir first, for their
    « Grand » and « Est » (phone QA): a région named after other words leads to them searched in its territories;
    named alone, to its territories in the finder."""
    region, membres = max(guide.par_region(), key=lambda r: len(r[1]))
    slugs = _mots_cherches_dans_leurs_territoires(boite, page, served, "coopération", region, region, "region", region)
    assert all(guide.territoires[s].data["region"] == region for s in slugs), slugs
    taper(boite, region)
    lien = boite.locator(".md-search-result__item a[href*='territoires/?region=']")
    expect(lien).to_have_count(1)
    assert f"les {len(membres)} territoires du guide de cette région" in lien.inner_text()


def test_a_question_finds_what_its_subject_finds(boite):
    """« qui fait déjà des marchés réservés ? » listed 4 pages, none a territory's: the pages holding « fait » and
    « déjà » too (verifying QA). The verbs of a question are not searched when it names something else."""
    taper(boite, "marchés réservés")
    sujet = total(boite)
    taper(boite, "qui fait déjà des marchés réservés ?")
    assert total(boite) == sujet


def test_a_word_repeated_is_searched_once(page, served):
    """« coopération » pasted 100 times took 3 s in the header on a phone, 7 s from a shared address, and « ac ac
    ac » proposed the same words three times (attacker QA): each word is searched once."""
    comptes = []
    for requete in ("coopération", " ".join(["coopération"] * 100)):
        page.goto(f"{served}/recherche/?mots={quote(requete)}")
        statut = page.locator("#recherche-statut")
        expect(statut).to_contain_text("résultats pour", timeout=30000)
        comptes.append(re.match(r"(\d+) résultats", statut.inner_text()).group(1))
    assert comptes[0] == comptes[1], comptes
    page.goto(f"{served}/recherche/?mots={quote('zorglubville zorglubville zorglubville')}")
    expect(page.locator("#recherche-statut")).to_contain_text("Aucun résultat", timeout=20000)
    assert page.locator(".guide-recherche__inconnus p", has_text="zorglubville").count() == 1


def test_invisible_characters_of_a_shared_address_are_not_shown(page, served):
    """« ?mots=%E2%80%AE… » showed its words reversed, a text of its author's choosing (attacker QA)."""
    page.goto(f"{served}/recherche/?mots=%E2%80%AEelbinopsidni%E2%80%8B%20etis")
    statut = page.locator("#recherche-statut")
    expect(statut).to_contain_text("pour", timeout=20000)
    texte = statut.inner_text() + page.locator("#recherche-mots").input_value()
    assert not re.search(r"[\u200b-\u200f\u202a-\u202e\u2066-\u2069]", texte), ascii(texte)
