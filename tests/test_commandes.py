"""Every command README.md and CONTRIBUTING.md give works right after the set-up command, on a fresh clone.

The commands are read from the documents' ```bash blocks (nothing is listed here), run in a `git clone` of
the project after `./scripts/servir.sh build` (the clone shares .venv and node_modules with this copy, as
symbolic links, so nothing is downloaded again), each with bash from the clone's root. A block is run on
the fiches as committed (the clone's fiches/ is reset before each block); a serve command is started, must
serve the guide, and is stopped. Left out, and said why in SANS_EXECUTION: the test suite itself and the
one-time install of an optional tool from the network.
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "macros"))
from guide.modele.slugs import slugify  # noqa: E402

DOCUMENTS = ("README.md", "CONTRIBUTING.md")

# Commands given by the documents that this test does not run: (pattern, why).
SANS_EXECUTION = [
    (re.compile(r"scripts/tester\.sh"), "la suite de tests elle-même (dont ce test)"),
    (re.compile(r"pip install pre-commit"), "installation facultative d'un outil depuis le réseau"),
    (re.compile(r"scripts/pdf\.py\s*(#|$)"), "toutes les sections, plusieurs minutes : la même commande est lancée "
     "ici sur une section (--section) et par tests/test_impression.py sur le guide complet"),
]
# A placeholder a reader replaces with their own fiche: the documents' own example fiche (a real one).
EXEMPLE = {"ma-fiche": "nantes-metropole"}


def blocks(document: str) -> list[list[str]]:
    """The commands of each ```bash block of a document (indented blocks of lists included)."""
    text = (ROOT / document).read_text(encoding="utf-8")
    out = []
    for m in re.finditer(r"^( *)```bash\n(.*?)^\1```", text, re.M | re.S):
        lines = [line.strip() for line in m.group(2).splitlines()]
        out.append([line for line in lines if line and not line.startswith("#")])
    return out


def fiches_remplies(document: str) -> dict[str, str]:
    """Fiches a document shows filled in (a ```yaml block that is a whole fiche), by the name they carry."""
    text = (ROOT / document).read_text(encoding="utf-8")
    out = {}
    for m in re.finditer(r"^```yaml\n(---\n.*?\n---\n)```", text, re.M | re.S):
        name = re.search(r"^nom: (.+)$", m.group(1), re.M)
        if name:
            out[name.group(1).strip()] = m.group(1)
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serves(url: str) -> bool:
    try:
        return urllib.request.urlopen(url, timeout=5).status == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    """A fresh clone of the project (its committed state), set up with `./scripts/servir.sh build`."""
    path = tmp_path_factory.mktemp("clone") / "guide"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(path)], check=True, timeout=300)
    for shared in (".venv", "node_modules"):
        (path / shared).symlink_to((ROOT / shared).resolve())
    result = subprocess.run(["./scripts/servir.sh", "build"], cwd=path, capture_output=True, text=True,
                            timeout=900, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert (path / "site" / "index.html").is_file()
    return path


def _reset_fiches(clone: Path) -> None:
    subprocess.run(["git", "checkout", "-q", "--", "fiches"], cwd=clone, check=True)
    subprocess.run(["git", "clean", "-qfd", "--", "fiches"], cwd=clone, check=True)


def _serve(clone: Path, command: str) -> None:
    """Start a serve command (on a free port: servir.sh reads ADRESSE), check it serves the guide, stop it."""
    port = _free_port()
    process = subprocess.Popen(["bash", "-c", command], cwd=clone, start_new_session=True,
                               env={**os.environ, "ADRESSE": f"127.0.0.1:{port}"},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 600
        while not _serves(f"http://127.0.0.1:{port}/territoires/"):
            assert process.poll() is None, f"« {command} » s'est arrêté : {process.stderr.read()[-2000:]}"
            assert time.time() < deadline, f"« {command} » ne sert pas le guide"
            time.sleep(0.5)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)


def _params():
    for document in DOCUMENTS:
        for i, block in enumerate(blocks(document)):
            yield pytest.param(document, block, id=f"{document}-{i + 1}")


@pytest.mark.parametrize("document, block", list(_params()))
def test_documented_commands_work_after_setup(clone, document, block):
    _reset_fiches(clone)
    filled = fiches_remplies(document)
    ran = 0
    for command in block:
        skipped = [why for pattern, why in SANS_EXECUTION if pattern.search(command)]
        if skipped:
            continue
        for placeholder, real in EXEMPLE.items():
            command = command.replace(placeholder, real)
        if re.search(r"scripts/servir\.sh\s*(#|$)", command):
            _serve(clone, command)
            ran += 1
            continue
        # Checking a fiche the document shows filled in: the reader has filled it in by now.
        target = re.search(r"fiches/territoires/([\w-]+)\.md", command)
        for name, fiche in filled.items():
            if target and slugify(name) == target.group(1) and (clone / target.group(0)).is_file():
                (clone / target.group(0)).write_text(fiche, encoding="utf-8")
        result = subprocess.run(["bash", "-c", command], cwd=clone, capture_output=True, text=True, timeout=900,
                                env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        assert result.returncode == 0, f"« {command} » :\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
        ran += 1
    if not ran:
        pytest.skip("aucune commande exécutable dans ce bloc : " + " ; ".join(block))


def test_the_documents_give_commands_and_the_pdf_command():
    commands = [c for d in DOCUMENTS for b in blocks(d) for c in b]
    assert len(commands) >= 10
    assert any("scripts/pdf.py" in c for c in commands)
    assert any(re.search(r"scripts/servir\.sh\s*(#|$)", c) for c in commands)


# (« _outils.py », like « _env.sh », is what the scripts share, not a command)
@pytest.mark.parametrize("script", sorted(p.name for p in (ROOT / "scripts").glob("*.py") if not p.name.startswith("_")))
def test_every_script_answers_help_in_french(script):
    """« scripts/pdf.py --help » answered « usage: … show this help message and exit » in English."""
    result = subprocess.run([sys.executable, f"scripts/{script}", "--help"], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("utilisation : ") and "affiche cette aide" in result.stdout, result.stdout[:200]
    assert not re.search(r"\b(usage|show this help|positional arguments)\b", result.stdout), result.stdout
