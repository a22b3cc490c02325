#!/usr/bin/env python3
"""Benchmark of the guide's build on realistic fiches: the real guide, the real territory fiches cloned to N
territories, and plain MkDocs + Material on the same text, all in one run (so ratios hold on a noisy machine).

    .venv/bin/python scripts/benchmark.py                        # 200 and 2000 fiches
    .venv/bin/python scripts/benchmark.py --tailles 200 2000 10000
    .venv/bin/python scripts/benchmark.py --tailles 200 --sans-apercu   # quicker
    .venv/bin/python scripts/benchmark.py --json rapport.json
    .venv/bin/python scripts/benchmark.py --recherche            # search only, at 2000 fiches (issue 15)

The fixture (issue 27): every real territory fiche copied whole (all its fields, actions, sources,
identity, official code) in batches; in batch k a clone is named « …, copie k » (aliases too: the
validator wants names unique) and its co-porteurs are the clones of the same batch. The guide is built
with `mkdocs build --strict`.

Each size is built three times, one after the other: the guide; plain MkDocs + Material building one page
per fiche with the text a reader finds there (body, official identity rows, each action's title, summary
and source line), the first measure of what the guide costs; Pagefind's own command indexing that witness's
pages, what the search index costs alone (for the memory target); plain Material converting the very Markdown
the guide's templates produce for its fiche pages, the second (what the guide's engine adds around the
Markdown conversion). Reported: wall time, pages, time per page, peak memory (all processes, see run_measured),
median and largest territory page, search index size and indexing time, the ratios; then, on the largest
guide, what a reader downloads of search engine and index for a first visit plus one query (bytes counted
at the HTTP server while Chromium types), how long `mkdocs serve` (as scripts/servir.sh runs it) takes to
serve an edited fiche's page and then the whole site, and whether each target is met.
"""
from __future__ import annotations

import copy
import functools
import http.server
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import psutil
import yaml

from pdf import chromium  # Debian's Chromium, installed when missing (the search download opens it)
from guide.commande import ArgumentParser  # argparse's own words in French (pdf put macros/ on the path)

ROOT = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ("docs", "fiches", "macros", "overrides", "mkdocs.yml")
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
# Issue 27: against plain Material on the same text (realistic fiches), and on the guide's generated Markdown.
TARGETS = {"ratio_meme_texte": 3.0, "ratio_memoire": 2.0, "ratio_markdown": 1.3, "median_kb": 40, "scaling": 0.20, "reload_s": 1.0, "search_kb": 300, "index_share": 0.15}
# What a reader types in the header's search box for the download measure: two words, a common subject.
QUERY = "commande publique"


def _pss_ko(proc: psutil.Process) -> int:
    """The proportional set size of a process and of every process under it, in kB: each one's own memory, and
    its share of what it shares with the others."""
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            total += p.memory_full_info().pss // 1024
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):  # ended meanwhile
            pass
    return total


def run_measured(cmd: list[str], cwd: Path) -> tuple[float, float, float, float]:
    """Run a command; return (wall seconds, CPU seconds, peak memory of all its processes together in MB, peak
    RSS of the largest one in MB).

    CPU seconds (user + system) and the largest RSS come from wait4: those of the process and of the children
    it waited for (the Pagefind indexer, the processes converting pages beside the build). The build's memory is
    that of all its processes at the same moment: their proportional set sizes (memory two processes share
    counted once, psutil), summed every 0.1 s while the command runs. CPU time hardly moves when other work
    shares the machine, where wall time doubles: on a shared machine, compare CPU ratios."""
    start = time.perf_counter()
    # Its messages into a file, not a pipe nobody reads until the end: a build that fails on thousands of fiches
    # writes more than a pipe holds, and waited for ever to write the rest.
    journal = tempfile.TemporaryFile()
    proc = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=journal)
    pic = [0]
    fini = threading.Event()

    suivi = psutil.Process(proc.pid)

    def echantillonner():
        while not fini.wait(0.1):
            try:
                pic[0] = max(pic[0], _pss_ko(suivi))
            except psutil.Error:  # the build has ended
                pass

    echantillons = threading.Thread(target=echantillonner, daemon=True)
    echantillons.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    fini.set()
    echantillons.join()
    if os.waitstatus_to_exitcode(status) != 0:
        journal.seek(0)
        raise SystemExit(f"échec de {' '.join(cmd)} :\n{journal.read().decode(errors='replace')[-3000:]}")
    journal.close()
    return wall, usage.ru_utime + usage.ru_stime, pic[0] / 1024, usage.ru_maxrss / 1024


def copy_project(dest: Path) -> Path:
    for part in PROJECT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(src, dest / part)
    (dest / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)  # official data, outlines
    return dest


def split(text: str) -> tuple[dict, str]:
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def real_fiches() -> list[tuple[str, dict, str]]:
    return [(p.stem, *split(p.read_text(encoding="utf-8"))) for p in sorted((ROOT / "fiches/territoires").glob("*.md"))]


def _groups(real: list[tuple[str, dict, str]]) -> list[list[int]]:
    """The real fiches in groups closed under co-porteurs (a fiche and every fiche its actions name, and
    those naming it), in file order: a partial batch of clones takes whole groups, so each clone's co-porteurs
    are clones of the same batch and a fiche without actions of its own keeps its carrier."""
    index = {slug: i for i, (slug, _, _) in enumerate(real)}
    parent = list(range(len(real)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i
    for i, (_, data, _) in enumerate(real):
        for action in data.get("actions", []):
            for other in action.get("coporteurs", []):
                parent[find(index[other])] = find(i)
    groups: dict = {}
    for i in range(len(real)):
        groups.setdefault(find(i), []).append(i)
    return sorted(groups.values())


def _clone(slug: str, data: dict, body: str, batch: int) -> tuple[str, dict, str]:
    """A real fiche copied whole (fields, actions, sources, identity, official code), its name, aliases and
    co-porteurs renamed for the batch: the validator wants names and aliases unique, co-porteurs existing. The
    suffix is a word of the name, not in brackets: a name in brackets (« Rennes (Ille-et-Vilaine) ») is the
    reference's name when the fiche says it has no code, which a copy does."""
    suffix = f", copie {batch}"
    data = copy.deepcopy(data)
    data["nom"] += suffix
    if "alias" in data:
        data["alias"] = [a + suffix for a in data["alias"]]
    for action in data.get("actions", []):
        if "coporteurs" in action:
            action["coporteurs"] = [f"{other}-copie-{batch}" for other in action["coporteurs"]]
        # A copy's actions are its own: the validator refuses one action written in two fiches. Named by the copy's
        # name, which is unique: an identifier written in a text is refused (« nantes-metropole »).
        action["titre"] = f"{action['titre']} ({data['nom']})"
        # …and so are its summaries and its text: the validator refuses a fiche that keeps another's (a fiche copied
        # and left with the other territory's text).
        if isinstance(action.get("resume"), str):
            action["resume"] = f"{action['resume'].rstrip()} ({data['nom']})"
    # An official code belongs to one fiche (the validator refuses it twice): a copy says why it has none.
    for cle in ("code_insee", "siren"):
        if data.pop(cle, None):
            data["code_officiel_absent"] = "copie d'une fiche réelle, pour la mesure"
    if body.strip():
        body = f"{body.rstrip()}\n\nCopie n° {batch} de cette fiche, pour la mesure.\n"
    return f"{slug}-copie-{batch}", data, body


def synthetic_fiches(n: int) -> list[tuple[str, dict, str]]:
    """n territory fiches: the real ones, then whole batches of clones of them (batch k: every real fiche
    once, renamed « …, copie k »), the last batch partial (whole co-porteur groups, then single fiches)."""
    real = real_fiches()
    if n <= len(real):
        picked = _fill(_groups(real), n)
        return [real[i] for i in picked]
    out = list(real)
    batch = 0
    while len(out) < n:
        batch += 1
        picked = _fill(_groups(real), min(len(real), n - len(out)))
        out += [_clone(*real[i], batch) for i in picked]
    return out


def _fill(groups: list[list[int]], n: int) -> list[int]:
    """Indexes of whole groups adding up to n (groups too large for what is left are skipped)."""
    picked: list[int] = []
    for group in sorted(groups, key=len, reverse=True):
        if len(picked) + len(group) <= n:
            picked += group
    if len(picked) != n:
        raise SystemExit(f"impossible de composer {n} fiches de groupes entiers de co-porteurs")
    return sorted(picked)


def make_guide(dest: Path, n: int) -> Path:
    copy_project(dest)
    folder = dest / "fiches/territoires"
    shutil.rmtree(folder)
    folder.mkdir()
    for slug, data, body in synthetic_fiches(n):
        write_fiche(folder / f"{slug}.md", data, body)
    return dest


def write_fiche(path: Path, data: dict, body: str) -> None:
    front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    path.write_text(f"---\n{front}---\n{body}", encoding="utf-8")


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml for its Markdown extensions; MkDocs tags such as !ENV are left empty."""


_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)

RENDER_PAGES = """
import sys
from pathlib import Path
root = Path(sys.argv[1]); out = Path(sys.argv[2])
sys.path.insert(0, str(root / "macros"))
from guide import build_guide
from guide.rendu.render import Renderer
guide = build_guide(root)
renderer = Renderer(guide)
for kind, items, template, key in (("champs", guide.champs, "champ.md.j2", "champ"),
                                   ("territoires", guide.territoires, "territoire.md.j2", "territoire")):
    (out / kind).mkdir(parents=True, exist_ok=True)
    for slug, fiche in items.items():
        src = f"{kind}/{slug}.md"
        (out / src).write_text(renderer.render(template, src, **{key: fiche}), encoding="utf-8")
"""


SAME_TEXT_PAGES = """
import sys
from pathlib import Path
root = Path(sys.argv[1]); out = Path(sys.argv[2])
sys.path.insert(0, str(root / "macros"))
from guide import build_guide
guide = build_guide(root)

def source_line(sources):
    cited = []
    for c in sources or []:
        pub = guide.publications[c["publication"]]
        where = (f", p. {c['page']}" if "page" in c else "") + (f", « {c['section']} »" if "section" in c else "")
        cited.append(pub.get("edition", pub["titre"]) + where)
    return "Sources : " + " ; ".join(cited) if cited else ""

for kind, items in (("champs", guide.champs), ("territoires", guide.territoires)):
    (out / kind).mkdir(parents=True, exist_ok=True)
    for slug, fiche in items.items():
        data = fiche.data
        lines = [f"# {data.get('titre') or data['nom']}", "", fiche.doc.body.strip(), ""]
        o = getattr(fiche, "officiel", None)
        if o is not None:
            lines += ["## Identité officielle", "", "| Dans le référentiel officiel | Valeur |", "|---|---|",
                      f"| Nom officiel | {o.nom} ({o.categorie}) |", f"| Code | {o.code} |",
                      "| Départements | " + ", ".join(f"{n} ({c})" for c, n in o.departements) + " |"]
            if o.region:
                lines.append(f"| Région | {o.region[1]} ({o.region[0]}) |")
            if o.population is not None:
                lines.append(f"| Population | {o.population} habitants |")
            if o.membres:
                lines.append(f"| Communes membres | {len(o.membres)} |")
            lines.append("")
        for action in getattr(fiche, "toutes_actions", []):
            lines += [f"## {action.data['titre']}", "", str(action.data["resume"]).strip(), "",
                      source_line(action.data.get("sources")), ""]
        (out / kind / f"{slug}.md").write_text("\\n".join(lines), encoding="utf-8")
"""


def make_plain_same_text(dest: Path, guide_project: Path) -> Path:
    """Plain MkDocs + Material (no macros, no guide plugin, no extension beyond tables) building one page per fiche
    with the text a reader finds on that fiche's page: its body, its official identity rows, and for every
    action its title, summary and source line. What the guide costs over a site that shows the same text."""
    docs = dest / "docs"
    docs.mkdir(parents=True)
    subprocess.run([sys.executable, "-c", SAME_TEXT_PAGES, str(guide_project), str(docs)], check=True, env=ENV)
    # The same Markdown extensions as the guide (admonitions, footnotes… written in fiche bodies).
    guide_config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)
    (docs / "index.md").write_text("# Accueil\n", encoding="utf-8")
    (docs / "territoires" / "index.md").write_text("# Territoires\n", encoding="utf-8")
    champs = [{"Champs": [f"champs/{p.name}" for p in sorted((docs / "champs").glob("*.md"))]}]
    config = {"site_name": "Témoin", "theme": {"name": "material", "language": "fr"},
              "plugins": [{"search": {"lang": "fr"}}], "markdown_extensions": guide_config["markdown_extensions"],
              "nav": ["index.md", *champs, "territoires/index.md"], "not_in_nav": "/territoires/*.md",
              "validation": {"links": {"not_found": "info"}}}
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return dest


def make_plain(dest: Path, guide_project: Path) -> Path:
    """Plain MkDocs + Material (no macros, no guide plugin) building the very Markdown the guide's macros produce
    for its champ and territory pages, with the same Markdown extensions: the ratio isolates what the
    guide's engine (loading, validation, joins, templates, plugin) adds to Material."""
    docs = dest / "docs"
    docs.mkdir(parents=True)
    subprocess.run([sys.executable, "-c", RENDER_PAGES, str(guide_project), str(docs)], check=True, env=ENV)
    (docs / "index.md").write_text("# Accueil\n", encoding="utf-8")
    (docs / "territoires" / "index.md").write_text("# Territoires\n", encoding="utf-8")
    guide_config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)
    champs = [{"Champs": [f"champs/{p.name}" for p in sorted((docs / "champs").glob("*.md"))]}]
    config = {"site_name": "Témoin", "theme": {"name": "material", "language": "fr"},
              "plugins": [{"search": {"lang": "fr"}}], "markdown_extensions": guide_config["markdown_extensions"],
              "nav": ["index.md", *champs, "territoires/index.md"], "not_in_nav": "/territoires/*.md",
              "validation": {"links": {"not_found": "info"}}}
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return dest


def measure(project: Path, label: str, strict: bool = False) -> dict:
    """Build `project` once; its wall time, peak memory (of all its processes together, and of the largest one:
    see run_measured), pages."""
    site = project / "site"
    # The build writes there the seconds it spent on the search index (macros/guide/sorties/recherche.py).
    mesure = project / "mesure-recherche.json"
    # For this build only: left in the environment, it sent the preview's builds (reload_time) to write into the
    # folder of the last witness measured, removed by then; the preview's first build failed on it.
    ENV["GUIDE_MESURE_RECHERCHE"] = str(mesure)
    try:
        wall, cpu, memoire, rss = run_measured([sys.executable, "-m", "mkdocs", "build", "-q", *(["--strict"] if strict else []),
                                       "-d", str(site)], project)
    finally:
        del ENV["GUIDE_MESURE_RECHERCHE"]
    pages = list(site.rglob("index.html"))
    # Fiche pages only, not the authored pages of docs/territoires/ (the matrix lists every territory).
    authored = {p.stem for p in (ROOT / "docs" / "territoires").glob("*.md")}
    territory_pages = [p.stat().st_size for p in (site / "territoires").glob("*/index.html")
                       if p.parent.name not in authored]
    index = site / "pagefind"
    row = {"build": label, "pages": len(pages), "secondes": round(wall, 2), "cpu_s": round(cpu, 2),
           "ms_par_page": round(1000 * wall / len(pages), 2),
           "ms_cpu_par_page": round(1000 * cpu / len(pages), 2), "memoire_mo": round(memoire),
           "rss_max_processus_mo": round(rss),
           "page_territoire_mediane_ko": round(statistics.median(territory_pages) / 1024, 1),
           "page_territoire_max_ko": round(max(territory_pages) / 1024, 1),
           # Pagefind's files (a query loads a few of them); for plain Material, its lunr index (loaded whole).
           "index_recherche_mo": round(sum(p.stat().st_size for p in index.rglob("*") if p.is_file()) / 1024 / 1024, 2)
           if index.exists() else round((site / "search" / "search_index.json").stat().st_size / 1024 / 1024, 2)}
    if mesure.exists():
        # What the search index adds to the build: its seconds over those of the rest of the build.
        seconds = json.loads(mesure.read_text(encoding="utf-8"))["indexation_s"]
        row["indexation_s"] = round(seconds, 2)
        row["part_indexation"] = round(seconds / (wall - seconds), 3)
    return row


def measure_pagefind(site: Path, label: str) -> dict:
    """Pagefind's own command indexing the pages of plain Material's site on the same text (its whole pages, in
    French), as a site with Material and Pagefind would after `mkdocs build`: its time, CPU and peak memory.
    The guide indexes with the same Pagefind (requirements.txt); this row shows what that index costs alone,
    against the witness's whole build, so that the guide's memory ratio reads against what search needs."""
    from pagefind_bin import get_executable  # the binary of the pinned `pagefind[bin]`
    sortie = site.parent / "pagefind-seul"
    wall, cpu, memoire, rss = run_measured([str(get_executable()), "--site", str(site), "--output-path", str(sortie),
                                            "--force-language", "fr", "--silent"], site.parent)
    return {"build": label, "pages": len(list(site.rglob("index.html"))), "secondes": round(wall, 2),
            "cpu_s": round(cpu, 2), "memoire_mo": round(memoire), "rss_max_processus_mo": round(rss),
            "index_recherche_mo": round(sum(p.stat().st_size for p in sortie.rglob("*") if p.is_file()) / 1024 / 1024, 2)}


class _Counting(http.server.SimpleHTTPRequestHandler):
    """Static server that adds up the bytes it sends, by path."""
    sent: dict = {}

    def log_message(self, *args):
        pass

    def copyfile(self, source, outputfile):
        data = source.read()
        outputfile.write(data)
        path = self.path.split("?")[0]
        _Counting.sent[path] = _Counting.sent.get(path, 0) + len(data)


def search_download(site: Path, territory_page: str, query: str = QUERY) -> dict:
    """Bytes of search engine and index (Pagefind's files, Material's search index, the search worker
    and its query script) sent by a local HTTP server while Chromium opens a territory page (first visit,
    empty cache) and types `query` into the header's search box, until the results show."""
    from playwright.sync_api import sync_playwright
    _Counting.sent = {}
    handler = functools.partial(_Counting, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium(),
                                        args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/{territory_page}")
            page.wait_for_load_state("networkidle")
            page.keyboard.press("/")
            page.keyboard.type(query, delay=150)  # a quick typist
            page.locator(".md-search-result__item").first.wait_for(timeout=60000)
            page.wait_for_load_state("networkidle")
            time.sleep(1)
            browser.close()
    finally:
        server.shutdown()
    search = {path: n for path, n in _Counting.sent.items()
              if path.startswith(("/pagefind/", "/search/", "/assets/javascripts/workers/", "/assets/javascripts/guide-requete"))}
    return {"requete": query, "octets": sum(search.values()), "fichiers": len(search),
            "detail": dict(sorted(search.items(), key=lambda kv: -kv[1]))}


# The command of scripts/servir.sh: under --dirty, a saved fiche's page is rebuilt first (macros/guide/construction/apercu.py).
SERVE = ["serve", "--dirty", "--strict", "--watch", "fiches", "--watch", "macros"]


def _get(url: str) -> str | None:
    try:
        return urllib.request.urlopen(url, timeout=10).read().decode("utf-8")
    except OSError:
        return None


def reload_time(project: Path) -> dict:
    """Seconds between saving an edited fiche and `mkdocs serve` (as scripts/servir.sh runs it) serving
    (page) the fiche's page with the change, (site) the territory index with it too (the complete build), and
    (pendant) seconds between saving a second fiche while that complete build runs and its page showing the
    change; (index_avant) whether the index already had the first change when the second page came (the
    complete build was finished, not interrupted: apercu.py)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", *SERVE, "-a", f"127.0.0.1:{port}"],
                              cwd=project, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        premiere, seconde = sorted((project / "fiches/territoires").glob("*.md"))[:2]
        base = f"http://127.0.0.1:{port}"
        page, index = f"{base}/territoires/{premiere.stem}/", f"{base}/territoires/"
        page_seconde = f"{base}/territoires/{seconde.stem}/"
        deadline = time.time() + 1800  # the first build, on a shared machine
        while _get(page) is None:
            if time.time() > deadline or server.poll() is not None:
                raise SystemExit("mkdocs serve n'a pas servi le guide")
            time.sleep(0.2)
        time.sleep(2)  # let the watcher settle after the first build
        token = f"Repere{int(time.time())}"

        def enregistrer(fiche: Path, marque: str, par_renommage: bool = False) -> float:
            # The token goes in the territory's name: on its page, and on the index once the whole site is rebuilt.
            data, body = split(fiche.read_text(encoding="utf-8"))
            data["nom"] = f"{marque} {data['nom']}"
            if par_renommage:  # as many editors save: a new file renamed over the old one (its folder changes too)
                neuf = fiche.with_name(f".{fiche.name}.tmp")
                write_fiche(neuf, data, body)
                os.replace(neuf, fiche)
            else:
                write_fiche(fiche, data, body)
            return time.perf_counter()

        results = {}
        start = enregistrer(premiere, token)
        while "page" not in results and time.perf_counter() - start < 300:
            if token in (_get(page) or ""):
                results["page"] = round(time.perf_counter() - start, 2)
            time.sleep(0.05)
        # The complete build starts a second after the edited page is built; the second fiche is saved while it runs.
        time.sleep(2)
        start_seconde = enregistrer(seconde, token + "b", par_renommage=True)
        while "pendant" not in results and time.perf_counter() - start_seconde < 300:
            if token + "b" in (_get(page_seconde) or ""):
                results["pendant"] = round(time.perf_counter() - start_seconde, 2)
                results["index_avant"] = token + " " in (_get(index) or "")
            time.sleep(0.05)
        while "site" not in results and time.perf_counter() - start < 600:
            texte = _get(index) or ""
            if token + " " in texte and token + "b" in texte:
                results["site"] = round(time.perf_counter() - start, 2)
            time.sleep(0.05)
        return {"page": float("inf"), "site": float("inf"), "pendant": float("inf"), "index_avant": None, **results}
    finally:
        server.terminate()
        server.wait()


def main() -> int:
    parser = ArgumentParser(description="Mesure la construction du guide.")
    parser.add_argument("--tailles", type=int, nargs="+", default=[200, 2000],
                        help="nombres de fiches territoire (copies réalistes des fiches réelles) ; 10000 en option")
    parser.add_argument("--json", type=Path, help="écrire le rapport dans ce fichier")
    parser.add_argument("--recherche", action="store_true",
                        help="la recherche seule, à 2 000 fiches : indexation et téléchargement d'une requête")
    parser.add_argument("--sans-apercu", action="store_true",
                        help="ne pas mesurer l'aperçu d'une fiche modifiée (mkdocs serve) à la plus grande taille")
    parser.add_argument("--creer", type=Path, metavar="DOSSIER",
                        help="seulement écrire dans DOSSIER le guide réaliste de la plus grande taille (pour le profiler)")
    args = parser.parse_args()
    if not args.creer:
        chromium()  # installed now when missing, not after the builds it would have measured in vain
    if args.recherche:
        return search_only(args.json)
    if args.creer:
        make_guide(args.creer, max(args.tailles))
        return 0
    rows, apercu = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        rows.append(measure(copy_project(tmp / "reel"), "guide réel", strict=True))
        for n in sorted(args.tailles):
            project = make_guide(tmp / f"guide-{n}", n)
            guide = measure(project, f"guide {n} fiches", strict=True)
            # Within the same run, one after the other: the ratios hold on a machine shared with others.
            same_text = measure(make_plain_same_text(tmp / f"meme-texte-{n}", project), f"Material seul, même texte {n}")
            pagefind_seul = measure_pagefind(tmp / f"meme-texte-{n}" / "site", f"Pagefind seul, même texte {n}")
            generated = measure(make_plain(tmp / f"temoin-{n}", project), f"Material seul, Markdown du guide {n}")
            guide["ratio_meme_texte"] = round(guide["secondes"] / same_text["secondes"], 2)
            guide["ratio_cpu_meme_texte"] = round(guide["cpu_s"] / same_text["cpu_s"], 2)
            guide["ratio_cpu_markdown_guide"] = round(guide["cpu_s"] / generated["cpu_s"], 2)
            guide["ratio_memoire_meme_texte"] = round(guide["memoire_mo"] / same_text["memoire_mo"], 2)
            guide["ratio_markdown_guide"] = round(guide["secondes"] / generated["secondes"], 2)
            # Pagefind alone, on the witness's pages, against the witness's whole build: what the search index
            # the readers use costs before the guide adds anything (see measure_pagefind).
            pagefind_seul["ratio_meme_texte"] = round(pagefind_seul["secondes"] / same_text["secondes"], 2)
            pagefind_seul["ratio_cpu_meme_texte"] = round(pagefind_seul["cpu_s"] / same_text["cpu_s"], 2)
            pagefind_seul["ratio_memoire_meme_texte"] = round(pagefind_seul["memoire_mo"] / same_text["memoire_mo"], 2)
            rows += [guide, same_text, pagefind_seul, generated]
            for row in (guide, same_text, pagefind_seul, generated):  # as they come: a long run shows its progress
                print(json.dumps(row, ensure_ascii=False), flush=True)
            shutil.rmtree(tmp / f"meme-texte-{n}")
            shutil.rmtree(tmp / f"temoin-{n}")
            if n != max(args.tailles):
                shutil.rmtree(project)
        biggest_project = tmp / f"guide-{max(args.tailles)}"
        download = search_download(biggest_project / "site", first_territory_page(biggest_project))
        if not args.sans_apercu:
            try:
                apercu = reload_time(biggest_project)
            except SystemExit as exc:  # reported with the builds measured so far
                print(exc, file=sys.stderr)
                apercu = {"page": float("inf"), "site": float("inf"), "pendant": float("inf"), "index_avant": None}
    columns = list(rows[0]) + ["ratio_meme_texte", "ratio_cpu_meme_texte", "ratio_memoire_meme_texte",
                               "ratio_markdown_guide", "ratio_cpu_markdown_guide"]
    print(" | ".join(columns))
    for row in rows:
        print(" | ".join(str(row.get(c, "")) for c in columns))
    biggest, smallest = max(args.tailles), min(args.tailles)
    if apercu:
        print(f"mkdocs serve à {biggest} fiches, après modification d'une fiche : page de la fiche "
              f"servie en {apercu['page']} s, site entier (index, champs, recherche…) en {apercu['site']} s ; "
              f"fiche enregistrée pendant la construction complète : sa page servie en {apercu['pendant']} s")
    print_download(download, biggest)
    for row in rows:
        if row["build"].startswith("Pagefind seul"):
            print(f"référence : {row['build']} (l'index de recherche seul, sur les pages de Material seul) : "
                  f"{row['secondes']} s, {row['memoire_mo']} Mo, soit {row['ratio_memoire_meme_texte']} × la mémoire "
                  f"et {row['ratio_meme_texte']} × le temps de Material seul")

    guides = {r["build"]: r for r in rows}
    big, small = guides[f"guide {biggest} fiches"], guides[f"guide {smallest} fiches"]
    checks = [
        *[check for n in sorted(args.tailles) for check in ratio_checks(guides[f"guide {n} fiches"], n)],
        (f"page territoire médiane ≤ {TARGETS['median_kb']} Ko", big["page_territoire_mediane_ko"] <= TARGETS["median_kb"]),
        # A page must not grow as fiches are added; it may be a little lighter (its « Territoires comparables »
        # name copies with shorter names).
        ("page territoire médiane qui ne grossit pas avec le nombre de fiches",
         big["page_territoire_mediane_ko"] - small["page_territoire_mediane_ko"] <= 1),
        *search_checks(big, download, biggest),
        # Linear scaling: a page must not cost more as fiches are added. It may cost less: the fixed costs of
        # a build (official reference data, the guide's own pages, the search process) are shared by more
        # pages, and the work done on the second core (sanitising, indexing) grows with the pages.
        (f"coût par page à {biggest} fiches au plus {int(TARGETS['scaling'] * 100)} % au-dessus de celui à "
         f"{smallest} (croissance linéaire ; ici {100 * (big['ms_par_page'] / small['ms_par_page'] - 1):+.0f} %)",
         big["ms_par_page"] / small["ms_par_page"] - 1 <= TARGETS["scaling"]),
    ]
    if apercu:
        checks.append((f"page d'une fiche modifiée servie en ≤ {TARGETS['reload_s']} s à {biggest} fiches",
                       apercu["page"] <= TARGETS["reload_s"]))
        # An editor who saves again while the complete build runs does not wait for it (apercu.py).
        checks.append((f"fiche enregistrée pendant la construction complète : sa page servie en ≤ "
                       f"{TARGETS['reload_s']} s, sans attendre la fin de cette construction",
                       apercu["pendant"] <= TARGETS["reload_s"] and apercu["index_avant"] is False))
    for label, ok in checks:
        print(("✓ " if ok else "✗ ") + label)
    if args.json:
        args.json.write_text(json.dumps({"builds": rows, "apercu_s": apercu, "recherche": download,
                                         "objectifs": {label: ok for label, ok in checks}},
                                        ensure_ascii=False, indent=2), encoding="utf-8")
    return 0 if all(ok for _, ok in checks) else 1


def ratio_checks(row: dict, n: int) -> list:
    return [
        (f"temps de construction ≤ {TARGETS['ratio_meme_texte']} × Material seul sur le même texte à {n} fiches "
         f"(ici {row['ratio_meme_texte']} ; en temps CPU {row['ratio_cpu_meme_texte']})",
         row["ratio_meme_texte"] <= TARGETS["ratio_meme_texte"]),
        (f"mémoire max. ≤ {TARGETS['ratio_memoire']} × Material seul sur le même texte à {n} fiches "
         f"(ici {row['ratio_memoire_meme_texte']})", row["ratio_memoire_meme_texte"] <= TARGETS["ratio_memoire"]),
        (f"temps de construction ≤ {TARGETS['ratio_markdown']} × Material seul sur le Markdown du guide à {n} fiches "
         f"(ici {row['ratio_markdown_guide']} ; en temps CPU {row['ratio_cpu_markdown_guide']})",
         row["ratio_markdown_guide"] <= TARGETS["ratio_markdown"]),
    ]


def first_territory_page(project: Path) -> str:
    slug = sorted((project / "fiches/territoires").glob("*.md"))[0].stem
    return f"territoires/{slug}/"


def print_download(download: dict, n: int) -> None:
    print(f"recherche à {n} fiches, première visite d'une page territoire puis « {download['requete']} » tapé "
          f"dans la recherche : {round(download['octets'] / 1024, 1)} Ko en {download['fichiers']} fichiers")
    for path, size in download["detail"].items():
        print(f"    {round(size / 1024, 1):>7} Ko  {path}")


def search_checks(row: dict, download: dict, n: int) -> list:
    return [
        (f"recherche : page territoire + une requête ≤ {TARGETS['search_kb']} Ko à {n} fiches",
         download["octets"] <= TARGETS["search_kb"] * 1024),
        (f"recherche : indexation ≤ {int(TARGETS['index_share'] * 100)} % du temps de construction à {n} fiches",
         row["part_indexation"] <= TARGETS["index_share"]),
    ]


def search_only(json_path: Path | None, n: int = 2000) -> int:
    """The search targets alone (issue 15): one guide of n fiches built, its indexing step timed alone,
    and the download of a first visit plus one query."""
    with tempfile.TemporaryDirectory() as tmp:
        project = make_guide(Path(tmp) / f"guide-{n}", n)
        row = measure(project, f"guide {n} fiches")
        download = search_download(project / "site", first_territory_page(project))
    print(" | ".join(row))
    print(" | ".join(str(v) for v in row.values()))
    print(f"index de recherche (Pagefind) : {row['indexation_s']} s, soit {round(100 * row['part_indexation'], 1)} % "
          f"du reste de la construction ({round(row['secondes'] - row['indexation_s'], 2)} s)")
    print_download(download, n)
    checks = search_checks(row, download, n)
    for label, ok in checks:
        print(("✓ " if ok else "✗ ") + label)
    if json_path:
        json_path.write_text(json.dumps({"build": row, "recherche": download,
                                         "objectifs": {label: ok for label, ok in checks}},
                                        ensure_ascii=False, indent=2), encoding="utf-8")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
