"""Properties that keep the guide fast as fiches are added (the timings themselves are measured by
scripts/benchmark.py, not here): fiches parsed once per build, page weight independent of the number
of territories, one navigation shared by territory pages, a chunked search index, acronyms
explained once, and the preview that rebuilds an edited fiche's page first."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import ROOT, copy_project, mkdocs_build


def nav_and_page_sizes(site: Path, slug: str) -> tuple[int, int]:
    html = (site / "territoires" / slug / "index.html").read_text(encoding="utf-8")
    nav = BeautifulSoup(html, "lxml").find("nav", class_="md-nav--primary")
    return len(str(nav)), len(html)


# Territory fiches the grown guide adds: enough for a lever's « Qui le fait » and its champ's « Ce que font les
# territoires » to list more territories than a champ page shows one by one (50), and for the matrix to hold more
# rows than it shows in one table (200; the real guide has 111).
COPIES = 100


@pytest.fixture(scope="module")
def grandi(tmp_path_factory, guide):
    """The project and its site, built, with COPIES more territory fiches: copies of the territories that carry
    an action of the lever carried by the most territories. Returns (project, site, lever id)."""
    levier = max(guide.leviers.values(), key=lambda l: (len({a.territoire.slug for a in l.actions}), l.id))
    project = copy_project(tmp_path_factory.mktemp("grandi"))
    folder = project / "fiches" / "territoires"
    sources = sorted({a.territoire.slug for a in levier.actions})
    for i in range(COPIES):
        source = folder / f"{sources[i % len(sources)]}.md"
        _, front, body = source.read_text(encoding="utf-8").split("---\n", 2)
        data = yaml.safe_load(front)
        data["nom"] = f"Copie {i} de {data['nom']}"
        data.pop("alias", None)
        for action in data["actions"]:  # a copy shares no action with the real fiches
            action.pop("coporteurs", None)
            action["titre"] = f"{action['titre']} (copie {i})"
            action["resume"] = f"{action['resume'].rstrip()} (copie {i})"  # nor a summary, nor its text (doublons.py)
        for cle in ("code_insee", "siren"):  # nor an official code: a code belongs to one fiche
            if data.pop(cle, None):
                data["code_officiel_absent"] = "copie d'essai d'une fiche réelle"
        front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        body = f"{body.rstrip()}\n\nCopie d'essai n° {i}.\n" if body.strip() else body
        (folder / f"copie-{i}-{source.stem}.md").write_text(f"---\n{front}---\n{body}", encoding="utf-8")
    site = tmp_path_factory.mktemp("grandi-site")
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr[-3000:]
    return project, site, levier.id


def test_page_weight_does_not_grow_with_the_number_of_fiches(site_dir, guide, grandi):
    """Adding 100 territory fiches leaves another territory's page, and its navigation, unchanged in size (the
    guide's own site, site_dir, against the same guide with the copies)."""
    before = site_dir
    _, out, _ = grandi
    # A territory none of the copies is made from, named as coporteur by no copy.
    copied = {p.name.split("-", 2)[2].removesuffix(".md") for p in (grandi[0] / "fiches" / "territoires").glob("copie-*.md")}
    probe = sorted(s for s, t in guide.territoires.items() if t.actions and s not in copied)[-1]
    (nav, page), (nav_avant, page_avant) = nav_and_page_sizes(out, probe), nav_and_page_sizes(before, probe)
    # The navigation is the same; the page may differ by a few bytes, no more: its « Territoires comparables »
    # (at most five, join.py) may name a copy instead of a real fiche.
    assert nav == nav_avant and abs(page - page_avant) <= 0.01 * page_avant, (nav, page, nav_avant, page_avant)


def _section(h2) -> list:
    """The elements of a page's section, after its h2 and up to the next."""
    out = []
    for el in h2.find_next_siblings():
        if el.name == "h2":
            break
        out.append(el)
    return out


def _liens_de_territoires(el) -> list[str]:
    """The territory pages linked in `el`, by slug, in order (links to an action's anchor excluded)."""
    return [a["href"].rstrip("/").rsplit("/", 1)[-1] for a in el.select("a[href]")
            if "/territoires/" in a["href"] and "#" not in a["href"]]


def test_long_lists_of_territories_are_grouped_by_region_and_folded(grandi, site_dir, guide):
    """A champ page whose champ or lever counts more territories than it shows one by one groups them by région,
    each folded under its counts, one line a territory with links to its actions: every territory and every
    action once, the régions in the finder's order, a link to the finder filtered on the champ. A champ under
    the bound keeps its list territory by territory."""
    from guide import build_guide
    project, site, levier_id = grandi
    reel, guide = guide, build_guide(project)
    levier = guide.leviers[levier_id]
    champ = levier.champ
    soup = BeautifulSoup((site / "champs" / champ.slug / "index.html").read_text(encoding="utf-8"), "lxml")
    ordre = [region for region, _ in guide.par_region()]

    # « Ce que font les territoires »: one h3 a région, each followed by its fold
    section = soup.find(id="ce-que-font-les-territoires")
    titres, plis = [], []
    for el in _section(section):
        if el.name == "h3":
            titres.append(el.get_text(" ", strip=True).removesuffix(" #").strip())
        if el.name == "details":
            plis.append(el)
    par_territoire = champ.actions_par_territoire()
    attendues = sorted({t.data["region"] for t, _ in par_territoire}, key=ordre.index)
    assert len(par_territoire) > 50 and titres == attendues and len(plis) == len(titres), titres
    vus, actions = [], []
    for titre, pli in zip(titres, plis):
        dans = [(t, a) for t, a in par_territoire if t.data["region"] == titre]
        resume = pli.find("summary").get_text(" ", strip=True)
        n_actions = sum(len(a) for _, a in dans)
        assert resume == f"{len(dans)} territoire{'s' * (len(dans) > 1)}, {n_actions} action{'s' * (n_actions > 1)}", resume
        assert not pli.has_attr("open")
        lignes = pli.select("li")
        assert [_liens_de_territoires(li)[0] for li in lignes] == [t.slug for t, _ in dans]
        vus += [t.slug for t, _ in dans]
        actions += [a["href"].split("#", 1)[1] for a in pli.select("a[href*='#action-']")]
    assert sorted(vus) == sorted(t.slug for t, _ in par_territoire)  # each once
    # each action under its carrier and each co-carrier (as the lever's « Qui le fait » and the finder count them)
    assert sorted(actions) == sorted(a.ancre for _, siennes in par_territoire for a in siennes)
    assert set(actions) == {a.ancre for a in champ.actions}
    annuaire = section.find_next("a", string="annuaire des territoires")
    assert annuaire["href"].endswith(f"territoires/?champ={champ.slug}"), annuaire["href"]

    # The lever's « Qui le fait »: its régions folded, every territory using it once
    qui = soup.select_one(f'.guide-qui-le-fait[data-levier="{levier_id}"]')
    assert len(levier.territoires) > 50
    plis_levier, territoires = [], []
    for el in qui.find_next_siblings():
        if el.name != "details":
            break
        plis_levier.append(el.find("summary").get_text(" ", strip=True))
        territoires += [_liens_de_territoires(li)[0] for li in el.select("li")]
    attendus = [f"{region}\u202f: {len(paires)} territoire{'s' * (len(paires) > 1)}"  # French space before « : »
                for region, paires in guide.par_region_des(levier.actions_par_territoire())]
    assert plis_levier == attendus and sorted(territoires) == sorted(t.slug for t in levier.territoires)

    # Under the bound, in the same site and in the real one: a heading a territory, its actions and their summaries
    for racine, g in ((site, guide), (site_dir, reel)):
        autre = max((c for c in g.champs.values() if len(c.territoires) <= 50), key=lambda c: len(c.territoires))
        page = BeautifulSoup((racine / "champs" / autre.slug / "index.html").read_text(encoding="utf-8"), "lxml")
        section = _section(page.find(id="ce-que-font-les-territoires"))
        h3 = [el for el in section if el.name == "h3"]
        assert [_liens_de_territoires(h)[0] for h in h3] == [t.slug for t, _ in autre.actions_par_territoire()]
        assert not [el for el in section if el.name == "details"]


def test_the_matrix_of_many_territories_is_folded_by_region(grandi, site_dir, guide):
    """Past 200 territories the matrix is one table a région, each folded under its counts, every territory in
    one row; a lever's cell of more than 50 territories folds them under their count. The real guide keeps its
    single table and its lists."""
    from guide import build_guide
    project, site, levier_id = grandi
    _slug = lambda a: a["href"].rstrip("/").rsplit("/", 1)[-1]  # noqa: E731 (matrix links: ../slug/)
    reel, guide = guide, build_guide(project)
    soup = BeautifulSoup((site / "territoires" / "matrice" / "index.html").read_text(encoding="utf-8"), "lxml")
    plis = soup.select("details.guide-matrice-region")
    regions = guide.par_region()
    assert len(guide.territoires) > 200 and len(plis) == len(regions)
    lignes = []
    for pli, (region, membres) in zip(plis, regions):
        n = sum(len(t.toutes_actions) for t in membres)
        assert pli.find("summary").get_text(" ", strip=True) == (
            f"{region}\u202f: {len(membres)} territoire{'s' * (len(membres) > 1)}, {n} action{'s' * (n > 1)}")
        assert not pli.has_attr("open")
        table = pli.select_one("table.guide-matrice")
        assert pli.select_one("[role=region]")["aria-labelledby"] == table.caption["id"]
        rangs = [_slug(th.a) for th in table.select("tbody th[scope=row]")]
        assert rangs == [t.slug for t in membres]
        lignes += rangs
    assert sorted(lignes) == sorted(guide.territoires)
    assert len({t.caption["id"] for t in soup.select("table.guide-matrice")}) == len(plis)
    cellule = soup.select_one(f'tr[data-levier="{levier_id}"] td:last-child')
    territoires = guide.leviers[levier_id].territoires
    assert cellule.select_one("details.guide-matrice-liste summary").get_text(strip=True) == f"{len(territoires)} territoires"
    assert [_slug(a) for a in cellule.select('a')] == [t.slug for t in territoires]

    vrai = BeautifulSoup((site_dir / "territoires" / "matrice" / "index.html").read_text(encoding="utf-8"), "lxml")
    assert not vrai.select("details.guide-matrice-region") and not vrai.select("details.guide-matrice-liste")
    (table,) = vrai.select("table.guide-matrice")
    assert [_slug(th.a) for th in table.select("tbody th[scope=row]")] == list(reel.territoires)
    cellule = vrai.select_one(f'tr[data-levier="{levier_id}"] td:last-child')
    assert cellule.get_text().startswith(f"{len(reel.leviers[levier_id].territoires)}\u202f: ")


def test_fiches_are_parsed_once_per_build_and_only_when_changed(monkeypatch, project_copy, tmp_path):
    """The guide is loaded once per build, not once per page; a rebuild (mkdocs serve) parses only
    the fiches that changed."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    import guide as guide_package
    calls = []
    real = guide_package.load_fiche

    def counting(path, root):
        calls.append(path)
        return real(path, root)

    monkeypatch.setattr(guide_package, "load_fiche", counting)
    monkeypatch.chdir(project_copy)

    def build_once():
        calls.clear()
        build(load_config(str(project_copy / "mkdocs.yml"), site_dir=str(tmp_path / "site")))
        return list(calls)

    first = build_once()
    assert len(first) == len(set(first)) == len(guide_package.fiche_paths(project_copy))
    fiche = guide_package.fiche_paths(project_copy, "territoires")[0]
    fiche.write_text(fiche.read_text(encoding="utf-8") + "\nUne phrase ajoutée.\n", encoding="utf-8")
    assert build_once() == [fiche]  # the edited fiche only: every other one is taken from the first load


def test_a_fiche_is_the_same_path_object_from_load_to_load(project_copy):
    """Under `mkdocs serve`, a fiche found again is the Path object of the previous load (Memoire.chemin): its hash
    and parts are computed once, and the loader's dicts find it without comparing. The list is what a glob of
    « *.md » gives, sorted by name, hidden files left out."""
    import guide as guide_package
    territoires = project_copy / "fiches" / "territoires"
    (territoires / ".#brouillon.md").write_text("verrou d'un éditeur", encoding="utf-8")
    (territoires / "notes.txt").write_text("pas une fiche", encoding="utf-8")
    memoire = guide_package.Memoire()
    premiere = guide_package.fiche_paths(project_copy, memoire=memoire)
    seconde = guide_package.fiche_paths(project_copy, memoire=memoire)
    attendue = [p for k in ("champs", "territoires")
                for p in sorted((project_copy / "fiches" / k).glob("*.md"), key=lambda p: p.name)
                if not p.name.startswith(".")]
    assert premiere == seconde == guide_package.fiche_paths(project_copy) == attendue and len(attendue) > 100
    assert all(a is b for a, b in zip(premiere, seconde))
    guide_package.load_all(project_copy, memoire=memoire)
    assert all(any(p is cle[0] for cle in memoire.cache) for p in premiere[:3])


def test_data_files_are_parsed_again_only_when_changed(monkeypatch, project_copy):
    """Sources, acronyms and key messages are cached by content as fiches are: a load of `mkdocs serve` after a
    fiche was saved does not parse them again; one that was edited is parsed again, with its checks."""
    import guide as guide_package
    lus = []
    real = guide_package.load_data_file
    monkeypatch.setattr(guide_package, "load_data_file", lambda path, root: lus.append(path.name) or real(path, root))
    memoire = guide_package.Memoire()
    _, data, errors = guide_package.load_all(project_copy, memoire=memoire)
    assert not errors and sorted(lus) == sorted(f"{nom}.yaml" for nom in data)
    lus.clear()
    _, encore, errors = guide_package.load_all(project_copy, memoire=memoire)
    assert not errors and lus == [] and encore["sources"] is data["sources"]
    sources = project_copy / "fiches" / "sources.yaml"
    texte = sources.read_text(encoding="utf-8")
    sources.write_text(texte + "\ninconnu: 1\n", encoding="utf-8")
    _, _, errors = guide_package.load_all(project_copy, memoire=memoire)
    assert lus == ["sources.yaml"] and any(e.path == "fiches/sources.yaml" and "inconnu" in str(e) for e in errors)


def test_a_fiche_is_read_for_its_digest_only_when_it_may_have_changed(monkeypatch, tmp_path):
    """Between two loads of `mkdocs serve`, a file whose status is the same is not read again; a change that keeps
    its size and puts its modification time back is still seen (its change time moved), and a file modified
    within two seconds of a read is read again at every load (it could change within the same clock tick)."""
    import os
    import guide as guide_package
    lus = []
    real = guide_package._digest
    monkeypatch.setattr(guide_package, "_digest", lambda path: lus.append(path) or real(path))
    fiche = tmp_path / "x.md"
    fiche.write_text("nom: Alencon\n", encoding="utf-8")
    memoire = guide_package.Memoire()
    assert guide_package._empreinte(fiche, memoire) == guide_package._empreinte(fiche, memoire)
    assert lus == [fiche, fiche]  # modified just now: read at every load
    monkeypatch.setattr(guide_package, "_MARGE_NS", 0)  # as if the last change were old enough
    avant = guide_package._empreinte(fiche, memoire)
    assert guide_package._empreinte(fiche, memoire) == avant and len(lus) == 2  # not read again
    mtime = fiche.stat().st_mtime_ns
    fiche.write_text("nom: Alencan\n", encoding="utf-8")  # same size
    os.utime(fiche, ns=(mtime, mtime))  # modification time put back
    assert guide_package._empreinte(fiche, memoire) != avant and len(lus) == 3


def primary_nav_and_tabs(html_path: Path) -> tuple[str, str]:
    soup = BeautifulSoup(html_path.read_text(encoding="utf-8"), "lxml")
    return str(soup.find("nav", class_="md-nav--primary")), str(soup.find("nav", class_="md-tabs"))


def test_territory_pages_share_the_navigation_material_renders(site_dir, guide, project_copy, tmp_path):
    """Territory pages reuse one navigation and tabs rendered per build (overrides/partials/
    guide-partage.html): exactly what Material renders for each of them without that override."""
    for name in ("nav.html", "tabs.html"):
        (project_copy / "overrides" / "partials" / name).unlink()
    fresh = tmp_path / "material"
    assert mkdocs_build(project_copy, fresh).returncode == 0
    for slug in sorted(guide.territoires)[::10]:
        shared = primary_nav_and_tabs(site_dir / "territoires" / slug / "index.html")
        assert "md-nav__link" in shared[0] and "md-tabs__link" in shared[1]
        assert shared == primary_nav_and_tabs(fresh / "territoires" / slug / "index.html"), slug


def test_search_index_is_chunked_and_nothing_loads_it_whole(site_dir):
    """What keeps search light as fiches are added (macros/guide/sorties/recherche.py): Pagefind's index is split
    in chunks (a query loads the few it needs) and one fragment per page; Material's own index, which
    every page view downloads, holds no document; a page view without a search loads no Pagefind file."""
    material = site_dir / "search" / "search_index.json"
    assert json.loads(material.read_text(encoding="utf-8"))["docs"] == [] and material.stat().st_size < 1024
    chunks = list((site_dir / "pagefind" / "index").glob("*.pf_index"))
    fragments = list((site_dir / "pagefind" / "fragment").glob("*.pf_fragment"))
    assert len(chunks) > 1 and max(p.stat().st_size for p in chunks) < 100 * 1024
    pages = [p for p in site_dir.rglob("index.html") if "data-pagefind-body" in p.read_text(encoding="utf-8")]
    assert len(fragments) == len(pages)
    html = (site_dir / "index.html").read_text(encoding="utf-8")
    assert "pagefind/" not in html  # loaded by the search worker, on the first word typed


def test_acronyms_are_explained_once_per_page(site_dir, guide):
    """Each acronym gets its <abbr title> at its first use on a page only (WCAG H28; macros/guide/rendu/sigles.py)."""
    terr = max(guide.territoires.values(), key=lambda t: len(t.actions))
    html = (site_dir / "territoires" / terr.slug / "index.html").read_text(encoding="utf-8")
    article = BeautifulSoup(html, "lxml").article
    abbrs = [a.get_text() for a in article.select("abbr[title]")]
    assert "ESS" in abbrs and len(abbrs) == len(set(abbrs))


def test_preview_rebuilds_only_the_pages_of_edited_territory_fiches(monkeypatch, guide, tmp_path):
    """Under `mkdocs serve --dirty`, a build after territory fiches changed redoes their pages and
    their co-carriers'; any other change redoes everything (macros/guide/construction/apercu.py)."""
    from guide.construction.apercu import Apercu
    apercu = Apercu()
    apercu.actif, apercu.relance = True, tmp_path / "relance"
    shared = next(a for a in guide.actions if a.data.get("coporteurs"))
    carrier = shared.territoire
    apercu.preparer(guide, [ROOT / "fiches" / "territoires" / f"{carrier.slug}.md"])
    expected = {carrier.src} | {guide.territoires[c].src for a in carrier.actions for c in a.data.get("coporteurs", [])}
    assert apercu.partielle() and {p for p in expected if apercu.a_refaire(p)} == expected
    champ = next(iter(guide.champs.values()))
    assert not apercu.a_refaire(champ.src) and not apercu.a_refaire("territoires/index.md")
    # A co-carrier's page is redone when the fiche that shares the action with it changes…
    other = guide.territoires[shared.data["coporteurs"][0]]
    apercu.preparer(guide, [ROOT / "fiches" / "territoires" / f"{other.slug}.md"])
    assert apercu.a_refaire(carrier.src) and apercu.a_refaire(other.src)
    # …and a champ fiche, a data file or a removed fiche gets a complete build.
    for changed in (ROOT / "fiches" / "champs" / f"{champ.slug}.md", ROOT / "fiches" / "sources.yaml",
                    ROOT / "fiches" / "territoires" / "fiche-supprimee.md"):
        apercu.preparer(guide, [changed])
        assert not apercu.partielle() and apercu.a_refaire(champ.src), changed
    apercu.actif = False  # plain `mkdocs serve` or `build`: always complete
    apercu.preparer(guide, [ROOT / "fiches" / "territoires" / f"{carrier.slug}.md"])
    assert not apercu.partielle()


def test_a_complete_preview_build_gives_way_to_fiches_not_to_an_editors_own_files(tmp_path):
    """What stops a complete build under --dirty (apercu.ceder): a fiche or a data file saved since it started,
    even by renaming a new file over it; not a swap or backup file of the editor (vim writes its swap file every
    few seconds: each would stop the build again), not a folder, not a fiche saved before."""
    import os
    import time
    from guide.construction.apercu import _modifies_depuis
    fiches = tmp_path / "fiches"
    (fiches / "territoires").mkdir(parents=True)
    (fiches / "champs").mkdir()
    avant = fiches / "territoires" / "avant.md"
    avant.write_text("nom: Avant\n", encoding="utf-8")
    os.utime(avant, ns=(time.time_ns() - 10**10,) * 2)
    debut = time.time_ns()
    enregistres = [fiches / "territoires" / "a.md", fiches / "champs" / "b.md", fiches / "sources.yaml"]
    for path in enregistres:
        path.write_text("x\n", encoding="utf-8")
    neuf = fiches / "territoires" / ".c.md.tmp"
    neuf.write_text("nom: C\n", encoding="utf-8")
    os.replace(neuf, fiches / "territoires" / "c.md")
    enregistres.append(fiches / "territoires" / "c.md")
    for name in (".a.md.swp", "a.md~", ".#a.md", "#a.md#", "notes.txt"):
        (fiches / "territoires" / name).write_text("x", encoding="utf-8")
    assert _modifies_depuis(fiches, debut) == set(enregistres)


def test_the_preview_watches_fiches_by_the_systems_events_and_only_what_a_build_reads(tmp_path):
    """Under --dirty, fiches/ is watched by the system's file events (apercu.surveiller, on MkDocs' own server):
    a fiche or a data file written, created by renaming a new file over it, or removed asks the server for a
    build at once; an editor's swap, backup and lock files, a folder, and a fiche read (every build opens them
    all) ask for none. MkDocs' polling of fiches/ is then left out (plugin.on_serve)."""
    import os
    import time
    from mkdocs.livereload import LiveReloadServer
    from guide.construction.apercu import Apercu
    fiches = tmp_path / "fiches"
    (fiches / "territoires").mkdir(parents=True)
    fiche = fiches / "territoires" / "a.md"
    fiche.write_text("nom: A\n", encoding="utf-8")
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path / "site"))
    apercu = Apercu()
    apercu.demarrer("serve", True)
    apercu.commencer(tmp_path)
    try:
        assert apercu.surveiller(server) and apercu.observateur is not None

        def demande(action) -> bool:
            time.sleep(0.3)  # events of the step before, if any, delivered
            server._want_rebuild = False
            action()
            fin = time.monotonic() + 2
            while time.monotonic() < fin and not server._want_rebuild:
                time.sleep(0.02)
            return server._want_rebuild

        def renommer():
            neuf = fiches / "territoires" / ".b.md.tmp"
            neuf.write_text("nom: B\n", encoding="utf-8")
            os.replace(neuf, fiches / "territoires" / "b.md")

        for nom in (".a.md.swp", "a.md~", ".#a.md", "#a.md#", "notes.txt"):
            assert not demande(lambda: (fiches / "territoires" / nom).write_text("x", encoding="utf-8")), nom
        assert not demande(lambda: (fiches / "champs").mkdir())
        assert not demande(fiche.read_text)
        assert not apercu.enregistrees
        assert demande(lambda: fiche.write_text("nom: A2\n", encoding="utf-8"))
        assert apercu.enregistrees == {fiche}  # what a complete build gives way to (Apercu.ceder), without a scan
        assert demande(renommer)
        assert fiches / "territoires" / "b.md" in apercu.enregistrees
        assert demande(lambda: (fiches / "sources.yaml").write_text("x: 1\n", encoding="utf-8"))
        assert demande((fiches / "territoires" / "b.md").unlink)
    finally:
        apercu.terminer()
    assert apercu.observateur is None


def test_a_complete_preview_build_gives_way_while_it_reads_the_fiches(tmp_path):
    """A build that will be complete (no fiche changed since the previous build, none waiting) gives way to a saved
    fiche between reading, checking and joining the fiches (Apercu.ceder_en_lisant), although the previous build,
    a partial one, left its pages to redo; a build for changed fiches does not, as partial builds never do."""
    import types
    from guide.construction.apercu import Apercu, ConstructionInterrompue
    fiche = tmp_path / "fiches" / "territoires" / "a.md"
    fiche.parent.mkdir(parents=True)
    fiche.write_text("nom: A\n", encoding="utf-8")
    apercu = Apercu()
    apercu.actif, apercu.fiches = True, tmp_path / "fiches"
    apercu.serveur, apercu.observateur = types.SimpleNamespace(_want_rebuild=True), object()
    apercu.enregistrees = {fiche}
    for changements, en_attente in (([fiche], set()), ([], {fiche})):
        apercu.pages_a_refaire, apercu.en_attente = {"territoires/a.md"}, set(en_attente)
        apercu.ceder_en_lisant(changements)  # a partial build, or one for a fiche saved during the last: goes on
        assert not apercu.interrompue
    apercu.pages_a_refaire, apercu.en_attente = {"territoires/a.md"}, set()
    for changements in ([], None):
        with pytest.raises(ConstructionInterrompue):
            apercu.ceder_en_lisant(changements)
        assert apercu.interrompue and apercu.en_attente == {fiche} and apercu.pages_a_refaire is None
        apercu.en_attente, apercu.interrompue, apercu.pages_a_refaire = set(), False, {"territoires/a.md"}


def test_the_garbage_collector_rests_only_during_a_partial_preview_build(guide, tmp_path):
    """A build under --dirty after the first runs without Python's cyclic collector until it is known to be
    complete (then it runs with it) or ends, whatever way it ends (apercu.py)."""
    import gc
    from guide.construction.apercu import Apercu, ConstructionInterrompue
    carrier = next(iter(guide.territoires.values()))
    edited = [ROOT / "fiches" / "territoires" / f"{carrier.slug}.md"]
    apercu = Apercu()
    apercu.actif, apercu.relance = True, tmp_path / "relance"
    try:
        apercu.commencer(ROOT)  # the first build: never partial
        assert gc.isenabled()
        apercu.servies = {carrier.src}
        apercu.commencer(ROOT)
        assert not gc.isenabled()
        apercu.preparer(guide, edited)
        assert apercu.partielle() and not gc.isenabled()
        apercu.apres_construction()
        assert gc.isenabled()
        for fin in (lambda: apercu.echec(ConstructionInterrompue("x")), apercu.terminer,
                    lambda: apercu.preparer(guide, [ROOT / "fiches" / "sources.yaml"])):
            apercu.commencer(ROOT)
            assert not gc.isenabled()
            fin()
            assert gc.isenabled()
    finally:
        gc.enable()


def test_preview_serves_the_edited_fiche_first_then_the_whole_site(project_copy):
    """`mkdocs serve` as scripts/servir.sh runs it, on a copy of the guide: after a territory fiche is
    saved, its page shows the change before the complete build has refreshed the territory index; a second
    fiche saved while that complete build runs is served without waiting for it (the build gives way:
    when the second page shows its change, the index does not have the first one yet)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import benchmark
    servir = (ROOT / "scripts" / "servir.sh").read_text(encoding="utf-8")
    assert "mkdocs " + " ".join(benchmark.SERVE) in servir
    apercu = benchmark.reload_time(project_copy)
    assert apercu["page"] < apercu["site"] < float("inf"), apercu
    assert apercu["pendant"] < float("inf") and apercu["index_avant"] is False, apercu


# Printed sections written part by part (impression.ecrire), pages packed while they wait (assainir.emballer):
# the same bytes as the whole string MkDocs would have written.
from hypothesis import given, strategies as st  # noqa: E402

sys.path.insert(0, str(ROOT / "macros"))
from guide.rendu.assainir import deballer, emballer  # noqa: E402
from guide.sorties import impression  # noqa: E402


@given(st.text(), st.lists(st.text(), max_size=5), st.text())
def test_a_section_written_part_by_part_is_the_page_written_whole(tmp_path_factory, debut, parties, fin):
    """Whatever the text (markers of other numbers, characters UTF-8 cannot encode), the file holds what
    MkDocs writes for the whole page: the parts in order, each once, encoded as MkDocs encodes."""
    squelette = debut + "".join(f"<!--guide-partie-imprimee:{i}-->{p[:3]}" for i, p in enumerate(parties)) + fin
    if any("<!--guide-partie-imprimee:" in t for t in [debut, fin, *parties]):
        return  # a page's own text never holds the marker (see impression._MARQUE_PARTIE)
    faits = []
    fonctions = [(lambda i=i, p=p: faits.append(i) or p) for i, p in enumerate(parties)]
    chemin = tmp_path_factory.mktemp("section") / "imprimer" / "index.html"
    impression.ecrire(squelette, fonctions, str(chemin))
    entier = impression.remplir(squelette, [(lambda p=p: p) for p in parties])
    assert chemin.read_bytes() == entier.encode("utf-8", errors="xmlcharrefreplace")
    assert faits == list(range(len(parties)))


def test_a_section_with_a_missing_or_repeated_part_is_not_written(tmp_path):
    chemin = tmp_path / "index.html"
    for squelette in ("<!--guide-partie-imprimee:0-->", "<!--guide-partie-imprimee:1--><!--guide-partie-imprimee:0-->",
                      "<!--guide-partie-imprimee:0--><!--guide-partie-imprimee:0-->"):
        try:
            impression.ecrire(squelette, [str, str], str(chemin))
        except ValueError:
            pass
        else:
            raise AssertionError(squelette)
        assert not chemin.exists()


@given(st.text())
def test_a_packed_page_comes_back_as_it_was(html):
    assert deballer(emballer(html)) == html


def test_the_benchmark_fixture_is_a_valid_guide(tmp_path):
    """scripts/benchmark.py clones the real fiches into batches (« …, copie 2 »): every check of the build must
    accept them, or the benchmark measures a build that stops (a new duplicate check once took the copies of one
    fiche for one territory, and the benchmark's build waited for ever on its report)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import benchmark
    from guide import load_all
    projet = benchmark.make_guide(tmp_path / "guide", 2 * len(list((ROOT / "fiches/territoires").glob("*.md"))) + 17)
    if not (projet / "node_modules").exists():  # the official reference the checks read (tens of MB, not copied)
        (projet / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    _, _, errors = load_all(projet)
    assert not errors, [str(e) for e in errors[:5]]


def test_the_benchmark_measures_pagefind_alone_on_the_witness_pages(tmp_path):
    """The benchmark's reference for memory: Pagefind's own command indexing the witness's pages (measure_pagefind)
    writes an index of every page, in French, and its peak memory and CPU are counted."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import benchmark
    site = tmp_path / "site"
    for i, mot in enumerate(["coopérative", "subvention", "tiers-lieux"]):
        page = site / f"page-{i}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(f'<!doctype html><html lang="fr"><head><title>{mot}</title></head>'
                        f"<body><main><h1>{mot}</h1><p>Une {mot} du territoire.</p></main></body></html>", encoding="utf-8")
    row = benchmark.measure_pagefind(site, "Pagefind seul")
    # Its largest process's peak (wait4): three pages are indexed before the first 0.1 s sample of the total.
    assert row["pages"] == 3 and row["rss_max_processus_mo"] > 0 and row["index_recherche_mo"] > 0
    entree = json.loads((tmp_path / "pagefind-seul" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entree["languages"]) == ["fr"] and entree["languages"]["fr"]["page_count"] == 3


def test_a_template_edited_between_two_builds_is_compiled_again(tmp_path):
    """Templates are compiled once and kept on disk from build to build (render.GabaritsCompiles): an edited one is
    compiled again, never served from the code of its former text, in a new process as in the same one."""
    from guide.rendu import render
    gabarit = tmp_path / "page.md.j2"
    gabarit.write_text("avant {{ 1 + 1 }}", encoding="utf-8")
    assert render.environnement(tmp_path).get_template("page.md.j2").render() == "avant 2"
    render.environnement.cache_clear()  # a new build's process: the code comes from the disk
    assert render.environnement(tmp_path).get_template("page.md.j2").render() == "avant 2"
    gabarit.write_text("après {{ 2 + 2 }}", encoding="utf-8")
    render.environnement.cache_clear()
    assert render.environnement(tmp_path).get_template("page.md.j2").render() == "après 4"
    env = render.environnement(tmp_path)  # and in the same process (mkdocs serve: Jinja checks the file's time)
    gabarit.write_text("encore {{ 3 + 3 }}", encoding="utf-8")
    os.utime(gabarit, (gabarit.stat().st_atime + 5, gabarit.stat().st_mtime + 5))
    assert env.get_template("page.md.j2").render() == "encore 6"
    render.environnement.cache_clear()


_APERCU_EN_PROCESSUS = r"""
import os, re, sys, time
from pathlib import Path
import mkdocs.config
from mkdocs.commands import build as B
racine, site, fiche = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
os.chdir(racine)
def config():
    c = mkdocs.config.load_config("mkdocs.yml", site_dir=site)
    c.site_url = "http://127.0.0.1:8000/"  # as `mkdocs serve` sets it
    return c
c = config()
c.plugins.on_startup(command="serve", dirty=True)
plugins = c.plugins
guide = plugins["guide"]
guide.apercu.relance = racine / "relance"  # what on_serve sets: the complete build is asked by touching it
guide.apercu.relance.touch()
guide.apercu.site = Path(site)
B.build(c, dirty=True)
texte = fiche.read_text(encoding="utf-8")
# (a name that adds words to the official one says why: referentiel.py)
if "\nnote_nom:" not in texte:
    texte = texte.replace("\nnom: ", "\nnote_nom: Renommée pour l'essai.\nnom: ", 1)
fiche.write_text(re.sub(r"^nom: ", "nom: Renommée ", texte, count=1, flags=re.M), encoding="utf-8")
for attendue in ("partielle", "complète"):
    c = config()
    c.plugins = plugins  # MkDocs keeps the plugin instances between the builds of one `mkdocs serve`
    B.build(c, dirty=True)
    assert guide.apercu.partielle() == (attendue == "partielle"), attendue
    if attendue == "partielle":
        print(Path(site, "territoires", fiche.stem, "index.html").read_text(encoding="utf-8"), end="")
"""


def test_the_preview_writes_the_site_a_fresh_build_writes(project_copy, tmp_path):
    """Under `mkdocs serve --dirty` the builds of one process keep what they can (parsed fiches, the pages' File
    objects, compiled templates): after a fiche is saved, the page its partial build writes, and the folder once
    the complete build that follows has run, are what a fresh `mkdocs build` of the same fiches writes."""
    fiche = next(p for p in sorted((project_copy / "fiches" / "territoires").glob("*.md"))
                 if "coporteurs:" in p.read_text(encoding="utf-8"))  # its partial build redoes other pages too
    servi = tmp_path / "servi"
    apercu = subprocess.run([sys.executable, "-c", _APERCU_EN_PROCESSUS, str(project_copy), str(servi), str(fiche)],
                            capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, timeout=600)
    assert apercu.returncode == 0, apercu.stderr[-3000:]
    frais = tmp_path / "frais"
    assert mkdocs_build(project_copy, frais, GUIDE_ADRESSE="http://127.0.0.1:8000/").returncode == 0
    page = f"territoires/{fiche.stem}/index.html"
    assert "Renommée" in apercu.stdout and apercu.stdout == (frais / page).read_text(encoding="utf-8")
    noms = lambda site: {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()  # noqa: E731
                         and not p.relative_to(site).as_posix().startswith("pagefind/")}
    assert noms(servi) == noms(frais)
    differents = [n for n in sorted(noms(frais)) if (servi / n).read_bytes() != (frais / n).read_bytes()]
    assert differents == [], differents[:10]


# ------------------------------------------------------------------------------------------ the guide's scripts

def test_the_guides_scripts_are_published_minified(site_dir):
    """Every page loads the guide's scripts; the search's query layer alone was 54 kB as written (its comments say
    why it does what it does), which pushed a first query over 300 kB at 2,000 fiches. They are published minified;
    the browser tests (search, folds, filters, the menu) run on these copies."""
    sources = sorted((ROOT / "docs").rglob("*.js"))
    assert len(sources) >= 10
    for source in sources:
        publie = (site_dir / source.relative_to(ROOT / "docs")).read_text(encoding="utf-8")
        ecrit = source.read_text(encoding="utf-8")
        assert len(publie) < 0.8 * len(ecrit), source.name
        assert "\n//" not in publie and "/**" not in publie, source.name
    requete = (site_dir / "assets" / "javascripts" / "guide-requete.js").read_text(encoding="utf-8")
    assert "self.GuideRequete=" in requete and "«" in requete  # its global kept; French text as written, not escaped


def test_a_script_that_does_not_parse_or_a_missing_esbuild_is_said_in_french(tmp_path):
    from guide.sorties import scripts
    docs, site = tmp_path / "docs", tmp_path / "site"
    for dossier in (docs / "assets", site / "assets"):
        dossier.mkdir(parents=True)
        (dossier / "casse.js").write_text("function ouvrir( {\n  return 1\n}\n", encoding="utf-8")
    with pytest.raises(scripts.ScriptsNonReduits) as erreur:
        scripts.reduire(docs, site, ROOT)
    assert "esbuild n'a pas pu réduire les scripts du guide" in str(erreur.value) and "casse.js" in str(erreur.value)
    with pytest.raises(scripts.ScriptsNonReduits) as erreur:
        scripts.reduire(docs, site, tmp_path)  # a project without its npm packages
    assert "./scripts/servir.sh" in str(erreur.value)


LATENCE_MS = 150  # a phone's network, as Chromium's own throttling presets put it (« Fast 4G »: 150 ms)


@pytest.mark.parametrize("chemin", ["/territoires/bordeaux-metropole/", "/champs/achats-responsables/", "/"])
def test_a_page_asks_for_its_stylesheets_and_scripts_at_once(page, served, chemin):
    """The policy <meta> first in <head> stopped Chromium's preload scanner: a page's twelve scripts were asked for
    one after the other, each once the one before had run. With 150 ms of latency a territory page loaded in 2.8 s
    where its text showed at 0.65 s, its search box, filters and menus waiting. Every stylesheet and script is now
    asked for within one round trip of the first, and the page loads within a few round trips."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": LATENCE_MS,
                                                  "downloadThroughput": 2_000_000, "uploadThroughput": 1_000_000})
    page.goto(served + chemin, wait_until="load")
    debuts = page.evaluate("""() => performance.getEntriesByType('resource')
        .filter(r => ['script', 'link'].includes(r.initiatorType) && /\\.(js|css)(\\?|$)/.test(r.name))
        .map(r => [new URL(r.name).pathname, r.startTime])""")
    scripts = [nom for nom, _ in debuts if nom.endswith(".js")]
    assert len(scripts) >= 10 and any("bundle" in nom for nom in scripts), debuts
    premier = min(debut for _, debut in debuts)
    tard = [(nom, round(debut - premier)) for nom, debut in debuts if debut - premier >= LATENCE_MS]
    assert not tard, f"{chemin} : demandés après le premier aller-retour : {tard}"
