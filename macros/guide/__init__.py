"""The guide's content pipeline: load fiches → validate → join → render.

`build_guide()` runs the first three steps once per build and either returns
the joined Guide or raises GuideInvalide with every error found.
"""
from __future__ import annotations

import functools
import hashlib
import os
import re
import time
from pathlib import Path
from typing import Callable

from guide import chemins
from guide.ateliers import Ateliers
from guide.modele import referentiel
from guide.modele.doublons import verifier_doublons
from guide.modele.errors import FicheError, GuideInvalide
from guide.join import Guide, join
from guide.modele.load import fichier_refuse, load_data_file, load_fiche
from guide.modele.schemas import COLLECTIONS, schema_documents
from guide.modele.validate import (SANS_ACTION, check_active_content, check_dates, check_nombres, check_references,
                                   check_capitales, check_coporteurs_total, check_schema, check_texte_repete,
                                   check_titres, check_ecriture)

ROOT = chemins.ROOT

# (file under fiches/, schema that describes it); the fiches' folders: schemas.COLLECTIONS
DATA_FILES = {"sources": "sources.schema.yaml", "sigles": "sigles.schema.yaml", "messages-cles": "messages.schema.yaml"}
OPTIONAL_DATA = {"sigles", "messages-cles"}


def fiche_paths(root: Path = ROOT, kind: str | None = None, memoire: "Memoire | None" = None) -> list[Path]:
    """The fiche files of `kind` (or of every collection), sorted by name. With `memoire`, a file found at the
    previous load is the same Path object (Memoire.chemin)."""
    kinds = [kind] if kind else list(COLLECTIONS)
    chemin = memoire.chemin if memoire is not None else Path
    found = []
    for k in kinds:
        folder = root / "fiches" / k
        try:
            with os.scandir(folder) as entries:
                # What `folder.glob("*.md")` gives (any entry of that name), without a Path made for each name.
                # Hidden files are never fiches: an editor's lock (Emacs' « .#x.md », a link) or macOS's « ._x.md ».
                names = [e.name for e in entries if e.name.endswith(".md") and not e.name.startswith(".")]
        except OSError:  # no such folder, or unreadable: no fiche there, as glob() says
            continue
        # Sorted by name (one folder each): Path's own ordering compares parts, five times slower on 10,000 fiches.
        found += [chemin(folder, name) for name in sorted(names)]
    return found


class Memoire:
    """What one process remembers of the fiches between two loads (the builds of one `mkdocs serve`, kept by
    the plugin instance): fiches unchanged since the previous load are not parsed and validated again, and
    `changements` says what changed.

    cache        (path, root) → (digest of the file's bytes, document, errors of the fiche on its own); the
                 digest, not the modification time, decides: two saves within the same clock tick still count
    empreintes   root → {path: digest} of the previous load
    changements  paths of fiches and data files read again, added or removed by the last load; None when the
                 project was not loaded before (`mkdocs serve --dirty` rebuilds an edited fiche first: apercu.py)
    releves      path → (the file's lstat signature, its digest, when it was read): a file whose signature has not
                 changed since is not read again for its digest (see `_empreinte`)
    references   what each territory fiche gave on its own side of the checks across fiches (check_references)
    chemins      (folder, name) → the Path of a file found by a previous load (see `chemin`)
    """

    def __init__(self):
        self.cache: dict = {}
        self.empreintes: dict = {}
        self.changements: list[Path] | None = None
        self.releves: dict = {}
        self.references: dict = {}
        self.chemins: dict = {}

    def chemin(self, folder: Path, name: str) -> Path:
        """The Path of `name` in `folder`, the same object from load to load. Every load looks each fiche up in the
        dicts above by its path; a Path computes its hash and the parts it compares once per object, and a dict
        finds the very object it holds without comparing: at 10,000 fiches, new Path objects at each load cost
        a tenth of a second of the preview of a saved fiche, in hashing and comparing alone."""
        cle = (str(folder), name)
        path = self.chemins.get(cle)
        if path is None:
            path = self.chemins[cle] = folder / name
        return path


# A file modified this close to the moment it was read may be written again within the same tick of the file
# system's clock (ext4 counts in jiffies, FAT in 2 s) without its time changing: its digest is not trusted.
_MARGE_NS = 2_000_000_000


def _empreinte(path: Path, memoire: Memoire) -> bytes:
    """The digest of a file, taken again only if it may have changed since it was last read: a different
    signature (modification and change times, size, inode, type), or a modification too close to that read (as
    git treats a « racily clean » file). Reading the bytes of every fiche at every preview build took 0.4 s at
    10,000 fiches; their status is a tenth of that."""
    try:
        info = os.lstat(path)
    except OSError:
        return _digest(path)
    signature = (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino, info.st_mode)
    connu = memoire.releves.get(path)
    if connu is not None and connu[0] == signature and max(info.st_mtime_ns, info.st_ctime_ns) < connu[2] - _MARGE_NS:
        return connu[1]
    lu = time.time_ns()
    empreinte = _digest(path)
    memoire.releves[path] = (signature, empreinte, lu)
    return empreinte


def _digest(path: Path) -> bytes:
    # A file the loader refuses (link, device, too large) is not read here either: its refusal is its digest.
    refus = fichier_refuse(path, path.name)
    if refus:
        return hashlib.blake2b(refus.message.encode(), digest_size=16).digest()
    return hashlib.blake2b(path.read_bytes(), digest_size=16).digest()


def _en_memoire(path: Path, root: Path, key: bytes | None, memoire: Memoire):
    """(document, errors) of a file unchanged since `memoire` kept them, or None."""
    cached = memoire.cache.get((path, root)) if key is not None else None
    return (cached[1], cached[2]) if cached and cached[0] == key else None


def _par_empreinte(path: Path, root: Path, key: bytes | None, memoire: Memoire, lire, lu=None):
    """`lire()` → (document, errors of the file on its own), kept in `memoire` by the file's digest: an unchanged file
    is not parsed and checked again. A file without a digest (a missing data file) is read at every load. `lu`: what
    `lire()` gave in another process (guide/ateliers.py)."""
    cached = _en_memoire(path, root, key, memoire)
    if cached:
        return cached
    doc, errors = lu or lire()
    if key is not None:
        memoire.cache[(path, root)] = (key, doc, errors)
    return doc, errors


def _controles(doc, schema: str) -> list[FicheError]:
    """The checks of one file on its own: schema, active content, dates, numbers."""
    nombres = check_nombres(doc, schema)
    # A number field's own message says what to write there (« écrivez valeur: 45000 »): the text check's for the same
    # field (« écrivez « 45 000 » ») sent an editor round in a circle, the second answer refusing the first (editor QA).
    ecrit_en_nombre = {e.field for e in nombres}
    return (check_schema(doc, schema) + check_active_content(doc, schema) + check_titres(doc) + check_capitales(doc)
            + check_coporteurs_total(doc) + check_texte_repete(doc)
            + [e for e in check_ecriture(doc, schema) if e.field not in ecrit_en_nombre] + check_dates(doc) + nombres)


def _load_checked(path: Path, root: Path, kind: str, schema: str, key: bytes, memoire: Memoire, lu=None):
    """One fiche loaded and checked on its own (schema, active content, file name), cached by content; `lu`: the
    same, done by another process."""
    def lire():
        doc, errors = load_fiche(path, root)
        rel = path.relative_to(root).as_posix()
        nom_refuse = True
        copie = _COPIE.fullmatch(path.stem)
        original = _slug_ok(copie.group(1)) if copie else None
        if original and original != path.stem and (path.parent / f"{original}.md").is_file() \
                and copie.group(1) == path.stem:
            # « Cergy-Pontoise.md » beside « cergy-pontoise.md »: no copy's mark, the same name otherwise written
            # (editor QA: called « une copie faite par l'explorateur de fichiers »)
            errors.append(FicheError(rel, f"le nom de ce fichier ne diffère de « fiches/{kind}/{original}.md » que par "
                                          "ses majuscules, ses accents ou sa ponctuation : c'est une seconde fiche du même "
                                          "territoire. Gardez-en une seule (un nom de fichier s'écrit en minuscules, "
                                          f"sans accent, avec des tirets : « {original}.md »)."))
        elif original and original != path.stem and (path.parent / f"{original}.md").is_file():
            # « Pays de Grasse (copie).md », « x - Copie.md », « x (1).md »: told to rename it « pays-de-grasse-copie.md »,
            # the editor had a second fiche of the same territory and a dozen errors against the first (editor QA).
            errors.append(FicheError(rel, f"ce fichier semble être une copie de « fiches/{kind}/{original}.md » (son nom "
                                          "est celui d'une copie faite par l'explorateur de fichiers) : supprimez-le, "
                                          "ou, s'il décrit un autre territoire, nommez-le d'après ce territoire "
                                          "(minuscules sans accent et tirets)."))
        elif path.stem != _slug_ok(path.stem):
            errors.append(FicheError(rel, "nom de fichier invalide : minuscules sans accent et tirets "
                                          f"(ex. « {_slug_ok(path.stem) or 'nom-du-territoire'}.md »)."))
        elif path.stem in _NOMS_WINDOWS:
            errors.append(FicheError(rel, f"nom de fichier réservé par Windows : « {path.name} » ne peut être ni ouvert ni "
                                          "copié sous Windows (comme con, prn, aux, nul, com1 à com9, lpt1 à lpt9) : un "
                                          "éditeur sous Windows ne pourrait plus récupérer le guide. Nommez le fichier "
                                          "d'après le nom complet de la collectivité (ex. « commune-de-"
                                          f"{path.stem}.md »)."))
        elif path.stem in adresses_reservees(root, kind):
            errors.append(FicheError(rel, f"nom de fichier réservé : « {kind}/{path.stem} » est l'adresse d'une page "
                                          "du site, que la fiche remplacerait. Nommez le fichier d'après la fiche (ex. "
                                          "le nom de la collectivité, en minuscules et tirets)."))
        else:
            nom_refuse = False
        autre = _fiche_d_une_autre_collection(doc.data, kind) if doc is not None else None
        if autre is not None:
            # A territory's fiche saved in fiches/champs/: a dozen « clé inconnue », never where it goes (editor QA).
            cles = ", ".join(f"« {c} »" for c in autre[1])
            errors.append(FicheError(rel, f"cette fiche a les clés d'une fiche de fiches/{autre[0]}/ ({cles}), mais elle "
                                          f"est dans fiches/{kind}/ : déplacez-la dans fiches/{autre[0]}/ "
                                          f"(« fiches/{autre[0]}/{path.name} »).", 1))
            doc = None
        if doc is not None:
            if not doc.body.strip() and kind == "champs":
                errors.append(FicheError(doc.rel, "le texte de synthèse (après l'en-tête) est vide.", doc.body_line))
            # A number written otherwise than meant has its own message, with what to write: the checks of the value
            # YAML made of it (« page: 1.500 », read 1.5: « attendu un nombre entier ») would answer another question
            # (verifier QA).
            mal_ecrits = {e.field for e in errors if e.sans_arret}
            errors += [e for e in _controles(doc, schema) if e.field not in mal_ecrits]
        # A fiche whose file name is refused is checked on its own, not against the others: a copy made by a file
        # manager, « x (copie).md », was a second fiche of the same territory, each of its actions reported against the
        # original too (editor QA: 45 errors, 22 on the original, which was right).
        return (None if nom_refuse else doc), errors
    return _par_empreinte(path, root, key, memoire, lire, lu)


def _fiche_d_une_autre_collection(data, kind: str) -> tuple[str, list[str]] | None:
    """(collection, its keys found) when `data`, read in `kind`'s folder, holds two keys only another collection's
    fiches require (« nom », « type », « region » of a territory) and fewer of its own."""
    if not isinstance(data, dict):
        return None
    propres = _cles_propres()
    for autre, cles in propres.items():
        trouvees = sorted(cles & set(map(str, data)))
        if autre != kind and len(trouvees) >= 2 and len(propres[kind] & set(map(str, data))) < 2:
            return autre, trouvees
    return None


# Names Windows gives its devices, whatever the extension: a file so named cannot be checked out there.
_NOMS_WINDOWS = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}

# The name a file manager gives a copy: « x (copie) », « x - Copie », « Copie de x », « x copy », « x (2) ».
_COPIE = re.compile(r"(?i)(?:copie de |copy of )?(.+?)(?:[\s_-]*(?:\((?:copie|copy|\d+)\)|-\s*copie|copie|copy)(?:\s*\(\d+\))?)?")


def _lire_ailleurs(element, root: Path) -> tuple:
    """In a child (guide/ateliers.py): a fiche loaded and checked on its own, as _load_checked does."""
    path, kind, schema = element
    return _load_checked(path, root, kind, schema, None, Memoire())


def _load_data_checked(path: Path, root: Path, schema: str, key: bytes | None, memoire: Memoire):
    """A data file (sources, acronyms, key messages) loaded and checked on its own, cached by content as fiches are."""
    def lire():
        doc, errors = load_data_file(path, root)
        return doc, errors + (_controles(doc, schema) if doc is not None else [])
    return _par_empreinte(path, root, key, memoire, lire)


def adresses_reservees(root: Path, kind: str) -> set[str]:
    """File names (without .md) a fiche of `kind` may not take: the pages of docs/<kind>/ (territoires/index,
    carte, matrice…) and its folders, whose addresses a fiche page of the same name would replace, and
    « index », the address of the folder itself."""
    folder = root / "docs" / kind
    found = {"index"}
    if folder.is_dir():
        found |= {p.stem if p.suffix == ".md" else p.name for p in folder.iterdir()}
    return found


# What an editor may take for a fiche: a file of these kinds that the build does not read is said, not skipped.
_COMME_UNE_FICHE = {".md", ".markdown", ".mdown", ".mkd", ".yaml", ".yml", ".txt"}


def _cachee(path: Path) -> bool:
    """A fiche written under a hidden name (« .nantes.md »), which the build skips as it skips every hidden file: a file
    of its own, not an editor's lock (Emacs' « .#x.md », a link) nor macOS's record of a file's attributes (« ._x.md »)
    (attacker QA: a fiche so named was silently left out)."""
    return (path.name.startswith(".") and path.name.endswith(".md") and not path.name.startswith(("._", ".#"))
            and path.is_file() and not path.is_symlink())


def _fichiers_ignores(root: Path) -> list[FicheError]:
    """Files under fiches/ the build would silently skip: « x.MD », « x.Md », « x.markdown » (only « .md » is read),
    a fiche in a sub-folder of fiches/territoires/ or fiches/champs/, or at the root of fiches/, a fiche under a
    hidden name (`_cachee`). Other hidden files and editors' backups (« .x.swp », « x.md~ », « #x.md# ») are left
    alone: an editor's own, while a fiche is open."""
    errors = []
    dossier = root / "fiches"
    lus = {dossier / f"{name}.yaml" for name in DATA_FILES} | {dossier / "schemas"}
    if not dossier.is_dir():
        return errors
    # Only the few refused paths are sorted (sorting every path of the folder: 0.15 s at 10,000 fiches)
    refuses, caches, liens = [], [], []
    for courant, sous_dossiers, fichiers in os.walk(dossier):
        courant = Path(courant)
        sous_dossiers[:] = [d for d in sous_dossiers if not d.startswith(".") and courant / d not in lus]
        # A link to a folder is not followed (os.walk): its fiches were left out in silence (attacker QA), where a real
        # sub-folder and a linked fiche are refused.
        liens += [courant / d for d in sous_dossiers if (courant / d).is_symlink()]
        dans_une_collection = courant.parent == dossier and courant.name in COLLECTIONS
        for name in fichiers:
            if dans_une_collection and name.startswith(".") and _cachee(courant / name):
                caches.append(courant / name)
                continue
            if name.startswith(".") or name.endswith("~") or dans_une_collection and name.endswith(".md"):
                continue  # hidden, a backup, or a fiche (read)
            # Other files are left alone: an editor's temporary files (« 4913 », « #x.md# ») come and go.
            if name.lower().startswith(("readme", "lisezmoi")):
                continue  # a note for whoever opens the folder, not a fiche
            extension = os.path.splitext(name)[1].lower()
            # (a fiche saved without its extension, « poitiers », was skipped in silence, the check green; editor QA.
            # An editor's temporary file has no letter, « 4913 », or another sign, « #x.md# »)
            sans_extension = dans_une_collection and not extension and re.fullmatch(r"[\w-]*[^\W\d_][\w-]*", name)
            if (extension in _COMME_UNE_FICHE or sans_extension) and courant / name not in lus:
                refuses.append(courant / name)
    for path in sorted(liens):
        errors.append(FicheError(path.relative_to(root).as_posix(),
                                 "lien symbolique vers un dossier refusé : la construction ne le suit pas, et ses fiches "
                                 "ne seraient pas publiées ; placez chaque fiche elle-même dans fiches/territoires/ ou "
                                 "fiches/champs/."))
    for path in sorted(caches):
        nom = f"{_slug_ok(path.name.lstrip('.')[:-3]) or 'nom-du-territoire'}.md"
        errors.append(FicheError(path.relative_to(root).as_posix(),
                                 f"fichier caché (son nom commence par un point) : la construction ne le lit pas, et la "
                                 f"fiche ne serait pas publiée ; nommez-le « {nom} »."))
    for path in sorted(refuses):
        rel = path.relative_to(root).as_posix()
        parent = path.parent.relative_to(root).as_posix()
        nom = f"{_slug_ok(path.name.split('.')[0]) or 'nom-du-territoire'}.md"  # « x.md.txt » → « x.md »
        kind = path.parent.name if parent in (f"fiches/{k}" for k in COLLECTIONS) else "territoires"
        if nom[:-3] in adresses_reservees(root, kind):  # « Index.MD » was told « index.md », a name the build refuses
            nom = "nom-du-territoire.md" if kind == "territoires" else "nom-du-champ.md"
        if parent in (f"fiches/{kind}" for kind in COLLECTIONS):
            if path.suffix.lower() == ".md":
                message = f"extension « {path.suffix} » : le fichier ne serait pas lu ; nommez-le « {nom} » (minuscules)."
            else:
                message = (f"fichier ignoré par la construction : seules les fiches « .md » de {parent}/ sont lues ; "
                           f"nommez-le « {nom} », ou retirez-le du dossier.")
        elif path.parent == dossier:
            message = ("fichier ignoré par la construction : une fiche se place dans fiches/territoires/ ou "
                       f"fiches/champs/ (« fiches/territoires/{nom} ») ; seuls {', '.join(f'{n}.yaml' for n in DATA_FILES)} "
                       "sont lus à la racine de fiches/.")
        else:
            message = (f"fichier ignoré par la construction : les sous-dossiers ({parent}/) ne sont pas lus ; placez la "
                       f"fiche directement dans fiches/territoires/ ou fiches/champs/ (« {nom} »).")
        errors.append(FicheError(rel, message))
    return errors


def _fiches_dans_docs(root: Path) -> list[FicheError]:
    """Fiches saved among the authored pages (docs/): MkDocs published « docs/territoires/saint-brieuc.md » as a page
    of its free text alone, its actions, figures and sources dropped, every check green (editor QA). A page whose
    header holds two of the keys only a collection's fiches require (« nom », « type »; « titre », « famille ») is
    one: the authored pages' keys are MkDocs' and Material's (« title », « hide »…). Its keys are read line by line,
    not as YAML: a header YAML cannot read is still a fiche's (verifier QA), whatever the file's length, byte order
    mark or Markdown extension (MkDocs publishes « .markdown » too)."""
    from mkdocs.utils import markdown_extensions  # (here: the processes that read fiches never ask, guide/ateliers.py)
    errors, dossier = [], root / "docs"
    requises = _cles_propres()
    for courant, sous_dossiers, fichiers in os.walk(dossier):
        sous_dossiers[:] = sorted(d for d in sous_dossiers if not d.startswith("."))
        for name in sorted(fichiers):
            path = Path(courant) / name
            if not name.lower().endswith(markdown_extensions):
                continue
            try:
                with path.open(encoding="utf-8-sig", errors="replace") as f:
                    texte = f.read(_ENTETE_MAX)
            except OSError:
                continue
            entete = _ENTETE_LIBRE.match(texte)
            cles = set(_CLE_DE_PREMIER_NIVEAU.findall(entete.group(1))) if entete else set()
            kind = next((k for k, propres in requises.items() if len(propres & cles) >= 2), None)
            if kind is not None:
                rel = path.relative_to(root).as_posix()
                nom = _slug_ok(path.stem) or "nom-de-la-fiche"
                errors.append(FicheError(rel, f"ce fichier est une fiche ({', '.join(f'« {c} »' for c in sorted(requises[kind] & cles))}), "
                                              f"placée parmi les pages rédigées (docs/) : le site la publierait sans ses "
                                              f"actions, ses chiffres ni ses sources. Déplacez-la dans fiches/{kind}/ "
                                              f"(« fiches/{kind}/{nom}.md »).", 1))
    return errors


# A header as MkDocs reads one (« --- » lines around it), closed or not, and its keys at the line's start.
_ENTETE_LIBRE = re.compile(r"\A---[ \t]*\r?\n(.*?)(?:^---[ \t]*$|\Z)", re.S | re.M)
_CLE_DE_PREMIER_NIVEAU = re.compile(r"^([a-z_]+)[ \t]*:", re.M)
_ENTETE_MAX = 1 << 20  # (a fiche is at most 512 KB: load.TAILLE_MAX)


def _cles_propres() -> dict[str, set]:
    """{collection: the keys only its fiches require} (« nom », « type », « region » for a territory)."""
    requises = {k: set(schema_documents()[f].get("required", [])) for k, f in COLLECTIONS.items()}
    return {k: cles - set().union(*(c for autre, c in requises.items() if autre != k)) for k, cles in requises.items()}


def load_all(root: Path = ROOT, only: list[Path] | None = None, memoire: Memoire | None = None, processus: int = 0,
             entre_etapes: Callable[[], None] = lambda: None):
    """Load and validate every fiche; return (documents by kind, data files, errors). With `memoire` (the
    plugin's, under `mkdocs serve`), fiches unchanged since its previous load are not read again. With
    `processus`, that many other processes read and check fiches beside this one (guide/ateliers.py).
    `entre_etapes` is called between reading the fiches and checking them together (the preview's complete
    build gives way there: Apercu.ceder_en_lisant)."""
    memoire = memoire or Memoire()
    errors: list[FicheError] = []
    docs = {kind: {} for kind in COLLECTIONS}
    root = memoire.chemin(root.parent, root.name)  # the same object as the keys of memoire.cache hold
    paths = {kind: fiche_paths(root, kind, memoire) for kind in COLLECTIONS}
    empreintes = {path: _empreinte(path, memoire) for kind in COLLECTIONS for path in paths[kind]}
    empreintes |= {p: _empreinte(p, memoire) for p in (memoire.chemin(root / "fiches", f"{n}.yaml") for n in DATA_FILES)
                   if p.exists()}
    before = memoire.empreintes.get(root)
    memoire.changements = None if before is None else sorted(
        p for p in set(before) | set(empreintes) if before.get(p) != empreintes.get(p))
    memoire.empreintes[root] = empreintes
    a_lire = [(path, kind, schema) for kind, schema in COLLECTIONS.items() for path in paths[kind]
              if not _en_memoire(path, root, empreintes[path], memoire)]
    rang = {element[0]: i for i, element in enumerate(a_lire)}
    ateliers = Ateliers.ouvrir(a_lire, processus, functools.partial(_lire_ailleurs, root=root), "Fiches lues")
    try:
        for kind, schema in COLLECTIONS.items():
            for path in paths[kind]:
                lu = ateliers.prendre(rang[path]) if ateliers is not None and path in rang else None
                doc, errs = _load_checked(path, root, kind, schema, empreintes[path], memoire, lu)
                errors += errs
                if doc is not None:
                    docs[kind][path.stem] = doc
    finally:
        if ateliers is not None:
            ateliers.fermer()
    data = {}
    for name, schema in DATA_FILES.items():
        path = memoire.chemin(root / "fiches", f"{name}.yaml")
        if name in OPTIONAL_DATA and not path.exists():
            continue
        doc, errs = _load_data_checked(path, root, schema, empreintes.get(path), memoire)
        errors += errs
        if doc is not None:
            data[name] = doc
    errors += _fichiers_ignores(root) + _fiches_dans_docs(root)
    entre_etapes()
    illisibles = [p for kind in COLLECTIONS for p in paths[kind] if p.stem not in docs[kind]]
    errors += _sans_echo(check_references(docs["champs"], docs["territoires"], data.get("sources"),
                                          data.get("sigles"), data.get("messages-cles"), memoire.references), illisibles)
    errors += referentiel.verifier_projet(root, docs["territoires"])
    errors += verifier_doublons(docs["territoires"], paths["territoires"], root)
    errors = _sans_format_d_un_inconnu(errors)
    if only is not None:
        # Not resolved: a fiche that is a symbolic link keeps its own name (and its refusal).
        wanted = {Path(os.path.abspath(p)).relative_to(root).as_posix() for p in only}
        errors = [e for e in errors if e.path in wanted]
    return docs, data, errors


_FORMAT_INCORRECT = re.compile(r"format incorrect pour « (.*) »\.")


def _sans_format_d_un_inconnu(errors: list) -> list:
    """An identifier that names nothing (« champs: [Soutien-direct] ») is said once, by the check that names what it
    may have meant (« inconnu. Vouliez-vous dire « soutien-direct-structures » ? »), without the schema's « format
    incorrect (ex. « nantes-metropole ») » on the same line, an example of another kind (editor QA)."""
    inconnus = {(e.path, e.line, e.field, m.group(1)) for e in errors if "» inconnu" in e.message
                for m in [re.search(r"« (.*?) » inconnue?", e.message)] if m}
    if not inconnus:
        return errors
    return [e for e in errors if not ((m := _FORMAT_INCORRECT.match(e.message))
                                      and (e.path, e.line, e.field, m.group(1)) in inconnus)]


def _sans_echo(errors: list, illisibles: list) -> list:
    """The checks between fiches without the echo of a fiche that could not be read: a territory whose actions are all
    another's, shared (Ville de Nantes, by Nantes Métropole), had « aucune action » while that other fiche had an
    error of its own (editor QA). Said only of a fiche that no unreadable fiche names."""
    if not illisibles:
        return errors
    textes = []
    for path in illisibles:
        try:
            textes.append(path.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            continue
    return [e for e in errors if not (e.message.startswith(SANS_ACTION)
                                      and any(Path(e.path).stem in texte for texte in textes))]


def _slug_ok(stem: str) -> str:
    from guide.modele.slugs import slugify
    return slugify(stem)


def build_guide(root: Path = ROOT, memoire: Memoire | None = None, processus: int = 0,
                entre_etapes: Callable[[], None] = lambda: None) -> Guide:
    """Load, validate and join all fiches; raise GuideInvalide listing every error. `processus`, `entre_etapes`:
    see load_all (`entre_etapes` is called before the join too)."""
    docs, data, errors = load_all(root, memoire=memoire, processus=processus, entre_etapes=entre_etapes)
    if errors:
        raise GuideInvalide(errors)
    entre_etapes()
    guide = join(docs["champs"], docs["territoires"], data["sources"], data.get("sigles"), data.get("messages-cles"))
    referentiel.rattacher(guide, root)
    return guide


__all__ = ["build_guide", "load_all", "Memoire", "Guide", "GuideInvalide", "FicheError", "ROOT"]
