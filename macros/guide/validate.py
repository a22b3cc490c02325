"""Step 2: check loaded fiches against the schemas of fiches/schemas/, then across fiches.

The JSON Schemas are the single written model of a fiche: they drive these checks
and the "Modèle des fiches" page. jsonschema's messages are English and name
Python types, so each failing keyword is translated here into a French sentence
that says what was expected.
"""
from __future__ import annotations

import html
import re
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
              "array": "une liste", "object": "un bloc de champs", "boolean": "vrai ou faux (true/false)",
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
        return "un bloc de champs"
    return "rien" if value is None else type(value).__name__


def _french(error) -> str:
    """Translate one jsonschema error into French: what is wrong and what is expected."""
    kw, schema, value = error.validator, error.schema, error.instance
    if kw == "required":
        missing = error.message.split("'")[1]
        return f"champ obligatoire « {missing} » manquant."
    if kw == "additionalProperties":
        known = ", ".join(sorted(schema.get("properties", {})))
        extra = sorted(set(value) - set(schema.get("properties", {})))
        return f"champ inconnu « {', '.join(map(str, extra))} » (champs possibles : {known})."
    if kw == "type":
        expected = error.validator_value
        expected = [expected] if isinstance(expected, str) else expected
        return (f"type incorrect : attendu {' ou '.join(TYPE_NAMES.get(t, t) for t in expected)}, "
                f"trouvé {_type_name(value)} ({value!r}).")
    if kw == "enum":
        return f"valeur « {value} » non reconnue ; valeurs possibles : {', '.join(map(str, error.validator_value))}."
    if kw == "pattern":
        hint = schema.get("description") or f"format attendu : {error.validator_value}"
        return f"format incorrect pour « {value} ». {hint}"
    if kw == "minItems":
        return f"la liste doit contenir au moins {error.validator_value} élément(s)."
    if kw == "minLength":
        return "le texte ne doit pas être vide."
    if kw in ("minimum", "maximum"):
        sign = "supérieur ou égal" if kw == "minimum" else "inférieur ou égal"
        return f"la valeur {value} doit être {sign} à {error.validator_value}."
    return error.message


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
    for path, text in _strings(doc.data):
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
    source_ids = set()
    if sources is not None:
        seen = {}
        for i, pub in enumerate(_list(sources.data.get("publications"))):
            if not isinstance(pub, dict):
                continue
            if pub.get("id") in seen:
                errors.append(FicheError(sources.rel, f"identifiant de publication « {pub['id']} » déclaré deux fois.",
                                         sources.line_of(("publications", i, "id")), f"publications[{i}].id"))
            seen[pub.get("id")] = i
        source_ids = set(seen)

    def check_citations(doc: Document):
        for path, cit in citations(doc.data):
            if isinstance(cit.get("publication"), str) and cit["publication"] not in source_ids:
                errors.append(FicheError(doc.rel, f"publication « {cit.get('publication')} » inconnue ; publications "
                                                  f"déclarées dans fiches/sources.yaml : {', '.join(sorted(source_ids))}.",
                                         doc.line_of(path + ("publication",)), _dotted(path + ("publication",))))

    def check_champs(doc: Document, path: tuple, slugs: list):
        for j, slug in enumerate(slugs):
            if isinstance(slug, str) and slug not in champs:
                errors.append(FicheError(doc.rel, f"champ d'action « {slug} » inconnu ; champs existants : "
                                                  f"{', '.join(sorted(champs))}.",
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
    names = {}
    for slug, doc in territoires.items():
        check_citations(doc)
        for i, action in enumerate(_list(doc.data.get("actions"))):
            if isinstance(action, dict):
                check_champs(doc, ("actions", i, "champs"), _list(action.get("champs")))
                for j, other in enumerate(_list(action.get("coporteurs"))):
                    if isinstance(other, str) and (other not in territoires or other == slug):
                        path = ("actions", i, "coporteurs", j)
                        errors.append(FicheError(doc.rel, f"territoire « {other} » inconnu ou identique à la fiche : "
                                                          "indiquez le nom de fichier (sans .md) d'une autre fiche de "
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


def _normalise(name) -> str:
    import unicodedata
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def _list(value) -> list:
    return value if isinstance(value, list) else []
