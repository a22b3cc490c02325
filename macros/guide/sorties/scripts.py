"""The guide's own scripts (docs/assets/**/*.js), published minified by esbuild (npm package, package-lock.json).

They are written for their readers, with long comments saying why: the query layer of the search
(guide-requete.js) is 54 kB as written, 18 kB minified, and every page loads it, as it loads the other
scripts. Material's own scripts are published minified; these now are too. The sources stay in docs/.

esbuild (its command: the native program, or the npm shim that starts it) in transform mode: each file
alone, no bundling, top-level names kept (the scripts share the page's globals); what it renames lives
inside a function. One process for all the files, about 30 ms.
"""
from __future__ import annotations

import html
import subprocess
from pathlib import Path

from lxml import html as lxml_html

ESBUILD = Path("node_modules") / "esbuild" / "bin" / "esbuild"
ABSENT = (f"esbuild ({ESBUILD.as_posix()}), qui publie les scripts du guide réduits, n'est pas installé : lancez "
          "./scripts/servir.sh (ou ./scripts/tester.sh), qui installe les paquets npm de package-lock.json.")
DELAI_MAX_S = 60


class ScriptsNonReduits(Exception):
    """The scripts could not be minified: the message says why, in French."""


def reduire(docs_dir: Path, site_dir: Path, racine: Path) -> list[Path]:
    """Minify in `site_dir` the copy of each script of `docs_dir` that MkDocs has just copied; return their paths
    in the site. `racine`: the project, whose node_modules holds esbuild."""
    sources = sorted(p.relative_to(docs_dir) for p in docs_dir.rglob("*.js"))
    # Only the copies MkDocs has just made: under `mkdocs serve --dirty` it leaves a copy newer than its source as it
    # is, already minified by an earlier build, and esbuild minifying its own output again writes other bytes.
    copies = [site_dir / p for p in sources
              if (site_dir / p).is_file() and (site_dir / p).read_bytes() == (docs_dir / p).read_bytes()]
    if not copies:
        return []
    esbuild = racine / ESBUILD
    if not esbuild.is_file():
        raise ScriptsNonReduits(ABSENT)
    # Each copy is read and written in place: the site holds the file MkDocs copied, the sources are not touched.
    try:
        result = subprocess.run([str(esbuild), *map(str, copies), "--minify", "--charset=utf8",
                                 "--log-level=error", f"--outdir={site_dir}", f"--outbase={site_dir}",
                                 "--allow-overwrite"],
                                capture_output=True, text=True, timeout=DELAI_MAX_S)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ScriptsNonReduits(f"esbuild n'a pas pu réduire les scripts du guide : {exc}") from None
    if result.returncode != 0:
        raise ScriptsNonReduits("esbuild n'a pas pu réduire les scripts du guide (une erreur de syntaxe ?) :\n"
                                + result.stderr.strip()[-2000:])
    return copies


def prechargements(page_html: str, feuilles: list[str] = ()) -> str:
    """`<link rel="preload">` for each stylesheet and script that `page_html` (a page's own stylesheet links and
    script tags, as the theme writes them) and `feuilles` (more stylesheets' addresses) load: the stylesheets first
    (a page shows nothing before them), then the scripts in the order they run. Written in <head> before the
    Content-Security-Policy.

    Why: Chromium's preload scanner stops at a policy given by a <meta> (it cannot know what the policy allows),
    so the scripts at the end of a page were asked for one after the other, each once the one before had run:
    twelve round trips before a page answered, 40 ms apiece here, far more on a phone's network. A preload in
    <head> is fetched as the parser reads it; the policy still decides, when each <script> comes, whether it
    runs."""
    racine = lxml_html.fragment_fromstring(page_html or "<i></i>", create_parent="div")
    styles = [lien.get("href") for lien in racine.iter("link") if lien.get("rel") == "stylesheet" and lien.get("href")]
    liens = {}
    for href in [*styles, *feuilles]:
        liens.setdefault(href, f'<link rel="preload" href="{html.escape(href)}" as="style">')
    for script in racine.iter("script"):
        src = script.get("src")
        if src:
            rel = "modulepreload" if script.get("type") == "module" else "preload"
            liens.setdefault(src, f'<link rel="{rel}" href="{html.escape(src)}" as="script">')
    return "\n".join(liens.values())
