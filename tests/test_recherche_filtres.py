"""Finding: the territory finder (filters, sort, URL state, no-JS list), the matrix, and French search in Chromium."""
from __future__ import annotations

import re
from collections import defaultdict
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import expect

from guide.sorties import export
from guide.modele.schemas import libelles
from test_navigateur import fold, search

ROWS = "#guide-territoires tbody tr"


def shown(page) -> list[str]:
    """Slugs of the territories the table shows, in display order."""
    return page.locator(f"{ROWS}:visible th a").evaluate_all("as => as.map(a => a.getAttribute('href'))")


def slugs(hrefs):
    return [h.strip("/").split("/")[-1] for h in hrefs]


def by_population(territoires):
    """Expected order of the « population » sort: largest first, unknown last, then by name."""
    def key(t):
        pop = export.population(t)[0]
        return (pop is None, -(pop or 0), t.cle_tri)
    return [t.slug for t in sorted(territoires, key=key)]


def combination(guide):
    """A type and a champ that, combined, keep some territories but fewer than the type alone."""
    by_type = defaultdict(list)
    for t in guide.territoires.values():
        by_type[t.data["type"]].append(t)
    for type_, terrs in sorted(by_type.items(), key=lambda kv: -len(kv[1])):
        for champ in guide.champs:
            kept = [t for t in terrs if champ in export.champs_de(t)]
            if 1 < len(kept) < len(terrs):
                return type_, champ, kept
    pytest.fail("aucune combinaison type × champ qui réduise la liste")


def test_filters_reduce_the_list_sort_and_the_url_restores_them(page, served, guide):
    page.goto(f"{served}/territoires/")
    assert len(shown(page)) == len(guide.territoires)
    type_, champ, kept = combination(guide)
    page.select_option("#filtre-type", type_)
    assert sorted(slugs(shown(page))) == sorted(t.slug for t in guide.territoires.values() if t.data["type"] == type_)
    page.select_option("#filtre-champ", champ)
    page.select_option("#filtre-tri", "population")
    assert slugs(shown(page)) == by_population(kept)
    expect(page.locator("#guide-territoires-statut")).to_contain_text(f"{len(kept)} territoires affichés sur")
    url = page.url
    assert f"type={type_}" in url and f"champ={champ}" in url and "tri=population" in url

    # The shared URL, opened in a fresh page, shows the same list and the same choices.
    other = page.context.new_page()
    other.goto(url)
    assert slugs(shown(other)) == by_population(kept)
    assert other.locator("#filtre-type").input_value() == type_
    assert other.locator("#filtre-champ").input_value() == champ
    # Population band and region combine with the rest; reset shows everything again.
    band = export.tranche(kept[0])[0]
    region = kept[0].data["region"]
    other.select_option("#filtre-population", band)
    other.select_option("#filtre-region", region)
    assert sorted(slugs(shown(other))) == sorted(
        t.slug for t in kept if export.tranche(t)[0] == band and t.data["region"] == region)
    other.get_by_role("button", name="Réinitialiser les filtres").click()
    expect(other.locator(f"{ROWS}:visible")).to_have_count(len(guide.territoires))
    assert "type=" not in other.url
    other.close()


def test_without_javascript_the_index_is_the_full_list(browser, served, guide):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    page.goto(f"{served}/territoires/")
    expect(page.locator("#guide-filtres")).to_be_hidden()
    assert sorted(slugs(shown(page))) == sorted(guide.territoires)
    context.close()


def test_filters_are_reached_by_keyboard_with_a_visible_focus(page, served):
    page.goto(f"{served}/territoires/")
    page.locator("article h1").click()  # start the tab order inside the content
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "filtre-type":
            break
    else:
        pytest.fail("le premier filtre n'est pas atteint au clavier")
    names = []
    for _ in range(7):
        focused = page.evaluate("(() => { const e = document.activeElement, s = getComputedStyle(e);"
                                " return [e.id, s.outlineStyle, parseFloat(s.outlineWidth)]; })()")
        assert focused[1] != "none" and focused[2] >= 2, focused
        names.append(focused[0])
        page.keyboard.press("Tab")
    assert names == ["filtre-type", "filtre-region", "filtre-departement", "filtre-population", "filtre-champ",
                     "filtre-levier", "filtre-rtes"]


PHONE, LAPTOP = (390, 844), (1366, 768)


def sized_page(browser, width, height):
    return browser.new_context(locale="fr-FR", viewport={"width": width, "height": height}).new_page()



def test_a_region_typed_in_the_address_by_hand_is_found(page, served, guide):
    """« ?region=bretagne » showed every territory without a word (verifying QA): capitals, accents and hyphens of a
    value typed by hand do not matter."""
    import unicodedata
    region, terrs = max(guide.par_region(), key=lambda kv: len(kv[1]) if any(ord(c) > 127 for c in kv[0]) else 0)
    tape = "".join(c for c in unicodedata.normalize("NFD", region) if not unicodedata.combining(c)).lower()
    page.goto(f"{served}/territoires/?region={quote(tape.replace(' ', '-'))}")
    expect(page.locator("#guide-territoires-statut")).to_contain_text(f"{len(terrs)} territoires affichés sur")
    assert page.locator("#filtre-region").input_value() == region
    # a value that is no option is said to be ignored (attacker QA: « ?region=bretagn » showed all, without a word)
    page.goto(f"{served}/territoires/?region=bretagn")
    statut = page.locator("#guide-territoires-statut")
    expect(statut).to_contain_text("Filtre de l'adresse inconnu, ignoré : Région « bretagn ».")
    expect(statut).to_contain_text(f"{len(guide.territoires)} territoires affichés")

def test_on_a_phone_the_filters_fold_under_a_summary_that_counts(browser, served, guide):
    page = sized_page(browser, *PHONE)
    page.goto(f"{served}/territoires/")
    fold = page.locator("details.guide-filtres-volet")
    summary = fold.locator("summary")
    expect(summary).to_contain_text(f"Filtrer les territoires aucun filtre · {len(guide.territoires)} territoires")
    assert not fold.evaluate("d => d.open"), "les filtres sont ouverts sur un téléphone"
    expect(page.locator("#filtre-type")).to_be_hidden()
    # The first territory's name is on the first screen, not a screen of filters away.
    name = page.locator(f"{ROWS}:visible th a").first.bounding_box()
    assert 0 <= name["y"] and name["y"] + name["height"] <= PHONE[1], name

    summary.click()
    expect(page.locator("#filtre-type")).to_be_visible()
    type_, champ, kept = combination(guide)
    page.select_option("#filtre-type", type_)
    page.select_option("#filtre-champ", champ)
    expect(summary).to_contain_text(f"2 filtres actifs · {len(kept)} territoires")
    page.select_option("#filtre-tri", "population")  # a sort is not a filter
    expect(summary).to_contain_text(f"2 filtres actifs · {len(kept)} territoires")
    assert len(shown(page)) == len(kept)

    # The map and the breadcrumbs link to the finder filtered by région: the filter applies, folded but told.
    region, terrs = max(guide.par_region(), key=lambda kv: len(kv[1]))
    page.goto(f"{served}/territoires/?region={quote(region)}")
    expect(summary).to_contain_text(f"1 filtre actif · {len(terrs)} territoires")
    assert not fold.evaluate("d => d.open")
    assert sorted(slugs(shown(page))) == sorted(t.slug for t in terrs)

    # Filters no territory meets: said under the folded filters, with what to do (phone QA: « 0 territoire » above
    # an empty table).
    types = {t.data["type"] for t in guide.territoires.values()}
    type_vide = next(ty for ty in sorted(types) if not any(t.data["type"] == ty for t in terrs))
    page.goto(f"{served}/territoires/?region={quote(region)}&type={type_vide}")
    expect(summary).to_contain_text("2 filtres actifs · 0 territoire")
    statut = page.locator("#guide-territoires-statut")
    expect(statut).to_be_visible()
    expect(statut).to_have_text("Aucun territoire ne répond à tous ces filtres : retirez-en un, ou réinitialisez les filtres.")
    page.context.close()


def test_on_a_laptop_the_filters_show_without_a_click(browser, served):
    page = sized_page(browser, *LAPTOP)
    page.goto(f"{served}/territoires/")
    expect(page.locator("#filtre-type")).to_be_visible()
    expect(page.locator("#filtre-tri")).to_be_visible()
    expect(page.locator("details.guide-filtres-volet > summary")).to_be_hidden()
    page.context.close()


def test_matrix_cells_link_to_the_actions_concerned(site_dir, guide):
    page = BeautifulSoup((site_dir / "territoires" / "matrice" / "index.html").read_text(encoding="utf-8"), "lxml")
    table = page.select_one("table.guide-matrice")
    heads = [th.a["href"] for th in table.select("thead th") if th.a]
    assert heads == [f"../../champs/{slug}/" for slug in guide.champs]
    rows = table.select("tbody tr")
    assert len(rows) == len(guide.territoires)
    for row, terr in zip(rows, guide.territoires.values()):
        assert row.th.a["href"] == f"../{terr.slug}/"
        for cell, champ in zip(row.select("td"), guide.champs.values()):
            concerned = [a for a in export.actions_de(terr) if champ.slug in a.data["champs"]]
            links = cell.select("a")
            assert [a["href"] for a in links] == [f"../{a.territoire.slug}/#{a.ancre}" for a in concerned]
            for link, action in zip(links, concerned):  # link text makes sense out of context
                # (« n°1 » as the fiche writes it, « n° 1 » as the page prints it: typographie.py)
                text = re.sub(r"n°\s*(?=\d)", "n°", " ".join(link.get_text().split()))
                assert terr.data["nom"] in text and re.sub(r"n°\s*(?=\d)", "n°", " ".join(action.data["titre"].split())) in text
                # a mention is said and set apart, as the territory's page says it (phone QA)
                mention = action.data.get("nature") == "mention"
                assert ("— mention" in text) == mention and ("— mention" in link["title"]) == mention, text
                assert ("guide-matrice__mention" in (link.get("class") or [])) == mention, text


def page_words(guide) -> dict:
    """Lower-case words of each territory page's name and action titles."""
    return {slug: set(re.findall(r"\w+", " ".join([t.data["nom"]] + [a.data["titre"] for a in t.actions]).lower()))
            for slug, t in guide.territoires.items()}


def singular_and_plural(words: dict):
    """An accented word whose singular is on some territory pages and plural on others, on few pages in all."""
    vocabulary = set().union(*words.values())
    for word in sorted(vocabulary):
        plural = word + "s"
        if len(word) < 6 or fold(word) == word or plural not in vocabulary or any(c.isdigit() for c in word):
            continue
        only_singular = [s for s, w in words.items() if word in w and plural not in w]
        only_plural = [s for s, w in words.items() if plural in w and word not in w]
        if only_singular and only_plural and len(only_singular) + len(only_plural) <= 4:
            return word, only_singular, only_plural
    pytest.fail("aucun mot accentué présent au singulier et au pluriel")


def territory_pages(served, hrefs):
    return {h[len(served) + len("/territoires/"):].strip("/") for h in hrefs if h.startswith(served + "/territoires/")}


def every_territory_found(page, served, query) -> list[str]:
    """Every territory page the results page lists for `query` (all of them, « Afficher plus » clicked):
    the words' forms are a matter of recall, not of the ten best results the header's box shows."""
    page.goto(f"{served}/recherche/?mots={quote(query)}&type=Territoire")
    page.locator(".guide-recherche__resultat").first.wait_for(timeout=30000)
    plus = page.locator(".guide-recherche__plus")
    while plus.count():
        n = page.locator(".guide-recherche__resultat").count()
        plus.click()
        expect(page.locator(".guide-recherche__resultat")).not_to_have_count(n)
    return page.locator(".guide-recherche__titre a").evaluate_all("as => as.map(a => a.href.replace(/[?#].*$/, ''))")


def test_search_ignores_accents_and_plurals(page, served, site_dir, guide):
    word, singular_pages, plural_pages = singular_and_plural(page_words(guide))
    # The plural without accents finds pages that only have the accented singular…
    found = territory_pages(served, every_territory_found(page, served, fold(word + "s")))
    assert set(singular_pages) & found, (fold(word + "s"), singular_pages, found)
    # …and the accented plural finds them too (lunr must not drop an accented query word).
    assert set(singular_pages) & territory_pages(served, every_territory_found(page, served, word + "s"))
    # The accented singular finds the pages in the plural.
    assert set(plural_pages) & territory_pages(served, search(page, served, word))


def test_search_finds_acronyms_of_the_fiches(page, served, site_dir, guide):
    words = {slug: set(re.findall(r"\w+", " ".join(
        [a.data["titre"] + " " + a.data["resume"] for a in t.actions]))) for slug, t in guide.territoires.items()}
    for sigle in (s["sigle"] for s in guide.sigles if re.fullmatch(r"[A-Z]{3,}", s["sigle"])):
        where = [slug for slug, w in words.items() if sigle in w]
        if 1 <= len(where) <= 2:
            break
    else:
        pytest.fail("aucun sigle propre à une ou deux fiches")
    assert set(where) <= territory_pages(served, search(page, served, sigle)), sigle


def test_results_say_what_they_are(page, served, guide):
    kinds = libelles()["famille"]
    terr = max(guide.territoires.values(), key=lambda t: len(t.actions))
    champ = next(c for c in guide.champs.values() if c.data["famille"] != "levier")
    for query, expected_href, expected_kind in ((terr.data["nom"], f"/territoires/{terr.slug}/", "Territoire"),
                                                (champ.data["titre"], f"/champs/{champ.slug}/",
                                                 kinds[champ.data["famille"]])):
        search(page, served, query)
        expect(page.locator(".md-search-result__item .guide-resultat-type").first).to_be_attached()
        results = page.locator(".md-search-result__item > a.md-search-result__link:has(h1)").evaluate_all(
            "as => as.map(a => [a.href.replace(/[?#].*$/, ''), (a.querySelector('.guide-resultat-type') || {}).textContent])")
        labels = {href: (label or "").replace(":", "").strip() for href, label in results}
        assert labels.get(served + expected_href) == expected_kind, (query, labels)
        for href, label in labels.items():
            path = href[len(served):]
            m = re.fullmatch(r"/(territoires|champs)/([a-z0-9-]+)/", path)
            if m and m.group(1) == "territoires" and m.group(2) in guide.territoires:
                assert label == "Territoire", (href, label)
            elif m and m.group(1) == "champs":
                assert label == kinds[guide.champs[m.group(2)].data["famille"]], (href, label)
            elif path.startswith("/recherche/"):
                continue  # the last link of the list: every result, with the filters
            else:
                kind = {"etude": "Étude", "ressources": "Ressource"}.get(path.strip("/").split("/")[0], "Page")
                assert label == kind, (href, label)


def test_suggestions_keep_the_accents_typed(page, served, guide):
    """Material completes the last word typed (search.suggest) with a word of the results: as the page
    writes it when the reader typed accents, without accents when typed without (workers/guide-recherche.js)."""
    # A prefix with an accent that does not end the prefix: Material reads the box on key release, and
    # Playwright inserts an « é » without key events.
    prefixes = sorted({w[:i + 2] for c in guide.champs.values() for w in re.findall(r"\w{9,}", c.data["titre"].lower())
                       for i, ch in enumerate(w[:6]) if fold(ch) != ch and w[i + 1].isascii()})
    assert prefixes, "aucun mot accentué dans les titres des champs"
    prefix = prefixes[0]
    page.goto(f"{served}/?q={quote(prefix)}")  # opens the search and waits for its index
    page.locator(".md-search-result__item").first.wait_for(timeout=60000)
    box = page.locator("input.md-search__input")
    for typed in (prefix, fold(prefix)):
        box.fill("")
        box.type(typed, delay=50)
        # Completed as typed: with the accents when typed with accents, without when typed without.
        expect(page.locator(".md-search__suggest")).to_have_text(re.compile("^" + re.escape(typed) + r"\w+$"),
                                                                   timeout=10000)


def test_a_lever_s_who_does_it_leads_to_the_finder_filtered_on_that_lever(page, served, guide):
    """The champ page lists who uses a lever, without a filter; its « Qui le fait » line leads to the finder filtered on
    that lever, where the same territories are sorted and filtered by type, région or population (reader QA: a lever
    page of 25 territories, 24 screens on a phone, was a dead end)."""
    levier = max(guide.leviers.values(), key=lambda l: len(l.territoires))
    page.goto(f"{served}/champs/{levier.champ.slug}/")
    page.locator(f"p.guide-qui-le-fait[data-levier='{levier.id}'] a").click()
    expect(page.locator("#guide-territoires-statut")).to_contain_text(f"{len(levier.territoires)} territoires affichés sur")
    assert page.locator("#filtre-levier").input_value() == levier.id
