"""Open data: the joined guide as JSON and CSV files (territories, actions, champs, sources), with JSON schemas.

One description of each table (`TABLES`) drives everything: the rows written to JSON and CSV, the JSON
schema of each file and the field list of the « Données » page. Files are generated at build time into
`donnees/` of the site (see plugin.py, on_files), never committed.

CSV files are made for French spreadsheets: UTF-8 with BOM (LibreOffice and Excel detect the encoding),
semicolon separator, decimal comma, one line per item (line breaks inside a text become spaces), lists
joined with « | », and a text that a spreadsheet would run as a formula prefixed with « ' » (`_texte_inerte`).
"""
from __future__ import annotations

import collections

import csv
import functools
import io
import json
import posixpath
import re

from guide.join import Guide, Territoire
from guide.modele.schemas import schema_documents
# The territories' population and its bands, as the finder and the open data give them (the model's: the join
# groups comparable territories by band), read by the templates from here (export.tranche…).
from guide.modele.population import (TRANCHE_INCONNUE, TRANCHES, population, population_fiche,  # noqa: F401
                                     toutes_les_tranches, tranche)

DOSSIER = "donnees"
SEPARATEUR_LISTE = " | "

def _officiel(t: Territoire, attribut: str):
    officiel = getattr(t, "officiel", None)
    return getattr(officiel, attribut) if officiel is not None else None


def departements(t: Territoire) -> list[tuple[str, str]]:
    """(code, name) of the départements a territory lies in, from the reference: a commune's, a département
    itself, the départements of an intercommunality's communes. None for a région: it spans its départements
    without being placed in one (the map lists régions beside it; the département filter leaves them out)."""
    if t.data.get("type") == "region":
        return []
    return list(_officiel(t, "departements") or ())


def par_departement(guide: Guide) -> list[tuple[str, str, list]]:
    """[(code, name, [territories])] of every département holding at least one territory, by code."""
    found: dict = {}
    for t in guide.territoires.values():
        for code, nom in departements(t):
            found.setdefault((code, nom), []).append(t)
    return [(code, nom, found[(code, nom)]) for code, nom in sorted(found)]


def par_type(guide: Guide) -> dict[str, int]:
    """{type of collectivité (the fiches' value): how many territories}, for the types the guide holds."""
    return dict(collections.Counter(t.data["type"] for t in guide.territoires.values()))


def source_de_population_commune(guide: Guide) -> str | None:
    """The source most of the territories' populations share (the official reference's label), said once in the
    finder's column heading instead of on every row: « (INSEE, découpage administratif 2026) » in each cell made
    five-line rows on a tablet and on paper (reader QA)."""
    sources = [source for _, source in map(population, guide.territoires.values()) if isinstance(source, str)]
    return max(set(sources), key=sources.count) if sources else None


def actions_de(t: Territoire) -> list:
    """The actions shown on a territory's page: its own, then those it carries with another fiche."""
    return list(t.actions) + list(t.actions_partagees)


def actions_par_champ(t) -> dict[str, list]:
    """Actions of a territory (own, then shared) by champ slug: the cells of the matrix."""
    cells: dict[str, list] = {}
    for action in actions_de(t):
        for slug in action.data["champs"]:
            cells.setdefault(slug, []).append(action)
    return cells


def champs_de(t: Territoire) -> list[str]:
    """Slugs of the champs of every action shown on the territory's page."""
    return sorted({s for a in actions_de(t) for s in a.data["champs"]})


def leviers_de(t: Territoire) -> list[str]:
    """Ids of the levers of every action shown on the territory's page, in the order its actions meet them."""
    return [l.id for l in t.leviers]


def _citation(c: dict) -> str:
    """« avise-2021, p. 28-31, Champ d'action #6 — … »: where a publication presents something, then the editors'
    remark on that citation when there is one (« … — remarque : … »), as the page shows it in its notes (attacker
    QA: the remarks on a fiche's own citations were on the pages only)."""
    ou = ", ".join([c["publication"]] + ([f"p. {c['page']}"] if "page" in c else []) + ([c["section"]] if "section" in c else []))
    return ou + (f" — remarque : {' '.join(c['note'].split())}" if c.get("note") else "")


def page(src: str) -> str:
    """Path of the page built from a source file: `territoires/x.md#a` → `territoires/x/#a`."""
    path, _, anchor = src.partition("#")
    # With its closing slash, as the site writes its addresses (open data QA: « territoires/x#a » reached the page
    # only through the server's redirect, and from the host alone not at all).
    return re.sub(r"\.md$", "/", re.sub(r"index\.md$", "", path)) + (f"#{anchor}" if anchor else "")


@functools.lru_cache(maxsize=1)
def _libelles() -> dict:
    """French labels of enumerations (the schemas' x-libelles)."""
    from guide.modele.schemas import libelles
    return libelles()


def _sources(citations: list) -> list[str]:
    return sorted({c["publication"] for c in citations})


def _chiffre(valeur) -> str:
    """A figure of a fiche as a cell reads it: digits without separators, a decimal comma (« 0,6 »), a text as written."""
    if isinstance(valeur, float):
        return (f"{valeur}".rstrip("0").rstrip(".") if not valeur.is_integer() else str(int(valeur))).replace(".", ",")
    return str(valeur)


def _bloc(morceaux: list[str], item: dict) -> str:
    """One fact of a territory's header as one line: its parts, its year, then where its sources say it
    (« … (2019) — avise-2019, Fiche Nantes Métropole — Panorama ; … »): the page's fact and its note, in one cell."""
    texte = " ; ".join(m for m in morceaux if m)
    if item.get("annee") is not None:
        texte += f" ({item['annee']})"
    return texte + " — " + " ; ".join(_citation(c) for c in item.get("sources", []))


def _panorama(t: Territoire) -> list[str]:
    noms = (("etablissements", "établissements", ""), ("emplois", "emplois", ""),
            ("part_etablissements", "part des établissements", " %"), ("part_emplois", "part des emplois", " %"))
    # (a figure a source words, « 11,08 % de l'emploi salarié régional… », is kept as written, without a unit added)
    return [_bloc([f"{libelle} : {_chiffre(p[cle])}{unite if isinstance(p[cle], (int, float)) else ''}"
                   for cle, libelle, unite in noms if p.get(cle) is not None]
                  + [f"périmètre : {p['perimetre']}" if p.get("perimetre") else "",
                     f"origine des données : {' '.join(p['origine'].split())}" if p.get("origine") else "",
                     " ".join(p.get("texte", "").split())], p)
            for p in t.data.get("panorama", [])]


def _euros(montant) -> str:
    """An amount with its unit; a text a source gives instead (« variable suivant les projets développés ») as written:
    reader QA, Metz's budget read « … développés € » in the open data only."""
    return f"{_chiffre(montant)} €" if isinstance(montant, (int, float)) else str(montant)


def _budget(t: Territoire) -> list[str]:
    out = []
    for b in t.data.get("budget", []):
        montant = f" : {_euros(b['montant'])}" if b.get("montant") is not None else ""
        detail = ", ".join(f"{d['libelle']}" + (f" {_euros(d['montant'])}" if d.get("montant") is not None else "")
                           for d in b.get("detail", []))
        out.append(_bloc([b["libelle"] + montant + (f" (dont {detail})" if detail else ""),
                          f"note : {b['note']}" if b.get("note") else ""], b))
    return out


@functools.lru_cache(maxsize=1)
def _titres_identite() -> tuple:
    """(key, label) of the identity card's dated figures, as the schema titles them (« Superficie », « Densité »); the
    web site has a column of its own."""
    proprietes = schema_documents()["territoire.schema.yaml"]["properties"]["identite"]["properties"]
    return tuple((cle, p.get("title", cle)) for cle, p in proprietes.items() if cle != "site_web")


def _identite(t: Territoire) -> list[str]:
    identite = t.data.get("identite", {})
    return [_bloc([f"{titre} : {_chiffre(m['valeur'])}" + (f" {m['unite']}" if m.get("unite") else ""),
                   f"périmètre : {m['perimetre']}" if m.get("perimetre") else "",
                   f"note : {m['note']}" if m.get("note") else ""], m)
            for cle, titre in _titres_identite() for m in identite.get(cle, [])]


def _programme(t: Territoire) -> list[str]:
    return [_bloc([p.get("titre", ""), " ".join(str(p.get("texte", "")).split()),
                   ("points : " + " ; ".join(p["points"])) if p.get("points") else ""], p)
            for p in t.data.get("programme", [])]


def _chronologie(t: Territoire) -> list[str]:
    return [_bloc([f"{c['date']} : {c['evenement']}"], c) for c in t.data.get("chronologie", [])]


def _moyens(t: Territoire) -> list[str]:
    return [_bloc([" ".join(str(x) for x in (_chiffre(m["effectif"]) if m.get("effectif") is not None else None,
                                             m.get("unite")) if x), m.get("texte", "")], m)
            for m in t.data.get("moyens_humains", [])]


def _contacts(t: Territoire) -> list[str]:
    return [_bloc([f"{c['role']} : " + ", ".join(c[k] for k in ("nom", "fonction", "service") if c.get(k))], c)
            for c in t.data.get("contacts", [])]


# Each table: file name, French title, description, and its fields as
# (name, JSON type, description, function of the item giving the value).
TABLES = {
    "territoires": {
        "titre": "Territoires",
        "description": "Une ligne par collectivité (fiche territoire).",
        "champs": [
            ("identifiant", "string", "Identifiant de la fiche (nom du fichier dans fiches/territoires/).", lambda t: t.slug),
            ("nom", "string", "Nom officiel de la collectivité.", lambda t: t.data["nom"]),
            ("alias", "array", "Autres noms employés par les publications.", lambda t: t.data.get("alias", [])),
            ("type", "string", "Catégorie de collectivité (identifiant).", lambda t: t.data["type"]),
            ("type_libelle", "string", "Catégorie de collectivité en toutes lettres.",
             lambda t: _libelles()["type"][t.data["type"]]),
            ("region", "string", "Région.", lambda t: t.data["region"]),
            ("code_insee", "string", "Code officiel géographique (commune, département, région), si la fiche le donne.",
             lambda t: t.data.get("code_insee")),
            ("siren", "string", "Numéro SIREN (intercommunalité, établissement public territorial), si la fiche le donne.",
             lambda t: t.data.get("siren")),
            ("code_officiel_absent", "string", "Pourquoi le référentiel officiel n'a pas ce territoire (sans code).",
             lambda t: t.data.get("code_officiel_absent")),
            ("nom_officiel", "string", "Nom du territoire dans le référentiel officiel (découpage administratif d'Etalab).",
             lambda t: _officiel(t, "nom")),
            ("departements", "array", "Codes des départements du territoire, selon le référentiel officiel (ceux de ses "
             "communes pour une intercommunalité ; vide pour une région).", lambda t: [c for c, _ in departements(t)]),
            ("departements_noms", "array", "Noms de ces départements.", lambda t: [n for _, n in departements(t)]),
            ("region_code", "string", "Code officiel de la région, selon le référentiel officiel.",
             lambda t: (_officiel(t, "region") or (None,))[0]),
            ("population_officielle", "integer", "Population municipale (INSEE) selon le référentiel officiel ; pour un "
             "groupement, un département ou une région, somme de celles de ses communes.",
             lambda t: _officiel(t, "population")),
            ("population_millesime", "string", "Année (millésime) du découpage administratif d'Etalab qui donne cette "
             "population ; l'année du recensement de l'INSEE n'y est pas indiquée.",
             lambda t: _officiel(t, "millesime") if _officiel(t, "population") is not None else None),
            ("communes_membres", "integer", "Nombre de communes membres d'une intercommunalité, selon le référentiel officiel.",
             lambda t: len(_officiel(t, "membres") or ()) or None),
            ("population", "number", "Nombre d'habitants (premier chiffre donné par les sources), vide si inconnu.",
             lambda t: population_fiche(t)[0]),
            ("population_annee", "integer", "Année du chiffre de population, si la source la donne.",
             lambda t: population_fiche(t)[1]),
            ("tranche_population", "string", "Tranche de population utilisée par le filtre des territoires (population "
             "officielle, ou celle des sources pour un territoire sans code).",
             lambda t: tranche(t)[1]),
            ("nombre_actions", "integer", "Nombre d'actions présentées sur la page du territoire (propres et partagées).",
             lambda t: len(actions_de(t))),
            ("champs", "array", "Identifiants des champs d'action de ces actions.", champs_de),
            ("leviers", "array", "Identifiants des leviers que ces actions mettent en œuvre (voir leviers).",
             lambda t: leviers_de(t)),
            ("rtes_adhesion", "integer", "Année d'adhésion au RTES, si la source la donne.",
             lambda t: t.data.get("rtes", {}).get("adhesion")),
            ("rtes_role", "string", "Rôle dans le RTES, si la source le donne.", lambda t: t.data.get("rtes", {}).get("role")),
            ("identite", "array", "Carte d'identité selon les sources, un chiffre par source et par année : « libellé : "
             "valeur unité (année) — publication, p. page, section » (population, communes, superficie, densité, "
             "adresse).", _identite),
            ("site_web", "string", "Site web de la collectivité.",
             lambda t: t.data.get("identite", {}).get("site_web", {}).get("url")),
            ("panorama", "array", "Chiffres de l'ESS sur le territoire, un par source et par année : « établissements : "
             "N ; emplois : N ; part des emplois : N % ; périmètre ; origine des données ; texte (année) — publication, "
             "p. page, section ».",
             _panorama),
            ("budget", "array", "Budget consacré à l'ESS, ventilé comme la source le ventile : « libellé : montant € "
             "(dont …) (année) — publication, p. page, section ».", _budget),
            ("moyens_humains", "array", "Moyens humains dédiés à l'ESS : « effectif unité (année) — publication… ».",
             _moyens),
            ("contacts", "array", "Élus et services en charge de l'ESS tels que les sources les publient : « rôle : nom, "
             "fonction, service (année) — publication… ».", _contacts),
            ("programme", "array", "Programme d'intervention dans le champ de l'ESS : « titre ; texte ; points : … — "
             "publication… ».", _programme),
            ("chronologie", "array", "Dates clés : « date : évènement — publication… », la date en chiffres, aussi précise que la "
             "source (AAAA, AAAA-MM ou AAAA-MM-JJ ; une période : deux dates séparées par « / », ou AAAA-AAAA).",
             _chronologie),
            ("presentation", "string", "Présentation du territoire (le texte de la fiche, en Markdown, ses sources entre "
             "parenthèses).", lambda t: t.doc.body.strip() or None),
            ("sources", "array", "Identifiants des publications citées par la fiche (voir sources).",
             lambda t: _sources(t.data["sources"])),
            ("citations", "array", "Où chaque publication présente le territoire : « publication, p. page, section », suivi "
             "de la remarque des rédacteurs sur cette citation s'il y en a une (« … — remarque : … » ; de même à la fin "
             "des lignes d'identité, de panorama, de budget, de contacts…).",
             lambda t: [_citation(c) for c in t.data["sources"]]),
            ("note_nom", "string", "Remarque des rédacteurs sur le nom, le type ou la région du territoire (ce que les "
             "sources en disent), comme la page la montre dans ses notes.", lambda t: t.data.get("note_nom")),
            ("mis_a_jour", "string", "Date de la dernière mise à jour de la fiche (AAAA-MM-JJ), si elle la donne.",
             lambda t: t.data.get("mis_a_jour")),
            ("page", "string", "Chemin de la page du territoire dans le site.", lambda t: page(t.src)),
        ],
    },
    "actions": {
        "titre": "Actions",
        "description": "Une ligne par action d'un territoire.",
        "champs": [
            ("identifiant", "string", "Identifiant de l'action : identifiant du territoire porteur et ancre de l'action.",
             lambda a: f"{a.territoire.slug}#{a.ancre}"),
            ("territoire", "string", "Identifiant du territoire porteur (voir territoires).", lambda a: a.territoire.slug),
            ("territoire_nom", "string", "Nom du territoire porteur.", lambda a: a.territoire.data["nom"]),
            ("numero", "integer", "Rang de l'action dans la fiche du territoire.", lambda a: a.index + 1),
            ("titre", "string", "Titre de l'action.", lambda a: a.data["titre"]),
            ("champs", "array", "Identifiants des champs d'action illustrés (voir champs).", lambda a: a.data["champs"]),
            ("leviers", "array", "Identifiants des leviers que l'action met en œuvre selon sa source (voir leviers) ; "
             "vide si la source ne la rattache à aucun.", lambda a: a.data.get("leviers", [])),
            ("resume", "string", "Ce que le territoire a fait, avec ses chiffres.", lambda a: a.data["resume"]),
            ("annee", "integer", "Année de début ou de l'évènement.", lambda a: a.data.get("annee")),
            ("periode", "string", "Période, si l'action s'étend sur plusieurs années.", lambda a: a.data.get("periode")),
            ("nature", "string", "Nature du contenu (zoom, parole, fiche-action, exemple…).", lambda a: a.data.get("nature")),
            ("intervenant", "string", "Pour un entretien (« La parole à ») : la personne et sa fonction.",
             lambda a: a.data.get("intervenant")),
            ("coporteurs", "array", "Identifiants des autres territoires qui portent l'action.",
             lambda a: a.data.get("coporteurs", [])),
            ("partenaires", "array", "Structures partenaires nommées par la source.", lambda a: a.data.get("partenaires", [])),
            ("sources", "array", "Identifiants des publications citées (voir sources).", lambda a: _sources(a.data["sources"])),
            ("citations", "array", "Où chaque publication présente l'action : « publication, p. page, section », suivi "
             "de la remarque des rédacteurs sur cette citation s'il y en a une (« … — remarque : … »).",
             lambda a: [_citation(c) for c in a.data["sources"]]),
            ("page", "string", "Chemin de l'action dans le site (page du territoire et ancre).", lambda a: page(a.src)),
        ],
    },
    "champs": {
        "titre": "Champs d'action",
        "description": "Une ligne par champ d'action, focus thématique ou cadre d'action.",
        "champs": [
            ("identifiant", "string", "Identifiant de la fiche (nom du fichier dans fiches/champs/).", lambda c: c.slug),
            ("titre", "string", "Titre du champ.", lambda c: c.data["titre"]),
            ("titre_court", "string", "Titre abrégé.", lambda c: c.titre_court),
            ("famille", "string", "levier (champ d'action), focus (focus thématique) ou cadre (cadre d'action).",
             lambda c: c.data["famille"]),
            ("numero", "integer", "Numéro dans sa famille dans l'étude 2021.", lambda c: c.data["numero"]),
            ("numero_2019", "integer", "Numéro dans l'étude 2019, si le chapitre y existait.",
             lambda c: c.data.get("numero_2019")),
            ("resume", "string", "Résumé du champ.", lambda c: c.data["resume"]),
            ("nombre_actions", "integer", "Nombre d'actions rattachées à ce champ.", lambda c: len(c.actions)),
            ("territoires", "array", "Identifiants des territoires qui ont au moins une action dans ce champ, portée ou coportée.",
             lambda c: [t.slug for t in c.territoires]),
            ("leviers", "array", "Identifiants des leviers de ce champ (voir leviers).", lambda c: [l.id for l in c.leviers]),
            ("page", "string", "Chemin de la page du champ dans le site.", lambda c: page(c.src)),
        ],
    },
    "leviers": {
        "titre": "Leviers",
        "description": "Une ligne par levier d'un champ (SPASER, clauses sociales, monnaie locale…), avec les territoires "
                       "qui le mettent en œuvre.",
        "champs": [
            ("identifiant", "string", "Identifiant du levier, cité par les actions.", lambda l: l.id),
            ("champ", "string", "Identifiant du champ auquel il appartient (voir champs).", lambda l: l.champ.slug),
            ("titre", "string", "Titre court du levier.", lambda l: l.data["titre"]),
            ("description", "string", "Le levier en une ligne, comme l'étude le formule.", lambda l: l.data["texte"]),
            ("sources", "array", "Identifiants des publications qui le présentent (voir sources).",
             lambda l: _sources(l.data["sources"])),
            ("citations", "array", "Où chaque publication le présente : « publication, p. page, section » (et la remarque "
             "des rédacteurs sur cette citation, « … — remarque : … »).",
             lambda l: [_citation(c) for c in l.data["sources"]]),
            ("nombre_territoires", "integer", "Nombre de territoires qui le mettent en œuvre (porteurs et coporteurs).",
             lambda l: len(l.territoires)),
            ("territoires", "array", "Identifiants de ces territoires (voir territoires).", lambda l: [t.slug for t in l.territoires]),
            ("actions", "array", "Identifiants des actions qui le mettent en œuvre (voir actions).",
             lambda l: [f"{a.territoire.slug}#{a.ancre}" for a in l.actions]),
            ("page", "string", "Chemin du levier dans le site (page du champ et ancre).", lambda l: page(l.src)),
        ],
    },
    "sources": {
        "titre": "Sources",
        "description": "Une ligne par publication dont le guide tire ses informations.",
        "champs": [
            ("identifiant", "string", "Identifiant de la publication, cité par les autres fichiers.", lambda p: p["id"]),
            ("titre", "string", "Titre de la publication.", lambda p: p["titre"]),
            ("sous_titre", "string", "Sous-titre.", lambda p: p.get("sous_titre")),
            ("annee", "string", "Année de parution (telle qu'imprimée).", lambda p: str(p["annee"])),
            ("editeurs", "array", "Organismes éditeurs.", lambda p: p["editeurs"]),
            ("edition", "string", "Nom court de l'édition.", lambda p: p.get("edition")),
            ("url", "string", "Adresse de la publication en ligne.", lambda p: p.get("url")),
            ("isbn", "string", "ISBN.", lambda p: p.get("isbn")),
        ],
    },
}


def _items(guide: Guide, table: str) -> list:
    return {"territoires": list(guide.territoires.values()), "actions": guide.actions,
            "champs": list(guide.champs.values()), "leviers": list(guide.leviers.values()),
            "sources": list(guide.publications.values())}[table]


def lignes(guide: Guide, table: str) -> int:
    """Number of rows of one table."""
    return len(_items(guide, table))


def rows(guide: Guide, table: str) -> list[dict]:
    """The rows of one table, values typed as in JSON (None when the fiche says nothing), a text's links to other
    fiches given as the pages' paths (`liens_des_pages`)."""
    out = []
    for item in _items(guide, table):
        fiche = getattr(item, "src", "").partition("#")[0]
        ligne = {}
        for name, _, _, get in TABLES[table]["champs"]:
            v = get(item)
            if isinstance(v, (list, tuple)):
                v = [liens_des_pages(x, fiche) if isinstance(x, str) else x for x in v]
            elif isinstance(v, str):
                v = liens_des_pages(v, fiche)
            ligne[name] = v
        out.append(ligne)
    return out


# A Markdown link's target: `](cible)` or `](cible "titre")`.
_LIEN = re.compile(r"(\]\()([^)\s]+)")
_SCHEMA = re.compile(r"[a-z][a-z0-9+.-]*:", re.I)


def liens_des_pages(texte: str, fiche: str) -> str:
    """A Markdown text of the fiche at `fiche` (« territoires/x.md ») with its links to fiches written as the paths of
    their pages, as the column `page` gives them: « [Lyon](ville-de-lyon.md) » → « [Lyon](territoires/ville-de-lyon/) ».
    A fiche's file name meant nothing to a reuser (reader QA); a link to a web address is left as it is."""
    if "](" not in texte or not fiche:
        return texte

    def page_de(m: re.Match) -> str:
        cible = m.group(2)
        if _SCHEMA.match(cible) or cible.startswith("/"):
            return m.group(0)
        chemin, _, ancre = cible.partition("#")
        chemin = posixpath.normpath(posixpath.join(posixpath.dirname(fiche), chemin)) if chemin else fiche
        if not chemin.endswith(".md") or chemin.startswith("../"):
            return m.group(0)
        return m.group(1) + page(chemin + (f"#{ancre}" if ancre else ""))
    return _LIEN.sub(page_de, texte)


def schema(table: str) -> dict:
    """JSON schema (draft 2020-12) of the JSON file of a table."""
    props = {}
    for name, kind, description, _ in TABLES[table]["champs"]:
        if kind == "array":
            props[name] = {"type": "array", "items": {"type": "string"}, "description": description}
        elif name == "identifiant":
            props[name] = {"type": "string", "description": description}
        else:
            props[name] = {"type": [kind, "null"], "description": description}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{table}.schema.json",
        "title": TABLES[table]["titre"],
        "description": TABLES[table]["description"],
        "type": "array",
        "items": {"type": "object", "required": [n for n, *_ in TABLES[table]["champs"]],
                  "additionalProperties": False, "properties": props},
    }


_SAUT_DE_LIGNE = re.compile(r"\s*\n\s*")


# First characters that make a spreadsheet read a cell as a formula (OWASP, « CSV injection »): such a text
# cell gets a leading apostrophe, which spreadsheets take as « this is text ». Numbers are written by the
# guide itself, never prefixed; JSON files keep every value as it is.
DEBUT_DE_FORMULE = ("=", "+", "-", "@", "\t", "\r")


def _texte_inerte(text: str) -> str:
    """A CSV text cell a spreadsheet will not run: « =1+1 » → « '=1+1 »."""
    return "'" + text if text.startswith(DEBUT_DE_FORMULE) else text


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return _texte_inerte(SEPARATEUR_LISTE.join(_valeur(v) for v in value))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _valeur(value)
    return _texte_inerte(_valeur(value))


def _valeur(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return (f"{value}".rstrip("0").rstrip(".") if not value.is_integer() else str(int(value))).replace(".", ",")
    text = str(value)
    return _SAUT_DE_LIGNE.sub(" ", text).strip() if "\n" in text else text.strip()


class _Entier(str):
    """A CSV cell written without quotes: an integer, or nothing. The csv module quotes, under QUOTE_NONNUMERIC,
    every cell but numbers; an integer's text passes as a number (it has __float__). Written here because Python
    3.11's csv has no QUOTE_STRINGS (3.12)."""

    def __float__(self) -> float:
        return float(self or 0)


def _cellule_csv(value) -> str:
    """Every text between quotes, also a code (« 06088 ») and a decimal (« 12,5 »), an integer or nothing bare: a
    spreadsheet that also splits at commas or tabs, as LibreOffice does by default, keeps each text whole
    (« Superficie : 523,36 km² » cut a row into 57 cells; open data QA), and can read the quoted cells as text
    (the leading zero of a code kept) without turning the integers into text."""
    if value is None or value == [] or (isinstance(value, int) and not isinstance(value, bool)):
        return _Entier(_cell(value))
    return _cell(value)


def to_csv(table: str, data: list[dict]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    writer.writerow([_Entier(name) for name, *_ in TABLES[table]["champs"]])  # identifiers: [a-z_], bare
    for row in data:
        writer.writerow([_cellule_csv(row[name]) for name, *_ in TABLES[table]["champs"]])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def files(guide: Guide, entre_deux=lambda: None) -> dict[str, bytes]:
    """Every open data file, by path under the site: donnees/<table>.json, .csv and .schema.json. `entre_deux()`
    is called before each table (the preview's complete build gives way there to a fiche just saved: at 10,000
    fiches the tables take seconds)."""
    out = {}
    for table in TABLES:
        entre_deux()
        data = rows(guide, table)
        # Compact: json's C encoder only runs without indentation (the data files grow with the fiches).
        out[f"{DOSSIER}/{table}.json"] = json.dumps(data, ensure_ascii=False).encode("utf-8")
        out[f"{DOSSIER}/{table}.csv"] = to_csv(table, data)
        out[f"{DOSSIER}/{table}.schema.json"] = json.dumps(schema(table), ensure_ascii=False, indent=1).encode("utf-8")
    return out
