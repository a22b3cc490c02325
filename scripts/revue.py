#!/usr/bin/env python3
"""Dit au relecteur d'une demande de fusion quelles pages d'autres territoires elle modifie.

    .venv/bin/python scripts/revue.py                 # depuis la branche main
    .venv/bin/python scripts/revue.py origin/main     # depuis une autre référence git

Une action portée avec d'autres collectivités s'écrit dans une seule fiche, avec `coporteurs: [autre-fiche]` ; elle
s'affiche aussi sur la page de chaque coporteur, dont la fiche ne change pas. Une demande de fusion qui n'ajoute qu'une
fiche peut donc changer la page d'un autre territoire : la liste de ses changements ne le montre pas. Cette commande
compare les actions co-portées des fiches territoire modifiées depuis BASE et nomme, pour chaque autre territoire dont la
page gagne, perd ou voit changer une action, l'action et la fiche qui l'écrit. La vérification des demandes de fusion
(.github/workflows/verifier.yml) l'écrit dans son résumé.

Code de sortie : 0 (la commande informe, elle ne refuse rien), 2 si BASE est inconnue de git.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "macros"))

from guide.commande import ArgumentParser  # noqa: E402  (argparse's own words in French)
from guide.modele.load import FRONT_MATTER, parse_yaml  # noqa: E402  (the guide's own reader: what the site will see)

DOSSIER = "fiches/territoires/"


def _git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)


def actions_coportees(texte: str | None) -> dict[str, tuple[str, str]]:
    """{co-carrier's identifier: {action's title: the action as written (JSON, keys sorted)}} of a territory fiche's
    text: what the fiche puts on each co-carrier's page. Empty for a fiche absent or unreadable (the validator says
    why)."""
    entete = FRONT_MATTER.match(texte or "")
    data = parse_yaml(entete.group(1) or "", "revue")[0] if entete else None
    actions = data.get("actions") if isinstance(data, dict) else None
    out: dict = {}
    for a in actions if isinstance(actions, list) else []:
        if isinstance(a, dict) and isinstance(a.get("coporteurs"), list):
            for c in a["coporteurs"]:
                if isinstance(c, str):
                    out.setdefault(c, {})[str(a.get("titre"))] = json.dumps(a, sort_keys=True, default=str)
    return out


def nom(slug: str) -> str:
    """A territory's name, from its fiche as it stands (its identifier when it has none)."""
    path = ROOT / DOSSIER / f"{slug}.md"
    entete = FRONT_MATTER.match(path.read_text(encoding="utf-8")) if path.is_file() else None
    data = parse_yaml(entete.group(1) or "", "revue")[0] if entete else None
    return str(data["nom"]) if isinstance(data, dict) and isinstance(data.get("nom"), str) else slug


def changements(base: str) -> list[str]:
    """The lines of the report: one per action that appears, changes or goes on another territory's page. Said even
    when that territory's fiche is in the request too: a blank line added to it hid an action written elsewhere
    (verifier QA)."""
    modifiees = [p for p in _git("diff", "--name-only", f"{base}...HEAD", "--", DOSSIER).stdout.split()
                 if p.endswith(".md")]
    modifiees += [p for p in _git("diff", "--name-only", "HEAD", "--", DOSSIER).stdout.split()  # not committed yet
                  if p.endswith(".md") and p not in modifiees]
    touchees = {Path(p).stem for p in modifiees}
    lignes = []
    for rel in sorted(modifiees):
        lu = _git("show", f"{base}:{rel}")
        avant = actions_coportees(lu.stdout if lu.returncode == 0 else None)
        apres = actions_coportees((ROOT / rel).read_text(encoding="utf-8") if (ROOT / rel).is_file() else None)
        auteur = nom(Path(rel).stem)
        for slug in sorted(set(avant) | set(apres)):
            etat = "modifiée aussi par cette demande" if slug in touchees else "non modifiée"
            a, b = avant.get(slug, {}), apres.get(slug, {})
            for titre in sorted(set(a) | set(b)):
                if a.get(titre) == b.get(titre):
                    continue
                quoi = ("affiche désormais" if titre not in a else "n'affiche plus" if titre not in b
                        else "affiche autrement")
                lignes.append(f"- **{nom(slug)}** (`{DOSSIER}{slug}.md`, {etat}) {quoi} l'action « {titre} » de la "
                              f"fiche {auteur} (`{rel}`), qui la nomme coporteur.")
    return lignes


def main(argv=None) -> int:
    parser = ArgumentParser(description="Pages d'autres territoires modifiées depuis une référence git.")
    parser.add_argument("base", nargs="?", default="main", help="référence git de départ (défaut : main)")
    args = parser.parse_args(argv)
    if _git("rev-parse", "--verify", "--quiet", f"{args.base}^{{commit}}").returncode != 0:
        print(f"« {args.base} » : référence inconnue de git (une branche, une étiquette ou un commit).", file=sys.stderr)
        return 2
    lignes = changements(args.base)
    rapport = "\n".join(["## Pages d'autres territoires modifiées", ""] + (
        ["Ces pages changent sans que leur fiche change : vérifiez que chaque source dit bien que ces collectivités "
         "portent l'action.", "", *lignes] if lignes else
        ["Aucune : les fiches modifiées ne changent que leurs propres pages et celles qui rassemblent les actions "
         "(champs d'action, matrice)."])) + "\n"
    print(rapport)
    resume = os.environ.get("GITHUB_STEP_SUMMARY")
    if resume:
        with open(resume, "a", encoding="utf-8") as f:
            f.write(rapport)
    return 0


if __name__ == "__main__":
    sys.exit(main())
