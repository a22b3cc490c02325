"""Addresses a fiche's links must not take: one its text shows and it does not lead to, one no reader can reach.

A link whose text shows an address it does not lead to: « [https://www.service-public.fr](https://ailleurs.example) ».

A reader trusts the address she reads more than any other word of a link: on a public guide, a text showing a
ministry's address over a link to another site is the shape of phishing (attacker QA). The page never publishes such
a link (fragments.py writes its text alone), and the validator says so to the editor, with this one rule.

What a link's text shows as an address: a web address anywhere in it (with a scheme, « https://… », or « www.… »),
a word of it a host (« service-public.fr », « le portail economie.gouv.fr/aides »: a host in a sentence showed the
address as well, attacker QA), or the whole text a mail address. It leads there when
its destination's host is that host or one under it (« gouv.fr » shown, « www.economie.gouv.fr » reached), « www. »
aside, or when the mail address is the one a « mailto: » link writes to. A text that is the last part of the
destination's path and ends with a file's extension (« rapport.pdf » for « https://…/rapport.pdf ») names the file
the link opens, not a site: « service-public.fr » for « https://evil.example/service-public.fr » shows a site; in a
sentence, a word with a file's extension names a file (« le rapport 2020.pdf »).
The text is read as a reader sees it: full stops that only look like one (« ․ », « ． », « 。 », the Lisu tone mark
« ꓸ »), quotes and punctuation around a host (« « service-public.fr » », « impots.gouv.fr ! ») hid the address it
shows (attacker QA). What looks like the punctuation of an address is Unicode's confusables table (TR39, through
ICU), not a list of ours: a list named « ․ » and missed « ꓸ ».

An address no reader of the published guide can reach (adresse_locale): this computer or a private network, the
preview's « http://127.0.0.1:8000/… » pasted into a fiche. The validator refuses it, in a text and in an address field.
"""
from __future__ import annotations

import ipaddress
import re
import socket
import unicodedata
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from guide.modele.caracteres import squelette_tr39

# The full stops IDNA reads as « . » (UTS #46), beside those NFKC maps to one (« ․ » U+2024, « ﹒ », « ． »); and the
# hyphens a reader takes for « - » that NFKC keeps (« service‐public.fr » with U+2010 passed for another address:
# attacker QA). (Unicode's confusables read the en dash as one too, see _lu: only inside a word shaped as a host.)
_POINTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": ".", "\u2010": "-", "\u2011": "-", "\u2012": "-",
                         "\u2212": "-", "\ufe63": "-", "\uff0d": "-"})
# The punctuation of an address. A character that Unicode's confusables read as some of it is read as it (« ꓸ » U+A4F8
# and « ٠ » U+0660 as « . », « ∕ » as « / », « ˗ » as « - »); letters are not (« œ » reads « oe »: « cœur.fr » is a host
# of its own, which the comparison of hosts tells apart anyway). The middle dot « · » is no full stop to TR39, and
# French writes it inside words (« élu·es »): read as « . », « élu·es » would show the host « élu.es ».
_PONCTUATION_D_ADRESSE = frozenset("./:@-")


@lru_cache(maxsize=4096)
def _lu(caractere: str) -> str:
    """A character of a link's text as a reader reads it in an address (see _PONCTUATION_D_ADRESSE). The dots that
    TR39 reads as a middle dot (« ‧ » U+2027, « ⋅ », « ∙ », « ・ », « ᛫ ») are read as full stops, the middle dot itself
    aside: « impots‧gouv‧fr » showed an address (verifier QA). A combining mark is read as nothing: « ı̇mpots »
    (a dotless i and a dot above) is « impots » to the eye, and the mark kept the word from reading as a host."""
    if unicodedata.category(caractere) == "Mn":
        return ""
    if unicodedata.category(caractere) == "No":  # « impots.gouv.fr² »: a note's mark, not part of the word (NFKC: « 2 »)
        return " "
    squelette = squelette_tr39(caractere)
    if squelette == "·" and caractere != "·":
        return "."
    return squelette if squelette and set(squelette) <= _PONCTUATION_D_ADRESSE else caractere


def _comme_lu(texte: str) -> str:
    """`texte` with its look-alikes of an address's punctuation read as that punctuation, and in NFKC (« ． » is « . »)."""
    if texte.isascii():
        return texte
    # Before NFKC as after it: NFKC writes « ﹘ » as an em dash, which TR39 does not read as « - » (« ﹘ » it does).
    texte = unicodedata.normalize("NFKC", "".join(c if c.isascii() else _lu(c) for c in texte)).translate(_POINTS)
    return "".join(c if c.isascii() else _lu(c) for c in texte)


# Extensions of the files a link may open, whose name its text may give (« rapport.pdf »).
_FICHIERS = {"pdf", "doc", "docx", "odt", "rtf", "txt", "csv", "xls", "xlsx", "ods", "ppt", "pptx", "odp", "zip",
             "html", "htm", "png", "jpg", "jpeg", "svg", "epub", "xml", "json"}
# (a scheme of 32 characters at most: unbounded, « a.a.a.… » was read to its end from each of its letters, a text of
# 10,000 characters a second of the validator, attacker QA)
# (a host ends at a character no host holds, a bar or a comma too: « www.economie.gouv.fr|x » leading there is no other
# address; found by the property test of fragments)
_ADRESSE_WEB = re.compile(r"(?:\b[a-z][a-z0-9+.-]{0,31}://|\bwww\.)([^\s/?#«»()<>\"'|,;]+)", re.I)
# (its last label in ASCII letters: « St.Étienne », a full stop without its space, is no host; verifier QA)
_HOTE_SEUL = re.compile(r"((?:[^\W_][\w-]*\.)+[a-zA-Z]{2,})\.?(?:[/?#:]\S*)?")
_COURRIEL = re.compile(r"(?:mailto:)?([^@\s]+@[^@\s]+\.[^\W\d_]{2,})", re.I)


# A word longer than this is no host (253 characters at most, DNS) with a short path: not read as one.
_HOTE_MAX = 400


def _nu(mot: str) -> str:
    """A word without what surrounds it in a sentence: quotes, brackets, punctuation, arrows, superscripts and other
    symbols (« service-public.fr ↗ », « « impots.gouv.fr » », « impots.gouv.fr² »: verifier QA)."""
    debut, fin = 0, len(mot)
    while debut < fin and unicodedata.category(mot[debut]) not in _BORDS_D_UN_HOTE:
        debut += 1
    while fin > debut and unicodedata.category(mot[fin - 1]) not in _BORDS_D_UN_HOTE and mot[fin - 1] != "/":
        fin -= 1
    return mot[debut:fin]


# What a host starts and ends with: letters and decimal digits (not « ² », a number of another kind).
_BORDS_D_UN_HOTE = {"Lu", "Ll", "Lt", "Lm", "Lo", "Nd"}
# Where a sentence glues a host to another word: an elision (« d’impots.gouv.fr »), a comma (« impots.gouv.fr,ameli.fr »),
# a colon (« Portail:service-public.fr »), a bar, a bracket or a quote. No host holds any of them (a port's colon
# comes after the host, which stays whole); a text without « :// » is read word by word (verifier QA: each of these
# showed an address over a link elsewhere).
_ENTRE_DEUX_MOTS = re.compile(r"[\s,;:|'’ʼ‘«»“”\"()\[\]{}<>]+")


def _hote(texte: str) -> str:
    """A host as compared: lower case, no « user@ », port, final dot or leading « www. », in its ASCII form."""
    hote = texte.rsplit("@", 1)[-1].split(":", 1)[0].lower().rstrip(".")
    hote = hote.removeprefix("www.")
    try:
        return hote.encode("idna").decode("ascii")
    except UnicodeError:  # not a name IDNA can write (too long a label…): compared as written
        return hote


def adresse_montree_ailleurs(texte: str, href: str) -> str | None:
    """The address a link's text `texte` shows when the link (`href`) does not lead there, else None."""
    texte = " ".join(_comme_lu(texte).split())
    if "." not in texte:
        return None
    try:
        parts = urlsplit(href.strip())
    except ValueError:  # « https://[abc »: no address a reader could reach (the validator says so)
        parts = urlsplit("")
    courriel = _COURRIEL.fullmatch(texte)
    if courriel:
        ecrit_a = unquote(parts.path).strip().lower() if parts.scheme.lower() == "mailto" else None
        return None if ecrit_a == courriel.group(1).lower() else courriel.group(1)
    montrees = [m.group(0) for m in _ADRESSE_WEB.finditer(texte)]
    # …and every host the text shows word by word, beside an address written whole (« https://evil.example,impots.gouv.fr »)
    fichier_ouvert = unquote(parts.path).rstrip("/").rsplit("/", 1)[-1].lower()
    mots = texte.split()
    for mot in _ENTRE_DEUX_MOTS.split(texte):
        nu = _nu(mot)
        if len(nu) > _HOTE_MAX or not _HOTE_SEUL.fullmatch(nu):
            continue
        extension = nu.rsplit(".", 1)[-1].lower()
        # the name of the file the link opens; a file named in a sentence (« le rapport 2020.pdf »)
        if extension in _FICHIERS and (nu.lower() == fichier_ouvert or len(mots) > 1):
            continue
        montrees.append(nu)
    if not montrees:
        return None
    destination = _hote(parts.hostname or "") if parts.scheme.lower() in ("http", "https") else ""
    for montree in montrees:
        hote = _ADRESSE_WEB.match(montree)
        hote = _hote(hote.group(1) if hote else _HOTE_SEUL.fullmatch(montree).group(1))
        if not destination or not (destination == hote or destination.endswith("." + hote)):
            return montree
    return None

def comme_un_appel(texte: str) -> bool:
    """Whether a link's text reads as one of the page's note calls: figures alone, with the brackets or stars
    around them (« ³ », « [2] », « (1) »). « Texte[³](https://ailleurs.example/) » passed for a source note of the
    guide leading to another site (attacker QA)."""
    nu = re.sub(r"[\s\[\](){}*†‡]", "", unicodedata.normalize("NFKC", texte))
    return nu.isdigit()


# Names only one machine or one network resolves (RFC 6761, RFC 6762, RFC 8375, and the suffixes home networks use).
_NOMS_LOCAUX = ("localhost", "local", "localdomain", "internal", "intranet", "lan", "home", "home.arpa")


def adresse_locale(hote: str | None) -> bool:
    """Whether a link's host (« urlsplit(…).hostname ») is one no reader of the published guide can reach: this
    computer or a private network. The preview's own address, « http://127.0.0.1:8000/… », pasted by an editor
    into a fiche, was published as a link that fails for every reader (editor QA). An IP address that is not global
    (loopback, private, link-local, shared, reserved) or multicast, in any of the forms a browser reads (« 127.1 »,
    « 0x7f.0.0.1 », « 2130706433 », « %31%30.0.0.1 », « １２７.０.０.１ »), a name of one label (« intranet »), or
    under one of _NOMS_LOCAUX."""
    if not hote:
        return False
    # As a browser reads a host (WHATWG URL: percent-decoded, then mapped by IDNA, whose NFKC turns « １２７ » and
    # « ①②⑦ » into 127 and whose full stops include « 。 »): « http://%31%30.0.0.1/ » reached 10.0.0.1 (attacker QA).
    hote = unicodedata.normalize("NFKC", unquote(hote)).translate(_POINTS).rstrip(".").lower()
    try:
        ip = ipaddress.ip_address(hote)
    except ValueError:
        try:  # the IPv4 forms inet_aton reads as a browser does: « 127.1 », « 0x7f.1 », « 2130706433 »
            ip = ipaddress.ip_address(socket.inet_aton(hote)) if re.fullmatch(r"[0-9a-fx.]+", hote) else None
        except OSError:
            ip = None
    if ip is not None:  # (not global: private, loopback, link-local, shared 100.64/10, reserved…; multicast)
        return not ip.is_global or ip.is_multicast or getattr(ip, "is_site_local", False)
    return "." not in hote or hote.endswith(tuple("." + nom for nom in _NOMS_LOCAUX)) or hote in _NOMS_LOCAUX
