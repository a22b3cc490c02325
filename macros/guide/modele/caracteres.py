"""The characters a fiche may hold, and the identity of the names it gives: one policy, applied at load time
to every key, every value at any depth and the text of the fiche.

- Text is Unicode NFC (accents composed), so that equal-looking names are equal strings.
- Refused wherever they come from (typed, pasted or written as a YAML escape such as « \\x9b » or « \\u202e »):
  control characters other than tabulation and line break (C0, DEL, C1), format characters (bidirectional
  overrides and isolates, left-to-right and right-to-left marks, zero-width spaces and joiners, soft hyphens),
  lone surrogates, private-use and unassigned code points (the noncharacters U+FDD0–U+FDEF and U+xFFFE/U+xFFFF
  among them), and the Unicode line and paragraph separators. That is, by Unicode general category: every
  « Other » (Cc, Cf, Cs, Co, Cn) and Zl, Zp; and the letters that show nothing (default-ignorable code points,
  the blank Braille pattern); the letters of scripts written right to left (bidirectional classes R and AL); the
  marks drawn across, around, under or over a letter (combining class « Overlay »,
  enclosing marks, combining lines), the object and
  replacement characters U+FFFC and U+FFFD. None of them is needed to write French; each can make a name look like
  another, strike a figure out, reorder the text around it, or break a title, a CSV cell or a page.
- A name (nom, alias, titre) may not mix scripts within one word (« Alençоn » with a Cyrillic « о »), and two
  territories may not have names with the same confusable skeleton (Unicode TR39).

Scripts and skeletons come from ICU (PyICU): Python's `unicodedata` has neither the Script property nor the
TR39 confusables data, and a hand-made table of look-alikes would always miss some.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import icu

# Categories refused in any text of a fiche (see the module docstring); tab and line feed are the two
# controls a text may hold (a long text written with « >- » or « | » keeps its line breaks).
CATEGORIES_REFUSEES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
_PERMIS = {"\t", "\n"}
# ASCII texts (most keys and many values) are checked with one search.
CONTROLE_ASCII = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

_NOMS = {
    "\u202a": "un début d'incorporation gauche-à-droite (U+202A)",
    "\u202b": "un début d'incorporation droite-à-gauche (U+202B)",
    "\u202c": "une fin de mise en forme bidirectionnelle (U+202C)",
    "\u202d": "un forçage gauche-à-droite (U+202D)",
    "\u202e": "un forçage droite-à-gauche (U+202E), qui retourne le texte affiché après lui",
    "\u2066": "un isolat gauche-à-droite (U+2066)",
    "\u2067": "un isolat droite-à-gauche (U+2067)",
    "\u2068": "un isolat de direction (U+2068)",
    "\u2069": "une fin d'isolat (U+2069)",
    "\u200e": "une marque gauche-à-droite invisible (U+200E)",
    "\u200f": "une marque droite-à-gauche invisible (U+200F)",
    "\u061c": "une marque de lettre arabe invisible (U+061C)",
    "\u200b": "une espace de largeur nulle (U+200B)",
    "\u200c": "un antiliant sans chasse (U+200C)",
    "\u200d": "un liant sans chasse (U+200D)",
    "\u2060": "un gluon de mots invisible (U+2060)",
    "\ufeff": "une marque d'ordre des octets (U+FEFF) au milieu du texte",
    "\u00ad": "un trait d'union conditionnel invisible (U+00AD)",
    "\x0b": "un saut de ligne de traitement de texte (Maj+Entrée dans Word)",
    "\x0c": "un saut de page",
    "\r": "un retour chariot seul (U+000D)",
    "\x85": "un saut de ligne copié d'un document (U+0085)",
    "\u2028": "un séparateur de ligne copié d'une page web (U+2028)",
    "\u2029": "un séparateur de paragraphe copié d'une page web (U+2029)",
}


# Combining marks in a row on one letter, at most; what caractere_refuse returns for a longer run.
EMPILEMENT_MAX = 3
EMPILEMENT = "\x00empilement"


def decrire(char: str) -> str:
    """A refused character in words, with its code (never the character itself, which may be invisible)."""
    if char == EMPILEMENT:
        return f"plus de {EMPILEMENT_MAX} accents ou signes diacritiques empilés sur une même lettre"
    if char in _NOMS:
        return _NOMS[char]
    code = ord(char)
    category = unicodedata.category(char)
    if category == "Cs":
        return f"une moitié de caractère isolée (substitut UTF-16 U+{code:04X}), qui n'est pas un caractère"
    if category == "Cn" and (0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE):
        return f"un non-caractère Unicode (U+{code:04X})"
    if category == "Cn":
        return f"un code Unicode non attribué (U+{code:04X})"
    if category == "Co":
        return f"un caractère à usage privé (U+{code:04X}), qui s'affiche comme un carré vide"
    if category == "Cf":
        return f"un caractère de mise en forme invisible (U+{code:04X})"
    if char == "\ufffc":
        return "un objet copié d'un traitement de texte (U+FFFC), qui s'affiche comme un carré"
    if char == "\ufffd":
        return ("un caractère de remplacement (U+FFFD, un losange avec un point d'interrogation) : le texte a été mal "
                "converti en le copiant ; retapez les lettres accentuées qu'il remplace")
    if char in LIGATURES:
        lettres = unicodedata.normalize("NFKC", char)
        return (f"une ligature copiée d'un PDF (U+{code:04X}, les lettres « {lettres} » en un seul caractère), que la "
                f"recherche ne lit pas comme « {lettres} » : tapez les lettres une à une")
    if unicodedata.combining(char) == SUPERPOSE:
        return f"un trait superposé à la lettre qui précède (U+{code:04X}), qui barre ou raye le texte affiché"
    if _trace(char):
        return (f"un signe tracé autour, sous ou sur la lettre qui précède (U+{code:04X}), qui encadre, souligne ou "
                "surligne le texte affiché")
    if _blanc(char):
        return f"un caractère qui s'affiche vide (U+{code:04X})"
    if unicodedata.bidirectional(char) in DROITE_A_GAUCHE:
        return (f"une lettre d'une écriture de droite à gauche (U+{code:04X}, {_ECRITURES.get(icu.Script.getScript(char).getName(), 'hébreu, arabe…')}), "
                "qui réordonne à l'affichage le texte et les chiffres qui l'entourent (un nom s'écrit en lettres "
                "latines, comme la publication l'imprime)")
    return f"un caractère de contrôle invisible (U+{code:04X})"


# Letters that show nothing: Unicode's default-ignorable code points (Hangul fillers « ㅤ », Khmer inherent vowels…,
# which are letters, not format characters) and the blank Braille pattern, drawn as a space. A title or a résumé of
# them passed as text and was published as an empty action (attacker QA). ICU has the property (see above).
BRAILLE_VIDE = "\u2800"


# Marks drawn across the letter they follow (Unicode's canonical combining class 1, « Overlay »: U+0334–U+0338, U+20D2…):
# they strike a figure out or slash it through (« 4̶5̶ ̶0̶0̶0̶ », attacker QA), which no French text needs.
SUPERPOSE = 1
# What stands for something lost: an object of a word processor (U+FFFC, drawn as a box « OBJ ») and the replacement
# character (U+FFFD, « � »), left by a text read in the wrong encoding.
REMPLACEMENTS = {"\ufffc", "\ufffd"}


# The Latin ligatures of Unicode's presentation forms (« ﬁ », « ﬂ »…, U+FB00–U+FB06), which a text copied from a PDF
# keeps: published as typed, « ﬁnancements » was a word no search for « financements » found (editor QA).
LIGATURES = frozenset(chr(c) for c in range(0xFB00, 0xFB07))


# Letters written right to left (Unicode's bidirectional classes R and AL: Hebrew, Arabic, Syriac, Thaana, N'Ko…):
# without any control character, one of them reorders the guide's own text and figures around it on a French page
# (« Subvention שלום » before « (2021) : 25 000 € » showed « ¹(2021) € 25 000 : שלום »; attacker QA). The publications
# the guide draws on are French: a name is written in Latin letters, as the publication prints it.
DROITE_A_GAUCHE = {"R", "AL"}


def _trace(c: str) -> bool:
    """A mark that draws over the text rather than accents a letter: across it (SUPERPOSE), around it (enclosing marks,
    Me: « 4⃠5⃠ » showed as boxes), or as a line under or over it (« COMBINING LOW LINE »…: plain text looked like a
    link, attacker QA)."""
    if not unicodedata.combining(c) and unicodedata.category(c) != "Me":
        return False
    return (unicodedata.combining(c) == SUPERPOSE or unicodedata.category(c) == "Me"
            or " LINE" in unicodedata.name(c, ""))


def _blanc(c: str) -> bool:
    return c == BRAILLE_VIDE or icu.Char.hasBinaryProperty(c, icu.UProperty.DEFAULT_IGNORABLE_CODE_POINT)


def caractere_refuse(text: str) -> tuple[int, str] | None:
    """(index, character) of the first character of `text` the policy refuses, or None."""
    if text.isascii():
        found = CONTROLE_ASCII.search(text)
        return (found.start(), found.group(0)) if found else None
    # The distinct characters first (a French text has a handful beyond ASCII), each looked up once; the text
    # itself is walked only when one is refused, for its position.
    distincts = {c for c in set(text) if (c < " " or c >= "\x7f") and c not in _PERMIS}
    refused = {c for c in distincts if unicodedata.category(c) in CATEGORIES_REFUSEES or _blanc(c)
               or c in REMPLACEMENTS or c in LIGATURES or _trace(c)
               or unicodedata.bidirectional(c) in DROITE_A_GAUCHE}
    # Accents stacked on one letter beyond what a language writes (Vietnamese, the most, stacks two): 900 of them
    # rose over the glossary's rows above (attacker QA). A run of more is refused at its first mark.
    marques = [c for c in distincts if unicodedata.category(c) in ("Mn", "Me")]
    pile = marques and re.search("[" + "".join(re.escape(c) for c in marques) + "]{%d,}" % (EMPILEMENT_MAX + 1), text)
    trouves = [(text.index(c), c) for c in refused] + ([(pile.start(), EMPILEMENT)] if pile else [])
    return min(trouves) if trouves else None


def visible(text: str) -> str:
    """`text` with each refused character written as its code (« note<U+202E> »), to name a key that holds one."""
    return "".join(f"<U+{ord(c):04X}>" if caractere_refuse(c) else c for c in text)


def nfc(text: str) -> str:
    """`text` in Unicode NFC (accents composed)."""
    return text if text.isascii() or unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


# --- Names: scripts within a word, confusable skeletons (Unicode TR39) ---------------------------------------

# Scripts that do not make a word mixed: punctuation, digits, spaces (Common) and combining marks (Inherited).
_SANS_ECRITURE = {icu.UScriptCode.COMMON, icu.UScriptCode.INHERITED, icu.UScriptCode.UNKNOWN}
_MOT = re.compile(r"[^\s\-'’.,/()]+")


_ECRITURES = {"Latin": "latin", "Cyrillic": "cyrillique", "Greek": "grec", "Armenian": "arménien",
              "Cherokee": "cherokee", "Hebrew": "hébreu", "Arabic": "arabe", "Georgian": "géorgien",
              "Coptic": "copte", "Han": "chinois"}


# Keys whose text names something (a territory, a champ, an action, a person): one script per word.
CLES_NOMS = {"nom", "alias", "titre", "titre_court", "titre_2019"}


def ecritures_melangees(name: str) -> tuple[str, list[str]] | None:
    """(word, [script names]) of the first word of `name` written in more than one script, or None."""
    if name.isascii() or max(name) < "\u0250":  # ASCII, Latin-1 and Latin Extended-A and B: Latin or no script
        return None
    for word in _MOT.findall(name):
        scripts = {}
        for char in word:
            script = icu.Script.getScript(char)
            if script.getScriptCode() not in _SANS_ECRITURE:
                scripts.setdefault(script.getScriptCode(), _ECRITURES.get(script.getName(), script.getName()))
        if len(scripts) > 1:
            return word, sorted(scripts.values())
    return None


@lru_cache(maxsize=1)
def _spoof_checker():
    return icu.SpoofChecker()


def squelette_tr39(texte: str) -> str:
    """`texte`'s confusable skeleton as Unicode's TR39 gives it: what it reads as to the eye (« ꓸ » → « . »)."""
    return _spoof_checker().getSkeleton(0, texte)


@lru_cache(maxsize=1 << 16)  # every name and alias compared at each build of `mkdocs serve`: computed once each
def squelette(name: str) -> str:
    """The TR39 confusable skeleton of a name, case, accents and punctuation aside: two names with the same
    skeleton read the same to the eye (« Alençon » and « Аlençon » with a Cyrillic « А », or « Ａlençon »)."""
    # NFKC first: full-width and mathematical letters (« Ａ », « 𝐀 ») are compatibility forms of ASCII ones.
    # The skeleton before the case is folded: TR39's data is written for each case (Greek « Β » reads as « B »,
    # while its lower case « β » reads as « ß »).
    skeleton = squelette_tr39(unicodedata.normalize("NFKC", name)).casefold()
    # Accents and punctuation aside, as the validator's existing same-name check does.
    folded = "".join(c for c in unicodedata.normalize("NFD", skeleton) if not unicodedata.combining(c)).casefold()
    return " ".join(re.findall(r"\w+", folded))


@lru_cache(maxsize=1)
def langues_iso() -> frozenset:
    """The two-letter language codes of ISO 639-1 (« en », « de », « br »…), as ICU lists them: a page marks a
    text `lang="xx"` only for a language a screen reader may know (attacker QA: « xx » and « zz » were
    published)."""
    return frozenset(code for code in icu.Locale.getISOLanguages() if len(code) == 2)
