"""What the search index keeps of a territory page.

Material indexes every section of every page in full: at 2,000 territory fiches that is 9 MB of JSON
that each reader's browser downloads and indexes before showing a result (the performance issue allows
5 MB). Study, champ and resource pages stay indexed in full. A territory page keeps, for each section,
its title, the beginning of its text (the excerpt shown under the result), and the names of the rest:
words with a capital (partners, places, programmes, acronyms), what one looks for in a directory of
territories, in a hidden span. Headings that only group actions by champ carry no text of their own
and are left out: a search for a champ should lead to the champ's page.

Accents and plurals need nothing in the index: the search worker folds them on both sides
(docs/assets/javascripts/workers/guide-recherche.js).
"""
from __future__ import annotations

import json
import re

EXTRAIT = 200  # characters of each section's text kept as its excerpt

_BALISE = re.compile(r"<[^>]+>")
_FIN_DE_BLOC = re.compile(r"</(?:p|li|ul|ol)>")
_MOT = re.compile(r"\w+")


def est_fiche_territoire(page) -> bool:
    return str(page.meta.get("fiche", "")).startswith("fiches/territoires/")


def alleger(entries: list[dict], page_url: str) -> None:
    """Shorten in place the index entries of one territory page (the last ones added, at `page_url`)."""
    debut = len(entries)
    while debut and entries[debut - 1]["location"].startswith(page_url):
        debut -= 1
    gardees = []
    for entry in entries[debut:]:
        blocs = (" ".join(_BALISE.sub(" ", bloc).split()) for bloc in _FIN_DE_BLOC.split(entry["text"]))
        texte = " · ".join(bloc for bloc in blocs if bloc)
        if not texte and "#" in entry["location"]:
            continue  # a heading without text of its own (actions grouped by champ)
        entry["text"] = extrait(texte)
        gardees.append(entry)
    entries[debut:] = gardees


def extrait(texte: str) -> str:
    """The first EXTRAIT characters (whole words), then the capitalised words of the rest, hidden."""
    if len(texte) <= EXTRAIT:
        return texte
    debut = texte[:EXTRAIT].rsplit(" ", 1)[0]
    vus = {m.lower() for m in _MOT.findall(debut)}
    noms = []
    for mot in _MOT.findall(texte[len(debut):]):
        if len(mot) > 1 and mot[0].isupper() and mot.lower() not in vus:
            vus.add(mot.lower())
            noms.append(mot)
    cache = f'<span hidden class="guide-plein-texte">{" ".join(noms)}</span>' if noms else ""
    return f"{debut} …{cache}"


def ecrire_en_utf8(index_path) -> None:
    """Rewrite Material's search index with UTF-8 characters instead of \\u escapes (same JSON data).

    After a partial preview build (apercu.py), Material's merge of the previous index keeps the old
    entries of all rebuilt pages but the first: each section is kept once, in its newest version.
    """
    if index_path.exists():
        data = json.loads(index_path.read_text(encoding="utf-8"))
        locations = [entry["location"] for entry in data["docs"]]
        if len(set(locations)) < len(locations):
            newest = {location: i for i, location in enumerate(locations)}
            data["docs"] = [entry for i, entry in enumerate(data["docs"]) if newest[entry["location"]] == i]
        index_path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
