#!/usr/bin/env python3
"""Vérifie les fiches du guide (toutes, ou celles données) et explique chaque erreur en français.

    .venv/bin/python scripts/valider.py                      # toutes les fiches
    .venv/bin/python scripts/valider.py fiches/territoires/nantes-metropole.md

Une fiche donnée est vérifiée avec ce dont elle dépend : les publications de fiches/sources.yaml qu'elle
cite (une erreur dans l'une d'elles est signalée), les champs d'action et les fiches qu'elle nomme.

Code de sortie : 0 si tout est valide, 1 si une fiche est invalide, 2 si la commande est mal employée.
"""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "macros"))

try:
    from guide.commande import ArgumentParser  # noqa: E402  (argparse's own words in French)
    from guide import fiche_paths, load_all  # noqa: E402
    from guide.modele.load import citations  # noqa: E402
    from guide.modele.validate import check_links  # noqa: E402
except ImportError as exc:  # a Python without the guide's tools
    from _outils import manquent
    manquent(exc, __file__)

# Folders of the site written by the build itself (open data, print sections, editors' form): a fiche's link
# into them is left to the build, which knows their files; every other link is checked here as the build does.
_DOSSIERS_GENERES = ("donnees/", "impression/", "admin/")


def _liens(docs: dict) -> list:
    """Links of the fiches to pages or files the site does not have (the build's check, plugin._liens_des_fiches,
    on the pages the site is made of: docs/, one page per fiche)."""
    pages = {p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*") if p.is_file()}
    pages |= {f"{kind}/{slug}.md" for kind, items in docs.items() for slug in items}
    # (a fiche with errors is still a page the link leads to, once corrected)
    pages |= {f"{p.parent.name}/{p.name}" for p in fiche_paths(ROOT) if p.parent.name in ("territoires", "champs")}

    def exists(src: str) -> bool:
        return src in pages or src.startswith(_DOSSIERS_GENERES)

    return [e for kind, items in docs.items() for slug, doc in items.items()
            for e in check_links(doc, f"{kind}/{slug}.md", exists)]


_PUBLICATION = re.compile(r"publications\[(\d+)\]")


def _errors_of(only: list[Path], docs: dict, data: dict, errors: list) -> tuple[list, set]:
    """The errors of the given fiches, plus those of the fiches/sources.yaml entries they cite (with the
    whole file's own errors, such as broken YAML, which make every citation unreadable)."""
    wanted = {p.relative_to(ROOT).as_posix() for p in only}
    cited = {cit.get("publication") for kind in docs.values() for doc in kind.values() if doc.rel in wanted
             for _, cit in citations(doc.data) if isinstance(cit.get("publication"), str)}
    sources = data.get("sources")
    index = {i for i, pub in enumerate(sources.data.get("publications") or []) if isinstance(pub, dict)
             and pub.get("id") in cited} if sources is not None and isinstance(sources.data, dict) else set()
    kept = []
    for error in errors:
        if error.path in wanted:
            kept.append(error)
        elif error.path == "fiches/sources.yaml" and cited:
            found = _PUBLICATION.match(error.field or "")
            if found is None or int(found.group(1)) in index:
                kept.append(error)
    return kept, cited


def main(argv=None) -> int:
    parser = ArgumentParser(description="Vérifie les fiches du guide.")
    parser.add_argument("fichiers", nargs="*", type=Path, help="fiches à vérifier (par défaut : toutes)")
    args = parser.parse_args(argv)
    only = None
    if args.fichiers:
        only = []
        for path in args.fichiers:
            # Not resolved: a symbolic link is checked (and refused) as the link it is, by its own name.
            path = Path(os.path.abspath(path))
            if path.is_dir():
                print(f"{path} : c'est un dossier ; donnez les fiches à vérifier, ou rien pour les vérifier toutes.",
                      file=sys.stderr)
                return 2
            if not (path.is_file() or path.is_symlink()):
                print(f"{path} : fichier introuvable.", file=sys.stderr)
                return 2
            if not path.is_relative_to(ROOT):
                print(f"{path} : ce fichier n'est pas dans le dépôt du guide ({ROOT}).", file=sys.stderr)
                return 2
            if not path.is_relative_to(ROOT / "fiches") or path.is_relative_to(ROOT / "fiches" / "schemas"):
                print(f"{path.relative_to(ROOT)} : ce n'est pas une fiche ; les fiches sont les fichiers de "
                      "fiches/territoires/, fiches/champs/, et fiches/sources.yaml, sigles.yaml, messages-cles.yaml.",
                      file=sys.stderr)
                return 2
            only.append(path)
    docs, data, errors = load_all(ROOT)
    # Links are checked with the rest, in one run: checked only once every fiche was valid, a broken link came a
    # correction later, one more save in the form (editor QA). (The build checks them once the fiches are valid.)
    errors = errors + [e for e in _liens(docs) if e not in errors]
    checked = len(fiche_paths(ROOT)) + len(data)
    ailleurs = []
    if only is not None:
        tout = errors
        errors, cited = _errors_of(only, docs, data, errors)
        checked = len(only) + (1 if cited else 0)
        # What a champ fiche or a data file breaks elsewhere (a lever renamed in a champ, a publication removed from
        # sources.yaml): said too, where « ✓ » answered for a change that broke 9 fiches (editor QA). Territory fiches
        # are checked alone: another fiche's errors are not theirs.
        if any(not p.is_relative_to(ROOT / "fiches" / "territoires") for p in only):
            ailleurs = [e for e in tout if e not in errors]
    for error in sorted(errors, key=lambda e: (e.path, e.line or 0)):
        print(error)
    if ailleurs:
        print("\nDans d'autres fiches (peut-être à cause de cette modification : un identifiant, un levier ou une "
              "publication renommés ou retirés) :")
        for error in sorted(ailleurs, key=lambda e: (e.path, e.line or 0)):
            print(error)
    if errors or ailleurs:
        n = len(errors) + len(ailleurs)
        print(f"\n✗ {n} erreur{'s' if n > 1 else ''} dans {len({e.path for e in errors + ailleurs})} fichier(s) "
              f"sur {checked + len({e.path for e in ailleurs})} vérifié(s).")
        return 1
    print(f"✓ {checked} fichier(s) vérifié(s) : aucune erreur.")
    return 0


def _sans_trace(argv=None) -> int:
    """main(), with any unexpected error told in French (never a Python traceback): the checks themselves
    report every fault of a fiche; this is the net under them, as the build has one (plugin.fiche_en_cause)."""
    try:
        return main(argv)
    except BrokenPipeError:
        # The reader of the report closed it (« valider.py | head -1 »): nothing went wrong with the checks. Python's
        # own advice: the rest of the output goes nowhere, so that writing it at exit raises nothing more. Only
        # errors fill more than one line, hence the failure code.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as exc:  # noqa: BLE001 - every error, reported once in French
        print(f"La vérification a échoué ({type(exc).__name__} : {exc}). Signalez le problème à l'équipe du guide "
              "avec ce message et la fiche en cause.", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(_sans_trace())
