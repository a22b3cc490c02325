"""Shared fixtures: the real site built once, served on localhost, and Debian's Chromium."""
from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "macros"))
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PROJECT_PARTS = ("docs", "fiches", "macros", "overrides", "mkdocs.yml")
# One build date for the whole test session (the printed « version du … », the sitemap's dates): tests comparing two
# builds, one made before midnight and one after, compare the same date. scripts/tester.sh sets it once for all
# the processes of the suite; here for a lone `pytest`.
os.environ.setdefault("SOURCE_DATE_EPOCH", str(int(time.time())))


def mkdocs_build(project: Path, site_dir: Path, *, verbeux: bool = False, **variables: str) -> subprocess.CompletedProcess:
    """Run the real `mkdocs build --strict` of a project into site_dir (`verbeux`: with its debug lines), with
    these environment variables."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **variables}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-v" if verbeux else "-q",
                           "-d", str(site_dir)], cwd=project, capture_output=True, text=True, env=env, timeout=600)


def convertisseur_des_pages(*extensions):
    """Python-Markdown with the Markdown extensions of mkdocs.yml, heading ids as the plugin makes them, and
    `extensions` (those the plugin adds, as a test needs them)."""
    import markdown
    from mkdocs.config import load_config
    from guide.modele import slugs
    config = load_config(str(ROOT / "mkdocs.yml"))
    configs = dict(config["mdx_configs"])
    configs["toc"] = {**configs.get("toc", {}), "slugify": slugs.titre}
    return markdown.Markdown(extensions=[*config["markdown_extensions"], *extensions], extension_configs=configs)


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = mkdocs_build(ROOT, out)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def guide():
    from guide import build_guide
    return build_guide(ROOT)


def copy_project(dest: Path) -> Path:
    """A copy of the project's parts in `dest` (which may exist), where a test may break or add fiches."""
    for part in PROJECT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy(src, dest / part)
    # npm packages (official reference data, map outlines): shared, read only, not copied (tens of MB).
    (dest / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    return dest


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A copy of the project where a test may break or add fiches."""
    return copy_project(tmp_path)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A folder served as a static host serves it, with nothing written in the suite's output."""

    def log_message(self, *args):
        pass

    def handle(self):
        # Chromium may drop a request it no longer needs (a page left or printed while a file still loads): the
        # server then wrote an English traceback in the suite's output (CI).
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass


@contextlib.contextmanager
def serving(directory: Path, handler: type[http.server.SimpleHTTPRequestHandler] = QuietHandler) -> Iterator[str]:
    """Serve a folder on a free port of this computer while the block runs: its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def served(site_dir) -> Iterator[str]:
    with serving(site_dir) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR")
    pg = context.new_page()
    yield pg
    context.close()
