#!/usr/bin/env python3
"""Produit les PDF du guide avec Chromium sans interface : chaque section imprimable et le guide complet.

Usage (depuis la racine du projet) :
    .venv/bin/python scripts/pdf.py                       # toutes les sections, site complet dans site/
    .venv/bin/python scripts/pdf.py --section leviers     # une section (répétable)
    .venv/bin/python scripts/pdf.py --adresse https://exemple.org/guide   # adresse publique du site

Étapes : construction du site, impression de chaque page « imprimer/… » en PDF A4 (polices incorporées,
texte sélectionnable, signets), puis construction finale dans --sortie (site/ par défaut) avec les PDF
dans pdf/ : les pages affichent alors « Télécharger en PDF ». Sans cette commande, le site ne lie aucun PDF.
Chaque document est un livre : sommaire avec le numéro de page de chaque partie, en-tête courant (partie et
chapitre), « page N sur M » en pied de page, signets et une destination nommée par champ, territoire et action.

Ce qu'il faut : les dépendances de requirements.txt (installées par ./scripts/servir.sh) et Chromium de
Debian, installé au besoin (apt-get) au premier lancement.
"""
# Why Chromium's own print engine and not a paged-media library: Chromium (≥ 131) draws the @page margin
# boxes the book needs (« page N sur M » with counter(page) and counter(pages), a running header per named
# page), keeps the guide's JavaScript and CSS as readers see them, and prints the 500-page whole guide in
# about 20 s per pass here. Paged.js 0.4.3 (npm pagedjs, tried and dropped), run in the same Chromium, gives target-counter
# and string-set but took 273 s to lay out the whole guide on this machine (1.8 s for a 69-page region: its
# cost grows with the pages already laid out), far over the 60 s budget; WeasyPrint runs no JavaScript and is
# another rendering of the CSS to keep right. What Chromium lacks, target-counter for the table of contents,
# is done in two passes: a first print tells, through the named destination Chromium writes for each part,
# the page where each part starts (read with pypdf); the numbers are written into the contents (in a box of
# fixed width, so the layout does not move) and the document is printed again, then checked.
from __future__ import annotations

import functools
import http.server
import os
import re
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
from guide.commande import ArgumentParser  # noqa: E402  (argparse's own words in French)
from guide.sorties import impression  # noqa: E402
from guide.modele.schemas import libelles  # noqa: E402

# Before printing: the address line shows the public address (or the path), and links to other pages of
# the site point to the public site (or become plain text): a PDF must not link to the local server.
PREPARE = """([adresse, titre]) => {
  const site = adresse ? adresse.replace(/\\/+$/, "") : "";
  document.querySelectorAll(".guide-adresse").forEach(el => {
    el.removeAttribute("data-relative");  // impression.js must not put the local address back
    el.removeAttribute("data-base");
    const url = new URL(el.textContent.trim(), location.href);  // each part of a section: its own page
    if (url.origin !== location.origin) return;
    if (site) { el.textContent = site + url.pathname; return; }
    // No public address: a bare path (« /territoires/ca-haguenau/ ») cannot be typed anywhere from paper (print QA).
    const avant = el.previousSibling;
    if (avant && avant.nodeType === 3) avant.data = avant.data.replace(/\\s*·\\s*$/, "");
    el.remove();
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


# The table of contents: each entry's page number box, filled before a pass.
NUMEROS = """(numeros) => {
  for (const el of document.querySelectorAll(".guide-sommaire-page[data-cible]")) {
    el.textContent = numeros[el.dataset.cible] || "";
  }
}"""
CIBLES = "() => [...document.querySelectorAll('.guide-sommaire-page[data-cible]')].map(el => el.dataset.cible)"

# Cross-references (issue 25): a link of the document to a place of the same document (another champ or
# territory of the section, an action) is followed by « (voir p. N) », N read from the first print as for the
# contents (Chromium has no target-counter), or by « , voir p. N » when the link ends a parenthesis. Not the note
# calls, their returns and links to notes, the headings' own links, the contents, nor the page's « Sur cette
# page » (not printed); nor the links to a publication of the annex of sources (sources.md.j2), which notes follow
# with the publication's own page: « 1. Étude 2021 (voir p. 91), p. 58-63 » gave two pages side by side, the book's
# and the study's, 980 times in the whole guide (print QA); the annex is in the contents. Returns the ids the boxes
# wait for.
RENVOIS = """() => {
  const skip = ".guide-sommaire, .guide-sur-cette-page, .footnote-ref, .footnote-backref, .headerlink, .md-nav";
  const ids = new Set();
  for (const a of document.querySelectorAll("article a[href^='#']")) {
    const id = decodeURIComponent(a.getAttribute("href").slice(1));
    const target = id && document.getElementById(id);
    if (!target || a.closest(skip) || target.closest(".footnote") || target.matches(".guide-publication")) continue;
    let box = a.nextElementSibling;
    if (!box || !box.classList.contains("guide-renvoi-page")) {
      box = document.createElement("span");
      box.className = "guide-renvoi-page";
      // A link between guillemets, « sous « Clauses sociales » » : the page after the closing one, not inside the
      // quotation (print QA: « sous « Clauses sociales et environnementales (voir p. 92) » »).
      const texte = a.nextSibling;
      const guillemet = texte && texte.nodeType === 3 ? /^[\\s\\u00a0\\u202f]*»/.exec(texte.data) : null;
      if (guillemet) texte.splitText(guillemet[0].length);
      (guillemet ? texte : a).after(box);
    }
    box.dataset.cible = id;
    // A co-carrier's entry for an action whose carrier's fiche this document prints: its summary there, the page here
    // (print QA: the Grand Est booklet printed twenty actions of the Eurométropole again on the Ville de Strasbourg's
    // sheets, « (voir p. 30) » beside each).
    const ailleurs = a.closest("li") && a.closest("li").querySelector(".guide-imprime--ailleurs");
    if (ailleurs) ailleurs.hidden = true;
    // A link closing a parenthesis, « (INSEE, découpage administratif 2026) »: « , voir p. 2 » inside it, not « (… (voir p. 2)) ».
    const suite = box.nextSibling;
    box.classList.toggle("guide-renvoi-page--parenthese", !!suite && suite.nodeType === 3 && suite.data.startsWith(")"));
    ids.add(id);
  }
  return [...ids];
}"""
# Each box gets its number (or stays empty when the place has no destination in the PDF).
NUMEROS_RENVOIS = """(numeros) => {
  for (const el of document.querySelectorAll(".guide-renvoi-page[data-cible]")) {
    el.textContent = numeros[el.dataset.cible] || "";
  }
}"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def handle(self):
        # Chromium may drop a request it no longer needs (a page left or printed while a file still loads): the
        # server then wrote an English traceback in the editor's terminal.
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
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


def chromium() -> str:
    """Debian's Chromium, installed with apt-get when missing (as ./scripts/tester.sh does)."""
    found = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if found:
        return found
    print("→ Installation de chromium (apt-get)")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        if subprocess.run(sudo + command, env=env).returncode != 0:
            sys.exit("Chromium introuvable et non installé : apt-get install chromium")
    return shutil.which("chromium") or "/usr/bin/chromium"


def destinations(pdf: Path) -> dict[str, int]:
    """Named destinations of a PDF Chromium printed: {id of the element: page number, from 1}."""
    from pypdf import PdfReader
    reader = PdfReader(str(pdf))
    return {name.lstrip("/"): reader.get_destination_page_number(dest) + 1
            for name, dest in reader.named_destinations.items()}


# The text of the document's headings: [as Chromium reads it for a bookmark, as the heading says it]. The
# second has neither the invisible self-link nor the page number of a cross-reference (« 18 » of « (voir p. 18) »,
# drawn by CSS around a box that holds the digits only): a champ's heading linking to its part was bookmarked
# « 1. Appui à l'écosystème… du financement18 » (reader QA: 777 such bookmarks in the whole guide).
TITRES = """() => [...document.querySelectorAll("article :is(h1, h2, h3, h4, h5, h6)")].map(h => {
  const texte = el => el.textContent.replace(/\\s+/g, " ").trim();
  const copie = h.cloneNode(true);
  copie.querySelectorAll(".headerlink").forEach(x => x.remove());
  const brut = texte(copie);
  copie.querySelectorAll(".guide-renvoi-page, .guide-sommaire-page").forEach(x => x.remove());
  return [brut, texte(copie)];
})"""


def corriger_signets(pdf: Path, titres: list[tuple[str, str]]) -> int:
    """Chromium writes the bookmark of a heading that wraps over two lines without the space at the wrap
    (« Béthune Bruay ArtoisLys Romane »), and with the page number of a cross-reference inside it: each bookmark
    that is a heading's text (`titres`: [text with those numbers, the heading's own]) but for its spaces gets
    the heading's own text. Written as an incremental update (only the bookmarks change). Returns how many
    were corrected."""
    from pypdf import PdfReader
    from pypdf.generic import NameObject, TextStringObject

    justes = {re.sub(r"\s+", "", brut): propre for brut, propre in titres}
    reader = PdfReader(str(pdf))
    corriges = {}  # object number: (generation, the bookmark's dictionary corrected)
    racine = reader.trailer["/Root"]
    a_voir = [racine.raw_get("/Outlines")] if "/Outlines" in racine else []
    while a_voir:
        ref = a_voir.pop()
        item = ref.get_object()
        if "/Title" in item:
            titre = str(item["/Title"])
            juste = justes.get(re.sub(r"\s+", "", titre))
            if juste is not None and juste != titre:
                item[NameObject("/Title")] = TextStringObject(juste)
                corriges[ref.idnum] = (ref.generation, item)
        a_voir.extend(item.raw_get(lien) for lien in ("/First", "/Next") if lien in item)
    if corriges:
        _ajouter_mise_a_jour(pdf, reader, corriges)
    return len(corriges)


def _ajouter_mise_a_jour(pdf: Path, reader, objets: dict) -> None:
    """Append to `pdf` an incremental update (PDF 1.7, 7.5.6) that replaces `objets` ({number: (generation,
    object)}), with its cross-reference section and a trailer pointing to the previous one.

    Written here rather than by pypdf's PdfWriter(incremental=True): that one reads and copies every object of
    the document first (83,000 in the whole guide: 10 s, for a few dozen bookmarks); pypdf still writes each
    object (write_to_stream)."""
    import io

    from pypdf.generic import DictionaryObject, NameObject, NumberObject

    donnees = pdf.read_bytes()
    precedente = int(re.findall(rb"startxref\s+(\d+)", donnees[-2048:])[-1])
    sortie = io.BytesIO(b"" if donnees.endswith(b"\n") else b"\n")
    sortie.seek(0, io.SEEK_END)
    positions = {}  # each object's offset in the file: what follows the document, from its end
    for numero, (generation, objet) in sorted(objets.items()):
        positions[numero] = len(donnees) + sortie.tell()
        sortie.write(f"{numero} {generation} obj\n".encode())
        objet.write_to_stream(sortie)
        sortie.write(b"\nendobj\n")
    table = len(donnees) + sortie.tell()
    sortie.write(b"xref\n0 1\n0000000000 65535 f \n")
    for numero, (generation, _) in sorted(objets.items()):
        sortie.write(f"{numero} 1\n{positions[numero]:010d} {generation:05d} n \n".encode())
    trailer = DictionaryObject({NameObject(k): reader.trailer.raw_get(k) for k in ("/Size", "/Root", "/Info", "/ID")
                                if k in reader.trailer})
    trailer[NameObject("/Prev")] = NumberObject(precedente)
    sortie.write(b"trailer\n")
    trailer.write_to_stream(sortie)
    sortie.write(f"\nstartxref\n{table}\n%%EOF\n".encode())
    with pdf.open("ab") as f:
        f.write(sortie.getvalue())


def imprimer_livre(page, target: Path) -> dict[str, int]:
    """Print the open page to `target` with the page numbers of its table of contents; returns them."""
    options = dict(path=str(target), format="A4", prefer_css_page_size=True, print_background=True,
                   outline=True, tagged=True)
    numeros = _imprimer_numerotes(page, target, options)
    corriger_signets(target, page.evaluate(TITRES))
    return numeros


def _imprimer_numerotes(page, target: Path, options: dict) -> dict[str, int]:
    cibles = page.evaluate(CIBLES)
    renvois = page.evaluate(RENVOIS)
    if not cibles and not renvois:
        page.pdf(**options)
        return {}
    # First pass: where each part and each place referred to starts. Its PDF is only read for its named
    # destinations, so it is printed without the tags and bookmarks, which change no page (the whole guide: 19 s
    # instead of 31 s when first measured; 27.5 s against 28.7 s with the Chromium of December 2026). Every later
    # pass is the book itself, read again for its destinations: the numbers printed are checked on the PDF
    # published.
    page.evaluate(NUMEROS, {c: "000" for c in cibles})
    page.evaluate(NUMEROS_RENVOIS, {c: "000" for c in renvois})
    page.pdf(**{**options, "tagged": False, "outline": False})
    numeros = {}
    for _ in range(3):
        found = destinations(target)
        missing = [c for c in cibles if c not in found]
        if missing:
            sys.exit(f"Impression : {len(missing)} partie(s) sans destination dans le PDF ({missing[0]}…)")
        wanted = cibles + [c for c in renvois if c in found]
        if numeros and all(found[c] == numeros[c] for c in wanted):
            return numeros
        numeros = {c: found[c] for c in wanted}
        page.evaluate(NUMEROS, {c: str(numeros[c]) for c in cibles})
        page.evaluate(NUMEROS_RENVOIS, {c: str(numeros[c]) for c in renvois if c in numeros})
        page.pdf(**options)
    sys.exit("Impression : les numéros de page du sommaire et des renvois ne se stabilisent pas.")


def imprimer(site: Path, sections: list, pdf_dir: Path, adresse: str, site_name: str) -> None:
    from playwright.sync_api import sync_playwright
    executable = chromium()

    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"])
            page = browser.new_context(locale="fr-FR").new_page()
            for section in sections:
                start = time.monotonic()
                page.goto(base + section.url, wait_until="load", timeout=120_000)
                page.evaluate(PREPARE, [adresse, f"{section.titre} — {site_name}"])
                target = pdf_dir / Path(section.pdf).name
                imprimer_livre(page, target)
                print(f"  {section.pdf} : {section.titre} ({target.stat().st_size / 1e6:.1f} Mo, "
                      f"{time.monotonic() - start:.0f} s)")
            browser.close()
    finally:
        server.shutdown()


def main(argv=None) -> int:
    parser = ArgumentParser(description="Produit les PDF des sections et du guide complet.")
    parser.add_argument("--sortie", default=str(ROOT / "site"), help="dossier du site construit (défaut : site/)")
    parser.add_argument("--section", action="append", metavar="ID",
                        help="identifiant d'une section (répétable) ; défaut : toutes")
    parser.add_argument("--adresse", default=None,
                        help="adresse publique du site, imprimée sous les titres (défaut : variable GUIDE_ADRESSE)")
    parser.add_argument("--depuis", default=None,
                        help="imprimer un site déjà construit au lieu de le construire à neuf")
    args = parser.parse_args(argv)

    import yaml

    class _Loader(yaml.SafeLoader):
        pass
    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)  # mkdocs.yml may hold !!python tags
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader) or {}
    adresse = args.adresse if args.adresse is not None else os.environ.get("GUIDE_ADRESSE", "")
    if not adresse:
        print("Aucune adresse publique (--adresse ou variable GUIDE_ADRESSE) : les PDF n'impriment pas l'adresse des "
              "pages, et les liens vers d'autres pages du site y deviennent du texte.", file=sys.stderr)
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
