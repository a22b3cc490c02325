"""Official identity of territories: the State's reference data joined to the territory fiches.

The reference is the Code officiel géographique as Etalab publishes it in the npm package
`@etalab/decoupage-administratif` (installed in node_modules/ by ./scripts/servir.sh and ./scripts/tester.sh):
communes with their code INSEE and population, EPCI and EPT with their SIREN and member communes,
départements and régions. It is loaded once per process and per package version.

A fiche gives one key: `code_insee` (commune, département, région), `siren` (EPCI, EPT) or
`code_officiel_absent` (why the reference has no entry). Everything else (official name, département(s),
région, population, member communes) is derived here at build time, never typed in a fiche.

Without node_modules the build stops with a French message: the guide would otherwise publish
territory pages, a finder and a map without their official data and say nothing.
"""
from __future__ import annotations

import difflib
import functools
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from guide.modele.errors import FicheError
from guide.modele.load import Document, _dotted

PAQUET = Path("node_modules") / "@etalab" / "decoupage-administratif"

# The key a fiche type gives, and the reference entries (file, `type` of the entry) it may name.
# EPCI types are the DGCL's: METRO (métropole), MET69 (Métropole de Lyon, a collectivité à statut
# particulier listed with the EPCI), CU, CA, CC; EPT are the établissements publics territoriaux of the MGP.
CLES = {
    "commune": ("code_insee", "communes", {"commune-actuelle"}),
    "departement": ("code_insee", "departements", None),
    "region": ("code_insee", "regions", None),
    "metropole": ("siren", "epci", {"METRO", "MET69"}),
    "communaute-urbaine": ("siren", "epci", {"CU"}),
    "communaute-d-agglomeration": ("siren", "epci", {"CA"}),
    "communaute-de-communes": ("siren", "epci", {"CC"}),
    "etablissement-public-territorial": ("siren", "ept", {"EPT"}),
}
CLES_CODE = ("code_insee", "siren", "code_officiel_absent")


def liste_du_code(cle: str, type_) -> str:
    """The list of the reference an official code belongs to: communes, départements and régions share `code_insee`
    but not their codes' meaning (« 44 » is Loire-Atlantique and, among regions, Grand Est); a SIREN is unique
    nationwide. Two fiches are the same territory when their codes are equal in the same list."""
    return "siren" if cle == "siren" else CLES[type_][1] if _type_connu(type_) else str(type_)


def _type_connu(type_) -> bool:
    """Whether a fiche's `type` is one the reference has a list for. Any value may come from a fiche (« type:
    [commune] » stopped the validator and the build with « unhashable type »: attacker QA); only a string can be."""
    return isinstance(type_, str) and type_ in CLES


def cle_de_code(cle: str, type_, code: str) -> str:
    """« code_insee:communes:44109 »: an official code with the list it belongs to (liste_du_code), as the validator,
    the form and the scaffold tell one territory from another (« 44 » is a département and, among regions, Grand
    Est: by its code alone, the form sent Loire-Atlantique to the Grand Est's fiche)."""
    return f"{cle}:{liste_du_code(cle, type_)}:{code.strip()}"
TYPES_REFERENCE = {"METRO": "métropole", "MET69": "collectivité à statut particulier",
                   "CU": "communauté urbaine", "CA": "communauté d'agglomération", "CC": "communauté de communes",
                   "EPT": "établissement public territorial", "commune-actuelle": "commune"}


ABSENT = (f"le référentiel officiel des territoires ({PAQUET.as_posix()}) n'est pas installé : lancez "
          "./scripts/servir.sh (ou ./scripts/tester.sh), qui installe les paquets npm de package-lock.json.")


class ReferentielAbsent(Exception):
    """node_modules/@etalab/decoupage-administratif is missing: the message says how to install it."""


@dataclass(frozen=True)
class Officiel:
    """What the reference says of one territory (derived at build time).

    cle, code: the fiche's key and value; nom: official name; categorie: the reference's category in French;
    departements: ((code, nom), …) the territory lies in; region: (code, nom) or None when its départements
    span several régions; population: municipal population (sum of the member communes for a group);
    membres: ((code INSEE, nom), …) of an intercommunality, empty otherwise; millesime: the reference's vintage;
    regions: ((code, nom), …) of every région its départements lie in (Grand Avignon: two).
    """

    cle: str
    code: str
    nom: str
    categorie: str
    departements: tuple
    region: tuple | None
    population: int | None
    membres: tuple = ()
    millesime: str = ""
    regions: tuple = ()

    @property
    def source_population(self) -> str:
        """The official population's source in a few words, beside the figure (« INSEE, découpage administratif
        2026 »): the year is the découpage's, the census's is not given (see Referentiel.source)."""
        return f"INSEE, découpage administratif {self.millesime}"


@dataclass
class Referentiel:
    """The reference data of one package version, indexed for the joins of a build."""

    version: str
    millesime: str
    communes: dict        # code INSEE → entry (communes actuelles only)
    departements: dict    # code → entry
    regions: dict         # code → entry
    groupements: dict     # SIREN → entry (EPCI and EPT), with "fichier": "epci" or "ept"
    population_dep: dict  # département code → sum of its communes' populations
    population_reg: dict
    _officiels: dict = field(default_factory=dict, repr=False, compare=False)  # (type, code) → Officiel or None
    _noms: dict = field(default_factory=dict, repr=False, compare=False)  # fiche type → its names' index (par_mot)

    def entrees(self, type_: str) -> dict:
        """The entries a fiche of this type may name (its file of the reference, its kinds of body), by code."""
        _, fichier, types = CLES[type_]
        entries = {"communes": self.communes, "departements": self.departements, "regions": self.regions}.get(fichier)
        if entries is None:
            entries = {c: e for c, e in self.groupements.items() if e["fichier"] == fichier}
        return {c: e for c, e in entries.items() if not types or e.get("type") in types}

    def par_mot(self, type_: str) -> dict:
        """The entries a fiche of this type may name, by each significant word of their name: {word: [(code, entry,
        words)]}, made once. `proposer` read the 35,000 communes' names again for each fiche without a code: at
        2,000 fiches, 17 million foldings, a minute of the build (benchmark)."""
        if type_ not in self._noms:
            index: dict = {}
            for code, entry in self.entrees(type_).items():
                own = mots(entry["nom"])
                for mot in own:
                    index.setdefault(mot, []).append((code, entry, own))
            self._noms[type_] = index
        return self._noms[type_]

    @functools.cached_property
    def verification(self):
        """The check of one fiche against this reference (`verifier`) as a function of the fiche alone, for
        Document.derive: kept with each loaded fiche while the reference is this one."""
        return functools.partial(_verifier_fiche, ref=self)

    @property
    def source(self) -> str:
        """How the guide names the source of an official population (shown beside each figure)."""
        # Named and dated in a reader's words: the package's name meant nothing to an agent (phone QA); its version
        # stays, as the edition of the reference. The year is the découpage's (the package's README), not the INSEE
        # census's, which the package does not give: « INSEE, millésime 2026 » dated the count (open data QA).
        return (f"population municipale (INSEE) du découpage administratif {self.millesime} d'Etalab, "
                f"version {self.version}")

    def entree(self, cle: str, code: str, fichier: str):
        if cle == "siren":
            entry = self.groupements.get(code)
            return entry if entry and entry["fichier"] == fichier else None
        return {"communes": self.communes, "departements": self.departements, "regions": self.regions}[fichier].get(code)

    def officiel(self, data: dict) -> Officiel | None:
        """The official identity of a fiche's data, or None without a code (or with an unknown one).

        Computed once per type and code for the process (the reference does not change within it): the
        validation and the join of each build ask for it, and a group's (member communes sorted by name,
        départements, population summed) costs as much as the rest of its fiche's checks."""
        type_ = data.get("type")
        if not _type_connu(type_):
            return None
        code = data.get(CLES[type_][0])
        if not isinstance(code, str):
            return None
        key = (type_, code)
        if key not in self._officiels:
            self._officiels[key] = self._officiel(type_, code)
        return self._officiels[key]

    def _officiel(self, type_: str, code: str) -> Officiel | None:
        cle, fichier, _ = CLES[type_]
        entry = self.entree(cle, code, fichier)
        if entry is None:
            return None
        if fichier == "communes":
            deps, pop, membres = [entry["departement"]], entry.get("population"), ()
        elif fichier == "departements":
            deps, pop, membres = [entry["code"]], self.population_dep.get(entry["code"]), ()
        elif fichier == "regions":
            deps = sorted(c for c, d in self.departements.items() if d["region"] == entry["code"])
            pop, membres = self.population_reg.get(entry["code"]), ()
        else:
            codes = [m["code"] for m in entry["membres"]]
            deps = sorted({self.communes[c]["departement"] for c in codes if c in self.communes})
            # Sum of the communes' populations (communes.json), as for communes and départements: one
            # population source for every kind of territory (epci.json's own figures come from the DGCL).
            pop = sum(self.communes[c].get("population") or 0 for c in codes if c in self.communes) or None
            membres = tuple(sorted(((m["code"], m["nom"]) for m in entry["membres"]), key=lambda m: _cle_nom(m[1])))
        if fichier == "regions":
            regions = ((entry["code"], entry["nom"]),)
        else:
            regions = tuple((r, self.regions[r]["nom"])
                            for r in sorted({self.departements[d]["region"] for d in deps if d in self.departements}))
        region = regions[0] if len(regions) == 1 else None
        categorie = TYPES_REFERENCE.get(entry.get("type"), {"departements": "département", "regions": "région"}.get(fichier, ""))
        return Officiel(cle, code, entry["nom"], categorie,
                        tuple((d, self.departements[d]["nom"]) for d in deps if d in self.departements),
                        region, pop, membres, self.millesime, regions)


def _cle_nom(nom: str) -> str:
    return unicodedata.normalize("NFKD", nom).encode("ascii", "ignore").decode().lower()


def _lire(dossier: Path, nom: str, champs: frozenset | None = None):
    """A data file of the package; with `champs`, each of its objects keeps only those keys as it is read
    (the whole of communes.json and epci.json, read and then trimmed, raised a build's peak memory)."""
    try:
        text = (dossier / "data" / f"{nom}.json").read_text(encoding="utf-8")
        if champs is None:
            return json.loads(text)
        return json.loads(text, object_pairs_hook=lambda pairs: {k: v for k, v in pairs if k in champs})
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        # A file being written by npm while the first ./scripts/servir.sh installs it (editor QA: the scaffold,
        # run meanwhile, stopped on « JSONDecodeError: Unterminated string »), or damaged.
        raise ReferentielAbsent(f"le référentiel officiel des territoires ({PAQUET.as_posix()}) est incomplet "
                                f"(data/{nom}.json illisible) : si ./scripts/servir.sh l'installe encore, attendez la "
                                "fin de l'installation ; sinon, supprimez node_modules et relancez-le.") from None


# The keys of communes.json and epci.json/ept.json (and of their members) the guide reads.
CHAMPS_COMMUNES = frozenset({"code", "nom", "type", "departement", "region", "population"})
CHAMPS_GROUPEMENTS = frozenset({"code", "nom", "type", "membres"})


def millesime(dossier: Path, version: str) -> str:
    """The vintage (« millésime ») of a package version, as its README's table states it.

    The data files carry no date; the README maps each year to a package version (« | 2026 | 6.0.0 | »).
    """
    for line in (dossier / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and re.fullmatch(r"\d{4}", cells[0]) and cells[1] == version:
            return cells[0]
    raise ReferentielAbsent(f"{dossier / 'README.md'} : le millésime de la version {version} n'y est pas indiqué.")


@functools.lru_cache(maxsize=4)
def _charger(dossier: Path, version: str) -> Referentiel:
    # Only the fields the guide reads are kept: the files carry postcodes, SIREN of members, etc. (60 MB in memory).
    communes = {c["code"]: {k: c.get(k) for k in ("code", "nom", "type", "departement", "region", "population")}
                for c in _lire(dossier, "communes", CHAMPS_COMMUNES) if c["type"] == "commune-actuelle"}
    departements = {d["code"]: d for d in _lire(dossier, "departements")}
    regions = {r["code"]: r for r in _lire(dossier, "regions")}
    groupements = {}
    for fichier in ("epci", "ept"):
        for e in _lire(dossier, fichier, CHAMPS_GROUPEMENTS):
            groupements[e["code"]] = {"code": e["code"], "nom": e["nom"], "type": e["type"], "fichier": fichier,
                                      "membres": [{"code": m["code"], "nom": m["nom"]} for m in e["membres"]]}
    pop_dep: dict = {}
    for c in communes.values():
        pop_dep[c["departement"]] = pop_dep.get(c["departement"], 0) + (c.get("population") or 0)
    pop_reg: dict = {}
    for code, pop in pop_dep.items():
        if code in departements:
            reg = departements[code]["region"]
            pop_reg[reg] = pop_reg.get(reg, 0) + pop
    return Referentiel(version, millesime(dossier, version), communes, departements, regions, groupements,
                       pop_dep, pop_reg)


def charger(root: Path) -> Referentiel:
    """The reference installed in `root`/node_modules, loaded once per process and package version.

    Raises ReferentielAbsent (French message) when the package is not installed.
    """
    dossier = (root / PAQUET).resolve()
    manifeste = dossier / "package.json"
    if not manifeste.exists():
        raise ReferentielAbsent(ABSENT)
    version = json.loads(manifeste.read_text(encoding="utf-8"))["version"]
    return _charger(dossier, version)


# ---------- Names ----------

# Words that say what kind of body a name designates rather than which one: « Ville de Nantes »,
# « Nantes Métropole » and « Nantes » name the same place for the comparison of names.
MOTS_GENERIQUES = {
    "ville", "commune", "metropole", "eurometropole", "communaute", "communautes", "urbaine", "agglomeration",
    "agglomerations", "communes", "ca", "cc", "cu", "region", "departement", "conseil", "departemental",
    "general", "regional", "etablissement", "public", "territorial", "ept", "intercommunale", "de", "du",
    "des", "la", "le", "les", "l", "d", "et", "en", "sur", "grand",
    # a pôle d'équilibre territorial et rural, « PETR du Pays de Retz », is « Pays de Retz » (editor QA: both were
    # published)
    "petr", "pole", "equilibre", "rural",
}


def _mots_plies(nom: str) -> list[str]:
    """The words of a name in order, without accents, case or punctuation, abbreviations written out (« St- »)."""
    text = unicodedata.normalize("NFKD", nom.replace("œ", "oe").replace("Œ", "Oe")).encode("ascii", "ignore").decode()
    return [ABREVIATIONS.get(w, w) for w in re.split(r"[^a-z0-9]+", text.lower()) if w]


def mots(nom: str) -> frozenset:
    """The significant words of a name: no accents, case, punctuation, generic words or acronym in brackets
    (« CA du Grand Avignon (COGA) » → avignon)."""
    return frozenset(mots_significatifs(nom))


def mots_significatifs(nom: str) -> list[str]:
    """The words of `mots`, in the name's order (« CA du Grand Avignon (COGA) » → [avignon])."""
    return [w for w in _mots_plies(re.sub(r"\([^)]*\)", " ", str(nom))) if w not in MOTS_GENERIQUES]


# Words an editor abbreviates where the official reference and the fiches write them out (« Seine St-Denis »,
# « Ste-Foy »): a second fiche of a territory got in under the short form (editor QA).
ABREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def ecrit_autrement(nom: str, officiel: str) -> bool:
    """True when `nom` is the official name typed carelessly: all in small or in capital letters, without its accents,
    or with « St- » (« quimper », « QUIMPER », « Plouzane », « St-Brieuc », « Lannion Tregor communaute »). A spelling
    the publications use (« Grenoble-Alpes Métropole », « Métropole européenne de Lille ») is not, nor another name
    (« Ville de Quimper », as the guide writes a commune's)."""
    if nom == officiel or _mots_plies(nom) != _mots_plies(officiel):
        return False
    accents = sum(not c.isascii() for c in nom) < sum(not c.isascii() for c in officiel)
    abrege = any(w in ABREVIATIONS for w in re.split(r"[^a-z]+", nom.lower()))
    return nom in (nom.lower(), nom.upper()) or accents or abrege


def noms_concordent(noms: list[str], officiel: str) -> bool:
    """True when one of the fiche's names designates the official name.

    The seeds rarely print the official name (« Figeac » for the CC du Grand-Figeac), so the comparison is
    tolerant: the significant words of one name are all among those of the other, or the two share at least
    two of them (« Grand Paris Sud » and « CA Grand Paris Sud Seine Essonne Sénart »).
    """
    ref = mots(officiel)
    for nom in noms:
        own = mots(nom)
        if own and ref and (own <= ref or ref <= own or len(own & ref) >= 2):
            return True
    return False


# ---------- Validation ----------

def verifier(territoires: dict, ref: Referentiel) -> list[FicheError]:
    """Check each territory fiche against the reference: its code exists for its type, its région and its
    name agree with the reference. French messages with file, line and field."""
    errors: list[FicheError] = []
    for doc in territoires.values():
        errors += doc.derive(ref.verification)
    return errors + _deja_dans_le_guide(territoires, ref)


def _deja_dans_le_guide(territoires: dict, ref: Referentiel) -> list[FicheError]:
    """A fiche that gives no official code (a new one: the page says so) whose name the reference finds under the
    code of another fiche: the same territory written a second time (editor QA: « Métropole Européenne de Lille
    (MEL) » was published beside metropole-europeenne-de-lille.md; a code belongs to one fiche, but it had none).
    The reference's best match for its name, type and région, as scripts/nouvelle_fiche.py proposes it."""
    # (a fiche saying the reference lacks it, `code_officiel_absent`, is looked up too: « Rennes (Ille-et-Vilaine) »,
    # « le référentiel ne donne pas ce territoire », was published beside ville-de-rennes.md, attacker QA)
    sans_code = [(slug, doc) for slug, doc in territoires.items()
                 if isinstance(doc.data, dict) and not any(cle in doc.data for cle in ("code_insee", "siren"))]
    if not sans_code:
        return []
    codes = {cle_de_code(cle, doc.data.get("type"), doc.data[cle]): slug for slug, doc in territoires.items()
             if isinstance(doc.data, dict) for cle in ("code_insee", "siren") if isinstance(doc.data.get(cle), str)}
    errors = []
    for slug, doc in sans_code:
        nom, type_, region = (doc.data.get(k) for k in ("nom", "type", "region"))
        if not isinstance(nom, str) or not _type_connu(type_):
            continue
        for cle, code, officiel in proposer(ref, nom, type_, region if isinstance(region, str) else None)[:1]:
            autre = codes.get(cle_de_code(cle, type_, code))
            # A fiche saying why it has no code is taken at its word unless the reference has its very name (its
            # words, brackets aside: « Rennes (Ille-et-Vilaine) » is « Rennes »); a longer name is another body.
            if "code_officiel_absent" in doc.data and mots(officiel) != mots(nom):
                continue
            if autre is not None and autre != slug:
                errors.append(FicheError(doc.rel, f"« {nom} » : le référentiel officiel le trouve sous le nom « {officiel} » "
                                                  f"({cle} {code}), qui est le code de la fiche fiches/territoires/{autre}.md : "
                                                  "complétez celle-ci plutôt que d'en écrire une seconde. S'il s'agit d'un "
                                                  f"autre territoire du même nom, donnez son code officiel ({cle}).",
                                         doc.line_of(("nom",)), "nom"))
            elif "code_officiel_absent" in doc.data:
                # the reference has it, under its very name: its code, not a reason why there is none
                errors.append(FicheError(doc.rel, f"« code_officiel_absent » : le référentiel officiel a « {officiel} » "
                                                  f"({cle} {code}), du même nom et du même type : donnez ce code "
                                                  f"(« {cle}: \"{code}\" ») à la place.",
                                         doc.line_of(("code_officiel_absent",)), "code_officiel_absent"))
        if "code_officiel_absent" in doc.data:
            continue
        # No code at all, where the reference has its very name (in any région): the code, which checks the région,
        # the type and the spelling (editor QA: « Vannes » in « Pays de la Loire » was published, with « la fiche ne
        # donne pas encore de code officiel »).
        memes = [(cle, code, officiel) for cle, code, officiel in proposer(ref, nom, type_) if mots(officiel) == mots(nom)]
        if len(memes) > 1 and isinstance(region, str):
            # homonyms (four « Saint-Benoît »): the one of the fiche's région (editor QA: « St Benoit » was accepted)
            dans_la_region = set(proposer(ref, nom, type_, region))
            ailleurs, memes = memes, [m for m in memes if m in dans_la_region]
            if not memes:
                # …and none there: the région to check, with where they are (verifying QA: accepted in silence)
                ou = ", ".join(f"{_region_de(ref, type_, c, k)} ({c} {k})" for c, k, _ in ailleurs[:4])
                errors.append(FicheError(doc.rel, f"« {nom} » : le référentiel officiel n'a aucun territoire de ce nom en "
                                                  f"{region} ; il en a en {ou} : vérifiez la région, et donnez le code "
                                                  "du territoire.", doc.line_of(("nom",)), "nom"))
                continue
        if not memes:
            # not the reference's name, but near one of its type and région: a typing slip, most likely
            suggestions = proches(ref, nom, type_, region if isinstance(region, str) else None)
            if suggestions:
                cle, code, officiel = suggestions[0]
                autre = codes.get(cle_de_code(cle, type_, code))
                ailleurs = (f"Ce territoire a déjà sa fiche, fiches/territoires/{autre}.md : complétez-la plutôt que "
                            "d'en écrire une seconde." if autre not in (None, slug) else
                            f"Si c'est lui, écrivez nom: {officiel} et {cle}: \"{code}\".")
                autres = "".join(f", « {o} » ({c} {k})" for c, k, o in suggestions[1:])
                errors.append(FicheError(doc.rel, f"« {nom} » : aucun territoire de ce nom dans le référentiel officiel ; "
                                                  f"vouliez-vous dire « {officiel} » ({cle} {code}){autres} ? {ailleurs} "
                                                  "Sinon, dites pourquoi le référentiel ne l'a pas dans "
                                                  "« code_officiel_absent ».",
                                         doc.line_of(("nom",)), "nom"))
        if len(memes) == 1 and codes.get(cle_de_code(memes[0][0], type_, memes[0][1])) in (None, slug):
            cle, code, officiel = memes[0]
            errors.append(FicheError(doc.rel, f"« {nom} » : le référentiel officiel a « {officiel} » ({cle} {code}), du même "
                                              f"nom et du même type : donnez son code (« {cle}: \"{code}\" »), ou "
                                              "« code_officiel_absent » avec la raison s'il s'agit d'un autre territoire.",
                                     doc.line_of(("nom",)), "nom"))
    return errors


def _region_de(ref: Referentiel, type_: str, cle: str, code: str) -> str:
    """The name of the région of a reference entry, « ? » when the reference gives none."""
    officiel = ref.officiel({"type": type_, cle: code})
    return officiel.region[1] if officiel and officiel.region else "?"


def _propriete(nom: str) -> dict:
    """The schema of one field of a fiche territoire (its pattern, its enum): the schema reports bad values."""
    from guide.modele.validate import schema_documents
    return schema_documents()["territoire.schema.yaml"]["properties"][nom]


def _verifier_fiche(doc: Document, ref: Referentiel) -> list[FicheError]:
    data = doc.data if isinstance(doc.data, dict) else {}
    type_ = data.get("type")
    given = [k for k in CLES_CODE if k in data]
    if not given or not all(isinstance(data.get(k), str) for k in ("type", "region", *given)) \
            or type_ not in _propriete("type")["enum"] or data["region"] not in _propriete("region")["enum"]:
        # No code yet (a new fiche: the page says so, scripts/nouvelle_fiche.py finds it), or a value the
        # schema already reports.
        return []

    def err(field, message):
        return FicheError(doc.rel, message, doc.line_of((field,)), field)

    if len(given) > 1:
        return [err(given[1], f"la fiche donne à la fois « {given[0]} » et « {given[1]} » : gardez-en un seul.")]
    cle = given[0]
    if cle == "code_officiel_absent":
        return []
    if type_ not in CLES or CLES[type_][0] != cle:
        attendu = f"« {CLES[type_][0]} »" if type_ in CLES else "« code_officiel_absent » (avec la raison)"
        return [err(cle, f"une fiche de type « {type_} » ne porte pas « {cle} » : indiquez {attendu}.")]
    code = str(data[cle])
    if not re.fullmatch(_propriete(cle)["pattern"], code):
        return []  # the schema already says what the format is
    _, fichier, types = CLES[type_]
    entry = ref.entree(cle, code, fichier)
    if entry is None:
        other = ref.groupements.get(code) if cle == "siren" else ref.communes.get(code) or ref.departements.get(code)
        hint = f" (c'est « {other['nom']} », qui n'est pas de ce type)" if other else ""
        label = "code INSEE" if cle == "code_insee" else "SIREN"
        return [err(cle, f"{label} « {code} » inconnu du référentiel officiel (découpage administratif, millésime "
                         f"{ref.millesime}) pour un territoire de type « {type_} »{hint}.")]
    errors = []
    if types and entry.get("type") not in types:
        errors.append(err("type", f"le référentiel classe « {entry['nom']} » ({code}) comme "
                                  f"{TYPES_REFERENCE.get(entry.get('type'), entry.get('type'))}, pas comme « {type_} »."))
    officiel = ref.officiel(data)
    # A group across régions (Redon Agglomération) agrees with any of its départements' régions.
    regions = {ref.regions[ref.departements[d]["region"]]["nom"] for d, _ in (officiel.departements if officiel else ())}
    if officiel and officiel.region:
        regions = {officiel.region[1]}
    if regions and data.get("region") not in regions:
        errors.append(err("region", f"région « {data.get('region')} » ; le référentiel place « {officiel.nom} » "
                                    f"({code}) en {' et '.join(sorted(regions))}."))
    if officiel and isinstance(data.get("nom"), str) and ecrit_autrement(data["nom"], officiel.nom):
        # published as typed, « quimper » in the page's title and breadcrumb (editor QA)
        errors.append(err("nom", f"« {data['nom']} » : le référentiel officiel écrit ce nom « {officiel.nom} » ({code}) ; "
                                 f"écrivez nom: {officiel.nom}"))
    noms = [data.get("nom")] + [a for a in (data.get("alias") if isinstance(data.get("alias"), list) else [])
                                if isinstance(a, str)]
    if officiel and isinstance(data.get("nom"), str) and not noms_concordent([n for n in noms if isinstance(n, str)],
                                                                                officiel.nom):
        # (A missing or empty name has its own error, from the schema: not compared, nor shown as « None ».)
        errors.append(err("nom", f"le nom « {data.get('nom')} » (ni ses alias) ne correspond pas au nom officiel "
                                 f"« {officiel.nom} » du code {code} : vérifiez le code, ou ajoutez en alias le nom "
                                 "que la source emploie."))
    elif officiel and isinstance(data.get("nom"), str) and "note_nom" not in data \
            and not any(mots(n) == mots(officiel.nom) for n in noms if isinstance(n, str)):
        # Only some words in common, and nothing says why: a name made up or mistaken, that merely holds an official
        # one's (editor QA: « Saint-Testbourg » with the code of « Le Saint », Morbihan, was published with its
        # identity). The guide's fiches named otherwise than the reference say why in note_nom (« Figeac »).
        errors.append(err("nom", f"le nom « {data.get('nom')} » n'est pas le nom officiel « {officiel.nom} » du code "
                                 f"{code}, il n'en a que des mots : vérifiez le code ; s'il s'agit bien de ce territoire, "
                                 f"ajoutez « {officiel.nom} » en alias, ou dites dans note_nom pourquoi la fiche le nomme "
                                 "autrement."))
    return errors + _population_invraisemblable(doc, officiel)


# How far the publications' population may stand from the official one before it is taken for a slip (a figure typed
# in thousands, « 45 » for 45 000, or a zero too many): the guide's own fiches are all within a factor of 1.6.
ECART_DE_POPULATION = 5


def _population_invraisemblable(doc: Document, officiel: Officiel | None) -> list[FicheError]:
    """A population figure five times smaller or larger than the reference's, with nothing that says why (`perimetre`,
    `note`): « valeur: 45 » was published « 45 habitants » beside « Population officielle : 44 364 » (editor QA)."""
    identite = doc.data.get("identite") if isinstance(doc.data, dict) else None
    populations = identite.get("population") if isinstance(identite, dict) else None
    if not officiel or not officiel.population or not isinstance(populations, list):
        return []
    errors = []
    for i, mesure in enumerate(populations):
        valeur = mesure.get("valeur") if isinstance(mesure, dict) else None
        if type(valeur) not in (int, float) or any(k in mesure for k in ("perimetre", "note")):
            continue
        if valeur * ECART_DE_POPULATION >= officiel.population and valeur <= officiel.population * ECART_DE_POPULATION:
            continue
        path = ("identite", "population", i, "valeur")
        errors.append(FicheError(doc.rel, f"population « {_chiffre(valeur)} », quand le référentiel officiel compte "
                                          f"{_chiffre(officiel.population)} habitants à « {officiel.nom} » "
                                          f"({officiel.source_population}) : tapez le nombre d'habitants en entier, tel "
                                          "que la source l'écrit (45000 pour « 45 000 », pas 45 pour « 45 milliers ») ; "
                                          "si la source donne bien ce chiffre (un autre périmètre, une autre année), "
                                          "dites-le dans « perimetre » ou « note ».",
                                 doc.line_of(path), _dotted(path)))
    return errors


def _chiffre(valeur) -> str:
    """A figure as a French reader reads it, in a message: « 44 364 », « 1,5 »."""
    texte = f"{valeur:,}".replace(",", "\u202f").replace(".", ",")
    return texte[:-2] if texte.endswith(",0") else texte


# ---------- Lookup by name (scripts/nouvelle_fiche.py, one-off proposals) ----------

def proposer(ref: Referentiel, nom: str, type_: str, region: str | None = None) -> list[tuple[str, str, str]]:
    """Reference entries whose name matches `nom` for a fiche type: [(key, code, official name)], best first."""
    if not _type_connu(type_):
        return []
    cle = CLES[type_][0]
    want = mots(nom)
    found = []
    # (an entry whose words hold the name's, or are held by them, shares a word with it: only those are read)
    index = ref.par_mot(type_)
    candidats = {code: (entry, own) for mot in want for code, entry, own in index.get(mot, ())}
    for code, (entry, own) in candidats.items():
        if not (want and own and (want <= own or own <= want)):
            continue
        officiel = ref.officiel({"type": type_, cle: code})
        if region and officiel and officiel.region and officiel.region[1] != region:
            continue
        exact = own == want
        found.append((not exact, -(officiel.population or 0) if officiel else 0, cle, code, entry["nom"]))
    return [(cle, code, nom_) for *_, cle, code, nom_ in sorted(found)]


# How near a name typed must be to an official one to be proposed (difflib's ratio on the significant words):
# « Niortt », « Chatelleraut », « Poitier », « Villeurbane » are; « Essai » and « Essé » are not.
PROCHE = 0.85


def proches(ref: Referentiel, nom: str, type_: str, region: str | None) -> list[tuple[str, str, str]]:
    """Entries of the reference of a fiche's type (and région, when given) whose name is near `nom` without being it
    (a letter missing, doubled or swapped): [(key, code, official name)], nearest first, three at most. A name
    typed so was published without a code (editor QA: « Niortt », « Chatelleraut » were accepted)."""
    if not _type_connu(type_):
        return []
    cle, fichier, _ = CLES[type_]
    code_region = next((c for c, r in ref.regions.items() if r["nom"] == region), None) if region else None
    voulu = " ".join(mots_significatifs(nom))
    if not voulu:
        return []
    par_nom: dict[str, list] = {}
    for code, entry in ref.entrees(type_).items():
        if code_region and fichier != "regions":
            # (a commune or a département gives its région's code; a group, through the reference's join)
            region_entree = entry.get("region") or ref.departements.get(entry.get("departement") or "", {}).get("region")
            if region_entree is None and _region_de(ref, type_, cle, code) != region:
                continue
            if region_entree is not None and region_entree != code_region:
                continue
        par_nom.setdefault(" ".join(mots_significatifs(entry["nom"])), []).append((cle, code, entry["nom"]))
    return [e for n in difflib.get_close_matches(voulu, [n for n in par_nom if n != voulu], n=3, cutoff=PROCHE)
            for e in par_nom[n]][:3]


def verifier_projet(root: Path, territoires: dict) -> list[FicheError]:
    """verifier() on the reference installed in `root`.

    Without the reference (node_modules not installed), fiches are checked on their own only: an editor can
    still check a fiche's fields with scripts/valider.py. The build itself stops (build_guide → charger).
    """
    try:
        ref = charger(root)
    except ReferentielAbsent:
        return []
    return verifier(territoires, ref)


def rattacher(guide, root: Path) -> None:
    """Give the joined guide the reference installed in `root` and each territory its official identity.

    Without the reference, the guide is joined without official data (a project of a few test fiches);
    the site build requires it (requis()).
    """
    try:
        ref = charger(root)
    except ReferentielAbsent:
        return
    guide.referentiel = ref
    for territoire in guide.territoires.values():
        territoire.officiel = ref.officiel(territoire.data)


def requis(guide) -> None:
    """Stop the site build (GuideInvalide, in French) when the reference is not installed: the site would
    publish territory pages, the finder and the map without their official data."""
    if guide.referentiel is None:
        from guide.modele.errors import GuideInvalide
        raise GuideInvalide([FicheError(PAQUET.as_posix(), ABSENT)])
