"""Step 2: check loaded fiches against the schemas of fiches/schemas/, then across fiches.

The JSON Schemas are the single written model of a fiche: they drive these checks
and the "Modèle des fiches" page. jsonschema's messages are English and name
Python types, so each failing keyword is translated here into a French sentence
that says what was expected.
"""
from __future__ import annotations

import datetime
import difflib
import html
import itertools
import posixpath
import re
import unicodedata
import urllib.parse
from functools import lru_cache
from pathlib import Path

import jsonschema_rs
import yaml
from jsonschema import Draft202012Validator, ValidationError, validators
from lxml import html as lxml_html
from referencing import Registry, Resource

from guide import chemins
from guide.modele import caracteres
from guide.modele.adresses import adresse_locale, adresse_montree_ailleurs, comme_un_appel
from guide.modele.doublons import _ou, titre_normalise
from guide.modele.errors import FicheError
from guide.modele.load import DEBUT_DE_LISTE, PREFIXE_DE_BLOC, Document, _dotted, en_yaml, liste_voulue
from guide.modele import parentheses, slugs
from guide.modele.nombres import ecrire, texte_a_la_place_d_un_nombre, valeur_francaise
from guide.modele.referentiel import mots
from guide.modele.slugs import slugify
# (schema_documents and suivre_ref are the schemas module's, imported here for the validator's users)
from guide.modele.schemas import COLLECTIONS, SCHEMA_DIR, libelles, schema_documents, suivre_ref  # noqa: F401


TYPE_NAMES = {"string": "un texte", "integer": "un nombre entier", "number": "un nombre",
              "array": "une liste", "object": "un bloc de clés", "boolean": "vrai ou faux (true/false)",
              "null": "rien"}

# Active content a fiche may never carry, looked for after HTML entities are decoded (contenu_actif): these tags and
# schemes, and an event handler inside a tag (« <a href=x onclick= »).
ACTIVE_CONTENT = re.compile(
    r"<\s*(script|iframe|object|embed|style|form|base|meta|link)\b"
    r"|(javascript|vbscript)\s*:"
    r"|data\s*:\s*text/html",
    re.I,
)
# The handler is looked for in one pass over the text, which says whether a « < » is open when it comes: the pattern
# « <[^>]*\son…= » tried every « < » up to the end of a text without « > », and a fiche of « <a <a <a … » within
# the bounds took minutes to check (editor QA: 90 résumés of 9,900 characters, 17 minutes, not finished).
_CHEVRON_OU_GESTIONNAIRE = re.compile(r"[<>]|\s(on[a-z]+)\s*=", re.I)


def contenu_actif(texte: str) -> str | None:
    """The first active content of `texte` (a tag, a scheme or an event handler in a tag), as written; or None.
    Linear in the text's length."""
    trouves = []
    balise = ACTIVE_CONTENT.search(texte)
    if balise:
        trouves.append((balise.start(), balise.group(0)))
    ouverture = None  # where the « < » still open began
    for m in _CHEVRON_OU_GESTIONNAIRE.finditer(texte):
        signe = m.group(0)
        if signe == "<":
            ouverture = m.start() if ouverture is None else ouverture
        elif signe == ">":
            ouverture = None
        elif ouverture is not None:
            trouves.append((ouverture, texte[ouverture:m.end()] if m.end() - ouverture <= 80
                            else texte[ouverture:ouverture + 20] + " … " + m.group(0).strip()))
            break
    return min(trouves)[1] if trouves else None


@lru_cache(maxsize=None)
def _motif(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def _motif_entier(validator, pattern, instance, schema):
    """`pattern` matched against the whole text. JSON Schema's `pattern` is a search, and Python's `$` also
    matches before a final line break: « "93048\\n" » matched `^[0-9]{5}$`, while jsonschema-rs (whose `$`
    is the end of the text) refused it, so the two validators disagreed and the fiche passed. Every pattern of
    the schemas is written `^…$` (tests/test_politique_unicode.py checks it); matched whole here, `$` can no
    longer leave a line break after it."""
    if validator.is_type(instance, "string") and not _motif(pattern).fullmatch(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_Validateur = validators.extend(Draft202012Validator, {"pattern": _motif_entier})


@lru_cache(maxsize=None)
def schemas() -> dict:
    """A validator per schema file (by file name), built once, with a registry for $ref."""
    loaded = schema_documents()
    registry = Registry().with_resources((name, Resource.from_contents(s)) for name, s in loaded.items())
    return {name: _Validateur(s, registry=registry) for name, s in loaded.items()}


# Schemas' relative $id and $ref ("commun.schema.yaml#/...") resolve against this absolute base; nothing is fetched.
_BASE_URI = "https://guide.invalid/schemas/"


@lru_cache(maxsize=None)
def fast_validators() -> dict:
    """The same schemas compiled by jsonschema-rs (native code, ~100 times faster than jsonschema).

    It only answers "valid or not", which is all a build needs for nearly every fiche; when a fiche is
    not valid, jsonschema (above) lists its errors, which check_schema translates into French. Formats
    are not asserted, as with jsonschema's default validator, so both accept the same documents
    (tests/test_validation.py checks they agree).
    """
    loaded = schema_documents()
    registry = jsonschema_rs.Registry([(_BASE_URI + name, s) for name, s in loaded.items()])
    return {name: jsonschema_rs.Draft202012Validator(s, registry=registry, base_uri=_BASE_URI + name,
                                                     validate_formats=False)
            for name, s in loaded.items()}


def _type_name(value) -> str:
    if isinstance(value, bool):
        return "vrai/faux"
    if isinstance(value, (int, float)):
        return "un nombre"
    if isinstance(value, str):
        return "un texte"
    if isinstance(value, list):
        return "une liste"
    if isinstance(value, dict):
        return "un bloc de clés"
    return "rien" if value is None else "une valeur d'un autre type"


def _montrer(value) -> str:
    """A value as the editor wrote it (never Python's repr)."""
    if isinstance(value, bool):
        return " « true »" if value else " « false »"
    if isinstance(value, (list, dict)):
        return ""
    text = str(value)
    return f" « {text[:60]}{'…' if len(text) > 60 else ''} »"


# White space an editor cannot see, in a value refused for its spelling: « Occitanie » and a no-break space was told
# « valeur « Occitanie  » non reconnue. Vouliez-vous dire « Occitanie » ? », two words that look the same (editor QA).
_BLANCS_INVISIBLES = {"\u00a0": "une espace insécable", "\u202f": "une espace fine insécable", "\t": "une tabulation",
                      "\u2007": "une espace de chiffre", "\u2009": "une espace fine", "\u3000": "une espace idéographique"}


def _blancs_invisibles(value) -> str:
    """The white space of `value` that does not show, named, with what to do; or ""."""
    if not isinstance(value, str) or value.isascii() and "\t" not in value:
        return ""
    noms = [nom for blanc, nom in _BLANCS_INVISIBLES.items() if blanc in value]
    return f" La valeur contient {' et '.join(noms)}, qui ne se voit pas : retapez ses espaces." if noms else ""


def proche(value, possible, cutoff: float = 0.6) -> str | None:
    """The near miss of `value` among `possible` (difflib; or the same but for accents and case), else None."""
    if not isinstance(value, str):
        return None
    near = difflib.get_close_matches(value, [str(p) for p in possible], n=1, cutoff=cutoff)
    if not near:  # accents and case: « Ile-de-France » for « Île-de-France », « resumé » for « resume »
        folded = {_normalise(p): str(p) for p in possible}
        near = [folded[_normalise(value)]] if _normalise(value) in folded else []
    return near[0] if near else None


def suggestion(value, possible, cutoff: float = 0.6, liste: bool = False) -> str:
    """« vouliez-vous dire « resume » ? » for a near miss among `possible` (difflib), else "". Identifiers of
    `possible` typed one after the other without a comma (« achats-responsables evaluation ») are said so: the near
    miss, the first of them, dropped the others for an editor who followed it (editor QA)."""
    if liste and isinstance(value, str):  # (an element of a list: a field of one value takes one, attacker QA)
        parties = [p for p in re.split(r"[\s;]+", value.strip()) if p]
        if len(set(parties)) == len(parties) > 1 and all(p in possible for p in parties):
            return f" Ce sont {len(parties)} identifiants sans virgule entre eux : écrivez-les [{', '.join(parties)}]."
    near = proche(value, possible, cutoff)
    return f" Vouliez-vous dire « {near} » ?" if near else ""


# Keys an editor writes for a person's details (editor QA): the guide has no place for them, and says why.
_COORDONNEES = {"courriel", "email", "e mail", "mail", "adresse mail", "telephone", "tel", "portable", "mobile", "phone"}
# …or writes in a contact's name: « Marie Dupont, marie.dupont@example.org, 02 33 00 00 00 » was published.
# An address is tried from the start of a run of its characters only (the look-behind): tried from each of them, a
# run of 40,000 letters without « @ » cost 40,000 scans of the rest of the run, 13 s a text (editor QA). Only in a
# text with an « @ »; a number starts with its « 0 » or « + », looked behind afterwards: a pattern that starts with
# a character lets the engine jump to its next occurrence, where a look-behind first tried every position (at 2,000
# fiches, this check cost 1 s of the build).
# (its domain without the full stop that ends a sentence: « … à jean@ville.fr. » names « jean@ville.fr »)
_COURRIEL_ECRIT = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_TELEPHONE_ECRIT = re.compile(r"(?:\+(?<!\d\+)33[ .]?|0(?<!\d0))[1-9](?:[ .-]?\d{2}){4}(?!\d)")


# What Markdown hides of a text as a reader reads it: its backslash escapes (« evil\@exemple.fr » reads
# « evil@exemple.fr », attacker QA) and its marks of emphasis and code (« evil@exem**ple**.fr »). Neither removes a
# line break: a line counted in the text read is the line in the text written.
_ECHAPPEMENT = re.compile(r"\\([!-/:-@\[-`{-~])")


def coordonnee_ecrite(texte: str) -> re.Match | None:
    """The first e-mail address or telephone number in `texte` as a reader reads it, its Markdown marks left out (an
    address where both start at one place)."""
    if "\\" in texte or "*" in texte or "`" in texte:
        texte = _ECHAPPEMENT.sub(r"\1", texte).replace("*", "").replace("`", "")
    courriel = _COURRIEL_ECRIT.search(texte) if "@" in texte else None
    telephone = _TELEPHONE_ECRIT.search(texte)
    return telephone if telephone and (not courriel or telephone.start() < courriel.start()) else courriel


# A date written day first (« 12/03/2021 », « 12.03.2021 », « 12-03-2021 »).
_DATE_A_LA_FRANCAISE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
# …or in words, « 7 décembre 2026 », « 1er mars 2021 ».
_MOIS_EN_MOTS = ["janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre",
                 "novembre", "decembre"]
_MOIS_A_LA_FRANCAISE = re.compile(r"(\d{1,2})[/.-](\d{4})")
_MOIS_EN_MOTS_SEUL = re.compile(r"(?i)(janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[ûu]t|septembre|octobre|novembre|"
                                r"d[ée]cembre)\s+(\d{4})")
_DATE_EN_MOTS = re.compile(r"(?i)(1er|\d{1,2})\s+(janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[ûu]t|septembre|"
                           r"octobre|novembre|d[ée]cembre)\s+(\d{4})")


def _sans_accent(mot: str) -> str:
    return unicodedata.normalize("NFD", mot).encode("ascii", "ignore").decode()


def _ce_qu_elle_tient(description) -> str:
    """« : identifiants des champs d'action… », what a key holds as the model describes it, to end a message."""
    if not isinstance(description, str) or not description.strip():
        return ""
    texte = " ".join(description.split()).rstrip(".")
    return " : " + texte[:1].lower() + texte[1:]


def _cles_inconnues(error) -> list:
    """The keys of the block of an « additionalProperties » error that its schema does not know, in order."""
    return sorted(set(error.instance) - set(error.schema.get("properties", {})), key=str)


def _milliers(n: int) -> str:
    """12000 → « 12 000 » (narrow no-break space, as the site writes numbers)."""
    return f"{n:,}".replace(",", "\u202f")


def _french(error, cle=None) -> str | None:
    """Translate one jsonschema error into French: what is wrong and what is expected (None: said by another).
    `cle`: for unknown keys, the one this message is about (check_schema gives each its own, at its line)."""
    kw, schema, value = error.validator, error.schema, error.instance
    if kw == "required":
        missing = error.message.split("'")[1]
        if isinstance(value, dict) and any(isinstance(k, str) and k != missing and k.strip(" \u00a0\u202f") == missing
                                           for k in value):
            return None  # there, followed by a no-break space: said by the unknown key's message (below)
        # What the key holds, as the model says it (« champs »: the identifiers, the files of fiches/champs/): an
        # editor told only « ajoutez la ligne « champs: … » » did not know what to write there (editor QA).
        quoi = schema.get("properties", {}).get(missing, {}).get("description") if isinstance(schema, dict) else None
        return f"clé obligatoire « {missing} » manquante : ajoutez la ligne « {missing}: … »{_ce_qu_elle_tient(quoi)}."
    if kw == "additionalProperties":
        properties = schema.get("properties", {})
        known = ", ".join(sorted(properties))
        extra = [cle] if cle is not None else _cles_inconnues(error)
        # « nom\u00a0: » (a word processor's no-break space before the colon, French typography): another key to YAML
        colle = next((k.strip(" \u00a0\u202f") for k in extra
                      if isinstance(k, str) and k.strip(" \u00a0\u202f") in properties), None)
        if colle is not None:
            return (f"clé « {colle} » suivie d'une espace insécable (copiée d'un traitement de texte ?) : YAML la lit "
                    f"comme une autre clé ; retapez la ligne « {colle}: … » au clavier, sans espace avant le deux-points.")
        # « {publication:avise-2021, page:58} »: without a space after its colon, a key and its value are one key to
        # YAML (editor QA: « clé inconnue « page:58 » », « Vouliez-vous dire « page » ? »)
        sans_espace = [k for k in extra if isinstance(k, str) and k.partition(":")[0] in properties and k.partition(":")[2]]
        if sans_espace:
            cle_vue, _, valeur = sans_espace[0].partition(":")
            return (f"il manque une espace après « {cle_vue}: » : YAML lit « {sans_espace[0]} » comme une seule clé ; "
                    f"écrivez « {cle_vue}: {valeur} » (une espace après les deux-points).")
        hint = suggestion(extra[0], properties) if len(extra) == 1 else ""
        if len(extra) == 1 and _normalise(extra[0]) in _COORDONNEES:
            hint = (" Le guide ne publie ni adresse électronique ni numéro de téléphone : une fiche nomme les élus et "
                    "services par leur rôle et leur fonction, tels que les sources les publient ; retirez cette ligne.")
        if hint and proche(extra[0], properties) in schema.get("required", ()):
            hint += " C'est une clé obligatoire, absente de la fiche."
        return (f"clé inconnue « {', '.join(map(str, extra))} ».{hint} "
                f"Clés possibles à cet endroit : {known}.")
    if kw == "type":
        expected = error.validator_value
        expected = [expected] if isinstance(expected, str) else expected
        attendu = " ou ".join(TYPE_NAMES.get(t, t) for t in expected)
        if value is None:
            return f"valeur vide : écrivez {attendu} après les deux-points (ou retirez la ligne si la clé est facultative)."
        return (f"attendu {attendu}, trouvé {_type_name(value)}{_montrer(value)}."
                f"{_nombre_a_ecrire(error)}{_deux_points_dans_un_texte(error)}{_liste_a_ecrire(error)}")
    if kw == "enum":
        possible = error.validator_value
        if value is None:
            return f"valeur vide : choisissez l'une de : {', '.join(map(str, possible))}."
        if isinstance(value, (list, dict)):
            return f"attendu une seule valeur, trouvé {_type_name(value)}. Valeurs possibles : {', '.join(map(str, possible))}."
        return (f"valeur{_montrer(value)} non reconnue.{_blancs_invisibles(value)}{suggestion(value, possible)} "
                f"Valeurs possibles : {', '.join(map(str, possible))}.")
    if kw == "pattern":
        hint = schema.get("description") or f"format attendu : {error.validator_value}"
        if isinstance(value, str) and not value.strip():
            # (« titre: "" » is empty, said once with minLength's words: « que des espaces » came beside it, attacker QA)
            return "le texte ne doit pas être vide : il ne contient que des espaces." if value else "le texte ne doit pas être vide."
        if isinstance(value, str) and ("\n" in value or "\r" in value):
            shown = re.sub(r"\r?\n|\r", "↵", value)
            return f"format incorrect pour « {shown} » : la valeur contient un saut de ligne (↵). {hint}"
        if isinstance(value, str) and value[:1] in "“«‘„”" and value[-1:] in "”»’“":
            # What Word or a Mac types around « 2026-12-04 »: YAML keeps typographic quotes as part of the value.
            return (f"format incorrect pour « {value} » : les guillemets typographiques font partie de la valeur ; "
                    f"écrivez des guillemets droits (\"{value[1:-1].strip()}\") ou aucun. {hint}")
        # (a date of the model: « AAAA-MM-JJ » in its description, or the chronology's `date`, as precise as its source)
        date_du_modele = "AAAA-MM-JJ" in hint or list(error.absolute_path)[-1:] == ["date"]
        mois_seul = _MOIS_A_LA_FRANCAISE.fullmatch(value.strip()) if isinstance(value, str) and date_du_modele else None
        mois_seul = mois_seul or (_MOIS_EN_MOTS_SEUL.fullmatch(value.strip()) if isinstance(value, str)
                                  and list(error.absolute_path)[-1:] == ["date"] else None)
        if mois_seul and list(error.absolute_path)[-1:] == ["date"]:
            # « 03/2021 », « mars 2021 » in the chronology: the month to write (editor QA: the format alone)
            mois, annee = mois_seul.groups()
            numero = int(mois) if mois.isdigit() else _MOIS_EN_MOTS.index(_sans_accent(mois.lower())) + 1
            if 1 <= numero <= 12:
                return (f"format incorrect pour « {value} » : un mois s'écrit année-mois, écrivez date: "
                        f"\"{annee}-{numero:02d}\". {hint}")
        date = _DATE_A_LA_FRANCAISE.fullmatch(value.strip()) if isinstance(value, str) and date_du_modele else None
        en_mots = _DATE_EN_MOTS.fullmatch(value.strip()) if isinstance(value, str) and date_du_modele else None
        if en_mots:  # « 7 décembre 2026 » (editor QA: the format without the date to write)
            date = (en_mots.group(1).lower().replace("er", ""), str(_MOIS_EN_MOTS.index(_sans_accent(en_mots.group(2).lower())) + 1),
                    en_mots.group(3))
        if date:
            # « 12/03/2021 », as a French reader writes a date: the one to write, day and month in their places (editor QA)
            jour, mois, annee = (int(x) for x in (date.groups() if hasattr(date, "groups") else date))
            try:
                iso = datetime.date(annee, mois, jour).isoformat()
            except ValueError:
                iso = None
            if iso:
                return f"format incorrect pour « {value} » : une date s'écrit année-mois-jour, « {iso} ». {hint}"
        sans_zero = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value.strip()) if isinstance(value, str) and date_du_modele else None
        if sans_zero:
            # « 2021-3-12 »: the month and the day on two digits (editor QA: told the format, not the date to write)
            annee, mois, jour = (int(x) for x in sans_zero.groups())
            try:
                iso = datetime.date(annee, mois, jour).isoformat()
            except ValueError:
                iso = None
            if iso:
                return (f"format incorrect pour « {value} » : le mois et le jour s'écrivent sur deux chiffres, "
                        f"« {iso} ». {hint}")
        if isinstance(value, str) and "https://" in hint:
            # an address in chevrons, or without its « https:// » (editor QA: told only « format incorrect », or to
            # write a Markdown link, which YAML then misread): the address to write
            adresse = value.strip().strip("<>").strip()
            if not re.match(r"(?i)https?://", adresse) and re.fullmatch(r"(?i)(?:[^\W_][\w-]*\.)+[a-z]{2,}(?:[/?#]\S*)?", adresse):
                adresse = "https://" + adresse
            if adresse != value and re.search(error.validator_value, adresse):
                cle = list(error.absolute_path)[-1]
                return f"format incorrect pour « {value} » : écrivez l'adresse complète, seule, {cle}: {adresse}"
        return f"format incorrect pour « {value} ».{_blancs_invisibles(value)} {hint}"
    if kw == "minItems":
        n = error.validator_value
        quoi = schema.get("description")
        return f"la liste doit contenir au moins {n} élément{'s' if n > 1 else ''}{_ce_qu_elle_tient(quoi)}."
    if kw == "minLength":
        return "le texte ne doit pas être vide."
    if kw == "maxItems":
        n = error.validator_value
        return (f"liste trop longue ({len(value)} éléments) : {n} au plus à cet endroit (voir la page « Modèle des "
                "fiches ») ; gardez ce que les sources disent, ou répartissez le contenu entre plusieurs fiches.")
    if kw == "maxLength":
        n = error.validator_value
        return (f"texte trop long ({_milliers(len(value))} caractères) : {_milliers(n)} au plus à cet endroit (voir la "
                "page « Modèle des fiches ») ; résumez avec vos mots, la source reste citée.")
    if kw == "uniqueItems":
        seen, repeated = [], None
        for item in value:
            if item in seen:
                repeated = item
                break
            seen.append(item)
        shown = f" « {repeated} »" if isinstance(repeated, (str, int)) and not isinstance(repeated, bool) else ""
        return f"élément répété{shown} : chaque élément de cette liste ne s'écrit qu'une fois ; retirez le doublon."
    if kw in ("minimum", "maximum"):
        sign = "supérieure ou égale" if kw == "minimum" else "inférieure ou égale"
        borne = error.validator_value
        # The bound as the site writes figures (« 1 000 000 000 000 000 »), not as a run of zeros to count.
        borne = f"{borne:,}".replace(",", "\u202f") if isinstance(borne, int) and not isinstance(borne, bool) else borne
        ecrite = str(value) if len(str(value)) <= 30 else f"{str(value)[:20]}… ({len(str(value))} chiffres)"
        return f"la valeur {ecrite} doit être {sign} à {borne}."
    if kw == "exclusiveMinimum":
        return (f"la valeur {value} doit être supérieure à {error.validator_value} : un chiffre nul ou négatif ne décrit "
                "pas le territoire ; écrivez celui que la source donne, ou retirez-le.")
    if kw in ("anyOf", "oneOf"):
        return schema.get("description") or "valeur non conforme au modèle (voir la page « Modèle des fiches »)."
    return "valeur non conforme au modèle (voir la page « Modèle des fiches »)."


def _deux_points_dans_un_texte(error) -> str:
    """A text with « : » in it, unquoted (« - Bilan : une quarantaine… »), is read by YAML as a block of one key: the
    type alone does not say why (editor QA: « attendu un texte, trouvé un bloc de clés » on a list of points)."""
    expected = error.validator_value
    expected = [expected] if isinstance(expected, str) else expected
    value = error.instance
    if "string" not in expected or not isinstance(value, dict) or len(value) != 1:
        return ""
    (cle, suite), = value.items()
    if not isinstance(cle, str) or isinstance(suite, (dict, list)):
        return ""
    debut = cle if len(cle) <= 50 else cle[:50] + "…"
    return (f" Le texte « {debut} : … » contient un deux-points suivi d'une espace, que YAML lit comme une clé et sa "
            f"valeur : mettez tout le texte entre guillemets (\"{debut} : …\").")


def _liste_a_ecrire(error) -> str:
    """How a list is written, where a value or a block stands for one (« population: 89000 », « champs: evaluation »,
    « panorama: » without « - »): the type alone left the editor with a second error after following the first
    message's advice (editor QA)."""
    expected = error.validator_value
    expected = [expected] if isinstance(expected, str) else expected
    path = [p for p in error.absolute_path]
    if "array" not in expected or isinstance(error.instance, list) or not path or not isinstance(path[-1], str):
        return ""
    cle, items = path[-1], (error.schema.get("items") if isinstance(error.schema, dict) else None)
    try:  # (a reference written « #/$defs/… » is the shared schema's: the lists of blocks are made of its structures)
        items = suivre_ref(items, "commun.schema.yaml", schema_documents(), fusionner=False)[0] if items else None
    except (KeyError, TypeError):
        items = None
    if isinstance(items, dict) and items.get("type") == "object" and items.get("required"):
        premiere, *autres = items["required"]
        suite = (f", ses autres clés ({', '.join(f'« {k}: … »' for k in autres)}) alignées sous « {premiere} »"
                 if autres else "")
        return (f" Une liste de blocs s'écrit sous « {cle}: », chaque bloc commençant par « - » sur sa ligne, décalé de "
                f"deux espaces : « - {premiere}: … »{suite} (voir une autre fiche, ou la page « Modèle des fiches »).")
    if isinstance(error.instance, (str, int, float)) and not isinstance(error.instance, bool):
        texte = str(error.instance)
        # Elements typed one after the other with commas (« champs: a, b », « partenaires: CRESS, France Active »): the
        # list of them. Advised to put the whole text in brackets, the editor got one element « a, b » (editor QA). Only
        # where an element may hold a comma (a name, not an identifier) is that element alone offered too.
        elements = [e.strip() for e in _virgules_hors_parentheses(texte)]
        # (an identifier or a value of a list, whose pattern or enumeration holds no comma)
        identifiants = isinstance(items, dict) and (
            "enum" in items and not any("," in str(v) for v in items["enum"])
            or isinstance(items.get("pattern"), str) and not re.search(items["pattern"], "Nom, autre nom"))
        if len(elements) > 1 and all(elements):
            liste = f" Une liste s'écrit entre crochets, ses éléments séparés par des virgules : {cle}: " \
                    f"{_liste_yaml(elements)}"
            return liste + ("." if identifiants else
                            f" ; si c'est un seul élément qui contient des virgules : {cle}: {_liste_yaml([texte])}.")
        return f" Même d'un seul élément, une liste s'écrit entre crochets : {cle}: {_liste_yaml([texte])}."
    return ""


def _virgules_hors_parentheses(texte: str) -> list[str]:
    """`texte` cut at its commas that are not inside brackets (« État (SGARE, DREETS), la Région » is two)."""
    parts, profondeur, debut = [], 0, 0
    for i, c in enumerate(texte):
        profondeur += (c in "([{") - (c in ")]}")
        if c == "," and profondeur <= 0:
            parts.append(texte[debut:i])
            debut = i + 1
    return parts + [texte[debut:]]


def _liste_yaml(elements: list) -> str:
    """A list of texts as YAML writes it on one line, each element quoted where YAML needs it (« "État (SGARE,
    DREETS)" », « 'Réseau "Cocagne" d''Alençon' », « '2024' », « 'ON' »): written by hand, the advice broke the
    YAML it gave (verifier QA)."""
    return en_yaml([str(e) for e in elements])


def _nombre_a_ecrire(error) -> str:
    """« Écrivez annee: 2022 » when a number key holds a figure written as text (« "2022" », « 2 022 »)."""
    expected = error.validator_value
    expected = [expected] if isinstance(expected, str) else expected
    path = list(error.absolute_path)
    if not isinstance(error.instance, str) or not {"integer", "number"} & set(expected) or not path:
        return ""
    cle = path[-1] if isinstance(path[-1], str) else "valeur"
    mois = re.fullmatch(r"(?:\d{1,2}[/.-])?\d{1,2}[/.-]((?:19|20)\d{2})", error.instance.strip())
    # …or in words, « 3 mars 2021 », « mars 2021 » (editor QA: « attendu un nombre entier » alone)
    mois = mois or re.fullmatch(r"(?i)(?:(?:1er|\d{1,2})\s+)?(?:janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|"
                                r"septembre|octobre|novembre|décembre|decembre)\s+((?:19|20)\d{2})", error.instance.strip())
    if cle == "annee" and mois:  # « 12/2019 »: the type alone did not say what to write (editor QA)
        return f" Une année s'écrit seule : écrivez annee: {mois.group(1)} (le mois ou le jour, s'il compte, se dit dans le texte)."
    # « depuis 2015 », « 2019-2021 » in a block without a `periode` (an action's has one, check_schema): what to write
    # (editor QA: the type alone)
    annees = re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", error.instance)
    if cle == "annee" and len(annees) == 1 and re.search(r"[^\d\s\"'“”«»]", error.instance):
        return (f" Une année s'écrit seule, en chiffres : écrivez annee: {annees[0]} ; ce qui l'accompagne (« depuis », "
                "« vers »…) se dit dans le texte.")
    if cle == "annee" and len(annees) == 2 and path[0] != "actions":
        return (f" Une année s'écrit seule : écrivez celle des chiffres (annee: {annees[1]}, par exemple) ; la période "
                "se dit dans le texte.")
    valeur = valeur_francaise(error.instance)
    if valeur is None or ("number" not in expected and valeur != valeur.to_integral_value()):
        return ""
    return f" Écrivez {cle}: {ecrire(valeur)} (chiffres sans guillemets ni espace)."


def check_schema(doc: Document, schema_name: str) -> list[FicheError]:
    """Validate a document's data against one schema; every error, in French, with its line."""
    if fast_validators()[schema_name].is_valid(doc.data):
        return []
    validator = schemas()[schema_name]
    errors = []
    trouvees = sorted(validator.iter_errors(doc.data), key=lambda e: [str(p) for p in e.absolute_path])
    # A required key written wrong (« familel: » for « famille: ») is one fault, said once: at the unknown key, which
    # names it (editor QA: « clé obligatoire manquante » came beside « clé inconnue », without the link between them).
    mal_ecrites = {(tuple(e.absolute_path), proche(cle, e.schema.get("properties", {})))
                   for e in trouvees if e.validator == "additionalProperties" and isinstance(e.instance, dict)
                   for cle in _cles_inconnues(e)}
    for err in trouvees:
        path = tuple(err.absolute_path)
        if err.validator == "required" and (path, err.message.split("'")[1]) in mal_ecrites:
            continue
        if err.validator == "additionalProperties" and isinstance(err.instance, dict) and len(_cles_inconnues(err)) > 1 \
                and _french(err) and "insécable" not in _french(err):
            # Each unknown key at its own line, with its own near key (two in one message had none).
            for cle in _cles_inconnues(err):
                errors.append(FicheError(doc.rel, _french(err, cle), doc.line_of(path + (cle,)), _dotted(path + (cle,))))
            continue
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            extra = _cles_inconnues(err)
            path = path + (extra[0],) if extra else path
        message = _french(err)
        if message is None:
            continue
        if path[-2:-1] and path[0] == "actions" and path[-1] == "annee" and isinstance(err.instance, str) \
                and _PERIODE_ANNEES.match(err.instance):
            # « annee: 2019-2021 »: an action has a key for that.
            message += f" Pour une période, écrivez periode: \"{err.instance}\" à la place de « annee »."
        erreur = FicheError(doc.rel, message, doc.line_of(path), _dotted(path) or None)
        if erreur not in errors:  # one fault said in the same words by two rules of the schema
            errors.append(erreur)
    return errors


def _strings(value, path=()):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, path + (i,))


def _chemin(field: str) -> tuple:
    """The path of a field written dotted (`actions[0].resume` → ("actions", 0, "resume")): the model's keys hold no
    dot nor bracket."""
    return tuple(int(m.group(1)) if m.group(1) is not None else m.group(2)
                 for m in re.finditer(r"\[(\d+)\]|\.?([^.\[\]]+)", field))


def ligne_du_passage(doc: Document, path, passage: str | None, rang: int = 0) -> int | None:
    """The line of the fiche where `passage` of the text at `path` is written: a text written as a block (« resume:
    >- » and its lines) spans lines, and its key's line sent the editor to look for « 45.000 » or a broken link among
    ten (editor QA). The key's line when the passage is not found as written in the block (a quoted text, escapes).
    Only for a text found faulty: the file is read again then, never for a fiche without error."""
    ligne = doc.line_of(path)
    if not passage or ligne is None or "\n" in passage:
        return ligne
    try:
        lignes = doc.path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError, TypeError):
        return ligne
    if not 0 < ligne <= len(lignes):
        return ligne
    marge = len(lignes[ligne - 1]) - len(lignes[ligne - 1].lstrip(" -"))
    for i in range(ligne - 1, min(len(lignes), ligne + 400)):
        texte = lignes[i]
        if i >= ligne and texte.strip() and len(texte) - len(texte.lstrip(" -")) <= marge:
            break  # the next key: the text has ended
        if passage in texte:
            if not rang:
                return i + 1
            rang -= 1  # (an earlier line of the text writes it too: the `rang`-th after it)
    return ligne


def check_active_content(doc: Document, schema_name: str | None = None) -> list[FicheError]:
    """Refuse script, event handlers and javascript: URLs anywhere in a fiche; and HTML (a tag, a comment, an entity),
    which a fiche's text never becomes: the pages show it as written (fragments.py), so an editor who wrote
    « <a href=…> » or « &nbsp; » is told here rather than finding it printed on the page."""
    errors = []
    textes = list(_strings(doc.data))
    # One search over the whole fiche first (nearly every fiche has nothing to report), then each text and
    # line of a fiche that might, for its line and field.
    tout = "\n".join(text for _, text in textes) + "\n" + doc.body
    if not contenu_actif(html.unescape(tout)) and not html_ecrit(tout):
        return errors
    for path, text in textes:
        message = _code_ou_html(text, tel_quel=bool(schema_name) and tel_quel(schema_name, _chemin_du_modele(path)))
        if message and path and path[-1] == "url" and not contenu_actif(html.unescape(text)):
            continue  # an address in chevrons (« <https://…> »), not HTML: its format's message says what to write
        if message:
            passage = html_ecrit(text) or contenu_actif(html.unescape(text))
            errors.append(FicheError(doc.rel, message, ligne_du_passage(doc, path, passage), _dotted(path)))
    for number, line in enumerate(doc.body.splitlines(), start=doc.body_line):
        message = _code_ou_html(line, corps=True)
        if message:
            errors.append(FicheError(doc.rel, message, number))
    return errors


# A Markdown heading: « # … » to « ###### … » (Python-Markdown reads one without a space after the « # » too), or a
# line underlined with « = » or « - ».
_TITRE_ATX = re.compile(r"^ {0,3}(#{1,6})[^\n]*", re.M)
_SOULIGNEMENT = re.compile(r"^([^\n]*)\n {0,3}(?:=+|-+)[ \t]*$", re.M)


def check_titres(doc: Document) -> list[FicheError]:
    """Refuse a Markdown heading in a field of the header (a résumé, a programme's text…): inside an action it became
    a heading of the page, between the actions' own, and the page's outline (Material's table of contents, the
    printed sections) filed the next actions under it (editor QA). The text after the header may hold headings."""
    errors = []
    for path, text in _strings(doc.data):
        if "#" not in text and "\n" not in text:
            continue
        titre = _TITRE_ATX.search(text)
        souligne = next((m for m in _SOULIGNEMENT.finditer(text) if m.group(1).strip()), None) if "\n" in text else None
        trouve = min((m for m in (titre, souligne) if m), key=lambda m: m.start(), default=None)
        if trouve is not None:
            ligne = trouve.group(0).split("\n")[0].strip()
            errors.append(FicheError(doc.rel, f"titre Markdown « {ligne[:60]} » : un champ de l'en-tête n'a pas de titre "
                                              "(il s'insérerait dans le plan de la page, entre les actions) ; écrivez ce "
                                              "mot en gras (**texte**), ou mettez ce passage dans le texte après "
                                              "l'en-tête.", doc.line_of(path), _dotted(path)))
    if "#" in doc.body or "\n=" in doc.body or "\n-" in doc.body:
        propres = titres_des_pages()
        for m in _TITRE_DU_CORPS.finditer(doc.body):
            texte = _TEXTE_DU_LIEN.sub(r"\1", m.group(1).strip().rstrip("#") if m.group(1) is not None else m.group(2))
            nom = doc.data.get("nom") or doc.data.get("titre") if isinstance(doc.data, dict) else None
            if texte.strip() and isinstance(nom, str) and _plier_titre(texte) == _plier_titre(nom):
                # « # Saint-Brieuc » atop the text: the page's own title again, in the text and in « Sur cette page »
                # (editor QA)
                errors.append(FicheError(doc.rel, f"titre « {texte.strip()} » : c'est le nom de la fiche, que la page "
                                                  "écrit déjà en titre ; retirez cette ligne.",
                                         doc.body_line + doc.body.count("\n", 0, m.start()), "texte libre"))
                continue
            if texte.strip() and (_plier_titre(texte) in propres or slugs.titre(texte, "-") in ids_des_pages()):
                errors.append(FicheError(doc.rel, f"titre « {texte.strip()} » : c'est le titre d'une partie que le guide "
                                                  "écrit lui-même sur la page ; le lecteur prendrait ce passage pour "
                                                  "elle (et le sommaire la nommerait deux fois) : donnez-lui un autre "
                                                  "titre.", doc.body_line + doc.body.count("\n", 0, m.start()),
                                         "texte libre"))
    return errors


# A heading of the free text: « ## Notes » (any « # », as Python-Markdown reads it, its closing « # » aside) or a line
# underlined with « = » or « - ». Possessive: each line read once (a line of 40,000 letters, tried from each of them
# as a heading's text, took the validation 4 s; tests/test_robustesse.py).
_TITRE_DU_CORPS = re.compile(rf"^{PREFIXE_DE_BLOC}#++([^\n]*+)$|^{PREFIXE_DE_BLOC}([^\n]*+)\n {{0,3}}(?:=++|-++)[ \t]*+$",
                             re.M)
# A link's text in a heading (« ## [Notes](https://…) » reads « Notes »).
_TEXTE_DU_LIEN = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")


def _plier_titre(titre: str) -> str:
    """A title as a reader reads it, whatever its case, punctuation and spaces (« EN BREF : » is « en bref »)."""
    return " ".join(re.sub(r"[^\w]+", " ", unicodedata.normalize("NFKC", titre)).casefold().split())


@lru_cache(maxsize=1)
def titres_des_pages() -> frozenset[str]:
    """The titles of the parts the guide writes on its pages (« Élus et services », « Notes », « Carte d'identité »…,
    the headings of its templates that hold no value of a fiche), folded: a fiche's free text that titled a part so
    passed for the guide's own, fake elected officials and fake source notes among them (attacker QA)."""
    titres = set(TITRES_DU_GUIDE)
    # (the templates of the pages a fiche's text appears on)
    for chemin in (chemins.TEMPLATES / n for n in ("territoire.md.j2", "champ.md.j2", "_commun.md.j2", "_identite.md.j2")):
        texte = chemin.read_text(encoding="utf-8")
        # its headings, attributes aside (« { #notes data-search-exclude } »), and its boxes' titles
        lignes = [re.sub(r"\s*\{[^{}]*\}\s*$", "", t) for t in re.findall(r"^#{1,6} ([^\n]+)$", texte, re.M)]
        lignes += re.findall(r"^[ \t]*(?:!!!|\?\?\?)\+?[ \t]+[\w -]+\"([^\"\n]+)\"", texte, re.M)
        titres.update(t for t in lignes if "{{" not in t and "{%" not in t)
    from guide.rendu.sommaire import SUR_CETTE_PAGE  # (the block's title, written by the page's code)
    titres.add(SUR_CETTE_PAGE)
    return frozenset(_plier_titre(t) for t in titres)


@lru_cache(maxsize=1)
def ids_des_pages() -> frozenset[str]:
    """The ids the same templates give their parts (« { #actions-partagees-avec-dautres-territoires } »): a part whose
    title the template writes with a value (« Actions partagées avec d'autres territoires ») is known by its id."""
    ids = set()
    for chemin in (chemins.TEMPLATES / n for n in ("territoire.md.j2", "champ.md.j2", "_commun.md.j2", "_identite.md.j2")):
        ids.update(re.findall(r"^#{1,6} [^\n]*\{[^}\n]*#([a-z][\w-]*)", chemin.read_text(encoding="utf-8"), re.M))
    return frozenset(i for i in ids if "{" not in i)


# Keys whose text the pages show as a name or a title.
_TITRES_ET_NOMS = frozenset({"titre", "nom", "alias", "libelle"})
# Words a sentence or a title holds and a list of acronyms (« ESS, IAE, SIAE ») does not, in capitals.
_MOTS_OUTILS = frozenset({"LE", "LA", "LES", "DE", "DES", "DU", "ET", "EN", "AU", "AUX", "UN", "UNE", "POUR", "PAR",
                          "SUR", "AVEC", "DANS"})


def check_capitales(doc: Document) -> list[FicheError]:
    """Refuse a title or a name typed in capitals (« LE SALON SO EKO DES ACHATS RESPONSABLES »): the pages print it so,
    in every list that names it, and it reads as shouting (editor QA). Three words of three letters or more, none in
    lower case, one of them a word a title holds and a list of acronyms does not (« LE », « DES »…): an acronym
    (« PTCE »), a list of them (« ESS, IAE, SIAE »), a name with acronyms (« CRESS Grand Est ») is not one."""
    errors = []
    for path, text in _strings(doc.data):
        if not (isinstance(path[-1], str) and path[-1] in _TITRES_ET_NOMS) or not text.isupper():
            continue
        mots = re.findall(r"[^\W\d_]+", text)
        if (sum(len(m) >= 3 for m in mots) >= 3 and all(m.isupper() for m in mots if len(m) >= 2)
                and _MOTS_OUTILS.intersection(mots)):
            errors.append(FicheError(doc.rel, f"« {text[:60]} » est écrit en capitales, et la page l'afficherait ainsi : "
                                              "écrivez-le en minuscules, avec une majuscule au premier mot, aux noms "
                                              "propres et aux sigles.", doc.line_of(path), _dotted(path)))
    return errors


# What a text would show otherwise than the editor wrote it (editor QA), each named with what to write:
# a paragraph indented by four spaces or a tab after a blank line, which Markdown publishes as code;
# Where a paragraph starts: at the text's start, after any blank lines (a fiche's body opens with the blank line
# after its front matter: its first paragraph went unchecked, editor QA), or after a blank line.
_DEBUT_DE_PARAGRAPHE = r"(?:\A(?:[^\S\n]*\n)*|\n[^\S\n]*\n)"
_DECALAGE = re.compile(_DEBUT_DE_PARAGRAPHE + r"(?: {4}|[ ]{0,3}\t)[^\n]*\S")
# a decimal point (« 1.2 million », « 13.8 % ») or a thousands point (« 45.000 emplois ») in a French text;
_DECIMALE = re.compile(r"(?<![\w.,/-])(\d{1,3})\.(\d{1,2})([^\S\n]?(?:%|millions?\b|milliards?\b|M€|k€|Md€|€|euros?\b))")
# …followed by a word or a unit, or ending a sentence or the text (attacker QA: « Le budget est de 45.000. » passed);
_MILLIERS = re.compile(r"(?<![\w.,/-])\d{1,3}(?:\.\d{3})+(?!\w|[,.]\d)"
                       r"(?=[^\S\n]?(?:[^\W\d_]|€|%)|[.,;!?)]?(?:\s|\Z))")
# thousands the English way with commas, two groups or more (« 1,234,567 euros » read 1,234 by a French reader; one
# group, « 1,234 », is a French decimal), a sentence's last word too (« Budget : 1,234,567. »);
_MILLIERS_VIRGULES = re.compile(r"(?<![\w.,/-])\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?(?!\w|[,.]\d)")
# a word processor's bullet, which a text pasted from a document keeps inside its paragraph (editor QA: « un
# tiers-lieu : • 2 500 m² de bureaux ; • un atelier… » was published on one line);
_PUCE = re.compile(r"[•◦▪▫●○■□➢➤►‣⁃]")
# a word cut at a line's end by a hyphen in a PDF or a document (« terri-↵toire », « Saint-↵Aubin »), published
# « terri- toire » and found by no search (editor QA, verifying QA). Not taken: « pré- et post- » and « micro- comme
# les petites » go on with a conjunction (attacker QA), and a quoted « Aix-Marseille- Provence » starts after a
# hyphen. The spaces after the hyphen are read once (an atomic group): tried again for each way of sharing them
# between the two runs around the line break, « ab- » and 40,000 spaces cost 30 s;
_COUPURE = re.compile(r"(?<![\w-])([^\W\d_]{2,}+)-(?>[^\S\n]*\n?[^\S\n]*)(?<=\s)(?!(?:et|ou|à|ni|voire|comme|puis|mais|sinon|que|plutôt)\b)([^\W\d_]{2,})")
# an attribute list (« {: onclick=… } », « {#id} », « {target=_blank} »), which a fiche's text never reads;
_ATTRIBUTS = re.compile(r"\{[^\S\n]*(?::|#[\w-]|\.[\w-]|[\w-]+[^\S\n]*=)[^}\n]{0,60}\}?")
# a folded block of the site's pages (« ??? note »), a wiki link (« [[x]] »), a link by reference without its
# definition (« [Nantes][nm] »): each printed as typed.
# What each of those patterns needs to be found at all, looked for first: each of them starts with a look-behind, which
# the engine tries at every position of a text, where these, starting with a character, jump from one occurrence of it
# to the next (the checks of this function cost 1 s of the build at 2,000 fiches).
# A year opening a paragraph, « 2019. Avec le Pays de Grasse… »: the page published it as a numbered list's « 1. »
# (attacker QA).
_ANNEE_EN_TETE = re.compile(_DEBUT_DE_PARAGRAPHE + r"[ ]{0,3}([12]\d{3})\.[ \t]")
_POINT_CHIFFRE = re.compile(r"\.\d")  # _DECIMALE, _MILLIERS
_VIRGULE_CHIFFRE = re.compile(r",\d")  # _MILLIERS_VIRGULES
_TIRET_ESPACE = re.compile(r"-\s")  # _COUPURE: a space, a tab or a line break right after the hyphen
_REPLIE = re.compile(r"^[ \t]*\?\?\?\+?[ \t][^\n]{0,60}", re.M)
_WIKI = re.compile(r"\[\[[^\[\]\n]{1,80}\]\]")
_REFERENCE = re.compile(r"\[(?!\^)([^\[\]\n]{1,80})\]\[(?!\^)([^\[\]\n]{0,80})\]")  # (« [^1][^2] »: two notes)


# What other tools read, and a fiche's text never is (it is converted alone, fragments.py): template syntax
# (« {{ config.site_name }} », « {% if %} »), a snippet inclusion (« --8<-- "x.md" »), an abbreviation's definition
# (« *[ESS]: … »). Printed as typed, without a word (editor QA); the title « Alençon {{ 7*7 }} » gave its page an id
# « …-77 ». Refused with what to write; nothing of them is ever run or read, whatever the validator says.
# The boxes a fiche's text may draw (« !!! note "Titre" »): neutral ones. An alert (« !!! danger "Attention" », « Ce site
# est piraté ») read as a warning of the guide itself (attacker QA): refused here, and drawn as a note by the page
# (rendu/fragments.py keeps no other class). « abstract » is the guide's own summary, « En bref », at the top of each
# fiche's page: a fiche's « !!! abstract "En bref" » drew a second one, with its own figures (attacker QA).
# (« info » neither: Material draws it in the very colour of « abstract », and « !!! info "En bref" » passed for the
# guide's own box, attacker QA.) Nor may a box take the title of the guide's: drawn without it (rendu/fragments.py).
ENCADRES_DE_FICHE = ("note", "tip", "example", "quote")
TITRES_DU_GUIDE = ("En bref",)
_ENCADRE = re.compile(r"^[ \t]*!!!\+?[ \t]+([\w-]+)(?:[ \t]+\"([^\"\n]*)\")?", re.M)


def titre_du_guide(titre: str) -> bool:
    """Whether a box's title reads as one the guide gives its own boxes (« En bref », « EN BREF : »)."""
    return _plier_titre(titre) in {_plier_titre(t) for t in TITRES_DU_GUIDE}
_GABARIT = re.compile(r"\{[{%#][^\n]{0,80}?[}%#]\}")
_INCLUSION = re.compile(r"-{2,}8<-{2,}")
_SIGLE_DEFINI = re.compile(r"(?m)^ {0,3}\*\[[^\]\n]+\]:")


def _rang(texte: str, i: int, passage: str) -> int:
    """How many lines of `texte` before its line `i` hold `passage`: which of its occurrences in the file is the one."""
    return sum(passage in ligne for ligne in texte.split("\n")[:i])


# A line of a text that starts like a list item or a table row (after a quote's « > » or a box's indentation): only a
# text holding one is converted to look for a list the page would print inside a paragraph.
_LIGNE_DE_LISTE = re.compile(r"\n[ \t>]*(?:(?:[-*+]|\d{1,9}\.)[ \t]+\S|\|.*\|)")
_BLOCS_HTML = {"p", "ul", "ol", "blockquote", "div", "table", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "hr"}


def _texte_propre(element) -> str:
    """The text an element holds itself, without that of the blocks inside it (an item's nested list)."""
    morceaux = [element.text or ""]
    for enfant in element:
        if enfant.tag not in _BLOCS_HTML:
            morceaux.append(enfant.text_content())
        morceaux.append(enfant.tail or "")
    return "".join(morceaux)


def liste_collee(texte: str) -> tuple[int, str] | None:
    """(index of its line in `texte`, text) of the first list or table the page would print inside a paragraph: glued
    to the line before it, Python-Markdown reads it as that paragraph's next line, and the page published « Exemple :
    - une convention - un projet » in one line (editor QA), in a quote or a box too (verifier QA). Read on the page
    itself: the text is converted as the page converts it (rendu/fragments.py), and each paragraph's lines are looked
    at; a line of prose that only starts like an item is the paragraph's (load.liste_voulue)."""
    if not _LIGNE_DE_LISTE.search(texte):
        return None
    page = lxml_html.fragment_fromstring(converti(texte), create_parent="div")
    for element in page.iter("p", "li"):
        lignes = _texte_propre(element).split("\n")
        for k, ligne in enumerate(lignes[1:], start=1):
            if DEBUT_DE_LISTE.match(ligne) and liste_voulue(lignes, k):
                # its line in the text: the first that writes it after a line that is not blank
                sources = texte.split("\n")
                index = next((n for n, l in enumerate(sources) if n and l.strip().endswith(ligne.strip())
                              and sources[n - 1].strip()), 0)
                return index, ligne.strip()
    return None


def _ecrit_autrement(texte: str, tel_quel=None) -> tuple[str, str] | None:
    """(what is written, the message) for a text the page would show otherwise than written, or None. `tel_quel()`:
    whether the text is shown as written rather than read as Markdown (asked only where that matters)."""
    if "{" in texte:
        gabarit = _GABARIT.search(texte)
        if gabarit:
            return gabarit.group(0), ("une fiche n'est pas un gabarit : rien n'y est calculé ni remplacé, et la page "
                                      "l'afficherait tel quel ; écrivez le texte lui-même.")
        attributs = _ATTRIBUTS.search(texte)
        if attributs:
            return attributs.group(0), ("le texte d'une fiche ne prend pas d'attributs (identifiant, classe, lien ouvert "
                                        "ailleurs) ; la page l'afficherait tel quel : retirez-le.")
    if "8<" in texte:
        inclusion = _INCLUSION.search(texte)
        if inclusion:
            return inclusion.group(0), ("une fiche n'inclut pas d'autre fichier ; la page l'afficherait tel quel : "
                                        "écrivez le texte, ou un lien vers la page, [texte](x.md).")
    if "*[" in texte:
        sigle = _SIGLE_DEFINI.search(texte)
        if sigle:
            return sigle.group(0).strip(), ("un sigle se déclare une fois pour tout le guide, dans fiches/sigles.yaml "
                                            "(le glossaire), qui l'explique sur chaque page ; cette ligne serait "
                                            "affichée telle quelle : retirez-la.")
    if "!!!" in texte:
        alerte = next((m for m in _ENCADRE.finditer(texte) if m.group(1) not in ENCADRES_DE_FICHE), None)
        if alerte:
            return f"!!! {alerte.group(1)}", (f"un encadré « {alerte.group(1)} » se lirait comme un encadré du guide "
                                              "lui-même (un avertissement, ou son « En bref ») ; la page le montrerait "
                                              "comme une note : écrivez « !!! note \"Titre\" » (ou tip, example, "
                                              "quote).")
        reserve = next((m for m in _ENCADRE.finditer(texte) if m.group(2) and titre_du_guide(m.group(2))), None)
        if reserve:
            return reserve.group(0).strip(), (f"« {reserve.group(2)} » est le titre d'un encadré du guide lui-même, qui "
                                              "résume chaque page : la page montrerait cet encadré sans titre ; "
                                              "donnez-lui un titre à lui.")
    if "??" in texte:
        replie = _REPLIE.search(texte)
        if replie:
            return replie.group(0).strip(), ("le texte d'une fiche n'a pas de bloc replié ; la page l'afficherait tel "
                                             "quel : écrivez le texte seul, ou « !!! note \"Titre\" » pour un encadré.")
    if "][" in texte or "[[" in texte:
        wiki = _WIKI.search(texte)
        if wiki:
            return wiki.group(0), ("un lien s'écrit [texte](adresse) : « [texte](x.md) » pour une fiche, "
                                   "« [texte](https://…) » pour une adresse web.")
        for reference in _REFERENCE.finditer(texte):
            etiquette = (reference.group(2) or reference.group(1)).strip()
            if not re.search(rf"^ {{0,3}}\[{re.escape(etiquette)}\]:", texte, re.M | re.I):
                return reference.group(0), ("ce lien renvoie à une adresse que le texte ne donne pas ; la page "
                                            "l'afficherait tel quel : écrivez [texte](adresse).")
    if "](" in texte or "]:" in texte:
        trompeur = _lien_trompeur(texte)
        if trompeur:
            montre, href, montree = trompeur
            if montree is APPEL:
                return montre, ("le texte de ce lien n'est qu'un chiffre : il se lirait comme un appel de note du guide, "
                                "qui mène à ses sources, et la page le publierait sans lien ; écrivez entre les crochets "
                                "un texte qui dit où il mène (pour citer une source, écrivez-la entre parenthèses, "
                                "« (Étude 2021, p. 14) »).")
            if montree == "":
                return montre, ("ce lien n'a pas de texte : un lecteur ne le verrait pas, ni où il mène ; écrivez entre "
                                "les crochets le texte à cliquer.")
            if montree is None:
                return montre, (f"l'info-bulle de ce lien (le texte entre guillemets après l'adresse) montre une autre "
                                f"adresse que celle où il mène (« {href[:80]} ») : la page ne la publierait pas ; "
                                "retirez-la.")
            return montre, (f"le texte de ce lien montre l'adresse « {montree} », mais le lien mène ailleurs "
                            f"(« {href[:80]} ») : un lecteur croirait ouvrir l'une et ouvrirait l'autre, et la page "
                            "publierait ce texte sans lien ; écrivez comme texte du lien l'adresse où il mène, ou un "
                            "texte qui n'est pas une adresse.")
    if texte[:1].isdigit() or "\n" in texte:
        annee = _ANNEE_EN_TETE.search(texte)
        if annee and not (tel_quel and tel_quel()):
            return annee.group(1) + ".", (f"en début de paragraphe, un nombre suivi d'un point ouvre une liste numérotée : "
                                          f"la page afficherait « 1. » à la place de « {annee.group(1)}. » ; écrivez « En "
                                          f"{annee.group(1)}, … » ou « {annee.group(1)} : … ».")
    if _POINT_CHIFFRE.search(texte):
        decimale = _DECIMALE.search(texte)
        if decimale:
            return decimale.group(0), ("en français, la virgule sépare les décimales ; écrivez "
                                       f"« {decimale.group(1)},{decimale.group(2)}{decimale.group(3)} ».")
        milliers = _MILLIERS.search(texte)
        if milliers and milliers.group(0) != texte.strip():  # a figure alone: its field's own message says it
            return milliers.group(0), ("en français, une espace sépare les milliers ; écrivez "
                                       f"« {milliers.group(0).replace('.', ' ')} ».")
    if _VIRGULE_CHIFFRE.search(texte):
        milliers = _MILLIERS_VIRGULES.search(texte)
        if milliers:
            return milliers.group(0), ("en français, une espace sépare les milliers (une virgule, les décimales) ; "
                                       f"écrivez « {milliers.group(0).replace(',', ' ').replace('.', ',')} ».")
    coupure = _COUPURE.search(texte) if _TIRET_ESPACE.search(texte) else None
    if coupure:
        debut, fin = coupure.groups()
        entier, compose = f"« {debut}{fin} »", f"« {debut}-{fin} »"
        if fin[:1].isupper():  # a compound name cut at its own hyphen, most likely
            return debut + "-", (f"mot coupé en fin de ligne (« {debut}- {fin} ») : la page l'afficherait coupé et la "
                                 f"recherche ne le trouverait pas ; écrivez-le entier, {compose}, ou {entier} si le "
                                 "trait d'union n'en fait pas partie.")
        return debut + "-", (f"mot coupé en fin de ligne (« {debut}- {fin} ») : la page l'afficherait coupé et la "
                             f"recherche ne le trouverait pas ; écrivez-le entier, {entier}, ou {compose} si le "
                             "trait d'union en fait partie.")
    puce = _PUCE.search(texte)
    if puce:
        return puce.group(0), ("puce copiée d'un traitement de texte : la page la publierait au milieu du paragraphe ; "
                               "pour une liste, laissez une ligne vide, puis mettez chaque point sur sa ligne, "
                               "commençant par « - » (dans le fichier, le texte s'écrit alors après « | », la barre "
                               "verticale, qui garde les sauts de ligne ; le formulaire les garde de lui-même).")
    if texte.count('"') % 2:
        # a quote left over from a copy or an edit (« …de l'ESS" »): published as typed (editor QA)
        i = texte.index('"') if texte.count('"') == 1 else texte.rindex('"')
        avant = texte[:i + 1].split("\n")
        passage = " ".join(avant[-1].split()[-5:])  # (the last words of its line, up to the quote)
        return passage, ("un guillemet droit (\") sans son pendant : la page l'imprimerait tel quel ; retirez-le, ou "
                         "écrivez la citation entre guillemets français, « … »."), _rang(texte, len(avant) - 1, passage)
    collee = liste_collee(texte) if "\n" in texte else None
    if collee:
        i, ligne = collee
        return ligne[:60], ("une liste (ou un tableau) commence après une ligne vide : collée au paragraphe qui la "
                            "précède, elle serait publiée au milieu de celui-ci, sur une seule ligne ; laissez une ligne "
                            "vide avant son premier point."), _rang(texte, i, ligne[:60])
    ouverte = _mise_en_forme_ouverte(texte) if not (tel_quel and tel_quel()) else None
    if ouverte:
        return ouverte
    if ("\n" in texte or texte[:1] in (" ", "\t")) and _DECALAGE.search(texte):
        code = re.search(r"<pre><code>([^\n<]*)", converti(texte))
        if code:
            return html.unescape(code.group(1)).strip()[:60], (
                "ce paragraphe, décalé de quatre espaces ou d'une tabulation après une ligne vide, serait publié comme "
                "du code ; retirez ce décalage.")
    return None


# Markdown a text opens and does not close, which the page shows as typed (editor QA: « soutient **l'ESS depuis 2021 »,
# « ([voir le site](https://… » and « [le site de la ville(https://…) » were published with their signs): what is left
# of each sign in the text the page shows (code, addresses and signs written escaped, « \* », left out), and what to
# write instead. Read on what the page shows, not on counts of signs: « *Cap Alpha et *La Serre » balances its stars.
_ASTERISQUE_DE_NOTE = "pour un astérisque de note, écrivez-le \\* (la barre oblique inverse le montre tel quel)"
_OUVERTS = (
    (re.compile(r"\]\("), "lien sans sa parenthèse fermante : la page l'afficherait tel quel ; écrivez [texte](adresse), "
                         "la parenthèse fermée après l'adresse."),
    (re.compile(r"\][ \t]+\((?=\s*(?:https?://|www\.|[\w./#-]+\.md\b))"),
     "une espace entre le crochet et la parenthèse d'un lien : la page l'afficherait tel quel ; écrivez "
     "[texte](adresse), sans espace entre « ] » et « ( »."),
    (re.compile(r"\[[^\]\n]*?\((?=\s*(?:https?://|www\.|[\w./#-]+\.md\b))"),
     "crochet ouvert sans crochet fermant avant l'adresse : un lien s'écrit [texte](adresse) ; la page afficherait le "
     "crochet tel quel."),
)
# (on the text shown without its addresses: « https://example.org/cap__alpha » holds no bold)
_EMPHASES_OUVERTES = (
    (re.compile(r"\*\*|(?<!\w)__|__(?!\w)"), "gras (« {signe} ») ouvert et jamais fermé : la page afficherait les signes ; fermez-le après "
                             "le dernier mot en gras ({signe}mots en gras{signe}), ou retirez-les."),
    (re.compile(r"(?<![\w*])[*_](?=[^\W\d_]|[«\"“])"),
     "italique (« {signe} ») ouvert et jamais fermé : la page afficherait le signe ; fermez-le après le dernier mot "
     "({signe}mots en italique{signe}), ou retirez-le ; " + _ASTERISQUE_DE_NOTE + "."),
    (re.compile(r"~~"), "le guide n'affiche pas de texte barré, et la page montrerait les tildes (« ~~ ») ; retirez-les."),
)
_ADRESSE_NUE = re.compile(r"(?:https?://|www\.)\S+")
# A star or an underscore beside an emphasis in the converted text: its two signs did not match (« **gras* » shows
# « *<em>gras</em> »).
# (Literal tags only: a pattern opening with a run of characters was tried from each of them, 4 s for « _a » × 20,000.)
_EMPHASE_BANCALE = re.compile(r"[*_]<(?:em|strong)>|</(?:em|strong)>[*_]")
_EMPHASE_BANCALE_MESSAGE = ("gras ou italique fermé par un autre signe que celui qui l'ouvre (« ** » d'un côté, « * » de "
                            "l'autre) : la page afficherait un astérisque ou un tiret bas ; écrivez le même signe des deux "
                            "côtés, **mots en gras** ou *mots en italique*, ou retirez-les.")
# A link's target that starts with a domain name (« testbourg.fr/aap », « ville.gouv.fr »), not a file of the site: a
# name ending with letters that are no extension of a file (EXTENSIONS_DE_FICHIERS; the form reads the same list,
# decap.py).
EXTENSIONS_DE_FICHIERS = ("md", "html?", "pdf", "png", "jpe?g", "gif", "webp", "avif", "svg", "tiff?", "csv", "json", "xml",
                          "ya?ml", "txt", "rtf", "zip", "xlsx?", "docx?", "pptx?", "odt", "ods", "odp", "epub", "mp[34]")
# (in the syntax Python and JavaScript share: formulaire.js builds its RegExp from the same source)
DOMAINE_SANS_SCHEMA = (r"^(?:www\.|[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?!(?:" + "|".join(EXTENSIONS_DE_FICHIERS) +
                       r")(?:[/?#]|$))[a-z]{2,6}(?:[/?#]|$))")
_DOMAINE_SANS_SCHEMA = re.compile(DOMAINE_SANS_SCHEMA, re.IGNORECASE)
# A sign written escaped is shown as itself, as it should be: kept apart from those left open.
_ECHAPPE = re.compile(r"\\[*_\[\]~()]")


# Before converting a text, what it may leave open: once its escaped signs and its closed pairs (each within a line
# and 160 characters, so that the pattern reads a text once) are set aside, a sign that opens something, or a
# bracket with a parenthesis (a link). A text of 40,000 « *a » (closed pairs) was converted for nothing, 0.4 s
# (tests/test_robustesse.py); a pair longer than that is converted, and the page's reading decides.
_FERMES = re.compile(r"\\[*_\[\]~()]|\*\*(?=\S)[^*\n]{0,160}?(?<=\S)\*\*|__(?=\S)[^_\n]{0,160}?(?<=\S)__"
                     r"|\*(?=[^\s*])[^*\n]{0,160}?(?<=[^\s*])\*|(?<!\w)_(?=[^\s_])[^_\n]{0,160}?(?<=[^\s_])_(?!\w)")
# (a sign before a figure, a star or an underscore left after a pair: « ***40 000 euros** », « __40 000 euros_ »,
# attacker QA; converted, the page's reading decides: « 3 *4 » shows no emphasis)
_RESTE_OUVERT = re.compile(r"\*\*|(?<!\w)__|__(?!\w)|(?<![\w*])[*_](?=[^\W\d_]|[«\"“])|~~|[*_](?=\s|$)|[*_](?=\d)|(?<=\d)[*_]")


def _mise_en_forme_ouverte(texte: str) -> tuple[str, str] | None:
    """(the passage from the sign, the message) for Markdown a text opens and never closes, or None. Only a text
    that may leave one open is converted (a few of the 9,000 texts of the guide)."""
    if not any(signe in texte for signe in "*_[~"):
        return None
    if not ("[" in texte and "(" in texte) and not _RESTE_OUVERT.search(_FERMES.sub(" ", texte)):
        return None
    html_du_texte = converti(_ECHAPPE.sub("\ue000", texte) if "\\" in texte else texte)
    # A pair of signs that do not match, « **40 000 euros* »: the page shows a star beside the emphasis (editor QA: a
    # star before a figure, not read as an italic opened, was published)
    bancal = _EMPHASE_BANCALE.search(html_du_texte)
    if bancal:
        ouvre = bancal.group(0)[0] in "*_"
        # the words the emphasis holds next to the star, as typed (« 40 000 euros »)
        mots = html.unescape(html_du_texte[bancal.end():bancal.end() + 40].split("<")[0][:12] if ouvre else
                             html_du_texte[max(0, bancal.start() - 40):bancal.start()].split(">")[-1][-12:])
        signes = re.search(r"[*_]+" + re.escape(mots), texte) if ouvre else re.search(re.escape(mots) + r"[*_]+", texte)
        premier_signe = min((i for i in (texte.find("*"), texte.find("_")) if i >= 0), default=0)
        debut = texte.rfind(" ", 0, signes.start()) + 1 if signes else premier_signe
        return " ".join(texte[debut:].split()[:6])[:60], _EMPHASE_BANCALE_MESSAGE
    arbre = lxml_html.fragment_fromstring(html_du_texte, create_parent="div")
    for code in arbre.xpath(".//code"):
        code.text = ""
        for enfant in code:
            code.remove(enfant)
    montre = arbre.text_content()
    trouve = next(((m, message) for motif, message in _OUVERTS for m in [motif.search(montre)] if m), None)
    if trouve is None:
        sans_adresses = _ADRESSE_NUE.sub(" ", montre)
        trouve = next(((m, message.format(signe=m.group(0))) for motif, message in _EMPHASES_OUVERTES
                       for m in [motif.search(sans_adresses)] if m), None)
    if trouve is None:
        return None
    reste, message = trouve
    # the passage as typed, from the sign: the first place of the source the page shows as typed
    suite = " ".join(reste.string[reste.start():].split()[:6])[:60]
    debut = next((m.start() for m in re.finditer(re.escape(reste.group(0)), texte)
                  if " ".join(texte[m.start():].split()[:6])[:60] == suite), texte.find(reste.group(0)))
    return " ".join(texte[max(debut, 0):].split()[:6])[:60], message


def _sigle_mot_courant(sigle: str, documents: list) -> tuple[str, str] | None:
    """(the word in lower case, where a fiche writes it) when an acronym written with one capital (« Emploi ») is a
    word the fiches also write in lower case: a word of the language, explained as an acronym wherever it starts a
    sentence (attacker QA: « Emploi », « Parmi », « Ainsi » put an editor's definition on 277 places of 71 pages).
    Acronyms of two capitals or more are never read (the guide's all have some)."""
    # (An acronym French typography writes with one capital, as « Insee », is no word of the fiches. Named in this
    # comment, not in the docstring: the strings of the code are words the guide writes, mots_ecrits_par_le_guide.)
    if sum(c.isupper() for c in sigle) != 1:
        return None
    minuscule = sigle.lower()
    motif = re.compile(rf"(?<![\w-]){re.escape(minuscule)}(?![\w-])")
    for doc in documents:
        textes = [(path, texte) for path, texte in _strings(doc.data)] + [(None, doc.body)]
        for path, texte in textes:
            if minuscule in texte and motif.search(texte):
                ligne = doc.line_of(path) if path is not None else doc.body_line
                return minuscule, f"{doc.rel}, ligne {ligne}" if ligne else doc.rel
    return None


# What _lien_trompeur gives for a link whose text reads as a note call (adresses.comme_un_appel).
APPEL = "appel de note"


def _lien_trompeur(texte: str) -> tuple[str, str, str | None] | None:
    """(the link's text, its destination, the address its text shows) of the first link of `texte`, as the page
    converts it, whose text shows an address it does not lead to (adresses.py: the page publishes its text alone);
    (its tooltip, its destination, None) for a link whose tooltip does (the page publishes the link without it)."""
    html_du_texte = converti(texte)
    if "<a" not in html_du_texte:
        return None
    for lien in lxml_html.fragment_fromstring(html_du_texte, create_parent="div").iter("a"):
        href = lien.get("href")
        montree = adresse_montree_ailleurs(lien.text_content(), href) if href else None
        if montree:
            return " ".join(lien.text_content().split()), href, montree
        if href and comme_un_appel(lien.text_content()):
            return f"[{lien.text_content().strip()}]({href[:80]})", href, APPEL
        if href and not lien.text_content().strip():  # « [ ](https://…) »: nothing to see (attacker QA)
            return f"[{lien.text_content()}]({href[:80]})", href, ""
        if href and lien.get("title") and adresse_montree_ailleurs(lien.get("title"), href):
            # its tooltip (« [le portail](https://evil.example/ "https://www.service-public.fr") », attacker QA)
            return lien.get("title"), href, None
    return None


@lru_cache(maxsize=1)
def _convertisseur():
    """The fiche converter (rendu/fragments.py): what the page makes of a text says what is code."""
    from guide.rendu.fragments import convertisseur  # imported here: the page's side imports the model's
    return convertisseur()


@lru_cache(maxsize=16)
def converti(texte: str) -> str:
    """The HTML the fiche converter makes of `texte`, once for the checks that read it (links, code, Markdown left
    open): a text holding links was converted by each of them."""
    md = _convertisseur()
    md.reset()
    return md.convert(texte)


@lru_cache(maxsize=None)
def tel_quel(schema_name: str, chemin: tuple) -> bool:
    """Whether the text at `chemin` (list indices written 0) of a file of `schema_name` is shown as written, as the
    model's `texte` and `nom` are, rather than read as Markdown (`texte_mis_en_forme`: a résumé, an encadré…).
    False for a path the schema does not know: its own error says so."""
    documents = schema_documents()
    node, base = documents.get(schema_name), schema_name
    for part in chemin:
        node, base, _ = suivre_ref(node, base, documents, fusionner=False)
        if not isinstance(node, dict):
            return False
        node = node.get("items") if isinstance(part, int) else (node.get("properties") or {}).get(part)
    while isinstance(node, dict) and "$ref" in node:
        if node["$ref"].endswith("/texte_mis_en_forme"):
            return False
        node, base, _ = suivre_ref({"$ref": node["$ref"]}, base, documents, fusionner=False)
    return isinstance(node, dict) and "string" in (node.get("type") if isinstance(node.get("type"), list) else [node.get("type")])


def _chemin_du_modele(path: tuple) -> tuple:
    return tuple(0 if isinstance(k, int) else k for k in path)


# A Markdown link (« [texte](adresse) », « [texte][r] » and its « [r]: adresse »), printed as typed in a text shown as
# written.
_LIEN_MARKDOWN = re.compile(r"\[[^\[\]\n]{1,200}\]\([^)\n]{0,600}\)?|^ {0,3}\[[^\]\n]{1,200}\]:[^\S\n]*\S+", re.M)


# How many co-carriers one fiche may name, all its actions together: each one shows the action on another territory's
# page, and a fiche of 200 actions each naming 50 others wrote 10,000 entries over 50 pages (attacker QA: a 1 MB fiche
# made the build 8 times longer and the site 10 times larger). The largest real fiche names 23.
COPORTEURS_PAR_FICHE = 100


def check_coporteurs_total(doc: Document) -> list[FicheError]:
    """Refuse a fiche naming more than COPORTEURS_PAR_FICHE co-carriers, all actions together (at the first one over)."""
    actions = doc.data.get("actions") if isinstance(doc.data, dict) else None
    noms = [(i, j) for i, action in enumerate(actions if isinstance(actions, list) else []) if isinstance(action, dict)
            for j, _ in enumerate(action["coporteurs"] if isinstance(action.get("coporteurs"), list) else [])]
    if len(noms) <= COPORTEURS_PAR_FICHE:
        return []
    i, j = noms[COPORTEURS_PAR_FICHE]
    path = ("actions", i, "coporteurs", j)
    return [FicheError(doc.rel, f"{len(noms)} coporteurs nommés dans cette fiche, toutes actions ensemble : "
                                f"{COPORTEURS_PAR_FICHE} au plus (chacun affiche l'action sur la page d'un autre territoire) ; "
                                "gardez ceux que la publication nomme pour les actions qu'ils portent avec ce territoire.",
                       doc.line_of(path), _dotted(path))]


# How much text one fiche may write on the champs' pages, all its actions together: each action's résumé is shown again
# on the page of each of its champs (and of its levers there, and in their printed sections), and a valid fiche of 100
# actions, each of 10 champs and a résumé of 9,500 characters, made a champ page 8 times larger and the site twice
# as large (attacker QA). The largest real fiche writes 32,680 characters there.
TEXTE_REPETE_PAR_FICHE = 200_000


def check_texte_repete(doc: Document) -> list[FicheError]:
    """Refuse a fiche whose actions' résumés, counted once per champ, exceed TEXTE_REPETE_PAR_FICHE characters (at
    the action that goes over)."""
    actions = doc.data.get("actions") if isinstance(doc.data, dict) else None
    total = 0
    for i, action in enumerate(actions if isinstance(actions, list) else []):
        if not isinstance(action, dict) or not isinstance(action.get("resume"), str):
            continue
        total += len(action["resume"]) * max(1, len(action["champs"]) if isinstance(action.get("champs"), list) else 1)
        if total > TEXTE_REPETE_PAR_FICHE:
            path = ("actions", i, "champs")
            return [FicheError(doc.rel, f"les résumés des actions de cette fiche, répétés sur la page de chacun de leurs "
                                        f"champs, y dépassent {_milliers(TEXTE_REPETE_PAR_FICHE)} caractères (dès "
                                        f"cette action) : rattachez chaque action aux seuls champs que la publication "
                                        "lui donne, et résumez-la en quelques phrases.",
                               doc.line_of(path), _dotted(path))]
    return []


# What an editor types to fill a field later: published as typed (« à compléter » as an action's summary, « TODO »
# as a title: editor QA). Folded (no accent, no case, no punctuation).
_EN_ATTENTE = frozenset({"todo", "to do", "fixme", "tbd", "tba", "n a", "a completer", "a remplir", "a preciser",
                         "a rediger", "a venir", "a definir", "a faire", "en attente", "lorem ipsum"})


def texte_d_attente(texte: str) -> str | None:
    """Why a text stands for one not yet written (« ... », « TODO », « à compléter »), or None."""
    if texte.strip() and not any(c.isalnum() for c in texte):
        return "ce texte n'a ni lettre ni chiffre"
    if len(texte) > 40:
        return None
    plie = " ".join(re.sub(r"[^a-z0-9]+", " ", _sans_accent(texte).lower()).split())
    if plie in _EN_ATTENTE or plie.startswith("lorem ipsum") or re.fullmatch(r"x{3,}", plie):
        return "ce texte attend d'être écrit, et serait publié tel quel"
    return None


# Markdown's bold and italics around words, « **mot** », « __mot__ », « *mot* », « _mot_ » (not « a*b », « nom_de_fichier »,
# nor the stars of a note, « Taux (*) et montants (*) »: verifier QA).
_EMPHASE = re.compile(r"(\*\*|__)(?=[^\W_])[^\n]+?(?<=[^\W_])\1|(?<![\w*])\*(?=[^\W_])[^*\n]+?(?<=[^\W_])\*(?![\w*])"
                      r"|(?<![\w_])_(?=[^\W_])[^_\n]+?(?<=[^\W_])_(?![\w_])")
# …or one sign of it, never closed, at a word's start or end (« Pépinière **Cap Alpha », « Cap Alpha* »: published with
# it, attacker QA)
# (between spaces and words only: « lipsum.__globals__.os » is no emphasis, and a fiche may name anything so)
_SIGNE_D_EMPHASE = re.compile(r"(?:^|(?<=[\s(«\"“']))(?:\*\*?|__?)(?=[^\W_])|(?<=[^\W_])(?:\*\*?|__?)(?=$|[\s,;:!?)»])")


def check_ecriture(doc: Document, schema_name: str | None = None) -> list[FicheError]:
    """Refuse what a text would show otherwise than written: a paragraph published as code, a number written the
    English way, an attribute list printed as text, a link in a text shown as written (editor QA: « 1.2 million »,
    « {: onclick=… } » and a lever's « [ceci](https://…) » were published as typed, an indented paragraph as code)."""
    errors = []
    for path, text in _strings(doc.data):
        attente = texte_d_attente(text)
        if attente:
            quoi = "l'élément" if isinstance(path[-1], int) else "la clé si elle est facultative"
            errors.append(FicheError(doc.rel, f"« {text.strip()[:40]} » : {attente} ; écrivez le texte, ou retirez {quoi} "
                                              "(une fiche pas encore remplie peut être mise de côté hors du dossier "
                                              "fiches/).", doc.line_of(path), _dotted(path)))
            continue
        if schema_name and ("](" in text or "]:" in text) and tel_quel(schema_name, _chemin_du_modele(path)):
            lien = _LIEN_MARKDOWN.search(text)
            if lien:
                errors.append(FicheError(doc.rel, f"« {lien.group(0)[:80]} » : ce champ s'affiche tel qu'il est écrit, sans "
                                                  "mise en forme : un lien y serait publié tel quel ; écrivez le texte "
                                                  "seul (un lien a sa place dans un résumé ou dans le texte de la fiche).",
                                         ligne_du_passage(doc, path, lien.group(0)), _dotted(path)))
                continue
        if schema_name and ("*" in text or "_" in text) and tel_quel(schema_name, _chemin_du_modele(path)):
            emphase = _EMPHASE.search(text) or _SIGNE_D_EMPHASE.search(text)
            if emphase:  # « titre: Un **échange** technique » was published with its asterisks (editor QA)
                passage = emphase.group(0) if len(emphase.group(0)) > 2 else \
                    " ".join(text[max(0, text.rfind(" ", 0, emphase.start()) + 1):].split()[:4])
                errors.append(FicheError(doc.rel, f"« {passage[:80]} » : ce champ s'affiche tel qu'il est écrit, "
                                                  "sans mise en forme : ces astérisques (ou tirets bas) y seraient "
                                                  "publiés ; écrivez le texte seul (le gras a sa place dans un résumé "
                                                  "ou dans le texte de la fiche).",
                                         ligne_du_passage(doc, path, emphase.group(0)), _dotted(path)))
                continue
        if isinstance(path[-1], str) and path[-1] in ("titre", "nom") and _ENTRE_GUILLEMETS_ANGLAIS.fullmatch(text):
            # « titre: “Appel à projets ESS” »: what Word or a Mac types for "…", which YAML keeps; the title was
            # published in its quotes (editor QA). French quotes, « … », are the guide's for a title that quotes.
            errors.append(FicheError(doc.rel, f"« {text.strip()[:80]} » : ces guillemets seraient imprimés avec le "
                                              f"{'titre' if path[-1] == 'titre' else 'nom'} ; pour des guillemets de "
                                              "YAML, tapez-les droits, ceux de la touche 3 "
                                              f"({path[-1]}: \"{text.strip()[1:-1].strip()}\"), ou retirez-les ; pour "
                                              "une citation, le guide écrit « … ».", doc.line_of(path), _dotted(path)))
            continue
        # In any text, not only a contact's (editor QA: « Contact : jean.dupont@… ou 02 40 … » in a résumé was
        # published); an address field (url) is a web address. A key of its own, « courriel: », is an unknown key.
        if isinstance(path[-1], str) and _normalise(path[-1]) in _COORDONNEES:
            continue  # « courriel: … », an unknown key, already said to hold what the guide does not publish
        if path[-1] == "url":
            try:
                parties = urllib.parse.urlsplit(text.strip())
                locale = adresse_locale(parties.hostname)
            except ValueError:  # no address a parser reads: the schema's pattern or the link check says so
                parties, locale = None, False
            if parties is not None and "@" in parties.netloc:
                # « https://www.service-public.fr@evil.example/ » leads to evil.example: what comes before the « @ »
                # is a user name, which the page printed as the address a reader would read (attacker QA).
                errors.append(FicheError(doc.rel, f"« {text.strip()[:80]} » : dans une adresse web, ce qui précède « @ » "
                                                  f"n'est pas le site, mais un identifiant : cette adresse mène à "
                                                  f"« {parties.hostname} », et un lecteur croirait lire celle du site "
                                                  "écrit avant ; écrivez l'adresse publique du site, sans « @ ».",
                                         doc.line_of(path), _dotted(path)))
                continue
            if locale:
                errors.append(FicheError(doc.rel, f"« {text.strip()[:80]} » : cette adresse est celle d'un ordinateur ou "
                                                  "d'un réseau local (l'aperçu du guide, un intranet), qu'aucun lecteur "
                                                  "du guide publié ne peut ouvrir ; écrivez l'adresse publique "
                                                  "complète (https://…).", doc.line_of(path), _dotted(path)))
                continue
        coordonnee = coordonnee_ecrite(text) if path[-1] != "url" else None
        if coordonnee:
            qui = ("un contact se nomme par son nom, son rôle et sa fonction, tels que les sources les publient"
                   if path[:1] == ("contacts",) else
                   "nommez la structure ou le service, dont le lecteur trouve les coordonnées sur son site")
            errors.append(FicheError(doc.rel, f"« {coordonnee.group(0)} » : le guide ne publie ni adresse électronique ni "
                                              f"numéro de téléphone ; {qui} : retirez-le.",
                                     ligne_du_passage(doc, path, coordonnee.group(0)), _dotted(path)))
            continue
        # A section or a publication's title wrapped whole in quotes typed by Word (« section: “Zoom – La filature” »):
        # the page already sets a section in « », and printed « « “Zoom – La filature” » » (editor QA).
        # (wrapped whole: no other quote inside; « « Zoom » sur le dispositif « La Fabrique » » is a section that
        # quotes two names, attacker QA)
        if (isinstance(path[-1], str) and len(text) > 1 and text[0] in "“«„‘\"" and text[-1] in "”»“’\""
                and not any(q in text[1:-1] for q in "«»“”„\"")
                and (path[-1] == "section" or (path[-1] in ("titre", "edition") and "sources" in (schema_name or "")))):
            errors.append(FicheError(doc.rel, f"« {text[:80]} » : les guillemets font partie de la valeur, et la page "
                                              "les publierait (elle met déjà une section entre « ») : écrivez-la "
                                              "sans guillemets.", doc.line_of(path), _dotted(path)))
            continue
        force = RETOUR_FORCE_MOTIF.search(text) if "  \n" in text else None
        if force:
            # (the formatter refused it, the validator passed it: editor QA; the same message in both)
            passage = " ".join(text[:force.start() + 1].split("\n")[-1].split()[-4:])
            errors.append(FicheError(doc.rel, f"« {passage} » : {RETOUR_FORCE}", ligne_du_passage(doc, path, passage),
                                     _dotted(path)))
            continue
        trouve = _ecrit_autrement(text, lambda: bool(schema_name) and tel_quel(schema_name, _chemin_du_modele(path)))
        if trouve:
            errors.append(FicheError(doc.rel, f"« {trouve[0]} » : {trouve[1]}",
                                     ligne_du_passage(doc, path, trouve[0], *trouve[2:]), _dotted(path)))
    # One partner written twice otherwise (« CRESS Pays de la Loire », « cress pays de la loire »): published twice
    # (verifying QA; the schema's uniqueItems sees only the same string).
    actions = doc.data.get("actions") if isinstance(doc.data, dict) else None
    for i, action in enumerate(actions if isinstance(actions, list) else []):
        partenaires = action.get("partenaires") if isinstance(action, dict) else None
        vus: dict = {}
        for j, partenaire in enumerate(partenaires if isinstance(partenaires, list) else []):
            if not isinstance(partenaire, str):
                continue
            # the same name whatever its capitals, accents, hyphens and punctuation (« Écossolies », « Alsace-Active »,
            # « CRESS Bretagne. »: attacker QA), as two titles of one action are compared
            cle = titre_normalise(partenaire)
            if cle in vus and vus[cle] != partenaire:
                path = ("actions", i, "partenaires", j)
                errors.append(FicheError(doc.rel, f"« {partenaire} » est le même partenaire que « {vus[cle]} », écrit "
                                                  "autrement : la page le nommerait deux fois ; retirez l'un des deux.",
                                         doc.line_of(path), _dotted(path)))
            vus.setdefault(cle, partenaire)
    attente = texte_d_attente(doc.body.strip()) if doc.body.strip() else None
    if attente:  # the whole free text (« À compléter », « ... »)
        errors.append(FicheError(doc.rel, f"texte libre « {doc.body.strip()[:40]} » : {attente} ; écrivez le texte, ou "
                                          "retirez-le (le texte libre est facultatif).",
                                 doc.body_line + len(doc.body) - len(doc.body.lstrip("\n")), "texte libre"))
    coordonnee = coordonnee_ecrite(doc.body) if doc.body else None
    if coordonnee:
        ligne = doc.body_line + doc.body.count("\n", 0, coordonnee.start())
        errors.append(FicheError(doc.rel, f"« {coordonnee.group(0)} » dans le texte de la fiche : le guide ne publie ni "
                                          "adresse électronique ni numéro de téléphone ; nommez la structure ou le "
                                          "service, dont le lecteur trouve les coordonnées sur son site : retirez-le.",
                                 ligne))
    trouve = _ecrit_autrement(doc.body) if doc.body else None
    if trouve:
        rang = trouve[2] if len(trouve) > 2 else 0  # (an earlier line writes the passage too)
        ligne = next(itertools.islice((i for i, l in enumerate(doc.body.splitlines(), start=doc.body_line)
                                       if trouve[0] in l), rang, None), doc.body_line)
        errors.append(FicheError(doc.rel, f"« {trouve[0]} » dans le texte de la fiche : {trouve[1]}", ligne))
    textes_a_tabulations = [(path, text) for path, text in _strings(doc.data) if "\t" in text]
    for path, texte in textes_a_tabulations + ([(None, doc.body)] if "\t" in doc.body else []):
        tabulations = list(itertools.islice(_TABULATION_ENTRE_MOTS.finditer(texte), 2))
        if len(tabulations) > 1:  # (cells: two gaps at least, a row of three or two rows; one tab is a space)
            tabulation = tabulations[0]
            ligne = doc.line_of(path) if path is not None else doc.body_line + texte.count("\n", 0, tabulation.start())
            passage = " ".join(texte[max(0, tabulation.start() - 20):tabulation.end() + 20].split())
            errors.append(FicheError(doc.rel, f"« {passage} » : une tabulation entre deux mots (un tableau collé d'un "
                                              "tableur ou d'un traitement de texte ?) : la page l'écrirait comme une "
                                              "espace, et les colonnes se perdraient sur une ligne. Écrivez un tableau "
                                              "Markdown dans le texte de la fiche (| Année | Montant |, une ligne par "
                                              "rangée), ou des phrases.", ligne,
                                     _dotted(path) if path is not None else "texte libre"))
            break
    return errors


# Two spaces or more at the end of a line of a text, before its next line: a forced line break to Markdown, which the
# formatter (scripts/formater.py), removing spaces no one sees, would take away.
RETOUR_FORCE_MOTIF = re.compile(r"\S {2,}\n(?=[^\n])")
RETOUR_FORCE = ("deux espaces en fin de ligne dans un texte (un retour à la ligne forcé, en Markdown) ; la mise en forme "
                "les retirerait. Retirez ces espaces, ou séparez les paragraphes par une ligne vide.")


# A title or name wrapped in the quotes a word processor types for "…" or '…', in any of their shapes (“…”, „…“, ‘…’,
# ”…”: verifier QA), which YAML keeps and the page printed.
_ENTRE_GUILLEMETS_ANGLAIS = re.compile(r"\s*[“”„‘’‚][^“”„«»]*[“”‘’]\s*")
# A tab between two words: cells of a table pasted from a spreadsheet, published as one line (editor QA). Overlapping
# matches aside: « a\tb\tc » holds two.
# (Possessive: 40,000 tabs took 10 s, each split of the run between « \t+ » and « [ \t]* » tried; verifier QA)
_TABULATION_ENTRE_MOTS = re.compile(r"(?<=[^\s])\t++[ \t]*+(?=[^\s])")


def _code_ou_html(texte: str, corps: bool = False, tel_quel: bool = False) -> str | None:
    """The message for a text (a line of the body, with `corps`) holding active content or else HTML, or None.
    `tel_quel`: the text is shown as written (a title, a name), not read as Markdown."""
    ou = " dans le texte de la fiche" if corps else ""
    found = contenu_actif(html.unescape(texte))
    if found:
        if corps:
            return f"code actif interdit (« {found} »){ou} : retirez-le, une fiche ne contient que du texte."
        return f"code actif interdit (« {found} ») : une fiche ne contient que du texte, sans script ni attribut « on… »."
    found = html_ecrit(texte)
    if found is None:
        return None
    if found.startswith("&"):
        return (f"entité HTML « {found} »{ou} : elle serait publiée telle quelle ; tapez le caractère lui-même "
                f"({_caractere(html.unescape(found))}).")
    if tel_quel:  # a title, a name: no Markdown either (verifier QA: told to write **texte**, then refused for it)
        return (f"HTML « {found} » : ce champ s'affiche tel qu'il est écrit, sans mise en forme, et la balise serait "
                "publiée telle quelle ; écrivez le texte seul.")
    return (f"HTML « {found} »{ou} : une fiche s'écrit en Markdown, sans HTML, qui serait publié tel quel, en texte ; "
            "pour un lien, écrivez [texte du lien](https://adresse), pour du gras **texte**.")


# HTML as Python-Markdown would read it in a text: a tag (« <b », « </p », « <img »), a comment, a declaration or a
# processing instruction; an automatic link too (« <https://…> », « <nom@exemple.fr> »), which the pages show as
# written like the rest (a link is written [texte](adresse), where the checks of links read it); and an entity
# Python's HTML parser knows (« &nbsp; », « &#233; »; « R&D » is text).
_BALISE = re.compile(r"<(?:/?[A-Za-z]|!|\?)[^<>\n]{0,60}>?"
                     # Python-Markdown's automatic e-mail link (AUTOMAIL_RE): « <1@1> »; read after code spans are set
                     # aside, so a code span may stand in it, whatever it holds: « <`!`@1> » (found by hypothesis)
                     r"|<[^<> !]+@[^@<> ]+>|<(?:[^<> !`]|`[^`\n]{0,60}`)+@(?:[^@<> `]|`[^`\n]{0,60}`)+>")
# (a numeric one without its « ; » too, as Python-Markdown and browsers read it)
_ENTITE = re.compile(r"&(?:#[0-9]{1,7};?|#[xX][0-9A-Fa-f]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};)")


def html_ecrit(texte: str) -> str | None:
    """The first HTML tag (« <img src=x> », its first 60 characters) or entity (« &nbsp; ») written in `texte`, or
    None. Linear: each « < » is read at most 60 characters on."""
    trouves = []
    if "<" in texte:
        balise = _BALISE.search(texte)
        if balise:
            trouves.append((balise.start(), balise.group(0)))
    if "&" in texte:
        entite = next((m for m in _ENTITE.finditer(texte) if html.unescape(m.group(0)) != m.group(0)), None)
        if entite:
            trouves.append((entite.start(), entite.group(0)))
    return min(trouves)[1] if trouves else None


def _caractere(c: str) -> str:
    """How a message shows a character an entity stands for: itself, or its name when it cannot be seen."""
    noms = {"\u00a0": "l'espace insécable", "\u202f": "l'espace fine insécable", " ": "une espace"}
    return noms.get(c) or (f"« {c} »" if c.isprintable() and not c.isspace() else f"le caractère U+{ord(c):04X}")


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A date written AAAA-MM-JJ within a text, which the site writes in words (typographie.py): its month and day
# have the right shape, but only the calendar says whether it exists (« 2020-02-31 »).
DATE_ISO_DANS_TEXTE = re.compile(r"(?<![\d-])(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?![\d-])")
_AAAA_MM = re.compile(r"\d{4}-\d{2}")
# A month written AAAA-MM (a chronology's date), a period AAAA-MM/AAAA-MM.
_MOIS_ISO = re.compile(r"(?<![\d-])\d{4}-(\d{2})(?![\d-])")


def _date_reelle(iso: str) -> bool:
    try:
        datetime.date.fromisoformat(iso)
    except ValueError:
        return False
    return True


# A date written JJ/MM/AAAA in a text, printed as typed: only the calendar says whether it exists (« 31/02/2021 »).
DATE_FR_DANS_TEXTE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")
# A year of a chronology's date or an action's period (its months and days have two digits)
_ANNEE_ECRITE = re.compile(r"(?<!\d)\d{4}(?!\d)")


def _bornes_des_annees() -> tuple[int, int]:
    """The years a fiche may give (commun.schema.yaml, $defs/annee): an action's `annee`, and the years of a date."""
    annee = schema_documents()["commun.schema.yaml"]["$defs"]["annee"]
    return annee["minimum"], annee["maximum"]


_PERIODE_ANNEES = re.compile(r"^(\d{4})-(\d{4})$")


_BORNE_ISO = re.compile(r"\d{4}(?:-\d{2}){0,2}")


def _bornes(text) -> tuple[str, str] | None:
    """The two ends of a period written « 2019-2021 » or AAAA[-MM[-JJ]]/AAAA[-MM[-JJ]]; None for any other text
    (« 31/02/2020 »: the format's own error)."""
    if not isinstance(text, str):
        return None
    annees = _PERIODE_ANNEES.match(text)
    debut, fin = annees.groups() if annees else text.partition("/")[::2]
    return (debut, fin) if fin and _BORNE_ISO.fullmatch(debut) and _BORNE_ISO.fullmatch(fin) else None


def _annee_de_debut(periode) -> int | None:
    """The year a period starts in (« 2019-2021 », « 2019-03-01/2021 »); None for any other text."""
    bornes = _bornes(periode)
    return int(bornes[0][:4]) if bornes else None


def _a_rebours(text: str) -> bool:
    """A period (« 2014-2011 », « 2016-09-25/2016-09-24 ») whose end comes before its start, compared at the
    precision both ends share (« 2016-09/2016 » is not backwards)."""
    bornes = _bornes(text)
    if bornes is None:
        return False
    debut, fin = bornes
    commun = min(len(debut), len(fin))
    return fin[:commun] < debut[:commun]


def check_dates(doc: Document) -> list[FicheError]:
    """Every date written AAAA-MM-JJ must be a real calendar date, whether it is a whole field (mis_a_jour, a
    chronology's date) or within a text (a résumé, the text after the header), where the site writes it in
    words: the schemas only check a field's shape, and « 2024-02-30 » would be printed « 30 février 2024 »."""
    errors = []

    def fausses(text: str) -> list[str]:
        if "-" not in text or not _AAAA_MM.search(text):  # no « AAAA-MM » in it: no date
            return []
        found = [text] if len(text) == 10 and ISO_DATE.match(text) and not _date_reelle(text) else []
        found += [m.group(0) for m in DATE_ISO_DANS_TEXTE.finditer(text) if not _date_reelle(m.group(0))]
        return list(dict.fromkeys(found))

    def fausses_fr(text: str) -> list[str]:
        if "/" not in text:
            return []
        return [m.group(0) for m in DATE_FR_DANS_TEXTE.finditer(text)
                if not _date_reelle(f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}")]

    premiere, derniere = _bornes_des_annees()

    for path, text in _strings(doc.data):
        for iso in fausses(text):
            errors.append(FicheError(doc.rel, f"la date « {iso} » n'existe pas dans le calendrier : écrivez une "
                                              "date réelle au format AAAA-MM-JJ (mois de 01 à 12, jour valide "
                                              "pour ce mois).", doc.line_of(path), _dotted(path) or None))
        # (editor QA: « signé le 31/02/2021 » was published; a date field in that format is the schema's to refuse)
        for date in fausses_fr(text) if not path or path[-1] not in ("date", "periode", "mis_a_jour") else ():
            errors.append(FicheError(doc.rel, f"la date « {date} » n'existe pas dans le calendrier : vérifiez le jour "
                                              "et le mois.", doc.line_of(path), _dotted(path) or None))
        if path and path[-1] == "consulte_le" and ISO_DATE.match(text) and _date_reelle(text) \
                and text > datetime.date.today().isoformat():
            # « consultée le 1er mars 2030 » was printed under a source (attacker QA), as a future `mis_a_jour` is refused
            errors.append(FicheError(doc.rel, f"la date de consultation « {text} » est à venir : écrivez le jour où la "
                                              "page a été lue, aujourd'hui au plus tard.", doc.line_of(path),
                                     _dotted(path)))
        if path and path[-1] in ("date", "periode"):
            hors = [a for a in _ANNEE_ECRITE.findall(text) if not premiere <= int(a) <= derniere]
            if hors:  # « date: "0001" », « periode: 2021-2150 » (editor QA), where `annee` stops at the same bounds
                errors.append(FicheError(doc.rel, f"l'année {hors[0]} de « {text} » est hors des années du guide "
                                                  f"({premiere} à {derniere}) : vérifiez-la.", doc.line_of(path),
                                         _dotted(path)))
        if path and path[-1] == "date" and "-" in text and any(not 1 <= int(m.group(1)) <= 12 for m in _MOIS_ISO.finditer(text)):
            errors.append(FicheError(doc.rel, f"la date « {text} » n'existe pas dans le calendrier : le mois s'écrit "
                                              "de 01 à 12 (AAAA-MM).", doc.line_of(path), _dotted(path)))
        elif path and path[-1] in ("date", "periode") and _a_rebours(text):  # a chronology's date, an action's period
            errors.append(FicheError(doc.rel, f"la période « {text} » finit avant de commencer : écrivez d'abord le "
                                              "début, puis la fin (« 2011-2014 », « 2016-09-24/2016-09-25 »).",
                                     doc.line_of(path), _dotted(path)))
    errors += _site_et_adresse(doc)
    actions = doc.data.get("actions") if isinstance(doc.data, dict) else None
    for i, action in enumerate(actions if isinstance(actions, list) else []):
        debut = _annee_de_debut(action.get("periode")) if isinstance(action, dict) else None
        annee = action.get("annee") if isinstance(action, dict) else None
        if debut is not None and isinstance(annee, int) and not isinstance(annee, bool) and annee != debut:
            # The page shows the period alone: « annee: 2020 » beside « periode: 2019-2021 » vanished (editor QA).
            path = ("actions", i, "annee")
            errors.append(FicheError(doc.rel, f"l'année {annee} n'est pas celle où commence la période « "
                                              f"{action['periode']} » : la page ne montre que la période. Gardez "
                                              f"la période seule ; « annee » ne peut être que son année de début ({debut}), "
                                              "si la source date l'action ainsi.",
                                     doc.line_of(path), _dotted(path)))
        elif (debut is None and isinstance(annee, int) and not isinstance(annee, bool)
              and isinstance(action.get("periode"), str) and str(annee) not in _ANNEE_ECRITE.findall(action["periode"])):
            # A period in words (« depuis 2015 ») beside a year it does not hold: the page shows the period alone, and
            # « annee: 2018 » vanished without a word (editor QA).
            path = ("actions", i, "annee")
            errors.append(FicheError(doc.rel, f"l'année {annee} n'est pas écrite dans la période « {action['periode']} » "
                                              "et la page ne montre que la période : l'année serait perdue. Gardez "
                                              "celle des deux que la source donne, ou écrivez l'année dans la période.",
                                     doc.line_of(path), _dotted(path)))
    chronologie = doc.data.get("chronologie") if isinstance(doc.data, dict) else None
    plus_recente = None  # (year, date as written) of the latest entry so far
    for i, entree in enumerate(chronologie if isinstance(chronologie, list) else []):
        date = entree.get("date") if isinstance(entree, dict) else None
        annee = _ANNEE_ECRITE.search(date) if isinstance(date, str) else None
        if annee is None:
            continue
        if plus_recente is not None and int(annee.group(0)) < plus_recente[0]:
            # The page shows the chronology in the order written (editor QA: a date of 2014 after one of 2016). Within
            # a year the order stays the editor's: « 2016 » after « 2016-07-08 » says nothing of the month.
            path = ("chronologie", i, "date")
            errors.append(FicheError(doc.rel, f"la chronologie n'est pas dans l'ordre : « {date} » vient après « "
                                              f"{plus_recente[1]} » ; rangez les dates de la plus ancienne à la plus "
                                              "récente, comme la page les montre.", doc.line_of(path), _dotted(path)))
        elif plus_recente is None or int(annee.group(0)) > plus_recente[0]:
            plus_recente = (int(annee.group(0)), date)
    mis_a_jour = doc.data.get("mis_a_jour") if isinstance(doc.data, dict) else None
    if isinstance(mis_a_jour, str) and ISO_DATE.match(mis_a_jour) and _date_reelle(mis_a_jour) \
            and mis_a_jour > datetime.date.today().isoformat():
        # « Dernière mise à jour : 1er janvier 2031 » beside the site's own version date (editor QA)
        errors.append(FicheError(doc.rel, f"la date de mise à jour « {mis_a_jour} » est à venir : écrivez le jour où la "
                                          "fiche a été mise à jour, aujourd'hui au plus tard.",
                                 doc.line_of(("mis_a_jour",)), "mis_a_jour"))
    if "-" in doc.body and DATE_ISO_DANS_TEXTE.search(doc.body):
        for number, line in enumerate(doc.body.split("\n"), start=doc.body_line):
            for iso in fausses(line):
                errors.append(FicheError(doc.rel, f"la date « {iso} » n'existe pas dans le calendrier (texte de la "
                                                  "fiche) : écrivez une date réelle au format AAAA-MM-JJ, que le site "
                                                  "écrit en toutes lettres.", number))
    if "/" in doc.body and DATE_FR_DANS_TEXTE.search(doc.body):
        for number, line in enumerate(doc.body.split("\n"), start=doc.body_line):
            for date in fausses_fr(line):
                errors.append(FicheError(doc.rel, f"la date « {date} » n'existe pas dans le calendrier (texte de la "
                                                  "fiche) : vérifiez le jour et le mois.", number))
    return errors


# Markdown links a fiche may write: inline `[texte](cible)` / `![image](cible)`, and reference definitions (not
# footnotes, « [^1]: … », whose text is no address).
# (A title of 300 characters at most: « [^)]* » read to the end of a text without « ) » from each « ]( », and
# « ](a " » repeated over a free text of 50,000 characters took minutes.)
# (spaces may close it, « [x](testbourg.fr/aap ) », as Python-Markdown reads it: its links went past every check,
# attacker QA)
_LIEN_EN_LIGNE = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'(][^)]{0,300})?\s*\)")
_LIEN_REFERENCE = re.compile(r"^ {0,3}\[(?!\^)[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M)
# A destination cut by spaces or a tab, without a title (« [s](ht<tab>tps://x.fr) »): a link to Python-Markdown, which
# MkDocs then refuses, in English. Each piece starts after a space and holds none. Only where a « ) » closes it within
# 600 characters on its line: without that bound, « ](a ](a ](a … » was read to its end from each « ]( ».
_LIEN_COUPE = re.compile(r"\]\((?=[^)\n]{0,600}\))\s*<?([^)\s>]+(?:[ \t]+[^)\s>\"'(][^)\s>]*)+)>?\s*\)")
# What an inline link reads as its destination from a « ]( »: see _liens_md.
_DESTINATION = re.compile(r"\]\(\s*<?[^)\s>]*")


def _liens_md(text: str) -> list[tuple[int, str]]:
    """(position, destination) of the Markdown links of `text`: inline ones and reference definitions, in order,
    as one pattern's finditer would find them (none inside another), each character read a bounded number of times.

    From a « ]( » an inline destination runs to the first « ) », space or « > »: a text of « ]( » alone (no « [ »
    or « < », so within the fiches' bounds) was read from each « ]( » to its end, 45 s for 49,000 characters.
    Where no link starts at a « ]( », none starts at a « ]( » inside its destination either (that destination ends
    at the same place, followed by the same text): the search goes on after it."""
    en_ligne, debut = [], 0
    while (i := text.find("](", debut)) >= 0:
        match = _LIEN_EN_LIGNE.match(text, i)
        if match is not None:
            en_ligne.append(match)
            debut = match.end()
        else:
            # ...but for one « ]( » that ends it: spaces may follow it, which the link from there skips (« ](]( ](x) »,
            # found by hypothesis), where they ended this destination.
            fin = _DESTINATION.match(text, i).end()
            debut = fin - 2 if fin - 2 > i and text.startswith("](", fin - 2) else max(i + 1, fin)
    liens, fin = [], 0
    for match in sorted([*en_ligne, *_LIEN_REFERENCE.finditer(text)], key=lambda m: m.start()):
        if match.start() >= fin:
            liens.append((match.start(), match.group(1)))
            fin = match.end()
    return liens
# The schemes the sanitiser keeps as links (assainir.py takes this set): an address of any other (« ftp: », « tel: »,
# « data:text/plain », « about: », « intent: »…) is published as plain text, and is said rather than silently lost; a
# list of the schemes not published let « data: », « about: » and « intent: » links vanish without a word (attacker
# QA). Active content (javascript:, data:text/html…) is the sanitiser's, and contenu_actif's friendly warning.
SCHEMAS_PUBLIES = {"http", "https", "mailto"}
# An image, as an editor writes one (« ![plan](https://…/plan.png) », « ![logo](data:image/png;base64,…) »,
# « ![plan](plan.png) »): the sanitiser keeps no image from a fiche (the policy allows the site's own alone), so it
# vanished from the page, its description too, without a word (editor QA: from the web, then as data). Told here
# for the editor's sake; what keeps any image out of a page is the sanitiser, whatever it looks like.
# (Its description may run over a line, not a blank one, as Markdown reads it: « ![⏎](…) » went past, attacker QA.)
_DESCRIPTION = r"(?:[^\]\n]|\n(?![ \t]*\n))*"
_IMAGE = re.compile(r"!\[" + _DESCRIPTION + r"\]\(\s*<?([^)\s>]*)")
# …or written by reference (« ![plan][p] », « ![plan][] », or « ![plan] » with « [plan]: https://… » below): the same
# image, gone with its description (editor QA).
_IMAGE_REFERENCE = re.compile(r"!\[(" + _DESCRIPTION + r")\](?:[ ]?\[([^\]\n]*)\])?(?!\()")
_NOTE = re.compile(r"\[\^([^\]\s]+)\]")


def check_links(doc: Document, page_src: str, exists) -> list[FicheError]:
    """Links of a fiche (text after the header and Markdown in its fields) that would not lead where the editor
    meant: to a page or file of the site that does not exist, outside the site (« ../../../.git/config »), to a
    path of the server (« /etc/passwd »: the site may live under a sub-path), an address without its scheme
    (« //exemple.org », « www.exemple.org »), or a scheme the site does not publish as a link (« ftp: », « tel: »,
    « file: »: shown as plain text); and footnotes, which a fiche does not write (the guide numbers its notes from
    the fiche's sources). `page_src` is the source path of the fiche's page (territoires/x.md), against which relative links
    resolve; `exists(path)` says whether the site has a file at that source path. Anchors (« x.md#y ») are
    checked against the built pages (ancres_des_liens, ancre_absente)."""
    errors = []
    for genre, resolved, target, line, field in _liens(doc, page_src):
        if genre == "ancre" or genre == "relatif" and not resolved.startswith("../") and exists(resolved):
            continue  # an anchor is checked in the page built (ancres_des_liens)
        message = {
            "schema": f"lien vers « {target} » : seules les adresses web (https://…) sont publiées comme liens ; "
                      "celle-ci serait affichée comme du simple texte. Écrivez-la sans crochets ni parenthèses si elle "
                      "doit seulement être lue.",
            "sans_schema": f"lien vers « {target} » : écrivez l'adresse complète, avec https: (« https:{target} »).",
            "absolu": f"lien vers « {target} » : un chemin du serveur ne mène pas à une page du guide (le site peut "
                      "être publié sous un sous-dossier). Citez la fiche : « x.md » depuis une autre fiche territoire, "
                      "« ../champs/x.md » pour un champ, ou une adresse web complète (https://…).",
            "note": f"note « [^{target}] » : une fiche n'écrit pas ses notes elle-même, le guide les numérote d'après ses "
                    "sources. Citez la source entre parenthèses dans le texte, « (Étude 2021, p. 14) », ou avec la clé "
                    "« sources » ; une remarque s'écrit dans le texte, ou dans la clé « note » d'une source.",
            "www": f"lien vers « {target} » : écrivez l'adresse complète, avec https:// (« https://{target} »).",
            "hote": f"lien vers « {target} » : un mot de l'adresse mélange les écritures {resolved} : "
                    "une lettre d'un autre alphabet imite une lettre latine, et le lien mènerait à un autre site. "
                    "Retapez l'adresse au clavier.",
            "sans_barres": f"lien vers « {target} » : il manque les deux barres obliques après « {target.partition(':')[0]}: » ; "
                           f"écrivez « {target.partition(':')[0]}://{target.partition(':')[2].lstrip('/')} ».",
            "local": f"lien vers « {target} » : cette adresse est celle d'un ordinateur ou d'un réseau local (l'aperçu "
                     "du guide, un intranet), qu'aucun lecteur du guide publié ne peut ouvrir. Une page du guide se cite "
                     "par sa fiche (« x.md » depuis une autre fiche territoire, « ../champs/x.md » pour un champ) ; un "
                     "autre site, par son adresse publique complète (https://…).",
            "guillemet": f"lien vers « {target} » : une adresse ne contient pas de guillemet droit (\") : la page la "
                         "couperait là, et le reste du lien serait perdu. Écrivez-le « %22 » dans l'adresse, ou retirez-le.",
            "illisible": f"lien vers « {target} » : cette adresse ne peut pas être lue (un crochet « [ » ouvert après "
                         "« // » n'est jamais fermé) ; retapez l'adresse complète, https://….",
            "espace": f"lien vers « {target} » : une adresse ne contient ni espace, ni tabulation, ni retour à la "
                      "ligne ; retapez-la d'un seul tenant.",
            "dossier": f"lien vers « {target} » : ne mène à aucune page du guide. Une fiche se cite par son fichier, "
                       "avec « .md » (« x.md » depuis une autre fiche territoire, « ../champs/x.md » pour un champ) ; "
                       "une adresse web s'écrit en entier (https://…).",
            "image": f"image « {target} » : le guide ne publie pas d'image venue d'une fiche (elle disparaîtrait de la "
                     "page, sa description aussi) ; décrivez-la dans le texte, ou mettez un lien vers elle : "
                     "« [description](https://…) ».",
        }.get(genre) or (f"lien vers « {target} » : cette page ou ce fichier n'existe pas dans le guide.{_fiche_proche(doc, resolved, target)} "
                         "Vérifiez le nom (une fiche territoire se cite « x.md » depuis une autre fiche territoire, "
                         "« ../champs/x.md » pour un champ).")
        if field is not None:  # in a text written as a block: the line of the link, not the key's
            line = ligne_du_passage(doc, _chemin(field), target)
        errors.append(FicheError(doc.rel, message, line, field))
    return errors


def _fiche_proche(doc: Document, resolved: str, target: str) -> str:
    """« Vouliez-vous dire « grand-poitiers.md » ? » for a link to a fiche whose name is a letter off (editor QA: a
    misspelt co-porteur was told the near one, a misspelt link was not)."""
    dossier, _, nom = resolved.rpartition("/")
    if not nom.endswith(".md") or dossier not in COLLECTIONS or doc.path is None:
        return ""
    fiches = doc.path.parent.parent / dossier  # fiches/<collection>/, beside the fiche's own folder
    try:
        noms = _noms_des_fiches(fiches, fiches.stat().st_mtime_ns)
    except OSError:
        return ""
    proche_ = difflib.get_close_matches(nom[:-3], noms, n=1, cutoff=0.8)
    if not proche_:
        return ""
    chemin, diese, ancre = target.partition("#")
    ecrit = posixpath.join(posixpath.dirname(chemin), proche_[0] + ".md") + diese + ancre
    return f" Vouliez-vous dire « {ecrit} » ?"


@lru_cache(maxsize=8)
def _noms_des_fiches(dossier: Path, _mtime: int) -> list[str]:
    """The fiches of a folder, read once while it does not change (a fiche of thousands of dead links read it each
    time)."""
    return [f.stem for f in dossier.glob("*.md")]


def ancres_des_liens(doc: Document, page_src: str) -> list[tuple[str, str, str, int | None, str | None]]:
    """(source path of the page, anchor, link as written, line, field) of each link of a fiche to an anchor of its own
    page (« #x ») or of a fiche's page (« x.md#y »). MkDocs does not check them: a fiche's text reaches its page
    as HTML already converted (fragments.py), so an anchor no page holds was published (editor QA). The plugin
    checks them against the ids of the pages as built (ancre_absente)."""
    return [(resolved, urllib.parse.unquote(urllib.parse.urlsplit(target).fragment), target, line, field)
            for genre, resolved, target, line, field in _liens(doc, page_src) if genre == "ancre"]


def ancre_absente(doc: Document, lien: tuple, ids: set[str], nom_de_page: str) -> FicheError | None:
    """The error of a link of `ancres_des_liens` whose anchor is none of `ids`, those of its page as built (named
    `nom_de_page` to the editor), with the nearest anchors of that page; None when the page has it."""
    _, ancre, target, line, field = lien
    if ancre in ids:
        return None
    if field is not None:
        line = ligne_du_passage(doc, _chemin(field), target)
    # The anchors an editor links to: titles, actions, levers; not the theme's (« __drawer ») or the note calls'.
    lisibles = sorted(i for i in ids if not i.startswith(("__", "fnref", "fn:")))
    proches = difflib.get_close_matches(ancre, lisibles, n=2, cutoff=0.7)
    conseil = (" ; ancres proches : " + ", ".join(f"« #{p} »" for p in proches) if proches else "")
    numero = (" L'ancre d'une action porte son numéro : si des actions de cette page ont été ajoutées, retirées ou "
              "déplacées, la sienne a changé." if re.match(r"action-\d+-", ancre) else "")
    return FicheError(doc.rel, f"lien vers « {target} » : {nom_de_page} n'a pas d'ancre « {ancre} »{conseil}.{numero} "
                               "L'ancre d'un titre ou d'une action est la fin de l'adresse (après « # ») que donne un "
                               "clic sur le « # » à côté de son titre, page ouverte.", line, field)


def _notes_de_fiche(doc: Document, appels: list) -> list[tuple[str, str, str, int | None, str | None]]:
    """(« note », "", label, line, field) of each footnote (« [^x] » or « [^x]: … ») of a fiche, in its body or in
    the texts of its fields `appels` [(text, path)]: a page's notes are the guide's, numbered from the fiche's
    sources. A fiche's own note had drawn « 1. Étude 2021, p. 14 » above the real ones, its link to another site
    (attacker QA); the page shows its text as written (fragments.py)."""
    found = []
    textes = ([(doc.body, None)] if "[^" in doc.body else []) + appels
    for text, path in textes:
        for m in _NOTE.finditer(text):
            line = doc.line_of(path) if path is not None else doc.body_line + text.count("\n", 0, m.start())
            found.append(("note", "", m.group(1), line, _dotted(path) if path is not None else None))
    return found


# Links found in each fiche, by document (the loader keeps the same Document while its file is unchanged,
# so under `mkdocs serve` only edited fiches are read again). Bounded: emptied when it outgrows the guide.
_LIENS: dict[tuple[int, str], tuple[Document, list]] = {}


def _liens(doc: Document, page_src: str) -> list[tuple[str, str, str, int | None, str | None]]:
    """(kind, resolved source path, link as written, line, field) of each link of a fiche but its web and mail
    addresses and its anchors on the same page: kind « relatif » (a path of the site, resolved against the page),
    « absolu » (« /x »), « sans_schema » (« //x »), « www » (« www.x »), « schema » (a scheme the site does not
    publish), « local » (an address of this computer or a private network: adresses.adresse_locale); and its
    footnotes (« note »: _notes_de_fiche)."""
    cached = _LIENS.get((id(doc), page_src))
    if cached and cached[0] is doc:
        return cached[1]
    page_dir = posixpath.dirname(page_src)
    found = []

    def scan(text: str, line_of):
        images = set()  # where an image's « ]( » stands: its address is said once, as an image's
        for match in _IMAGE.finditer(text) if "![" in text else ():
            cible = match.group(1)
            found.append(("image", "", cible if len(cible) <= 80 else cible[:60] + "…", *line_of(match.start())))
            images.add(text.index("](", match.start()))
        for match in _IMAGE_REFERENCE.finditer(text) if "![" in text else ():
            etiquette = match.group(2) or match.group(1)
            if re.search(rf"^ {{0,3}}\[{re.escape(etiquette.strip())}\]:", text, re.M | re.I):  # else shown as written
                found.append(("image", "", match.group(0), *line_of(match.start())))
        for match in _LIEN_COUPE.finditer(text) if "](" in text else ():
            found.append(("espace", "", match.group(1), *line_of(match.start())))
        for position, target in _liens_md(text):
            if position in images:
                continue
            if '"' in target:
                # Python-Markdown reads a straight quote in a destination as a title's start: « ?q="ESS" » was published
                # as an address cut there and a title, « /"onmouseover="… » took the rest of the paragraph into the
                # address (editor QA)
                found.append(("guillemet", "", target, *line_of(position)))
                continue
            try:
                parts = urllib.parse.urlsplit(target)
            except ValueError:  # « https://[abc »: a bracket never closed, read as an IPv6 address (attacker QA)
                found.append(("illisible", "", target, *line_of(position)))
                continue
            if parts.scheme:
                if parts.scheme.lower() not in SCHEMAS_PUBLIES:
                    found.append(("schema", "", target, *line_of(position)))
                elif parts.netloc and not parts.netloc.isascii() and caracteres.ecritures_melangees(parts.netloc):
                    # « https://аpple.com » with a Cyrillic « а »: another site than the one it reads as (editor QA).
                    # (The scripts it mixes in the place of the resolved path, which an address has not.)
                    ecritures = " et ".join(caracteres.ecritures_melangees(parts.netloc)[1])
                    found.append(("hote", ecritures, target, *line_of(position)))
                elif parts.scheme.lower() in ("http", "https") and not parts.netloc:
                    # « https:evil.example »: a browser reads it as https://evil.example on an http site, as a
                    # path of the site on an https one (editor QA)
                    found.append(("sans_barres", "", target, *line_of(position)))
                elif parts.scheme.lower() in ("http", "https") and adresse_locale(parts.hostname):
                    found.append(("local", "", target, *line_of(position)))
                continue
            if parts.netloc:
                found.append(("sans_schema", "", target, *line_of(position)))
                continue
            if target.startswith("/"):
                found.append(("absolu", "", target, *line_of(position)))
                continue
            if _DOMAINE_SANS_SCHEMA.match(target):
                # a web address without its scheme, not a file of the site (« testbourg.fr/aap »: told it was no page
                # of the guide, with no word of https; editor QA)
                found.append(("www", "", target, *line_of(position)))
                continue
            path = urllib.parse.unquote(parts.path)
            resolved = posixpath.normpath(posixpath.join(page_dir, path)) if path else ""
            if parts.fragment and (not path or posixpath.splitext(path)[1] == ".md"):
                # An anchor of this page or of another fiche's: checked once the page is built (ancres_des_liens)
                found.append(("ancre", resolved or page_src, target, *line_of(position)))
            # As MkDocs: a path to a file (with an extension) must exist, and nothing outside the site. Any other
            # (« nantes-metropole », « ./ », « ?q=1 », « \\serveur\\x »), which MkDocs publishes as written with an
            # information line only, leads to no page of the guide (editor QA: a 404 published without a word).
            if path and (posixpath.splitext(path)[1] or resolved.startswith("../")):
                found.append(("relatif", resolved, target, *line_of(position)))
            elif path or parts.query:
                found.append(("dossier", resolved, target, *line_of(position)))

    if "](" in doc.body or "]:" in doc.body:
        scan(doc.body, lambda at: (doc.body_line + doc.body.count("\n", 0, at), None))
    appels = []  # the texts of its fields holding a footnote call
    modele = COLLECTIONS.get(posixpath.dirname(doc.rel).removeprefix("fiches/"))
    for path, text in _strings(doc.data):
        if ("](" in text or "]:" in text) and not (modele and tel_quel(modele, _chemin_du_modele(path))):
            # (a text shown as written prints a link as typed: check_ecriture says so, not where it would lead)
            scan(text, lambda at, path=path: (doc.line_of(path), _dotted(path)))
        if "[^" in text:
            appels.append((text, path))
    found += _notes_de_fiche(doc, appels)
    if len(_LIENS) > 50_000:
        _LIENS.clear()
    _LIENS[(id(doc), page_src)] = (doc, found)
    return found


def _site_et_adresse(doc: Document) -> list[FicheError]:
    """A publication whose `site` names a site its `url` does not lead to (« site: www.service-public.fr » over
    « url: https://evil.example/aides »): every note citing it printed the official name beside a link elsewhere
    (attacker QA). A host the site's text shows, alone or in brackets (« Site du RTES (rtes.fr) »), is the url's."""
    errors, pile = [], [(doc.data, ())]
    while pile:
        valeur, path = pile.pop()
        if isinstance(valeur, list):
            pile.extend((v, path + (i,)) for i, v in enumerate(valeur))
        elif isinstance(valeur, dict):
            pile.extend((v, path + (k,)) for k, v in valeur.items() if isinstance(v, (dict, list)))
            site, url = valeur.get("site"), valeur.get("url")
            if not isinstance(site, str) or not isinstance(url, str):
                continue
            for mot in site.replace("(", " ").replace(")", " ").split():
                montree = adresse_montree_ailleurs(mot, url)
                if montree:
                    errors.append(FicheError(doc.rel, f"« {site} » : ce site montre l'adresse « {montree} », mais « url » "
                                                      f"mène à « {url} ». Donnez le site de cette adresse.",
                                             doc.line_of(path + ("site",)), _dotted(path + ("site",))))
                    break
    return errors


# A publication of this type is a single web page: it is cited without page or section.
UNE_PAGE = "page-web"


# How French names a commune before its name (« Ville de Lyon », « Commune d'Alençon »).
_COMMUNE_NOMMEE = re.compile(r"^(?:ville|commune|mairie)\s+(?:de\s+|d['’]\s*)", re.I)


def _porteurs_en_partenaires(territoires: dict) -> list[FicheError]:
    """A territory that carries an action named again among its partners (« Partenaires : Région Grand Est » beside
    « Action portée avec : Région Grand Est »: fact-checker QA): one role, said once. Read on every check, outside the
    fiches' memo: it reads the names of other fiches, which may change without this one."""
    errors = []
    for slug, doc in territoires.items():
        for i, action in enumerate(_list(doc.data.get("actions"))):
            if not isinstance(action, dict) or not action.get("partenaires"):
                continue
            porteurs = {}
            for autre in [slug, *_list(action.get("coporteurs"))]:
                fiche = territoires.get(autre) if isinstance(autre, str) else None
                for nom in _noms(fiche) if fiche is not None else ():
                    if isinstance(nom, str):
                        porteurs[titre_normalise(nom)] = fiche
                        if fiche.data.get("type") == "commune":
                            # a commune as French names it: « Ville de Saint-Brieuc » on the fiche « Saint-Brieuc »,
                            # and « Saint-Brieuc » on « Ville de Saint-Brieuc » (editor QA: published as its partner)
                            lieu = _COMMUNE_NOMMEE.sub("", nom)
                            for forme in (lieu, *(f"{p} {lieu}" for p in ("Ville de", "Commune de", "Mairie de"))):
                                porteurs.setdefault(titre_normalise(forme), fiche)
            for j, partenaire in enumerate(_list(action.get("partenaires"))):
                fiche = porteurs.get(titre_normalise(partenaire)) if isinstance(partenaire, str) else None
                if fiche is not None:
                    path = ("actions", i, "partenaires", j)
                    role = "est le territoire de cette fiche" if fiche is doc else "est déjà coporteur de cette action"
                    errors.append(FicheError(doc.rel, f"« {partenaire} » {role} : la page le nommerait deux fois, "
                                                      "comme porteur et comme partenaire ; retirez-le des partenaires.",
                                             doc.line_of(path), _dotted(path)))
    return errors


# A fiche's identifier as written in a text: lower-case words joined by hyphens (« ville-de-lyon »), not part of an
# address or a link's target (after « / », « . », « # », « [ », « = », « ? », « & », before « .md » or « .fr »).
_IDENTIFIANT_ECRIT = re.compile(r"(?<![\w/.#\[=?&-])[a-z0-9]+(?:-[a-z0-9]+)+(?![\w-]|\.\w)")


def _identifiants_ecrits(documents: list, territoires: dict) -> list[FicheError]:
    """A territory's identifier written in a text (« restent sur la fiche ville-de-lyon », content QA): the page
    prints it as is, a word no reader knows. Its name is asked for, or a link where the text is Markdown. A text
    that is only the identifier (a coporteur) is one. Read outside the fiches' memo: it reads other fiches' names."""
    errors = []
    for doc in documents:
        modele = COLLECTIONS.get(posixpath.dirname(doc.rel).removeprefix("fiches/"))
        textes = list(_strings(doc.data))
        if doc.body:
            textes.append((None, doc.body))
        for path, texte in textes:
            # (a coporteur is an identifier: « coporteurs: a, b », a list without its brackets, has its own message)
            if "-" not in texte or path is not None and "coporteurs" in path:
                continue
            for m in _IDENTIFIANT_ECRIT.finditer(texte):
                fiche = territoires.get(m.group())
                if fiche is None:
                    continue
                nom = fiche.data.get("nom") if isinstance(fiche.data.get("nom"), str) else m.group()
                # (the link as written from this fiche's folder: a champ's reaches a territory in ../territoires/)
                cible = f"{m.group()}.md" if doc.rel.startswith("fiches/territoires/") else f"../territoires/{m.group()}.md"
                lien = "" if path is not None and modele and tel_quel(modele, _chemin_du_modele(path)) \
                    else f", ou un lien vers sa page : [{nom}]({cible})"
                ligne = ligne_du_passage(doc, path, m.group()) if path is not None \
                    else doc.body_line + texte[:m.start()].count("\n")
                errors.append(FicheError(doc.rel, f"« {m.group()} » est l'identifiant de la fiche « {nom} » : la page "
                                                  f"l'imprimerait tel quel ; écrivez son nom, « {nom} »{lien}.",
                                         ligne, _dotted(path) if path is not None else "texte libre"))
                break
    return errors


def _citations_de(doc: Document) -> tuple:
    """((citation, its path), …): each citation of a file (a block naming a publication); Document.derive: once per
    file, for the checks that compare the citations of every fiche."""
    out = []
    stack = [(doc.data, ())]
    while stack:
        value, path = stack.pop()
        if isinstance(value, dict):
            if isinstance(value.get("publication"), str):
                out.append((value, path))
            stack.extend((v, path + (k,)) for k, v in value.items() if isinstance(v, (dict, list)))
        elif isinstance(value, list):
            stack.extend((v, path + (i,)) for i, v in enumerate(value) if isinstance(v, (dict, list)))
    return tuple(out)


def _section(citation: dict) -> str | None:
    """A citation's section as compared: its words, one space between them."""
    section = citation.get("section")
    return " ".join(section.split()) if isinstance(section, str) else None


# More page ranges than the citations of one section give (the most cited give two or three).
_PLAGES_D_UNE_SECTION = 50


def _pages_discordantes(documents: list) -> list[FicheError]:
    """A section of a publication cited at pages that most of its other citations in the guide do not share (editor
    QA: « Champ d'action #6 — … » cited p. 58-63, the pages of another chapter, where twenty citations give p. 28-31):
    a section lies at the same pages wherever it is cited, so one of the two is wrong. Told at the citations whose
    pages overlap fewer citations than they do not; when as many go each way, at both. Only pages of digits
    (« 58 », « 58-63 »). Counted by page range, not citation by citation: at 10,000 fiches a section is cited
    thousands of times, at a few ranges."""
    par_section: dict = {}
    for doc in documents:
        for citation, path in doc.derive(_citations_de):
            page, section = citation.get("page"), _section(citation)
            if section is None or not isinstance(page, (int, str)) or not re.fullmatch(r"[\d\s–—-]+", str(page)):
                continue
            nombres = [int(n) for n in re.findall(r"\d+", str(page))]
            if nombres:
                plages = par_section.setdefault((citation["publication"], section), {})
                plages.setdefault((min(nombres), max(nombres)), []).append((str(page), doc, path + ("page",)))
    errors = []
    for (_, section), plages in par_section.items():
        if len(plages) < 2 or len(plages) > _PLAGES_D_UNE_SECTION:
            # one page range for the section everywhere (almost every section); or ranges by the hundred, which no
            # section has and a fiche built for it would make this count their square
            continue
        total = sum(len(u) for u in plages.values())
        for (debut, fin), usages in plages.items():
            communes = sum(len(u) for (d, f), u in plages.items() if d <= fin and debut <= f)
            if communes > total - communes:
                continue
            ecrit_ailleurs, doc_ailleurs, path_ailleurs = next(
                u[0] for (d, f), u in plages.items() if not (d <= fin and debut <= f))
            for ecrit, doc, path in usages:
                errors.append(FicheError(doc.rel, f"p. {ecrit} : la section « {section[:90]} » est citée p. {ecrit_ailleurs} "
                                                  f"ailleurs ({total - communes} fois, dont {_ou(doc_ailleurs, path_ailleurs)}) ; "
                                                  "une section se trouve aux mêmes pages partout : vérifiez la page, "
                                                  "ou la section.", doc.line_of(path), _dotted(path)))
    return errors


# More words than any section title holds (the longest cited is about 30).
_MOTS_D_UNE_SECTION = 60


def _sections_mal_orthographiees(documents: list) -> list[FicheError]:
    """A section cited less often than another section of the same publication that differs from it by one word
    spelt nearly alike (« Dévelopement des achats… » beside « Développement des achats… »): a typo, printed in the
    notes, where a reader searching the publication for it finds nothing (editor QA). Not a word with more or fewer
    letters at an end (« directes », « indirectes »), nor a short one, nor one spelt otherwise (« Rennes », « Nantes »).
    Sections are grouped by their other words, so each is compared with the few that share them, not with all."""
    usages: dict = {}
    for doc in documents:
        for citation, path in doc.derive(_citations_de):
            section = _section(citation)
            if section is not None:
                usages.setdefault((citation["publication"], section), []).append((doc, path + ("section",)))
    voisines: dict = {}
    for pub, section in usages:
        mots = section.split(" ")
        if len(mots) > _MOTS_D_UNE_SECTION:
            continue  # no section title is that long (the schema says so); its keys would hold its words squared
        for i in range(len(mots)):
            voisines.setdefault((pub, len(mots), i, tuple(mots[:i] + mots[i + 1:])), []).append(section)
    errors = []
    for (pub, _, i, _), sections in voisines.items():
        if len(sections) < 2:
            continue
        # Only against a section cited more often: sections all cited once (« Zoom x », « Zoom y »… by the thousand,
        # attacker QA: 45 s for 1,800 citations) are compared with none; distinct counts take as many citations.
        plus_citee = max(len(usages[(pub, autre)]) for autre in sections)
        for section in sections:
            if len(usages[(pub, section)]) >= plus_citee:
                continue
            mot = section.split(" ")[i]
            for autre in sections:
                juste = autre.split(" ")[i]
                if (len(usages[(pub, autre)]) <= len(usages[(pub, section)]) or min(len(mot), len(juste)) < 5
                        or mot.lower() == juste.lower()  # (a capital more or less: the same word, « Encadré »)
                        or mot.startswith(juste) or juste.startswith(mot) or mot.endswith(juste) or juste.endswith(mot)):
                    continue
                # (difflib, the standard library's: one word against another needs no edit-distance package; its
                # cheap upper bounds first)
                proches = difflib.SequenceMatcher(None, mot.lower(), juste.lower())
                if proches.real_quick_ratio() < 0.85 or proches.quick_ratio() < 0.85 or proches.ratio() < 0.85:
                    continue
                ailleurs = usages[(pub, autre)][0]
                for doc, path in usages[(pub, section)]:
                    errors.append(FicheError(doc.rel, f"section « {section[:90]} » : « {mot} » est-il « {juste} » ? La "
                                                      f"section « {autre[:90]} » est citée {len(usages[(pub, autre)])} "
                                                      f"fois (dont {_ou(*ailleurs)}) ; écrivez le titre tel que la "
                                                      "publication l'imprime.", doc.line_of(path), _dotted(path)))
                break
    return errors


def _coporteurs_nommes(doc: Document) -> set:
    """What a territory fiche names as co-carriers of its actions (Document.derive: once per loaded file); an item
    that is no text is the schema's error, reported at its line (« coporteurs: [argenteuil: co-financeur] » stopped
    the validator and the build with « unhashable type: 'dict' »: attacker QA)."""
    return {other for action in _list(doc.data.get("actions")) if isinstance(action, dict)
            for other in _list(action.get("coporteurs")) if isinstance(other, str)}


def _noms(doc: Document) -> list:
    """A territory fiche's name, then its aliases, as written (None or a non-text where the fiche has them wrong)."""
    return [doc.data.get("nom")] + _list(doc.data.get("alias"))


def _squelettes_des_noms(doc: Document) -> dict:
    """Name → TR39 skeleton (caracteres.squelette) of a territory fiche's name and aliases (Document.derive)."""
    return {name: caracteres.squelette(name) for name in _noms(doc) if isinstance(name, str)}


def _mots_des_noms(doc: Document) -> dict:
    """Name → its significant words (referentiel.mots) for a territory fiche's name and aliases (Document.derive),
    brackets included: what tells two places apart is often there (« Saint-Denis (La Réunion) »), where the
    official reference's comparison drops an acronym (« (COGA) »)."""
    return {name: mots(name.replace("(", " ").replace(")", " ")) for name in _noms(doc) if isinstance(name, str)}


def _codes_distincts(a: Document, b: Document) -> bool:
    """Both fiches give an official code, and not the same: two territories, whatever their names."""
    codes = [tuple(str(d.data.get(cle) or "").strip() for cle in ("code_insee", "siren")) for d in (a, b)]
    return all(any(c) for c in codes) and codes[0] != codes[1]


SANS_ACTION = "la fiche n'a aucune action"


# « (Avise 2021, p. 14) »: a part of a bracket that is a name holding a year (« Avise, 2021 » too), a comma or a colon or
# nothing, then a page (« p. », « pp. », « page »), then anything after a comma (check_parentheses). A name without a
# year (« (voir p. 14) ») is prose. Bounded: the name is 60 characters at most.
_CITATION_D_UN_NOM_INCONNU = re.compile(r"([^\W\d_][^()\n;]{0,60}?\b(?:19|20)\d\d)[ ]?[,:]?[ ]?(?:pp?\.?|pages?)[ ]?\d[\d\-–]*"
                                        r"(?:[ ]et[ ]\d[\d\-–]*)*(?:,.*)?", re.I)
_UNE_ANNEE = re.compile(r"\b(?:19|20)\d\d\b")


def check_references(champs: dict, territoires: dict, sources: Document | None,
                     sigles: Document | None, messages: Document | None, memo: dict | None = None) -> list[FicheError]:
    """Checks across fiches: champ slugs and source ids exist, slugs, names and numbers are unique.

    `memo` (a dict the caller keeps between two checks, guide.Memoire): what a territory fiche gives on its own
    side (its citations, champs, levers and co-carriers checked, its names) is kept by fiche and taken again while
    the fiche, the champs, the sources and the set of territories are the very same; only the checks between
    fiches (same names, names that look alike, fiches no action carries) are done again. Under `mkdocs serve`, a
    saved fiche is checked against 10,000 others in a tenth of the time (tests/test_robustesse.py compares both)."""
    errors: list[FicheError] = []
    publications = {}
    if sources is not None:
        for i, pub in enumerate(_list(sources.data.get("publications"))):
            if not isinstance(pub, dict):
                continue
            if pub.get("id") in publications:
                errors.append(FicheError(sources.rel, f"identifiant de publication « {pub['id']} » déclaré deux fois.",
                                         sources.line_of(("publications", i, "id")), f"publications[{i}].id"))
            publications[pub.get("id")] = pub
        # A short name (edition, titre without one, appellations) names one publication: a bracket « (Étude 2021,
        # p. 3) » is a note to the first one declared, and a second « Étude 2021 » was never cited (editor QA).
        nomme, declares, titres = {}, [], {}
        for i, pub in enumerate(_list(sources.data.get("publications"))):
            if not isinstance(pub, dict):
                continue
            # Its title too is its own: the form's list of publications to cite shows titles, and a second « Cadres
            # et leviers d'action… » leading elsewhere looked the same there (attacker QA).
            titre = pub.get("titre")
            if isinstance(titre, str):
                autre = titres.setdefault(" ".join(parentheses.plier(titre).split()), pub.get("id"))
                if autre != pub.get("id"):
                    errors.append(FicheError(sources.rel, f"titre « {titre} » déjà celui de la publication « {autre} » : "
                                                          "le formulaire, qui montre les publications par leur titre, "
                                                          "ne les distinguerait pas. S'il s'agit d'une autre édition, "
                                                          "précisez-la dans le titre.",
                                             sources.line_of(("publications", i, "titre")), f"publications[{i}].titre"))
            for nom, cle in [(pub.get("edition", pub.get("titre")), "edition" if "edition" in pub else "titre"),
                             *((a, f"appellations[{j}]") for j, a in enumerate(_list(pub.get("appellations"))))]:
                if not isinstance(nom, str):
                    continue
                pli = " ".join(parentheses.plier(nom).split())
                autre = nomme.setdefault(pli, pub.get("id"))
                if autre != pub.get("id"):
                    errors.append(FicheError(sources.rel, f"nom court « {nom} » déjà celui de la publication « {autre} » : "
                                                          "une citation « (" + nom + ", p. 14) » la désignerait. Donnez à "
                                                          "celle-ci un nom court à elle (« edition: … »).",
                                             sources.line_of(("publications", i, *_chemin(cle))), f"publications[{i}].{cle}"))
                else:
                    declares.append((pli, nom, pub.get("id"), i, cle))
        # …nor begins with another publication's: a bracket is read as the longest short name it opens on, and
        # « appellations: ["Étude 2021, p. 54-57"] » took the citations other fiches wrote of the Étude 2021's pages
        # to a page of its own (attacker QA).
        for pli, nom, pid, i, cle in declares:
            for autre_pli, autre_nom, autre_pid, _, _ in declares:
                if autre_pid != pid and len(pli) > len(autre_pli) and pli.startswith(autre_pli):
                    errors.append(FicheError(sources.rel, f"nom court « {nom} » : il commence par « {autre_nom} », nom "
                                                          f"court de la publication « {autre_pid} » : une citation de "
                                                          f"celle-ci, « ({nom}…) », serait prise pour une citation de la "
                                                          "publication déclarée ici. Donnez-lui un nom court qui ne "
                                                          "commence pas par celui d'une autre publication.",
                                             sources.line_of(("publications", i, *_chemin(cle))), f"publications[{i}].{cle}"))
                    break
    source_ids = {i for i in publications if isinstance(i, str)}

    def check_citations(doc: Document):
        if sources is None:
            return  # fiches/sources.yaml unreadable: its own error says why; every citation would be « inconnue »
        for path, cit in doc.citations:
            pub = cit.get("publication")
            if isinstance(pub, str) and pub not in source_ids:
                errors.append(FicheError(doc.rel, f"publication « {pub} » inconnue.{suggestion(pub, source_ids)} "
                                                  "Déclarez-la dans fiches/sources.yaml, ou choisissez l'une de : "
                                                  f"{', '.join(sorted(source_ids))}.",
                                         doc.line_of(path + ("publication",)), _dotted(path + ("publication",))))
            elif isinstance(pub, str) and "page" not in cit and "section" not in cit \
                    and publications[pub].get("type") != UNE_PAGE:
                errors.append(FicheError(doc.rel, f"citation de « {pub} » sans page ni section : ajoutez « page: 14 » "
                                                  "ou « section: \"Titre de la partie\" » pour que le lecteur retrouve "
                                                  f"le passage (seule une source « type: {UNE_PAGE} » de "
                                                  "fiches/sources.yaml se cite sans page ni section).",
                                         doc.line_of(path), _dotted(path)))

    noms = parentheses.noms_courts(publications)
    ouvre_sur_un_nom = parentheses.motif_des_noms(noms)

    def sections_citees(doc: Document) -> dict:
        """publication → the sections the fiche's `sources` entries cite."""
        out: dict = {}
        for _, c in doc.citations:
            if isinstance(c.get("publication"), str) and isinstance(c.get("section"), str):
                out.setdefault(c["publication"], set()).add(c["section"])
        return out

    def check_parentheses(doc: Document):
        """A source cited in brackets in the fiche's text names its page or section, as a `sources` entry must."""
        if sources is None:
            return
        textes = [(doc.body, None)] + [(text, path) for path, text in _strings(doc.data) if "(" in text]
        citees = None
        for texte, path in textes:
            if "(" not in texte:
                continue

            def signaler(message: str, debut: int) -> None:
                """An error of the bracket starting at `debut` of this text, at its line and field."""
                ligne = doc.body_line + texte.count("\n", 0, debut) if path is None else doc.line_of(path)
                errors.append(FicheError(doc.rel, message, ligne, None if path is None else _dotted(path)))
            # « (Avise 2021, p. 14) »: a name and a year, then a page, as a citation writes them, but no publication's
            # short name: printed as text, without a note, while the editor believed the fact sourced (editor QA).
            for m in parentheses.PARENTHESE.finditer(texte) if _UNE_ANNEE.search(texte) else ():
                for partie in m.group(1).split(";"):
                    lue = _CITATION_D_UN_NOM_INCONNU.fullmatch(" ".join(partie.split()))
                    if lue is None:
                        continue
                    nom = lue.group(1).rstrip(" ,")
                    if any(parentheses.plier(nom) == parentheses.plier(n) for n, _ in noms):
                        continue
                    signaler(f"« ({' '.join(m.group(1).split())}) » se lit comme une source, mais « {nom} » n'est le "
                             f"nom court d'aucune publication : la page l'imprimerait comme du texte, sans note."
                             f"{suggestion(nom, [n for n, _ in noms], 0.5)} Écrivez le nom court d'une publication de "
                             "fiches/sources.yaml (son « edition »), ou déclarez-y celle-ci.", m.start())
            if not ouvre_sur_un_nom.search(parentheses.plier(texte)):
                continue
            for debut, crochet, cites in parentheses.citations(texte, noms):
                sans = [" ".join(part.split()) for part, c in zip(crochet.split(";"), cites)
                        if not ("page" in c or "section" in c or publications[c["publication"]].get("type") == UNE_PAGE)]
                if sans:
                    signaler(f"source « {' ; '.join(sans)} » entre parenthèses sans page ni section : ajoutez ce qui "
                             f"situe le passage, « ({sans[0]}, p. 14) » ou « ({sans[0]}, titre de la partie) ».", debut)
                    continue
                # A section the fiche's fields never cite: its note read « Étude 2019, « zoom du champ #1 » », which a
                # reader cannot find in the publication (phone QA). Named as a `sources` entry names it, the note is
                # that entry's.
                for part, c in zip(crochet.split(";"), cites):
                    if "section" not in c or c["publication"] not in publications:
                        continue
                    citees = citees if citees is not None else sections_citees(doc)  # once a fiche, when needed
                    connues = citees.get(c["publication"], set())
                    if c["section"] in connues:
                        continue
                    signaler(f"source « {' '.join(part.split())} » entre parenthèses : aucune entrée « sources » de "
                             f"la fiche ne cite la section « {c['section']} ».{suggestion(c['section'], connues, 0.4)} "
                             "Écrivez la section comme une entrée « sources » la nomme, ou ajoutez cette entrée aux "
                             "« sources » de la fiche.", debut)

    def check_champs(doc: Document, path: tuple, slugs: list):
        for j, slug in enumerate(slugs):
            if isinstance(slug, str) and slug not in champs:
                errors.append(FicheError(doc.rel, f"champ d'action « {slug} » inconnu.{suggestion(slug, champs, liste=True)} "
                                                  f"Champs d'action existants : {', '.join(sorted(champs))}.",
                                         doc.line_of(path + (j,)), _dotted(path + (j,))))

    numbers = {}
    for slug, doc in champs.items():
        check_citations(doc)
        check_parentheses(doc)
        # A missing famille or numero is the schema's error (« clé obligatoire manquante »); two such fiches were told
        # « le numéro None de la famille « None » est déjà pris » (editor QA).
        key = (doc.data.get("famille"), doc.data.get("numero"))
        if not (isinstance(key[0], str) and isinstance(key[1], (int, str))):
            pass  # missing, or of a wrong type: the schema's error says so
        elif key in numbers:
            errors.append(FicheError(doc.rel, f"le numéro {key[1]} de la famille « {key[0]} » est déjà pris par "
                                              f"{numbers[key]}.", doc.line_of(("numero",)), "numero"))
        else:
            numbers[key] = doc.rel
        for i, lie in enumerate(_list(doc.data.get("voir_aussi"))):
            if isinstance(lie, dict) and isinstance(lie.get("champ"), str) and (lie["champ"] not in champs
                                                                               or lie["champ"] == slug):
                path = ("voir_aussi", i, "champ")
                errors.append(FicheError(doc.rel, f"champ « {lie['champ']} » inconnu ou identique à la fiche ; champs "
                                                  f"existants : {', '.join(sorted(champs))}.",
                                         doc.line_of(path), _dotted(path)))
    leviers = _leviers_par_id(champs, errors)
    for slug, doc in champs.items():
        for i, levier in enumerate(_list(doc.data.get("leviers"))):
            lies = _list(levier.get("voir_aussi")) if isinstance(levier, dict) else []
            for j, lie in enumerate(lies):
                ident = lie.get("levier") if isinstance(lie, dict) else None
                if isinstance(ident, str) and ident == levier.get("id"):
                    # (said as such: « inconnu ou identique », with « Vouliez-vous dire » the very id written, left
                    # the editor looking for a typo, attacker QA)
                    path = ("leviers", i, "voir_aussi", j, "levier")
                    errors.append(FicheError(doc.rel, f"levier « {ident} » : c'est ce levier lui-même ; « voir_aussi » "
                                                      "renvoie à d'autres leviers.", doc.line_of(path), _dotted(path)))
                elif isinstance(ident, str) and ident not in leviers:
                    path = ("leviers", i, "voir_aussi", j, "levier")
                    errors.append(FicheError(doc.rel, f"levier « {ident} » inconnu.{suggestion(ident, leviers)} Un "
                                                      "levier se désigne par son « id », dans la fiche de son champ.",
                                             doc.line_of(path), _dotted(path)))
    names = {}
    # What the side of a territory fiche depends on besides the fiche: the same objects (the loader keeps a
    # Document while its file is unchanged), and the same set of territories (co-carriers named).
    contexte = (sources, *champs.values())
    ensemble = frozenset(territoires)
    if memo is not None and (memo.get("contexte") is None or len(memo["contexte"]) != len(contexte)
                             or any(a is not b for a, b in zip(memo["contexte"], contexte))
                             or memo.get("territoires") != ensemble):
        memo.clear()
    if memo is not None:
        memo["contexte"], memo["territoires"] = contexte, ensemble
        fiches = memo.setdefault("fiches", {})
    for slug, doc in territoires.items():
        connu = fiches.get(slug) if memo is not None else None
        if connu is not None and connu[0] is doc:
            errors.extend(connu[1])
            for cle, use in connu[2]:
                names.setdefault(cle, []).append(use)
            continue
        debut = len(errors)
        propres = []
        check_citations(doc)
        check_parentheses(doc)
        for i, action in enumerate(_list(doc.data.get("actions"))):
            if isinstance(action, dict):
                check_champs(doc, ("actions", i, "champs"), _list(action.get("champs")))
                errors.extend(_check_leviers_action(doc, i, action, leviers, champs))
                for j, other in enumerate(_list(action.get("coporteurs"))):
                    if isinstance(other, str) and other == slug:
                        # (it was « inconnu ou identique à la fiche », with another territory suggested: editor QA)
                        path = ("actions", i, "coporteurs", j)
                        errors.append(FicheError(doc.rel, f"« {other} » est cette fiche même : un coporteur est un autre "
                                                          "territoire, qui porte l'action avec celui-ci ; retirez-le.",
                                                 doc.line_of(path), _dotted(path)))
                    elif isinstance(other, str) and other not in territoires:
                        path = ("actions", i, "coporteurs", j)
                        # Only a near miss of a file name (a typo): a fiche deleted or renamed had « villeurbanne »
                        # answered « ville-de-rennes ? », an editor following it publishing a false coporteur
                        # (editor QA).
                        near = suggestion(other, [t for t in territoires if t != slug], cutoff=0.8)
                        errors.append(FicheError(doc.rel, f"territoire « {other} » inconnu : il n'y a pas de fiche "
                                                          f"fiches/territoires/{other}.md.{near} Indiquez le nom de "
                                                          "fichier (sans .md) d'une autre fiche de fiches/territoires/ ; "
                                                          "si la fiche a été supprimée, retirez-le de coporteurs.",
                                                 doc.line_of(path), _dotted(path)))
        for j, name in enumerate(_noms(doc)):
            if isinstance(name, str):
                propres.append((_normalise(name), (doc, name, ("nom",) if j == 0 else ("alias", j - 1))))
        for cle, use in propres:
            names.setdefault(cle, []).append(use)
        if memo is not None:
            fiches[slug] = (doc, errors[debut:], propres)
    carried = {other for doc in territoires.values() for other in doc.derive(_coporteurs_nommes)}
    for slug, doc in territoires.items():
        if not _list(doc.data.get("actions")) and slug not in carried:
            errors.append(FicheError(doc.rel, f"{SANS_ACTION} : ajoutez au moins une action (titre, champs, "
                                              "resume, sources), ou citez ce territoire comme coporteur d'une action.",
                                     doc.lines.get(("actions",)) or max(doc.body_line - 1, 1), "actions"))
    errors.extend(_porteurs_en_partenaires(territoires))
    errors.extend(_identifiants_ecrits([*champs.values(), *territoires.values()], territoires))
    cites = [*champs.values(), *territoires.values(), *(d for d in (sigles, messages) if d is not None)]
    errors.extend(_pages_discordantes(cites))
    errors.extend(_sections_mal_orthographiees(cites))
    # A name, skeleton or set of words used once is no duplicate: only groups of two or more are looked into (at
    # 10,000 fiches, almost every group holds one fiche).
    for uses in names.values():
        if len(uses) < 2:
            continue
        for doc, name, path in uses:
            others = sorted({d.rel for d, _, _ in uses if d.rel != doc.rel})
            if others and all(_codes_distincts(d, doc) for d, _, _ in uses if d.rel != doc.rel):
                # Two places of one name (Valence in the Drôme and in the Tarn-et-Garonne), told apart by their codes
                errors.append(FicheError(doc.rel, f"le nom « {name} » est aussi celui de {', '.join(others)}, un autre "
                                                  "territoire (son code officiel diffère) : précisez chaque nom, par "
                                                  f"le type de collectivité (« Ville de {name} », « Communauté "
                                                  f"d'agglomération … ») ou par le département entre parenthèses "
                                                  f"(« {name} (…) »), pour que le lecteur les distingue ; un nom "
                                                  "écrit en alias (alias) se précise de même.",
                                         doc.line_of(path), _dotted(path)))
            elif others:
                errors.append(FicheError(doc.rel, f"le nom « {name} » est aussi celui de {', '.join(others)} : deux "
                                                  "fiches ne peuvent pas décrire le même territoire.",
                                         doc.line_of(path), _dotted(path)))
    # Names that read the same to the eye without being the same text (Unicode TR39 skeletons): « Аlençon » with
    # a Cyrillic « А », « Ａlençon » in full-width letters. Those already equal above are not told twice.
    skeletons = {}
    for uses in names.values():
        for use in uses:
            skeletons.setdefault(use[0].derive(_squelettes_des_noms)[use[1]], []).append(use)
    for uses in skeletons.values():
        if len(uses) < 2:
            continue
        for doc, name, path in uses:
            others = [(d, n) for d, n, _ in uses if d.rel != doc.rel and _normalise(n) != _normalise(name)]
            if others:
                shown = ", ".join(f"« {n} » ({d.rel})" for d, n in others)
                errors.append(FicheError(doc.rel, f"le nom « {name} » se confond à l'œil avec {shown} : des lettres "
                                                  "d'un autre alphabet ou d'une autre forme imitent les siennes. Deux "
                                                  "fiches ne peuvent pas décrire le même territoire ; retapez le nom "
                                                  "au clavier.", doc.line_of(path), _dotted(path)))
    # Names that say the same in other words, for two territories of one type: « Métropole de Nantes » beside
    # « Nantes Métropole » (the same significant words once generic ones, « métropole », « ville »…, are left
    # aside: referentiel.mots). Not when both fiches give official codes that differ (two communes named alike),
    # nor when the names were already found alike above.
    sens = {}
    for uses in names.values():
        for use in uses:
            type_, mots_du_nom = use[0].data.get("type"), use[0].derive(_mots_des_noms).get(use[1])
            if isinstance(type_, str) and mots_du_nom:
                sens.setdefault((type_, mots_du_nom), []).append(use)
    for uses in sens.values():
        if len(uses) < 2:
            continue
        for doc, name, path in uses:
            others = [(d, n) for d, n, _ in uses if d.rel != doc.rel and _normalise(n) != _normalise(name)
                      and d.derive(_squelettes_des_noms)[n] != doc.derive(_squelettes_des_noms)[name]
                      and not _codes_distincts(d, doc)]
            if others:
                shown = ", ".join(f"« {n} » ({d.rel})" for d, n in others)
                errors.append(FicheError(doc.rel, f"le nom « {name} » dit la même chose que {shown} (mêmes mots, "
                                                  "hors « métropole », « ville », « communauté »…) : un territoire "
                                                  "a une seule fiche. Complétez la fiche existante ; s'il s'agit de "
                                                  "deux territoires distincts, donnez à chaque fiche son code "
                                                  "officiel (code_insee ou siren).", doc.line_of(path), _dotted(path)))
    for doc in (sigles, messages):
        if doc is not None:
            check_citations(doc)
    if sigles is not None:
        # Two acronyms one anchor and one search key: « Ess » beside « ESS » gave the glossary two id="ess", and the
        # search expanded « ESS » into the second one's definition (attacker QA). Compared as their anchor.
        seen = {}
        mots_des_noms = {parentheses.plier(mot).lower() for doc in territoires.values()
                         for nom in [doc.data.get("nom"), *_list(doc.data.get("alias"))] if isinstance(nom, str)
                         for mot in re.split(r"[^\w]+|_", nom) if mot}
        for i, item in enumerate(_list(sigles.data.get("sigles"))):
            if not isinstance(item, dict) or not isinstance(item.get("sigle"), str):
                continue
            for champ in ("langue", "langue_definition"):
                code = item.get(champ)
                if isinstance(code, str) and code not in caracteres.langues_iso():
                    errors.append(FicheError(sigles.rel, f"code de langue « {code} » inconnu : écrivez le code à deux "
                                                         "lettres de la norme ISO 639-1 (en pour l'anglais, de pour "
                                                         "l'allemand, es pour l'espagnol…).",
                                             sigles.line_of(("sigles", i, champ)), f"sigles[{i}].{champ}"))
            # An acronym written with a single capital (« Ufisc ») may be a name: one of a territory's (« Rennes »,
            # declared « Ville de Brest », put that tooltip on every « Rennes » of the guide, and its search found
            # Brest first: attacker QA).
            if sum(c.isupper() for c in item["sigle"]) == 1 and parentheses.plier(item["sigle"]).lower() in mots_des_noms:
                errors.append(FicheError(sigles.rel, f"sigle « {item['sigle']} » : c'est un mot du nom d'un territoire du "
                                                     "guide, où il serait expliqué comme un sigle sur toutes les pages ; "
                                                     "un sigle s'écrit comme dans les sources, en capitales "
                                                     "(« UFISC »), ou n'est pas un nom.",
                                         sigles.line_of(("sigles", i, "sigle")), f"sigles[{i}].sigle"))
            # A word of the guide's own text written as an acronym (« Population », « Exemple »): its definition was the
            # tooltip of that label on every page, and printed after it (attacker QA). An acronym of two capitals or
            # more (« RTES », « NOTRe ») is one wherever the guide writes it.
            elif sum(c.isupper() for c in item["sigle"]) == 1 and item["sigle"] in mots_ecrits_par_le_guide():
                errors.append(FicheError(sigles.rel, f"sigle « {item['sigle']} » : c'est un mot que le guide écrit "
                                                     "lui-même (libellés, pages du site), où il serait expliqué comme "
                                                     "un sigle ; un sigle s'écrit comme dans les sources, en capitales "
                                                     "(« UFISC »).",
                                         sigles.line_of(("sigles", i, "sigle")), f"sigles[{i}].sigle"))
            # …and any word of the fiches' text (« Emploi », « Parmi », « Ainsi »: attacker QA).
            elif mot := _sigle_mot_courant(item["sigle"], [*champs.values(), *territoires.values()]):
                errors.append(FicheError(sigles.rel, f"sigle « {item['sigle']} » : les fiches écrivent aussi « {mot[0]} » "
                                                     f"en minuscules ({mot[1]}) : c'est un mot courant, que le site "
                                                     "expliquerait comme un sigle partout où une phrase commence par "
                                                     "lui ; un sigle s'écrit comme dans les sources, en capitales "
                                                     "(« UFISC »).",
                                         sigles.line_of(("sigles", i, "sigle")), f"sigles[{i}].sigle"))
            cle = slugify(item["sigle"])
            if cle in seen:
                autre = seen[cle]
                meme = "défini deux fois" if autre == item["sigle"] else f"est le même que « {autre} », écrit autrement"
                errors.append(FicheError(sigles.rel, f"sigle « {item['sigle']} » {meme} : un sigle a une seule entrée "
                                                     "(le glossaire et la recherche ne distinguent ni les capitales ni "
                                                     "les accents).",
                                         sigles.line_of(("sigles", i, "sigle")), f"sigles[{i}].sigle"))
            seen.setdefault(cle, item["sigle"])
    if messages is not None:
        for i, msg in enumerate(_list(messages.data.get("messages"))):
            if isinstance(msg, dict):
                check_champs(messages, ("messages", i, "champs"), _list(msg.get("champs")))
    return errors


def _leviers_par_id(champs: dict, errors: list) -> dict:
    """Lever id → slug of the champ that defines it; an id defined twice is an error (it is the lever's anchor
    and the key actions cite, so it must name one lever in the whole guide), and maps to None: the actions
    citing it are not checked against either champ until the editor has chosen."""
    leviers = {}
    doubles = set()
    for slug, doc in champs.items():
        for i, levier in enumerate(_list(doc.data.get("leviers"))):
            ident = levier.get("id") if isinstance(levier, dict) else None
            if not isinstance(ident, str):
                continue
            if ident in leviers:
                first = champs[leviers[ident]].rel
                errors.append(FicheError(doc.rel, f"identifiant de levier « {ident} » déjà employé dans {first} : "
                                                  "chaque levier a un identifiant unique dans tout le guide.",
                                         doc.line_of(("leviers", i, "id")), f"leviers[{i}].id"))
                doubles.add(ident)
                continue
            leviers[ident] = slug
    return {**leviers, **dict.fromkeys(doubles)}


_IDENTIFIANT = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _check_leviers_action(doc: Document, i: int, action: dict, leviers: dict, champs) -> list[FicheError]:
    """An action's levers exist, belong to one of its champs, and are not listed twice (`champs`: the champs of the
    guide, by slug)."""
    errors = []
    champs_action = [c for c in _list(action.get("champs")) if isinstance(c, str)]
    seen = set()
    for j, ident in enumerate(_list(action.get("leviers"))):
        if not isinstance(ident, str):
            continue
        path = ("actions", i, "leviers", j)
        # The levers an editor may choose, named in the messages below only (sorting every lever of the guide
        # for each lever cited cost 0.7 s a build at 10,000 fiches)
        possibles = lambda: sorted(l for l, c in leviers.items()  # noqa: E731
                                   if c in champs_action and isinstance(l, str) and _IDENTIFIANT.fullmatch(l))
        if ident in leviers and leviers[ident] is None:  # defined twice: that error comes first
            continue
        if ident in seen:
            message = f"levier « {ident} » cité deux fois : retirez le doublon."
        elif ident not in leviers:
            # (only ids a lever may have: a champ's « id: Instance Co-construction », refused there, was suggested)
            valides = [l for l in leviers if isinstance(l, str) and _IDENTIFIANT.fullmatch(l)]
            # (with no champ of the action known, « ces champs ne déclarent pas de leviers » was false: the champ was
            # misspelt; editor QA)
            aucun = ("aucun (ces champs ne déclarent pas de leviers)" if any(c in champs for c in champs_action)
                     else "aucun tant que le champ de l'action n'est pas un champ du guide (voir « champs »)")
            message = (f"levier « {ident} » inconnu.{suggestion(ident, valides, liste=True)} Leviers des champs de cette action : "
                       f"{', '.join(possibles()) or aucun}.")
        elif leviers[ident] not in champs_action and not any(c in champs for c in champs_action):
            # No known champ in the action (« champs: [] », a misspelt one): its own error says so; a second, that
            # the lever is of no champ of the action (« ( ) … : aucun »), only repeats it (editor QA). A known champ
            # without levers is a champ: « ptce » under « maillage-territorial » alone was published (editor QA).
            seen.add(ident)
            continue
        elif leviers[ident] not in champs_action:
            message = (f"le levier « {ident} » appartient au champ « {leviers[ident]} », qui n'est pas dans les champs "
                       f"de cette action ({', '.join(champs_action)}) : ajoutez ce champ à « champs », ou choisissez "
                       f"un levier de ses champs : {', '.join(possibles()) or 'aucun'}.")
        else:
            seen.add(ident)
            continue
        seen.add(ident)
        errors.append(FicheError(doc.rel, message, doc.line_of(path), _dotted(path)))
    return errors


def _normalise(name) -> str:
    return _normalise_texte(str(name))


@lru_cache(maxsize=1 << 16)
def _normalise_texte(name: str) -> str:
    # Remembered: a pure function of a name, asked for every name of every fiche at every build of a preview
    import unicodedata
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def _list(value) -> list:
    return value if isinstance(value, list) else []


def check_nombres(doc: Document, schema_name: str) -> list[FicheError]:
    """Refuse a number written as text (« 12 000 », « 45.000 », « 1,5 »), with its unit (« 12 000 habitants »,
    « 45 000 hab. » beside `unite: habitants`, « 3 M€ »), showing how to write it: YAML would keep it as text,
    the page would print the unit twice, and the finder and the open data could not compare or sum it.
    The data is walked with its schema, so each block knows whether it has a `unite` key."""
    errors = []
    # An explicit stack rather than recursive generators: this walk visits every block of every fiche.
    stack = [(doc.data, schema_documents()[schema_name], schema_name, ())]
    while stack:
        data, node, base, path = stack.pop()
        resolved, base, a_verifier, a_une_unite, entiers = _noeud(node, base)
        if not isinstance(resolved, dict):
            continue
        if isinstance(data, dict):
            for key in a_verifier.intersection(data) if a_verifier else ():
                value = data[key]
                message = texte_a_la_place_d_un_nombre(key, value, data, a_une_unite) if isinstance(value, str) else None
                if message:
                    # « 45000 » and a no-break space after it read « écrivez valeur: 45000 », the same to the eye
                    # (editor QA): the white space at its edges that does not show, named.
                    message += _blancs_invisibles(value[:1] + value[-1:])
                    errors.append(FicheError(doc.rel, message, doc.line_of(path + (key,)), _dotted(path + (key,))))
            # « annee: 2020.0 »: JSON Schema counts it an integer, YAML reads a decimal, and the page printed
            # « 2020.0 » (attacker QA).
            for key in entiers.intersection(data) if entiers else ():
                value = data[key]
                if isinstance(value, float):
                    entier = f"{value:.0f}" if value.is_integer() else None
                    errors.append(FicheError(doc.rel, f"« {value} » : un nombre entier s'écrit sans décimale"
                                             + (f" ({entier})." if entier else "."),
                                             doc.line_of(path + (key,)), _dotted(path + (key,))))
            properties = resolved.get("properties", {})
            others = resolved.get("additionalProperties")
            for key, value in data.items():
                if isinstance(value, (dict, list)):
                    sub = properties.get(key, others)
                    if isinstance(sub, dict):
                        stack.append((value, sub, base, path + (key,)))
        elif isinstance(data, list):
            items = resolved.get("items")
            if isinstance(items, dict):
                stack.extend((value, items, base, path + (i,)) for i, value in enumerate(data)
                             if isinstance(value, (dict, list)))
    errors.sort(key=lambda e: e.line or 0)
    return errors


# Schema nodes as check_nombres reads them, by (id of the node, its file): the schemas are loaded once.
_NOEUDS: dict = {}


def _noeud(node, base: str):
    """(resolved node, its file, keys to check in its blocks, whether its blocks have a `unite` key, keys that take
    an integer)."""
    key = (id(node), base)
    if key not in _NOEUDS:
        resolved, rbase, _ = suivre_ref(node, base, schema_documents(), fusionner=False)
        a_verifier, entiers = set(), set()
        properties = resolved.get("properties", {}) if isinstance(resolved, dict) else {}
        for name, prop in properties.items():
            types = _dans(prop, rbase).get("type", [])
            types = [types] if isinstance(types, str) else types
            if "integer" in types and "number" not in types:
                entiers.add(name)
            # A key that takes only a number: the schema refuses text there, and says what to write (_french).
            # A citation's page (integer or text) is only checked for a « p. » the note would print twice.
            if "string" in types and ("number" in types or name == "page"):
                a_verifier.add(name)
        _NOEUDS[key] = (resolved, rbase, frozenset(a_verifier), "unite" in properties, frozenset(entiers))
    return _NOEUDS[key]


def _dans(node, base: str):
    """A property's schema, resolved in its own file (a `$ref` of commun.schema.yaml read from another file)."""
    return suivre_ref(node, base, schema_documents(), fusionner=False)[0]


@lru_cache(maxsize=1)
def mots_ecrits_par_le_guide() -> frozenset[str]:
    """The words the guide writes on its pages besides the fiches, as written (capitals kept): its templates (Jinja
    comments aside), its theme's partials, its authored pages, the schemas' texts (the « Modèle des fiches » page)
    and the strings of its code (comments aside)."""
    import io
    import tokenize
    textes = []
    for chemin in sorted(chemins.TEMPLATES.rglob("*.j2")):
        textes.append(re.sub(r"\{#.*?#\}", " ", chemin.read_text(encoding="utf-8"), flags=re.S))
    for chemin in [*sorted((chemins.ROOT / "overrides").rglob("*.html")), *sorted(chemins.DOCS.rglob("*.md"))]:
        textes.append(chemin.read_text(encoding="utf-8"))
    for chemin in sorted(chemins.SCHEMAS.glob("*.yaml")):
        textes.extend(texte for _, texte in _strings(yaml.safe_load(chemin.read_text(encoding="utf-8"))))
    for chemin in sorted((chemins.ROOT / "macros" / "guide").rglob("*.py")):
        jetons = tokenize.generate_tokens(io.StringIO(chemin.read_text(encoding="utf-8")).readline)
        textes.extend(j.string for j in jetons if j.type == tokenize.STRING)
    return frozenset(mot for texte in textes for mot in re.findall(r"[^\W\d_]+", texte))
