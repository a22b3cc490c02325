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
import posixpath
import re
import urllib.parse
from functools import lru_cache
from pathlib import Path

import jsonschema_rs
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from .errors import FicheError
from .load import Document, _dotted

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "fiches" / "schemas"

TYPE_NAMES = {"string": "un texte", "integer": "un nombre entier", "number": "un nombre",
              "array": "une liste", "object": "un bloc de clés", "boolean": "vrai ou faux (true/false)",
              "null": "rien"}

# Active content a fiche may never carry, looked for after HTML entities are decoded.
ACTIVE_CONTENT = re.compile(
    r"<\s*(script|iframe|object|embed|style|form|base|meta|link)\b"
    r"|<[^>]*\s(on[a-z]+)\s*="
    r"|(javascript|vbscript)\s*:"
    r"|data\s*:\s*text/html",
    re.I,
)


@lru_cache(maxsize=None)
def schemas() -> dict:
    """Load every schema once; return them by file name with a registry for $ref."""
    loaded = {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(SCHEMA_DIR.glob("*.yaml"))}
    registry = Registry().with_resources((name, Resource.from_contents(s)) for name, s in loaded.items())
    return {name: Draft202012Validator(s, registry=registry) for name, s in loaded.items()}


def schema_documents() -> dict:
    """The schemas as loaded once (by file name): what the validators, labels and model page read."""
    return {name: validator.schema for name, validator in schemas().items()}


def suivre_ref(node, base: str, documents: dict, fusionner: bool = True) -> tuple[object, str, str | None]:
    """Follow `$ref` from `node`, a part of the schema file `base`, within a file or across files of
    `documents` (schema_documents()). Returns (node reached, its file, title of the shared structure it is
    or None): a shared structure is a `$defs` entry with a `title`, such as a citation.

    With `fusionner`, the keys written beside a `$ref` (a description of its own) are laid over the target,
    on a copy; without, the target itself is returned, for walks that recognise a node already seen."""
    structure = None
    while isinstance(node, dict) and "$ref" in node:
        file, _, pointer = node["$ref"].partition("#")
        base = file or base
        target = documents[base]
        for part in filter(None, pointer.split("/")):
            target = target[part]
        if pointer.strip("/").startswith("$defs/") and isinstance(target, dict) and "title" in target:
            structure = target["title"]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}} if fusionner else target
    return node, base, structure


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
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return ""
    text = str(value)
    return f" « {text[:60]}{'…' if len(text) > 60 else ''} »"


def suggestion(value, possible) -> str:
    """« vouliez-vous dire « resume » ? » for a near miss among `possible` (difflib), else ""."""
    if not isinstance(value, str):
        return ""
    near = difflib.get_close_matches(value, [str(p) for p in possible], n=1, cutoff=0.6)
    if not near:  # accents and case: « Ile-de-France » for « Île-de-France », « resumé » for « resume »
        folded = {_normalise(p): str(p) for p in possible}
        near = [folded[_normalise(value)]] if _normalise(value) in folded else []
    return f" Vouliez-vous dire « {near[0]} » ?" if near else ""


def _french(error) -> str:
    """Translate one jsonschema error into French: what is wrong and what is expected."""
    kw, schema, value = error.validator, error.schema, error.instance
    if kw == "required":
        missing = error.message.split("'")[1]
        return f"clé obligatoire « {missing} » manquante : ajoutez la ligne « {missing}: … »."
    if kw == "additionalProperties":
        properties = schema.get("properties", {})
        known = ", ".join(sorted(properties))
        extra = sorted(set(value) - set(properties), key=str)
        hint = suggestion(extra[0], properties) if len(extra) == 1 else ""
        return (f"clé inconnue « {', '.join(map(str, extra))} ».{hint} "
                f"Clés possibles à cet endroit : {known}.")
    if kw == "type":
        expected = error.validator_value
        expected = [expected] if isinstance(expected, str) else expected
        attendu = " ou ".join(TYPE_NAMES.get(t, t) for t in expected)
        if value is None:
            return f"valeur vide : écrivez {attendu} après les deux-points (ou retirez la ligne si la clé est facultative)."
        return f"attendu {attendu}, trouvé {_type_name(value)}{_montrer(value)}."
    if kw == "enum":
        possible = error.validator_value
        if value is None:
            return f"valeur vide : choisissez l'une de : {', '.join(map(str, possible))}."
        if isinstance(value, (list, dict)):
            return f"attendu une seule valeur, trouvé {_type_name(value)}. Valeurs possibles : {', '.join(map(str, possible))}."
        return (f"valeur{_montrer(value)} non reconnue.{suggestion(value, possible)} "
                f"Valeurs possibles : {', '.join(map(str, possible))}.")
    if kw == "pattern":
        hint = schema.get("description") or f"format attendu : {error.validator_value}"
        return f"format incorrect pour « {value} ». {hint}"
    if kw == "minItems":
        n = error.validator_value
        return f"la liste doit contenir au moins {n} élément{'s' if n > 1 else ''}."
    if kw == "minLength":
        return "le texte ne doit pas être vide."
    if kw in ("minimum", "maximum"):
        sign = "supérieur ou égal" if kw == "minimum" else "inférieur ou égal"
        return f"la valeur {value} doit être {sign} à {error.validator_value}."
    if kw in ("anyOf", "oneOf"):
        return schema.get("description") or "valeur non conforme au modèle (voir la page « Modèle des fiches »)."
    return "valeur non conforme au modèle (voir la page « Modèle des fiches »)."


def check_schema(doc: Document, schema_name: str) -> list[FicheError]:
    """Validate a document's data against one schema; every error, in French, with its line."""
    if fast_validators()[schema_name].is_valid(doc.data):
        return []
    validator = schemas()[schema_name]
    errors = []
    for err in sorted(validator.iter_errors(doc.data), key=lambda e: [str(p) for p in e.absolute_path]):
        path = tuple(err.absolute_path)
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            extra = sorted(set(err.instance) - set(err.schema.get("properties", {})), key=str)
            path = path + (extra[0],) if extra else path
        errors.append(FicheError(doc.rel, _french(err), doc.line_of(path), _dotted(path) or None))
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


def check_active_content(doc: Document) -> list[FicheError]:
    """Refuse script, event handlers and javascript: URLs anywhere in a fiche."""
    errors = []
    textes = list(_strings(doc.data))
    # One search over the whole fiche first (nearly every fiche has nothing to report), then each text and
    # line of a fiche that might, for its line and field.
    if not ACTIVE_CONTENT.search(html.unescape("\n".join(text for _, text in textes) + "\n" + doc.body)):
        return errors
    for path, text in textes:
        found = ACTIVE_CONTENT.search(html.unescape(text))
        if found:
            errors.append(FicheError(doc.rel, f"code actif interdit (« {found.group(0)} ») : une fiche ne contient "
                                              "que du texte, sans script ni attribut « on… ».",
                                     doc.line_of(path), _dotted(path)))
    for number, line in enumerate(doc.body.splitlines(), start=doc.body_line):
        found = ACTIVE_CONTENT.search(html.unescape(line))
        if found:
            errors.append(FicheError(doc.rel, f"code actif interdit (« {found.group(0)} ») dans le texte de la fiche : "
                                              "retirez-le, une fiche ne contient que du texte.", number))
    return errors


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_dates(doc: Document) -> list[FicheError]:
    """Every text written AAAA-MM-JJ (mis_a_jour and any other date field) must be a real calendar date:
    the schemas only check its shape, and « 2024-02-30 » would be printed « 30 février 2024 »."""
    errors = []
    for path, text in _strings(doc.data):
        if len(text) == 10 and ISO_DATE.match(text):
            try:
                datetime.date.fromisoformat(text)
            except ValueError:
                errors.append(FicheError(doc.rel, f"la date « {text} » n'existe pas dans le calendrier : écrivez une "
                                                  "date réelle au format AAAA-MM-JJ (mois de 01 à 12, jour valide "
                                                  "pour ce mois).", doc.line_of(path), _dotted(path) or None))
    return errors


# Markdown links a fiche may write: inline `[texte](cible)` / `![image](cible)`, and reference definitions.
_LIEN_MD = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'(][^)]*)?\)|^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M)
_ABSOLU = re.compile(r"^([a-z][a-z0-9+.-]*:|/|#)", re.I)


def check_links(doc: Document, page_src: str, exists) -> list[FicheError]:
    """Links of a fiche (text after the header and Markdown in its fields) to a page or file of the site that
    does not exist. `page_src` is the source path of the fiche's page (territoires/x.md), against which
    relative links resolve; `exists(path)` says whether the site has a file at that source path. Links
    to web addresses, anchors and paths without an extension (`../x/`) are not checked, as by MkDocs."""
    return [FicheError(doc.rel, f"lien vers « {target} » : cette page ou ce fichier n'existe pas dans le guide. "
                                "Vérifiez le nom (une fiche territoire se cite « x.md » depuis une autre fiche "
                                "territoire, « ../champs/x.md » pour un champ).", line, field)
            for resolved, target, line, field in _liens(doc, page_src)
            if resolved.startswith("../") or not exists(resolved)]


# Links found in each fiche, by document (the loader keeps the same Document while its file is unchanged,
# so under `mkdocs serve` only edited fiches are read again). Bounded: emptied when it outgrows the guide.
_LIENS: dict[tuple[int, str], tuple[Document, list]] = {}


def _liens(doc: Document, page_src: str) -> list[tuple[str, str, int | None, str | None]]:
    """(resolved source path, link as written, line, field) of each relative link to a file in a fiche."""
    cached = _LIENS.get((id(doc), page_src))
    if cached and cached[0] is doc:
        return cached[1]
    page_dir = posixpath.dirname(page_src)
    found = []

    def scan(text: str, line_of):
        for match in _LIEN_MD.finditer(text):
            target = match.group(1) or match.group(2)
            parts = urllib.parse.urlsplit(target)
            path = urllib.parse.unquote(parts.path)
            # As MkDocs: only a path to a file (with an extension) must exist; folders and other relative
            # links are left as they are (validation.links.unrecognized_links).
            if parts.scheme or parts.netloc or _ABSOLU.match(target) or not posixpath.splitext(path)[1]:
                continue
            found.append((posixpath.normpath(posixpath.join(page_dir, path)), target, *line_of(match.start())))

    if "](" in doc.body or "]:" in doc.body:
        scan(doc.body, lambda at: (doc.body_line + doc.body.count("\n", 0, at), None))
    for path, text in _strings(doc.data):
        if "](" in text or "]:" in text:
            scan(text, lambda at, path=path: (doc.line_of(path), _dotted(path)))
    if len(_LIENS) > 50_000:
        _LIENS.clear()
    _LIENS[(id(doc), page_src)] = (doc, found)
    return found


# A publication of this type is a single web page: it is cited without page or section.
UNE_PAGE = "page-web"


def citations(value, path=()):
    """Yield (path, citation) for every source citation in a fiche's data."""
    if isinstance(value, dict):
        if "publication" in value and path and path[-2:-1] in (("sources",),):
            yield path, value
        for k, v in value.items():
            yield from citations(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from citations(v, path + (i,))


def check_references(champs: dict, territoires: dict, sources: Document | None,
                     sigles: Document | None, messages: Document | None) -> list[FicheError]:
    """Checks across fiches: champ slugs and source ids exist, slugs, names and numbers are unique."""
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
    source_ids = {i for i in publications if isinstance(i, str)}

    def check_citations(doc: Document):
        for path, cit in citations(doc.data):
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

    def check_champs(doc: Document, path: tuple, slugs: list):
        for j, slug in enumerate(slugs):
            if isinstance(slug, str) and slug not in champs:
                errors.append(FicheError(doc.rel, f"champ d'action « {slug} » inconnu.{suggestion(slug, champs)} "
                                                  f"Champs d'action existants : {', '.join(sorted(champs))}.",
                                         doc.line_of(path + (j,)), _dotted(path + (j,))))

    numbers = {}
    for slug, doc in champs.items():
        check_citations(doc)
        key = (str(doc.data.get("famille")), str(doc.data.get("numero")))
        if key in numbers:
            errors.append(FicheError(doc.rel, f"le numéro {key[1]} de la famille « {key[0]} » est déjà pris par "
                                              f"{numbers[key]}.", doc.line_of(("numero",)), "numero"))
        numbers[key] = doc.rel
        for i, lie in enumerate(_list(doc.data.get("voir_aussi"))):
            if isinstance(lie, dict) and isinstance(lie.get("champ"), str) and (lie["champ"] not in champs
                                                                               or lie["champ"] == slug):
                path = ("voir_aussi", i, "champ")
                errors.append(FicheError(doc.rel, f"champ « {lie['champ']} » inconnu ou identique à la fiche ; champs "
                                                  f"existants : {', '.join(sorted(champs))}.",
                                         doc.line_of(path), _dotted(path)))
    leviers = _leviers_par_id(champs, errors)
    names = {}
    for slug, doc in territoires.items():
        check_citations(doc)
        for i, action in enumerate(_list(doc.data.get("actions"))):
            if isinstance(action, dict):
                check_champs(doc, ("actions", i, "champs"), _list(action.get("champs")))
                errors.extend(_check_leviers_action(doc, i, action, leviers))
                for j, other in enumerate(_list(action.get("coporteurs"))):
                    if isinstance(other, str) and (other not in territoires or other == slug):
                        path = ("actions", i, "coporteurs", j)
                        near = suggestion(other, [t for t in territoires if t != slug])
                        errors.append(FicheError(doc.rel, f"territoire « {other} » inconnu ou identique à la fiche.{near} "
                                                          "Indiquez le nom de fichier (sans .md) d'une autre fiche de "
                                                          "fiches/territoires/.", doc.line_of(path), _dotted(path)))
        for j, name in enumerate([doc.data.get("nom")] + _list(doc.data.get("alias"))):
            if isinstance(name, str):
                names.setdefault(_normalise(name), []).append((doc, name, ("nom",) if j == 0 else ("alias", j - 1)))
    carried = {other for doc in territoires.values() for action in _list(doc.data.get("actions"))
               if isinstance(action, dict) for other in _list(action.get("coporteurs"))}
    for slug, doc in territoires.items():
        if not _list(doc.data.get("actions")) and slug not in carried:
            errors.append(FicheError(doc.rel, "la fiche n'a aucune action : ajoutez au moins une action (titre, champs, "
                                              "resume, sources), ou citez ce territoire comme coporteur d'une action.",
                                     doc.line_of(("actions",)) or 1, "actions"))
    for uses in names.values():
        for doc, name, path in uses:
            others = sorted({d.rel for d, _, _ in uses if d.rel != doc.rel})
            if others:
                errors.append(FicheError(doc.rel, f"le nom « {name} » est aussi celui de {', '.join(others)} : deux "
                                                  "fiches ne peuvent pas décrire le même territoire.",
                                         doc.line_of(path), _dotted(path)))
    for doc in (sigles, messages):
        if doc is not None:
            check_citations(doc)
    if sigles is not None:
        seen = {}
        for i, item in enumerate(_list(sigles.data.get("sigles"))):
            if not isinstance(item, dict):
                continue
            if item.get("sigle") in seen:
                errors.append(FicheError(sigles.rel, f"sigle « {item['sigle']} » défini deux fois.",
                                         sigles.line_of(("sigles", i, "sigle")), f"sigles[{i}].sigle"))
            seen[item.get("sigle")] = i
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


def _check_leviers_action(doc: Document, i: int, action: dict, leviers: dict) -> list[FicheError]:
    """An action's levers exist, belong to one of its champs, and are not listed twice."""
    errors = []
    champs_action = [c for c in _list(action.get("champs")) if isinstance(c, str)]
    seen = set()
    for j, ident in enumerate(_list(action.get("leviers"))):
        if not isinstance(ident, str):
            continue
        path = ("actions", i, "leviers", j)
        possibles = sorted(l for l, c in leviers.items() if c in champs_action)
        if ident in leviers and leviers[ident] is None:  # defined twice: that error comes first
            continue
        if ident in seen:
            message = f"levier « {ident} » cité deux fois : retirez le doublon."
        elif ident not in leviers:
            message = (f"levier « {ident} » inconnu.{suggestion(ident, leviers)} Leviers des champs de cette action : "
                       f"{', '.join(possibles) or 'aucun (ces champs ne déclarent pas de leviers)'}.")
        elif leviers[ident] not in champs_action:
            message = (f"le levier « {ident} » appartient au champ « {leviers[ident]} », qui n'est pas dans les champs "
                       f"de cette action ({', '.join(champs_action)}) : ajoutez ce champ à « champs », ou choisissez "
                       f"un levier de ses champs : {', '.join(possibles) or 'aucun'}.")
        else:
            seen.add(ident)
            continue
        seen.add(ident)
        errors.append(FicheError(doc.rel, message, doc.line_of(path), _dotted(path)))
    return errors


def _normalise(name) -> str:
    import unicodedata
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def _list(value) -> list:
    return value if isinstance(value, list) else []


# Numbers as French editors type them: « 12 000 » (space, no-break or narrow no-break space between
# thousands), « 12000,5 ». YAML reads them as text, which the finder and the open data cannot use.
_CHIFFRE = r"[+-]?(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:[.,]\d+)?"
NOMBRE_FRANCAIS = re.compile(rf"\A({_CHIFFRE})\Z")
NOMBRE_ET_MOT = re.compile(rf"\A({_CHIFFRE})[ \u00a0\u202f]+([^\d\s].*)\Z", re.S)


def nombre_yaml(text: str) -> str:
    """« 12 000,5 » → « 12000.5 »: how the number is written in YAML."""
    return re.sub(r"[ \u00a0\u202f]", "", text).replace(",", ".")


@lru_cache(maxsize=None)
def champs_numeriques() -> dict:
    """Keys whose value may be a number (from the schemas) → whether their block also has a `unite` key."""
    out = {}
    documents = schema_documents()

    def walk(node, base, seen):
        node, base, _ = suivre_ref(node, base, documents, fusionner=False)
        if not isinstance(node, dict) or id(node) in seen:
            return
        seen.add(id(node))
        properties = node.get("properties", {})
        for key, prop in properties.items():
            prop, pbase, _ = suivre_ref(prop, base, documents, fusionner=False)
            types = prop.get("type", [])
            if "number" in ([types] if isinstance(types, str) else types):
                out[key] = out.get(key, False) or "unite" in properties
            walk(prop, pbase, seen)
        for key in ("items", "additionalProperties"):
            if isinstance(node.get(key), dict):
                walk(node[key], base, seen)
        for sub in node.get("$defs", {}).values():
            walk(sub, base, seen)

    for name, document in documents.items():
        walk(document, name, set())
    return out


def check_nombres(doc: Document) -> list[FicheError]:
    """Refuse a number written as French text (« 12 000 ») or with its unit (« 12 000 habitants »),
    showing how to write it: YAML would keep it as text, and the site could not compare or sum it."""
    errors = []
    numeriques = champs_numeriques()

    def walk(node, path):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in numeriques and isinstance(value, str):
                    message = _nombre_texte(key, value, node.get("unite"), numeriques[key])
                    if message:
                        errors.append(FicheError(doc.rel, message, doc.line_of(path + (key,)), _dotted(path + (key,))))
                walk(value, path + (key,))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, path + (i,))

    walk(doc.data, ())
    return errors


def _nombre_texte(key: str, value: str, unite, avec_unite: bool) -> str | None:
    text = value.strip()
    if NOMBRE_FRANCAIS.match(text) and not re.fullmatch(r"[+-]?\d+", text):
        return (f"« {text} » est écrit comme un texte : écrivez {key}: {nombre_yaml(text)} (chiffres sans espace, "
                "point pour les décimales) ; le site l'affiche à la française (« 12 000 », « 12,5 »).")
    found = NOMBRE_ET_MOT.match(text)
    # A number followed by the block's own unit (« 12 000 habitants » with unite: habitants) would be shown
    # « 12 000 habitants habitants ». Other text after a number (« 30 % », « près de… ») stays text.
    if found and avec_unite and isinstance(unite, str) and _normalise(found.group(2)) == _normalise(unite):
        nombre = nombre_yaml(found.group(1))
        return (f"l'unité est répétée dans la valeur « {text} » (elle serait affichée deux fois) : "
                f"écrivez {key}: {nombre} et unite: {unite}.")
    return None
