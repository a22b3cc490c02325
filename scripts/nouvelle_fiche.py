#!/usr/bin/env python3
"""Crée une fiche territoire, ou ajoute une action à une fiche existante, à partir du modèle.

    .venv/bin/python scripts/nouvelle_fiche.py territoire "Saint-Martin-d'Hères" --type commune --region "Auvergne-Rhône-Alpes"
    .venv/bin/python scripts/nouvelle_fiche.py action saint-martin-d-heres --titre "Un tiers-lieu" --champ foncier-tiers-lieux

Le nom de fichier (l'identifiant) est déduit du nom : minuscules, sans accent, apostrophes et espaces
remplacés par des tirets, « St- » écrit « saint- ». La commande refuse un identifiant ou un nom déjà pris.
Elle laisse des champs vides à remplir : la fiche passe la vérification (.venv/bin/python scripts/valider.py) une fois
ces champs remplis.

Code de sortie : 0 si la fiche est écrite, 1 si elle est refusée (identifiant pris, valeur inconnue),
2 si la commande est mal employée.
"""
from __future__ import annotations

import datetime
import io
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "macros"))

try:
    import yaml  # noqa: E402
    from guide import adresses_reservees  # noqa: E402
    from guide.commande import ArgumentParser  # noqa: E402  (argparse's own words in French)
    from guide.modele import caracteres  # noqa: E402
    from guide.modele.slugs import slugify  # noqa: E402
    from guide.modele.validate import suggestion  # noqa: E402  (« vouliez-vous dire … ? », as the validator says it)
except ImportError as exc:  # a Python without the guide's tools
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _outils import manquent
    manquent(exc, __file__)

TERRITOIRE = """\
---
# Fiche créée par scripts/nouvelle_fiche.py : remplissez chaque clé restée vide, puis vérifiez et mettez en forme :
#   .venv/bin/python scripts/valider.py {chemin}
#   .venv/bin/python scripts/formater.py {chemin}
# Toutes les clés possibles (population, budget, contacts…) sont décrites sur la page « Modèle des fiches ».
nom: {nom}
type: {type}  # {types}
region: {region}
{code}{officielle}mis_a_jour: "{date}"
sources:  # les publications qui parlent de ce territoire (identifiants : fiches/sources.yaml)
  - publication:
    page:
actions:
{action}---
"""

ACTION = """\
  - titre: {titre}
    champs: [{champs}]  # identifiants des champs d'action (noms des fichiers de fiches/champs/)
    resume: {resume}  # ce que le territoire a fait, avec ses chiffres
    # annee: 2021
    # nature: exemple  (zoom, parole, fiche-action, groupe-de-travail, exemple ou mention)
    sources:
      - publication:
        page:
"""


def derive_slug(name: str) -> str:
    """« Saint-Martin-d'Hères » → saint-martin-d-heres ; « St-Étienne » → saint-etienne."""
    text = str(name).replace("’", "'").replace("ʼ", "'")
    text = re.sub(r"\b(St|Ste)(?:\.|\b)(?=[\s-])", lambda m: "Saint" if m.group(1).lower() == "st" else "Sainte",
                  text, flags=re.I)
    return slugify(text)


def _schema_enum(field: str) -> list[str]:
    schema = yaml.safe_load((ROOT / "fiches" / "schemas" / "territoire.schema.yaml").read_text(encoding="utf-8"))
    return list(schema["properties"][field]["enum"])


def _fold(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", slugify(text).replace("-", " ")).strip()


def _today() -> str:
    return datetime.date.today().isoformat()


def _yaml_scalar(text: str | None) -> str:
    """A value written safely on one YAML line (quoted only when needed); empty when not given."""
    if not text:
        return ""
    from guide.modele.load import en_yaml
    return en_yaml(text)


def _fiches_connues(root: Path) -> tuple[dict[str, str], dict[str, str]]:
    """(folded name or alias → file, « code_insee:departements:44 » → file) of every existing territory fiche: its
    official codes with the list of the reference each belongs to (referentiel.cle_de_code)."""
    from guide.modele.referentiel import cle_de_code
    names, codes = {}, {}
    for path in sorted((root / "fiches" / "territoires").glob("*.md")):
        match = re.match(r"\A---\r?\n(.*?\r?\n)---", path.read_text(encoding="utf-8"), re.S)
        try:
            data = yaml.safe_load(match.group(1)) if match else None
        except yaml.YAMLError:
            continue
        if isinstance(data, dict):
            rel = path.relative_to(root).as_posix()
            for name in [data.get("nom")] + list(data.get("alias") or []):
                if isinstance(name, str):
                    names[_fold(name)] = rel
            for cle in ("code_insee", "siren"):
                if isinstance(data.get(cle), str) and isinstance(data.get("type"), str):
                    codes[cle_de_code(cle, data["type"], data[cle])] = rel
    return names, codes


def _code_officiel(root: Path, nom: str, type_: str | None, region: str | None) -> tuple[str, str, tuple | None]:
    """(line for the fiche, note for the editor, (key, code, official name) written): the official code found from
    the name in the reference (macros/guide/modele/referentiel.py), or why none was written."""
    from guide.modele import referentiel
    if not type_ or type_ not in referentiel.CLES:
        return "", "", None
    try:
        ref = referentiel.charger(root)
    except referentiel.ReferentielAbsent as exc:
        return "", f"Code officiel non cherché : {exc}\n", None
    found = referentiel.proposer(ref, nom, type_, region)
    exact = [f for f in found if referentiel.mots(f[2]) == referentiel.mots(nom)]
    # (elsewhere: the same name only; « Saint-Aubin-l'Exemple » was said to be found outside its région, as « Aubin »)
    ailleurs = [f for f in referentiel.proposer(ref, nom, type_) if referentiel.mots(f[2]) == referentiel.mots(nom)] \
        if region and not exact else []
    if ailleurs:
        # found in another région (editor QA: « Lannion » with --region "Île-de-France" was « introuvable »)
        cle = referentiel.CLES[type_][0]
        regions = []
        for _, code, officiel in ailleurs[:5]:
            identite = ref.officiel({"type": type_, cle: code})
            regions.append(f"\n  {code} {officiel}" + (f" ({identite.region[1]})" if identite and identite.region else ""))
        return (f"# {cle}: \"\"  # pas en {region} d'après le référentiel officiel : vérifiez la région\n",
                f"« {nom} » n'est pas en {region} d'après le référentiel officiel, qui le trouve ailleurs : vérifiez la "
                f"région (--region) ; si c'est l'un de ceux-ci, écrivez sa région et son {cle} :{''.join(regions)}\n", None)
    if not found:
        cle = referentiel.CLES[type_][0]
        # a name typed with a slip (« Poitier »): the near official names, as the validator proposes them (editor QA)
        proches = "".join(f"\n  {c} {n}" for _, c, n in referentiel.proches(ref, nom, type_, region))
        return (f"# {cle}: \"\"  # introuvable d'après le nom : à chercher, ou code_officiel_absent: avec la raison\n",
                f"Aucun {cle} trouvé pour « {nom} » dans le référentiel officiel"
                + (f" ; noms proches, à écrire si c'est l'un d'eux (nom et code) :{proches}\n" if proches
                   else " : complétez-le à la main.\n"), None)
    cle, code, officiel = found[0]
    if referentiel.mots(officiel) != referentiel.mots(nom):
        # a name that only holds an official one's words, or part of them, is not that territory: written, « Saint-
        # Testbourg » got the code of « Le Saint », a commune of the Morbihan, and was published with its identity
        # (editor QA); only proposed
        possibles = "".join(f"\n  {c} {n}" for _, c, n in found[:6])
        return (f"# {cle}: \"\"  # aucun territoire de ce nom exact : à chercher, ou code_officiel_absent: avec la raison\n",
                f"Aucun {cle} écrit : le référentiel officiel n'a pas de territoire nommé « {nom} ». Des noms qui en "
                f"partagent des mots, à écrire seulement si c'est l'un d'eux (nom et code) :{possibles}\n", None)
    others = "".join(f"\n  {c} {n}" for _, c, n in found[1:6])
    return (f"{cle}: \"{code}\"  # {officiel} (référentiel officiel, millésime {ref.millesime})\n",
            f"{cle} {code} ({officiel}) écrit d'après le nom" + (f" ; autres possibilités :{others}" if others else "")
            + "\n", found[0])


def _check_champs(root: Path, champs: list[str]) -> str | None:
    known = sorted(p.stem for p in (root / "fiches" / "champs").glob("*.md"))
    unknown = [c for c in champs if c not in known]
    if unknown:
        near = suggestion(unknown[0], known) if len(unknown) == 1 else ""
        return f"champ d'action « {', '.join(unknown)} » inconnu.{near} Champs d'action existants : {', '.join(known)}."
    return None


def _action_text(titre, champs, resume="") -> str:
    return ACTION.format(titre=_yaml_scalar(titre), champs=", ".join(champs), resume=_yaml_scalar(resume))


def _nom_refuse(nom: str) -> str | None:
    """Why the validator would refuse this name, said before a file is written: a character the policy refuses
    (a line break, an invisible or right-to-left mark), or letters of two scripts in one word (« Аlençon » with a
    Cyrillic « А », whose identifier would have been « lencon »)."""
    if not nom.strip() or any(c in nom for c in "\r\n\t"):
        return "le nom d'une collectivité s'écrit sur une ligne, sans tabulation (ex. « Saint-Martin-d'Hères »)."
    refuse = caracteres.caractere_refuse(nom)
    if refuse:
        return f"le nom contient un caractère interdit : {caracteres.decrire(refuse[1])} ; retapez-le au clavier."
    melange = caracteres.ecritures_melangees(caracteres.nfc(nom))
    if melange:
        return (f"le mot « {melange[0]} » du nom mêle plusieurs alphabets ({', '.join(melange[1])}) : des lettres "
                "d'un autre alphabet imitent les latines ; retapez le nom au clavier.")
    return None


def _identifiant(root: Path, identifiant: str) -> tuple[str | None, str | None]:
    """(identifier, None) of a territory fiche named as an editor may name it (« nantes-metropole »,
    « nantes-metropole.md », « fiches/territoires/nantes-metropole.md »), or (None, why not): never a file outside
    fiches/territoires/ (« ../champs/x », « ../../docs/index »)."""
    chemin = Path(identifiant)
    dossier = (root / "fiches" / "territoires").resolve()
    if len(chemin.parts) > 1 and (root / chemin).resolve().parent != dossier and chemin.resolve().parent != dossier:
        return None, (f"« {identifiant} » n'est pas une fiche de fiches/territoires/ : donnez son nom de fichier, "
                      "sans .md (ex. nantes-metropole).")
    slug = chemin.name.removesuffix(".md")
    if not slug or slug != slugify(slug):
        return None, (f"identifiant « {slug} » invalide : minuscules sans accent et tirets (ex. « ville-de-nantes »)."
                      + _fiches_proches(root, slugify(slug)))
    return slug, None


def _fiches_proches(root: Path, slug: str) -> str:
    """« Vouliez-vous dire … ? » with the territory fiches an editor may mean by `slug`: those whose identifier holds
    it as whole words (« angers » → « angers-loire-metropole »), else a near spelling (editor QA: « action angers »
    was told to create a second fiche of Angers Loire Métropole)."""
    if not slug:
        return ""
    fiches = sorted(p.stem for p in (root / "fiches" / "territoires").glob("*.md"))
    mots = [f for f in fiches if f"-{slug}-" in f"-{f}-"][:3]
    if mots:
        return " Vouliez-vous dire " + " ou ".join(f"« {f} »" for f in mots) + " ?"
    return suggestion(slug, fiches)


def creer_territoire(root: Path, nom: str, type_: str | None, region: str | None, slug: str | None,
                     titre: str | None = None, champs: list[str] = ()) -> tuple[int, str]:
    # A word processor's apostrophe (« d’Hères », pasted): names are written with the keyboard's, as the validator
    # asks, and the official name is then found (editor QA: « n'est pas en Auvergne-Rhône-Alpes, vérifiez la région »).
    nom = nom.replace("\u2019", "'")
    probleme = _nom_refuse(nom)
    if probleme:
        return 1, probleme
    slug, probleme = _identifiant(root, slug) if slug else (derive_slug(nom), None)
    if probleme:
        return 1, probleme
    if not slug or slug != slugify(slug):
        return 1, f"identifiant « {slug} » invalide : minuscules sans accent et tirets (ex. « ville-de-nantes »)."
    if slug in adresses_reservees(root, "territoires"):
        return 1, (f"identifiant « {slug} » réservé : « territoires/{slug} » est l'adresse d'une page du site. "
                   "Choisissez-en un autre avec --identifiant (ex. le nom de la collectivité, en minuscules et tirets).")
    path = root / "fiches" / "territoires" / f"{slug}.md"
    rel = path.relative_to(root).as_posix()
    if path.exists():
        return 1, (f"la fiche {rel} existe déjà : modifiez-la, ou ajoutez-lui une action avec\n"
                   f"  .venv/bin/python scripts/nouvelle_fiche.py action {slug} --titre \"…\" --champ <champ>")
    noms, codes = _fiches_connues(root)
    other = noms.get(_fold(nom))
    if other:
        return 1, f"le nom « {nom} » est déjà celui de {other} : modifiez cette fiche plutôt que d'en créer une autre."
    types, regions = _schema_enum("type"), _schema_enum("region")
    # « --type Commune », « --region bretagne »: the value the model writes, as the editor meant it (editor QA: refused)
    type_ = next((t for t in types if type_ and _fold(t) == _fold(type_)), type_)
    region = next((r for r in regions if region and _fold(r) == _fold(region)), region)
    if type_ and type_ not in types:
        return 1, f"type « {type_} » inconnu.{suggestion(type_, types)} Types possibles : {', '.join(types)}."
    if region and region not in regions:
        return 1, f"région « {region} » inconnue.{suggestion(region, regions)} Régions possibles : {', '.join(regions)}."
    problem = _check_champs(root, champs)
    if problem:
        return 1, problem
    code, note, trouve = _code_officiel(root, nom, type_, region)
    region_officielle = False
    if trouve:
        from guide.modele.referentiel import cle_de_code
        cle, valeur, officiel = trouve
        other = codes.get(cle_de_code(cle, type_, valeur))
        if other:  # « Métropole de Nantes »: another name of a territory the guide has
            return 1, (f"le {cle} {valeur} ({officiel}), trouvé d'après le nom « {nom} », est déjà celui de {other} : "
                       "c'est le même territoire ; modifiez cette fiche plutôt que d'en créer une autre.")
        from guide.modele.referentiel import charger, ecrit_autrement
        if not region:
            # the official code gives the région (editor QA: « region: » left empty for Quimper, found in Bretagne)
            identite = charger(root).officiel({"type": type_, cle: valeur})
            if identite is not None and identite.region and identite.region[1] in regions:
                region = identite.region[1]
                region_officielle = True
                note += (f"Région écrite d'après le référentiel officiel : {region} (region_officielle: true ; si une "
                         "source la donne, retirez cette ligne).\n")
        if ecrit_autrement(nom, officiel):
            # « quimper » was written as typed, and published so (editor QA): the reference's spelling
            note += f"Nom écrit comme le référentiel officiel : « {officiel} » (vous aviez tapé « {nom} »).\n"
            nom = officiel
    text = TERRITOIRE.format(chemin=rel, nom=_yaml_scalar(nom), type=type_ or "", types=", ".join(types),
                             region=_yaml_scalar(region), code=code, date=_today(), action=_action_text(titre, champs),
                             officielle="region_officielle: true  # aucune source ne donne la région\n" if region_officielle else "")
    path.write_text(text, encoding="utf-8")
    vides = [cle for cle, valeur in (("type", type_), ("region", region)) if not valeur] + ["sources"]
    vides_action = [cle for cle, valeur in (("titre", titre), ("champs", champs)) if not valeur] + ["resume", "sources"]
    return 0, (f"✓ fiche créée : {rel}\n{note}"
               f"Remplissez les clés restées vides ({', '.join(vides)}, et pour l'action : {', '.join(vides_action)}),\n"
               f"puis vérifiez : .venv/bin/python scripts/valider.py {rel}")


def _meme_titre(a: str, b: str) -> bool:
    return " ".join(_fold(a).split()) == " ".join(_fold(b).split())


def ajouter_action(root: Path, slug: str, titre: str | None, champs: list[str]) -> tuple[int, str]:
    from ruamel.yaml import YAML
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    slug, probleme = _identifiant(root, slug)
    if probleme:
        return 1, probleme
    path = root / "fiches" / "territoires" / f"{slug}.md"
    rel = path.relative_to(root).as_posix()
    if not path.exists():
        proches = _fiches_proches(root, slug)
        if proches:
            return 1, f"la fiche {rel} n'existe pas.{proches}"
        return 1, (f"la fiche {rel} n'existe pas : créez-la avec\n"
                   f"  .venv/bin/python scripts/nouvelle_fiche.py territoire \"Nom de la collectivité\"")
    problem = _check_champs(root, champs)
    if problem:
        return 1, problem
    text = path.read_text(encoding="utf-8")
    match = re.match(r"\A---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(?:\r?\n|\Z)", text, re.S)
    y = YAML()
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    try:
        data = y.load(match.group(1) or "") if match else None
    except Exception:
        data = None
    if not isinstance(data, dict):
        return 1, f"{rel} : en-tête YAML illisible ; corrigez-le d'abord (.venv/bin/python scripts/valider.py {rel})."
    new = y.load(_action_text(titre, champs, resume=""))[0]
    actions = data.get("actions")
    if titre and isinstance(actions, list):
        # the same command run twice added the action twice (editor QA), a title the validator then refuses
        numero = next((i for i, a in enumerate(actions, 1) if isinstance(a, dict) and isinstance(a.get("titre"), str)
                       and _meme_titre(a["titre"], titre)), None)
        if numero:
            return 1, f"{rel} a déjà une action « {actions[numero - 1]['titre']} » (n° {numero}) : complétez-la plutôt."
    if actions is None:
        data["actions"] = y.load(_action_text(titre, champs))
    elif isinstance(actions, list):
        actions.append(new)
    else:
        return 1, f"{rel} : la clé « actions » doit être une liste ; corrigez-la d'abord."
    if "mis_a_jour" in data:
        data["mis_a_jour"] = DoubleQuotedScalarString(_today())
    out = io.StringIO()
    y.dump(data, out)
    path.write_text("---\n" + out.getvalue() + "---\n" + text[match.end():], encoding="utf-8")
    number = len(data["actions"])
    vides = [cle for cle, valeur in (("titre", titre), ("champs", champs)) if not valeur] + ["resume", "sources"]
    return 0, (f"✓ action n° {number} ajoutée à la fin de {rel}\n"
               f"Remplissez ses clés restées vides ({', '.join(vides)}), puis vérifiez :\n"
               f"  .venv/bin/python scripts/valider.py {rel}")


def main(argv=None, root: Path = ROOT) -> int:
    parser = ArgumentParser(description="Crée une fiche territoire ou ajoute une action à une fiche.")
    sub = parser.add_subparsers(dest="commande", required=True, title="commandes", metavar="{territoire,action}")
    t = sub.add_parser("territoire", help="crée fiches/territoires/<identifiant>.md")
    t.add_argument("nom", help="nom officiel de la collectivité, ex. « Saint-Martin-d'Hères »")
    t.add_argument("--type", help="catégorie : metropole, commune, departement…")
    t.add_argument("--region", help="ex. « Auvergne-Rhône-Alpes »")
    t.add_argument("--identifiant", help="nom de fichier à utiliser au lieu de celui déduit du nom")
    t.add_argument("--titre", help="titre de la première action")
    t.add_argument("--champ", action="append", default=[], help="champ d'action de la première action (répétable)")
    a = sub.add_parser("action", help="ajoute une action à une fiche territoire existante")
    a.add_argument("identifiant", help="nom de fichier de la fiche, sans .md (ex. nantes-metropole)")
    a.add_argument("--titre", help="titre de l'action")
    a.add_argument("--champ", action="append", default=[], help="champ d'action illustré (répétable)")
    args = parser.parse_args(argv)
    if args.commande == "territoire":
        code, message = creer_territoire(root, args.nom, args.type, args.region, args.identifiant,
                                         args.titre, args.champ)
    else:
        code, message = ajouter_action(root, args.identifiant, args.titre, args.champ)
    print(message if code == 0 else f"✗ {message}", file=sys.stdout if code == 0 else sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
