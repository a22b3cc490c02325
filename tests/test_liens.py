"""Links land where they say: every fragment link of the built site, print pages included, finds exactly
one element with that id; heading ids keep « œ » and « æ » as « oe » and « ae »."""
from __future__ import annotations

import collections
import functools
import io
import os
import posixpath
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest
import yaml
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "macros"))
from guide.modele import slugs  # noqa: E402
from guide.rendu.render import url_de  # noqa: E402
from guide.rendu import titres  # noqa: E402
from conftest import QuietHandler, serving  # noqa: E402
from test_recherche_precision import ITEMS, pages_listees, saisir  # noqa: E402

SOUS_CHEMIN = "/sous-chemin/"   # GitHub Pages serves a project site under /<repository>/


@functools.lru_cache(maxsize=None)
def ids_of(path: Path) -> collections.Counter:
    tree = lxml.html.parse(str(path))
    return collections.Counter(tree.xpath("//@id"))


def page_file(site: Path, page: Path, href_path: str) -> Path | None:
    """The built file a relative link of `page` points to (directory URLs end in index.html)."""
    rel_dir = page.parent.relative_to(site).as_posix()
    target = posixpath.normpath(posixpath.join(rel_dir, unquote(href_path)))
    if target.startswith(".."):
        return None
    candidate = site / target
    if candidate.is_dir() or href_path.endswith("/"):
        candidate = candidate / "index.html"
    return candidate


def fragment_links(site: Path):
    """(page, href, target file, fragment) of every link with a fragment to a page of the site."""
    for page in sorted(site.rglob("*.html")):
        tree = lxml.html.parse(str(page))
        for href in tree.xpath("//a/@href"):
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.fragment or href.startswith("/"):
                continue
            target = page if not parts.path else page_file(site, page, parts.path)
            yield page, href, target, unquote(parts.fragment)


def test_every_fragment_link_finds_exactly_one_element(site_dir):
    checked, bad = 0, []
    print_links = 0
    for page, href, target, fragment in fragment_links(site_dir):
        checked += 1
        print_links += "imprimer" in page.parts
        count = ids_of(target)[fragment] if target and target.is_file() else 0
        if count != 1:
            bad.append(f"{page.relative_to(site_dir)}: {href} → {count} élément(s)")
    # the site has thousands of such links (actions, sources, tables of contents), print pages included
    assert checked > 5000 and print_links > 1000, (checked, print_links)
    assert not bad, f"{len(bad)} lien(s) sur {checked} :\n" + "\n".join(bad[:30])


def test_no_id_is_used_twice_in_a_page(site_dir):
    bad = []
    for page in sorted(site_dir.rglob("*.html")):
        dup = [i for i, n in ids_of(page).items() if n > 1]
        if dup:
            bad.append(f"{page.relative_to(site_dir)}: {', '.join(sorted(dup)[:5])} ({len(dup)})")
    assert not bad, "\n".join(bad[:30])


def test_heading_ids_keep_oe_and_ae(site_dir, guide):
    """« Cœur d'Essonne » gives « coeur-dessonne… », like the toc slugs of every other heading."""
    assert slugs.titre("Cœur d'Essonne Agglomération", "-") == "coeur-dessonne-agglomeration"
    assert slugs.titre("Curriculum vitæ", "-") == "curriculum-vitae"
    named = [t for t in guide.territoires.values() if "œ" in t.data["nom"].lower() or "æ" in t.data["nom"].lower()]
    assert named, "aucune fiche avec « œ » : le test ne vérifierait rien"
    for t in named:
        ids = ids_of(site_dir / "territoires" / t.slug / "index.html")
        assert titres.ident(t.data["nom"]) in ids  # the page's title: a heading of fiche text (fiche-…)
        assert not [i for i in ids if i.startswith("cur-")], t.slug
        for action in t.actions:
            assert ids[action.ancre] == 1, action.ancre


# ------------------------------------------------------------------------------------ the published site

class _Pages(QuietHandler):
    """GitHub Pages as the guide meets it: the site under a sub-path, 404.html (status 404) for any other
    address, at any depth."""

    def send_head(self):
        path = unquote(self.path.split("?", 1)[0].split("#", 1)[0])
        if path.startswith(SOUS_CHEMIN):
            local = Path(self.translate_path("/" + path[len(SOUS_CHEMIN):]))
            if local.is_file() or (local.is_dir() and (local / "index.html").is_file()):
                self.path = "/" + self.path[len(SOUS_CHEMIN):]
                return super().send_head()
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def workflow_build_command() -> tuple[str, str]:
    """The build step of the publishing workflow and the expression that gives GUIDE_ADRESSE."""
    workflow = yaml.safe_load((ROOT / ".github/workflows/publier.yml").read_text(encoding="utf-8"))
    job = workflow["jobs"]["construire"]
    step = next(s for s in job["steps"] if "servir.sh build" in s.get("run", ""))
    env = {**job.get("env", {}), **step.get("env", {})}
    return step["run"], env.get("GUIDE_ADRESSE", "")


@pytest.fixture(scope="module")
def publie(tmp_path_factory):
    """The site built as the publishing workflow builds it (GUIDE_ADRESSE = the Pages address), served
    under a sub-path by a GitHub-Pages-like server: (base URL, site folder)."""
    run, adresse = workflow_build_command()
    assert "configure-pages" in (ROOT / ".github/workflows/publier.yml").read_text(encoding="utf-8")
    assert "base_url" in adresse, "GUIDE_ADRESSE ne vient pas de l'adresse GitHub Pages"
    site = tmp_path_factory.mktemp("publie")
    with serving(site, _Pages) as origine:
        base = origine + SOUS_CHEMIN
        # `servir.sh build` = `mkdocs build --strict` into site/ once the requirements are installed
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "GUIDE_ADRESSE": base.rstrip("/")}
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)],
                                cwd=ROOT, capture_output=True, text=True, env=env, timeout=600)
        assert result.returncode == 0, result.stderr
        yield base, site


def test_sitemap_lists_every_page_and_pages_name_their_canonical_address(publie):
    base, site = publie
    # Every page of the guide; not the editors' form (/admin/, not an MkDocs page, marked noindex).
    pages = sorted(p.parent.relative_to(site).as_posix() for p in site.rglob("index.html")
                   if 'name="robots" content="noindex"' not in p.read_text(encoding="utf-8"))
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    listed = set(re.findall(r"<loc>([^<]+)</loc>", sitemap))
    expected = {base + (p + "/" if p != "." else "") for p in pages}
    assert len(pages) > 150 and listed == expected, sorted(expected ^ listed)[:10]
    for p in pages[:: max(1, len(pages) // 25)]:
        tree = lxml.html.parse(str(site / p / "index.html"))
        assert tree.xpath("//link[@rel='canonical']/@href") == [base + (p + "/" if p != "." else "")], p


@pytest.mark.parametrize("depth", ["", "inconnue", "territoires/ancienne-fiche/", "a/b/c/d/"])
def test_404_page_has_its_styles_and_links_that_stay_in_the_site(page, publie, depth):
    base, _ = publie
    response = page.goto(base + depth)
    if depth == "":
        assert response.status == 200
        return
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page introuvable" and page.title().startswith("Page introuvable")
    # Material's stylesheet applied: the header is the fixed bar it draws, not a plain block
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") in ("sticky", "fixed")
    links = page.eval_on_selector_all("article a[href]", "els => els.map(a => a.href)")
    assert len(links) >= 3 and all(link.startswith(base) for link in links), links
    for link in links:
        assert page.request.get(link).status == 200, link
    page.fill("input[name=mots]", "coopération")
    page.press("input[name=mots]", "Enter")
    page.wait_for_url(re.compile(re.escape(base) + r"recherche/\?mots="))
    assert page.locator("#recherche-mots").input_value() == "coopération"
    page.locator("#recherche-resultats li a").first.wait_for(timeout=30000)  # results of the words typed


def _action_links(page, base, guide, count):
    """Links from champ pages to actions on territory pages: (champ URL, href), `count` of them, spread
    over champs and over the position of the action on its territory page."""
    out = []
    for champ in guide.champs.values():
        page.goto(base + url_de(champ.src))
        hrefs = page.eval_on_selector_all("article a[href*='#action-']", "els => els.map(a => a.getAttribute('href'))")
        hrefs = [h for h in dict.fromkeys(hrefs) if "territoires/" in h]
        if hrefs:  # one a champ, further down the champ page from one champ to the next
            out.append((url_de(champ.src), hrefs[(len(out) * 7) % len(hrefs)]))
        if len(out) >= count:
            break
    return out[:count]


LANDED = """(id) => {
    const el = document.getElementById(id), top = el.getBoundingClientRect().top;
    const bottom = document.documentElement.scrollHeight - innerHeight;
    return {top, y: scrollY, atBottom: Math.abs(scrollY - bottom) < 2, height: innerHeight};
}"""


def _on_heading(state) -> bool:
    """The heading is at the top of the viewport (below the fixed header), or the page is scrolled as far
    as it goes and the heading shows in its upper part (an action near the end of a short page)."""
    return 0 <= state["top"] <= 0.3 * state["height"] or (state["atBottom"] and 0 <= state["top"] < 0.7 * state["height"])


def test_instant_navigation_lands_on_the_heading_and_back_restores_the_position(browser, publie, guide):
    base, _ = publie
    context = browser.new_context(locale="fr-FR", viewport={"width": 1366, "height": 800})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    links = _action_links(page, base, guide, 8)  # one a champ, eight champs
    assert len(links) == 8
    missed = []
    for champ_url, href in links:
        page.goto(base + champ_url)
        link = page.locator(f"article a[href='{href}']").first
        # the reader scrolls to the link and clicks it at once (within the 100 ms Material waits before
        # it writes the scroll position into the history)
        link.scroll_into_view_if_needed()
        before = page.evaluate("scrollY")
        instant = page.evaluate("() => { window.__sans_rechargement = true; return true; }")
        link.click()
        fragment = unquote(href.split("#", 1)[1])
        page.wait_for_function("id => !!document.getElementById(id) && location.hash", arg=fragment)
        time.sleep(0.6)
        assert instant and page.evaluate("window.__sans_rechargement === true"), "navigation sans chargement instantané"
        state = page.evaluate(LANDED, fragment)
        if not _on_heading(state):
            missed.append(f"{champ_url} → {href} : titre à {state['top']:.0f} px (défilement {state['y']:.0f})")
            continue
        # back: the champ page where it was left; forward: the heading again
        page.go_back()
        page.wait_for_function("url => location.href === url", arg=base + champ_url)
        # Material restores the position once the page is laid out again: waited for (5 s at most), not
        # slept for (on a loaded machine it came after a fixed 0.4 s)
        try:
            page.wait_for_function("y => Math.abs(scrollY - y) < 40", arg=before, timeout=5000)
        except Exception:
            raise AssertionError(("retour", champ_url, page.evaluate("scrollY"), before)) from None
        page.go_forward()
        page.wait_for_function("id => !!document.getElementById(id) && location.hash", arg=fragment)
        # Forward: the heading in view. (Material restores the position it kept for that entry; on a territory
        # page whose actions are folded it may have been measured while the fold was opening, a few lines off:
        # ancres.js brings the heading back when it is out of view.) Waited for, as the position back is: on the
        # loaded machine of a whole run, the heading was not yet back after a fixed 0.4 s (CI).
        try:
            page.wait_for_function("""id => { const top = document.getElementById(id).getBoundingClientRect().top;
                                                return top >= -2 && top < innerHeight - 40 }""", arg=fragment,
                                   timeout=5000)
        except Exception:
            raise AssertionError(("avance", href, page.evaluate(LANDED, fragment))) from None
    context.close()
    assert not missed, f"{len(missed)} lien(s) sur {len(links)} :\n" + "\n".join(missed)
    assert not errors, errors


def test_the_map_opens_by_instant_navigation_and_its_departements_lead_to_the_finder(browser, publie):
    """Material's instant navigation resolved the map's SVG links as HTML ones and threw: the address changed,
    the map never showed (liens-svg.js). From the menu, from the footer, then a département clicked."""
    base, _ = publie
    for largeur in (1366, 390):
        context = browser.new_context(locale="fr-FR", viewport={"width": largeur, "height": 850})
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(base + "territoires/matrice/")
        page.evaluate("() => { window.__sans_rechargement = true }")
        lien = page.locator("a.md-footer__link--next[href$='carte/']")  # « Suivant : Carte des territoires »
        lien.scroll_into_view_if_needed()
        lien.click()
        page.wait_for_url(re.compile(r"/territoires/carte/$"))
        carte = page.locator("svg.guide-carte__svg")
        carte.wait_for(state="visible", timeout=15000)
        assert page.evaluate("window.__sans_rechargement === true"), "la carte n'est pas venue par la navigation instantanée"
        assert page.locator("h1").first.inner_text().startswith("Carte")
        departement = page.locator("svg a[href*='departement=']").first
        code = departement.get_attribute("href").rsplit("=", 1)[1]
        departement.click()
        page.wait_for_url(re.compile(rf"/territoires/\?departement={code}$"))
        page.locator("#filtre-departement").wait_for(state="attached")
        assert page.locator("#filtre-departement").input_value() == code
        # Opened directly (a bookmark, a shared link): Material reads the links as it starts, so the SVG links
        # must be readable before its script runs (« Cannot set property href of SVGAElement »).
        page.goto(base + "territoires/carte/")
        carte.wait_for(state="visible")
        page.wait_for_load_state("load")
        context.close()
        assert not errors, (largeur, errors)

def test_finder_and_print_button_work_after_an_instant_load(page, publie):
    base, _ = publie
    page.goto(base)
    page.evaluate("() => { window.__sans_rechargement = true; }")
    page.locator(".md-tabs a[href$='territoires/']").first.click()
    page.wait_for_selector("form[data-guide-filtres]:not([hidden])")
    assert page.evaluate("window.__sans_rechargement === true"), "navigation sans chargement instantané"
    rows = "() => [...document.querySelectorAll('#guide-territoires tbody tr')].filter(r => !r.hidden).length"
    total = page.evaluate(rows)
    region = page.eval_on_selector("#filtre-region", "s => s.options[s.options.length - 1].value")
    page.select_option("#filtre-region", region)
    assert 0 < page.evaluate(rows) < total
    page.evaluate("() => { window.__imprime = 0; window.print = () => { window.__imprime += 1; }; }")
    page.locator("button.guide-imprimer").click()
    assert page.evaluate("window.__imprime") == 1


# ------------------------------------------------------------------------------------------------ the preview

def _get(url: str) -> str | None:
    import urllib.request
    try:
        return urllib.request.urlopen(url, timeout=10).read().decode("utf-8")
    except OSError:
        return None


def _wait(condition, what: str, server, timeout: float = 300):
    deadline = time.time() + timeout
    while not condition():
        assert server.poll() is None, "mkdocs serve s'est arrêté"
        assert time.time() < deadline, what
        time.sleep(0.2)


def test_preview_drops_the_page_of_a_deleted_or_renamed_fiche(project_copy, guide):
    """`mkdocs serve` as scripts/servir.sh runs it, on a copy of the guide: a fiche deleted or renamed no
    longer has its page served, and the pages that gathered every fiche no longer link to it."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import benchmark
    servir = (ROOT / "scripts" / "servir.sh").read_text(encoding="utf-8")
    assert "mkdocs " + " ".join(benchmark.SERVE) in servir
    # fiches that no other fiche names (as co-carrier): they can go without breaking the guide
    named = {c for t in guide.territoires.values() for a in t.actions for c in a.data.get("coporteurs", [])}
    free = [t for t in guide.territoires.values() if t.slug not in named and not t.actions_partagees
            and not any(a.data.get("coporteurs") for a in t.actions)]
    deleted, renamed = free[0], free[1]
    with __import__("socket").socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    temporaire = project_copy / "tmp"  # the system's temporary folder, for this preview only
    temporaire.mkdir()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(temporaire)}
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", *benchmark.SERVE, "-a", f"127.0.0.1:{port}"],
                              cwd=project_copy, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/"
    try:
        page = base + url_de(deleted.src)
        _wait(lambda: _get(page) is not None, "mkdocs serve n'a pas servi le guide", server)
        index = base + "territoires/"
        assert f"{deleted.slug}/" in _get(index) and f"{renamed.slug}/" in _get(index)
        time.sleep(2)  # let the watcher settle after the first build
        fiches = project_copy / "fiches" / "territoires"
        (fiches / f"{deleted.slug}.md").unlink()
        (fiches / f"{renamed.slug}.md").rename(fiches / f"{renamed.slug}-nouveau.md")
        _wait(lambda: _get(base + f"territoires/{renamed.slug}-nouveau/") is not None,
              "la fiche renommée n'est pas servie à sa nouvelle adresse", server)
        _wait(lambda: f"{deleted.slug}/" not in (_get(index) or f"{deleted.slug}/"),
              "l'index lie encore la fiche supprimée", server)
        assert _get(page) is None, "la page de la fiche supprimée est encore servie"
        assert _get(base + url_de(renamed.src)) is None, "l'ancienne adresse de la fiche renommée est servie"
        for champ in guide.champs.values():
            html = _get(base + url_de(champ.src)) or ""
            assert f"territoires/{deleted.slug}/" not in html and f"territoires/{renamed.slug}/" not in html
        assert list(temporaire.glob("mkdocs_*")), "mkdocs serve n'a pas construit dans le dossier temporaire"
    finally:
        server.terminate()  # SIGTERM, as a process manager or a container's stop ends the preview
        server.wait(timeout=60)
    # Its site (a gigabyte at 10,000 fiches) and the preview's own folder went with it, as on Ctrl+C (Jinja's cache
    # of compiled templates stays, for the next build: render.GabaritsCompiles).
    restes = sorted(p.name for p in temporaire.iterdir() if not p.name.startswith("_jinja2-cache"))
    assert not restes, f"l'aperçu arrêté a laissé {restes}"


def test_preview_never_serves_a_saved_fiche_whose_link_leads_to_a_missing_anchor(project_copy, guide):
    """A fiche saved with a link to an anchor another page does not hold was served by the preview's first build
    (which builds the saved fiche's page alone), then refused by the complete one while the preview kept serving it
    under « dernière construction réussie » (editor QA). The first build checks the anchor against the other page as
    the site holds it: the page is never served with the link, and the banner names it."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import benchmark
    named = {c for t in guide.territoires.values() for a in t.actions for c in a.data.get("coporteurs", [])}
    fiche = next(t for t in guide.territoires.values() if t.slug not in named and not t.actions_partagees
                 and not any(a.data.get("coporteurs") for a in t.actions))
    autre = next(t for t in guide.territoires.values() if t.slug != fiche.slug)
    with __import__("socket").socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    temporaire = project_copy / "tmp"
    temporaire.mkdir()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(temporaire)}
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", *benchmark.SERVE, "-a", f"127.0.0.1:{port}"],
                              cwd=project_copy, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    page = f"http://127.0.0.1:{port}/" + url_de(fiche.src)
    try:
        _wait(lambda: _get(page) is not None, "mkdocs serve n'a pas servi le guide", server)
        time.sleep(2)  # let the watcher settle after the first build
        chemin = project_copy / "fiches" / "territoires" / f"{fiche.slug}.md"
        chemin.write_text(chemin.read_text(encoding="utf-8").rstrip("\n")
                          + f"\n\nVoir [l'autre]({autre.slug}.md#ancre-absente).\n", encoding="utf-8")
        fin = time.monotonic() + 60
        while time.monotonic() < fin:
            html = _get(page) or ""
            assert "#ancre-absente" not in html.replace("« ", "").split("guide-apercu")[0] or "dernière construction" in html
            if "dernière construction réussie" in html and "ancre-absente" in html:
                break
            time.sleep(0.3)
        else:
            raise AssertionError("l'aperçu n'a pas dit le lien vers une ancre absente")
        assert 'href="../' + autre.slug + '/#ancre-absente"' not in html
    finally:
        server.terminate()
        server.wait(timeout=60)


# Search, wherever the site is published (its own tests: test_recherche*.py)

def test_under_a_sub_path_search_results_lead_to_their_pages_after_instant_navigation(browser, publie):
    """Built as published (site_url with a sub-path, GUIDE_ADRESSE) and served under that sub-path: a result
    clicked after instant navigation opens its page, under the sub-path; so do the results page's links."""
    adresse, _ = publie
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 800})
    page = context.new_page()
    try:
        page.goto(adresse + "territoires/")
        page.locator("article a[href*='territoires/nantes-metropole/']").first.click()  # instant navigation
        expect(page).to_have_url(adresse + "territoires/nantes-metropole/")
        # the new page in place before typing (on a busy machine the address changed well before the content,
        # and the page that came in closed the search the test had opened)
        expect(page.locator("article h1").first).to_contain_text("Nantes Métropole")
        saisir(page, "monnaie locale")
        premier = pages_listees(page)[0]
        assert premier.startswith(adresse), premier
        page.locator(ITEMS).filter(has_not_text="Tous les résultats").first.click()
        expect(page).to_have_url(re.compile("^" + re.escape(premier.split("?")[0])))
        expect(page.locator("article h1:visible").first).to_be_visible()
        page.goto(adresse + "recherche/?mots=monnaie+locale")  # the results page, as its link in the list gives it
        expect(page.locator(".guide-recherche__titre a").first).to_be_visible(timeout=30000)
        liens = page.locator(".guide-recherche__titre a").evaluate_all("as => as.map(a => a.href)")
        assert liens and all(h.startswith(adresse) for h in liens), liens
        page.locator(".guide-recherche__titre a").first.click()
        expect(page.locator("article h1:visible").first).to_be_visible()
        assert "404" not in page.title()
        # The results page by the list's last link, after instant navigation from pages of another depth than
        # its own: its script resolved the site's root against the first page's configuration, kept by Material
        # (« La recherche est indisponible : Failed to fetch dynamically imported module »).
        for depart in ("", "territoires/nantes-metropole/"):
            page.goto(adresse + depart)
            saisir(page, "monnaie locale")
            page.locator(ITEMS).filter(has_text="Tous les résultats").first.click()
            expect(page).to_have_url(re.compile("^" + re.escape(adresse + "recherche/")))
            expect(page.locator(".guide-recherche__titre a").first).to_be_visible(timeout=30000)
            assert "indisponible" not in page.locator("#recherche-statut").inner_text(), depart
    finally:
        context.close()
