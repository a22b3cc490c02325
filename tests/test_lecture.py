"""Pages that read as a guide (issue 14): En bref first, sources as numbered notes, remarks folded at the end,
dates in words, paths between pages (glossary → champs, champ → related champs, home → needs).

Everything is read from the real built site (lxml); expected values come from the fiches.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from lxml import html

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "macros"))
from guide import load_all  # noqa: E402
from guide.modele.edition import date_en_francais  # noqa: E402
from guide.modele.schemas import libelles  # noqa: E402
from guide.rendu.typographie import typographier  # noqa: E402

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def page(site_dir: Path, url: str):
    tree = html.parse(str(site_dir / url / "index.html"))
    for permalink in tree.xpath("//a[contains(@class, 'headerlink')]"):
        permalink.drop_tree()
    return tree.xpath("//article")[0]


def squash(text: str) -> str:
    """Runs of ASCII white space as one space; narrow no-break spaces (U+202F) are kept."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


def blocks_after_title(article) -> list:
    """The article's blocks after its h1, without the line printed under the title."""
    h1 = article.xpath(".//h1")[0]
    return [el for el in h1.itersiblings() if "guide-impression-ligne" not in (el.get("class") or "")]


def champ_href(slug: str) -> str:
    return f"../../champs/{slug}/"


def agit_dans(terr) -> set:
    """The champs of a territory's actions (own and shared) that are not mentions, read from the fiches' data."""
    return {s for a in terr.actions + terr.actions_partagees if a.data.get("nature") != "mention" for s in a.data["champs"]}


# ------------------------------------------------------------------------------------------- territory pages

def texte_de_note(li) -> str:
    """A note's text, without its links back (« ↩ », numbered when the note is called several times)."""
    return "".join(li.xpath(".//text()[not(ancestor::a[contains(@class, 'footnote-backref')])]"))


def test_territory_page_opens_with_en_bref(site_dir, guide):
    types = libelles()["type"]
    for terr in guide.territoires.values():
        art = page(site_dir, f"territoires/{terr.slug}")
        first = blocks_after_title(art)[0]
        assert "abstract" in first.get("class", "") and squash(first.xpath(".//p[contains(@class, "
                                                                              "'admonition-title')]")[0].text_content()) == "En bref", terr.slug
        text = squash(first.text_content())
        assert f"Type\u202f: {types[terr.data['type']]}" in text, (terr.slug, text)
        assert f"Région\u202f: {terr.data['region']}" in text, (terr.slug, text)
        n = len(terr.actions) + len(terr.actions_partagees)
        assert f"Actions recensées\u202f: {n} action{'s' if n > 1 else ''}" in text, (terr.slug, text)
        # A mention (the source cites territories in one breath, each for its own policy) is not an action carried
        # together (reader QA: Redon's only entry, a mention, read « 1 action partagée »).
        # Its own mentions are said too (content QA: Clapiers, only named as the place of a pépinière, read
        # « 1 action »).
        # A mention its own fiche writes with co-porteurs is shared too: it reads « Mention partagée avec : … » (reader
        # QA: Brest's « 3 mentions (1 simple, 2 partagées) » over its one mention, shared with Toulouse Métropole).
        propres = [a for a in terr.actions if a.data.get("nature") == "mention"]
        simples = sum(not a.data.get("coporteurs") for a in propres)
        mentions = [a for a in terr.actions_partagees if a.data.get("nature") == "mention"]
        portees = len(terr.actions_partagees) - len(mentions)
        partagees_toutes = len(propres) - simples + len(mentions)

        def n_(n, mot, pluriel=None):
            return f"{n} {mot if n == 1 else (pluriel or mot + 's')}"
        # every mention counted once, as the territories' list counts them, then split (reader QA: Lyon's list said
        # « dont 6 mentions », its page « 3 simples mentions et 3 écrites sur la fiche d'un autre territoire »)
        if simples and partagees_toutes:
            assert f", dont {n_(simples + partagees_toutes, 'mention')} ({n_(simples, 'simple')}, {n_(partagees_toutes, 'partagée')})" in text, (terr.slug, text)
        elif simples:
            assert f", dont {n_(simples, 'simple mention', 'simples mentions')}" in text, (terr.slug, text)
        elif partagees_toutes:
            assert f", dont {n_(partagees_toutes, 'mention partagée', 'mentions partagées')}" in text, (terr.slug, text)
        if not simples:
            assert "simple mention" not in text and "simples" not in text, (terr.slug, text)
        parts = ([n_(portees, 'action portée ensemble', 'actions portées ensemble')] if portees else []) + (
            [n_(len(mentions), 'mention partagée', 'mentions partagées')] if mentions else [])
        if parts:
            n = len(terr.actions_partagees)
            # (« dont 1 action portée » read as « carries one » on a page whose fiche carries three: fresh check)
            avant = "\u202f; " if propres or mentions else ", dont "  # (a narrow no-break space before « ; »)
            ecrites = f"{avant}{n_(n, 'écrite')} sur la fiche d'un autre territoire"
            assert ecrites + (f" ({', '.join(parts)})" if portees else "") in text, (terr.slug, text)
            partagees = art.xpath(".//h3[@id='actions-partagees-avec-dautres-territoires']/following-sibling::ul[1]/li")
            assert len(partagees) == len(terr.actions_partagees), terr.slug
            for li, action in zip(partagees, terr.actions_partagees):
                assert (", mention partagée, fiche " in squash(li.text_content())) == (action in mentions), (terr.slug, squash(li.text_content())[:120])
        elif not partagees_toutes:
            assert "partagée" not in text, (terr.slug, text)
        links = {a.get("href") for a in first.xpath(".//a")}
        champs = {s for a in terr.actions + terr.actions_partagees for s in a.data["champs"]}
        assert {champ_href(s) for s in champs} <= links, terr.slug
        # The champs it acts in apart from those where it is only cited: Bondy's « Champs d'action » named two champs
        # whose only entries said « L'étude ne décrit pas de rôle propre de la commune » (fact-checker QA).
        ordre = list(guide.champs)
        agis = sorted(agit_dans(terr), key=ordre.index)
        cites = sorted(champs - set(agis), key=ordre.index)
        for libelle, attendus in (("Champs? d'action", agis), ("Cité en passant", cites)):
            ligne = [li for li in first.xpath(".//li") if re.match(rf"{libelle}\u202f:", squash(li.text_content()))]
            assert len(ligne) == (1 if attendus else 0), (terr.slug, libelle)
            if attendus:
                assert [a.get("href") for a in ligne[0].xpath(".//a")] == [champ_href(s) for s in attendus], terr.slug
        if "rtes" in terr.data and "adhesion" in terr.data["rtes"]:
            assert f"membre depuis {terr.data['rtes']['adhesion']}" in text


def test_a_territory_s_page_and_the_territories_list_count_its_mentions_alike(site_dir, guide):
    """Lyon's line in the list said « 15 (dont 6 mentions) », its page « dont 3 simples mentions et 3 écrites sur la
    fiche d'un autre territoire (3 mentions partagées) » (reader QA: read as two counts): the same total on both."""
    liste = html.parse(str(site_dir / "territoires" / "index.html"))
    for terr in guide.territoires.values():
        (ligne,) = liste.xpath(f"//tr[th/a[@href='{terr.slug}/']]")
        cellule = squash(ligne.xpath("./td[@data-libelle='Actions']")[0].text_content())
        total = re.search(r"dont (\d+) mention", cellule)
        en_bref = squash(blocks_after_title(page(site_dir, f"territoires/{terr.slug}"))[0].text_content())
        phrase = re.search(r"Actions recensées\u202f: [^\n]*", en_bref).group(0)
        page_total = re.search(r"dont (\d+) (?:mention|simple)", phrase)
        assert (total and total.group(1)) == (page_total and page_total.group(1)), (terr.slug, cellule, phrase)


def test_two_values_from_two_sources_side_by_side_with_their_notes(site_dir, guide):
    terr = next(t for t in guide.territoires.values() if len(t.data.get("identite", {}).get("population", [])) > 1)
    first = blocks_after_title(page(site_dir, f"territoires/{terr.slug}"))[0]
    item = next(li for li in first.xpath(".//li") if li.text_content().startswith("Population"))
    text = squash(item.text_content())
    values = [f"{m['valeur']:,}".replace(",", "\u202f") for m in terr.data["identite"]["population"]]
    assert all(v in text for v in values) and " · " in text, text
    assert len(item.xpath(".//a[contains(@class, 'footnote-ref')]")) >= len(values)


def test_the_publications_population_beside_the_official_one_says_whose_it_is_and_its_year(site_dir, guide):
    """« Population : 783 000 habitants » over « Population officielle : 854 334 habitants » read as two current
    figures, the first undated (its year said only in the folded notes; reader QA): beside the official one, the
    publications' figure is named so, and a figure they give without a year says it."""
    vus = {True: 0, False: 0}
    for terr in guide.territoires.values():
        population = terr.data.get("identite", {}).get("population")
        if not population or not terr.officiel or terr.officiel.population is None:
            continue
        first = blocks_after_title(page(site_dir, f"territoires/{terr.slug}"))[0]
        (item,) = [li for li in first.xpath(".//li") if squash(li.text_content()).startswith("Population selon")]
        text = squash(item.text_content())
        assert text.startswith("Population selon les publications\u202f:"), text
        for m in population:
            vus["annee" in m] += 1
            assert (f"({m['annee']})" if "annee" in m else "(année non précisée)") in text, (terr.slug, text)
    assert vus[True] and vus[False], vus


def test_territory_pages_have_no_inline_source(site_dir, guide):
    for terr in guide.territoires.values():
        art = page(site_dir, f"territoires/{terr.slug}")
        assert not art.xpath(".//*[contains(@class, 'guide-source')]"), terr.slug
        # Paper only (impression.css): the summary and source of an action shared from another fiche, whose notes are
        # not this page's.
        for imprime in art.xpath(".//span[contains(concat(' ', normalize-space(@class), ' '), ' guide-imprime ')]"):
            assert imprime.xpath("ancestor::ul[1]/preceding-sibling::h3[1][@id='actions-partagees-avec-dautres-territoires']")
            imprime.getparent().remove(imprime)
        assert "Source :" not in art.text_content() and "Source\u202f:" not in art.text_content(), terr.slug
        for table in art.xpath(".//table"):
            headers = [squash(th.text_content()) for th in table.xpath(".//thead//th")]
            assert "Source" not in headers, (terr.slug, headers)


def fiche_pages(guide):
    return [f"territoires/{s}" for s in guide.territoires] + [f"champs/{s}" for s in guide.champs]


def test_every_note_call_links_to_its_note_and_back(site_dir, guide):
    for url in fiche_pages(guide):
        art = page(site_dir, url)
        ids = {el.get("id") for el in art.xpath(".//*[@id]")}
        calls = art.xpath(".//sup[starts-with(@id, 'fnref')]/a[contains(@class, 'footnote-ref')]")
        notes = art.xpath(".//div[contains(@class, 'footnote')]/ol/li")
        own_facts = url.startswith("champs/") or guide.territoires[url.split("/")[1]].actions
        assert calls or not own_facts, f"{url}: aucun appel de note"
        assert [li.get("id") for li in notes] == [f"fn:{i}" for i in range(1, len(notes) + 1)], url
        for a in calls:
            target = a.get("href")[1:]
            assert target in ids, f"{url}: l'appel {a.get('href')} ne mène à aucune note"
            assert squash(a.text_content()) == target.split(":")[1]
        called = {a.get("href")[1:] for a in calls}
        for li in notes:
            assert li.get("id") in called, f"{url}: note {li.get('id')} jamais appelée"
            backs = li.xpath(".//a[contains(@class, 'footnote-backref')]")
            assert backs and all(b.get("href")[1:] in ids for b in backs), f"{url}: {li.get('id')} sans retour"
            assert li.xpath(".//a[contains(@href, 'ressources/sources/#')]"), f"{url}: {li.get('id')} sans publication"
        # identical citations share one number: no two notes say the same thing
        texts = [squash(li.text_content().replace("\u21a9", "")) for li in notes]
        assert len(texts) == len(set(texts)), url


def test_no_remark_on_sources_says_the_same_thing_twice(site_dir, guide):
    """Two citations of one source with two wordings of one remark were shown joined: « … à l'horizon 2020. Date
    donnée par la fiche territoire ; le zoom de la même étude date de 2014… » (Nantes Métropole, note 27)."""
    doubles = []
    for url in fiche_pages(guide):
        # each remark (a note's line, or each fiche's line under a note that gathers several fiches)
        for li in page(site_dir, url).xpath(".//details[contains(@class, 'guide-notes-sources')]//li[not(.//li)]"):
            phrases = [" ".join(p.split()[:6]) for p in re.split(r"(?<=[.;])\s+", " ".join(li.text_content().split()))
                       if len(p.split()) >= 5]
            doubles += [f"{url}: {p}" for p in set(phrases) if phrases.count(p) > 1]
    assert not doubles, doubles



def test_a_champ_page_says_which_fiche_made_each_remark_on_a_source(site_dir, guide):
    """A champ page gathers many territories' actions: a remark one of them makes on a source is shown with the
    fiche's name (content QA: note 7 of the achats page joined four fiches' remarks, « L'étude présente « Argenteuil »
    comme une communauté d'agglomération. « la ville et l'Eurométropole… ». L'Étude 2021 ne reprend que le SIEG… »,
    with no word of which territory each spoke of)."""
    def debut(texte: str) -> str:
        return " ".join(texte.split()[:12])

    auteurs: dict[str, set] = {}
    for terr in guide.territoires.values():
        for action in terr.actions:
            for source in action.data.get("sources", []):
                if source.get("note"):
                    auteurs.setdefault(debut(source["note"]), set()).add(
                        f"iche {' '.join(terr.data['nom'].split())}, action « {' '.join(action.data['titre'].split())} »")
    # and a lever's remark, the lever (« En 2019 : … » twice in one note said neither which lever)
    for champ in guide.champs.values():
        for levier in champ.data.get("leviers", []):
            for source in levier.get("sources", []):
                if source.get("note"):
                    auteurs.setdefault(debut(source["note"]), set()).add(f"evier « {' '.join(levier['titre'].split())} »")
    checked = 0
    for slug in guide.champs:
        for li in page(site_dir, f"champs/{slug}").xpath(
                ".//details[contains(@class, 'guide-notes-sources')]//li[not(.//li)]"):
            # (« n°3 » as a title writes it, « n° 3 » as the page prints it: typographie.py)
            texte = re.sub(r"n° ", "n°", " ".join(li.text_content().split()))
            for remarque, noms in auteurs.items():
                if remarque in texte:
                    checked += 1
                    assert any(f"{nom} :" in texte for nom in noms), (slug, texte[:200], noms)
    assert checked >= 10, checked


def test_notes_then_folded_notes_on_sources_end_the_page(site_dir, guide):
    for url in fiche_pages(guide):
        # (the page's publications named in full are on paper only: not part of what a screen shows)
        blocks = [b for b in blocks_after_title(page(site_dir, url)) if b.get("class") != "guide-publications-citees"]
        last, before = blocks[-1], blocks[-2]
        assert last.tag == "details" and last.get("open") is None, f"{url}: le bloc final n'est pas replié"
        assert squash(last.xpath("./summary")[0].text_content()) == "Notes sur les sources"
        if last.getparent().xpath(".//sup[starts-with(@id, 'fnref')]"):
            assert "footnote" in (before.get("class") or ""), f"{url}: les notes ne précèdent pas le bloc replié"
    for terr in guide.territoires.values():
        if terr.data.get("note_nom"):
            last = blocks_after_title(page(site_dir, f"territoires/{terr.slug}"))[-1]
            assert squash(terr.data["note_nom"]).split()[:8] == squash(last.text_content()).split(
                "À propos de cette fiche.")[1].split()[:8]


def test_chronology_has_no_source_column_and_dates_in_words(site_dir, guide):
    checked = periodes = 0
    for terr in guide.territoires.values():
        if "chronologie" not in terr.data:
            continue
        art = page(site_dir, f"territoires/{terr.slug}")
        # the table, or a long one folded under its count (issue 25)
        table = art.xpath("(.//h2[@id='dates-cles']/following-sibling::*[1]/descendant-or-self::table)[1]")[0]
        assert [squash(th.text_content()) for th in table.xpath(".//thead//th")] == ["Date", "Évènement"]
        cells = [squash(tr.xpath("./td")[0].text_content()) for tr in table.xpath(".//tbody/tr")]
        for cell, event in zip(cells, terr.data["chronologie"]):
            if ISO.match(event["date"]):
                assert cell == date_en_francais(event["date"]), (terr.slug, cell)
                checked += 1
            elif re.fullmatch(r"\d{4}-\d{2}(-\d{2})?/\d{4}-\d{2}(-\d{2})?", event["date"]):
                # a period in words, what both ends share said once (« 7 octobre 2020/8 octobre 2020 »)
                assert cell.startswith(("du", "de")) and "/" not in cell, (terr.slug, cell)
                periodes += 1
    assert checked > 10 and periodes >= 5, (checked, periodes)


def test_no_year_twice_in_a_heading(site_dir):
    twice = re.compile(r"\b(\d{4})\b.*\(\1\)")
    found = []
    for path in site_dir.rglob("*.html"):
        for h in html.parse(str(path)).xpath("//h1|//h2|//h3|//h4"):
            if twice.search(h.text_content()):
                found.append(f"{path.relative_to(site_dir)}: {squash(h.text_content())}")
        # nor after an action's title in a list (reader QA: « SPASER adopté en 2018 (2018) » on the champ's page)
        for li in html.parse(str(path)).xpath("//li[a]"):
            if re.search(r"\b(\d{4}) \(\1\)", squash(li.text_content())):
                found.append(f"{path.relative_to(site_dir)}: {squash(li.text_content())[:120]}")
    assert not found, found[:10]


# ------------------------------------------------------------------------------------------- paths between pages

def mentions(slug: str, sigle: str) -> bool:
    text = (ROOT / "fiches" / "champs" / f"{slug}.md").read_text(encoding="utf-8")
    return re.search(rf"(?<![\w-]){re.escape(sigle)}(?![\w-])", text) is not None


def test_glossary_entries_link_to_the_champs_that_use_them(site_dir, guide):
    art = page(site_dir, "ressources/glossaire")
    rows = {squash(tr.xpath("./td")[0].text_content()): tr for tr in art.xpath(".//tbody/tr")}
    for sigle in ("SCIC", "SPASER", "PTCE"):
        expected = {f"../../champs/{s}/" for s in guide.champs if mentions(s, sigle)}
        assert expected, sigle
        links = {a.get("href") for a in rows[sigle].xpath("./td[2]//a") if "/champs/" in a.get("href")}
        assert links == expected, (sigle, links ^ expected)


def test_each_champ_lists_its_related_champs_with_why(site_dir, guide):
    for champ in guide.champs.values():
        assert champ.data.get("voir_aussi"), f"{champ.slug}: pas de « voir_aussi »"
        art = page(site_dir, f"champs/{champ.slug}")
        items = art.xpath(".//h2[@id='voir-aussi']/following-sibling::ul[1]/li")
        assert len(items) == len(champ.data["voir_aussi"]), champ.slug
        for li, lie in zip(items, champ.data["voir_aussi"]):
            assert li.xpath("./a")[0].get("href") == f"../{lie['champ']}/"
            assert squash(lie["pourquoi"])[:30].replace(" ", "") in squash(li.text_content()).replace(
                " ", "").replace("\u202f", ""), champ.slug
        # and the publications the studies recommend, a paragraph of its own after that list (phone QA: not found
        # from a champ's page)
        (suite,) = art.xpath(".//h2[@id='voir-aussi']/following-sibling::ul[1]/following-sibling::*[1]")
        assert suite.tag == "p" and suite.xpath(".//a/@href") == ["../../etude/pour-aller-plus-loin/"], champ.slug
    famille = {c.slug: c.data["famille"] for c in guide.champs.values()}
    reached = {lie["champ"] for c in guide.champs.values() for lie in c.data["voir_aussi"]
               if famille[c.slug] == "levier"}
    assert {"focus", "cadre"} <= {famille[s] for s in reached}, "les leviers ne mènent ni aux focus ni aux cadres"


def test_unknown_related_champ_is_refused_in_french(project_copy):
    fiche = project_copy / "fiches" / "champs" / "evaluation.md"
    text = fiche.read_text(encoding="utf-8")
    fiche.write_text(text.replace("  - champ: co-construction", "  - champ: champ-imaginaire", 1), encoding="utf-8")
    line = 1 + fiche.read_text(encoding="utf-8").split("\n").index("  - champ: champ-imaginaire")
    _, _, errors = load_all(project_copy)
    (error,) = [e for e in errors if e.path == "fiches/champs/evaluation.md"]
    assert "champ-imaginaire" in error.message and "inconnu" in error.message
    assert error.field == "voir_aussi[0].champ" and error.line == line


def test_the_territory_table_names_the_shared_population_source_once(site_dir, guide):
    """« (INSEE, découpage administratif 2026) » in each of 110 population cells made five-line rows on a tablet and
    on paper (reader QA): the source most rows share is said in the caption, a row with another one keeps it."""
    from guide.modele.population import population
    tree = html.parse(str(site_dir / "territoires" / "index.html"))
    table = tree.xpath("//table[@id='guide-territoires']")[0]
    sources = [src for _, src in map(population, guide.territoires.values()) if isinstance(src, str)]
    commune = max(set(sources), key=sources.count)
    assert f"({commune}, sauf mention)" in squash(table.xpath("./caption")[0].text_content())
    cellules = {squash(tr.xpath("./th")[0].text_content()): squash(tr.xpath("./td[@data-libelle='Population']")[0]
                                                                   .text_content()) for tr in table.xpath(".//tbody/tr")}
    for t in guide.territoires.values():
        pop, src = population(t)
        if pop is None:
            continue
        cellule = cellules[squash(typographier(t.data["nom"]))]
        assert commune not in cellule, (t.slug, cellule)
        # another source in the cell, a year or, undated, the fiche's (the PETR's « 45 000 » read as INSEE's)
        assert (src != commune) == cellule.endswith(")"), (t.slug, cellule)
        if src is None:
            assert cellule.endswith("(chiffre de sa fiche)"), (t.slug, cellule)


def test_a_territory_page_says_what_its_action_badges_mean(site_dir, guide):
    """« Zoom », « Exemple », « Mention » on the actions were not explained (tablet QA): under « Actions par champ
    d'action », each label the page shows with what it means, as the schema defines it, in the schema's order."""
    noms, definitions = libelles()["nature"], libelles()["nature_definition"]
    for t in guide.territoires.values():
        presentes = {a.data["nature"] for a in t.toutes_actions if "nature" in a.data}
        legende = page(site_dir, f"territoires/{t.slug}").xpath(".//p[contains(@class, 'guide-legende')]")
        if not presentes:
            assert not legende, t.slug
            continue
        attendu = " · ".join(f"{nom} : {definitions[n]}" for n, nom in noms.items() if n in presentes)
        assert squash(legende[0].text_content()).replace("\u202f", " ") == attendu, t.slug


def test_an_acronym_is_explained_in_the_text_before_a_heading(site_dir, guide):
    """On paper an explained acronym prints its meaning after it, but not in a heading, which keeps its own words:
    an acronym first met in a heading (« ESS » in an action's title) was never explained on 22 printed parts
    (verifier QA). It is explained at its first use in the text; in a heading only when no text uses it."""
    titres = "ancestor::h1 or ancestor::h2 or ancestor::h3 or ancestor::h4 or ancestor::h5 or ancestor::h6"
    vus = 0
    for t in guide.territoires.values():
        art = page(site_dir, f"territoires/{t.slug}")
        for abbr in art.xpath(f".//abbr[@title][{titres}]"):
            sigle = abbr.text_content()
            # (the line printed under the title, added to the page after its text, names the guide)
            texte = " ".join(n for n in art.xpath(f".//text()[not({titres})][not(ancestor::*[contains(@class, 'guide-sr') or contains(@class, 'guide-impression-ligne')])]"))
            assert not re.search(rf"(?<![\w-]){re.escape(sigle)}(?![\w-])", texte), (t.slug, sigle)
            vus += 1
        vus += len(art.xpath(f".//abbr[@title][not({titres})]"))
    assert vus > len(guide.territoires)


def test_no_page_shows_markdown_a_fiche_wrote(site_dir, guide):
    """A link written in an action's résumé, « [Ville de Lille](ville-de-lille.md) », was shown as typed in the lists of
    who uses a lever, on three champ pages and in two printed books (fact-checker QA). No text of any page, but the
    help pages for editors (ressources/, which show that syntax) and code, holds Markdown's link or emphasis syntax; the
    résumés that carry links are read there too."""
    lien = re.compile(r"\[[^\]\n]+\]\([^)\s]+\)|\*\*\S[^*\n]*\*\*")
    avec_liens = [a for a in guide.actions if lien.search(a.data["resume"])]
    assert avec_liens, "aucun résumé d'action ne porte de lien : le test ne lit rien"
    fautes = []
    for chemin in sorted(site_dir.rglob("index.html")):
        if chemin.relative_to(site_dir).parts[0] == "ressources":
            continue
        arbre = html.fromstring(chemin.read_bytes())
        for texte in arbre.xpath("//body//text()[not(ancestor::code or ancestor::pre or ancestor::script "
                                 "or ancestor::style or ancestor::textarea)]"):
            if lien.search(texte):
                fautes.append((str(chemin.relative_to(site_dir)), texte.strip()[:120]))
    assert not fautes, fautes[:5]


def test_an_acronym_whose_expansion_no_publication_gives_says_so_in_its_tooltip(site_dir, guide):
    """« CISCA » on the Clermont page showed « Centre d'innovation sociale Clermont Auvergne », an official expansion no
    study gives, as if it were the study's (fact-checker QA): its tooltip says whose it is, as the glossary does; the
    others give the definition alone."""
    officielles = {s["sigle"]: s["definition"] for s in guide.sigles if s.get("officielle")}
    assert officielles
    vus = {}
    for t in guide.territoires.values():
        for abbr in page(site_dir, f"territoires/{t.slug}").xpath(".//abbr[@title]"):
            vus.setdefault(abbr.text_content(), abbr.get("title"))
    assert set(officielles) & set(vus), "aucun sigle au développement officiel sur les pages des territoires"
    for sigle, titre in vus.items():
        definition = next(" ".join(s["definition"].split()) for s in guide.sigles if s["sigle"] == sigle)
        attendu = definition + (" — développement officiel, absent des publications" if sigle in officielles else "")
        assert titre == attendu, (sigle, titre)


def test_an_acronym_spelled_out_right_before_it_is_not_explained_again(site_dir, guide):
    """« Conseil départemental de l'ESS (CDESS) » printed « (CDESS (Conseil départemental de l'ESS)) », the meaning
    said twice (verifier QA): an acronym in brackets right after its own meaning is explained by the text."""
    def plie(t):
        return " ".join(t.replace("\u2019", "'").split()).casefold()
    definitions = {s["sigle"]: s["definition"] for s in guide.sigles}
    redits, vus = [], 0
    adresses = [f"territoires/{t.slug}" for t in guide.territoires.values()] + [f"champs/{c}" for c in guide.champs]
    for adresse in adresses:
        art = page(site_dir, adresse)
        for abbr in art.xpath(".//abbr[@title]"):
            avant = (abbr.getprevious().tail if abbr.getprevious() is not None else abbr.getparent().text) or ""
            if avant.rstrip().endswith("(") and plie(avant.rstrip()[:-1]).endswith(plie(abbr.get("title"))):
                redits.append((adresse, abbr.text_content()))
            # …in the text's own wording (« Business and Innovation Centre (BIC) », « dispositif local
            # d'accompagnement (DLA) »: printed « (BIC [Business and Innovation Center]) »; print QA): alone in
            # brackets, after words one of which begins as it does
            mots = re.findall(r"[^\W\d_]+", avant.rstrip()[:-1])[-8:]
            if (avant.rstrip().endswith("(") and re.match(r"\s*\)", abbr.tail or "")
                    and any(m[0].casefold() == abbr.text_content()[0].casefold() for m in mots)):
                redits.append((adresse, abbr.text_content()))
        texte = plie(art.text_content())
        vus += sum(texte.count(plie(f"{d} ({s})")) for s, d in definitions.items())
    assert vus, "aucun sigle écrit après son sens dans les pages des territoires"
    assert not redits, redits


def test_an_acronym_spelled_out_right_after_it_is_not_explained_again(site_dir, guide):
    """« ITIS (Initiatives Territoriales Innovation Sociale) » printed « ITIS (Initiatives Territoriales Innovation
    Sociale) (Initiatives Territoriales Innovation Sociale) », and « VRAC – Vers un réseau d'achat en commun » the
    same (print QA): an acronym whose meaning the text writes right after it, in brackets or after a dash, is explained
    by the text, on every page of fiches."""
    def plie(t):
        return " ".join(t.replace("\u2019", "'").split()).casefold()
    definitions = {s["sigle"]: s["definition"] for s in guide.sigles}
    redits, vus = [], 0
    adresses = [f"territoires/{t.slug}" for t in guide.territoires.values()] + [f"champs/{c}" for c in guide.champs]
    for adresse in adresses:
        art = page(site_dir, adresse)
        for abbr in art.xpath(".//abbr[@title]"):
            apres = re.match(r"\s*(?:\(|[\u2013\u2014-]\s|:\s)\s*(.*)", abbr.tail or "", re.S)
            debut = plie(abbr.get("title")).split()[:2]
            if apres and plie(apres.group(1)).split()[:2] == debut:
                redits.append((adresse, abbr.text_content()))
        texte = plie(art.text_content())
        vus += sum(texte.count(plie(f"{s} ({d}")) + texte.count(plie(f"{s} – {d}")) for s, d in definitions.items())
    assert vus, "aucun sigle écrit avant son sens dans les pages des fiches"
    assert not redits, redits


def test_an_acronym_is_explained_before_a_bracket_only_where_no_other_use_is(site_dir, guide):
    """« l'ESS (CDESS) » printed « l'ESS (Économie sociale et solidaire) (CDESS) », two brackets in a row (reader QA):
    an acronym the text follows with a bracket is explained at its next use in the text (not a heading nor a link),
    and before the bracket only when it has no other."""
    sigles = sorted((s["sigle"] for s in guide.sigles), key=len, reverse=True)
    mot = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, sigles)) + r")(?![\w-])")
    adresses = [p.parent.relative_to(site_dir).as_posix() for p in site_dir.rglob("index.html")
                if p.relative_to(site_dir).parts[0] not in ("admin", "imprimer")]
    avant, trop_tot = 0, []
    for adresse in adresses:
        art = page(site_dir, adresse) if adresse != "." else html.parse(str(site_dir / "index.html")).xpath("//article")[0]
        for abbr in art.xpath(".//abbr[@title]"):
            if not re.match(r"\s*[(\[]", abbr.tail or ""):
                continue
            avant += 1
            sigle = abbr.text_content()
            ailleurs = [t for t in art.xpath(".//text()[not(ancestor::a or ancestor::abbr or ancestor::code or ancestor::nav"
                                             " or ancestor::h1 or ancestor::h2 or ancestor::h3 or ancestor::h4)]")
                        if sigle in mot.findall(str(t))]
            if ailleurs:
                trop_tot.append((adresse, sigle))
    assert avant, "aucun sigle expliqué avant une parenthèse : le cas n'est plus mis à l'épreuve"
    assert not trop_tot, trop_tot


def test_a_lever_sends_to_the_related_lever_that_lists_who_does_it(site_dir, guide):
    """A lever of the synthesis table whose practice the study describes under another champ's lever (dialogue spaces of
    champ #7, councils of cadre #2) says so beside « Qui le fait », with that lever's count: the lawyer's review read
    « aucune action » there while thirteen territories have such a council."""
    lies = [(l, lie) for c in guide.champs.values() for l in c.leviers for lie in l.data.get("voir_aussi", [])]
    assert lies, "aucun levier ne renvoie à un levier voisin"
    for levier, lie in lies:
        voisin = guide.leviers[lie["levier"]]
        art = page(site_dir, f"champs/{levier.champ.slug}")
        heading = art.xpath(f".//h3[@id='{levier.ancre}']")[0]
        bloc = []
        for sib in heading.itersiblings():
            if sib.tag in ("h2", "h3"):
                break
            bloc.append(sib)
        (para,) = [p for p in bloc if squash(p.text_content()).startswith("Voir aussi")]
        link = para.xpath(".//a[not(ancestor::sup)]")[0]
        assert link.get("href") == f"../{voisin.champ.slug}/#{voisin.ancre}"
        assert f"{len(voisin.territoires)} territoire" in squash(para.text_content()), para.text_content()
        assert squash(lie["pourquoi"])[:30] in squash(para.text_content()).replace("\u202f", " ")


def test_unknown_related_lever_is_refused_in_french(project_copy):
    fiche = project_copy / "fiches" / "champs" / "animation-sensibilisation.md"
    text = fiche.read_text(encoding="utf-8")
    assert "      - levier: instance-co-construction" in text
    fiche.write_text(text.replace("      - levier: instance-co-construction", "      - levier: instance-co-constructon", 1),
                     encoding="utf-8")
    line = 1 + fiche.read_text(encoding="utf-8").split("\n").index("      - levier: instance-co-constructon")
    _, _, errors = load_all(project_copy)
    (error,) = [e for e in errors if e.path == "fiches/champs/animation-sensibilisation.md"]
    assert "« instance-co-constructon » inconnu" in error.message and "« instance-co-construction » ?" in error.message
    assert error.line == line and error.field.endswith(".voir_aussi[0].levier"), (error.line, error.field)


@pytest.mark.parametrize("besoin", ["Financer", "Acheter", "Trouver un lieu", "Coopérer", "Sensibiliser", "Évaluer"])
def test_home_page_offers_entries_by_need(site_dir, guide, besoin):
    art = page(site_dir, "")
    items = art.xpath(".//h2[@id='par-besoin']/following-sibling::div[1]//li")
    item = next((li for li in items if squash(li.text_content()).startswith(besoin)), None)
    assert item is not None, besoin
    targets = [a.get("href") for a in item.xpath(".//a")]
    assert targets and all(re.fullmatch(r"champs/([a-z0-9-]+)/(#levier-[a-z0-9-]+)?", t) and t.split("/")[1] in guide.champs
                           for t in targets), targets
    # A lever named there leads to it, on its champ's page (verifying QA: « marchés réservés » led to the top of a
    # page 35,000 px tall on a phone).
    for t in targets:
        if "#" in t:
            champ, ancre = t.split("/")[1], t.partition("#levier-")[2]
            assert any(l.id == ancre for l in guide.champs[champ].leviers), t



def test_home_page_leads_to_scic_and_ptce_without_search(site_dir):
    """The two tools an officer asks for by name are named on the home page, in the need that leads to the champ
    that holds them (reader QA: only search found them)."""
    art = page(site_dir, "")
    item = next(li for li in art.xpath(".//h2[@id='par-besoin']/following-sibling::div[1]//li")
                if squash(li.text_content()).startswith("Coopérer"))
    (cible,) = {a.get("href").partition("#")[0] for a in item.xpath(".//a") if a.get("href").startswith("champs/cooperation")}
    champ = squash(page(site_dir, cible).text_content())
    for sigle in ("PTCE", "SCIC"):
        assert sigle in squash(item.text_content()) and champ.count(sigle) >= 5, sigle

# ------------------------------------------------------------------------------------- sources in the fiches' text

def source_names(guide) -> list[str]:
    return [n for p in guide.publications.values() for n in [p.get("edition", p["titre"]), *p.get("appellations", [])]]


def test_source_brackets_in_the_text_become_notes(site_dir, guide):
    """« … emplois (Étude 2019, fiche ; Page RTES). » reads « … emplois¹,². » in the text of every fiche page."""
    names = source_names(guide)

    def is_source(part: str) -> bool:
        part = squash(part)
        return any(part == n or part.startswith(n + ",") for n in names)

    found = []
    for url in fiche_pages(guide):
        for p in page(site_dir, url).xpath("./p|./div[not(self::details)]/p"):
            for bracket in re.findall(r"\(([^()]+)\)", p.text_content()):
                if all(is_source(part) for part in bracket.split(";")):
                    found.append(f"{url}: ({squash(bracket)})")
    assert not found, found[:10]


def test_annoter_turns_only_source_brackets_into_note_calls(guide):
    from guide.rendu.notes import Notes
    notes = Notes()
    text = notes.annoter("salariés\n(Étude 2019, fiche et parole). Ici (Livret 2014 ; Étude 2021, p. 54-57) et "
                         "là (2019 selon l'étude) ; enfin (Étude 2021, p. 54-57).", guide.publications)
    assert text == ("salariés[^1]. Ici[^2]<sup class=\"guide-appels\">,</sup>[^3] et là (2019 selon l'étude) ; enfin[^3].")
    assert [n.citation for n in notes.liste] == [
        {"publication": "avise-2019", "section": "fiche et parole"},
        {"publication": "strasbourg-conseil-2014"},
        {"publication": "avise-2021", "page": "54-57"}]
    # A section the text already quotes: the note quotes it once (« « Cadres et axes d'intervention » »)
    notes = Notes()
    notes.annoter("Dix documents cadres (Étude 2019, « Cadres et axes d'intervention »).", guide.publications)
    assert [n.citation for n in notes.liste] == [{"publication": "avise-2019", "section": "Cadres et axes d'intervention"}]


def test_a_citation_is_read_within_a_line_of_the_fragment_and_split_at_the_text_s_semicolons(guide):
    """A bracket from a heading into the next paragraph took the heading's mark into a note, and its id went to the
    guide's section of the same name; « x*Étude 2019, p. 3 », a section of the fiche's sources, was split at the `;` of
    the writer's « &#42; » into a note of a publication the fiche does not cite (attacker QA)."""
    from guide.rendu.fragments import Fragments
    from guide.rendu.notes import Notes
    fragments, notes = Fragments(), Notes()
    texte = notes.annoter(fragments.bloc("## Élus et services (Étude 2021, Alliance\n\ndes territoires)"), guide.publications)
    assert texte.startswith("## Élus et services (Étude 2021, Alliance { .") and not notes.liste, texte
    notes = Notes()
    notes.annoter(fragments.bloc("Vu (Étude 2021, x*Étude 2019, p. 3)."), guide.publications)
    assert [n.citation["publication"] for n in notes.liste] == ["avise-2021"], [n.citation for n in notes.liste]
    # …nor over two cells of a table, whose « | » is the writer's: a cell went with it (verifier QA)
    notes = Notes()
    ligne = notes.annoter(fragments.bloc("| an | fait | suite | fin |\n|---|---|---|---|\n| 2020 | Lancement (Étude 2019, Synthèse | "
                                         "coupé) | perdu |"), guide.publications)
    assert not notes.liste and "| perdu |" in ligne, ligne


def test_sur_cette_page_reads_a_heading_with_its_note_calls_as_the_page_shows_it(guide):
    """A fiche's heading citing two sources listed « Stratégie<sup class="guide-appels">, » linked to an id no heading had
    (verifier QA)."""
    from conftest import convertisseur_des_pages
    from lxml import html as lhtml
    from guide.rendu import en_ligne, sommaire, titres
    from guide.rendu.fragments import Fragments
    from guide.rendu.notes import Notes
    corps = str(Notes().annoter(Fragments().bloc("## Stratégie (Étude 2019, p. 3; Étude 2021, p. 58-63)\n\nTexte."),
                                guide.publications))
    ((texte, ident),) = sommaire.sections(corps)
    md = convertisseur_des_pages(titres.extension(), en_ligne.extension())
    (h2,) = lhtml.fragment_fromstring(md.convert(corps + "\n\n[^1]: a\n[^2]: b\n"), create_parent="div").iter("h2")
    assert (texte, ident) == ("Stratégie", h2.get("id")), (texte, ident, h2.get("id"))


def test_a_section_holding_brackets_is_cited_and_a_citation_inside_prose_brackets_too(guide):
    """« (Étude 2019, Champ d'action #4 (2019) — … — Zoom sur …) », a section's title copied from a `sources` entry, was
    printed as text on Rennes Métropole's page (content QA): a section may hold one level of brackets. Prose brackets
    around a citation keep their words, and the citation inside is a note."""
    from guide.modele.parentheses import citations, noms_courts
    from guide.rendu.notes import Notes
    section = "Champ d'action #4 (2019) — Développement de la R&D sociale — Zoom sur Rennes"
    notes = Notes()
    texte = notes.annoter(f"Trente actions (Étude 2019, {section} ; Étude 2021, p. 54-57). Vu (voir sa fiche (Étude 2019, "
                          "fiche Rennes)) et (une parenthèse (sans source)).", guide.publications)
    assert texte == ('Trente actions[^1]<sup class="guide-appels">,</sup>[^2]. Vu (voir sa fiche[^3]) et '
                     "(une parenthèse (sans source)).")
    assert [n.citation for n in notes.liste] == [
        {"publication": "avise-2019", "section": section}, {"publication": "avise-2021", "page": "54-57"},
        {"publication": "avise-2019", "section": "fiche Rennes"}]
    # the validator reads the same citations, at the same places
    lus = [(texte[d:d + len(c)], [x.get("section", x.get("page")) for x in cs])
           for texte in ["Vu (voir (Étude 2019, fiche Rennes)) (Étude 2019, A (2019) — B)"]
           for d, c, cs in citations(texte, noms_courts(guide.publications))]
    assert lus == [("Étude 2019, fiche Rennes", ["fiche Rennes"]), ("Étude 2019, A (2019) — B", ["A (2019) — B"])]


def test_the_same_pages_cited_with_and_without_a_section_are_two_notes():
    """« Étude 2021, p. 32-36 » beside « …, p. 32-36, « …monnaies locales » » were one note, with the section (reader QA:
    47 pages gave both side by side): the facts cited by their pages alone were then placed in a section their fiche
    never gave (editor QA: « p. 4 » shown as « p. 4, « Article 3 » »; a fresh check: a champ's general sentences
    numbered with a territory's zoom of the same pages). Each citation is its own note, as written."""
    from guide.rendu.notes import Notes
    notes = Notes()
    assert notes.appel([{"publication": "p", "page": "32-36"}]) == [1]
    assert notes.appel([{"publication": "p", "page": "32-36", "section": "Focus"}]) == [2]
    assert notes.appel([{"publication": "p", "page": "32-36"}, {"publication": "p", "page": "32-36", "section": "Focus"}]) == [1, 2]
    assert [n.citation for n in notes.liste] == [{"publication": "p", "page": "32-36"},
                                                 {"publication": "p", "page": "32-36", "section": "Focus"}]
    assert notes.en_notes([{"publication": "p", "page": "32-36"}, {"publication": "p", "page": "7"}]) == [True, False]
    # a section written with or without its capital is one place (a champ page had both as two notes)
    assert notes.appel([{"publication": "p", "section": "Tableau de synthèse"}, {"publication": "p", "section": "tableau de  synthèse"}]) == [3]


def _citations(donnee):
    """Every citation written in a fiche's data (its sources, its actions', its figures')."""
    if isinstance(donnee, dict):
        if "publication" in donnee:
            yield donnee
        for valeur in donnee.values():
            yield from _citations(valeur)
    elif isinstance(donnee, list):
        for valeur in donnee:
            yield from _citations(valeur)


def test_a_fact_cited_by_its_pages_alone_is_not_placed_in_a_section(site_dir, guide):
    """Where a territory fiche's facts cite some pages alone (in their data, or in brackets in its body or an action's
    summary) and the same pages with a section, its page has a note of the pages alone: Cirest's « (Étude 2021,
    p. 58-63) » was numbered « …, « …Agglomérations et communes » », one of the two sections its fiche cites there."""
    import yaml
    from guide.modele import parentheses
    noms = parentheses.noms_courts(guide.publications)
    vus = 0
    for slug in guide.territoires:
        texte = (ROOT / "fiches" / "territoires" / f"{slug}.md").read_text(encoding="utf-8")
        donnees = yaml.safe_load(texte.split("\n---")[0])
        donnees.pop("sources", None)  # the publications the fiche is drawn from: listed, not numbered
        citations = list(_citations(donnees))
        annotes = [texte.split("\n---", 1)[1], *(str(a.get("resume", "")) for a in donnees.get("actions") or [])]
        citations += [c for t in annotes for _, _, parts in parentheses.citations(t, noms) for c in parts]
        seules = {(c["publication"], str(c["page"])) for c in citations if "page" in c and "section" not in c}
        avec = {(c["publication"], str(c["page"])) for c in citations if "page" in c and "section" in c}
        if not seules & avec:
            continue
        notes = [" ".join(texte_de_note(li).split())
                 for li in page(site_dir, f"territoires/{slug}").xpath(".//div[contains(@class, 'footnote')]//li")]
        for publication, pages in seules & avec:
            nom = guide.publications[publication].get("edition") or guide.publications[publication]["titre"]
            assert f"{nom}, p. {pages}" in notes, (slug, pages, notes)
            vus += 1
    assert vus >= 5, vus  # the real fiches give such pages on about thirty territory pages


def test_no_note_quotes_its_section_twice(site_dir, guide):
    doubles = [f"{url}: {squash(li.text_content())[:120]}" for url in fiche_pages(guide)
               for li in page(site_dir, url).xpath(".//div[contains(@class, 'footnote')]//li")
               if re.search(r"«\s*«", li.text_content())]  # (« … Encadré « X » » is a quote in a quote)
    assert not doubles, doubles[:5]


def test_no_page_gives_one_place_of_a_source_as_two_notes(site_dir, guide):
    """A citation in a fiche's text (« (Pages RTES, Page RTES Metz — …) ») and one in its header must name a section
    alike, or the page numbers one place twice: eight fiches of the RTES pages had « Meurthe-et-Moselle — Budget
    consacré à l'ESS » beside « Page RTES Meurthe-et-Moselle — Budget consacré à l'ESS » (reader QA). Two notes of a
    page never differ only by a publication's name written again at the start of the section."""
    noms = {str(n) for p in guide.publications.values() for n in [p.get("edition", ""), *(p.get("appellations") or [])] if n}
    doubles = []
    for url in fiche_pages(guide):
        notes = {" ".join(texte_de_note(li).split())
                 for li in page(site_dir, url).xpath(".//div[contains(@class, 'footnote')]//li")}
        for note in notes:
            for nom in noms:
                if f"« {nom} " in note and note.replace(f"« {nom} ", "« ", 1) in notes:
                    doubles.append(f"{url}: {note}")
    assert not doubles, doubles[:5]


# ------------------------------------------------------------------------------------------ raw markup (issue 25)

# What Markdown's attribute lists look like when one is printed instead of read: `{: .guide-chapeau }`,
# `{ #ancre }`, `{ .classe }`, `{ data-search-exclude }`.
RAW_ATTRIBUTE_LIST = re.compile(r"\{:|\{ ?#[\w-]|\{ ?\.[\w-]+ ?\}|\{ ?data-[\w-]")


def visible_text(path: Path) -> str:
    tree = html.parse(str(path))
    for hidden in tree.xpath("//script|//style|//template|//code|//pre|//textarea|//head"):
        hidden.drop_tree()
    body = tree.xpath("//body")
    return body[0].text_content() if body else ""


def test_no_page_shows_markdown_attribute_lists_as_text(site_dir):
    pages = sorted(site_dir.rglob("*.html"))
    assert len(pages) > 100
    found = []
    for path in pages:
        for m in RAW_ATTRIBUTE_LIST.finditer(visible_text(path)):
            text = visible_text(path)
            found.append(f"{path.relative_to(site_dir)}: …{squash(text[max(0, m.start() - 40):m.end() + 30])}…")
    assert not found, found[:10]



def test_no_paragraph_runs_a_list_on_as_its_text(site_dir, guide):
    """A list written right after a paragraph without a blank line reads « …services. - Inciter… - Placer… » (found
    on 15 territory pages: the programme's points after its text)."""
    found = []
    for path in sorted(site_dir.rglob("*.html")):
        for p in html.parse(str(path)).getroot().iter("p"):
            text = p.text_content()
            if re.search(r"\n\s*(?:[-*+]|\d+\.) \S", text):
                found.append(f"{path.relative_to(site_dir)}: {squash(text)[:120]}")
    assert not found, found[:10]
    with_points = [t for t in guide.territoires.values() if any(p.get("points") for p in t.data.get("programme", []))]
    assert with_points
    for t in with_points:
        tree = html.parse(str(site_dir / "territoires" / t.slug / "index.html")).getroot()
        items = [squash(li.text_content()) for li in tree.iter("li")]
        for p in t.data["programme"]:
            for point in p.get("points", []):
                assert any(item.startswith(squash(typographier(point))[:40]) for item in items), (t.slug, point)

# ------------------------------------------------------------------------------------- bearings (issue 25)

def test_fiche_pages_open_with_the_list_of_their_sections(site_dir, guide):
    """« Sur cette page » after the opening block: every h2 of the page but the notes, in order, each link
    landing on its heading; the actions counted."""
    for url in fiche_pages(guide):
        art = page(site_dir, url)
        headings = [(squash(h.text_content()), h.get("id")) for h in art.xpath(".//h2") if h.get("id") != "notes"]
        navs = art.xpath(".//nav[contains(@class, 'guide-sur-cette-page')]")
        if len(headings) < 3:
            assert not navs, url
            continue
        assert len(navs) == 1, url
        nav = navs[0]
        assert nav.get("aria-label") == "Sur cette page"
        blocks = blocks_after_title(art)
        assert nav in blocks[:3], f"{url}: « Sur cette page » n'ouvre pas la page"
        links = [(squash(a.text_content()), a.get("href")) for a in nav.xpath(".//a")]
        assert links == [(text, f"#{ident}") for text, ident in headings], url
        if url.startswith("territoires/"):
            terr = guide.territoires[url.split("/")[1]]
            item = nav.xpath(".//a[@href='#actions-par-champ-daction']/..")[0]
            assert squash(item.text_content()).endswith(f"({len(terr.toutes_actions)})"), url


def test_territory_actions_are_folded_by_champ_under_their_count_and_titles(site_dir, guide):
    for terr in guide.territoires.values():
        art = page(site_dir, f"territoires/{terr.slug}")
        for action in terr.actions:
            heading = art.xpath(f".//h4[@id='{action.ancre}']")
            assert heading, (terr.slug, action.ancre)
            fold = heading[0].xpath("ancestor::details[1]")
            assert fold and fold[0].get("open") is None, (terr.slug, action.ancre)
            summary = squash(fold[0].xpath("./summary")[0].text_content())
            ancres = fold[0].xpath(".//h4/@id")
            count = len(ancres)
            # a fold of mentions only says so, and a fold of both says how many are mentions (reader QA: « 1 action »
            # under Toulouse's « Foncier et tiers-lieux », which « Cité en passant » names)
            mentions = sum(1 for a in terr.actions if a.ancre in ancres and a.mention)
            if mentions == count:
                attendu = f"{count} mention{'s' if count > 1 else ''}"
            else:
                attendu = f"{count} action{'s' if count > 1 else ''}" + (
                    f", dont {mentions} mention{'s' if mentions > 1 else ''}" if mentions else "")
            assert re.match(re.escape(attendu) + "\u202f:", summary), (summary, attendu)
            assert typographier(squash(action.data["titre"])) in summary, (summary, action.data["titre"])
            champ_heading = fold[0].xpath("preceding-sibling::*[1]")[0]
            assert champ_heading.tag == "h3" and champ_heading.xpath("./a[contains(@href, '/champs/')]"), terr.slug


def test_territory_figures_come_before_the_actions(site_dir, guide):
    for terr in guide.territoires.values():
        if "panorama" not in terr.data:
            continue
        ids = [h.get("id") for h in page(site_dir, f"territoires/{terr.slug}").xpath(".//h2")]
        assert ids.index("panorama-de-less") < ids.index("actions-par-champ-daction"), terr.slug


def test_long_tables_of_a_territory_are_folded_with_their_count(site_dir, guide):
    folded = 0
    for terr in guide.territoires.values():
        # (« Élus et services » opens with a sentence on what it gives: its table or fold comes second)
        for key, ident, rang in (("chronologie", "dates-cles", 1), ("contacts", "elus-et-services", 2)):
            rows = terr.data.get(key, [])
            if not rows:
                continue
            after = page(site_dir, f"territoires/{terr.slug}").xpath(f".//h2[@id='{ident}']/following-sibling::*[{rang}]")[0]
            if len(rows) > 6:
                assert after.tag == "details" and str(len(rows)) in after.xpath("./summary")[0].text_content()
                assert len(after.xpath(".//tbody/tr")) == len(rows)
                folded += 1
            else:
                assert after.tag == "table", (terr.slug, key)
    assert folded


def test_a_budget_line_s_note_is_read_on_its_line(site_dir, guide):
    """« Pour mémoire : convention avec France Active Lorraine : 140 000 € » read as part of the ESS budget: that the
    page does not count it there was only among the folded notes at the foot of the page (reader QA). A budget
    line's note is on its line, once."""
    vus = 0
    for terr in guide.territoires.values():
        for b in terr.data.get("budget", []):
            if "note" not in b:
                continue
            vus += 1
            debut = " ".join(b["note"].split())[:40]
            doc = page(site_dir, f"territoires/{terr.slug}")
            lignes = [li for li in doc.xpath(".//h2[@id='budget-et-moyens']/following-sibling::ul[1]/li")
                      if " ".join(li.xpath("./strong")[0].text_content().split()) == " ".join(b["libelle"].split())]
            assert lignes and debut in " ".join(lignes[0].text_content().split()), (terr.slug, b["libelle"])
            notes = doc.xpath(".//details[contains(@class, 'guide-notes-sources')]")
            assert not notes or debut not in " ".join(notes[0].text_content().split()), (terr.slug, b["libelle"])
    assert vus


def test_a_contact_s_note_call_ends_a_cell_that_holds_text(site_dir, guide):
    """Haguenau's chargée de mission, named with neither function nor service, showed a third cell holding only the
    note call « 9 », read as the value (reader QA on a phone): every note call of « Élus et services » follows text
    of its own cell, and each contact's row has one."""
    vus = 0
    for terr in guide.territoires.values():
        if not terr.data.get("contacts"):
            continue
        doc = page(site_dir, f"territoires/{terr.slug}")
        lignes = doc.xpath(".//h2[@id='elus-et-services']/following-sibling::*[2]//tbody/tr")
        assert len(lignes) == len(terr.data["contacts"]), terr.slug
        for ligne, contact in zip(lignes, terr.data["contacts"]):
            appels = ligne.xpath(".//sup[contains(@id, 'fnref')]")
            assert appels, (terr.slug, contact.get("nom"))
            for appel in appels:
                cellule = appel.xpath("ancestor::td[1]")[0]
                texte = "".join(t for t in cellule.xpath(".//text()[not(ancestor::sup)]")).strip()
                assert texte, (terr.slug, contact.get("nom"), "appel de note seul dans sa cellule")
            vus += "fonction" not in contact and "service" not in contact and "annee" not in contact
    assert vus


def test_a_territory_page_says_when_its_sources_name_no_one_to_contact(site_dir, guide):
    """« Élus et services » is on every territory page: a reader looking for whom to call learns that the sources name
    no one, rather than finding no such section (reader QA: 79 of 110 pages), or why no address is given."""
    sans = 0
    for terr in guide.territoires.values():
        suite = page(site_dir, f"territoires/{terr.slug}").xpath(".//h2[@id='elus-et-services']/following-sibling::*[1]")
        assert suite, terr.slug
        if not terr.data.get("contacts"):
            sans += 1
            assert suite[0].tag == "p" and "ne donnent ni le nom d'un élu ni l'intitulé d'un service" in suite[0].text_content(), terr.slug
        else:
            # …and, where they name some, why the guide gives no address or number to call them (métropole agent's QA:
            # only the contributors' guide said it), with the way to the territory's website where it has one
            assert suite[0].tag == "p" and "ne publie ni adresse électronique ni numéro de téléphone" in " ".join(suite[0].text_content().split()), terr.slug
            assert bool(suite[0].xpath(".//a[@href='#carte-didentite']")) == ("site_web" in terr.data.get("identite", {})), terr.slug
    assert sans


# ------------------------------------------------------------------------------- finder and comparables (issue 25)

def test_territory_index_lists_by_region_then_name_and_prints_apart(site_dir, guide):
    tree = html.parse(str(site_dir / "territoires" / "index.html"))
    rows = tree.xpath("//table[@id='guide-territoires']/tbody/tr")
    expected = [t.slug for _, members in guide.par_region() for t in sorted(members, key=lambda t: t.cle_tri)]
    assert [r.xpath("./th/a/@href")[0].strip("/").split("/")[-1] for r in rows] == expected
    assert "classées par région" in tree.xpath("//article")[0].text_content()
    # the region print links come after the list, under their own heading, not among the filters
    prints = tree.xpath("//section[contains(@class, 'guide-imprimer-regions')]")
    assert len(prints) == 1 and prints[0].xpath("./h2")
    assert prints[0].xpath("preceding::table[@id='guide-territoires']") and not prints[0].xpath(
        "following::form[@id='guide-filtres']")
    # …and a line before the filters says where they are: a reader about to print a region met the page's own
    # « Imprimer » first and printed the list (print QA). Screen only, as every print action.
    avant = tree.xpath("//form[@id='guide-filtres']/preceding::a[@href='#imprimer-regions']")
    assert len(avant) == 1 and avant[0].getparent().get("class") == "guide-imprimer-section"
    assert prints[0].xpath("./h2/@id") == ["imprimer-regions"]
    members = {r.get("data-nom") for r in rows if r.get("data-rtes") == "membre"}
    assert members == {t.cle_tri for t in guide.territoires.values() if "rtes" in t.data} and members
    # Each row names its champs in the guide's order, the one its page and the filters use (they were in the order
    # of their identifiers: « Coopération territoriale, Accompagnement et financement, Foncier… »).
    ordre = [c.titre_court for c in guide.champs.values()]
    for r in rows:
        cellule = r.xpath("./td[@data-libelle=\"Champs d'action\"]")[0].text_content().replace("\u202f", " ")
        agis, _, cites = cellule.partition("cité en passant : ")
        agis, cites = ([n for n in partie.strip().rstrip(";").strip().split(", ") if n] for partie in (agis, cites))
        assert agis == sorted(agis, key=ordre.index) and cites == sorted(cites, key=ordre.index), cellule
        assert {guide.champs[s].titre_court for s in r.get("data-champs").split()} == set(agis) | set(cites)
        # the champs where it is only cited are said apart, as on its page
        terr = guide.territoires[r.xpath("./th/a/@href")[0].strip("/").split("/")[-1]]
        assert set(agis) == {guide.champs[s].titre_court for s in agit_dans(terr)}, cellule
        # …and its count of actions says how many are mentions (phone QA: Bondy's « 2 » beside champs where it is
        # only cited in passing)
        actions = terr.actions + terr.actions_partagees
        m = sum(a.data.get("nature") == "mention" for a in actions)
        compte = squash(r.xpath("./td[@data-libelle='Actions']")[0].text_content())
        assert compte == (f"{len(actions)} (dont {m} mention{'s' if m > 1 else ''})" if m else str(len(actions))), compte


def test_territory_pages_list_comparable_territories(site_dir, guide):
    from guide.sorties.export import tranche
    listed_somewhere = 0
    for terr in guide.territoires.values():
        art = page(site_dir, f"territoires/{terr.slug}")
        heading = art.xpath(".//h2[@id='territoires-comparables']")
        # Only the champs it acts in: Bondy, Bagnolet and Bobigny, only cited in two champs, were each other's
        # comparables (fact-checker QA).
        mine = agit_dans(terr)
        band = tranche(terr)[0]

        def common(other):
            return [c for c in guide.champs.values() if c.slug in mine and c.slug in agit_dans(other)]
        candidates = [o for o in guide.territoires.values() if o is not terr and o.data["type"] == terr.data["type"]
                      and band != "non-renseignee" and tranche(o)[0] == band and common(o)]
        if not candidates:
            # said, with the finder's lists to compare with (reader QA: the section was missing from 56 pages)
            (phrase,) = heading[0].xpath("following-sibling::p[1]")
            # …and a territory only cited acts in no champ: said so, not that no other acts in one of its champs, which
            # the finder's list of its size contradicted (reader QA: Thiers and Clapiers)
            debut = "Aucun autre territoire du guide" if mine else "Les publications ne font que citer ce territoire"
            assert squash(phrase.text_content()).startswith(debut), terr.slug
            liens = phrase.xpath(".//a/@href")
            assert liens[0].endswith(f"/?type={terr.data['type']}"), liens
            assert (len(liens) == 2 and liens[1].endswith(f"/?population={band}")) or band == "non-renseignee", liens
            assert not heading[0].xpath("following-sibling::ul"), terr.slug
            continue
        items = heading[0].xpath("following-sibling::ul[1]/li")
        shown = [guide.territoires[li.xpath("./a/@href")[0].strip("/").split("/")[-1]] for li in items]
        assert 1 <= len(shown) <= 5 and len(shown) == min(5, len(candidates)), terr.slug
        counts = [len(common(o)) for o in shown]
        assert counts == sorted(counts, reverse=True), terr.slug
        for other, li in zip(shown, items):
            assert other in candidates, (terr.slug, other.slug)
            n = len(common(other))
            assert f"{n} champ{'s' if n > 1 else ''} d'action en commun" in squash(li.text_content()), li.text_content()
            # …named: « 1 champ d'action en commun » did not say which (tablet QA)
            noms = ", ".join(squash(typographier(c.titre_court)) for c in common(other))
            assert squash(li.text_content()).endswith(f"en commun ({noms})"), li.text_content()
        # nobody left out who shares more champs than the last one shown
        assert all(len(common(o)) <= counts[-1] for o in candidates if o not in shown), terr.slug
        # the band says whose population sets it: Tours' page gave 293 123 inhabitants from the study and « de 300 000
        # à 1 million », the official figure's band (fact-checker QA)
        phrase = squash(heading[0].xpath("following-sibling::p[1]")[0].text_content())
        officielle = terr.officiel is not None and terr.officiel.population is not None
        assert ("selon la population officielle" in phrase) == officielle, (terr.slug, phrase)
        listed_somewhere += 1
    # (a territory only cited, in mentions, acts in no champ and has none: half of the pages list some)
    assert listed_somewhere > len(guide.territoires) // 3


def test_acronyms_of_another_language_are_marked_with_it_wherever_they_appear(site_dir):
    """`langue: en` in fiches/sigles.yaml: each occurrence in a page's text is inside `lang="en"` (a screen
    reader says « SROI » in English), and its first is explained in French (`abbr title`). The short contents
    « Sur cette page » (plain links to the headings) are left out."""
    import yaml
    sigles = yaml.safe_load((ROOT / "fiches" / "sigles.yaml").read_text(encoding="utf-8"))["sigles"]
    langues = {s["sigle"]: s["langue"] for s in sigles if s.get("langue")}
    assert langues
    word = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, langues)) + r")(?![\w-])")
    seen, unmarked = 0, []
    for path in sorted(site_dir.rglob("index.html")):
        if path.relative_to(site_dir).parts[0] in ("admin", "imprimer"):
            continue
        articles = html.parse(str(path)).xpath("//article")
        if not articles:
            continue
        for el in articles[0].iter():
            if not isinstance(el.tag, str) or el.tag in ("code", "pre", "script", "style") or el.xpath(
                    "ancestor::nav|ancestor::code|ancestor::pre"):
                continue
            for text, holder in ((el.text, el), (el.tail, el.getparent())):
                for m in word.finditer(text or ""):
                    seen += 1
                    lang = holder.xpath("ancestor-or-self::*[@lang][1]/@lang")
                    if not lang or lang[0] != langues[m.group(1)]:
                        unmarked.append(f"{path.relative_to(site_dir)}: {m.group(1)}")
        for abbr in articles[0].xpath(".//abbr[span[@lang]]"):
            assert abbr.get("title") and abbr.xpath("./span")[0].text in langues
    assert seen and not unmarked, unmarked[:10]


def test_a_champs_key_figures_are_said_to_be_as_of_their_publication(site_dir, guide):
    """« Seuil des marchés négociés sans publicité… (article R2122-8) : 40 000 € », its year empty, read as today's
    threshold (département agent's QA): the legal references said the law may have changed, the key figures did not.
    Each table of key figures follows a sentence that says so, and what an empty year means; a year column that no
    row fills is left out (économie circulaire's was empty on every row: métropole agent's QA)."""
    vus = sans_annee = 0
    for champ in guide.champs.values():
        if not champ.data.get("chiffres_cles"):
            continue
        article = page(site_dir, f"champs/{champ.slug}")
        titre = article.xpath(".//h2[@id='chiffres-cles']")
        assert len(titre) == 1, champ.slug
        phrase, tableau = titre[0].getnext(), titre[0].getnext().getnext()
        assert phrase.tag == "p" and tableau.tag == "table", (champ.slug, phrase.tag, tableau.tag)
        assert "a pu changer depuis" in phrase.text_content(), champ.slug
        assert len(tableau.xpath(".//tbody/tr")) == len(champ.data["chiffres_cles"]), champ.slug
        # the year's column when a row has one, and then what an empty year means; none that no row fills
        datees = [k for k in champ.data["chiffres_cles"] if "annee" in k]
        assert [th.text_content() for th in tableau.xpath(".//thead//th")] == (
            ["Indicateur", "Valeur", "Année"] if datees else ["Indicateur", "Valeur"]), champ.slug
        assert ("l'année manque" in phrase.text_content()) == bool(datees), champ.slug
        sans_annee += not datees
        vus += 1
    assert vus >= 5 and sans_annee, (vus, sans_annee)


def test_every_champ_page_says_what_legal_texts_its_sources_give(site_dir, guide):
    """The home page promises each lever « avec leur base juridique »; three champ pages had no section of legal
    references, and a reader could not tell an omission from sources that cite none (Département agent QA). Each
    champ page has the section: its table, or a sentence saying the sources cite none, with the common frame."""
    sans = 0
    for champ in guide.champs.values():
        article = page(site_dir, f"champs/{champ.slug}")
        titre = article.xpath(".//h2[@id='references-juridiques-et-reglementaires']")
        assert len(titre) == 1, champ.slug
        suite = titre[0].getnext()
        if champ.data.get("references"):
            assert len(article.xpath(".//div[contains(@class, 'guide-references')]//tbody/tr")) == len(champ.data["references"])
        else:
            sans += 1
            assert "ne citent pas de texte juridique propre à ce champ" in squash(suite.text_content()), champ.slug
            assert suite.xpath(".//a/@href") == ["../../etude/definition/"], champ.slug
    assert sans, "aucun champ sans référence : la phrase qui le dit n'est pas vérifiée"


def test_contacts_tables_have_a_name_column_only_where_a_source_names_someone(site_dir, guide):
    """Bordeaux Métropole's « Élue référente ESS » row had an empty « Nom » cell, a third of a phone's width (reader QA)."""
    vus = {True: 0, False: 0}
    for terr in guide.territoires.values():
        contacts = terr.data.get("contacts")
        if not contacts:
            continue
        art = page(site_dir, f"territoires/{terr.slug}")
        (table,) = art.xpath(".//h2[@id='elus-et-services']/following::table[1]")
        entetes = [squash(th.text_content()) for th in table.xpath(".//th")]
        nomme = any("nom" in c for c in contacts)
        assert entetes == (["Rôle", "Nom", "Fonction ou service"] if nomme else ["Rôle", "Fonction ou service"]), terr.slug
        if nomme:
            noms = [squash(tr.xpath("./td")[1].text_content()) for tr in table.xpath(".//tbody/tr")]
            assert [n for n in noms if n], terr.slug
        vus[nomme] += 1
    assert vus[True] and vus[False], vus


def test_the_printed_line_keeps_each_date_on_one_line(site_dir, guide):
    """« fiche mise à jour le 6 ⏎ décembre 2026 » (print QA): the dates of the line printed under a title hold no
    breaking space."""
    dates = []
    for terr in list(guide.territoires.values())[:20]:
        art = page(site_dir, f"territoires/{terr.slug}")
        (ligne,) = art.xpath(".//p[contains(@class, 'guide-impression-ligne')]")
        dates += re.findall(r"(?:mise à jour le|version du) (.+?) ·", ligne.text_content())
    assert len(dates) >= 20 and all(re.fullmatch(r"\d+(?:er)?\u00a0\w+\u00a0\d{4}", d) for d in dates), dates


def test_a_champ_page_says_its_shared_actions_are_listed_under_each_territory(site_dir, guide):
    """« 12 actions … dans 21 territoires » over a list of 23 lines read as a miscount (reader QA: alimentation durable,
    one mention shared by ten territories): the count of shared actions is given with where they are listed."""
    vus = 0
    for champ in guide.champs.values():
        partagees = [a for a in champ.actions if a.coporteurs]
        texte = squash(page(site_dir, f"champs/{champ.slug}").text_content())
        phrase = "que plusieurs territoires partagent"
        if partagees:
            assert f"{phrase} ({len(partagees)})" in texte, champ.slug
            vus += 1
        else:
            assert phrase not in texte, champ.slug
        # A paragraph of its own after the count: « … dans 25 territoires.Chaque action est décrite… » on all 16 pages
        # (reader QA: a template comment ate the blank line between them).
        (decrite,) = [p for p in page(site_dir, f"champs/{champ.slug}").iter("p")
                      if "Chaque action est décrite" in p.text_content()]
        assert decrite.text_content().startswith("Chaque action est décrite"), champ.slug
    assert vus


def test_the_links_back_of_a_note_called_several_times_are_numbered(site_dir, browser, served):
    """A champ page's note 7 ended with 22 links back, each « ↩ » and titled the same (reader QA on a phone): each is
    numbered in the order of the calls, named for the call it returns to, and its number shows beside Material's
    icon (its text is drawn at size 0)."""
    vus = 0
    for chemin in sorted(site_dir.glob("champs/*/index.html")):
        for li in html.parse(str(chemin)).xpath("//div[contains(@class, 'footnote')]//li"):
            retours = li.xpath(".//a[contains(@class, 'footnote-backref')]")
            if len(retours) < 2:
                assert not li.xpath(".//a[contains(@class, 'footnote-backref')]/sup"), chemin
                continue
            vus += 1
            assert [a.xpath("string(sup)") for a in retours] == [str(n) for n in range(1, len(retours) + 1)], chemin
            assert len({a.get("title") for a in retours}) == len(retours), chemin
            assert [a.get("href") for a in retours] == [f"#{li.get('id').replace('fn', 'fnref' + (str(n) if n > 1 else ''), 1)}"
                                                        for n in range(1, len(retours) + 1)], chemin
    assert vus
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    pg = context.new_page()
    pg.goto(served + "/champs/achats-responsables/")
    tailles = pg.locator(".footnote .footnote-backref sup").evaluate_all(
        "els => els.map(e => [parseFloat(getComputedStyle(e).fontSize), e.getBoundingClientRect().width])")
    context.close()
    assert tailles and all(taille >= 8 and largeur > 0 for taille, largeur in tailles), tailles[:5]


def test_no_paragraph_holds_only_note_calls(site_dir):
    """A box whose text ends with a table printed its source call alone under it, « 9 » on a line, then half a sheet
    blank (reader QA): calls follow the words they source, or a « Source » that names them."""
    seules = []
    for path in site_dir.rglob("*.html"):
        for p in html.parse(str(path)).xpath("//article//p[sup[contains(@id, 'fnref')]]"):
            if not re.sub(r"[\d,\s]", "", p.text_content()):
                seules.append(f"{path.relative_to(site_dir)}: {html.tostring(p, encoding='unicode')[:160]}")
    assert not seules, seules[:5]
