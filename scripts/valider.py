#!/usr/bin/env python3
"""Vérifie les fiches du guide (toutes, ou celles données) et explique chaque erreur en français.

    python scripts/valider.py                      # toutes les fiches
    python scripts/valider.py fiches/territoires/nantes-metropole.md

Code de sortie : 0 si tout est valide, 1 si une fiche est invalide, 2 si la commande est mal employée.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "macros"))

from guide import fiche_paths, load_all  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Vérifie les fiches du guide.")
    parser.add_argument("fichiers", nargs="*", type=Path, help="fiches à vérifier (par défaut : toutes)")
    args = parser.parse_args(argv)
    only = None
    if args.fichiers:
        only = []
        for path in args.fichiers:
            # Not resolved: a symbolic link is checked (and refused) as the link it is, by its own name.
            path = Path(os.path.abspath(path))
            if not (path.is_file() or path.is_symlink()):
                print(f"{path} : fichier introuvable.", file=sys.stderr)
                return 2
            if not path.is_relative_to(ROOT):
                print(f"{path} : ce fichier n'est pas dans le dépôt du guide ({ROOT}).", file=sys.stderr)
                return 2
            only.append(path)
    _, data, errors = load_all(ROOT, only)
    for error in sorted(errors, key=lambda e: (e.path, e.line or 0)):
        print(error)
    checked = len(only) if only is not None else len(fiche_paths(ROOT)) + len(data)
    if errors:
        n = len(errors)
        print(f"\n✗ {n} erreur{'s' if n > 1 else ''} dans {len({e.path for e in errors})} fichier(s) "
              f"sur {checked} vérifié(s).")
        return 1
    print(f"✓ {checked} fichier(s) vérifié(s) : aucune erreur.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
