#!/usr/bin/env python3
"""Benchmark of the guide's build: real guide, synthetic guides of N territory fiches, and plain
MkDocs + Material with the same page counts, all in one run (so ratios hold on a noisy machine).

    .venv/bin/python scripts/benchmark.py                 # 200, 1000 and 2000 fiches
    .venv/bin/python scripts/benchmark.py --tailles 200   # quicker
    .venv/bin/python scripts/benchmark.py --json rapport.json
    .venv/bin/python scripts/benchmark.py --recherche     # search only, at 2000 fiches (issue 15)

Reports for each build: wall time, time per page, ratio to plain Material, peak memory (RSS of the
build process), median and largest territory page, size of the search index on disk, and the time
of its indexing step; then, on the largest guide, how long `mkdocs serve` (run as scripts/servir.sh
runs it) takes to serve an edited fiche's page and then the whole site, what a reader downloads of
search engine and index on a first visit to a territory page plus one query typed in the header's box
(bytes counted at the HTTP server while Chromium types), and whether each target is met.
Synthetic fiches are copies of the real ones under new names: same shapes, same text lengths. The plain
Material build of each size converts the same Markdown the guide's macros produce for its fiche pages,
with the same Markdown extensions, so the ratio measures what the guide's engine adds.
"""
from __future__ import annotations

import argparse
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

import yaml

ROOT = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ("docs", "fiches", "macros", "overrides", "mkdocs.yml")
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
TARGETS = {"ratio": 1.5, "median_kb": 40, "scaling": 0.20, "reload_s": 2.0, "search_kb": 300, "index_share": 0.15}
# What a reader types in the header's search box for the download measure: two words, a common subject.
QUERY = "commande publique"


def run_measured(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Run a command; return (wall seconds, peak RSS in MB of that process)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"échec de {' '.join(cmd)} :\n{proc.stderr.read().decode()[-3000:]}")
    return wall, usage.ru_maxrss / 1024


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


def synthetic_fiches(n: int) -> list[tuple[str, dict, str]]:
    """n territory fiches: the real ones, then numbered copies of them until n."""
    real = [(p.stem, *split(p.read_text(encoding="utf-8"))) for p in sorted((ROOT / "fiches/territoires").glob("*.md"))]
    out = list(real[:n])
    i = 0
    while len(out) < n:
        slug, data, body = real[i % len(real)]
        copy_no = i // len(real) + 1
        data = {**data, "nom": f"{data['nom']} (copie {copy_no})"}
        data.pop("alias", None)
        data["actions"] = [{k: v for k, v in a.items() if k != "coporteurs"} for a in data.get("actions", [])]
        if not data["actions"]:
            data["actions"] = [a for a in real[0][1]["actions"][:1]]
        # A copy's actions and official code are its own: the validator refuses one action or one code in two fiches.
        data["actions"] = [{**a, "titre": f"{a['titre']} ({slug}, copie {copy_no})"} for a in data["actions"]]
        for cle in ("code_insee", "siren"):
            if data.pop(cle, None):
                data["code_officiel_absent"] = "copie synthétique d'une fiche réelle, pour la mesure"
        out.append((f"{slug}-copie-{copy_no}", data, body))
        i += 1
    return out


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


def make_plain(dest: Path, guide_project: Path) -> Path:
    """Plain MkDocs + Material (no macros, no hooks) building the very Markdown the guide's macros produce
    for its champ and territory pages, with the same Markdown extensions: the ratio isolates what the
    guide's engine (loading, validation, joins, macros, hooks) adds to Material."""
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


def measure(project: Path, label: str) -> dict:
    site = project / "site"
    # The build writes there the seconds it spent on the search index (macros/guide/sorties/recherche.py).
    mesure = project / "mesure-recherche.json"
    ENV["GUIDE_MESURE_RECHERCHE"] = str(mesure)
    wall, rss = run_measured([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)], project)
    pages = list(site.rglob("index.html"))
    # Fiche pages only, not the authored pages of docs/territoires/ (the matrix lists every territory).
    authored = {p.stem for p in (ROOT / "docs" / "territoires").glob("*.md")}
    territory_pages = [p.stat().st_size for p in (site / "territoires").glob("*/index.html")
                       if p.parent.name not in authored]
    index = site / "pagefind"
    row = {"build": label, "pages": len(pages), "secondes": round(wall, 2),
           "ms_par_page": round(1000 * wall / len(pages), 2), "memoire_mo": round(rss),
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
            browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
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


def reload_time(project: Path) -> tuple[float, float]:
    """Seconds between saving an edited fiche and `mkdocs serve` (as scripts/servir.sh runs it) serving
    (1) the fiche's page with the change, (2) the territory index with it too (the complete build)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", *SERVE, "-a", f"127.0.0.1:{port}"],
                              cwd=project, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        fiche = sorted((project / "fiches/territoires").glob("*.md"))[0]
        base = f"http://127.0.0.1:{port}"
        page, index = f"{base}/territoires/{fiche.stem}/", f"{base}/territoires/"
        deadline = time.time() + 600
        while _get(page) is None:
            if time.time() > deadline or server.poll() is not None:
                raise SystemExit("mkdocs serve n'a pas servi le guide")
            time.sleep(0.2)
        time.sleep(2)  # let the watcher settle after the first build
        token = f"Repere{int(time.time())}"
        data, body = split(fiche.read_text(encoding="utf-8"))
        # The token goes in the territory's name: on its page, and on the index once the whole site is rebuilt.
        data["nom"] = f"{token} {data['nom']}"
        start = time.perf_counter()
        write_fiche(fiche, data, body)
        results = {}
        while len(results) < 2 and time.perf_counter() - start < 300:
            for key, url in (("page", page), ("site", index)):
                if key not in results and token in (_get(url) or ""):
                    results[key] = round(time.perf_counter() - start, 2)
            time.sleep(0.05)
        return results.get("page", float("inf")), results.get("site", float("inf"))
    finally:
        server.terminate()
        server.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description="Mesure la construction du guide.")
    parser.add_argument("--tailles", type=int, nargs="+", default=[200, 1000, 2000])
    parser.add_argument("--json", type=Path, help="écrire le rapport dans ce fichier")
    parser.add_argument("--recherche", action="store_true",
                        help="la recherche seule, à 2 000 fiches : indexation et téléchargement d'une requête")
    args = parser.parse_args()
    if args.recherche:
        return search_only(args.json)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        rows.append(measure(copy_project(tmp / "reel"), "guide réel"))
        for n in args.tailles:
            project = make_guide(tmp / f"guide-{n}", n)
            guide = measure(project, f"guide {n} fiches")
            plain = measure(make_plain(tmp / f"temoin-{n}", project), f"Material seul {n}")
            guide["ratio_material"] = round(guide["secondes"] / plain["secondes"], 2)
            rows += [guide, plain]
        # At the largest size, as the performance issue asks (the first build takes as long as a build).
        biggest_project = tmp / f"guide-{max(args.tailles)}"
        download = search_download(biggest_project / "site", first_territory_page(biggest_project))
        reload, reload_site = reload_time(biggest_project)
    columns = list(rows[0]) + ["ratio_material"]
    print(" | ".join(columns))
    for row in rows:
        print(" | ".join(str(row.get(c, "")) for c in columns))
    print(f"mkdocs serve à {max(args.tailles)} fiches, après modification d'une fiche : page de la fiche "
          f"servie en {reload} s, site entier (index, champs, recherche…) en {reload_site} s")
    print_download(download, max(args.tailles))

    guides = {r["build"]: r for r in rows}
    biggest, smallest = max(args.tailles), min(args.tailles)
    big, small = guides[f"guide {biggest} fiches"], guides[f"guide {smallest} fiches"]
    checks = [
        (f"temps de construction ≤ {TARGETS['ratio']} × Material seul à {biggest} fiches", big["ratio_material"] <= TARGETS["ratio"]),
        (f"page territoire médiane ≤ {TARGETS['median_kb']} Ko", big["page_territoire_mediane_ko"] <= TARGETS["median_kb"]),
        ("page territoire médiane stable avec le nombre de fiches",
         abs(big["page_territoire_mediane_ko"] - small["page_territoire_mediane_ko"]) <= 1),
        *search_checks(big, download, biggest),
        # Linear scaling: a page must not cost more as fiches are added. It may cost less: the fixed costs of
        # a build (official reference data, the guide's own pages, the search process) are shared by more
        # pages, and the work done on the second core (sanitising, indexing) grows with the pages.
        (f"coût par page à {biggest} fiches au plus {int(TARGETS['scaling'] * 100)} % au-dessus de celui à "
         f"{smallest} (croissance linéaire ; ici {100 * (big['ms_par_page'] / small['ms_par_page'] - 1):+.0f} %)",
         big["ms_par_page"] / small["ms_par_page"] - 1 <= TARGETS["scaling"]),
        (f"page d'une fiche modifiée servie en ≤ {TARGETS['reload_s']} s à {biggest} fiches", reload <= TARGETS["reload_s"]),
    ]
    for label, ok in checks:
        print(("✓ " if ok else "✗ ") + label)
    if args.json:
        args.json.write_text(json.dumps({"builds": rows, "rechargement_s": reload, "rechargement_site_s": reload_site,
                                         "recherche": download, "objectifs": {label: ok for label, ok in checks}},
                                        ensure_ascii=False, indent=2), encoding="utf-8")
    return 0 if all(ok for _, ok in checks) else 1


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
