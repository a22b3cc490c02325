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

import functools
import math
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from guide import chemins
from guide.modele import caracteres
from guide.modele.errors import FicheError
from guide.modele.nombres import NUMBER_TAGS, nombre_attendu, nombre_ecrit_ambigu
from guide.modele.schemas import cles_du_modele

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


@dataclass(repr=False)
class Document:
    """A loaded file: its data, its Markdown body and the line of each field path."""

    path: Path
    rel: str
    data: object
    body: str = ""
    lines: dict = field(default_factory=dict)
    body_line: int = 1
    # What steps derived from this document alone (`derive`), by the function that derived it.
    _derives: dict = field(default_factory=dict, compare=False)

    def __repr__(self) -> str:
        # Its file, not its content: a failing test that holds the loaded fiches prints them in a few lines
        # (a whole fiche per document made a test report of 25,000 lines).
        return f"Document({self.rel!r})"

    @functools.cached_property
    def citations(self) -> list:
        """(path, citation) of every source citation in its data. Found once per loaded file: under `mkdocs
        serve`, a fiche that did not change is the same Document from build to build (guide.Memoire), and each
        build checks every fiche's citations against fiches/sources.yaml."""
        return list(citations(self.data))

    def derive(self, calcul):
        """`calcul(self)`, computed once per loaded file, as `citations` is: what a check across fiches or the join
        takes from each fiche alone (a normalised title, a sort key) is not derived again, at every build of the
        preview, for the thousands of fiches that did not change. `calcul` is a function of the document alone."""
        try:
            return self._derives[calcul]
        except KeyError:
            resultat = self._derives[calcul] = calcul(self)
            return resultat

    def line_of(self, path: Path_) -> int | None:
        """Line of the nearest field on `path` that the YAML gave a position to."""
        path = tuple(path)
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path)


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


_STR = "tag:yaml.org,2002:str"
_BOOL = "tag:yaml.org,2002:bool"
# The YAML types a fiche is made of. Any other tag, implicit or written (`!!binary`, `!!set`, `!!timestamp`,
# `!!python/…`, `!local`), is refused: no template, export or check expects bytes, sets or dates objects.
_TYPES_ADMIS = {_STR} | {f"tag:yaml.org,2002:{t}" for t in ("int", "float", "bool", "null", "seq", "map")}

# Bounds applied before the schemas, written once in the shared schema (`x-limites`), where the model page
# reads them too: size of a file, nesting of lists and blocks (the deepest real fiche has 6 levels: identite →
# population → item → sources → citation → page; deeper data is refused before anything walks it), characters
# of the free text after the header.
LIMITES = yaml.safe_load((chemins.SCHEMAS / "commun.schema.yaml")
                         .read_text(encoding="utf-8"))["x-limites"]
TAILLE_MAX = LIMITES["taille_fichier"]
PROFONDEUR_MAX = LIMITES["profondeur"]
TEXTE_LIBRE_MAX = LIMITES["texte_libre"]
CROCHETS_MAX = LIMITES["crochets"]
CHEVRONS_MAX = LIMITES["chevrons"]
TITRES_MAX = LIMITES["titres"]
# A heading, as Python-Markdown reads one at the start of a line: any « # », with or without a space after it
# (« #a » and « ####### a » are headings to it: counted with a space only, 16,600 « #a » lines slipped past the
# bound and took a build from 15 s to 104 s; attacker QA), or the line that underlines one (« === », « --- »; a
# rule « --- » counts too: a bound, not a count of sections).
# Inside a quote or a list item too (« > #a », « - #a »: 12,000 such lines passed the bound; verifying QA): the line's
# quote and list markers are read first, each once.
PREFIXE_DE_BLOC = r"(?:[ \t]*+(?:>|[-*+](?=[ \t])|\d++[.)](?=[ \t])))*+[ \t]*+"
_TITRE = re.compile(rf"^{PREFIXE_DE_BLOC}(?:#|=+[ \t]*$|-+[ \t]*$)", re.M)


def _etiquette(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag


def _scalar(node, loader, path, line, errors, rel, cle: bool = False):
    """The value of a scalar node under the character policy (caracteres.py), or None with an error."""
    if node.tag == _STR:  # nearly every scalar of a fiche is text: taken as is, without the constructor
        multiligne = node.end_mark.line > node.start_mark.line
        return _texte(node.value, path, line, errors, rel, cle,
                      functools.partial(_ligne_dans_la_source, node, getattr(loader, "source", None), line)
                      if multiligne else None)
    try:
        value = loader.construct_object(node, deep=True)
    except ValueError:  # an integer of thousands of digits (Python's limit on int ↔ str conversions)
        errors.append(FicheError(rel, f"nombre trop long (« {node.value[:20]}… ») : un nombre de fiche s'écrit en "
                                      "quelques chiffres.", line, _dotted(path) or None))
        return None
    if isinstance(value, float) and not math.isfinite(value):
        errors.append(FicheError(rel, f"« {node.value} » n'est pas un nombre fini : écrivez la valeur en chiffres "
                                      "(ou entre guillemets si la source la donne en mots).", line, _dotted(path) or None))
        return None
    return value


# A level of Markdown at the start of a line: a quote « > » or a list item (« - », « * », « + », « 1. »), its number
# of any length, as Python-Markdown reads it (read up to 9 digits, « 1234567890. » repeated 490 times on a line
# nested as many lists, and the build stopped on a RecursionError; attacker QA).
_NIVEAU_MARKDOWN = re.compile(r"[ \t]*(?:>|[-*+](?=[ \t])|\d+[.)](?=[ \t]))")


def _imbrication(text: str) -> int | None:
    """Index of the first line of Markdown text nested deeper than PROFONDEUR_MAX: its indentation (four spaces a
    level) and the quotes and list items that open it (« > - > - … » on one line nests as deep as on many), the
    bound the header has: 60 nested quotes or list levels made a page 985 px wide on a phone."""
    for i, ligne in enumerate(text.split("\n")):
        if not ligne or not (ligne[0] in " \t>-*+" or ligne[0].isdigit()):
            continue
        retrait = len(ligne) - len(ligne.lstrip(" \t"))
        niveaux, position = len(ligne[:retrait].expandtabs(4)) // 4, 0
        while niveaux <= PROFONDEUR_MAX:
            marque = _NIVEAU_MARKDOWN.match(ligne, position)
            if marque is None:
                break
            niveaux, position = niveaux + 1, marque.end()
        if niveaux > PROFONDEUR_MAX:
            return i
    return None


def _au_dela_des_bornes(text: str) -> str | None:
    """The French report of a text holding more « [ », « < » or headings than the bounds (see LIMITES), or None."""
    n = text.count("[")
    if n > CROCHETS_MAX:
        return (f"{n} crochets « [ » dans un même texte : {CROCHETS_MAX} au plus (voir la page « Modèle des fiches ») ; "
                "un lien s'écrit [texte](https://adresse), une note de source avec la clé « sources ».")
    n = text.count("<")
    if n > CHEVRONS_MAX:
        return (f"{n} chevrons « < » dans un même texte : {CHEVRONS_MAX} au plus (voir la page « Modèle des fiches ») ; "
                "une fiche ne contient pas de HTML : écrivez le texte, le site le met en forme.")
    n = len(_TITRE.findall(text)) if "#" in text or "\n=" in text or "\n-" in text or "\n " in text else 0
    if n > TITRES_MAX:
        return (f"{n} titres dans un même texte : {TITRES_MAX} au plus (voir la page « Modèle des "
                "fiches ») ; un titre (« ## … », ou une ligne soulignée de « === » ou de « --- ») ouvre une partie "
                "de la page : regroupez le texte en quelques parties.")
    return None


def _ligne_dans_la_source(node, source: str | None, line: int, caractere: str) -> int:
    """The line of the file where `caractere` first appears in a text written on several lines (a block such as
    `resume: |-`, a long quoted text), rather than the line of its key; `line` if it is not written as such in
    the source (an escape sequence in quotes). `source`: the YAML the node was read from."""
    if source is None:
        return line
    lignes = source.split("\n")
    for k in range(node.start_mark.line, min(node.end_mark.line, len(lignes) - 1) + 1):
        if caractere in lignes[k]:
            return line + k - node.start_mark.line
    return line


def _texte(value: str, path, line, errors, rel, cle: bool = False, ligne_du_caractere=None) -> str:
    """A text of a fiche: composed (NFC), refused with an error if it holds a character the policy refuses or
    more « [ » than the bound. A key (`cle`) is named in the error by itself, its refused characters written as
    their codes. `ligne_du_caractere(c)`: the line of a character in a text written on several lines."""
    trop = _au_dela_des_bornes(value)
    if trop:
        errors.append(FicheError(rel, trop, line, _dotted(path) or None))
    # Every text, one line too: « 1. 1. 1. … a » or « - - - a » nests as deep on one line as on many.
    if _imbrication(value) is not None:
        errors.append(FicheError(rel, f"imbrication trop profonde (plus de {PROFONDEUR_MAX} niveaux de citations « > » "
                                      "et de listes) : la page déborderait de l'écran d'un téléphone ; retirez des "
                                      "niveaux.", line, _dotted(path) or None))
    if value.isascii() and not caracteres.CONTROLE_ASCII.search(value):
        return value  # most keys and many values: nothing to compose, no other script
    refused = caracteres.caractere_refuse(value)
    if refused:
        path = path + (caracteres.visible(value),) if cle else path
        errors.append(FicheError(rel, f"caractère interdit : {caracteres.decrire(refused[1])}, écrit directement ou "
                                      "par une séquence d'échappement (« \\x… », « \\u… »). Retirez-le ; le plus "
                                      "simple est de retaper ce passage dans un éditeur de texte.",
                                 ligne_du_caractere(refused[1]) if ligne_du_caractere else line, _dotted(path) or None))
        return caracteres.nfc(value)
    value = caracteres.nfc(value)
    if cle or max(value) < "\u0250":  # Latin-1 and Latin Extended-A and B: Latin letters or no script
        return value
    key = next((part for part in reversed(path) if isinstance(part, str)), None)
    if key in caracteres.CLES_NOMS and (path[-1] == key or key == "alias"):
        mixed = caracteres.ecritures_melangees(value)
        if mixed:
            # A name whose word mixes scripts (« Alençоn » with a Cyrillic « о ») looks like another name and is
            # not the same text: search, sorting and the same-name check would all miss it.
            word, scripts = mixed
            errors.append(FicheError(rel, f"le mot « {word} » mélange les écritures {' et '.join(scripts)} : une "
                                          "lettre d'un autre alphabet imite une lettre latine. Retapez ce nom au "
                                          "clavier.", line, _dotted(path)))
    return value


def _to_python(node, loader, path, lines, offset, errors, rel):
    line = node.start_mark.line + 1 + offset
    lines[path] = line
    if node.tag not in _TYPES_ADMIS and isinstance(node, yaml.ScalarNode) and not node.style \
            and node.tag == loader.resolve(yaml.ScalarNode, node.value, (True, False)):
        # Not written by the editor: YAML gives « = » and « << » a meaning of their own.
        errors.append(FicheError(rel, f"la valeur « {node.value} » a un sens particulier en YAML : mettez-la entre "
                                      f"guillemets (\"{node.value}\").", line, _dotted(path) or None))
        return None
    if node.tag not in _TYPES_ADMIS:
        errors.append(FicheError(rel, f"étiquette YAML « {_etiquette(node.tag)} » refusée : une fiche ne contient que "
                                      "du texte, des nombres, des listes et des blocs de clés. Retirez l'étiquette "
                                      "(ou mettez la valeur entre guillemets si elle commence par « ! »).",
                                 line, _dotted(path) or None))
        return None
    if len(path) > PROFONDEUR_MAX:
        errors.append(FicheError(rel, f"imbrication trop profonde (plus de {PROFONDEUR_MAX} niveaux de listes et de "
                                      "blocs) : le modèle des fiches n'en a pas autant ; vérifiez les crochets et les "
                                      "décalages.", line, _dotted(path[:1]) or None))
        return None
    if isinstance(node, yaml.MappingNode):
        out = {}
        precedente, en_chaine, cle_coupee, cle_avant = None, False, None, None  # in braces: a figure cut at its comma
        sans_tiret = False  # a list item whose « - » was forgotten: its keys repeat the item before (said once)
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1 + offset
            coupe = _chiffre_coupe(precedente, key_node) if node.flow_style else None
            # « 1,500,000 »: its second comma cuts its « 500 », a key without value, again; said once, whole
            precedente = key_node if coupe and value_node.value in ("", None) else value_node
            if coupe and en_chaine:
                continue
            en_chaine = bool(coupe)
            cle_coupee, cle_avant = (cle_avant if coupe else None), getattr(key_node, "value", None)
            if coupe:
                morceaux, j = [coupe], list(node.value).index((key_node, value_node))
                while j + 1 < len(node.value) and _chiffre_coupe(node.value[j][0], node.value[j + 1][0]):
                    morceaux.append(node.value[j + 1][0].value)
                    j += 1
                coupe = ",".join(morceaux)
                # « {libelle: B, montant: 1,5 M€} »: YAML reads « 5 M€ » as a key after a value « 1 » (editor QA:
                # told « clé inconnue « 5 M€ » », or to quote pages, for an amount)
                conseil = (f'pour plusieurs pages, écrivez-les entre guillemets : page: "{coupe.replace(",", ", ")}".'
                           if cle_coupee == "page" else
                           f"écrivez le nombre sans virgule, en chiffres ({cle_coupee or 'montant'}: 1500000, 1.5 pour "
                           "une décimale), ou la valeur entière entre guillemets.")
                errors.append(FicheError(rel, f"« {coupe} » : entre accolades, une virgule sépare deux clés, et ce qui la "
                                              f"suit est lu comme une clé ; {conseil}", key_line, _dotted(path) or None))
                continue
            key = _scalar(key_node, loader, path, key_line, errors, rel, cle=True) \
                if isinstance(key_node, yaml.ScalarNode) and key_node.tag in _TYPES_ADMIS else None
            if isinstance(key, (int, float)) and not isinstance(key, bool):
                # No key of the model is a number: a year typed as a key (« 2021: … »), or the second of two pages
                # in braces (« {page: 58, 63} » reads « 63 » as a key). Refused here, with what to write: the
                # schema check, which compares keys as text, could not even read this fiche.
                errors.append(FicheError(rel, f"« {key_node.value} » est lu comme une clé (un nombre suivi de « : », "
                                              "ou écrit après une virgule entre accolades) ; une clé est un mot du "
                                              "modèle (« annee: », « page: »). Pour plusieurs pages, écrivez-les entre "
                                              "guillemets : page: \"58, 63\".", key_line, _dotted(path) or None))
                continue
            if not isinstance(key, str) and key_node.value == "<<":
                # YAML's merge key (« <<: {nature: zoom} », « <<: *commun »): the fiche's reader merges nothing
                errors.append(FicheError(rel, "« << » (fusion de blocs YAML) n'est pas accepté dans une fiche : écrivez "
                                              "chaque clé elle-même, sur sa ligne (« nature: zoom »).", key_line,
                                         _dotted(path) or None))
                continue
            if not isinstance(key, str):
                errors.append(FicheError(rel, "clé non valide (une clé doit être un mot)", key_line))
                continue
            if key in out and not sans_tiret and path and isinstance(path[-1], int) and _item_suivant(node, key_node):
                # Keys of the item again, from this one on, in an item of a list: the « - » of the next item was
                # forgotten, and its keys joined this one (editor QA: told to keep one line of each, the editor deleted
                # an action). A key typed twice alone is not (verifier QA: a title typed again, told to add a « - »).
                sans_tiret = True
                valeur = value_node.value if isinstance(value_node, yaml.ScalarNode) else "…"
                exemple = f"- {key}: {valeur}"
                exemple = exemple if len(exemple) <= 60 else exemple[:59] + "…"
                if node.flow_style:  # « {publication: a, page: 14, publication: b} »: two citations in one pair of braces
                    errors.append(FicheError(rel, "deux éléments dans les mêmes accolades : le second répète les clés du "
                                                  "premier ; écrivez chacun entre ses accolades, sur sa ligne, commençant "
                                                  "par « - » (« - {…} »).", key_line, _dotted(path + (key,))))
                else:
                    errors.append(FicheError(rel, f"il manque « - » au début de cette ligne : un nouvel élément de la "
                                                  f"liste commence par « - », aligné sur les autres (« {exemple} ») ; sans "
                                                  "lui, ses lignes s'ajoutent à l'élément précédent, dont elles répètent "
                                                  "les clés.", key_line, _dotted(path + (key,))))
            elif key in out and not sans_tiret:
                errors.append(FicheError(rel, f"clé répétée : la deuxième valeur écraserait la première ; gardez une seule "
                                              f"ligne « {key}: … » à cet endroit, avec la bonne valeur",
                                         key_line, _dotted(path + (key,))))
            out[key] = _to_python(value_node, loader, path + (key,), lines, offset, errors, rel)
        return out
    if isinstance(node, yaml.SequenceNode):
        if node.flow_style:
            _element_coupe(node, path, offset, errors, rel)
        return [_to_python(item, loader, path + (i,), lines, offset, errors, rel)
                for i, item in enumerate(node.value)]
    if not node.style and node.tag == _STR and getattr(loader, "texte_avec_diese", None):
        _coupe_au_diese(node, loader.texte_avec_diese, path, offset, errors, rel)
    if node.style in ("|", ">") and getattr(loader, "source", None):
        _cle_dans_le_texte(node, loader.source, path, offset, errors, rel)
        if node.style == ">":
            _liste_repliee(node, loader.source, path, offset, errors, rel)
    elif not node.style and node.end_mark.line > node.start_mark.line and getattr(loader, "source", None):
        _cle_collee(node, loader.source, path, offset, errors, rel)
    if node.style in (None, "", '"', "'") and node.tag == _STR and node.end_mark.line > node.start_mark.line \
            and getattr(loader, "source", None):
        _liste_repliee(node, loader.source, path, offset, errors, rel)
    if node.tag in NUMBER_TAGS:
        _nombre_ecrit(node, path, offset, errors, rel)
    if node.tag == _BOOL and node.value.lower() not in ("true", "false"):
        # YAML reads « yes », « no », « on », « off » as true or false: « nature: no » would be reported as
        # « false », a word the editor never typed, and « partenaires: [ON] » lose its partner.
        oui = node.value.lower() in ("yes", "y", "on", "true")
        errors.append(FicheError(rel, f"« {node.value} » est lu par YAML comme « {'vrai' if oui else 'faux'} », pas comme "
                                      f"un texte : pour le texte, mettez-le entre guillemets (\"{node.value}\") ; pour "
                                      f"oui ou non, écrivez {'true' if oui else 'false'}.", line, _dotted(path) or None))
        return None
    return _scalar(node, loader, path, line, errors, rel)


def _nombre_ecrit(node, path, offset, errors, rel) -> None:
    """A number YAML read other than as written (`45.000` → 45.0, `045000` → 18944): refused, with the value
    to write. Judged on the scalar's source text, which the node keeps and the built value has lost."""
    cle = path[-1] if path else None
    message = nombre_ecrit_ambigu(node.value, node.tag, cle)
    if message:
        # On a key that takes a number, the fiche's other checks still run (a number there either way); on a text
        # key (« code_insee: 01053 »), they would only repeat that a number stands where a text is expected.
        errors.append(FicheError(rel, message, node.start_mark.line + 1 + offset, _dotted(path) or None,
                                 sans_arret=nombre_attendu(cle)))


_SUITE_COMMENTAIRE = re.compile(r"[ \t]+#")
_SUITE_COLLEE = re.compile(r"[ \t]+#[^\s#]")
_LIGNE_COMMENTAIRE_COLLEE = re.compile(r"[ \t]*\r?\n([ \t]+)#([^\s#])")
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
        return
    # « titre: Champ #3 de la stratégie » is read « Champ »: a « # » after a space starts a comment, even inside a
    # sentence. A « # » glued to what follows (« #3 », « #CUA ») is text cut short; a comment is written « # … ».
    collee = _SUITE_COLLEE.match(text, node.end_mark.index)
    if collee:
        fin = text.find("\n", node.end_mark.index)
        reste = text[collee.end() - 2:fin if fin >= 0 else len(text)].rstrip()
        cle = path[-1] if path and isinstance(path[-1], str) else None
        exemple = f"{cle}: \"{value} {reste}\"" if cle else f"\"{value} {reste}\""
        errors.append(FicheError(rel, f"le texte « {value} » est coupé avant « {reste} » : après une espace, « # » "
                                      "commence un commentaire en YAML, et la suite de la ligne n'est pas publiée. "
                                      f"Si elle fait partie du texte, mettez toute la valeur entre guillemets droits : "
                                      f"{exemple} ; si c'est un commentaire, écrivez « # {reste[1:]} » (une espace après "
                                      "« # »).", node.end_mark.line + 1 + offset, _dotted(path) or None))
        return
    # The same at the start of the text's next line (« resume: … au titre du champ », then « #3 de la stratégie »):
    # a line whose first character is « # » is a comment, even inside a text written on several lines. Only a line
    # indented as the text's continuation is the text's (a comment at the keys' indentation is the editor's).
    suite = _LIGNE_COMMENTAIRE_COLLEE.match(text, node.end_mark.index)
    if suite:
        debut = text.rfind("\n", 0, node.start_mark.index) + 1
        colonne_de_la_cle = len(re.match(r"[ \t]*(?:- +)*", text[debut:node.start_mark.index]).group(0))
        if len(suite.group(1)) > colonne_de_la_cle:
            fin = text.find("\n", suite.start(2))
            ligne = text[suite.start(2) - 1:fin if fin >= 0 else len(text)].rstrip()
            errors.append(FicheError(rel, f"la ligne « {ligne} » est lue comme un commentaire (elle commence par « # ») : "
                                          f"le texte s'arrête à « {value[-40:].strip()} » et la suite n'est pas publiée. Mettez toute "
                                          "la valeur entre guillemets droits, ou écrivez-la en bloc (« resume: >- », le "
                                          "texte en dessous).", text.count("\n", 0, suite.start(2)) + 1 + offset,
                                     _dotted(path) or None))


# A line of a block text that reads as a key and its value, not as prose: « nature: exemple », « annee: 2019 »,
# « sources: », « champs: [a, b] » (one word, a list, or nothing after the colon). « partenaires: les entreprises
# de l'ESS… » is a sentence that happens to start with a word of the model.
_LIGNE_CLE = re.compile(r"[ \t]*([a-z_]+):(?:[ \t]*|[ \t]+(?:[\[{\"'].*|[^\s]+))$")


def _ligne_de_cle(lignes: list[str], motif: re.Pattern, debut: int = 0) -> tuple[int, re.Match] | None:
    """(index, match) of the first of `lignes`, from `debut`, where `motif` finds a key of the model, or None."""
    cles = cles_du_modele()
    for i in range(debut, len(lignes)):
        m = motif.match(lignes[i])
        if m and m.group(1) in cles:
            return i, m
    return None


def _cle_dans_le_texte(node, source: str, path, offset, errors, rel) -> None:
    """A key of the model written inside a block text (« resume: >- » then « nature: exemple » indented too far):
    YAML reads it as a line of the text, which then ends with « nature: exemple » while the action loses its
    nature. Said at its line (a line of prose starting with a word of the model is left alone: _LIGNE_CLE)."""
    lignes = source[node.start_mark.index:node.end_mark.index].split("\n")
    trouve = _ligne_de_cle(lignes, _LIGNE_CLE, 1)  # line 0 is the key's own (« resume: >- »)
    if trouve:
        i, m = trouve
        cle = path[-1] if path and isinstance(path[-1], str) else "ce texte"
        errors.append(FicheError(rel, f"la ligne « {lignes[i].strip()} » est lue comme une ligne du texte de « {cle} », "
                                      f"pas comme la clé « {m.group(1)} » : elle est plus décalée que « {cle}: ». "
                                      f"Alignez « {m.group(1)}: » sur « {cle}: » (même retrait).",
                                 node.start_mark.line + i + 1 + offset, _dotted(path) or None))


def en_yaml(valeur) -> str:
    """A value as YAML's own writer writes it on one line, quoted where YAML needs it (« 'Zoom : la filature' »,
    « '2024' », « {publication: x, page: 58} »): written by hand, advice broke the YAML it gave (verifier QA)."""
    ecrit = yaml.safe_dump(valeur, default_flow_style=True, allow_unicode=True, width=float("inf"), sort_keys=False)
    return ecrit.strip().removesuffix("\n...").strip()  # (a text alone ends YAML's document with « ... »)


# A line that starts a list item (« - », « * », « + », « 1. ») or a table row (« | … | »), as Python-Markdown reads it.
DEBUT_DE_LISTE = re.compile(r" {0,3}(?:(?:[-*+]|\d{1,9}\.)[ \t]+\S|\|.*\|)")  # (« 2) » opens none)


def liste_voulue(lignes: list[str], i: int) -> bool:
    """Whether the line `i`, which starts like a list item or a table row (DEBUT_DE_LISTE), begins a list or a table
    the editor meant: a table row; an item after a line that ends with « : »; an item followed by another.
    A line of prose that an editor's wrapping put first (« 2021. Elle crée… », « - qui soutient… », « + 25 % ») is
    none of these (verifier QA: refused as lists)."""
    ligne = lignes[i].strip()
    if ligne.startswith("|"):
        return True
    avant = next((l.strip() for l in reversed(lignes[:i]) if l.strip()), "")
    if avant.endswith(":"):
        return True
    apres = lignes[i + 1].strip() if i + 1 < len(lignes) else ""
    return bool(DEBUT_DE_LISTE.match(apres)) and not apres.startswith("|")


def _liste_repliee(node, source: str, path, offset, errors, rel) -> None:
    """A list or a table in a text whose lines YAML joins into one (written after « > », « resume: >- », or on
    several lines with no sign, in quotes or not): the page published « … : - une convention - un projet » (editor and
    verifier QA). Said at the list's first line, with « | » to write. Lines more indented than the text keep their
    breaks after « > », as a list there does."""
    lignes = source[node.start_mark.index:node.end_mark.index].split("\n")
    debut = 1 if node.style in ("|", ">") else 0  # (line 0 of a block is its sign, « >- »)
    if not debut:  # the first line of a plain or quoted text holds its key and its beginning
        lignes[0] = lignes[0].lstrip(" \"'")
    retrait = min((len(l) - len(l.lstrip(" ")) for l in lignes[max(debut, 1):] if l.strip()), default=0)
    textes = [l[retrait:] if j >= max(debut, 1) else l for j, l in enumerate(lignes)]
    for i in range(debut, len(textes)):
        garde = node.style == ">" and len(textes[i]) > len(textes[i].lstrip(" "))  # more indented: kept as is
        if textes[i].strip() and not garde and DEBUT_DE_LISTE.match(textes[i]) and liste_voulue(textes, i):
            cle = path[-1] if path and isinstance(path[-1], str) else "ce texte"
            signe = "après « > », YAML joint" if node.style == ">" else "écrit ainsi, YAML joint"
            errors.append(FicheError(rel, f"« {textes[i].strip()[:60]} » : {signe} les lignes du texte en une seule, et "
                                          "cette liste (ou ce tableau) serait publiée sur une ligne ; écrivez "
                                          f"« {cle}: | » (la barre verticale garde les sauts de ligne), le texte sur les "
                                          "lignes suivantes, et laissez une ligne vide avant le premier point.",
                                     node.start_mark.line + i + 1 + offset, _dotted(path) or None))
            return


_VALEUR_LIEN = re.compile(r"[ \t]*(?:-[ \t]+)?(?:([a-z_]+):[ \t]+)?(\[[^\]\n]*\]\([^\n]*)")


def _lien_en_tete(text: str, line: int) -> tuple[int, str, str] | None:
    """(line, key, value) of a value that starts with a Markdown link, on the line YAML reports or the one before:
    « url: [site](https://…) » was told « décalage incohérent » (editor QA); an item of a list (« - [CRESS](https://…) »:
    verifier QA), whose key is then None."""
    lignes = text.split("\n")
    for numero in (line, line - 1):  # (0-based, as YAML's marks)
        ligne = lignes[numero].rstrip() if 0 <= numero < len(lignes) else ""
        m = _VALEUR_LIEN.fullmatch(ligne)
        if m and (m.group(1) or ligne.lstrip().startswith("-")):
            return numero, m.group(1), m.group(2)
    return None


_PLUSIEURS_CLES = re.compile(r"[ \t]*-[ \t]+((?:[a-z_]+):[ \t]+[^,{}\[\]\n]+(?:,[ \t]*[a-z_]+:[ \t]+[^,{}\[\]\n]+)+)")


def _bloc_sans_accolades(text: str, line: int) -> tuple[str, str] | None:
    """« - publication: avise-2021, page: 58 », a citation without its braces: YAML finds a second colon in the first
    value (editor QA: told to quote the value, which made the publication unknown). (The keys and values as written,
    the same in braces as YAML's writer writes them: a value with « : » or « # » quoted, a comment left out; verifier
    QA: the braces advised were refused again.)"""
    lignes = text.split("\n")
    m = _PLUSIEURS_CLES.fullmatch(lignes[line].rstrip()) if 0 <= line < len(lignes) else None  # (0-based)
    # (keys of the model only: « - titre: Appel, date: 2021 » may be a title that holds a colon)
    cles = re.findall(r"(?:^|,)[ \t]*([a-z_]+):", m.group(1)) if m else []
    if not m or not all(c in cles_du_modele() for c in cles):
        return None
    ecrit = m.group(1).strip()
    # (a comment, « # vérifié », after the last value; « #3 » is a section's own: « Champ d'action #3 »)
    sans_commentaire = re.split(r"[ \t]#(?=[ \t])(?![^#]*,[ \t]*[a-z_]+:[ \t])", ecrit, maxsplit=1)[0]
    paires = re.split(r",[ \t]*(?=(?:%s):[ \t])" % "|".join(map(re.escape, cles)), sans_commentaire)
    bloc = {}
    for paire in paires:
        cle, _, valeur = paire.partition(":")
        valeur = valeur.strip()
        bloc[cle.strip()] = int(valeur) if valeur.isdigit() else valeur
    return ecrit, en_yaml(bloc)


_LIGNE_CLE_COLLEE = re.compile(r"[ \t]*([a-z_]+):(?=[^\s/])")


def _cle_collee(node, source: str, path, offset, errors, rel) -> None:
    """« region:Normandie » (no space after the colon) on the line after a text: YAML reads it as the text's next
    line (« type » became « commune region:Normandie »), and reports the wrong key. Said at its line."""
    lignes = source[node.start_mark.index:node.end_mark.index].split("\n")
    trouve = _ligne_de_cle(lignes, _LIGNE_CLE_COLLEE, 1)
    if trouve:
        i, m = trouve
        cle, ligne = m.group(1), lignes[i].strip()
        errors.append(FicheError(rel, f"il manque une espace après « {cle}: » : YAML lit « {ligne} » comme la suite de "
                                      f"la ligne précédente. Écrivez « {cle}: {ligne[len(cle) + 1:]} ».",
                                 node.start_mark.line + i + 1 + offset, cle))


def _item_suivant(node, key_node) -> bool:
    """Whether `key_node`, a key met again in the mapping `node`, begins the keys of a next item whose « - » was
    forgotten: a key after it repeats one met before it too, or it is the item's first key again after others. Not a
    key typed twice in a row alone (« titre » then « titre »: a title typed again, verifier QA)."""
    cles = [getattr(k, "value", None) for k, _ in node.value]
    j = next(i for i, (k, _) in enumerate(node.value) if k is key_node)
    avant = set(cles[:j])
    return (cles[j] == cles[0] and j > 1) or any(c in avant for c in cles[j + 1:])


def _dotted(path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# Where YAML may start an anchor (&nom) or an alias (*nom): after a space, an indicator or at a line start.
# Only texts where this matches are scanned for them (« R&D » does not match).
# The sign first, what stands before it checked after: a pattern that opens on an alternative is tried at every
# character of every fiche.
_ANCRE_POSSIBLE = re.compile(r"[&*](?:(?<=^.)|(?<=[\s\[{,:?-].))[^\s,\[\]{}]", re.M)


def _ancres(text: str, rel: str, offset: int) -> list[FicheError]:
    """An error for each YAML anchor (&nom) or alias (*nom): refused before anything is built from the text."""
    if not _ANCRE_POSSIBLE.search(text):
        return []
    errors = []
    try:
        for token in yaml.scan(text, Loader=_SafeBase):
            if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
                sign = "&" if isinstance(token, yaml.AnchorToken) else "*"
                erreur = FicheError(
                    rel, f"« {sign}{token.value} » : les ancres (&) et renvois (*) YAML ne sont pas acceptés dans "
                         "une fiche ; écrivez la valeur en entier, ou mettez le texte entre guillemets s'il "
                         f"commence par « {sign} ».", token.start_mark.line + 1 + offset)
                if erreur not in errors:  # « [*a, *a, *a…] »: once a line (attacker QA: 90 lines for one fault)
                    errors.append(erreur)
    except yaml.YAMLError:
        pass  # malformed YAML: the parser below says where
    return errors


def parse_yaml(text: str, rel: str, offset: int = 0) -> tuple[object, dict, list[FicheError]]:
    """Parse YAML text safely; return data, field lines and errors (never raises).

    Errors are French sentences placed at the line where the fault starts (libyaml's English problem
    text is translated by `_yaml_fault`, never shown).
    """
    data, lines, errors = _parse_yaml(text, rel, offset)
    if errors and ("\u00a0" in text or "\u202f" in text):
        insecables = _espaces_insecables(text, rel, offset, max((e.line or 0) for e in errors))
        # YAML's own error a line below, the echo of the space it did not read (« region:\u00a0Bretagne » then « clé
        # « type » : cette ligne n'a pas de deux-points », editor QA), is not said again
        vues = {e.line for e in insecables}
        errors = insecables + [e for e in errors if not ({e.line, (e.line or 0) - 1} & vues)]
    return data, lines, errors


_INSECABLES = "\u00a0\u202f"


def _espaces_insecables(text: str, rel: str, offset: int, jusqu_a: int) -> list[FicheError]:
    """No-break spaces where YAML needs a space (a word processor's, pasted: « type:\u00a0petr », « nom\u00a0: »,
    an indentation), up to the line of the last error: YAML does not read them as spaces, and its own error came a
    line later or named another key (editor QA). Said first, at their line, when the header has errors."""
    errors = []
    for i, ligne in enumerate(text.split("\n")):
        numero = i + 1 + offset
        if numero > jusqu_a:
            break
        if not any(c in ligne for c in _INSECABLES):
            continue
        avant, deux_points, apres = ligne.partition(":")
        cle = avant.strip(" \t-" + _INSECABLES)
        retrait = ligne[:len(ligne) - len(ligne.lstrip(" \t-" + _INSECABLES))]
        if any(c in retrait for c in _INSECABLES):
            ou = "dans le décalage de la ligne"
        elif deux_points and re.fullmatch(r"[\w-]+", cle) and (any(c in avant for c in _INSECABLES)
                                                               or apres[:1] in tuple(_INSECABLES)):
            ou = f"autour du deux-points de « {cle} »"
        else:
            continue
        errors.append(FicheError(rel, f"espace insécable {ou} (copiée d'un traitement de texte ?) : YAML ne la lit pas "
                                      "comme une espace ; retapez cette espace au clavier.", numero))
    return errors


def _parse_yaml(text: str, rel: str, offset: int) -> tuple[object, dict, list[FicheError]]:
    lines: dict = {}
    # Invisible characters first: libyaml would count U+2028 as a line break and give a wrong line, or an
    # English message. Then YAML anchors and aliases, refused before anything is built from the text.
    errors: list[FicheError] = _invisible_characters(text, rel, offset) or _ancres(text, rel, offset)
    if errors:
        return None, lines, errors
    loader = _Loader(text)
    loader.texte_avec_diese = text if "#" in text else None  # only then can a text have been cut at a « # »
    loader.source = text  # the lines of a text written on several lines, for an error inside it
    try:
        node = loader.get_single_node()
        if node is None:
            return None, lines, errors
        data = _to_python(node, loader, (), lines, offset, errors, rel)
    except yaml.MarkedYAMLError as exc:
        line, message = _yaml_fault(exc, text)
        if line is not None:
            # A block left open (« a: { ») is found at the end of the text, past its last line: said at that line.
            line = min(line, text.rstrip("\n").count("\n"))
        errors.append(FicheError(rel, message, line + 1 + offset if line is not None else None,
                                 _cle_de_la_ligne(text, line)))
        return None, lines, errors
    except yaml.YAMLError as exc:  # a reader error (a character YAML refuses): its position, in words
        position = getattr(exc, "position", None)
        line = text[:position].count("\n") + 1 + offset if isinstance(position, int) else None
        errors.append(FicheError(rel, "YAML mal formé : caractère non accepté dans cette ligne ; retapez-la dans un "
                                      "éditeur de texte.", line))
        return None, lines, errors
    finally:
        loader.dispose()
    return data, lines, errors




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
        octets = lambda n: f"{n:,}".replace(",", "\u202f")  # noqa: E731 - « 1 048 577 », as the site writes numbers
        return FicheError(rel, f"fichier trop volumineux ({octets(info.st_size)} octets) : une fiche fait au plus "
                               f"{octets(TAILLE_MAX)} octets ({TAILLE_MAX // 1_000_000} Mo). Retirez ce qui n'est pas un "
                               "fait sourcé, ou répartissez le contenu entre plusieurs fiches.")
    return None


# Characters that look like nothing, or like a line break, in a word processor or a web page.
INVISIBLES = {
    "\x0b": "un saut de ligne de traitement de texte (Maj+Entrée dans Word)",
    "\x0c": "un saut de page",
    "\x85": "un saut de ligne copié d'un document (U+0085)",
    "\u2028": "un séparateur de ligne copié d'une page web (U+2028)",
    "\u2029": "un séparateur de paragraphe copié d'une page web (U+2029)",
}
# Also every character libyaml's reader refuses (C1 controls, U+FFFE, U+FFFF): said here, with its line and key,
# rather than as a reader error. Other refused characters (bidi controls…) reach the values and are refused
# there with their whole field path (caracteres.py).
_INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
_KEY_LINE = re.compile(r"^[ \t]*(?:- +)?([^\s:#'\"{\[-][^:#]*?):(?:[ \t]|$)")  # not « - {publication: »


def _invisible_characters(text: str, rel: str, offset: int) -> list[FicheError]:
    """Control characters and Unicode line separators: one error per line, with the key it belongs to."""
    errors, seen = [], set()
    for found in _INVISIBLE.finditer(text):
        line = text.count("\n", 0, found.start())
        if line in seen:
            continue
        seen.add(line)
        char = found.group(0)
        what = INVISIBLES.get(char) or caracteres.decrire(char)
        lines = text.split("\n")
        key = next((m.group(1).strip() for m in map(_KEY_LINE.match, reversed(lines[: line + 1])) if m), None)
        errors.append(FicheError(rel, f"caractère invisible : {what}. Remplacez-le par une espace, ou, pour changer de "
                                      "paragraphe dans un texte long, écrivez la clé avec « >- » et laissez une ligne "
                                      "vide ; le plus simple est de retaper ce passage dans un éditeur de texte.",
                                 line + 1 + offset, key))
    return errors


def _cle_collee_avant(text: str, debut: int | None, fin: int | None) -> tuple[int, str, str] | None:
    """(0-based line, key, value) of a line « region:Normandie » (a key of the model, no space after its colon)
    between the lines `debut` and `fin` of a malformed header: YAML took it for the previous line's text."""
    if debut is None or fin is None:
        return None
    lignes = text.split("\n")[: max(debut, fin) + 1]
    trouve = _ligne_de_cle(lignes, _LIGNE_CLE_COLLEE, max(0, min(debut, fin)))
    if trouve is None:
        return None
    numero, m = trouve
    return numero, m.group(1), lignes[numero][m.end():].strip()


# « titre: "[Associée](…) **gras**" à l'élaboration » : a value quoted, then more text after its closing quote.
_APRES_GUILLEMET = re.compile(r"""^[ \t]*(?:-[ \t]+)?[a-z_]+:[ \t]+(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*')[ \t]*[^\s#,\]}]""")


def _texte_apres_guillemet(text: str, fin: int | None) -> int | None:
    """The 0-based line, at the fault's line `fin` or just above, of a value quoted then followed by more text: YAML
    stopped there and named a « décalage » (editor QA)."""
    if fin is None:
        return None
    lignes = text.split("\n")
    for numero in (fin, fin - 1):
        if 0 <= numero < len(lignes) and _APRES_GUILLEMET.match(lignes[numero]):
            return numero
    return None


# « -titre: … »: a list item's dash without its space, before a key of the model.
_TIRET_COLLE = re.compile(r"[ \t]*-([a-z_]+):")


def _tiret_colle_avant(text: str, fin: int | None) -> tuple[int, str, str] | None:
    """(0-based line, key, value) of a line « -titre: … » at the fault's line `fin` or on the last written line
    above it: YAML read « -titre » as a key and stopped at the next line (editor QA: the message named the next
    line's key, « champs », and asked for its indentation)."""
    if fin is None:
        return None
    lignes = text.split("\n")[: fin + 1]
    for numero in range(len(lignes) - 1, max(-1, fin - 3), -1):
        trouve = _ligne_de_cle(lignes, _TIRET_COLLE, numero)
        if trouve is not None and trouve[0] == numero:
            m = trouve[1]
            return numero, m.group(1), lignes[numero][m.end():].strip()
        if lignes[numero].strip() and not lignes[numero].lstrip().startswith("#") and numero != fin:
            return None  # the last written line above is another one
    return None


# A list item begun with a word processor's dash or bullet (« – titre: … », « • {publication: …} »): YAML reads it as a
# key or a text, and stopped at that line or the next, told « décalage incohérent » or « deux-points inattendu ; mettez
# la valeur entre guillemets » (editor QA).
_PUCE_DE_TRAITEMENT_DE_TEXTE = re.compile(r"^[ \t]*([–—•·▪◦‣−])[ \t]")


def _puce_avant(text: str, fin: int | None) -> tuple[int, str] | None:
    """(0-based line, dash) of a line begun with a word processor's dash or bullet, at the fault's line `fin` or on
    the last written line above it."""
    if fin is None:
        return None
    lignes = text.split("\n")[: fin + 1]
    for numero in range(len(lignes) - 1, max(-1, fin - 3), -1):
        m = _PUCE_DE_TRAITEMENT_DE_TEXTE.match(lignes[numero])
        if m:
            return numero, m.group(1)
        if lignes[numero].strip() and not lignes[numero].lstrip().startswith("#") and numero != fin:
            return None  # the last written line above is another one
    return None


_CLE_ET_VALEUR = re.compile(r"^([ \t]*(?:-[ \t]+)?)([\w-]+):[ \t]+[^\s#|>]")
_CLE = re.compile(r"^([ \t]*(?:-[ \t]+)?)([\w-]+):(?:[ \t]|$)")


def _cle_trop_decalee(text: str, ligne: int | None) -> tuple[str, str] | None:
    """(key, key above) when the fault's line is a key written further right than the key on the last written line
    above, which has its value on its line: YAML read the line as more of that value and stopped at its colon (editor
    QA: « - valeur: 45000 » then « unite: habitants » two spaces too far, told to quote a value)."""
    if ligne is None:
        return None
    lignes = text.split("\n")
    cle = _CLE.match(lignes[ligne]) if ligne < len(lignes) else None
    if not cle or cle.group(2) not in cles_du_modele():  # (« Note: … » in a text is the text's, to quote)
        return None
    for numero in range(ligne - 1, -1, -1):
        if not lignes[numero].strip() or lignes[numero].lstrip().startswith("#"):
            continue
        avant = _CLE_ET_VALEUR.match(lignes[numero])
        if avant and len(cle.group(1)) > len(avant.group(1)):
            return cle.group(2), avant.group(2)
        return None
    return None


# A line that starts with a word and a space, with no colon: a key whose colon was forgotten, if the word is one.
# (Possessive: « note », 40,000 spaces and « a:b » took the validator 19 s, each split of the spaces tried; verifier QA)
_SANS_DEUX_POINTS = re.compile(r"^[ \t]*+(?:-[ \t]++)?([a-z_0-9]++)[ \t]++[^:\n]*+$")


_GUILLEMETS_TYPOGRAPHIQUES = re.compile(r"^[ \t]*(?:-[ \t]+)?([\w-]+):[ \t]+[“«‘„]\s*(.*?)\s*[”»’“]?[ \t]*$")


def _guillemets_typographiques(text: str, line: int | None) -> tuple[str, str] | None:
    """(key, text inside) of the fault's line when its value is written between typographic quotes (« titre: “Appel :
    ESS” »): the editor believes it quoted (editor QA), and was told to quote it."""
    if line is None:
        return None
    m = _GUILLEMETS_TYPOGRAPHIQUES.match((text.split("\n") + [""])[line])
    return (m.group(1), m.group(2).replace('"', "'")) if m else None


def _deux_points_oublie_avant(text: str, line: int | None) -> tuple[int, str, str] | None:
    """(0-based line, key, value) of the line written last above the fault's that is a key of the model without its
    colon (« - titre Appel à projets », « nom Saint-Brieuc »): YAML read it with the next line as one text and
    reported the next line, naming its key (editor QA: « clé « champs » : deux-points inattendu »)."""
    if not line:
        return None
    lignes = text.split("\n")
    for numero in range(min(line, len(lignes)) - 1, -1, -1):
        if not lignes[numero].strip() or lignes[numero].lstrip().startswith("#"):
            continue
        m = _SANS_DEUX_POINTS.match(lignes[numero])
        if m and m.group(1) in cles_du_modele() and not _suite_d_un_texte(lignes, numero):
            return numero, m.group(1), lignes[numero][m.end(1):].strip()
        return None
    return None


def _suite_d_un_texte(lignes: list[str], numero: int) -> bool:
    """Whether line `numero` continues the text of a key above it (« resume: La ville participe » then, further
    indented, « note de cadrage… »): a word of the text, not a key that lost its colon (verifier QA: « il manque le
    deux-points après « note » », whose advice broke the résumé)."""
    retrait = len(lignes[numero]) - len(lignes[numero].lstrip(" "))
    for avant in range(numero - 1, -1, -1):
        ligne = lignes[avant]
        if not ligne.strip() or ligne.lstrip().startswith("#"):
            continue
        retrait_avant = len(ligne) - len(ligne.lstrip(" -"))
        if retrait_avant < retrait:
            cle = re.match(r"^[ \t]*(?:-[ \t]+)?[\w-]+:[ \t]*(.*)$", ligne)
            # a key whose value starts on its line (not a block, nor « | » or « > » before lines of text)
            return bool(cle and cle.group(1).strip() and cle.group(1).strip()[0] not in "|>&*!#")
        if retrait_avant == retrait and not _LIGNE_DE_CLE.match(ligne):
            continue  # another line of the same text
        return False
    return False


_LIGNE_DE_CLE = re.compile(r"^[ \t]*(?:-[ \t]+)?[\w-]+:(?:[ \t]|$)")


def _cle_de_la_ligne(text: str, line: int | None) -> str | None:
    """The key written on the 0-based `line` of a malformed header, or on the nearest line above that has one:
    the key the editor is asked to look at (« clé « type » » for a tab before `type:`)."""
    if line is None:
        return None
    tiret = re.match(r"[ \t]*-([a-z_]+):", (text.split("\n") + [""])[line])
    if tiret:
        return tiret.group(1)  # « -titre: … »: its own key (editor QA: « clé « page » », of an action's sources above)
    collee = _ligne_de_cle(text.split("\n")[line:line + 1], _LIGNE_CLE_COLLEE)
    if collee:
        return collee[1].group(1)  # « region:Normandie »
    sans_deux_points = _SANS_DEUX_POINTS.match((text.split("\n") + [""])[line])
    if sans_deux_points and sans_deux_points.group(1) in cles_du_modele():
        return sans_deux_points.group(1)  # « region Pays de la Loire »: its own key, not the line above's
    lines = text.split("\n")[: line + 1]
    found = next((m for m in map(_KEY_LINE.match, reversed(lines)) if m), None)
    return found.group(1).strip() if found else None


_OPENING_QUOTE = re.compile(r"""^[ \t]*(?:- +)?(?:[^\s:#'"][^:#]*?:[ \t]+)?(["'])""")


def _quote_closed_late(text: str, fault_line: int | None) -> int | None:
    """0-based line of a value whose opening quote is closed only on the fault's line, by the quote of
    another value (`type: "commune` … `section: "Titre"`): libyaml reports the fault there, far below."""
    if fault_line is None:
        return None
    lines = text.split("\n")
    for number in range(min(fault_line, len(lines))):
        found = _OPENING_QUOTE.match(lines[number])
        if not found:
            continue
        quote, rest = found.group(1), lines[number][found.end():]
        closing = rest.replace("\\\\", "").replace('\\"', "") if quote == '"' else rest.replace("''", "")
        if quote in closing:
            continue
        after = "\n".join(lines[number + 1: fault_line + 1])
        if quote in after and after.count("\n", 0, after.index(quote)) == fault_line - number - 1:
            return number
    return None


_ECHAPPEMENT = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))")


def _yaml_fault(exc: yaml.MarkedYAMLError, text: str) -> tuple[int | None, str]:
    """(0-based line where the fault starts, French sentence) for a libyaml problem."""
    problem, context = exc.problem or "", exc.context or ""
    mark, start = exc.problem_mark, exc.context_mark or exc.problem_mark
    index = getattr(mark, "index", None)
    char = text[index] if isinstance(index, int) and 0 <= index < len(text) else ""
    line = mark.line if mark else None
    start_line = start.line if start else line
    prefix = "YAML mal formé : "
    tiret = _tiret_colle_avant(text, line)
    if tiret is not None:
        numero, cle, suite = tiret
        return numero, (prefix + f"il manque une espace après le tiret : écrivez « - {cle}: {suite} » (un tiret, une "
                                 "espace, puis la clé). Sans elle, YAML lit « -" + cle + " » comme une clé.")
    puce = _puce_avant(text, line)
    if puce is not None:
        numero, signe = puce
        return numero, (prefix + f"« {signe} » en début de ligne, un tiret ou une puce de traitement de texte : un élément "
                                 "de liste commence par le tiret du clavier, « - » (touche 6), suivi d'une espace.")
    collee = _cle_collee_avant(text, start_line, line)
    if collee is not None:
        numero, cle, suite = collee
        return numero, (prefix + f"il manque une espace après « {cle}: » : écrivez « {cle}: {suite} » (une espace après "
                                 "les deux-points).")
    opened = _quote_closed_late(text, line)
    if opened is not None:
        return opened, (prefix + "le guillemet ouvert à cette ligne n'y est pas fermé : le texte continue jusqu'au "
                                 "guillemet suivant, plus bas. Ajoutez le guillemet fermant à la fin du texte.")
    if "quoted scalar" in context and "end of stream" in problem:
        quote = text[start.index] if start and 0 <= getattr(start, "index", -1) < len(text) else "\""
        return start_line, (prefix + f"le guillemet « {quote} » ouvert à cette ligne n'est jamais fermé : ajoutez "
                                     f"« {quote} » à la fin du texte.")
    if "nesting depth" in problem:
        return line, (prefix + f"imbrication trop profonde (plus de {PROFONDEUR_MAX} niveaux de listes et de blocs) : "
                               "le modèle des fiches n'en a pas autant ; vérifiez les crochets et les décalages.")
    if "escape" in problem and isinstance(index, int):
        escape = _ECHAPPEMENT.search(text, max(0, index - 3), index + 9)
        code = int(escape.group(1) or escape.group(2), 16) if escape else None
        if code is not None and (0xD800 <= code <= 0xDFFF or code > 0x10FFFF):
            what = (f"« \\u{code:04X} » désigne une moitié de caractère isolée (substitut UTF-16), qui n'est pas un "
                    "caractère" if code <= 0xDFFF else f"« {escape.group(0)} » ne désigne aucun caractère Unicode")
            return line, (prefix + what + " : écrivez le caractère lui-même, sans séquence d'échappement.")
    if "escape" in problem:
        return line, (prefix + "une barre oblique inverse « \\ » dans un texte entre guillemets doubles : écrivez "
                               "le texte entre guillemets simples (' … ') ou doublez la barre (« \\\\ »).")
    if "tab" in problem or char == "\t":
        return line, (prefix + "une tabulation sert à décaler cette ligne ; YAML n'accepte que des espaces : "
                               "remplacez la tabulation par des espaces (deux par niveau).")
    # (and « block end »: « - titre Cadre d'action #3 », whose « # » starts a comment, was told « décalage incohérent »
    # under the next key; verifier QA)
    oublie = _deux_points_oublie_avant(text, line) if ("mapping values" in problem or "expected ':'" in problem
                                                       or "block end" in problem or "expected '-'" in problem) else None
    if oublie is not None:
        numero, cle, suite = oublie
        return numero, (prefix + f"il manque le deux-points après « {cle} » : écrivez « {cle}: {suite} ». Sans lui, "
                                 "YAML lit cette ligne et la suivante comme un seul texte.")
    typographiques = _guillemets_typographiques(text, line) if "mapping values" in problem else None
    if typographiques is not None:
        cle, valeur = typographiques
        return line, (prefix + "deux-points inattendu dans un texte entre guillemets typographiques (“ ” ou « ») : YAML "
                               "ne les lit pas comme des guillemets. Écrivez le texte entre guillemets droits, ceux de "
                               f"la touche 3 : {cle}: \"{valeur}\".")
    sans_accolades = _bloc_sans_accolades(text, line) if isinstance(line, int) and "mapping values" in problem else None
    if sans_accolades is not None:
        ecrit, entre_accolades = sans_accolades
        return line, (prefix + f"« {ecrit} » : plusieurs clés sur une ligne s'écrivent entre accolades, "
                               f"{entre_accolades} ; ou écrivez une clé par ligne, alignées.")
    trop_decalee = _cle_trop_decalee(text, line) if isinstance(line, int) and "mapping values" in problem else None
    if trop_decalee is not None:
        cle, dessus = trop_decalee
        return line, (prefix + f"la clé « {cle} » est plus décalée que « {dessus} », sur la ligne au-dessus : YAML la lit "
                               f"comme la suite de la valeur de « {dessus} ». Alignez « {cle} » sur « {dessus} » (même "
                               "nombre d'espaces au début de la ligne).")
    if "mapping values" in problem:
        return line, (prefix + "deux-points inattendu. Si la valeur contient « : », mettez-la entre guillemets "
                               "(nom: \"Ville : centre\") ; sinon, alignez cette ligne sur la clé du même bloc "
                               "(même nombre d'espaces au début).")
    if "expected ':'" in problem:
        return start_line, (prefix + "cette ligne n'a pas de deux-points : chaque ligne de l'en-tête s'écrit "
                                     "« clé: valeur ». Un texte sur plusieurs lignes se décale de deux espaces de "
                                     "plus que sa clé.")
    if ("',' or ']'" in problem or "',' or '}'" in problem) and start_line is not None \
            and re.search(r"[ \t]#", text.split("\n")[start_line]):
        # « {publication: x, section: Champ d'action #3} »: the « # » starts a comment, the brace goes with it.
        return start_line, (prefix + "un « # » précédé d'une espace commence un commentaire, qui emporte la fin de la "
                                     "ligne (et son « } » ou « ] ») : mettez le texte qui contient « # » entre "
                                     "guillemets (section: \"Champ d'action #3\").")
    if "',' or ']'" in problem or "',' or '}'" in problem:
        closing = "]" if "]" in problem else "}"
        return start_line, (prefix + f"la liste ouverte à cette ligne n'est pas fermée : ajoutez « {closing} » à la "
                                     "fin de la ligne, et séparez les éléments par des virgules.")
    if "another document" in problem:
        return line, (prefix + "ligne « --- » en trop : elle ne sert qu'à ouvrir et fermer l'en-tête ; retirez-la.")
    if "alias" in problem or "anchor" in context or "cannot start any token" in problem:
        shown = char if char.strip() else "ce caractère"
        return line, (prefix + f"une valeur ne peut pas commencer par « {shown} » : mettez-la entre guillemets "
                               f"(clé: \"{shown}…\").")
    if "constructor" in problem or "tag" in problem:
        return line, prefix + "« ! » en début de valeur : mettez la valeur entre guillemets."
    lien = _lien_en_tete(text, line) if isinstance(line, int) else None
    if lien is not None:
        numero, cle, valeur = lien
        adresse = re.search(r"\]\((\S+?)\)", valeur)
        texte_seul = re.match(r"\[([^\]]*)\]", valeur).group(1)
        entre_guillemets = en_yaml(valeur)
        conseil = (f"pour une adresse, écrivez-la seule : {cle}: {adresse.group(1)}" if cle == "url" and adresse else
                   f"mettez tout le texte entre guillemets : {cle}: {entre_guillemets}" if cle else
                   f"pour un nom, écrivez-le seul, sans lien (« - {texte_seul} ») ; pour un texte, mettez-le entre "
                   f"guillemets (« - {entre_guillemets} »)")
        return numero, (prefix + f"« {valeur[:60]} » : une valeur qui commence par « [ » est lue par YAML comme une "
                                 f"liste ; {conseil}.")
    apres = _texte_apres_guillemet(text, line)
    if apres is not None:
        valeur = text.split("\n")[apres].split(":", 1)[1].strip()
        if valeur.startswith("'"):  # « titre: 'L'atelier' de quartier »: the apostrophe closed the text
            return apres, (prefix + "le texte entre apostrophes s'arrête à l'apostrophe suivante : dans un texte entre "
                                    "apostrophes, une apostrophe s'écrit doublée (« 'L''atelier de quartier' ») ; ou "
                                    "écrivez le texte entre guillemets doubles (« \"L'atelier de quartier\" »).")
        return apres, (prefix + "le texte continue après le guillemet fermant : mettez tout le texte entre les "
                                "guillemets (un guillemet double à l'intérieur s'écrit \\\"), ou écrivez-le sans guillemets "
                                "s'il ne commence pas par un guillemet.")
    if "expected key" in problem or "expected '-'" in problem or "block end" in problem:
        return line, (prefix + "décalage incohérent : alignez cette ligne sur les autres clés du même bloc (même "
                               "nombre d'espaces au début ; deux espaces de plus par niveau, « - » pour un élément "
                               "de liste).")
    return line, (prefix + "vérifiez les décalages (des espaces, deux par niveau), les deux-points et les guillemets "
                           "de cette ligne ; un texte qui contient « : » ou « # » s'écrit entre guillemets.")


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
        if re.match(rb"\xed[\xa0-\xbf]", raw[exc.start: exc.start + 2]):
            # A surrogate encoded as UTF-8 (« CESU-8 », written by some Java and Windows tools).
            return None, [FicheError(rel, "moitié de caractère isolée (substitut UTF-16 encodé en UTF-8) : ce n'est "
                                          "pas un caractère. Retapez ce passage dans un éditeur de texte et "
                                          "enregistrez le fichier en UTF-8.", line)]
        return None, [FicheError(rel, "le fichier n'est pas encodé en UTF-8 (octet invalide) : "
                                      "enregistrez-le en UTF-8.", line)]
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text and "\n" not in text:
        # Line breaks of an old Mac, a carriage return alone (« en-tête absent » otherwise): read as lines, as the
        # formatter rewrites them (scripts/formater.py).
        text = text.replace("\r", "\n")
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
        return None, [_entete_non_ferme(text, rel) or
                      FicheError(rel, "en-tête YAML absent ou non fermé : la fiche doit commencer par une "
                                      "ligne « --- », puis les champs, puis une ligne « --- ».", 1)]
    stray = stray_separator_line(text, match)
    if stray:
        return None, [FicheError(rel, "ligne « --- » au milieu de l'en-tête : l'en-tête s'arrête à la première ligne "
                                      "« --- » après la ligne 1, et les clés qui suivent seraient perdues. Retirez "
                                      "cette ligne.", stray)]
    data, lines, errors = parse_yaml(match.group(1) or "", rel, offset=1)
    if data is None and not errors:
        errors.append(FicheError(rel, "l'en-tête YAML est vide.", 1))
    elif data is not None and not isinstance(data, dict):
        errors.append(FicheError(rel, "l'en-tête YAML doit être une suite de champs « clé: valeur ».", 2))
    body = text[match.end():]
    body_line = text[: match.end()].count("\n") + 1
    errors += _caracteres_du_texte(body, rel, body_line)
    trop = _au_dela_des_bornes(body)
    if trop:
        premier = (body.index("[") if body.count("[") > CROCHETS_MAX else body.index("<") if body.count("<") > CHEVRONS_MAX
                   else _TITRE.search(body).start())
        errors.append(FicheError(rel, "texte libre : " + trop, body_line + body[:premier].count("\n")))
    profonde = _imbrication(body)
    if profonde is not None:
        errors.append(FicheError(rel, f"texte libre : imbrication trop profonde (plus de {PROFONDEUR_MAX} niveaux de "
                                      "citations « > » et de listes) : la page déborderait de l'écran d'un téléphone ; "
                                      "retirez des niveaux.", body_line + profonde))
    if len(body) > TEXTE_LIBRE_MAX:
        taille, limite = (f"{n:,}".replace(",", "\u202f") for n in (len(body), TEXTE_LIBRE_MAX))
        errors.append(FicheError(rel, f"texte libre trop long ({taille} caractères) : {limite} au plus après l'en-tête "
                                      "(voir la page « Modèle des fiches ») ; résumez avec vos mots, la source reste "
                                      "citée.", body_line))
    doc = Document(path, rel, data if isinstance(data, dict) else None, body, lines, body_line)
    return (doc if all(e.sans_arret for e in errors) and isinstance(data, dict) else None), errors


def _caracteres_du_texte(body: str, rel: str, first_line: int) -> list[FicheError]:
    """The character policy on the text after the header: one error per line holding a refused character."""
    errors = []
    if caracteres.caractere_refuse(body.replace("\r\n", "\n")) is None:
        return errors
    for number, line in enumerate(body.split("\n"), start=first_line):
        refused = caracteres.caractere_refuse(line.removesuffix("\r"))
        if refused:
            errors.append(FicheError(rel, f"caractère interdit dans le texte de la fiche : "
                                          f"{caracteres.decrire(refused[1])}. Retirez-le ; le plus simple est de "
                                          "retaper ce passage dans un éditeur de texte.", number))
    return errors


_LIGNE_D_EN_TETE = re.compile(r"[ \t]*(?:#.*|-( .*)?|[^\s:#][^:]*:(?:[ \t].*)?|[ \t]+\S.*)\r?$")


def _entete_non_ferme(text: str, rel: str) -> FicheError | None:
    """A header opened by « --- » on line 1 and never closed: said at the line where the closing « --- » is
    missing (the first line that is not a header line: a blank line, a « # Titre », a sentence), not at line 1."""
    lines = text.split("\n")
    if not re.fullmatch(r"---[ \t]*\r?", lines[0]):
        return None
    def fin(line: str) -> bool:
        return line.startswith("#") and not line.startswith("# ") or line.startswith("# ") \
            or not _LIGNE_D_EN_TETE.fullmatch(line)

    def commentaire(number: int) -> bool:
        """A « # … » line followed by header keys is a YAML comment inside the header, not the text's title
        (« # Fiche créée par scripts/nouvelle_fiche.py… » opens every new fiche: the missing « --- » was said to
        belong before line 2, editor QA)."""
        suite = next((l for l in lines[number:] if l.strip() and not l.startswith("#")), None)
        return suite is not None and bool(_CLE_D_EN_TETE.match(suite))

    for number, line in enumerate(lines[1:], start=2):
        if line.startswith("#") and commentaire(number):
            continue
        if not line.strip():  # a blank line inside the header (between keys, in a long text) or its end
            suite = next((l for l in lines[number:] if l.strip()), None)
            if suite is not None and not fin(suite) and not suite.startswith("#"):
                continue
        if not line.strip() or fin(line):
            return FicheError(rel, "en-tête YAML non fermé : il s'ouvre par « --- » à la ligne 1 mais n'est jamais "
                                   f"fermé. Ajoutez une ligne « --- » avant la ligne {number}, à la fin des champs.",
                              number)
    return FicheError(rel, "en-tête YAML non fermé : il s'ouvre par « --- » à la ligne 1 mais n'est jamais fermé. "
                           "Ajoutez une ligne « --- » après le dernier champ.", len(lines))


# A line of header keys: « nom: … », « actions: », an indented line of a block.
_CLE_D_EN_TETE = re.compile(r"[A-Za-z_][\w-]*:(?:[ \t]|$)|[ \t]+\S")

# Signs a name opens and closes; between square brackets, a comma inside them cuts the name in two.
_PAIRES = (("(", ")"), ("«", "»"), ("“", "”"))


def _element_coupe(node, path, offset, errors, rel) -> None:
    """« [État (SGARE, DREETS), CRESS] »: between square brackets a comma separates two items, even inside a name's
    own brackets, and YAML read two partners « État (SGARE » and « DREETS) » (content QA: published so). An item
    written without quotes that opens a bracket, a « or a “ and whose next items close it is refused, with the
    quoted item to write; so is one whose bracket the list never closes."""
    items = node.value
    i = 0
    while i < len(items):
        ouvert = _ouverture(items[i])
        if ouvert <= 0:
            i += 1
            continue
        j = i
        while ouvert > 0 and j + 1 < len(items) and isinstance(items[j + 1], yaml.ScalarNode) \
                and not items[j + 1].style:
            j += 1
            ouvert += _ouverture(items[j])
        morceaux = [str(items[k].value) for k in range(i, j + 1)]
        entier = ", ".join(morceaux)
        # (in single quotes when the name holds a double one: « "Les "Amis"" » would not be read)
        ecrit = f"'{entier}'" if '"' in entier else f'"{entier}"'
        if j > i:
            noms = ", ".join(f"« {m} »" for m in morceaux[:-1]) + f" et « {morceaux[-1]} »"
            fin = ("" if ouvert <= 0 else " ; fermez aussi la parenthèse ou les guillemets qu'il ouvre")
            errors.append(FicheError(rel, f"{noms} : entre crochets, une virgule sépare deux éléments, même entre "
                                          f"parenthèses ou guillemets ; écrivez cet élément entre guillemets : {ecrit}{fin}.",
                                     items[i].start_mark.line + 1 + offset, _dotted(path) or None))
        i = j + 1


def _ouverture(item) -> int:
    """How many more brackets or « an item written without quotes opens than it closes (0 for any other item)."""
    if not isinstance(item, yaml.ScalarNode) or item.style:
        return 0
    return sum(item.value.count(a) - item.value.count(b) for a, b in _PAIRES)


def _chiffre_coupe(valeur, cle) -> str | None:
    """« 1,5 M€ » when a value in braces is a figure and the next key follows its comma with no space and starts with a
    digit (« montant: 1,5 M€ », « 1,500,000 »): a French decimal or groups of thousands, cut by YAML; else None."""
    if not (isinstance(valeur, yaml.ScalarNode) and isinstance(cle, yaml.ScalarNode) and not valeur.style
            and not cle.style and re.fullmatch(r"[+-]?\d+", valeur.value) and cle.value[:1].isdigit()):
        return None
    # (in braces, what stands between a value and the next key is a comma: one character, and no space)
    if cle.start_mark.line != valeur.end_mark.line or cle.start_mark.column != valeur.end_mark.column + 1:
        return None
    return f"{valeur.value},{cle.value}"


_STRAY_KEY = re.compile(r"[ \t]*(?:- +)?[A-Za-z_][\w-]*:(?:[ \t]|$)|[ \t]+- ")


def stray_separator_line(text: str, match: re.Match) -> int | None:
    """Line of a `---` that closed the header too early: the text after it still reads as header keys
    (`actions:`, `  - titre: …`) and a later `---` line closes them."""
    rest = text[match.end():]
    first = next((line for line in rest.split("\n") if line.strip()), "")
    if not _STRAY_KEY.match(first) or not re.search(r"^---[ \t]*\r?$", rest, re.M):
        return None
    return text[: match.end()].rstrip("\n").count("\n") + 1


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
