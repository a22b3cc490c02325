"""Step 1: read fiche files into plain data, remembering the line of every field.

PyYAML is used in safe mode only. We walk the composed node tree ourselves
(instead of `yaml.safe_load`) because PyYAML's constructor forgets line numbers
and silently keeps the last of two duplicate keys; editors need both reported.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import FicheError

FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.S)


# libyaml's parser when PyYAML was built with it (it is in the PyPI wheels): same safe constructor,
# same line marks, several times faster than the pure-Python one on a guide of thousands of fiches.
_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeBase):
    """Safe loader that keeps dates as text (the schemas describe them as AAAA-MM-JJ)."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

Path_ = tuple  # a field path such as ("actions", 0, "champs", 1)


@dataclass
class Document:
    """A loaded file: its data, its Markdown body and the line of each field path."""

    path: Path
    rel: str
    data: object
    body: str = ""
    lines: dict = field(default_factory=dict)
    body_line: int = 1

    def line_of(self, path: Path_) -> int | None:
        """Line of the nearest field on `path` that the YAML gave a position to."""
        path = tuple(path)
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path)


_STR = "tag:yaml.org,2002:str"


def _scalar(node, loader):
    # Nearly every scalar of a fiche is text: taken as is, without the constructor's dispatch.
    return node.value if node.tag == _STR else loader.construct_object(node, deep=True)


def _to_python(node, loader, path, lines, offset, errors, rel):
    lines[path] = node.start_mark.line + 1 + offset
    if isinstance(node, yaml.MappingNode):
        out = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node, loader) if isinstance(key_node, yaml.ScalarNode) else \
                loader.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int)):
                errors.append(FicheError(rel, "clé non valide (une clé doit être un mot)", key_node.start_mark.line + 1 + offset))
                continue
            if key in out:
                errors.append(FicheError(rel, "clé répétée : la deuxième valeur écraserait la première",
                                         key_node.start_mark.line + 1 + offset, _dotted(path + (key,))))
            out[key] = _to_python(value_node, loader, path + (key,), lines, offset, errors, rel)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_to_python(item, loader, path + (i,), lines, offset, errors, rel)
                for i, item in enumerate(node.value)]
    return _scalar(node, loader)


def _dotted(path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def parse_yaml(text: str, rel: str, offset: int = 0) -> tuple[object, dict, list[FicheError]]:
    """Parse YAML text safely; return data, field lines and errors (never raises)."""
    errors: list[FicheError] = []
    lines: dict = {}
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, lines, errors
        data = _to_python(node, loader, (), lines, offset, errors, rel)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + offset if mark else None
        problem = (exc.problem or exc.context or "").strip()
        errors.append(FicheError(rel, f"YAML mal formé ({problem}). Vérifiez l'indentation, les deux-points "
                                      "et les guillemets autour des textes qui contiennent « : » ou « # ».", line))
        return None, lines, errors
    except yaml.YAMLError as exc:  # e.g. a reader error on control characters
        errors.append(FicheError(rel, f"YAML illisible ({exc})."))
        return None, lines, errors
    finally:
        loader.dispose()
    return data, lines, errors


def read_text(path: Path, rel: str) -> tuple[str | None, list[FicheError]]:
    """Read a file as UTF-8, or say which line holds the first invalid byte."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [FicheError(rel, "le fichier n'est pas encodé en UTF-8 (octet invalide) : "
                                      "enregistrez-le en UTF-8.", line)]
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, []


def load_fiche(path: Path, root: Path) -> tuple[Document | None, list[FicheError]]:
    """Load a Markdown fiche: YAML front matter between two `---` lines, then the body."""
    rel = path.relative_to(root).as_posix()
    text, errors = read_text(path, rel)
    if text is None:
        return None, errors
    if not text.strip():
        return None, [FicheError(rel, "fichier vide : une fiche commence par un bloc d'en-tête YAML "
                                      "entre deux lignes « --- ».", 1)]
    match = FRONT_MATTER.match(text)
    if not match:
        return None, [FicheError(rel, "en-tête YAML absent ou non fermé : la fiche doit commencer par une "
                                      "ligne « --- », puis les champs, puis une ligne « --- ».", 1)]
    data, lines, errors = parse_yaml(match.group(1) or "", rel, offset=1)
    if data is None and not errors:
        errors.append(FicheError(rel, "l'en-tête YAML est vide.", 1))
    elif data is not None and not isinstance(data, dict):
        errors.append(FicheError(rel, "l'en-tête YAML doit être une suite de champs « clé: valeur ».", 2))
    body = text[match.end():]
    body_line = text[: match.end()].count("\n") + 1
    doc = Document(path, rel, data if isinstance(data, dict) else None, body, lines, body_line)
    return (doc if not errors else None), errors


def load_data_file(path: Path, root: Path) -> tuple[Document | None, list[FicheError]]:
    """Load a YAML data file (sources, sigles, messages)."""
    rel = path.relative_to(root).as_posix()
    if not path.exists():
        return None, [FicheError(rel, "fichier manquant.")]
    text, errors = read_text(path, rel)
    if text is None:
        return None, errors
    data, lines, errors = parse_yaml(text, rel)
    if not errors and not isinstance(data, dict):
        errors.append(FicheError(rel, "le fichier doit contenir des champs « clé: valeur ».", 1))
    return (Document(path, rel, data, "", lines) if not errors else None), errors
