#!/usr/bin/env python3
"""Produit les PDF du guide avec Chromium sans interface : chaque section imprimable et le guide complet.

Usage (depuis la racine du projet) :
    .venv/bin/python scripts/pdf.py                       # toutes les sections, site complet dans site/
    .venv/bin/python scripts/pdf.py --section leviers     # une section (répétable)
    .venv/bin/python scripts/pdf.py --adresse https://exemple.org/guide   # adresse publique du site

Étapes : construction du site, impression de chaque page « imprimer/… » en PDF A4 (polices incorporées,
texte sélectionnable, signets), puis construction finale dans --sortie (site/ par défaut) avec les PDF
dans pdf/ : les pages affichent alors « Télécharger en PDF ». Sans cette commande, le site ne lie aucun PDF.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "macros"))

from guide import GuideInvalide, build_guide  # noqa: E402
from guide import impression  # noqa: E402
from guide.render import libelles  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

# Before printing: the address line shows the public address (or the path), and links to other pages of
# the site point to the public site (or become plain text): a PDF must not link to the local server.
PREPARE = """([adresse, titre]) => {
  const site = adresse ? adresse.replace(/\\/+$/, "") : "";
  document.querySelectorAll(".guide-adresse").forEach(el => {
    el.removeAttribute("data-relative");  // impression.js must not put the local address back
    el.textContent = site ? site + location.pathname : location.pathname;
  });
  for (const a of document.querySelectorAll("a[href]")) {
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin) continue;
    if (url.pathname === location.pathname && url.hash) { a.setAttribute("href", url.hash); continue; }
    if (site) a.setAttribute("href", site + url.pathname + url.hash);
    else a.removeAttribute("href");
  }
  document.title = titre;
}"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def construire(sortie: Path, pdf_dir: Path | None = None) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if pdf_dir is not None:
        env[impression.PDF_ENV] = str(pdf_dir)
    else:
        env.pop(impression.PDF_ENV, None)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(sortie)],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit("La construction du site a échoué :\n" + result.stderr)


def imprimer(site: Path, sections: list, pdf_dir: Path, adresse: str, site_name: str) -> None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sys.exit("Playwright manque : lancez une fois ./scripts/tester.sh (ou .venv/bin/pip install -r "
                 "requirements-tests.txt) ; Chromium vient de Debian (apt-get install chromium).")
    if not Path(CHROMIUM).exists():
        sys.exit("Chromium introuvable : apt-get install chromium")

    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"])
            page = browser.new_context(locale="fr-FR").new_page()
            for section in sections:
                start = time.monotonic()
                page.goto(base + section.url, wait_until="load", timeout=120_000)
                page.evaluate(PREPARE, [adresse, f"{section.titre} — {site_name}"])
                target = pdf_dir / Path(section.pdf).name
                page.pdf(path=str(target), format="A4", prefer_css_page_size=True, print_background=True,
                         outline=True, tagged=True)
                print(f"  {section.pdf} : {section.titre} ({target.stat().st_size / 1e6:.1f} Mo, "
                      f"{time.monotonic() - start:.0f} s)")
            browser.close()
    finally:
        server.shutdown()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Produit les PDF des sections et du guide complet.")
    parser.add_argument("--sortie", default=str(ROOT / "site"), help="dossier du site construit (défaut : site/)")
    parser.add_argument("--section", action="append", metavar="ID",
                        help="identifiant d'une section (répétable) ; défaut : toutes")
    parser.add_argument("--adresse", default=None,
                        help="adresse publique du site, imprimée sous les titres (défaut : site_url de mkdocs.yml)")
    parser.add_argument("--depuis", default=None,
                        help="imprimer un site déjà construit au lieu de le construire à neuf")
    args = parser.parse_args(argv)

    import yaml

    class _Loader(yaml.SafeLoader):
        pass
    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)  # mkdocs.yml may hold !!python tags
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader) or {}
    adresse = args.adresse if args.adresse is not None else (config.get("site_url") or "")
    site_name = config.get("site_name", "")

    try:
        sections = impression.sections(build_guide(), libelles())
    except GuideInvalide as exc:
        print("Fiches invalides :\n" + exc.rapport(), file=sys.stderr)
        return 1
    if args.section:
        known = {s.ident: s for s in sections}
        unknown = [i for i in args.section if i not in known]
        if unknown:
            print(f"Section inconnue : {', '.join(unknown)}. Sections : {', '.join(known)}.", file=sys.stderr)
            return 2
        sections = [known[i] for i in args.section]

    with tempfile.TemporaryDirectory(prefix="guide-pdf-") as tmp:
        tmp = Path(tmp)
        pdf_dir = tmp / "pdf"
        pdf_dir.mkdir()
        if args.depuis:
            site = Path(args.depuis)
        else:
            print("→ Construction du site")
            site = tmp / "site"
            construire(site)
        print(f"→ Impression de {len(sections)} document(s) avec Chromium")
        imprimer(site, sections, pdf_dir, adresse, site_name)
        print(f"→ Construction du site avec les PDF dans {args.sortie}")
        construire(Path(args.sortie), pdf_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
