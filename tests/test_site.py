"""The real site, built with `mkdocs build --strict`, checked in its HTML."""
from __future__ import annotations

import json
import re
from pathlib import Path

from bs4 import BeautifulSoup

from conftest import mkdocs_build
from guide.modele.slugs import ancre_sigle
from guide.sorties import export


def soup(site: Path, url: str) -> BeautifulSoup:
    path = site / url / "index.html" if not url.endswith(".html") else site / url
    assert path.exists(), f"page manquante : {url}"
    page = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
    for permalink in page.select("a.headerlink"):
        permalink.decompose()
    return page


def test_one_page_per_fiche_with_its_title(site_dir, guide):
    for champ in guide.champs.values():
        assert soup(site_dir, f"champs/{champ.slug}").h1.get_text().split() == champ.data["titre"].split()
    for terr in guide.territoires.values():
        assert soup(site_dir, f"territoires/{terr.slug}").h1.get_text().split() == terr.data["nom"].split()


def test_every_action_on_its_territory_page_and_on_each_champ_page(site_dir, guide):
    assert guide.actions, "aucune action dans les fiches"
    champ_pages = {slug: soup(site_dir, f"champs/{slug}") for slug in guide.champs}
    for terr in guide.territoires.values():
        page = soup(site_dir, f"territoires/{terr.slug}")
        for action in terr.actions:
            assert page.find(id=action.ancre), f"{terr.slug}: ancre {action.ancre} absente"
            for slug in action.data["champs"]:
                href = f"../../territoires/{terr.slug}/#{action.ancre}"
                assert champ_pages[slug].find("a", href=href), f"{slug}: lien vers {href} absent"



def test_each_action_of_a_champ_page_is_an_item_of_its_own(site_dir, guide):
    """A champ's « Ce que font les territoires » ran a territory's actions into one item, each glued to the last one's
    date (« … [Exemple] - Appel à projets… [Exemple] 2016- Prix… »: reader QA, on every champ page and in print): the
    item's template line ended with a block tag, which took its line break. Each item holds one action's link, on
    screen and in the printed guide, which reproduces these pages."""
    pages = [soup(site_dir, f"champs/{slug}") for slug in guide.champs] + [soup(site_dir, "imprimer")]
    items = 0
    for page in pages:
        # A territory's heading (its name, a link) over its list of actions; a programme's heading has no link.
        for titre in page.select("h3[id*='fiche-']:has(a[href]:not(.headerlink))"):
            liste = titre.find_next_sibling(["ul", "h2", "h3"])
            if liste is None or liste.name != "ul":
                continue
            for item in liste.find_all("li", recursive=False):
                actions = [a["href"] for a in item.find_all("a", href=True) if re.search(r"[#-]action-", a["href"])]
                assert len(actions) == 1, f"{titre.get('id')} : {item.get_text(' ', strip=True)[:200]}"
                items += 1
    assert items > 2 * len(guide.actions)  # the champ pages, then the printed guide again

def test_a_champ_page_lists_and_counts_the_territories_the_finder_lists_for_it(site_dir, guide):
    """« 9 actions de 9 territoires illustrent ce focus » where the finder filtered on the champ listed 18 (reader QA):
    the co-carriers of shared actions were left out of the champ's page. Each champ page now names, under « Ce que
    font les territoires », the territories the finder gives for it (read from the finder's rows), says how many, and
    names the carrier of an action another fiche carries, in brackets."""
    finder = soup(site_dir, "territoires")
    par_champ: dict[str, set] = {}
    for row in finder.select("tr[data-champs]"):
        for slug in row["data-champs"].split():
            par_champ.setdefault(slug, set()).add(row.find("a", href=True)["href"].strip("/"))
    partagees = 0
    for slug in guide.champs:
        titre = soup(site_dir, f"champs/{slug}").find(id="ce-que-font-les-territoires")
        section = []
        for el in titre.find_next_siblings():
            if el.name == "h2":
                break
            section.append(el)
        liens = [a["href"] for el in section for a in el.find_all("a", href=True)]
        territoires = {h.split("/")[-2] for h in liens if h.startswith("../../territoires/") and "#" not in h and "?" not in h}
        attendus = par_champ.get(slug, set())
        assert territoires == attendus, (slug, sorted(territoires ^ attendus))
        phrase = " ".join(section[0].get_text().split())
        # (« 9 actions de 18 territoires » read oddly where one mention names ten territories: fresh check)
        assert re.search(rf"\bdans {len(attendus)} territoires?\.", phrase), (slug, phrase)
        # Mentions are counted among its actions, and said (content QA: a place named without any role of its
        # territory's own read as one more action).
        simples = sum(a.mention for a in guide.champs[slug].actions)
        assert (f", dont {simples} simple{'s' if simples > 1 else ''} mention{'s' if simples > 1 else ''}, "
                in phrase) == bool(simples), (slug, phrase)
        for h3 in (el for el in section if el.name == "h3" and el.find("a", href=True)):
            terr = h3.find("a", href=True)["href"].split("/")[-2]
            for li in h3.find_next_sibling("ul").find_all("li", recursive=False):
                cible = li.find("a", href=True)["href"]
                if not cible.startswith(f"../../territoires/{terr}/"):  # carried by another fiche: named
                    porteur = guide.territoires[cible.split("/")[-2]].data["nom"]
                    assert f"(fiche {porteur})" in " ".join(li.get_text().split()), (slug, terr, cible)
                    partagees += 1
    assert partagees >= 10


def _liste(noms: list[str]) -> str:
    return noms[0] if len(noms) == 1 else ", ".join(noms[:-1]) + " et " + noms[-1]


def test_an_action_carried_by_several_territories_names_them_as_french_lists_do(site_dir, guide):
    """« Grand Poitiers et Redon Agglomération, Villeurbanne — » (reader QA): the carriers of an action are named
    « A, B et C » on the champ pages, and « Action portée avec : B et C. » on the carrier's page."""
    partagees = [a for a in guide.actions if len(a.coporteurs) >= 2]
    assert partagees, "aucune action à trois porteurs"
    lues = 0
    for action in partagees:
        noms = [t.data["nom"] for t in action.coporteurs]
        debut = (_liste([action.territoire.data["nom"], *noms]) + " (mention partagée)" if action.mention
                 else f"{action.territoire.data['nom']}, avec {_liste(noms)}")
        for slug in action.data["champs"]:
            for lien in soup(site_dir, f"champs/{slug}").find_all("a", href=f"../../territoires/{action.territoire.slug}/#{action.ancre}"):
                texte = " ".join(lien.find_parent("li").get_text().split())
                qui = lien.find_parent("ul").find_previous_sibling()
                if "guide-qui-le-fait" in (qui.get("class") or []):  # a lever's list of examples, « Porteur… — titre »
                    assert texte.startswith(f"{debut} — "), (slug, texte[:200])
                    lues += 1
        page = " ".join(soup(site_dir, f"territoires/{action.territoire.slug}").get_text().split())
        assert f"avec : {_liste(noms)}." in page, action.territoire.slug
    assert lues >= 2  # (the others are shown in a champ's cards, which name their territories otherwise)


def test_open_data_carries_each_territory_s_figures_budget_and_contacts_with_where_the_sources_say_them(site_dir, guide):
    """The open data left out the budget, the human resources, the contacts and the ESS figures that the pages show,
    and cited publications without their pages or sections (reader QA); then the identity card, the programme, the
    key dates and the presentation (second reader QA: Rennes' « 704,94 km² » was on the page only). Each is a line of
    its territory's row, with the same figures as the fiche and where each source says it; the page shows the same
    facts."""
    rows = {r["identifiant"]: r for r in json.loads((site_dir / "donnees/territoires.json").read_text(encoding="utf-8"))}
    lus = 0
    for t in guide.territoires.values():
        row = rows[t.slug]
        identite = [m for cle, mesures in t.data.get("identite", {}).items() if cle != "site_web" for m in mesures]
        for colonne, faits in (("panorama", t.data.get("panorama", [])), ("budget", t.data.get("budget", [])),
                               ("moyens_humains", t.data.get("moyens_humains", [])),
                               ("contacts", t.data.get("contacts", [])), ("identite", identite),
                               ("programme", t.data.get("programme", [])), ("chronologie", t.data.get("chronologie", []))):
            assert len(row[colonne]) == len(faits), (t.slug, colonne)
            lignes = list(row[colonne])
            for fait in faits:
                # (each place followed by the editors' remark on it, when there is one, as the page's notes show it)
                lieux = [", ".join([c["publication"]] + ([f"p. {c['page']}"] if "page" in c else [])
                                   + ([c["section"]] if "section" in c else []))
                         + (f" — remarque : {' '.join(c['note'].split())}" if c.get("note") else "") for c in fait["sources"]]
                # (the identity card's figures in the schema's order, the others in the fiche's)
                if colonne == "identite":
                    valeur = str(fait["valeur"]).replace(".", ",") if isinstance(fait["valeur"], float) else str(fait["valeur"])
                    ligne = next((l for l in lignes if l.endswith(" — " + " ; ".join(lieux)) and valeur in l), None)
                else:
                    ligne = lignes[0]
                assert ligne is not None and ligne.endswith(" — " + " ; ".join(lieux)), (t.slug, colonne, ligne, lieux)
                lignes.remove(ligne)
                # a figure a source words (« 11,08 % de l'emploi privé ») as written, no unit added after its words
                assert not re.search(r"[^\d\s] %( ;| —|$)", ligne), (t.slug, ligne)
                # …and no euro sign after a text a source gives for an amount (« variable suivant les projets développés € »)
                assert not re.search(r"[^\d\s] €", ligne), (t.slug, ligne)
                for chiffre in ("montant", "etablissements", "emplois", "part_emplois", "effectif", "valeur"):
                    if isinstance(fait.get(chiffre), int):
                        assert str(fait[chiffre]) in ligne, (t.slug, chiffre, ligne)
                lus += 1
        assert row["citations"] and all(c.split(",")[0] in row["sources"] for c in row["citations"])
        # (its links to other fiches as the pages' paths: tests/test_donnees.py)
        assert row["presentation"] == (export.liens_des_pages(t.doc.body.strip(), t.src) or None), t.slug
    assert lus > 100
    meurthe = next(t for t in guide.territoires.values() if any(b.get("montant") == 219380 for b in t.data.get("budget", [])))
    page = " ".join(soup(site_dir, f"territoires/{meurthe.slug}").get_text().split())
    assert "219 380" in page and any("219380 €" in b for b in rows[meurthe.slug]["budget"])


def test_territory_page_links_its_champs(site_dir, guide):
    for terr in guide.territoires.values():
        page = soup(site_dir, f"territoires/{terr.slug}")
        for slug in terr.champs:
            assert page.find("a", href=f"../../champs/{slug}/"), f"{terr.slug}: lien vers le champ {slug} absent"


def test_every_champ_of_en_bref_has_its_heading_and_its_actions_named_there(site_dir, guide):
    """« En bref » lists the champs of all the territory's actions; 71 of 111 pages had a heading only for the first
    champ of each action (Tours: « Habitat durable » listed, its jardins perchés only under « Alimentation durable »).
    Each champ has its heading, under which every action of that champ is shown or named with a link to it."""
    for terr in guide.territoires.values():
        page = soup(site_dir, f"territoires/{terr.slug}")
        titres = {}
        for h3 in page.select("article h3"):
            a = h3.find("a", href=re.compile(r"^\.\./\.\./champs/"))
            if a is not None:
                suite = []
                for el in h3.find_next_siblings():
                    if el.name in ("h2", "h3"):
                        break
                    suite.append(el)
                titres[a["href"].split("/")[-2]] = suite
        for champ in terr.champs_couverts:
            assert champ.slug in titres, f"{terr.slug} : pas de titre pour le champ {champ.slug}"
            ancres = {x["href"].rsplit("#", 1)[-1] for el in titres[champ.slug] for x in el.select("a[href*='#action-']")}
            ancres |= {x["id"] for el in titres[champ.slug] for x in el.select("[id^='action-']")}
            for action in terr.toutes_actions:
                if champ.slug in action.data["champs"]:
                    assert action.ancre in ancres, (terr.slug, champ.slug, action.data["titre"])


def test_indexes_list_every_territory_and_champ(site_dir, guide):
    index = soup(site_dir, "territoires")
    for terr in guide.territoires.values():
        assert index.find("a", href=f"../territoires/{terr.slug}/") or index.find("a", href=f"{terr.slug}/")
    for famille, url in (("levier", "leviers"), ("focus", "focus"), ("cadre", "cadres")):
        page = soup(site_dir, url)
        for champ in guide.champs_de(famille):
            assert page.find("a", href=f"../champs/{champ.slug}/"), f"{url}: {champ.slug} absent"


def test_the_home_page_and_the_printed_cover_count_the_fiches_by_family(site_dir, guide):
    """The home page said « 16 fiches champ d'action » and, a few lines down, « les sept champs d'action » (phone QA):
    the 16 are seven champs, four focus and five cadres. Both pages count each family from the fiches."""
    n = {famille: len(guide.champs_de(famille)) for famille in ("levier", "focus", "cadre")}
    familles = (f"{len(guide.champs)} fiches thématiques ({n['levier']} champs d'action, {n['focus']} focus thématiques")
    accueil = " ".join(soup(site_dir, "").find("article").get_text().split())
    assert f"{familles} et {n['cadre']} cadres d'action), {len(guide.territoires)} fiches territoire" in accueil
    assert f"Leviers d'action : les {n['levier']} champs d'action" in accueil
    couverture = soup(site_dir, "imprimer").find(class_="guide-couverture-chiffres")
    assert " ".join(couverture.get_text().split()) == (f"{familles}, {n['cadre']} cadres d'action) · "
                                                       f"{len(guide.territoires)} fiches territoire · {len(guide.actions)} actions")


def test_navigation_does_not_list_territories(site_dir, guide):
    """A page's weight must not grow with the number of fiches: no territory in the navigation."""
    any_terr = next(iter(guide.territoires))
    for url in ("", f"territoires/{any_terr}", f"champs/{next(iter(guide.champs))}"):
        nav = soup(site_dir, url).find("nav", class_="md-nav--primary")
        links = [a["href"] for a in nav.find_all("a", href=True)]
        found = [h for h in links if (m := re.search(r"territoires/([a-z0-9-]+)/$", h)) and m.group(1) in guide.territoires]
        assert not found, found


def test_acronyms_are_explained_where_they_appear(site_dir, guide):
    definitions = {s["sigle"]: s["definition"] for s in guide.sigles}
    page = soup(site_dir, "")
    abbrs = {a.get_text(): a["title"] for a in page.select("article abbr[title]")}
    assert abbrs, "aucun sigle expliqué sur l'accueil"
    for sigle, title in abbrs.items():
        assert title == " ".join(definitions[sigle].split())


def test_site_is_french_with_french_search(site_dir):
    assert soup(site_dir, "").html["lang"] == "fr"
    index = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["fr"]


NEW_TERRITOIRE = """---
nom: Commune d'Exemple-sur-Test
type: commune
region: Bretagne
region_officielle: true
sources:
  - {publication: avise-2021, page: 5}
actions:
  - titre: Action de démonstration
    champs: [CHAMP]
    resume: "Texte *mis en valeur* et 3 < 5 > 2."
    sources:
      - {publication: avise-2021, page: 5}
---
"""


def test_adding_one_fiche_shows_it_everywhere_and_its_text_stays_inert(project_copy, tmp_path, guide):
    """(Template syntax in a fiche, which the validator now refuses as printed as typed, is built with that refusal off
    in tests/test_securite.py: it is never run.)"""
    # A lever few territories use: its champ page lists each action with its summary (« Qui le fait »).
    champ, levier = next((c.slug, l.id) for c in guide.champs.values() for l in c.leviers if len(l.territoires) < 3)
    fiche = project_copy / "fiches" / "territoires" / "commune-d-exemple-sur-test.md"
    fiche.write_text(NEW_TERRITOIRE.replace("CHAMP", champ).replace(
        "    resume:", f"    leviers: [{levier}]\n    resume:").replace(
        "3 < 5 > 2.", "3 < 5 > 2 (Étude 2021, p. 7)."), encoding="utf-8")
    out = tmp_path / "out"
    result = mkdocs_build(project_copy, out)
    assert result.returncode == 0, result.stderr
    page = soup(out, "territoires/commune-d-exemple-sur-test")
    text = page.article.get_text()
    assert "Texte mis en valeur et 3 < 5 > 2" in " ".join(text.split())
    assert page.article.find("em", string="mis en valeur")
    # The source in brackets is a note, on the fiche's page and on the champ's (editor QA: raw on the champ's)
    for chemin in ("territoires/commune-d-exemple-sur-test", f"champs/{champ}"):
        article = soup(out, chemin).article
        ligne = next(el for el in article.find_all(["p", "li"]) if "3 < 5 > 2" in el.get_text())
        assert "(Étude 2021" not in ligne.get_text() and ligne.find("a", href=re.compile("^#fn:")), (chemin, str(ligne))
    assert soup(out, f"champs/{champ}").find("a", href=re.compile("commune-d-exemple-sur-test"))
    assert soup(out, "territoires").find("a", href=re.compile("commune-d-exemple-sur-test"))


def test_bad_fiche_fails_the_build_and_publishes_nothing(project_copy, tmp_path):
    bad = project_copy / "fiches" / "territoires" / "mauvaise.md"
    bad.write_text(NEW_TERRITOIRE.replace("CHAMP", "champ-inexistant").replace("type: commune", "type: hameau"),
                   encoding="utf-8")
    out = tmp_path / "out"
    result = mkdocs_build(project_copy, out)
    assert result.returncode != 0
    assert "fiches/territoires/mauvaise.md:3: clé « type »" in result.stderr
    assert "fiches/territoires/mauvaise.md:10: action n° 1, champ d'action n° 1 :" in result.stderr
    assert not out.exists() or not any(out.iterdir())


def test_a_definition_in_another_language_is_marked_in_the_glossary(site_dir, guide):
    """« Boosting Social Innovation » was read with French pronunciation by screen readers (reader QA, WCAG 3.1.2):
    a definition whose fiches/sigles.yaml entry gives `langue_definition` is marked with that language."""
    autres = [s for s in guide.sigles if s.get("langue_definition")]
    assert autres
    page = soup(site_dir, "ressources/glossaire")
    for s in autres:
        cellule = page.find(id=ancre_sigle(s["sigle"])).find_parent("td").find_next_sibling("td")
        span = cellule.find("span", lang=s["langue_definition"])
        assert span is not None and " ".join(span.get_text().split()) == s["definition"], cellule


def test_a_territory_page_names_the_levers_of_the_actions_it_shares(site_dir, guide):
    """The lever pages, the finder and the matrix count a co-carrier among the territories using a lever; its own page
    listed the shared action without it (reader QA: Lorient's page never said it used « Appels à projets et prix »).
    Under « … partagées avec d'autres territoires », each shared action's levers are links to their place."""
    vus = 0
    for terr in guide.territoires.values():
        if not any(a.leviers for a in terr.actions_partagees):
            continue
        page = soup(site_dir, f"territoires/{terr.slug}")
        liste = page.find(id="actions-partagees-avec-dautres-territoires").find_next_sibling("ul")
        for a, li in zip(terr.actions_partagees, liste.find_all("li", recursive=False)):
            assert li.find("a")["href"].endswith("#" + a.ancre), (terr.slug, a.ancre)
            liens = {l["href"].split("/")[-2] + l["href"][l["href"].index("#"):] for l in li.find_all("a", href=re.compile("#"))
                     if "/champs/" in l["href"]}
            for levier in a.leviers:
                assert f"{levier.champ.slug}#{levier.src.split('#')[1]}" in liens, (terr.slug, levier.id, liens)
                vus += 1
    assert vus >= 20, vus


def test_a_shared_action_printed_on_a_co_carriers_page_keeps_its_sources_remarks(site_dir, guide):
    """A co-carrier's page prints a shared action's summary and sources (its carrier's notes are on another page): the
    remarks of those sources were left out (content QA: Arras' printed page cited the 2019 study, which does not name
    Arras, without « l'Étude 2021 y ajoute Arras »)."""
    vus = 0
    for terr in guide.territoires.values():
        remarques = [(a, c["note"]) for a in terr.actions_partagees for c in a.data["sources"] if c.get("note")]
        if not remarques:
            continue
        page = soup(site_dir, f"territoires/{terr.slug}")
        liste = page.find(id="actions-partagees-avec-dautres-territoires").find_next_sibling("ul")
        imprimes = {li.find("a")["href"].split("#")[-1]: " ".join(li.select_one(".guide-imprime").get_text().split())
                    for li in liste.find_all("li", recursive=False)}
        for a, note in remarques:
            # in brackets after its citation, without its full stop: « (… y ajoute Arras) ; Étude 2021… »
            # (« n°12 » as the fiche writes it, « n° 12 » as the page prints it: typographie.py)
            assert re.sub(r"n°\s*(?=\d)", "n°", f"({' '.join(note.split()).rstrip('.')})") in \
                re.sub(r"n°\s*(?=\d)", "n°", imprimes[a.ancre]), (terr.slug, a.ancre, note)
            assert ".)" not in imprimes[a.ancre].split("Source :")[-1], imprimes[a.ancre]
            vus += 1
    assert vus >= 5, vus


def test_who_uses_a_lever_says_a_mention_is_one(site_dir, guide):
    """A mention names several territories in one breath, each for its own policy; « Qui le fait » listed them like
    an action carried together (« Plaine Commune et Lorient Agglomération — … »; attacker QA), where their pages say
    « Mention partagée ». Each line of a shared action says which it is."""
    vus = set()
    for levier in guide.leviers.values():
        page = soup(site_dir, levier.champ.src.removesuffix(".md"))
        for a in levier.actions:
            lignes = [li for li in page.find_all("li") if li.find("a", href=re.compile("#" + re.escape(a.ancre) + "$"))
                      and li.find("strong")]
            assert lignes, (levier.id, a.ancre)
            for li in lignes:
                texte = " ".join(li.get_text().split())
                if a.coporteurs:
                    assert ("(mention partagée)" in texte) == a.mention and (", avec " in texte) != a.mention, (levier.id, texte)
                # A territory merely cited, alone, is said so: it read as one doing the lever (jurist QA).
                assert ("(simple mention)" in texte) == (a.mention and not a.coporteurs), (levier.id, texte)
            vus.add((a.mention, bool(a.coporteurs)))
    assert vus == {(True, True), (True, False), (False, True), (False, False)}


def test_an_action_under_several_levers_of_a_champ_gives_its_summary_once(site_dir, guide):
    """Strasbourg's BoostInno, under two levers of R&D sociale, had its long summary twice in a row (jurist QA): the
    page gives it under the first of its levers there, and each other lever's line sends to that very line (it sent
    to the top of that lever's list, where a reader on a phone had to look for it: Haguenau, 665 px below)."""
    vues = 0
    for champ in guide.champs.values():
        if any(len(l.territoires) > 50 for l in champ.leviers):
            continue  # (lists grouped by région give no summary)
        page = soup(site_dir, champ.src.removesuffix(".md"))
        for a in champ.actions:
            siens = [l for l in champ.leviers if a in l.actions]
            if len(siens) < 2:
                continue
            debut = " ".join(a.data["resume"].split())[:40]
            items = {l.id: page.find(id=l.ancre).find_next("ul").find(
                "a", href=re.compile("#" + re.escape(a.ancre) + "$")).find_parent("li") for l in siens}
            lignes = {cle: " ".join(li.get_text().split()) for cle, li in items.items()}
            assert debut in lignes[siens[0].id], (champ.slug, a.ancre)
            for l in siens[1:]:
                assert debut not in lignes[l.id] and f"présentée plus haut, sous « {siens[0].data['titre']} »" in lignes[l.id]
                renvoi = items[l.id].find("a", string=siens[0].data["titre"])
                cible = page.find(id=renvoi["href"].lstrip("#"))
                assert cible is not None and cible.find_parent("li") is items[siens[0].id], (champ.slug, renvoi["href"])
                vues += 1
    assert vues >= 10


def test_the_2019_levers_of_a_champ_say_where_they_come_from(site_dir, guide):
    """The seven levers of the evaluation page come from the Bordeaux Métropole zoom of the 2019 study, not from its
    synthesis table (which has no evaluation row), and were headed « Leviers du tableau de synthèse 2019 » (jurist
    QA): each 2019 list of levers is headed by the origin its fiche gives, the synthesis table only by default."""
    vues = [c for c in guide.champs.values() if c.data.get("edition_2019", {}).get("leviers")]
    assert any("leviers_origine" in c.data["edition_2019"] for c in vues)
    for champ in vues:
        vue = champ.data["edition_2019"]
        page = soup(site_dir, f"champs/{champ.slug}")
        premier = page.find("li", string=lambda s: s and s.split() == vue["leviers"][0].split())
        assert premier is not None, champ.slug
        titre = premier.find_parent(["ul", "ol"]).find_previous("strong").get_text()
        attendu = vue.get("leviers_origine", "Leviers du tableau de synthèse 2019")
        assert titre.split() == attendu.split(), (champ.slug, titre)


def test_the_2019_fold_names_the_chapter_as_the_2019_study_numbers_it(site_dir, guide):
    """The 2019 study numbers its champs d'action (« CHAMP D'ACTION #4 » is the R&D sociale), not its cadres: the
    evaluation page's fold read « Étude 2019, champ d'action n° 4 » (verifier QA). A lever's fold names its champ
    d'action's number, a cadre's its chapter's rank, as the page's header does."""
    familles = set()
    for champ in guide.champs.values():
        if "numero_2019" not in champ.data:
            continue
        page = soup(site_dir, f"champs/{champ.slug}")
        resume = [s.get_text(" ", strip=True) for s in page.select("details > summary")
                  if s.get_text().strip().startswith("Étude 2019")]
        assert len(resume) == 1, (champ.slug, resume)
        nom = "champ d'action" if champ.data["famille"] == "levier" else "chapitre"
        assert resume[0].split() == f"Étude 2019, {nom} n° {champ.data['numero_2019']} : ce qu'elle décrivait".split(), resume
        familles.add(champ.data["famille"])
    assert familles == {"levier", "cadre"}


def test_a_legal_reference_without_its_article_says_the_publication_gives_none(site_dir, guide):
    """An empty « Article » cell read as a gap of the guide, to an agent who wants to cite the basis in a délibération
    (reader QA): where other rows give one, the row says the publication gives none; a table where none has one shows
    no such column (guide.css)."""
    vus = 0
    for slug, champ in guide.champs.items():
        refs = champ.data.get("references", [])
        if not refs:
            continue
        html = (site_dir / "champs" / slug / "index.html").read_text(encoding="utf-8")
        table = BeautifulSoup(html, "html.parser").select_one("div.guide-references table")
        lignes = table.select("tbody tr")
        assert len(lignes) == len(refs), slug
        avec_article = any("article" in r for r in refs)
        for ref, ligne in zip(refs, lignes):
            article = ligne.find_all("td")[1].get_text(" ", strip=True)
            if "article" in ref:
                assert article == ref["article"], (slug, ref["intitule"])
            else:
                assert article == ("non précisé par la publication" if avec_article else ""), (slug, ref["intitule"])
                vus += avec_article
    assert vus, "aucune référence sans article dans une table qui en a"


def test_a_region_from_the_official_reference_is_explained_once(site_dir, guide):
    """76 fiches said in their note « À propos de cette fiche » that the sources give no region and the official one
    is shown, and the page said it again in its remarks (« Région : région administrative officielle… »), whose one
    line then took a printed sheet of its own (reader QA). Said once: by the fiche's note when it speaks of it, else by
    the remark."""
    remarque = "région administrative officielle, que les sources n'indiquent pas"
    officielles = [t for t in guide.territoires.values() if t.data.get("region_officielle")]
    assert len(officielles) > 50
    for t in officielles:
        texte = " ".join((site_dir / "territoires" / t.slug / "index.html").read_text(encoding="utf-8").split())
        note = " ".join(str(t.data.get("note_nom", "")).split())
        assert (remarque in texte) != ("région" in note.lower()), t.slug
