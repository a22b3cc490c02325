"""The model's schemas (fiches/schemas/*.yaml) as documents: loaded once, their `$ref` followed, their
French labels read. What the validator, the numbers' reader, the model page, the open data and the form
read of them; nothing here imports the rest of the model."""
from __future__ import annotations

from functools import lru_cache

import yaml

from guide import chemins

SCHEMA_DIR = chemins.SCHEMAS
# The fiches' folders under fiches/ and the schema that describes their fiches.
COLLECTIONS = {"champs": "champ.schema.yaml", "territoires": "territoire.schema.yaml"}


@lru_cache(maxsize=None)
def schema_documents() -> dict:
    """The schemas as loaded once (by file name): what the validators, labels and model page read."""
    return {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(SCHEMA_DIR.glob("*.yaml"))}


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


@lru_cache(maxsize=1)
def libelles() -> dict:
    """French labels of enumerations, read from the schemas (`x-libelles`); computed once per process, as
    the schemas are loaded (schema_documents): every page's search filters and open data rows read them."""
    out = {}

    def walk(node, name=None):
        if isinstance(node, dict):
            if "x-libelles" in node and name:
                out[name] = node["x-libelles"]
            if "x-pluriels" in node and name:
                out[name + "_pluriel"] = node["x-pluriels"]
            if "x-definitions" in node and name:
                out[name + "_definition"] = node["x-definitions"]
            for key, value in node.items():
                walk(value, key if isinstance(value, dict) else name)
        elif isinstance(node, list):
            for item in node:
                walk(item, name)

    for _, document in sorted(schema_documents().items()):
        walk(document)
    return out


@lru_cache(maxsize=1)
def cles_du_modele() -> frozenset:
    """Every key a fiche or data file may hold, in any schema (properties at any depth)."""
    cles, a_voir = set(), list(schema_documents().values())
    while a_voir:
        node = a_voir.pop()
        if isinstance(node, dict):
            if isinstance(node.get("properties"), dict):
                cles |= set(node["properties"])
            a_voir.extend(node.values())
        elif isinstance(node, list):
            a_voir.extend(node)
    return frozenset(cles)
