"""Numbers read as the editor meant them (issue 24).

YAML 1.1, which PyYAML implements, reads a plain `45.000` as 45.0 (the French thousands dot taken for a
decimal point), `045000` as an octal 18944, `1_000` as 1000, `9:30` as 570 (base 60) and `0x1F` as 31: each
would be published silently as another figure. The value YAML built cannot tell, so the loader hands the
scalar's source text (PyYAML's node keeps it as written) to `nombre_ecrit_ambigu`, which refuses every form
a French editor would not mean as YAML reads it, with the value to write instead.

Text in a number key (« 45 000 », « 3 M€ », « 45 000 hab. » beside `unite: habitants`) is checked after the
schema, by `texte_a_la_place_d_un_nombre`, walking the data with its schema so that it knows, for each
block, whether a `unite` key exists there and which unit the page adds after the figure.
"""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
NUMBER_TAGS = frozenset({INT_TAG, FLOAT_TAG})

# The unit a page prints around a figure of these keys (macros/templates/territoire.md.j2, and « p. » before a
# citation's page in _commun.md.j2): written again
# inside the value, it would be printed twice, or the figure would stay text.
UNITE_AJOUTEE = {"montant": "€", "part_emplois": "%", "part_etablissements": "%", "page": "p."}
# Counts whose label says what they count (« Emplois », « Établissements », the panorama's columns): the label's own
# words after the figure repeat it (« 7500 salariés » under « Emplois »); another word (« ETP », « employeurs »)
# says something else, and stays with the figure, as text.
COMPTES_SANS_UNITE = {"emplois": {"emplois", "emploi", "salaries", "salariees", "salarie", "salariee"},
                      "etablissements": {"etablissements", "etablissement"}}

# How a French text writes an amount in euros (folded by `_pli_euros`), and by how much each multiplies it.
_EUROS = {
    **dict.fromkeys(["eur", "euro", "euros"], 1),
    # « 600K », « 2,6 M »: in an amount, K and M can only be thousands and millions of euros
    **dict.fromkeys(["k", "keur", "milliersd'euros", "millierd'euros"], 1_000),
    **dict.fromkeys(["m", "meur", "md'euros", "meuros", "milliond'euros", "millionsd'euros", "millioneur", "millionseur",
                     "millions", "million"], 1_000_000),
    **dict.fromkeys(["mdeur", "mdseur", "mdd'euros", "milliardd'euros", "milliardsd'euros", "milliardeur",
                     "milliardseur", "milliards", "milliard"], 1_000_000_000),
}


def _pli_euros(text: str) -> str:
    """« M€ », « M € », « millions d’euros » → « meur », « meur », « millionsd'euros »."""
    return re.sub(r"\s+", "", text.lower().replace("€", "eur").replace("’", "'")).rstrip(".")


_ESPACES = "[ \u00a0\u202f]"
# A figure as a French text writes it: « 45 000 », « 45.000 » (thousands dot), « 12,5 », « 045000 ».
# (and « 1,000,000 », thousands as English writes them, read whole: « 1,000 » and a « ,000 habitants » gave two answers)
# (and « 5,000.50 », commas grouping thousands before a decimal point, read whole: verifier QA)
_CHIFFRE_FR = (rf"[+-]?\d{{1,3}}(?:{_ESPACES}\d{{3}})+(?:,\d+)?|[+-]?\d{{1,3}}(?:\.\d{{3}})+(?:,\d+)?|"
               rf"[+-]?\d{{1,3}}(?:,\d{{3}})+\.\d+|[+-]?\d{{1,3}}(?:,\d{{3}}){{2,}}|[+-]?\d+(?:[.,]\d+)?")
_CHIFFRE_SEUL = re.compile(rf"\A(?:{_CHIFFRE_FR})\Z")
_CHIFFRE_ET_UNITE = re.compile(rf"\A({_CHIFFRE_FR}){_ESPACES}*([^\d\s].*)\Z", re.S)


# A decimal written as a French thousands group (« 21.785 »): refused by nombre_ecrit_ambigu, which cannot tell it from
# 21 785. Such a decimal is written with one zero more (« 21.7850 »), which no French text writes for thousands.
DECIMALE_COMME_MILLIERS = re.compile(r"[+-]?[1-9]\d{0,2}\.\d{3}")


def ecrire(value: Decimal) -> str:
    """A number as YAML should hold it: digits, a point for decimals, no useless zero (45000, 12.5), but the zero
    that tells a decimal from thousands (21.7850, see DECIMALE_COMME_MILLIERS: « écrivez valeur: 21.785 » was refused
    again, editor QA)."""
    text = _chiffres(value)
    return text + "0" if DECIMALE_COMME_MILLIERS.fullmatch(text) else text


def _chiffres(value: Decimal) -> str:
    text = format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def valeur_francaise(text: str) -> Decimal | None:
    """What a French reader means by a figure written as text: « 45 000 » and « 45.000 » are 45000,
    « 1,5 » is 1.5, « 045000 » is 45000. None when `text` is not a figure alone."""
    text = text.strip()
    if not _CHIFFRE_SEUL.match(text):
        return None
    text = re.sub(_ESPACES, "", text)
    if re.fullmatch(r"[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?", text):
        text = text.replace(".", "")  # the dot of « 45.000 » groups thousands, as in print
    elif re.fullmatch(r"[+-]?\d{1,3}(?:,\d{3}){2,}", text):
        text = text.replace(",", "")  # two commas or more only group thousands
    elif re.fullmatch(r"[+-]?\d{1,3}(?:,\d{3})+\.\d+", text):
        text = text.replace(",", "")  # commas that group thousands before a decimal point (« 5,000.50 »: verifier QA)
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None


@lru_cache(maxsize=None)
def _schemas_des_cles() -> dict:
    """Every key of the schemas → the schemas it has anywhere (a key may stand in several blocks)."""
    from guide.modele.schemas import schema_documents, suivre_ref

    out: dict = {}
    documents = schema_documents()

    def walk(node, base, seen):
        node, base, _ = suivre_ref(node, base, documents, fusionner=False)
        if not isinstance(node, dict) or id(node) in seen:
            return
        seen.add(id(node))
        for key, prop in node.get("properties", {}).items():
            target, pbase, _ = suivre_ref(prop, base, documents, fusionner=False)
            out.setdefault(key, []).append(target if isinstance(target, dict) else {})
            walk(target, pbase, seen)
        for key in ("items", "additionalProperties", "then", "if"):
            if isinstance(node.get(key), dict):
                walk(node[key], base, seen)
        for sub in node.get("$defs", {}).values():
            walk(sub, base, seen)

    for name, document in documents.items():
        walk(document, name, set())
    return out


@lru_cache(maxsize=None)
def types_des_cles() -> dict:
    """Every key of the schemas → the JSON types it may take anywhere (a union over the schemas)."""
    out: dict = {}
    for key, schemas in _schemas_des_cles().items():
        for schema in schemas:
            types = schema.get("type", [])
            out.setdefault(key, set()).update([types] if isinstance(types, str) else types)
    return out


def forme_refusee(key: str, texte: str) -> str | None:
    """The description of the form `key` takes (its schema's), when `texte` has none of its patterns; else None."""
    schemas = [s for s in _schemas_des_cles().get(key, []) if isinstance(s.get("pattern"), str)]
    if not schemas or any(re.search(s["pattern"], texte) for s in schemas):
        return None
    return next((s["description"] for s in schemas if s.get("description")), "voir la page « Modèle des fiches »")


def _lu(texte: str, tag: str) -> str:
    """What YAML 1.1 made of a plain number, as a French text: « 555 » for 01053."""
    import yaml
    try:
        value = yaml.safe_load(texte)
    except yaml.YAMLError:
        return texte
    return str(value).replace(".", ",") if isinstance(value, (int, float)) else texte


def _cle_texte(key) -> bool:
    """A key whose value is text only (a code INSEE, a SIREN, a title): a number there needs quotes."""
    types = types_des_cles().get(key, set())
    return bool(types) and not types & {"integer", "number"}


def nombre_attendu(key) -> bool:
    """Whether `key` takes a number: a number YAML misread there is still a number for the checks that follow."""
    return not (isinstance(key, str) and _cle_texte(key))


def nombre_ecrit_ambigu(ecrit: str, tag: str, key) -> str | None:
    """Why a plain scalar that YAML read as a number is not the number the editor wrote, with what to write
    instead; None when YAML reads it as meant (12000, 12.5, -3). `ecrit` is the scalar's source text."""
    texte = ecrit.strip()
    cle = key if isinstance(key, str) else "valeur"
    if isinstance(key, str) and _cle_texte(key) and "string" not in types_des_cles().get(key, set()):
        # A list or a block where a figure was typed (« population: 89000 »): told to quote it, the editor met a
        # second error, « attendu une liste » (editor QA). The schema's own message says what the key holds.
        return None
    if isinstance(key, str) and _cle_texte(key) and (forme := forme_refusee(key, texte)):
        # Quoted, it would be refused again, for its form (editor QA: « mis_a_jour: 2021 » was told to write
        # « "2021" », then « format incorrect »): the form the key takes.
        return f"« {texte} » n'a pas la forme que « {cle} » attend : {forme}"
    if isinstance(key, str) and _cle_texte(key):
        # A code or a text that YAML took for a number: quoted, it is kept as written (« 01053 », « 9:30 »).
        zeros = " et garder son zéro initial" if texte.lstrip("+-").startswith("0") else ""
        return (f"« {texte} » serait lu comme un nombre ({_lu(texte, tag)}), or « {cle} » attend un texte : "
                f"pour le garder tel quel{zeros}, écrivez-le entre guillemets, {cle}: \"{texte}\".")
    sans_signe = texte.lstrip("+-")
    if ":" in texte:
        return (f"« {texte} » : YAML lit un nombre à deux-points en base 60 (comme des heures), ce serait un autre "
                f"nombre. Pour ce texte, écrivez {cle}: \"{texte}\" (entre guillemets).")
    if sans_signe[:2].lower() in ("0x", "0o", "0b"):
        return (f"« {texte} » : écriture hexadécimale, octale ou binaire. Écrivez le nombre en chiffres décimaux, "
                f"ou, pour un code, entre guillemets : {cle}: \"{texte}\".")
    if sans_signe.lower().lstrip(".") in ("inf", "nan"):
        return None  # the loader's policy refuses every non-finite number, with its own message (load.py)
    if "_" in texte:
        chiffres = texte.replace("_", "")
        return f"« {texte} » : écrivez {cle}: {chiffres} (chiffres sans séparateur)."
    if "e" in texte.lower():
        try:
            return f"« {texte} » : écrivez le nombre en entier, {cle}: {ecrire(Decimal(texte))}."
        except InvalidOperation:
            return None
    if tag == INT_TAG and re.fullmatch(r"0\d+", sans_signe):
        decimal = texte[0] * (texte[0] in "+-") + sans_signe.lstrip("0")
        return (f"« {texte} » commence par un zéro : YAML le lirait en base 8 ({_lu(texte, tag)}), pas comme "
                f"{decimal.lstrip('+')} : écrivez {cle}: {decimal.lstrip('+')}.")
    # (not « 0.045 »: no thousands begin with a zero; editor QA: « écrivez part_emplois: 0045 », refused next)
    if tag == FLOAT_TAG and DECIMALE_COMME_MILLIERS.fullmatch(sans_signe):
        return _milliers_ou_decimales(texte, cle)
    return None


def _deux_lectures(chiffre: str) -> tuple[Decimal, Decimal] | None:
    """(thousands, decimal) for a figure whose one separator, before three digits, may be either (« 1,500 »,
    « 21.785 »); None for any other. Three zeros are thousands: nobody writes 1 as « 1,000 »."""
    if not re.fullmatch(r"[+-]?[1-9]\d{0,2}[.,]\d{3}", chiffre) or chiffre.endswith("000"):
        return None
    return Decimal(re.sub(r"[.,]", "", chiffre)), Decimal(chiffre.replace(",", "."))


def _milliers_ou_decimales(texte: str, cle: str) -> str:
    """« 21.785 »: thousands (21 785) as a French text writes them, or a decimal as YAML reads it; « 21,785 »: a decimal
    as French writes it, or thousands as English does. Both readings, each with what to write (the decimal with the
    zero that tells it apart, see `ecrire`)."""
    virgule = "," in texte
    milliers = texte.replace("," if virgule else ".", "").lstrip("+")
    valeur = Decimal(texte.replace(",", "."))
    decimal, lu = ecrire(valeur), _chiffres(valeur)
    # A key that takes one of the readings only: a share, at most 100 (« part_emplois: 12500 » was advised, then
    # refused), a page or a year, whole numbers (« page: 1.5 » the same; verifier QA).
    if UNITE_AJOUTEE.get(cle) == "%":
        return (f"« {texte} » : {'la virgule' if virgule else 'le point'} sépare les décimales d'une part en "
                f"pourcentage : écrivez {cle}: {decimal}.")
    if UNITE_AJOUTEE.get(cle) == "p." or cle == "annee":
        return f"« {texte} » : {'cette virgule sépare' if virgule else 'ce point sépare'} les milliers ; écrivez {cle}: {milliers}."
    pourquoi = (f" (le zéro final dit que le point sépare les décimales ; le site affiche {lu.replace('.', ',')})"
                if decimal != lu else "")
    lecture = "en français la virgule sépare les décimales" if virgule else "en YAML le point sépare les décimales"
    return (f"« {texte} » : {lecture}, ce serait {lu.replace('.', ',')}. "
            f"Si {'elle' if virgule else 'le point'} sépare les milliers, écrivez {cle}: {milliers} ; si c'est bien un "
            f"nombre décimal, écrivez {cle}: {decimal}{pourquoi}.")


def _pli(text: str) -> str:
    """Lower case, without accents or final dots: « Hab. » → « hab », « km² » → « km2 »."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip().rstrip(".").strip()


def _meme_unite(ecrite: str, unite: str) -> bool:
    """« hab. », « hab », « habitants » are all `unite: habitants` (an abbreviation is the start of the word)."""
    a, b = _pli(ecrite), _pli(unite)
    return bool(a) and (a == b or (b.startswith(a) and len(a) >= 2) or a.rstrip("s") == b.rstrip("s"))


def texte_a_la_place_d_un_nombre(cle: str, text: str, bloc: dict, bloc_a_une_unite: bool) -> str | None:
    """Why the text `text` of the number key `cle` must be written as a number, and how; None when it is
    text the page should print as written (« près de 12 000 », « 13 % de l'emploi salarié privé »)."""
    ecrit = text.strip()
    prefixe = re.match(r"(?i)(?:pages?|pp?)\.?\s*(\d.*)\Z", ecrit) if UNITE_AJOUTEE.get(cle) == "p." else None
    if prefixe:
        numero = prefixe.group(1).strip()
        numero = numero if re.fullmatch(r"\d+", numero) else f'"{numero}"'
        return f"« {ecrit} » : le site écrit lui-même « p. » devant le numéro ; écrivez {cle}: {numero}."
    # What Word or a Mac types for "…" (YAML keeps them: the note printed « p. “58-63” »), and straight quotes typed
    # in the form's box, which writes them into the value (« p. "14-15" »: editor QA): the number without them.
    # Quotes around the number (what Word or a Mac types for "…": YAML keeps them, the note printed « p. “58-63” »),
    # inside it or on one side only (« 14-15” »: verifier QA) are printed with it. Read with string methods, not a
    # pattern with two « \s* » around a lazy group: that one backtracked cubically (2,000 spaces: 13 s; attacker QA).
    if UNITE_AJOUTEE.get(cle) == "p." and re.search(r"[“”„«»\"]", ecrit) or (
            UNITE_AJOUTEE.get(cle) == "p." and len(ecrit) >= 2 and ecrit[0] in "‘’‚'" and ecrit[-1] in "‘’'"):
        sans = " ".join(re.sub(r"[“”„«»\"‘’‚']", " ", ecrit).split())
        if not sans:
            return f"« {ecrit} » : des guillemets sans numéro ; écrivez le numéro de la page, sans guillemets."
        return (f"« {ecrit} » : ces guillemets seraient imprimés avec le numéro ; écrivez {sans} "
                f'sans guillemets (dans le fichier : {cle}: "{sans}", entre guillemets droits, '
                "ceux de la touche 3).")
    if UNITE_AJOUTEE.get(cle) == "p." and not ecrit.strip():
        # « page: "" » beside a section: the note printed « Étude 2021, p. , « … » » (attacker QA)
        return f"page vide : écrivez le numéro de la page citée ({cle}: 14), ou retirez la clé si la section suffit."
    if UNITE_AJOUTEE.get(cle) == "p.":
        # A range left open (« 58- », « -63 », « 58 et »): the note printed « p. 58- » (editor QA, in the form).
        ouverte = ecrit[:1] in "-–—" or ecrit[-1:] in "-–—" or re.search(r"(?i)\bet\Z|\Aet\b", ecrit)
        seule = " ".join(re.sub(r"(?i)\bet\b|[-–—]", " ", ecrit).split())
        if ouverte and seule:
            return (f"« {ecrit} » : cette plage de pages est ouverte ; écrivez la page seule ({cle}: {seule}) ou la "
                    f'plage entière ({cle}: "58-63", entre guillemets droits).')
        # Printed as typed, these sent a reader nowhere (attacker QA): « p. 63-58 », « p. 58-63-70 », « p. 0 »,
        # « p. １４ » (digits of another script, which no search of the publication finds).
        if any(c.isdigit() and not c.isascii() for c in ecrit):
            return (f"« {ecrit} » : ces chiffres ne sont pas ceux du clavier français ; retapez le numéro "
                    f"({cle}: {''.join(str(int(c)) if c.isdigit() else c for c in ecrit)}).")
        bornes = re.split(r"\s*[-–—]\s*", ecrit)
        if all(b.isdigit() for b in bornes):
            if any(int(b) == 0 for b in bornes):
                return f"« {ecrit} » : une publication n'a pas de page 0 ; écrivez le numéro imprimé sur la page."
            if any(len(b) > 4 for b in bornes):  # (the schema's maximum for a page written as a number, 9999)
                return (f"« {ecrit} » : aucune publication n'a tant de pages ; écrivez le numéro imprimé sur la page "
                        "citée.")
            if len(bornes) > 2:
                return (f"« {ecrit} » : une plage de pages a deux bornes ; écrivez la première et la dernière "
                        f'({cle}: "{bornes[0]}-{bornes[-1]}").')
            if len(bornes) == 2 and int(bornes[0]) > int(bornes[1]):
                return (f"« {ecrit} » : cette plage de pages est à l'envers ; écrivez-la de la première à la dernière "
                        f'({cle}: "{bornes[1]}-{bornes[0]}").')
        return None  # « 14-15 », « "5" », « encadré » are page texts the citation prints as written
    if re.fullmatch(r"[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+", ecrit):  # YAML reads « 1e6 » as text (no dot)
        valeur = Decimal(ecrit.replace(",", "."))
        return (f"« {ecrit} » est une notation scientifique, que le site afficherait telle quelle : écrivez "
                f"{cle}: {ecrire(valeur)} (chiffres sans espace ; le site l'affiche à la française).")
    if re.fullmatch(r"[+-]?[1-9]\d{0,2}(?:,\d{3})+", ecrit):
        # « 45,000 »: a French decimal (45), or thousands as English writes them; « écrivez emplois: 45 » alone published
        # 45 jobs (editor QA). Both readings, as for « 45.000 ».
        if ecrit.count(",") > 1:  # (« 1,000,000 »: only thousands; read as a decimal, it stopped the validator)
            return (f"« {ecrit} » : ces virgules séparent les milliers ; écrivez {cle}: {ecrit.replace(',', '').lstrip('+')} "
                    "(chiffres sans séparateur).")
        return _milliers_ou_decimales(ecrit, cle)
    suffixe = re.fullmatch(rf"([+-]?\d+(?:[.,]\d+)?){_ESPACES}*[kK]", ecrit)
    if suffixe and UNITE_AJOUTEE.get(cle) != "€":  # (an amount's « 600K » has its own message, in euros)
        # « 0.6k » was printed as typed (editor QA): the figure in full (« 2,6 M » of an amount has its own message)
        valeur = Decimal(suffixe.group(1).replace(",", ".")) * 1000
        return f"« {ecrit} » : écrivez le nombre en entier, {cle}: {ecrire(valeur)} (le site l'affiche à la française)."
    approche = re.fullmatch(rf"[~≈]{_ESPACES}*({_CHIFFRE_FR})", ecrit)
    if approche:
        # « ~800 » was printed as typed, a sign the page never writes (editor QA)
        return (f"« {ecrit} » : écrivez {cle}: \"environ {approche.group(1)}\" (entre guillemets : le site l'imprime tel "
                "quel), ou le nombre seul s'il est exact.")
    if DECIMALE_COMME_MILLIERS.fullmatch(ecrit):
        # « "21.785" » in quotes: 21 785 or 21,785, as unquoted (editor QA: « écrivez valeur: 21785 » alone)
        return _milliers_ou_decimales(ecrit, cle)
    seul = valeur_francaise(ecrit)
    if seul is not None and UNITE_AJOUTEE.get(cle) == "€" and seul != seul.to_integral_value() and seul < 1000:
        # « montant: 1,5 » was told « écrivez montant: 1.5 », published « 1,5 € » where the editor meant 1,5 M€ (editor
        # QA): both readings, the site adding « € » to a sum written whole.
        return (f"« {ecrit} » : un montant s'écrit en euros, en chiffres entiers. S'il s'agit de {ecrit} {'millions' if seul >= 2 else 'million'} "
                f"d'euros, écrivez {cle}: {ecrire(seul * 1000000)} ; si c'est bien {ecrit} €, écrivez {cle}: {ecrire(seul)}.")
    if seul is not None:
        return (f"« {ecrit} » est écrit comme un texte : écrivez {cle}: {ecrire(seul)} (chiffres sans espace ni "
                "guillemets, point pour les décimales) ; le site l'affiche à la française (« 12 000 », « 12,5 »).")
    devise = re.fullmatch(rf"(?i)(?:€|eur|euros?){_ESPACES}*(\d.*)", ecrit) if UNITE_AJOUTEE.get(cle) == "€" else None
    if devise:  # « EUR 2600000 », « € 2 600 000 », « €1,2 million », « €5k »
        # Read as the figure with « € » after it, as French writes it: « €5,000 » was answered « écrivez montant: 5 »,
        # « 5,000 € » 5000 (editor QA); « €1,2 million » and « €5k » were published as typed (verifier QA).
        apres = f"{devise.group(1)} €"
        conseil = texte_a_la_place_d_un_nombre(cle, apres, bloc, bloc_a_une_unite)
        if conseil:
            return conseil.replace(f"« {apres} »", f"« {ecrit} »", 1)
    if UNITE_AJOUTEE.get(cle) == "%" and re.search(r"\d\Z", ecrit):
        # « environ 10 »: the site adds « % » after a number only; a text is printed as written.
        return (f"« {ecrit} » : une part écrite en texte est imprimée telle quelle, sans « % » ; écrivez "
                f'{cle}: "{ecrit} %".')
    unite = bloc.get("unite")
    found = _CHIFFRE_ET_UNITE.match(ecrit)
    lectures = _deux_lectures(found.group(1)) if found else None
    if lectures:
        # « 1,000 habitants »: 1 000 as English writes thousands, or 1 as French writes decimals (answered
        # « écrivez valeur: 1 » alone: one inhabitant, editor QA). What to write for each reading, as for the figure
        # written unambiguously.
        reponses = [texte_a_la_place_d_un_nombre(cle, lue + ecrit[found.end(1):], bloc, bloc_a_une_unite)
                    for lue in (ecrire(v) for v in lectures)]
        if all(reponses):
            milliers, decimale = (_chiffres(v).replace(".", ",") for v in lectures)
            return (f"« {found.group(1)} » se lit {milliers} si le séparateur sépare les milliers, {decimale} s'il sépare "
                    f"les décimales. Pour {milliers} : {reponses[0]} Pour {decimale} : {reponses[1]}")
    valeur, unite_ecrite = (valeur_francaise(found.group(1)), found.group(2).strip()) if found else (None, "")
    if found and re.fullmatch(r"[+-]?[1-9]\d{0,2},000", found.group(1)):
        valeur = Decimal(found.group(1).replace(",", ""))  # « 1,000 habitants »: a thousand (see _deux_lectures)
    if bloc_a_une_unite and isinstance(unite, str) and valeur is not None and _meme_unite(unite_ecrite, unite):
        return (f"l'unité est répétée dans la valeur « {ecrit} » (elle serait affichée deux fois) : "
                f"écrivez {cle}: {ecrire(valeur)} et unite: {unite}.")
    if bloc_a_une_unite and isinstance(unite, str):
        # the unit anywhere in a text, not only right after its figure: « environ 5 559 051 hab. », « 656 275
        # hab.656 275 » were printed with « habitants » after them (editor QA)
        redite = next((m for m in re.findall(r"[^\W\d_](?:[^\W\d_]|[²³'’.])*", ecrit)
                       if len(_pli(m)) >= 3 and _meme_unite(m, unite)), None)
        if redite:
            # (the text without it, as written: a figure on each side of it, « 656 275 656 275 », is no one figure)
            sans = " ".join(ecrit.replace(redite, " ").split())
            return (f"l'unité est répétée dans la valeur « {ecrit} » (« {redite} » : elle serait affichée deux fois, "
                    f'« unite: {unite} » l\'ajoute) : écrivez {cle}: "{sans}", ou le nombre seul.')
    if not found or valeur is None:
        return None
    if bloc_a_une_unite and isinstance(unite, str) and re.fullmatch(
            r"(?i)(?:k|m|md|mds|millions?|milliards?)?\s*(?:€|eur|euros?)|%", unite_ecrite):
        # « valeur: 2 M€ » with « unite: habitants » was printed « 2 M€ habitants » (editor QA)
        return (f"« {ecrit} » porte son unité (« {unite_ecrite} »), et le bloc une autre, « {unite} » : la page "
                f"afficherait « {ecrit} {unite} ». Écrivez le nombre seul, {cle}: {ecrire(valeur)}, et son unité dans "
                f"unite, ou, si c'est bien un autre chiffre, donnez-le dans le bloc qui lui correspond.")
    if bloc_a_une_unite and unite is None and re.fullmatch(r"[^\W\d_][\w²³'’.]*(?: [^\W\d_][\w²³'’.]*)?", unite_ecrite):
        return (f"« {ecrit} » : le nombre et son unité vont dans deux clés. Écrivez {cle}: {ecrire(valeur)} "
                f"et, sur la ligne suivante, unite: {unite_ecrite}.")
    if cle in COMPTES_SANS_UNITE and not bloc_a_une_unite and unite_ecrite \
            and set(_pli(unite_ecrite).split()) <= COMPTES_SANS_UNITE[cle]:
        # « emplois: 7500 salariés » was printed « 7500 salariés » under « Emplois », a figure the finder and the open
        # data could not sum (editor QA): the count alone, as its label says what it counts
        return (f"« {ecrit} » : écrivez le nombre seul, {cle}: {ecrire(valeur)} (le site l'affiche à la française sous "
                f"son libellé, qui dit déjà ce qu'il compte).")
    ajoutee = UNITE_AJOUTEE.get(cle)
    if ajoutee == "€":  # « 2600000 €/an », « 2,6 M€ par an », « 3 M€ HT »: the period and the tax are the fiche's words
        unite_ecrite = re.sub(r"(?i)\s*(?:/\s*an|par\s+an|annuels?|HT|TTC)\.?\Z", "", unite_ecrite)
    if ajoutee == "%" and unite_ecrite == "%":
        return f"« {ecrit} » : le site ajoute « % » après ce chiffre ; écrivez {cle}: {ecrire(valeur)}."
    if ajoutee == "€":
        facteur = _EUROS.get(_pli_euros(unite_ecrite))
        if facteur:
            return (f"« {ecrit} » : un montant s'écrit en euros, en chiffres, sans unité (le site ajoute « € » et "
                    f"écrit les millions en toutes lettres) : écrivez {cle}: {ecrire(valeur * facteur)}.")
        if unite_ecrite == "%":
            # « montant: 12 % » was published under the budget as an amount (editor QA): a share is not in euros
            return (f"« {ecrit} » : un montant est une somme en euros, pas une part ; écrivez la somme ({cle}: 1200000), "
                    "ou dites la part dans le libellé ou la note de la ligne.")
    return None

