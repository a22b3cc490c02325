"""The map of the territories (/territoires/carte/) and the finder's département and population filters:
static HTML read with lxml, clicks and axe in Chromium, print to one A4 sheet, page weight."""
from __future__ import annotations

import re
from collections import Counter

import pytest
from lxml import html as lxml_html
from playwright.sync_api import expect

from guide.sorties import export
from test_accessibilite import axe_violations
from test_impression import print_to_pdf

SVG = "{http://www.w3.org/2000/svg}"
ROWS = "#guide-territoires tbody tr"


def expected_counts(guide) -> Counter:
    """Territories per département code, from the reference (export.departements): what the map must show."""
    return Counter(code for t in guide.territoires.values() for code, _ in export.departements(t))


@pytest.fixture(scope="module")
def carte(site_dir):
    return lxml_html.parse(str(site_dir / "territoires" / "carte" / "index.html"))


def svg_links(doc) -> dict:
    """href → accessible name of every link drawn in the map (lxml's HTML parser drops the SVG namespace)."""
    svg = doc.xpath("//svg[contains(@class, 'guide-carte__svg')]")
    assert len(svg) == 1, "une seule carte SVG, dans le HTML (sans JavaScript)"
    return {a.get("href"): a.get("aria-label") for a in svg[0].iter("a")}


def test_map_page_is_in_the_territoires_section(site_dir):
    index = lxml_html.parse(str(site_dir / "territoires" / "index.html"))
    nav = index.xpath("//nav[contains(@class, 'md-nav--primary')]//a[@href='carte/']")
    assert nav and "Carte des territoires" in nav[0].text_content()
    # Beside the finder's other views, in the section of the territories.
    assert nav[0].xpath("ancestor::ul[1]//a[@href='matrice/']")


def test_every_departement_holding_a_territory_is_a_link_to_the_filtered_finder(carte, guide):
    counts = expected_counts(guide)
    assert counts, "aucun territoire placé dans un département"
    links = svg_links(carte)
    names = {}
    for href, label in links.items():
        match = re.fullmatch(r"\.\./\?departement=(\w+)", href)
        assert match, href
        names[match.group(1)] = label
    assert set(names) == set(counts)
    ref = guide.referentiel
    for code, n in counts.items():
        assert names[code] == f"{ref.departements[code]['nom']} : {n} territoire{'s' if n > 1 else ''}"
    # Overseas départements holding territories are links too (insets).
    assert {c for c in counts if c.startswith("97")} <= set(names)


def test_table_gives_the_same_information_and_names_every_placed_territory(carte, guide):
    counts = expected_counts(guide)
    rows = carte.xpath("//table[contains(@class, 'guide-carte__tableau')]/tbody/tr")
    assert len(rows) == len(counts)
    for row in rows:
        link = row.xpath("th/a")[0]
        code = re.search(r"departement=(\w+)", link.get("href")).group(1)
        assert int(row.xpath(".//span[@class='guide-carte__nombre']")[0].text) == counts[code]
        placed = {t.data["nom"] for t in guide.territoires.values() if code in dict(export.departements(t))}
        assert {a.text_content() for a in row.xpath("td//a")} == placed
    # Régions and territories without a code are listed below the map, each linked to its page.
    text = carte.xpath("//article")[0].text_content()
    for t in guide.territoires.values():
        if not export.departements(t):
            assert t.data["nom"] in text, t.slug


def test_clicking_a_departement_opens_the_finder_filtered_on_it(page, served, guide):
    counts = expected_counts(guide)
    code = max(counts, key=lambda c: (counts[c], c))
    page.goto(f"{served}/territoires/carte/")
    page.locator(f"svg a[href$='departement={code}']").click()
    page.wait_for_url(re.compile(rf"/territoires/\?departement={code}$"))
    expect(page.locator("#filtre-departement")).to_have_value(code)
    shown = page.locator(f"{ROWS}:visible th a").evaluate_all("as => as.map(a => a.textContent)")
    assert sorted(shown) == sorted(t.data["nom"] for t in guide.territoires.values()
                                   if code in dict(export.departements(t)))
    expect(page.locator("#guide-territoires-statut")).to_contain_text(f"{counts[code]} territoires affichés sur")


def test_map_links_are_reached_with_the_keyboard(page, served, guide):
    page.goto(f"{served}/territoires/carte/")
    page.locator("svg a").first.focus()
    assert page.evaluate("document.activeElement.closest('svg') !== null")
    first = page.evaluate("document.activeElement.getAttribute('aria-label')")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('svg') !== null")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") != first
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/territoires/\?departement="))


def test_a_departement_focused_with_the_keyboard_is_outlined_over_its_neighbours(page, served):
    """Tab through the map: each focused département's outline is drawn last in the drawing (SVG paints in document
    order), on its very shape, so the départements drawn after it no longer cover it (reader QA: Bouches-du-Rhône
    showed only its coast); the Tab order is unchanged, and the copy goes with the focus."""
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{served}/territoires/carte/")
    liens = page.locator("svg.guide-carte__svg a")
    ordre = liens.evaluate_all("as => as.map(a => a.getAttribute('aria-label'))")
    liens.first.focus()
    page.keyboard.press("Shift+Tab")
    vus, ecarts = [], []
    for _ in range(len(ordre)):
        page.keyboard.press("Tab")  # by the keyboard: the outline is for keyboard focus (:focus-visible)
        etat = page.evaluate("""() => { const a = document.activeElement, svg = a.ownerSVGElement;
            if (!svg) return null;
            const dernier = svg.lastElementChild, formes = a.querySelectorAll('path, rect');
            const copies = dernier.classList.contains('guide-carte__focus') ? dernier.querySelectorAll('path, rect') : [];
            const boite = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.width, r.height].map(Math.round); };
            return {nom: a.getAttribute('aria-label'), dernier: dernier.getAttribute('class'),
                    memes: copies.length === formes.length && [...formes].every((f, i) =>
                        copies[i].getAttribute('d') === f.getAttribute('d')
                        && boite(copies[i]).every((v, j) => Math.abs(v - boite(f)[j]) <= 1)),
                    trait: copies.length ? getComputedStyle(copies[0]).stroke : null}; }""")
        if etat is None:
            break
        vus.append(etat["nom"])
        if etat["dernier"] != "guide-carte__focus" or not etat["memes"] or etat["trait"] != "rgb(201, 25, 30)":
            ecarts.append(etat)
    assert vus == ordre and not ecarts, ecarts[:3]
    page.keyboard.press("Tab")  # out of the map: the copy goes
    assert page.locator(".guide-carte__focus").count() == 0


def test_the_paris_inset_and_its_caption_cover_no_departement(page, served):
    """The inset of Paris and its petite couronne, over the Channel, hid the Cotentin, and its caption the coast of
    Brittany: with the inset hidden, no point of its frame or caption falls on a département."""
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{served}/territoires/carte/")
    touches = page.evaluate("""() => {
      const svg = document.querySelector("svg.guide-carte__svg");
      const encart = [...svg.querySelectorAll(".guide-carte__cadre, .guide-carte__legende-zoom, .guide-carte__zoom")];
      const zones = encart.slice(0, 2).map(el => el.getBoundingClientRect());
      encart.forEach(el => el.style.visibility = "hidden");
      const touches = [];
      for (const r of zones) {
        for (let x = r.left; x <= r.right; x += 3) for (let y = r.top; y <= r.bottom; y += 3) {
          const el = document.elementFromPoint(x, y);
          if (el && el.closest("svg") === svg && el.tagName.toLowerCase() === "path") touches.push([x, y]);
        }
      }
      return touches.length;
    }""")
    assert touches == 0


def test_map_page_has_no_serious_axe_violation(page, served):
    page.goto(f"{served}/territoires/carte/")
    violations = axe_violations(page)
    assert violations == [], "\n".join(violations)


def test_map_page_stays_light(site_dir):
    html = (site_dir / "territoires" / "carte" / "index.html").stat().st_size
    css = (site_dir / "assets" / "carte.css").stat().st_size
    assert html + css < 300_000, html + css


def test_map_page_prints_the_map_then_the_territories_of_each_departement(page, served, guide, tmp_path):
    """The map on A4, then the table whole: printed, it gave only the counts, in 6 pt, while the page says the table
    gives the same information as the map (reader QA: no territory's name on paper)."""
    result = print_to_pdf(page, f"{served}/territoires/carte/", tmp_path / "carte.pdf")
    assert result["pages"] <= 4, result["pages"]
    assert abs(result["size"][0] - 595) < 2 and abs(result["size"][1] - 842) < 2
    ref = guide.referentiel
    texte = re.sub(r"- ", "-", " ".join(result["text"].split()))  # (a name cut at its hyphen at a line's end)
    for code in expected_counts(guide):
        assert f"{ref.departements[code]['nom']} ({code})" in texte, code
    for t in guide.territoires.values():
        if export.departements(t):
            assert re.sub(r"- ", "-", " ".join(t.data["nom"].split())) in texte, t.slug


# --- The finder: population and département filters --------------------------------------------------

def test_every_territory_with_a_code_has_its_official_population_in_the_finder(site_dir, guide):
    doc = lxml_html.parse(str(site_dir / "territoires" / "index.html"))
    rows = {r.xpath("th/a")[0].get("href").strip("/").split("/")[-1]: r for r in doc.xpath("//table[@id='guide-territoires']/tbody/tr")}
    ref = guide.referentiel
    for t in guide.territoires.values():
        row = rows[t.slug]
        if t.officiel is None:
            continue
        assert int(row.get("data-population")) == t.officiel.population
        assert row.get("data-tranche") != export.TRANCHE_INCONNUE[0]
        # its source, said once in the table's caption when most rows share it (tablet QA), else in its cell
        caption = doc.xpath("//table[@id='guide-territoires']/caption")[0].text_content()
        assert f"découpage administratif {ref.millesime}" in row.text_content() + caption
        assert row.get("data-departements").split() == [c for c, _ in export.departements(t)]


def test_population_band_and_departement_filters_in_chromium(page, served, guide):
    bands = Counter(export.tranche(t)[0] for t in guide.territoires.values())
    band = max((b for b in bands if b != export.TRANCHE_INCONNUE[0]), key=lambda b: bands[b])
    page.goto(f"{served}/territoires/?population={band}")
    shown = page.locator(f"{ROWS}:visible th a").evaluate_all("as => as.map(a => a.textContent)")
    assert sorted(shown) == sorted(t.data["nom"] for t in guide.territoires.values() if export.tranche(t)[0] == band)
    # Sorted by population, every coded territory before those without a figure, largest first.
    page.select_option("#filtre-population", "")
    page.select_option("#filtre-tri", "population")
    pops = page.locator(f"{ROWS}:visible").evaluate_all("rs => rs.map(r => r.getAttribute('data-population'))")
    known = [int(p) for p in pops if p]
    assert known == sorted(known, reverse=True)
    assert len(known) >= sum(1 for t in guide.territoires.values() if t.officiel is not None)
    # Département and région combine.
    counts = expected_counts(guide)
    code = max(counts, key=lambda c: (counts[c], c))
    page.select_option("#filtre-departement", code)
    region = guide.referentiel.regions[guide.referentiel.departements[code]["region"]]["nom"]
    page.select_option("#filtre-region", region)
    shown = page.locator(f"{ROWS}:visible th a").evaluate_all("as => as.map(a => a.textContent)")
    assert sorted(shown) == sorted(t.data["nom"] for t in guide.territoires.values()
                                   if code in dict(export.departements(t)) and t.data["region"] == region)
    assert f"departement={code}" in page.url


_CONTRASTES = """() => {
  const lum = c => { const [r, g, b] = c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number).map(v => {
    v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  return [...document.querySelectorAll(".guide-carte__svg rect[class^='guide-carte__n'] + text")].map(t => {
    const a = lum(getComputedStyle(t).fill), b = lum(getComputedStyle(t.previousElementSibling).fill);
    return [t.textContent, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
  });
}"""


def test_the_names_in_the_overseas_boxes_read_on_their_shade(page, served):
    """Guadeloupe and La Réunion, the overseas boxes that link to territories, printed their names in white on the
    lightest shades (1.7:1); axe does not read SVG text. Every box's name is at least 4.5:1 on its shade."""
    page.goto(served + "/territoires/carte/")
    contrastes = page.evaluate(_CONTRASTES)
    assert len(contrastes) >= 5, contrastes  # the five overseas départements
    faibles = [(nom, round(c, 2)) for nom, c in contrastes if c < 4.5]
    assert not faibles, faibles
