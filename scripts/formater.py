#!/usr/bin/env python3
"""Met en forme les fiches du guide sans rien perdre : ordre des champs, indentation, espaces.

    .venv/bin/python scripts/formater.py                       # met en forme toutes les fiches
    .venv/bin/python scripts/formater.py fiches/territoires/nantes-metropole.md
    .venv/bin/python scripts/formater.py --check               # vérifie seulement (CI et pre-commit)

(.venv est créé par ./scripts/servir.sh.) Une fiche enregistrée par le Bloc-notes de Windows (marque BOM au
début, fins de ligne CRLF) est remise au format des autres, et la commande le dit.

Les champs suivent l'ordre du modèle (fiches/schemas/) ; les commentaires (# …), les champs inconnus, les
guillemets et les textes sont gardés tels quels. Une fiche dont la mise en forme changerait les données
n'est jamais réécrite.

Code de sortie : 0 si tout est en forme (ou a été mis en forme), 1 si --check trouve une fiche à mettre en
forme, 2 si une fiche est illisible ou si la commande est mal employée.
"""
from __future__ import annotations

import io
import re
import sys
from functools import lru_cache
from pathlib import Path

try:
    import yaml
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken
except ImportError as exc:  # run with a Python that is not the guide's .venv
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _outils import manquent
    manquent(exc, __file__)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "macros"))

from guide.commande import ArgumentParser  # noqa: E402  (argparse's own words in French)
from guide.modele.load import _dotted, fichier_refuse, parse_yaml, stray_separator_line  # noqa: E402  (the guide's own reader: what the site will see)
from guide.modele.errors import lieu  # noqa: E402  (a field named in words, as the validator names it)
from guide.modele.validate import RETOUR_FORCE, RETOUR_FORCE_MOTIF  # noqa: E402  (the validator's message: both refuse a forced line break)
from guide.modele.schemas import COLLECTIONS as KINDS  # noqa: E402  (fiches' folder → its schema)
from guide.modele.slugs import slugify  # noqa: E402  (a fiche's file name, as the validator checks it)

SCHEMA_DIR = ROOT / "fiches" / "schemas"
FRONT_MATTER = re.compile(r"\A(\ufeff?)---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.S)


class FormatError(Exception):
    """A fiche that cannot be formatted safely (French message for the editor)."""


def _yaml() -> YAML:
    y = YAML()  # round-trip mode: keeps comments, quotes, block scalars and flow style
    y.preserve_quotes = True
    y.width = 4096  # never re-wrap a long line
    y.indent(mapping=2, sequence=4, offset=2)
    return y


@lru_cache(maxsize=None)
def _schema(name: str) -> dict:
    return yaml.safe_load((SCHEMA_DIR / name).read_text(encoding="utf-8"))


def _resolve(node: dict, current: str) -> tuple[dict, str]:
    """Follow $ref (within a file or to another schema file) until a concrete schema."""
    seen = 0
    while isinstance(node, dict) and "$ref" in node and seen < 20:
        target, _, fragment = node["$ref"].partition("#")
        current = target or current
        node = _schema(current)
        for part in filter(None, fragment.split("/")):
            node = node.get(part, {})
        seen += 1
    return (node if isinstance(node, dict) else {}), current


def _properties(schema: dict, current: str) -> tuple[dict, str]:
    schema, current = _resolve(schema, current)
    return schema.get("properties", {}), current


# --- comments that trail a key belong to the key that follows them -------------------------------

def _last_slot(node):
    """(container, key, index in its comment list) where the comment after `node` is stored."""
    if isinstance(node, CommentedMap) and len(node):
        key = list(node)[-1]
        value = node[key]
        if isinstance(value, (CommentedMap, CommentedSeq)) and len(value):
            return _last_slot(value)
        return node, key, 2
    if isinstance(node, CommentedSeq) and len(node):
        value = node[-1]
        if isinstance(value, (CommentedMap, CommentedSeq)) and len(value):
            return _last_slot(value)
        return node, len(node) - 1, 0
    return None


def _take_own_lines(container, key, index) -> str:
    """Remove and return the whole-line comments (and blank lines) stored after a value."""
    entry = container.ca.items.get(key)
    if not entry or len(entry) <= index or entry[index] is None:
        return ""
    token = entry[index]
    value = token.value
    eol, sep, rest = value.partition("\n")
    if not sep or not rest:
        return ""
    token.value = eol + "\n"
    return rest


def _give_own_lines(container, key, index, text: str) -> None:
    """Append whole-line comments after a value (creating the comment slot if needed)."""
    if not text:
        return
    entry = container.ca.items.setdefault(key, [None, None, None, None])
    while len(entry) <= index:
        entry.append(None)
    token = entry[index]
    if token is None:
        entry[index] = CommentToken("\n" + text, CommentMark(0), None)
    else:
        token.value = (token.value if token.value.endswith("\n") else token.value + "\n") + text


def _give_before_first(mapping: CommentedMap, text: str) -> None:
    """Put whole-line comments before the first key of a mapping."""
    if mapping.ca.comment is None:
        mapping.ca.comment = [None, []]
    while len(mapping.ca.comment) < 2:
        mapping.ca.comment.append([])
    if mapping.ca.comment[1] is None:
        mapping.ca.comment[1] = []
    mapping.ca.comment[1].append(CommentToken(text, CommentMark(0), None))


def _reorder(mapping: CommentedMap, properties: dict) -> None:
    keys = list(mapping)
    order = [k for k in properties if k in mapping]
    if order == [k for k in keys if k in properties]:
        return
    # Unknown fields keep their place: each follows the key it followed before.
    new = list(order)
    for i, key in enumerate(keys):
        if key not in properties:
            before = keys[i - 1] if i else None
            new.insert(new.index(before) + 1 if before in new else 0, key)
    # Whole-line comments after key i describe key i+1: detach them before moving keys around.
    blocks, tail = {}, ""
    for i, key in enumerate(keys):
        slot = _last_slot(mapping[key]) if isinstance(mapping[key], (CommentedMap, CommentedSeq)) else None
        slot = slot or (mapping, key, 2)
        text = _take_own_lines(*slot)
        if i + 1 < len(keys):
            blocks[keys[i + 1]] = text
        else:
            tail = text
    for key in new:
        mapping.move_to_end(key)
    for j, key in enumerate(new):
        text = blocks.get(key, "")
        if text and j == 0:
            _give_before_first(mapping, text)
        elif text:
            previous = new[j - 1]
            value = mapping[previous]
            slot = _last_slot(value) if isinstance(value, (CommentedMap, CommentedSeq)) else None
            _give_own_lines(*(slot or (mapping, previous, 2)), text)
    if tail:
        _give_own_lines(*_last_slot(mapping), tail)


def _normalise(node, schema: dict, current: str) -> None:
    schema, current = _resolve(schema, current)
    if isinstance(node, CommentedMap):
        properties = schema.get("properties", {})
        for key in list(node):
            if key in properties:
                _normalise(node[key], properties[key], current)
        if properties:
            _reorder(node, properties)
    elif isinstance(node, CommentedSeq):
        items = schema.get("items", {})
        for value in node:
            _normalise(value, items, current)


# The last line of a key whose value is a block of text (« resume: >- », « - texte: | »): its indicator, then at most
# an indentation digit.
_DEBUT_DE_BLOC = re.compile(r"^[^#]*[:-][ \t]+[|>]([-+]?)\d?[ \t]*$")


def _tidy_spacing(text: str) -> str:
    """No trailing spaces, no run of blank lines between keys, in the YAML header. Inside a block of text, blank lines
    are its content (two of them, « \\n\\n », in a folded résumé are a new paragraph): kept, or the formatter
    refused a fiche the validator accepts, and the page would change (attacker QA)."""
    out = []
    bloc, garde = None, False  # indentation of the key opening the current block of text; whether it keeps its end
    for line in (line.rstrip() for line in text.split("\n")):
        indent = len(line) - len(line.lstrip(" "))
        if bloc is not None and (line == "" or indent > bloc):
            out.append(line)
            continue
        if bloc is not None and not garde:
            while len(out) > 1 and out[-1] == "" and out[-2] == "":  # the block's end: blank lines between keys
                out.pop()
        bloc = None
        if line == "" and out and out[-1] == "":
            continue
        out.append(line)
        debut = _DEBUT_DE_BLOC.match(line)
        if debut:
            bloc, garde = indent, debut.group(1) == "+"
    return "\n".join(out).strip("\n") + "\n"


_ESPACES_FINAUX = re.compile(r"[ \t]+$", re.M)


def _sans_espaces_finaux(value):
    """The data without spaces at the end of a text's lines: the formatter removes them (editor QA: three spaces at
    the end of a résumé written as a block, « >- », made it refuse the fiche, which the validator accepted), and the
    page shows none of them, Markdown dropping them, but for a forced line break (_retour_force)."""
    if isinstance(value, str):
        return _ESPACES_FINAUX.sub("", value)
    if isinstance(value, dict):
        return {k: _sans_espaces_finaux(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_sans_espaces_finaux(v) for v in value]
    return value


def _retour_force(value) -> bool:
    """Whether a text holds two spaces before a line break inside it, followed by more text, which Markdown reads as a
    forced line break (`<br>`): removed, the page would change. At the text's end they break nothing, and go (rules
    QA: refused, the editor had to find invisible spaces by hand)."""
    return isinstance(value, str) and bool(RETOUR_FORCE_MOTIF.search(value))


def _premier_ecart(avant, apres, chemin: tuple = ()) -> tuple | None:
    """The path of the first value that differs between two loads of a header, or None."""
    if type(avant) is not type(apres):
        return chemin
    if isinstance(avant, dict):
        for k in avant.keys() | apres.keys():
            if k not in avant or k not in apres:
                return chemin + (k,)
        for k, v in avant.items():
            ecart = _premier_ecart(v, apres[k], chemin + (k,))
            if ecart is not None:
                return ecart
        return None
    if isinstance(avant, list):
        for i, (v, w) in enumerate(zip(avant, apres)):
            ecart = _premier_ecart(v, w, chemin + (i,))
            if ecart is not None:
                return ecart
        return chemin if len(avant) != len(apres) else None
    return None if avant == apres else chemin


def _valeur(data, chemin: tuple):
    for k in chemin:
        data = data[k]
    return data


def _commentaires(header: str) -> list[tuple[str, int]]:
    """Each comment of a YAML header (« # … », as written, stripped) and its line in the fiche (the header starts on
    line 2), read from ruamel's scanner, which sees them all, those it then drops included."""
    from ruamel.yaml.tokens import CommentToken
    out = []

    def lire(valeur):
        if isinstance(valeur, CommentToken):
            for i, ligne in enumerate(valeur.value.split("\n")):
                if ligne.strip().startswith("#"):
                    out.append((ligne.strip(), valeur.start_mark.line + i + 2))
        elif isinstance(valeur, list):
            for v in valeur:
                lire(v)

    for token in _yaml().scan(header):
        lire(token if isinstance(token, CommentToken) else getattr(token, "comment", None))
    return out


# A tab between a key and its value (« annee:<tab>2019 », a spreadsheet's cell pasted): the guide's reader takes it as
# a space, ruamel refuses it; read as a space here too. The data compared after the formatting (below) says that
# nothing else changed, a tab inside a text included (editor QA: the validator accepted, the formatter refused).
_TABULATION_APRES_CLE = re.compile(r"^([ \t]*(?:-[ \t]+)*[a-z_]+:)\t[ \t]*", re.M)


def format_text(text: str, kind: str) -> str:
    """Return the formatted fiche; raise FormatError if it cannot be formatted without risk."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    match = FRONT_MATTER.match(text)
    if not match:
        raise FormatError("en-tête YAML absent ou non fermé : la fiche doit commencer par une ligne « --- », "
                          "puis les champs, puis une ligne « --- ».")
    header = match.group(2) or ""
    stray = stray_separator_line(text, re.match(r"\A(---[ \t]*\n(?:.*?\n)?---[ \t]*(?:\n|\Z))", text, re.S))
    if stray:
        raise FormatError(f"ligne « --- » au milieu de l'en-tête (ligne {stray}) : la fiche n'est pas modifiée ; "
                          "retirez cette ligne.")
    # The guide's reader first: its French message gives the line where the fault starts.
    before, lines, errors = parse_yaml(header, "fiche", offset=1)
    if errors:
        # (not « YAML illisible »: « 45.000 » is read, and refused for what it would publish, attacker QA)
        raise FormatError(f"en-tête à corriger d'abord, la fiche n'est pas modifiée ; à la ligne {errors[0].line} : "
                          f"{errors[0].message}")
    header = _TABULATION_APRES_CLE.sub(r"\1 ", header)
    y = _yaml()
    try:
        data = y.load(header)
    except Exception as exc:  # ruamel raises many classes; all mean "not valid YAML"
        raise FormatError("YAML illisible, la fiche n'est pas modifiée. Lancez .venv/bin/python scripts/valider.py "
                          "sur cette fiche : il donne la ligne et ce qu'il faut corriger.") from exc
    if not isinstance(data, CommentedMap):
        raise FormatError("l'en-tête YAML doit être une suite de clés « clé: valeur ».")
    _normalise(data, _schema(KINDS[kind]), KINDS[kind])
    out = io.StringIO()
    y.dump(data, out)
    new_header = _tidy_spacing(out.getvalue())
    # A comment inside brackets or braces (« champs: [x,  # à vérifier »): ruamel drops it (attacker QA: lost
    # without a word, where CONTRIBUTING says comments are kept).
    restants = [c for c, _ in _commentaires(new_header)]
    for commentaire, ligne in _commentaires(header):
        if commentaire in restants:
            restants.remove(commentaire)
        else:
            raise FormatError(f"ligne {ligne} : le commentaire « {commentaire} » est à l'intérieur de crochets [ ] ou "
                              "d'accolades { } ; la mise en forme le perdrait : la fiche n'est pas modifiée. Écrivez-le "
                              "sur sa propre ligne, au-dessus.")
    after, _, errors = parse_yaml(new_header, "fiche")
    if errors or _sans_espaces_finaux(after) != _sans_espaces_finaux(before):
        ecart = _premier_ecart(before, after)
        ou = f"ligne {lines[ecart]}, clé « {_dotted(ecart)} » : " if ecart in lines else ""
        raise FormatError(f"{ou}la mise en forme changerait les données : la fiche n'est pas modifiée.")
    ecart = _premier_ecart(before, after)
    if ecart is not None and _retour_force(_valeur(before, ecart)):
        # where the spaces are, named as the validator names a field (« action n° 1, clé « resume » »), which says it too
        ligne = next((i for i, l in enumerate(header.split("\n"), 2) if i >= lines.get(ecart, 0) and l.rstrip() and
                      l.endswith("  ")), lines.get(ecart))
        ou = f"ligne {ligne}, {lieu(_dotted(ecart))} : " if ligne else ""
        raise FormatError(f"{ou}{RETOUR_FORCE} La fiche n'est pas modifiée.")
    body = text[match.end():]
    body = ("\n" + body.strip("\n") + "\n") if body.strip() else ""
    return f"---\n{new_header}---\n{body}"


def raisons(original: str, formatted: str) -> list[str]:
    """What the formatter changes, in an editor's words (BOM, Windows line ends, order, spaces)."""
    out = []
    if original.startswith("\ufeff"):
        out.append("marque invisible (BOM) au début du fichier, ajoutée par le Bloc-notes de Windows")
    if "\r\n" in original:
        out.append("fins de ligne Windows (CRLF) au lieu de fins de ligne simples")
    if "\r" in original.replace("\r\n", ""):  # (attacker QA: a lone one was called « CRLF »)
        ligne = original.replace("\r\n", "\n").split("\r")[0].count("\n") + 1
        out.append(f"retour chariot seul (CR) ligne {ligne}, au lieu d'une fin de ligne simple")
    rest = original.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if rest != formatted:
        # Where the first change is, and what it is when it is only spaces at the end of a line (editor QA: three
        # spaces at the end of a résumé were « ordre des clés, décalages ou espaces… », without a line).
        avant, apres = rest.split("\n"), formatted.split("\n")
        i = next((i for i, (a, b) in enumerate(zip(avant, apres)) if a != b), min(len(avant), len(apres)))
        if i < len(avant) and i < len(apres) and avant[i].rstrip() == apres[i]:
            out.append(f"espaces en fin de ligne, ligne {i + 1}")
        else:
            out.append(f"ordre des clés, décalages ou espaces différents du modèle, dès la ligne {i + 1}")
    return out


def kind_of(path: Path, root: Path = ROOT) -> str:
    """The collection of a fiche of this guide, read from its folder: a file of another folder named alike, or a
    link, is no fiche (attacker QA: the site's pages of docs/territoires/, and the target of a link outside the
    repository, were rewritten), as the validator refuses them."""
    if path.is_symlink():
        raise FormatError("lien symbolique refusé : une fiche est un fichier ordinaire du dossier fiches/ ; placez le "
                          "fichier lui-même dans fiches/.")
    for kind in KINDS:
        if path.resolve().parent == (root / "fiches" / kind).resolve():
            # A file the build does not read is no fiche to put in shape: « à mettre en forme » for « x.txt » or
            # « Saint-Brieuc.md », which the validator said ignored or misnamed (editor QA). Its name, as valider.py
            # says it.
            # (the name valider.py gives: « St. Brieuc.md » is « st-brieuc.md », « x.md.txt » « x.md »; verifier QA)
            nom = slugify(path.stem.removesuffix(".md")) or "nom-de-la-fiche"
            if path.suffix != ".md":
                raise FormatError(f"fichier ignoré par la construction : seules les fiches « .md » de fiches/{kind}/ "
                                  f"sont lues ; nommez-le « {nom}.md », puis mettez-le en forme.")
            if path.stem != slugify(path.stem):
                raise FormatError(f"nom de fichier invalide : minuscules sans accent et tirets (ex. « {nom}.md ») ; "
                                  "renommez-le, puis mettez-le en forme.")
            return kind
    raise FormatError("ce fichier n'est pas une fiche du guide (attendu dans fiches/champs/ ou fiches/territoires/ de "
                      "ce dépôt).")


def all_fiches(root: Path = ROOT) -> list[Path]:
    return [p for kind in KINDS for p in sorted((root / "fiches" / kind).glob("*.md"))]


def _rel(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def main(argv=None) -> int:
    parser = ArgumentParser(description="Met en forme les fiches du guide (ordre des champs, espaces).")
    parser.add_argument("fichiers", nargs="*", type=Path, help="fiches à mettre en forme (par défaut : toutes)")
    parser.add_argument("--check", action="store_true", help="vérifie sans modifier ; code 1 si une fiche est à reformater")
    args = parser.parse_args(argv)
    paths = args.fichiers or all_fiches()
    to_format, broken, changed = [], 0, 0
    for path in paths:
        if not path.is_file():
            print(f"{path} : fichier introuvable.", file=sys.stderr)
            return 2
        refus = fichier_refuse(path, _rel(path))
        if refus:  # as the site and valider.py refuse it (attacker QA: 26 s on a 2.4 MB fiche, then « en forme »)
            print(f"{_rel(path)} : {refus.message}", file=sys.stderr)
            broken += 1
            continue
        try:
            original = path.read_bytes().decode("utf-8")  # as saved: BOM and Windows line ends kept to be seen
            formatted = format_text(original, kind_of(path))
        except (FormatError, UnicodeDecodeError) as exc:
            message = exc if isinstance(exc, FormatError) else "le fichier n'est pas encodé en UTF-8."
            print(f"{_rel(path)} : {message}", file=sys.stderr)
            broken += 1
            continue
        if formatted != original:
            why = " ; ".join(raisons(original, formatted))
            if args.check:
                to_format.append(path)
                print(f"{_rel(path)} : à mettre en forme ({why}). Lancez : .venv/bin/python scripts/formater.py "
                      f"{_rel(path)}")
            else:
                path.write_text(formatted, encoding="utf-8", newline="\n")
                changed += 1
                print(f"{_rel(path)} : mis en forme, corrigé : {why}.")
    n = len(paths)
    if broken:
        # (« illisible(s) : corrigez-les d'abord (valider.py) » sent to the validator for a page of docs/ or a link,
        # which it has nothing to say of: each file's own message says what to do)
        print(f"✗ {broken} fichier(s) sur {n} laissé(s) tel(s) quel(s) : voir le message de chacun ci-dessus.",
              file=sys.stderr)
        return 2
    if args.check:
        if to_format:
            print(f"✗ {len(to_format)} fiche(s) sur {n} à mettre en forme.")
            return 1
        print(f"✓ {n} fiche(s) en forme.")
        return 0
    print(f"✓ {n} fiche(s) vérifiée(s), {changed} mise(s) en forme.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
