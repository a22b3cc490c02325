"""Step 1: read fiche files into plain data, remembering the line of every field.

PyYAML is used in safe mode only. We walk the composed node tree ourselves
(instead of `yaml.safe_load`) because PyYAML's constructor forgets line numbers
and silently keeps the last of two duplicate keys; editors need both reported.

Reading is bounded, since fiches come from outside the team: only regular files inside
`fiches/` (no symbolic link, no device), at most `TAILLE_MAX` bytes each, no YAML anchors or
aliases (they have no use in a fiche, and an alias bomb would expand into gigabytes). Every
text is normalised to Unicode NFC, so accents copied from a PDF (often decomposed) match the
allowed values and the names of other fiches.
"""
from __future__ import annotations

import os
import re
import stat
import unicodedata
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
    if not node.style and node.tag == _STR and getattr(loader, "texte_avec_diese", None):
        _coupe_au_diese(node, loader.texte_avec_diese, path, offset, errors, rel)
    return _scalar(node, loader)


_SUITE_COMMENTAIRE = re.compile(r"[ \t]+#")
# Typographic quotes a word processor puts around a text, and the one that closes each.
_GUILLEMETS = {"“": "”", "«": "»", "‘": "’", "„": "“", "”": "”"}


def _coupe_au_diese(node, text: str, path, offset, errors, rel) -> None:
    """A text opened by a typographic quote, not closed, and followed on its line by « #… »: YAML, which only
    knows straight quotes, silently took the rest for a comment (« titre: “Champ d'action #3” » gives
    « “Champ d'action »). Said, rather than published cut. (A comment after a value, as in `type: commune
    # …` written by nouvelle_fiche.py, is left alone.)"""
    value = node.value
    closing = _GUILLEMETS.get(value[:1])
    if closing and closing not in value[1:] and _SUITE_COMMENTAIRE.match(text, node.end_mark.index):
        errors.append(FicheError(rel, f"le texte « {node.value} » s'arrête avant un « # » : YAML prend la suite de la "
                                      "ligne pour un commentaire. Mettez toute la valeur entre guillemets droits "
                                      "(\"…\"), pas entre guillemets typographiques (“…” ou « … »).",
                                 node.end_mark.line + 1 + offset, _dotted(path) or None))


def _dotted(path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# Where YAML may start an anchor (&nom) or an alias (*nom): after a space, an indicator or at a line start.
# Only texts where this matches are scanned for them (« R&D » does not match).
_ANCRE_POSSIBLE = re.compile(r"(?:^|[\s\[{,:?-])[&*][^\s,\[\]{}]", re.M)


def _ancres(text: str, rel: str, offset: int) -> list[FicheError]:
    """An error for each YAML anchor (&nom) or alias (*nom): refused before anything is built from the text."""
    if not _ANCRE_POSSIBLE.search(text):
        return []
    errors = []
    try:
        for token in yaml.scan(text, Loader=_SafeBase):
            if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
                sign = "&" if isinstance(token, yaml.AnchorToken) else "*"
                errors.append(FicheError(
                    rel, f"« {sign}{token.value} » : les ancres (&) et renvois (*) YAML ne sont pas acceptés dans "
                         "une fiche ; écrivez la valeur en entier, ou mettez le texte entre guillemets s'il "
                         f"commence par « {sign} ».", token.start_mark.line + 1 + offset))
    except yaml.YAMLError:
        pass  # malformed YAML: the parser below says where
    return errors


def parse_yaml(text: str, rel: str, offset: int = 0) -> tuple[object, dict, list[FicheError]]:
    """Parse YAML text safely; return data, field lines and errors (never raises)."""
    errors: list[FicheError] = _ancres(text, rel, offset)
    lines: dict = {}
    if errors:
        return None, lines, errors
    loader = _Loader(text)
    loader.texte_avec_diese = text if "#" in text else None  # only then can a text have been cut at a « # »
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


TAILLE_MAX = 1_000_000  # bytes of one fiche or data file: the largest real fiche is some 20 kB


def fichier_refuse(path: Path, rel: str) -> FicheError | None:
    """Why `path` may not be read as a fiche (symbolic link, not a regular file, too large), or None.

    Looks at the path itself (lstat), never at what a link points to: a link under fiches/ could
    otherwise publish any file of the machine that builds the site.
    """
    try:
        info = os.lstat(path)
    except OSError:
        return FicheError(rel, "fichier introuvable ou illisible.")
    if stat.S_ISLNK(info.st_mode):
        return FicheError(rel, "lien symbolique refusé : une fiche est un fichier ordinaire du dossier fiches/ ; "
                               "remplacez le lien par une copie du fichier.")
    if not stat.S_ISREG(info.st_mode):
        return FicheError(rel, "ce n'est pas un fichier ordinaire (dossier, périphérique…) : une fiche est un "
                               "fichier texte.")
    if info.st_size > TAILLE_MAX:
        return FicheError(rel, f"fichier trop volumineux ({info.st_size / 1_000_000:.1f} Mo) : une fiche fait au plus "
                               f"{TAILLE_MAX // 1_000_000} Mo. Retirez ce qui n'est pas un fait sourcé, ou répartissez "
                               "le contenu entre plusieurs fiches.")
    return None


def read_text(path: Path, rel: str) -> tuple[str | None, list[FicheError]]:
    """Read a file as UTF-8 text normalised to NFC, or say why not (see fichier_refuse; invalid byte's line)."""
    refus = fichier_refuse(path, rel)
    if refus:
        return None, [refus]
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [FicheError(rel, "le fichier n'est pas encodé en UTF-8 (octet invalide) : "
                                      "enregistrez-le en UTF-8.", line)]
    if text.startswith("\ufeff"):
        text = text[1:]
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)  # composes accents; never adds or removes a line
    return text, []


def load_fiche(path: Path, root: Path) -> tuple[Document | None, list[FicheError]]:
    """Load a Markdown fiche: YAML front matter between two `---` lines, then the body."""
    rel = path.relative_to(root).as_posix()
    refus = fichier_refuse(path, rel)
    if refus:
        return None, [refus]
    if not path.resolve().is_relative_to((root / "fiches").resolve()):
        return None, [FicheError(rel, "la fiche est en dehors du dossier fiches/ (dossier relié par un lien "
                                      "symbolique) : placez le fichier lui-même dans fiches/.")]
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
    if not path.exists() and not path.is_symlink():
        return None, [FicheError(rel, "fichier manquant.")]
    text, errors = read_text(path, rel)
    if text is None:
        return None, errors
    data, lines, errors = parse_yaml(text, rel)
    if not errors and not isinstance(data, dict):
        errors.append(FicheError(rel, "le fichier doit contenir des champs « clé: valeur ».", 1))
    return (Document(path, rel, data, "", lines) if not errors else None), errors
