"""Integrity of the content itself: joins complete, every fiche sourced, editions cited where used."""
from __future__ import annotations

import re

from guide.modele.load import citations


def publications_of(data) -> set:
    return {c["publication"] for _, c in citations(data)}


def test_every_champ_has_actions_of_territories(guide):
    empty = [c.slug for c in guide.champs.values() if not c.actions and not c.data.get("actions")]
    assert not empty, f"champs sans exemple : {empty}"


def test_every_territory_has_an_action_of_its_own_or_shared(guide):
    assert not [t.slug for t in guide.territoires.values() if not t.actions and not t.actions_partagees]


def test_every_fiche_lists_the_publications_it_cites(guide):
    """A fiche's `sources` names every publication its fields and actions cite."""
    for fiche in list(guide.territoires.values()) + list(guide.champs.values()):
        declared = {c["publication"] for c in fiche.data["sources"]}
        used = publications_of(fiche.data)
        assert used <= declared, f"{fiche.doc.rel}: publications citées mais absentes de sources : {used - declared}"


def test_2019_numbering_and_view_on_champ_pages(guide):
    """A reader of the 2019 PDF finds their chapter: a 2019 number comes with the 2019 view, cited to 2019."""
    for champ in guide.champs.values():
        if "numero_2019" in champ.data:
            view = champ.data.get("edition_2019")
            assert view, f"{champ.slug}: numéro 2019 sans la vue de l'édition 2019"
            assert publications_of(view) == {"avise-2019"}


def test_2019_numbers_are_unique_per_family(guide):
    seen = set()
    for champ in guide.champs.values():
        if "numero_2019" in champ.data:
            key = (champ.data["famille"], champ.data["numero_2019"])
            assert key not in seen, champ.slug
            seen.add(key)


def test_key_messages_are_numbered_in_order(guide):
    assert guide.messages
    assert [m["numero"] for m in guide.messages] == list(range(1, len(guide.messages) + 1))


def test_a_contact_only_an_older_publication_names_says_its_year(guide):
    """« Élue référente ESS — Vice-Présidente déléguée à l'économie et l'insertion » on the Métropole de Lyon's page,
    beside Émeline Baume's 2021 function, read as today's (content QA): a role or office that only publications older
    than the guide's newest name is dated, as the other pages dated the same 2019 table."""
    # « vers 2019 »: the year that a publication's `annee` writes
    annees = {p["id"]: int(re.search(r"\d{4}", str(p["annee"])).group()) for p in guide.publications.values()}
    recente = max(annees.values())
    sans_annee = [(t.slug, c.get("role")) for t in guide.territoires.values() for c in t.data.get("contacts", [])
                  if c.get("sources") and all(annees[s["publication"]] < recente for s in c["sources"])
                  and "annee" not in c and not re.search(r"\b(19|20)\d{2}\b", f"{c.get('role')} {c.get('fonction')}")]
    assert not sans_annee, sans_annee


def test_a_source_cited_in_a_fiche_s_text_is_one_its_fields_cite(guide):
    """« (Étude 2019, zoom du champ #1) », « (Étude 2019, fiche et parole) »: 60 brackets of the texts named a section
    no fiche lists, and their notes read « Étude 2019, « zoom du champ #1 » », which a reader cannot find in the
    publication (phone QA). A bracket of a fiche's text that names a section names one its fields cite, exactly."""
    from guide.modele import parentheses
    noms = parentheses.noms_courts(guide.publications)
    vues, libres = 0, []
    for fiche in [*guide.territoires.values(), *guide.champs.values()]:
        connues = {(c["publication"], c.get("section")) for _, c in citations(fiche.data) if c.get("section")}
        for _, crochet, cites in parentheses.citations(fiche.doc.body, noms):
            for c in cites:
                if "section" in c:
                    vues += 1
                    if (c["publication"], c["section"]) not in connues:
                        libres.append((fiche.doc.rel, c["section"]))
    assert vues > 50
    assert not libres, libres
