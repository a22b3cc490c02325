"""Precision of the search as one types (issue 23), on a held-out set of queries (recherche_precision.yaml):
words that are nowhere, mistyped, cut short, acronyms, exact titles; the count announced; the header's list
at 390 px, Enter at 1,366 px; the menu by keyboard below 1,220 px; the search opened from a folder (file://).
A site built for a sub-path and served under it: test_liens.py, on the site built as published."""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import yaml
from playwright.sync_api import expect

from test_recherche import BOX, total

from guide.sorties import recherche

CAS = yaml.safe_load(Path(__file__).with_name("recherche_precision.yaml").read_text(encoding="utf-8"))
ITEMS = ".md-search-result__item > a:first-child"


def plier(mot: str) -> str:
    return recherche.plier(mot)


@pytest.fixture(scope="module")
def vocabulaire(site_dir) -> set[str]:
    """The guide's words (folded), as the build wrote them for the query layer."""
    mots = set()
    for fichier in (site_dir / recherche.VOCABULAIRE).glob("*.json"):
        mots |= {plier(m) for m in json.loads(fichier.read_text(encoding="utf-8"))}
    assert len(mots) > 1000
    return mots


@pytest.fixture(scope="module")
def telephone(browser, served):
    """The header's search box at 390 px, shared by the tests of this module that type into it."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(served + "/")
    yield page
    context.close()


def saisir(page, requete: str) -> list[str]:
    """Type `requete` into the header's box; wait for the list to answer it (its first link leads to the
    results page of this very query); return the titles of the list's items."""
    box = page.locator(BOX)
    if not box.is_visible():
        page.keyboard.press("/")
    box.press("Control+a")
    box.press("Backspace")
    expect(page.locator(".md-search-result__list > li")).to_have_count(0, timeout=10000)
    # The query is put in the box at once, then a key is released there, which is when Material reads the box: the
    # results are those of the query whole. Typing it key by key would search each prefix on the way (a second per
    # query, over the suite's hundreds); the test of typing itself presses the keys one by one (Enter right after
    # typing).
    box.fill(requete)
    box.press("End")
    page.wait_for_function("""q => [...document.querySelectorAll(".md-search-result__item > a")]
        .some(a => a.href.includes("/recherche/?") && new URL(a.href).searchParams.get("mots") === q)""",
                           arg=requete.strip(), timeout=30000)
    return page.locator(f"{ITEMS} h1").all_inner_texts()


def pages_listees(page) -> list[str]:
    """The results listed: not the links to the results page, nor, when nothing is found, the ways to the list of
    territories (a place without a fiche is in no page) and to the levers (nor a subject the publications leave)."""
    return [h for h, t in page.locator(ITEMS).evaluate_all("as => as.map(a => [a.href, a.textContent])")
            if "/recherche/?" not in h and "Parcourir les territoires du guide" not in t
            and "Parcourir les leviers d'action" not in t]


@pytest.mark.parametrize("mot", CAS["absents"])
def test_a_word_that_is_nowhere_gives_no_page_and_says_so(telephone, served, vocabulaire, mot):
    assert plier(mot) not in vocabulaire, f"« {mot} » figure dans le guide : choisir un autre mot absent"
    titres = saisir(telephone, mot)
    assert pages_listees(telephone) == []
    assert titres[0] == f"Aucun résultat pour « {mot} »"
    expect(telephone.locator(".md-search-result__meta")).to_have_text(re.compile(rf"^Aucun résultat pour « {mot} »"))
    # a place or a subject: the ways to the territories and to the levers (reader QA: « piscine » was offered the
    # territories only, as if a place)
    assert [t.split("\n")[-1] for t in titres[-2:]] == ["Parcourir les territoires du guide",
                                                       "Parcourir les leviers d'action"], titres
    telephone.locator(ITEMS, has_text="Parcourir les leviers d'action").click()
    telephone.wait_for_url(re.compile(r"/leviers/(\?h=)?$"))
    # …and so does the results page
    telephone.goto(f"{served}/recherche/?" + urlencode({"mots": mot}))
    expect(telephone.locator(".guide-recherche__inconnus a", has_text="les leviers d'action du guide")).to_have_attribute(
        "href", re.compile(r"/leviers/$"), timeout=30000)
    telephone.goto(served + "/")


def test_the_fictional_examples_of_the_model_are_not_results(telephone, site_dir):
    """« budget ESS » listed the model of the fiches among its results, for its fictional example « Le budget ESS de la
    ville » of « Saint-Aubin-l'Exemple » (reader QA): the fiches' source shown as an example is not what the guide says."""
    modele = (site_dir / "ressources" / "modele" / "index.html").read_text(encoding="utf-8")
    assert "Saint-Aubin-l'Exemple" in modele.replace("&#39;", "'")
    saisir(telephone, "Saint-Aubin")  # (a commune of Rouen's too: its page is found)
    listees = pages_listees(telephone)
    assert listees and not any("/ressources/modele/" in h for h in listees), listees
    saisir(telephone, "modèle des fiches")  # the page itself is still found
    assert any("/ressources/modele/" in h for h in pages_listees(telephone))


def test_a_mistyped_word_is_offered_its_correction_before_the_other_words_alone(telephone):
    """« monaie locale »: « Chercher seulement « locale » » came before « Vouliez-vous dire « monnaie » ? » in the
    header's list, where the results page gives the corrections first (search QA)."""
    titres = saisir(telephone, "monaie locale")
    corrections = [i for i, t in enumerate(titres) if t == "Vouliez-vous dire « monnaie » ?"]
    seuls = [i for i, t in enumerate(titres) if t.startswith("Chercher seulement")]
    assert corrections and seuls and corrections[0] < seuls[0], titres


@pytest.mark.parametrize("question", ["qu'est-ce que l'ESS", "est-ce que la SCIC"])
def test_the_words_of_a_question_are_not_marked(telephone, question):
    """« qu'est-ce que l'ESS » marked « n'est » and « Est » (search QA): « est-ce » asks, it names nothing."""
    saisir(telephone, question)
    assert pages_listees(telephone)
    marques = telephone.locator(".md-search-result__list mark").evaluate_all("ms => ms.map(m => m.textContent)")
    assert marques and not [m for m in marques if plier(re.sub(r"(?i)^[nlcdjmst]['’]", "", m.strip(" .,;:()"))) == "est"]


@pytest.mark.parametrize("nom", CAS["noms_absents"])
def test_a_place_the_guide_does_not_name_gets_no_far_word_proposed(telephone, vocabulaire, nom):
    assert plier(nom) not in vocabulaire
    titres = saisir(telephone, nom)
    assert titres[0] == f"Aucun résultat pour « {nom} »" and pages_listees(telephone) == []
    proposes = [re.search(r"« (.+) »", t).group(1) for t in titres if t.startswith("Vouliez-vous dire")]
    assert not proposes, proposes


@pytest.mark.parametrize("requete", CAS["sans_reste"])
def test_a_missing_word_offers_no_search_of_a_name_s_other_part_or_of_little_words(telephone, vocabulaire, requete):
    absents = [m for m in re.split(r"[\s-]+", requete) if plier(m) not in vocabulaire]
    assert len(absents) == 1, absents
    titres = saisir(telephone, requete)
    assert titres[0] == f"Aucun résultat pour « {requete} »" and pages_listees(telephone) == []
    assert not [t for t in titres if t.startswith("Chercher seulement")], titres


@pytest.mark.parametrize("cas", CAS["sans_inconnu"], ids=[c["requete"] for c in CAS["sans_inconnu"]])
def test_a_query_with_a_missing_word_offers_its_other_words(telephone, served, vocabulaire, cas):
    """« bail emphytéotique » ended on « aucun résultat », « bail » on 8 pages one edit away (phone QA): the list and the
    results page say the word missing, list no page, and offer the other words alone with what they find."""
    def connu(mot):  # a word of the guide, or the start of one (the last word, being typed, is completed)
        return any(v.startswith(plier(mot)) for v in vocabulaire)
    absents = [m for m in re.split(r"[\s-]+", cas["requete"]) if not connu(m)]
    assert len(absents) == 1 and all(connu(m) for m in re.split(r"[\s-]+", cas["reste"]))
    titres = saisir(telephone, cas["requete"])
    assert pages_listees(telephone) == []
    assert titres[0] == f"Aucun résultat pour « {cas['requete']} »"
    (offre,) = [t for t in titres if t.startswith("Chercher seulement")]
    nombre = int(re.fullmatch(rf"Chercher seulement « {re.escape(cas['reste'])} » : (\d+) résultats?", offre).group(1))
    expect(telephone.locator(".md-search-result__meta")).to_contain_text("recherche sans ce mot proposée")
    saisir(telephone, cas["reste"])
    assert total(telephone) == nombre
    # The results page says the same, and its link leads to those results.
    telephone.goto(f"{served}/recherche/?" + urlencode({"mots": cas["requete"]}))
    lien = telephone.locator(".guide-recherche__inconnus a", has_text=f"pour « {cas['reste']} »")
    expect(lien).to_have_text(f"{nombre} résultat{'s' if nombre > 1 else ''} pour « {cas['reste']} »", timeout=30000)
    lien.click()
    expect(telephone.locator("#recherche-statut")).to_contain_text(f"{nombre} résultat", timeout=30000)
    assert parse_qs(urlsplit(telephone.url).query)["mots"] == [cas["reste"]]
    telephone.goto(served + "/")


@pytest.mark.parametrize("cas", CAS["territoires_nommes"], ids=[c["requete"] for c in CAS["territoires_nommes"]])
def test_a_territory_named_after_other_words_leads_to_its_page(telephone, served, guide, cas):
    slug = cas["page"].split("/")[1]
    assert guide.territoires[slug].data["nom"] == cas["nom"]
    # the header's list: the page right under « Tous les résultats », the query's other words notwithstanding
    titres = saisir(telephone, cas["requete"])
    assert titres[0].startswith("Tous les résultats") and cas["nom"] in titres[1], titres
    liens = telephone.locator(ITEMS).evaluate_all("as => as.map(a => new URL(a.href).pathname)")
    assert liens[1].endswith("/" + cas["page"]), liens
    # the results page says it, with a link to it
    telephone.goto(f"{served}/recherche/?" + urlencode({"mots": cas["requete"]}))
    raccourcis = telephone.locator(".guide-recherche__raccourci")
    expect(raccourcis.filter(has_text="nomme un territoire du guide")).to_have_count(1, timeout=30000)
    lien = raccourcis.filter(has_text="nomme un territoire du guide").locator("a")
    expect(lien).to_have_text(cas["nom"])
    assert urlsplit(lien.get_attribute("href")).path.endswith("/" + cas["page"])
    if cas.get("pas_type"):
        assert not [t for t in raccourcis.all_inner_texts() if "type de collectivité" in t]
    # named alone, its page comes first: no way to it is added
    telephone.goto(f"{served}/recherche/?" + urlencode({"mots": cas["nom"]}))
    expect(telephone.locator("#recherche-statut")).to_contain_text("résultat", timeout=30000)
    assert not telephone.locator(".guide-recherche__raccourci", has_text="nomme un territoire").count()
    if cas.get("pas_type"):  # (nor the type its name ends with: « Rennes Métropole » offered « chercher « Rennes » »)
        assert not [t for t in telephone.locator(".guide-recherche__raccourci").all_inner_texts() if "type de collectivité" in t]
    telephone.goto(served + "/")


@pytest.mark.parametrize("cas", CAS["proches"], ids=[c["requete"] for c in CAS["proches"]])
def test_a_word_one_slip_away_is_offered_without_a_word_two_slips_away(telephone, vocabulaire, cas):
    assert plier(cas["ecarte"]) in vocabulaire
    titres = saisir(telephone, cas["requete"])
    proposes = [re.search(r"« (.+) »", t).group(1) for t in titres if t.startswith("Vouliez-vous dire")]
    assert cas["propose"] in proposes and cas["ecarte"] not in proposes, proposes


@pytest.mark.parametrize("cas", CAS["fautes"], ids=[c["requete"] for c in CAS["fautes"]])
def test_a_mistyped_word_proposes_the_guide_s_word(telephone, served, vocabulaire, cas):
    assert plier(cas["requete"]) not in vocabulaire and plier(cas["propose"]) in vocabulaire
    titres = saisir(telephone, cas["requete"])
    assert pages_listees(telephone) == []
    assert f"Vouliez-vous dire « {cas['propose']} » ?" in titres, titres
    # before the way to the list of territories (phone QA: « Haguneau » showed that list first)
    parcourir = next(i for i, t in enumerate(titres) if t.endswith("Parcourir les territoires du guide"))
    assert titres.index(f"Vouliez-vous dire « {cas['propose']} » ?") < parcourir, titres
    # The proposal leads to the results of the corrected query, which has results.
    corrigee = cas.get("corrigee", cas["propose"])
    telephone.locator(ITEMS, has_text=f"« {cas['propose']} »").first.click()
    statut = telephone.locator("#recherche-statut")
    expect(statut).to_contain_text(re.compile(rf"^\d+ résultats? pour « {corrigee} »"), timeout=30000)
    # The results page of the query as typed proposes the same correction.
    telephone.goto(telephone.url.split("?")[0] + "?" + urlencode({"mots": cas["requete"]}))
    proposee = telephone.locator(".guide-recherche__inconnus a", has_text=re.compile(rf"^{cas['propose']}$"))
    expect(proposee).to_have_count(1, timeout=30000)
    assert parse_qs(urlsplit(proposee.get_attribute("href")).query)["mots"] == [corrigee]
    # Back to a page with the header's box for the next case (two « back » across a full load and Material's
    # instant navigation were once aborted by the browser on a loaded machine: CI).
    telephone.goto(served + "/")


@pytest.mark.parametrize("cas", CAS["coupes"], ids=[c["requete"] for c in CAS["coupes"]])
def test_a_word_cut_short_finds_what_the_whole_word_finds(telephone, cas):
    saisir(telephone, cas["mot"])
    entier = total(telephone)
    premiere = pages_listees(telephone)[0]
    saisir(telephone, cas["requete"])
    assert total(telephone) >= entier > 3
    assert premiere in pages_listees(telephone)


@pytest.mark.parametrize("mot", CAS["entiers"])
def test_a_word_typed_whole_finds_its_pages_before_the_longer_words_it_starts(telephone, vocabulaire, mot):
    assert plier(mot) in vocabulaire
    saisir(telephone, mot)
    # each page listed (its item: the page and its sections), whether a mark on it is the word typed whole
    entiers = telephone.locator(".md-search-result__item").evaluate_all("""(lis, mot) => lis
        .filter(li => !li.querySelector("a[href*='/recherche/?']"))
        .map(li => [...li.querySelectorAll("mark")].map(m => m.textContent))""", plier(mot))
    # a page marked only with longer words (« loin », « Loire ») is listed after every page of the word itself (the
    # stem Pagefind gives it: « loyer » is « loi » to its French stemmer, and marked as such)
    def plus_long(marque):
        marque = plier(marque.strip(".,;:()«» "))
        return marque.startswith(plier(mot)) and len(marque) > len(plier(mot))
    entiers = [not all(plus_long(m) for m in marques) for marques in entiers]
    assert len(entiers) > 3 and entiers[0], entiers
    assert entiers == sorted(entiers, reverse=True), entiers


def _meme_famille(mot: str, autre: str) -> bool:
    """Whether two folded words share the stem Pagefind's French stemmer gives them, near enough: all of the
    shorter but its last three letters, four at least (« sociale », « social »; « économie », « économique »)."""
    n = max(4, min(len(mot), len(autre)) - 3)
    return len(mot) >= n and len(autre) >= n and mot[:n] == autre[:n]


@pytest.mark.parametrize("cas", CAS["abreges"], ids=[c["requete"] for c in CAS["abreges"]])
def test_an_abbreviated_saint_finds_the_place(telephone, served, cas):
    saisir(telephone, cas["requete"])
    assert pages_listees(telephone)[0].split("?")[0] == f"{served}/{cas['page']}"


@pytest.mark.parametrize("sigle", CAS["sigles"])
def test_acronyms_match_and_mark_whole_words_only(telephone, vocabulaire, guide, sigle):
    """An acronym is marked where a page writes it whole, and the words of its definition where a page writes
    that (a glossary acronym finds its definition too: test_recherche.py)."""
    saisir(telephone, sigle)
    assert pages_listees(telephone)
    definition = next((s["definition"] for s in guide.sigles if plier(s["sigle"]) == plier(sigle)), "")
    mots_definition = {plier(m) for m in re.split(r"[\s'’-]+", definition) if len(m) > 1}
    # Every mark, those of the sections Material folds (« N de plus sur cette page ») too.
    marques = telephone.locator(".md-search-result__list mark").evaluate_all("ms => ms.map(m => m.textContent)")
    assert marques
    for marque in marques:
        # The marked word, without an elided article nor punctuation; a compound name (« Plessis-Pâté »,
        # « UrgencESS », « SCOP/SCIC ») is marked whole when one of its parts is the word, as Pagefind indexes
        # the parts.
        mot = re.sub(r"(?i)^(?:[ldjnst]|qu)['’]", "", marque.strip(" .,;:()«»\"'’"))
        parties = re.split(r"[-/]|(?<=[a-zà-ÿ])(?=[A-ZÀ-Ý])", mot)
        assert {plier(p) for p in parties} & {plier(sigle), plier(sigle) + "s"} or any(
            _meme_famille(plier(p), m) for p in parties for m in mots_definition), (sigle, marque)


def test_a_one_letter_word_is_not_searched(telephone):
    titres = saisir(telephone, "à")
    assert pages_listees(telephone) == [] and titres == ["Aucun résultat pour « à »"]


def test_the_count_is_announced_to_screen_readers(telephone):
    saisir(telephone, "insertion")
    meta = telephone.locator(".md-search-result__meta")
    assert meta.get_attribute("aria-live") == "polite" and meta.get_attribute("role") == "status"
    expect(meta).to_have_text(f"{total(telephone)} résultats pour « insertion »")


@pytest.mark.parametrize("cas", CAS["articles"], ids=[c["requete"] for c in CAS["articles"]])
def test_an_article_of_a_code_is_found_however_it_is_typed(telephone, served, cas):
    saisir(telephone, cas["requete"])
    assert pages_listees(telephone)[0].split("?")[0].split("#")[0] == f"{served}/{cas['page']}"
    liste = telephone.locator(".md-search-result__list").inner_text()
    assert "séparément" not in liste and "ne figure dans aucune page" not in liste, liste[:500]
    premier = telephone.locator(".md-search-result__list > li").filter(
        has=telephone.locator(f"a[href^='{served}/{cas['page']}']")).first.inner_text()
    assert cas["numero"] in premier, premier
    if cas.get("seule"):
        assert len(pages_listees(telephone)) == 1, pages_listees(telephone)


@pytest.mark.parametrize("requete", CAS["articles_absents"])
def test_an_article_the_pages_do_not_cite_finds_no_page_and_says_so(telephone, requete):
    titres = saisir(telephone, requete)
    assert pages_listees(telephone) == [] and titres[0] == f"Aucun résultat pour « {requete} »", titres
    assert f"« {requete} »" in telephone.locator(".md-search-result__list").inner_text()


def test_the_list_ends_with_the_way_to_its_other_results_and_no_section_is_empty(telephone, served):
    """The header's list shows the first results: at its end, after the last, the way to the others (search QA: on a
    phone it stopped at its tenth result); a section whose passage is already shown above says so (it showed its
    heading over nothing: an action a champ page lists under two levers)."""
    saisir(telephone, "ESUS")
    articles = telephone.locator(".md-search-result__article h2").evaluate_all(
        "hs => hs.map(h => [h.textContent, h.parentElement.textContent.slice(h.textContent.length).trim()])")
    assert articles and all(texte for _, texte in articles), articles
    saisir(telephone, "coopérative")
    n = total(telephone)
    assert n > 10
    dernier = telephone.locator(".md-search-result__list > li").last
    for _ in range(10):  # Material renders the items after the tenth as the list is scrolled
        telephone.locator(".md-search__scrollwrap").evaluate("s => { s.scrollTop = s.scrollHeight }")
        telephone.wait_for_timeout(200)
        if "autres résultats" in dernier.inner_text():
            break
    assert dernier.inner_text().startswith(f"Voir les {n - 9} autres résultats"), dernier.inner_text()
    lien = dernier.locator("a").first.get_attribute("href")
    assert parse_qs(urlsplit(lien).query)["mots"] == ["coopérative"], lien


@pytest.fixture(scope="module")
def ordinateur(browser, served):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1366, "height": 800})
    page = context.new_page()
    page.goto(served + "/")
    yield page
    context.close()


@pytest.mark.parametrize("cas", CAS["titres"], ids=[c["requete"] for c in CAS["titres"]])
def test_the_exact_title_comes_first_and_enter_opens_it(ordinateur, served, cas):
    saisir(ordinateur, cas["requete"])
    assert pages_listees(ordinateur)[0].split("?")[0] == f"{served}/{cas['page']}"
    expect(ordinateur.locator(".md-search-result__meta")).to_have_text(
        re.compile(rf"^\d+ résultats? pour « {re.escape(cas['requete'])} »$"))
    # no way to the territories of a type or a région a word of the name names (« « Plaine » dans les territoires du
    # type : Commune »: Plaine Commune is no commune)
    assert not ordinateur.locator(".md-search-result__item", has_text="dans les territoires").count()
    ordinateur.locator(BOX).press("Enter")
    expect(ordinateur).to_have_url(re.compile(rf"^{re.escape(served)}/{re.escape(cas['page'])}(\?|$)"))
    ordinateur.goto(served + "/")


def test_enter_on_other_words_opens_every_result(ordinateur, served):
    saisir(ordinateur, "monnaie locale")
    n = total(ordinateur)
    ordinateur.locator(BOX).press("Enter")
    statut = ordinateur.locator("#recherche-statut")
    expect(statut).to_contain_text(f"{n} résultats pour « monnaie locale »", timeout=30000)
    # The count is announced with its results, never before them (a keyboard user would Tab into nothing).
    assert ordinateur.locator(".guide-recherche__resultat").count() > 0
    # The keyboard is at the count, and the next Tab at the first result (phone QA: some 16 Tab stops away).
    expect(statut).to_be_focused()
    ordinateur.keyboard.press("Tab")
    assert ordinateur.evaluate("() => !!document.activeElement.closest('.guide-recherche__resultat')")
    # The results page by keyboard: Tab reaches the words' field, the filters, then the results' links.
    ordinateur.locator("#recherche-mots").focus()
    atteints = []
    for _ in range(12):
        ordinateur.keyboard.press("Tab")
        atteints.append(ordinateur.evaluate("() => document.activeElement.closest('.guide-recherche__resultat') ? 'resultat' : document.activeElement.id"))
    assert "recherche-type" in atteints and "resultat" in atteints, atteints
    ordinateur.goto(served + "/")




def test_a_question_finds_its_subject_and_says_the_common_words_left_out(ordinateur, served):
    """« comment soutenir une scic » listed one page, on économie circulaire (phone QA); then the header's list said
    « Aucune page n'écrit « comment soutenir une scic » » without saying that « comment » and « une » were not
    searched (verifying QA)."""
    saisir(ordinateur, "comment soutenir une scic")
    assert pages_listees(ordinateur)[0].split("?")[0] == f"{served}/champs/cooperation-territoriale/"
    tous = ordinateur.locator(".md-search-result__item > a[href*='recherche/?mots=']").inner_text()
    assert "Mots courants non cherchés : comment, une." in tous and "« comment" not in tous, tous
    ordinateur.locator(BOX).press("Enter")
    statut = ordinateur.locator("#recherche-statut")
    expect(statut).to_contain_text("Mots courants non cherchés : comment, une.", timeout=30000)
    assert "n'écrit « comment" not in statut.inner_text()
    ordinateur.goto(served + "/")

def _en_vue(page, selecteur: str) -> bool:
    """Whether the element is wholly on the screen, under Material's header."""
    return page.locator(selecteur).first.evaluate("""e => { const r = e.getBoundingClientRect();
        return r.height > 0 && r.top >= 48 && r.bottom <= innerHeight }""")


@pytest.mark.parametrize("appareil", ["telephone", "ordinateur"])
def test_the_results_page_opens_on_its_filters_count_and_first_result(request, served, appareil):
    """Enter in the header's box: the first screen shows the words, the filters, the count and the first result. On a
    phone the five filters are folded under a summary that counts them (phone QA: a first screen of filters and no
    result; reader QA: brought to the top of the screen, the count had the filters a screen above)."""
    page = request.getfixturevalue(appareil)
    saisir(page, "monnaie locale")
    page.locator(BOX).press("Enter")
    statut = page.locator("#recherche-statut")
    expect(statut).to_contain_text("résultats pour « monnaie locale »", timeout=30000)
    expect(statut).to_be_focused()
    expect(page.locator(".guide-recherche__resultat a").first).to_be_visible()
    for selecteur in ("#recherche-mots", "#recherche-statut", ".guide-recherche__resultat h2"):
        assert _en_vue(page, selecteur), selecteur
    volet = page.locator("#recherche-volet")
    if appareil == "telephone":
        assert not volet.evaluate("d => d.open") and _en_vue(page, "#recherche-volet > summary")
        expect(volet.locator("summary")).to_have_text(re.compile(r"^Filtrer les résultats\s*aucun filtre$"))
        volet.locator("summary").click()
        page.select_option("#recherche-champ", index=1)
        expect(volet.locator("summary")).to_contain_text("1 filtre actif")
        expect(statut).to_contain_text("(filtres : ", timeout=30000)
    else:
        assert volet.evaluate("d => d.open") and _en_vue(page, "#recherche-levier")
        expect(volet.locator("summary")).to_be_hidden()
    page.goto(served + "/")

# ---------- The menu by keyboard below 1,220 px (Material#4101) ----------

@pytest.mark.parametrize("largeur", [390, 1000])
def test_the_menu_is_reached_by_keyboard_and_the_closed_drawer_is_not(browser, served, largeur):
    context = browser.new_context(locale="fr-FR", viewport={"width": largeur, "height": 800})
    page = context.new_page()
    page.goto(served + "/territoires/nantes-metropole/")
    atteints = []
    for _ in range(10):
        page.keyboard.press("Tab")
        atteints.append(page.evaluate("""() => { const e = document.activeElement;
            return e.closest('.md-sidebar--primary') ? 'tiroir' : e.getAttribute('for') || e.tagName }"""))
    assert "__drawer" in atteints and "tiroir" not in atteints, atteints
    menu = page.locator("label.md-header__button[for='__drawer']")
    menu.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    page.wait_for_function("() => document.activeElement.closest('.md-sidebar--primary') !== null")
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    assert page.evaluate("() => document.activeElement.getAttribute('for')") == "__drawer"
    context.close()


# ---------- Wherever the site is published ----------

def test_opened_from_a_folder_search_says_why_it_cannot_run(browser, site_dir):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1366, "height": 800})
    page = context.new_page()
    page.goto((site_dir / "territoires" / "index.html").as_uri())
    expect(page.locator("article .guide-hors-ligne")).to_contain_text("file://")
    expect(page.locator("article .guide-hors-ligne")).to_be_visible()
    page.goto((site_dir / "recherche" / "index.html").as_uri() + "?mots=insertion")
    expect(page.locator("#recherche-statut")).to_contain_text("file://")
    context.close()


def test_the_results_page_fits_320_px(browser, served):
    context = browser.new_context(locale="fr-FR", viewport={"width": 320, "height": 700})
    page = context.new_page()
    page.goto(served + "/recherche/?mots=insertion")
    page.locator(".guide-recherche__resultat").first.wait_for(timeout=30000)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    context.close()


def test_the_names_of_the_territories_are_written_by_their_last_letter(site_dir, guide):
    """The table of the names a query may end with, one file per last letter or digit (recherche.NOMS): a query loads
    one, not a table of every name and alias (400 kB at 2,000 fiches)."""
    noms = recherche.noms_des_territoires(guide)
    fichiers = {f.stem: json.loads(f.read_text(encoding="utf-8")) for f in (site_dir / recherche.NOMS).glob("*.json")}
    # one for each letter or digit a query may end with, empty where no name ends so (no 404 at « budget participatif »)
    assert sorted(fichiers) == sorted("abcdefghijklmnopqrstuvwxyz0123456789_")
    assert sum(1 for t in fichiers.values() if t) > 5
    attendus = 0
    for nom, ligne in noms.items():
        # (a name ending with an acronym in brackets is found by either: in the file of each)
        sigle = re.search(r"\(([^()]+)\)\s*$", nom)
        for forme in ([nom[:sigle.start()], sigle.group(1)] if sigle else [nom]):
            fin = re.findall(r"[a-z0-9]", plier(forme))[-1]
            assert fichiers[fin][nom] == ligne, nom
        attendus += len({re.findall(r"[a-z0-9]", plier(f))[-1] for f in ([nom[:sigle.start()], sigle.group(1)] if sigle else [nom])})
    assert sum(len(t) for t in fichiers.values()) == attendus


def test_typing_a_query_asks_for_no_file_the_site_does_not_have(page, served):
    """« budget participatif » asked for pagefind/guide-noms/f.json, which the build had not written: a 404 in the
    reader's console at each query ending with « f » (reader QA)."""
    manquants = []
    page.on("response", lambda r: manquants.append((r.status, r.url)) if r.status >= 400 else None)
    page.goto(served + "/")
    page.keyboard.press("/")
    for requete in ("budget participatif", "soutien au bâti", "ESS 2021", "clauses sociales"):
        box = page.locator(BOX)
        box.fill(requete)
        box.press("End")
        page.wait_for_function("""q => [...document.querySelectorAll(".md-search-result__item > a")]
            .some(a => a.href.includes("/recherche/?") && new URL(a.href).searchParams.get("mots") === q)""",
                               arg=requete, timeout=30000)
    assert not manquants, manquants


def test_an_excerpt_keeps_a_figure_s_groups_together(telephone, served):
    """« budget ESS » showed Meurthe-et-Moselle's « 219 380 » broken over two lines on a phone (reader QA): Pagefind's
    text joins a figure's groups with a plain space; the excerpt joins them again as the page does (narrow no-break)."""
    telephone.goto(f"{served}/recherche/?" + urlencode({"mots": "budget"}))
    extraits = telephone.locator(".guide-recherche__extrait")
    expect(extraits.first).to_be_visible(timeout=30000)
    textes = extraits.all_text_contents()
    assert any(re.search(r"\d\u202f\d{3}", t) for t in textes), textes[:5]
    coupes = [t for t in textes if re.search(r"(?<![\d\u202f])\d{1,3} \d{3}(?!\d)", t)]
    assert not coupes, coupes[:3]


@pytest.mark.parametrize("requete", ["fiche action n°3", "Fiche action N° 3"])
def test_a_number_after_n_degree_is_found_however_spaced(telephone, requete):
    """« fiche action n°13 » found nothing once the pages printed « n° 13 » (attacker QA): the number is a word."""
    saisir(telephone, requete)
    assert any("/territoires/eurometropole-de-strasbourg/" in h for h in pages_listees(telephone)), pages_listees(telephone)


def test_a_word_that_names_a_property_of_javascript_objects_is_a_word_like_any(telephone):
    """« constructor » stopped the search (« Recherche indisponible : TypeError »: attacker QA), found in the
    dictionaries of ligatures and acronyms as Object's own function."""
    titres = saisir(telephone, "constructor")
    assert titres[0] == "Aucun résultat pour « constructor »", titres
