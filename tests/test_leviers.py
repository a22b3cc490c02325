"""Levers as data: the levers of each champ, the actions that name them, and where readers meet them.

Validation (a temporary project): an action's lever must exist, belong to one of its champs and be named once;
an id names one lever in the whole guide. The real built site: every lever has its anchor and its « Qui le fait »
list with every territory its tagged actions name (carriers and co-carriers), computed from the fiches; the
adopters the seeds list for the SPASER are all there; the matrix, the finder, search and the open data carry levers.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fiches_essai
from guide import build_guide, load_all
from guide.sorties import export

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

CHAMP_AVEC_LEVIERS = """---
titre: Champ à leviers
famille: levier
numero: 2
resume: Un résumé.
leviers:
  - id: levier-un
    titre: Levier un
    texte: Le premier levier.
    sources:
      - {publication: pub-essai, page: 3}
  - id: levier-deux
    titre: Levier deux
    texte: Le second levier.
    sources:
      - {publication: pub-essai, page: 3}
sources:
  - {publication: pub-essai, page: 3}
---

Synthèse.
"""

AUTRE_CHAMP = CHAMP_AVEC_LEVIERS.replace("numero: 2", "numero: 3").replace("levier-un", "levier-ailleurs") \
    .replace("levier-deux", "levier-ailleurs-bis").replace("Champ à leviers", "Autre champ")

TERRITOIRE = """---
nom: Ville d'Essai
type: commune
region: Bretagne
sources:
  - {{publication: pub-essai, page: 4}}
actions:
  - titre: Une action
    champs: [champ-leviers]
    leviers: {leviers}
    resume: Ce que fait la ville.
    coporteurs: [autre-ville]
    sources:
      - {{publication: pub-essai, section: Zoom}}
---
"""

AUTRE_VILLE = """---
nom: Autre Ville
type: commune
region: Bretagne
sources:
  - {publication: pub-essai, page: 4}
---
"""


def projet(root: Path, leviers: str) -> Path:
    fiches_essai.projet(root, "champ-essai", "Champ d'essai", {
        "ville-d-essai.md": TERRITOIRE.format(leviers=leviers), "autre-ville.md": AUTRE_VILLE})
    (root / "fiches" / "champs" / "champ-leviers.md").write_text(CHAMP_AVEC_LEVIERS, encoding="utf-8")
    (root / "fiches" / "champs" / "autre-champ.md").write_text(AUTRE_CHAMP, encoding="utf-8")
    return root


def erreurs(root: Path) -> list:
    _, _, errors = load_all(root)
    return errors


def test_tagged_action_joins_its_lever_with_carrier_and_co_carrier(tmp_path):
    guide = build_guide(projet(tmp_path, "[levier-deux]"))
    levier = guide.leviers["levier-deux"]
    assert levier.champ.slug == "champ-leviers" and [a.data["titre"] for a in levier.actions] == ["Une action"]
    assert [t.slug for t in levier.territoires] == ["autre-ville", "ville-d-essai"]
    assert guide.leviers["levier-un"].actions == []
    assert [l.id for l in guide.territoires["autre-ville"].leviers] == ["levier-deux"]


def test_unknown_lever_is_refused_with_file_line_field(tmp_path):
    (error,) = erreurs(projet(tmp_path, "[levier-trois]"))
    assert error.path == "fiches/territoires/ville-d-essai.md" and error.line == 10
    assert error.field == "actions[0].leviers[0]" and "levier « levier-trois » inconnu" in error.message
    assert "levier-deux" in error.message and "levier-un" in error.message  # what the action may name instead
    assert "action n° 1, levier n° 1" in str(error)


def test_lever_of_a_champ_the_action_is_not_in_is_refused(tmp_path):
    (error,) = erreurs(projet(tmp_path, "[levier-un, levier-ailleurs]"))
    assert error.field == "actions[0].leviers[1]" and error.line == 10
    assert "appartient au champ « autre-champ »" in error.message and "champ-leviers" in error.message


def test_a_lever_id_a_champ_writes_wrong_is_never_suggested(tmp_path):
    """A champ's lever renamed « id: Levier Trois » (refused there) was suggested to the fiches citing « levier-trois »:
    « Vouliez-vous dire « Levier Trois » ? », an id no fiche may write (editor QA)."""
    root = projet(tmp_path, "[levier-trois]")
    champ = root / "fiches" / "champs" / "champ-leviers.md"
    champ.write_text(champ.read_text(encoding="utf-8").replace("id: levier-deux", "id: Levier Trois"), encoding="utf-8")
    messages = [e.message for e in erreurs(root) if e.path.endswith("ville-d-essai.md")]
    assert messages and not any("Levier Trois" in m for m in messages), messages


def test_a_lever_under_a_champ_without_levers_is_refused(tmp_path):
    """« champs: [maillage-territorial] » (a champ that declares no lever) with « leviers: [ptce] » was published: the
    action counted under a lever of a champ it is not in (editor QA)."""
    root = projet(tmp_path, "[levier-deux]")
    fiche = root / "fiches" / "territoires" / "ville-d-essai.md"
    fiche.write_text(fiche.read_text(encoding="utf-8").replace("champs: [champ-leviers]", "champs: [champ-essai]"),
                     encoding="utf-8")
    (error,) = erreurs(root)
    assert error.field == "actions[0].leviers[0]" and "appartient au champ « champ-leviers »" in error.message
    assert "(champ-essai)" in error.message and error.message.endswith(": aucun.")


@pytest.mark.parametrize("champs", ["[]", "[champ-levier]"])
def test_an_action_without_a_known_champ_is_told_so_once(tmp_path, champs):
    """« champs: [] » with a lever also said the lever was « in no champ of this action () … choose one of its
    champs' levers: aucun » (editor QA): the champs' own error says it, once."""
    root = projet(tmp_path, "[levier-deux]")
    fiche = root / "fiches" / "territoires" / "ville-d-essai.md"
    fiche.write_text(fiche.read_text(encoding="utf-8").replace("champs: [champ-leviers]", f"champs: {champs}"),
                     encoding="utf-8")
    errors = erreurs(root)
    assert errors and all(e.field and e.field.startswith("actions[0].champs") for e in errors), errors


def test_an_unknown_lever_of_an_action_whose_champ_is_misspelt_does_not_blame_the_champs(tmp_path):
    """« champs: [achats responsables] » and an unknown lever: « ces champs ne déclarent pas de leviers » was false, the
    champ was misspelt (editor QA)."""
    root = projet(tmp_path, "[levier-trois]")
    fiche = root / "fiches" / "territoires" / "ville-d-essai.md"
    fiche.write_text(fiche.read_text(encoding="utf-8").replace("champs: [champ-leviers]", "champs: [champ leviers]"),
                     encoding="utf-8")
    (levier,) = [e for e in erreurs(root) if e.field == "actions[0].leviers[0]"]
    assert "ne déclarent pas" not in levier.message and "n'est pas un champ du guide" in levier.message, levier.message


def test_lever_named_twice_is_refused(tmp_path):
    (error,) = erreurs(projet(tmp_path, "[levier-un, levier-un]"))
    assert error.field == "actions[0].leviers[1]" and "cité deux fois" in error.message


def test_lever_id_defined_in_two_champs_is_refused(tmp_path):
    root = projet(tmp_path, "[levier-un]")
    (root / "fiches" / "champs" / "autre-champ.md").write_text(AUTRE_CHAMP.replace("levier-ailleurs-bis", "levier-un"),
                                                               encoding="utf-8")
    (error,) = erreurs(root)  # one error, on the second fiche defining it; the action citing it waits for the fix
    files = {"fiches/champs/autre-champ.md": ("leviers[1].id", 12), "fiches/champs/champ-leviers.md": ("leviers[0].id", 7)}
    assert (error.field, error.line) == files.pop(error.path)
    assert f"« levier-un » déjà employé dans {next(iter(files))}" in error.message


def test_lever_without_id_is_refused_by_the_schema(tmp_path):
    root = projet(tmp_path, "[levier-un]")
    (root / "fiches" / "champs" / "autre-champ.md").write_text(AUTRE_CHAMP.replace("  - id: levier-ailleurs-bis\n", "  -\n"),
                                                               encoding="utf-8")
    errors = erreurs(root)
    assert any(e.path == "fiches/champs/autre-champ.md" and "clé obligatoire « id » manquante" in e.message for e in errors)


NOMS = ["levier-un", "levier-deux", "levier-ailleurs", "levier-ailleurs-bis", "levier-fantome", "levier-uno"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(NOMS), min_size=1, max_size=4))
def test_an_action_lever_is_accepted_exactly_when_it_is_one_of_its_champs_levers_named_once(tmp_path_factory, noms):
    root = projet(tmp_path_factory.mktemp("p"), "[" + ", ".join(noms) + "]")
    refused = {e.field for e in erreurs(root)}
    expected = {f"actions[0].leviers[{i}]" for i, nom in enumerate(noms)
                if nom not in ("levier-un", "levier-deux") or nom in noms[:i]}
    assert refused == expected


# ---------- the real site ----------

def _champ_page(site_dir: Path, slug: str):
    return lxml.html.parse(str(site_dir / "champs" / slug / "index.html")).getroot()


def _bloc_du_levier(root, levier_id: str) -> list:
    """The elements under a lever's heading, up to the next heading."""
    heading = root.get_element_by_id(f"levier-{levier_id}")
    assert heading.tag == "h3"
    out = []
    for el in heading.itersiblings():
        if el.tag in ("h2", "h3"):
            break
        out.append(el)
    return out


def _slug_territoire(href: str, page: str = "champs/x/") -> str | None:
    """The territory a link of the page at `page` (its path in the site) leads to, if any."""
    m = re.fullmatch(r"/territoires/([a-z0-9-]+)/", urlsplit(urljoin(f"http://site/{page}", href)).path)
    return m.group(1) if m else None


def test_every_lever_has_its_anchor_and_qui_le_fait_with_every_tagged_territory(site_dir, guide):
    assert guide.leviers, "aucun levier dans les fiches"
    assert any(l.actions for l in guide.leviers.values()), "aucune action ne cite de levier"
    for champ in {l.champ.slug: l.champ for l in guide.leviers.values()}.values():
        # the levers' short list under « Leviers d'action »: one item a lever, its link and its count
        page = _champ_page(site_dir, champ.slug)
        (sommaire,) = [ul for ul in page.xpath("//article//ul") if ul.xpath("./li[1]/*[1][self::a][starts-with(@href, '#levier-')]")]
        items = sommaire.findall("li")
        assert [i.find("a").get("href") for i in items] == [f"#{l.ancre}" for l in champ.leviers], champ.slug
        for item, levier in zip(items, champ.leviers):
            compte = f"{len(levier.territoires)} territoire" if levier.territoires else "aucun territoire cité"
            # a lever no territory is cited for names the related levers that have some, with their count (reader QA:
            # « aucun territoire cité » read as nobody having a conseil de l'ESS)
            voisins = [] if levier.territoires else [v for v, _ in levier.voir_aussi if v.territoires]
            assert [a.get("href") for a in item.findall("a")][1:] == [f"../{v.champ.slug}/#{v.ancre}" for v in voisins]
            assert compte in item.text_content(), item.text_content()
            assert all(f"{v.data['titre']} ({len(v.territoires)} territoire" in item.text_content() for v in voisins)
    for levier in guide.leviers.values():
        bloc = _bloc_du_levier(_champ_page(site_dir, levier.champ.slug), levier.id)
        (titre,) = [el for el in bloc if "guide-qui-le-fait" in (el.get("class") or "")]
        assert titre.get("data-levier") == levier.id and "Qui le fait" in titre.text_content()
        # who does it, in the finder, where a reader sorts and filters them (reader QA: no page led there)
        assert [a.get("href") for a in titre.iter("a")] == ([f"../../territoires/?levier={levier.id}"] if levier.actions else [])
        listes = [el for el in bloc if el.tag == "ul"]
        if not levier.actions:
            assert not listes and "aucune action" in titre.text_content()
            continue
        (liste,) = listes
        items = liste.findall("li")
        assert len(items) == len(levier.actions)
        for item, action in zip(items, levier.actions):
            hrefs = [a.get("href") for a in item.iter("a")]
            named = {_slug_territoire(h) for h in hrefs if "#" not in h} - {None}
            assert named == {action.territoire.slug, *(t.slug for t in action.coporteurs)}, (levier.id, action.data["titre"])
            assert any(h.endswith(f"/territoires/{action.territoire.slug}/#{action.ancre}") for h in hrefs)
            # its sources, or (an action under several levers of the page) the way to the lever where they are
            presentee = levier.champ.levier_presentant(action)
            if presentee is levier:
                assert item.find(".//sup") is not None, f"{levier.id} : l'action {action.data['titre']} sans source"
            else:
                # the link leads into the lever where the summary is: its heading, or the very line
                page = _champ_page(site_dir, levier.champ.slug)
                bloc_presentee = _bloc_du_levier(page, presentee.id)
                cibles = [page.get_element_by_id(h[1:], None) for h in hrefs if h.startswith("#")]
                assert any(c is not None and (c.get("id") == presentee.ancre or any(
                    p in bloc_presentee for p in c.iterancestors())) for c in cibles), (levier.id, action.data["titre"])
        shown = {_slug_territoire(a.get("href")) for a in liste.iter("a") if "#" not in a.get("href")} - {None}
        assert shown == {t.slug for t in levier.territoires}
        assert f"{len(levier.territoires)} territoire" in titre.text_content()


def test_a_territory_page_names_the_levers_of_each_action(site_dir, guide):
    """From a territory's action, the lever it uses is one click away (its legal basis, who else uses it): the
    territory pages named no lever, where the champ pages listed every territory of each lever."""
    actions = [a for t in guide.territoires.values() for a in t.actions]
    assert any(a.leviers for a in actions) and any(not a.leviers for a in actions)
    for terr in guide.territoires.values():
        page = lxml.html.parse(str(site_dir / "territoires" / terr.slug / "index.html")).getroot()
        for action in terr.actions:
            (titre,) = page.xpath(f"//article//h4[@id='{action.ancre}']")
            bloc = titre.getparent()  # the action's folded block (its champ's)
            suite = titre.itersiblings()
            texte_action = []
            for el in suite:
                if el.tag == "h4":
                    break
                texte_action.append(el)
            liens = {urlsplit(urljoin(f"territoires/{terr.slug}/", a.get("href"))).fragment
                     for el in texte_action for a in el.iter("a") if "#levier-" in (a.get("href") or "")}
            assert liens == {l.ancre for l in action.leviers}, (terr.slug, action.data["titre"])
            for l in action.leviers:
                (lien,) = [a for el in texte_action for a in el.iter("a") if (a.get("href") or "").endswith(f"#{l.ancre}")]
                assert urlsplit(urljoin(f"/territoires/{terr.slug}/", lien.get("href"))).path == f"/champs/{l.champ.slug}/"
                assert lien.text_content() == l.data["titre"]
            assert bloc.tag == "details"


def _phrases_d_adoption(text: str) -> list[str]:
    """The seed's sentences that list authorities having adopted a SPASER (PDF line breaks joined)."""
    flat = re.sub(r"\s+", " ", text.replace("\u2019", "'"))
    return re.findall(r"[^.]*adopté un SPASER[^.]*\.", flat)


@pytest.mark.parametrize("seed", ["004_*.txt", "003_*.txt"])
def test_every_spaser_adopter_named_by_a_seed_is_in_qui_le_fait(guide, seed):
    (path,) = SEEDS.glob(seed)
    phrases = " ".join(_phrases_d_adoption(path.read_text(encoding="utf-8")))
    noms = sorted(((n, t.slug) for t in guide.territoires.values() for n in [t.data["nom"], *t.data.get("alias", [])]),
                  key=lambda nt: -len(nt[0]))
    nommes = set()
    for nom, slug in noms:  # longest names first: « Nantes Métropole » is not also « Nantes »
        motif = re.compile(rf"(?<![\w'-]){re.escape(nom)}(?![\w-])")
        if motif.search(phrases):
            nommes.add(slug)
            phrases = motif.sub("#", phrases)
    assert nommes, f"{path.name} : aucune collectivité trouvée dans les phrases d'adoption du SPASER"
    assert nommes <= {t.slug for t in guide.leviers["spaser"].territoires}


@pytest.mark.parametrize("famille,index", [("levier", "leviers/"), ("focus", "focus/"), ("cadre", "cadres/")])
def test_the_index_of_a_family_lists_each_champs_levers_leading_to_them(site_dir, guide, famille, index):
    """Under each champ's card, its levers, each leading to its section of the champ page, with how many territories
    are cited for it (reader QA: /leviers/ named the champs only, and a lever had to be guessed from them)."""
    root = lxml.html.parse(str(site_dir / index / "index.html")).getroot()
    champs = [c for c in guide.champs_de(famille) if c.leviers]
    assert famille != "levier" or champs
    for champ in champs:
        liens = [a for a in root.xpath("//article//ul/li/a[1]")
                 if urlsplit(urljoin(f"/{index}", a.get("href"))).path == f"/champs/{champ.slug}/"]
        assert [urlsplit(a.get("href")).fragment for a in liens] == [l.ancre for l in champ.leviers], champ.slug
        cible = _champ_page(site_dir, champ.slug)
        for a, levier in zip(liens, champ.leviers):
            assert cible.get_element_by_id(levier.ancre, None) is not None
            assert " ".join(a.text_content().split()) == " ".join(levier.data["titre"].split())
            compte = f"{len(levier.territoires)} territoire" if levier.territoires else "aucun territoire cité"
            assert compte in a.getparent().text_content()


def test_matrix_lever_view_lists_each_used_lever_with_its_territories(site_dir, guide):
    root = lxml.html.parse(str(site_dir / "territoires" / "matrice" / "index.html")).getroot()
    rows = {tr.get("data-levier"): tr for tr in root.xpath('//table[@class="guide-matrice-leviers"]/tbody/tr')}
    assert set(rows) == {l.id for l in guide.leviers.values() if l.actions}
    for ident, tr in rows.items():
        levier = guide.leviers[ident]
        assert tr.xpath("th/a")[0].get("href").endswith(f"/champs/{levier.champ.slug}/#levier-{ident}")
        assert [_slug_territoire(a.get("href"), "territoires/matrice/") for a in tr.xpath("td")[1].iter("a")] == \
            [t.slug for t in levier.territoires]


def test_open_data_carries_levers(site_dir, guide):
    folder = site_dir / "donnees"
    leviers = {r["identifiant"]: r for r in json.loads((folder / "leviers.json").read_text(encoding="utf-8"))}
    assert set(leviers) == set(guide.leviers)
    for ident, levier in guide.leviers.items():
        row = leviers[ident]
        assert row["champ"] == levier.champ.slug and row["titre"] == levier.data["titre"]
        assert row["territoires"] == [t.slug for t in levier.territoires]
        assert row["nombre_territoires"] == len(levier.territoires)
        assert row["actions"] == [f"{a.territoire.slug}#{a.ancre}" for a in levier.actions]
        assert row["page"] == f"{export.page(levier.champ.src)}#levier-{ident}"  # the champ's page, the lever's anchor
    actions = json.loads((folder / "actions.json").read_text(encoding="utf-8"))
    assert [a["leviers"] for a in actions] == [a.data.get("leviers", []) for a in guide.actions]
    territoires = {t["identifiant"]: t for t in json.loads((folder / "territoires.json").read_text(encoding="utf-8"))}
    for t in guide.territoires.values():
        assert set(territoires[t.slug]["leviers"]) == {l.id for a in t.toutes_actions for l in a.leviers}
    assert (folder / "leviers.csv").read_text(encoding="utf-8-sig").splitlines()[0].startswith("identifiant;champ;titre")


def _filtres(path: Path, cle: str) -> set[str]:
    root = lxml.html.parse(str(path)).getroot()
    return {span.text_content() for span in root.xpath(f'//*[@data-pagefind-ignore]/span[@data-pagefind-filter="{cle}"]')}


def test_search_filters_by_lever_on_territory_and_champ_pages(site_dir, guide):
    for t in guide.territoires.values():
        assert _filtres(site_dir / "territoires" / t.slug / "index.html", "levier") == {l.data["titre"] for l in t.leviers}
    for c in guide.champs.values():
        assert _filtres(site_dir / "champs" / c.slug / "index.html", "levier") == {l.data["titre"] for l in c.leviers}


def test_finder_filters_by_lever_in_chromium(page, served, guide):
    levier = max(guide.leviers.values(), key=lambda l: len(l.territoires))
    page.goto(f"{served}/territoires/?levier={levier.id}")
    shown = page.locator("#guide-territoires tbody tr:visible th a").evaluate_all("as => as.map(a => a.textContent)")
    assert sorted(shown) == sorted(t.data["nom"] for t in levier.territoires)
    page.select_option("#filtre-levier", "")
    assert page.locator("#guide-territoires tbody tr:visible").count() == len(guide.territoires)


def test_the_finder_says_the_lever_filter_leaves_out_actions_without_a_lever(site_dir, guide):
    """A lever is given only where a source names it: the lever filter's counts read as all who use it (reader QA: a
    loan fund without a lever, « subventions (7) »). Under the filter, the number of actions it cannot find, and
    where to find them; the list is described by it."""
    root = lxml.html.parse(str(site_dir / "territoires" / "index.html")).getroot()
    (liste,) = root.xpath('//select[@id="filtre-levier"]')
    (aide,) = root.xpath(f'//*[@id="{liste.get("aria-describedby")}"]')
    sans = sum(1 for a in guide.actions if not a.leviers)
    assert 0 < sans < len(guide.actions)
    texte = " ".join(aide.text_content().split())
    assert f"{sans} des {len(guide.actions)} actions n'en ont pas" in texte and "champ d'action" in texte, texte


@pytest.mark.parametrize("texte, ecrit", [
    ('"Voir [ceci](https://evil.example/a b) et [c][r]\\n\\n[r]: https://evil.example"', "[ceci](https://evil.example/a b)"),
    ('"Voir [ceci](https://exemple.fr/a)."', "[ceci](https://exemple.fr/a)"),
])
def test_a_link_in_a_text_shown_as_written_is_refused_as_such(tmp_path, texte, ecrit):
    """A lever's `texte` is shown as written (the model's `texte`): a link there was printed as typed, « Voir
    [ceci](https://evil.example/a) et [c][r] [r]: … », once the editor had fixed the address the validator named
    (editor QA). The validator now says the field takes no link, at its line, and nothing about the address."""
    root = projet(tmp_path, "[levier-deux]")
    champ = root / "fiches" / "champs" / "champ-leviers.md"
    champ.write_text(CHAMP_AVEC_LEVIERS.replace("texte: Le premier levier.", f"texte: {texte}"), encoding="utf-8")
    (error,) = erreurs(root)
    assert error.path == "fiches/champs/champ-leviers.md" and error.field == "leviers[0].texte" and error.line == 9
    assert f"« {ecrit}" in error.message and "tel qu'il est écrit" in error.message, error.message
    assert "espace" not in error.message
    # A résumé reads Markdown: a link there is one, checked as such.
    territoire = root / "fiches" / "territoires" / "ville-d-essai.md"
    champ.write_text(CHAMP_AVEC_LEVIERS, encoding="utf-8")
    territoire.write_text(TERRITOIRE.format(leviers="[levier-deux]").replace(
        "resume: Ce que fait la ville.", "resume: Voir [ceci](https://exemple.fr/a)."), encoding="utf-8")
    assert erreurs(root) == []


def test_each_lever_leads_to_the_legal_references_of_its_champ(site_dir, guide):
    """An agent looking for a lever's legal basis found none from its section: the references table, further down the
    page, was linked from nowhere (reader QA). Each lever of a champ that has references links to them."""
    vus = 0
    for champ in guide.champs.values():
        if not champ.leviers:
            continue
        doc = lxml.html.parse(str(site_dir / "champs" / champ.slug / "index.html")).getroot()
        references = "references" in champ.data  # (else the heading says no publication cites a text)
        assert doc.get_element_by_id("references-juridiques-et-reglementaires", None) is not None, champ.slug
        for levier in champ.leviers:
            texte = doc.get_element_by_id(levier.ancre).getnext()
            liens = [a.get("href") for a in texte.iter("a")]
            assert ("#references-juridiques-et-reglementaires" in liens) == references, (champ.slug, levier.id)
            vus += references
    assert vus > 20
