"""One fact, one place (issue 24): the same action, territory or file written twice is refused, and each
error names the other place (file and line), so the editor sees both copies.

- An action is identified by its title once normalised (case, accents, punctuation, spaces): twice in one
  fiche is always refused; in two fiches it is refused unless the two actions carry different years (two
  authorities adopting « un SPASER » in 2015 and 2017 are two facts). A joint action is written once, on
  its main carrier's fiche, with `coporteurs`.
- A fiche copied from another keeps its text: the same summary (long enough to tell) in two fiches, unless each
  action gives its own year, and the same presentation text, are refused in both files.
- An official code (`code_insee`, `siren`) belongs to one fiche. Codes are compared within their own list
  of the reference: « 93 » is both the région Provence-Alpes-Côte d'Azur and the département of
  Seine-Saint-Denis (referentiel.liste_du_code says which list a code belongs to).
- Two file names that differ only by an apostrophe, a hyphen or an accent (villeneuve-d-ascq.md and
  villeneuve-dascq.md, what a web form's slug rule makes of « Villeneuve-d'Ascq ») are the same territory.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

from guide.modele.errors import FicheError
from guide.modele.load import Document, _dotted
from guide.modele.referentiel import liste_du_code
from guide.modele.slugs import slugify


@functools.lru_cache(maxsize=1 << 16)
def titre_normalise(titre: str) -> str:
    """« L’Économie  sociale, » → « l economie sociale »: what two titles of the same action share."""
    # Split on punctuation first: folding « l’ESS » to ASCII would otherwise glue it into « less ».
    words = re.findall(r"[^\W_]+", str(titre).replace("œ", "oe").replace("Œ", "Oe").lower())
    folded = (unicodedata.normalize("NFKD", w).encode("ascii", "ignore").decode() for w in words)
    return " ".join(w for w in folded if w)


@functools.lru_cache(maxsize=1 << 16)
def nom_de_fichier_normalise(stem: str) -> str:
    """villeneuve-d-ascq and villeneuve-dascq → villeneuveascq… both the same: letters and digits only."""
    text = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]", "", text)


def _ou(doc: Document, path: tuple) -> str:
    line = doc.line_of(path)
    return f"{doc.rel}, ligne {line}" if line else doc.rel


def _annee(action: dict):
    value = action.get("annee")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def verifier_doublons(territoires: dict, chemins: list[Path], root: Path) -> list[FicheError]:
    """Every duplicate of the territory fiches: actions, official codes, file names."""
    return (_actions(territoires) + _resumes(territoires) + _resumes_ailleurs(territoires) + _textes(territoires)
            + _codes(territoires) + _fichiers(chemins, root))


def _resumes(territoires: dict) -> list[FicheError]:
    """Two actions of one fiche with the same summary (normalised as titles are) and other titles: « Clauses sociales »
    copied as « Clauses sociales (bis) » or « Les clauses sociales » passed (editor QA). The same fact, told twice."""
    errors = []
    for doc in territoires.values():
        actions = doc.data.get("actions") if isinstance(doc.data, dict) else None
        vus: dict[str, int] = {}
        for i, action in enumerate(actions if isinstance(actions, list) else []):
            resume = action.get("resume") if isinstance(action, dict) else None
            cle = titre_normalise(resume) if isinstance(resume, str) else ""
            if not cle:
                continue
            if cle in vus and titre_normalise(actions[vus[cle]].get("titre", "")) != titre_normalise(action.get("titre", "")):
                j = vus[cle]
                path = ("actions", i, "resume")
                errors.append(FicheError(doc.rel, f"l'action « {action.get('titre')} » a le même résumé que l'action n° "
                                                  f"{j + 1} « {actions[j].get('titre')} » ({_ou(doc, ('actions', j, 'resume'))}) : "
                                                  "c'est la même action, écrite deux fois ; fusionnez-les en une action, "
                                                  "avec toutes leurs sources.", doc.line_of(path), _dotted(path)))
            vus.setdefault(cle, i)
    return errors


def _titres(doc: Document) -> list:
    """(normalised title, index, action) of each titled action of a fiche (Document.derive: once per loaded file)."""
    actions = doc.data.get("actions") if isinstance(doc.data, dict) else None
    titres = []
    for i, action in enumerate(actions if isinstance(actions, list) else []):
        if isinstance(action, dict) and isinstance(action.get("titre"), str) and titre_normalise(action["titre"]):
            titres.append((titre_normalise(action["titre"]), i, action))
    return titres


def _actions(territoires: dict) -> list[FicheError]:
    errors = []
    seen: dict[str, list] = {}
    for doc in territoires.values():
        for titre, i, action in doc.derive(_titres):
            seen.setdefault(titre, []).append((doc, i, action))
    for uses in seen.values():
        if len(uses) < 2:
            continue  # a title used once: no duplicate (almost every title, at 10,000 fiches)
        for doc, i, action in uses:
            path = ("actions", i, "titre")
            for other_doc, j, other in uses:
                if (other_doc, j) == (doc, i):
                    continue
                if other_doc is doc:
                    errors.append(FicheError(doc.rel, f"l'action « {action['titre']} » figure deux fois dans la fiche "
                                                      f"(aussi action n° {j + 1}, {_ou(doc, ('actions', j, 'titre'))}) : "
                                                      "fusionnez-les en une action, avec toutes leurs sources.",
                                             doc.line_of(path), _dotted(path)))
                    break
                years = (_annee(action), _annee(other))
                if None not in years and years[0] != years[1]:
                    continue  # the same kind of action, carried out by two authorities in two years
                errors.append(FicheError(doc.rel, f"l'action « {action['titre']} » est aussi dans "
                                                  f"{_ou(other_doc, ('actions', j, 'titre'))} : une action portée à "
                                                  "plusieurs s'écrit une seule fois, dans la fiche de son porteur "
                                                  "principal, avec « coporteurs: [autre-fiche] » ; une phrase qui "
                                                  "cite les deux territoires, chacun pour sa propre politique, "
                                                  "s'écrit une seule fois aussi, avec « nature: mention » et "
                                                  "« coporteurs: [autre-fiche] » (mention partagée). S'il s'agit de "
                                                  "deux actions distinctes, donnez-leur des titres qui les "
                                                  "distinguent (ou l'année de chacune, annee).",
                                         doc.line_of(path), _dotted(path)))
                break
    return errors


# Texts this short may be the same in two fiches without one being a copy of the other (« Ce que fait la ville. »);
# the guide's shortest summary has 8 words.
MOTS_D_UN_RESUME_COPIE = 8
MOTS_D_UN_TEXTE_COPIE = 20


def _resumes_normalises(doc: Document) -> list:
    """(normalised summary, index, action) of each action of a fiche whose summary is long enough to tell a copy
    (Document.derive: once per loaded file)."""
    actions = doc.data.get("actions") if isinstance(doc.data, dict) else None
    out = []
    for i, action in enumerate(actions if isinstance(actions, list) else []):
        resume = titre_normalise(action["resume"]) if isinstance(action, dict) and isinstance(action.get("resume"), str) else ""
        if resume.count(" ") + 1 >= MOTS_D_UN_RESUME_COPIE:
            out.append((resume, i, action))
    return out


def _resumes_ailleurs(territoires: dict) -> list[FicheError]:
    """The same summary in two fiches: a fiche copied from another and left with its actions (editor QA: saint-brieuc.md
    copied as lannion.md, its name, title and code changed, was published with Saint-Brieuc's actions), or an action
    carried by several written twice. Not said again where the titles are the same too and _actions already told it."""
    seen: dict[str, list] = {}
    for doc in territoires.values():
        for cle, i, action in doc.derive(_resumes_normalises):
            seen.setdefault(cle, []).append((doc, i, action))
    errors = []
    for uses in seen.values():
        if len({id(doc) for doc, _, _ in uses}) < 2:
            continue  # one fiche: _resumes
        for doc, i, action in uses:
            for other_doc, j, other in uses:
                if other_doc is doc:
                    continue
                years = (_annee(action), _annee(other))
                if None not in years and years[0] != years[1]:
                    continue  # two authorities doing the same kind of action in two years, as _actions allows (rules QA)
                if titre_normalise(str(action.get("titre", ""))) == titre_normalise(str(other.get("titre", ""))):
                    break  # the same title too: _actions said it
                path = ("actions", i, "resume")
                errors.append(FicheError(doc.rel, f"l'action « {action.get('titre')} » a le même résumé que l'action "
                                                  f"« {other.get('titre')} » de {_ou(other_doc, ('actions', j, 'resume'))} : "
                                                  "une fiche copiée d'une autre en garde le texte, qui n'est pas celui de ce "
                                                  "territoire ; écrivez le résumé de cette action-ci d'après sa source. Une "
                                                  "action portée à plusieurs s'écrit une seule fois, dans la fiche de son "
                                                  "porteur principal, avec « coporteurs: [autre-fiche] » ; deux "
                                                  "actions distinctes, menées des années différentes, donnent chacune "
                                                  "son année (annee).",
                                         doc.line_of(path), _dotted(path)))
                break
    return errors


def _texte_normalise(doc: Document) -> str:
    texte = titre_normalise(doc.body) if isinstance(doc.body, str) else ""
    return texte if texte.count(" ") + 1 >= MOTS_D_UN_TEXTE_COPIE else ""


def _textes(territoires: dict) -> list[FicheError]:
    """The same presentation text in two fiches: one copied from the other, whose territory it describes (editor QA:
    « La ville de Saint-Brieuc soutient l'ESS… » was published as Lannion's)."""
    seen: dict[str, list] = {}
    for doc in territoires.values():
        texte = doc.derive(_texte_normalise)
        if texte:
            seen.setdefault(texte, []).append(doc)
    errors = []
    for docs in seen.values():
        for doc in docs if len(docs) > 1 else ():
            others = ", ".join(o.rel for o in docs if o is not doc)
            errors.append(FicheError(doc.rel, f"le texte de présentation est aussi celui de {others} : une fiche copiée "
                                              "d'une autre en garde le texte, qui décrit l'autre territoire ; écrivez "
                                              "celui de ce territoire-ci d'après ses sources.",
                                     doc.body_line + len(doc.body) - len(doc.body.lstrip("\n")), "texte libre"))
    return errors


def _codes(territoires: dict) -> list[FicheError]:
    errors = []
    seen: dict[tuple, list] = {}
    for doc in territoires.values():
        data = doc.data if isinstance(doc.data, dict) else {}
        type_ = data.get("type")
        type_ = type_ if isinstance(type_, str) else None  # any other value is the schema's to report
        for cle in ("code_insee", "siren"):
            code = data.get(cle)
            if isinstance(code, str) and code.strip():
                seen.setdefault((cle, liste_du_code(cle, type_), code.strip()), []).append(doc)
    for (cle, _, code), docs in seen.items():
        if len(docs) < 2:
            continue
        for doc in docs:
            others = [_ou(o, (cle,)) for o in docs if o is not doc]
            if others:
                errors.append(FicheError(doc.rel, f"le code « {code} » ({cle}) est aussi celui de {', '.join(others)} : "
                                                  "un territoire a une seule fiche. Complétez la fiche existante "
                                                  "plutôt que d'en créer une seconde.", doc.line_of((cle,)), cle))
    return errors


def _fichiers(chemins: list[Path], root: Path) -> list[FicheError]:
    errors = []
    seen: dict[str, list[Path]] = {}
    for path in chemins:
        seen.setdefault(nom_de_fichier_normalise(path.stem), []).append(path)
    for paths in seen.values():
        if len(paths) < 2:
            continue
        # Where some of the names are not written as a file name is (« Cergy-Pontoise.md »), only those are told: the
        # well-named fiche has nothing to change (editor QA: both files were blamed). One whose name, so written, is
        # another's of the group is told by the check of its own name (guide/__init__.py), once.
        mal_nommes = [p for p in paths if p.stem != slugify(p.stem)]
        bien_nommes = {p.stem for p in paths} - {p.stem for p in mal_nommes}
        for path in [p for p in mal_nommes if slugify(p.stem) not in bien_nommes] if mal_nommes else paths:
            others = [p.relative_to(root).as_posix() for p in paths if p != path]
            if others:
                errors.append(FicheError(path.relative_to(root).as_posix(),
                                         f"le nom de fichier « {path.name} » ne diffère de {', '.join(others)} que par "
                                         "une apostrophe, un tiret, un accent ou une majuscule : c'est le même territoire. Gardez une "
                                         "seule fiche (une apostrophe s'écrit « - » dans un nom de fichier : "
                                         "villeneuve-d-ascq.md)."))
    return errors
