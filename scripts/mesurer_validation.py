#!/usr/bin/env python3
"""Mesure la durée de scripts/valider.py sur N fiches territoire (200 par défaut).

Copie le projet dans un dossier temporaire, complète les fiches territoire par des copies renommées
jusqu'à N, puis chronomètre la commande réelle (processus complet, démarrage de Python compris).

    python scripts/mesurer_validation.py [--fiches 200] [--essais 3]
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "macros"))
from guide.commande import ArgumentParser  # noqa: E402  (argparse's own words in French)


def make_copy(dest: Path, n: int) -> int:
    for part in ("fiches", "macros", "scripts"):
        shutil.copytree(ROOT / part, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
    folder = dest / "fiches" / "territoires"
    # Fiches with their own actions only: a copy of a co-carrier-only fiche would be carried by nobody.
    originals = [p for p in sorted(folder.glob("*.md")) if re.search(r"^actions:\s*$", p.read_text(encoding="utf-8"), re.M)]
    i = 0
    while len(list(folder.glob("*.md"))) < n:
        source = originals[i % len(originals)]
        text = source.read_text(encoding="utf-8")
        # A different name and no alias, so the copy is a distinct, valid territory.
        text = re.sub(r"^nom: .*$", f"nom: Territoire de mesure {i}", text, count=1, flags=re.M)
        text = re.sub(r"^alias:\n(  - .*\n)+|^alias: \[.*\]\n", "", text, flags=re.M)
        (folder / f"mesure-{i}.md").write_text(text, encoding="utf-8")
        i += 1
    return len(list(folder.glob("*.md")))


def main(argv=None) -> int:
    parser = ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fiches", type=int, default=200)
    parser.add_argument("--essais", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        dest = Path(tmp)
        count = make_copy(dest, args.fiches)
        times = []
        for _ in range(args.essais):
            start = time.perf_counter()
            result = subprocess.run([sys.executable, "scripts/valider.py"], cwd=dest, capture_output=True, text=True)
            times.append(time.perf_counter() - start)
            if result.returncode != 0:
                print(result.stdout[-2000:], result.stderr[-2000:], file=sys.stderr)
                return 1
        print(f"{count} fiches territoire : valider.py en {min(times):.2f} s (meilleur de {args.essais}), "
              f"{max(times):.2f} s au pire.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
