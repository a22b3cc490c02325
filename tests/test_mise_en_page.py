"""Layouts that hold on a phone (390 px) and a laptop (1,366 px), in Debian's Chromium: no page wider
than the screen, no word of a heading, table header or first column broken mid-word, the matrix that
scrolls in its own box with its headers in view, and territory pages with their bearings (tab,
breadcrumb, table of contents in the phone's menu, previous and next territory of the region)."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlparse

import pytest
from playwright.sync_api import expect

WIDTHS = {"téléphone": (390, 844), "portable": (1366, 768)}
# The smallest phone screen too (issue 25), for the tests of what fits: a page, the legal references.
WIDTHS_ET_320 = {"petit téléphone": (320, 640), **WIDTHS}


def page_types(guide) -> dict:
    """One page of each kind the guide has, chosen from the fiches (the longest territory page)."""
    def champ(famille):
        return next(c for c in guide.champs_de(famille) if c.actions)
    terr = max(guide.territoires.values(), key=lambda t: len(t.actions) + len(t.actions_partagees))
    return {
        "accueil": "/",
        "étude": "/etude/",
        "index des leviers": "/leviers/",
        "champ": f"/champs/{champ('levier').slug}/",
        "focus": f"/champs/{champ('focus').slug}/",
        "cadre": f"/champs/{champ('cadre').slug}/",
        "index des territoires": "/territoires/",
        "territoire": f"/territoires/{terr.slug}/",
        "matrice": "/territoires/matrice/",
        "glossaire": "/ressources/glossaire/",
        "sources": "/ressources/sources/",
        "données": "/ressources/donnees/",
        "modèle": "/ressources/modele/",
        "contribuer": "/ressources/contribuer/",
    }


KINDS = ["accueil", "étude", "index des leviers", "champ", "focus", "cadre", "index des territoires",
         "territoire", "matrice", "glossaire", "sources", "données", "modèle", "contribuer"]

# Words of headings, table headers and first columns, each measured on its own text range: a word whose
# range has boxes on two lines is broken. Words are runs of letters
# and digits, so a break at a hyphen, « _ », « . » or « / » (allowed: <wbr> in code names) is not one.
BROKEN_WORDS = r"""() => {
  const where = 'article h1, article h2, article h3, article h4, article h5, article h6, article th,'
              + ' article tr > td:first-child, article td a, article caption';
  const broken = [];
  for (const el of document.querySelectorAll(where)) {
    if (el.closest('.guide-sr') || !el.getClientRects().length) continue;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest('.guide-sr, .headerlink')) continue;
      for (const m of node.data.matchAll(/[\p{L}\p{N}’']+/gu)) {
        if (m[0].length < 2) continue;
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const boxes = [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0);
        if (new Set(boxes.map(r => Math.round(r.top))).size > 1) broken.push(`${el.tagName.toLowerCase()} « ${m[0]} »`);
      }
    }
  }
  return broken;
}"""


@pytest.fixture(params=list(WIDTHS), ids=list(WIDTHS))
def sized(request, browser):
    width, height = WIDTHS[request.param]
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": height})
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture(params=list(WIDTHS_ET_320), ids=list(WIDTHS_ET_320))
def sized_320(request, browser):
    width, height = WIDTHS_ET_320[request.param]
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": height})
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("kind", KINDS)
def test_pages_fit_the_screen_and_break_no_word(sized_320, served, guide, kind):
    sized = sized_320
    url = page_types(guide)[kind]
    sized.goto(served + url)
    sized.wait_for_load_state("load")
    width = sized.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert width[0] <= width[1], f"{kind} ({url}) : page de {width[0]} px pour un écran de {width[1]} px"
    # Folded on a phone, the finder's filters take no width until a reader opens them: opened, they fit too (the
    # « Levier » list, as wide as its longest option, made the page 757 px wide at 390 px).
    if sized.evaluate("[...document.querySelectorAll('details.guide-filtres-volet')].map(d => d.open = true).length"):
        width = sized.evaluate("[document.documentElement.scrollWidth, innerWidth]")
        assert width[0] <= width[1], f"{kind} ({url}), filtres ouverts : page de {width[0]} px pour {width[1]} px"
    broken = sized.evaluate(BROKEN_WORDS)
    assert broken == [], f"{kind} ({url}) : mots coupés {broken[:10]}"
    # A table's title is read where its box shows it (a caption is as wide as its table: the matrix's was cut).
    for caption in sized.locator("article .guide-matrice-cadre caption").all():
        caption.scroll_into_view_if_needed()
        box, cadre = caption.bounding_box(), caption.evaluate("c => c.closest('.guide-matrice-cadre').getBoundingClientRect().right")
        assert box["x"] + box["width"] <= cadre + 1, f"{kind} ({url}) : titre de tableau coupé ({caption.inner_text()[:60]})"


def test_the_lever_view_is_read_down_a_phone(sized_320, served, guide):
    """The matrix by lever, three columns, was 27 px wider than its box at 390 px, the territories' names cut at its
    edge (phone QA): on a phone each lever is a block read down the page, every name within the screen; on a laptop
    it is the three-column table."""
    sized = sized_320
    sized.goto(served + "/territoires/matrice/")
    table = sized.locator("table.guide-matrice-leviers")
    cadre = table.evaluate("t => { const c = t.closest('.guide-matrice-cadre'); return [c.scrollWidth, c.clientWidth]; }")
    assert cadre[0] <= cadre[1], f"vue par levier : {cadre[0]} px dans un cadre de {cadre[1]} px"
    width = sized.evaluate("innerWidth")
    liens = table.evaluate_all("""ts => [...ts[0].querySelectorAll('tbody a')].filter(a => a.offsetParent)
        .map(a => { const r = a.getBoundingClientRect(); return [a.textContent, r.left, r.right]; })""")
    assert len(liens) >= 2 * len([l for l in guide.leviers.values() if l.actions])
    assert [l for l in liens if l[1] < 0 or l[2] > width] == []
    display = table.evaluate("t => getComputedStyle(t.querySelector('tbody td')).display")
    assert display == ("block" if width < 720 else "table-cell")


def test_matrix_scrolls_in_its_box_with_its_headers_in_view(sized, served, guide):
    sized.goto(served + "/territoires/matrice/")
    box = sized.locator(".guide-matrice-cadre[aria-labelledby='guide-matrice-titre']")
    overflow = box.evaluate("b => [b.scrollWidth - b.clientWidth, b.scrollHeight - b.clientHeight]")
    assert overflow[0] > 0, "la matrice tient sans défilement : rien à vérifier à cette largeur ?"
    box.evaluate("b => { b.scrollLeft = b.scrollWidth; b.scrollTop = b.scrollHeight; }")
    sized.wait_for_timeout(100)
    inside = box.evaluate("""b => {
        const frame = b.getBoundingClientRect();
        const seen = el => { const r = el.getBoundingClientRect(); const x = r.left + r.width / 2, y = r.top + r.height / 2;
          return x >= frame.left && x <= frame.right && y >= frame.top && y <= frame.bottom; };
        const rows = [...b.querySelectorAll('tbody tr')];
        const last = rows[rows.length - 1];
        const heads = [...b.querySelectorAll('thead th')];
        return {corner: seen(heads[0]), lastHead: seen(heads[heads.length - 1]), lastName: seen(last.cells[0]),
                scrolled: b.scrollLeft > 0};
    }""")
    assert inside == {"corner": True, "lastHead": True, "lastName": True, "scrolled": True}, inside
    # Header and first column stay on top of the cells they cover (sticky, opaque).
    top = box.evaluate("""b => { const h = b.querySelector('thead th:last-child').getBoundingClientRect();
        const el = document.elementFromPoint(h.left + h.width / 2, h.top + h.height / 2);
        return !!el && !!el.closest('thead'); }""")
    assert top


def test_a_matrix_cell_reached_by_the_keyboard_is_not_under_the_sticky_headers(page, served):
    """Tab through the matrix, from its first link to its last: each focused cell is in its box, wholly right of
    the sticky first column and below the sticky header row (WCAG 2.4.11, focus not obscured; reader QA: 13 of
    476 were hidden under the first column at 1,366 px, 10 at 390 px; the scroll padding does not depend on the
    width, and one width keeps the suite's time: 600 key presses). Where the focused cell stands is read in the
    page when the next key goes down (its focus and the scroll it caused are done by then), so that each press is
    one exchange with the browser."""
    sized = page
    sized.set_viewport_size({"width": 1366, "height": 900})
    sized.goto(served + "/territoires/matrice/")
    cadre = sized.locator(".guide-matrice-cadre").first
    cellules = cadre.locator("tbody td a").count()
    sized.evaluate("""() => {
        window.__positions = [];
        const mesurer = () => { const a = document.activeElement;
            const cadre = a.closest('.guide-matrice-cadre');
            if (cadre !== document.querySelector('.guide-matrice-cadre')) return {hors: true};
            if (!a.closest('td')) return {cellule: null};
            const r = a.getBoundingClientRect(), f = cadre.getBoundingClientRect();
            const colonne = a.closest('tr').cells[0].getBoundingClientRect();
            const entete = cadre.querySelector('thead th').getBoundingClientRect();  // (sticky: its cells, not thead)
            // wholly clear of the sticky header and column; in the box's visible area, at least in part (a cell of the
            // last columns may end under the box's scroll bar)
            return {cellule: a.getAttribute('aria-label') || a.textContent,
                    dessous: r.left < colonne.right - 1 || r.top < entete.bottom - 1
                             || r.left >= f.left + cadre.clientLeft + cadre.clientWidth
                             || r.top >= f.top + cadre.clientTop + cadre.clientHeight}; };
        window.__mesurer = mesurer;
        document.addEventListener('keydown', e => { if (e.key === 'Tab') window.__positions.push(mesurer()); }, true);
    }""")
    arrets = cadre.locator("a[href], button, [tabindex]:not([tabindex='-1'])").count()  # where Tab stops in the box
    cadre.locator("a").first.focus()
    for _ in range(arrets):  # press n measures the n-th stop, the last press leaves the box
        sized.keyboard.press("Tab")
    positions = sized.evaluate("() => window.__positions")
    vues = [p for p in positions if p.get("cellule") is not None]
    caches = [p["cellule"] for p in vues if p["dessous"]]
    assert len(vues) == cellules and not caches, (len(vues), cellules, caches[:5])


def test_matrix_cells_say_what_they_open(page, served, guide):
    page.goto(served + "/territoires/matrice/")
    links = page.locator(".guide-matrice tbody td a")
    assert links.count() > 0
    names = links.evaluate_all(r"""as => as.slice(0, 400).map(a => {
        const cell = a.closest('td'), row = cell.closest('tr');
        const head = cell.closest('table').tHead.rows[0].cells[[...row.cells].indexOf(cell)];
        const name = (a.getAttribute('aria-label') || a.textContent).replace(/\s+/g, ' ');
        return [name, a.title, row.cells[0].textContent.trim(), head.textContent.trim()];
    })""")
    titles = {c.titre_court for c in guide.champs.values()}
    for label, title, territory, champ in names:
        assert territory in label and territory in title, (label, title)
        assert champ in titles and champ in label and champ in title, (label, champ)
        assert re.search(r"\b\d+ actions?\b", label), label
    # what each number says to a screen reader, its words apart: « …Terres en Villes— mention » ran them together
    # (métropole agent's QA)
    dits = page.locator(".guide-matrice tbody td a .guide-sr").all_text_contents()
    assert any(" — mention" in d for d in dits), dits[:3]
    assert not [d for d in dits if re.search(r"\S—|—\S", d)], [d for d in dits if re.search(r"\S—|—\S", d)][:3]
    # a number that opens another territory's page says whose (« Aix-Marseille… : Membre du réseau Terres en Villes »
    # opened Rouen's page: keyboard QA)
    ailleurs = page.locator(".guide-matrice tbody tr").evaluate_all(r"""trs => trs.flatMap(tr => {
        const chez = tr.querySelector('th a').getAttribute('href');
        return [...tr.querySelectorAll('td a')].filter(a => a.getAttribute('href').split('#')[0] !== chez)
            .map(a => a.querySelector('.guide-sr').textContent); })""")
    assert ailleurs and all(" — sur la fiche " in d for d in ailleurs), [d for d in ailleurs if "sur la fiche" not in d][:3]
    # Columns are readable without rotating heads: the header names each champ horizontally.
    heads = page.locator(".guide-matrice thead th").evaluate_all(
        "ths => ths.map(th => getComputedStyle(th.querySelector('span') || th).writingMode)")
    assert set(heads) == {"horizontal-tb"}, heads


def test_finder_shows_every_column_of_a_territory_on_a_phone(sized, served, guide):
    sized.goto(served + "/territoires/")
    # Every value of a territory within the text column (not under the table of contents, not off-screen).
    column = sized.locator("article").bounding_box()
    right = min(column["x"] + column["width"], sized.viewport_size["width"])
    row = sized.locator("#guide-territoires tbody tr").first
    cells = row.locator("th, td")
    for i in range(cells.count()):
        box = cells.nth(i).bounding_box()
        if box is None or box["width"] == 0:
            continue  # an empty cell
        assert box["x"] >= 0 and box["x"] + box["width"] <= right + 1, (i, box, right)


def region_neighbours(guide, terr):
    same = sorted((t for t in guide.territoires.values() if t.data["region"] == terr.data["region"]),
                  key=lambda t: t.cle_tri)
    i = same.index(terr)
    return (same[i - 1] if i else None), (same[i + 1] if i + 1 < len(same) else None)


def test_territory_page_has_its_bearings(page, served, guide):
    terr = next(t for t in guide.territoires.values() if all(region_neighbours(guide, t)))
    before, after = region_neighbours(guide, terr)
    page.goto(f"{served}/territoires/{terr.slug}/")
    expect(page.locator(".md-tabs__item--active")).to_have_text(re.compile(r"^\s*Territoires\s*$"))
    crumbs = page.locator("nav.md-path .md-path__item")
    expect(crumbs).to_have_text(["Accueil", "Territoires", terr.data["region"], terr.data["nom"]])
    region_link = page.locator("nav.md-path .md-path__item").nth(2).locator("a")
    href = urlparse(region_link.evaluate("a => a.href"))
    assert href.path.endswith("/territoires/") and parse_qs(href.query)["region"] == [terr.data["region"]]
    # The region link opens the finder filtered on that region.
    region_link.click()
    expect(page.locator("#filtre-region")).to_have_value(terr.data["region"])
    shown = page.locator("#guide-territoires tbody tr:not([hidden]) th a").all_inner_texts()
    assert terr.data["nom"] in shown and all(
        guide.territoires[unquote(s)].data["region"] == terr.data["region"] for s in
        page.locator("#guide-territoires tbody tr:not([hidden]) th a").evaluate_all(
            "as => as.map(a => a.getAttribute('href').replace(/\\/$/, '').split('/').pop())"))
    page.goto(f"{served}/territoires/{terr.slug}/")
    prev = page.locator("footer a.md-footer__link--prev")
    nxt = page.locator("footer a.md-footer__link--next")
    expect(prev).to_contain_text(before.data["nom"])
    expect(nxt).to_contain_text(after.data["nom"])
    nxt.click()
    expect(page).to_have_url(re.compile(rf"/territoires/{after.slug}/$"))


def test_the_footer_names_the_next_page_whole(sized, served, guide):
    """The next page's name is not cut: on a phone « Suivant » read « Communauté d'agglomérati… » (reader QA)."""
    terr = max((t for t in guide.territoires.values() if region_neighbours(guide, t)[1]),
               key=lambda t: len(region_neighbours(guide, t)[1].data["nom"]))
    sized.goto(f"{served}/territoires/{terr.slug}/")
    titre = sized.locator("footer a.md-footer__link--next .md-footer__title .md-ellipsis")
    expect(titre).to_have_text(region_neighbours(guide, terr)[1].data["nom"])
    largeur, visible = titre.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert largeur <= visible, (largeur, visible)


def test_first_and_last_territory_of_a_region_link_one_way(page, served, guide):
    for region, members in guide.par_region():
        if len(members) > 1:
            break
    members = sorted(members, key=lambda t: t.cle_tri)
    page.goto(f"{served}/territoires/{members[0].slug}/")
    expect(page.locator("footer a.md-footer__link--prev")).to_have_count(0)
    expect(page.locator("footer a.md-footer__link--next")).to_contain_text(members[1].data["nom"])
    page.goto(f"{served}/territoires/{members[-1].slug}/")
    expect(page.locator("footer a.md-footer__link--next")).to_have_count(0)


def test_phone_menu_offers_the_territory_table_of_contents(browser, served, guide):
    terr = max(guide.territoires.values(), key=lambda t: len(t.actions) + len(t.actions_partagees))
    context = browser.new_context(locale="fr-FR", viewport=dict(zip(("width", "height"), WIDTHS["téléphone"])))
    page = context.new_page()
    try:
        page.goto(f"{served}/territoires/{terr.slug}/")
        headings = page.locator("article h2[id]").evaluate_all("hs => hs.map(h => '#' + h.id)")
        assert headings
        page.locator("label.md-header__button[for=__drawer]").click()
        toc_toggle = page.locator(".md-nav--primary label.md-nav__link[for=__toc]")
        expect(toc_toggle).to_be_visible()
        toc_toggle.click()
        links = page.locator(".md-nav--primary .md-nav--secondary a.md-nav__link")
        expect(links.first).to_be_visible()
        targets = links.evaluate_all("as => as.map(a => new URL(a.href).hash)")
        assert set(headings) <= set(targets)
        target = headings[-1]
        links.nth(targets.index(target)).click()
        page.wait_for_timeout(300)
        assert page.evaluate(f"document.querySelector({target!r}).getBoundingClientRect().top") < 300
    finally:
        context.close()


def test_a_phone_shows_the_way_back_from_a_note(browser, served, guide):
    """On a touch screen (no hover) the notes' back-links were invisible (Material shows them on hover or on the note
    just reached): each is shown, big enough for a finger, and leads back to its call."""
    terr = max(guide.territoires.values(), key=lambda t: len(t.actions))
    context = browser.new_context(locale="fr-FR", viewport=dict(zip(("width", "height"), WIDTHS["téléphone"])),
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{served}/territoires/{terr.slug}/")
        assert page.evaluate("matchMedia('(hover: none)').matches")
        retours = page.locator("article .footnote li:not(:target) .footnote-backref")
        assert retours.count() > 3
        retour = retours.nth(2)
        retour.scroll_into_view_if_needed()
        assert float(retour.evaluate("a => getComputedStyle(a).opacity")) == 1
        boite = retour.bounding_box()
        assert boite["height"] >= 20 and boite["width"] >= 20, boite
        appel = "#" + retour.get_attribute("href").split("#", 1)[1]
        assert page.evaluate("id => !!document.getElementById(id)", appel[1:]), appel
        retour.tap()
        page.wait_for_timeout(300)
        assert page.evaluate("id => document.getElementById(id).getBoundingClientRect().top", appel[1:]) < 400
    finally:
        context.close()


def test_footer_is_in_french(page, served):
    page.goto(served + "/")
    footer = page.locator(".md-copyright")
    expect(footer).to_contain_text("MkDocs")
    expect(footer).to_contain_text("Material for MkDocs")
    assert "Made with" not in footer.inner_text()
    assert page.locator(".md-copyright a[href*='squidfunk']").count() == 1


def test_territory_pages_lose_only_indentation(site_dir, guide):
    """Territory pages are written without Material's indentation (reperes.compacter), keeping the
    text, the preformatted blocks, and a break wherever there was white space."""
    from guide.sorties.reperes import compacter
    html = "<ul>\n    <li>\n      <a>Un\n   deux</a> <b>trois</b>\n</li>\n</ul><pre>  a\n    b\n</pre>"
    assert compacter(html) == "<ul>\n<li>\n<a>Un\ndeux</a> <b>trois</b>\n</li>\n</ul><pre>  a\n    b\n</pre>"
    terr = max(guide.territoires.values(), key=lambda t: len(t.actions))
    text = (site_dir / "territoires" / terr.slug / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"\n[ \t]+<", text.split("<pre")[0])


# ------------------------------------------------------------------------------------- bearings (issue 25)

def test_a_link_to_an_action_opens_its_fold_and_shows_it(sized, served, guide):
    """Actions are folded by champ on a territory page: a champ page's link to one opens the fold on it."""
    champ = next(c for c in guide.champs_de("levier") if any(a.territoire.actions for a in c.actions))
    action = next(a for a in champ.actions if a in a.territoire.actions)
    sized.goto(served + f"/champs/{champ.slug}/")
    sized.locator(f"article a[href$='/territoires/{action.territoire.slug}/#{action.ancre}']").first.click()
    expect(sized).to_have_url(re.compile(rf"/territoires/{action.territoire.slug}/#{action.ancre}$"))
    heading = sized.locator(f"[id='{action.ancre}']")
    expect(heading).to_be_in_viewport()
    assert heading.evaluate("h => h.closest('details').open")


def test_a_shared_link_to_an_action_that_moved_still_opens_it(sized, served, guide):
    """An action's address holds its place in the fiche (« #action-3-la-ressourcerie-de-l-ariane »): shared, then the
    fiche gained an action before it, the address led to the top of the page, nothing opened (métropole agent's QA).
    The action of that title is opened and shown, and the address corrected."""
    territoire = max(guide.territoires.values(), key=lambda t: len(t.actions))
    action = territoire.actions[-1]
    numero = re.match(r"action-(\d+)-", action.ancre)
    assert numero, action.ancre
    ancienne = action.ancre.replace(numero.group(0), f"action-{int(numero.group(1)) + 7}-", 1)
    sized.goto(served + f"/territoires/{territoire.slug}/#{ancienne}")
    expect(sized).to_have_url(re.compile(rf"/territoires/{territoire.slug}/#{action.ancre}$"))
    heading = sized.locator(f"[id='{action.ancre}']")
    expect(heading).to_be_in_viewport()
    assert heading.evaluate("h => h.closest('details') ? h.closest('details').open : true")


def test_legal_references_are_stacked_on_a_phone_and_a_table_on_a_laptop(sized_320, served, guide):
    sized = sized_320
    champ = max(guide.champs.values(), key=lambda c: len(c.data.get("references", [])))
    sized.goto(served + f"/champs/{champ.slug}/")
    table = sized.locator(".guide-references table")
    expect(table).to_be_visible()
    width = sized.evaluate("innerWidth")
    cells = table.evaluate_all("""ts => [...ts[0].querySelectorAll('tbody td')].filter(td => td.textContent.trim())
        .map(td => { const r = td.getBoundingClientRect(); return [r.left, r.right, getComputedStyle(td).display,
                     getComputedStyle(td, '::before').content]; })""")
    assert len(cells) >= len(champ.data["references"])
    assert all(left >= 0 and right <= width for left, right, *_ in cells), (width, cells[:4])
    if width < 720:
        assert {display for _, _, display, _ in cells} == {"block"}
        labels = {label for *_, label in cells}
        assert any("Date" in label for label in labels) and any("prévoit" in label for label in labels), labels
    else:
        assert {display for _, _, display, _ in cells} == {"table-cell"}
        expect(table.locator("thead th")).to_have_count(4)


# --------------------------------------------------------------------------------------------- finder (issue 25)

def test_finder_sorts_by_region_as_it_says_and_filters_rtes_members(page, served, guide):
    page.goto(served + "/territoires/")
    rows = "#guide-territoires tbody tr"
    expect(page.locator("#guide-territoires th[data-tri='region']")).to_have_attribute("aria-sort", "ascending")
    regions = page.locator(f"{rows}:visible").evaluate_all("rs => rs.map(r => r.dataset.region)")
    order = [region for region, _ in guide.par_region()]
    assert regions == sorted(regions, key=order.index)
    page.select_option("#filtre-rtes", "membre")
    members = sorted(t.slug for t in guide.territoires.values() if "rtes" in t.data)
    shown = page.locator(f"{rows}:visible th a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert sorted(h.strip("/").split("/")[-1] for h in shown) == members
    assert "rtes=membre" in page.url
    # the filter says its list is only those whose RTES page is a source (phone QA: 8 members, read as all of them)
    aide = page.locator("#" + page.locator("#filtre-rtes").get_attribute("aria-describedby"))
    expect(aide).to_contain_text(f"pour {len(members)} territoires\u202f: un territoire qui n'y figure pas peut aussi être adhérent")
    page.select_option("#filtre-tri", "nom")
    names = page.locator(f"{rows}:visible").evaluate_all("rs => rs.map(r => r.dataset.nom)")
    assert names == sorted(names)
    expect(page.locator("#guide-territoires th[data-tri='nom']")).to_have_attribute("aria-sort", "ascending")


def test_the_finder_filters_by_a_part_of_a_name_or_of_an_alias(page, served, guide):
    """Sorted by official name, Haguenau came 15th, among twenty « Communauté … », in a list 27,000 px long on a phone
    (phone QA): the finder has a box for a part of a name or of an alias, whatever its capitals and accents."""
    import unicodedata

    def plier(t):
        return re.sub(r"[^a-z0-9]+", " ", unicodedata.normalize("NFD", t).encode("ascii", "ignore").decode().lower()).strip()
    rows = "#guide-territoires tbody tr"
    avec_alias = next(t for t in guide.territoires.values() if t.data.get("alias"))
    for saisie in (avec_alias.data["nom"].split()[-1].upper(), avec_alias.data["alias"][0]):
        page.goto(served + "/territoires/")
        page.fill("#filtre-nom", saisie)
        attendus = sorted(t.slug for t in guide.territoires.values()
                          if any((" " + plier(n) + " ").find(" " + plier(saisie)) >= 0
                                 for n in [t.data["nom"], *t.data.get("alias", [])]))
        assert avec_alias.slug in attendus
        expect(page.locator(f"{rows}:visible")).to_have_count(len(attendus))
        shown = page.locator(f"{rows}:visible th a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
        assert sorted(h.strip("/").split("/")[-1] for h in shown) == attendus
        # kept in the address, as the other filters
        page.reload()
        expect(page.locator("#filtre-nom")).to_have_value(saisie)
        expect(page.locator(f"{rows}:visible")).to_have_count(len(attendus))


def test_the_finder_reads_st_as_saint_and_keeps_what_st_begins(page, served, guide):
    """« st etienne » found no territory, where the header's search finds Saint-Étienne Métropole (reader QA); « st »
    alone, on the way to « strasbourg », still shows what begins with it."""
    import unicodedata

    def plier(t):
        return re.sub(r"[^a-z0-9]+", " ", unicodedata.normalize("NFD", t).encode("ascii", "ignore").decode().lower()).strip()

    def trouves(*formes):
        return sorted(t.slug for t in guide.territoires.values()
                      if any((" " + plier(n) + " ").find(" " + f) >= 0 for f in formes
                             for n in [t.data["nom"], *t.data.get("alias", [])]))
    for saisie, formes in (("St Etienne", ("st etienne", "saint etienne")), ("st", ("st", "saint"))):
        attendus = trouves(*formes)
        assert attendus and attendus != trouves(formes[0]), saisie   # « saint » finds what « st » alone does not
        page.goto(served + "/territoires/")
        page.fill("#filtre-nom", saisie)
        expect(page.locator("#guide-territoires tbody tr:visible")).to_have_count(len(attendus))
        shown = page.locator("#guide-territoires tbody tr:visible th a").evaluate_all(
            "as => as.map(a => a.getAttribute('href'))")
        assert sorted(h.strip("/").split("/")[-1] for h in shown) == attendus, saisie


def test_map_legend_swatches_keep_their_shades_in_forced_colors(page, served):
    page.emulate_media(forced_colors="active")
    page.goto(served + "/territoires/carte/")
    assert page.evaluate("matchMedia('(forced-colors: active)').matches")
    swatches = page.locator(".guide-carte__legende .guide-carte__pastille")
    assert swatches.count() >= 3
    colours = swatches.evaluate_all("ss => ss.map(s => getComputedStyle(s).backgroundColor)")
    canvas = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert len(set(colours)) == len(colours) and canvas not in colours, (colours, canvas)
    fills = page.locator(".guide-carte__svg path").evaluate_all(
        "ps => [...new Set(ps.map(p => getComputedStyle(p).fill))]")
    assert len(fills) >= 3, fills


def test_breadcrumb_is_reached_early_by_keyboard_and_follows_instant_navigation(sized, served, guide):
    """Before the menus in the document (overrides/main.html): a few Tab stops from the top of the page, not
    after every link of the menus and the table of contents."""
    champ = next(c for c in guide.champs_de("levier") if c.actions)
    sized.goto(f"{served}/champs/{champ.slug}/")
    for stop in range(1, 16):
        sized.keyboard.press("Tab")
        if sized.evaluate("!!document.activeElement.closest('nav.md-path')"):
            break
    else:
        pytest.fail("le fil d'Ariane n'est pas atteint en 15 tabulations")
    # Material's instant navigation replaces it with the next page's
    terr = champ.territoires[0]
    sized.locator(f"article a[href$='/territoires/{terr.slug}/']").first.click()
    expect(sized).to_have_url(re.compile(rf"/territoires/{terr.slug}/$"))
    expect(sized.locator("nav.md-path .md-path__item").last).to_contain_text(terr.data["nom"])
    expect(sized.locator("nav.md-path")).to_have_count(1)


def test_a_title_word_longer_than_the_line_breaks_where_the_line_ends(browser, served, guide):
    """A legal name of 290 letters without a space ran thousands of pixels beyond the screen from its title (attacker
    QA); every other word of a title stays whole (the test above)."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        terr = max(guide.territoires.values(), key=lambda t: len(t.actions))
        page.goto(f"{served}/territoires/{terr.slug}/")
        largeurs = page.evaluate("""() => {
            const mot = 'A'.repeat(290);
            document.querySelector('article h1').firstChild.textContent = mot;
            const lien = document.querySelector('article h3 a');
            if (lien) lien.textContent = mot;
            return [document.documentElement.scrollWidth, innerWidth];
        }""")
        assert largeurs[0] <= largeurs[1], largeurs
    finally:
        context.close()


def test_a_legal_references_table_shows_no_column_that_no_row_fills(page, served, guide):
    """The foncier champ's references showed « Article » and « Date » empty on all three rows (tablet QA): a column
    no reference fills is not shown; one that some fill stays, with its empty cells."""
    page.set_viewport_size({"width": 1366, "height": 768})
    for champ in guide.champs.values():
        references = champ.data.get("references")
        if not references:
            continue
        page.goto(f"{served}/champs/{champ.slug}/")
        entetes = page.locator(".guide-references thead th")
        montrees = [entetes.nth(i).inner_text().strip() for i in range(entetes.count()) if entetes.nth(i).is_visible()]
        attendues = ["Texte"] + [nom for nom, cle in (("Disposition", "article"), ("Date", "date"))
                                 if any(cle in r for r in references)] + ["Ce qu'il prévoit"]
        assert montrees == attendues, (champ.slug, montrees)


def test_a_legal_reference_read_on_a_phone_does_not_say_its_label_twice(page, served, guide):
    """On a phone each cell of the references is labelled by CSS; « Article : Article L2113-15 » (reader QA): the
    column names the provision, whatever the publication calls it (« Article 37 », « Titre II ter de la loi… »)."""
    page.set_viewport_size({"width": 390, "height": 844})
    lues = []
    for champ in guide.champs.values():
        if not champ.data.get("references"):
            continue
        page.goto(f"{served}/champs/{champ.slug}/")
        lues += page.locator(".guide-references tbody td").evaluate_all(
            """tds => tds.map(td => getComputedStyle(td, "::before").content.replace(/^"|"$/g, "") + td.innerText)""")
    assert any(re.match(r"\w+\u202f: ", texte) for texte in lues), lues[:5]
    doubles = [texte for texte in lues if re.match(r"(\w+)\u202f: \1\b", texte, re.IGNORECASE)]
    assert not doubles, doubles


@pytest.mark.parametrize("ecran", list(WIDTHS))
def test_a_heading_reached_by_its_address_is_the_one_the_contents_highlight(browser, served, guide, ecran):
    """Landing on « /champs/achats-responsables/#levier-spaser », the side table of contents highlighted the heading
    before it, « Outils facilitateurs » (reader QA): Material counts a heading as read once it is under its header,
    and the heading stopped a few pixels lower. Headings of the first half of a champ's and a territory's contents:
    the page can scroll them to the top."""
    width, height = WIDTHS[ecran]
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": height})
    page = context.new_page()
    champ = next(c for c in guide.champs_de("levier") if c.actions)
    territoire = max(guide.territoires.values(), key=lambda t: len(t.actions))
    vus = []
    for chemin in (f"/champs/{champ.slug}/", f"/territoires/{territoire.slug}/"):
        page.goto(served + chemin)
        ancres = page.eval_on_selector_all(
            ".md-sidebar--secondary a.md-nav__link", "liens => liens.map(a => a.hash.slice(1)).filter(Boolean)")
        assert len(ancres) >= 6, (chemin, ancres)
        for ancre in ancres[1:len(ancres) // 2:max(1, len(ancres) // 10)]:
            page.goto(f"{served}{chemin}#{ancre}")
            page.wait_for_function("id => { const h = document.getElementById(decodeURIComponent(id)); "
                                   "const y = h && h.getBoundingClientRect().top; return y > 40 && y < 80; }", arg=ancre)
            actif = """id => [...document.querySelectorAll('.md-sidebar--secondary .md-nav__link--active')]
                .map(a => a.hash.slice(1)).join(' ') === id"""
            try:
                page.wait_for_function(actif, arg=ancre, timeout=5000)
            except Exception:
                raise AssertionError((chemin, ancre, page.eval_on_selector_all(
                    ".md-sidebar--secondary .md-nav__link--active", "liens => liens.map(a => a.hash)"))) from None
            vus.append(ancre)
    assert len(vus) >= 6, vus
    context.close()


def test_a_figure_copied_from_a_page_is_copied_without_its_note_calls(page, served, guide):
    """« 82 » followed by its note call « 28 » was copied « 8228 » (fact-check QA): what a reader selects on a champ
    page, a paragraph or a table cell, holds the page's text without the note calls."""
    vus = 0
    for champ in guide.champs.values():
        page.goto(f"{served}/champs/{champ.slug}/")
        copies = page.evaluate("""() => [...document.querySelectorAll('article p, article td, article li')]
            .filter(el => /\\d\\s*<sup id="[^"]*fnref/.test(el.innerHTML)).slice(0, 3).map(el => {
                const range = document.createRange();
                range.selectNodeContents(el);
                getSelection().removeAllRanges();
                getSelection().addRange(range);
                const sans = el.cloneNode(true);
                sans.querySelectorAll('sup[id*="fnref"], .guide-appels').forEach(s => s.remove());
                return [getSelection().toString(), sans.textContent];
            })""")
        for copie, texte in copies:
            assert " ".join(copie.split()) == " ".join(texte.split()), (champ.slug, copie[:200])
            vus += 1
    assert vus >= 10, vus


def test_the_finder_shows_the_lever_chosen_whole_on_a_laptop(browser, served):
    """The finder's « Levier » list showed « Schéma de promotion des achats sociale » at 1,366 px, its name cut at 16rem
    (département agent's QA): whichever lever is chosen, its whole name fits in the list as drawn."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(f"{served}/territoires/")
    coupes = page.evaluate("""() => {
        const liste = document.querySelector('#filtre-levier');
        const mesure = document.createElement('canvas').getContext('2d');
        mesure.font = getComputedStyle(liste).font;
        return [...liste.options].filter(o => o.value).filter(o => {
            liste.value = o.value;
            return mesure.measureText(o.text).width + 36 > liste.getBoundingClientRect().width;
        }).map(o => o.text);
    }""")
    assert coupes == [], coupes
    context.close()


def test_an_address_written_out_in_a_table_keeps_the_table_within_the_screen(browser, served, site_dir):
    """A territory's website written out in its identity card made the table 14 px wider than a 390 px screen, its
    right edge cut (reader QA, Rennes Métropole): an address breaks where it must, in every table that writes one."""
    pages = sorted(p.parent.relative_to(site_dir).as_posix() for p in (site_dir / "territoires").glob("*/index.html")
                   if 'td><a class="guide-externe guide-url"' in p.read_text(encoding="utf-8"))
    assert len(pages) > 5
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    page = context.new_page()
    larges = []
    for adresse in pages:
        page.goto(f"{served}/{adresse}/")
        # (the right edge of the text's column: the article's)
        larges += page.evaluate("""a => { const bord = document.querySelector('article').getBoundingClientRect().right
            return [...document.querySelectorAll('article table')].filter(t => t.querySelector('a.guide-url'))
              .map(t => [a, Math.round(t.getBoundingClientRect().right), Math.round(bord)]).filter(([, d, b]) => d > b) }""",
                                adresse)
    context.close()
    assert not larges, larges


def test_the_print_buttons_take_one_line_above_a_page_title_on_a_phone(sized, served, guide):
    """At 390 px, « Imprimer la section « Territoires — Nouvelle-Aquitaine » » took two lines under « Imprimer », and a
    territory's title came 280 px down (reader QA): on a phone the section's name is read by a screen reader, not shown,
    and both buttons share a line; on a laptop the name is shown."""
    terr = max(guide.territoires.values(), key=lambda t: len(t.data["region"]))
    sized.goto(f"{served}/territoires/{terr.slug}/")
    lien = sized.locator("a.guide-imprimer-appartient")
    section = f"Imprimer la section « Territoires — {terr.data['region']} »"
    expect(sized.get_by_role("link", name=re.compile("^" + re.escape(section).replace("\\ ", "\\s") + "$"))).to_have_count(1)
    imprimer = sized.locator("button.guide-imprimer").bounding_box()
    boite = lien.bounding_box()
    if sized.viewport_size["width"] < 500:
        nom = lien.locator(".guide-nom-de-section").bounding_box()
        assert nom["width"] <= 1 and nom["height"] <= 1, nom  # (read, not shown)
        assert abs(boite["y"] - imprimer["y"]) < 2 and boite["height"] < 1.5 * imprimer["height"], (boite, imprimer)
    else:
        assert " ".join(lien.inner_text().split()) == " ".join(section.split())
        assert lien.locator(".guide-nom-de-section").bounding_box()["width"] > 100


def test_the_count_of_the_folded_filters_stays_in_view_while_one_chooses_on_a_phone(browser, served):
    """Open on a phone, the territory filters are taller than the screen: the count of territories shown went off
    screen, and a choice made low in the list gave no sign (reader QA). The summary that counts them stays under the
    header, and a filter reached by the keyboard is not under it."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{served}/territoires/")
    resume = page.locator("#guide-filtres-volet > summary")
    resume.click()
    dernier = page.locator("#guide-filtres select").last
    dernier.scroll_into_view_if_needed()
    champ = page.locator("#guide-filtres select[name='champ']")
    champ.select_option(index=2)
    expect(page.locator("#guide-territoires-resume")).to_contain_text("1 filtre actif")
    entete = page.locator(".md-header").bounding_box()
    boite = resume.bounding_box()
    assert abs(boite["y"] - (entete["y"] + entete["height"])) < 2, (boite, entete)
    # a filter above, reached by the keyboard (Maj+Tab), is shown below the summary, not under it
    premier = page.locator("#guide-filtres select").first
    dernier.focus()
    premier.focus()
    page.wait_for_timeout(200)
    assert premier.bounding_box()["y"] >= resume.bounding_box()["y"] + resume.bounding_box()["height"] - 1, (
        premier.bounding_box(), resume.bounding_box())
    context.close()


def test_the_finder_s_controls_of_one_row_line_up(page, served):
    """The name's box stood 7 px above the lists beside it, its labels out of line (reader QA, 1,366 px): it took
    Material's line height for text."""
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{served}/territoires/")
    boites = page.locator(".guide-filtres :is(select, input[type=search])").evaluate_all(
        "es => es.filter(e => e.offsetParent).map(e => { const r = e.getBoundingClientRect(); return [e.id, r.top, r.height] })")
    nom = next(b for b in boites if b[0] == "filtre-nom")
    voisines = [b for b in boites if b[0] != "filtre-nom" and abs(b[1] - nom[1]) < 20]
    assert voisines, boites
    for ident, top, hauteur in voisines:
        assert abs(top - nom[1]) <= 2 and abs(hauteur - nom[2]) <= 2, (nom, ident, top, hauteur)


def test_a_note_s_way_back_stays_on_its_last_line(page, served, guide):
    """Note 4 of Brest's page ended with an empty line on a phone (reader QA): Material draws the « ↩ » back to the
    call as an inline block, which may go to a line of its own whatever space binds it, and it is hidden until
    hovered."""
    page.set_viewport_size({"width": 390, "height": 844})
    seules = []
    for slug in ("brest-metropole", max(guide.territoires, key=lambda s: len(guide.territoires[s].actions))):
        page.goto(f"{served}/territoires/{slug}/")
        seules += page.locator(".footnote li").evaluate_all("""lis => lis.flatMap(li => {
            const retour = li.querySelector(".footnote-backref");
            if (!retour) return [];
            const texte = document.createRange();
            texte.setStart(li.querySelector("p"), 0);
            texte.setEndBefore(retour);
            const lignes = [...texte.getClientRects()].filter(r => r.width > 0);
            const derniere = lignes[lignes.length - 1], r = retour.getBoundingClientRect();
            return Math.abs(r.top - derniere.top) > derniere.height / 2 ? [li.id] : [];
        })""")
    assert not seules, seules
